package dev.replica.backend.cli;

import dev.replica.backend.compare.ComparisonService;
import dev.replica.backend.report.ReportService;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Write an experiment's report into DIR: a self-contained Markdown file (README.md) with the spec, the",
            "commands that reproduce it, the comparison table (as `replica compare`), PNG figures (curves with seed",
            "bands, every run's value, efficiency with its CI), every run with its recipe hash and manifest SHA-256, and what was excluded."
        })
public class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "EXPERIMENT", description = "experiment id or name (the latest of that name)")
    String experiment;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "DIR",
            description = "output folder")
    Path output;

    @Option(names = "--metric", paramLabel = "M", description = "metric (default: the spec's metric.primary)")
    String metric;

    @Option(
            names = "--value",
            paramLabel = "V",
            description = "final, best, min, max, change (final minus first) or mean_last_K (default: final)")
    String value;

    @Option(names = "--by", paramLabel = "p1,p2", description = "grouping parameters (default: those that vary)")
    String by;

    @Option(names = "--baseline", paramLabel = "k=v,…", description = "default: the spec's compare.baseline")
    String baseline;

    @Spec
    CommandSpec spec;

    @Inject
    ReportService reports;

    @Inject
    ExperimentLookup lookup;

    @Override
    public Integer call() throws IOException {
        long id = lookup.resolve(spec.commandLine(), experiment);
        List<String> command = new ArrayList<>(List.of("replica", "report", experiment, "-o", output.toString()));
        addOption(command, "--metric", metric);
        addOption(command, "--value", value);
        addOption(command, "--by", by);
        addOption(command, "--baseline", baseline);
        Path file;
        try {
            file = reports.write(
                    id,
                    ComparisonService.Ask.parse(metric, value, by, baseline, null),
                    output,
                    String.join(" ", command));
        } catch (IllegalArgumentException | NotFoundException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        spec.commandLine().getOut().println("Wrote " + file);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static void addOption(List<String> command, String name, String value) {
        if (value != null) {
            command.add(name);
            command.add(value.matches("[A-Za-z0-9_./=,:-]+") ? value : "'" + value.replace("'", "'\\''") + "'");
        }
    }
}
