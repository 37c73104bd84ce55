package dev.replica.experiments.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The metric store: one Arrow IPC stream file per run, {@code <dir>/<runId>.arrows}.
 *
 * <h2>File format</h2>
 * Each file holds columns {@code step} int64, {@code time_ms} int64 and one nullable float64 column
 * per metric (null where the metric was not logged at that row). Rows are appended in record
 * batches; every {@link #append} writes its whole batch with one positional write and then calls
 * {@link FileChannel#force(boolean)} (unless {@link Options#fsync()} is off).
 *
 * <h2>New metrics mid-run: segments</h2>
 * A stream carries one schema, so a batch that brings a metric the current schema lacks starts a new
 * <em>segment</em>: an end-of-stream marker, then a schema message with the old columns plus the new
 * ones (old columns keep their order), then the batch. A file is therefore a concatenation of one or
 * more complete IPC streams. Any Arrow reader opens the first segment; this store reads all of them.
 * Appending never rewrites earlier bytes, which is what makes crash recovery simple. A cleanly closed
 * run ends with an end-of-stream marker; a writer that reopens it removes that marker and continues
 * the last segment.
 *
 * <h2>Crash safety</h2>
 * A process killed mid-append leaves a prefix of its last batch. Readers stop at the end of the last
 * complete message (prefix, metadata and body all present and decodable) and never return a torn
 * batch; the next writer of the run truncates the torn bytes before appending. A run is written by
 * one writer at a time: each writer holds an exclusive {@link java.nio.channels.FileLock} on the file.
 *
 * <h2>Threads</h2>
 * {@link #append} is safe from any thread: appends to one run are serialized, appends to different
 * runs run in parallel. Reads never block writers and see every batch whose append has returned.
 *
 * <p>Decoded runs are kept in a cache bounded by {@link Options#cacheBytes()}; a cached run whose
 * file has grown is refreshed by decoding only the new bytes.
 */
public final class MetricStore implements AutoCloseable {
    /** File name extension of a run's metric stream. */
    public static final String EXTENSION = ".arrows";

    /**
     * Store settings.
     *
     * @param fsync whether each append is forced to disk before it returns (default true)
     * @param cacheBytes heap budget for decoded runs (default 256 MiB)
     * @param maxMetricNames distinct metric names one run may log (default 10,000): each new name rewrites the
     *     run's schema into its file, so an unbounded name count would make every append grow with it
     */
    public record Options(boolean fsync, long cacheBytes, int maxMetricNames) {
        /** The default cap on distinct metric names per run. */
        public static final int DEFAULT_MAX_METRIC_NAMES = 10_000;

        /** fsync on, 256 MiB cache, 10,000 metric names per run. */
        public static Options defaults() {
            return new Options(true, 256L << 20, DEFAULT_MAX_METRIC_NAMES);
        }

        public Options withFsync(boolean value) {
            return new Options(value, cacheBytes, maxMetricNames);
        }

        public Options withCacheBytes(long value) {
            return new Options(fsync, value, maxMetricNames);
        }

        public Options withMaxMetricNames(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxMetricNames must be at least 1, got " + value);
            }
            return new Options(fsync, cacheBytes, value);
        }
    }

    private final Path dir;
    private final Options options;
    private final BufferAllocator allocator;
    private final ConcurrentHashMap<String, RunWriter> writers = new ConcurrentHashMap<>();
    private final RunDataCache cache;
    private volatile boolean closed;

    /** A store over {@code dir} (created if missing) with {@link Options#defaults()}. */
    public MetricStore(Path dir, BufferAllocator allocator) {
        this(dir, allocator, Options.defaults());
    }

    /**
     * A store over {@code dir} (created if missing). Arrow memory comes from a child of {@code
     * allocator}, released by {@link #close()}.
     */
    public MetricStore(Path dir, BufferAllocator allocator, Options options) {
        this.dir = dir;
        this.options = options;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.allocator = allocator.newChildAllocator("metric-store", 0, Long.MAX_VALUE);
        this.cache = new RunDataCache(options.cacheBytes());
    }

    /** The metrics directory. */
    public Path directory() {
        return dir;
    }

    /** The file of {@code runId}. */
    public Path file(String runId) {
        return dir.resolve(MetricNames.requireValidRunId(runId) + EXTENSION);
    }

    /**
     * Appends {@code batch} to {@code runId}'s file: the one write primitive. When it returns, the
     * batch is durable (with fsync on) and visible to readers.
     *
     * @return the rows written and the updated summaries of the metrics the batch touched
     * @throws MetricStoreException when the file cannot be written or another process holds the run
     */
    public AppendResult append(String runId, MetricBatch batch) {
        ensureOpen();
        while (true) {
            RunWriter w = writer(runId);
            try {
                return w.append(batch);
            } catch (IllegalStateException e) {
                if (!w.isClosed()) {
                    throw e;
                }
                writers.remove(runId, w); // closed by closeRun meanwhile: open a fresh writer
            } catch (IOException e) {
                throw new MetricStoreException("cannot append to run " + runId + ": " + e.getMessage(), e);
            }
        }
    }

    private RunWriter writer(String runId) {
        Path file = file(runId);
        try {
            return writers.computeIfAbsent(runId, id -> {
                try {
                    return new RunWriter(id, file, allocator, options.fsync(), options.maxMetricNames());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new MetricStoreException(
                    "cannot open run " + runId + ": " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Current summaries of every metric of {@code runId}: from the open writer when the run is being
     * written in this store, else recomputed from the file.
     */
    public Map<String, MetricSummary> summaries(String runId) {
        RunWriter w = writers.get(runId);
        if (w != null && !w.isClosed()) {
            return w.summaries();
        }
        return recomputeSummaries(runId);
    }

    /** Summaries recomputed from the file alone (every complete batch, in file order). */
    public Map<String, MetricSummary> recomputeSummaries(String runId) {
        Map<String, MetricSummary.Accumulator> acc = new LinkedHashMap<>();
        scan(runId, MetricFileScanner.Position.START, new MetricFileScanner.Visitor() {
            @Override
            public void batch(VectorSchemaRoot root) {
                MetricBatch b = MetricBatch.fromRoot(root);
                for (int m = 0; m < b.metrics().size(); m++) {
                    MetricSummary.Accumulator a =
                            acc.computeIfAbsent(b.metrics().get(m), MetricSummary.Accumulator::new);
                    for (int r = 0; r < b.size(); r++) {
                        if (b.isPresent(m, r)) {
                            a.accept(b.step(r), b.value(m, r));
                        }
                    }
                }
            }
        });
        Map<String, MetricSummary> out = new LinkedHashMap<>();
        acc.forEach((k, v) -> out.put(k, v.summary()));
        return out;
    }

    /**
     * Every complete row of {@code runId} with every column, decoded (through the bounded cache). A run
     * with no file reads as empty.
     */
    public RunData read(String runId) {
        return read(runId, Projection.ALL);
    }

    /**
     * Every complete row of {@code runId} with at least the columns {@code want} names (a cached
     * snapshot may hold more), decoded through the bounded cache: a snapshot of a file that has grown
     * is extended with the new batches, and columns not decoded yet are read from their own buffers
     * only. A run with no file reads as empty.
     */
    public RunData read(String runId, Projection want) {
        return cached(runId, want).data();
    }

    /** Bytes appended since the last read below which positional reads beat mapping the file. */
    private static final long MAP_THRESHOLD = 1L << 20;

    private RunDataCache.Entry cached(String runId, Projection want) {
        ensureOpen();
        Path file = file(runId);
        RunDataCache.Entry cached = cache.get(runId);
        long size;
        long modified;
        try {
            // A stat, not an open: the usual read (a chart refreshing, nothing new) ends here.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            size = attributes.size();
            modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        } catch (NoSuchFileException e) {
            cache.invalidate(runId);
            return new RunDataCache.Entry(RunData.empty(runId), MetricFileIndex.EMPTY, 0);
        } catch (IOException e) {
            throw new MetricStoreException("cannot read run " + runId + ": " + e.getMessage(), e);
        }
        boolean current =
                cached != null && cached.index().end().scannedBytes() == size && cached.modified() == modified;
        if (current && covers(cached, want)) {
            return cached;
        }
        boolean grown =
                cached != null && !current && size > cached.index().end().scannedBytes();
        boolean reuse = current || grown;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fresh = reuse ? size - cached.index().end().offset() : size;
            // Only the first `size` bytes (what the stat saw) are read, whatever a writer appends meanwhile.
            MetricFileScanner.Source source = fresh >= MAP_THRESHOLD
                    ? MetricFileScanner.Source.mapped(ch, size)
                    : MetricFileScanner.Source.of(ch, size);
            MetricFileIndex index = current
                    ? cached.index()
                    : (grown ? cached.index() : MetricFileIndex.EMPTY).extend(source, allocator, !grown);
            RunData data = RunDataDecoder.decode(
                    runId,
                    index,
                    source,
                    want,
                    reuse ? cached.data() : null,
                    reuse ? cached.index().batches().size() : 0);
            RunDataCache.Entry entry = new RunDataCache.Entry(data, index, modified);
            cache.put(runId, entry);
            return entry;
        } catch (NoSuchFileException e) {
            cache.invalidate(runId);
            return new RunDataCache.Entry(RunData.empty(runId), MetricFileIndex.EMPTY, 0);
        } catch (IOException e) {
            throw new MetricStoreException("cannot read run " + runId + ": " + e.getMessage(), e);
        } catch (MetricStoreException e) {
            throw new MetricStoreException("run " + runId + ": " + e.getMessage(), e);
        }
    }

    private static boolean covers(RunDataCache.Entry entry, Projection want) {
        RunData data = entry.data();
        if (want.times() && !data.hasTimes()) {
            return false;
        }
        List<String> inFile = entry.index().metrics();
        for (String m : want.allMetrics() ? inFile : want.metrics()) {
            if (!data.hasMetric(m) && inFile.contains(m)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Streams the complete batches of {@code runId} in file order, one decoded batch at a time (memory
     * bounded by one batch). Used by exports.
     */
    public void forEachBatch(String runId, Consumer<MetricBatch> consumer) {
        scan(runId, MetricFileScanner.Position.START, root -> consumer.accept(MetricBatch.fromRoot(root)));
    }

    /**
     * Metric names of {@code runId} in order of first appearance in its schemas (from the cached file
     * index; decodes no metric column).
     */
    public List<String> metrics(String runId) {
        return new ArrayList<>(cached(runId, Projection.of()).index().metrics());
    }

    private static final MetricFileScanner.Visitor HEADERS_ONLY = new MetricFileScanner.Visitor() {
        @Override
        public void batch(VectorSchemaRoot root) {}

        @Override
        public boolean wantsBatches() {
            return false;
        }
    };

    /** Number of complete rows in {@code runId}'s file (reads message headers only). */
    public long rowCount(String runId) {
        return scan(runId, MetricFileScanner.Position.START, HEADERS_ONLY).rows();
    }

    /** Whether {@code runId} has a metric file. */
    public boolean exists(String runId) {
        return Files.exists(file(runId));
    }

    /** Ids of every run with a metric file, sorted. */
    public List<String> runIds() {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + EXTENSION)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                ids.add(name.substring(0, name.length() - EXTENSION.length()));
            }
        } catch (IOException e) {
            throw new MetricStoreException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        Collections.sort(ids);
        return ids;
    }

    /**
     * Ends writing {@code runId}: writes the end-of-stream marker, syncs and releases the file lock.
     * A later append reopens the run. No-op when the run is not open.
     */
    public void closeRun(String runId) {
        RunWriter w = writers.remove(runId);
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                throw new MetricStoreException("cannot close run " + runId + ": " + e.getMessage(), e);
            }
        }
    }

    /** Drops {@code runId} from the decode cache. */
    public void evict(String runId) {
        cache.invalidate(runId);
    }

    private MetricFileScanner.Position scan(
            String runId, MetricFileScanner.Position from, MetricFileScanner.Visitor visitor) {
        ensureOpen();
        Path file = file(runId);
        if (!Files.exists(file)) {
            return MetricFileScanner.Position.START;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return MetricFileScanner.scan(ch, from, allocator, visitor);
        } catch (IOException e) {
            throw new MetricStoreException("cannot read run " + runId + ": " + e.getMessage(), e);
        } catch (MetricStoreException e) {
            throw new MetricStoreException("run " + runId + ": " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("metric store closed");
        }
    }

    /** Closes every open run (writing end markers) and releases all Arrow memory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        MetricStoreException failure = null;
        for (Iterator<Map.Entry<String, RunWriter>> it = writers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, RunWriter> e = it.next();
            it.remove();
            try {
                e.getValue().close();
            } catch (IOException ex) {
                if (failure == null) {
                    failure = new MetricStoreException("cannot close run " + e.getKey(), ex);
                }
            }
        }
        cache.clear();
        allocator.close();
        if (failure != null) {
            throw failure;
        }
    }

    /** LRU cache of decoded runs with a byte budget. */
    static final class RunDataCache {
        /** A decoded run, the index of the file it was decoded from, and the file's modification time then. */
        record Entry(RunData data, MetricFileIndex index, long modified) {}

        private final long budget;
        private long used;
        private final LinkedHashMap<String, Entry> map = new LinkedHashMap<>(64, 0.75f, true);

        RunDataCache(long budget) {
            this.budget = budget;
        }

        synchronized Entry get(String runId) {
            return map.get(runId);
        }

        synchronized void put(String runId, Entry e) {
            Entry old = map.put(runId, e);
            if (old != null) {
                used -= old.data().bytes();
            }
            used += e.data().bytes();
            Iterator<Map.Entry<String, Entry>> it = map.entrySet().iterator();
            while (used > budget && it.hasNext()) {
                Map.Entry<String, Entry> eldest = it.next();
                used -= eldest.getValue().data().bytes();
                it.remove();
            }
        }

        synchronized void invalidate(String runId) {
            Entry old = map.remove(runId);
            if (old != null) {
                used -= old.data().bytes();
            }
        }

        synchronized void clear() {
            map.clear();
            used = 0;
        }
    }
}
