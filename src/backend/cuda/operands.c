/* backend/cuda/operands.c - operand preparation and launch outcomes shared by
 * the kernel glue files (norms.c, norms_vjp.c, quantized.c): a row-contiguous
 * device copy of a view in the dtype a kernel wants, scratch release, and the
 * outcome of a launch. */
#include "backend/cuda/cuda_backend.h"

mx_status cuda_contiguous_as(mx_node *n, mx_dtype dtype, size_t alignment, const char *op, const void **ptr,
                             cuda_scratch *s) {
    void *src;
    mx_status st = cuda_node_ptr(n, op, &src);
    if (st != MX_OK)
        return st;
    if (n->dtype == dtype && mx_node_is_row_contiguous(n) && (uintptr_t)src % alignment == 0) {
        *ptr = src;
        return MX_OK;
    }
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(n->shape, n->ndim, row);
    const int64_t *strides[2] = {row, n->strides};
    cuda_layout lay;
    int kind = cuda_collapse(n->shape, n->ndim, strides, 2, &lay);
    if (kind < 0)
        return MX_ERROR_UNSUPPORTED;
    size_t nbytes = (size_t)n->size * mx_dtype_size(dtype);
    s->ptr = cuda_scratch_alloc(nbytes ? nbytes : 1, op, &s->capacity); /* blocks are 256-byte aligned */
    if (!s->ptr)
        return mx_last_status();
    if (cuda_launch_cast(n->dtype, dtype, s->ptr, src, n->size, kind ? &lay : NULL, (cuda_stream)cuda_stream_get()) < 0)
        return MX_ERROR_UNSUPPORTED;
    *ptr = s->ptr;
    return MX_OK;
}

void cuda_scratch_release(cuda_scratch *s, int n) {
    for (int i = 0; i < n; i++) {
        cuda_scratch_free(s[i].ptr, s[i].capacity);
        s[i].ptr = NULL;
    }
}

mx_status cuda_launch_finish(mx_node *out, int rc) {
    if (rc < 0)
        return mx_run_cpu_kernel(out);
    cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        return cuda_check(err, out->op->name, "a kernel launch");
    cuda_output_written(out);
    return MX_OK;
}
