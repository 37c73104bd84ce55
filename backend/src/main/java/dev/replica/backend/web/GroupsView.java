package dev.replica.backend.web;

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
public record GroupsView(String metric, String x, String scalar, double confidence, String baseline,
                         List<Curve> groups, List<Row> table) {

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
    public record Curve(String label, Map<String, Object> params, List<String> runIds, double[] x, int[] n,
                        double[] mean, double[] ciLow, double[] ciHigh) {
    }

    /**
     * A group's scalar (mean ± CI over its runs) and its tests against the baseline (NaN for the baseline).
     *
     * @param label            group label
     * @param n                runs with a value
     * @param mean             mean
     * @param ciLow            interval low end (NaN with fewer than two runs)
     * @param ciHigh           interval high end
     * @param baseline         whether this is the baseline
     * @param welchP           Welch's t-test p-value, two-sided
     * @param welchPHolm       the same, Holm-adjusted over the candidates
     * @param mannWhitneyPHolm Mann–Whitney U p-value, Holm-adjusted
     * @param hedgesG          effect size (candidate minus baseline), bias-corrected
     */
    public record Row(String label, int n, double mean, double ciLow, double ciHigh, boolean baseline,
                      double welchP, double welchPHolm, double mannWhitneyPHolm, double hedgesG) {
    }
}
