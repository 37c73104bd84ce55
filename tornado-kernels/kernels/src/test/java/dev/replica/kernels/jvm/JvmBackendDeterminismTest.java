package dev.replica.kernels.jvm;

import static dev.replica.kernels.testing.Parity.assertClose;
import static dev.replica.kernels.testing.Parity.ints;
import static dev.replica.kernels.testing.Parity.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import dev.replica.kernels.ops.ReferenceKernels;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The JVM backend gives bit-identical results with 1, 2 and 3 threads, on shapes large enough to span
 * several tasks (row blocks, column blocks, k slices, reduction blocks).
 */
class JvmBackendDeterminismTest {

    /** Runs {@code op} on fresh backends with 1, 2 and 3 threads and asserts the outputs are bitwise equal. */
    private static void sameBitsForAnyThreadCount(String label, Function<KernelBackend, float[]> op) {
        float[] one;
        try (JvmBackend b1 = new JvmBackend(1)) {
            one = op.apply(b1);
        }
        for (int threads : new int[] {2, 3}) {
            try (JvmBackend bn = new JvmBackend(threads)) {
                float[] other = op.apply(bn);
                assertArrayEquals(bits(one), bits(other), label + ": 1 vs " + threads + " threads differ");
            }
        }
        System.out.println(label + ": bitwise identical for 1, 2, 3 threads (" + one.length + " values)");
    }

    private static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }

    @Test
    void gemmIsBitwiseIdenticalForAnyThreadCount() {
        Random rnd = new Random(1);
        int M = 211, N = 601, K = 523;
        float[] a = randn(rnd, M * K), b = randn(rnd, K * N), c0 = randn(rnd, M * N);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            sameBitsForAnyThreadCount("gemm tA=" + ta + " tB=" + tb, k -> {
                float[] c = c0.clone();
                k.gemm(c, a, b, M, N, K, ta, tb, 0.5f, 0.25f);
                return c;
            });
        }
    }

    @Test
    void largeGemmSpanningAllBlockingLevelsMatchesReference() {
        Random rnd = new Random(2);
        int M = 211, N = 601, K = 523;
        float[] a = randn(rnd, M * K), b = randn(rnd, K * N);
        float[] e = new float[M * N], g = new float[M * N];
        new ReferenceKernels().gemm(e, a, b, M, N, K, false, true, 1f, 0f);
        try (JvmBackend k = new JvmBackend(2)) {
            k.gemm(g, a, b, M, N, K, false, true, 1f, 0f);
        }
        assertClose("jvm gemm 211x601x523", e, g, 2e-4f * (float) Math.sqrt(K), 1e-4f);
    }

    @Test
    void matmulBackwardAndNormsAreBitwiseIdenticalForAnyThreadCount() {
        Random rnd = new Random(3);
        int B = 4, T = 37, C = 300, OC = 130;
        float[] inp = randn(rnd, B * T * C),
                w = randn(rnd, OC * C),
                dout = randn(rnd, B * T * OC),
                dC = randn(rnd, B * T * C);
        sameBitsForAnyThreadCount("matmulBackward", k -> {
            float[] dinp = new float[B * T * C], dw = new float[OC * C], db = new float[OC];
            k.matmulBackward(dinp, dw, db, dout, inp, w, B, T, C, OC);
            return concat(dinp, dw, db);
        });
        float[] gain = randn(rnd, C), bias = randn(rnd, C);
        sameBitsForAnyThreadCount("layerNorm forward+backward", k -> {
            float[] out = new float[B * T * C], mean = new float[B * T], rstd = new float[B * T];
            k.layerNormForward(out, mean, rstd, inp, gain, bias, B, T, C);
            float[] dinp = new float[B * T * C], dw = new float[C], db = new float[C];
            k.layerNormBackward(dinp, dw, db, dC, inp, gain, mean, rstd, B, T, C);
            return concat(out, dinp, dw, db);
        });
        sameBitsForAnyThreadCount("rmsNorm forward+backward", k -> {
            float[] out = new float[B * T * C], rstd = new float[B * T];
            k.rmsNormForward(out, rstd, inp, gain, B, T, C);
            float[] dinp = new float[B * T * C], dw = new float[C];
            k.rmsNormBackward(dinp, dw, dC, inp, gain, rstd, B, T, C);
            return concat(out, dinp, dw);
        });
        int[] tokens = ints(rnd, B * T, 50);
        float[] wte = randn(rnd, 50 * C);
        sameBitsForAnyThreadCount("embedding forward+backward", k -> {
            float[] out = new float[B * T * C], dwte = new float[50 * C];
            k.embeddingForward(out, tokens, wte, B, T, C);
            k.embeddingBackward(dwte, dC, tokens, B, T, C);
            return concat(out, dwte);
        });
    }

    @Test
    void attentionAndSoftmaxAreBitwiseIdenticalForAnyThreadCount() {
        Random rnd = new Random(4);
        int B = 2, T = 17, C = 48, NH = 4, V = 301;
        float[] inp = randn(rnd, B * T * 3 * C), dout = randn(rnd, B * T * C);
        sameBitsForAnyThreadCount("attention forward+backward", k -> {
            float[] out = new float[B * T * C], pre = new float[B * NH * T * T], att = new float[B * NH * T * T];
            k.attentionForward(out, pre, att, inp, B, T, C, NH);
            float[] dinp = new float[inp.length], dpre = new float[pre.length], datt = new float[att.length];
            k.attentionBackward(dinp, dpre, datt, dout, inp, att, B, T, C, NH);
            return concat(out, att, dinp);
        });
        float[] logits = randn(rnd, B * T * V);
        int[] targets = ints(rnd, B * T, V);
        sameBitsForAnyThreadCount("softmax + cross-entropy", k -> {
            float[] p = new float[logits.length], l = new float[B * T], d = new float[logits.length];
            float[] dl = new float[B * T];
            java.util.Arrays.fill(dl, 1f / (B * T));
            k.softmaxForward(p, logits, B, T, V);
            k.crossEntropyForward(l, p, targets, B, T, V);
            k.crossEntropySoftmaxBackward(d, dl, p, targets, B, T, V);
            return concat(p, l, d);
        });
    }

    @Test
    void reductionsAndOptimizerStepsAreBitwiseIdenticalForAnyThreadCount() {
        Random rnd = new Random(5);
        int N = 100_003;
        float[] x = randn(rnd, N);
        sameBitsForAnyThreadCount("sum, mean, max", k -> new float[] {k.sum(x, N), k.mean(x, N), k.max(x, N)});
        float[] g = randn(rnd, N);
        sameBitsForAnyThreadCount("adamw", k -> {
            float[] p = x.clone(), m = new float[N], v = new float[N];
            k.adamwUpdate(p, m, v, null, g, N, 1, 1e-3f, 0.9f, 0.95f, 1e-10f, 0.01f);
            return concat(p, m, v);
        });
        int rows = 96, cols = 160;
        float[] w = randn(rnd, rows * cols), gw = randn(rnd, rows * cols);
        sameBitsForAnyThreadCount("normuon + muon + rowNormCv", k -> {
            float[] p = w.clone(), mom = new float[rows * cols], v = new float[rows], upd = new float[rows * cols];
            k.normuonUpdate(
                    p, mom, v, upd, gw, rows, cols, 0.02f, 0.95f, 0.95f, 1e-10f, true, 0.01f, MuonScale.SPECTRAL);
            float[] q = w.clone(), mom2 = new float[rows * cols];
            k.muonUpdate(q, mom2, null, gw, cols, rows, 0.02f, 0.95f, true, 0f, MuonScale.RMS);
            return concat(p, v, q, new float[] {k.rowNormCv(upd, rows, cols)});
        });
        sameBitsForAnyThreadCount("topKMask", k -> {
            float[] out = new float[rows * cols], mask = new float[rows * cols];
            k.topKMaskForward(out, mask, w, rows, cols, cols / 2);
            return out;
        });
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
