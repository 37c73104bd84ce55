package dev.replica.experiments.kind;

import dev.replica.experiments.metrics.MetricSink;
import dev.replica.kernels.KernelBackend;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a built-in kind needs to execute one run, supplied by the executor (in-process, or a
 * {@code replica worker} on a Slurm node). Kinds read their parameters here, log metrics through
 * {@link #metrics()}, do their arithmetic on {@link #kernels()}, and check {@link #cancelled()} between
 * steps so cancel and timeout stop them promptly.
 */
public interface RunContext {

    /** The run's id as the store knows it (also the metric stream's name). */
    String runId();

    /** Resolved parameters (kind defaults applied): Long, Double, String or Boolean values. */
    Map<String, Object> params();

    /** The replicate seed: every random draw of the run derives from it. */
    long seed();

    /** Metric sink; the executor closes it after {@link ExperimentKind#run} returns. */
    MetricSink metrics();

    /** The compute backend chosen for this run (recorded in the manifest). */
    KernelBackend kernels();

    /** A private folder for artifacts (checkpoints, plots); it exists when the run starts. */
    Path runDir();

    /** True once the run was cancelled or timed out: return (or throw {@link RunCancelledException}) soon. */
    boolean cancelled();

    /** Progress in the kind's own unit (usually steps), for progress bars and ETAs. */
    void progress(long done, long total);

    /** A line for the run's log (kept as an artifact, streamed to watchers). */
    void log(String line);

    default long longParam(String name) {
        return ((Number) params().get(name)).longValue();
    }

    default int intParam(String name) {
        return Math.toIntExact(longParam(name));
    }

    default double doubleParam(String name) {
        return ((Number) params().get(name)).doubleValue();
    }

    default String stringParam(String name) {
        return String.valueOf(params().get(name));
    }

    default boolean boolParam(String name) {
        return Boolean.TRUE.equals(params().get(name));
    }
}
