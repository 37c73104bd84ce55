package dev.replica.experiments.train;

import dev.replica.kernels.KernelBackend;

/** A model from feature vectors to class logits. */
public interface Classifier extends Model {

    /**
     * @param x (B, inputDim)
     * @return logits (B, classes), valid until the next forward
     */
    float[] forward(KernelBackend k, float[] x, int B);

    /** Accumulates parameter gradients for {@code dlogits (B, classes)} of the last forward. */
    void backward(KernelBackend k, float[] dlogits, int B);

    int classes();
}
