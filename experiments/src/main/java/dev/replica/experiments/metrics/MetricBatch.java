package dev.replica.experiments.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, columnar batch of metric rows: the unit of {@link MetricStore#append}. Each row has a
 * step, a time in milliseconds and a value for any subset of the batch's metrics; a metric not set in
 * a row is null there. Values are kept bit for bit (NaN payloads, -0.0, infinities).
 *
 * <p>Build one with {@link #builder()}, from rows with {@link #of(List)}, or for one dense metric with
 * {@link #dense(String, long[], long[], double[])}.
 */
public final class MetricBatch {
    private static final MetricBatch EMPTY =
            new MetricBatch(new long[0], new long[0], List.of(), new double[0][], new BitSet[0]);

    private final long[] steps;
    private final long[] timesMs;
    private final List<String> metrics;
    private final Map<String, Integer> index;
    private final double[][] values;
    /** Per metric, the rows where it is present; {@code null} means present in every row. */
    private final BitSet[] present;

    private MetricBatch(long[] steps, long[] timesMs, List<String> metrics, double[][] values, BitSet[] present) {
        this.steps = steps;
        this.timesMs = timesMs;
        this.metrics = Collections.unmodifiableList(metrics);
        this.values = values;
        this.present = present;
        Map<String, Integer> idx = new LinkedHashMap<>();
        for (int m = 0; m < metrics.size(); m++) {
            idx.put(metrics.get(m), m);
        }
        this.index = idx;
    }

    /** A batch with no rows. */
    public static MetricBatch empty() {
        return EMPTY;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A batch holding {@code rows} in order. */
    public static MetricBatch of(List<MetricRow> rows) {
        Builder b = builder();
        for (MetricRow row : rows) {
            b.row(row.step(), row.timeMs());
            row.values().forEach(b::set);
        }
        return b.build();
    }

    /** A batch holding {@code rows} in order. */
    public static MetricBatch of(MetricRow... rows) {
        return of(Arrays.asList(rows));
    }

    /**
     * A batch of one metric present in every row; the arrays are copied.
     *
     * @throws IllegalArgumentException when the arrays differ in length or the name is invalid
     */
    public static MetricBatch dense(String metric, long[] steps, long[] timesMs, double[] values) {
        MetricNames.requireValid(metric);
        if (steps.length != timesMs.length || steps.length != values.length) {
            throw new IllegalArgumentException("steps, timesMs and values differ in length: " + steps.length + ", "
                    + timesMs.length + ", " + values.length);
        }
        return new MetricBatch(
                steps.clone(),
                timesMs.clone(),
                new ArrayList<>(List.of(metric)),
                new double[][] {values.clone()},
                new BitSet[] {null});
    }

    /**
     * Copies the rows of {@code root} (laid out {@code step, time_ms, float64 metrics...}); metric
     * columns that are null in every row are left out.
     */
    static MetricBatch fromRoot(org.apache.arrow.vector.VectorSchemaRoot root) {
        int n = root.getRowCount();
        long[] s = new long[n];
        long[] t = new long[n];
        org.apache.arrow.vector.BigIntVector sv = (org.apache.arrow.vector.BigIntVector) root.getVector(0);
        org.apache.arrow.vector.BigIntVector tv = (org.apache.arrow.vector.BigIntVector) root.getVector(1);
        for (int r = 0; r < n; r++) {
            s[r] = sv.get(r);
            t[r] = tv.get(r);
        }
        List<String> names = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        List<BitSet> pres = new ArrayList<>();
        for (int c = 2; c < root.getFieldVectors().size(); c++) {
            org.apache.arrow.vector.Float8Vector v = (org.apache.arrow.vector.Float8Vector) root.getVector(c);
            int nulls = v.getNullCount();
            if (nulls == n) {
                continue;
            }
            double[] d = new double[n];
            BitSet p = nulls == 0 ? null : new BitSet(n);
            for (int r = 0; r < n; r++) {
                if (nulls == 0 || !v.isNull(r)) {
                    d[r] = Double.longBitsToDouble(v.getDataBuffer().getLong((long) r * 8));
                    if (p != null) {
                        p.set(r);
                    }
                }
            }
            names.add(v.getName());
            vals.add(d);
            pres.add(p);
        }
        return new MetricBatch(s, t, names, vals.toArray(new double[0][]), pres.toArray(new BitSet[0]));
    }

    /** Number of rows. */
    public int size() {
        return steps.length;
    }

    /** Whether the batch has no rows. */
    public boolean isEmpty() {
        return steps.length == 0;
    }

    /** Step of row {@code row}. */
    public long step(int row) {
        return steps[row];
    }

    /** Time in milliseconds of row {@code row}. */
    public long timeMs(int row) {
        return timesMs[row];
    }

    /** The metric names of this batch, in order of first appearance. */
    public List<String> metrics() {
        return metrics;
    }

    /** Position of {@code metric} in {@link #metrics()}, or -1. */
    public int metricIndex(String metric) {
        Integer i = index.get(metric);
        return i == null ? -1 : i;
    }

    /** Whether metric number {@code metric} was logged in row {@code row}. */
    public boolean isPresent(int metric, int row) {
        BitSet p = present[metric];
        return p == null || p.get(row);
    }

    /** Value of metric number {@code metric} in row {@code row}; meaningless when not present. */
    public double value(int metric, int row) {
        return values[metric][row];
    }

    /** The rows as records (allocates; prefer the indexed accessors on hot paths). */
    public List<MetricRow> rows() {
        List<MetricRow> rows = new ArrayList<>(size());
        for (int r = 0; r < size(); r++) {
            Map<String, Double> v = new LinkedHashMap<>();
            for (int m = 0; m < metrics.size(); m++) {
                if (isPresent(m, r)) {
                    v.put(metrics.get(m), values[m][r]);
                }
            }
            rows.add(new MetricRow(steps[r], timesMs[r], v));
        }
        return rows;
    }

    @Override
    public String toString() {
        return "MetricBatch[rows=" + size() + ", metrics=" + metrics + "]";
    }

    /**
     * Accumulates rows; {@link #row(long, long)} starts a row, {@link #set(String, double)} logs a value
     * in it. Not thread-safe.
     */
    public static final class Builder {
        private long[] steps = new long[16];
        private long[] timesMs = new long[16];
        private int size;
        private final List<String> metrics = new ArrayList<>();
        private final Map<String, Integer> index = new LinkedHashMap<>();
        private final List<double[]> values = new ArrayList<>();
        private final List<BitSet> present = new ArrayList<>();

        private Builder() {}

        /** Starts a new row. */
        public Builder row(long step, long timeMs) {
            if (size == steps.length) {
                int cap = size * 2;
                steps = Arrays.copyOf(steps, cap);
                timesMs = Arrays.copyOf(timesMs, cap);
                for (int m = 0; m < values.size(); m++) {
                    values.set(m, Arrays.copyOf(values.get(m), cap));
                }
            }
            steps[size] = step;
            timesMs[size] = timeMs;
            size++;
            return this;
        }

        /**
         * Logs {@code value} for {@code metric} in the current row.
         *
         * @throws IllegalStateException when no row was started or the metric is already set in it
         * @throws IllegalArgumentException when the name is invalid
         */
        public Builder set(String metric, double value) {
            if (size == 0) {
                throw new IllegalStateException("call row(step, timeMs) before set(" + metric + ")");
            }
            Integer m = index.get(metric);
            if (m == null) {
                MetricNames.requireValid(metric);
                m = metrics.size();
                metrics.add(metric);
                index.put(metric, m);
                values.add(new double[steps.length]);
                present.add(new BitSet());
            }
            int row = size - 1;
            BitSet p = present.get(m);
            if (p.get(row)) {
                throw new IllegalStateException("metric '" + metric + "' set twice at step " + steps[row]);
            }
            p.set(row);
            values.get(m)[row] = value;
            return this;
        }

        /** Appends every row of {@code batch}. */
        public Builder addAll(MetricBatch batch) {
            for (int r = 0; r < batch.size(); r++) {
                row(batch.step(r), batch.timeMs(r));
                for (int m = 0; m < batch.metrics().size(); m++) {
                    if (batch.isPresent(m, r)) {
                        set(batch.metrics().get(m), batch.value(m, r));
                    }
                }
            }
            return this;
        }

        /** Whether the current row already has {@code metric}. */
        public boolean currentRowHas(String metric) {
            Integer m = index.get(metric);
            return size > 0 && m != null && present.get(m).get(size - 1);
        }

        /** Step of the current row. */
        public long currentStep() {
            if (size == 0) {
                throw new IllegalStateException("no row");
            }
            return steps[size - 1];
        }

        /** Rows so far. */
        public int size() {
            return size;
        }

        /** The batch; the builder can be reused only after {@link #clear()}. */
        public MetricBatch build() {
            if (size == 0) {
                return EMPTY;
            }
            double[][] v = new double[metrics.size()][];
            BitSet[] p = new BitSet[metrics.size()];
            for (int m = 0; m < v.length; m++) {
                v[m] = Arrays.copyOf(values.get(m), size);
                BitSet bits = present.get(m);
                p[m] = bits.cardinality() == size ? null : (BitSet) bits.clone();
            }
            return new MetricBatch(
                    Arrays.copyOf(steps, size), Arrays.copyOf(timesMs, size), new ArrayList<>(metrics), v, p);
        }

        /** Forgets every row and metric. */
        public Builder clear() {
            size = 0;
            metrics.clear();
            index.clear();
            values.clear();
            present.clear();
            return this;
        }
    }

    /** Equal when steps, times, metric order, presence and every value's bits are equal. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MetricBatch)) {
            return false;
        }
        MetricBatch b = (MetricBatch) o;
        if (!Arrays.equals(steps, b.steps) || !Arrays.equals(timesMs, b.timesMs) || !metrics.equals(b.metrics)) {
            return false;
        }
        for (int m = 0; m < metrics.size(); m++) {
            for (int r = 0; r < size(); r++) {
                if (isPresent(m, r) != b.isPresent(m, r)) {
                    return false;
                }
                if (isPresent(m, r)
                        && Double.doubleToRawLongBits(values[m][r]) != Double.doubleToRawLongBits(b.values[m][r])) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(steps), metrics);
    }
}
