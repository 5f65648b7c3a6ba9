/* ops/composite_build.c - the builder the composite ops are written with
 * (see ops/composite.h). */
#include "ops/composite.h"

mx_node *cb_own(cb_builder *b, mx_node *n) {
    if (!n) {
        b->failed = true;
        return NULL;
    }
    if (b->n == b->cap) {
        int cap = b->cap ? 2 * b->cap : 16;
        mx_node **grown = realloc(b->temps, sizeof *grown * (size_t)cap);
        if (!grown) {
            mx_node_release(n);
            mx_set_error(MX_ERROR_MEMORY, "composite: out of memory");
            b->failed = true;
            return NULL;
        }
        b->temps = grown;
        b->cap = cap;
    }
    b->temps[b->n++] = n;
    return n;
}

void cb_abort(cb_builder *b) {
    for (int i = 0; i < b->n; i++)
        mx_node_release(b->temps[i]);
    free(b->temps);
    b->temps = NULL;
    b->n = b->cap = 0;
    b->failed = true;
}

mx_node *cb_finish(cb_builder *b, mx_node *result) {
    mx_node *out = NULL;
    if (!b->failed && result) {
        mx_node_retain(result);
        out = result;
    }
    cb_abort(b);
    return out;
}

mx_node *cb_unary(cb_builder *b, const mx_op_def *op, mx_node *x) { return x ? cb_own(b, mx_node_unary(op, x)) : NULL; }

mx_node *cb_binary(cb_builder *b, const mx_op_def *op, mx_node *x, mx_node *y) {
    return x && y ? cb_own(b, mx_node_binary(op, x, y)) : NULL;
}

mx_node *cb_where(cb_builder *b, mx_node *c, mx_node *x, mx_node *y) {
    return c && x && y ? cb_own(b, mx_node_where(c, x, y)) : NULL;
}

mx_node *cb_astype(cb_builder *b, mx_node *x, mx_dtype dtype) { return x ? cb_own(b, mx_node_astype(x, dtype)) : NULL; }

mx_node *cb_reshape(cb_builder *b, mx_node *x, const int64_t *shape, int ndim) {
    return x ? cb_own(b, mx_node_reshape(x, shape, ndim)) : NULL;
}

mx_node *cb_transpose(cb_builder *b, mx_node *x, const int *perm) {
    return x ? cb_own(b, mx_node_transpose(x, perm)) : NULL;
}

mx_node *cb_broadcast(cb_builder *b, mx_node *x, const int64_t *shape, int ndim) {
    return x ? cb_own(b, mx_node_broadcast_to(x, shape, ndim)) : NULL;
}

mx_node *cb_slice(cb_builder *b, mx_node *x, const int64_t *start, const int64_t *stop, const int64_t *step) {
    return x ? cb_own(b, mx_node_slice(x, start, stop, step)) : NULL;
}

mx_node *cb_slice_axis(cb_builder *b, mx_node *x, int axis, int64_t start, int64_t step, int64_t count) {
    if (!x)
        return NULL;
    int64_t lo[MX_MAX_NDIM] = {0}, hi[MX_MAX_NDIM], st[MX_MAX_NDIM];
    for (int i = 0; i < x->ndim; i++) {
        hi[i] = x->shape[i];
        st[i] = 1;
    }
    lo[axis] = start;
    st[axis] = step;
    /* stop one step past the last element; for a negative step that can be
     * -1, which Python slicing would read as "the end", so use a value below
     * -n (clamped to "before the first element") */
    int64_t stop = start + count * step;
    hi[axis] = (step < 0 && stop < 0) ? -x->shape[axis] - 1 : stop;
    return cb_slice(b, x, lo, hi, st);
}

mx_node *cb_concat(cb_builder *b, mx_node *const *parts, int n, int axis) {
    for (int i = 0; i < n; i++)
        if (!parts[i])
            return NULL;
    return cb_own(b, mx_node_concatenate(parts, n, axis));
}

mx_node *cb_reduce(cb_builder *b, const mx_op_def *op, mx_node *x, const int *axes, int naxes, bool keepdims) {
    if (!x)
        return NULL;
    int all[MX_MAX_NDIM];
    if (naxes < 0) { /* every axis */
        for (int i = 0; i < x->ndim; i++)
            all[i] = i;
        axes = all;
        naxes = x->ndim;
    }
    return cb_own(b, mx_node_reduce(op, x, axes, naxes, keepdims));
}

mx_node *cb_full(cb_builder *b, const int64_t *shape, int ndim, double value, mx_dtype dtype) {
    return cb_own(b, mx_node_full(shape, ndim, value, dtype));
}

mx_node *cb_scalar(cb_builder *b, double value, mx_dtype dtype) { return cb_own(b, mx_node_scalar(value, dtype)); }

mx_node *cb_matmul(cb_builder *b, mx_node *x, mx_node *y) { return x && y ? cb_own(b, mx_node_matmul(x, y)) : NULL; }

mx_node *cb_copy(cb_builder *b, mx_node *x) {
    return x ? cb_own(b, mx_node_new(&mx_op_copy, NULL, &x, 1, x->shape, x->ndim, x->dtype)) : NULL;
}

bool cb_handles(const mx_array *arrays, int n, const char *op, mx_node **out) {
    if (n > 0 && !arrays) {
        mx_set_error(MX_ERROR_VALUE, "%s: NULL array list", op);
        return false;
    }
    return n == 0 || mx_handles_get(arrays, n, op, out);
}
