package dev.replica.backend.sysmetrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The system-metrics sampler (prefix {@code replica.system-metrics}). */
@ConfigMapping(prefix = "replica.system-metrics")
public interface SystemMetricsConfig {

    /**
     * {@code replica.system-metrics.interval}: how often each running run's CPU, memory and GPU use is sampled
     * into its metrics under {@code sys/}. Default 5s; 0 turns sampling off.
     */
    @WithDefault("5s")
    Duration interval();

    /**
     * {@code replica.system-metrics.nvidia-smi}: the {@code nvidia-smi} program, a name looked up on PATH or a
     * path. Where it is not found, or fails, runs get no GPU figures (and nothing is reported). Default
     * {@code nvidia-smi}.
     */
    @WithDefault("nvidia-smi")
    String nvidiaSmi();
}
