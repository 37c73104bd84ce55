package dev.replica.kernels.opencl;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractGoldenForwardTest;

/** The OpenCL backend against independent golden values (skipped without an OpenCL device, unless CI). */
class OpenClGoldenTest extends AbstractGoldenForwardTest {

    @Override
    protected KernelBackend createBackend() {
        OpenClTestSupport.requireOpenCl();
        return new OpenClBackend(OpenClRuntime.shared());
    }
}
