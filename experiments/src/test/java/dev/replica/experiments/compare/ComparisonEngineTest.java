package dev.replica.experiments.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.replica.experiments.compare.ComparisonReport.Group;
import dev.replica.experiments.compare.ComparisonReport.RunValue;
import dev.replica.experiments.compare.ComparisonReport.Status;
import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonEngineTest {

    private final List<ComparisonRun> runs = new ArrayList<>();

    /** A finished run of {@code optimizer} whose metric is {@code y} at steps 10, 20, 30, … */
    private void run(String optimizer, long seed, double... y) {
        run(Map.of("optimizer", optimizer), seed, "SUCCEEDED", y);
    }

    private void run(Map<String, Object> params, long seed, String state, double... y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = 10 * (i + 1);
        }
        String id = Integer.toString(runs.size() + 1);
        runs.add(new ComparisonRun(id, params, seed, state, new Points(id, x, y), null));
    }

    private static ComparisonQuestion question(String value, Map<String, Object> baseline, String efficiency) {
        return new ComparisonQuestion("loss", PerRunValue.parse(value), List.of(), baseline, true, efficiency, 0.95);
    }

    private static Group group(ComparisonReport r, String label) {
        return r.group(label).orElseThrow(() -> new AssertionError("no group " + label + " in " + r.groups()));
    }

    @Test
    void anAllEqualCandidateHasPOneAndStillCountsInTheHolmFamily() {
        // baseline {1,1,1}; "same" {1,1,1} (all equal); "worse" {2,3,4}.
        for (long s = 0; s < 3; s++) {
            run("adamw", s, 5, 1);
            run("same", s, 5, 1);
            run("worse", s, 5, 2 + s);
        }
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw"), null));
        Group same = group(r, "optimizer=same");
        Group worse = group(r, "optimizer=worse");
        assertThat(same.welchP()).isEqualTo(1.0);
        assertThat(same.mannWhitneyP()).isEqualTo(1.0);
        // Welch with df = 2 exactly (the baseline has no spread): t = 2 / sqrt(1/3), and the two-sided p of
        // Student's t with 2 df is 1 - |t| / sqrt(t² + 2) = 0.0741799...
        double t = 2 / Math.sqrt(1.0 / 3);
        double welch = 1 - t / Math.sqrt(t * t + 2);
        assertThat(worse.welchP()).isCloseTo(welch, within(1e-9));
        // Holm over both candidates: 2 × p, never p alone (the family has two members, not one).
        assertThat(worse.welchPHolm()).isCloseTo(2 * welch, within(1e-9));
        assertThat(same.welchPHolm()).isEqualTo(1.0);
        // Mann–Whitney with ties, normal approximation with continuity correction: U = 0, mean 4.5,
        // variance 9/12 × (7 − 24/30) = 4.65, z = 4 / sqrt(4.65); p = erfc(z / √2) = 0.0636026 (Python's math.erfc).
        assertThat(worse.mannWhitneyP()).isCloseTo(0.06360256962075364, within(1e-9));
        assertThat(worse.mannWhitneyPHolm()).isCloseTo(0.12720513924150728, within(1e-9));
        assertThat(group(r, "optimizer=adamw").baseline()).isTrue();
        assertThat(group(r, "optimizer=adamw").welchP()).isNull();
    }

    @Test
    void twoConstantDifferentSamplesAreSignificantLikeSciPy() {
        for (long s = 0; s < 3; s++) {
            run("adamw", s, 1);
            run("muon", s, 0.5);
        }
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw"), null));
        assertThat(group(r, "optimizer=muon").welchP()).isEqualTo(0.0);
        assertThat(group(r, "optimizer=muon").hedgesG()).isNull(); // no spread: undefined, not ±∞
        assertThat(group(r, "optimizer=muon").mean()).isEqualTo(0.5);
        assertThat(r.groups().get(0).label()).isEqualTo("optimizer=muon"); // lower is better: first
    }

    @Test
    void aDivergedRunIsDivergedNeverItsLastFiniteValue() {
        run("adamw", 0, 3, 2, 1);
        run("adamw", 1, 3, 2, 1.2);
        run("adamw", 2, 3, 2, 1.1);
        run("sgd", 0, 3, 2.5, 2.4);
        run("sgd", 1, 3, Double.NaN, Double.NaN);
        run("sgd", 2, 3, 2.0, Double.POSITIVE_INFINITY);
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw"), null));
        RunValue nan = r.runs().get(4);
        assertThat(nan.status()).isEqualTo(Status.diverged);
        assertThat(nan.value()).isNull();
        assertThat(nan.divergedAtStep()).isEqualTo(20);
        assertThat(nan.lastFiniteStep()).isEqualTo(10);
        assertThat(r.runs().get(5).divergedAtStep()).isEqualTo(30);
        Group sgd = group(r, "optimizer=sgd");
        assertThat(sgd.n()).isEqualTo(1);
        assertThat(sgd.diverged()).isEqualTo(2);
        assertThat(sgd.mean()).isEqualTo(2.4);
        assertThat(sgd.ciLow()).isNull();
        assertThat(sgd.welchP()).isNull(); // one value: Welch is undefined
        assertThat(r.warnings()).contains("optimizer=sgd: 2 of 3 runs diverged (NaN or ±∞), left out.");
        assertThat(r.warnings())
                .contains("1 of 2 groups (optimizer=sgd) has fewer than 3 runs with a value (n = 1), so its interval "
                        + "and tests carry little weight: list at least 3 seeds in the spec (seeds: [0, 1, 2]) and "
                        + "run it again.");
    }

    @Test
    void groupsWithTooFewSeedsGetOneWarningThatCountsThemAndSaysWhatToDo() {
        // The quick start's shape: 3 optimizers × 3 learning-rate scales × 2 seeds.
        for (String optimizer : List.of("adamw", "muon", "normuon")) {
            for (double lr : new double[] {0.5, 1.0, 2.0}) {
                for (long s = 0; s < 2; s++) {
                    run(Map.of("optimizer", optimizer, "lr_scale", lr), s, "SUCCEEDED", 3, 2 + s);
                }
            }
        }
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw"), null));
        assertThat(r.groups()).hasSize(9);
        assertThat(r.warnings())
                .containsExactly("9 of 9 groups have fewer than 3 runs with a value (n = 2), so their intervals and "
                        + "tests carry little weight: list at least 3 seeds in the spec (seeds: [0, 1, 2]) and run it "
                        + "again.");
    }

    @Test
    void theFewSeedsWarningNamesUpToThreeGroupsAndTheRangeOfN() {
        assertThat(ComparisonEngine.fewSeeds(new java.util.LinkedHashMap<>(Map.of("a=1", 2)), 4))
                .startsWith("1 of 4 groups (a=1) has fewer than 3 runs with a value (n = 2), so its interval");
        Map<String, Integer> three = new java.util.LinkedHashMap<>();
        three.put("a=1", 1);
        three.put("a=2", 2);
        three.put("a=3", 0);
        assertThat(ComparisonEngine.fewSeeds(three, 5))
                .startsWith("3 of 5 groups (a=1; a=2; a=3) have fewer than 3 runs with a value (n = 0–2), so their");
        three.put("a=4", 2);
        assertThat(ComparisonEngine.fewSeeds(three, 5)).startsWith("4 of 5 groups have fewer than 3 runs");
    }

    @Test
    void unfinishedFailedAndEmptyRunsHaveNoValue() {
        run(Map.of("optimizer", "adamw"), 0, "RUNNING", 3, 2);
        run(Map.of("optimizer", "adamw"), 1, "FAILED", 3, 2);
        run(Map.of("optimizer", "adamw"), 2, "SUCCEEDED");
        run(Map.of("optimizer", "adamw"), 3, "SUCCEEDED", 3, 2);
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of(), null));
        assertThat(r.runs())
                .extracting(RunValue::status)
                .containsExactly(Status.running, Status.missing, Status.missing, Status.ok);
        assertThat(r.runs().get(1).reason()).isEqualTo("run FAILED");
        assertThat(r.runs().get(2).reason()).isEqualTo("no loss logged");
        assertThat(r.groups()).hasSize(1);
        assertThat(r.groups().get(0).label()).isEqualTo("(all runs)");
        assertThat(r.groups().get(0).n()).isEqualTo(1);
    }

    @Test
    void perRunValuesPickTheRightNumber() {
        run("adamw", 0, 4, 1, 3, 2);
        assertThat(ComparisonEngine.compare(runs, question("final", Map.of(), null))
                        .runs()
                        .get(0)
                        .value())
                .isEqualTo(2.0);
        assertThat(ComparisonEngine.compare(runs, question("best", Map.of(), null))
                        .runs()
                        .get(0)
                        .value())
                .isEqualTo(1.0);
        assertThat(ComparisonEngine.compare(runs, question("max", Map.of(), null))
                        .runs()
                        .get(0)
                        .value())
                .isEqualTo(4.0);
        assertThat(ComparisonEngine.compare(runs, question("mean_last_2", Map.of(), null))
                        .runs()
                        .get(0)
                        .value())
                .isEqualTo(2.5);
        assertThat(ComparisonEngine.compare(runs, question("mean_last_9", Map.of(), null))
                        .runs()
                        .get(0)
                        .value())
                .isEqualTo(2.5);
        // change: final minus the first value (2 − 4), whichever goal
        assertThat(ComparisonEngine.compare(runs, question("change", Map.of(), null))
                        .runs()
                        .get(0)
                        .value())
                .isEqualTo(-2.0);
        assertThatThrownBy(() -> PerRunValue.parse("last"))
                .hasMessage("value must be final, best, min, max, change or mean_last_K (K ≥ 1), got 'last'");
        assertThatThrownBy(() -> PerRunValue.parse("mean_last_0")).hasMessageContaining("got 'mean_last_0'");
    }

    @Test
    void eachCandidateMeetsTheBaselineWithItsOtherParameters() {
        // Two grouping parameters; baseline optimizer=adamw: muon at lr 1 is compared with adamw at lr 1.
        for (long s = 0; s < 3; s++) {
            run(Map.of("optimizer", "adamw", "lr", 1.0), s, "SUCCEEDED", 10 + s);
            run(Map.of("optimizer", "adamw", "lr", 2.0), s, "SUCCEEDED", 20 + s);
            run(Map.of("optimizer", "muon", "lr", 1.0), s, "SUCCEEDED", 10 + s);
            run(Map.of("optimizer", "muon", "lr", 2.0), s, "SUCCEEDED", 10 + s);
        }
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw"), null));
        assertThat(r.by()).containsExactly("lr", "optimizer");
        assertThat(group(r, "lr=1.0, optimizer=muon").baselineLabel()).isEqualTo("lr=1.0, optimizer=adamw");
        assertThat(group(r, "lr=1.0, optimizer=muon").welchP()).isEqualTo(1.0); // identical samples
        assertThat(group(r, "lr=2.0, optimizer=muon").baselineLabel()).isEqualTo("lr=2.0, optimizer=adamw");
        // {10,11,12} against {20,21,22}: t = −10 / sqrt(2/3) with 4 df; for 4 df the two-sided p is
        // 1 − sin θ (1 + cos² θ / 2), θ = atan(|t| / 2).
        double theta = Math.atan(10 / Math.sqrt(2.0 / 3) / 2);
        assertThat(group(r, "lr=2.0, optimizer=muon").welchP())
                .isCloseTo(1 - Math.sin(theta) * (1 + Math.pow(Math.cos(theta), 2) / 2), within(1e-12));
        // A baseline written as text ("2" from a command line) matches the number 2.0.
        ComparisonReport text =
                ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw", "lr", "2"), null));
        assertThat(group(text, "lr=1.0, optimizer=muon").baselineLabel()).isEqualTo("lr=2.0, optimizer=adamw");
        assertThat(group(text, "lr=1.0, optimizer=adamw").baseline()).isFalse();
    }

    @Test
    void warnsAboutUnequalSeedsAndRejectsUnknownGroupingParameters() {
        run("adamw", 0, 1);
        run("adamw", 1, 1.1);
        run("adamw", 2, 1.2);
        run("muon", 0, 1);
        run("muon", 5, 1.1);
        run("muon", 6, 1.2);
        ComparisonReport r = ComparisonEngine.compare(runs, question("final", Map.of("optimizer", "adamw"), null));
        assertThat(r.warnings())
                .containsExactly("optimizer=muon: seeds [0, 5, 6] differ from its baseline's [0, 1, 2].");
        ComparisonQuestion q =
                new ComparisonQuestion("loss", PerRunValue.FINAL, List.of("optimiser"), Map.of(), true, null, 0.95);
        assertThatThrownBy(() -> ComparisonEngine.compare(runs, q))
                .hasMessage("by: no run has a parameter 'optimiser'; parameters: [optimizer]");
    }

    @Test
    void efficiencyIsTheEstimateOnTheOkRuns() {
        // Baseline reaches 1.0 at step 40; the candidate gets there at step 20: 1 − 20/40 = +50%.
        for (long s = 0; s < 3; s++) {
            run("adamw", s, 4, 3, 2, 1);
            run("muon", s, 3, 1, 0.8, 0.5);
        }
        run("muon", 3, 3, Double.NaN); // diverged: not part of the curves
        ComparisonReport r = ComparisonEngine.compare(
                runs, question("final", Map.of("optimizer", "adamw"), "steps_to_baseline_final"));
        ComparisonReport.GroupEfficiency e = group(r, "optimizer=muon").efficiency();
        assertThat(e.value()).isEqualTo(0.5);
        assertThat(e.baselineX()).isEqualTo(40);
        assertThat(e.x()).isEqualTo(20);
        assertThat(e.resamples()).isEqualTo(EfficiencyEstimate.RESAMPLES);
        assertThat(group(r, "optimizer=adamw").efficiency()).isNull();
    }
}
