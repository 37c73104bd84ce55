package dev.replica.experiments.compare;

import dev.replica.experiments.metrics.SeriesQueries.Points;

/** Straight-line curves for the comparison tests, whose expected values are then easy to work out by hand. */
final class Curves {
    private Curves() {}

    /** y = offset + slope * x at x = 0..n-1. */
    static Points line(String id, int n, double offset, double slope) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = offset + slope * i;
        }
        return new Points(id, x, y);
    }
}
