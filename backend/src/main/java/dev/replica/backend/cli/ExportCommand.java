package dev.replica.backend.cli;

import dev.replica.backend.export.ExportFormat;
import dev.replica.backend.export.ExportService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export metrics at full resolution with the parameters table alongside (OUT.params.csv, or OUT.params.parquet",
            "for the Parquet formats),",
            "or with --bundle a portable zip (specs, runs, manifests, metrics, artifacts, checksums) for `replica import`.",
            "Examples:  replica export --experiment 1 -o sweep.csv   |   replica export --runs 4,5 --format arrow -o runs.arrow",
            "           replica export --experiment 1 --format parquet -o sweep.parquet   (pandas: pd.read_parquet)",
            "           replica export --bundle --experiment 1 -o sweep.zip"
        })
public class ExportCommand implements Callable<Integer> {

    @Option(names = "--experiment", paramLabel = "ID", description = "every run of this experiment")
    Long experiment;

    @Option(names = "--runs", split = ",", paramLabel = "RUN", description = "these runs (comma-separated)")
    List<Long> runs = List.of();

    @Option(
            names = "--format",
            defaultValue = "csv",
            description =
                    "csv (long), csv-wide, arrow (IPC file), arrow-stream (IPC stream), parquet (long) or parquet-wide (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--metrics", split = ",", paramLabel = "NAME", description = "only these metrics")
    List<String> metrics;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "OUT",
            description = "file to write")
    Path output;

    @Option(
            names = "--all-attempts",
            description = "also every earlier attempt of a retried run, as run <id>.attempt-<n> (default: the latest)")
    boolean allAttempts;

    @Option(names = "--bundle", description = "write a portable bundle (zip) instead of a metrics table")
    boolean bundle;

    @Spec
    CommandSpec spec;

    @Inject
    ExportService exports;

    @Inject
    dev.replica.backend.bundle.BundleService bundles;

    @Override
    public Integer call() throws IOException {
        if (bundle) {
            try {
                var result = bundles.export(experiment == null ? List.of() : List.of(experiment), runs, output);
                spec.commandLine()
                        .getOut()
                        .println("Wrote a bundle of " + result.experiments() + " experiment(s) and " + result.runs()
                                + " run(s) to " + output + ". Load it elsewhere with `replica import " + output + "`.");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        ExportFormat f;
        List<dev.replica.backend.run.RunView> selection;
        try {
            f = ExportFormat.parse(format);
            selection = exports.select(experiment, runs);
            exports.requireKnownMetrics(selection, metrics, allAttempts);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        long rows;
        try (OutputStream out = Files.newOutputStream(output)) {
            rows = exports.writeMetrics(selection, f, metrics, allAttempts, out);
        }
        String base = output.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path params = output.resolveSibling(base + (f.isParquet() ? ".params.parquet" : ".params.csv"));
        try (OutputStream out = Files.newOutputStream(params)) {
            if (f.isParquet()) {
                exports.writeParamsParquet(selection, out);
            } else {
                exports.writeParams(selection, out);
            }
        }
        spec.commandLine()
                .getOut()
                .println("Wrote " + rows + " rows of " + selection.size() + " runs to " + output
                        + " and their parameters to " + params + ".");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
