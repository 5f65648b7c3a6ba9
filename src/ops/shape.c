/* ops/shape.c - shape ops. reshape, transpose, broadcast_to and slice are
 * views: they share the input's buffer with new strides (reshape copies
 * only when the input's strides cannot express it). The rest (expand_dims,
 * squeeze, flatten, swapaxes, flip, stack, split) are composites of those;
 * concatenate is a primitive with a copy kernel. */
#include <stdlib.h>
#include <string.h>

#include "cmlx/ops.h"
#include "ops/ops.h"
#include "ops/reduce_shape_grad.h"

/* ---- view functions ------------------------------------------------------------- */

static bool reshape_view(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (!mx_node_is_row_contiguous(in))
        return false;
    int64_t strides[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, strides);
    mx_node_set_view(out, in, in->offset, strides);
    return true;
}

static bool transpose_view(mx_node *out) {
    const mx_transpose_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int64_t strides[MX_MAX_NDIM];
    for (int i = 0; i < out->ndim; i++)
        strides[i] = in->strides[p->perm[i]];
    mx_node_set_view(out, in, in->offset, strides);
    return true;
}

static bool broadcast_view(mx_node *out) {
    mx_node *in = out->inputs[0];
    int64_t strides[MX_MAX_NDIM];
    int lead = out->ndim - in->ndim;
    for (int i = 0; i < out->ndim; i++) {
        int j = i - lead;
        strides[i] = (j < 0 || in->shape[j] == 1) ? 0 : in->strides[j];
    }
    mx_node_set_view(out, in, in->offset, strides);
    return true;
}

static bool slice_view(mx_node *out) {
    const mx_slice_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int64_t strides[MX_MAX_NDIM], offset = in->offset;
    for (int i = 0; i < out->ndim; i++) {
        strides[i] = in->strides[i] * p->step[i];
        if (out->shape[i] > 0)
            offset += p->start[i] * in->strides[i];
    }
    mx_node_set_view(out, in, out->size ? offset : in->offset, strides);
    return true;
}

const mx_op_def mx_op_reshape = {.name = "reshape",
                                 .id = MX_OP_reshape,
                                 .family = MX_FAMILY_VIEW,
                                 .view_fn = reshape_view,
                                 .vjp = mx_reshape_vjp,
                                 .jvp = mx_reshape_jvp};
const mx_op_def mx_op_transpose = {.name = "transpose",
                                   .id = MX_OP_transpose,
                                   .family = MX_FAMILY_VIEW,
                                   .params_size = sizeof(mx_transpose_params),
                                   .view_fn = transpose_view,
                                   .vjp = mx_transpose_vjp,
                                   .jvp = mx_transpose_jvp};
const mx_op_def mx_op_broadcast_to = {.name = "broadcast_to",
                                      .id = MX_OP_broadcast_to,
                                      .family = MX_FAMILY_VIEW,
                                      .view_fn = broadcast_view,
                                      .vjp = mx_broadcast_to_vjp,
                                      .jvp = mx_broadcast_to_jvp};
const mx_op_def mx_op_slice = {.name = "slice",
                               .id = MX_OP_slice,
                               .family = MX_FAMILY_VIEW,
                               .params_size = sizeof(mx_slice_params),
                               .view_fn = slice_view,
                               .vjp = mx_slice_vjp,
                               .jvp = mx_slice_jvp};
const mx_op_def mx_op_concatenate = {.name = "concatenate",
                                     .id = MX_OP_concatenate,
                                     .family = MX_FAMILY_OTHER,
                                     .params_size = sizeof(mx_axis_params),
                                     .vjp = mx_concatenate_vjp,
                                     .jvp = mx_concatenate_jvp};

/* ---- node-level constructors ------------------------------------------------------ */

static bool same_shape(const mx_node *a, const int64_t *shape, int ndim) {
    return mx_shape_equal(a->shape, a->ndim, shape, ndim);
}

mx_node *mx_node_reshape(mx_node *a, const int64_t *shape, int ndim) {
    if (ndim < 0 || ndim > MX_MAX_NDIM || (ndim && !shape)) {
        mx_set_error(MX_ERROR_VALUE, "reshape: invalid rank %d", ndim);
        return NULL;
    }
    int64_t resolved[MX_MAX_NDIM], known = 1;
    int infer = -1;
    for (int i = 0; i < ndim; i++) {
        resolved[i] = shape[i];
        if (shape[i] == -1) {
            if (infer >= 0) {
                mx_set_error(MX_ERROR_VALUE, "reshape: only one dimension can be -1");
                return NULL;
            }
            infer = i;
        } else if (shape[i] < 0) {
            mx_set_error(MX_ERROR_VALUE, "reshape: invalid dimension %lld", (long long)shape[i]);
            return NULL;
        } else {
            known *= shape[i];
        }
    }
    if (infer >= 0) {
        if (known == 0 || a->size % known != 0) {
            char s[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "reshape: cannot infer the -1 dimension of %s for an array of size %lld",
                         mx_format_shape(shape, ndim, s, sizeof s), (long long)a->size);
            return NULL;
        }
        resolved[infer] = a->size / known;
        known *= resolved[infer];
    }
    if (known != a->size) {
        char s[MX_SHAPE_STR_CAP], sa[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "reshape: cannot reshape an array of shape %s (size %lld) into shape %s",
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), (long long)a->size,
                     mx_format_shape(shape, ndim, s, sizeof s));
        return NULL;
    }
    if (same_shape(a, resolved, ndim)) {
        mx_node_retain(a);
        return a;
    }
    return mx_node_new(&mx_op_reshape, NULL, &a, 1, resolved, ndim, a->dtype);
}

mx_node *mx_node_transpose(mx_node *a, const int *perm) {
    mx_transpose_params p;
    int64_t shape[MX_MAX_NDIM];
    bool seen[MX_MAX_NDIM] = {0}, identity = true;
    for (int i = 0; i < a->ndim; i++) {
        int ax = mx_normalize_axis("transpose", a, perm[i]);
        if (ax < 0)
            return NULL;
        if (seen[ax]) {
            mx_set_error(MX_ERROR_VALUE, "transpose: axis %d appears more than once in the permutation", ax);
            return NULL;
        }
        seen[ax] = true;
        p.perm[i] = ax;
        shape[i] = a->shape[ax];
        identity = identity && ax == i;
    }
    if (identity) {
        mx_node_retain(a);
        return a;
    }
    return mx_node_new(&mx_op_transpose, &p, &a, 1, shape, a->ndim, a->dtype);
}

mx_node *mx_node_broadcast_to(mx_node *a, const int64_t *shape, int ndim) {
    if (same_shape(a, shape, ndim)) {
        mx_node_retain(a);
        return a;
    }
    bool ok = ndim >= a->ndim && ndim <= MX_MAX_NDIM;
    for (int i = 0; ok && i < a->ndim; i++) {
        int64_t d = a->shape[i], t = shape[i + ndim - a->ndim];
        ok = d == t || d == 1;
    }
    if (!ok) {
        char sa[MX_SHAPE_STR_CAP], st[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "broadcast_to: cannot broadcast an array of shape %s to shape %s",
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_format_shape(shape, ndim, st, sizeof st));
        return NULL;
    }
    return mx_node_new(&mx_op_broadcast_to, NULL, &a, 1, shape, ndim, a->dtype);
}

/* Python slice semantics per axis: negative start/stop count from the end,
 * then clamp; the element count follows from start, stop and step. */
mx_node *mx_node_slice(mx_node *a, const int64_t *start, const int64_t *stop, const int64_t *step) {
    mx_slice_params p;
    int64_t shape[MX_MAX_NDIM];
    bool identity = true;
    for (int i = 0; i < a->ndim; i++) {
        int64_t n = a->shape[i], s = step ? step[i] : 1, b = start[i], e = stop[i];
        if (s == 0) {
            mx_set_error(MX_ERROR_VALUE, "slice: step of axis %d is zero", i);
            return NULL;
        }
        if (b < 0)
            b += n;
        if (e < 0)
            e += n;
        int64_t count;
        if (s > 0) {
            b = b < 0 ? 0 : b > n ? n : b;
            e = e < 0 ? 0 : e > n ? n : e;
            count = e > b ? (e - b + s - 1) / s : 0;
        } else {
            b = b < -1 ? -1 : b > n - 1 ? n - 1 : b;
            e = e < -1 ? -1 : e > n - 1 ? n - 1 : e;
            count = b > e ? (b - e + (-s) - 1) / (-s) : 0;
        }
        p.start[i] = b;
        p.step[i] = s;
        shape[i] = count;
        identity = identity && b == 0 && s == 1 && count == n;
    }
    if (identity) {
        mx_node_retain(a);
        return a;
    }
    return mx_node_new(&mx_op_slice, &p, &a, 1, shape, a->ndim, a->dtype);
}

mx_node *mx_node_concatenate(mx_node *const *arrays, int n, int axis) {
    if (n <= 0) {
        mx_set_error(MX_ERROR_VALUE, "concatenate: no arrays given");
        return NULL;
    }
    const mx_node *first = arrays[0];
    int ax = mx_normalize_axis("concatenate", first, axis);
    if (ax < 0)
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, first->shape, sizeof(int64_t) * (size_t)first->ndim);
    shape[ax] = 0;
    mx_dtype dtype = first->dtype;
    for (int i = 0; i < n; i++) {
        const mx_node *x = arrays[i];
        bool ok = x->ndim == first->ndim;
        for (int d = 0; ok && d < x->ndim; d++)
            ok = d == ax || x->shape[d] == first->shape[d];
        if (!ok) {
            char s0[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE,
                         "concatenate: all arrays must match except along axis %d; got %s and %s (array %d)", ax,
                         mx_format_shape(first->shape, first->ndim, s0, sizeof s0),
                         mx_format_shape(x->shape, x->ndim, si, sizeof si), i);
            return NULL;
        }
        shape[ax] += x->shape[ax];
        dtype = mx_promote_types(dtype, x->dtype);
    }
    if (n == 1 && first->dtype == dtype) {
        mx_node_retain(arrays[0]);
        return arrays[0];
    }
    mx_node *small[16];
    mx_node **cast = n <= 16 ? small : malloc(sizeof(mx_node *) * (size_t)n);
    if (!cast) {
        mx_set_error(MX_ERROR_MEMORY, "concatenate: out of memory");
        return NULL;
    }
    int made = 0;
    mx_node *out = NULL;
    for (; made < n; made++) {
        cast[made] = mx_node_astype(arrays[made], dtype);
        if (!cast[made])
            goto done;
    }
    mx_axis_params p = {ax};
    out = mx_node_new(&mx_op_concatenate, &p, cast, n, shape, first->ndim, dtype);
done:
    for (int i = 0; i < made; i++)
        mx_node_release(cast[i]);
    if (cast != small)
        free(cast);
    return out;
}

/* ---- public API ---------------------------------------------------------------- */

mx_array mx_reshape(mx_array a, const int64_t *shape, int ndim) {
    mx_node *n = mx_handle_get(a, "reshape");
    return mx_handle_wrap(n ? mx_node_reshape(n, shape, ndim) : NULL);
}

mx_array mx_flatten(mx_array a, int start_axis, int end_axis) {
    mx_node *n = mx_handle_get(a, "flatten");
    if (!n)
        return mx_handle_wrap(NULL);
    if (n->ndim == 0) {
        int64_t one = 1;
        return mx_handle_wrap(mx_node_reshape(n, &one, 1));
    }
    /* As MLX: negative axes wrap, then both are clamped into range, and only
     * start > end is an error (flatten(x, 0, 99) flattens everything). */
    int s = start_axis < 0 ? start_axis + n->ndim : start_axis;
    int e = end_axis < 0 ? end_axis + n->ndim : end_axis;
    s = s < 0 ? 0 : s;
    e = e > n->ndim - 1 ? n->ndim - 1 : e;
    if (s > e) {
        mx_set_error(MX_ERROR_VALUE, "flatten: start_axis %d must not be after end_axis %d for rank %d", start_axis,
                     end_axis, n->ndim);
        return mx_handle_wrap(NULL);
    }
    int64_t shape[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0; i < s; i++)
        shape[nd++] = n->shape[i];
    int64_t merged = 1;
    for (int i = s; i <= e; i++)
        merged *= n->shape[i];
    shape[nd++] = merged;
    for (int i = e + 1; i < n->ndim; i++)
        shape[nd++] = n->shape[i];
    return mx_handle_wrap(mx_node_reshape(n, shape, nd));
}

mx_array mx_transpose(mx_array a, const int *axes, int naxes) {
    mx_node *n = mx_handle_get(a, "transpose");
    if (!n)
        return mx_handle_wrap(NULL);
    int perm[MX_MAX_NDIM];
    if (!axes) {
        for (int i = 0; i < n->ndim; i++)
            perm[i] = n->ndim - 1 - i;
    } else {
        if (naxes != n->ndim) {
            char s[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "transpose: %d axes given for an array of shape %s", naxes,
                         mx_format_shape(n->shape, n->ndim, s, sizeof s));
            return mx_handle_wrap(NULL);
        }
        memcpy(perm, axes, sizeof(int) * (size_t)naxes);
    }
    return mx_handle_wrap(mx_node_transpose(n, perm));
}

mx_array mx_swapaxes(mx_array a, int axis1, int axis2) {
    mx_node *n = mx_handle_get(a, "swapaxes");
    if (!n)
        return mx_handle_wrap(NULL);
    int a1 = mx_normalize_axis("swapaxes", n, axis1);
    int a2 = a1 < 0 ? -1 : mx_normalize_axis("swapaxes", n, axis2);
    if (a1 < 0 || a2 < 0)
        return mx_handle_wrap(NULL);
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < n->ndim; i++)
        perm[i] = i;
    perm[a1] = a2;
    perm[a2] = a1;
    return mx_handle_wrap(mx_node_transpose(n, perm));
}

mx_array mx_expand_dims(mx_array a, const int *axes, int naxes) {
    mx_node *n = mx_handle_get(a, "expand_dims");
    if (!n)
        return mx_handle_wrap(NULL);
    int out_ndim = n->ndim + naxes;
    if (naxes < 0 || out_ndim > MX_MAX_NDIM || (naxes && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "expand_dims: invalid list of %d axes", naxes);
        return mx_handle_wrap(NULL);
    }
    bool inserted[MX_MAX_NDIM] = {0};
    for (int i = 0; i < naxes; i++) {
        int ax = axes[i] < 0 ? axes[i] + out_ndim : axes[i];
        if (ax < 0 || ax >= out_ndim) { /* MLX: IndexError */
            mx_set_error(MX_ERROR_INDEX, "expand_dims: axis %d is out of bounds for output rank %d", axes[i],
                         out_ndim);
            return mx_handle_wrap(NULL);
        }
        if (inserted[ax]) {
            mx_set_error(MX_ERROR_VALUE, "expand_dims: axis %d is repeated", axes[i]);
            return mx_handle_wrap(NULL);
        }
        inserted[ax] = true;
    }
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0, j = 0; i < out_ndim; i++)
        shape[i] = inserted[i] ? 1 : n->shape[j++];
    return mx_handle_wrap(mx_node_reshape(n, shape, out_ndim));
}

mx_array mx_squeeze(mx_array a, const int *axes, int naxes) {
    mx_node *n = mx_handle_get(a, "squeeze");
    if (!n)
        return mx_handle_wrap(NULL);
    bool drop[MX_MAX_NDIM] = {0};
    if (!axes) {
        for (int i = 0; i < n->ndim; i++)
            drop[i] = n->shape[i] == 1;
    } else {
        int norm[MX_MAX_NDIM];
        if (mx_normalize_axes("squeeze", n, axes, naxes, norm) < 0)
            return mx_handle_wrap(NULL);
        for (int i = 0; i < naxes; i++) {
            if (n->shape[norm[i]] != 1) {
                char s[MX_SHAPE_STR_CAP];
                mx_set_error(MX_ERROR_VALUE, "squeeze: cannot squeeze axis %d of size %lld (shape %s)", norm[i],
                             (long long)n->shape[norm[i]], mx_format_shape(n->shape, n->ndim, s, sizeof s));
                return mx_handle_wrap(NULL);
            }
            drop[norm[i]] = true;
        }
    }
    int64_t shape[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0; i < n->ndim; i++)
        if (!drop[i])
            shape[nd++] = n->shape[i];
    return mx_handle_wrap(mx_node_reshape(n, shape, nd));
}

mx_array mx_broadcast_to(mx_array a, const int64_t *shape, int ndim) {
    mx_node *n = mx_handle_get(a, "broadcast_to");
    if (!n)
        return mx_handle_wrap(NULL);
    if (ndim < 0 || ndim > MX_MAX_NDIM || (ndim && !shape)) {
        mx_set_error(MX_ERROR_VALUE, "broadcast_to: invalid rank %d", ndim);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_broadcast_to(n, shape, ndim));
}

static bool get_list(const mx_array *arrays, int n, const char *op, mx_node ***out, mx_node **small) {
    if (n <= 0 || !arrays) {
        mx_set_error(MX_ERROR_VALUE, "%s: no arrays given", op);
        return false;
    }
    *out = n <= 16 ? small : malloc(sizeof(mx_node *) * (size_t)n);
    if (!*out) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", op);
        return false;
    }
    if (!mx_handles_get(arrays, n, op, *out)) {
        if (*out != small)
            free(*out);
        return false;
    }
    return true;
}

mx_array mx_concatenate(const mx_array *arrays, int n, int axis) {
    mx_node *small[16], **nodes;
    if (!get_list(arrays, n, "concatenate", &nodes, small))
        return mx_handle_wrap(NULL);
    mx_node *out = mx_node_concatenate(nodes, n, axis);
    if (nodes != small)
        free(nodes);
    return mx_handle_wrap(out);
}

mx_array mx_stack(const mx_array *arrays, int n, int axis) {
    mx_node *small[16], **nodes;
    if (!get_list(arrays, n, "stack", &nodes, small))
        return mx_handle_wrap(NULL);
    mx_node *out = NULL;
    int made = 0, out_ndim = nodes[0]->ndim + 1;
    int ax = axis < 0 ? axis + out_ndim : axis;
    mx_node **expanded = malloc(sizeof(mx_node *) * (size_t)n);
    if (!expanded) {
        mx_set_error(MX_ERROR_MEMORY, "stack: out of memory");
        goto done;
    }
    if (ax < 0 || ax >= out_ndim) { /* MLX: IndexError */
        mx_set_error(MX_ERROR_INDEX, "stack: axis %d is out of bounds for output rank %d", axis, out_ndim);
        goto done;
    }
    for (; made < n; made++) {
        if (!mx_shape_equal(nodes[made]->shape, nodes[made]->ndim, nodes[0]->shape, nodes[0]->ndim)) {
            char s0[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "stack: all arrays must have the same shape; got %s and %s",
                         mx_format_shape(nodes[0]->shape, nodes[0]->ndim, s0, sizeof s0),
                         mx_format_shape(nodes[made]->shape, nodes[made]->ndim, si, sizeof si));
            goto done;
        }
        int64_t shape[MX_MAX_NDIM];
        for (int i = 0, j = 0; i < out_ndim; i++)
            shape[i] = i == ax ? 1 : nodes[made]->shape[j++];
        expanded[made] = mx_node_reshape(nodes[made], shape, out_ndim);
        if (!expanded[made])
            goto done;
    }
    out = mx_node_concatenate(expanded, n, ax);
done:
    for (int i = 0; i < made; i++)
        mx_node_release(expanded[i]);
    free(expanded);
    if (nodes != small)
        free(nodes);
    return mx_handle_wrap(out);
}

/* Slices [bounds[i], bounds[i+1]) along ax into out. */
static mx_status split_by_bounds(mx_node *n, int ax, const int64_t *bounds, int parts, mx_array *out) {
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM];
    memcpy(stop, n->shape, sizeof(int64_t) * (size_t)n->ndim);
    for (int i = 0; i < parts; i++) {
        start[ax] = bounds[i];
        stop[ax] = bounds[i + 1];
        mx_node *part = mx_node_slice(n, start, stop, NULL);
        if (!part) {
            mx_free_n(out, i);
            return mx_last_status();
        }
        out[i] = mx_handle_wrap(part);
    }
    return MX_OK;
}

mx_status mx_split(mx_array a, int num_splits, int axis, mx_array *out) {
    mx_node *n = mx_handle_get(a, "split");
    if (!n)
        return mx_last_status();
    if (!out)
        return mx_set_error(MX_ERROR_VALUE, "split: NULL output list");
    int ax = mx_normalize_axis("split", n, axis);
    if (ax < 0)
        return mx_last_status();
    if (num_splits <= 0 || n->shape[ax] % num_splits != 0) {
        char s[MX_SHAPE_STR_CAP];
        return mx_set_error(MX_ERROR_VALUE, "split: %d splits along axis %d do not give equal parts for shape %s",
                            num_splits, ax, mx_format_shape(n->shape, n->ndim, s, sizeof s));
    }
    int64_t *bounds = malloc(sizeof(int64_t) * ((size_t)num_splits + 1));
    if (!bounds)
        return mx_set_error(MX_ERROR_MEMORY, "split: out of memory");
    for (int i = 0; i <= num_splits; i++)
        bounds[i] = n->shape[ax] / num_splits * i;
    mx_status st = split_by_bounds(n, ax, bounds, num_splits, out);
    free(bounds);
    return st;
}

mx_status mx_split_at(mx_array a, const int64_t *indices, int n_indices, int axis, mx_array *out) {
    mx_node *n = mx_handle_get(a, "split");
    if (!n)
        return mx_last_status();
    if (!out || n_indices < 0 || (n_indices && !indices))
        return mx_set_error(MX_ERROR_VALUE, "split: invalid indices or output list");
    int ax = mx_normalize_axis("split", n, axis);
    if (ax < 0)
        return mx_last_status();
    int64_t *bounds = malloc(sizeof(int64_t) * ((size_t)n_indices + 2));
    if (!bounds)
        return mx_set_error(MX_ERROR_MEMORY, "split: out of memory");
    /* As MLX: part i is the slice [indices[i-1], indices[i]) with Python
     * slice rules, so decreasing indices give an empty part, not an error. */
    int64_t len = n->shape[ax];
    bounds[0] = 0;
    for (int i = 0; i < n_indices; i++)
        bounds[i + 1] = indices[i];
    bounds[n_indices + 1] = len;
    mx_status st = split_by_bounds(n, ax, bounds, n_indices + 1, out);
    free(bounds);
    return st;
}

mx_array mx_slice(mx_array a, const int64_t *start, const int64_t *stop, const int64_t *strides, int n) {
    mx_node *node = mx_handle_get(a, "slice");
    if (!node)
        return mx_handle_wrap(NULL);
    if (n != node->ndim || (n && (!start || !stop))) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "slice: %d bounds given for an array of shape %s", n,
                     mx_format_shape(node->shape, node->ndim, s, sizeof s));
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_slice(node, start, stop, strides));
}

mx_array mx_flip(mx_array a, const int *axes, int naxes) {
    mx_node *n = mx_handle_get(a, "flip");
    if (!n)
        return mx_handle_wrap(NULL);
    /* An axis listed twice is flipped once, as in MLX. */
    bool flip_axis[MX_MAX_NDIM] = {0};
    if (axes) {
        if (naxes < 0 || naxes > MX_MAX_NDIM) {
            mx_set_error(MX_ERROR_VALUE, "flip: invalid list of %d axes", naxes);
            return mx_handle_wrap(NULL);
        }
        for (int i = 0; i < naxes; i++) {
            int ax = mx_normalize_axis("flip", n, axes[i]);
            if (ax < 0)
                return mx_handle_wrap(NULL);
            flip_axis[ax] = true;
        }
    } else {
        for (int i = 0; i < n->ndim; i++)
            flip_axis[i] = true;
    }
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    for (int i = 0; i < n->ndim; i++) {
        stop[i] = n->shape[i];
        step[i] = 1;
    }
    for (int ax = 0; ax < n->ndim; ax++) {
        if (!flip_axis[ax])
            continue;
        start[ax] = n->shape[ax] - 1;
        stop[ax] = -n->shape[ax] - 1;
        step[ax] = -1;
    }
    return mx_handle_wrap(mx_node_slice(n, start, stop, step));
}
