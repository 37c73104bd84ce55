package dev.replica.kernels.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared OpenCL state for the tests: one runtime per JVM and one backend per kernel variant
 * (PoCL compiles each program in seconds, so programs must be built once), and the CI rule: without an OpenCL
 * platform the tests fail when {@code CI=true} and are skipped, with the reason, otherwise.
 */
final class OpenClTestSupport {
    private static final Map<OpenClRuntime.Variant, OpenClBackend> BACKENDS =
            new EnumMap<>(OpenClRuntime.Variant.class);

    private OpenClTestSupport() {}

    /** Fails (CI) or skips (elsewhere) unless an OpenCL device is present. */
    static OpenClProbe.Result requireOpenCl() {
        OpenClProbe.Result r = OpenClProbe.probe();
        if (!r.available()) {
            String message = "no usable OpenCL device: " + r.reason();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: install pocl-opencl-icd, see .ci/deps/opencl.sh)");
            }
            Assumptions.abort(message + "; skipping the OpenCL tests (they fail instead when CI=true)");
        }
        return r;
    }

    /** The shared backend running the given kernel variant on the configured device. */
    static synchronized OpenClBackend backend(OpenClRuntime.Variant variant) {
        requireOpenCl();
        return BACKENDS.computeIfAbsent(variant, v -> new OpenClBackend(OpenClRuntime.shared(), v));
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }

    static float[] positive(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.5f + rnd.nextFloat();
        }
        return a;
    }

    static int[] indices(Random rnd, int n, int bound) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextInt(bound);
        }
        return a;
    }

    /**
     * Asserts |actual − expected| ≤ atol + rtol·|expected| element-wise (NaN matches NaN, equal
     * infinities match) and prints the maximum difference.
     */
    static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        double maxDiff = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a) || Float.isInfinite(e) || Float.isInfinite(a)) {
                if (Float.compare(e, a) != 0) {
                    fail(what + ": element " + i + " is " + a + ", expected " + e);
                }
                continue;
            }
            double d = Math.abs((double) a - e);
            if (d > maxDiff) {
                maxDiff = d;
            }
            if (d > atol + rtol * Math.abs(e) && worst < 0) {
                worst = i;
            }
        }
        System.out.printf(
                "%-60s max|diff| = %.3e (atol %.0e, rtol %.0e, n=%d)%n", what, maxDiff, atol, rtol, expected.length);
        if (worst >= 0) {
            fail(what + ": element " + worst + " is " + actual[worst] + ", expected " + expected[worst]
                    + " (max |diff| " + maxDiff + " > atol " + atol + " + rtol " + rtol + "·|expected|)");
        }
    }

    static void assertClose(String what, float expected, float actual, double atol, double rtol) {
        assertClose(what, new float[] {expected}, new float[] {actual}, atol, rtol);
    }
}
