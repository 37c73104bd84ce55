package dev.replica.experiments.spec;

/**
 * Input a user wrote is wrong: a query parameter, a filter, a metric name, a request body. The message says what
 * is wrong and with which value; {@link #field()} names the field at fault. REST answers it with 400 and the
 * field; the CLI prints the message. {@link SpecValidationException} is its sibling for whole specs (every
 * error with file, line and column).
 *
 * <p>It is an {@link IllegalArgumentException} so that callers that already handle bad arguments keep doing
 * so; but only this type means "the user's fault": a plain {@code IllegalArgumentException} that reaches the
 * HTTP layer is a bug and answers 500.
 */
public class InvalidInputException extends IllegalArgumentException {

    private final String field;

    /**
     * @param field   the field at fault as the user named it ({@code buckets}, {@code filter}, {@code body}), or
     *                null when the input as a whole is at fault
     * @param message what is wrong, naming the value
     */
    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** As {@link #InvalidInputException(String, String)}, keeping the parse failure that led to it. */
    public InvalidInputException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The field at fault, or null when the input as a whole is. */
    public String field() {
        return field;
    }
}
