package dev.replica.backend.cli;

import dev.replica.backend.executor.slurm.TaskMap;
import dev.replica.backend.run.RunState;
import dev.replica.backend.scheduler.Scheduler;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Run one queued run in this process and record its metrics and final state (what each task of a"
                    + " Slurm job array runs).",
            "--run ID claims a QUEUED run. --task-map FILE picks the run of this array task ($SLURM_ARRAY_TASK_ID)"
                    + " from the job's task map and takes it over from the scheduler that submitted the array;"
                    + " a run that scheduler no longer holds (recovered and re-queued meanwhile) is not run; the map is"
                    + " read again a few times first, since a process adopting the array rewrites its owner.",
            "Exit code: 0 when the run succeeded, 1 when it ended otherwise, 3 when it could not be taken."
        })
public class WorkerCommand implements Callable<Integer> {

    static final int REFUSED = 3;

    @ArgGroup(multiplicity = "1")
    Target target;

    static class Target {
        @Option(names = "--run", paramLabel = "ID", description = "the run to claim and run")
        Long runId;

        @Option(
                names = "--task-map",
                paramLabel = "FILE",
                description = "a Slurm job array's task map (task index → run id)")
        Path taskMap;
    }

    @Spec
    CommandSpec spec;

    @Inject
    Scheduler scheduler;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunState state;
        for (int attempt = 1; ; attempt++) {
            long runId;
            String heldBy = null;
            if (target.taskMap != null) {
                TaskMap map = readTaskMap();
                runId = map.runFor(task());
                heldBy = map.owner();
            } else {
                runId = target.runId;
            }
            try {
                state = scheduler.work(runId, heldBy);
                out.println("run " + runId + ": " + state);
                out.flush();
                break;
            } catch (Scheduler.WorkRefused e) {
                if (heldBy == null || attempt >= TAKE_OVER_ATTEMPTS) {
                    err.println(e.getMessage());
                    err.flush();
                    return REFUSED;
                }
                // the array may be changing hands (its submitter died and another process adopts it, rewriting
                // the task map's owner): read the map again shortly
                Thread.sleep(1_000);
            }
        }
        return state == RunState.SUCCEEDED ? 0 : 1;
    }

    /** Tries to take a task map's run over before giving up: an adoption may be under way. */
    static final int TAKE_OVER_ATTEMPTS = 4;

    private int task() {
        String task = System.getenv().getOrDefault("SLURM_ARRAY_TASK_ID", "0");
        try {
            return Integer.parseInt(task);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "SLURM_ARRAY_TASK_ID is not a task index: '" + task + "'");
        }
    }

    private TaskMap readTaskMap() {
        try {
            TaskMap map = TaskMap.read(target.taskMap);
            map.runFor(task()); // a task the map does not list is a usage error, not a refusal
            return map;
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "cannot use task map " + target.taskMap + " for task "
                            + System.getenv().getOrDefault("SLURM_ARRAY_TASK_ID", "0") + ": " + e.getMessage());
        }
    }
}
