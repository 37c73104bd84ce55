package dev.replica.experiments.metrics;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.Objects;

/**
 * What a series is plotted against: the step, the wall-clock time, or any metric that grows with
 * the run (e.g. {@code tokens}). Rows where the x value is missing or NaN are left out.
 *
 * @param kind step, time or metric
 * @param metric the metric name when {@code kind} is {@link Kind#METRIC}, else null
 */
public record XAxis(Kind kind, String metric) {
    /** Kinds of x axis. */
    public enum Kind {
        STEP,
        TIME_MS,
        METRIC
    }

    public XAxis {
        Objects.requireNonNull(kind);
        if ((kind == Kind.METRIC) != (metric != null)) {
            throw new IllegalArgumentException("a metric x axis needs a metric name, the others none");
        }
    }

    /** By step. */
    public static XAxis step() {
        return new XAxis(Kind.STEP, null);
    }

    /** By wall-clock time in milliseconds. */
    public static XAxis timeMs() {
        return new XAxis(Kind.TIME_MS, null);
    }

    /** By a monotone metric such as {@code tokens}. */
    public static XAxis metric(String name) {
        return new XAxis(Kind.METRIC, MetricNames.requireValid(name));
    }

    /**
     * Parses {@code step}, {@code time_ms} (or {@code time}) or any metric name, as a query parameter
     * would give it.
     *
     * @throws InvalidInputException naming {@code x} when the text is not a valid metric name
     */
    public static XAxis parse(String text) {
        switch (text) {
            case MetricNames.STEP:
                return step();
            case MetricNames.TIME_MS:
            case "time":
                return timeMs();
            default:
                try {
                    return metric(text);
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(
                            "x", "x must be step, time_ms or a metric name, got '" + text + "': " + e.getMessage(), e);
                }
        }
    }

    @Override
    public String toString() {
        return kind == Kind.STEP ? MetricNames.STEP : kind == Kind.TIME_MS ? MetricNames.TIME_MS : metric;
    }
}
