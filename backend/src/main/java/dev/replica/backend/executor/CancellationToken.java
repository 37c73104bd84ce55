package dev.replica.backend.executor;

import java.util.concurrent.atomic.AtomicReference;

/** Set once when a run is cancelled or times out; executors poll it and stop what they run. */
public final class CancellationToken {

    /** Why a run was stopped: the final state differs (timeout → FAILED, cancel → CANCELLED). */
    public enum Reason {
        CANCELLED,
        /** Early stopping (ASHA, Hyperband) stopped it at a rung: it ends PRUNED. */
        PRUNED,
        TIMED_OUT,
        SHUTDOWN
    }

    private final AtomicReference<Reason> reason = new AtomicReference<>();
    private volatile String detail = "";

    public void cancel(Reason why, String message) {
        if (reason.compareAndSet(null, why)) {
            detail = message;
        }
    }

    public boolean isCancelled() {
        return reason.get() != null;
    }

    public Reason reason() {
        return reason.get();
    }

    public String detail() {
        return detail;
    }

    /** The outcome of a run stopped for this token's reason. */
    public Outcome outcome() {
        return switch (reason.get()) {
            case TIMED_OUT -> Outcome.failed(null, detail);
            case SHUTDOWN -> new Outcome(dev.replica.backend.run.RunState.INTERRUPTED, null, detail);
            case PRUNED -> Outcome.pruned(detail);
            default -> Outcome.cancelled(detail);
        };
    }
}
