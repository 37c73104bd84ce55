package dev.replica.experiments.train;

import dev.replica.experiments.data.Rng;
import dev.replica.kernels.KernelBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A multi-layer perceptron {@code dims[0] → dims[1] → … → dims[L]} with GELU between layers and
 * biases. Every weight but the output head is a hidden 2-D weight (Muon/NorMuon group); the head and
 * biases go to AdamW. Init: N(0, 1/fan_in) for hidden weights, the head scaled by 0.5.
 */
public final class Mlp implements Classifier {

    private final int[] dims;
    private final List<Param> params = new ArrayList<>();
    private final Param[] weights;
    private final Param[] biases;
    // activations of the last forward: in[l] is layer l's input (B, dims[l]); pre[l] its pre-activation
    private final float[][] in;
    private final float[][] pre;
    private final float[][] dact;
    private final float[][] dpre;
    private int capacity;

    public Mlp(int[] dims, Rng rng) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output size");
        }
        this.dims = dims.clone();
        int L = dims.length - 1;
        weights = new Param[L];
        biases = new Param[L];
        for (int l = 0; l < L; l++) {
            boolean head = l == L - 1;
            float std = (float) (1.0 / Math.sqrt(dims[l])) * (head ? 0.5f : 1f);
            weights[l] = Param.matrix(head ? "head.w" : "fc" + l + ".w", dims[l + 1], dims[l], !head, rng, std);
            biases[l] = Param.vector(head ? "head.b" : "fc" + l + ".b", dims[l + 1], 0f);
            params.add(weights[l]);
            params.add(biases[l]);
        }
        in = new float[L + 1][];
        pre = new float[L][];
        dact = new float[L + 1][];
        dpre = new float[L][];
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public int classes() {
        return dims[dims.length - 1];
    }

    private void ensure(int B) {
        if (B <= capacity) {
            return;
        }
        capacity = B;
        int L = dims.length - 1;
        for (int l = 0; l <= L; l++) {
            in[l] = new float[B * dims[l]];
            dact[l] = new float[B * dims[l]];
        }
        for (int l = 0; l < L; l++) {
            pre[l] = new float[B * dims[l + 1]];
            dpre[l] = new float[B * dims[l + 1]];
        }
    }

    @Override
    public float[] forward(KernelBackend k, float[] x, int B) {
        ensure(B);
        int L = dims.length - 1;
        System.arraycopy(x, 0, in[0], 0, B * dims[0]);
        for (int l = 0; l < L; l++) {
            k.matmulForward(pre[l], in[l], weights[l].w(), biases[l].w(), B, 1, dims[l], dims[l + 1]);
            if (l < L - 1) {
                k.geluForward(in[l + 1], pre[l], B * dims[l + 1]);
            }
        }
        return pre[L - 1];
    }

    @Override
    public void backward(KernelBackend k, float[] dlogits, int B) {
        int L = dims.length - 1;
        System.arraycopy(dlogits, 0, dpre[L - 1], 0, B * dims[L]);
        for (int l = L - 1; l >= 0; l--) {
            if (l < L - 1) {
                Arrays.fill(dpre[l], 0, B * dims[l + 1], 0f);
                k.geluBackward(dpre[l], dact[l + 1], pre[l], B * dims[l + 1]);
            }
            Arrays.fill(dact[l], 0, B * dims[l], 0f);
            k.matmulBackward(
                    dact[l], weights[l].g(), biases[l].g(), dpre[l], in[l], weights[l].w(), B, 1, dims[l], dims[l + 1]);
        }
    }
}
