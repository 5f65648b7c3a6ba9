/* ops/scatter.c - gather, scatter (and its reductions), slice_update, the
 * dynamic slice / slice_update, put_along_axis / scatter_add_axis and
 * masked_scatter, as in MLX 0.32 (mlx/ops.cpp, mlx/primitives.cpp): op
 * definitions, validating constructors, transform rules, public API.
 * See ops/scatter.h for the primitives' inputs and docs/indexing.md. */
#include <string.h>

#include "cmlx/indexing.h"
#include "cmlx/ops.h"
#include "ops/scatter.h"
#include "transforms/vmap.h"

static int gather_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int gather_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int scatter_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int scatter_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int slice_update_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int slice_update_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int dynamic_slice_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int dynamic_slice_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int dynamic_slice_update_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int dynamic_slice_update_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int scatter_axis_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int scatter_axis_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int masked_scatter_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int masked_scatter_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);

static int gather_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);
static int scatter_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);
static int slice_update_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis);
static int dynamic_slice_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                              int *out_axis);
static int scatter_axis_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis);

const mx_op_def mx_op_gather = {.name = "gather",
                                .id = MX_OP_gather,
                                .family = MX_FAMILY_OTHER,
                                .params_size = sizeof(mx_gather_params),
                                .vjp = gather_vjp,
                                .jvp = gather_jvp,
                                .vmap = gather_vmap};
const mx_op_def mx_op_scatter = {.name = "scatter",
                                 .id = MX_OP_scatter,
                                 .family = MX_FAMILY_OTHER,
                                 .params_size = sizeof(mx_scatter_params),
                                 .vjp = scatter_vjp,
                                 .jvp = scatter_jvp,
                                 .vmap = scatter_vmap};
const mx_op_def mx_op_slice_update = {.name = "slice_update",
                                      .id = MX_OP_slice_update,
                                      .family = MX_FAMILY_OTHER,
                                      .params_size = sizeof(mx_slice_update_params),
                                      .vjp = slice_update_vjp,
                                      .jvp = slice_update_jvp,
                                      .vmap = slice_update_vmap};
const mx_op_def mx_op_dynamic_slice = {.name = "dynamic_slice",
                                       .id = MX_OP_dynamic_slice,
                                       .family = MX_FAMILY_OTHER,
                                       .params_size = sizeof(mx_dynamic_slice_params),
                                       .vjp = dynamic_slice_vjp,
                                       .jvp = dynamic_slice_jvp,
                                       .vmap = dynamic_slice_vmap};
const mx_op_def mx_op_dynamic_slice_update = {.name = "dynamic_slice_update",
                                              .id = MX_OP_dynamic_slice_update,
                                              .family = MX_FAMILY_OTHER,
                                              .params_size = sizeof(mx_dynamic_slice_params),
                                              .vjp = dynamic_slice_update_vjp,
                                              .jvp = dynamic_slice_update_jvp,
                                              .vmap = dynamic_slice_vmap};
const mx_op_def mx_op_scatter_axis = {.name = "scatter_axis",
                                      .id = MX_OP_scatter_axis,
                                      .family = MX_FAMILY_OTHER,
                                      .params_size = sizeof(mx_scatter_axis_params),
                                      .vjp = scatter_axis_vjp,
                                      .jvp = scatter_axis_jvp,
                                      .vmap = scatter_axis_vmap};
const mx_op_def mx_op_masked_scatter = {.name = "masked_scatter",
                                        .id = MX_OP_masked_scatter,
                                        .family = MX_FAMILY_OTHER,
                                        .vjp = masked_scatter_vjp,
                                        .jvp = masked_scatter_jvp,
                                        .vmap = mx_vmap_unrolled};
const mx_op_def mx_op_masked_select = {
    .name = "masked_select", .id = MX_OP_masked_select, .family = MX_FAMILY_OTHER, .vmap = mx_vmap_unrolled};

static const char *const REDUCE_NAMES[] = {"scatter", "scatter_add", "scatter_prod", "scatter_max", "scatter_min"};
static const char *const SLICE_UPDATE_NAMES[] = {"slice_update", "slice_update_add", "slice_update_prod",
                                                 "slice_update_max", "slice_update_min"};

/* ---- shared checks -------------------------------------------------------------------------- */

/* Indices must be integers; bool is not an integer index (MLX: ValueError). */
static bool check_indices(const char *op, const mx_node *a, mx_node *const *indices, int n, mx_status status) {
    for (int i = 0; i < n; i++) {
        if (!mx_dtype_is_integer(indices[i]->dtype)) {
            char sa[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP];
            mx_set_error(
                status, "%s: indices must be integral, got %s indices of shape %s for an array of shape %s (%s)", op,
                mx_dtype_name(indices[i]->dtype), mx_format_shape(indices[i]->shape, indices[i]->ndim, si, sizeof si),
                mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype));
            return false;
        }
    }
    return true;
}

/* MLX's gather and scatter promote the index arrays to one dtype, which
 * must be integral (uint64 with a signed dtype promotes to float32). */
static bool check_index_promotion(const char *op, mx_node *const *indices, int n) {
    if (n == 0)
        return true;
    mx_dtype dt = indices[0]->dtype;
    for (int i = 1; i < n; i++)
        dt = mx_promote_types(dt, indices[i]->dtype);
    if (mx_dtype_is_integer(dt))
        return true;
    mx_set_error(MX_ERROR_VALUE,
                 "%s: got indices with invalid dtype: %s and %s promote to %s; indices must be integral", op,
                 mx_dtype_name(indices[0]->dtype), mx_dtype_name(indices[n - 1]->dtype), mx_dtype_name(dt));
    return false;
}

/* axes (n of them) normalised into out in the given order; unique. */
static bool normalize_axes_ordered(const char *op, const mx_node *a, const int *axes, int n, int *out,
                                   mx_status range_status) {
    char sa[MX_SHAPE_STR_CAP];
    for (int i = 0; i < n; i++) {
        int ax = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
        if (ax < 0 || ax >= a->ndim) {
            mx_set_error(range_status, "%s: axis %d is out of bounds for an array of shape %s", op, axes[i],
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
            return false;
        }
        for (int j = 0; j < i; j++) {
            if (out[j] == ax) {
                mx_set_error(MX_ERROR_VALUE, "%s: axis %d appears more than once (array of shape %s)", op, ax,
                             mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
                return false;
            }
        }
        out[i] = ax;
    }
    return true;
}

/* The broadcast shape of n index arrays (NumPy rules) into shape/ndim. */
static bool broadcast_indices(const char *op, mx_node *const *indices, int n, int64_t *shape, int *ndim) {
    *ndim = 0;
    for (int i = 0; i < n; i++) {
        const mx_node *x = indices[i];
        int nd = x->ndim > *ndim ? x->ndim : *ndim;
        int64_t next[MX_MAX_NDIM];
        for (int d = 0; d < nd; d++) {
            int dx = d - (nd - x->ndim), ds = d - (nd - *ndim);
            int64_t a = dx >= 0 ? x->shape[dx] : 1, b = ds >= 0 ? shape[ds] : 1;
            if (a != b && a != 1 && b != 1) {
                char s0[MX_SHAPE_STR_CAP], s1[MX_SHAPE_STR_CAP];
                mx_set_error(MX_ERROR_VALUE, "%s: index arrays of shapes %s and %s cannot be broadcast", op,
                             mx_format_shape(shape, *ndim, s0, sizeof s0),
                             mx_format_shape(x->shape, x->ndim, s1, sizeof s1));
                return false;
            }
            next[d] = a == 1 ? b : a;
        }
        memcpy(shape, next, sizeof(int64_t) * (size_t)nd);
        *ndim = nd;
    }
    return true;
}

/* memcpy of n dims; the shape of a 0-d node may be NULL */
static void copy_dims(int64_t *dst, const int64_t *src, int n) {
    if (n > 0)
        memcpy(dst, src, sizeof(int64_t) * (size_t)n);
}

static void release_all(mx_node **nodes, int n) {
    for (int i = 0; i < n; i++)
        mx_node_release(nodes[i]);
}

static mx_node *zeros_like(const mx_node *a) { return mx_node_full(a->shape, a->ndim, 0.0, a->dtype); }

/* ---- gather -------------------------------------------------------------------------------------- */

mx_node *mx_node_gather(mx_node *a, mx_node *const *indices, int n, const int *axes, const int64_t *slice_sizes) {
    char sa[MX_SHAPE_STR_CAP];
    if (n < 0 || n > a->ndim) {
        mx_set_error(MX_ERROR_VALUE, "gather: %d index arrays for an array of shape %s (at most one per axis)", n,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    mx_gather_params p = {.naxes = n};
    if (!normalize_axes_ordered("gather", a, axes, n, p.axes, MX_ERROR_VALUE) ||
        !check_indices("gather", a, indices, n, MX_ERROR_VALUE) || !check_index_promotion("gather", indices, n))
        return NULL;
    for (int d = 0; d < a->ndim; d++) {
        if (slice_sizes[d] < 0 || slice_sizes[d] > a->shape[d]) {
            char ss[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "gather: slice sizes %s must be within the array's shape %s",
                         mx_format_shape(slice_sizes, a->ndim, ss, sizeof ss),
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
            return NULL;
        }
        p.slice_sizes[d] = slice_sizes[d];
    }
    int64_t shape[MX_MAX_NDIM];
    int nb;
    if (!broadcast_indices("gather", indices, n, shape, &nb))
        return NULL;
    if (nb + a->ndim > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "gather: the result would have more than %d dims", MX_MAX_NDIM);
        return NULL;
    }
    copy_dims(shape + nb, slice_sizes, a->ndim);
    mx_node *in[MX_MAX_NDIM + 1] = {a};
    int made = 0;
    for (int i = 0; i < n; i++, made++) {
        in[1 + i] = mx_node_broadcast_to(indices[i], shape, nb);
        if (!in[1 + i]) {
            release_all(in + 1, made);
            return NULL;
        }
    }
    mx_node *out = mx_node_new(&mx_op_gather, &p, in, n + 1, shape, nb + a->ndim, a->dtype);
    release_all(in + 1, made);
    return out;
}

/* ---- scatter ------------------------------------------------------------------------------------- */

mx_node *mx_node_scatter(mx_scatter_reduce reduce, mx_node *a, mx_node *const *indices, int n, mx_node *updates,
                         const int *axes) {
    const char *op = REDUCE_NAMES[reduce];
    char sa[MX_SHAPE_STR_CAP], su[MX_SHAPE_STR_CAP];
    if (n < 0 || n > a->ndim) {
        mx_set_error(MX_ERROR_VALUE, "%s: %d index arrays for an array of shape %s (at most one per axis)", op, n,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    mx_scatter_params p = {.reduce = reduce, .naxes = n};
    if (!normalize_axes_ordered(op, a, axes, n, p.axes, MX_ERROR_VALUE) ||
        !check_indices(op, a, indices, n, MX_ERROR_VALUE) || !check_index_promotion(op, indices, n))
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    int nb;
    if (!broadcast_indices(op, indices, n, shape, &nb))
        return NULL;
    if (updates->ndim != nb + a->ndim) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: updates of shape %s must have the %d dims of the indices plus the %d of the array "
                     "(shape %s)",
                     op, mx_format_shape(updates->shape, updates->ndim, su, sizeof su), nb, a->ndim,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    for (int d = 0; d < nb; d++) {
        if (updates->shape[d] != shape[d] && updates->shape[d] != 1) {
            char si[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "%s: updates of shape %s do not match indices of shape %s", op,
                         mx_format_shape(updates->shape, updates->ndim, su, sizeof su),
                         mx_format_shape(shape, nb, si, sizeof si));
            return NULL;
        }
    }
    for (int d = 0; d < a->ndim; d++) {
        if (updates->shape[nb + d] > a->shape[d]) {
            mx_set_error(MX_ERROR_VALUE, "%s: the update slices of %s are larger than the array of shape %s", op,
                         mx_format_shape(updates->shape, updates->ndim, su, sizeof su),
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
            return NULL;
        }
        shape[nb + d] = updates->shape[nb + d];
    }
    mx_node *in[MX_MAX_NDIM + 2] = {a};
    int made = 0;
    for (int i = 0; i < n; i++, made++) {
        in[1 + i] = mx_node_broadcast_to(indices[i], shape, nb);
        if (!in[1 + i]) {
            release_all(in + 1, made);
            return NULL;
        }
    }
    mx_node *cast = mx_node_astype(updates, a->dtype);
    mx_node *upd = cast ? mx_node_broadcast_to(cast, shape, nb + a->ndim) : NULL;
    mx_node_release(cast);
    mx_node *out = NULL;
    if (upd) {
        in[1 + n] = upd;
        out = mx_node_new(&mx_op_scatter, &p, in, n + 2, a->shape, a->ndim, a->dtype);
    }
    mx_node_release(upd);
    release_all(in + 1, made);
    return out;
}

/* ---- slice_update -------------------------------------------------------------------------------- */

/* The box of a slice (NumPy rules, as mx_node_slice): start, step, count. */
static bool slice_box(const char *op, const mx_node *a, const int64_t *start, const int64_t *stop, const int64_t *step,
                      int64_t *b0, int64_t *st, int64_t *count) {
    for (int i = 0; i < a->ndim; i++) {
        int64_t n = a->shape[i], s = step ? step[i] : 1, b = start[i], e = stop[i];
        if (s == 0) {
            mx_set_error(MX_ERROR_VALUE, "%s: step of axis %d is zero", op, i);
            return false;
        }
        b += b < 0 ? n : 0;
        e += e < 0 ? n : 0;
        int64_t c;
        if (s > 0) {
            b = b < 0 ? 0 : b > n ? n : b;
            e = e < 0 ? 0 : e > n ? n : e;
            c = e > b ? (e - b + s - 1) / s : 0;
        } else {
            b = b < -1 ? -1 : b > n - 1 ? n - 1 : b;
            e = e < -1 ? -1 : e > n - 1 ? n - 1 : e;
            c = b > e ? (b - e + (-s) - 1) / (-s) : 0;
        }
        b0[i] = c ? b : 0;
        st[i] = s;
        count[i] = c;
    }
    return true;
}

mx_node *mx_node_slice_update(mx_scatter_reduce reduce, mx_node *a, mx_node *update, const int64_t *start,
                              const int64_t *stop, const int64_t *step) {
    mx_slice_update_params p = {.reduce = reduce};
    int64_t count[MX_MAX_NDIM];
    const char *op = SLICE_UPDATE_NAMES[reduce];
    if (!slice_box(op, a, start, stop, step, p.start, p.step, count))
        return NULL;
    mx_node *cast = mx_node_astype(update, a->dtype);
    mx_node *upd = cast ? mx_node_broadcast_to(cast, count, a->ndim) : NULL;
    mx_node_release(cast);
    if (!upd) {
        char sa[MX_SHAPE_STR_CAP], su[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE,
                     "%s: cannot broadcast an update of shape %s into the slice of shape %s of an array of shape %s",
                     op, mx_format_shape(update->shape, update->ndim, su, sizeof su),
                     mx_format_shape(count, a->ndim, sb, sizeof sb), mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    int64_t size = 1;
    for (int d = 0; d < a->ndim; d++)
        size *= count[d];
    mx_node *out;
    if (size == 0) { /* nothing is updated */
        mx_node_retain(a);
        out = a;
    } else {
        out = mx_node_new(&mx_op_slice_update, &p, (mx_node *[]){a, upd}, 2, a->shape, a->ndim, a->dtype);
    }
    mx_node_release(upd);
    return out;
}

/* The box of a slice_update node as start/stop/step for mx_node_slice. */
static void box_bounds(const mx_node *node, int64_t *start, int64_t *stop, int64_t *step) {
    const mx_slice_update_params *p = mx_node_params(node);
    const mx_node *upd = node->inputs[1];
    for (int d = 0; d < node->ndim; d++) {
        start[d] = p->start[d];
        step[d] = p->step[d];
        stop[d] = p->start[d] + p->step[d] * upd->shape[d];
        if (stop[d] < 0) /* a negative step down to index 0: "before 0", not from the end */
            stop[d] = -node->shape[d] - 1;
    }
}

/* ---- dynamic slice -------------------------------------------------------------------------------- */

/* MLX's checks of start indices and axes (mlx.core.slice / slice_update). */
static bool check_dynamic_start(const char *op, const mx_node *a, const mx_node *start, const int *axes, int naxes,
                                int *out_axes) {
    if (!mx_dtype_is_integer(start->dtype)) {
        mx_set_error(MX_ERROR_VALUE, "%s: start indices must be integers, got type %s", op,
                     mx_dtype_name(start->dtype));
        return false;
    }
    if (start->ndim > 1) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: the array of starting indices must be zero or one dimensional but has %d dims", op,
                     start->ndim);
        return false;
    }
    if (start->size != naxes) {
        mx_set_error(MX_ERROR_VALUE, "%s: the number of starting indices %lld does not match the number of axes %d", op,
                     (long long)start->size, naxes);
        return false;
    }
    if (naxes > a->ndim) {
        mx_set_error(MX_ERROR_VALUE, "%s: %d axes for an array with %d dims", op, naxes, a->ndim);
        return false;
    }
    return normalize_axes_ordered(op, a, axes, naxes, out_axes, MX_ERROR_INDEX);
}

mx_node *mx_node_dynamic_slice(mx_node *a, mx_node *start, const int *axes, int naxes, const int64_t *slice_size) {
    mx_dynamic_slice_params p = {.naxes = naxes};
    char sa[MX_SHAPE_STR_CAP], ss[MX_SHAPE_STR_CAP];
    if (!check_dynamic_start("slice", a, start, axes, naxes, p.axes))
        return NULL;
    for (int d = 0; d < a->ndim; d++) {
        if (slice_size[d] < 0 || slice_size[d] > a->shape[d]) {
            mx_set_error(MX_ERROR_VALUE, "slice: invalid slice size %s for an array of shape %s",
                         mx_format_shape(slice_size, a->ndim, ss, sizeof ss),
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
            return NULL;
        }
    }
    int64_t flat = naxes;
    mx_node *s = mx_node_reshape(start, &flat, 1);
    mx_node *out =
        s ? mx_node_new(&mx_op_dynamic_slice, &p, (mx_node *[]){a, s}, 2, slice_size, a->ndim, a->dtype) : NULL;
    mx_node_release(s);
    return out;
}

mx_node *mx_node_dynamic_slice_update(mx_node *a, mx_node *update, mx_node *start, const int *axes, int naxes) {
    mx_dynamic_slice_params p = {.naxes = naxes};
    char sa[MX_SHAPE_STR_CAP], su[MX_SHAPE_STR_CAP];
    if (!check_dynamic_start("slice_update", a, start, axes, naxes, p.axes))
        return NULL;
    if (update->ndim > a->ndim) {
        mx_set_error(MX_ERROR_VALUE, "slice_update: an update of shape %s has more dims than the array of shape %s",
                     mx_format_shape(update->shape, update->ndim, su, sizeof su),
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    /* leading dims of the update are 1 (MLX); each dim must fit the array,
     * where MLX broadcasts the update to min(update dim, array dim) (a dim
     * of 1 over an empty axis becomes 0) */
    int64_t shape[MX_MAX_NDIM], fit[MX_MAX_NDIM];
    int lead = a->ndim - update->ndim;
    for (int d = 0; d < a->ndim; d++) {
        shape[d] = d < lead ? 1 : update->shape[d - lead];
        fit[d] = shape[d] < a->shape[d] ? shape[d] : a->shape[d];
        if (shape[d] > a->shape[d] && shape[d] != 1) {
            mx_set_error(MX_ERROR_VALUE, "slice_update: an update of shape %s does not fit the array of shape %s",
                         mx_format_shape(update->shape, update->ndim, su, sizeof su),
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
            return NULL;
        }
    }
    int64_t flat = naxes;
    mx_node *s = mx_node_reshape(start, &flat, 1);
    mx_node *cast = s ? mx_node_astype(update, a->dtype) : NULL;
    mx_node *full = cast ? mx_node_reshape(cast, shape, a->ndim) : NULL;
    mx_node *upd = full ? mx_node_broadcast_to(full, fit, a->ndim) : NULL;
    mx_node *out =
        upd ? mx_node_new(&mx_op_dynamic_slice_update, &p, (mx_node *[]){a, upd, s}, 3, a->shape, a->ndim, a->dtype)
            : NULL;
    mx_node_release(s);
    mx_node_release(cast);
    mx_node_release(full);
    mx_node_release(upd);
    return out;
}

/* ---- put_along_axis / scatter_add_axis ---------------------------------------------------------- */

mx_node *mx_node_scatter_axis(mx_scatter_reduce reduce, mx_node *a, mx_node *indices, mx_node *values, int axis) {
    const char *op = reduce == MX_REDUCE_SUM ? "scatter_add_axis" : "put_along_axis";
    char sa[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP], sv[MX_SHAPE_STR_CAP];
    int ax = axis < 0 ? axis + a->ndim : axis;
    if (ax < 0 || ax >= a->ndim) { /* MLX: IndexError */
        mx_set_error(MX_ERROR_INDEX, "%s: axis %d is out of bounds for an array of shape %s", op, axis,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    if (indices->ndim != a->ndim) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: indices of shape %s (%d dims) do not match the %d dims of the array of shape %s", op,
                     mx_format_shape(indices->shape, indices->ndim, si, sizeof si), indices->ndim, a->ndim,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    /* MLX fails at evaluation (RuntimeError) on indices it cannot scatter with */
    if (!check_indices(op, a, &indices, 1, MX_ERROR_UNSUPPORTED))
        return NULL;
    /* values: leading dims beyond the indices' rank are squeezed (they must be 1) */
    int lead = values->ndim - indices->ndim;
    for (int d = 0; d < lead; d++) {
        if (values->shape[d] != 1) {
            mx_set_error(MX_ERROR_VALUE, "%s: values of shape %s have more dims than the indices of shape %s", op,
                         mx_format_shape(values->shape, values->ndim, sv, sizeof sv),
                         mx_format_shape(indices->shape, indices->ndim, si, sizeof si));
            return NULL;
        }
    }
    lead = lead > 0 ? lead : 0;
    /* indices and values broadcast together; then a, indices, values outside axis */
    int64_t iv[MX_MAX_NDIM], ashape[MX_MAX_NDIM];
    int nd = a->ndim;
    for (int d = 0; d < nd; d++) {
        int dv = d - (nd - (values->ndim - lead));
        int64_t x = indices->shape[d], v = dv >= 0 ? values->shape[lead + dv] : 1;
        if (x != v && x != 1 && v != 1) {
            mx_set_error(MX_ERROR_VALUE, "%s: indices of shape %s and values of shape %s cannot be broadcast", op,
                         mx_format_shape(indices->shape, indices->ndim, si, sizeof si),
                         mx_format_shape(values->shape, values->ndim, sv, sizeof sv));
            return NULL;
        }
        iv[d] = x == 1 ? v : x;
    }
    for (int d = 0; d < nd; d++) {
        ashape[d] = a->shape[d];
        if (d == ax)
            continue;
        if (ashape[d] != iv[d] && ashape[d] != 1 && iv[d] != 1) {
            mx_set_error(MX_ERROR_VALUE,
                         "%s: array of shape %s and indices of shape %s cannot be broadcast outside axis %d", op,
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_format_shape(iv, nd, si, sizeof si), ax);
            return NULL;
        }
        ashape[d] = iv[d] = ashape[d] == 1 ? iv[d] : ashape[d];
    }
    mx_node *ba = mx_node_broadcast_to(a, ashape, nd);
    mx_node *bi = ba ? mx_node_broadcast_to(indices, iv, nd) : NULL;
    mx_node *squeezed = bi ? mx_node_reshape(values, values->shape + lead, values->ndim - lead) : NULL;
    mx_node *cast = squeezed ? mx_node_astype(squeezed, a->dtype) : NULL;
    mx_node_release(squeezed);
    mx_node *bv = cast ? mx_node_broadcast_to(cast, iv, nd) : NULL;
    mx_node *out = NULL;
    if (bv) {
        mx_scatter_axis_params p = {.reduce = reduce, .axis = ax};
        out = mx_node_new(&mx_op_scatter_axis, &p, (mx_node *[]){ba, bi, bv}, 3, ashape, nd, a->dtype);
    }
    mx_node_release(ba);
    mx_node_release(bi);
    mx_node_release(cast);
    mx_node_release(bv);
    return out;
}

/* ---- masked_scatter -------------------------------------------------------------------------------- */

/* MLX 0.32: the mask has the shape of a's leading dims; src has at most one
 * dim more than a's remaining K dims (T): with K dims or fewer it is broadcast
 * to (mask positions, *T), with K + 1 to (src.shape[0], *T); the k-th selected
 * slab of a takes the k-th slab of src. */
mx_node *mx_node_masked_scatter(mx_node *a, mx_node *mask, mx_node *src) {
    char sa[MX_SHAPE_STR_CAP], sm[MX_SHAPE_STR_CAP], ss[MX_SHAPE_STR_CAP];
    if (mask->dtype != MX_BOOL) {
        mx_set_error(MX_ERROR_VALUE, "masked_scatter: the mask must be boolean, got %s", mx_dtype_name(mask->dtype));
        return NULL;
    }
    int k = a->ndim - mask->ndim;
    if (src->ndim > k + 1 || k < 0) {
        mx_set_error(MX_ERROR_VALUE,
                     "masked_scatter: a value array of shape %s must be broadcastable with the last %d dims of the "
                     "array of shape %s",
                     mx_format_shape(src->shape, src->ndim, ss, sizeof ss), k < 0 ? 0 : k,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    if (!mx_shape_equal(mask->shape, mask->ndim, a->shape, mask->ndim)) {
        mx_set_error(MX_ERROR_VALUE,
                     "masked_scatter: the boolean mask should have the shape of the leading dims of the array, but "
                     "the mask has shape %s and the array %s",
                     mx_format_shape(mask->shape, mask->ndim, sm, sizeof sm),
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return NULL;
    }
    int64_t shape[MX_MAX_NDIM + 1], positions = 1;
    for (int d = 0; d < mask->ndim; d++)
        positions *= mask->shape[d];
    shape[0] = src->ndim == k + 1 ? src->shape[0] : positions;
    copy_dims(shape + 1, k ? a->shape + mask->ndim : NULL, k);
    mx_node *cast = mx_node_astype(src, a->dtype);
    mx_node *full = cast ? mx_node_broadcast_to(cast, shape, k + 1) : NULL;
    int64_t n = full ? full->size : 0;
    mx_node *flat = full ? mx_node_reshape(full, &n, 1) : NULL;
    mx_node *out =
        flat ? mx_node_new(&mx_op_masked_scatter, NULL, (mx_node *[]){a, mask, flat}, 3, a->shape, a->ndim, a->dtype)
             : NULL;
    mx_node_release(cast);
    mx_node_release(full);
    mx_node_release(flat);
    return out;
}

/* ---- transform rules ------------------------------------------------------------------------------ */

/* Only the array operands (never the indices) get gradients; each rule
 * computes those asked for. */
static bool wants(const int *argnums, int nargs, int i, int *slot) {
    for (int k = 0; k < nargs; k++) {
        if (argnums[k] == i) {
            *slot = k;
            return true;
        }
    }
    return false;
}

static int gather_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    const mx_gather_params *p = mx_node_params(node);
    mx_node *a = node->inputs[0];
    int k;
    if (!wants(argnums, nargs, 0, &k))
        return MX_OK;
    mx_node *z = zeros_like(a);
    grads[k] = z ? mx_node_scatter(MX_REDUCE_SUM, z, node->inputs + 1, p->naxes, cot, p->axes) : NULL;
    mx_node_release(z);
    return grads[k] ? MX_OK : mx_last_status();
}

static int gather_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_gather_params *p = mx_node_params(node);
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    *out = mx_node_gather(tangents[0], node->inputs + 1, p->naxes, p->axes, p->slice_sizes);
    return *out ? MX_OK : mx_last_status();
}

/* cot gathered at the scatter's positions: the shape of the updates. */
static mx_node *gather_at_updates(const mx_node *node, mx_node *x) {
    const mx_scatter_params *p = mx_node_params(node);
    const mx_node *upd = node->inputs[node->n_inputs - 1];
    int nb = upd->ndim - node->ndim;
    return mx_node_gather(x, node->inputs + 1, p->naxes, p->axes, upd->shape + nb);
}

static int scatter_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    const mx_scatter_params *p = mx_node_params(node);
    int n = p->naxes, last = node->n_inputs - 1, k;
    mx_node *a = node->inputs[0], *upd = node->inputs[last];
    if (p->reduce == MX_REDUCE_PROD)
        return mx_set_error(MX_ERROR_UNSUPPORTED, "scatter: VJP not implemented for scatter_prod (as in MLX)");
    for (int i = 0; i < nargs; i++) {
        if (argnums[i] != 0 && argnums[i] != last)
            return mx_set_error(MX_ERROR_VALUE, "scatter: cannot calculate the VJP with respect to the indices");
    }
    if (wants(argnums, nargs, 0, &k)) {
        mx_node *g = NULL;
        if (p->reduce == MX_REDUCE_NONE) { /* the overwritten positions get nothing */
            mx_node *z = zeros_like(upd);
            g = z ? mx_node_scatter(MX_REDUCE_NONE, cot, node->inputs + 1, n, z, p->axes) : NULL;
            mx_node_release(z);
        } else if (p->reduce == MX_REDUCE_SUM) {
            mx_node_retain(cot);
            g = cot;
        } else { /* max/min: where the result is a's value */
            mx_node *eq = mx_node_binary(&mx_op_equal, (mx_node *)node, a);
            mx_node *z = eq ? mx_node_scalar(0.0, cot->dtype) : NULL;
            g = z ? mx_node_where(eq, cot, z) : NULL;
            mx_node_release(eq);
            mx_node_release(z);
        }
        if (!g)
            return mx_last_status();
        grads[k] = g;
    }
    if (wants(argnums, nargs, last, &k)) {
        mx_node *g = gather_at_updates(node, cot);
        if (g && (p->reduce == MX_REDUCE_MAX || p->reduce == MX_REDUCE_MIN)) {
            mx_node *res = gather_at_updates(node, (mx_node *)node);
            mx_node *eq = res ? mx_node_binary(&mx_op_equal, res, upd) : NULL;
            mx_node *m = eq ? mx_node_binary(&mx_op_multiply, g, eq) : NULL;
            mx_node_release(res);
            mx_node_release(eq);
            mx_node_release(g);
            g = m;
        }
        if (!g)
            return mx_last_status();
        grads[k] = g;
    }
    return MX_OK;
}

/* A tangent, or zeros of x's shape and dtype when it is NULL. */
static mx_node *tangent_or_zeros(mx_node *t, const mx_node *x) {
    if (t) {
        mx_node_retain(t);
        return t;
    }
    return zeros_like(x);
}

static int scatter_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_scatter_params *p = mx_node_params(node);
    int last = node->n_inputs - 1;
    *out = NULL;
    if (p->reduce != MX_REDUCE_NONE && p->reduce != MX_REDUCE_SUM)
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: JVP not implemented", REDUCE_NAMES[p->reduce]);
    if (!tangents[0] && !tangents[last])
        return MX_OK;
    mx_node *ta = tangent_or_zeros(tangents[0], node->inputs[0]);
    mx_node *tu = ta ? tangent_or_zeros(tangents[last], node->inputs[last]) : NULL;
    *out = tu ? mx_node_scatter(p->reduce, ta, node->inputs + 1, p->naxes, tu, p->axes) : NULL;
    mx_node_release(ta);
    mx_node_release(tu);
    return *out ? MX_OK : mx_last_status();
}

static int slice_update_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    const mx_slice_update_params *p = mx_node_params(node);
    mx_node *a = node->inputs[0], *upd = node->inputs[1];
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    box_bounds(node, start, stop, step);
    int k;
    mx_node *cot_box = mx_node_slice(cot, start, stop, step);
    if (!cot_box)
        return mx_last_status();
    mx_status st = MX_OK;
    if (wants(argnums, nargs, 0, &k)) {
        mx_node *g = NULL;
        switch (p->reduce) {
        case MX_REDUCE_NONE: {
            mx_node *z = zeros_like(upd);
            g = z ? mx_node_slice_update(MX_REDUCE_NONE, cot, z, start, stop, step) : NULL;
            mx_node_release(z);
            break;
        }
        case MX_REDUCE_SUM:
            mx_node_retain(cot);
            g = cot;
            break;
        case MX_REDUCE_PROD: { /* inside the box d(a*u)/da = u */
            mx_node *m = mx_node_binary(&mx_op_multiply, cot_box, upd);
            g = m ? mx_node_slice_update(MX_REDUCE_NONE, cot, m, start, stop, step) : NULL;
            mx_node_release(m);
            break;
        }
        default: {
            mx_node *eq = mx_node_binary(&mx_op_equal, (mx_node *)node, a);
            mx_node *z = eq ? mx_node_scalar(0.0, cot->dtype) : NULL;
            g = z ? mx_node_where(eq, cot, z) : NULL;
            mx_node_release(eq);
            mx_node_release(z);
        }
        }
        if (g)
            grads[k] = g;
        else
            st = mx_last_status();
    }
    if (st == MX_OK && wants(argnums, nargs, 1, &k)) {
        mx_node *g = NULL;
        if (p->reduce == MX_REDUCE_NONE || p->reduce == MX_REDUCE_SUM) {
            mx_node_retain(cot_box);
            g = cot_box;
        } else {
            mx_node *other = p->reduce == MX_REDUCE_PROD ? mx_node_slice(a, start, stop, step)
                                                         : mx_node_slice((mx_node *)node, start, stop, step);
            mx_node *f = other && p->reduce != MX_REDUCE_PROD ? mx_node_binary(&mx_op_equal, other, upd) : NULL;
            if (other && p->reduce == MX_REDUCE_PROD) {
                f = other;
                other = NULL;
            }
            g = f ? mx_node_binary(&mx_op_multiply, cot_box, f) : NULL;
            mx_node_release(other);
            mx_node_release(f);
        }
        if (g)
            grads[k] = g;
        else
            st = mx_last_status();
    }
    mx_node_release(cot_box);
    return st;
}

/* The box's tangent of a prod/max/min slice update (every box position is combined with exactly one
 * update): prod, t_a * u + a * t_u; max/min, the tangent of the side the result took (the update's
 * where they tie, a point where the op is not differentiable). */
static mx_node *combined_box_tangent(const mx_node *node, mx_node *ta_box, mx_node *tu, const int64_t *start,
                                     const int64_t *stop, const int64_t *step) {
    const mx_slice_update_params *p = mx_node_params(node);
    mx_node *upd = node->inputs[1], *result = NULL;
    if (p->reduce == MX_REDUCE_PROD) {
        mx_node *a_box = mx_node_slice(node->inputs[0], start, stop, step);
        mx_node *l = a_box ? mx_node_binary(&mx_op_multiply, ta_box, upd) : NULL;
        mx_node *r = l ? mx_node_binary(&mx_op_multiply, a_box, tu) : NULL;
        result = r ? mx_node_binary(&mx_op_add, l, r) : NULL;
        mx_node_release(a_box);
        mx_node_release(l);
        mx_node_release(r);
    } else {
        mx_node *out_box = mx_node_slice((mx_node *)node, start, stop, step);
        mx_node *took_update = out_box ? mx_node_binary(&mx_op_equal, out_box, upd) : NULL;
        result = took_update ? mx_node_where(took_update, tu, ta_box) : NULL;
        mx_node_release(out_box);
        mx_node_release(took_update);
    }
    return result;
}

static int slice_update_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_slice_update_params *p = mx_node_params(node);
    *out = NULL;
    if (!tangents[0] && !tangents[1])
        return MX_OK;
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    box_bounds(node, start, stop, step);
    mx_node *ta = tangent_or_zeros(tangents[0], node->inputs[0]);
    mx_node *tu = ta ? tangent_or_zeros(tangents[1], node->inputs[1]) : NULL;
    if (tu && p->reduce != MX_REDUCE_NONE && p->reduce != MX_REDUCE_SUM) {
        mx_node *ta_box = mx_node_slice(ta, start, stop, step);
        mx_node *box = ta_box ? combined_box_tangent(node, ta_box, tu, start, stop, step) : NULL;
        *out = box ? mx_node_slice_update(MX_REDUCE_NONE, ta, box, start, stop, step) : NULL;
        mx_node_release(ta_box);
        mx_node_release(box);
    } else {
        *out = tu ? mx_node_slice_update(p->reduce, ta, tu, start, stop, step) : NULL;
    }
    mx_node_release(ta);
    mx_node_release(tu);
    return *out ? MX_OK : mx_last_status();
}

static int dynamic_slice_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    const mx_dynamic_slice_params *p = mx_node_params(node);
    int k;
    if (!wants(argnums, nargs, 0, &k))
        return MX_OK;
    mx_node *z = zeros_like(node->inputs[0]);
    grads[k] = z ? mx_node_dynamic_slice_update(z, cot, node->inputs[1], p->axes, p->naxes) : NULL;
    mx_node_release(z);
    return grads[k] ? MX_OK : mx_last_status();
}

static int dynamic_slice_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_dynamic_slice_params *p = mx_node_params(node);
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    *out = mx_node_dynamic_slice(tangents[0], node->inputs[1], p->axes, p->naxes, node->shape);
    return *out ? MX_OK : mx_last_status();
}

static int dynamic_slice_update_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    const mx_dynamic_slice_params *p = mx_node_params(node);
    mx_node *upd = node->inputs[1], *start = node->inputs[2];
    int k;
    if (wants(argnums, nargs, 0, &k)) {
        mx_node *z = zeros_like(upd);
        grads[k] = z ? mx_node_dynamic_slice_update(cot, z, start, p->axes, p->naxes) : NULL;
        mx_node_release(z);
        if (!grads[k])
            return mx_last_status();
    }
    if (wants(argnums, nargs, 1, &k)) {
        grads[k] = mx_node_dynamic_slice(cot, start, p->axes, p->naxes, upd->shape);
        if (!grads[k])
            return mx_last_status();
    }
    return MX_OK;
}

static int dynamic_slice_update_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_dynamic_slice_params *p = mx_node_params(node);
    *out = NULL;
    if (!tangents[0] && !tangents[1])
        return MX_OK;
    mx_node *ta = tangent_or_zeros(tangents[0], node->inputs[0]);
    mx_node *tu = ta ? tangent_or_zeros(tangents[1], node->inputs[1]) : NULL;
    *out = tu ? mx_node_dynamic_slice_update(ta, tu, node->inputs[2], p->axes, p->naxes) : NULL;
    mx_node_release(ta);
    mx_node_release(tu);
    return *out ? MX_OK : mx_last_status();
}

static int scatter_axis_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    const mx_scatter_axis_params *p = mx_node_params(node);
    mx_node *idx = node->inputs[1], *values = node->inputs[2];
    int k;
    if (wants(argnums, nargs, 0, &k)) {
        if (p->reduce == MX_REDUCE_SUM) {
            mx_node_retain(cot);
            grads[k] = cot;
        } else {
            mx_node *z = zeros_like(values);
            grads[k] = z ? mx_node_scatter_axis(MX_REDUCE_NONE, cot, idx, z, p->axis) : NULL;
            mx_node_release(z);
        }
        if (!grads[k])
            return mx_last_status();
    }
    if (wants(argnums, nargs, 2, &k)) {
        grads[k] = mx_node_take_along_axis(cot, idx, p->axis);
        if (!grads[k])
            return mx_last_status();
    }
    return MX_OK;
}

static int scatter_axis_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_scatter_axis_params *p = mx_node_params(node);
    *out = NULL;
    if (!tangents[0] && !tangents[2])
        return MX_OK;
    mx_node *ta = tangent_or_zeros(tangents[0], node->inputs[0]);
    mx_node *tv = ta ? tangent_or_zeros(tangents[2], node->inputs[2]) : NULL;
    *out = tv ? mx_node_scatter_axis(p->reduce, ta, node->inputs[1], tv, p->axis) : NULL;
    mx_node_release(ta);
    mx_node_release(tv);
    return *out ? MX_OK : mx_last_status();
}

/* The mask with a's rank (size-1 trailing dims), for where(). */
static mx_node *mask_full_rank(const mx_node *node) {
    const mx_node *mask = node->inputs[1];
    int64_t shape[MX_MAX_NDIM];
    for (int d = 0; d < node->ndim; d++)
        shape[d] = d < mask->ndim ? mask->shape[d] : 1;
    return mx_node_reshape(node->inputs[1], shape, node->ndim);
}

static int masked_scatter_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    int k;
    if (wants(argnums, nargs, 0, &k)) {
        mx_node *m = mask_full_rank(node);
        mx_node *z = m ? mx_node_scalar(0.0, cot->dtype) : NULL;
        grads[k] = z ? mx_node_where(m, z, cot) : NULL;
        mx_node_release(m);
        mx_node_release(z);
        if (!grads[k])
            return mx_last_status();
    }
    if (wants(argnums, nargs, 2, &k)) {
        const mx_node *src = node->inputs[2];
        grads[k] = mx_node_new(&mx_op_masked_select, NULL, (mx_node *[]){cot, node->inputs[1]}, 2, src->shape,
                               src->ndim, cot->dtype);
        if (!grads[k])
            return mx_last_status();
    }
    return MX_OK;
}

static int masked_scatter_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0] && !tangents[2])
        return MX_OK;
    mx_node *ta = tangent_or_zeros(tangents[0], node->inputs[0]);
    mx_node *ts = ta ? tangent_or_zeros(tangents[2], node->inputs[2]) : NULL;
    *out = ts ? mx_node_new(&mx_op_masked_scatter, NULL, (mx_node *[]){ta, node->inputs[1], ts}, 3, node->shape,
                            node->ndim, node->dtype)
              : NULL;
    mx_node_release(ta);
    mx_node_release(ts);
    return *out ? MX_OK : mx_last_status();
}

/* ---- vmap rules ------------------------------------------------------------------------------------------ */
/* Every rule moves the batch axis of each input to 0 (broadcasting the
 * unbatched ones) and runs the op once over the whole batch. */

/* 0..batch-1 as uint32 of shape (batch, 1, ..., 1) with `rank` dims: the
 * index of each example along the batch axis (gather and scatter). */
static mx_node *batch_positions(int64_t batch, int rank) {
    mx_arange_params ap = {0.0, 1.0};
    mx_node *r = mx_node_new(&mx_op_arange, &ap, NULL, 0, &batch, 1, MX_UINT32);
    int64_t shape[MX_MAX_NDIM];
    for (int d = 0; d < rank; d++)
        shape[d] = d == 0 ? batch : 1;
    mx_node *out = r ? mx_node_reshape(r, shape, rank) : NULL;
    mx_node_release(r);
    return out;
}

static int vmap_finish(mx_node *result, mx_node **out, int *out_axis) {
    if (!result)
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    *out = result;
    *out_axis = 0;
    return MX_OK;
}

/* The inputs [first, first + n) with their batch axis at 0, into moved. */
static bool batch_front(mx_node *const *inputs, const int *in_axes, int first, int n, int64_t batch, mx_node **moved) {
    for (int i = 0; i < n; i++) {
        moved[i] = mx_vmap_batch_at(inputs[first + i], in_axes[first + i], 0, batch);
        if (!moved[i]) {
            release_all(moved, i);
            return false;
        }
    }
    return true;
}

/* gather over (B, a...) with one more index array, the example's position
 * on axis 0: out (B, idx..., 1, slices...) reshaped without the 1. */
static int gather_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const mx_gather_params *p = mx_node_params(node);
    int n = p->naxes, nd = node->inputs[0]->ndim, nb = node->ndim - nd;
    if (node->ndim + 2 > MX_MAX_NDIM)
        return mx_set_error(MX_ERROR_VALUE, "vmap: gather of rank %d with a batch axis exceeds the rank limit",
                            node->ndim);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *moved[MX_MAX_NDIM + 2];
    if (!batch_front(inputs, in_axes, 0, n + 1, batch, moved))
        return mx_last_status();
    mx_node *idx[MX_MAX_NDIM + 1];
    int axes[MX_MAX_NDIM + 1];
    int64_t sizes[MX_MAX_NDIM + 1], shape[MX_MAX_NDIM];
    idx[0] = batch_positions(batch, nb + 1);
    axes[0] = 0;
    sizes[0] = 1;
    for (int j = 0; j < n; j++) {
        idx[1 + j] = moved[1 + j];
        axes[1 + j] = p->axes[j] + 1;
    }
    copy_dims(sizes + 1, p->slice_sizes, nd);
    mx_node *g = idx[0] ? mx_node_gather(moved[0], idx, n + 1, axes, sizes) : NULL;
    shape[0] = batch;
    copy_dims(shape + 1, node->shape, node->ndim);
    mx_node *result = g ? mx_node_reshape(g, shape, node->ndim + 1) : NULL;
    mx_node_release(g);
    mx_node_release(idx[0]);
    release_all(moved, n + 1);
    return vmap_finish(result, out, out_axis);
}

/* scatter into (B, a...) with the example's position as the first index
 * array; updates (B, idx..., 1, slab...). */
static int scatter_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const mx_scatter_params *p = mx_node_params(node);
    int n = p->naxes, last = node->n_inputs - 1;
    const mx_node *upd = node->inputs[last];
    int nb = upd->ndim - node->ndim;
    if (upd->ndim + 2 > MX_MAX_NDIM)
        return mx_set_error(MX_ERROR_VALUE, "vmap: scatter of rank %d with a batch axis exceeds the rank limit",
                            upd->ndim);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *moved[MX_MAX_NDIM + 3];
    if (!batch_front(inputs, in_axes, 0, node->n_inputs, batch, moved))
        return mx_last_status();
    mx_node *idx[MX_MAX_NDIM + 1];
    int axes[MX_MAX_NDIM + 1];
    idx[0] = batch_positions(batch, nb + 1);
    axes[0] = 0;
    for (int j = 0; j < n; j++) {
        idx[1 + j] = moved[1 + j];
        axes[1 + j] = p->axes[j] + 1;
    }
    int64_t ushape[MX_MAX_NDIM];
    ushape[0] = batch;
    copy_dims(ushape + 1, upd->shape, nb);
    ushape[1 + nb] = 1;
    copy_dims(ushape + 2 + nb, node->ndim ? upd->shape + nb : NULL, node->ndim);
    mx_node *u = idx[0] ? mx_node_reshape(moved[last], ushape, upd->ndim + 2) : NULL;
    mx_node *result = u ? mx_node_scatter((mx_scatter_reduce)p->reduce, moved[0], idx, n + 1, u, axes) : NULL;
    mx_node_release(u);
    mx_node_release(idx[0]);
    release_all(moved, node->n_inputs);
    return vmap_finish(result, out, out_axis);
}

/* The box gains the whole batch axis in front. */
static int slice_update_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis) {
    const mx_slice_update_params *p = mx_node_params(node);
    if (node->ndim + 1 > MX_MAX_NDIM)
        return mx_set_error(MX_ERROR_VALUE, "vmap: slice_update of rank %d exceeds the rank limit", node->ndim);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *moved[2];
    if (!batch_front(inputs, in_axes, 0, 2, batch, moved))
        return mx_last_status();
    mx_slice_update_params q = {.reduce = p->reduce, .start = {0}, .step = {1}};
    memcpy(q.start + 1, p->start, sizeof(int64_t) * (size_t)node->ndim);
    memcpy(q.step + 1, p->step, sizeof(int64_t) * (size_t)node->ndim);
    mx_node *result = mx_node_new(&mx_op_slice_update, &q, moved, 2, moved[0]->shape, moved[0]->ndim, node->dtype);
    release_all(moved, 2);
    return vmap_finish(result, out, out_axis);
}

/* dynamic_slice and dynamic_slice_update: with one start for every example,
 * the block gains the batch axis; per-example starts go example by example. */
static int dynamic_slice_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                              int *out_axis) {
    const mx_dynamic_slice_params *p = mx_node_params(node);
    int start_at = node->n_inputs - 1, n = node->n_inputs - 1;
    if (in_axes[start_at] >= 0 || node->ndim + 1 > MX_MAX_NDIM)
        return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *moved[3];
    if (!batch_front(inputs, in_axes, 0, n, batch, moved))
        return mx_last_status();
    moved[n] = inputs[start_at];
    mx_dynamic_slice_params q = {.naxes = p->naxes};
    for (int j = 0; j < p->naxes; j++)
        q.axes[j] = p->axes[j] + 1;
    int64_t shape[MX_MAX_NDIM];
    shape[0] = batch;
    copy_dims(shape + 1, node->shape, node->ndim);
    mx_node *result = mx_node_new(node->op, &q, moved, n + 1, shape, node->ndim + 1, node->dtype);
    release_all(moved, n);
    return vmap_finish(result, out, out_axis);
}

static int scatter_axis_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                             int *out_axis) {
    const mx_scatter_axis_params *p = mx_node_params(node);
    if (node->ndim + 1 > MX_MAX_NDIM)
        return mx_set_error(MX_ERROR_VALUE, "vmap: scatter_axis of rank %d exceeds the rank limit", node->ndim);
    int64_t batch = mx_vmap_batch_size(node, inputs, in_axes);
    mx_node *moved[3];
    if (!batch_front(inputs, in_axes, 0, 3, batch, moved))
        return mx_last_status();
    mx_scatter_axis_params q = {.reduce = p->reduce, .axis = p->axis + 1};
    mx_node *result = mx_node_new(&mx_op_scatter_axis, &q, moved, 3, moved[0]->shape, moved[0]->ndim, node->dtype);
    release_all(moved, 3);
    return vmap_finish(result, out, out_axis);
}

/* ---- public API ------------------------------------------------------------------------------------ */

/* Resolve a, the index list and (optionally) one more array. */
static bool get_inputs(const char *op, mx_array a, const mx_array *indices, int n, const mx_array *extra,
                       mx_node **out) {
    if (n < 0 || n > MX_MAX_NDIM || (n > 0 && !indices)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid list of %d index arrays", op, n);
        return false;
    }
    if (!mx_handles_get(&a, 1, op, out) || (n > 0 && !mx_handles_get(indices, n, op, out + 1)))
        return false;
    return !extra || mx_handles_get(extra, 1, op, out + 1 + n);
}

mx_array mx_gather(mx_array a, const mx_array *indices, int n_indices, const int *axes, int naxes,
                   const int64_t *slice_sizes, int n_slice_sizes) {
    mx_node *in[MX_MAX_NDIM + 1];
    if (!get_inputs("gather", a, indices, n_indices, NULL, in))
        return mx_handle_wrap(NULL);
    if (naxes != n_indices || n_slice_sizes != in[0]->ndim || (naxes > 0 && !axes) ||
        (n_slice_sizes > 0 && !slice_sizes)) {
        mx_set_error(MX_ERROR_VALUE, "gather: %d index arrays need as many axes (got %d) and %d slice sizes (got %d)",
                     n_indices, naxes, in[0]->ndim, n_slice_sizes);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_gather(in[0], in + 1, n_indices, axes, slice_sizes));
}

static mx_array scatter_public(mx_scatter_reduce reduce, mx_array a, const mx_array *indices, int n_indices,
                               mx_array updates, const int *axes, int naxes) {
    const char *op = REDUCE_NAMES[reduce];
    mx_node *in[MX_MAX_NDIM + 2];
    if (!get_inputs(op, a, indices, n_indices, &updates, in))
        return mx_handle_wrap(NULL);
    if (naxes != n_indices || (naxes > 0 && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "%s: %d index arrays need as many axes (got %d)", op, n_indices, naxes);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_scatter(reduce, in[0], in + 1, n_indices, in[1 + n_indices], axes));
}

mx_array mx_scatter(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes, int naxes) {
    return scatter_public(MX_REDUCE_NONE, a, indices, n_indices, updates, axes, naxes);
}
mx_array mx_scatter_add(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                        int naxes) {
    return scatter_public(MX_REDUCE_SUM, a, indices, n_indices, updates, axes, naxes);
}
mx_array mx_scatter_prod(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                         int naxes) {
    return scatter_public(MX_REDUCE_PROD, a, indices, n_indices, updates, axes, naxes);
}
mx_array mx_scatter_max(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                        int naxes) {
    return scatter_public(MX_REDUCE_MAX, a, indices, n_indices, updates, axes, naxes);
}
mx_array mx_scatter_min(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                        int naxes) {
    return scatter_public(MX_REDUCE_MIN, a, indices, n_indices, updates, axes, naxes);
}

static mx_array slice_update_public(mx_scatter_reduce reduce, mx_array a, mx_array update, const int64_t *start,
                                    const int64_t *stop, const int64_t *strides, int n) {
    const char *op = SLICE_UPDATE_NAMES[reduce];
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, update}, 2, op, in))
        return mx_handle_wrap(NULL);
    if (n != in[0]->ndim || (n > 0 && (!start || !stop))) {
        mx_set_error(MX_ERROR_VALUE, "%s: %d start/stop values for an array with %d dims", op, n, in[0]->ndim);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_slice_update(reduce, in[0], in[1], start, stop, strides));
}

mx_array mx_slice_update_static(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                                const int64_t *strides, int n) {
    return slice_update_public(MX_REDUCE_NONE, a, update, start, stop, strides, n);
}
mx_array mx_slice_update_add(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                             const int64_t *strides, int n) {
    return slice_update_public(MX_REDUCE_SUM, a, update, start, stop, strides, n);
}
mx_array mx_slice_update_prod(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                              const int64_t *strides, int n) {
    return slice_update_public(MX_REDUCE_PROD, a, update, start, stop, strides, n);
}
mx_array mx_slice_update_max(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                             const int64_t *strides, int n) {
    return slice_update_public(MX_REDUCE_MAX, a, update, start, stop, strides, n);
}
mx_array mx_slice_update_min(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                             const int64_t *strides, int n) {
    return slice_update_public(MX_REDUCE_MIN, a, update, start, stop, strides, n);
}

mx_array mx_slice_dynamic(mx_array a, mx_array start_indices, const int *axes, int naxes, const int64_t *slice_size,
                          int n) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, start_indices}, 2, "slice", in))
        return mx_handle_wrap(NULL);
    if (n != in[0]->ndim || (n > 0 && !slice_size) || naxes < 0 || (naxes > 0 && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "slice: invalid slice size (%d values) for an array with %d dims", n, in[0]->ndim);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_dynamic_slice(in[0], in[1], axes, naxes, slice_size));
}

mx_array mx_slice_update(mx_array a, mx_array update, mx_array start_indices, const int *axes, int naxes) {
    mx_node *in[3];
    if (!mx_handles_get((mx_array[]){a, update, start_indices}, 3, "slice_update", in))
        return mx_handle_wrap(NULL);
    if (naxes < 0 || (naxes > 0 && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "slice_update: invalid list of %d axes", naxes);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_dynamic_slice_update(in[0], in[1], in[2], axes, naxes));
}

mx_array mx_put_along_axis(mx_array a, mx_array indices, mx_array values, int axis) {
    mx_node *in[3];
    if (!mx_handles_get((mx_array[]){a, indices, values}, 3, "put_along_axis", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_scatter_axis(MX_REDUCE_NONE, in[0], in[1], in[2], axis));
}

mx_array mx_scatter_add_axis(mx_array a, mx_array indices, mx_array values, int axis) {
    mx_node *in[3];
    if (!mx_handles_get((mx_array[]){a, indices, values}, 3, "scatter_add_axis", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_scatter_axis(MX_REDUCE_SUM, in[0], in[1], in[2], axis));
}

mx_array mx_masked_scatter(mx_array a, mx_array mask, mx_array src) {
    mx_node *in[3];
    if (!mx_handles_get((mx_array[]){a, mask, src}, 3, "masked_scatter", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_masked_scatter(in[0], in[1], in[2]));
}
