package dev.replica.kernels.tornado;

import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.KernelDevice;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells the real TornadoVM runtime from Replica's api-jvm emulation and lists TornadoVM's devices. Everything
 * runtime-specific goes through reflection so that this class compiles against both API jars.
 */
public final class TornadoRuntimeInfo {

    private static final String API_JVM_MARKER = "dev.replica.tornado.apijvm.ApiJvm";

    private TornadoRuntimeInfo() {}

    /** True when the TornadoVM API on the class path is Replica's JVM emulation. */
    public static boolean emulated() {
        try {
            Class.forName(API_JVM_MARKER, false, TornadoRuntimeInfo.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Object call(Object target, String method, Object... args) throws ReflectiveOperationException {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                m.setAccessible(true);
                return m.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + method);
    }

    private static String str(Object target, String method) {
        try {
            Object v = call(target, method);
            return v == null ? "?" : v.toString();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * The devices of the real TornadoVM runtime (backend index:device index).
     *
     * @throws IllegalStateException when the runtime cannot be reached (e.g. the JVM was not started with
     *                               TornadoVM's launcher arguments); the message says why
     */
    public static List<KernelDevice> realDevices() {
        try {
            Class<?> provider = Class.forName("uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider");
            Object runtime = provider.getMethod("getTornadoRuntime").invoke(null);
            int backends = ((Number) call(runtime, "getNumBackends")).intValue();
            List<KernelDevice> out = new ArrayList<>();
            for (int bi = 0; bi < backends; bi++) {
                Object backend = call(runtime, "getBackend", bi);
                int devices = ((Number) call(backend, "getNumDevices")).intValue();
                for (int di = 0; di < devices; di++) {
                    Object dev = call(backend, "getDevice", di);
                    String type = str(dev, "getDeviceType");
                    String kind = type.contains("GPU")
                            ? "GPU"
                            : type.contains("CPU") ? "CPU" : type.contains("ACCELERATOR") ? "ACCELERATOR" : "OTHER";
                    out.add(new KernelDevice(
                            "tornadovm",
                            bi + ":" + di,
                            str(dev, "getDeviceName"),
                            kind,
                            "TornadoVM " + str(backend, "getName") + " / " + str(dev, "getPlatformName"),
                            true,
                            false));
                }
            }
            return out;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(
                    "TornadoVM runtime not reachable (run with TornadoVM's launcher "
                            + "arguments, @$TORNADOVM_HOME/tornado-argfile): " + cause,
                    e);
        }
    }

    /** The device the backend runs on, honestly labelled. */
    public static DeviceDescription describe() {
        String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        if (emulated()) {
            return new DeviceDescription("tornadovm", "JVM (api-jvm emulation of the TornadoVM API)", jvm, true);
        }
        List<KernelDevice> devices = realDevices();
        if (devices.isEmpty()) {
            throw new IllegalStateException("TornadoVM runtime reports no devices");
        }
        KernelDevice d = devices.get(0); // TornadoVM's default device: backend 0, device 0
        return new DeviceDescription("tornadovm", d.name(), d.driver(), false);
    }
}
