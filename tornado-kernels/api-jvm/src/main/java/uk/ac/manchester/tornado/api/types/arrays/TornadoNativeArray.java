package uk.ac.manchester.tornado.api.types.arrays;

/**
 * The common base of TornadoVM's native arrays. TornadoVM's version also exposes the off-heap
 * {@code MemorySegment}; this JVM implementation (Java 17, no foreign-memory API) keeps data on the heap and
 * offers only the size accessors.
 */
public abstract sealed class TornadoNativeArray permits FloatArray, IntArray {

    TornadoNativeArray() {}

    public abstract int getSize();

    public abstract int getElementSize();

    /** Clears the contents of the native array. */
    protected void clear() {}
}
