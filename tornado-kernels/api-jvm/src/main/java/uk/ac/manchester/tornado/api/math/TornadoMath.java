package uk.ac.manchester.tornado.api.math;

/** The math functions the kernels use; TornadoVM maps them to device built-ins. */
public final class TornadoMath {

    private TornadoMath() {}

    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    public static float log(float x) {
        return (float) Math.log(x);
    }

    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    public static float tanh(float x) {
        return (float) Math.tanh(x);
    }

    public static float abs(float x) {
        return Math.abs(x);
    }

    public static float max(float a, float b) {
        return (a > b) ? a : b;
    }

    public static float min(float a, float b) {
        return (a > b) ? b : a;
    }

    public static int max(int a, int b) {
        return (a > b) ? a : b;
    }

    public static int min(int a, int b) {
        return (a > b) ? b : a;
    }

    public static float pow(float a, float b) {
        return (float) Math.pow(a, b);
    }
}
