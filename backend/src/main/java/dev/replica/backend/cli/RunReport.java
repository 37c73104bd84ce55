package dev.replica.backend.cli;

import dev.replica.backend.compare.ExperimentComparison;
import dev.replica.backend.compare.GroupRow;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunState;
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
        Experiment experiment = QuarkusTransaction.requiringNew()
                .call(() -> experiments.findExperiment(experimentId).orElseThrow());
        ExperimentSpec spec = experimentService.validate(experiment.specText, experiment.specFile);
        if (!scheduler.canRun(spec.kind())) {
            out.println("No executor for kind " + spec.kind() + " in this build: the runs stay QUEUED.");
            out.flush();
            return 0;
        }
        scheduler.stopReason(CancellationToken.Reason.CANCELLED);
        StopSignals.install(scheduler, System.err);
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
        List<GroupRow> rows =
                QuarkusTransaction.requiringNew().call(() -> comparison.primaryMetricTable(experiment, spec));
        if (rows.isEmpty() || rows.stream().allMatch(r -> r.runs() == 0)) {
            return;
        }
        out.println();
        out.println(spec.metric().primary() + " (final value; "
                + spec.metric().goal().label() + " is better), mean ± 95% CI over seeds:");
        boolean withBaseline = rows.stream().anyMatch(GroupRow::baseline);
        boolean withEfficiency =
                withBaseline && spec.compare() != null && spec.compare().efficiency() != null;
        List<String> headers = new java.util.ArrayList<>(List.of("CONFIGURATION", "RUNS", "MEAN", "95% CI"));
        if (withBaseline) {
            headers.add("p vs BASELINE (Welch, Holm)");
        }
        if (withEfficiency) {
            headers.add("EFFICIENCY [95% CI]");
        }
        TextTable table = new TextTable(headers.toArray(String[]::new));
        for (GroupRow r : rows) {
            String label = r.params().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))
                    + (r.baseline() ? " (baseline)" : "");
            String ci = Double.isNaN(r.ciLow()) ? "—" : String.format("[%.4g, %.4g]", r.ciLow(), r.ciHigh());
            String mean = Double.isNaN(r.mean()) ? "—" : String.format("%.4g", r.mean());
            List<Object> cells =
                    new java.util.ArrayList<>(List.of(label.isEmpty() ? "(all)" : label, r.runs(), mean, ci));
            if (withBaseline) {
                cells.add(
                        r.baseline()
                                ? ""
                                : Double.isNaN(r.pVsBaseline()) ? "—" : String.format("%.3g", r.pVsBaseline()));
            }
            if (withEfficiency) {
                cells.add(r.baseline() ? "" : efficiency(r.efficiency()));
            }
            table.row(cells.toArray());
        }
        table.print(out);
        if (withEfficiency) {
            String measure = spec.compare().efficiency();
            String x = measure.startsWith("time_") ? "time" : "steps";
            out.println("Efficiency (" + measure + "): 1 − " + x + " to reach the baseline's "
                    + (measure.endsWith("_best") ? "best" : "final") + " "
                    + spec.metric().primary() + " ÷ the baseline's "
                    + x + ", on seed-mean curves; +30% = 30% fewer " + x + ". CI: bootstrap over seeds.");
        }
    }

    /** {@code +31% [+12%, +45%]}, {@code never reaches} or {@code —}. */
    static String efficiency(dev.replica.experiments.compare.EfficiencyEstimate.Result e) {
        if (e == null) {
            return "—";
        }
        if (e.value() == null) {
            return String.format(
                    java.util.Locale.ROOT,
                    "never reaches (within %.0f)",
                    e.point().candidateLastX());
        }
        String value = percent(e.value());
        if (e.resamples() == 0) {
            return value;
        }
        return value + " [" + (e.ciLow() == null ? "−∞" : percent(e.ciLow())) + ", "
                + (e.ciHigh() == null ? "−∞" : percent(e.ciHigh())) + "]";
    }

    private static String percent(double v) {
        return String.format(java.util.Locale.ROOT, "%+.0f%%", 100 * v);
    }
}
