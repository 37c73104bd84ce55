package dev.replica.kernels.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** Helpers for parity tests: seeded random buffers and a tolerance check that prints the max difference. */
public final class Parity {

    private Parity() {}

    public static float[] randn(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    public static float[] uniform(Random rnd, int n, float lo, float hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * rnd.nextFloat();
        }
        return x;
    }

    public static int[] ints(Random rnd, int n, int bound) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(bound);
        }
        return x;
    }

    /**
     * Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise, and prints
     * {@code label: max |diff| = ..., max rel = ...}.
     */
    public static void assertClose(String label, float[] expected, float[] actual, float atol, float rtol) {
        if (expected.length != actual.length) {
            fail(label + ": length " + actual.length + " != " + expected.length);
        }
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double d = Math.abs(a - e);
            if (Double.isNaN(a) != Double.isNaN(e) || (!Double.isNaN(d) && d > atol + rtol * Math.abs(e))) {
                if (worst < 0) {
                    worst = i;
                }
            }
            if (!Double.isNaN(d)) {
                maxAbs = Math.max(maxAbs, d);
                maxRel = Math.max(maxRel, d / Math.max(Math.abs(e), 1e-30));
            }
        }
        System.out.printf(
                "%s: max |diff| = %.3e, max rel = %.3e (n=%d, atol=%.1e, rtol=%.1e)%n",
                label, maxAbs, maxRel, expected.length, atol, rtol);
        if (worst >= 0) {
            fail(String.format(
                    "%s: element %d is %s, expected %s (max |diff| %.3e)",
                    label, worst, actual[worst], expected[worst], maxAbs));
        }
    }

    public static void assertClose(String label, float expected, float actual, float atol, float rtol) {
        assertClose(label, new float[] {expected}, new float[] {actual}, atol, rtol);
    }
}
