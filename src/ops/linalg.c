/* ops/linalg.c - mlx.core.linalg as in MLX 0.32 (mlx/linalg.cpp): the matrix
 * primitives inv, tri_inv, cholesky and solve, the packed decompositions
 * lu_factor, lu, qr, svd, eigh, eig and slogdet (layouts in ops/linalg.h;
 * LAPACK kernels in backend/cpu/linalg.c), and the functions MLX composes
 * from other ops: norm, cross, cholesky_inv, solve_triangular, pinv, det
 * (closed forms up to 3 x 3). docs/linalg.md explains the choices.
 * Compositions are differentiable through their parts; of the primitives
 * only slogdet has VJP/JVP rules (MLX 0.32 has none for the others). */
#include <math.h>
#include <string.h>

#include "cmlx/linalg.h"
#include "ops/composite.h"
#include "ops/linalg.h"
#include "ops/ops.h"

/* cholesky, tri_inv: which triangle is read and written. */
typedef struct linalg_params {
    bool upper;
} linalg_params;

const mx_op_def mx_op_inv = {
    .name = "inv", .id = MX_OP_inv, .family = MX_FAMILY_OTHER, .params_size = sizeof(linalg_params)};
const mx_op_def mx_op_tri_inv = {
    .name = "tri_inv", .id = MX_OP_tri_inv, .family = MX_FAMILY_OTHER, .params_size = sizeof(linalg_params)};
const mx_op_def mx_op_cholesky = {
    .name = "cholesky", .id = MX_OP_cholesky, .family = MX_FAMILY_OTHER, .params_size = sizeof(linalg_params)};
const mx_op_def mx_op_solve = {.name = "solve", .id = MX_OP_solve, .family = MX_FAMILY_OTHER, .params_size = 0};

/* Build f(x) one step at a time, releasing the previous intermediate. */
static mx_node *then(mx_node *prev, mx_node *next) {
    if (prev)
        mx_node_release(prev);
    return next;
}

/* ---- checks ---------------------------------------------------------------------------- */

/* MLX's checks of a (batch of) square float32/float64 matrices, in its order. */
static bool check_square(const char *op, const char *what, const mx_node *a) {
    char s[MX_SHAPE_STR_CAP];
    if (a->dtype != MX_FLOAT32 && a->dtype != MX_FLOAT64) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::%s] Arrays must have type float32 or float64. Received array with type %s.", op,
                     mx_dtype_name(a->dtype));
        return false;
    }
    if (a->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::%s] Arrays must have >= 2 dimensions. Received array with %d dimensions.", op, a->ndim);
        return false;
    }
    if (a->shape[a->ndim - 1] != a->shape[a->ndim - 2]) {
        mx_set_error(MX_ERROR_VALUE, "[linalg::%s] %s are only defined for square matrices (shape %s).", op, what,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s));
        return false;
    }
    return true;
}

static mx_node *matrix_node(const mx_op_def *op, const char *name, const char *what, mx_node *a, bool upper) {
    if (!check_square(name, what, a))
        return NULL;
    linalg_params p = {.upper = upper};
    return mx_node_new(op, &p, &a, 1, a->shape, a->ndim, a->dtype);
}

/* Swap the last two axes (a view). */
static mx_node *matrix_transpose(mx_node *a) {
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim; i++)
        perm[i] = i;
    perm[a->ndim - 1] = a->ndim - 2;
    perm[a->ndim - 2] = a->ndim - 1;
    return mx_node_transpose(a, perm);
}

static mx_array wrap1(mx_array a, const char *op, mx_node *(*fn)(mx_node *, bool), bool flag) {
    mx_node *n;
    if (!mx_handles_get(&a, 1, op, &n))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(fn(n, flag));
}

static mx_node *inv_node(mx_node *a, bool unused) {
    (void)unused;
    return matrix_node(&mx_op_inv, "inv", "Inverses", a, false);
}
static mx_node *tri_inv_node(mx_node *a, bool upper) {
    /* MLX's tri_inv reports itself as inv */
    return matrix_node(&mx_op_tri_inv, "inv", "Inverses", a, upper);
}
static mx_node *cholesky_node(mx_node *a, bool upper) {
    return matrix_node(&mx_op_cholesky, "cholesky", "Cholesky decompositions", a, upper);
}

/* inv(L L^T) = L^-T L^-1; inv(U^T U) = U^-1 U^-T (MLX's composition). */
static mx_node *cholesky_inv_node(mx_node *a, bool upper) {
    if (!check_square("cholesky_inv", "Cholesky inverses", a))
        return NULL;
    mx_node *l_inv = tri_inv_node(a, upper);
    if (!l_inv)
        return NULL;
    mx_node *l_inv_t = matrix_transpose(l_inv);
    mx_node *out = NULL;
    if (l_inv_t)
        out = upper ? mx_node_matmul(l_inv, l_inv_t) : mx_node_matmul(l_inv_t, l_inv);
    mx_node_release(l_inv);
    if (l_inv_t)
        mx_node_release(l_inv_t);
    return out;
}

mx_array mx_linalg_inv(mx_array a) { return wrap1(a, "linalg.inv", inv_node, false); }
mx_array mx_linalg_tri_inv(mx_array a, bool upper) { return wrap1(a, "linalg.tri_inv", tri_inv_node, upper); }
mx_array mx_linalg_cholesky(mx_array a, bool upper) { return wrap1(a, "linalg.cholesky", cholesky_node, upper); }
mx_array mx_linalg_cholesky_inv(mx_array a, bool upper) {
    return wrap1(a, "linalg.cholesky_inv", cholesky_inv_node, upper);
}

/* ---- solve, solve_triangular ------------------------------------------------------------- */

/* MLX's checks of solve(a, b): a square float matrix (after promotion), b's
 * rows (its only axis when 1-D) matching a's columns. Writes the promoted
 * operands (new references). */
static bool solve_operands(const char *op, mx_node *a, mx_node *b, mx_node **pa, mx_node **pb) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    mx_dtype dt = mx_promote_types(a->dtype, b->dtype);
    if (dt != MX_FLOAT32 && dt != MX_FLOAT64) {
        mx_set_error(
            MX_ERROR_VALUE,
            "[linalg::%s] Input arrays must promote to float32 or float64. Received arrays with type %s and %s.", op,
            mx_dtype_name(a->dtype), mx_dtype_name(b->dtype));
        return false;
    }
    if (a->ndim < 2 || b->ndim < 1) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::%s] First input must have >= 2 dimensions and second input >= 1 (shapes %s and %s).", op,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                     mx_format_shape(b->shape, b->ndim, sb, sizeof sb));
        return false;
    }
    if (a->shape[a->ndim - 1] != a->shape[a->ndim - 2]) {
        mx_set_error(MX_ERROR_VALUE, "[linalg::%s] First input must be a square matrix (shape %s).", op,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa));
        return false;
    }
    int64_t rows = b->ndim == 1 ? b->shape[0] : b->shape[b->ndim - 2];
    if (a->shape[a->ndim - 1] != rows) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::%s] Last dimension of first input with shape %s must match second to last dimension of "
                     "second input with shape %s.",
                     op, mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                     mx_format_shape(b->shape, b->ndim, sb, sizeof sb));
        return false;
    }
    *pa = mx_node_astype(a, dt);
    *pb = *pa ? mx_node_astype(b, dt) : NULL;
    if (!*pb) {
        if (*pa)
            mx_node_release(*pa);
        return false;
    }
    return true;
}

/* a (..., n, n), b (..., n, k) or (n,): batch axes broadcast (as matmul
 * does); a 1-D b is one right-hand side and the result is (..., n). */
static mx_node *solve_node(mx_node *a0, mx_node *b0) {
    mx_node *a, *b;
    if (!solve_operands("solve", a0, b0, &a, &b))
        return NULL;
    bool vector = b->ndim == 1;
    int64_t n = a->shape[a->ndim - 1];
    if (vector)
        b = then(b, mx_node_reshape(b, (int64_t[]){n, 1}, 2));
    if (!b) {
        mx_node_release(a);
        return NULL;
    }
    /* common batch shape */
    int64_t k = b->shape[b->ndim - 1];
    int nb = (a->ndim > b->ndim ? a->ndim : b->ndim) - 2;
    int64_t ashape[MX_MAX_NDIM], bshape[MX_MAX_NDIM];
    mx_node *out = NULL;
    for (int i = 0; i < nb; i++) {
        int ia = i - (nb - (a->ndim - 2)), ib = i - (nb - (b->ndim - 2));
        int64_t da = ia >= 0 ? a->shape[ia] : 1, db = ib >= 0 ? b->shape[ib] : 1;
        if (da != db && da != 1 && db != 1) {
            char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "[linalg::solve] batch shapes of %s and %s cannot be broadcast.",
                         mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                         mx_format_shape(b->shape, b->ndim, sb, sizeof sb));
            goto done;
        }
        ashape[i] = bshape[i] = da == 1 ? db : da;
    }
    ashape[nb] = ashape[nb + 1] = n;
    bshape[nb] = n;
    bshape[nb + 1] = k;
    a = then(a, mx_node_broadcast_to(a, ashape, nb + 2));
    if (!a)
        goto done;
    b = then(b, mx_node_broadcast_to(b, bshape, nb + 2));
    if (!b)
        goto done;
    out = mx_node_new(&mx_op_solve, NULL, (mx_node *[]){a, b}, 2, bshape, nb + 2, a->dtype);
    if (out && vector)
        out = then(out, mx_node_reshape(out, bshape, nb + 1));
done:
    if (a)
        mx_node_release(a);
    if (b)
        mx_node_release(b);
    return out;
}

/* MLX: matmul(tri_inv(a, upper), b), a 1-D b taken as a column. */
static mx_node *solve_triangular_node(mx_node *a0, mx_node *b0, bool upper) {
    mx_node *a, *b;
    if (!solve_operands("solve_triangular", a0, b0, &a, &b))
        return NULL;
    mx_node *a_inv = tri_inv_node(a, upper);
    mx_node *out = a_inv ? mx_node_matmul(a_inv, b) : NULL;
    if (a_inv)
        mx_node_release(a_inv);
    mx_node_release(a);
    mx_node_release(b);
    return out;
}

mx_array mx_linalg_solve(mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "linalg.solve", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(solve_node(in[0], in[1]));
}

mx_array mx_linalg_solve_triangular(mx_array a, mx_array b, bool upper) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "linalg.solve_triangular", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(solve_triangular_node(in[0], in[1], upper));
}

/* ---- norm ------------------------------------------------------------------------------- */

/* MLX's at_least_float: inexact dtypes (complex64 included) stay, others become float32. */
static mx_dtype at_least_float(mx_dtype dt) { return mx_dtype_is_float(dt) || dt == MX_COMPLEX64 ? dt : MX_FLOAT32; }

/* sqrt(sum(square(a))) over axes (MLX's l2_norm; bool is summed as float32,
 * complex64 as real(a conj(a)), giving float32). */
static mx_node *l2_norm(mx_node *a, const int *axes, int naxes, bool keepdims) {
    mx_node *x;
    if (a->dtype == MX_COMPLEX64) {
        mx_node *conj = mx_node_conjugate(a);
        x = conj ? mx_node_binary(&mx_op_multiply, a, conj) : NULL;
        if (conj)
            mx_node_release(conj);
        if (x)
            x = then(x, mx_node_real(x));
    } else {
        x = a->dtype == MX_BOOL ? mx_node_astype(a, MX_FLOAT32) : (mx_node_retain(a), a);
        if (x)
            x = then(x, mx_node_unary(&mx_op_square, x));
    }
    if (x)
        x = then(x, mx_node_reduce(&mx_op_sum, x, axes, naxes, keepdims));
    if (x)
        x = then(x, mx_node_unary(&mx_op_sqrt, x));
    return x;
}

/* reduce(op, |a|) over axes, cast to dtype. */
static mx_node *abs_reduce(mx_node *a, const mx_op_def *op, const int *axes, int naxes, bool keepdims) {
    mx_node *x = mx_node_unary(&mx_op_abs, a);
    if (x)
        x = then(x, mx_node_reduce(op, x, axes, naxes, keepdims));
    return x;
}

static mx_node *vector_norm(mx_node *a, double ord, const int *axes, int naxes, bool keepdims) {
    mx_dtype dt = at_least_float(a->dtype);
    mx_node *x = NULL;
    if (ord == 0.0) {
        mx_node *zero = mx_node_scalar(0, a->dtype);
        if (!zero)
            return NULL;
        x = mx_node_binary(&mx_op_not_equal, a, zero);
        mx_node_release(zero);
        if (x)
            x = then(x, mx_node_reduce(&mx_op_sum, x, axes, naxes, keepdims));
    } else if (ord == 1.0) {
        x = abs_reduce(a, &mx_op_sum, axes, naxes, keepdims);
    } else if (ord == 2.0) {
        return l2_norm(a, axes, naxes, keepdims);
    } else if (isinf(ord)) {
        x = abs_reduce(a, ord > 0 ? &mx_op_max : &mx_op_min, axes, naxes, keepdims);
    } else {
        /* (sum |a|^ord)^(1/ord) */
        mx_node *p = mx_node_scalar(ord, dt), *q = p ? mx_node_scalar(1.0 / ord, dt) : NULL;
        if (q) {
            x = mx_node_unary(&mx_op_abs, a);
            if (x)
                x = then(x, mx_node_binary(&mx_op_power, x, p));
            if (x)
                x = then(x, mx_node_reduce(&mx_op_sum, x, axes, naxes, keepdims));
            if (x)
                x = then(x, mx_node_binary(&mx_op_power, x, q));
        }
        if (p)
            mx_node_release(p);
        if (q)
            mx_node_release(q);
        return x;
    }
    return x ? then(x, mx_node_astype(x, dt)) : NULL;
}

static mx_node *singular_value_norm(mx_node *a, const int *axes, bool keepdims, const mx_op_def *reduce);

/* Matrix norms over axes (row, col) = axes[0], axes[1] (normalised):
 * ord +-1: max/min over columns of the column sums |a|; ord +-inf: over rows
 * of the row sums. The second reduction's axis shifts when the first removed
 * an axis before it (MLX's arithmetic). */
static mx_node *matrix_norm(mx_node *a, double ord, const int *axes, bool keepdims) {
    int row = axes[0], col = axes[1];
    bool by_columns = ord == 1.0 || ord == -1.0;
    if (!(by_columns || isinf(ord))) {
        if (ord == 2.0 || ord == -2.0) { /* in at_least_float(dtype): complex64 for complex64 (MLX) */
            mx_node *x = singular_value_norm(a, axes, keepdims, ord > 0 ? &mx_op_max : &mx_op_min);
            return x ? then(x, mx_node_astype(x, at_least_float(a->dtype))) : NULL;
        }
        mx_set_error(MX_ERROR_VALUE, "[linalg::norm] Invalid ord %g for matrix norm.", ord);
        return NULL;
    }
    int first = by_columns ? row : col, second = by_columns ? col : row;
    if (!keepdims && second > first && second > 0)
        second--;
    const mx_op_def *outer = ord > 0 ? &mx_op_max : &mx_op_min;
    mx_node *x = mx_node_unary(&mx_op_abs, a);
    if (x)
        x = then(x, mx_node_reduce(&mx_op_sum, x, &first, 1, keepdims));
    if (x)
        x = then(x, mx_node_reduce(outer, x, &second, 1, keepdims));
    if (x)
        x = then(x, mx_node_astype(x, at_least_float(a->dtype)));
    return x;
}

/* axes == NULL: every axis. Writes the axes normalised (duplicates and range
 * checked as a reduction does) and returns their count, -1 on error. */
static int norm_axes(const mx_node *a, const int *axes, int naxes, int *out) {
    if (!axes) {
        for (int i = 0; i < a->ndim; i++)
            out[i] = i;
        return a->ndim;
    }
    if (naxes > 2) {
        mx_set_error(MX_ERROR_VALUE, "[linalg::norm] Received too many axes for norm.");
        return -1;
    }
    int sorted[MX_MAX_NDIM];
    if (mx_normalize_axes("linalg.norm", a, axes, naxes, sorted) < 0)
        return -1;
    /* keep the caller's order (it picks rows and columns) */
    for (int i = 0; i < naxes; i++)
        out[i] = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
    return naxes;
}

static mx_node *norm_node(mx_node *a, const double *ord, const char *ord_str, const int *axes0, int naxes0,
                          bool keepdims) {
    int axes[MX_MAX_NDIM];
    int naxes = norm_axes(a, axes0, naxes0, axes);
    if (naxes < 0)
        return NULL;
    if (ord_str) {
        if (naxes != 2) {
            mx_set_error(MX_ERROR_VALUE,
                         "[linalg::norm] Norm '%s' only supported for matrices, but received %d axis/axes.", ord_str,
                         naxes);
            return NULL;
        }
        if (!strcmp(ord_str, "fro") || !strcmp(ord_str, "f"))
            return l2_norm(a, axes, naxes, keepdims);
        if (!strcmp(ord_str, "nuc"))
            return singular_value_norm(a, axes, keepdims, &mx_op_sum);
        mx_set_error(MX_ERROR_VALUE, "[linalg::norm] Invalid ord value '%s' for matrix norm.", ord_str);
        return NULL;
    }
    if (!ord) /* ord=None: the 2-norm of everything reduced */
        return l2_norm(a, axes, naxes, keepdims);
    if (naxes == 1)
        return vector_norm(a, *ord, axes, naxes, keepdims);
    if (naxes == 2)
        return matrix_norm(a, *ord, axes, keepdims);
    mx_set_error(MX_ERROR_VALUE, "[linalg::norm] Received too many axes for norm.");
    return NULL;
}

static mx_array norm_wrap(mx_array a, const double *ord, const char *ord_str, const int *axes, int naxes,
                          bool keepdims) {
    mx_node *n;
    if (!mx_handles_get(&a, 1, "linalg.norm", &n))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(norm_node(n, ord, ord_str, axes, naxes, keepdims));
}

mx_array mx_linalg_norm(mx_array a, const int *axes, int naxes, bool keepdims) {
    return norm_wrap(a, NULL, NULL, axes, naxes, keepdims);
}
mx_array mx_linalg_norm_ord(mx_array a, double ord, const int *axes, int naxes, bool keepdims) {
    return norm_wrap(a, &ord, NULL, axes, naxes, keepdims);
}
mx_array mx_linalg_norm_str(mx_array a, const char *ord, const int *axes, int naxes, bool keepdims) {
    if (!ord) {
        mx_set_error(MX_ERROR_VALUE, "[linalg::norm] ord string is NULL");
        return mx_handle_wrap(NULL);
    }
    return norm_wrap(a, NULL, ord, axes, naxes, keepdims);
}

/* ---- cross ------------------------------------------------------------------------------ */

/* Component k (kept as a size-1 axis) of x along axis. */
static mx_node *component(mx_node *x, int axis, int k) {
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    for (int i = 0; i < x->ndim; i++) {
        stop[i] = x->shape[i];
        step[i] = 1;
    }
    start[axis] = k;
    stop[axis] = k + 1;
    return mx_node_slice(x, start, stop, step);
}

/* u * v - s * t */
static mx_node *cross_term(mx_node *u, mx_node *v, mx_node *s, mx_node *t) {
    mx_node *p = mx_node_binary(&mx_op_multiply, u, v);
    mx_node *q = p ? mx_node_binary(&mx_op_multiply, s, t) : NULL;
    mx_node *out = q ? mx_node_binary(&mx_op_subtract, p, q) : NULL;
    if (p)
        mx_node_release(p);
    if (q)
        mx_node_release(q);
    return out;
}

/* u * v - s * t where a NULL factor is the missing z of a size-2 vector:
 * its products are left out (MLX: a NaN times that zero gives no NaN), and
 * zeros of the shape of a0 * b0 come out when both are. */
static mx_node *cross_term_sparse(mx_node *u, mx_node *v, mx_node *s, mx_node *t, mx_node *a0, mx_node *b0) {
    bool has_p = u && v, has_q = s && t;
    if (!has_p && !has_q) {
        mx_node *za = mx_node_full(a0->shape, a0->ndim, 0, a0->dtype);
        mx_node *zb = za ? mx_node_full(b0->shape, b0->ndim, 0, b0->dtype) : NULL;
        mx_node *z = zb ? mx_node_binary(&mx_op_add, za, zb) : NULL;
        if (za)
            mx_node_release(za);
        if (zb)
            mx_node_release(zb);
        return z;
    }
    if (has_p && has_q)
        return cross_term(u, v, s, t);
    if (has_p)
        return mx_node_binary(&mx_op_multiply, u, v);
    mx_node *q = mx_node_binary(&mx_op_multiply, s, t);
    return q ? then(q, mx_node_unary(&mx_op_negative, q)) : NULL;
}

static mx_node *cross_node(mx_node *a0, mx_node *b0, int axis) {
    mx_node *ops[2] = {a0, b0};
    int from_end[2];
    for (int i = 0; i < 2; i++) {
        int nd = ops[i]->ndim;
        if (axis >= nd || axis < -nd) {
            mx_set_error(MX_ERROR_INDEX, "[linalg::cross] Axis %d is out of bounds for array with %d dimensions.", axis,
                         nd);
            return NULL;
        }
        from_end[i] = (axis < 0 ? axis + nd : axis) - nd;
    }
    for (int i = 0; i < 2; i++) {
        int64_t d = ops[i]->shape[ops[i]->ndim + from_end[i]];
        if (d != 2 && d != 3) {
            mx_set_error(MX_ERROR_VALUE, "[linalg::cross] The specified axis must have size 2 or 3.");
            return NULL;
        }
    }
    if (from_end[0] != from_end[1]) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::cross] axis %d names different axes of arrays with %d and %d dimensions.", axis,
                     a0->ndim, b0->ndim);
        return NULL;
    }
    mx_dtype dt = mx_promote_types(a0->dtype, b0->dtype);
    mx_node *a = mx_node_astype(a0, dt), *b = a ? mx_node_astype(b0, dt) : NULL;
    mx_node *ac[3] = {0}, *bc[3] = {0}, *terms[3] = {0}, *out = NULL;
    if (!b)
        goto done;
    int axis_a = a->ndim + from_end[0], axis_b = b->ndim + from_end[1];
    for (int k = 0; k < 3; k++) { /* the z of a size-2 vector stays NULL */
        if (k < a->shape[axis_a] && !(ac[k] = component(a, axis_a, k)))
            goto done;
        if (k < b->shape[axis_b] && !(bc[k] = component(b, axis_b, k)))
            goto done;
    }
    terms[0] = cross_term_sparse(ac[1], bc[2], ac[2], bc[1], ac[0], bc[0]);
    terms[1] = terms[0] ? cross_term_sparse(ac[2], bc[0], ac[0], bc[2], ac[0], bc[0]) : NULL;
    terms[2] = terms[1] ? cross_term_sparse(ac[0], bc[1], ac[1], bc[0], ac[0], bc[0]) : NULL;
    if (terms[2])
        out = mx_node_concatenate(terms, 3, from_end[0]);
done:
    for (int k = 0; k < 3; k++) {
        if (ac[k])
            mx_node_release(ac[k]);
        if (bc[k])
            mx_node_release(bc[k]);
        if (terms[k])
            mx_node_release(terms[k]);
    }
    if (a)
        mx_node_release(a);
    if (b)
        mx_node_release(b);
    return out;
}

mx_array mx_linalg_cross(mx_array a, mx_array b, int axis) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "linalg.cross", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(cross_node(in[0], in[1], axis));
}

/* ---- packed decompositions: lu_factor, lu, qr, svd, eigh, eig, slogdet ------------------- */

/* vmap of a one-input matrix primitive that batches over leading axes: move
 * the mapped axis to the front and apply the same primitive. */
static int leading_batch_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                              int *out_axis) {
    mx_node *x = inputs[0];
    if (in_axes[0] < 0) {
        mx_node_retain((mx_node *)node);
        *out = (mx_node *)node;
        *out_axis = -1;
        return MX_OK;
    }
    int perm[MX_MAX_NDIM], j = 1;
    perm[0] = in_axes[0];
    for (int i = 0; i < x->ndim; i++)
        if (i != in_axes[0])
            perm[j++] = i;
    mx_node *moved = mx_node_transpose(x, perm);
    if (!moved)
        return mx_last_status();
    int64_t shape[MX_MAX_NDIM];
    shape[0] = x->shape[in_axes[0]];
    for (int i = 0; i < node->ndim; i++)
        shape[i + 1] = node->shape[i];
    *out = mx_node_new(node->op, node->params, &moved, 1, shape, node->ndim + 1, node->dtype);
    mx_node_release(moved);
    if (!*out)
        return mx_last_status();
    *out_axis = 0;
    return MX_OK;
}

static int slogdet_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int slogdet_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);

#define DECOMP_OP(op_name)                                                                                             \
    const mx_op_def mx_op_##op_name = {.name = #op_name,                                                               \
                                       .id = MX_OP_##op_name,                                                          \
                                       .family = MX_FAMILY_OTHER,                                                      \
                                       .params_size = sizeof(linalg_decomp_params),                                    \
                                       .vmap = leading_batch_vmap};
DECOMP_OP(lu_factor)
DECOMP_OP(lu)
DECOMP_OP(qr)
DECOMP_OP(svd)
DECOMP_OP(eigh)
DECOMP_OP(eig)
const mx_op_def mx_op_slogdet = {.name = "slogdet",
                                 .id = MX_OP_slogdet,
                                 .family = MX_FAMILY_OTHER,
                                 .params_size = sizeof(linalg_decomp_params),
                                 .vjp = slogdet_vjp,
                                 .jvp = slogdet_jvp,
                                 .vmap = leading_batch_vmap};

/* MLX's dtype and rank checks of the decompositions, in its order. */
static bool check_decomp(const char *op, const mx_node *a, bool complex_ok, bool square, const char *rank_prefix) {
    if (a->dtype != MX_FLOAT32 && a->dtype != MX_FLOAT64 && !(complex_ok && a->dtype == MX_COMPLEX64)) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::%s] Arrays must have type float32, float64%s. Received array with type %s.", op,
                     complex_ok ? " or complex64" : "", mx_dtype_name(a->dtype));
        /* MLX words the float-only check "float32 or float64" */
        if (!complex_ok)
            mx_set_error(MX_ERROR_VALUE,
                         "[linalg::%s] Arrays must have type float32 or float64. Received array with type %s.", op,
                         mx_dtype_name(a->dtype));
        return false;
    }
    if (a->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE, "[linalg::%s] %s must have >= 2 dimensions. Received array with %d dimensions.",
                     op, rank_prefix, a->ndim);
        return false;
    }
    if (square && a->shape[a->ndim - 1] != a->shape[a->ndim - 2]) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "[linalg::%s] Only defined for square matrices (shape %s).", op,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s));
        return false;
    }
    return true;
}

/* The packed node of a decomposition: a's batch axes, then `total` values. */
static mx_node *packed_node(const mx_op_def *op, mx_node *a, linalg_decomp_params p, int64_t total, mx_dtype dtype) {
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim - 2; i++)
        shape[i] = a->shape[i];
    shape[a->ndim - 2] = total;
    return mx_node_new(op, &p, &a, 1, shape, a->ndim - 1, dtype);
}

/* Part [offset, offset + rows * cols) of each packed row as (..., rows, cols),
 * or (..., rows) when cols < 0. */
static mx_node *unpack(mx_node *packed, int64_t offset, int64_t rows, int64_t cols) {
    int nd = packed->ndim;
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM], shape[MX_MAX_NDIM];
    for (int i = 0; i < nd; i++) {
        stop[i] = shape[i] = packed->shape[i];
        step[i] = 1;
    }
    int64_t len = rows * (cols < 0 ? 1 : cols);
    start[nd - 1] = offset;
    stop[nd - 1] = offset + len;
    mx_node *part = mx_node_slice(packed, start, stop, step);
    if (!part)
        return NULL;
    shape[nd - 1] = rows;
    if (cols >= 0)
        shape[nd] = cols;
    return then(part, mx_node_reshape(part, shape, cols >= 0 ? nd + 1 : nd));
}

/* How a part is returned: as stored, as uint32 indices (stored as exact
 * float values), or as the real part (S / w of a complex64 decomposition,
 * stored with zero imaginary parts; a no-op for real dtypes). */
typedef enum { PART_AS_IS, PART_INDEX, PART_REAL } part_kind;

/* Unpack parts into out[i] (handles); the packed node is released. Each part
 * is {offset, rows, cols, kind}. */
typedef struct part_spec {
    int64_t offset, rows, cols;
    part_kind kind;
} part_spec;

static mx_status unpack_all(mx_node *packed, const part_spec *parts, int n, mx_array *out) {
    if (!packed)
        return mx_last_status();
    mx_node *nodes[4] = {0};
    for (int i = 0; i < n; i++) {
        nodes[i] = unpack(packed, parts[i].offset, parts[i].rows, parts[i].cols);
        if (nodes[i] && parts[i].kind == PART_INDEX)
            nodes[i] = then(nodes[i], mx_node_astype(nodes[i], MX_UINT32));
        else if (nodes[i] && parts[i].kind == PART_REAL)
            nodes[i] = then(nodes[i], mx_node_real(nodes[i]));
        if (!nodes[i]) {
            for (int j = 0; j < i; j++)
                mx_node_release(nodes[j]);
            mx_node_release(packed);
            return mx_last_status();
        }
    }
    mx_node_release(packed);
    for (int i = 0; i < n; i++)
        out[i] = mx_handle_wrap(nodes[i]);
    return MX_OK;
}

static bool get_one(mx_array a, const char *op, mx_array *out, mx_node **n) {
    if (!out) {
        mx_set_error(MX_ERROR_VALUE, "%s: NULL output list", op);
        return false;
    }
    return mx_handles_get(&a, 1, op, n);
}

#define MAT_M(a) ((a)->shape[(a)->ndim - 2])
#define MAT_N(a) ((a)->shape[(a)->ndim - 1])

mx_status mx_linalg_lu_factor(mx_array a, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.lu_factor", out, &n))
        return mx_last_status();
    if (!check_decomp("lu_factor", n, false, false, "Arrays"))
        return mx_last_status();
    int64_t m = MAT_M(n), c = MAT_N(n), k = m < c ? m : c;
    mx_node *packed = packed_node(&mx_op_lu_factor, n, (linalg_decomp_params){0}, m * c + k, n->dtype);
    return unpack_all(packed, (part_spec[]){{0, m, c, PART_AS_IS}, {m * c, k, -1, PART_INDEX}}, 2, out);
}

mx_status mx_linalg_lu(mx_array a, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.lu", out, &n))
        return mx_last_status();
    if (!check_decomp("lu", n, false, false, "Arrays"))
        return mx_last_status();
    int64_t m = MAT_M(n), c = MAT_N(n), k = m < c ? m : c;
    mx_node *packed = packed_node(&mx_op_lu, n, (linalg_decomp_params){0}, m + m * k + k * c, n->dtype);
    return unpack_all(
        packed, (part_spec[]){{0, m, -1, PART_INDEX}, {m, m, k, PART_AS_IS}, {m + m * k, k, c, PART_AS_IS}}, 3, out);
}

mx_status mx_linalg_qr(mx_array a, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.qr", out, &n))
        return mx_last_status();
    if (!check_decomp("qr", n, false, false, "Arrays"))
        return mx_last_status();
    int64_t m = MAT_M(n), c = MAT_N(n), k = m < c ? m : c;
    mx_node *packed = packed_node(&mx_op_qr, n, (linalg_decomp_params){0}, m * k + k * c, n->dtype);
    return unpack_all(packed, (part_spec[]){{0, m, k, PART_AS_IS}, {m * k, k, c, PART_AS_IS}}, 2, out);
}

/* dtype of the real values (S, w) of a decomposition of dtype dt */
static mx_dtype real_dtype(mx_dtype dt) { return dt == MX_COMPLEX64 ? MX_FLOAT32 : dt; }

/* The packed svd of a checked node (values only: (..., k), real). */
static mx_node *svd_packed(mx_node *n, bool compute_uv) {
    int64_t m = MAT_M(n), c = MAT_N(n), k = m < c ? m : c;
    linalg_decomp_params p = {.vectors = compute_uv};
    return packed_node(&mx_op_svd, n, p, compute_uv ? m * m + k + c * c : k,
                       compute_uv ? n->dtype : real_dtype(n->dtype));
}

mx_status mx_linalg_svd(mx_array a, bool compute_uv, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.svd", out, &n))
        return mx_last_status();
    if (!check_decomp("svd", n, true, false, "Input array"))
        return mx_last_status();
    int64_t m = MAT_M(n), c = MAT_N(n), k = m < c ? m : c;
    mx_node *packed = svd_packed(n, compute_uv);
    if (!compute_uv) {
        if (!packed)
            return mx_last_status();
        out[0] = mx_handle_wrap(packed);
        return MX_OK;
    }
    return unpack_all(
        packed, (part_spec[]){{0, m, m, PART_AS_IS}, {m * m, k, -1, PART_REAL}, {m * m + k, c, c, PART_AS_IS}}, 3, out);
}

static mx_node *eigh_packed(const char *op, mx_node *n, const char *uplo, bool vectors) {
    if (!check_decomp(op, n, true, true, "Arrays"))
        return NULL;
    int64_t c = MAT_N(n);
    /* MLX reads the lower triangle for "L" exactly, the upper one otherwise */
    linalg_decomp_params p = {.vectors = vectors, .upper = !(uplo && !strcmp(uplo, "L"))};
    return packed_node(&mx_op_eigh, n, p, vectors ? c + c * c : c, vectors ? n->dtype : real_dtype(n->dtype));
}

mx_status mx_linalg_eigh(mx_array a, const char *uplo, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.eigh", out, &n))
        return mx_last_status();
    int64_t c = MAT_N(n);
    return unpack_all(eigh_packed("eigh", n, uplo, true), (part_spec[]){{0, c, -1, PART_REAL}, {c, c, c, PART_AS_IS}},
                      2, out);
}

mx_array mx_linalg_eigvalsh(mx_array a, const char *uplo) {
    mx_node *n;
    if (!mx_handles_get(&a, 1, "linalg.eigvalsh", &n))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(eigh_packed("eigvalsh", n, uplo, false));
}

static mx_node *eig_packed(const char *op, mx_node *n, bool vectors) {
    if (!check_decomp(op, n, true, true, "Arrays"))
        return NULL;
    int64_t c = MAT_N(n);
    linalg_decomp_params p = {.vectors = vectors};
    return packed_node(&mx_op_eig, n, p, vectors ? c + c * c : c, MX_COMPLEX64);
}

mx_status mx_linalg_eig(mx_array a, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.eig", out, &n))
        return mx_last_status();
    int64_t c = MAT_N(n);
    return unpack_all(eig_packed("eig", n, true), (part_spec[]){{0, c, -1, PART_AS_IS}, {c, c, c, PART_AS_IS}}, 2, out);
}

mx_array mx_linalg_eigvals(mx_array a) {
    mx_node *n;
    if (!mx_handles_get(&a, 1, "linalg.eigvals", &n))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(eig_packed("eigvals", n, false));
}

/* ---- pinv ---- */

/* MLX's composition: V diag(1/s) U^T over the k = min(m, n) singular
 * triplets, singular values at or below 10 max(m, n) eps max(s) taken as 0. */
static mx_node *pinv_node(mx_node *a) {
    if (!check_decomp("pinv", a, false, false, "Arrays"))
        return NULL;
    int64_t m = MAT_M(a), c = MAT_N(a), k = m < c ? m : c;
    int nd = a->ndim;
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, a->shape, sizeof(int64_t) * (size_t)nd);
    shape[nd - 2] = c;
    shape[nd - 1] = m;
    if (k == 0)
        return mx_node_full(shape, nd, 0, a->dtype);
    mx_node *packed = svd_packed(a, true);
    if (!packed)
        return NULL;
    mx_node *u = unpack(packed, 0, m, m), *s = unpack(packed, m * m, k, -1), *vt = unpack(packed, m * m + k, c, c);
    mx_node_release(packed);
    mx_node *out = NULL, *cut = NULL, *zero = NULL, *rs = NULL, *mask = NULL, *v = NULL, *ut = NULL;
    mx_node **all[] = {&u, &s, &vt, &cut, &zero, &rs, &mask, &v, &ut};
    if (!u || !s || !vt)
        goto done;
    /* U[..., :, :k]^T (k, m) and Vt[..., :k, :]^T (n, k) */
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    for (int i = 0; i < nd; i++) {
        stop[i] = a->shape[i];
        step[i] = 1;
    }
    stop[nd - 2] = m;
    stop[nd - 1] = k;
    ut = mx_node_slice(u, start, stop, step);
    if (ut)
        ut = then(ut, matrix_transpose(ut));
    stop[nd - 2] = k;
    stop[nd - 1] = c;
    v = ut ? mx_node_slice(vt, start, stop, step) : NULL;
    if (v)
        v = then(v, matrix_transpose(v));
    if (!v)
        goto done;
    /* s as (..., 1, k) */
    memcpy(shape, a->shape, sizeof(int64_t) * (size_t)nd);
    shape[nd - 2] = 1;
    shape[nd - 1] = k;
    s = then(s, mx_node_reshape(s, shape, nd));
    if (!s)
        goto done;
    double eps = a->dtype == MX_FLOAT64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;
    int last = nd - 1;
    cut = mx_node_reduce(&mx_op_max, s, &last, 1, true);
    mx_node *rcond = cut ? mx_node_scalar(10.0 * (double)(m > c ? m : c) * eps, a->dtype) : NULL;
    if (rcond) {
        cut = then(cut, mx_node_binary(&mx_op_multiply, rcond, cut));
        mx_node_release(rcond);
    } else if (cut) {
        mx_node_release(cut);
        cut = NULL;
    }
    mask = cut ? mx_node_binary(&mx_op_greater, s, cut) : NULL;
    rs = mask ? mx_node_unary(&mx_op_reciprocal, s) : NULL;
    zero = rs ? mx_node_scalar(0, a->dtype) : NULL;
    if (zero)
        rs = then(rs, mx_node_where(mask, rs, zero));
    if (zero && rs) {
        v = then(v, mx_node_binary(&mx_op_multiply, v, rs));
        if (v)
            out = mx_node_matmul(v, ut);
    }
done:
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (*all[i])
            mx_node_release(*all[i]);
    return out;
}

static mx_node *pinv_wrap_node(mx_node *a, bool unused) {
    (void)unused;
    return pinv_node(a);
}
mx_array mx_linalg_pinv(mx_array a) { return wrap1(a, "linalg.pinv", pinv_wrap_node, false); }

/* ---- det, slogdet ---- */

/* Value `index` of each packed row, as an array of the batch shape. */
static mx_node *packed_value(mx_node *packed, int index) {
    mx_node *part = unpack(packed, index, 1, -1);
    return part ? then(part, mx_node_reshape(part, packed->shape, packed->ndim - 1)) : NULL;
}

/* MLX: matrices up to 3 x 3 by closed forms (differentiable through them),
 * larger ones (and 0 x 0) through an LU factorisation (lu_factor's dtype
 * rules: float16/bfloat16 rejected, integers and bool as float32). */
static bool use_closed_form(const mx_node *a) { return MAT_N(a) >= 1 && MAT_N(a) <= 3; }

static bool check_lu_dtype(const mx_node *a) {
    if (a->dtype == MX_FLOAT16 || a->dtype == MX_BFLOAT16) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::lu_factor] Arrays must have type float32 or float64. Received array with type %s.",
                     mx_dtype_name(a->dtype));
        return false;
    }
    return true;
}

/* The packed [sign, log|det|, det] of a (..., n, n): float64 stays float64,
 * anything else is factorised in float32 (MLX: det of int32 is float32). */
static mx_node *slogdet_packed(const char *op, mx_node *a) {
    if (a->dtype == MX_COMPLEX64) {
        mx_set_error(MX_ERROR_VALUE, "[linalg::%s] Complex inputs are not supported.", op);
        return NULL;
    }
    if (a->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE,
                     "[linalg::%s] Arrays must have >= 2 dimensions. Received array with %d dimensions.", op, a->ndim);
        return NULL;
    }
    if (MAT_M(a) != MAT_N(a)) {
        char sh[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "[linalg::%s] Only defined for square matrices (shape %s).", op,
                     mx_format_shape(a->shape, a->ndim, sh, sizeof sh));
        return NULL;
    }
    if (!use_closed_form(a) && !check_lu_dtype(a))
        return NULL;
    mx_node *x = mx_node_astype(a, a->dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32);
    mx_node *packed = x ? packed_node(&mx_op_slogdet, x, (linalg_decomp_params){0}, 3, x->dtype) : NULL;
    if (x)
        mx_node_release(x);
    return packed;
}

/* Value `index` of the packed slogdet, cast to the output dtype of a. */
static mx_node *slogdet_part(mx_node *packed, int index, mx_dtype in_dtype) {
    mx_node *v = packed_value(packed, index);
    return v ? then(v, mx_node_astype(v, at_least_float(in_dtype))) : NULL;
}

/* Entry (i, j) of each matrix as (..., 1, 1). */
static mx_node *entry(mx_node *a, int i, int j) {
    int nd = a->ndim;
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    for (int d = 0; d < nd; d++) {
        stop[d] = a->shape[d];
        step[d] = 1;
    }
    start[nd - 2] = i;
    stop[nd - 2] = i + 1;
    start[nd - 1] = j;
    stop[nd - 1] = j + 1;
    return mx_node_slice(a, start, stop, step);
}

/* a[i0][j0] * a[i1][j1] - a[i2][j2] * a[i3][j3] (releases nothing it was given) */
static mx_node *minor2(mx_node *const e[3][3], int i0, int j0, int i1, int j1, int i2, int j2, int i3, int j3) {
    return cross_term(e[i0][j0], e[i1][j1], e[i2][j2], e[i3][j3]);
}

/* MLX's closed forms for 1 x 1 .. 3 x 3 matrices (cofactor expansion along
 * the first row), in the input's float dtype; the result has the batch shape. */
static mx_node *small_det(mx_node *a0) {
    int64_t n = MAT_N(a0);
    mx_node *a = mx_node_astype(a0, at_least_float(a0->dtype));
    if (!a)
        return NULL;
    mx_node *e[3][3] = {{0}}, *out = NULL, *t[3] = {0};
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        for (int j = 0; j < n && ok; j++)
            ok = (e[i][j] = entry(a, i, j)) != NULL;
    if (!ok)
        goto done;
    if (n == 1) {
        mx_node_retain(e[0][0]);
        out = e[0][0];
    } else if (n == 2) {
        out = minor2(e, 0, 0, 1, 1, 0, 1, 1, 0);
    } else {
        t[0] = minor2(e, 1, 1, 2, 2, 1, 2, 2, 1);
        t[1] = t[0] ? minor2(e, 1, 0, 2, 2, 1, 2, 2, 0) : NULL;
        t[2] = t[1] ? minor2(e, 1, 0, 2, 1, 1, 1, 2, 0) : NULL;
        if (t[2]) {
            out = mx_node_binary(&mx_op_multiply, e[0][0], t[0]);
            mx_node *p1 = out ? mx_node_binary(&mx_op_multiply, e[0][1], t[1]) : NULL;
            if (p1) {
                out = then(out, mx_node_binary(&mx_op_subtract, out, p1));
                mx_node_release(p1);
            } else if (out) {
                mx_node_release(out);
                out = NULL;
            }
            mx_node *p2 = out ? mx_node_binary(&mx_op_multiply, e[0][2], t[2]) : NULL;
            if (p2) {
                out = then(out, mx_node_binary(&mx_op_add, out, p2));
                mx_node_release(p2);
            } else if (out) {
                mx_node_release(out);
                out = NULL;
            }
        }
    }
    if (out)
        out = then(out, mx_node_reshape(out, a->shape, a->ndim - 2));
done:
    for (int i = 0; i < 3; i++) {
        if (t[i])
            mx_node_release(t[i]);
        for (int j = 0; j < 3; j++)
            if (e[i][j])
                mx_node_release(e[i][j]);
    }
    mx_node_release(a);
    return out;
}

mx_array mx_linalg_det(mx_array a) {
    mx_node *n;
    if (!mx_handles_get(&a, 1, "linalg.det", &n))
        return mx_handle_wrap(NULL);
    mx_node *packed = slogdet_packed("det", n);
    if (!packed)
        return mx_handle_wrap(NULL);
    if (use_closed_form(n)) {
        mx_node_release(packed); /* never evaluated: only its checks were needed */
        return mx_handle_wrap(small_det(n));
    }
    mx_node *det = slogdet_part(packed, 2, n->dtype);
    mx_node_release(packed);
    return mx_handle_wrap(det);
}

mx_status mx_linalg_slogdet(mx_array a, mx_array *out) {
    mx_node *n;
    if (!get_one(a, "linalg.slogdet", out, &n))
        return mx_last_status();
    mx_node *packed = slogdet_packed("slogdet", n);
    if (!packed)
        return mx_last_status();
    mx_node *sign = NULL, *logabs = NULL;
    if (use_closed_form(n)) {
        mx_node_release(packed);
        mx_node *det = small_det(n);
        sign = det ? mx_node_unary(&mx_op_sign, det) : NULL;
        logabs = sign ? mx_node_unary(&mx_op_abs, det) : NULL;
        if (logabs)
            logabs = then(logabs, mx_node_unary(&mx_op_log, logabs));
        if (det)
            mx_node_release(det);
    } else {
        sign = slogdet_part(packed, 0, n->dtype);
        logabs = sign ? slogdet_part(packed, 1, n->dtype) : NULL;
        mx_node_release(packed);
    }
    if (!logabs) {
        if (sign)
            mx_node_release(sign);
        return mx_last_status();
    }
    out[0] = mx_handle_wrap(sign);
    out[1] = mx_handle_wrap(logabs);
    return MX_OK;
}

/* Value `index` of each row of a packed (..., 3) as (..., 1, 1). */
static mx_node *packed_value_matrix(mx_node *packed, int index) {
    mx_node *v = unpack(packed, index, 1, 1);
    return v;
}

/* d log|det A| = tr(A^-1 dA), d det A = det A tr(A^-1 dA); the sign is
 * locally constant. VJP: (g_log + g_det det) A^-T. A singular A makes the
 * gradient's inverse fail at evaluation. */
static int slogdet_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums;
    mx_node *a = node->inputs[0];
    mx_node *g_log = packed_value_matrix(cotangent, 1);
    mx_node *g_det = g_log ? packed_value_matrix(cotangent, 2) : NULL;
    mx_node *det = g_det ? packed_value_matrix((mx_node *)node, 2) : NULL;
    mx_node *coef = det ? mx_node_binary(&mx_op_multiply, g_det, det) : NULL;
    if (coef)
        coef = then(coef, mx_node_binary(&mx_op_add, g_log, coef));
    mx_node *a_inv = coef ? inv_node(a, false) : NULL;
    mx_node *a_inv_t = a_inv ? matrix_transpose(a_inv) : NULL;
    mx_node *grad = a_inv_t ? mx_node_binary(&mx_op_multiply, coef, a_inv_t) : NULL;
    mx_node *parts[] = {g_log, g_det, det, coef, a_inv, a_inv_t};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i])
            mx_node_release(parts[i]);
    if (!grad)
        return mx_last_status();
    for (int i = 0; i < nargs; i++) {
        if (i > 0)
            mx_node_retain(grad);
        grads_out[i] = grad;
    }
    if (nargs == 0)
        mx_node_release(grad);
    return MX_OK;
}

static int slogdet_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    if (!tangents[0]) {
        *tangent_out = NULL;
        return MX_OK;
    }
    mx_node *a = node->inputs[0];
    int nd = a->ndim, axes[2] = {nd - 2, nd - 1};
    mx_node *a_inv = inv_node(a, false);
    mx_node *a_inv_t = a_inv ? matrix_transpose(a_inv) : NULL;
    mx_node *t = a_inv_t ? mx_node_binary(&mx_op_multiply, a_inv_t, tangents[0]) : NULL;
    if (t) /* (..., 1): the last axis of the packed row */
        t = then(t, mx_node_reduce(&mx_op_sum, t, axes, 2, true));
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, node->shape, sizeof(int64_t) * (size_t)node->ndim);
    shape[node->ndim - 1] = 1;
    if (t)
        t = then(t, mx_node_reshape(t, shape, node->ndim));
    mx_node *det = t ? packed_value((mx_node *)node, 2) : NULL;
    if (det)
        det = then(det, mx_node_reshape(det, shape, node->ndim));
    mx_node *t_det = det ? mx_node_binary(&mx_op_multiply, det, t) : NULL;
    mx_node *zero = t_det ? mx_node_full(shape, node->ndim, 0, node->dtype) : NULL;
    mx_node *out = zero ? mx_node_concatenate((mx_node *[]){zero, t, t_det}, 3, node->ndim - 1) : NULL;
    mx_node *parts[] = {a_inv, a_inv_t, t, det, t_det, zero};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i])
            mx_node_release(parts[i]);
    if (!out)
        return mx_last_status();
    *tangent_out = out;
    return MX_OK;
}

/* ---- singular value norms (norm ord 2, -2, "nuc") ---- */

/* reduce (max, min or sum) of the singular values of the matrices spanned by
 * axes[0], axes[1] (MLX: svd of the axes moved last; keepdims restores both
 * as size 1), in a's dtype. */
static mx_node *singular_value_norm(mx_node *a, const int *axes, bool keepdims, const mx_op_def *reduce) {
    int perm[MX_MAX_NDIM], j = 0, nd = a->ndim;
    for (int i = 0; i < nd; i++)
        if (i != axes[0] && i != axes[1])
            perm[j++] = i;
    perm[j++] = axes[0];
    perm[j++] = axes[1];
    mx_node *x = mx_node_transpose(a, perm);
    if (!x)
        return NULL;
    if (!check_decomp("svd", x, true, false, "Input array")) {
        mx_node_release(x);
        return NULL;
    }
    mx_node *sv = svd_packed(x, false);
    mx_node_release(x);
    int last = nd - 2;
    mx_node *out = sv ? mx_node_reduce(reduce, sv, &last, 1, false) : NULL;
    if (sv)
        mx_node_release(sv);
    if (out && keepdims) {
        int64_t shape[MX_MAX_NDIM];
        for (int i = 0; i < nd; i++)
            shape[i] = (i == axes[0] || i == axes[1]) ? 1 : a->shape[i];
        out = then(out, mx_node_reshape(out, shape, nd));
    }
    return out;
}
