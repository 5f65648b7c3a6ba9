/* ops/sort.c - sort, argsort, partition, argpartition, searchsorted (the
 * primitives) and topk, median (compositions, as MLX builds them), with
 * MLX 0.32's checks, and the primitives' transform rules.
 *
 *   sort         vjp: the cotangent taken by the inverse permutation
 *                (argsort of argsort); jvp: the tangent taken by argsort.
 *   partition    likewise with argpartition.
 *   argsort, argpartition, searchsorted: integer outputs, no gradient.
 *   vmap: the axis moves past the batch axis; searchsorted over a batch of
 *                values is one search, over a batch of sequences one per example.
 * topk is partition(a, -k) then the last k (so its rules are partition's and
 * slice's); median sorts the flattened median axes (so a zero keeps MLX's
 * sign) and averages the middle pair. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/sort.h"
#include "ops/sort.h"
#include "transforms/vmap.h"

static int sort_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int sort_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int no_grad_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int no_grad_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int sort_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);
static int searchsorted_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis);

#define SORT_ROW(op_name, vjp_fn, jvp_fn)                                                                              \
    const mx_op_def mx_op_##op_name = {.name = #op_name,                                                               \
                                       .id = MX_OP_##op_name,                                                          \
                                       .family = MX_FAMILY_OTHER,                                                      \
                                       .params_size = sizeof(mx_sort_params),                                          \
                                       .vjp = vjp_fn,                                                                  \
                                       .jvp = jvp_fn,                                                                  \
                                       .vmap = sort_vmap};
SORT_ROW(sort, sort_vjp, sort_jvp)
SORT_ROW(argsort, no_grad_vjp, no_grad_jvp)
SORT_ROW(partition, sort_vjp, sort_jvp)
SORT_ROW(argpartition, no_grad_vjp, no_grad_jvp)
#undef SORT_ROW
const mx_op_def mx_op_searchsorted = {.name = "searchsorted",
                                      .id = MX_OP_searchsorted,
                                      .family = MX_FAMILY_OTHER,
                                      .params_size = sizeof(mx_searchsorted_params),
                                      .vjp = no_grad_vjp,
                                      .jvp = no_grad_jvp,
                                      .vmap = searchsorted_vmap};

static mx_node *then(mx_node *prev, mx_node *next) {
    if (prev)
        mx_node_release(prev);
    return next;
}

static void release_all(mx_node **nodes, int n) {
    for (int i = 0; i < n; i++)
        if (nodes[i])
            mx_node_release(nodes[i]);
}

static bool is_arg_op(const mx_op_def *op) { return op == &mx_op_argsort || op == &mx_op_argpartition; }

/* The primitive over `a` (no checks): axis >= 0, kth in [0, size). */
static mx_node *sort_raw_ordered(const mx_op_def *op, mx_node *a, int axis, int kth, bool partition_order) {
    mx_sort_params p;
    memset(&p, 0, sizeof p);
    p.axis = axis;
    p.kth = kth;
    p.partition_order = partition_order;
    return mx_node_new(op, &p, &a, 1, a->shape, a->ndim, is_arg_op(op) ? MX_UINT32 : a->dtype);
}

static mx_node *sort_raw(const mx_op_def *op, mx_node *a, int axis, int kth) {
    return sort_raw_ordered(op, a, axis, kth, false);
}

/* MLX: an axis out of range is an IndexError naming the op and the rank. */
static int check_axis(const char *op, const mx_node *a, int axis) {
    if (axis < -a->ndim || axis >= a->ndim) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_INDEX, "%s: axis %d is out of bounds for array with %d dimensions (shape %s, %s)", op,
                     axis, a->ndim, mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return -1;
    }
    return axis < 0 ? axis + a->ndim : axis;
}

mx_node *mx_node_sort(const mx_op_def *op, mx_node *a, int axis) {
    int ax = check_axis(op->name, a, axis);
    return ax < 0 ? NULL : sort_raw(op, a, ax, 0);
}

mx_node *mx_node_partition(const mx_op_def *op, mx_node *a, int kth, int axis) {
    int ax = check_axis(op->name, a, axis);
    if (ax < 0)
        return NULL;
    int64_t n = a->shape[ax];
    if (kth < -n || kth >= n) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "%s: invalid kth %d along axis %d for array of shape %s (%s)", op->name, kth, axis,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return NULL;
    }
    return sort_raw(op, a, ax, kth < 0 ? (int)(kth + n) : kth);
}

mx_node *mx_node_take_along_same_shape(mx_node *a, mx_node *indices, int axis) {
    mx_axis_params p = {axis};
    return mx_node_new(&mx_op_take_along_axis, &p, (mx_node *[]){a, indices}, 2, indices->shape, indices->ndim,
                       a->dtype);
}

/* The flattened array (MLX's axis=None): shape (size,), 0-d included. */
static mx_node *flat(mx_node *a) {
    int64_t n = a->size;
    return mx_node_reshape(a, &n, 1);
}

static mx_array sort_public(const mx_op_def *op, mx_array a, int axis, bool flatten) {
    mx_node *n = mx_handle_get(a, op->name);
    if (!n)
        return mx_handle_wrap(NULL);
    if (!flatten)
        return mx_handle_wrap(mx_node_sort(op, n, axis));
    mx_node *f = flat(n);
    return mx_handle_wrap(f ? then(f, mx_node_sort(op, f, 0)) : NULL);
}

static mx_array partition_public(const mx_op_def *op, mx_array a, int kth, int axis, bool flatten) {
    mx_node *n = mx_handle_get(a, op->name);
    if (!n)
        return mx_handle_wrap(NULL);
    if (!flatten)
        return mx_handle_wrap(mx_node_partition(op, n, kth, axis));
    mx_node *f = flat(n);
    return mx_handle_wrap(f ? then(f, mx_node_partition(op, f, kth, 0)) : NULL);
}

mx_array mx_sort(mx_array a) { return sort_public(&mx_op_sort, a, 0, true); }
mx_array mx_sort_axis(mx_array a, int axis) { return sort_public(&mx_op_sort, a, axis, false); }
mx_array mx_argsort(mx_array a) { return sort_public(&mx_op_argsort, a, 0, true); }
mx_array mx_argsort_axis(mx_array a, int axis) { return sort_public(&mx_op_argsort, a, axis, false); }
mx_array mx_partition(mx_array a, int kth) { return partition_public(&mx_op_partition, a, kth, 0, true); }
mx_array mx_partition_axis(mx_array a, int kth, int axis) {
    return partition_public(&mx_op_partition, a, kth, axis, false);
}
mx_array mx_argpartition(mx_array a, int kth) { return partition_public(&mx_op_argpartition, a, kth, 0, true); }
mx_array mx_argpartition_axis(mx_array a, int kth, int axis) {
    return partition_public(&mx_op_argpartition, a, kth, axis, false);
}

/* ---- topk --------------------------------------------------------------------------------------- */

static mx_node *topk_node(mx_node *a, int k, int axis) {
    int ax = check_axis("topk", a, axis);
    if (ax < 0)
        return NULL;
    int64_t n = a->shape[ax];
    if (k < 0 || k > n) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "topk: invalid k=%d along axis %d for array of shape %s (%s)", k, axis,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return NULL;
    }
    if (k == n) { /* MLX returns the input itself */
        mx_node_retain(a);
        return a;
    }
    /* MLX: partition(a, -k), so k = 0 partitions at 0 (and keeps nothing) */
    mx_node *part = sort_raw(&mx_op_partition, a, ax, k == 0 ? 0 : (int)(n - k));
    if (!part)
        return NULL;
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM];
    memcpy(stop, a->shape, sizeof(int64_t) * (size_t)a->ndim);
    start[ax] = n - k;
    return then(part, mx_node_slice(part, start, stop, NULL));
}

mx_array mx_topk(mx_array a, int k) {
    mx_node *n = mx_handle_get(a, "topk");
    mx_node *f = n ? flat(n) : NULL;
    return mx_handle_wrap(f ? then(f, topk_node(f, k, 0)) : NULL);
}

mx_array mx_topk_axis(mx_array a, int k, int axis) {
    mx_node *n = mx_handle_get(a, "topk");
    return mx_handle_wrap(n ? topk_node(n, k, axis) : NULL);
}

/* ---- searchsorted ------------------------------------------------------------------------------- */

static mx_node *searchsorted_raw(mx_node *seq, mx_node *values, bool right) {
    mx_searchsorted_params p;
    memset(&p, 0, sizeof p);
    p.right = right;
    return mx_node_new(&mx_op_searchsorted, &p, (mx_node *[]){seq, values}, 2, values->shape, values->ndim, MX_UINT32);
}

mx_array mx_searchsorted(mx_array sorted_sequence, mx_array values, bool right) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){sorted_sequence, values}, 2, "searchsorted", in))
        return mx_handle_wrap(NULL);
    if (in[0]->ndim != 1) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "searchsorted: the sorted sequence must be 1-D but has %d dimensions (shape %s)",
                     in[0]->ndim, mx_format_shape(in[0]->shape, in[0]->ndim, s, sizeof s));
        return mx_handle_wrap(NULL);
    }
    mx_dtype t = mx_promote_types(in[0]->dtype, in[1]->dtype);
    mx_node *seq = mx_node_astype(in[0], t);
    mx_node *vals = seq ? mx_node_astype(in[1], t) : NULL;
    mx_node *out = vals ? searchsorted_raw(seq, vals, right) : NULL;
    release_all((mx_node *[]){seq, vals}, 2);
    return mx_handle_wrap(out);
}

/* ---- median --------------------------------------------------------------------------------------- */

static mx_node *median_node(mx_node *a, const int *axes, int naxes, bool keepdims) {
    char s[MX_SHAPE_STR_CAP];
    int nd = a->ndim;
    bool reduced[MX_MAX_NDIM] = {0};
    if (naxes < 0 || naxes > MX_MAX_NDIM || (naxes > 0 && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "median: invalid list of %d axes", naxes);
        return NULL;
    }
    for (int i = 0; i < naxes; i++) {
        if (axes[i] < -nd || axes[i] >= nd) {
            mx_set_error(MX_ERROR_INDEX, "median: axis %d is out of bounds for array with %d dimensions (shape %s)",
                         axes[i], nd, mx_format_shape(a->shape, nd, s, sizeof s));
            return NULL;
        }
    }
    for (int i = 0; i < naxes; i++) {
        int ax = axes[i] < 0 ? axes[i] + nd : axes[i];
        if (reduced[ax]) {
            mx_set_error(MX_ERROR_VALUE, "median: duplicate axis %d (shape %s)", axes[i],
                         mx_format_shape(a->shape, nd, s, sizeof s));
            return NULL;
        }
        reduced[ax] = true;
    }
    if (naxes == 0 && nd > 0) { /* MLX flattens no axes: an error from its flatten */
        mx_set_error(MX_ERROR_VALUE, "median: no axes to take the median over (shape %s)",
                     mx_format_shape(a->shape, nd, s, sizeof s));
        return NULL;
    }
    /* kept axes first, then the median axes (in increasing order), merged */
    int perm[MX_MAX_NDIM], kept = 0;
    int64_t shape[MX_MAX_NDIM], m = 1;
    for (int i = 0; i < nd; i++)
        if (!reduced[i]) {
            shape[kept] = a->shape[i];
            perm[kept++] = i;
        }
    for (int i = 0, j = kept; i < nd; i++)
        if (reduced[i]) {
            perm[j++] = i;
            m *= a->shape[i];
        }
    if (m == 0) {
        mx_set_error(MX_ERROR_VALUE, "median: cannot take the median along an empty axis (shape %s)",
                     mx_format_shape(a->shape, nd, s, sizeof s));
        return NULL;
    }
    shape[kept] = m;
    mx_dtype dt = mx_dtype_is_float(a->dtype) || a->dtype == MX_COMPLEX64 ? a->dtype : MX_FLOAT32;
    mx_node *x = mx_node_astype(a, dt);
    if (x && nd > 0)
        x = then(x, mx_node_transpose(x, perm));
    if (x)
        x = then(x, mx_node_reshape(x, shape, kept + 1));
    mx_node *sorted = x ? sort_raw(&mx_op_sort, x, kept, 0) : NULL;
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM];
    memcpy(stop, shape, sizeof(int64_t) * (size_t)(kept + 1));
    start[kept] = m / 2;
    stop[kept] = m / 2 + 1;
    mx_node *mid = sorted ? mx_node_slice(sorted, start, stop, NULL) : NULL;
    mx_node *med = NULL;
    if (mid && m % 2 == 0) {
        start[kept] = m / 2 - 1;
        stop[kept] = m / 2;
        mx_node *lo = mx_node_slice(sorted, start, stop, NULL);
        mx_node *sum = lo ? mx_node_binary(&mx_op_add, lo, mid) : NULL;
        mx_node *half = sum ? mx_node_scalar(0.5, dt) : NULL;
        med = half ? mx_node_binary(&mx_op_multiply, sum, half) : NULL;
        release_all((mx_node *[]){lo, sum, half}, 3);
    } else if (mid) {
        mx_node_retain(mid);
        med = mid;
    }
    /* a NaN anywhere in the row makes the median NaN (sorting put it last;
     * complex64: nan+0j, as MLX) */
    if (med) {
        start[kept] = m - 1;
        stop[kept] = m;
        mx_node *last = mx_node_slice(sorted, start, stop, NULL);
        mx_node *nan = last ? mx_node_unary(&mx_op_isnan, last) : NULL;
        mx_node *nanv = nan ? mx_node_scalar(NAN, dt) : NULL;
        mx_node *fixed = nanv ? mx_node_where(nan, nanv, med) : NULL;
        release_all((mx_node *[]){last, nan, nanv, med}, 4);
        med = fixed;
    }
    release_all((mx_node *[]){x, sorted, mid}, 3);
    if (!med)
        return NULL;
    int64_t out_shape[MX_MAX_NDIM];
    int out_nd = 0;
    for (int i = 0; i < nd; i++)
        if (!reduced[i] || keepdims)
            out_shape[out_nd++] = reduced[i] ? 1 : a->shape[i];
    return then(med, mx_node_reshape(med, out_shape, out_nd));
}

mx_array mx_median(mx_array a, bool keepdims) {
    mx_node *n = mx_handle_get(a, "median");
    if (!n)
        return mx_handle_wrap(NULL);
    int all[MX_MAX_NDIM];
    for (int i = 0; i < n->ndim; i++)
        all[i] = i;
    return mx_handle_wrap(median_node(n, all, n->ndim, keepdims));
}

mx_array mx_median_axis(mx_array a, int axis, bool keepdims) {
    mx_node *n = mx_handle_get(a, "median");
    return mx_handle_wrap(n ? median_node(n, &axis, 1, keepdims) : NULL);
}

mx_array mx_median_axes(mx_array a, const int *axes, int naxes, bool keepdims) {
    mx_node *n = mx_handle_get(a, "median");
    return mx_handle_wrap(n ? median_node(n, axes, naxes, keepdims) : NULL);
}

/* ---- transform rules ------------------------------------------------------------------------------ */

/* The permutation the node applied (out = take_along_axis(x, perm)): the
 * stable argsort for sort; for partition, argpartition with partition's own
 * order of ties. MLX takes its argpartition (ties by index), whose order can
 * differ from partition's wherever the row has ties, and then gives some
 * elements the cotangent of another position; on rows without ties the two
 * agree (docs/sort.md). */
static mx_node *permutation_of(const mx_node *node) {
    const mx_sort_params *p = mx_node_params(node);
    if (node->op == &mx_op_sort)
        return sort_raw(&mx_op_argsort, node->inputs[0], p->axis, 0);
    return sort_raw_ordered(&mx_op_argpartition, node->inputs[0], p->axis, p->kth, true);
}

static int sort_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_sort_params *p = mx_node_params(node);
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    if (nargs == 0 || argnums[0] != 0)
        return MX_OK;
    mx_node *w = mx_node_astype(cotangent, node->inputs[0]->dtype);
    mx_node *perm = w ? permutation_of(node) : NULL;
    /* out[i] = x[perm[i]], so dx[perm[i]] = w[i], i.e. dx = w[inverse(perm)] */
    mx_node *inverse = perm ? sort_raw(&mx_op_argsort, perm, p->axis, 0) : NULL;
    mx_node *g = inverse ? mx_node_take_along_same_shape(w, inverse, p->axis) : NULL;
    release_all((mx_node *[]){w, perm, inverse}, 3);
    if (!g)
        return mx_last_status();
    grads_out[0] = g;
    return MX_OK;
}

static int sort_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_sort_params *p = mx_node_params(node);
    *tangent_out = NULL;
    if (!tangents[0])
        return MX_OK;
    mx_node *t = mx_node_astype(tangents[0], node->inputs[0]->dtype);
    mx_node *perm = t ? permutation_of(node) : NULL;
    mx_node *g = perm ? mx_node_take_along_same_shape(t, perm, p->axis) : NULL;
    release_all((mx_node *[]){t, perm}, 2);
    if (!g)
        return mx_last_status();
    *tangent_out = g;
    return MX_OK;
}

static int no_grad_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    return MX_OK;
}

static int no_grad_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = NULL;
    return MX_OK;
}

static int sort_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const mx_sort_params *p = mx_node_params(node);
    if (in_axes[0] < 0) {
        mx_node_retain((mx_node *)node);
        *out = (mx_node *)node;
        *out_axis = -1;
        return MX_OK;
    }
    int b = in_axes[0];
    *out = sort_raw_ordered(node->op, inputs[0], p->axis >= b ? p->axis + 1 : p->axis, p->kth, p->partition_order);
    *out_axis = b;
    return *out ? MX_OK : mx_last_status();
}

static int searchsorted_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis) {
    const mx_searchsorted_params *p = mx_node_params(node);
    if (in_axes[0] >= 0) /* a batch of sequences: one search per example (the kernel takes one sequence) */
        return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    if (in_axes[1] < 0) {
        mx_node_retain((mx_node *)node);
        *out = (mx_node *)node;
        *out_axis = -1;
        return MX_OK;
    }
    *out = searchsorted_raw(inputs[0], inputs[1], p->right);
    *out_axis = in_axes[1];
    return *out ? MX_OK : mx_last_status();
}
