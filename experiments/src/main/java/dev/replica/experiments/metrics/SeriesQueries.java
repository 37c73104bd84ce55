package dev.replica.experiments.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
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
     * The points of one metric of one run along {@code x}, in ascending x (ties in file order). The
     * arrays may be shared with the store's decode cache: read them, never write to them.
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

    /** Columns a query of {@code metric} along {@code axis} needs. */
    static Projection projection(String metric, XAxis axis) {
        switch (axis.kind()) {
            case STEP:
                return Projection.of(metric);
            case TIME_MS:
                return Projection.of(metric).withTimes();
            default:
                return Projection.of(metric, axis.metric());
        }
    }

    /** Every point of {@code metric} in {@code runId} along {@code x} (rows without an x are left out). */
    public Points points(String runId, String metric, XAxis x) {
        return points(store.read(runId, projection(metric, x)), metric, x, null, null);
    }

    /** {@link #points(String, String, XAxis)} for many runs, read in parallel; keyed in input order. */
    public Map<String, Points> points(Collection<String> runIds, String metric, XAxis x) {
        return inParallel(runIds, id -> points(id, metric, x));
    }

    /** The points of many runs with x in {@code [xMin, xMax]} (either may be null: no bound). */
    public Map<String, Points> points(Collection<String> runIds, String metric, XAxis x, Double xMin, Double xMax) {
        return inParallel(runIds, id -> points(store.read(id, projection(metric, x)), metric, x, xMin, xMax));
    }

    /** One metric of one run as {@code request} asks. */
    public Series series(String runId, String metric, SeriesRequest request) {
        RunData data = store.read(runId, projection(metric, request.x()));
        if (!request.isFullResolution() && request.smoothing() == 0) {
            RowRange rows = sortedRows(data, metric, request.x(), request.xMin(), request.xMax());
            if (rows != null) {
                // The x column is already ascending: bucket straight from the decoded arrays, no copies.
                long[] xs = request.x().kind() == XAxis.Kind.STEP ? data.stepsArray() : data.timesArray();
                RunData.Column c = data.column(metric);
                return downsample(
                        runId,
                        metric,
                        request.x(),
                        i -> xs[i],
                        c.values,
                        c.present,
                        rows.from,
                        rows.to,
                        request.buckets(),
                        request.xMin(),
                        request.xMax());
            }
        }
        Points p = points(data, metric, request.x(), request.xMin(), request.xMax());
        double[] y = request.smoothing() > 0 ? ema(p.y(), request.smoothing()) : p.y();
        if (request.isFullResolution()) {
            return full(runId, metric, request.x(), p.x(), y);
        }
        double[] px = p.x();
        return downsample(
                runId,
                metric,
                request.x(),
                i -> px[i],
                y,
                null,
                0,
                px.length,
                request.buckets(),
                request.xMin(),
                request.xMax());
    }

    /** {@link #series(String, String, SeriesRequest)} for many runs, in parallel; keyed in input order. */
    public Map<String, Series> series(Collection<String> runIds, String metric, SeriesRequest request) {
        return inParallel(runIds, id -> series(id, metric, request));
    }

    private static <T> Map<String, T> inParallel(Collection<String> runIds, java.util.function.Function<String, T> f) {
        Map<String, T> found = new ConcurrentHashMap<>();
        new ArrayList<>(runIds).parallelStream().forEach(id -> found.put(id, f.apply(id)));
        Map<String, T> out = new LinkedHashMap<>();
        for (String id : runIds) {
            out.put(id, found.get(id));
        }
        return out;
    }

    /** Rows {@code [from, to)} of a run. */
    private record RowRange(int from, int to) {}

    /**
     * The rows with x in {@code [xMin, xMax]} when x is the step or the time and never decreases (the
     * usual case), found by binary search; null when the general path is needed (a metric x axis, an
     * x that goes back, or a metric the run does not have).
     */
    private static RowRange sortedRows(RunData data, String metric, XAxis axis, Double xMin, Double xMax) {
        if (data.column(metric) == null) {
            return null;
        }
        long[] xs;
        if (axis.kind() == XAxis.Kind.STEP && data.stepsAscending()) {
            xs = data.stepsArray();
        } else if (axis.kind() == XAxis.Kind.TIME_MS && data.timesAscending()) {
            xs = data.timesArray();
        } else {
            return null;
        }
        int n = data.size();
        int from = xMin == null ? 0 : firstRow(xs, n, v -> v >= xMin);
        int to = xMax == null ? n : firstRow(xs, n, v -> v > xMax);
        return new RowRange(from, Math.max(from, to));
    }

    /** First row whose x satisfies {@code test} (monotone along the rows), or {@code n}. */
    private static int firstRow(long[] xs, int n, java.util.function.DoublePredicate test) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (test.test(xs[mid])) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static Points points(RunData data, String metric, XAxis axis, Double xMin, Double xMax) {
        RunData.Column col = data.column(metric);
        if (col == null) {
            return new Points(data.runId(), new double[0], new double[0]);
        }
        RowRange range = sortedRows(data, metric, axis, xMin, xMax);
        if (range != null && col.present == null && range.from == 0 && range.to == data.size()) {
            // Every row, in order: the cached arrays themselves, no copy.
            double[] x = axis.kind() == XAxis.Kind.STEP ? data.stepsAsDoubles() : data.timesAsDoubles();
            return new Points(data.runId(), x, col.values);
        }
        if (range != null) {
            long[] xs = axis.kind() == XAxis.Kind.STEP ? data.stepsArray() : data.timesArray();
            int capacity = range.to - range.from;
            double[] x = new double[capacity];
            double[] y = new double[capacity];
            int n = 0;
            for (int r = next(col.present, range.from, range.to);
                    r < range.to;
                    r = next(col.present, r + 1, range.to)) {
                x[n] = xs[r];
                y[n] = col.values[r];
                n++;
            }
            return new Points(
                    data.runId(), n == capacity ? x : Arrays.copyOf(x, n), n == capacity ? y : Arrays.copyOf(y, n));
        }
        double[] xByRow = null;
        if (axis.kind() == XAxis.Kind.METRIC) {
            xByRow = new double[data.size()];
            Arrays.fill(xByRow, Double.NaN);
            RunData.Column xcol = data.column(axis.metric());
            if (xcol != null) {
                for (int r = next(xcol.present, 0, data.size());
                        r < data.size();
                        r = next(xcol.present, r + 1, data.size())) {
                    xByRow[r] = xcol.values[r];
                }
            }
        }
        long[] steps = data.stepsArray();
        long[] times = axis.kind() == XAxis.Kind.TIME_MS ? data.timesArray() : null;
        int rows = col.count(data.size());
        double[] x = new double[rows];
        double[] y = new double[rows];
        int n = 0;
        boolean sorted = true;
        for (int r = next(col.present, 0, data.size()); r < data.size(); r = next(col.present, r + 1, data.size())) {
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
            y[n] = col.values[r];
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

    /** The first row at or after {@code r} where the column is present (all are when null), or {@code to}. */
    private static int next(BitSet present, int r, int to) {
        if (present == null || r >= to) {
            return r;
        }
        int n = present.nextSetBit(r);
        return n < 0 || n > to ? to : n;
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

    /** x of a row, for the bucketing below. */
    @FunctionalInterface
    interface XValues {
        double at(int row);
    }

    /**
     * Buckets rows {@code [from, to)} (only those {@code present} marks, all when null) by x into {@code
     * buckets} equal-width intervals of {@code [xMin or the first x, xMax or the last x]}. x must not
     * decrease along the rows. Each bucket's rows are found by a galloping search on the bucket index,
     * then one pass over its y values takes count, first, last, min and max.
     */
    static Series downsample(
            String runId,
            String metric,
            XAxis axis,
            XValues x,
            double[] y,
            BitSet present,
            int from,
            int to,
            int buckets,
            Double xMin,
            Double xMax) {
        int first = next(present, from, to);
        if (first >= to) {
            return full(runId, metric, axis, new double[0], new double[0]);
        }
        int n = present == null ? to - from : present.get(from, to).cardinality();
        int lastRow = present == null ? to - 1 : present.previousSetBit(to - 1);
        double lo = xMin != null ? xMin : x.at(first);
        double hi = xMax != null ? xMax : x.at(lastRow);
        double width = (hi - lo) / buckets;
        int cap = Math.min(n, buckets);
        double[] bStart = new double[cap];
        double[] bEnd = new double[cap];
        double[] fX = new double[cap];
        double[] fY = new double[cap];
        double[] lX = new double[cap];
        double[] lY = new double[cap];
        double[] mnX = new double[cap];
        double[] mnY = new double[cap];
        double[] mxX = new double[cap];
        double[] mxY = new double[cap];
        int[] count = new int[cap];
        int out = 0;
        for (int i = first; i < to; i = next(present, i, to)) {
            int b = bucket(x.at(i), lo, width, buckets);
            int end = bucketEnd(x, i, to, b, lo, width, buckets);
            int c = 0;
            int last = i;
            int iMin = -1;
            int iMax = -1;
            double vMin = Double.NaN;
            double vMax = Double.NaN;
            if (present == null) {
                c = end - i;
                last = end - 1;
                int k = i;
                while (k < end && Double.isNaN(y[k])) {
                    k++;
                }
                if (k < end) {
                    iMin = k;
                    iMax = k;
                    vMin = y[k];
                    vMax = vMin;
                    for (k++; k < end; k++) {
                        double v = y[k]; // NaN compares false both ways, so it is skipped
                        if (v < vMin) {
                            vMin = v;
                            iMin = k;
                        } else if (v > vMax) {
                            vMax = v;
                            iMax = k;
                        }
                    }
                }
            } else {
                for (int k = i; k < end; k = next(present, k + 1, end)) {
                    c++;
                    last = k;
                    double v = y[k];
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (iMin < 0 || v < vMin) {
                        vMin = v;
                        iMin = k;
                    }
                    if (iMax < 0 || v > vMax) {
                        vMax = v;
                        iMax = k;
                    }
                }
            }
            bStart[out] = lo + b * width;
            bEnd[out] = b == buckets - 1 ? hi : lo + (b + 1) * width;
            count[out] = c;
            fX[out] = x.at(i);
            fY[out] = y[i];
            lX[out] = x.at(last);
            lY[out] = y[last];
            mnY[out] = vMin;
            mxY[out] = vMax;
            mnX[out] = iMin < 0 ? Double.NaN : x.at(iMin);
            mxX[out] = iMax < 0 ? Double.NaN : x.at(iMax);
            out++;
            i = end;
        }
        int m = out;
        return new Series(
                runId,
                metric,
                axis,
                true,
                n,
                Arrays.copyOf(bStart, m),
                Arrays.copyOf(bEnd, m),
                Arrays.copyOf(count, m),
                Arrays.copyOf(fX, m),
                Arrays.copyOf(fY, m),
                Arrays.copyOf(lX, m),
                Arrays.copyOf(lY, m),
                Arrays.copyOf(mnX, m),
                Arrays.copyOf(mnY, m),
                Arrays.copyOf(mxX, m),
                Arrays.copyOf(mxY, m));
    }

    private static int bucket(double x, double lo, double width, int buckets) {
        int b = width > 0 ? (int) ((x - lo) / width) : 0;
        return b >= buckets ? buckets - 1 : Math.max(b, 0);
    }

    /** The first row after {@code i} (at most {@code to}) whose bucket is past {@code b}: gallop, then bisect. */
    private static int bucketEnd(XValues x, int i, int to, int b, double lo, double width, int buckets) {
        int inside = i;
        int step = 1;
        int probe = i + 1;
        while (probe < to && bucket(x.at(probe), lo, width, buckets) <= b) {
            inside = probe;
            step <<= 1;
            probe = inside + step;
        }
        int outside = Math.min(probe, to);
        while (outside - inside > 1) {
            int mid = (inside + outside) >>> 1;
            if (bucket(x.at(mid), lo, width, buckets) <= b) {
                inside = mid;
            } else {
                outside = mid;
            }
        }
        return outside;
    }
}
