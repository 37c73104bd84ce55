package dev.replica.experiments.metrics;

/** A metric file could not be written or read; the message names the run and the cause. */
public class MetricStoreException extends RuntimeException {
    public MetricStoreException(String message) {
        super(message);
    }

    public MetricStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
