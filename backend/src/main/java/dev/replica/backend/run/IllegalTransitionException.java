package dev.replica.backend.run;

/** A state change the run life cycle does not allow, e.g. SUCCEEDED → RUNNING. */
public class IllegalTransitionException extends RuntimeException {

    public IllegalTransitionException(long runId, RunState from, RunState to) {
        super("run " + runId + " is " + from + " and cannot become " + to
                + (from.next().isEmpty() ? " (" + from + " is final)" : "; allowed next: " + from.next()));
    }
}
