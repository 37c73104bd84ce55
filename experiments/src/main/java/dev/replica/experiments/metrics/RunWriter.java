package dev.replica.experiments.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The single appender of one run's file. Holds an exclusive file lock (so a second process cannot
 * interleave bytes), recovers the file on open (drops a torn tail, reopens the last segment) and
 * keeps the run's summaries up to date. All methods are synchronized: appends to one run are
 * serialized, appends to different runs proceed in parallel.
 */
final class RunWriter implements AutoCloseable {
    private final String runId;
    private final Path file;
    private final BufferAllocator allocator;
    private final boolean fsync;
    private final int maxMetricNames;
    private final FileChannel channel;
    private final FileLock lock;
    private final Map<String, MetricSummary.Accumulator> summaries = new LinkedHashMap<>();
    private Schema schema;
    private List<String> schemaMetrics = List.of();
    private long end;
    private long rows;
    private final long recoveredTornBytes;
    private boolean closed;

    RunWriter(String runId, Path file, BufferAllocator allocator, boolean fsync, int maxMetricNames)
            throws IOException {
        this.runId = runId;
        this.maxMetricNames = maxMetricNames;
        this.file = file;
        this.allocator = allocator;
        this.fsync = fsync;
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new MetricStoreException(
                    "run " + runId + " is already being written by another writer (" + file + " is locked)");
        }
        this.channel = ch;
        this.lock = l;
        try {
            MetricFileScanner.Position p =
                    MetricFileScanner.scan(channel, MetricFileScanner.Position.START, allocator, this::fold);
            this.recoveredTornBytes = p.tornBytes();
            long validEnd = p.offset();
            if (p.afterEos()) {
                // The run was closed cleanly; reopen its last segment by dropping the end marker.
                validEnd -= MetricFileFormat.EOS.length;
            }
            if (validEnd < channel.size()) {
                channel.truncate(validEnd);
                channel.force(true);
            }
            this.end = validEnd;
            this.rows = p.rows();
            if (p.schema() != null) {
                this.schema = p.schema();
                this.schemaMetrics = MetricFileFormat.metricsOf(p.schema());
            }
        } catch (IOException | RuntimeException e) {
            l.release();
            ch.close();
            throw e;
        }
    }

    private void fold(VectorSchemaRoot root) {
        int n = root.getRowCount();
        BigIntVector steps = (BigIntVector) root.getVector(0);
        for (int c = 2; c < root.getFieldVectors().size(); c++) {
            Float8Vector v = (Float8Vector) root.getVector(c);
            if (v.getNullCount() == n) {
                continue;
            }
            String name = v.getName();
            MetricSummary.Accumulator acc = summaries.computeIfAbsent(name, MetricSummary.Accumulator::new);
            for (int r = 0; r < n; r++) {
                if (!v.isNull(r)) {
                    acc.accept(steps.get(r), v.get(r));
                }
            }
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Bytes dropped from a torn tail when this writer opened the file. */
    long recoveredTornBytes() {
        return recoveredTornBytes;
    }

    synchronized AppendResult append(MetricBatch batch) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer closed");
        }
        if (batch.isEmpty()) {
            return new AppendResult(runId, 0, rows, Map.of());
        }
        List<String> missing = new ArrayList<>();
        for (String m : batch.metrics()) {
            if (!schemaMetrics.contains(m)) {
                missing.add(m);
            }
        }
        if (!missing.isEmpty()) {
            // refused before anything is written: the run's stored points stay as they are. System metrics
            // (sys/…) have an allowance of their own, so sampling never takes a name from the run's cap.
            List<String> known =
                    schemaMetrics.stream().filter(m -> !MetricNames.isSystem(m)).toList();
            List<String> added =
                    missing.stream().filter(m -> !MetricNames.isSystem(m)).toList();
            if (known.size() + added.size() > maxMetricNames) {
                throw new MetricNameLimitException(runId, known.size(), added, maxMetricNames);
            }
            int system = schemaMetrics.size() - known.size() + missing.size() - added.size();
            if (system > MetricNames.MAX_SYSTEM_NAMES) {
                throw new IllegalArgumentException("run " + runId + " would have " + system + " distinct "
                        + MetricNames.SYSTEM_PREFIX + " metric names, more than the " + MetricNames.MAX_SYSTEM_NAMES
                        + " allowed per run; that prefix is for the sampled system metrics. Nothing of the batch"
                        + " was stored.");
            }
        }
        MetricFileFormat.Buffer buf = new MetricFileFormat.Buffer(64 + batch.size() * 32);
        Schema nextSchema = schema;
        List<String> nextMetrics = schemaMetrics;
        if (schema == null || !missing.isEmpty()) {
            if (schema != null) {
                buf.channel.write(MetricFileFormat.EOS);
            }
            nextMetrics = new ArrayList<>(schemaMetrics);
            nextMetrics.addAll(missing);
            nextSchema = MetricFileFormat.schema(nextMetrics);
            org.apache.arrow.vector.ipc.message.MessageSerializer.serialize(buf.channel, nextSchema);
        }
        MetricFileFormat.writeBatch(buf.channel, nextSchema, batch, allocator);
        ByteBuffer bytes = ByteBuffer.wrap(buf.array(), 0, buf.size());
        long pos = end;
        try {
            while (bytes.hasRemaining()) {
                pos += channel.write(bytes, pos);
            }
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            // Leave no partial append behind for the next one to build on.
            try {
                channel.truncate(end);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        end = pos;
        schema = nextSchema;
        schemaMetrics = nextMetrics;
        rows += batch.size();
        Map<String, MetricSummary> touched = new LinkedHashMap<>();
        for (int m = 0; m < batch.metrics().size(); m++) {
            String name = batch.metrics().get(m);
            MetricSummary.Accumulator acc = null;
            for (int r = 0; r < batch.size(); r++) {
                if (batch.isPresent(m, r)) {
                    if (acc == null) {
                        acc = summaries.computeIfAbsent(name, MetricSummary.Accumulator::new);
                    }
                    acc.accept(batch.step(r), batch.value(m, r));
                }
            }
            if (acc != null) {
                touched.put(name, acc.summary());
            }
        }
        return new AppendResult(runId, batch.size(), rows, touched);
    }

    synchronized Map<String, MetricSummary> summaries() {
        Map<String, MetricSummary> out = new LinkedHashMap<>();
        summaries.forEach((k, v) -> out.put(k, v.summary()));
        return out;
    }

    synchronized long rows() {
        return rows;
    }

    Path file() {
        return file;
    }

    /** Writes the end-of-stream marker, syncs and releases the lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (schema != null) {
                channel.write(ByteBuffer.wrap(MetricFileFormat.EOS), end);
                end += MetricFileFormat.EOS.length;
                channel.force(true);
            }
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
