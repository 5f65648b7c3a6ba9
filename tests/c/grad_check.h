/* tests/c/grad_check.h - check reverse-mode gradients (mx_vjp) against
 * central finite differences in float64.
 *
 * The objective is L(x) = sum_k sum(c_k * f(x)_k) for fixed pseudo-random
 * cotangents c_k in [-1, 1]; mx_vjp(f, x, c) must equal dL/dx, and each
 * element of dL/dx is estimated as (L(x + h e_j) - L(x - h e_j)) / 2h.
 * Central differences have error O(h^2 f''') plus rounding O(eps / h): with
 * h = 1e-6 in float64 both are about 1e-10 relative for smooth functions, so
 * a tolerance of 1e-6 separates a wrong rule from numerical noise. Inputs
 * must be float64 and keep away from kinks (|x| = 0 for abs, ties for max).
 *
 *   mx_array x = ...float64...;
 *   CHECK(grad_check(f, &x, 1, 1e-6));    // f: an mx_closure
 *
 * Include after check.h. */
#ifndef CMLX_TESTS_GRAD_CHECK_H
#define CMLX_TESTS_GRAD_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmlx/cmlx.h"

#define GRAD_CHECK_STEP 1e-6

/* Deterministic values in [-1, 1) (a 64-bit LCG), so failures reproduce. */
static double grad_check_uniform(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / (double)(1ULL << 52) - 1.0;
}

/* The objective at inputs: sum_k sum(c_k * f(x)_k) in double. NAN on error. */
static double grad_check_objective(mx_closure f, const mx_array *inputs, int n, const mx_array *cots) {
    mx_array_list outs = {0};
    if (mx_closure_apply(f, inputs, n, &outs) != MX_OK)
        return NAN;
    double total = 0.0;
    for (int k = 0; k < outs.count; k++) {
        int64_t size = mx_size(outs.items[k]);
        double *o = malloc((size_t)(size ? size : 1) * 2 * sizeof *o);
        if (!o || mx_copy_to(outs.items[k], o, (size_t)size * sizeof *o, MX_FLOAT64) != MX_OK ||
            mx_copy_to(cots[k], o + size, (size_t)size * sizeof *o, MX_FLOAT64) != MX_OK) {
            free(o);
            mx_array_list_clear(&outs);
            return NAN;
        }
        for (int64_t j = 0; j < size; j++)
            total += o[j] * o[size + j];
        free(o);
    }
    mx_array_list_clear(&outs);
    return total;
}

/* True when every gradient element is within tol (relative to max(1, |g|))
 * of its finite-difference estimate. Prints the first mismatches. */
static bool grad_check(mx_closure f, const mx_array *inputs, int n, double tol) {
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    mx_array_list outs = {0}, cots = {0}, outputs = {0}, grads = {0};
    bool ok = mx_closure_apply(f, inputs, n, &outs) == MX_OK;
    for (int k = 0; ok && k < outs.count; k++) {
        int64_t size = mx_size(outs.items[k]);
        double *c = malloc((size_t)(size ? size : 1) * sizeof *c);
        if (!c) {
            ok = false;
            break;
        }
        for (int64_t j = 0; j < size; j++)
            c[j] = grad_check_uniform(&rng);
        ok = mx_array_list_push(
                 &cots, mx_array_from_data(c, mx_shape(outs.items[k]), mx_ndim(outs.items[k]), MX_FLOAT64)) == MX_OK;
        free(c);
    }
    ok = ok && mx_vjp(f, inputs, n, cots.items, cots.count, &outputs, &grads) == MX_OK &&
         mx_eval(grads.items, grads.count) == MX_OK;
    if (!ok)
        fprintf(stderr, "  grad_check: could not compute the vjp: %s\n", mx_last_error());
    int reported = 0;
    for (int i = 0; ok && i < n; i++) {
        int64_t size = mx_size(inputs[i]);
        size_t bytes = (size_t)(size ? size : 1) * sizeof(double);
        double *x = malloc(bytes), *g = malloc(bytes);
        mx_array *moved = malloc((size_t)n * sizeof *moved);
        ok = x && g && moved && mx_copy_to(inputs[i], x, (size_t)size * sizeof *x, MX_FLOAT64) == MX_OK &&
             mx_copy_to(grads.items[i], g, (size_t)size * sizeof *g, MX_FLOAT64) == MX_OK;
        for (int64_t j = 0; ok && j < size; j++) {
            double saved = x[j], side[2];
            for (int s = 0; s < 2; s++) {
                x[j] = saved + (s ? -GRAD_CHECK_STEP : GRAD_CHECK_STEP);
                for (int m = 0; m < n; m++)
                    moved[m] =
                        m == i ? mx_array_from_data(x, mx_shape(inputs[i]), mx_ndim(inputs[i]), MX_FLOAT64) : inputs[m];
                side[s] = grad_check_objective(f, moved, n, cots.items);
                mx_free(moved[i]);
            }
            x[j] = saved;
            double numeric = (side[0] - side[1]) / (2 * GRAD_CHECK_STEP);
            double err = fabs(numeric - g[j]) / fmax(1.0, fmax(fabs(numeric), fabs(g[j])));
            if (!(err <= tol) && reported++ < 5)
                fprintf(stderr, "  grad_check: input %d element %lld: vjp %.12g, finite differences %.12g\n", i,
                        (long long)j, g[j], numeric);
        }
        free(x);
        free(g);
        free(moved);
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&cots);
    mx_array_list_clear(&outputs);
    mx_array_list_clear(&grads);
    return ok && reported == 0;
}

#endif
