package dev.replica.backend.compare;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.metrics.MetricSink;
import java.util.Map;
import java.util.UUID;

/**
 * A stored experiment whose comparison has hand-derived numbers: val/loss at steps 1..3, adamw ends at 1.0 for
 * every seed, muon too (an all-equal group: p = 1), sgd seed 0 reaches NaN at step 3 (diverged) and seeds 1 and
 * 2 end at 2.0 and 2.5. Its runs are written directly and marked succeeded, so nothing needs to execute.
 */
public final class DivergedAndAllEqualExperiment {

    private DivergedAndAllEqualExperiment() {}

    /** Stores the experiment with its nine finished runs and returns its id. */
    public static long store(
            ExperimentService experiments, RunQueries runs, RunService runService, MetricService metrics) {
        String name = "agree-" + UUID.randomUUID().toString().substring(0, 8);
        long experimentId =
                experiments.create("""
                        apiVersion: replica/v1
                        name: %s
                        kind: optimizer-sweep
                        params: {task: teacher-stream, steps: 3, batch: 8}
                        sweep:
                          grid: {optimizer: [adamw, muon, sgd]}
                        seeds: [0, 1, 2]
                        metric: {primary: val/loss, goal: min}
                        compare: {baseline: {optimizer: adamw}, efficiency: steps_to_baseline_final}
                        """.formatted(name), name + ".yaml").experimentId();
        for (RunView r : runs.list(new RunFilter(experimentId, null, Map.of(), 100, 0))) {
            String optimizer = r.params().get("optimizer").toString();
            double last = switch (optimizer) {
                case "sgd" -> r.seed() == 0 ? Double.NaN : r.seed() == 1 ? 2.0 : 2.5;
                default -> 1.0;
            };
            try (MetricSink sink = metrics.sink(r.id())) {
                sink.log(1, "val/loss", 3.0);
                sink.log(2, "val/loss", 2.0);
                sink.log(3, "val/loss", last);
            }
            runService.transition(r.id(), RunState.RUNNING, "test");
            runService.transition(r.id(), RunState.SUCCEEDED, "test");
        }
        return experimentId;
    }
}
