package dev.replica.kernels.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** The library JOCL's native code opens on Linux; when dlopen fails it prints to stderr, which we avoid. */
    static final String ICD_LOADER = "libOpenCL.so.1";

    private OpenClProbe() {}

    /**
     * Whether the OpenCL ICD loader can be found, checked before JOCL is touched: JOCL's native code prints
     * "Could not load libOpenCL.so.1" lines to stderr on machines without it. Only Linux is checked (elsewhere
     * JOCL loads the platform's own library); there the dynamic linker's cache, {@code LD_LIBRARY_PATH} and
     * the default library folders are searched as {@code dlopen} would.
     */
    static boolean icdLoaderPresent() {
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .startsWith("linux")) {
            return true;
        }
        List<Path> dirs = new ArrayList<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            for (String d : ldPath.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        for (String d : new String[] {"/lib", "/usr/lib", "/lib64", "/usr/lib64"}) {
            dirs.add(Path.of(d));
        }
        return libraryFindable(ICD_LOADER, Path.of("/etc/ld.so.cache"), dirs);
    }

    /** Whether {@code name} is listed in the linker cache {@code ldCache} or is a file in one of {@code dirs}. */
    static boolean libraryFindable(String name, Path ldCache, List<Path> dirs) {
        for (Path d : dirs) {
            if (Files.exists(d.resolve(name))) {
                return true;
            }
        }
        try {
            // the cache is binary, but library names are stored as plain NUL-terminated strings
            byte[] cache = Files.readAllBytes(ldCache);
            return new String(cache, StandardCharsets.ISO_8859_1).contains(name + '\0');
        } catch (IOException e) {
            return false;
        }
    }

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
        if (!icdLoaderPresent()) {
            return new Result(
                    false,
                    "no OpenCL ICD loader (" + ICD_LOADER + ") on this machine; install Debian's"
                            + " ocl-icd-libopencl1 and pocl-opencl-icd (CPUs) or the GPU vendor's driver",
                    Optional.empty(),
                    List.of());
        }
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
