/* backend/cuda/conv_kernels.h - launchers of the convolution helpers in
 * conv.cu, called by the cuDNN glue (conv.c). Plain C; every launch is
 * asynchronous on `stream`; 0 on success, negative when there is no kernel
 * for the element size. */
#ifndef CMLX_BACKEND_CUDA_CONV_KERNELS_H
#define CMLX_BACKEND_CUDA_CONV_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A channels-last operand (N, S0, S1, S2, C) rewritten with each spatial dim
 * dilated (dil - 1 zeros between elements) and padded by lo in front, then
 * cut to `out` elements (lo or the tail may be negative: a crop). The source
 * has any element strides (views). 3 spatial dims: fewer are padded with
 * size-1 dims. */
typedef struct cuda_conv_pad {
    int64_t n, c;
    int64_t in[3], out[3], lo[3], dil[3];
    int64_t stride_n, stride_s[3], stride_c; /* of the source, in elements */
} cuda_conv_pad;

/* dst (n, out0, out1, out2, c) row-contiguous <- the dilated, padded src. */
int cuda_launch_conv_pad(size_t itemsize, void *dst, const void *src, const cuda_conv_pad *g, cuda_stream stream);

/* Grouped weight transpose: dst (G * B, K, A) <- src (G * A, K, B),
 * dst[g * B + b, k, a] = src[g * A + a, k, b] (row-contiguous both). */
int cuda_launch_conv_group_transpose(size_t itemsize, void *dst, const void *src, int64_t groups, int64_t a, int64_t k,
                                     int64_t b, cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
