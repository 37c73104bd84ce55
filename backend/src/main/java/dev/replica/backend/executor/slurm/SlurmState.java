package dev.replica.backend.executor.slurm;

import dev.replica.backend.run.RunState;
import java.util.Locale;

/**
 * The job states Slurm 22.05 reports (squeue's {@code State} column, scontrol's {@code JobState}), and
 * the one place that says what each means for a Replica run.
 *
 * <p>Not final: PENDING, CONFIGURING, REQUEUED... map to QUEUED; RUNNING, COMPLETING, SUSPENDED... to
 * RUNNING. Final: COMPLETED is SUCCEEDED; FAILED, TIMEOUT, OUT_OF_MEMORY, DEADLINE are FAILED (the
 * program or its limits are at fault, retry only on failure); CANCELLED is CANCELLED; NODE_FAIL,
 * BOOT_FAIL, PREEMPTED are INTERRUPTED (the machine is at fault: Replica's retry policy applies, jobs are
 * submitted with {@code --no-requeue} so Slurm does not retry on its own).
 */
public enum SlurmState {
    PENDING(RunState.QUEUED, "waiting for resources"),
    CONFIGURING(RunState.QUEUED, "nodes are being configured"),
    REQUEUED(RunState.QUEUED, "requeued by Slurm"),
    REQUEUE_HOLD(RunState.QUEUED, "requeued and held"),
    REQUEUE_FED(RunState.QUEUED, "requeued by a federation"),
    RESV_DEL_HOLD(RunState.QUEUED, "held after its reservation was deleted"),
    RUNNING(RunState.RUNNING, "running"),
    COMPLETING(RunState.RUNNING, "finishing"),
    SUSPENDED(RunState.RUNNING, "suspended"),
    STOPPED(RunState.RUNNING, "stopped by a signal"),
    SIGNALING(RunState.RUNNING, "being signalled"),
    RESIZING(RunState.RUNNING, "being resized"),
    STAGE_OUT(RunState.RUNNING, "staging out"),
    COMPLETED(RunState.SUCCEEDED, "completed"),
    FAILED(RunState.FAILED, "exited with a non-zero code"),
    TIMEOUT(RunState.FAILED, "ran past its time limit and Slurm stopped it"),
    OUT_OF_MEMORY(RunState.FAILED, "ran out of memory"),
    DEADLINE(RunState.FAILED, "missed its deadline"),
    SPECIAL_EXIT(RunState.FAILED, "ended with Slurm's special exit state"),
    REVOKED(RunState.CANCELLED, "revoked by a federation"),
    CANCELLED(RunState.CANCELLED, "cancelled"),
    NODE_FAIL(RunState.INTERRUPTED, "its node failed"),
    BOOT_FAIL(RunState.INTERRUPTED, "its node failed to boot"),
    PREEMPTED(RunState.INTERRUPTED, "preempted by another job");

    private final RunState runState;
    private final String meaning;

    SlurmState(RunState runState, String meaning) {
        this.runState = runState;
        this.meaning = meaning;
    }

    /** The Replica run state this Slurm state means. */
    public RunState runState() {
        return runState;
    }

    /** A few words for people: "ran past its time limit and Slurm stopped it". */
    public String meaning() {
        return meaning;
    }

    /** Whether Slurm will not change this state again (the job left the queue). */
    public boolean isFinal() {
        return runState != RunState.QUEUED && runState != RunState.RUNNING;
    }

    /**
     * Reads a state as squeue, scontrol or sacct print it: {@code RUNNING}, {@code CANCELLED by 0},
     * {@code CANCELLED+}, {@code OUT_OF_MEMORY}; also the short codes ({@code PD}, {@code R}, {@code CA}...).
     *
     * @throws IllegalArgumentException for a state this Slurm version does not have
     */
    public static SlurmState parse(String text) {
        String word = text.strip();
        int space = word.indexOf(' ');
        if (space >= 0) {
            word = word.substring(0, space);
        }
        if (word.endsWith("+")) {
            word = word.substring(0, word.length() - 1);
        }
        word = word.toUpperCase(Locale.ROOT);
        SlurmState shortCode = switch (word) {
            case "PD" -> PENDING;
            case "CF" -> CONFIGURING;
            case "RQ" -> REQUEUED;
            case "RH" -> REQUEUE_HOLD;
            case "RF" -> REQUEUE_FED;
            case "RD" -> RESV_DEL_HOLD;
            case "R" -> RUNNING;
            case "CG" -> COMPLETING;
            case "S" -> SUSPENDED;
            case "ST" -> STOPPED;
            case "SI" -> SIGNALING;
            case "RS" -> RESIZING;
            case "SO" -> STAGE_OUT;
            case "CD" -> COMPLETED;
            case "F" -> FAILED;
            case "TO" -> TIMEOUT;
            case "OOM" -> OUT_OF_MEMORY;
            case "DL" -> DEADLINE;
            case "SE" -> SPECIAL_EXIT;
            case "RV" -> REVOKED;
            case "CA" -> CANCELLED;
            case "NF" -> NODE_FAIL;
            case "BF" -> BOOT_FAIL;
            case "PR" -> PREEMPTED;
            default -> null;
        };
        if (shortCode != null) {
            return shortCode;
        }
        try {
            return valueOf(word);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown Slurm job state '" + text.strip() + "'", e);
        }
    }
}
