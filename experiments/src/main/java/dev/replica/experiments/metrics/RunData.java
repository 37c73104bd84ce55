package dev.replica.experiments.metrics;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Every row of one run, decoded into plain arrays (immutable snapshot). This is what the bounded
 * decode cache holds and what series queries read; values keep their exact bits.
 */
public final class RunData {
  private final String runId;
  private final int size;
  private final long[] steps;
  private final long[] timesMs;
  private final Map<String, Column> columns;

  private RunData(String runId, int size, long[] steps, long[] timesMs, Map<String, Column> columns) {
    this.runId = runId;
    this.size = size;
    this.steps = steps;
    this.timesMs = timesMs;
    this.columns = columns;
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

  /** Time in milliseconds of {@code row}. */
  public long timeMs(int row) {
    return timesMs[checked(row)];
  }

  /** Metric names in order of first appearance. */
  public List<String> metrics() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  /** Whether the run has a column {@code metric}. */
  public boolean hasMetric(String metric) {
    return columns.containsKey(metric);
  }

  /** Whether {@code metric} was logged at {@code row}. */
  public boolean isPresent(String metric, int row) {
    Column c = columns.get(metric);
    return c != null && c.present.get(checked(row));
  }

  /** Value of {@code metric} at {@code row}; NaN when not logged (check {@link #isPresent}). */
  public double value(String metric, int row) {
    Column c = columns.get(metric);
    return c == null || !c.present.get(checked(row)) ? Double.NaN : c.values[row];
  }

  /** Approximate heap footprint, for the cache's budget. */
  long bytes() {
    long b = 64 + 16L * steps.length;
    for (Column c : columns.values()) {
      b += 64 + 8L * c.values.length + c.present.size() / 8;
    }
    return b;
  }

  /** The rows where {@code metric} is present, as parallel arrays (copied). */
  MetricColumnView column(String metric) {
    Column c = columns.get(metric);
    if (c == null) {
      return new MetricColumnView(new int[0], new double[0]);
    }
    int[] rows = new int[c.present.cardinality()];
    double[] values = new double[rows.length];
    int k = 0;
    for (int r = c.present.nextSetBit(0); r >= 0 && r < size; r = c.present.nextSetBit(r + 1)) {
      rows[k] = r;
      values[k] = c.values[r];
      k++;
    }
    return new MetricColumnView(k == rows.length ? rows : Arrays.copyOf(rows, k),
        k == rows.length ? values : Arrays.copyOf(values, k));
  }

  /** Raw step array (not copied; never modified after construction). */
  long[] stepsArray() {
    return steps;
  }

  /** Raw time array (not copied; never modified after construction). */
  long[] timesArray() {
    return timesMs;
  }

  private int checked(int row) {
    if (row < 0 || row >= size) {
      throw new IndexOutOfBoundsException("row " + row + " of " + size);
    }
    return row;
  }

  /** Rows of a run where one metric is present. */
  record MetricColumnView(int[] rows, double[] values) {}

  private static final class Column {
    final double[] values;
    final BitSet present;

    Column(double[] values, BitSet present) {
      this.values = values;
      this.present = present;
    }
  }

  /** Accumulates decoded record batches. */
  static final class Builder {
    private final String runId;
    private int size;
    private long[] steps;
    private long[] timesMs;
    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final Map<String, BitSet> present = new LinkedHashMap<>();

    Builder(String runId) {
      this(runId, 1024);
    }

    /** A builder sized for {@code expectedRows} (exact sizing avoids a copy in {@link #build()}). */
    Builder(String runId, long expectedRows) {
      this.runId = runId;
      int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, expectedRows));
      steps = new long[cap];
      timesMs = new long[cap];
    }

    /** A builder that continues {@code base} (copies its arrays) with room for {@code extraRows}. */
    Builder(RunData base, long extraRows) {
      this.runId = base.runId;
      this.size = base.size;
      int cap = (int) Math.min(Integer.MAX_VALUE - 8, base.size + Math.max(0, extraRows));
      steps = Arrays.copyOf(base.steps, cap);
      timesMs = Arrays.copyOf(base.timesMs, cap);
      base.columns.forEach((name, c) -> {
        values.put(name, Arrays.copyOf(c.values, cap));
        present.put(name, (BitSet) c.present.clone());
      });
    }

    private void ensure(int extra) {
      int need = size + extra;
      if (need <= steps.length) {
        return;
      }
      int cap = Math.max(need, Math.max(1024, steps.length * 2));
      steps = Arrays.copyOf(steps, cap);
      timesMs = Arrays.copyOf(timesMs, cap);
      values.replaceAll((k, v) -> Arrays.copyOf(v, cap));
    }

    void add(VectorSchemaRoot root) {
      int n = root.getRowCount();
      ensure(n);
      copyLongs((BigIntVector) root.getVector(0), steps, size, n);
      copyLongs((BigIntVector) root.getVector(1), timesMs, size, n);
      List<Field> fields = root.getSchema().getFields();
      for (int c = 2; c < fields.size(); c++) {
        String name = fields.get(c).getName();
        Float8Vector v = (Float8Vector) root.getVector(c);
        int nulls = v.getNullCount();
        if (nulls == n) {
          continue;
        }
        double[] dst = values.computeIfAbsent(name, k -> new double[steps.length]);
        BitSet bits = present.computeIfAbsent(name, k -> new BitSet());
        // Bulk copy of the raw 8-byte values (bits preserved); nulls are masked by the bit set.
        v.getDataBuffer().nioBuffer(0, n * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
            .get(dst, size, n);
        if (nulls == 0) {
          bits.set(size, size + n);
        } else {
          for (int r = 0; r < n; r++) {
            if (!v.isNull(r)) {
              bits.set(size + r);
            }
          }
        }
      }
      size += n;
    }

    private static void copyLongs(BigIntVector v, long[] dst, int offset, int n) {
      v.getDataBuffer().nioBuffer(0, n * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
          .get(dst, offset, n);
    }

    void add(MetricBatch batch) {
      int n = batch.size();
      ensure(n);
      for (int r = 0; r < n; r++) {
        steps[size + r] = batch.step(r);
        timesMs[size + r] = batch.timeMs(r);
      }
      for (int m = 0; m < batch.metrics().size(); m++) {
        String name = batch.metrics().get(m);
        double[] dst = values.computeIfAbsent(name, k -> new double[steps.length]);
        BitSet bits = present.computeIfAbsent(name, k -> new BitSet());
        for (int r = 0; r < n; r++) {
          if (batch.isPresent(m, r)) {
            dst[size + r] = batch.value(m, r);
            bits.set(size + r);
          }
        }
      }
      size += n;
    }

    /** The snapshot; the builder must not be used afterwards (arrays of exact size are shared). */
    RunData build() {
      Map<String, Column> cols = new LinkedHashMap<>();
      values.forEach((name, v) -> cols.put(name, new Column(exact(v), present.get(name))));
      return new RunData(runId, size, exact(steps), exact(timesMs), Collections.unmodifiableMap(cols));
    }

    private double[] exact(double[] a) {
      return a.length == size ? a : Arrays.copyOf(a, size);
    }

    private long[] exact(long[] a) {
      return a.length == size ? a : Arrays.copyOf(a, size);
    }
  }
}
