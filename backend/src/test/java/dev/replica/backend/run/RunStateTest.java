package dev.replica.backend.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStateTest {

    private static Run queuedRun() {
        return Run.queued(null, 0, 0, "k", "{}", List.of(), 1, Instant.EPOCH);
    }

    @Test
    void succeededIsFinalAndRefusesEveryTransition() {
        for (RunState s : RunState.values()) {
            assertThat(RunState.SUCCEEDED.canTransitionTo(s))
                    .as("SUCCEEDED → %s", s)
                    .isFalse();
        }
    }

    @Test
    void queuedRunsStartOrAreCancelledOrPrunedButNeverFinishDirectly() {
        assertThat(RunState.QUEUED.next())
                .containsExactlyInAnyOrder(RunState.RUNNING, RunState.CANCELLED, RunState.PRUNED);
    }

    @Test
    void aPrunedRunIsFinalAndNeverRetried() {
        assertThat(RunState.PRUNED.isFinal()).isTrue();
        assertThat(RunState.PRUNED.next()).isEmpty();
        assertThat(RunState.RUNNING.canTransitionTo(RunState.PRUNED)).isTrue();
    }

    @Test
    void retryingAFailedRunRequeuesItAndCountsTheAttempt() {
        Run run = queuedRun();
        Instant t1 = Instant.ofEpochSecond(10);
        run.transitionTo(RunState.RUNNING, "started", t1);
        assertThat(run.startedAt).isEqualTo(t1);
        run.transitionTo(RunState.FAILED, "exit 3", Instant.ofEpochSecond(20));
        assertThat(run.finishedAt).isEqualTo(Instant.ofEpochSecond(20));
        RunEvent retry = run.transitionTo(RunState.QUEUED, "retry 1 of 1", Instant.ofEpochSecond(30));
        assertThat(run.attempt).isEqualTo(1);
        assertThat(run.startedAt).isNull();
        assertThat(run.finishedAt).isNull();
        assertThat(retry.fromState).isEqualTo(RunState.FAILED);
        assertThat(retry.toState).isEqualTo(RunState.QUEUED);
    }

    @Test
    void illegalTransitionNamesBothStatesAndWhatIsAllowed() {
        Run run = queuedRun();
        assertThatThrownBy(() -> run.transitionTo(RunState.SUCCEEDED, "?", Instant.EPOCH))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageStartingWith(
                        "run -1 is QUEUED and cannot become SUCCEEDED; allowed next: [RUNNING, CANCELLED, PRUNED]");
        assertThat(run.state).isEqualTo(RunState.QUEUED);
    }
}
