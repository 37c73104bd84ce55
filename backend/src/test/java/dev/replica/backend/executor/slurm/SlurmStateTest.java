package dev.replica.backend.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.backend.run.RunState;
import org.junit.jupiter.api.Test;

class SlurmStateTest {

    @Test
    void readsStatesAsEachToolPrintsThem() {
        assertThat(SlurmState.parse("RUNNING")).isEqualTo(SlurmState.RUNNING);
        assertThat(SlurmState.parse("CANCELLED by 0")).isEqualTo(SlurmState.CANCELLED);
        assertThat(SlurmState.parse("CANCELLED+")).isEqualTo(SlurmState.CANCELLED);
        assertThat(SlurmState.parse("PD")).isEqualTo(SlurmState.PENDING);
        assertThat(SlurmState.parse("OUT_OF_MEMORY")).isEqualTo(SlurmState.OUT_OF_MEMORY);
    }

    @Test
    void rejectsAnUnknownState() {
        assertThatThrownBy(() -> SlurmState.parse("EXPLODED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown Slurm job state 'EXPLODED'");
    }

    @Test
    void mapsSlurmStatesToRunStates() {
        assertThat(SlurmState.PENDING.runState()).isEqualTo(RunState.QUEUED);
        assertThat(SlurmState.REQUEUED.runState()).isEqualTo(RunState.QUEUED);
        assertThat(SlurmState.RUNNING.runState()).isEqualTo(RunState.RUNNING);
        assertThat(SlurmState.COMPLETING.runState()).isEqualTo(RunState.RUNNING);
        assertThat(SlurmState.COMPLETED.runState()).isEqualTo(RunState.SUCCEEDED);
        assertThat(SlurmState.FAILED.runState()).isEqualTo(RunState.FAILED);
        assertThat(SlurmState.TIMEOUT.runState()).isEqualTo(RunState.FAILED);
        assertThat(SlurmState.OUT_OF_MEMORY.runState()).isEqualTo(RunState.FAILED);
        assertThat(SlurmState.CANCELLED.runState()).isEqualTo(RunState.CANCELLED);
        assertThat(SlurmState.NODE_FAIL.runState()).isEqualTo(RunState.INTERRUPTED);
        assertThat(SlurmState.PREEMPTED.runState()).isEqualTo(RunState.INTERRUPTED);
        assertThat(SlurmState.BOOT_FAIL.runState()).isEqualTo(RunState.INTERRUPTED);
    }

    @Test
    void onlyStatesOutsideTheQueueAreFinal() {
        for (SlurmState state : SlurmState.values()) {
            boolean active = state.runState() == RunState.QUEUED || state.runState() == RunState.RUNNING;
            assertThat(state.isFinal()).as(state.name()).isEqualTo(!active);
        }
    }
}
