package dev.replica.experiments.metrics.bench;

import dev.replica.experiments.compare.ComparisonEngine;
import dev.replica.experiments.compare.ComparisonQuestion;
import dev.replica.experiments.compare.ComparisonReport;
import dev.replica.experiments.compare.ComparisonRun;
import dev.replica.experiments.compare.GroupAggregator;
import dev.replica.experiments.compare.GroupKey;
import dev.replica.experiments.compare.GroupSeries;
import dev.replica.experiments.compare.Grouping;
import dev.replica.experiments.compare.PerRunValue;
import dev.replica.experiments.compare.RunInfo;
import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.Series;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.SeriesRequest;
import dev.replica.experiments.metrics.XAxis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;

/**
 * Measures the metric store: append throughput and downsampled chart-query latency.
 *
 * <p>Writes {@code --runs} runs of {@code --points} points of one metric ({@code loss}) in batches of
 * {@code --batch} rows, each append fsync'd unless {@code --no-fsync}; then queries {@code
 * --query-runs} runs downsampled to {@code --buckets} buckets, {@code --reps} times, cold (decode
 * cache emptied before each repetition, files in the OS page cache) and warm (decoded runs cached),
 * printing medians. Defaults are a scaled-down 100 runs x 100,000 points; {@code --full} writes the
 * full 1,000 runs x 100,000 points (about 2.5 GB on disk).
 *
 * <pre>
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp ... \
 *     dev.replica.experiments.metrics.bench.MetricStoreBench [--full] [--runs N] [--points N]
 *     [--batch N] [--query-runs N] [--buckets N] [--reps N] [--no-fsync] [--dir PATH] [--keep]
 * </pre>
 */
public final class MetricStoreBench {
    private MetricStoreBench() {}

    public static void main(String[] args) throws IOException {
        int runs = 100;
        int points = 100_000;
        int batch = 1_000;
        int queryRuns = 100;
        int buckets = 1_000;
        int reps = 7;
        boolean fsync = true;
        boolean keep = false;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full":
                    runs = 1_000;
                    break;
                case "--runs":
                    runs = Integer.parseInt(args[++i]);
                    break;
                case "--points":
                    points = Integer.parseInt(args[++i]);
                    break;
                case "--batch":
                    batch = Integer.parseInt(args[++i]);
                    break;
                case "--query-runs":
                    queryRuns = Integer.parseInt(args[++i]);
                    break;
                case "--buckets":
                    buckets = Integer.parseInt(args[++i]);
                    break;
                case "--reps":
                    reps = Integer.parseInt(args[++i]);
                    break;
                case "--no-fsync":
                    fsync = false;
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--dir":
                    dir = Path.of(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        queryRuns = Math.min(queryRuns, runs);
        if (dir == null) {
            dir = Files.createTempDirectory("replica-metrics-bench");
        }
        System.out.printf(
                "metric store bench: %,d runs x %,d points, batches of %,d rows, fsync %s, dir %s%n",
                runs, points, batch, fsync ? "on" : "off", dir);
        MetricStore.Options options =
                MetricStore.Options.defaults().withFsync(fsync).withCacheBytes(2L << 30);
        try (RootAllocator allocator = new RootAllocator();
                MetricStore store = new MetricStore(dir, allocator, options)) {
            long[] steps = new long[batch];
            long[] times = new long[batch];
            double[] values = new double[batch];
            long start = System.nanoTime();
            for (int r = 0; r < runs; r++) {
                String runId = String.format("run-%05d", r);
                for (int from = 0; from < points; from += batch) {
                    int n = Math.min(batch, points - from);
                    for (int i = 0; i < n; i++) {
                        long step = from + i;
                        steps[i] = step;
                        times[i] = 1_700_000_000_000L + step * 50;
                        values[i] = 2.0 / Math.sqrt(1 + step) + 0.01 * Math.sin(step * 0.37 + r);
                    }
                    MetricBatch b = n == batch
                            ? MetricBatch.dense("loss", steps, times, values)
                            : MetricBatch.dense(
                                    "loss", Arrays.copyOf(steps, n), Arrays.copyOf(times, n), Arrays.copyOf(values, n));
                    store.append(runId, b);
                }
                store.closeRun(runId);
            }
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            long totalPoints = (long) runs * points;
            long bytes = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    bytes += Files.size(p);
                }
            }
            System.out.printf(
                    "append: %,d points in %.1f s = %,.0f points/s (%,.0f appends/s), %.1f MB on disk (%.1f bytes/point)%n",
                    totalPoints,
                    writeSeconds,
                    totalPoints / writeSeconds,
                    totalPoints / (double) batch / writeSeconds,
                    bytes / 1e6,
                    bytes / (double) totalPoints);

            List<String> ids = new ArrayList<>();
            for (int r = 0; r < queryRuns; r++) {
                ids.add(String.format("run-%05d", r));
            }
            SeriesQueries queries = new SeriesQueries(store);
            SeriesRequest request = SeriesRequest.downsampled(buckets);
            double[] cold = new double[reps];
            double[] warm = new double[reps];
            long checksum = 0;
            for (int rep = 0; rep < reps; rep++) {
                for (String id : ids) {
                    store.evict(id);
                }
                long t0 = System.nanoTime();
                Map<String, Series> result = queries.series(ids, "loss", request);
                cold[rep] = (System.nanoTime() - t0) / 1e6;
                checksum += result.values().stream().mapToInt(Series::size).sum();
            }
            for (int rep = 0; rep < reps; rep++) {
                long t0 = System.nanoTime();
                Map<String, Series> result = queries.series(ids, "loss", request);
                warm[rep] = (System.nanoTime() - t0) / 1e6;
                checksum += result.values().stream().mapToInt(Series::size).sum();
            }
            System.out.printf(
                    "query %d runs x %,d points -> %,d buckets each: cold median %.1f ms (min %.1f), warm median %.1f ms (min %.1f) [%d reps, %d buckets returned]%n",
                    queryRuns,
                    points,
                    buckets,
                    median(cold),
                    Arrays.stream(cold).min().orElse(0),
                    median(warm),
                    Arrays.stream(warm).min().orElse(0),
                    reps,
                    checksum);

            // The compare view's server side: every point of every run, grouped ten seeds to a group, a mean
            // curve with its band per group, the final value compared against the first group, and the
            // efficiency with its bootstrap interval for each of the other groups.
            List<RunInfo> infos = new ArrayList<>();
            for (int r = 0; r < ids.size(); r++) {
                infos.add(new RunInfo(ids.get(r), Map.of("config", r / 10), (long) (r % 10)));
            }
            Map<GroupKey, List<RunInfo>> groups = Grouping.bySeedlessParams(infos);
            GroupKey baseline = groups.keySet().iterator().next();
            double[] compareCold = new double[reps];
            double[] compareWarm = new double[reps];
            for (int rep = 0; rep < 2 * reps; rep++) {
                boolean isCold = rep < reps;
                if (isCold) {
                    ids.forEach(store::evict);
                }
                long t0 = System.nanoTime();
                Map<String, SeriesQueries.Points> all = queries.points(ids, "loss", XAxis.step());
                List<GroupSeries> curves =
                        new GroupAggregator(500, 0.95, GroupAggregator.PerRun.MEAN).aggregate(groups, all);
                List<ComparisonRun> in = new ArrayList<>();
                for (RunInfo i : infos) {
                    in.add(new ComparisonRun(i.runId(), i.params(), i.seed(), "SUCCEEDED", all.get(i.runId()), null));
                }
                ComparisonReport report = ComparisonEngine.compare(
                        in,
                        new ComparisonQuestion(
                                "loss",
                                PerRunValue.FINAL,
                                List.of("config"),
                                baseline.params(),
                                true,
                                "steps_to_baseline_final",
                                0.95));
                (isCold ? compareCold : compareWarm)[isCold ? rep : rep - reps] = (System.nanoTime() - t0) / 1e6;
                checksum += curves.size() + report.groups().size();
            }
            System.out.printf(
                    "compare %d runs x %,d points (%d groups of 10 seeds: 500-bucket bands, Welch/Mann-Whitney, efficiency with bootstrap CI): cold median %.1f ms (min %.1f), warm median %.1f ms (min %.1f)%n",
                    ids.size(),
                    points,
                    groups.size(),
                    median(compareCold),
                    Arrays.stream(compareCold).min().orElse(0),
                    median(compareWarm),
                    Arrays.stream(compareWarm).min().orElse(0));
        } finally {
            if (!keep) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
