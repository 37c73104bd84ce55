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
    void moeGradientsWithTheLoadBalancingLossMatchFiniteDifferences() {
        for (int neuronK : new int[] {0, 5}) {
            MoeClassifier m = new MoeClassifier(6, 8, 3, 4, 2, 10, neuronK, Rng.of(11, 1));
            double alpha = 0.7;
            m.moe().setBalanceCoeff(alpha);
            float[] x = gaussian(5 * 6, 12);
            int[] y = {0, 1, 2, 1, 0};
            m.zeroGrad();
            classifierLoss(m, x, y, 5, true);
            // the loss checked is CE + α·L_bal: the router gradient must carry the balance term
            GradientCheck.check(
                    m.params(),
                    () -> classifierLoss(m, x, y, 5, false) + alpha * m.moe().balanceLoss(),
                    3,
                    1e-3f,
                    3e-2);
        }
    }

    @Test
    void balanceLossIsExpertsTimesSlotShareDotMeanRouterProbability() {
        // C = 1, E = 2, top-1, router weights (1, -1): logits ±x; tokens x = 1, 2, -1 pick experts 0, 0, 1
        MoeLayer moe = new MoeLayer("moe", 1, 2, 1, 2, 0, Rng.of(0, 1));
        moe.params().get(0).w()[0] = 1f;
        moe.params().get(0).w()[1] = -1f;
        moe.forward(k, new float[3], new float[] {1f, 2f, -1f}, 3);
        // p_0 = sigmoid(2x): sigmoid(2) = 0.8807970779778823, sigmoid(4) = 0.9820137900379085, sigmoid(-2) =
        // 0.11920292202211755
        double p0 = (0.8807970779778823 + 0.9820137900379085 + 0.11920292202211755) / 3;
        double expected = 2 * (2.0 / 3 * p0 + 1.0 / 3 * (1 - p0));
        assertThat(moe.balanceLoss()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(moe.load()).containsExactly(2.0 / 3, 1.0 / 3);
        // the load count spans forwards until reset
        moe.forward(k, new float[1], new float[] {-3f}, 1);
        assertThat(moe.loadSinceReset()).containsExactly(0.5, 0.5);
        moe.resetLoadCount();
        moe.forward(k, new float[1], new float[] {-3f}, 1);
        assertThat(moe.loadSinceReset()).containsExactly(0.0, 1.0);
    }

    @Test
    void balanceCoefficientMustBeFiniteAndNonNegative() {
        MoeLayer moe = new MoeLayer("moe", 2, 2, 1, 2, 0, Rng.of(0, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> moe.setBalanceCoeff(-0.1))
                .hasMessage("balance coefficient must be finite and non-negative: -0.1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> moe.setBalanceCoeff(Double.NaN))
                .hasMessage("balance coefficient must be finite and non-negative: NaN");
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
