package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.manifest.RunManifest.CodeVersion;
import dev.replica.experiments.manifest.RunManifest.CommandLine;
import dev.replica.experiments.manifest.RunManifest.DatasetIdentity;
import dev.replica.experiments.manifest.RunManifest.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A manifest's canonical bytes and hashes, recorded once ({@code golden/run-manifest.json}): stored
 * manifests and every recipe hash users have seen depend on them, so any change to how a manifest is written
 * (a refactoring of the JSON code included) must leave them byte-identical.
 */
class RunManifestGoldenTest {

    static final String SHA256 = "4ed47cda850544b3c97fdf900ae7c5ee3eaf6bd71011dbbcc5d705b48bb9728f";
    static final String RECIPE_HASH = "2b867d1df222cc9a337b64896aec76d381feae63b6975cf77a2272f2c829277f";

    /** Every member set, with the value kinds that could be written differently (doubles, longs, nulls). */
    static RunManifest manifest() {
        return new RunManifest(
                "2025-01-02T03:04:05Z",
                "0.1.0",
                "command",
                new Spec(
                        "kind: command\nparams: {lr: 0.001}  # tuned\n",
                        Map.of("kind", "command", "params", Map.of("lr", 0.001, "steps", 100, "big", 1.0e21))),
                Map.of("lr", 0.001, "steps", 100L, "optimizer", "muon", "tiny", 1.5e-7, "name", "ünïcode \"q\"\t"),
                7L,
                new CommandLine(
                        List.of("python3", "train.py", "--lr=0.001"), "/work/run", Map.of("train.py", "a".repeat(64))),
                new CodeVersion("/work/run", "0123456789abcdef0123456789abcdef01234567", true, "b".repeat(64), null),
                RunManifestTest.runtime("node-1", 2, List.of("sse2", "avx2", "fma")),
                Map.of("backend", "jvm", "emulated", false, "device", "AMD EPYC 7B13 (2 threads)"),
                Map.of("dev.replica:replica-kernels", "0.1.0", "org.apache.arrow:arrow-vector", "18.3.0"),
                Map.of("train", new DatasetIdentity("/data/train.bin", 3L, "c".repeat(64), 1L)),
                Map.of("OMP_NUM_THREADS", "2"));
    }

    static String recorded() throws IOException {
        try (InputStream in = RunManifestGoldenTest.class.getResourceAsStream("/golden/run-manifest.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesTheRecordedCanonicalBytesAndHashes() throws IOException {
        RunManifest m = manifest();
        assertThat(m.toCanonicalJson()).isEqualTo(recorded());
        assertThat(m.sha256()).isEqualTo(SHA256);
        assertThat(m.recipeHash()).isEqualTo(RECIPE_HASH);
    }

    @Test
    void readsTheRecordedBytesBackToTheSameManifest() throws IOException {
        RunManifest back = RunManifest.parse(recorded());
        assertThat(back).isEqualTo(manifest());
        assertThat(back.toCanonicalJson()).isEqualTo(recorded());
        assertThat(back.recipeHash()).isEqualTo(RECIPE_HASH);
    }
}
