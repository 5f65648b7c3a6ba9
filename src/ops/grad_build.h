/* ops/grad_build.h - building the gradient graphs of the rules for
 * reductions, matmul, shape and random ops (reduce_grad.c, matmul_grad.c,
 * shape_grad.c, random_grad.c).
 *
 * A rule is a formula over borrowed nodes (the primal inputs, the node's own
 * output, the cotangent or tangents). A gb_builder owns every node the
 * formula creates, so each step can take the result of the previous one
 * without checking it: a failed step (NULL with the thread error set by the
 * constructor) makes the later steps that use it return NULL, and
 * gb_finish() returns NULL once at the end, releasing everything. */
#ifndef CMLX_OPS_GRAD_BUILD_H
#define CMLX_OPS_GRAD_BUILD_H

#include <string.h>

#include "ops/composite.h"

/* The composite ops' builder (ops/composite.h), under the names the rules use. */
typedef cb_builder gb_builder;

static inline mx_node *gb_own(gb_builder *b, mx_node *n) { return cb_own(b, n); }
static inline void gb_release(gb_builder *b) { cb_abort(b); }

/* A new reference to `result` cast to `dtype`, or NULL (error set) when a
 * step failed. Releases the builder's nodes either way. */
static inline mx_node *gb_finish(gb_builder *b, mx_node *result, mx_dtype dtype) {
    mx_node *out = NULL;
    if (!b->failed && result)
        out = mx_node_astype(result, dtype);
    gb_release(b);
    return out;
}

static inline mx_node *gb_unary(gb_builder *b, const mx_op_def *op, mx_node *a) { return cb_unary(b, op, a); }
static inline mx_node *gb_binary(gb_builder *b, const mx_op_def *op, mx_node *x, mx_node *y) {
    return cb_binary(b, op, x, y);
}
static inline mx_node *gb_mul(gb_builder *b, mx_node *x, mx_node *y) { return gb_binary(b, &mx_op_multiply, x, y); }
static inline mx_node *gb_div(gb_builder *b, mx_node *x, mx_node *y) { return gb_binary(b, &mx_op_divide, x, y); }
static inline mx_node *gb_add(gb_builder *b, mx_node *x, mx_node *y) { return gb_binary(b, &mx_op_add, x, y); }
static inline mx_node *gb_sub(gb_builder *b, mx_node *x, mx_node *y) { return gb_binary(b, &mx_op_subtract, x, y); }
static inline mx_node *gb_neg(gb_builder *b, mx_node *x) { return gb_unary(b, &mx_op_negative, x); }

/* x + y where either may be NULL (a zero): NULL only when both are. */
static inline mx_node *gb_add_opt(gb_builder *b, mx_node *x, mx_node *y) {
    if (!x || !y)
        return x ? x : y;
    return gb_add(b, x, y);
}

/* A 0-d constant (broadcast by the binary constructors). */
static inline mx_node *gb_scalar(gb_builder *b, double value, mx_dtype dtype) { return cb_scalar(b, value, dtype); }
static inline mx_node *gb_full(gb_builder *b, const int64_t *shape, int ndim, double value, mx_dtype dtype) {
    return cb_full(b, shape, ndim, value, dtype);
}
static inline mx_node *gb_astype(gb_builder *b, mx_node *a, mx_dtype dtype) { return cb_astype(b, a, dtype); }
static inline mx_node *gb_reshape(gb_builder *b, mx_node *a, const int64_t *shape, int ndim) {
    return cb_reshape(b, a, shape, ndim);
}
static inline mx_node *gb_transpose(gb_builder *b, mx_node *a, const int *perm) { return cb_transpose(b, a, perm); }
static inline mx_node *gb_broadcast(gb_builder *b, mx_node *a, const int64_t *shape, int ndim) {
    return cb_broadcast(b, a, shape, ndim);
}
/* A reduction over normalised axes, keeping them as size-1 dims. */
static inline mx_node *gb_reduce(gb_builder *b, const mx_op_def *op, mx_node *a, const int *axes, int naxes) {
    return a ? cb_own(b, mx_node_reduce(op, a, axes, naxes, true)) : NULL;
}
static inline mx_node *gb_matmul(gb_builder *b, mx_node *x, mx_node *y) { return cb_matmul(b, x, y); }
static inline mx_node *gb_concat(gb_builder *b, mx_node *const *parts, int n, int axis) {
    return cb_concat(b, parts, n, axis);
}

/* The elements [start, start + count * step) of one axis (step may be
 * negative: start is then the first element taken, counting down). */
static inline mx_node *gb_slice_axis(gb_builder *b, mx_node *a, int axis, int64_t start, int64_t step, int64_t count) {
    if (!a)
        return NULL;
    if (start == 0 && step == 1 && count == a->shape[axis]) {
        mx_node_retain(a);
        return gb_own(b, a);
    }
    mx_slice_params p;
    memset(&p, 0, sizeof p);
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim; i++) {
        p.step[i] = 1;
        shape[i] = a->shape[i];
    }
    p.start[axis] = start;
    p.step[axis] = step;
    shape[axis] = count;
    return gb_own(b, mx_node_new(&mx_op_slice, &p, &a, 1, shape, a->ndim, a->dtype));
}

/* The permutation that moves `axes` (sorted, normalised) last, keeping the
 * order of the others; `inverse` undoes it. Returns the number of kept axes. */
static inline int gb_axes_last(int ndim, const int *axes, int naxes, int *perm, int *inverse) {
    bool reduced[MX_MAX_NDIM] = {0};
    for (int i = 0; i < naxes; i++)
        reduced[axes[i]] = true;
    int k = 0;
    for (int i = 0; i < ndim; i++)
        if (!reduced[i])
            perm[k++] = i;
    int kept = k;
    for (int i = 0; i < naxes; i++)
        perm[k++] = axes[i];
    for (int i = 0; i < ndim; i++)
        inverse[perm[i]] = i;
    return kept;
}

#endif
