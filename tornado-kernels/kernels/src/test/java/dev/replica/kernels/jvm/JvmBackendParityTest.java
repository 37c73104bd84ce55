package dev.replica.kernels.jvm;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractKernelParityTest;

/** The JVM backend (2 threads) against the reference on every op. */
class JvmBackendParityTest extends AbstractKernelParityTest {

    @Override
    protected KernelBackend createBackend() {
        return new JvmBackend(2);
    }
}
