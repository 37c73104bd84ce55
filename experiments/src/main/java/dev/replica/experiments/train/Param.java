package dev.replica.experiments.train;

import dev.replica.experiments.data.Rng;
import java.util.Arrays;

/**
 * One trainable tensor with its gradient. A weight matrix is {@code rows × cols} with y = W·x (rows are
 * output neurons); vectors have {@code rows == 1}.
 *
 * @param name   stable name, used in metric names ({@code update/row_norm_cv/<name>})
 * @param w      (rows, cols) values
 * @param g      (rows, cols) gradient; backward passes accumulate into it
 * @param hidden true for hidden 2-D weights (Muon/NorMuon candidates); false for embeddings, heads,
 *               biases and gains (always AdamW)
 */
public record Param(String name, float[] w, float[] g, int rows, int cols, boolean hidden) {

    public static Param matrix(String name, int rows, int cols, boolean hidden, Rng rng, float std) {
        float[] w = new float[rows * cols];
        rng.fillGaussian(w, std);
        return new Param(name, w, new float[rows * cols], rows, cols, hidden);
    }

    public static Param vector(String name, int n, float value) {
        float[] w = new float[n];
        Arrays.fill(w, value);
        return new Param(name, w, new float[n], 1, n, false);
    }

    public int size() {
        return w.length;
    }

    public void zeroGrad() {
        Arrays.fill(g, 0f);
    }
}
