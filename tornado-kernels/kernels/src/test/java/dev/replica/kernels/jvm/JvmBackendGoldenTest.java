package dev.replica.kernels.jvm;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractGoldenForwardTest;

/** The JVM backend (2 threads) against independent golden values. */
class JvmBackendGoldenTest extends AbstractGoldenForwardTest {

    @Override
    protected KernelBackend createBackend() {
        return new JvmBackend(2);
    }
}
