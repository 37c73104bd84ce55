package dev.replica.kernels.opencl;

import java.util.List;
import java.util.Optional;

/**
 * Answers "can the OpenCL backend run here, and on what?" without ever throwing: a missing JOCL
 * native library, a missing {@code libOpenCL.so}, no ICD platform and a selector that matches
 * nothing all become {@link Result#available() unavailable} with a reason a user can act on.
 */
public final class OpenClProbe {
    private static volatile Result cached;
    /** The first native-load failure: later attempts only see NoClassDefFoundError, which explains nothing. */
    private static volatile String loadFailure;

    private OpenClProbe() {}

    /**
     * The outcome of probing.
     *
     * @param available whether a device was found and selected
     * @param reason why not (empty when available)
     * @param device the selected device, when available
     * @param devices every device found
     */
    public record Result(
            boolean available, String reason, Optional<OpenClDeviceInfo> device, List<OpenClDeviceInfo> devices) {

        /** One line for logs: the chosen device or the reason for falling back. */
        public String summary() {
            return available ? "OpenCL device " + device.orElseThrow().describe() : "OpenCL unavailable: " + reason;
        }
    }

    /** Probes once per JVM (the result is cached; discovery is not free). */
    public static Result probe() {
        Result r = cached;
        if (r == null) {
            r = probe(OpenClDevices.configuredSelector());
            cached = r;
        }
        return r;
    }

    /**
     * Explains a failure to load JOCL or libOpenCL: UnsatisfiedLinkError on the first attempt,
     * NoClassDefFoundError on later ones (reported with the first attempt's cause).
     */
    static String loadFailure(LinkageError e) {
        String first = loadFailure;
        if (first == null) {
            first = "the OpenCL runtime could not be loaded (" + e + "); install an OpenCL ICD loader and"
                    + " driver, e.g. Debian's ocl-icd-libopencl1 and pocl-opencl-icd";
            loadFailure = first;
        }
        return first;
    }

    /** Probes for the device matching {@code selector}; never throws. */
    public static Result probe(String selector) {
        List<OpenClDeviceInfo> devices;
        try {
            devices = OpenClDevices.discover();
        } catch (LinkageError e) {
            return new Result(false, loadFailure(e), Optional.empty(), List.of());
        } catch (RuntimeException e) {
            return new Result(false, "OpenCL discovery failed: " + e.getMessage(), Optional.empty(), List.of());
        }
        if (devices.isEmpty()) {
            return new Result(
                    false,
                    "no OpenCL platform found (the ICD loader lists no vendor in"
                            + " /etc/OpenCL/vendors); install pocl-opencl-icd for CPUs or the GPU vendor's driver",
                    Optional.empty(),
                    devices);
        }
        try {
            return new Result(true, "", Optional.of(OpenClDevices.select(devices, selector)), devices);
        } catch (OpenClException e) {
            return new Result(false, e.getMessage(), Optional.empty(), devices);
        }
    }
}
