package dev.replica.backend.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One live event: a run changed state ({@code type = "state"}), or new metric points arrived
 * ({@code type = "metrics"}, with the latest value of each metric touched and the run's row count), or early
 * stopping promoted or pruned the run's configuration at a rung ({@code type = "search"}, the decision in
 * {@code message}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(
        String type,
        long runId,
        long experimentId,
        String from,
        String to,
        String message,
        Instant at,
        Map<String, Double> latest,
        Long rows) {}
