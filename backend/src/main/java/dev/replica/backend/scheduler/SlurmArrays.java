package dev.replica.backend.scheduler;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.executor.RunLaunch;
import dev.replica.backend.executor.SlurmExecutor;
import dev.replica.backend.executor.slurm.TaskMap;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.Run;
import dev.replica.backend.run.RunService;
import dev.replica.experiments.kind.KindRegistry;
import dev.replica.experiments.spec.ExperimentSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * {@code executor: slurm} experiments: every queued run of the experiment is claimed and submitted as one job
 * array, followed on a thread of its own. The runs stay held (and heart-beaten) here until their tasks end or
 * a worker takes them over. The array's job id is recorded on its runs, so when this process dies, the process
 * that recovers its runs adopts the live array ({@link #adoptLive}) instead of submitting a second one.
 */
@ApplicationScoped
public class SlurmArrays {

    private static final Logger LOG = Logger.getLogger(SlurmArrays.class);

    @Inject
    SlurmExecutor slurm;

    @Inject
    HeldRuns held;

    @Inject
    RunQueue queue;

    @Inject
    LaunchService launches;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    ReplicaHome home;

    private ExecutorService arrays;

    void open() {
        arrays = Executors.newCachedThreadPool(Threads.daemon("replica-slurm-array"));
    }

    void close() {
        Threads.shutdown(arrays, 15);
    }

    /** Claims the experiment's queued runs and submits those won as one array. */
    void submit(long experimentId, ExperimentSpec spec) {
        List<Run> won = queue.claimAll(experimentId, held.owner(), slurm.name());
        if (won.isEmpty()) {
            return;
        }
        boolean command = KindRegistry.COMMAND.equals(spec.kind());
        List<SlurmExecutor.ArrayRun> tasks = new ArrayList<>();
        for (Run run : won) {
            RunLaunch launch;
            try {
                launch = launches.prepare(run.id, spec, List.of());
            } catch (RuntimeException e) {
                runService.finish(run.id, Outcome.failed(null, "cannot start: " + e.getMessage()));
                continue;
            }
            // a command task's metrics come back through this process; a built-in kind's worker writes its own
            HeldRuns.Held h = held.track(run.id, experimentId, List.of(), false, command ? metrics.sink(run.id) : null);
            launches.recordManifest(launch, experimentId, slurm);
            tasks.add(new SlurmExecutor.ArrayRun(launch, h.metrics(), h.token()));
        }
        if (tasks.isEmpty()) {
            return;
        }
        String name = "replica-" + experimentId + "-" + System.currentTimeMillis();
        SlurmExecutor.ArrayJob job = new SlurmExecutor.ArrayJob(
                name, home.root().resolve("slurm").resolve(name), held.owner(), tasks, queue.arrayLimit(spec));
        List<Long> runIds = tasks.stream().map(t -> t.launch().runId()).toList();
        arrays.submit(() -> {
            try {
                slurm.executeArray(job, listener(runIds, job.dir()));
            } catch (Exception | Error e) {
                failed(name, runIds, e);
            }
        });
    }

    /**
     * Adopts the live job arrays of runs whose submitter stopped heart-beating: each array that Slurm still
     * knows (by the job id recorded at submission) is followed from here on, with its task map, instead of
     * its runs being re-queued and submitted a second time. With {@code follow} false (a process that does
     * not keep following arrays, e.g. {@code replica worker}), such runs are only left alone for a process
     * that does.
     *
     * @return the runs recovery must leave alone: adopted, or in an array that is still alive
     */
    java.util.Set<Long> adoptLive(java.time.Duration stale, boolean follow) {
        List<RunService.StaleArrayRun> staleRuns = runService.staleArrayRuns(stale);
        java.util.Set<Long> spared = new java.util.HashSet<>();
        java.util.Map<String, List<RunService.StaleArrayRun>> byJob = new java.util.LinkedHashMap<>();
        staleRuns.forEach(
                r -> byJob.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r));
        byJob.forEach((jobId, runs) -> {
            java.nio.file.Path dir = java.nio.file.Path.of(runs.get(0).jobDir());
            List<dev.replica.backend.executor.slurm.SlurmTask> known;
            try {
                known = slurm.tasksOf(jobId, dir);
            } catch (RuntimeException e) {
                // the controller does not answer: whether the array lives is unknown, so it is not run again
                // yet; past the grace the runs are recovered as usual
                java.time.Instant giveUp = java.time.Instant.now().minus(stale.plus(UNKNOWN_GRACE));
                runs.stream()
                        .filter(r -> r.heartbeatAt() != null && r.heartbeatAt().isAfter(giveUp))
                        .forEach(r -> spared.add(r.runId()));
                LOG.warnf("Slurm job %s: cannot tell whether it still runs: %s", jobId, e.getMessage());
                return;
            }
            if (known.isEmpty()) {
                return; // Slurm no longer knows the array: its runs are recovered (and retried) as usual
            }
            runs.forEach(r -> spared.add(r.runId()));
            if (follow) {
                try {
                    adopt(jobId, dir, runs);
                } catch (IOException | RuntimeException e) {
                    LOG.warnf(e, "Slurm job %s: not adopted", jobId);
                }
            }
        });
        return spared;
    }

    /** How long past {@code stale-after} the runs of an array whose state Slurm cannot tell are left alone. */
    static final java.time.Duration UNKNOWN_GRACE = java.time.Duration.ofMinutes(2);

    private void adopt(String jobId, java.nio.file.Path dir, List<RunService.StaleArrayRun> runs) throws IOException {
        java.nio.file.Path mapFile = dir.resolve("tasks.tsv");
        TaskMap map = TaskMap.read(mapFile);
        long experimentId = runs.get(0).experimentId();
        boolean command = KindRegistry.COMMAND.equals(queue.spec(experimentId).kind());
        // workers of tasks that start from now on take their run over from this process
        writeAtomically(new TaskMap(held.owner(), map.runIds()), mapFile);
        List<SlurmExecutor.AdoptedRun> adopted = new ArrayList<>();
        for (RunService.StaleArrayRun r : runs) {
            int task = map.taskOf(r.runId());
            if (task < 0
                    || r.owner() == null
                    || runService.adopt(r.runId(), r.owner(), held.owner()).isEmpty()) {
                continue; // not in this array's map, or taken by another process meanwhile
            }
            HeldRuns.Held h =
                    held.track(r.runId(), experimentId, List.of(), false, command ? metrics.sink(r.runId()) : null);
            adopted.add(new SlurmExecutor.AdoptedRun(
                    task,
                    r.runId(),
                    home.runFolder(r.runId()),
                    h.metrics(),
                    h.token(),
                    command ? metrics.lastStoredStep(r.runId()) : Long.MIN_VALUE));
        }
        if (adopted.isEmpty()) {
            return;
        }
        LOG.infof(
                "adopted Slurm job %s (%d run(s)) from %s, which stopped heart-beating",
                jobId, adopted.size(), runs.get(0).owner());
        List<Long> runIds =
                adopted.stream().map(SlurmExecutor.AdoptedRun::runId).toList();
        SlurmExecutor.AdoptedArray array =
                new SlurmExecutor.AdoptedArray(jobId, dir, map.runIds().size(), !command, adopted);
        arrays.submit(() -> {
            try {
                slurm.follow(array, listener(runIds, dir));
            } catch (Exception | Error e) {
                failed("job " + jobId, runIds, e);
            }
        });
    }

    private SlurmExecutor.ArrayListener listener(List<Long> runIds, java.nio.file.Path dir) {
        return new SlurmExecutor.ArrayListener() {
            @Override
            public void finished(long runId, Outcome outcome) {
                held.complete(runId, outcome);
            }

            @Override
            public void waiting(long runId, java.util.Optional<String> note) {
                runService.note(runId, note.orElse("running on Slurm: its node responds again"));
            }

            @Override
            public void submitted(String jobId) {
                runService.recordSlurmJob(runIds, jobId, dir.toAbsolutePath().toString());
            }
        };
    }

    private void failed(String array, List<Long> runIds, Throwable e) {
        LOG.warnf(e, "Slurm job array %s failed", array);
        for (long runId : runIds) {
            if (held.holds(runId)) {
                held.complete(runId, Outcome.failed(null, "Slurm job array " + array + " failed: " + e.getMessage()));
            }
        }
    }

    /** Replaces a task map in one rename, so a worker starting meanwhile reads the old map or the new one. */
    private static void writeAtomically(TaskMap map, java.nio.file.Path file) throws IOException {
        java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        map.write(tmp);
        java.nio.file.Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
