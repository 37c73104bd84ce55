package dev.replica.backend.compare;

import dev.replica.experiments.compare.ComparisonReport;
import java.util.List;
import java.util.Map;

/**
 * Runs grouped by parameters: each group's curve across seeds and a comparison table against a baseline.
 *
 * @param metric     the metric
 * @param x          the x axis (step, time_ms or a metric)
 * @param scalar     the number per run the table compares, e.g. {@code final}
 * @param confidence confidence level of the bands and intervals
 * @param baseline   label of the baseline group
 * @param groups     one curve per group, in order of first appearance
 * @param table      one row per group, in the same order
 */
public record GroupsView(
        String metric,
        String x,
        String scalar,
        double confidence,
        String baseline,
        List<Curve> groups,
        List<Row> table) {

    /**
     * A group's mean curve with its confidence band (NaN where fewer than two runs have a value).
     *
     * @param label  {@code optimizer=adamw, lr=0.001}
     * @param params the group's parameter values
     * @param runIds runs aggregated
     * @param x      bucket centres
     * @param n      runs with a value per bucket
     * @param mean   mean across runs
     * @param ciLow  lower end of the interval of the mean (Student t)
     * @param ciHigh upper end
     */
    public record Curve(
            String label,
            Map<String, Object> params,
            List<String> runIds,
            double[] x,
            int[] n,
            double[] mean,
            double[] ciLow,
            double[] ciHigh) {}

    /**
     * A group's scalar (mean ± CI over its runs) and its tests against the baseline (NaN for the baseline).
     *
     * @param label            group label
     * @param runs             runs in the group
     * @param n                runs with a value
     * @param diverged         runs whose metric reached NaN or ±∞ (left out of the statistics)
     * @param mean             mean
     * @param ciLow            interval low end (NaN with fewer than two runs)
     * @param ciHigh           interval high end
     * @param baseline         whether this is the baseline
     * @param welchP           Welch's t-test p-value, two-sided
     * @param welchPHolm       the same, Holm-adjusted over the candidates
     * @param mannWhitneyPHolm Mann–Whitney U p-value, Holm-adjusted
     * @param hedgesG          effect size (candidate minus baseline), bias-corrected
     * @param efficiency       steps to the baseline's final value; null on the baseline row
     */
    public record Row(
            String label,
            int runs,
            int n,
            int diverged,
            double mean,
            double ciLow,
            double ciHigh,
            boolean baseline,
            double welchP,
            double welchPHolm,
            double mannWhitneyPHolm,
            double hedgesG,
            Efficiency efficiency) {

        /** The row of a report's group (undefined numbers as NaN, as the page reads them). */
        static Row of(ComparisonReport.Group g) {
            ComparisonReport.GroupEfficiency e = g.efficiency();
            return new Row(
                    g.label(),
                    g.runs(),
                    g.n(),
                    g.diverged(),
                    nan(g.mean()),
                    nan(g.ciLow()),
                    nan(g.ciHigh()),
                    g.baseline(),
                    nan(g.welchP()),
                    nan(g.welchPHolm()),
                    nan(g.mannWhitneyPHolm()),
                    nan(g.hedgesG()),
                    e == null
                            ? null
                            : new Efficiency(
                                    e.value(),
                                    e.ciLow(),
                                    e.ciHigh(),
                                    e.x(),
                                    e.baselineX(),
                                    e.reached(),
                                    e.lastX(),
                                    e.target(),
                                    nan(e.reachedFraction())));
        }

        private static double nan(Double v) {
            return v == null ? Double.NaN : v;
        }
    }

    /**
     * The NorMuon paper's efficiency on the seed-mean curves along the step: {@code 1 - steps /
     * baselineSteps}, where baselineSteps is the step of the baseline's final value and steps the first
     * step at which this group's mean curve reaches it (0.2: 20% fewer steps).
     *
     * @param value           the efficiency; null when the group never reaches the baseline's final value
     * @param ciLow           lower end of the bootstrap interval over seeds; null when unbounded or unknown
     *                        (fewer than two runs in a group)
     * @param ciHigh          upper end; null when unbounded or unknown
     * @param steps           first step at the target, null when never reached
     * @param baselineSteps   the baseline's step at its final value
     * @param reached         whether the target is reached at all
     * @param lastStep        the group's last step, for "never reaches within N steps"
     * @param target          the baseline's final (seed-mean) value
     * @param reachedFraction share of bootstrap resamples that reach the target (NaN without bootstrap)
     */
    public record Efficiency(
            Double value,
            Double ciLow,
            Double ciHigh,
            Double steps,
            double baselineSteps,
            boolean reached,
            double lastStep,
            double target,
            double reachedFraction) {}
}
