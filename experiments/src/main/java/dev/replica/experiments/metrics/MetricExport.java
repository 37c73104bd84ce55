package dev.replica.experiments.metrics;

import dev.replica.experiments.metrics.parquet.ParquetTableWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streaming exports of a selection of runs: CSV in long format ({@code run,step,time_ms,metric,value}),
 * CSV in wide format ({@code run,step,time_ms,<metric>...}) and an Arrow IPC file ({@code run} utf8,
 * {@code step}, {@code time_ms}, one float64 column per metric). Each run is read one record batch
 * at a time, so memory stays constant whatever the size of the selection.
 *
 * <p>CSV: text cells (run ids, metric names) that start with {@code = + - @}, a tab or a carriage
 * return get a leading apostrophe so spreadsheets do not run them as formulas, and cells with a comma,
 * quote or line break are quoted (RFC 4180). Values are written by {@link #formatValue(double)}: the
 * shortest decimal that reads back to the same double (JDK 17's {@link Double#toString(double)} is not
 * always shortest: it writes 1e23 as {@code 9.999999999999999E22}); NaN, {@code Infinity} and {@code
 * -Infinity} are written as such (NaN payloads are lost in CSV; the Arrow export keeps them). A logged
 * NaN is the text {@code NaN}; an empty cell means not logged.
 *
 * <p>Wide and Arrow exports name a metric's column after the metric, except that a metric called {@code
 * run}, {@code step}, {@code time_ms} or {@code time} gets the column {@code metric:<name>}, so it never
 * collides with the fixed columns.
 */
public final class MetricExport {
    private final MetricStore store;

    public MetricExport(MetricStore store) {
        this.store = store;
    }

    /**
     * Long-format CSV.
     *
     * @param metrics metrics to include, or null for all
     * @return data rows written
     */
    public long writeCsvLong(Writer out, Collection<String> runIds, Set<String> metrics) throws IOException {
        out.write("run,step,time_ms,metric,value\n");
        long[] rows = {0};
        for (String runId : runIds) {
            String run = csvText(runId);
            forEachBatch(runId, batch -> {
                List<String> names = batch.metrics();
                String[] escaped = new String[names.size()];
                for (int m = 0; m < names.size(); m++) {
                    escaped[m] = metrics == null || metrics.contains(names.get(m)) ? csvText(names.get(m)) : null;
                }
                StringBuilder line = new StringBuilder(64);
                for (int r = 0; r < batch.size(); r++) {
                    for (int m = 0; m < escaped.length; m++) {
                        if (escaped[m] != null && batch.isPresent(m, r)) {
                            line.setLength(0);
                            line.append(run)
                                    .append(',')
                                    .append(batch.step(r))
                                    .append(',')
                                    .append(batch.timeMs(r))
                                    .append(',')
                                    .append(escaped[m])
                                    .append(',')
                                    .append(formatValue(batch.value(m, r)))
                                    .append('\n');
                            write(out, line);
                            rows[0]++;
                        }
                    }
                }
            });
        }
        out.flush();
        return rows[0];
    }

    /**
     * Wide-format CSV: one line per stored row that has at least one selected metric.
     *
     * @param metrics columns, or null for every metric of the selected runs in order of appearance
     * @return data rows written
     */
    public long writeCsvWide(Writer out, Collection<String> runIds, List<String> metrics) throws IOException {
        List<String> columns = metrics != null ? metrics : unionOfMetrics(runIds);
        StringBuilder header = new StringBuilder("run,step,time_ms");
        for (String c : columns) {
            header.append(',').append(csvText(column(c)));
        }
        out.write(header.append('\n').toString());
        long[] rows = {0};
        for (String runId : runIds) {
            String run = csvText(runId);
            forEachBatch(runId, batch -> {
                int[] index = new int[columns.size()];
                for (int c = 0; c < index.length; c++) {
                    index[c] = batch.metricIndex(columns.get(c));
                }
                StringBuilder line = new StringBuilder(128);
                for (int r = 0; r < batch.size(); r++) {
                    line.setLength(0);
                    line.append(run)
                            .append(',')
                            .append(batch.step(r))
                            .append(',')
                            .append(batch.timeMs(r));
                    boolean any = false;
                    for (int m : index) {
                        line.append(',');
                        if (m >= 0 && batch.isPresent(m, r)) {
                            line.append(formatValue(batch.value(m, r)));
                            any = true;
                        }
                    }
                    if (any) {
                        write(out, line.append('\n'));
                        rows[0]++;
                    }
                }
            });
        }
        out.flush();
        return rows[0];
    }

    /**
     * Arrow IPC file with columns {@code run, step, time_ms, metrics...}; one record batch per stored
     * batch; values bit for bit.
     *
     * @param metrics columns, or null for every metric of the selected runs
     * @param allocator memory for one batch at a time, released before returning
     * @return data rows written
     */
    public long writeArrowFile(
            WritableByteChannel out, Collection<String> runIds, List<String> metrics, BufferAllocator allocator)
            throws IOException {
        return writeArrow(out, runIds, metrics, allocator, false);
    }

    /**
     * The same table as {@link #writeArrowFile} as an Arrow IPC stream (no footer, so readers can
     * consume it while it arrives, e.g. {@code pyarrow.ipc.open_stream} or polars' {@code
     * read_ipc_stream}).
     */
    public long writeArrowStream(
            WritableByteChannel out, Collection<String> runIds, List<String> metrics, BufferAllocator allocator)
            throws IOException {
        return writeArrow(out, runIds, metrics, allocator, true);
    }

    private long writeArrow(
            WritableByteChannel out,
            Collection<String> runIds,
            List<String> metrics,
            BufferAllocator allocator,
            boolean stream)
            throws IOException {
        List<String> columns = metrics != null ? metrics : unionOfMetrics(runIds);
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("run", FieldType.notNullable(new ArrowType.Utf8()), null));
        fields.addAll(MetricFileFormat.schema(
                        columns.stream().map(MetricExport::column).toList())
                .getFields());
        Schema schema = new Schema(fields, Map.of(MetricFileFormat.FORMAT_KEY, "metrics-export/1"));
        long[] rows = {0};
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                ArrowWriter writer =
                        stream ? new ArrowStreamWriter(root, null, out) : new ArrowFileWriter(root, null, out)) {
            writer.start();
            for (String runId : runIds) {
                byte[] run = runId.getBytes(StandardCharsets.UTF_8);
                forEachBatch(runId, batch -> {
                    int n = batch.size();
                    root.clear();
                    VarCharVector runs = (VarCharVector) root.getVector(0);
                    BigIntVector steps = (BigIntVector) root.getVector(1);
                    BigIntVector times = (BigIntVector) root.getVector(2);
                    runs.allocateNew((long) run.length * n, n);
                    steps.allocateNew(n);
                    times.allocateNew(n);
                    for (int r = 0; r < n; r++) {
                        runs.set(r, run);
                        steps.set(r, batch.step(r));
                        times.set(r, batch.timeMs(r));
                    }
                    for (int c = 0; c < columns.size(); c++) {
                        Float8Vector v = (Float8Vector) root.getVector(3 + c);
                        v.allocateNew(n);
                        int m = batch.metricIndex(columns.get(c));
                        for (int r = 0; r < n; r++) {
                            if (m >= 0 && batch.isPresent(m, r)) {
                                v.set(r, batch.value(m, r));
                            } else {
                                v.setNull(r);
                            }
                        }
                    }
                    root.setRowCount(n);
                    try {
                        writer.writeBatch();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    rows[0] += n;
                });
            }
            writer.end();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return rows[0];
    }

    /**
     * Parquet in long format: {@code run} (UTF-8), {@code step}, {@code time_ms} (int64), {@code metric}
     * (UTF-8), {@code value} (float64, bit for bit); a row exists only where a value was logged, so a
     * NaN value is a logged NaN.
     *
     * @param metrics metrics to include, or null for all
     * @return data rows written
     */
    public long writeParquetLong(OutputStream out, Collection<String> runIds, Set<String> metrics) throws IOException {
        List<ParquetTableWriter.Column> schema = List.of(
                ParquetTableWriter.Column.required("run", ParquetTableWriter.Type.UTF8),
                ParquetTableWriter.Column.required(MetricNames.STEP, ParquetTableWriter.Type.INT64),
                ParquetTableWriter.Column.required(MetricNames.TIME_MS, ParquetTableWriter.Type.INT64),
                ParquetTableWriter.Column.required("metric", ParquetTableWriter.Type.UTF8),
                ParquetTableWriter.Column.required("value", ParquetTableWriter.Type.DOUBLE));
        long[] rows = {0};
        try (ParquetTableWriter w =
                new ParquetTableWriter(out, schema, Map.of(MetricFileFormat.FORMAT_KEY, "metrics-export-long/1"))) {
            for (String runId : runIds) {
                forEachBatch(runId, batch -> {
                    List<String> names = batch.metrics();
                    for (int r = 0; r < batch.size(); r++) {
                        for (int m = 0; m < names.size(); m++) {
                            if ((metrics == null || metrics.contains(names.get(m))) && batch.isPresent(m, r)) {
                                w.setString(0, runId);
                                w.setLong(1, batch.step(r));
                                w.setLong(2, batch.timeMs(r));
                                w.setString(3, names.get(m));
                                w.setDouble(4, batch.value(m, r));
                                w.endRow();
                                rows[0]++;
                            }
                        }
                    }
                });
            }
        }
        return rows[0];
    }

    /**
     * Parquet in wide format: {@code run}, {@code step}, {@code time_ms}, then one optional float64
     * column per metric (named as in {@link #column(String)}); null means not logged, NaN a logged NaN.
     * As in the wide CSV, a row is written when at least one selected metric was logged at it.
     *
     * @param metrics columns, or null for every metric of the selected runs in order of appearance
     * @return data rows written
     */
    public long writeParquetWide(OutputStream out, Collection<String> runIds, List<String> metrics) throws IOException {
        List<String> columns = metrics != null ? metrics : unionOfMetrics(runIds);
        List<ParquetTableWriter.Column> schema = new ArrayList<>(List.of(
                ParquetTableWriter.Column.required("run", ParquetTableWriter.Type.UTF8),
                ParquetTableWriter.Column.required(MetricNames.STEP, ParquetTableWriter.Type.INT64),
                ParquetTableWriter.Column.required(MetricNames.TIME_MS, ParquetTableWriter.Type.INT64)));
        for (String c : columns) {
            schema.add(ParquetTableWriter.Column.optional(column(c), ParquetTableWriter.Type.DOUBLE));
        }
        long[] rows = {0};
        try (ParquetTableWriter w =
                new ParquetTableWriter(out, schema, Map.of(MetricFileFormat.FORMAT_KEY, "metrics-export-wide/1"))) {
            for (String runId : runIds) {
                forEachBatch(runId, batch -> {
                    int[] index = new int[columns.size()];
                    for (int c = 0; c < index.length; c++) {
                        index[c] = batch.metricIndex(columns.get(c));
                    }
                    for (int r = 0; r < batch.size(); r++) {
                        boolean any = false;
                        for (int m : index) {
                            any |= m >= 0 && batch.isPresent(m, r);
                        }
                        if (!any) {
                            continue;
                        }
                        w.setString(0, runId);
                        w.setLong(1, batch.step(r));
                        w.setLong(2, batch.timeMs(r));
                        for (int c = 0; c < index.length; c++) {
                            int m = index[c];
                            if (m >= 0 && batch.isPresent(m, r)) {
                                w.setDouble(3 + c, batch.value(m, r));
                            } else {
                                w.setNull(3 + c);
                            }
                        }
                        w.endRow();
                        rows[0]++;
                    }
                });
            }
        }
        return rows[0];
    }

    private List<String> unionOfMetrics(Collection<String> runIds) {
        Set<String> names = new LinkedHashSet<>();
        for (String id : runIds) {
            names.addAll(store.metrics(id));
        }
        return new ArrayList<>(names);
    }

    private interface BatchConsumer {
        void accept(MetricBatch batch) throws IOException;
    }

    private void forEachBatch(String runId, BatchConsumer consumer) throws IOException {
        try {
            store.forEachBatch(runId, b -> {
                try {
                    consumer.accept(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void write(Writer out, CharSequence s) throws IOException {
        out.append(s);
    }

    /**
     * The shortest decimal text that parses back to exactly {@code value} (Schubfach, as JDK 19+'s
     * {@code Double.toString}, through Jackson's {@link com.fasterxml.jackson.core.io.NumberOutput}):
     * {@code 1.0E23}, {@code 0.1}, {@code -0.0}, {@code NaN}, {@code Infinity}.
     */
    public static String formatValue(double value) {
        return com.fasterxml.jackson.core.io.NumberOutput.toString(value, true);
    }

    /** Column of a metric in wide and Arrow exports: its name, unless that is a fixed column's. */
    public static String column(String metric) {
        return switch (metric) {
            case "run", MetricNames.STEP, MetricNames.TIME_MS, "time" -> "metric:" + metric;
            default -> metric;
        };
    }

    /**
     * A text cell made safe: a leading {@code = + - @}, tab or carriage return gets an apostrophe in
     * front (formula injection), and the cell is quoted when it holds a comma, quote or line break.
     */
    public static String csvText(String text) {
        String s = text;
        if (!s.isEmpty()) {
            char c = s.charAt(0);
            if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
                s = "'" + s;
            }
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
