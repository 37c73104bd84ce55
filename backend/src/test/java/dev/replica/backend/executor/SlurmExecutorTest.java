package dev.replica.backend.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.replica.backend.run.RunState;
import dev.replica.experiments.metrics.MetricSink;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

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
        executor.unavailableReason(dir.resolve("probe")).ifPresent(reason -> {
            String message = "Slurm is not usable here: " + reason + " (CI stands it up with .ci/deps/slurm.sh)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            throw new TestAbortedException(message);
        });
        allocator = new RootAllocator();
        store = new MetricStore(dir.resolve("metrics"), allocator);
    }

    @AfterEach
    void tearDown() {
        store.close();
        allocator.close();
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
            outcome = executor.execute(launch, sink, new CancellationToken(), (id, d, t) -> { });
        }
        assertThat(outcome.state()).as(outcome.message()).isEqualTo(RunState.SUCCEEDED);
        assertThat(outcome.exitCode()).isZero();
        RunData data = store.read("101");
        assertThat(data.size()).isEqualTo(20);
        assertThat(data.value("loss", 19)).isEqualTo(0.1);
        assertThat(Files.readString(launch.runDir().resolve("stdout.log"))).isEqualTo("hello from slurm\n");
        assertThat(Files.readString(launch.runDir().resolve("slurm-job.txt")).trim()).matches("\\d+");
    }

    @Test
    void reportsTheExitCodeOfAFailedJob() throws Exception {
        RunLaunch launch = launch(102, """
                apiVersion: replica/v1
                name: fails-on-slurm
                kind: command
                command: [python3, -c, "import sys; sys.exit(3)"]
                """, Map.of());
        Outcome outcome;
        try (MetricSink sink = new MetricSink(store, "102")) {
            outcome = executor.execute(launch, sink, new CancellationToken(), (id, d, t) -> { });
        }
        assertThat(outcome.state()).isEqualTo(RunState.FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.message()).contains("exit code 3");
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
                return executor.execute(launch, sink, token, (id, d, t) -> { });
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
}
