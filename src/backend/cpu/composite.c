/* backend/cpu/composite.c - kernels of the composite area's primitives: pad
 * (constant), as_strided (when the input is not row-contiguous, so no view),
 * as_strided_grad (scatter-add), view (copy fallback, and bool
 * normalisation), conjugate. diagonal, real and imag are always views. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
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
    /* read the input before its buffer may be donated to out (which clears x->buffer) */
    cpu_operand src = cpu_operand_of(x);
    mx_status st = mx_node_try_donate(out, 0) ? MX_OK : mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    cpu_operand ops[2] = {cpu_operand_of(out), src};
    cpu_foreach(ops, 2, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, conjugate_run, NULL);
    return MX_OK;
}

/* ---- sqrtm: U sqrt(S) V^T of square matrices ------------------------------------------------------ */

/* One matrix (n x n, row-major floats in, out): a one-sided Jacobi SVD in
 * double. The columns of A are rotated pairwise until orthogonal, V
 * collecting the rotations, so A V = U S with s_i = |a_i|; then
 * U sqrt(S) V^T = sum_i a_i v_i^T / sqrt(s_i) (terms with s_i = 0 vanish). */
static void sqrtm_one(const float *in, float *out, int64_t n, double *a, double *v) {
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            a[j * n + i] = in[i * n + j]; /* a: column j at a + j n */
            v[j * n + i] = i == j;
        }
    for (int sweep = 0; sweep < 64; sweep++) {
        bool rotated = false;
        for (int64_t p = 0; p < n; p++)
            for (int64_t q = p + 1; q < n; q++) {
                double *ap = a + p * n, *aq = a + q * n, alpha = 0, beta = 0, gamma = 0;
                for (int64_t k = 0; k < n; k++) {
                    alpha += ap[k] * ap[k];
                    beta += aq[k] * aq[k];
                    gamma += ap[k] * aq[k];
                }
                if (gamma == 0 || !(fabs(gamma) > 1e-15 * sqrt(alpha * beta)))
                    continue;
                rotated = true;
                double zeta = (beta - alpha) / (2 * gamma);
                double t = (zeta >= 0 ? 1.0 : -1.0) / (fabs(zeta) + sqrt(1 + zeta * zeta));
                double c = 1 / sqrt(1 + t * t), s = c * t;
                double *vp = v + p * n, *vq = v + q * n;
                for (int64_t k = 0; k < n; k++) {
                    double x = ap[k], y = aq[k];
                    ap[k] = c * x - s * y;
                    aq[k] = s * x + c * y;
                    x = vp[k];
                    y = vq[k];
                    vp[k] = c * x - s * y;
                    vq[k] = s * x + c * y;
                }
            }
        if (!rotated)
            break;
    }
    for (int64_t i = 0; i < n * n; i++)
        out[i] = 0;
    double *acc = v + n * n; /* n * n doubles of scratch after v */
    for (int64_t i = 0; i < n * n; i++)
        acc[i] = 0;
    for (int64_t c = 0; c < n; c++) {
        double *ac = a + c * n, *vc = v + c * n, s = 0;
        for (int64_t k = 0; k < n; k++)
            s += ac[k] * ac[k];
        s = sqrt(s);
        if (!(s > 0))
            continue;
        double scale = 1 / sqrt(s);
        for (int64_t i = 0; i < n; i++)
            for (int64_t j = 0; j < n; j++)
                acc[i * n + j] += ac[i] * scale * vc[j];
    }
    for (int64_t i = 0; i < n * n; i++)
        out[i] = (float)acc[i];
}

typedef struct sqrtm_ctx {
    const float *in;
    float *out;
    int64_t n;
    atomic_bool failed;
} sqrtm_ctx;

static void sqrtm_range(int64_t begin, int64_t end, void *vctx) {
    sqrtm_ctx *c = vctx;
    int64_t nn = c->n * c->n;
    double *work = malloc(sizeof(double) * (size_t)(3 * nn > 0 ? 3 * nn : 1));
    if (!work) {
        atomic_store(&c->failed, true);
        return;
    }
    for (int64_t m = begin; m < end; m++)
        sqrtm_one(c->in + m * nn, c->out + m * nn, c->n, work, work + nn);
    free(work);
}

/* shape: (batch..., n, n) float32 -> the same. A strided input is read
 * into a row-major copy first. */
static mx_status sqrtm_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    float *copy = NULL;
    const float *src = mx_node_data(in);
    if (!mx_node_is_row_contiguous(in)) {
        copy = malloc(sizeof(float) * (size_t)in->size);
        if (!copy)
            return mx_set_error(MX_ERROR_MEMORY, "multivariate_normal: out of memory");
        mx_node dense = *out; /* the copy, described as a row-major float32 node */
        int64_t strides[MX_MAX_NDIM];
        mx_row_strides(in->shape, in->ndim, strides);
        mx_buffer buf = {.ptr = copy, .nbytes = sizeof(float) * (size_t)in->size};
        dense.buffer = &buf;
        dense.offset = 0;
        dense.strides = strides;
        cpu_copy(&dense, in);
        src = copy;
    }
    int64_t n = out->shape[out->ndim - 1];
    sqrtm_ctx ctx = {src, mx_node_data(out), n, false};
    cpu_parallel_for(out->size / (n * n), n >= 16 ? 1 : 64, sqrtm_range, &ctx);
    free(copy);
    return atomic_load(&ctx.failed) ? mx_set_error(MX_ERROR_MEMORY, "multivariate_normal: out of memory") : MX_OK;
}

void cpu_register_composite(mx_backend *b) {
    b->kernels[MX_OP_pad] = pad_kernel;
    b->kernels[MX_OP_as_strided] = as_strided_kernel;
    b->kernels[MX_OP_as_strided_grad] = as_strided_grad_kernel;
    b->kernels[MX_OP_view] = view_kernel;
    b->kernels[MX_OP_conjugate] = conjugate_kernel;
    b->kernels[MX_OP_sqrtm] = sqrtm_kernel;
}
