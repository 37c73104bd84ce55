package dev.replica.backend.metric;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metric ingest over REST, summaries in the database, series and CSV export; once per database. */
public abstract class MetricApiContract {

    @Inject
    TokenService tokens;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    RunService runService;

    @Inject
    MetricService metricService;

    @Inject
    dev.replica.backend.bundle.BundleService bundles;

    String token;
    long runId;

    @BeforeEach
    void setUp() {
        token = tokens.create("m-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        runId = runs.list(new RunFilter(experimentId, null, Map.of(), 1, 0))
                .get(0)
                .id();
    }

    private io.restassured.response.Response post(String json) {
        return given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/runs/" + runId + "/metrics");
    }

    @Test
    void refusesAppendsToAFinishedRunWith409() {
        post("[{\"step\": 1, \"values\": {\"train/loss\": 1.0}}]").then().statusCode(200);
        runService.transition(runId, RunState.RUNNING, "test");
        post("[{\"step\": 2, \"values\": {\"train/loss\": 0.5}}]").then().statusCode(200);
        runService.transition(runId, RunState.SUCCEEDED, "test");
        post("[{\"step\": 3, \"values\": {\"train/loss\": 0.25}}]")
                .then()
                .statusCode(409)
                .body(
                        "detail",
                        equalTo("run " + runId + " is SUCCEEDED: metrics can be appended only until it"
                                + " finishes (retry it to record a new attempt)"));
        // the refused batch left nothing behind
        var loss = runs.find(runId).orElseThrow().metrics().stream()
                .filter(m -> m.metric().equals("train/loss"))
                .findFirst()
                .orElseThrow();
        assertThat(loss.count()).isEqualTo(2);
    }

    @Test
    void appendsJsonBatchesAndKeepsSummariesCurrent() {
        StringBuilder json = new StringBuilder("[");
        for (int step = 1; step <= 100; step++) {
            double loss = step == 40 ? 9.5 : 1.0 / step;
            json.append(step > 1 ? "," : "")
                    .append("{\"step\":")
                    .append(step)
                    .append(",\"time\":")
                    .append(1000 + step)
                    .append(",\"values\":{\"train/loss\":")
                    .append(loss)
                    .append("}}");
        }
        json.append("]");
        post(json.toString()).then().statusCode(200).body("rows", equalTo(100)).body("totalRows", equalTo(100));
        post("[{\"step\": 101, \"values\": {\"train/loss\": \"NaN\", \"val/acc\": 0.75}}]")
                .then()
                .statusCode(200)
                .body("totalRows", equalTo(101));

        var detail = runs.find(runId).orElseThrow();
        var loss = detail.metrics().stream()
                .filter(m -> m.metric().equals("train/loss"))
                .findFirst()
                .orElseThrow();
        assertThat(loss.count()).isEqualTo(101);
        assertThat(loss.nanCount()).isEqualTo(1);
        assertThat(loss.max()).isEqualTo(9.5);
        assertThat(loss.maxStep()).isEqualTo(40);
        assertThat(loss.min()).isEqualTo(0.01);
        assertThat(loss.minStep()).isEqualTo(100);

        // downsampled to 10 buckets, the spike at step 40 survives as a bucket maximum
        var series = given().get("/api/runs/" + runId + "/metrics/train/loss/series?buckets=10")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(series.getList("max", Float.class)).contains(9.5f);
        assertThat(series.getBoolean("downsampled")).isTrue();
        assertThat(given().get("/api/runs/" + runId + "/metrics")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$", String.class))
                .containsExactlyInAnyOrder("train/loss", "val/acc");

        // the same series through the batch endpoint, next to a run of the experiment that logged nothing
        long other = runs.list(new RunFilter(detail.run().experimentId(), null, Map.of(), 2, 0))
                .get(1)
                .id();
        var batch = given().get("/api/runs/series?ids=" + runId + "," + other + "&metric=train/loss&buckets=10")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(batch.getList("runId", String.class)).containsExactly(Long.toString(runId));
        assertThat(batch.getList("[0].max", Float.class)).isEqualTo(series.getList("max", Float.class));
        given().get("/api/runs/series?ids=" + runId + ",987654321&metric=train/loss")
                .then()
                .statusCode(404);
        given().get("/api/runs/series?ids=" + runId + "&metric=train/loss&buckets=0")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString("buckets must be in [1, 10000], got 0"));

        String csv = given().get("/api/runs/" + runId + "/metrics/export.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines().count()).isGreaterThanOrEqualTo(102);
        assertThat(csv).contains("train/loss").contains("NaN");
    }

    @Test
    void rejectsMalformedBatchesNamingTheField() {
        post("[{\"step\": \"three\", \"values\": {\"loss\": 1}}]")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", startsWith("[0]"));
        post("not json").then().statusCode(400);
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("[]")
                .post("/api/runs/987654321/metrics")
                .then()
                .statusCode(404);
    }

    private static String rows(int from, int to, double offset) {
        StringBuilder json = new StringBuilder("[");
        for (int step = from; step <= to; step++) {
            json.append(step > from ? "," : "")
                    .append("{\"step\":")
                    .append(step)
                    .append(",\"values\":{\"train/loss\":")
                    .append(offset + 1.0 / step)
                    .append(",\"val/acc\":")
                    .append(step / 1000.0)
                    .append("}}");
        }
        return json.append("]").toString();
    }

    /** Every loss value of one CSV export, by step. */
    private static Map<Long, Double> lossByStep(String csv) {
        Map<Long, Double> out = new java.util.TreeMap<>();
        csv.lines()
                .skip(1)
                .map(l -> l.split(","))
                .filter(f -> f[3].equals("train/loss"))
                .forEach(f -> {
                    assertThat(out.put(Long.parseLong(f[1]), Double.parseDouble(f[4])))
                            .isNull();
                });
        return out;
    }

    @Test
    void everyAcknowledgedPointOfAnInterruptedAttemptStaysReadableAfterTheRetryAndTheLatestIsTheDefault()
            throws Exception {
        runService.transition(runId, RunState.RUNNING, "claimed");
        metricService.startAttempt(runId); // what LaunchService does at every start: attempt 1 has nothing to set aside
        for (int b = 0; b < 4; b++) { // 760 acknowledged rows, 1,520 points
            post(rows(b * 190 + 1, (b + 1) * 190, 0)).then().statusCode(200);
        }
        // the owner dies; recovery interrupts the run and queues its retry, which a scheduler starts
        runService.transition(runId, RunState.INTERRUPTED, "owner gone");
        runService.transition(runId, RunState.QUEUED, "retry 1 of 2");
        runService.transition(runId, RunState.RUNNING, "claimed");
        metricService.startAttempt(runId);
        post(rows(1, 100, 10)).then().statusCode(200).body("totalRows", equalTo(100));

        var attempts = given().get("/api/runs/" + runId + "/attempts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(attempts.getList("number", Integer.class)).containsExactly(1, 2);
        assertThat(attempts.getList("state", String.class)).containsExactly("INTERRUPTED", "RUNNING");
        assertThat(attempts.getList("reason", String.class)).containsExactly("owner gone", null);
        assertThat(attempts.getList("points", Long.class)).containsExactly(760L, 100L);
        assertThat(attempts.getList("latest", Boolean.class)).containsExactly(false, true);
        assertThat(attempts.getString("[0].started")).isNotNull();
        assertThat(attempts.getString("[0].ended")).isNotNull();

        // attempt 1: every acknowledged point, bit for bit, through the run's own export and the series endpoint
        Map<Long, Double> first = lossByStep(given().get("/api/runs/" + runId + "/metrics/export.csv?attempt=1")
                .then()
                .statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attempt-1"))
                .extract()
                .asString());
        assertThat(first).hasSize(760);
        first.forEach((step, loss) -> assertThat(loss).isEqualTo(1.0 / step));
        given().get("/api/runs/" + runId + "/metrics/train/loss/series?buckets=0&attempt=1")
                .then()
                .statusCode(200)
                .body("sourcePoints", equalTo(760));
        assertThat(given().get("/api/runs/" + runId + "/metrics?attempt=1")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("$", String.class))
                .containsExactlyInAnyOrder("train/loss", "val/acc");

        // no attempt named: the latest, the same as ?attempt=2
        Map<Long, Double> latest = lossByStep(given().get("/api/runs/" + runId + "/metrics/export.csv")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(latest).hasSize(100);
        latest.forEach((step, loss) -> assertThat(loss).isEqualTo(10 + 1.0 / step));
        assertThat(lossByStep(given().get("/api/runs/" + runId + "/metrics/export.csv?attempt=2")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString()))
                .isEqualTo(latest);
        given().get("/api/runs/" + runId + "/metrics/train/loss/series?buckets=0")
                .then()
                .statusCode(200)
                .body("sourcePoints", equalTo(100));
        // the run's summaries are the latest attempt's
        var loss = runs.find(runId).orElseThrow().metrics().stream()
                .filter(m -> m.metric().equals("train/loss"))
                .findFirst()
                .orElseThrow();
        assertThat(loss.count()).isEqualTo(100);

        // the experiment export: latest by default, every attempt on request
        String all = given().get("/api/export/metrics?runs=" + runId + "&attempts=all")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(all.lines().filter(l -> l.startsWith(runId + ".attempt-1,")).count())
                .isEqualTo(1520);
        assertThat(all.lines().filter(l -> l.startsWith(runId + ",")).count()).isEqualTo(200);
        assertThat(given().get("/api/export/metrics?runs=" + runId)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString()
                        .lines()
                        .count())
                .isEqualTo(201);

        // attempts that do not exist are a 400 naming the field
        given().get("/api/runs/" + runId + "/metrics/train/loss/series?attempt=3")
                .then()
                .statusCode(400)
                .body("detail", equalTo("attempt must be in [1, 2] for run " + runId + ", got 3"));
        given().get("/api/export/metrics?runs=" + runId + "&attempts=first")
                .then()
                .statusCode(400)
                .body("detail", equalTo("attempts must be latest or all, got first"));
        given().get("/api/runs/987654321/attempts").then().statusCode(404);

        // a bundle carries every attempt: imported, the copy lists and reads them the same
        java.nio.file.Path zip =
                java.nio.file.Files.createTempDirectory("attempts").resolve("run.zip");
        bundles.export(java.util.List.of(), java.util.List.of(runId), zip);
        long copy = bundles.importBundle(zip).runIds().get(runId);
        given().get("/api/runs/" + copy + "/attempts")
                .then()
                .statusCode(200)
                .body("points", equalTo(java.util.List.of(760, 100)))
                .body("state", equalTo(java.util.List.of("INTERRUPTED", "RUNNING")));
        assertThat(lossByStep(given().get("/api/runs/" + copy + "/metrics/export.csv?attempt=1")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString()))
                .isEqualTo(first);
    }
}
