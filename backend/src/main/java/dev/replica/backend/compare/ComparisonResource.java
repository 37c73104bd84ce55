package dev.replica.backend.compare;

import dev.replica.experiments.compare.ComparisonReport;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: an experiment's comparison report, the same object {@code replica compare --format json} prints. */
@Path("/api/experiments/{id}/comparison")
@Produces(MediaType.APPLICATION_JSON)
public class ComparisonResource {

    @Inject
    ComparisonService service;

    @GET
    @Operation(
            summary = "The experiment's comparison: each run's value (ok, diverged with the step, missing, running), "
                    + "groups with n, mean and 95% CI, Welch and Mann–Whitney p against the baseline (Holm over every "
                    + "candidate), Hedges' g, the efficiency with a bootstrap CI, and warnings. Every part defaults to the "
                    + "spec: metric = metric.primary, value = final (or best, min, max, mean_last_K), by = the parameters "
                    + "that vary, baseline = compare.baseline (name=value pairs, comma-separated), goal = metric.goal;"
                    + " exclude=pruned leaves out the runs early stopping pruned")
    public ComparisonReport comparison(
            @PathParam("id") long id,
            @QueryParam("metric") String metric,
            @QueryParam("value") String value,
            @QueryParam("by") String by,
            @QueryParam("baseline") String baseline,
            @QueryParam("goal") String goal,
            @QueryParam("exclude") String exclude) {
        return service.forExperiment(id, ComparisonService.Ask.parse(metric, value, by, baseline, goal), exclude);
    }
}
