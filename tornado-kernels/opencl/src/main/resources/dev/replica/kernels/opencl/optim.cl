// Optimizer updates, element-wise, in place on parameters and state.

// AdamW (Loshchilov & Hutter 2019, Algorithm 2; PyTorch's AdamW). bc1 = 1 − β1^t and
// bc2 = 1 − β2^t are computed on the host in double.
__kernel void adamw_update(__global float* restrict params, __global float* restrict m,
                           __global float* restrict v, __global float* restrict update, const int hasUpdate,
                           __global const float* restrict grads, const float lr, const float beta1,
                           const float beta2, const float eps, const float wd, const float bc1,
                           const float bc2) {
  const int i = get_global_id(0);
  const float g = grads[i];
  const float mi = beta1 * m[i] + (1.0f - beta1) * g;      // first moment: EMA of the gradient
  const float vi = beta2 * v[i] + (1.0f - beta2) * g * g;  // second moment: EMA of the squared gradient
  m[i] = mi;
  v[i] = vi;
  const float mhat = mi / bc1;                             // bias-corrected first moment
  const float vhat = vi / bc2;                             // bias-corrected second moment
  const float u = mhat / (sqrt(vhat) + eps);               // the adaptive step direction
  if (hasUpdate) {
    update[i] = u;
  }
  params[i] = params[i] * (1.0f - lr * wd) - lr * u;       // decoupled weight decay, then the step
}

// Muon momentum (Jordan et al. 2024): M = β·M + (1−β)·g; U = (1−β)·g + β·M (Nesterov) or U = M.
__kernel void muon_momentum(__global float* restrict momentum, __global float* restrict u,
                            __global const float* restrict grads, const float beta, const int nesterov) {
  const int i = get_global_id(0);
  const float g = grads[i];
  const float mi = beta * momentum[i] + (1.0f - beta) * g;
  momentum[i] = mi;
  u[i] = nesterov ? (1.0f - beta) * g + beta * mi : mi;
}

// W ← W·(1 − lr·wd) − lr·s·O for params (rows, n) with O stored at row pitch ldo; optionally
// records s·O in update. Global (n, rows).
__kernel void apply_update(__global float* restrict params, __global float* restrict update,
                           const int hasUpdate, __global const float* restrict o, const int ldo,
                           const int n, const float s, const float lr, const float wd) {
  const int j = get_global_id(0);
  const int i = get_global_id(1);
  const float dir = o[i * ldo + j] * s;
  if (hasUpdate) {
    update[i * n + j] = dir;
  }
  params[i * n + j] = params[i * n + j] * (1.0f - lr * wd) - lr * dir;
}

// NorMuon's per-neuron normalization (one work-group per row of O, row pitch ld):
// v = β2·v + (1−β2)·rowmean(O⊙O); O_row /= sqrt(v) + eps.
__kernel void normuon_rows(__global float* restrict o, const int ld, __global float* restrict v,
                           const int n, const float beta2, const float eps, __local float* scratch) {
  const int r = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  __global float* row = o + (long) r * ld;
  const float vprev = v[r];  // read before any work-item of the row writes it
  float ss = 0.0f;
  for (int j = lid; j < n; j += L) {
    ss = mad(row[j], row[j], ss);
  }
  ss = wg_sum(ss, scratch);
  const float vr = beta2 * vprev + (1.0f - beta2) * (ss / n);
  const float inv = 1.0f / (sqrt(vr) + eps);
  for (int j = lid; j < n; j += L) {
    row[j] *= inv;
  }
  if (lid == 0) {
    v[r] = vr;
  }
}
