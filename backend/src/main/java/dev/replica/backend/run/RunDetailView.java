package dev.replica.backend.run;

import java.time.Instant;
import java.util.List;

/** One run with its history and metric summaries. */
public record RunDetailView(RunView run, List<Event> events, List<MetricSummaryView> metrics) {

    /** A state change. */
    public record Event(String from, String to, String message, Instant at) {}

    /** Per-metric summary kept as points arrive. */
    public record MetricSummaryView(
            String metric,
            Double last,
            Long lastStep,
            Double min,
            Long minStep,
            Double max,
            Long maxStep,
            long count,
            long nanCount) {}
}
