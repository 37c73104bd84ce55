package dev.replica.experiments.compare;

import dev.replica.experiments.metrics.SeriesQueries.Points;

/**
 * "Configuration B reaches A's final loss in X% of A's steps": how far along x (steps, tokens, ...)
 * a candidate needs to get to reach the baseline's target value.
 *
 * <p>Target {@link Target#FINAL}: the baseline's last non-NaN value, and the baseline's x is the x of
 * that point (its last logged step). Target {@link Target#BEST}: the baseline's best value (min when
 * minimizing, max when maximizing), and the baseline's x is where it first got there. The candidate's
 * x is the first point at or beyond the target (&lt;= when minimizing, &gt;= when maximizing). Pass
 * smoothed or seed-averaged curves to damp noise.
 *
 * @param target the value to reach
 * @param baselineX baseline's x at the target
 * @param reached whether the candidate reached the target at all
 * @param candidateX candidate's first x at the target, or null when never reached
 * @param ratio candidateX / baselineX (0.6 = 60% of the steps), or null when never reached or
 *     baselineX is 0
 * @param candidateLastX the candidate's last x, so "not reached within N steps" can be shown
 */
public record Efficiency(
        double target, double baselineX, boolean reached, Double candidateX, Double ratio, double candidateLastX) {

    /** Which baseline value is the target. */
    public enum Target {
        FINAL,
        BEST
    }

    /** Whether lower or higher is better. */
    public enum Goal {
        MINIMIZE,
        MAXIMIZE
    }

    /**
     * Computes the efficiency of {@code candidate} against {@code baseline} (points in ascending x).
     *
     * @throws IllegalArgumentException when the baseline has no non-NaN value
     */
    public static Efficiency of(Points baseline, Points candidate, Goal goal, Target target) {
        double[] bx = baseline.x();
        double[] by = baseline.y();
        int at = -1;
        if (target == Target.FINAL) {
            for (int i = by.length - 1; i >= 0; i--) {
                if (!Double.isNaN(by[i])) {
                    at = i;
                    break;
                }
            }
        } else {
            for (int i = 0; i < by.length; i++) {
                if (!Double.isNaN(by[i]) && (at < 0 || better(by[i], by[at], goal))) {
                    at = i;
                }
            }
        }
        if (at < 0) {
            throw new IllegalArgumentException("baseline run " + baseline.runId() + " has no value");
        }
        double value = by[at];
        double baseX = bx[at];
        double[] cx = candidate.x();
        double[] cy = candidate.y();
        double last = cx.length == 0 ? Double.NaN : cx[cx.length - 1];
        for (int i = 0; i < cy.length; i++) {
            double v = cy[i];
            if (!Double.isNaN(v) && (goal == Goal.MINIMIZE ? v <= value : v >= value)) {
                Double ratio = baseX == 0 ? null : cx[i] / baseX;
                return new Efficiency(value, baseX, true, cx[i], ratio, last);
            }
        }
        return new Efficiency(value, baseX, false, null, null, last);
    }

    private static boolean better(double a, double b, Goal goal) {
        return goal == Goal.MINIMIZE ? a < b : a > b;
    }
}
