package dev.replica.experiments.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.spec.SearchSpec.Method;
import dev.replica.experiments.spec.SearchSpec.PruneOn;
import dev.replica.experiments.sweep.SweepPlanner;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchSpecParserTest {

    private final SpecParser parser = new SpecParser();

    private static final String ASHA = """
            apiVersion: replica/v1
            name: asha-lr
            kind: optimizer-sweep
            params: {task: teacher-stream, steps: 900}
            sweep:
              method: asha
              resource: step
              min_resource: 100
              max_resource: 900
              eta: 3
              prune_on: upper_ci
              max_runs: 20
              random: {count: 9, seed: 7, params: {lr: {log-uniform: [1e-4, 1e-1]}}}
            seeds: [0, 1, 2]
            metric: {primary: train/loss, goal: min}
            """;

    private List<SpecError> errorsOf(String yaml) {
        try {
            parser.parse(yaml, "spec.yaml");
        } catch (SpecValidationException e) {
            return e.errors();
        }
        throw new AssertionError("expected the spec to be rejected");
    }

    @Test
    void parsesAnAshaSearch() {
        ExperimentSpec spec = parser.parse(ASHA, "spec.yaml");
        SearchSpec search = spec.sweep().search();
        assertThat(search).isEqualTo(new SearchSpec(Method.ASHA, "step", 100, 900L, 3, 1, PruneOn.UPPER_CI, 20));
        assertThat(spec.sweep().prunes()).isTrue();
        // the budget of 20 runs keeps 6 whole configurations of 3 seeds
        assertThat(SweepPlanner.plan(spec)).hasSize(18);
    }

    @Test
    void defaultsEtaThreePruneOnMeanAndTheStepAxis() {
        ExperimentSpec spec = parser.parse(
                ASHA.replace("  resource: step\n", "")
                        .replace("  eta: 3\n", "")
                        .replace("  prune_on: upper_ci\n", "")
                        .replace("  max_resource: 900\n", "")
                        .replace("  max_runs: 20\n", ""),
                "spec.yaml");
        assertThat(spec.sweep().search())
                .isEqualTo(new SearchSpec(Method.ASHA, "step", 100, null, 3, 1, PruneOn.MEAN, null));
    }

    @Test
    void hyperbandFitsAsManyBracketsAsRungsBelowTheMaximum() {
        ExperimentSpec spec = parser.parse(ASHA.replace("method: asha", "method: hyperband"), "spec.yaml");
        // 100 and 300 lie below 900; 900 does not
        assertThat(spec.sweep().search().brackets()).isEqualTo(2);
    }

    @Test
    void plainMethodsKeepEveryRunToTheEnd() {
        ExperimentSpec spec = parser.parse("""
                apiVersion: replica/v1
                name: g
                kind: optimizer-sweep
                sweep: {method: grid, max_runs: 2, grid: {lr: [0.1, 0.2, 0.3]}}
                """, "spec.yaml");
        assertThat(spec.sweep().prunes()).isFalse();
        assertThat(SweepPlanner.plan(spec)).hasSize(2);
    }

    @Test
    void rejectsBadSearchSettingsEachAtItsLine() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: bad
                kind: optimizer-sweep
                sweep:
                  method: ashaa
                  grid: {lr: [0.1, 0.2]}
                seeds: [0]
                """);
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactly(
                        "spec.yaml:5:11: sweep.method: unknown method \"ashaa\" (did you mean \"asha\"?); known: grid, random, asha, hyperband, tpe");

        errors = errorsOf("""
                apiVersion: replica/v1
                name: bad
                kind: optimizer-sweep
                sweep:
                  method: hyperband
                  eta: 1
                  max_resource: 50
                  prune_on: upper_ci
                  brakets: 2
                  max_runs: 0
                  grid: {lr: [0.1, 0.2]}
                seeds: [0]
                """);
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:9:3: sweep.brakets: unknown key (did you mean \"brackets\"?); allowed: grid, zip, random, method, resource, min_resource, max_resource, eta, brackets, prune_on, max_runs, n_startup, parallel",
                        "spec.yaml:10:13: sweep.max_runs: must be in [1, 2147483647], got 0",
                        "spec.yaml:5:11: sweep.method: hyperband judges runs by the primary metric: add metric: {primary: <name>, goal: min|max}",
                        "spec.yaml:6:8: sweep.eta: must be in [2, 100], got 1",
                        "spec.yaml:5:3: sweep.min_resource: is required for method hyperband: the step of the first rung, e.g. min_resource: 100",
                        "spec.yaml:8:13: sweep.prune_on: upper_ci needs a confidence interval over seeds: give at least two seeds (seeds: [0, 1, 2]), or use prune_on: mean");
    }

    @Test
    void rejectsSearchKeysThatDoNotFitTheMethod() {
        List<SpecError> errors = errorsOf("""
                apiVersion: replica/v1
                name: bad
                kind: optimizer-sweep
                sweep:
                  method: random
                  eta: 3
                  grid: {lr: [0.1, 0.2]}
                """);
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:5:11: sweep.method: random needs sweep.random: {count, seed, params}",
                        "spec.yaml:6:3: sweep.eta: applies only to method asha or hyperband (early stopping), not random");

        errors = errorsOf(ASHA.replace("max_resource: 900", "max_resource: 100")
                .replace("max_runs: 20", "max_runs: 2")
                .replace("method: asha", "method: hyperband\n  brackets: 3"));
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:10:17: sweep.max_resource: must be above min_resource (100), got 100",
                        "spec.yaml:13:13: sweep.max_runs: is 2, fewer than the 3 seeds one configuration runs; raise it to at least 3");

        errors = errorsOf("""
                apiVersion: replica/v1
                name: bad
                kind: optimizer-sweep
                sweep: {min_resource: 10, grid: {lr: [0.1]}}
                """);
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactly(
                        "spec.yaml:4:8: sweep.method: is required with search settings: one of grid, random, asha, hyperband, tpe");
    }

    private static final String TPE = """
            apiVersion: replica/v1
            name: tpe-lr
            kind: optimizer-sweep
            params: {task: teacher-stream, steps: 300}
            sweep:
              method: tpe
              n_startup: 4
              parallel: 2
              max_runs: 24
              random: {count: 10, seed: 7, params: {lr: {log-uniform: [1e-4, 1e-1]}, optimizer: {choice: [sgd, adamw]}}}
            seeds: [0, 1]
            metric: {primary: train/loss, goal: min}
            """;

    @Test
    void parsesATpeSearchAndPlansOnlyItsFirstProposals() {
        ExperimentSpec spec = parser.parse(TPE, "spec.yaml");
        assertThat(spec.sweep().search())
                .isEqualTo(new SearchSpec(Method.TPE, "step", 0, null, 0, 1, PruneOn.MEAN, 24, 4, 2));
        assertThat(spec.sweep().prunes()).isFalse();
        // 10 configurations, capped by 24 runs / 2 seeds = 12: 10; only the first 2 (parallel) are planned
        assertThat(SweepPlanner.configurations(spec)).isEqualTo(10);
        List<dev.replica.experiments.sweep.PlannedRun> plan = SweepPlanner.plan(spec);
        assertThat(plan).hasSize(4);
        assertThat(plan)
                .extracting(p -> p.params().get("optimizer"))
                .allMatch(o -> o.equals("sgd") || o.equals("adamw"));
        assertThat(plan.get(0).configKey()).isNotEqualTo(plan.get(2).configKey());
        assertThat(SweepPlanner.plan(spec)).isEqualTo(plan);
        // n_startup defaults to 10, or half the configurations when fewer
        assertThat(parser.parse(TPE.replace("  n_startup: 4\n", ""), "spec.yaml")
                        .sweep()
                        .search()
                        .nStartup())
                .isEqualTo(5);
    }

    @Test
    void rejectsBadTpeSettingsEachAtItsLine() {
        List<SpecError> errors = errorsOf(TPE.replace("n_startup: 4", "n_startup: 10")
                .replace("parallel: 2", "parallel: 0")
                .replace("metric: {primary: train/loss, goal: min}\n", ""));
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactlyInAnyOrder(
                        "spec.yaml:6:11: sweep.method: tpe proposes from results by the primary metric: add metric: {primary: <name>, goal: min|max}",
                        "spec.yaml:7:14: sweep.n_startup: is 10 but the search tries only 10 configurations (sweep.random.count, capped by max_runs): every one would be random; lower it below 10",
                        "spec.yaml:8:13: sweep.parallel: must be in [1, 10000], got 0");

        errors = errorsOf(TPE.replace("  random:", "  grid: {weight_decay: [0, 0.1]}\n  random:"));
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactly(
                        "spec.yaml:6:11: sweep.method: tpe proposes from the distributions of sweep.random: {count, seed, params}; remove sweep.grid and sweep.zip (count is the number of configurations it tries, seed its sampler seed)");

        errors = errorsOf(ASHA.replace("  eta: 3\n", "  eta: 3\n  n_startup: 3\n"));
        assertThat(errors)
                .extracting(SpecError::toString)
                .containsExactly(
                        "spec.yaml:11:3: sweep.n_startup: applies only to method tpe (proposals from results), not asha");
    }
}
