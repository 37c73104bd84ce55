package dev.replica.experiments.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which columns of a run to decode. Steps are always decoded; times and metrics only when asked, so a
 * chart of one metric skips the others.
 *
 * @param times whether to decode {@code time_ms}
 * @param metrics metric names to decode, or null for every metric of the run
 */
public record Projection(boolean times, Set<String> metrics) {
    /** Every column. */
    public static final Projection ALL = new Projection(true, null);

    public Projection {
        metrics = metrics == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(metrics));
    }

    /** Steps and {@code names} (no times). */
    public static Projection of(String... names) {
        return new Projection(false, new LinkedHashSet<>(Arrays.asList(names)));
    }

    /** The same columns plus {@code time_ms}. */
    public Projection withTimes() {
        return new Projection(true, metrics);
    }

    /** Whether every metric is wanted. */
    public boolean allMetrics() {
        return metrics == null;
    }
}
