package dev.replica.backend.scheduler;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The run scheduler (prefix {@code replica.scheduler}). */
@ConfigMapping(prefix = "replica.scheduler")
public interface SchedulerConfig {

    /**
     * {@code replica.scheduler.enabled}: whether this process runs queued runs in the background.
     * {@code replica serve} turns it on; {@code replica run} drives the scheduler for its own experiment.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * {@code replica.scheduler.executors}: executors to use, in order of preference; a run goes to the first
     * that supports its kind. Default {@code in-process,process}; {@code slurm,in-process} sends
     * {@code command} runs to Slurm.
     */
    @WithDefault("in-process,process")
    java.util.List<String> executors();

    /** {@code replica.scheduler.max-concurrent}: runs at once in this process. Default 1 (runs use every core). */
    @WithDefault("1")
    int maxConcurrent();

    /** {@code replica.scheduler.max-per-experiment}: runs of one experiment at once; unset for no limit. */
    OptionalInt maxPerExperiment();

    /**
     * {@code replica.scheduler.gpus}: GPUs {@code executor: local} runs may use on this machine; a run asking
     * for {@code resources.gpus} waits until that many are free. Default: the GPUs the kernel backends find.
     */
    OptionalInt gpus();

    /** {@code replica.scheduler.poll-interval}: how often the queue is checked. Default 500ms. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** {@code replica.scheduler.heartbeat-interval}: how often running runs are marked alive. Default 5s. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * {@code replica.scheduler.stale-after}: a RUNNING run whose owner has not heart-beaten for this long
     * is considered orphaned (its process crashed) and recovered. Default: twice the heartbeat interval.
     */
    Optional<Duration> staleAfter();
}
