/* backend/cuda/norms_vjp_kernels.h - launchers of the fused norm backward
 * passes rms_norm_vjp / layer_norm_vjp (norms_vjp.cu), called by their C glue
 * (norms_vjp.c). Plain C: device pointers, sizes and dtypes in; 0 out, or a
 * negative value when there is no kernel for that combination (the glue
 * then runs the CPU kernel). Every launch is asynchronous on `stream`. */
#ifndef CMLX_BACKEND_CUDA_NORMS_VJP_KERNELS_H
#define CMLX_BACKEND_CUDA_NORMS_VJP_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* layer_norm_vjp (layer != 0) or rms_norm_vjp over the last axis (the maths
 * in ops/fast.h): x, g (rows, L) row-contiguous, w (L,) or NULL, all of
 * `dtype` (float16, bfloat16, float32, float64). out: dx (rows, L), then dw
 * (L,) when want_dw, then db (L,) when want_db, in `dtype`.
 * workspace: the per-block partial sums of dw and db; called with workspace
 * NULL, the launcher only stores the bytes it needs in *workspace_bytes
 * (the same pointers and sizes must follow for the launch). */
int cuda_launch_norm_vjp(int layer, int dtype, void *out, const void *x, const void *w, const void *g, int64_t rows,
                         int64_t L, float eps, int want_dw, int want_db, void *workspace, size_t *workspace_bytes,
                         cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
