package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "note",
        mixinStandardHelpOptions = true,
        description = {
            "Set the Markdown note of a run (or, with --experiment, an experiment); an empty TEXT clears it.",
            "Examples:  replica note 42 'diverged after the warm-up; lr too high'   |   replica note 42 ''"
        })
public class NoteCommand implements Callable<Integer> {

    @Parameters(index = "1", paramLabel = "TEXT", description = "the note, Markdown; '' clears it")
    String text;

    @Mixin
    LabelTarget target;

    @Inject
    LabelService labels;

    @Override
    public Integer call() {
        return target.apply(
                labels, LabelPatch.note(text), after -> after.note() == null ? ": note cleared" : ": note saved");
    }
}
