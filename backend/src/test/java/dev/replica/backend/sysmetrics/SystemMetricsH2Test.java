package dev.replica.backend.sysmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.backend.experiment.ExperimentService;
import dev.replica.backend.profiles.H2Profile;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import dev.replica.backend.scheduler.Scheduler;
import dev.replica.experiments.manifest.MetricStreamComparison;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.RunData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** System metrics of command runs, sampled from their real process trees. */
@QuarkusTest
@TestProfile(H2Profile.class)
class SystemMetricsH2Test {

    @Inject
    SystemSampler sampler;

    @Inject
    Scheduler scheduler;

    @Inject
    ExperimentService experiments;

    @Inject
    RunQueries runs;

    @Inject
    MetricStore store;

    @Inject
    SystemMetricsConfig config;

    @TempDir
    Path dir;

    /**
     * Waits a second (so sampling has begun), then holds 20 MiB more every 0.3 s, touched so that it is resident,
     * logging its own steps 1..10, and keeps it all for another second.
     */
    private static final String GROW_PY = """
            import json, time
            time.sleep(1.0)
            held = []
            for step in range(1, 11):
                held.append(b"\\x01" * (20 << 20))
                print(json.dumps({"step": step, "train/held_mb": 20.0 * step}), flush=True)
                time.sleep(0.3)
            time.sleep(1.0)
            """;

    @AfterEach
    void restore() {
        sampler.interval(config.interval());
        sampler.nvidiaSmi(config.nvidiaSmi());
    }

    private List<RunView> run(String yaml) throws Exception {
        Files.writeString(dir.resolve("grow.py"), GROW_PY);
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, yaml);
        long id = experiments.create(yaml, spec.toString(), dir).experimentId();
        Scheduler.Summary summary = scheduler.runExperiment(id, p -> {});
        assertThat(summary.byState()).containsOnlyKeys(RunState.SUCCEEDED);
        return runs.list(new RunFilter(id, null, Map.of(), 100, 0));
    }

    @Test
    void aCommandThatAllocatesShowsRisingMemoryAndGpuFiguresWhereNvidiaSmiAnswers() throws Exception {
        Path fake = dir.resolve("nvidia-smi");
        Files.writeString(fake, "#!/bin/sh\nprintf '0, 37, 1024\\n1, [N/A], 2048\\n'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        sampler.nvidiaSmi(fake.toString());
        sampler.interval(Duration.ofMillis(200));

        RunView r = run("""
                apiVersion: replica/v1
                name: sys-grow
                kind: command
                command: [python3, grow.py]
                """).get(0);

        RunData data = store.read(Long.toString(r.id()));
        List<Double> rss = new ArrayList<>();
        long ownSteps = 0;
        for (int row = 0; row < data.size(); row++) {
            if (data.isPresent("sys/rss_mb", row)) {
                rss.add(data.value("sys/rss_mb", row));
                assertThat(data.step(row))
                        .as("a sample carries a step the run reached")
                        .isBetween(0L, 10L);
                assertThat(data.isPresent("train/held_mb", row))
                        .as("samples are rows of their own")
                        .isFalse();
            }
            if (data.isPresent("train/held_mb", row)) {
                ownSteps++;
            }
        }
        assertThat(ownSteps).isEqualTo(10);
        assertThat(rss).hasSizeGreaterThanOrEqualTo(5);
        // the script holds 200 MiB at its end; python itself is well under 60 MiB
        assertThat(rss.stream().mapToDouble(Double::doubleValue).max().orElseThrow() - rss.get(0))
                .isGreaterThan(80.0);
        assertThat(data.metrics())
                .contains("sys/cpu_percent", "sys/gpu0/util_percent", "sys/gpu0/memory_mb", "sys/gpu1/memory_mb");
        assertThat(data.metrics()).doesNotContain("sys/gpu1/util_percent");
        int firstGpuRow = -1;
        for (int row = 0; row < data.size() && firstGpuRow < 0; row++) {
            firstGpuRow = data.isPresent("sys/gpu0/util_percent", row) ? row : -1;
        }
        assertThat(data.value("sys/gpu0/util_percent", firstGpuRow)).isEqualTo(37.0);
        assertThat(data.value("sys/gpu1/memory_mb", firstGpuRow)).isEqualTo(2048.0);
    }

    @Test
    void samplesDoNotStandInTheWayOfAReproductionCheck() throws Exception {
        sampler.interval(Duration.ofMillis(150));

        List<RunView> both = run("""
                apiVersion: replica/v1
                name: sys-twice
                kind: command
                command: [python3, grow.py]
                seeds: [0, 1]
                """);

        String a = Long.toString(both.get(0).id());
        String b = Long.toString(both.get(1).id());
        assertThat(store.metrics(a)).contains("sys/rss_mb");
        assertThat(store.read(a).size())
                .as("sample rows sit among the run's rows")
                .isGreaterThan(10);
        MetricStreamComparison.Result own = MetricStreamComparison.compare(
                store, a, b, MetricStreamComparison.Tolerance.NONE, MetricStreamComparison.RESULTS_ONLY);
        assertThat(own.verdict()).isEqualTo(MetricStreamComparison.Verdict.BIT_IDENTICAL);
        assertThat(own.rowsA()).isEqualTo(10);
    }
}
