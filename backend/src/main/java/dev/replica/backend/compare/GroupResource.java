package dev.replica.backend.compare;

import dev.replica.backend.run.RunIds;
import dev.replica.experiments.compare.PerRunValue;
import dev.replica.experiments.metrics.XAxis;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only, read-only: the compare view's groups (mean curve and CI band across seeds) and group table. */
@Path("/api/runs/groups")
public class GroupResource {

    @Inject
    GroupService service;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Runs (ids=1,2,3) grouped by parameters: mean curve with CI band across seeds, and the group table"
                            + " of the comparison report (the one GET /api/experiments/{id}/comparison and `replica compare`"
                            + " give): a value per run (value=final, best, min, max, mean_last_K), mean ± CI, Welch and"
                            + " Mann–Whitney p-values Holm-adjusted, Hedges' g, the efficiency with a bootstrap CI, and how"
                            + " many runs diverged. baseline: name=value pairs (default: the spec's compare.baseline);"
                            + " goal=min|max (default: the spec's). from/to restrict the curves to an x range (a zoomed"
                            + " chart); the table always compares whole runs, and table=false leaves it out")
    public GroupsView groups(
            @QueryParam("ids") String ids,
            @QueryParam("metric") String metric,
            @QueryParam("by") String by,
            @QueryParam("x") @DefaultValue("step") String x,
            @QueryParam("buckets") @DefaultValue("500") int buckets,
            @QueryParam("confidence") @DefaultValue("0.95") double confidence,
            @QueryParam("value") @DefaultValue("final") String value,
            @QueryParam("baseline") String baseline,
            @QueryParam("goal") String goal,
            @QueryParam("from") Double from,
            @QueryParam("to") Double to,
            @QueryParam("table") @DefaultValue("true") boolean withTable) {
        ComparisonService.Ask ask =
                ComparisonService.Ask.parse(metric, PerRunValue.parse(value).toString(), by, baseline, goal);
        return service.groups(new GroupRequest(
                RunIds.parse("ids", ids), XAxis.parse(x), buckets, confidence, from, to, ask, withTable));
    }
}
