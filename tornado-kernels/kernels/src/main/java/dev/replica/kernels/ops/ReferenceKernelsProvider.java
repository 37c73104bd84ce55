package dev.replica.kernels.ops;

import dev.replica.kernels.BackendProbe;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.KernelBackendProvider;
import java.util.List;

/** Registers the single-threaded reference kernels as backend {@code reference} (for debugging and checks). */
public final class ReferenceKernelsProvider implements KernelBackendProvider {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public BackendProbe probe() {
        return new BackendProbe("reference", true, false, "plain Java reference kernels (1 thread)", List.of());
    }

    @Override
    public KernelBackend create() {
        return new ReferenceKernels();
    }
}
