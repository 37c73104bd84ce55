package dev.replica.experiments.search;

import java.util.List;

/**
 * What successive halving decided about one configuration at one rung.
 *
 * @param config     the configuration (its parameters without the seed, as a stable key)
 * @param bracket    its Hyperband bracket (0 for ASHA)
 * @param rung       the rung's index k within the bracket
 * @param resource   the rung's resource (e.g. the step it sits at)
 * @param pruned     true: stop every seed run of the configuration; false: it continues to the next rung
 * @param mean       mean of its seed runs' primary metric at the rung
 * @param ciLow      lower end of the 95% confidence interval of that mean (NaN with one seed)
 * @param ciHigh     upper end (NaN with one seed)
 * @param seeds      the seed runs' values at the rung, in seed order
 * @param cutoff     the rung's cut-off: the ⌈n/η⌉-th best mean of the n configurations that reached it
 * @param rank       the configuration's rank by mean among them (1 = best)
 * @param reached    n, how many configurations have reached the rung, this one included
 */
public record RungDecision(
        String config,
        int bracket,
        int rung,
        long resource,
        boolean pruned,
        double mean,
        double ciLow,
        double ciHigh,
        List<Double> seeds,
        double cutoff,
        int rank,
        int reached) {

    /** One line for people: what was decided and why. */
    public String describe(String resourceName) {
        String ci = Double.isNaN(ciLow)
                ? ""
                : String.format(java.util.Locale.ROOT, " (95%% CI %.4g … %.4g)", ciLow, ciHigh);
        return String.format(
                java.util.Locale.ROOT,
                "%s at rung %d (%s ≥ %d): mean %.4g%s, rank %d of %d, cut-off %.4g",
                pruned ? "pruned" : "promoted",
                rung,
                resourceName,
                resource,
                mean,
                ci,
                rank,
                reached,
                cutoff);
    }
}
