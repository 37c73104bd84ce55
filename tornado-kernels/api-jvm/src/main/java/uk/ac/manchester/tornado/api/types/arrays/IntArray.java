package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size int array (TornadoVM keeps it off-heap; this JVM implementation wraps a int[]). */
public final class IntArray extends TornadoNativeArray {

    private final int[] data;

    public IntArray(int numberOfElements) {
        data = new int[numberOfElements];
    }

    private IntArray(int[] data) {
        this.data = data;
    }

    /** A new array holding a copy of {@code values}. */
    public static IntArray fromArray(int[] values) {
        return new IntArray(values.clone());
    }

    public static IntArray fromElements(int... values) {
        return fromArray(values);
    }

    public int get(int index) {
        return data[index];
    }

    public void set(int index, int value) {
        data[index] = value;
    }

    @Override
    public int getSize() {
        return data.length;
    }

    public void init(int value) {
        Arrays.fill(data, value);
    }

    @Override
    public void clear() {
        init(0);
    }

    @Override
    public int getElementSize() {
        return Integer.BYTES;
    }

    /** A copy of the contents as a heap array. */
    public int[] toHeapArray() {
        return data.clone();
    }
}
