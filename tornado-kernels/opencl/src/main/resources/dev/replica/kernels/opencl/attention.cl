// Causal multi-head self-attention as llm.c, for small T. inp (B,T,3C) = [q | k | v];
// preatt, att (B,NH,T,T); out (B,T,C); hs = C/NH.

// One work-item per (b, t, h): global (NH, T, B).
__kernel void attention_forward(__global float* restrict out, __global float* restrict preatt,
                                __global float* restrict att, __global const float* restrict inp,
                                const int T, const int C, const int NH) {
  const int h = get_global_id(0);
  const int t = get_global_id(1);
  const int b = get_global_id(2);
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = rsqrt((float) hs);
  __global const float* q = inp + ((long) b * T + t) * C3 + h * hs;
  const long row = (((long) b * NH + h) * T + t) * T;
  float mx = -INFINITY;
  for (int t2 = 0; t2 <= t; t2++) {
    __global const float* k = inp + ((long) b * T + t2) * C3 + h * hs + C;
    float dot = 0.0f;
    for (int i = 0; i < hs; i++) {
      dot += q[i] * k[i];
    }
    dot *= scale;
    preatt[row + t2] = dot;
    mx = fmax(mx, dot);
  }
  float sum = 0.0f;
  for (int t2 = 0; t2 <= t; t2++) {
    sum += exp(preatt[row + t2] - mx);
  }
  const float inv = 1.0f / sum;
  for (int t2 = 0; t2 < T; t2++) {
    if (t2 <= t) {
      att[row + t2] = exp(preatt[row + t2] - mx) * inv;
    } else {
      preatt[row + t2] = 0.0f;
      att[row + t2] = 0.0f;
    }
  }
  __global float* o = out + ((long) b * T + t) * C + h * hs;
  for (int i = 0; i < hs; i++) {
    float acc = 0.0f;
    for (int t2 = 0; t2 <= t; t2++) {
      acc += att[row + t2] * inp[((long) b * T + t2) * C3 + h * hs + 2 * C + i];
    }
    o[i] = acc;
  }
}

// Backward, pass 1 (per query row, global (NH, T, B)): datt, dpreatt and dq, all owned by
// the row (b, h, t).
__kernel void attention_backward_query(__global float* restrict dinp, __global float* restrict dpreatt,
                                       __global float* restrict datt, __global const float* restrict dout,
                                       __global const float* restrict inp, __global const float* restrict att,
                                       const int T, const int C, const int NH) {
  const int h = get_global_id(0);
  const int t = get_global_id(1);
  const int b = get_global_id(2);
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = rsqrt((float) hs);
  const long row = (((long) b * NH + h) * T + t) * T;
  __global const float* d = dout + ((long) b * T + t) * C + h * hs;
  for (int t2 = 0; t2 <= t; t2++) {
    __global const float* v = inp + ((long) b * T + t2) * C3 + h * hs + 2 * C;
    float acc = 0.0f;
    for (int i = 0; i < hs; i++) {
      acc += v[i] * d[i];
    }
    datt[row + t2] += acc;
  }
  float dot = 0.0f;
  for (int t2 = 0; t2 <= t; t2++) {
    dot += att[row + t2] * datt[row + t2];
  }
  for (int t3 = 0; t3 <= t; t3++) {
    dpreatt[row + t3] += att[row + t3] * (datt[row + t3] - dot);
  }
  __global float* dq = dinp + ((long) b * T + t) * C3 + h * hs;
  for (int i = 0; i < hs; i++) {
    float acc = 0.0f;
    for (int t2 = 0; t2 <= t; t2++) {
      acc += dpreatt[row + t2] * inp[((long) b * T + t2) * C3 + h * hs + C + i];
    }
    dq[i] += acc * scale;
  }
}

// Backward, pass 2 (per key/value position t2, global (NH, T, B)): dk and dv gather over the
// queries t >= t2 that attended to t2.
__kernel void attention_backward_keyvalue(__global float* restrict dinp, __global const float* restrict dpreatt,
                                          __global const float* restrict dout, __global const float* restrict inp,
                                          __global const float* restrict att,
                                          const int T, const int C, const int NH) {
  const int h = get_global_id(0);
  const int t2 = get_global_id(1);
  const int b = get_global_id(2);
  const int C3 = 3 * C;
  const int hs = C / NH;
  const float scale = rsqrt((float) hs);
  __global float* dk = dinp + ((long) b * T + t2) * C3 + h * hs + C;
  __global float* dv = dk + C;
  for (int i = 0; i < hs; i++) {
    float ak = 0.0f;
    float av = 0.0f;
    for (int t = t2; t < T; t++) {
      const long row = (((long) b * NH + h) * T + t) * T;
      ak += dpreatt[row + t2] * inp[((long) b * T + t) * C3 + h * hs + i];
      av += att[row + t2] * dout[((long) b * T + t) * C + h * hs + i];
    }
    dk[i] += ak * scale;
    dv[i] += av;
  }
}
