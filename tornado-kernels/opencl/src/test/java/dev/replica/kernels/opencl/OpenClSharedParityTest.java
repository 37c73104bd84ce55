package dev.replica.kernels.opencl;

import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.testing.AbstractKernelParityTest;

/**
 * The parity suite every backend runs (from the kernels test-jar), on the OpenCL backend with the
 * variant its device calls for (register-blocked kernels on PoCL). {@link OpenClParityTest}
 * covers both variants with its own shapes.
 */
class OpenClSharedParityTest extends AbstractKernelParityTest {

    @Override
    protected KernelBackend createBackend() {
        OpenClTestSupport.requireOpenCl();
        return new OpenClBackend(OpenClRuntime.shared());
    }
}
