package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "archive",
        mixinStandardHelpOptions = true,
        description = {
            "Archive runs (or, with --experiment, experiments): they leave the default lists (`replica ls`, the"
                    + " workbench) but keep every row, metric and artifact; --undo brings them back. `replica ls"
                    + " --archived true` lists them.",
            "Examples:  replica archive 42 43   |   replica archive --undo 42   |   replica archive --experiment 7"
        })
public class ArchiveCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "1..*", description = "run ids (experiment ids with --experiment)")
    List<Long> ids = List.of();

    @Option(names = "--undo", description = "unarchive instead")
    boolean undo;

    @Option(names = "--experiment", description = "the ids are experiments'")
    boolean experiment;

    @Spec
    CommandSpec spec;

    @Inject
    LabelService labels;

    @Override
    public Integer call() {
        int missing = 0;
        for (long id : ids) {
            if (LabelTarget.patch(spec, labels, experiment, id, LabelPatch.archive(!undo))
                    .isEmpty()) {
                missing++;
            } else {
                spec.commandLine()
                        .getOut()
                        .println(LabelTarget.noun(experiment) + " " + id + (undo ? ": unarchived" : ": archived"));
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return missing == 0 ? 0 : 1;
    }
}
