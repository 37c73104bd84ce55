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

    /** Welch's t-test of a against b; NaNs when either has fewer than two values. */
    public static Welch welch(double[] a, double[] b, AlternativeHypothesis alternative) {
        if (a.length < 2 || b.length < 2) {
            return new Welch(Double.NaN, Double.NaN, Double.NaN);
        }
        TTest.Result r = TTest.withDefaults()
                .with(DataDispersion.HETEROSCEDASTIC)
                .with(alternative)
                .test(a, b);
        return new Welch(r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue());
    }

    /** Mann–Whitney U test of a against b; NaNs when either is empty. */
    public static MannWhitney mannWhitney(double[] a, double[] b, AlternativeHypothesis alternative) {
        if (a.length < 1 || b.length < 1) {
            return new MannWhitney(Double.NaN, Double.NaN, false);
        }
        MannWhitneyUTest.Result r = MannWhitneyUTest.withDefaults()
                .with(PValueMethod.AUTO)
                .with(alternative)
                .test(a, b);
        return new MannWhitney(r.getStatistic(), r.getPValue(), r.hasTiedValues());
    }

    /**
     * Holm–Bonferroni adjusted p-values, in input order: sort ascending, multiply the i-th smallest
     * (0-based) by {@code m - i}, make the sequence non-decreasing, cap at 1. NaN entries are left as
     * NaN and do not count towards {@code m}. Reject hypothesis j at level alpha when adjusted[j] &lt;=
     * alpha.
     */
    public static double[] holm(double[] p) {
        Integer[] order = java.util.stream.IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed()
                .toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        int m = order.length;
        double[] adjusted = new double[p.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int i = 0; i < m; i++) {
            double v = Math.min(1.0, (m - i) * p[order[i]]);
            running = Math.max(running, v);
            adjusted[order[i]] = running;
        }
        return adjusted;
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
