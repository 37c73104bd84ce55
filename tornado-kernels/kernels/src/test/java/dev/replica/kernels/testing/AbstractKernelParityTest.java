package dev.replica.kernels.testing;

import static dev.replica.kernels.testing.Parity.assertClose;
import static dev.replica.kernels.testing.Parity.ints;
import static dev.replica.kernels.testing.Parity.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import dev.replica.kernels.ops.ReferenceKernels;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Holds a backend to {@link ReferenceKernels} on every op, over random shapes that include odd and prime
 * sizes. Subclasses name the backend; backend modules reuse this class through the kernels test-jar.
 * Tolerances are relative to the magnitude of the reference values (float accumulation vs the reference's
 * double accumulation).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractKernelParityTest {

    protected final ReferenceKernels ref = new ReferenceKernels();
    protected KernelBackend backend;

    /** The backend under test. */
    protected abstract KernelBackend createBackend();

    /** Shape scale: 1 for fast backends; emulations may shrink it. */
    protected int[][] matmulShapes() {
        // B, T, C, OC
        return new int[][] {
            {1, 1, 1, 1}, {1, 3, 5, 7}, {2, 7, 13, 17}, {3, 11, 31, 37}, {1, 67, 129, 61}, {2, 5, 64, 48}
        };
    }

    protected int[][] gemmShapes() {
        // M, N, K
        return new int[][] {{1, 1, 1}, {3, 5, 7}, {13, 17, 19}, {37, 29, 53}, {64, 48, 96}, {97, 131, 73}};
    }

    @BeforeAll
    void start() {
        backend = createBackend();
    }

    @AfterAll
    void stop() {
        if (backend != null) { // null when createBackend skipped the class (no device here)
            backend.close();
        }
    }

    protected String tag(String op) {
        return backend.name() + " " + op;
    }

    /** An element-wise tolerance: |actual − expected| ≤ atol + rtol·|expected|. */
    public record Tolerance(float atol, float rtol) {}

    /**
     * The tolerance for one check of {@code op} (the first word of the check's label, e.g. {@code geluBackward},
     * {@code NS5}); the suite's default is {@code (atol, rtol)}. A backend whose device computes differently (a
     * fast-math compiler, fused multiply-adds) widens it per op and says why beside the number.
     */
    protected Tolerance tolerance(String op, float atol, float rtol) {
        return new Tolerance(atol, rtol);
    }

    private void check(String label, float[] expected, float[] actual, float atol, float rtol) {
        int space = label.indexOf(' ');
        Tolerance t = tolerance(space < 0 ? label : label.substring(0, space), atol, rtol);
        assertClose(tag(label), expected, actual, t.atol(), t.rtol());
    }

    private void check(String label, float expected, float actual, float atol, float rtol) {
        check(label, new float[] {expected}, new float[] {actual}, atol, rtol);
    }

    @Test
    void gemmMatchesReferenceForAllTransposesAndOddShapes() {
        Random rnd = new Random(1);
        for (int[] s : gemmShapes()) {
            int M = s[0], N = s[1], K = s[2];
            for (int ta = 0; ta < 2; ta++) {
                for (int tb = 0; tb < 2; tb++) {
                    float[] a = randn(rnd, M * K), b = randn(rnd, K * N), c0 = randn(rnd, M * N);
                    float alpha = 0.75f, beta = (ta + tb) % 2 == 0 ? 0f : 0.5f;
                    float[] e = c0.clone(), g = c0.clone();
                    ref.gemm(e, a, b, M, N, K, ta == 1, tb == 1, alpha, beta);
                    backend.gemm(g, a, b, M, N, K, ta == 1, tb == 1, alpha, beta);
                    check(
                            "gemm " + M + "x" + N + "x" + K + " tA=" + ta + " tB=" + tb,
                            e,
                            g,
                            2e-5f * (float) Math.sqrt(K) * 4,
                            1e-4f);
                }
            }
        }
    }

    @Test
    void matmulForwardAndBackwardMatchReference() {
        Random rnd = new Random(2);
        for (int[] s : matmulShapes()) {
            int B = s[0], T = s[1], C = s[2], OC = s[3];
            float[] inp = randn(rnd, B * T * C),
                    w = randn(rnd, OC * C),
                    bias = randn(rnd, OC),
                    dout = randn(rnd, B * T * OC);
            float atol = 1e-5f * (float) Math.sqrt(Math.max(C, B * T)) * 8;
            for (boolean withBias : new boolean[] {true, false}) {
                float[] e = new float[B * T * OC], g = new float[B * T * OC];
                ref.matmulForward(e, inp, w, withBias ? bias : null, B, T, C, OC);
                backend.matmulForward(g, inp, w, withBias ? bias : null, B, T, C, OC);
                check("matmulForward " + B + "," + T + "," + C + "," + OC, e, g, atol, 1e-4f);
            }
            float[] dinpE = randn(rnd, B * T * C), dwE = randn(rnd, OC * C), dbE = randn(rnd, OC);
            float[] dinpG = dinpE.clone(), dwG = dwE.clone(), dbG = dbE.clone();
            ref.matmulBackward(dinpE, dwE, dbE, dout, inp, w, B, T, C, OC);
            backend.matmulBackward(dinpG, dwG, dbG, dout, inp, w, B, T, C, OC);
            check("matmulBackward dinp", dinpE, dinpG, atol, 1e-4f);
            check("matmulBackward dweight", dwE, dwG, atol, 1e-4f);
            check("matmulBackward dbias", dbE, dbG, atol, 1e-4f);
            float[] dinp2 = new float[B * T * C], dw2 = new float[OC * C];
            float[] dinp3 = new float[B * T * C], dw3 = new float[OC * C];
            ref.matmulBackward(dinp2, dw2, null, dout, inp, w, B, T, C, OC);
            backend.matmulBackward(dinp3, dw3, null, dout, inp, w, B, T, C, OC);
            check("matmulBackward dweight without bias", dw2, dw3, atol, 1e-4f);
        }
    }

    @Test
    void softmaxLogSoftmaxAndCrossEntropyMatchReference() {
        Random rnd = new Random(3);
        for (int[] s : new int[][] {{1, 1, 1}, {1, 3, 7}, {2, 5, 31}, {3, 7, 257}, {1, 2, 1031}}) {
            int B = s[0], T = s[1], V = s[2], N = B * T * V;
            float[] logits = randn(rnd, N);
            for (int i = 0; i < N; i++) {
                logits[i] *= 4;
            }
            float[] pE = new float[N], pG = new float[N];
            ref.softmaxForward(pE, logits, B, T, V);
            backend.softmaxForward(pG, logits, B, T, V);
            check("softmaxForward V=" + V, pE, pG, 1e-6f, 1e-4f);
            float[] dp = randn(rnd, N), dlE = randn(rnd, N), dlG = dlE.clone();
            ref.softmaxBackward(dlE, dp, pE, B, T, V);
            backend.softmaxBackward(dlG, dp, pE, B, T, V);
            check("softmaxBackward", dlE, dlG, 1e-5f, 1e-4f);

            float[] lE = new float[N], lG = new float[N];
            ref.logSoftmaxForward(lE, logits, B, T, V);
            backend.logSoftmaxForward(lG, logits, B, T, V);
            check("logSoftmaxForward", lE, lG, 1e-5f, 1e-5f);
            float[] d2E = randn(rnd, N), d2G = d2E.clone();
            ref.logSoftmaxBackward(d2E, dp, lE, B, T, V);
            backend.logSoftmaxBackward(d2G, dp, lE, B, T, V);
            check("logSoftmaxBackward", d2E, d2G, 1e-4f, 1e-4f);

            int[] targets = ints(rnd, B * T, V);
            float[] ceE = new float[B * T], ceG = new float[B * T];
            ref.crossEntropyForward(ceE, pE, targets, B, T, V);
            backend.crossEntropyForward(ceG, pE, targets, B, T, V);
            check("crossEntropyForward", ceE, ceG, 1e-6f, 1e-5f);
            float[] dloss = randn(rnd, B * T), d3E = randn(rnd, N), d3G = d3E.clone();
            ref.crossEntropySoftmaxBackward(d3E, dloss, pE, targets, B, T, V);
            backend.crossEntropySoftmaxBackward(d3G, dloss, pE, targets, B, T, V);
            check("crossEntropySoftmaxBackward", d3E, d3G, 1e-6f, 1e-5f);
        }
    }

    @Test
    void layerNormAndRmsNormMatchReference() {
        Random rnd = new Random(4);
        for (int[] s : new int[][] {{1, 1, 1}, {1, 3, 7}, {2, 5, 33}, {3, 7, 130}, {1, 4, 769}}) {
            int B = s[0], T = s[1], C = s[2], N = B * T * C;
            float[] inp = randn(rnd, N), w = randn(rnd, C), bias = randn(rnd, C), dout = randn(rnd, N);
            for (int i = 0; i < N; i++) {
                inp[i] = inp[i] * 3 + 1;
            }
            float[] oE = new float[N], oG = new float[N], mE = new float[B * T], mG = new float[B * T];
            float[] rE = new float[B * T], rG = new float[B * T];
            ref.layerNormForward(oE, mE, rE, inp, w, bias, B, T, C);
            backend.layerNormForward(oG, mG, rG, inp, w, bias, B, T, C);
            check("layerNormForward C=" + C, oE, oG, 2e-5f, 1e-4f);
            check("layerNormForward mean", mE, mG, 1e-5f, 1e-5f);
            check("layerNormForward rstd", rE, rG, 1e-5f, 1e-4f);
            float[] diE = randn(rnd, N), diG = diE.clone(), dwE = randn(rnd, C), dwG = dwE.clone();
            float[] dbE = randn(rnd, C), dbG = dbE.clone();
            ref.layerNormBackward(diE, dwE, dbE, dout, inp, w, mE, rE, B, T, C);
            backend.layerNormBackward(diG, dwG, dbG, dout, inp, w, mE, rE, B, T, C);
            check("layerNormBackward dinp", diE, diG, 1e-4f, 1e-4f);
            check("layerNormBackward dweight", dwE, dwG, 1e-4f, 1e-4f);
            check("layerNormBackward dbias", dbE, dbG, 1e-4f, 1e-4f);

            ref.rmsNormForward(oE, rE, inp, w, B, T, C);
            backend.rmsNormForward(oG, rG, inp, w, B, T, C);
            check("rmsNormForward", oE, oG, 2e-5f, 1e-4f);
            check("rmsNormForward rstd", rE, rG, 1e-6f, 1e-4f);
            float[] d2E = randn(rnd, N), d2G = d2E.clone(), w2E = randn(rnd, C), w2G = w2E.clone();
            ref.rmsNormBackward(d2E, w2E, dout, inp, w, rE, B, T, C);
            backend.rmsNormBackward(d2G, w2G, dout, inp, w, rE, B, T, C);
            check("rmsNormBackward dinp", d2E, d2G, 1e-4f, 1e-4f);
            check("rmsNormBackward dweight", w2E, w2G, 1e-4f, 1e-4f);
        }
    }

    @Test
    void activationsMatchReference() {
        Random rnd = new Random(5);
        for (int N : new int[] {1, 7, 31, 257, 4099}) {
            float[] x = randn(rnd, N), up = randn(rnd, N), dout = randn(rnd, N);
            for (int i = 0; i < N; i++) {
                x[i] *= 4;
            }
            float[] e = new float[N], g = new float[N];
            ref.geluForward(e, x, N);
            backend.geluForward(g, x, N);
            check("geluForward N=" + N, e, g, 1e-6f, 1e-5f);
            float[] dE = randn(rnd, N), dG = dE.clone();
            ref.geluBackward(dE, dout, x, N);
            backend.geluBackward(dG, dout, x, N);
            check("geluBackward", dE, dG, 1e-5f, 1e-5f);
            ref.siluForward(e, x, N);
            backend.siluForward(g, x, N);
            check("siluForward", e, g, 1e-6f, 1e-5f);
            ref.siluBackward(dE, dout, x, N);
            backend.siluBackward(dG, dout, x, N);
            check("siluBackward", dE, dG, 1e-5f, 1e-5f);
            ref.swigluForward(e, x, up, N);
            backend.swigluForward(g, x, up, N);
            check("swigluForward", e, g, 1e-6f, 1e-5f);
            float[] dgE = randn(rnd, N), dgG = dgE.clone(), duE = randn(rnd, N), duG = duE.clone();
            ref.swigluBackward(dgE, duE, dout, x, up, N);
            backend.swigluBackward(dgG, duG, dout, x, up, N);
            check("swigluBackward dgate", dgE, dgG, 1e-5f, 1e-5f);
            check("swigluBackward dup", duE, duG, 1e-5f, 1e-5f);
        }
    }

    @Test
    void attentionForwardAndBackwardMatchReference() {
        Random rnd = new Random(6);
        for (int[] s : new int[][] {{1, 1, 4, 1}, {1, 5, 6, 2}, {2, 7, 12, 3}, {2, 13, 32, 4}}) {
            int B = s[0], T = s[1], C = s[2], NH = s[3];
            float[] inp = randn(rnd, B * T * 3 * C), dout = randn(rnd, B * T * C);
            float[] oE = new float[B * T * C], oG = new float[B * T * C];
            float[] pE = new float[B * NH * T * T], pG = new float[B * NH * T * T];
            float[] aE = new float[B * NH * T * T], aG = new float[B * NH * T * T];
            ref.attentionForward(oE, pE, aE, inp, B, T, C, NH);
            backend.attentionForward(oG, pG, aG, inp, B, T, C, NH);
            check("attentionForward out T=" + T, oE, oG, 2e-5f, 1e-4f);
            check("attentionForward preatt", pE, pG, 2e-5f, 1e-4f);
            check("attentionForward att", aE, aG, 2e-6f, 1e-4f);
            float[] diE = new float[B * T * 3 * C], diG = new float[B * T * 3 * C];
            float[] dpE = new float[B * NH * T * T], dpG = new float[B * NH * T * T];
            float[] daE = new float[B * NH * T * T], daG = new float[B * NH * T * T];
            ref.attentionBackward(diE, dpE, daE, dout, inp, aE, B, T, C, NH);
            backend.attentionBackward(diG, dpG, daG, dout, inp, aE, B, T, C, NH);
            check("attentionBackward dinp", diE, diG, 1e-4f, 1e-4f);
            check("attentionBackward datt", daE, daG, 1e-4f, 1e-4f);
            check("attentionBackward dpreatt", dpE, dpG, 1e-4f, 1e-4f);
        }
    }

    @Test
    void embeddingForwardAndBackwardMatchReferenceWithRepeatedTokens() {
        Random rnd = new Random(7);
        for (int[] s : new int[][] {{1, 1, 1, 1}, {2, 7, 5, 3}, {3, 11, 37, 13}}) {
            int B = s[0], T = s[1], C = s[2], V = s[3];
            int[] tokens = ints(rnd, B * T, V);
            float[] wte = randn(rnd, V * C), dout = randn(rnd, B * T * C);
            float[] e = new float[B * T * C], g = new float[B * T * C];
            ref.embeddingForward(e, tokens, wte, B, T, C);
            backend.embeddingForward(g, tokens, wte, B, T, C);
            check("embeddingForward", e, g, 0f, 0f);
            float[] dE = randn(rnd, V * C), dG = dE.clone();
            ref.embeddingBackward(dE, dout, tokens, B, T, C);
            backend.embeddingBackward(dG, dout, tokens, B, T, C);
            check("embeddingBackward", dE, dG, 1e-6f, 1e-6f);
        }
    }

    @Test
    void topKMaskKeepsTheSameEntriesAsReference() {
        Random rnd = new Random(8);
        for (int[] s : new int[][] {{1, 1, 1}, {3, 7, 3}, {5, 13, 0}, {4, 31, 31}, {7, 128, 64}, {2, 257, 100}}) {
            int rows = s[0], cols = s[1], k = s[2];
            float[] x = randn(rnd, rows * cols);
            x[0] = 0.5f;
            if (cols > 2) {
                x[1] = -0.5f; // a tie in |value|: the lower column wins
            }
            float[] oE = new float[rows * cols], oG = new float[rows * cols];
            float[] mE = new float[rows * cols], mG = new float[rows * cols];
            ref.topKMaskForward(oE, mE, x, rows, cols, k);
            backend.topKMaskForward(oG, mG, x, rows, cols, k);
            check("topKMaskForward mask k=" + k, mE, mG, 0f, 0f);
            check("topKMaskForward out", oE, oG, 0f, 0f);
            float[] dout = randn(rnd, rows * cols), dE = randn(rnd, rows * cols), dG = dE.clone();
            ref.topKMaskBackward(dE, dout, mE, rows, cols);
            backend.topKMaskBackward(dG, dout, mE, rows, cols);
            check("topKMaskBackward", dE, dG, 0f, 0f);
        }
    }

    @Test
    void newtonSchulzMatchesReferenceOnWideTallAndSquareMatrices() {
        Random rnd = new Random(9);
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {7, 3}, {16, 16}, {31, 47}, {64, 24}}) {
            int m = s[0], n = s[1];
            float[] g = randn(rnd, m * n), e = new float[m * n], o = new float[m * n];
            ref.newtonSchulz5(e, g, m, n);
            backend.newtonSchulz5(o, g, m, n);
            check("newtonSchulz5 " + m + "x" + n, e, o, 2e-4f, 1e-3f);
        }
    }

    @Test
    void rowNormStatisticsAndReductionsMatchReference() {
        Random rnd = new Random(10);
        for (int[] s : new int[][] {{1, 1}, {3, 7}, {17, 33}, {64, 129}, {5, 4099}}) {
            int rows = s[0], cols = s[1], N = rows * cols;
            float[] x = randn(rnd, N);
            float[] e = new float[rows], g = new float[rows];
            ref.rowNorms(e, x, rows, cols);
            backend.rowNorms(g, x, rows, cols);
            check("rowNorms", e, g, 1e-5f, 1e-5f);
            check("rowNormCv", ref.rowNormCv(x, rows, cols), backend.rowNormCv(x, rows, cols), 1e-5f, 1e-4f);
            check("sum N=" + N, ref.sum(x, N), backend.sum(x, N), 1e-4f, 1e-5f);
            check("mean", ref.mean(x, N), backend.mean(x, N), 1e-6f, 1e-5f);
            check("max", ref.max(x, N), backend.max(x, N), 0f, 0f);
        }
        float[] ones = new float[1001];
        java.util.Arrays.fill(ones, 1f);
        assertEquals(1001f, backend.sum(ones, 1001), "all ones sums to N");
        assertEquals(1f, backend.mean(ones, 1001));
        assertEquals(Float.NEGATIVE_INFINITY, backend.max(ones, 0));
        assertEquals(0f, backend.sum(ones, 0));
    }

    @Test
    void adamwStepsMatchReference() {
        Random rnd = new Random(11);
        for (int N : new int[] {1, 13, 1031}) {
            float[] p = randn(rnd, N), pE = p.clone(), pG = p.clone();
            float[] mE = new float[N], mG = new float[N], vE = new float[N], vG = new float[N];
            float[] uE = new float[N], uG = new float[N];
            for (int t = 1; t <= 3; t++) {
                float[] grad = randn(rnd, N);
                ref.adamwUpdate(pE, mE, vE, uE, grad, N, t, 1e-2f, 0.9f, 0.95f, 1e-10f, 0.01f);
                backend.adamwUpdate(pG, mG, vG, uG, grad, N, t, 1e-2f, 0.9f, 0.95f, 1e-10f, 0.01f);
            }
            check("adamwUpdate params N=" + N, pE, pG, 1e-6f, 1e-5f);
            check("adamwUpdate m", mE, mG, 1e-6f, 1e-5f);
            check("adamwUpdate v", vE, vG, 1e-6f, 1e-5f);
            check("adamwUpdate update", uE, uG, 1e-5f, 1e-4f);
        }
    }

    @Test
    void muonAndNorMuonStepsMatchReference() {
        Random rnd = new Random(12);
        for (int[] s : new int[][] {{3, 7}, {13, 5}, {32, 48}}) {
            int m = s[0], n = s[1], N = m * n;
            for (MuonScale scale : MuonScale.values()) {
                float[] p = randn(rnd, N), pE = p.clone(), pG = p.clone();
                float[] momE = new float[N], momG = new float[N], uE = new float[N], uG = new float[N];
                float[] vE = new float[m], vG = new float[m];
                float[] qE = p.clone(), qG = p.clone(), mom2E = new float[N], mom2G = new float[N];
                for (int t = 1; t <= 2; t++) {
                    float[] grad = randn(rnd, N);
                    ref.muonUpdate(pE, momE, uE, grad, m, n, 0.02f, 0.95f, true, 0.01f, scale);
                    backend.muonUpdate(pG, momG, uG, grad, m, n, 0.02f, 0.95f, true, 0.01f, scale);
                    ref.normuonUpdate(
                            qE, mom2E, vE, null, grad, m, n, 0.02f, 0.95f, 0.95f, 1e-10f, t == 1, 0.0f, scale);
                    backend.normuonUpdate(
                            qG, mom2G, vG, null, grad, m, n, 0.02f, 0.95f, 0.95f, 1e-10f, t == 1, 0.0f, scale);
                }
                check("muonUpdate params " + m + "x" + n + " " + scale, pE, pG, 2e-5f, 1e-4f);
                check("muonUpdate update", uE, uG, 5e-4f, 1e-3f);
                check("muonUpdate momentum", momE, momG, 1e-6f, 1e-5f);
                check("normuonUpdate params", qE, qG, 2e-5f, 1e-4f);
                check("normuonUpdate second moment", vE, vG, 1e-6f, 1e-3f);
            }
        }
    }

    @Test
    void newtonSchulzMapsSingularValuesToTheKnownScalarValues() {
        // 1x1: the normalized value is 1, so NS5 gives f(1).
        float[] one = new float[1];
        backend.newtonSchulz5(one, new float[] {2.5f}, 1, 1);
        check("NS5 f(1)", 0.69644f, one[0], 2e-5f, 0f);
        // diag(x, sqrt(1 - x²)) has Frobenius norm 1 and stays diagonal: NS5 gives diag(f(x), f(sqrt(1 - x²))).
        float[][] known = {{0.5f, 0.76544f}, {0.1f, 0.71212f}, {0.01f, 0.69892f}, {0.001f, 0.47054f}};
        for (float[] kv : known) {
            float x = kv[0];
            float[] g = {x, 0f, 0f, (float) Math.sqrt(1 - (double) x * x)};
            float[] o = new float[4];
            backend.newtonSchulz5(o, g, 2, 2);
            check("NS5 f(" + x + ")", kv[1], o[0], 2e-4f, 0f);
            check("NS5 off-diagonal", 0f, o[1], 1e-6f, 0f);
        }
    }

    @Test
    void newtonSchulzOfUsvGivesTheSeedsExample() {
        // G = U·diag(3, 1, 0.1)·Vᵀ with orthonormal U (3x3), V (5x3): NS5(G) = U·diag(0.75298, 1.13362, 1.13403)·Vᵀ.
        Random rnd = new Random(13);
        double[][] u = Orthonormal.columns(rnd, 3, 3);
        double[][] v = Orthonormal.columns(rnd, 5, 3);
        double[] s = {3, 1, 0.1};
        for (boolean tall : new boolean[] {false, true}) {
            int m = tall ? 5 : 3, n = tall ? 3 : 5;
            double[][] left = tall ? v : u, right = tall ? u : v;
            float[] g = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int k = 0; k < 3; k++) {
                        acc += left[i][k] * s[k] * right[j][k];
                    }
                    g[i * n + j] = (float) acc;
                }
            }
            float[] o = new float[m * n];
            backend.newtonSchulz5(o, g, m, n);
            // Σ' = leftᵀ·O·right
            float[] sigma = new float[3];
            for (int k = 0; k < 3; k++) {
                double acc = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        acc += left[i][k] * o[i * n + j] * right[j][k];
                    }
                }
                sigma[k] = (float) acc;
            }
            check("NS5 s=(3,1,0.1) tall=" + tall, new float[] {0.75298f, 1.13362f, 1.13403f}, sigma, 5e-4f, 0f);
        }
    }

    @Test
    void normuonFirstStepGivesEveryRowTheSameNorm() {
        Random rnd = new Random(14);
        int m = 12, n = 20;
        float[] p = randn(rnd, m * n), mom = new float[m * n], v = new float[m], upd = new float[m * n];
        float[] grad = randn(rnd, m * n);
        for (int i = 0; i < n; i++) {
            grad[i] *= 10; // make the first row's gradient much larger
        }
        backend.normuonUpdate(p, mom, v, upd, grad, m, n, 0.02f, 0.95f, 0.95f, 1e-10f, true, 0f, MuonScale.SPECTRAL);
        float[] norms = new float[m];
        backend.rowNorms(norms, upd, m, n);
        double fro = 0;
        for (float x : upd) {
            fro += (double) x * x;
        }
        float expected = (float) (Math.sqrt(fro) / Math.sqrt(m));
        for (int r = 0; r < m; r++) {
            check("NorMuon first-step row norm " + r, expected, norms[r], 0f, 1e-4f);
        }
        check("NorMuon row-norm CV", 0f, backend.rowNormCv(upd, m, n), 1e-4f, 0f);
    }
}
