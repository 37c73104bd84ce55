package dev.replica.backend.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replica.backend.run.RunState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parsers, fed with outputs recorded from Slurm 22.05 (Debian bookworm) on a single-node cluster. */
class SlurmOutputTest {

    @Test
    void readsTheJobIdThatSbatchPrints() {
        assertThat(SlurmOutput.parseSubmit("37\n")).isEqualTo("37");
        assertThat(SlurmOutput.parseSubmit("41;replica\n")).isEqualTo("41");
    }

    @Test
    void rejectsSbatchOutputWithoutAJobId() {
        assertThatThrownBy(() -> SlurmOutput.parseSubmit("sbatch: error: invalid partition specified: nope\n"))
                .isInstanceOf(SlurmException.class)
                .hasMessage(
                        "sbatch did not print a job id; it printed: 'sbatch: error: invalid partition specified: nope'");
    }

    @Test
    void decodesTheRawWaitStatusOfAFailedJob() {
        List<SlurmTask> tasks = SlurmOutput.parseSqueue("1|1|N/A|FAILED|768|NonZeroExitCode|\n");

        assertThat(tasks).containsExactly(new SlurmTask("1", null, SlurmState.FAILED, 3, null, "NonZeroExitCode"));
        assertThat(tasks.get(0).runState()).isEqualTo(RunState.FAILED);
        assertThat(tasks.get(0).message()).isEqualTo("Slurm job 1 exited with a non-zero code (exit code 3)");
    }

    @Test
    void reportsTheSignalThatEndedAJob() {
        SlurmTask killed =
                SlurmOutput.parseSqueue("4|4|N/A|FAILED|9|JobLaunchFailure|\n").get(0);

        assertThat(killed.signal()).isEqualTo(9);
        assertThat(killed.exitCode()).isNull();
        assertThat(killed.message()).isEqualTo("Slurm job 4 exited with a non-zero code (signal 9) [JobLaunchFailure]");
    }

    @Test
    void mapsATimeoutToAFailedRunWithAMessage() {
        SlurmTask timedOut =
                SlurmOutput.parseSqueue("2|2|N/A|TIMEOUT|15|TimeLimit|\n").get(0);

        assertThat(timedOut.runState()).isEqualTo(RunState.FAILED);
        assertThat(timedOut.message())
                .isEqualTo("Slurm job 2 ran past its time limit and Slurm stopped it (signal 15) [TimeLimit]");
    }

    @Test
    void expandsTheCollapsedRecordOfPendingArrayTasks() {
        // squeue while task 0 of array 3 (throttled to 2) runs and tasks 1-5 wait in one record
        String recorded = """
                3|3|1-5%2|PENDING|0|Resources|
                5|3|0|RUNNING|0|None|
                """;

        List<SlurmTask> tasks = SlurmOutput.parseSqueue(recorded);

        assertThat(tasks).extracting(SlurmTask::id).containsExactly("3_0", "3_1", "3_2", "3_3", "3_4", "3_5");
        assertThat(tasks)
                .extracting(SlurmTask::state)
                .containsExactly(
                        SlurmState.RUNNING,
                        SlurmState.PENDING,
                        SlurmState.PENDING,
                        SlurmState.PENDING,
                        SlurmState.PENDING,
                        SlurmState.PENDING);
        assertThat(tasks.get(1).exitCode()).isNull();
        assertThat(tasks.get(1).reason()).isEqualTo("Resources");
    }

    @Test
    void marksEveryPendingTaskCancelledWhenTheArrayIsCancelled() {
        // the same array after scancel: the collapsed record alone says CANCELLED for tasks 1-5
        String recorded = """
                3|3|1-5%2|CANCELLED|0|Resources|
                5|3|0|CANCELLED|36608|None|
                """;

        List<SlurmTask> tasks = SlurmOutput.parseSqueue(recorded);

        assertThat(tasks).hasSize(6).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(SlurmState.CANCELLED);
            assertThat(task.runState()).isEqualTo(RunState.CANCELLED);
        });
        assertThat(tasks.get(0).exitCode()).isEqualTo(143);
    }

    @Test
    void prefersATasksOwnRecordOverTheCollapsedOne() {
        String recorded = """
                9|9|[0-3%2]|PENDING|0|JobArrayTaskLimit|
                10|9|1|COMPLETED|0|None|
                """;

        List<SlurmTask> tasks = SlurmOutput.parseSqueue(recorded);

        assertThat(tasks)
                .extracting(SlurmTask::state)
                .containsExactly(SlurmState.PENDING, SlurmState.COMPLETED, SlurmState.PENDING, SlurmState.PENDING);
        assertThat(tasks.get(1).exitCode()).isZero();
    }

    @Test
    void expandsArrayTaskExpressions() {
        assertThat(SlurmOutput.expandTaskIds("[2-5%2]")).containsExactly(2, 3, 4, 5);
        assertThat(SlurmOutput.expandTaskIds("0,3,7-9")).containsExactly(0, 3, 7, 8, 9);
        assertThat(SlurmOutput.expandTaskIds("0-10:5")).containsExactly(0, 5, 10);
        assertThat(SlurmOutput.expandTaskIds("4")).containsExactly(4);
    }

    @Test
    void rejectsALineInAnotherFormat() {
        assertThatThrownBy(() -> SlurmOutput.parseSqueue("1 FAILED\n"))
                .isInstanceOf(SlurmException.class)
                .hasMessageStartingWith("unexpected squeue line");
    }

    @Test
    void tellsUsableNodesFromUnresponsiveOnes() {
        assertThat(SlurmOutput.anyNodeUsable("idle\n")).isTrue();
        assertThat(SlurmOutput.anyNodeUsable("down*\nmixed\n")).isTrue();
        assertThat(SlurmOutput.anyNodeUsable("idle*\n")).isFalse();
        assertThat(SlurmOutput.anyNodeUsable("unk*\n")).isFalse();
        assertThat(SlurmOutput.anyNodeUsable("")).isFalse();
    }

    // The node lines below follow sinfo's documented fields (%N|%T|%H|%E); a down node was not recorded here
    // because the test cluster is shared with other test runs.
    @Test
    void readsNodesWithTheirTroubleAndSinceWhen() {
        List<SlurmNode> nodes = SlurmOutput.parseSinfoNodes("""
                n1|down*|2026-12-02T14:50:01|Not responding
                n2|allocated*|Unknown|none
                n3|idle|Unknown|none
                n3|idle|Unknown|none
                n4|drained|2026-12-01T10:00:00|disk replaced
                """);

        assertThat(nodes).extracting(SlurmNode::name).containsExactly("n1", "n2", "n3", "n4");
        assertThat(nodes).extracting(SlurmNode::troubled).containsExactly(true, true, false, true);
        assertThat(nodes.get(0).describe()).isEqualTo("node n1 down since 2026-12-02T14:50:01 (Not responding)");
        assertThat(nodes.get(1).describe()).isEqualTo("node n2 allocated, slurmd not responding");
        assertThat(nodes.get(3).describe()).isEqualTo("node n4 drained since 2026-12-01T10:00:00 (disk replaced)");
    }

    @Test
    void aTaskWaitsOnTheTroubledNodeItRunsOnOrThatItsPendingReasonNames() {
        List<SlurmNode> nodes = SlurmOutput.parseSinfoNodes("""
                n1|down*|2026-12-02T14:50:01|Not responding
                n2|idle|Unknown|none
                """);
        List<SlurmTask> tasks = SlurmOutput.parseSqueue("""
                40|40|0|RUNNING|0|None|n1|
                41|40|1|RUNNING|0|None|n2|
                40|40|[2-3]|PENDING|0|ReqNodeNotAvail, UnavailableNodes:n1||
                44|44|N/A|PENDING|0|Resources||
                """);

        java.util.function.Function<String, SlurmTask> task =
                id -> tasks.stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
        assertThat(task.apply("40_0").node()).isEqualTo("n1");
        assertThat(task.apply("40_0").waitingOn(nodes))
                .contains("waiting: node n1 down since 2026-12-02T14:50:01 (Not responding)");
        assertThat(task.apply("40_1").waitingOn(nodes)).isEmpty();
        assertThat(task.apply("40_3").waitingOn(nodes))
                .contains("waiting: node n1 down since 2026-12-02T14:50:01 (Not responding)");
        assertThat(task.apply("44").waitingOn(nodes))
                .as("pending for resources, not for a node")
                .isEmpty();
        assertThat(task.apply("40_0").waitingOn(SlurmOutput.parseSinfoNodes("n1|idle|Unknown|none\n")))
                .as("node back")
                .isEmpty();
    }
}
