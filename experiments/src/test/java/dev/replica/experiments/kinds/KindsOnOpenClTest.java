package dev.replica.experiments.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.replica.experiments.data.IdxFiles;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A small run of each built-in kind on the OpenCL backend (PoCL in CI) against the same run on the JVM
 * backend: every logged value (clock-based metrics aside) within the ops' tolerances. Without an OpenCL
 * device the test is skipped with the reason, and fails when {@code CI=true}.
 */
class KindsOnOpenClTest {

    @TempDir
    static Path dir;

    static RootAllocator allocator;
    static MetricStore store;
    static KernelBackend jvm;
    static KernelBackend opencl;

    @BeforeAll
    static void open() {
        allocator = new RootAllocator();
        store = new MetricStore(
                dir.resolve("metrics"),
                allocator,
                MetricStore.Options.defaults().withFsync(false));
        jvm = KernelBackends.select("jvm").backend();
        KernelBackends.Selection sel = KernelBackends.select("opencl");
        if (sel.fellBack()) {
            String why = "no OpenCL device: " + sel.summary();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + " (CI=true: install pocl-opencl-icd, see .ci/deps/opencl.sh)");
            }
            System.out.println(why + "; skipping the kinds-on-OpenCL test");
        } else {
            opencl = sel.backend();
        }
    }

    @AfterAll
    static void close() {
        store.close();
        allocator.close();
        jvm.close();
    }

    static Stream<Arguments> kinds() throws Exception {
        return Stream.of(
                Arguments.of(
                        "optimizer-sweep",
                        Map.<String, Object>of(
                                "task",
                                "char-transformer",
                                "optimizer",
                                "adamw",
                                "steps",
                                4L,
                                "batch",
                                2L,
                                "context",
                                16L,
                                "width",
                                16L,
                                "layers",
                                1L,
                                "eval_every",
                                2L),
                        1L),
                Arguments.of(
                        "rlvr",
                        Map.<String, Object>ofEntries(
                                Map.entry("digits", 2L),
                                Map.entry("pretrain_steps", 10L),
                                Map.entry("steps", 2L),
                                Map.entry("group_size", 4L),
                                Map.entry("copies", 2L),
                                Map.entry("pool_size", 6L),
                                Map.entry("eval_problems", 5L),
                                Map.entry("pass_n", 4L),
                                Map.entry("eval_every", 2L),
                                Map.entry("width", 16L),
                                Map.entry("layers", 1L)),
                        5L),
                Arguments.of(
                        "mone",
                        Map.<String, Object>of(
                                "variant",
                                "mone",
                                "study",
                                "sparsify",
                                "steps",
                                6L,
                                "batch",
                                8L,
                                "expert_dim",
                                8L,
                                "eval_every",
                                3L,
                                "data_dir",
                                "IDX"),
                        7L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void smallRunOnOpenClMatchesTheJvmRun(String kind, Map<String, Object> overrides, long seed) throws Exception {
        Assumptions.assumeTrue(opencl != null, "no OpenCL device (see the printed reason)");
        Map<String, Object> p = new java.util.HashMap<>(KindRuns.params(kind, overrides));
        if ("IDX".equals(p.get("data_dir"))) {
            p.put(
                    "data_dir",
                    IdxFiles.write(dir.resolve("idx-" + kind), 64, 8, 6).toString());
        }
        List<String> log = new ArrayList<>();
        RunData a = KindRuns.run(store, jvm, kind, kind + "-jvm", p, seed, log);
        RunData b = KindRuns.run(store, opencl, kind, kind + "-opencl", p, seed, log);
        int compared = 0;
        double worst = 0;
        String worstAt = "";
        assertThat(b.size()).isEqualTo(a.size());
        for (String m : a.metrics()) {
            if (m.startsWith("time/") || m.startsWith("throughput/")) {
                continue;
            }
            for (int r = 0; r < a.size(); r++) {
                if (!a.isPresent(m, r)) {
                    continue;
                }
                assertThat(b.isPresent(m, r)).as("%s row %d on opencl", m, r).isTrue();
                double x = a.value(m, r);
                double y = b.value(m, r);
                double diff = Math.abs(x - y);
                // float reductions in another order per op (~1e-6 relative), compounded over a few steps
                double tol = 1e-4 + 1e-3 * Math.abs(x);
                if (diff / tol > worst) {
                    worst = diff / tol;
                    worstAt = m + " row " + r + ": jvm " + x + ", opencl " + y;
                }
                compared++;
            }
        }
        System.out.printf(
                "%s: %d values compared, worst at %.3f of its tolerance (%s)%n", kind, compared, worst, worstAt);
        assertThat(compared).isGreaterThan(5);
        assertThat(worst).as(worstAt).isLessThanOrEqualTo(1.0);
    }
}
