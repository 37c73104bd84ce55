package dev.replica.experiments.metrics;

import dev.replica.experiments.spec.InvalidInputException;
import java.util.Objects;

/**
 * What a chart asks for.
 *
 * @param x the x axis
 * @param buckets number of x buckets (e.g. the chart's pixel width); 0 for full resolution
 * @param smoothing EMA weight in [0, 1): 0 is none, 0.9 is heavy; see {@link SeriesQueries#ema}
 * @param xMin only points with x at least this (null: no bound); also the first bucket's start
 * @param xMax only points with x at most this (null: no bound); also the last bucket's end
 */
public record SeriesRequest(XAxis x, int buckets, double smoothing, Double xMin, Double xMax) {
    public SeriesRequest {
        Objects.requireNonNull(x, "x");
        if (buckets < 0) {
            throw new InvalidInputException("buckets", "buckets must be 0 (full resolution) or positive: " + buckets);
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new InvalidInputException("smoothing", "smoothing must be in [0, 1): " + smoothing);
        }
        if (xMin != null && xMax != null && xMin > xMax) {
            throw new InvalidInputException("from", "from must not be above to, got from=" + xMin + ", to=" + xMax);
        }
    }

    /** {@code buckets} buckets along the step, no smoothing. */
    public static SeriesRequest downsampled(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        return new SeriesRequest(XAxis.step(), buckets, 0, null, null);
    }

    /** Every point, along the step. */
    public static SeriesRequest full() {
        return new SeriesRequest(XAxis.step(), 0, 0, null, null);
    }

    public SeriesRequest withX(XAxis value) {
        return new SeriesRequest(value, buckets, smoothing, xMin, xMax);
    }

    public SeriesRequest withSmoothing(double value) {
        return new SeriesRequest(x, buckets, value, xMin, xMax);
    }

    public SeriesRequest withRange(Double min, Double max) {
        return new SeriesRequest(x, buckets, smoothing, min, max);
    }

    /** Whether every point is returned. */
    public boolean isFullResolution() {
        return buckets == 0;
    }
}
