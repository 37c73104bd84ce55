package dev.replica.experiments.spec;

/**
 * The metric an experiment is judged by.
 *
 * @param primary metric name as logged, e.g. {@code train/loss}
 * @param goal    whether lower or higher is better
 */
public record MetricGoal(String primary, Goal goal) {

    public enum Goal {
        MIN,
        MAX;

        public String label() {
            return name().toLowerCase();
        }
    }
}
