package dev.replica.experiments.train;

import dev.replica.kernels.HostTensorKernels;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;

/**
 * Mean cross-entropy over N positions of V classes, through the kernels' softmax, cross-entropy and
 * fused backward. Holds its buffers; one instance per training loop. On a device the probabilities and
 * per-position losses are copied to the host once per call (the logged loss and accuracy); the logits
 * gradient stays on the device.
 */
public final class Loss {

    private float[] probs = new float[0];
    private float[] losses = new float[0];
    private float[] dlosses = new float[0];
    private float[] dlogits = new float[0];
    private TensorKernels kernels;
    private Tensor tProbs, tLosses, tDlosses, tDlogits;
    private boolean dlogitsOnHost = true;

    /** Result of one forward: mean loss and the fraction of positions whose argmax is the target (masked positions excluded). */
    public record Value(double loss, double accuracy, int counted) {}

    /**
     * Forward and (when {@code backward}) the gradient of the mean loss with respect to the logits, on
     * host arrays through {@code k}'s {@code float[]} ops.
     *
     * @param logits  (N, V)
     * @param targets (N); a negative target masks the position out
     */
    public Value compute(KernelBackend k, float[] logits, int[] targets, int N, int V, boolean backward) {
        HostTensorKernels h = new HostTensorKernels(k);
        return compute(h, h.adopt(logits), targets, N, V, backward);
    }

    /**
     * As {@link #compute(KernelBackend, float[], int[], int, int, boolean)} on tensors of {@code d}; the
     * logits gradient is then {@link #dlogitsTensor()}.
     */
    public Value compute(TensorKernels d, Tensor logits, int[] targets, int N, int V, boolean backward) {
        ensure(d, N, V);
        int[] safeTargets = targets;
        int counted = 0;
        for (int i = 0; i < N; i++) {
            if (targets[i] >= 0) {
                counted++;
            } else if (safeTargets == targets) {
                safeTargets = targets.clone();
            }
        }
        if (safeTargets != targets) {
            for (int i = 0; i < N; i++) {
                if (safeTargets[i] < 0) {
                    safeTargets[i] = 0;
                }
            }
        }
        d.softmaxForward(tProbs, logits, 1, N, V);
        d.crossEntropyForward(tLosses, tProbs, safeTargets, 1, N, V);
        d.download(tLosses, losses); // no-ops on host backends: the tensors wrap these arrays
        d.download(tProbs, probs);
        double sum = 0;
        int correct = 0;
        for (int i = 0; i < N; i++) {
            if (targets[i] < 0) {
                continue;
            }
            sum += losses[i];
            int arg = 0;
            for (int v = 1; v < V; v++) {
                if (probs[i * V + v] > probs[i * V + arg]) {
                    arg = v;
                }
            }
            if (arg == targets[i]) {
                correct++;
            }
        }
        if (backward) {
            float inv = counted == 0 ? 0f : 1f / counted;
            for (int i = 0; i < N; i++) {
                dlosses[i] = targets[i] < 0 ? 0f : inv;
            }
            d.upload(tDlosses, dlosses);
            d.zero(tDlogits);
            d.crossEntropySoftmaxBackward(tDlogits, tDlosses, tProbs, safeTargets, 1, N, V);
            dlogitsOnHost = !d.resident();
        }
        return new Value(counted == 0 ? 0 : sum / counted, counted == 0 ? 0 : (double) correct / counted, counted);
    }

    /** Gradient of the mean loss with respect to the logits of the last {@link #compute} with backward. */
    public float[] dlogits() {
        if (!dlogitsOnHost) {
            kernels.download(tDlogits, dlogits);
            dlogitsOnHost = true;
        }
        return dlogits;
    }

    /** The same gradient as a tensor of the kernels of the last {@link #compute}. */
    public Tensor dlogitsTensor() {
        return tDlogits;
    }

    /** Softmax probabilities of the last {@link #compute}. */
    public float[] probs() {
        return probs;
    }

    private void ensure(TensorKernels d, int N, int V) {
        boolean grow = probs.length < N * V || losses.length < N;
        if (probs.length < N * V) {
            probs = new float[N * V];
            dlogits = new float[N * V];
        }
        if (losses.length < N) {
            losses = new float[N];
            dlosses = new float[N];
        }
        if (grow || !d.equals(kernels)) {
            if (kernels != null) {
                for (Tensor t : new Tensor[] {tProbs, tLosses, tDlosses, tDlogits}) {
                    kernels.free(t);
                }
            }
            kernels = d;
            tProbs = d.adopt(probs);
            tLosses = d.adopt(losses);
            tDlosses = d.adopt(dlosses);
            tDlogits = d.adopt(dlogits);
        }
    }
}
