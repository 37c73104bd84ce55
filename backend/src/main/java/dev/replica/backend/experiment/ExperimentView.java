package dev.replica.backend.experiment;

import java.time.Instant;
import java.util.Map;

/**
 * An experiment as the API shows it.
 *
 * @param runsByState number of runs in each state, e.g. {@code {"QUEUED": 27}}
 * @param specText    the spec as written; only in single-experiment responses
 */
public record ExperimentView(
        long id,
        String name,
        String description,
        String kind,
        String specFile,
        String primaryMetric,
        String metricGoal,
        int runCount,
        Instant createdAt,
        Map<String, Long> runsByState,
        String specText) {}
