package dev.replica.backend.scheduler;

import dev.replica.backend.event.RunEventBus;
import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.spec.ExperimentSpec;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Ticks the parts of scheduling: {@link Liveness} (heartbeats, recovery under a lease), the {@link RunQueue} (which QUEUED
 * run is next), {@link LocalExecution} (slots, GPUs, timeouts) and {@link SlurmArrays} (one job array per
 * experiment). The queue lives in the database, so a server and CLIs can share it. {@link #work} runs one
 * given run in the foreground: what {@code replica worker} does.
 */
@ApplicationScoped
public class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    @Inject
    SchedulerConfig config;

    @Inject
    RunService runService;

    @Inject
    RunEventBus bus;

    @Inject
    HeldRuns held;

    @Inject
    RunQueue queue;

    @Inject
    ExecutorChoice choice;

    @Inject
    LocalExecution local;

    @Inject
    SlurmArrays arrays;

    @Inject
    Liveness liveness;

    @Inject
    SlotFreed slotFreed;

    @Inject
    dev.replica.backend.search.TpeDriver proposals;

    private ScheduledExecutorService ticker;
    private final java.util.concurrent.atomic.AtomicBoolean extraTickPending =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final Set<Long> foreground = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private volatile CancellationToken.Reason stopReason = CancellationToken.Reason.SHUTDOWN;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        local.open();
        arrays.open();
        ticker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("replica-scheduler"));
        bus.experimentLookup(runId -> runService.experimentOf(runId).orElse(-1L));
        // a process that ticks (serve, run) adopts live Slurm arrays at once; others leave them for one that does
        liveness.recover(false);
        if (config.enabled()) {
            startBackground();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        boolean cancelled = stopping; // by cancelForeground, before the database may have closed
        stopping = true; // no tick starts anything from now on
        if (!cancelled && stopReason == CancellationToken.Reason.CANCELLED) {
            cancelQueuedForeground();
        }
        if (!cancelled) {
            held.stopAll(
                    stopReason,
                    stopReason == CancellationToken.Reason.CANCELLED ? "cancelled (Ctrl-C)" : "server shut down",
                    12_000);
        }
        local.close();
        arrays.close();
        liveness.close();
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    /**
     * Ctrl-C or SIGTERM of {@code replica run}, called before the JVM starts shutting down (the database is
     * still open): the experiment's queued runs are cancelled, and its running runs are cancelled and waited
     * for (up to {@code waitMs}), so every one of them is recorded CANCELLED.
     */
    public void cancelForeground(String why, long waitMs) {
        stopping = true;
        cancelQueuedForeground();
        held.stopAll(CancellationToken.Reason.CANCELLED, why, waitMs);
    }

    private void cancelQueuedForeground() {
        for (long experimentId : foreground) {
            queue.next(experimentId, 100_000)
                    .forEach(q -> runService.requestCancel(q.runId(), "cancelled (Ctrl-C) before it started"));
        }
    }

    /**
     * The background loop of {@code replica serve}: a tick as soon as a run ends (coalesced: one pending at a
     * time), and a poll of the queue until shutdown as the safety net.
     */
    public void startBackground() {
        Runnable tick = () -> {
            try {
                tick(null);
            } catch (RuntimeException e) {
                LOG.error("scheduler tick failed", e);
            }
        };
        slotFreed.onSignal(() -> {
            if (!stopping && extraTickPending.compareAndSet(false, true)) {
                try {
                    ticker.execute(() -> {
                        extraTickPending.set(false);
                        tick.run();
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    extraTickPending.set(false); // shutting down
                }
            }
        });
        ticker.scheduleWithFixedDelay(tick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What a CLI-driven pass over one experiment ended with. */
    public record Summary(Map<RunState, Long> byState) {}

    /**
     * Runs the queued runs of one experiment in the foreground until none is queued or running, calling
     * {@code onTick} with the progress of running runs after each poll.
     */
    public Summary runExperiment(long experimentId, Consumer<List<RunProgress>> onTick) throws InterruptedException {
        boolean runnable = choice.forSpec(queue.spec(experimentId)).isPresent();
        foreground.add(experimentId);
        try {
            return drive(experimentId, runnable, onTick);
        } finally {
            foreground.remove(experimentId);
        }
    }

    private Summary drive(long experimentId, boolean runnable, Consumer<List<RunProgress>> onTick)
            throws InterruptedException {
        while (true) {
            long seen = slotFreed.generation(); // a run ending from here on cuts the wait below short
            if (runnable) {
                tick(experimentId);
            }
            onTick.accept(progress());
            Map<RunState, Long> states = queue.states(experimentId);
            long waiting = (runnable ? states.getOrDefault(RunState.QUEUED, 0L) : 0L)
                    + states.getOrDefault(RunState.RUNNING, 0L);
            if (waiting == 0 && held.isEmpty()) {
                if (runnable && proposals.refill(experimentId) > 0) {
                    continue; // a search that proposes as it goes (TPE) has budget left
                }
                return new Summary(states);
            }
            slotFreed.awaitAfter(seen, config.pollInterval().toMillis());
        }
    }

    /** Changes how many runs execute here at once (tests; otherwise {@code replica.scheduler.max-concurrent}). */
    void maxConcurrent(int value) {
        local.maxConcurrent(value);
    }

    /** The reason given to runs still running when the application stops (CLI Ctrl-C: CANCELLED). */
    public void stopReason(CancellationToken.Reason reason) {
        this.stopReason = reason;
    }

    /** Whether some executor of this build can run the kind. */
    public boolean canRun(String kind) {
        return choice.forKind(kind).isPresent();
    }

    public List<RunProgress> progress() {
        return held.progress();
    }

    /**
     * Cancels a run: stops it here if this process runs it, otherwise records the request (QUEUED runs end
     * CANCELLED at once; a run owned by another process is stopped by that process).
     */
    public Optional<RunState> cancel(long runId, String why) {
        Optional<RunState> state = runService.requestCancel(runId, why);
        held.cancel(runId, CancellationToken.Reason.CANCELLED, why);
        return state;
    }

    /** One pass: heartbeat, honour cancel requests, start runs in free slots, submit Slurm arrays. */
    synchronized void tick(Long experimentId) {
        if (stopping) {
            return;
        }
        liveness.tick();
        proposals.refill(experimentId); // TPE: queue the next configurations as earlier ones finish
        Set<Long> submitted = new HashSet<>();
        for (RunQueue.QueuedRun q : queue.next(experimentId, Math.max(local.free(), 1) * 4 + 100)) {
            ExperimentSpec spec = queue.spec(q.experimentId());
            Optional<RunExecutor> executor = choice.forSpec(spec);
            if (executor.isEmpty()) {
                continue;
            }
            if (choice.isSlurm(executor.get())) {
                if (submitted.add(q.experimentId())) {
                    arrays.submit(q.experimentId(), spec);
                }
                continue;
            }
            local.start(q, spec, executor.get());
        }
    }

    /** Runs of an experiment per state. */
    public Map<RunState, Long> states(long experimentId) {
        return queue.states(experimentId);
    }

    /** Thrown by {@link #work} when the run cannot be taken: what it is doing instead. */
    public static final class WorkRefused extends Exception {
        WorkRefused(String message) {
            super(message);
        }
    }

    /**
     * Runs one run in this process in the foreground, heart-beating it: claims it when QUEUED, or, with
     * {@code heldBy}, takes it over from the scheduler that claimed it for a Slurm array (see
     * {@link RunService#adopt}). Built-in kinds run in-process, commands as a child process.
     *
     * @return the run's state afterwards
     * @throws WorkRefused when the run is not QUEUED (or not held by {@code heldBy})
     */
    public RunState work(long runId, String heldBy) throws WorkRefused, InterruptedException {
        Optional<Long> experimentId = runService.experimentOf(runId);
        if (experimentId.isEmpty()) {
            throw new WorkRefused("no run with id " + runId);
        }
        ExperimentSpec spec = queue.spec(experimentId.get());
        RunExecutor executor = choice.inProcess(spec.kind())
                .orElseThrow(() -> new WorkRefused("no executor of this build runs kind " + spec.kind()));
        boolean taken = heldBy == null
                ? queue.claim(runId, held.owner(), executor.name()).isPresent()
                : runService.adopt(runId, heldBy, held.owner()).isPresent();
        if (!taken) {
            throw new WorkRefused("run " + runId + " is " + runService.describe(runId)
                    + (heldBy == null
                            ? "; only a QUEUED run can be claimed"
                            : "; it is no longer held by " + heldBy + ", so it is not run here"));
        }
        local.launch(runId, experimentId.get(), spec, executor, List.of());
        while (true) {
            long seen = slotFreed.generation(); // the run ending from here on cuts the wait short
            if (!held.holds(runId)) {
                break;
            }
            liveness.heartbeat();
            slotFreed.awaitAfter(seen, Math.min(200, config.pollInterval().toMillis()));
        }
        return runService.stateOf(runId).orElseThrow();
    }
}
