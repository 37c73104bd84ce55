package dev.replica.kernels.opencl;

import static dev.replica.kernels.opencl.OpenClTestSupport.assertClose;
import static dev.replica.kernels.opencl.OpenClTestSupport.backend;
import static dev.replica.kernels.opencl.OpenClTestSupport.indices;
import static dev.replica.kernels.opencl.OpenClTestSupport.positive;
import static dev.replica.kernels.opencl.OpenClTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.replica.kernels.MuonScale;
import dev.replica.kernels.opencl.OpenClRuntime.Variant;
import dev.replica.kernels.ops.ReferenceKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every OpenCL op against {@link ReferenceKernels}, for both kernel variants (register-blocked
 * CPU kernels and local-memory GPU kernels; on PoCL both run on the CPU), on random shapes with
 * odd and prime sizes and one power-of-two size that exercises the padded row pitch. Each
 * comparison prints its maximum difference.
 */
class OpenClParityTest {
    private final ReferenceKernels ref = new ReferenceKernels();

    private static String tag(Variant v, String op) {
        return "opencl/" + v.name().toLowerCase() + " " + op;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void gemmMatchesReferenceForAllTransposesAndOddShapes(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(1);
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {31, 17, 29}, {97, 101, 103}, {64, 256, 33}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                float[] a = random(rnd, m * k);
                float[] b = random(rnd, k * n);
                float[] c0 = random(rnd, m * n);
                float alpha = 0.75f;
                float beta = t == 3 ? 0f : -0.5f;
                float[] expected = c0.clone();
                ref.gemm(expected, a, b, m, n, k, ta, tb, alpha, beta);
                float[] actual = c0.clone();
                if (beta == 0f) {
                    Arrays.fill(actual, Float.NaN); // beta = 0 must not read c
                }
                cl.gemm(actual, a, b, m, n, k, ta, tb, alpha, beta);
                assertClose(
                        tag(v, "gemm " + m + "x" + n + "x" + k + " tA=" + ta + " tB=" + tb),
                        expected,
                        actual,
                        1e-4 * Math.sqrt(k),
                        1e-4);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void matmulForwardAndBackwardMatchReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(2);
        int[][] shapes = {{2, 7, 13, 29}, {1, 5, 64, 256}, {3, 11, 37, 1}};
        for (int[] s : shapes) {
            int B = s[0];
            int T = s[1];
            int C = s[2];
            int OC = s[3];
            float[] inp = random(rnd, B * T * C);
            float[] w = random(rnd, OC * C);
            float[] bias = random(rnd, OC);
            for (boolean withBias : new boolean[] {true, false}) {
                float[] expected = new float[B * T * OC];
                float[] actual = new float[B * T * OC];
                ref.matmulForward(expected, inp, w, withBias ? bias : null, B, T, C, OC);
                cl.matmulForward(actual, inp, w, withBias ? bias : null, B, T, C, OC);
                String shape = " B=" + B + " T=" + T + " C=" + C + " OC=" + OC + " bias=" + withBias;
                assertClose(tag(v, "matmulForward" + shape), expected, actual, 1e-4 * Math.sqrt(C), 1e-4);

                float[] dout = random(rnd, B * T * OC);
                float[] dinp0 = random(rnd, B * T * C);
                float[] dw0 = random(rnd, OC * C);
                float[] db0 = random(rnd, OC);
                float[] dinpE = dinp0.clone();
                float[] dwE = dw0.clone();
                float[] dbE = withBias ? db0.clone() : null;
                ref.matmulBackward(dinpE, dwE, dbE, dout, inp, w, B, T, C, OC);
                float[] dinpA = dinp0.clone();
                float[] dwA = dw0.clone();
                float[] dbA = withBias ? db0.clone() : null;
                cl.matmulBackward(dinpA, dwA, dbA, dout, inp, w, B, T, C, OC);
                double tol = 1e-4 * Math.sqrt(Math.max(OC, B * T));
                assertClose(tag(v, "matmulBackward dinp" + shape), dinpE, dinpA, tol, 1e-4);
                assertClose(tag(v, "matmulBackward dweight" + shape), dwE, dwA, tol, 1e-4);
                if (withBias) {
                    assertClose(tag(v, "matmulBackward dbias" + shape), dbE, dbA, tol, 1e-4);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void softmaxFamilyAndCrossEntropyMatchReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(3);
        for (int[] s : new int[][] {{1, 1, 1}, {2, 3, 13}, {3, 5, 257}}) {
            int B = s[0];
            int T = s[1];
            int V = s[2];
            int n = B * T * V;
            String shape = " B=" + B + " T=" + T + " V=" + V;
            float[] logits = random(rnd, n);
            for (int i = 0; i < n; i++) {
                logits[i] *= 4f;
            }
            float[] pE = new float[n];
            float[] pA = new float[n];
            ref.softmaxForward(pE, logits, B, T, V);
            cl.softmaxForward(pA, logits, B, T, V);
            assertClose(tag(v, "softmaxForward" + shape), pE, pA, 1e-6, 1e-5);

            float[] lE = new float[n];
            float[] lA = new float[n];
            ref.logSoftmaxForward(lE, logits, B, T, V);
            cl.logSoftmaxForward(lA, logits, B, T, V);
            assertClose(tag(v, "logSoftmaxForward" + shape), lE, lA, 1e-5, 1e-5);

            float[] dout = random(rnd, n);
            float[] d0 = random(rnd, n);
            float[] dE = d0.clone();
            float[] dA = d0.clone();
            ref.softmaxBackward(dE, dout, pE, B, T, V);
            cl.softmaxBackward(dA, dout, pE, B, T, V);
            assertClose(tag(v, "softmaxBackward" + shape), dE, dA, 1e-5, 1e-5);
            dE = d0.clone();
            dA = d0.clone();
            ref.logSoftmaxBackward(dE, dout, lE, B, T, V);
            cl.logSoftmaxBackward(dA, dout, lE, B, T, V);
            assertClose(tag(v, "logSoftmaxBackward" + shape), dE, dA, 1e-4, 1e-5);

            int[] targets = indices(rnd, B * T, V);
            float[] lossE = new float[B * T];
            float[] lossA = new float[B * T];
            ref.crossEntropyForward(lossE, pE, targets, B, T, V);
            cl.crossEntropyForward(lossA, pE, targets, B, T, V);
            assertClose(tag(v, "crossEntropyForward" + shape), lossE, lossA, 1e-6, 1e-6);
            float[] dlosses = random(rnd, B * T);
            dE = d0.clone();
            dA = d0.clone();
            ref.crossEntropySoftmaxBackward(dE, dlosses, pE, targets, B, T, V);
            cl.crossEntropySoftmaxBackward(dA, dlosses, pE, targets, B, T, V);
            assertClose(tag(v, "crossEntropySoftmaxBackward" + shape), dE, dA, 1e-6, 1e-6);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void layerNormAndRmsNormMatchReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(4);
        for (int[] s : new int[][] {{1, 1, 1}, {2, 7, 13}, {3, 5, 256}}) {
            int B = s[0];
            int T = s[1];
            int C = s[2];
            int rows = B * T;
            int n = rows * C;
            String shape = " B=" + B + " T=" + T + " C=" + C;
            float[] inp = random(rnd, n);
            for (int i = 0; i < n; i++) {
                inp[i] = inp[i] * 2f + 1f;
            }
            float[] w = random(rnd, C);
            float[] bias = random(rnd, C);
            float[] dout = random(rnd, n);
            for (boolean withBias : new boolean[] {true, false}) {
                float[] b = withBias ? bias : null;
                float[] oE = new float[n];
                float[] oA = new float[n];
                float[] mE = new float[rows];
                float[] mA = new float[rows];
                float[] rE = new float[rows];
                float[] rA = new float[rows];
                ref.layerNormForward(oE, mE, rE, inp, w, b, B, T, C);
                cl.layerNormForward(oA, mA, rA, inp, w, b, B, T, C);
                assertClose(tag(v, "layerNormForward out" + shape + " bias=" + withBias), oE, oA, 1e-4, 1e-4);
                assertClose(tag(v, "layerNormForward mean" + shape), mE, mA, 1e-5, 1e-5);
                assertClose(tag(v, "layerNormForward rstd" + shape), rE, rA, 1e-4, 1e-4);

                float[] di0 = random(rnd, n);
                float[] dw0 = random(rnd, C);
                float[] db0 = random(rnd, C);
                float[] diE = di0.clone();
                float[] dwE = dw0.clone();
                float[] dbE = withBias ? db0.clone() : null;
                ref.layerNormBackward(diE, dwE, dbE, dout, inp, w, mE, rE, B, T, C);
                float[] diA = di0.clone();
                float[] dwA = dw0.clone();
                float[] dbA = withBias ? db0.clone() : null;
                cl.layerNormBackward(diA, dwA, dbA, dout, inp, w, mE, rE, B, T, C);
                assertClose(tag(v, "layerNormBackward dinp" + shape), diE, diA, 1e-4, 1e-4);
                assertClose(tag(v, "layerNormBackward dweight" + shape), dwE, dwA, 1e-4, 1e-4);
                if (withBias) {
                    assertClose(tag(v, "layerNormBackward dbias" + shape), dbE, dbA, 1e-4, 1e-4);
                }
            }
            float[] oE = new float[n];
            float[] oA = new float[n];
            float[] rE = new float[rows];
            float[] rA = new float[rows];
            ref.rmsNormForward(oE, rE, inp, w, B, T, C);
            cl.rmsNormForward(oA, rA, inp, w, B, T, C);
            assertClose(tag(v, "rmsNormForward out" + shape), oE, oA, 1e-5, 1e-4);
            assertClose(tag(v, "rmsNormForward rstd" + shape), rE, rA, 1e-6, 1e-5);
            float[] di0 = random(rnd, n);
            float[] dw0 = random(rnd, C);
            float[] diE = di0.clone();
            float[] dwE = dw0.clone();
            float[] diA = di0.clone();
            float[] dwA = dw0.clone();
            ref.rmsNormBackward(diE, dwE, dout, inp, w, rE, B, T, C);
            cl.rmsNormBackward(diA, dwA, dout, inp, w, rE, B, T, C);
            assertClose(tag(v, "rmsNormBackward dinp" + shape), diE, diA, 1e-5, 1e-4);
            assertClose(tag(v, "rmsNormBackward dweight" + shape), dwE, dwA, 1e-4, 1e-4);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void activationsMatchReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(5);
        for (int n : new int[] {1, 17, 10007}) {
            float[] x = random(rnd, n);
            for (int i = 0; i < n; i++) {
                x[i] *= 3f;
            }
            float[] up = random(rnd, n);
            float[] dout = random(rnd, n);
            float[] d0 = random(rnd, n);
            float[] eE = new float[n];
            float[] eA = new float[n];
            ref.geluForward(eE, x, n);
            cl.geluForward(eA, x, n);
            assertClose(tag(v, "geluForward N=" + n), eE, eA, 1e-6, 1e-5);
            ref.siluForward(eE, x, n);
            cl.siluForward(eA, x, n);
            assertClose(tag(v, "siluForward N=" + n), eE, eA, 1e-6, 1e-5);
            ref.swigluForward(eE, x, up, n);
            cl.swigluForward(eA, x, up, n);
            assertClose(tag(v, "swigluForward N=" + n), eE, eA, 1e-6, 1e-5);

            float[] dE = d0.clone();
            float[] dA = d0.clone();
            ref.geluBackward(dE, dout, x, n);
            cl.geluBackward(dA, dout, x, n);
            assertClose(tag(v, "geluBackward N=" + n), dE, dA, 1e-5, 1e-5);
            dE = d0.clone();
            dA = d0.clone();
            ref.siluBackward(dE, dout, x, n);
            cl.siluBackward(dA, dout, x, n);
            assertClose(tag(v, "siluBackward N=" + n), dE, dA, 1e-5, 1e-5);
            float[] dgE = d0.clone();
            float[] dgA = d0.clone();
            float[] duE = up.clone();
            float[] duA = up.clone();
            ref.swigluBackward(dgE, duE, dout, x, up, n);
            cl.swigluBackward(dgA, duA, dout, x, up, n);
            assertClose(tag(v, "swigluBackward dgate N=" + n), dgE, dgA, 1e-5, 1e-5);
            assertClose(tag(v, "swigluBackward dup N=" + n), duE, duA, 1e-5, 1e-5);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void attentionMatchesReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(6);
        for (int[] s : new int[][] {{1, 1, 4, 1}, {2, 7, 12, 3}, {1, 13, 10, 2}}) {
            int B = s[0];
            int T = s[1];
            int C = s[2];
            int NH = s[3];
            String shape = " B=" + B + " T=" + T + " C=" + C + " NH=" + NH;
            float[] inp = random(rnd, B * T * 3 * C);
            int nAtt = B * NH * T * T;
            float[] oE = new float[B * T * C];
            float[] oA = new float[B * T * C];
            float[] preE = new float[nAtt];
            float[] attE = new float[nAtt];
            float[] preA = random(rnd, nAtt); // garbage above the diagonal must be overwritten
            float[] attA = random(rnd, nAtt);
            ref.attentionForward(oE, preE, attE, inp, B, T, C, NH);
            cl.attentionForward(oA, preA, attA, inp, B, T, C, NH);
            assertClose(tag(v, "attentionForward out" + shape), oE, oA, 1e-5, 1e-4);
            assertClose(tag(v, "attentionForward preatt" + shape), preE, preA, 1e-5, 1e-4);
            assertClose(tag(v, "attentionForward att" + shape), attE, attA, 1e-6, 1e-4);

            float[] dout = random(rnd, B * T * C);
            float[] di0 = random(rnd, B * T * 3 * C);
            float[] diE = di0.clone();
            float[] diA = di0.clone();
            float[] dpreE = new float[nAtt];
            float[] dpreA = new float[nAtt];
            float[] dattE = new float[nAtt];
            float[] dattA = new float[nAtt];
            ref.attentionBackward(diE, dpreE, dattE, dout, inp, attE, B, T, C, NH);
            cl.attentionBackward(diA, dpreA, dattA, dout, inp, attE, B, T, C, NH);
            assertClose(tag(v, "attentionBackward dinp" + shape), diE, diA, 1e-4, 1e-4);
            assertClose(tag(v, "attentionBackward dpreatt" + shape), dpreE, dpreA, 1e-5, 1e-4);
            assertClose(tag(v, "attentionBackward datt" + shape), dattE, dattA, 1e-5, 1e-4);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void embeddingMatchesReferenceWithRepeatedTokens(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(7);
        int B = 3;
        int T = 7;
        int C = 11;
        int V = 5; // fewer rows than positions: tokens repeat
        float[] wte = random(rnd, V * C);
        int[] tokens = indices(rnd, B * T, V);
        float[] oE = new float[B * T * C];
        float[] oA = new float[B * T * C];
        ref.embeddingForward(oE, tokens, wte, B, T, C);
        cl.embeddingForward(oA, tokens, wte, B, T, C);
        assertClose(tag(v, "embeddingForward"), oE, oA, 0, 0);
        float[] dout = random(rnd, B * T * C);
        float[] dE = wte.clone();
        float[] dA = wte.clone();
        ref.embeddingBackward(dE, dout, tokens, B, T, C);
        cl.embeddingBackward(dA, dout, tokens, B, T, C);
        assertClose(tag(v, "embeddingBackward"), dE, dA, 0, 0); // same order of float additions: exact
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void topKMaskKeepsLargestMagnitudesWithLowerColumnWinningTies(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(8);
        int rows = 7;
        int cols = 13;
        float[] inp = new float[rows * cols];
        for (int i = 0; i < inp.length; i++) {
            inp[i] = rnd.nextInt(7) - 3; // many ties, both signs
        }
        for (int k : new int[] {0, 1, 3, cols}) {
            float[] oE = new float[rows * cols];
            float[] mE = new float[rows * cols];
            float[] oA = new float[rows * cols];
            float[] mA = new float[rows * cols];
            ref.topKMaskForward(oE, mE, inp, rows, cols, k);
            cl.topKMaskForward(oA, mA, inp, rows, cols, k);
            assertClose(tag(v, "topKMaskForward out k=" + k), oE, oA, 0, 0);
            assertClose(tag(v, "topKMaskForward mask k=" + k), mE, mA, 0, 0);
            float[] dout = random(rnd, rows * cols);
            float[] dE = random(rnd, rows * cols);
            float[] dA = dE.clone();
            ref.topKMaskBackward(dE, dout, mE, rows, cols);
            cl.topKMaskBackward(dA, dout, mE, rows, cols);
            assertClose(tag(v, "topKMaskBackward k=" + k), dE, dA, 0, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void newtonSchulzMatchesReferenceOnWideTallAndSquareMatrices(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(9);
        for (int[] s : new int[][] {{1, 1}, {3, 5}, {7, 3}, {16, 16}, {33, 65}, {131, 29}}) {
            int m = s[0];
            int n = s[1];
            float[] g = random(rnd, m * n);
            float[] e = new float[m * n];
            float[] a = new float[m * n];
            ref.newtonSchulz5(e, g, m, n);
            cl.newtonSchulz5(a, g, m, n);
            assertClose(tag(v, "newtonSchulz5 " + m + "x" + n), e, a, 2e-4, 1e-3);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void newtonSchulzMapsKnownSingularValues(Variant v) {
        // G = diag(3, 1, 0.1) (3x3): NS5 maps s/‖s‖ to (0.75298, 1.13362, 1.13403) (SEEDS.md §1).
        OpenClBackend cl = backend(v);
        float[] g = {3f, 0, 0, 0, 1f, 0, 0, 0, 0.1f};
        float[] o = new float[9];
        cl.newtonSchulz5(o, g, 3, 3);
        assertClose(
                tag(v, "newtonSchulz5 known diag(3,1,0.1)"),
                new float[] {0.75298f, 1.13362f, 1.13403f},
                new float[] {o[0], o[4], o[8]},
                2e-4,
                0);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rowNormStatisticsAndReductionsMatchReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(10);
        int rows = 13;
        int cols = 257;
        float[] x = random(rnd, rows * cols);
        float[] nE = new float[rows];
        float[] nA = new float[rows];
        ref.rowNorms(nE, x, rows, cols);
        cl.rowNorms(nA, x, rows, cols);
        assertClose(tag(v, "rowNorms"), nE, nA, 1e-5, 1e-5);
        assertClose(tag(v, "rowNormCv"), ref.rowNormCv(x, rows, cols), cl.rowNormCv(x, rows, cols), 1e-5, 1e-4);
        assertEquals(0f, cl.rowNormCv(new float[12], 3, 4), "CV of all-zero rows");

        for (int n : new int[] {1, 2, 63, 64, 65, 100003}) {
            float[] a = random(rnd, n);
            assertClose(tag(v, "sum N=" + n), ref.sum(a, n), cl.sum(a, n), 1e-5 * Math.sqrt(n), 1e-5);
            assertClose(tag(v, "mean N=" + n), ref.mean(a, n), cl.mean(a, n), 1e-5, 1e-5);
            assertEquals(ref.max(a, n), cl.max(a, n), tag(v, "max N=" + n));
        }
        float[] ones = new float[4099];
        Arrays.fill(ones, 1f);
        assertEquals(4099f, cl.sum(ones, ones.length), "all ones sum to N");
        assertEquals(1f, cl.mean(ones, ones.length), "all ones have mean 1");
        assertEquals(0f, cl.sum(ones, 0), "empty sum");
        assertEquals(Float.NEGATIVE_INFINITY, cl.max(ones, 0), "empty max");
        assertEquals(Float.NaN, cl.mean(ones, 0), "empty mean");
        float[] withNaN = positive(rnd, 1000);
        withNaN[777] = Float.NaN;
        assertEquals(Float.NaN, cl.max(withNaN, withNaN.length), "NaN propagates through max");
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void optimizerUpdatesMatchReference(Variant v) {
        OpenClBackend cl = backend(v);
        Random rnd = new Random(11);
        int n = 1031;
        float[] p0 = random(rnd, n);
        float[] m0 = new float[n];
        float[] v0 = new float[n];
        float[] pE = p0.clone();
        float[] mE = m0.clone();
        float[] vE = v0.clone();
        float[] uE = new float[n];
        float[] pA = p0.clone();
        float[] mA = m0.clone();
        float[] vA = v0.clone();
        float[] uA = new float[n];
        for (int t = 1; t <= 3; t++) {
            float[] g = random(rnd, n);
            ref.adamwUpdate(pE, mE, vE, uE, g, n, t, 3e-4f, 0.9f, 0.95f, 1e-10f, 0.01f);
            cl.adamwUpdate(pA, mA, vA, uA, g, n, t, 3e-4f, 0.9f, 0.95f, 1e-10f, 0.01f);
            ref.adamwUpdate(pE, mE, vE, null, g, n, t, 3e-4f, 0.9f, 0.95f, 1e-10f, 0.01f);
            cl.adamwUpdate(pA, mA, vA, null, g, n, t, 3e-4f, 0.9f, 0.95f, 1e-10f, 0.01f);
        }
        assertClose(tag(v, "adamwUpdate params"), pE, pA, 1e-6, 1e-5);
        assertClose(tag(v, "adamwUpdate m"), mE, mA, 1e-7, 1e-5);
        assertClose(tag(v, "adamwUpdate v"), vE, vA, 1e-7, 1e-5);
        assertClose(tag(v, "adamwUpdate update"), uE, uA, 1e-5, 1e-4);

        for (int[] s : new int[][] {{13, 29}, {37, 11}}) {
            int rows = s[0];
            int cols = s[1];
            int len = rows * cols;
            String shape = " " + rows + "x" + cols;
            for (MuonScale scale : MuonScale.values()) {
                float[] w = random(rnd, len);
                float[] momE = new float[len];
                float[] momA = new float[len];
                float[] wE = w.clone();
                float[] wA = w.clone();
                float[] updE = new float[len];
                float[] updA = new float[len];
                float[] g = random(rnd, len);
                ref.muonUpdate(wE, momE, updE, g, rows, cols, 0.02f, 0.95f, true, 0.01f, scale);
                cl.muonUpdate(wA, momA, updA, g, rows, cols, 0.02f, 0.95f, true, 0.01f, scale);
                g = random(rnd, len);
                ref.muonUpdate(wE, momE, null, g, rows, cols, 0.02f, 0.95f, false, 0f, scale);
                cl.muonUpdate(wA, momA, null, g, rows, cols, 0.02f, 0.95f, false, 0f, scale);
                assertClose(tag(v, "muonUpdate params " + scale + shape), wE, wA, 1e-5, 1e-4);
                assertClose(tag(v, "muonUpdate momentum " + scale + shape), momE, momA, 1e-6, 1e-5);
                assertClose(tag(v, "muonUpdate update " + scale + shape), updE, updA, 5e-4, 1e-3);

                float[] secE = new float[rows];
                float[] secA = new float[rows];
                momE = new float[len];
                momA = new float[len];
                wE = w.clone();
                wA = w.clone();
                for (int step = 0; step < 2; step++) {
                    g = random(rnd, len);
                    ref.normuonUpdate(
                            wE, momE, secE, updE, g, rows, cols, 0.02f, 0.95f, 0.95f, 1e-10f, true, 0.01f, scale);
                    cl.normuonUpdate(
                            wA, momA, secA, updA, g, rows, cols, 0.02f, 0.95f, 0.95f, 1e-10f, true, 0.01f, scale);
                }
                assertClose(tag(v, "normuonUpdate params " + scale + shape), wE, wA, 1e-5, 1e-4);
                assertClose(tag(v, "normuonUpdate secondMoment " + scale + shape), secE, secA, 1e-7, 1e-3);
                assertClose(tag(v, "normuonUpdate update " + scale + shape), updE, updA, 5e-4, 1e-3);
            }
        }
    }
}
