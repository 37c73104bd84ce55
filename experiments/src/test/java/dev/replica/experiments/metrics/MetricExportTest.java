package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;

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
}
