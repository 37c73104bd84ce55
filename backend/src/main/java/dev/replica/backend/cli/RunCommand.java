package dev.replica.backend.cli;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.experiments.spec.SpecValidationException;
import dev.replica.experiments.sweep.PlannedRun;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Validate a spec, store the experiment, expand it into runs (grid × zip × random × seeds) and run them.",
            "Shows progress while runs execute and ends with the comparison report (as `replica compare`).",
            "Ctrl-C cancels the runs still going; --no-wait only stores and queues them (a `replica serve` picks them up)."
        })
public class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC.yaml", description = "the experiment spec")
    Path file;

    @Option(names = "--show", defaultValue = "20", description = "planned runs to list (default: ${DEFAULT-VALUE})")
    int show;

    @Option(names = "--no-wait", description = "store and queue the runs, do not execute them here")
    boolean noWait;

    @Spec
    CommandSpec spec;

    @Inject
    ExperimentService experiments;

    @Inject
    dev.replica.backend.scheduler.Scheduler scheduler;

    @Inject
    RunReport report;

    @Override
    public Integer call() {
        String text = SpecFiles.read(spec.commandLine(), file);
        PrintWriter out = spec.commandLine().getOut();
        ExperimentService.Created created;
        try {
            created = experiments.create(
                    text, file.toString(), file.toAbsolutePath().getParent());
        } catch (SpecValidationException e) {
            ValidateCommand.printErrors(spec.commandLine().getErr(), e);
            return 1;
        }
        int seeds =
                (int) created.plan().stream().map(PlannedRun::seed).distinct().count();
        out.println("Stored experiment #" + created.experimentId() + " " + created.name() + ": "
                + ValidateCommand.describePlan(created.plan(), seeds) + ".");
        printPlan(out, created.plan(), show);
        out.println();
        out.flush();
        if (noWait) {
            out.println("Queued. A running `replica serve` executes them; see `replica ls " + created.experimentId()
                    + "`.");
            out.flush();
            return 0;
        }
        return report.runAndReport(created.experimentId(), out);
    }

    /** The planned runs, showing only the parameters that vary across the plan. */
    static void printPlan(PrintWriter out, List<PlannedRun> plan, int limit) {
        Set<String> varying = new TreeSet<>();
        Map<String, Object> first = plan.get(0).params();
        for (PlannedRun p : plan) {
            p.params().forEach((k, v) -> {
                if (!v.equals(first.get(k))) {
                    varying.add(k);
                }
            });
        }
        String[] headers = new String[varying.size() + 2];
        headers[0] = "#";
        int i = 1;
        for (String k : varying) {
            headers[i++] = k;
        }
        headers[i] = "seed";
        TextTable table = new TextTable(headers);
        for (PlannedRun p : plan.subList(0, Math.min(limit, plan.size()))) {
            Object[] cells = new Object[headers.length];
            cells[0] = p.index();
            int c = 1;
            for (String k : varying) {
                cells[c++] = p.params().get(k);
            }
            cells[c] = p.seed();
            table.row(cells);
        }
        table.print(out);
        if (plan.size() > limit) {
            out.println("… and " + (plan.size() - limit) + " more");
        }
    }
}
