package dev.replica.experiments.optim;

import dev.replica.experiments.train.Param;
import dev.replica.kernels.KernelBackend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two parameter groups (SEEDS.md §1): hidden 2-D weights use the configured optimizer (SGD-momentum,
 * AdamW, Muon or NorMuon); embeddings, heads, biases and gains always use AdamW. Each step can record
 * the coefficient of variation of the row norms of every hidden weight's update, the diagnostic that
 * motivates NorMuon (Muon's is uneven, NorMuon's near 0).
 */
public final class ParamGroupOptimizer {

    private final List<Param> params;
    private final OptimizerConfig cfg;
    private final float[][] m; // AdamW first moment / Muon and SGD momentum
    private final float[][] v; // AdamW second moment (N) / NorMuon per-row second moment (rows)
    private final float[][] update; // scratch for the update direction of hidden weights
    private final Map<String, Double> rowNormCv = new LinkedHashMap<>();
    private int t;

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
     * One step on every parameter with learning rates multiplied by {@code lrMultiplier} (the schedule).
     *
     * @param diagnostics whether to compute the row-norm CV of hidden updates ({@link #rowNormCv()})
     */
    public void step(KernelBackend k, double lrMultiplier, boolean diagnostics) {
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
                        p.w(),
                        m[i],
                        v[i],
                        null,
                        p.g(),
                        p.size(),
                        t,
                        restLr,
                        (float) OptimizerConfig.ADAM_BETA1,
                        beta2,
                        eps,
                        wd);
                continue;
            }
            float[] u = update[i];
            switch (cfg.kind()) {
                case ADAMW ->
                    k.adamwUpdate(
                            p.w(),
                            m[i],
                            v[i],
                            u,
                            p.g(),
                            p.size(),
                            t,
                            lr,
                            (float) OptimizerConfig.ADAM_BETA1,
                            beta2,
                            eps,
                            wd);
                case MUON ->
                    k.muonUpdate(p.w(), m[i], u, p.g(), p.rows(), p.cols(), lr, beta, cfg.nesterov(), wd, cfg.scale());
                case NORMUON ->
                    k.normuonUpdate(
                            p.w(),
                            m[i],
                            v[i],
                            u,
                            p.g(),
                            p.rows(),
                            p.cols(),
                            lr,
                            beta,
                            beta2,
                            eps,
                            cfg.nesterov(),
                            wd,
                            cfg.scale());
                case SGD -> sgd(p.w(), m[i], u, p.g(), lr, beta, wd);
            }
            if (diagnostics) {
                rowNormCv.put(p.name(), (double) k.rowNormCv(u, p.rows(), p.cols()));
            }
        }
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
