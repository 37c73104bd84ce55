package dev.replica.kernels.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked, packed single-precision GEMM on the Vector API: {@code C = alpha·op(A)·op(B) + beta·C}.
 *
 * <p>Scheme (after Goto &amp; van de Geijn): op(B) is packed once into column panels of NR = 2 vectors, laid out
 * k-major so a micro-kernel streams them; each task owns an MC×NC block of C and packs its rows of op(A)
 * (scaled by alpha) into MR-row panels per KC-deep slice of k. The 6×NR micro-kernel keeps 12 vector
 * accumulators in registers.
 *
 * <p>Determinism: every C element is accumulated by one task, over k in ascending order (KC slices in order,
 * an FMA per k within a slice), whatever the number of threads.
 */
final class Sgemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    static final int MR = 6;
    static final int NR = 2 * VL;
    static final int KC = 256;
    static final int MC = 96;
    static final int NC = 512;

    private Sgemm() {}

    static void gemm(
            Parallel par,
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
        // C = beta·C first (beta == 0 never reads C), by row blocks.
        if (beta != 1f) {
            par.forEach(Parallel.blocks(M, 64), blk -> {
                int end = Math.min(M, (blk + 1) * 64) * N;
                for (int i = blk * 64 * N; i < end; i++) {
                    c[i] = beta == 0f ? 0f : beta * c[i];
                }
            });
        }
        if (K == 0 || alpha == 0f) {
            return;
        }
        // Pack op(B) into panels of NR columns: bp[(jp·K + k)·NR + jj] = op(B)[k][jp·NR + jj], zero padded.
        int panels = Parallel.blocks(N, NR);
        float[] bp = new float[panels * K * NR];
        par.forEach(panels, jp -> packB(bp, b, jp, N, K, transB));
        int rowBlocks = Parallel.blocks(M, MC);
        int colBlocks = Parallel.blocks(N, NC);
        par.forEach(rowBlocks * colBlocks, task -> {
            int ib = task / colBlocks;
            int jb = task % colBlocks;
            int i0 = ib * MC;
            int mc = Math.min(MC, M - i0);
            int j0 = jb * NC;
            int nc = Math.min(NC, N - j0);
            float[] ap = new float[Parallel.blocks(mc, MR) * MR * KC];
            for (int p0 = 0; p0 < K; p0 += KC) {
                int kc = Math.min(KC, K - p0);
                packA(ap, a, i0, mc, p0, kc, M, K, transA, alpha);
                for (int jj = 0; jj < nc; jj += NR) {
                    int jp = (j0 + jj) / NR;
                    int bOff = (jp * K + p0) * NR;
                    int cols = Math.min(NR, nc - jj);
                    for (int ii = 0; ii < mc; ii += MR) {
                        int rows = Math.min(MR, mc - ii);
                        kernel(ap, (ii / MR) * kc * MR, bp, bOff, kc, c, (i0 + ii) * N + j0 + jj, N, rows, cols);
                    }
                }
            }
        });
    }

    private static void packB(float[] bp, float[] b, int jp, int N, int K, boolean transB) {
        int j0 = jp * NR;
        int cols = Math.min(NR, N - j0);
        int base = jp * K * NR;
        for (int k = 0; k < K; k++) {
            int o = base + k * NR;
            if (transB) {
                for (int jj = 0; jj < cols; jj++) {
                    bp[o + jj] = b[(j0 + jj) * K + k];
                }
            } else {
                System.arraycopy(b, k * N + j0, bp, o, cols);
            }
        }
    }

    /** ap[(panel·kc + k)·MR + r] = alpha·op(A)[i0 + panel·MR + r][p0 + k], zero padded past M. */
    private static void packA(
            float[] ap, float[] a, int i0, int mc, int p0, int kc, int M, int K, boolean transA, float alpha) {
        int panels = Parallel.blocks(mc, MR);
        for (int pnl = 0; pnl < panels; pnl++) {
            int base = pnl * kc * MR;
            for (int r = 0; r < MR; r++) {
                int i = i0 + pnl * MR + r;
                if (pnl * MR + r >= mc) {
                    for (int k = 0; k < kc; k++) {
                        ap[base + k * MR + r] = 0f;
                    }
                } else if (transA) {
                    for (int k = 0; k < kc; k++) {
                        ap[base + k * MR + r] = alpha * a[(p0 + k) * M + i];
                    }
                } else {
                    int row = i * K + p0;
                    for (int k = 0; k < kc; k++) {
                        ap[base + k * MR + r] = alpha * a[row + k];
                    }
                }
            }
        }
    }

    /**
     * C[MR×NR tile] += Σ_k ap[k]·bp[k]. Edge tiles (fewer rows or columns) are computed into a zeroed scratch
     * tile and then added into C, so the micro-kernel has one branch-free code path (no deoptimization when
     * shapes change) and every element still gets c + acc.
     */
    private static void kernel(
            float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc, int rows, int cols) {
        if (rows == MR && cols == NR) {
            microKernel(ap, aOff, bp, bOff, kc, c, cOff, ldc);
            return;
        }
        float[] tile = new float[MR * NR];
        microKernel(ap, aOff, bp, bOff, kc, tile, 0, NR);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + r * ldc + j] += tile[r * NR + j];
            }
        }
    }

    private static void microKernel(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int ai = aOff;
        int bi = bOff;
        for (int k = 0; k < kc; k++, ai += MR, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + VL);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        store2(c, cOff, c00, c01);
        store2(c, cOff + ldc, c10, c11);
        store2(c, cOff + 2 * ldc, c20, c21);
        store2(c, cOff + 3 * ldc, c30, c31);
        store2(c, cOff + 4 * ldc, c40, c41);
        store2(c, cOff + 5 * ldc, c50, c51);
    }

    private static void store2(float[] c, int off, FloatVector v0, FloatVector v1) {
        FloatVector.fromArray(S, c, off).add(v0).intoArray(c, off);
        FloatVector.fromArray(S, c, off + VL).add(v1).intoArray(c, off + VL);
    }
}
