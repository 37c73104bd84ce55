package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricStoreTest {
    @TempDir
    Path dir;

    RootAllocator allocator;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void close() {
        allocator.close(); // fails the test when a buffer leaked
    }

    static final double SIGNALING_NAN = Double.longBitsToDouble(0x7ff0000000000001L);
    static final double NAN_WITH_PAYLOAD = Double.longBitsToDouble(0xfff8dead0000beefL);

    static List<MetricBatch> read(MetricStore store, String runId) {
        List<MetricBatch> out = new ArrayList<>();
        store.forEachBatch(runId, out::add);
        return out;
    }

    @Test
    void roundTripsValuesBitForBitIncludingNanPayloadsInfinitiesAndNegativeZero() {
        double[] specials = {
            0.5,
            -0.0,
            0.0,
            Double.NaN,
            SIGNALING_NAN,
            NAN_WITH_PAYLOAD,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            -Double.MIN_NORMAL,
            1e-310
        };
        MetricBatch.Builder b = MetricBatch.builder();
        for (int i = 0; i < specials.length; i++) {
            b.row(i, 1_700_000_000_000L + i).set("train/loss", specials[i]);
            if (i % 3 == 0) {
                b.set("acc", specials[specials.length - 1 - i]);
            }
        }
        MetricBatch batch = b.build();
        try (MetricStore store = new MetricStore(dir, allocator)) {
            store.append("run-1", batch);
            assertThat(read(store, "run-1")).containsExactly(batch);
            RunData data = store.read("run-1");
            for (int i = 0; i < specials.length; i++) {
                assertThat(Double.doubleToRawLongBits(data.value("train/loss", i)))
                        .as("row %d", i)
                        .isEqualTo(Double.doubleToRawLongBits(specials[i]));
                assertThat(data.isPresent("acc", i)).isEqualTo(i % 3 == 0);
            }
        }
    }

    @Test
    void fileIsAStandardArrowStreamReadableByArrowsOwnReader() throws IOException {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            store.append("r", MetricBatch.of(MetricRow.of(1, 10, "loss", 2.5)));
            store.append("r", MetricBatch.of(MetricRow.of(2, 20, "loss", 1.5)));
            store.closeRun("r");
            try (ArrowStreamReader reader = new ArrowStreamReader(Files.newInputStream(store.file("r")), allocator)) {
                assertThat(reader.getVectorSchemaRoot().getSchema().getFields())
                        .extracting(f -> f.getName())
                        .containsExactly("step", "time_ms", "loss");
                long rows = 0;
                while (reader.loadNextBatch()) {
                    rows += reader.getVectorSchemaRoot().getRowCount();
                }
                assertThat(rows).isEqualTo(2);
            }
        }
    }

    @Test
    void newMetricMidRunStartsASegmentAndOldRowsReadAsNull() {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            store.append("r", MetricBatch.of(MetricRow.of(1, 10, "loss", 1.0)));
            store.append("r", MetricBatch.of(new MetricRow(2, 20, Map.of("loss", 0.9, "eval/acc", 0.5))));
            store.append("r", MetricBatch.of(MetricRow.of(3, 30, "loss", 0.8)));
            RunData data = store.read("r");
            assertThat(data.metrics()).containsExactly("loss", "eval/acc");
            assertThat(data.size()).isEqualTo(3);
            assertThat(data.isPresent("eval/acc", 0)).isFalse();
            assertThat(data.value("eval/acc", 1)).isEqualTo(0.5);
            assertThat(data.isPresent("eval/acc", 2)).isFalse();
            assertThat(store.metrics("r")).containsExactly("loss", "eval/acc");
            assertThat(store.rowCount("r")).isEqualTo(3);
        }
    }

    @Test
    void aBatchPastTheCapOnMetricNamesIsRefusedWholeAndStoredPointsStay() {
        MetricStore.Options three =
                MetricStore.Options.defaults().withFsync(false).withMaxMetricNames(3);
        try (MetricStore store = new MetricStore(dir, allocator, three)) {
            store.append("r", MetricBatch.of(new MetricRow(1, 10, Map.of("a", 1.0, "b", 2.0))));
            MetricBatch tooMany = MetricBatch.of(new MetricRow(2, 20, Map.of("a", 1.5, "c", 3.0, "d", 4.0)));
            assertThatThrownBy(() -> store.append("r", tooMany))
                    .isInstanceOf(MetricNameLimitException.class)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("run r would have 4 distinct metric names, more than the 3 allowed")
                    .hasMessageContaining("it has 2, this batch adds 2");
            assertThat(store.rowCount("r")).as("nothing of the refused batch").isEqualTo(1);
            store.append("r", MetricBatch.of(new MetricRow(2, 20, Map.of("a", 1.5, "c", 3.0))));
            assertThat(store.metrics("r")).containsExactlyInAnyOrder("a", "b", "c");
        }
        // the cap counts the names already in the file when a writer reopens it
        try (MetricStore store = new MetricStore(dir, allocator, three)) {
            assertThatThrownBy(() -> store.append("r", MetricBatch.of(MetricRow.of(3, 30, "d", 4.0))))
                    .isInstanceOf(MetricNameLimitException.class);
            store.append("r", MetricBatch.of(MetricRow.of(3, 30, "c", 2.5)));
            assertThat(store.rowCount("r")).isEqualTo(3);
        }
        assertThat(MetricStore.Options.defaults().maxMetricNames()).isEqualTo(10_000);
        assertThatThrownBy(() -> MetricStore.Options.defaults().withMaxMetricNames(0))
                .hasMessageContaining("maxMetricNames must be at least 1, got 0");
    }

    @Test
    void systemMetricsHaveAnAllowanceOfTheirOwnBesideTheNameCap() {
        MetricStore.Options two =
                MetricStore.Options.defaults().withFsync(false).withMaxMetricNames(2);
        try (MetricStore store = new MetricStore(dir, allocator, two)) {
            store.append("r", MetricBatch.of(new MetricRow(1, 10, Map.of("a", 1.0, "b", 2.0))));
            // a full run still takes its samples: sys/ names do not count against the cap of 2
            store.append("r", MetricBatch.of(new MetricRow(1, 11, Map.of("sys/cpu_percent", 50.0, "sys/rss_mb", 9.0))));
            assertThatThrownBy(() -> store.append("r", MetricBatch.of(MetricRow.of(2, 20, "c", 3.0))))
                    .isInstanceOf(MetricNameLimitException.class)
                    .hasMessageStartingWith("run r would have 3 distinct metric names, more than the 2 allowed")
                    .hasMessageContaining("it has 2, this batch adds 1");
            MetricBatch.Builder flood = MetricBatch.builder().row(3, 30);
            for (int i = 0; i < MetricNames.MAX_SYSTEM_NAMES; i++) {
                flood.set("sys/x" + i, i);
            }
            assertThatThrownBy(() -> store.append("r", flood.build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("run r would have 66 distinct sys/ metric names, more than the 64 allowed");
            assertThat(store.metrics("r")).containsExactlyInAnyOrder("a", "b", "sys/cpu_percent", "sys/rss_mb");
        }
    }

    @Test
    void reopenedRunContinuesItsLastSegmentAndKeepsSummaries() {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            store.append("r", MetricBatch.of(MetricRow.of(1, 10, "loss", 3.0)));
            store.append("r", MetricBatch.of(MetricRow.of(2, 20, "loss", 1.0)));
        }
        try (MetricStore store = new MetricStore(dir, allocator)) {
            AppendResult result = store.append("r", MetricBatch.of(MetricRow.of(3, 30, "loss", 2.0)));
            assertThat(result.totalRows()).isEqualTo(3);
            MetricSummary s = result.summaries().get("loss");
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.min()).isEqualTo(1.0);
            assertThat(s.minStep()).isEqualTo(2);
            assertThat(s.max()).isEqualTo(3.0);
            assertThat(s.maxStep()).isEqualTo(1);
            assertThat(s.last()).isEqualTo(2.0);
            assertThat(s.lastStep()).isEqualTo(3);
            assertThat(store.read("r").size()).isEqualTo(3);
            assertThat(store.recomputeSummaries("r")).isEqualTo(store.summaries("r"));
        }
    }

    @Test
    void summariesIgnoreNanForMinMaxAndCountIt() {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            AppendResult r = store.append(
                    "r",
                    MetricBatch.dense("loss", new long[] {1, 2, 3, 4, 5}, new long[] {0, 0, 0, 0, 0}, new double[] {
                        Double.NaN, 2.0, Double.NEGATIVE_INFINITY, Double.NaN, 7.0
                    }));
            MetricSummary s = r.summaries().get("loss");
            assertThat(s).isEqualTo(new MetricSummary("loss", 5, 2, 7.0, 5, Double.NEGATIVE_INFINITY, 3L, 7.0, 5L));
            AppendResult allNan = store.append("q", MetricBatch.of(MetricRow.of(1, 0, "x", Double.NaN)));
            MetricSummary n = allNan.summaries().get("x");
            assertThat(n.min()).isNull();
            assertThat(n.maxStep()).isNull();
            assertThat(n.nanCount()).isEqualTo(1);
            assertThat(Double.isNaN(n.last())).isTrue();
            assertThat(store.recomputeSummaries("r")).isEqualTo(store.summaries("r"));
        }
    }

    @Test
    void concurrentWritersToOneRunAndToManyRunsLoseNothing() throws Exception {
        int threads = 4;
        int batchesPerThread = 50;
        try (MetricStore store =
                new MetricStore(dir, allocator, MetricStore.Options.defaults().withFsync(false))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < batchesPerThread; i++) {
                        long step = thread * 1_000_000L + i;
                        store.append("shared", MetricBatch.of(MetricRow.of(step, step, "m" + (i % 3), step)));
                        store.append("own-" + thread, MetricBatch.of(MetricRow.of(i, i, "loss", i)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            RunData shared = store.read("shared");
            assertThat(shared.size()).isEqualTo(threads * batchesPerThread);
            for (int r = 0; r < shared.size(); r++) {
                long step = shared.step(r);
                String metric = "m" + ((step % 1_000_000L) % 3);
                assertThat(shared.value(metric, r)).isEqualTo((double) step);
            }
            for (int t = 0; t < threads; t++) {
                assertThat(store.read("own-" + t).size()).isEqualTo(batchesPerThread);
            }
            assertThat(store.summaries("shared").values().stream()
                            .mapToLong(MetricSummary::count)
                            .sum())
                    .isEqualTo(threads * batchesPerThread);
        }
    }

    @Test
    void readersRacingAWriterSeeOnlyWholeBatchesAndTheCacheCatchesUp() throws Exception {
        int rowsPerBatch = 50;
        try (MetricStore store =
                new MetricStore(dir, allocator, MetricStore.Options.defaults().withFsync(false))) {
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    MetricBatch.Builder b = MetricBatch.builder();
                    for (int r = 0; r < rowsPerBatch; r++) {
                        long step = (long) i * rowsPerBatch + r;
                        b.row(step, step).set(i < 100 ? "loss" : "late", step * 0.5);
                    }
                    store.append("live", b.build());
                }
            });
            writer.start();
            int reads = 0;
            while (writer.isAlive() || reads == 0) {
                RunData data = store.read("live");
                assertThat(data.size() % rowsPerBatch).isZero();
                for (int r = 0; r < data.size(); r += 7) {
                    String metric = r < 100 * rowsPerBatch ? "loss" : "late";
                    assertThat(data.value(metric, r)).isEqualTo(data.step(r) * 0.5);
                }
                reads++;
            }
            writer.join();
            assertThat(store.read("live").size()).isEqualTo(200 * rowsPerBatch);
        }
    }

    @Test
    void cachedRunIsRefreshedWithOnlyTheNewBytesAcrossACloseAndReopen() {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            store.append("r", MetricBatch.of(MetricRow.of(1, 1, "loss", 1.0)));
            assertThat(store.read("r").size()).isEqualTo(1);
            store.closeRun("r"); // end marker written; cache position is after it
            assertThat(store.read("r").size()).isEqualTo(1);
            store.append("r", MetricBatch.of(MetricRow.of(2, 2, "loss", 2.0))); // reopen removes the marker
            store.append("r", MetricBatch.of(MetricRow.of(3, 3, "acc", 3.0))); // and a new segment
            RunData data = store.read("r");
            assertThat(data.size()).isEqualTo(3);
            assertThat(data.value("loss", 1)).isEqualTo(2.0);
            assertThat(data.value("acc", 2)).isEqualTo(3.0);
        }
    }

    @Test
    void secondWriterOfTheSameRunIsRefusedWithAClearMessage() {
        try (MetricStore a = new MetricStore(dir, allocator);
                MetricStore b = new MetricStore(dir, allocator)) {
            a.append("r", MetricBatch.of(MetricRow.of(1, 1, "loss", 1.0)));
            assertThatThrownBy(() -> b.append("r", MetricBatch.of(MetricRow.of(2, 2, "loss", 1.0))))
                    .isInstanceOf(MetricStoreException.class)
                    .hasMessageContaining("run r is already being written by another writer");
        }
    }

    @Test
    void rejectsRunIdsThatCouldEscapeTheDirectory() {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            assertThatThrownBy(() -> store.append("../etc", MetricBatch.empty()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("run id must be");
        }
    }

    @Test
    void missingRunReadsAsEmpty() {
        try (MetricStore store = new MetricStore(dir, allocator)) {
            assertThat(store.read("nothing").size()).isZero();
            assertThat(store.summaries("nothing")).isEmpty();
            assertThat(store.runIds()).isEmpty();
        }
    }
}
