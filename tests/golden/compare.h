/* tests/golden/compare.h - comparing cmlx results with MLX's, and the
 * tolerance of each op and dtype (justified in docs/testing.md). */
#ifndef CMLX_GOLDEN_COMPARE_H
#define CMLX_GOLDEN_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "fixture.h"

typedef enum golden_tol_class {
    TOL_EXACT,    /* values (and the sign of zero) must be identical */
    TOL_ROUNDING, /* one or two correctly rounded operations per element */
    TOL_MATH,     /* transcendental functions: MLX's approximations vs libm */
    TOL_SUM,      /* accumulations over n elements: sum, matmul, ... */
    TOL_MEAN,
    TOL_VAR,
    TOL_STD,
    TOL_LOGSUMEXP,
    TOL_SOFTMAX,
    TOL_PROD,
    TOL_MATMUL,
    TOL_SEQUENCE /* arange / linspace: a value built from n steps */
} golden_tol_class;

typedef struct golden_tolerance {
    golden_tol_class cls;
    double rtol, atol; /* |got - want| <= atol + rtol * |want| */
} golden_tolerance;

/* The class of an op by its fixture name ("sum_axes" is a sum). */
golden_tol_class golden_tol_class_of(const char *op);

/* The tolerance for output `want` of case c; n is the number of elements each
 * output element accumulates (1 when nothing accumulates). */
golden_tolerance golden_tolerance_for(const golden_case *c, const golden_array *want, double n);

/* Compares `got` (want->nbytes of row-major elements of want->dtype) with
 * want. On a mismatch returns false and describes the first bad element. */
bool golden_compare(const golden_array *want, const void *got, golden_tolerance tol, char *msg, size_t cap);

/* Element i of a (any dtype) as a double; *imag gets the imaginary part. */
double golden_element(const golden_array *a, const void *data, int64_t i, double *imag);

#endif
