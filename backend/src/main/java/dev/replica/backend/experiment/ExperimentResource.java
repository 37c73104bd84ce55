package dev.replica.backend.experiment;

import dev.replica.backend.auth.Caller;
import dev.replica.backend.label.ArchivedScope;
import dev.replica.backend.label.LabelPatch;
import dev.replica.backend.label.LabelService;
import dev.replica.backend.label.LabelView;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.InvalidInputException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: experiments in and out as records. */
@Path("/api/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentResource {

    @Inject
    ExperimentService service;

    @Inject
    ExperimentQueries queries;

    @Inject
    Caller caller;

    @Inject
    ExperimentDeletionService deletion;

    /** Result of a dry-run validation. */
    public record Validation(boolean valid, String name, String kind, int runs, int configurations) {}

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", MediaType.APPLICATION_JSON})
    @Operation(
            summary = "Store an experiment from a YAML or JSON spec and expand it into QUEUED runs; a command"
                    + " experiment needs a WRITE token or session even on loopback")
    public Response create(
            String body, @QueryParam("file") @DefaultValue("<request>") String file, @Context UriInfo uri) {
        if (KindRegistry.COMMAND.equals(service.validate(body, file).kind())) {
            caller.requireWrite("a command experiment");
        }
        ExperimentService.Created created = service.create(body, file);
        ExperimentView view = queries.find(created.experimentId()).orElseThrow();
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(Long.toString(created.experimentId()))
                        .build())
                .entity(view)
                .build();
    }

    @POST
    @Path("/validate")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", MediaType.APPLICATION_JSON})
    @Operation(summary = "Validate a spec without storing it; 400 problem+json lists every error")
    public Validation validate(String body, @QueryParam("file") @DefaultValue("<request>") String file) {
        ExperimentSpec spec = service.validate(body, file);
        var plan = service.plan(spec, file);
        int configurations =
                (int) plan.stream().map(p -> p.configKey()).distinct().count();
        return new Validation(true, spec.name(), spec.kind(), plan.size(), configurations);
    }

    @GET
    @Operation(
            summary = "List experiments, newest first, with run counts per state; archived ones only with"
                    + " archived=true (only those) or archived=all")
    public List<ExperimentView> list(
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("archived") String archived) {
        if (limit < 1 || limit > 1000 || offset < 0) {
            throw new InvalidInputException(
                    "limit", "limit must be in [1, 1000] and offset ≥ 0, got limit=" + limit + ", offset=" + offset);
        }
        return queries.list(limit, offset, ArchivedScope.parse(archived));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One experiment with its spec text")
    public ExperimentView get(@PathParam("id") long id) {
        return queries.find(id).orElseThrow(() -> new NotFoundException("no experiment with id " + id));
    }

    @Inject
    LabelService labels;

    @GET
    @Path("/{id}/events")
    @Operation(summary = "What happened to the experiment as a whole, oldest first (e.g. runs deleted)")
    public List<ExperimentEvent.View> events(@PathParam("id") long id) {
        if (queries.find(id).isEmpty()) {
            throw new NotFoundException("no experiment with id " + id);
        }
        return service.events(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Change an experiment's labels: displayName, note (Markdown), tags (replaces them), addTags,"
                    + " removeTags, archived; fields left out stay as they are, an empty displayName or note clears it")
    public LabelView patch(@PathParam("id") long id, LabelPatch patch) {
        if (patch == null) {
            throw new InvalidInputException(
                    "body", "the body must be a JSON object such as {\"addTags\": [\"baseline\"]}");
        }
        return labels.patchExperiment(id, patch)
                .orElseThrow(() -> new NotFoundException("no experiment with id " + id));
    }

    /** What a deletion removed. */
    public record ExperimentDeletedView(
            long experimentId, String name, List<Long> runIds, String message, int filesRemoved) {}

    @jakarta.ws.rs.DELETE
    @Path("/{id}")
    @Operation(
            summary = "Delete an experiment for good with all its runs (rows, metrics of every attempt, artifacts,"
                    + " logs, manifests, labels, events); 409 naming the runs while any is QUEUED or RUNNING (cancel"
                    + " them first). Recorded as a line in deletions.log in the server's home")
    public ExperimentDeletedView delete(@PathParam("id") long id) {
        var d = deletion.delete(id, "through the API")
                .orElseThrow(() -> new NotFoundException("no experiment with id " + id));
        return new ExperimentDeletedView(
                d.experimentId(), d.name(), d.runIds(), d.message(), d.files().size());
    }
}
