package dev.replica.backend;

import dev.replica.backend.cli.ReplicaCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * Entry point of the {@code replica} executable. Options that shape the application itself (the data
 * directory, and for {@code serve} whether and where HTTP listens) are read here, before Quarkus starts,
 * because Quarkus reads that configuration at boot. Every other command keeps the HTTP server off, so
 * {@code replica ls} never opens a port.
 */
@QuarkusMain
public class ReplicaMain implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        LaunchOptions.apply(args);
        Quarkus.run(ReplicaMain.class, args);
    }

    @Override
    public int run(String... args) {
        return new CommandLine(ReplicaCommand.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }
}
