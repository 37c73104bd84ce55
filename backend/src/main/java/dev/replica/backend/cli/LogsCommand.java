package dev.replica.backend.cli;

import dev.replica.backend.config.ReplicaHome;
import dev.replica.backend.run.RunLogs;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Print a run's logs: stdout and stderr of command runs, the run log of built-in kinds.")
public class LogsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", description = "run id")
    long runId;

    @Spec
    CommandSpec spec;

    @Inject
    ReplicaHome home;

    @Override
    public Integer call() throws IOException {
        Path dir = home.artifacts().resolve(Long.toString(runId));
        boolean any = false;
        for (String name : RunLogs.FILES) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                any = true;
                spec.commandLine().getOut().println("==> " + name + " <==");
                spec.commandLine().getOut().print(Files.readString(f));
            }
        }
        if (!any) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "no logs for run " + runId + " (it has not started, or the id is wrong)");
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
