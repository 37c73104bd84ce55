package dev.replica.experiments.train;

import dev.replica.experiments.data.Rng;
import dev.replica.kernels.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classifier around one MoE layer: {@code h = GELU(W_in·x + b)}, {@code z = h + MoE(h)},
 * {@code logits = W_out·z + b}. The input projection and head are AdamW parameters here (they play the
 * role of embedding and head); the experts' matrices are hidden weights.
 */
public final class MoeClassifier implements Classifier {

    private final int in;
    private final int C;
    private final int classes;
    private final Param inW;
    private final Param inB;
    private final MoeLayer moe;
    private final Param outW;
    private final Param outB;
    private final List<Param> params = new ArrayList<>();
    private int cap;
    private float[] x, pre, h, m, z, logits, dz, dh, dpre;

    public MoeClassifier(int in, int width, int classes, int experts, int topK, int expertDim, int neuronK, Rng rng) {
        this.in = in;
        this.C = width;
        this.classes = classes;
        inW = Param.matrix("in.w", C, in, false, rng, (float) (1.0 / Math.sqrt(in)));
        inB = Param.vector("in.b", C, 0f);
        moe = new MoeLayer("moe", C, experts, topK, expertDim, neuronK, rng);
        outW = Param.matrix("head.w", classes, C, false, rng, 0.5f / (float) Math.sqrt(C));
        outB = Param.vector("head.b", classes, 0f);
        params.add(inW);
        params.add(inB);
        params.addAll(moe.params());
        params.add(outW);
        params.add(outB);
    }

    public MoeLayer moe() {
        return moe;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public int classes() {
        return classes;
    }

    private void ensure(int B) {
        if (B <= cap) {
            return;
        }
        cap = B;
        x = new float[B * in];
        pre = new float[B * C];
        h = new float[B * C];
        m = new float[B * C];
        z = new float[B * C];
        logits = new float[B * classes];
        dz = new float[B * C];
        dh = new float[B * C];
        dpre = new float[B * C];
    }

    @Override
    public float[] forward(KernelBackend k, float[] input, int B) {
        ensure(B);
        System.arraycopy(input, 0, x, 0, B * in);
        k.matmulForward(pre, x, inW.w(), inB.w(), B, 1, in, C);
        k.geluForward(h, pre, B * C);
        moe.forward(k, m, h, B);
        for (int i = 0; i < B * C; i++) {
            z[i] = h[i] + m[i];
        }
        k.matmulForward(logits, z, outW.w(), outB.w(), B, 1, C, classes);
        return logits;
    }

    @Override
    public void backward(KernelBackend k, float[] dlogits, int B) {
        Arrays.fill(dz, 0, B * C, 0f);
        k.matmulBackward(dz, outW.g(), outB.g(), dlogits, z, outW.w(), B, 1, C, classes);
        System.arraycopy(dz, 0, dh, 0, B * C);
        moe.backward(k, dh, dz);
        Arrays.fill(dpre, 0, B * C, 0f);
        k.geluBackward(dpre, dh, pre, B * C);
        float[] dx = new float[B * in];
        k.matmulBackward(dx, inW.g(), inB.g(), dpre, x, inW.w(), B, 1, in, C);
    }
}
