package dev.replica.backend.experiment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** REST behaviour of experiments and runs; runs once per database (see the H2 and PostgreSQL subclasses). */
public abstract class ExperimentApiContract {

    @Inject
    TokenService tokens;

    String writeToken;

    @BeforeEach
    void createToken() {
        writeToken = tokens.create("t-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
    }

    private Response post(String body, String contentType) {
        return given().header("Authorization", "Bearer " + writeToken)
                .contentType(contentType)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .queryParam("file", "sweep.yaml")
                .post("/api/experiments");
    }

    /** Posts a spec to validate and to create; both must answer the same. */
    private void assertValidateAndCreateRefuse(String spec, String field, int line, String message) {
        int before = given().get("/api/experiments?limit=1000")
                .jsonPath()
                .getList("id")
                .size();
        for (String path : List.of("/api/experiments/validate", "/api/experiments")) {
            given().header("Authorization", "Bearer " + writeToken)
                    .contentType("application/yaml")
                    .body(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .queryParam("file", "big.yaml")
                    .post(path)
                    .then()
                    .statusCode(400)
                    .body("errors", hasSize(1))
                    .body("errors[0].file", equalTo("big.yaml"))
                    .body("errors[0].field", equalTo(field))
                    .body("errors[0].line", equalTo(line))
                    .body("errors[0].message", equalTo(message));
        }
        assertThat(given().get("/api/experiments?limit=1000").jsonPath().getList("id"))
                .hasSize(before);
    }

    @Test
    void refusesAParameterTooLongToStoreOnValidateAndCreateAlike() {
        String spec = "apiVersion: replica/v1\nname: big\nkind: command\ncommand: [\"true\"]\nparams:\n  note: "
                + "x".repeat(70_000) + "\n";
        assertValidateAndCreateRefuse(spec, "params.note", 6, "is 70000 characters; the limit is 4000");
        // a run's parameters are stored as "note=<value>" too, in 4,000 characters: 4,000 - 5 is the largest value
        String prefix = "apiVersion: replica/v1\nname: fits\nkind: command\ncommand: [\"true\"]\nparams:\n  note: ";
        assertValidateAndCreateRefuse(
                prefix + "x".repeat(4000) + "\n",
                "params",
                1,
                "run 0's parameters take 4005 characters as name=value text; the limit is 4000");
        post(prefix + "x".repeat(3995) + "\n", "application/yaml")
                .then()
                .statusCode(201)
                .body("runCount", equalTo(1));
    }

    @Test
    void refusesASpecWhoseAliasesExpandPastTheLimitOnValidateAndCreateAlike() {
        // about 1 MB of text: 250 values of 4,000 characters, then 49 aliases of that list: 50 MB once expanded
        StringBuilder spec = new StringBuilder(
                "apiVersion: replica/v1\nname: bomb\nkind: command\ncommand: [\"true\"]\nsweep:\n  grid:\n    a: &l [");
        for (int i = 0; i < 250; i++) {
            spec.append(i == 0 ? "" : ", ")
                    .append(String.valueOf((char) ('a' + i % 26)).repeat(4000));
        }
        spec.append("]\n");
        for (int i = 0; i < 49; i++) {
            spec.append("    b").append(i).append(": *l\n");
        }
        assertThat(spec.length()).isBetween(1_000_000, 1 << 20);
        assertValidateAndCreateRefuse(
                spec.toString(),
                "",
                1,
                "spec expands to more than 1048576 characters once its anchors and aliases are resolved; the limit"
                        + " is 1048576");
    }

    @Test
    void storesAYamlSpecAndExpandsGridTimesSeeds() {
        Response created = post(TestSpecs.SWEEP, "application/yaml");
        created.then()
                .statusCode(201)
                .header("Location", startsWith("http"))
                .body("name", equalTo("normuon-vs-muon"))
                .body("runCount", equalTo(27))
                .body("runsByState.QUEUED", equalTo(27))
                .body("specText", equalTo(TestSpecs.SWEEP));
        long id = created.jsonPath().getLong("id");

        given().get("/api/experiments/" + id)
                .then()
                .statusCode(200)
                .body("kind", equalTo("optimizer-sweep"))
                .body("primaryMetric", equalTo("train/loss"));
        given().queryParam("experiment", id)
                .get("/api/runs")
                .then()
                .statusCode(200)
                .body("$", hasSize(27));
        List<Map<String, Object>> muon = given().queryParam("experiment", id)
                .queryParam("param.optimizer", "muon")
                .queryParam("param.lr_scale", "1")
                .get("/api/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        assertThat(muon).hasSize(3).allSatisfy(r -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) r.get("params");
            assertThat(params)
                    .containsEntry("optimizer", "muon")
                    .containsEntry("lr_scale", 1.0f)
                    .containsEntry("steps", 500);
        });
        assertThat(muon).extracting(r -> r.get("seed")).containsExactlyInAnyOrder(0, 1, 2);
        given().get("/api/experiments")
                .then()
                .statusCode(200)
                .body("find { it.id == " + id + " }.runCount", equalTo(27));
    }

    @Test
    void acceptsJsonSpecs() {
        String json = """
                {"apiVersion": "replica/v1", "name": "json-spec", "kind": "command",
                 "command": ["python3", "train.py", "--lr={lr}"], "sweep": {"zip": {"lr": [0.1, 0.2]}}, "replicates": 2}
                """;
        post(json, "application/json")
                .then()
                .statusCode(201)
                .body("runCount", equalTo(4))
                .body("kind", equalTo("command"));
    }

    @Test
    void rejectsABrokenSpecWithEveryErrorAndStoresNothing() {
        int before = given().get("/api/experiments?limit=1000")
                .then()
                .extract()
                .jsonPath()
                .getList("$")
                .size();
        post(TestSpecs.BROKEN, "application/yaml")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid experiment spec"))
                .body("errors", hasSize(2))
                .body("errors[0].file", equalTo("sweep.yaml"))
                .body("errors[0].line", equalTo(4))
                .body("errors[0].column", equalTo(10))
                .body("errors[0].field", equalTo("params.stepz"))
                .body("errors[1].line", equalTo(6))
                .body("errors[1].field", equalTo("sweep.grid.optimizer[1]"))
                .body("errors[1].message", equalTo("must be one of sgd, adamw, muon, normuon, got \"lion\""));
        int after = given().get("/api/experiments?limit=1000")
                .then()
                .extract()
                .jsonPath()
                .getList("$")
                .size();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void validatesWithoutStoring() {
        given().header("Authorization", "Bearer " + writeToken)
                .contentType("application/yaml")
                .body(TestSpecs.SWEEP.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/experiments/validate")
                .then()
                .statusCode(200)
                .body("valid", equalTo(true))
                .body("runs", equalTo(27))
                .body("configurations", equalTo(9));
    }

    @Test
    void writesNeedAWriteToken() {
        given().contentType("application/yaml")
                .body(TestSpecs.SWEEP.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(401)
                .body("detail", startsWith("this server requires an API token"));
        given().header("Authorization", "Bearer rpl_not-a-token")
                .contentType("application/yaml")
                .body(TestSpecs.SWEEP.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(401)
                .body("detail", equalTo("unknown or revoked API token"));
        String readOnly = tokens.create("r-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.READ)
                .token();
        given().header("Authorization", "Bearer " + readOnly)
                .contentType("application/yaml")
                .body(TestSpecs.SWEEP.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(403)
                .body("detail", equalTo("this token is read-only"));
        // reads stay open unless replica.auth.protect-reads is set
        given().get("/api/experiments").then().statusCode(200);
    }

    @Test
    void answersUnknownIdsAndBadFiltersWithProblems() {
        given().get("/api/runs/987654321")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no run with id 987654321"));
        given().get("/api/experiments/987654321")
                .then()
                .statusCode(404)
                .body("detail", equalTo("no experiment with id 987654321"));
        given().get("/api/runs?state=DONE")
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        startsWith(
                                "state must be one of [QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, INTERRUPTED, PRUNED], got DONE"));
        given().get("/api/runs?limit=0")
                .then()
                .statusCode(400)
                .body("detail", equalTo("limit must be in [1, 10000], got 0"));
    }

    @Test
    void runDetailHasHistoryFromCreation() {
        long id = post(TestSpecs.SWEEP, "application/yaml").jsonPath().getLong("id");
        long runId =
                given().queryParam("experiment", id).get("/api/runs").jsonPath().getLong("[0].id");
        given().get("/api/runs/" + runId)
                .then()
                .statusCode(200)
                .body("run.state", equalTo("QUEUED"))
                .body("run.experimentName", equalTo("normuon-vs-muon"))
                .body("events", hasSize(1))
                .body("events[0].to", equalTo("QUEUED"))
                .body("metrics", hasSize(0));
    }

    @Test
    void servesOpenApiAndHealth() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/experiments"));
    }

    @Test
    void rejectsOversizedBodies() throws Exception {
        // Expect: 100-continue lets the server refuse by Content-Length before the body is sent
        byte[] huge =
                ("description: " + "x".repeat(17 * 1024 * 1024)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + "/api/experiments"))
                .expectContinue(true)
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + writeToken)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(huge))
                .build();
        var response = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }
}
