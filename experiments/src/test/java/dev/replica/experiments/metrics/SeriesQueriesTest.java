package dev.replica.experiments.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesQueriesTest {
    @TempDir
    Path dir;

    RootAllocator allocator;
    MetricStore store;
    SeriesQueries queries;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
        store = new MetricStore(dir, allocator, MetricStore.Options.defaults().withFsync(false));
        queries = new SeriesQueries(store);
    }

    @AfterEach
    void close() {
        store.close();
        allocator.close();
    }

    private void appendDense(String run, String metric, double[] y) {
        long[] steps = new long[y.length];
        long[] times = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            steps[i] = i;
            times[i] = 1000L * i;
        }
        for (int from = 0; from < y.length; from += 10_000) {
            int to = Math.min(y.length, from + 10_000);
            store.append(
                    run,
                    MetricBatch.dense(
                            metric,
                            Arrays.copyOfRange(steps, from, to),
                            Arrays.copyOfRange(times, from, to),
                            Arrays.copyOfRange(y, from, to)));
        }
    }

    @Test
    void downsamplingNeverHidesASpikeOrADip() {
        double[] y = new double[100_000];
        Arrays.fill(y, 1.0);
        y[54_321] = 1000.0;
        y[777] = -5.0;
        y[99_999] = 0.25;
        appendDense("r", "loss", y);
        Series s = queries.series("r", "loss", SeriesRequest.downsampled(100));
        assertThat(s.downsampled()).isTrue();
        assertThat(s.size()).isEqualTo(100);
        assertThat(Arrays.stream(s.count()).sum()).isEqualTo(100_000);
        int spike = indexOf(s.max(), 1000.0);
        assertThat(s.maxX()[spike]).isEqualTo(54_321);
        assertThat(s.bucketStart()[spike]).isLessThanOrEqualTo(54_321);
        assertThat(s.bucketEnd()[spike]).isGreaterThan(54_321);
        assertThat(s.minX()[indexOf(s.min(), -5.0)]).isEqualTo(777);
        assertThat(s.last()[99]).isEqualTo(0.25);
        assertThat(s.lastX()[99]).isEqualTo(99_999);
        assertThat(s.first()[0]).isEqualTo(1.0);
    }

    private static int indexOf(double[] a, double v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new AssertionError(v + " not found in " + Arrays.toString(a));
    }

    @Test
    void bucketsAreConsistentWithTheirPointsForRandomSeries() {
        Random random = new Random(12345);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + random.nextInt(3000);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(20) == 0 ? Double.NaN : random.nextGaussian() * 10;
            }
            String run = "rand-" + trial;
            appendDense(run, "m", y);
            int buckets = 1 + random.nextInt(200);
            Series s = queries.series(run, "m", SeriesRequest.downsampled(buckets));
            assertThat(s.size()).isLessThanOrEqualTo(Math.min(n, buckets));
            assertThat(Arrays.stream(s.count()).sum()).isEqualTo(n);
            double min = Arrays.stream(y).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
            double max = Arrays.stream(y).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
            assertThat(Arrays.stream(s.min())
                            .filter(v -> !Double.isNaN(v))
                            .min()
                            .orElse(Double.NaN))
                    .isEqualTo(min);
            assertThat(Arrays.stream(s.max())
                            .filter(v -> !Double.isNaN(v))
                            .max()
                            .orElse(Double.NaN))
                    .isEqualTo(max);
            for (int b = 0; b < s.size(); b++) {
                assertThat(Double.doubleToRawLongBits(s.first()[b]))
                        .isEqualTo(Double.doubleToRawLongBits(y[(int) s.firstX()[b]]));
                assertThat(Double.doubleToRawLongBits(s.last()[b]))
                        .isEqualTo(Double.doubleToRawLongBits(y[(int) s.lastX()[b]]));
                assertThat(s.firstX()[b]).isBetween(s.bucketStart()[b], s.bucketEnd()[b]);
                assertThat(s.lastX()[b]).isBetween(s.bucketStart()[b], s.bucketEnd()[b]);
                if (b > 0) {
                    assertThat(s.firstX()[b]).isGreaterThan(s.lastX()[b - 1]);
                }
            }
        }
    }

    @Test
    void fullResolutionReturnsEveryPointExactly() {
        double[] y = {3.0, Double.NaN, Double.NEGATIVE_INFINITY, -0.0, 7.5};
        appendDense("r", "loss", y);
        Series s = queries.series("r", "loss", SeriesRequest.full());
        assertThat(s.downsampled()).isFalse();
        assertThat(s.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(Double.doubleToRawLongBits(s.last()[i])).isEqualTo(Double.doubleToRawLongBits(y[i]));
            assertThat(s.lastX()[i]).isEqualTo(i);
        }
    }

    @Test
    void emaIsDebiasedAndPassesNonFiniteValuesThrough() {
        assertThat(SeriesQueries.ema(new double[] {2, 2, 2}, 0.9)).containsExactly(2.0, 2.0, 2.0);
        double[] s = SeriesQueries.ema(new double[] {1, Double.NaN, 3, Double.POSITIVE_INFINITY}, 0.5);
        assertThat(s[0]).isEqualTo(1.0);
        assertThat(s[1]).isNaN();
        // s = 0.5*0.5 + 0.5*3 = 1.75 after two finite values, debias 1 - 0.25 = 0.75
        assertThat(s[2]).isCloseTo(1.75 / 0.75, within(1e-12));
        assertThat(s[3]).isEqualTo(Double.POSITIVE_INFINITY);
        appendDense("r", "loss", new double[] {1, 1, 1, 5});
        Series smoothed = queries.series("r", "loss", SeriesRequest.full().withSmoothing(0.5));
        assertThat(smoothed.last()[3]).isCloseTo((0.5 * 0.875 * 1 + 0.5 * 5) / (1 - 0.0625), within(0.5));
    }

    @Test
    void plotsAgainstTimeOrAMonotoneMetricAndSkipsRowsWithoutX() {
        MetricBatch.Builder b = MetricBatch.builder();
        for (int i = 0; i < 10; i++) {
            b.row(i, 5000 + i).set("loss", 10 - i);
            if (i % 2 == 0) {
                b.set("tokens", i * 512.0);
            }
        }
        store.append("r", b.build());
        SeriesQueries.Points byTokens = queries.points("r", "loss", XAxis.metric("tokens"));
        assertThat(byTokens.x()).containsExactly(0, 1024, 2048, 3072, 4096);
        assertThat(byTokens.y()).containsExactly(10, 8, 6, 4, 2);
        Series byTime = queries.series("r", "loss", SeriesRequest.downsampled(5).withX(XAxis.parse("time")));
        assertThat(byTime.firstX()[0]).isEqualTo(5000);
        Series ranged = queries.series("r", "loss", SeriesRequest.full().withRange(2.0, 4.0));
        assertThat(ranged.lastX()).containsExactly(2, 3, 4);
    }

    @Test
    void readsManyRunsAtOnceInInputOrder() {
        for (int r = 0; r < 20; r++) {
            appendDense("run-" + r, "loss", new double[] {r, r + 1, r + 2});
        }
        List<String> ids = store.runIds();
        Map<String, Series> all = queries.series(ids, "loss", SeriesRequest.downsampled(2));
        assertThat(all.keySet()).containsExactlyElementsOf(ids);
        assertThat(all.get("run-7").max()[1]).isEqualTo(9.0);
        Map<String, SeriesQueries.Points> points = queries.points(ids, "loss", XAxis.step());
        assertThat(points.get("run-3").y()).containsExactly(3, 4, 5);
        assertThat(queries.series("missing", "loss", SeriesRequest.downsampled(10))
                        .size())
                .isZero();
    }
}
