package dev.replica.experiments.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.data.Rng;
import org.junit.jupiter.api.Test;

class GrpoTest {

    @Test
    void advantagesAreNormalizedWithinEachGroup() {
        float[] a = Grpo.advantages(new float[] {1, 0, 0, 0, 1, 1, 0, 0}, 4);
        double std1 = Math.sqrt(0.25 * 0.75);
        assertThat(a[0]).isCloseTo((float) (0.75 / (std1 + 1e-6)), within(1e-5f));
        assertThat(a[1]).isCloseTo((float) (-0.25 / (std1 + 1e-6)), within(1e-5f));
        assertThat(a[4]).isCloseTo((float) (0.5 / (0.5 + 1e-6)), within(1e-5f));
        for (int g = 0; g < 2; g++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < 4; i++) {
                mean += a[g * 4 + i];
                sq += a[g * 4 + i] * a[g * 4 + i];
            }
            assertThat(mean).isCloseTo(0, within(1e-5));
            assertThat(Math.sqrt(sq / 4)).isCloseTo(1, within(1e-4));
        }
    }

    @Test
    void groupsWithEqualRewardsGetZeroAdvantage() {
        assertThat(Grpo.advantages(new float[] {1, 1, 1, 0, 0, 0}, 3)).containsOnly(0f);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheLoss() {
        int N = 6, V = 5;
        float[] logits = new float[N * V];
        Rng.of(1, 0).fillGaussian(logits, 1f);
        int[] tokens = {0, 3, 1, 4, 2, 2};
        float[] mask = {1, 1, 0, 1, 1, 1};
        float[] adv = {1.2f, 1.2f, 1.2f, -0.7f, -0.7f, 0.3f};
        float[] old = Grpo.logProbs(logits, tokens, mask, N, V, 0.6);
        for (int i = 0; i < N; i++) {
            old[i] += 0.05f * (i % 3 - 1); // ρ ≠ 1, inside and outside the clip range
        }
        float[] ref = old.clone();
        for (int i = 0; i < N; i++) {
            ref[i] -= 0.3f;
        }
        Grpo.Config cfg = new Grpo.Config(1.0, 0.01, 0.05, 0.02, 0.6);
        float[] d = new float[N * V];
        Grpo.lossAndGrad(cfg, d, logits, tokens, mask, adv, old, ref, N, V);
        float eps = 1e-3f;
        for (int i = 0; i < N * V; i++) {
            float o = logits[i];
            logits[i] = o + eps;
            double up = Grpo.lossAndGrad(cfg, new float[N * V], logits, tokens, mask, adv, old, ref, N, V)
                    .loss();
            logits[i] = o - eps;
            double down = Grpo.lossAndGrad(cfg, new float[N * V], logits, tokens, mask, adv, old, ref, N, V)
                    .loss();
            logits[i] = o;
            assertThat(d[i]).as("dlogits[%d]", i).isCloseTo((float) ((up - down) / (2 * eps)), within(2e-3f));
        }
    }

    @Test
    void entropyOnlyStepRaisesEntropy() {
        int N = 4, V = 6;
        float[] logits = new float[N * V];
        Rng.of(2, 0).fillGaussian(logits, 2f);
        int[] tokens = {1, 2, 3, 4};
        float[] mask = {1, 1, 1, 1};
        float[] adv = {1, -1, 1, -1};
        float[] lp = Grpo.logProbs(logits, tokens, mask, N, V, 1.0);
        Grpo.Config entropyOnly = new Grpo.Config(0, 0.1, 0, 0.2, 1.0);
        float[] d = new float[N * V];
        double before = Grpo.lossAndGrad(entropyOnly, d, logits, tokens, mask, adv, lp, lp, N, V)
                .entropy();
        for (int i = 0; i < logits.length; i++) {
            logits[i] -= 1.0f * d[i];
        }
        double after = Grpo.lossAndGrad(entropyOnly, new float[N * V], logits, tokens, mask, adv, lp, lp, N, V)
                .entropy();
        assertThat(after).isGreaterThan(before);
    }
}
