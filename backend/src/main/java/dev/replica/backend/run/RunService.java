package dev.replica.backend.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Optional;

/** State changes of runs, each stored with its event in one transaction. */
@ApplicationScoped
public class RunService {

    @Inject
    RunRepository runs;

    Clock clock = Clock.systemUTC();

    /**
     * Moves a run to {@code target}, recording why.
     *
     * @return the updated run, or empty when no run has this id
     * @throws IllegalTransitionException when the life cycle does not allow it
     */
    @Transactional
    public Optional<Run> transition(long runId, RunState target, String why) {
        Optional<Run> run = runs.findRun(runId);
        run.ifPresent(r -> r.transitionTo(target, why, clock.instant()).persist());
        return run;
    }
}
