package dev.replica.experiments.train;

import dev.replica.experiments.data.Rng;
import dev.replica.kernels.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A SwiGLU mixture-of-experts layer with top-k expert routing and optional MoNE neuron selection
 * (SEEDS.md §3).
 *
 * <p>Routing: router logits r = W_r·x (E per token); the {@code topK} largest (ties: lower expert)
 * are activated with weights softmax(r) over the activated set. Expert e:
 * {@code E(x) = W_down · (SiLU(W_gate·x) ⊙ (W_up·x))}. With {@code neuronK > 0} (MoNE) each activated
 * expert keeps, per token, only the {@code neuronK} intermediate neurons of largest |SiLU(W_gate·x)|
 * (the set S) and zeroes the rest; the backward pass lets gradients through S only (the kernels'
 * top-k mask). No routing parameters are added. {@link #setNeuronK} changes k between passes, which
 * is how a trained MoE is pruned for the sparsification study.
 *
 * <p>Load balance (Switch Transformer, Fedus et al. 2021, eq. 4–6, generalized to top-k): with
 * {@code f_e} the fraction of the N·topK routing slots that went to expert e and
 * {@code P_e = mean_t softmax(r_t)_e} the mean router probability over all E experts,
 * {@code L_bal = E · Σ_e f_e · P_e} (1 when both are uniform). It is computed on every forward
 * ({@link #balanceLoss}); with {@link #setBalanceCoeff} {@code α > 0} the backward pass adds the gradient
 * of {@code α · L_bal} to the router, through P only (f counts discrete choices). With α = 0 nothing is
 * added, so the plain MoE's numerics are unchanged.
 *
 * <p>Tokens of an expert are gathered in token order, so every reduction has a fixed order.
 */
public final class MoeLayer {

    private final int C;
    private final int E;
    private final int topK;
    private final int de;
    private int neuronK;
    private double balanceCoeff;
    private final Param router;
    private final Param[] wGate;
    private final Param[] wUp;
    private final Param[] wDown;
    private final List<Param> params = new ArrayList<>();

    // last forward
    private int N;
    private float[] x;
    private float[] logits = new float[0];
    private int[] chosen = new int[0]; // (N, topK) expert ids
    private float[] weight = new float[0]; // (N, topK) routing weights
    private int[][] tokensOf; // per expert: token ids in order
    private int[][] slotOf; // per expert: the routing slot of each token
    private float[][] xe, ge, ue, ae, maske, he, ye;
    private double[] probs = new double[0]; // (N, E) softmax over all experts, for the balance loss
    private final double[] slotShare; // (E) f_e of the last forward
    private double balanceLoss;
    private final long[] slotsSinceReset; // per expert, routing slots since resetLoadCount

    public MoeLayer(String name, int C, int experts, int topK, int expertDim, int neuronK, Rng rng) {
        if (topK > experts) {
            throw new IllegalArgumentException("top_k " + topK + " exceeds experts " + experts);
        }
        this.C = C;
        this.E = experts;
        this.topK = topK;
        this.de = expertDim;
        setNeuronK(neuronK);
        router = Param.matrix(name + ".router.w", E, C, false, rng, 0.1f / (float) Math.sqrt(C));
        params.add(router);
        wGate = new Param[E];
        wUp = new Param[E];
        wDown = new Param[E];
        float std = (float) (1.0 / Math.sqrt(C));
        for (int e = 0; e < E; e++) {
            String p = name + ".e" + e + ".";
            wGate[e] = Param.matrix(p + "gate.w", de, C, true, rng, std);
            wUp[e] = Param.matrix(p + "up.w", de, C, true, rng, std);
            wDown[e] = Param.matrix(p + "down.w", C, de, true, rng, (float) (1.0 / Math.sqrt(de)));
            params.add(wGate[e]);
            params.add(wUp[e]);
            params.add(wDown[e]);
        }
        tokensOf = new int[E][];
        slotOf = new int[E][];
        xe = new float[E][];
        ge = new float[E][];
        ue = new float[E][];
        ae = new float[E][];
        maske = new float[E][];
        he = new float[E][];
        ye = new float[E][];
        slotShare = new double[E];
        slotsSinceReset = new long[E];
    }

    public List<Param> params() {
        return params;
    }

    public int expertDim() {
        return de;
    }

    /** Neurons kept per token inside an activated expert; 0 or ≥ d_e keeps all (plain MoE). */
    public void setNeuronK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("neuron k must be non-negative: " + k);
        }
        this.neuronK = k >= de ? 0 : k;
    }

    public int neuronK() {
        return neuronK;
    }

    /** Coefficient α of the load-balancing loss added to the router's gradient; 0 adds nothing. */
    public void setBalanceCoeff(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("balance coefficient must be finite and non-negative: " + alpha);
        }
        this.balanceCoeff = alpha;
    }

    public double balanceCoeff() {
        return balanceCoeff;
    }

    /** {@code L_bal = E · Σ_e f_e · P_e} of the last forward (not scaled by α). */
    public double balanceLoss() {
        return balanceLoss;
    }

    /** Intermediate neurons activated per token: topK · (k or d_e). */
    public int activatedNeurons() {
        return topK * (neuronK == 0 ? de : neuronK);
    }

    /**
     * @param out (N,C) the layer output (overwritten)
     * @param inp (N,C)
     */
    public void forward(KernelBackend k, float[] out, float[] inp, int N) {
        this.N = N;
        this.x = inp;
        if (logits.length < N * E) {
            logits = new float[N * E];
            chosen = new int[N * topK];
            weight = new float[N * topK];
        }
        k.matmulForward(logits, inp, router.w(), null, N, 1, C, E);
        int[] count = new int[E];
        for (int t = 0; t < N; t++) {
            route(t);
            for (int s = 0; s < topK; s++) {
                count[chosen[t * topK + s]]++;
            }
        }
        for (int e = 0; e < E; e++) {
            tokensOf[e] = new int[count[e]];
            slotOf[e] = new int[count[e]];
        }
        balance(count);
        Arrays.fill(count, 0);
        for (int t = 0; t < N; t++) {
            for (int s = 0; s < topK; s++) {
                int e = chosen[t * topK + s];
                tokensOf[e][count[e]] = t;
                slotOf[e][count[e]] = t * topK + s;
                count[e]++;
            }
        }
        Arrays.fill(out, 0, N * C, 0f);
        for (int e = 0; e < E; e++) {
            int n = tokensOf[e].length;
            if (n == 0) {
                continue;
            }
            xe[e] = new float[n * C];
            for (int i = 0; i < n; i++) {
                System.arraycopy(inp, tokensOf[e][i] * C, xe[e], i * C, C);
            }
            ge[e] = new float[n * de];
            ue[e] = new float[n * de];
            ae[e] = new float[n * de];
            he[e] = new float[n * de];
            ye[e] = new float[n * C];
            k.matmulForward(ge[e], xe[e], wGate[e].w(), null, n, 1, C, de);
            k.matmulForward(ue[e], xe[e], wUp[e].w(), null, n, 1, C, de);
            k.siluForward(ae[e], ge[e], n * de);
            if (neuronK > 0) {
                float[] kept = new float[n * de];
                maske[e] = new float[n * de];
                k.topKMaskForward(kept, maske[e], ae[e], n, de, neuronK);
                ae[e] = kept;
            } else {
                maske[e] = null;
            }
            for (int i = 0; i < n * de; i++) {
                he[e][i] = ae[e][i] * ue[e][i];
            }
            k.matmulForward(ye[e], he[e], wDown[e].w(), null, n, 1, de, C);
            for (int i = 0; i < n; i++) {
                float w = weight[slotOf[e][i]];
                int o = tokensOf[e][i] * C;
                for (int c = 0; c < C; c++) {
                    out[o + c] += w * ye[e][i * C + c];
                }
            }
        }
    }

    /** f_e, P_e and L_bal of this forward from the per-expert slot counts; also adds to the load count. */
    private void balance(int[] count) {
        if (probs.length < N * E) {
            probs = new double[N * E];
        }
        double[] meanProb = new double[E];
        for (int t = 0; t < N; t++) {
            int base = t * E;
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < E; e++) {
                max = Math.max(max, logits[base + e]);
            }
            double sum = 0;
            for (int e = 0; e < E; e++) {
                probs[base + e] = Math.exp(logits[base + e] - max);
                sum += probs[base + e];
            }
            for (int e = 0; e < E; e++) {
                probs[base + e] /= sum;
                meanProb[e] += probs[base + e];
            }
        }
        double loss = 0;
        for (int e = 0; e < E; e++) {
            slotShare[e] = (double) count[e] / (N * topK);
            loss += slotShare[e] * meanProb[e] / N;
            slotsSinceReset[e] += count[e];
        }
        balanceLoss = E * loss;
    }

    private void route(int t) {
        int base = t * E;
        int[] sel = new int[topK];
        boolean[] used = new boolean[E];
        for (int s = 0; s < topK; s++) {
            int best = -1;
            for (int e = 0; e < E; e++) {
                if (!used[e] && (best < 0 || logits[base + e] > logits[base + best])) {
                    best = e;
                }
            }
            used[best] = true;
            sel[s] = best;
        }
        Arrays.sort(sel); // expert order, so accumulation into the output is in a fixed order
        float max = Float.NEGATIVE_INFINITY;
        for (int s = 0; s < topK; s++) {
            max = Math.max(max, logits[base + sel[s]]);
        }
        double sum = 0;
        for (int s = 0; s < topK; s++) {
            sum += Math.exp(logits[base + sel[s]] - max);
        }
        for (int s = 0; s < topK; s++) {
            chosen[t * topK + s] = sel[s];
            weight[t * topK + s] = (float) (Math.exp(logits[base + sel[s]] - max) / sum);
        }
    }

    /**
     * Accumulates parameter gradients and {@code dinp (N,C)} for {@code dout (N,C)} of the last forward.
     */
    public void backward(KernelBackend k, float[] dinp, float[] dout) {
        float[] dweight = new float[N * topK];
        for (int e = 0; e < E; e++) {
            int n = tokensOf[e].length;
            if (n == 0) {
                continue;
            }
            float[] dye = new float[n * C];
            for (int i = 0; i < n; i++) {
                int slot = slotOf[e][i];
                int o = tokensOf[e][i] * C;
                float w = weight[slot];
                double dw = 0;
                for (int c = 0; c < C; c++) {
                    dye[i * C + c] = w * dout[o + c];
                    dw += (double) dout[o + c] * ye[e][i * C + c];
                }
                dweight[slot] = (float) dw;
            }
            float[] dhe = new float[n * de];
            k.matmulBackward(dhe, wDown[e].g(), null, dye, he[e], wDown[e].w(), n, 1, de, C);
            float[] dae = new float[n * de];
            float[] due = new float[n * de];
            for (int i = 0; i < n * de; i++) {
                dae[i] = dhe[i] * ue[e][i];
                due[i] = dhe[i] * ae[e][i]; // 0 outside S: ae is masked
            }
            if (maske[e] != null) {
                float[] masked = new float[n * de];
                k.topKMaskBackward(masked, dae, maske[e], n, de);
                dae = masked;
            }
            float[] dge = new float[n * de];
            k.siluBackward(dge, dae, ge[e], n * de);
            float[] dxe = new float[n * C];
            k.matmulBackward(dxe, wGate[e].g(), null, dge, xe[e], wGate[e].w(), n, 1, C, de);
            k.matmulBackward(dxe, wUp[e].g(), null, due, xe[e], wUp[e].w(), n, 1, C, de);
            for (int i = 0; i < n; i++) {
                int o = tokensOf[e][i] * C;
                for (int c = 0; c < C; c++) {
                    dinp[o + c] += dxe[i * C + c];
                }
            }
        }
        // routing weights: w = softmax over the activated logits
        float[] dlogits = new float[N * E];
        for (int t = 0; t < N; t++) {
            double dot = 0;
            for (int s = 0; s < topK; s++) {
                dot += (double) weight[t * topK + s] * dweight[t * topK + s];
            }
            for (int s = 0; s < topK; s++) {
                int slot = t * topK + s;
                dlogits[t * E + chosen[slot]] = (float) (weight[slot] * (dweight[slot] - dot));
            }
        }
        if (balanceCoeff != 0) {
            // d(α·E·Σ_e f_e·P_e)/dr_tj = α·E/N · p_tj · (f_j − Σ_e f_e·p_te), f held constant
            double scale = balanceCoeff * E / N;
            for (int t = 0; t < N; t++) {
                int base = t * E;
                double fp = 0;
                for (int e = 0; e < E; e++) {
                    fp += slotShare[e] * probs[base + e];
                }
                for (int j = 0; j < E; j++) {
                    dlogits[base + j] += (float) (scale * probs[base + j] * (slotShare[j] - fp));
                }
            }
        }
        k.matmulBackward(dinp, router.g(), null, dlogits, x, router.w(), N, 1, C, E);
    }

    /** Starts a new count for {@link #loadSinceReset} (e.g. before an evaluation pass). */
    public void resetLoadCount() {
        Arrays.fill(slotsSinceReset, 0);
    }

    /**
     * Per expert, the fraction of routing slots it received over all forwards since {@link #resetLoadCount}
     * (all zeros when there were none).
     */
    public double[] loadSinceReset() {
        long total = 0;
        for (long c : slotsSinceReset) {
            total += c;
        }
        double[] l = new double[E];
        for (int e = 0; e < E; e++) {
            l[e] = total == 0 ? 0 : (double) slotsSinceReset[e] / total;
        }
        return l;
    }

    /** Per expert, the fraction of routing slots it received in the last forward. */
    public double[] load() {
        double[] l = new double[E];
        for (int e = 0; e < E; e++) {
            l[e] = tokensOf[e] == null ? 0 : (double) tokensOf[e].length / Math.max(1, N * topK);
        }
        return l;
    }
}
