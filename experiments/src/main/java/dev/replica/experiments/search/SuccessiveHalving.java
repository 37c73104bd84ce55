package dev.replica.experiments.search;

import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.spec.MetricGoal.Goal;
import dev.replica.experiments.spec.SearchSpec.PruneOn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Asynchronous successive halving as a stopping rule, with the configuration (all its seed runs) as the unit of
 * decision. Pure: it sees only reports of (configuration, seed, resource reached, primary metric value) and answers
 * with decisions; the caller stops the runs.
 *
 * <p>A configuration reaches rung k once every one of its seed runs has reported a resource at or past the rung;
 * its value there is the mean of the seeds' values (each seed's value as of its first report at or past the rung).
 * It is then judged against the n configurations that reached the rung before it and itself: the cut-off is the
 * ⌈n/η⌉-th best mean, and the configuration is pruned when its score is strictly worse. The score is the mean
 * ({@code prune_on: mean}) or the optimistic end of the mean's 95% confidence interval ({@code prune_on:
 * upper_ci}): then a configuration is pruned only when it is worse than the cut-off beyond its CI. Decisions are
 * asynchronous (no one waits for a full rung) and depend only on the order of reports, so the same reports give
 * the same decisions. A diverged value (NaN, ±∞) counts as the worst possible.
 *
 * <p>The first arrival at a rung always continues (⌈1/η⌉ = 1): with nothing to compare against, ASHA promotes.
 */
public final class SuccessiveHalving {

    /** Confidence level of the interval {@code prune_on: upper_ci} judges by. */
    public static final double CONFIDENCE = 0.95;

    private final Rungs rungs;
    private final Goal goal;
    private final PruneOn pruneOn;
    private final int seedsPerConfig;
    /** bracket → rung index → what the rung has seen. */
    private final Map<Integer, Map<Integer, Rung>> brackets = new HashMap<>();
    /** configuration → seed → rungs that seed run has passed. */
    private final Map<String, Map<Long, Integer>> passed = new HashMap<>();

    private final Set<String> pruned = new HashSet<>();

    /** One rung: seed values of configurations still arriving, and the means of those that arrived. */
    private static final class Rung {
        final Map<String, TreeMap<Long, Double>> arriving = new HashMap<>();
        final List<Double> means = new ArrayList<>();
    }

    public SuccessiveHalving(Rungs rungs, Goal goal, PruneOn pruneOn, int seedsPerConfig) {
        if (seedsPerConfig < 1) {
            throw new IllegalArgumentException("a configuration has at least one seed: " + seedsPerConfig);
        }
        this.rungs = rungs;
        this.goal = goal;
        this.pruneOn = pruneOn;
        this.seedsPerConfig = seedsPerConfig;
    }

    /**
     * A seed run of {@code config} (in Hyperband bracket {@code bracket}; 0 for ASHA) has reached {@code resource},
     * where its primary metric is {@code value}. Returns the decisions this report completes: one per rung the
     * configuration has now fully reached, stopping at a prune. Reports of a pruned configuration are ignored.
     */
    public synchronized List<RungDecision> report(String config, int bracket, long seed, long resource, double value) {
        List<RungDecision> decisions = new ArrayList<>();
        if (pruned.contains(config)) {
            return decisions;
        }
        Map<Long, Integer> seeds = passed.computeIfAbsent(config, c -> new HashMap<>());
        int from = seeds.getOrDefault(seed, 0);
        int to = rungs.passed(bracket, resource);
        for (int k = from; k < to; k++) {
            seeds.put(seed, k + 1);
            Rung rung = brackets.computeIfAbsent(bracket, b -> new HashMap<>()).computeIfAbsent(k, i -> new Rung());
            TreeMap<Long, Double> values = rung.arriving.computeIfAbsent(config, c -> new TreeMap<>());
            values.put(seed, value);
            if (values.size() < seedsPerConfig) {
                continue; // other seeds of this configuration have not reached the rung yet
            }
            rung.arriving.remove(config);
            RungDecision d = judge(rung, config, bracket, k, new ArrayList<>(values.values()));
            decisions.add(d);
            if (d.pruned()) {
                pruned.add(config);
                break;
            }
        }
        return decisions;
    }

    /** Whether the configuration has been pruned. */
    public synchronized boolean isPruned(String config) {
        return pruned.contains(config);
    }

    private RungDecision judge(Rung rung, String config, int bracket, int k, List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        GroupAggregator.Interval ci = GroupAggregator.meanInterval(v, CONFIDENCE);
        double mean = Double.isFinite(ci.mean()) ? ci.mean() : worst();
        rung.means.add(mean);
        int n = rung.means.size();
        List<Double> ranked = new ArrayList<>(rung.means);
        ranked.sort(goal == Goal.MIN ? Double::compare : (a, b) -> Double.compare(b, a));
        int keep = (n + rungs.eta() - 1) / rungs.eta();
        double cutoff = ranked.get(keep - 1);
        int rank = 1 + (int) ranked.stream().filter(m -> better(m, mean)).count();
        double score = mean;
        if (pruneOn == PruneOn.UPPER_CI && Double.isFinite(mean) && !Double.isNaN(ci.low())) {
            score = goal == Goal.MIN ? ci.low() : ci.high(); // its best plausible mean
        }
        boolean prune = better(cutoff, score);
        return new RungDecision(
                config,
                bracket,
                k,
                rungs.resource(bracket, k),
                prune,
                mean,
                ci.low(),
                ci.high(),
                List.copyOf(values),
                cutoff,
                rank,
                n);
    }

    private boolean better(double a, double b) {
        return goal == Goal.MIN ? a < b : a > b;
    }

    private double worst() {
        return goal == Goal.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}
