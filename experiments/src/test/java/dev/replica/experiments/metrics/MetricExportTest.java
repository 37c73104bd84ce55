package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replica.experiments.metrics.parquet.DuckDb;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricExportTest {
    @TempDir
    Path dir;

    RootAllocator allocator;
    MetricStore store;
    MetricExport export;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        store = new MetricStore(dir.resolve("metrics"), allocator);
        export = new MetricExport(store);
        store.append(
                "a",
                MetricBatch.builder()
                        .row(1, 100)
                        .set("loss", 0.5)
                        .row(2, 200)
                        .set("loss", Double.NaN)
                        .set("=cmd|' /C calc'!A0", 1.0)
                        .build());
        store.append(
                "b",
                MetricBatch.builder()
                        .row(1, 100)
                        .set("loss", Double.POSITIVE_INFINITY)
                        .row(2, 200)
                        .set("loss", Double.NEGATIVE_INFINITY)
                        .set("acc", 0.1)
                        .build());
    }

    @AfterEach
    void close() {
        store.close();
        allocator.close();
    }

    @Test
    void longCsvEscapesFormulasAndWritesSpecialValues() throws Exception {
        StringWriter out = new StringWriter();
        long rows = export.writeCsvLong(out, List.of("a", "b"), null);
        assertThat(rows).isEqualTo(6);
        assertThat(out.toString())
                .isEqualTo("run,step,time_ms,metric,value\n"
                        + "a,1,100,loss,0.5\n"
                        + "a,2,200,loss,NaN\n"
                        + "a,2,200,'=cmd|' /C calc'!A0,1.0\n"
                        + "b,1,100,loss,Infinity\n"
                        + "b,2,200,loss,-Infinity\n"
                        + "b,2,200,acc,0.1\n");
    }

    @Test
    void valuesAreTheShortestDecimalThatReadsBackExactly() {
        // expected texts: the shortest round-trip decimals (JDK 19+'s Double.toString, Schubfach); JDK 17
        // writes the first two as 9.999999999999999E22 and 8.409999999999999E21
        assertThat(MetricExport.formatValue(1e23)).isEqualTo("1.0E23");
        assertThat(MetricExport.formatValue(8.41e21)).isEqualTo("8.41E21");
        assertThat(MetricExport.formatValue(2e-3)).isEqualTo("0.002");
        assertThat(MetricExport.formatValue(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(MetricExport.formatValue(Double.MIN_VALUE)).isEqualTo("4.9E-324");
        assertThat(MetricExport.formatValue(-0.0)).isEqualTo("-0.0");
        assertThat(MetricExport.formatValue(Double.NaN)).isEqualTo("NaN");
        assertThat(MetricExport.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            double d = Double.longBitsToDouble(rng.nextLong());
            if (!Double.isNaN(d)) {
                String text = MetricExport.formatValue(d);
                assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)))
                        .as(text)
                        .isEqualTo(Double.doubleToRawLongBits(d));
                // never longer than JDK 17's text, which always round-trips
                assertThat(text.length()).isLessThanOrEqualTo(Double.toString(d).length());
            }
        }
    }

    @Test
    void storeFilesTellPlainArrowReadersToReadThroughTheExport() throws Exception {
        store.closeRun("b");
        try (var in = java.nio.file.Files.newInputStream(store.file("b"));
                var reader = new org.apache.arrow.vector.ipc.ArrowStreamReader(in, allocator)) {
            // a plain reader sees the first segment only (loss), and the schema says where the rest is
            assertThat(reader.getVectorSchemaRoot()
                            .getSchema()
                            .getCustomMetadata()
                            .get("replica.read-with"))
                    .contains("Arrow readers see only the first segment")
                    .contains("replica export --runs ID --format arrow");
        }
    }

    @Test
    void metricsNamedLikeAFixedColumnGetAPrefixedColumn() throws Exception {
        store.append("c", MetricBatch.builder().row(1, 100).set("run", 2.0).build());
        StringWriter out = new StringWriter();
        export.writeCsvWide(out, List.of("c"), null);
        assertThat(out.toString()).isEqualTo("run,step,time_ms,metric:run\nc,1,100,2.0\n");
    }

    @Test
    void longCsvCanSelectMetrics() throws Exception {
        StringWriter out = new StringWriter();
        assertThat(export.writeCsvLong(out, List.of("b"), Set.of("acc"))).isEqualTo(1);
        assertThat(out.toString()).endsWith("b,2,200,acc,0.1\n");
    }

    @Test
    void wideCsvHasOneColumnPerMetricAndEmptyCellsForNotLogged() throws Exception {
        StringWriter out = new StringWriter();
        long rows = export.writeCsvWide(out, List.of("a", "b"), null);
        assertThat(rows).isEqualTo(4);
        assertThat(out.toString())
                .isEqualTo("run,step,time_ms,loss,'=cmd|' /C calc'!A0,acc\n"
                        + "a,1,100,0.5,,\n"
                        + "a,2,200,NaN,1.0,\n"
                        + "b,1,100,Infinity,,\n"
                        + "b,2,200,-Infinity,,0.1\n");
    }

    @Test
    void textCellsAreEscapedAgainstFormulaInjectionAndQuoted() {
        assertThat(MetricExport.csvText("=1+1")).isEqualTo("'=1+1");
        assertThat(MetricExport.csvText("+1")).isEqualTo("'+1");
        assertThat(MetricExport.csvText("-1")).isEqualTo("'-1");
        assertThat(MetricExport.csvText("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(MetricExport.csvText("a,b")).isEqualTo("\"a,b\"");
        assertThat(MetricExport.csvText("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(MetricExport.csvText("train/loss")).isEqualTo("train/loss");
    }

    @Test
    void arrowFileExportRoundTripsTheSelectionBitForBit() throws Exception {
        double payloadNan = Double.longBitsToDouble(0x7ff80000deadbeefL);
        store.append("c", MetricBatch.of(MetricRow.of(7, 700, "loss", payloadNan)));
        Path file = dir.resolve("export.arrow");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThat(export.writeArrowFile(ch, List.of("a", "c"), null, allocator))
                    .isEqualTo(3);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertThat(root.getSchema().getFields())
                    .extracting(f -> f.getName())
                    .containsExactly("run", "step", "time_ms", "loss", "=cmd|' /C calc'!A0");
            assertThat(reader.getRecordBlocks()).hasSize(2);
            assertThat(reader.loadNextBatch()).isTrue();
            assertThat(((VarCharVector) root.getVector("run")).getObject(1).toString())
                    .isEqualTo("a");
            assertThat(((Float8Vector) root.getVector("loss")).get(1)).isNaN();
            assertThat(root.getVector(4).isNull(0)).isTrue();
            assertThat(reader.loadNextBatch()).isTrue();
            assertThat(Double.doubleToRawLongBits(((Float8Vector) root.getVector("loss")).get(0)))
                    .isEqualTo(0x7ff80000deadbeefL);
            assertThat(reader.loadNextBatch()).isFalse();
        }
    }

    @Test
    void arrowStreamExportHoldsTheSameTableAsTheFile() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        assertThat(export.writeArrowStream(
                        java.nio.channels.Channels.newChannel(bytes), List.of("a"), List.of("loss"), allocator))
                .isEqualTo(2);
        try (org.apache.arrow.vector.ipc.ArrowStreamReader reader = new org.apache.arrow.vector.ipc.ArrowStreamReader(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertThat(root.getSchema().getFields())
                    .extracting(f -> f.getName())
                    .containsExactly("run", "step", "time_ms", "loss");
            long rows = 0;
            while (reader.loadNextBatch()) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    assertThat(((VarCharVector) root.getVector("run"))
                                    .getObject(r)
                                    .toString())
                            .isEqualTo("a");
                }
                rows += root.getRowCount();
            }
            assertThat(rows).isEqualTo(2);
        }
    }

    @Test
    void longParquetHasTypedColumnsAndOneRowPerLoggedValue() throws Exception {
        Path file = dir.resolve("long.parquet");
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            assertThat(export.writeParquetLong(out, List.of("a", "b"), null)).isEqualTo(6);
        }
        String f = "read_parquet('" + file + "')";
        assertThat(DuckDb.query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + f + ")"))
                .containsExactly(
                        List.of("run", "VARCHAR"),
                        List.of("step", "BIGINT"),
                        List.of("time_ms", "BIGINT"),
                        List.of("metric", "VARCHAR"),
                        List.of("value", "DOUBLE"));
        // expected rows: the values appended in open(), in the long CSV's order
        assertThat(DuckDb.query("SELECT * FROM " + f))
                .containsExactly(
                        List.of("a", 1L, 100L, "loss", 0.5),
                        List.of("a", 2L, 200L, "loss", Double.NaN),
                        List.of("a", 2L, 200L, "=cmd|' /C calc'!A0", 1.0),
                        List.of("b", 1L, 100L, "loss", Double.POSITIVE_INFINITY),
                        List.of("b", 2L, 200L, "loss", Double.NEGATIVE_INFINITY),
                        List.of("b", 2L, 200L, "acc", 0.1));
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            assertThat(export.writeParquetLong(out, List.of("a", "b"), Set.of("acc")))
                    .isEqualTo(1);
        }
        assertThat(DuckDb.query("SELECT run, metric FROM " + f)).containsExactly(List.of("b", "acc"));
    }

    @Test
    void wideParquetTellsLoggedNanFromNotLogged() throws Exception {
        Path file = dir.resolve("wide.parquet");
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            assertThat(export.writeParquetWide(out, List.of("a", "b"), List.of("loss", "acc")))
                    .isEqualTo(4);
        }
        assertThat(DuckDb.query("SELECT run, step, time_ms, loss, isnan(loss), acc IS NULL, acc FROM read_parquet('"
                        + file + "')"))
                .containsExactly(
                        java.util.Arrays.asList("a", 1L, 100L, 0.5, false, true, null),
                        java.util.Arrays.asList("a", 2L, 200L, Double.NaN, true, true, null),
                        java.util.Arrays.asList("b", 1L, 100L, Double.POSITIVE_INFINITY, false, true, null),
                        java.util.Arrays.asList("b", 2L, 200L, Double.NEGATIVE_INFINITY, false, false, 0.1));
    }
}
