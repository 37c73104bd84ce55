// Softmax family: one work-group per row of V (see common.cl for the local size). Backward
// kernels accumulate (+=).

__kernel void softmax_forward(__global float* restrict probs, __global const float* restrict logits,
                              const int V, __local float* scratch) {
  const int row = get_group_id(0);
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  __global const float* x = logits + (long) row * V;
  __global float* p = probs + (long) row * V;
  float mx = -INFINITY;
  for (int v = lid; v < V; v += L) {
    mx = fmax(mx, x[v]);
  }
  mx = wg_max(mx, scratch);
  float s = 0.0f;
  for (int v = lid; v < V; v += L) {
    s += exp(x[v] - mx);
  }
  s = wg_sum(s, scratch);
  const float inv = 1.0f / s;
  for (int v = lid; v < V; v += L) {
    p[v] = exp(x[v] - mx) * inv;
  }
}

// dlogits += p ⊙ (dprobs − Σ dprobs·p)
__kernel void softmax_backward(__global float* restrict dlogits, __global const float* restrict dprobs,
                               __global const float* restrict probs, const int V, __local float* scratch) {
  const long off = (long) get_group_id(0) * V;
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  float dot = 0.0f;
  for (int v = lid; v < V; v += L) {
    dot += dprobs[off + v] * probs[off + v];
  }
  dot = wg_sum(dot, scratch);
  for (int v = lid; v < V; v += L) {
    dlogits[off + v] += probs[off + v] * (dprobs[off + v] - dot);
  }
}

// out = logits − logsumexp(logits)
__kernel void log_softmax_forward(__global float* restrict out, __global const float* restrict logits,
                                  const int V, __local float* scratch) {
  const long off = (long) get_group_id(0) * V;
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  float mx = -INFINITY;
  for (int v = lid; v < V; v += L) {
    mx = fmax(mx, logits[off + v]);
  }
  mx = wg_max(mx, scratch);
  float s = 0.0f;
  for (int v = lid; v < V; v += L) {
    s += exp(logits[off + v] - mx);
  }
  s = wg_sum(s, scratch);
  const float lse = mx + log(s);
  for (int v = lid; v < V; v += L) {
    out[off + v] = logits[off + v] - lse;
  }
}

// dlogits += dout − exp(out)·Σ dout
__kernel void log_softmax_backward(__global float* restrict dlogits, __global const float* restrict dout,
                                   __global const float* restrict out, const int V, __local float* scratch) {
  const long off = (long) get_group_id(0) * V;
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  float total = 0.0f;
  for (int v = lid; v < V; v += L) {
    total += dout[off + v];
  }
  total = wg_sum(total, scratch);
  for (int v = lid; v < V; v += L) {
    dlogits[off + v] += dout[off + v] - exp(out[off + v]) * total;
  }
}

// losses[r] = −log probs[r, targets[r]]; one work-item per row.
__kernel void crossentropy_forward(__global float* restrict losses, __global const float* restrict probs,
                                   __global const int* restrict targets, const int V) {
  const int r = get_global_id(0);
  losses[r] = -log(probs[(long) r * V + targets[r]]);
}

// dlogits += dlosses[r]·(probs − onehot(target)); global (V, rows).
__kernel void crossentropy_softmax_backward(__global float* restrict dlogits,
                                            __global const float* restrict dlosses,
                                            __global const float* restrict probs,
                                            __global const int* restrict targets, const int V) {
  const int v = get_global_id(0);
  const int r = get_global_id(1);
  const long i = (long) r * V + v;
  const float indicator = v == targets[r] ? 1.0f : 0.0f;
  dlogits[i] += (probs[i] - indicator) * dlosses[r];
}
