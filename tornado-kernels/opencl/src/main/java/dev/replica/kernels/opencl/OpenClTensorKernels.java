package dev.replica.kernels.opencl;

import dev.replica.kernels.AdamwBiasCorrection;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import dev.replica.kernels.Tensor;
import dev.replica.kernels.TensorKernels;
import dev.replica.kernels.opencl.OpenClBackend.Mat;
import dev.replica.kernels.opencl.OpenClRuntime.Buffer;
import dev.replica.kernels.ops.ReferenceKernels;
import org.jocl.Sizeof;

/**
 * {@link TensorKernels} whose tensors are OpenCL buffers that stay in device memory between ops (ADR 0018):
 * ops launch the {@code .cl} kernels of {@link OpenClBackend} on the tensors' buffers directly, with no
 * host copies. A matrix product packs an operand into a padded scratch matrix on the device only when its
 * shape is not already a multiple of the kernels' block (64) with a plain row pitch. Programs are compiled
 * once per runtime and kept, so repeated shapes cost only the launches.
 *
 * <p>Muon and NorMuon go through the host (download, the backend's {@code float[]} op, upload): their
 * Newton–Schulz iteration already runs on the device inside that op, and their padded packing has no
 * tensor variant yet. {@link #transfers()} counts those bytes with everything else that crosses.
 */
final class OpenClTensorKernels implements TensorKernels {

    private final OpenClBackend backend;
    private final OpenClRuntime rt;
    private long toDevice;
    private long toHost;

    OpenClTensorKernels(OpenClBackend backend) {
        this.backend = backend;
        this.rt = backend.runtime();
    }

    /** A tensor: a device buffer of at least {@code size} floats. */
    private static final class ClTensor implements Tensor {
        final Buffer buf;
        final int size;

        ClTensor(Buffer buf, int size) {
            this.buf = buf;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }
    }

    private static Buffer b(Tensor t) {
        if (t == null) {
            return null;
        }
        if (t instanceof ClTensor c) {
            if (c.buf == null) {
                throw new IllegalStateException("tensor used after free");
            }
            return c.buf;
        }
        throw new IllegalArgumentException(
                "not an OpenCL tensor: " + t.getClass().getName());
    }

    @Override
    public KernelBackend backend() {
        return backend;
    }

    @Override
    public boolean resident() {
        return true;
    }

    @Override
    public Tensor allocate(int n) {
        synchronized (rt.lock()) {
            return new ClTensor(rt.allocate(n).zero(), n);
        }
    }

    @Override
    public Tensor adopt(float[] host) {
        Tensor t;
        synchronized (rt.lock()) {
            t = new ClTensor(rt.allocate(host.length), host.length);
        }
        upload(t, host);
        return t;
    }

    @Override
    public void upload(Tensor dst, float[] host) {
        int n = Math.min(host.length, dst.size());
        synchronized (rt.lock()) {
            b(dst).write(host, n);
        }
        toDevice += (long) n * Sizeof.cl_float;
    }

    @Override
    public void download(Tensor src, float[] host) {
        int n = Math.min(host.length, src.size());
        synchronized (rt.lock()) {
            b(src).read(host, n);
        }
        toHost += (long) n * Sizeof.cl_float;
    }

    private Buffer ints(int slot, int[] host, int n) {
        toDevice += (long) n * Sizeof.cl_int;
        return backend.ints(slot, host, n);
    }

    @Override
    public void zero(Tensor t) {
        synchronized (rt.lock()) {
            b(t).zero();
        }
    }

    @Override
    public void free(Tensor t) {
        if (t instanceof ClTensor c) {
            synchronized (rt.lock()) {
                c.buf.close();
            }
        }
    }

    @Override
    public Transfers transfers() {
        return new Transfers(toDevice, toHost);
    }

    // ---------------------------------------------------------------------------------------------
    // Matrices

    /**
     * The dense (rows, cols) matrix in {@code t} as a padded device matrix: {@code t}'s own buffer when
     * its shape needs no padding, else a copy packed into scratch {@code slot} (zero padding; the
     * contents copied only when {@code load}).
     */
    private Mat view(int slot, Tensor t, int rows, int cols, boolean load) {
        int rp = backend.pad(rows);
        int cp = backend.pad(cols);
        if (rp == rows && cp == cols && OpenClBackend.pitch(cp) == cols) {
            return new Mat(b(t), rows, cols, rows, cols, cols);
        }
        Mat m = load ? backend.zeros(slot, rows, cols) : backend.shape(slot, rows, cols);
        if (load) {
            rt.launch(backend.k("matmul", "pack"), new long[] {cols, rows}, null, m.buf(), m.ld(), b(t), cols);
        }
        return m;
    }

    /** Writes a matrix from {@link #view} back to its dense tensor (nothing to do when it is the tensor). */
    private void store(Mat m, Tensor t) {
        Buffer dst = b(t);
        if (m.buf() != dst) {
            rt.launch(
                    backend.k("matmul", "unpack"),
                    new long[] {m.cols(), m.rows()},
                    null,
                    dst,
                    m.buf(),
                    m.ld(),
                    m.cols());
        }
    }

    @Override
    public void matmulForward(Tensor out, Tensor inp, Tensor weight, Tensor bias, int B, int T, int C, int OC) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Mat x = view(0, inp, bt, C, true);
            Mat wt = backend.transposed(2, view(1, weight, OC, C, true));
            Mat y = view(3, out, bt, OC, false);
            backend.gemm(y, x, wt, 1f, 0f);
            if (bias != null) {
                rt.launch(backend.k("matmul", "add_row_vector"), new long[] {OC, bt}, null, y.buf(), y.ld(), b(bias));
            }
            store(y, out);
        }
    }

    @Override
    public void matmulBackward(
            Tensor dinp,
            Tensor dweight,
            Tensor dbias,
            Tensor dout,
            Tensor inp,
            Tensor weight,
            int B,
            int T,
            int C,
            int OC) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Mat d = view(0, dout, bt, OC, true);
            // dinp (BT,C) += dout (BT,OC) · weight (OC,C)
            Mat w = view(1, weight, OC, C, true);
            Mat di = view(2, dinp, bt, C, true);
            backend.gemm(di, d, w, 1f, 1f);
            store(di, dinp);
            // dweight (OC,C) += doutᵀ (OC,BT) · inp (BT,C)
            Mat dt = backend.transposed(3, d);
            Mat x = view(4, inp, bt, C, true);
            Mat dw = view(5, dweight, OC, C, true);
            backend.gemm(dw, dt, x, 1f, 1f);
            store(dw, dweight);
            // dbias (OC) += Σ_bt dout
            if (dbias != null) {
                rt.launch(backend.k("matmul", "column_sums_acc"), new long[] {OC}, null, b(dbias), d.buf(), d.ld(), bt);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Normalization, attention, activations, embeddings

    @Override
    public void layerNormForward(
            Tensor out, Tensor mean, Tensor rstd, Tensor inp, Tensor weight, Tensor bias, int B, int T, int C) {
        synchronized (rt.lock()) {
            Buffer w = b(weight);
            backend.perRow(
                    "norm",
                    "layernorm_forward",
                    B * T,
                    b(out),
                    b(mean),
                    b(rstd),
                    b(inp),
                    w,
                    bias == null ? w : b(bias),
                    bias == null ? 0 : 1,
                    C);
        }
    }

    @Override
    public void layerNormBackward(
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
            int C) {
        int rows = B * T;
        synchronized (rt.lock()) {
            Buffer dw = b(dweight);
            backend.perRow(
                    "norm", "layernorm_backward_input", rows, b(dinp), b(dout), b(inp), b(weight), b(mean), b(rstd), C);
            rt.launch(
                    backend.k("norm", "layernorm_backward_params"),
                    new long[] {C},
                    null,
                    dw,
                    dbias == null ? dw : b(dbias),
                    dbias == null ? 0 : 1,
                    b(dout),
                    b(inp),
                    b(mean),
                    b(rstd),
                    rows,
                    C);
        }
    }

    @Override
    public void attentionForward(Tensor out, Tensor preatt, Tensor att, Tensor inp, int B, int T, int C, int NH) {
        synchronized (rt.lock()) {
            rt.launch(
                    backend.k("attention", "attention_forward"),
                    new long[] {NH, T, B},
                    null,
                    b(out),
                    b(preatt),
                    b(att),
                    b(inp),
                    T,
                    C,
                    NH);
        }
    }

    @Override
    public void attentionBackward(
            Tensor dinp,
            Tensor dpreatt,
            Tensor datt,
            Tensor dout,
            Tensor inp,
            Tensor att,
            int B,
            int T,
            int C,
            int NH) {
        long[] global = {NH, T, B};
        synchronized (rt.lock()) {
            rt.launch(
                    backend.k("attention", "attention_backward_query"),
                    global,
                    null,
                    b(dinp),
                    b(dpreatt),
                    b(datt),
                    b(dout),
                    b(inp),
                    b(att),
                    T,
                    C,
                    NH);
            rt.launch(
                    backend.k("attention", "attention_backward_keyvalue"),
                    global,
                    null,
                    b(dinp),
                    b(dpreatt),
                    b(dout),
                    b(inp),
                    b(att),
                    T,
                    C,
                    NH);
        }
    }

    @Override
    public void geluForward(Tensor out, Tensor inp, int N) {
        synchronized (rt.lock()) {
            backend.elementwise("gelu_forward", N, b(out), b(inp));
        }
    }

    @Override
    public void geluBackward(Tensor dinp, Tensor dout, Tensor inp, int N) {
        synchronized (rt.lock()) {
            backend.elementwise("gelu_backward", N, b(dinp), b(dout), b(inp));
        }
    }

    @Override
    public void encoderForward(Tensor out, int[] tokens, Tensor wte, Tensor wpe, int B, int T, int C) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Buffer tok = ints(0, tokens, bt);
            rt.launch(
                    backend.k("elementwise", "encoder_forward"),
                    new long[] {C, bt},
                    null,
                    b(out),
                    tok,
                    b(wte),
                    b(wpe),
                    T,
                    C);
        }
    }

    @Override
    public void encoderBackward(Tensor dwte, Tensor dwpe, Tensor dout, int[] tokens, int B, int T, int C) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Buffer tok = ints(0, tokens, bt);
            rt.launch(
                    backend.k("elementwise", "embedding_backward"), new long[] {C}, null, b(dwte), b(dout), tok, bt, C);
            rt.launch(
                    backend.k("elementwise", "position_backward"), new long[] {C, T}, null, b(dwpe), b(dout), B, T, C);
        }
    }

    @Override
    public void residualForward(Tensor out, Tensor a, Tensor b, int N) {
        synchronized (rt.lock()) {
            backend.elementwise("add", N, b(out), b(a), b(b));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Softmax and cross-entropy

    @Override
    public void softmaxForward(Tensor probs, Tensor logits, int B, int T, int V) {
        synchronized (rt.lock()) {
            backend.perRow("softmax", "softmax_forward", B * T, b(probs), b(logits), V);
        }
    }

    @Override
    public void crossEntropyForward(Tensor losses, Tensor probs, int[] targets, int B, int T, int V) {
        int rows = B * T;
        synchronized (rt.lock()) {
            Buffer t = ints(0, targets, rows);
            rt.launch(backend.k("softmax", "crossentropy_forward"), new long[] {rows}, null, b(losses), b(probs), t, V);
        }
    }

    @Override
    public void crossEntropySoftmaxBackward(
            Tensor dlogits, Tensor dlosses, Tensor probs, int[] targets, int B, int T, int V) {
        int rows = B * T;
        synchronized (rt.lock()) {
            Buffer t = ints(0, targets, rows);
            rt.launch(
                    backend.k("softmax", "crossentropy_softmax_backward"),
                    new long[] {V, rows},
                    null,
                    b(dlogits),
                    b(dlosses),
                    b(probs),
                    t,
                    V);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Optimizers and statistics

    @Override
    public void adamwUpdate(
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
            float weightDecay) {
        // Loshchilov & Hutter (2019); the kernel is commented line by line in optim.cl.
        float bc1 = (float) AdamwBiasCorrection.of(beta1, t); // bias correction of the first moment
        float bc2 = (float) AdamwBiasCorrection.of(beta2, t); // bias correction of the second moment
        synchronized (rt.lock()) {
            Buffer g = b(grads);
            rt.launch(
                    backend.k("optim", "adamw_update"),
                    new long[] {N},
                    null,
                    b(params),
                    b(m),
                    b(v),
                    update == null ? g : b(update),
                    update == null ? 0 : 1,
                    g,
                    lr,
                    beta1,
                    beta2,
                    eps,
                    weightDecay,
                    bc1,
                    bc2);
        }
    }

    @Override
    public void muonUpdate(
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
            MuonScale scale) {
        float[] p = host(params);
        float[] mom = host(momentum);
        float[] u = update == null ? null : new float[update.size()];
        backend.muonUpdate(p, mom, u, host(grads), m, n, lr, beta, nesterov, weightDecay, scale);
        upload(params, p);
        upload(momentum, mom);
        if (update != null) {
            upload(update, u);
        }
    }

    @Override
    public void normuonUpdate(
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
            MuonScale scale) {
        float[] p = host(params);
        float[] mom = host(momentum);
        float[] v = host(secondMoment);
        float[] u = update == null ? null : new float[update.size()];
        backend.normuonUpdate(p, mom, v, u, host(grads), m, n, lr, beta, beta2, eps, nesterov, weightDecay, scale);
        upload(params, p);
        upload(momentum, mom);
        upload(secondMoment, v);
        if (update != null) {
            upload(update, u);
        }
    }

    private float[] host(Tensor t) {
        float[] a = new float[t.size()];
        download(t, a);
        return a;
    }

    @Override
    public float rowNormCv(Tensor inp, int rows, int cols) {
        float[] norms = new float[rows];
        synchronized (rt.lock()) {
            Buffer ss = rt.scratch(1, rows);
            backend.perRow("reduce", "row_sumsq", rows, ss, b(inp), cols, cols);
            ss.read(norms, rows);
        }
        toHost += (long) rows * Sizeof.cl_float;
        for (int r = 0; r < rows; r++) {
            norms[r] = (float) Math.sqrt(norms[r]);
        }
        return ReferenceKernels.cv(norms);
    }
}
