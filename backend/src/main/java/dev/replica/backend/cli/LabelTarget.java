package dev.replica.backend.cli;

import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import dev.replica.backend.label.LabelView;
import java.util.Optional;

/** Applies a label change to a run, or to an experiment when {@code --experiment} was given. */
final class LabelTarget {

    private LabelTarget() {}

    /**
     * The labels after the change, or empty when nothing has this id.
     *
     * @throws picocli.CommandLine.ParameterException when the change breaks a rule (a bad tag, a name too long)
     */
    static Optional<LabelView> patch(
            picocli.CommandLine.Model.CommandSpec spec,
            LabelService labels,
            boolean experiment,
            long id,
            LabelPatch patch) {
        try {
            return experiment ? labels.patchExperiment(id, patch) : labels.patchRun(id, patch);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static String noun(boolean experiment) {
        return experiment ? "experiment" : "run";
    }
}
