package dev.replica.backend.cli;

import dev.replica.backend.experiment.ExperimentDeletionService;
import dev.replica.backend.experiment.ExperimentQueries;
import dev.replica.backend.experiment.ExperimentStillActiveException;
import dev.replica.backend.run.RunDeletionService;
import dev.replica.backend.run.RunQueries;
import dev.replica.backend.run.RunStillActiveException;
import dev.replica.backend.run.RunView;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Delete runs for good: their rows, metrics (every attempt), artifacts, logs and manifests. A running run"
                    + " is refused (cancel it first). Without --yes it only says what would go. `replica archive`"
                    + " hides runs instead, reversibly.",
            "--experiment ID deletes a whole experiment with all its runs, refused while any of them is queued or"
                    + " running; the deletion is recorded in deletions.log in the home.",
            "Examples:  replica delete 42 --yes   |   replica delete 42 43   |   replica delete --experiment 7 --yes"
        })
public class DeleteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "run ids")
    List<Long> runIds = List.of();

    @Option(names = "--experiment", paramLabel = "ID", description = "delete this experiment and all its runs")
    Long experimentId;

    @Option(names = "--yes", description = "delete without asking again")
    boolean yes;

    @Spec
    CommandSpec spec;

    @Inject
    RunDeletionService deletion;

    @Inject
    RunQueries runs;

    @Inject
    ExperimentDeletionService experimentDeletion;

    @Inject
    ExperimentQueries experiments;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((experimentId == null) == runIds.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(), "give run ids or --experiment ID (not both): what should be deleted?");
        }
        if (experimentId != null) {
            return deleteExperiment(out, err);
        }
        var found = runs.views(runIds);
        int failed = 0;
        for (long id : runIds) {
            RunView run = found.get(id);
            if (run == null) {
                err.println("no run with id " + id);
                failed++;
            } else if (!yes) {
                out.println("would delete run " + id + " (" + run.experimentName() + " #" + run.index() + ", "
                        + run.state() + ") with its metrics, artifacts, logs and manifest");
            } else {
                try {
                    deletion.delete(id, "from the CLI")
                            .ifPresent(d -> out.println(d.message() + "; "
                                    + d.files().size()
                                    + (d.files().size() == 1 ? " file or folder" : " files or folders")
                                    + " removed"));
                } catch (RunStillActiveException e) {
                    err.println(e.getMessage());
                    failed++;
                }
            }
        }
        if (!yes) {
            err.println("Nothing was deleted; add --yes to delete.");
        }
        out.flush();
        err.flush();
        return failed == 0 && yes ? 0 : 1;
    }

    private int deleteExperiment(PrintWriter out, PrintWriter err) {
        int status = 1;
        var found = experiments.find(experimentId);
        if (found.isEmpty()) {
            err.println("no experiment with id " + experimentId);
        } else if (!yes) {
            out.println("would delete experiment " + experimentId + " ("
                    + found.get().name() + ") with its " + found.get().runCount()
                    + " runs: their metrics, artifacts, logs and manifests");
            err.println("Nothing was deleted; add --yes to delete.");
        } else {
            try {
                experimentDeletion
                        .delete(experimentId, "from the CLI")
                        .ifPresent(d -> out.println(d.message() + "; "
                                + d.files().size() + (d.files().size() == 1 ? " file or folder" : " files or folders")
                                + " removed"));
                status = 0;
            } catch (ExperimentStillActiveException e) {
                err.println(e.getMessage());
            }
        }
        out.flush();
        err.flush();
        return status;
    }
}
