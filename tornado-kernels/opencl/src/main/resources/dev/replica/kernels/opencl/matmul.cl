// Matrix multiplication on padded, row-major device matrices.
//
// C (M,N; row pitch ldc) = alpha * A (M,K; lda) * B (K,N; ldb) + beta * C.
// The host pads M, N and K with zeros to the block multiples below, so the kernels carry no
// bounds checks; transposed operands are materialized with `transpose` first.
// beta == 0 never reads C (it may hold garbage), as in BLAS.

#ifdef VARIANT_GPU
// Local-memory tiles: a 16x16 work-group computes a 64x64 block of C, each work-item a 4x4
// register block at stride 16 (conflict-free local reads), stepping K by 16.
// Requires M % 64 == 0, N % 64 == 0, K % 16 == 0.
#define TM 64
#define TN 64
#define TK 16
__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void sgemm(const int M, const int N, const int K,
           __global const float* restrict A, const int lda,
           __global const float* restrict B, const int ldb,
           __global float* restrict C, const int ldc,
           const float alpha, const float beta) {
  __local float As[TK][TM + 1];  // A tile stored transposed: As[k][row]
  __local float Bs[TK][TN + 1];
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  const int lid = ty * 16 + tx;
  const int row0 = get_group_id(1) * TM;
  const int col0 = get_group_id(0) * TN;
  float acc[4][4];
  for (int r = 0; r < 4; r++) {
    for (int c = 0; c < 4; c++) {
      acc[r][c] = 0.0f;
    }
  }
  for (int k0 = 0; k0 < K; k0 += TK) {
    for (int l = 0; l < 4; l++) {
      const int idx = lid + 256 * l;
      const int ar = idx / TK;
      const int ak = idx % TK;
      As[ak][ar] = A[(row0 + ar) * lda + k0 + ak];
      const int bk = idx / TN;
      const int bc = idx % TN;
      Bs[bk][bc] = B[(k0 + bk) * ldb + col0 + bc];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int kk = 0; kk < TK; kk++) {
      float a[4];
      float b[4];
      for (int r = 0; r < 4; r++) {
        a[r] = As[kk][ty + 16 * r];
      }
      for (int c = 0; c < 4; c++) {
        b[c] = Bs[kk][tx + 16 * c];
      }
      for (int r = 0; r < 4; r++) {
        for (int c = 0; c < 4; c++) {
          acc[r][c] = mad(a[r], b[c], acc[r][c]);
        }
      }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  for (int r = 0; r < 4; r++) {
    for (int c = 0; c < 4; c++) {
      const int idx = (row0 + ty + 16 * r) * ldc + col0 + tx + 16 * c;
      C[idx] = beta == 0.0f ? alpha * acc[r][c] : alpha * acc[r][c] + beta * C[idx];
    }
  }
}
#else
// Register blocking for CPU devices: each work-item owns an 8x16 block of C held in sixteen
// float8 accumulators and streams one row of B (two float8 loads) per k against eight broadcast
// elements of A. A work-group of 4x8 work-items covers a 64x64 tile of C and walks K in slices
// of KB; the barrier after each slice makes PoCL run the slice for all 32 work-items before
// moving on, so the tile's A (64xKB) and B (KBx64) slices stay in cache while they are reused.
// Requires M % 64 == 0, N % 64 == 0.
#define KB 128
#define ROW(r)                                                   \
  {                                                              \
    const float a = A[(i + r) * lda + k];                        \
    c##r##0 = mad((float8)(a), b0, c##r##0);                     \
    c##r##1 = mad((float8)(a), b1, c##r##1);                     \
  }
#define STORE(r)                                                 \
  {                                                              \
    __global float* crow = C + (i + r) * ldc + j;                \
    if (beta == 0.0f) {                                          \
      vstore8(alpha * c##r##0, 0, crow);                         \
      vstore8(alpha * c##r##1, 0, crow + 8);                     \
    } else {                                                     \
      vstore8(alpha * c##r##0 + beta * vload8(0, crow), 0, crow);         \
      vstore8(alpha * c##r##1 + beta * vload8(0, crow + 8), 0, crow + 8); \
    }                                                            \
  }
__kernel __attribute__((reqd_work_group_size(4, 8, 1)))
void sgemm(const int M, const int N, const int K,
           __global const float* restrict A, const int lda,
           __global const float* restrict B, const int ldb,
           __global float* restrict C, const int ldc,
           const float alpha, const float beta) {
  const int j = get_global_id(0) * 16;
  const int i = get_global_id(1) * 8;
  float8 c00 = 0.0f, c01 = 0.0f, c10 = 0.0f, c11 = 0.0f, c20 = 0.0f, c21 = 0.0f, c30 = 0.0f,
         c31 = 0.0f, c40 = 0.0f, c41 = 0.0f, c50 = 0.0f, c51 = 0.0f, c60 = 0.0f, c61 = 0.0f,
         c70 = 0.0f, c71 = 0.0f;
  for (int k0 = 0; k0 < K; k0 += KB) {
    const int kend = min(K, k0 + KB);
    for (int k = k0; k < kend; k++) {
      const float8 b0 = vload8(0, B + k * ldb + j);
      const float8 b1 = vload8(0, B + k * ldb + j + 8);
      ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7)
    }
    barrier(CLK_GLOBAL_MEM_FENCE);
  }
  STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
}
#endif

// out (cols,rows; ldo) = in (rows,cols; ldi)ᵀ over the padded extents; 16x16 tiles.
__kernel __attribute__((reqd_work_group_size(16, 16, 1)))
void transpose(__global float* restrict out, const int ldo,
               __global const float* restrict in, const int ldi) {
  __local float tile[16][17];
  const int tx = get_local_id(0);
  const int ty = get_local_id(1);
  const int c0 = get_group_id(0) * 16;
  const int r0 = get_group_id(1) * 16;
  tile[ty][tx] = in[(r0 + ty) * ldi + c0 + tx];
  barrier(CLK_LOCAL_MEM_FENCE);
  out[(c0 + ty) * ldo + r0 + tx] = tile[tx][ty];
}

// C (rows,cols; ldc) += bias (cols) broadcast over rows.
__kernel void add_row_vector(__global float* restrict c, const int ldc,
                             __global const float* restrict bias) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  c[i * ldc + j] += bias[j];
}

// out (cols) += Σ_i in[i, j], summed in row order (deterministic).
__kernel void column_sums_acc(__global float* restrict out, __global const float* restrict in,
                              const int ld, const int rows) {
  const int j = get_global_id(0);
  float s = 0.0f;
  for (int i = 0; i < rows; i++) {
    s += in[i * ld + j];
  }
  out[j] += s;
}

// Copies a dense (rows, cols) matrix into a buffer of row pitch ldo; global (cols, rows).
__kernel void pack(__global float* restrict out, const int ldo, __global const float* restrict in,
                   const int cols) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  out[i * ldo + j] = in[i * cols + j];
}

// Copies the leading (rows, cols) block of a matrix of row pitch ldi into a dense buffer; global (cols, rows).
__kernel void unpack(__global float* restrict out, __global const float* restrict in, const int ldi,
                     const int cols) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  out[i * cols + j] = in[i * ldi + j];
}
