package dev.replica.backend.metric;

import dev.replica.backend.run.RunIds;
import dev.replica.experiments.metrics.Series;
import dev.replica.experiments.metrics.SeriesRequest;
import dev.replica.experiments.metrics.XAxis;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * HTTP only, read-only: one metric of many runs, downsampled, in one response, so that a compare view
 * of 100 runs makes one request instead of 100 (the runs are read in parallel on the server).
 */
@Path("/api/runs/series")
public class SeriesResource {

    @Inject
    SeriesService service;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "One metric of several runs (ids=1,2,3), each downsampled like /api/runs/{id}/metrics/{metric}"
                    + "/series (min/max/first/last per bucket); runs that did not log the metric are left out")
    public List<Series> series(
            @QueryParam("ids") String ids,
            @QueryParam("metric") String metric,
            @QueryParam("buckets") @DefaultValue("1000") int buckets,
            @QueryParam("x") @DefaultValue("step") String x,
            @QueryParam("smoothing") @DefaultValue("0") double smoothing,
            @QueryParam("from") Double from,
            @QueryParam("to") Double to) {
        return service.series(
                RunIds.parse("ids", ids), metric, new SeriesRequest(XAxis.parse(x), buckets, smoothing, from, to));
    }
}
