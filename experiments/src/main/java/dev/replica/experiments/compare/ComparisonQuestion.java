package dev.replica.experiments.compare;

import dev.replica.experiments.spec.CompareSpec;
import dev.replica.experiments.spec.ExperimentSpec;
import dev.replica.experiments.spec.InvalidInputException;
import dev.replica.experiments.spec.MetricGoal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a comparison asks of a set of runs.
 *
 * @param metric the compared metric, e.g. {@code val/loss}
 * @param value the number each run contributes
 * @param by parameters that define a group; empty: every parameter that varies across the runs
 * @param baseline parameter values that pick the baseline group(s); a candidate is compared with the
 *     group that has its values except these; empty: the first group is the baseline
 * @param minimize whether lower is better
 * @param efficiency the efficiency measure ({@link CompareSpec#EFFICIENCY_MEASURES}), or null for none
 * @param confidence confidence level of the intervals, e.g. 0.95
 */
public record ComparisonQuestion(
        String metric,
        PerRunValue value,
        List<String> by,
        Map<String, Object> baseline,
        boolean minimize,
        String efficiency,
        double confidence) {

    /** The efficiency measure when neither the spec nor the caller names one. */
    public static final String DEFAULT_EFFICIENCY = "steps_to_baseline_final";

    public ComparisonQuestion {
        if (metric == null || metric.isBlank()) {
            throw new InvalidInputException("metric", "metric is required");
        }
        Objects.requireNonNull(value, "value");
        by = List.copyOf(by);
        baseline = Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
        if (efficiency != null && !CompareSpec.EFFICIENCY_MEASURES.contains(efficiency)) {
            throw new InvalidInputException(
                    "efficiency",
                    "efficiency must be one of "
                            + CompareSpec.EFFICIENCY_MEASURES.stream().sorted().toList() + ", got '" + efficiency
                            + "'");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidInputException("confidence", "confidence must be in (0, 1), got " + confidence);
        }
    }

    /**
     * The question a spec asks, each part replaced where the caller gives one (null or empty: the spec's).
     * This is the one place defaults are decided, so the CLI, the REST API, the workbench and reports ask
     * the same question: metric = {@code metric.primary}, goal = {@code metric.goal}, baseline = {@code
     * compare.baseline}, efficiency = {@code compare.efficiency} else {@link #DEFAULT_EFFICIENCY}, value =
     * {@code final}, grouping = the parameters that vary, 95% intervals. A metric other than the spec's
     * primary one is lower-is-better unless {@code goal} says otherwise.
     *
     * @param spec the experiment's spec (may lack {@code metric} and {@code compare})
     * @param goal {@code min}, {@code max} or null
     * @throws InvalidInputException when no metric is given and the spec names none
     */
    public static ComparisonQuestion forSpec(
            ExperimentSpec spec,
            String metric,
            String value,
            List<String> by,
            Map<String, Object> baseline,
            String goal) {
        MetricGoal primary = spec == null ? null : spec.metric();
        String m = metric != null && !metric.isBlank() ? metric : primary == null ? null : primary.primary();
        if (m == null) {
            throw new InvalidInputException("metric", "metric is required: the spec names no metric.primary");
        }
        boolean minimize;
        if (goal == null || goal.isBlank()) {
            minimize = primary == null || !primary.primary().equals(m) || primary.goal() == MetricGoal.Goal.MIN;
        } else if (goal.equals("min") || goal.equals("max")) {
            minimize = goal.equals("min");
        } else {
            throw new InvalidInputException("goal", "goal must be min or max, got '" + goal + "'");
        }
        CompareSpec compare = spec == null ? null : spec.compare();
        Map<String, Object> base = baseline != null && !baseline.isEmpty()
                ? baseline
                : compare == null || compare.baseline() == null ? Map.of() : compare.baseline();
        String efficiency = compare != null && compare.efficiency() != null ? compare.efficiency() : DEFAULT_EFFICIENCY;
        return new ComparisonQuestion(
                m,
                value == null || value.isBlank() ? PerRunValue.FINAL : PerRunValue.parse(value),
                by == null ? List.of() : by,
                base,
                minimize,
                efficiency,
                0.95);
    }
}
