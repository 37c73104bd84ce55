package dev.replica.kernels.ops;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractKernelParityTest;

/** Runs the shared suite against the reference itself: the known-value tests hold the spec to SEEDS.md. */
class ReferenceKernelsTest extends AbstractKernelParityTest {

    @Override
    protected KernelBackend createBackend() {
        return new ReferenceKernels();
    }
}
