package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "rename",
        mixinStandardHelpOptions = true,
        description = {
            "Give a run (or, with --experiment, an experiment) a display name; an empty NAME removes it. The spec's"
                    + " name of an experiment stays as it is.",
            "Examples:  replica rename 42 'muon, best lr'   |   replica rename --experiment 7 'optimizer study v2'"
        })
public class RenameCommand implements Callable<Integer> {

    @Parameters(index = "1", paramLabel = "NAME", description = "the display name; '' removes it")
    String name;

    @Mixin
    LabelTarget target;

    @Inject
    LabelService labels;

    @Override
    public Integer call() {
        return target.apply(
                labels,
                LabelPatch.rename(name),
                after -> after.displayName() == null
                        ? ": display name removed"
                        : " is now \"" + after.displayName() + "\"");
    }
}
