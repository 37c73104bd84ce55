package dev.replica.backend.search;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.profiles.H2Profile;
import dev.replica.backend.run.RunState;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.experiments.search.Tpe;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.sweep.SweepPlanner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TPE end to end: runs created as the search goes, the proposal log, its replay and the search state over REST. */
@QuarkusTest
@TestProfile(H2Profile.class)
class SearchH2Test {

    @Inject
    Scheduler scheduler;

    @Inject
    ExperimentService experiments;

    @Inject
    SearchLog log;

    @Inject
    SearchStateService states;

    @Inject
    TpeDriver driver;

    @Inject
    org.jooq.DSLContext dsl;

    @TempDir
    Path dir;

    /** A bowl in log10(lr) with its bottom at 10^-2.5, logged over 5 steps; each seed adds a small offset. */
    private static final String BOWL_PY = """
            import json, math, sys
            lr = float(sys.argv[1]); seed = int(sys.argv[2])
            for step in range(1, 6):
                loss = (math.log10(lr) + 2.5) ** 2 + 1.0 / step + 0.01 * seed
                print(json.dumps({"step": step, "val/loss": loss}))
            """;

    private static final String TPE = """
            apiVersion: replica/v1
            name: tpe-bowl
            kind: command
            command: [python3, bowl.py, "{lr}", "{seed}"]
            sweep:
              method: tpe
              n_startup: 3
              parallel: 1
              random: {count: 7, seed: 5, params: {lr: {log-uniform: [1e-5, 1]}}}
            seeds: [0, 1]
            concurrency: 2
            metric: {primary: val/loss, goal: min}
            """;

    private long store(String yaml) throws Exception {
        Files.writeString(dir.resolve("bowl.py"), BOWL_PY);
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        return experiments.create(yaml, spec.toString(), dir).experimentId();
    }

    @Test
    void tpeCreatesItsRunsAsItGoesAndTheSameSeedsGiveTheSameSearch() throws Exception {
        long first = store(TPE);
        // only the first proposal (parallel: 1) is planned up front, with both its seeds
        assertThat(log.proposals(first)).hasSize(1);
        Scheduler.Summary summary = scheduler.runExperiment(first, p -> {});
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 14L));
        List<SearchLog.StoredProposal> proposals = log.proposals(first);
        assertThat(proposals)
                .extracting(SearchLog.StoredProposal::origin)
                .containsExactly("startup", "startup", "startup", "model", "model", "model", "model");
        // one in flight at a time: each proposal saw every earlier one finished
        assertThat(proposals).extracting(SearchLog.StoredProposal::observed).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(proposals.get(6).results()).hasSize(6);
        assertThat(proposals.get(6).results().get(0).value()).isNotNull();

        long second = store(TPE);
        scheduler.runExperiment(second, p -> {});
        assertThat(log.proposals(second))
                .extracting(SearchLog.StoredProposal::params)
                .isEqualTo(
                        proposals.stream().map(SearchLog.StoredProposal::params).toList());
    }

    @Test
    void theProposalLogReplaysAndTheStateReadsTheSameAfterARestart() throws Exception {
        long id = store(TPE.replace("parallel: 1", "parallel: 2").replace("count: 7", "count: 5"));
        scheduler.runExperiment(id, p -> {});
        ExperimentSpec spec = experiments.specOf(id);
        List<SearchLog.StoredProposal> proposals = log.proposals(id);
        assertThat(proposals).hasSize(5);
        // each proposal is what a fresh sampler proposes from what the log says it saw
        Tpe tpe = SweepPlanner.tpe(spec);
        List<Map<String, Object>> earlier = new ArrayList<>();
        Map<Integer, Map<String, Object>> byIndex = new HashMap<>();
        for (SearchLog.StoredProposal p : proposals) {
            Tpe.Proposal replay = tpe.propose(p.index(), SearchLog.results(p.results(), byIndex), earlier);
            assertThat(replay.params()).as("proposal %d", p.index()).isEqualTo(p.params());
            assertThat(replay.pending()).isEqualTo(p.pending());
            earlier.add(p.params());
            byIndex.put(p.index(), p.params());
        }
        // a new process (fresh beans, nothing in memory) reads the same state and proposes nothing more
        SearchStateService fresh = new SearchStateService();
        fresh.experiments = experiments;
        fresh.log = log;
        fresh.dsl = dsl;
        SearchState state = fresh.of(id).orElseThrow();
        assertThat(state).isEqualTo(states.of(id).orElseThrow());
        assertThat(state.method()).isEqualTo("tpe");
        assertThat(state.parallel()).isEqualTo(2);
        assertThat(state.budget().configurations()).isEqualTo(5);
        assertThat(state.budget().started()).isEqualTo(5);
        assertThat(state.budget().runs()).isEqualTo(10);
        assertThat(state.budget().finished()).isEqualTo(10);
        assertThat(state.budget().resourceSpent()).isEqualTo(50);
        assertThat(state.proposals()).extracting(SearchState.Proposal::status).containsOnly("finished");
        TpeDriver restarted = new TpeDriver();
        restarted.experiments = experiments;
        restarted.log = log;
        restarted.dsl = dsl;
        assertThat(restarted.refill(id)).isZero();
        assertThat(driver.refill(null)).isZero();

        given().when()
                .get("/api/experiments/{id}/search", id)
                .then()
                .statusCode(200)
                .body("method", equalTo("tpe"))
                .body("budget.runs", equalTo(10))
                .body("proposals.size()", equalTo(5))
                .body("proposals[0].origin", equalTo("startup"));
    }

    @Test
    void theSearchStateOfANonSearchIsAClearError() throws Exception {
        long id = store("""
                apiVersion: replica/v1
                name: plain
                kind: command
                command: [python3, bowl.py, "0.01", "{seed}"]
                """);
        given().when()
                .get("/api/experiments/{id}/search", id)
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("has no sweep.method"));
        given().when().get("/api/experiments/{id}/search", 999_999).then().statusCode(404);
    }

    /** Starts a long child process, records its pid, then logs a loss that falls at rate lr. */
    private static final String TREE_PY = """
            import json, os, subprocess, sys, time
            lr = float(sys.argv[1])
            child = subprocess.Popen(["sleep", "120"])
            open(os.path.join(sys.argv[2], "child-" + sys.argv[1]), "w").write(str(child.pid))
            loss = 1.0
            for step in range(1, 121):
                loss *= 1 - lr
                print(json.dumps({"step": step, "train/loss": loss}), flush=True)
                time.sleep(0.02)
            child.kill()
            """;

    @Test
    void pruningACommandRunEndsItsWholeProcessTree() throws Exception {
        Files.writeString(dir.resolve("tree.py"), TREE_PY);
        // lr 0.2 reaches rung 5 first and continues; lr 0.01 is then the worse of two (keep ⌈2/2⌉ = 1): pruned
        long id = store("""
                apiVersion: replica/v1
                name: asha-tree
                kind: command
                command: [python3, tree.py, "{lr}", "%s"]
                sweep:
                  method: asha
                  min_resource: 5
                  max_resource: 100
                  eta: 2
                  grid: {lr: [0.2, 0.01]}
                concurrency: 1
                metric: {primary: train/loss, goal: min}
                """.formatted(dir));
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});
        assertThat(summary.byState()).isEqualTo(Map.of(RunState.SUCCEEDED, 1L, RunState.PRUNED, 1L));
        long child = Long.parseLong(Files.readString(dir.resolve("child-0.01")).strip());
        long deadline = System.currentTimeMillis() + 10_000;
        while (dev.replica.backend.executor.process.ProcSessions.alive(child)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(dev.replica.backend.executor.process.ProcSessions.alive(child))
                .as("the pruned run's child process %d", child)
                .isFalse();
    }
}
