package dev.replica.backend.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.experiment.ExperimentService;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DELETE /api/runs/{id}: everything of the run goes, nothing else, and a running run is refused; per database. */
public abstract class RunDeletionApiContract {

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

    String token;
    long experimentId;
    List<Long> runIds;

    @BeforeEach
    void setUp() {
        token = tokens.create("d-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        runIds = runs.list(new RunFilter(experimentId, null, Map.of(), 100, 0)).stream()
                .map(RunView::id)
                .sorted()
                .toList();
    }

    private void logMetrics(long runId) {
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body("[{\"step\": 1, \"values\": {\"train/loss\": 1.0}}]".getBytes(StandardCharsets.UTF_8))
                .post("/api/runs/" + runId + "/metrics")
                .then()
                .statusCode(200);
    }

    /** Whatever the run has on disk: metric streams of every attempt and its folder. */
    private List<Path> onDisk(long runId) throws IOException {
        try (Stream<Path> files = Files.list(home.metrics())) {
            List<Path> found = new java.util.ArrayList<>(
                    files.filter(f -> f.getFileName().toString().startsWith(runId + "."))
                            .toList());
            if (Files.exists(home.runFolder(runId))) {
                found.add(home.runFolder(runId));
            }
            return found;
        }
    }

    @Test
    void deletesTheRunsRowsMetricsAndFolderRecordsItAndLeavesItsSiblingsAlone() throws IOException {
        long doomed = runIds.get(0);
        long sibling = runIds.get(1);
        logMetrics(doomed);
        logMetrics(sibling);
        Files.copy(home.metrics().resolve(doomed + ".arrows"), home.metrics().resolve(doomed + ".attempt-1.arrows"));
        Path folder = Files.createDirectories(home.runFolder(doomed).resolve("checkpoints"));
        Files.writeString(home.runFolder(doomed).resolve("manifest.json"), "{}");
        Files.writeString(folder.resolve("last.bin"), "weights");
        given().header("Authorization", "Bearer " + token)
                .contentType("application/json")
                .body(Map.of("addTags", List.of("doomed"), "note", "goes"))
                .patch("/api/runs/" + doomed)
                .then()
                .statusCode(200);
        assertThat(onDisk(doomed)).hasSize(3);

        given().header("Authorization", "Bearer " + token)
                .delete("/api/runs/" + doomed)
                .then()
                .statusCode(200)
                .body("experimentId", equalTo((int) experimentId))
                .body("filesRemoved", equalTo(3))
                .body("message", equalTo("run " + doomed + " (#0, seed 0, QUEUED) deleted through the API"));

        assertThat(onDisk(doomed)).isEmpty();
        given().get("/api/runs/" + doomed).then().statusCode(404);
        assertThat(given().queryParam("filter", "tag:doomed")
                        .queryParam("archived", "all")
                        .get("/api/runs")
                        .jsonPath()
                        .getList("id"))
                .isEmpty();
        given().get("/api/experiments/" + experimentId)
                .then()
                .body("runCount", equalTo(26))
                .body("runsByState.QUEUED", equalTo(26));
        given().get("/api/experiments/" + experimentId + "/events")
                .then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].kind", equalTo("run-deleted"))
                .body("[0].runId", equalTo((int) doomed))
                .body("[0].message", equalTo("run " + doomed + " (#0, seed 0, QUEUED) deleted through the API"));
        // the sibling keeps its metrics
        assertThat(onDisk(sibling)).containsExactly(home.metrics().resolve(sibling + ".arrows"));
        given().get("/api/runs/" + sibling + "/metrics").then().statusCode(200).body("[0]", equalTo("train/loss"));

        given().header("Authorization", "Bearer " + token)
                .delete("/api/runs/" + doomed)
                .then()
                .statusCode(404)
                .body("detail", equalTo("no run with id " + doomed));
    }

    @Test
    void refusesToDeleteARunningRunOrWithoutAWriteToken() throws IOException {
        long running = runIds.get(2);
        logMetrics(running);
        runService.claim(running, "another-process", "in-process").orElseThrow();
        given().header("Authorization", "Bearer " + token)
                .delete("/api/runs/" + running)
                .then()
                .statusCode(409)
                .body(
                        "detail",
                        equalTo("run " + running + " is RUNNING; cancel it first (`replica cancel " + running
                                + "`), then delete it once it has stopped"));
        given().get("/api/runs/" + running).then().statusCode(200).body("run.state", equalTo("RUNNING"));
        assertThat(onDisk(running)).containsExactly(home.metrics().resolve(running + ".arrows"));
        given().get("/api/experiments/" + experimentId + "/events").then().body("size()", equalTo(0));

        given().delete("/api/runs/" + runIds.get(3)).then().statusCode(401);
        given().get("/api/runs/" + runIds.get(3)).then().statusCode(200);
    }
}
