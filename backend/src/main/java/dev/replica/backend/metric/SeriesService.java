package dev.replica.backend.metric;

import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunRepository;
import dev.replica.experiments.metrics.MetricExport;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.Series;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.SeriesRequest;
import dev.replica.experiments.spec.InvalidInputException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of the metric store for charts and exports: a run's metric names, one downsampled series of
 * one run (any attempt) or of many runs at once, and a run's points as CSV. Checks that the runs exist and that
 * the request is within bounds, so the resources only translate HTTP.
 */
@ApplicationScoped
public class SeriesService {

    /** Most buckets one series of one run may ask for (0 asks for every point). */
    static final int MAX_BUCKETS = 100_000;

    /** Most buckets a request for many runs may ask for, per run. */
    public static final int MAX_BUCKETS_PER_RUN_OF_MANY = 10_000;

    @Inject
    MetricStore store;

    @Inject
    RunRepository runs;

    @Inject
    RunQueries queries;

    @Inject
    RunAttempts attempts;

    /**
     * Names of the metrics a run logged in its latest attempt, or in attempt {@code attempt}.
     *
     * @throws NotFoundException when there is no such run
     */
    public List<String> names(long runId, Integer attempt) {
        String key = key(runId, attempt);
        return store.exists(key) ? store.metrics(key) : List.of();
    }

    /**
     * One metric of one run for a chart: min/max/first/last per bucket along x.
     *
     * @throws NotFoundException when there is no such run, or it did not log the metric
     * @throws InvalidInputException naming {@code buckets} or {@code attempt} when out of range
     */
    public Series series(long runId, String metric, Integer attempt, SeriesRequest request) {
        if (request.buckets() > MAX_BUCKETS) {
            throw new InvalidInputException(
                    "buckets", "buckets must be in [0, " + MAX_BUCKETS + "], got " + request.buckets());
        }
        String key = key(runId, attempt);
        if (!store.exists(key) || !store.metrics(key).contains(metric)) {
            throw new NotFoundException(
                    "run " + runId + (attempt == null ? "" : " attempt " + attempt) + " has no metric " + metric);
        }
        return new SeriesQueries(store).series(key, metric, request);
    }

    /**
     * One metric of many runs, each downsampled, read in parallel; runs that did not log it are left out.
     *
     * @throws NotFoundException naming the first id that is not a run
     * @throws InvalidInputException naming {@code metric} or {@code buckets}
     */
    public List<Series> series(List<Long> runIds, String metric, SeriesRequest request) {
        requireMetric(metric);
        if (request.buckets() < 1 || request.buckets() > MAX_BUCKETS_PER_RUN_OF_MANY) {
            throw new InvalidInputException(
                    "buckets", "buckets must be in [1, " + MAX_BUCKETS_PER_RUN_OF_MANY + "], got " + request.buckets());
        }
        List<String> keys = select(runIds, metric).keys();
        return new ArrayList<>(
                new SeriesQueries(store).series(keys, metric, request).values());
    }

    /**
     * Those of the named runs that logged the metric, in the order named.
     *
     * @throws NotFoundException naming the first id that is not a run
     */
    public SelectedRuns select(List<Long> runIds, String metric) {
        requireMetric(metric);
        return new SelectedRuns(queries.requireViews(runIds).stream()
                .filter(r -> store.metrics(Long.toString(r.id())).contains(metric)) // no file: no metrics
                .toList());
    }

    /**
     * Every point of a run's latest attempt (or attempt {@code attempt}) as long-format CSV: run, step, time_ms,
     * metric, value. Only the header when the run logged nothing.
     *
     * @return the store key the points are read from; pass it to {@link #writeCsv(String, Writer)}
     * @throws NotFoundException when there is no such run
     */
    public String csvKey(long runId, Integer attempt) {
        return key(runId, attempt);
    }

    /** Writes the points under a key from {@link #csvKey} (checked before the response starts). */
    public void writeCsv(String key, Writer out) throws IOException {
        if (store.exists(key)) {
            new MetricExport(store).writeCsvLong(out, List.of(key), null);
        } else {
            out.write("run,step,time_ms,metric,value\n");
        }
    }

    private String key(long runId, Integer attempt) {
        if (QuarkusTransaction.requiringNew().call(() -> runs.findRun(runId)).isEmpty()) {
            throw new NotFoundException("no run with id " + runId);
        }
        return attempts.metricKey(runId, attempt);
    }

    private static void requireMetric(String metric) {
        if (metric == null || metric.isBlank()) {
            throw new InvalidInputException("metric", "metric is required");
        }
    }
}
