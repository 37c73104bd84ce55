package dev.replica.experiments.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PassAtKTest {

    @Test
    void matchesHandComputedValues() {
        // n=5, c=2: pass@1 = c/n; pass@2 = 1 − C(3,2)/C(5,2) = 1 − 3/10
        assertThat(PassAtK.estimate(5, 2, 1)).isCloseTo(0.4, within(1e-12));
        assertThat(PassAtK.estimate(5, 2, 2)).isCloseTo(0.7, within(1e-12));
        // n=10, c=3, k=5: 1 − C(7,5)/C(10,5) = 1 − 21/252
        assertThat(PassAtK.estimate(10, 3, 5)).isCloseTo(1 - 21.0 / 252, within(1e-12));
        // n=16, c=1, k=8: 1 − C(15,8)/C(16,8) = 8/16
        assertThat(PassAtK.estimate(16, 1, 8)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void isOneWhenFewerThanKSamplesAreWrongAndZeroWithoutCorrectOnes() {
        assertThat(PassAtK.estimate(4, 3, 2)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(16, 16, 16)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(16, 0, 8)).isEqualTo(0.0);
    }

    @Test
    void averagesOverProblems() {
        assertThat(PassAtK.mean(5, new int[] {2, 0, 5}, 1)).isCloseTo((0.4 + 0 + 1) / 3, within(1e-12));
    }

    @Test
    void rejectsKLargerThanN() {
        assertThatThrownBy(() -> PassAtK.estimate(4, 1, 5)).hasMessageContaining("1 ≤ k ≤ n");
    }
}
