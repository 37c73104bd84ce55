package dev.replica.backend.label;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.auth.ApiToken;
import dev.replica.backend.auth.TokenService;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Names, notes, tags and archive of runs and experiments over REST; once per database. */
public abstract class LabelApiContract {

    @Inject
    TokenService tokens;

    String writeToken;

    long experimentId;

    List<Long> runIds;

    @BeforeEach
    void storeAnExperiment() {
        writeToken = tokens.create("l-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.WRITE)
                .token();
        String name = "labels-" + UUID.randomUUID().toString().substring(0, 8);
        experimentId = writer().contentType("application/yaml")
                .body(TestSpecs.SWEEP.replace("normuon-vs-muon", name).getBytes(StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        runIds = given().queryParam("experiment", experimentId)
                .queryParam("sort", "index")
                .get("/api/runs")
                .jsonPath()
                .getList("id", Long.class);
        assertThat(runIds).hasSize(27);
    }

    private RequestSpecification writer() {
        return given().header("Authorization", "Bearer " + writeToken);
    }

    private io.restassured.response.Response patchRun(long id, Map<String, Object> body) {
        return writer().contentType("application/json").body(body).patch("/api/runs/" + id);
    }

    private List<Long> runsMatching(String... filters) {
        var request = given().queryParam("experiment", experimentId).queryParam("sort", "index");
        for (String f : filters) {
            request = request.queryParam("filter", f);
        }
        return request.get("/api/runs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", Long.class);
    }

    @Test
    void patchesANameNoteAndTagsThatTheRunShowsAndFiltersOn() {
        long run = runIds.get(3);
        patchRun(
                        run,
                        Map.of(
                                "displayName",
                                "  muon, best lr  ",
                                "note",
                                "**diverged** after warm-up",
                                "tags",
                                List.of("lr-study", "baseline")))
                .then()
                .statusCode(200)
                .body("displayName", equalTo("muon, best lr"))
                .body("note", equalTo("**diverged** after warm-up"))
                .body("tags", contains("baseline", "lr-study"))
                .body("archived", equalTo(false));
        given().get("/api/runs/" + run)
                .then()
                .statusCode(200)
                .body("run.displayName", equalTo("muon, best lr"))
                .body("run.tags", contains("baseline", "lr-study"));
        patchRun(runIds.get(5), Map.of("addTags", List.of("baseline"))).then().statusCode(200);

        assertThat(runsMatching("tag:baseline")).containsExactly(run, runIds.get(5));
        assertThat(runsMatching("tag:baseline", "tag:lr-study")).containsExactly(run);
        assertThat(runsMatching("!tag:baseline")).hasSize(25).doesNotContain(run, runIds.get(5));

        // removing a tag and clearing the name leave the rest as it was
        patchRun(run, Map.of("removeTags", List.of("baseline"), "displayName", ""))
                .then()
                .statusCode(200)
                .body("displayName", nullValue())
                .body("note", equalTo("**diverged** after warm-up"))
                .body("tags", contains("lr-study"));
        assertThat(runsMatching("tag:baseline")).containsExactly(runIds.get(5));
    }

    @Test
    void refusesABadTagOrAnEmptyPatchAndStoresNothing() {
        long run = runIds.get(0);
        patchRun(run, Map.of("displayName", "kept", "tags", List.of("ok", "two words")))
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        equalTo("tags[1]: a tag is 1–64 letters, digits, '.', '_', '-', '/' or '+', starting with a"
                                + " letter or digit, got \"two words\""));
        patchRun(run, Map.of())
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        equalTo("nothing to change: give displayName, note, tags, addTags, removeTags or archived"));
        patchRun(run, Map.of("displayName", "x".repeat(201)))
                .then()
                .statusCode(400)
                .body("detail", equalTo("displayName: is 201 characters; the limit is 200"));
        given().get("/api/runs/" + run).then().body("run.displayName", nullValue());
        given().queryParam("filter", "tag:a=b")
                .get("/api/runs")
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        equalTo("filter 'tag:a=b': a tag filter is tag:NAME, or !tag:NAME for runs without the tag;"
                                + " no operator"));
        patchRun(987654321L, Map.of("note", "x"))
                .then()
                .statusCode(404)
                .body("detail", equalTo("no run with id 987654321"));
    }

    @Test
    void labelEditsNeedAWriteToken() {
        given().contentType("application/json")
                .body(Map.of("note", "x"))
                .patch("/api/runs/" + runIds.get(0))
                .then()
                .statusCode(401);
        String read = tokens.create("r-" + UUID.randomUUID().toString().substring(0, 8), ApiToken.Scope.READ)
                .token();
        given().header("Authorization", "Bearer " + read)
                .contentType("application/json")
                .body(Map.of("note", "x"))
                .patch("/api/experiments/" + experimentId)
                .then()
                .statusCode(403);
        given().get("/api/runs/" + runIds.get(0)).then().body("run.note", nullValue());
    }

    @Test
    void archivedRunsAndExperimentsLeaveDefaultListsUntilUnarchived() {
        long run = runIds.get(7);
        patchRun(run, Map.of("archived", true)).then().statusCode(200).body("archived", equalTo(true));
        assertThat(runsMatching()).hasSize(26).doesNotContain(run);
        given().queryParam("experiment", experimentId).get("/api/runs").then().header("X-Total-Count", "26");
        assertThat(given().queryParam("experiment", experimentId)
                        .queryParam("archived", "true")
                        .get("/api/runs")
                        .jsonPath()
                        .getList("id", Long.class))
                .containsExactly(run);
        assertThat(given().queryParam("experiment", experimentId)
                        .queryParam("archived", "all")
                        .get("/api/runs")
                        .jsonPath()
                        .getList("id", Long.class))
                .hasSize(27);
        given().queryParam("archived", "maybe")
                .get("/api/runs")
                .then()
                .statusCode(400)
                .body(
                        "detail",
                        equalTo("archived must be false (hide archived, the default), true (only archived) or all,"
                                + " got maybe"));
        patchRun(run, Map.of("archived", false)).then().statusCode(200);
        assertThat(runsMatching()).hasSize(27);

        writer().contentType("application/json")
                .body(Map.of("archived", true, "displayName", "old study", "tags", List.of("paper")))
                .patch("/api/experiments/" + experimentId)
                .then()
                .statusCode(200)
                .body("displayName", equalTo("old study"));
        assertThat(given().queryParam("limit", 1000)
                        .get("/api/experiments")
                        .jsonPath()
                        .getList("id", Long.class))
                .doesNotContain(experimentId);
        given().queryParam("archived", "true")
                .queryParam("limit", 1000)
                .get("/api/experiments")
                .then()
                .body("find { it.id == " + experimentId + " }.displayName", equalTo("old study"))
                .body("find { it.id == " + experimentId + " }.tags", contains("paper"));
        given().get("/api/experiments/" + experimentId)
                .then()
                .body("archived", equalTo(true))
                .body("displayName", equalTo("old study"));
    }
}
