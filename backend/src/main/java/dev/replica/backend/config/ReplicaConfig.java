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

    Kernels kernels();

    Server server();

    Slurm slurm();

    /**
     * Kernel backend settings. The kernels module reads them itself (system properties or
     * {@code REPLICA_KERNELS_*}); they are declared here so the application accepts and documents them.
     */
    interface Kernels {
        /** {@code replica.kernels.backend}: auto, jvm, opencl, tornadovm or reference. Default auto. */
        @WithDefault("auto")
        String backend();

        /** {@code replica.kernels.threads}: threads of the JVM backend; default all cores. */
        java.util.OptionalInt threads();

        Opencl opencl();

        interface Opencl {
            /** {@code replica.kernels.opencl.device}: auto, gpu, cpu, accelerator, P:D, index or a name substring. */
            Optional<String> device();

            /** {@code replica.kernels.opencl.variant}: cpu or gpu kernels, overriding the device type. */
            Optional<String> variant();
        }
    }

    interface Server {
        /** {@code replica.server.url}: set by {@code replica serve}; given to command runs as REPLICA_URL. */
        Optional<String> url();
    }

    interface Slurm {
        /** {@code replica.slurm.bin-dir}: folder of sbatch/squeue/scancel when they are not on PATH. */
        Optional<Path> binDir();

        /**
         * {@code replica.slurm.worker-command}: how an array task starts Replica on a worker node (comma-separated
         * argv, e.g. {@code /opt/replica/replica}); it must reach the same database and data directory. Default:
         * this process's own JVM and application jar.
         */
        Optional<java.util.List<String>> workerCommand();
    }

    interface Spec {
        /** {@code replica.spec.max-runs}: largest number of runs one spec may expand to. Default 10000. */
        @WithDefault("10000")
        int maxRuns();
    }

    /** Who may call the API and from where; docs/security.md explains each mode. */
    interface Auth {
        /**
         * {@code replica.auth.required}: whether every write needs a token (an API token or the session that the
         * start-up URL opens). Default: required unless the server listens on 127.0.0.1, localhost or ::1. Without
         * it, starting a {@code command} experiment or retrying a {@code command} run still needs one.
         */
        Optional<Boolean> required();

        /** {@code replica.auth.protect-reads}: whether reads need a token too. Default false. */
        @WithDefault("false")
        boolean protectReads();

        /**
         * {@code replica.auth.start-token} ({@code REPLICA_AUTH_START_TOKEN}): the secret of the sign-in URL that
         * {@code replica serve} prints. Default: 32 random bytes, new at every start.
         */
        Optional<String> startToken();

        /**
         * {@code replica.auth.allowed-hosts}: host names, besides localhost, IP addresses and the {@code --host},
         * that requests may name in their {@code Host} header (the names a proxy forwards); {@code *} allows any.
         * Other names are refused, which stops DNS rebinding.
         */
        Optional<java.util.List<String>> allowedHosts();
    }
}
