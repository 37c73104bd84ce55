package dev.replica.kernels.opencl;

import dev.replica.kernels.AdamwBiasCorrection;
import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import dev.replica.kernels.TensorKernels;
import dev.replica.kernels.opencl.OpenClRuntime.Buffer;
import dev.replica.kernels.opencl.OpenClRuntime.Local;
import dev.replica.kernels.ops.ReferenceKernels;
import org.jocl.cl_kernel;

/**
 * {@link KernelBackend} on an OpenCL device: every op has a {@code .cl} twin under
 * {@code src/main/resources/dev/replica/kernels/opencl/}. Each call copies its host arrays to
 * reusable device buffers, runs the kernels and copies the outputs back, so it is worth it for
 * matrix products and the optimizer steps built on them (Newton–Schulz runs entirely on the
 * device), less so for small element-wise ops.
 *
 * <p>Matrices are stored on the device zero-padded to the kernel's block multiple (16 on CPUs,
 * 64 on GPUs), and a power-of-two row pitch of 256 floats or more gets 16 floats of padding
 * (set-associative caches and local-memory banks otherwise map every row to the same sets).
 *
 * <p>Reductions use float arithmetic in a fixed order on the device (partials are combined in
 * double on the host); results are deterministic for a given device and kernel variant and
 * agree with {@link ReferenceKernels} within the parity tests' tolerances.
 */
public final class OpenClBackend implements KernelBackend {
    private static final int PARTIALS = 64;

    private final OpenClRuntime rt;
    private final OpenClRuntime.Variant variant;
    private final int unit;
    private final int rowLocal;
    private OpenClTensorKernels tensors;

    /** A backend on the JVM-wide runtime of the configured device ({@link OpenClRuntime#shared()}). */
    public OpenClBackend() {
        this(OpenClRuntime.shared());
    }

    /** A backend on {@code runtime} with the variant its device calls for ({@link OpenClRuntime#defaultVariant()}). */
    public OpenClBackend(OpenClRuntime runtime) {
        this(runtime, runtime.defaultVariant());
    }

    /** A backend on {@code runtime} running the given kernel variant (both work on any device). */
    public OpenClBackend(OpenClRuntime runtime, OpenClRuntime.Variant variant) {
        this.rt = runtime;
        this.variant = variant;
        boolean gpu = variant == OpenClRuntime.Variant.GPU;
        this.unit = 64;
        this.rowLocal = gpu ? 128 : 1;
    }

    public OpenClRuntime runtime() {
        return rt;
    }

    /** Tensors in this device's memory (ADR 0018); one instance per backend. */
    @Override
    public TensorKernels tensors() {
        if (tensors == null) {
            tensors = new OpenClTensorKernels(this);
        }
        return tensors;
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public DeviceDescription deviceDescription() {
        OpenClDeviceInfo info = rt.info();
        return new DeviceDescription(
                "opencl",
                info.deviceName() + " [" + info.type() + ", " + variant.name().toLowerCase(java.util.Locale.ROOT)
                        + " kernels]",
                info.platformName() + " " + info.platformVersion() + ", driver " + info.driverVersion(),
                false);
    }

    // ---------------------------------------------------------------------------------------------
    // Padded device matrices

    /** A (rows, cols) matrix on the device, zero-padded to (rowsP, colsP) with row pitch ld. */
    record Mat(Buffer buf, int rows, int cols, int rowsP, int colsP, int ld) {}

    int pad(int n) {
        int x = Math.max(n, 1);
        return (x + unit - 1) / unit * unit;
    }

    static int pitch(int paddedCols) {
        return Integer.bitCount(paddedCols) == 1 && paddedCols >= 256 ? paddedCols + 16 : paddedCols;
    }

    Mat shape(int slot, int rows, int cols) {
        int rp = pad(rows);
        int cp = pad(cols);
        int ld = pitch(cp);
        return new Mat(rt.scratch(slot, (long) rp * ld), rows, cols, rp, cp, ld);
    }

    private Mat upload(int slot, float[] host, int rows, int cols) {
        Mat m = shape(slot, rows, cols);
        m.buf().writePadded(host, rows, cols, m.ld());
        return m;
    }

    Mat zeros(int slot, int rows, int cols) {
        Mat m = shape(slot, rows, cols);
        m.buf().zero();
        return m;
    }

    private void download(Mat m, float[] host) {
        m.buf().readPadded(host, m.rows(), m.cols(), m.ld());
    }

    Mat transposed(int slot, Mat a) {
        Mat t = shape(slot, a.cols(), a.rows());
        rt.launch(
                k("matmul", "transpose"),
                new long[] {a.colsP(), a.rowsP()},
                new long[] {16, 16},
                t.buf(),
                t.ld(),
                a.buf(),
                a.ld());
        return t;
    }

    /** c = alpha·a·b + beta·c on padded matrices (c's shape must be a.rows × b.cols). */
    void gemm(Mat c, Mat a, Mat b, float alpha, float beta) {
        int m = a.rowsP();
        int n = b.colsP();
        int kk = a.colsP();
        long[] global;
        long[] local;
        if (variant == OpenClRuntime.Variant.GPU) {
            global = new long[] {n / 4, m / 4};
            local = new long[] {16, 16};
        } else {
            global = new long[] {n / 16, m / 8};
            local = new long[] {4, 8};
        }
        rt.launch(
                k("matmul", "sgemm"),
                global,
                local,
                m,
                n,
                kk,
                a.buf(),
                a.ld(),
                b.buf(),
                b.ld(),
                c.buf(),
                c.ld(),
                alpha,
                beta);
    }

    cl_kernel k(String program, String name) {
        // Only matmul.cl differs between the variants; the rest is built once per device.
        return rt.kernel(program, name, program.equals("matmul") ? variant : null);
    }

    public OpenClRuntime.Variant variant() {
        return variant;
    }

    private Buffer in(int slot, float[] host, int n) {
        return rt.scratch(slot, n).write(host, n);
    }

    Buffer ints(int slot, int[] host, int n) {
        return rt.scratch(slot, n).write(host, n);
    }

    private Buffer out(int slot, int n) {
        return rt.scratch(slot, n);
    }

    void elementwise(String name, int n, Object... args) {
        rt.launch(k("elementwise", name), new long[] {n}, null, args);
    }

    /** One work-group of {@code rowLocal} work-items per row; appends the local scratch argument. */
    void perRow(String program, String name, int rows, Object... args) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = new Local((long) rowLocal * Float.BYTES);
        rt.launch(k(program, name), new long[] {(long) rows * rowLocal}, new long[] {rowLocal}, all);
    }

    /**
     * Compiles every program now (PoCL takes seconds per program), so that the first timed or
     * latency-sensitive call does not pay for it.
     */
    public void warmUp() {
        synchronized (rt.lock()) {
            k("matmul", "sgemm");
            k("elementwise", "scale");
            k("softmax", "softmax_forward");
            k("norm", "layernorm_forward");
            k("attention", "attention_forward");
            k("reduce", "reduce_partials");
            k("topk", "topk_mask_forward");
            k("optim", "adamw_update");
        }
    }

    /**
     * Times n×n×n SGEMMs on device-resident operands (kernel plus launch, no host transfers):
     * {@code reps} runs after {@code warmup} untimed ones. Returns {median seconds, process CPU
     * seconds of the timed runs, wall seconds of the timed runs}. For benchmarks.
     */
    double[] timeDeviceSgemm(int n, int warmup, int reps) {
        synchronized (rt.lock()) {
            java.util.Random rnd = new java.util.Random(n);
            float[] a = new float[n * n];
            float[] b = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextGaussian();
                b[i] = (float) rnd.nextGaussian();
            }
            Mat am = upload(30, a, n, n);
            Mat bm = upload(31, b, n, n);
            Mat cm = shape(32, n, n);
            for (int i = 0; i < warmup; i++) {
                gemm(cm, am, bm, 1f, 0f);
            }
            rt.finish();
            double[] t = new double[reps];
            long cpu0 = cpuNanos();
            long wall0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                gemm(cm, am, bm, 1f, 0f);
                rt.finish();
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            double cpu = (cpuNanos() - cpu0) / 1e9;
            double wall = (System.nanoTime() - wall0) / 1e9;
            java.util.Arrays.sort(t);
            return new double[] {t[reps / 2], cpu, wall};
        }
    }

    /** CPU time of this process, all threads (the JVM's and the OpenCL driver's), in ns. */
    static long cpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(0L);
    }

    // ---------------------------------------------------------------------------------------------
    // Matrix multiplication

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
        synchronized (rt.lock()) {
            Mat am = transA ? transposed(1, upload(0, a, K, M)) : upload(1, a, M, K);
            Mat bm = transB ? transposed(3, upload(2, b, N, K)) : upload(3, b, K, N);
            Mat cm = beta == 0f ? shape(4, M, N) : upload(4, c, M, N);
            gemm(cm, am, bm, alpha, beta);
            download(cm, c);
        }
    }

    @Override
    public void matmulForward(float[] out, float[] inp, float[] weight, float[] bias, int B, int T, int C, int OC) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Mat x = upload(0, inp, bt, C);
            Mat wt = transposed(2, upload(1, weight, OC, C));
            Mat y = shape(3, bt, OC);
            gemm(y, x, wt, 1f, 0f);
            if (bias != null) {
                Buffer b = in(4, bias, OC);
                rt.launch(k("matmul", "add_row_vector"), new long[] {OC, bt}, null, y.buf(), y.ld(), b);
            }
            download(y, out);
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
        int bt = B * T;
        synchronized (rt.lock()) {
            Mat d = upload(0, dout, bt, OC);
            // dinp (BT,C) += dout (BT,OC) · weight (OC,C)
            Mat w = upload(1, weight, OC, C);
            Mat di = upload(2, dinp, bt, C);
            gemm(di, d, w, 1f, 1f);
            download(di, dinp);
            // dweight (OC,C) += doutᵀ (OC,BT) · inp (BT,C)
            Mat dt = transposed(3, d);
            Mat x = upload(4, inp, bt, C);
            Mat dw = upload(5, dweight, OC, C);
            gemm(dw, dt, x, 1f, 1f);
            download(dw, dweight);
            // dbias (OC) += Σ_bt dout
            if (dbias != null) {
                Buffer db = in(6, dbias, OC);
                rt.launch(k("matmul", "column_sums_acc"), new long[] {OC}, null, db, d.buf(), d.ld(), bt);
                db.read(dbias, OC);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Softmax, log-softmax, cross-entropy

    @Override
    public void softmaxForward(float[] probs, float[] logits, int B, int T, int V) {
        rowwise("softmax_forward", probs, logits, B * T, V);
    }

    @Override
    public void softmaxBackward(float[] dlogits, float[] dprobs, float[] probs, int B, int T, int V) {
        rowwiseBackward("softmax_backward", dlogits, dprobs, probs, B * T, V);
    }

    @Override
    public void logSoftmaxForward(float[] out, float[] logits, int B, int T, int V) {
        rowwise("log_softmax_forward", out, logits, B * T, V);
    }

    @Override
    public void logSoftmaxBackward(float[] dlogits, float[] dout, float[] out, int B, int T, int V) {
        rowwiseBackward("log_softmax_backward", dlogits, dout, out, B * T, V);
    }

    private void rowwise(String kernel, float[] out, float[] inp, int rows, int V) {
        int n = rows * V;
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, n);
            Buffer y = out(1, n);
            perRow("softmax", kernel, rows, y, x, V);
            y.read(out, n);
        }
    }

    private void rowwiseBackward(String kernel, float[] dlogits, float[] dout, float[] fwd, int rows, int V) {
        int n = rows * V;
        synchronized (rt.lock()) {
            Buffer dl = in(0, dlogits, n);
            Buffer d = in(1, dout, n);
            Buffer f = in(2, fwd, n);
            perRow("softmax", kernel, rows, dl, d, f, V);
            dl.read(dlogits, n);
        }
    }

    @Override
    public void crossEntropyForward(float[] losses, float[] probs, int[] targets, int B, int T, int V) {
        int rows = B * T;
        synchronized (rt.lock()) {
            Buffer p = in(0, probs, rows * V);
            Buffer t = ints(1, targets, rows);
            Buffer l = out(2, rows);
            rt.launch(k("softmax", "crossentropy_forward"), new long[] {rows}, null, l, p, t, V);
            l.read(losses, rows);
        }
    }

    @Override
    public void crossEntropySoftmaxBackward(
            float[] dlogits, float[] dlosses, float[] probs, int[] targets, int B, int T, int V) {
        int rows = B * T;
        int n = rows * V;
        synchronized (rt.lock()) {
            Buffer dl = in(0, dlogits, n);
            Buffer dloss = in(1, dlosses, rows);
            Buffer p = in(2, probs, n);
            Buffer t = ints(3, targets, rows);
            rt.launch(k("softmax", "crossentropy_softmax_backward"), new long[] {V, rows}, null, dl, dloss, p, t, V);
            dl.read(dlogits, n);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Normalization

    @Override
    public void layerNormForward(
            float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias, int B, int T, int C) {
        int rows = B * T;
        int n = rows * C;
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, n);
            Buffer w = in(1, weight, C);
            Buffer b = bias == null ? w : in(2, bias, C);
            Buffer y = out(3, n);
            Buffer mu = out(4, rows);
            Buffer rs = out(5, rows);
            perRow("norm", "layernorm_forward", rows, y, mu, rs, x, w, b, bias == null ? 0 : 1, C);
            y.read(out, n);
            mu.read(mean, rows);
            rs.read(rstd, rows);
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
        int rows = B * T;
        int n = rows * C;
        synchronized (rt.lock()) {
            Buffer di = in(0, dinp, n);
            Buffer d = in(1, dout, n);
            Buffer x = in(2, inp, n);
            Buffer w = in(3, weight, C);
            Buffer mu = in(4, mean, rows);
            Buffer rs = in(5, rstd, rows);
            Buffer dw = in(6, dweight, C);
            Buffer db = dbias == null ? dw : in(7, dbias, C);
            perRow("norm", "layernorm_backward_input", rows, di, d, x, w, mu, rs, C);
            rt.launch(
                    k("norm", "layernorm_backward_params"),
                    new long[] {C},
                    null,
                    dw,
                    db,
                    dbias == null ? 0 : 1,
                    d,
                    x,
                    mu,
                    rs,
                    rows,
                    C);
            di.read(dinp, n);
            dw.read(dweight, C);
            if (dbias != null) {
                db.read(dbias, C);
            }
        }
    }

    @Override
    public void rmsNormForward(float[] out, float[] rstd, float[] inp, float[] weight, int B, int T, int C) {
        int rows = B * T;
        int n = rows * C;
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, n);
            Buffer w = in(1, weight, C);
            Buffer y = out(2, n);
            Buffer rs = out(3, rows);
            perRow("norm", "rmsnorm_forward", rows, y, rs, x, w, C);
            y.read(out, n);
            rs.read(rstd, rows);
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
        int rows = B * T;
        int n = rows * C;
        synchronized (rt.lock()) {
            Buffer di = in(0, dinp, n);
            Buffer d = in(1, dout, n);
            Buffer x = in(2, inp, n);
            Buffer w = in(3, weight, C);
            Buffer rs = in(4, rstd, rows);
            Buffer dw = in(5, dweight, C);
            perRow("norm", "rmsnorm_backward_input", rows, di, d, x, w, rs, C);
            rt.launch(k("norm", "rmsnorm_backward_params"), new long[] {C}, null, dw, d, x, rs, rows, C);
            di.read(dinp, n);
            dw.read(dweight, C);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Activations

    @Override
    public void geluForward(float[] out, float[] inp, int N) {
        unary("gelu_forward", out, inp, N);
    }

    @Override
    public void geluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        unaryBackward("gelu_backward", dinp, dout, inp, N);
    }

    @Override
    public void siluForward(float[] out, float[] inp, int N) {
        unary("silu_forward", out, inp, N);
    }

    @Override
    public void siluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        unaryBackward("silu_backward", dinp, dout, inp, N);
    }

    private void unary(String kernel, float[] out, float[] inp, int n) {
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, n);
            Buffer y = out(1, n);
            elementwise(kernel, n, y, x);
            y.read(out, n);
        }
    }

    private void unaryBackward(String kernel, float[] dinp, float[] dout, float[] inp, int n) {
        synchronized (rt.lock()) {
            Buffer di = in(0, dinp, n);
            Buffer d = in(1, dout, n);
            Buffer x = in(2, inp, n);
            elementwise(kernel, n, di, d, x);
            di.read(dinp, n);
        }
    }

    @Override
    public void swigluForward(float[] out, float[] gate, float[] up, int N) {
        synchronized (rt.lock()) {
            Buffer g = in(0, gate, N);
            Buffer u = in(1, up, N);
            Buffer y = out(2, N);
            elementwise("swiglu_forward", N, y, g, u);
            y.read(out, N);
        }
    }

    @Override
    public void swigluBackward(float[] dgate, float[] dup, float[] dout, float[] gate, float[] up, int N) {
        synchronized (rt.lock()) {
            Buffer dg = in(0, dgate, N);
            Buffer du = in(1, dup, N);
            Buffer d = in(2, dout, N);
            Buffer g = in(3, gate, N);
            Buffer u = in(4, up, N);
            elementwise("swiglu_backward", N, dg, du, d, g, u);
            dg.read(dgate, N);
            du.read(dup, N);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Attention and embeddings

    @Override
    public void attentionForward(float[] out, float[] preatt, float[] att, float[] inp, int B, int T, int C, int NH) {
        int nInp = B * T * 3 * C;
        int nOut = B * T * C;
        int nAtt = B * NH * T * T;
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, nInp);
            Buffer y = out(1, nOut);
            Buffer pre = out(2, nAtt);
            Buffer a = out(3, nAtt);
            rt.launch(k("attention", "attention_forward"), new long[] {NH, T, B}, null, y, pre, a, x, T, C, NH);
            y.read(out, nOut);
            pre.read(preatt, nAtt);
            a.read(att, nAtt);
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
        int nInp = B * T * 3 * C;
        int nOut = B * T * C;
        int nAtt = B * NH * T * T;
        synchronized (rt.lock()) {
            Buffer di = in(0, dinp, nInp);
            Buffer dpre = in(1, dpreatt, nAtt);
            Buffer da = in(2, datt, nAtt);
            Buffer d = in(3, dout, nOut);
            Buffer x = in(4, inp, nInp);
            Buffer a = in(5, att, nAtt);
            long[] global = {NH, T, B};
            rt.launch(k("attention", "attention_backward_query"), global, null, di, dpre, da, d, x, a, T, C, NH);
            rt.launch(k("attention", "attention_backward_keyvalue"), global, null, di, dpre, d, x, a, T, C, NH);
            di.read(dinp, nInp);
            dpre.read(dpreatt, nAtt);
            da.read(datt, nAtt);
        }
    }

    @Override
    public void embeddingForward(float[] out, int[] tokens, float[] wte, int B, int T, int C) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Buffer t = ints(0, tokens, bt);
            Buffer w = in(1, wte, wte.length);
            Buffer y = out(2, bt * C);
            rt.launch(k("elementwise", "embedding_forward"), new long[] {C, bt}, null, y, t, w, C);
            y.read(out, bt * C);
        }
    }

    @Override
    public void embeddingBackward(float[] dwte, float[] dout, int[] tokens, int B, int T, int C) {
        int bt = B * T;
        synchronized (rt.lock()) {
            Buffer dw = in(0, dwte, dwte.length);
            Buffer d = in(1, dout, bt * C);
            Buffer t = ints(2, tokens, bt);
            rt.launch(k("elementwise", "embedding_backward"), new long[] {C}, null, dw, d, t, bt, C);
            dw.read(dwte, dwte.length);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Sparsity

    @Override
    public void topKMaskForward(float[] out, float[] mask, float[] inp, int rows, int cols, int k) {
        int n = rows * cols;
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, n);
            Buffer y = out(1, n);
            Buffer msk = out(2, n);
            rt.launch(
                    k("topk", "topk_mask_forward"),
                    new long[] {(long) rows * rowLocal},
                    new long[] {rowLocal},
                    y,
                    msk,
                    x,
                    cols,
                    k);
            y.read(out, n);
            msk.read(mask, n);
        }
    }

    @Override
    public void topKMaskBackward(float[] dinp, float[] dout, float[] mask, int rows, int cols) {
        unaryBackward("mul_acc", dinp, dout, mask, rows * cols);
    }

    // ---------------------------------------------------------------------------------------------
    // Orthogonalization, statistics, reductions

    @Override
    public void newtonSchulz5(float[] out, float[] g, int m, int n) {
        synchronized (rt.lock()) {
            Mat o = newtonSchulz5(upload(10, g, m, n));
            download(o, out);
        }
    }

    /**
     * NS5 of the device matrix {@code g} (m,n), entirely on the device; returns O (m,n) in one of
     * the scratch slots 10..15 (g's buffer is overwritten).
     */
    private Mat newtonSchulz5(Mat g) {
        boolean tall = g.rows() > g.cols();
        Mat x = tall ? transposed(11, g) : g; // iterate on the wide orientation
        double ss = reduce(x.buf(), (long) x.rowsP() * x.ld(), Op.SUMSQ);
        float inv = (float) (1.0 / (Math.sqrt(ss) + ReferenceKernels.NS_EPS));
        scale(x.buf(), (long) x.rowsP() * x.ld(), inv); // X = X / (‖X‖_F + eps)
        int r = x.rows();
        int c = x.cols();
        Mat xn = shape(tall ? 10 : 11, r, c);
        for (int step = 0; step < ReferenceKernels.NS_STEPS; step++) {
            Mat xt = transposed(12, x);
            Mat a = shape(13, r, r);
            gemm(a, x, xt, 1f, 0f); // A = X·Xᵀ
            Mat bm = shape(14, r, r);
            a.buf().copyTo(bm.buf(), (long) a.rowsP() * a.ld());
            gemm(bm, a, a, ReferenceKernels.NS_C, ReferenceKernels.NS_B); // B = c·A·A + b·A
            x.buf().copyTo(xn.buf(), (long) x.rowsP() * x.ld());
            gemm(xn, bm, x, 1f, ReferenceKernels.NS_A); // X = a·X + B·X
            Mat t = x;
            x = xn;
            xn = t;
        }
        return tall ? transposed(15, x) : x;
    }

    private enum Op {
        SUM(0),
        MAX(1),
        SUMSQ(2);

        final int code;

        Op(int code) {
            this.code = code;
        }
    }

    /** Reduces the first n floats of {@code buf}: device partials over a fixed partition, combined in double. */
    private double reduce(Buffer buf, long n, Op op) {
        if (n == 0) {
            return op == Op.MAX ? Double.NEGATIVE_INFINITY : 0.0;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reduction over " + n + " elements exceeds the int index range");
        }
        int groups = (int) Math.min(PARTIALS, n);
        int chunk = (int) ((n + groups - 1) / groups);
        groups = (int) ((n + chunk - 1) / chunk);
        Buffer partials = out(20, groups);
        rt.launch(
                k("reduce", "reduce_partials"),
                new long[] {(long) groups * rowLocal},
                new long[] {rowLocal},
                partials,
                buf,
                (int) n,
                chunk,
                op.code,
                new Local((long) rowLocal * Float.BYTES));
        float[] p = new float[groups];
        partials.read(p, groups);
        if (op == Op.MAX) {
            float mx = Float.NEGATIVE_INFINITY;
            for (float v : p) {
                if (Float.isNaN(v)) {
                    return Double.NaN;
                }
                mx = Math.max(mx, v);
            }
            return mx;
        }
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s;
    }

    private void scale(Buffer buf, long n, float s) {
        rt.launch(k("elementwise", "scale"), new long[] {n}, null, buf, s);
    }

    @Override
    public void rowNorms(float[] norms, float[] inp, int rows, int cols) {
        synchronized (rt.lock()) {
            Buffer x = in(0, inp, rows * cols);
            Buffer ss = out(1, rows);
            perRow("reduce", "row_sumsq", rows, ss, x, cols, cols);
            ss.read(norms, rows);
        }
        for (int r = 0; r < rows; r++) {
            norms[r] = (float) Math.sqrt(norms[r]);
        }
    }

    @Override
    public float rowNormCv(float[] inp, int rows, int cols) {
        float[] norms = new float[rows];
        rowNorms(norms, inp, rows, cols);
        return ReferenceKernels.cv(norms);
    }

    @Override
    public float sum(float[] inp, int N) {
        synchronized (rt.lock()) {
            return N == 0 ? 0f : (float) reduce(in(0, inp, N), N, Op.SUM);
        }
    }

    @Override
    public float max(float[] inp, int N) {
        synchronized (rt.lock()) {
            return N == 0 ? Float.NEGATIVE_INFINITY : (float) reduce(in(0, inp, N), N, Op.MAX);
        }
    }

    @Override
    public float mean(float[] inp, int N) {
        if (N == 0) {
            return Float.NaN;
        }
        synchronized (rt.lock()) {
            return (float) (reduce(in(0, inp, N), N, Op.SUM) / N);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Optimizer updates

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
        // Loshchilov & Hutter (2019); the kernel is commented line by line in optim.cl.
        float bc1 = (float) AdamwBiasCorrection.of(beta1, t); // bias correction of the first moment
        float bc2 = (float) AdamwBiasCorrection.of(beta2, t); // bias correction of the second moment
        synchronized (rt.lock()) {
            Buffer p = in(0, params, N);
            Buffer mb = in(1, m, N);
            Buffer vb = in(2, v, N);
            Buffer g = in(3, grads, N);
            Buffer u = update == null ? g : out(4, N);
            rt.launch(
                    k("optim", "adamw_update"),
                    new long[] {N},
                    null,
                    p,
                    mb,
                    vb,
                    u,
                    update == null ? 0 : 1,
                    g,
                    lr,
                    beta1,
                    beta2,
                    eps,
                    weightDecay,
                    bc1,
                    bc2);
            p.read(params, N);
            mb.read(m, N);
            vb.read(v, N);
            if (update != null) {
                u.read(update, N);
            }
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
        synchronized (rt.lock()) {
            Mat o = newtonSchulz5(muonDirection(momentum, grads, m, n, beta, nesterov)); // O = NS5(U)
            applyUpdate(params, update, o, scale.factor(m, n), lr, weightDecay);
        }
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
        synchronized (rt.lock()) {
            Mat o = newtonSchulz5(muonDirection(momentum, grads, m, n, beta, nesterov)); // O = NS5(U)
            long size = (long) o.rowsP() * o.ld();
            double n0 = Math.sqrt(reduce(o.buf(), size, Op.SUMSQ)); // n0 = ‖O‖_F, Muon's update norm
            Buffer v = in(6, secondMoment, m);
            // v = β2·v + (1−β2)·rowmean(O⊙O); O = O / (sqrt(v) + eps), row-wise
            perRow("optim", "normuon_rows", m, o.buf(), o.ld(), v, n, beta2, eps);
            v.read(secondMoment, m);
            double n1 = Math.sqrt(reduce(o.buf(), size, Op.SUMSQ));
            scale(o.buf(), size, (float) (n0 / (n1 + eps))); // O = O·n0/(‖O‖_F + eps)
            applyUpdate(params, update, o, scale.factor(m, n), lr, weightDecay);
        }
    }

    /** Updates momentum (and copies it back) and returns U, packed as a padded (m,n) matrix in slot 10. */
    private Mat muonDirection(float[] momentum, float[] grads, int m, int n, float beta, boolean nesterov) {
        int len = m * n;
        Buffer mom = in(1, momentum, len);
        Buffer g = in(2, grads, len);
        Buffer u = out(3, len);
        // M = β·M + (1−β)·g ; U = (1−β)·g + β·M (Nesterov) or U = M
        rt.launch(k("optim", "muon_momentum"), new long[] {len}, null, mom, u, g, beta, nesterov ? 1 : 0);
        mom.read(momentum, len);
        Mat um = zeros(10, m, n);
        rt.launch(k("matmul", "pack"), new long[] {n, m}, null, um.buf(), um.ld(), u, n);
        return um;
    }

    /** W ← W·(1 − lr·wd) − lr·s·O; writes s·O to {@code update} when given. */
    private void applyUpdate(float[] params, float[] update, Mat o, float s, float lr, float wd) {
        int m = o.rows();
        int n = o.cols();
        int len = m * n;
        Buffer p = in(4, params, len);
        Buffer u = update == null ? p : out(5, len);
        rt.launch(
                k("optim", "apply_update"),
                new long[] {n, m},
                null,
                p,
                u,
                update == null ? 0 : 1,
                o.buf(),
                o.ld(),
                n,
                s,
                lr,
                wd);
        p.read(params, len);
        if (update != null) {
            u.read(update, len);
        }
    }
}
