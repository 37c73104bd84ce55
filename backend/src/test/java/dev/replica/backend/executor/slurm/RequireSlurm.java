package dev.replica.backend.executor.slurm;

import static org.junit.jupiter.api.Assertions.fail;

import org.opentest4j.TestAbortedException;

/**
 * The Slurm tests' convention: they need the real local cluster (stood up by {@code .ci/deps/slurm.sh}); with
 * {@code CI=true} a missing cluster fails them, elsewhere they are skipped with the reason.
 */
public final class RequireSlurm {

    private RequireSlurm() {}

    public static void usable(SlurmAvailability availability) {
        if (!availability.usable()) {
            String message = "Slurm is not usable here: " + availability.reason()
                    + " (stand the local cluster up with .ci/deps/slurm.sh, or ansible-playbook -i"
                    + " ansible/inventories/local ansible/slurm-local.yml)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            throw new TestAbortedException(message);
        }
    }
}
