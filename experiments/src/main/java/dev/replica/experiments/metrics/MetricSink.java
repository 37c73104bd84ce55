package dev.replica.experiments.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * In-process logging for one run: {@code log(step, name, value)} calls are buffered into rows (values
 * logged for the same step as the current row join it) and flushed to {@link MetricStore#append} in
 * batches. A batch is flushed when it reaches {@code batchRows} rows, when the oldest buffered row is
 * older than {@code maxDelayMs} at the next call, on {@link #flush()} and on {@link #close()}. No
 * background thread: a caller that stops logging should call {@link #flush()} or {@link #close()}.
 *
 * <p>Thread-safe. Each flush's {@link AppendResult} (with updated summaries) goes to an optional
 * listener, for example the backend's summary upsert.
 */
public final class MetricSink implements AutoCloseable {
    private final MetricStore store;
    private final String runId;
    private final int batchRows;
    private final long maxDelayMs;
    private final LongSupplier clock;
    private final BiConsumer<MetricBatch, AppendResult> listener;
    private final MetricBatch.Builder buffer = MetricBatch.builder();
    private long firstBufferedAt;
    private boolean closed;

    /**
     * A sink with a 1,000-row batch, 1-second maximum delay, the system clock and no listener.
     */
    public MetricSink(MetricStore store, String runId) {
        this(store, runId, 1000, 1000, System::currentTimeMillis, r -> {});
    }

    /**
     * @param batchRows rows per appended batch (at least 1)
     * @param maxDelayMs flush at the next call once the oldest buffered row is this old
     * @param clock milliseconds since the epoch, stamped as {@code time_ms} of each new row
     * @param listener receives the result of every append
     */
    public MetricSink(
            MetricStore store,
            String runId,
            int batchRows,
            long maxDelayMs,
            LongSupplier clock,
            Consumer<AppendResult> listener) {
        this((batch, result) -> listener.accept(result), store, runId, batchRows, maxDelayMs, clock);
    }

    /**
     * As {@link #MetricSink(MetricStore, String, int, long, LongSupplier, Consumer)}, with a listener that also sees
     * each appended batch (its rows, e.g. for decisions at given steps).
     */
    public static MetricSink observingBatches(
            MetricStore store,
            String runId,
            int batchRows,
            long maxDelayMs,
            LongSupplier clock,
            BiConsumer<MetricBatch, AppendResult> listener) {
        return new MetricSink(listener, store, runId, batchRows, maxDelayMs, clock);
    }

    private MetricSink(
            BiConsumer<MetricBatch, AppendResult> listener,
            MetricStore store,
            String runId,
            int batchRows,
            long maxDelayMs,
            LongSupplier clock) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1: " + batchRows);
        }
        this.store = Objects.requireNonNull(store);
        this.runId = MetricNames.requireValidRunId(runId);
        this.batchRows = batchRows;
        this.maxDelayMs = maxDelayMs;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Logs one value. Joins the current row when {@code step} equals its step and the metric is not set
     * in it yet; otherwise starts a new row.
     */
    public synchronized void log(long step, String metric, double value) {
        ensureOpen();
        long now = clock.getAsLong();
        if (buffer.size() == 0 || buffer.currentStep() != step || buffer.currentRowHas(metric)) {
            maybeFlush(now);
            if (buffer.size() == 0) {
                firstBufferedAt = now;
            }
            buffer.row(step, now);
        }
        buffer.set(metric, value);
    }

    /**
     * Buffers {@code row} as its own row, keeping its {@code timeMs} (used for metrics parsed from an
     * external process, which carry their own time).
     */
    public synchronized void log(MetricRow row) {
        ensureOpen();
        long now = clock.getAsLong();
        maybeFlush(now);
        if (buffer.size() == 0) {
            firstBufferedAt = now;
        }
        buffer.row(row.step(), row.timeMs());
        row.values().forEach(buffer::set);
    }

    /** Logs several values of one step as one row (joining the current row when possible). */
    public synchronized void log(long step, Map<String, Double> values) {
        values.forEach((k, v) -> log(step, k, v));
    }

    private void maybeFlush(long now) {
        if (buffer.size() >= batchRows || (buffer.size() > 0 && now - firstBufferedAt >= maxDelayMs)) {
            flush();
        }
    }

    /** Appends whatever is buffered. */
    public synchronized void flush() {
        if (buffer.size() == 0) {
            return;
        }
        MetricBatch batch = buffer.build();
        buffer.clear();
        listener.accept(batch, store.append(runId, batch));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("metric sink of run " + runId + " is closed");
        }
    }

    /** Flushes; later calls to {@code log} fail. Does not close the run in the store. */
    @Override
    public synchronized void close() {
        if (!closed) {
            flush();
            closed = true;
        }
    }
}
