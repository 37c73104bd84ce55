package dev.replica.kernels.tornado;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackendProvider;
import dev.replica.kernels.KernelDevice;
import java.util.List;

/**
 * Registers backend {@code tornadovm}. With Replica's api-jvm on the class path it is available but not
 * accelerated (so {@code auto} skips it); with the real TornadoVM runtime it is accelerated when TornadoVM's
 * default device is a GPU or accelerator, not when it is an OpenCL CPU device such as PoCL.
 */
public final class TornadoBackendProvider implements KernelBackendProvider {

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public BackendProbe probe() {
        if (TornadoRuntimeInfo.emulated()) {
            String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.version");
            return new BackendProbe(
                    "tornadovm",
                    true,
                    false,
                    "no TornadoVM runtime (Replica's api-jvm is on the class path): the TornadoVM kernels run on the "
                            + "JVM emulation; run on TornadoVM's JDK with @$TORNADOVM_HOME/tornado-argfile to use it",
                    List.of(new KernelDevice("tornadovm", "jvm", "JVM (api-jvm emulation)", "CPU", jvm, false, true)));
        }
        try {
            List<TornadoRuntimeInfo.Device> devices = TornadoRuntimeInfo.realDevices();
            if (devices.isEmpty()) {
                return BackendProbe.unavailable("tornadovm", "TornadoVM runtime reports no devices");
            }
            TornadoRuntimeInfo.Device d = devices.get(0); // the device TornadoVM runs on by default
            // Only a GPU or accelerator counts: TornadoVM on an OpenCL CPU device (PoCL) is real, but not faster
            // than the JVM backend on the same cores, so `auto` must not pick it.
            String message = "TornadoVM " + TornadoRuntimeInfo.version() + " on " + d.name() + " (" + d.type()
                    + (d.accelerator() ? ")" : ", a CPU device: not an accelerator)");
            return new BackendProbe(
                    "tornadovm",
                    true,
                    d.accelerator(),
                    message,
                    devices.stream()
                            .map(TornadoRuntimeInfo.Device::toKernelDevice)
                            .toList());
        } catch (IllegalStateException e) {
            return BackendProbe.unavailable("tornadovm", e.getMessage());
        }
    }

    @Override
    public KernelBackend create() {
        BackendProbe p = probe();
        if (!p.available()) {
            throw new IllegalStateException(p.message());
        }
        return new TornadoBackend();
    }
}
