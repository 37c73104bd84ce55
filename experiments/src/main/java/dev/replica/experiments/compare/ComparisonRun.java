package dev.replica.experiments.compare;

import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A run as the comparison engine reads it: its parameters, seed, lifecycle state and the compared
 * metric's logged values.
 *
 * @param runId run id
 * @param params resolved parameters (without the seed)
 * @param seed replicate seed, or null
 * @param state lifecycle state ({@code QUEUED}, {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED},
 *     {@code CANCELLED}, {@code INTERRUPTED}); null when unknown, read as finished
 * @param byStep the metric's logged values with the step as x (ascending), NaN and ±∞ as logged; null
 *     or empty when the run logged none
 * @param byTime the same values with the time in milliseconds as x; needed only for a time-based
 *     efficiency measure, else null
 */
public record ComparisonRun(
        String runId, Map<String, Object> params, Long seed, String state, Points byStep, Points byTime) {
    public ComparisonRun {
        Objects.requireNonNull(runId, "runId");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** Whether the run has not finished yet. */
    boolean isUnfinished() {
        return "QUEUED".equals(state) || "RUNNING".equals(state);
    }

    /** Whether the run ended without succeeding. */
    boolean isFailed() {
        return state != null && !"SUCCEEDED".equals(state) && !isUnfinished();
    }
}
