/* cmlx/quantize.h - Quantization (MLX's affine layout) and the gathered/masked matmuls: quantize, dequantize,
 * quantized_matmul, gather_qmm, gather_mm, block_masked_mm, hadamard_transform (mlx.core). Functions return a lazy
 * array, or an error array (see array.h) on bad input.
 *
 * Affine layout (bit-compatible with MLX 0.32): every group of group_size
 * (32, 64 or 128) consecutive elements along the last dim of w shares a
 * scale s and bias b; element i of a row is stored as q_i in `bits` (1, 2, 3,
 * 4, 5, 6 or 8) bits with w_i ~ s * q_i + b. The q of a row form one
 * little-endian bit stream (value i at bits [i*bits, (i+1)*bits)) read as
 * uint32 words, so 3-, 5- and 6-bit values straddle words as in MLX. A
 * (..., R, K) matrix packs into (..., R, K * bits / 32) words with (..., R,
 * K / group_size) scales and biases in w's dtype.
 *
 * group_size 0 and bits 0 mean MLX's defaults (64 and 4); mode NULL or
 * "affine" (the only mode cmlx has; "mxfp4", "mxfp8", "nvfp4" are errors). */
#ifndef CMLX_QUANTIZE_H
#define CMLX_QUANTIZE_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* out[0] = packed uint32 words, out[1] = scales, out[2] = biases (three
 * error arrays and the status on failure). w: float32/float16/bfloat16 with
 * at least 2 dims, the last divisible by group_size. */
MX_API mx_status mx_quantize(mx_array w, int group_size, int bits, const char *mode, mx_array *out);
/* s * q + b per element, rounded to dtype after the product and after the
 * sum (MLX's two roundings). dtype MX_DTYPE_COUNT: that of scales and biases
 * promoted. biases is required for the affine mode. */
MX_API mx_array mx_dequantize(mx_array w, mx_array scales, mx_array biases, int group_size, int bits, const char *mode,
                              mx_dtype dtype);
/* x @ dequantize(w).T (transpose) or x @ dequantize(w): x (..., M, K) or
 * (K,), w (..., N, K*bits/32) (transpose) or (..., K, N*bits/32); batch
 * dims broadcast. The dtype is x, scales and biases promoted. */
MX_API mx_array mx_quantized_matmul(mx_array x, mx_array w, mx_array scales, mx_array biases, bool transpose,
                                    int group_size, int bits, const char *mode);
/* out[i] = x[lhs[i]] @ dequantize(w[rhs[i]]) (.T when transpose): indices
 * into the flattened batch dims of x (..., M, K) and w; a null index array
 * means every batch in order. Output (broadcast(lhs, rhs)..., M, N). */
MX_API mx_array mx_gather_qmm(mx_array x, mx_array w, mx_array scales, mx_array biases, mx_array lhs_indices,
                              mx_array rhs_indices, bool transpose, int group_size, int bits, const char *mode,
                              bool sorted_indices);
/* out[i] = a[lhs[i]] @ b[rhs[i]] over the flattened batch dims of a (..., M,
 * K) and b (..., K, N); null index arrays as in gather_qmm. */
MX_API mx_array mx_gather_mm(mx_array a, mx_array b, mx_array lhs_indices, mx_array rhs_indices, bool sorted_indices);
/* a @ b with blocks of block_size (32 or 64) masked: mask_lhs (..., ceil(M/bs),
 * ceil(K/bs)) on a, mask_rhs on b, mask_out on the product; bool masks zero
 * whole blocks, float masks scale them; null masks are all-true. */
MX_API mx_array mx_block_masked_mm(mx_array a, mx_array b, int block_size, mx_array mask_out, mx_array mask_lhs,
                                   mx_array mask_rhs);
/* scale * H_n a along the last dim, n = m * 2^k with m in {1, 12, 20, 28}:
 * H_n = kron(H_m, H_{2^k}) with MLX's H_m. scale NaN: 1 / sqrt(n). Integer
 * inputs give float32. */
MX_API mx_array mx_hadamard_transform(mx_array a, double scale);

#ifdef __cplusplus
}
#endif

#endif
