package dev.replica.experiments.train;

import dev.replica.kernels.KernelBackend;
import java.util.Arrays;

/**
 * Mean cross-entropy over N positions of V classes, through the kernels' softmax, cross-entropy and
 * fused backward. Holds its buffers; one instance per training loop.
 */
public final class Loss {

    private float[] probs = new float[0];
    private float[] losses = new float[0];
    private float[] dlosses = new float[0];
    private float[] dlogits = new float[0];

    /** Result of one forward: mean loss and the fraction of positions whose argmax is the target (masked positions excluded). */
    public record Value(double loss, double accuracy, int counted) {}

    /**
     * Forward and (when {@code backward}) the gradient of the mean loss with respect to the logits.
     *
     * @param logits  (N, V)
     * @param targets (N); a negative target masks the position out
     */
    public Value compute(KernelBackend k, float[] logits, int[] targets, int N, int V, boolean backward) {
        ensure(N, V);
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
        k.softmaxForward(probs, logits, 1, N, V);
        k.crossEntropyForward(losses, probs, safeTargets, 1, N, V);
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
            Arrays.fill(dlogits, 0, N * V, 0f);
            k.crossEntropySoftmaxBackward(dlogits, dlosses, probs, safeTargets, 1, N, V);
        }
        return new Value(counted == 0 ? 0 : sum / counted, counted == 0 ? 0 : (double) correct / counted, counted);
    }

    /** Gradient of the mean loss with respect to the logits of the last {@link #compute} with backward. */
    public float[] dlogits() {
        return dlogits;
    }

    /** Softmax probabilities of the last {@link #compute}. */
    public float[] probs() {
        return probs;
    }

    private void ensure(int N, int V) {
        if (probs.length < N * V) {
            probs = new float[N * V];
            dlogits = new float[N * V];
        }
        if (losses.length < N) {
            losses = new float[N];
            dlosses = new float[N];
        }
    }
}
