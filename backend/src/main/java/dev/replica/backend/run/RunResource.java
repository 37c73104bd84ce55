package dev.replica.backend.run;

import dev.replica.backend.label.ArchivedScope;
import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import dev.replica.backend.label.LabelView;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.spec.InvalidInputException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestResponse;

/** HTTP only: runs, filtered by experiment, state and any parameter ({@code param.lr=0.02}). */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    RunQueries queries;

    @GET
    @Operation(
            summary = "List runs, a page at a time (the total is in the X-Total-Count header); filter with "
                    + "experiment=, state=, param.NAME=VALUE and any number of filter=FIELD OP VALUE (e.g. "
                    + "summary:last:val/loss<0.5, param:lr>=0.001, state!=FAILED); sort=FIELD or -FIELD (descending), where "
                    + "FIELD is a run column (id, index, seed, state, attempt, executor, created, started, finished), "
                    + "param:NAME or summary:FIELD:METRIC with FIELD one of last, min, max, count, nan_count, last_step, "
                    + "min_step, max_step; tag:NAME (or !tag:NAME) keeps runs with (without) a tag. Archived runs are left out"
                    + " unless archived=true (only those) or archived=all")
    public RestResponse<List<RunView>> list(
            @QueryParam("experiment") Long experimentId,
            @QueryParam("state") String state,
            @QueryParam("filter") List<String> filters,
            @QueryParam("sort") String sort,
            @QueryParam("limit") @DefaultValue("1000") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("archived") String archived,
            @Parameter(hidden = true) @Context UriInfo uri) {
        Map<String, String> params = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, v) -> {
            if (k.startsWith("param.") && k.length() > 6) {
                params.put(k.substring(6), v.get(0));
            }
        });
        List<RunCondition> conditions = new java.util.ArrayList<>(
                filters == null
                        ? List.of()
                        : filters.stream()
                                .filter(f -> !f.isBlank())
                                .flatMap(f -> RunCondition.parseAll(f).stream())
                                .toList());
        switch (ArchivedScope.parse(archived)) {
            case HIDE -> conditions.add(RunCondition.parse("archived=false"));
            case ONLY -> conditions.add(RunCondition.parse("archived=true"));
            case ALL -> {}
        }
        RunFilter filter =
                new RunFilter(experimentId, parseState(state), params, conditions, RunSort.parse(sort), limit, offset);
        return RestResponse.ResponseBuilder.ok(queries.list(filter))
                .header("X-Total-Count", queries.count(filter))
                .build();
    }

    @GET
    @Path("/details")
    @Operation(
            summary = "Several runs (ids=1,2,3, at most 1000) with their state histories and metric summaries, "
                    + "in the order asked; 404 naming the first id that does not exist, or with unknown=omit the runs "
                    + "that exist (the caller names the ids it did not get back, as the compare page does)")
    public List<RunDetailView> details(
            @QueryParam("ids") String ids, @QueryParam("unknown") @DefaultValue("fail") String unknown) {
        List<Long> wanted = RunIds.parse("ids", ids);
        boolean omitUnknown = switch (unknown) {
            case "fail" -> false;
            case "omit" -> true;
            default ->
                throw new InvalidInputException("unknown", "unknown must be fail or omit, got '" + unknown + "'");
        };
        Map<Long, RunDetailView> found = queries.details(wanted);
        List<RunDetailView> out = new java.util.ArrayList<>();
        for (long id : wanted) {
            RunDetailView d = found.get(id);
            if (d != null) {
                out.add(d);
            } else if (!omitUnknown) {
                throw new NotFoundException("no run with id " + id);
            }
        }
        return out;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run with its state history and metric summaries")
    public RunDetailView get(@PathParam("id") long id) {
        return queries.find(id).orElseThrow(() -> new NotFoundException("no run with id " + id));
    }

    @jakarta.inject.Inject
    dev.replica.backend.scheduler.Scheduler scheduler;

    @jakarta.inject.Inject
    RunService service;

    @jakarta.inject.Inject
    dev.replica.backend.auth.Caller caller;

    @jakarta.inject.Inject
    RunRepository runRepository;

    /** A state after a request. */
    public record StateView(long runId, String state) {}

    @jakarta.ws.rs.POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a run: QUEUED ends CANCELLED at once; RUNNING is stopped by the process running it")
    public StateView cancel(@PathParam("id") long id) {
        return new StateView(
                id,
                scheduler
                        .cancel(id, "cancelled through the API")
                        .orElseThrow(() -> new NotFoundException("no run with id " + id))
                        .name());
    }

    @jakarta.ws.rs.POST
    @Path("/{id}/retry")
    @Operation(summary = "Queue a FAILED, CANCELLED or INTERRUPTED run again")
    public StateView retry(@PathParam("id") long id) {
        if (runRepository
                .findExperimentKind(id)
                .filter(KindRegistry.COMMAND::equals)
                .isPresent()) {
            caller.requireWrite("retrying a command run");
        }
        return new StateView(
                id,
                service.retry(id, "retried through the API")
                        .orElseThrow(() -> new NotFoundException("no run with id " + id))
                        .name());
    }

    @jakarta.inject.Inject
    dev.replica.backend.manifest.ManifestService manifests;

    @jakarta.inject.Inject
    LabelService labels;

    @jakarta.ws.rs.PATCH
    @Path("/{id}")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Change a run's labels: displayName, note (Markdown), tags (replaces them), addTags, removeTags,"
                    + " archived; fields left out stay as they are, an empty displayName or note clears it")
    public LabelView patch(@PathParam("id") long id, LabelPatch patch) {
        if (patch == null) {
            throw new InvalidInputException(
                    "body", "the body must be a JSON object such as {\"addTags\": [\"baseline\"]}");
        }
        return labels.patchRun(id, patch).orElseThrow(() -> new NotFoundException("no run with id " + id));
    }

    @jakarta.inject.Inject
    RunDeletionService deletion;

    /** What a delete removed. */
    public record DeletedView(long runId, long experimentId, String message, int filesRemoved) {}

    @jakarta.ws.rs.DELETE
    @Path("/{id}")
    @Operation(
            summary =
                    "Delete a run for good: its rows, metrics (every attempt), artifacts, logs and manifest; 409 while"
                            + " it is RUNNING (cancel it first). Recorded as an event on its experiment"
                            + " (GET /api/experiments/{id}/events)")
    public DeletedView delete(@PathParam("id") long id) {
        var d = deletion.delete(id, "through the API").orElseThrow(() -> new NotFoundException("no run with id " + id));
        return new DeletedView(
                d.runId(), d.experimentId(), d.message(), d.files().size());
    }

    @GET
    @Path("/{id}/manifest")
    @Operation(summary = "The run's manifest as canonical JSON (404 until the run has started)")
    public jakarta.ws.rs.core.Response manifest(@PathParam("id") long id) {
        var m = manifests
                .find(id)
                .orElseThrow(
                        () -> new NotFoundException("run " + id + " has no manifest (not started, or no such run)"));
        return jakarta.ws.rs.core.Response.ok(m.toCanonicalJson(), MediaType.APPLICATION_JSON)
                .header("X-Replica-Recipe", m.recipeHash())
                .build();
    }

    /** Differences between two manifests, grouped. */
    public record DiffView(
            long a,
            long b,
            boolean recipeDiffers,
            java.util.List<dev.replica.experiments.manifest.ManifestDiff.Difference> differences) {}

    @GET
    @Path("/{a}/diff/{b}")
    @Operation(
            summary =
                    "What differs between two runs' manifests: parameters, spec, code, runtime, dependencies, data, backend")
    public DiffView diff(@PathParam("a") long a, @PathParam("b") long b) {
        var left = manifests.find(a).orElseThrow(() -> new NotFoundException("run " + a + " has no manifest"));
        var right = manifests.find(b).orElseThrow(() -> new NotFoundException("run " + b + " has no manifest"));
        var diff = dev.replica.experiments.manifest.ManifestDiff.between(left, right);
        return new DiffView(a, b, diff.recipeDiffers(), diff.differences());
    }

    static RunState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return RunState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "state", "state must be one of " + java.util.Arrays.toString(RunState.values()) + ", got " + state);
        }
    }
}
