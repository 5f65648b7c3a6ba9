/* backend/cuda/complex.c - complex64 on the GPU: which ops' kernels take
 * complex64 operands (the backend's supports() refuses complex64 for all
 * others, which then run their CPU kernel), the conjugate kernel, and the
 * registration of fft (fft.c).
 *
 * The element-wise kernels (elementwise.cu: unary, binary, where, casts),
 * the reductions sum/prod/mean (reduce.cu) and matmul (matmul.c, cuBLASLt
 * CUDA_C_32F) have complex64 paths; their glue in cuda_backend.c runs the
 * CPU kernel for any combination a launcher refuses (for example round
 * with decimals, or complex max). real and imag are views (no kernel). */
#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/fft_kernels.h"

#ifdef CMLX_HAVE_CUFFT
void cuda_register_fft(mx_backend *b); /* fft.c */
#endif

/* shape: out (...) complex64 = conj(in (...) complex64), any input view */
static mx_status conjugate_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (in->dtype != MX_COMPLEX64 || out->dtype != MX_COMPLEX64)
        return mx_run_cpu_kernel(out);
    cuda_kernel_begin();
    void *src;
    mx_status st = cuda_node_ptr(in, "conjugate", &src);
    if (st != MX_OK)
        return st;
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    const int64_t *strides[2] = {row, in->strides};
    cuda_layout lay;
    int kind = cuda_collapse(out->shape, out->ndim, strides, 2, &lay);
    if (kind < 0)
        return mx_run_cpu_kernel(out);
    st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    int rc = cuda_launch_unary(MX_OP_conjugate, MX_COMPLEX64, MX_COMPLEX64, out->buffer->device_ptr, src, out->size,
                               kind ? &lay : NULL, 0.0f, 0.0, (cuda_stream)cuda_stream_get());
    if (rc < 0)
        return mx_run_cpu_kernel(out);
    st = cuda_check(cudaGetLastError(), "conjugate", "a kernel launch");
    if (st == MX_OK)
        cuda_output_written(out);
    return st;
}

void cuda_register_complex(mx_backend *b) {
    /* kernels registered by cuda_backend.c / matmul.c that have complex64 paths */
    static const int ops[] = {/* unary: complex -> complex, abs -> float32, predicates -> bool */
                              MX_OP_abs, MX_OP_negative, MX_OP_sign, MX_OP_sqrt, MX_OP_rsqrt, MX_OP_square,
                              MX_OP_reciprocal, MX_OP_exp, MX_OP_log, MX_OP_log1p, MX_OP_log2, MX_OP_log10, MX_OP_sin,
                              MX_OP_cos, MX_OP_tan, MX_OP_arcsin, MX_OP_arccos, MX_OP_arctan, MX_OP_sinh, MX_OP_cosh,
                              MX_OP_tanh, MX_OP_arcsinh, MX_OP_arccosh, MX_OP_arctanh, MX_OP_round, MX_OP_degrees,
                              MX_OP_radians, MX_OP_isnan, MX_OP_isinf, MX_OP_isfinite, MX_OP_logical_not,
                              /* binary */
                              MX_OP_add, MX_OP_subtract, MX_OP_multiply, MX_OP_divide, MX_OP_floor_divide, MX_OP_power,
                              MX_OP_maximum, MX_OP_minimum, MX_OP_logaddexp, MX_OP_equal, MX_OP_not_equal,
                              MX_OP_greater, MX_OP_greater_equal, MX_OP_less, MX_OP_less_equal,
                              /* where (8-byte elements), casts and copies, reductions, matmul */
                              MX_OP_where, MX_OP_astype, MX_OP_copy, MX_OP_stop_gradient, MX_OP_reshape, MX_OP_sum,
                              MX_OP_prod, MX_OP_mean, MX_OP_matmul};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (b->kernels[ops[i]])
            cuda_allow_complex(ops[i]);
    b->kernels[MX_OP_conjugate] = conjugate_kernel;
    cuda_allow_complex(MX_OP_conjugate);
#ifdef CMLX_HAVE_CUFFT
    cuda_register_fft(b);
#endif
}
