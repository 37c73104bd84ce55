package dev.replica.tornado.apijvm;

/**
 * Marker of Replica's JVM implementation of the TornadoVM API. Its presence on the class path means TornadoVM
 * kernels run as plain Java on the JVM, not on an accelerator: backends look it up reflectively
 * ({@code Class.forName("dev.replica.tornado.apijvm.ApiJvm")}) to report that honestly.
 */
public final class ApiJvm {

    /** Human-readable description of this runtime, for manifests. */
    public static final String DESCRIPTION = "Replica api-jvm (TornadoVM API subset executed on the JVM)";

    private ApiJvm() {}
}
