package dev.replica.backend.experiment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.executor.Outcome;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunView;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELETE /api/experiments/{id}: the experiment and everything of its runs go, its neighbours stay; per database. */
public abstract class ExperimentDeletionApiContract {

    @Inject
    TokenService tokens;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    RunService runService;

    @Inject
    ReplicaHome home;

    @Inject
    ObjectMapper json;

    String token;

    private static final String SPEC = """
            apiVersion: replica/v1
            name: %s
            kind: optimizer-sweep
            tags: [whole-experiment]
            seeds: [0, 1, 2]
            """;

    @BeforeEach
    void setUp() {
        token = tokens.create("x-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
    }

    /** A three-run experiment whose runs are QUEUED. */
    private long store(String name) {
        return experiments.create(SPEC.formatted(name), "spec.yaml").experimentId();
    }

    private List<Long> runsOf(long experimentId) {
        return runs.list(new RunFilter(experimentId, null, Map.of(), 100, 0)).stream()
                .map(RunView::id)
                .sorted()
                .toList();
    }

    /** Claims and finishes a run as a scheduler would, leaving metrics and a folder behind. */
    private void finish(long runId) throws IOException {
        runService.claim(runId, "test", "in-process").orElseThrow();
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("[{\"step\": 1, \"values\": {\"train/loss\": 1.0}}]".getBytes(StandardCharsets.UTF_8))
                .post("/api/runs/" + runId + "/metrics")
                .then()
                .statusCode(200);
        Files.createDirectories(home.runFolder(runId));
        Files.writeString(home.runFolder(runId).resolve("manifest.json"), "{}");
        runService.finish(runId, Outcome.succeeded("done"));
    }

    @Test
    void deletesTheExperimentWithItsRunsFilesAndLabelsAndRecordsIt() throws IOException {
        String name = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        long doomed = store(name);
        long neighbour = store("stays-" + UUID.randomUUID().toString().substring(0, 8));
        List<Long> doomedRuns = runsOf(doomed);
        for (long id : doomedRuns) {
            finish(id);
        }
        finish(runsOf(neighbour).get(0));
        given().get("/api/runs/" + doomedRuns.get(0)).then().body("run.tags", contains("whole-experiment"));

        given().header("Authorization", "Bearer " + token)
                .delete("/api/experiments/" + doomed)
                .then()
                .statusCode(200)
                .body("experimentId", equalTo((int) doomed))
                .body("runIds.size()", equalTo(3))
                .body("filesRemoved", equalTo(6))
                .body(
                        "message",
                        equalTo("experiment " + doomed + " (" + name + ") deleted through the API with its 3 runs"));

        given().get("/api/experiments/" + doomed).then().statusCode(404);
        for (long id : doomedRuns) {
            given().get("/api/runs/" + id).then().statusCode(404);
            assertThat(home.metrics().resolve(id + ".arrows")).doesNotExist();
            assertThat(home.runFolder(id)).doesNotExist();
        }
        // the neighbour keeps its runs, tags and metrics
        assertThat(runsOf(neighbour)).hasSize(3);
        long kept = runsOf(neighbour).get(0);
        assertThat(home.metrics().resolve(kept + ".arrows")).exists();
        given().get("/api/runs/" + kept).then().statusCode(200).body("run.tags", contains("whole-experiment"));
        // the record outlives the experiment's rows
        List<String> lines = Files.readAllLines(home.root().resolve(ExperimentDeletionService.LOG_FILE));
        Map<?, ?> last = json.readValue(lines.get(lines.size() - 1), Map.class);
        assertThat(last.get("experiment")).isEqualTo((int) doomed);
        assertThat(last.get("name")).isEqualTo(name);
        assertThat(last.get("by")).isEqualTo("through the API");
        assertThat(((List<?>) last.get("runs"))).hasSize(3);

        given().header("Authorization", "Bearer " + token)
                .delete("/api/experiments/" + doomed)
                .then()
                .statusCode(404)
                .body("detail", equalTo("no experiment with id " + doomed));
    }

    @Test
    void refusesWhileARunIsQueuedOrRunningAndWithoutAWriteToken() throws IOException {
        long id = store("busy-" + UUID.randomUUID().toString().substring(0, 8));
        List<Long> ids = runsOf(id);
        finish(ids.get(0));
        runService.claim(ids.get(1), "another-process", "in-process").orElseThrow();

        given().header("Authorization", "Bearer " + token)
                .delete("/api/experiments/" + id)
                .then()
                .statusCode(409)
                .body("title", equalTo("Experiment still active"))
                .body(
                        "detail",
                        equalTo("experiment " + id + " still has 2 queued or running runs: " + ids.get(1) + ", "
                                + ids.get(2) + "; cancel them first (`replica cancel --experiment " + id
                                + "`), then delete it once they have stopped"));
        given().get("/api/experiments/" + id).then().statusCode(200).body("runCount", equalTo(3));
        assertThat(home.metrics().resolve(ids.get(0) + ".arrows")).exists();

        given().delete("/api/experiments/" + id).then().statusCode(401);
        given().get("/api/experiments/" + id).then().statusCode(200);
    }
}
