package dev.replica.experiments.train;

import dev.replica.experiments.data.Rng;
import dev.replica.kernels.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    private final Param wte;
    private final Param wpe;
    private final Param[] ln1w, ln1b, qkvw, qkvb, projw, projb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb;
    private final Param lnfw;
    private final Param lnfb;
    private final Param head;

    // activations of the last forward
    private int capB = -1;
    private int capT = -1;
    private int B;
    private int T;
    private int[] tokens;
    private float[][] resIn, ln1, ln1Mean, ln1Rstd, qkv, preatt, att, atty, res2, ln2, ln2Mean, ln2Rstd, fch, fchGelu;
    private float[] lnf, lnfMean, lnfRstd, logits;
    // backward scratch
    private float[] dres, dln, dqkv, dpreatt, datt, datty, dfch, dfchGelu;

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

    /** Copies every parameter value from {@code other} (same shapes), e.g. for a frozen reference policy. */
    public void copyFrom(Transformer other) {
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(
                    other.params.get(i).w(),
                    0,
                    params.get(i).w(),
                    0,
                    params.get(i).size());
        }
    }

    private void ensure(int B, int T) {
        if (B <= capB && T <= capT) {
            return;
        }
        capB = Math.max(B, capB);
        capT = Math.max(T, capT);
        int BT = capB * capT;
        int att2 = capB * NH * capT * capT;
        resIn = new float[L + 1][BT * C];
        ln1 = new float[L][BT * C];
        ln1Mean = new float[L][BT];
        ln1Rstd = new float[L][BT];
        qkv = new float[L][BT * 3 * C];
        preatt = new float[L][att2];
        att = new float[L][att2];
        atty = new float[L][BT * C];
        res2 = new float[L][BT * C];
        ln2 = new float[L][BT * C];
        ln2Mean = new float[L][BT];
        ln2Rstd = new float[L][BT];
        fch = new float[L][BT * 4 * C];
        fchGelu = new float[L][BT * 4 * C];
        lnf = new float[BT * C];
        lnfMean = new float[BT];
        lnfRstd = new float[BT];
        logits = new float[BT * vocab];
        dres = new float[BT * C];
        dln = new float[BT * C];
        dqkv = new float[BT * 3 * C];
        dpreatt = new float[att2];
        datt = new float[att2];
        datty = new float[BT * C];
        dfch = new float[BT * 4 * C];
        dfchGelu = new float[BT * 4 * C];
    }

    /**
     * @param tokens (B,T) token ids, T ≤ maxT
     * @return logits (B,T,V), valid until the next forward
     */
    public float[] forward(KernelBackend k, int[] tokens, int B, int T) {
        if (T > maxT) {
            throw new IllegalArgumentException("sequence length " + T + " exceeds " + maxT);
        }
        ensure(B, T);
        this.B = B;
        this.T = T;
        this.tokens = tokens;
        int BTC = B * T * C;
        float[] x = resIn[0];
        k.embeddingForward(x, tokens, wte.w(), B, T, C);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int o = (b * T + t) * C;
                for (int c = 0; c < C; c++) {
                    x[o + c] += wpe.w()[t * C + c];
                }
            }
        }
        float[] tmp = dln; // scratch for projections (overwritten by backward later)
        for (int l = 0; l < L; l++) {
            k.layerNormForward(ln1[l], ln1Mean[l], ln1Rstd[l], resIn[l], ln1w[l].w(), ln1b[l].w(), B, T, C);
            k.matmulForward(qkv[l], ln1[l], qkvw[l].w(), qkvb[l].w(), B, T, C, 3 * C);
            k.attentionForward(atty[l], preatt[l], att[l], qkv[l], B, T, C, NH);
            k.matmulForward(tmp, atty[l], projw[l].w(), projb[l].w(), B, T, C, C);
            for (int i = 0; i < BTC; i++) {
                res2[l][i] = resIn[l][i] + tmp[i];
            }
            k.layerNormForward(ln2[l], ln2Mean[l], ln2Rstd[l], res2[l], ln2w[l].w(), ln2b[l].w(), B, T, C);
            k.matmulForward(fch[l], ln2[l], fcw[l].w(), fcb[l].w(), B, T, C, 4 * C);
            k.geluForward(fchGelu[l], fch[l], B * T * 4 * C);
            k.matmulForward(tmp, fchGelu[l], fcprojw[l].w(), fcprojb[l].w(), B, T, 4 * C, C);
            for (int i = 0; i < BTC; i++) {
                resIn[l + 1][i] = res2[l][i] + tmp[i];
            }
        }
        k.layerNormForward(lnf, lnfMean, lnfRstd, resIn[L], lnfw.w(), lnfb.w(), B, T, C);
        k.matmulForward(logits, lnf, head.w(), null, B, T, C, vocab);
        return logits;
    }

    /** Accumulates parameter gradients for {@code dlogits (B,T,V)} of the last forward. */
    public void backward(KernelBackend k, float[] dlogits) {
        int BT = B * T;
        int BTC = BT * C;
        Arrays.fill(dln, 0, BTC, 0f);
        k.matmulBackward(dln, head.g(), null, dlogits, lnf, head.w(), B, T, C, vocab);
        Arrays.fill(dres, 0, BTC, 0f);
        k.layerNormBackward(dres, lnfw.g(), lnfb.g(), dln, resIn[L], lnfw.w(), lnfMean, lnfRstd, B, T, C);
        for (int l = L - 1; l >= 0; l--) {
            // MLP branch: resIn[l+1] = res2 + fcproj(gelu(fc(ln2(res2))))
            Arrays.fill(dfchGelu, 0, BT * 4 * C, 0f);
            k.matmulBackward(
                    dfchGelu, fcprojw[l].g(), fcprojb[l].g(), dres, fchGelu[l], fcprojw[l].w(), B, T, 4 * C, C);
            Arrays.fill(dfch, 0, BT * 4 * C, 0f);
            k.geluBackward(dfch, dfchGelu, fch[l], BT * 4 * C);
            Arrays.fill(dln, 0, BTC, 0f);
            k.matmulBackward(dln, fcw[l].g(), fcb[l].g(), dfch, ln2[l], fcw[l].w(), B, T, C, 4 * C);
            k.layerNormBackward(
                    dres, ln2w[l].g(), ln2b[l].g(), dln, res2[l], ln2w[l].w(), ln2Mean[l], ln2Rstd[l], B, T, C);
            // attention branch: res2 = resIn + proj(attn(qkv(ln1(resIn))))
            Arrays.fill(datty, 0, BTC, 0f);
            k.matmulBackward(datty, projw[l].g(), projb[l].g(), dres, atty[l], projw[l].w(), B, T, C, C);
            Arrays.fill(dqkv, 0, BT * 3 * C, 0f);
            Arrays.fill(dpreatt, 0, B * NH * T * T, 0f);
            Arrays.fill(datt, 0, B * NH * T * T, 0f);
            k.attentionBackward(dqkv, dpreatt, datt, datty, qkv[l], att[l], B, T, C, NH);
            Arrays.fill(dln, 0, BTC, 0f);
            k.matmulBackward(dln, qkvw[l].g(), qkvb[l].g(), dqkv, ln1[l], qkvw[l].w(), B, T, C, 3 * C);
            k.layerNormBackward(
                    dres, ln1w[l].g(), ln1b[l].g(), dln, resIn[l], ln1w[l].w(), ln1Mean[l], ln1Rstd[l], B, T, C);
        }
        k.embeddingBackward(wte.g(), dres, tokens, B, T, C);
        float[] dwpe = wpe.g();
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int o = (b * T + t) * C;
                for (int c = 0; c < C; c++) {
                    dwpe[t * C + c] += dres[o + c];
                }
            }
        }
    }
}
