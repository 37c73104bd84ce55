package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashSafetyTest {
    @TempDir
    Path dir;

    RootAllocator allocator;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void close() {
        allocator.close();
    }

    private static void assertBatchesIntact(List<MetricBatch> batches, int atLeast) {
        assertThat(batches.size()).isGreaterThanOrEqualTo(atLeast);
        for (int i = 0; i < batches.size(); i++) {
            assertThat(batches.get(i)).as("batch %d", i).isEqualTo(CrashingWriterMain.batch(i));
        }
    }

    @Test
    void runKilledWithSigkillMidAppendKeepsEveryCompleteBatch() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriterMain.class.getName(),
                dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        int acknowledged = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < 40 && (line = out.readLine()) != null) {
                acknowledged = Integer.parseInt(line.trim());
            }
            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no end marker
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("child appended batches before the kill").isGreaterThanOrEqualTo(40);

        try (MetricStore store = new MetricStore(dir, allocator)) {
            List<MetricBatch> batches = new ArrayList<>();
            store.forEachBatch("victim", batches::add);
            // Every acknowledged batch survived, bit for bit; at most the ones in flight are missing.
            assertBatchesIntact(batches, acknowledged + 1);
            long rows = store.read("victim").size();
            assertThat(rows).isEqualTo((long) batches.size() * CrashingWriterMain.ROWS_PER_BATCH);

            // A new writer drops any torn bytes and continues the run.
            int next = batches.size();
            AppendResult r = store.append("victim", CrashingWriterMain.batch(next));
            assertThat(r.totalRows()).isEqualTo(rows + CrashingWriterMain.ROWS_PER_BATCH);
            List<MetricBatch> after = new ArrayList<>();
            store.forEachBatch("victim", after::add);
            assertBatchesIntact(after, next + 1);
            assertThat(store.recomputeSummaries("victim")).isEqualTo(store.summaries("victim"));
        }
    }

    @Test
    void truncatingTheFileAtEveryByteOfTheLastBatchKeepsAllPreviousBatches() throws Exception {
        // Batches 0..5: batch 5 brings a new metric, so its bytes are end marker + schema + batch.
        checkEveryTruncation(5);
        // Batches 0..6: the last batch continues the segment.
        checkEveryTruncation(6);
    }

    private static final int SMALL = 3;

    private void checkEveryTruncation(int last) throws Exception {
        Path source = dir.resolve("source-" + last);
        long before;
        long after;
        try (MetricStore store = new MetricStore(
                source, allocator, MetricStore.Options.defaults().withFsync(false))) {
            for (int i = 0; i < last; i++) {
                store.append("run", CrashingWriterMain.batch(i, SMALL));
            }
            before = Files.size(store.file("run"));
            store.append("run", CrashingWriterMain.batch(last, SMALL));
            after = Files.size(store.file("run"));
        }
        byte[] full = Files.readAllBytes(source.resolve("run" + MetricStore.EXTENSION));
        assertThat((long) full.length).isEqualTo(after + MetricFileFormat.EOS.length);

        Path target = dir.resolve("cut-" + last);
        Files.createDirectories(target);
        Path file = target.resolve("run" + MetricStore.EXTENSION);
        Files.write(file, full);
        try (MetricStore store = new MetricStore(target, allocator)) {
            // The complete file, with and without its end marker, has every batch.
            for (long cut : new long[] {full.length, after}) {
                truncate(file, cut);
                store.evict("run");
                assertThat(store.read("run").size()).isEqualTo((last + 1) * SMALL);
            }
            for (long cut = after - 1; cut >= before; cut--) {
                truncate(file, cut);
                store.evict("run");
                List<MetricBatch> batches = new ArrayList<>();
                store.forEachBatch("run", batches::add);
                assertThat(batches).as("cut at %d", cut).hasSize(last);
                for (int i = 0; i < last; i++) {
                    assertThat(batches.get(i)).isEqualTo(CrashingWriterMain.batch(i, SMALL));
                }
            }
            // A writer opening a torn file truncates exactly the torn bytes and goes on.
            Files.write(file, Arrays.copyOf(full, (int) (before + (after - before) / 2)));
            store.append("run", CrashingWriterMain.batch(last, SMALL));
            store.closeRun("run");
            assertThat(Files.readAllBytes(file)).isEqualTo(full);
        }
    }

    private static void truncate(Path file, long size) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
