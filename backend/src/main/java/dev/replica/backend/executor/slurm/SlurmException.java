package dev.replica.backend.executor.slurm;

/** A Slurm command failed or printed something this client does not understand. The message says which. */
public class SlurmException extends RuntimeException {

    public SlurmException(String message) {
        super(message);
    }

    public SlurmException(String message, Throwable cause) {
        super(message, cause);
    }
}
