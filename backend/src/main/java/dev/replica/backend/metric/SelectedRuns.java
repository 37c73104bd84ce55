package dev.replica.backend.metric;

import dev.replica.backend.run.RunView;
import java.util.List;
import java.util.Map;

/**
 * The runs a chart request names, looked up in one query, and those of them that logged the metric.
 *
 * @param all        every named run, by id
 * @param withMetric the named runs that logged the metric, in the order named
 */
public record SelectedRuns(Map<Long, RunView> all, List<RunView> withMetric) {

    /** The metric-store keys of the runs with the metric, in the order named. */
    public List<String> keys() {
        return withMetric.stream().map(r -> Long.toString(r.id())).toList();
    }
}
