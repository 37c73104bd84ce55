package dev.replica.backend.compare;

import static dev.replica.backend.db.Tables.METRIC_SUMMARY;
import static dev.replica.backend.db.Tables.RUN;

import dev.replica.backend.experiment.Experiment;
import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunView;
import dev.replica.experiments.compare.Efficiency;
import dev.replica.experiments.compare.EfficiencyEstimate;
import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.compare.Statistics;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.XAxis;
import dev.replica.experiments.spec.ExperimentSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.jooq.DSLContext;

/**
 * The table {@code replica run} ends with: each configuration's primary metric (final value) as mean and
 * 95% CI over seeds, and Welch's p against the baseline configuration that differs only in the
 * baseline's parameters ({@code compare.baseline}), Holm-corrected over all comparisons; and, when the
 * spec names an efficiency measure ({@code compare.efficiency}), the NorMuon paper's efficiency against
 * that same baseline on the seed-mean curves with a bootstrap CI over seeds.
 */
@ApplicationScoped
public class ExperimentComparison {

    @Inject
    RunQueries runs;

    @Inject
    DSLContext dsl;

    @Inject
    MetricStore store;

    public List<GroupRow> primaryMetricTable(Experiment experiment, ExperimentSpec spec) {
        if (spec.metric() == null) {
            return List.of();
        }
        List<RunView> all = runs.list(new RunFilter(experiment.id, null, Map.of(), RunFilter.MAX_LIMIT, 0));
        Map<Long, Double> finals = new HashMap<>();
        dsl.select(METRIC_SUMMARY.RUN_ID, METRIC_SUMMARY.LAST_VALUE)
                .from(METRIC_SUMMARY)
                .join(RUN)
                .on(RUN.ID.eq(METRIC_SUMMARY.RUN_ID))
                .where(RUN.EXPERIMENT_ID.eq(experiment.id))
                .and(METRIC_SUMMARY.METRIC.eq(spec.metric().primary()))
                .forEach(r -> {
                    if (r.value2() != null) {
                        finals.put(r.value1(), r.value2());
                    }
                });
        Set<String> varying = varying(all);
        Map<Map<String, Object>, List<Double>> groups = new LinkedHashMap<>();
        Map<Map<String, Object>, List<String>> runIds = new LinkedHashMap<>();
        for (RunView r : all) {
            Map<String, Object> key = new TreeMap<>();
            varying.forEach(v -> key.put(v, r.params().get(v)));
            runIds.computeIfAbsent(key, k -> new ArrayList<>()).add(Long.toString(r.id()));
            List<Double> values = groups.computeIfAbsent(key, k -> new ArrayList<>());
            Double v = finals.get(r.id());
            if (v != null) {
                values.add(v);
            }
        }
        Map<String, Object> baseline =
                spec.compare() == null ? Map.of() : spec.compare().baseline();
        List<double[]> raw = new ArrayList<>();
        List<Map<String, Object>> keys = new ArrayList<>(groups.keySet());
        double[] p = new double[keys.size()];
        java.util.Arrays.fill(p, Double.NaN);
        Map<Integer, EfficiencyEstimate.Result> efficiencies = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            raw.add(groups.get(keys.get(i)).stream()
                    .mapToDouble(Double::doubleValue)
                    .toArray());
        }
        for (int i = 0; i < keys.size(); i++) {
            if (baseline.isEmpty() || isBaseline(keys.get(i), baseline)) {
                continue;
            }
            Map<String, Object> match = new TreeMap<>(keys.get(i));
            baseline.forEach((k, v) -> {
                if (match.containsKey(k)) {
                    match.put(k, v);
                }
            });
            int j = keys.indexOf(match);
            if (j >= 0 && raw.get(i).length >= 2 && raw.get(j).length >= 2) {
                p[i] = Statistics.welch(raw.get(i), raw.get(j), AlternativeHypothesis.TWO_SIDED)
                        .p();
            }
            if (j >= 0 && spec.compare().efficiency() != null) {
                efficiencies.put(i, efficiency(spec, runIds.get(keys.get(j)), runIds.get(keys.get(i))));
            }
        }
        double[] adjusted = holm(p);
        List<GroupRow> rows = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            double[] v = raw.get(i);
            GroupAggregator.Interval ci = v.length == 0 ? null : GroupAggregator.meanInterval(v, 0.95);
            rows.add(new GroupRow(
                    keys.get(i),
                    v.length,
                    ci == null ? Double.NaN : ci.mean(),
                    ci == null ? Double.NaN : ci.low(),
                    ci == null ? Double.NaN : ci.high(),
                    !baseline.isEmpty() && isBaseline(keys.get(i), baseline),
                    adjusted[i],
                    efficiencies.get(i)));
        }
        Comparator<GroupRow> byMean = Comparator.comparingDouble(GroupRow::mean);
        rows.sort(
                spec.metric().goal() == dev.replica.experiments.spec.MetricGoal.Goal.MAX ? byMean.reversed() : byMean);
        return rows;
    }

    /**
     * The spec's efficiency measure of a candidate configuration against its baseline on the primary
     * metric: steps to the baseline's final (or best) value, or the time to its final value counted from
     * each run's first point; null when the baseline logged no value.
     */
    EfficiencyEstimate.Result efficiency(ExperimentSpec spec, List<String> baselineRuns, List<String> candidateRuns) {
        String measure = spec.compare().efficiency();
        boolean byTime = measure.startsWith("time_");
        Efficiency.Target target = measure.endsWith("_best") ? Efficiency.Target.BEST : Efficiency.Target.FINAL;
        Efficiency.Goal goal = spec.metric().goal() == dev.replica.experiments.spec.MetricGoal.Goal.MAX
                ? Efficiency.Goal.MAXIMIZE
                : Efficiency.Goal.MINIMIZE;
        SeriesQueries queries = new SeriesQueries(store);
        XAxis axis = byTime ? XAxis.timeMs() : XAxis.step();
        List<SeriesQueries.Points> b =
                curves(queries, baselineRuns, spec.metric().primary(), axis, byTime);
        List<SeriesQueries.Points> c =
                curves(queries, candidateRuns, spec.metric().primary(), axis, byTime);
        if (b.isEmpty() || c.isEmpty()) {
            return null;
        }
        try {
            return EfficiencyEstimate.estimate(b, c, goal, target, 0.95);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The runs' points of {@code metric} (runs without any left out); times made relative to each run's start. */
    private static List<SeriesQueries.Points> curves(
            SeriesQueries queries, List<String> runIds, String metric, XAxis axis, boolean relative) {
        List<SeriesQueries.Points> out = new ArrayList<>();
        for (SeriesQueries.Points p : queries.points(runIds, metric, axis).values()) {
            if (p.size() == 0) {
                continue;
            }
            if (relative) {
                double start = p.x()[0];
                double[] x = java.util.Arrays.stream(p.x()).map(v -> v - start).toArray();
                p = new SeriesQueries.Points(p.runId(), x, p.y());
            }
            out.add(p);
        }
        return out;
    }

    private static boolean isBaseline(Map<String, Object> key, Map<String, Object> baseline) {
        return baseline.entrySet().stream()
                .allMatch(e -> !key.containsKey(e.getKey()) || e.getValue().equals(key.get(e.getKey())));
    }

    private static Set<String> varying(List<RunView> all) {
        Set<String> out = new TreeSet<>();
        if (all.isEmpty()) {
            return out;
        }
        Map<String, Object> first = all.get(0).params();
        for (RunView r : all) {
            r.params().forEach((k, v) -> {
                if (!v.equals(first.get(k))) {
                    out.add(k);
                }
            });
        }
        return out;
    }

    /** Holm–Bonferroni step-down adjustment; NaN entries are not tests and stay NaN. */
    static double[] holm(double[] p) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            if (!Double.isNaN(p[i])) {
                idx.add(i);
            }
        }
        idx.sort(Comparator.comparingDouble(i -> p[i]));
        double[] out = p.clone();
        double running = 0;
        int m = idx.size();
        for (int r = 0; r < m; r++) {
            running = Math.max(running, Math.min(1, (m - r) * p[idx.get(r)]));
            out[idx.get(r)] = running;
        }
        return out;
    }
}
