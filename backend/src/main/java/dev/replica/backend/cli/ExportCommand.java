package dev.replica.backend.cli;

import dev.replica.backend.export.ExportFormat;
import dev.replica.backend.export.ExportService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export metrics at full resolution with the parameters table alongside (OUT.params.csv).",
                "Examples:  replica export --experiment 1 -o sweep.csv   |   replica export --runs 4,5 --format arrow -o runs.arrow"})
public class ExportCommand implements Callable<Integer> {

    @Option(names = "--experiment", paramLabel = "ID", description = "every run of this experiment")
    Long experiment;

    @Option(names = "--runs", split = ",", paramLabel = "RUN", description = "these runs (comma-separated)")
    List<Long> runs = List.of();

    @Option(names = "--format", defaultValue = "csv", description = "csv (long), csv-wide or arrow (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--metrics", split = ",", paramLabel = "NAME", description = "only these metrics")
    List<String> metrics;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "file to write")
    Path output;

    @Spec
    CommandSpec spec;

    @Inject
    ExportService exports;

    @Override
    public Integer call() throws IOException {
        ExportFormat f;
        List<dev.replica.backend.run.RunView> selection;
        try {
            f = ExportFormat.parse(format);
            selection = exports.select(experiment, runs);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        long rows;
        try (OutputStream out = Files.newOutputStream(output)) {
            rows = exports.writeMetrics(selection, f, metrics, out);
        }
        String base = output.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Path params = output.resolveSibling(base + ".params.csv");
        try (OutputStream out = Files.newOutputStream(params)) {
            exports.writeParams(selection, out);
        }
        spec.commandLine().getOut().println("Wrote " + rows + " rows of " + selection.size() + " runs to " + output
                + " and their parameters to " + params + ".");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
