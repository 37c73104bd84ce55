package dev.replica.backend.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunDetailView;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler and the process executor against real child processes; once per database. */
public abstract class SchedulerContract {

    @Inject
    Scheduler scheduler;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    RunService runService;

    @Inject
    ReplicaHome home;

    @Inject
    dev.replica.experiments.metrics.MetricStore store;

    @Inject
    MachineGpus gpus;

    @Inject
    RunQueue queue;

    @Inject
    org.jooq.DSLContext dsl;

    @TempDir
    Path dir;

    private static final String TRAIN_PY = """
            import json, sys
            lr = float(sys.argv[1]); seed = int(sys.argv[2])
            print("starting with lr", lr)
            loss = 1.0
            for step in range(1, 51):
                loss = loss * (1 - lr)
                print(json.dumps({"step": step, "train/loss": loss, "seed": seed}))
            print(json.dumps({"step": 51, "val/loss": float("nan")}))
            print("done", file=sys.stderr)
            """;

    private long store(String yaml) throws IOException {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        return experiments.create(yaml, spec.toString(), dir).experimentId();
    }

    private List<RunView> runsOf(long experimentId) {
        return runs.list(new RunFilter(experimentId, null, Map.of(), 1000, 0));
    }

    @Test
    void runsACommandSweepAndStoresItsMetrics() throws Exception {
        Files.writeString(dir.resolve("train.py"), TRAIN_PY);
        long id = store("""
                apiVersion: replica/v1
                name: py-sweep
                kind: command
                command: [python3, train.py, "{lr}", "{seed}"]
                sweep: {grid: {lr: [0.1, 0.2]}}
                seeds: [0, 1]
                metric: {primary: train/loss, goal: min}
                """);
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 4L));
        for (RunView r : runsOf(id)) {
            RunDetailView detail = runs.find(r.id()).orElseThrow();
            assertThat(detail.run().executor()).isEqualTo("process");
            assertThat(detail.run().exitCode()).isZero();
            RunDetailView.MetricSummaryView loss = detail.metrics().stream()
                    .filter(m -> m.metric().equals("train/loss"))
                    .findFirst()
                    .orElseThrow();
            double lr = ((Number) r.params().get("lr")).doubleValue();
            assertThat(loss.count()).isEqualTo(50);
            assertThat(loss.last()).isEqualTo(Math.pow(1 - lr, 50), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(loss.minStep()).isEqualTo(50);
            RunDetailView.MetricSummaryView val = detail.metrics().stream()
                    .filter(m -> m.metric().equals("val/loss"))
                    .findFirst()
                    .orElseThrow();
            assertThat(val.nanCount()).isEqualTo(1);
            Path runDir = home.artifacts().resolve(Long.toString(r.id()));
            assertThat(Files.readString(runDir.resolve("stdout.log"))).startsWith("starting with lr " + lr);
            assertThat(Files.readString(runDir.resolve("stderr.log"))).isEqualTo("done\n");
            assertThat(Files.readAllLines(runDir.resolve("command.txt")))
                    .containsExactly("python3", "train.py", Double.toString(lr), Long.toString(r.seed()));
        }
    }

    @Test
    void failedRunsAreRetriedPerPolicyAndKeepTheirExitCode() throws Exception {
        long id = store("""
                apiVersion: replica/v1
                name: always-fails
                kind: command
                command: [python3, -c, "import sys; print('boom', file=sys.stderr); sys.exit(3)"]
                retries: 2
                """);
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.FAILED, 1L));
        RunDetailView detail = runs.find(runsOf(id).get(0).id()).orElseThrow();
        assertThat(detail.run().exitCode()).isEqualTo(3);
        assertThat(detail.run().attempt()).isEqualTo(2);
        assertThat(detail.run().message()).isEqualTo("exit code 3: boom");
        assertThat(detail.events())
                .extracting(RunDetailView.Event::to)
                .containsExactly(
                        "QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "FAILED");
    }

    @Test
    void everyAttemptOfARetriedRunKeepsItsMetricsLogsAndManifestAndTheLatestIsTheDefault() throws Exception {
        // each start logs 10 + attempt points tagged with its attempt number, then fails
        Files.writeString(dir.resolve("flaky.py"), """
                import json, os, sys
                n = int(open("count").read()) + 1 if os.path.exists("count") else 1
                open("count", "w").write(str(n))
                print("attempt", n)
                for step in range(1, 11 + n):
                    print(json.dumps({"step": step, "attempt": n, "train/loss": n + 1.0 / step}))
                print("boom", n, file=sys.stderr)
                sys.exit(3)
                """);
        long id = store("""
                apiVersion: replica/v1
                name: flaky
                kind: command
                command: [python3, flaky.py]
                retries: 2
                """);
        assertThat(scheduler.runExperiment(id, p -> {}).byState()).isEqualTo(Map.of(RunState.FAILED, 1L));
        long runId = runsOf(id).get(0).id();

        var attempts = io.restassured.RestAssured.given()
                .get("/api/runs/" + runId + "/attempts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(attempts.getList("number", Integer.class)).containsExactly(1, 2, 3);
        assertThat(attempts.getList("state", String.class)).containsOnly("FAILED");
        assertThat(attempts.getList("reason", String.class))
                .containsExactly("exit code 3: boom 1", "exit code 3: boom 2", "exit code 3: boom 3");
        assertThat(attempts.getList("points", Long.class)).containsExactly(11L, 12L, 13L);
        for (int n = 1; n <= 3; n++) {
            String csv = io.restassured.RestAssured.given()
                    .get("/api/runs/" + runId + "/metrics/export.csv?attempt=" + n)
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            int attempt = n;
            assertThat(csv.lines().filter(l -> l.contains(",attempt,")))
                    .hasSize(10 + n)
                    .allSatisfy(l -> assertThat(Double.parseDouble(l.substring(l.lastIndexOf(',') + 1)))
                            .isEqualTo((double) attempt));
        }
        // no attempt named: the latest
        io.restassured.RestAssured.given()
                .get("/api/runs/" + runId + "/metrics/attempt/series?buckets=0")
                .then()
                .statusCode(200)
                .body("sourcePoints", org.hamcrest.Matchers.equalTo(13));
        RunDetailView detail = runs.find(runId).orElseThrow();
        assertThat(detail.metrics().stream()
                        .filter(m -> m.metric().equals("attempt"))
                        .findFirst()
                        .orElseThrow()
                        .last())
                .isEqualTo(3.0);

        // each earlier attempt's logs and manifest, where a retry would have overwritten them
        Path runDir = home.artifacts().resolve(Long.toString(runId));
        for (int n = 1; n <= 2; n++) {
            Path kept = runDir.resolve("attempt-" + n);
            assertThat(kept.resolve("stderr.log")).hasContent("boom " + n);
            assertThat(kept.resolve("manifest.json")).exists();
            assertThat(kept.resolve("stdout.log")).hasContent("attempt " + n); // its metric lines are parsed out
        }
        assertThat(runDir.resolve("stderr.log")).hasContent("boom 3");
    }

    @Test
    void aSlurmRetryWaitingOutItsBackOffIsNotClaimedBeforeItIsDue() throws Exception {
        long id = store("""
                apiVersion: replica/v1
                name: backed-off
                kind: command
                command: [python3, -c, "print(1)"]
                executor: slurm
                retries: 1
                """);
        long runId = runsOf(id).get(0).id();
        assertThat(queue.claim(runId, "owner-a", "slurm")).isPresent();
        runService.finish(runId, new dev.replica.backend.executor.Outcome(RunState.INTERRUPTED, null, "node failure"));
        assertThat(runsOf(id).get(0).state()).isEqualTo("QUEUED");
        assertThat(queue.next(id, 10)).as("due in 30 s").isEmpty();

        dsl.update(dev.replica.backend.db.Tables.RUN)
                .set(
                        dev.replica.backend.db.Tables.RUN.NOT_BEFORE,
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1))
                .where(dev.replica.backend.db.Tables.RUN.ID.eq(runId))
                .execute();
        assertThat(queue.next(id, 10)).extracting(RunQueue.QueuedRun::runId).containsExactly(runId);
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        Path pids = dir.resolve("pids.txt");
        long id = store("""
                apiVersion: replica/v1
                name: sleeper
                kind: command
                command: [python3, -c, "import os, subprocess, sys, time; c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']); open(sys.argv[1], 'w').write(f'{{os.getpid()}} {{c.pid}}'); time.sleep(600)", "%s"]
                timeout: 6s
                """.formatted(pids));
        long start = System.nanoTime();
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.FAILED, 1L));
        assertThat(runsOf(id).get(0).message()).isEqualTo("timed out after 6s");
        for (String pid : Files.readString(pids).trim().split(" ")) {
            long deadline = System.currentTimeMillis() + 5_000; // a killed orphan may linger until init reaps it
            while (running(Long.parseLong(pid)) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(running(Long.parseLong(pid)))
                    .as("process %s still running", pid)
                    .isFalse();
        }
    }

    @Test
    void cancellingARunningRunStopsItAndMarksItCancelled() throws Exception {
        long id = store("""
                apiVersion: replica/v1
                name: cancel-me
                kind: command
                command: [python3, -c, "import time; time.sleep(600)"]
                """);
        CompletableFuture<Scheduler.Summary> done = CompletableFuture.supplyAsync(() -> {
            try {
                return scheduler.runExperiment(id, p -> {});
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long runId = runsOf(id).get(0).id();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!runsOf(id).get(0).state().equals("RUNNING") && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(scheduler.cancel(runId, "test cancel")).contains(RunState.RUNNING);
        Scheduler.Summary summary = done.get(30, TimeUnit.SECONDS);
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.CANCELLED, 1L));
        assertThat(runsOf(id).get(0).message()).isEqualTo("test cancel");
    }

    @Test
    void runsOrphanedByACrashedProcessAreInterruptedAndRequeued() throws IOException {
        long id = store("""
                apiVersion: replica/v1
                name: orphan
                kind: command
                command: [python3, -c, "print(1)"]
                retries: 1
                """);
        long runId = runsOf(id).get(0).id();
        // another process claimed it and then died: its heartbeat is old
        runService.claim(runId, "dead-host:1:abcd", "process").orElseThrow();
        QuarkusTransaction.requiringNew()
                .run(() -> dev.replica.backend.run.Run.update(
                        "heartbeatAt = ?1 where id = ?2", Instant.now().minus(Duration.ofMinutes(5)), runId));
        int recovered = runService.recoverStale(Duration.ofSeconds(30));
        assertThat(recovered).isGreaterThanOrEqualTo(1);
        RunDetailView detail = runs.find(runId).orElseThrow();
        assertThat(detail.run().state()).isEqualTo("QUEUED");
        assertThat(detail.events()).extracting(RunDetailView.Event::to).endsWith("RUNNING", "INTERRUPTED", "QUEUED");
        assertThat(detail.events().get(detail.events().size() - 2).message())
                .startsWith("owner dead-host:1:abcd stopped");
    }

    @Inject
    Liveness liveness;

    @Inject
    SchedulerConfig config;

    @Test
    void aDeadOwnersRunIsRecoveredWhileThisProcessTicksWithinTwoHeartbeats() throws Exception {
        long id = store("""
                apiVersion: replica/v1
                name: owner-died-while-we-run
                kind: command
                command: [python3, -c, "print(1)"]
                retries: 1
                """);
        long runId = runsOf(id).get(0).id();
        // another live-looking process claims it (heartbeat now) and then never heart-beats again
        runService.claim(runId, "dead-host:2:efgh", "process").orElseThrow();
        long claimed = System.nanoTime();
        Duration limit = config.heartbeatInterval().multipliedBy(2);
        while (runs.find(runId).orElseThrow().run().state().equals("RUNNING")) {
            assertThat(Duration.ofNanos(System.nanoTime() - claimed))
                    .as("still RUNNING")
                    .isLessThan(limit.plusSeconds(5));
            liveness.tick(); // what every scheduler tick does (serve, replica run)
            Thread.sleep(100);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - claimed);
        System.out.printf(
                "dead owner's run recovered after %d ms (heartbeat %s)%n", took.toMillis(), config.heartbeatInterval());
        assertThat(took).isLessThanOrEqualTo(limit.plus(config.pollInterval()).plusMillis(500));
        assertThat(took).isGreaterThanOrEqualTo(limit.minusMillis(200)); // not before it went stale
        assertThat(runs.find(runId).orElseThrow().events())
                .extracting(RunDetailView.Event::to)
                .containsExactly("QUEUED", "RUNNING", "INTERRUPTED", "QUEUED");
        scheduler.cancel(runId, "test done");
    }

    @Test
    void queuedRunsAreCancelledAtOnce() throws IOException {
        long id = store("""
                apiVersion: replica/v1
                name: never-started
                kind: command
                command: [python3, -c, "print(1)"]
                """);
        long runId = runsOf(id).get(0).id();
        assertThat(scheduler.cancel(runId, "not needed")).contains(RunState.CANCELLED);
        assertThat(runs.find(runId).orElseThrow().run().state()).isEqualTo("CANCELLED");
    }

    @Test
    void builtInKindsRunInProcessAndRerunBitIdentically() throws Exception {
        String yaml = """
                apiVersion: replica/v1
                name: tiny-optimizers
                kind: optimizer-sweep
                params: {task: teacher-stream, steps: 12, batch: 16, width: 16, eval_every: 6}
                sweep: {grid: {optimizer: [adamw, normuon]}}
                metric: {primary: train/loss, goal: min}
                """;
        long first = store(yaml);
        long second = store(yaml);
        assertThat(scheduler.runExperiment(first, p -> {}).byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 2L));
        assertThat(scheduler.runExperiment(second, p -> {}).byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 2L));
        List<RunView> a = runsOf(first);
        List<RunView> b = runsOf(second);
        for (int i = 0; i < a.size(); i++) {
            RunDetailView detail = runs.find(a.get(i).id()).orElseThrow();
            assertThat(detail.run().executor()).isEqualTo("in-process");
            assertThat(detail.metrics())
                    .extracting(RunDetailView.MetricSummaryView::metric)
                    .contains("train/loss", "val/loss");
            var x = store.read(Long.toString(a.get(i).id()));
            var y = store.read(Long.toString(b.get(i).id()));
            assertThat(y.size()).isEqualTo(x.size()).isGreaterThanOrEqualTo(12);
            int compared = 0;
            for (String metric : x.metrics()) {
                if (metric.startsWith("time/") || metric.startsWith("throughput/")) {
                    continue; // wall-clock measurements, not results
                }
                for (int row = 0; row < x.size(); row++) {
                    assertThat(y.step(row)).isEqualTo(x.step(row));
                    assertThat(y.isPresent(metric, row)).isEqualTo(x.isPresent(metric, row));
                    if (x.isPresent(metric, row)) {
                        assertThat(Double.doubleToRawLongBits(y.value(metric, row)))
                                .as("%s at step %d", metric, x.step(row))
                                .isEqualTo(Double.doubleToRawLongBits(x.value(metric, row)));
                        compared++;
                    }
                }
            }
            assertThat(compared).isGreaterThan(24);
            assertThat(Files.readString(home.artifacts().resolve(a.get(i).id() + "/backend.txt")))
                    .contains("jvm");
        }
    }

    @Test
    void aSpecChoosesTheKernelBackendAndTheManifestRecordsIt() throws Exception {
        long id = store("""
                apiVersion: replica/v1
                name: on-the-reference
                kind: optimizer-sweep
                params: {task: teacher-stream, optimizer: adamw, steps: 2, batch: 8, width: 8, eval_every: 2}
                backend: reference
                """);
        assertThat(scheduler.runExperiment(id, p -> {}).byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 1L));
        long runId = runsOf(id).get(0).id();
        assertThat(Files.readString(home.artifacts().resolve(runId + "/backend.txt")))
                .startsWith("replica.kernels.backend=reference -> reference");
        var manifest = dev.replica.experiments.manifest.RunManifest.parse(
                Files.readAllBytes(home.artifacts().resolve(runId + "/manifest.json")));
        assertThat(manifest.backend()).containsEntry("backend", "reference").containsEntry("requested", "reference");
    }

    /** A run's state, the rung it was pruned at and why, as stored. */
    private String outcomeOf(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            dev.replica.backend.run.Run r = dev.replica.backend.run.Run.findById(runId);
            return r.runIndex + " " + r.state + " " + r.prunedAtResource
                    + (r.state == RunState.PRUNED ? " " + r.message : "");
        });
    }

    private static final String SLOW_PY = """
            import json, sys, time
            lr = float(sys.argv[1])
            loss = 1.0
            for step in range(1, 101):
                loss = loss * (1 - lr)
                print(json.dumps({"step": step, "train/loss": loss}), flush=True)
                time.sleep(0.03)
            """;

    @Test
    void ashaStopsTheLosingCommandRunsAtTheirRungAndRecordsThemPruned() throws Exception {
        Files.writeString(dir.resolve("slow.py"), SLOW_PY);
        // loss = (1 - lr)^step. η = 3, rungs at steps 10 and 30, runs one at a time in this order:
        //   lr .05: first at both rungs, continues.  lr .2: best at both, continues.
        //   lr .01: rung 10, n = 3 keeps 1 (cut-off .8^10): pruned.
        //   lr .1:  rung 10, n = 4 keeps 2 (.9^10 is the cut-off itself): continues; rung 30, n = 3 keeps 1: pruned.
        long id = store("""
                apiVersion: replica/v1
                name: asha-command
                kind: command
                command: [python3, slow.py, "{lr}"]
                sweep:
                  method: asha
                  min_resource: 10
                  max_resource: 100
                  eta: 3
                  grid: {lr: [0.05, 0.2, 0.01, 0.1]}
                concurrency: 1
                metric: {primary: train/loss, goal: min}
                """);
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 2L, RunState.PRUNED, 2L));
        List<RunView> all = runsOf(id).stream()
                .sorted(java.util.Comparator.comparingLong(RunView::id))
                .toList();
        assertThat(outcomeOf(all.get(0).id())).isEqualTo("0 SUCCEEDED null");
        assertThat(outcomeOf(all.get(1).id())).isEqualTo("1 SUCCEEDED null");
        assertThat(outcomeOf(all.get(2).id()))
                .startsWith("2 PRUNED 10 pruned at rung 0 (step ≥ 10): mean 0.9044, rank 3 of 3, cut-off 0.1074");
        assertThat(outcomeOf(all.get(3).id()))
                .startsWith("3 PRUNED 30 pruned at rung 1 (step ≥ 30): mean 0.04239, rank 2 of 3, cut-off 0.001238");
        for (RunView pruned : all.subList(2, 4)) {
            // stopped through the cancel path: its process ended long before its 100 steps
            var rows = store.read(Long.toString(pruned.id()));
            assertThat(rows.step(rows.size() - 1)).isLessThan(100);
        }
        // the decisions are stored: the search state shows the rungs with their members and cut-offs
        var state = searchStates.of(id).orElseThrow();
        assertThat(state.method()).isEqualTo("asha");
        assertThat(state.budget().pruned()).isEqualTo(2);
        assertThat(state.rungs()).extracting(r -> r.resource()).containsExactly(10L, 30L, 90L);
        assertThat(state.rungs().get(0).members())
                .extracting(m -> m.label() + (m.pruned() ? " pruned" : " promoted"))
                .containsExactly("lr=0.05 promoted", "lr=0.2 promoted", "lr=0.01 pruned", "lr=0.1 promoted");
        assertThat(state.rungs().get(1).cutoff()).isCloseTo(0.001238, org.assertj.core.data.Offset.offset(1e-6));
        // lr .05 and .2 pass rungs 10, 30 and 90; .01 stops at 10, .1 at 30
        assertThat(state.decisions()).hasSize(9);
        assertThat(state.decisions().get(6).stoppedRuns())
                .containsExactly(all.get(2).id());
        // the comparison can leave the pruned runs out (replica compare --exclude pruned, ?exclude=pruned)
        var ask = dev.replica.backend.compare.ComparisonService.Ask.SPEC;
        assertThat(comparisons.forExperiment(id, ask, null).runs()).hasSize(4);
        assertThat(comparisons.forExperiment(id, ask, "pruned").runs()).hasSize(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> comparisons.forExperiment(id, ask, "failed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "exclude: only \"pruned\" can be left out (runs stopped by early stopping), got \"failed\"");
    }

    @Inject
    dev.replica.backend.compare.ComparisonService comparisons;

    @Inject
    dev.replica.backend.search.SearchStateService searchStates;

    @Test
    void aSeedAwareAshaSearchOnABuiltInKindDecidesTheSameTwice() throws Exception {
        String yaml = """
                apiVersion: replica/v1
                name: asha-tiny
                kind: optimizer-sweep
                params: {task: teacher-stream, steps: 40, batch: 16, width: 16, eval_every: 20, optimizer: adamw}
                sweep:
                  method: asha
                  min_resource: 5
                  max_resource: 40
                  eta: 2
                  random: {count: 5, seed: 11, params: {lr: {log-uniform: [1e-5, 3e-1]}}}
                seeds: [0, 1]
                concurrency: 1
                metric: {primary: train/loss, goal: min}
                """;
        List<String> first = searchOutcome(store(yaml));
        List<String> second = searchOutcome(store(yaml));
        assertThat(second).isEqualTo(first);
        assertThat(first).anyMatch(o -> o.contains(" PRUNED ")).anyMatch(o -> o.contains(" SUCCEEDED "));
    }

    @Inject
    dev.replica.backend.search.SearchWatch searches;

    /** Each run's outcome, then each decision in order, without run ids. */
    private List<String> searchOutcome(long experimentId) throws InterruptedException {
        scheduler.runExperiment(experimentId, p -> {});
        List<String> out = new java.util.ArrayList<>();
        runsOf(experimentId).stream()
                .sorted(java.util.Comparator.comparingLong(RunView::id))
                .forEach(r -> out.add(outcomeOf(r.id())));
        searches.drain(experimentId).forEach(e -> out.add(e.label() + " " + e.text()));
        return out;
    }

    @Test
    void twoRunsNeedingOneGpuShareTheOnlyGpuOneAfterTheOther() throws Exception {
        gpus.override(1);
        scheduler.maxConcurrent(2); // room for both: only the GPU slot keeps them apart
        try {
            long id = store("""
                    apiVersion: replica/v1
                    name: one-gpu-each
                    kind: command
                    command: [python3, -c, "import os, sys, time; s = time.time(); time.sleep(1.5); open(os.path.join(sys.argv[1], 'gpu-' + os.environ['REPLICA_RUN_ID']), 'w').write(os.environ.get('CUDA_VISIBLE_DEVICES', '-') + ' ' + repr(s) + ' ' + repr(time.time()))", "%s"]
                    seeds: [0, 1]
                    resources: {gpus: 1}
                    """.formatted(dir));
            assertThat(scheduler.runExperiment(id, p -> {}).byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 2L));
            List<String[]> seen = new java.util.ArrayList<>();
            for (RunView r : runsOf(id)) {
                seen.add(Files.readString(dir.resolve("gpu-" + r.id())).split(" "));
            }
            assertThat(seen).extracting(s -> s[0]).containsExactly("0", "0");
            double[] a = {Double.parseDouble(seen.get(0)[1]), Double.parseDouble(seen.get(0)[2])};
            double[] b = {Double.parseDouble(seen.get(1)[1]), Double.parseDouble(seen.get(1)[2])};
            assertThat(a[1] <= b[0] || b[1] <= a[0])
                    .as("runs overlapped: %s and %s", java.util.Arrays.toString(a), java.util.Arrays.toString(b))
                    .isTrue();
            assertThat(gpus.slots().free()).isEqualTo(1);
        } finally {
            scheduler.maxConcurrent(1);
            gpus.override(0);
        }
    }

    @Test
    void aRunNeedingMoreGpusThanTheMachineHasIsRejectedAtSubmit() throws IOException {
        gpus.override(1);
        try {
            Path spec = dir.resolve("greedy.yaml");
            String yaml = """
                    apiVersion: replica/v1
                    name: two-gpus-please
                    kind: command
                    command: [python3, -c, "print(1)"]
                    resources: {gpus: 2}
                    """;
            Files.writeString(spec, yaml);
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.replica.experiments.spec.SpecValidationException.class,
                    () -> experiments.create(yaml, spec.toString(), dir));
            assertThat(e.errors())
                    .extracting(Object::toString)
                    .containsExactly(spec + ":5:19: resources.gpus: each run needs 2"
                            + " GPUs but this machine has 1 (see `replica devices`); lower resources.gpus, or run the experiment on a"
                            + " cluster with executor: slurm");
        } finally {
            gpus.override(0);
        }
    }

    /** Alive and not a zombie (an exited process its parent has not reaped yet). */
    private static boolean running(long pid) throws IOException {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }
}
