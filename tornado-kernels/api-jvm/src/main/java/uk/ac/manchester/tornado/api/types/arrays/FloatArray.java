package uk.ac.manchester.tornado.api.types.arrays;

import java.util.Arrays;

/** A fixed-size float array (TornadoVM keeps it off-heap; this JVM implementation wraps a float[]). */
public final class FloatArray extends TornadoNativeArray {

    private final float[] data;

    public FloatArray(int numberOfElements) {
        data = new float[numberOfElements];
    }

    private FloatArray(float[] data) {
        this.data = data;
    }

    /** A new array holding a copy of {@code values}. */
    public static FloatArray fromArray(float[] values) {
        return new FloatArray(values.clone());
    }

    public static FloatArray fromElements(float... values) {
        return fromArray(values);
    }

    public float get(int index) {
        return data[index];
    }

    public void set(int index, float value) {
        data[index] = value;
    }

    @Override
    public int getSize() {
        return data.length;
    }

    public void init(float value) {
        Arrays.fill(data, value);
    }

    @Override
    public void clear() {
        init(0f);
    }

    @Override
    public int getElementSize() {
        return Float.BYTES;
    }

    /** A copy of the contents as a heap array. */
    public float[] toHeapArray() {
        return data.clone();
    }
}
