package dev.replica.kernels.opencl;

/**
 * An OpenCL failure explained in words: a missing platform, an unusable device selector, or a
 * program that did not compile (the message then carries the compiler's build log).
 */
public final class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OpenClException(String message) {
        super(message);
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
