package dev.replica.experiments.compare;

import static dev.replica.experiments.compare.Curves.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.compare.Efficiency.Goal;
import dev.replica.experiments.compare.Efficiency.Target;
import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.List;
import org.junit.jupiter.api.Test;

class EfficiencyEstimateTest {
    /*
     * Baseline seeds A: y = 20 - x and B: y = 24 - x on x = 0..20, so the seed-mean's final value
     * (x = 20) is 0 for {A, A}, 2 for {A, B} and 4 for {B, B}. The candidate (two identical seeds,
     * y = 20 - 2x) reaches 0 at x = 10, 2 at x = 9 and 4 at x = 8: efficiencies 0.5, 0.55 and 0.6.
     * The point estimate uses {A, B}: 0.55. A bootstrap resample is {A,A} or {B,B} with probability
     * 1/4 each, so with 1,000 resamples both extremes lie beyond the 2.5% tails: the 95% interval is
     * exactly [0.5, 0.6].
     */
    @Test
    void pointEstimateAndBootstrapIntervalMatchHandComputedValues() {
        List<Points> baseline = List.of(line("a", 21, 20, -1), line("b", 21, 24, -1));
        List<Points> candidate = List.of(line("c1", 21, 20, -2), line("c2", 21, 20, -2));

        EfficiencyEstimate.Result r =
                EfficiencyEstimate.estimate(baseline, candidate, Goal.MINIMIZE, Target.FINAL, 0.95);

        assertThat(r.point().target()).isEqualTo(2.0);
        assertThat(r.point().baselineX()).isEqualTo(20.0);
        assertThat(r.point().candidateX()).isEqualTo(9.0);
        assertThat(r.value()).isCloseTo(0.55, within(1e-12));
        assertThat(r.ciLow()).isCloseTo(0.5, within(1e-12));
        assertThat(r.ciHigh()).isCloseTo(0.6, within(1e-12));
        assertThat(r.reachedFraction()).isEqualTo(1.0);
        assertThat(r.resamples()).isEqualTo(EfficiencyEstimate.RESAMPLES);
    }

    @Test
    void isDeterministic() {
        List<Points> baseline = List.of(line("a", 50, 10, -0.1), line("b", 50, 10.5, -0.12), line("c", 50, 9.7, -0.09));
        List<Points> candidate =
                List.of(line("d", 50, 10, -0.2), line("e", 50, 10.3, -0.18), line("f", 50, 9.8, -0.21));
        EfficiencyEstimate.Result first =
                EfficiencyEstimate.estimate(baseline, candidate, Goal.MINIMIZE, Target.FINAL, 0.95);
        EfficiencyEstimate.Result second =
                EfficiencyEstimate.estimate(baseline, candidate, Goal.MINIMIZE, Target.FINAL, 0.95);
        assertThat(second).isEqualTo(first);
        assertThat(first.ciLow()).isLessThanOrEqualTo(first.value());
        assertThat(first.ciHigh()).isGreaterThanOrEqualTo(first.value());
        assertThat(first.ciHigh()).isGreaterThan(first.ciLow());
    }

    @Test
    void aCandidateThatNeverReachesHasNoValueAndUnboundedInterval() {
        List<Points> baseline = List.of(line("a", 21, 20, -1), line("b", 21, 20, -1));
        List<Points> candidate = List.of(line("c", 21, 20, -0.5), line("d", 21, 20, -0.4));
        EfficiencyEstimate.Result r =
                EfficiencyEstimate.estimate(baseline, candidate, Goal.MINIMIZE, Target.FINAL, 0.95);
        assertThat(r.point().reached()).isFalse();
        assertThat(r.value()).isNull();
        assertThat(r.ciLow()).isNull();
        assertThat(r.ciHigh()).isNull();
        assertThat(r.reachedFraction()).isZero();
    }

    @Test
    void maximizingMetricsReachUpwards() {
        // Baseline accuracy climbs to 0.8 at x = 40; the candidate (0.02 per step) gets there at x = 40 * 0.5.
        List<Points> baseline = List.of(line("a", 41, 0, 0.02), line("b", 41, 0, 0.02));
        List<Points> candidate = List.of(line("c", 41, 0, 0.04), line("d", 41, 0, 0.04));
        EfficiencyEstimate.Result r =
                EfficiencyEstimate.estimate(baseline, candidate, Goal.MAXIMIZE, Target.FINAL, 0.95);
        assertThat(r.value()).isCloseTo(0.5, within(1e-12));
        assertThat(r.ciLow()).isCloseTo(0.5, within(1e-12));
        assertThat(r.ciHigh()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void singleRunGroupsGetAPointEstimateWithoutInterval() {
        EfficiencyEstimate.Result r = EfficiencyEstimate.estimate(
                List.of(line("a", 21, 20, -1)), List.of(line("c", 21, 20, -2)), Goal.MINIMIZE, Target.FINAL, 0.95);
        assertThat(r.value()).isCloseTo(0.5, within(1e-12));
        assertThat(r.ciLow()).isNull();
        assertThat(r.resamples()).isZero();
    }

    @Test
    void seedsWithDifferentStepsAreAveragedWhereTheyHaveValues() {
        // Seed b logs every other step; the mean at odd steps is seed a's value alone.
        Points a = line("a", 11, 10, -1);
        Points b = new Points("b", new double[] {0, 2, 4, 6, 8, 10}, new double[] {10, 8, 6, 4, 2, 0});
        double[][] on = EfficiencyEstimate.onGrid(List.of(a, b), EfficiencyEstimate.grid(List.of(a), List.of(b)));
        assertThat(on[1][1]).isNaN();
        assertThat(on[1][2]).isEqualTo(8.0);
        assertThat(on[0][1]).isEqualTo(9.0);
    }

    @Test
    void longRunsAreAveragedIntoBuckets() {
        int n = EfficiencyEstimate.MAX_GRID * 3;
        EfficiencyEstimate.Grid grid =
                EfficiencyEstimate.grid(List.of(line("a", n, 0, 1)), List.of(line("b", n, 0, 1)));
        assertThat(grid.buckets()).isTrue();
        assertThat(grid.x()).hasSize(EfficiencyEstimate.MAX_GRID);
        assertThat(grid.x()[grid.x().length - 1]).isEqualTo(n - 1.0);
        EfficiencyEstimate.Result r = EfficiencyEstimate.estimate(
                List.of(line("a", n, n, -1)), List.of(line("c", n, n, -2)), Goal.MINIMIZE, Target.FINAL, 0.95);
        assertThat(r.value()).isCloseTo(0.5, within(0.001));
    }

    @Test
    void rejectsEmptyGroups() {
        assertThatThrownBy(() -> EfficiencyEstimate.estimate(
                        List.of(), List.of(line("c", 3, 0, 1)), Goal.MINIMIZE, Target.FINAL, 0.95))
                .hasMessageContaining("at least one run");
    }
}
