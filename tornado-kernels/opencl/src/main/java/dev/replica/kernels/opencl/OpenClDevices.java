package dev.replica.kernels.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL platforms and devices through JOCL and picks one by configuration.
 *
 * <p>The device is chosen by the system property {@value #DEVICE_PROPERTY} or, when it is not
 * set, the environment variable {@value #DEVICE_ENV}. Accepted values:
 *
 * <ul>
 *   <li>{@code auto} (default): the first GPU, else the first accelerator, else the first CPU;
 *   <li>{@code gpu}, {@code cpu}, {@code accelerator}: the first device of that type;
 *   <li>{@code P:D}: device D of platform P, as printed by {@link OpenClDeviceInfo#id()};
 *   <li>{@code N}: the N-th device in discovery order over all platforms;
 *   <li>anything else: the first device whose device or platform name contains the text
 *       (case-insensitive), e.g. {@code nvidia}, {@code pocl}, {@code H100}.
 * </ul>
 */
public final class OpenClDevices {
    /** System property that selects the device. */
    public static final String DEVICE_PROPERTY = "replica.kernels.opencl.device";
    /** Environment variable read when the system property is absent. */
    public static final String DEVICE_ENV = "REPLICA_KERNELS_OPENCL_DEVICE";

    private OpenClDevices() {}

    /** The configured selector: system property, then environment, then {@code auto}. */
    public static String configuredSelector() {
        String value = System.getProperty(DEVICE_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(DEVICE_ENV);
        }
        return value == null || value.isBlank() ? "auto" : value.trim();
    }

    /**
     * Every device of every platform, in discovery order. Returns an empty list when the ICD
     * loader finds no platform.
     *
     * @throws LinkageError when JOCL's native library or libOpenCL cannot be loaded; callers that
     *     must not fail use {@link OpenClProbe}
     */
    public static List<OpenClDeviceInfo> discover() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        try {
            CL.clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            // CL_PLATFORM_NOT_FOUND_KHR (-1001): the ICD loader found no vendor file.
            return List.of();
        }
        if (count[0] == 0) {
            return List.of();
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        List<OpenClDeviceInfo> devices = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            int[] deviceCount = new int[1];
            try {
                CL.clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, deviceCount);
            } catch (CLException e) {
                continue; // CL_DEVICE_NOT_FOUND: a platform without devices
            }
            if (deviceCount[0] == 0) {
                continue;
            }
            cl_device_id[] ids = new cl_device_id[deviceCount[0]];
            CL.clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, ids.length, ids, null);
            for (int d = 0; d < ids.length; d++) {
                devices.add(describe(p, d, platforms[p], ids[d]));
            }
        }
        return List.copyOf(devices);
    }

    /**
     * Picks a device according to {@code selector} (see the class comment).
     *
     * @throws OpenClException when nothing matches; the message lists the devices there are
     */
    public static OpenClDeviceInfo select(List<OpenClDeviceInfo> devices, String selector) {
        if (devices.isEmpty()) {
            throw new OpenClException("no OpenCL platform/device found (install an ICD, e.g. Debian's"
                    + " pocl-opencl-icd for CPUs or the GPU vendor's driver)");
        }
        String s = selector == null ? "auto" : selector.trim().toLowerCase(Locale.ROOT);
        Optional<OpenClDeviceInfo> chosen;
        switch (s) {
            case "", "auto" -> {
                chosen = firstOfType(devices, OpenClDeviceInfo.Type.GPU)
                        .or(() -> firstOfType(devices, OpenClDeviceInfo.Type.ACCELERATOR))
                        .or(() -> firstOfType(devices, OpenClDeviceInfo.Type.CPU))
                        .or(() -> Optional.of(devices.get(0)));
            }
            case "gpu" -> chosen = firstOfType(devices, OpenClDeviceInfo.Type.GPU);
            case "cpu" -> chosen = firstOfType(devices, OpenClDeviceInfo.Type.CPU);
            case "accelerator" -> chosen = firstOfType(devices, OpenClDeviceInfo.Type.ACCELERATOR);
            default -> {
                if (s.matches("\\d+:\\d+")) {
                    chosen = devices.stream().filter(d -> d.id().equals(s)).findFirst();
                } else if (s.matches("\\d+")) {
                    int n = Integer.parseInt(s);
                    chosen = n < devices.size() ? Optional.of(devices.get(n)) : Optional.empty();
                } else {
                    chosen = devices.stream()
                            .filter(d -> d.deviceName().toLowerCase(Locale.ROOT).contains(s)
                                    || d.platformName().toLowerCase(Locale.ROOT).contains(s))
                            .findFirst();
                }
            }
        }
        return chosen.orElseThrow(() -> new OpenClException(
                "no OpenCL device matches " + DEVICE_PROPERTY + "='" + selector + "'; available: " + listing(devices)));
    }

    /** The devices as {@code "0:0 CPU name (driver ...)"} joined by "; ". */
    public static String listing(List<OpenClDeviceInfo> devices) {
        if (devices.isEmpty()) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (OpenClDeviceInfo d : devices) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(d.describe());
        }
        return sb.toString();
    }

    /** The JOCL handles of a discovered device. */
    static cl_platform_id platformHandle(OpenClDeviceInfo info) {
        int[] count = new int[1];
        CL.clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(platforms.length, platforms, null);
        return platforms[info.platformIndex()];
    }

    static cl_device_id deviceHandle(cl_platform_id platform, OpenClDeviceInfo info) {
        int[] count = new int[1];
        CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count);
        cl_device_id[] ids = new cl_device_id[count[0]];
        CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
        return ids[info.deviceIndex()];
    }

    private static Optional<OpenClDeviceInfo> firstOfType(List<OpenClDeviceInfo> devices, OpenClDeviceInfo.Type type) {
        return devices.stream().filter(d -> d.type() == type).findFirst();
    }

    private static OpenClDeviceInfo describe(int p, int d, cl_platform_id platform, cl_device_id id) {
        long type = deviceLong(id, CL_DEVICE_TYPE);
        OpenClDeviceInfo.Type kind;
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            kind = OpenClDeviceInfo.Type.GPU;
        } else if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            kind = OpenClDeviceInfo.Type.ACCELERATOR;
        } else if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            kind = OpenClDeviceInfo.Type.CPU;
        } else {
            kind = OpenClDeviceInfo.Type.OTHER;
        }
        return new OpenClDeviceInfo(
                p,
                d,
                platformString(platform, CL_PLATFORM_NAME),
                platformString(platform, CL_PLATFORM_VERSION),
                deviceString(id, CL_DEVICE_NAME),
                deviceString(id, CL_DEVICE_VENDOR),
                deviceString(id, CL_DRIVER_VERSION),
                deviceString(id, CL_DEVICE_VERSION),
                kind,
                (int) deviceUint(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE),
                deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE));
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, param, Long.BYTES, Pointer.to(value), null);
        return value[0];
    }

    private static long deviceUint(cl_device_id device, int param) {
        int[] value = new int[1];
        CL.clGetDeviceInfo(device, param, Integer.BYTES, Pointer.to(value), null);
        return Integer.toUnsignedLong(value[0]);
    }

    private static long deviceSize(cl_device_id device, int param) {
        // size_t: read as many bytes as the platform reports and decode little-endian.
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        ByteBuffer bb = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
        return buffer.length >= Long.BYTES ? bb.getLong() : Integer.toUnsignedLong(bb.getInt());
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
