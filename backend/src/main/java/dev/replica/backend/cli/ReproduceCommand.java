package dev.replica.backend.cli;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.manifest.ManifestService;
import dev.replica.backend.metric.AttemptFiles;
import dev.replica.backend.metric.RunAttempts;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.experiments.manifest.ManifestDiff;
import dev.replica.experiments.manifest.MetricStreamComparison;
import dev.replica.experiments.manifest.ReproductionReport;
import dev.replica.experiments.manifest.RunManifest;
import dev.replica.experiments.metrics.MetricStore;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        description = {
            "Rerun a run from its manifest and compare the metric streams bit for bit.",
            "Exit code 0 when identical (or within --tolerance), 1 when they diverge: the first diverging step and",
            "metric are printed with the environment differences that might explain it."
        })
public class ReproduceCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "the run to reproduce")
    long runId;

    @Option(
            names = "--tolerance",
            paramLabel = "ABS",
            description = "accept absolute differences up to this (default: bitwise)")
    Double tolerance;

    @Spec
    CommandSpec spec;

    @Inject
    ManifestService manifests;

    @Inject
    ExperimentService experiments;

    @Inject
    Scheduler scheduler;

    @Inject
    RunQueries runs;

    @Inject
    MetricStore store;

    @Inject
    RunAttempts attempts;

    @Inject
    ReplicaHome home;

    @CommandLine.Option(
            names = "--attempt",
            paramLabel = "N",
            description = "compare with attempt N of a retried run (default: its latest; see `replica show RUN`)")
    Integer attempt;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        RunManifest original = manifests
                .find(runId)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        spec.commandLine(),
                        "run " + runId
                                + " has no manifest to reproduce from (it has not started, or the id is wrong)"));
        int latest = attempts.latest(runId);
        String originalKey;
        try {
            originalKey = attempts.metricKey(runId, attempt);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--attempt: " + e.getMessage());
        }
        int compared = attempt == null ? latest : attempt;
        if (compared != latest) {
            // an earlier attempt's own manifest, kept when the next attempt started (ADR 0008)
            Path kept = AttemptFiles.folder(home.artifacts().resolve(Long.toString(runId)), compared)
                    .resolve("manifest.json");
            if (Files.exists(kept)) {
                try {
                    original = RunManifest.parse(Files.readAllBytes(kept));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + kept, e);
                }
            }
        }
        var created = experiments.createReproduction(runId);
        long rerunId = runs.list(new RunFilter(created.experimentId(), null, Map.of(), 1, 0))
                .get(0)
                .id();
        out.println(
                "Reproducing run " + runId + " as run " + rerunId + " (experiment #" + created.experimentId() + ")…");
        out.flush();
        var summary = scheduler.runExperiment(created.experimentId(), p -> {});
        RunManifest rerun = manifests
                .find(rerunId)
                .orElseThrow(() -> new IllegalStateException("rerun " + rerunId + " did not start"));
        ManifestDiff diff = ManifestDiff.between(original, rerun);
        MetricStreamComparison.Tolerance tol = tolerance == null
                ? MetricStreamComparison.Tolerance.NONE
                : MetricStreamComparison.Tolerance.absolute(tolerance);
        var comparison = MetricStreamComparison.compare(
                store, originalKey, Long.toString(rerunId), tol, MetricStreamComparison.RESULTS_ONLY);
        out.println("Compared attempt " + compared + " of " + latest + " of run " + runId
                + (compared == latest ? " (its latest)" : "") + " with run " + rerunId + ".");
        ReproductionReport report = new ReproductionReport(diff, comparison);
        out.print(report.render("run " + runId, "run " + rerunId));
        out.println("Rerun ended " + summary.byState().keySet()
                + "; wall-clock metrics (time/, throughput/) are not compared.");
        out.flush();
        return report.exitCode();
    }
}
