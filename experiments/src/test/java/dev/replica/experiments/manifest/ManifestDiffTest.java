package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.manifest.ManifestDiff.Difference;
import dev.replica.kernels.DeviceDescription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestDiffTest {

    static ManifestBuilder base() {
        return ManifestBuilder.forKind("optimizer-sweep")
                .createdAt(Instant.parse("2025-01-02T03:04:05Z"))
                .replicaVersion("0.1.0")
                .spec("lr: 0.001\n", Map.of("params", Map.of("lr", 0.001)))
                .params(Map.of("lr", 0.001, "optimizer", Map.of("name", "muon", "momentum", 0.95)))
                .seed(1)
                .code(RunManifestTest.code("aaaa", false, "e3b0"))
                .runtime(RunManifestTest.runtime(
                        "node-1", 2, List.of("sse2", "avx", "avx2", "fma", "bmi1", "bmi2", "aes")))
                .backend(new DeviceDescription("jvm", "EPYC (2 threads)", "OpenJDK 17", false).toManifest())
                .dependencies(Map.of("dev.replica:replica-kernels", "0.1.0"))
                .environment(Map.of("OMP_NUM_THREADS", "2"));
    }

    @Test
    void identicalManifestsHaveNoDifferencesEvenAtDifferentTimes() {
        ManifestDiff diff = ManifestDiff.between(
                base().build(),
                base().createdAt(Instant.parse("2030-01-01T00:00:00Z")).build());
        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.recipeDiffers()).isFalse();
        assertThat(diff.render()).isEqualTo("A -> B: identical manifests (apart from creation time)\n");
    }

    @Test
    void listsOnlyWhatDiffersGroupedInOrder() {
        var a = base().build();
        var b = base().params(Map.of("lr", 0.002, "optimizer", Map.of("name", "muon", "momentum", 0.9), "wd", 0.1))
                .seed(2)
                .code(RunManifestTest.code("bbbb", true, "f00d"))
                .runtime(RunManifestTest.runtime(
                        "node-2", 64, List.of("sse2", "avx", "avx2", "fma", "bmi1", "bmi2", "aes", "avx512f")))
                .backend(new DeviceDescription("opencl", "NVIDIA H100", "CUDA 12.4", false).toManifest())
                .environment(Map.of("OMP_NUM_THREADS", "64", "CUDA_VISIBLE_DEVICES", "0"))
                .build();

        ManifestDiff diff = ManifestDiff.between(a, b);

        assertThat(diff.recipeDiffers()).isTrue();
        assertThat(diff.groups().keySet()).containsExactly("parameters", "code", "backend", "runtime", "environment");
        assertThat(diff.groups().get("parameters"))
                .containsExactly(
                        new Difference("parameters", "lr", "0.001", "0.002"),
                        new Difference("parameters", "optimizer.momentum", "0.95", "0.9"),
                        new Difference("parameters", "wd", null, "0.1"),
                        new Difference("parameters", "seed", "1", "2"));
        assertThat(diff.render("run-1", "run-2")).isEqualTo("""
        run-1 -> run-2: different recipes
        parameters
          lr: 0.001 -> 0.002
          optimizer.momentum: 0.95 -> 0.9
          wd: (absent) -> 0.1
          seed: 1 -> 2
        code
          commit: aaaa -> bbbb
          diffSha256: e3b0 -> f00d
          dirty: false -> true
        backend
          backend: jvm -> opencl
          device: EPYC (2 threads) -> NVIDIA H100
          driver: OpenJDK 17 -> CUDA 12.4
        runtime
          availableProcessors: 2 -> 64
          cpuFlags: +avx512f
          hostname: node-1 -> node-2
        environment
          CUDA_VISIBLE_DEVICES: (absent) -> 0
          OMP_NUM_THREADS: 2 -> 64
        """);
    }

    @Test
    void threadCountsHostsAndPathsAreNotSuspects() {
        var a = base().build();
        var b = base().runtime(RunManifestTest.runtime(
                        "node-2", 64, List.of("sse2", "avx", "avx2", "fma", "bmi1", "bmi2", "aes", "avx512f")))
                .environment(Map.of("OMP_NUM_THREADS", "64"))
                .build();

        ManifestDiff diff = ManifestDiff.between(a, b);

        assertThat(diff.recipeDiffers()).isFalse();
        assertThat(diff.differences())
                .extracting(Difference::field)
                .containsExactly("availableProcessors", "cpuFlags", "hostname", "OMP_NUM_THREADS");
        assertThat(diff.suspects()).extracting(Difference::field).containsExactly("cpuFlags");
    }

    @Test
    void commandOnOneSideOnlyShowsAsOneDifference() {
        var a = base().build();
        var b = base().command(List.of("echo", "hi"), java.nio.file.Path.of("."))
                .build();
        assertThat(ManifestDiff.between(a, b).groups().get("experiment"))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.field()).isEqualTo("command");
                    assertThat(d.left()).isNull();
                    assertThat(d.right()).contains("\"argv\":[\"echo\",\"hi\"]");
                });
    }
}
