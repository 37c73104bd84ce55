package dev.replica.experiments.kind;

/** Thrown by a kind that noticed {@link RunContext#cancelled()}; the run ends CANCELLED, not FAILED. */
public class RunCancelledException extends RuntimeException {

    public RunCancelledException(String message) {
        super(message);
    }
}
