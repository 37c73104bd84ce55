// Element-wise kernels, one work-item per element. Backward kernels accumulate (+=).

#define GELU_SCALE 0.7978845608028654f  // sqrt(2/pi)

// With a = sqrt(2/pi)·(x + 0.044715·x³): 0.5·(1 + tanh a) = σ(2a) and 1 − tanh² a = 4·σ(2a)·(1 − σ(2a)).
// Computing σ(2a) and 1 − σ(2a) from exp(−2|a|) avoids the cancellation in 1 ± tanh a when
// |a| is large (float tanh there loses most of the gradient's digits).
inline void gelu_sigmoids(const float x, float* s, float* oneMinusS) {
  const float a = GELU_SCALE * (x + 0.044715f * x * x * x);
  const float e = exp(-2.0f * fabs(a));
  const float big = 1.0f / (1.0f + e);
  const float small = e / (1.0f + e);
  *s = a >= 0.0f ? big : small;
  *oneMinusS = a >= 0.0f ? small : big;
}

__kernel void gelu_forward(__global float* restrict out, __global const float* restrict inp) {
  const int i = get_global_id(0);
  const float x = inp[i];
  float s;
  float oms;
  gelu_sigmoids(x, &s, &oms);
  out[i] = x * s;  // 0.5·x·(1 + tanh a)
}

__kernel void gelu_backward(__global float* restrict dinp, __global const float* restrict dout,
                            __global const float* restrict inp) {
  const int i = get_global_id(0);
  const float x = inp[i];
  float s;
  float oms;
  gelu_sigmoids(x, &s, &oms);
  // d/dx 0.5·x·(1 + tanh a) = 0.5·(1 + tanh a) + 0.5·x·(1 − tanh² a)·da/dx
  const float grad = s + 2.0f * x * s * oms * GELU_SCALE * (1.0f + 3.0f * 0.044715f * x * x);
  dinp[i] += grad * dout[i];
}

inline float sigmoid(const float x) {
  return 1.0f / (1.0f + exp(-x));
}

__kernel void silu_forward(__global float* restrict out, __global const float* restrict inp) {
  const int i = get_global_id(0);
  out[i] = inp[i] * sigmoid(inp[i]);
}

__kernel void silu_backward(__global float* restrict dinp, __global const float* restrict dout,
                            __global const float* restrict inp) {
  const int i = get_global_id(0);
  const float x = inp[i];
  const float s = sigmoid(x);
  dinp[i] += dout[i] * s * (1.0f + x * (1.0f - s));
}

__kernel void swiglu_forward(__global float* restrict out, __global const float* restrict gate,
                             __global const float* restrict up) {
  const int i = get_global_id(0);
  const float g = gate[i];
  out[i] = g * sigmoid(g) * up[i];
}

__kernel void swiglu_backward(__global float* restrict dgate, __global float* restrict dup,
                              __global const float* restrict dout, __global const float* restrict gate,
                              __global const float* restrict up) {
  const int i = get_global_id(0);
  const float g = gate[i];
  const float s = sigmoid(g);
  dup[i] += dout[i] * g * s;
  dgate[i] += dout[i] * up[i] * s * (1.0f + g * (1.0f - s));
}

// dinp += dout ⊙ mask (backward of the top-k mask).
__kernel void mul_acc(__global float* restrict dinp, __global const float* restrict dout,
                      __global const float* restrict mask) {
  const int i = get_global_id(0);
  dinp[i] += dout[i] * mask[i];
}

// x *= s
__kernel void scale(__global float* restrict x, const float s) {
  const int i = get_global_id(0);
  x[i] *= s;
}

// out (B*T, C) rows = wte rows picked by tokens; global (C, B*T).
__kernel void embedding_forward(__global float* restrict out, __global const int* restrict tokens,
                                __global const float* restrict wte, const int C) {
  const int c = get_global_id(0);
  const int bt = get_global_id(1);
  out[bt * C + c] = wte[tokens[bt] * C + c];
}

// dwte[tokens[bt], c] += dout[bt, c]; one work-item per channel walks positions in (b,t) order,
// so repeated tokens sum in the reference's order and no two work-items touch one element.
__kernel void embedding_backward(__global float* restrict dwte, __global const float* restrict dout,
                                 __global const int* restrict tokens, const int BT, const int C) {
  const int c = get_global_id(0);
  for (int bt = 0; bt < BT; bt++) {
    dwte[tokens[bt] * C + c] += dout[bt * C + c];
  }
}

// out (B*T, C) = wte[tokens[bt]] + wpe[t] (token plus position embedding); global (C, B*T).
__kernel void encoder_forward(__global float* restrict out, __global const int* restrict tokens,
                              __global const float* restrict wte, __global const float* restrict wpe,
                              const int T, const int C) {
  const int c = get_global_id(0);
  const int bt = get_global_id(1);
  out[bt * C + c] = wte[tokens[bt] * C + c] + wpe[(bt % T) * C + c];
}

// dwpe[t, c] += dout[b, t, c] for b = 0..B-1 in order (the reference's order); global (C, T).
__kernel void position_backward(__global float* restrict dwpe, __global const float* restrict dout,
                                const int B, const int T, const int C) {
  const int c = get_global_id(0);
  const int t = get_global_id(1);
  float acc = dwpe[t * C + c];
  for (int b = 0; b < B; b++) {
    acc += dout[(b * T + t) * C + c];
  }
  dwpe[t * C + c] = acc;
}

// out = a + b (residual connection).
__kernel void add(__global float* restrict out, __global const float* restrict a,
                  __global const float* restrict b) {
  const int i = get_global_id(0);
  out[i] = a[i] + b[i];
}
