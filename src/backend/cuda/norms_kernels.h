/* backend/cuda/norms_kernels.h - launchers of the fused normalisations and
 * rope (norms.cu), called by their C glue (norms.c). Plain C: device
 * pointers, sizes and dtypes in; 0 out, or a negative value when there is no
 * kernel for that combination (the glue then runs the CPU kernel). Every
 * launch is asynchronous on `stream`. */
#ifndef CMLX_BACKEND_CUDA_NORMS_KERNELS_H
#define CMLX_BACKEND_CUDA_NORMS_KERNELS_H

#include <stdint.h>

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* layer_norm (layer != 0) or rms_norm over the last axis: x (rows, L)
 * row-contiguous in x_dtype, w and b (L,) contiguous in out_dtype or NULL,
 * out (rows, L) in out_dtype. Pairs taken: x_dtype == out_dtype (float16,
 * bfloat16, float32, float64) and float32 x with float16/bfloat16 out. */
int cuda_launch_norm(int layer, int x_dtype, int out_dtype, void *out, const void *x, const void *w, const void *b,
                     int64_t rows, int64_t L, float eps, cuda_stream stream);

/* rope: x rows (rows, D) of `dtype`, each row's last dim contiguous; row r
 * starts at the element offset given by rows_lay (operand 0; NULL: r * D).
 * Row r is position r % T of batch entry r / rows_per_batch. Rotates the
 * first `dims` features (pairs (k, k + dims/2), or (2k, 2k + 1) when
 * traditional) by (t + offset) * scale * inv_freq[k] (negated when !forward).
 * inv_freq: a host table of dims/2 values (float, or double for float64;
 * at most CUDA_ROPE_MAX_HALF) or NULL, then inv_freq[k] = 1 / freqs[k *
 * freqs_stride] (device, float or double as the table). offset: a device
 * int32 (uint32 when offset_unsigned) per batch entry at offset_stride
 * elements (0: one scalar). out (rows, D) row-contiguous. */
#define CUDA_ROPE_MAX_HALF 256
int cuda_launch_rope(int dtype, void *out, const void *x, const cuda_layout *rows_lay, int64_t rows, int64_t T,
                     int64_t D, int64_t rows_per_batch, int dims, int traditional, int forward, float scale,
                     const void *inv_freq, const void *freqs, int64_t freqs_stride, const void *offset,
                     int offset_unsigned, int64_t offset_stride, cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
