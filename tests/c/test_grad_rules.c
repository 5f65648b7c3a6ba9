/* tests/c/test_grad_rules.c - the VJP and JVP rules of the reductions,
 * softmax, matmul, the shape ops and the random ops (src/ops/reduce_grad.c, matmul_grad.c,
 * shape_grad.c, random_grad.c).
 *
 * Three kinds of checks:
 *   - every rule against central finite differences in float64 (VJPs
 *     through mx_vjp and grad_check.h; JVPs through mx_jvp, and by calling
 *     the op's rule on its node, against differences along the tangent), on
 *     several shapes: keepdims,
 *     negative axes, size-1 and broadcast dims, batched matmul, stepped and
 *     reversed slices;
 *   - MLX 0.32's own gradients (grad_rule_cases.h, written by
 *     tests/gen/gen_grad_rule_cases.py) where finite differences cannot say
 *     what MLX does: ties in max/min, zeros and infinities in prod, NaNs,
 *     ddof >= n, half-precision rounding, uniform's low/high;
 *   - gradients of gradients, and the errors (random keys). */
#include <stdlib.h>

#include "check.h"
#include "core/handle.h"
#include "grad_check.h"
#include "ops/ops.h"

/* ---- closures over C functions ------------------------------------------------------------------ */

typedef mx_array (*array_fn)(const mx_array *in, int n, const void *arg);
typedef struct fn_payload {
    array_fn fn;
    const void *arg;
} fn_payload;

static mx_status call_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const fn_payload *p = payload;
    mx_array r = p->fn(in, n, p->arg);
    mx_status st = mx_array_status(r);
    if (st != MX_OK) {
        mx_free(r);
        return st;
    }
    return mx_array_list_push(out, r);
}

/* `storage` must outlive the closure. */
static mx_closure closure_of(fn_payload *storage, array_fn fn, const void *arg) {
    storage->fn = fn;
    storage->arg = arg;
    return mx_closure_new(call_fn, storage, NULL);
}

/* Deterministic float64 inputs: values in [lo, lo + width) spread so that
 * no two are equal (no ties for max/min, no zeros when lo > 0). */
static mx_array input(const int64_t *shape, int ndim, double lo, double width, unsigned seed) {
    int64_t size = 1;
    for (int i = 0; i < ndim; i++)
        size *= shape[i];
    double *v = malloc(sizeof *v * (size_t)(size ? size : 1));
    uint64_t state = 0x2545F4914F6CDD1DULL * (seed + 1);
    for (int64_t i = 0; i < size; i++)
        v[i] = lo + width * (0.5 + 0.5 * grad_check_uniform(&state)) + 1e-3 * (double)i / (double)size;
    mx_array x = mx_array_from_data(v, shape, ndim, MX_FLOAT64);
    free(v);
    return x;
}
#define INPUT(lo, width, seed, ...) input(SHAPE(__VA_ARGS__), lo, width, seed)

/* grad_check of fn(arg) at the given inputs. */
static bool fd_check(array_fn fn, const void *arg, const mx_array *in, int n) {
    fn_payload storage;
    mx_closure f = closure_of(&storage, fn, arg);
    bool ok = grad_check(f, in, n, 1e-6);
    mx_closure_free(f);
    return ok;
}

/* ---- JVPs through the rule of the output node ---------------------------------------------------- */

/* The JVP of the node behind fn(in) for tangents t (one per input), from
 * its op's rule: the node must be a primitive whose inputs are the given
 * inputs' nodes (float64 inputs, keepdims, so nothing is inserted). */
static mx_array rule_jvp(mx_array y, const mx_array *in, const mx_array *t, int n) {
    mx_node *node = mx_handle_get(y, "rule_jvp");
    if (!node || !node->op->jvp) {
        mx_set_error(MX_ERROR_VALUE, "rule_jvp: no rule");
        return mx_handle_wrap(NULL);
    }
    mx_node *tangents[8] = {0};
    bool found = false;
    for (int j = 0; j < node->n_inputs && j < 8; j++)
        for (int k = 0; k < n; k++)
            if (node->inputs[j] == mx_handle_get(in[k], "rule_jvp")) {
                tangents[j] = mx_handle_get(t[k], "rule_jvp");
                found = true;
            }
    if (!found) {
        mx_set_error(MX_ERROR_VALUE, "rule_jvp: the output (%s) is not a primitive of the inputs", node->op->name);
        return mx_handle_wrap(NULL);
    }
    mx_node *out = NULL;
    int st = node->op->jvp(node, tangents, &out);
    if (st != MX_OK)
        return mx_handle_wrap(NULL);
    if (!out) /* zero */
        return mx_handle_wrap(mx_node_full(node->shape, node->ndim, 0.0, node->dtype));
    return mx_handle_wrap(out);
}

/* (fn(in + h t) - fn(in - h t)) / 2h against the rule's JVP, element-wise,
 * for pseudo-random tangents. */
static bool jvp_check(array_fn fn, const void *arg, const mx_array *in, int n) {
    const double h = 1e-6;
    mx_scope scope = mx_scope_begin();
    mx_array t[8], plus[8], minus[8];
    for (int k = 0; k < n; k++) {
        t[k] = input(mx_shape(in[k]), mx_ndim(in[k]), -1.0, 2.0, 100 + (unsigned)k);
        mx_array step = mx_multiply(t[k], mx_scalar_f64(h));
        plus[k] = mx_add(in[k], step);
        minus[k] = mx_subtract(in[k], step);
    }
    mx_array y = fn(in, n, arg), tangent = rule_jvp(y, in, t, n);
    mx_array fd = mx_divide(mx_subtract(fn(plus, n, arg), fn(minus, n, arg)), mx_scalar_f64(2 * h));
    bool ok = mx_array_status(tangent) == MX_OK && mx_size(tangent) == mx_size(fd) && mx_ndim(tangent) == mx_ndim(y) &&
              mx_array_dtype(tangent) == mx_array_dtype(y);
    const double *a = ok ? mx_data_f64(tangent) : NULL, *b = ok ? mx_data_f64(fd) : NULL;
    ok = ok && a && b;
    for (int64_t i = 0; ok && i < mx_size(fd); i++) {
        if (!(fabs(a[i] - b[i]) <= 1e-6 * fmax(1.0, fabs(b[i])))) {
            fprintf(stderr, "  jvp_check: element %lld: rule %.12g, finite differences %.12g\n", (long long)i, a[i],
                    b[i]);
            ok = false;
        }
    }
    if (!ok)
        fprintf(stderr, "  jvp_check failed [%s]\n", mx_last_error());
    mx_scope_end(scope);
    return ok;
}

/* The same through mx_jvp on the whole function (keepdims=false reshapes,
 * softmax's transposes, matmul's views and casts included). */
static bool jvp_graph_check(array_fn fn, const void *arg, const mx_array *in, int n) {
    const double h = 1e-6;
    mx_scope scope = mx_scope_begin();
    mx_array t[8], plus[8], minus[8];
    for (int k = 0; k < n; k++) {
        t[k] = input(mx_shape(in[k]), mx_ndim(in[k]), -1.0, 2.0, 200 + (unsigned)k);
        mx_array step = mx_multiply(t[k], mx_scalar_f64(h));
        plus[k] = mx_add(in[k], step);
        minus[k] = mx_subtract(in[k], step);
    }
    fn_payload storage;
    mx_closure f = closure_of(&storage, fn, arg);
    mx_array_list outs = {0}, jvps = {0};
    bool ok = mx_jvp(f, in, n, t, n, &outs, &jvps) == MX_OK && jvps.count == 1;
    mx_array fd = mx_divide(mx_subtract(fn(plus, n, arg), fn(minus, n, arg)), mx_scalar_f64(2 * h));
    const double *a = ok ? mx_data_f64(jvps.items[0]) : NULL, *b = ok ? mx_data_f64(fd) : NULL;
    ok = ok && a && b && mx_size(jvps.items[0]) == mx_size(fd);
    for (int64_t i = 0; ok && i < mx_size(fd); i++) {
        if (!(fabs(a[i] - b[i]) <= 1e-6 * fmax(1.0, fabs(b[i])))) {
            fprintf(stderr, "  jvp_graph_check: element %lld: jvp %.12g, finite differences %.12g\n", (long long)i,
                    a[i], b[i]);
            ok = false;
        }
    }
    if (!ok)
        fprintf(stderr, "  jvp_graph_check failed [%s]\n", mx_last_error());
    mx_array_list_clear(&outs);
    mx_array_list_clear(&jvps);
    mx_closure_free(f);
    mx_scope_end(scope);
    return ok;
}

/* ---- reductions ------------------------------------------------------------------------------------ */

typedef struct reduce_spec {
    const char *op;
    int axes[4];
    int naxes; /* -1: every axis (mx_sum, mx_softmax, ...) */
    bool keepdims;
    int ddof;
    bool precise;
} reduce_spec;

typedef mx_array (*all_fn)(mx_array, bool);
typedef mx_array (*axes_fn)(mx_array, const int *, int, bool);
static const struct {
    const char *name;
    all_fn all;
    axes_fn axes;
} k_reductions[] = {
    {"sum", mx_sum, mx_sum_axes}, {"prod", mx_prod, mx_prod_axes}, {"max", mx_max, mx_max_axes},
    {"min", mx_min, mx_min_axes}, {"mean", mx_mean, mx_mean_axes}, {"logsumexp", mx_logsumexp, mx_logsumexp_axes},
    {"all", mx_all, mx_all_axes}, {"any", mx_any, mx_any_axes},
};

static mx_array apply_reduce(const mx_array *in, int n, const void *arg) {
    (void)n;
    const reduce_spec *s = arg;
    mx_array x = in[0];
    bool every = s->naxes < 0;
    if (!strcmp(s->op, "softmax"))
        return every ? mx_softmax(x, s->precise) : mx_softmax_axes(x, s->axes, s->naxes, s->precise);
    if (!strcmp(s->op, "var"))
        return every ? mx_var(x, s->keepdims, s->ddof) : mx_var_axes(x, s->axes, s->naxes, s->keepdims, s->ddof);
    if (!strcmp(s->op, "std"))
        return every ? mx_std(x, s->keepdims, s->ddof) : mx_std_axes(x, s->axes, s->naxes, s->keepdims, s->ddof);
    for (size_t i = 0; i < sizeof k_reductions / sizeof k_reductions[0]; i++)
        if (!strcmp(s->op, k_reductions[i].name))
            return every ? k_reductions[i].all(x, s->keepdims)
                         : k_reductions[i].axes(x, s->axes, s->naxes, s->keepdims);
    mx_set_error(MX_ERROR_VALUE, "apply_reduce: unknown op %s", s->op);
    return mx_handle_wrap(NULL);
}

/* The axes every reduction is checked on, over a (2, 3, 4) input. */
static const reduce_spec k_axes_cases[] = {
    {.naxes = -1},
    {.naxes = -1, .keepdims = true},
    {.axes = {1}, .naxes = 1},
    {.axes = {-1}, .naxes = 1, .keepdims = true},
    {.axes = {0, 2}, .naxes = 2},
    {.axes = {-3, -1}, .naxes = 2, .keepdims = true},
    {.axes = {2, 0, 1}, .naxes = 3},
    {.axes = {0}, .naxes = 0}, /* no axes: sum/prod/max/min return the input, mean/var/... work per element */
};

/* The VJP of `op` on every axes case, and its JVP where the output is the
 * primitive itself (keepdims, at least one axis). */
static void check_reduction(const char *op, double lo, double width, int ddof) {
    for (size_t c = 0; c < sizeof k_axes_cases / sizeof k_axes_cases[0]; c++) {
        mx_scope scope = mx_scope_begin();
        reduce_spec s = k_axes_cases[c];
        s.op = op;
        s.ddof = ddof;
        if (s.naxes == 0 && (!strcmp(op, "var") || !strcmp(op, "std")))
            continue; /* over one element: 0 or 0/0, where MLX's gradient is NaN by design */
        mx_array x = INPUT(lo, width, (unsigned)c, 2, 3, 4);
        bool ok = fd_check(apply_reduce, &s, &x, 1);
        if (!ok)
            fprintf(stderr, "  ^ %s vjp, axes case %zu, ddof %d\n", op, c, ddof);
        CHECK(ok);
        ok = jvp_graph_check(apply_reduce, &s, &x, 1);
        if (!ok)
            fprintf(stderr, "  ^ %s jvp through mx_jvp, axes case %zu, ddof %d\n", op, c, ddof);
        CHECK(ok);
        s.keepdims = true;
        if (s.naxes != 0) {
            ok = jvp_check(apply_reduce, &s, &x, 1);
            if (!ok)
                fprintf(stderr, "  ^ %s jvp, axes case %zu, ddof %d\n", op, c, ddof);
            CHECK(ok);
        }
        mx_scope_end(scope);
    }
}

static void test_sum(void) { check_reduction("sum", -2.0, 4.0, 0); }
static void test_prod(void) { check_reduction("prod", 0.5, 1.0, 0); }
static void test_max(void) { check_reduction("max", -2.0, 4.0, 0); }
static void test_min(void) { check_reduction("min", -2.0, 4.0, 0); }
static void test_mean(void) { check_reduction("mean", -2.0, 4.0, 0); }
static void test_var(void) {
    check_reduction("var", -2.0, 4.0, 0);
    check_reduction("var", -2.0, 4.0, 1);
}
static void test_std(void) {
    check_reduction("std", -2.0, 4.0, 0);
    check_reduction("std", -2.0, 4.0, 2);
}
static void test_logsumexp(void) { check_reduction("logsumexp", -3.0, 6.0, 0); }

/* Other shapes: size-1 reduced axes, one long axis (prod's scan takes
 * several steps), a 0-d input, a negative-valued prod. */
static void test_reduction_shapes(void) {
    mx_scope scope = mx_scope_begin();
    const char *ops[] = {"sum", "prod", "max", "min", "mean", "var", "std", "logsumexp"};
    mx_array x14 = INPUT(0.5, 1.0, 1, 1, 4), x37 = INPUT(0.8, 0.4, 2, 37), x0 = INPUT(0.5, 1.0, 3);
    mx_array neg = INPUT(-1.5, 1.0, 4, 3, 5);
    reduce_spec axis0 = {.axes = {0}, .naxes = 1}, every = {.naxes = -1},
                last_keep = {.axes = {-1}, .naxes = 1, .keepdims = true};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        axis0.op = every.op = last_keep.op = ops[i];
        bool is_std = !strcmp(ops[i], "std") || !strcmp(ops[i], "var");
        if (!is_std) /* var/std over one element: 0/0 */
            CHECK(fd_check(apply_reduce, &axis0, &x14, 1));
        CHECK(fd_check(apply_reduce, &every, &x37, 1));
        CHECK(fd_check(apply_reduce, &last_keep, &x37, 1));
        CHECK(jvp_check(apply_reduce, &last_keep, &x37, 1));
        CHECK(fd_check(apply_reduce, &every, &neg, 1));
        if (!is_std)
            CHECK(fd_check(apply_reduce, &every, &x0, 1));
    }
    mx_scope_end(scope);
}

static void test_softmax(void) {
    const reduce_spec cases[] = {
        {.naxes = -1},
        {.axes = {-1}, .naxes = 1},
        {.axes = {0}, .naxes = 1},
        {.axes = {0, 2}, .naxes = 2},
        {.axes = {1, 2}, .naxes = 2},
        {.axes = {-2}, .naxes = 1},
        {.axes = {-1}, .naxes = 1, .precise = true}, /* off the last axis, precise computes in float32 */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mx_scope scope = mx_scope_begin();
        reduce_spec s = cases[c];
        s.op = "softmax";
        mx_array x = INPUT(-3.0, 6.0, (unsigned)c, 2, 3, 4);
        bool ok = fd_check(apply_reduce, &s, &x, 1);
        if (!ok)
            fprintf(stderr, "  ^ softmax case %zu\n", c);
        CHECK(ok);
        CHECK(jvp_graph_check(apply_reduce, &s, &x, 1));
        if (c == 1 || c == 6) /* the primitive itself: over the last axis */
            CHECK(jvp_check(apply_reduce, &s, &x, 1));
        mx_scope_end(scope);
    }
}

/* argmax/argmin/all/any carry no gradient: in x * argmax(x) only the
 * product's own factor contributes. */
static mx_array times_arg_reduction(const mx_array *in, int n, const void *arg) {
    (void)n;
    const char *op = arg;
    mx_array x = in[0], r;
    if (!strcmp(op, "argmax"))
        r = mx_argmax_axis(x, 1, true);
    else if (!strcmp(op, "argmin"))
        r = mx_argmin_axis(x, -1, true);
    else if (!strcmp(op, "all"))
        r = mx_all_axes(mx_greater(x, mx_scalar_f64(-0.5)), (const int[]){1}, 1, true);
    else
        r = mx_any_axes(mx_greater(x, mx_scalar_f64(0.5)), (const int[]){0}, 1, true);
    return mx_multiply(x, mx_astype(r, MX_FLOAT64));
}

static void test_no_gradient_reductions(void) {
    const char *ops[] = {"argmax", "argmin", "all", "any"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        mx_scope scope = mx_scope_begin();
        mx_array x = INPUT(-1.0, 2.0, (unsigned)i, 3, 4);
        CHECK(fd_check(times_arg_reduction, ops[i], &x, 1));
        /* the rules themselves give "zero" */
        mx_array y = !strcmp(ops[i], "argmax")   ? mx_argmax_axis(x, 1, true)
                     : !strcmp(ops[i], "argmin") ? mx_argmin_axis(x, 1, true)
                     : !strcmp(ops[i], "all")    ? mx_all_axis(x, 0, true)
                                                 : mx_any_axis(x, 0, true);
        mx_node *node = mx_handle_get(y, "test"), *g = (mx_node *)1, *t = (mx_node *)1;
        mx_node *tangent = mx_handle_get(x, "test");
        CHECK(node && node->op->vjp && node->op->jvp);
        if (node && node->op->vjp) {
            CHECK_EQ_INT(node->op->vjp(node, node, (const int[]){0}, 1, &g), MX_OK);
            CHECK(g == NULL);
            CHECK_EQ_INT(node->op->jvp(node, &tangent, &t), MX_OK);
            CHECK(t == NULL);
        }
        mx_scope_end(scope);
    }
}

/* ---- MLX's gradients ------------------------------------------------------------------------------- */

typedef struct grad_ref_case {
    const char *op, *mode;
    int axes[4];
    int naxes; /* -1: every axis */
    int keepdims, ddof;
    mx_dtype dtype;
    int ndim;
    int64_t shape[4];
    int n;
    double x[24];
    int m;
    double v[24]; /* cotangent (vjp) or tangent (jvp) */
    int k;
    double expected[24];
} grad_ref_case;

#include "grad_rule_cases.h"

/* The input of a case, in its dtype. */
static mx_array case_array(const double *values, const int64_t *shape, int ndim, mx_dtype dtype) {
    mx_array d = mx_array_from_data(values, shape, ndim, MX_FLOAT64);
    mx_array x = mx_astype(d, dtype);
    mx_free(d);
    return x;
}

static void test_mlx_reference_cases(void) {
    size_t count = sizeof k_grad_ref_cases / sizeof k_grad_ref_cases[0];
    for (size_t c = 0; c < count; c++) {
        const grad_ref_case *rc = &k_grad_ref_cases[c];
        mx_scope scope = mx_scope_begin();
        reduce_spec s = {.op = rc->op, .naxes = rc->naxes, .keepdims = rc->keepdims, .ddof = rc->ddof};
        memcpy(s.axes, rc->axes, sizeof s.axes);
        mx_array x = case_array(rc->x, rc->shape, rc->ndim, rc->dtype), result;
        if (!strcmp(rc->mode, "vjp")) {
            mx_array y = apply_reduce(&x, 1, &s);
            mx_array cot = case_array(rc->v, mx_shape(y), mx_ndim(y), mx_array_dtype(y));
            fn_payload storage;
            mx_closure f = closure_of(&storage, apply_reduce, &s);
            mx_array_list outs = {0}, grads = {0};
            CHECK_OK(mx_vjp(f, &x, 1, &cot, 1, &outs, &grads));
            result = grads.count == 1 ? mx_retain(grads.items[0]) : mx_handle_wrap(NULL);
            mx_array_list_clear(&outs);
            mx_array_list_clear(&grads);
            mx_closure_free(f);
        } else {
            s.keepdims = true; /* the rule's node is the output */
            mx_array t = case_array(rc->v, rc->shape, rc->ndim, rc->dtype);
            result = rule_jvp(apply_reduce(&x, 1, &s), &x, &t, 1);
        }
        double got[24];
        bool ok = mx_size(result) == rc->k && mx_copy_to(result, got, sizeof got, MX_FLOAT64) == MX_OK;
        /* NaNs and infinities exactly. Finite float32 values within a few units in
         * the last place (32) of the case's largest value: sums, products and exp are
         * rounded in other orders than MLX's (and var's and softmax's gradients
         * cancel to values far below their inputs). The half-precision cases are
         * rounded at the same points as MLX and must match exactly. */
        double scale = 0;
        for (int i = 0; i < rc->k; i++)
            if (isfinite(rc->expected[i]))
                scale = fmax(scale, fabs(rc->expected[i]));
        double tol = rc->dtype == MX_FLOAT32 ? 32 * 0x1p-24 * scale : 0;
        for (int i = 0; ok && i < rc->k; i++) {
            double a = got[i], b = rc->expected[i];
            bool same = (isnan(a) && isnan(b)) || a == b || (isfinite(b) && fabs(a - b) <= tol);
            if (!same) {
                fprintf(stderr, "  case %zu (%s %s %s): element %d is %.9g, MLX gives %.9g\n", c, rc->mode, rc->op,
                        mx_dtype_name(rc->dtype), i, a, b);
                ok = false;
            }
        }
        CHECK(ok);
        mx_scope_end(scope);
    }
}

/* ---- matmul ---------------------------------------------------------------------------------------- */

static mx_array apply_matmul(const mx_array *in, int n, const void *arg) {
    (void)n, (void)arg;
    return mx_matmul(in[0], in[1]);
}

static void check_matmul(mx_array a, mx_array b, bool direct_jvp) {
    mx_array in[2] = {a, b};
    bool ok = fd_check(apply_matmul, NULL, in, 2);
    if (!ok) {
        char sa[64], sb[64];
        fprintf(stderr, "  ^ matmul %s @ %s\n", mx_format_shape(mx_shape(a), mx_ndim(a), sa, sizeof sa),
                mx_format_shape(mx_shape(b), mx_ndim(b), sb, sizeof sb));
    }
    CHECK(ok);
    CHECK(jvp_graph_check(apply_matmul, NULL, in, 2));
    if (direct_jvp)
        CHECK(jvp_check(apply_matmul, NULL, in, 2));
}

static void test_matmul(void) {
    mx_scope scope = mx_scope_begin();
    check_matmul(INPUT(-1, 2, 1, 3, 4), INPUT(-1, 2, 2, 4, 5), true);
    check_matmul(INPUT(-1, 2, 3, 2, 3, 4), INPUT(-1, 2, 4, 2, 4, 5), true);     /* batched */
    check_matmul(INPUT(-1, 2, 5, 3, 1, 2, 4), INPUT(-1, 2, 6, 5, 4, 3), false); /* broadcast batch dims */
    check_matmul(INPUT(-1, 2, 7, 4, 3), INPUT(-1, 2, 8, 2, 3, 2), false);       /* a has no batch dims */
    check_matmul(INPUT(-1, 2, 9, 4), INPUT(-1, 2, 10, 4, 3), false);            /* vector @ matrix */
    check_matmul(INPUT(-1, 2, 11, 2, 3, 4), INPUT(-1, 2, 12, 4), false);        /* batched matrix @ vector */
    check_matmul(INPUT(-1, 2, 13, 5), INPUT(-1, 2, 14, 5), false);              /* vector @ vector */
    check_matmul(INPUT(-1, 2, 15, 1, 4), INPUT(-1, 2, 16, 4, 1), false);        /* size-1 matrix dims */
    mx_scope_end(scope);
}

/* ---- shape ops ------------------------------------------------------------------------------------- */

typedef struct shape_spec {
    int kind; /* see apply_shape */
    int64_t a[4], b[4], c[4];
    int n;
} shape_spec;

enum { RESHAPE, TRANSPOSE, BROADCAST, SLICE, CONCAT, FLIP, SPLIT_SECOND, STACK, SQUEEZE_EXPAND };

static mx_array apply_shape(const mx_array *in, int n, const void *arg) {
    const shape_spec *s = arg;
    int axes[4];
    for (int i = 0; i < 4; i++)
        axes[i] = (int)s->a[i];
    switch (s->kind) {
    case RESHAPE: return mx_reshape(in[0], s->a, s->n);
    case TRANSPOSE: return mx_transpose(in[0], axes, s->n);
    case BROADCAST: return mx_broadcast_to(in[0], s->a, s->n);
    case SLICE: return mx_slice(in[0], s->a, s->b, s->c, s->n);
    case CONCAT: return mx_concatenate(in, n, (int)s->a[0]);
    case FLIP: return mx_flip(in[0], axes, s->n);
    case STACK: return mx_stack(in, n, (int)s->a[0]);
    case SQUEEZE_EXPAND: return mx_expand_dims(mx_squeeze(in[0], NULL, 0), axes, s->n);
    default: { /* the second part of a split along axis a[0] into a[1] parts */
        mx_array parts[4];
        if (mx_split(in[0], (int)s->a[1], (int)s->a[0], parts) != MX_OK)
            return mx_handle_wrap(NULL);
        mx_array second = mx_retain(parts[1]);
        mx_free_n(parts, (int)s->a[1]);
        return second;
    }
    }
}

static void check_shape(shape_spec s, const mx_array *in, int n, bool direct_jvp, const char *what) {
    bool ok = fd_check(apply_shape, &s, in, n);
    if (!ok)
        fprintf(stderr, "  ^ %s\n", what);
    CHECK(ok);
    ok = jvp_graph_check(apply_shape, &s, in, n);
    if (!ok)
        fprintf(stderr, "  ^ mx_jvp of %s\n", what);
    CHECK(ok);
    if (direct_jvp) {
        ok = jvp_check(apply_shape, &s, in, n);
        if (!ok)
            fprintf(stderr, "  ^ jvp of %s\n", what);
        CHECK(ok);
    }
}

static void test_reshape_transpose(void) {
    mx_scope scope = mx_scope_begin();
    mx_array x = INPUT(-1, 2, 1, 2, 3, 4);
    check_shape((shape_spec){.kind = RESHAPE, .a = {4, 6}, .n = 2}, &x, 1, true, "reshape (4,6)");
    check_shape((shape_spec){.kind = RESHAPE, .a = {24}, .n = 1}, &x, 1, true, "reshape (24)");
    check_shape((shape_spec){.kind = TRANSPOSE, .a = {2, 0, 1}, .n = 3}, &x, 1, true, "transpose (2,0,1)");
    check_shape((shape_spec){.kind = TRANSPOSE, .a = {-1, -3, -2}, .n = 3}, &x, 1, true, "transpose (-1,-3,-2)");
    mx_array t = mx_transpose(x, (const int[]){1, 2, 0}, 3); /* a non-contiguous input to reshape */
    check_shape((shape_spec){.kind = RESHAPE, .a = {12, 2}, .n = 2}, &t, 1, true, "reshape of a transposed view");
    mx_array y = INPUT(-1, 2, 2, 1, 3, 1);
    check_shape((shape_spec){.kind = SQUEEZE_EXPAND, .a = {0, 2}, .n = 2}, &y, 1, false, "squeeze then expand_dims");
    mx_scope_end(scope);
}

static void test_broadcast_to(void) {
    mx_scope scope = mx_scope_begin();
    mx_array x = INPUT(-1, 2, 1, 3, 1), s = INPUT(-1, 2, 2), v = INPUT(-1, 2, 3, 4), one = INPUT(-1, 2, 4, 1, 1, 1);
    check_shape((shape_spec){.kind = BROADCAST, .a = {2, 3, 4}, .n = 3}, &x, 1, true, "broadcast (3,1) to (2,3,4)");
    check_shape((shape_spec){.kind = BROADCAST, .a = {3, 1}, .n = 2}, &x, 1, false, "broadcast (3,1) to itself");
    check_shape((shape_spec){.kind = BROADCAST, .a = {2, 3, 1}, .n = 3}, &x, 1, true,
                "broadcast (3,1) to (2,3,1): size 1 kept");
    check_shape((shape_spec){.kind = BROADCAST, .a = {2, 3}, .n = 2}, &s, 1, true, "broadcast a scalar");
    check_shape((shape_spec){.kind = BROADCAST, .a = {5, 4}, .n = 2}, &v, 1, true, "broadcast (4) to (5,4)");
    check_shape((shape_spec){.kind = BROADCAST, .a = {2, 1, 3, 1}, .n = 4}, &one, 1, true,
                "broadcast (1,1,1) to (2,1,3,1)");
    /* a broadcast to an empty shape: the gradient is zeros of the input */
    mx_array g_in = INPUT(-1, 2, 5, 1, 3);
    check_shape((shape_spec){.kind = BROADCAST, .a = {0, 3}, .n = 2}, &g_in, 1, false, "broadcast (1,3) to (0,3)");
    mx_scope_end(scope);
}

static void test_slice(void) {
    mx_scope scope = mx_scope_begin();
    mx_array x = INPUT(-1, 2, 1, 5, 6, 7);
    const struct {
        int64_t start[3], stop[3], step[3];
        const char *what;
    } cases[] = {
        {{1, 0, 2}, {4, 6, 7}, {1, 1, 1}, "offsets"},
        {{0, 1, 0}, {5, 6, 7}, {2, 2, 3}, "steps 2, 2, 3"},
        {{4, 0, 6}, {-6, 6, -8}, {-1, 1, -1}, "reversed"},
        {{4, 5, 6}, {-6, 0, 0}, {-2, -3, -4}, "reversed steps"},
        {{-2, -5, 1}, {5, -1, 6}, {1, 3, 4}, "negative starts"},
        {{1, 2, 3}, {2, 3, 4}, {1, 1, 1}, "one element"},
        {{0, 0, 0}, {5, 6, 7}, {5, 6, 7}, "the first element by big steps"},
        {{2, 0, 0}, {2, 6, 7}, {1, 1, 1}, "empty"},
        {{3, 0, 0}, {1, 6, 7}, {1, 1, 1}, "empty: stop before start"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        shape_spec s = {.kind = SLICE, .n = 3};
        memcpy(s.a, cases[c].start, sizeof cases[c].start);
        memcpy(s.b, cases[c].stop, sizeof cases[c].stop);
        memcpy(s.c, cases[c].step, sizeof cases[c].step);
        check_shape(s, &x, 1, true, cases[c].what);
    }
    /* slices of slices, and of a 1-d and a 0-size axis */
    mx_array inner = mx_slice(x, (int64_t[]){4, 0, 1}, (int64_t[]){0, 6, 7}, (int64_t[]){-1, 2, 2}, 3);
    check_shape((shape_spec){.kind = SLICE, .a = {3, 2, 2}, .b = {0, 0, 0}, .c = {-2, -1, -1}, .n = 3}, &inner, 1,
                false, "a slice of a slice");
    mx_array v = INPUT(-1, 2, 2, 9), e = INPUT(-1, 2, 3, 0, 3);
    check_shape((shape_spec){.kind = SLICE, .a = {8}, .b = {-10}, .c = {-3}, .n = 1}, &v, 1, true, "1-d reversed by 3");
    check_shape((shape_spec){.kind = SLICE, .a = {0, 1}, .b = {0, 3}, .c = {1, 1}, .n = 2}, &e, 1, false,
                "a slice of an empty array");
    check_shape((shape_spec){.kind = FLIP, .a = {0, -1}, .n = 2}, &x, 1, false, "flip");
    check_shape((shape_spec){.kind = SPLIT_SECOND, .a = {1, 3}}, &x, 1, false, "split");
    mx_scope_end(scope);
}

static void test_concatenate(void) {
    mx_scope scope = mx_scope_begin();
    mx_array three[3] = {INPUT(-1, 2, 1, 2, 1, 3), INPUT(-1, 2, 2, 2, 4, 3), INPUT(-1, 2, 3, 2, 2, 3)};
    check_shape((shape_spec){.kind = CONCAT, .a = {1}}, three, 3, true, "concatenate along 1");
    check_shape((shape_spec){.kind = CONCAT, .a = {-2}}, three, 3, true, "concatenate along -2");
    mx_array pair[2] = {INPUT(-1, 2, 4, 3, 2), INPUT(-1, 2, 5, 3, 5)};
    check_shape((shape_spec){.kind = CONCAT, .a = {-1}}, pair, 2, true, "concatenate along -1");
    mx_array same[2] = {INPUT(-1, 2, 6, 2, 3), INPUT(-1, 2, 7, 2, 3)};
    check_shape((shape_spec){.kind = STACK, .a = {1}}, same, 2, false, "stack along 1");
    /* the same array twice: both slices reach it */
    mx_array twice[2] = {same[0], same[0]};
    check_shape((shape_spec){.kind = CONCAT, .a = {0}}, twice, 2, false, "concatenate x with itself");
    /* a tangent for only some inputs: zeros stand in for the others */
    mx_array y = mx_concatenate(three, 3, 1);
    mx_array t = INPUT(-1, 2, 8, 2, 4, 3);
    mx_array in_one[1] = {three[1]}, tangent = rule_jvp(y, in_one, &t, 1);
    const double *tv = mx_data_f64(tangent), *td = mx_data_f64(t);
    CHECK(tv && td);
    for (int i = 0; tv && td && i < 2; i++)
        for (int j = 0; j < 7; j++)
            for (int k = 0; k < 3; k++)
                CHECK(tv[(i * 7 + j) * 3 + k] == (j >= 1 && j < 5 ? td[(i * 4 + j - 1) * 3 + k] : 0.0));
    mx_scope_end(scope);
}

/* ---- random ---------------------------------------------------------------------------------------- */

static mx_array apply_uniform(const mx_array *in, int n, const void *arg) {
    (void)n;
    return mx_random_uniform(in[0], in[1], SHAPE(3, 2), MX_FLOAT32, *(const mx_array *)arg);
}

static mx_array apply_uniform_of_key(const mx_array *in, int n, const void *arg) {
    (void)n, (void)arg;
    return mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, SHAPE(2), MX_FLOAT32, in[0]);
}

static mx_array apply_normal_of_key(const mx_array *in, int n, const void *arg) {
    (void)n, (void)arg;
    return mx_random_normal(SHAPE(2), MX_FLOAT32, 0.0, 1.0, in[0]);
}

static void test_random(void) {
    mx_scope scope = mx_scope_begin();
    mx_array key = mx_random_key(3);
    mx_array bounds[2] = {mx_array_from_data((const float[]){0.5f, -1.0f}, SHAPE(2), MX_FLOAT32),
                          mx_array_from_data((const float[]){2.0f, 3.0f}, SHAPE(2), MX_FLOAT32)};
    float cv[6];
    for (int i = 0; i < 6; i++)
        cv[i] = (float)(i + 1) / 4.0f;
    mx_array cot = mx_array_from_data(cv, SHAPE(3, 2), MX_FLOAT32);
    fn_payload storage;
    mx_closure f = closure_of(&storage, apply_uniform, &key);
    mx_array_list outs = {0}, grads = {0};
    CHECK_OK(mx_vjp(f, bounds, 2, &cot, 1, &outs, &grads));
    CHECK_EQ_INT(grads.count, 2);
    if (grads.count == 2) {
        const float *lo = mx_data_f32(grads.items[0]), *hi = mx_data_f32(grads.items[1]);
        CHECK(lo && hi);
        for (int i = 0; lo && hi && i < 2; i++) {
            CHECK_CLOSE(lo[i], k_uniform_grad_low[i], 2e-7, 0);
            CHECK_CLOSE(hi[i], k_uniform_grad_high[i], 2e-7, 0);
        }
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    /* jvp: (d high - d low) * u + d low, u the draw */
    mx_array tangents[2] = {mx_array_from_data((const float[]){1.0f, 0.5f}, SHAPE(2), MX_FLOAT32),
                            mx_array_from_data((const float[]){-0.25f, 2.0f}, SHAPE(2), MX_FLOAT32)};
    mx_array y = mx_random_uniform(bounds[0], bounds[1], SHAPE(3, 2), MX_FLOAT32, key);
    mx_node *node = mx_handle_get(y, "test");
    mx_node *lo_node = node ? node->inputs[1] : NULL, *hi_node = node ? node->inputs[2] : NULL;
    /* the rule sees low and high broadcast to (3, 2) */
    mx_array tl = mx_broadcast_to(tangents[0], SHAPE(3, 2)), th = mx_broadcast_to(tangents[1], SHAPE(3, 2));
    mx_node *t[3] = {NULL, mx_handle_get(tl, "test"), mx_handle_get(th, "test")}, *out = NULL;
    CHECK(node && lo_node && hi_node);
    if (node) {
        CHECK_EQ_INT(node->op->jvp(node, t, &out), MX_OK);
        mx_array jv = mx_handle_wrap(out);
        const float *j = mx_data_f32(jv);
        CHECK(j);
        for (int i = 0; j && i < 6; i++)
            CHECK_CLOSE(j[i], k_uniform_jvp[i], 2e-7, 0);
    }
    /* no gradient with respect to a key: MLX raises ValueError */
    array_fn keyed[2] = {apply_uniform_of_key, apply_normal_of_key};
    for (int i = 0; i < 2; i++) {
        mx_closure g = closure_of(&storage, keyed[i], NULL);
        mx_array ones = mx_array_from_data((const float[]){1.0f, 1.0f}, SHAPE(2), MX_FLOAT32);
        CHECK_EQ_INT(mx_vjp(g, &key, 1, &ones, 1, &outs, &grads), MX_ERROR_VALUE);
        CHECK(strstr(mx_last_error(), "random key") != NULL);
        CHECK_EQ_INT(outs.count + grads.count, 0);
        mx_closure_free(g);
    }
    mx_scope_end(scope);
}

/* ---- gradients of gradients -------------------------------------------------------------------------- */

/* in[0] -> the gradient of sum(inner(x) * c) for a fixed c, as a function
 * of x that grad_check differentiates again. */
typedef struct second_order {
    array_fn inner;
    const void *arg;
    int n_inputs;
} second_order;

static mx_array gradient_of(const mx_array *in, int n, const void *arg) {
    const second_order *so = arg;
    fn_payload storage;
    mx_closure f = closure_of(&storage, so->inner, so->arg);
    mx_array y = so->inner(in, n, so->arg);
    /* a cotangent that depends on x, so the inner rule's own inputs matter */
    mx_array cot = mx_sin(mx_multiply(y, mx_scalar_f64(1.7)));
    mx_array_list outs = {0}, grads = {0};
    mx_status st = mx_vjp(f, in, n, &cot, 1, &outs, &grads);
    mx_array g = st == MX_OK ? mx_retain(grads.items[0]) : mx_handle_wrap(NULL);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_free(y);
    mx_free(cot);
    return g;
}

static void test_second_order(void) {
    mx_scope scope = mx_scope_begin();
    mx_array x = INPUT(-1, 2, 1, 2, 3, 4);
    const reduce_spec sum = {.op = "sum", .axes = {1}, .naxes = 1},
                      mean = {.op = "mean", .axes = {0, 2}, .naxes = 2, .keepdims = true},
                      softmax = {.op = "softmax", .axes = {-1}, .naxes = 1},
                      softmax0 = {.op = "softmax", .axes = {0}, .naxes = 1},
                      lse = {.op = "logsumexp", .axes = {2}, .naxes = 1},
                      var = {.op = "var", .axes = {1}, .naxes = 1, .ddof = 1},
                      max = {.op = "max", .axes = {-1}, .naxes = 1}, prod = {.op = "prod", .axes = {0}, .naxes = 1};
    const reduce_spec *specs[] = {&sum, &mean, &softmax, &softmax0, &lse, &var, &max, &prod};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        second_order so = {apply_reduce, specs[i], 1};
        mx_array in = !strcmp(specs[i]->op, "prod") ? INPUT(0.5, 1, 2, 2, 3, 4) : x;
        bool ok = fd_check(gradient_of, &so, &in, 1);
        if (!ok)
            fprintf(stderr, "  ^ grad of grad of %s\n", specs[i]->op);
        CHECK(ok);
    }
    mx_array ab[2] = {INPUT(-1, 2, 3, 2, 3, 4), INPUT(-1, 2, 4, 4, 2)};
    second_order mm = {apply_matmul, NULL, 2};
    CHECK(fd_check(gradient_of, &mm, ab, 2));
    mx_array s = INPUT(-1, 2, 5, 5, 6);
    shape_spec sl = {.kind = SLICE, .a = {4, 1}, .b = {0, 6}, .c = {-2, 3}, .n = 2};
    second_order slice = {apply_shape, &sl, 1};
    CHECK(fd_check(gradient_of, &slice, &s, 1));
    mx_scope_end(scope);
}

/* ---- errors ---------------------------------------------------------------------------------------- */

/* complex64 gradients that need a conjugate are refused, not wrong. */
static void test_unsupported(void) {
    mx_scope scope = mx_scope_begin();
    float z[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    mx_array a = mx_array_from_data(z, SHAPE(2, 2), MX_COMPLEX64);
    mx_array y = mx_matmul(a, a), cot = mx_ones(SHAPE(2, 2), MX_COMPLEX64);
    fn_payload storage;
    mx_closure f = closure_of(&storage, apply_matmul, NULL);
    mx_array_list outs = {0}, grads = {0};
    mx_array in[2] = {a, a};
    CHECK_EQ_INT(mx_vjp(f, in, 2, &cot, 1, &outs, &grads), MX_ERROR_UNSUPPORTED);
    CHECK(strstr(mx_last_error(), "matmul") != NULL);
    mx_closure_free(f);
    (void)y;
    mx_scope_end(scope);
}

int main(void) {
    RUN(test_sum);
    RUN(test_prod);
    RUN(test_max);
    RUN(test_min);
    RUN(test_mean);
    RUN(test_var);
    RUN(test_std);
    RUN(test_logsumexp);
    RUN(test_reduction_shapes);
    RUN(test_softmax);
    RUN(test_no_gradient_reductions);
    RUN(test_mlx_reference_cases);
    RUN(test_matmul);
    RUN(test_reshape_transpose);
    RUN(test_broadcast_to);
    RUN(test_slice);
    RUN(test_concatenate);
    RUN(test_random);
    RUN(test_second_order);
    RUN(test_unsupported);
    return CHECK_SUMMARY();
}
