package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.experiments.manifest.RunManifest.CodeVersion;
import dev.replica.experiments.manifest.RunManifest.Gpu;
import dev.replica.experiments.manifest.RunManifest.RuntimeInfo;
import dev.replica.kernels.DeviceDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunManifestTest {
    @TempDir
    Path dir;

    static RuntimeInfo runtime(String host, int cpus, List<String> flags) {
        return new RuntimeInfo(
                "Eclipse Adoptium",
                "17.0.15+6",
                "OpenJDK 64-Bit Server VM",
                "Linux",
                "6.1.0",
                "amd64",
                "AMD EPYC 7B13",
                flags,
                64L << 30,
                cpus,
                List.of(new Gpu("NVIDIA H100 80GB HBM3", "550.54.15")),
                host);
    }

    static GitProbe.Snapshot code(String commit, boolean dirty, String diffSha) {
        return new GitProbe.Snapshot(
                new CodeVersion("/home/a/replica", commit, dirty, diffSha, null), Optional.empty());
    }

    ManifestBuilder base() throws IOException {
        Path data = dir.resolve("train.bin");
        if (!Files.exists(data)) {
            Files.write(data, new byte[] {1, 2, 3});
        }
        return ManifestBuilder.forKind("optimizer-sweep")
                .createdAt(Instant.parse("2025-01-02T03:04:05Z"))
                .replicaVersion("0.1.0")
                .spec(
                        "kind: optimizer-sweep\nparams:\n  lr: 0.001  # tuned\n",
                        Map.of("kind", "optimizer-sweep", "params", Map.of("lr", 0.001, "steps", 100)))
                .params(Map.of("lr", 0.001, "steps", 100, "optimizer", "muon"))
                .seed(7)
                .code(code("0123456789abcdef0123456789abcdef01234567", false, Sha256.of(new byte[0])))
                .runtime(runtime("node-1", 2, List.of("sse2", "avx2", "fma")))
                .backend(new DeviceDescription("jvm", "AMD EPYC 7B13 (2 threads)", "OpenJDK 17", false).toManifest())
                .dependencies(Map.of("dev.replica:replica-kernels", "0.1.0"))
                .dataset("train", data)
                .environment(Map.of("OMP_NUM_THREADS", "2", "REPLICA_HOME", "/data/replica"));
    }

    @Test
    void canonicalJsonParsesBackToAnEqualManifestWithTheSameBytes() throws IOException {
        RunManifest m =
                base().command(List.of("python", "train.py", "--lr=0.1"), dir).build();

        RunManifest back = RunManifest.parse(m.toCanonicalJson());

        assertThat(back).isEqualTo(m);
        assertThat(back.toCanonicalJson()).isEqualTo(m.toCanonicalJson());
        assertThat(back.recipeHash()).isEqualTo(m.recipeHash());
        assertThat(m.toCanonicalJson())
                .startsWith("{\"backend\":{\"backend\":\"jvm\",")
                .contains("\"params\":{\"lr\":0.001,\"optimizer\":\"muon\",\"steps\":100}")
                .contains("\"seed\":7")
                .doesNotContain(" :")
                .doesNotContain("\n");
    }

    @Test
    void recipeHashIgnoresTimePlacesMachineAndThreadCount() throws IOException {
        RunManifest a = base().build();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.write(elsewhere.resolve("train.bin"), new byte[] {1, 2, 3});
        RunManifest b = base().createdAt(Instant.parse("2026-06-07T08:09:10Z"))
                .spec(
                        "# reformatted\nkind: optimizer-sweep\nparams: {lr: 0.001}\n",
                        Map.of("params", Map.of("steps", 100, "lr", 0.001), "kind", "optimizer-sweep"))
                .runtime(runtime("node-2", 64, List.of("sse2", "avx2", "fma", "avx512f")))
                .backend(new DeviceDescription("jvm", "Intel Xeon (64 threads)", "OpenJDK 21", false).toManifest())
                .dependencies(Map.of("dev.replica:replica-kernels", "unpackaged"))
                .dataset("train", elsewhere.resolve("train.bin"))
                .environment(Map.of("OMP_NUM_THREADS", "64"))
                .build();

        assertThat(b.recipeHash()).isEqualTo(a.recipeHash());
        assertThat(b.sha256()).isNotEqualTo(a.sha256());
    }

    @Test
    void recipeHashChangesWithWhatTheRunComputes() throws IOException {
        String base = base().build().recipeHash();
        Files.write(dir.resolve("other.bin"), new byte[] {1, 2, 4});

        assertThat(base().params(Map.of("lr", 0.002, "steps", 100, "optimizer", "muon"))
                        .build()
                        .recipeHash())
                .as("params")
                .isNotEqualTo(base);
        assertThat(base().seed(8).build().recipeHash()).as("seed").isNotEqualTo(base);
        assertThat(base().code(code("1123456789abcdef0123456789abcdef01234567", false, "x"))
                        .build()
                        .recipeHash())
                .as("commit")
                .isNotEqualTo(base);
        assertThat(base().code(code("0123456789abcdef0123456789abcdef01234567", true, "y"))
                        .build()
                        .recipeHash())
                .as("dirty diff")
                .isNotEqualTo(base);
        assertThat(base().dataset("train", dir.resolve("other.bin")).build().recipeHash())
                .as("data")
                .isNotEqualTo(base);
        assertThat(base().backend(new DeviceDescription("opencl", "H100", "CUDA", false).toManifest())
                        .build()
                        .recipeHash())
                .as("backend")
                .isNotEqualTo(base);
        assertThat(ManifestBuilder.forKind("mone")
                        .replicaVersion("0.1.0")
                        .build()
                        .recipeHash())
                .as("kind")
                .isNotEqualTo(base);
    }

    @Test
    void integerAndDoubleParametersAreDistinctButIntAndLongAreNot() throws IOException {
        assertThat(base().params(Map.of("steps", 100)).build().recipeHash())
                .isEqualTo(base().params(Map.of("steps", 100L)).build().recipeHash())
                .isNotEqualTo(base().params(Map.of("steps", 100.0)).build().recipeHash());
    }

    @Test
    void commandRunsHashTheFilesTheirArgumentsNameInsideTheWorkingTree() throws IOException {
        Files.writeString(dir.resolve("train.py"), "print('hi')\n");
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/a.yaml"), "lr: 1\n");
        Path outside = Files.createTempFile("outside", ".txt");
        try {
            RunManifest m = ManifestBuilder.forKind("command")
                    .command(List.of("python", "train.py", "--config=conf/a.yaml", outside.toString(), "nope.txt"), dir)
                    .build();

            assertThat(m.command().argv())
                    .containsExactly("python", "train.py", "--config=conf/a.yaml", outside.toString(), "nope.txt");
            assertThat(m.command().workingDirectory())
                    .isEqualTo(dir.toAbsolutePath().normalize().toString());
            assertThat(m.command().files()).containsOnlyKeys("train.py", "conf/a.yaml");
            assertThat(m.command().files().get("train.py")).isEqualTo(Sha256.ofFile(dir.resolve("train.py")));

            Files.writeString(dir.resolve("train.py"), "print('changed')\n");
            RunManifest changed = ManifestBuilder.forKind("command")
                    .command(List.of("python", "train.py", "--config=conf/a.yaml", outside.toString(), "nope.txt"), dir)
                    .build();
            assertThat(changed.recipeHash()).isNotEqualTo(m.recipeHash());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void environmentKeepsTheAllowListAndNeverSecrets() throws IOException {
        RunManifest m = base().environment(Map.of(
                        "CUDA_VISIBLE_DEVICES", "0,1",
                        "OMP_NUM_THREADS", "4",
                        "PYTHONHASHSEED", "0",
                        "REPLICA_HOME", "/data/replica",
                        "REPLICA_API_TOKEN", "rpl_secret",
                        "REPLICA_S3_SECRET_KEY", "abc",
                        "REPLICA_DB_PASSWORD", "hunter2",
                        "REPLICA_signing_key", "k",
                        "AWS_ACCESS_KEY_ID", "AKIA",
                        "PATH", "/usr/bin"))
                .build();

        assertThat(m.environment())
                .containsOnlyKeys("CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS", "PYTHONHASHSEED", "REPLICA_HOME");
        assertThat(m.toCanonicalJson())
                .doesNotContain("rpl_secret")
                .doesNotContain("hunter2")
                .doesNotContain("AKIA")
                .doesNotContain("TOKEN")
                .doesNotContain("PASSWORD");
    }

    @Test
    void defaultsProbeThisMachine() {
        RunManifest m = ManifestBuilder.forKind("optimizer-sweep").build();

        assertThat(m.runtime().javaVersion()).isEqualTo(System.getProperty("java.runtime.version"));
        assertThat(m.runtime().availableProcessors())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.runtime().osName()).isEqualTo(System.getProperty("os.name"));
        assertThat(m.dependencies()).containsKey("dev.replica:replica-kernels");
        assertThat(m.environment().keySet()).allMatch(EnvironmentFilter::allows);
        assertThat(m.code().unavailable()).isEqualTo("not recorded");
        assertThat(RunManifest.parse(m.toCanonicalBytes())).isEqualTo(m);
    }

    @Test
    void parseNamesTheFieldAtFault() {
        assertThatThrownBy(() -> RunManifest.parse("{\"manifestVersion\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("manifest field 'kind' is missing");
        assertThatThrownBy(() -> RunManifest.parse("{\"manifestVersion\":1,\"kind\":\"x\",\"seed\":\"7\"}"))
                .hasMessage("manifest field 'seed' must be an integer");
        assertThatThrownBy(() -> RunManifest.parse(
                        "{\"manifestVersion\":1,\"kind\":\"x\",\"runtime\":{\"memoryBytes\":\"lots\"}}"))
                .hasMessage("manifest field 'runtime.memoryBytes' must be an integer");
        assertThatThrownBy(() -> RunManifest.parse("{\"manifestVersion\":1,\"kind\":\"x\",\"command\":{\"argv\":[]}}"))
                .hasMessage("manifest field 'command.workingDirectory' is missing");
        assertThatThrownBy(() -> RunManifest.parse("{\"manifestVersion\":1,\"kind\":\"x\",\"environment\":[1]}"))
                .hasMessage("manifest field 'environment' must be an object");
        assertThatThrownBy(() -> RunManifest.parse("{\"manifestVersion\":2,\"kind\":\"x\"}"))
                .hasMessage("unsupported manifestVersion 2 (this Replica reads 1)");
    }

    static void age(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }
}
