package dev.replica.experiments.compare;

import dev.replica.experiments.compare.ComparisonReport.Group;
import dev.replica.experiments.compare.ComparisonReport.RunValue;
import dev.replica.experiments.compare.ComparisonReport.Status;
import dev.replica.experiments.metrics.SeriesQueries.Points;
import dev.replica.experiments.spec.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.statistics.inference.AlternativeHypothesis;

/**
 * The one comparison engine: from runs and a question to a {@link ComparisonReport}. Every statistic a
 * user sees is computed here; callers only feed runs in and render the report.
 *
 * <p>Per run: a run whose metric reached NaN or ±∞ is {@code diverged} (with the first such step) — its
 * value is never replaced by an earlier finite one; an unfinished run is {@code running}; a run without
 * values, or one that failed or was cancelled, is {@code missing}; the rest are {@code ok} and only they
 * enter the statistics.
 *
 * <p>Per group (runs sharing the grouping parameters' values): n, mean and Student-t interval. Each
 * candidate group is compared with its baseline group — the group with the candidate's values except the
 * baseline's parameters, which take the baseline's values — by Welch's t-test and Mann–Whitney U
 * (two-sided), each Holm-adjusted over every candidate (an untestable candidate still counts), Hedges'
 * g, and the efficiency estimate.
 */
public final class ComparisonEngine {
    private ComparisonEngine() {}

    /** Groups with fewer values than this get a warning. */
    public static final int SMALL_GROUP = 3;

    /**
     * Compares {@code runs} as {@code question} asks.
     *
     * @throws InvalidInputException naming the parameter when a grouping parameter is no run's
     */
    public static ComparisonReport compare(List<ComparisonRun> runs, ComparisonQuestion question) {
        List<String> by = grouping(runs, question.by());
        List<String> warnings = new ArrayList<>();

        // Runs into groups, in order of first appearance.
        Map<GroupKey, List<ComparisonRun>> members = new LinkedHashMap<>();
        for (ComparisonRun run : runs) {
            TreeMap<String, Object> key = new TreeMap<>();
            by.forEach(name -> key.put(name, run.params().get(name)));
            members.computeIfAbsent(new GroupKey(key), k -> new ArrayList<>()).add(run);
        }
        Map<String, Object> baseline = new TreeMap<>(question.baseline());
        if (baseline.isEmpty() && !members.isEmpty()) {
            baseline.putAll(members.keySet().iterator().next().params());
            warnings.add("No baseline was asked: the first group ("
                    + label(members.keySet().iterator().next()) + ") is the baseline.");
        }
        Set<String> baselineKeys = new TreeSet<>(baseline.keySet());
        baselineKeys.retainAll(by);
        if (!baseline.isEmpty() && baselineKeys.isEmpty() && !by.isEmpty()) {
            warnings.add("The baseline " + baseline + " names none of the grouping parameters " + by
                    + ": no group is compared.");
        }

        // Per-run values.
        List<RunValue> runValues = new ArrayList<>();
        Map<GroupKey, double[]> values = new LinkedHashMap<>();
        Map<GroupKey, List<ComparisonRun>> okRuns = new LinkedHashMap<>();
        Map<String, RunValue> byRun = new LinkedHashMap<>();
        for (Map.Entry<GroupKey, List<ComparisonRun>> g : members.entrySet()) {
            List<Double> v = new ArrayList<>();
            List<ComparisonRun> ok = new ArrayList<>();
            for (ComparisonRun run : g.getValue()) {
                RunValue rv = valueOf(run, label(g.getKey()), question);
                byRun.put(run.runId(), rv);
                if (rv.status() == Status.ok) {
                    v.add(rv.value());
                    ok.add(run);
                }
            }
            values.put(g.getKey(), v.stream().mapToDouble(Double::doubleValue).toArray());
            okRuns.put(g.getKey(), ok);
        }
        runs.forEach(r -> runValues.add(byRun.get(r.runId())));

        // Each candidate's baseline group, and the tests.
        List<GroupKey> keys = new ArrayList<>(members.keySet());
        Map<GroupKey, GroupKey> baselineOf = new LinkedHashMap<>();
        for (GroupKey k : keys) {
            TreeMap<String, Object> target = new TreeMap<>(k.params());
            baselineKeys.forEach(name -> target.put(name, baseline.get(name)));
            keys.stream()
                    .filter(other -> sameValues(other.params(), target))
                    .findFirst()
                    .ifPresent(b -> baselineOf.put(k, b));
        }
        List<GroupKey> candidates =
                keys.stream().filter(k -> !k.equals(baselineOf.get(k))).toList();
        double[] welchP = new double[candidates.size()];
        double[] mwP = new double[candidates.size()];
        Arrays.fill(welchP, Double.NaN);
        Arrays.fill(mwP, Double.NaN);
        Map<GroupKey, Double> hedges = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            GroupKey c = candidates.get(i);
            GroupKey b = baselineOf.get(c);
            if (b == null) {
                warnings.add("No baseline group for " + label(c)
                        + ": its tests are left out (but still count in the Holm correction).");
                continue;
            }
            double[] cv = values.get(c);
            double[] bv = values.get(b);
            welchP[i] =
                    Statistics.welch(cv, bv, AlternativeHypothesis.TWO_SIDED).p();
            mwP[i] = Statistics.mannWhitney(cv, bv, AlternativeHypothesis.TWO_SIDED)
                    .p();
            hedges.put(c, Statistics.hedgesG(cv, bv));
        }
        double[] welchHolm = Statistics.holm(welchP);
        double[] mwHolm = Statistics.holm(mwP);
        Map<GroupKey, ComparisonReport.GroupEfficiency> efficiencies = new java.util.concurrent.ConcurrentHashMap<>();
        Map<GroupKey, String> efficiencyWarnings = new java.util.concurrent.ConcurrentHashMap<>();
        if (question.efficiency() != null) {
            // The bootstrap is the costly part: one candidate group per core.
            candidates.parallelStream().filter(baselineOf::containsKey).forEach(c -> {
                try {
                    ComparisonReport.GroupEfficiency e =
                            efficiency(okRuns.get(baselineOf.get(c)), okRuns.get(c), question);
                    if (e != null) {
                        efficiencies.put(c, e);
                    }
                } catch (IllegalArgumentException e) {
                    efficiencyWarnings.put(c, "No efficiency for " + label(c) + ": " + e.getMessage() + ".");
                }
            });
        }

        // Groups and their warnings.
        List<Group> groups = new ArrayList<>();
        Map<String, Integer> small = new LinkedHashMap<>();
        for (GroupKey k : keys) {
            List<ComparisonRun> rs = members.get(k);
            double[] v = values.get(k);
            int diverged = count(rs, byRun, Status.diverged);
            int missing = count(rs, byRun, Status.missing);
            int running = count(rs, byRun, Status.running);
            GroupAggregator.Interval ci = GroupAggregator.meanInterval(v, question.confidence());
            int ci2 = candidates.indexOf(k);
            GroupKey b = baselineOf.get(k);
            List<Long> seeds = rs.stream()
                    .map(ComparisonRun::seed)
                    .filter(Objects::nonNull)
                    .distinct()
                    .sorted()
                    .toList();
            groups.add(new Group(
                    label(k),
                    k.params(),
                    ci2 < 0,
                    b == null ? null : label(b),
                    rs.stream().map(ComparisonRun::runId).toList(),
                    rs.size(),
                    v.length,
                    diverged,
                    missing,
                    running,
                    seeds,
                    finite(ci.mean()),
                    finite(ci.low()),
                    finite(ci.high()),
                    ci2 < 0 ? null : finite(welchP[ci2]),
                    ci2 < 0 ? null : finite(welchHolm[ci2]),
                    ci2 < 0 ? null : finite(mwP[ci2]),
                    ci2 < 0 ? null : finite(mwHolm[ci2]),
                    finite(hedges.getOrDefault(k, Double.NaN)),
                    efficiencies.get(k)));
            if (v.length < SMALL_GROUP) {
                small.put(label(k), v.length);
            }
            if (diverged > 0) {
                warnings.add(label(k) + ": " + diverged + " of " + rs.size() + " runs diverged (NaN or ±∞), left out.");
            }
            if (running > 0) {
                warnings.add(label(k) + ": " + running + " of " + rs.size() + " runs not finished, left out.");
            }
            if (missing > 0) {
                warnings.add(label(k) + ": " + missing + " of " + rs.size() + " runs without a value, left out.");
            }
            if (b != null && !b.equals(k)) {
                List<Long> baseSeeds = members.get(b).stream()
                        .map(ComparisonRun::seed)
                        .filter(Objects::nonNull)
                        .distinct()
                        .sorted()
                        .toList();
                if (!baseSeeds.equals(seeds)) {
                    warnings.add(label(k) + ": seeds " + seeds + " differ from its baseline's " + baseSeeds + ".");
                }
            }
            if (efficiencyWarnings.containsKey(k)) {
                warnings.add(efficiencyWarnings.get(k));
            }
        }
        if (!small.isEmpty()) {
            warnings.add(fewSeeds(small, keys.size()));
        }
        Comparator<Double> better = question.minimize() ? Comparator.naturalOrder() : Comparator.reverseOrder();
        Comparator<Group> byMean = Comparator.comparing(Group::mean, Comparator.nullsLast(better));
        groups.sort(byMean.thenComparing(Group::label));
        return new ComparisonReport(
                question.metric(),
                question.value().toString(),
                question.minimize() ? "min" : "max",
                by,
                baseline,
                question.efficiency(),
                question.confidence(),
                runValues,
                groups,
                warnings);
    }

    /**
     * One warning for every group with fewer than {@link #SMALL_GROUP} runs with a value (a quick start with two
     * seeds has them all), naming the groups when there are few, and what to do about it.
     */
    static String fewSeeds(Map<String, Integer> small, int groups) {
        int lo = small.values().stream().mapToInt(Integer::intValue).min().orElseThrow();
        int hi = small.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        String n = lo == hi ? "n = " + lo : "n = " + lo + "–" + hi;
        String which = small.size() <= 3 ? " (" + String.join("; ", small.keySet()) + ")" : "";
        boolean one = small.size() == 1;
        return small.size() + " of " + groups + " groups" + which + (one ? " has" : " have") + " fewer than "
                + SMALL_GROUP + " runs with a value (" + n + "), so "
                + (one ? "its interval and tests carry" : "their intervals and tests carry")
                + " little weight: list at least " + SMALL_GROUP
                + " seeds in the spec (seeds: [0, 1, 2]) and run it again.";
    }

    /** The parameters asked, checked; or those whose value differs between runs, sorted. */
    public static List<String> grouping(List<ComparisonRun> runs, List<String> asked) {
        Set<String> known = new TreeSet<>();
        runs.forEach(r -> known.addAll(r.params().keySet()));
        if (!asked.isEmpty()) {
            for (String name : asked) {
                if (!known.contains(name) && !runs.isEmpty()) {
                    throw new InvalidInputException(
                            "by", "by: no run has a parameter '" + name + "'; parameters: " + known);
                }
            }
            return List.copyOf(new java.util.LinkedHashSet<>(asked));
        }
        Set<String> varying = new TreeSet<>();
        for (String name : known) {
            Object first = runs.get(0).params().get(name);
            if (runs.stream().anyMatch(r -> !Objects.equals(first, r.params().get(name)))) {
                varying.add(name);
            }
        }
        varying.remove(Grouping.SEED);
        return List.copyOf(varying);
    }

    /** One run's value, or why it has none. */
    static RunValue valueOf(ComparisonRun run, String group, ComparisonQuestion question) {
        Points p = run.byStep();
        if (p != null) {
            double[] y = p.y();
            for (int i = 0; i < y.length; i++) {
                if (!Double.isFinite(y[i])) {
                    Long lastFinite = i == 0 ? null : (long) p.x()[i - 1];
                    return new RunValue(
                            run.runId(),
                            group,
                            run.seed(),
                            Status.diverged,
                            null,
                            (long) p.x()[i],
                            lastFinite,
                            question.metric() + " is " + y[i] + " at step " + (long) p.x()[i]);
                }
            }
        }
        if (run.isUnfinished()) {
            return new RunValue(run.runId(), group, run.seed(), Status.running, null, null, null, "run " + run.state());
        }
        if (run.isFailed()) {
            return new RunValue(run.runId(), group, run.seed(), Status.missing, null, null, null, "run " + run.state());
        }
        if (p == null || p.size() == 0) {
            return new RunValue(
                    run.runId(),
                    group,
                    run.seed(),
                    Status.missing,
                    null,
                    null,
                    null,
                    "no " + question.metric() + " logged");
        }
        return new RunValue(
                run.runId(),
                group,
                run.seed(),
                Status.ok,
                question.value().of(p.y(), question.minimize()),
                null,
                null,
                null);
    }

    private static ComparisonReport.GroupEfficiency efficiency(
            List<ComparisonRun> baseline, List<ComparisonRun> candidate, ComparisonQuestion question) {
        if (baseline.isEmpty() || candidate.isEmpty()) {
            return null;
        }
        String measure = question.efficiency();
        boolean byTime = measure.startsWith("time_");
        Efficiency.Target target = measure.endsWith("_best") ? Efficiency.Target.BEST : Efficiency.Target.FINAL;
        Efficiency.Goal goal = question.minimize() ? Efficiency.Goal.MINIMIZE : Efficiency.Goal.MAXIMIZE;
        EfficiencyEstimate.Result r = EfficiencyEstimate.estimate(
                curves(baseline, byTime), curves(candidate, byTime), goal, target, question.confidence());
        Efficiency p = r.point();
        return new ComparisonReport.GroupEfficiency(
                r.value(),
                r.ciLow(),
                r.ciHigh(),
                p.candidateX(),
                p.baselineX(),
                p.reached(),
                p.candidateLastX(),
                p.target(),
                finite(r.reachedFraction()),
                r.resamples());
    }

    /** The runs' curves along the step, or along the time since each run's first point. */
    private static List<Points> curves(List<ComparisonRun> runs, boolean byTime) {
        List<Points> out = new ArrayList<>();
        for (ComparisonRun run : runs) {
            if (!byTime) {
                out.add(run.byStep());
                continue;
            }
            Points p = run.byTime();
            if (p == null || p.size() == 0) {
                throw new IllegalArgumentException("run " + run.runId() + " has no times");
            }
            double start = p.x()[0];
            out.add(new Points(
                    p.runId(), Arrays.stream(p.x()).map(x -> x - start).toArray(), p.y()));
        }
        return out;
    }

    private static int count(List<ComparisonRun> runs, Map<String, RunValue> values, Status status) {
        return (int) runs.stream()
                .filter(r -> values.get(r.runId()).status() == status)
                .count();
    }

    /** Parameter values equal as the spec means them: numbers by value (1 = 1.0 = "1"), the rest as text. */
    static boolean sameValues(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            if (!sameValue(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean sameValue(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        String sa = a.toString();
        String sb = b.toString();
        if (sa.equals(sb)) {
            return true;
        }
        try {
            return new BigDecimal(sa).compareTo(new BigDecimal(sb)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String label(GroupKey k) {
        return k.label();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
