/* tests/c/test_vmap.c - mx_vmap and the vmap rule of every op.
 *
 * The definition is the test: vmap(f, in_axes, out_axes)(x...) must equal,
 * element for element and bit for bit, f applied to each example (the
 * inputs sliced along their mapped axes) with the results stacked along
 * out_axes. Each op is run with the batch on several axes (first, middle,
 * last), with unmapped operands, and with several output axes. Inputs are
 * small integers or exactly representable fractions, so sums and products
 * are exact in any order and the batched kernels must agree exactly. */
#include <stdlib.h>

#include "check.h"
#include "cmlx/random.h"
#include "cmlx/transforms.h"

/* ---- inputs ---------------------------------------------------------------------------- */

enum domain {
    SMALL_INTS, /* -4 .. 4 */
    FRACTIONS,  /* 1/16 .. 15/16: inside every inverse trig domain */
    POSITIVE,   /* 1 .. 9 */
    SPECIALS,   /* integers mixed with nan, inf, -inf */
};

static double value_at(enum domain d, unsigned i) {
    unsigned h = (i * 2654435761u) >> 7;
    switch (d) {
    case SMALL_INTS: return (double)((int)(h % 9) - 4);
    case FRACTIONS: return (double)(h % 15 + 1) / 16.0;
    case POSITIVE: return (double)(h % 9 + 1);
    case SPECIALS: {
        const double s[5] = {NAN, INFINITY, -INFINITY, 2.0, -3.0};
        return s[h % 5];
    }
    }
    return 0;
}

/* An input of one example's `shape` with a batch of `batch` inserted at
 * `axis` (-1: no batch), filled from the domain (offset by seed). */
static mx_array make_input(const int64_t *shape, int ndim, int axis, int64_t batch, mx_dtype dtype, enum domain d,
                           unsigned seed) {
    int64_t full[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0; i <= ndim; i++) {
        if (i == axis)
            full[nd++] = batch;
        if (i < ndim)
            full[nd++] = shape[i];
    }
    int64_t size = 1;
    for (int i = 0; i < nd; i++)
        size *= full[i];
    double *v = malloc(sizeof(double) * (size_t)(size ? size : 1));
    for (int64_t i = 0; i < size; i++)
        v[i] = value_at(d, (unsigned)i + seed * 977u);
    mx_array f64 = mx_array_from_data(v, full, nd, MX_FLOAT64);
    free(v);
    mx_array out = mx_astype(f64, dtype);
    mx_free(f64);
    return out;
}

/* ---- comparing ------------------------------------------------------------------------- */

/* 0: bit-exact. Functions that sum values which are not exactly
 * representable (var, std, the mean of a softmax) get a relative tolerance
 * of a few float32 ulps: the batched reduction walks another memory layout
 * and may add in another order, as a reduction over a strided view would. */
static double g_rtol;
static int g_cases; /* outputs compared, reported at the end */

static bool close_enough(const char *what, mx_array got, mx_array want) {
    mx_array g64 = mx_astype(got, MX_FLOAT64), w64 = mx_astype(want, MX_FLOAT64);
    const double *g = mx_data_f64(g64), *w = mx_data_f64(w64);
    bool ok = g && w;
    for (int64_t i = 0; ok && i < mx_size(got); i++) {
        ok = (isnan(g[i]) && isnan(w[i])) || g[i] == w[i] || fabs(g[i] - w[i]) <= g_rtol * fabs(w[i]);
        if (!ok)
            fprintf(stderr, "  %s: element %lld differs beyond rtol %g (%.9g vs %.9g)\n", what, (long long)i, g_rtol,
                    g[i], w[i]);
    }
    mx_free_n((mx_array[]){g64, w64}, 2);
    return ok;
}

static bool same_array(const char *what, mx_array got, mx_array want) {
    if (mx_array_status(got) != MX_OK || mx_array_status(want) != MX_OK) {
        fprintf(stderr, "  %s: error arrays (got: %s / want: %s)\n", what,
                mx_array_error(got) ? mx_array_error(got) : "ok", mx_array_error(want) ? mx_array_error(want) : "ok");
        return false;
    }
    int nd = mx_ndim(got);
    bool shape_ok = nd == mx_ndim(want);
    for (int i = 0; shape_ok && i < nd; i++)
        shape_ok = mx_shape(got)[i] == mx_shape(want)[i];
    if (!shape_ok || mx_array_dtype(got) != mx_array_dtype(want)) {
        fprintf(stderr, "  %s: got shape/dtype (", what);
        for (int i = 0; i < nd; i++)
            fprintf(stderr, "%lld,", (long long)mx_shape(got)[i]);
        fprintf(stderr, ") %s, want (", mx_dtype_name(mx_array_dtype(got)));
        for (int i = 0; i < mx_ndim(want); i++)
            fprintf(stderr, "%lld,", (long long)mx_shape(want)[i]);
        fprintf(stderr, ") %s\n", mx_dtype_name(mx_array_dtype(want)));
        return false;
    }
    const unsigned char *g = mx_data(got), *w = mx_data(want);
    if (!g || !w) {
        fprintf(stderr, "  %s: evaluation failed: %s\n", what, mx_last_error());
        return false;
    }
    if (g_rtol > 0 && mx_dtype_is_float(mx_array_dtype(got)))
        return close_enough(what, got, want);
    size_t item = mx_itemsize(got);
    for (int64_t i = 0; i < mx_size(got); i++) {
        if (memcmp(g + i * item, w + i * item, item) != 0) {
            double gv = 0, wv = 0;
            mx_dtype dt = mx_array_dtype(got);
            if (dt == MX_FLOAT32) {
                gv = ((const float *)g)[i];
                wv = ((const float *)w)[i];
            } else if (dt == MX_FLOAT64) {
                gv = ((const double *)g)[i];
                wv = ((const double *)w)[i];
            }
            fprintf(stderr, "  %s: element %lld differs (%s: %.9g vs %.9g)\n", what, (long long)i, mx_dtype_name(dt),
                    gv, wv);
            return false;
        }
    }
    return true;
}

/* Example i of x along axis: a slice and a squeeze. */
static mx_array example_of(mx_array x, int axis, int64_t i) {
    int nd = mx_ndim(x);
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM];
    for (int d = 0; d < nd; d++) {
        start[d] = d == axis ? i : 0;
        stop[d] = d == axis ? i + 1 : mx_shape(x)[d];
    }
    mx_array s = mx_slice(x, start, stop, NULL, nd);
    mx_array out = mx_squeeze(s, &axis, 1);
    mx_free(s);
    return out;
}

/* vmap(f, in_axes, out_axes)(in) against stacking f over the examples. */
static void check_vmap(const char *what, mx_closure f, const mx_array *in, int n, const int *in_axes,
                       const int *out_axes, int n_out_axes) {
    mx_scope scope = mx_scope_begin();
    int64_t batch = -1;
    for (int i = 0; i < n; i++)
        if (in_axes[i] >= 0)
            batch = mx_shape(in[i])[in_axes[i]];
    mx_closure vf = mx_vmap(f, in_axes, n, out_axes, n_out_axes);
    CHECK(vf != NULL);
    mx_array_list got = {0};
    mx_status st = mx_closure_apply(vf, in, n, &got);
    if (st != MX_OK) {
        fprintf(stderr, "  %s: vmap failed: %s\n", what, mx_last_error());
        CHECK_OK(st);
    }
    /* the reference: f on each example */
    mx_array_list *per = calloc((size_t)batch, sizeof *per);
    mx_array ex[8];
    for (int64_t b = 0; st == MX_OK && b < batch; b++) {
        for (int i = 0; i < n; i++)
            ex[i] = in_axes[i] >= 0 ? example_of(in[i], in_axes[i], b) : in[i];
        CHECK_OK(mx_closure_apply(f, ex, n, &per[b]));
        CHECK_EQ_INT(per[b].count, got.count);
    }
    for (int k = 0; st == MX_OK && k < got.count && !g_checks_failed_in_test; k++) {
        mx_array *parts = malloc(sizeof(mx_array) * (size_t)batch);
        for (int64_t b = 0; b < batch; b++)
            parts[b] = per[b].items[k];
        int ax = n_out_axes ? out_axes[k] : 0;
        int nd = mx_ndim(parts[0]) + 1;
        mx_array want = mx_stack(parts, (int)batch, ax < 0 ? ax + nd : ax);
        char label[256];
        snprintf(label, sizeof label, "%s (output %d)", what, k);
        if (!same_array(label, got.items[k], want))
            g_checks_failed_in_test++;
        g_cases++;
        free(parts);
    }
    for (int64_t b = 0; b < batch; b++)
        mx_array_list_clear(&per[b]);
    free(per);
    mx_array_list_clear(&got);
    mx_closure_free(vf);
    mx_scope_end(scope);
}

/* ---- closures over one op ---------------------------------------------------------------------- */

typedef struct unary_case {
    const char *name;
    mx_array (*fn)(mx_array);
    enum domain domain;
    mx_dtype dtype;
} unary_case;

static mx_status apply_unary(void *p, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    return mx_array_list_push(out, ((const unary_case *)p)->fn(in[0]));
}

typedef struct binary_case {
    const char *name;
    mx_array (*fn)(mx_array, mx_array);
    enum domain da, db;
    mx_dtype dtype;
} binary_case;

static mx_status apply_binary(void *p, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    return mx_array_list_push(out, ((const binary_case *)p)->fn(in[0], in[1]));
}

/* An op with arguments: a function of the inputs and an int parameter. */
typedef mx_array (*param_fn)(const mx_array *in, int param);
typedef struct param_case {
    const char *name;
    param_fn fn;
    int param;
} param_case;

static mx_status apply_param(void *p, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    const param_case *c = p;
    return mx_array_list_push(out, c->fn(in, c->param));
}

/* in_axes / out_axes combinations every one-input op is run with: batch
 * first, in the middle, last, and moved elsewhere in the output. */
static const int k_one_input_axes[][2] = {{0, 0}, {1, -1}, {2, 1}, {0, 2}};

static void check_one_input(const char *name, mx_closure f, const int64_t *shape, int ndim, mx_dtype dtype,
                            enum domain d) {
    for (size_t c = 0; c < sizeof k_one_input_axes / sizeof k_one_input_axes[0]; c++) {
        int in_axis = k_one_input_axes[c][0], out_axis = k_one_input_axes[c][1];
        if (in_axis > ndim)
            continue;
        mx_array x = make_input(shape, ndim, in_axis, 3, dtype, d, (unsigned)c);
        char what[128];
        snprintf(what, sizeof what, "%s in_axes=%d out_axes=%d", name, in_axis, out_axis);
        /* an out axis beyond the output's rank is an error case, tested elsewhere */
        mx_array_list probe = {0};
        mx_array ex = example_of(x, in_axis, 0);
        bool ok = mx_closure_apply(f, &ex, 1, &probe) == MX_OK;
        int out_nd = ok ? mx_ndim(probe.items[0]) + 1 : 0;
        mx_array_list_clear(&probe);
        mx_free(ex);
        CHECK(ok);
        if (ok && out_axis < out_nd && out_axis >= -out_nd)
            check_vmap(what, f, &x, 1, &in_axis, &out_axis, 1);
        mx_free(x);
    }
}

/* ---- element-wise ---------------------------------------------------------------------------------- */

static mx_array round2(mx_array a) { return mx_round(a, 2); }

static void test_unary_ops(void) {
    static const unary_case cases[] = {
        {"abs", mx_abs, SMALL_INTS, MX_FLOAT32},
        {"negative", mx_negative, SMALL_INTS, MX_INT32},
        {"positive", mx_positive, SMALL_INTS, MX_FLOAT32},
        {"sign", mx_sign, SMALL_INTS, MX_FLOAT32},
        {"sqrt", mx_sqrt, POSITIVE, MX_FLOAT32},
        {"rsqrt", mx_rsqrt, POSITIVE, MX_FLOAT32},
        {"square", mx_square, SMALL_INTS, MX_INT32},
        {"reciprocal", mx_reciprocal, POSITIVE, MX_FLOAT32},
        {"exp", mx_exp, SMALL_INTS, MX_FLOAT32},
        {"expm1", mx_expm1, SMALL_INTS, MX_FLOAT32},
        {"log", mx_log, POSITIVE, MX_FLOAT32},
        {"log1p", mx_log1p, POSITIVE, MX_FLOAT32},
        {"log2", mx_log2, POSITIVE, MX_FLOAT32},
        {"log10", mx_log10, POSITIVE, MX_FLOAT32},
        {"sin", mx_sin, SMALL_INTS, MX_FLOAT32},
        {"cos", mx_cos, SMALL_INTS, MX_FLOAT32},
        {"tan", mx_tan, FRACTIONS, MX_FLOAT32},
        {"arcsin", mx_arcsin, FRACTIONS, MX_FLOAT32},
        {"arccos", mx_arccos, FRACTIONS, MX_FLOAT32},
        {"arctan", mx_arctan, SMALL_INTS, MX_FLOAT32},
        {"sinh", mx_sinh, SMALL_INTS, MX_FLOAT32},
        {"cosh", mx_cosh, SMALL_INTS, MX_FLOAT32},
        {"tanh", mx_tanh, SMALL_INTS, MX_FLOAT32},
        {"arcsinh", mx_arcsinh, SMALL_INTS, MX_FLOAT32},
        {"arccosh", mx_arccosh, POSITIVE, MX_FLOAT32},
        {"arctanh", mx_arctanh, FRACTIONS, MX_FLOAT32},
        {"sigmoid", mx_sigmoid, SMALL_INTS, MX_FLOAT32},
        {"erf", mx_erf, FRACTIONS, MX_FLOAT32},
        {"erfinv", mx_erfinv, FRACTIONS, MX_FLOAT32},
        {"floor", mx_floor, FRACTIONS, MX_FLOAT32},
        {"ceil", mx_ceil, FRACTIONS, MX_FLOAT32},
        {"round", round2, FRACTIONS, MX_FLOAT32},
        {"logical_not", mx_logical_not, SMALL_INTS, MX_INT32},
        {"bitwise_invert", mx_bitwise_invert, SMALL_INTS, MX_INT16},
        {"isnan", mx_isnan, SPECIALS, MX_FLOAT32},
        {"isinf", mx_isinf, SPECIALS, MX_FLOAT32},
        {"isfinite", mx_isfinite, SPECIALS, MX_FLOAT32},
        {"degrees", mx_degrees, SMALL_INTS, MX_FLOAT32},
        {"radians", mx_radians, SMALL_INTS, MX_FLOAT32},
        {"exp of float16", mx_exp, SMALL_INTS, MX_FLOAT16},
        {"sqrt of int32 (a cast first)", mx_sqrt, POSITIVE, MX_INT32},
        {"sin of float64", mx_sin, SMALL_INTS, MX_FLOAT64},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_unary, (void *)&cases[i], NULL);
        check_one_input(cases[i].name, f, SHAPE(4, 5), cases[i].dtype, cases[i].domain);
        mx_closure_free(f);
    }
}

static void test_casts(void) {
    static const unary_case cases[] = {
        {"copy", mx_copy, SMALL_INTS, MX_FLOAT32},
        {"contiguous", mx_contiguous, SMALL_INTS, MX_INT64},
        {"stop_gradient", mx_stop_gradient, SMALL_INTS, MX_FLOAT32},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_unary, (void *)&cases[i], NULL);
        check_one_input(cases[i].name, f, SHAPE(4, 5), cases[i].dtype, cases[i].domain);
        mx_closure_free(f);
    }
}

static mx_array astype_param(const mx_array *in, int dtype) { return mx_astype(in[0], (mx_dtype)dtype); }

static void test_astype(void) {
    const param_case cases[] = {{"astype int32", astype_param, MX_INT32},
                                {"astype bool", astype_param, MX_BOOL},
                                {"astype float16", astype_param, MX_FLOAT16}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        check_one_input(cases[i].name, f, SHAPE(3, 4), MX_FLOAT32, SMALL_INTS);
        mx_closure_free(f);
    }
}

/* Binary ops: a is one example of shape (4, 5), b of shape (5,) (so the op
 * broadcasts), with the batch of each on any axis or on none. */
static void test_binary_ops(void) {
    static const binary_case cases[] = {
        {"add", mx_add, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"subtract", mx_subtract, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"multiply", mx_multiply, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"divide", mx_divide, SMALL_INTS, POSITIVE, MX_FLOAT32},
        {"floor_divide", mx_floor_divide, SMALL_INTS, POSITIVE, MX_INT32},
        {"remainder", mx_remainder, SMALL_INTS, POSITIVE, MX_FLOAT32},
        {"power", mx_power, POSITIVE, FRACTIONS, MX_FLOAT32},
        {"maximum", mx_maximum, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"minimum", mx_minimum, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"logaddexp", mx_logaddexp, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"arctan2", mx_arctan2, SMALL_INTS, POSITIVE, MX_FLOAT32},
        {"equal", mx_equal, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"not_equal", mx_not_equal, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"greater", mx_greater, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"greater_equal", mx_greater_equal, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"less", mx_less, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"less_equal", mx_less_equal, SMALL_INTS, SMALL_INTS, MX_FLOAT32},
        {"logical_and", mx_logical_and, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"logical_or", mx_logical_or, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"bitwise_and", mx_bitwise_and, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"bitwise_or", mx_bitwise_or, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"bitwise_xor", mx_bitwise_xor, SMALL_INTS, SMALL_INTS, MX_INT32},
        {"left_shift", mx_left_shift, POSITIVE, POSITIVE, MX_INT32},
        {"right_shift", mx_right_shift, POSITIVE, POSITIVE, MX_INT32},
    };
    /* (in_axes of a, of b, out_axes) */
    static const int axes[][3] = {{0, 0, 0}, {1, 0, -1}, {2, 1, 0}, {-1, 0, 1}, {0, -1, 2}, {2, -1, 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_binary, (void *)&cases[i], NULL);
        for (size_t c = 0; c < sizeof axes / sizeof axes[0]; c++) {
            mx_array in[2] = {make_input(SHAPE(4, 5), axes[c][0], 3, cases[i].dtype, cases[i].da, 1),
                              make_input(SHAPE(5), axes[c][1], 3, cases[i].dtype, cases[i].db, 2)};
            char what[128];
            snprintf(what, sizeof what, "%s in_axes=(%d,%d) out_axes=%d", cases[i].name, axes[c][0], axes[c][1],
                     axes[c][2]);
            check_vmap(what, f, in, 2, axes[c], &axes[c][2], 1);
            mx_free_n(in, 2);
        }
        mx_closure_free(f);
    }
}

static mx_array where3(const mx_array *in, int unused) {
    (void)unused;
    mx_array cond = mx_greater(in[0], in[1]);
    mx_array out = mx_where(cond, in[1], in[2]);
    mx_free(cond);
    return out;
}

static void test_where(void) {
    param_case c = {"where", where3, 0};
    mx_closure f = mx_closure_new(apply_param, &c, NULL);
    static const int axes[][4] = {{0, 0, 0, 0}, {1, -1, 0, 1}, {-1, 0, -1, 0}, {2, 1, -1, -1}};
    for (size_t k = 0; k < sizeof axes / sizeof axes[0]; k++) {
        mx_array in[3] = {make_input(SHAPE(4, 5), axes[k][0], 3, MX_FLOAT32, SMALL_INTS, 1),
                          make_input(SHAPE(5), axes[k][1] > 1 ? 1 : axes[k][1], 3, MX_FLOAT32, SMALL_INTS, 2),
                          make_input(SHAPE(4, 1), axes[k][2], 3, MX_INT32, SMALL_INTS, 3)};
        int in_axes[3] = {axes[k][0], axes[k][1] > 1 ? 1 : axes[k][1], axes[k][2]};
        char what[64];
        snprintf(what, sizeof what, "where case %zu", k);
        check_vmap(what, f, in, 3, in_axes, &axes[k][3], 1);
        mx_free_n(in, 3);
    }
    mx_closure_free(f);
}

/* ---- reductions ---------------------------------------------------------------------------------- */

static mx_array sum_ax(const mx_array *in, int ax) { return mx_sum_axis(in[0], ax, false); }
static mx_array sum_all(const mx_array *in, int keep) { return mx_sum(in[0], keep != 0); }
static mx_array sum_two(const mx_array *in, int keep) { return mx_sum_axes(in[0], (const int[]){0, 2}, 2, keep != 0); }
static mx_array prod_ax(const mx_array *in, int ax) { return mx_prod_axis(in[0], ax, true); }
static mx_array max_ax(const mx_array *in, int ax) { return mx_max_axis(in[0], ax, false); }
static mx_array min_all(const mx_array *in, int keep) { return mx_min(in[0], keep != 0); }
static mx_array all_ax(const mx_array *in, int ax) { return mx_all_axis(in[0], ax, false); }
static mx_array any_ax(const mx_array *in, int ax) { return mx_any_axis(in[0], ax, true); }
static mx_array mean_ax(const mx_array *in, int ax) { return mx_mean_axis(in[0], ax, false); }
static mx_array var_ax(const mx_array *in, int ddof) { return mx_var_axis(in[0], 1, false, ddof); }
static mx_array std_all(const mx_array *in, int ddof) { return mx_std(in[0], true, ddof); }
static mx_array lse_ax(const mx_array *in, int ax) { return mx_logsumexp_axis(in[0], ax, false); }
static mx_array argmax_ax(const mx_array *in, int ax) { return mx_argmax_axis(in[0], ax, false); }
static mx_array argmin_ax(const mx_array *in, int ax) { return mx_argmin_axis(in[0], ax, true); }
static mx_array argmax_flat(const mx_array *in, int keep) { return mx_argmax(in[0], keep != 0); }
static mx_array softmax_ax(const mx_array *in, int ax) { return mx_softmax_axis(in[0], ax, false); }
static mx_array softmax_all(const mx_array *in, int precise) { return mx_softmax(in[0], precise != 0); }
static mx_array softmax_two(const mx_array *in, int precise) {
    return mx_softmax_axes(in[0], (const int[]){0, 2}, 2, precise != 0);
}

static void test_reductions(void) {
    const param_case cases[] = {
        {"sum axis 0", sum_ax, 0},
        {"sum axis -1", sum_ax, -1},
        {"sum all", sum_all, 0},
        {"sum all keepdims", sum_all, 1},
        {"sum axes 0,2", sum_two, 0},
        {"sum axes 0,2 keep", sum_two, 1},
        {"prod axis 1", prod_ax, 1},
        {"max axis 2", max_ax, 2},
        {"min all", min_all, 0},
        {"all axis 0", all_ax, 0},
        {"any axis 1", any_ax, 1},
        {"mean axis 1", mean_ax, 1},
        {"mean axis 0", mean_ax, 0},
        {"var ddof 0", var_ax, 0},
        {"var ddof 1", var_ax, 1},
        {"std all ddof 1", std_all, 1},
        {"logsumexp axis 2", lse_ax, 2},
        {"logsumexp axis 0", lse_ax, 0},
        {"argmax axis 0", argmax_ax, 0},
        {"argmax axis 2", argmax_ax, 2},
        {"argmin axis 1", argmin_ax, 1},
        {"argmax flat", argmax_flat, 0},
        {"argmax flat keep", argmax_flat, 1},
        {"softmax axis -1", softmax_ax, -1},
        {"softmax axis 0", softmax_ax, 0},
        {"softmax all", softmax_all, 0},
        {"softmax all precise", softmax_all, 1},
        {"softmax axes 0,2", softmax_two, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        /* var/std sum squared deviations from an inexact mean */
        g_rtol = cases[i].fn == var_ax || cases[i].fn == std_all ? 1e-6 : 0;
        check_one_input(cases[i].name, f, SHAPE(2, 3, 4), MX_FLOAT32, SMALL_INTS);
        g_rtol = 0;
        mx_closure_free(f);
    }
    /* integer sums widen; float16 softmax */
    param_case isum = {"sum of int8", sum_ax, 1};
    mx_closure f = mx_closure_new(apply_param, &isum, NULL);
    check_one_input(isum.name, f, SHAPE(2, 3, 4), MX_INT8, SMALL_INTS);
    mx_closure_free(f);
    param_case hsm = {"softmax of float16", softmax_ax, -1};
    f = mx_closure_new(apply_param, &hsm, NULL);
    check_one_input(hsm.name, f, SHAPE(2, 3, 4), MX_FLOAT16, SMALL_INTS);
    mx_closure_free(f);
}

/* ---- shapes ---------------------------------------------------------------------------------------- */

static mx_array reshape_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_reshape(in[0], (const int64_t[]){4, -1}, 2);
}
static mx_array flatten_p(const mx_array *in, int start) { return mx_flatten(in[0], start, -1); }
static mx_array transpose_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_transpose(in[0], (const int[]){2, 0, 1}, 3);
}
static mx_array transpose_rev(const mx_array *in, int unused) {
    (void)unused;
    return mx_transpose(in[0], NULL, 0);
}
static mx_array swapaxes_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_swapaxes(in[0], 0, 2);
}
static mx_array expand_p(const mx_array *in, int ax) { return mx_expand_dims(in[0], &ax, 1); }
static mx_array squeeze_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_squeeze(in[0], NULL, 0);
}
static mx_array broadcast_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_broadcast_to(in[0], (const int64_t[]){5, 2, 3, 4}, 4);
}
static mx_array slice_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_slice(in[0], (const int64_t[]){1, -1, 0}, (const int64_t[]){2, -4, 4}, (const int64_t[]){1, -1, 2}, 3);
}
static mx_array flip_p(const mx_array *in, int ax) { return mx_flip(in[0], &ax, 1); }
static mx_array split_p(const mx_array *in, int ax) {
    mx_array parts[2];
    if (mx_split(in[0], 2, ax, parts) != MX_OK)
        return mx_reshape(in[0], (const int64_t[]){999}, 1); /* an error array */
    mx_array out = mx_subtract(parts[0], parts[1]);
    mx_free_n(parts, 2);
    return out;
}
static mx_array self_concat(const mx_array *in, int ax) {
    mx_array parts[3] = {in[0], in[0], in[0]};
    return mx_concatenate(parts, 3, ax);
}

static void test_shape_ops(void) {
    const param_case cases[] = {
        {"reshape", reshape_p, 0},
        {"flatten", flatten_p, 0},
        {"flatten from 1", flatten_p, 1},
        {"transpose", transpose_p, 0},
        {"transpose (reverse)", transpose_rev, 0},
        {"swapaxes", swapaxes_p, 0},
        {"expand_dims 0", expand_p, 0},
        {"expand_dims -1", expand_p, -1},
        {"broadcast_to", broadcast_p, 0},
        {"slice", slice_p, 0},
        {"flip 1", flip_p, 1},
        {"split + subtract", split_p, 2},
        {"concatenate self", self_concat, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        check_one_input(cases[i].name, f, SHAPE(2, 3, 4), MX_FLOAT32, SMALL_INTS);
        mx_closure_free(f);
    }
    param_case sq = {"squeeze", squeeze_p, 0};
    mx_closure f = mx_closure_new(apply_param, &sq, NULL);
    check_one_input(sq.name, f, SHAPE(2, 1, 4), MX_FLOAT32, SMALL_INTS);
    mx_closure_free(f);
}

static mx_array concat2(const mx_array *in, int ax) {
    mx_array parts[2] = {in[0], in[1]};
    return mx_concatenate(parts, 2, ax);
}
static mx_array stack2(const mx_array *in, int ax) {
    mx_array parts[2] = {in[0], in[1]};
    return mx_stack(parts, 2, ax);
}

/* Two inputs of one example's shape (2, 3): batched, unbatched, mixed. */
static void check_two_inputs(const char *name, mx_closure f, mx_dtype da, mx_dtype db) {
    static const int axes[][3] = {{0, 0, 0}, {1, -1, 0}, {-1, 2, 1}, {2, 0, -1}};
    for (size_t c = 0; c < sizeof axes / sizeof axes[0]; c++) {
        mx_array in[2] = {make_input(SHAPE(2, 3), axes[c][0], 4, da, SMALL_INTS, 5),
                          make_input(SHAPE(2, 3), axes[c][1], 4, db, SMALL_INTS, 6)};
        char what[128];
        snprintf(what, sizeof what, "%s in_axes=(%d,%d) out_axes=%d", name, axes[c][0], axes[c][1], axes[c][2]);
        check_vmap(what, f, in, 2, axes[c], &axes[c][2], 1);
        mx_free_n(in, 2);
    }
}

static void test_concatenate_stack(void) {
    const param_case cases[] = {
        {"concatenate 0", concat2, 0}, {"concatenate -1", concat2, -1}, {"stack 0", stack2, 0}, {"stack 2", stack2, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        check_two_inputs(cases[i].name, f, MX_FLOAT32, MX_FLOAT32);
        check_two_inputs(cases[i].name, f, MX_INT32, MX_FLOAT32); /* promotion */
        mx_closure_free(f);
    }
}

/* ---- matmul ---------------------------------------------------------------------------------------- */

static mx_array matmul_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_matmul(in[0], in[1]);
}

static void check_matmul(const int64_t *sa, int na, const int64_t *sb, int nb, int ax_a, int ax_b, int out_ax) {
    param_case c = {"matmul", matmul_p, 0};
    mx_closure f = mx_closure_new(apply_param, &c, NULL);
    mx_array in[2] = {make_input(sa, na, ax_a, 3, MX_FLOAT32, SMALL_INTS, 7),
                      make_input(sb, nb, ax_b, 3, MX_FLOAT32, SMALL_INTS, 8)};
    int in_axes[2] = {ax_a, ax_b};
    char what[128];
    snprintf(what, sizeof what, "matmul ranks (%d,%d) in_axes=(%d,%d) out_axes=%d", na, nb, ax_a, ax_b, out_ax);
    check_vmap(what, f, in, 2, in_axes, &out_ax, 1);
    mx_free_n(in, 2);
    mx_closure_free(f);
}

static void test_matmul(void) {
    for (int a = -1; a <= 2; a++)
        for (int b = -1; b <= 2; b++)
            if (a >= 0 || b >= 0)
                check_matmul(SHAPE(4, 5), SHAPE(5, 6), a, b, a == 2 ? -1 : 0);
    check_matmul(SHAPE(5), SHAPE(5, 6), 0, -1, 0); /* vector-matrix */
    check_matmul(SHAPE(5), SHAPE(5, 6), 1, 2, 1);
    check_matmul(SHAPE(4, 5), SHAPE(5), -1, 1, 0);       /* matrix-vector */
    check_matmul(SHAPE(5), SHAPE(5), 0, 1, 0);           /* dot */
    check_matmul(SHAPE(2, 4, 5), SHAPE(5, 6), 1, -1, 0); /* batch dims of their own */
    check_matmul(SHAPE(2, 4, 5), SHAPE(1, 5, 6), 3, 0, 2);
}

/* ---- indexing ---------------------------------------------------------------------------------------- */

static mx_array take_p(const mx_array *in, int ax) { return mx_take(in[0], in[1], ax); }
static mx_array take_flat_p(const mx_array *in, int unused) {
    (void)unused;
    return mx_take_flat(in[0], in[1]);
}
static mx_array take_along_p(const mx_array *in, int ax) { return mx_take_along_axis(in[0], in[1], ax); }

/* indices in [-3, 3): valid (negative ones included) for an axis of 3 */
static mx_array make_indices(const int64_t *shape, int ndim, int axis, int64_t batch, unsigned seed) {
    mx_array raw = make_input(shape, ndim, axis, batch, MX_INT32, SMALL_INTS, seed);
    mx_array three = mx_scalar_i32(3), shift = mx_scalar_i32(seed % 2 ? 3 : 0);
    mx_array wrapped = mx_remainder(raw, three); /* 0 .. 2 */
    mx_array shifted = mx_subtract(wrapped, shift);
    mx_free_n((mx_array[]){raw, three, shift, wrapped}, 4);
    return shifted;
}

static void test_take(void) {
    static const int axes[][3] = {{0, -1, 0}, {2, -1, 1}, {-1, 0, 0}, {-1, 1, -1}, {0, 0, 0}, {2, 1, 1}, {1, 0, 2}};
    const param_case cases[] = {{"take axis 0", take_p, 0}, {"take axis 1", take_p, 1}, {"take axis -1", take_p, -1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        for (size_t c = 0; c < sizeof axes / sizeof axes[0]; c++) {
            mx_array in[2] = {make_input(SHAPE(3, 3, 3), axes[c][0], 4, MX_FLOAT32, SMALL_INTS, 9),
                              make_indices(SHAPE(2, 5), axes[c][1], 4, (unsigned)c)};
            char what[128];
            snprintf(what, sizeof what, "%s in_axes=(%d,%d) out_axes=%d", cases[i].name, axes[c][0], axes[c][1],
                     axes[c][2]);
            check_vmap(what, f, in, 2, axes[c], &axes[c][2], 1);
            mx_free_n(in, 2);
        }
        mx_closure_free(f);
    }
    /* 0-d indices and take of the flattened array */
    param_case flat = {"take flat", take_flat_p, 0}, scalar_idx = {"take scalar index", take_p, 1};
    mx_closure f1 = mx_closure_new(apply_param, &flat, NULL), f2 = mx_closure_new(apply_param, &scalar_idx, NULL);
    for (size_t c = 0; c < 3; c++) {
        int in_axes[2] = {(int)c - 1 < 0 ? 0 : (int)c - 1, c == 1 ? -1 : 0};
        mx_array in[2] = {make_input(SHAPE(3, 3), in_axes[0], 4, MX_FLOAT32, SMALL_INTS, 11),
                          make_indices(SHAPE(4), in_axes[1], 4, 12)};
        int zero = 0;
        check_vmap("take flat", f1, in, 2, in_axes, &zero, 1);
        mx_free(in[1]);
        in[1] = make_indices(NULL, 0, in_axes[1] >= 0 ? 0 : -1, 4, 13);
        check_vmap("take scalar index", f2, in, 2, in_axes, &zero, 1);
        mx_free_n(in, 2);
    }
    mx_closure_free(f1);
    mx_closure_free(f2);
}

static void test_take_along_axis(void) {
    static const int axes[][3] = {{0, -1, 0}, {-1, 1, 0}, {0, 0, 1}, {2, 1, -1}};
    const param_case cases[] = {{"take_along_axis 0", take_along_p, 0}, {"take_along_axis 1", take_along_p, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        for (size_t c = 0; c < sizeof axes / sizeof axes[0]; c++) {
            /* a (3, 3), indices (4, 1) on axis 0 or (1, 4) on axis 1: they broadcast */
            mx_array in[2] = {make_input(SHAPE(3, 3), axes[c][0], 2, MX_FLOAT32, SMALL_INTS, 14),
                              i == 0 ? make_indices(SHAPE(4, 1), axes[c][1], 2, 15)
                                     : make_indices(SHAPE(1, 4), axes[c][1], 2, 16)};
            char what[128];
            snprintf(what, sizeof what, "%s in_axes=(%d,%d)", cases[i].name, axes[c][0], axes[c][1]);
            check_vmap(what, f, in, 2, axes[c], &axes[c][2], 1);
            mx_free_n(in, 2);
        }
        mx_closure_free(f);
    }
}

/* ---- random ------------------------------------------------------------------------------------------------ */

static mx_array uniform_key(const mx_array *in, int dtype) {
    return mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, (const int64_t[]){2, 3}, 2, (mx_dtype)dtype, in[0]);
}
static mx_array normal_key(const mx_array *in, int unused) {
    (void)unused;
    return mx_random_normal((const int64_t[]){5}, 1, MX_FLOAT32, 1.0, 2.0, in[0]);
}
static mx_array bits_key(const mx_array *in, int width) {
    return mx_random_bits((const int64_t[]){3, 3}, 2, width, in[0]);
}
static mx_array split_key(const mx_array *in, int num) { return mx_random_split(in[0], num); }
/* fixed key, batched bounds: every example draws the same numbers */
static mx_array uniform_bounds(const mx_array *in, int dtype) {
    mx_array key = mx_random_key(42);
    mx_array out = mx_random_uniform(in[0], in[1], (const int64_t[]){4}, 1, (mx_dtype)dtype, key);
    mx_free(key);
    return out;
}

static void test_random(void) {
    mx_array key = mx_random_key(7);
    mx_array keys = mx_random_split(key, 3);       /* (3, 2) */
    mx_array keys_t = mx_transpose(keys, NULL, 0); /* (2, 3): keys on axis 1 */
    const param_case cases[] = {{"uniform of keys", uniform_key, MX_FLOAT32},
                                {"uniform of keys (bfloat16)", uniform_key, MX_BFLOAT16},
                                {"normal of keys", normal_key, 0},
                                {"bits of keys", bits_key, 4},
                                {"bits of keys (1 byte)", bits_key, 1},
                                {"split of keys", split_key, 3}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&cases[i], NULL);
        int zero = 0, one = 1, last = -1;
        check_vmap(cases[i].name, f, &keys, 1, &zero, &zero, 1);
        check_vmap(cases[i].name, f, &keys_t, 1, &one, &last, 1);
        mx_closure_free(f);
    }
    const param_case bounds[] = {{"uniform of bounds", uniform_bounds, MX_FLOAT32},
                                 {"uniform of bounds (float16)", uniform_bounds, MX_FLOAT16}};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        mx_closure f = mx_closure_new(apply_param, (void *)&bounds[i], NULL);
        static const int axes[][3] = {{0, -1, 0}, {-1, 0, 0}, {0, 0, 1}, {1, -1, 0}};
        for (size_t c = 0; c < sizeof axes / sizeof axes[0]; c++) {
            mx_array in[2] = {make_input(SHAPE(4), axes[c][0], 3, (mx_dtype)bounds[i].param, SMALL_INTS, 17),
                              make_input(SHAPE(4), axes[c][1], 3, (mx_dtype)bounds[i].param, POSITIVE, 18)};
            mx_array five = mx_scalar_f32(5.0f);
            mx_array hi = mx_add(in[1], five); /* above every low */
            mx_array hi_cast = mx_astype(hi, (mx_dtype)bounds[i].param);
            mx_free_n((mx_array[]){in[1], hi, five}, 3);
            in[1] = hi_cast;
            check_vmap(bounds[i].name, f, in, 2, axes[c], &axes[c][2], 1);
            mx_free_n(in, 2);
        }
        mx_closure_free(f);
    }
    mx_free(keys_t);
    mx_free(keys);
    mx_free(key);
}

/* ---- whole functions --------------------------------------------------------------------------------------- */

/* A two-layer perceptron on one example x (4,): softmax(tanh(x W1 + b1) W2 + b2),
 * and its mean squared output as a second output. */
static mx_status mlp(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_scope s = mx_scope_begin();
    mx_array h = mx_tanh(mx_add(mx_matmul(in[0], in[1]), in[2]));
    mx_array y = mx_softmax_axis(mx_add(mx_matmul(h, in[3]), in[4]), -1, false);
    mx_array loss = mx_mean(mx_square(y), false);
    mx_scope_keep(s, y);
    mx_scope_keep(s, loss);
    mx_scope_end(s);
    mx_status st = mx_array_list_push(out, y);
    return st == MX_OK ? mx_array_list_push(out, loss) : st;
}

static void test_mlp(void) {
    mx_closure f = mx_closure_new(mlp, NULL, NULL);
    g_rtol = 1e-6; /* the loss is a mean of inexact squares */
    /* x is a batch of 6 on axis 0 or 1; the weights are shared (or one x
     * with a batch of first-layer weights) */
    mx_array w1 = make_input(SHAPE(4, 8), -1, 0, MX_FLOAT32, FRACTIONS, 20);
    mx_array b1 = make_input(SHAPE(8), -1, 0, MX_FLOAT32, FRACTIONS, 21);
    mx_array w2 = make_input(SHAPE(8, 3), -1, 0, MX_FLOAT32, FRACTIONS, 22);
    mx_array b2 = make_input(SHAPE(3), -1, 0, MX_FLOAT32, FRACTIONS, 23);
    mx_array x0 = make_input(SHAPE(4), 0, 6, MX_FLOAT32, FRACTIONS, 24);
    mx_array x1 = make_input(SHAPE(4), 1, 6, MX_FLOAT32, FRACTIONS, 25);
    mx_array in0[5] = {x0, w1, b1, w2, b2}, in1[5] = {x1, w1, b1, w2, b2};
    const int axes0[5] = {0, -1, -1, -1, -1}, axes1[5] = {1, -1, -1, -1, -1}, outs[2] = {0, 0}, outs1[2] = {1, 0};
    check_vmap("mlp x on axis 0", f, in0, 5, axes0, outs, 2);
    check_vmap("mlp x on axis 0, out axes (1, 0)", f, in0, 5, axes0, outs1, 2);
    mx_array x1t = mx_transpose(x1, NULL, 0); /* (6, 4) as a strided (4, 6) */
    mx_array in1t[5] = {x1t, w1, b1, w2, b2};
    check_vmap("mlp x on axis 1", f, in1, 5, axes1, outs, 2);
    check_vmap("mlp x strided", f, in1t, 5, axes0, outs, 2);
    /* per-example first-layer weights, one shared x */
    mx_array w1s = make_input(SHAPE(4, 8), 2, 6, MX_FLOAT32, FRACTIONS, 26);
    mx_array x = make_input(SHAPE(4), -1, 0, MX_FLOAT32, FRACTIONS, 27);
    mx_array in2[5] = {x, w1s, b1, w2, b2};
    const int axes2[5] = {-1, 2, -1, -1, -1};
    check_vmap("mlp batched weights", f, in2, 5, axes2, outs, 2);
    g_rtol = 0;
    mx_free_n((mx_array[]){w1, b1, w2, b2, x0, x1, x1t, w1s, x}, 9);
    mx_closure_free(f);
}

static mx_status sum_of_exp(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array e = mx_exp(in[0]), p = mx_multiply(e, in[1]);
    mx_array s = mx_sum_axis(p, 0, false);
    mx_free_n((mx_array[]){e, p}, 2);
    return mx_array_list_push(out, s);
}

/* vmap(vmap(f)): the inner vmap's rules build nodes the outer one batches. */
static void test_nested(void) {
    mx_closure f = mx_closure_new(sum_of_exp, NULL, NULL);
    const int inner_axes[2] = {0, -1}, inner_out = 0;
    mx_closure inner = mx_vmap(f, inner_axes, 2, &inner_out, 1);
    /* x: (outer 3 on axis 1, inner 4 on axis 0 of each outer example, 5) */
    mx_array x = make_input(SHAPE(4, 5), 1, 3, MX_FLOAT32, FRACTIONS, 30);
    mx_array w = make_input(SHAPE(5), 0, 3, MX_FLOAT32, POSITIVE, 31); /* no cancellation */
    const int outer_axes[2] = {1, 0}, outer_out = -1;
    g_rtol = 1e-6; /* sums of exponentials */
    check_vmap("vmap of vmap", inner, (mx_array[]){x, w}, 2, outer_axes, &outer_out, 1);

    /* and against the double loop, explicitly */
    mx_closure outer = mx_vmap(inner, outer_axes, 2, &outer_out, 1);
    mx_array_list got = {0};
    CHECK_OK(mx_closure_apply(outer, (mx_array[]){x, w}, 2, &got));
    CHECK_EQ_INT(got.count, 1);
    if (got.count == 1) {
        CHECK_EQ_INT(mx_ndim(got.items[0]), 2); /* (inner 4, outer 3) */
        const float *g = mx_data_f32(got.items[0]);
        for (int o = 0; g && o < 3; o++) {
            for (int i = 0; i < 4; i++) {
                mx_array xo = example_of(x, 1, o), xi = example_of(xo, 0, i), wo = example_of(w, 0, o);
                mx_array_list one = {0};
                CHECK_OK(mx_closure_apply(f, (mx_array[]){xi, wo}, 2, &one));
                float want = 0;
                CHECK_OK(mx_item_f32(one.items[0], &want));
                CHECK_CLOSE(g[i * 3 + o], want, 1e-6, 0);
                mx_array_list_clear(&one);
                mx_free_n((mx_array[]){xo, xi, wo}, 3);
            }
        }
    }
    mx_array_list_clear(&got);
    /* three levels: vmap(outer) against outer on each example */
    mx_array x3 = make_input(SHAPE(4, 3, 5), 0, 2, MX_FLOAT32, FRACTIONS, 32);
    check_vmap("vmap of vmap of vmap", outer, (mx_array[]){x3, w}, 2, (const int[]){0, -1}, NULL, 0);
    g_rtol = 0;
    mx_free_n((mx_array[]){x, w, x3}, 3);
    mx_closure_free(outer);
    mx_closure_free(inner);
    mx_closure_free(f);
}

/* Outputs: several, one independent of the input (broadcast along the
 * batch), one an unmapped input, one the mapped input itself. */
static mx_status mixed_outputs(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_status st = mx_array_list_push(out, mx_multiply(in[0], in[1]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_ones((const int64_t[]){2}, 1, MX_INT32));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_retain(in[1]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_retain(in[0]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_exp(in[1]));
    return st;
}

static void test_outputs(void) {
    mx_closure f = mx_closure_new(mixed_outputs, NULL, NULL);
    mx_array x = make_input(SHAPE(3), 1, 4, MX_FLOAT32, SMALL_INTS, 40);
    mx_array w = make_input(SHAPE(3), -1, 4, MX_FLOAT32, SMALL_INTS, 41);
    const int in_axes[2] = {1, -1};
    check_vmap("mixed outputs", f, (mx_array[]){x, w}, 2, in_axes, (const int[]){0, 1, -1, 0, 1}, 5);
    check_vmap("mixed outputs, default out axes", f, (mx_array[]){x, w}, 2, in_axes, NULL, 0);
    mx_free_n((mx_array[]){x, w}, 2);
    mx_closure_free(f);
}

/* A batch of size 0 gives empty outputs of the right shapes. */
static void test_empty_batch(void) {
    mx_closure f = mx_closure_new(mixed_outputs, NULL, NULL);
    mx_closure vf = mx_vmap(f, (const int[]){0, -1}, 2, (const int[]){0, 1, 0, 0, 0}, 5);
    mx_array x = mx_zeros((const int64_t[]){0, 3}, 2, MX_FLOAT32), w = mx_ones((const int64_t[]){3}, 1, MX_FLOAT32);
    mx_array_list got = {0};
    CHECK_OK(mx_closure_apply(vf, (mx_array[]){x, w}, 2, &got));
    CHECK_EQ_INT(got.count, 5);
    if (got.count == 5) {
        CHECK_EQ_INT(mx_ndim(got.items[0]), 2);
        CHECK_EQ_INT(mx_shape(got.items[0])[0], 0);
        CHECK_EQ_INT(mx_shape(got.items[1])[1], 0);
        CHECK_EQ_INT(mx_shape(got.items[1])[0], 2);
        CHECK_OK(mx_eval(got.items, got.count));
    }
    mx_array_list_clear(&got);
    mx_free_n((mx_array[]){x, w}, 2);
    mx_closure_free(vf);
    mx_closure_free(f);
}

/* ---- errors ------------------------------------------------------------------------------------------------- */

static mx_status identity(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    mx_status st = MX_OK;
    for (int i = 0; i < n && st == MX_OK; i++)
        st = mx_array_list_push(out, mx_retain(in[i]));
    return st;
}

static mx_status evaluates_input(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_status st = mx_eval1(in[0]);
    if (st != MX_OK)
        return st;
    return mx_array_list_push(out, mx_retain(in[0]));
}

static mx_status expect_error(mx_closure f, const int *in_axes, int n_in, const int *out_axes, int n_out,
                              const mx_array *in, int n, const char *needle) {
    mx_closure vf = mx_vmap(f, in_axes, n_in, out_axes, n_out);
    if (!vf)
        return mx_last_status();
    mx_array_list got = {0};
    mx_status st = mx_closure_apply(vf, in, n, &got);
    if (st == MX_OK || !strstr(mx_last_error(), needle))
        fprintf(stderr, "  expected an error with '%s', got status %d: %s\n", needle, st, mx_last_error());
    CHECK(st != MX_OK && strstr(mx_last_error(), needle) != NULL);
    CHECK_EQ_INT(got.count, 0);
    mx_closure_free(vf);
    return st;
}

static void test_errors(void) {
    mx_closure f = mx_closure_new(identity, NULL, NULL);
    mx_array x = mx_zeros((const int64_t[]){2, 3}, 2, MX_FLOAT32), y = mx_zeros((const int64_t[]){3, 3}, 2, MX_FLOAT32);
    mx_array s = mx_scalar_f32(1.0f);
    mx_array xy[2] = {x, y};
    CHECK_EQ_INT(expect_error(f, NULL, 0, NULL, 0, xy, 2, "inconsistent axis sizes: 2 and 3"), MX_ERROR_VALUE);
    CHECK_EQ_INT(expect_error(f, (const int[]){2}, 1, NULL, 0, &x, 1, "invalid vectorization axis 2"), MX_ERROR_INDEX);
    CHECK_EQ_INT(expect_error(f, (const int[]){-2}, 1, NULL, 0, &x, 1, "invalid vectorization axis -2"),
                 MX_ERROR_INDEX);
    CHECK_EQ_INT(expect_error(f, NULL, 0, NULL, 0, &s, 1, "invalid vectorization axis 0"), MX_ERROR_INDEX);
    CHECK_EQ_INT(expect_error(f, (const int[]){-1}, 1, NULL, 0, &x, 1, "at least one of in_axes"), MX_ERROR_VALUE);
    CHECK_EQ_INT(expect_error(f, (const int[]){0}, 1, NULL, 0, xy, 2, "number of in axes (1)"), MX_ERROR_VALUE);
    CHECK_EQ_INT(expect_error(f, NULL, 0, (const int[]){0, 0}, 2, &x, 1, "number of out axes (2)"), MX_ERROR_VALUE);
    CHECK_EQ_INT(expect_error(f, NULL, 0, (const int[]){2}, 1, &x, 1, "invalid output vectorization axis 2"),
                 MX_ERROR_INDEX);
    CHECK_EQ_INT(expect_error(f, NULL, 0, (const int[]){-3}, 1, &x, 1, "invalid output vectorization axis -3"),
                 MX_ERROR_INDEX);
    mx_closure ev = mx_closure_new(evaluates_input, NULL, NULL);
    CHECK_EQ_INT(expect_error(ev, NULL, 0, NULL, 0, &x, 1, "vmap placeholder"), MX_ERROR_UNSUPPORTED);
    mx_closure_free(ev);
    /* bad arguments of mx_vmap itself */
    CHECK(mx_vmap(NULL, NULL, 0, NULL, 0) == NULL);
    CHECK(mx_vmap(f, NULL, 2, NULL, 0) == NULL);
    CHECK_EQ_INT(mx_last_status(), MX_ERROR_VALUE);
    /* the out axis -1 is the last axis; an error input passes its error on */
    int last = -1;
    check_vmap("out_axes -1", f, &x, 1, (const int[]){0}, &last, 1);
    mx_array bad = mx_reshape(x, (const int64_t[]){7}, 1);
    mx_closure vf = mx_vmap(f, NULL, 0, NULL, 0);
    mx_array_list got = {0};
    CHECK(mx_closure_apply(vf, &bad, 1, &got) != MX_OK);
    mx_closure_free(vf);
    mx_free_n((mx_array[]){x, y, s, bad}, 4);
    mx_closure_free(f);
}

/* vmap of a function that runs vjp inside (per-example gradients): the
 * vjp's own trace happens inside the vmap's. f is the identity, the one
 * function whose gradient needs no op rule: more come with the ops' vjp
 * rules (tests/c/test_grad_*.c). */
static mx_status identity_vjp(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_closure id = mx_closure_new(identity, NULL, NULL);
    mx_array_list outs = {0}, vjps = {0};
    mx_array cot = mx_multiply(in[0], in[0]);
    mx_status st = mx_vjp(id, in, 1, &cot, 1, &outs, &vjps);
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_retain(outs.items[0]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_retain(vjps.items[0]));
    mx_array_list_clear(&outs);
    mx_array_list_clear(&vjps);
    mx_free(cot);
    mx_closure_free(id);
    return st;
}

static void test_vmap_of_vjp(void) {
    mx_closure f = mx_closure_new(identity_vjp, NULL, NULL);
    mx_array x = make_input(SHAPE(3), 1, 4, MX_FLOAT32, SMALL_INTS, 60);
    check_vmap("vmap of vjp", f, &x, 1, (const int[]){1}, (const int[]){0, -1}, 2);
    mx_free(x);
    mx_closure_free(f);
}

/* The closure is a value: it holds f, and can be applied many times. */
static void test_closure_lifetime(void) {
    mx_closure f = mx_closure_new(identity, NULL, NULL);
    mx_closure vf = mx_vmap(f, NULL, 0, NULL, 0);
    mx_closure_free(f); /* vf keeps it alive */
    mx_array x = make_input(SHAPE(2), 0, 3, MX_FLOAT32, SMALL_INTS, 50);
    for (int i = 0; i < 3; i++) {
        mx_array_list got = {0};
        CHECK_OK(mx_closure_apply(vf, &x, 1, &got));
        CHECK(got.count == 1 && same_array("identity", got.items[0], x));
        mx_array_list_clear(&got);
    }
    mx_free(x);
    mx_closure_free(vf);
}

int main(void) {
    RUN(test_unary_ops);
    RUN(test_casts);
    RUN(test_astype);
    RUN(test_binary_ops);
    RUN(test_where);
    RUN(test_reductions);
    RUN(test_shape_ops);
    RUN(test_concatenate_stack);
    RUN(test_matmul);
    RUN(test_take);
    RUN(test_take_along_axis);
    RUN(test_random);
    RUN(test_mlp);
    RUN(test_nested);
    RUN(test_outputs);
    RUN(test_empty_batch);
    RUN(test_vmap_of_vjp);
    RUN(test_errors);
    RUN(test_closure_lifetime);
    printf("%d vmap outputs compared with their per-example stacks\n", g_cases);
    return CHECK_SUMMARY();
}
