package uk.ac.manchester.tornado.api.enums;

/** When data moves between host and device. On the JVM there is no device, so every mode behaves alike. */
public class DataTransferMode {
    public static final int FIRST_EXECUTION = 0;
    public static final int EVERY_EXECUTION = 1;
    public static final int USER_DEFINED = 2;

    private DataTransferMode() {}
}
