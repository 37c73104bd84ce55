package dev.replica.backend.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.TestSpecs;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.profiles.H2Profile;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The workbench's read-only endpoints: metric summaries per experiment, grouped curves with tests, a run's
 * artifacts; and the OpenAPI document against the snapshot the frontend's types are generated from.
 */
@QuarkusTest
@TestProfile(H2Profile.class)
class WebApiH2Test {

    static final Path OPENAPI_SNAPSHOT =
            Path.of("../frontend/src/api/openapi.json").toAbsolutePath().normalize();
    static final String REFRESH = "refresh it with `REPLICA_OPENAPI_UPDATE=1 ./mvnw -pl backend -am test "
            + "-Dtest=WebApiH2Test -Dsurefire.failIfNoSpecifiedTests=false`, then `cd frontend && npm run gen:api` "
            + "(regenerates src/api/openapi-types.ts) and fix src/api/types.ts where tsc complains";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TokenService tokens;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    dev.replica.backend.run.RunService runService;

    @Inject
    ReplicaHome home;

    /** Final loss of a run: 1 for adamw, 2 for muon, 3 for normuon, plus seed/10, so the group means are known. */
    static double finalLoss(RunView run) {
        double base = switch (String.valueOf(run.params().get("optimizer"))) {
            case "adamw" -> 1;
            case "muon" -> 2;
            default -> 3;
        };
        return base + run.seed() / 10.0;
    }

    @Test
    void groupsRunsByParameterWithMeanCurvesAndTestsAgainstTheBaseline() {
        String token = tokens.create("w-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        List<RunView> all = runs.list(new RunFilter(experimentId, null, Map.of(), 100, 0)).stream()
                .filter(r -> Double.valueOf(1).equals(((Number) r.params().get("lr_scale")).doubleValue()))
                .toList();
        assertThat(all).hasSize(9);
        for (RunView run : all) {
            String json = "[{\"step\": 1, \"values\": {\"train/loss\": 5}}, {\"step\": 2, \"values\": {\"train/loss\": "
                    + finalLoss(run) + "}}]";
            given().header("Authorization", "Bearer " + token)
                    .contentType("application/json")
                    .body(json.getBytes(StandardCharsets.UTF_8))
                    .post("/api/runs/" + run.id() + "/metrics")
                    .then()
                    .statusCode(200);
            // finished runs: an unfinished run's value is not final, so the comparison leaves it out
            runService.transition(run.id(), dev.replica.backend.run.RunState.RUNNING, "test");
            runService.transition(run.id(), dev.replica.backend.run.RunState.SUCCEEDED, "test");
        }

        JsonPath summaries = given().get("/api/experiments/" + experimentId + "/summaries")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(summaries.getList("runId")).hasSize(9);
        assertThat(summaries.getList("last", Double.class)).contains(1.0, 2.1, 3.2);

        String ids = all.stream().map(r -> Long.toString(r.id())).collect(Collectors.joining(","));
        JsonPath groups = given().get("/api/runs/groups?ids=" + ids + "&metric=train/loss&by=optimizer&buckets=2"
                        + "&baseline=optimizer=adamw")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(groups.getString("baseline")).isEqualTo("optimizer=adamw");
        assertThat(groups.getList("groups.label"))
                .containsExactlyInAnyOrder("optimizer=adamw", "optimizer=muon", "optimizer=normuon");
        assertThat(groups.getList("table.label")).hasSize(3);
        int muon = groups.getList("table.label").indexOf("optimizer=muon");
        assertThat(groups.getDouble("table[" + muon + "].mean")).isCloseTo(2.1, within(1e-9));
        assertThat(groups.getInt("table[" + muon + "].n")).isEqualTo(3);
        assertThat(groups.getDouble("table[" + muon + "].welchPHolm")).isLessThan(0.01);
        int adamw = groups.getList("table.label").indexOf("optimizer=adamw");
        assertThat(groups.getBoolean("table[" + adamw + "].baseline")).isTrue();
        assertThat(groups.getString("table[" + adamw + "].welchP")).isEqualTo("NaN");
        // the last bucket's mean across the three adamw seeds: 1.0, 1.1, 1.2
        List<Float> mean = groups.getList(
                "groups[" + groups.getList("groups.label").indexOf("optimizer=adamw") + "].mean", Float.class);
        assertThat(mean.get(mean.size() - 1)).isCloseTo(1.1f, within(1e-5f));
        // muon's mean curve (5, 2.1) never gets down to adamw's final mean 1.1
        assertThat(groups.getBoolean("table[" + muon + "].efficiency.reached")).isFalse();
        assertThat(groups.getString("table[" + muon + "].efficiency.value")).isNull();
        assertThat(groups.getDouble("table[" + muon + "].efficiency.target")).isCloseTo(1.1, within(1e-9));
        assertThat(groups.getDouble("table[" + muon + "].efficiency.lastStep")).isEqualTo(2.0);
        assertThat(groups.getString("table[" + adamw + "].efficiency")).isNull();

        // Maximizing, muon's 5 at step 1 already beats adamw's final 1.1 (step 2): 1 - 1/2, in every resample.
        JsonPath max = given().get("/api/runs/groups?ids=" + ids + "&metric=train/loss&by=optimizer&buckets=2"
                        + "&baseline=optimizer=adamw&goal=max")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(max.getDouble("table[" + muon + "].efficiency.value")).isCloseTo(0.5, within(1e-12));
        assertThat(max.getDouble("table[" + muon + "].efficiency.ciLow")).isCloseTo(0.5, within(1e-12));
        assertThat(max.getDouble("table[" + muon + "].efficiency.ciHigh")).isCloseTo(0.5, within(1e-12));
        assertThat(max.getDouble("table[" + muon + "].efficiency.steps")).isEqualTo(1.0);
        // a zoom: curves from step 2 on only, no table
        JsonPath zoomed = given().get("/api/runs/groups?ids=" + ids + "&metric=train/loss&by=optimizer&buckets=2"
                        + "&from=2&table=false")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(zoomed.getList("table")).isEmpty();
        int adamwCurve = zoomed.getList("groups.label").indexOf("optimizer=adamw");
        assertThat(zoomed.getList("groups[" + adamwCurve + "].x", Float.class))
                .allSatisfy(v -> assertThat(v).isEqualTo(2f));
        assertThat(zoomed.getList("groups[" + adamwCurve + "].mean", Float.class)
                        .get(0))
                .isCloseTo(1.1f, within(1e-5f));
        given().get("/api/runs/groups?ids=" + ids + "&metric=train/loss&from=3&to=2")
                .then()
                .statusCode(400)
                .body(containsString("from must not be above to"));
        assertThat(max.getDouble("table[" + muon + "].efficiency.baselineSteps"))
                .isEqualTo(2.0);
        given().get("/api/runs/groups?ids=" + ids + "&metric=train/loss&goal=lower")
                .then()
                .statusCode(400)
                .body(containsString("goal must be min or max, got 'lower'"));
    }

    @Test
    void answersABadValueWith400NamingTheField() {
        given().get("/api/runs/groups?ids=1&metric=train/loss&buckets=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("buckets"))
                .body("detail", equalTo("buckets must be in [1, 10000], got 0"));
        given().queryParam("x", "m".repeat(300))
                .get("/api/runs/series?ids=1&metric=train/loss")
                .then()
                .statusCode(400)
                .body("field", equalTo("x"))
                .body("detail", containsString("x must be step, time_ms or a metric name"));
        given().get("/api/runs?filter=lr>>1")
                .then()
                .statusCode(400)
                .body("field", equalTo("filter"))
                .body("detail", containsString("filter 'lr>>1'"));
        given().get("/api/experiments/987654/summaries")
                .then()
                .statusCode(404)
                .body(containsString("no experiment with id 987654"));
    }

    @Test
    void rejectsGroupRequestsWithoutRunsOrWithABadScalar() {
        given().get("/api/runs/groups?metric=train/loss")
                .then()
                .statusCode(400)
                .body(containsString("ids is required"));
        given().get("/api/runs/groups?ids=1&metric=train/loss&value=median")
                .then()
                .statusCode(400)
                .body(containsString(
                        "value must be final, best, min, max, change or mean_last_K (K ≥ 1), got 'median'"));
    }

    @Test
    void listsAndStreamsARunsArtifactsWithoutLeavingItsFolder() throws Exception {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        long runId = runs.list(new RunFilter(experimentId, null, Map.of(), 1, 0))
                .get(0)
                .id();
        Path dir = home.runFolder(runId);
        Files.createDirectories(dir.resolve("plots"));
        Files.writeString(dir.resolve("stdout.log"), "step 1 loss 2.5\n");
        Files.write(dir.resolve("plots/loss curve.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(dir.resolve("report.html"), "<script>alert(1)</script>");
        Path outside = Files.createTempFile(home.root(), "secret", ".txt");
        Files.writeString(outside, "not yours");
        Files.createSymbolicLink(dir.resolve("escape.txt"), outside);
        Files.createSymbolicLink(dir.resolve("inside.log"), dir.resolve("stdout.log"));

        JsonPath list = given().get("/api/runs/" + runId + "/artifacts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getList("name"))
                .containsExactly("inside.log", "plots/loss curve.png", "report.html", "stdout.log");
        assertThat(list.getLong("find { it.name == 'stdout.log' }.size")).isEqualTo(16);
        assertThat(list.getString("find { it.name == 'stdout.log' }.contentType"))
                .isEqualTo("text/plain; charset=UTF-8");

        given().get("/api/runs/" + runId + "/artifacts/stdout.log")
                .then()
                .statusCode(200)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("Content-Length", "16")
                .header("Content-Disposition", "attachment; filename=\"stdout.log\"")
                .header("X-Content-Type-Options", "nosniff")
                .body(org.hamcrest.Matchers.equalTo("step 1 loss 2.5\n"));
        byte[] png = given().get("/api/runs/" + runId + "/artifacts/plots/loss curve.png")
                .then()
                .statusCode(200)
                .header("Content-Type", "image/png")
                .extract()
                .asByteArray();
        assertThat(png).containsExactly(0x89, 'P', 'N', 'G');
        // HTML is never served as something a browser would run in the workbench's origin
        given().get("/api/runs/" + runId + "/artifacts/report.html")
                .then()
                .statusCode(200)
                .header("Content-Type", "application/octet-stream");

        given().urlEncodingEnabled(false)
                .get("/api/runs/" + runId + "/artifacts/..%2F..%2F" + outside.getFileName())
                .then()
                .statusCode(400)
                .body(containsString("must not contain empty, '.' or '..' segments"));
        given().urlEncodingEnabled(false)
                .get("/api/runs/" + runId + "/artifacts/plots%2F..%2F..%2Fx")
                .then()
                .statusCode(400)
                .body(containsString("'..'"));
        given().urlEncodingEnabled(false)
                .get("/api/runs/" + runId + "/artifacts/%2Fetc%2Fpasswd")
                .then()
                .statusCode(400)
                .body(containsString("must be a relative path inside the run's folder"));
        given().get("/api/runs/" + runId + "/artifacts/escape.txt")
                .then()
                .statusCode(404)
                .body(containsString("run " + runId + " has no artifact 'escape.txt'"));
        given().get("/api/runs/" + runId + "/artifacts/missing.log").then().statusCode(404);
        given().get("/api/runs/987654/artifacts").then().statusCode(404).body(containsString("no run with id 987654"));
    }

    /**
     * The frontend's API types are generated from a committed copy of this document, so a change to an API
     * record must show up there: this fails with the differences until the snapshot is refreshed.
     */
    @Test
    void openApiDocumentMatchesTheFrontendsSnapshot() throws IOException {
        String live = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        if (Boolean.getBoolean("replica.openapi.update") || "1".equals(System.getenv("REPLICA_OPENAPI_UPDATE"))) {
            Files.writeString(OPENAPI_SNAPSHOT, live.endsWith("\n") ? live : live + "\n");
        }
        assertThat(OPENAPI_SNAPSHOT).as("the OpenAPI snapshot; " + REFRESH).exists();
        List<String> differences = JsonDifferences.of(JSON.readTree(OPENAPI_SNAPSHOT.toFile()), JSON.readTree(live));
        assertThat(differences)
                .as(
                        "/q/openapi differs from %s (- snapshot, + live):%n%s%n%s",
                        OPENAPI_SNAPSHOT, String.join("\n", differences), REFRESH)
                .isEmpty();
    }

    @Test
    void saysWhenARunHasNoLogs() {
        given().get("/api/runs/987654/logs").then().statusCode(404).body(containsString("no logs for run 987654"));
    }
}
