package dev.replica.backend.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * HTTP only: MLflow's tracking REST API (the subset training scripts use), so that {@code mlflow}
 * clients log into Replica with {@code MLFLOW_TRACKING_URI} pointing at {@code replica serve}. The
 * {@code /ajax-api/2.0/mlflow} prefix is routed here by {@link AjaxApiRoute}. Errors are MLflow's
 * {@code {"error_code", "message"}} ({@link MlflowErrorMapper}). See docs/mlflow.md.
 */
@Path("/api/2.0/mlflow")
@Tag(name = "MLflow tracking API")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
public class MlflowResource {

    static final int DEFAULT_MAX_RESULTS = 1000;
    static final int MAX_RESULTS = 50_000;

    @Inject
    MlflowService service;

    @Inject
    MlflowReadService reads;

    @Inject
    ObjectMapper json;

    private static final Map<String, Object> EMPTY = Map.of();

    // ---------------------------------------------------------------------------------------------
    // experiments

    @POST
    @Path("/experiments/create")
    @Operation(summary = "MLflow: create an experiment {name, artifact_location?, tags?} → {experiment_id}")
    public Map<String, Object> createExperiment(String body) {
        MlflowRequest r = request(body);
        long id = service.createExperiment(r.required("name"), r.string("artifact_location"), tags(r));
        return Map.of("experiment_id", Long.toString(id));
    }

    @GET
    @Path("/experiments/get")
    @Operation(summary = "MLflow: an experiment by id")
    public Map<String, Object> getExperiment(@Context UriInfo uri) {
        MlflowRequest r = query(uri);
        long id = service.experimentId(r.required("experiment_id"));
        return Map.of("experiment", reads.experiment(id).orElseThrow().view());
    }

    @GET
    @Path("/experiments/get-by-name")
    @Operation(summary = "MLflow: the experiment with this name")
    public Map<String, Object> getExperimentByName(@Context UriInfo uri) {
        String name = query(uri).required("experiment_name");
        return Map.of(
                "experiment",
                reads.experimentByName(name)
                        .orElseThrow(() -> MlflowError.notFound("Could not find experiment with name '" + name + "'"))
                        .view());
    }

    @POST
    @Path("/experiments/search")
    @Operation(summary = "MLflow: search experiments {filter?, order_by?, view_type?, max_results?, page_token?}")
    public Map<String, Object> searchExperiments(String body) {
        MlflowRequest r = request(body);
        MlflowQueries.Page<MlflowQueries.ExperimentRecord> page = reads.searchExperiments(
                r.string("filter"),
                r.string("view_type"),
                maxResults(r),
                r.strings("order_by"),
                r.string("page_token"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "experiments",
                page.items().stream().map(MlflowQueries.ExperimentRecord::view).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @POST
    @Path("/experiments/delete")
    @Operation(summary = "MLflow: mark an experiment deleted")
    public Map<String, Object> deleteExperiment(String body) {
        service.setExperimentLifecycle(
                service.experimentId(request(body).required("experiment_id")), MlflowQueries.DELETED);
        return EMPTY;
    }

    @POST
    @Path("/experiments/restore")
    @Operation(summary = "MLflow: restore a deleted experiment")
    public Map<String, Object> restoreExperiment(String body) {
        service.setExperimentLifecycle(
                service.experimentId(request(body).required("experiment_id")), MlflowQueries.ACTIVE);
        return EMPTY;
    }

    @POST
    @Path("/experiments/update")
    @Operation(summary = "MLflow: rename an experiment {experiment_id, new_name}")
    public Map<String, Object> updateExperiment(String body) {
        MlflowRequest r = request(body);
        service.renameExperiment(service.experimentId(r.required("experiment_id")), r.required("new_name"));
        return EMPTY;
    }

    @POST
    @Path("/experiments/set-experiment-tag")
    @Operation(summary = "MLflow: set a tag on an experiment")
    public Map<String, Object> setExperimentTag(String body) {
        MlflowRequest r = request(body);
        service.setExperimentTag(
                service.experimentId(r.required("experiment_id")),
                new MlflowService.Tag(r.required("key"), r.string("value")));
        return EMPTY;
    }

    // ---------------------------------------------------------------------------------------------
    // runs

    @POST
    @Path("/runs/create")
    @Operation(summary = "MLflow: create a run {experiment_id, user_id?, run_name?, start_time?, tags?} → {run}")
    public Map<String, Object> createRun(String body) {
        MlflowRequest r = request(body);
        String experiment = r.string("experiment_id");
        long experimentId = service.experimentId(experiment == null || experiment.isEmpty() ? "0" : experiment);
        long runId = service.createRun(
                experimentId, r.string("user_id"), r.string("run_name"), r.int64("start_time", null), tags(r));
        return Map.of("run", run(runId));
    }

    @GET
    @Path("/runs/get")
    @Operation(summary = "MLflow: a run with its latest metrics, params, tags and inputs")
    public Map<String, Object> getRun(@Context UriInfo uri) {
        return Map.of("run", run(service.runId(query(uri).runId())));
    }

    @POST
    @Path("/runs/update")
    @Operation(summary = "MLflow: end or rename a run {run_id, status?, end_time?, run_name?} → {run_info}")
    public Map<String, Object> updateRun(String body) {
        MlflowRequest r = request(body);
        long runId = service.runId(r.runId());
        service.updateRun(runId, r.string("status"), r.int64("end_time", null), r.string("run_name"));
        return Map.of("run_info", run(runId).info());
    }

    @POST
    @Path("/runs/delete")
    @Operation(summary = "MLflow: mark a run deleted")
    public Map<String, Object> deleteRun(String body) {
        service.setRunLifecycle(service.runId(request(body).runId()), MlflowQueries.DELETED);
        return EMPTY;
    }

    @POST
    @Path("/runs/restore")
    @Operation(summary = "MLflow: restore a deleted run")
    public Map<String, Object> restoreRun(String body) {
        service.setRunLifecycle(service.runId(request(body).runId()), MlflowQueries.ACTIVE);
        return EMPTY;
    }

    @POST
    @Path("/runs/search")
    @Operation(
            summary =
                    "MLflow: search runs {experiment_ids, filter?, run_view_type?, max_results?, order_by?, page_token?}")
    public Map<String, Object> searchRuns(String body) {
        MlflowRequest r = request(body);
        List<Long> experiments = new ArrayList<>();
        for (String id : r.strings("experiment_ids")) {
            experiments.add(service.experimentId(id));
        }
        MlflowQueries.Page<MlflowQueries.RunRecord> page = reads.searchRuns(
                experiments,
                r.string("filter"),
                r.string("run_view_type"),
                maxResults(r),
                r.strings("order_by"),
                r.string("page_token"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", page.items().stream().map(MlflowQueries.RunRecord::view).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // logging

    @POST
    @Path("/runs/log-metric")
    @Operation(summary = "MLflow: log one metric point {run_id, key, value, timestamp, step?}")
    public Map<String, Object> logMetric(String body) {
        MlflowRequest r = request(body);
        long runId = service.runId(r.runId());
        service.logBatch(runId, List.of(metric(r)), List.of(), List.of());
        return EMPTY;
    }

    @POST
    @Path("/runs/log-parameter")
    @Operation(summary = "MLflow: log one param {run_id, key, value}")
    public Map<String, Object> logParam(String body) {
        MlflowRequest r = request(body);
        long runId = service.runId(r.runId());
        service.logBatch(runId, List.of(), List.of(param(r)), List.of());
        return EMPTY;
    }

    @POST
    @Path("/runs/set-tag")
    @Operation(summary = "MLflow: set a tag on a run {run_id, key, value}")
    public Map<String, Object> setTag(String body) {
        MlflowRequest r = request(body);
        long runId = service.runId(r.runId());
        service.logBatch(runId, List.of(), List.of(), List.of(tag(r)));
        return EMPTY;
    }

    @POST
    @Path("/runs/delete-tag")
    @Operation(summary = "MLflow: delete a tag of a run {run_id, key}")
    public Map<String, Object> deleteTag(String body) {
        MlflowRequest r = request(body);
        service.deleteTag(service.runId(r.runId()), r.required("key"));
        return EMPTY;
    }

    @POST
    @Path("/runs/log-batch")
    @Operation(
            summary =
                    "MLflow: log up to 1,000 metric points, 100 params and 100 tags {run_id, metrics?, params?, tags?}")
    public Map<String, Object> logBatch(String body) {
        MlflowRequest r = request(body);
        long runId = service.runId(r.runId());
        service.logBatch(
                runId,
                r.list("metrics", MlflowResource::metric),
                r.list("params", MlflowResource::param),
                r.list("tags", MlflowResource::tag));
        return EMPTY;
    }

    @POST
    @Path("/runs/log-inputs")
    @Operation(summary = "MLflow: record the datasets a run used {run_id, datasets: [{tags?, dataset}]}")
    public Map<String, Object> logInputs(String body) {
        MlflowRequest r = request(body);
        long runId = service.runId(r.runId());
        service.logInputs(runId, r.list("datasets", input -> {
            MlflowRequest d = input.object("dataset");
            String context = null;
            for (MlflowService.Tag t : input.list("tags", MlflowResource::tag)) {
                if (t.key().equals("mlflow.data.context")) {
                    context = t.value();
                }
            }
            return new MlflowService.Dataset(
                    d.string("name"),
                    d.string("digest"),
                    d.string("source_type"),
                    d.string("source"),
                    d.string("schema"),
                    d.string("profile"),
                    context);
        }));
        return EMPTY;
    }

    @GET
    @Path("/metrics/get-history")
    @Operation(summary = "MLflow: every point of one metric of a run {run_id, metric_key}, in the order logged")
    public Map<String, Object> metricHistory(@Context UriInfo uri) {
        MlflowRequest r = query(uri);
        long runId = service.runId(r.runId());
        // the whole history in one answer, as MLflow's SQL store does: it ignores max_results, and MLflow's
        // Java client 2.17.2 fails on a second page (it appends to an unmodifiable list)
        return Map.of("metrics", reads.history(runId, r.required("metric_key")));
    }

    // ---------------------------------------------------------------------------------------------

    private MlflowView.Run run(long runId) {
        return reads.run(runId).orElseThrow().view();
    }

    private MlflowRequest request(String body) {
        return MlflowRequest.parse(body);
    }

    /** Query parameters as a request: repeated ones become arrays. */
    private MlflowRequest query(UriInfo uri) {
        ObjectNode node = json.createObjectNode();
        uri.getQueryParameters().forEach((k, v) -> {
            if (v.size() == 1) {
                node.put(k, v.get(0));
            } else {
                v.forEach(node.putArray(k)::add);
            }
        });
        return MlflowRequest.of(node);
    }

    private static int maxResults(MlflowRequest r) {
        long max = r.int64("max_results", (long) DEFAULT_MAX_RESULTS);
        if (max < 1 || max > MAX_RESULTS) {
            throw MlflowError.invalid("Invalid value " + max
                    + " for parameter 'max_results' supplied. It must be at most " + MAX_RESULTS + " and at least 1");
        }
        return (int) max;
    }

    private static List<MlflowService.Tag> tags(MlflowRequest r) {
        return r.list("tags", MlflowResource::tag);
    }

    private static MlflowService.Tag tag(MlflowRequest t) {
        return new MlflowService.Tag(t.required("key"), t.string("value") == null ? "" : t.string("value"));
    }

    private static MlflowService.Param param(MlflowRequest p) {
        return new MlflowService.Param(p.required("key"), p.string("value") == null ? "" : p.string("value"));
    }

    private static MlflowService.Metric metric(MlflowRequest m) {
        Long timestamp = m.int64("timestamp", null);
        if (timestamp == null) {
            throw MlflowRequest.missing("timestamp");
        }
        return new MlflowService.Metric(m.required("key"), m.float64("value"), timestamp, m.int64("step", 0L));
    }
}
