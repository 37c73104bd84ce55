package dev.replica.backend.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the API shows it; {@code params} are the resolved parameters (without the seed). {@code
 * displayName}, {@code note}, {@code tags} and {@code archived} are the user's labels (PATCH /api/runs/{id});
 * {@code prunedAtResource} is the rung (e.g. the step) where early stopping stopped a PRUNED run.
 */
public record RunView(
        long id,
        long experimentId,
        String experimentName,
        int index,
        long seed,
        String state,
        Map<String, Object> params,
        int attempt,
        String executor,
        Integer exitCode,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String displayName,
        String note,
        List<String> tags,
        boolean archived,
        Long prunedAtResource) {}
