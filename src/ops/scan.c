/* ops/scan.c - the cumulative ops (cumsum cumprod cummax cummin
 * logcumsumexp) and diff, as in MLX 0.32: validation, dtype rules, the public
 * functions, and the transform rules of the scan primitives.
 *
 * Dtypes (measured on MLX 0.32.4): every scan keeps the input's dtype except
 * cumsum of bool (int32, counting) and logcumsumexp of integers and bool
 * (float32). cumsum/cumprod's `dtype` casts the input first (so
 * cumsum(x, dtype=bool) counts the non-zeros in int32). The primitive's input
 * has the output's dtype: casts are astype nodes before it.
 *
 * Rules (MLX's, checked against mlx.core.vjp/jvp):
 *   cumsum       vjp: the reverse cumsum of the cotangent; jvp: cumsum of the tangent.
 *   cumprod      vjp: exact with zeros (below); no jvp (MLX has none).
 *   cummax/min   vjp: each output's cotangent goes to the latest input (in scan
 *                order) equal to it; an output equal to no input (NaN) passes
 *                nothing. No jvp (MLX has none).
 *   logcumsumexp vjp/jvp: through logcumsumexp of the log of the positive and
 *                negative parts of the cotangent/tangent (TensorFlow's form),
 *                so nothing overflows.
 * vmap (all five): the axis moves past the batch axis. */
#include <math.h>
#include <string.h>

#include "cmlx/sort.h"
#include "ops/sort.h"

static int scan_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int scan_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int scan_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);

#define SCAN_ROW(op_name, jvp_fn)                                                                                      \
    const mx_op_def mx_op_##op_name = {.name = #op_name,                                                               \
                                       .id = MX_OP_##op_name,                                                          \
                                       .family = MX_FAMILY_OTHER,                                                      \
                                       .params_size = sizeof(mx_scan_params),                                          \
                                       .vjp = scan_vjp,                                                                \
                                       .jvp = jvp_fn,                                                                  \
                                       .vmap = scan_vmap};
SCAN_ROW(cumsum, scan_jvp)
SCAN_ROW(cumprod, NULL)
SCAN_ROW(cummax, NULL)
SCAN_ROW(cummin, NULL)
SCAN_ROW(logcumsumexp, scan_jvp)
#undef SCAN_ROW

static bool is_scan_op(const mx_op_def *op) {
    return op == &mx_op_cumsum || op == &mx_op_cumprod || op == &mx_op_cummax || op == &mx_op_cummin ||
           op == &mx_op_logcumsumexp;
}

/* Build f(x) one step at a time, releasing the previous intermediate. */
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

/* ---- constructors ----------------------------------------------------------------------------- */

mx_node *mx_node_scan_raw(const mx_op_def *op, mx_node *a, int axis, bool reverse, bool inclusive) {
    mx_scan_params p;
    memset(&p, 0, sizeof p);
    p.axis = axis;
    p.reverse = reverse;
    p.inclusive = inclusive;
    return mx_node_new(op, &p, &a, 1, a->shape, a->ndim, a->dtype);
}

mx_node *mx_node_scan(const mx_op_def *op, mx_node *a, int axis, bool reverse, bool inclusive, mx_dtype dtype) {
    if (!is_scan_op(op)) {
        mx_set_error(MX_ERROR_INTERNAL, "scan: %s is not a scan", op->name);
        return NULL;
    }
    if (axis < -a->ndim || axis >= a->ndim) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_INDEX, "%s: axis %d is out of bounds for array with %d dimensions (shape %s, %s)",
                     op->name, axis, a->ndim, mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return NULL;
    }
    int ax = axis < 0 ? axis + a->ndim : axis;
    if (dtype != MX_DTYPE_COUNT && (unsigned)dtype > MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "%s: invalid dtype %d", op->name, (int)dtype);
        return NULL;
    }
    mx_dtype in = dtype == MX_DTYPE_COUNT ? a->dtype : dtype;
    mx_dtype out = in;
    if (op == &mx_op_cumsum && in == MX_BOOL)
        out = MX_INT32;
    else if (op == &mx_op_logcumsumexp && !mx_dtype_is_float(in) && in != MX_COMPLEX64)
        out = MX_FLOAT32;
    /* one cast: a -> out (cumsum(bool) counts in int32 after a bool cast) */
    mx_node *x = in != a->dtype && out != in ? mx_node_astype(a, in) : NULL;
    mx_node *cast = mx_node_astype(x ? x : a, out);
    if (x)
        mx_node_release(x);
    if (!cast)
        return NULL;
    return then(cast, mx_node_scan_raw(op, cast, ax, reverse, inclusive));
}

/* The flattened array (MLX's axis=None): shape (size,), 0-d included. */
static mx_node *flat(mx_node *a) {
    int64_t n = a->size;
    return mx_node_reshape(a, &n, 1);
}

static mx_array scan_public(const mx_op_def *op, mx_array a, int axis, bool flatten, bool reverse, bool inclusive,
                            mx_dtype dtype) {
    mx_node *n = mx_handle_get(a, op->name);
    if (!n)
        return mx_handle_wrap(NULL);
    if (!flatten)
        return mx_handle_wrap(mx_node_scan(op, n, axis, reverse, inclusive, dtype));
    mx_node *f = flat(n);
    return mx_handle_wrap(f ? then(f, mx_node_scan(op, f, 0, reverse, inclusive, dtype)) : NULL);
}

mx_array mx_cumsum(mx_array a, bool reverse, bool inclusive, mx_dtype dtype) {
    return scan_public(&mx_op_cumsum, a, 0, true, reverse, inclusive, dtype);
}
mx_array mx_cumsum_axis(mx_array a, int axis, bool reverse, bool inclusive, mx_dtype dtype) {
    return scan_public(&mx_op_cumsum, a, axis, false, reverse, inclusive, dtype);
}
mx_array mx_cumprod(mx_array a, bool reverse, bool inclusive, mx_dtype dtype) {
    return scan_public(&mx_op_cumprod, a, 0, true, reverse, inclusive, dtype);
}
mx_array mx_cumprod_axis(mx_array a, int axis, bool reverse, bool inclusive, mx_dtype dtype) {
    return scan_public(&mx_op_cumprod, a, axis, false, reverse, inclusive, dtype);
}
mx_array mx_cummax(mx_array a, bool reverse, bool inclusive) {
    return scan_public(&mx_op_cummax, a, 0, true, reverse, inclusive, MX_DTYPE_COUNT);
}
mx_array mx_cummax_axis(mx_array a, int axis, bool reverse, bool inclusive) {
    return scan_public(&mx_op_cummax, a, axis, false, reverse, inclusive, MX_DTYPE_COUNT);
}
mx_array mx_cummin(mx_array a, bool reverse, bool inclusive) {
    return scan_public(&mx_op_cummin, a, 0, true, reverse, inclusive, MX_DTYPE_COUNT);
}
mx_array mx_cummin_axis(mx_array a, int axis, bool reverse, bool inclusive) {
    return scan_public(&mx_op_cummin, a, axis, false, reverse, inclusive, MX_DTYPE_COUNT);
}
mx_array mx_logcumsumexp(mx_array a, bool reverse, bool inclusive) {
    return scan_public(&mx_op_logcumsumexp, a, 0, true, reverse, inclusive, MX_DTYPE_COUNT);
}
mx_array mx_logcumsumexp_axis(mx_array a, int axis, bool reverse, bool inclusive) {
    return scan_public(&mx_op_logcumsumexp, a, axis, false, reverse, inclusive, MX_DTYPE_COUNT);
}

/* ---- diff --------------------------------------------------------------------------------------- */

/* a[1:] - a[:-1] along ax (not_equal for bool), n times, as MLX composes it. */
static mx_node *diff_node(mx_node *a, int n, int axis) {
    char s[MX_SHAPE_STR_CAP];
    if (axis < -a->ndim || axis >= a->ndim) { /* MLX checks the axis first (a 0-d array fails here) */
        mx_set_error(MX_ERROR_INDEX, "diff: axis %d is out of bounds for the array of shape %s (%s)", axis,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return NULL;
    }
    if (n < 0) {
        mx_set_error(MX_ERROR_VALUE, "diff: order n must be non-negative, got %d (shape %s, %s)", n,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s), mx_dtype_name(a->dtype));
        return NULL;
    }
    int ax = axis < 0 ? axis + a->ndim : axis;
    const mx_op_def *op = a->dtype == MX_BOOL ? &mx_op_not_equal : &mx_op_subtract;
    mx_node_retain(a);
    mx_node *x = a;
    for (int i = 0; i < n && x; i++) {
        int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM];
        memcpy(stop, x->shape, sizeof(int64_t) * (size_t)x->ndim);
        int64_t len = x->shape[ax];
        start[ax] = len > 0 ? 1 : 0;
        mx_node *hi = mx_node_slice(x, start, stop, NULL);
        start[ax] = 0;
        stop[ax] = len > 0 ? len - 1 : 0;
        mx_node *lo = hi ? mx_node_slice(x, start, stop, NULL) : NULL;
        mx_node *d = lo ? mx_node_binary(op, hi, lo) : NULL;
        release_all((mx_node *[]){hi, lo}, 2);
        x = then(x, d);
    }
    return x;
}

mx_array mx_diff(mx_array a, int n, int axis) {
    mx_node *x = mx_handle_get(a, "diff");
    return mx_handle_wrap(x ? diff_node(x, n, axis) : NULL);
}

/* ---- transform rules ------------------------------------------------------------------------------ */

static mx_node *scalar_like(double value, const mx_node *like) { return mx_node_scalar(value, like->dtype); }

static mx_node *binary_scalar(const mx_op_def *op, mx_node *a, double value) {
    mx_node *s = scalar_like(value, a);
    mx_node *out = s ? mx_node_binary(op, a, s) : NULL;
    if (s)
        mx_node_release(s);
    return out;
}

/* cotangent shifted by one along the axis, the way an exclusive scan's output
 * is the inclusive one shifted: forward w'[j] = w[j+1] (w'[n-1] = 0), reverse
 * w'[j] = w[j-1] (w'[0] = 0). Then vjp_exclusive(w) = vjp_inclusive(w'). */
static mx_node *shift_for_exclusive(mx_node *w, int axis, bool reverse) {
    int64_t n = w->shape[axis];
    if (n == 0) {
        mx_node_retain(w);
        return w;
    }
    int64_t start[MX_MAX_NDIM] = {0}, stop[MX_MAX_NDIM], zshape[MX_MAX_NDIM];
    memcpy(stop, w->shape, sizeof(int64_t) * (size_t)w->ndim);
    memcpy(zshape, w->shape, sizeof(int64_t) * (size_t)w->ndim);
    zshape[axis] = 1;
    if (reverse)
        stop[axis] = n - 1;
    else
        start[axis] = 1;
    mx_node *part = mx_node_slice(w, start, stop, NULL);
    mx_node *zero = part ? mx_node_full(zshape, w->ndim, 0.0, w->dtype) : NULL;
    mx_node *out = NULL;
    if (zero)
        out = reverse ? mx_node_concatenate((mx_node *[]){zero, part}, 2, axis)
                      : mx_node_concatenate((mx_node *[]){part, zero}, 2, axis);
    release_all((mx_node *[]){part, zero}, 2);
    return out;
}

/* 0, 1, ..., n-1 along `axis` of a rank-ndim array (1s elsewhere), int32. */
static mx_node *positions(const mx_node *like, int axis) {
    int64_t n = like->shape[axis], shape[MX_MAX_NDIM];
    mx_arange_params p = {0.0, 1.0};
    mx_node *r = mx_node_new(&mx_op_arange, &p, NULL, 0, &n, 1, MX_INT32);
    for (int i = 0; i < like->ndim; i++)
        shape[i] = i == axis ? n : 1;
    return r ? then(r, mx_node_reshape(r, shape, like->ndim)) : NULL;
}

/* cumprod: dx[j] = sum_{i>=j} w[i] prod_{k<=i, k!=j} x[k] (inclusive; k<i and
 * i>j when exclusive). With z the first zero of the row:
 *   j < z  (y_incl[j] != 0): A = rev_cumsum(w * y) / x, y the forward output;
 *   j == z (x[j] == 0 but y_excl[j] != 0): B = rev_cumsum(w * cumprod(x with x[z] = 1));
 *   j > z: 0 (every product holds x[z]).
 * As MLX's rule, infinities and NaN give inf/NaN where the division does. */
static mx_node *cumprod_vjp(const mx_scan_params *p, mx_node *x, mx_node *y, mx_node *w) {
    int ax = p->axis;
    bool rev = p->reverse, inc = p->inclusive;
    mx_node *t[16] = {0};
    int k = 0;
    mx_node *y_excl = inc ? mx_node_scan_raw(&mx_op_cumprod, x, ax, rev, false) : (mx_node_retain(y), y);
    t[k++] = y_excl;
    mx_node *y_incl = y_excl ? (inc ? (mx_node_retain(y), y) : mx_node_binary(&mx_op_multiply, y_excl, x)) : NULL;
    t[k++] = y_incl;
    mx_node *incl_nz = y_incl ? binary_scalar(&mx_op_not_equal, y_incl, 0.0) : NULL;
    t[k++] = incl_nz;
    mx_node *excl_nz = incl_nz ? binary_scalar(&mx_op_not_equal, y_excl, 0.0) : NULL;
    t[k++] = excl_nz;
    mx_node *x_zero = excl_nz ? binary_scalar(&mx_op_equal, x, 0.0) : NULL;
    t[k++] = x_zero;
    mx_node *first_zero = x_zero ? mx_node_binary(&mx_op_logical_and, x_zero, excl_nz) : NULL;
    t[k++] = first_zero;
    mx_node *one = first_zero ? scalar_like(1.0, x) : NULL;
    t[k++] = one;
    mx_node *zero = one ? scalar_like(0.0, x) : NULL;
    t[k++] = zero;
    /* A, before the first zero: divide by x with its zeros made 1 (unused there) */
    mx_node *wy = zero ? mx_node_binary(&mx_op_multiply, w, y) : NULL;
    t[k++] = wy;
    mx_node *sum_a = wy ? mx_node_scan_raw(&mx_op_cumsum, wy, ax, !rev, inc) : NULL;
    t[k++] = sum_a;
    mx_node *x_safe = sum_a ? mx_node_where(x_zero, one, x) : NULL;
    t[k++] = x_safe;
    mx_node *a = x_safe ? mx_node_binary(&mx_op_divide, sum_a, x_safe) : NULL;
    t[k++] = a;
    /* B, at the first zero */
    mx_node *x_fixed = a ? mx_node_where(first_zero, one, x) : NULL;
    t[k++] = x_fixed;
    mx_node *y_fixed = x_fixed ? mx_node_scan_raw(&mx_op_cumprod, x_fixed, ax, rev, inc) : NULL;
    t[k++] = y_fixed;
    mx_node *wy_fixed = y_fixed ? mx_node_binary(&mx_op_multiply, w, y_fixed) : NULL;
    t[k++] = wy_fixed;
    mx_node *b = wy_fixed ? mx_node_scan_raw(&mx_op_cumsum, wy_fixed, ax, !rev, inc) : NULL;
    t[k++] = b;
    mx_node *at_zero = b ? mx_node_where(first_zero, b, zero) : NULL;
    mx_node *out = at_zero ? mx_node_where(incl_nz, a, at_zero) : NULL;
    if (at_zero)
        mx_node_release(at_zero);
    release_all(t, k);
    return out ? then(out, mx_node_astype(out, x->dtype)) : NULL;
}

/* cummax/cummin, inclusive: output i's cotangent goes to the latest index j
 * (in scan order) with x[j] == y[i]; so dx[j] = mask[j] * (the sum of w over
 * the run from j up to the next masked index), mask = (x == y). Run sums are
 * differences of cumulative sums of w, the run ends found by an exclusive
 * cummin (cummax when reverse) of the masked positions. */
static mx_node *cumext_vjp_inclusive(int ax, bool rev, mx_node *x, mx_node *y, mx_node *w) {
    int64_t n = x->shape[ax];
    mx_node *t[12] = {0};
    int k = 0;
    mx_node *mask = mx_node_binary(&mx_op_equal, x, y);
    t[k++] = mask;
    mx_node *pos = mask ? positions(x, ax) : NULL;
    t[k++] = pos;
    /* the index just past the run: forward, the next masked index (n if
     * none); reverse, the previous one (-1 if none) */
    mx_node *beyond = pos ? mx_node_scalar(rev ? -1.0 : (double)n, MX_INT32) : NULL;
    t[k++] = beyond;
    mx_node *marked = beyond ? mx_node_where(mask, pos, beyond) : NULL;
    t[k++] = marked;
    mx_node *next = marked ? mx_node_scan_raw(rev ? &mx_op_cummax : &mx_op_cummin, marked, ax, !rev, false) : NULL;
    t[k++] = next;
    /* the exclusive scan starts from the dtype's extreme: clamp it to `beyond` */
    mx_node *clamped = next ? mx_node_binary(rev ? &mx_op_maximum : &mx_op_minimum, next, beyond) : NULL;
    t[k++] = clamped;
    /* the last index of the run (forward), or its first (reverse) */
    mx_node *end = clamped ? binary_scalar(&mx_op_subtract, clamped, rev ? -1.0 : 1.0) : NULL;
    t[k++] = end;
    /* forward: sum(w[j..end]) = C[end] - Cexcl[j]; reverse: sum(w[end..j]) likewise from the end */
    mx_node *c_incl = end ? mx_node_scan_raw(&mx_op_cumsum, w, ax, rev, true) : NULL;
    t[k++] = c_incl;
    mx_node *c_excl = c_incl ? mx_node_scan_raw(&mx_op_cumsum, w, ax, rev, false) : NULL;
    t[k++] = c_excl;
    mx_node *c_end = c_excl ? mx_node_take_along_same_shape(c_incl, end, ax) : NULL;
    t[k++] = c_end;
    mx_node *run = c_end ? mx_node_binary(&mx_op_subtract, c_end, c_excl) : NULL;
    t[k++] = run;
    mx_node *zero = run ? mx_node_scalar(0.0, run->dtype) : NULL;
    t[k++] = zero;
    mx_node *out = zero ? mx_node_where(mask, run, zero) : NULL;
    release_all(t, k);
    return out;
}

/* logcumsumexp: dx[j] = sum_{i>=j} w[i] exp(x[j] - y[i]) (i > j when
 * exclusive), split by the sign of w:
 *   exp(logcumsumexp_rev(log(w+) - y) + x) - exp(logcumsumexp_rev(log(w-) - y) + x). */
static mx_node *signed_part_log(mx_node *v, bool negative) {
    mx_node *zero = scalar_like(0.0, v);
    mx_node *cond = zero ? mx_node_binary(negative ? &mx_op_less : &mx_op_greater, v, zero) : NULL;
    mx_node *mag = cond ? (negative ? mx_node_unary(&mx_op_negative, v) : (mx_node_retain(v), v)) : NULL;
    mx_node *lg = mag ? mx_node_unary(&mx_op_log, mag) : NULL;
    mx_node *ninf = lg ? scalar_like(-INFINITY, v) : NULL;
    mx_node *out = ninf ? mx_node_where(cond, lg, ninf) : NULL;
    release_all((mx_node *[]){zero, cond, mag, lg, ninf}, 5);
    return out;
}

static mx_node *lcse_vjp_part(const mx_scan_params *p, mx_node *x, mx_node *y, mx_node *w, bool negative) {
    mx_node *lw = signed_part_log(w, negative);
    mx_node *d = lw ? mx_node_binary(&mx_op_subtract, lw, y) : NULL;
    mx_node *s = d ? mx_node_scan_raw(&mx_op_logcumsumexp, d, p->axis, !p->reverse, p->inclusive) : NULL;
    mx_node *e = s ? mx_node_binary(&mx_op_add, s, x) : NULL;
    mx_node *out = e ? mx_node_unary(&mx_op_exp, e) : NULL;
    release_all((mx_node *[]){lw, d, s, e}, 4);
    return out;
}

/* jvp[i] = sum_{j<=i} t[j] exp(x[j] - y[i]) (j < i when exclusive), split by
 * the sign of t; an output of -inf (an empty exclusive prefix) has none. */
static mx_node *lcse_jvp_part(const mx_scan_params *p, mx_node *x, mx_node *y, mx_node *t, bool negative) {
    mx_node *lt = signed_part_log(t, negative);
    mx_node *d = lt ? mx_node_binary(&mx_op_add, lt, x) : NULL;
    mx_node *s = d ? mx_node_scan_raw(&mx_op_logcumsumexp, d, p->axis, p->reverse, p->inclusive) : NULL;
    mx_node *e = s ? mx_node_binary(&mx_op_subtract, s, y) : NULL;
    mx_node *out = e ? mx_node_unary(&mx_op_exp, e) : NULL;
    release_all((mx_node *[]){lt, d, s, e}, 4);
    return out;
}

static mx_node *split_by_sign(mx_node *(*part)(const mx_scan_params *, mx_node *, mx_node *, mx_node *, bool),
                              const mx_scan_params *p, mx_node *x, mx_node *y, mx_node *v) {
    mx_node *pos = part(p, x, y, v, false);
    mx_node *neg = pos ? part(p, x, y, v, true) : NULL;
    mx_node *out = neg ? mx_node_binary(&mx_op_subtract, pos, neg) : NULL;
    release_all((mx_node *[]){pos, neg}, 2);
    return out;
}

/* The cotangent (tangent) in the primal's dtype (MLX allows another dtype). */
static mx_node *as_dtype_of(mx_node *v, const mx_node *like) { return mx_node_astype(v, like->dtype); }

static int scan_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_scan_params *p = mx_node_params(node);
    const mx_op_def *op = node->op;
    mx_node *x = node->inputs[0], *y = (mx_node *)node;
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    if (nargs == 0 || argnums[0] != 0)
        return MX_OK;
    if (op == &mx_op_logcumsumexp && x->dtype == MX_COMPLEX64)
        return mx_set_error(MX_ERROR_VALUE, "logcumsumexp: the vjp of complex64 inputs is not supported");
    mx_node *w = as_dtype_of(cotangent, x);
    if (!w)
        return mx_last_status();
    mx_node *g = NULL;
    if (op == &mx_op_cumsum) {
        g = mx_node_scan_raw(&mx_op_cumsum, w, p->axis, !p->reverse, p->inclusive);
    } else if (op == &mx_op_cumprod) {
        g = cumprod_vjp(p, x, y, w);
    } else if (op == &mx_op_logcumsumexp) {
        g = split_by_sign(lcse_vjp_part, p, x, y, w);
    } else { /* cummax, cummin */
        mx_node *y_incl = p->inclusive ? (mx_node_retain(y), y) : mx_node_scan_raw(op, x, p->axis, p->reverse, true);
        mx_node *ws =
            y_incl ? (p->inclusive ? (mx_node_retain(w), w) : shift_for_exclusive(w, p->axis, p->reverse)) : NULL;
        g = ws ? cumext_vjp_inclusive(p->axis, p->reverse, x, y_incl, ws) : NULL;
        release_all((mx_node *[]){y_incl, ws}, 2);
    }
    mx_node_release(w);
    if (!g)
        return mx_last_status();
    grads_out[0] = g;
    return MX_OK;
}

static int scan_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_scan_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *y = (mx_node *)node;
    *tangent_out = NULL;
    if (!tangents[0])
        return MX_OK;
    if (node->op == &mx_op_logcumsumexp && x->dtype == MX_COMPLEX64)
        return mx_set_error(MX_ERROR_VALUE, "logcumsumexp: the jvp of complex64 inputs is not supported");
    mx_node *t = as_dtype_of(tangents[0], x);
    if (!t)
        return mx_last_status();
    mx_node *g;
    if (node->op == &mx_op_cumsum) {
        g = mx_node_scan_raw(&mx_op_cumsum, t, p->axis, p->reverse, p->inclusive);
    } else {
        g = split_by_sign(lcse_jvp_part, p, x, y, t);
        /* an empty exclusive prefix (y = -inf) has no tangent, not NaN */
        mx_node *ninf = g ? scalar_like(-INFINITY, y) : NULL;
        mx_node *empty = ninf ? mx_node_binary(&mx_op_equal, y, ninf) : NULL;
        mx_node *zero = empty ? scalar_like(0.0, y) : NULL;
        mx_node *fixed = zero ? mx_node_where(empty, zero, g) : NULL;
        release_all((mx_node *[]){ninf, empty, zero, g}, 4);
        g = fixed;
    }
    mx_node_release(t);
    if (!g)
        return mx_last_status();
    *tangent_out = g;
    return MX_OK;
}

static int scan_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const mx_scan_params *p = mx_node_params(node);
    if (in_axes[0] < 0) {
        mx_node_retain((mx_node *)node);
        *out = (mx_node *)node;
        *out_axis = -1;
        return MX_OK;
    }
    int b = in_axes[0];
    int ax = p->axis >= b ? p->axis + 1 : p->axis;
    *out = mx_node_scan_raw(node->op, inputs[0], ax, p->reverse, p->inclusive);
    *out_axis = b;
    return *out ? MX_OK : mx_last_status();
}
