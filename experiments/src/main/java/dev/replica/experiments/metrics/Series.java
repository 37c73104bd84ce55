package dev.replica.experiments.metrics;

/**
 * One metric of one run, ready to draw, as parallel arrays (one entry per non-empty bucket, or per
 * point at full resolution, in ascending x).
 *
 * <p>Per bucket: the first and last point (by x, ties in file order), and the minimum and maximum y
 * with their x, so a chart that draws min–max bars plus the last point never hides a spike. At full
 * resolution each "bucket" is one point and all four coincide. Min/max ignore NaN (a bucket of
 * NaNs has NaN min/max); first/last are the values as logged, NaN included. {@code count} is the
 * number of points in the bucket.
 *
 * @param runId run
 * @param metric metric
 * @param x x axis used
 * @param downsampled false when every point is returned
 * @param sourcePoints points of the run in the requested range, before downsampling
 * @param bucketStart start of each bucket's x interval (the point's x at full resolution)
 * @param bucketEnd end of each bucket's x interval (exclusive except for the last)
 */
public record Series(
        String runId,
        String metric,
        XAxis x,
        boolean downsampled,
        int sourcePoints,
        double[] bucketStart,
        double[] bucketEnd,
        int[] count,
        double[] firstX,
        double[] first,
        double[] lastX,
        double[] last,
        double[] minX,
        double[] min,
        double[] maxX,
        double[] max) {

    /** Number of buckets (points at full resolution). */
    public int size() {
        return count.length;
    }
}
