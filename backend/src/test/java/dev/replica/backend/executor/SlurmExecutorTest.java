package dev.replica.backend.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.executor.slurm.RequireSlurm;
import dev.replica.backend.executor.slurm.SlurmClient;
import dev.replica.backend.run.RunState;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kind: command} runs submitted to the real local Slurm (stood up by .ci/deps/slurm.sh). */
class SlurmExecutorTest {

    @TempDir
    Path dir;

    RootAllocator allocator;
    MetricStore store;
    SlurmExecutor executor;

    @BeforeEach
    void setUp() {
        executor = new SlurmExecutor();
        executor.binDir = Optional.empty();
        RequireSlurm.usable(new SlurmClient(dir.resolve("probe")).available());
        allocator = new RootAllocator();
        store = new MetricStore(dir.resolve("metrics"), allocator);
    }

    @AfterEach
    void tearDown() {
        // setUp skips (throws) before creating these when Slurm is absent
        if (store != null) {
            store.close();
        }
        if (allocator != null) {
            allocator.close();
        }
    }

    private RunLaunch launch(long runId, String yaml, Map<String, Object> params) throws Exception {
        ExperimentSpec spec = new SpecParser().parse(yaml, "slurm.yaml");
        Path runDir = Files.createDirectories(dir.resolve("runs").resolve(Long.toString(runId)));
        return new RunLaunch(runId, spec.name(), spec, params, 7, dir, runDir);
    }

    @Test
    void runsACommandOnSlurmAndStreamsItsMetrics() throws Exception {
        Files.writeString(dir.resolve("train.py"), """
                import json, sys
                print("hello from slurm")
                for step in range(1, 21):
                    print(json.dumps({"step": step, "loss": float(sys.argv[1]) / step}), flush=True)
                """);
        RunLaunch launch = launch(101, """
                apiVersion: replica/v1
                name: on-slurm
                kind: command
                command: [python3, train.py, "{lr}"]
                params: {lr: 2.0}
                resources: {cpus: 1, time: 5m}
                """, Map.of("lr", 2.0));
        Outcome outcome;
        try (MetricSink sink = new MetricSink(store, "101")) {
            outcome = executor.execute(launch, sink, new CancellationToken(), (id, d, t) -> {});
        }
        assertThat(outcome.state()).as(outcome.message()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.exitCode()).isZero();
        RunData data = store.read("101");
        assertThat(data.size()).isEqualTo(20);
        assertThat(data.value("loss", 19)).isEqualTo(0.1);
        assertThat(Files.readString(launch.runDir().resolve("stdout.log"))).isEqualTo("hello from slurm\n");
        assertThat(Files.readString(launch.runDir().resolve("slurm-job.txt")).trim())
                .matches("\\d+");
    }

    @Test
    void reportsTheExitCodeAndTheStderrTailOfAFailedJob() throws Exception {
        RunLaunch launch = launch(102, """
                apiVersion: replica/v1
                name: fails-on-slurm
                kind: command
                command: [python3, -c, "import sys; print('loading', file=sys.stderr); print('ValueError: lr must be positive', file=sys.stderr); sys.exit(3)"]
                """, Map.of());
        Outcome outcome;
        try (MetricSink sink = new MetricSink(store, "102")) {
            outcome = executor.execute(launch, sink, new CancellationToken(), (id, d, t) -> {});
        }
        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.message())
                .endsWith("(exit code 3): loading | ValueError: lr must be positive")
                .startsWith("Slurm job ");
    }

    @Test
    void cancelScancelsTheJob() throws Exception {
        RunLaunch launch = launch(103, """
                apiVersion: replica/v1
                name: cancelled-on-slurm
                kind: command
                command: [python3, -c, "import time; print('started', flush=True); time.sleep(600)"]
                """, Map.of());
        CancellationToken token = new CancellationToken();
        MetricSink sink = new MetricSink(store, "103");
        CompletableFuture<Outcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return executor.execute(launch, sink, token, (id, d, t) -> {});
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path jobFile = launch.runDir().resolve("slurm-job.txt");
        long deadline = System.currentTimeMillis() + 20_000;
        while (!Files.exists(jobFile) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        token.cancel(CancellationToken.Reason.CANCELLED, "stop it");
        Outcome outcome = running.get(60, TimeUnit.SECONDS);
        sink.close();
        assertThat(outcome.state()).isEqualTo(RunState.CANCELLED);
        assertThat(outcome.message()).isEqualTo("stop it");
    }

    @Test
    void submitsTheRunsOfASweepAsOneArrayAndCancelsOneTask() throws Exception {
        Files.writeString(dir.resolve("task.py"), """
                import json, os, sys, time
                print(sys.argv[1])
                print("run", os.environ["REPLICA_RUN_ID"], "task", os.environ["SLURM_ARRAY_TASK_ID"])
                for step in range(1, 6):
                    print(json.dumps({"step": step, "loss": 1.0 / step}), flush=True)
                if sys.argv[1] == "sleepy":
                    time.sleep(600)
                """);
        String yaml = """
                apiVersion: replica/v1
                name: array-on-slurm
                kind: command
                command: [python3, task.py, "{msg}"]
                sweep: {grid: {msg: ["it's a \\"quoted\\" $HOME; value", plain, sleepy]}}
                resources: {cpus: 1, time: 5m}
                """;
        List<String> messages = List.of("it's a \"quoted\" $HOME; value", "plain", "sleepy");
        List<SlurmExecutor.ArrayRun> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long runId = 201 + i;
            runs.add(new SlurmExecutor.ArrayRun(
                    launch(runId, yaml, Map.of("msg", messages.get(i))),
                    new MetricSink(store, Long.toString(runId)),
                    new CancellationToken()));
        }
        Path jobDir = dir.resolve("slurm/replica-7-1");
        Map<Long, Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                executor.executeArray(
                        new SlurmExecutor.ArrayJob("replica-7-1", jobDir, "test-owner", runs, 2), outcomes::put);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the sleepy run's task starts (its metrics arrive), then it alone is cancelled: scancel ID_2
        long deadline = System.currentTimeMillis() + 60_000;
        Path jobFile = runs.get(2).launch().runDir().resolve("slurm-job.txt");
        while (!Files.exists(jobFile)
                || !started(jobDir.resolve(
                        "logs/replica-7-1-" + Files.readString(jobFile).trim() + ".out"))) {
            assertThat(System.currentTimeMillis()).as("task 2 did not start").isLessThan(deadline);
            Thread.sleep(200);
        }
        runs.get(2).token().cancel(CancellationToken.Reason.CANCELLED, "only this one");
        following.get(90, TimeUnit.SECONDS);
        runs.forEach(r -> r.metrics().close());

        String jobId = Files.readString(runs.get(0).launch().runDir().resolve("slurm-job.txt"))
                .trim()
                .split("_")[0];
        assertThat(Files.readString(jobDir.resolve("tasks.tsv")))
                .isEqualTo("owner\ttest-owner\n0\t201\n1\t202\n2\t203\n");
        for (int i = 0; i < 3; i++) {
            RunLaunch launch = runs.get(i).launch();
            assertThat(Files.readString(launch.runDir().resolve("slurm-job.txt"))
                            .trim())
                    .isEqualTo(jobId + "_" + i);
            assertThat(Files.readString(launch.runDir().resolve("stdout.log")))
                    .isEqualTo(messages.get(i) + "\nrun " + launch.runId() + " task " + i + "\n");
            assertThat(store.read(Long.toString(launch.runId())).size()).isEqualTo(5);
        }
        assertThat(outcomes.get(201L).state()).as(outcomes.get(201L).message()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcomes.get(202L).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcomes.get(203L)).isEqualTo(Outcome.cancelled("only this one"));
        assertThat(new SlurmClient(dir).status(jobId, 2))
                .hasValueSatisfying(
                        t -> assertThat(t.state()).isEqualTo(dev.replica.backend.executor.slurm.SlurmState.CANCELLED));
        // one sbatch for the sweep, throttled to two tasks at once
        assertThat(Files.list(jobDir)
                        .filter(f -> f.toString().endsWith(".sbatch"))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void cancellingEveryRunOfAnArrayCancelsTheWholeJob() throws Exception {
        String yaml = """
                apiVersion: replica/v1
                name: cancelled-array
                kind: command
                command: [python3, -c, "import time; print('{n}', flush=True); time.sleep(600)"]
                sweep: {grid: {n: [0, 1]}}
                """;
        List<SlurmExecutor.ArrayRun> runs = List.of(
                new SlurmExecutor.ArrayRun(
                        launch(301, yaml, Map.of("n", 0L)), new MetricSink(store, "301"), new CancellationToken()),
                new SlurmExecutor.ArrayRun(
                        launch(302, yaml, Map.of("n", 1L)), new MetricSink(store, "302"), new CancellationToken()));
        Path jobDir = dir.resolve("slurm/replica-8-1");
        Map<Long, Outcome> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<Void> following = CompletableFuture.runAsync(() -> {
            try {
                executor.executeArray(
                        new SlurmExecutor.ArrayJob("replica-8-1", jobDir, "test-owner", runs, 1), outcomes::put);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Path jobFile = runs.get(0).launch().runDir().resolve("slurm-job.txt");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(jobFile)
                || !Files.exists(jobDir.resolve(
                        "logs/replica-8-1-" + Files.readString(jobFile).trim() + ".out"))) {
            assertThat(System.currentTimeMillis()).as("task 0 did not start").isLessThan(deadline);
            Thread.sleep(200);
        }
        // task 0 runs, task 1 waits behind the %1 throttle; the experiment is cancelled: scancel JOBID
        runs.forEach(r -> r.token().cancel(CancellationToken.Reason.CANCELLED, "experiment cancelled"));
        following.get(60, TimeUnit.SECONDS);
        runs.forEach(r -> r.metrics().close());
        assertThat(outcomes)
                .containsOnlyKeys(301L, 302L)
                .allSatisfy((id, o) -> assertThat(o).isEqualTo(Outcome.cancelled("experiment cancelled")));
        String jobId = Files.readString(jobFile).trim().split("_")[0];
        assertThat(new SlurmClient(dir).status(jobId))
                .extracting(t -> t.taskIndex() + " " + t.state())
                .containsExactly("0 CANCELLED", "1 CANCELLED");
    }

    private static boolean started(Path taskOutput) throws java.io.IOException {
        return Files.exists(taskOutput) && Files.readString(taskOutput).contains("\"step\": 5");
    }
}
