package dev.replica.experiments.train;

import dev.replica.experiments.data.Rng;
import dev.replica.kernels.HostTensorKernels;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny GPT-style causal transformer (after llm.c's GPT-2): token and position embeddings, L pre-norm
 * blocks of multi-head causal attention and a GELU MLP (4C), a final layer norm and an untied head.
 * Forward and backward are written out op by op on the kernels.
 *
 * <p>Parameter groups: the attention and MLP matrices are hidden 2-D weights (Muon/NorMuon); the
 * embeddings, head, norms and biases go to AdamW.
 */
public final class Transformer implements Model {

    private final int vocab;
    private final int maxT;
    private final int C;
    private final int NH;
    private final int L;
    private final List<Param> params = new ArrayList<>();
    private final Map<Param, Integer> index = new IdentityHashMap<>();
    private final Param wte;
    private final Param wpe;
    private final Param[] ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb;
    private final Param lnfw;
    private final Param lnfb;
    private final Param head;

    // tensors of the kernels last used (weights, gradients, activations of the last forward)
    private DeviceParams bound;
    private int capB = -1;
    private int capT = -1;
    private int B;
    private int T;
    private int[] tokens;
    private Tensor[] resIn, ln1, ln1Mean, ln1Rstd, qkv, preatt, att, atty, res2, ln2, ln2Mean, ln2Rstd, fch, fchGelu;
    private Tensor lnf, lnfMean, lnfRstd, logits;
    // backward scratch
    private Tensor dres, dln, dqkv, dpreatt, datt, datty, dfch, dfchGelu;

    /**
     * @param vocab  V
     * @param maxT   longest sequence (positions embedded)
     * @param width  C, a multiple of the head count
     * @param layers L
     * @param heads  NH
     */
    public Transformer(int vocab, int maxT, int width, int layers, int heads, Rng rng) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
        }
        this.vocab = vocab;
        this.maxT = maxT;
        this.C = width;
        this.NH = heads;
        this.L = layers;
        float std = (float) (1.0 / Math.sqrt(C));
        float projStd = std / (float) Math.sqrt(2.0 * L);
        wte = add(Param.matrix("wte", vocab, C, false, rng, 0.1f));
        wpe = add(Param.matrix("wpe", maxT, C, false, rng, 0.1f));
        ln1w = new Param[L];
        ln1b = new Param[L];
        qkvw = new Param[L];
        qkvb = new Param[L];
        projw = new Param[L];
        projb = new Param[L];
        ln2w = new Param[L];
        ln2b = new Param[L];
        fcw = new Param[L];
        fcb = new Param[L];
        fcprojw = new Param[L];
        fcprojb = new Param[L];
        for (int l = 0; l < L; l++) {
            String p = "h" + l + ".";
            ln1w[l] = add(Param.vector(p + "ln1.w", C, 1f));
            ln1b[l] = add(Param.vector(p + "ln1.b", C, 0f));
            qkvw[l] = add(Param.matrix(p + "attn.qkv.w", 3 * C, C, true, rng, std));
            qkvb[l] = add(Param.vector(p + "attn.qkv.b", 3 * C, 0f));
            projw[l] = add(Param.matrix(p + "attn.proj.w", C, C, true, rng, projStd));
            projb[l] = add(Param.vector(p + "attn.proj.b", C, 0f));
            ln2w[l] = add(Param.vector(p + "ln2.w", C, 1f));
            ln2b[l] = add(Param.vector(p + "ln2.b", C, 0f));
            fcw[l] = add(Param.matrix(p + "mlp.fc.w", 4 * C, C, true, rng, std));
            fcb[l] = add(Param.vector(p + "mlp.fc.b", 4 * C, 0f));
            fcprojw[l] = add(Param.matrix(p + "mlp.proj.w", C, 4 * C, true, rng, projStd / 2));
            fcprojb[l] = add(Param.vector(p + "mlp.proj.b", C, 0f));
        }
        lnfw = add(Param.vector("lnf.w", C, 1f));
        lnfb = add(Param.vector("lnf.b", C, 0f));
        head = add(Param.matrix("head.w", vocab, C, false, rng, 0.5f * std));
    }

    private Param add(Param p) {
        index.put(p, params.size());
        params.add(p);
        return p;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    public int vocab() {
        return vocab;
    }

    public int maxT() {
        return maxT;
    }

    /**
     * Copies every parameter value from {@code other} (same shapes), e.g. for a frozen reference policy.
     * Both models' host arrays are used: weights bound to a device are synced first, and this model is
     * unbound so that its next forward uploads the copied values.
     */
    public void copyFrom(Transformer other) {
        other.syncToHost();
        if (bound != null && bound.kernels().resident()) {
            freeActivations();
            bound.free();
            bound = null;
        }
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(
                    other.params.get(i).w(),
                    0,
                    params.get(i).w(),
                    0,
                    params.get(i).size());
        }
    }

    /**
     * The parameters as tensors of {@code d} (for the optimizer). Binding to other kernels than the last
     * ones first copies the current weights back to the host and releases the old tensors.
     */
    public DeviceParams bind(TensorKernels d) {
        if (bound != null && bound.kernels().equals(d)) {
            return bound;
        }
        if (bound != null) {
            bound.syncToHost();
            freeActivations();
            bound.free();
        }
        bound = DeviceParams.bind(d, params);
        capB = -1;
        capT = -1;
        return bound;
    }

    /** Copies the bound weights and gradients back into {@link #params()} (checkpoints, {@link #copyFrom}). */
    public void syncToHost() {
        if (bound != null) {
            bound.syncToHost();
        }
    }

    @Override
    public void zeroGrad() {
        if (bound != null) {
            bound.zeroGrads(); // on a host backend these are the Param arrays themselves
        } else {
            Model.super.zeroGrad();
        }
    }

    private Tensor w(Param p) {
        return bound.w(index.get(p));
    }

    private Tensor g(Param p) {
        return bound.g(index.get(p));
    }

    private void freeActivations() {
        if (resIn == null) {
            return;
        }
        TensorKernels d = bound.kernels();
        for (Tensor[] ts : new Tensor[][] {
            resIn, ln1, ln1Mean, ln1Rstd, qkv, preatt, att, atty, res2, ln2, ln2Mean, ln2Rstd, fch, fchGelu
        }) {
            for (Tensor t : ts) {
                d.free(t);
            }
        }
        for (Tensor t :
                new Tensor[] {lnf, lnfMean, lnfRstd, logits, dres, dln, dqkv, dpreatt, datt, datty, dfch, dfchGelu}) {
            d.free(t);
        }
        resIn = null;
    }

    private static Tensor[] alloc(TensorKernels d, int count, int n) {
        Tensor[] ts = new Tensor[count];
        for (int i = 0; i < count; i++) {
            ts[i] = d.allocate(n);
        }
        return ts;
    }

    private void ensure(int B, int T) {
        if (B <= capB && T <= capT) {
            return;
        }
        freeActivations();
        TensorKernels d = bound.kernels();
        capB = Math.max(B, capB);
        capT = Math.max(T, capT);
        int BT = capB * capT;
        int att2 = capB * NH * capT * capT;
        resIn = alloc(d, L + 1, BT * C);
        ln1 = alloc(d, L, BT * C);
        ln1Mean = alloc(d, L, BT);
        ln1Rstd = alloc(d, L, BT);
        qkv = alloc(d, L, BT * 3 * C);
        preatt = alloc(d, L, att2);
        att = alloc(d, L, att2);
        atty = alloc(d, L, BT * C);
        res2 = alloc(d, L, BT * C);
        ln2 = alloc(d, L, BT * C);
        ln2Mean = alloc(d, L, BT);
        ln2Rstd = alloc(d, L, BT);
        fch = alloc(d, L, BT * 4 * C);
        fchGelu = alloc(d, L, BT * 4 * C);
        lnf = d.allocate(BT * C);
        lnfMean = d.allocate(BT);
        lnfRstd = d.allocate(BT);
        logits = d.allocate(BT * vocab);
        dres = d.allocate(BT * C);
        dln = d.allocate(BT * C);
        dqkv = d.allocate(BT * 3 * C);
        dpreatt = d.allocate(att2);
        datt = d.allocate(att2);
        datty = d.allocate(BT * C);
        dfch = d.allocate(BT * 4 * C);
        dfchGelu = d.allocate(BT * 4 * C);
    }

    /**
     * Forward on host arrays through {@code k}'s {@code float[]} ops (the parameters stay in
     * {@link #params()}).
     *
     * @param tokens (B,T) token ids, T ≤ maxT
     * @return logits (B,T,V), valid until the next forward
     */
    public float[] forward(KernelBackend k, int[] tokens, int B, int T) {
        return HostTensorKernels.array(forward(new HostTensorKernels(k), tokens, B, T));
    }

    /** Backward on host arrays through {@code k} for {@code dlogits (B,T,V)} of the last forward. */
    public void backward(KernelBackend k, float[] dlogits) {
        HostTensorKernels h = new HostTensorKernels(k);
        backward(h, h.adopt(dlogits));
    }

    /**
     * Forward on tensors of {@code d} (binding the parameters to it first, see {@link #bind}).
     *
     * @param tokens (B,T) token ids, T ≤ maxT
     * @return logits (B,T,V), a tensor of {@code d} valid until the next forward
     */
    public Tensor forward(TensorKernels d, int[] tokens, int B, int T) {
        if (T > maxT) {
            throw new IllegalArgumentException("sequence length " + T + " exceeds " + maxT);
        }
        bind(d);
        ensure(B, T);
        this.B = B;
        this.T = T;
        this.tokens = tokens;
        int BTC = B * T * C;
        d.encoderForward(resIn[0], tokens, w(wte), w(wpe), B, T, C);
        Tensor tmp = dln; // scratch for projections (overwritten by backward later)
        for (int l = 0; l < L; l++) {
            d.layerNormForward(ln1[l], ln1Mean[l], ln1Rstd[l], resIn[l], w(ln1w[l]), w(ln1b[l]), B, T, C);
            d.matmulForward(qkv[l], ln1[l], w(qkvw[l]), w(qkvb[l]), B, T, C, 3 * C);
            d.attentionForward(atty[l], preatt[l], att[l], qkv[l], B, T, C, NH);
            d.matmulForward(tmp, atty[l], w(projw[l]), w(projb[l]), B, T, C, C);
            d.residualForward(res2[l], resIn[l], tmp, BTC);
            d.layerNormForward(ln2[l], ln2Mean[l], ln2Rstd[l], res2[l], w(ln2w[l]), w(ln2b[l]), B, T, C);
            d.matmulForward(fch[l], ln2[l], w(fcw[l]), w(fcb[l]), B, T, C, 4 * C);
            d.geluForward(fchGelu[l], fch[l], B * T * 4 * C);
            d.matmulForward(tmp, fchGelu[l], w(fcprojw[l]), w(fcprojb[l]), B, T, 4 * C, C);
            d.residualForward(resIn[l + 1], res2[l], tmp, BTC);
        }
        d.layerNormForward(lnf, lnfMean, lnfRstd, resIn[L], w(lnfw), w(lnfb), B, T, C);
        d.matmulForward(logits, lnf, w(head), null, B, T, C, vocab);
        return logits;
    }

    /** Accumulates parameter gradients for {@code dlogits (B,T,V)} of the last forward, on {@code d}. */
    public void backward(TensorKernels d, Tensor dlogits) {
        if (bound == null || !bound.kernels().equals(d)) {
            throw new IllegalStateException("backward on other kernels than the last forward");
        }
        d.zero(dln);
        d.matmulBackward(dln, g(head), null, dlogits, lnf, w(head), B, T, C, vocab);
        d.zero(dres);
        d.layerNormBackward(dres, g(lnfw), g(lnfb), dln, resIn[L], w(lnfw), lnfMean, lnfRstd, B, T, C);
        for (int l = L - 1; l >= 0; l--) {
            // MLP branch: resIn[l+1] = res2 + fcproj(gelu(fc(ln2(res2))))
            d.zero(dfchGelu);
            d.matmulBackward(dfchGelu, g(fcprojw[l]), g(fcprojb[l]), dres, fchGelu[l], w(fcprojw[l]), B, T, 4 * C, C);
            d.zero(dfch);
            d.geluBackward(dfch, dfchGelu, fch[l], B * T * 4 * C);
            d.zero(dln);
            d.matmulBackward(dln, g(fcw[l]), g(fcb[l]), dfch, ln2[l], w(fcw[l]), B, T, C, 4 * C);
            d.layerNormBackward(
                    dres, g(ln2w[l]), g(ln2b[l]), dln, res2[l], w(ln2w[l]), ln2Mean[l], ln2Rstd[l], B, T, C);
            // attention branch: res2 = resIn + proj(attn(qkv(ln1(resIn))))
            d.zero(datty);
            d.matmulBackward(datty, g(projw[l]), g(projb[l]), dres, atty[l], w(projw[l]), B, T, C, C);
            d.zero(dqkv);
            d.zero(dpreatt);
            d.zero(datt);
            d.attentionBackward(dqkv, dpreatt, datt, datty, qkv[l], att[l], B, T, C, NH);
            d.zero(dln);
            d.matmulBackward(dln, g(qkvw[l]), g(qkvb[l]), dqkv, ln1[l], w(qkvw[l]), B, T, C, 3 * C);
            d.layerNormBackward(
                    dres, g(ln1w[l]), g(ln1b[l]), dln, resIn[l], w(ln1w[l]), ln1Mean[l], ln1Rstd[l], B, T, C);
        }
        d.encoderBackward(g(wte), g(wpe), dres, tokens, B, T, C);
    }
}
