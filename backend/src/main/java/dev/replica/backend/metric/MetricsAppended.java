package dev.replica.backend.metric;

import dev.replica.experiments.metrics.MetricBatch;

/** A CDI event: rows were appended to a run's metrics (by an in-process sink or through the API). */
public record MetricsAppended(long runId, MetricBatch batch) {}
