package dev.replica.experiments.compare;

import java.util.List;
import java.util.Map;

/**
 * The one comparison every surface shows: the CLI's tables, the REST API, the compare page's group table
 * and generated reports render this object and compute nothing of their own. Immutable; numbers that are
 * undefined (too few runs, no baseline) are null.
 *
 * @param metric the compared metric
 * @param value the per-run value, e.g. {@code final} or {@code mean_last_10}
 * @param goal {@code min} or {@code max}
 * @param by the grouping parameters (the ones asked, or those that vary across the runs)
 * @param baseline the baseline's parameter values as asked (or as chosen when none was asked)
 * @param efficiencyMeasure the efficiency measure, or null
 * @param confidence confidence level of the intervals
 * @param runs every run, in input order, with its value or why it has none
 * @param groups the groups, best mean first (groups without a value last, then by label)
 * @param warnings what weakens the comparison: small groups, diverged or unfinished runs, unequal seeds,
 *     candidates without a baseline
 */
public record ComparisonReport(
        String metric,
        String value,
        String goal,
        List<String> by,
        Map<String, Object> baseline,
        String efficiencyMeasure,
        double confidence,
        List<RunValue> runs,
        List<Group> groups,
        List<String> warnings) {

    public ComparisonReport {
        by = List.copyOf(by);
        runs = List.copyOf(runs);
        groups = List.copyOf(groups);
        warnings = List.copyOf(warnings);
    }

    /** A run's status in a comparison. */
    public enum Status {
        /** A value, used in the statistics. */
        ok,
        /** Logged NaN or ±∞ (at {@link RunValue#divergedAtStep}); left out of the statistics. */
        diverged,
        /** No value: nothing logged, or the run failed or was cancelled; left out. */
        missing,
        /** Not finished; left out until it is. */
        running
    }

    /**
     * One run's value.
     *
     * @param runId run id
     * @param group label of its group
     * @param seed its seed
     * @param status see {@link Status}
     * @param value the per-run value when {@code ok}, else null
     * @param divergedAtStep the first step with a NaN or ±∞ value, when diverged
     * @param lastFiniteStep the last step before that with a finite value (null when none), when diverged
     * @param reason why a run that is not {@code ok} has no value, in words
     */
    public record RunValue(
            String runId,
            String group,
            Long seed,
            Status status,
            Double value,
            Long divergedAtStep,
            Long lastFiniteStep,
            String reason) {}

    /**
     * One group (a configuration, its seeds pooled) and its tests against its baseline group.
     *
     * @param label {@code lr=0.001, optimizer=adamw}; {@code (all runs)} without grouping parameters
     * @param params the group's parameter values
     * @param baseline whether this is a baseline group
     * @param baselineLabel the group this one is compared with (its own label for a baseline); null when
     *     none matches
     * @param runIds all its runs
     * @param runs number of runs
     * @param n runs with a value ({@code ok})
     * @param diverged diverged runs
     * @param missing runs without a value
     * @param running unfinished runs
     * @param seeds the seeds of its runs, ascending
     * @param mean mean of the values
     * @param ciLow lower end of the Student-t interval of the mean (null with fewer than two values)
     * @param ciHigh upper end
     * @param welchP Welch's t-test p against the baseline, two-sided (null for a baseline or when
     *     untestable)
     * @param welchPHolm the same, Holm-adjusted over every candidate
     * @param mannWhitneyP Mann–Whitney U p, two-sided
     * @param mannWhitneyPHolm the same, Holm-adjusted over every candidate
     * @param hedgesG bias-corrected effect size, candidate minus baseline, in pooled standard deviations
     *     (null when undefined, e.g. no spread)
     * @param efficiency the efficiency against the baseline, null for a baseline or when not computable
     */
    public record Group(
            String label,
            Map<String, Object> params,
            boolean baseline,
            String baselineLabel,
            List<String> runIds,
            int runs,
            int n,
            int diverged,
            int missing,
            int running,
            List<Long> seeds,
            Double mean,
            Double ciLow,
            Double ciHigh,
            Double welchP,
            Double welchPHolm,
            Double mannWhitneyP,
            Double mannWhitneyPHolm,
            Double hedgesG,
            GroupEfficiency efficiency) {}

    /**
     * The NorMuon paper's efficiency, {@code 1 − x_candidate / x_baseline}, on seed-mean curves of the
     * {@code ok} runs, with a percentile bootstrap interval over seeds (see {@link EfficiencyEstimate}).
     * x is the step, or the time since the run's first point for {@code time_to_baseline_final}.
     *
     * @param value the efficiency (0.3 = 30% fewer steps); null when the candidate never reaches the target
     * @param ciLow lower end of the interval; null when unbounded or without a bootstrap
     * @param ciHigh upper end; null when unbounded or without a bootstrap
     * @param x the candidate's first x at the target; null when never reached
     * @param baselineX the baseline's x at the target
     * @param reached whether the candidate's mean curve reaches the target
     * @param lastX the candidate's last x, for "never reaches within N"
     * @param target the baseline's target value (its seed-mean final or best value)
     * @param reachedFraction share of bootstrap resamples that reach the target; null without a bootstrap
     * @param resamples bootstrap resamples (0 when a group has fewer than two runs)
     */
    public record GroupEfficiency(
            Double value,
            Double ciLow,
            Double ciHigh,
            Double x,
            double baselineX,
            boolean reached,
            double lastX,
            double target,
            Double reachedFraction,
            int resamples) {}

    /** The group with this label, if any. */
    public java.util.Optional<Group> group(String label) {
        return groups.stream().filter(g -> g.label().equals(label)).findFirst();
    }
}
