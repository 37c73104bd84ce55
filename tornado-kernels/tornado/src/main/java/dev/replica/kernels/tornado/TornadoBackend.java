package dev.replica.kernels.tornado;

import dev.replica.kernels.AdamwBiasCorrection;
import dev.replica.kernels.DeviceDescription;
import dev.replica.kernels.KernelBackend;
import dev.replica.kernels.MuonScale;
import dev.replica.kernels.ops.ReferenceKernels;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The kernels of {@link TornadoKernels} behind {@link KernelBackend}. Each call copies its float[] buffers into
 * {@link FloatArray}s, runs one task graph (several tasks for composite ops such as NS5) and copies the outputs
 * back. With TornadoVM's real runtime the graphs are compiled for the device; with Replica's api-jvm they run on
 * the JVM, which {@link #deviceDescription()} reports ({@code emulated = true}).
 */
public final class TornadoBackend implements KernelBackend {

    /** GEMMs with at least this many multiply-adds use the local-memory tiled kernel. */
    static final long TILED_GEMM_WORK = 1L << 18;

    private static final int BLOCK = 4096;
    private static final int EVERY = DataTransferMode.EVERY_EXECUTION;

    private final DeviceDescription device;

    public TornadoBackend() {
        this.device = TornadoRuntimeInfo.describe();
    }

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public DeviceDescription deviceDescription() {
        return device;
    }

    // ---------------------------------------------------------------------------------------------
    // plumbing

    private static FloatArray in(float[] x) {
        return FloatArray.fromArray(x);
    }

    private static FloatArray orDummy(float[] x) {
        return x == null ? new FloatArray(1) : FloatArray.fromArray(x);
    }

    private static int flag(boolean b) {
        return b ? 1 : 0;
    }

    private static void back(FloatArray device, float[] host) {
        if (host != null) {
            System.arraycopy(device.toHeapArray(), 0, host, 0, host.length);
        }
    }

    private static void run(TaskGraph graph, GridScheduler grid) {
        try (TornadoExecutionPlan plan = new TornadoExecutionPlan(graph.snapshot())) {
            if (grid != null) {
                plan.withGridScheduler(grid);
            }
            plan.execute();
        } catch (TornadoExecutionPlanException e) {
            throw new IllegalStateException("TornadoVM execution plan failed: " + e.getMessage(), e);
        }
    }

    /** Adds a GEMM task (tiled or simple) to {@code tg} and its grid to {@code grid}. */
    private static void addGemm(
            TaskGraph tg,
            GridScheduler grid,
            String id,
            FloatArray c,
            FloatArray a,
            FloatArray b,
            int M,
            int N,
            int K,
            boolean transA,
            boolean transB,
            float alpha,
            float beta) {
        boolean tiled = (long) M * N * K >= TILED_GEMM_WORK;
        WorkerGrid wg;
        if (tiled) {
            int t = TornadoKernels.TILE;
            wg = new WorkerGrid2D(roundUp(N, t), roundUp(M, t));
            wg.setLocalWork(t, t, 1);
            tg.task(
                    id,
                    TornadoKernels::gemmTiled,
                    new KernelContext(),
                    c,
                    a,
                    b,
                    M,
                    N,
                    K,
                    flag(transA),
                    flag(transB),
                    alpha,
                    beta);
        } else {
            wg = new WorkerGrid2D(N, M);
            tg.task(
                    id,
                    TornadoKernels::gemm,
                    new KernelContext(),
                    c,
                    a,
                    b,
                    M,
                    N,
                    K,
                    flag(transA),
                    flag(transB),
                    alpha,
                    beta);
        }
        grid.addWorkerGrid(tg.getTaskGraphName() + "." + id, wg);
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
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
        if (M == 0 || N == 0) {
            return;
        }
        FloatArray dc = in(c), da = in(a), db = in(b);
        TaskGraph tg = new TaskGraph("gemm").transferToDevice(EVERY, dc, da, db);
        GridScheduler grid = new GridScheduler();
        addGemm(tg, grid, "mm", dc, da, db, M, N, K, transA, transB, alpha, beta);
        tg.transferToHost(EVERY, dc);
        run(tg, grid);
        back(dc, c);
    }

    @Override
    public void matmulForward(float[] out, float[] inp, float[] weight, float[] bias, int B, int T, int C, int OC) {
        FloatArray o = in(out), x = in(inp), w = in(weight), bb = orDummy(bias);
        run(
                new TaskGraph("mmf")
                        .transferToDevice(EVERY, x, w, bb)
                        .task("t", TornadoKernels::matmulForward, o, x, w, bb, flag(bias != null), B * T, C, OC)
                        .transferToHost(EVERY, o),
                null);
        back(o, out);
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
        FloatArray di = in(dinp), dw = in(dweight), db = orDummy(dbias), d = in(dout), x = in(inp), w = in(weight);
        TaskGraph tg = new TaskGraph("mmb")
                .transferToDevice(EVERY, di, dw, db, d, x, w)
                .task("input", TornadoKernels::matmulBackwardInput, di, d, w, BT, C, OC)
                .task("weight", TornadoKernels::matmulBackwardWeight, dw, d, x, BT, C, OC);
        if (dbias != null) {
            tg.task("bias", TornadoKernels::matmulBackwardBias, db, d, BT, OC);
        }
        run(tg.transferToHost(EVERY, di, dw, db), null);
        back(di, dinp);
        back(dw, dweight);
        back(db, dbias);
    }

    @Override
    public void softmaxForward(float[] probs, float[] logits, int B, int T, int V) {
        FloatArray p = in(probs), l = in(logits);
        run(
                new TaskGraph("smf")
                        .transferToDevice(EVERY, l)
                        .task("t", TornadoKernels::softmaxForward, p, l, B * T, V)
                        .transferToHost(EVERY, p),
                null);
        back(p, probs);
    }

    @Override
    public void softmaxBackward(float[] dlogits, float[] dprobs, float[] probs, int B, int T, int V) {
        FloatArray dl = in(dlogits), dp = in(dprobs), p = in(probs);
        run(
                new TaskGraph("smb")
                        .transferToDevice(EVERY, dl, dp, p)
                        .task("t", TornadoKernels::softmaxBackward, dl, dp, p, B * T, V)
                        .transferToHost(EVERY, dl),
                null);
        back(dl, dlogits);
    }

    @Override
    public void logSoftmaxForward(float[] out, float[] logits, int B, int T, int V) {
        FloatArray o = in(out), l = in(logits);
        run(
                new TaskGraph("lsf")
                        .transferToDevice(EVERY, l)
                        .task("t", TornadoKernels::logSoftmaxForward, o, l, B * T, V)
                        .transferToHost(EVERY, o),
                null);
        back(o, out);
    }

    @Override
    public void logSoftmaxBackward(float[] dlogits, float[] dout, float[] out, int B, int T, int V) {
        FloatArray dl = in(dlogits), d = in(dout), o = in(out);
        run(
                new TaskGraph("lsb")
                        .transferToDevice(EVERY, dl, d, o)
                        .task("t", TornadoKernels::logSoftmaxBackward, dl, d, o, B * T, V)
                        .transferToHost(EVERY, dl),
                null);
        back(dl, dlogits);
    }

    @Override
    public void crossEntropyForward(float[] losses, float[] probs, int[] targets, int B, int T, int V) {
        FloatArray l = in(losses), p = in(probs);
        IntArray tg = IntArray.fromArray(targets);
        run(
                new TaskGraph("cef")
                        .transferToDevice(EVERY, p, tg)
                        .task("t", TornadoKernels::crossEntropyForward, l, p, tg, B * T, V)
                        .transferToHost(EVERY, l),
                null);
        back(l, losses);
    }

    @Override
    public void crossEntropySoftmaxBackward(
            float[] dlogits, float[] dlosses, float[] probs, int[] targets, int B, int T, int V) {
        FloatArray dl = in(dlogits), dloss = in(dlosses), p = in(probs);
        IntArray tg = IntArray.fromArray(targets);
        run(
                new TaskGraph("ceb")
                        .transferToDevice(EVERY, dl, dloss, p, tg)
                        .task("t", TornadoKernels::crossEntropySoftmaxBackward, dl, dloss, p, tg, B * T, V)
                        .transferToHost(EVERY, dl),
                null);
        back(dl, dlogits);
    }

    @Override
    public void layerNormForward(
            float[] out, float[] mean, float[] rstd, float[] inp, float[] weight, float[] bias, int B, int T, int C) {
        FloatArray o = in(out), mu = in(mean), rs = in(rstd), x = in(inp), w = in(weight), b = orDummy(bias);
        run(
                new TaskGraph("lnf")
                        .transferToDevice(EVERY, x, w, b)
                        .task("t", TornadoKernels::layerNormForward, o, mu, rs, x, w, b, flag(bias != null), B * T, C)
                        .transferToHost(EVERY, o, mu, rs),
                null);
        back(o, out);
        back(mu, mean);
        back(rs, rstd);
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
        FloatArray di = in(dinp), dw = in(dweight), db = orDummy(dbias), d = in(dout), x = in(inp), w = in(weight);
        FloatArray mu = in(mean), rs = in(rstd);
        run(
                new TaskGraph("lnb")
                        .transferToDevice(EVERY, di, dw, db, d, x, w, mu, rs)
                        .task("input", TornadoKernels::layerNormBackwardInput, di, d, x, w, mu, rs, B * T, C)
                        .task(
                                "params",
                                TornadoKernels::layerNormBackwardParams,
                                dw,
                                db,
                                flag(dbias != null),
                                d,
                                x,
                                mu,
                                rs,
                                B * T,
                                C)
                        .transferToHost(EVERY, di, dw, db),
                null);
        back(di, dinp);
        back(dw, dweight);
        back(db, dbias);
    }

    @Override
    public void rmsNormForward(float[] out, float[] rstd, float[] inp, float[] weight, int B, int T, int C) {
        FloatArray o = in(out), rs = in(rstd), x = in(inp), w = in(weight);
        run(
                new TaskGraph("rmsf")
                        .transferToDevice(EVERY, x, w)
                        .task("t", TornadoKernels::rmsNormForward, o, rs, x, w, B * T, C)
                        .transferToHost(EVERY, o, rs),
                null);
        back(o, out);
        back(rs, rstd);
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
        FloatArray di = in(dinp), dw = in(dweight), d = in(dout), x = in(inp), w = in(weight), rs = in(rstd);
        run(
                new TaskGraph("rmsb")
                        .transferToDevice(EVERY, di, dw, d, x, w, rs)
                        .task("input", TornadoKernels::rmsNormBackwardInput, di, d, x, w, rs, B * T, C)
                        .task("weight", TornadoKernels::rmsNormBackwardWeight, dw, d, x, rs, B * T, C)
                        .transferToHost(EVERY, di, dw),
                null);
        back(di, dinp);
        back(dw, dweight);
    }

    @Override
    public void geluForward(float[] out, float[] inp, int N) {
        FloatArray o = in(out), x = in(inp);
        run(
                new TaskGraph("gf")
                        .transferToDevice(EVERY, x)
                        .task("t", TornadoKernels::geluForward, o, x, N)
                        .transferToHost(EVERY, o),
                null);
        back(o, out);
    }

    @Override
    public void geluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        FloatArray di = in(dinp), d = in(dout), x = in(inp);
        run(
                new TaskGraph("gb")
                        .transferToDevice(EVERY, di, d, x)
                        .task("t", TornadoKernels::geluBackward, di, d, x, N)
                        .transferToHost(EVERY, di),
                null);
        back(di, dinp);
    }

    @Override
    public void siluForward(float[] out, float[] inp, int N) {
        FloatArray o = in(out), x = in(inp);
        run(
                new TaskGraph("sf")
                        .transferToDevice(EVERY, x)
                        .task("t", TornadoKernels::siluForward, o, x, N)
                        .transferToHost(EVERY, o),
                null);
        back(o, out);
    }

    @Override
    public void siluBackward(float[] dinp, float[] dout, float[] inp, int N) {
        FloatArray di = in(dinp), d = in(dout), x = in(inp);
        run(
                new TaskGraph("sb")
                        .transferToDevice(EVERY, di, d, x)
                        .task("t", TornadoKernels::siluBackward, di, d, x, N)
                        .transferToHost(EVERY, di),
                null);
        back(di, dinp);
    }

    @Override
    public void swigluForward(float[] out, float[] gate, float[] up, int N) {
        FloatArray o = in(out), g = in(gate), u = in(up);
        run(
                new TaskGraph("swf")
                        .transferToDevice(EVERY, g, u)
                        .task("t", TornadoKernels::swigluForward, o, g, u, N)
                        .transferToHost(EVERY, o),
                null);
        back(o, out);
    }

    @Override
    public void swigluBackward(float[] dgate, float[] dup, float[] dout, float[] gate, float[] up, int N) {
        FloatArray dg = in(dgate), du = in(dup), d = in(dout), g = in(gate), u = in(up);
        run(
                new TaskGraph("swb")
                        .transferToDevice(EVERY, dg, du, d, g, u)
                        .task("t", TornadoKernels::swigluBackward, dg, du, d, g, u, N)
                        .transferToHost(EVERY, dg, du),
                null);
        back(dg, dgate);
        back(du, dup);
    }

    @Override
    public void attentionForward(float[] out, float[] preatt, float[] att, float[] inp, int B, int T, int C, int NH) {
        FloatArray o = in(out), p = in(preatt), a = in(att), x = in(inp);
        run(
                new TaskGraph("attf")
                        .transferToDevice(EVERY, x)
                        .task("t", TornadoKernels::attentionForward, o, p, a, x, B, T, C, NH)
                        .transferToHost(EVERY, o, p, a),
                null);
        back(o, out);
        back(p, preatt);
        back(a, att);
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
        FloatArray di = in(dinp), dp = in(dpreatt), da = in(datt), d = in(dout), x = in(inp), a = in(att);
        run(
                new TaskGraph("attb")
                        .transferToDevice(EVERY, di, dp, da, d, x, a)
                        .task("t", TornadoKernels::attentionBackward, di, dp, da, d, x, a, B, T, C, NH)
                        .transferToHost(EVERY, di, dp, da),
                null);
        back(di, dinp);
        back(dp, dpreatt);
        back(da, datt);
    }

    @Override
    public void embeddingForward(float[] out, int[] tokens, float[] wte, int B, int T, int C) {
        FloatArray o = in(out), w = in(wte);
        IntArray tk = IntArray.fromArray(tokens);
        run(
                new TaskGraph("embf")
                        .transferToDevice(EVERY, tk, w)
                        .task("t", TornadoKernels::embeddingForward, o, tk, w, B * T, C)
                        .transferToHost(EVERY, o),
                null);
        back(o, out);
    }

    @Override
    public void embeddingBackward(float[] dwte, float[] dout, int[] tokens, int B, int T, int C) {
        FloatArray dw = in(dwte), d = in(dout);
        IntArray tk = IntArray.fromArray(tokens);
        run(
                new TaskGraph("embb")
                        .transferToDevice(EVERY, dw, d, tk)
                        .task("t", TornadoKernels::embeddingBackward, dw, d, tk, B * T, C)
                        .transferToHost(EVERY, dw),
                null);
        back(dw, dwte);
    }

    @Override
    public void topKMaskForward(float[] out, float[] mask, float[] inp, int rows, int cols, int k) {
        FloatArray o = in(out), m = in(mask), x = in(inp);
        run(
                new TaskGraph("topk")
                        .transferToDevice(EVERY, x)
                        .task("t", TornadoKernels::topKMask, o, m, x, rows, cols, k)
                        .transferToHost(EVERY, o, m),
                null);
        back(o, out);
        back(m, mask);
    }

    @Override
    public void topKMaskBackward(float[] dinp, float[] dout, float[] mask, int rows, int cols) {
        FloatArray di = in(dinp), d = in(dout), m = in(mask);
        run(
                new TaskGraph("topkb")
                        .transferToDevice(EVERY, di, d, m)
                        .task("t", TornadoKernels::maskedAccumulate, di, d, m, rows * cols)
                        .transferToHost(EVERY, di),
                null);
        back(di, dinp);
    }

    // ---------------------------------------------------------------------------------------------
    // Newton–Schulz: one task graph for the whole iteration

    /** Adds the NS5 tasks mapping {@code g (m,n)} to {@code out (m,n)}; returns the scratch it allocated. */
    private static void addNewtonSchulz(TaskGraph tg, GridScheduler grid, FloatArray out, FloatArray g, int m, int n) {
        boolean tall = m > n;
        int r = Math.min(m, n);
        int c = Math.max(m, n);
        FloatArray x0 = new FloatArray(r * c), x1 = new FloatArray(r * c);
        FloatArray a = new FloatArray(r * r), b = new FloatArray(r * r);
        FloatArray partial = new FloatArray((r * c + BLOCK - 1) / BLOCK);
        if (tall) {
            tg.task("orient", TornadoKernels::transpose, x0, g, m, n);
        } else {
            tg.task("orient", TornadoKernels::copy, x0, g, r * c);
        }
        tg.task("sumsq", TornadoKernels::blockSumSquares, partial, x0, r * c, BLOCK);
        tg.task("normalize", TornadoKernels::scaleByInverseNorm, x0, partial, r * c, ReferenceKernels.NS_EPS);
        FloatArray cur = x0, next = x1;
        for (int s = 0; s < ReferenceKernels.NS_STEPS; s++) {
            addGemm(tg, grid, "xxt" + s, a, cur, cur, r, r, c, false, true, 1f, 0f); // A = X·Xᵀ
            addGemm(tg, grid, "aa" + s, b, a, a, r, r, r, false, false, ReferenceKernels.NS_C, 0f); // B = c·A·A
            tg.task("plusA" + s, TornadoKernels::axpy, b, a, ReferenceKernels.NS_B, r * r); // B += b·A
            tg.task("keep" + s, TornadoKernels::copy, next, cur, r * c);
            addGemm(
                    tg,
                    grid,
                    "bx" + s,
                    next,
                    b,
                    cur,
                    r,
                    c,
                    r,
                    false,
                    false,
                    1f,
                    ReferenceKernels.NS_A); // X = a·X + B·X
            FloatArray t = cur;
            cur = next;
            next = t;
        }
        if (tall) {
            tg.task("restore", TornadoKernels::transpose, out, cur, r, c);
        } else {
            tg.task("restore", TornadoKernels::copy, out, cur, r * c);
        }
    }

    @Override
    public void newtonSchulz5(float[] out, float[] g, int m, int n) {
        FloatArray o = new FloatArray(m * n), dg = in(g);
        TaskGraph tg = new TaskGraph("ns5").transferToDevice(EVERY, dg);
        GridScheduler grid = new GridScheduler();
        addNewtonSchulz(tg, grid, o, dg, m, n);
        run(tg.transferToHost(EVERY, o), grid);
        back(o, out);
    }

    @Override
    public void rowNorms(float[] norms, float[] inp, int rows, int cols) {
        FloatArray nr = in(norms), x = in(inp);
        run(
                new TaskGraph("rn")
                        .transferToDevice(EVERY, x)
                        .task("t", TornadoKernels::rowNorms, nr, x, rows, cols)
                        .transferToHost(EVERY, nr),
                null);
        back(nr, norms);
    }

    @Override
    public float rowNormCv(float[] inp, int rows, int cols) {
        float[] norms = new float[rows];
        rowNorms(norms, inp, rows, cols);
        return ReferenceKernels.cv(norms);
    }

    private static float[] blocks(float[] inp, int N, boolean max) {
        FloatArray x = in(inp), partial = new FloatArray(Math.max(1, (N + BLOCK - 1) / BLOCK));
        TaskGraph tg = new TaskGraph("reduce").transferToDevice(EVERY, x);
        if (max) {
            tg.task("t", TornadoKernels::blockMax, partial, x, N, BLOCK);
        } else {
            tg.task("t", TornadoKernels::blockSums, partial, x, N, BLOCK);
        }
        run(tg.transferToHost(EVERY, partial), null);
        return partial.toHeapArray();
    }

    @Override
    public float sum(float[] inp, int N) {
        if (N == 0) {
            return 0f;
        }
        double s = 0;
        for (float p : blocks(inp, N, false)) {
            s += p; // blocks added in order on the host
        }
        return (float) s;
    }

    @Override
    public float max(float[] inp, int N) {
        float m = Float.NEGATIVE_INFINITY;
        if (N == 0) {
            return m;
        }
        // NaN and +Inf are found on the host (see TornadoKernels.blockMax): a NaN anywhere makes the max NaN,
        // else a +Inf makes it +Inf, and only −Inf values give −Inf; the device reduces the finite values.
        boolean inf = false, finite = false;
        for (int i = 0; i < N; i++) {
            if (Float.isNaN(inp[i])) {
                return Float.NaN;
            }
            inf |= inp[i] == Float.POSITIVE_INFINITY;
            finite |= !Float.isInfinite(inp[i]);
        }
        if (inf || !finite) {
            return inf ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        for (float p : blocks(inp, N, true)) {
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
        float c1 = AdamwBiasCorrection.inverse(beta1, t); // bias corrections, once per step on the host
        float c2 = AdamwBiasCorrection.inverse(beta2, t);
        FloatArray p = in(params), dm = in(m), dv = in(v), u = orDummy(update), g = in(grads);
        run(
                new TaskGraph("adamw")
                        .transferToDevice(EVERY, p, dm, dv, g)
                        .task(
                                "t",
                                TornadoKernels::adamw,
                                p,
                                dm,
                                dv,
                                u,
                                flag(update != null),
                                g,
                                N,
                                lr,
                                beta1,
                                beta2,
                                eps,
                                weightDecay,
                                c1,
                                c2)
                        .transferToHost(EVERY, p, dm, dv, u),
                null);
        back(p, params);
        back(dm, m);
        back(dv, v);
        back(u, update);
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
        int N = m * n;
        FloatArray p = in(params), mom = in(momentum), u = orDummy(update), g = in(grads);
        FloatArray dir = new FloatArray(N), o = new FloatArray(N);
        TaskGraph tg = new TaskGraph("muon")
                .transferToDevice(EVERY, p, mom, g)
                .task("momentum", TornadoKernels::muonMomentum, mom, dir, g, N, beta, flag(nesterov));
        GridScheduler grid = new GridScheduler();
        addNewtonSchulz(tg, grid, o, dir, m, n);
        tg.task(
                "apply",
                TornadoKernels::applyUpdate,
                p,
                u,
                flag(update != null),
                o,
                scale.factor(m, n),
                lr,
                weightDecay,
                N);
        run(tg.transferToHost(EVERY, p, mom, u), grid);
        back(p, params);
        back(mom, momentum);
        back(u, update);
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
        int N = m * n;
        FloatArray mom = in(momentum), v = in(secondMoment), g = in(grads);
        FloatArray dir = new FloatArray(N), o = new FloatArray(N);
        TaskGraph tg = new TaskGraph("normuon")
                .transferToDevice(EVERY, mom, v, g)
                .task("momentum", TornadoKernels::muonMomentum, mom, dir, g, N, beta, flag(nesterov));
        GridScheduler grid = new GridScheduler();
        addNewtonSchulz(tg, grid, o, dir, m, n);
        FloatArray before = new FloatArray((N + BLOCK - 1) / BLOCK), after = new FloatArray((N + BLOCK - 1) / BLOCK);
        tg.task("n0", TornadoKernels::blockSumSquares, before, o, N, BLOCK)
                .task("rows", TornadoKernels::normuonRows, o, v, m, n, beta2, eps)
                .task("n1", TornadoKernels::blockSumSquares, after, o, N, BLOCK);
        run(tg.transferToHost(EVERY, mom, v, o, before, after), grid);
        back(mom, momentum);
        back(v, secondMoment);
        // restore Muon's Frobenius norm: O·n0/(‖O‖_F + eps), then scale and apply (host-side scalars, device update)
        double n0 = Math.sqrt(sumInOrder(before.toHeapArray()));
        double n1 = Math.sqrt(sumInOrder(after.toHeapArray()));
        float s = (float) (n0 / (n1 + eps)) * scale.factor(m, n);
        FloatArray p = in(params), u = orDummy(update);
        run(
                new TaskGraph("normuonApply")
                        .transferToDevice(EVERY, p, o)
                        .task(
                                "apply",
                                TornadoKernels::applyUpdate,
                                p,
                                u,
                                flag(update != null),
                                o,
                                s,
                                lr,
                                weightDecay,
                                N)
                        .transferToHost(EVERY, p, u),
                null);
        back(p, params);
        back(u, update);
    }

    private static double sumInOrder(float[] partial) {
        double s = 0;
        for (float x : partial) {
            s += x;
        }
        return s;
    }
}
