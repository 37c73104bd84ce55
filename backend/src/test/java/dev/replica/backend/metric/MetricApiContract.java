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
        var batch = given().get("/api/web/series?runs=" + runId + "," + other + "&metric=train/loss&buckets=10")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(batch.getList("runId", String.class)).containsExactly(Long.toString(runId));
        assertThat(batch.getList("[0].max", Float.class)).isEqualTo(series.getList("max", Float.class));
        given().get("/api/web/series?runs=" + runId + ",987654321&metric=train/loss")
                .then()
                .statusCode(404);
        given().get("/api/web/series?runs=" + runId + "&metric=train/loss&buckets=0")
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
}
