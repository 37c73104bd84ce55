package dev.replica.experiments.rl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.ProblemSynthesis;
import dev.replica.experiments.data.Rng;
import dev.replica.experiments.train.Transformer;
import org.junit.jupiter.api.Test;

class SelfPlaySynthesisTest {

    private final Addition add = new Addition(2);
    private final ProblemSynthesis syn = new ProblemSynthesis(add);

    @Test
    void synthesisSequenceWritesTheAnswerThenAProblemWithThatSum() {
        int[] seq = syn.sequence(new Addition.Problem(47, 38), Rng.of(3, 0)); // answer 85: prompt "=580+"
        assertThat(seq).hasSize(add.length());
        String text = Addition.render(seq, 0, seq.length);
        assertThat(text).startsWith("=580+").endsWith("$").hasSize(10);
        Addition.Problem p = syn.parse(seq, syn.promptLength()).orElseThrow();
        assertThat(p.sum()).isEqualTo(85);
        assertThat(syn.promptAnswer(seq, 0)).isEqualTo(85);
        // every split of 198 = 99 + 99 keeps both operands at two digits
        for (int i = 0; i < 20; i++) {
            Addition.Problem q = syn.parse(syn.sequence(new Addition.Problem(99, 99), Rng.of(i, 0)), 5)
                    .orElseThrow();
            assertThat(q).isEqualTo(new Addition.Problem(99, 99));
        }
    }

    @Test
    void parsesOnlyTwoOperandsOfDigitsThenTheEndToken() {
        int[] seq = new int[add.length()];
        syn.writePrompt(85, seq, 0);
        int[] resp = {4, 0, 4, 5, Addition.END};
        System.arraycopy(resp, 0, seq, 5, 5);
        assertThat(Addition.render(seq, 0, seq.length)).isEqualTo("=580+4045$");
        assertThat(syn.parse(seq, 5)).contains(new Addition.Problem(40, 45));
        seq[9] = 3; // no end token
        assertThat(syn.parse(seq, 5)).isEmpty();
        seq[9] = Addition.END;
        seq[6] = Addition.PLUS; // a non-digit operand token
        assertThat(syn.parse(seq, 5)).isEmpty();
    }

    @Test
    void bandsAreInclusiveOneToFourOfEightForSolvingAndOneToFiveForSynthesis() {
        for (int c = 0; c <= 8; c++) {
            assertThat(SelfPlaySynthesis.inBand(c, 8, SelfPlaySynthesis.SOLVE_LOW, SelfPlaySynthesis.SOLVE_HIGH))
                    .as("solve %d of 8", c)
                    .isEqualTo(c >= 1 && c <= 4);
            assertThat(SelfPlaySynthesis.inBand(c, 8, SelfPlaySynthesis.SYNTH_LOW, SelfPlaySynthesis.SYNTH_HIGH))
                    .as("synthesis %d of 8", c)
                    .isEqualTo(c >= 1 && c <= 5);
        }
    }

    @Test
    void responseMaskStartsAfterEachRowsOwnPrompt() {
        Policy policy = new Policy(new Transformer(Addition.VOCAB, add.length() - 1, 8, 1, 1, Rng.of(0, 0)), add);
        int L = add.length();
        int T = L - 1;
        int[] seqs = new int[2 * L];
        System.arraycopy(add.sequence(new Addition.Problem(47, 38), Addition.Flaw.NONE), 0, seqs, 0, L);
        System.arraycopy(syn.sequence(new Addition.Problem(47, 38), Rng.of(1, 0)), 0, seqs, L, L);
        int[] in = new int[2 * T];
        int[] tg = new int[2 * T];
        float[] mask = new float[2 * T];
        policy.inputsTargetsMask(seqs, 2, in, tg, mask, new int[] {add.promptLength(), syn.promptLength()});
        // solve row: positions 5..8 predict the answer; synthesis row: positions 4..8 predict 4 digits and END
        assertThat(java.util.Arrays.copyOfRange(mask, 0, T)).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(java.util.Arrays.copyOfRange(mask, T, 2 * T)).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 1);
    }
}
