/* ops/linalg.c - mlx.core.linalg as in MLX 0.32 (mlx/linalg.cpp): the matrix
 * primitives inv, tri_inv, cholesky and solve (LAPACK kernels in
 * backend/cpu/linalg.c), and the functions MLX composes from other ops:
 * norm, cross, cholesky_inv, solve_triangular. docs/linalg.md explains the
 * choices. Compositions are differentiable through their parts; MLX 0.32 has
 * no VJP for its Inverse and Cholesky primitives, and neither do we yet. */
#include <math.h>
#include <string.h>

#include "cmlx/linalg.h"
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

static mx_dtype at_least_float(mx_dtype dt) { return mx_dtype_is_float(dt) ? dt : MX_FLOAT32; }

/* sqrt(sum(square(a))) over axes (MLX's l2_norm; bool is summed as float32). */
static mx_node *l2_norm(mx_node *a, const int *axes, int naxes, bool keepdims) {
    mx_node *x = a->dtype == MX_BOOL ? mx_node_astype(a, MX_FLOAT32) : (mx_node_retain(a), a);
    if (x)
        x = then(x, mx_node_unary(&mx_op_square, x));
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

/* Matrix norms over axes (row, col) = axes[0], axes[1] (normalised):
 * ord +-1: max/min over columns of the column sums |a|; ord +-inf: over rows
 * of the row sums. The second reduction's axis shifts when the first removed
 * an axis before it (MLX's arithmetic). */
static mx_node *matrix_norm(mx_node *a, double ord, const int *axes, bool keepdims) {
    int row = axes[0], col = axes[1];
    bool by_columns = ord == 1.0 || ord == -1.0;
    if (!(by_columns || isinf(ord))) {
        if (ord == 2.0 || ord == -2.0) {
            mx_set_error(MX_ERROR_UNSUPPORTED, "[linalg::norm] Matrix norm ord %g needs an SVD (not implemented yet).",
                         ord);
            return NULL;
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
        if (!strcmp(ord_str, "nuc")) {
            mx_set_error(MX_ERROR_UNSUPPORTED, "[linalg::norm] Nuclear norm needs an SVD (not implemented yet).");
            return NULL;
        }
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

/* Component k (kept as a size-1 axis) of x along axis, or zeros for k = 2
 * when the axis has size 2. */
static mx_node *component(mx_node *x, int axis, int k) {
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    for (int i = 0; i < x->ndim; i++) {
        stop[i] = x->shape[i];
        step[i] = 1;
    }
    if (k >= x->shape[axis]) {
        stop[axis] = 1;
        mx_node *shape_src = mx_node_slice(x, start, stop, step);
        if (!shape_src)
            return NULL;
        mx_node *z = mx_node_full(shape_src->shape, shape_src->ndim, 0, x->dtype);
        mx_node_release(shape_src);
        return z;
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
    for (int k = 0; k < 3; k++) {
        ac[k] = component(a, a->ndim + from_end[0], k);
        bc[k] = ac[k] ? component(b, b->ndim + from_end[1], k) : NULL;
        if (!bc[k])
            goto done;
    }
    terms[0] = cross_term(ac[1], bc[2], ac[2], bc[1]);
    terms[1] = terms[0] ? cross_term(ac[2], bc[0], ac[0], bc[2]) : NULL;
    terms[2] = terms[1] ? cross_term(ac[0], bc[1], ac[1], bc[0]) : NULL;
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
