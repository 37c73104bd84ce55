package dev.replica.kernels;

import java.util.Arrays;

/**
 * {@link TensorKernels} for backends that compute on host arrays (JVM, reference, and any backend's
 * {@code float[]} ops): a tensor wraps a {@code float[]} and each op is the backend's op on the wrapped
 * arrays, so a step written on tensors computes exactly what the same step on arrays does. Two instances
 * over the same backend are equal, so callers may compare them to decide whether tensors can be reused.
 */
public final class HostTensorKernels implements TensorKernels {

    private final KernelBackend k;

    public HostTensorKernels(KernelBackend backend) {
        this.k = backend;
    }

    /** A host tensor: the wrapped array. */
    private record HostTensor(float[] data) implements Tensor {
        @Override
        public int size() {
            return data.length;
        }
    }

    /** The array a host tensor wraps (a view, not a copy); for callers that hand arrays on. */
    public static float[] array(Tensor t) {
        return a(t);
    }

    private static float[] a(Tensor t) {
        if (t == null) {
            return null;
        }
        if (t instanceof HostTensor h) {
            return h.data();
        }
        throw new IllegalArgumentException("not a host tensor: " + t.getClass().getName());
    }

    @Override
    public KernelBackend backend() {
        return k;
    }

    @Override
    public boolean resident() {
        return false;
    }

    @Override
    public Tensor allocate(int n) {
        return new HostTensor(new float[n]);
    }

    @Override
    public Tensor adopt(float[] host) {
        return new HostTensor(host);
    }

    @Override
    public void upload(Tensor dst, float[] host) {
        float[] d = a(dst);
        if (d != host) {
            System.arraycopy(host, 0, d, 0, Math.min(host.length, d.length));
        }
    }

    @Override
    public void download(Tensor src, float[] host) {
        float[] s = a(src);
        if (s != host) {
            System.arraycopy(s, 0, host, 0, Math.min(host.length, s.length));
        }
    }

    @Override
    public void zero(Tensor t) {
        Arrays.fill(a(t), 0f);
    }

    @Override
    public void free(Tensor t) {
        // garbage-collected
    }

    @Override
    public Transfers transfers() {
        return new Transfers(0, 0);
    }

    @Override
    public void matmulForward(Tensor out, Tensor inp, Tensor weight, Tensor bias, int B, int T, int C, int OC) {
        k.matmulForward(a(out), a(inp), a(weight), a(bias), B, T, C, OC);
    }

    @Override
    public void matmulBackward(
            Tensor dinp,
            Tensor dweight,
            Tensor dbias,
            Tensor dout,
            Tensor inp,
            Tensor weight,
            int B,
            int T,
            int C,
            int OC) {
        k.matmulBackward(a(dinp), a(dweight), a(dbias), a(dout), a(inp), a(weight), B, T, C, OC);
    }

    @Override
    public void layerNormForward(
            Tensor out, Tensor mean, Tensor rstd, Tensor inp, Tensor weight, Tensor bias, int B, int T, int C) {
        k.layerNormForward(a(out), a(mean), a(rstd), a(inp), a(weight), a(bias), B, T, C);
    }

    @Override
    public void layerNormBackward(
            Tensor dinp,
            Tensor dweight,
            Tensor dbias,
            Tensor dout,
            Tensor inp,
            Tensor weight,
            Tensor mean,
            Tensor rstd,
            int B,
            int T,
            int C) {
        k.layerNormBackward(a(dinp), a(dweight), a(dbias), a(dout), a(inp), a(weight), a(mean), a(rstd), B, T, C);
    }

    @Override
    public void attentionForward(Tensor out, Tensor preatt, Tensor att, Tensor inp, int B, int T, int C, int NH) {
        k.attentionForward(a(out), a(preatt), a(att), a(inp), B, T, C, NH);
    }

    @Override
    public void attentionBackward(
            Tensor dinp,
            Tensor dpreatt,
            Tensor datt,
            Tensor dout,
            Tensor inp,
            Tensor att,
            int B,
            int T,
            int C,
            int NH) {
        k.attentionBackward(a(dinp), a(dpreatt), a(datt), a(dout), a(inp), a(att), B, T, C, NH);
    }

    @Override
    public void geluForward(Tensor out, Tensor inp, int N) {
        k.geluForward(a(out), a(inp), N);
    }

    @Override
    public void geluBackward(Tensor dinp, Tensor dout, Tensor inp, int N) {
        k.geluBackward(a(dinp), a(dout), a(inp), N);
    }

    @Override
    public void encoderForward(Tensor out, int[] tokens, Tensor wte, Tensor wpe, int B, int T, int C) {
        float[] x = a(out);
        float[] p = a(wpe);
        k.embeddingForward(x, tokens, a(wte), B, T, C);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int o = (b * T + t) * C;
                for (int c = 0; c < C; c++) {
                    x[o + c] += p[t * C + c];
                }
            }
        }
    }

    @Override
    public void encoderBackward(Tensor dwte, Tensor dwpe, Tensor dout, int[] tokens, int B, int T, int C) {
        float[] d = a(dout);
        float[] dp = a(dwpe);
        k.embeddingBackward(a(dwte), d, tokens, B, T, C);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int o = (b * T + t) * C;
                for (int c = 0; c < C; c++) {
                    dp[t * C + c] += d[o + c];
                }
            }
        }
    }

    @Override
    public void residualForward(Tensor out, Tensor a, Tensor b, int N) {
        float[] y = a(out);
        float[] x1 = a(a);
        float[] x2 = a(b);
        for (int i = 0; i < N; i++) {
            y[i] = x1[i] + x2[i];
        }
    }

    @Override
    public void softmaxForward(Tensor probs, Tensor logits, int B, int T, int V) {
        k.softmaxForward(a(probs), a(logits), B, T, V);
    }

    @Override
    public void crossEntropyForward(Tensor losses, Tensor probs, int[] targets, int B, int T, int V) {
        k.crossEntropyForward(a(losses), a(probs), targets, B, T, V);
    }

    @Override
    public void crossEntropySoftmaxBackward(
            Tensor dlogits, Tensor dlosses, Tensor probs, int[] targets, int B, int T, int V) {
        k.crossEntropySoftmaxBackward(a(dlogits), a(dlosses), a(probs), targets, B, T, V);
    }

    @Override
    public void adamwUpdate(
            Tensor params,
            Tensor m,
            Tensor v,
            Tensor update,
            Tensor grads,
            int N,
            int t,
            float lr,
            float beta1,
            float beta2,
            float eps,
            float weightDecay) {
        k.adamwUpdate(a(params), a(m), a(v), a(update), a(grads), N, t, lr, beta1, beta2, eps, weightDecay);
    }

    @Override
    public void muonUpdate(
            Tensor params,
            Tensor momentum,
            Tensor update,
            Tensor grads,
            int m,
            int n,
            float lr,
            float beta,
            boolean nesterov,
            float weightDecay,
            MuonScale scale) {
        k.muonUpdate(a(params), a(momentum), a(update), a(grads), m, n, lr, beta, nesterov, weightDecay, scale);
    }

    @Override
    public void normuonUpdate(
            Tensor params,
            Tensor momentum,
            Tensor secondMoment,
            Tensor update,
            Tensor grads,
            int m,
            int n,
            float lr,
            float beta,
            float beta2,
            float eps,
            boolean nesterov,
            float weightDecay,
            MuonScale scale) {
        k.normuonUpdate(
                a(params),
                a(momentum),
                a(secondMoment),
                a(update),
                a(grads),
                m,
                n,
                lr,
                beta,
                beta2,
                eps,
                nesterov,
                weightDecay,
                scale);
    }

    @Override
    public float rowNormCv(Tensor inp, int rows, int cols) {
        return k.rowNormCv(a(inp), rows, cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostTensorKernels h && h.k == k;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(k);
    }
}
