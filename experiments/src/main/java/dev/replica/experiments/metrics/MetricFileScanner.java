package dev.replica.experiments.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads a metric file message by message, knowing the byte offset where each complete message ends,
 * so that a torn tail (a message cut short by a crash) is detected and never returned.
 *
 * <p>A message is complete when its length prefix, its metadata and its whole body lie within the
 * file and decode. Scanning stops at the first incomplete or undecodable message; {@link
 * Position#offset()} is then the end of the last complete one, which is where a writer truncates.
 */
final class MetricFileScanner {
    private MetricFileScanner() {}

    /** Receives each complete record batch, loaded into a root laid out as the segment's schema. */
    interface Visitor {
        void batch(VectorSchemaRoot root) throws IOException;

        /** Called for each segment schema. */
        default void schema(Schema schema) {}

        /** Whether record batches are read at all; when false only schemas are visited. */
        default boolean wantsBatches() {
            return true;
        }

        /**
         * Called for each complete record batch when {@link #wantsBatches()} is false: where its body
         * starts in the file and its header (row count, field nodes, buffer offsets within the body).
         */
        default void batchHeader(long bodyStart, org.apache.arrow.flatbuf.RecordBatch header) {}
    }

    /** Random-access bytes of a metric file. */
    interface Source {
        long size() throws IOException;

        /**
         * {@code length} bytes at {@code position}, little-endian, positioned at 0. The buffer may be a
         * view of the file (memory-mapped) or a copy; callers only read it.
         */
        ByteBuffer slice(long position, int length) throws IOException;

        /** A source reading {@code channel} with positional reads (copies). */
        static Source of(SeekableByteChannel channel) {
            return new Source() {
                @Override
                public long size() throws IOException {
                    return channel.size();
                }

                @Override
                public ByteBuffer slice(long position, int length) throws IOException {
                    ByteBuffer dst = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(channel, dst, position);
                    return dst.flip();
                }
            };
        }

        /**
         * Positional reads of the first {@code size} bytes of {@code channel}; bytes a writer appends later
         * are not seen, so the scan matches the size the caller checked.
         */
        static Source of(SeekableByteChannel channel, long size) {
            Source reads = of(channel);
            return new Source() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public ByteBuffer slice(long position, int length) throws IOException {
                    return reads.slice(position, length);
                }
            };
        }

        /**
         * A source over the first {@code size} bytes of {@code file}, memory-mapped (no copies). Falls back
         * to positional reads for files too large for one mapping. Bytes past {@code size} are never read,
         * so a writer appending meanwhile is harmless.
         */
        static Source mapped(FileChannel file, long size) throws IOException {
            if (size == 0 || size > Integer.MAX_VALUE) {
                return of(file, size);
            }
            java.nio.MappedByteBuffer map = file.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return new Source() {
                @Override
                public long size() {
                    return size;
                }

                @Override
                public ByteBuffer slice(long position, int length) {
                    return map.slice((int) position, length).order(ByteOrder.LITTLE_ENDIAN);
                }
            };
        }
    }

    /**
     * Where a scan stopped.
     *
     * @param offset end of the last complete message
     * @param schema schema of the last segment seen, or null when none
     * @param afterEos whether the last complete message is an end-of-stream marker
     * @param rows rows in the complete batches scanned
     * @param tornBytes bytes after {@code offset} that do not form a complete message
     * @param tornReason why those bytes were rejected, or null
     */
    record Position(long offset, Schema schema, boolean afterEos, long rows, long tornBytes, String tornReason) {
        static final Position START = new Position(0, null, false, 0, 0, null);

        boolean isTorn() {
            return tornBytes > 0;
        }

        /** Bytes of the file this position accounts for (complete messages and a torn tail). */
        long scannedBytes() {
            return offset + tornBytes;
        }

        /**
         * Where to resume a later scan. An end-of-stream marker at the end may be removed by a writer
         * that reopens the run, so a resumed scan starts before it and reads it again if still there.
         */
        Position resumable() {
            if (afterEos && offset >= MetricFileFormat.EOS.length) {
                return new Position(offset - MetricFileFormat.EOS.length, schema, false, rows, 0, null);
            }
            return new Position(offset, schema, afterEos, rows, 0, null);
        }
    }

    /**
     * Scans {@code channel} from {@code from} (a position a previous scan returned, or {@link
     * Position#START}) up to the channel's current size.
     */
    static Position scan(SeekableByteChannel channel, Position from, BufferAllocator allocator, Visitor visitor)
            throws IOException {
        return scan(Source.of(channel), from, allocator, visitor);
    }

    /** {@link #scan(SeekableByteChannel, Position, BufferAllocator, Visitor)} over any source. */
    static Position scan(Source source, Position from, BufferAllocator allocator, Visitor visitor) throws IOException {
        long size = source.size();
        long pos = from.offset();
        Schema schema = from.schema();
        boolean afterEos = from.afterEos();
        long rows = from.rows();
        VectorSchemaRoot root = null;
        String torn = null;
        try {
            while (pos < size) {
                long remaining = size - pos;
                if (remaining < 8) {
                    torn = "incomplete message prefix";
                    break;
                }
                ByteBuffer prefix = source.slice(pos, 8);
                int first = prefix.getInt(0);
                int metaLength;
                int prefixLength;
                if (first == MessageSerializer.IPC_CONTINUATION_TOKEN) {
                    metaLength = prefix.getInt(4);
                    prefixLength = 8;
                } else {
                    metaLength = first;
                    prefixLength = 4;
                }
                if (metaLength == 0) {
                    pos += prefixLength;
                    afterEos = true;
                    continue;
                }
                if (metaLength < 0 || metaLength > remaining - prefixLength) {
                    torn = "incomplete message metadata";
                    break;
                }
                ByteBuffer meta = source.slice(pos + prefixLength, metaLength);
                Message message;
                long bodyLength;
                byte type;
                try {
                    message = Message.getRootAsMessage(meta);
                    bodyLength = message.bodyLength();
                    type = message.headerType();
                } catch (RuntimeException e) {
                    torn = "undecodable message metadata: " + e;
                    break;
                }
                long bodyStart = pos + prefixLength + metaLength;
                if (bodyLength < 0 || bodyLength > size - bodyStart) {
                    torn = "incomplete message body";
                    break;
                }
                if (type == MessageHeader.Schema) {
                    Schema next;
                    try {
                        next = MessageSerializer.deserializeSchema(message);
                    } catch (RuntimeException e) {
                        torn = "undecodable schema: " + e;
                        break;
                    }
                    String problem = MetricFileFormat.problem(next);
                    if (problem != null) {
                        throw new MetricStoreException("not a Replica metric file: " + problem);
                    }
                    schema = next;
                    afterEos = false;
                    visitor.schema(next);
                    if (root != null) {
                        root.close();
                        root = null;
                    }
                } else if (type == MessageHeader.RecordBatch) {
                    if (schema == null || afterEos) {
                        torn = "record batch without a schema";
                        break;
                    }
                    if (bodyLength > Integer.MAX_VALUE) {
                        torn = "record batch body too large";
                        break;
                    }
                    if (!visitor.wantsBatches()) {
                        org.apache.arrow.flatbuf.RecordBatch header = new org.apache.arrow.flatbuf.RecordBatch();
                        message.header(header);
                        rows += header.length();
                        visitor.batchHeader(bodyStart, header);
                        pos = bodyStart + bodyLength;
                        continue;
                    }
                    if (root == null) {
                        root = VectorSchemaRoot.create(schema, allocator);
                    }
                    ArrowBuf body = allocator.buffer(bodyLength);
                    ArrowRecordBatch batch;
                    try {
                        if (bodyLength > 0) {
                            body.setBytes(0, source.slice(bodyStart, (int) bodyLength));
                        }
                        // Takes over the body: releases our reference, the batch holds slices of it.
                        batch = MessageSerializer.deserializeRecordBatch(message, body);
                    } catch (RuntimeException e) {
                        body.close();
                        torn = "undecodable record batch: " + e;
                        break;
                    }
                    try (ArrowRecordBatch b = batch) {
                        new VectorLoader(root).load(b);
                    } catch (RuntimeException e) {
                        torn = "undecodable record batch: " + e;
                        break;
                    }
                    int loaded = root.getRowCount();
                    visitor.batch(root);
                    rows += loaded;
                } else {
                    throw new MetricStoreException("unexpected IPC message type " + type);
                }
                pos = bodyStart + bodyLength;
            }
        } finally {
            if (root != null) {
                root.close();
            }
        }
        long tornBytes = torn == null ? 0 : size - pos;
        return new Position(pos, schema, afterEos, rows, tornBytes, torn);
    }

    private static void readFully(SeekableByteChannel channel, ByteBuffer dst, long position) throws IOException {
        long p = position;
        FileChannel file = channel instanceof FileChannel ? (FileChannel) channel : null;
        while (dst.hasRemaining()) {
            int n;
            if (file != null) {
                n = file.read(dst, p);
            } else {
                channel.position(p);
                n = channel.read(dst);
            }
            if (n < 0) {
                throw new IOException("unexpected end of file at " + p);
            }
            p += n;
        }
    }
}
