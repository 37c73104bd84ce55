package dev.replica.experiments.compare;

import dev.replica.experiments.compare.Efficiency.Goal;
import dev.replica.experiments.compare.Efficiency.Target;
import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The NorMuon paper's efficiency of a candidate group against a baseline group, on their seed-mean
 * curves, with a percentile bootstrap interval over seeds.
 *
 * <p>Both groups' runs are laid on one x grid (the union of their x values; runs without a value at an
 * x do not count there). The seed-mean curve at x is the mean over the runs with a value. The point
 * estimate is {@link Efficiency#of} on the two mean curves: {@code efficiency = 1 - x_candidate /
 * x_baseline}, where {@code x_baseline} is where the baseline's mean curve has its target (final or
 * best value) and {@code x_candidate} the first x at which the candidate's mean curve reaches it.
 *
 * <p>Bootstrap: each resample draws the baseline's runs and the candidate's runs with replacement
 * (independently, each group keeping its size), recomputes both mean curves and the efficiency. A
 * resample whose candidate never reaches the target counts as −∞ (worse than any reached value), so
 * an interval end that falls on such resamples is unbounded ({@code null}). The random generator is
 * seeded, so the interval is the same on every call. The interval needs at least two runs in each
 * group; otherwise it is left out.
 *
 * <p>Runs longer than {@link #MAX_GRID} distinct x values are first averaged into that many
 * equal-width x buckets per run (x = the bucket's end), which bounds the bootstrap's cost.
 */
public final class EfficiencyEstimate {
    /**
     * Most x positions the curves are evaluated at: each bootstrap resample scans up to this many
     * positions per run, so it bounds the cost (1,000 resamples x 10 seeds x 2,000 positions = 2e7
     * steps per candidate group); the efficiency of longer runs is resolved to 1/2,000 of their range.
     */
    public static final int MAX_GRID = 2_000;
    /** Bootstrap resamples. */
    public static final int RESAMPLES = 1_000;

    private static final long SEED = 0x5EEDL;

    private EfficiencyEstimate() {}

    /**
     * Efficiency of a candidate against the baseline.
     *
     * @param point efficiency on the seed-mean curves
     * @param value {@code 1 - ratio}; null when the candidate never reaches the target
     * @param ciLow lower end of the bootstrap interval of {@code value}; null when unbounded or unknown
     * @param ciHigh upper end; null when unbounded or unknown
     * @param reachedFraction share of the bootstrap resamples in which the candidate reaches the target
     *     (NaN without a bootstrap)
     * @param resamples bootstrap resamples drawn (0 when a group has fewer than two runs)
     */
    public record Result(
            Efficiency point, Double value, Double ciLow, Double ciHigh, double reachedFraction, int resamples) {}

    /**
     * Estimates the efficiency of {@code candidate} runs against {@code baseline} runs (points in
     * ascending x).
     *
     * @throws IllegalArgumentException when either group is empty or the baseline's mean curve has no
     *     value
     */
    public static Result estimate(
            List<Points> baseline, List<Points> candidate, Goal goal, Target target, double confidence) {
        if (baseline.isEmpty() || candidate.isEmpty()) {
            throw new IllegalArgumentException("both groups need at least one run");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        Grid g = grid(baseline, candidate);
        double[] grid = g.x();
        double[][] b = onGrid(baseline, g);
        double[][] c = onGrid(candidate, g);
        Resampled base = new Resampled(b);
        Resampled cand = new Resampled(c);
        Points baseMean = new Points("baseline", grid, base.meanCurve());
        Points candMean = new Points("candidate", grid, cand.meanCurve());
        Efficiency point = Efficiency.of(baseMean, candMean, goal, target);
        Double value = point.ratio() == null ? null : 1 - point.ratio();
        if (b.length < 2 || c.length < 2) {
            return new Result(point, value, null, null, Double.NaN, 0);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] draws = new double[RESAMPLES];
        int valid = 0;
        int reached = 0;
        for (int r = 0; r < RESAMPLES; r++) {
            base.draw(random);
            cand.draw(random);
            double e = efficiency(grid, base, cand, goal, target);
            if (!Double.isNaN(e)) {
                draws[valid++] = e;
                if (e != Double.NEGATIVE_INFINITY) {
                    reached++;
                }
            }
        }
        if (valid == 0) {
            return new Result(point, value, null, null, 0, RESAMPLES);
        }
        Arrays.sort(draws, 0, valid);
        double alpha = 1 - confidence;
        int lo = (int) Math.floor(alpha / 2 * valid);
        int hi = Math.min(valid - 1, (int) Math.ceil((1 - alpha / 2) * valid) - 1);
        return new Result(point, value, bounded(draws[lo]), bounded(draws[hi]), reached / (double) valid, RESAMPLES);
    }

    /**
     * A group's runs on the grid, laid out position-major ({@code values[i * runs + r]}) so that the
     * mean at one position reads contiguous memory, with the current resample's weights kept as a
     * compact list of the drawn runs.
     */
    private static final class Resampled {
        final int runs;
        final double[] values;
        final int[] counts;
        final int[] drawn;
        final int[] weight;
        int distinct;

        final int length;

        /** The runs' values on the grid, every run drawn once (the sample itself). */
        Resampled(double[][] byRun) {
            runs = byRun.length;
            length = byRun[0].length;
            int len = length;
            values = new double[len * runs];
            for (int r = 0; r < runs; r++) {
                for (int i = 0; i < len; i++) {
                    values[i * runs + r] = byRun[r][i];
                }
            }
            counts = new int[runs];
            drawn = new int[runs];
            weight = new int[runs];
            for (int r = 0; r < runs; r++) {
                drawn[r] = r;
                weight[r] = 1;
            }
            distinct = runs;
        }

        /** The mean at every grid position under the current weights. */
        double[] meanCurve() {
            double[] out = new double[length];
            for (int i = 0; i < length; i++) {
                out[i] = mean(i);
            }
            return out;
        }

        void draw(SplittableRandom random) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < runs; i++) {
                counts[random.nextInt(runs)]++;
            }
            distinct = 0;
            for (int r = 0; r < runs; r++) {
                if (counts[r] > 0) {
                    drawn[distinct] = r;
                    weight[distinct] = counts[r];
                    distinct++;
                }
            }
        }

        /** Weighted mean at grid position {@code i} over the drawn runs with a value there; NaN if none. */
        double mean(int i) {
            int base = i * runs;
            double sum = 0;
            int n = 0;
            for (int k = 0; k < distinct; k++) {
                double v = values[base + drawn[k]];
                if (v == v) {
                    sum += weight[k] * v;
                    n += weight[k];
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }

    private static Double bounded(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Efficiency of one resample; −∞ when the candidate never reaches, NaN when undefined. */
    private static double efficiency(double[] grid, Resampled b, Resampled c, Goal goal, Target target) {
        int at = -1;
        double value = Double.NaN;
        if (target == Target.FINAL) {
            for (int i = grid.length - 1; i >= 0 && at < 0; i--) {
                double m = b.mean(i);
                if (!Double.isNaN(m)) {
                    at = i;
                    value = m;
                }
            }
        } else {
            for (int i = 0; i < grid.length; i++) {
                double m = b.mean(i);
                if (!Double.isNaN(m) && (at < 0 || (goal == Goal.MINIMIZE ? m < value : m > value))) {
                    at = i;
                    value = m;
                }
            }
        }
        if (at < 0 || grid[at] == 0) {
            return Double.NaN;
        }
        for (int i = 0; i < grid.length; i++) {
            double m = c.mean(i);
            if (!Double.isNaN(m) && (goal == Goal.MINIMIZE ? m <= value : m >= value)) {
                return 1 - grid[i] / grid[at];
            }
        }
        return Double.NEGATIVE_INFINITY;
    }

    /**
     * Where the curves are evaluated.
     *
     * @param x ascending positions
     * @param buckets false: the distinct x of the runs; true: ends of equal-width buckets
     */
    record Grid(double[] x, boolean buckets) {}

    /** Sorted distinct x of every run, or {@link #MAX_GRID} bucket ends when there are more. */
    static Grid grid(List<Points> a, List<Points> b) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[] union = new double[0];
        boolean overflow = false;
        for (List<Points> group : List.of(a, b)) {
            for (Points p : group) {
                if (p.size() == 0) {
                    continue;
                }
                lo = Math.min(lo, p.x()[0]);
                hi = Math.max(hi, p.x()[p.size() - 1]);
                if (!overflow) {
                    union = mergeDistinct(union, p.x());
                    overflow = union == null;
                }
            }
        }
        if (!overflow) {
            return new Grid(union, false);
        }
        double width = (hi - lo) / MAX_GRID;
        double[] ends = new double[MAX_GRID];
        for (int i = 0; i < MAX_GRID; i++) {
            ends[i] = i == MAX_GRID - 1 ? hi : lo + (i + 1) * width;
        }
        return new Grid(ends, true);
    }

    /** The sorted distinct union of two ascending arrays, or null once it exceeds {@link #MAX_GRID}. */
    private static double[] mergeDistinct(double[] a, double[] b) {
        double[] out = new double[Math.min(a.length + b.length, MAX_GRID + 1)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            double v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
            if (n == 0 || v != out[n - 1]) {
                if (n == MAX_GRID) {
                    return null;
                }
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Each run's values at the grid positions (NaN where it has none). On a grid of distinct x a run's
     * value is its last point at that x; on a bucket grid it is the mean of its non-NaN points in the
     * bucket {@code (previous end, end]}.
     */
    static double[][] onGrid(List<Points> runs, Grid on) {
        double[] grid = on.x();
        double[][] out = new double[runs.size()][grid.length];
        double[] sum = new double[grid.length];
        int[] n = new int[grid.length];
        for (int r = 0; r < runs.size(); r++) {
            double[] row = out[r];
            Arrays.fill(row, Double.NaN);
            Points p = runs.get(r);
            double[] xs = p.x();
            double[] ys = p.y();
            int g = 0;
            if (!on.buckets()) {
                for (int i = 0; i < xs.length; i++) {
                    while (grid[g] < xs[i]) {
                        g++;
                    }
                    row[g] = ys[i]; // distinct grid: the last point at this x wins
                }
                continue;
            }
            Arrays.fill(sum, 0);
            Arrays.fill(n, 0);
            for (int i = 0; i < xs.length; i++) {
                while (g < grid.length - 1 && grid[g] < xs[i]) {
                    g++;
                }
                double y = ys[i];
                if (y == y) {
                    sum[g] += y;
                    n[g]++;
                }
            }
            for (int k = 0; k < grid.length; k++) {
                if (n[k] > 0) {
                    row[k] = sum[k] / n[k];
                }
            }
        }
        return out;
    }
}
