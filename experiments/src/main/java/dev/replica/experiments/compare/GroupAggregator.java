package dev.replica.experiments.compare;

import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Aggregates the curves of each group's runs across seeds, per x bucket.
 *
 * <p>All groups share one set of buckets spanning every run's x range. Within a bucket each run
 * contributes one value, the mean of its finite points there ({@link PerRun#MEAN}) or its last finite
 * point ({@link PerRun#LAST}); a run without a finite point in the bucket does not count towards
 * {@code n}. Across runs: mean, sample standard deviation, standard error and a Student-t confidence
 * interval of the mean with {@code n-1} degrees of freedom.
 */
public final class GroupAggregator {
    /** How a run's points in one bucket become its value. */
    public enum PerRun {
        MEAN,
        LAST
    }

    private final int buckets;
    private final double confidence;
    private final PerRun perRun;

    /**
     * @param buckets number of x buckets (e.g. the chart's width in pixels)
     * @param confidence confidence level in (0, 1), e.g. 0.95
     * @param perRun how a run's points in a bucket are reduced
     */
    public GroupAggregator(int buckets, double confidence, PerRun perRun) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
        }
        this.buckets = buckets;
        this.confidence = confidence;
        this.perRun = perRun;
    }

    /** 95% intervals of per-bucket run means. */
    public static GroupAggregator withBuckets(int buckets) {
        return new GroupAggregator(buckets, 0.95, PerRun.MEAN);
    }

    /**
     * Aggregates each group.
     *
     * @param groups runs per group (see {@link Grouping})
     * @param points the metric's points per run id, e.g. from {@code SeriesQueries.points}; a run
     *     missing here contributes nothing
     */
    public List<GroupSeries> aggregate(Map<GroupKey, List<RunInfo>> groups, Map<String, Points> points) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<RunInfo> runs : groups.values()) {
            for (RunInfo r : runs) {
                Points p = points.get(r.runId());
                if (p != null && p.size() > 0) {
                    lo = Math.min(lo, p.x()[0]);
                    hi = Math.max(hi, p.x()[p.size() - 1]);
                }
            }
        }
        List<GroupSeries> out = new ArrayList<>();
        for (Map.Entry<GroupKey, List<RunInfo>> g : groups.entrySet()) {
            out.add(aggregate(g.getKey(), g.getValue(), points, lo, hi));
        }
        return out;
    }

    private GroupSeries aggregate(GroupKey key, List<RunInfo> runs, Map<String, Points> points, double lo, double hi) {
        int b = lo <= hi ? buckets : 0;
        double width = b == 0 ? 0 : (hi - lo) / b;
        // values[bucket][run], NaN where the run has no value in the bucket
        double[][] values = new double[b][runs.size()];
        for (double[] row : values) {
            Arrays.fill(row, Double.NaN);
        }
        List<String> ids = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            ids.add(runs.get(r).runId());
            Points p = points.get(runs.get(r).runId());
            if (p == null) {
                continue;
            }
            double[] sum = new double[b];
            int[] cnt = new int[b];
            for (int i = 0; i < p.size(); i++) {
                double y = p.y()[i];
                if (!Double.isFinite(y)) {
                    continue;
                }
                int k = width > 0 ? (int) ((p.x()[i] - lo) / width) : 0;
                k = Math.max(0, Math.min(b - 1, k));
                if (perRun == PerRun.LAST) {
                    values[k][r] = y;
                } else {
                    sum[k] += y;
                    cnt[k]++;
                }
            }
            if (perRun == PerRun.MEAN) {
                for (int k = 0; k < b; k++) {
                    if (cnt[k] > 0) {
                        values[k][r] = sum[k] / cnt[k];
                    }
                }
            }
        }
        double[] x = new double[b];
        int[] n = new int[b];
        double[] mean = new double[b];
        double[] std = new double[b];
        double[] se = new double[b];
        double[] ciLow = new double[b];
        double[] ciHigh = new double[b];
        for (int k = 0; k < b; k++) {
            x[k] = width > 0 ? lo + (k + 0.5) * width : lo;
            double[] v = Arrays.stream(values[k]).filter(d -> !Double.isNaN(d)).toArray();
            Interval ci = meanInterval(v, confidence);
            n[k] = v.length;
            mean[k] = ci.mean();
            std[k] = ci.std();
            se[k] = ci.stdErr();
            ciLow[k] = ci.low();
            ciHigh[k] = ci.high();
        }
        return new GroupSeries(key, List.copyOf(ids), x, n, mean, std, se, ciLow, ciHigh, confidence);
    }

    /**
     * Mean, spread and Student-t confidence interval of the mean of {@code values}.
     *
     * @param mean mean (NaN when empty)
     * @param std sample standard deviation, NaN when fewer than two values
     * @param stdErr std / sqrt(n)
     * @param low lower bound, NaN when fewer than two values
     * @param high upper bound
     */
    public record Interval(int n, double mean, double std, double stdErr, double low, double high) {}

    /** See {@link Interval}. */
    public static Interval meanInterval(double[] values, double confidence) {
        int n = values.length;
        if (n == 0) {
            return new Interval(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double m = Mean.of(values).getAsDouble();
        if (n == 1) {
            return new Interval(1, m, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double sd = Math.sqrt(Variance.of(values).getAsDouble());
        double se = sd / Math.sqrt(n);
        double t = TDistribution.of(n - 1).inverseSurvivalProbability((1 - confidence) / 2);
        return new Interval(n, m, sd, se, m - t * se, m + t * se);
    }
}
