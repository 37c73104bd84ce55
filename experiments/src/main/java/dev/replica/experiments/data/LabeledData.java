package dev.replica.experiments.data;

/**
 * A classification data set in memory.
 *
 * @param x      (n, dim) features, row-major
 * @param y      (n) class indices in [0, classes)
 * @param n      examples
 * @param dim    features per example
 * @param classes number of classes
 */
public record LabeledData(float[] x, int[] y, int n, int dim, int classes) {

    /** Copies examples {@code idx[from..from+count)} into {@code xb (count,dim)} and {@code yb (count)}. */
    public void gather(int[] idx, int from, int count, float[] xb, int[] yb) {
        for (int i = 0; i < count; i++) {
            int e = idx[from + i];
            System.arraycopy(x, e * dim, xb, i * dim, dim);
            yb[i] = y[e];
        }
    }

    /** The first {@code count} examples. */
    public LabeledData head(int count) {
        int c = Math.min(count, n);
        float[] hx = new float[c * dim];
        int[] hy = new int[c];
        System.arraycopy(x, 0, hx, 0, hx.length);
        System.arraycopy(y, 0, hy, 0, c);
        return new LabeledData(hx, hy, c, dim, classes);
    }
}
