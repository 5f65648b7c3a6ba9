/* tests/c/test_vjp.c - the reverse-mode engine (src/transforms/vjp.c) on its
 * own: closures, lists, the tape, and errors. The rules of the ops are
 * tested beside them (test_grad_*.c). */
#include "check.h"
#include "core/node.h" /* mx_tracing */
#include "grad_check.h"

/* f(x, y) = x (y unused). */
static mx_status first_input(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)n;
    return mx_array_list_push(out, mx_retain(in[0]));
}

/* Fails, as a user function that hits an error does. */
static mx_status failing(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    (void)in;
    (void)n;
    mx_array bad = mx_reshape(in[0], (int64_t[]){7}, 1); /* wrong size: an error array */
    mx_status st = mx_array_status(bad);
    mx_free(bad);
    (void)out;
    return st;
}

static int g_destroyed;
static void count_destroy(void *payload) {
    (void)payload;
    g_destroyed++;
}

static mx_array vec(const double *v, int64_t n) { return mx_array_from_data(v, &n, 1, MX_FLOAT64); }

static void test_list_and_closure_lifetime(void) {
    mx_array_list l = {0};
    for (int i = 0; i < 20; i++)
        CHECK_OK(mx_array_list_push(&l, mx_scalar_f32((float)i)));
    CHECK_EQ_INT(l.count, 20);
    mx_array_list_clear(&l);
    CHECK_EQ_INT(l.count, 0);
    g_destroyed = 0;
    mx_closure f = mx_closure_new(first_input, NULL, count_destroy);
    mx_closure g = mx_closure_retain(f);
    mx_closure_free(f);
    CHECK_EQ_INT(g_destroyed, 0);
    mx_closure_free(g);
    CHECK_EQ_INT(g_destroyed, 1);
    CHECK(mx_closure_new(NULL, NULL, count_destroy) == NULL); /* destroy runs on failure too */
    CHECK_EQ_INT(g_destroyed, 2);
}

static void test_identity_and_unused_input(void) {
    double xv[3] = {1, 2, 3}, yv[2] = {4, 5}, cv[3] = {0.5, -1, 2};
    mx_array in[2] = {vec(xv, 3), vec(yv, 2)}, cot = vec(cv, 3);
    mx_closure f = mx_closure_new(first_input, NULL, NULL);
    mx_array_list outs = {0}, grads = {0};
    CHECK_OK(mx_vjp(f, in, 2, &cot, 1, &outs, &grads));
    CHECK_EQ_INT(outs.count, 1);
    CHECK_EQ_INT(grads.count, 2);
    if (grads.count == 2) {
        const double *gx = mx_data_f64(grads.items[0]), *gy = mx_data_f64(grads.items[1]);
        CHECK(gx && gy);
        for (int i = 0; gx && i < 3; i++)
            CHECK_CLOSE(gx[i], cv[i], 0, 0);
        for (int i = 0; gy && i < 2; i++)
            CHECK_CLOSE(gy[i], 0.0, 0, 0);
        const double *o = mx_data_f64(outs.items[0]);
        CHECK(o && o[2] == 3.0);
    }
    CHECK(grad_check(f, in, 2, 1e-6));
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_free_n(in, 2);
    mx_free(cot);
}

static void test_errors(void) {
    double xv[3] = {1, 2, 3};
    mx_array x = vec(xv, 3), wrong = vec(xv, 2);
    mx_closure f = mx_closure_new(first_input, NULL, NULL), bad = mx_closure_new(failing, NULL, NULL);
    mx_array_list outs = {0}, grads = {0};
    /* cotangent of the wrong shape, wrong count */
    CHECK_EQ_INT(mx_vjp(f, &x, 1, &wrong, 1, &outs, &grads), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "(3)") && strstr(mx_last_error(), "(2)"));
    CHECK_EQ_INT(mx_vjp(f, &x, 1, NULL, 0, &outs, &grads), MX_ERROR_VALUE);
    CHECK_EQ_INT(outs.count + grads.count, 0);
    /* a failing function: its status comes back, nothing leaks, tracing is off again */
    CHECK_EQ_INT(mx_vjp(bad, &x, 1, &x, 1, &outs, &grads), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "reshape") != NULL);
    CHECK(!mx_tracing());
    /* a freed primal is a handle error */
    mx_array dead = mx_retain(x);
    mx_free(dead);
    CHECK_EQ_INT(mx_vjp(f, &dead, 1, &x, 1, &outs, &grads), MX_ERROR_HANDLE);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_closure_free(bad);
    mx_free(x);
    mx_free(wrong);
}

int main(void) {
    RUN(test_list_and_closure_lifetime);
    RUN(test_identity_and_unused_input);
    RUN(test_errors);
    return CHECK_SUMMARY();
}
