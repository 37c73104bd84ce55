package dev.replica.kernels.opencl;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackendProvider;
import dev.replica.kernels.KernelDevice;
import java.util.List;

/**
 * Registers the OpenCL backend ({@code opencl}) with {@link dev.replica.kernels.KernelBackends}.
 * The probe reports the device chosen by {@value OpenClDevices#DEVICE_PROPERTY}; it is
 * "accelerated" (eligible for {@code auto}) only for a GPU or accelerator: PoCL on the CPU is a
 * real OpenCL device, but the JVM backend is the better choice there.
 */
public final class OpenClBackendProvider implements KernelBackendProvider {

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public BackendProbe probe() {
        OpenClProbe.Result r = OpenClProbe.probe();
        List<KernelDevice> devices =
                r.devices().stream().map(OpenClBackendProvider::toKernelDevice).toList();
        if (!r.available()) {
            return new BackendProbe("opencl", false, false, r.reason(), devices);
        }
        OpenClDeviceInfo d = r.device().orElseThrow();
        boolean accelerated = d.type() == OpenClDeviceInfo.Type.GPU || d.type() == OpenClDeviceInfo.Type.ACCELERATOR;
        String message =
                "OpenCL " + d.describe() + (accelerated ? "" : "; a CPU device (the jvm backend is usually faster)");
        return new BackendProbe("opencl", true, accelerated, message, devices);
    }

    @Override
    public KernelBackend create() {
        OpenClProbe.Result r = OpenClProbe.probe();
        if (!r.available()) {
            throw new IllegalStateException("OpenCL backend unavailable: " + r.reason());
        }
        return new OpenClBackend(OpenClRuntime.shared());
    }

    static KernelDevice toKernelDevice(OpenClDeviceInfo d) {
        boolean accel = d.type() == OpenClDeviceInfo.Type.GPU || d.type() == OpenClDeviceInfo.Type.ACCELERATOR;
        return new KernelDevice(
                "opencl",
                d.id(),
                d.deviceName(),
                d.type().name(),
                d.platformVersion() + ", driver " + d.driverVersion(),
                accel,
                false);
    }
}
