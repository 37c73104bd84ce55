package dev.replica.experiments.train;

import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;
import java.util.List;

/**
 * The weights and gradients of a list of {@link Param}s as tensors of one {@link TensorKernels}. On a host
 * backend the tensors wrap {@code Param.w()} and {@code Param.g()} themselves; on a device they are copies
 * made at binding time, and the host arrays are stale until {@link #syncToHost()} (checkpoints, a frozen
 * copy, the end of a run).
 */
public final class DeviceParams {

    private final TensorKernels kernels;
    private final List<Param> params;
    private final Tensor[] w;
    private final Tensor[] g;

    private DeviceParams(TensorKernels kernels, List<Param> params) {
        this.kernels = kernels;
        this.params = List.copyOf(params);
        this.w = new Tensor[params.size()];
        this.g = new Tensor[params.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = kernels.adopt(params.get(i).w());
            g[i] = kernels.adopt(params.get(i).g());
        }
    }

    /** Binds {@code params} to {@code kernels}: wraps (host) or uploads (device) every weight and gradient. */
    public static DeviceParams bind(TensorKernels kernels, List<Param> params) {
        return new DeviceParams(kernels, params);
    }

    public TensorKernels kernels() {
        return kernels;
    }

    public List<Param> params() {
        return params;
    }

    /** Weight tensor of parameter {@code i} (same order as {@link #params()}). */
    public Tensor w(int i) {
        return w[i];
    }

    /** Gradient tensor of parameter {@code i}. */
    public Tensor g(int i) {
        return g[i];
    }

    /** Zeroes every gradient tensor (once per step; backward passes accumulate). */
    public void zeroGrads() {
        for (Tensor t : g) {
            kernels.zero(t);
        }
    }

    /** Copies the weights and gradients back into the {@link Param} arrays (a no-op on host backends). */
    public void syncToHost() {
        if (!kernels.resident()) {
            return;
        }
        for (int i = 0; i < w.length; i++) {
            kernels.download(w[i], params.get(i).w());
            kernels.download(g[i], params.get(i).g());
        }
    }

    /** Releases the tensors (after {@link #syncToHost()} when the values are still wanted). */
    public void free() {
        for (int i = 0; i < w.length; i++) {
            kernels.free(w[i]);
            kernels.free(g[i]);
        }
    }
}
