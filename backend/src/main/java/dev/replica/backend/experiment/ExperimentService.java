package dev.replica.backend.experiment;

import dev.replica.backend.config.ReplicaConfig;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunParam;
import dev.replica.backend.run.RunRepository;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import dev.replica.experiments.spec.SpecValidationException;
import dev.replica.experiments.sweep.PlannedRun;
import dev.replica.experiments.sweep.SweepPlanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Validates specs and stores experiments with their planned runs: the same rules for CLI and REST. */
@ApplicationScoped
public class ExperimentService {

    /** Flush and detach persisted runs in chunks so 10,000-run sweeps do not fill the session. */
    private static final int FLUSH_EVERY = 500;

    @Inject
    ExperimentRepository experiments;

    @Inject
    RunRepository runs;

    @Inject
    ReplicaConfig config;

    Clock clock = Clock.systemUTC();

    /** A stored experiment: its id and how many runs it expanded to. */
    public record Created(long experimentId, String name, int runCount, List<PlannedRun> plan) {
    }

    /**
     * Parses and validates a spec without storing anything.
     *
     * @throws SpecValidationException with every error found
     */
    public ExperimentSpec validate(String specText, String fileName) {
        return new SpecParser(config.spec().maxRuns()).parse(specText, fileName);
    }

    /** The runs a valid spec expands to. */
    public List<PlannedRun> plan(ExperimentSpec spec) {
        return SweepPlanner.plan(spec);
    }

    /**
     * Validates the spec, stores the experiment and every planned run (QUEUED) in one transaction.
     * On any error nothing is stored.
     *
     * @throws SpecValidationException with every error found
     */
    @Transactional
    public Created create(String specText, String fileName) {
        return create(specText, fileName, null);
    }

    /**
     * As {@link #create(String, String)}, remembering the folder the spec was read from: {@code command}
     * runs resolve their working directory against it.
     */
    @Transactional
    public Created create(String specText, String fileName, java.nio.file.Path specDir) {
        ExperimentSpec spec = validate(specText, fileName);
        List<PlannedRun> plan = plan(spec);
        Instant now = clock.instant();

        Experiment e = new Experiment();
        e.name = spec.name();
        e.description = spec.description();
        e.kind = spec.kind();
        e.specFile = fileName;
        e.specText = specText;
        e.specJson = SpecDocument.json(spec);
        e.specDir = specDir == null ? null : specDir.toAbsolutePath().normalize().toString();
        e.primaryMetric = spec.metric() == null ? null : spec.metric().primary();
        e.metricGoal = spec.metric() == null ? null : spec.metric().goal().label();
        e.runCount = plan.size();
        e.createdAt = now;
        experiments.persist(e);

        for (PlannedRun p : plan) {
            List<RunParam> params = new ArrayList<>(p.params().size());
            for (Map.Entry<String, Object> param : p.params().entrySet()) {
                params.add(RunParam.of(param.getKey(), param.getValue()));
            }
            Run run = Run.queued(e, p.index(), p.seed(), p.configKey(), SpecDocument.write(p.params()), params,
                    spec.retries(), now);
            runs.persist(run);
            run.creationEvent().persist();
            if ((p.index() + 1) % FLUSH_EVERY == 0) {
                runs.flush();
                runs.getEntityManager().clear();
                e = experiments.getEntityManager().getReference(Experiment.class, e.id);
            }
        }
        return new Created(e.id, spec.name(), plan.size(), plan);
    }
}
