package dev.replica.experiments.compare;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Variance;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.MannWhitneyUTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.TTest;

/**
 * The tests and effect sizes behind group comparisons. P-values come from commons-statistics
 * (Welch's t-test, Mann–Whitney U); this class only chooses the options and adds the multiple
 * comparison correction and effect sizes.
 */
public final class Statistics {
    private Statistics() {}

    /**
     * Welch's unequal-variance t-test result.
     *
     * @param t statistic (mean of a minus mean of b, over the Welch standard error)
     * @param df Welch–Satterthwaite degrees of freedom
     * @param p p-value
     */
    public record Welch(double t, double df, double p) {}

    /**
     * Mann–Whitney U result.
     *
     * @param u the U statistic of the first sample
     * @param p p-value (exact for small samples without ties, else normal approximation with
     *     continuity correction)
     * @param ties whether the samples share values
     */
    public record MannWhitney(double u, double p, boolean ties) {}

    /**
     * Welch's t-test of a against b; NaNs when either has fewer than two values. With no spread in
     * either sample (the standard error is 0) the test degenerates, and it answers as SciPy's {@code
     * ttest_ind} does: two constant samples with different values give t = ±∞ and p = 0 (one-sided:
     * 0 or 1 by the sign); samples that are all equal give t = 0 and p = 1 (one-sided: 0.5) — no evidence
     * of a difference, rather than a NaN that would drop out of a multiple-comparison family.
     */
    public static Welch welch(double[] a, double[] b, AlternativeHypothesis alternative) {
        if (a.length < 2 || b.length < 2) {
            return new Welch(Double.NaN, Double.NaN, Double.NaN);
        }
        if (isConstant(a) && isConstant(b)) {
            double diff = a[0] - b[0];
            if (diff == 0) {
                return new Welch(0, Double.NaN, alternative == AlternativeHypothesis.TWO_SIDED ? 1 : 0.5);
            }
            double t = diff > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            return new Welch(t, Double.NaN, degenerateP(diff > 0, alternative));
        }
        TTest.Result r = TTest.withDefaults()
                .with(DataDispersion.HETEROSCEDASTIC)
                .with(alternative)
                .test(a, b);
        return new Welch(r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue());
    }

    /**
     * Mann–Whitney U test of a against b; NaNs when either is empty. When every value of both samples
     * is the same, U is na·nb/2 and p = 1 (as SciPy's {@code mannwhitneyu}); the rank statistic has no
     * variance there, so the normal approximation would give NaN.
     */
    public static MannWhitney mannWhitney(double[] a, double[] b, AlternativeHypothesis alternative) {
        if (a.length < 1 || b.length < 1) {
            return new MannWhitney(Double.NaN, Double.NaN, false);
        }
        if (isConstant(a) && isConstant(b) && a[0] == b[0]) {
            boolean ties = a.length + b.length > 1;
            return new MannWhitney(a.length * (double) b.length / 2, 1.0, ties);
        }
        MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults()
                .with(PValueMethod.AUTO)
                .with(alternative)
                .test(a, b);
        return new MannWhitney(r.getStatistic(), r.getPValue(), r.hasTiedValues());
    }

    /**
     * Holm–Bonferroni adjusted p-values, in input order: sort ascending, multiply the i-th smallest
     * (0-based) by {@code m - i}, make the sequence non-decreasing, cap at 1. {@code m} is the number of
     * entries, NaN ones included: a comparison that could not be tested is still a comparison that was
     * looked at, so it never shrinks the family (which would under-correct the others); NaN entries stay
     * NaN. Reject hypothesis j at level alpha when adjusted[j] &lt;= alpha.
     */
    public static double[] holm(double[] p) {
        Integer[] order = java.util.stream.IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        int m = p.length;
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int i = 0; i < order.length; i++) {
            double v = Math.min(1.0, (m - i) * p[order[i]]);
            running = Math.max(running, v);
            adjusted[order[i]] = running;
        }
        return adjusted;
    }

    private static boolean isConstant(double[] v) {
        for (double x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }

    /** p of a test whose statistic is ±∞: 0 two-sided, else 0 or 1 by whether the sign favours the alternative. */
    private static double degenerateP(boolean positive, AlternativeHypothesis alternative) {
        return switch (alternative) {
            case TWO_SIDED -> 0;
            case GREATER_THAN -> positive ? 0 : 1;
            case LESS_THAN -> positive ? 1 : 0;
        };
    }

    /**
     * Cohen's d: (mean(a) - mean(b)) / pooled standard deviation, the pooled variance being
     * ((na-1) var(a) + (nb-1) var(b)) / (na + nb - 2). NaN when na + nb &lt; 3.
     */
    public static double cohensD(double[] a, double[] b) {
        int na = a.length;
        int nb = b.length;
        if (na < 1 || nb < 1 || na + nb < 3) {
            return Double.NaN;
        }
        double va = na > 1 ? Variance.of(a).getAsDouble() : 0;
        double vb = nb > 1 ? Variance.of(b).getAsDouble() : 0;
        double pooled = Math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2));
        return (Mean.of(a).getAsDouble() - Mean.of(b).getAsDouble()) / pooled;
    }

    /**
     * Hedges' g: Cohen's d times the small-sample correction J = 1 - 3 / (4 (na + nb) - 9) (Hedges &amp;
     * Olkin 1985, the usual approximation of the exact gamma-function factor).
     */
    public static double hedgesG(double[] a, double[] b) {
        double d = cohensD(a, b);
        return d * (1 - 3.0 / (4.0 * (a.length + b.length) - 9));
    }
}
