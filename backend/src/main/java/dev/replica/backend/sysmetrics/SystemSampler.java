package dev.replica.backend.sysmetrics;

import dev.replica.backend.metric.MetricService;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Samples the CPU, memory and GPU use of each run executing in this process every {@code
 * replica.system-metrics.interval} into the run's metrics under {@code sys/} (see {@link RunSampling} for the
 * names and the step they carry). One timer thread serves every run; a Slurm worker samples its own run on
 * its node the same way.
 */
@ApplicationScoped
public class SystemSampler {

    @Inject
    SystemMetricsConfig config;

    @Inject
    MetricService metrics;

    private volatile Duration interval;
    private volatile Optional<NvidiaSmi> nvidiaSmi;
    private ScheduledExecutorService timer;

    /**
     * Starts sampling run {@code runId} once it says which processes do its work ({@link RunSampling#watch}).
     *
     * @param gpus the GPU slots the run was given; GPU figures are limited to them, all GPUs when empty
     * @return the run's sampling, to close when the run ends (before its metrics are sealed)
     */
    public RunSampling start(long runId, List<Integer> gpus) {
        Duration every = interval();
        if (every.isZero() || every.isNegative()) {
            return RunSampling.off(runId);
        }
        RunSampling sampling = new RunSampling(runId, gpus, nvidiaSmi(), metrics::lastStep, metrics::append);
        sampling.schedule(timer(), every.toMillis());
        return sampling;
    }

    /** Changes the interval for runs started from now on (tests; otherwise the configuration). */
    void interval(Duration value) {
        interval = value;
    }

    /** Uses {@code program} as {@code nvidia-smi} for runs started from now on (tests: a stand-in script). */
    void nvidiaSmi(String program) {
        nvidiaSmi = NvidiaSmi.find(program);
    }

    private Duration interval() {
        Duration d = interval;
        return d != null ? d : config.interval();
    }

    private NvidiaSmi nvidiaSmi() {
        Optional<NvidiaSmi> found = nvidiaSmi;
        if (found == null) {
            found = NvidiaSmi.find(config.nvidiaSmi()); // looked up once per process
            nvidiaSmi = found;
        }
        return found.orElse(null);
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "replica-system-metrics");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    @PreDestroy
    synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
