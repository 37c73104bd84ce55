package uk.ac.manchester.tornado.api.enums;

/** When data moves between host and device. On the JVM there is no device, so every mode behaves alike. */
public class DataTransferMode {
    /** Copy on the first execution only; the data stays on the device. */
    public static final int FIRST_EXECUTION = 0;
    /** Copy on every execution of the task graph. */
    public static final int EVERY_EXECUTION = 1;
    /** Device-to-host copies are left to {@code TornadoExecutionResult.transferToHost}. */
    public static final int UNDER_DEMAND = 2;

    private DataTransferMode() {}
}
