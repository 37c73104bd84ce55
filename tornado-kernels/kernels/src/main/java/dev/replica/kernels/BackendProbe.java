package dev.replica.kernels;

import java.util.List;

/**
 * What a {@link KernelBackendProvider} found on this machine. Probing is cheap and never throws.
 *
 * @param name        the provider's backend name
 * @param available   whether {@link KernelBackendProvider#create()} will succeed
 * @param accelerated whether it would run on a real accelerator runtime (a GPU through OpenCL, a real
 *                    TornadoVM runtime): only such backends are chosen by {@code auto}
 * @param message     one human-readable line: the device, or why it is unavailable / not accelerated
 * @param devices     devices reachable through this backend (empty when unavailable)
 */
public record BackendProbe(
        String name, boolean available, boolean accelerated, String message, List<KernelDevice> devices) {

    public BackendProbe {
        devices = List.copyOf(devices);
    }

    public static BackendProbe unavailable(String name, String reason) {
        return new BackendProbe(name, false, false, reason, List.of());
    }
}
