package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "rename",
        mixinStandardHelpOptions = true,
        description = {
            "Give a run (or, with --experiment, an experiment) a display name; an empty NAME removes it. The spec's"
                    + " name of an experiment stays as it is.",
            "Examples:  replica rename 42 'muon, best lr'   |   replica rename --experiment 7 'optimizer study v2'"
        })
public class RenameCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "run id (experiment id with --experiment)")
    long id;

    @Parameters(index = "1", paramLabel = "NAME", description = "the display name; '' removes it")
    String name;

    @Option(names = "--experiment", description = "ID is an experiment's")
    boolean experiment;

    @Spec
    CommandSpec spec;

    @Inject
    LabelService labels;

    @Override
    public Integer call() {
        var after = LabelTarget.patch(spec, labels, experiment, id, LabelPatch.rename(name));
        if (after.isEmpty()) {
            spec.commandLine().getErr().println("no " + LabelTarget.noun(experiment) + " with id " + id);
            return 1;
        }
        String shown = after.get().displayName();
        spec.commandLine()
                .getOut()
                .println(LabelTarget.noun(experiment) + " " + id
                        + (shown == null ? ": display name removed" : " is now \"" + shown + "\""));
        return 0;
    }
}
