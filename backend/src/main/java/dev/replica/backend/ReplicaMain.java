package dev.replica.backend;

import dev.replica.backend.cli.ReplicaCommand;
import dev.replica.backend.cli.StandaloneValidate;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.time.Duration;
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
        String[] validate = StandaloneValidate.validateArgs(args);
        if (validate != null) {
            System.exit(StandaloneValidate.run(validate)); // needs no database: skip the application (ADR 0009)
        }
        LaunchOptions.apply(args);
        // jOOQ prints a banner and tips on first use; the CLI shows neither, so do not build them
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        boolean readOnly = LaunchOptions.readOnly(args);
        try {
            DatabaseGate.await(
                    DatabaseGate.url(),
                    System.getProperty(
                            "quarkus.datasource.username", System.getenv().getOrDefault("REPLICA_DB_USER", "sa")),
                    System.getProperty(
                            "quarkus.datasource.password", System.getenv().getOrDefault("REPLICA_DB_PASSWORD", "")),
                    Duration.parse("PT" + System.getProperty("replica.db.open-timeout", "60s")),
                    c -> {
                        if (readOnly && SchemaStamp.current(c, SchemaStamp.packagedVersions())) {
                            LaunchOptions.skipSchemaChecks();
                        }
                    });
        } catch (DatabaseGate.Unavailable e) {
            System.err.println("replica: " + e.getMessage());
            System.exit(1);
        }
        Quarkus.run(ReplicaMain.class, args);
    }

    @Override
    public int run(String... args) {
        return new CommandLine(ReplicaCommand.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }
}
