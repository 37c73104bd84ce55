package dev.replica.kernels.testing;

import static dev.replica.kernels.testing.Parity.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Holds a backend's forward ops and optimizer steps to golden values computed independently: in float64 by
 * {@code golden/forward_golden.py} (plain Python written from the op contracts and SEEDS.md §1, not from the
 * Java code), recorded once in {@code golden/forward-golden.txt}. Unlike the parity suite, this fails when the
 * reference itself is wrong. Tolerances cover float32 arithmetic against float64.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractGoldenForwardTest {

    /** fp32 vs fp64 on O(1) values over a handful of terms. */
    private static final float ATOL = 2e-6f;

    private static final float RTOL = 2e-5f;
    /** Five Newton–Schulz iterations in fp32 amplify rounding. */
    private static final float NS_TOL = 1e-4f;

    private final Map<String, float[]> golden = load();
    protected KernelBackend backend;

    /** The backend under test. */
    protected abstract KernelBackend createBackend();

    @BeforeAll
    void start() {
        backend = createBackend();
    }

    @AfterAll
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    /** ((7i + 13·seed) mod 23 − 11) / 8: multiples of 1/8, exact in float32; the script's {@code inputs}. */
    public static float[] inputs(int n, int seed) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((7 * i + 13 * seed) % 23 - 11) / 8f;
        }
        return x;
    }

    private static Map<String, float[]> load() {
        try (InputStream in = AbstractGoldenForwardTest.class.getResourceAsStream("/golden/forward-golden.txt")) {
            Map<String, float[]> m = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.trim().split(" ");
                float[] v = new float[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    v[i - 1] = (float) Double.parseDouble(parts[i]);
                }
                m.put(parts[0], v);
            }
            return m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void check(String name, float[] actual, float tol) {
        float[] expected = golden.get(name);
        if (expected == null) {
            throw new IllegalStateException("no golden values for " + name + " in forward-golden.txt");
        }
        assertClose(backend.name() + " " + name, expected, actual, tol == 0 ? ATOL : tol, tol == 0 ? RTOL : tol);
    }

    private void check(String name, float[] actual) {
        check(name, actual, 0);
    }

    @Test
    void gemmForEveryTranspose() {
        int m = 2;
        int n = 3;
        int k = 4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] c = inputs(m * n, 3);
                backend.gemm(c, inputs(m * k, 1), inputs(k * n, 2), m, n, k, ta, tb, 1.5f, 0.5f);
                check("gemm." + (ta ? "T" : "N") + (tb ? "T" : "N"), c);
            }
        }
    }

    @Test
    void matmulForwardWithAndWithoutBias() {
        float[] out = new float[2 * 4];
        backend.matmulForward(out, inputs(6, 4), inputs(12, 5), inputs(4, 6), 1, 2, 3, 4);
        check("matmul.bias", out);
        out = new float[2 * 4];
        backend.matmulForward(out, inputs(6, 4), inputs(12, 5), null, 1, 2, 3, 4);
        check("matmul.nobias", out);
    }

    @Test
    void softmaxLogSoftmaxAndCrossEntropy() {
        float[] probs = new float[10];
        backend.softmaxForward(probs, inputs(10, 7), 1, 2, 5);
        check("softmax", probs);
        float[] logp = new float[10];
        backend.logSoftmaxForward(logp, inputs(10, 7), 1, 2, 5);
        check("logsoftmax", logp);
        float[] losses = new float[2];
        backend.crossEntropyForward(
                losses,
                new float[] {0.25f, 0.5f, 0.125f, 0.125f, 0.0625f, 0.0625f, 0.75f, 0.125f},
                new int[] {1, 3},
                1,
                2,
                4);
        check("crossentropy", losses);
    }

    @Test
    void layerNormAndRmsNorm() {
        float[] out = new float[8];
        float[] mean = new float[2];
        float[] rstd = new float[2];
        backend.layerNormForward(out, mean, rstd, inputs(8, 8), inputs(4, 9), inputs(4, 10), 1, 2, 4);
        check("layernorm.out", out);
        check("layernorm.mean", mean);
        check("layernorm.rstd", rstd);
        float[] rout = new float[8];
        float[] rrstd = new float[2];
        backend.rmsNormForward(rout, rrstd, inputs(8, 8), inputs(4, 9), 1, 2, 4);
        check("rmsnorm.out", rout);
        check("rmsnorm.rstd", rrstd);
    }

    @Test
    void activations() {
        float[] out = new float[8];
        backend.geluForward(out, inputs(8, 11), 8);
        check("gelu", out);
        backend.siluForward(out, inputs(8, 11), 8);
        check("silu", out);
        backend.swigluForward(out, inputs(8, 11), inputs(8, 12), 8);
        check("swiglu", out);
    }

    @Test
    void causalAttention() {
        int t = 3;
        int nh = 2;
        float[] out = new float[t * 4];
        float[] preatt = new float[nh * t * t];
        float[] att = new float[nh * t * t];
        backend.attentionForward(out, preatt, att, inputs(t * 12, 13), 1, t, 4, nh);
        check("attention.out", out);
        check("attention.preatt", preatt);
        check("attention.att", att);
    }

    @Test
    void embeddingLookupWithARepeatedToken() {
        float[] out = new float[4 * 3];
        backend.embeddingForward(out, new int[] {2, 0, 2, 3}, inputs(12, 14), 2, 2, 3);
        check("embedding", out);
    }

    @Test
    void topKMaskBreaksTiesTowardTheLowerColumn() {
        float[] out = new float[10];
        float[] mask = new float[10];
        backend.topKMaskForward(out, mask, new float[] {0.5f, -2f, 2f, 1f, -0.25f, 0f, -1f, 1f, 1f, -0.5f}, 2, 5, 2);
        check("topk.out", out);
        check("topk.mask", mask);
    }

    @Test
    void newtonSchulzOnTallAndWideMatrices() {
        float[] tall = new float[6];
        backend.newtonSchulz5(tall, inputs(6, 15), 3, 2);
        check("ns5.tall", tall, NS_TOL);
        float[] wide = new float[6];
        backend.newtonSchulz5(wide, inputs(6, 16), 2, 3);
        check("ns5.wide", wide, NS_TOL);
    }

    @Test
    void rowNormStatisticsAndReductions() {
        float[] x = inputs(12, 17);
        float[] norms = new float[3];
        backend.rowNorms(norms, x, 3, 4);
        check("rownorms", norms);
        check("rownormcv", new float[] {backend.rowNormCv(x, 3, 4)});
        check("reductions", new float[] {backend.sum(x, 12), backend.max(x, 12), backend.mean(x, 12)});
    }

    @Test
    void twoAdamwSteps() {
        int n = 6;
        float[] params = inputs(n, 18);
        float[] m = new float[n];
        float[] v = new float[n];
        float[] update = new float[n];
        backend.adamwUpdate(params, m, v, update, inputs(n, 19), n, 1, 0.01f, 0.9f, 0.95f, 1e-8f, 0.1f);
        backend.adamwUpdate(params, m, v, update, inputs(n, 20), n, 2, 0.01f, 0.9f, 0.95f, 1e-8f, 0.1f);
        check("adamw.params", params);
        check("adamw.m", m);
        check("adamw.v", v);
        check("adamw.update", update);
    }

    @Test
    void twoMuonAndNorMuonStepsWithEitherScale() {
        int m = 3;
        int n = 2;
        for (MuonScale scale : MuonScale.values()) {
            String s = scale.name().toLowerCase(java.util.Locale.ROOT);
            float[] params = inputs(m * n, 21);
            float[] momentum = new float[m * n];
            float[] update = new float[m * n];
            for (int seed : new int[] {22, 23}) {
                backend.muonUpdate(
                        params, momentum, update, inputs(m * n, seed), m, n, 0.02f, 0.95f, true, 0.01f, scale);
            }
            check("muon." + s + ".params", params, NS_TOL);
            check("muon." + s + ".momentum", momentum);
            check("muon." + s + ".update", update, NS_TOL);

            params = inputs(m * n, 21);
            momentum = new float[m * n];
            float[] v = new float[m];
            for (int seed : new int[] {22, 23}) {
                backend.normuonUpdate(
                        params,
                        momentum,
                        v,
                        update,
                        inputs(m * n, seed),
                        m,
                        n,
                        0.02f,
                        0.95f,
                        0.95f,
                        1e-10f,
                        true,
                        0.01f,
                        scale);
            }
            check("normuon." + s + ".params", params, NS_TOL);
            check("normuon." + s + ".momentum", momentum);
            check("normuon." + s + ".update", update, NS_TOL);
            check("normuon." + s + ".v", v, NS_TOL);
        }
    }

    @Test
    void everyGoldenCaseIsChecked() {
        // a case added to the script without a check here would be dead weight
        assertEquals(
                46,
                golden.size(),
                "forward-golden.txt has " + golden.size() + " cases: "
                        + Arrays.toString(golden.keySet().toArray()));
    }
}
