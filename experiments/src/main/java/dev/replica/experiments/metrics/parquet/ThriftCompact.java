package dev.replica.experiments.metrics.parquet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The part of Thrift's compact protocol a Parquet footer and page header need: structs, i32, i64,
 * binary and lists (spec: thrift/doc/specs/thrift-compact-protocol.md). Field headers carry the delta
 * to the previous field id of the same struct, so each nested struct keeps its own last id.
 */
final class ThriftCompact {
    static final int I32 = 5;
    static final int I64 = 6;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int STRUCT = 12;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final int[] lastIds = new int[16];
    private int depth;
    private int lastId;

    /** Opens a struct that is a list element or the top-level value. */
    void beginStruct() {
        lastIds[depth++] = lastId;
        lastId = 0;
    }

    /** Opens a struct held in field {@code id} of the current struct. */
    void beginStruct(int id) {
        header(id, STRUCT);
        beginStruct();
    }

    void endStruct() {
        out.write(0); // stop field
        lastId = lastIds[--depth];
    }

    void i32(int id, int value) {
        header(id, I32);
        i32(value);
    }

    void i64(int id, long value) {
        header(id, I64);
        varint((value << 1) ^ (value >> 63));
    }

    void string(int id, String value) {
        header(id, BINARY);
        string(value);
    }

    /** A list header in field {@code id}; the caller then writes {@code size} elements. */
    void beginList(int id, int elementType, int size) {
        header(id, LIST);
        if (size < 15) {
            out.write((size << 4) | elementType);
        } else {
            out.write(0xF0 | elementType);
            varint(size);
        }
    }

    /** An i32 list element (or an i32 without a field header). */
    void i32(int value) {
        varint(((value << 1) ^ (value >> 31)) & 0xFFFFFFFFL);
    }

    /** A string list element. */
    void string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varint(bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void header(int id, int type) {
        int delta = id - lastId;
        if (delta > 0 && delta <= 15) {
            out.write((delta << 4) | type);
        } else {
            out.write(type);
            varint(((id << 1) ^ (id >> 31)) & 0xFFFFFFFFL);
        }
        lastId = id;
    }

    private void varint(long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
