package dev.replica.backend.cli;

import dev.replica.backend.compare.ComparisonService;
import dev.replica.backend.compare.ComparisonText;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunState;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.spec.ExperimentSpec;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Map;

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
    ComparisonService comparisons;

    /** @return exit code: 0 when every run succeeded, 1 when some failed or were cancelled */
    public int runAndReport(long experimentId, PrintWriter out) {
        Experiment experiment = QuarkusTransaction.requiringNew()
                .call(() -> experiments.findExperiment(experimentId).orElseThrow());
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
            summary =
                    scheduler.runExperiment(experimentId, running -> progress.update(countsOf(experimentId), running));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        progress.finish(summary.byState());
        printComparison(out, experiment, spec);
        long bad = summary.byState().entrySet().stream()
                .filter(e -> e.getKey() != RunState.SUCCEEDED)
                .mapToLong(Map.Entry::getValue)
                .sum();
        out.println("See the runs with `replica ls " + experimentId + "`, one run with `replica show RUN`.");
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    private Map<RunState, Long> countsOf(long experimentId) {
        return scheduler.states(experimentId);
    }

    private void printComparison(PrintWriter out, Experiment experiment, ExperimentSpec spec) {
        if (spec.metric() == null) {
            return;
        }
        ComparisonReport report = comparisons.forExperiment(experiment.id, ComparisonService.Ask.SPEC);
        if (report.groups().stream().allMatch(g -> g.n() == 0 && g.diverged() == 0)) {
            return;
        }
        out.println();
        ComparisonText.printTable(report, out);
    }
}
