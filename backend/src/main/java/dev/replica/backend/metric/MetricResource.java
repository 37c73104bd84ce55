package dev.replica.backend.metric;

import dev.replica.experiments.metrics.AppendResult;
import dev.replica.experiments.metrics.Series;
import dev.replica.experiments.metrics.SeriesRequest;
import dev.replica.experiments.metrics.XAxis;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: metric ingest (JSON or Arrow IPC stream), chart series and exports of one run. */
@Path("/api/runs/{id}/metrics")
public class MetricResource {

    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";

    @Inject
    MetricService service;

    @Inject
    SeriesService series;

    /** What an ingest did. */
    public record Appended(long runId, int rows, long totalRows) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append metric points: [{step, time?, values: {name: value}}] (NaN/Infinity as strings)")
    public Appended appendJson(@PathParam("id") long id, InputStream body) throws IOException {
        return appended(id, service.appendJson(id, body));
    }

    @POST
    @Consumes(ARROW_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append metric points as an Arrow IPC stream (step int64, time_ms int64, float64 per metric)")
    public Appended appendArrow(@PathParam("id") long id, InputStream body) throws IOException {
        return appended(id, service.appendArrow(id, body));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Names of the metrics this run logged (its latest attempt, or ?attempt=N)")
    public List<String> names(@PathParam("id") long id, @QueryParam("attempt") Integer attempt) {
        return series.names(id, attempt);
    }

    @GET
    @Path("/{metric: .+}/series")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "One metric for charts: min/max/first/last per bucket along x (spikes stay visible); buckets=0 for every"
                            + " point; the latest attempt unless ?attempt=N")
    public Series series(
            @PathParam("id") long id,
            @PathParam("metric") String metric,
            @QueryParam("buckets") @DefaultValue("1000") int buckets,
            @QueryParam("x") @DefaultValue("step") String x,
            @QueryParam("smoothing") @DefaultValue("0") double smoothing,
            @QueryParam("from") Double from,
            @QueryParam("to") Double to,
            @QueryParam("attempt") Integer attempt) {
        return series.series(id, metric, attempt, new SeriesRequest(XAxis.parse(x), buckets, smoothing, from, to));
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    @Operation(
            summary =
                    "Every point of this run's latest attempt (or ?attempt=N) as CSV (long format: run, step, time_ms,"
                            + " metric, value)")
    public Response csv(@PathParam("id") long id, @QueryParam("attempt") Integer attempt) {
        String key = series.csvKey(id, attempt);
        StreamingOutput body = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            series.writeCsv(key, w);
            w.flush();
        };
        String name = "run-" + id + (attempt == null ? "" : "-attempt-" + attempt) + "-metrics.csv";
        return Response.ok(body)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    private static Appended appended(long id, AppendResult r) {
        return new Appended(id, r.rowsAppended(), r.totalRows());
    }
}
