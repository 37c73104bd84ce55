package dev.replica.backend.executor.slurm;

import java.time.Duration;

/**
 * What each task of a job asks Slurm for. Every field may be left unset ({@code null}): Slurm's defaults
 * apply.
 *
 * @param gpus        GPUs per task, as {@code --gres=gpu:N}
 * @param cpusPerTask CPUs per task, as {@code --cpus-per-task}
 * @param memoryMb    memory per node in MiB, as {@code --mem}
 * @param timeLimit   wall-clock limit, as {@code --time}; Slurm counts whole minutes, so it is rounded up
 * @param partition   partition, as {@code --partition}
 */
public record SlurmResources(Integer gpus, Integer cpusPerTask, Long memoryMb, Duration timeLimit, String partition) {

    /** Nothing asked for: one CPU in the default partition, no time limit beyond the partition's. */
    public static final SlurmResources DEFAULT = new SlurmResources(null, null, null, null, null);

    public SlurmResources {
        positive("gpus", gpus == null ? null : (long) gpus, true);
        positive("cpusPerTask", cpusPerTask == null ? null : (long) cpusPerTask, false);
        positive("memoryMb", memoryMb, false);
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("timeLimit must be positive, got " + timeLimit);
        }
        if (partition != null && !partition.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(
                    "partition must be a plain Slurm partition name, got '" + partition + "'");
        }
    }

    public SlurmResources withGpus(int value) {
        return new SlurmResources(value, cpusPerTask, memoryMb, timeLimit, partition);
    }

    public SlurmResources withCpusPerTask(int value) {
        return new SlurmResources(gpus, value, memoryMb, timeLimit, partition);
    }

    public SlurmResources withMemoryMb(long value) {
        return new SlurmResources(gpus, cpusPerTask, value, timeLimit, partition);
    }

    public SlurmResources withTimeLimit(Duration value) {
        return new SlurmResources(gpus, cpusPerTask, memoryMb, value, partition);
    }

    public SlurmResources withPartition(String value) {
        return new SlurmResources(gpus, cpusPerTask, memoryMb, timeLimit, value);
    }

    /** The limit as Slurm's {@code days-hours:minutes:seconds}, rounded up to whole minutes. */
    static String formatTimeLimit(Duration limit) {
        long seconds = limit.toSeconds() + (limit.getNano() > 0 ? 1 : 0);
        long minutes = Math.max(1, (seconds + 59) / 60);
        return String.format("%d-%02d:%02d:00", minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    }

    private static void positive(String name, Long value, boolean zeroAllowed) {
        if (value != null && (value < 0 || (!zeroAllowed && value == 0))) {
            throw new IllegalArgumentException(
                    name + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", got " + value);
        }
    }
}
