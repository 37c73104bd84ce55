package dev.replica.experiments.rl;

import dev.replica.experiments.data.Addition;
import dev.replica.experiments.data.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SwS, weakness-driven problem synthesis (issue #18 item 2, SEEDS.md §4), on toy addition with the carry
 * count as the category. From each pool problem's per-epoch training accuracy during a GRPO probe:
 * <ul>
 *   <li>a problem is <em>weak</em> when its best accuracy stays under {@value #WEAK_BEST} and the
 *       least-squares slope of its accuracy over the epochs is negative (a falling trend);</li>
 *   <li>a category's failure rate is its share of weak problems; a synthesis budget of N new problems is
 *       split across categories in proportion to it (largest remainder, ties to the lower category), or
 *       equally for the uniform-augmentation control;</li>
 *   <li>new problems of a category are drawn at random (the toy's stand-in for the paper's generator
 *       model), distinct from the pool, the held-out set and each other.</li>
 * </ul>
 */
public final class WeaknessSynthesis {

    public static final double WEAK_BEST = 0.5;

    private WeaknessSynthesis() {}

    /** Least-squares slope of {@code h} against its index. */
    static double slope(double[] h) {
        int n = h.length;
        double mx = (n - 1) / 2.0;
        double my = 0;
        for (double v : h) {
            my += v / n;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - mx) * (h[i] - my);
            den += (i - mx) * (i - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    public static boolean weak(double[] history) {
        double best = 0;
        for (double v : history) {
            best = Math.max(best, v);
        }
        return best < WEAK_BEST && slope(history) < 0;
    }

    /** Per category (carry count), the share of its pool problems that are weak (0 for an empty one). */
    public static double[] failureRates(Addition task, List<Addition.Problem> pool, double[][] history) {
        int C = task.digits() + 1;
        double[] weak = new double[C];
        double[] all = new double[C];
        for (int i = 0; i < pool.size(); i++) {
            int c = task.carries(pool.get(i));
            all[c]++;
            if (weak(history[i])) {
                weak[c]++;
            }
        }
        double[] rate = new double[C];
        for (int c = 0; c < C; c++) {
            rate[c] = all[c] == 0 ? 0 : weak[c] / all[c];
        }
        return rate;
    }

    /**
     * Splits {@code budget} in proportion to {@code weights} by largest remainder (ties: lower index); all
     * zeros when the weights sum to zero.
     */
    public static int[] allocate(double[] weights, int budget) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        int[] out = new int[weights.length];
        if (sum <= 0) {
            return out;
        }
        double[] rest = new double[weights.length];
        int given = 0;
        for (int c = 0; c < weights.length; c++) {
            double exact = budget * weights[c] / sum;
            out[c] = (int) Math.floor(exact);
            rest[c] = exact - out[c];
            given += out[c];
        }
        for (; given < budget; given++) {
            int best = -1;
            for (int c = 0; c < weights.length; c++) {
                if (weights[c] > 0 && (best < 0 || rest[c] > rest[best])) {
                    best = c;
                }
            }
            out[best]++;
            rest[best] = -1;
        }
        return out;
    }

    /**
     * {@code perCategory[c]} new problems with c carries, none in {@code exclude}; a category with fewer
     * free problems than asked gets what exists.
     */
    public static List<Addition.Problem> synthesize(
            Addition task, int[] perCategory, Set<Addition.Problem> exclude, Rng rng) {
        Set<Addition.Problem> seen = new java.util.HashSet<>(exclude);
        List<Addition.Problem> out = new ArrayList<>();
        for (int c = 0; c < perCategory.length; c++) {
            int made = 0;
            // rejection sampling, bounded so that a nearly exhausted category cannot loop forever
            for (int tries = 0; made < perCategory[c] && tries < 10_000 * Math.max(1, perCategory[c]); tries++) {
                Addition.Problem p = task.random(rng);
                if (task.carries(p) == c && seen.add(p)) {
                    out.add(p);
                    made++;
                }
            }
        }
        return out;
    }
}
