package dev.replica.experiments.metrics.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A minimal Parquet writer for flat tables (see docs/adr/0006): columns of int64, float64, boolean or
 * UTF-8 text, each required or optional; PLAIN encoding, no compression, one data page per column per
 * row group. Rows are buffered until about {@code rowGroupBytes} and then written as a row group, so
 * memory stays bounded whatever the size of the table. Doubles are written bit for bit (NaN payloads
 * included); a null is a definition level of 0, so a NaN and a missing value stay distinct.
 *
 * <p>Format reference: apache/parquet-format's README and parquet.thrift (file layout, FileMetaData,
 * PageHeader, the RLE/bit-packing hybrid for definition levels).
 */
public final class ParquetTableWriter implements AutoCloseable {

    /** Physical type plus the annotation readers need (text is BYTE_ARRAY annotated UTF8). */
    public enum Type {
        INT64(2),
        DOUBLE(5),
        BOOLEAN(0),
        UTF8(6);

        final int physical;

        Type(int physical) {
            this.physical = physical;
        }
    }

    /** One column; {@code optional} columns may hold nulls. */
    public record Column(String name, Type type, boolean optional) {
        public static Column required(String name, Type type) {
            return new Column(name, type, false);
        }

        public static Column optional(String name, Type type) {
            return new Column(name, type, true);
        }
    }

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int PLAIN = 0;
    private static final int RLE = 3;
    private static final int REQUIRED = 0;
    private static final int OPTIONAL = 1;
    private static final int CONVERTED_UTF8 = 0;

    private record ChunkMeta(long offset, long size, long values) {}

    private record RowGroupMeta(List<ChunkMeta> chunks, long rows, long bytes) {}

    private final OutputStream out;
    private final List<Column> columns;
    private final Map<String, String> metadata;
    private final long rowGroupBytes;
    private final ColumnBuffer[] buffers;
    private final List<RowGroupMeta> rowGroups = new ArrayList<>();
    private long position;
    private long rows;
    private long totalRows;
    private boolean closed;

    /**
     * @param out receives the file; not closed by {@link #close()}
     * @param metadata key/value pairs stored in the footer
     * @param rowGroupBytes buffered bytes after which a row group is written
     */
    public ParquetTableWriter(OutputStream out, List<Column> columns, Map<String, String> metadata, long rowGroupBytes)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate column name " + c.name());
            }
        }
        this.out = out;
        this.columns = List.copyOf(columns);
        this.metadata = Map.copyOf(metadata);
        this.rowGroupBytes = rowGroupBytes;
        this.buffers = new ColumnBuffer[columns.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new ColumnBuffer();
        }
        write(MAGIC);
    }

    public ParquetTableWriter(OutputStream out, List<Column> columns, Map<String, String> metadata) throws IOException {
        this(out, columns, metadata, 8L << 20);
    }

    public void setLong(int column, long value) {
        ColumnBuffer b = present(column, Type.INT64);
        b.int64(value);
    }

    public void setDouble(int column, double value) {
        present(column, Type.DOUBLE).int64(Double.doubleToRawLongBits(value));
    }

    public void setBoolean(int column, boolean value) {
        ColumnBuffer b = present(column, Type.BOOLEAN);
        b.bit(value);
    }

    public void setString(int column, String value) {
        ColumnBuffer b = present(column, Type.UTF8);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        b.int32(bytes.length);
        b.values.write(bytes, 0, bytes.length);
    }

    public void setNull(int column) {
        if (!columns.get(column).optional()) {
            throw new IllegalArgumentException("column " + columns.get(column).name() + " is required");
        }
        ColumnBuffer b = buffers[column];
        b.checkUnset(columns.get(column));
        b.defined.add(false);
        b.set = true;
    }

    /** Ends the current row: every column must have been set exactly once. */
    public void endRow() throws IOException {
        long bytes = 0;
        for (int i = 0; i < buffers.length; i++) {
            if (!buffers[i].set) {
                throw new IllegalStateException("column " + columns.get(i).name() + " not set in row " + totalRows);
            }
            buffers[i].set = false;
            bytes += buffers[i].values.size();
        }
        rows++;
        totalRows++;
        if (bytes >= rowGroupBytes) {
            flushRowGroup();
        }
    }

    /** Writes the last row group and the footer; the stream stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flushRowGroup();
        byte[] footer = footer();
        write(footer);
        write(new byte[] {
            (byte) footer.length,
            (byte) (footer.length >>> 8),
            (byte) (footer.length >>> 16),
            (byte) (footer.length >>> 24)
        });
        write(MAGIC);
        out.flush();
    }

    private ColumnBuffer present(int column, Type type) {
        Column c = columns.get(column);
        if (c.type() != type) {
            throw new IllegalArgumentException("column " + c.name() + " is " + c.type() + ", not " + type);
        }
        ColumnBuffer b = buffers[column];
        b.checkUnset(c);
        b.defined.add(true);
        b.set = true;
        return b;
    }

    private void flushRowGroup() throws IOException {
        if (rows == 0) {
            return;
        }
        List<ChunkMeta> chunks = new ArrayList<>();
        long groupBytes = 0;
        for (int i = 0; i < buffers.length; i++) {
            ColumnBuffer b = buffers[i];
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            if (columns.get(i).optional()) {
                byte[] levels = b.definitionLevels();
                writeInt32(page, levels.length);
                page.write(levels, 0, levels.length);
            }
            if (columns.get(i).type() == Type.BOOLEAN) {
                b.flushBits();
            }
            b.values.writeTo(page);
            byte[] header = pageHeader((int) rows, page.size());
            long offset = position;
            write(header);
            page.writeTo(out);
            position += page.size();
            long size = header.length + (long) page.size();
            chunks.add(new ChunkMeta(offset, size, rows));
            groupBytes += size;
            buffers[i] = new ColumnBuffer();
        }
        rowGroups.add(new RowGroupMeta(chunks, rows, groupBytes));
        rows = 0;
    }

    private static byte[] pageHeader(int values, int size) {
        ThriftCompact t = new ThriftCompact();
        t.beginStruct();
        t.i32(1, 0); // type: DATA_PAGE
        t.i32(2, size); // uncompressed_page_size
        t.i32(3, size); // compressed_page_size (no codec)
        t.beginStruct(5); // data_page_header
        t.i32(1, values); // num_values, nulls included
        t.i32(2, PLAIN);
        t.i32(3, RLE); // definition_level_encoding
        t.i32(4, RLE); // repetition_level_encoding
        t.endStruct();
        t.endStruct();
        return t.toByteArray();
    }

    private byte[] footer() {
        ThriftCompact t = new ThriftCompact();
        t.beginStruct(); // FileMetaData
        t.i32(1, 1); // version
        t.beginList(2, ThriftCompact.STRUCT, columns.size() + 1); // schema: root, then the leaves
        t.beginStruct();
        t.string(4, "schema");
        t.i32(5, columns.size());
        t.endStruct();
        for (Column c : columns) {
            t.beginStruct();
            t.i32(1, c.type().physical);
            t.i32(3, c.optional() ? OPTIONAL : REQUIRED);
            t.string(4, c.name());
            if (c.type() == Type.UTF8) {
                t.i32(6, CONVERTED_UTF8);
            }
            t.endStruct();
        }
        t.i64(3, totalRows);
        t.beginList(4, ThriftCompact.STRUCT, rowGroups.size());
        for (RowGroupMeta g : rowGroups) {
            t.beginStruct(); // RowGroup
            t.beginList(1, ThriftCompact.STRUCT, g.chunks().size());
            for (int i = 0; i < g.chunks().size(); i++) {
                ChunkMeta m = g.chunks().get(i);
                Column c = columns.get(i);
                t.beginStruct(); // ColumnChunk
                t.i64(2, m.offset()); // file_offset
                t.beginStruct(3); // ColumnMetaData
                t.i32(1, c.type().physical);
                t.beginList(2, ThriftCompact.I32, 2); // encodings
                t.i32(PLAIN);
                t.i32(RLE);
                t.beginList(3, ThriftCompact.BINARY, 1); // path_in_schema
                t.string(c.name());
                t.i32(4, 0); // codec: UNCOMPRESSED
                t.i64(5, m.values());
                t.i64(6, m.size());
                t.i64(7, m.size());
                t.i64(9, m.offset()); // data_page_offset
                t.endStruct();
                t.endStruct();
            }
            t.i64(2, g.bytes());
            t.i64(3, g.rows());
            t.endStruct();
        }
        if (!metadata.isEmpty()) {
            t.beginList(5, ThriftCompact.STRUCT, metadata.size());
            for (var e : new java.util.TreeMap<>(metadata).entrySet()) {
                t.beginStruct();
                t.string(1, e.getKey());
                t.string(2, e.getValue());
                t.endStruct();
            }
        }
        t.string(6, "replica parquet writer");
        t.endStruct();
        return t.toByteArray();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        position += bytes.length;
    }

    private static void writeInt32(ByteArrayOutputStream s, int v) {
        s.write(v);
        s.write(v >>> 8);
        s.write(v >>> 16);
        s.write(v >>> 24);
    }

    /** One column's values (PLAIN) and definition levels for the current row group. */
    private static final class ColumnBuffer {
        final ByteArrayOutputStream values = new ByteArrayOutputStream();
        final Levels defined = new Levels();
        boolean set;
        int bits;
        int bitCount;

        void checkUnset(Column c) {
            if (set) {
                throw new IllegalStateException("column " + c.name() + " set twice in one row");
            }
        }

        void int32(int v) {
            writeInt32(values, v);
        }

        void int64(long v) {
            for (int i = 0; i < 8; i++) {
                values.write((int) (v >>> (8 * i)));
            }
        }

        /** PLAIN booleans are bit-packed, least significant bit first. */
        void bit(boolean v) {
            if (v) {
                bits |= 1 << bitCount;
            }
            if (++bitCount == 8) {
                values.write(bits);
                bits = 0;
                bitCount = 0;
            }
        }

        void flushBits() {
            if (bitCount > 0) {
                values.write(bits);
                bits = 0;
                bitCount = 0;
            }
        }

        /** Definition levels (bit width 1) as RLE runs of the hybrid encoding: varint(count << 1), value. */
        byte[] definitionLevels() {
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            int i = 0;
            while (i < defined.size) {
                boolean v = defined.get(i);
                int j = i;
                while (j < defined.size && defined.get(j) == v) {
                    j++;
                }
                long header = (long) (j - i) << 1;
                while ((header & ~0x7FL) != 0) {
                    s.write((int) ((header & 0x7F) | 0x80));
                    header >>>= 7;
                }
                s.write((int) header);
                s.write(v ? 1 : 0);
                i = j;
            }
            return s.toByteArray();
        }
    }

    /** A growable list of booleans. */
    private static final class Levels {
        private final java.util.BitSet bits = new java.util.BitSet();
        int size;

        void add(boolean v) {
            bits.set(size++, v);
        }

        boolean get(int i) {
            return bits.get(i);
        }
    }
}
