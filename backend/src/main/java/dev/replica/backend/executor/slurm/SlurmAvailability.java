package dev.replica.backend.executor.slurm;

/**
 * Whether Slurm can take jobs from this machine, and why not.
 *
 * @param usable whether jobs can be submitted and will run
 * @param reason for people: what is missing or down and what to do, or what is up
 */
public record SlurmAvailability(boolean usable, String reason) {

    static SlurmAvailability usable(String reason) {
        return new SlurmAvailability(true, reason);
    }

    static SlurmAvailability unusable(String reason) {
        return new SlurmAvailability(false, reason);
    }
}
