package dev.replica.backend.executor;

import dev.replica.backend.run.RunState;

/** How a run ended: SUCCEEDED, FAILED, CANCELLED, PRUNED or INTERRUPTED, with the exit code when there is one. */
public record Outcome(RunState state, Integer exitCode, String message) {

    public static Outcome succeeded(String message) {
        return new Outcome(RunState.SUCCEEDED, 0, message);
    }

    public static Outcome failed(Integer exitCode, String message) {
        return new Outcome(RunState.FAILED, exitCode, message);
    }

    /** Stopped at a rung by early stopping: the message says which rung and why. */
    public static Outcome pruned(String message) {
        return new Outcome(RunState.PRUNED, null, message);
    }

    public static Outcome cancelled(String message) {
        return new Outcome(RunState.CANCELLED, null, message);
    }
}
