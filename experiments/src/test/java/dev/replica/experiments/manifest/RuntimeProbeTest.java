package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.manifest.RunManifest.Gpu;
import dev.replica.experiments.manifest.RunManifest.RuntimeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeProbeTest {
    @TempDir
    Path dir;

    @Test
    void readsModelAndFlagsOfTheFirstProcessor() throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, """
        processor\t: 0
        vendor_id\t: AuthenticAMD
        model name\t: AMD EPYC 7B13 64-Core Processor
        flags\t\t: fpu sse2 avx2 fma

        processor\t: 1
        model name\t: AMD EPYC 7B13 64-Core Processor
        flags\t\t: fpu sse2 avx2 fma
        """);

        RuntimeInfo r = RuntimeProbe.probe(cpuinfo, "replica-no-such-nvidia-smi");

        assertThat(r.cpuModel()).isEqualTo("AMD EPYC 7B13 64-Core Processor");
        assertThat(r.cpuFlags()).containsExactly("avx2", "fma", "fpu", "sse2");
        assertThat(r.gpus()).isEmpty();
        assertThat(r.availableProcessors()).isPositive();
        assertThat(r.javaVendor()).isEqualTo(System.getProperty("java.vendor"));
    }

    @Test
    void readsArmFeaturesAndSurvivesAMissingCpuinfo() throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nFeatures\t: fp asimd sve\nCPU part\t: 0xd40\n");
        assertThat(RuntimeProbe.cpuModelAndFlags(cpuinfo)[1]).isEqualTo("fp asimd sve");
        assertThat(RuntimeProbe.cpuModelAndFlags(dir.resolve("absent"))[0]).endsWith("(model unknown)");
    }

    @Test
    void parsesNvidiaSmiCsv() {
        assertThat(RuntimeProbe.parseNvidiaSmi("NVIDIA H200, 570.86.15\nNVIDIA H200, 570.86.15\n"))
                .containsExactly(new Gpu("NVIDIA H200", "570.86.15"), new Gpu("NVIDIA H200", "570.86.15"));
    }

    @Test
    void currentDescribesThisJvm() {
        RuntimeInfo r = RuntimeProbe.current();
        assertThat(r.osArch()).isEqualTo(System.getProperty("os.arch"));
        assertThat(r.memoryBytes()).isPositive();
        assertThat(r.hostname()).isNotBlank();
    }
}
