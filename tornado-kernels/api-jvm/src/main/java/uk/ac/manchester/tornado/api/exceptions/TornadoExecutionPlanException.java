package uk.ac.manchester.tornado.api.exceptions;

/** Raised when closing an execution plan fails (a checked exception, as in TornadoVM). */
public class TornadoExecutionPlanException extends Exception {
    public TornadoExecutionPlanException(String message) {
        super(message);
    }

    public TornadoExecutionPlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
