package dev.replica.experiments.metrics;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.List;

/**
 * A batch would take a run past its cap on distinct metric names ({@link MetricStore.Options#maxMetricNames()}).
 * Nothing of the batch is written. Invalid input: REST answers 400 with this message.
 */
public class MetricNameLimitException extends InvalidInputException {

    public MetricNameLimitException(String runId, int known, List<String> newNames, int max) {
        super(
                "metrics",
                "run " + runId + " would have " + (known + newNames.size()) + " distinct metric names, more than the "
                        + max + " allowed per run (replica.metrics.max-names-per-run); it has " + known
                        + ", this batch adds " + newNames.size() + " (first: " + newNames.get(0)
                        + "). Nothing of the batch was stored. Log varying values as one metric, not one name per value.");
    }
}
