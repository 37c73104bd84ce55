package dev.replica.experiments.spec;

import java.util.List;
import java.util.Map;

/**
 * The sweep axes of an experiment. All three parts may be combined: the planner takes the cartesian
 * product of the grid points, the zipped tuples and the random samples, then multiplies by the seeds.
 *
 * @param grid   parameter → values; every combination is a point (cartesian product)
 * @param zip    parameter → values; all lists have one length and are walked in parallel
 * @param random random search; null when absent
 * @param search early stopping (ASHA, Hyperband) and budget; null when every planned run goes to the end
 */
public record SweepSpec(
        Map<String, List<Object>> grid, Map<String, List<Object>> zip, RandomSweep random, SearchSpec search) {

    public static final SweepSpec NONE = new SweepSpec(Map.of(), Map.of(), null, null);

    public SweepSpec(Map<String, List<Object>> grid, Map<String, List<Object>> zip, RandomSweep random) {
        this(grid, zip, random, null);
    }

    /** Whether runs of this sweep may be stopped early at rungs. */
    public boolean prunes() {
        return search != null && search.method().prunes();
    }

    /**
     * Random search: {@code count} points drawn with a recorded sampler seed, so the plan is
     * reproducible.
     */
    public record RandomSweep(int count, long samplerSeed, Map<String, Distribution> params) {}

    /** A distribution to draw one parameter from. */
    public sealed interface Distribution {
        /** Uniform on [min, max). */
        record Uniform(double min, double max) implements Distribution {}

        /** Log-uniform on [min, max): uniform in log space, for learning rates and the like. */
        record LogUniform(double min, double max) implements Distribution {}

        /** Uniform over integers in [min, max], both ends included. */
        record IntUniform(long min, long max) implements Distribution {}

        /** One of the listed values, each equally likely. */
        record Choice(List<Object> values) implements Distribution {}
    }
}
