package dev.replica.backend.scheduler;

import dev.replica.backend.executor.CancellationToken;
import dev.replica.backend.run.RunService;
import dev.replica.backend.run.RunState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Stops a run that early stopping decided against, through the cancel path: a queued run ends PRUNED at once; a
 * run this process executes has its token cancelled for {@link CancellationToken.Reason#PRUNED}, so its executor
 * stops it (a command run's process tree ends) and it is recorded PRUNED with the reason.
 */
@ApplicationScoped
public class RunPruner {

    @Inject
    RunService runService;

    @Inject
    HeldRuns held;

    /** @return the run's state after the decision, empty when no run has this id */
    public Optional<RunState> prune(long runId, long resource, String why) {
        Optional<RunState> state = runService.prune(runId, resource, why);
        held.cancel(runId, CancellationToken.Reason.PRUNED, why);
        return state;
    }
}
