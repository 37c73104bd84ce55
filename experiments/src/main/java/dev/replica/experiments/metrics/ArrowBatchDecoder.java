package dev.replica.experiments.metrics;

import java.io.IOException;
import java.io.InputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

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

  /** Decodes every record batch of the stream into one batch. */
  public MetricBatch decode(InputStream body) throws IOException {
    MetricBatch.Builder out = MetricBatch.builder();
    try (ArrowStreamReader reader =
        new ArrowStreamReader(new LimitedInputStream(body, maxBytes), allocator)) {
      VectorSchemaRoot root;
      try {
        root = reader.getVectorSchemaRoot();
      } catch (LimitedInputStream.LimitExceededException e) {
        throw new MetricParseException(WHERE, null, e.getMessage());
      } catch (IOException | RuntimeException e) {
        throw new MetricParseException(WHERE, null, "not an Arrow IPC stream: " + e.getMessage());
      }
      String problem = MetricFileFormat.problem(root.getSchema());
      if (problem != null) {
        throw new MetricParseException(WHERE, null, problem);
      }
      long rows = 0;
      while (true) {
        boolean more;
        try {
          more = reader.loadNextBatch();
        } catch (LimitedInputStream.LimitExceededException e) {
          throw new MetricParseException(WHERE, null, e.getMessage());
        } catch (IOException | RuntimeException e) {
          throw new MetricParseException(WHERE, null, "truncated or invalid record batch: " + e.getMessage());
        }
        if (!more) {
          break;
        }
        rows += root.getRowCount();
        if (rows > maxRows) {
          throw new MetricParseException(WHERE, null, "more than the limit of " + maxRows + " rows");
        }
        for (int c = 0; c < 2; c++) {
          if (root.getVector(c).getNullCount() > 0) {
            throw new MetricParseException(WHERE, root.getVector(c).getName(), "must not contain nulls");
          }
        }
        out.addAll(MetricBatch.fromRoot(root));
      }
    }
    return out.build();
  }
}
