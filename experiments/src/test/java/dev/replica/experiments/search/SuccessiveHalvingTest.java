package dev.replica.experiments.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.spec.MetricGoal.Goal;
import dev.replica.experiments.spec.SearchSpec.PruneOn;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {

    @Test
    void rungsFollowLiEtAlsGeometricScheduleBelowTheMaximum() {
        // Li et al. (2020), r = 1, R = 81, η = 3: rungs 1, 3, 9, 27; reaching 81 is finishing, not a rung
        Rungs rungs = new Rungs(1, 81L, 3);
        assertThat(List.of(rungs.resource(0, 0), rungs.resource(0, 1), rungs.resource(0, 2), rungs.resource(0, 3)))
                .containsExactly(1L, 3L, 9L, 27L);
        assertThat(rungs.resource(0, 4)).isEqualTo(-1);
        // bracket s starts at r·η^s: bracket 2 has rungs 9 and 27
        assertThat(rungs.resource(2, 0)).isEqualTo(9);
        assertThat(rungs.resource(2, 1)).isEqualTo(27);
        assertThat(rungs.resource(2, 2)).isEqualTo(-1);
        assertThat(rungs.passed(0, 0)).isZero();
        assertThat(rungs.passed(0, 1)).isEqualTo(1);
        assertThat(rungs.passed(0, 8)).isEqualTo(2);
        assertThat(rungs.passed(0, 500)).isEqualTo(4);
        assertThat(rungs.passed(2, 8)).isZero();
        // without a maximum the rungs go on: 100, 200, 400, …
        assertThat(new Rungs(100, null, 2).resource(0, 5)).isEqualTo(3200);
    }

    @Test
    void keepsTheTopCeilingOfNOverEtaOfThoseThatReachedTheRung() {
        // η = 3, rungs at steps 100 and 300; one seed per configuration; lower is better. Worked by hand:
        //   rung 0: A .5 (n=1, keep 1, cut-off .5) continues; B .7 (n=2, keep 1, cut-off .5) pruned;
        //           C .3 (n=3, keep 1, cut-off .3) continues; D .4 (n=4, keep 2, cut-off .4: a tie) continues;
        //           E .45 (n=5, keep 2, cut-off .4) pruned
        //   rung 1: A .35 (n=1) continues; C .2 (n=2, keep 1, cut-off .2) continues; D .38 (n=3, cut-off .2) pruned
        SuccessiveHalving sh = new SuccessiveHalving(new Rungs(100, 900L, 3), Goal.MIN, PruneOn.MEAN, 1);
        assertThat(sh.report("A", 0, 0, 50, 0.9)).isEmpty(); // below the first rung: nothing to decide
        assertDecision(sh.report("A", 0, 0, 100, 0.5), 0, false, 0.5, 1, 1);
        assertDecision(sh.report("B", 0, 0, 100, 0.7), 0, true, 0.5, 2, 2);
        assertDecision(sh.report("C", 0, 0, 120, 0.3), 0, false, 0.3, 1, 3);
        assertDecision(sh.report("D", 0, 0, 100, 0.4), 0, false, 0.4, 2, 4);
        assertDecision(sh.report("E", 0, 0, 100, 0.45), 0, true, 0.4, 3, 5);
        assertThat(sh.report("B", 0, 0, 300, 0.01))
                .as("a pruned configuration is not judged again")
                .isEmpty();
        assertDecision(sh.report("A", 0, 0, 300, 0.35), 1, false, 0.35, 1, 1);
        assertDecision(sh.report("C", 0, 0, 300, 0.2), 1, false, 0.2, 1, 2);
        assertDecision(sh.report("D", 0, 0, 310, 0.38), 1, true, 0.2, 3, 3);
        assertThat(sh.report("A", 0, 0, 900, 0.1))
                .as("900 is max_resource: the run has finished")
                .isEmpty();
        assertThat(sh.isPruned("B")).isTrue();
        assertThat(sh.isPruned("C")).isFalse();
    }

    @Test
    void higherIsBetterWhenTheGoalIsMax() {
        SuccessiveHalving sh = new SuccessiveHalving(new Rungs(10, null, 2), Goal.MAX, PruneOn.MEAN, 1);
        assertDecision(sh.report("A", 0, 0, 10, 0.6), 0, false, 0.6, 1, 1);
        // n = 2, η = 2: keep 1, the cut-off is the higher accuracy
        assertDecision(sh.report("B", 0, 0, 10, 0.8), 0, false, 0.8, 1, 2);
        assertDecision(sh.report("C", 0, 0, 10, 0.7), 0, false, 0.7, 2, 3); // n=3 keeps 2: .8, .7
        assertDecision(sh.report("D", 0, 0, 10, 0.65), 0, true, 0.7, 3, 4);
    }

    @Test
    void aRunThatJumpsSeveralRungsIsJudgedAtEachInTurnAndStopsAtItsPrune() {
        SuccessiveHalving sh = new SuccessiveHalving(new Rungs(1, null, 2), Goal.MIN, PruneOn.MEAN, 1);
        sh.report("A", 0, 0, 4, 1.0); // rungs 1, 2, 4: first at each
        List<RungDecision> b = sh.report("B", 0, 0, 4, 2.0); // worse: pruned at rung 0 already
        assertThat(b).hasSize(1);
        assertThat(b.get(0).pruned()).isTrue();
        assertThat(b.get(0).rung()).isZero();
    }

    @Test
    void aConfigurationIsJudgedOnceAllItsSeedsReachedTheRungByTheirMean() {
        SuccessiveHalving sh = new SuccessiveHalving(new Rungs(100, null, 3), Goal.MIN, PruneOn.MEAN, 2);
        assertThat(sh.report("A", 0, 7, 100, 1.0)).isEmpty();
        assertThat(sh.report("A", 0, 8, 150, 3.0)).hasSize(1);
        assertThat(sh.report("B", 0, 7, 100, 1.5)).isEmpty();
        // B's seeds: 1.5 and 1.5, mean 1.5, better than A's mean 2.0, so B continues and A's cut-off was its own
        List<RungDecision> d = sh.report("B", 0, 8, 100, 1.5);
        assertThat(d.get(0).pruned()).isFalse();
        assertThat(d.get(0).mean()).isEqualTo(1.5);
        assertThat(d.get(0).seeds()).containsExactly(1.5, 1.5);
        assertThat(d.get(0).ciLow()).isEqualTo(1.5);
        // C: 2.0 and 2.4, mean 2.2, n = 3, keep 1 (cut-off 1.5): pruned
        sh.report("C", 0, 8, 100, 2.4);
        RungDecision c = sh.report("C", 0, 7, 100, 2.0).get(0);
        assertThat(c.pruned()).isTrue();
        assertThat(c.seeds()).as("in seed order").containsExactly(2.0, 2.4);
        assertThat(c.mean()).isCloseTo(2.2, within(1e-12));
    }

    @Test
    void anOutlierSeedPrunesByMeanButNotBeyondItsConfidenceInterval() {
        // A: 1.0, 1.0, 1.0. B: 1.1, 1.2 and an outlier seed at 3.0 (mean 1.7667, sd 1.0693, se 0.6173,
        // t(2, 0.975) = 4.3027: 95% CI -0.8895 … 4.4229). C: 1.5, 1.6, 1.7, consistently worse (mean 1.6,
        // se 0.0577: CI 1.3516 … 1.8484). Rung cut-off after A: 1.0.
        for (PruneOn rule : PruneOn.values()) {
            SuccessiveHalving sh = new SuccessiveHalving(new Rungs(100, null, 3), Goal.MIN, rule, 3);
            reportSeeds(sh, "A", 1.0, 1.0, 1.0);
            RungDecision b = reportSeeds(sh, "B", 1.1, 1.2, 3.0);
            RungDecision c = reportSeeds(sh, "C", 1.5, 1.6, 1.7);
            assertThat(b.mean()).isCloseTo(1.76667, within(1e-4));
            assertThat(b.ciLow()).isCloseTo(-0.8895, within(1e-3));
            assertThat(b.ciHigh()).isCloseTo(4.4229, within(1e-3));
            assertThat(c.ciLow()).isCloseTo(1.3516, within(1e-3));
            assertThat(b.cutoff()).isEqualTo(1.0);
            assertThat(b.pruned()).as("B under prune_on: " + rule.label()).isEqualTo(rule == PruneOn.MEAN);
            assertThat(c.pruned()).as("C under prune_on: " + rule.label()).isTrue();
        }
    }

    @Test
    void aDivergedSeedCountsAsTheWorstValue() {
        SuccessiveHalving sh = new SuccessiveHalving(new Rungs(100, null, 3), Goal.MIN, PruneOn.UPPER_CI, 2);
        sh.report("A", 0, 0, 100, 5.0);
        sh.report("A", 0, 1, 100, 5.0);
        sh.report("B", 0, 0, 100, 0.1);
        RungDecision b = sh.report("B", 0, 1, 100, Double.NaN).get(0);
        assertThat(b.mean()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(b.pruned()).isTrue();
    }

    @Test
    void bracketsKeepSeparateRungs() {
        SuccessiveHalving sh = new SuccessiveHalving(new Rungs(1, 27L, 3), Goal.MIN, PruneOn.MEAN, 1);
        assertDecision(sh.report("A", 0, 0, 1, 0.1), 0, false, 0.1, 1, 1); // bracket 0, rung 0 (at 1)
        List<RungDecision> a = sh.report("A", 0, 0, 1, 0.1);
        assertThat(a).as("the same report twice decides nothing new").isEmpty();
        // bracket 1 starts at 3: B is the first there, so it continues although A was better at 3
        assertDecision(sh.report("B", 1, 0, 3, 0.9), 0, false, 0.9, 1, 1);
        assertThat(sh.report("C", 1, 0, 3, 1.0).get(0).pruned()).isTrue();
    }

    private static RungDecision reportSeeds(SuccessiveHalving sh, String config, double... values) {
        List<RungDecision> last = List.of();
        for (int seed = 0; seed < values.length; seed++) {
            last = sh.report(config, 0, seed, 100, values[seed]);
            assertThat(last.isEmpty()).isEqualTo(seed < values.length - 1);
        }
        return last.get(0);
    }

    private static void assertDecision(
            List<RungDecision> decisions, int rung, boolean pruned, double cutoff, int rank, int reached) {
        assertThat(decisions).hasSize(1);
        RungDecision d = decisions.get(0);
        assertThat(d.rung()).as("rung").isEqualTo(rung);
        assertThat(d.pruned()).as(d.describe("step")).isEqualTo(pruned);
        assertThat(d.cutoff()).as("cut-off").isEqualTo(cutoff);
        assertThat(d.rank()).as("rank").isEqualTo(rank);
        assertThat(d.reached()).as("reached").isEqualTo(reached);
    }
}
