package dev.replica.kernels.ops;

import dev.replica.kernels.AdamwBiasCorrection;
import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import java.util.Arrays;

/**
 * The specification of every kernel: plain, single-threaded, obviously-correct Java. Sums are
 * accumulated in double. Every other backend is held to this class by a parity test.
 *
 * <p>Buffer shapes and semantics are documented on {@link KernelBackend}; the comments here explain the
 * arithmetic.
 */
public class ReferenceKernels implements KernelBackend {

    /** Newton–Schulz quintic coefficients (Muon reference implementation, SEEDS.md §1). */
    public static final float NS_A = 3.4445f;

    public static final float NS_B = -4.7750f;
    public static final float NS_C = 2.0315f;
    /** Number of Newton–Schulz iterations. */
    public static final int NS_STEPS = 5;
    /** Frobenius-normalization epsilon before the iteration. */
    public static final float NS_EPS = 1e-7f;
    /** Layer-norm and RMS-norm epsilon. */
    public static final float NORM_EPS = 1e-5f;

    private static final float GELU_SCALE = (float) Math.sqrt(2.0 / Math.PI);

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public DeviceDescription deviceDescription() {
        return new DeviceDescription(
                "reference",
                "JVM (1 thread, scalar reference)",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                false);
    }

    // ---------------------------------------------------------------------------------------------

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
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                double acc = 0;
                for (int k = 0; k < K; k++) {
                    float aik = transA ? a[k * M + i] : a[i * K + k];
                    float bkj = transB ? b[j * K + k] : b[k * N + j];
                    acc += (double) aik * bkj;
                }
                // beta == 0 must not read c (it may hold NaN garbage), as in BLAS.
                c[i * N + j] =
                        beta == 0f ? (float) (alpha * acc) : (float) (alpha * acc + (double) beta * c[i * N + j]);
            }
        }
    }

    @Override
    public void matmulForward(float[] out, float[] inp, float[] weight, float[] bias, int B, int T, int C, int OC) {
        for (int bt = 0; bt < B * T; bt++) {
            for (int o = 0; o < OC; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < C; i++) {
                    acc += (double) inp[bt * C + i] * weight[o * C + i];
                }
                out[bt * OC + o] = (float) acc;
            }
        }
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
        // dinp[bt,i] += Σ_o dout[bt,o]·weight[o,i]
        for (int bt = 0; bt < BT; bt++) {
            for (int i = 0; i < C; i++) {
                double acc = 0;
                for (int o = 0; o < OC; o++) {
                    acc += (double) dout[bt * OC + o] * weight[o * C + i];
                }
                dinp[bt * C + i] += (float) acc;
            }
        }
        // dweight[o,i] += Σ_bt dout[bt,o]·inp[bt,i]
        for (int o = 0; o < OC; o++) {
            for (int i = 0; i < C; i++) {
                double acc = 0;
                for (int bt = 0; bt < BT; bt++) {
                    acc += (double) dout[bt * OC + o] * inp[bt * C + i];
                }
                dweight[o * C + i] += (float) acc;
            }
        }
        // dbias[o] += Σ_bt dout[bt,o]
        if (dbias != null) {
            for (int o = 0; o < OC; o++) {
                double acc = 0;
                for (int bt = 0; bt < BT; bt++) {
                    acc += dout[bt * OC + o];
                }
                dbias[o] += (float) acc;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void softmaxForward(float[] probs, float[] logits, int B, int T, int V) {
        for (int r = 0; r < B * T; r++) {
            int off = r * V;
            float max = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                max = Math.max(max, logits[off + v]);
            }
            double sum = 0;
            for (int v = 0; v < V; v++) {
                sum += Math.exp(logits[off + v] - max);
            }
            for (int v = 0; v < V; v++) {
                probs[off + v] = (float) (Math.exp(logits[off + v] - max) / sum);
            }
        }
    }

    @Override
    public void softmaxBackward(float[] dlogits, float[] dprobs, float[] probs, int B, int T, int V) {
        for (int r = 0; r < B * T; r++) {
            int off = r * V;
            double dot = 0;
            for (int v = 0; v < V; v++) {
                dot += (double) dprobs[off + v] * probs[off + v];
            }
            for (int v = 0; v < V; v++) {
                dlogits[off + v] += (float) (probs[off + v] * (dprobs[off + v] - dot));
            }
        }
    }

    @Override
    public void logSoftmaxForward(float[] out, float[] logits, int B, int T, int V) {
        for (int r = 0; r < B * T; r++) {
            int off = r * V;
            float max = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < V; v++) {
                max = Math.max(max, logits[off + v]);
            }
            double sum = 0;
            for (int v = 0; v < V; v++) {
                sum += Math.exp(logits[off + v] - max);
            }
            double lse = max + Math.log(sum);
            for (int v = 0; v < V; v++) {
                out[off + v] = (float) (logits[off + v] - lse);
            }
        }
    }

    @Override
    public void logSoftmaxBackward(float[] dlogits, float[] dout, float[] out, int B, int T, int V) {
        for (int r = 0; r < B * T; r++) {
            int off = r * V;
            double total = 0;
            for (int v = 0; v < V; v++) {
                total += dout[off + v];
            }
            for (int v = 0; v < V; v++) {
                dlogits[off + v] += (float) (dout[off + v] - Math.exp(out[off + v]) * total);
            }
        }
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
        for (int r = 0; r < B * T; r++) {
            for (int v = 0; v < V; v++) {
                float indicator = v == targets[r] ? 1f : 0f;
                dlogits[r * V + v] += (probs[r * V + v] - indicator) * dlosses[r];
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void layerNormForward(
            float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias, int B, int T, int C) {
        for (int r = 0; r < B * T; r++) {
            int off = r * C;
            double s = 0;
            for (int i = 0; i < C; i++) {
                s += inp[off + i];
            }
            double mu = s / C;
            double ss = 0;
            for (int i = 0; i < C; i++) {
                double d = inp[off + i] - mu;
                ss += d * d;
            }
            double rs = 1.0 / Math.sqrt(ss / C + NORM_EPS);
            for (int i = 0; i < C; i++) {
                double norm = (inp[off + i] - mu) * rs;
                out[off + i] = (float) (norm * weight[i] + (bias == null ? 0 : bias[i]));
            }
            mean[r] = (float) mu;
            rstd[r] = (float) rs;
        }
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
        for (int r = 0; r < B * T; r++) {
            int off = r * C;
            double mu = mean[r];
            double rs = rstd[r];
            // Two reductions: mean of dnorm and mean of dnorm·norm, with dnorm = weight·dout.
            double dnormMean = 0;
            double dnormNormMean = 0;
            for (int i = 0; i < C; i++) {
                double norm = (inp[off + i] - mu) * rs;
                double dnorm = (double) weight[i] * dout[off + i];
                dnormMean += dnorm;
                dnormNormMean += dnorm * norm;
            }
            dnormMean /= C;
            dnormNormMean /= C;
            for (int i = 0; i < C; i++) {
                double norm = (inp[off + i] - mu) * rs;
                double dnorm = (double) weight[i] * dout[off + i];
                if (dbias != null) {
                    dbias[i] += dout[off + i];
                }
                dweight[i] += (float) (norm * dout[off + i]);
                dinp[off + i] += (float) ((dnorm - dnormMean - norm * dnormNormMean) * rs);
            }
        }
    }

    @Override
    public void rmsNormForward(float[] out, float[] rstd, float[] inp, float[] weight, int B, int T, int C) {
        for (int r = 0; r < B * T; r++) {
            int off = r * C;
            double ss = 0;
            for (int i = 0; i < C; i++) {
                ss += (double) inp[off + i] * inp[off + i];
            }
            double rs = 1.0 / Math.sqrt(ss / C + NORM_EPS);
            for (int i = 0; i < C; i++) {
                out[off + i] = (float) (inp[off + i] * rs * weight[i]);
            }
            rstd[r] = (float) rs;
        }
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
        for (int r = 0; r < B * T; r++) {
            int off = r * C;
            double rs = rstd[r];
            // y_i = x_i·r·w_i with r = (mean x² + eps)^(-1/2); dr/dx_j = −r³·x_j/C.
            double dot = 0;
            for (int i = 0; i < C; i++) {
                dot += (double) dout[off + i] * weight[i] * inp[off + i];
            }
            for (int i = 0; i < C; i++) {
                dweight[i] += (float) (dout[off + i] * inp[off + i] * rs);
                dinp[off + i] += (float) (rs * weight[i] * dout[off + i] - inp[off + i] * rs * rs * rs * dot / C);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void geluForward(float[] out, float[] inp, int N) {
        for (int i = 0; i < N; i++) {
            double x = inp[i];
            out[i] = (float) (0.5 * x * (1 + Math.tanh(GELU_SCALE * (x + 0.044715 * x * x * x))));
        }
    }

    @Override
    public void geluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        for (int i = 0; i < N; i++) {
            double x = inp[i];
            double arg = GELU_SCALE * (x + 0.044715 * x * x * x);
            double th = Math.tanh(arg);
            double sech2 = 1 - th * th;
            double grad = 0.5 * (1 + th) + 0.5 * x * sech2 * GELU_SCALE * (1 + 3 * 0.044715 * x * x);
            dinp[i] += (float) (grad * dout[i]);
        }
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    @Override
    public void siluForward(float[] out, float[] inp, int N) {
        for (int i = 0; i < N; i++) {
            out[i] = (float) (inp[i] * sigmoid(inp[i]));
        }
    }

    @Override
    public void siluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        for (int i = 0; i < N; i++) {
            double s = sigmoid(inp[i]);
            dinp[i] += (float) (dout[i] * s * (1 + inp[i] * (1 - s)));
        }
    }

    @Override
    public void swigluForward(float[] out, float[] gate, float[] up, int N) {
        for (int i = 0; i < N; i++) {
            out[i] = (float) (gate[i] * sigmoid(gate[i]) * up[i]);
        }
    }

    @Override
    public void swigluBackward(float[] dgate, float[] dup, float[] dout, float[] gate, float[] up, int N) {
        for (int i = 0; i < N; i++) {
            double s = sigmoid(gate[i]);
            double silu = gate[i] * s;
            dup[i] += (float) (dout[i] * silu);
            dgate[i] += (float) (dout[i] * up[i] * s * (1 + gate[i] * (1 - s)));
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void attentionForward(float[] out, float[] preatt, float[] att, float[] inp, int B, int T, int C, int NH) {
        int C3 = 3 * C;
        int hs = C / NH;
        double scale = 1.0 / Math.sqrt(hs);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int h = 0; h < NH; h++) {
                    int q = b * T * C3 + t * C3 + h * hs;
                    int row = ((b * NH + h) * T + t) * T;
                    // scores q·k for t2 ≤ t, and their max
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t2 = 0; t2 < T; t2++) {
                        if (t2 > t) {
                            preatt[row + t2] = 0f;
                            continue;
                        }
                        int k = b * T * C3 + t2 * C3 + h * hs + C;
                        double dot = 0;
                        for (int i = 0; i < hs; i++) {
                            dot += (double) inp[q + i] * inp[k + i];
                        }
                        preatt[row + t2] = (float) (dot * scale);
                        max = Math.max(max, preatt[row + t2]);
                    }
                    double sum = 0;
                    for (int t2 = 0; t2 <= t; t2++) {
                        sum += Math.exp(preatt[row + t2] - max);
                    }
                    for (int t2 = 0; t2 < T; t2++) {
                        att[row + t2] = t2 <= t ? (float) (Math.exp(preatt[row + t2] - max) / sum) : 0f;
                    }
                    int o = b * T * C + t * C + h * hs;
                    for (int i = 0; i < hs; i++) {
                        double acc = 0;
                        for (int t2 = 0; t2 <= t; t2++) {
                            int v = b * T * C3 + t2 * C3 + h * hs + 2 * C;
                            acc += (double) att[row + t2] * inp[v + i];
                        }
                        out[o + i] = (float) acc;
                    }
                }
            }
        }
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
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int h = 0; h < NH; h++) {
                    int row = ((b * NH + h) * T + t) * T;
                    int q = b * T * C3 + t * C3 + h * hs;
                    int o = b * T * C + t * C + h * hs;
                    // out = Σ att·v: datt[t2] += v_t2·dout ; dv_t2 += att[t2]·dout
                    for (int t2 = 0; t2 <= t; t2++) {
                        int v = b * T * C3 + t2 * C3 + h * hs + 2 * C;
                        double acc = 0;
                        for (int i = 0; i < hs; i++) {
                            acc += (double) inp[v + i] * dout[o + i];
                            dinp[v + i] += att[row + t2] * dout[o + i];
                        }
                        datt[row + t2] += (float) acc;
                    }
                    // softmax: dpreatt[t3] += att[t3]·(datt[t3] − Σ_t2 att[t2]·datt[t2])
                    double dot = 0;
                    for (int t2 = 0; t2 <= t; t2++) {
                        dot += (double) att[row + t2] * datt[row + t2];
                    }
                    for (int t3 = 0; t3 <= t; t3++) {
                        dpreatt[row + t3] += (float) (att[row + t3] * (datt[row + t3] - dot));
                    }
                    // preatt = scale·q·k: dq += scale·Σ dpreatt·k ; dk_t2 += scale·dpreatt[t2]·q
                    for (int t2 = 0; t2 <= t; t2++) {
                        int k = b * T * C3 + t2 * C3 + h * hs + C;
                        float g = dpreatt[row + t2] * scale;
                        for (int i = 0; i < hs; i++) {
                            dinp[q + i] += inp[k + i] * g;
                            dinp[k + i] += inp[q + i] * g;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void embeddingForward(float[] out, int[] tokens, float[] wte, int B, int T, int C) {
        for (int bt = 0; bt < B * T; bt++) {
            System.arraycopy(wte, tokens[bt] * C, out, bt * C, C);
        }
    }

    @Override
    public void embeddingBackward(float[] dwte, float[] dout, int[] tokens, int B, int T, int C) {
        for (int bt = 0; bt < B * T; bt++) {
            int w = tokens[bt] * C;
            for (int i = 0; i < C; i++) {
                dwte[w + i] += dout[bt * C + i];
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void topKMaskForward(float[] out, float[] mask, float[] inp, int rows, int cols, int k) {
        Integer[] order = new Integer[cols];
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            for (int j = 0; j < cols; j++) {
                order[j] = j;
            }
            // Largest |value| first; ties keep the lower column first.
            Arrays.sort(order, (x, y) -> {
                int c = Float.compare(Math.abs(inp[off + y]), Math.abs(inp[off + x]));
                return c != 0 ? c : Integer.compare(x, y);
            });
            for (int j = 0; j < cols; j++) {
                out[off + j] = 0f;
                mask[off + j] = 0f;
            }
            for (int j = 0; j < k; j++) {
                out[off + order[j]] = inp[off + order[j]];
                mask[off + order[j]] = 1f;
            }
        }
    }

    @Override
    public void topKMaskBackward(float[] dinp, float[] dout, float[] mask, int rows, int cols) {
        for (int i = 0; i < rows * cols; i++) {
            dinp[i] += dout[i] * mask[i];
        }
    }

    // ---------------------------------------------------------------------------------------------

    @Override
    public void newtonSchulz5(float[] out, float[] g, int m, int n) {
        boolean tall = m > n;
        int r = Math.min(m, n);
        int c = Math.max(m, n);
        // X (r,c): the wide orientation of G.
        float[] x = new float[r * c];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (tall) {
                    x[j * c + i] = g[i * n + j];
                } else {
                    x[i * c + j] = g[i * n + j];
                }
            }
        }
        // X = X / (‖X‖_F + eps)
        double ss = 0;
        for (float v : x) {
            ss += (double) v * v;
        }
        float inv = (float) (1.0 / (Math.sqrt(ss) + NS_EPS));
        for (int i = 0; i < x.length; i++) {
            x[i] *= inv;
        }
        float[] a = new float[r * r];
        float[] bm = new float[r * r];
        float[] xn = new float[r * c];
        for (int step = 0; step < NS_STEPS; step++) {
            gemm(a, x, x, r, r, c, false, true, 1f, 0f); // A = X·Xᵀ
            gemm(bm, a, a, r, r, r, false, false, NS_C, 0f); // B = c·A·A
            for (int i = 0; i < a.length; i++) {
                bm[i] += NS_B * a[i]; // B += b·A
            }
            System.arraycopy(x, 0, xn, 0, x.length);
            gemm(xn, bm, x, r, c, r, false, false, 1f, NS_A); // X = a·X + B·X
            float[] t = x;
            x = xn;
            xn = t;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = tall ? x[j * c + i] : x[i * c + j];
            }
        }
    }

    @Override
    public void rowNorms(float[] norms, float[] inp, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int j = 0; j < cols; j++) {
                ss += (double) inp[r * cols + j] * inp[r * cols + j];
            }
            norms[r] = (float) Math.sqrt(ss);
        }
    }

    @Override
    public float rowNormCv(float[] inp, int rows, int cols) {
        float[] norms = new float[rows];
        rowNorms(norms, inp, rows, cols);
        return cv(norms);
    }

    /** Population coefficient of variation of {@code values}; 0 when their mean is 0. */
    public static float cv(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        if (mean == 0) {
            return 0f;
        }
        double var = 0;
        for (float v : values) {
            var += (v - mean) * (v - mean);
        }
        return (float) (Math.sqrt(var / values.length) / mean);
    }

    @Override
    public float sum(float[] inp, int N) {
        double s = 0;
        for (int i = 0; i < N; i++) {
            s += inp[i];
        }
        return (float) s;
    }

    @Override
    public float max(float[] inp, int N) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            if (Float.isNaN(inp[i])) {
                return Float.NaN;
            }
            m = Math.max(m, inp[i]);
        }
        return m;
    }

    @Override
    public float mean(float[] inp, int N) {
        return N == 0 ? Float.NaN : (float) ((double) sum(inp, N) / N);
    }

    // ---------------------------------------------------------------------------------------------

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
        // Loshchilov & Hutter (2019), "Decoupled Weight Decay Regularization", Algorithm 2; PyTorch's AdamW.
        double bc1 = AdamwBiasCorrection.of(beta1, t); // bias correction of the first moment
        double bc2 = AdamwBiasCorrection.of(beta2, t); // bias correction of the second moment
        for (int i = 0; i < N; i++) {
            float g = grads[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g; // first moment: EMA of the gradient
            v[i] = beta2 * v[i] + (1 - beta2) * g * g; // second moment: EMA of the squared gradient
            double mHat = m[i] / bc1; // bias-corrected first moment
            double vHat = v[i] / bc2; // bias-corrected second moment
            float u = (float) (mHat / (Math.sqrt(vHat) + eps)); // the adaptive step direction
            if (update != null) {
                update[i] = u;
            }
            params[i] = params[i] * (1 - lr * weightDecay) // decoupled weight decay
                    - lr * u; // descent step
        }
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
        // Jordan et al. (2024), Muon; SEEDS.md §1.
        float[] u = muonDirection(momentum, grads, m * n, beta, nesterov);
        float[] o = new float[m * n];
        newtonSchulz5(o, u, m, n); // O = NS5(U): orthogonalized momentum
        float s = scale.factor(m, n); // shape-dependent scale
        applyUpdate(params, update, o, s, m * n, lr, weightDecay);
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
        // NorMuon (2025): Muon plus a per-neuron (per-row) second moment; SEEDS.md §1.
        float[] u = muonDirection(momentum, grads, m * n, beta, nesterov);
        float[] o = new float[m * n];
        newtonSchulz5(o, u, m, n); // O = NS5(U)
        double n0 = frobenius(o, m * n); // n0 = ‖O‖_F, Muon's update norm
        for (int r = 0; r < m; r++) {
            double ss = 0;
            for (int j = 0; j < n; j++) {
                ss += (double) o[r * n + j] * o[r * n + j];
            }
            // v = β2·v + (1−β2)·rowmean(O⊙O): per-row second moment
            secondMoment[r] = beta2 * secondMoment[r] + (1 - beta2) * (float) (ss / n);
            float inv = (float) (1.0 / (Math.sqrt(secondMoment[r]) + eps));
            for (int j = 0; j < n; j++) {
                o[r * n + j] *= inv; // O = O / (sqrt(v) + eps), row-wise
            }
        }
        double n1 = frobenius(o, m * n);
        float renorm = (float) (n0 / (n1 + eps)); // O = O·n0/(‖O‖_F + eps): restore Muon's norm
        for (int i = 0; i < m * n; i++) {
            o[i] *= renorm;
        }
        applyUpdate(params, update, o, scale.factor(m, n), m * n, lr, weightDecay);
    }

    /** Updates momentum in place and returns U, the (Nesterov) direction Muon orthogonalizes. */
    private static float[] muonDirection(float[] momentum, float[] grads, int len, float beta, boolean nesterov) {
        float[] u = new float[len];
        for (int i = 0; i < len; i++) {
            momentum[i] = beta * momentum[i] + (1 - beta) * grads[i]; // M = β·M + (1−β)·g
            u[i] = nesterov
                    ? (1 - beta) * grads[i] + beta * momentum[i] // Nesterov: U = (1−β)·g + β·M
                    : momentum[i]; // plain: U = M
        }
        return u;
    }

    /** W ← W·(1 − lr·wd) − lr·(s·O); writes s·O to {@code update} when given. */
    private static void applyUpdate(float[] params, float[] update, float[] o, float s, int len, float lr, float wd) {
        for (int i = 0; i < len; i++) {
            float dir = o[i] * s;
            if (update != null) {
                update[i] = dir;
            }
            params[i] = params[i] * (1 - lr * wd) - lr * dir;
        }
    }

    private static double frobenius(float[] x, int len) {
        double ss = 0;
        for (int i = 0; i < len; i++) {
            ss += (double) x[i] * x[i];
        }
        return Math.sqrt(ss);
    }
}
