/* tests/c/test_grad_elementwise.c - the VJP and JVP rules of the element-wise
 * ops (src/ops/unary_grad.c, binary_grad.c, copy_grad.c):
 *   - against MLX 0.32: vjp and jvp of every op in float32, float16, bfloat16,
 *     float64 (and int32 where it applies) on inputs with the edge cases
 *     (zeros, ties, poles, NaN), from the table grad_cases.inc that
 *     tests/gen/gen_grad_cases.py generates with MLX;
 *   - against central finite differences in float64 (grad_check.h);
 *   - second derivatives (grad of grad) against MLX (float64, compared at
 *     float32's tolerance: see tolerance()) and finite differences. */
#include "check.h"
#include "grad_check.h"

typedef struct grad_case {
    const char *op;
    int kind; /* 1 unary, 2 binary, 3 where(COND, x, y), 4 astype(target), 5 round(param) */
    mx_array (*fn1)(mx_array);
    mx_array (*fn2)(mx_array, mx_array);
    mx_dtype dtype, out_dtype, target;
    int param;
    int n;
    double in[2][8];
    double cot[8];
    double tan[2][8];
    int has_vjp;
    double vjp[2][8];
    int has_jvp;
    double jvp[8];
} grad_case;

typedef struct second_case {
    const char *op;
    int kind; /* 1 unary, 2 binary */
    mx_array (*fn1)(mx_array);
    mx_array (*fn2)(mx_array, mx_array);
    double at[2];
    double d2[3]; /* unary: f''; binary: d2f/da2, d2f/dadb, d2f/db2 */
} second_case;

#include "grad_cases.inc"

/* where's condition in the generated cases */
static const bool k_cond[8] = {1, 0, 1, 1, 0, 0, 1, 0};

static int n_args(const grad_case *c) { return c->kind == 2 || c->kind == 3 ? 2 : 1; }

static mx_status apply_case(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const grad_case *c = payload;
    (void)n;
    mx_array y = MX_NULL_ARRAY;
    switch (c->kind) {
    case 1: y = c->fn1(in[0]); break;
    case 2: y = c->fn2(in[0], in[1]); break;
    case 3: {
        int64_t len = mx_size(in[0]);
        mx_array cond = mx_array_from_data(k_cond, &len, 1, MX_BOOL);
        y = mx_where(cond, in[0], in[1]);
        mx_free(cond);
        break;
    }
    case 4: y = mx_astype(in[0], c->target); break;
    case 5: y = mx_round(in[0], c->param); break;
    }
    return mx_array_list_push(out, y);
}

static mx_array make(const double *v, int64_t n, mx_dtype dtype) {
    mx_array d = mx_array_from_data(v, &n, 1, MX_FLOAT64);
    mx_array a = mx_astype(d, dtype);
    mx_free(d);
    return a;
}

/* Tolerances by dtype: a few roundings of the dtype (the rules compose a
 * few ops; our kernels and MLX's may differ by an ulp in float32). MLX's
 * float64 exp, sin, erf, ... are only float32-accurate (its exp(0.4) is
 * 1.4918247461, the true value 1.4918246976), so float64 is compared at
 * float32's tolerance; the finite-difference tests check float64 tightly. */
static void tolerance(mx_dtype dt, double *rtol, double *atol) {
    switch (dt) {
    case MX_FLOAT64: *rtol = 2e-6, *atol = 1e-7; break;
    case MX_FLOAT32: *rtol = 2e-6, *atol = 1e-7; break;
    case MX_FLOAT16: *rtol = 2e-3, *atol = 1e-4; break;
    case MX_BFLOAT16: *rtol = 1.6e-2, *atol = 1e-3; break;
    default: *rtol = 0, *atol = 0; break; /* integers and bool: exact */
    }
}

/* Compare array a (converted to double) with expected values; report the
 * first mismatches with the case's name. */
static bool matches(const grad_case *c, const char *what, mx_array a, const double *expect, mx_dtype tol_dtype) {
    double got[8];
    if (mx_copy_to(a, got, sizeof got, MX_FLOAT64) != MX_OK) {
        fprintf(stderr, "  %s %s %s: %s\n", c->op, mx_dtype_name(c->dtype), what, mx_last_error());
        return false;
    }
    double rtol, atol;
    tolerance(tol_dtype, &rtol, &atol);
    bool ok = true;
    for (int i = 0; i < c->n; i++) {
        double g = got[i], e = expect[i];
        bool same = (isnan(g) && isnan(e)) || g == e || fabs(g - e) <= atol + rtol * fabs(e);
        if (!same) {
            fprintf(stderr, "  %s %s %s[%d]: %.9g, MLX %.9g\n", c->op, mx_dtype_name(c->dtype), what, i, g, e);
            ok = false;
        }
    }
    return ok;
}

static void test_against_mlx(void) {
    int n_cases = (int)(sizeof k_cases / sizeof k_cases[0]), failed = 0;
    for (int k = 0; k < n_cases; k++) {
        const grad_case *c = &k_cases[k];
        mx_scope scope = mx_scope_begin();
        int na = n_args(c);
        mx_array in[2], tan[2];
        for (int i = 0; i < na; i++) {
            in[i] = make(c->in[i], c->n, c->dtype);
            tan[i] = make(c->tan[i], c->n, c->dtype);
        }
        mx_array cot = make(c->cot, c->n, c->out_dtype);
        mx_closure f = mx_closure_new(apply_case, (void *)c, NULL);
        mx_array_list outs = {0}, grads = {0}, jouts = {0}, jvps = {0};
        bool ok = true;
        mx_status st = mx_vjp(f, in, na, &cot, 1, &outs, &grads);
        if (!c->has_vjp) {
            ok = st != MX_OK;
        } else if (st != MX_OK) {
            fprintf(stderr, "  %s %s vjp: %s\n", c->op, mx_dtype_name(c->dtype), mx_last_error());
            ok = false;
        } else {
            for (int i = 0; i < na; i++) {
                ok = matches(c, i ? "vjp(b)" : "vjp(a)", grads.items[i], c->vjp[i], c->dtype) && ok;
                if (mx_array_dtype(grads.items[i]) != c->dtype) {
                    fprintf(stderr, "  %s %s: gradient dtype %s\n", c->op, mx_dtype_name(c->dtype),
                            mx_dtype_name(mx_array_dtype(grads.items[i])));
                    ok = false;
                }
            }
        }
        st = mx_jvp(f, in, na, tan, na, &jouts, &jvps);
        if (!c->has_jvp) {
            ok = ok && st != MX_OK;
        } else if (st != MX_OK) {
            fprintf(stderr, "  %s %s jvp: %s\n", c->op, mx_dtype_name(c->dtype), mx_last_error());
            ok = false;
        } else {
            mx_dtype td = mx_array_dtype(jvps.items[0]);
            ok = matches(c, "jvp", jvps.items[0], c->jvp, td == MX_BOOL ? MX_FLOAT32 : td) && ok;
        }
        failed += !ok;
        mx_array_list_clear(&outs);
        mx_array_list_clear(&grads);
        mx_array_list_clear(&jouts);
        mx_array_list_clear(&jvps);
        mx_closure_free(f);
        mx_scope_end(scope);
    }
    printf("  %d cases against MLX, %d failed\n", n_cases, failed);
    CHECK_EQ_INT(failed, 0);
}

/* ---- finite differences in float64 -------------------------------------------------------- */

typedef struct fd_case {
    const char *op;
    mx_array (*fn1)(mx_array);
    mx_array (*fn2)(mx_array, mx_array);
    double lo, hi; /* unary: points evenly in [lo, hi], away from kinks and poles */
} fd_case;

static mx_status apply_fd(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const fd_case *c = payload;
    (void)n;
    return mx_array_list_push(out, c->fn1 ? c->fn1(in[0]) : c->fn2(in[0], in[1]));
}

#define U(name, lo, hi)                                                                                                \
    { #name, mx_##name, NULL, lo, hi }
static const fd_case k_fd_unary[] = {
    U(abs, -1.5, 2.0),     U(negative, -1.5, 2.0), U(sign, -1.5, 2.0),        U(sqrt, 0.3, 4.0),
    U(rsqrt, 0.3, 4.0),    U(square, -1.5, 2.0),   U(reciprocal, 0.3, 3.0),   U(exp, -1.5, 2.0),
    U(expm1, -1.5, 2.0),   U(log, 0.3, 4.0),       U(log1p, -0.5, 3.0),       U(log2, 0.3, 4.0),
    U(log10, 0.3, 4.0),    U(sin, -1.5, 2.0),      U(cos, -1.5, 2.0),         U(tan, -1.2, 1.2),
    U(arcsin, -0.8, 0.8),  U(arccos, -0.8, 0.8),   U(arctan, -1.5, 2.0),      U(sinh, -1.5, 2.0),
    U(cosh, -1.5, 2.0),    U(tanh, -1.5, 2.0),     U(arcsinh, -1.5, 2.0),     U(arccosh, 1.2, 4.0),
    U(arctanh, -0.8, 0.8), U(sigmoid, -1.5, 2.0),  U(erf, -1.5, 2.0),         U(erfinv, -0.8, 0.8),
    U(floor, -1.3, 2.4),   U(ceil, -1.3, 2.4),     U(logical_not, -1.3, 2.4), U(isnan, -1.3, 2.4),
    U(isinf, -1.3, 2.4),   U(isfinite, -1.3, 2.4), U(degrees, -1.5, 2.0),     U(radians, -1.5, 2.0),
    U(copy, -1.5, 2.0),    U(positive, -1.5, 2.0),
};
#undef U
/* logaddexp is left to the MLX table: its float64 kernel keeps MLX's
 * float32-accurate log1p, which finite differences cannot resolve. And
 * stop_gradient's gradient is zero by definition, not its derivative. */
#define B(name)                                                                                                        \
    { #name, NULL, mx_##name, 0, 0 }
static const fd_case k_fd_binary[] = {
    B(add),     B(subtract),      B(multiply), B(divide),     B(floor_divide), B(remainder),
    B(power),   B(maximum),       B(minimum),  B(arctan2),    B(equal),        B(not_equal),
    B(greater), B(greater_equal), B(less),     B(less_equal), B(logical_and),  B(logical_or),
};
#undef B

static mx_array f64(const double *v, int64_t n) { return mx_array_from_data(v, &n, 1, MX_FLOAT64); }

static void test_finite_differences(void) {
    enum { N = 6 };
    for (size_t k = 0; k < sizeof k_fd_unary / sizeof k_fd_unary[0]; k++) {
        const fd_case *c = &k_fd_unary[k];
        double v[N];
        for (int i = 0; i < N; i++)
            v[i] = c->lo + (c->hi - c->lo) * i / (N - 1);
        mx_array x = f64(v, N);
        mx_closure f = mx_closure_new(apply_fd, (void *)c, NULL);
        bool ok = grad_check(f, &x, 1, 1e-6);
        if (!ok)
            fprintf(stderr, "  finite differences: %s\n", c->op);
        CHECK(ok);
        mx_closure_free(f);
        mx_free(x);
    }
    /* no ties, a / b never an integer, b != 0 */
    const double a[5] = {-1.3, -0.4, 0.35, 1.1, 2.2}, b[5] = {0.7, 1.9, -1.6, 0.45, 1.3};
    const double pa[5] = {0.7, 1.4, 0.35, 1.1, 2.2}; /* power: a positive base */
    for (size_t k = 0; k < sizeof k_fd_binary / sizeof k_fd_binary[0]; k++) {
        const fd_case *c = &k_fd_binary[k];
        mx_array in[2] = {f64(c->fn2 == mx_power ? pa : a, 5), f64(b, 5)};
        mx_closure f = mx_closure_new(apply_fd, (void *)c, NULL);
        bool ok = grad_check(f, in, 2, 1e-6);
        if (!ok)
            fprintf(stderr, "  finite differences: %s\n", c->op);
        CHECK(ok);
        mx_closure_free(f);
        mx_free_n(in, 2);
    }
}

static mx_status where_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array cond = mx_greater(in[0], in[1]), s = mx_sin(in[0]);
    mx_array y = mx_where(cond, s, in[1]);
    mx_free(cond);
    mx_free(s);
    return mx_array_list_push(out, y);
}

static void test_where_finite_differences(void) {
    const double a[5] = {-1.3, 0.4, 0.35, 1.1, 2.2}, b[5] = {0.7, -1.9, 1.6, 0.45, 1.3};
    mx_array in[2] = {f64(a, 5), f64(b, 5)};
    mx_closure f = mx_closure_new(where_fn, NULL, NULL);
    CHECK(grad_check(f, in, 2, 1e-6));
    mx_closure_free(f);
    mx_free_n(in, 2);
}

/* ---- second order ------------------------------------------------------------------------- */

static mx_status apply_second(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const second_case *c = payload;
    (void)n;
    return mx_array_list_push(out, c->kind == 1 ? c->fn1(in[0]) : c->fn2(in[0], in[1]));
}

/* d/d(arg2) of d f/d(arg1) at the case's point. */
static double second_derivative(const second_case *c, int arg1, int arg2) {
    mx_closure f = mx_closure_new(apply_second, (void *)c, NULL);
    mx_closure g1 = mx_grad(f, &arg1, 1);
    mx_closure g2 = mx_grad(g1, &arg2, 1);
    mx_array in[2] = {mx_scalar_f64(c->at[0]), mx_scalar_f64(c->at[1])};
    mx_array_list out = {0};
    double v = NAN;
    if (mx_closure_apply(g2, in, c->kind, &out) != MX_OK || mx_item_f64(out.items[0], &v) != MX_OK)
        fprintf(stderr, "  second derivative of %s: %s\n", c->op, mx_last_error());
    /* and grad of grad against finite differences of the first derivative */
    if (!grad_check(g1, in, c->kind, 1e-6)) {
        fprintf(stderr, "  finite differences of the gradient of %s\n", c->op);
        v = NAN;
    }
    mx_array_list_clear(&out);
    mx_free_n(in, 2);
    mx_closure_free(g2);
    mx_closure_free(g1);
    mx_closure_free(f);
    return v;
}

static void test_second_order(void) {
    for (size_t k = 0; k < sizeof k_second / sizeof k_second[0]; k++) {
        const second_case *c = &k_second[k];
        if (c->kind == 1) {
            double d = second_derivative(c, 0, 0);
            if (!(fabs(d - c->d2[0]) <= 1e-7 + 2e-6 * fabs(c->d2[0])))
                fprintf(stderr, "  %s'' = %.17g, MLX %.17g\n", c->op, d, c->d2[0]);
            CHECK_CLOSE(d, c->d2[0], 2e-6, 1e-7);
        } else {
            const int pairs[3][2] = {{0, 0}, {0, 1}, {1, 1}};
            for (int p = 0; p < 3; p++) {
                double d = second_derivative(c, pairs[p][0], pairs[p][1]);
                if (!(fabs(d - c->d2[p]) <= 1e-7 + 2e-6 * fabs(c->d2[p])))
                    fprintf(stderr, "  %s d2/d%d d%d = %.17g, MLX %.17g\n", c->op, pairs[p][0], pairs[p][1], d,
                            c->d2[p]);
                CHECK_CLOSE(d, c->d2[p], 2e-6, 1e-7);
            }
        }
    }
}

/* ---- ops MLX does not differentiate -------------------------------------------------------- */

static mx_status invert_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    return mx_array_list_push(out, mx_bitwise_invert(in[0]));
}

static void test_bitwise_invert_has_no_rules(void) {
    int32_t v[3] = {1, -2, 7};
    int64_t n = 3;
    mx_array x = mx_array_from_data(v, &n, 1, MX_INT32);
    mx_closure f = mx_closure_new(invert_fn, NULL, NULL);
    mx_array_list a = {0}, b = {0};
    CHECK_EQ_INT(mx_vjp(f, &x, 1, &x, 1, &a, &b), MX_ERROR_UNSUPPORTED);
    CHECK(strstr(mx_last_error(), "bitwise_invert") != NULL);
    CHECK_EQ_INT(a.count + b.count, 0);
    CHECK_EQ_INT(mx_jvp(f, &x, 1, &x, 1, &a, &b), MX_ERROR_UNSUPPORTED);
    CHECK(strstr(mx_last_error(), "bitwise_invert") != NULL);
    CHECK_EQ_INT(a.count + b.count, 0);
    mx_closure_free(f);
    mx_free(x);
}

int main(void) {
    RUN(test_against_mlx);
    RUN(test_finite_differences);
    RUN(test_where_finite_differences);
    RUN(test_second_order);
    RUN(test_bitwise_invert_has_no_rules);
    return CHECK_SUMMARY();
}
