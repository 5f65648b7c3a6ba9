/* backend/cuda/quantized_kernels.h - launchers of the quantization kernels
 * (quantized.cu), called by quantized.c. MLX's affine layout (see
 * include/cmlx/quantize.h): every operand here is row-contiguous on the
 * device and starts on 16 bytes; a packed array is one little-endian bit
 * stream over its flattened values (rows hold a multiple of 32 values, so a
 * row is whole words). Each launcher returns 0, or -1 when it has no kernel
 * for the combination (the glue then runs the CPU kernel). Asynchronous on
 * `stream`. */
#ifndef CMLX_BACKEND_CUDA_QUANTIZED_KERNELS_H
#define CMLX_BACKEND_CUDA_QUANTIZED_KERNELS_H

#include <stdint.h>

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* stats (n / gs, 2) float32 = [scale, bias] of each group of gs values of w
 * (n values, float32/float16/bfloat16): the CPU kernel's rule, bit for bit. */
int cuda_launch_quantize_stats(int dtype, float *stats, const void *w, int64_t n, int gs, int bits, cuda_stream stream);
/* packed (n * bits / 32 words) from w (n values) and stats (n / gs, 2). */
int cuda_launch_quantize_pack(int dtype, uint32_t *packed, const void *w, const float *stats, int64_t n, int gs,
                              int bits, cuda_stream stream);
/* out (n values of dtype: float16/bfloat16/float32/float64) = s q + b with
 * s, b (n / gs) in dtype. mlx_rounding: round s q to the dtype before adding
 * b (the dequantize op, as the CPU kernel); else one float rounding of
 * s q + b (weights dequantized for a GEMM). */
int cuda_launch_dequantize(int dtype, void *out, const uint32_t *w, const void *scales, const void *biases, int64_t n,
                           int gs, int bits, int mlx_rounding, cuda_stream stream);

/* One entry per product of a batched quantized matmul: the element offset of
 * its x matrix and the index of its weight matrix. */
typedef struct cuda_qmm_batch {
    int64_t x_offset;
    int64_t w_index;
} cuda_qmm_batch;

/* Whether the GEMV kernel takes K for these bits (K a multiple of its unit). */
int cuda_qmv_supported(int64_t k, int bits);
/* out (batch, M, N) = x (M, K) @ dequantize(w)^T per product, w (N, K * bits
 * / 32) words, scales/biases (N, K / gs); x, scales, biases and out of one
 * dtype (float32/float16/bfloat16). table (device, `batch` entries) or NULL
 * (one product). Small M: the weights are read once per 8 rows of x. */
int cuda_launch_qmv(int dtype, void *out, const void *x, const uint32_t *w, const void *scales, const void *biases,
                    int64_t batch, const cuda_qmm_batch *table, int64_t m, int64_t n, int64_t k, int gs, int bits,
                    cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
