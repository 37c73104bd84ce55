package dev.replica.backend.compare;

import dev.replica.experiments.metrics.XAxis;
import dev.replica.experiments.spec.InvalidInputException;
import java.util.List;

/**
 * What the compare view asks of a set of runs: curves of one metric grouped by parameters, and the group table.
 *
 * @param runIds     the runs, in the order asked
 * @param x          the x axis of the curves
 * @param buckets    buckets along x, 1 to {@value #MAX_BUCKETS}
 * @param confidence confidence level of the bands, in (0, 1)
 * @param from       start of the x range of the curves (null: none); the table always compares whole runs
 * @param to         end of the x range of the curves (null: none)
 * @param ask        metric, per-run value, grouping, baseline and goal (null parts: the spec's)
 * @param withTable  whether to compute the group table (a zoomed chart only needs the curves)
 */
public record GroupRequest(
        List<Long> runIds,
        XAxis x,
        int buckets,
        double confidence,
        Double from,
        Double to,
        ComparisonService.Ask ask,
        boolean withTable) {

    /** Most buckets a group curve may have. */
    public static final int MAX_BUCKETS = 10_000;

    /** @throws InvalidInputException naming the field out of range */
    public GroupRequest {
        runIds = List.copyOf(runIds);
        if (ask.metric() == null || ask.metric().isBlank()) {
            throw new InvalidInputException("metric", "metric is required");
        }
        if (buckets < 1 || buckets > MAX_BUCKETS) {
            throw new InvalidInputException("buckets", "buckets must be in [1, " + MAX_BUCKETS + "], got " + buckets);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidInputException("confidence", "confidence must be in (0, 1), got " + confidence);
        }
        if (from != null && to != null && from > to) {
            throw new InvalidInputException("from", "from must not be above to, got from=" + from + ", to=" + to);
        }
    }
}
