package dev.replica.backend.metric;

import dev.replica.backend.run.RunRepository;
import dev.replica.experiments.metrics.AppendResult;
import dev.replica.experiments.metrics.ArrowBatchDecoder;
import dev.replica.experiments.metrics.JsonBatchParser;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricExport;
import dev.replica.experiments.metrics.MetricParseException;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.Series;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.SeriesRequest;
import dev.replica.experiments.metrics.XAxis;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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
import org.apache.arrow.memory.RootAllocator;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only: metric ingest (JSON or Arrow IPC stream), chart series and exports of one run. */
@Path("/api/runs/{id}/metrics")
public class MetricResource {

    public static final String ARROW_STREAM = "application/vnd.apache.arrow.stream";
    static final long MAX_BODY = 16L << 20;
    static final int MAX_ROWS = 1_000_000;

    @Inject
    MetricService service;

    @Inject
    MetricStore store;

    @Inject
    RunRepository runs;

    @Inject
    RunAttempts attempts;

    /** What an ingest did. */
    public record Appended(long runId, int rows, long totalRows) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append metric points: [{step, time?, values: {name: value}}] (NaN/Infinity as strings)")
    public Appended appendJson(@PathParam("id") long id, InputStream body) throws IOException {
        requireOpenRun(id);
        return appended(
                id, parse(() -> new JsonBatchParser(System::currentTimeMillis, MAX_BODY, MAX_ROWS).parse(body)));
    }

    @POST
    @Consumes(ARROW_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append metric points as an Arrow IPC stream (step int64, time_ms int64, float64 per metric)")
    public Appended appendArrow(@PathParam("id") long id, InputStream body) throws IOException {
        requireOpenRun(id);
        try (RootAllocator allocator = new RootAllocator(64L << 20)) {
            return appended(id, parse(() -> new ArrowBatchDecoder(allocator, MAX_BODY, MAX_ROWS).decode(body)));
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Names of the metrics this run logged (its latest attempt, or ?attempt=N)")
    public List<String> names(@PathParam("id") long id, @QueryParam("attempt") Integer attempt) {
        requireRun(id);
        String key = attempts.metricKey(id, attempt);
        return store.exists(key) ? store.metrics(key) : List.of();
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
        requireRun(id);
        if (buckets < 0 || buckets > 100_000) {
            throw new IllegalArgumentException("buckets must be in [0, 100000], got " + buckets);
        }
        String key = attempts.metricKey(id, attempt);
        if (!store.exists(key) || !store.metrics(key).contains(metric)) {
            throw new NotFoundException(
                    "run " + id + (attempt == null ? "" : " attempt " + attempt) + " has no metric " + metric);
        }
        return new SeriesQueries(store)
                .series(key, metric, new SeriesRequest(XAxis.parse(x), buckets, smoothing, from, to));
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    @Operation(
            summary =
                    "Every point of this run's latest attempt (or ?attempt=N) as CSV (long format: run, step, time_ms,"
                            + " metric, value)")
    public Response csv(@PathParam("id") long id, @QueryParam("attempt") Integer attempt) {
        requireRun(id);
        String key = attempts.metricKey(id, attempt);
        StreamingOutput body = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            if (store.exists(key)) {
                new MetricExport(store).writeCsvLong(w, List.of(key), null);
            } else {
                w.write("run,step,time_ms,metric,value\n");
            }
            w.flush();
        };
        String name = "run-" + id + (attempt == null ? "" : "-attempt-" + attempt) + "-metrics.csv";
        return Response.ok(body)
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .build();
    }

    private Appended appended(long id, MetricBatch batch) {
        AppendResult r = service.append(id, batch);
        return new Appended(id, r.rowsAppended(), r.totalRows());
    }

    private interface Parse {
        MetricBatch get() throws IOException;
    }

    private static MetricBatch parse(Parse parse) throws IOException {
        try {
            return parse.get();
        } catch (MetricParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A finished run's metrics are part of its record: appends after SUCCEEDED, FAILED or CANCELLED are refused. */
    private void requireOpenRun(long id) {
        var state = QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(id).map(r -> r.state))
                .orElseThrow(() -> new NotFoundException("no run with id " + id));
        if (state.isFinal()) {
            throw new jakarta.ws.rs.WebApplicationException(
                    "run " + id + " is " + state + ": metrics can be appended only until it finishes (retry it to"
                            + " record a new attempt)",
                    jakarta.ws.rs.core.Response.Status.CONFLICT);
        }
    }

    private void requireRun(long id) {
        if (QuarkusTransaction.requiringNew().call(() -> runs.findRun(id)).isEmpty()) {
            throw new NotFoundException("no run with id " + id);
        }
    }
}
