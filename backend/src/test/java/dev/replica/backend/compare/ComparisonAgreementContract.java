package dev.replica.backend.compare;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replica.backend.cli.ReplicaCommand;
import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.metric.MetricService;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunView;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * One experiment, compared by {@code replica compare --format json} and by {@code GET
 * /api/experiments/{id}/comparison}: both must be the same report, and that report must hold the numbers
 * derived by hand for it (a diverged run, an all-equal group). Once per database.
 */
public abstract class ComparisonAgreementContract {

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    RunService runService;

    @Inject
    MetricService metrics;

    @Inject
    CommandLine.IFactory factory;

    @Inject
    ObjectMapper json;

    long experimentId;

    /** The experiment of {@link DivergedAndAllEqualExperiment}: a diverged run and an all-equal group. */
    @BeforeEach
    void storeAnExperimentWithADivergedAndAnAllEqualGroup() {
        experimentId = DivergedAndAllEqualExperiment.store(experiments, runs, runService, metrics);
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(ReplicaCommand.class, factory);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    private static JsonNode group(JsonNode report, String label) {
        for (JsonNode g : report.get("groups")) {
            if (g.get("label").asText().equals(label)) {
                return g;
            }
        }
        throw new AssertionError("no group " + label + " in " + report);
    }

    @Test
    void cliJsonAndRestJsonAreTheSameReport() throws Exception {
        JsonNode fromCli = json.readTree(cli("compare", Long.toString(experimentId), "--format", "json"));
        JsonNode fromRest = json.readTree(given().get("/api/experiments/" + experimentId + "/comparison")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(fromCli).isEqualTo(fromRest);

        // The numbers themselves, derived by hand.
        assertThat(fromRest.get("metric").asText()).isEqualTo("val/loss");
        assertThat(fromRest.get("baseline").get("optimizer").asText()).isEqualTo("adamw");
        JsonNode muon = group(fromRest, "optimizer=muon");
        assertThat(muon.get("welchP").asDouble()).isEqualTo(1.0);
        assertThat(muon.get("mannWhitneyP").asDouble()).isEqualTo(1.0);
        JsonNode sgd = group(fromRest, "optimizer=sgd");
        assertThat(sgd.get("n").asInt()).isEqualTo(2);
        assertThat(sgd.get("diverged").asInt()).isEqualTo(1);
        assertThat(sgd.get("mean").asDouble()).isEqualTo(2.25);
        // sgd {2.0, 2.5} against the constant {1, 1, 1}: Welch's df is exactly 1, t = 1.25 / 0.25 = 5, and
        // the two-sided p of Student's t with 1 df is 1 − 2 atan(5) / π.
        double welch = 1 - 2 * Math.atan(5) / Math.PI;
        assertThat(sgd.get("welchP").asDouble()).isCloseTo(welch, org.assertj.core.api.Assertions.within(1e-9));
        // Holm over both candidates: min(1, 2 p) for the smaller, then p = 1 for muon.
        assertThat(sgd.get("welchPHolm").asDouble()).isCloseTo(2 * welch, org.assertj.core.api.Assertions.within(1e-9));
        List<JsonNode> diverged = new java.util.ArrayList<>();
        fromRest.get("runs").forEach(r -> {
            if (r.get("status").asText().equals("diverged")) {
                diverged.add(r);
            }
        });
        assertThat(diverged).hasSize(1);
        assertThat(diverged.get(0).get("divergedAtStep").asLong()).isEqualTo(3);
        assertThat(diverged.get(0).get("lastFiniteStep").asLong()).isEqualTo(2);
        assertThat(fromRest.get("warnings").toString()).contains("optimizer=sgd: 1 of 3 runs diverged");
    }

    @Test
    void theTableSaysHowManyRunsDivergedAndBadQuestionsNameTheirPart() {
        String table = cli("compare", Long.toString(experimentId), "--value", "best");
        assertThat(table)
                .contains("val/loss (best value per run; min is better)")
                .contains("optimizer=adamw (baseline)")
                .contains("1 of 3 diverged");
        String markdown = cli("compare", Long.toString(experimentId), "--format", "markdown");
        assertThat(markdown).contains("| optimizer=sgd | 2 of 3 | 2.250 |");

        given().get("/api/experiments/" + experimentId + "/comparison?value=last")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString(
                        "value must be final, best, min, max, change or mean_last_K"));
        given().get("/api/experiments/" + experimentId + "/comparison?by=optimiser")
                .then()
                .statusCode(400)
                .body(org.hamcrest.Matchers.containsString("by: no run has a parameter 'optimiser'"));
        given().get("/api/experiments/987654321/comparison").then().statusCode(404);
    }

    @Test
    void theReportListsEveryRunAndWhatWasExcluded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // One run with a stored manifest (the golden one, canonical JSON): the report shows its recipe hash and
        // the SHA-256 of the manifest's bytes.
        String manifest = java.nio.file.Files.readString(
                        java.nio.file.Path.of("../experiments/src/test/resources/golden/run-manifest.json"))
                .strip();
        String recipe =
                dev.replica.experiments.manifest.RunManifest.parse(manifest).recipeHash();
        String manifestSha = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        long first = runs.list(new RunFilter(experimentId, null, Map.of(), 1, 0))
                .get(0)
                .id();
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .run(() -> dev.replica.backend.run.Run.update(
                        "recipeHash = ?1, manifestJson = ?2 where id = ?3", recipe, manifest, first));
        String out = cli("report", Long.toString(experimentId), "-o", dir.toString());
        assertThat(out).contains("Wrote " + dir.resolve("README.md"));
        String md = java.nio.file.Files.readString(dir.resolve("README.md"));
        assertThat(md)
                .contains("Generated by `replica report`")
                .contains("replica report " + experimentId + " -o " + dir)
                .contains("| optimizer=sgd | 2 of 3 | 2.250 |")
                .contains("![val/loss curves](curves-val_loss.png)")
                .contains("params: {task: teacher-stream, steps: 3, batch: 8}")
                .contains("| recipe hash | manifest SHA-256 |")
                .containsPattern("\\| " + first + " \\| [^\n]* \\| `" + recipe + "` \\| `" + manifestSha + "` \\|\n");
        for (RunView r : runs.list(new RunFilter(experimentId, null, Map.of(), 100, 0))) {
            assertThat(md)
                    .contains("| " + r.id() + " | optimizer=" + r.params().get("optimizer") + " | " + r.seed() + " |");
        }
        assertThat(md)
                .containsPattern("- run \\d+ \\(optimizer=sgd, seed 0\\): diverged — val/loss is NaN at step 3; "
                        + "last finite value at step 2\\.");
        for (String png : List.of("curves-val_loss.png", "values-val_loss.png", "efficiency-val_loss.png")) {
            byte[] bytes = java.nio.file.Files.readAllBytes(dir.resolve(png));
            assertThat(bytes).as(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            java.awt.image.BufferedImage image =
                    javax.imageio.ImageIO.read(dir.resolve(png).toFile());
            assertThat(image.getWidth()).as(png).isEqualTo(900);
        }
    }
}
