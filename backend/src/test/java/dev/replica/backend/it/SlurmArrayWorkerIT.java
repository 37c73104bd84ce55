package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.replica.backend.executor.slurm.SlurmAvailability;
import dev.replica.backend.executor.slurm.SlurmClient;
import dev.replica.backend.executor.slurm.SlurmTask;
import dev.replica.backend.executor.slurm.TaskMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * {@code executor: slurm} end to end on the real local Slurm: {@code replica run} submits the sweep as one job
 * array, each task runs {@code replica worker --task-map}, which takes its run over and records it.
 */
class SlurmArrayWorkerIT {

    @TempDir
    Path home;

    @Test
    void aBuiltInSweepRunsAsOneJobArrayOfWorkers() throws Exception {
        SlurmAvailability slurm = new SlurmClient(home.resolve("probe")).available();
        if (!slurm.usable()) {
            String message = "Slurm is not usable here: " + slurm.reason() + " (CI stands it up with .ci/deps/slurm.sh)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            throw new TestAbortedException(message);
        }
        Path spec = home.resolve("sweep.yaml");
        Files.writeString(spec, """
                apiVersion: replica/v1
                name: sweep-on-slurm
                kind: optimizer-sweep
                params: {task: teacher-stream, steps: 12, batch: 16, width: 16, eval_every: 6}
                sweep: {grid: {optimizer: [adamw, normuon]}}
                seeds: [0, 1]
                executor: slurm
                concurrency: 2
                resources: {cpus: 1, time: 10m}
                """);
        ReplicaApp app = new ReplicaApp(home, "replica.scheduler.heartbeat-interval=1s");
        ReplicaApp.Result run = app.run(540, "run", spec.toString());
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("4 succeeded");

        List<Path> jobs;
        try (Stream<Path> s = Files.list(home.resolve("slurm"))) {
            jobs = s.toList();
        }
        assertThat(jobs).as("one job array for the sweep").hasSize(1);
        Path job = jobs.get(0);
        try (Stream<Path> s = Files.list(job)) {
            assertThat(s.filter(f -> f.toString().endsWith(".sbatch")).count()).as("one sbatch").isEqualTo(1);
        }
        TaskMap map = TaskMap.read(job.resolve("tasks.tsv"));
        assertThat(map.runIds()).hasSize(4);
        String jobId = null;
        List<Long> runIds = new ArrayList<>();
        try (Connection c = app.database(); var rs = c.createStatement().executeQuery(
                "select id, state, executor, owner from run order by run_index")) {
            while (rs.next()) {
                runIds.add(rs.getLong(1));
                assertThat(rs.getString(2)).isEqualTo("SUCCEEDED");
                assertThat(rs.getString(3)).isEqualTo("slurm");
                assertThat(rs.getString(4)).isNull();
            }
        }
        assertThat(map.runIds()).containsExactlyInAnyOrderElementsOf(runIds);
        for (int task = 0; task < 4; task++) {
            long runId = map.runFor(task);
            Path runDir = home.resolve("artifacts/" + runId);
            String taskId = Files.readString(runDir.resolve("slurm-job.txt")).trim();
            jobId = taskId.substring(0, taskId.indexOf('_'));
            assertThat(taskId).isEqualTo(jobId + "_" + task);
            // the worker on the node ran it: its own output, its kernel backend, its metrics file
            assertThat(Files.readString(runDir.resolve("worker.log"))).contains("run " + runId + ": SUCCEEDED");
            assertThat(runDir.resolve("backend.txt")).exists();
            assertThat(home.resolve("metrics/" + runId + ".arrows")).exists();
            assertThat(app.events(runId)).containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
            assertThat(app.run(120, "show", Long.toString(runId)).output()).contains("train/loss");
        }
        List<SlurmTask> tasks = new SlurmClient(home.resolve("probe")).status(jobId);
        assertThat(tasks).extracting(SlurmTask::id).containsExactly(jobId + "_0", jobId + "_1", jobId + "_2", jobId + "_3");
        assertThat(tasks).allSatisfy(t -> assertThat(t.state().name()).isEqualTo("COMPLETED"));
    }
}
