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
  /** Most x positions the curves are evaluated at. */
  public static final int MAX_GRID = 20_000;
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
    Points baseMean = new Points("baseline", grid, mean(b, ones(b.length)));
    Points candMean = new Points("candidate", grid, mean(c, ones(c.length)));
    Efficiency point = Efficiency.of(baseMean, candMean, goal, target);
    Double value = point.ratio() == null ? null : 1 - point.ratio();
    if (b.length < 2 || c.length < 2) {
      return new Result(point, value, null, null, Double.NaN, 0);
    }
    SplittableRandom random = new SplittableRandom(SEED);
    double[] draws = new double[RESAMPLES];
    int reached = 0;
    int[] wb = new int[b.length];
    int[] wc = new int[c.length];
    for (int r = 0; r < RESAMPLES; r++) {
      resample(random, wb);
      resample(random, wc);
      double e = efficiency(grid, b, wb, c, wc, goal, target);
      draws[r] = e;
      if (e != Double.NEGATIVE_INFINITY) {
        reached++;
      }
    }
    Arrays.sort(draws);
    double alpha = 1 - confidence;
    int lo = (int) Math.floor(alpha / 2 * RESAMPLES);
    int hi = (int) Math.ceil((1 - alpha / 2) * RESAMPLES) - 1;
    return new Result(point, value, bounded(draws[lo]), bounded(draws[Math.min(hi, RESAMPLES - 1)]),
        reached / (double) RESAMPLES, RESAMPLES);
  }

  private static Double bounded(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static void resample(SplittableRandom random, int[] weights) {
    Arrays.fill(weights, 0);
    for (int i = 0; i < weights.length; i++) {
      weights[random.nextInt(weights.length)]++;
    }
  }

  /** Efficiency of one resample; −∞ when the candidate never reaches, NaN when undefined. */
  private static double efficiency(
      double[] grid, double[][] b, int[] wb, double[][] c, int[] wc, Goal goal, Target target) {
    int at = -1;
    double value = Double.NaN;
    if (target == Target.FINAL) {
      for (int i = grid.length - 1; i >= 0 && at < 0; i--) {
        double m = weightedMean(b, wb, i);
        if (!Double.isNaN(m)) {
          at = i;
          value = m;
        }
      }
    } else {
      for (int i = 0; i < grid.length; i++) {
        double m = weightedMean(b, wb, i);
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
      double m = weightedMean(c, wc, i);
      if (!Double.isNaN(m) && (goal == Goal.MINIMIZE ? m <= value : m >= value)) {
        return 1 - grid[i] / grid[at];
      }
    }
    return Double.NEGATIVE_INFINITY;
  }

  private static double weightedMean(double[][] runs, int[] weights, int i) {
    double sum = 0;
    int n = 0;
    for (int r = 0; r < runs.length; r++) {
      double v = runs[r][i];
      if (weights[r] > 0 && !Double.isNaN(v)) {
        sum += weights[r] * v;
        n += weights[r];
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double[] mean(double[][] runs, int[] weights) {
    int len = runs.length == 0 ? 0 : runs[0].length;
    double[] out = new double[len];
    for (int i = 0; i < len; i++) {
      out[i] = weightedMean(runs, weights, i);
    }
    return out;
  }

  private static int[] ones(int n) {
    int[] w = new int[n];
    Arrays.fill(w, 1);
    return w;
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
    int total = 0;
    for (Points p : a) {
      total += p.size();
    }
    for (Points p : b) {
      total += p.size();
    }
    double[] all = new double[total];
    int k = 0;
    for (Points p : a) {
      System.arraycopy(p.x(), 0, all, k, p.size());
      k += p.size();
    }
    for (Points p : b) {
      System.arraycopy(p.x(), 0, all, k, p.size());
      k += p.size();
    }
    double[] distinct = Arrays.stream(all).sorted().distinct().toArray();
    if (distinct.length <= MAX_GRID) {
      return new Grid(distinct, false);
    }
    double lo = distinct[0];
    double width = (distinct[distinct.length - 1] - lo) / MAX_GRID;
    double[] ends = new double[MAX_GRID];
    for (int i = 0; i < MAX_GRID; i++) {
      ends[i] = i == MAX_GRID - 1 ? distinct[distinct.length - 1] : lo + (i + 1) * width;
    }
    return new Grid(ends, true);
  }

  /**
   * Each run's values at the grid positions (NaN where it has none). On a grid of distinct x a run's
   * value is its last point at that x; on a bucket grid it is the mean of its non-NaN points in the
   * bucket {@code (previous end, end]}.
   */
  static double[][] onGrid(List<Points> runs, Grid on) {
    double[] grid = on.x();
    double[][] out = new double[runs.size()][grid.length];
    for (int r = 0; r < runs.size(); r++) {
      double[] row = out[r];
      Arrays.fill(row, Double.NaN);
      double[] sum = new double[grid.length];
      int[] n = new int[grid.length];
      Points p = runs.get(r);
      int g = 0;
      for (int i = 0; i < p.size(); i++) {
        double x = p.x()[i];
        while (g < grid.length - 1 && grid[g] < x) {
          g++;
        }
        double y = p.y()[i];
        if (!on.buckets()) {
          row[g] = y; // distinct grid: the last point at this x wins
        } else if (!Double.isNaN(y)) {
          sum[g] += y;
          n[g]++;
          row[g] = sum[g] / n[g];
        }
      }
    }
    return out;
  }
}
