package dev.replica.backend.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import dev.replica.experiments.metrics.parquet.DuckDb;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metric and params exports over REST, on a run logged through the MLflow API; once per database. */
public abstract class ExportApiContract {

    @Inject
    TokenService tokens;

    String token;
    String runId;

    private Response post(String path, String json) {
        return given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(json)
                .post("/api/2.0/mlflow/" + path);
    }

    @BeforeEach
    void setUp() {
        token = tokens.create("export-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        String experiment = post("experiments/create", "{\"name\":\"export-" + UUID.randomUUID() + "\"}")
                .then()
                .statusCode(200)
                .extract()
                .path("experiment_id");
        runId = post("runs/create", "{\"experiment_id\":\"" + experiment + "\"}")
                .then()
                .statusCode(200)
                .extract()
                .path("run.info.run_id");
        post(
                        "runs/log-batch",
                        "{\"run_id\":\"" + runId + "\",\"params\":[{\"key\":\"offset\",\"value\":\"-3\"},"
                                + "{\"key\":\"lr\",\"value\":\"1e23\"},{\"key\":\"cmd\",\"value\":\"=1+2\"},"
                                + "{\"key\":\"delta\",\"value\":\"-0.5\"}],"
                                + "\"metrics\":[{\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":10,\"step\":1},"
                                + "{\"key\":\"run\",\"value\":1e23,\"timestamp\":10,\"step\":1},"
                                + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":20,\"step\":2}]}")
                .then()
                .statusCode(200);
        // MLflow's keys cannot hold a comma; Replica's own ingest takes any printable name
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("[{\"step\": 3, \"time\": 30, \"values\": {\"a,b\": 7}}]")
                .post("/api/runs/" + runId + "/metrics")
                .then()
                .statusCode(200);
    }

    @Test
    void paramsTableWritesNumbersPlainAndEscapesOnlyFormulaText() {
        String csv = given().header("Authorization", "Bearer " + token)
                .get("/api/export/params.csv?runs=" + runId)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // columns sorted by name: cmd, delta, lr, offset
        assertThat(csv.lines().toList().get(0)).isEqualTo("run,experiment,seed,state,cmd,delta,lr,offset");
        assertThat(csv.lines().toList().get(1)).endsWith(",'=1+2,-0.5,1.0E23,-3");
    }

    @Test
    void wideCsvTellsLoggedNanFromNotLoggedAndNeverRepeatsAFixedColumn() {
        Response r = given().header("Authorization", "Bearer " + token)
                .get("/api/export/metrics?runs=" + runId + "&format=csv-wide");
        r.then().statusCode(200).header("Content-Disposition", containsString("runs-metrics-wide.csv"));
        assertThat(r.asString())
                .isEqualTo("run,step,time_ms,loss,metric:run,\"a,b\"\n"
                        + runId + ",1,10,NaN,1.0E23,\n"
                        + runId + ",2,20,0.5,,\n"
                        + runId + ",3,30,,,7.0\n");
        given().header("Authorization", "Bearer " + token)
                .get("/api/export/metrics?runs=" + runId + "&format=csv")
                .then()
                .header("Content-Disposition", containsString("runs-metrics.csv"));
    }

    @Test
    void selectsMetricsByRepeatedParameterAndRejectsUnknownNames() {
        String csv = given().header("Authorization", "Bearer " + token)
                .get("/api/export/metrics?runs=" + runId + "&format=csv-wide&metrics=a,b&metrics=loss")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(csv.lines().findFirst().orElseThrow()).isEqualTo("run,step,time_ms,\"a,b\",loss");
        given().header("Authorization", "Bearer " + token)
                .get("/api/export/metrics?runs=" + runId + "&metrics=loss&metrics=acc&metrics=val/loss")
                .then()
                .statusCode(400)
                .body("detail", equalTo("unknown metrics acc, val/loss: the selected runs logged loss, run, a,b"));
    }

    private java.nio.file.Path download(String query, String fileName) throws java.io.IOException {
        Response r = given().header("Authorization", "Bearer " + token).get("/api/export/" + query);
        r.then()
                .statusCode(200)
                .contentType("application/vnd.apache.parquet")
                .header("Content-Disposition", containsString(fileName));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("export-", ".parquet");
        java.nio.file.Files.write(file, r.asByteArray());
        file.toFile().deleteOnExit();
        return file;
    }

    @Test
    void parquetExportsAreTypedAndTellLoggedNanFromNotLogged() throws Exception {
        String wide = "read_parquet('"
                + download("metrics?runs=" + runId + "&format=parquet-wide", "runs-metrics-wide.parquet") + "')";
        assertThat(DuckDb.query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + wide + ")"))
                .containsExactly(
                        List.of("run", "VARCHAR"),
                        List.of("step", "BIGINT"),
                        List.of("time_ms", "BIGINT"),
                        List.of("loss", "DOUBLE"),
                        List.of("metric:run", "DOUBLE"),
                        List.of("a,b", "DOUBLE"));
        // the values logged in setUp: NaN at step 1 is logged, the empty cells were never logged
        assertThat(DuckDb.query("SELECT run, step, time_ms, loss, \"metric:run\", \"a,b\" FROM " + wide))
                .containsExactly(
                        Arrays.asList(runId, 1L, 10L, Double.NaN, 1e23, null),
                        Arrays.asList(runId, 2L, 20L, 0.5, null, null),
                        Arrays.asList(runId, 3L, 30L, null, null, 7.0));

        String long_ = "read_parquet('"
                + download("metrics?runs=" + runId + "&format=parquet&metrics=loss", "runs-metrics.parquet") + "')";
        assertThat(DuckDb.query("SELECT step, metric, value FROM " + long_))
                .containsExactly(List.of(1L, "loss", Double.NaN), List.of(2L, "loss", 0.5));

        String params = "read_parquet('" + download("params.parquet?runs=" + runId, "runs-params.parquet") + "')";
        assertThat(DuckDb.query("SELECT column_name, column_type FROM (DESCRIBE SELECT cmd, delta, lr, \"offset\" FROM "
                        + params + ")"))
                .containsExactly(
                        List.of("cmd", "VARCHAR"),
                        List.of("delta", "DOUBLE"),
                        List.of("lr", "DOUBLE"),
                        List.of("offset", "BIGINT"));
        assertThat(DuckDb.query("SELECT run, cmd, delta, lr, \"offset\" FROM " + params))
                .containsExactly(List.of(runId, "=1+2", -0.5, 1e23, -3L));
    }
}
