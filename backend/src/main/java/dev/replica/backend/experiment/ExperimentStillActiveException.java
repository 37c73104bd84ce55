package dev.replica.backend.experiment;

import java.util.List;
import java.util.stream.Collectors;

/** An experiment cannot be deleted while any of its runs is queued or running: the scheduler would still act on it. */
public class ExperimentStillActiveException extends RuntimeException {

    private final List<Long> runIds;

    public ExperimentStillActiveException(long experimentId, List<Long> runIds) {
        super("experiment " + experimentId + " still has " + runIds.size() + " queued or running run"
                + (runIds.size() == 1 ? "" : "s") + ": "
                + runIds.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "; cancel them first (`replica cancel --experiment " + experimentId
                + "`), then delete it once they have stopped");
        this.runIds = List.copyOf(runIds);
    }

    /** The runs still queued or running. */
    public List<Long> runIds() {
        return runIds;
    }
}
