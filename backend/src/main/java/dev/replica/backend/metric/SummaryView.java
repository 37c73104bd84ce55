package dev.replica.backend.metric;

/**
 * One metric's summary for one run, as the runs table shows it in its metric columns.
 *
 * @param runId  the run
 * @param metric metric name
 * @param last   last finite value (null when none)
 * @param min    smallest finite value
 * @param max    largest finite value
 * @param count  points logged
 */
public record SummaryView(long runId, String metric, Double last, Double min, Double max, long count) {}
