package dev.replica.kernels.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Replica's kernels in TornadoVM's programming model: static methods over {@link FloatArray}s, either
 * loop-parallel ({@code @Parallel} loops; TornadoVM maps each iteration to a device thread) or
 * kernel-parallel ({@link KernelContext} with a grid). Shapes follow {@link dev.replica.kernels.KernelBackend};
 * flags are ints (1 = yes) because kernels take only scalars and arrays. Each output element is written by
 * exactly one iteration/work-item and sums run in a fixed order, so results are deterministic on a device too.
 */
public final class TornadoKernels {

    /** Tile edge of {@link #gemmTiled}; its work-groups are TILE×TILE work-items. */
    public static final int TILE = 16;

    private static final float GELU_K = 0.7978845608028654f; // √(2/π)

    private TornadoKernels() {}

    // ---------------------------------------------------------------------------------------------
    // GEMM: c (M,N) = alpha·op(a)·op(b) + beta·c; x = column j, y = row i

    private static float opA(FloatArray a, int i, int k, int M, int K, int transA) {
        return transA == 1 ? a.get(k * M + i) : a.get(i * K + k);
    }

    private static float opB(FloatArray b, int k, int j, int N, int K, int transB) {
        return transB == 1 ? b.get(j * K + k) : b.get(k * N + j);
    }

    /** One work-item per element of c; the global grid is (N, M). */
    public static void gemm(
            KernelContext ctx,
            FloatArray c,
            FloatArray a,
            FloatArray b,
            int M,
            int N,
            int K,
            int transA,
            int transB,
            float alpha,
            float beta) {
        int j = ctx.globalIdx;
        int i = ctx.globalIdy;
        if (i < M && j < N) {
            float acc = 0f;
            for (int k = 0; k < K; k++) {
                acc += opA(a, i, k, M, K, transA) * opB(b, k, j, N, K, transB);
            }
            float prev = beta == 0f ? 0f : beta * c.get(i * N + j);
            c.set(i * N + j, alpha * acc + prev);
        }
    }

    /**
     * Local-memory tiled GEMM: each TILE×TILE work-group stages a tile of op(a) and op(b) per k-step, separated
     * by barriers. The global grid is (N, M) rounded up to multiples of TILE; out-of-range loads read 0.
     */
    public static void gemmTiled(
            KernelContext ctx,
            FloatArray c,
            FloatArray a,
            FloatArray b,
            int M,
            int N,
            int K,
            int transA,
            int transB,
            float alpha,
            float beta) {
        float[] as = ctx.allocateFloatLocalArray(TILE * TILE);
        float[] bs = ctx.allocateFloatLocalArray(TILE * TILE);
        int tx = ctx.localIdx;
        int ty = ctx.localIdy;
        int j = ctx.globalIdx;
        int i = ctx.globalIdy;
        float acc = 0f;
        for (int k0 = 0; k0 < K; k0 += TILE) {
            int ka = k0 + tx;
            int kb = k0 + ty;
            as[ty * TILE + tx] = (i < M && ka < K) ? opA(a, i, ka, M, K, transA) : 0f;
            bs[ty * TILE + tx] = (kb < K && j < N) ? opB(b, kb, j, N, K, transB) : 0f;
            ctx.localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                acc += as[ty * TILE + kk] * bs[kk * TILE + tx];
            }
            ctx.localBarrier();
        }
        if (i < M && j < N) {
            float prev = beta == 0f ? 0f : beta * c.get(i * N + j);
            c.set(i * N + j, alpha * acc + prev);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // linear layer

    public static void matmulForward(
            FloatArray out, FloatArray inp, FloatArray weight, FloatArray bias, int hasBias, int BT, int C, int OC) {
        for (@Parallel int bt = 0; bt < BT; bt++) {
            for (@Parallel int o = 0; o < OC; o++) {
                float acc = hasBias == 1 ? bias.get(o) : 0f;
                for (int i = 0; i < C; i++) {
                    acc += inp.get(bt * C + i) * weight.get(o * C + i);
                }
                out.set(bt * OC + o, acc);
            }
        }
    }

    public static void matmulBackwardInput(FloatArray dinp, FloatArray dout, FloatArray weight, int BT, int C, int OC) {
        for (@Parallel int bt = 0; bt < BT; bt++) {
            for (@Parallel int i = 0; i < C; i++) {
                float acc = 0f;
                for (int o = 0; o < OC; o++) {
                    acc += dout.get(bt * OC + o) * weight.get(o * C + i);
                }
                dinp.set(bt * C + i, dinp.get(bt * C + i) + acc);
            }
        }
    }

    public static void matmulBackwardWeight(
            FloatArray dweight, FloatArray dout, FloatArray inp, int BT, int C, int OC) {
        for (@Parallel int o = 0; o < OC; o++) {
            for (@Parallel int i = 0; i < C; i++) {
                float acc = 0f;
                for (int bt = 0; bt < BT; bt++) {
                    acc += dout.get(bt * OC + o) * inp.get(bt * C + i);
                }
                dweight.set(o * C + i, dweight.get(o * C + i) + acc);
            }
        }
    }

    public static void matmulBackwardBias(FloatArray dbias, FloatArray dout, int BT, int OC) {
        for (@Parallel int o = 0; o < OC; o++) {
            float acc = 0f;
            for (int bt = 0; bt < BT; bt++) {
                acc += dout.get(bt * OC + o);
            }
            dbias.set(o, dbias.get(o) + acc);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // softmax family (rows of length V)

    public static void softmaxForward(FloatArray probs, FloatArray logits, int rows, int V) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * V;
            float max = logits.get(off);
            for (int v = 1; v < V; v++) {
                max = TornadoMath.max(max, logits.get(off + v));
            }
            float sum = 0f;
            for (int v = 0; v < V; v++) {
                float e = TornadoMath.exp(logits.get(off + v) - max);
                probs.set(off + v, e);
                sum += e;
            }
            float inv = 1f / sum;
            for (int v = 0; v < V; v++) {
                probs.set(off + v, probs.get(off + v) * inv);
            }
        }
    }

    public static void softmaxBackward(FloatArray dlogits, FloatArray dprobs, FloatArray probs, int rows, int V) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * V;
            float dot = 0f;
            for (int v = 0; v < V; v++) {
                dot += dprobs.get(off + v) * probs.get(off + v);
            }
            for (int v = 0; v < V; v++) {
                dlogits.set(off + v, dlogits.get(off + v) + probs.get(off + v) * (dprobs.get(off + v) - dot));
            }
        }
    }

    public static void logSoftmaxForward(FloatArray out, FloatArray logits, int rows, int V) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * V;
            float max = logits.get(off);
            for (int v = 1; v < V; v++) {
                max = TornadoMath.max(max, logits.get(off + v));
            }
            float sum = 0f;
            for (int v = 0; v < V; v++) {
                sum += TornadoMath.exp(logits.get(off + v) - max);
            }
            float lse = max + TornadoMath.log(sum);
            for (int v = 0; v < V; v++) {
                out.set(off + v, logits.get(off + v) - lse);
            }
        }
    }

    public static void logSoftmaxBackward(FloatArray dlogits, FloatArray dout, FloatArray out, int rows, int V) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * V;
            float total = 0f;
            for (int v = 0; v < V; v++) {
                total += dout.get(off + v);
            }
            for (int v = 0; v < V; v++) {
                dlogits.set(
                        off + v, dlogits.get(off + v) + dout.get(off + v) - TornadoMath.exp(out.get(off + v)) * total);
            }
        }
    }

    public static void crossEntropyForward(FloatArray losses, FloatArray probs, IntArray targets, int rows, int V) {
        for (@Parallel int r = 0; r < rows; r++) {
            losses.set(r, -TornadoMath.log(probs.get(r * V + targets.get(r))));
        }
    }

    public static void crossEntropySoftmaxBackward(
            FloatArray dlogits, FloatArray dlosses, FloatArray probs, IntArray targets, int rows, int V) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int v = 0; v < V; v++) {
                float indicator = v == targets.get(r) ? 1f : 0f;
                int i = r * V + v;
                dlogits.set(i, dlogits.get(i) + (probs.get(i) - indicator) * dlosses.get(r));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // normalization

    public static void layerNormForward(
            FloatArray out,
            FloatArray mean,
            FloatArray rstd,
            FloatArray inp,
            FloatArray weight,
            FloatArray bias,
            int hasBias,
            int rows,
            int C) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * C;
            float s = 0f;
            for (int i = 0; i < C; i++) {
                s += inp.get(off + i);
            }
            float mu = s / C;
            float ss = 0f;
            for (int i = 0; i < C; i++) {
                float d = inp.get(off + i) - mu;
                ss += d * d;
            }
            float rs = 1f / TornadoMath.sqrt(ss / C + 1e-5f);
            for (int i = 0; i < C; i++) {
                float b = hasBias == 1 ? bias.get(i) : 0f;
                out.set(off + i, (inp.get(off + i) - mu) * rs * weight.get(i) + b);
            }
            mean.set(r, mu);
            rstd.set(r, rs);
        }
    }

    public static void layerNormBackwardInput(
            FloatArray dinp,
            FloatArray dout,
            FloatArray inp,
            FloatArray weight,
            FloatArray mean,
            FloatArray rstd,
            int rows,
            int C) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * C;
            float mu = mean.get(r);
            float rs = rstd.get(r);
            float dm = 0f;
            float dnm = 0f;
            for (int i = 0; i < C; i++) {
                float dnorm = weight.get(i) * dout.get(off + i);
                dm += dnorm;
                dnm += dnorm * (inp.get(off + i) - mu) * rs;
            }
            dm = dm / C;
            dnm = dnm / C;
            for (int i = 0; i < C; i++) {
                float norm = (inp.get(off + i) - mu) * rs;
                float dnorm = weight.get(i) * dout.get(off + i);
                dinp.set(off + i, dinp.get(off + i) + (dnorm - dm - norm * dnm) * rs);
            }
        }
    }

    public static void layerNormBackwardParams(
            FloatArray dweight,
            FloatArray dbias,
            int hasBias,
            FloatArray dout,
            FloatArray inp,
            FloatArray mean,
            FloatArray rstd,
            int rows,
            int C) {
        for (@Parallel int i = 0; i < C; i++) {
            float dw = 0f;
            float db = 0f;
            for (int r = 0; r < rows; r++) {
                float d = dout.get(r * C + i);
                dw += (inp.get(r * C + i) - mean.get(r)) * rstd.get(r) * d;
                db += d;
            }
            dweight.set(i, dweight.get(i) + dw);
            if (hasBias == 1) {
                dbias.set(i, dbias.get(i) + db);
            }
        }
    }

    public static void rmsNormForward(
            FloatArray out, FloatArray rstd, FloatArray inp, FloatArray weight, int rows, int C) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * C;
            float ss = 0f;
            for (int i = 0; i < C; i++) {
                ss += inp.get(off + i) * inp.get(off + i);
            }
            float rs = 1f / TornadoMath.sqrt(ss / C + 1e-5f);
            for (int i = 0; i < C; i++) {
                out.set(off + i, inp.get(off + i) * rs * weight.get(i));
            }
            rstd.set(r, rs);
        }
    }

    public static void rmsNormBackwardInput(
            FloatArray dinp, FloatArray dout, FloatArray inp, FloatArray weight, FloatArray rstd, int rows, int C) {
        for (@Parallel int r = 0; r < rows; r++) {
            int off = r * C;
            float rs = rstd.get(r);
            float d = 0f;
            for (int i = 0; i < C; i++) {
                d += dout.get(off + i) * weight.get(i) * inp.get(off + i);
            }
            float k = rs * rs * rs * d / C;
            for (int i = 0; i < C; i++) {
                dinp.set(off + i, dinp.get(off + i) + rs * weight.get(i) * dout.get(off + i) - inp.get(off + i) * k);
            }
        }
    }

    public static void rmsNormBackwardWeight(
            FloatArray dweight, FloatArray dout, FloatArray inp, FloatArray rstd, int rows, int C) {
        for (@Parallel int i = 0; i < C; i++) {
            float dw = 0f;
            for (int r = 0; r < rows; r++) {
                dw += dout.get(r * C + i) * inp.get(r * C + i) * rstd.get(r);
            }
            dweight.set(i, dweight.get(i) + dw);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // activations

    public static void geluForward(FloatArray out, FloatArray inp, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            float x = inp.get(i);
            out.set(i, 0.5f * x * (1f + TornadoMath.tanh(GELU_K * (x + 0.044715f * x * x * x))));
        }
    }

    public static void geluBackward(FloatArray dinp, FloatArray dout, FloatArray inp, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            float x = inp.get(i);
            float th = TornadoMath.tanh(GELU_K * (x + 0.044715f * x * x * x));
            float grad = 0.5f * (1f + th) + 0.5f * x * (1f - th * th) * GELU_K * (1f + 3f * 0.044715f * x * x);
            dinp.set(i, dinp.get(i) + grad * dout.get(i));
        }
    }

    private static float sigmoid(float x) {
        return 1f / (1f + TornadoMath.exp(-x));
    }

    public static void siluForward(FloatArray out, FloatArray inp, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            out.set(i, inp.get(i) * sigmoid(inp.get(i)));
        }
    }

    public static void siluBackward(FloatArray dinp, FloatArray dout, FloatArray inp, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            float x = inp.get(i);
            float s = sigmoid(x);
            dinp.set(i, dinp.get(i) + dout.get(i) * s * (1f + x * (1f - s)));
        }
    }

    public static void swigluForward(FloatArray out, FloatArray gate, FloatArray up, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            float g = gate.get(i);
            out.set(i, g * sigmoid(g) * up.get(i));
        }
    }

    public static void swigluBackward(
            FloatArray dgate, FloatArray dup, FloatArray dout, FloatArray gate, FloatArray up, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            float g = gate.get(i);
            float s = sigmoid(g);
            dup.set(i, dup.get(i) + dout.get(i) * g * s);
            dgate.set(i, dgate.get(i) + dout.get(i) * up.get(i) * s * (1f + g * (1f - s)));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // attention: one iteration per (b, t, h) forward; per (b, h) backward (k and v gradients gather over t)

    public static void attentionForward(
            FloatArray out, FloatArray preatt, FloatArray att, FloatArray inp, int B, int T, int C, int NH) {
        for (@Parallel int idx = 0; idx < B * T * NH; idx++) {
            int h = idx % NH;
            int t = (idx / NH) % T;
            int b = idx / (NH * T);
            int C3 = 3 * C;
            int hs = C / NH;
            float scale = 1f / TornadoMath.sqrt((float) hs);
            int q = b * T * C3 + t * C3 + h * hs;
            int row = ((b * NH + h) * T + t) * T;
            float max = -3.4e38f;
            for (int t2 = 0; t2 <= t; t2++) {
                int k = b * T * C3 + t2 * C3 + h * hs + C;
                float dot = 0f;
                for (int i = 0; i < hs; i++) {
                    dot += inp.get(q + i) * inp.get(k + i);
                }
                dot = dot * scale;
                preatt.set(row + t2, dot);
                max = TornadoMath.max(max, dot);
            }
            float sum = 0f;
            for (int t2 = 0; t2 <= t; t2++) {
                float e = TornadoMath.exp(preatt.get(row + t2) - max);
                att.set(row + t2, e);
                sum += e;
            }
            float inv = 1f / sum;
            for (int t2 = 0; t2 < T; t2++) {
                if (t2 <= t) {
                    att.set(row + t2, att.get(row + t2) * inv);
                } else {
                    att.set(row + t2, 0f);
                    preatt.set(row + t2, 0f);
                }
            }
            int o = b * T * C + t * C + h * hs;
            for (int i = 0; i < hs; i++) {
                float acc = 0f;
                for (int t2 = 0; t2 <= t; t2++) {
                    acc += att.get(row + t2) * inp.get(b * T * C3 + t2 * C3 + h * hs + 2 * C + i);
                }
                out.set(o + i, acc);
            }
        }
    }

    public static void attentionBackward(
            FloatArray dinp,
            FloatArray dpreatt,
            FloatArray datt,
            FloatArray dout,
            FloatArray inp,
            FloatArray att,
            int B,
            int T,
            int C,
            int NH) {
        for (@Parallel int bh = 0; bh < B * NH; bh++) {
            int b = bh / NH;
            int h = bh % NH;
            int C3 = 3 * C;
            int hs = C / NH;
            float scale = 1f / TornadoMath.sqrt((float) hs);
            for (int t = 0; t < T; t++) {
                int row = (bh * T + t) * T;
                int q = b * T * C3 + t * C3 + h * hs;
                int o = b * T * C + t * C + h * hs;
                for (int t2 = 0; t2 <= t; t2++) {
                    int v = b * T * C3 + t2 * C3 + h * hs + 2 * C;
                    float acc = 0f;
                    for (int i = 0; i < hs; i++) {
                        acc += inp.get(v + i) * dout.get(o + i);
                        dinp.set(v + i, dinp.get(v + i) + att.get(row + t2) * dout.get(o + i));
                    }
                    datt.set(row + t2, datt.get(row + t2) + acc);
                }
                float dot = 0f;
                for (int t2 = 0; t2 <= t; t2++) {
                    dot += att.get(row + t2) * datt.get(row + t2);
                }
                for (int t3 = 0; t3 <= t; t3++) {
                    dpreatt.set(row + t3, dpreatt.get(row + t3) + att.get(row + t3) * (datt.get(row + t3) - dot));
                }
                for (int t2 = 0; t2 <= t; t2++) {
                    int k = b * T * C3 + t2 * C3 + h * hs + C;
                    float g = dpreatt.get(row + t2) * scale;
                    for (int i = 0; i < hs; i++) {
                        dinp.set(q + i, dinp.get(q + i) + inp.get(k + i) * g);
                        dinp.set(k + i, dinp.get(k + i) + inp.get(q + i) * g);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // embeddings

    public static void embeddingForward(FloatArray out, IntArray tokens, FloatArray wte, int BT, int C) {
        for (@Parallel int bt = 0; bt < BT; bt++) {
            for (@Parallel int i = 0; i < C; i++) {
                out.set(bt * C + i, wte.get(tokens.get(bt) * C + i));
            }
        }
    }

    /** One iteration per column: positions are added in (b,t) order, so repeated tokens sum deterministically. */
    public static void embeddingBackward(FloatArray dwte, FloatArray dout, IntArray tokens, int BT, int C) {
        for (@Parallel int i = 0; i < C; i++) {
            for (int bt = 0; bt < BT; bt++) {
                int w = tokens.get(bt) * C + i;
                dwte.set(w, dwte.get(w) + dout.get(bt * C + i));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // top-k mask: keep entry j when fewer than k entries rank above it (|x| larger, or equal and lower column)

    public static void topKMask(FloatArray out, FloatArray mask, FloatArray inp, int rows, int cols, int k) {
        for (@Parallel int r = 0; r < rows; r++) {
            for (@Parallel int j = 0; j < cols; j++) {
                float aj = TornadoMath.abs(inp.get(r * cols + j));
                int rank = 0;
                for (int l = 0; l < cols; l++) {
                    float al = TornadoMath.abs(inp.get(r * cols + l));
                    if (al > aj || (al == aj && l < j)) {
                        rank++;
                    }
                }
                boolean keep = rank < k;
                out.set(r * cols + j, keep ? inp.get(r * cols + j) : 0f);
                mask.set(r * cols + j, keep ? 1f : 0f);
            }
        }
    }

    public static void maskedAccumulate(FloatArray dinp, FloatArray dout, FloatArray mask, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            dinp.set(i, dinp.get(i) + dout.get(i) * mask.get(i));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // building blocks: copies, transposes, block reductions, row norms

    public static void copy(FloatArray dst, FloatArray src, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            dst.set(i, src.get(i));
        }
    }

    /** dst (cols,rows) = srcᵀ for src (rows,cols). */
    public static void transpose(FloatArray dst, FloatArray src, int rows, int cols) {
        for (@Parallel int i = 0; i < rows; i++) {
            for (@Parallel int j = 0; j < cols; j++) {
                dst.set(j * rows + i, src.get(i * cols + j));
            }
        }
    }

    /** y += alpha·x. */
    public static void axpy(FloatArray y, FloatArray x, float alpha, int N) {
        for (@Parallel int i = 0; i < N; i++) {
            y.set(i, y.get(i) + alpha * x.get(i));
        }
    }

    /** partial[p] = Σ x² over block p of {@code block} elements (blocks summed on the host, in order). */
    public static void blockSumSquares(FloatArray partial, FloatArray x, int N, int block) {
        for (@Parallel int p = 0; p < partial.getSize(); p++) {
            float s = 0f;
            int end = TornadoMath.min(N, (p + 1) * block);
            for (int i = p * block; i < end; i++) {
                s += x.get(i) * x.get(i);
            }
            partial.set(p, s);
        }
    }

    public static void blockSums(FloatArray partial, FloatArray x, int N, int block) {
        for (@Parallel int p = 0; p < partial.getSize(); p++) {
            float s = 0f;
            int end = TornadoMath.min(N, (p + 1) * block);
            for (int i = p * block; i < end; i++) {
                s += x.get(i);
            }
            partial.set(p, s);
        }
    }

    /**
     * partial[p] = max over block p of the finite values (−Float.MAX_VALUE for a block without one). NaN and ±Inf
     * are left to the host: TornadoVM emits NaN/Inf literals as {@code NaNF}/{@code InfinityF}, which OpenCL
     * compilers reject, and compiles with {@code -cl-fast-relaxed-math} (finite math only), under which a device
     * may drop NaN comparisons altogether.
     */
    public static void blockMax(FloatArray partial, FloatArray x, int N, int block) {
        for (@Parallel int p = 0; p < partial.getSize(); p++) {
            float m = -3.4028235e38f;
            int end = TornadoMath.min(N, (p + 1) * block);
            for (int i = p * block; i < end; i++) {
                m = TornadoMath.max(m, x.get(i));
            }
            partial.set(p, m);
        }
    }

    /** x *= 1 / (sqrt(Σ partial) + eps), the sum of squares being computed in partial (in block order). */
    public static void scaleByInverseNorm(FloatArray x, FloatArray partial, int N, float eps) {
        for (@Parallel int i = 0; i < N; i++) {
            float ss = 0f;
            for (int p = 0; p < partial.getSize(); p++) {
                ss += partial.get(p);
            }
            x.set(i, x.get(i) * (1f / (TornadoMath.sqrt(ss) + eps)));
        }
    }

    public static void rowNorms(FloatArray norms, FloatArray inp, int rows, int cols) {
        for (@Parallel int r = 0; r < rows; r++) {
            float ss = 0f;
            for (int j = 0; j < cols; j++) {
                ss += inp.get(r * cols + j) * inp.get(r * cols + j);
            }
            norms.set(r, TornadoMath.sqrt(ss));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // optimizers

    /**
     * AdamW (Loshchilov &amp; Hutter 2019; PyTorch's torch.optim.AdamW). c1 = 1/(1−β1^t), c2 = 1/(1−β2^t) are the
     * bias corrections, computed once on the host.
     */
    public static void adamw(
            FloatArray params,
            FloatArray m,
            FloatArray v,
            FloatArray update,
            int hasUpdate,
            FloatArray grads,
            int N,
            float lr,
            float beta1,
            float beta2,
            float eps,
            float weightDecay,
            float c1,
            float c2) {
        for (@Parallel int i = 0; i < N; i++) {
            float g = grads.get(i);
            float mi = beta1 * m.get(i) + (1f - beta1) * g; // first moment
            float vi = beta2 * v.get(i) + (1f - beta2) * g * g; // second moment
            m.set(i, mi);
            v.set(i, vi);
            float u = mi * c1 / (TornadoMath.sqrt(vi * c2) + eps); // bias-corrected step direction
            if (hasUpdate == 1) {
                update.set(i, u);
            }
            params.set(i, params.get(i) * (1f - lr * weightDecay) - lr * u); // decoupled decay, then the step
        }
    }

    /** Muon momentum: M = β·M + (1−β)·g; U = (1−β)·g + β·M with Nesterov, else U = M. */
    public static void muonMomentum(
            FloatArray momentum, FloatArray u, FloatArray grads, int N, float beta, int nesterov) {
        for (@Parallel int i = 0; i < N; i++) {
            float mi = beta * momentum.get(i) + (1f - beta) * grads.get(i);
            momentum.set(i, mi);
            u.set(i, nesterov == 1 ? (1f - beta) * grads.get(i) + beta * mi : mi);
        }
    }

    /** NorMuon's per-row second moment: v = β2·v + (1−β2)·rowmean(O²); O = O / (√v + eps), row-wise. */
    public static void normuonRows(FloatArray o, FloatArray v, int rows, int cols, float beta2, float eps) {
        for (@Parallel int r = 0; r < rows; r++) {
            float ss = 0f;
            for (int j = 0; j < cols; j++) {
                ss += o.get(r * cols + j) * o.get(r * cols + j);
            }
            float vr = beta2 * v.get(r) + (1f - beta2) * (ss / cols);
            v.set(r, vr);
            float inv = 1f / (TornadoMath.sqrt(vr) + eps);
            for (int j = 0; j < cols; j++) {
                o.set(r * cols + j, o.get(r * cols + j) * inv);
            }
        }
    }

    /** W ← W·(1 − lr·wd) − lr·(s·O); update ← s·O when requested. */
    public static void applyUpdate(
            FloatArray params,
            FloatArray update,
            int hasUpdate,
            FloatArray o,
            float s,
            float lr,
            float weightDecay,
            int N) {
        for (@Parallel int i = 0; i < N; i++) {
            float dir = o.get(i) * s;
            if (hasUpdate == 1) {
                update.set(i, dir);
            }
            params.set(i, params.get(i) * (1f - lr * weightDecay) - lr * dir);
        }
    }
}
