package dev.replica.backend.experiment;

import java.time.Instant;
import java.util.Map;

/**
 * An experiment as the API shows it.
 *
 * @param runsByState number of runs in each state, e.g. {@code {"QUEUED": 27}}
 * @param specText    the spec as written; only in single-experiment responses
 * @param displayName the user's name for it (PATCH /api/experiments/{id}); {@code name} is the spec's
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
        String specText,
        String displayName,
        String note,
        java.util.List<String> tags,
        boolean archived) {}
