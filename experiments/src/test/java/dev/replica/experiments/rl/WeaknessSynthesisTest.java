package dev.replica.experiments.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.Rng;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WeaknessSynthesisTest {

    private final Addition add = new Addition(2);

    @Test
    void countsCarriesOfColumnAddition() {
        assertThat(add.carries(new Addition.Problem(12, 34))).isZero();
        assertThat(add.carries(new Addition.Problem(47, 38))).isEqualTo(1); // 7+8 carries, 4+3+1 does not
        assertThat(add.carries(new Addition.Problem(99, 1))).isEqualTo(2); // 9+1, then 9+0+1
        assertThat(add.carries(new Addition.Problem(50, 50))).isEqualTo(1);
    }

    @Test
    void aProblemIsWeakWhenItsBestStaysUnderHalfAndItsTrendFalls() {
        // slope of (0.375, 0.25, 0.125) is −0.125 per epoch
        assertThat(WeaknessSynthesis.slope(new double[] {0.375, 0.25, 0.125})).isCloseTo(-0.125, within(1e-12));
        assertThat(WeaknessSynthesis.weak(new double[] {0.375, 0.25, 0.125})).isTrue();
        assertThat(WeaknessSynthesis.weak(new double[] {0.125, 0.25, 0.375}))
                .as("rising")
                .isFalse();
        assertThat(WeaknessSynthesis.weak(new double[] {0.5, 0.25, 0.0}))
                .as("best reached 0.5")
                .isFalse();
        assertThat(WeaknessSynthesis.weak(new double[] {0.0, 0.0, 0.0}))
                .as("flat")
                .isFalse();
    }

    @Test
    void failureRateIsTheShareOfWeakProblemsPerCarryCount() {
        List<Addition.Problem> pool = List.of(
                new Addition.Problem(12, 34), // 0 carries, weak
                new Addition.Problem(11, 11), // 0 carries
                new Addition.Problem(47, 38), // 1 carry, weak
                new Addition.Problem(99, 1)); // 2 carries
        double[][] history = {{0.25, 0.0}, {1.0, 1.0}, {0.25, 0.125}, {0.0, 0.25}};
        assertThat(WeaknessSynthesis.failureRates(add, pool, history)).containsExactly(0.5, 1.0, 0.0);
    }

    @Test
    void allocatesTheBudgetInProportionByLargestRemainder() {
        assertThat(WeaknessSynthesis.allocate(new double[] {0.5, 1.0, 0.0}, 32)).containsExactly(11, 21, 0);
        assertThat(WeaknessSynthesis.allocate(new double[] {1, 1, 1}, 32)).containsExactly(11, 11, 10);
        assertThat(WeaknessSynthesis.allocate(new double[] {0, 0, 0}, 32)).containsExactly(0, 0, 0);
    }

    @Test
    void synthesizesDistinctNewProblemsOfEachCategory() {
        Set<Addition.Problem> exclude = Set.of(new Addition.Problem(99, 1));
        List<Addition.Problem> made = WeaknessSynthesis.synthesize(add, new int[] {3, 0, 4}, exclude, Rng.of(1, 0));
        assertThat(made).hasSize(7).doesNotHaveDuplicates().doesNotContain(new Addition.Problem(99, 1));
        assertThat(made.subList(0, 3))
                .allSatisfy(p -> assertThat(add.carries(p)).isZero());
        assertThat(made.subList(3, 7))
                .allSatisfy(p -> assertThat(add.carries(p)).isEqualTo(2));
    }
}
