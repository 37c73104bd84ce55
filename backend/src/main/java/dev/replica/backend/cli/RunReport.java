package dev.replica.backend.cli;

import dev.replica.backend.compare.ComparisonService;
import dev.replica.backend.compare.ComparisonText;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.backend.search.SearchText;
import dev.replica.backend.search.SearchWatch;
import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.sweep.SweepPlanner;
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
    ComparisonService comparisons;

    @Inject
    RunQueries runs;

    @Inject
    SearchWatch searches;

    @Inject
    dev.replica.backend.search.SearchLog searchLog;

    @Inject
    dev.replica.backend.search.SearchStateService searchStates;

    /** @return exit code: 0 when every run succeeded (or was pruned by early stopping), 1 when some failed or were cancelled */
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
        boolean proposes =
                spec.sweep().search() != null && spec.sweep().search().method().proposes();
        // a TPE search creates its runs as it goes: the progress counts towards its whole budget
        int total = proposes ? SweepPlanner.configurations(spec) * spec.seeds().size() : experiment.runCount;
        ProgressPrinter progress = new ProgressPrinter(out, total);
        int[] proposalsShown = {0};
        Scheduler.Summary summary;
        try {
            summary = scheduler.runExperiment(experimentId, running -> {
                searches.drain(experimentId).forEach(e -> progress.note(SearchText.decision(e)));
                if (proposes) {
                    var all = searchLog.proposals(experimentId);
                    all.subList(proposalsShown[0], all.size()).forEach(p -> progress.note(SearchText.proposal(p)));
                    proposalsShown[0] = all.size();
                }
                progress.update(countsOf(experimentId), running);
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
        searches.drain(experimentId).forEach(e -> progress.note(SearchText.decision(e)));
        progress.finish(summary.byState());
        printFailureReasons(out, experimentId, summary.byState());
        ComparisonReport report = printComparison(out, experiment, spec);
        if (spec.sweep().search() != null && report != null) {
            out.println(SearchText.best(report));
        }
        if (spec.sweep().search() != null) {
            searchStates.of(experimentId).ifPresent(s -> out.println(SearchText.budget(s)));
        }
        long bad = summary.byState().entrySet().stream()
                .filter(e -> e.getKey() != RunState.SUCCEEDED && e.getKey() != RunState.PRUNED)
                .mapToLong(Map.Entry::getValue)
                .sum();
        out.println("See the runs with `replica ls " + experimentId + "`, one run with `replica show RUN`.");
        out.flush();
        return bad == 0 ? 0 : 1;
    }

    /**
     * Why the runs that did not succeed ended as they did: one line per state and reason, naming the runs, so a
     * missing dataset or a crashing command shows up in the summary rather than only as "1 failed".
     */
    private void printFailureReasons(PrintWriter out, long experimentId, Map<RunState, Long> byState) {
        for (RunState state : RunState.values()) {
            if (state == RunState.SUCCEEDED || byState.getOrDefault(state, 0L) == 0) {
                continue;
            }
            List<RunView> ended = runs.list(new RunFilter(experimentId, state, Map.of(), RunFilter.MAX_LIMIT, 0));
            Map<String, List<Long>> byReason = ended.stream()
                    .collect(Collectors.groupingBy(
                            r -> r.message() == null || r.message().isBlank() ? "no reason recorded" : r.message(),
                            java.util.LinkedHashMap::new,
                            Collectors.mapping(RunView::id, Collectors.toList())));
            byReason.forEach((reason, ids) -> out.println(state.name().toLowerCase(java.util.Locale.ROOT) + " "
                    + runList(ids) + ": " + reason.lines().findFirst().orElse(reason)));
        }
    }

    /** {@code run 7} or {@code runs 7, 8, 9 … (12 runs)}. */
    static String runList(List<Long> ids) {
        if (ids.size() == 1) {
            return "run " + ids.get(0);
        }
        String shown = ids.stream().limit(5).map(String::valueOf).collect(Collectors.joining(", "));
        return "runs " + shown + (ids.size() > 5 ? " … (" + ids.size() + " runs)" : "");
    }

    private Map<RunState, Long> countsOf(long experimentId) {
        return scheduler.states(experimentId);
    }

    /** Prints the comparison table; returns the report, null when there is nothing to compare. */
    private ComparisonReport printComparison(PrintWriter out, Experiment experiment, ExperimentSpec spec) {
        if (spec.metric() == null) {
            return null;
        }
        ComparisonReport report = comparisons.forExperiment(experiment.id, ComparisonService.Ask.SPEC);
        if (report.groups().stream().allMatch(g -> g.n() == 0 && g.diverged() == 0)) {
            return null;
        }
        out.println();
        ComparisonText.printTable(report, out);
        return report;
    }
}
