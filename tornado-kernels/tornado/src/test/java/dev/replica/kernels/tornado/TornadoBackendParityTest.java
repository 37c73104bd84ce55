package dev.replica.kernels.tornado;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractKernelParityTest;

/** The TornadoVM kernels on the api-jvm emulation against the reference ({@link TornadoVmParityTest}: on TornadoVM). */
class TornadoBackendParityTest extends AbstractKernelParityTest {

    @Override
    protected KernelBackend createBackend() {
        return new TornadoBackend();
    }
}
