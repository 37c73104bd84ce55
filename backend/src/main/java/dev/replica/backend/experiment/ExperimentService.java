package dev.replica.backend.experiment;

import dev.replica.backend.config.ReplicaConfig;
import dev.replica.backend.label.ExperimentLabel;
import dev.replica.backend.label.RunLabel;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunParam;
import dev.replica.backend.run.RunRepository;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.InvalidInputException;
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

    @Inject
    dev.replica.backend.scheduler.MachineGpus gpus;

    @Inject
    dev.replica.backend.search.SearchLog searchLog;

    Clock clock = Clock.systemUTC();

    /** A stored experiment: its id and how many runs it expanded to. */
    public record Created(long experimentId, String name, int runCount, List<PlannedRun> plan) {}

    /** The checks a spec passes before it is stored, with this application's limits and GPU count. */
    public SpecCheck specCheck() {
        return new SpecCheck(config.spec().maxRuns(), gpus::count);
    }

    /**
     * Parses and validates a spec without storing anything.
     *
     * @throws SpecValidationException with every error found
     */
    public ExperimentSpec validate(String specText, String fileName) {
        return specCheck().validate(specText, fileName);
    }

    /**
     * The runs a valid spec expands to, each checked to fit where runs are stored.
     *
     * @throws SpecValidationException naming the first run whose parameters do not fit
     */
    public List<PlannedRun> plan(ExperimentSpec spec, String fileName) {
        return SpecCheck.plan(spec, fileName);
    }

    /** The stored spec of an experiment, parsed and validated again (what the scheduler runs by). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ExperimentSpec specOf(long experimentId) {
        Experiment e = experiments.findExperiment(experimentId).orElseThrow();
        return validate(e.specText, e.specFile);
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
        List<PlannedRun> plan = plan(spec, fileName);
        Instant now = clock.instant();

        Experiment e = new Experiment();
        e.name = spec.name();
        e.description = spec.description();
        e.kind = spec.kind();
        e.specFile = fileName;
        e.specText = specText;
        e.specJson = SpecDocument.json(spec);
        e.specDir =
                specDir == null ? null : specDir.toAbsolutePath().normalize().toString();
        e.primaryMetric = spec.metric() == null ? null : spec.metric().primary();
        e.metricGoal = spec.metric() == null ? null : spec.metric().goal().label();
        e.runCount = plan.size();
        e.createdAt = now;
        experiments.persist(e);
        if (!spec.tags().isEmpty()) {
            ExperimentLabel label = new ExperimentLabel();
            label.experimentId = e.id;
            label.tags.addAll(spec.tags());
            label.updatedAt = now;
            label.persist();
        }

        for (PlannedRun p : plan) {
            persistQueued(e, p, spec.retries(), spec.tags(), now);
            if ((p.index() + 1) % FLUSH_EVERY == 0) {
                runs.flush();
                runs.getEntityManager().clear();
                e = experiments.getEntityManager().getReference(Experiment.class, e.id);
            }
        }
        if (spec.sweep().search() != null && spec.sweep().search().method().proposes()) {
            experiments.flush(); // the proposal log's rows reference the experiment: write it first
            searchLog.recordPlan(e.id, spec, plan, now);
        }
        return new Created(e.id, spec.name(), plan.size(), plan);
    }

    /**
     * Adds runs to a stored experiment (QUEUED), for searches that create configurations as they go (TPE). Joins
     * the caller's transaction, so a proposal and its runs are stored together.
     */
    @Transactional
    public void append(long experimentId, List<PlannedRun> added, int maxRetries, List<String> tags) {
        Experiment e = experiments.findExperiment(experimentId).orElseThrow();
        Instant now = clock.instant();
        for (PlannedRun p : added) {
            persistQueued(e, p, maxRetries, tags, now);
        }
        e.runCount += added.size();
    }

    /** Stores one planned run, QUEUED, with its creation event and the spec's tags. */
    private void persistQueued(Experiment e, PlannedRun p, int maxRetries, List<String> tags, Instant now) {
        List<RunParam> params = new ArrayList<>(p.params().size());
        for (Map.Entry<String, Object> param : p.params().entrySet()) {
            params.add(RunParam.of(param.getKey(), param.getValue()));
        }
        Run run = Run.queued(
                e, p.index(), p.seed(), p.configKey(), SpecDocument.write(p.params()), params, maxRetries, now);
        runs.persist(run);
        run.creationEvent().persist();
        if (!tags.isEmpty()) {
            RunLabel label = new RunLabel();
            label.runId = run.id;
            label.tags.addAll(tags);
            label.updatedAt = now;
            label.persist();
        }
    }

    /**
     * A one-run experiment that repeats run {@code runId}: the same spec, parameters and seed. Its name is
     * the original's with {@code -reproduce-<run>} appended.
     */
    @Transactional
    public Created createReproduction(long runId) {
        Run original =
                runs.findRun(runId).orElseThrow(() -> new InvalidInputException("run", "no run with id " + runId));
        Experiment source = original.experiment;
        Experiment e = new Experiment();
        e.name = truncate(source.name + "-reproduce-" + runId, 100);
        e.description = "Reproduction of run " + runId + " of experiment " + source.id;
        e.kind = source.kind;
        e.specFile = source.specFile;
        e.specText = source.specText;
        e.specJson = source.specJson;
        e.specDir = source.specDir;
        e.primaryMetric = source.primaryMetric;
        e.metricGoal = source.metricGoal;
        e.runCount = 1;
        e.createdAt = clock.instant();
        experiments.persist(e);
        List<RunParam> params = new ArrayList<>();
        for (RunParam p : original.params) {
            params.add(RunParam.of(p.name, p.value()));
        }
        Run run = Run.queued(e, 0, original.seed, original.configKey, original.paramsJson, params, 0, e.createdAt);
        runs.persist(run);
        run.creationEvent().persist();
        return new Created(e.id, e.name, 1, List.of());
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** The experiment's own events, oldest first. */
    @jakarta.transaction.Transactional
    public List<ExperimentEvent.View> events(long experimentId) {
        return ExperimentEvent.<ExperimentEvent>list("experimentId = ?1 order by id", experimentId).stream()
                .map(ExperimentEvent::view)
                .toList();
    }
}
