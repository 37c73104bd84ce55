package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "tag",
        mixinStandardHelpOptions = true,
        description = {
            "Add tags to a run (or, with --experiment, an experiment); --remove takes them off. Filter on them with"
                    + " `replica ls EXP --where tag:baseline` (or !tag:baseline).",
            "Examples:  replica tag 42 baseline lr-study   |   replica tag 42 --remove baseline   |   replica tag"
                    + " --experiment 7 paper"
        })
public class TagCommand implements Callable<Integer> {

    @Parameters(index = "1..*", paramLabel = "TAG", description = "tags to add (to remove with --remove)")
    List<String> tags = List.of();

    @Option(names = "--remove", description = "take the tags off instead")
    boolean remove;

    @Mixin
    LabelTarget target;

    @Inject
    LabelService labels;

    @Override
    public Integer call() {
        if (tags.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(target.spec.commandLine(), "give at least one TAG");
        }
        LabelPatch patch = remove ? LabelPatch.tag(null, tags) : LabelPatch.tag(tags, null);
        return target.apply(
                labels,
                patch,
                after -> " tags: " + (after.tags().isEmpty() ? "(none)" : String.join(", ", after.tags())));
    }
}
