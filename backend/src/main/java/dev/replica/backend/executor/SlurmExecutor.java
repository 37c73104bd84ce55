package dev.replica.backend.executor;

import dev.replica.backend.executor.slurm.SlurmAvailability;
import dev.replica.backend.executor.slurm.SlurmClient;
import dev.replica.backend.executor.slurm.SlurmException;
import dev.replica.backend.executor.slurm.SlurmJob;
import dev.replica.backend.executor.slurm.SlurmResources;
import dev.replica.backend.executor.slurm.SlurmTask;
import dev.replica.backend.executor.slurm.TaskMap;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.Resources;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs on a Slurm cluster. The queued runs of an experiment go out as <b>one job array</b>
 * ({@code sbatch --array=0-N%max}): task {@code i} runs the {@code i}-th run of the {@link TaskMap} written
 * to the job's folder. A built-in kind's task runs {@code replica worker --task-map FILE}, which takes the run
 * over from this process, runs it on the node and records its metrics and final state itself; a
 * {@code command} task execs the run's argv (quoted, never interpreted by a shell), and this process follows
 * the task's stdout for JSON metric lines. Resources map to {@code --gres=gpu:N}, {@code --cpus-per-task},
 * {@code --mem}, {@code --time}, {@code --partition}. States come from {@code squeue} per task
 * ({@code jobid_taskid}); cancelling one run cancels its task, cancelling every run of the array cancels the
 * whole job.
 */
@ApplicationScoped
public class SlurmExecutor implements RunExecutor {

    private static final Logger LOG = Logger.getLogger(SlurmExecutor.class);

    static final long POLL_MS = 500;
    /** Polls in a row that may fail (controller restarting) or not find the job before the runs are given up. */
    static final int PATIENCE = 60;

    @ConfigProperty(name = "replica.slurm.bin-dir")
    Optional<Path> binDir = Optional.empty();

    @ConfigProperty(name = "replica.slurm.worker-command")
    Optional<List<String>> workerCommand = Optional.empty();

    @ConfigProperty(name = "replica.home")
    Optional<Path> home = Optional.empty();

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    Optional<String> databaseUrl = Optional.empty();

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> databaseUser = Optional.empty();

    @Override
    public String name() {
        return "slurm";
    }

    /** Every kind: commands run as themselves, built-in kinds through {@code replica worker}. */
    @Override
    public boolean supports(String kind) {
        return KindRegistry.find(kind).isPresent();
    }

    private SlurmClient client(Path scriptDir) {
        return binDir.map(b -> new SlurmClient(b, scriptDir)).orElseGet(() -> new SlurmClient(scriptDir));
    }

    /** One run of an array: its launch, its metric sink (command runs; a worker writes its own), its token. */
    public record ArrayRun(RunLaunch launch, MetricSink metrics, CancellationToken token) {}

    /**
     * A job array to run.
     *
     * @param name          Slurm job name (letters, digits, {@code _ . -})
     * @param dir           the job's folder in the shared data directory: script, task map, logs
     * @param owner         the scheduler that claimed the runs; workers take them over from it
     * @param runs          the runs, all of one experiment; task {@code i} runs {@code runs.get(i)}
     * @param maxConcurrent at most this many tasks at once ({@code %max}), or null
     */
    public record ArrayJob(String name, Path dir, String owner, List<ArrayRun> runs, Integer maxConcurrent) {}

    /** Told once per run when its task has ended (or could not be submitted). */
    @FunctionalInterface
    public interface ArrayListener {
        void finished(long runId, Outcome outcome);

        /**
         * A run's task waits on a node in trouble ("waiting: node n1 down since … (Not responding)"), or, with
         * {@code note} empty, no longer does.
         */
        default void waiting(long runId, Optional<String> note) {}

        /** Slurm accepted the array as job {@code jobId}; told before any task is followed. */
        default void submitted(String jobId) {}
    }

    /**
     * A run of an array submitted by a process that died, to follow from now on.
     *
     * @param task            its task index in the array
     * @param runDir          the run's folder
     * @param metrics         where a command task's metric lines go (null for a worker task)
     * @param token           cancels its task
     * @param resumeAfterStep a command task's metric lines up to this step are already stored (the dead
     *                        submitter read them); {@link Long#MIN_VALUE} when none is
     */
    public record AdoptedRun(
            int task, long runId, Path runDir, MetricSink metrics, CancellationToken token, long resumeAfterStep) {}

    /**
     * A job array that Slurm still knows, submitted by a process that died.
     *
     * @param jobId     the array's job id
     * @param dir       the job's folder (task map, {@code logs/})
     * @param taskCount how many tasks the array has
     * @param viaWorker whether its tasks run {@code replica worker} (built-in kinds) rather than a command
     * @param runs      the runs to follow
     */
    public record AdoptedArray(String jobId, Path dir, int taskCount, boolean viaWorker, List<AdoptedRun> runs) {}

    /**
     * The tasks Slurm knows of job {@code jobId}: empty when it no longer knows the job.
     *
     * @throws SlurmException when the controller does not answer
     */
    public List<SlurmTask> tasksOf(String jobId, Path dir) {
        return client(dir).status(jobId);
    }

    /** Follows an adopted array until each of its runs' tasks has ended, as {@link #executeArray} does. */
    public void follow(AdoptedArray array, ArrayListener listener) throws IOException, InterruptedException {
        Logs logs = new Logs(array.dir().getFileName().toString(), array.dir().resolve("logs"), array.taskCount() > 1);
        List<Followed> runs = array.runs().stream()
                .map(r -> new Followed(r.task(), r.runId(), r.runDir(), r.metrics(), r.token(), r.resumeAfterStep()))
                .toList();
        new Follow(client(array.dir()), logs, array.jobId(), runs, array.viaWorker(), listener, true).run();
    }

    /** Where Slurm writes a job's task logs: {@code NAME-JOBID_TASK.out} for an array, {@code NAME-JOBID.out} else. */
    private record Logs(String name, Path dir, boolean array) {
        Path file(String jobId, int task, String extension) {
            return SlurmJob.logFile(dir, name, array, jobId, task, extension);
        }
    }

    /** One run followed: its task index, folder, metric sink (command tasks), token. */
    private record Followed(
            int task, long runId, Path runDir, MetricSink metrics, CancellationToken token, long resumeAfterStep) {}

    /** How often, while tasks are unfinished, the nodes are checked for a down node or a silent slurmd. */
    static final long NODE_CHECK_MS = 10_000;

    /** A single {@code command} run as a plain Slurm job (an array of one). */
    @Override
    public Outcome execute(RunLaunch launch, MetricSink metrics, CancellationToken token, ProgressListener progress)
            throws IOException, InterruptedException {
        Outcome[] result = new Outcome[1];
        executeArray(
                new ArrayJob(
                        "replica-run-" + launch.runId(),
                        launch.runDir().resolve("slurm"),
                        null,
                        List.of(new ArrayRun(launch, metrics, token)),
                        null),
                (id, outcome) -> result[0] = outcome);
        return result[0];
    }

    /** Submits the array and follows its tasks until each has ended, telling {@code listener} as they do. */
    public void executeArray(ArrayJob array, ArrayListener listener) throws IOException, InterruptedException {
        List<ArrayRun> runs = array.runs();
        SlurmClient slurm = client(array.dir());
        SlurmAvailability availability = slurm.available();
        if (!availability.usable()) {
            runs.forEach(r -> listener.finished(
                    r.launch().runId(),
                    new Outcome(RunState.FAILED, null, "Slurm is not usable: " + availability.reason())));
            return;
        }
        ExperimentSpec spec = runs.get(0).launch().spec();
        boolean viaWorker = !KindRegistry.COMMAND.equals(spec.kind());
        Path mapFile = array.dir().resolve("tasks.tsv");
        List<List<String>> argvs = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        if (viaWorker) {
            if (array.owner() == null) {
                throw new IllegalArgumentException(
                        "built-in kinds run on Slurm through `replica worker`, which needs the claiming owner");
            }
            new TaskMap(
                            array.owner(),
                            runs.stream().map(r -> r.launch().runId()).toList())
                    .write(mapFile);
            List<String> worker = new ArrayList<>(WorkerInvocation.resolve(workerCommand));
            worker.addAll(List.of("worker", "--task-map", mapFile.toString()));
            runs.forEach(r -> argvs.add(worker));
            environment.putAll(workerEnvironment());
        } else {
            if (array.owner() != null) {
                new TaskMap(
                                array.owner(),
                                runs.stream().map(r -> r.launch().runId()).toList())
                        .write(mapFile);
            }
            for (ArrayRun r : runs) {
                argvs.add(withEnvironment(
                        r.launch().commandEnvironment(), r.launch().commandArgv()));
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            Files.writeString(
                    runs.get(i).launch().runDir().resolve("command.txt"),
                    String.join(
                                    "\n",
                                    viaWorker
                                            ? argvs.get(i)
                                            : runs.get(i).launch().commandArgv()) + "\n");
        }
        SlurmJob job = new SlurmJob(
                array.name(),
                argvs,
                array.maxConcurrent(),
                resources(spec),
                null,
                array.dir().resolve("logs"),
                environment);
        if (!viaWorker) {
            job = job.withWorkDir(runs.get(0).launch().workingDirectory());
        }
        String jobId;
        try {
            jobId = slurm.submit(job);
        } catch (SlurmException e) {
            runs.forEach(r -> listener.finished(r.launch().runId(), Outcome.failed(null, e.getMessage())));
            return;
        }
        listener.submitted(jobId);
        List<Followed> followed = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            ArrayRun r = runs.get(i);
            followed.add(
                    new Followed(i, r.launch().runId(), r.launch().runDir(), r.metrics(), r.token(), Long.MIN_VALUE));
        }
        Logs logs = new Logs(job.name(), job.logDir(), job.isArray());
        new Follow(slurm, logs, jobId, followed, viaWorker, listener, false).run();
    }

    /** Follows one submitted (or adopted) array until every followed task has ended. */
    private static final class Follow {
        private final SlurmClient slurm;
        private final Logs logs;
        private final String jobId;
        private final List<Followed> runs;
        private final boolean viaWorker;
        private final ArrayListener listener;
        private final OutputFollower[] stdout;
        private final boolean[] cancelSent;
        private final boolean[] done;
        private final String[] waitingNote;
        private int left;
        private boolean seen;
        private int strikes;
        private long nextNodeCheck;

        Follow(
                SlurmClient slurm,
                Logs logs,
                String jobId,
                List<Followed> runs,
                boolean viaWorker,
                ArrayListener listener,
                boolean seen)
                throws IOException {
            this.slurm = slurm;
            this.logs = logs;
            this.jobId = jobId;
            this.runs = runs;
            this.viaWorker = viaWorker;
            this.listener = listener;
            this.seen = seen;
            this.stdout = new OutputFollower[runs.size()];
            this.cancelSent = new boolean[runs.size()];
            this.done = new boolean[runs.size()];
            this.waitingNote = new String[runs.size()];
            this.left = runs.size();
            for (int i = 0; i < runs.size(); i++) {
                Followed run = runs.get(i);
                Files.writeString(run.runDir().resolve("slurm-job.txt"), taskId(run) + "\n");
                if (!viaWorker) {
                    stdout[i] = new OutputFollower(
                            logs.file(jobId, run.task(), ".out"),
                            run.runDir().resolve("stdout.log"),
                            run.metrics(),
                            run.resumeAfterStep());
                }
            }
        }

        private String taskId(Followed run) {
            return logs.array() ? jobId + "_" + run.task() : jobId;
        }

        private Optional<SlurmTask> taskOf(List<SlurmTask> tasks, Followed run) {
            Integer index = logs.array() ? run.task() : null;
            return tasks.stream()
                    .filter(t -> java.util.Objects.equals(t.taskIndex(), index))
                    .findFirst();
        }

        void run() throws IOException, InterruptedException {
            while (left > 0) {
                List<SlurmTask> tasks;
                try {
                    tasks = slurm.status(jobId);
                    sendCancels();
                } catch (SlurmException e) {
                    LOG.warnf("Slurm job %s: %s", jobId, e.getMessage());
                    if (++strikes > PATIENCE) {
                        endAll(new Outcome(RunState.INTERRUPTED, null, "lost contact with Slurm: " + e.getMessage()));
                    }
                    Thread.sleep(POLL_MS);
                    continue;
                }
                seen |= !tasks.isEmpty();
                strikes = tasks.isEmpty() && seen ? strikes + 1 : 0;
                for (int i = 0; i < runs.size(); i++) {
                    if (done[i]) {
                        continue;
                    }
                    if (stdout[i] != null) {
                        stdout[i].poll();
                    }
                    Optional<SlurmTask> task = taskOf(tasks, runs.get(i));
                    if (task.isPresent() && task.get().state().isFinal()) {
                        SlurmTask t = task.get();
                        end(
                                i,
                                cancelSent[i]
                                        ? runs.get(i).token().outcome()
                                        : new Outcome(t.runState(), t.exitCode(), t.message()));
                    } else if (task.isEmpty() && cancelSent[i]) {
                        end(i, runs.get(i).token().outcome()); // cancelled while pending: Slurm keeps no record
                    }
                }
                checkNodes(tasks);
                if (strikes > PATIENCE) {
                    endAll(new Outcome(RunState.INTERRUPTED, null, "Slurm no longer knows job " + jobId));
                }
                if (left > 0) {
                    Thread.sleep(POLL_MS);
                }
            }
        }

        /**
         * Every {@link #NODE_CHECK_MS}: tells the listener which unfinished runs wait on a node that is down or
         * whose slurmd is silent (Slurm shows such a task RUNNING or PENDING with no other hint), and which no
         * longer do.
         */
        private void checkNodes(List<SlurmTask> tasks) {
            long now = System.currentTimeMillis();
            if (now < nextNodeCheck) {
                return;
            }
            nextNodeCheck = now + NODE_CHECK_MS;
            List<dev.replica.backend.executor.slurm.SlurmNode> nodes;
            try {
                nodes = slurm.nodes();
            } catch (SlurmException e) {
                return; // the controller is down too: the state poll reports that
            }
            for (int i = 0; i < runs.size(); i++) {
                if (done[i]) {
                    continue;
                }
                String note = taskOf(tasks, runs.get(i))
                        .flatMap(t -> t.waitingOn(nodes))
                        .orElse(null);
                if (!java.util.Objects.equals(note, waitingNote[i])) {
                    waitingNote[i] = note;
                    listener.waiting(runs.get(i).runId(), Optional.ofNullable(note));
                }
            }
        }

        /** scancel for runs whose token was cancelled: the whole job when no followed run of it is left to go on. */
        private void sendCancels() {
            List<Integer> newly = new ArrayList<>();
            boolean allCancelled = true;
            for (int i = 0; i < runs.size(); i++) {
                if (done[i]) {
                    continue;
                }
                boolean cancelled = runs.get(i).token().isCancelled();
                allCancelled &= cancelled;
                if (cancelled && !cancelSent[i]) {
                    newly.add(i);
                }
            }
            if (newly.isEmpty()) {
                return;
            }
            if (allCancelled || !logs.array()) {
                slurm.cancel(jobId);
            } else {
                newly.forEach(i -> slurm.cancel(jobId, runs.get(i).task()));
            }
            newly.forEach(i -> cancelSent[i] = true);
        }

        private void endAll(Outcome outcome) throws IOException {
            for (int i = 0; i < runs.size(); i++) {
                if (!done[i]) {
                    end(i, outcome);
                }
            }
        }

        private void end(int i, Outcome outcome) throws IOException {
            done[i] = true;
            left--;
            Followed run = runs.get(i);
            Path runDir = run.runDir();
            if (stdout[i] != null) {
                stdout[i].close();
            } else {
                copy(logs.file(jobId, run.task(), ".out"), runDir.resolve("worker.log"));
            }
            Path stderr = runDir.resolve(viaWorker ? "worker.err" : "stderr.log");
            copy(logs.file(jobId, run.task(), ".err"), stderr);
            if (outcome.state() == RunState.FAILED || outcome.state() == RunState.INTERRUPTED) {
                // as for local runs: the cause of a failure is usually in the last lines the program wrote
                outcome = new Outcome(outcome.state(), outcome.exitCode(), outcome.message() + StderrTail.of(stderr));
            }
            listener.finished(run.runId(), outcome);
        }
    }

    /** What a worker needs to reach this process's database and data directory. */
    private Map<String, String> workerEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        home.ifPresent(
                h -> env.put("REPLICA_HOME", h.toAbsolutePath().normalize().toString()));
        databaseUrl.ifPresent(url -> env.put("REPLICA_DB_URL", url));
        databaseUser.ifPresent(user -> env.put("REPLICA_DB_USER", user));
        return env;
    }

    /** {@code env NAME=VALUE… argv}: a command task's own variables, still one word per argument. */
    private static List<String> withEnvironment(Map<String, String> env, List<String> argv) {
        List<String> out = new ArrayList<>();
        out.add("env");
        env.forEach((k, v) -> out.add(k + "=" + v));
        out.addAll(argv);
        return out;
    }

    private static SlurmResources resources(ExperimentSpec spec) {
        Resources r = spec.resources();
        SlurmResources out = SlurmResources.DEFAULT.withCpusPerTask(r.cpus());
        if (r.gpus() > 0) {
            out = out.withGpus(r.gpus());
        }
        if (r.memoryMb() > 0) {
            out = out.withMemoryMb(r.memoryMb());
        }
        var limit = r.time() != null ? r.time() : spec.timeout();
        if (limit != null) {
            out = out.withTimeLimit(limit);
        }
        if (r.partition() != null) {
            out = out.withPartition(r.partition());
        }
        return out;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
