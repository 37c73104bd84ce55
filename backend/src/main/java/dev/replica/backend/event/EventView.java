package dev.replica.backend.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One live event: a run changed state ({@code type = "state"}), or new metric points arrived
 * ({@code type = "metrics"}, with the latest value of each metric touched and the run's row count).
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
