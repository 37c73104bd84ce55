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

    /**
     * The "For pandas users" recipe in docs/metrics-store.md, run by Debian's pandas (python3-pandas; .ci/deps/pandas.sh
     * installs it): the long CSV read with {@code float_precision="round_trip"} gives back every logged double bit for
     * bit, the params table's numbers come out typed, and the pivot keeps a logged NaN. (Parquet needs pyarrow, which
     * Debian does not package; DuckDB reads the Parquet exports above.)
     */
    @Test
    void pandasReadsTheCsvExportsAsTheDocsSay() throws Exception {
        java.nio.file.Path python = java.nio.file.Path.of("/usr/bin/python3");
        String reason = "Debian's python3-pandas is not installed (.ci/deps/pandas.sh installs it)";
        boolean hasPandas = java.nio.file.Files.isExecutable(python)
                && new ProcessBuilder(python.toString(), "-c", "import pandas")
                                .redirectErrorStream(true)
                                .start()
                                .waitFor()
                        == 0;
        if (!hasPandas) {
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(reason);
            }
            System.out.println("Skipping pandasReadsTheCsvExportsAsTheDocsSay: " + reason);
            org.junit.jupiter.api.Assumptions.abort(reason);
        }
        // seeded doubles across magnitudes: the default C parser of pandas misreads some of them by a few ULP
        java.util.Random random = new java.util.Random(17);
        double[] values = new double[300];
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30) - 15);
            batch.append(i == 0 ? "" : ",")
                    .append("{\"step\": ")
                    .append(100 + i)
                    .append(", \"time\": 40, \"values\": {\"acc\": ")
                    .append(values[i])
                    .append("}}");
        }
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(batch.append("]").toString())
                .post("/api/runs/" + runId + "/metrics")
                .then()
                .statusCode(200);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pandas-");
        java.nio.file.Files.write(
                dir.resolve("sweep.csv"),
                given().header("Authorization", "Bearer " + token)
                        .get("/api/export/metrics?runs=" + runId + "&format=csv")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
        java.nio.file.Files.write(
                dir.resolve("sweep.params.csv"),
                given().header("Authorization", "Bearer " + token)
                        .get("/api/export/params.csv?runs=" + runId)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asByteArray());
        String script = String.join(
                "\n",
                "import struct, pandas as pd",
                "long = pd.read_csv('sweep.csv', float_precision='round_trip')",
                "params = pd.read_csv('sweep.params.csv')",
                "metrics = long[~long['metric'].isin(['run', 'step', 'time_ms'])]",
                "wide = metrics.pivot(index=['run', 'step'], columns='metric', values='value')",
                "table = wide.reset_index().merge(params, on='run')",
                "print('dtypes', params['offset'].dtype, params['delta'].dtype, params['lr'].dtype, long['step'].dtype)",
                "print('nan', wide.loc[(table['run'][0], 1), 'loss'], len(table))",
                "for step, value in long[long['metric'] == 'acc'][['step', 'value']].itertuples(index=False):",
                "    print(step, struct.unpack('<q', struct.pack('<d', value))[0])");
        Process process = new ProcessBuilder(python.toString(), "-c", script)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        java.util.List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("dtypes int64 float64 float64 int64");
        // steps 1, 2, 3 and the 300 acc steps: 303 rows of (run, step)
        assertThat(lines.get(1)).isEqualTo("nan nan 303");
        assertThat(lines).hasSize(2 + values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(lines.get(2 + i))
                    .as("step %d, logged %s", 100 + i, values[i])
                    .isEqualTo((100 + i) + " " + Double.doubleToRawLongBits(values[i]));
        }
    }
}
