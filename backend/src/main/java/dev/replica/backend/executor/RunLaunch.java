package dev.replica.backend.executor;

import dev.replica.experiments.spec.ExperimentSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything an executor needs to start one run.
 *
 * @param runId      database id
 * @param experiment experiment name (for {@code {experiment}} placeholders and job names)
 * @param spec       the parsed spec (kind, command template, env, timeout)
 * @param params     resolved parameters
 * @param seed       replicate seed
 * @param specDir    folder the spec came from (working directory base for commands), may be null
 * @param runDir     the run's private folder under {@code artifacts/}, created before the launch
 * @param gpus       indices of the GPU slots the scheduler assigned to the run, empty when it asked for none
 */
public record RunLaunch(
        long runId,
        String experiment,
        ExperimentSpec spec,
        Map<String, Object> params,
        long seed,
        Path specDir,
        Path runDir,
        java.util.List<Integer> gpus) {

    public RunLaunch {
        gpus = gpus == null ? java.util.List.of() : java.util.List.copyOf(gpus);
    }

    /** A launch without GPU slots. */
    public RunLaunch(
            long runId,
            String experiment,
            ExperimentSpec spec,
            Map<String, Object> params,
            long seed,
            Path specDir,
            Path runDir) {
        this(runId, experiment, spec, params, seed, specDir, runDir, java.util.List.of());
    }

    /** The argv of a {@code command} run: the template with parameters, seed, run id, run dir and experiment filled in. */
    public java.util.List<String> commandArgv() {
        Map<String, Object> values = new java.util.HashMap<>(params);
        values.put("seed", seed);
        values.put("run_id", runId);
        values.put("run_dir", runDir.toString());
        values.put("experiment", experiment);
        return CommandTemplate.expand(spec.command(), values);
    }

    /** Working directory of a {@code command} run: {@code workdir} resolved against the spec's folder. */
    public Path workingDirectory() {
        Path base = specDir != null ? specDir : Path.of("").toAbsolutePath();
        return spec.workdir() == null ? base : base.resolve(spec.workdir()).normalize();
    }

    /**
     * Variables a {@code command} run gets on top of the inherited environment: the spec's env, REPLICA_*,
     * and {@code CUDA_VISIBLE_DEVICES} listing its GPU slots when it was assigned some.
     */
    public Map<String, String> commandEnvironment() {
        Map<String, String> env = new java.util.TreeMap<>(spec.env());
        env.put("REPLICA_RUN_ID", Long.toString(runId));
        env.put("REPLICA_RUN_DIR", runDir.toString());
        env.put("REPLICA_SEED", Long.toString(seed));
        if (!gpus.isEmpty()) {
            env.put(
                    "CUDA_VISIBLE_DEVICES",
                    gpus.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        }
        return env;
    }

    /** The run's key in the metric store. */
    public String metricKey() {
        return Long.toString(runId);
    }
}
