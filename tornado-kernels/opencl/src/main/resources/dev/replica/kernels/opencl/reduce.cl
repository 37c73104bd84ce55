// Reductions. Whole-array reductions run in two stages with a fixed partition: work-group g
// reduces elements [g·chunk, (g+1)·chunk) and writes one partial; the host combines the
// partials in order (in double). Fixed partition + fixed local size = deterministic.

#define OP_SUM 0
#define OP_MAX 1
#define OP_SUMSQ 2

__kernel void reduce_partials(__global float* restrict partials, __global const float* restrict in,
                              const int n, const int chunk, const int op, __local float* scratch) {
  const int g = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  const int start = g * chunk;
  const int end = min(n, start + chunk);
  float acc = op == OP_MAX ? -INFINITY : 0.0f;
  for (int i = start + lid; i < end; i += L) {
    const float x = in[i];
    if (op == OP_SUM) {
      acc += x;
    } else if (op == OP_SUMSQ) {
      acc = mad(x, x, acc);
    } else {
      acc = (isnan(acc) || isnan(x)) ? NAN : fmax(acc, x);
    }
  }
  acc = op == OP_MAX ? wg_max(acc, scratch) : wg_sum(acc, scratch);
  if (lid == 0) {
    partials[g] = acc;
  }
}

// out[r] = Σ_j in[r, j]² over a row of `cols` (row pitch ld); one work-group per row.
__kernel void row_sumsq(__global float* restrict out, __global const float* restrict in,
                        const int ld, const int cols, __local float* scratch) {
  const int r = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  float ss = 0.0f;
  for (int j = lid; j < cols; j += L) {
    const float x = in[(long) r * ld + j];
    ss = mad(x, x, ss);
  }
  ss = wg_sum(ss, scratch);
  if (lid == 0) {
    out[r] = ss;
  }
}
