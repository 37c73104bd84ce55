package dev.replica.experiments.sweep;

import java.util.Map;

/**
 * One run an experiment expands to.
 *
 * @param index     0-based position in the plan; stable for a given spec
 * @param params    every resolved parameter (kind defaults, then {@code params}, then the sweep point),
 *                  sorted by name; the seed is not among them
 * @param seed      the replicate seed
 * @param configKey canonical text of {@code params}: runs with equal keys are seeds of one configuration
 */
public record PlannedRun(int index, Map<String, Object> params, long seed, String configKey) {

    /** A configuration: every resolved parameter, sorted by name, and its canonical key. */
    public record Point(Map<String, Object> params, String configKey) {}
}
