package dev.replica.backend.compare;

import dev.replica.backend.metric.SelectedRuns;
import dev.replica.backend.metric.SeriesService;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.compare.ComparisonEngine;
import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonRun;
import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.compare.GroupKey;
import dev.replica.experiments.compare.GroupSeries;
import dev.replica.experiments.compare.Grouping;
import dev.replica.experiments.compare.RunInfo;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.SeriesQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Feeds the compare view: reads the runs and their metric, and lets the engine in {@code experiments} do the
 * statistics, {@link GroupAggregator} the mean curves with their bands and {@link ComparisonService} (so
 * {@link ComparisonEngine}) the group table. It computes nothing itself.
 */
@ApplicationScoped
public class GroupService {

    @Inject
    SeriesService series;

    @Inject
    MetricStore store;

    @Inject
    ComparisonService comparisons;

    /**
     * The runs that logged the metric, grouped by parameters: each group's mean curve and, unless left out,
     * the group table of the comparison report in the curves' order (one colour each).
     *
     * @throws NotFoundException naming the first id that is not a run
     */
    public GroupsView groups(GroupRequest request) {
        ComparisonService.Ask ask = request.ask();
        String metric = ask.metric();
        String x = request.x().toString();
        String value = ask.value();
        SelectedRuns selected = series.select(request.runIds(), metric);
        List<RunInfo> infos = selected.withMetric().stream()
                .map(r -> new RunInfo(Long.toString(r.id()), r.params(), r.seed()))
                .toList();
        Map<GroupKey, List<RunInfo>> groups = Grouping.byParams(infos, new LinkedHashSet<>(names(infos, ask)));
        if (groups.isEmpty()) {
            return new GroupsView(metric, x, value, request.confidence(), null, List.of(), List.of());
        }
        SeriesQueries queries = new SeriesQueries(store);
        List<String> keys = selected.keys();
        Map<String, SeriesQueries.Points> points = request.from() != null || request.to() != null
                ? queries.points(keys, metric, request.x(), request.from(), request.to())
                : queries.points(keys, metric, request.x());
        List<GroupSeries> curves = new GroupAggregator(
                        request.buckets(), request.confidence(), GroupAggregator.PerRun.MEAN)
                .aggregate(groups, points);
        List<GroupsView.Curve> views = curves.stream()
                .map(s -> new GroupsView.Curve(
                        s.key().label(), s.key().params(), s.runIds(), s.x(), s.n(), s.mean(), s.ciLow(), s.ciHigh()))
                .toList();
        if (!request.withTable()) {
            return new GroupsView(metric, x, value, request.confidence(), null, views, List.of());
        }
        ComparisonReport report = comparisons.forRuns(
                selected.withMetric().stream().map(RunView::id).toList(), ask);
        List<GroupsView.Row> table = new ArrayList<>();
        for (GroupsView.Curve c : views) {
            report.group(c.label()).ifPresent(g -> table.add(GroupsView.Row.of(g)));
        }
        String base = report.groups().stream()
                .filter(ComparisonReport.Group::baseline)
                .map(ComparisonReport.Group::label)
                .findFirst()
                .orElse(null);
        return new GroupsView(metric, x, value, report.confidence(), base, views, table);
    }

    /** The grouping parameters asked, else the engine's default (those that vary). */
    private static List<String> names(List<RunInfo> infos, ComparisonService.Ask ask) {
        if (!ask.by().isEmpty()) {
            return ask.by();
        }
        return ComparisonEngine.grouping(
                infos.stream()
                        .map(r -> new ComparisonRun(r.runId(), r.params(), r.seed(), null, null, null))
                        .toList(),
                List.of());
    }
}
