package dev.replica.experiments.metrics;

/**
 * Summary of one metric of one run, as the database keeps it for fast run tables.
 *
 * <p>{@code count} counts every logged value, NaN included; {@code nanCount} counts the NaNs among
 * them. {@code min}/{@code max} ignore NaN (infinities take part); they and their steps are
 * {@code null} while every logged value is NaN. Ties keep the earliest occurrence in append order.
 * {@code last} is the value appended last (in append order, not the largest step) and may be NaN.
 *
 * @param metric metric name
 * @param count logged values, NaN included
 * @param nanCount logged NaN values
 * @param last last appended value (may be NaN or infinite)
 * @param lastStep step of {@code last}
 * @param min smallest non-NaN value, or null
 * @param minStep step of {@code min}, or null
 * @param max largest non-NaN value, or null
 * @param maxStep step of {@code max}, or null
 */
public record MetricSummary(
        String metric,
        long count,
        long nanCount,
        double last,
        long lastStep,
        Double min,
        Long minStep,
        Double max,
        Long maxStep) {

    /**
     * Incremental computation of a {@link MetricSummary}; feed values in append order. Not thread-safe.
     */
    public static final class Accumulator {
        private final String metric;
        private long count;
        private long nanCount;
        private double last = Double.NaN;
        private long lastStep;
        private boolean hasMinMax;
        private double min;
        private long minStep;
        private double max;
        private long maxStep;

        /** An empty accumulator for {@code metric}. */
        public Accumulator(String metric) {
            this.metric = metric;
        }

        /** Folds one logged value. */
        public void accept(long step, double value) {
            count++;
            last = value;
            lastStep = step;
            if (Double.isNaN(value)) {
                nanCount++;
                return;
            }
            if (!hasMinMax) {
                hasMinMax = true;
                min = max = value;
                minStep = maxStep = step;
                return;
            }
            if (value < min) {
                min = value;
                minStep = step;
            }
            if (value > max) {
                max = value;
                maxStep = step;
            }
        }

        /** Whether no value was accepted. */
        public boolean isEmpty() {
            return count == 0;
        }

        /** The summary so far. */
        public MetricSummary summary() {
            return new MetricSummary(
                    metric,
                    count,
                    nanCount,
                    last,
                    lastStep,
                    hasMinMax ? min : null,
                    hasMinMax ? minStep : null,
                    hasMinMax ? max : null,
                    hasMinMax ? maxStep : null);
        }
    }
}
