package dev.replica.backend.run;

/** A run cannot be deleted while a process runs it: its files are open and its rows still change. */
public class RunStillActiveException extends RuntimeException {

    public RunStillActiveException(long runId, RunState state) {
        super("run " + runId + " is " + state + "; cancel it first (`replica cancel " + runId
                + "`), then delete it once it has stopped");
    }
}
