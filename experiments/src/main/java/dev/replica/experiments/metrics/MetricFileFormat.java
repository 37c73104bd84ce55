package dev.replica.experiments.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The column layout of a metric segment and its serialization to IPC stream messages. */
final class MetricFileFormat {
    static final String FORMAT_KEY = "replica.format";
    static final String FORMAT_VALUE = "metrics/1";
    /**
     * Said in every segment's schema, since a plain Arrow reader of the store file sees only its first
     * segment and no error: what to read instead.
     */
    static final String READ_WITH_KEY = "replica.read-with";

    static final String READ_WITH = "This file is Replica's metric store: IPC streams, one per schema segment."
            + " Arrow readers see only the first segment. Read a run whole with `replica export --runs ID --format"
            + " arrow` or GET /api/export/metrics?runs=ID&format=arrow (one schema, every row).";
    static final ArrowType INT64 = new ArrowType.Int(64, true);
    static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    /** End-of-stream marker: continuation token then a zero length. */
    static final byte[] EOS = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0};

    private MetricFileFormat() {}

    /** Schema {@code step, time_ms, metrics...}. */
    static Schema schema(List<String> metrics) {
        List<Field> fields = new ArrayList<>(metrics.size() + 2);
        fields.add(new Field(MetricNames.STEP, FieldType.notNullable(INT64), null));
        fields.add(new Field(MetricNames.TIME_MS, FieldType.notNullable(INT64), null));
        for (String m : metrics) {
            fields.add(new Field(m, FieldType.nullable(FLOAT64), null));
        }
        return new Schema(fields, Map.of(FORMAT_KEY, FORMAT_VALUE, READ_WITH_KEY, READ_WITH));
    }

    /** The metric names of a segment schema, after checking it is one of ours. */
    static List<String> metricsOf(Schema schema) {
        String problem = problem(schema);
        if (problem != null) {
            throw new MetricStoreException(problem);
        }
        List<Field> fields = schema.getFields();
        List<String> metrics = new ArrayList<>(fields.size() - 2);
        for (int i = 2; i < fields.size(); i++) {
            metrics.add(fields.get(i).getName());
        }
        return metrics;
    }

    /** Why {@code schema} is not a metric schema, or null when it is. */
    static String problem(Schema schema) {
        List<Field> fields = schema.getFields();
        if (fields.size() < 2
                || !fields.get(0).getName().equals(MetricNames.STEP)
                || !fields.get(0).getType().equals(INT64)
                || !fields.get(1).getName().equals(MetricNames.TIME_MS)
                || !fields.get(1).getType().equals(INT64)) {
            return "schema must start with columns step int64, time_ms int64; got " + fields;
        }
        for (int i = 2; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (!f.getType().equals(FLOAT64)) {
                return "metric column '" + f.getName() + "' must be float64, got " + f.getType();
            }
            String nameProblem = MetricNames.problem(f.getName());
            if (nameProblem != null) {
                return "column " + i + ": " + nameProblem;
            }
        }
        return null;
    }

    /** Bytes of one record batch message holding {@code batch} laid out as {@code schema}. */
    static void writeBatch(WriteChannel out, Schema schema, MetricBatch batch, BufferAllocator allocator)
            throws IOException {
        int n = batch.size();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            BigIntVector steps = (BigIntVector) root.getVector(0);
            BigIntVector times = (BigIntVector) root.getVector(1);
            steps.allocateNew(n);
            times.allocateNew(n);
            for (int r = 0; r < n; r++) {
                steps.set(r, batch.step(r));
                times.set(r, batch.timeMs(r));
            }
            List<Field> fields = schema.getFields();
            for (int c = 2; c < fields.size(); c++) {
                Float8Vector v = (Float8Vector) root.getVector(c);
                v.allocateNew(n);
                int m = batch.metricIndex(fields.get(c).getName());
                if (m >= 0) {
                    for (int r = 0; r < n; r++) {
                        if (batch.isPresent(m, r)) {
                            v.set(r, batch.value(m, r));
                        } else {
                            v.setNull(r);
                        }
                    }
                } else {
                    for (int r = 0; r < n; r++) {
                        v.setNull(r);
                    }
                }
                v.setValueCount(n);
            }
            steps.setValueCount(n);
            times.setValueCount(n);
            root.setRowCount(n);
            try (ArrowRecordBatch arb = new VectorUnloader(root).getRecordBatch()) {
                MessageSerializer.serialize(out, arb);
            }
        }
    }

    /** A growable in-memory sink for assembling the bytes of one append before writing them. */
    static final class Buffer extends ByteArrayOutputStream {
        final WriteChannel channel = new WriteChannel(Channels.newChannel(this));

        Buffer(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
