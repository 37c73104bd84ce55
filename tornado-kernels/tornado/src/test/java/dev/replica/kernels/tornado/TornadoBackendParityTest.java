package dev.replica.kernels.tornado;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractKernelParityTest;

/** The TornadoVM kernels (on api-jvm by default, on the device with -Ptornadovm) against the reference. */
class TornadoBackendParityTest extends AbstractKernelParityTest {

    @Override
    protected KernelBackend createBackend() {
        return new TornadoBackend();
    }
}
