package dev.replica.kernels.ops;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractGoldenForwardTest;

/** The reference, the spec every backend's parity test holds to, against independent golden values. */
class ReferenceGoldenTest extends AbstractGoldenForwardTest {

    @Override
    protected KernelBackend createBackend() {
        return new ReferenceKernels();
    }
}
