package dev.replica.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.data.Rng;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ModelGradientsTest {

    static KernelBackend k;

    @BeforeAll
    static void backend() {
        k = KernelBackends.select("jvm").backend();
    }

    @AfterAll
    static void close() {
        k.close();
    }

    private static float[] gaussian(int n, long seed) {
        float[] x = new float[n];
        Rng.of(seed, 0).fillGaussian(x, 1f);
        return x;
    }

    private static double classifierLoss(Classifier m, float[] x, int[] y, int B, boolean backward) {
        Loss loss = new Loss();
        float[] logits = m.forward(k, x, B);
        Loss.Value v = loss.compute(k, logits, y, B, m.classes(), backward);
        if (backward) {
            m.backward(k, loss.dlogits(), B);
        }
        return v.loss();
    }

    @Test
    void mlpGradientsMatchFiniteDifferences() {
        Mlp m = new Mlp(new int[] {5, 7, 6, 3}, Rng.of(1, 1));
        float[] x = gaussian(4 * 5, 2);
        int[] y = {0, 2, 1, 2};
        m.zeroGrad();
        classifierLoss(m, x, y, 4, true);
        GradientCheck.check(m.params(), () -> classifierLoss(m, x, y, 4, false), 4, 1e-2f, 2e-2);
    }

    @Test
    void transformerGradientsMatchFiniteDifferences() {
        int V = 7, T = 5, B = 2;
        Transformer m = new Transformer(V, T, 8, 2, 2, Rng.of(3, 1));
        int[] tokens = {1, 2, 3, 4, 5, 6, 0, 1, 2, 3};
        int[] targets = {2, 3, 4, 5, -1, 0, 1, 2, 3, 4};
        Loss loss = new Loss();
        m.zeroGrad();
        float[] logits = m.forward(k, tokens, B, T);
        loss.compute(k, logits, targets, B * T, V, true);
        m.backward(k, loss.dlogits());
        GradientCheck.check(
                m.params(),
                () -> {
                    float[] l = m.forward(k, tokens, B, T);
                    return new Loss().compute(k, l, targets, B * T, V, false).loss();
                },
                3,
                1e-2f,
                3e-2);
    }

    @Test
    void moeGradientsMatchFiniteDifferences() {
        MoeClassifier m = new MoeClassifier(6, 8, 3, 4, 2, 10, 0, Rng.of(4, 1));
        float[] x = gaussian(5 * 6, 5);
        int[] y = {0, 1, 2, 1, 0};
        m.zeroGrad();
        classifierLoss(m, x, y, 5, true);
        GradientCheck.check(m.params(), () -> classifierLoss(m, x, y, 5, false), 3, 1e-3f, 3e-2);
    }

    @Test
    void moneGradientsMatchFiniteDifferences() {
        MoeClassifier m = new MoeClassifier(6, 8, 3, 4, 2, 10, 5, Rng.of(6, 1));
        float[] x = gaussian(5 * 6, 7);
        int[] y = {2, 1, 0, 1, 2};
        m.zeroGrad();
        classifierLoss(m, x, y, 5, true);
        GradientCheck.check(m.params(), () -> classifierLoss(m, x, y, 5, false), 3, 1e-3f, 3e-2);
    }

    @Test
    void moneSelectionPassesGradientsOnlyThroughTheKeptNeurons() {
        int C = 6, de = 8, keep = 3;
        MoeLayer moe = new MoeLayer("moe", C, 1, 1, de, keep, Rng.of(8, 1));
        float[] x = gaussian(C, 9);
        float[] out = new float[C];
        moe.forward(k, out, x, 1);
        // the kept set S: the 3 largest |SiLU(W_gate·x)|
        Param gate = moe.params().get(1);
        Param up = moe.params().get(2);
        Param down = moe.params().get(3);
        double[] a = new double[de];
        for (int j = 0; j < de; j++) {
            double g = 0;
            for (int c = 0; c < C; c++) {
                g += gate.w()[j * C + c] * x[c];
            }
            a[j] = Math.abs(g / (1 + Math.exp(-g)));
        }
        Integer[] order = new Integer[de];
        for (int j = 0; j < de; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (p, q) -> Double.compare(a[q], a[p]));
        java.util.Set<Integer> kept = java.util.Set.of(order[0], order[1], order[2]);
        float[] dout = gaussian(C, 10);
        float[] dinp = new float[C];
        moe.backward(k, dinp, dout);
        for (int j = 0; j < de; j++) {
            double gateRow = 0, upRow = 0, downCol = 0;
            for (int c = 0; c < C; c++) {
                gateRow += Math.abs(gate.g()[j * C + c]);
                upRow += Math.abs(up.g()[j * C + c]);
                downCol += Math.abs(down.g()[c * de + j]);
            }
            if (kept.contains(j)) {
                assertThat(gateRow + upRow + downCol).as("neuron %d in S", j).isGreaterThan(0);
            } else {
                assertThat(gateRow).as("W_gate row %d outside S", j).isZero();
                assertThat(upRow).as("W_up row %d outside S", j).isZero();
                assertThat(downCol).as("W_down column %d outside S", j).isZero();
            }
        }
        assertThat(moe.activatedNeurons()).isEqualTo(keep);
    }
}
