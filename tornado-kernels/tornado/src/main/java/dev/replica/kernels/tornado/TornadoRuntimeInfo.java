package dev.replica.kernels.tornado;

import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.KernelDevice;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells TornadoVM's real runtime from Replica's api-jvm emulation and describes TornadoVM's devices. The module
 * compiles against api-jvm, which has no runtime classes, so everything runtime-specific goes through reflection
 * on TornadoVM's exported interfaces ({@code TornadoRuntime}, {@code TornadoBackend}, {@code TornadoDevice}).
 */
public final class TornadoRuntimeInfo {

    private static final String API_JVM_MARKER = "dev.replica.tornado.apijvm.ApiJvm";
    /** TornadoVM's default OpenCL compiler flags (TornadoOptions.DEFAULT_OPENCL_COMPILER_FLAGS in 5.2.0). */
    static final String DEFAULT_OPENCL_FLAGS = "-cl-mad-enable -cl-fast-relaxed-math -w";

    private TornadoRuntimeInfo() {}

    /** One device as TornadoVM reports it. */
    public record Device(
            String id,
            String backend,
            String name,
            String type,
            String platform,
            String driver,
            String openclC,
            long globalMemoryBytes) {

        /** A GPU or a dedicated accelerator; an OpenCL CPU device (PoCL) is not one. */
        public boolean accelerator() {
            return type.equals("GPU") || type.equals("ACCELERATOR");
        }

        KernelDevice toKernelDevice() {
            String drv = "TornadoVM " + version() + " " + backend + " / " + platform
                    + (driver.equals("?") ? "" : " driver " + driver);
            return new KernelDevice("tornadovm", id, name, type, drv, accelerator(), false, globalMemoryBytes);
        }
    }

    /** True when the TornadoVM API on the class path is Replica's JVM emulation. */
    public static boolean emulated() {
        try {
            Class.forName(API_JVM_MARKER, false, TornadoRuntimeInfo.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** TornadoVM's version (from its API module or jar), e.g. {@code 5.2.0-jdk25}; "api-jvm" on the emulation. */
    public static String version() {
        if (emulated()) {
            return "api-jvm";
        }
        Class<?> api = uk.ac.manchester.tornado.api.TaskGraph.class;
        Module m = api.getModule();
        if (m.getDescriptor() != null && m.getDescriptor().rawVersion().isPresent()) {
            return m.getDescriptor().rawVersion().get();
        }
        String v = api.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /** The JIT settings that change numerics or fallback behaviour, for the manifest. */
    public static String jitFlags() {
        if (emulated()) {
            return "none (plain Java on the JVM)";
        }
        return "opencl: " + System.getProperty("tornado.opencl.compiler.flags", DEFAULT_OPENCL_FLAGS)
                + "; recover.bailout=" + System.getProperty("tornado.recover.bailout", "True");
    }

    /**
     * The devices of the real TornadoVM runtime, as "backend index:device index".
     *
     * @throws IllegalStateException when the runtime cannot be reached (e.g. the JVM was not started with
     *                               TornadoVM's launcher arguments); the message says why
     */
    public static List<Device> realDevices() {
        try {
            Class<?> provider = Class.forName("uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider");
            Object runtime = provider.getMethod("getTornadoRuntime").invoke(null);
            int backends = ((Number) call(runtime, "getNumBackends")).intValue();
            List<Device> out = new ArrayList<>();
            for (int bi = 0; bi < backends; bi++) {
                Object backend = call(runtime, "getBackend", bi);
                int devices = ((Number) call(backend, "getNumDevices")).intValue();
                for (int di = 0; di < devices; di++) {
                    Object dev = call(backend, "getDevice", di);
                    out.add(new Device(
                            bi + ":" + di,
                            str(backend, "getName"),
                            str(dev, "getDeviceName"),
                            kind(str(dev, "getDeviceType")),
                            str(dev, "getPlatformName"),
                            driverVersion(dev),
                            str(dev, "getDeviceOpenCLCVersion"),
                            memory(dev)));
                }
            }
            return out;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    "TornadoVM runtime not reachable (run on TornadoVM's JDK with its launcher arguments,"
                            + " @$TORNADOVM_HOME/tornado-argfile): " + cause,
                    e);
        }
    }

    /** The device the backend runs on, honestly labelled. */
    public static DeviceDescription describe() {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        if (emulated()) {
            return new DeviceDescription("tornadovm", "JVM (api-jvm emulation of the TornadoVM API)", jvm, true);
        }
        List<Device> devices = realDevices();
        if (devices.isEmpty()) {
            throw new IllegalStateException("TornadoVM runtime reports no devices");
        }
        Device d = devices.get(0); // TornadoVM's default device: backend 0, device 0
        // version and JIT flags go in the manifest: both change what the kernels compute (fast-math, bailouts)
        return new DeviceDescription(
                "tornadovm",
                d.name(),
                d.toKernelDevice().driver(),
                false,
                java.util.Map.of("tornadovm_version", version(), "jit_flags", jitFlags(), "tornadovm_device", d.id()));
    }

    private static String kind(String tornadoType) {
        String t = tornadoType.toUpperCase(Locale.ROOT);
        return t.contains("GPU")
                ? "GPU"
                : t.contains("CPU") ? "CPU" : t.contains("ACCELERATOR") || t.contains("FPGA") ? "ACCELERATOR" : "OTHER";
    }

    private static long memory(Object device) {
        try {
            return ((Number) call(device, "getMaxGlobalMemory")).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
        }
    }

    /** The OpenCL driver version through the OpenCL backend's physical device, "?" for other backends. */
    private static String driverVersion(Object device) {
        try {
            return str(call(device, "getPhysicalDevice"), "getDriverVersion");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * Calls a public method by name and argument count through a public type of an exported package: the runtime
     * classes themselves sit in packages TornadoVM does not open to the class path.
     */
    private static Object call(Object target, String method, Object... args) throws ReflectiveOperationException {
        Method m = accessible(target.getClass(), method, args.length);
        if (m == null) {
            throw new NoSuchMethodException(target.getClass().getName() + "." + method);
        }
        return m.invoke(target, args);
    }

    private static Method accessible(Class<?> type, String method, int arity) {
        if (type == null) {
            return null;
        }
        if (Modifier.isPublic(type.getModifiers())
                && type.getModule().isExported(type.getPackageName(), TornadoRuntimeInfo.class.getModule())) {
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(method)
                        && m.getParameterCount() == arity
                        && Modifier.isPublic(m.getModifiers())
                        && (arity == 0 || m.getParameterTypes()[0] == int.class)) {
                    return m;
                }
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            Method m = accessible(i, method, arity);
            if (m != null) {
                return m;
            }
        }
        return accessible(type.getSuperclass(), method, arity);
    }

    private static String str(Object target, String method) {
        try {
            Object v = call(target, method);
            return v == null ? "?" : v.toString().trim();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}
