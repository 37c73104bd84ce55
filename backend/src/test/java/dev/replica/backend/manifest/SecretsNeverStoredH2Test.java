package dev.replica.backend.manifest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.auth.Sessions;
import dev.replica.backend.bundle.BundleService;
import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.profiles.LocalServeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Plants one secret of each kind in the environment (backend/pom.xml sets them for the test JVM: a JDBC URL with a
 * password in its user information and its query, Java options with {@code -D…Password=…}, a GitHub token and a
 * Bearer credential inside an allowed variable, and variables named like a token and a secret key), runs a command
 * experiment, then reads back everything Replica stored or hands out about it: the manifest (API and file), every
 * file under the data directory, run and experiment views, logs, metric and parameter exports and a bundle. None
 * may contain a secret; the scrubbed variables themselves must be there, so the test would notice they were absent.
 */
@QuarkusTest
@TestProfile(LocalServeProfile.class)
class SecretsNeverStoredH2Test {

    /** The secrets that backend/pom.xml plants, each unique enough to grep for. */
    static final List<String> SECRETS = List.of(
            "url-userinfo-secret-7Q",
            "demo-secret-123",
            "keystore-secret-9Z",
            "ghp_plantedGithubTokenAbcdefghijklmnop0123",
            "planted-bearer-secret-42",
            "rpl_planted-named-token-secret-55",
            "planted-s3-secret-key-66");

    @Inject
    Sessions sessions;

    @Inject
    BundleService bundles;

    @Inject
    ReplicaHome home;

    @Test
    void noPlantedSecretReachesAManifestAFileABundleOrAnExport() throws Exception {
        String url = System.getenv("REPLICA_PLANTED_DB_URL");
        if (url == null) {
            Assumptions.assumeFalse(
                    "true".equals(System.getenv("CI")), "CI must run this through Maven, which plants the secrets");
            Assumptions.abort("the planted secrets are missing: run through Maven (backend/pom.xml sets them)");
        }
        String spec = "apiVersion: replica/v1\nname: secrets\nkind: command\ncommand: [echo, hello]\n";
        long experimentId = given().header("Authorization", "Bearer " + sessions.startToken())
                .contentType("application/yaml")
                .body(spec.getBytes(StandardCharsets.UTF_8))
                .post("/api/experiments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long runId =
                given().get("/api/runs?experiment=" + experimentId).jsonPath().getLong("[0].id");
        long deadline = System.currentTimeMillis() + 120_000;
        JsonPath run = given().get("/api/runs/" + runId).jsonPath();
        while (List.of("QUEUED", "RUNNING").contains(run.getString("run.state"))) {
            assertThat(System.currentTimeMillis()).as("run %d finishes", runId).isLessThan(deadline);
            Thread.sleep(200);
            run = given().get("/api/runs/" + runId).jsonPath();
        }
        assertThat(run.getString("run.state")).as(run.prettify()).isEqualTo("SUCCEEDED");

        String manifest = given().get("/api/runs/" + runId + "/manifest")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // what was planted is recorded, scrubbed: so a missing variable cannot pass this test
        Map<String, String> env = JsonPath.from(manifest).getMap("environment");
        assertThat(env)
                .containsEntry(
                        "REPLICA_PLANTED_DB_URL",
                        "jdbc:postgresql://planter:***@db:5432/replica?user=planter&password=***&ssl=true")
                .containsEntry(
                        "REPLICA_PLANTED_JAVA_OPTS",
                        "-Xmx2g -Djavax.net.ssl.keyStorePassword=*** -Dreplica.kernels.backend=jvm")
                .containsEntry("REPLICA_PLANTED_NOTE", "deploy with *** and Bearer ***")
                .doesNotContainKeys("REPLICA_PLANTED_API_TOKEN", "REPLICA_PLANTED_S3_SECRET_KEY");

        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("GET manifest", manifest);
        for (String path : List.of(
                "/api/runs/" + runId,
                "/api/runs/details?ids=" + runId,
                "/api/experiments/" + experimentId,
                "/api/runs/" + runId + "/logs",
                "/api/runs/" + runId + "/artifacts",
                "/api/export/metrics?experiment=" + experimentId + "&format=csv",
                "/api/export/params.csv?experiment=" + experimentId)) {
            stored.put(
                    "GET " + path,
                    given().get(path).then().statusCode(200).extract().asString());
        }
        Path zip = Files.createTempFile("replica-bundle", ".zip");
        bundles.export(List.of(experimentId), List.of(), zip);
        stored.putAll(zipEntries(zip));
        int files = 0;
        try (Stream<Path> walk = Files.walk(home.root())) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                stored.put(p.toString(), new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
                files++;
            }
        }
        assertThat(stored.keySet()).anyMatch(k -> k.endsWith("manifest.json"));
        assertThat(files).isPositive();

        List<String> leaks = new ArrayList<>();
        stored.forEach((where, text) ->
                SECRETS.stream().filter(text::contains).forEach(secret -> leaks.add(secret + " in " + where)));
        assertThat(leaks).isEmpty();
    }

    private static Map<String, String> zipEntries(Path zip) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                in.transferTo(bytes);
                out.put("bundle " + e.getName(), bytes.toString(StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(out.keySet()).anyMatch(k -> k.equals("bundle bundle.json"));
        return out;
    }
}
