package dev.replica.backend.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Replica's own settings (prefix {@code replica}). */
@ConfigMapping(prefix = "replica")
public interface ReplicaConfig {

    /**
     * {@code replica.home}: data directory holding the embedded database, {@code metrics/} and
     * {@code artifacts/}. Default {@code ~/.replica}; override with {@code REPLICA_HOME} or {@code --home}.
     */
    Path home();

    Spec spec();

    Auth auth();

    interface Spec {
        /** {@code replica.spec.max-runs}: largest number of runs one spec may expand to. Default 10000. */
        @WithDefault("10000")
        int maxRuns();
    }

    interface Auth {
        /**
         * {@code replica.auth.required}: whether writes need an API token. Default: required unless the
         * server listens on a loopback address only.
         */
        Optional<Boolean> required();

        /** {@code replica.auth.protect-reads}: whether reads need a token too. Default false. */
        @WithDefault("false")
        boolean protectReads();
    }
}
