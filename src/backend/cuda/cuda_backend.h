/* backend/cuda/cuda_backend.h - shared state of the CUDA backend's C glue:
 * the stream, device memory (residency of buffers, the caching allocator)
 * and the helpers its kernels use to reach a node's device bytes. */
#ifndef CMLX_BACKEND_CUDA_BACKEND_H
#define CMLX_BACKEND_CUDA_BACKEND_H

#include <cuda_runtime_api.h>

#include "backend/cuda/cuda_kernels.h"
#include "core/backend.h"
#include "core/error.h"
#include "core/node.h"
#include "ops/ops.h"

/* Registers the backend when a CUDA device is present (runtime.c). */
void mx_backend_cuda_init(void);

cudaStream_t cuda_stream_get(void);
/* A CUDA call's failure as an mx error naming the op. */
mx_status cuda_check(cudaError_t err, const char *op, const char *what);
/* The device address of n's first element, its buffer made current on the
 * device first (uploaded through pinned staging if only the host has it). */
mx_status cuda_node_ptr(mx_node *n, const char *op, void **ptr);
/* A fresh row-contiguous device-only buffer for out. */
mx_status cuda_alloc_output(mx_node *out);
/* Mark out's buffer as written on the device (the host copy is stale). */
void cuda_output_written(mx_node *out);
/* Scratch device memory for one kernel (freed back to the cache). */
void *cuda_scratch_alloc(size_t nbytes, const char *op, size_t *capacity);
void cuda_scratch_free(void *ptr, size_t capacity);
/* Scratch a kernel reads, released to the cache after the launch (operands.c). */
typedef struct cuda_scratch {
    void *ptr;
    size_t capacity;
} cuda_scratch;
void cuda_scratch_release(cuda_scratch *s, int n);
/* A row-contiguous device copy of n in `dtype` (a view read through its
 * strides, converted by the cast kernel) into s, or n's own device bytes when
 * they already are that at an address aligned to `alignment` bytes (1: any).
 * MX_ERROR_UNSUPPORTED, with no error set, when the layout has more dims than
 * the cast kernel takes: the caller then runs the CPU kernel (operands.c). */
mx_status cuda_contiguous_as(mx_node *n, mx_dtype dtype, size_t alignment, const char *op, const void **ptr,
                             cuda_scratch *s);
/* The outcome of a launch: rc < 0 (no kernel for this case) runs the CPU
 * kernel instead; a launch error is reported; else out's device copy is the
 * value (operands.c). */
mx_status cuda_launch_finish(mx_node *out, int rc);

/* Collapse the dims of `shape` over operands (element strides; operand 0 is
 * the output, row-contiguous). Returns 0 when every operand is contiguous
 * (no layout needed), 1 with lay filled, -1 when more than CUDA_MAX_DIMS
 * dims remain. */
int cuda_collapse(const int64_t *shape, int ndim, const int64_t *const *strides, int nops, cuda_layout *lay);

/* Start a kernel's preparation: buffers it touches from now on are in use
 * and never evicted while it allocates (the LRU tick advances). */
void cuda_kernel_begin(void);
/* rms_norm, layer_norm, rope (norms.c). */
void cuda_register_norms(mx_backend *b);
/* rms_norm_vjp, layer_norm_vjp: the fused norm backward passes (norms_vjp.c). */
void cuda_register_norms_vjp(mx_backend *b);
/* CMLX_CUDA_PROFILE=S: time every GPU node by op from S seconds on, printed at exit (profile.c). */
void cuda_profile_install(mx_backend *b);

mx_status cuda_matmul_kernel(mx_node *out);
/* Indexing, creation and scan kernels (indexing.c). */
void cuda_register_indexing(mx_backend *b);
void cuda_register_sdpa(mx_backend *b); /* sdpa.c: flash attention forward and backward */
void cuda_matmul_set_tf32(bool enabled);
/* Whether float32 products may use TF32 (mx_gpu_set_tf32; conv.c reads it too). */
bool cuda_matmul_tf32(void);
/* C (batch, m, n) = A (batch, m, k) @ B (batch, k, n), or @ B^T with B (batch, n, k)
 * when b_transposed: row-major contiguous device matrices of dtype t (float16,
 * bfloat16, float32 (TF32 as mx_gpu_set_tf32), float64), batch strides in
 * elements (0: shared), C packed; on the stream, through matmul.c's cuBLASLt
 * handle, workspace and algorithm cache. op names the caller in errors. */
mx_status cuda_gemm_rows(mx_dtype t, int64_t m, int64_t n, int64_t k, int64_t batch, const void *A, int64_t a_stride,
                         const void *B, int64_t b_stride, bool b_transposed, void *C, const char *op);
/* The conv family through cuDNN (conv.c; registers nothing without cuDNN). */
void cuda_register_conv(mx_backend *b);
/* addmm (ops/addmm.h) through cuBLASLt's epilogue / beta * C (matmul.c). */
void cuda_register_addmm(mx_backend *b);
/* complex64 kernels (complex.c: conjugate, which ops take complex64) and fft through cuFFT (fft.c). */
void cuda_register_complex(mx_backend *b);
/* Let op's GPU kernel see complex64 operands (supports() refuses them otherwise). */
void cuda_allow_complex(int op);
/* quantize, dequantize, quantized_matmul, gather_qmm (quantized.c). */
void cuda_register_quantized(mx_backend *b);
/* partition, searchsorted, masked ops, pad, float arange, hadamard, gather_mm (select.c; after indexing). */
void cuda_register_select(mx_backend *b);

/* The backend's (recursive) lock around allocator and residency state;
 * graph.c holds it for a whole recording. */
void cuda_backend_lock(void);
void cuda_backend_unlock(void);
/* CUDA graphs (graph.c): registers capturable / capture_begin / capture_end. */
void cuda_register_graphs(mx_backend *b);

#endif
