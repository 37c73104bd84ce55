package dev.replica.experiments.compare;

import static dev.replica.experiments.compare.Curves.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupsTest {
    private final List<RunInfo> runs = new ArrayList<>();
    private final Map<String, Points> points = new HashMap<>();

    private void addRuns(String optimizer, double lr, double offset) {
        for (long seed = 0; seed < 3; seed++) {
            String id = optimizer + "-" + lr + "-" + seed;
            runs.add(new RunInfo(id, Map.of("optimizer", optimizer, "lr", lr, "seed", seed), seed));
            points.put(id, line(id, 100, offset + seed, 0.0)); // seeds at offset, offset+1, offset+2
        }
    }

    @Test
    void groupsBySeedlessParamsAndAggregatesSeedsWithStudentTIntervals() {
        addRuns("adamw", 1e-3, 10);
        addRuns("muon", 1e-3, 5);
        Map<GroupKey, List<RunInfo>> groups = Grouping.bySeedlessParams(runs);
        assertThat(groups.keySet())
                .containsExactly(
                        GroupKey.of("lr", 1e-3, "optimizer", "adamw"), GroupKey.of("lr", 1e-3, "optimizer", "muon"));
        List<GroupSeries> series = GroupAggregator.withBuckets(10).aggregate(groups, points);
        GroupSeries adamw = series.get(0);
        assertThat(adamw.runCount()).isEqualTo(3);
        assertThat(adamw.x()).hasSize(10);
        assertThat(adamw.n()).containsOnly(3);
        assertThat(adamw.mean()[4]).isCloseTo(11.0, within(1e-12));
        assertThat(adamw.std()[4]).isCloseTo(1.0, within(1e-12));
        assertThat(adamw.stdErr()[4]).isCloseTo(1 / Math.sqrt(3), within(1e-12));
        // t(0.975, 2) = 4.302653
        assertThat(adamw.ciHigh()[4]).isCloseTo(11 + 4.302653 / Math.sqrt(3), within(1e-5));
        assertThat(series.get(1).mean()[0]).isCloseTo(6.0, within(1e-12));
        assertThat(Grouping.byParams(runs, Set.of("lr"))).hasSize(1);
    }

    @Test
    void efficiencyRatioReachesOrSaysItNeverDid() {
        int n = 1001;
        double[] x = new double[n];
        double[] base = new double[n];
        double[] fast = new double[n];
        double[] flat = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            base[i] = 1.0 / (1 + i);
            fast[i] = 1.0 / (1 + 2 * i);
            flat[i] = 0.5;
        }
        Points baseline = new Points("adamw", x, base);
        Efficiency e = Efficiency.of(
                baseline, new Points("normuon", x, fast), Efficiency.Goal.MINIMIZE, Efficiency.Target.FINAL);
        assertThat(e.target()).isEqualTo(1.0 / 1001);
        assertThat(e.baselineX()).isEqualTo(1000);
        assertThat(e.reached()).isTrue();
        assertThat(e.candidateX()).isEqualTo(500);
        assertThat(e.ratio()).isEqualTo(0.5);
        Efficiency never =
                Efficiency.of(baseline, new Points("sgd", x, flat), Efficiency.Goal.MINIMIZE, Efficiency.Target.BEST);
        assertThat(never.reached()).isFalse();
        assertThat(never.ratio()).isNull();
        assertThat(never.candidateX()).isNull();
        assertThat(never.candidateLastX()).isEqualTo(1000);
        Efficiency acc = Efficiency.of(
                new Points("a", new double[] {1, 2, 3}, new double[] {0.1, 0.9, 0.8}),
                new Points("b", new double[] {1, 2, 3}, new double[] {0.95, 0.2, 0.2}),
                Efficiency.Goal.MAXIMIZE,
                Efficiency.Target.BEST);
        assertThat(acc.baselineX()).isEqualTo(2);
        assertThat(acc.ratio()).isEqualTo(0.5);
    }
}
