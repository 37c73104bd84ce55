package dev.replica.kernels.jvm;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackendProvider;
import dev.replica.kernels.KernelDevice;
import java.util.List;

/**
 * Registers the JVM backend ({@code jvm}). It needs the incubating Vector API, i.e. the JVM started with
 * {@code --add-modules jdk.incubator.vector}; without it the probe says so and selection falls back to the
 * reference kernels.
 */
public final class JvmBackendProvider implements KernelBackendProvider {

    @Override
    public String name() {
        return "jvm";
    }

    /** True when the boot layer holds {@code jdk.incubator.vector}. */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    @Override
    public BackendProbe probe() {
        if (!vectorApiPresent()) {
            return BackendProbe.unavailable(
                    "jvm", "the Vector API is missing: start the JVM with --add-modules jdk.incubator.vector");
        }
        int threads = JvmBackend.defaultThreads();
        String driver = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
        // memory: the heap limit, which bounds what the JVM backend's float[] buffers can hold
        KernelDevice cpu = new KernelDevice(
                "jvm",
                "0",
                JvmBackend.cpuName() + " (" + threads + " threads)",
                "CPU",
                driver,
                false,
                false,
                Runtime.getRuntime().maxMemory());
        return new BackendProbe("jvm", true, false, "JVM on " + cpu.name(), List.of(cpu));
    }

    @Override
    public KernelBackend create() {
        if (!vectorApiPresent()) {
            throw new IllegalStateException(probe().message());
        }
        return new JvmBackend();
    }
}
