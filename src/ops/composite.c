/* ops/composite.c - element-wise composites of mlx.core, built from other
 * ops exactly as MLX 0.32 builds them (mlx/ops.cpp), so their gradients come
 * from the rules of the ops they are made of:
 *   clip = minimum(maximum(a, a_min), a_max); nan_to_num, isposinf,
 *   isneginf, logical_xor, trunc, divmod, isclose, allclose, array_equal,
 *   count_nonzero, minmax, and the window functions hanning, hamming,
 *   bartlett, blackman. */
#include <math.h>

#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "ops/composite.h"

static char *shape_str(const mx_node *a, char *buf) {
    return mx_format_shape(a->shape, a->ndim, buf, MX_SHAPE_STR_CAP);
}

/* ---- clip ---------------------------------------------------------------------------------- */

mx_array mx_clip(mx_array a, mx_array a_min, mx_array a_max) {
    bool has_min = a_min.id != 0, has_max = a_max.id != 0;
    if (!has_min && !has_max) {
        mx_set_error(MX_ERROR_VALUE, "clip: at most one of a_min and a_max may be None");
        return mx_handle_wrap(NULL);
    }
    mx_node *x = mx_handle_get(a, "clip");
    mx_node *lo = has_min && x ? mx_handle_get(a_min, "clip") : NULL;
    mx_node *hi = has_max && x ? mx_handle_get(a_max, "clip") : NULL;
    if (!x || (has_min && !lo) || (has_max && !hi))
        return mx_handle_wrap(NULL);
    cb_builder b = {0};
    mx_node *out = x;
    if (lo)
        out = cb_binary(&b, &mx_op_maximum, out, lo);
    if (hi)
        out = cb_binary(&b, &mx_op_minimum, out, hi);
    return mx_handle_wrap(cb_finish(&b, out));
}

/* ---- infinities and NaN -------------------------------------------------------------------- */

/* MLX: integers and bool are never infinite (a constant false); otherwise
 * a == +inf (a complex number equals (inf, 0) only). */
static mx_node *equals_infinity(mx_node *a, double inf) {
    if (cb_is_integral(a->dtype))
        return mx_node_full(a->shape, a->ndim, 0.0, MX_BOOL);
    cb_builder b = {0};
    mx_node *out = cb_binary(&b, &mx_op_equal, a, cb_scalar(&b, inf, a->dtype));
    return cb_finish(&b, out);
}

mx_node *mx_node_isposinf(mx_node *a) { return equals_infinity(a, INFINITY); }
mx_node *mx_node_isneginf(mx_node *a) { return equals_infinity(a, -INFINITY); }

mx_array mx_isposinf(mx_array a) {
    mx_node *x = mx_handle_get(a, "isposinf");
    return mx_handle_wrap(x ? mx_node_isposinf(x) : NULL);
}

mx_array mx_isneginf(mx_array a) {
    mx_node *x = mx_handle_get(a, "isneginf");
    return mx_handle_wrap(x ? mx_node_isneginf(x) : NULL);
}

/* The largest finite value of a float dtype (MLX's numeric_limits::max). */
static double float_max(mx_dtype dtype) {
    switch (dtype) {
    case MX_FLOAT16: return 65504.0;
    case MX_BFLOAT16: return 3.3895313892515355e38;
    default: return 3.4028234663852886e38; /* float32 */
    }
}

mx_array mx_nan_to_num(mx_array a, double nan, const double *posinf, const double *neginf) {
    mx_node *x = mx_handle_get(a, "nan_to_num");
    if (!x)
        return mx_handle_wrap(NULL);
    if (!cb_is_inexact(x->dtype)) { /* integers and bool come back as they are */
        mx_node_retain(x);
        return mx_handle_wrap(x);
    }
    /* MLX knows the largest value of float16, bfloat16 and float32 only: a
     * default bound of another dtype is its ValueError (given bounds are fine) */
    bool known = x->dtype == MX_FLOAT16 || x->dtype == MX_BFLOAT16 || x->dtype == MX_FLOAT32;
    if (!known && (!posinf || !neginf)) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE,
                     "nan_to_num: does not yet support %s without posinf and neginf (input of shape %s)",
                     mx_dtype_name(x->dtype), shape_str(x, s));
        return mx_handle_wrap(NULL);
    }
    /* MLX takes the replacements as C floats */
    double pos = posinf ? (double)(float)*posinf : float_max(x->dtype);
    double neg = neginf ? (double)(float)*neginf : -float_max(x->dtype);
    cb_builder b = {0};
    mx_node *out = cb_where(&b, cb_unary(&b, &mx_op_isnan, x), cb_scalar(&b, (double)(float)nan, x->dtype), x);
    out = cb_where(&b, cb_own(&b, mx_node_isposinf(x)), cb_scalar(&b, pos, x->dtype), out);
    out = cb_where(&b, cb_own(&b, mx_node_isneginf(x)), cb_scalar(&b, neg, x->dtype), out);
    return mx_handle_wrap(cb_finish(&b, out));
}

/* ---- logical_xor, trunc, divmod --------------------------------------------------------------- */

mx_array mx_logical_xor(mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "logical_xor", in))
        return mx_handle_wrap(NULL);
    cb_builder bl = {0};
    mx_node *out = cb_binary(&bl, &mx_op_not_equal, cb_astype(&bl, in[0], MX_BOOL), cb_astype(&bl, in[1], MX_BOOL));
    return mx_handle_wrap(cb_finish(&bl, out));
}

/* Round toward zero: where(a < 0, ceil(a), floor(a)) for floats; integers
 * and bool are returned as they are; complex64 is MLX's ValueError. */
mx_array mx_trunc(mx_array a) {
    mx_node *x = mx_handle_get(a, "trunc");
    if (!x)
        return mx_handle_wrap(NULL);
    if (x->dtype == MX_COMPLEX64) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "trunc: not supported for complex64 (input of shape %s)", shape_str(x, s));
        return mx_handle_wrap(NULL);
    }
    if (!mx_dtype_is_float(x->dtype)) {
        mx_node_retain(x);
        return mx_handle_wrap(x);
    }
    cb_builder b = {0};
    mx_node *negative = cb_binary(&b, &mx_op_less, x, cb_scalar(&b, 0.0, x->dtype));
    mx_node *out = cb_where(&b, negative, cb_unary(&b, &mx_op_ceil, x), cb_unary(&b, &mx_op_floor, x));
    return mx_handle_wrap(cb_finish(&b, out));
}

mx_status mx_divmod(mx_array a, mx_array b, mx_array *out) {
    mx_node *in[2];
    if (!out)
        return mx_set_error(MX_ERROR_VALUE, "divmod: NULL output list");
    if (!mx_handles_get((mx_array[]){a, b}, 2, "divmod", in))
        return mx_last_status();
    if (mx_promote_types(in[0]->dtype, in[1]->dtype) == MX_COMPLEX64) {
        char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
        return mx_set_error(MX_ERROR_VALUE, "divmod: complex type not supported (shapes %s and %s, dtypes %s and %s)",
                            shape_str(in[0], sa), shape_str(in[1], sb), mx_dtype_name(in[0]->dtype),
                            mx_dtype_name(in[1]->dtype));
    }
    if (in[0]->dtype == MX_BOOL && in[1]->dtype == MX_BOOL) {
        /* MLX's DivMod on bool gives (a, False) broadcast: x / y and x % y of
         * the bool values, with 1 / 0 yielding 1 and 1 % 0 yielding 0 there */
        cb_builder bl = {0};
        mx_node *quotient = cb_where(&bl, in[1], in[0], in[0]);
        mx_node *remainder = cb_binary(&bl, &mx_op_not_equal, quotient, quotient);
        if (!remainder) {
            cb_abort(&bl);
            return mx_last_status();
        }
        mx_node_retain(quotient);
        out[1] = mx_handle_wrap(cb_finish(&bl, remainder));
        out[0] = mx_handle_wrap(quotient);
        return MX_OK;
    }
    /* MLX's DivMod primitive computes both in the promoted dtype, which is
     * what floor_divide and remainder do */
    mx_node *q = mx_node_binary(&mx_op_floor_divide, in[0], in[1]);
    mx_node *r = q ? mx_node_binary(&mx_op_remainder, in[0], in[1]) : NULL;
    if (!r) {
        if (q)
            mx_node_release(q);
        return mx_last_status();
    }
    out[0] = mx_handle_wrap(q);
    out[1] = mx_handle_wrap(r);
    return MX_OK;
}

/* ---- comparisons within a tolerance ------------------------------------------------------------ */

mx_node *mx_node_isclose(mx_node *a, mx_node *b, double rtol, double atol, bool equal_nan) {
    /* |a - b| <= atol + rtol * |b|, with MLX's float32 scalars for the tolerances */
    cb_builder bl = {0};
    mx_node *rhs =
        cb_binary(&bl, &mx_op_add, cb_scalar(&bl, atol, MX_FLOAT32),
                  cb_binary(&bl, &mx_op_multiply, cb_scalar(&bl, rtol, MX_FLOAT32), cb_unary(&bl, &mx_op_abs, b)));
    mx_node *lhs = cb_unary(&bl, &mx_op_abs, cb_binary(&bl, &mx_op_subtract, a, b));
    mx_node *out = cb_binary(&bl, &mx_op_less_equal, lhs, rhs);
    /* infinities: equal only to the same infinity */
    mx_node *a_pos = cb_own(&bl, mx_node_isposinf(a)), *b_pos = cb_own(&bl, mx_node_isposinf(b));
    mx_node *a_neg = cb_own(&bl, mx_node_isneginf(a)), *b_neg = cb_own(&bl, mx_node_isneginf(b));
    mx_node *any_inf = cb_binary(&bl, &mx_op_logical_or, cb_binary(&bl, &mx_op_logical_or, a_pos, a_neg),
                                 cb_binary(&bl, &mx_op_logical_or, b_pos, b_neg));
    mx_node *both_inf = cb_binary(&bl, &mx_op_logical_or, cb_binary(&bl, &mx_op_logical_and, a_pos, b_pos),
                                  cb_binary(&bl, &mx_op_logical_and, a_neg, b_neg));
    out = cb_binary(&bl, &mx_op_logical_and, out, cb_unary(&bl, &mx_op_logical_not, any_inf));
    out = cb_binary(&bl, &mx_op_logical_or, out, both_inf);
    if (equal_nan) {
        mx_node *both_nan =
            cb_binary(&bl, &mx_op_logical_and, cb_unary(&bl, &mx_op_isnan, a), cb_unary(&bl, &mx_op_isnan, b));
        out = cb_binary(&bl, &mx_op_logical_or, out, both_nan);
    }
    return cb_finish(&bl, out);
}

mx_array mx_isclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "isclose", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_isclose(in[0], in[1], rtol, atol, equal_nan));
}

mx_array mx_allclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "allclose", in))
        return mx_handle_wrap(NULL);
    cb_builder bl = {0};
    mx_node *close = cb_own(&bl, mx_node_isclose(in[0], in[1], rtol, atol, equal_nan));
    mx_node *out = close ? cb_reduce(&bl, &mx_op_all, close, NULL, -1, false) : NULL;
    return mx_handle_wrap(cb_finish(&bl, out));
}

mx_array mx_array_equal(mx_array a, mx_array b, bool equal_nan) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, "array_equal", in))
        return mx_handle_wrap(NULL);
    if (!mx_shape_equal(in[0]->shape, in[0]->ndim, in[1]->shape, in[1]->ndim))
        return mx_handle_wrap(mx_node_full(NULL, 0, 0.0, MX_BOOL)); /* MLX: array(false) */
    mx_dtype dtype = mx_promote_types(in[0]->dtype, in[1]->dtype);
    equal_nan = equal_nan && cb_is_inexact(dtype);
    cb_builder bl = {0};
    mx_node *x = cb_astype(&bl, in[0], dtype), *y = cb_astype(&bl, in[1], dtype);
    mx_node *eq = cb_binary(&bl, &mx_op_equal, x, y);
    if (equal_nan)
        eq = cb_binary(
            &bl, &mx_op_logical_or, eq,
            cb_binary(&bl, &mx_op_logical_and, cb_unary(&bl, &mx_op_isnan, x), cb_unary(&bl, &mx_op_isnan, y)));
    mx_node *out = eq ? cb_reduce(&bl, &mx_op_all, eq, NULL, -1, false) : NULL;
    return mx_handle_wrap(cb_finish(&bl, out));
}

/* ---- count_nonzero, minmax --------------------------------------------------------------------- */

/* naxes < 0: every axis. */
static mx_array count_nonzero(mx_array a, const int *axes, int naxes, bool keepdims) {
    mx_node *x = mx_handle_get(a, "count_nonzero");
    if (!x)
        return mx_handle_wrap(NULL);
    int all[MX_MAX_NDIM];
    if (naxes < 0) {
        for (int i = 0; i < x->ndim; i++)
            all[i] = i;
        axes = all;
        naxes = x->ndim;
    }
    cb_builder b = {0};
    mx_node *nonzero = cb_binary(&b, &mx_op_not_equal, x, cb_scalar(&b, 0.0, x->dtype));
    mx_node *out = cb_reduce(&b, &mx_op_sum, nonzero, axes, naxes, keepdims);
    /* MLX: sum of bools is int32 (an empty axis list leaves the bools: cast) */
    return mx_handle_wrap(cb_finish(&b, cb_astype(&b, out, MX_INT32)));
}

mx_array mx_count_nonzero(mx_array a, bool keepdims) { return count_nonzero(a, NULL, -1, keepdims); }
mx_array mx_count_nonzero_axis(mx_array a, int axis, bool keepdims) { return count_nonzero(a, &axis, 1, keepdims); }
mx_array mx_count_nonzero_axes(mx_array a, const int *axes, int naxes, bool keepdims) {
    if (naxes < 0) {
        mx_set_error(MX_ERROR_VALUE, "count_nonzero: invalid list of %d axes", naxes);
        return mx_handle_wrap(NULL);
    }
    return count_nonzero(a, axes, naxes, keepdims);
}

static mx_status minmax(mx_array a, const int *axes, int naxes, bool keepdims, mx_array *out) {
    if (!out)
        return mx_set_error(MX_ERROR_VALUE, "minmax: NULL output list");
    mx_node *x = mx_handle_get(a, "minmax");
    if (!x)
        return mx_last_status();
    int all[MX_MAX_NDIM];
    if (naxes < 0) {
        for (int i = 0; i < x->ndim; i++)
            all[i] = i;
        axes = all;
        naxes = x->ndim;
    }
    mx_node *lo = mx_node_reduce(&mx_op_min, x, axes, naxes, keepdims);
    mx_node *hi = lo ? mx_node_reduce(&mx_op_max, x, axes, naxes, keepdims) : NULL;
    if (!hi) {
        if (lo)
            mx_node_release(lo);
        return mx_last_status();
    }
    out[0] = mx_handle_wrap(lo);
    out[1] = mx_handle_wrap(hi);
    return MX_OK;
}

mx_status mx_minmax(mx_array a, bool keepdims, mx_array *out) { return minmax(a, NULL, -1, keepdims, out); }
mx_status mx_minmax_axis(mx_array a, int axis, bool keepdims, mx_array *out) {
    return minmax(a, &axis, 1, keepdims, out);
}
mx_status mx_minmax_axes(mx_array a, const int *axes, int naxes, bool keepdims, mx_array *out) {
    if (naxes < 0)
        return mx_set_error(MX_ERROR_VALUE, "minmax: invalid list of %d axes", naxes);
    return minmax(a, axes, naxes, keepdims, out);
}

/* ---- window functions ----------------------------------------------------------------------------- */
/* float32 windows of M points (empty for M < 1, [1] for M = 1), computed in
 * float32 from n = arange(M) as MLX does. */

typedef enum window_kind { HANNING, HAMMING, BARTLETT, BLACKMAN } window_kind;

static mx_array window(int M, window_kind kind) {
    if (M < 1)
        return mx_handle_wrap(mx_node_full((int64_t[]){0}, 1, 0.0, MX_FLOAT32));
    if (M == 1)
        return mx_handle_wrap(mx_node_full((int64_t[]){1}, 1, 1.0, MX_FLOAT32));
    cb_builder b = {0};
    mx_node *n =
        cb_own(&b, mx_node_new(&mx_op_arange, &(mx_arange_params){0.0, 1.0}, NULL, 0, (int64_t[]){M}, 1, MX_FLOAT32));
    mx_node *out = NULL;
    double m1 = (double)(M - 1);
    switch (kind) {
    case HANNING: /* sin(pi n / (M - 1))^2 */
        out =
            cb_unary(&b, &mx_op_square,
                     cb_unary(&b, &mx_op_sin, cb_binary(&b, &mx_op_multiply, cb_scalar(&b, M_PI / m1, MX_FLOAT32), n)));
        break;
    case HAMMING: /* 0.54 - 0.46 cos(2 pi n / (M - 1)) */
        out = cb_binary(
            &b, &mx_op_subtract, cb_scalar(&b, 0.54, MX_FLOAT32),
            cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 0.46, MX_FLOAT32),
                      cb_unary(&b, &mx_op_cos,
                               cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 2.0 * M_PI / m1, MX_FLOAT32), n))));
        break;
    case BARTLETT: /* 1 - |2 n / (M - 1) - 1| */
        out = cb_binary(&b, &mx_op_subtract, cb_scalar(&b, 1.0, MX_FLOAT32),
                        cb_unary(&b, &mx_op_abs,
                                 cb_binary(&b, &mx_op_subtract,
                                           cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 2.0 / m1, MX_FLOAT32), n),
                                           cb_scalar(&b, 1.0, MX_FLOAT32))));
        break;
    case BLACKMAN: { /* 0.42 - 0.5 cos(2 pi n / (M - 1)) + 0.08 cos(4 pi n / (M - 1)) */
        mx_node *t = cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 2.0 * M_PI / m1, MX_FLOAT32), n);
        mx_node *c1 = cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 0.5, MX_FLOAT32), cb_unary(&b, &mx_op_cos, t));
        mx_node *c2 =
            cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 0.08, MX_FLOAT32),
                      cb_unary(&b, &mx_op_cos, cb_binary(&b, &mx_op_multiply, cb_scalar(&b, 2.0, MX_FLOAT32), t)));
        out = cb_binary(&b, &mx_op_add, cb_binary(&b, &mx_op_subtract, cb_scalar(&b, 0.42, MX_FLOAT32), c1), c2);
        break;
    }
    }
    return mx_handle_wrap(cb_finish(&b, out));
}

mx_array mx_hanning(int M) { return window(M, HANNING); }
mx_array mx_hamming(int M) { return window(M, HAMMING); }
mx_array mx_bartlett(int M) { return window(M, BARTLETT); }
mx_array mx_blackman(int M) { return window(M, BLACKMAN); }

/* ---- broadcast_shapes ------------------------------------------------------------------------------ */

mx_status mx_broadcast_shape(const int64_t *const *shapes, const int *ndims, int n, int64_t *out, int *out_ndim) {
    if (n < 0 || (n > 0 && (!shapes || !ndims)) || !out || !out_ndim)
        return mx_set_error(MX_ERROR_VALUE, "broadcast_shapes: invalid arguments");
    int nd = 0;
    for (int i = 0; i < n; i++) {
        if (ndims[i] < 0 || ndims[i] > MX_MAX_NDIM || (ndims[i] && !shapes[i]))
            return mx_set_error(MX_ERROR_VALUE, "broadcast_shapes: invalid rank %d of shape %d", ndims[i], i);
        nd = ndims[i] > nd ? ndims[i] : nd;
    }
    int64_t result[MX_MAX_NDIM];
    for (int k = 0; k < nd; k++)
        result[k] = 1;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < ndims[i]; k++) {
            int64_t d = shapes[i][k], *r = &result[nd - ndims[i] + k];
            if (d != *r && d != 1 && *r != 1) {
                char s0[MX_SHAPE_STR_CAP], s1[MX_SHAPE_STR_CAP];
                return mx_set_error(MX_ERROR_VALUE, "broadcast_shapes: shapes %s and %s cannot be broadcast",
                                    mx_format_shape(result, nd, s0, sizeof s0),
                                    mx_format_shape(shapes[i], ndims[i], s1, sizeof s1));
            }
            /* MLX: a dimension of 0 against 1 broadcasts to 0 */
            *r = d == 1 ? *r : d;
        }
    }
    memcpy(out, result, sizeof(int64_t) * (size_t)nd);
    *out_ndim = nd;
    return MX_OK;
}

/* ---- depends -------------------------------------------------------------------------------------- */

/* out[i] = inputs[i], evaluated only after every dependency: a depends node
 * (the identity view of src/transforms/custom.c) over the input and the
 * dependencies, one per input. The gradient reaches the input alone. */
mx_status mx_depends(const mx_array *inputs, int n, const mx_array *dependencies, int m, mx_array *out) {
    if (n <= 0 || !inputs || !out || m < 0 || (m && !dependencies))
        return mx_set_error(MX_ERROR_VALUE, "depends: at least one input is required (got %d inputs, %d dependencies)",
                            n, m);
    mx_node **nodes = malloc(sizeof *nodes * (size_t)(n + m));
    if (!nodes)
        return mx_set_error(MX_ERROR_MEMORY, "depends: out of memory");
    mx_status st = MX_OK;
    if (!cb_handles(inputs, n, "depends", nodes) || !cb_handles(dependencies, m, "depends", nodes + n)) {
        free(nodes);
        return mx_last_status();
    }
    mx_node **ins = malloc(sizeof *ins * (size_t)(m + 1));
    int made = 0;
    if (!ins)
        st = mx_set_error(MX_ERROR_MEMORY, "depends: out of memory");
    for (; st == MX_OK && made < n; made++) {
        ins[0] = nodes[made];
        memcpy(ins + 1, nodes + n, sizeof *ins * (size_t)m);
        mx_node *d = mx_node_new(&mx_op_depends, NULL, ins, m + 1, ins[0]->shape, ins[0]->ndim, ins[0]->dtype);
        if (!d) {
            st = mx_last_status();
            break;
        }
        out[made] = mx_handle_wrap(d);
    }
    if (st != MX_OK)
        mx_free_n(out, made);
    free(ins);
    free(nodes);
    return st;
}
