package dev.replica.kernels.jvm;

import dev.replica.kernels.AdamwBiasCorrection;
import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.MuonScale;
import dev.replica.kernels.ops.ReferenceKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The default backend: the kernels parallelized over row blocks on a bounded ForkJoin pool, hot loops
 * written with the Vector API. Deterministic whatever the thread count: work is split into fixed blocks
 * that do not depend on the number of threads, each output element is computed by exactly one task, and
 * every reduction runs in a fixed order. Vector lanes are summed by storing them and adding them in lane order
 * (never {@code reduceLanes(ADD)}, whose order may differ between interpreted and compiled code).
 *
 * <p>Every op of {@link dev.replica.kernels.KernelBackend} is overridden here; the reference superclass only
 * provides the constants and the Javadoc.
 */
public class JvmBackend extends ReferenceKernels {

    /** System property overriding the number of worker threads. */
    public static final String THREADS_PROPERTY = "replica.kernels.threads";

    private final int threads;
    private final Parallel par;

    /** A backend with {@link #defaultThreads()} threads. */
    public JvmBackend() {
        this(defaultThreads());
    }

    /** A backend with the given number of worker threads (≥ 1). */
    public JvmBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        this.threads = threads;
        this.par = new Parallel(threads);
    }

    /** {@value #THREADS_PROPERTY} if set, else the number of available processors. */
    public static int defaultThreads() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Math.max(1, Integer.parseInt(p.trim()));
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The CPU model from /proc/cpuinfo where available, else os.arch. */
    public static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public DeviceDescription deviceDescription() {
        return new DeviceDescription(
                "jvm",
                cpuName() + " (" + threads + " threads)",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                false);
    }

    @Override
    public void close() {
        par.close();
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    /** Elements per task for element-wise ops. */
    private static final int CHUNK = 1 << 14;

    /** Rows per task so that a task covers about CHUNK elements; depends on the shape only. */
    private static int rowsPerTask(int cols) {
        return Math.max(1, CHUNK / Math.max(1, cols));
    }

    /** Runs {@code body(r0, r1)} over fixed row blocks of [0, rows). */
    private void forRows(int rows, int cols, RowBlock body) {
        int per = rowsPerTask(cols);
        par.forEach(Parallel.blocks(rows, per), blk -> body.run(blk * per, Math.min(rows, (blk + 1) * per)));
    }

    @FunctionalInterface
    private interface RowBlock {
        void run(int r0, int r1);
    }

    /** Adds the lanes of v in lane order. */
    private static float sumLanes(FloatVector v) {
        float[] t = v.toArray();
        float s = 0f;
        for (float x : t) {
            s += x;
        }
        return s;
    }

    /** Σ a[ao+i]·b[bo+i], vector lanes then lanes in order then the tail. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** Σ a[ao+i]. */
    static float sumRange(float[] a, int ao, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            acc = acc.add(FloatVector.fromArray(S, a, ao + i));
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            s += a[ao + i];
        }
        return s;
    }

    /** y[yo+i] += alpha·x[xo+i]. */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, alpha);
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            FloatVector.fromArray(S, x, xo + i)
                    .fma(va, FloatVector.fromArray(S, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** x[xo+i] *= alpha. */
    static void scale(float alpha, float[] x, int xo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += VL) {
            FloatVector.fromArray(S, x, xo + i).mul(alpha).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] *= alpha;
        }
    }

    private static float rowMax(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // matmul

    @Override
    public void gemm(
            float[] c,
            float[] a,
            float[] b,
            int M,
            int N,
            int K,
            boolean transA,
            boolean transB,
            float alpha,
            float beta) {
        Sgemm.gemm(par, c, a, b, M, N, K, transA, transB, alpha, beta);
    }

    @Override
    public void matmulForward(float[] out, float[] inp, float[] weight, float[] bias, int B, int T, int C, int OC) {
        int BT = B * T;
        if (bias != null) {
            forRows(BT, OC, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    System.arraycopy(bias, 0, out, r * OC, OC);
                }
            });
        }
        // out (BT,OC) = inp (BT,C) · weightᵀ (C,OC) [+ bias]
        Sgemm.gemm(par, out, inp, weight, BT, OC, C, false, true, 1f, bias == null ? 0f : 1f);
    }

    @Override
    public void matmulBackward(
            float[] dinp,
            float[] dweight,
            float[] dbias,
            float[] dout,
            float[] inp,
            float[] weight,
            int B,
            int T,
            int C,
            int OC) {
        int BT = B * T;
        Sgemm.gemm(par, dinp, dout, weight, BT, C, OC, false, false, 1f, 1f); // dinp += dout · weight
        Sgemm.gemm(par, dweight, dout, inp, OC, C, BT, true, false, 1f, 1f); // dweight += doutᵀ · inp
        if (dbias != null) {
            // column blocks; rows summed in order
            int cb = 256;
            par.forEach(Parallel.blocks(OC, cb), blk -> {
                int o0 = blk * cb;
                int n = Math.min(OC, o0 + cb) - o0;
                float[] acc = new float[n];
                for (int bt = 0; bt < BT; bt++) {
                    axpy(1f, dout, bt * OC + o0, acc, 0, n);
                }
                axpy(1f, acc, 0, dbias, o0, n);
            });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // softmax family

    @Override
    public void softmaxForward(float[] probs, float[] logits, int B, int T, int V) {
        forRows(B * T, V, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * V;
                float max = rowMax(logits, off, V);
                float sum = 0f;
                for (int v = 0; v < V; v++) {
                    float e = (float) Math.exp(logits[off + v] - max);
                    probs[off + v] = e;
                    sum += e;
                }
                scale(1f / sum, probs, off, V);
            }
        });
    }

    @Override
    public void softmaxBackward(float[] dlogits, float[] dprobs, float[] probs, int B, int T, int V) {
        forRows(B * T, V, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * V;
                float d = dot(dprobs, off, probs, off, V);
                for (int v = 0; v < V; v++) {
                    dlogits[off + v] += probs[off + v] * (dprobs[off + v] - d);
                }
            }
        });
    }

    @Override
    public void logSoftmaxForward(float[] out, float[] logits, int B, int T, int V) {
        forRows(B * T, V, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * V;
                float max = rowMax(logits, off, V);
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(logits[off + v] - max);
                }
                float lse = (float) (max + Math.log(sum));
                for (int v = 0; v < V; v++) {
                    out[off + v] = logits[off + v] - lse;
                }
            }
        });
    }

    @Override
    public void logSoftmaxBackward(float[] dlogits, float[] dout, float[] out, int B, int T, int V) {
        forRows(B * T, V, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * V;
                float total = sumRange(dout, off, V);
                for (int v = 0; v < V; v++) {
                    dlogits[off + v] += dout[off + v] - (float) Math.exp(out[off + v]) * total;
                }
            }
        });
    }

    @Override
    public void crossEntropyForward(float[] losses, float[] probs, int[] targets, int B, int T, int V) {
        for (int r = 0; r < B * T; r++) {
            losses[r] = (float) -Math.log(probs[r * V + targets[r]]);
        }
    }

    @Override
    public void crossEntropySoftmaxBackward(
            float[] dlogits, float[] dlosses, float[] probs, int[] targets, int B, int T, int V) {
        forRows(B * T, V, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * V;
                float dl = dlosses[r];
                float pt = probs[off + targets[r]];
                axpy(dl, probs, off, dlogits, off, V);
                // the target column gets (p − 1)·dl instead of p·dl
                dlogits[off + targets[r]] += (pt - 1f) * dl - pt * dl;
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // normalization

    @Override
    public void layerNormForward(
            float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias, int B, int T, int C) {
        forRows(B * T, C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * C;
                float mu = sumRange(inp, off, C) / C;
                float ss = 0f;
                for (int i = 0; i < C; i++) {
                    float d = inp[off + i] - mu;
                    ss += d * d;
                }
                float rs = (float) (1.0 / Math.sqrt(ss / C + NORM_EPS));
                for (int i = 0; i < C; i++) {
                    float n = (inp[off + i] - mu) * rs;
                    out[off + i] = n * weight[i] + (bias == null ? 0f : bias[i]);
                }
                mean[r] = mu;
                rstd[r] = rs;
            }
        });
    }

    @Override
    public void layerNormBackward(
            float[] dinp,
            float[] dweight,
            float[] dbias,
            float[] dout,
            float[] inp,
            float[] weight,
            float[] mean,
            float[] rstd,
            int B,
            int T,
            int C) {
        int BT = B * T;
        forRows(BT, C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * C;
                float mu = mean[r];
                float rs = rstd[r];
                float dnormMean = 0f;
                float dnormNormMean = 0f;
                for (int i = 0; i < C; i++) {
                    float dnorm = weight[i] * dout[off + i];
                    dnormMean += dnorm;
                    dnormNormMean += dnorm * (inp[off + i] - mu) * rs;
                }
                dnormMean /= C;
                dnormNormMean /= C;
                for (int i = 0; i < C; i++) {
                    float norm = (inp[off + i] - mu) * rs;
                    float dnorm = weight[i] * dout[off + i];
                    dinp[off + i] += (dnorm - dnormMean - norm * dnormNormMean) * rs;
                }
            }
        });
        // parameter gradients: column blocks, rows accumulated in order
        int cb = 256;
        par.forEach(Parallel.blocks(C, cb), blk -> {
            int i0 = blk * cb;
            int i1 = Math.min(C, i0 + cb);
            for (int r = 0; r < BT; r++) {
                int off = r * C;
                float mu = mean[r];
                float rs = rstd[r];
                for (int i = i0; i < i1; i++) {
                    dweight[i] += (inp[off + i] - mu) * rs * dout[off + i];
                    if (dbias != null) {
                        dbias[i] += dout[off + i];
                    }
                }
            }
        });
    }

    @Override
    public void rmsNormForward(float[] out, float[] rstd, float[] inp, float[] weight, int B, int T, int C) {
        forRows(B * T, C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * C;
                float ss = dot(inp, off, inp, off, C);
                float rs = (float) (1.0 / Math.sqrt(ss / C + NORM_EPS));
                for (int i = 0; i < C; i++) {
                    out[off + i] = inp[off + i] * rs * weight[i];
                }
                rstd[r] = rs;
            }
        });
    }

    @Override
    public void rmsNormBackward(
            float[] dinp,
            float[] dweight,
            float[] dout,
            float[] inp,
            float[] weight,
            float[] rstd,
            int B,
            int T,
            int C) {
        int BT = B * T;
        forRows(BT, C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * C;
                float rs = rstd[r];
                float d = 0f;
                for (int i = 0; i < C; i++) {
                    d += dout[off + i] * weight[i] * inp[off + i];
                }
                float k = rs * rs * rs * d / C;
                for (int i = 0; i < C; i++) {
                    dinp[off + i] += rs * weight[i] * dout[off + i] - inp[off + i] * k;
                }
            }
        });
        int cb = 256;
        par.forEach(Parallel.blocks(C, cb), blk -> {
            int i0 = blk * cb;
            int i1 = Math.min(C, i0 + cb);
            for (int r = 0; r < BT; r++) {
                int off = r * C;
                float rs = rstd[r];
                for (int i = i0; i < i1; i++) {
                    dweight[i] += dout[off + i] * inp[off + i] * rs;
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // activations

    private static final float GELU_K = (float) Math.sqrt(2.0 / Math.PI);

    private void forChunks(int n, RowBlock body) {
        par.forEach(Parallel.blocks(n, CHUNK), blk -> body.run(blk * CHUNK, Math.min(n, (blk + 1) * CHUNK)));
    }

    @Override
    public void geluForward(float[] out, float[] inp, int N) {
        forChunks(N, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float x = inp[i];
                out[i] = 0.5f * x * (1f + (float) Math.tanh(GELU_K * (x + 0.044715f * x * x * x)));
            }
        });
    }

    @Override
    public void geluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        forChunks(N, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float x = inp[i];
                float th = (float) Math.tanh(GELU_K * (x + 0.044715f * x * x * x));
                float sech2 = 1f - th * th;
                float grad = 0.5f * (1f + th) + 0.5f * x * sech2 * GELU_K * (1f + 3f * 0.044715f * x * x);
                dinp[i] += grad * dout[i];
            }
        });
    }

    private static float sigmoidF(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    @Override
    public void siluForward(float[] out, float[] inp, int N) {
        forChunks(N, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                out[i] = inp[i] * sigmoidF(inp[i]);
            }
        });
    }

    @Override
    public void siluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        forChunks(N, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float s = sigmoidF(inp[i]);
                dinp[i] += dout[i] * s * (1f + inp[i] * (1f - s));
            }
        });
    }

    @Override
    public void swigluForward(float[] out, float[] gate, float[] up, int N) {
        forChunks(N, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                out[i] = gate[i] * sigmoidF(gate[i]) * up[i];
            }
        });
    }

    @Override
    public void swigluBackward(float[] dgate, float[] dup, float[] dout, float[] gate, float[] up, int N) {
        forChunks(N, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float s = sigmoidF(gate[i]);
                dup[i] += dout[i] * gate[i] * s;
                dgate[i] += dout[i] * up[i] * s * (1f + gate[i] * (1f - s));
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // attention, embeddings

    @Override
    public void attentionForward(float[] out, float[] preatt, float[] att, float[] inp, int B, int T, int C, int NH) {
        int C3 = 3 * C;
        int hs = C / NH;
        float scale = (float) (1.0 / Math.sqrt(hs));
        // one task per (b, h): disjoint slices of out, preatt, att
        par.forEach(B * NH, bh -> {
            int b = bh / NH;
            int h = bh % NH;
            for (int t = 0; t < T; t++) {
                int q = b * T * C3 + t * C3 + h * hs;
                int row = (bh * T + t) * T;
                float max = Float.NEGATIVE_INFINITY;
                for (int t2 = 0; t2 <= t; t2++) {
                    float s = dot(inp, q, inp, b * T * C3 + t2 * C3 + h * hs + C, hs) * scale;
                    preatt[row + t2] = s;
                    max = Math.max(max, s);
                }
                float sum = 0f;
                for (int t2 = 0; t2 <= t; t2++) {
                    float e = (float) Math.exp(preatt[row + t2] - max);
                    att[row + t2] = e;
                    sum += e;
                }
                float inv = 1f / sum;
                for (int t2 = 0; t2 < T; t2++) {
                    if (t2 <= t) {
                        att[row + t2] *= inv;
                    } else {
                        att[row + t2] = 0f;
                        preatt[row + t2] = 0f;
                    }
                }
                int o = b * T * C + t * C + h * hs;
                java.util.Arrays.fill(out, o, o + hs, 0f);
                for (int t2 = 0; t2 <= t; t2++) {
                    axpy(att[row + t2], inp, b * T * C3 + t2 * C3 + h * hs + 2 * C, out, o, hs);
                }
            }
        });
    }

    @Override
    public void attentionBackward(
            float[] dinp,
            float[] dpreatt,
            float[] datt,
            float[] dout,
            float[] inp,
            float[] att,
            int B,
            int T,
            int C,
            int NH) {
        int C3 = 3 * C;
        int hs = C / NH;
        float scale = (float) (1.0 / Math.sqrt(hs));
        // one task per (b, h): a head's q, k, v gradients lie in its own slice of dinp
        par.forEach(B * NH, bh -> {
            int b = bh / NH;
            int h = bh % NH;
            for (int t = 0; t < T; t++) {
                int row = (bh * T + t) * T;
                int q = b * T * C3 + t * C3 + h * hs;
                int o = b * T * C + t * C + h * hs;
                for (int t2 = 0; t2 <= t; t2++) {
                    int v = b * T * C3 + t2 * C3 + h * hs + 2 * C;
                    datt[row + t2] += dot(inp, v, dout, o, hs);
                    axpy(att[row + t2], dout, o, dinp, v, hs);
                }
                float d = dot(att, row, datt, row, t + 1);
                for (int t3 = 0; t3 <= t; t3++) {
                    dpreatt[row + t3] += att[row + t3] * (datt[row + t3] - d);
                }
                for (int t2 = 0; t2 <= t; t2++) {
                    int k = b * T * C3 + t2 * C3 + h * hs + C;
                    float g = dpreatt[row + t2] * scale;
                    axpy(g, inp, k, dinp, q, hs);
                    axpy(g, inp, q, dinp, k, hs);
                }
            }
        });
    }

    @Override
    public void embeddingForward(float[] out, int[] tokens, float[] wte, int B, int T, int C) {
        forRows(B * T, C, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                System.arraycopy(wte, tokens[r] * C, out, r * C, C);
            }
        });
    }

    @Override
    public void embeddingBackward(float[] dwte, float[] dout, int[] tokens, int B, int T, int C) {
        // column blocks: each task owns columns [i0, i1) of every row of dwte and adds positions in (b,t) order
        int cb = 128;
        int BT = B * T;
        par.forEach(Parallel.blocks(C, cb), blk -> {
            int i0 = blk * cb;
            int n = Math.min(C, i0 + cb) - i0;
            for (int bt = 0; bt < BT; bt++) {
                axpy(1f, dout, bt * C + i0, dwte, tokens[bt] * C + i0, n);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // top-k mask

    @Override
    public void topKMaskForward(float[] out, float[] mask, float[] inp, int rows, int cols, int k) {
        forRows(rows, cols, (r0, r1) -> {
            float[] mags = new float[cols];
            for (int r = r0; r < r1; r++) {
                int off = r * cols;
                java.util.Arrays.fill(out, off, off + cols, 0f);
                java.util.Arrays.fill(mask, off, off + cols, 0f);
                if (k == 0) {
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    mags[j] = Math.abs(inp[off + j]);
                }
                java.util.Arrays.sort(mags);
                float thr = mags[cols - k]; // the k-th largest magnitude
                int above = 0;
                for (int j = 0; j < cols; j++) {
                    if (Math.abs(inp[off + j]) > thr) {
                        above++;
                    }
                }
                int ties = k - above; // entries equal to thr kept, lowest columns first
                for (int j = 0; j < cols; j++) {
                    float a = Math.abs(inp[off + j]);
                    if (a > thr || (a == thr && ties-- > 0)) {
                        out[off + j] = inp[off + j];
                        mask[off + j] = 1f;
                    }
                }
            }
        });
    }

    @Override
    public void topKMaskBackward(float[] dinp, float[] dout, float[] mask, int rows, int cols) {
        forChunks(rows * cols, (i0, i1) -> {
            int i = i0;
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += VL) {
                FloatVector.fromArray(S, dout, i)
                        .fma(FloatVector.fromArray(S, mask, i), FloatVector.fromArray(S, dinp, i))
                        .intoArray(dinp, i);
            }
            for (; i < i1; i++) {
                dinp[i] += dout[i] * mask[i];
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Newton–Schulz, statistics, reductions

    @Override
    public void newtonSchulz5(float[] out, float[] g, int m, int n) {
        boolean tall = m > n;
        int r = Math.min(m, n);
        int c = Math.max(m, n);
        float[] x = new float[r * c];
        if (tall) {
            transpose(x, g, m, n);
        } else {
            System.arraycopy(g, 0, x, 0, r * c);
        }
        float inv = (float) (1.0 / (Math.sqrt(sumSquares(x, r * c)) + NS_EPS));
        forChunks(r * c, (i0, i1) -> scale(inv, x, i0, i1 - i0));
        float[] a = new float[r * r];
        float[] bm = new float[r * r];
        float[] xn = new float[r * c];
        float[] cur = x;
        for (int step = 0; step < NS_STEPS; step++) {
            Sgemm.gemm(par, a, cur, cur, r, r, c, false, true, 1f, 0f); // A = X·Xᵀ
            Sgemm.gemm(par, bm, a, a, r, r, r, false, false, NS_C, 0f); // B = c·A·A
            forChunks(r * r, (i0, i1) -> axpy(NS_B, a, i0, bm, i0, i1 - i0)); // B += b·A
            System.arraycopy(cur, 0, xn, 0, r * c);
            Sgemm.gemm(par, xn, bm, cur, r, c, r, false, false, 1f, NS_A); // X = a·X + B·X
            float[] t = cur;
            cur = xn;
            xn = t;
        }
        if (tall) {
            transpose(out, cur, r, c);
        } else {
            System.arraycopy(cur, 0, out, 0, r * c);
        }
    }

    /** dst (cols,rows) = srcᵀ for src (rows,cols), in 32×32 tiles. */
    private void transpose(float[] dst, float[] src, int rows, int cols) {
        int tb = 32;
        par.forEach(Parallel.blocks(rows, tb), blk -> {
            int i0 = blk * tb;
            int i1 = Math.min(rows, i0 + tb);
            for (int j0 = 0; j0 < cols; j0 += tb) {
                int j1 = Math.min(cols, j0 + tb);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        dst[j * rows + i] = src[i * cols + j];
                    }
                }
            }
        });
    }

    /** Σ x² in double over fixed blocks, blocks added in order. */
    private double sumSquares(float[] x, int n) {
        double[] partial = new double[Parallel.blocks(n, CHUNK)];
        forChunks(n, (i0, i1) -> partial[i0 / CHUNK] = dot(x, i0, x, i0, i1 - i0));
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    @Override
    public void rowNorms(float[] norms, float[] inp, int rows, int cols) {
        forRows(rows, cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                norms[r] = (float) Math.sqrt(dot(inp, r * cols, inp, r * cols, cols));
            }
        });
    }

    @Override
    public float rowNormCv(float[] inp, int rows, int cols) {
        float[] norms = new float[rows];
        rowNorms(norms, inp, rows, cols);
        return cv(norms);
    }

    @Override
    public float sum(float[] inp, int N) {
        double[] partial = new double[Parallel.blocks(N, CHUNK)];
        forChunks(N, (i0, i1) -> partial[i0 / CHUNK] = sumRange(inp, i0, i1 - i0));
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return (float) s;
    }

    @Override
    public float max(float[] inp, int N) {
        float[] partial = new float[Parallel.blocks(N, CHUNK)];
        forChunks(N, (i0, i1) -> {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            int i = i0;
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += VL) {
                acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, inp, i));
            }
            float m = Float.NEGATIVE_INFINITY;
            for (float x : acc.toArray()) {
                m = Math.max(m, x);
            }
            for (; i < i1; i++) {
                m = Math.max(m, inp[i]);
            }
            partial[i0 / CHUNK] = m;
        });
        float m = Float.NEGATIVE_INFINITY;
        for (float p : partial) {
            m = Math.max(m, p);
        }
        return m;
    }

    @Override
    public float mean(float[] inp, int N) {
        return N == 0 ? Float.NaN : (float) ((double) sum(inp, N) / N);
    }

    // ---------------------------------------------------------------------------------------------
    // optimizers

    @Override
    public void adamwUpdate(
            float[] params,
            float[] m,
            float[] v,
            float[] update,
            float[] grads,
            int N,
            int t,
            float lr,
            float beta1,
            float beta2,
            float eps,
            float weightDecay) {
        // AdamW (Loshchilov & Hutter 2019, decoupled weight decay), as PyTorch's torch.optim.AdamW.
        float c1 = AdamwBiasCorrection.inverse(beta1, t); // 1 / bias correction of the first moment
        float c2 = AdamwBiasCorrection.inverse(beta2, t); // 1 / bias correction of the second moment
        float decay = 1f - lr * weightDecay; // decoupled weight decay factor
        float ob1 = 1f - beta1;
        float ob2 = 1f - beta2;
        forChunks(N, (i0, i1) -> {
            int i = i0;
            for (int bound = i0 + S.loopBound(i1 - i0); i < bound; i += VL) {
                FloatVector g = FloatVector.fromArray(S, grads, i);
                FloatVector mi = FloatVector.fromArray(S, m, i).mul(beta1).add(g.mul(ob1)); // m = β1·m + (1−β1)·g
                FloatVector vi =
                        FloatVector.fromArray(S, v, i).mul(beta2).add(g.mul(g).mul(ob2)); // v = β2·v + (1−β2)·g²
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                FloatVector u = mi.mul(c1) // m̂ = m / (1−β1^t)
                        .div(vi.mul(c2).sqrt().add(eps)); // u = m̂ / (√v̂ + eps)
                if (update != null) {
                    u.intoArray(update, i);
                }
                FloatVector.fromArray(S, params, i)
                        .mul(decay)
                        .sub(u.mul(lr))
                        .intoArray(params, i); // W = W·(1−lr·wd) − lr·u
            }
            for (; i < i1; i++) {
                float g = grads[i];
                m[i] = beta1 * m[i] + ob1 * g;
                v[i] = beta2 * v[i] + (g * g) * ob2;
                float u = m[i] * c1 / ((float) Math.sqrt(v[i] * c2) + eps);
                if (update != null) {
                    update[i] = u;
                }
                params[i] = params[i] * decay - u * lr;
            }
        });
    }

    /** M = β·M + (1−β)·g in place; returns U = (1−β)·g + β·M (Nesterov) or M. */
    private float[] muonDirection(float[] momentum, float[] grads, int len, float beta, boolean nesterov) {
        float[] u = new float[len];
        float ob = 1f - beta;
        forChunks(len, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                momentum[i] = beta * momentum[i] + ob * grads[i]; // momentum buffer
                u[i] = nesterov ? ob * grads[i] + beta * momentum[i] : momentum[i]; // Nesterov look-ahead
            }
        });
        return u;
    }

    /** W ← W·(1 − lr·wd) − lr·(s·O); update ← s·O when given. */
    private void apply(float[] params, float[] update, float[] o, float s, int len, float lr, float wd) {
        float decay = 1f - lr * wd;
        forChunks(len, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float dir = o[i] * s;
                if (update != null) {
                    update[i] = dir;
                }
                params[i] = params[i] * decay - lr * dir;
            }
        });
    }

    @Override
    public void muonUpdate(
            float[] params,
            float[] momentum,
            float[] update,
            float[] grads,
            int m,
            int n,
            float lr,
            float beta,
            boolean nesterov,
            float weightDecay,
            MuonScale scale) {
        // Muon (Jordan et al. 2024), SEEDS.md §1.
        float[] u = muonDirection(momentum, grads, m * n, beta, nesterov);
        newtonSchulz5(u, u, m, n); // O = NS5(U), in place
        apply(params, update, u, scale.factor(m, n), m * n, lr, weightDecay);
    }

    @Override
    public void normuonUpdate(
            float[] params,
            float[] momentum,
            float[] secondMoment,
            float[] update,
            float[] grads,
            int m,
            int n,
            float lr,
            float beta,
            float beta2,
            float eps,
            boolean nesterov,
            float weightDecay,
            MuonScale scale) {
        // NorMuon (2025), SEEDS.md §1.
        float[] o = muonDirection(momentum, grads, m * n, beta, nesterov);
        newtonSchulz5(o, o, m, n); // O = NS5(U)
        double n0 = Math.sqrt(sumSquares(o, m * n)); // n0 = ‖O‖_F
        forRows(m, n, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float meanSq = dot(o, r * n, o, r * n, n) / n; // rowmean(O ⊙ O)
                secondMoment[r] = beta2 * secondMoment[r] + (1 - beta2) * meanSq; // v = β2·v + (1−β2)·rowmean
                scale((float) (1.0 / (Math.sqrt(secondMoment[r]) + eps)), o, r * n, n); // O = O / (√v + eps), row-wise
            }
        });
        double n1 = Math.sqrt(sumSquares(o, m * n));
        float renorm = (float) (n0 / (n1 + eps)); // restore Muon's Frobenius norm
        apply(params, update, o, renorm * scale.factor(m, n), m * n, lr, weightDecay);
    }
}
