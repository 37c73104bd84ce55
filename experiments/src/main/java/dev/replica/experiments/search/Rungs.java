package dev.replica.experiments.search;

import dev.replica.experiments.spec.SearchSpec;

/**
 * The rung arithmetic of successive halving: rung k of bracket s sits at resource r·η^(s+k) (Li et al., "A System
 * for Massively Parallel Hyperparameter Tuning", 2020). Rungs lie strictly below {@code max_resource}: a run that
 * reaches it has finished, and there is nothing left to decide.
 */
public final class Rungs {

    private final long min;
    private final Long max;
    private final int eta;

    public Rungs(long min, Long max, int eta) {
        if (min < 1 || eta < 2 || (max != null && max <= min)) {
            throw new IllegalArgumentException(
                    "rungs need min ≥ 1, eta ≥ 2 and max > min: " + min + ", " + eta + ", " + max);
        }
        this.min = min;
        this.max = max;
        this.eta = eta;
    }

    public static Rungs of(SearchSpec search) {
        return new Rungs(search.minResource(), search.maxResource(), search.eta());
    }

    /** The resource of rung {@code k} in bracket {@code bracket}, or -1 when it lies at or past max_resource. */
    public long resource(int bracket, int k) {
        long r = min;
        for (int i = 0; i < bracket + k; i++) {
            if (r > Long.MAX_VALUE / eta) {
                return -1;
            }
            r *= eta;
        }
        return max != null && r >= max ? -1 : r;
    }

    /** How many rungs of {@code bracket} a run has passed once it reached {@code resource}. */
    public int passed(int bracket, long resource) {
        int k = 0;
        while (true) {
            long r = resource(bracket, k);
            if (r < 0 || r > resource) {
                return k;
            }
            k++;
        }
    }

    public int eta() {
        return eta;
    }
}
