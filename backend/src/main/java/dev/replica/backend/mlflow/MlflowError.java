package dev.replica.backend.mlflow;

/**
 * A failure reported the way MLflow's tracking server reports it: an error code its clients switch on
 * ({@code RESOURCE_DOES_NOT_EXIST} is how {@code mlflow.set_experiment} learns it must create one) and a
 * message for the user.
 */
public class MlflowError extends RuntimeException {

    /** MLflow's error codes used here, with the HTTP status MLflow's server sends for each. */
    public enum Code {
        INVALID_PARAMETER_VALUE(400),
        BAD_REQUEST(400),
        RESOURCE_ALREADY_EXISTS(400),
        RESOURCE_DOES_NOT_EXIST(404),
        INVALID_STATE(400),
        ENDPOINT_NOT_FOUND(404),
        INTERNAL_ERROR(500);

        final int status;

        Code(int status) {
            this.status = status;
        }
    }

    private final Code code;

    public MlflowError(Code code, String message) {
        super(message);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    static MlflowError invalid(String message) {
        return new MlflowError(Code.INVALID_PARAMETER_VALUE, message);
    }

    static MlflowError notFound(String message) {
        return new MlflowError(Code.RESOURCE_DOES_NOT_EXIST, message);
    }
}
