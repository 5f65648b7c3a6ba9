/* backend/cuda/sdpa_kernels.h - launchers of the flash-attention kernels
 * (sdpa.cu), called by the C glue (sdpa.c). Plain C: device pointers, element
 * strides and sizes in; 0 out, or a negative value when no kernel handles the
 * combination (the glue then runs the CPU kernel). Asynchronous on `stream`. */
#ifndef CMLX_BACKEND_CUDA_SDPA_KERNELS_H
#define CMLX_BACKEND_CUDA_SDPA_KERNELS_H

#include <stdint.h>

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The mask kinds of mx_sdpa_params (ops/fast.h). */
enum { CUDA_SDPA_MASK_NONE = 0, CUDA_SDPA_MASK_ADDITIVE = 1, CUDA_SDPA_MASK_BOOL = 2 };

/* One attention problem: q (B, Hq, Tq, D), k and v (B, Hkv, Tk, D) of `dtype`
 * (float16, bfloat16 or float32) at element strides (b, h, t, d); the mask
 * (B, Hq, Tq, Tk) by strides (bool, or additive of `dtype`); sinks (Hq,) of
 * `dtype`. out is a row-contiguous (B, Hq, Tq, D) array of `dtype`. stats:
 * NULL, or (B, Hq, Tq, 2) floats that receive each row's softmax max (0 when
 * it is -inf) and 1 / denominator, for the backward pass. */
typedef struct cuda_sdpa_args {
    int dtype;
    int B, Hq, Hkv, Tq, Tk, D;
    float scale;  /* already rounded to the dtype */
    float lowest; /* the score of a hidden key: the dtype's lowest finite value */
    const void *q, *k, *v;
    int64_t q_strides[4], k_strides[4], v_strides[4];
    const void *mask;
    int mask_kind;
    int64_t mask_strides[4];
    int causal; /* query i sees keys j <= i + Tk - Tq */
    const void *sinks;
    int64_t sinks_stride;
    void *out;
    float *stats;
} cuda_sdpa_args;

/* True when the tensor-core kernels take this head dim for float16/bfloat16
 * (the forward pass with 16-byte aligned rows of unit stride). */
int cuda_sdpa_head_dim_supported(int dtype, int D);

int cuda_launch_sdpa_forward(const cuda_sdpa_args *a, cuda_stream stream);

/* The backward pass: f describes q, k, v, mask, sinks (f.out, f.stats unused);
 * o is the forward output and dout its cotangent (both (B, Hq, Tq, D) at
 * element strides), stats the forward's row statistics. Scratch: delta
 * (B*Hq*Tq floats) and dq_acc (B*Hq*Tq*D floats). Writes dq (B, Hq, Tq, D),
 * dk and dv (B, Hkv, Tk, D), row-contiguous, of f.dtype (float16/bfloat16). */
typedef struct cuda_sdpa_bwd_args {
    cuda_sdpa_args f;
    const void *o, *dout;
    int64_t o_strides[4], dout_strides[4];
    const float *stats;
    float *delta, *dq_acc;
    void *dq, *dk, *dv;
} cuda_sdpa_bwd_args;

int cuda_launch_sdpa_backward(const cuda_sdpa_bwd_args *a, cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
