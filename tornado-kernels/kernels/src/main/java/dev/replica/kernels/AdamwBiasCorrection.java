package dev.replica.kernels;

/**
 * AdamW's bias corrections (Kingma &amp; Ba 2015, Algorithm 1; PyTorch's AdamW), computed once per step on the
 * host by every backend and passed to its kernel: the moments start at zero, so their EMAs are divided by
 * {@code 1 − β^t} to be unbiased at step {@code t}.
 */
public final class AdamwBiasCorrection {

    private AdamwBiasCorrection() {}

    /** {@code 1 − β^t}, in double (the reference divides by it). */
    public static double of(float beta, int t) {
        return 1.0 - Math.pow(beta, t);
    }

    /** {@code 1 / (1 − β^t)} rounded to float, for kernels that multiply by it. */
    public static float inverse(float beta, int t) {
        return (float) (1.0 / of(beta, t));
    }
}
