package dev.replica.experiments.metrics;

import java.util.Map;

/**
 * What one {@link MetricStore#append} did.
 *
 * @param runId the run
 * @param rowsAppended rows written by this call
 * @param totalRows rows in the run's file after this call
 * @param summaries up-to-date summary of every metric the batch touched, by name, ready for the
 *     database upsert
 */
public record AppendResult(String runId, int rowsAppended, long totalRows, Map<String, MetricSummary> summaries) {
    public AppendResult {
        summaries = Map.copyOf(summaries);
    }
}
