/* tests/c/test_transforms.c - the transforms over closures: mx_jvp,
 * mx_grad / mx_value_and_grad (argnums, auxiliary outputs, errors, higher
 * order), custom functions (custom_vjp, custom jvp) and mx_checkpoint
 * (the same gradients, and less memory). Reference values are the
 * closed-form derivatives; the element-wise rules themselves are checked
 * against MLX in test_grad_elementwise.c. */
#include <stdlib.h>

#include "check.h"
#include "core/node.h" /* mx_tracing */
#include "grad_check.h"

static mx_array vec(const double *v, int64_t n) { return mx_array_from_data(v, &n, 1, MX_FLOAT64); }

static double item(mx_array a) {
    double v = NAN;
    if (mx_item_f64(a, &v) != MX_OK)
        return NAN;
    return v;
}

/* elements of a as doubles into out (n of them); false on error */
static bool values(mx_array a, double *out, int64_t n) {
    return mx_size(a) == n && mx_copy_to(a, out, (size_t)n * sizeof *out, MX_FLOAT64) == MX_OK;
}

/* ---- functions under test ---------------------------------------------------------------- */

/* f(x, y) = sin(x) * y, and x + y as a second output */
static mx_status sin_times(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array s = mx_sin(in[0]);
    mx_status st = mx_array_list_push(out, mx_multiply(s, in[1]));
    mx_free(s);
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_add(in[0], in[1]));
    return st;
}

/* f(x) = x^3 (as x * x * x) */
static mx_status cube(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array sq = mx_multiply(in[0], in[0]);
    mx_status st = mx_array_list_push(out, mx_multiply(sq, in[0]));
    mx_free(sq);
    return st;
}

/* f(x, y) = (x * y^2, aux1 = exp(x), aux2 = x - y): a scalar loss and two
 * auxiliary outputs */
static mx_status loss_and_aux(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array y2 = mx_square(in[1]);
    mx_status st = mx_array_list_push(out, mx_multiply(in[0], y2));
    mx_free(y2);
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_exp(in[0]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_subtract(in[0], in[1]));
    return st;
}

/* Fails after building part of a graph: a reshape to a wrong size. */
static mx_status failing(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array t = mx_tanh(in[0]);
    mx_array bad = mx_reshape(t, (int64_t[]){7, 3}, 2);
    mx_status st = mx_array_status(bad);
    mx_free(t);
    mx_free(bad);
    (void)out;
    return st;
}

/* Returns x itself, a constant, and a stop_gradient of x. */
static mx_status passthrough(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_status st = mx_array_list_push(out, mx_retain(in[0]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_full(mx_shape(in[0]), mx_ndim(in[0]), 2.0, MX_FLOAT64));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_stop_gradient(in[0]));
    return st;
}

/* ---- jvp ----------------------------------------------------------------------------------- */

static void test_jvp_values(void) {
    const double xv[3] = {0.3, -1.2, 2.0}, yv[3] = {1.5, 0.5, -2.0}, txv[3] = {1, 2, -1}, tyv[3] = {0.5, -1, 3};
    mx_array in[2] = {vec(xv, 3), vec(yv, 3)}, tan[2] = {vec(txv, 3), vec(tyv, 3)};
    mx_closure f = mx_closure_new(sin_times, NULL, NULL);
    mx_array_list outs = {0}, jvps = {0};
    CHECK_OK(mx_jvp(f, in, 2, tan, 2, &outs, &jvps));
    CHECK_EQ_INT(outs.count, 2);
    CHECK_EQ_INT(jvps.count, 2);
    double j0[3], j1[3], o[3];
    if (jvps.count == 2 && values(jvps.items[0], j0, 3) && values(jvps.items[1], j1, 3) &&
        values(outs.items[0], o, 3)) {
        for (int i = 0; i < 3; i++) {
            CHECK_CLOSE(o[i], sin(xv[i]) * yv[i], 1e-15, 0);
            CHECK_CLOSE(j0[i], cos(xv[i]) * yv[i] * txv[i] + sin(xv[i]) * tyv[i], 1e-14, 1e-15);
            CHECK_CLOSE(j1[i], txv[i] + tyv[i], 0, 0);
        }
    } else {
        CHECK(false);
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&jvps);
    mx_closure_free(f);
    mx_free_n(in, 2);
    mx_free_n(tan, 2);
}

/* <c, J t> == <J^T c, t> for the same function: forward and reverse agree. */
static void test_jvp_matches_vjp(void) {
    const double xv[4] = {0.3, -1.2, 2.0, 0.1}, yv[4] = {1.5, 0.5, -2.0, 1}, t0[4] = {1, 2, -1, 0.5},
                 t1[4] = {0.5, -1, 3, 1}, c0[4] = {1, -1, 0.25, 2}, c1[4] = {0.5, 0.5, -1, 1};
    mx_array in[2] = {vec(xv, 4), vec(yv, 4)}, tan[2] = {vec(t0, 4), vec(t1, 4)}, cot[2] = {vec(c0, 4), vec(c1, 4)};
    mx_closure f = mx_closure_new(sin_times, NULL, NULL);
    mx_array_list a = {0}, jv = {0}, b = {0}, vj = {0};
    CHECK_OK(mx_jvp(f, in, 2, tan, 2, &a, &jv));
    CHECK_OK(mx_vjp(f, in, 2, cot, 2, &b, &vj));
    double lhs = 0, rhs = 0, u[4], v[4];
    for (int k = 0; k < 2 && jv.count == 2 && vj.count == 2; k++) {
        CHECK(values(jv.items[k], u, 4));
        CHECK(values(vj.items[k], v, 4));
        for (int i = 0; i < 4; i++) {
            lhs += (k ? c1 : c0)[i] * u[i];
            rhs += v[i] * (k ? t1 : t0)[i];
        }
    }
    CHECK_CLOSE(lhs, rhs, 1e-13, 1e-13);
    mx_array_list_clear(&a);
    mx_array_list_clear(&jv);
    mx_array_list_clear(&b);
    mx_array_list_clear(&vj);
    mx_closure_free(f);
    mx_free_n(in, 2);
    mx_free_n(tan, 2);
    mx_free_n(cot, 2);
}

static void test_jvp_trivial_outputs(void) {
    const double xv[2] = {1, 2}, tv[2] = {3, -4};
    mx_array x = vec(xv, 2), t = vec(tv, 2);
    mx_closure f = mx_closure_new(passthrough, NULL, NULL);
    mx_array_list outs = {0}, jvps = {0};
    CHECK_OK(mx_jvp(f, &x, 1, &t, 1, &outs, &jvps));
    double j[2];
    CHECK(jvps.count == 3);
    if (jvps.count == 3) {
        CHECK(values(jvps.items[0], j, 2) && j[0] == 3 && j[1] == -4); /* the identity */
        CHECK(values(jvps.items[1], j, 2) && j[0] == 0 && j[1] == 0);  /* a constant */
        CHECK(values(jvps.items[2], j, 2) && j[0] == 0 && j[1] == 0);  /* stop_gradient */
        CHECK_EQ_INT(mx_array_dtype(jvps.items[1]), MX_FLOAT64);
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&jvps);
    /* the vjp of the same: the constant and the stop_gradient give nothing */
    mx_array cots[3] = {vec(tv, 2), vec(tv, 2), vec(tv, 2)};
    CHECK_OK(mx_vjp(f, &x, 1, cots, 3, &outs, &jvps));
    CHECK(jvps.count == 1 && values(jvps.items[0], j, 2) && j[0] == 3 && j[1] == -4);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&jvps);
    mx_free_n(cots, 3);
    mx_closure_free(f);
    mx_free(x);
    mx_free(t);
}

static void test_jvp_errors(void) {
    const double xv[3] = {1, 2, 3};
    mx_array x = vec(xv, 3), y = vec(xv, 2), in2[2] = {x, x};
    mx_closure f = mx_closure_new(cube, NULL, NULL), bad = mx_closure_new(failing, NULL, NULL);
    mx_array_list outs = {0}, jvps = {0};
    /* tangent count and shape (MLX's messages) */
    CHECK_EQ_INT(mx_jvp(f, &x, 1, in2, 2, &outs, &jvps), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "Number of inputs") != NULL);
    CHECK_EQ_INT(mx_jvp(f, &x, 1, &y, 1, &outs, &jvps), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "shape") != NULL);
    CHECK_EQ_INT(outs.count + jvps.count, 0);
    /* a failing function: its error, nothing leaked or half-filled */
    CHECK_EQ_INT(mx_jvp(bad, &x, 1, &x, 1, &outs, &jvps), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "reshape") != NULL);
    CHECK_EQ_INT(outs.count + jvps.count, 0);
    CHECK(!mx_tracing());
    /* non-empty output lists */
    CHECK_OK(mx_array_list_push(&outs, mx_retain(x)));
    CHECK_EQ_INT(mx_jvp(f, &x, 1, &x, 1, &outs, &jvps), MX_ERROR_VALUE);
    mx_array_list_clear(&outs);
    mx_closure_free(f);
    mx_closure_free(bad);
    mx_free(x);
    mx_free(y);
}

/* ---- grad and value_and_grad ------------------------------------------------------------- */

static void test_grad_scalar(void) {
    mx_closure f = mx_closure_new(cube, NULL, NULL);
    mx_closure g = mx_grad(f, NULL, 0);
    mx_closure vg = mx_value_and_grad(f, NULL, 0);
    mx_array x = mx_scalar_f64(1.5);
    mx_array_list out = {0};
    CHECK_OK(mx_closure_apply(g, &x, 1, &out));
    CHECK(out.count == 1 && fabs(item(out.items[0]) - 3 * 1.5 * 1.5) < 1e-14);
    mx_array_list_clear(&out);
    CHECK_OK(mx_closure_apply(vg, &x, 1, &out));
    CHECK(out.count == 2);
    if (out.count == 2) {
        CHECK_CLOSE(item(out.items[0]), 1.5 * 1.5 * 1.5, 1e-15, 0);
        CHECK_CLOSE(item(out.items[1]), 3 * 1.5 * 1.5, 1e-15, 0);
    }
    mx_array_list_clear(&out);
    /* the gradient keeps the input's dtype; the float32 seed is cast */
    mx_array xh = mx_astype(x, MX_FLOAT16);
    CHECK_OK(mx_closure_apply(g, &xh, 1, &out));
    CHECK(out.count == 1 && mx_array_dtype(out.items[0]) == MX_FLOAT16);
    CHECK(out.count == 1 && fabs(item(out.items[0]) - 6.75) < 1e-2);
    mx_array_list_clear(&out);
    mx_free(xh);
    mx_free(x);
    mx_closure_free(vg);
    mx_closure_free(g);
    mx_closure_free(f);
}

static void test_higher_order(void) {
    mx_closure f = mx_closure_new(cube, NULL, NULL);
    mx_closure g1 = mx_grad(f, NULL, 0), g2 = mx_grad(g1, NULL, 0), g3 = mx_grad(g2, NULL, 0);
    mx_closure g4 = mx_grad(g3, NULL, 0);
    mx_array x = mx_scalar_f64(-0.7);
    mx_array_list out = {0};
    CHECK_OK(mx_closure_apply(g2, &x, 1, &out));
    CHECK(out.count == 1 && fabs(item(out.items[0]) - 6 * -0.7) < 1e-14); /* 6x */
    mx_array_list_clear(&out);
    CHECK_OK(mx_closure_apply(g3, &x, 1, &out));
    CHECK(out.count == 1 && fabs(item(out.items[0]) - 6) < 1e-14);
    mx_array_list_clear(&out);
    CHECK_OK(mx_closure_apply(g4, &x, 1, &out));
    CHECK(out.count == 1 && item(out.items[0]) == 0);
    mx_array_list_clear(&out);
    /* the grad closure itself against finite differences */
    CHECK(grad_check(g1, &x, 1, 1e-7));
    /* grads own their wrapped closures: freeing f first is fine */
    mx_closure_free(f);
    mx_closure_free(g1);
    mx_closure_free(g2);
    mx_closure_free(g3);
    CHECK_OK(mx_closure_apply(g4, &x, 1, &out));
    mx_array_list_clear(&out);
    mx_closure_free(g4);
    mx_free(x);
}

static void test_argnums_and_aux(void) {
    mx_closure f = mx_closure_new(loss_and_aux, NULL, NULL);
    mx_array in[2] = {mx_scalar_f64(0.5), mx_scalar_f64(-2.0)};
    const double dx = 4.0, dy = 2 * 0.5 * -2.0; /* d(x y^2)/dx = y^2, /dy = 2xy */
    struct {
        int args[2];
        int n;
        double expect[2];
    } cases[] = {{{0}, 0, {dx}},  {{1}, 1, {dy}},        {{-1}, 1, {dy}},
                 {{-2}, 1, {dx}}, {{0, 1}, 2, {dx, dy}}, {{1, 0}, 2, {dy, dx}}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        mx_closure vg = mx_value_and_grad(f, cases[k].n ? cases[k].args : NULL, cases[k].n);
        mx_array_list out = {0};
        CHECK_OK(mx_closure_apply(vg, in, 2, &out));
        int ng = cases[k].n ? cases[k].n : 1;
        CHECK_EQ_INT(out.count, 3 + ng);
        if (out.count == 3 + ng) {
            CHECK_CLOSE(item(out.items[0]), 0.5 * 4.0, 1e-15, 0);
            CHECK_CLOSE(item(out.items[1]), exp(0.5), 1e-15, 0); /* auxiliary outputs pass through */
            CHECK_CLOSE(item(out.items[2]), 2.5, 1e-15, 0);
            for (int i = 0; i < ng; i++)
                CHECK_CLOSE(item(out.items[3 + i]), cases[k].expect[i], 1e-15, 0);
        }
        mx_array_list_clear(&out);
        mx_closure_free(vg);
    }
    /* grad: the gradients alone */
    mx_closure g = mx_grad(f, (int[]){1, 0}, 2);
    mx_array_list out = {0};
    CHECK_OK(mx_closure_apply(g, in, 2, &out));
    CHECK(out.count == 2 && item(out.items[0]) == dy && item(out.items[1]) == dx);
    mx_array_list_clear(&out);
    mx_closure_free(g);
    mx_closure_free(f);
    mx_free_n(in, 2);
}

/* value_and_grad's auxiliary outputs carry a stop_gradient (as MLX): an
 * outer transform sees no gradient through them. */
static mx_status aux_of_inner(void *payload, const mx_array *in, int n, mx_array_list *out) {
    mx_closure vg = payload;
    mx_array_list inner = {0};
    mx_status st = mx_closure_apply(vg, in, n, &inner);
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_retain(inner.items[1])); /* exp(x), auxiliary */
    mx_array_list_clear(&inner);
    return st;
}

static void test_aux_has_no_gradient(void) {
    mx_closure f = mx_closure_new(loss_and_aux, NULL, NULL);
    mx_closure vg = mx_value_and_grad(f, NULL, 0);
    mx_closure h = mx_closure_new(aux_of_inner, vg, NULL);
    mx_closure gh = mx_grad(h, NULL, 0);
    mx_array in[2] = {mx_scalar_f64(0.5), mx_scalar_f64(-2.0)};
    mx_array_list out = {0};
    CHECK_OK(mx_closure_apply(gh, in, 2, &out));
    CHECK(out.count == 1 && item(out.items[0]) == 0);
    mx_array_list_clear(&out);
    mx_free_n(in, 2);
    mx_closure_free(gh);
    mx_closure_free(h);
    mx_closure_free(vg);
    mx_closure_free(f);
}

static void test_grad_errors(void) {
    mx_closure f = mx_closure_new(loss_and_aux, NULL, NULL);
    mx_array in[2] = {mx_scalar_f64(0.5), mx_scalar_f64(-2.0)};
    mx_array_list out = {0};
    /* at construction */
    CHECK(mx_grad(f, (int[]){0, 0}, 2) == NULL);
    CHECK_EQ_INT(mx_last_status(), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "Duplicate argument index 0") != NULL);
    CHECK(mx_grad(f, (int[]){0}, 0) == NULL);
    CHECK(strstr(mx_last_error(), "no argument") != NULL);
    CHECK(mx_grad(NULL, NULL, 0) == NULL);
    CHECK(mx_value_and_grad(f, NULL, -1) == NULL);
    /* at the call: out of range, negative out of range, repeated after wrapping */
    const int bad_args[][2] = {{2, 0}, {-3, 0}, {1, -1}};
    const int bad_n[] = {1, 1, 2};
    const char *msgs[] = {"argument index 2", "argument index -3", "Duplicate argument index 1"};
    for (int k = 0; k < 3; k++) {
        mx_closure g = mx_grad(f, bad_args[k], bad_n[k]);
        CHECK(g != NULL);
        CHECK_EQ_INT(mx_closure_apply(g, in, 2, &out), MX_ERROR_VALUE);
        CHECK(strstr(mx_last_error(), msgs[k]) != NULL);
        CHECK_EQ_INT(out.count, 0);
        mx_closure_free(g);
    }
    /* the first output must be a scalar (MLX's message) */
    const double v[3] = {1, 2, 3};
    mx_array x = vec(v, 3);
    mx_closure c = mx_closure_new(cube, NULL, NULL);
    mx_closure gc = mx_grad(c, NULL, 0);
    CHECK_EQ_INT(mx_closure_apply(gc, &x, 1, &out), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "[vjp] Output shape (3) does not match cotangent shape ()") != NULL);
    CHECK_EQ_INT(out.count, 0);
    mx_array x1 = mx_reshape(in[0], (int64_t[]){1}, 1);
    CHECK_EQ_INT(mx_closure_apply(gc, &x1, 1, &out), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "must return a scalar") != NULL);
    /* a failing function: its own error comes back, and tracing is over */
    mx_closure bad = mx_closure_new(failing, NULL, NULL);
    mx_closure gbad = mx_value_and_grad(bad, NULL, 0);
    CHECK_EQ_INT(mx_closure_apply(gbad, &x, 1, &out), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "reshape") != NULL);
    CHECK_EQ_INT(out.count, 0);
    CHECK(!mx_tracing());
    /* an error array as input */
    mx_array err = mx_reshape(x, (int64_t[]){5}, 1);
    CHECK_EQ_INT(mx_closure_apply(gc, &err, 1, &out), MX_ERROR_VALUE);
    CHECK_EQ_INT(out.count, 0);
    mx_free(err);
    mx_free(x1);
    mx_closure_free(gbad);
    mx_closure_free(bad);
    mx_closure_free(gc);
    mx_closure_free(c);
    mx_free(x);
    mx_closure_free(f);
    mx_free_n(in, 2);
}

/* ---- custom functions ---------------------------------------------------------------------- */

/* f(x, y) = (x * y, x + y) */
static mx_status two_outputs(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_status st = mx_array_list_push(out, mx_multiply(in[0], in[1]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_add(in[0], in[1]));
    return st;
}

static int g_vjp_calls;

/* A deliberately different vjp: inputs x, y, c0, c1, o0, o1; gives
 * (10 c0 + o0, 100 c1 + o1), so the test can tell it was used and that it
 * received the outputs. */
static mx_status fake_vjp(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    g_vjp_calls++;
    if (n != 6)
        return MX_ERROR_VALUE;
    mx_array ten = mx_scalar_f64(10), hundred = mx_scalar_f64(100);
    mx_array a = mx_multiply(ten, in[2]), b = mx_multiply(hundred, in[3]);
    mx_status st = mx_array_list_push(out, mx_add(a, in[4]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_add(b, in[5]));
    mx_free_n((mx_array[]){ten, hundred, a, b}, 4);
    return st;
}

static mx_status first_only(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    return mx_array_list_push(out, mx_retain(in[0]));
}

static void test_custom_vjp(void) {
    mx_closure f = mx_closure_new(two_outputs, NULL, NULL), v = mx_closure_new(fake_vjp, NULL, NULL);
    mx_closure cf = mx_custom_vjp(f, v);
    const double xv[2] = {2, 3}, yv[2] = {5, 7}, c0[2] = {1, -1}, c1[2] = {0.5, 2};
    mx_array in[2] = {vec(xv, 2), vec(yv, 2)}, cot[2] = {vec(c0, 2), vec(c1, 2)};
    mx_array_list outs = {0}, grads = {0};
    g_vjp_calls = 0;
    CHECK_OK(mx_vjp(cf, in, 2, cot, 2, &outs, &grads));
    double o[2], gx[2], gy[2];
    CHECK(outs.count == 2 && values(outs.items[0], o, 2) && o[0] == 10 && o[1] == 21);
    CHECK(grads.count == 2 && values(grads.items[0], gx, 2) && values(grads.items[1], gy, 2));
    /* one call per output (the other cotangent zero), summed:
     * gx = (10 c0 + o0) + (0 + o0), gy = (0 + o1) + (100 c1 + o1) */
    for (int i = 0; i < 2; i++) {
        CHECK_CLOSE(gx[i], 10 * c0[i] + 2 * xv[i] * yv[i], 0, 0);
        CHECK_CLOSE(gy[i], 100 * c1[i] + 2 * (xv[i] + yv[i]), 0, 0);
    }
    CHECK_EQ_INT(g_vjp_calls, 2);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    /* without a vjp, custom_function is f itself (MLX) */
    mx_closure same = mx_custom_function(f, NULL, NULL, NULL);
    CHECK(same == f);
    mx_closure_free(same);
    CHECK(mx_custom_vjp(f, NULL) == NULL);
    /* a vjp returning the wrong number of gradients is an error */
    mx_closure one = mx_closure_new(first_only, NULL, NULL), cbad = mx_custom_vjp(f, one);
    CHECK_EQ_INT(mx_vjp(cbad, in, 2, cot, 2, &outs, &grads), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "returned 1 gradients") != NULL);
    CHECK_EQ_INT(outs.count + grads.count, 0);
    mx_closure_free(cbad);
    mx_closure_free(one);
    mx_closure_free(cf);
    mx_closure_free(v);
    mx_closure_free(f);
    mx_free_n(in, 2);
    mx_free_n(cot, 2);
}

/* f(x) = sin(x) + 0 * float(bitwise_invert(int(x))): its graph has an op
 * without JVP or VJP rules, which a custom rule must keep out of reach. */
static mx_status with_invert(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array i = mx_astype(in[0], MX_INT32), inv = mx_bitwise_invert(i), fl = mx_astype(inv, MX_FLOAT64);
    mx_array zero = mx_scalar_f64(0), z = mx_multiply(zero, fl), s = mx_sin(in[0]);
    mx_status st = mx_array_list_push(out, mx_add(s, z));
    mx_free_n((mx_array[]){i, inv, fl, zero, z, s}, 6);
    return st;
}

/* jvp: inputs x, t; the output 3 t cos(x) */
static mx_status sin_jvp3(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    if (n != 2)
        return MX_ERROR_VALUE;
    mx_array c = mx_cos(in[0]), three = mx_scalar_f64(3), t3 = mx_multiply(three, in[1]);
    mx_status st = mx_array_list_push(out, mx_multiply(t3, c));
    mx_free_n((mx_array[]){c, three, t3}, 3);
    return st;
}

/* vjp: inputs x, c, o; the gradient c cos(x) */
static mx_status sin_vjp(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    if (n != 3)
        return MX_ERROR_VALUE;
    mx_array c = mx_cos(in[0]);
    mx_status st = mx_array_list_push(out, mx_multiply(in[1], c));
    mx_free(c);
    return st;
}

static void test_custom_jvp(void) {
    mx_closure f = mx_closure_new(with_invert, NULL, NULL), j = mx_closure_new(sin_jvp3, NULL, NULL),
               v = mx_closure_new(sin_vjp, NULL, NULL);
    const double xv[3] = {0.5, -1, 2}, tv[3] = {1, 2, -0.5};
    mx_array x = vec(xv, 3), t = vec(tv, 3);
    mx_array_list outs = {0}, res = {0};
    /* f alone cannot be differentiated either way */
    CHECK_EQ_INT(mx_jvp(f, &x, 1, &t, 1, &outs, &res), MX_ERROR_UNSUPPORTED);
    CHECK_EQ_INT(mx_vjp(f, &x, 1, &t, 1, &outs, &res), MX_ERROR_UNSUPPORTED);
    /* with its own rules it can; the jvp is the user's (3x the true one) */
    mx_closure cf = mx_custom_function(f, v, j, NULL);
    double r[3];
    CHECK_OK(mx_jvp(cf, &x, 1, &t, 1, &outs, &res));
    CHECK(res.count == 1 && values(res.items[0], r, 3));
    for (int i = 0; i < 3; i++)
        CHECK_CLOSE(r[i], 3 * tv[i] * cos(xv[i]), 1e-15, 0);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&res);
    CHECK_OK(mx_vjp(cf, &x, 1, &t, 1, &outs, &res));
    CHECK(res.count == 1 && values(res.items[0], r, 3));
    for (int i = 0; i < 3; i++)
        CHECK_CLOSE(r[i], tv[i] * cos(xv[i]), 1e-15, 0);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&res);
    /* a custom jvp only: the vjp comes from f's graph (here: sin's) */
    mx_closure s = mx_closure_new(sin_times, NULL, NULL);
    mx_closure cs = mx_custom_function(s, NULL, j, NULL);
    mx_array in[2] = {x, t};
    mx_array cots[2] = {t, t};
    CHECK_OK(mx_vjp(cs, in, 2, cots, 2, &outs, &res));
    CHECK(res.count == 2 && values(res.items[0], r, 3));
    for (int i = 0; i < 3; i++)
        CHECK_CLOSE(r[i], tv[i] * cos(xv[i]) * tv[i] + tv[i], 1e-15, 1e-15);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&res);
    mx_closure_free(cs);
    mx_closure_free(s);
    mx_closure_free(cf);
    mx_closure_free(f);
    mx_closure_free(j);
    mx_closure_free(v);
    mx_free(x);
    mx_free(t);
}

/* vmap rule: inputs x (batched), its axis; outputs cos(x) and the same axis
 * (cos, not sin, so the test can tell the rule was used) */
static mx_status cos_vmap(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    if (n != 2)
        return MX_ERROR_VALUE;
    mx_status st = mx_array_list_push(out, mx_cos(in[0]));
    if (st == MX_OK)
        st = mx_array_list_push(out, mx_retain(in[1]));
    return st;
}

static mx_status sin_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    return mx_array_list_push(out, mx_sin(in[0]));
}

static void test_custom_vmap(void) {
    mx_closure f = mx_closure_new(sin_fn, NULL, NULL), vm = mx_closure_new(cos_vmap, NULL, NULL),
               vj = mx_closure_new(sin_vjp, NULL, NULL);
    const double xv[6] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    mx_array x = mx_array_from_data(xv, (int64_t[]){3, 2}, 2, MX_FLOAT64);
    mx_array_list out = {0};
    double r[6];
    /* with a user vmap: its result (cos) */
    mx_closure cf = mx_custom_function(f, NULL, NULL, vm), v = mx_vmap(cf, (int[]){1}, 1, NULL, 0);
    CHECK_OK(mx_closure_apply(v, &x, 1, &out));
    CHECK(out.count == 1 && mx_ndim(out.items[0]) == 2 && mx_dim(out.items[0], 0) == 2 && values(out.items[0], r, 6));
    for (int b = 0; b < 2; b++)
        for (int i = 0; i < 3; i++)
            CHECK_CLOSE(r[b * 3 + i], cos(xv[i * 2 + b]), 1e-15, 0);
    mx_array_list_clear(&out);
    mx_closure_free(v);
    mx_closure_free(cf);
    /* without one: f's graph batched (sin) */
    cf = mx_custom_function(f, vj, NULL, NULL);
    v = mx_vmap(cf, (int[]){1}, 1, NULL, 0);
    CHECK_OK(mx_closure_apply(v, &x, 1, &out));
    CHECK(out.count == 1 && values(out.items[0], r, 6));
    for (int b = 0; b < 2; b++)
        for (int i = 0; i < 3; i++)
            CHECK_CLOSE(r[b * 3 + i], sin(xv[i * 2 + b]), 1e-15, 0);
    mx_array_list_clear(&out);
    mx_closure_free(v);
    mx_closure_free(cf);
    mx_closure_free(f);
    mx_closure_free(vm);
    mx_closure_free(vj);
    mx_free(x);
}

/* ---- checkpoint --------------------------------------------------------------------------- */

enum { BLOCK_OPS = 4 };

/* One block: x -> tanh(sin(x * w) * w + x), w = in[1]. */
static mx_status block(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    mx_array a = mx_multiply(in[0], in[1]), b = mx_sin(a), c = mx_multiply(b, in[1]), d = mx_add(c, in[0]);
    mx_status st = mx_array_list_push(out, mx_tanh(d));
    mx_free_n((mx_array[]){a, b, c, d}, BLOCK_OPS);
    return st;
}

/* depth blocks, each the closure in payload (plain or checkpointed) */
typedef struct chain {
    mx_closure blk;
    int depth;
} chain;

static mx_status run_chain(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const chain *c = payload;
    (void)n;
    mx_array x = mx_retain(in[0]);
    for (int i = 0; i < c->depth; i++) {
        mx_array_list o = {0};
        mx_status st = mx_closure_apply(c->blk, (mx_array[]){x, in[1]}, 2, &o);
        mx_free(x);
        if (st != MX_OK)
            return st;
        x = mx_retain(o.items[0]);
        mx_array_list_clear(&o);
    }
    return mx_array_list_push(out, x);
}

static void test_checkpoint_same_gradients(void) {
    mx_closure b = mx_closure_new(block, NULL, NULL), cb = mx_checkpoint(b);
    chain plain = {b, 3}, ckpt = {cb, 3};
    mx_closure fp = mx_closure_new(run_chain, &plain, NULL), fc = mx_closure_new(run_chain, &ckpt, NULL);
    const double xv[4] = {0.3, -1, 0.8, 2}, wv[4] = {1.1, -0.4, 0.7, 0.2}, cv[4] = {1, -0.5, 0.25, 2};
    mx_array in[2] = {vec(xv, 4), vec(wv, 4)}, cot = vec(cv, 4);
    mx_array_list o1 = {0}, g1 = {0}, o2 = {0}, g2 = {0};
    CHECK_OK(mx_vjp(fp, in, 2, &cot, 1, &o1, &g1));
    CHECK_OK(mx_vjp(fc, in, 2, &cot, 1, &o2, &g2));
    double a[4], c[4];
    for (int k = 0; k < 2 && g1.count == 2 && g2.count == 2; k++) {
        CHECK(values(g1.items[k], a, 4) && values(g2.items[k], c, 4));
        for (int i = 0; i < 4; i++)
            CHECK_CLOSE(c[i], a[i], 1e-14, 1e-15);
    }
    CHECK(values(o1.items[0], a, 4) && values(o2.items[0], c, 4) && a[0] == c[0] && a[3] == c[3]);
    CHECK(grad_check(fc, in, 2, 1e-6));
    mx_array_list_clear(&o1);
    mx_array_list_clear(&g1);
    mx_array_list_clear(&o2);
    mx_array_list_clear(&g2);
    mx_closure_free(fp);
    mx_closure_free(fc);
    mx_closure_free(cb);
    mx_closure_free(b);
    mx_free_n(in, 2);
    mx_free(cot);
}

/* Peak memory of the forward and backward pass of `depth` blocks over n
 * floats, evaluated together (as a training step does). The scheduler
 * evaluates the roots one after the other, last to first, so w's gradient
 * (listed last) goes first: it walks the blocks from the last to the first,
 * consuming each block's values as it goes, and x's gradient then is one
 * more step. (With x's first, the terms of w's gradient would wait for the
 * second root.) */
static size_t chain_peak(mx_closure blk, int depth, int64_t n) {
    chain c = {blk, depth};
    mx_closure f = mx_closure_new(run_chain, &c, NULL);
    mx_array x = mx_full(&n, 1, 0.5, MX_FLOAT32), w = mx_full(&n, 1, 0.9, MX_FLOAT32), cot = mx_ones(&n, 1, MX_FLOAT32);
    mx_eval((mx_array[]){x, w, cot}, 3);
    mx_clear_cache();
    mx_reset_peak_memory();
    size_t base = mx_get_active_memory();
    mx_array_list outs = {0}, grads = {0};
    size_t peak = 0;
    mx_array in[2] = {x, w};
    if (mx_vjp(f, in, 2, &cot, 1, &outs, &grads) == MX_OK &&
        mx_eval((mx_array[]){outs.items[0], grads.items[0], grads.items[1]}, 3) == MX_OK)
        peak = mx_get_peak_memory() - base;
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_free_n((mx_array[]){x, w, cot}, 3);
    mx_closure_free(f);
    return peak;
}

static void test_checkpoint_saves_memory(void) {
    enum { DEPTH = 16 };
    const int64_t n = 1 << 18; /* 1 MiB of float32 per array */
    mx_closure b = mx_closure_new(block, NULL, NULL), cb = mx_checkpoint(b);
    size_t plain = chain_peak(b, DEPTH, n), ckpt = chain_peak(cb, DEPTH, n);
    printf("  %d blocks of %d ops over 1 MiB arrays: peak %.1f MiB plain, %.1f MiB checkpointed\n", DEPTH,
           BLOCK_OPS + 1, plain / 1048576.0, ckpt / 1048576.0);
    CHECK(plain > 0 && ckpt > 0);
    /* plain keeps every block's intermediates for the backward pass (about
     * 4 arrays a block); checkpointed keeps one array a block plus one
     * block's recomputation */
    CHECK(plain >= (size_t)DEPTH * 3 * (1 << 20));
    CHECK(ckpt * 2 < plain);
    mx_closure_free(cb);
    mx_closure_free(b);
}

int main(void) {
    RUN(test_jvp_values);
    RUN(test_jvp_matches_vjp);
    RUN(test_jvp_trivial_outputs);
    RUN(test_jvp_errors);
    RUN(test_grad_scalar);
    RUN(test_higher_order);
    RUN(test_argnums_and_aux);
    RUN(test_aux_has_no_gradient);
    RUN(test_grad_errors);
    RUN(test_custom_vjp);
    RUN(test_custom_jvp);
    RUN(test_custom_vmap);
    RUN(test_checkpoint_same_gradients);
    RUN(test_checkpoint_saves_memory);
    return CHECK_SUMMARY();
}
