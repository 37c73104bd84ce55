package dev.replica.experiments.metrics;

import java.io.IOException;
import java.io.InputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * Decodes an Arrow IPC stream request body with the metric file's layout ({@code step} int64,
 * {@code time_ms} int64, then float64 metric columns, nullable) into a {@link MetricBatch}, within a
 * byte limit and a row limit. Errors are {@link MetricParseException}s located at "arrow body".
 */
public final class ArrowBatchDecoder {
    private static final String WHERE = "arrow body";
    private final BufferAllocator allocator;
    private final long maxBytes;
    private final int maxRows;

    /**
     * @param allocator source of decoding memory (released before {@link #decode} returns)
     * @param maxBytes largest accepted body
     * @param maxRows largest accepted row count over all batches
     */
    public ArrowBatchDecoder(BufferAllocator allocator, long maxBytes, int maxRows) {
        this.allocator = allocator;
        this.maxBytes = maxBytes;
        this.maxRows = maxRows;
    }

    /**
     * Decodes every record batch of the stream (the whole body must be complete) into one batch. The
     * body is read up to {@code maxBytes}; message lengths are checked against the bytes actually
     * present before anything is allocated.
     */
    public MetricBatch decode(InputStream body) throws IOException {
        byte[] bytes;
        try {
            bytes = new LimitedInputStream(body, maxBytes).readAllBytes();
        } catch (LimitedInputStream.LimitExceededException e) {
            throw new MetricParseException(WHERE, null, e.getMessage());
        }
        MetricBatch.Builder out = MetricBatch.builder();
        long[] rows = {0};
        MetricFileScanner.Position end;
        try (ByteArrayReadableSeekableByteChannel ch = new ByteArrayReadableSeekableByteChannel(bytes)) {
            end = MetricFileScanner.scan(ch, MetricFileScanner.Position.START, allocator, root -> {
                rows[0] += root.getRowCount();
                if (rows[0] > maxRows) {
                    throw new MetricParseException(WHERE, null, "more than the limit of " + maxRows + " rows");
                }
                for (int c = 0; c < 2; c++) {
                    if (root.getVector(c).getNullCount() > 0) {
                        throw new MetricParseException(WHERE, root.getVector(c).getName(), "must not contain nulls");
                    }
                }
                out.addAll(MetricBatch.fromRoot(root));
            });
        } catch (MetricStoreException e) {
            throw new MetricParseException(WHERE, null, e.getMessage());
        }
        if (end.isTorn()) {
            throw new MetricParseException(
                    WHERE, null, "not a complete Arrow IPC stream at byte " + end.offset() + ": " + end.tornReason());
        }
        if (end.schema() == null) {
            throw new MetricParseException(WHERE, null, "no schema message: not an Arrow IPC stream");
        }
        return out.build();
    }
}
