package dev.replica.kernels.tornado;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackendProvider;
import dev.replica.kernels.KernelDevice;
import java.util.List;

/**
 * Registers backend {@code tornadovm}. With Replica's api-jvm on the class path it is available but not
 * accelerated (so {@code auto} skips it); with the real TornadoVM runtime it is accelerated.
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
                            + "JVM emulation; build with -Ptornadovm and TORNADOVM_HOME set to use a GPU",
                    List.of(new KernelDevice("tornadovm", "jvm", "JVM (api-jvm emulation)", "CPU", jvm, false, true)));
        }
        try {
            List<KernelDevice> devices = TornadoRuntimeInfo.realDevices();
            if (devices.isEmpty()) {
                return BackendProbe.unavailable("tornadovm", "TornadoVM runtime reports no devices");
            }
            return new BackendProbe(
                    "tornadovm", true, true, "TornadoVM on " + devices.get(0).name(), devices);
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
