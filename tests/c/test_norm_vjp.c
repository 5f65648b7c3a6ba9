/* tests/c/test_norm_vjp.c - the fused norm backward passes (rms_norm_vjp,
 * layer_norm_vjp: the ops the VJP rules of mx.fast.rms_norm / layer_norm
 * build) on the CPU:
 *  - central finite differences in float64 (grad_check.h) with weight and
 *    bias present or not, strided x, several row lengths;
 *  - against the composition they replace (the closed-form derivatives
 *    written here with public ops, in float32 / float64 as the old rule),
 *    in every float dtype, weight/bias present or not, strided x and weight,
 *    only some gradients asked;
 *  - second order: the gradient of a gradient (VJP of the fused op) against
 *    finite differences, and the JVP of the fused op against finite
 *    differences of the VJP;
 *  - empty rows (dw, db are zeros) and a half x with a float32 weight (the
 *    fused op then works in float32).
 * Tolerances: the fused kernel and the composition compute the same
 * float32 (float64) expressions and round once to the dtype; they differ
 * only in the order of float32 sums (a few ulps of float32, 1e-5 relative
 * on norms of rows and columns of up to a few hundred terms) and, for half
 * dtypes, in a final rounding that such a difference can flip: one ulp of
 * the dtype (2^-10 float16, 2^-7 bfloat16) relative to the largest value. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "grad_check.h"

static uint64_t g_rng = 0x1234567ULL;

static mx_array uniform(const int64_t *shape, int ndim, mx_dtype dtype, double lo, double hi) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    for (int64_t i = 0; i < n; i++)
        v[i] = lo + (hi - lo) * (grad_check_uniform(&g_rng) + 1.0) / 2.0;
    mx_array f = mx_array_from_data(v, shape, ndim, MX_FLOAT64);
    free(v);
    mx_array out = mx_astype(f, dtype);
    mx_free(f);
    mx_eval1(out);
    return out;
}

/* x of shape (rows, L), contiguous or a strided view (every other column of (rows, 2L)). */
static mx_array input(int64_t rows, int64_t L, mx_dtype dtype, bool strided) {
    if (!strided)
        return uniform((const int64_t[]){rows, L}, 2, dtype, -2, 2);
    mx_array base = uniform((const int64_t[]){rows, 2 * L}, 2, dtype, -2, 2);
    mx_array v = mx_slice(base, (const int64_t[]){0, 1}, (const int64_t[]){rows, 2 * L}, (const int64_t[]){1, 2}, 2);
    mx_free(base);
    return v;
}

/* ---- the function under test ------------------------------------------------------------------ */

typedef struct norm_cfg {
    bool layer, weight, bias;
    double eps;
} norm_cfg;

static mx_status norm_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const norm_cfg *c = payload;
    (void)n;
    int next = 1;
    mx_array w = c->weight ? in[next++] : MX_NULL_ARRAY;
    mx_array b = c->bias ? in[next] : MX_NULL_ARRAY;
    mx_array y = c->layer ? mx_fast_layer_norm(in[0], w, b, c->eps) : mx_fast_rms_norm(in[0], w, c->eps);
    mx_status st = mx_array_status(y);
    if (st != MX_OK) {
        mx_free(y);
        return st;
    }
    return mx_array_list_push(out, y);
}

static int inputs_of(const norm_cfg *c) { return 1 + c->weight + (c->layer && c->bias); }

/* ---- the composition (the old VJP rule, with public ops) -------------------------------------- */

/* Temporaries of one expression, freed together. */
typedef struct temps {
    mx_array items[64];
    int count;
} temps;
static mx_array T_(temps *t, mx_array a) { return t->items[t->count++] = a; }
#define TT(expr) T_(&tmp, (expr))

/* dx, dw, db (in the inputs' dtypes) of norm(x, w, b) for cotangent g, as the
 * composition computes them in float32 (float64 for float64). */
static void composed(const norm_cfg *c, mx_array x, mx_array w, mx_array g, mx_dtype out_dtype, mx_array *dx,
                     mx_array *dw, mx_array *db) {
    temps tmp = {.count = 0};
    mx_dtype ct = out_dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32;
    mx_array xf = TT(mx_astype(x, ct)), gf = TT(mx_astype(g, ct));
    mx_array xc = c->layer ? TT(mx_subtract(xf, TT(mx_mean_axis(xf, -1, true)))) : xf;
    mx_array var = TT(mx_mean_axis(TT(mx_multiply(xc, xc)), -1, true));
    mx_array r = TT(mx_rsqrt(TT(mx_add(var, TT(mx_scalar((float)c->eps, ct))))));
    mx_array nrm = TT(mx_multiply(xc, r));
    mx_array gw = c->weight ? TT(mx_multiply(gf, TT(mx_astype(w, ct)))) : gf;
    mx_array mgwn = TT(mx_mean_axis(TT(mx_multiply(gw, nrm)), -1, true));
    mx_array inner = TT(mx_subtract(gw, TT(mx_multiply(nrm, mgwn))));
    if (c->layer)
        inner = TT(mx_subtract(inner, TT(mx_mean_axis(gw, -1, true))));
    *dx = mx_astype(TT(mx_multiply(r, inner)), mx_array_dtype(x));
    int rows_axes[1] = {0};
    *dw = c->weight ? mx_astype(TT(mx_sum_axes(TT(mx_multiply(gf, nrm)), rows_axes, 1, false)), out_dtype)
                    : MX_NULL_ARRAY;
    *db = c->layer && c->bias ? mx_astype(TT(mx_sum_axes(gf, rows_axes, 1, false)), out_dtype) : MX_NULL_ARRAY;
    mx_free_n(tmp.items, tmp.count);
}

/* Relative norm of a - b against b (float64). */
static double rel_diff(mx_array a, mx_array b) {
    mx_array a64 = mx_astype(a, MX_FLOAT64), b64 = mx_astype(b, MX_FLOAT64);
    mx_eval1(a64), mx_eval1(b64);
    const double *pa = mx_data(a64), *pb = mx_data(b64);
    double d2 = 0, r2 = 0;
    for (int64_t i = 0; i < mx_size(a); i++) {
        d2 += (pa[i] - pb[i]) * (pa[i] - pb[i]);
        r2 += pb[i] * pb[i];
    }
    mx_free(a64), mx_free(b64);
    return sqrt(d2) / (sqrt(r2) + 1e-300);
}

/* Largest |a - b| relative to max |b| (float64). */
static double max_rel_diff(mx_array a, mx_array b) {
    mx_array a64 = mx_astype(a, MX_FLOAT64), b64 = mx_astype(b, MX_FLOAT64);
    mx_eval1(a64), mx_eval1(b64);
    const double *pa = mx_data(a64), *pb = mx_data(b64);
    double worst = 0, scale = 0;
    for (int64_t i = 0; i < mx_size(a); i++) {
        worst = fmax(worst, fabs(pa[i] - pb[i]));
        scale = fmax(scale, fabs(pb[i]));
    }
    mx_free(a64), mx_free(b64);
    return worst / (scale + 1e-300);
}

/* One ulp of the dtype relative to the largest value, plus the float32 sum-order noise. */
static double tol_of(mx_dtype t) {
    switch (t) {
    case MX_FLOAT16: return 1.0 / 1024;
    case MX_BFLOAT16: return 1.0 / 128;
    case MX_FLOAT64: return 1e-12;
    default: return 1e-5;
    }
}

/* norm over (x, w, b) where only the inputs in `mask` are primals, the others fixed. */
typedef struct partial_fn {
    norm_cfg cfg;
    mx_array all[3];
    int mask, n;
} partial_fn;

static mx_status partial_norm(void *payload, const mx_array *in, int n_in, mx_array_list *out) {
    const partial_fn *p = payload;
    mx_array args[3];
    int next = 0;
    for (int i = 0; i < p->n; i++)
        args[i] = p->mask & (1 << i) ? in[next++] : p->all[i];
    (void)n_in;
    return norm_fn((void *)&p->cfg, args, p->n, out);
}

/* The fused gradients (asked as `mask` says: bit 0 x, 1 w, 2 b) against the composition. */
static bool against_composition(const norm_cfg *c, mx_dtype dtype, mx_dtype w_dtype, int64_t rows, int64_t L,
                                bool strided, int mask, bool strided_w) {
    partial_fn p = {.cfg = *c, .mask = mask, .n = inputs_of(c)};
    p.all[0] = input(rows, L, dtype, strided);
    for (int i = 1; i < p.n; i++) {
        mx_array v = input(1, L, w_dtype, strided_w);
        p.all[i] = mx_reshape(v, (const int64_t[]){L}, 1);
        mx_free(v);
    }
    mx_dtype out_dtype = p.n > 1 ? mx_promote_types(dtype, w_dtype) : dtype;
    mx_array g = uniform((const int64_t[]){rows, L}, 2, out_dtype, -1, 1);
    mx_array prim[3];
    int np = 0;
    for (int i = 0; i < p.n; i++)
        if (mask & (1 << i))
            prim[np++] = p.all[i];
    mx_closure f = mx_closure_new(partial_norm, &p, NULL);
    mx_array_list outs = {0}, grads = {0};
    bool ok = mx_vjp(f, prim, np, &g, 1, &outs, &grads) == MX_OK && grads.count == np;
    mx_array ref[3];
    composed(c, p.all[0], c->weight ? p.all[1] : MX_NULL_ARRAY, g, out_dtype, &ref[0], &ref[1], &ref[2]);
    int k = 0;
    for (int i = 0; ok && i < p.n; i++) {
        if (!(mask & (1 << i)))
            continue;
        mx_array got = grads.items[k++];
        mx_array want = i == 0 ? ref[0] : (i == 1 && c->weight) ? ref[1] : ref[2];
        ok = mx_array_dtype(got) == mx_array_dtype(want) && mx_size(got) == mx_size(want);
        double tol = tol_of(mx_array_dtype(want)), d = ok ? max_rel_diff(got, want) : INFINITY;
        if (!(d <= tol)) {
            fprintf(stderr, "  %s %s w %s (%lld, %lld)%s mask %d: gradient %d differs by %.3g (tol %.3g)\n",
                    c->layer ? "layer_norm" : "rms_norm", mx_dtype_name(dtype), mx_dtype_name(w_dtype), (long long)rows,
                    (long long)L, strided ? " strided" : "", mask, i, d, tol);
            ok = false;
        }
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_free_n(ref, 3);
    mx_free_n(p.all, p.n);
    mx_free(g);
    return ok;
}

static void test_against_composition(void) {
    static const mx_dtype dtypes[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
    /* no L = 1 for rms_norm: dx = r g (1 - x^2 / (x^2 + eps)) cancels to noise */
    static const int64_t shapes[][2] = {{1, 3}, {7, 5}, {33, 64}, {130, 384}, {3, 4100}};
    for (int t = 0; t < 4; t++)
        for (int s = 0; s < 5; s++)
            for (int layer = 0; layer < 2; layer++)
                for (int variant = 0; variant < (layer ? 4 : 2); variant++) {
                    norm_cfg c = {.layer = layer, .weight = variant & 1, .bias = variant & 2, .eps = 1e-5};
                    int all = (1 << inputs_of(&c)) - 1;
                    for (int strided = 0; strided < 2; strided++)
                        CHECK(against_composition(&c, dtypes[t], dtypes[t], shapes[s][0], shapes[s][1], strided, all,
                                                  strided));
                    /* some gradients only: x alone, the parameters alone */
                    CHECK(against_composition(&c, dtypes[t], dtypes[t], shapes[s][0], shapes[s][1], false, 1, false));
                    if (all > 1)
                        CHECK(against_composition(&c, dtypes[t], dtypes[t], shapes[s][0], shapes[s][1], false, all & ~1,
                                                  false));
                }
    /* mixed dtypes: a half x with a float32 weight works in float32; float32 x with a float64 weight */
    norm_cfg ln = {.layer = true, .weight = true, .bias = true, .eps = 1e-5};
    norm_cfg rms = {.layer = false, .weight = true, .eps = 1e-5};
    CHECK(against_composition(&ln, MX_FLOAT16, MX_FLOAT32, 20, 96, false, 7, false));
    CHECK(against_composition(&rms, MX_BFLOAT16, MX_FLOAT32, 20, 96, true, 3, false));
    CHECK(against_composition(&rms, MX_FLOAT32, MX_FLOAT64, 20, 96, false, 3, false));
}

/* ---- finite differences ------------------------------------------------------------------------ */

static bool fd_check(const norm_cfg *c, int64_t rows, int64_t L, bool strided) {
    mx_array in[3];
    int n = inputs_of(c);
    in[0] = input(rows, L, MX_FLOAT64, strided);
    for (int i = 1; i < n; i++)
        in[i] = uniform((const int64_t[]){L}, 1, MX_FLOAT64, -2, 2);
    mx_closure f = mx_closure_new(norm_fn, (void *)c, NULL);
    bool ok = grad_check(f, in, n, 1e-6);
    mx_closure_free(f);
    mx_free_n(in, n);
    return ok;
}

static void test_finite_differences(void) {
    static const int64_t shapes[][2] = {{1, 3}, {4, 7}, {9, 16}, {3, 33}};
    for (int s = 0; s < 4; s++)
        for (int layer = 0; layer < 2; layer++)
            for (int variant = 0; variant < (layer ? 4 : 2); variant++) {
                norm_cfg c = {.layer = layer, .weight = variant & 1, .bias = variant & 2, .eps = 1e-3};
                CHECK(fd_check(&c, shapes[s][0], shapes[s][1], s & 1));
            }
}

/* ---- second order -------------------------------------------------------------------------------- */

/* The VJP of the norm at the inputs for a fixed cotangent: a function whose
 * derivatives are those of the fused op. Outputs: every gradient. */
typedef struct vjp_fn {
    norm_cfg cfg;
    mx_array cot;
} vjp_fn;

static mx_status norm_vjp_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const vjp_fn *v = payload;
    mx_closure f = mx_closure_new(norm_fn, (void *)&v->cfg, NULL);
    mx_array_list outs = {0};
    mx_status st = mx_vjp(f, in, n, &v->cot, 1, &outs, out);
    mx_array_list_clear(&outs);
    mx_closure_free(f);
    return st;
}

static void test_second_order(void) {
    for (int layer = 0; layer < 2; layer++)
        for (int variant = 0; variant < (layer ? 4 : 2); variant += layer ? 3 : 1) {
            vjp_fn v = {.cfg = {.layer = layer, .weight = variant & 1, .bias = variant & 2, .eps = 1e-3}};
            int n = inputs_of(&v.cfg);
            mx_array in[3];
            in[0] = input(3, 6, MX_FLOAT64, layer);
            for (int i = 1; i < n; i++)
                in[i] = uniform((const int64_t[]){6}, 1, MX_FLOAT64, -2, 2);
            v.cot = uniform((const int64_t[]){3, 6}, 2, MX_FLOAT64, -1, 1);
            mx_closure f = mx_closure_new(norm_vjp_fn, &v, NULL);
            /* reverse over reverse: the VJP of the fused op */
            CHECK(grad_check(f, in, n, 1e-6));
            /* forward over reverse: the JVP of the fused op against central differences */
            mx_array tan[3];
            for (int i = 0; i < n; i++)
                tan[i] = uniform(mx_shape(in[i]), mx_ndim(in[i]), MX_FLOAT64, -1, 1);
            mx_array_list outs = {0}, jvps = {0};
            CHECK_OK(mx_jvp(f, in, n, tan, n, &outs, &jvps));
            const double h = 1e-6;
            mx_array plus[3], minus[3];
            mx_array h_arr = mx_scalar_f64(h), two_h = mx_scalar_f64(2 * h);
            for (int i = 0; i < n; i++) {
                mx_array step = mx_multiply(tan[i], h_arr);
                plus[i] = mx_add(in[i], step);
                minus[i] = mx_subtract(in[i], step);
                mx_free(step);
            }
            mx_array_list fp = {0}, fm = {0};
            CHECK_OK(mx_closure_apply(f, plus, n, &fp));
            CHECK_OK(mx_closure_apply(f, minus, n, &fm));
            for (int k = 0; k < jvps.count && k < fp.count; k++) {
                mx_array diff = mx_subtract(fp.items[k], fm.items[k]);
                mx_array fd = mx_divide(diff, two_h);
                CHECK(rel_diff(jvps.items[k], fd) < 1e-6);
                mx_free(diff), mx_free(fd);
            }
            mx_array_list_clear(&outs), mx_array_list_clear(&jvps), mx_array_list_clear(&fp), mx_array_list_clear(&fm);
            mx_free_n(plus, n), mx_free_n(minus, n), mx_free_n(tan, n);
            mx_free(h_arr), mx_free(two_h);
            mx_closure_free(f);
            mx_free_n(in, n);
            mx_free(v.cot);
        }
}

/* ---- edge cases ---------------------------------------------------------------------------------- */

/* No rows: dx is empty, dw and db are zeros. */
static void test_empty_rows(void) {
    norm_cfg c = {.layer = true, .weight = true, .bias = true, .eps = 1e-5};
    mx_array in[3] = {mx_zeros((const int64_t[]){0, 4}, 2, MX_FLOAT32), mx_ones((const int64_t[]){4}, 1, MX_FLOAT32),
                      mx_ones((const int64_t[]){4}, 1, MX_FLOAT32)};
    mx_array g = mx_zeros((const int64_t[]){0, 4}, 2, MX_FLOAT32);
    mx_closure f = mx_closure_new(norm_fn, &c, NULL);
    mx_array_list outs = {0}, grads = {0};
    CHECK_OK(mx_vjp(f, in, 3, &g, 1, &outs, &grads));
    CHECK_EQ_INT(grads.count, 3);
    if (grads.count == 3) {
        CHECK_EQ_INT(mx_size(grads.items[0]), 0);
        for (int i = 1; i < 3; i++) {
            CHECK_OK(mx_eval1(grads.items[i]));
            const float *v = mx_data(grads.items[i]);
            for (int k = 0; v && k < 4; k++)
                CHECK(v[k] == 0.0f);
        }
    }
    mx_array_list_clear(&outs), mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_free_n(in, 3);
    mx_free(g);
}

int main(void) {
    RUN(test_against_composition);
    RUN(test_finite_differences);
    RUN(test_second_order);
    RUN(test_empty_rows);
    return CHECK_SUMMARY();
}
