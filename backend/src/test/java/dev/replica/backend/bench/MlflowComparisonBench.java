package dev.replica.backend.bench;

import dev.replica.experiments.metrics.MetricBatch;
import dev.replica.experiments.metrics.MetricStore;
import dev.replica.experiments.metrics.Series;
import dev.replica.experiments.metrics.SeriesQueries;
import dev.replica.experiments.metrics.SeriesRequest;
import dev.replica.experiments.metrics.XAxis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;

/**
 * Replica's Arrow metric store against MLflow's tracking schema recreated on PostgreSQL, in one
 * process and one run, so that the ratios come from the same machine under the same load.
 *
 * <p>Not a test (no {@code @Test}, and the name does not match surefire's patterns); run it with
 * {@code bench/metrics-vs-mlflow.sh}.
 *
 * <p>Workload: {@code --runs} runs (100; 10 with {@code --quick}) x 5 metrics x {@code --steps}
 * steps (10,000), every metric logged at every step.
 *
 * <ol>
 *   <li>Ingest. Replica: {@link MetricStore#append} of {@code --batch}-row batches (1,000 rows = 5,000
 *       points), fsync per append (the store's default), {@code closeRun} at the end of each run.
 *       MLflow-style: one {@code metrics} row per point, JDBC batched inserts of {@code --pg-batch}
 *       rows (1,000, MLflow's log_batch limit) with autocommit off and a commit per batch, server
 *       left at its defaults (fsync and synchronous_commit on). The driver's {@code
 *       reWriteBatchedInserts} is on, which favours PostgreSQL (multi-row INSERTs).
 *   <li>Disk. Replica: bytes of the files in the metrics directory. PostgreSQL: {@code
 *       pg_total_relation_size('metrics')} (heap, TOAST and the primary-key index).
 *   <li>Chart fetch of {@code loss} for all runs at full resolution. Replica: {@link
 *       SeriesQueries#points(java.util.Collection, String, XAxis)}, cold (decode cache emptied with
 *       {@link MetricStore#evict} before each repetition; files in the OS page cache) and warm.
 *       PostgreSQL: {@code SELECT run_uuid, step, value ... WHERE key='loss' AND run_uuid = ANY(?)
 *       ORDER BY run_uuid, step}, read into per-run arrays; a table bigger than shared_buffers, so
 *       its "warm" is OS page cache plus whatever shared_buffers holds.
 *   <li>Replica's downsampled chart query: a second store of {@code --ds-runs} runs x {@code
 *       --ds-points} points of {@code loss}, {@code series(runIds, "loss",
 *       SeriesRequest.downsampled(--buckets))}, cold and warm.
 * </ol>
 *
 * <p>The scratch database {@code replica_bench} is created at the start and dropped at the end.
 */
public final class MlflowComparisonBench {
    private static final String[] METRICS = {"loss", "accuracy", "lr", "grad_norm", "val_loss"};
    private static final long T0 = 1_700_000_000_000L;
    private static final String DB = "replica_bench";

    private MlflowComparisonBench() {}

    public static void main(String[] args) throws Exception {
        int runs = 100;
        int steps = 10_000;
        int batch = 1_000;
        int pgBatch = 1_000;
        int reps = 7;
        int ingestReps = 3;
        int dsRuns = 100;
        int dsPoints = 100_000;
        int buckets = 2_000;
        boolean keep = false;
        String pgBase = "jdbc:postgresql://127.0.0.1:5432/";
        String pgUser = "postgres";
        Path baseDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    runs = 10;
                    dsRuns = 10;
                }
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--pg-batch" -> pgBatch = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--ingest-reps" -> ingestReps = Integer.parseInt(args[++i]);
                case "--ds-runs" -> dsRuns = Integer.parseInt(args[++i]);
                case "--ds-points" -> dsPoints = Integer.parseInt(args[++i]);
                case "--buckets" -> buckets = Integer.parseInt(args[++i]);
                case "--pg" -> pgBase = args[++i];
                case "--pg-user" -> pgUser = args[++i];
                case "--dir" -> baseDir = Path.of(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (baseDir == null) {
            baseDir = Files.createTempDirectory("replica-vs-mlflow");
        } else {
            Files.createDirectories(baseDir);
        }
        List<String> runIds = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            runIds.add(runUuid("run-" + r));
        }
        long points = (long) runs * METRICS.length * steps;
        System.out.printf(
                "# metric store vs MLflow schema: %,d runs x %d metrics x %,d steps = %,d points;"
                        + " Replica batches of %,d rows, PostgreSQL batches of %,d rows; %d reps; dir %s%n",
                runs, METRICS.length, steps, points, batch, pgBatch, reps, baseDir);
        System.out.printf(
                "# %d cores, %s, java %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"));
        load("start");

        Properties props = new Properties();
        props.setProperty("user", pgUser);
        props.setProperty("reWriteBatchedInserts", "true");
        try (Connection admin = DriverManager.getConnection(pgBase + "postgres", props);
                Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DB);
            st.execute("CREATE DATABASE " + DB);
        }
        Results res = new Results();
        try (RootAllocator allocator = new RootAllocator()) {
            MetricStore.Options options = MetricStore.Options.defaults().withCacheBytes(2L << 30);

            // ---- (1) ingest: Replica (several fresh stores, median) ----
            Path metricsDir = null;
            double[] replicaIngest = new double[ingestReps];
            for (int rep = 0; rep < ingestReps; rep++) {
                Path d = baseDir.resolve("metrics-" + rep);
                try (MetricStore store = new MetricStore(d, allocator, options)) {
                    long t0 = System.nanoTime();
                    ingestReplica(store, runIds, steps, batch);
                    replicaIngest[rep] = (System.nanoTime() - t0) / 1e9;
                }
                System.out.printf(
                        "replica ingest rep %d: %.2f s (%,.0f points/s)%n",
                        rep, replicaIngest[rep], points / replicaIngest[rep]);
                if (rep < ingestReps - 1) {
                    deleteTree(d);
                } else {
                    metricsDir = d;
                }
            }
            res.replicaIngest = median(replicaIngest);
            load("after replica ingest");

            // ---- (1) ingest: PostgreSQL with MLflow's schema ----
            try (Connection pg = DriverManager.getConnection(pgBase + DB, props)) {
                try (Statement st = pg.createStatement()) {
                    // mlflow/store/tracking/dbmodels/models.py SqlMetric: PK (key, timestamp, step, run_uuid,
                    // value, is_nan). No foreign key to runs here (it would only slow PostgreSQL down).
                    st.execute("CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT8 NOT NULL,"
                            + " timestamp BIGINT NOT NULL, step BIGINT NOT NULL DEFAULT 0,"
                            + " is_nan BOOLEAN NOT NULL DEFAULT false, run_uuid VARCHAR(32) NOT NULL,"
                            + " CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan))");
                }
                long t0 = System.nanoTime();
                ingestPostgres(pg, runIds, steps, pgBatch);
                res.pgIngest = (System.nanoTime() - t0) / 1e9;
                System.out.printf("postgres ingest: %.2f s (%,.0f points/s)%n", res.pgIngest, points / res.pgIngest);
                load("after postgres ingest");
                try (Statement st = pg.createStatement()) {
                    st.execute("ANALYZE metrics");
                }
                pg.setAutoCommit(true);

                // ---- (2) disk ----
                res.replicaBytes = dirBytes(metricsDir);
                try (Statement st = pg.createStatement();
                        ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('metrics'),"
                                + " pg_relation_size('metrics'), pg_indexes_size('metrics'), count(*) FROM metrics")) {
                    rs.next();
                    res.pgBytes = rs.getLong(1);
                    System.out.printf(
                            "postgres rows %,d; heap %,d bytes, indexes %,d bytes%n",
                            rs.getLong(4), rs.getLong(2), rs.getLong(3));
                }
                System.out.printf(
                        "disk: replica %,d bytes (%.1f B/point), postgres %,d bytes (%.1f B/point)%n",
                        res.replicaBytes,
                        res.replicaBytes / (double) points,
                        res.pgBytes,
                        res.pgBytes / (double) points);

                // ---- (3) chart fetch of loss for all runs, full resolution ----
                try (MetricStore store = new MetricStore(metricsDir, allocator, options)) {
                    SeriesQueries q = new SeriesQueries(store);
                    double[] cold = new double[reps];
                    double[] warm = new double[reps];
                    double replicaSum = 0;
                    long replicaCount = 0;
                    for (int rep = 0; rep < reps; rep++) {
                        for (String id : runIds) {
                            store.evict(id);
                        }
                        long t = System.nanoTime();
                        Map<String, SeriesQueries.Points> p = q.points(runIds, "loss", XAxis.step());
                        cold[rep] = (System.nanoTime() - t) / 1e6;
                        replicaCount = 0;
                        replicaSum = 0;
                        for (SeriesQueries.Points pts : p.values()) {
                            replicaCount += pts.size();
                            for (double v : pts.y()) {
                                replicaSum += v;
                            }
                        }
                    }
                    for (int rep = 0; rep < reps; rep++) {
                        long t = System.nanoTime();
                        Map<String, SeriesQueries.Points> p = q.points(runIds, "loss", XAxis.step());
                        warm[rep] = (System.nanoTime() - t) / 1e6;
                        if (p.size() != runIds.size()) {
                            throw new IllegalStateException("runs missing");
                        }
                    }
                    res.replicaFetchCold = median(cold);
                    res.replicaFetchWarm = median(warm);
                    System.out.printf(
                            "replica fetch loss x %d runs (%,d points): cold median %.1f ms %s,"
                                    + " warm median %.1f ms %s%n",
                            runs,
                            replicaCount,
                            res.replicaFetchCold,
                            Arrays.toString(round(cold)),
                            res.replicaFetchWarm,
                            Arrays.toString(round(warm)));

                    double[] pgT = new double[reps];
                    double pgSum = 0;
                    long pgCount = 0;
                    for (int rep = 0; rep < reps; rep++) {
                        long t = System.nanoTime();
                        Map<String, double[][]> rows = fetchPostgres(pg, runIds);
                        pgT[rep] = (System.nanoTime() - t) / 1e6;
                        pgCount = 0;
                        pgSum = 0;
                        for (double[][] xy : rows.values()) {
                            pgCount += xy[0].length;
                            for (double v : xy[1]) {
                                pgSum += v;
                            }
                        }
                    }
                    res.pgFetchFirst = pgT[0];
                    res.pgFetch = median(pgT);
                    System.out.printf(
                            "postgres fetch loss x %d runs (%,d points): first %.1f ms, median %.1f ms %s%n",
                            runs, pgCount, res.pgFetchFirst, res.pgFetch, Arrays.toString(round(pgT)));
                    if (pgCount != replicaCount || Math.abs(pgSum - replicaSum) > 1e-6 * Math.abs(replicaSum) + 1e-6) {
                        throw new IllegalStateException("stores disagree: replica " + replicaCount + " points sum "
                                + replicaSum + ", postgres " + pgCount + " points sum " + pgSum);
                    }
                }
                load("after fetch");
            }

            // ---- (4) downsampled chart query, ds-runs x ds-points into buckets ----
            Path dsDir = baseDir.resolve("downsample");
            List<String> dsIds = new ArrayList<>();
            for (int r = 0; r < dsRuns; r++) {
                dsIds.add(runUuid("ds-" + r));
            }
            try (MetricStore store = new MetricStore(dsDir, allocator, options.withFsync(false))) {
                long t0 = System.nanoTime();
                writeDense(store, dsIds, dsPoints);
                System.out.printf(
                        "downsample data: %,d runs x %,d points written in %.1f s (fsync off, setup only),"
                                + " %,d bytes%n",
                        dsRuns, dsPoints, (System.nanoTime() - t0) / 1e9, dirBytes(dsDir));
                SeriesQueries q = new SeriesQueries(store);
                SeriesRequest request = SeriesRequest.downsampled(buckets);
                double[] cold = new double[reps];
                double[] warm = new double[reps];
                int returned = 0;
                for (int rep = 0; rep < reps; rep++) {
                    for (String id : dsIds) {
                        store.evict(id);
                    }
                    long t = System.nanoTime();
                    Map<String, Series> s = q.series(dsIds, "loss", request);
                    cold[rep] = (System.nanoTime() - t) / 1e6;
                    returned = s.values().stream().mapToInt(Series::size).sum();
                }
                for (int rep = 0; rep < reps; rep++) {
                    long t = System.nanoTime();
                    Map<String, Series> s = q.series(dsIds, "loss", request);
                    warm[rep] = (System.nanoTime() - t) / 1e6;
                    returned = s.values().stream().mapToInt(Series::size).sum();
                }
                res.dsCold = median(cold);
                res.dsWarm = median(warm);
                System.out.printf(
                        "downsampled %d runs x %,d points -> %,d buckets (%,d points returned):"
                                + " cold median %.1f ms %s, warm median %.1f ms %s%n",
                        dsRuns,
                        dsPoints,
                        buckets,
                        returned,
                        res.dsCold,
                        Arrays.toString(round(cold)),
                        res.dsWarm,
                        Arrays.toString(round(warm)));
            }
            load("end");
            res.print(runs, points);
        } finally {
            try (Connection admin = DriverManager.getConnection(pgBase + "postgres", props);
                    Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop " + DB + ": " + e.getMessage());
            }
            if (!keep) {
                deleteTree(baseDir);
            }
        }
    }

    /** Deterministic value of metric {@code m} of run {@code r} at {@code step}. */
    private static double value(int r, int m, long step) {
        double s = step + 1;
        return switch (m) {
            case 0 -> 2.0 / Math.sqrt(s) + 0.01 * Math.sin(step * 0.37 + r);
            case 1 -> 1.0 - 0.9 / Math.sqrt(s) + 0.005 * Math.cos(step * 0.11 + r);
            case 2 -> 1e-3 * Math.min(1.0, s / 500.0) * (0.5 + 0.5 * Math.cos(Math.PI * step / 10_000.0));
            case 3 -> 1.0 + 0.3 * Math.abs(Math.sin(step * 0.013 + r));
            default -> 2.1 / Math.sqrt(s) + 0.02 * Math.sin(step * 0.05 + r);
        };
    }

    private static void ingestReplica(MetricStore store, List<String> runIds, int steps, int batch) {
        for (int r = 0; r < runIds.size(); r++) {
            String id = runIds.get(r);
            for (int from = 0; from < steps; from += batch) {
                int n = Math.min(batch, steps - from);
                MetricBatch.Builder b = MetricBatch.builder();
                for (int i = 0; i < n; i++) {
                    long step = from + i;
                    b.row(step, T0 + step * 50);
                    for (int m = 0; m < METRICS.length; m++) {
                        b.set(METRICS[m], value(r, m, step));
                    }
                }
                store.append(id, b.build());
            }
            store.closeRun(id);
        }
    }

    private static void ingestPostgres(Connection pg, List<String> runIds, int steps, int batch) throws SQLException {
        pg.setAutoCommit(false);
        try (PreparedStatement ps = pg.prepareStatement(
                "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            for (int r = 0; r < runIds.size(); r++) {
                String id = runIds.get(r);
                for (long step = 0; step < steps; step++) {
                    for (int m = 0; m < METRICS.length; m++) {
                        double v = value(r, m, step);
                        ps.setString(1, METRICS[m]);
                        ps.setDouble(2, v);
                        ps.setLong(3, T0 + step * 50);
                        ps.setLong(4, step);
                        ps.setBoolean(5, Double.isNaN(v));
                        ps.setString(6, id);
                        ps.addBatch();
                        if (++pending == batch) {
                            ps.executeBatch();
                            pg.commit();
                            pending = 0;
                        }
                    }
                }
            }
            if (pending > 0) {
                ps.executeBatch();
                pg.commit();
            }
        }
    }

    /** The chart query against MLflow's table, read into per-run {x, y} arrays like the Replica side. */
    private static Map<String, double[][]> fetchPostgres(Connection pg, List<String> runIds) throws SQLException {
        Map<String, double[][]> out = new HashMap<>();
        try (PreparedStatement ps = pg.prepareStatement("SELECT run_uuid, step, value FROM metrics"
                + " WHERE key = 'loss' AND run_uuid = ANY(?) ORDER BY run_uuid, step")) {
            Array ids = pg.createArrayOf("varchar", runIds.toArray());
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                String current = null;
                double[] xs = new double[1024];
                double[] ys = new double[1024];
                int n = 0;
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (!id.equals(current)) {
                        if (current != null) {
                            out.put(current, new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)});
                        }
                        current = id;
                        n = 0;
                    }
                    if (n == xs.length) {
                        xs = Arrays.copyOf(xs, n * 2);
                        ys = Arrays.copyOf(ys, n * 2);
                    }
                    xs[n] = rs.getLong(2);
                    ys[n] = rs.getDouble(3);
                    n++;
                }
                if (current != null) {
                    out.put(current, new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)});
                }
            }
            ids.free();
        }
        return out;
    }

    private static void writeDense(MetricStore store, List<String> ids, int points) {
        int batch = 10_000;
        long[] steps = new long[batch];
        long[] times = new long[batch];
        double[] values = new double[batch];
        for (int r = 0; r < ids.size(); r++) {
            for (int from = 0; from < points; from += batch) {
                int n = Math.min(batch, points - from);
                for (int i = 0; i < n; i++) {
                    long step = from + i;
                    steps[i] = step;
                    times[i] = T0 + step * 50;
                    values[i] = value(r, 0, step);
                }
                store.append(
                        ids.get(r),
                        n == batch
                                ? MetricBatch.dense("loss", steps, times, values)
                                : MetricBatch.dense(
                                        "loss",
                                        Arrays.copyOf(steps, n),
                                        Arrays.copyOf(times, n),
                                        Arrays.copyOf(values, n)));
            }
            store.closeRun(ids.get(r));
        }
    }

    private static final class Results {
        double replicaIngest;
        double pgIngest;
        long replicaBytes;
        long pgBytes;
        double replicaFetchCold;
        double replicaFetchWarm;
        double pgFetchFirst;
        double pgFetch;
        double dsCold;
        double dsWarm;

        void print(int runs, long points) {
            System.out.println();
            System.out.printf("%-44s %14s %14s %10s %8s %s%n", "measure", "replica", "postgres", "ratio", "target", "");
            row(
                    "ingest (s), median / single",
                    replicaIngest,
                    pgIngest,
                    pgIngest / replicaIngest,
                    ">= 20x",
                    pgIngest / replicaIngest >= 20);
            System.out.printf(
                    "%-44s %14s %14s %9.3fx %8s %s%n",
                    "disk (MB)",
                    String.format("%.1f", replicaBytes / 1e6),
                    String.format("%.1f", pgBytes / 1e6),
                    replicaBytes / (double) pgBytes,
                    "<= 0.2x",
                    replicaBytes * 5 <= pgBytes ? "met" : "MISSED");
            row(
                    "fetch loss x " + runs + " runs, cold (ms)",
                    replicaFetchCold,
                    pgFetch,
                    pgFetch / replicaFetchCold,
                    ">= 50x",
                    pgFetch / replicaFetchCold >= 50);
            row(
                    "fetch loss x " + runs + " runs, warm (ms)",
                    replicaFetchWarm,
                    pgFetch,
                    pgFetch / replicaFetchWarm,
                    ">= 50x",
                    pgFetch / replicaFetchWarm >= 50);
            System.out.printf(
                    "%-44s %14.1f %14s %10s %8s %s%n",
                    "downsampled query, cold (ms)", dsCold, "-", "-", "< 100ms", dsCold < 100 ? "met" : "MISSED");
            System.out.printf(
                    "%-44s %14.1f %14s %10s %8s %s%n",
                    "downsampled query, warm (ms)", dsWarm, "-", "-", "< 100ms", dsWarm < 100 ? "met" : "MISSED");
            System.out.printf(
                    "(%,d points; postgres fetch: first repetition %.1f ms, median over all)%n", points, pgFetchFirst);
        }

        private static void row(String name, double replica, double pg, double ratio, String target, boolean met) {
            System.out.printf(
                    "%-44s %14.2f %14.2f %9.1fx %8s %s%n", name, replica, pg, ratio, target, met ? "met" : "MISSED");
        }
    }

    private static String runUuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8))
                .toString()
                .replace("-", "");
    }

    private static void load(String when) {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            System.out.printf("# load average %s: %s %s %s%n", when, f[0], f[1], f[2]);
        } catch (IOException e) {
            System.out.printf("# load average %s: unknown%n", when);
        }
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown cpu");
        } catch (IOException e) {
            return "unknown cpu";
        }
    }

    private static long dirBytes(Path dir) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                bytes += Files.size(p);
            }
        }
        return bytes;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.round(v[i] * 10) / 10.0;
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
