package dev.replica.experiments.data;

/**
 * An endless classification stream (SEEDS.md §1): x ~ N(0, I_dim), labelled by the argmax of a fixed
 * random 3-layer tanh teacher network {@code dim → hidden → hidden → classes}. Every batch is a pure
 * function of (teacher seed, data seed, batch index), so the stream can be replayed from any step.
 * The teacher is the same for every run seed (it is the task); run seeds vary the sampled inputs.
 */
public final class TeacherStream {

    /** Teacher seed shared by every run: the task itself. */
    public static final long TEACHER_SEED = 0x7EAC4E5L;

    private final int dim;
    private final int hidden;
    private final int classes;
    private final long dataSeed;
    private final double[] w1;
    private final double[] w2;
    private final double[] w3;

    public TeacherStream(int dim, int hidden, int classes, long dataSeed) {
        this.dim = dim;
        this.hidden = hidden;
        this.classes = classes;
        this.dataSeed = dataSeed;
        Rng rng = Rng.of(TEACHER_SEED, 0);
        this.w1 = gaussian(rng, hidden * dim, 2.0 / Math.sqrt(dim));
        this.w2 = gaussian(rng, hidden * hidden, 2.0 / Math.sqrt(hidden));
        this.w3 = gaussian(rng, classes * hidden, 1.0 / Math.sqrt(hidden));
    }

    /** The reference setup: 64 inputs, teacher width 128, 10 classes. */
    public static TeacherStream standard(long dataSeed) {
        return new TeacherStream(64, 128, 10, dataSeed);
    }

    private static double[] gaussian(Rng rng, int n, double std) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextGaussian() * std;
        }
        return w;
    }

    public int dim() {
        return dim;
    }

    public int classes() {
        return classes;
    }

    /** Fills {@code x (B,dim)} and {@code y (B)} with batch number {@code index} of stream {@code stream}. */
    public void batch(long stream, long index, float[] x, int[] y, int B) {
        Rng rng = Rng.of(dataSeed, (stream << 40) ^ index);
        for (int i = 0; i < B * dim; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int b = 0; b < B; b++) {
            y[b] = label(x, b * dim);
        }
    }

    /** A fixed held-out set of {@code n} examples (stream 1). */
    public LabeledData validation(int n) {
        float[] x = new float[n * dim];
        int[] y = new int[n];
        batch(1, 0, x, y, n);
        return new LabeledData(x, y, n, dim, classes);
    }

    /** The teacher's class for the example at {@code x[off..off+dim)}. */
    public int label(float[] x, int off) {
        double[] h1 = layer(w1, x, off, hidden, dim);
        double[] h2 = new double[hidden];
        for (int o = 0; o < hidden; o++) {
            double s = 0;
            for (int c = 0; c < hidden; c++) {
                s += w2[o * hidden + c] * h1[c];
            }
            h2[o] = Math.tanh(s);
        }
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < classes; o++) {
            double s = 0;
            for (int c = 0; c < hidden; c++) {
                s += w3[o * hidden + c] * h2[c];
            }
            if (s > bestV) {
                bestV = s;
                best = o;
            }
        }
        return best;
    }

    private static double[] layer(double[] w, float[] x, int off, int out, int in) {
        double[] h = new double[out];
        for (int o = 0; o < out; o++) {
            double s = 0;
            for (int c = 0; c < in; c++) {
                s += w[o * in + c] * x[off + c];
            }
            h[o] = Math.tanh(s);
        }
        return h;
    }
}
