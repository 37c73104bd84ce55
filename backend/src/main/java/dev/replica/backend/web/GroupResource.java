package dev.replica.backend.web;

import dev.replica.backend.experiment.ExperimentQueries;
import dev.replica.backend.experiment.ExperimentView;
import dev.replica.backend.run.RunIds;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.compare.Efficiency;
import dev.replica.experiments.compare.EfficiencyEstimate;
import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.compare.GroupComparison;
import dev.replica.experiments.compare.GroupKey;
import dev.replica.experiments.compare.GroupSeries;
import dev.replica.experiments.compare.Grouping;
import dev.replica.experiments.compare.PairwiseComparison;
import dev.replica.experiments.compare.RunInfo;
import dev.replica.experiments.compare.Scalar;
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
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    ExperimentQueries experiments;

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
            summary = "Runs grouped by parameters: mean curve with CI band across seeds, and a table of a scalar "
                    + "per run (mean ± CI, Welch and Mann–Whitney p-values Holm-adjusted, Hedges' g, and the efficiency: "
                    + "1 - steps to reach the baseline's final value / the baseline's steps, bootstrap CI over seeds) "
                    + "against a baseline group; goal=min|max (default: the experiment's metric goal). from/to restrict "
                    + "the curves to an x range (a zoomed chart); the table always compares whole runs, and table=false "
                    + "leaves it out (a zoom needs only the curves)")
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
        Scalar perRun = parseScalar(scalar);
        XAxis axis = XAxis.parse(x);
        SelectedRuns selected = SelectedRuns.of(runs, store, ids, metric);
        List<RunInfo> infos = selected.withMetric().stream()
                .map(r -> new RunInfo(Long.toString(r.id()), r.params(), r.seed()))
                .toList();
        Map<GroupKey, List<RunInfo>> groups =
                by == null || by.isBlank() ? Grouping.bySeedlessParams(infos) : Grouping.byParams(infos, names(by));
        if (groups.isEmpty()) {
            return new GroupsView(metric, x, scalar, confidence, null, List.of(), List.of());
        }
        SeriesQueries queries = new SeriesQueries(store);
        List<String> keys = infos.stream().map(RunInfo::runId).toList();
        boolean ranged = from != null || to != null;
        Map<String, SeriesQueries.Points> points =
                ranged ? queries.points(keys, metric, axis, from, to) : queries.points(keys, metric, axis);
        List<GroupSeries> series =
                new GroupAggregator(buckets, confidence, GroupAggregator.PerRun.MEAN).aggregate(groups, points);
        GroupKey base = groups.keySet().stream()
                .filter(k -> k.label().equals(baseline))
                .findFirst()
                .orElse(groups.keySet().iterator().next());
        List<GroupsView.Curve> curves = series.stream()
                .map(s -> new GroupsView.Curve(
                        s.key().label(), s.key().params(), s.runIds(), s.x(), s.n(), s.mean(), s.ciLow(), s.ciHigh()))
                .toList();
        if (!withTable) {
            return new GroupsView(metric, x, perRun.toString(), confidence, base.label(), curves, List.of());
        }
        Map<String, SeriesQueries.Points> stepPoints =
                axis.kind() == XAxis.Kind.STEP && !ranged ? points : queries.points(keys, metric, XAxis.step());
        GroupComparison.Report report = GroupComparison.compare(groups, stepPoints, base, perRun);
        Efficiency.Goal direction = parseGoal(goal, selected.all().get(ids.get(0)));
        // The bootstrap is the costly part: one candidate group per core.
        Map<GroupKey, GroupsView.Efficiency> efficiencies = new java.util.concurrent.ConcurrentHashMap<>();
        groups.keySet().parallelStream().filter(k -> !k.equals(base)).forEach(k -> {
            GroupsView.Efficiency e = efficiency(groups.get(base), groups.get(k), stepPoints, direction, confidence);
            if (e != null) {
                efficiencies.put(k, e);
            }
        });
        List<GroupsView.Row> table = new ArrayList<>();
        for (Map.Entry<GroupKey, double[]> g : report.values().entrySet()) {
            double[] v = g.getValue();
            GroupAggregator.Interval ci = GroupAggregator.meanInterval(v, confidence);
            PairwiseComparison c = report.comparisons().stream()
                    .filter(p -> p.candidate().equals(g.getKey()))
                    .findFirst()
                    .orElse(null);
            table.add(new GroupsView.Row(
                    g.getKey().label(),
                    v.length,
                    ci.mean(),
                    ci.low(),
                    ci.high(),
                    g.getKey().equals(base),
                    c == null ? Double.NaN : c.welchP(),
                    c == null ? Double.NaN : c.welchPHolm(),
                    c == null ? Double.NaN : c.mannWhitneyPHolm(),
                    c == null ? Double.NaN : c.hedgesG(),
                    efficiencies.get(g.getKey())));
        }
        return new GroupsView(metric, x, perRun.toString(), confidence, base.label(), curves, table);
    }

    /** Efficiency of a candidate group against the baseline; null when the baseline has no value. */
    static GroupsView.Efficiency efficiency(
            List<RunInfo> baseline,
            List<RunInfo> candidate,
            Map<String, SeriesQueries.Points> points,
            Efficiency.Goal goal,
            double confidence) {
        List<SeriesQueries.Points> b =
                baseline.stream().map(r -> points.get(r.runId())).toList();
        List<SeriesQueries.Points> c =
                candidate.stream().map(r -> points.get(r.runId())).toList();
        EfficiencyEstimate.Result r;
        try {
            r = EfficiencyEstimate.estimate(b, c, goal, Efficiency.Target.FINAL, confidence);
        } catch (IllegalArgumentException e) {
            return null;
        }
        Efficiency p = r.point();
        return new GroupsView.Efficiency(
                r.value(),
                r.ciLow(),
                r.ciHigh(),
                p.candidateX(),
                p.baselineX(),
                p.reached(),
                p.candidateLastX(),
                p.target(),
                r.reachedFraction());
    }

    /** {@code min} or {@code max}; by default the experiment's metric goal, else min. */
    Efficiency.Goal parseGoal(String goal, RunView anyRun) {
        String g = goal;
        if (g == null || g.isBlank()) {
            g = experiments
                    .find(anyRun.experimentId())
                    .map(ExperimentView::metricGoal)
                    .orElse("min");
        }
        return switch (g == null ? "min" : g) {
            case "min" -> Efficiency.Goal.MINIMIZE;
            case "max" -> Efficiency.Goal.MAXIMIZE;
            default -> throw new IllegalArgumentException("goal must be min or max, got '" + goal + "'");
        };
    }

    static Set<String> names(String by) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(by.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    /** {@code final}, {@code min}, {@code max}, {@code last:K} (mean of the last K) or {@code step:N}. */
    static Scalar parseScalar(String scalar) {
        try {
            if (scalar.startsWith("last:")) {
                return Scalar.meanOfLast(Integer.parseInt(scalar.substring(5)));
            }
            if (scalar.startsWith("step:")) {
                return Scalar.atStep(Long.parseLong(scalar.substring(5)));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "scalar must be final, min, max, last:K or step:N, got '" + scalar + "'");
        }
        return switch (scalar) {
            case "final" -> Scalar.finalValue();
            case "min" -> Scalar.min();
            case "max" -> Scalar.max();
            default ->
                throw new IllegalArgumentException(
                        "scalar must be final, min, max, last:K or step:N, got '" + scalar + "'");
        };
    }
}
