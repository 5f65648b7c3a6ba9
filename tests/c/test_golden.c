/* tests/c/test_golden.c - the golden conformance suite: every op of
 * cmlx/ops.h and cmlx/random.h against results computed by MLX.
 *
 * tests/golden/gen_fixtures.py writes the cases (inputs, a view recipe,
 * params, MLX's outputs or error class) into $CMLX_FIXTURES; this program
 * builds each case through the public API only, evaluates it and compares:
 * dtype and shape exactly, integers and bools exactly, floats within the
 * tolerance of the op and dtype (tests/golden/compare.c, docs/testing.md).
 * It prints a coverage table (op x dtype) and ends with "N passed, N failed".
 *
 * A case that cannot run (its op is missing from the table below) counts as
 * a failure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "compare.h"
#include "fixture.h"


    /* ---- running one case ------------------------------------------------------------ */

    typedef struct run_ctx {
    const golden_case *c;
    mx_array in[GOLDEN_MAX_INPUTS];
    mx_array out[GOLDEN_MAX_OUTPUTS];
    int nout;
    bool returns_status; /* split, split_at: the status is the op's result */
    mx_status call_status;
    char why[256]; /* RUN_BAD_CASE: what is wrong with the fixture */
} run_ctx;

typedef enum { RUN_DONE, RUN_UNAVAILABLE, RUN_BAD_CASE } run_result;

typedef void (*any_fn)(void);
typedef run_result (*custom_fn)(run_ctx *x, any_fn fn);

typedef enum {
    K_UNARY,        /* f(a) */
    K_BINARY,       /* f(a, b) */
    K_REDUCE,       /* f(a, keepdims) */
    K_REDUCE_AXIS,  /* f(a, axis, keepdims) */
    K_REDUCE_AXES,  /* f(a, axes, naxes, keepdims) */
    K_VAR,          /* f(a, keepdims, ddof) */
    K_VAR_AXIS,     /* f(a, axis, keepdims, ddof) */
    K_VAR_AXES,     /* f(a, axes, naxes, keepdims, ddof) */
    K_SOFTMAX,      /* f(a, precise) */
    K_SOFTMAX_AXIS, /* f(a, axis, precise) */
    K_SOFTMAX_AXES, /* f(a, axes, naxes, precise) */
    K_SHAPE_DTYPE,  /* f(shape, ndim, dtype) */
    K_CUSTOM
} op_kind;

typedef struct op_entry {
    const char *name;
    op_kind kind;
    any_fn fn; /* the API function; NULL when this build lacks it */
    custom_fn run;
} op_entry;

static run_result bad_case(run_ctx *x, const char *what) {
    snprintf(x->why, sizeof x->why, "%s", what);
    return RUN_BAD_CASE;
}

#define NEED_INPUTS(x, n)                                                                                              \
    do {                                                                                                               \
        if ((x)->c->ninputs != (n))                                                                                    \
            return bad_case((x), "wrong number of inputs");                                                            \
    } while (0)

static bool param_int(run_ctx *x, const char *key, int64_t *v) {
    if (golden_param_int(x->c, key, v))
        return true;
    snprintf(x->why, sizeof x->why, "missing int param '%s'", key);
    return false;
}

static bool param_double(run_ctx *x, const char *key, double *v) {
    if (golden_param_double(x->c, key, v))
        return true;
    snprintf(x->why, sizeof x->why, "missing float param '%s'", key);
    return false;
}

/* An int list param: returns its length and fills buf, or -1 when absent. */
static int param_ints(run_ctx *x, const char *key, int *buf) {
    const golden_param *p = golden_param_find(x->c, key);
    if (!p || p->kind != 'i' || p->count > MX_MAX_NDIM)
        return -1;
    for (int i = 0; i < p->count; i++)
        buf[i] = (int)golden_param_int_at(p, i);
    return p->count;
}

static int param_int64s(run_ctx *x, const char *key, int64_t *buf, int cap) {
    const golden_param *p = golden_param_find(x->c, key);
    if (!p || p->kind != 'i' || p->count > cap)
        return -1;
    for (int i = 0; i < p->count; i++)
        buf[i] = golden_param_int_at(p, i);
    return p->count;
}

static bool param_dtype(run_ctx *x, mx_dtype *dtype) {
    int64_t v;
    if (!param_int(x, "dtype", &v))
        return false;
    *dtype = (mx_dtype)v;
    return true;
}

/* ---- runners for ops with their own signatures ---------------------------------------- */

typedef mx_array (*unary_fn)(mx_array);
typedef mx_array (*binary_fn)(mx_array, mx_array);

static run_result run_round(run_ctx *x, any_fn fn) {
    int64_t decimals;
    NEED_INPUTS(x, 1);
    if (!param_int(x, "decimals", &decimals))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, int))fn)(x->in[0], (int)decimals);
    return RUN_DONE;
}

static run_result run_where(run_ctx *x, any_fn fn) {
    NEED_INPUTS(x, 3);
    x->out[0] = ((mx_array(*)(mx_array, mx_array, mx_array))fn)(x->in[0], x->in[1], x->in[2]);
    return RUN_DONE;
}

static run_result run_full(run_ctx *x, any_fn fn) {
    int64_t shape[MX_MAX_NDIM];
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    double value;
    mx_dtype dtype;
    if (ndim < 0 || !param_double(x, "value", &value) || !param_dtype(x, &dtype))
        return bad_case(x, "full needs shape, value, dtype");
    x->out[0] = ((mx_array(*)(const int64_t *, int, double, mx_dtype))fn)(shape, ndim, value, dtype);
    return RUN_DONE;
}

static run_result run_full_array(run_ctx *x, any_fn fn) {
    int64_t shape[MX_MAX_NDIM];
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    NEED_INPUTS(x, 1);
    if (ndim < 0)
        return bad_case(x, "missing shape");
    x->out[0] = ((mx_array(*)(const int64_t *, int, mx_array))fn)(shape, ndim, x->in[0]);
    return RUN_DONE;
}

static run_result run_full_like(run_ctx *x, any_fn fn) {
    double value;
    NEED_INPUTS(x, 1);
    if (!param_double(x, "value", &value))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, double))fn)(x->in[0], value);
    return RUN_DONE;
}

static run_result run_arange(run_ctx *x, any_fn fn) {
    double start, stop, step;
    mx_dtype dtype;
    if (!param_double(x, "start", &start) || !param_double(x, "stop", &stop) || !param_double(x, "step", &step) ||
        !param_dtype(x, &dtype))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(double, double, double, mx_dtype))fn)(start, stop, step, dtype);
    return RUN_DONE;
}

static run_result run_linspace(run_ctx *x, any_fn fn) {
    double start, stop;
    int64_t num;
    mx_dtype dtype;
    if (!param_double(x, "start", &start) || !param_double(x, "stop", &stop) || !param_int(x, "num", &num) ||
        !param_dtype(x, &dtype))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(double, double, int64_t, mx_dtype))fn)(start, stop, num, dtype);
    return RUN_DONE;
}

static run_result run_eye(run_ctx *x, any_fn fn) {
    int64_t n, m, k;
    mx_dtype dtype;
    if (!param_int(x, "n", &n) || !param_int(x, "m", &m) || !param_int(x, "k", &k) || !param_dtype(x, &dtype))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(int64_t, int64_t, int, mx_dtype))fn)(n, m, (int)k, dtype);
    return RUN_DONE;
}

static run_result run_identity(run_ctx *x, any_fn fn) {
    int64_t n;
    mx_dtype dtype;
    if (!param_int(x, "n", &n) || !param_dtype(x, &dtype))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(int64_t, mx_dtype))fn)(n, dtype);
    return RUN_DONE;
}

static run_result run_astype(run_ctx *x, any_fn fn) {
    mx_dtype dtype;
    NEED_INPUTS(x, 1);
    if (!param_dtype(x, &dtype))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, mx_dtype))fn)(x->in[0], dtype);
    return RUN_DONE;
}

/* reshape, broadcast_to: f(a, shape, ndim) */
static run_result run_with_shape(run_ctx *x, any_fn fn) {
    int64_t shape[MX_MAX_NDIM];
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    NEED_INPUTS(x, 1);
    if (ndim < 0)
        return bad_case(x, "missing shape");
    x->out[0] = ((mx_array(*)(mx_array, const int64_t *, int))fn)(x->in[0], shape, ndim);
    return RUN_DONE;
}

static run_result run_flatten(run_ctx *x, any_fn fn) {
    int64_t s, e;
    NEED_INPUTS(x, 1);
    if (!param_int(x, "start_axis", &s) || !param_int(x, "end_axis", &e))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, int, int))fn)(x->in[0], (int)s, (int)e);
    return RUN_DONE;
}

/* transpose, squeeze, flip, expand_dims: f(a, axes or NULL, naxes) */
static run_result run_with_axes(run_ctx *x, any_fn fn) {
    int axes[MX_MAX_NDIM];
    int n = param_ints(x, "axes", axes);
    NEED_INPUTS(x, 1);
    x->out[0] = ((mx_array(*)(mx_array, const int *, int))fn)(x->in[0], n < 0 ? NULL : axes, n < 0 ? 0 : n);
    return RUN_DONE;
}

static run_result run_swapaxes(run_ctx *x, any_fn fn) {
    int64_t a1, a2;
    NEED_INPUTS(x, 1);
    if (!param_int(x, "axis1", &a1) || !param_int(x, "axis2", &a2))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, int, int))fn)(x->in[0], (int)a1, (int)a2);
    return RUN_DONE;
}

/* concatenate, stack: f(arrays, n, axis) */
static run_result run_list(run_ctx *x, any_fn fn) {
    int64_t axis;
    if (!param_int(x, "axis", &axis))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(const mx_array *, int, int))fn)(x->in, x->c->ninputs, (int)axis);
    return RUN_DONE;
}

static run_result run_split(run_ctx *x, any_fn fn) {
    int64_t num, axis;
    NEED_INPUTS(x, 1);
    if (!param_int(x, "num", &num) || !param_int(x, "axis", &axis))
        return RUN_BAD_CASE;
    if (num > GOLDEN_MAX_OUTPUTS)
        return bad_case(x, "too many parts");
    x->returns_status = true;
    x->call_status = ((mx_status(*)(mx_array, int, int, mx_array *))fn)(x->in[0], (int)num, (int)axis, x->out);
    x->nout = x->call_status == MX_OK ? (int)num : 0;
    return RUN_DONE;
}

static run_result run_split_at(run_ctx *x, any_fn fn) {
    int64_t indices[GOLDEN_MAX_OUTPUTS], axis;
    int n = param_int64s(x, "indices", indices, GOLDEN_MAX_OUTPUTS - 1);
    NEED_INPUTS(x, 1);
    if (n < 0 || !param_int(x, "axis", &axis))
        return bad_case(x, "split_at needs indices and axis");
    x->returns_status = true;
    x->call_status =
        ((mx_status(*)(mx_array, const int64_t *, int, int, mx_array *))fn)(x->in[0], indices, n, (int)axis, x->out);
    x->nout = x->call_status == MX_OK ? n + 1 : 0;
    return RUN_DONE;
}

static run_result run_slice(run_ctx *x, any_fn fn) {
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], strides[MX_MAX_NDIM];
    int n = param_int64s(x, "start", start, MX_MAX_NDIM), n2 = param_int64s(x, "stop", stop, MX_MAX_NDIM);
    int n3 = param_int64s(x, "strides", strides, MX_MAX_NDIM);
    NEED_INPUTS(x, 1);
    if (n < 0 || n2 != n || (n3 >= 0 && n3 != n))
        return bad_case(x, "slice needs start and stop (and strides) of one length");
    x->out[0] = ((mx_array(*)(mx_array, const int64_t *, const int64_t *, const int64_t *, int))fn)(
        x->in[0], start, stop, n3 < 0 ? NULL : strides, n);
    return RUN_DONE;
}

/* take, take_along_axis: f(a, indices, axis) */
static run_result run_take(run_ctx *x, any_fn fn) {
    int64_t axis;
    NEED_INPUTS(x, 2);
    if (!param_int(x, "axis", &axis))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, mx_array, int))fn)(x->in[0], x->in[1], (int)axis);
    return RUN_DONE;
}

static run_result run_random_key(run_ctx *x, any_fn fn) {
    int64_t seed;
    if (!param_int(x, "seed", &seed))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(uint64_t))fn)((uint64_t)seed);
    return RUN_DONE;
}

static run_result run_random_split(run_ctx *x, any_fn fn) {
    int64_t num;
    NEED_INPUTS(x, 1);
    if (!param_int(x, "num", &num))
        return RUN_BAD_CASE;
    x->out[0] = ((mx_array(*)(mx_array, int))fn)(x->in[0], (int)num);
    return RUN_DONE;
}

static run_result run_random_bits(run_ctx *x, any_fn fn) {
    int64_t shape[MX_MAX_NDIM], width;
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    NEED_INPUTS(x, 1);
    if (ndim < 0 || !param_int(x, "width", &width))
        return bad_case(x, "random_bits needs shape and width");
    x->out[0] = ((mx_array(*)(const int64_t *, int, int, mx_array))fn)(shape, ndim, (int)width, x->in[0]);
    return RUN_DONE;
}

static run_result run_random_uniform(run_ctx *x, any_fn fn) {
    int64_t shape[MX_MAX_NDIM];
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    mx_dtype dtype;
    NEED_INPUTS(x, 3);
    if (ndim < 0 || !param_dtype(x, &dtype))
        return bad_case(x, "random_uniform needs shape and dtype");
    x->out[0] = ((mx_array(*)(mx_array, mx_array, const int64_t *, int, mx_dtype, mx_array))fn)(
        x->in[0], x->in[1], shape, ndim, dtype, x->in[2]);
    return RUN_DONE;
}

static run_result run_random_normal(run_ctx *x, any_fn fn) {
    int64_t shape[MX_MAX_NDIM];
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    mx_dtype dtype;
    double loc, scale;
    NEED_INPUTS(x, 1);
    if (ndim < 0 || !param_dtype(x, &dtype) || !param_double(x, "loc", &loc) || !param_double(x, "scale", &scale))
        return bad_case(x, "random_normal needs shape, dtype, loc, scale");
    x->out[0] = ((mx_array(*)(const int64_t *, int, mx_dtype, double, double, mx_array))fn)(shape, ndim, dtype, loc,
                                                                                            scale, x->in[0]);
    return RUN_DONE;
}

/* The global key: seed, then a sequence of draws with no key (see goldgen/random.py). */
static run_result run_random_seed(run_ctx *x, any_fn fn) {
    int64_t seed, shape[MX_MAX_NDIM];
    int calls[GOLDEN_MAX_OUTPUTS];
    int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
    const golden_param *p = golden_param_find(x->c, "calls");
    if (ndim < 0 || !p || p->count > GOLDEN_MAX_OUTPUTS || !param_int(x, "seed", &seed))
        return bad_case(x, "random_seed needs seed, calls, shape");
    ((void (*)(uint64_t))fn)((uint64_t)seed);
    for (int i = 0; i < p->count; i++) {
        calls[i] = (int)golden_param_int_at(p, i);
        if (calls[i] == 0) {
            mx_array lo = mx_scalar_f32(0.0f), hi = mx_scalar_f32(1.0f);
            x->out[i] = mx_random_uniform(lo, hi, shape, ndim, MX_FLOAT32, MX_NULL_ARRAY);
        } else if (calls[i] == 1) {
            x->out[i] = mx_random_normal(shape, ndim, MX_FLOAT32, 0.0, 1.0, MX_NULL_ARRAY);
        } else {
            x->out[i] = mx_random_bits(shape, ndim, 4, MX_NULL_ARRAY);
        }
        /* each draw must happen now, in order: evaluate before the next one */
        mx_eval1(x->out[i]);
    }
    x->nout = p->count;
    return RUN_DONE;
}

/* ---- the op table: every function of cmlx/ops.h and cmlx/random.h ---------------------- */

#define FN(f) ((any_fn)(f))
#define OP(f, kind)                                                                                                    \
    { #f + 3, kind, FN(f), NULL }
#define CUSTOM(f, runner)                                                                                              \
    { #f + 3, K_CUSTOM, FN(f), runner }

static const op_entry k_ops[] = {
    /* creation */
    OP(mx_zeros, K_SHAPE_DTYPE),
    OP(mx_ones, K_SHAPE_DTYPE),
    CUSTOM(mx_full, run_full),
    CUSTOM(mx_full_array, run_full_array),
    OP(mx_zeros_like, K_UNARY),
    OP(mx_ones_like, K_UNARY),
    CUSTOM(mx_full_like, run_full_like),
    CUSTOM(mx_arange, run_arange),
    CUSTOM(mx_linspace, run_linspace),
    CUSTOM(mx_eye, run_eye),
    CUSTOM(mx_identity, run_identity),
    /* dtype / copy */
    CUSTOM(mx_astype, run_astype),
    OP(mx_copy, K_UNARY),
    OP(mx_contiguous, K_UNARY),
    OP(mx_stop_gradient, K_UNARY),
    /* unary */
    OP(mx_abs, K_UNARY),
    OP(mx_negative, K_UNARY),
    OP(mx_positive, K_UNARY),
    OP(mx_sign, K_UNARY),
    OP(mx_sqrt, K_UNARY),
    OP(mx_rsqrt, K_UNARY),
    OP(mx_square, K_UNARY),
    OP(mx_reciprocal, K_UNARY),
    OP(mx_exp, K_UNARY),
    OP(mx_expm1, K_UNARY),
    OP(mx_log, K_UNARY),
    OP(mx_log1p, K_UNARY),
    OP(mx_log2, K_UNARY),
    OP(mx_log10, K_UNARY),
    OP(mx_sin, K_UNARY),
    OP(mx_cos, K_UNARY),
    OP(mx_tan, K_UNARY),
    OP(mx_arcsin, K_UNARY),
    OP(mx_arccos, K_UNARY),
    OP(mx_arctan, K_UNARY),
    OP(mx_sinh, K_UNARY),
    OP(mx_cosh, K_UNARY),
    OP(mx_tanh, K_UNARY),
    OP(mx_arcsinh, K_UNARY),
    OP(mx_arccosh, K_UNARY),
    OP(mx_arctanh, K_UNARY),
    OP(mx_sigmoid, K_UNARY),
    OP(mx_erf, K_UNARY),
    OP(mx_erfinv, K_UNARY),
    OP(mx_floor, K_UNARY),
    OP(mx_ceil, K_UNARY),
    CUSTOM(mx_round, run_round),
    OP(mx_logical_not, K_UNARY),
    OP(mx_bitwise_invert, K_UNARY),
    OP(mx_isnan, K_UNARY),
    OP(mx_isinf, K_UNARY),
    OP(mx_isfinite, K_UNARY),
    OP(mx_degrees, K_UNARY),
    OP(mx_radians, K_UNARY),
    /* binary */
    OP(mx_add, K_BINARY),
    OP(mx_subtract, K_BINARY),
    OP(mx_multiply, K_BINARY),
    OP(mx_divide, K_BINARY),
    OP(mx_floor_divide, K_BINARY),
    OP(mx_remainder, K_BINARY),
    OP(mx_power, K_BINARY),
    OP(mx_maximum, K_BINARY),
    OP(mx_minimum, K_BINARY),
    OP(mx_logaddexp, K_BINARY),
    OP(mx_arctan2, K_BINARY),
    OP(mx_equal, K_BINARY),
    OP(mx_not_equal, K_BINARY),
    OP(mx_greater, K_BINARY),
    OP(mx_greater_equal, K_BINARY),
    OP(mx_less, K_BINARY),
    OP(mx_less_equal, K_BINARY),
    OP(mx_logical_and, K_BINARY),
    OP(mx_logical_or, K_BINARY),
    OP(mx_bitwise_and, K_BINARY),
    OP(mx_bitwise_or, K_BINARY),
    OP(mx_bitwise_xor, K_BINARY),
    OP(mx_left_shift, K_BINARY),
    OP(mx_right_shift, K_BINARY),
    CUSTOM(mx_where, run_where),
    /* reductions */
    OP(mx_sum, K_REDUCE),
    OP(mx_sum_axis, K_REDUCE_AXIS),
    OP(mx_sum_axes, K_REDUCE_AXES),
    OP(mx_prod, K_REDUCE),
    OP(mx_prod_axis, K_REDUCE_AXIS),
    OP(mx_prod_axes, K_REDUCE_AXES),
    OP(mx_max, K_REDUCE),
    OP(mx_max_axis, K_REDUCE_AXIS),
    OP(mx_max_axes, K_REDUCE_AXES),
    OP(mx_min, K_REDUCE),
    OP(mx_min_axis, K_REDUCE_AXIS),
    OP(mx_min_axes, K_REDUCE_AXES),
    OP(mx_all, K_REDUCE),
    OP(mx_all_axis, K_REDUCE_AXIS),
    OP(mx_all_axes, K_REDUCE_AXES),
    OP(mx_any, K_REDUCE),
    OP(mx_any_axis, K_REDUCE_AXIS),
    OP(mx_any_axes, K_REDUCE_AXES),
    OP(mx_mean, K_REDUCE),
    OP(mx_mean_axis, K_REDUCE_AXIS),
    OP(mx_mean_axes, K_REDUCE_AXES),
    OP(mx_var, K_VAR),
    OP(mx_var_axis, K_VAR_AXIS),
    OP(mx_var_axes, K_VAR_AXES),
    OP(mx_std, K_VAR),
    OP(mx_std_axis, K_VAR_AXIS),
    OP(mx_std_axes, K_VAR_AXES),
    OP(mx_logsumexp, K_REDUCE),
    OP(mx_logsumexp_axis, K_REDUCE_AXIS),
    OP(mx_logsumexp_axes, K_REDUCE_AXES),
    OP(mx_argmax, K_REDUCE),
    OP(mx_argmax_axis, K_REDUCE_AXIS),
    OP(mx_argmin, K_REDUCE),
    OP(mx_argmin_axis, K_REDUCE_AXIS),
    OP(mx_softmax, K_SOFTMAX),
    OP(mx_softmax_axis, K_SOFTMAX_AXIS),
    OP(mx_softmax_axes, K_SOFTMAX_AXES),
    /* linear algebra */
    OP(mx_matmul, K_BINARY),
    /* shape */
    CUSTOM(mx_reshape, run_with_shape),
    CUSTOM(mx_flatten, run_flatten),
    CUSTOM(mx_transpose, run_with_axes),
    CUSTOM(mx_swapaxes, run_swapaxes),
    CUSTOM(mx_expand_dims, run_with_axes),
    CUSTOM(mx_squeeze, run_with_axes),
    CUSTOM(mx_broadcast_to, run_with_shape),
    CUSTOM(mx_concatenate, run_list),
    CUSTOM(mx_stack, run_list),
    CUSTOM(mx_split, run_split),
    CUSTOM(mx_split_at, run_split_at),
    CUSTOM(mx_slice, run_slice),
    CUSTOM(mx_flip, run_with_axes),
    /* indexing */
    CUSTOM(mx_take, run_take),
    OP(mx_take_flat, K_BINARY),
    CUSTOM(mx_take_along_axis, run_take),
    /* random */
    CUSTOM(mx_random_key, run_random_key),
    CUSTOM(mx_random_seed, run_random_seed),
    CUSTOM(mx_random_split, run_random_split),
    CUSTOM(mx_random_bits, run_random_bits),
    CUSTOM(mx_random_uniform, run_random_uniform),
    CUSTOM(mx_random_normal, run_random_normal),
};
#define NUM_OPS ((int)(sizeof k_ops / sizeof k_ops[0]))

static run_result call_op(run_ctx *x, const op_entry *e) {
    if (!e->fn)
        return RUN_UNAVAILABLE;
    x->nout = 1;
    int64_t v, ddof;
    int axes[MX_MAX_NDIM], naxes;
    mx_array a = x->in[0];
    switch (e->kind) {
    case K_CUSTOM: return e->run(x, e->fn);
    case K_SHAPE_DTYPE: {
        int64_t shape[MX_MAX_NDIM];
        int ndim = param_int64s(x, "shape", shape, MX_MAX_NDIM);
        mx_dtype dtype;
        if (ndim < 0 || !param_dtype(x, &dtype))
            return bad_case(x, "needs shape and dtype");
        x->out[0] = ((mx_array(*)(const int64_t *, int, mx_dtype))e->fn)(shape, ndim, dtype);
        return RUN_DONE;
    }
    case K_BINARY:
        NEED_INPUTS(x, 2);
        x->out[0] = ((binary_fn)e->fn)(a, x->in[1]);
        return RUN_DONE;
    default: break;
    }
    NEED_INPUTS(x, 1);
    if (e->kind == K_UNARY) {
        x->out[0] = ((unary_fn)e->fn)(a);
        return RUN_DONE;
    }
    bool var = e->kind == K_VAR || e->kind == K_VAR_AXIS || e->kind == K_VAR_AXES;
    bool softmax = e->kind == K_SOFTMAX || e->kind == K_SOFTMAX_AXIS || e->kind == K_SOFTMAX_AXES;
    int64_t flag; /* keepdims, or precise for softmax */
    if (!param_int(x, softmax ? "precise" : "keepdims", &flag) || (var && !param_int(x, "ddof", &ddof)))
        return RUN_BAD_CASE;
    bool f = flag != 0;
    switch (e->kind) {
    case K_REDUCE: x->out[0] = ((mx_array(*)(mx_array, bool))e->fn)(a, f); break;
    case K_SOFTMAX: x->out[0] = ((mx_array(*)(mx_array, bool))e->fn)(a, f); break;
    case K_VAR: x->out[0] = ((mx_array(*)(mx_array, bool, int))e->fn)(a, f, (int)ddof); break;
    case K_REDUCE_AXIS:
    case K_SOFTMAX_AXIS:
    case K_VAR_AXIS:
        if (!param_int(x, "axis", &v))
            return RUN_BAD_CASE;
        if (e->kind == K_VAR_AXIS)
            x->out[0] = ((mx_array(*)(mx_array, int, bool, int))e->fn)(a, (int)v, f, (int)ddof);
        else
            x->out[0] = ((mx_array(*)(mx_array, int, bool))e->fn)(a, (int)v, f);
        break;
    default: /* the _axes forms */
        naxes = param_ints(x, "axes", axes);
        if (naxes < 0)
            return bad_case(x, "missing axes");
        if (e->kind == K_VAR_AXES)
            x->out[0] = ((mx_array(*)(mx_array, const int *, int, bool, int))e->fn)(a, axes, naxes, f, (int)ddof);
        else
            x->out[0] = ((mx_array(*)(mx_array, const int *, int, bool))e->fn)(a, axes, naxes, f);
        break;
    }
    return RUN_DONE;
}

/* ---- building inputs and checking results ---------------------------------------------- */

static mx_array make_input(const golden_input *in, char *why, size_t cap) {
    const golden_array *g = &in->array;
    mx_array a = mx_array_from_data(g->data, g->shape, g->ndim, g->dtype);
    for (int i = 0; i < in->nviews && mx_is_valid(a); i++) {
        const golden_view *v = &in->views[i];
        if (v->kind == GOLDEN_VIEW_TRANSPOSE) {
            int perm[MX_MAX_NDIM];
            for (int k = 0; k < v->count && k < MX_MAX_NDIM; k++)
                perm[k] = (int)v->args[k];
            a = mx_transpose(a, perm, v->count);
        } else if (v->kind == GOLDEN_VIEW_SLICE) {
            int n = v->count / 3;
            a = mx_slice(a, v->args, v->args + n, v->args + 2 * n, n);
        } else {
            a = mx_broadcast_to(a, v->args, v->count);
        }
    }
    if (!mx_is_valid(a))
        snprintf(why, cap, "building the input failed: %s", mx_last_error());
    return a;
}

/* How many input elements each output element accumulates (for tolerances). */
static double accumulation_length(const run_ctx *x, golden_tol_class cls, const golden_array *want) {
    if (cls == TOL_SEQUENCE)
        return (double)want->size;
    if (x->c->ninputs == 0)
        return 1;
    int ndim = mx_ndim(x->in[0]);
    if (cls == TOL_MATMUL)
        return ndim > 0 ? (double)mx_dim(x->in[0], -1) : 1;
    if (cls == TOL_SOFTMAX) {
        int64_t v;
        int axes[MX_MAX_NDIM], naxes = param_ints((run_ctx *)x, "axes", axes);
        if (golden_param_int(x->c, "axis", &v))
            return ndim > 0 ? (double)mx_dim(x->in[0], (int)v) : 1;
        if (naxes < 0)
            return (double)mx_size(x->in[0]);
        double n = 1;
        for (int i = 0; i < naxes; i++)
            n *= (double)mx_dim(x->in[0], axes[i]);
        return n;
    }
    if (cls == TOL_SUM || cls == TOL_MEAN || cls == TOL_VAR || cls == TOL_STD || cls == TOL_LOGSUMEXP ||
        cls == TOL_PROD)
        return want->size > 0 ? (double)mx_size(x->in[0]) / (double)want->size : 1;
    return 1;
}

static bool shapes_equal(mx_array a, const golden_array *want) {
    if (mx_ndim(a) != want->ndim)
        return false;
    const int64_t *s = mx_shape(a);
    for (int i = 0; i < want->ndim; i++)
        if (s[i] != want->shape[i])
            return false;
    return true;
}

static void format_shape(char *buf, size_t cap, const int64_t *shape, int ndim) {
    size_t used = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < ndim && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%lld", i ? "," : "", (long long)shape[i]);
    if (used < cap)
        snprintf(buf + used, cap - used, ")");
}

static const char *status_label(int status) {
    return status == GOLDEN_STATUS_ANY ? "any error" : mx_status_name((mx_status)status);
}

/* Checks the outputs against the case; false with a message in why. */
static bool check_outputs(run_ctx *x, char *why, size_t cap) {
    const golden_case *c = x->c;
    mx_status got = x->returns_status ? x->call_status : mx_array_status(x->out[0]);
    if (c->status != MX_OK) {
        if (got == MX_OK && c->at_eval)
            got = mx_eval(x->out, x->nout); /* MLX also only failed when evaluating */
        if (got == MX_OK) {
            snprintf(why, cap, "expected %s, got a valid result", status_label(c->status));
            return false;
        }
        if (c->status != GOLDEN_STATUS_ANY && (int)got != c->status) {
            snprintf(why, cap, "expected %s, got %s: %s", status_label(c->status), mx_status_name(got),
                     mx_last_error());
            return false;
        }
        return true;
    }
    if (got != MX_OK) {
        snprintf(why, cap, "unexpected %s: %s", mx_status_name(got), mx_last_error());
        return false;
    }
    if (x->nout != c->noutputs) {
        snprintf(why, cap, "%d outputs, MLX gives %d", x->nout, c->noutputs);
        return false;
    }
    for (int i = 0; i < c->noutputs; i++) {
        const golden_array *want = &c->outputs[i];
        mx_array out = x->out[i];
        if (mx_array_status(out) != MX_OK || mx_eval1(out) != MX_OK) {
            snprintf(why, cap, "output %d: %s", i, mx_last_error());
            return false;
        }
        if (mx_array_dtype(out) != want->dtype || !shapes_equal(out, want)) {
            char sg[128] = "?", sw[128];
            if (mx_ndim(out) >= 0)
                format_shape(sg, sizeof sg, mx_shape(out), mx_ndim(out));
            format_shape(sw, sizeof sw, want->shape, want->ndim);
            snprintf(why, cap, "output %d: got %s %s, want %s %s", i, mx_dtype_name(mx_array_dtype(out)), sg,
                     mx_dtype_name(want->dtype), sw);
            return false;
        }
        const void *data = want->size ? mx_data(out) : NULL;
        if (want->size && !data) {
            snprintf(why, cap, "output %d: no data: %s", i, mx_last_error());
            return false;
        }
        golden_tolerance tol = golden_tolerance_for(c, want, accumulation_length(x, golden_tol_class_of(c->op), want));
        char msg[256];
        if (want->size && !golden_compare(want, data, tol, msg, sizeof msg)) {
            snprintf(why, cap, "output %d: %s", i, msg);
            return false;
        }
    }
    return true;
}

typedef enum { CASE_PASS, CASE_FAIL, CASE_NOT_RUN } case_outcome;

static case_outcome run_case(const golden_case *c, const op_entry *e, char *why, size_t cap) {
    run_ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    mx_scope scope = mx_scope_begin();
    case_outcome outcome = CASE_FAIL;
    for (int i = 0; i < c->ninputs; i++) {
        x.in[i] = make_input(&c->inputs[i], why, cap);
        if (!mx_is_valid(x.in[i]))
            goto done;
    }
    mx_clear_error();
    switch (call_op(&x, e)) {
    case RUN_UNAVAILABLE: outcome = CASE_NOT_RUN; goto done;
    case RUN_BAD_CASE: snprintf(why, cap, "malformed case: %s", x.why); goto done;
    case RUN_DONE: break;
    }
    outcome = check_outputs(&x, why, cap) ? CASE_PASS : CASE_FAIL;
done:
    mx_scope_end(scope);
    return outcome;
}

/* ---- coverage table and main ------------------------------------------------------------ */

#define NUM_COLUMNS (MX_DTYPE_COUNT + 1) /* the last column: cases without a dtype */

typedef struct cell {
    int pass, fail, not_run;
} cell;

static cell g_table[NUM_OPS][NUM_COLUMNS];
static int g_cases_of_op[NUM_OPS];
static int g_failures_shown[NUM_OPS];
static int g_max_failures_shown = 8; /* per op; CMLX_GOLDEN_VERBOSE=1 shows all */

static int find_op(const char *name) {
    for (int i = 0; i < NUM_OPS; i++)
        if (strcmp(k_ops[i].name, name) == 0)
            return i;
    return -1;
}

static const char *k_column_names[NUM_COLUMNS] = {"bool", "u8",  "u16", "u32", "u64",  "i8",  "i16", "i32",
                                                  "i64",  "f16", "f32", "f64", "bf16", "c64", "-"};

static void print_table(void) {
    printf("\ncoverage (ok: all pass, F<n>: n failed, .: not run (op missing), blank: no case)\n");
    printf("%-20s", "op");
    for (int j = 0; j < NUM_COLUMNS; j++)
        printf("%5s", k_column_names[j]);
    printf("\n");
    for (int i = 0; i < NUM_OPS; i++) {
        printf("%-20s", k_ops[i].name);
        for (int j = 0; j < NUM_COLUMNS; j++) {
            const cell *t = &g_table[i][j];
            char s[16] = "";
            if (t->fail)
                snprintf(s, sizeof s, "F%d", t->fail);
            else if (t->not_run)
                snprintf(s, sizeof s, ".");
            else if (t->pass)
                snprintf(s, sizeof s, "ok");
            printf("%5s", s);
        }
        printf("%s\n", g_cases_of_op[i] ? "" : "  NO FIXTURES");
    }
}

/* Runs every case of one fixture file; returns false if the file is unusable. */
static bool run_file(const char *dir, const char *name, long expected, int *failed_files) {
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    golden_file f;
    if (!golden_file_open(&f, path, err, sizeof err)) {
        printf("FAIL %s: %s\n", name, err);
        (*failed_files)++;
        return false;
    }
    if ((long)f.count != expected) {
        printf("FAIL %s: %u cases, MANIFEST says %ld\n", name, f.count, expected);
        (*failed_files)++;
    }
    static golden_case c; /* large: keep it off the stack */
    int r;
    while ((r = golden_file_next(&f, &c, err, sizeof err)) == 1) {
        int op = find_op(c.op);
        if (op < 0) {
            printf("FAIL %s: case '%s' names unknown op '%s'\n", name, c.label, c.op);
            (*failed_files)++;
            continue;
        }
        int col = c.column == GOLDEN_NO_COLUMN ? MX_DTYPE_COUNT : c.column;
        char why[768] = "";
        case_outcome o = run_case(&c, &k_ops[op], why, sizeof why);
        cell *t = &g_table[op][col];
        g_cases_of_op[op]++;
        if (o == CASE_PASS) {
            t->pass++;
        } else if (o == CASE_NOT_RUN) {
            t->not_run++;
        } else {
            t->fail++;
            if (g_failures_shown[op]++ < g_max_failures_shown)
                printf("FAIL %s [%s]: %s\n", c.op, c.label, why);
        }
    }
    if (r < 0) {
        printf("FAIL %s: malformed fixture: %s\n", name, err);
        (*failed_files)++;
    }
    golden_file_close(&f);
    return r == 0;
}

int main(void) {
    const char *dir = getenv("CMLX_FIXTURES");
    const char *verbose_env = getenv("CMLX_GOLDEN_VERBOSE");
    if (verbose_env && strcmp(verbose_env, "0") != 0)
        g_max_failures_shown = 1 << 30;
    if (!dir || !*dir) {
        printf(
            "CMLX_FIXTURES is not set (ctest sets it; or run tests/golden/gen_fixtures.py DIR)\n0 passed, 1 failed\n");
        return 1;
    }
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    FILE *manifest = fopen(path, "r");
    if (!manifest) {
        printf("cannot open %s: run tests/golden/gen_fixtures.py %s\n0 passed, 1 failed\n", path, dir);
        return 1;
    }
    int failed_files = 0;
    while (fgets(line, sizeof line, manifest)) {
        char name[256];
        long count;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "%255s %ld", name, &count) != 2) {
            printf("FAIL MANIFEST: bad line '%s'\n", line);
            failed_files++;
            continue;
        }
        run_file(dir, name, count, &failed_files);
    }
    fclose(manifest);

    print_table();
    int passed = 0, failed = failed_files, not_run = 0, missing_ops = 0;
    for (int i = 0; i < NUM_OPS; i++) {
        for (int j = 0; j < NUM_COLUMNS; j++) {
            passed += g_table[i][j].pass;
            failed += g_table[i][j].fail;
            not_run += g_table[i][j].not_run;
        }
        if (!g_cases_of_op[i]) {
            printf("FAIL %s: no fixture cases\n", k_ops[i].name);
            failed++;
        }
        if (!k_ops[i].fn)
            missing_ops++;
    }
    if (not_run) {
        printf("%d cases not run: %d ops are missing from this build (counted as failures)\n", not_run,
               missing_ops);
        failed += not_run;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
