// Shared helpers, prepended to every program by OpenClRuntime.
// Build options define VARIANT_CPU or VARIANT_GPU.
//
// Row kernels run one work-group per row with a power-of-two local size L: L = 1 on CPUs (the
// row is then a plain serial loop, which PoCL compiles to vector code) and L = 128 on GPUs
// (a tree reduction in local memory). The order of every reduction is fixed by L, so results
// are deterministic for a given device and variant.

// Sum of v over the work-group; every work-item receives the result.
inline float wg_sum(float v, __local float* scratch) {
  const int lid = get_local_id(0);
  const int n = get_local_size(0);
  if (n == 1) {
    return v;
  }
  scratch[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = n >> 1; s > 0; s >>= 1) {
    if (lid < s) {
      scratch[lid] += scratch[lid + s];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  const float r = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  return r;
}

// Maximum of v over the work-group (NaN propagates); every work-item receives the result.
inline float wg_max(float v, __local float* scratch) {
  const int lid = get_local_id(0);
  const int n = get_local_size(0);
  if (n == 1) {
    return v;
  }
  scratch[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = n >> 1; s > 0; s >>= 1) {
    if (lid < s) {
      const float a = scratch[lid];
      const float b = scratch[lid + s];
      scratch[lid] = (isnan(a) || isnan(b)) ? NAN : fmax(a, b);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  const float r = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  return r;
}
