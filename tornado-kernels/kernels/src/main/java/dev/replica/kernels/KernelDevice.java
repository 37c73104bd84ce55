package dev.replica.kernels;

/**
 * One device a backend can run on, as listed by {@code replica devices}.
 *
 * @param backend     backend name that reaches the device ({@code jvm}, {@code opencl}, {@code tornadovm})
 * @param id          index or identifier within the backend, e.g. "0:1" (platform:device) for OpenCL
 * @param name        device name
 * @param type        {@code CPU}, {@code GPU}, {@code ACCELERATOR} or {@code OTHER}
 * @param driver      driver or runtime version
 * @param accelerator true for a GPU or accelerator, the devices {@code auto} prefers
 * @param emulated    true when reached through an emulation rather than the real runtime
 * @param memoryBytes the device's global memory in bytes; 0 when the backend does not report it
 */
public record KernelDevice(
        String backend,
        String id,
        String name,
        String type,
        String driver,
        boolean accelerator,
        boolean emulated,
        long memoryBytes) {

    /** A device whose memory size is not reported. */
    public KernelDevice(
            String backend, String id, String name, String type, String driver, boolean accelerator, boolean emulated) {
        this(backend, id, name, type, driver, accelerator, emulated, 0L);
    }
}
