package dev.replica.backend.label;

import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.run.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Optional;

/** Edits the labels of runs and experiments: one transaction per edit, never touching the run row itself. */
@ApplicationScoped
public class LabelService {

    @Inject
    RunRepository runs;

    @Inject
    ExperimentRepository experiments;

    Clock clock = Clock.systemUTC();

    /**
     * @return the run's labels after the change; empty when no run has this id
     * @throws dev.replica.experiments.spec.InvalidInputException when the patch breaks a rule (nothing is stored)
     */
    @Transactional
    public Optional<LabelView> patchRun(long runId, LabelPatch patch) {
        patch.validate();
        if (runs.findRun(runId).isEmpty()) {
            return Optional.empty();
        }
        RunLabel label = RunLabel.<RunLabel>findByIdOptional(runId).orElseGet(() -> {
            RunLabel l = new RunLabel();
            l.runId = runId;
            return l;
        });
        patch.applyTo(label, clock.instant());
        label.persist();
        return Optional.of(label.view());
    }

    /**
     * @return the experiment's labels after the change; empty when no experiment has this id
     * @throws dev.replica.experiments.spec.InvalidInputException when the patch breaks a rule (nothing is stored)
     */
    @Transactional
    public Optional<LabelView> patchExperiment(long experimentId, LabelPatch patch) {
        patch.validate();
        if (experiments.findExperiment(experimentId).isEmpty()) {
            return Optional.empty();
        }
        ExperimentLabel label = ExperimentLabel.<ExperimentLabel>findByIdOptional(experimentId)
                .orElseGet(() -> {
                    ExperimentLabel l = new ExperimentLabel();
                    l.experimentId = experimentId;
                    return l;
                });
        patch.applyTo(label, clock.instant());
        label.persist();
        return Optional.of(label.view());
    }
}
