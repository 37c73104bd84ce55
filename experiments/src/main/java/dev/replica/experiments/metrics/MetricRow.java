package dev.replica.experiments.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One logged row: the metrics of one step. A metric absent from {@link #values()} was not logged
 * at this step (stored as null); NaN and infinities are legitimate logged values.
 *
 * @param step training step (any {@code long}; usually monotone)
 * @param timeMs wall-clock time in milliseconds since the epoch
 * @param values metric name to value, in insertion order; unmodifiable
 */
public record MetricRow(long step, long timeMs, Map<String, Double> values) {
    public MetricRow {
        Objects.requireNonNull(values, "values");
        LinkedHashMap<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            MetricNames.requireValid(e.getKey());
            copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), () -> "value of " + e.getKey()));
        }
        values = Collections.unmodifiableMap(copy);
    }

    /** A row with a single metric. */
    public static MetricRow of(long step, long timeMs, String metric, double value) {
        return new MetricRow(step, timeMs, Map.of(metric, value));
    }
}
