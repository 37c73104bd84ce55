package dev.replica.experiments.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.data.Rng;
import dev.replica.experiments.optim.OptimizerConfig;
import dev.replica.experiments.optim.ParamGroupOptimizer;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OverfitOneBatchTest {

    static KernelBackend k;

    @BeforeAll
    static void backend() {
        k = KernelBackends.select("jvm").backend();
    }

    @AfterAll
    static void close() {
        k.close();
    }

    private static double[] overfit(Classifier m, String optimizer, int steps) {
        int B = 16;
        float[] x = new float[B * 10];
        Rng.of(5, 0).fillGaussian(x, 1f);
        int[] y = new int[B];
        for (int i = 0; i < B; i++) {
            y[i] = i % m.classes();
        }
        ParamGroupOptimizer opt = new ParamGroupOptimizer(
                m.params(),
                OptimizerConfig.of(
                        optimizer, Double.NaN, optimizer.equals("adamw") ? 30 : 1, 0.95, 0.95, 0, "spectral"));
        Loss loss = new Loss();
        double first = 0, last = 0;
        for (int s = 0; s < steps; s++) {
            m.zeroGrad();
            Loss.Value v = loss.compute(k, m.forward(k, x, B), y, B, m.classes(), true);
            m.backward(k, loss.dlogits(), B);
            opt.step(k, 1.0, false);
            if (s == 0) {
                first = v.loss();
            }
            last = v.loss();
        }
        return new double[] {first, last};
    }

    @Test
    void mlpOverfitsOneBatchWithEveryOptimizer() {
        for (String o : new String[] {"adamw", "muon", "normuon", "sgd"}) {
            double[] l = overfit(new Mlp(new int[] {10, 32, 32, 4}, Rng.of(1, 1)), o, 150);
            assertThat(l[1]).as("%s: loss %.4f -> %.4f", o, l[0], l[1]).isLessThan(0.05);
        }
    }

    @Test
    void moeAndMoneOverfitOneBatch() {
        double[] moe = overfit(new MoeClassifier(10, 16, 4, 4, 2, 16, 0, Rng.of(2, 1)), "adamw", 150);
        double[] mone = overfit(new MoeClassifier(10, 16, 4, 4, 2, 16, 8, Rng.of(2, 1)), "adamw", 150);
        assertThat(moe[1]).as("MoE loss %.4f -> %.4f", moe[0], moe[1]).isLessThan(0.05);
        assertThat(mone[1]).as("MoNE loss %.4f -> %.4f", mone[0], mone[1]).isLessThan(0.05);
    }

    @Test
    void transformerOverfitsOneBatch() {
        int V = 11, T = 8, B = 4;
        Transformer m = new Transformer(V, T, 16, 1, 2, Rng.of(3, 1));
        int[] tokens = new int[B * T];
        int[] targets = new int[B * T];
        Rng r = Rng.of(4, 0);
        for (int i = 0; i < B * T; i++) {
            tokens[i] = r.nextInt(V);
            targets[i] = r.nextInt(V);
        }
        ParamGroupOptimizer opt =
                new ParamGroupOptimizer(m.params(), OptimizerConfig.of("muon", Double.NaN, 1, 0.95, 0.95, 0, "rms"));
        Loss loss = new Loss();
        double first = 0, last = 0;
        for (int s = 0; s < 200; s++) {
            m.zeroGrad();
            Loss.Value v = loss.compute(k, m.forward(k, tokens, B, T), targets, B * T, V, true);
            m.backward(k, loss.dlogits());
            opt.step(k, 1.0, false);
            if (s == 0) {
                first = v.loss();
            }
            last = v.loss();
        }
        assertThat(last).as("transformer loss %.4f -> %.4f", first, last).isLessThan(0.1);
    }
}
