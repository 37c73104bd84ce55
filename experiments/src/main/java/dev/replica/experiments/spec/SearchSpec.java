package dev.replica.experiments.spec;

/**
 * How a sweep spends its budget: run every point to the end ({@link Method#GRID}, {@link Method#RANDOM}), stop
 * losing configurations early at rungs of a resource axis ({@link Method#ASHA}, {@link Method#HYPERBAND}), or
 * propose each configuration from the results so far ({@link Method#TPE}).
 *
 * @param method      the search method
 * @param resource    what measures a run's progress: {@code step} (the logged step) or a metric that only grows
 * @param minResource the first rung r; rungs are r, rη, rη², …
 * @param maxResource the resource a run reaches when it ends; rungs stop below it (null: no upper bound)
 * @param eta         reduction factor η: at each rung only the best 1/η continue
 * @param brackets    Hyperband brackets (bracket s starts its rungs at rη^s); 1 for ASHA
 * @param pruneOn     how a configuration (all its seed runs) is compared with the rung's cut-off
 * @param maxRuns     budget: at most this many runs are created (null: every planned run)
 * @param nStartup    TPE: how many configurations are drawn at random before the model proposes (0 otherwise)
 * @param parallel    TPE: how many configurations are in flight at once (1 otherwise); the pending ones count as
 *                    the worst result seen so far when the next is proposed (a constant liar)
 */
public record SearchSpec(
        Method method,
        String resource,
        long minResource,
        Long maxResource,
        int eta,
        int brackets,
        PruneOn pruneOn,
        Integer maxRuns,
        int nStartup,
        int parallel) {

    /** A search that does not propose (grid, random, ASHA, Hyperband). */
    public SearchSpec(
            Method method,
            String resource,
            long minResource,
            Long maxResource,
            int eta,
            int brackets,
            PruneOn pruneOn,
            Integer maxRuns) {
        this(method, resource, minResource, maxResource, eta, brackets, pruneOn, maxRuns, 0, 1);
    }

    /** The resource axis when none is given: the step each metric row is logged at. */
    public static final String STEP = "step";

    public enum Method {
        GRID,
        RANDOM,
        ASHA,
        HYPERBAND,
        TPE;

        /** The spelling in specs: {@code asha}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether runs are stopped early at rungs. */
        public boolean prunes() {
            return this == ASHA || this == HYPERBAND;
        }

        /** Whether configurations are proposed one by one from the results so far, instead of planned up front. */
        public boolean proposes() {
            return this == TPE;
        }
    }

    /** How a configuration is judged against a rung's cut-off. */
    public enum PruneOn {
        /** By the mean of its seed runs: pruned when the mean is worse than the cut-off. */
        MEAN,
        /**
         * By the optimistic end of its seed runs' 95% confidence interval (the lower end when lower is better):
         * pruned only when worse than the cut-off beyond its CI.
         */
        UPPER_CI;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
