package dev.replica.experiments.compare;

import dev.replica.experiments.metrics.SeriesQueries.Points;

/**
 * How one number is taken from a run's curve (x is the step) for comparing groups.
 *
 * <ul>
 *   <li>{@link Kind#FINAL}: the last non-NaN value.</li>
 *   <li>{@link Kind#MIN} / {@link Kind#MAX}: the smallest / largest non-NaN value.</li>
 *   <li>{@link Kind#MEAN_LAST_K}: the mean of the last {@code k} non-NaN values (fewer if the run has
 *       fewer).</li>
 *   <li>{@link Kind#AT_STEP}: the last non-NaN value at a step at most {@code step}.</li>
 * </ul>
 * Each gives NaN when the run has no qualifying value; such runs are left out of a comparison.
 *
 * @param kind which number
 * @param k window for {@link Kind#MEAN_LAST_K}
 * @param step step for {@link Kind#AT_STEP}
 */
public record Scalar(Kind kind, int k, long step) {
    /** Kinds of scalar. */
    public enum Kind {
        FINAL,
        MIN,
        MAX,
        MEAN_LAST_K,
        AT_STEP
    }

    public Scalar {
        if (kind == Kind.MEAN_LAST_K && k < 1) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
    }

    public static Scalar finalValue() {
        return new Scalar(Kind.FINAL, 0, 0);
    }

    public static Scalar min() {
        return new Scalar(Kind.MIN, 0, 0);
    }

    public static Scalar max() {
        return new Scalar(Kind.MAX, 0, 0);
    }

    public static Scalar meanOfLast(int k) {
        return new Scalar(Kind.MEAN_LAST_K, k, 0);
    }

    public static Scalar atStep(long step) {
        return new Scalar(Kind.AT_STEP, 0, step);
    }

    /** This scalar of {@code points} (x ascending). */
    public double of(Points points) {
        double[] x = points.x();
        double[] y = points.y();
        switch (kind) {
            case FINAL:
                for (int i = y.length - 1; i >= 0; i--) {
                    if (!Double.isNaN(y[i])) {
                        return y[i];
                    }
                }
                return Double.NaN;
            case MIN:
            case MAX: {
                double best = Double.NaN;
                for (double v : y) {
                    if (!Double.isNaN(v) && (Double.isNaN(best) || (kind == Kind.MIN ? v < best : v > best))) {
                        best = v;
                    }
                }
                return best;
            }
            case MEAN_LAST_K: {
                double sum = 0;
                int n = 0;
                for (int i = y.length - 1; i >= 0 && n < k; i--) {
                    if (!Double.isNaN(y[i])) {
                        sum += y[i];
                        n++;
                    }
                }
                return n == 0 ? Double.NaN : sum / n;
            }
            case AT_STEP:
                for (int i = y.length - 1; i >= 0; i--) {
                    if (x[i] <= step && !Double.isNaN(y[i])) {
                        return y[i];
                    }
                }
                return Double.NaN;
            default:
                throw new AssertionError(kind);
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case MEAN_LAST_K:
                return "mean of last " + k;
            case AT_STEP:
                return "value at step " + step;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
