package dev.replica.kernels;

/**
 * The kernel contract on backend-owned {@link Tensor} handles (ADR 0018): a training step allocates its
 * weights, gradients, activations and optimizer state once, runs every op on the handles, and copies to
 * the host only what it logs or checkpoints. On a device backend the tensors stay in device memory
 * between ops; on the JVM backends a tensor wraps a {@code float[]} and each op is the backend's
 * {@code float[]} op on the wrapped arrays, so results are bit-identical to calling {@link KernelBackend}
 * directly.
 *
 * <p>Shapes, argument order and semantics are those of the {@link KernelBackend} method of the same name
 * (forward passes overwrite, backward passes accumulate); an op may use a prefix of a larger tensor.
 * Token and target ids stay {@code int[]} on the host: they are the step's input data and cross once per
 * op that reads them. Tensors of one instance must not be passed to another. Not thread-safe.
 */
public interface TensorKernels {

    /** The backend whose ops these are. */
    KernelBackend backend();

    /** True when tensors live apart from host memory, so {@link #upload}/{@link #download} move data. */
    boolean resident();

    /** A new zero-filled tensor of {@code n} floats. */
    Tensor allocate(int n);

    /**
     * A tensor initialised from {@code host}. A host backend wraps the array itself (no copy, later
     * writes through either are seen by both); a device backend allocates and uploads a copy.
     */
    Tensor adopt(float[] host);

    /** Copies {@code host[0..min(host.length, dst.size()))} into {@code dst}. */
    void upload(Tensor dst, float[] host);

    /** Copies the first {@code min(host.length, src.size())} floats of {@code src} into {@code host}. */
    void download(Tensor src, float[] host);

    /** Sets every float of {@code t} to zero (gradients, once per step). */
    void zero(Tensor t);

    /** Releases {@code t}; it must not be used afterwards. Freeing twice is harmless. */
    void free(Tensor t);

    /** Bytes copied host → device and device → host so far (both 0 on host backends). */
    Transfers transfers();

    /** Cumulative host/device traffic, for tests and benchmarks that check residency. */
    record Transfers(long toDevice, long toHost) {}

    // ---------------------------------------------------------------------------------------------
    // Ops (see KernelBackend for shapes)

    /** See {@link KernelBackend#matmulForward}; {@code bias} nullable. */
    void matmulForward(Tensor out, Tensor inp, Tensor weight, Tensor bias, int B, int T, int C, int OC);

    /** See {@link KernelBackend#matmulBackward}; {@code dbias} nullable. */
    void matmulBackward(
            Tensor dinp,
            Tensor dweight,
            Tensor dbias,
            Tensor dout,
            Tensor inp,
            Tensor weight,
            int B,
            int T,
            int C,
            int OC);

    /** See {@link KernelBackend#layerNormForward}. */
    void layerNormForward(
            Tensor out, Tensor mean, Tensor rstd, Tensor inp, Tensor weight, Tensor bias, int B, int T, int C);

    /** See {@link KernelBackend#layerNormBackward}. */
    void layerNormBackward(
            Tensor dinp,
            Tensor dweight,
            Tensor dbias,
            Tensor dout,
            Tensor inp,
            Tensor weight,
            Tensor mean,
            Tensor rstd,
            int B,
            int T,
            int C);

    /** See {@link KernelBackend#attentionForward}. */
    void attentionForward(Tensor out, Tensor preatt, Tensor att, Tensor inp, int B, int T, int C, int NH);

    /** See {@link KernelBackend#attentionBackward}. */
    void attentionBackward(
            Tensor dinp, Tensor dpreatt, Tensor datt, Tensor dout, Tensor inp, Tensor att, int B, int T, int C, int NH);

    /** See {@link KernelBackend#geluForward}. */
    void geluForward(Tensor out, Tensor inp, int N);

    /** See {@link KernelBackend#geluBackward}. */
    void geluBackward(Tensor dinp, Tensor dout, Tensor inp, int N);

    /**
     * Token plus position embedding (llm.c's encoder): {@code out (B,T,C) = wte[tokens[b,t]] + wpe[t]}.
     *
     * @param tokens (B,T) ids, host data
     * @param wte    (V,C)
     * @param wpe    (maxT,C), T ≤ maxT
     */
    void encoderForward(Tensor out, int[] tokens, Tensor wte, Tensor wpe, int B, int T, int C);

    /**
     * Backward of {@link #encoderForward}: {@code dwte[tokens[b,t]] += dout[b,t]} (as
     * {@link KernelBackend#embeddingBackward}) and {@code dwpe[t] += dout[b,t]}, summed over b in order.
     */
    void encoderBackward(Tensor dwte, Tensor dwpe, Tensor dout, int[] tokens, int B, int T, int C);

    /** Residual connection {@code out (N) = a + b}, element by element. */
    void residualForward(Tensor out, Tensor a, Tensor b, int N);

    /** See {@link KernelBackend#softmaxForward}. */
    void softmaxForward(Tensor probs, Tensor logits, int B, int T, int V);

    /** See {@link KernelBackend#crossEntropyForward}; {@code targets} host data. */
    void crossEntropyForward(Tensor losses, Tensor probs, int[] targets, int B, int T, int V);

    /** See {@link KernelBackend#crossEntropySoftmaxBackward}; {@code targets} host data. */
    void crossEntropySoftmaxBackward(Tensor dlogits, Tensor dlosses, Tensor probs, int[] targets, int B, int T, int V);

    /** See {@link KernelBackend#adamwUpdate}; {@code update} nullable. */
    void adamwUpdate(
            Tensor params,
            Tensor m,
            Tensor v,
            Tensor update,
            Tensor grads,
            int N,
            int t,
            float lr,
            float beta1,
            float beta2,
            float eps,
            float weightDecay);

    /** See {@link KernelBackend#muonUpdate}; {@code update} nullable. */
    void muonUpdate(
            Tensor params,
            Tensor momentum,
            Tensor update,
            Tensor grads,
            int m,
            int n,
            float lr,
            float beta,
            boolean nesterov,
            float weightDecay,
            MuonScale scale);

    /** See {@link KernelBackend#normuonUpdate}; {@code update} nullable. */
    void normuonUpdate(
            Tensor params,
            Tensor momentum,
            Tensor secondMoment,
            Tensor update,
            Tensor grads,
            int m,
            int n,
            float lr,
            float beta,
            float beta2,
            float eps,
            boolean nesterov,
            float weightDecay,
            MuonScale scale);

    /** See {@link KernelBackend#rowNormCv}. */
    float rowNormCv(Tensor inp, int rows, int cols);
}
