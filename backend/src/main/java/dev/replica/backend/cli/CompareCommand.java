package dev.replica.backend.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.compare.ComparisonService;
import dev.replica.backend.compare.ComparisonText;
import dev.replica.experiments.compare.ComparisonReport;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compare an experiment's configurations: each group's mean and 95%% CI over seeds, Welch and Mann–Whitney p",
            "against the baseline (Holm over every candidate), Hedges' g and the efficiency, with warnings (small groups,",
            "diverged runs, unequal seeds). The same report as GET /api/experiments/{id}/comparison and the compare page.",
            "Every option defaults to the spec (metric.primary, compare.baseline, …)."
        })
public class CompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "EXPERIMENT", description = "experiment id or name (the latest of that name)")
    String experiment;

    @Option(names = "--metric", paramLabel = "M", description = "metric (default: the spec's metric.primary)")
    String metric;

    @Option(
            names = "--value",
            paramLabel = "V",
            description =
                    "per-run value: final, best, min, max, change (final minus first) or mean_last_K (default: final)")
    String value;

    @Option(names = "--by", paramLabel = "p1,p2", description = "grouping parameters (default: those that vary)")
    String by;

    @Option(
            names = "--baseline",
            paramLabel = "k=v,…",
            description = "baseline parameter values (default: the spec's compare.baseline)")
    String baseline;

    @Option(names = "--goal", paramLabel = "min|max", description = "default: the spec's metric.goal")
    String goal;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "table|json|markdown",
            description = "output format (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--exclude",
            paramLabel = "pruned",
            description = "leave out the runs early stopping pruned (their configuration's biased sample), as the"
                    + " compare view's toggle and ?exclude=pruned do")
    String exclude;

    @Spec
    CommandSpec spec;

    @Inject
    ComparisonService comparisons;

    @Inject
    ExperimentLookup lookup;

    @Inject
    ObjectMapper json;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!format.equals("table") && !format.equals("json") && !format.equals("markdown")) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--format must be table, json or markdown, got '" + format + "'");
        }
        long id = lookup.resolve(spec.commandLine(), experiment);
        ComparisonReport report;
        try {
            report = comparisons.forExperiment(
                    id, ComparisonService.Ask.parse(metric, value, by, baseline, goal), exclude);
        } catch (IllegalArgumentException | NotFoundException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case "json" -> out.println(json.writeValueAsString(report));
            case "markdown" -> ComparisonText.printMarkdown(report, out);
            default -> ComparisonText.printTable(report, out);
        }
        out.flush();
        return 0;
    }
}
