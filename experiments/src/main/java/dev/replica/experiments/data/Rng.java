package dev.replica.experiments.data;

/**
 * Counter-based random numbers: the value at position {@code counter} of stream {@code stream} under
 * {@code seed} is a pure function {@code mix(seed, stream, counter)} (SplitMix64's finalizer applied
 * twice), so a draw never depends on how many draws other streams made. An instance walks its counter
 * forward; {@link #fork(long)} derives an independent stream.
 */
public final class Rng {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final long stream;
    private long counter;
    private double spareGaussian = Double.NaN;

    public Rng(long seed, long stream) {
        this.seed = seed;
        this.stream = stream;
    }

    /** The stream {@code stream} of {@code seed}, position 0. */
    public static Rng of(long seed, long stream) {
        return new Rng(seed, stream);
    }

    /** An independent stream keyed by this one's seed and stream and {@code subStream}. */
    public Rng fork(long subStream) {
        return new Rng(seed, mix64(stream * GOLDEN + subStream + 0x632BE59BD9B4E019L));
    }

    /** SplitMix64's output function. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The value at (seed, stream, counter), without moving this instance. */
    public static long at(long seed, long stream, long counter) {
        long k = mix64(seed + GOLDEN * (stream + 1));
        return mix64(k + GOLDEN * (counter + 1));
    }

    public long nextLong() {
        return at(seed, stream, counter++);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, bound); the modulo bias of a 64-bit draw is below 2^-32 for any int bound. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    /** Standard normal (Box–Muller, pairs cached), computed with StrictMath for reproducibility across JVMs. */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        spareGaussian = r * StrictMath.sin(2 * Math.PI * u2);
        return r * StrictMath.cos(2 * Math.PI * u2);
    }

    /** Fills {@code out} with N(0, std²) values. */
    public void fillGaussian(float[] out, float std) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (nextGaussian() * std);
        }
    }

    /** Samples an index from unnormalized non-negative weights {@code w[off..off+n)}. */
    public int sampleCategorical(float[] w, int off, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += w[off + i];
        }
        double u = nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += w[off + i];
            if (u < acc) {
                return i;
            }
        }
        return n - 1;
    }

    /** A permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
