package dev.replica.backend.cli;

import dev.replica.backend.compare.ExperimentComparison;
import dev.replica.backend.compare.GroupRow;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunState;
import dev.replica.backend.scheduler.RunProgress;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.experiments.spec.ExperimentSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Drives an experiment's runs in the foreground with progress output, then prints the comparison table. */
@Dependent
public class RunReport {

    @Inject
    Scheduler scheduler;

    @Inject
    ExperimentRepository experiments;

    @Inject
    ExperimentService experimentService;

    @Inject
    ExperimentComparison comparison;

    /** @return exit code: 0 when every run succeeded, 1 when some failed or were cancelled */
    public int runAndReport(long experimentId, PrintWriter out) {
        Experiment experiment = QuarkusTransaction.requiringNew().call(() -> experiments.findExperiment(experimentId).orElseThrow());
        ExperimentSpec spec = experimentService.validate(experiment.specText, experiment.specFile);
        if (!scheduler.canRun(spec.kind())) {
            out.println("No executor for kind " + spec.kind() + " in this build: the runs stay QUEUED.");
            out.flush();
            return 0;
        }
        scheduler.stopReason(CancellationToken.Reason.CANCELLED);
        ProgressPrinter progress = new ProgressPrinter(out, experiment.runCount);
        Scheduler.Summary summary;
        try {
            summary = scheduler.runExperiment(experimentId, running -> progress.update(countsOf(experimentId), running));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        progress.finish(summary.byState());
        printComparison(out, experiment, spec);
        long bad = summary.byState().entrySet().stream().filter(e -> e.getKey() != RunState.SUCCEEDED)
                .mapToLong(Map.Entry::getValue).sum();
        out.println("See the runs with `replica ls " + experimentId + "`, one run with `replica show RUN`.");
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    private Map<RunState, Long> countsOf(long experimentId) {
        return scheduler.states(experimentId);
    }

    private void printComparison(PrintWriter out, Experiment experiment, ExperimentSpec spec) {
        List<GroupRow> rows = QuarkusTransaction.requiringNew().call(() -> comparison.primaryMetricTable(experiment, spec));
        if (rows.isEmpty() || rows.stream().allMatch(r -> r.runs() == 0)) {
            return;
        }
        out.println();
        out.println(spec.metric().primary() + " (final value; " + spec.metric().goal().label() + " is better), mean ± 95% CI over seeds:");
        boolean withBaseline = rows.stream().anyMatch(GroupRow::baseline);
        TextTable table = withBaseline
                ? new TextTable("CONFIGURATION", "RUNS", "MEAN", "95% CI", "p vs BASELINE (Welch, Holm)")
                : new TextTable("CONFIGURATION", "RUNS", "MEAN", "95% CI");
        for (GroupRow r : rows) {
            String label = r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" ")) + (r.baseline() ? " (baseline)" : "");
            String ci = Double.isNaN(r.ciLow()) ? "—" : String.format("[%.4g, %.4g]", r.ciLow(), r.ciHigh());
            String mean = Double.isNaN(r.mean()) ? "—" : String.format("%.4g", r.mean());
            if (withBaseline) {
                table.row(label.isEmpty() ? "(all)" : label, r.runs(), mean, ci,
                        r.baseline() ? "" : Double.isNaN(r.pVsBaseline()) ? "—" : String.format("%.3g", r.pVsBaseline()));
            } else {
                table.row(label.isEmpty() ? "(all)" : label, r.runs(), mean, ci);
            }
        }
        table.print(out);
    }
}
