package dev.replica.backend.run;

import static dev.replica.backend.db.Tables.RUN_EVENT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.TestSpecs;
import dev.replica.backend.experiment.ExperimentService;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/** A run's history is in the order things happened, whichever process allocated the event ids; per database. */
public abstract class RunHistoryOrderContract {

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    DSLContext dsl;

    @Test
    void historyFollowsTimeEvenWhenAnotherProcessHandedOutSmallerIds() {
        long experimentId = experiments.create(TestSpecs.SWEEP, "sweep.yaml").experimentId();
        long runId = runs.list(new RunFilter(experimentId, null, Map.of(), 1, 0))
                .get(0)
                .id();
        OffsetDateTime created = dsl.select(RUN_EVENT.AT)
                .from(RUN_EVENT)
                .where(RUN_EVENT.RUN_ID.eq(runId))
                .fetchOne(RUN_EVENT.AT);
        // A CLI process holding a block of high ids started the run; a server with a block of lower ids ended it.
        dsl.insertInto(
                        RUN_EVENT,
                        RUN_EVENT.ID,
                        RUN_EVENT.RUN_ID,
                        RUN_EVENT.FROM_STATE,
                        RUN_EVENT.TO_STATE,
                        RUN_EVENT.MESSAGE,
                        RUN_EVENT.AT)
                .values(9_000_000L, runId, "QUEUED", "RUNNING", "started by the CLI", created.plusSeconds(1))
                .values(-9_000_000L, runId, "RUNNING", "CANCELLED", "cancelled by the server", created.plusSeconds(2))
                .execute();
        List<String> shown = given().get("/api/runs/" + runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("events.to", String.class);
        assertThat(shown).containsExactly("QUEUED", "RUNNING", "CANCELLED");
    }
}
