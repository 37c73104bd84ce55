package dev.replica.experiments.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.rl.Policy;
import dev.replica.experiments.train.Transformer;
import org.junit.jupiter.api.Test;

class RlvrSelectionTest {

    @Test
    void selectsTheExampleWhoseAccuracyHistoryVariesMost() {
        double[][] history = {
            {0.0, 0.0, 0.0, 0.0, 0.0}, // never solved
            {0.0, 0.25, 0.5, 0.75, 1.0}, // learned during training: std 0.354
            {1.0, 1.0, 1.0, 1.0, 1.0}, // always solved
            {0.5, 0.5, 0.5, 0.5, 0.5}
        };
        assertThat(RlvrKind.selectExample(history, 5)).isEqualTo(1);
        // the lowest-variance control: the first of the three constant histories
        assertThat(RlvrKind.selectLowest(history, 5)).isZero();
        double[][] noisy = {{0.0, 1.0, 0.0}, {0.5, 0.75, 0.5}, {1.0, 0.0, 1.0}};
        assertThat(RlvrKind.selectLowest(noisy, 3)).isEqualTo(1);
        assertThat(RlvrKind.selectExample(noisy, 3)).isZero();
        assertThat(RlvrKind.std(history[1], 5)).isCloseTo(Math.sqrt(0.125), within(1e-12));
    }

    @Test
    void responseMaskCoversAnswerTokensUpToTheFirstEndToken() {
        Addition add = new Addition(2);
        Policy policy = new Policy(new Transformer(Addition.VOCAB, add.length() - 1, 8, 1, 1, Rng.of(0, 0)), add);
        int[] seq = add.sequence(new Addition.Problem(47, 38), Addition.Flaw.NONE); // 47+38=580$ (85 reversed, 0)
        int T = add.length() - 1;
        int[] in = new int[T];
        int[] tg = new int[T];
        float[] mask = new float[T];
        policy.inputsTargetsMask(seq, 1, in, tg, mask);
        assertThat(Addition.render(seq, 0, seq.length)).isEqualTo("47+38=580$");
        // positions 5..8 predict '5','8','0','$'; earlier positions predict prompt tokens
        assertThat(mask).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(tg[8]).isEqualTo(Addition.END);
        seq[7] = Addition.END; // an early end: the rest of the response is not trained on
        policy.inputsTargetsMask(seq, 1, in, tg, mask);
        assertThat(mask).containsExactly(0, 0, 0, 0, 0, 1, 1, 0, 0);
    }
}
