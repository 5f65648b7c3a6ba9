/* ops/composite_linalg.c - contractions and diagonals of mlx.core, composed
 * as MLX 0.32 composes them: tensordot (a transpose-reshape to one matmul),
 * outer, inner, vecdot, addmm, kron, diagonal (a strided view, see the
 * diagonal primitive in composite_prims.c), diag and trace. */
#include <math.h>

#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "ops/addmm.h"
#include "ops/composite.h"

static char *shape_str(const mx_node *a, char *buf) {
    return mx_format_shape(a->shape, a->ndim, buf, MX_SHAPE_STR_CAP);
}

/* ---- diagonal, diag, trace ---------------------------------------------------------------------------- */

/* MLX's checks (op names the caller: diagonal or trace): rank >= 2
 * (ValueError), axes in range (IndexError) and distinct (ValueError). */
static bool diagonal_axes(const char *op, const mx_node *a, int axis1, int axis2, int *ax1, int *ax2) {
    char s[MX_SHAPE_STR_CAP];
    if (a->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE, "%s: the array must have at least two dimensions, got shape %s", op,
                     shape_str(a, s));
        return false;
    }
    *ax1 = axis1 < 0 ? axis1 + a->ndim : axis1;
    *ax2 = axis2 < 0 ? axis2 + a->ndim : axis2;
    if (*ax1 < 0 || *ax1 >= a->ndim || *ax2 < 0 || *ax2 >= a->ndim) {
        bool first = *ax1 < 0 || *ax1 >= a->ndim;
        mx_set_error(MX_ERROR_INDEX, "%s: invalid axis%d %d for an array of shape %s", op, first ? 1 : 2,
                     first ? axis1 : axis2, shape_str(a, s));
        return false;
    }
    if (*ax1 == *ax2) {
        mx_set_error(MX_ERROR_VALUE, "%s: axis1 and axis2 cannot be the same axis (%d, shape %s)", op, *ax1,
                     shape_str(a, s));
        return false;
    }
    return true;
}

mx_node *mx_node_diagonal(mx_node *a, int offset, int axis1, int axis2, const char *op) {
    int ax1, ax2;
    if (!diagonal_axes(op, a, axis1, axis2, &ax1, &ax2))
        return NULL;
    int64_t off1 = offset < 0 ? -(int64_t)offset : 0, off2 = offset > 0 ? offset : 0;
    int64_t n1 = a->shape[ax1] - off1, n2 = a->shape[ax2] - off2;
    int64_t len = n1 < n2 ? n1 : n2;
    if (len < 0)
        len = 0;
    int64_t shape[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0; i < a->ndim; i++)
        if (i != ax1 && i != ax2)
            shape[nd++] = a->shape[i];
    shape[nd++] = len;
    mx_diagonal_params p = {ax1, ax2, off1, off2};
    return mx_node_new(&mx_op_diagonal, &p, &a, 1, shape, nd, a->dtype);
}

mx_array mx_diagonal(mx_array a, int offset, int axis1, int axis2) {
    mx_node *x = mx_handle_get(a, "diagonal");
    return mx_handle_wrap(x ? mx_node_diagonal(x, offset, axis1, axis2, "diagonal") : NULL);
}

mx_array mx_diag(mx_array a, int k) {
    mx_node *x = mx_handle_get(a, "diag");
    if (!x)
        return mx_handle_wrap(NULL);
    if (x->ndim == 2)
        return mx_handle_wrap(mx_node_diagonal(x, k, 0, 1, "diag"));
    if (x->ndim != 1) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "diag: the array must be 1-D or 2-D, got shape %s", shape_str(x, s));
        return mx_handle_wrap(NULL);
    }
    /* (L,) -> (n, n), n = L + |k|, v on diagonal k: row j of the values is
     * w = v padded with s2 zeros before and s1 after, masked by eye(n, k) */
    int64_t len = x->shape[0], s1 = k < 0 ? -(int64_t)k : 0, s2 = k > 0 ? k : 0, n = len + s1 + s2;
    cb_builder b = {0};
    mx_pad_params p;
    memset(&p, 0, sizeof p);
    p.low[0] = s2;
    p.high[0] = s1;
    mx_node *zero = cb_scalar(&b, 0.0, x->dtype);
    mx_node *w = (s1 || s2) && zero
                     ? cb_own(&b, mx_node_new(&mx_op_pad, &p, (mx_node *[]){x, zero}, 2, (int64_t[]){n}, 1, x->dtype))
                     : x;
    mx_node *rows = cb_broadcast(&b, cb_reshape(&b, w, (int64_t[]){1, n}, 2), (int64_t[]){n, n}, 2);
    mx_eye_params e = {k};
    mx_node *mask = cb_own(&b, mx_node_new(&mx_op_eye, &e, NULL, 0, (int64_t[]){n, n}, 2, MX_BOOL));
    return mx_handle_wrap(cb_finish(&b, cb_where(&b, mask, rows, zero)));
}

mx_array mx_trace(mx_array a, int offset, int axis1, int axis2, mx_dtype dtype) {
    mx_node *x = mx_handle_get(a, "trace");
    if (!x)
        return mx_handle_wrap(NULL);
    if (dtype == MX_DTYPE_COUNT)
        dtype = x->dtype;
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "trace: invalid dtype %d", (int)dtype);
        return mx_handle_wrap(NULL);
    }
    cb_builder b = {0};
    mx_node *d = cb_own(&b, mx_node_diagonal(x, offset, axis1, axis2, "trace"));
    mx_node *out = cb_reduce(&b, &mx_op_sum, cb_astype(&b, d, dtype), (int[]){-1}, 1, false);
    return mx_handle_wrap(cb_finish(&b, out));
}

/* ---- kron --------------------------------------------------------------------------------------------- */

mx_array mx_kron(mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "kron", in))
        return mx_handle_wrap(NULL);
    mx_node *x = in[0], *y = in[1];
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (x->size == 0 || y->size == 0) {
        mx_set_error(MX_ERROR_VALUE, "kron: input arrays cannot be empty (shapes %s and %s)", shape_str(x, sa),
                     shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    int ndim = x->ndim > y->ndim ? x->ndim : y->ndim;
    if (2 * ndim > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "kron: too many dimensions (shapes %s and %s)", shape_str(x, sa),
                     shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    /* a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), pairs merged */
    int64_t xs[MX_MAX_NDIM], ys[MX_MAX_NDIM], out[MX_MAX_NDIM];
    for (int i = 0; i < ndim; i++) {
        int ia = i - (ndim - x->ndim), ib = i - (ndim - y->ndim);
        int64_t da = ia >= 0 ? x->shape[ia] : 1, db = ib >= 0 ? y->shape[ib] : 1;
        xs[2 * i] = da;
        xs[2 * i + 1] = 1;
        ys[2 * i] = 1;
        ys[2 * i + 1] = db;
        out[i] = da * db;
    }
    cb_builder bl = {0};
    mx_node *prod = cb_binary(&bl, &mx_op_multiply, cb_reshape(&bl, x, xs, 2 * ndim), cb_reshape(&bl, y, ys, 2 * ndim));
    return mx_handle_wrap(cb_finish(&bl, cb_reshape(&bl, prod, out, ndim)));
}

/* ---- tensordot, outer, inner, vecdot -------------------------------------------------------------------- */

/* a's axes axes_a contracted with b's axes_b (n pairs; negative axes wrap):
 * a transposed to (free, contracted) and b to (contracted, free), both
 * flattened to matrices, one matmul, reshaped to a's free then b's free dims. */
mx_node *mx_node_tensordot(mx_node *a, mx_node *b, const int *axes_a, const int *axes_b, int n, const char *op) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    int ca[MX_MAX_NDIM], cbx[MX_MAX_NDIM];
    int64_t k = 1;
    if (n > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "%s: too many contraction axes (%d)", op, n);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        ca[i] = axes_a[i] < 0 ? axes_a[i] + a->ndim : axes_a[i];
        cbx[i] = axes_b[i] < 0 ? axes_b[i] + b->ndim : axes_b[i];
        if (ca[i] < 0 || ca[i] >= a->ndim || cbx[i] < 0 || cbx[i] >= b->ndim) { /* MLX: IndexError */
            mx_set_error(MX_ERROR_INDEX, "%s: contraction axes %d and %d are out of range for shapes %s and %s", op,
                         axes_a[i], axes_b[i], shape_str(a, sa), shape_str(b, sb));
            return NULL;
        }
        if (a->shape[ca[i]] != b->shape[cbx[i]]) {
            mx_set_error(MX_ERROR_VALUE,
                         "%s: a and b must have the same size on the contracted axes (axis %d of %s, axis %d of %s)",
                         op, axes_a[i], shape_str(a, sa), axes_b[i], shape_str(b, sb));
            return NULL;
        }
        k *= a->shape[ca[i]];
    }
    bool used_a[MX_MAX_NDIM] = {0}, used_b[MX_MAX_NDIM] = {0};
    for (int i = 0; i < n; i++) {
        if (used_a[ca[i]] || used_b[cbx[i]]) { /* MLX fails in its transpose: ValueError */
            mx_set_error(MX_ERROR_VALUE, "%s: repeated contraction axes for shapes %s and %s", op, shape_str(a, sa),
                         shape_str(b, sb));
            return NULL;
        }
        used_a[ca[i]] = used_b[cbx[i]] = true;
    }
    int perm_a[MX_MAX_NDIM], perm_b[MX_MAX_NDIM], na = 0, nb = n, nshape = 0;
    int64_t free_a = 1, free_b = 1, shape[2 * MX_MAX_NDIM];
    for (int i = 0; i < a->ndim; i++) {
        if (!used_a[i]) {
            perm_a[na++] = i;
            free_a *= a->shape[i];
            shape[nshape++] = a->shape[i];
        }
    }
    for (int i = 0; i < n; i++) {
        perm_a[na + i] = ca[i];
        perm_b[i] = cbx[i];
    }
    for (int i = 0; i < b->ndim; i++) {
        if (!used_b[i]) {
            perm_b[nb++] = i;
            free_b *= b->shape[i];
            shape[nshape++] = b->shape[i];
        }
    }
    if (nshape > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "%s: the result of shapes %s and %s has too many dimensions", op, shape_str(a, sa),
                     shape_str(b, sb));
        return NULL;
    }
    cb_builder bl = {0};
    mx_node *x = cb_reshape(&bl, cb_transpose(&bl, a, perm_a), (int64_t[]){free_a, k}, 2);
    mx_node *y = cb_reshape(&bl, cb_transpose(&bl, b, perm_b), (int64_t[]){k, free_b}, 2);
    return cb_finish(&bl, cb_reshape(&bl, cb_matmul(&bl, x, y), shape, nshape));
}

mx_array mx_tensordot(mx_array a, mx_array b, int axes) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "tensordot", in))
        return mx_handle_wrap(NULL);
    if (axes < 0) {
        mx_set_error(MX_ERROR_VALUE, "tensordot: axes (%d) must be greater or equal to 0", axes);
        return mx_handle_wrap(NULL);
    }
    if (axes > in[0]->ndim || axes > in[1]->ndim) {
        char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "tensordot: axes (%d) must not exceed the ranks of shapes %s and %s", axes,
                     shape_str(in[0], sa), shape_str(in[1], sb));
        return mx_handle_wrap(NULL);
    }
    int axes_a[MX_MAX_NDIM], axes_b[MX_MAX_NDIM];
    for (int i = 0; i < axes; i++) {
        axes_a[i] = i - axes;
        axes_b[i] = i;
    }
    return mx_handle_wrap(mx_node_tensordot(in[0], in[1], axes_a, axes_b, axes, "tensordot"));
}

mx_array mx_tensordot_axes(mx_array a, mx_array b, const int *axes_a, int naxes_a, const int *axes_b, int naxes_b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "tensordot", in))
        return mx_handle_wrap(NULL);
    if (naxes_a != naxes_b || naxes_a < 0 || (naxes_a && (!axes_a || !axes_b))) {
        mx_set_error(MX_ERROR_VALUE, "tensordot: the axes of a and b must have the same size (%d and %d)", naxes_a,
                     naxes_b);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_tensordot(in[0], in[1], axes_a, axes_b, naxes_a, "tensordot"));
}

mx_array mx_outer(mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "outer", in))
        return mx_handle_wrap(NULL);
    cb_builder bl = {0};
    mx_node *col = cb_reshape(&bl, in[0], (int64_t[]){in[0]->size, 1}, 2);
    mx_node *row = cb_reshape(&bl, in[1], (int64_t[]){in[1]->size}, 1);
    return mx_handle_wrap(cb_finish(&bl, cb_binary(&bl, &mx_op_multiply, col, row)));
}

mx_array mx_inner(mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "inner", in))
        return mx_handle_wrap(NULL);
    if (in[0]->ndim == 0 || in[1]->ndim == 0)
        return mx_handle_wrap(mx_node_binary(&mx_op_multiply, in[0], in[1]));
    if (in[0]->shape[in[0]->ndim - 1] != in[1]->shape[in[1]->ndim - 1]) {
        char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "inner: a and b must have the same last dimension (shapes %s and %s)",
                     shape_str(in[0], sa), shape_str(in[1], sb));
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_tensordot(in[0], in[1], (int[]){-1}, (int[]){-1}, 1, "inner"));
}

mx_array mx_vecdot(mx_array a, mx_array b, int axis) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "vecdot", in))
        return mx_handle_wrap(NULL);
    mx_node *x = in[0], *y = in[1];
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (x->ndim == 0 || y->ndim == 0) {
        mx_set_error(MX_ERROR_VALUE, "vecdot: inputs must be at least 1-D (shapes %s and %s)", shape_str(x, sa),
                     shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    /* MLX: the axis must be valid for a (IndexError) and name the same axis
     * of b once both are normalised (ValueError), of equal sizes */
    int ax = axis < 0 ? axis + x->ndim : axis;
    int bx = axis < 0 ? axis + y->ndim : axis;
    if (ax < 0 || ax >= x->ndim) {
        mx_set_error(MX_ERROR_INDEX, "vecdot: axis %d is out of bounds for shape %s", axis, shape_str(x, sa));
        return mx_handle_wrap(NULL);
    }
    if (bx != ax) {
        mx_set_error(MX_ERROR_VALUE, "vecdot: axis %d is out of bounds (it names different axes of shapes %s and %s)",
                     axis, shape_str(x, sa), shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    if (x->shape[ax] != y->shape[ax]) {
        mx_set_error(MX_ERROR_VALUE, "vecdot: a and b must have the same size along axis %d (shapes %s and %s)", axis,
                     shape_str(x, sa), shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    cb_builder bl = {0};
    /* complex: the first argument is conjugated (MLX, NumPy) */
    mx_node *lhs = mx_promote_types(x->dtype, y->dtype) == MX_COMPLEX64 ? cb_own(&bl, mx_node_conjugate(x)) : x;
    mx_node *prod = cb_binary(&bl, &mx_op_multiply, lhs, y);
    /* the product broadcasts; the axis counts from the end of its shape */
    int pax = prod ? ax + (prod->ndim - x->ndim) : 0;
    return mx_handle_wrap(cb_finish(&bl, cb_reduce(&bl, &mx_op_sum, prod, &pax, 1, false)));
}

/* ---- addmm ---------------------------------------------------------------------------------------------- */

mx_array mx_addmm(mx_array c, mx_array a, mx_array b, double alpha, double beta) {
    mx_node *in[3];
    if (!mx_handles_get((mx_array[]){c, a, b}, 3, "addmm", in))
        return mx_handle_wrap(NULL);
    mx_node *z = in[0], *x = in[1], *y = in[2];
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP], sc[MX_SHAPE_STR_CAP];
    if (x->ndim == 0 || y->ndim == 0) {
        mx_set_error(MX_ERROR_VALUE,
                     "addmm: got a 0-dimensional input (shapes %s and %s); inputs must have at "
                     "least one dimension",
                     shape_str(x, sa), shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    mx_dtype dtype = mx_promote_types(mx_promote_types(x->dtype, y->dtype), z->dtype);
    double fa = (double)(float)alpha, fb = (double)(float)beta; /* MLX takes them as floats */
    cb_builder bl = {0};
    if (dtype == MX_COMPLEX64) { /* MLX: alpha * (a @ b) + beta * c with float32 scalars */
        mx_node *ab = cb_binary(&bl, &mx_op_multiply, cb_matmul(&bl, x, y), cb_scalar(&bl, fa, MX_FLOAT32));
        mx_node *out =
            cb_binary(&bl, &mx_op_add, ab, cb_binary(&bl, &mx_op_multiply, cb_scalar(&bl, fb, MX_FLOAT32), z));
        return mx_handle_wrap(cb_finish(&bl, out));
    }
    int64_t k_a = x->shape[x->ndim - 1], k_b = y->shape[y->ndim >= 2 ? y->ndim - 2 : 0];
    if (k_a != k_b) {
        mx_set_error(MX_ERROR_VALUE,
                     "addmm: the last dimension of the first input with shape %s must match the "
                     "second to last dimension of the second input with shape %s",
                     shape_str(x, sa), shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    if (!mx_dtype_is_float(dtype)) {
        mx_set_error(MX_ERROR_VALUE,
                     "addmm: only real floating point types are supported but %s, %s and %s were "
                     "provided which results in %s (shapes %s, %s, %s)",
                     mx_dtype_name(z->dtype), mx_dtype_name(x->dtype), mx_dtype_name(y->dtype), mx_dtype_name(dtype),
                     shape_str(z, sc), shape_str(x, sa), shape_str(y, sb));
        return mx_handle_wrap(NULL);
    }
    if (x->ndim > 2 && y->ndim <= 2 && z->ndim <= 1) {
        /* MLX's batched path flattens a to (M, K) and broadcasts c to (M, N), N the
         * columns of b before a 1-D b's are dropped */
        int64_t cols = y->ndim == 1 ? 1 : y->shape[1], c_last = z->ndim ? z->shape[0] : 1;
        if (c_last != cols && c_last != 1) {
            mx_set_error(MX_ERROR_VALUE,
                         "addmm: cannot broadcast c of shape %s to (rows, %lld) (shapes of a and b %s "
                         "and %s)",
                         shape_str(z, sc), (long long)cols, shape_str(x, sa), shape_str(y, sb));
            return mx_handle_wrap(NULL);
        }
    }
    mx_node *ab = cb_matmul(&bl, cb_astype(&bl, x, dtype), cb_astype(&bl, y, dtype));
    if (!ab)
        return mx_handle_wrap(cb_finish(&bl, NULL));
    /* c must broadcast to the product's shape, not the other way round */
    int64_t shape[MX_MAX_NDIM];
    int nd;
    if (!mx_broadcast_shapes("addmm", z, ab, shape, &nd)) {
        cb_abort(&bl);
        return mx_handle_wrap(NULL);
    }
    if (!mx_shape_equal(shape, nd, ab->shape, ab->ndim)) {
        mx_set_error(MX_ERROR_VALUE, "addmm: input c of shape %s must broadcast to the output shape %s",
                     shape_str(z, sc), shape_str(ab, sa));
        cb_abort(&bl);
        return mx_handle_wrap(NULL);
    }
    /* on the GPU: one cuBLASLt call with the epilogue (ops/addmm.h) */
    mx_node *fused = mx_node_addmm_fused(z, x, y, fa, fb, dtype);
    if (fused) {
        cb_abort(&bl);
        return mx_handle_wrap(fused);
    }
    if (fa != 1.0)
        ab = cb_binary(&bl, &mx_op_multiply, ab, cb_scalar(&bl, fa, dtype));
    mx_node *zz = cb_astype(&bl, z, dtype);
    if (fb != 1.0)
        zz = cb_binary(&bl, &mx_op_multiply, zz, cb_scalar(&bl, fb, dtype));
    return mx_handle_wrap(cb_finish(&bl, cb_binary(&bl, &mx_op_add, ab, zz)));
}
