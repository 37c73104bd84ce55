package dev.replica.kernels.testing;

import java.util.Random;

/** Random matrices with orthonormal columns (Gram–Schmidt in double), for known-answer tests. */
public final class Orthonormal {

    private Orthonormal() {}

    /** A (rows, cols) matrix, cols ≤ rows, whose columns are orthonormal. */
    public static double[][] columns(Random rnd, int rows, int cols) {
        double[][] q = new double[rows][cols];
        for (int k = 0; k < cols; k++) {
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) {
                v[i] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int i = 0; i < rows; i++) {
                        dot += v[i] * q[i][j];
                    }
                    for (int i = 0; i < rows; i++) {
                        v[i] -= dot * q[i][j];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < rows; i++) {
                q[i][k] = v[i] / norm;
            }
        }
        return q;
    }
}
