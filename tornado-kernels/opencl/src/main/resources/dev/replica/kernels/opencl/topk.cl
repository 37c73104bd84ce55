// Top-k mask per row: keep the k entries of largest |value| (ties: the lower column wins),
// zero the rest. Entry j is kept when fewer than k entries rank before it, where i ranks
// before j if |x_i| > |x_j|, or |x_i| == |x_j| and i < j. O(cols²) per row, for the modest
// row lengths of expert routing. One work-group per row.
__kernel void topk_mask_forward(__global float* restrict out, __global float* restrict mask,
                                __global const float* restrict inp, const int cols, const int k) {
  const long off = (long) get_group_id(0) * cols;
  const int lid = get_local_id(0);
  const int L = get_local_size(0);
  for (int j = lid; j < cols; j += L) {
    const float aj = fabs(inp[off + j]);
    int rank = 0;
    for (int i = 0; i < cols && rank < k; i++) {
      const float ai = fabs(inp[off + i]);
      rank += (ai > aj || (ai == aj && i < j)) ? 1 : 0;
    }
    const int keep = rank < k;
    out[off + j] = keep ? inp[off + j] : 0.0f;
    mask[off + j] = keep ? 1.0f : 0.0f;
  }
}
