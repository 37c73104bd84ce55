package dev.replica.backend.cli;

import dev.replica.backend.run.RunService;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "retry",
        mixinStandardHelpOptions = true,
        description = "Queue failed, cancelled or interrupted runs again (a running `replica serve`, executes them).")
public class RetryCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", arity = "1..*", description = "run ids")
    List<Long> runIds;

    @Spec
    CommandSpec spec;

    @Inject
    RunService runs;

    @Override
    public Integer call() {
        int failures = 0;
        for (long id : runIds) {
            try {
                var state = runs.retry(id, "retried from the CLI");
                if (state.isEmpty()) {
                    spec.commandLine().getErr().println("no run with id " + id);
                    failures++;
                } else {
                    spec.commandLine().getOut().println("run " + id + ": " + state.get());
                }
            } catch (dev.replica.backend.run.IllegalTransitionException e) {
                spec.commandLine().getErr().println(e.getMessage());
                failures++;
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return failures == 0 ? 0 : 1;
    }
}
