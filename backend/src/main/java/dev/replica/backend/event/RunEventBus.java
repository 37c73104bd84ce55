package dev.replica.backend.event;

import dev.replica.experiments.metrics.AppendResult;
import dev.replica.experiments.metrics.MetricSummary;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Fan-out of live events to server-sent-event clients. State events are stored in the database first
 * (run_event) and published after commit; metric events are not stored (the Arrow file is the record).
 */
@ApplicationScoped
public class RunEventBus {

    private final BroadcastProcessor<EventView> processor = BroadcastProcessor.create();
    private final Map<Long, Long> experimentOfRun = new ConcurrentHashMap<>();
    private volatile LongFunction<Long> experimentLookup = runId -> -1L;

    /** How to find a run's experiment when the bus has not seen the run yet. */
    public void experimentLookup(LongFunction<Long> lookup) {
        this.experimentLookup = lookup;
    }

    public void state(long runId, long experimentId, String from, String to, String message, Instant at) {
        experimentOfRun.put(runId, experimentId);
        processor.onNext(new EventView("state", runId, experimentId, from, to, message, at, null, null));
    }

    public void metrics(long runId, AppendResult result) {
        Map<String, Double> latest = new LinkedHashMap<>();
        for (MetricSummary s : result.summaries().values()) {
            latest.put(s.metric(), s.last());
        }
        long experimentId = experimentOfRun.computeIfAbsent(runId, experimentLookup::apply);
        processor.onNext(new EventView(
                "metrics", runId, experimentId, null, null, null, Instant.now(), latest, result.totalRows()));
    }

    /**
     * An early-stopping decision about the configuration of {@code runId} (the run whose report completed it):
     * {@code message} says promoted or pruned, at which rung, and why.
     */
    public void search(long runId, long experimentId, String message, Instant at) {
        processor.onNext(new EventView("search", runId, experimentId, null, null, message, at, null, null));
    }

    /** Events from now on, optionally only those of one experiment. */
    public Multi<EventView> stream(Long experimentId) {
        Multi<EventView> all = processor.toHotStream();
        return experimentId == null ? all : all.select().where(e -> e.experimentId() == experimentId);
    }
}
