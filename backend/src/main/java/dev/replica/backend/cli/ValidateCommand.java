package dev.replica.backend.cli;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.experiment.SpecCheck;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecError;
import dev.replica.experiments.spec.SpecValidationException;
import dev.replica.experiments.sweep.PlannedRun;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Check a spec without storing anything: every error is printed with file:line:column and field.",
            "Exit code 0 when valid, 1 when not."
        })
public class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC.yaml", description = "the experiment spec")
    Path file;

    @Spec
    CommandSpec spec;

    @Inject
    ExperimentService experiments;

    /** Set when the command runs without the application (see {@link StandaloneValidate}). */
    private final SpecCheck standalone;

    public ValidateCommand() {
        this(null);
    }

    ValidateCommand(SpecCheck standalone) {
        this.standalone = standalone;
    }

    @Override
    public Integer call() {
        String text = SpecFiles.read(spec.commandLine(), file);
        PrintWriter out = spec.commandLine().getOut();
        try {
            SpecCheck check = standalone != null ? standalone : experiments.specCheck();
            ExperimentSpec parsed = check.validate(text, file.toString());
            List<PlannedRun> plan = SpecCheck.plan(parsed, file.toString());
            out.println(file + ": OK — " + parsed.name() + " (" + parsed.kind() + "), "
                    + describePlan(plan, parsed.seeds().size()));
            out.flush();
            return 0;
        } catch (SpecValidationException e) {
            printErrors(spec.commandLine().getErr(), e);
            return 1;
        }
    }

    static String describePlan(List<PlannedRun> plan, int seeds) {
        long configs = plan.stream().map(PlannedRun::configKey).distinct().count();
        return plan.size() + (plan.size() == 1 ? " run" : " runs") + " (" + configs
                + (configs == 1 ? " configuration" : " configurations") + " × " + seeds
                + (seeds == 1 ? " seed)" : " seeds)");
    }

    static void printErrors(PrintWriter err, SpecValidationException e) {
        for (SpecError error : e.errors()) {
            err.println(error);
        }
        err.println(e.errors().size() + (e.errors().size() == 1 ? " error" : " errors") + "; nothing was stored.");
        err.flush();
    }
}
