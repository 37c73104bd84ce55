package dev.replica.experiments.compare;

import dev.replica.experiments.metrics.SeriesQueries.Points;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.inference.AlternativeHypothesis;

/**
 * Compares every group against a baseline group on a {@link Scalar} per run: Welch's t-test and
 * Mann–Whitney U (two-sided), both Holm–Bonferroni corrected over the candidates, with Cohen's d and
 * Hedges' g.
 */
public final class GroupComparison {
    private GroupComparison() {}

    /**
     * The comparison of each candidate against the baseline.
     *
     * @param scalar the number taken per run
     * @param values per group, the scalar of each of its runs that has one
     * @param excludedRunIds runs left out because their scalar is NaN (no qualifying value)
     * @param comparisons one per non-baseline group, in group order
     */
    public record Report(
            Scalar scalar,
            GroupKey baseline,
            Map<GroupKey, double[]> values,
            List<String> excludedRunIds,
            List<PairwiseComparison> comparisons) {}

    /**
     * Takes {@code scalar} of each run's points and compares each group with {@code baseline}.
     *
     * @throws IllegalArgumentException when {@code baseline} is not one of the groups
     */
    public static Report compare(
            Map<GroupKey, List<RunInfo>> groups, Map<String, Points> points, GroupKey baseline, Scalar scalar) {
        if (!groups.containsKey(baseline)) {
            throw new IllegalArgumentException("baseline group " + baseline.label() + " has no runs");
        }
        Map<GroupKey, double[]> values = new LinkedHashMap<>();
        List<String> excluded = new ArrayList<>();
        for (Map.Entry<GroupKey, List<RunInfo>> g : groups.entrySet()) {
            List<Double> v = new ArrayList<>();
            for (RunInfo run : g.getValue()) {
                Points p = points.get(run.runId());
                double s = p == null ? Double.NaN : scalar.of(p);
                if (Double.isNaN(s)) {
                    excluded.add(run.runId());
                } else {
                    v.add(s);
                }
            }
            values.put(g.getKey(), v.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return new Report(scalar, baseline, values, excluded, compareValues(values, baseline));
    }

    /** Compares each group's values with the baseline's (scalars already taken). */
    public static List<PairwiseComparison> compareValues(Map<GroupKey, double[]> values, GroupKey baseline) {
        double[] base = values.get(baseline);
        List<GroupKey> candidates = new ArrayList<>();
        List<Statistics.Welch> welch = new ArrayList<>();
        List<Statistics.MannWhitney> mw = new ArrayList<>();
        for (Map.Entry<GroupKey, double[]> e : values.entrySet()) {
            if (e.getKey().equals(baseline)) {
                continue;
            }
            candidates.add(e.getKey());
            welch.add(Statistics.welch(e.getValue(), base, AlternativeHypothesis.TWO_SIDED));
            mw.add(Statistics.mannWhitney(e.getValue(), base, AlternativeHypothesis.TWO_SIDED));
        }
        double[] welchHolm =
                Statistics.holm(welch.stream().mapToDouble(Statistics.Welch::p).toArray());
        double[] mwHolm = Statistics.holm(
                mw.stream().mapToDouble(Statistics.MannWhitney::p).toArray());
        List<PairwiseComparison> out = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            double[] c = values.get(candidates.get(i));
            out.add(new PairwiseComparison(
                    candidates.get(i),
                    baseline,
                    c.length,
                    base.length,
                    mean(c),
                    mean(base),
                    welch.get(i).t(),
                    welch.get(i).df(),
                    welch.get(i).p(),
                    welchHolm[i],
                    mw.get(i).u(),
                    mw.get(i).p(),
                    mwHolm[i],
                    Statistics.cohensD(c, base),
                    Statistics.hedgesG(c, base)));
        }
        return out;
    }

    private static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Mean.of(v).getAsDouble();
    }
}
