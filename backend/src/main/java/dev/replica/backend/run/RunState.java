package dev.replica.backend.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a run. The legal transitions are listed here and nowhere else; {@link Run#transitionTo}
 * enforces them.
 */
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    INTERRUPTED,
    /** Stopped by early stopping (ASHA, Hyperband) at a rung: its configuration lost there. Terminal. */
    PRUNED;

    /** States reachable from this one. Retrying moves a failed, cancelled or interrupted run back to QUEUED. */
    public Set<RunState> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, PRUNED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, INTERRUPTED, PRUNED);
            case FAILED, CANCELLED, INTERRUPTED -> EnumSet.of(QUEUED, CANCELLED);
            case SUCCEEDED, PRUNED -> EnumSet.noneOf(RunState.class);
        };
    }

    public boolean canTransitionTo(RunState target) {
        return next().contains(target) && target != this;
    }

    /** Whether the run will not change again without a retry. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == PRUNED;
    }
}
