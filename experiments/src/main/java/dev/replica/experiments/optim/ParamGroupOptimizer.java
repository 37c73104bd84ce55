package dev.replica.experiments.optim;

import dev.replica.experiments.train.DeviceParams;
import dev.replica.experiments.train.Param;
import dev.replica.kernels.HostTensorKernels;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two parameter groups (SEEDS.md §1): hidden 2-D weights use the configured optimizer (SGD-momentum,
 * AdamW, Muon or NorMuon); embeddings, heads, biases and gains always use AdamW. Each step can record
 * the coefficient of variation of the row norms of every hidden weight's update, the diagnostic that
 * motivates NorMuon (Muon's is uneven, NorMuon's near 0).
 *
 * <p>The state (moments, update scratch) lives in host arrays and, while stepping on a device, in tensors
 * of that device ({@link #step(DeviceParams, double, boolean)}), so a step moves nothing to or from the host.
 */
public final class ParamGroupOptimizer {

    private final List<Param> params;
    private final OptimizerConfig cfg;
    private final float[][] m; // AdamW first moment / Muon and SGD momentum
    private final float[][] v; // AdamW second moment (N) / NorMuon per-row second moment (rows)
    private final float[][] update; // scratch for the update direction of hidden weights
    private final Map<String, Double> rowNormCv = new LinkedHashMap<>();
    private int t;
    // the state as tensors of the kernels last stepped on
    private TensorKernels stateKernels;
    private Tensor[] tm;
    private Tensor[] tv;
    private Tensor[] tu;
    private DeviceParams hostParams; // the params wrapped for step(KernelBackend, ...)

    public ParamGroupOptimizer(List<Param> params, OptimizerConfig cfg) {
        this.params = List.copyOf(params);
        this.cfg = cfg;
        int n = params.size();
        m = new float[n][];
        v = new float[n][];
        update = new float[n][];
        for (int i = 0; i < n; i++) {
            Param p = params.get(i);
            m[i] = new float[p.size()];
            boolean muonLike = usesHiddenOptimizer(p)
                    && (cfg.kind() == OptimizerConfig.Kind.MUON
                            || cfg.kind() == OptimizerConfig.Kind.NORMUON
                            || cfg.kind() == OptimizerConfig.Kind.SGD);
            if (!muonLike) {
                v[i] = new float[p.size()];
            } else if (cfg.kind() == OptimizerConfig.Kind.NORMUON) {
                v[i] = new float[p.rows()];
            }
            if (usesHiddenOptimizer(p)) {
                update[i] = new float[p.size()];
            }
        }
    }

    private static boolean usesHiddenOptimizer(Param p) {
        return p.hidden() && p.rows() > 1 && p.cols() > 1;
    }

    public OptimizerConfig config() {
        return cfg;
    }

    /** Steps taken so far. */
    public int steps() {
        return t;
    }

    /**
     * One step on every parameter with learning rates multiplied by {@code lrMultiplier} (the schedule),
     * on the host arrays of the parameters through {@code k}'s {@code float[]} ops.
     *
     * @param diagnostics whether to compute the row-norm CV of hidden updates ({@link #rowNormCv()})
     */
    public void step(KernelBackend k, double lrMultiplier, boolean diagnostics) {
        HostTensorKernels h = new HostTensorKernels(k);
        if (hostParams == null || !hostParams.kernels().equals(h)) {
            hostParams = DeviceParams.bind(h, params);
        }
        step(hostParams, lrMultiplier, diagnostics);
    }

    /** Binds the optimizer state to {@code d}: wraps (host) or uploads (device) every moment buffer. */
    private void bindState(TensorKernels d) {
        if (d.equals(stateKernels)) {
            return;
        }
        if (stateKernels != null) {
            for (int i = 0; i < params.size(); i++) {
                syncDown(tm[i], m[i]);
                syncDown(tv[i], v[i]);
            }
        }
        stateKernels = d;
        int n = params.size();
        tm = new Tensor[n];
        tv = new Tensor[n];
        tu = new Tensor[n];
        for (int i = 0; i < n; i++) {
            tm[i] = d.adopt(m[i]);
            tv[i] = v[i] == null ? null : d.adopt(v[i]);
            tu[i] = update[i] == null ? null : d.adopt(update[i]);
        }
    }

    private void syncDown(Tensor t, float[] host) {
        if (t != null) {
            stateKernels.download(t, host);
            stateKernels.free(t);
        }
    }

    /**
     * One step on the parameter tensors {@code dp} (bound to the same parameters, in order), with the
     * optimizer state kept on {@code dp}'s kernels.
     *
     * @param diagnostics whether to compute the row-norm CV of hidden updates ({@link #rowNormCv()})
     */
    public void step(DeviceParams dp, double lrMultiplier, boolean diagnostics) {
        if (!dp.params().equals(params)) {
            throw new IllegalArgumentException("the device parameters are not this optimizer's parameters");
        }
        TensorKernels k = dp.kernels();
        bindState(k);
        t++;
        rowNormCv.clear();
        float lr = (float) (cfg.lr() * lrMultiplier);
        float restLr = (float) (cfg.restLr() * lrMultiplier);
        float beta = (float) cfg.momentum();
        float beta2 = (float) cfg.beta2();
        float eps = (float) cfg.eps();
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float wd = p.rows() > 1 ? (float) cfg.weightDecay() : 0f;
            if (!usesHiddenOptimizer(p)) {
                k.adamwUpdate(
                        dp.w(i),
                        tm[i],
                        tv[i],
                        null,
                        dp.g(i),
                        p.size(),
                        t,
                        restLr,
                        (float) OptimizerConfig.ADAM_BETA1,
                        beta2,
                        eps,
                        wd);
                continue;
            }
            Tensor u = tu[i];
            switch (cfg.kind()) {
                case ADAMW ->
                    k.adamwUpdate(
                            dp.w(i),
                            tm[i],
                            tv[i],
                            u,
                            dp.g(i),
                            p.size(),
                            t,
                            lr,
                            (float) OptimizerConfig.ADAM_BETA1,
                            beta2,
                            eps,
                            wd);
                case MUON ->
                    k.muonUpdate(
                            dp.w(i), tm[i], u, dp.g(i), p.rows(), p.cols(), lr, beta, cfg.nesterov(), wd, cfg.scale());
                case NORMUON ->
                    k.normuonUpdate(
                            dp.w(i),
                            tm[i],
                            tv[i],
                            u,
                            dp.g(i),
                            p.rows(),
                            p.cols(),
                            lr,
                            beta,
                            beta2,
                            eps,
                            cfg.nesterov(),
                            wd,
                            cfg.scale());
                case SGD -> sgd(dp, i, lr, beta, wd);
            }
            if (diagnostics) {
                rowNormCv.put(p.name(), (double) k.rowNormCv(u, p.rows(), p.cols()));
            }
        }
    }

    /**
     * SGD on parameter {@code i}: element-wise on host arrays; on a device through a copy to the host and
     * back (no SGD kernel; the optimizer sweeps' transformer runs use AdamW, Muon and NorMuon).
     */
    private void sgd(DeviceParams dp, int i, float lr, float beta, float wd) {
        TensorKernels k = dp.kernels();
        float[] w = params.get(i).w();
        float[] g = params.get(i).g();
        k.download(dp.w(i), w);
        k.download(dp.g(i), g);
        k.download(tm[i], m[i]);
        sgd(w, m[i], update[i], g, lr, beta, wd);
        k.upload(dp.w(i), w);
        k.upload(tm[i], m[i]);
        k.upload(tu[i], update[i]);
    }

    /** SGD with heavy-ball momentum (PyTorch form): M = β·M + g; W ← W·(1 − lr·wd) − lr·M. */
    private static void sgd(float[] w, float[] mom, float[] u, float[] g, float lr, float beta, float wd) {
        float decay = 1f - lr * wd;
        for (int j = 0; j < w.length; j++) {
            mom[j] = beta * mom[j] + g[j]; // momentum buffer
            u[j] = mom[j]; // update direction
            w[j] = w[j] * decay - lr * u[j]; // decoupled decay, then the step
        }
    }

    /** Row-norm CV of each hidden weight's update in the last step with diagnostics, by parameter name. */
    public Map<String, Double> rowNormCv() {
        return rowNormCv;
    }
}
