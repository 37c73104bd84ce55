package dev.replica.kernels;

/**
 * Service-provider interface: each backend module registers one implementation in
 * {@code META-INF/services/dev.replica.kernels.KernelBackendProvider}; {@link KernelBackends} finds them
 * with {@link java.util.ServiceLoader}.
 */
public interface KernelBackendProvider {

    /** The name selected by {@code replica.kernels.backend}: {@code jvm}, {@code opencl}, {@code tornadovm}. */
    String name();

    /** Looks for the runtime and devices; cheap, never throws. */
    BackendProbe probe();

    /**
     * Creates a backend on this provider's preferred device.
     *
     * @throws IllegalStateException when {@link #probe()} reports it unavailable; the message says why
     */
    KernelBackend create();
}
