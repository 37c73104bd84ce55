package dev.replica.backend.executor.slurm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Talks to Slurm through its command-line tools ({@code sbatch}, {@code squeue}, {@code scancel},
 * {@code sinfo}), each run as an argv, never through a shell.
 *
 * <p>States come from {@code squeue --states=all}, which works without accounting (slurmdbd): finished
 * jobs stay visible for the cluster's {@code MinJobAge} (the Ansible role sets an hour). After that
 * {@link #status} returns nothing for the job.
 *
 * <p>Thread-safe: it holds no state besides its configuration.
 */
public class SlurmClient {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> COMMANDS = List.of("sbatch", "squeue", "scancel", "sinfo");

    private final Path binDir;
    private final Path scriptDir;

    /**
     * @param binDir    folder holding {@code sbatch} and the other tools, or {@code null} to find them on
     *                  {@code PATH}
     * @param scriptDir where the generated batch scripts are written (created when missing); it must be
     *                  readable from the machine that runs {@code sbatch}
     */
    public SlurmClient(Path binDir, Path scriptDir) {
        this.binDir = binDir;
        this.scriptDir = scriptDir;
    }

    /** Finds the Slurm tools on {@code PATH}. */
    public SlurmClient(Path scriptDir) {
        this(null, scriptDir);
    }

    /**
     * Whether jobs can be submitted now: the tools are installed, the controller answers and at least one
     * node can run work. When not, the reason says which and what to do.
     */
    public SlurmAvailability available() {
        for (String command : COMMANDS) {
            if (find(command).isEmpty()) {
                return SlurmAvailability.unusable("Slurm is not installed here: '" + command + "' was not found "
                        + (binDir == null ? "on PATH" : "in " + binDir) + " (install the Slurm client tools, e.g."
                        + " with ansible/slurm-local.yml; see docs/slurm.md)");
            }
        }
        CommandRunner.Result sinfo;
        try {
            sinfo = CommandRunner.run(List.of(command("sinfo"), "--noheader", "--format=%T"), Duration.ofSeconds(15));
        } catch (SlurmException e) {
            return SlurmAvailability.unusable("the Slurm controller does not answer: " + e.getMessage());
        }
        if (!sinfo.ok()) {
            return SlurmAvailability.unusable(
                    "the Slurm controller does not answer (is slurmctld running?): " + sinfo.describe());
        }
        String states = sinfo.stdout().strip();
        if (!SlurmOutput.anyNodeUsable(states)) {
            return SlurmAvailability.unusable("no Slurm node can run jobs (is slurmd running?); node states: "
                    + (states.isEmpty() ? "no nodes" : String.join(", ", states.split("\\s+")))
                    + " (see `sinfo -R` for reasons)");
        }
        return SlurmAvailability.usable("Slurm is up; node states: " + String.join(", ", states.split("\\s+")));
    }

    /**
     * Submits a job with {@code sbatch --parsable}: a job array ({@code --array=0-N%max}) when it has more
     * than one task, always {@code --no-requeue} (Replica's retry policy decides, not Slurm's).
     *
     * @return the job id; for an array, the array's id ({@code ID_i} names task {@code i})
     * @throws SlurmException with sbatch's own message when it refuses the job
     */
    public String submit(SlurmJob job) {
        Path script = writeScript(job);
        CommandRunner.Result result = CommandRunner.run(sbatchArguments(job, script), COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new SlurmException("Slurm refused job '" + job.name() + "': " + result.describe());
        }
        return SlurmOutput.parseSubmit(result.stdout());
    }

    /**
     * The state of every task of a job (one entry for a plain job), sorted by task index; pending array
     * tasks that Slurm shows as one collapsed record are listed one by one. Empty when Slurm does not know
     * the job (never submitted, or finished longer ago than {@code MinJobAge}). An array task cancelled
     * on its own while pending may not be listed (see {@link #cancel(String, int)}).
     */
    public List<SlurmTask> status(String jobId) {
        requireJobId(jobId);
        CommandRunner.Result result = CommandRunner.run(
                List.of(
                        command("squeue"),
                        "--noheader",
                        "--states=all",
                        "--jobs=" + jobId,
                        "--Format=" + SlurmOutput.SQUEUE_FORMAT),
                COMMAND_TIMEOUT);
        if (!result.ok()) {
            if (result.stderr().contains("Invalid job id")) {
                return List.of();
            }
            throw new SlurmException("cannot read the state of Slurm job " + jobId + ": " + result.describe());
        }
        return SlurmOutput.parseSqueue(result.stdout()).stream()
                .filter(task -> task.jobId().equals(jobId))
                .toList();
    }

    /**
     * Every node with its state and, when down or drained, the reason and since when
     * ({@code sinfo --noheader --Node}).
     *
     * @throws SlurmException when the controller does not answer
     */
    public List<SlurmNode> nodes() {
        CommandRunner.Result result = CommandRunner.run(
                List.of(command("sinfo"), "--noheader", "--Node", "--format=" + SlurmOutput.SINFO_NODE_FORMAT),
                COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new SlurmException("cannot read the Slurm nodes: " + result.describe());
        }
        return SlurmOutput.parseSinfoNodes(result.stdout());
    }

    /** The state of one array task (or of a plain job with {@code taskIndex} {@code null}). */
    public Optional<SlurmTask> status(String jobId, Integer taskIndex) {
        return status(jobId).stream()
                .filter(task -> taskIndex == null ? task.taskIndex() == null : taskIndex.equals(task.taskIndex()))
                .findFirst();
    }

    /** Cancels a whole job or job array (pending and running tasks). Finished jobs are left as they are. */
    public void cancel(String jobId) {
        requireJobId(jobId);
        scancel(jobId);
    }

    /**
     * Cancels one task of a job array. A running task then ends CANCELLED. A task cancelled while still
     * pending may leave no record (Slurm drops its index from the collapsed record of pending tasks), so
     * {@link #status} may stop listing it: the caller records the cancellation itself.
     */
    public void cancel(String jobId, int taskIndex) {
        requireJobId(jobId);
        if (taskIndex < 0) {
            throw new IllegalArgumentException("taskIndex must be zero or more, got " + taskIndex);
        }
        scancel(jobId + "_" + taskIndex);
    }

    /** The batch script for a job: task {@code i} execs {@code tasks[i]}, every word single-quoted. */
    static String batchScript(SlurmJob job) {
        StringBuilder script = new StringBuilder()
                .append("#!/bin/sh\n")
                .append("# Written by Replica for Slurm job '")
                .append(job.name())
                .append("': ")
                .append(job.tasks().size())
                .append(" task(s); task i runs the i-th command below.\n");
        for (Map.Entry<String, String> variable : job.environment().entrySet()) {
            script.append("export ")
                    .append(variable.getKey())
                    .append('=')
                    .append(quote(variable.getValue()))
                    .append('\n');
        }
        script.append("case \"${SLURM_ARRAY_TASK_ID:-0}\" in\n");
        for (int i = 0; i < job.tasks().size(); i++) {
            script.append("  ").append(i).append(") exec");
            for (String word : job.tasks().get(i)) {
                script.append(' ').append(quote(word));
            }
            script.append(" ;;\n");
        }
        script.append("  *) echo \"replica: job '")
                .append(job.name())
                .append("' has no command for array task ${SLURM_ARRAY_TASK_ID:-0}\" >&2; exit 127 ;;\n")
                .append("esac\n");
        return script.toString();
    }

    /** sbatch's argv for a job whose batch script is {@code script}. */
    List<String> sbatchArguments(SlurmJob job, Path script) {
        List<String> argv = new ArrayList<>();
        argv.add(command("sbatch"));
        argv.add("--parsable");
        argv.add("--no-requeue");
        argv.add("--job-name=" + job.name());
        argv.add("--output=" + job.stdoutPattern());
        argv.add("--error=" + job.stderrPattern());
        if (job.isArray()) {
            argv.add("--array=0-" + (job.tasks().size() - 1)
                    + (job.maxConcurrent() == null ? "" : "%" + job.maxConcurrent()));
        }
        if (job.workDir() != null) {
            argv.add("--chdir=" + job.workDir());
        }
        SlurmResources resources = job.resources();
        if (resources.partition() != null) {
            argv.add("--partition=" + resources.partition());
        }
        if (resources.timeLimit() != null) {
            argv.add("--time=" + SlurmResources.formatTimeLimit(resources.timeLimit()));
        }
        if (resources.cpusPerTask() != null) {
            argv.add("--cpus-per-task=" + resources.cpusPerTask());
        }
        if (resources.memoryMb() != null) {
            argv.add("--mem=" + resources.memoryMb() + "M");
        }
        if (resources.gpus() != null && resources.gpus() > 0) {
            argv.add("--gres=gpu:" + resources.gpus());
        }
        argv.add(script.toString());
        return argv;
    }

    /** Quotes a word for sh: {@code it's} becomes {@code 'it'\''s'}. */
    static String quote(String word) {
        if (word.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a command word cannot contain a NUL character");
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private Path writeScript(SlurmJob job) {
        try {
            Files.createDirectories(scriptDir);
            Files.createDirectories(job.logDir());
            Path script = scriptDir.resolve(job.name() + "-" + UUID.randomUUID() + ".sbatch");
            Files.writeString(script, batchScript(job), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: sbatch reads the script either way
            }
            return script;
        } catch (IOException e) {
            throw new SlurmException(
                    "cannot write the batch script for job '" + job.name() + "' in " + scriptDir + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void scancel(String target) {
        CommandRunner.Result result =
                CommandRunner.run(List.of(command("scancel"), "--quiet", target), COMMAND_TIMEOUT);
        if (!result.ok()) {
            throw new SlurmException("cannot cancel Slurm job " + target + ": " + result.describe());
        }
    }

    private String command(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }

    private Optional<Path> find(String name) {
        if (binDir != null) {
            Path path = binDir.resolve(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static void requireJobId(String jobId) {
        if (jobId == null || !jobId.matches("[0-9]+")) {
            throw new IllegalArgumentException("a Slurm job id is a number, got '" + jobId + "'");
        }
    }
}
