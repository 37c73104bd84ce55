package dev.replica.backend.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.executor.slurm.RequireSlurm;
import dev.replica.backend.executor.slurm.SlurmClient;
import dev.replica.backend.executor.slurm.SlurmTask;
import dev.replica.backend.executor.slurm.TaskMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code executor: slurm} end to end on the real local Slurm: {@code replica run} submits the sweep as one job
 * array, each task runs {@code replica worker --task-map}, which takes its run over and records it.
 */
class SlurmArrayWorkerIT {

    @TempDir
    Path home;

    @BeforeEach
    void requireSlurm() {
        RequireSlurm.usable(new SlurmClient(home.resolve("probe")).available());
    }

    @Test
    void aBuiltInSweepRunsAsOneJobArrayOfWorkers() throws Exception {
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
            assertThat(s.filter(f -> f.toString().endsWith(".sbatch")).count())
                    .as("one sbatch")
                    .isEqualTo(1);
        }
        TaskMap map = TaskMap.read(job.resolve("tasks.tsv"));
        assertThat(map.runIds()).hasSize(4);
        String jobId = null;
        List<Long> runIds = new ArrayList<>();
        try (Connection c = app.database();
                var rs = c.createStatement()
                        .executeQuery("select id, state, executor, owner from run order by run_index")) {
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
        assertThat(tasks)
                .extracting(SlurmTask::id)
                .containsExactly(jobId + "_0", jobId + "_1", jobId + "_2", jobId + "_3");
        assertThat(tasks).allSatisfy(t -> assertThat(t.state().name()).isEqualTo("COMPLETED"));
    }

    @Test
    void cancellingARunScancelsItsTaskAndCancellingTheExperimentTheWholeJob() throws Exception {
        Path spec = home.resolve("long.yaml");
        Files.writeString(spec, """
                apiVersion: replica/v1
                name: cancelled-on-slurm
                kind: optimizer-sweep
                params: {task: teacher-stream, optimizer: adamw, steps: 1000000, batch: 64, width: 64, eval_every: 1000}
                seeds: [0, 1, 2]
                executor: slurm
                concurrency: 2
                retries: 2
                """);
        // workers heart-beat slowly, so it is the submitter's scancel that stops them, not their own heartbeat
        String worker = String.join(
                ",",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dreplica.scheduler.heartbeat-interval=10s",
                "-jar",
                ReplicaApp.jar().toString());
        // the submitter, holding the recovery lease, must not take the slow workers for dead
        ReplicaApp app = new ReplicaApp(
                home,
                "replica.scheduler.heartbeat-interval=1s",
                "replica.scheduler.stale-after=30s",
                "replica.slurm.worker-command=" + worker);
        Path log = home.resolve("submitter.log");
        Process submitter = app.start(log, "run", spec.toString());
        try {
            // tasks 0 and 1 start (the %2 throttle holds task 2) and their workers take their runs over
            List<Long> working = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 240_000;
            while (working.size() < 2) {
                assertThat(submitter.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(System.currentTimeMillis())
                        .as("workers did not start:\n%s", Files.readString(log))
                        .isLessThan(deadline);
                Thread.sleep(500);
                working.clear();
                if (!Files.readString(log).contains("Stored experiment")) {
                    continue;
                }
                try (Connection c = app.database();
                        var rs = c.createStatement()
                                .executeQuery("select id from run where state = 'RUNNING' order by id")) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        if (Files.exists(home.resolve("metrics/" + id + ".arrows")) && adopted(app, id)) {
                            working.add(id);
                        }
                    }
                }
            }
            long first = working.get(0);
            ReplicaApp.Result cancel = app.run(120, "cancel", Long.toString(first));
            assertThat(cancel.output()).contains("run " + first + ": cancel requested (it is running)");
            long until = System.currentTimeMillis() + 60_000;
            while (!app.events(first).contains("CANCELLED")) {
                assertThat(System.currentTimeMillis())
                        .as("run %d was not cancelled", first)
                        .isLessThan(until);
                Thread.sleep(300);
            }
            String taskId = Files.readString(home.resolve("artifacts/" + first + "/slurm-job.txt"))
                    .trim();
            String jobId = taskId.substring(0, taskId.indexOf('_'));
            SlurmClient slurm = new SlurmClient(home.resolve("probe"));
            int task = Integer.parseInt(taskId.substring(taskId.indexOf('_') + 1));
            while (!slurm.status(jobId, task).map(t -> t.state().isFinal()).orElse(false)) {
                assertThat(System.currentTimeMillis())
                        .as("task %s did not end", taskId)
                        .isLessThan(until);
                Thread.sleep(300); // the worker records CANCELLED before its JVM has exited
            }
            assertThat(slurm.status(jobId, task))
                    .hasValueSatisfying(t -> assertThat(t.state().name()).isEqualTo("CANCELLED"));

            long experiment;
            try (Connection c = app.database();
                    var rs = c.createStatement().executeQuery("select max(experiment_id) from run")) {
                rs.next();
                experiment = rs.getLong(1);
            }
            ReplicaApp.Result rest = app.run(120, "cancel", "--experiment", Long.toString(experiment));
            assertThat(rest.exitCode()).as(rest.output()).isZero();
            assertThat(submitter.waitFor(120, java.util.concurrent.TimeUnit.SECONDS))
                    .as(Files.readString(log))
                    .isTrue();
            try (Connection c = app.database();
                    var rs = c.createStatement().executeQuery("select id, state from run order by id")) {
                while (rs.next()) {
                    assertThat(rs.getString(2)).as("run %d", rs.getLong(1)).isEqualTo("CANCELLED");
                    assertThat(app.events(rs.getLong(1)))
                            .doesNotContain("INTERRUPTED")
                            .endsWith("CANCELLED");
                }
            }
            assertThat(slurm.status(jobId))
                    .hasSize(3)
                    .allSatisfy(t -> assertThat(t.state().name()).isEqualTo("CANCELLED"));
        } finally {
            submitter.destroyForcibly();
        }
    }

    /** Whether a worker holds the run now, rather than the submitter that claimed it. */
    private static boolean adopted(ReplicaApp app, long runId) throws java.sql.SQLException {
        try (Connection c = app.database();
                var s = c.prepareStatement(
                        "select r.owner, e.message from run r join run_event e on e.run_id = r.id and e.to_state = 'RUNNING'"
                                + " where r.id = ?")) {
            s.setLong(1, runId);
            try (var rs = s.executeQuery()) {
                return rs.next() && !rs.getString(2).equals("started by " + rs.getString(1) + " (slurm)");
            }
        }
    }
}
