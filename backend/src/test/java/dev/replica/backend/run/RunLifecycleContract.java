package dev.replica.backend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricService;
import dev.replica.experiments.metrics.MetricBatch;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** State changes are stored with their events, and illegal ones change nothing; once per database. */
public abstract class RunLifecycleContract {

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runService;

    @Inject
    RunRepository runs;

    @Inject
    RunQueries queries;

    @Inject
    MetricService metrics;

    private long firstRunOfNewExperiment() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        return queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 1, 0))
                .get(0)
                .id();
    }

    @Test
    void recordsEveryTransitionInOrder() {
        long id = firstRunOfNewExperiment();
        runService.transition(id, RunState.RUNNING, "started on jvm");
        runService.transition(id, RunState.FAILED, "exit code 3");
        runService.transition(id, RunState.QUEUED, "retry 1 of 2");

        RunDetailView detail = queries.find(id).orElseThrow();
        assertThat(detail.run().state()).isEqualTo("QUEUED");
        assertThat(detail.run().attempt()).isEqualTo(1);
        assertThat(detail.events())
                .extracting(RunDetailView.Event::to)
                .containsExactly("QUEUED", "RUNNING", "FAILED", "QUEUED");
        assertThat(detail.events())
                .extracting(RunDetailView.Event::message)
                .containsExactly("planned", "started on jvm", "exit code 3", "retry 1 of 2");
    }

    @Test
    void aSlurmRunsRetriesWaitOutABackOffThatDoublesWhileALocalRunsRetryAtOnce() {
        long experimentId = experiments.create("""
                        apiVersion: replica/v1
                        name: node-failures
                        kind: optimizer-sweep
                        params: {task: teacher-stream, steps: 10}
                        seeds: [0, 1]
                        retries: 3
                        """, "retries.yaml").experimentId();
        var both = queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 10, 0));
        long onSlurm = both.get(0).id();
        long local = both.get(1).id();
        java.time.Duration[] waits = new java.time.Duration[2];
        for (int i = 0; i < 2; i++) {
            assertThat(runService.claim(onSlurm, "owner-a", "slurm")).isPresent();
            java.time.Instant before = java.time.Instant.now();
            assertThat(runService.finish(
                            onSlurm,
                            new dev.replica.backend.executor.Outcome(
                                    RunState.INTERRUPTED, null, "Slurm job 37_0 failed with its node")))
                    .isEqualTo(RunState.QUEUED);
            Run stored = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                    .call(() -> runs.findRun(onSlurm).orElseThrow());
            waits[i] = java.time.Duration.between(before, stored.notBefore);
            assertThat(stored.message).isEqualTo("retry " + (i + 1) + " of 3 in " + (30 << i) + " s (Slurm back-off)");
        }
        // 30 s, then 60 s, counted from the retry's record, a few milliseconds after `before`
        assertThat(waits[0]).isBetween(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(31));
        assertThat(waits[1]).isBetween(java.time.Duration.ofSeconds(60), java.time.Duration.ofSeconds(61));

        assertThat(runService.claim(local, "owner-a", "in-process")).isPresent();
        runService.finish(local, dev.replica.backend.executor.Outcome.failed(1, "exit code 1"));
        Run retried = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> runs.findRun(local).orElseThrow());
        assertThat(retried.state).isEqualTo(RunState.QUEUED);
        assertThat(retried.notBefore).isNull();
        assertThat(retried.message).isEqualTo("retry 1 of 3");
    }

    @Test
    void refusesIllegalTransitionsAndKeepsTheStoredState() {
        long id = firstRunOfNewExperiment();
        runService.transition(id, RunState.RUNNING, "started");
        runService.transition(id, RunState.SUCCEEDED, "done");
        assertThatThrownBy(() -> runService.transition(id, RunState.RUNNING, "again"))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessage("run " + id + " is SUCCEEDED and cannot become RUNNING (SUCCEEDED is final)");
        assertThat(queries.find(id).orElseThrow().run().state()).isEqualTo("SUCCEEDED");
        assertThat(queries.find(id).orElseThrow().events()).hasSize(3);
    }

    @Test
    void filtersRunsByStateAndNumericParameters() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        var all = queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 100, 0));
        assertThat(all).hasSize(27);
        runService.transition(all.get(4).id(), RunState.CANCELLED, "not needed");
        assertThat(queries.list(new RunFilter(experimentId, RunState.CANCELLED, java.util.Map.of(), 100, 0)))
                .extracting(RunView::id)
                .containsExactly(all.get(4).id());
        // 0.5 stored as FLOAT matches "0.50" numerically; the integer param steps matches "500.0"
        assertThat(queries.list(new RunFilter(
                        experimentId, null, java.util.Map.of("lr_scale", "0.50", "steps", "500.0"), 100, 0)))
                .hasSize(9);
        assertThat(runs.findByExperimentAndIndex(experimentId, 26)).isPresent();
    }

    @Test
    void sortsAndFiltersOnMetricSummariesAndParametersAPageAtATime() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        List<RunView> all = queries.list(new RunFilter(experimentId, null, Map.of(), 100, 0));
        // runs 0..19 end with loss 100 - index (min 50 - index at step 1); runs 20..26 log nothing
        for (int i = 0; i < 20; i++) {
            metrics.append(
                    all.get(i).id(),
                    MetricBatch.builder()
                            .row(1, 0)
                            .set("val/loss", 50 - i)
                            .row(2, 0)
                            .set("val/loss", 100 - i)
                            .build());
        }
        List<Long> ids = all.stream().map(RunView::id).toList();
        RunSort byLoss = RunSort.parse("summary:last:val/loss");
        List<Long> page1 = idsOf(new RunFilter(experimentId, null, Map.of(), List.of(), byLoss, 5, 0));
        assertThat(page1).containsExactly(ids.get(19), ids.get(18), ids.get(17), ids.get(16), ids.get(15));
        // the last page runs into the runs without the metric: last, by id
        List<Long> page4 = idsOf(new RunFilter(experimentId, null, Map.of(), List.of(), byLoss, 5, 18));
        assertThat(page4).containsExactly(ids.get(1), ids.get(0), ids.get(20), ids.get(21), ids.get(22));
        List<Long> desc = idsOf(new RunFilter(
                experimentId, null, Map.of(), List.of(), RunSort.parse("-summary:last:val/loss"), 100, 0));
        assertThat(desc.subList(0, 3)).containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(desc.subList(20, 27)).containsExactlyElementsOf(ids.subList(20, 27));

        RunFilter lowLoss = new RunFilter(
                experimentId,
                null,
                Map.of(),
                List.of(RunCondition.parse("summary:last:val/loss<90"), RunCondition.parse("summary:min:val/loss>=35")),
                byLoss,
                100,
                0);
        // last < 90: index > 10; min >= 35: index <= 15
        assertThat(idsOf(lowLoss)).containsExactly(ids.get(15), ids.get(14), ids.get(13), ids.get(12), ids.get(11));
        assertThat(queries.count(lowLoss)).isEqualTo(5);

        // parameters: numeric comparison, text equality, and sorting by a numeric parameter
        RunFilter muonHighLr = new RunFilter(
                experimentId,
                null,
                Map.of(),
                List.of(RunCondition.parse("param:optimizer=muon"), RunCondition.parse("param:lr_scale>1")),
                RunSort.parse("-param:lr_scale"),
                100,
                0);
        assertThat(queries.list(muonHighLr))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.params())
                        .containsEntry("optimizer", "muon")
                        .containsEntry("lr_scale", 2.0));
        List<RunView> byLr = queries.list(new RunFilter(
                experimentId,
                null,
                Map.of(),
                List.of(RunCondition.parse("param:optimizer!=adamw")),
                RunSort.parse("param:lr_scale"),
                100,
                0));
        assertThat(byLr).hasSize(18);
        assertThat(byLr)
                .extracting(r -> ((Number) r.params().get("lr_scale")).doubleValue())
                .isSortedAccordingTo(Double::compare);
        assertThat(queries.count(new RunFilter(
                        experimentId,
                        null,
                        Map.of(),
                        List.of(RunCondition.parse("index>=20"), RunCondition.parse("state=queued")),
                        null,
                        1,
                        0)))
                .isEqualTo(7);
    }

    @Test
    void rejectsMalformedSortsAndFiltersNamingTheProblem() {
        assertThatThrownBy(() -> RunSort.parse("summary:median:val/loss"))
                .hasMessageContaining("unknown summary field 'median'");
        assertThatThrownBy(() -> RunSort.parse("colour")).hasMessageContaining("unknown field 'colour'");
        assertThatThrownBy(() -> RunCondition.parse("summary:last:val/loss<low"))
                .hasMessageContaining("< needs a number, got 'low'");
        assertThatThrownBy(() -> RunCondition.parse("param:lr")).hasMessageContaining("must look like FIELD OP VALUE");
        assertThat(RunCondition.parse("summary:last:a<b<0.5").field().name()).isEqualTo("a<b");
    }

    @Test
    void theRunsEndpointSortsFiltersAndReportsTheTotal() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        var response = io.restassured.RestAssured.given()
                .queryParam("experiment", experimentId)
                .queryParam("filter", "param:optimizer=normuon")
                .queryParam("filter", "param:lr_scale<=1")
                .queryParam("sort", "-seed")
                .queryParam("limit", 4)
                .get("/api/runs")
                .then()
                .statusCode(200)
                .extract();
        assertThat(response.header("X-Total-Count")).isEqualTo("6");
        List<Integer> seeds = response.jsonPath().getList("seed", Integer.class);
        assertThat(seeds).containsExactly(2, 2, 1, 1);
        io.restassured.RestAssured.given()
                .queryParam("experiment", experimentId)
                .queryParam("filter", "summary:lastt:val/loss<1")
                .get("/api/runs")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString("unknown summary field 'lastt'"));
        io.restassured.RestAssured.given()
                .queryParam("sort", "param:")
                .get("/api/runs")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString("param: needs a parameter name"));

        // several runs with their histories in one request, in the order asked
        List<Long> ids = queries.list(new RunFilter(experimentId, null, Map.of(), 3, 0)).stream()
                .map(RunView::id)
                .toList();
        var details = io.restassured.RestAssured.given()
                .queryParam("ids", ids.get(2) + "," + ids.get(0))
                .get("/api/runs/details")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(details.getList("run.id", Long.class)).containsExactly(ids.get(2), ids.get(0));
        assertThat(details.getList("[0].events.to", String.class)).containsExactly("QUEUED");
        io.restassured.RestAssured.given()
                .queryParam("ids", ids.get(0) + ",987654321")
                .get("/api/runs/details")
                .then()
                .statusCode(404)
                .body(org.hamcrest.Matchers.containsString("no run with id 987654321"));
        // the compare page asks for the runs that exist and names the others itself
        var known = io.restassured.RestAssured.given()
                .queryParam("ids", "987654321," + ids.get(1) + ",987654322," + ids.get(0))
                .queryParam("unknown", "omit")
                .get("/api/runs/details")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(known.getList("run.id", Long.class)).containsExactly(ids.get(1), ids.get(0));
        io.restassured.RestAssured.given()
                .queryParam("ids", ids.get(0))
                .queryParam("unknown", "skip")
                .get("/api/runs/details")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString("unknown must be fail or omit, got 'skip'"));
        io.restassured.RestAssured.given()
                .queryParam("ids", "1,x")
                .get("/api/runs/details")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString("ids must be comma-separated run ids, got 'x'"));
    }

    private List<Long> idsOf(RunFilter filter) {
        return queries.list(filter).stream().map(RunView::id).toList();
    }

    @Test
    void aBatchClaimTakesOnlyQueuedRunsAndAWorkerTakesARunOverOnlyFromItsOwner() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        var all = queries.list(new RunFilter(experimentId, null, java.util.Map.of(), 3, 0));
        long a = all.get(0).id();
        long b = all.get(1).id();
        long c = all.get(2).id();
        runService.claim(b, "other-scheduler", "process").orElseThrow();
        assertThat(runService.claimAll(java.util.List.of(a, b, c), "submitter", "slurm"))
                .extracting(r -> r.id)
                .containsExactly(a, c);

        assertThat(runService.adopt(a, "someone-else", "worker-1")).isEmpty();
        assertThat(runService.adopt(a, "submitter", "worker-1"))
                .hasValueSatisfying(r -> assertThat(r.owner).isEqualTo("worker-1"));
        assertThat(runService.adopt(a, "submitter", "worker-2"))
                .as("taken over once")
                .isEmpty();
        // a worker's heartbeat keeps what it took over; the submitter's no longer touches it
        assertThat(runService.heartbeat("worker-1", java.util.List.of(a))).isEmpty();
        assertThat(queries.find(a).orElseThrow().events())
                .extracting(RunDetailView.Event::to)
                .containsExactly("QUEUED", "RUNNING");
    }

    @Test
    void aRunInterruptedAfterItsCancelWasRequestedEndsCancelledNotRetried() {
        long id = firstRunOfNewExperiment();
        runService.claim(id, "worker-1", "in-process").orElseThrow();
        assertThat(runService.requestCancel(id, "cancelled from the CLI")).contains(RunState.RUNNING);
        assertThat(runService.heartbeat("submitter", java.util.List.of(id)))
                .containsEntry(id, "cancelled from the CLI");
        // scancel's SIGTERM reaches the worker, which reports an interruption
        assertThat(runService.finish(
                        id, new dev.replica.backend.executor.Outcome(RunState.INTERRUPTED, null, "server shut down")))
                .isEqualTo(RunState.CANCELLED);
        assertThat(queries.find(id).orElseThrow().run().message()).isEqualTo("cancelled from the CLI");
    }

    @Test
    void aCancelRecordedBeforeItsOwnerDiedEndsCancelledNotRetried() throws InterruptedException {
        long id = firstRunOfNewExperiment();
        runService.claim(id, "dead-host:1:gone", "process").orElseThrow();
        assertThat(runService.requestCancel(id, "cancelled from the UI")).contains(RunState.RUNNING);
        Thread.sleep(5); // its last heartbeat is now in the past
        runService.recoverStale(java.time.Duration.ZERO);
        RunDetailView detail = queries.find(id).orElseThrow();
        assertThat(detail.run().state()).isEqualTo("CANCELLED");
        assertThat(detail.run().message()).isEqualTo("cancelled from the UI");
        assertThat(detail.events())
                .extracting(RunDetailView.Event::to)
                .containsExactly("QUEUED", "RUNNING", "CANCELLED");
    }
}
