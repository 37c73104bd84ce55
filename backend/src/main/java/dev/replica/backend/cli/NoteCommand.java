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
        name = "note",
        mixinStandardHelpOptions = true,
        description = {
            "Set the Markdown note of a run (or, with --experiment, an experiment); an empty TEXT clears it.",
            "Examples:  replica note 42 'diverged after the warm-up; lr too high'   |   replica note 42 ''"
        })
public class NoteCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "run id (experiment id with --experiment)")
    long id;

    @Parameters(index = "1", paramLabel = "TEXT", description = "the note, Markdown; '' clears it")
    String text;

    @Option(names = "--experiment", description = "ID is an experiment's")
    boolean experiment;

    @Spec
    CommandSpec spec;

    @Inject
    LabelService labels;

    @Override
    public Integer call() {
        var after = LabelTarget.patch(spec, labels, experiment, id, LabelPatch.note(text));
        if (after.isEmpty()) {
            spec.commandLine().getErr().println("no " + LabelTarget.noun(experiment) + " with id " + id);
            return 1;
        }
        spec.commandLine()
                .getOut()
                .println(LabelTarget.noun(experiment) + " " + id
                        + (after.get().note() == null ? ": note cleared" : ": note saved"));
        return 0;
    }
}
