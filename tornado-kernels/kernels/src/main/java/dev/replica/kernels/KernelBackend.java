package dev.replica.kernels;

/**
 * The compute kernels Replica's built-in experiments run on, one method per operation.
 *
 * <p>Conventions (after llm.c):
 * <ul>
 *   <li>Every buffer is a dense row-major {@code float[]} starting at index 0; shapes are given in the
 *       Javadoc as {@code name (dim, dim, ...)}, the last dimension contiguous.</li>
 *   <li>Arguments come as outputs first, then inputs, then dimensions, then hyper-parameters.</li>
 *   <li>Forward passes overwrite their outputs. Backward passes <b>accumulate</b> ({@code +=}) into
 *       their gradient buffers (prefix {@code d}), so the caller zeroes them once per step.</li>
 *   <li>Dimension letters: B batch, T time (sequence), C channels, OC output channels, V vocabulary,
 *       NH heads; m×n for a weight matrix W with y = W·x (rows are output neurons).</li>
 *   <li>A buffer documented as "nullable" may be {@code null}; all others must not.</li>
 *   <li>An implementation is deterministic: the same inputs give bit-identical outputs on every
 *       call, whatever the number of threads. Implementations agree with the plain Java reference
 *       ({@link dev.replica.kernels.ops.ReferenceKernels}) within the tolerances of their parity tests,
 *       not bit for bit.</li>
 * </ul>
 *
 * <p>Implementations are not required to be thread-safe: use one backend per training loop.
 */
public interface KernelBackend extends AutoCloseable {

    /** Short backend name as used by {@code replica.kernels.backend}: {@code jvm}, {@code opencl}, {@code tornadovm}, {@code reference}. */
    String name();

    /** What actually runs the kernels (backend, device, driver); recorded in every run manifest. */
    DeviceDescription deviceDescription();

    /** Releases device resources; the default does nothing. */
    @Override
    default void close() {}

    /**
     * The ops on backend-owned tensor handles (ADR 0018). The default wraps host arrays and runs this
     * backend's {@code float[]} ops ({@link HostTensorKernels}); a device backend returns tensors that
     * stay in device memory.
     */
    default TensorKernels tensors() {
        return new HostTensorKernels(this);
    }

    // ---------------------------------------------------------------------------------------------
    // Matrix multiplication
    // ---------------------------------------------------------------------------------------------

    /**
     * General matrix multiply: {@code c = alpha·op(a)·op(b) + beta·c}.
     *
     * @param c (M,N) result, read when {@code beta != 0}
     * @param a (M,K), or (K,M) when {@code transA}
     * @param b (K,N), or (N,K) when {@code transB}
     */
    void gemm(
            float[] c,
            float[] a,
            float[] b,
            int M,
            int N,
            int K,
            boolean transA,
            boolean transB,
            float alpha,
            float beta);

    /**
     * Linear layer: {@code out[b,t,o] = bias[o] + Σ_c inp[b,t,c]·weight[o,c]}.
     *
     * @param out    (B,T,OC)
     * @param inp    (B,T,C)
     * @param weight (OC,C), rows are output neurons (PyTorch layout)
     * @param bias   (OC), nullable
     */
    void matmulForward(float[] out, float[] inp, float[] weight, float[] bias, int B, int T, int C, int OC);

    /**
     * Backward of {@link #matmulForward}; accumulates.
     *
     * @param dinp    (B,T,C)   += dout·weight
     * @param dweight (OC,C)    += doutᵀ·inp
     * @param dbias   (OC)      += Σ_{b,t} dout, nullable
     * @param dout    (B,T,OC)
     * @param inp     (B,T,C)   the forward input
     * @param weight  (OC,C)
     */
    void matmulBackward(
            float[] dinp,
            float[] dweight,
            float[] dbias,
            float[] dout,
            float[] inp,
            float[] weight,
            int B,
            int T,
            int C,
            int OC);

    // ---------------------------------------------------------------------------------------------
    // Softmax, log-softmax, cross-entropy (rows of length V over B·T positions)
    // ---------------------------------------------------------------------------------------------

    /**
     * Numerically stable softmax over the last dimension.
     *
     * @param probs  (B,T,V)
     * @param logits (B,T,V)
     */
    void softmaxForward(float[] probs, float[] logits, int B, int T, int V);

    /**
     * Backward of softmax: {@code dlogits += p ⊙ (dprobs − Σ_v dprobs·p)}.
     *
     * @param dlogits (B,T,V)
     * @param dprobs  (B,T,V)
     * @param probs   (B,T,V) the forward output
     */
    void softmaxBackward(float[] dlogits, float[] dprobs, float[] probs, int B, int T, int V);

    /**
     * Log-softmax over the last dimension: {@code out = logits − logsumexp(logits)}.
     *
     * @param out    (B,T,V)
     * @param logits (B,T,V)
     */
    void logSoftmaxForward(float[] out, float[] logits, int B, int T, int V);

    /**
     * Backward of log-softmax: {@code dlogits += dout − exp(out)·Σ_v dout}.
     *
     * @param dlogits (B,T,V)
     * @param dout    (B,T,V)
     * @param out     (B,T,V) the forward output (log-probabilities)
     */
    void logSoftmaxBackward(float[] dlogits, float[] dout, float[] out, int B, int T, int V);

    /**
     * Cross-entropy from probabilities: {@code losses[b,t] = −log probs[b,t,targets[b,t]]}.
     *
     * @param losses  (B,T)
     * @param probs   (B,T,V) softmax output
     * @param targets (B,T) class indices in [0,V)
     */
    void crossEntropyForward(float[] losses, float[] probs, int[] targets, int B, int T, int V);

    /**
     * Fused backward of softmax + cross-entropy: {@code dlogits += dlosses[b,t]·(probs − onehot(target))}.
     *
     * @param dlogits (B,T,V)
     * @param dlosses (B,T)
     * @param probs   (B,T,V)
     * @param targets (B,T)
     */
    void crossEntropySoftmaxBackward(
            float[] dlogits, float[] dlosses, float[] probs, int[] targets, int B, int T, int V);

    // ---------------------------------------------------------------------------------------------
    // Normalization
    // ---------------------------------------------------------------------------------------------

    /**
     * Layer norm over C with eps 1e-5: {@code out = (x − mean)·rstd·weight + bias}.
     *
     * @param out    (B,T,C)
     * @param mean   (B,T) saved for backward
     * @param rstd   (B,T) saved for backward, 1/sqrt(var + 1e-5) with the biased variance
     * @param inp    (B,T,C)
     * @param weight (C)
     * @param bias   (C), nullable
     */
    void layerNormForward(
            float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias, int B, int T, int C);

    /**
     * Backward of {@link #layerNormForward}; accumulates.
     *
     * @param dinp    (B,T,C)
     * @param dweight (C)
     * @param dbias   (C), nullable
     * @param dout    (B,T,C)
     * @param inp     (B,T,C)
     * @param weight  (C)
     * @param mean    (B,T) from forward
     * @param rstd    (B,T) from forward
     */
    void layerNormBackward(
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
            int C);

    /**
     * RMS norm over C with eps 1e-5: {@code out = x·rstd·weight}, rstd = 1/sqrt(mean(x²) + 1e-5).
     *
     * @param out    (B,T,C)
     * @param rstd   (B,T) saved for backward
     * @param inp    (B,T,C)
     * @param weight (C)
     */
    void rmsNormForward(float[] out, float[] rstd, float[] inp, float[] weight, int B, int T, int C);

    /**
     * Backward of {@link #rmsNormForward}; accumulates.
     *
     * @param dinp    (B,T,C)
     * @param dweight (C)
     * @param dout    (B,T,C)
     * @param inp     (B,T,C)
     * @param weight  (C)
     * @param rstd    (B,T) from forward
     */
    void rmsNormBackward(
            float[] dinp,
            float[] dweight,
            float[] dout,
            float[] inp,
            float[] weight,
            float[] rstd,
            int B,
            int T,
            int C);

    // ---------------------------------------------------------------------------------------------
    // Activations (element-wise over N elements)
    // ---------------------------------------------------------------------------------------------

    /**
     * GELU, tanh approximation (as GPT-2): {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}.
     *
     * @param out (N)
     * @param inp (N)
     */
    void geluForward(float[] out, float[] inp, int N);

    /**
     * Backward of GELU; accumulates.
     *
     * @param dinp (N)
     * @param dout (N)
     * @param inp  (N) the forward input
     */
    void geluBackward(float[] dinp, float[] dout, float[] inp, int N);

    /**
     * SiLU: {@code x·σ(x)}.
     *
     * @param out (N)
     * @param inp (N)
     */
    void siluForward(float[] out, float[] inp, int N);

    /**
     * Backward of SiLU; accumulates {@code dinp += dout·σ(x)·(1 + x·(1 − σ(x)))}.
     *
     * @param dinp (N)
     * @param dout (N)
     * @param inp  (N) the forward input
     */
    void siluBackward(float[] dinp, float[] dout, float[] inp, int N);

    /**
     * SwiGLU gate: {@code out = SiLU(gate) ⊙ up}.
     *
     * @param out  (N)
     * @param gate (N) pre-activation of the gate projection
     * @param up   (N) the up projection
     */
    void swigluForward(float[] out, float[] gate, float[] up, int N);

    /**
     * Backward of {@link #swigluForward}; accumulates.
     *
     * @param dgate (N) += dout·up·SiLU'(gate)
     * @param dup   (N) += dout·SiLU(gate)
     * @param dout  (N)
     * @param gate  (N)
     * @param up    (N)
     */
    void swigluBackward(float[] dgate, float[] dup, float[] dout, float[] gate, float[] up, int N);

    // ---------------------------------------------------------------------------------------------
    // Attention and embeddings
    // ---------------------------------------------------------------------------------------------

    /**
     * Causal multi-head self-attention (as llm.c), head size hs = C/NH, scale 1/√hs.
     *
     * @param out    (B,T,C) attention output (heads concatenated)
     * @param preatt (B,NH,T,T) scaled scores; entries above the diagonal are left 0
     * @param att    (B,NH,T,T) softmax of preatt over t2 ≤ t; entries above the diagonal are 0
     * @param inp    (B,T,3C) the fused projection [q | k | v]
     */
    void attentionForward(float[] out, float[] preatt, float[] att, float[] inp, int B, int T, int C, int NH);

    /**
     * Backward of {@link #attentionForward}; accumulates into dinp, dpreatt and datt (the last two are
     * scratch the caller zeroes with the gradients).
     *
     * @param dinp    (B,T,3C)
     * @param dpreatt (B,NH,T,T)
     * @param datt    (B,NH,T,T)
     * @param dout    (B,T,C)
     * @param inp     (B,T,3C) forward input
     * @param att     (B,NH,T,T) forward attention weights
     */
    void attentionBackward(
            float[] dinp,
            float[] dpreatt,
            float[] datt,
            float[] dout,
            float[] inp,
            float[] att,
            int B,
            int T,
            int C,
            int NH);

    /**
     * Embedding lookup: {@code out[b,t,:] = wte[tokens[b,t],:]}.
     *
     * @param out    (B,T,C)
     * @param tokens (B,T) indices in [0,V)
     * @param wte    (V,C)
     */
    void embeddingForward(float[] out, int[] tokens, float[] wte, int B, int T, int C);

    /**
     * Backward of the lookup; accumulates {@code dwte[tokens[b,t],:] += dout[b,t,:]}
     * (in (b,t) order, so repeated tokens sum deterministically).
     *
     * @param dwte   (V,C)
     * @param dout   (B,T,C)
     * @param tokens (B,T)
     */
    void embeddingBackward(float[] dwte, float[] dout, int[] tokens, int B, int T, int C);

    // ---------------------------------------------------------------------------------------------
    // Sparsity (MoNE)
    // ---------------------------------------------------------------------------------------------

    /**
     * Keeps the k entries of largest |value| in each row (ties: the lower column wins), zeroes the rest.
     *
     * @param out  (rows,cols) inp where kept, 0 elsewhere
     * @param mask (rows,cols) 1 where kept, 0 elsewhere
     * @param inp  (rows,cols)
     * @param k    entries kept per row, 0 ≤ k ≤ cols
     */
    void topKMaskForward(float[] out, float[] mask, float[] inp, int rows, int cols, int k);

    /**
     * Backward of the mask: gradients flow through the kept entries only; accumulates {@code dinp += dout ⊙ mask}.
     *
     * @param dinp (rows,cols)
     * @param dout (rows,cols)
     * @param mask (rows,cols) from forward
     */
    void topKMaskBackward(float[] dinp, float[] dout, float[] mask, int rows, int cols);

    // ---------------------------------------------------------------------------------------------
    // Orthogonalization, statistics, reductions
    // ---------------------------------------------------------------------------------------------

    /**
     * Newton–Schulz orthogonalization with 5 quintic iterations, coefficients (3.4445, −4.7750, 2.0315),
     * iterating on the wide orientation, after Frobenius normalization (eps 1e-7). See SEEDS.md §1.
     *
     * @param out (m,n) ≈ U·Vᵀ of g's SVD (singular values mapped into roughly [0.7, 1.2])
     * @param g   (m,n); may be the same array as out
     */
    void newtonSchulz5(float[] out, float[] g, int m, int n);

    /**
     * Euclidean norm of each row.
     *
     * @param norms (rows)
     * @param inp   (rows,cols)
     */
    void rowNorms(float[] norms, float[] inp, int rows, int cols);

    /**
     * Coefficient of variation of the row norms of {@code inp (rows,cols)}: population standard deviation
     * over mean; 0 when every row norm is 0.
     */
    float rowNormCv(float[] inp, int rows, int cols);

    /** Σ inp[i] over {@code inp (N)}, accumulated in double, returned as float. 0 for N = 0. */
    float sum(float[] inp, int N);

    /** max inp[i] over {@code inp (N)}; −∞ for N = 0. NaN if any element is NaN. */
    float max(float[] inp, int N);

    /** sum / N over {@code inp (N)}; NaN for N = 0. */
    float mean(float[] inp, int N);

    // ---------------------------------------------------------------------------------------------
    // Optimizer updates (in place on params and state)
    // ---------------------------------------------------------------------------------------------

    /**
     * One AdamW step (Loshchilov &amp; Hutter, decoupled weight decay; bias-corrected moments as in PyTorch).
     *
     * @param params (N) updated in place
     * @param m      (N) first moment, updated in place (zero-initialized)
     * @param v      (N) second moment, updated in place (zero-initialized)
     * @param update (N) nullable; receives the step direction u with {@code W ← W·(1 − lr·wd) − lr·u}
     * @param grads  (N)
     * @param t      step number, starting at 1
     */
    void adamwUpdate(
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
            float weightDecay);

    /**
     * One Muon step on a 2-D weight (SEEDS.md §1): momentum, optional Nesterov, NS5, scale, decoupled decay.
     *
     * @param params   (m,n) updated in place
     * @param momentum (m,n) updated in place (zero-initialized)
     * @param update   (m,n) nullable; receives the scaled orthogonalized direction O
     * @param grads    (m,n)
     * @param scale    how O is scaled ({@link MuonScale#SPECTRAL}: √max(1, m/n); {@link MuonScale#RMS}: 0.2·√max(m,n))
     */
    void muonUpdate(
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
            MuonScale scale);

    /**
     * One NorMuon step (SEEDS.md §1): Muon's orthogonalized direction normalized per row by a running
     * second moment, then rescaled to Muon's Frobenius norm.
     *
     * @param params       (m,n) updated in place
     * @param momentum     (m,n) updated in place (zero-initialized)
     * @param secondMoment (m) per-row second moment v, updated in place (zero-initialized)
     * @param update       (m,n) nullable; receives the scaled direction O
     * @param grads        (m,n)
     */
    void normuonUpdate(
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
            MuonScale scale);
}
