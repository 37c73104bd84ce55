package dev.replica.kernels;

/**
 * A handle to a float buffer owned by one {@link TensorKernels}: host memory for the JVM backends,
 * device memory for OpenCL. Only the kernels that made it may read or write it; the host sees its
 * contents only through {@link TensorKernels#download} (logging, checkpoints) and sets them through
 * {@link TensorKernels#upload}.
 */
public interface Tensor {

    /** Number of floats the tensor holds (its capacity; ops may use a prefix). */
    int size();
}
