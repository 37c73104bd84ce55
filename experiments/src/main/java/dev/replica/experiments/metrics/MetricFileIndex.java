package dev.replica.experiments.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Where every complete record batch of a metric file lies, built from message headers alone, so that
 * one column can be decoded without touching the others: a chart of {@code loss} reads the {@code
 * step} and {@code loss} buffers of each batch straight from the (memory-mapped) file and skips every
 * other metric and {@code time_ms}.
 *
 * <p>The layout relied on is the IPC format's: a batch body holds, per field in schema order, a
 * validity bitmap buffer (possibly empty when the field has no nulls) and a data buffer; our files are
 * never compressed. An index is immutable; {@link #extend} indexes bytes appended since.
 */
final class MetricFileIndex {
    /** A segment's schema with its column positions. */
    static final class Segment {
        final Schema schema;
        final Map<String, Integer> fieldIndex = new HashMap<>();

        Segment(Schema schema) {
            this.schema = schema;
            List<Field> fields = schema.getFields();
            for (int i = 0; i < fields.size(); i++) {
                fieldIndex.put(fields.get(i).getName(), i);
            }
        }
    }

    /**
     * One record batch.
     *
     * @param segment its schema
     * @param bodyStart file offset of the body
     * @param rows row count
     * @param buffers per buffer (two per field: validity, data) its offset and length within the body,
     *     interleaved
     * @param nullCounts per field
     */
    record Batch(Segment segment, long bodyStart, int rows, long[] buffers, long[] nullCounts) {}

    static final MetricFileIndex EMPTY = new MetricFileIndex(List.of(), List.of(), MetricFileScanner.Position.START);

    private final List<Segment> segments;
    private final List<Batch> batches;
    private final MetricFileScanner.Position end;
    private final List<String> metrics;

    private MetricFileIndex(List<Segment> segments, List<Batch> batches, MetricFileScanner.Position end) {
        this.segments = segments;
        this.batches = batches;
        this.end = end;
        Set<String> names = new LinkedHashSet<>();
        for (Segment s : segments) {
            names.addAll(MetricFileFormat.metricsOf(s.schema));
        }
        this.metrics = List.copyOf(names);
    }

    /** Complete batches, in file order. */
    List<Batch> batches() {
        return batches;
    }

    /** Where the scan stopped. */
    MetricFileScanner.Position end() {
        return end;
    }

    /** Total rows. */
    long rows() {
        return end.rows();
    }

    /** Metric names of every segment, in order of first appearance. */
    List<String> metrics() {
        return metrics;
    }

    /**
     * This index plus the batches in {@code source} after it. When {@code restart} is true the file is
     * indexed again from its start (it was rewritten or shrank).
     */
    MetricFileIndex extend(MetricFileScanner.Source source, BufferAllocator allocator, boolean restart)
            throws IOException {
        List<Segment> segs = new ArrayList<>(restart ? List.of() : segments);
        List<Batch> list = new ArrayList<>(restart ? List.of() : batches);
        MetricFileScanner.Position from = restart ? MetricFileScanner.Position.START : end.resumable();
        Segment[] current = {from.schema() == null ? null : lastSegment(segs, from.schema())};
        MetricFileScanner.Position stop =
                MetricFileScanner.scan(source, from, allocator, new MetricFileScanner.Visitor() {
                    @Override
                    public void batch(VectorSchemaRoot root) {}

                    @Override
                    public boolean wantsBatches() {
                        return false;
                    }

                    @Override
                    public void schema(Schema schema) {
                        current[0] = new Segment(schema);
                        segs.add(current[0]);
                    }

                    @Override
                    public void batchHeader(long bodyStart, org.apache.arrow.flatbuf.RecordBatch header) {
                        int fields = current[0].schema.getFields().size();
                        long[] buffers = new long[4 * fields];
                        for (int b = 0; b < 2 * fields; b++) {
                            org.apache.arrow.flatbuf.Buffer buffer = header.buffers(b);
                            buffers[2 * b] = buffer.offset();
                            buffers[2 * b + 1] = buffer.length();
                        }
                        long[] nulls = new long[fields];
                        for (int f = 0; f < fields; f++) {
                            nulls[f] = header.nodes(f).nullCount();
                        }
                        list.add(new Batch(current[0], bodyStart, (int) header.length(), buffers, nulls));
                    }
                });
        return new MetricFileIndex(Collections.unmodifiableList(segs), Collections.unmodifiableList(list), stop);
    }

    private static Segment lastSegment(List<Segment> segs, Schema schema) {
        Segment last = segs.isEmpty() ? null : segs.get(segs.size() - 1);
        return last != null && last.schema.equals(schema) ? last : new Segment(schema);
    }

    /** Copies field {@code field} (int64) of batches {@code [from, batches)} into {@code dst} at {@code at}. */
    void readLongs(MetricFileScanner.Source source, int field, int from, long[] dst, int at) throws IOException {
        int row = at;
        for (int i = from; i < batches.size(); i++) {
            Batch b = batches.get(i);
            if (b.rows > 0) {
                source.slice(b.bodyStart + b.buffers[4 * field + 2], 8 * b.rows)
                        .asLongBuffer()
                        .get(dst, row, b.rows);
            }
            row += b.rows;
        }
    }

    /**
     * Copies metric {@code name} (float64) of batches {@code [from, batches)} into {@code dst} at {@code
     * at}, marking present rows in {@code present}.
     *
     * @return whether every row of those batches is present
     */
    boolean readDoubles(MetricFileScanner.Source source, String name, int from, double[] dst, BitSet present, int at)
            throws IOException {
        boolean dense = true;
        int row = at;
        for (int i = from; i < batches.size(); i++) {
            Batch b = batches.get(i);
            Integer field = b.segment.fieldIndex.get(name);
            if (field == null || b.nullCounts[field] == b.rows) {
                dense &= b.rows == 0;
            } else {
                long bodyStart = b.bodyStart;
                source.slice(bodyStart + b.buffers[4 * field + 2], 8 * b.rows)
                        .asDoubleBuffer()
                        .get(dst, row, b.rows);
                if (b.nullCounts[field] == 0) {
                    present.set(row, row + b.rows);
                } else {
                    dense = false;
                    ByteBuffer validity = source.slice(bodyStart + b.buffers[4 * field], (b.rows + 7) / 8);
                    for (int r = 0; r < b.rows; r++) {
                        if ((validity.get(r >>> 3) & (1 << (r & 7))) != 0) {
                            present.set(row + r);
                        }
                    }
                }
            }
            row += b.rows;
        }
        return dense;
    }
}
