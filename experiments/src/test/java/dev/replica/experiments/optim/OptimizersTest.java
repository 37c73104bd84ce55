package dev.replica.experiments.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.data.Rng;
import dev.replica.experiments.train.Param;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OptimizersTest {

    static KernelBackend k;

    @BeforeAll
    static void backend() {
        k = KernelBackends.select("jvm").backend();
    }

    @AfterAll
    static void close() {
        k.close();
    }

    private static Param randomMatrix(String name, int m, int n, long seed) {
        Param p = Param.matrix(name, m, n, true, Rng.of(seed, 0), 1f);
        Rng.of(seed, 1).fillGaussian(p.g(), 1f);
        // uneven row scales, as real gradients have
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                p.g()[i * n + j] *= 1 + i % 5;
            }
        }
        return p;
    }

    private static double[] rowNorms(float[] u, int m, int n) {
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += (double) u[i * n + j] * u[i * n + j];
            }
            r[i] = Math.sqrt(s);
        }
        return r;
    }

    @Test
    void normuonFirstStepGivesEveryRowNormFrobeniusOverSqrtRows() {
        for (int[] shape : new int[][] {{12, 8}, {8, 12}}) {
            int m = shape[0], n = shape[1];
            Param p = randomMatrix("w", m, n, 7);
            float[] before = p.w().clone();
            ParamGroupOptimizer opt = new ParamGroupOptimizer(
                    List.of(p), OptimizerConfig.of("normuon", 0.02, 1, 0.95, 0.95, 0, "spectral"));
            opt.step(k, 1.0, true);
            // O = (W_before − W_after)/lr, already scaled by sqrt(max(1, m/n)); rows of the renormalized O
            float scale = (float) Math.sqrt(Math.max(1.0, (double) m / n));
            float[] o = new float[m * n];
            double fro = 0;
            for (int i = 0; i < m * n; i++) {
                o[i] = (before[i] - p.w()[i]) / 0.02f / scale;
                fro += (double) o[i] * o[i];
            }
            double expected = Math.sqrt(fro) / Math.sqrt(m);
            for (double r : rowNorms(o, m, n)) {
                assertThat(r).as("%dx%d row norm", m, n).isCloseTo(expected, within(2e-3 * expected));
            }
            assertThat(opt.rowNormCv().get("w")).isLessThan(1e-3);
        }
    }

    @Test
    void muonUpdateRowNormsAreUnevenWhereNormuonsAreNot() {
        Param a = randomMatrix("w", 32, 8, 3);
        Param b = randomMatrix("w", 32, 8, 3);
        ParamGroupOptimizer muon =
                new ParamGroupOptimizer(List.of(a), OptimizerConfig.of("muon", 0.02, 1, 0.95, 0.95, 0, "spectral"));
        ParamGroupOptimizer normuon =
                new ParamGroupOptimizer(List.of(b), OptimizerConfig.of("normuon", 0.02, 1, 0.95, 0.95, 0, "spectral"));
        muon.step(k, 1.0, true);
        normuon.step(k, 1.0, true);
        System.out.printf(
                "row-norm CV of the first update: Muon %.4f, NorMuon %.6f%n",
                muon.rowNormCv().get("w"), normuon.rowNormCv().get("w"));
        assertThat(muon.rowNormCv().get("w")).isGreaterThan(0.05);
        assertThat(normuon.rowNormCv().get("w")).isLessThan(1e-3);
    }

    @Test
    void onlyHiddenMatricesUseTheHiddenOptimizerAndOthersUseAdamW() {
        Param hidden = randomMatrix("hidden", 6, 4, 1);
        Param head = Param.matrix("head", 3, 6, false, Rng.of(2, 0), 1f);
        Param bias = Param.vector("bias", 6, 0f);
        Rng.of(3, 0).fillGaussian(head.g(), 1f);
        Rng.of(4, 0).fillGaussian(bias.g(), 1f);
        float[] headBefore = head.w().clone();
        ParamGroupOptimizer opt = new ParamGroupOptimizer(
                List.of(hidden, head, bias), OptimizerConfig.of("muon", 0.02, 1, 0.95, 0.95, 0, "spectral"));
        opt.step(k, 1.0, true);
        assertThat(opt.rowNormCv()).containsOnlyKeys("hidden");
        // AdamW's first step moves every coordinate by lr·sign(g) (bias-corrected m/sqrt(v) = ±1), lr 3e-4
        for (int i = 0; i < head.size(); i++) {
            assertThat(headBefore[i] - head.w()[i]).isCloseTo(3e-4f * Math.signum(head.g()[i]), within(1e-6f));
        }
        for (float v : bias.w()) {
            assertThat(Math.abs(v)).isCloseTo(3e-4f, within(1e-6f));
        }
    }

    @Test
    void rmsScaleSharesTheLearningRateWithTheAdamWGroup() {
        OptimizerConfig rms = OptimizerConfig.of("muon", 0.01, 2, 0.95, 0.95, 0, "rms");
        OptimizerConfig spectral = OptimizerConfig.of("muon", Double.NaN, 2, 0.95, 0.95, 0, "spectral");
        assertThat(rms.lr()).isEqualTo(0.02);
        assertThat(rms.restLr()).isEqualTo(0.02);
        assertThat(spectral.lr()).isEqualTo(0.04);
        assertThat(spectral.restLr()).isEqualTo(6e-4, within(1e-12));
    }

    @Test
    void schedulesWarmUpHoldAndDecay() {
        LrSchedule warmdown = LrSchedule.of("warmdown", 100, 10, 0.2);
        assertThat(warmdown.at(0)).isEqualTo(0.1);
        assertThat(warmdown.at(9)).isEqualTo(1.0);
        assertThat(warmdown.at(50)).isEqualTo(1.0);
        assertThat(warmdown.at(90)).isCloseTo(0.5, within(1e-12));
        assertThat(warmdown.at(99)).isCloseTo(0.05, within(1e-12));
        LrSchedule cosine = LrSchedule.of("cosine", 110, 10, 0);
        assertThat(cosine.at(10)).isEqualTo(1.0);
        assertThat(cosine.at(60)).isCloseTo(0.5, within(1e-12));
        assertThat(LrSchedule.of("constant", 10, 0, 0).at(9)).isEqualTo(1.0);
        assertThat(LrSchedule.of("warmup", 10, 4, 0).at(1)).isEqualTo(0.5);
    }
}
