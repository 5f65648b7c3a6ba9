/* backend/cuda/cuda_kernels.h - the launchers of the CUDA kernels (.cu
 * files), called by the C glue (cuda_backend.c). Plain C: device pointers,
 * element counts, dtypes and op ids in, 0 out (or a negative value when the
 * launcher has no kernel for that combination: the glue then runs the CPU
 * kernel). Every launch is asynchronous on `stream`. */
#ifndef CMLX_BACKEND_CUDA_KERNELS_H
#define CMLX_BACKEND_CUDA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Collapsed dims of an element-wise op: operand 0 is the output. Dims that
 * are contiguous for every operand are merged, so most views need 1-3. */
#define CUDA_MAX_DIMS 8
#define CUDA_MAX_OPERANDS 4

typedef struct cuda_layout {
    int ndim;
    int64_t shape[CUDA_MAX_DIMS];
    int64_t strides[CUDA_MAX_OPERANDS][CUDA_MAX_DIMS]; /* element strides */
} cuda_layout;

typedef struct CUstream_st *cuda_stream;

/* out[i] = op(in[i]); lay NULL: both contiguous. scale/scale64: degrees,
 * radians (the factor as the working dtype holds it). */
int cuda_launch_unary(int op, int in_dtype, int out_dtype, void *out, const void *in, int64_t n, const cuda_layout *lay,
                      float scale, double scale64, cuda_stream stream);
/* out[i] = op(a[i], b[i]) (inputs of one dtype; out that dtype or bool);
 * lay NULL: contiguous, where a_scalar/b_scalar mark a size-1 operand. */
int cuda_launch_binary(int op, int dtype, int out_dtype, void *out, const void *a, const void *b, int64_t n,
                       const cuda_layout *lay, int a_scalar, int b_scalar, cuda_stream stream);
/* out[i] = cond[i] ? x[i] : y[i] (elements of itemsize bytes). */
int cuda_launch_where(size_t itemsize, void *out, const unsigned char *cond, const void *x, const void *y, int64_t n,
                      const cuda_layout *lay, cuda_stream stream);
/* out[i] = (out_dtype)in[i]: casts and copies (lay NULL: contiguous). */
int cuda_launch_cast(int in_dtype, int out_dtype, void *out, const void *in, int64_t n, const cuda_layout *lay,
                     cuda_stream stream);

/* Reductions over the middle axis of a row-contiguous (outer, m, inner)
 * input: out[o, i] = reduce_j in[o, j, i]. inner == 1 is a row reduction.
 * ddof: var/std only. scratch: at least cuda_reduce_scratch_bytes(...)
 * bytes of device memory. */
size_t cuda_reduce_scratch_bytes(int op, int in_dtype, int64_t outer, int64_t m, int64_t inner);
int cuda_launch_reduce(int op, int in_dtype, int out_dtype, void *out, const void *in, int64_t outer, int64_t m,
                       int64_t inner, int ddof, void *scratch, cuda_stream stream);
/* Softmax over the last axis of a row-contiguous (rows, len) input
 * (precise: half types keep float exponentials to the end). */
int cuda_launch_softmax(int dtype, void *out, const void *in, int64_t rows, int64_t len, int precise,
                        cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
