package dev.replica.backend.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The data directory and its sub-folders, created on start. */
@Startup
@ApplicationScoped
public class ReplicaHome {

    private final Path root;

    public ReplicaHome(ReplicaConfig config) {
        this.root = config.home().toAbsolutePath().normalize();
        try {
            Files.createDirectories(metrics());
            Files.createDirectories(artifacts());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the Replica data directory " + root
                            + " (set REPLICA_HOME or --home to a writable folder)",
                    e);
        }
    }

    public Path root() {
        return root;
    }

    public Path metrics() {
        return root.resolve("metrics");
    }

    public Path artifacts() {
        return root.resolve("artifacts");
    }

    /** A run's own folder under {@code artifacts/}: its logs, manifest and whatever else it wrote. */
    public Path runFolder(long runId) {
        return artifacts().resolve(Long.toString(runId));
    }
}
