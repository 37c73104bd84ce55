package dev.replica.experiments.search;

import dev.replica.experiments.spec.MetricGoal.Goal;
import dev.replica.experiments.spec.SweepSpec.Distribution;
import dev.replica.experiments.sweep.SweepPlanner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A Tree-structured Parzen Estimator (Bergstra et al., "Algorithms for Hyper-Parameter Optimization", 2011):
 * the finished configurations are split into the best γ and the rest; each parameter gets a Parzen density over
 * the good ones, l(x), and over the rest, g(x); of {@link #CANDIDATES} draws from l the one with the largest
 * l(x)/g(x) is proposed. The first {@code nStartup} proposals are plain random draws from the space.
 *
 * <p>Pure and deterministic: proposal {@code i} depends only on the sampler seed, {@code i} and the results it is
 * given, so a recorded proposal log (each proposal with the results it saw) replays exactly. Results of
 * configurations still running are stood in for by the worst result (a constant liar), which pushes parallel
 * proposals apart. A pruned configuration counts at the rung where it stopped: below every one that ran to the
 * end, and above those pruned at lower rungs.
 */
public final class Tpe {

    /** Share of the results that form the "good" density l(x). */
    public static final double GAMMA = 0.25;
    /** Draws from l(x) among which the best ratio l/g is proposed. */
    public static final int CANDIDATES = 24;
    /** Random redraws before a space is taken to be exhausted of new configurations. */
    private static final int REDRAWS = 200;

    private final Map<String, Distribution> space;
    private final Goal goal;
    private final long samplerSeed;
    private final int nStartup;

    /**
     * What one configuration achieved.
     *
     * @param params   its swept parameters
     * @param value    the mean over its seed runs of the primary metric (at the end, or at its last rung)
     * @param reached  the resource it reached (for a pruned configuration, its rung); used only when not complete
     * @param complete whether it ran to the end (false: pruned)
     */
    public record Result(Map<String, Object> params, double value, long reached, boolean complete) {}

    /** Where a proposal came from. */
    public enum Origin {
        /** A random draw: one of the first {@code n_startup}, or nothing had finished yet. */
        STARTUP,
        /** The l/g model over the results. */
        MODEL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One proposed configuration.
     *
     * @param index    0-based position in the search
     * @param params   the swept parameters proposed
     * @param origin   random startup draw or model
     * @param observed how many finished results it was proposed from
     * @param pending  how many configurations in flight stood in as the worst result (the constant liar)
     */
    public record Proposal(int index, Map<String, Object> params, Origin origin, int observed, int pending) {}

    public Tpe(Map<String, Distribution> space, Goal goal, long samplerSeed, int nStartup) {
        if (space.isEmpty()) {
            throw new IllegalArgumentException("TPE needs at least one parameter to search");
        }
        this.space = new LinkedHashMap<>(space);
        this.goal = goal;
        this.samplerSeed = samplerSeed;
        this.nStartup = nStartup;
    }

    /**
     * Proposal {@code index}, given the results so far and the configurations proposed earlier (those not among
     * the results are in flight). A proposal never repeats an earlier one; null when the space has no new
     * configuration left (a small {@code choice} space).
     */
    public Proposal propose(int index, List<Result> results, List<Map<String, Object>> earlier) {
        SplittableRandom rng = new SplittableRandom(samplerSeed + 0x9E3779B97F4A7C15L * (index + 1L));
        Set<String> taken = new HashSet<>();
        for (Map<String, Object> e : earlier) {
            taken.add(key(e));
        }
        Set<String> finished = new HashSet<>();
        for (Result r : results) {
            finished.add(key(r.params()));
        }
        List<Map<String, Object>> pending =
                earlier.stream().filter(e -> !finished.contains(key(e))).toList();
        if (index < nStartup || results.isEmpty()) {
            Map<String, Object> draw = randomNew(rng, taken);
            return draw == null ? null : new Proposal(index, draw, Origin.STARTUP, results.size(), pending.size());
        }
        List<Map<String, Object>> ranked = rank(results);
        ranked.addAll(pending); // constant liar: each in-flight configuration as the worst result
        int nGood = Math.max(1, (int) Math.ceil(GAMMA * ranked.size()));
        List<Map<String, Object>> good = ranked.subList(0, nGood);
        List<Map<String, Object>> bad = ranked.subList(nGood, ranked.size());
        Map<String, Parzen> l = new LinkedHashMap<>();
        Map<String, Parzen> g = new LinkedHashMap<>();
        for (Map.Entry<String, Distribution> p : space.entrySet()) {
            l.put(p.getKey(), Parzen.of(p.getValue(), values(good, p.getKey())));
            g.put(p.getKey(), Parzen.of(p.getValue(), values(bad, p.getKey())));
        }
        Map<String, Object> best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            Map<String, Object> candidate = new LinkedHashMap<>();
            double score = 0;
            for (Map.Entry<String, Distribution> p : space.entrySet()) {
                Parzen lp = l.get(p.getKey());
                double x = lp.sample(rng);
                score += lp.logDensity(x) - g.get(p.getKey()).logDensity(x);
                candidate.put(p.getKey(), lp.value(x));
            }
            if (score > bestScore && !taken.contains(key(candidate))) {
                best = candidate;
                bestScore = score;
            }
        }
        if (best == null) {
            best = randomNew(rng, taken); // every candidate was tried before: explore instead
            if (best == null) {
                return null;
            }
        }
        return new Proposal(index, best, Origin.MODEL, results.size(), pending.size());
    }

    /** The results' parameters, best first: complete ones by value, then pruned ones by rung reached, then value. */
    private List<Map<String, Object>> rank(List<Result> results) {
        Comparator<Double> byValue = (a, b) -> {
            double x = Double.isNaN(a) ? worst() : a;
            double y = Double.isNaN(b) ? worst() : b;
            return goal == Goal.MIN ? Double.compare(x, y) : Double.compare(y, x);
        };
        Comparator<Result> order = Comparator.comparing((Result r) -> !r.complete())
                .thenComparing((Result r) -> r.complete() ? 0L : -r.reached())
                .thenComparing(Result::value, byValue);
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(order); // stable: ties keep the order results were given in
        List<Map<String, Object>> out = new ArrayList<>();
        for (Result r : sorted) {
            out.add(r.params());
        }
        return out;
    }

    private double worst() {
        return goal == Goal.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private Map<String, Object> randomNew(SplittableRandom rng, Set<String> taken) {
        for (int i = 0; i < REDRAWS; i++) {
            Map<String, Object> draw = new LinkedHashMap<>();
            for (Map.Entry<String, Distribution> p : space.entrySet()) {
                draw.put(p.getKey(), SweepPlanner.draw(p.getValue(), rng));
            }
            if (!taken.contains(key(draw))) {
                return draw;
            }
        }
        return null;
    }

    private static List<Object> values(List<Map<String, Object>> configs, String name) {
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> c : configs) {
            Object v = c.get(name);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Stable identity of a set of swept parameters, the same however the values were typed. */
    static String key(Map<String, Object> params) {
        return SweepPlanner.configKey(new TreeMap<>(params));
    }

    /** A one-parameter density: over observed values with a prior, numeric (Gaussian kernels) or categorical. */
    private interface Parzen {
        double sample(SplittableRandom rng);

        double logDensity(double x);

        Object value(double x);

        static Parzen of(Distribution d, List<Object> observed) {
            if (d instanceof Distribution.Choice c) {
                return new Categorical(c.values(), observed);
            }
            return Kernels.of(d, observed);
        }
    }

    /** Counts of each choice plus one (the prior), as probabilities. */
    private static final class Categorical implements Parzen {
        private final List<Object> choices;
        private final double[] weights;

        Categorical(List<Object> choices, List<Object> observed) {
            this.choices = choices;
            this.weights = new double[choices.size()];
            java.util.Arrays.fill(weights, 1.0);
            for (Object o : observed) {
                for (int i = 0; i < choices.size(); i++) {
                    if (String.valueOf(choices.get(i)).equals(String.valueOf(o))) {
                        weights[i] += 1;
                        break;
                    }
                }
            }
            double total = java.util.Arrays.stream(weights).sum();
            for (int i = 0; i < weights.length; i++) {
                weights[i] /= total;
            }
        }

        @Override
        public double sample(SplittableRandom rng) {
            double u = rng.nextDouble();
            for (int i = 0; i < weights.length - 1; i++) {
                u -= weights[i];
                if (u < 0) {
                    return i;
                }
            }
            return weights.length - 1;
        }

        @Override
        public double logDensity(double x) {
            return Math.log(weights[(int) x]);
        }

        @Override
        public Object value(double x) {
            return choices.get((int) x);
        }
    }

    /**
     * Gaussian kernels on [lo, hi] (log space for log-uniform, widened by ½ for integers), one per observed
     * value plus a wide prior at the middle; each kernel's width is the larger gap to its neighbours, kept
     * between (hi − lo)/min(100, n + 1) and hi − lo (Bergstra et al.'s rule).
     */
    private static final class Kernels implements Parzen {
        private final Distribution d;
        private final double lo;
        private final double hi;
        private final double[] mu;
        private final double[] sigma;
        /** Mass of each kernel inside [lo, hi]: they are truncated there. */
        private final double[] mass;

        private Kernels(Distribution d, double lo, double hi, List<Double> points) {
            this.d = d;
            this.lo = lo;
            this.hi = hi;
            List<Double> all = new ArrayList<>(points);
            double prior = (lo + hi) / 2;
            all.add(prior);
            all.sort(Double::compare);
            int n = all.size();
            mu = new double[n];
            sigma = new double[n];
            mass = new double[n];
            double range = hi - lo;
            double minSigma = range / Math.min(100.0, n);
            boolean priorSeen = false;
            for (int i = 0; i < n; i++) {
                mu[i] = all.get(i);
                double left = i == 0 ? mu[i] - lo : mu[i] - all.get(i - 1);
                double right = i == n - 1 ? hi - mu[i] : all.get(i + 1) - mu[i];
                double s = Math.max(left, right);
                if (!priorSeen && mu[i] == prior) {
                    s = range; // the prior is the whole range
                    priorSeen = true;
                }
                sigma[i] = Math.min(range, Math.max(minSigma, s));
                mass[i] = Math.max(1e-12, phi((hi - mu[i]) / sigma[i]) - phi((lo - mu[i]) / sigma[i]));
            }
        }

        static Kernels of(Distribution d, List<Object> observed) {
            double lo;
            double hi;
            if (d instanceof Distribution.Uniform u) {
                lo = u.min();
                hi = u.max();
            } else if (d instanceof Distribution.LogUniform u) {
                lo = Math.log(u.min());
                hi = Math.log(u.max());
            } else {
                Distribution.IntUniform u = (Distribution.IntUniform) d;
                lo = u.min() - 0.5;
                hi = u.max() + 0.5;
            }
            List<Double> points = new ArrayList<>();
            for (Object o : observed) {
                if (o instanceof Number num) {
                    double v = d instanceof Distribution.LogUniform ? Math.log(num.doubleValue()) : num.doubleValue();
                    if (Double.isFinite(v)) {
                        points.add(Math.min(hi, Math.max(lo, v)));
                    }
                }
            }
            return new Kernels(d, lo, hi, points);
        }

        @Override
        public double sample(SplittableRandom rng) {
            int i = rng.nextInt(mu.length);
            for (int attempt = 0; attempt < 100; attempt++) {
                double x = mu[i] + sigma[i] * gaussian(rng);
                if (x >= lo && x < hi) {
                    return snap(x);
                }
            }
            return snap(Math.min(Math.nextDown(hi), Math.max(lo, mu[i])));
        }

        /** Integers are proposed and judged at whole values. */
        private double snap(double x) {
            return d instanceof Distribution.IntUniform ? Math.rint(x) : x;
        }

        @Override
        public double logDensity(double x) {
            double sum = 0;
            for (int i = 0; i < mu.length; i++) {
                double z = (x - mu[i]) / sigma[i];
                sum += Math.exp(-0.5 * z * z) / (sigma[i] * Math.sqrt(2 * Math.PI) * mass[i]);
            }
            return Math.log(Math.max(sum / mu.length, Double.MIN_NORMAL));
        }

        @Override
        public Object value(double x) {
            if (d instanceof Distribution.LogUniform u) {
                return Math.min(Math.nextDown(u.max()), Math.max(u.min(), Math.exp(x)));
            }
            if (d instanceof Distribution.IntUniform u) {
                return Math.min(u.max(), Math.max(u.min(), Math.round(x)));
            }
            return x;
        }

        /** A standard normal draw (Box–Muller), from the seeded generator only. */
        private static double gaussian(SplittableRandom rng) {
            double u1 = 1.0 - rng.nextDouble(); // in (0, 1]
            double u2 = rng.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }

        /** The standard normal CDF, from erf (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
        private static double phi(double z) {
            double x = Math.abs(z) / Math.sqrt(2);
            double t = 1 / (1 + 0.3275911 * x);
            double poly =
                    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
            double erf = 1 - poly * Math.exp(-x * x);
            return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
        }
    }
}
