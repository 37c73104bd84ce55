package dev.replica.backend.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code replica}: the one executable, server and CLI. */
@Command(
        name = "replica",
        mixinStandardHelpOptions = true,
        versionProvider = ReplicaVersion.class,
        description = {
            "Replica — experiment orchestration and reproducibility workbench.",
            "Declare experiments as YAML specs, expand them into runs, compare them side by side."
        },
        subcommands = {
            ServeCommand.class,
            RunCommand.class,
            ValidateCommand.class,
            LsCommand.class,
            CompareCommand.class,
            ReportCommand.class,
            ShowCommand.class,
            TokenCommand.class,
            DevicesCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            TagCommand.class,
            NoteCommand.class,
            RenameCommand.class,
            ArchiveCommand.class,
            DeleteCommand.class,
            LogsCommand.class,
            ManifestCommand.class,
            DiffCommand.class,
            ReproduceCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            WorkerCommand.class
        },
        footer = {
            "",
            "Data lives in ~/.replica (override with REPLICA_HOME or --home).",
            "Database: embedded H2 by default; PostgreSQL with REPLICA_DB=postgresql and REPLICA_DB_URL (see README)."
        })
public class ReplicaCommand implements Callable<Integer> {

    /** Declared for help; applied by {@link dev.replica.backend.ReplicaMain} before the application starts. */
    @Option(
            names = "--home",
            paramLabel = "DIR",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "data directory (default: $REPLICA_HOME or ~/.replica)")
    String home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
