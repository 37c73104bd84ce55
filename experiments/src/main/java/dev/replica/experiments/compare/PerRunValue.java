package dev.replica.experiments.compare;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.Locale;

/**
 * Which one number a run contributes to a comparison.
 *
 * <ul>
 *   <li>{@code final}: the value at the last logged step.
 *   <li>{@code best}: the smallest value when the goal is to minimize, else the largest.
 *   <li>{@code min} / {@code max}: the smallest / largest value.
 *   <li>{@code mean_last_K}: the mean of the last K logged values (all of them when fewer).
 *   <li>{@code change}: the final value minus the first logged one — the change over the run, for metrics
 *       whose starting point differs between seeds (an evaluation at step 0 of differently seeded models).
 * </ul>
 *
 * A run that logged a NaN or ±∞ is diverged whichever value is asked: it is never replaced by an
 * earlier finite value (see {@link ComparisonEngine}).
 *
 * @param kind which number
 * @param k the window of {@code mean_last_K}; 0 otherwise
 */
public record PerRunValue(Kind kind, int k) {

    /** The kinds of per-run value. */
    public enum Kind {
        FINAL,
        BEST,
        MIN,
        MAX,
        MEAN_LAST_K,
        CHANGE
    }

    public PerRunValue {
        if (kind == Kind.MEAN_LAST_K ? k < 1 : k != 0) {
            throw new IllegalArgumentException("k must be positive for mean_last_K and 0 otherwise, got " + k);
        }
    }

    public static final PerRunValue FINAL = new PerRunValue(Kind.FINAL, 0);

    /**
     * Parses {@code final}, {@code best}, {@code min}, {@code max}, {@code change} or {@code mean_last_K} (K a
     * positive integer, e.g. {@code mean_last_10}).
     *
     * @throws InvalidInputException naming the value when it is none of these
     */
    public static PerRunValue parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("mean_last_")) {
            try {
                int k = Integer.parseInt(t.substring("mean_last_".length()));
                if (k >= 1) {
                    return new PerRunValue(Kind.MEAN_LAST_K, k);
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        return switch (t) {
            case "final" -> FINAL;
            case "best" -> new PerRunValue(Kind.BEST, 0);
            case "min" -> new PerRunValue(Kind.MIN, 0);
            case "max" -> new PerRunValue(Kind.MAX, 0);
            case "change" -> new PerRunValue(Kind.CHANGE, 0);
            default ->
                throw new InvalidInputException(
                        "value",
                        "value must be final, best, min, max, change or mean_last_K (K ≥ 1), got '" + text + "'");
        };
    }

    /**
     * This value of finite values {@code y} (in step order, at least one).
     *
     * @param minimize whether lower is better (for {@code best})
     */
    double of(double[] y, boolean minimize) {
        switch (kind) {
            case FINAL:
                return y[y.length - 1];
            case BEST:
            case MIN:
            case MAX: {
                boolean min = kind == Kind.MIN || (kind == Kind.BEST && minimize);
                double best = y[0];
                for (double v : y) {
                    best = min ? Math.min(best, v) : Math.max(best, v);
                }
                return best;
            }
            case CHANGE:
                return y[y.length - 1] - y[0];
            case MEAN_LAST_K: {
                int n = Math.min(k, y.length);
                double sum = 0;
                for (int i = y.length - n; i < y.length; i++) {
                    sum += y[i];
                }
                return sum / n;
            }
            default:
                throw new AssertionError(kind);
        }
    }

    /** The name {@link #parse} reads: {@code final}, {@code mean_last_10}, … */
    @Override
    public String toString() {
        return kind == Kind.MEAN_LAST_K ? "mean_last_" + k : kind.name().toLowerCase(Locale.ROOT);
    }
}
