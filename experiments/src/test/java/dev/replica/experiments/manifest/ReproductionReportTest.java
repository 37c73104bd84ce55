package dev.replica.experiments.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.manifest.MetricStreamComparison.Tolerance;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproductionReportTest {
    @TempDir
    Path dir;

    @Test
    void divergenceIsReportedWithTheDifferencesThatMayExplainIt() {
        RunManifest original = ManifestDiffTest.base().build();
        RunManifest rerun = ManifestDiffTest.base()
                .runtime(RunManifestTest.runtime(
                        "node-9", 64, List.of("sse2", "avx", "avx2", "fma", "bmi1", "bmi2", "aes", "avx512f")))
                .environment(Map.of("OMP_NUM_THREADS", "64"))
                .build();
        try (RootAllocator allocator = new RootAllocator();
                MetricStore store = new MetricStore(dir, allocator)) {
            store.append("orig", MetricBatch.dense("loss", new long[] {0, 1}, new long[2], new double[] {2.0, 1.0}));
            store.append(
                    "again",
                    MetricBatch.dense("loss", new long[] {0, 1}, new long[2], new double[] {2.0, Math.nextUp(1.0)}));

            ReproductionReport diverged = new ReproductionReport(
                    ManifestDiff.between(original, rerun),
                    MetricStreamComparison.compare(store, "orig", "again", Tolerance.NONE));
            ReproductionReport tolerated = new ReproductionReport(
                    ManifestDiff.between(original, rerun),
                    MetricStreamComparison.compare(store, "orig", "again", Tolerance.absolute(1e-9)));
            ReproductionReport identical = new ReproductionReport(
                    ManifestDiff.between(original, original),
                    MetricStreamComparison.compare(store, "orig", "orig", Tolerance.NONE));

            assertThat(diverged.exitCode()).isEqualTo(1);
            assertThat(diverged.render("run-1", "rerun")).isEqualTo("""
          diverged at step 1, loss: 1.0 vs 1.0000000000000002 (abs diff 2.220446049250313E-16, rel diff 2.2204460492503126E-16)
            rows: 2 vs 2; values compared: 2, not bit-identical: 1, beyond tolerance: 1; structural differences: 0
          differences that may explain it (run-1 -> rerun):
            runtime cpuFlags: ["aes","avx","avx2","bmi1","bmi2","fma","sse2"] -> ["aes","avx","avx2","avx512f","bmi1","bmi2","fma","sse2"]
          """);
            assertThat(tolerated.exitCode()).isZero();
            assertThat(identical.exitCode()).isZero();
            assertThat(identical.render("a", "b")).isEqualTo("bit-identical: 2 rows, 2 values\n");
        }
    }
}
