package dev.replica.backend.run;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.OptimisticLockException;
import org.junit.jupiter.api.Test;

/** A lost race on a run's version is recognised however the transaction manager reports it. */
class OptimisticConflictTest {

    @Test
    void recognisesTheConflictAsCauseOrAsASuppressedExceptionOfTheRollback() {
        assertThat(RunService.isOptimisticLockFailure(new OptimisticLockException("direct")))
                .isTrue();
        assertThat(RunService.isOptimisticLockFailure(new RuntimeException(
                        new IllegalStateException(new OptimisticLockException("two causes down")))))
                .isTrue();
        // what Narayana throws when the flush at commit loses: the conflict is suppressed, not the cause
        RuntimeException rollback = new RuntimeException(
                "ARJUNA016053: Could not commit transaction.",
                new IllegalStateException("jakarta.transaction.RollbackException"));
        rollback.getCause().addSuppressed(new OptimisticLockException("row count 0"));
        assertThat(RunService.isOptimisticLockFailure(rollback)).isTrue();
        assertThat(RunService.isOptimisticLockFailure(new IllegalStateException("something else")))
                .isFalse();
    }
}
