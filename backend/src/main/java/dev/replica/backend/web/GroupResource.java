package dev.replica.backend.web;

import dev.replica.backend.compare.ComparisonService;
import dev.replica.backend.run.RunIds;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.compare.ComparisonEngine;
import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonRun;
import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.compare.GroupKey;
import dev.replica.experiments.compare.GroupSeries;
import dev.replica.experiments.compare.Grouping;
import dev.replica.experiments.compare.PerRunValue;
import dev.replica.experiments.compare.RunInfo;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.XAxis;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** HTTP only, read-only: the compare view's groups (mean curve and CI band across seeds) and group table. */
@Path("/api/web")
public class GroupResource {

    @Inject
    RunQueries runs;

    @Inject
    MetricStore store;

    @Inject
    SummaryQueries summaries;

    @Inject
    ComparisonService comparisons;

    @GET
    @Path("/summaries")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Metric summaries (last, min, max, count) of every run of an experiment, for the runs table")
    public List<SummaryView> summaries(@QueryParam("experiment") Long experimentId) {
        if (experimentId == null) {
            throw new IllegalArgumentException("experiment is required");
        }
        return summaries.byExperiment(experimentId);
    }

    @GET
    @Path("/groups")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Runs grouped by parameters: mean curve with CI band across seeds, and the group table of the "
                            + "comparison report (the one GET /api/experiments/{id}/comparison and `replica compare` give): a value "
                            + "per run (final, best, min, max, mean_last_K), mean ± CI, Welch and Mann–Whitney p-values Holm-adjusted, "
                            + "Hedges' g, the efficiency with a bootstrap CI, and how many runs diverged. baseline: name=value pairs "
                            + "(default: the spec's compare.baseline); goal=min|max (default: the spec's). from/to restrict the curves "
                            + "to an x range (a zoomed chart); the table always compares whole runs, and table=false leaves it out")
    public GroupsView groups(
            @QueryParam("runs") String runIds,
            @QueryParam("metric") String metric,
            @QueryParam("by") String by,
            @QueryParam("x") @DefaultValue("step") String x,
            @QueryParam("buckets") @DefaultValue("500") int buckets,
            @QueryParam("confidence") @DefaultValue("0.95") double confidence,
            @QueryParam("scalar") @DefaultValue("final") String scalar,
            @QueryParam("baseline") String baseline,
            @QueryParam("goal") String goal,
            @QueryParam("from") Double from,
            @QueryParam("to") Double to,
            @QueryParam("table") @DefaultValue("true") boolean withTable) {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("metric is required");
        }
        if (buckets < 1 || buckets > 10_000) {
            throw new IllegalArgumentException("buckets must be in [1, 10000], got " + buckets);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        if (from != null && to != null && from > to) {
            throw new IllegalArgumentException("from must not be above to, got from=" + from + ", to=" + to);
        }
        List<Long> ids = RunIds.parse("runs", runIds);
        String value = PerRunValue.parse(scalar).toString();
        XAxis axis = XAxis.parse(x);
        ComparisonService.Ask ask = ComparisonService.Ask.parse(metric, value, by, baseline, goal);
        SelectedRuns selected = SelectedRuns.of(runs, store, ids, metric);
        List<RunInfo> infos = selected.withMetric().stream()
                .map(r -> new RunInfo(Long.toString(r.id()), r.params(), r.seed()))
                .toList();
        Map<GroupKey, List<RunInfo>> groups = Grouping.byParams(infos, new LinkedHashSet<>(names(infos, ask)));
        if (groups.isEmpty()) {
            return new GroupsView(metric, x, value, confidence, null, List.of(), List.of());
        }
        SeriesQueries queries = new SeriesQueries(store);
        List<String> keys = infos.stream().map(RunInfo::runId).toList();
        Map<String, SeriesQueries.Points> points = from != null || to != null
                ? queries.points(keys, metric, axis, from, to)
                : queries.points(keys, metric, axis);
        List<GroupSeries> series =
                new GroupAggregator(buckets, confidence, GroupAggregator.PerRun.MEAN).aggregate(groups, points);
        List<GroupsView.Curve> curves = series.stream()
                .map(s -> new GroupsView.Curve(
                        s.key().label(), s.key().params(), s.runIds(), s.x(), s.n(), s.mean(), s.ciLow(), s.ciHigh()))
                .toList();
        if (!withTable) {
            return new GroupsView(metric, x, value, confidence, null, curves, List.of());
        }
        // The table is the engine's report on the runs with the metric, in the curves' order (one colour each).
        ComparisonReport report = comparisons.forRuns(
                selected.withMetric().stream().map(RunView::id).toList(), ask);
        List<GroupsView.Row> table = new ArrayList<>();
        for (GroupsView.Curve c : curves) {
            report.group(c.label()).ifPresent(g -> table.add(GroupsView.Row.of(g)));
        }
        String base = report.groups().stream()
                .filter(ComparisonReport.Group::baseline)
                .map(ComparisonReport.Group::label)
                .findFirst()
                .orElse(null);
        return new GroupsView(metric, x, value, report.confidence(), base, curves, table);
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
