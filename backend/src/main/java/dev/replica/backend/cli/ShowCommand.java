package dev.replica.backend.cli;

import dev.replica.backend.metric.RunAttempts;
import dev.replica.backend.run.RunDetailView;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show one run: experiment, parameters, seed, state, history and metric summaries.")
public class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "run id (see `replica ls EXPERIMENT`)")
    long runId;

    @Spec
    CommandSpec spec;

    @Inject
    RunQueries runs;

    @Inject
    RunAttempts attempts;

    @Override
    public Integer call() {
        RunDetailView detail = runs.find(runId)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(), "no run with id " + runId + " (see `replica ls EXPERIMENT`)"));
        RunView r = detail.run();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Run " + r.id() + "  (" + r.experimentName() + " #" + r.index() + ", experiment " + r.experimentId()
                + ")");
        if (r.displayName() != null) {
            out.println("  name      " + r.displayName());
        }
        if (!r.tags().isEmpty()) {
            out.println("  tags      " + String.join(", ", r.tags()));
        }
        if (r.archived()) {
            out.println("  archived  yes (`replica archive --undo " + r.id() + "` brings it back)");
        }
        out.println("  state     " + r.state() + (r.message() == null ? "" : " — " + r.message()));
        out.println("  seed      " + r.seed());
        out.println("  attempt   " + r.attempt());
        if (r.executor() != null) {
            out.println("  executor  " + r.executor() + (r.exitCode() == null ? "" : " (exit " + r.exitCode() + ")"));
        }
        out.println("  created   " + LsCommand.TIME.format(r.createdAt()));
        if (r.startedAt() != null) {
            out.println("  started   " + LsCommand.TIME.format(r.startedAt()));
        }
        if (r.finishedAt() != null) {
            out.println("  finished  " + LsCommand.TIME.format(r.finishedAt()));
        }
        if (r.note() != null) {
            out.println();
            out.println("Note");
            r.note().lines().forEach(l -> out.println("  " + l));
        }
        out.println();
        out.println("Parameters");
        TextTable params = new TextTable("NAME", "VALUE");
        r.params().forEach((k, v) -> params.row(k, v));
        params.print(out);
        out.println();
        out.println("History");
        TextTable history = new TextTable("AT", "FROM", "TO", "WHY");
        detail.events()
                .forEach(e -> history.row(
                        LsCommand.TIME.format(e.at()), e.from() == null ? "—" : e.from(), e.to(), e.message()));
        history.print(out);
        out.println();
        printAttempts(out);
        if (detail.metrics().isEmpty()) {
            out.println("Metrics   none logged yet");
        } else {
            out.println("Metrics");
            TextTable metrics = new TextTable("METRIC", "LAST", "MIN", "MIN@STEP", "MAX", "POINTS", "NaN");
            detail.metrics()
                    .forEach(m ->
                            metrics.row(m.metric(), m.last(), m.min(), m.minStep(), m.max(), m.count(), m.nanCount()));
            metrics.print(out);
        }
        out.flush();
        return 0;
    }

    /** Every start of the run, so a retried run's earlier metrics are known to exist (and where). */
    private void printAttempts(PrintWriter out) {
        var all = attempts.require(runId);
        if (all.isEmpty()) {
            return;
        }
        out.println("Attempts  (metrics of attempt N: `?attempt=N` on the metric endpoints; the latest by default)");
        TextTable table = new TextTable("ATTEMPT", "STATE", "STARTED", "ENDED", "POINTS", "WHY");
        for (RunAttempts.Attempt a : all) {
            table.row(
                    a.number() + (a.latest() ? " (latest)" : ""),
                    a.state(),
                    a.started() == null ? "—" : LsCommand.TIME.format(a.started()),
                    a.ended() == null ? "—" : LsCommand.TIME.format(a.ended()),
                    a.points(),
                    a.reason() == null ? "" : a.reason());
        }
        table.print(out);
        out.println();
    }
}
