package dev.replica.backend.mlflow;

import static dev.replica.backend.db.Tables.EXPERIMENT;
import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.MLFLOW_EXPERIMENT;
import static dev.replica.backend.db.Tables.MLFLOW_EXPERIMENT_TAG;
import static dev.replica.backend.db.Tables.MLFLOW_RUN;
import static dev.replica.backend.db.Tables.MLFLOW_RUN_INPUT;
import static dev.replica.backend.db.Tables.MLFLOW_RUN_TAG;
import static dev.replica.backend.db.Tables.RUN;
import static dev.replica.backend.db.Tables.RUN_PARAM;

import dev.replica.backend.run.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Read side of the MLflow API: Replica's experiments and runs (any of them, not only those created
 * through MLflow) seen as MLflow entities, with the MLflow-only attributes from the {@code mlflow_*}
 * tables. A run's latest metric values come from the metric summaries (the last point logged).
 */
@ApplicationScoped
public class MlflowQueries {

    static final String ACTIVE = "active";
    static final String DELETED = "deleted";

    @Inject
    DSLContext dsl;

    /** A run with everything MLflow shows of it; also what searches filter and order on. */
    record RunRecord(
            long id,
            long experimentId,
            RunState state,
            String runName,
            String userId,
            String lifecycleStage,
            long startTime,
            Long endTime,
            Map<String, String> params,
            Map<String, String> tags,
            Map<String, MlflowView.Metric> metrics,
            List<MlflowView.DatasetInput> inputs)
            implements SearchFilter.Subject {

        @Override
        public Double metric(String key) {
            MlflowView.Metric m = metrics.get(key);
            return m == null ? null : m.value();
        }

        @Override
        public String param(String key) {
            return params.get(key);
        }

        @Override
        public String tag(String key) {
            return tags.get(key);
        }

        @Override
        public Object attribute(String key) {
            return switch (key) {
                case "run_id" -> Long.toString(id);
                case "run_name" -> runName;
                case "status" -> status(state);
                case "user_id" -> userId;
                case "artifact_uri" -> artifactUri(id);
                case "lifecycle_stage" -> lifecycleStage;
                case "start_time" -> startTime;
                case "end_time" -> endTime;
                default -> null;
            };
        }

        MlflowView.RunInfo info() {
            String runId = Long.toString(id);
            return new MlflowView.RunInfo(
                    runId,
                    runId,
                    runName,
                    Long.toString(experimentId),
                    userId,
                    status(state),
                    startTime,
                    endTime,
                    artifactUri(id),
                    lifecycleStage);
        }

        MlflowView.Run view() {
            List<MlflowView.Param> p = new ArrayList<>();
            params.forEach((k, v) -> p.add(new MlflowView.Param(k, v)));
            List<MlflowView.Tag> t = new ArrayList<>();
            tags.forEach((k, v) -> t.add(new MlflowView.Tag(k, v)));
            return new MlflowView.Run(
                    info(),
                    new MlflowView.RunData(new ArrayList<>(metrics.values()), p, t),
                    new MlflowView.RunInputs(inputs));
        }
    }

    /** An experiment as MLflow shows it. */
    record ExperimentRecord(
            long id,
            String name,
            String lifecycleStage,
            String artifactLocation,
            long creationTime,
            long lastUpdate,
            Map<String, String> tags)
            implements SearchFilter.Subject {

        @Override
        public Double metric(String key) {
            return null;
        }

        @Override
        public String param(String key) {
            return null;
        }

        @Override
        public String tag(String key) {
            return tags.get(key);
        }

        @Override
        public Object attribute(String key) {
            return switch (key) {
                case "name" -> name;
                case "experiment_id" -> Long.toString(id);
                case "creation_time" -> creationTime;
                case "last_update_time" -> lastUpdate;
                default -> null;
            };
        }

        MlflowView.Experiment view() {
            List<MlflowView.Tag> t = new ArrayList<>();
            tags.forEach((k, v) -> t.add(new MlflowView.Tag(k, v)));
            return new MlflowView.Experiment(
                    Long.toString(id), name, artifactLocation, lifecycleStage, lastUpdate, creationTime, t);
        }
    }

    /** MLflow's run status for a Replica state. */
    static String status(RunState state) {
        return switch (state) {
            case QUEUED -> "SCHEDULED";
            case RUNNING -> "RUNNING";
            case SUCCEEDED -> "FINISHED";
            case FAILED, INTERRUPTED -> "FAILED";
            case CANCELLED, PRUNED -> "KILLED";
        };
    }

    static String artifactUri(long runId) {
        return "mlflow-artifacts:/runs/" + runId + "/artifacts";
    }

    public Optional<RunRecord> run(long runId) {
        return runs(RUN.ID.eq(runId)).stream().findFirst();
    }

    /** Runs matching {@code where} (a condition on RUN), in id order. */
    List<RunRecord> runs(Condition where) {
        Map<Long, Map<String, String>> params = new TreeMap<>();
        dsl.select(RUN_PARAM.RUN_ID, RUN_PARAM.NAME, RUN_PARAM.VALUE_TEXT)
                .from(RUN_PARAM)
                .join(RUN)
                .on(RUN.ID.eq(RUN_PARAM.RUN_ID))
                .where(where)
                .orderBy(RUN_PARAM.RUN_ID, RUN_PARAM.NAME)
                .forEach(r ->
                        params.computeIfAbsent(r.value1(), k -> new TreeMap<>()).put(r.value2(), r.value3()));
        Map<Long, Map<String, String>> tags = new TreeMap<>();
        dsl.select(MLFLOW_RUN_TAG.RUN_ID, MLFLOW_RUN_TAG.NAME, MLFLOW_RUN_TAG.TAG_VALUE)
                .from(MLFLOW_RUN_TAG)
                .join(RUN)
                .on(RUN.ID.eq(MLFLOW_RUN_TAG.RUN_ID))
                .where(where)
                .orderBy(MLFLOW_RUN_TAG.RUN_ID, MLFLOW_RUN_TAG.NAME)
                .forEach(r ->
                        tags.computeIfAbsent(r.value1(), k -> new TreeMap<>()).put(r.value2(), r.value3()));
        Map<Long, Map<String, MlflowView.Metric>> metrics = new TreeMap<>();
        dsl.select(
                        METRIC_SUMMARY.RUN_ID,
                        METRIC_SUMMARY.METRIC,
                        METRIC_SUMMARY.LAST_VALUE,
                        METRIC_SUMMARY.LAST_STEP,
                        METRIC_SUMMARY.POINT_COUNT,
                        METRIC_SUMMARY.UPDATED_AT)
                .from(METRIC_SUMMARY)
                .join(RUN)
                .on(RUN.ID.eq(METRIC_SUMMARY.RUN_ID))
                .where(where)
                .orderBy(METRIC_SUMMARY.RUN_ID, METRIC_SUMMARY.METRIC)
                .forEach(r -> {
                    // summaries keep finite values (and infinities); a null last value with points is a NaN
                    double value = r.value3() == null ? Double.NaN : r.value3();
                    long step = r.value4() == null ? 0 : r.value4();
                    metrics.computeIfAbsent(r.value1(), k -> new LinkedHashMap<>())
                            .put(r.value2(), new MlflowView.Metric(r.value2(), value, millis(r.value6()), step));
                });
        Map<Long, List<MlflowView.DatasetInput>> inputs = new TreeMap<>();
        dsl.select(MLFLOW_RUN_INPUT.fields())
                .from(MLFLOW_RUN_INPUT)
                .join(RUN)
                .on(RUN.ID.eq(MLFLOW_RUN_INPUT.RUN_ID))
                .where(where)
                .orderBy(MLFLOW_RUN_INPUT.RUN_ID, MLFLOW_RUN_INPUT.NAME, MLFLOW_RUN_INPUT.DIGEST)
                .forEach(r -> {
                    String context = r.get(MLFLOW_RUN_INPUT.CONTEXT);
                    List<MlflowView.Tag> t =
                            context == null ? List.of() : List.of(new MlflowView.Tag("mlflow.data.context", context));
                    inputs.computeIfAbsent(r.get(MLFLOW_RUN_INPUT.RUN_ID), k -> new ArrayList<>())
                            .add(new MlflowView.DatasetInput(
                                    t,
                                    new MlflowView.Dataset(
                                            r.get(MLFLOW_RUN_INPUT.NAME),
                                            r.get(MLFLOW_RUN_INPUT.DIGEST),
                                            r.get(MLFLOW_RUN_INPUT.SOURCE_TYPE),
                                            r.get(MLFLOW_RUN_INPUT.SOURCE),
                                            r.get(MLFLOW_RUN_INPUT.DATASET_SCHEMA),
                                            r.get(MLFLOW_RUN_INPUT.PROFILE))));
                });
        List<RunRecord> out = new ArrayList<>();
        for (Record r : dsl.select(
                        RUN.ID,
                        RUN.EXPERIMENT_ID,
                        RUN.STATE,
                        RUN.CONFIG_KEY,
                        RUN.SEED,
                        RUN.CREATED_AT,
                        RUN.STARTED_AT,
                        RUN.FINISHED_AT,
                        MLFLOW_RUN.RUN_NAME,
                        MLFLOW_RUN.USER_ID,
                        MLFLOW_RUN.LIFECYCLE_STAGE,
                        MLFLOW_RUN.START_TIME,
                        MLFLOW_RUN.END_TIME)
                .from(RUN)
                .leftJoin(MLFLOW_RUN)
                .on(MLFLOW_RUN.RUN_ID.eq(RUN.ID))
                .where(where)
                .orderBy(RUN.ID)
                .fetch()) {
            long id = r.get(RUN.ID);
            boolean mlflow = r.get(MLFLOW_RUN.LIFECYCLE_STAGE) != null; // NOT NULL: null only without a row
            // a Replica-native run: its configuration and seed name it, its own times bound it
            OffsetDateTime started = r.get(RUN.STARTED_AT) != null ? r.get(RUN.STARTED_AT) : r.get(RUN.CREATED_AT);
            String name = mlflow
                    ? r.get(MLFLOW_RUN.RUN_NAME)
                    : (r.get(RUN.CONFIG_KEY).isEmpty() ? "" : r.get(RUN.CONFIG_KEY) + " ") + "seed=" + r.get(RUN.SEED);
            Long end = mlflow
                    ? r.get(MLFLOW_RUN.END_TIME)
                    : (r.get(RUN.FINISHED_AT) == null ? null : millis(r.get(RUN.FINISHED_AT)));
            out.add(new RunRecord(
                    id,
                    r.get(RUN.EXPERIMENT_ID),
                    RunState.valueOf(r.get(RUN.STATE)),
                    name,
                    mlflow ? r.get(MLFLOW_RUN.USER_ID) : "",
                    mlflow ? r.get(MLFLOW_RUN.LIFECYCLE_STAGE) : ACTIVE,
                    mlflow ? r.get(MLFLOW_RUN.START_TIME) : millis(started),
                    end,
                    params.getOrDefault(id, Map.of()),
                    tags.getOrDefault(id, Map.of()),
                    metrics.getOrDefault(id, Map.of()),
                    inputs.getOrDefault(id, List.of())));
        }
        return out;
    }

    public Optional<ExperimentRecord> experiment(long id) {
        return experiments(EXPERIMENT.ID.eq(id)).stream().findFirst();
    }

    /** The newest experiment named {@code name}. */
    public Optional<ExperimentRecord> experimentByName(String name) {
        List<ExperimentRecord> all = experiments(EXPERIMENT.NAME.eq(name));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Experiments matching {@code where} (a condition on EXPERIMENT), in id order. */
    List<ExperimentRecord> experiments(Condition where) {
        Map<Long, Map<String, String>> tags = new TreeMap<>();
        dsl.select(MLFLOW_EXPERIMENT_TAG.EXPERIMENT_ID, MLFLOW_EXPERIMENT_TAG.NAME, MLFLOW_EXPERIMENT_TAG.TAG_VALUE)
                .from(MLFLOW_EXPERIMENT_TAG)
                .join(EXPERIMENT)
                .on(EXPERIMENT.ID.eq(MLFLOW_EXPERIMENT_TAG.EXPERIMENT_ID))
                .where(where)
                .orderBy(MLFLOW_EXPERIMENT_TAG.EXPERIMENT_ID, MLFLOW_EXPERIMENT_TAG.NAME)
                .forEach(r ->
                        tags.computeIfAbsent(r.value1(), k -> new TreeMap<>()).put(r.value2(), r.value3()));
        List<ExperimentRecord> out = new ArrayList<>();
        for (Record r : dsl.select(
                        EXPERIMENT.ID,
                        EXPERIMENT.NAME,
                        EXPERIMENT.CREATED_AT,
                        MLFLOW_EXPERIMENT.LIFECYCLE_STAGE,
                        MLFLOW_EXPERIMENT.ARTIFACT_LOCATION,
                        MLFLOW_EXPERIMENT.LAST_UPDATE_TIME)
                .from(EXPERIMENT)
                .leftJoin(MLFLOW_EXPERIMENT)
                .on(MLFLOW_EXPERIMENT.EXPERIMENT_ID.eq(EXPERIMENT.ID))
                .where(where)
                .orderBy(EXPERIMENT.ID)
                .fetch()) {
            long id = r.get(EXPERIMENT.ID);
            long created = millis(r.get(EXPERIMENT.CREATED_AT));
            String stage = r.get(MLFLOW_EXPERIMENT.LIFECYCLE_STAGE);
            out.add(new ExperimentRecord(
                    id,
                    r.get(EXPERIMENT.NAME),
                    stage == null ? ACTIVE : stage,
                    stage == null ? "mlflow-artifacts:/" + id : r.get(MLFLOW_EXPERIMENT.ARTIFACT_LOCATION),
                    created,
                    stage == null ? created : r.get(MLFLOW_EXPERIMENT.LAST_UPDATE_TIME),
                    tags.getOrDefault(id, Map.of())));
        }
        return out;
    }

    /** One page of a search and the token of the next (null on the last page). */
    record Page<T>(List<T> items, String nextPageToken) {}

    /** MLflow's search-runs over the runs of {@code experimentIds}. */
    Page<RunRecord> searchRuns(
            List<Long> experimentIds,
            String filter,
            String viewType,
            int maxResults,
            List<String> orderBy,
            String pageToken) {
        Search search = new Search(SearchFilter.RUNS, filter, orderBy, "start_time", viewType, pageToken);
        List<RunRecord> candidates = experimentIds.isEmpty() ? List.of() : runs(RUN.EXPERIMENT_ID.in(experimentIds));
        return search.page(candidates, RunRecord::lifecycleStage, RunRecord::id, maxResults);
    }

    /** MLflow's search-experiments. */
    Page<ExperimentRecord> searchExperiments(
            String filter, String viewType, int maxResults, List<String> orderBy, String pageToken) {
        Search search = new Search(SearchFilter.EXPERIMENTS, filter, orderBy, "creation_time", viewType, pageToken);
        return search.page(
                experiments(org.jooq.impl.DSL.trueCondition()),
                ExperimentRecord::lifecycleStage,
                ExperimentRecord::id,
                maxResults);
    }

    /** A parsed search (checked before any row is read): filter, order (newest first by default), stage, offset. */
    private record Search(
            List<SearchFilter.Clause> clauses,
            List<SearchFilter.Order> orders,
            java.util.function.Predicate<String> stage,
            int offset) {

        Search(
                SearchFilter.Grammar grammar,
                String filter,
                List<String> orderBy,
                String newest,
                String viewType,
                String pageToken) {
            this(
                    SearchFilter.parse(filter, grammar),
                    orderBy.isEmpty()
                            ? List.of(new SearchFilter.Order(SearchFilter.Entity.ATTRIBUTE, newest, false))
                            : orderBy.stream()
                                    .map(o -> SearchFilter.parseOrder(o, grammar))
                                    .toList(),
                    MlflowQueries.stage(viewType),
                    MlflowQueries.offset(pageToken));
        }

        <T extends SearchFilter.Subject> Page<T> page(
                List<T> candidates,
                java.util.function.Function<T, String> stageOf,
                java.util.function.ToLongFunction<T> id,
                int maxResults) {
            List<T> matching = new ArrayList<>();
            for (T c : candidates) {
                if (stage.test(stageOf.apply(c)) && SearchFilter.matches(clauses, c)) {
                    matching.add(c);
                }
            }
            matching.sort(SearchFilter.comparator(orders, java.util.Comparator.comparingLong(id)));
            return MlflowQueries.page(matching, offset, maxResults);
        }
    }

    /**
     * Every point of {@code metric} in {@code runId}'s store, in the order logged, as MLflow's history;
     * the values keep their bits (NaN payloads aside, which JSON cannot carry).
     */
    List<MlflowView.Metric> history(long runId, String metric) {
        String key = Long.toString(runId);
        List<MlflowView.Metric> points = new ArrayList<>();
        if (store.exists(key)) {
            dev.replica.experiments.metrics.RunData data = store.read(
                    key, dev.replica.experiments.metrics.Projection.of(metric).withTimes());
            if (data.hasMetric(metric)) {
                for (int r = 0; r < data.size(); r++) {
                    if (data.isPresent(metric, r)) {
                        points.add(new MlflowView.Metric(metric, data.value(metric, r), data.timeMs(r), data.step(r)));
                    }
                }
            }
        }
        return points;
    }

    @Inject
    dev.replica.experiments.metrics.MetricStore store;

    private static java.util.function.Predicate<String> stage(String viewType) {
        String v = viewType == null || viewType.isEmpty() ? "ACTIVE_ONLY" : viewType;
        return switch (v) {
            case "ACTIVE_ONLY" -> ACTIVE::equals;
            case "DELETED_ONLY" -> DELETED::equals;
            case "ALL" -> s -> true;
            default ->
                throw MlflowError.invalid("Invalid view type '" + viewType + "': use ACTIVE_ONLY, DELETED_ONLY or ALL");
        };
    }

    private static <T> Page<T> page(List<T> all, int offset, int max) {
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + max, all.size());
        String next = to < all.size()
                ? java.util.Base64.getUrlEncoder()
                        .encodeToString(("offset:" + to).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : null;
        return new Page<>(new ArrayList<>(all.subList(from, to)), next);
    }

    private static int offset(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(
                    java.util.Base64.getUrlDecoder().decode(pageToken), java.nio.charset.StandardCharsets.UTF_8);
            if (text.startsWith("offset:")) {
                int offset = Integer.parseInt(text.substring(7));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw MlflowError.invalid("Invalid page token '" + pageToken + "'");
    }

    private static long millis(OffsetDateTime t) {
        return t == null ? 0 : t.toInstant().toEpochMilli();
    }
}
