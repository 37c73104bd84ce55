package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestTest {
    @TempDir
    Path dir;

    RootAllocator allocator;
    final JsonLinesParser lines = new JsonLinesParser(() -> 42L);

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void close() {
        allocator.close();
    }

    @Test
    void parsesMetricLinesWithNumbersAndSpecialValuesAndTime() {
        JsonLinesParser.Line line = lines.parse(
                3,
                "{\"step\": 10, \"train/loss\": 0.53, \"a\": \"NaN\", \"b\": \"-Infinity\", \"c\": Infinity, \"d\": null, \"time_ms\": 1700}");
        assertThat(line).isInstanceOf(JsonLinesParser.MetricLine.class);
        MetricRow row = ((JsonLinesParser.MetricLine) line).row();
        assertThat(row.step()).isEqualTo(10);
        assertThat(row.timeMs()).isEqualTo(1700);
        assertThat(row.values())
                .containsExactly(
                        Map.entry("train/loss", 0.53), Map.entry("a", Double.NaN),
                        Map.entry("b", Double.NEGATIVE_INFINITY), Map.entry("c", Double.POSITIVE_INFINITY));
        MetricRow bare = ((JsonLinesParser.MetricLine) lines.parse(4, "{\"step\": 1, \"x\": NaN, \"time\": 5}")).row();
        assertThat(bare.values().get("x")).isNaN();
        assertThat(bare.timeMs()).isEqualTo(5);
        assertThat(((JsonLinesParser.MetricLine) lines.parse(5, "{\"step\": 2, \"x\": 1}"))
                        .row()
                        .timeMs())
                .isEqualTo(42);
    }

    @Test
    void otherLinesAreLogLines() {
        assertThat(lines.parse(1, "epoch 3 done")).isEqualTo(new JsonLinesParser.LogLine(1, "epoch 3 done"));
        assertThat(lines.parse(2, "{\"event\": \"checkpoint\"}")).isInstanceOf(JsonLinesParser.LogLine.class);
        assertThat(lines.parse(3, "")).isInstanceOf(JsonLinesParser.LogLine.class);
    }

    @Test
    void malformedMetricLinesNameTheLineAndField() {
        assertThatThrownBy(() -> lines.parse(7, "{\"step\": 10, \"loss\": true}"))
                .isInstanceOf(MetricParseException.class)
                .hasMessage(
                        "line 7, field \"loss\": expected a number or \"NaN\", \"Infinity\", \"-Infinity\" (or null for not logged), got boolean true");
        assertThatThrownBy(() -> lines.parse(8, "{\"step\": 1.5, \"loss\": 1}"))
                .hasMessage("line 8, field \"step\": expected an integer (64-bit), got number 1.5");
        assertThatThrownBy(() -> lines.parse(9, "{\"step\": 1, \"loss\": }"))
                .hasMessageStartingWith("line 9: invalid JSON:");
        assertThatThrownBy(() -> lines.parse(10, "{\"step\": 1, \"loss\": 1, \"loss\": 2}"))
                .hasMessageContaining("line 10: invalid JSON: Duplicate field 'loss'");
        assertThatThrownBy(() -> lines.parse(11, "{\"step\": 1, \"time\": 1, \"time_ms\": 2}"))
                .hasMessage("line 11, field \"time\": give either time or time_ms, not both");
        assertThatThrownBy(() -> lines.parse(12, "{\"step\": 1, \"\": 2}"))
                .hasMessage("line 12, field \"\": metric name is empty");
    }

    @Test
    void ingestsAProcessOutputIntoTheStoreThroughTheSink() throws Exception {
        String stdout = "starting\n"
                + "{\"step\": 1, \"loss\": 2.0, \"time\": 100}\n"
                + "{\"step\": 2, \"loss\": \"oops\"}\n"
                + "{\"step\": 3, \"loss\": 1.0, \"acc\": 0.5, \"time\": 300}\n"
                + "done\n";
        List<String> logs = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<AppendResult> appends = new ArrayList<>();
        try (MetricStore store = new MetricStore(dir, allocator);
                MetricSink sink = new MetricSink(store, "ext", 100, 60_000, () -> 0L, appends::add)) {
            long n = lines.ingest(
                    new StringReader(stdout),
                    sink,
                    l -> logs.add(l.lineNumber() + ":" + l.text()),
                    e -> errors.add(e.getMessage()));
            assertThat(n).isEqualTo(2);
            assertThat(logs).containsExactly("1:starting", "5:done");
            assertThat(errors).singleElement().asString().startsWith("line 3, field \"loss\"");
            assertThat(appends).hasSize(1);
            assertThat(appends.get(0).summaries().get("loss").min()).isEqualTo(1.0);
            RunData data = store.read("ext");
            assertThat(data.size()).isEqualTo(2);
            assertThat(data.timeMs(1)).isEqualTo(300);
            assertThat(data.value("acc", 1)).isEqualTo(0.5);
        }
    }

    @Test
    void sinkJoinsValuesOfOneStepIntoARowAndFlushesInBatches() {
        List<AppendResult> appends = new ArrayList<>();
        try (MetricStore store = new MetricStore(dir, allocator)) {
            try (MetricSink sink = new MetricSink(store, "s", 3, 60_000, () -> 7L, appends::add)) {
                for (int step = 0; step < 7; step++) {
                    sink.log(step, "loss", step);
                    sink.log(step, "lr", 0.1);
                }
                assertThat(appends).hasSize(2); // 6 rows flushed in two batches of 3, one row buffered
            }
            assertThat(appends).hasSize(3);
            RunData data = store.read("s");
            assertThat(data.size()).isEqualTo(7);
            assertThat(data.value("lr", 6)).isEqualTo(0.1);
            assertThat(data.timeMs(0)).isEqualTo(7);
        }
    }

    @Test
    void sinkFlushesOnceTheOldestBufferedRowIsOlderThanTheMaximumDelay() {
        List<AppendResult> appends = new ArrayList<>();
        long[] now = {0};
        try (MetricStore store = new MetricStore(dir, allocator);
                MetricSink sink = new MetricSink(store, "d", 1000, 500, () -> now[0], appends::add)) {
            sink.log(1, "loss", 1.0);
            now[0] = 499;
            sink.log(2, "loss", 0.9);
            assertThat(appends).isEmpty();
            now[0] = 500;
            sink.log(3, "loss", 0.8);
            assertThat(appends)
                    .singleElement()
                    .extracting(AppendResult::rowsAppended)
                    .isEqualTo(2);
        }
    }

    @Test
    void parsesJsonBatchBodiesAndNamesIndexAndField() {
        JsonBatchParser p = new JsonBatchParser(() -> 9L, 1 << 20, 3);
        MetricBatch b = p.parse(
                "[{\"step\":1,\"time\":123,\"values\":{\"loss\":0.5}},{\"step\":2,\"values\":{\"loss\":\"NaN\",\"acc\":1}}]");
        assertThat(b.rows())
                .containsExactly(
                        new MetricRow(1, 123, Map.of("loss", 0.5)),
                        new MetricRow(2, 9, Map.of("loss", Double.NaN, "acc", 1.0)));
        assertThatThrownBy(() -> p.parse("[{\"step\":1,\"values\":{}},{\"step\":2,\"values\":{\"loss\":\"x\"}}]"))
                .hasMessageStartingWith("[1], field \"values.loss\": expected a number");
        assertThatThrownBy(() -> p.parse("[{\"values\":{}}]")).hasMessage("[0], field \"step\": missing");
        assertThatThrownBy(() -> p.parse("[{\"step\":1,\"value\":{}}]"))
                .hasMessage("[0], field \"value\": unknown field; a row has step, time (or time_ms) and values");
        assertThatThrownBy(() -> p.parse("[{},{},{},{}]")).hasMessage("body: has 4 rows, more than the limit of 3");
        assertThatThrownBy(() -> p.parse("{}")).hasMessage("body: expected a JSON array of rows");
        JsonBatchParser small = new JsonBatchParser(() -> 9L, 10, 3);
        assertThatThrownBy(() -> small.parse(
                        new ByteArrayInputStream("[{\"step\":1,\"values\":{}}]".getBytes(StandardCharsets.UTF_8))))
                .hasMessage("body: body is larger than the limit of 10 bytes");
    }

    @Test
    void anOverflowingNumberIsALocatedErrorWhilePythonsInfinityIsKept() throws Exception {
        // what Python's json.dumps writes for float('inf') and float('-inf'): bare tokens, stored as infinities
        JsonLinesParser lines = new JsonLinesParser(() -> 5L);
        MetricRow python = ((JsonLinesParser.MetricLine)
                        lines.parse(1, "{\"step\": 1, \"up\": Infinity, \"down\": -Infinity, \"big\": 1.7e308}"))
                .row();
        assertThat(python.values())
                .containsExactly(
                        Map.entry("up", Double.POSITIVE_INFINITY),
                        Map.entry("down", Double.NEGATIVE_INFINITY),
                        Map.entry("big", 1.7e308));
        // a literal beyond the double range would otherwise read as Infinity without a word
        assertThatThrownBy(() -> lines.parse(2, "{\"step\": 1, \"up\": Infinity, \"loss\": 1e400}"))
                .hasMessage("line 2, field \"loss\": number beyond the 64-bit float range (about ±1.8e308); send"
                        + " Infinity or -Infinity (or \"Infinity\") if an infinite value is meant, got 1E+400");
        assertThatThrownBy(() -> lines.parse(3, "{\"step\": 1, \"loss\": -2.5e999}"))
                .hasMessageStartingWith("line 3, field \"loss\": number beyond the 64-bit float range")
                .hasMessageEndingWith("got -2.5E+999");

        JsonBatchParser batch = new JsonBatchParser(() -> 9L, 1 << 20, 10);
        String kept = "[{\"step\":1,\"values\":{\"up\":Infinity,\"down\":\"-Infinity\"}}]";
        assertThat(batch.parse(kept).rows())
                .containsExactly(
                        new MetricRow(1, 9, Map.of("up", Double.POSITIVE_INFINITY, "down", Double.NEGATIVE_INFINITY)));
        assertThat(batch.parse(new ByteArrayInputStream(kept.getBytes(StandardCharsets.UTF_8)))
                        .rows())
                .hasSize(1);
        String overflow = "[{\"step\":1,\"values\":{\"a\":1}},{\"step\":2,\"values\":{\"a\":Infinity,\"lr\":1e400}}]";
        assertThatThrownBy(() -> batch.parse(overflow))
                .hasMessageStartingWith("[1], field \"values.lr\": number beyond the 64-bit float range")
                .hasMessageEndingWith("got 1E+400");
        assertThatThrownBy(() -> batch.parse(new ByteArrayInputStream(overflow.getBytes(StandardCharsets.UTF_8))))
                .hasMessageStartingWith("[1], field \"values.lr\": number beyond the 64-bit float range");
    }

    private byte[] arrowBody(int rows, boolean nullStep) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(MetricFileFormat.schema(List.of("loss")), allocator);
                ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
            w.start();
            BigIntVector s = (BigIntVector) root.getVector(0);
            BigIntVector t = (BigIntVector) root.getVector(1);
            Float8Vector v = (Float8Vector) root.getVector(2);
            s.allocateNew(rows);
            t.allocateNew(rows);
            v.allocateNew(rows);
            for (int i = 0; i < rows; i++) {
                if (!(nullStep && i == 0)) {
                    s.set(i, i);
                }
                t.set(i, 1000 + i);
                if (i % 2 == 0) {
                    v.set(i, i * 0.5);
                }
            }
            s.setValueCount(rows);
            t.setValueCount(rows);
            v.setValueCount(rows);
            root.setRowCount(rows);
            w.writeBatch();
            w.end();
        }
        return out.toByteArray();
    }

    @Test
    void decodesArrowStreamBodiesWithinLimits() throws Exception {
        byte[] body = arrowBody(4, false);
        MetricBatch b = new ArrowBatchDecoder(allocator, 1 << 20, 10).decode(new ByteArrayInputStream(body));
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.rows().get(2)).isEqualTo(new MetricRow(2, 1002, Map.of("loss", 1.0)));
        assertThat(b.rows().get(1).values()).isEmpty();
        assertThatThrownBy(() -> new ArrowBatchDecoder(allocator, 100, 10).decode(new ByteArrayInputStream(body)))
                .hasMessage("arrow body: body is larger than the limit of 100 bytes");
        assertThatThrownBy(() -> new ArrowBatchDecoder(allocator, 1 << 20, 3).decode(new ByteArrayInputStream(body)))
                .hasMessage("arrow body: more than the limit of 3 rows");
        assertThatThrownBy(() -> new ArrowBatchDecoder(allocator, 1 << 20, 10)
                        .decode(new ByteArrayInputStream(arrowBody(2, true))))
                .hasMessage("arrow body, field \"step\": must not contain nulls");
        assertThatThrownBy(() -> new ArrowBatchDecoder(allocator, 1 << 20, 10)
                        .decode(new ByteArrayInputStream("hello world, not arrow".getBytes(StandardCharsets.UTF_8))))
                .hasMessage("arrow body: not a complete Arrow IPC stream at byte 0: incomplete message metadata");
    }
}
