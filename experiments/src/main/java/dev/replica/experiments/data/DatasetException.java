package dev.replica.experiments.data;

/** A data set is missing or corrupt; the message says what to do. */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }
}
