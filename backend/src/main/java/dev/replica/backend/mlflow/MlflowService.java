package dev.replica.backend.mlflow;

import static dev.replica.backend.db.Tables.EXPERIMENT;
import static dev.replica.backend.db.Tables.MLFLOW_EXPERIMENT;
import static dev.replica.backend.db.Tables.MLFLOW_EXPERIMENT_TAG;
import static dev.replica.backend.db.Tables.MLFLOW_RUN;
import static dev.replica.backend.db.Tables.MLFLOW_RUN_INPUT;
import static dev.replica.backend.db.Tables.MLFLOW_RUN_TAG;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.experiment.ExperimentRepository;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.IllegalTransitionException;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunParam;
import dev.replica.backend.run.RunRepository;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.manifest.RunManifest;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricNames;
import dev.replica.experiments.metrics.MetricStoreException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jooq.DSLContext;

/**
 * The MLflow tracking API's writes, mapped onto Replica: an MLflow experiment is a Replica experiment
 * of kind {@code mlflow}; an MLflow run is a Replica run of it (RUNNING from creation, executor {@code
 * mlflow}), whose params are the params the client logs; metric points go through the one metric write
 * primitive ({@link MetricService#append}) with MLflow's step and timestamp as the row's step and
 * time_ms. What Replica has no column for (names, users, tags, soft deletion, datasets) lives in the
 * {@code mlflow_*} tables.
 */
@ApplicationScoped
public class MlflowService {

    /** Replica kind of experiments created through the MLflow API. */
    public static final String KIND = "mlflow";
    /** Executor recorded on runs created through the MLflow API; their client owns them. */
    public static final String EXECUTOR = RunService.EXTERNAL_EXECUTOR;
    /** MLflow's name of the experiment that experiment id "0" stands for. */
    static final String DEFAULT_EXPERIMENT = "Default";

    static final int MAX_METRICS = 1000;
    static final int MAX_PARAMS = 100;
    static final int MAX_TAGS = 100;
    static final int MAX_ENTITIES = 1000;
    static final int MAX_KEY = 250;
    static final int MAX_TAG_VALUE = 8000;
    /** Replica's run_param columns: shorter than MLflow's 250/6000, so checked here with a clear message. */
    static final int MAX_PARAM_KEY = 200;

    static final int MAX_PARAM_VALUE = 4000;

    /** MLflow's rule for metric, param and tag keys. */
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- ]+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Pattern INT = Pattern.compile("-?\\d{1,18}");
    private static final Pattern FLOAT = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final ObjectMapper SORTED =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Inject
    ExperimentRepository experiments;

    @Inject
    RunRepository runs;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    RunEventBus bus;

    @Inject
    DSLContext dsl;

    Clock clock = Clock.systemUTC();

    public record Metric(String key, double value, long timestamp, long step) {}

    public record Param(String key, String value) {}

    public record Tag(String key, String value) {}

    public record Dataset(
            String name,
            String digest,
            String sourceType,
            String source,
            String schema,
            String profile,
            String context) {}

    // ---------------------------------------------------------------------------------------------
    // ids

    /** The Replica experiment an MLflow experiment id names; "0" is MLflow's default experiment. */
    public long experimentId(String id) {
        if ("0".equals(id)) {
            return defaultExperiment();
        }
        long parsed = parseId(id, "experiment");
        if (QuarkusTransaction.requiringNew()
                .call(() -> experiments.findExperiment(parsed))
                .isEmpty()) {
            throw MlflowError.notFound("No Experiment with id=" + id + " exists");
        }
        return parsed;
    }

    /** The Replica run an MLflow run id names. */
    public long runId(String id) {
        long parsed = parseId(id, "run");
        if (QuarkusTransaction.requiringNew().call(() -> runs.findRun(parsed)).isEmpty()) {
            throw MlflowError.notFound("Run with id=" + id + " not found");
        }
        return parsed;
    }

    private static long parseId(String id, String what) {
        try {
            long v = Long.parseLong(id.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw MlflowError.notFound(
                "No " + what + " with id=" + id + " exists (" + what + " ids on this server are positive integers)");
    }

    private synchronized long defaultExperiment() {
        return QuarkusTransaction.requiringNew()
                .call(() -> experiments
                        .find("kind = ?1 and name = ?2 order by id", KIND, DEFAULT_EXPERIMENT)
                        .firstResultOptional()
                        .map(e -> e.id)
                        .orElseGet(() -> insertExperiment(DEFAULT_EXPERIMENT, null, List.of())));
    }

    // ---------------------------------------------------------------------------------------------
    // experiments

    public long createExperiment(String name, String artifactLocation, List<Tag> tags) {
        if (name == null || name.isBlank()) {
            throw MlflowError.invalid("Invalid experiment name: '" + (name == null ? "" : name) + "'");
        }
        if (name.length() > 100) {
            throw MlflowError.invalid("Invalid experiment name: longer than 100 characters (" + name.length() + ")");
        }
        tags.forEach(t -> validateTag(t.key(), t.value()));
        synchronized (this) {
            return QuarkusTransaction.requiringNew().call(() -> {
                if (experiments.count("name", name) > 0) {
                    throw new MlflowError(
                            MlflowError.Code.RESOURCE_ALREADY_EXISTS, "Experiment(name=" + name + ") already exists.");
                }
                return insertExperiment(name, artifactLocation, tags);
            });
        }
    }

    private long insertExperiment(String name, String artifactLocation, List<Tag> tags) {
        Instant now = clock.instant();
        Experiment e = new Experiment();
        e.name = name;
        e.description = "Logged through the MLflow tracking API";
        e.kind = KIND;
        e.specFile = "mlflow";
        e.specText = "";
        e.specJson = "{}";
        e.runCount = 0;
        e.createdAt = now;
        experiments.persist(e);
        experiments.flush();
        dsl.insertInto(MLFLOW_EXPERIMENT)
                .set(MLFLOW_EXPERIMENT.EXPERIMENT_ID, e.id)
                .set(MLFLOW_EXPERIMENT.LIFECYCLE_STAGE, MlflowQueries.ACTIVE)
                .set(
                        MLFLOW_EXPERIMENT.ARTIFACT_LOCATION,
                        artifactLocation == null || artifactLocation.isBlank()
                                ? "mlflow-artifacts:/" + e.id
                                : artifactLocation)
                .set(MLFLOW_EXPERIMENT.LAST_UPDATE_TIME, now.toEpochMilli())
                .execute();
        for (Tag t : tags) {
            upsertExperimentTag(e.id, t);
        }
        return e.id;
    }

    public void setExperimentLifecycle(long experimentId, String stage) {
        QuarkusTransaction.requiringNew().run(() -> {
            ensureMlflowExperiment(experimentId);
            dsl.update(MLFLOW_EXPERIMENT)
                    .set(MLFLOW_EXPERIMENT.LIFECYCLE_STAGE, stage)
                    .set(MLFLOW_EXPERIMENT.LAST_UPDATE_TIME, clock.millis())
                    .where(MLFLOW_EXPERIMENT.EXPERIMENT_ID.eq(experimentId))
                    .execute();
        });
    }

    public void renameExperiment(long experimentId, String newName) {
        if (newName == null || newName.isBlank() || newName.length() > 100) {
            throw MlflowError.invalid("Invalid experiment name: '" + newName + "'");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            if (experiments.count("name = ?1 and id <> ?2", newName, experimentId) > 0) {
                throw new MlflowError(
                        MlflowError.Code.RESOURCE_ALREADY_EXISTS, "Experiment(name=" + newName + ") already exists.");
            }
            dsl.update(EXPERIMENT)
                    .set(EXPERIMENT.NAME, newName)
                    .where(EXPERIMENT.ID.eq(experimentId))
                    .execute();
            ensureMlflowExperiment(experimentId);
            dsl.update(MLFLOW_EXPERIMENT)
                    .set(MLFLOW_EXPERIMENT.LAST_UPDATE_TIME, clock.millis())
                    .where(MLFLOW_EXPERIMENT.EXPERIMENT_ID.eq(experimentId))
                    .execute();
        });
    }

    public void setExperimentTag(long experimentId, Tag tag) {
        validateTag(tag.key(), tag.value());
        QuarkusTransaction.requiringNew().run(() -> upsertExperimentTag(experimentId, tag));
    }

    private void upsertExperimentTag(long experimentId, Tag t) {
        dsl.insertInto(MLFLOW_EXPERIMENT_TAG)
                .set(MLFLOW_EXPERIMENT_TAG.EXPERIMENT_ID, experimentId)
                .set(MLFLOW_EXPERIMENT_TAG.NAME, t.key())
                .set(MLFLOW_EXPERIMENT_TAG.TAG_VALUE, t.value())
                .onConflict(MLFLOW_EXPERIMENT_TAG.EXPERIMENT_ID, MLFLOW_EXPERIMENT_TAG.NAME)
                .doUpdate()
                .set(MLFLOW_EXPERIMENT_TAG.TAG_VALUE, t.value())
                .execute();
    }

    /** A Replica-native experiment gets its MLflow row when MLflow first changes it. */
    private void ensureMlflowExperiment(long experimentId) {
        dsl.insertInto(MLFLOW_EXPERIMENT)
                .set(MLFLOW_EXPERIMENT.EXPERIMENT_ID, experimentId)
                .set(MLFLOW_EXPERIMENT.LIFECYCLE_STAGE, MlflowQueries.ACTIVE)
                .set(MLFLOW_EXPERIMENT.ARTIFACT_LOCATION, "mlflow-artifacts:/" + experimentId)
                .set(MLFLOW_EXPERIMENT.LAST_UPDATE_TIME, clock.millis())
                .onConflictDoNothing()
                .execute();
    }

    private String experimentStage(long experimentId) {
        String stage = dsl.select(MLFLOW_EXPERIMENT.LIFECYCLE_STAGE)
                .from(MLFLOW_EXPERIMENT)
                .where(MLFLOW_EXPERIMENT.EXPERIMENT_ID.eq(experimentId))
                .fetchOne(MLFLOW_EXPERIMENT.LIFECYCLE_STAGE);
        return stage == null ? MlflowQueries.ACTIVE : stage;
    }

    // ---------------------------------------------------------------------------------------------
    // runs

    /** A new run of {@code experimentId}, RUNNING: its MLflow client owns it until it ends it. */
    public long createRun(long experimentId, String userId, String runName, Long startTime, List<Tag> tags) {
        tags.forEach(t -> validateTag(t.key(), t.value()));
        String name = runName;
        for (Tag t : tags) {
            if ((name == null || name.isEmpty()) && t.key().equals("mlflow.runName")) {
                name = t.value();
            }
        }
        if (name != null && name.length() > MAX_KEY) {
            throw MlflowError.invalid("run_name is longer than " + MAX_KEY + " characters");
        }
        String chosenName = name;
        long[] created = QuarkusTransaction.requiringNew().call(() -> {
            if (!experimentStage(experimentId).equals(MlflowQueries.ACTIVE)) {
                throw new MlflowError(
                        MlflowError.Code.INVALID_STATE,
                        "The experiment " + experimentId + " must be in the 'active' state. Current state is deleted.");
            }
            // the lock orders concurrent creates: run indexes stay unique
            Experiment e = experiments.findById(experimentId, LockModeType.PESSIMISTIC_WRITE);
            Instant now = clock.instant();
            int index = e.runCount;
            e.runCount = index + 1;
            Run run = Run.queued(e, index, 0, "", "{}", List.of(), 0, now);
            run.executor = EXECUTOR;
            runs.persist(run);
            run.creationEvent().persist();
            run.transitionTo(RunState.RUNNING, "created through the MLflow tracking API", now)
                    .persist();
            run.owner = "mlflow client";
            writeManifest(run, Map.of());
            runs.flush();
            long start = startTime == null || startTime <= 0 ? now.toEpochMilli() : startTime;
            dsl.insertInto(MLFLOW_RUN)
                    .set(MLFLOW_RUN.RUN_ID, run.id)
                    .set(MLFLOW_RUN.RUN_NAME, chosenName == null || chosenName.isEmpty() ? "run-" + run.id : chosenName)
                    .set(MLFLOW_RUN.USER_ID, userId == null ? "" : userId)
                    .set(MLFLOW_RUN.LIFECYCLE_STAGE, MlflowQueries.ACTIVE)
                    .set(MLFLOW_RUN.START_TIME, start)
                    .execute();
            for (Tag t : tags) {
                upsertRunTag(run.id, t);
            }
            return new long[] {run.id, now.toEpochMilli()};
        });
        bus.state(
                created[0],
                experimentId,
                null,
                RunState.RUNNING.name(),
                "created through the MLflow tracking API",
                Instant.ofEpochMilli(created[1]));
        return created[0];
    }

    /**
     * MLflow's update-run: a terminal status ends the Replica run (FINISHED → SUCCEEDED, FAILED → FAILED,
     * KILLED → CANCELLED) and seals its metric file; a new name renames it.
     */
    public void updateRun(long runId, String status, Long endTime, String runName) {
        if (runName != null && !runName.isEmpty()) {
            if (runName.length() > MAX_KEY) {
                throw MlflowError.invalid("run_name is longer than " + MAX_KEY + " characters");
            }
            QuarkusTransaction.requiringNew().run(() -> {
                ensureMlflowRun(runId);
                dsl.update(MLFLOW_RUN)
                        .set(MLFLOW_RUN.RUN_NAME, runName)
                        .where(MLFLOW_RUN.RUN_ID.eq(runId))
                        .execute();
                upsertRunTag(runId, new Tag("mlflow.runName", runName));
            });
        }
        if (status == null || status.isEmpty()) {
            return;
        }
        RunState target = switch (status) {
            case "FINISHED" -> RunState.SUCCEEDED;
            case "FAILED" -> RunState.FAILED;
            case "KILLED" -> RunState.CANCELLED;
            case "RUNNING", "SCHEDULED" -> null;
            default ->
                throw MlflowError.invalid("Invalid value '" + status
                        + "' for parameter 'status': use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED");
        };
        RunState current =
                QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId).orElseThrow().state);
        if (target == null) {
            if (current != RunState.RUNNING && !(current == RunState.QUEUED && status.equals("SCHEDULED"))) {
                throw new MlflowError(
                        MlflowError.Code.INVALID_STATE,
                        "run " + runId + " is " + MlflowQueries.status(current) + "; it cannot become " + status);
            }
            return;
        }
        if (current != target) {
            try {
                runService.transition(runId, target, "ended through the MLflow tracking API (" + status + ")");
            } catch (IllegalTransitionException e) {
                throw new MlflowError(
                        MlflowError.Code.INVALID_STATE,
                        "run " + runId + " is " + MlflowQueries.status(current) + "; it cannot become " + status);
            }
        }
        metrics.closeRun(runId);
        long end = endTime == null || endTime <= 0 ? clock.millis() : endTime;
        QuarkusTransaction.requiringNew().run(() -> {
            ensureMlflowRun(runId);
            dsl.update(MLFLOW_RUN)
                    .set(MLFLOW_RUN.END_TIME, end)
                    .where(MLFLOW_RUN.RUN_ID.eq(runId))
                    .execute();
        });
    }

    public void setRunLifecycle(long runId, String stage) {
        QuarkusTransaction.requiringNew().run(() -> {
            ensureMlflowRun(runId);
            dsl.update(MLFLOW_RUN)
                    .set(MLFLOW_RUN.LIFECYCLE_STAGE, stage)
                    .where(MLFLOW_RUN.RUN_ID.eq(runId))
                    .execute();
        });
    }

    /** A Replica-native run gets its MLflow row when MLflow first changes it. */
    private void ensureMlflowRun(long runId) {
        Run run = runs.findRun(runId).orElseThrow();
        Instant start = run.startedAt != null ? run.startedAt : run.createdAt;
        dsl.insertInto(MLFLOW_RUN)
                .set(MLFLOW_RUN.RUN_ID, runId)
                .set(MLFLOW_RUN.RUN_NAME, (run.configKey.isEmpty() ? "" : run.configKey + " ") + "seed=" + run.seed)
                .set(MLFLOW_RUN.USER_ID, "")
                .set(MLFLOW_RUN.LIFECYCLE_STAGE, MlflowQueries.ACTIVE)
                .set(MLFLOW_RUN.START_TIME, start.toEpochMilli())
                .set(MLFLOW_RUN.END_TIME, run.finishedAt == null ? null : run.finishedAt.toEpochMilli())
                .onConflictDoNothing()
                .execute();
    }

    private void requireActive(long runId) {
        String stage = dsl.select(MLFLOW_RUN.LIFECYCLE_STAGE)
                .from(MLFLOW_RUN)
                .where(MLFLOW_RUN.RUN_ID.eq(runId))
                .fetchOne(MLFLOW_RUN.LIFECYCLE_STAGE);
        if (MlflowQueries.DELETED.equals(stage)) {
            throw MlflowError.invalid("The run " + runId + " must be in the 'active' state. Current state is deleted.");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // logging

    /**
     * MLflow's log-batch (log-metric, log-parameter and set-tag are batches of one): everything is
     * checked before anything is stored; params and tags in one transaction, then the metric points in
     * one append.
     */
    public void logBatch(long runId, List<Metric> points, List<Param> params, List<Tag> tags) {
        if (points.size() > MAX_METRICS) {
            throw MlflowError.invalid("A batch logging request can contain at most " + MAX_METRICS
                    + " metrics. Got " + points.size() + " metrics. Please split up metrics across multiple requests"
                    + " and try again.");
        }
        if (params.size() > MAX_PARAMS) {
            throw MlflowError.invalid("A batch logging request can contain at most " + MAX_PARAMS + " params. Got "
                    + params.size() + " params. Please split up params across multiple requests and try again.");
        }
        if (tags.size() > MAX_TAGS) {
            throw MlflowError.invalid("A batch logging request can contain at most " + MAX_TAGS + " tags. Got "
                    + tags.size() + " tags. Please split up tags across multiple requests and try again.");
        }
        if (points.size() + params.size() + tags.size() > MAX_ENTITIES) {
            throw MlflowError.invalid("A batch logging request can contain at most " + MAX_ENTITIES
                    + " total metrics, params and tags. Got " + (points.size() + params.size() + tags.size())
                    + ". Please split up across multiple requests and try again.");
        }
        for (Metric m : points) {
            validateKey("metric", m.key(), MAX_KEY);
            String problem = MetricNames.problem(m.key());
            if (problem != null) {
                throw MlflowError.invalid("Invalid metric name '" + m.key() + "': " + problem);
            }
        }
        Set<String> seen = new HashSet<>();
        for (Param p : params) {
            validateKey("param", p.key(), MAX_PARAM_KEY);
            if (p.value() == null) {
                throw MlflowError.invalid("Missing value for param '" + p.key() + "'");
            }
            if (p.value().length() > MAX_PARAM_VALUE) {
                throw MlflowError.invalid("Param value for '" + p.key() + "' is "
                        + p.value().length() + " characters; this server keeps at most " + MAX_PARAM_VALUE);
            }
            if (!seen.add(p.key())) {
                throw MlflowError.invalid("Duplicate parameter key '" + p.key() + "' in one batch");
            }
        }
        tags.forEach(t -> validateTag(t.key(), t.value()));
        QuarkusTransaction.requiringNew().run(() -> {
            requireActive(runId);
            if (!params.isEmpty()) {
                logParams(runId, params);
            }
            for (Tag t : tags) {
                upsertRunTag(runId, t);
                if (t.key().equals("mlflow.runName")) {
                    ensureMlflowRun(runId);
                    dsl.update(MLFLOW_RUN)
                            .set(MLFLOW_RUN.RUN_NAME, t.value())
                            .where(MLFLOW_RUN.RUN_ID.eq(runId))
                            .execute();
                }
            }
        });
        if (!points.isEmpty()) {
            try {
                metrics.append(runId, batch(points));
            } catch (MetricStoreException e) {
                throw new MlflowError(MlflowError.Code.INTERNAL_ERROR, e.getMessage());
            }
        }
    }

    /** Points in request order; consecutive points with one step and timestamp share a row. */
    static MetricBatch batch(List<Metric> points) {
        MetricBatch.Builder b = MetricBatch.builder();
        Set<String> inRow = new HashSet<>();
        Metric previous = null;
        for (Metric m : points) {
            boolean sameRow = previous != null
                    && previous.step() == m.step()
                    && previous.timestamp() == m.timestamp()
                    && !inRow.contains(m.key());
            if (!sameRow) {
                b.row(m.step(), m.timestamp());
                inRow.clear();
            }
            b.set(m.key(), m.value());
            inRow.add(m.key());
            previous = m;
        }
        return b.build();
    }

    private void logParams(long runId, List<Param> params) {
        Run run = runs.findRun(runId).orElseThrow();
        if (!KIND.equals(run.experiment.kind)) {
            throw MlflowError.invalid("run " + runId + " was planned from a Replica spec: its params are the spec's"
                    + " and cannot be logged through MLflow");
        }
        Map<String, RunParam> byName = new TreeMap<>();
        run.params.forEach(p -> byName.put(p.name, p));
        boolean changed = false;
        for (Param p : params) {
            RunParam old = byName.get(p.key());
            if (old != null) {
                if (!old.valueText.equals(p.value())) {
                    throw MlflowError.invalid("Changing param values is not allowed. Param with key='" + p.key()
                            + "' was already logged with value='" + old.valueText + "' for run ID='" + runId
                            + "'. Attempted logging new value '" + p.value() + "'.");
                }
                continue;
            }
            byName.put(p.key(), typed(p.key(), p.value()));
            changed = true;
        }
        if (!changed) {
            return;
        }
        run.params.clear();
        run.params.addAll(byName.values());
        Map<String, Object> values = new TreeMap<>();
        StringBuilder key = new StringBuilder();
        for (RunParam p : byName.values()) {
            values.put(p.name, p.value());
            if (p.name.equals("seed") && p.valueType == RunParam.Type.INT) {
                run.seed = (Long) p.value();
                continue; // seeds of one configuration share its key: seed grouping works on MLflow runs
            }
            key.append(key.length() == 0 ? "" : ",").append(p.name).append('=').append(p.valueText);
        }
        if (key.length() > 4000) {
            throw MlflowError.invalid("the run's params add up to more than 4000 characters of configuration key");
        }
        run.configKey = key.toString();
        try {
            run.paramsJson = SORTED.writeValueAsString(values);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        writeManifest(run, datasets(runId));
    }

    /**
     * A param as MLflow sends it (text), typed for Replica's filters and grouping when it reads as an
     * integer, a decimal number or a boolean; the text is kept exactly as logged.
     */
    static RunParam typed(String key, String text) {
        Object value = text;
        if (INT.matcher(text).matches()) {
            value = Long.parseLong(text);
        } else if (FLOAT.matcher(text).matches()) {
            value = Double.parseDouble(text);
        } else if (text.equals("true") || text.equals("false") || text.equals("True") || text.equals("False")) {
            value = Boolean.parseBoolean(text);
        }
        RunParam p = RunParam.of(key, value);
        p.valueText = text;
        return p;
    }

    public void deleteTag(long runId, String key) {
        QuarkusTransaction.requiringNew().run(() -> {
            requireActive(runId);
            int deleted = dsl.deleteFrom(MLFLOW_RUN_TAG)
                    .where(MLFLOW_RUN_TAG.RUN_ID.eq(runId).and(MLFLOW_RUN_TAG.NAME.eq(key)))
                    .execute();
            if (deleted == 0) {
                throw MlflowError.notFound("No tag with name: " + key + " in run with id " + runId);
            }
        });
    }

    private void upsertRunTag(long runId, Tag t) {
        dsl.insertInto(MLFLOW_RUN_TAG)
                .set(MLFLOW_RUN_TAG.RUN_ID, runId)
                .set(MLFLOW_RUN_TAG.NAME, t.key())
                .set(MLFLOW_RUN_TAG.TAG_VALUE, t.value())
                .onConflict(MLFLOW_RUN_TAG.RUN_ID, MLFLOW_RUN_TAG.NAME)
                .doUpdate()
                .set(MLFLOW_RUN_TAG.TAG_VALUE, t.value())
                .execute();
    }

    /** MLflow's log-inputs: dataset identities, kept per run and in the run's manifest. */
    public void logInputs(long runId, List<Dataset> datasets) {
        for (Dataset d : datasets) {
            if (d.name() == null
                    || d.name().isEmpty()
                    || d.digest() == null
                    || d.digest().isEmpty()) {
                throw MlflowError.invalid("a dataset needs a name and a digest");
            }
            if (d.name().length() > 500 || d.digest().length() > 36) {
                throw MlflowError.invalid(
                        "dataset name longer than 500 or digest longer than 36 characters: " + d.name());
            }
            if (d.sourceType() == null || d.source() == null) {
                throw MlflowError.invalid("dataset '" + d.name() + "' needs source_type and source");
            }
        }
        QuarkusTransaction.requiringNew().run(() -> {
            requireActive(runId);
            Run run = runs.findRun(runId).orElseThrow();
            for (Dataset d : datasets) {
                dsl.insertInto(MLFLOW_RUN_INPUT)
                        .set(MLFLOW_RUN_INPUT.RUN_ID, runId)
                        .set(MLFLOW_RUN_INPUT.NAME, d.name())
                        .set(MLFLOW_RUN_INPUT.DIGEST, d.digest())
                        .set(MLFLOW_RUN_INPUT.SOURCE_TYPE, d.sourceType())
                        .set(MLFLOW_RUN_INPUT.SOURCE, d.source())
                        .set(MLFLOW_RUN_INPUT.DATASET_SCHEMA, d.schema())
                        .set(MLFLOW_RUN_INPUT.PROFILE, d.profile())
                        .set(MLFLOW_RUN_INPUT.CONTEXT, d.context())
                        .onConflictDoNothing()
                        .execute();
            }
            if (KIND.equals(run.experiment.kind)) {
                writeManifest(run, datasets(runId));
            }
        });
    }

    private Map<String, RunManifest.DatasetIdentity> datasets(long runId) {
        Map<String, RunManifest.DatasetIdentity> out = new TreeMap<>();
        dsl.selectFrom(MLFLOW_RUN_INPUT)
                .where(MLFLOW_RUN_INPUT.RUN_ID.eq(runId))
                .orderBy(MLFLOW_RUN_INPUT.NAME, MLFLOW_RUN_INPUT.DIGEST)
                .forEach(r -> out.put(
                        r.getName() + "@" + r.getDigest(),
                        // MLflow's digest stands where Replica puts a file hash; the source is the path
                        new RunManifest.DatasetIdentity(r.getSourceType() + ":" + r.getSource(), 0, r.getDigest(), 0)));
        return out;
    }

    /** The manifest of an MLflow run: kind, params, seed and datasets; its hash groups repeats. */
    private static void writeManifest(Run run, Map<String, RunManifest.DatasetIdentity> data) {
        Map<String, Object> params = new TreeMap<>();
        run.params.forEach(p -> params.put(p.name, p.value()));
        RunManifest m = new RunManifest(
                run.createdAt.toString(), null, KIND, null, params, run.seed, null, null, null, null, null, data, null);
        run.manifestJson = m.toCanonicalJson();
        run.recipeHash = m.recipeHash();
    }

    // ---------------------------------------------------------------------------------------------
    // validation

    private static void validateKey(String what, String key, int max) {
        if (key == null || key.isEmpty()) {
            throw MlflowError.invalid("Missing value for required parameter 'key' of a " + what);
        }
        if (key.length() > max) {
            throw MlflowError.invalid(what + " key '" + key.substring(0, 40) + "…' is " + key.length()
                    + " characters; at most " + max + " are allowed");
        }
        if (!KEY.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw MlflowError.invalid("Invalid " + what + " name: '" + key + "'. Names may only contain"
                    + " alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        }
    }

    private static void validateTag(String key, String value) {
        validateKey("tag", key, MAX_KEY);
        if (value == null) {
            throw MlflowError.invalid("Missing value for tag '" + key + "'");
        }
        if (value.length() > MAX_TAG_VALUE) {
            throw MlflowError.invalid("Tag value for '" + key + "' is " + value.length() + " characters; at most "
                    + MAX_TAG_VALUE + " are allowed");
        }
    }

    static List<Tag> tags(List<MlflowView.Tag> tags) {
        List<Tag> out = new ArrayList<>();
        tags.forEach(t -> out.add(new Tag(t.key(), t.value())));
        return out;
    }
}
