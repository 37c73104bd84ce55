package dev.replica.backend.metric;

import dev.replica.backend.run.RunView;
import java.util.List;

/**
 * Those of the runs a chart request names that logged the metric.
 *
 * @param withMetric the named runs that logged the metric, in the order named
 */
public record SelectedRuns(List<RunView> withMetric) {

    /** The metric-store keys of the runs with the metric, in the order named. */
    public List<String> keys() {
        return withMetric.stream().map(r -> Long.toString(r.id())).toList();
    }
}
