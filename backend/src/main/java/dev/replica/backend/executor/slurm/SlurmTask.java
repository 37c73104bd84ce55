package dev.replica.backend.executor.slurm;

import dev.replica.backend.run.RunState;

/**
 * The state of one Slurm job, or of one task of a job array, as the controller reports it.
 *
 * @param jobId     the job id that {@link SlurmClient#submit} returned (for an array: the array's id)
 * @param taskIndex the array task index ({@code SLURM_ARRAY_TASK_ID}), or {@code null} for a plain job
 * @param state     Slurm's state
 * @param exitCode  the program's exit code once it ended ({@code null} while it has not, or when a signal
 *                  ended it)
 * @param signal    the signal that ended the program, or {@code null}
 * @param reason    Slurm's reason for the state ({@code Resources}, {@code NonZeroExitCode},
 *                  {@code TimeLimit}...), or {@code null} when it gives none
 * @param node      the node it runs or ran on, or {@code null} while pending
 */
public record SlurmTask(
        String jobId,
        Integer taskIndex,
        SlurmState state,
        Integer exitCode,
        Integer signal,
        String reason,
        String node) {

    public SlurmTask(
            String jobId, Integer taskIndex, SlurmState state, Integer exitCode, Integer signal, String reason) {
        this(jobId, taskIndex, state, exitCode, signal, reason, null);
    }

    /**
     * What this unfinished task waits on when a node is in trouble: a running task whose node's slurmd is silent
     * or down, a pending task Slurm holds back because the nodes it needs are unavailable. Empty otherwise.
     */
    public java.util.Optional<String> waitingOn(java.util.List<SlurmNode> nodes) {
        if (state.isFinal()) {
            return java.util.Optional.empty();
        }
        java.util.List<SlurmNode> troubled =
                nodes.stream().filter(SlurmNode::troubled).toList();
        if (node != null) {
            java.util.List<String> mine = java.util.List.of(node.split(","));
            troubled = troubled.stream().filter(n -> mine.contains(n.name())).toList();
        } else if (reason == null || !(reason.contains("ReqNodeNotAvail") || reason.contains("DOWN"))) {
            troubled = java.util.List.of(); // pending for another reason (Resources, Priority…)
        }
        if (troubled.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("waiting: "
                + String.join("; ", troubled.stream().map(SlurmNode::describe).toList()));
    }

    /** How Slurm names it: {@code 37_2} for a task, {@code 37} for a plain job. */
    public String id() {
        return taskIndex == null ? jobId : jobId + "_" + taskIndex;
    }

    /** The Replica run state (see {@link SlurmState} for the mapping). */
    public RunState runState() {
        return state.runState();
    }

    /**
     * What happened, for the run's record and for people: "Slurm job 37_2 exited with a non-zero code (exit
     * code 3)", "Slurm job 40 ran past its time limit and Slurm stopped it (TimeLimit)".
     */
    public String message() {
        StringBuilder text =
                new StringBuilder("Slurm job ").append(id()).append(' ').append(state.meaning());
        if (state.isFinal()) {
            if (signal != null && signal != 0) {
                text.append(" (signal ").append(signal).append(')');
            } else if (exitCode != null && exitCode != 0) {
                text.append(" (exit code ").append(exitCode).append(')');
            }
        }
        if (reason != null && !reason.isBlank() && !"None".equals(reason) && !"NonZeroExitCode".equals(reason)) {
            text.append(" [").append(reason).append(']');
        }
        return text.toString();
    }

    SlurmTask withTaskIndex(int index) {
        return new SlurmTask(jobId, index, state, exitCode, signal, reason, node);
    }
}
