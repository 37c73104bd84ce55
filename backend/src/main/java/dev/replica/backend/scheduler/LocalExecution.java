package dev.replica.backend.scheduler;

import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.executor.RunExecutor;
import dev.replica.backend.executor.RunLaunch;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.RunService;
import dev.replica.backend.sysmetrics.RunSampling;
import dev.replica.backend.sysmetrics.SystemSampler;
import dev.replica.experiments.spec.Durations;
import dev.replica.experiments.spec.ExperimentSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs in this process: a slot of {@code replica.scheduler.max-concurrent}, the GPU slots a run asks for, a
 * worker thread that hands the run to its executor, and the {@code timeout:} timer that stops it.
 */
@ApplicationScoped
public class LocalExecution {

    private static final Logger LOG = Logger.getLogger(LocalExecution.class);

    @Inject
    SchedulerConfig config;

    @Inject
    HeldRuns held;

    @Inject
    LaunchService launches;

    @Inject
    RunQueue queue;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    MachineGpus gpus;

    @Inject
    SystemSampler sampler;

    private ExecutorService workers;
    private ScheduledExecutorService timers;
    private volatile int maxConcurrent = 1;

    /** What became of a queued run offered to {@link #start}. */
    enum Start {
        /** Claimed and started: it takes a slot. */
        STARTED,
        /** Left QUEUED: no slot, limit reached, GPUs busy, or another process claimed it. */
        WAITING,
        /** Claimed and failed at once (it can never run here). */
        FAILED
    }

    void open() {
        maxConcurrent = Math.max(1, config.maxConcurrent());
        workers = Executors.newCachedThreadPool(Threads.daemon("replica-run"));
        timers = Executors.newSingleThreadScheduledExecutor(Threads.daemon("replica-run-timeout"));
    }

    void close() {
        Threads.shutdown(workers, 15);
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    /** Changes how many runs execute here at once (tests; otherwise {@code replica.scheduler.max-concurrent}). */
    void maxConcurrent(int value) {
        maxConcurrent = Math.max(1, value);
    }

    /** Local slots free now. */
    int free() {
        return maxConcurrent - held.localCount();
    }

    /** Claims and starts a queued run if a slot, the experiment's limit and its GPUs allow. */
    Start start(RunQueue.QueuedRun q, ExperimentSpec spec, RunExecutor executor) {
        if (free() <= 0 || !queue.withinExperimentLimit(q.experimentId(), spec)) {
            return Start.WAITING;
        }
        int need = spec.resources().gpus();
        if (need > 0 && need > gpus.count()) {
            queue.claim(q.runId(), held.owner(), executor.name())
                    .ifPresent(r -> runService.finish(
                            q.runId(),
                            Outcome.failed(
                                    null,
                                    "resources.gpus: each run needs " + need + " GPU" + (need == 1 ? "" : "s")
                                            + " but this machine has " + gpus.count())));
            return Start.FAILED;
        }
        Optional<List<Integer>> slots =
                need == 0 ? Optional.of(List.of()) : gpus.slots().acquire(need);
        if (slots.isEmpty()) {
            return Start.WAITING; // until a running run gives its GPUs back
        }
        if (queue.claim(q.runId(), held.owner(), executor.name()).isEmpty()) {
            held.release(slots.get());
            return Start.WAITING;
        }
        launch(q.runId(), q.experimentId(), spec, executor, slots.get());
        return Start.STARTED;
    }

    /** Starts a run this process has claimed on a worker thread, with its timeout timer. */
    void launch(long runId, long experimentId, ExperimentSpec spec, RunExecutor executor, List<Integer> slots) {
        RunLaunch launch;
        try {
            launch = launches.prepare(runId, spec, slots);
        } catch (RuntimeException e) {
            held.release(slots);
            runService.finish(runId, Outcome.failed(null, "cannot start: " + e.getMessage()));
            return;
        }
        HeldRuns.Held h = held.track(runId, experimentId, slots, true, metrics.sink(runId));
        Duration limit = spec.timeout();
        if (limit != null) {
            h.timeout = timers.schedule(
                    () -> h.token()
                            .cancel(CancellationToken.Reason.TIMED_OUT, "timed out after " + Durations.format(limit)),
                    limit.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        workers.submit(() -> {
            launches.recordManifest(launch, experimentId, executor);
            execute(launch, executor, h);
        });
    }

    private void execute(RunLaunch launch, RunExecutor executor, HeldRuns.Held h) {
        CancellationToken token = h.token();
        Outcome outcome;
        try (RunSampling sampling = sampler.start(launch.runId(), launch.gpus())) {
            outcome = executor.execute(launch, h.metrics(), token, new RunExecutor.ProgressListener() {
                @Override
                public void progress(long runId, long done, long total) {
                    h.progress(done, total);
                }

                @Override
                public void processes(long runId, java.util.function.Supplier<List<Long>> pids) {
                    sampling.watch(pids);
                }
            });
        } catch (Exception | Error e) {
            outcome = token.isCancelled()
                    ? token.outcome()
                    : Outcome.failed(null, e.getClass().getSimpleName() + ": " + e.getMessage());
            LOG.debugf(e, "run %d failed", launch.runId());
        }
        held.complete(launch.runId(), outcome); // after the sampling stopped: nothing is appended to a sealed run
    }
}
