/* ops/indexing.c - take, take_flat and take_along_axis, as in MLX 0.32
 * (mlx/ops.cpp). Indices are any integer dtype; negative indices count from
 * the end of the axis. MLX reads out of bounds for an index outside
 * [-size, size); the kernels here check every index and fail the
 * evaluation with MX_ERROR_INDEX instead. */
#include <string.h>

#include "cmlx/ops.h"
#include "ops/ops.h"
#include "ops/scatter.h"

static int take_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int take_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);
static int take_along_axis_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads);
static int take_along_axis_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out);

const mx_op_def mx_op_take = {.name = "take",
                              .id = MX_OP_take,
                              .family = MX_FAMILY_OTHER,
                              .params_size = sizeof(mx_axis_params),
                              .vjp = take_vjp,
                              .jvp = take_jvp};
const mx_op_def mx_op_take_along_axis = {.name = "take_along_axis",
                                         .id = MX_OP_take_along_axis,
                                         .family = MX_FAMILY_OTHER,
                                         .params_size = sizeof(mx_axis_params),
                                         .vjp = take_along_axis_vjp,
                                         .jvp = take_along_axis_jvp};

/* MLX: bool and non-integer indices are ValueErrors for take; take_along_axis
 * fails at evaluation instead ("Cannot gather with indices type":
 * RuntimeError), which `status` says. */
static bool check_index_dtype(const char *op, const mx_node *a, const mx_node *indices, mx_status status) {
    if (mx_dtype_is_integer(indices->dtype))
        return true;
    char sa[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP];
    mx_set_error(status, "%s: indices must be integral, got %s indices of shape %s for an array of shape %s (%s)", op,
                 mx_dtype_name(indices->dtype), mx_format_shape(indices->shape, indices->ndim, si, sizeof si),
                 mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype));
    return false;
}

/* MLX raises IndexError (std::out_of_range) for a bad axis of take and
 * take_along_axis, unlike most ops. */
static int normalize_index_axis(const char *op, const mx_node *a, int axis) {
    int ax = axis < 0 ? axis + a->ndim : axis;
    if (ax < 0 || ax >= a->ndim) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_INDEX, "%s: axis %d is out of bounds for an array of shape %s (%s)", op, axis,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return -1;
    }
    return ax;
}

/* out = a.shape[:axis] + indices.shape + a.shape[axis+1:] */
mx_node *mx_node_take(mx_node *a, mx_node *indices, int axis) {
    int ax = normalize_index_axis("take", a, axis);
    if (ax < 0)
        return NULL;
    char sa[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP];
    if (a->shape[ax] == 0 && indices->size != 0) {
        mx_set_error(MX_ERROR_VALUE,
                     "take: cannot do a non-empty take (indices of shape %s) from the empty axis %d "
                     "of an array of shape %s (%s)",
                     mx_format_shape(indices->shape, indices->ndim, si, sizeof si), ax,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype));
        return NULL;
    }
    if (!check_index_dtype("take", a, indices, MX_ERROR_VALUE))
        return NULL;
    int nd = a->ndim - 1 + indices->ndim;
    if (nd > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE,
                     "take: the result of indices of shape %s on an array of shape %s has more than "
                     "%d dims",
                     mx_format_shape(indices->shape, indices->ndim, si, sizeof si),
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), MX_MAX_NDIM);
        return NULL;
    }
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, a->shape, sizeof(int64_t) * (size_t)ax);
    if (indices->ndim) /* a 0-d shape may be NULL */
        memcpy(shape + ax, indices->shape, sizeof(int64_t) * (size_t)indices->ndim);
    memcpy(shape + ax + indices->ndim, a->shape + ax + 1, sizeof(int64_t) * (size_t)(a->ndim - ax - 1));
    mx_axis_params p = {ax};
    return mx_node_new(&mx_op_take, &p, (mx_node *[]){a, indices}, 2, shape, nd, a->dtype);
}

/* a and indices have the same rank and broadcast against each other in
 * every dim but `axis`; the output has the broadcast shape with the
 * indices' extent along axis. */
mx_node *mx_node_take_along_axis(mx_node *a, mx_node *indices, int axis) {
    char sa[MX_SHAPE_STR_CAP], si[MX_SHAPE_STR_CAP];
    int ax = normalize_index_axis("take_along_axis", a, axis);
    if (ax < 0)
        return NULL;
    if (indices->ndim != a->ndim) {
        mx_set_error(MX_ERROR_VALUE,
                     "take_along_axis: indices of shape %s (%d dims) do not match the %d dims of the "
                     "array of shape %s (%s)",
                     mx_format_shape(indices->shape, indices->ndim, si, sizeof si), indices->ndim, a->ndim,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype));
        return NULL;
    }
    if (!check_index_dtype("take_along_axis", a, indices, MX_ERROR_UNSUPPORTED))
        return NULL;
    int64_t a_shape[MX_MAX_NDIM], i_shape[MX_MAX_NDIM];
    for (int d = 0; d < a->ndim; d++) {
        int64_t da = a->shape[d], di = indices->shape[d];
        if (d != ax && da != di && da != 1 && di != 1) {
            mx_set_error(MX_ERROR_VALUE,
                         "take_along_axis: array of shape %s (%s) and indices of shape %s cannot be "
                         "broadcast outside axis %d",
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa), mx_dtype_name(a->dtype),
                         mx_format_shape(indices->shape, indices->ndim, si, sizeof si), ax);
            return NULL;
        }
        a_shape[d] = i_shape[d] = da == 1 ? di : da;
    }
    a_shape[ax] = a->shape[ax];
    i_shape[ax] = indices->shape[ax];
    mx_node *ba = mx_node_broadcast_to(a, a_shape, a->ndim);
    mx_node *bi = ba ? mx_node_broadcast_to(indices, i_shape, a->ndim) : NULL;
    mx_node *out = NULL;
    if (bi) {
        mx_axis_params p = {ax};
        out = mx_node_new(&mx_op_take_along_axis, &p, (mx_node *[]){ba, bi}, 2, i_shape, a->ndim, a->dtype);
    }
    mx_node_release(ba);
    mx_node_release(bi);
    return out;
}

mx_array mx_take(mx_array a, mx_array indices, int axis) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, indices}, 2, "take", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_take(in[0], in[1], axis));
}

/* take of the flattened array (MLX: take(a, indices) with no axis). */
mx_array mx_take_flat(mx_array a, mx_array indices) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, indices}, 2, "take", in))
        return mx_handle_wrap(NULL);
    int64_t size = in[0]->size;
    mx_node *flat = mx_node_reshape(in[0], &size, 1);
    mx_node *out = flat ? mx_node_take(flat, in[1], 0) : NULL;
    mx_node_release(flat);
    return mx_handle_wrap(out);
}

mx_array mx_take_along_axis(mx_array a, mx_array indices, int axis) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, indices}, 2, "take_along_axis", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_take_along_axis(in[0], in[1], axis));
}

/* ---- transform rules -------------------------------------------------------------------------- */

/* d take(a, idx, axis) / da: the cotangent (a.shape[:axis] + idx.shape +
 * a.shape[axis+1:]) scatter-added into zeros at idx along axis, with the
 * index dims moved first: updates idx.shape + (a.shape with 1 at axis). */
static int take_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    int k = -1;
    for (int i = 0; i < nargs; i++)
        if (argnums[i] == 0)
            k = i;
    if (k < 0)
        return MX_OK;
    const mx_node *a = node->inputs[0];
    mx_node *idx = node->inputs[1];
    int axis = ((const mx_axis_params *)mx_node_params(node))->axis, ni = idx->ndim;
    int perm[MX_MAX_NDIM], q = 0;
    for (int d = 0; d < ni; d++)
        perm[q++] = axis + d;
    for (int d = 0; d < axis; d++)
        perm[q++] = d;
    for (int d = axis + ni; d < cot->ndim; d++)
        perm[q++] = d;
    int64_t shape[MX_MAX_NDIM];
    if (ni > 0) /* a 0-d shape may be NULL */
        memcpy(shape, idx->shape, sizeof(int64_t) * (size_t)ni);
    for (int d = 0; d < a->ndim; d++)
        shape[ni + d] = d == axis ? 1 : a->shape[d];
    mx_node *moved = mx_node_transpose(cot, perm);
    mx_node *upd = moved ? mx_node_reshape(moved, shape, ni + a->ndim) : NULL;
    mx_node *z = upd ? mx_node_full(a->shape, a->ndim, 0.0, a->dtype) : NULL;
    grads[k] = z ? mx_node_scatter(MX_REDUCE_SUM, z, &idx, 1, upd, &axis) : NULL;
    mx_node_release(moved);
    mx_node_release(upd);
    mx_node_release(z);
    return grads[k] ? MX_OK : mx_last_status();
}

static int take_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    *out = mx_node_take(tangents[0], node->inputs[1], ((const mx_axis_params *)mx_node_params(node))->axis);
    return *out ? MX_OK : mx_last_status();
}

static int take_along_axis_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads) {
    int k = -1;
    for (int i = 0; i < nargs; i++)
        if (argnums[i] == 0)
            k = i;
    if (k < 0)
        return MX_OK;
    const mx_node *a = node->inputs[0];
    int axis = ((const mx_axis_params *)mx_node_params(node))->axis;
    mx_node *z = mx_node_full(a->shape, a->ndim, 0.0, a->dtype);
    grads[k] = z ? mx_node_scatter_axis(MX_REDUCE_SUM, z, node->inputs[1], cot, axis) : NULL;
    mx_node_release(z);
    return grads[k] ? MX_OK : mx_last_status();
}

static int take_along_axis_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    *out = mx_node_take_along_axis(tangents[0], node->inputs[1], ((const mx_axis_params *)mx_node_params(node))->axis);
    return *out ? MX_OK : mx_last_status();
}
