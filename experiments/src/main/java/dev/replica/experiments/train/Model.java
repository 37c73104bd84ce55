package dev.replica.experiments.train;

import java.util.List;

/** A model with explicit forward and backward passes over its {@link Param}s. */
public interface Model {

    /** Every trainable parameter, in a fixed order. */
    List<Param> params();

    default void zeroGrad() {
        for (Param p : params()) {
            p.zeroGrad();
        }
    }

    default long parameterCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.size();
        }
        return n;
    }
}
