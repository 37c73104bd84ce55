package dev.replica.backend.web;

import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.metrics.MetricStore;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runs a chart request names, looked up in one query, and those of them that logged the metric.
 *
 * @param all        every named run, by id
 * @param withMetric the named runs that logged the metric, in the order named
 */
record SelectedRuns(Map<Long, RunView> all, List<RunView> withMetric) {

    /** @throws NotFoundException naming the first id that is not a run */
    static SelectedRuns of(RunQueries runs, MetricStore store, List<Long> ids, String metric) {
        Map<Long, RunView> all = runs.views(ids);
        List<RunView> withMetric = new ArrayList<>();
        for (long id : ids) {
            RunView run = all.get(id);
            if (run == null) {
                throw new NotFoundException("no run with id " + id);
            }
            if (store.metrics(Long.toString(id)).contains(metric)) { // a run without a file has no metrics
                withMetric.add(run);
            }
        }
        return new SelectedRuns(all, withMetric);
    }
}
