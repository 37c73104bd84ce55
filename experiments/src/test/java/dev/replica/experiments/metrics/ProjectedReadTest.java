package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Column-projected reads (only the asked-for buffers decoded, cached snapshots extended as files
 * grow) must return exactly what a full decode of a fresh store returns, and the bucketing fast path
 * must agree with a naive per-point reference.
 */
class ProjectedReadTest {
    @TempDir
    Path dir;

    RootAllocator allocator;
    MetricStore store;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        store = new MetricStore(dir, allocator, MetricStore.Options.defaults().withFsync(false));
    }

    @AfterEach
    void close() {
        store.close();
        allocator.close();
    }

    /**
     * A run with a sparse metric, a metric that first appears mid-run (a new segment), NaN and ±Inf
     * values and a metric logged at every row; {@code rows} rows in batches of {@code batch}.
     */
    private void writeMixedRun(String run, int rows, int batch, long seed) {
        Random random = new Random(seed);
        for (int from = 0; from < rows; from += batch) {
            MetricBatch.Builder b = MetricBatch.builder();
            for (int r = from; r < Math.min(rows, from + batch); r++) {
                b.row(r, 1_000L * r + random.nextInt(10));
                double loss = random.nextGaussian();
                if (r % 97 == 0) {
                    loss = Double.NaN;
                } else if (r % 211 == 0) {
                    loss = Double.POSITIVE_INFINITY;
                } else if (r % 307 == 0) {
                    loss = Double.NEGATIVE_INFINITY;
                }
                b.set("loss", loss);
                if (r % 5 == 0) {
                    b.set("val/acc", random.nextDouble());
                }
                if (r >= rows / 2) {
                    b.set("late", r * 0.5);
                }
            }
            store.append(run, b.build());
        }
    }

    /** Full decode from a store that never saw the run (no cache). */
    private RunData fresh(String run) {
        try (RootAllocator a = new RootAllocator();
                MetricStore other = new MetricStore(dir, a, MetricStore.Options.defaults())) {
            return other.read(run);
        }
    }

    private static void assertSameColumn(RunData actual, RunData expected, String metric) {
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int r = 0; r < expected.size(); r++) {
            assertThat(actual.step(r)).isEqualTo(expected.step(r));
            assertThat(actual.isPresent(metric, r))
                    .as("%s present at row %d", metric, r)
                    .isEqualTo(expected.isPresent(metric, r));
            if (expected.isPresent(metric, r)) {
                assertThat(Double.doubleToRawLongBits(actual.value(metric, r)))
                        .as("%s at row %d", metric, r)
                        .isEqualTo(Double.doubleToRawLongBits(expected.value(metric, r)));
            }
        }
    }

    @Test
    void projectedReadsDecodeOnlyWhatIsAskedAndMatchAFullDecodeBitForBit() {
        writeMixedRun("r", 5_000, 333, 1);
        RunData expected = fresh("r");
        assertThat(expected.metrics()).containsExactly("loss", "val/acc", "late");

        RunData loss = store.read("r", Projection.of("loss"));
        assertThat(loss.metrics()).containsExactly("loss");
        assertThat(loss.hasTimes()).isFalse();
        assertSameColumn(loss, expected, "loss");

        RunData more = store.read("r", Projection.of("late", "no-such-metric").withTimes());
        assertThat(more.metrics()).containsExactly("loss", "late"); // the cached loss column is kept
        assertSameColumn(more, expected, "late");
        for (int r = 0; r < expected.size(); r++) {
            assertThat(more.timeMs(r)).isEqualTo(expected.timeMs(r));
        }
        RunData all = store.read("r");
        assertThat(all.metrics()).containsExactlyInAnyOrder("loss", "val/acc", "late");
        for (String m : expected.metrics()) {
            assertSameColumn(all, expected, m);
        }
    }

    @Test
    void aCachedProjectionIsExtendedAsTheRunGrows() {
        List<Integer> sizes = new ArrayList<>();
        for (int part = 0; part < 6; part++) {
            // each part appends rows that continue the steps, including a new metric at part 3
            MetricBatch.Builder b = MetricBatch.builder();
            for (int r = part * 400; r < (part + 1) * 400; r++) {
                b.row(r, r).set("loss", Math.sin(r));
                if (part >= 3 && r % 2 == 0) {
                    b.set("grad/norm", r);
                }
            }
            store.append("g", b.build());
            RunData seen = store.read("g", Projection.of("loss", "grad/norm"));
            sizes.add(seen.size());
            RunData expected = fresh("g");
            assertSameColumn(seen, expected, "loss");
            assertSameColumn(seen, expected, "grad/norm");
            if (part == 2) {
                store.closeRun("g"); // the end-of-stream marker is removed again by the next append
            }
        }
        assertThat(sizes).containsExactly(400, 800, 1200, 1600, 2000, 2400);
    }

    @Test
    void aTornTailIsNeverReturnedByAProjectedRead() throws Exception {
        writeMixedRun("t", 3_000, 500, 2);
        store.closeRun("t");
        RunData before = fresh("t");
        try (FileChannel ch = FileChannel.open(store.file("t"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 8 - 100); // cut into the last batch (after the end-of-stream marker)
        }
        store.evict("t");
        RunData after = store.read("t", Projection.of("loss"));
        assertThat(after.size()).isEqualTo(2_500);
        for (int r = 0; r < after.size(); r++) {
            assertThat(Double.doubleToRawLongBits(after.value("loss", r)))
                    .isEqualTo(Double.doubleToRawLongBits(before.value("loss", r)));
        }
    }

    @Test
    void largeFilesAreMappedAndReadTheSame() {
        // 120k rows x 3 columns is well over the 1 MiB mapping threshold
        long[] steps = new long[120_000];
        long[] times = new long[steps.length];
        double[] values = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i;
            times[i] = 7L * i;
            values[i] = Math.cos(i * 0.001);
        }
        for (int from = 0; from < steps.length; from += 10_000) {
            store.append(
                    "big",
                    MetricBatch.dense(
                            "loss",
                            Arrays.copyOfRange(steps, from, from + 10_000),
                            Arrays.copyOfRange(times, from, from + 10_000),
                            Arrays.copyOfRange(values, from, from + 10_000)));
        }
        RunData data = store.read("big", Projection.of("loss"));
        assertThat(data.size()).isEqualTo(120_000);
        for (int i = 0; i < values.length; i += 997) {
            assertThat(data.value("loss", i)).isEqualTo(values[i]);
            assertThat(data.step(i)).isEqualTo(i);
        }
        assertThat(store.metrics("big")).containsExactly("loss");
    }

    // ---- the bucketing fast path against a naive reference ----

    /** The obvious algorithm: every point assigned to its bucket by division, in order. */
    private static Series naive(SeriesQueries.Points p, int buckets, Double xMin, Double xMax) {
        double[] x = p.x();
        double[] y = p.y();
        int n = x.length;
        double lo = xMin != null ? xMin : x[0];
        double hi = xMax != null ? xMax : x[n - 1];
        double width = (hi - lo) / buckets;
        List<double[]> out = new ArrayList<>(); // start, end, count, fx, fy, lx, ly, mnx, mny, mxx, mxy
        int current = -1;
        double[] cur = null;
        for (int i = 0; i < n; i++) {
            int b = width > 0 ? (int) ((x[i] - lo) / width) : 0;
            b = Math.max(0, Math.min(buckets - 1, b));
            if (b != current) {
                current = b;
                cur = new double[] {
                    lo + b * width,
                    b == buckets - 1 ? hi : lo + (b + 1) * width,
                    0,
                    x[i],
                    y[i],
                    0,
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN
                };
                out.add(cur);
            }
            cur[2]++;
            cur[5] = x[i];
            cur[6] = y[i];
            if (!Double.isNaN(y[i])) {
                if (Double.isNaN(cur[8]) || y[i] < cur[8]) {
                    cur[7] = x[i];
                    cur[8] = y[i];
                }
                if (Double.isNaN(cur[10]) || y[i] > cur[10]) {
                    cur[9] = x[i];
                    cur[10] = y[i];
                }
            }
        }
        double[][] cols = new double[11][out.size()];
        for (int k = 0; k < out.size(); k++) {
            for (int c = 0; c < 11; c++) {
                cols[c][k] = out.get(k)[c];
            }
        }
        return new Series(
                p.runId(),
                "m",
                XAxis.step(),
                true,
                n,
                cols[0],
                cols[1],
                Arrays.stream(cols[2]).mapToInt(d -> (int) d).toArray(),
                cols[3],
                cols[4],
                cols[5],
                cols[6],
                cols[7],
                cols[8],
                cols[9],
                cols[10]);
    }

    private static void assertSameSeries(Series actual, Series expected) {
        assertThat(actual.sourcePoints()).isEqualTo(expected.sourcePoints());
        assertThat(actual.count()).containsExactly(expected.count());
        double[][] a = {
            actual.bucketStart(),
            actual.bucketEnd(),
            actual.firstX(),
            actual.first(),
            actual.lastX(),
            actual.last(),
            actual.minX(),
            actual.min(),
            actual.maxX(),
            actual.max()
        };
        double[][] e = {
            expected.bucketStart(),
            expected.bucketEnd(),
            expected.firstX(),
            expected.first(),
            expected.lastX(),
            expected.last(),
            expected.minX(),
            expected.min(),
            expected.maxX(),
            expected.max()
        };
        for (int c = 0; c < a.length; c++) {
            assertThat(Arrays.stream(a[c]).mapToLong(Double::doubleToLongBits).toArray())
                    .as("column %d", c)
                    .containsExactly(Arrays.stream(e[c])
                            .mapToLong(Double::doubleToLongBits)
                            .toArray());
        }
    }

    @Test
    void fastBucketingAgreesWithTheNaiveAlgorithmOnDenseSparseAndRangedQueries() {
        writeMixedRun("m", 20_000, 1_000, 3);
        SeriesQueries queries = new SeriesQueries(store);
        Random random = new Random(4);
        RunData full = fresh("m");
        for (String metric : List.of("loss", "val/acc", "late")) {
            SeriesQueries.Points all = queries.points("m", metric, XAxis.step());
            List<Double> xs = new ArrayList<>();
            List<Long> ys = new ArrayList<>();
            for (int r = 0; r < full.size(); r++) {
                if (full.isPresent(metric, r)) {
                    xs.add((double) full.step(r));
                    ys.add(Double.doubleToRawLongBits(full.value(metric, r)));
                }
            }
            assertThat(Arrays.stream(all.x()).boxed().toList()).isEqualTo(xs);
            assertThat(Arrays.stream(all.y())
                            .mapToLong(Double::doubleToRawLongBits)
                            .boxed()
                            .toList())
                    .isEqualTo(ys);
            for (int trial = 0; trial < 25; trial++) {
                int buckets = 1 + random.nextInt(trial < 5 ? 5 : 3_000);
                Double xMin = trial % 3 == 1 ? (double) random.nextInt(10_000) : null;
                Double xMax = trial % 3 == 2 ? 10_000.0 + random.nextInt(10_000) : null;
                SeriesRequest request = SeriesRequest.downsampled(buckets).withRange(xMin, xMax);
                Series fast = queries.series("m", metric, request);
                SeriesQueries.Points inRange = queries.points("m", metric, XAxis.step());
                if (xMin != null || xMax != null) {
                    inRange = filter(all, xMin, xMax);
                }
                assertSameSeries(fast, naive(inRange, buckets, xMin, xMax));
            }
        }
    }

    @Test
    void timeAxisAndRepeatedStepsUseTheSamePath() {
        // steps repeat (a resumed run logging the same step twice) but never go back
        MetricBatch.Builder b = MetricBatch.builder();
        for (int r = 0; r < 3_000; r++) {
            b.row(r / 3, 10L * r).set("loss", r % 7 == 0 ? Double.NaN : r);
        }
        store.append("rep", b.build());
        SeriesQueries queries = new SeriesQueries(store);
        for (XAxis axis : List.of(XAxis.step(), XAxis.timeMs())) {
            SeriesQueries.Points p = queries.points("rep", "loss", axis);
            assertThat(p.size()).isEqualTo(3_000);
            Series fast =
                    queries.series("rep", "loss", SeriesRequest.downsampled(77).withX(axis));
            assertSameSeries(fast, naive(p, 77, null, null));
        }
    }

    private static SeriesQueries.Points filter(SeriesQueries.Points p, Double xMin, Double xMax) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            if ((xMin == null || p.x()[i] >= xMin) && (xMax == null || p.x()[i] <= xMax)) {
                keep.add(i);
            }
        }
        return new SeriesQueries.Points(
                p.runId(),
                keep.stream().mapToDouble(i -> p.x()[i]).toArray(),
                keep.stream().mapToDouble(i -> p.y()[i]).toArray());
    }
}
