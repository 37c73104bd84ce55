package dev.replica.backend.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.replica.backend.run.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real Slurm on this machine (CI stands it up with ansible/slurm-local.yml; see
 * docs/slurm.md). With {@code CI=true} a missing or broken Slurm fails these tests; elsewhere they are
 * skipped with the reason.
 */
class SlurmClientTest {

    private static SlurmClient client;

    @TempDir
    static Path dir;

    private final List<String> submitted = new ArrayList<>();

    @BeforeAll
    static void requireSlurm() {
        client = new SlurmClient(dir.resolve("scripts"));
        RequireSlurm.usable(client.available());
    }

    @AfterEach
    void cancelLeftovers() {
        for (String id : submitted) {
            client.cancel(id);
        }
    }

    @Test
    void runsAJobThatSucceeds() throws Exception {
        SlurmJob job = SlurmJob.single(
                "replica-ok", List.of("sh", "-c", "echo \"hello $1\"", "sh", "it's $HOME"), null, dir.resolve("logs"));

        String id = submit(job);
        List<SlurmTask> tasks = awaitFinal(id, 1);

        assertThat(tasks).singleElement().satisfies(task -> {
            assertThat(task.state()).isEqualTo(SlurmState.COMPLETED);
            assertThat(task.runState()).isEqualTo(RunState.SUCCEEDED);
            assertThat(task.exitCode()).isZero();
            assertThat(task.taskIndex()).isNull();
        });
        assertThat(Files.readString(job.stdoutFile(id, 0))).isEqualTo("hello it's $HOME\n");
        // the node squeue names is one sinfo lists, in good health on a usable cluster: nothing to wait on
        List<SlurmNode> nodes = client.nodes();
        assertThat(nodes).extracting(SlurmNode::name).contains(tasks.get(0).node());
        assertThat(nodes.stream().filter(n -> n.name().equals(tasks.get(0).node())))
                .noneMatch(SlurmNode::troubled);
    }

    @Test
    void decodesTheExitCodeOfAFailingJob() {
        String id = submit(SlurmJob.single("replica-exit3", List.of("sh", "-c", "exit 3"), null, dir.resolve("logs")));

        SlurmTask task = awaitFinal(id, 1).get(0);

        assertThat(task.state()).isEqualTo(SlurmState.FAILED);
        assertThat(task.runState()).isEqualTo(RunState.FAILED);
        assertThat(task.exitCode()).isEqualTo(3);
        assertThat(task.message()).isEqualTo("Slurm job " + id + " exited with a non-zero code (exit code 3)");
    }

    @Test
    void runsEachArrayTaskWithItsOwnArgvAndTaskId() throws Exception {
        Path out = Files.createDirectories(dir.resolve("array"));
        List<List<String>> tasks = IntStream.range(0, 4)
                .mapToObj(i -> List.of(
                        "sh",
                        "-c",
                        "echo \"$1 $SLURM_ARRAY_TASK_ID\" > \"$2\"",
                        "sh",
                        "run-" + (100 + i),
                        out.resolve("task-" + i).toString()))
                .toList();

        String id = submit(SlurmJob.array("replica-array", tasks, 2, null, dir.resolve("logs")));
        List<SlurmTask> finished = awaitFinal(id, 4);

        assertThat(finished).extracting(SlurmTask::id).containsExactly(id + "_0", id + "_1", id + "_2", id + "_3");
        assertThat(finished).allSatisfy(task -> assertThat(task.state()).isEqualTo(SlurmState.COMPLETED));
        for (int i = 0; i < 4; i++) {
            assertThat(Files.readString(out.resolve("task-" + i))).isEqualTo("run-" + (100 + i) + " " + i + "\n");
        }
    }

    @Test
    void cancelsAWholeArrayWithRunningAndPendingTasks() {
        String id = submit(SlurmJob.array("replica-cancel", sleepers(4), 2, null, dir.resolve("logs")));
        List<SlurmTask> started = await(
                id,
                tasks -> tasks.size() == 4 && tasks.stream().anyMatch(task -> task.state() == SlurmState.RUNNING),
                "a task to run");
        assertThat(started).extracting(SlurmTask::state).contains(SlurmState.PENDING);

        client.cancel(id);
        List<SlurmTask> cancelled = awaitFinal(id, 4);

        assertThat(cancelled).extracting(SlurmTask::id).containsExactly(id + "_0", id + "_1", id + "_2", id + "_3");
        assertThat(cancelled).allSatisfy(task -> {
            assertThat(task.state()).isEqualTo(SlurmState.CANCELLED);
            assertThat(task.runState()).isEqualTo(RunState.CANCELLED);
        });
    }

    @Test
    void cancelsSingleTasksOfAnArray() {
        String id = submit(SlurmJob.array("replica-cancel-one", sleepers(4), 2, null, dir.resolve("logs")));
        await(id, tasks -> tasks.size() == 4 && tasks.get(0).state() == SlurmState.RUNNING, "task 0 to run");

        client.cancel(id, 0);
        client.cancel(id, 3);
        List<SlurmTask> after = await(
                id,
                tasks -> state(tasks, 0) == SlurmState.CANCELLED
                        && (state(tasks, 3) == null || state(tasks, 3) == SlurmState.CANCELLED),
                "task 0 to be cancelled and task 3 to be cancelled or gone");

        // a running task ends CANCELLED; a task cancelled while pending ends CANCELLED when it was the
        // last index of the collapsed record, and otherwise leaves no record at all
        assertThat(state(after, 1)).isNotNull().matches(state -> !state.isFinal());
        assertThat(state(after, 2)).isNotNull().matches(state -> !state.isFinal());
        assertThat(after.get(0).runState()).isEqualTo(RunState.CANCELLED);
    }

    private static SlurmState state(List<SlurmTask> tasks, int index) {
        return tasks.stream()
                .filter(task -> task.taskIndex() == index)
                .map(SlurmTask::state)
                .findFirst()
                .orElse(null);
    }

    @Test
    void findsNothingForAnUnknownJob() {
        assertThat(client.status("999999")).isEmpty();
    }

    @Test
    void reportsWhySlurmRefusedAJob() {
        SlurmJob job = SlurmJob.single(
                "replica-bad",
                List.of("true"),
                SlurmResources.DEFAULT.withPartition("no-such-partition"),
                dir.resolve("logs"));

        assertThatThrownBy(() -> client.submit(job))
                .isInstanceOf(SlurmException.class)
                .hasMessageContaining("Slurm refused job 'replica-bad': sbatch exited with 1:")
                .hasMessageContaining("invalid partition specified: no-such-partition");
    }

    /** Slurm enforces limits in whole minutes, so this takes 1-2 minutes: run with -Dreplica.slurm.slow=true. */
    @Test
    @EnabledIfSystemProperty(named = "replica.slurm.slow", matches = "true")
    void stopsAJobAtItsTimeLimit() {
        String id = submit(SlurmJob.single(
                "replica-timeout",
                List.of("sleep", "600"),
                SlurmResources.DEFAULT.withTimeLimit(Duration.ofSeconds(1)),
                dir.resolve("logs")));

        SlurmTask task = await(
                        id,
                        Duration.ofMinutes(3),
                        tasks -> tasks.size() == 1 && tasks.get(0).state().isFinal(),
                        "the time limit")
                .get(0);

        assertThat(task.state()).isEqualTo(SlurmState.TIMEOUT);
        assertThat(task.runState()).isEqualTo(RunState.FAILED);
        assertThat(task.message()).startsWith("Slurm job " + id + " ran past its time limit");
    }

    private static List<List<String>> sleepers(int count) {
        return IntStream.range(0, count).mapToObj(i -> List.of("sleep", "120")).toList();
    }

    private String submit(SlurmJob job) {
        String id = client.submit(job);
        submitted.add(id);
        return id;
    }

    private List<SlurmTask> awaitFinal(String id, int count) {
        return await(
                id,
                tasks -> tasks.size() == count
                        && tasks.stream().allMatch(task -> task.state().isFinal()),
                count + " task(s) to finish");
    }

    private List<SlurmTask> await(String id, Predicate<List<SlurmTask>> done, String what) {
        return await(id, Duration.ofSeconds(45), done, what);
    }

    private List<SlurmTask> await(String id, Duration timeout, Predicate<List<SlurmTask>> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SlurmTask> tasks = client.status(id);
        while (!done.test(tasks)) {
            if (System.nanoTime() > deadline) {
                fail("waited " + timeout.toSeconds() + " s for " + what + " of Slurm job " + id + "; last seen: "
                        + tasks);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            tasks = client.status(id);
        }
        return tasks;
    }
}
