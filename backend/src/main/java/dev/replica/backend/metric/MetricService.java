package dev.replica.backend.metric;

import dev.replica.backend.event.RunEventBus;
import dev.replica.experiments.metrics.AppendResult;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The backend's side of the one metric write primitive: every append (REST, JSON lines from a process,
 * an in-process sink) goes through {@link MetricStore#append}, then updates the run's summaries in the
 * database and tells live watchers.
 */
@ApplicationScoped
public class MetricService {

    @Inject
    MetricStore store;

    @Inject
    MetricSummaryWriter summaries;

    @Inject
    RunEventBus events;

    @Inject
    RunAttempts attempts;

    @Inject
    jakarta.enterprise.event.Event<MetricsAppended> appended;

    public AppendResult append(long runId, MetricBatch batch) {
        AppendResult result = store.append(Long.toString(runId), batch);
        afterAppend(runId, batch, result);
        return result;
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
        store.closeRun(Long.toString(runId));
    }

    private void afterAppend(long runId, MetricBatch batch, AppendResult result) {
        if (!result.summaries().isEmpty()) {
            summaries.upsert(runId, result.summaries().values());
        }
        events.metrics(runId, result);
        appended.fire(new MetricsAppended(runId, batch)); // e.g. early stopping judges rungs as rows arrive
    }
}
