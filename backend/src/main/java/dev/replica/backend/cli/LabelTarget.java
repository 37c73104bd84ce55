package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import dev.replica.backend.label.LabelView;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the label commands share ({@code tag}, {@code note}, {@code rename} as a picocli {@code @Mixin}): the
 * {@code ID} they change, {@code --experiment} to make it an experiment's, and applying the change with the
 * messages every label command prints. {@code archive}, which takes several ids, uses {@link #patch(CommandSpec,
 * LabelService, boolean, long, LabelPatch)}.
 */
final class LabelTarget {

    @Parameters(index = "0", paramLabel = "ID", description = "run id (experiment id with --experiment)")
    long id;

    @Option(names = "--experiment", description = "ID is an experiment's")
    boolean experiment;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /**
     * Applies the change and prints "run N" (or "experiment N") followed by {@code outcome} of the labels after it.
     *
     * @return the exit code: 1, with "no run with id N" printed, when nothing has this id
     */
    int apply(LabelService labels, LabelPatch patch, Function<LabelView, String> outcome) {
        Optional<LabelView> after = patch(spec, labels, experiment, id, patch);
        if (after.isEmpty()) {
            return 1;
        }
        spec.commandLine().getOut().println(noun(experiment) + " " + id + outcome.apply(after.get()));
        return 0;
    }

    /**
     * The labels after the change; empty, with "no run with id N" printed, when nothing has this id.
     *
     * @throws ParameterException when the change breaks a rule (a bad tag, a name too long)
     */
    static Optional<LabelView> patch(
            CommandSpec spec, LabelService labels, boolean experiment, long id, LabelPatch patch) {
        Optional<LabelView> after;
        try {
            after = experiment ? labels.patchExperiment(id, patch) : labels.patchRun(id, patch);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (after.isEmpty()) {
            spec.commandLine().getErr().println("no " + noun(experiment) + " with id " + id);
        }
        return after;
    }

    static String noun(boolean experiment) {
        return experiment ? "experiment" : "run";
    }
}
