package dev.replica.experiments.metrics;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of one run, decoded into plain arrays (immutable snapshot): the steps always, and the times and
 * metric columns that were asked for (a chart of one metric decodes just that column; see {@link
 * MetricStore#read(String, Projection)}). This is what the bounded decode cache holds and what series
 * queries read; values keep their exact bits.
 */
public final class RunData {
    private final String runId;
    private final int size;
    private final long[] steps;
    private final long[] timesMs;
    private final Map<String, Column> columns;
    private volatile Boolean stepsAscending;
    private volatile Boolean timesAscending;
    private volatile double[] stepsAsDoubles;
    private volatile double[] timesAsDoubles;

    RunData(String runId, int size, long[] steps, long[] timesMs, Map<String, Column> columns) {
        this.runId = runId;
        this.size = size;
        this.steps = steps;
        this.timesMs = timesMs;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    static RunData empty(String runId) {
        return new RunData(runId, 0, new long[0], new long[0], Map.of());
    }

    /** The run id. */
    public String runId() {
        return runId;
    }

    /** Number of rows. */
    public int size() {
        return size;
    }

    /** Step of {@code row}. */
    public long step(int row) {
        return steps[checked(row)];
    }

    /**
     * Time in milliseconds of {@code row}.
     *
     * @throws IllegalStateException when this snapshot was read without times
     */
    public long timeMs(int row) {
        return timesArray()[checked(row)];
    }

    /** Metric names held, in order of first appearance (every metric of the run unless projected). */
    public List<String> metrics() {
        return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
    }

    /** Whether this snapshot holds a column {@code metric}. */
    public boolean hasMetric(String metric) {
        return columns.containsKey(metric);
    }

    /** Whether {@code metric} was logged at {@code row}. */
    public boolean isPresent(String metric, int row) {
        Column c = columns.get(metric);
        return c != null && c.isPresent(checked(row));
    }

    /** Value of {@code metric} at {@code row}; NaN when not logged (check {@link #isPresent}). */
    public double value(String metric, int row) {
        Column c = columns.get(metric);
        return c == null || !c.isPresent(checked(row)) ? Double.NaN : c.values[row];
    }

    /** Whether the times were decoded. */
    boolean hasTimes() {
        return timesMs != null;
    }

    /**
     * Approximate heap footprint, for the cache's budget; counts the double copies of the x columns that
     * charts may create later.
     */
    long bytes() {
        long b = 64 + 16L * steps.length + (timesMs == null ? 0 : 16L * timesMs.length);
        for (Column c : columns.values()) {
            b += 64 + 8L * c.values.length + (c.present == null ? 0 : c.present.size() / 8);
        }
        return b;
    }

    /** The column of {@code metric}, or null. */
    Column column(String metric) {
        return columns.get(metric);
    }

    /** The columns held, by name. */
    Map<String, Column> columns() {
        return columns;
    }

    /** Raw step array (not copied; never modified after construction). */
    long[] stepsArray() {
        return steps;
    }

    /** Raw time array (not copied; never modified after construction). */
    long[] timesArray() {
        if (timesMs == null) {
            throw new IllegalStateException("run " + runId + " was read without its time_ms column");
        }
        return timesMs;
    }

    /** The steps as doubles, for x axes (computed once, then shared: never write to it). */
    double[] stepsAsDoubles() {
        double[] v = stepsAsDoubles;
        if (v == null) {
            v = toDoubles(steps);
            stepsAsDoubles = v;
        }
        return v;
    }

    /** The times as doubles (computed once, then shared: never write to it). */
    double[] timesAsDoubles() {
        double[] v = timesAsDoubles;
        if (v == null) {
            v = toDoubles(timesArray());
            timesAsDoubles = v;
        }
        return v;
    }

    private static double[] toDoubles(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Whether steps never decrease from row to row (computed once). */
    boolean stepsAscending() {
        Boolean v = stepsAscending;
        if (v == null) {
            v = ascending(steps, size);
            stepsAscending = v;
        }
        return v;
    }

    /** Whether times never decrease from row to row (computed once). */
    boolean timesAscending() {
        Boolean v = timesAscending;
        if (v == null) {
            v = ascending(timesArray(), size);
            timesAscending = v;
        }
        return v;
    }

    private static boolean ascending(long[] a, int n) {
        for (int i = 1; i < n; i++) {
            if (a[i] < a[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private int checked(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        return row;
    }

    /**
     * One metric's values by row; {@code present} marks the rows where it was logged, or is null when
     * it was logged at every row (values of absent rows are unspecified).
     */
    static final class Column {
        final double[] values;
        final BitSet present;

        Column(double[] values, BitSet present) {
            this.values = values;
            this.present = present;
        }

        boolean isPresent(int row) {
            return present == null || present.get(row);
        }

        /** Number of rows where the metric was logged, among the first {@code size}. */
        int count(int size) {
            return present == null ? size : present.get(0, size).cardinality();
        }
    }
}
