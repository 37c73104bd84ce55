package dev.replica.experiments.compare;

import java.util.List;

/**
 * A group's curve aggregated across its runs (seeds), per x bucket.
 *
 * @param key the group's parameters
 * @param runIds the runs aggregated
 * @param x bucket centres
 * @param n runs with a value in each bucket
 * @param mean mean across runs
 * @param std sample standard deviation across runs (n-1); NaN when n &lt; 2
 * @param stdErr standard error of the mean, std/sqrt(n); NaN when n &lt; 2
 * @param ciLow lower end of the confidence interval of the mean (Student t, n-1 degrees of freedom)
 * @param ciHigh upper end of that interval
 * @param confidence the confidence level, e.g. 0.95
 */
public record GroupSeries(
        GroupKey key,
        List<String> runIds,
        double[] x,
        int[] n,
        double[] mean,
        double[] std,
        double[] stdErr,
        double[] ciLow,
        double[] ciHigh,
        double confidence) {

    /** Number of runs in the group. */
    public int runCount() {
        return runIds.size();
    }
}
