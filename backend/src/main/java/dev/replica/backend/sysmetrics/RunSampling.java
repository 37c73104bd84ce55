package dev.replica.backend.sysmetrics;

import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricNames;
import java.io.IOException;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The system-metrics sampling of one run. Each sample is one row of its own, appended straight to the run's
 * metric stream (never joined to the run's rows), holding
 * <ul>
 *   <li>{@code sys/cpu_percent}: CPU of the run's processes, percent of one core (from the second sample on);
 *   <li>{@code sys/rss_mb}: their resident memory in MiB (Linux);
 *   <li>{@code sys/gpu<i>/util_percent}, {@code sys/gpu<i>/memory_mb}: per GPU where {@code nvidia-smi} runs.
 * </ul>
 * The row's {@code time_ms} is the wall-clock time of the sample and its step the run's latest own step at
 * that moment (0 before any), so sampling never adds a step the run did not log. The first sample is taken
 * one interval after the start: runs shorter than that get none.
 */
public final class RunSampling implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunSampling.class);

    static final String CPU = MetricNames.SYSTEM_PREFIX + "cpu_percent";
    static final String RSS = MetricNames.SYSTEM_PREFIX + "rss_mb";

    private final long runId;
    private final List<Integer> gpus;
    private final LongUnaryOperator lastStep;
    private final BiConsumer<Long, MetricBatch> append;
    private final ProcessTreeUsage usage = new ProcessTreeUsage();
    private NvidiaSmi nvidiaSmi;
    private volatile Supplier<List<Long>> pids;
    private ScheduledFuture<?> future;
    private boolean closed;

    RunSampling(
            long runId,
            List<Integer> gpus,
            NvidiaSmi nvidiaSmi,
            LongUnaryOperator lastStep,
            BiConsumer<Long, MetricBatch> append) {
        this.runId = runId;
        this.gpus = List.copyOf(gpus);
        this.nvidiaSmi = nvidiaSmi;
        this.lastStep = lastStep;
        this.append = append;
    }

    /** A sampling that samples nothing (sampling is off). */
    static RunSampling off(long runId) {
        RunSampling s = new RunSampling(runId, List.of(), null, step -> 0, (id, batch) -> {});
        s.closed = true;
        return s;
    }

    void schedule(ScheduledExecutorService timer, long everyMs) {
        // fixed delay, not rate: a starved timer must not catch up with a burst of samples a few ms apart
        future = timer.scheduleWithFixedDelay(this::sample, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    /**
     * The processes that do the run's work, asked anew at each sample (a command's tree changes as it forks):
     * this JVM for an in-process run, a command's session for a process run. Nothing is sampled before.
     */
    public void watch(Supplier<List<Long>> processes) {
        pids = processes;
    }

    synchronized void sample() {
        Supplier<List<Long>> watched = pids;
        if (closed || watched == null) {
            return;
        }
        try {
            MetricBatch.Builder row =
                    MetricBatch.builder().row(lastStep.applyAsLong(runId), System.currentTimeMillis());
            ProcessTreeUsage.Sample s = usage.sample(watched.get(), System.nanoTime());
            set(row, CPU, s.cpuPercent());
            set(row, RSS, s.rssMb());
            for (NvidiaSmi.Reading gpu : gpus()) {
                String prefix = MetricNames.SYSTEM_PREFIX + "gpu" + gpu.index() + "/";
                set(row, prefix + "util_percent", gpu.utilPercent());
                set(row, prefix + "memory_mb", gpu.memoryMb());
            }
            MetricBatch batch = row.build();
            if (!batch.metrics().isEmpty()) {
                append.accept(runId, batch);
            }
        } catch (RuntimeException e) {
            // sampling must never harm the run it watches
            LOG.debugf(e, "run %d: system metrics not sampled", runId);
        }
    }

    private List<NvidiaSmi.Reading> gpus() {
        if (nvidiaSmi == null) {
            return List.of();
        }
        try {
            return nvidiaSmi.read().stream()
                    .filter(g -> gpus.isEmpty() || gpus.contains(g.index()))
                    .toList();
        } catch (IOException e) {
            LOG.debugf("run %d: no GPU figures from now on: %s", runId, e.getMessage());
            nvidiaSmi = null; // no driver or no GPU: do not start a failing program every interval
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void set(MetricBatch.Builder row, String name, OptionalDouble value) {
        if (value.isPresent()) {
            row.set(name, value.getAsDouble());
        }
    }

    /** Stops sampling; a sample being taken finishes first, and none is appended after this returns. */
    @Override
    public synchronized void close() {
        closed = true;
        if (future != null) {
            future.cancel(false);
        }
    }
}
