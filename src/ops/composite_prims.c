/* ops/composite_prims.c - the primitives of the composite area, with their
 * transform rules:
 *
 *   diagonal   a strided view (axes removed, the diagonal appended); its
 *              VJP lays the cotangent on the diagonal of zeros with
 *              concatenate / reshape / slice / pad, so it is lazy and
 *              differentiable again;
 *   pad        constant padding: one fill and one copy (VJP: a slice);
 *   as_strided a view of the input's elements in row-major order (a copy
 *              kernel when the input is not row-contiguous); its VJP is
 *              as_strided_grad, which scatter-adds the cotangent back;
 *   view       the input's bytes as another dtype (a view when the layout
 *              allows, else a copy);
 *   real, imag views of complex64 storage as float32 (every other float);
 *   conjugate  complex64 with the imaginary part negated.
 *
 * Rules follow MLX 0.32 (mlx/primitives.cpp): Real's VJP casts the cotangent
 * to complex64, Imag's multiplies it by -i, Conjugate's conjugates it; View
 * has no VJP (MLX: "not implemented") and as_strided no vmap rule of its own
 * (one node per example). */
#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "ops/composite.h"
#include "transforms/vmap.h"

static char *shape_str(const mx_node *a, char *buf) {
    return mx_format_shape(a->shape, a->ndim, buf, MX_SHAPE_STR_CAP);
}

/* Release the first n grads (a failed rule leaves none behind). */
static int fail_grads(mx_node **grads, int n) {
    for (int i = 0; i < n; i++) {
        if (grads[i])
            mx_node_release(grads[i]);
        grads[i] = NULL;
    }
    return mx_last_status();
}

static int set_out(mx_node *n, mx_node **out) {
    *out = n;
    return n ? MX_OK : mx_last_status();
}

static int set_vmap(mx_node *n, int axis, mx_node **out, int *out_axis) {
    *out = n;
    *out_axis = axis;
    return n ? MX_OK : mx_last_status();
}

/* ==== diagonal ========================================================================================== */

static bool diagonal_view(mx_node *out) {
    const mx_diagonal_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int64_t strides[MX_MAX_NDIM], offset = in->offset;
    int nd = 0;
    for (int i = 0; i < in->ndim; i++)
        if (i != p->ax1 && i != p->ax2)
            strides[nd++] = in->strides[i];
    strides[nd] = in->strides[p->ax1] + in->strides[p->ax2];
    if (out->size)
        offset += p->off1 * in->strides[p->ax1] + p->off2 * in->strides[p->ax2];
    mx_node_set_view(out, in, offset, strides);
    return true;
}

/* The cotangent (rest..., L) placed on the diagonal of zeros of x's shape:
 * as (R, L) -> (R, L, 1) ++ zeros (R, L, cols) = (R, L, cols + 1) -> (R, L *
 * (cols + 1)): element i lands at i * (cols + 1), the row-major position of
 * (off1 + i, off2 + i) once off1 * cols + off2 zeros come first; cut or
 * zero-padded to rows * cols, reshaped to (rest..., rows, cols) and
 * transposed back to x's axis order. */
static mx_node *diagonal_embed(mx_node *g, const mx_node *x, const mx_diagonal_params *p) {
    int64_t rows = x->shape[p->ax1], cols = x->shape[p->ax2], len = g->shape[g->ndim - 1];
    int64_t rest = len ? g->size / len : 0;
    cb_builder b = {0};
    if (len == 0 || rest == 0)
        return cb_finish(&b, cb_full(&b, x->shape, x->ndim, 0.0, g->dtype));
    int64_t start = p->off1 * cols + p->off2, needed = rows * cols - start, seq = len * (cols + 1);
    mx_node *col = cb_reshape(&b, g, (int64_t[]){rest, len, 1}, 3);
    mx_node *zeros = cb_full(&b, (int64_t[]){rest, len, cols}, 3, 0.0, g->dtype);
    mx_node *flat = cb_reshape(&b, cb_concat(&b, (mx_node *[]){col, zeros}, 2, 2), (int64_t[]){rest, seq}, 2);
    if (seq > needed)
        flat = cb_slice_axis(&b, flat, 1, 0, 1, needed);
    mx_pad_params pp;
    memset(&pp, 0, sizeof pp);
    pp.low[1] = start;
    pp.high[1] = seq < needed ? needed - seq : 0;
    if (flat && (pp.low[1] || pp.high[1])) {
        mx_node *zero = cb_scalar(&b, 0.0, g->dtype);
        flat = zero ? cb_own(&b, mx_node_new(&mx_op_pad, &pp, (mx_node *[]){flat, zero}, 2,
                                             (int64_t[]){rest, rows * cols}, 2, g->dtype))
                    : NULL;
    }
    int64_t shape[MX_MAX_NDIM];
    int perm[MX_MAX_NDIM], nd = 0;
    for (int i = 0; i < x->ndim; i++)
        if (i != p->ax1 && i != p->ax2)
            shape[nd++] = x->shape[i];
    shape[nd] = rows;
    shape[nd + 1] = cols;
    for (int i = 0, k = 0; i < x->ndim; i++)
        perm[i] = i == p->ax1 ? nd : i == p->ax2 ? nd + 1 : k++;
    mx_node *full = cb_reshape(&b, flat, shape, nd + 2);
    return cb_finish(&b, cb_transpose(&b, full, perm));
}

static int diagonal_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    return set_out(diagonal_embed(cot, node->inputs[0], mx_node_params(node)), grads_out);
}

static int diagonal_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    mx_node *t = tangents[0];
    return set_out(mx_node_new(&mx_op_diagonal, mx_node_params(node), &t, 1, node->shape, node->ndim, t->dtype), out);
}

/* The batch axis b stays among the kept axes; the diagonal stays last. */
static int diagonal_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                         int *out_axis) {
    const mx_diagonal_params *p = mx_node_params(node);
    mx_node *x = inputs[0];
    int b = in_axes[0];
    mx_diagonal_params q = *p;
    q.ax1 += q.ax1 >= b;
    q.ax2 += q.ax2 >= b;
    int64_t shape[MX_MAX_NDIM];
    int nd = 0, batch_at = 0;
    for (int i = 0; i < x->ndim; i++) {
        if (i == q.ax1 || i == q.ax2)
            continue;
        if (i == b)
            batch_at = nd;
        shape[nd++] = x->shape[i];
    }
    shape[nd++] = node->shape[node->ndim - 1];
    return set_vmap(mx_node_new(&mx_op_diagonal, &q, &x, 1, shape, nd, x->dtype), batch_at, out, out_axis);
}

const mx_op_def mx_op_diagonal = {.name = "diagonal",
                                  .id = MX_OP_diagonal,
                                  .family = MX_FAMILY_VIEW,
                                  .params_size = sizeof(mx_diagonal_params),
                                  .view_fn = diagonal_view,
                                  .vjp = diagonal_vjp,
                                  .jvp = diagonal_jvp,
                                  .vmap = diagonal_vmap};

/* ==== pad ================================================================================================ */

/* VJP: x gets the interior of the cotangent (a slice); the value gets the
 * sum of the rest: sum(cot) - sum(interior). */
static int pad_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_pad_params *p = mx_node_params(node);
    const mx_node *x = node->inputs[0];
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM];
    for (int i = 0; i < x->ndim; i++) {
        start[i] = p->low[i];
        stop[i] = p->low[i] + x->shape[i];
    }
    for (int k = 0; k < nargs; k++) {
        cb_builder b = {0};
        mx_node *inner = cb_slice(&b, cot, start, stop, NULL);
        if (argnums[k] == 0) {
            grads_out[k] = cb_finish(&b, inner);
        } else {
            mx_node *rest = cb_binary(&b, &mx_op_subtract, cb_reduce(&b, &mx_op_sum, cot, NULL, -1, false),
                                      cb_reduce(&b, &mx_op_sum, inner, NULL, -1, false));
            grads_out[k] = cb_finish(&b, rest);
        }
        if (!grads_out[k])
            return fail_grads(grads_out, k);
    }
    return MX_OK;
}

static int pad_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0] && !tangents[1])
        return MX_OK;
    const mx_node *x = node->inputs[0];
    cb_builder b = {0};
    mx_node *tx = tangents[0] ? tangents[0] : cb_full(&b, x->shape, x->ndim, 0.0, node->dtype);
    mx_node *tv = tangents[1] ? cb_astype(&b, tangents[1], node->dtype) : cb_scalar(&b, 0.0, node->dtype);
    tx = cb_astype(&b, tx, node->dtype);
    mx_node *r = tx && tv ? cb_own(&b, mx_node_new(&mx_op_pad, mx_node_params(node), (mx_node *[]){tx, tv}, 2,
                                                   node->shape, node->ndim, node->dtype))
                          : NULL;
    return set_out(cb_finish(&b, r), out);
}

/* x batched on axis b: the batch axis is not padded. A batched value (one
 * per example) takes one node per example. */
static int pad_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    if (in_axes[1] >= 0)
        return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    const mx_pad_params *p = mx_node_params(node);
    mx_node *x = inputs[0];
    int b = in_axes[0];
    mx_pad_params q;
    memset(&q, 0, sizeof q);
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0, j = 0; i < x->ndim; i++) {
        if (i == b) {
            shape[i] = x->shape[i];
            continue;
        }
        q.low[i] = p->low[j];
        q.high[i] = p->high[j];
        shape[i] = node->shape[j];
        j++;
    }
    mx_node *v = inputs[1];
    return set_vmap(mx_node_new(&mx_op_pad, &q, (mx_node *[]){x, v}, 2, shape, x->ndim, node->dtype), b, out, out_axis);
}

const mx_op_def mx_op_pad = {.name = "pad",
                             .id = MX_OP_pad,
                             .family = MX_FAMILY_OTHER,
                             .params_size = sizeof(mx_pad_params),
                             .vjp = pad_vjp,
                             .jvp = pad_jvp,
                             .vmap = pad_vmap};

/* ==== as_strided ============================================================================================== */

static bool as_strided_view(mx_node *out) {
    const mx_as_strided_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    if (!mx_node_is_row_contiguous(in))
        return false; /* the kernel reads the input in row-major order */
    mx_node_set_view(out, in, in->offset + p->offset, p->strides);
    return true;
}

static mx_node *as_strided_grad_node(mx_node *cot, const mx_node *input, const mx_as_strided_params *p) {
    mx_as_strided_grad_params q;
    memcpy(q.strides, p->strides, sizeof q.strides);
    q.offset = p->offset;
    return mx_node_new(&mx_op_as_strided_grad, &q, &cot, 1, input->shape, input->ndim, cot->dtype);
}

static int as_strided_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    return set_out(as_strided_grad_node(cot, node->inputs[0], mx_node_params(node)), grads_out);
}

static int as_strided_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    mx_node *t = tangents[0];
    return set_out(mx_node_new(&mx_op_as_strided, mx_node_params(node), &t, 1, node->shape, node->ndim, t->dtype), out);
}

const mx_op_def mx_op_as_strided = {.name = "as_strided",
                                    .id = MX_OP_as_strided,
                                    .family = MX_FAMILY_VIEW,
                                    .params_size = sizeof(mx_as_strided_params),
                                    .view_fn = as_strided_view,
                                    .vjp = as_strided_vjp,
                                    .jvp = as_strided_jvp,
                                    .vmap = mx_vmap_unrolled};

/* as_strided_grad is linear: its VJP is as_strided of the cotangent. */
static int as_strided_grad_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    const mx_as_strided_grad_params *q = mx_node_params(node);
    const mx_node *in = node->inputs[0];
    mx_as_strided_params p;
    memcpy(p.strides, q->strides, sizeof p.strides);
    p.offset = q->offset;
    return set_out(mx_node_new(&mx_op_as_strided, &p, &cot, 1, in->shape, in->ndim, cot->dtype), grads_out);
}

static int as_strided_grad_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    mx_node *t = tangents[0];
    return set_out(mx_node_new(&mx_op_as_strided_grad, mx_node_params(node), &t, 1, node->shape, node->ndim, t->dtype),
                   out);
}

const mx_op_def mx_op_as_strided_grad = {.name = "as_strided_grad",
                                         .id = MX_OP_as_strided_grad,
                                         .family = MX_FAMILY_OTHER,
                                         .params_size = sizeof(mx_as_strided_grad_params),
                                         .vjp = as_strided_grad_vjp,
                                         .jvp = as_strided_grad_jvp,
                                         .vmap = mx_vmap_unrolled};

mx_array mx_as_strided(mx_array a, const int64_t *shape, int ndim, const int64_t *strides, int nstrides,
                       int64_t offset) {
    mx_node *x = mx_handle_get(a, "as_strided");
    if (!x)
        return mx_handle_wrap(NULL);
    char s[MX_SHAPE_STR_CAP], t[MX_SHAPE_STR_CAP], u[MX_SHAPE_STR_CAP];
    if (ndim < 0 || ndim > MX_MAX_NDIM || (ndim && !shape) || nstrides != ndim || (nstrides && !strides)) {
        mx_set_error(MX_ERROR_VALUE, "as_strided: %d strides given for a shape of %d dimensions", nstrides, ndim);
        return mx_handle_wrap(NULL);
    }
    /* every element read must lie in the input (MLX reads out of bounds) */
    int64_t lo = offset, hi = offset, size = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) {
            mx_set_error(MX_ERROR_VALUE, "as_strided: negative dimension in shape %s",
                         mx_format_shape(shape, ndim, s, sizeof s));
            return mx_handle_wrap(NULL);
        }
        size *= shape[i];
        if (shape[i] > 0) {
            int64_t span = (shape[i] - 1) * strides[i];
            if (span > 0)
                hi += span;
            else
                lo += span;
        }
    }
    if (size > 0 && (lo < 0 || hi >= x->size)) {
        mx_set_error(MX_ERROR_VALUE,
                     "as_strided: shape %s with strides %s and offset %lld reads elements %lld to %lld of an array "
                     "of %lld elements (shape %s)",
                     mx_format_shape(shape, ndim, s, sizeof s), mx_format_shape(strides, ndim, t, sizeof t),
                     (long long)offset, (long long)lo, (long long)hi, (long long)x->size, shape_str(x, u));
        return mx_handle_wrap(NULL);
    }
    mx_as_strided_params p;
    memset(&p, 0, sizeof p);
    memcpy(p.strides, strides, sizeof(int64_t) * (size_t)ndim);
    p.offset = offset;
    return mx_handle_wrap(mx_node_new(&mx_op_as_strided, &p, &x, 1, shape, ndim, x->dtype));
}

/* ==== view ===================================================================================================== */

/* A view when the input is row-contiguous, its offset in bytes is a whole
 * number of output elements, and the output is not bool from another dtype
 * (bool bytes other than 0/1 are normalised by the kernel). */
static bool view_view(mx_node *out) {
    mx_node *in = out->inputs[0];
    size_t isize = mx_dtype_size(in->dtype), osize = mx_dtype_size(out->dtype);
    int64_t bytes = in->offset * (int64_t)isize;
    if (!mx_node_is_row_contiguous(in) || bytes % (int64_t)osize != 0 ||
        (out->dtype == MX_BOOL && in->dtype != MX_BOOL))
        return false;
    int64_t strides[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, strides);
    mx_node_set_view(out, in, bytes / (int64_t)osize, strides);
    return true;
}

/* view(x, same dtype) is x itself, so the rule is only ever asked for a
 * real change of dtype, which MLX does not differentiate. */
static int view_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)cot, (void)argnums, (void)nargs, (void)grads_out;
    return mx_set_error(MX_ERROR_VALUE, "view: the VJP is not implemented for a view as %s (as MLX)",
                        mx_dtype_name(node->dtype));
}

/* The last axis changes size, so the batch axis must not be last. */
static int view_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    mx_node *x = inputs[0];
    int b = in_axes[0];
    mx_node *front = b == x->ndim - 1 ? mx_vmap_move_axis(x, b, 0) : x;
    if (!front)
        return mx_last_status();
    if (front == x)
        mx_node_retain(x);
    int axis = b == x->ndim - 1 ? 0 : b;
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, front->shape, sizeof(int64_t) * (size_t)front->ndim);
    shape[front->ndim - 1] = node->shape[node->ndim - 1];
    mx_node *r = mx_node_new(&mx_op_view, NULL, &front, 1, shape, front->ndim, node->dtype);
    mx_node_release(front);
    return set_vmap(r, axis, out, out_axis);
}

const mx_op_def mx_op_view = {.name = "view",
                              .id = MX_OP_view,
                              .family = MX_FAMILY_VIEW,
                              .view_fn = view_view,
                              .vjp = view_vjp,
                              .vmap = view_vmap};

mx_array mx_view(mx_array a, mx_dtype dtype) {
    mx_node *x = mx_handle_get(a, "view");
    if (!x)
        return mx_handle_wrap(NULL);
    char s[MX_SHAPE_STR_CAP];
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "view: invalid dtype %d", (int)dtype);
        return mx_handle_wrap(NULL);
    }
    if (dtype == x->dtype) {
        mx_node_retain(x);
        return mx_handle_wrap(x);
    }
    size_t isize = mx_dtype_size(x->dtype), osize = mx_dtype_size(dtype);
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->ndim);
    if (x->ndim == 0 && isize != osize) {
        mx_set_error(MX_ERROR_VALUE,
                     "view: changing the type of a scalar is only allowed for types with the same "
                     "size (%s to %s)",
                     mx_dtype_name(x->dtype), mx_dtype_name(dtype));
        return mx_handle_wrap(NULL);
    }
    if (isize < osize) {
        int64_t ratio = (int64_t)(osize / isize);
        if (shape[x->ndim - 1] % ratio != 0) {
            mx_set_error(MX_ERROR_VALUE,
                         "view: when viewing as a larger dtype, the size in bytes of the last axis must be a multiple "
                         "of the requested type size (%s of shape %s as %s)",
                         mx_dtype_name(x->dtype), shape_str(x, s), mx_dtype_name(dtype));
            return mx_handle_wrap(NULL);
        }
        shape[x->ndim - 1] /= ratio;
    } else if (isize > osize) {
        shape[x->ndim - 1] *= (int64_t)(isize / osize);
    }
    return mx_handle_wrap(mx_node_new(&mx_op_view, NULL, &x, 1, shape, x->ndim, dtype));
}

/* ==== real, imag, conjugate ========================================================================================
 */

/* complex64 is (float re, float im): a float32 view with doubled strides. */
static bool part_view(mx_node *out, int part) {
    mx_node *in = out->inputs[0];
    int64_t strides[MX_MAX_NDIM];
    for (int i = 0; i < out->ndim; i++)
        strides[i] = 2 * in->strides[i];
    mx_node_set_view(out, in, 2 * in->offset + part, strides);
    return true;
}
static bool real_view(mx_node *out) { return part_view(out, 0); }
static bool imag_view(mx_node *out) { return part_view(out, 1); }

mx_node *mx_node_real(mx_node *a) {
    if (a->dtype != MX_COMPLEX64) {
        mx_node_retain(a);
        return a;
    }
    return mx_node_new(&mx_op_real, NULL, &a, 1, a->shape, a->ndim, MX_FLOAT32);
}

mx_node *mx_node_imag(mx_node *a) {
    if (a->dtype != MX_COMPLEX64)
        return mx_node_full(a->shape, a->ndim, 0.0, a->dtype); /* MLX: zeros_like */
    return mx_node_new(&mx_op_imag, NULL, &a, 1, a->shape, a->ndim, MX_FLOAT32);
}

mx_node *mx_node_conjugate(mx_node *a) {
    if (a->dtype != MX_COMPLEX64) {
        mx_node_retain(a);
        return a;
    }
    return mx_node_new(&mx_op_conjugate, NULL, &a, 1, a->shape, a->ndim, MX_COMPLEX64);
}

static int real_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)node, (void)argnums, (void)nargs;
    return set_out(mx_node_astype(cot, MX_COMPLEX64), grads_out);
}

static int imag_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)node, (void)argnums, (void)nargs;
    /* -i * cotangent */
    cb_builder b = {0};
    mx_node *minus_i = cb_own(&b, mx_node_scalar(0.0, MX_COMPLEX64));
    if (minus_i)
        ((float *)minus_i->buffer->ptr)[1] = -1.0f;
    return set_out(cb_finish(&b, cb_binary(&b, &mx_op_multiply, minus_i, cb_astype(&b, cot, MX_COMPLEX64))), grads_out);
}

static int conjugate_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)node, (void)argnums, (void)nargs;
    cb_builder b = {0};
    mx_node *c = cb_astype(&b, cot, MX_COMPLEX64);
    return set_out(cb_finish(&b, c ? cb_own(&b, mx_node_conjugate(c)) : NULL), grads_out);
}

static int part_jvp(mx_node *(*f)(mx_node *), mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    return set_out(f(tangents[0]), out);
}
static int real_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    (void)node;
    return part_jvp(mx_node_real, tangents, out);
}
static int imag_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    (void)node;
    return part_jvp(mx_node_imag, tangents, out);
}
static int conjugate_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    (void)node;
    return part_jvp(mx_node_conjugate, tangents, out);
}

const mx_op_def mx_op_real = {.name = "real",
                              .id = MX_OP_real,
                              .family = MX_FAMILY_VIEW,
                              .view_fn = real_view,
                              .vjp = real_vjp,
                              .jvp = real_jvp,
                              .vmap = mx_vmap_elementwise};
const mx_op_def mx_op_imag = {.name = "imag",
                              .id = MX_OP_imag,
                              .family = MX_FAMILY_VIEW,
                              .view_fn = imag_view,
                              .vjp = imag_vjp,
                              .jvp = imag_jvp,
                              .vmap = mx_vmap_elementwise};
const mx_op_def mx_op_conjugate = {.name = "conjugate",
                                   .id = MX_OP_conjugate,
                                   .family = MX_FAMILY_OTHER,
                                   .vjp = conjugate_vjp,
                                   .jvp = conjugate_jvp,
                                   .vmap = mx_vmap_elementwise};

mx_array mx_real(mx_array a) {
    mx_node *x = mx_handle_get(a, "real");
    return mx_handle_wrap(x ? mx_node_real(x) : NULL);
}

mx_array mx_imag(mx_array a) {
    mx_node *x = mx_handle_get(a, "imag");
    return mx_handle_wrap(x ? mx_node_imag(x) : NULL);
}

mx_array mx_conjugate(mx_array a) {
    mx_node *x = mx_handle_get(a, "conjugate");
    return mx_handle_wrap(x ? mx_node_conjugate(x) : NULL);
}
