package dev.replica.backend.scheduler;

import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.RunService;
import dev.replica.experiments.metrics.MetricSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.jboss.logging.Logger;

/**
 * The runs this process holds: executing locally, or following as tasks of a Slurm array it submitted. Each
 * has a cancellation token, its progress and what it must give back when it ends (GPU slots, a timeout
 * timer, a metric sink). {@link #complete} is the one way a held run ends.
 */
@ApplicationScoped
public class HeldRuns {

    private static final Logger LOG = Logger.getLogger(HeldRuns.class);

    @Inject
    SlotFreed slotFreed;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    MachineGpus gpus;

    private final String owner = ownerName();
    private final Map<Long, Held> held = new ConcurrentHashMap<>();

    /** This process as an owner of runs: host, pid and a random boot id. */
    public String owner() {
        return owner;
    }

    /**
     * A run held here. {@code local} false: a Slurm array task, which takes no local slot. {@code metrics} is
     * the sink this process writes for it, if any; {@code timeout} its {@code timeout:} timer, if any.
     */
    public static final class Held {
        final long runId;
        final long experimentId;
        final CancellationToken token = new CancellationToken();
        final List<Integer> gpus;
        final boolean local;
        final MetricSink metrics;
        volatile ScheduledFuture<?> timeout;
        volatile RunProgress progress;

        Held(long runId, long experimentId, List<Integer> gpus, boolean local, MetricSink metrics) {
            this.runId = runId;
            this.experimentId = experimentId;
            this.gpus = gpus;
            this.local = local;
            this.metrics = metrics;
            this.progress = new RunProgress(runId, 0, 0, System.currentTimeMillis());
        }

        public CancellationToken token() {
            return token;
        }

        public MetricSink metrics() {
            return metrics;
        }

        void progress(long done, long total) {
            progress = new RunProgress(runId, done, total, progress.startedAtMs());
        }
    }

    /** Registers a run as held here. */
    Held track(long runId, long experimentId, List<Integer> slots, boolean local, MetricSink sink) {
        Held h = new Held(runId, experimentId, slots, local, sink);
        held.put(runId, h);
        return h;
    }

    Optional<Held> get(long runId) {
        return Optional.ofNullable(held.get(runId));
    }

    boolean holds(long runId) {
        return held.containsKey(runId);
    }

    boolean isLocal(long runId) {
        Held h = held.get(runId);
        return h != null && h.local;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    Set<Long> ids() {
        return Set.copyOf(held.keySet());
    }

    /** How many runs execute in this process (array tasks run elsewhere). */
    int localCount() {
        return (int) held.values().stream().filter(h -> h.local).count();
    }

    /** How many runs of one experiment are held here. */
    long countOf(long experimentId) {
        return held.values().stream()
                .filter(h -> h.experimentId == experimentId)
                .count();
    }

    /** Progress of the held runs, by run id. */
    List<RunProgress> progress() {
        List<RunProgress> out = new ArrayList<>();
        held.values().forEach(h -> out.add(h.progress));
        out.sort(Comparator.comparingLong(RunProgress::runId));
        return out;
    }

    /** Stops a held run through its token; false when it is not held here. */
    boolean cancel(long runId, CancellationToken.Reason reason, String why) {
        Held h = held.get(runId);
        if (h != null) {
            h.token.cancel(reason, why);
        }
        return h != null;
    }

    /** A run held here has ended: its metrics sealed, its outcome stored, its slots and timer given back. */
    void complete(long runId, Outcome outcome) {
        Held h = held.get(runId);
        try {
            if (h != null && h.metrics != null) {
                try {
                    h.metrics.close();
                } catch (RuntimeException e) {
                    LOG.warnf("run %d: metrics not flushed: %s", runId, e.getMessage());
                }
                metrics.closeRun(runId);
            }
            runService.finish(runId, outcome);
        } finally {
            held.remove(runId);
            if (h != null) {
                if (h.timeout != null) {
                    h.timeout.cancel(false);
                }
                release(h.gpus);
            }
            slotFreed.signal();
        }
    }

    void release(List<Integer> slots) {
        if (!slots.isEmpty()) {
            gpus.slots().release(slots);
        }
    }

    /**
     * Stops every held run and waits (up to {@code waitMs}) for them to end. A cancel is recorded first, so a
     * Slurm worker that the scancel interrupts ends CANCELLED too, not retried.
     */
    void stopAll(CancellationToken.Reason reason, String why, long waitMs) {
        if (reason == CancellationToken.Reason.CANCELLED) {
            held.keySet().forEach(id -> runService.requestCancel(id, why));
        }
        held.values().forEach(h -> h.token.cancel(reason, why));
        long deadline = System.currentTimeMillis() + waitMs;
        while (!held.isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (reason == CancellationToken.Reason.CANCELLED) {
            // still starting or slow to stop: the process is about to exit, so the cancel is recorded now
            held.keySet().forEach(id -> runService.finish(id, Outcome.cancelled(why)));
        }
    }

    private static String ownerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }
}
