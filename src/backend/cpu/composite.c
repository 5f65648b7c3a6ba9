/* backend/cpu/composite.c - kernels of the composite area's primitives: pad
 * (constant), as_strided (when the input is not row-contiguous, so no view),
 * as_strided_grad (scatter-add), view (copy fallback, and bool
 * normalisation), conjugate. diagonal, real and imag are always views. */
#include <string.h>

#include "backend/cpu/cpu.h"
#include "core/scalar.h"
#include "ops/composite.h"

/* ---- pad --------------------------------------------------------------------------------------- */

typedef struct fill_ctx {
    char *data;
    const unsigned char *value;
    size_t size;
} fill_ctx;

static void fill_range(int64_t begin, int64_t end, void *vctx) {
    const fill_ctx *c = vctx;
    char *p = c->data + begin * (int64_t)c->size;
    switch (c->size) { /* typed stores vectorise; the value is any bit pattern */
    case 1: memset(p, c->value[0], (size_t)(end - begin)); break;
    case 2: {
        uint16_t v;
        memcpy(&v, c->value, 2);
        for (int64_t i = 0; i < end - begin; i++)
            ((uint16_t *)p)[i] = v;
        break;
    }
    case 4: {
        uint32_t v;
        memcpy(&v, c->value, 4);
        for (int64_t i = 0; i < end - begin; i++)
            ((uint32_t *)p)[i] = v;
        break;
    }
    default: {
        uint64_t v;
        memcpy(&v, c->value, 8);
        for (int64_t i = 0; i < end - begin; i++)
            ((uint64_t *)p)[i] = v;
        break;
    }
    }
}

/* out (low + x + high per axis) = value, then x copied into the interior:
 * the interior is a shallow node over out's buffer with x's shape, out's
 * strides and the offset of (low...). */
static mx_status pad_kernel(mx_node *out) {
    const mx_pad_params *p = mx_node_params(out);
    mx_node *x = out->inputs[0], *v = out->inputs[1];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    fill_ctx fc = {mx_node_data(out), mx_node_data(v), mx_dtype_size(out->dtype)};
    cpu_parallel_for(out->size, CPU_ELEMENTWISE_GRAIN, fill_range, &fc);
    if (x->size == 0)
        return MX_OK;
    mx_node inner = *out;
    inner.shape = x->shape;
    int64_t offset = 0;
    for (int i = 0; i < out->ndim; i++)
        offset += p->low[i] * out->strides[i];
    inner.offset = out->offset + offset;
    return cpu_copy(&inner, x);
}

/* ---- as_strided ----------------------------------------------------------------------------------- */

/* The address of the element at row-major linear index `lin` of x. */
static const char *element_at(const mx_node *x, int64_t lin) {
    int64_t off = 0;
    for (int d = x->ndim - 1; d >= 0; d--) {
        int64_t n = x->shape[d];
        off += (lin % n) * x->strides[d];
        lin /= n;
    }
    return (const char *)mx_node_data(x) + off * (int64_t)mx_dtype_size(x->dtype);
}

/* shape: out (the as_strided shape); reads x in row-major order at
 * offset + sum(idx * strides) (validated in range when the node was made). */
static mx_status as_strided_kernel(mx_node *out) {
    const mx_as_strided_params *p = mx_node_params(out);
    const mx_node *x = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    size_t size = mx_dtype_size(out->dtype);
    char *o = mx_node_data(out);
    int64_t idx[MX_MAX_NDIM] = {0};
    for (int64_t i = 0; i < out->size; i++) {
        int64_t lin = p->offset;
        for (int d = 0; d < out->ndim; d++)
            lin += idx[d] * p->strides[d];
        memcpy(o + i * (int64_t)size, element_at(x, lin), size);
        for (int d = out->ndim - 1; d >= 0; d--) {
            if (++idx[d] < out->shape[d])
                break;
            idx[d] = 0;
        }
    }
    return MX_OK;
}

/* shape: out = the original input's shape (row-major, zeros first); the
 * cotangent (input 0, the as_strided shape, any strides) is added at
 * offset + sum(idx * strides). Accumulated in double (complex: two parts)
 * so overlapping reads (stride 0) sum like MLX's scatter_add. */
static mx_status as_strided_grad_kernel(mx_node *out) {
    const mx_as_strided_grad_params *p = mx_node_params(out);
    const mx_node *g = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    bool is_complex = out->dtype == MX_COMPLEX64;
    int parts = is_complex ? 2 : 1;
    double *acc = calloc((size_t)(out->size ? out->size : 1) * (size_t)parts, sizeof *acc);
    if (!acc)
        return mx_set_error(MX_ERROR_MEMORY, "as_strided_grad: out of memory");
    int64_t idx[MX_MAX_NDIM] = {0};
    size_t gsize = mx_dtype_size(g->dtype);
    for (int64_t i = 0; i < g->size; i++) {
        int64_t lin = p->offset, off = 0;
        for (int d = 0; d < g->ndim; d++) {
            lin += idx[d] * p->strides[d];
            off += idx[d] * g->strides[d];
        }
        const char *src = (const char *)mx_node_data(g) + off * (int64_t)gsize;
        if (is_complex) {
            float re, im;
            memcpy(&re, src, 4);
            memcpy(&im, src + 4, 4);
            acc[2 * lin] += re;
            acc[2 * lin + 1] += im;
        } else {
            acc[lin] += mx_scalar_load_f64(src, g->dtype);
        }
        for (int d = g->ndim - 1; d >= 0; d--) {
            if (++idx[d] < g->shape[d])
                break;
            idx[d] = 0;
        }
    }
    char *o = mx_node_data(out);
    size_t osize = mx_dtype_size(out->dtype);
    for (int64_t i = 0; i < out->size; i++) {
        if (is_complex) {
            float parts2[2] = {(float)acc[2 * i], (float)acc[2 * i + 1]};
            memcpy(o + i * 8, parts2, 8);
        } else {
            mx_scalar_store_f64(o + i * (int64_t)osize, out->dtype, acc[i]);
        }
    }
    free(acc);
    return MX_OK;
}

/* ---- view ---------------------------------------------------------------------------------------- */

/* The input's bytes in row-major order, reinterpreted: the input is copied
 * (same dtype) into out's buffer described with the input's shape. A view
 * as bool stores 0/1 (MLX reads any non-zero byte as true). */
static mx_status view_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    mx_node bytes = *out;
    int64_t strides[MX_MAX_NDIM];
    mx_row_strides(in->shape, in->ndim, strides);
    bytes.shape = in->shape;
    bytes.ndim = in->ndim;
    bytes.strides = strides;
    bytes.dtype = in->dtype;
    bytes.offset = 0;
    st = cpu_copy(&bytes, in);
    if (st == MX_OK && out->dtype == MX_BOOL) {
        unsigned char *b = mx_node_data(out);
        for (int64_t i = 0; i < out->size; i++)
            b[i] = b[i] != 0;
    }
    return st;
}

/* ---- conjugate ------------------------------------------------------------------------------------- */

static void conjugate_run(char **ptrs, const int64_t *strides, int64_t n, void *ctx) {
    (void)ctx;
    char *o = ptrs[0];
    const char *x = ptrs[1];
    if (strides[0] == 8 && strides[1] == 8) {
        float *fo = (float *)o;
        const float *fx = (const float *)x;
#pragma omp simd
        for (int64_t i = 0; i < n; i++) {
            fo[2 * i] = fx[2 * i];
            fo[2 * i + 1] = -fx[2 * i + 1];
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        float v[2];
        memcpy(v, x + i * strides[1], 8);
        v[1] = -v[1];
        memcpy(o + i * strides[0], v, 8);
    }
}

/* shape: out = x (complex64, any strides). */
static mx_status conjugate_kernel(mx_node *out) {
    mx_node *x = out->inputs[0];
    mx_status st = mx_node_try_donate(out, 0) ? MX_OK : mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    cpu_operand ops[2] = {cpu_operand_of(out), cpu_operand_of(x)};
    cpu_foreach(ops, 2, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, conjugate_run, NULL);
    return MX_OK;
}

void cpu_register_composite(mx_backend *b) {
    b->kernels[MX_OP_pad] = pad_kernel;
    b->kernels[MX_OP_as_strided] = as_strided_kernel;
    b->kernels[MX_OP_as_strided_grad] = as_strided_grad_kernel;
    b->kernels[MX_OP_view] = view_kernel;
    b->kernels[MX_OP_conjugate] = conjugate_kernel;
}
