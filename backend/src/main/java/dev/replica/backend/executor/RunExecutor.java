package dev.replica.backend.executor;

import dev.replica.experiments.metrics.MetricSink;

/**
 * Runs one run to its end on the calling thread. Implementations stop promptly once the token is
 * cancelled, and record what they ran (executor name, argv, backend) through the returned outcome and
 * the run's artifacts.
 */
public interface RunExecutor {

    /** Recorded on the run: {@code in-process}, {@code process}, {@code slurm}. */
    String name();

    /** Whether this executor can run experiments of this kind. */
    boolean supports(String kind);

    /** What this executor runs on, for the manifest (built-in kinds: the kernel backend and device). */
    default java.util.Map<String, ?> backendDescription() {
        return java.util.Map.of("backend", "none", "executor", name());
    }

    /** What a run of {@code spec} runs on, for its manifest (the spec may choose the kernel backend). */
    default java.util.Map<String, ?> backendDescription(dev.replica.experiments.spec.ExperimentSpec spec) {
        return backendDescription();
    }

    Outcome execute(RunLaunch launch, MetricSink metrics, CancellationToken token, ProgressListener progress)
            throws Exception;

    /** Progress reports from a running run (steps done of total), for bars and ETAs. */
    @FunctionalInterface
    interface ProgressListener {
        void progress(long runId, long done, long total);

        /**
         * The processes doing the run's work, asked anew whenever they are sampled (CPU, memory: see
         * {@code SystemSampler}): this JVM for an in-process run, a command's session once it started.
         */
        default void processes(long runId, java.util.function.Supplier<java.util.List<Long>> pids) {}
    }
}
