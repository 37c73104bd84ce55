package dev.replica.backend.metric;

import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.run.RunRepository;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.metrics.AppendResult;
import dev.replica.experiments.metrics.ArrowBatchDecoder;
import dev.replica.experiments.metrics.JsonBatchParser;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricParseException;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import org.apache.arrow.memory.RootAllocator;

/**
 * The backend's side of the one metric write primitive: every append (REST, JSON lines from a process,
 * an in-process sink) goes through {@link MetricStore#append}, then updates the run's summaries in the
 * database and tells live watchers.
 */
@ApplicationScoped
public class MetricService {

    /** Largest request body an ingest reads. */
    static final long MAX_BODY = 16L << 20;

    /** Most rows one ingest request may carry. */
    static final int MAX_ROWS = 1_000_000;

    /** Memory an Arrow ingest may allocate while it decodes a body. */
    static final long ARROW_MEMORY = 64L << 20;

    @Inject
    MetricStore store;

    @Inject
    RunRepository runs;

    @Inject
    MetricSummaryWriter summaries;

    @Inject
    RunEventBus events;

    @Inject
    RunAttempts attempts;

    @Inject
    jakarta.enterprise.event.Event<MetricsAppended> appended;

    /** Per run executing here, the largest step of its own (not {@code sys/}) metrics appended so far. */
    private final java.util.Map<Long, Long> ownSteps = new java.util.concurrent.ConcurrentHashMap<>();

    public AppendResult append(long runId, MetricBatch batch) {
        AppendResult result = store.append(Long.toString(runId), batch);
        afterAppend(runId, batch, result);
        return result;
    }

    /**
     * Appends a request body of JSON points, {@code [{step, time?, values: {name: value}}]}, to a run that has
     * not finished.
     *
     * @throws MetricParseException naming the line and field at fault
     * @throws NotFoundException when there is no such run
     * @throws WebApplicationException 409 when the run has finished
     */
    public AppendResult appendJson(long runId, InputStream body) throws IOException {
        requireOpenRun(runId);
        return append(runId, new JsonBatchParser(System::currentTimeMillis, MAX_BODY, MAX_ROWS).parse(body));
    }

    /**
     * Appends a request body in the Arrow IPC stream format (step int64, time_ms int64, a float64 column per
     * metric) to a run that has not finished; the decoder's memory is freed before this returns.
     *
     * @throws MetricParseException naming what is wrong with the stream
     * @throws NotFoundException when there is no such run
     * @throws WebApplicationException 409 when the run has finished
     */
    public AppendResult appendArrow(long runId, InputStream body) throws IOException {
        requireOpenRun(runId);
        MetricBatch batch;
        try (RootAllocator allocator = new RootAllocator(ARROW_MEMORY)) {
            batch = new ArrowBatchDecoder(allocator, MAX_BODY, MAX_ROWS).decode(body);
        }
        return append(runId, batch);
    }

    /** A finished run's metrics are part of its record: appends after SUCCEEDED, FAILED or CANCELLED are refused. */
    private void requireOpenRun(long runId) {
        RunState state = QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(runId).map(r -> r.state))
                .orElseThrow(() -> new NotFoundException("no run with id " + runId));
        if (state.isFinal()) {
            throw new WebApplicationException(
                    "run " + runId + " is " + state + ": metrics can be appended only until it finishes (retry it to"
                            + " record a new attempt)",
                    Response.Status.CONFLICT);
        }
    }

    /** A buffered sink for one run whose flushes go through the same path as {@link #append}. */
    public MetricSink sink(long runId) {
        return MetricSink.observingBatches(
                store,
                Long.toString(runId),
                1000,
                1000,
                System::currentTimeMillis,
                (batch, result) -> afterAppend(runId, batch, result));
    }

    /**
     * Before a run (re)starts, called once its new RUNNING event is recorded: the metrics of the attempt
     * before it are kept as {@code <run>.attempt-<n>.arrows} (n = that attempt's number, see {@link
     * RunAttempts}), readable with {@code ?attempt=n}, and the run's summaries start over, so a retry's
     * curves are its own. Points logged before a run's first start stay with its first attempt.
     *
     * @return the number of the attempt before this one; 0 at the first start
     */
    public int startAttempt(long runId) throws java.io.IOException {
        String key = Long.toString(runId);
        java.nio.file.Path file = store.file(key);
        int previous = attempts.require(runId).size() - 1;
        if (java.nio.file.Files.exists(file) && previous >= 1) {
            store.closeRun(key);
            store.evict(key);
            java.nio.file.Path aside = store.file(RunAttempts.attemptKey(runId, previous));
            for (int n = previous + 1; java.nio.file.Files.exists(aside); n++) {
                // a home written before attempts were numbered by their start: never overwrite kept points
                aside = store.file(RunAttempts.attemptKey(runId, n));
            }
            java.nio.file.Files.move(file, aside);
        }
        if (previous >= 1) {
            summaries.deleteFor(runId);
        }
        ownSteps.remove(runId);
        return Math.max(previous, 0);
    }

    /**
     * The largest step stored for a run in its current attempt (read from its file, so exact even when the
     * process that wrote it died before updating the summaries); {@link Long#MIN_VALUE} when none is stored.
     */
    public long lastStoredStep(long runId) {
        String key = Long.toString(runId);
        if (!store.exists(key)) {
            return Long.MIN_VALUE;
        }
        return store.summaries(key).values().stream()
                .mapToLong(dev.replica.experiments.metrics.MetricSummary::lastStep)
                .max()
                .orElse(Long.MIN_VALUE);
    }

    /** Seals a finished run's metric file (end marker, sync, lock released). */
    public void closeRun(long runId) {
        ownSteps.remove(runId);
        store.closeRun(Long.toString(runId));
    }

    /**
     * The largest step of the run's own metrics appended through this service since it started (0 before
     * any): the step system-metric samples carry, so they never add a step the run did not reach.
     */
    public long lastStep(long runId) {
        return ownSteps.getOrDefault(runId, 0L);
    }

    private void afterAppend(long runId, MetricBatch batch, AppendResult result) {
        if (!batch.metrics().stream().allMatch(dev.replica.experiments.metrics.MetricNames::isSystem)) {
            long max = 0;
            for (int r = 0; r < batch.size(); r++) {
                max = Math.max(max, batch.step(r));
            }
            ownSteps.merge(runId, max, Math::max);
        }
        if (!result.summaries().isEmpty()) {
            summaries.upsert(runId, result.summaries().values());
        }
        events.metrics(runId, result);
        appended.fire(new MetricsAppended(runId, batch)); // e.g. early stopping judges rungs as rows arrive
    }
}
