// Layer norm and RMS norm over rows of C (eps 1e-5). Row kernels run one work-group per row;
// the parameter gradients run one work-item per channel summing rows in order, so nothing
// races and the result is deterministic. Backward kernels accumulate (+=).

#define NORM_EPS 1e-5f

__kernel void layernorm_forward(__global float* restrict out, __global float* restrict mean,
                                __global float* restrict rstd, __global const float* restrict inp,
                                __global const float* restrict weight, __global const float* restrict bias,
                                const int hasBias, const int C, __local float* scratch) {
  const int row = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  const long off = (long) row * C;
  float s = 0.0f;
  for (int i = lid; i < C; i += L) {
    s += inp[off + i];
  }
  const float mu = wg_sum(s, scratch) / C;
  float ss = 0.0f;
  for (int i = lid; i < C; i += L) {
    const float d = inp[off + i] - mu;
    ss += d * d;
  }
  const float rs = rsqrt(wg_sum(ss, scratch) / C + NORM_EPS);
  for (int i = lid; i < C; i += L) {
    const float b = hasBias ? bias[i] : 0.0f;
    out[off + i] = (inp[off + i] - mu) * rs * weight[i] + b;
  }
  if (lid == 0) {
    mean[row] = mu;
    rstd[row] = rs;
  }
}

__kernel void layernorm_backward_input(__global float* restrict dinp, __global const float* restrict dout,
                                       __global const float* restrict inp, __global const float* restrict weight,
                                       __global const float* restrict mean, __global const float* restrict rstd,
                                       const int C, __local float* scratch) {
  const int row = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  const long off = (long) row * C;
  const float mu = mean[row];
  const float rs = rstd[row];
  float dm = 0.0f;
  float dnm = 0.0f;
  for (int i = lid; i < C; i += L) {
    const float norm = (inp[off + i] - mu) * rs;
    const float dnorm = weight[i] * dout[off + i];
    dm += dnorm;
    dnm += dnorm * norm;
  }
  dm = wg_sum(dm, scratch) / C;
  dnm = wg_sum(dnm, scratch) / C;
  for (int i = lid; i < C; i += L) {
    const float norm = (inp[off + i] - mu) * rs;
    const float dnorm = weight[i] * dout[off + i];
    dinp[off + i] += (dnorm - dm - norm * dnm) * rs;
  }
}

// dweight[c] += Σ_r norm·dout ; dbias[c] += Σ_r dout.
__kernel void layernorm_backward_params(__global float* restrict dweight, __global float* restrict dbias,
                                        const int hasBias, __global const float* restrict dout,
                                        __global const float* restrict inp, __global const float* restrict mean,
                                        __global const float* restrict rstd, const int rows, const int C) {
  const int c = get_global_id(0);
  float dw = 0.0f;
  float db = 0.0f;
  for (int r = 0; r < rows; r++) {
    const float d = dout[(long) r * C + c];
    dw += (inp[(long) r * C + c] - mean[r]) * rstd[r] * d;
    db += d;
  }
  dweight[c] += dw;
  if (hasBias) {
    dbias[c] += db;
  }
}

__kernel void rmsnorm_forward(__global float* restrict out, __global float* restrict rstd,
                              __global const float* restrict inp, __global const float* restrict weight,
                              const int C, __local float* scratch) {
  const int row = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  const long off = (long) row * C;
  float ss = 0.0f;
  for (int i = lid; i < C; i += L) {
    ss += inp[off + i] * inp[off + i];
  }
  const float rs = rsqrt(wg_sum(ss, scratch) / C + NORM_EPS);
  for (int i = lid; i < C; i += L) {
    out[off + i] = inp[off + i] * rs * weight[i];
  }
  if (lid == 0) {
    rstd[row] = rs;
  }
}

// dinp += rs·w·dout − x·rs³·(Σ dout·w·x)/C
__kernel void rmsnorm_backward_input(__global float* restrict dinp, __global const float* restrict dout,
                                     __global const float* restrict inp, __global const float* restrict weight,
                                     __global const float* restrict rstd, const int C, __local float* scratch) {
  const int row = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  const long off = (long) row * C;
  const float rs = rstd[row];
  float dot = 0.0f;
  for (int i = lid; i < C; i += L) {
    dot += dout[off + i] * weight[i] * inp[off + i];
  }
  dot = wg_sum(dot, scratch);
  const float k = rs * rs * rs * dot / C;
  for (int i = lid; i < C; i += L) {
    dinp[off + i] += rs * weight[i] * dout[off + i] - inp[off + i] * k;
  }
}

// dweight[c] += Σ_r dout·x·rs
__kernel void rmsnorm_backward_params(__global float* restrict dweight, __global const float* restrict dout,
                                      __global const float* restrict inp, __global const float* restrict rstd,
                                      const int rows, const int C) {
  const int c = get_global_id(0);
  float dw = 0.0f;
  for (int r = 0; r < rows; r++) {
    dw += dout[(long) r * C + c] * inp[(long) r * C + c] * rstd[r];
  }
  dweight[c] += dw;
}
