/* ops/helpers.c - axis normalisation, broadcasting, and the op-by-id table. */
#include <stdlib.h>
#include <string.h>

#include "ops/ops.h"

int mx_normalize_axis(const char *op, const mx_node *a, int axis) {
    int ax = axis < 0 ? axis + a->ndim : axis;
    if (ax < 0 || ax >= a->ndim) {
        char s[MX_SHAPE_STR_CAP];
        /* MLX raises IndexError for an axis out of range */
        mx_set_error(MX_ERROR_INDEX, "%s: axis %d is out of bounds for an array of shape %s", op, axis,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s));
        return -1;
    }
    return ax;
}

static int compare_int(const void *x, const void *y) { return *(const int *)x - *(const int *)y; }

int mx_normalize_axes(const char *op, const mx_node *a, const int *axes, int naxes, int *out) {
    if (naxes < 0 || naxes > MX_MAX_NDIM || (naxes > 0 && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid list of %d axes", op, naxes);
        return -1;
    }
    for (int i = 0; i < naxes; i++) {
        out[i] = mx_normalize_axis(op, a, axes[i]);
        if (out[i] < 0)
            return -1;
    }
    qsort(out, (size_t)naxes, sizeof *out, compare_int);
    for (int i = 1; i < naxes; i++) {
        if (out[i] == out[i - 1]) {
            mx_set_error(MX_ERROR_VALUE, "%s: axis %d appears more than once", op, out[i]);
            return -1;
        }
    }
    return naxes;
}

bool mx_broadcast_shapes(const char *op, const mx_node *a, const mx_node *b, int64_t *out, int *out_ndim) {
    int nd = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < nd; i++) {
        int ia = i - (nd - a->ndim), ib = i - (nd - b->ndim);
        int64_t da = ia >= 0 ? a->shape[ia] : 1, db = ib >= 0 ? b->shape[ib] : 1;
        if (da != db && da != 1 && db != 1) {
            char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "%s: shapes %s and %s cannot be broadcast (%s, %s)", op,
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                         mx_format_shape(b->shape, b->ndim, sb, sizeof sb), mx_dtype_name(a->dtype),
                         mx_dtype_name(b->dtype));
            return false;
        }
        out[i] = da == 1 ? db : da;
    }
    *out_ndim = nd;
    return true;
}

#define MX_OP_ADDRESS(name) [MX_OP_##name] = &mx_op_##name,
static const mx_op_def *const k_ops[MX_OP_COUNT] = {MX_OP_LIST(MX_OP_ADDRESS)};
#undef MX_OP_ADDRESS

const mx_op_def *mx_op_by_id(int id) { return id >= 0 && id < MX_OP_COUNT ? k_ops[id] : NULL; }
