package dev.replica.experiments.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated experiment spec ({@code apiVersion: replica/v1}).
 *
 * @param name        experiment name (letters, digits, {@code - _ .})
 * @param description free text, may be empty
 * @param kind        a built-in kind ({@code optimizer-sweep}, {@code rlvr}, {@code mone}) or {@code command}
 * @param params      fixed parameters, in declaration order, values normalised to Long/Double/String/Boolean
 * @param sweep       sweep axes
 * @param seeds       replicate seeds; every sweep point runs once per seed
 * @param metric      primary metric and goal, null when not declared
 * @param compare     comparison settings, null when not declared
 * @param resources   per-run resources
 * @param executor    where runs execute: {@link #LOCAL} (this machine) or {@link #SLURM} (one job array)
 * @param concurrency at most this many runs of the experiment at once (Slurm: {@code --array=…%N}), or null
 * @param command     argv template for {@code kind: command} ({@code {param}} placeholders), empty otherwise
 * @param workdir     working directory for {@code command} runs, null for the spec's folder
 * @param env         extra environment for {@code command} runs
 * @param retries     how often a failed or interrupted run is retried
 * @param timeout     per-run timeout, null for none
 * @param tags        {@code tags:}, given to the experiment and each of its runs when they are created; empty for none
 * @param source      the spec text exactly as submitted
 * @param backend     kernel backend the built-in kinds run on ({@code jvm}, {@code opencl}, {@code tornadovm},
 *                    {@code reference} or {@code auto}), null for the installation's {@code replica.kernels.backend}
 */
public record ExperimentSpec(
        String name,
        String description,
        String kind,
        Map<String, Object> params,
        SweepSpec sweep,
        List<Long> seeds,
        MetricGoal metric,
        CompareSpec compare,
        Resources resources,
        String executor,
        Integer concurrency,
        List<String> command,
        String workdir,
        Map<String, String> env,
        int retries,
        Duration timeout,
        List<String> tags,
        String source,
        String backend) {

    public static final String API_VERSION = "replica/v1";
    /** {@code executor: local}, the default: runs execute on this machine (in-process or as child processes). */
    public static final String LOCAL = "local";
    /** {@code executor: slurm}: the experiment's queued runs are submitted as one Slurm job array. */
    public static final String SLURM = "slurm";

    /** Whether the runs go to Slurm. */
    public boolean onSlurm() {
        return SLURM.equals(executor);
    }
}
