package dev.replica.experiments.spec;

import java.time.Duration;

/**
 * What one run needs. Used by the scheduler (device slots) and mapped to Slurm flags.
 *
 * @param cpus      CPU cores per run
 * @param gpus      accelerator devices per run
 * @param memoryMb  memory per run in MiB, 0 when unspecified
 * @param time      wall-clock limit per run, null when unlimited
 * @param partition Slurm partition, null for the cluster default
 */
public record Resources(int cpus, int gpus, long memoryMb, Duration time, String partition) {

    public static final Resources DEFAULT = new Resources(1, 0, 0, null, null);
}
