package dev.replica.experiments.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chart queries over the store: per-run series along any x axis, downsampled to a number of buckets
 * (min, max, first and last per bucket, so spikes are never hidden) or at full resolution, with
 * optional EMA smoothing. Reads go through the store's bounded decode cache, so repeated and live
 * queries decode only new bytes.
 */
public final class SeriesQueries {
  private final MetricStore store;

  public SeriesQueries(MetricStore store) {
    this.store = store;
  }

  /**
   * The points of one metric of one run along {@code x}, in ascending x (ties in file order).
   *
   * @param runId run
   * @param x x axis
   * @param y y values
   */
  public record Points(String runId, double[] x, double[] y) {
    /** Number of points. */
    public int size() {
      return x.length;
    }
  }

  /** Every point of {@code metric} in {@code runId} along {@code x} (rows without an x are left out). */
  public Points points(String runId, String metric, XAxis x) {
    return points(store.read(runId), metric, x, null, null);
  }

  /** {@link #points(String, String, XAxis)} for many runs, read in parallel; keyed in input order. */
  public Map<String, Points> points(Collection<String> runIds, String metric, XAxis x) {
    Map<String, Points> found = new ConcurrentHashMap<>();
    new ArrayList<>(runIds).parallelStream()
        .forEach(id -> found.put(id, points(id, metric, x)));
    Map<String, Points> out = new LinkedHashMap<>();
    for (String id : runIds) {
      out.put(id, found.get(id));
    }
    return out;
  }

  /** One metric of one run as {@code request} asks. */
  public Series series(String runId, String metric, SeriesRequest request) {
    Points p = points(store.read(runId), metric, request.x(), request.xMin(), request.xMax());
    double[] y = request.smoothing() > 0 ? ema(p.y(), request.smoothing()) : p.y();
    return request.isFullResolution()
        ? full(runId, metric, request.x(), p.x(), y)
        : downsample(runId, metric, request.x(), p.x(), y, request.buckets(), request.xMin(), request.xMax());
  }

  /** {@link #series(String, String, SeriesRequest)} for many runs, in parallel; keyed in input order. */
  public Map<String, Series> series(Collection<String> runIds, String metric, SeriesRequest request) {
    Map<String, Series> found = new ConcurrentHashMap<>();
    new ArrayList<>(runIds).parallelStream()
        .forEach(id -> found.put(id, series(id, metric, request)));
    Map<String, Series> out = new LinkedHashMap<>();
    for (String id : runIds) {
      out.put(id, found.get(id));
    }
    return out;
  }

  static Points points(RunData data, String metric, XAxis axis, Double xMin, Double xMax) {
    RunData.MetricColumnView col = data.column(metric);
    int[] rows = col.rows();
    double[] ys = col.values();
    RunData.MetricColumnView xcol = axis.kind() == XAxis.Kind.METRIC ? data.column(axis.metric()) : null;
    double[] xByRow = null;
    if (xcol != null) {
      xByRow = new double[data.size()];
      Arrays.fill(xByRow, Double.NaN);
      for (int i = 0; i < xcol.rows().length; i++) {
        xByRow[xcol.rows()[i]] = xcol.values()[i];
      }
    }
    long[] steps = data.stepsArray();
    long[] times = data.timesArray();
    double[] x = new double[rows.length];
    double[] y = new double[rows.length];
    int n = 0;
    boolean sorted = true;
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      double xv;
      switch (axis.kind()) {
        case STEP:
          xv = steps[r];
          break;
        case TIME_MS:
          xv = times[r];
          break;
        default:
          xv = xByRow[r];
          break;
      }
      if (Double.isNaN(xv) || (xMin != null && xv < xMin) || (xMax != null && xv > xMax)) {
        continue;
      }
      if (n > 0 && xv < x[n - 1]) {
        sorted = false;
      }
      x[n] = xv;
      y[n] = ys[i];
      n++;
    }
    if (n < x.length) {
      x = Arrays.copyOf(x, n);
      y = Arrays.copyOf(y, n);
    }
    if (!sorted) {
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      double[] fx = x;
      Arrays.sort(order, (a, b) -> Double.compare(fx[a], fx[b])); // stable: ties keep file order
      double[] sx = new double[n];
      double[] sy = new double[n];
      for (int i = 0; i < n; i++) {
        sx[i] = x[order[i]];
        sy[i] = y[order[i]];
      }
      x = sx;
      y = sy;
    }
    return new Points(data.runId(), x, y);
  }

  /**
   * Exponential moving average with TensorBoard's debiasing: {@code s = w*s + (1-w)*y}, reported as
   * {@code s / (1 - w^k)} after {@code k} finite values, so the start is not pulled towards zero.
   * Non-finite values (NaN, ±Infinity) are passed through unchanged at their position and do not
   * enter the average, so one divergent step shows as a gap or spike instead of poisoning every later
   * point.
   *
   * @param weight in [0, 1); 0 returns a copy
   */
  public static double[] ema(double[] y, double weight) {
    double[] out = new double[y.length];
    double s = 0;
    double decay = 1;
    for (int i = 0; i < y.length; i++) {
      double v = y[i];
      if (!Double.isFinite(v)) {
        out[i] = v;
        continue;
      }
      s = weight * s + (1 - weight) * v;
      decay *= weight;
      out[i] = weight == 0 ? v : s / (1 - decay);
    }
    return out;
  }

  static Series full(String runId, String metric, XAxis axis, double[] x, double[] y) {
    int n = x.length;
    int[] count = new int[n];
    Arrays.fill(count, 1);
    double[] minY = new double[n];
    double[] maxY = new double[n];
    for (int i = 0; i < n; i++) {
      minY[i] = Double.isNaN(y[i]) ? Double.NaN : y[i];
      maxY[i] = minY[i];
    }
    return new Series(runId, metric, axis, false, n, x, x, count, x, y, x, y, x, minY, x, maxY);
  }

  static Series downsample(
      String runId, String metric, XAxis axis, double[] x, double[] y, int buckets,
      Double xMin, Double xMax) {
    int n = x.length;
    if (n == 0) {
      return full(runId, metric, axis, x, y);
    }
    double lo = xMin != null ? xMin : x[0];
    double hi = xMax != null ? xMax : x[n - 1];
    double width = (hi - lo) / buckets;
    int cap = Math.min(n, buckets);
    List<double[]> cols = new ArrayList<>();
    for (int k = 0; k < 11; k++) {
      cols.add(new double[cap]);
    }
    double[] bStart = cols.get(0);
    double[] bEnd = cols.get(1);
    double[] fX = cols.get(2);
    double[] fY = cols.get(3);
    double[] lX = cols.get(4);
    double[] lY = cols.get(5);
    double[] mnX = cols.get(6);
    double[] mnY = cols.get(7);
    double[] mxX = cols.get(8);
    double[] mxY = cols.get(9);
    int[] count = new int[cap];
    int out = -1;
    int current = -1;
    for (int i = 0; i < n; i++) {
      int b = width > 0 ? (int) ((x[i] - lo) / width) : 0;
      if (b >= buckets) {
        b = buckets - 1;
      } else if (b < 0) {
        b = 0;
      }
      double v = y[i];
      if (b != current) {
        current = b;
        out++;
        bStart[out] = lo + b * width;
        bEnd[out] = b == buckets - 1 ? hi : lo + (b + 1) * width;
        fX[out] = x[i];
        fY[out] = v;
        mnY[out] = Double.NaN;
        mxY[out] = Double.NaN;
        mnX[out] = Double.NaN;
        mxX[out] = Double.NaN;
      }
      count[out]++;
      lX[out] = x[i];
      lY[out] = v;
      if (!Double.isNaN(v)) {
        if (Double.isNaN(mnY[out]) || v < mnY[out]) {
          mnY[out] = v;
          mnX[out] = x[i];
        }
        if (Double.isNaN(mxY[out]) || v > mxY[out]) {
          mxY[out] = v;
          mxX[out] = x[i];
        }
      }
    }
    int m = out + 1;
    return new Series(
        runId, metric, axis, true, n,
        Arrays.copyOf(bStart, m), Arrays.copyOf(bEnd, m), Arrays.copyOf(count, m),
        Arrays.copyOf(fX, m), Arrays.copyOf(fY, m), Arrays.copyOf(lX, m), Arrays.copyOf(lY, m),
        Arrays.copyOf(mnX, m), Arrays.copyOf(mnY, m), Arrays.copyOf(mxX, m), Arrays.copyOf(mxY, m));
  }
}
