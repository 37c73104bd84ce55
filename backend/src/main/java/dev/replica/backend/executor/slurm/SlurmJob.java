package dev.replica.backend.executor.slurm;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job to submit: one task per argv. One argv makes a plain job; several make a job array whose task
 * {@code i} ({@code SLURM_ARRAY_TASK_ID=i}) runs {@code tasks.get(i)}, e.g. a sweep where task {@code i}
 * runs {@code replica worker --run <id of the i-th run>}.
 *
 * @param name          job name ({@code --job-name}; letters, digits, {@code _ . -}), also names the log files
 * @param tasks         the argv of each task; each runs as given (the generated batch script quotes every
 *                      word and {@code exec}s it, so nothing in it is interpreted by a shell)
 * @param maxConcurrent at most this many array tasks at once ({@code --array=0-N%max}), or {@code null}
 * @param resources     what each task asks for
 * @param workDir       working directory of the tasks ({@code --chdir}), or {@code null} for the submitter's
 * @param logDir        folder for the tasks' stdout and stderr files (see {@link #stdoutFile})
 * @param environment   variables exported to every task, on top of the submitter's environment
 */
public record SlurmJob(
        String name,
        List<List<String>> tasks,
        Integer maxConcurrent,
        SlurmResources resources,
        Path workDir,
        Path logDir,
        Map<String, String> environment) {

    public SlurmJob {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.-]{1,100}")) {
            throw new IllegalArgumentException(
                    "job name must be 1-100 letters, digits, '_', '.' or '-', got '" + name + "'");
        }
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one task");
        }
        tasks = tasks.stream().map(List::copyOf).toList();
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).isEmpty()) {
                throw new IllegalArgumentException("task " + i + " has an empty argv");
            }
        }
        if (maxConcurrent != null && maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        resources = resources == null ? SlurmResources.DEFAULT : resources;
        Objects.requireNonNull(logDir, "logDir");
        environment = environment == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(environment));
        for (String key : environment.keySet()) {
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("environment variable name '" + key + "' is not a valid name");
            }
        }
    }

    /** A plain job running one argv. */
    public static SlurmJob single(String name, List<String> argv, SlurmResources resources, Path logDir) {
        return new SlurmJob(name, List.of(argv), null, resources, null, logDir, Map.of());
    }

    /** A job array: task {@code i} runs {@code tasks.get(i)}, at most {@code maxConcurrent} at once. */
    public static SlurmJob array(
            String name, List<List<String>> tasks, Integer maxConcurrent, SlurmResources resources, Path logDir) {
        return new SlurmJob(name, tasks, maxConcurrent, resources, null, logDir, Map.of());
    }

    public SlurmJob withWorkDir(Path value) {
        return new SlurmJob(name, tasks, maxConcurrent, resources, value, logDir, environment);
    }

    public SlurmJob withEnvironment(Map<String, String> value) {
        return new SlurmJob(name, tasks, maxConcurrent, resources, workDir, logDir, value);
    }

    /** Whether it is submitted as a job array (more than one task). */
    public boolean isArray() {
        return tasks.size() > 1;
    }

    /** Slurm's file name pattern for stdout: {@code NAME-%A_%a.out} for arrays, {@code NAME-%j.out} otherwise. */
    String stdoutPattern() {
        return logDir.resolve(name + (isArray() ? "-%A_%a" : "-%j") + ".out").toString();
    }

    String stderrPattern() {
        return logDir.resolve(name + (isArray() ? "-%A_%a" : "-%j") + ".err").toString();
    }

    /** The stdout file of a task once submitted ({@code taskIndex} is ignored for a plain job). */
    public Path stdoutFile(String jobId, int taskIndex) {
        return logFile(logDir, name, isArray(), jobId, taskIndex, ".out");
    }

    /** The stderr file of a task once submitted ({@code taskIndex} is ignored for a plain job). */
    public Path stderrFile(String jobId, int taskIndex) {
        return logFile(logDir, name, isArray(), jobId, taskIndex, ".err");
    }

    /**
     * Where Slurm wrote a task's log ({@link #stdoutPattern}, {@link #stderrPattern} once expanded), for a job
     * known by its name and folder only (an array adopted after its submitter died).
     *
     * @param extension {@code .out} or {@code .err}
     */
    public static Path logFile(Path logDir, String name, boolean array, String jobId, int taskIndex, String extension) {
        return logDir.resolve(name + "-" + jobId + (array ? "_" + taskIndex : "") + extension);
    }
}
