package dev.replica.backend.cli;

import dev.replica.backend.experiment.ExperimentQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import picocli.CommandLine;

/** An experiment named on the command line by id or by name (the latest of that name). */
@ApplicationScoped
public class ExperimentLookup {

    @Inject
    ExperimentQueries experiments;

    /** @throws CommandLine.ParameterException naming the id or name that matches no experiment */
    long resolve(CommandLine cli, String idOrName) {
        if (idOrName.matches("\\d+")) {
            long id = Long.parseLong(idOrName);
            if (experiments.find(id).isEmpty()) {
                throw new CommandLine.ParameterException(cli, "no experiment with id " + id);
            }
            return id;
        }
        // jOOQ, not Panache: the CLI runs outside a request context, where a Hibernate session is unavailable
        return experiments
                .findLatestIdByName(idOrName)
                .orElseThrow(() -> new CommandLine.ParameterException(
                        cli, "no experiment named " + idOrName + " (see `replica ls`)"));
    }
}
