package dev.replica.experiments.spec;

import java.util.Map;

/**
 * How groups of runs are compared.
 *
 * @param baseline   parameter values that pick the baseline group, e.g. {@code {optimizer: adamw}}
 * @param efficiency the efficiency measure, e.g. {@code steps_to_baseline_final}; null when absent
 */
public record CompareSpec(Map<String, Object> baseline, String efficiency) {

    public static final java.util.Set<String> EFFICIENCY_MEASURES =
            java.util.Set.of("steps_to_baseline_final", "steps_to_baseline_best", "time_to_baseline_final");
}
