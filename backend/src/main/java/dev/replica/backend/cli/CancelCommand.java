package dev.replica.backend.cli;

import dev.replica.backend.run.RunFilter;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunState;
import dev.replica.backend.run.RunView;
import dev.replica.backend.scheduler.Scheduler;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancel runs: queued ones end CANCELLED at once, running ones are stopped by the process running them.",
            "Examples:  replica cancel 42 43   |   replica cancel --experiment 7"
        })
public class CancelCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "run ids")
    List<Long> runIds = List.of();

    @Option(
            names = "--experiment",
            paramLabel = "ID",
            description = "cancel every queued or running run of this experiment")
    Long experimentId;

    @Spec
    CommandSpec spec;

    @Inject
    Scheduler scheduler;

    @Inject
    RunQueries runs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (runIds.isEmpty() && experimentId == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give run ids or --experiment ID");
        }
        List<Long> ids = new java.util.ArrayList<>(runIds);
        if (experimentId != null) {
            for (RunState s : List.of(RunState.QUEUED, RunState.RUNNING)) {
                runs.list(new RunFilter(experimentId, s, Map.of(), RunFilter.MAX_LIMIT, 0)).stream()
                        .map(RunView::id)
                        .forEach(ids::add);
            }
        }
        int missing = 0;
        for (long id : ids) {
            var state = scheduler.cancel(id, "cancelled from the CLI");
            if (state.isEmpty()) {
                spec.commandLine().getErr().println("no run with id " + id);
                missing++;
            } else {
                out.println("run " + id + ": "
                        + (state.get() == RunState.RUNNING ? "cancel requested (it is running)" : state.get()));
            }
        }
        out.flush();
        spec.commandLine().getErr().flush();
        return missing == 0 ? 0 : 1;
    }
}
