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
                    + " a run that scheduler no longer holds (recovered and re-queued meanwhile) is not run.",
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
        long runId;
        String heldBy = null;
        if (target.taskMap != null) {
            String task = System.getenv().getOrDefault("SLURM_ARRAY_TASK_ID", "0");
            try {
                TaskMap map = TaskMap.read(target.taskMap);
                runId = map.runFor(Integer.parseInt(task));
                heldBy = map.owner();
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "cannot use task map " + target.taskMap + " for task " + task + ": " + e.getMessage());
            }
        } else {
            runId = target.runId;
        }
        RunState state;
        try {
            state = scheduler.work(runId, heldBy);
        } catch (Scheduler.WorkRefused e) {
            err.println(e.getMessage());
            err.flush();
            return REFUSED;
        }
        out.println("run " + runId + ": " + state);
        out.flush();
        return state == RunState.SUCCEEDED ? 0 : 1;
    }
}
