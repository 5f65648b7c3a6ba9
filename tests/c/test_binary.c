/* tests/c/test_binary.c - binary element-wise ops and where: values of every
 * op on every dtype it allows, type promotion of every dtype pair,
 * broadcasting, strided inputs, NaN/inf, division by zero, the parallel and
 * in-place paths, and the errors.
 *
 * Expected values come from MLX 0.32 (mlx.core 0.32.4, CPU) unless a comment
 * says otherwise; the tables were printed by the script in docs/ops-binary.md. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/handle.h"
#include "core/node.h"
#include "ops/ops.h"

typedef mx_array (*binary_fn)(mx_array, mx_array);

static const struct {
    const char *name;
    binary_fn fn;
} k_ops[] = {
    {"add", mx_add},
    {"subtract", mx_subtract},
    {"multiply", mx_multiply},
    {"divide", mx_divide},
    {"floor_divide", mx_floor_divide},
    {"remainder", mx_remainder},
    {"power", mx_power},
    {"maximum", mx_maximum},
    {"minimum", mx_minimum},
    {"logaddexp", mx_logaddexp},
    {"arctan2", mx_arctan2},
    {"equal", mx_equal},
    {"not_equal", mx_not_equal},
    {"greater", mx_greater},
    {"greater_equal", mx_greater_equal},
    {"less", mx_less},
    {"less_equal", mx_less_equal},
    {"logical_and", mx_logical_and},
    {"logical_or", mx_logical_or},
    {"bitwise_and", mx_bitwise_and},
    {"bitwise_or", mx_bitwise_or},
    {"bitwise_xor", mx_bitwise_xor},
    {"left_shift", mx_left_shift},
    {"right_shift", mx_right_shift},
};
#define N_OPS ((int)(sizeof k_ops / sizeof k_ops[0]))

static binary_fn op_fn(const char *name) {
    for (int i = 0; i < N_OPS; i++)
        if (strcmp(k_ops[i].name, name) == 0)
            return k_ops[i].fn;
    return NULL;
}

/* ---- helpers ------------------------------------------------------------------------ */

/* A 1-D array of `dtype` holding vals (converted like astype). */
static mx_array make(const double *vals, int n, mx_dtype dtype) {
    mx_array d = mx_array_from_data(vals, (const int64_t[]){n}, 1, MX_FLOAT64);
    mx_array r = mx_astype(d, dtype);
    mx_free(d);
    return r;
}

static mx_array make_i64(const int64_t *vals, int n) {
    return mx_array_from_data(vals, (const int64_t[]){n}, 1, MX_INT64);
}

/* 2 ulp of each float dtype, relative: for libm results (pow, atan2, log1p),
 * which may differ by an ulp between libm versions. */
static double approx_rtol(mx_dtype d) {
    switch (d) {
    case MX_FLOAT16: return 2.0 / 1024;
    case MX_BFLOAT16: return 2.0 / 128;
    case MX_FLOAT64: return 4.5e-16;
    default: return 2.4e-7;
    }
}

/* Exact comparison (NaN == NaN, and the sign of zero counts), or within
 * rtol when rtol > 0. */
static bool same_value(double got, double want, double rtol) {
    if (isnan(want))
        return isnan(got);
    if (want == 0)
        return got == 0 && signbit(got) == signbit(want);
    if (got == want)
        return true;
    return rtol > 0 && fabs(got - want) <= rtol * fabs(want);
}

/* Checks r's dtype, shape (n,) and values; `what` names the case in failures. */
static void expect_f64(mx_array r, mx_dtype dtype, const double *want, int n, double rtol, const char *what) {
    if (mx_array_status(r) != MX_OK || mx_array_dtype(r) != dtype || mx_size(r) != n) {
        fprintf(stderr, "  %s: status %d, dtype %s (want %s), size %lld (want %d) [%s]\n", what, mx_array_status(r),
                mx_dtype_name(mx_array_dtype(r)), mx_dtype_name(dtype), (long long)mx_size(r), n, mx_last_error());
        g_checks_failed_in_test++;
        return;
    }
    double got[64];
    CHECK_OK(mx_copy_to(r, got, sizeof got, MX_FLOAT64));
    for (int i = 0; i < n; i++) {
        if (!same_value(got[i], want[i], rtol)) {
            fprintf(stderr, "  %s [%d]: got %.17g, want %.17g\n", what, i, got[i], want[i]);
            g_checks_failed_in_test++;
        }
    }
}

static void expect_i64(mx_array r, mx_dtype dtype, const int64_t *want, int n, const char *what) {
    if (mx_array_status(r) != MX_OK || mx_array_dtype(r) != dtype || mx_size(r) != n) {
        fprintf(stderr, "  %s: status %d, dtype %s (want %s), size %lld (want %d) [%s]\n", what, mx_array_status(r),
                mx_dtype_name(mx_array_dtype(r)), mx_dtype_name(dtype), (long long)mx_size(r), n, mx_last_error());
        g_checks_failed_in_test++;
        return;
    }
    int64_t got[64];
    CHECK_OK(mx_copy_to(r, got, sizeof got, MX_INT64));
    for (int i = 0; i < n; i++) {
        if (got[i] != want[i]) {
            fprintf(stderr, "  %s [%d]: got %lld, want %lld\n", what, i, (long long)got[i], (long long)want[i]);
            g_checks_failed_in_test++;
        }
    }
}

/* An error array whose status is `status` and whose message names each of
 * the NULL-terminated strings. */
static void expect_error(mx_array r, mx_status status, const char *const *names) {
    CHECK_EQ_INT(mx_array_status(r), status);
    const char *msg = mx_array_error(r);
    CHECK(msg != NULL);
    for (int i = 0; msg && names[i]; i++) {
        if (!strstr(msg, names[i])) {
            fprintf(stderr, "  error message \"%s\" does not name \"%s\"\n", msg, names[i]);
            g_checks_failed_in_test++;
        }
    }
}
#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- every op on every dtype it allows ------------------------------------------------- */

enum { SET_FLOAT, SET_SINT, SET_UINT, SET_BOOL, SET_SHIFT_S, SET_SHIFT_U };

/* Inputs: a[i] op b[i]. The float pairs cover signed zeros, division by zero,
 * inf and NaN on either side; the integer pairs fit in int8/uint8 and cover
 * negative operands, division by zero, MIN / -1 and wrapping powers. Shift
 * counts stay in [0, 8), where MLX's shifts are defined for every width. */
static const struct {
    int n;
    const double *a, *b;
} k_sets[] = {
    [SET_FLOAT] = {20, (const double[]){-7.5, -3,  -0.0, 0,  2.5, 7, INFINITY, -INFINITY, NAN, 0.75,
                                        3,    100, 5,    -5, 1.5, 3, INFINITY, -2,        0,   -0.5},
                   (const double[]){2,        -2, 3,         -0.0,     0,   -3, 2,        INFINITY, 1, 0.375,
                                    INFINITY, -1, -INFINITY, INFINITY, NAN, 3,  INFINITY, 0,        0, 2.5}},
    [SET_SINT] = {20, (const double[]){-7, -7, 7, 7, 0, 5, -5, 100, -128, 127, 3, -1, 6, -6, 2, 9, 0, -3, 13, -13},
                  (const double[]){2, -2, 2, -2, 3, 0, 0, 7, -1, 1, 5, 3, -4, 4, 6, 9, 0, -3, 1, -1}},
    [SET_UINT] = {16, (const double[]){7, 0, 5, 200, 255, 13, 1, 100, 9, 6, 3, 250, 0, 128, 17, 2},
                  (const double[]){2, 3, 0, 7, 1, 4, 0, 9, 3, 6, 5, 255, 0, 2, 16, 7}},
    [SET_BOOL] = {4, (const double[]){1, 1, 0, 0}, (const double[]){1, 0, 1, 0}},
    [SET_SHIFT_S] = {8, (const double[]){1, -1, 5, -128, 127, 0, -7, 3}, (const double[]){0, 1, 2, 7, 3, 5, 1, 6}},
    [SET_SHIFT_U] = {8, (const double[]){1, 255, 5, 128, 127, 0, 7, 3}, (const double[]){0, 1, 2, 7, 3, 5, 1, 6}},
};

typedef struct bin_case {
    const char *op;
    mx_dtype dtype; /* of both inputs */
    int set;
    mx_dtype out;
    int approx;       /* compare floats within 2 ulp (libm results) */
    const double *f;  /* expected float results, or */
    const int64_t *i; /* expected integer/bool results (uint64 as its bits) */
} bin_case;
#define F(...) (const double[]){__VA_ARGS__}, NULL
#define I(...)                                                                                                         \
    NULL, (const int64_t[]) { __VA_ARGS__ }

/* From MLX 0.32 (generated, see docs/ops-binary.md). */
static const bin_case k_cases[] = {
    {"add", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 1, 1, 0)},
    {"add", MX_UINT8, SET_UINT, MX_UINT8, 0, I(9, 3, 5, 207, 0, 17, 1, 109, 12, 12, 8, 249, 0, 130, 33, 9)},
    {"add", MX_UINT16, SET_UINT, MX_UINT16, 0, I(9, 3, 5, 207, 256, 17, 1, 109, 12, 12, 8, 505, 0, 130, 33, 9)},
    {"add", MX_UINT32, SET_UINT, MX_UINT32, 0, I(9, 3, 5, 207, 256, 17, 1, 109, 12, 12, 8, 505, 0, 130, 33, 9)},
    {"add", MX_UINT64, SET_UINT, MX_UINT64, 0, I(9, 3, 5, 207, 256, 17, 1, 109, 12, 12, 8, 505, 0, 130, 33, 9)},
    {"add", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-5, -9, 9, 5, 3, 5, -5, 107, 127, -128, 8, 2, 2, -2, 8, 18, 0, -6, 14, -14)},
    {"add", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-5, -9, 9, 5, 3, 5, -5, 107, -129, 128, 8, 2, 2, -2, 8, 18, 0, -6, 14, -14)},
    {"add", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-5, -9, 9, 5, 3, 5, -5, 107, -129, 128, 8, 2, 2, -2, 8, 18, 0, -6, 14, -14)},
    {"add", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-5, -9, 9, 5, 3, 5, -5, 107, -129, 128, 8, 2, 2, -2, 8, 18, 0, -6, 14, -14)},
    {"add", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(-5.5, -5.0, 3.0, 0.0, 2.5, 4.0, INFINITY, NAN, NAN, 1.125, INFINITY, 99.0, -INFINITY, INFINITY, NAN, 6.0,
       INFINITY, -2.0, 0.0, 2.0)},
    {"add", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(-5.5, -5.0, 3.0, 0.0, 2.5, 4.0, INFINITY, NAN, NAN, 1.125, INFINITY, 99.0, -INFINITY, INFINITY, NAN, 6.0,
       INFINITY, -2.0, 0.0, 2.0)},
    {"add", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(-5.5, -5.0, 3.0, 0.0, 2.5, 4.0, INFINITY, NAN, NAN, 1.125, INFINITY, 99.0, -INFINITY, INFINITY, NAN, 6.0,
       INFINITY, -2.0, 0.0, 2.0)},
    {"add", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(-5.5, -5.0, 3.0, 0.0, 2.5, 4.0, INFINITY, NAN, NAN, 1.125, INFINITY, 99.0, -INFINITY, INFINITY, NAN, 6.0,
       INFINITY, -2.0, 0.0, 2.0)},
    {"subtract", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(0, 1, 1, 0)},
    {"subtract", MX_UINT8, SET_UINT, MX_UINT8, 0, I(5, 253, 5, 193, 254, 9, 1, 91, 6, 0, 254, 251, 0, 126, 1, 251)},
    {"subtract", MX_UINT16, SET_UINT, MX_UINT16, 0,
     I(5, 65533, 5, 193, 254, 9, 1, 91, 6, 0, 65534, 65531, 0, 126, 1, 65531)},
    {"subtract", MX_UINT32, SET_UINT, MX_UINT32, 0,
     I(5, 4294967293, 5, 193, 254, 9, 1, 91, 6, 0, 4294967294, 4294967291, 0, 126, 1, 4294967291)},
    {"subtract", MX_UINT64, SET_UINT, MX_UINT64, 0, I(5, -3, 5, 193, 254, 9, 1, 91, 6, 0, -2, -5, 0, 126, 1, -5)},
    {"subtract", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-9, -5, 5, 9, -3, 5, -5, 93, -127, 126, -2, -4, 10, -10, -4, 0, 0, 0, 12, -12)},
    {"subtract", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-9, -5, 5, 9, -3, 5, -5, 93, -127, 126, -2, -4, 10, -10, -4, 0, 0, 0, 12, -12)},
    {"subtract", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-9, -5, 5, 9, -3, 5, -5, 93, -127, 126, -2, -4, 10, -10, -4, 0, 0, 0, 12, -12)},
    {"subtract", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-9, -5, 5, 9, -3, 5, -5, 93, -127, 126, -2, -4, 10, -10, -4, 0, 0, 0, 12, -12)},
    {"subtract", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(-9.5, -1.0, -3.0, 0.0, 2.5, 10.0, INFINITY, -INFINITY, NAN, 0.375, -INFINITY, 101.0, INFINITY, -INFINITY, NAN,
       0.0, NAN, -2.0, 0.0, -3.0)},
    {"subtract", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(-9.5, -1.0, -3.0, 0.0, 2.5, 10.0, INFINITY, -INFINITY, NAN, 0.375, -INFINITY, 101.0, INFINITY, -INFINITY, NAN,
       0.0, NAN, -2.0, 0.0, -3.0)},
    {"subtract", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(-9.5, -1.0, -3.0, 0.0, 2.5, 10.0, INFINITY, -INFINITY, NAN, 0.375, -INFINITY, 101.0, INFINITY, -INFINITY, NAN,
       0.0, NAN, -2.0, 0.0, -3.0)},
    {"subtract", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(-9.5, -1.0, -3.0, 0.0, 2.5, 10.0, INFINITY, -INFINITY, NAN, 0.375, -INFINITY, 101.0, INFINITY, -INFINITY, NAN,
       0.0, NAN, -2.0, 0.0, -3.0)},
    {"multiply", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 0, 0)},
    {"multiply", MX_UINT8, SET_UINT, MX_UINT8, 0, I(14, 0, 0, 120, 255, 52, 0, 132, 27, 36, 15, 6, 0, 0, 16, 14)},
    {"multiply", MX_UINT16, SET_UINT, MX_UINT16, 0,
     I(14, 0, 0, 1400, 255, 52, 0, 900, 27, 36, 15, 63750, 0, 256, 272, 14)},
    {"multiply", MX_UINT32, SET_UINT, MX_UINT32, 0,
     I(14, 0, 0, 1400, 255, 52, 0, 900, 27, 36, 15, 63750, 0, 256, 272, 14)},
    {"multiply", MX_UINT64, SET_UINT, MX_UINT64, 0,
     I(14, 0, 0, 1400, 255, 52, 0, 900, 27, 36, 15, 63750, 0, 256, 272, 14)},
    {"multiply", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-14, 14, 14, -14, 0, 0, 0, -68, -128, 127, 15, -3, -24, -24, 12, 81, 0, 9, 13, 13)},
    {"multiply", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-14, 14, 14, -14, 0, 0, 0, 700, 128, 127, 15, -3, -24, -24, 12, 81, 0, 9, 13, 13)},
    {"multiply", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-14, 14, 14, -14, 0, 0, 0, 700, 128, 127, 15, -3, -24, -24, 12, 81, 0, 9, 13, 13)},
    {"multiply", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-14, 14, 14, -14, 0, 0, 0, 700, 128, 127, 15, -3, -24, -24, 12, 81, 0, 9, 13, 13)},
    {"multiply", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(-15.0, 6.0, -0.0, -0.0, 0.0, -21.0, INFINITY, -INFINITY, NAN, 0.28125, INFINITY, -100.0, -INFINITY, -INFINITY,
       NAN, 9.0, INFINITY, -0.0, 0.0, -1.25)},
    {"multiply", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(-15.0, 6.0, -0.0, -0.0, 0.0, -21.0, INFINITY, -INFINITY, NAN, 0.28125, INFINITY, -100.0, -INFINITY, -INFINITY,
       NAN, 9.0, INFINITY, -0.0, 0.0, -1.25)},
    {"multiply", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(-15.0, 6.0, -0.0, -0.0, 0.0, -21.0, INFINITY, -INFINITY, NAN, 0.28125, INFINITY, -100.0, -INFINITY, -INFINITY,
       NAN, 9.0, INFINITY, -0.0, 0.0, -1.25)},
    {"multiply", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(-15.0, 6.0, -0.0, -0.0, 0.0, -21.0, INFINITY, -INFINITY, NAN, 0.28125, INFINITY, -100.0, -INFINITY, -INFINITY,
       NAN, 9.0, INFINITY, -0.0, 0.0, -1.25)},
    {"floor_divide", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 0, 0)},
    {"floor_divide", MX_UINT8, SET_UINT, MX_UINT8, 0, I(3, 0, 0, 28, 255, 3, 0, 11, 3, 1, 0, 0, 0, 64, 1, 0)},
    {"floor_divide", MX_UINT16, SET_UINT, MX_UINT16, 0, I(3, 0, 0, 28, 255, 3, 0, 11, 3, 1, 0, 0, 0, 64, 1, 0)},
    {"floor_divide", MX_UINT32, SET_UINT, MX_UINT32, 0, I(3, 0, 0, 28, 255, 3, 0, 11, 3, 1, 0, 0, 0, 64, 1, 0)},
    {"floor_divide", MX_UINT64, SET_UINT, MX_UINT64, 0, I(3, 0, 0, 28, 255, 3, 0, 11, 3, 1, 0, 0, 0, 64, 1, 0)},
    {"floor_divide", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-4, 3, 3, -4, 0, 0, 0, 14, -128, 127, 0, -1, -2, -2, 0, 1, 0, 1, 13, 13)},
    {"floor_divide", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-4, 3, 3, -4, 0, 0, 0, 14, 128, 127, 0, -1, -2, -2, 0, 1, 0, 1, 13, 13)},
    {"floor_divide", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-4, 3, 3, -4, 0, 0, 0, 14, 128, 127, 0, -1, -2, -2, 0, 1, 0, 1, 13, 13)},
    {"floor_divide", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-4, 3, 3, -4, 0, 0, 0, 14, 128, 127, 0, -1, -2, -2, 0, 1, 0, 1, 13, 13)},
    {"floor_divide", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(-4.0, 1.0, -0.0, NAN, INFINITY, -3.0, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0, NAN, -INFINITY,
       NAN, -1.0)},
    {"floor_divide", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(-4.0, 1.0, -0.0, NAN, INFINITY, -3.0, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0, NAN, -INFINITY,
       NAN, -1.0)},
    {"floor_divide", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(-4.0, 1.0, -0.0, NAN, INFINITY, -3.0, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0, NAN, -INFINITY,
       NAN, -1.0)},
    {"floor_divide", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(-4.0, 1.0, -0.0, NAN, INFINITY, -3.0, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0, NAN, -INFINITY,
       NAN, -1.0)},
    {"remainder", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(0, 1, 0, 0)},
    {"remainder", MX_UINT8, SET_UINT, MX_UINT8, 0, I(1, 0, 5, 4, 0, 1, 1, 1, 0, 0, 3, 250, 0, 0, 1, 2)},
    {"remainder", MX_UINT16, SET_UINT, MX_UINT16, 0, I(1, 0, 5, 4, 0, 1, 1, 1, 0, 0, 3, 250, 0, 0, 1, 2)},
    {"remainder", MX_UINT32, SET_UINT, MX_UINT32, 0, I(1, 0, 5, 4, 0, 1, 1, 1, 0, 0, 3, 250, 0, 0, 1, 2)},
    {"remainder", MX_UINT64, SET_UINT, MX_UINT64, 0, I(1, 0, 5, 4, 0, 1, 1, 1, 0, 0, 3, 250, 0, 0, 1, 2)},
    {"remainder", MX_INT8, SET_SINT, MX_INT8, 0, I(1, -1, 1, -1, 0, 5, -5, 2, 0, 0, 3, 2, -2, 2, 2, 0, 0, 0, 0, 0)},
    {"remainder", MX_INT16, SET_SINT, MX_INT16, 0, I(1, -1, 1, -1, 0, 5, -5, 2, 0, 0, 3, 2, -2, 2, 2, 0, 0, 0, 0, 0)},
    {"remainder", MX_INT32, SET_SINT, MX_INT32, 0, I(1, -1, 1, -1, 0, 5, -5, 2, 0, 0, 3, 2, -2, 2, 2, 0, 0, 0, 0, 0)},
    {"remainder", MX_INT64, SET_SINT, MX_INT64, 0, I(1, -1, 1, -1, 0, 5, -5, 2, 0, 0, 3, 2, -2, 2, 2, 0, 0, 0, 0, 0)},
    {"remainder", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(0.5, -1.0, -0.0, NAN, NAN, -2.0, NAN, NAN, NAN, 0.0, 3.0, 0.0, -INFINITY, INFINITY, NAN, 0.0, NAN, NAN, NAN,
       2.0)},
    {"remainder", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(0.5, -1.0, -0.0, NAN, NAN, -2.0, NAN, NAN, NAN, 0.0, 3.0, 0.0, -INFINITY, INFINITY, NAN, 0.0, NAN, NAN, NAN,
       2.0)},
    {"remainder", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(0.5, -1.0, -0.0, NAN, NAN, -2.0, NAN, NAN, NAN, 0.0, 3.0, 0.0, -INFINITY, INFINITY, NAN, 0.0, NAN, NAN, NAN,
       2.0)},
    {"remainder", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(0.5, -1.0, -0.0, NAN, NAN, -2.0, NAN, NAN, NAN, 0.0, 3.0, 0.0, -INFINITY, INFINITY, NAN, 0.0, NAN, NAN, NAN,
       2.0)},
    {"power", MX_BOOL, SET_BOOL, MX_BOOL, 1, I(1, 1, 0, 1)},
    {"power", MX_UINT8, SET_UINT, MX_UINT8, 1, I(49, 0, 1, 0, 255, 145, 1, 0, 217, 64, 243, 0, 1, 0, 1, 128)},
    {"power", MX_UINT16, SET_UINT, MX_UINT16, 1,
     I(49, 0, 1, 0, 255, 28561, 1, 0, 729, 46656, 243, 0, 1, 16384, 30977, 128)},
    {"power", MX_UINT32, SET_UINT, MX_UINT32, 1,
     I(49, 0, 1, 1025507328, 255, 28561, 1, 2808348672, 729, 46656, 243, 0, 1, 16384, 1614772481, 128)},
    {"power", MX_UINT64, SET_UINT, MX_UINT64, 1,
     I(49, 0, 1, 12800000000000000, 255, 28561, 1, 1000000000000000000, 729, 46656, 243, 0, 1, 16384,
       -6679040345461786367, 128)},
    {"power", MX_INT8, SET_SINT, MX_INT8, 1, I(49, 0, 49, 0, 0, 1, 1, 0, 0, 127, -13, -1, 0, 16, 64, 73, 1, 0, 13, 0)},
    {"power", MX_INT16, SET_SINT, MX_INT16, 1,
     I(49, 0, 49, 0, 0, 1, 1, 16384, 0, 127, 243, -1, 0, 1296, 64, -28343, 1, 0, 13, 0)},
    {"power", MX_INT32, SET_SINT, MX_INT32, 1,
     I(49, 0, 49, 0, 0, 1, 1, 276447232, 0, 127, 243, -1, 0, 1296, 64, 387420489, 1, 0, 13, 0)},
    {"power", MX_INT64, SET_SINT, MX_INT64, 1,
     I(49, 0, 49, 0, 0, 1, 1, 100000000000000, 0, 127, 243, -1, 0, 1296, 64, 387420489, 1, 0, 13, 0)},
    {"power", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 1,
     F(56.25, 0.111083984375, -0.0, 1.0, 1.0, 0.0029163360595703125, INFINITY, INFINITY, NAN, 0.89794921875, INFINITY,
       0.01000213623046875, 0.0, INFINITY, NAN, 27.0, INFINITY, 1.0, 1.0, NAN)},
    {"power", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 1,
     F(56.25, 0.1111111119389534, -0.0, 1.0, 1.0, 0.0029154520016163588, INFINITY, INFINITY, NAN, 0.8977346420288086,
       INFINITY, 0.009999999776482582, 0.0, INFINITY, NAN, 27.0, INFINITY, 1.0, 1.0, NAN)},
    {"power", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 1,
     F(56.25, 0.1111111111111111, -0.0, 1.0, 1.0, 0.0029154518950437317, INFINITY, INFINITY, NAN, 0.8977346205130202,
       INFINITY, 0.01, 0.0, INFINITY, NAN, 27.0, INFINITY, 1.0, 1.0, NAN)},
    {"power", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 1,
     F(56.25, 0.111328125, -0.0, 1.0, 1.0, 0.0029144287109375, INFINITY, INFINITY, NAN, 0.8984375, INFINITY,
       0.010009765625, 0.0, INFINITY, NAN, 27.0, INFINITY, 1.0, 1.0, NAN)},
    {"maximum", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 1, 1, 0)},
    {"maximum", MX_UINT8, SET_UINT, MX_UINT8, 0, I(7, 3, 5, 200, 255, 13, 1, 100, 9, 6, 5, 255, 0, 128, 17, 7)},
    {"maximum", MX_UINT16, SET_UINT, MX_UINT16, 0, I(7, 3, 5, 200, 255, 13, 1, 100, 9, 6, 5, 255, 0, 128, 17, 7)},
    {"maximum", MX_UINT32, SET_UINT, MX_UINT32, 0, I(7, 3, 5, 200, 255, 13, 1, 100, 9, 6, 5, 255, 0, 128, 17, 7)},
    {"maximum", MX_UINT64, SET_UINT, MX_UINT64, 0, I(7, 3, 5, 200, 255, 13, 1, 100, 9, 6, 5, 255, 0, 128, 17, 7)},
    {"maximum", MX_INT8, SET_SINT, MX_INT8, 0, I(2, -2, 7, 7, 3, 5, 0, 100, -1, 127, 5, 3, 6, 4, 6, 9, 0, -3, 13, -1)},
    {"maximum", MX_INT16, SET_SINT, MX_INT16, 0,
     I(2, -2, 7, 7, 3, 5, 0, 100, -1, 127, 5, 3, 6, 4, 6, 9, 0, -3, 13, -1)},
    {"maximum", MX_INT32, SET_SINT, MX_INT32, 0,
     I(2, -2, 7, 7, 3, 5, 0, 100, -1, 127, 5, 3, 6, 4, 6, 9, 0, -3, 13, -1)},
    {"maximum", MX_INT64, SET_SINT, MX_INT64, 0,
     I(2, -2, 7, 7, 3, 5, 0, 100, -1, 127, 5, 3, 6, 4, 6, 9, 0, -3, 13, -1)},
    {"maximum", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(2.0, -2.0, 3.0, -0.0, 2.5, 7.0, INFINITY, INFINITY, NAN, 0.75, INFINITY, 100.0, 5.0, INFINITY, NAN, 3.0,
       INFINITY, 0.0, 0.0, 2.5)},
    {"maximum", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(2.0, -2.0, 3.0, -0.0, 2.5, 7.0, INFINITY, INFINITY, NAN, 0.75, INFINITY, 100.0, 5.0, INFINITY, NAN, 3.0,
       INFINITY, 0.0, 0.0, 2.5)},
    {"maximum", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(2.0, -2.0, 3.0, -0.0, 2.5, 7.0, INFINITY, INFINITY, NAN, 0.75, INFINITY, 100.0, 5.0, INFINITY, NAN, 3.0,
       INFINITY, 0.0, 0.0, 2.5)},
    {"maximum", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(2.0, -2.0, 3.0, -0.0, 2.5, 7.0, INFINITY, INFINITY, NAN, 0.75, INFINITY, 100.0, 5.0, INFINITY, NAN, 3.0,
       INFINITY, 0.0, 0.0, 2.5)},
    {"minimum", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 0, 0)},
    {"minimum", MX_UINT8, SET_UINT, MX_UINT8, 0, I(2, 0, 0, 7, 1, 4, 0, 9, 3, 6, 3, 250, 0, 2, 16, 2)},
    {"minimum", MX_UINT16, SET_UINT, MX_UINT16, 0, I(2, 0, 0, 7, 1, 4, 0, 9, 3, 6, 3, 250, 0, 2, 16, 2)},
    {"minimum", MX_UINT32, SET_UINT, MX_UINT32, 0, I(2, 0, 0, 7, 1, 4, 0, 9, 3, 6, 3, 250, 0, 2, 16, 2)},
    {"minimum", MX_UINT64, SET_UINT, MX_UINT64, 0, I(2, 0, 0, 7, 1, 4, 0, 9, 3, 6, 3, 250, 0, 2, 16, 2)},
    {"minimum", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-7, -7, 2, -2, 0, 0, -5, 7, -128, 1, 3, -1, -4, -6, 2, 9, 0, -3, 1, -13)},
    {"minimum", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-7, -7, 2, -2, 0, 0, -5, 7, -128, 1, 3, -1, -4, -6, 2, 9, 0, -3, 1, -13)},
    {"minimum", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-7, -7, 2, -2, 0, 0, -5, 7, -128, 1, 3, -1, -4, -6, 2, 9, 0, -3, 1, -13)},
    {"minimum", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-7, -7, 2, -2, 0, 0, -5, 7, -128, 1, 3, -1, -4, -6, 2, 9, 0, -3, 1, -13)},
    {"minimum", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(-7.5, -3.0, -0.0, -0.0, 0.0, -3.0, 2.0, -INFINITY, NAN, 0.375, 3.0, -1.0, -INFINITY, -5.0, NAN, 3.0, INFINITY,
       -2.0, 0.0, -0.5)},
    {"minimum", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(-7.5, -3.0, -0.0, -0.0, 0.0, -3.0, 2.0, -INFINITY, NAN, 0.375, 3.0, -1.0, -INFINITY, -5.0, NAN, 3.0, INFINITY,
       -2.0, 0.0, -0.5)},
    {"minimum", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(-7.5, -3.0, -0.0, -0.0, 0.0, -3.0, 2.0, -INFINITY, NAN, 0.375, 3.0, -1.0, -INFINITY, -5.0, NAN, 3.0, INFINITY,
       -2.0, 0.0, -0.5)},
    {"minimum", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(-7.5, -3.0, -0.0, -0.0, 0.0, -3.0, 2.0, -INFINITY, NAN, 0.375, 3.0, -1.0, -INFINITY, -5.0, NAN, 3.0, INFINITY,
       -2.0, 0.0, -0.5)},
    {"equal", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 0, 1)},
    {"equal", MX_UINT8, SET_UINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0)},
    {"equal", MX_UINT16, SET_UINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0)},
    {"equal", MX_UINT32, SET_UINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0)},
    {"equal", MX_UINT64, SET_UINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0)},
    {"equal", MX_INT8, SET_SINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0)},
    {"equal", MX_INT16, SET_SINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0)},
    {"equal", MX_INT32, SET_SINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0)},
    {"equal", MX_INT64, SET_SINT, MX_BOOL, 0, I(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0)},
    {"equal", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0)},
    {"equal", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0)},
    {"equal", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0)},
    {"equal", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0)},
    {"not_equal", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(0, 1, 1, 0)},
    {"not_equal", MX_UINT8, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1)},
    {"not_equal", MX_UINT16, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1)},
    {"not_equal", MX_UINT32, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1)},
    {"not_equal", MX_UINT64, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1)},
    {"not_equal", MX_INT8, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1)},
    {"not_equal", MX_INT16, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1)},
    {"not_equal", MX_INT32, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1)},
    {"not_equal", MX_INT64, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1)},
    {"not_equal", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1)},
    {"not_equal", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1)},
    {"not_equal", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1)},
    {"not_equal", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1)},
    {"greater", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(0, 1, 0, 0)},
    {"greater", MX_UINT8, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0)},
    {"greater", MX_UINT16, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0)},
    {"greater", MX_UINT32, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0)},
    {"greater", MX_UINT64, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0)},
    {"greater", MX_INT8, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0)},
    {"greater", MX_INT16, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0)},
    {"greater", MX_INT32, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0)},
    {"greater", MX_INT64, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0)},
    {"greater", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0)},
    {"greater", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0)},
    {"greater", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0)},
    {"greater", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0)},
    {"greater_equal", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 1, 0, 1)},
    {"greater_equal", MX_UINT8, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0)},
    {"greater_equal", MX_UINT16, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0)},
    {"greater_equal", MX_UINT32, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0)},
    {"greater_equal", MX_UINT64, SET_UINT, MX_BOOL, 0, I(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0)},
    {"greater_equal", MX_INT8, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0)},
    {"greater_equal", MX_INT16, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0)},
    {"greater_equal", MX_INT32, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0)},
    {"greater_equal", MX_INT64, SET_SINT, MX_BOOL, 0, I(0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0)},
    {"greater_equal", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0)},
    {"greater_equal", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0)},
    {"greater_equal", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0)},
    {"greater_equal", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0,
     I(0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0)},
    {"less", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(0, 0, 1, 0)},
    {"less", MX_UINT8, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1)},
    {"less", MX_UINT16, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1)},
    {"less", MX_UINT32, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1)},
    {"less", MX_UINT64, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1)},
    {"less", MX_INT8, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1)},
    {"less", MX_INT16, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1)},
    {"less", MX_INT32, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1)},
    {"less", MX_INT64, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1)},
    {"less", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1)},
    {"less", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1)},
    {"less", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1)},
    {"less", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1)},
    {"less_equal", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 1, 1)},
    {"less_equal", MX_UINT8, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1)},
    {"less_equal", MX_UINT16, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1)},
    {"less_equal", MX_UINT32, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1)},
    {"less_equal", MX_UINT64, SET_UINT, MX_BOOL, 0, I(0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1)},
    {"less_equal", MX_INT8, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1)},
    {"less_equal", MX_INT16, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1)},
    {"less_equal", MX_INT32, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1)},
    {"less_equal", MX_INT64, SET_SINT, MX_BOOL, 0, I(1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1)},
    {"less_equal", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1)},
    {"less_equal", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1)},
    {"less_equal", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1)},
    {"less_equal", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1)},
    {"logical_and", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 0, 0)},
    {"logical_and", MX_UINT8, SET_UINT, MX_BOOL, 0, I(1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_UINT16, SET_UINT, MX_BOOL, 0, I(1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_UINT32, SET_UINT, MX_BOOL, 0, I(1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_UINT64, SET_UINT, MX_BOOL, 0, I(1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_INT8, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_INT16, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_INT32, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_INT64, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_and", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1)},
    {"logical_and", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1)},
    {"logical_and", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1)},
    {"logical_and", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1)},
    {"logical_or", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 1, 1, 0)},
    {"logical_or", MX_UINT8, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_UINT16, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_UINT32, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_UINT64, SET_UINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_INT8, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_INT16, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_INT32, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_INT64, SET_SINT, MX_BOOL, 0, I(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1)},
    {"logical_or", MX_FLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1)},
    {"logical_or", MX_FLOAT32, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1)},
    {"logical_or", MX_FLOAT64, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1)},
    {"logical_or", MX_BFLOAT16, SET_FLOAT, MX_BOOL, 0, I(1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1)},
    {"divide", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 0,
     F(-3.75, 1.5, -0.0, NAN, INFINITY, -2.333984375, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0, NAN,
       -INFINITY, NAN, -0.199951171875)},
    {"divide", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 0,
     F(-3.75, 1.5, -0.0, NAN, INFINITY, -2.3333332538604736, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0,
       NAN, -INFINITY, NAN, -0.20000000298023224)},
    {"divide", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 0,
     F(-3.75, 1.5, -0.0, NAN, INFINITY, -2.3333333333333335, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0,
       NAN, -INFINITY, NAN, -0.2)},
    {"divide", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 0,
     F(-3.75, 1.5, -0.0, NAN, INFINITY, -2.328125, INFINITY, NAN, NAN, 2.0, 0.0, -100.0, -0.0, -0.0, NAN, 1.0, NAN,
       -INFINITY, NAN, -0.2001953125)},
    {"divide", MX_BOOL, SET_BOOL, MX_FLOAT32, 0, F(1.0, INFINITY, 0.0, NAN)},
    {"divide", MX_UINT8, SET_UINT, MX_FLOAT32, 0,
     F(3.5, 0.0, INFINITY, 28.571428298950195, 255.0, 3.25, INFINITY, 11.11111068725586, 3.0, 1.0, 0.6000000238418579,
       0.9803921580314636, NAN, 64.0, 1.0625, 0.2857142984867096)},
    {"divide", MX_INT32, SET_SINT, MX_FLOAT32, 0,
     F(-3.5, 3.5, 3.5, -3.5, 0.0, INFINITY, -INFINITY, 14.285714149475098, 128.0, 127.0, 0.6000000238418579,
       -0.3333333432674408, -1.5, -1.5, 0.3333333432674408, 1.0, NAN, 1.0, 13.0, 13.0)},
    {"divide", MX_INT64, SET_SINT, MX_FLOAT32, 0,
     F(-3.5, 3.5, 3.5, -3.5, 0.0, INFINITY, -INFINITY, 14.285714149475098, 128.0, 127.0, 0.6000000238418579,
       -0.3333333432674408, -1.5, -1.5, 0.3333333432674408, 1.0, NAN, 1.0, 13.0, 13.0)},
    {"logaddexp", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 1,
     F(2.0, -1.6865234375, 3.048828125, 0.693359375, 2.578125, 7.0, INFINITY, INFINITY, NAN, 1.2734375, INFINITY, 100.0,
       5.0, INFINITY, NAN, 3.693359375, INFINITY, 0.126953125, 0.693359375, 2.548828125)},
    {"logaddexp", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 1,
     F(2.000074863433838, -1.6867382526397705, 3.0485873222351074, 0.6931471824645996, 2.578889846801758,
       7.000045299530029, INFINITY, INFINITY, NAN, 1.2731232643127441, INFINITY, 100.0, 5.0, INFINITY, NAN,
       3.6931471824645996, INFINITY, 0.12692800164222717, 0.6931471824645996, 2.5485873222351074)},
    {"logaddexp", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 1,
     F(2.000074849041978, -1.6867383057927703, 3.0485873572507076, 0.6931471805599453, 2.578889734167354,
       7.000045398900423, INFINITY, INFINITY, NAN, 1.2731232752758954, INFINITY, 100.0, 5.0, INFINITY, NAN,
       3.6931471805599454, INFINITY, 0.12692800950568822, 0.6931471805599453, 2.5485873572507076)},
    {"logaddexp", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 1,
     F(2.0, -1.6875, 3.046875, 0.69140625, 2.578125, 7.0, INFINITY, INFINITY, NAN, 1.2734375, INFINITY, 100.0, 5.0,
       INFINITY, NAN, 3.6875, INFINITY, 0.126953125, 0.69140625, 2.546875)},
    {"logaddexp", MX_BOOL, SET_BOOL, MX_FLOAT32, 1,
     F(1.6931471824645996, 1.3132617473602295, 1.3132617473602295, 0.6931471824645996)},
    {"logaddexp", MX_UINT8, SET_UINT, MX_FLOAT32, 1,
     F(7.006715297698975, 3.0485873222351074, 5.006715297698975, 200.0, 255.0, 13.000123023986816, 1.3132617473602295,
       100.0, 9.00247573852539, 6.6931471824646, 5.126927852630615, 255.0067138671875, 0.6931471824645996, 128.0,
       17.313261032104492, 7.006715297698975)},
    {"logaddexp", MX_INT32, SET_SINT, MX_FLOAT32, 1,
     F(2.0001235008239746, -1.9932847023010254, 7.006715297698975, 7.000123500823975, 3.0485873222351074,
       5.006715297698975, 0.006715348456054926, 100.0, -1.0, 127.0, 5.126927852630615, 3.0181498527526855,
       6.000045299530029, 4.000045299530029, 6.0181498527526855, 9.693147659301758, 0.6931471824645996,
       -2.3068528175354004, 13.000005722045898, -0.9999938607215881)},
    {"logaddexp", MX_INT64, SET_SINT, MX_FLOAT32, 1,
     F(2.0001235008239746, -1.9932847023010254, 7.006715297698975, 7.000123500823975, 3.0485873222351074,
       5.006715297698975, 0.006715348456054926, 100.0, -1.0, 127.0, 5.126927852630615, 3.0181498527526855,
       6.000045299530029, 4.000045299530029, 6.0181498527526855, 9.693147659301758, 0.6931471824645996,
       -2.3068528175354004, 13.000005722045898, -0.9999938607215881)},
    {"arctan2", MX_FLOAT16, SET_FLOAT, MX_FLOAT16, 1,
     F(-1.310546875, -2.158203125, -0.0, 3.140625, 1.5703125, 1.9755859375, 1.5703125, -0.78515625, NAN, 1.107421875,
       0.0, 1.5810546875, 3.140625, -0.0, NAN, 0.78515625, 0.78515625, -1.5703125, 0.0, -0.1973876953125)},
    {"arctan2", MX_FLOAT32, SET_FLOAT, MX_FLOAT32, 1,
     F(-1.3101938962936401, -2.158798933029175, -0.0, 3.1415927410125732, 1.5707963705062866, 1.975688099861145,
       1.5707963705062866, -0.7853981852531433, NAN, 1.1071487665176392, 0.0, 1.5807960033416748, 3.1415927410125732,
       -0.0, NAN, 0.7853981852531433, 0.7853981852531433, -1.5707963705062866, 0.0, -0.19739556312561035)},
    {"arctan2", MX_FLOAT64, SET_FLOAT, MX_FLOAT64, 1,
     F(-1.3101939350475555, -2.158798930342464, -0.0, 3.141592653589793, 1.5707963267948966, 1.97568811307998,
       1.5707963267948966, -0.7853981633974483, NAN, 1.1071487177940904, 0.0, 1.5807959934815619, 3.141592653589793,
       -0.0, NAN, 0.7853981633974483, 0.7853981633974483, -1.5707963267948966, 0.0, -0.19739555984988075)},
    {"arctan2", MX_BFLOAT16, SET_FLOAT, MX_BFLOAT16, 1,
     F(-1.3125, -2.15625, -0.0, 3.140625, 1.5703125, 1.9765625, 1.5703125, -0.78515625, NAN, 1.109375, 0.0, 1.578125,
       3.140625, -0.0, NAN, 0.78515625, 0.78515625, -1.5703125, 0.0, -0.197265625)},
    {"arctan2", MX_BOOL, SET_BOOL, MX_FLOAT32, 1, F(0.7853981852531433, 1.5707963705062866, 0.0, 0.0)},
    {"arctan2", MX_UINT8, SET_UINT, MX_FLOAT32, 1,
     F(1.292496681213379, 0.0, 1.5707963705062866, 1.5358105897903442, 1.5668747425079346, 1.2722973823547363,
       1.5707963705062866, 1.4810380935668945, 1.249045729637146, 0.7853981852531433, 0.5404195189476013,
       0.7754974961280823, 0.0, 1.5551725625991821, 0.8156919479370117, 0.2782996594905853)},
    {"arctan2", MX_INT32, SET_SINT, MX_FLOAT32, 1,
     F(-1.292496681213379, -1.8490959405899048, 1.292496681213379, 1.8490959405899048, 0.0, 1.5707963705062866,
       -1.5707963705062866, 1.5009102821350098, -1.5786086320877075, 1.562922477722168, 0.5404195189476013,
       -0.32175055146217346, 2.158798933029175, -0.9827937483787537, 0.32175055146217346, 0.7853981852531433, 0.0,
       -2.356194496154785, 1.494024395942688, -1.6475682258605957)},
    {"arctan2", MX_INT64, SET_SINT, MX_FLOAT32, 1,
     F(-1.292496681213379, -1.8490959405899048, 1.292496681213379, 1.8490959405899048, 0.0, 1.5707963705062866,
       -1.5707963705062866, 1.5009102821350098, -1.5786086320877075, 1.562922477722168, 0.5404195189476013,
       -0.32175055146217346, 2.158798933029175, -0.9827937483787537, 0.32175055146217346, 0.7853981852531433, 0.0,
       -2.356194496154785, 1.494024395942688, -1.6475682258605957)},
    {"bitwise_and", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 0, 0, 0)},
    {"bitwise_and", MX_UINT8, SET_UINT, MX_UINT8, 0, I(2, 0, 0, 0, 1, 4, 0, 0, 1, 6, 1, 250, 0, 0, 16, 2)},
    {"bitwise_and", MX_UINT16, SET_UINT, MX_UINT16, 0, I(2, 0, 0, 0, 1, 4, 0, 0, 1, 6, 1, 250, 0, 0, 16, 2)},
    {"bitwise_and", MX_UINT32, SET_UINT, MX_UINT32, 0, I(2, 0, 0, 0, 1, 4, 0, 0, 1, 6, 1, 250, 0, 0, 16, 2)},
    {"bitwise_and", MX_UINT64, SET_UINT, MX_UINT64, 0, I(2, 0, 0, 0, 1, 4, 0, 0, 1, 6, 1, 250, 0, 0, 16, 2)},
    {"bitwise_and", MX_INT8, SET_SINT, MX_INT8, 0,
     I(0, -8, 2, 6, 0, 0, 0, 4, -128, 1, 1, 3, 4, 0, 2, 9, 0, -3, 1, -13)},
    {"bitwise_and", MX_INT16, SET_SINT, MX_INT16, 0,
     I(0, -8, 2, 6, 0, 0, 0, 4, -128, 1, 1, 3, 4, 0, 2, 9, 0, -3, 1, -13)},
    {"bitwise_and", MX_INT32, SET_SINT, MX_INT32, 0,
     I(0, -8, 2, 6, 0, 0, 0, 4, -128, 1, 1, 3, 4, 0, 2, 9, 0, -3, 1, -13)},
    {"bitwise_and", MX_INT64, SET_SINT, MX_INT64, 0,
     I(0, -8, 2, 6, 0, 0, 0, 4, -128, 1, 1, 3, 4, 0, 2, 9, 0, -3, 1, -13)},
    {"bitwise_or", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(1, 1, 1, 0)},
    {"bitwise_or", MX_UINT8, SET_UINT, MX_UINT8, 0, I(7, 3, 5, 207, 255, 13, 1, 109, 11, 6, 7, 255, 0, 130, 17, 7)},
    {"bitwise_or", MX_UINT16, SET_UINT, MX_UINT16, 0, I(7, 3, 5, 207, 255, 13, 1, 109, 11, 6, 7, 255, 0, 130, 17, 7)},
    {"bitwise_or", MX_UINT32, SET_UINT, MX_UINT32, 0, I(7, 3, 5, 207, 255, 13, 1, 109, 11, 6, 7, 255, 0, 130, 17, 7)},
    {"bitwise_or", MX_UINT64, SET_UINT, MX_UINT64, 0, I(7, 3, 5, 207, 255, 13, 1, 109, 11, 6, 7, 255, 0, 130, 17, 7)},
    {"bitwise_or", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-5, -1, 7, -1, 3, 5, -5, 103, -1, 127, 7, -1, -2, -2, 6, 9, 0, -3, 13, -1)},
    {"bitwise_or", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-5, -1, 7, -1, 3, 5, -5, 103, -1, 127, 7, -1, -2, -2, 6, 9, 0, -3, 13, -1)},
    {"bitwise_or", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-5, -1, 7, -1, 3, 5, -5, 103, -1, 127, 7, -1, -2, -2, 6, 9, 0, -3, 13, -1)},
    {"bitwise_or", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-5, -1, 7, -1, 3, 5, -5, 103, -1, 127, 7, -1, -2, -2, 6, 9, 0, -3, 13, -1)},
    {"bitwise_xor", MX_BOOL, SET_BOOL, MX_BOOL, 0, I(0, 1, 1, 0)},
    {"bitwise_xor", MX_UINT8, SET_UINT, MX_UINT8, 0, I(5, 3, 5, 207, 254, 9, 1, 109, 10, 0, 6, 5, 0, 130, 1, 5)},
    {"bitwise_xor", MX_UINT16, SET_UINT, MX_UINT16, 0, I(5, 3, 5, 207, 254, 9, 1, 109, 10, 0, 6, 5, 0, 130, 1, 5)},
    {"bitwise_xor", MX_UINT32, SET_UINT, MX_UINT32, 0, I(5, 3, 5, 207, 254, 9, 1, 109, 10, 0, 6, 5, 0, 130, 1, 5)},
    {"bitwise_xor", MX_UINT64, SET_UINT, MX_UINT64, 0, I(5, 3, 5, 207, 254, 9, 1, 109, 10, 0, 6, 5, 0, 130, 1, 5)},
    {"bitwise_xor", MX_INT8, SET_SINT, MX_INT8, 0,
     I(-5, 7, 5, -7, 3, 5, -5, 99, 127, 126, 6, -4, -6, -2, 4, 0, 0, 0, 12, 12)},
    {"bitwise_xor", MX_INT16, SET_SINT, MX_INT16, 0,
     I(-5, 7, 5, -7, 3, 5, -5, 99, 127, 126, 6, -4, -6, -2, 4, 0, 0, 0, 12, 12)},
    {"bitwise_xor", MX_INT32, SET_SINT, MX_INT32, 0,
     I(-5, 7, 5, -7, 3, 5, -5, 99, 127, 126, 6, -4, -6, -2, 4, 0, 0, 0, 12, 12)},
    {"bitwise_xor", MX_INT64, SET_SINT, MX_INT64, 0,
     I(-5, 7, 5, -7, 3, 5, -5, 99, 127, 126, 6, -4, -6, -2, 4, 0, 0, 0, 12, 12)},
    {"left_shift", MX_BOOL, SET_BOOL, MX_UINT8, 0, I(2, 1, 0, 0)},
    {"left_shift", MX_UINT8, SET_SHIFT_U, MX_UINT8, 0, I(1, 254, 20, 0, 248, 0, 14, 192)},
    {"left_shift", MX_UINT16, SET_SHIFT_U, MX_UINT16, 0, I(1, 510, 20, 16384, 1016, 0, 14, 192)},
    {"left_shift", MX_UINT32, SET_SHIFT_U, MX_UINT32, 0, I(1, 510, 20, 16384, 1016, 0, 14, 192)},
    {"left_shift", MX_UINT64, SET_SHIFT_U, MX_UINT64, 0, I(1, 510, 20, 16384, 1016, 0, 14, 192)},
    {"left_shift", MX_INT8, SET_SHIFT_S, MX_INT8, 0, I(1, -2, 20, 0, -8, 0, -14, -64)},
    {"left_shift", MX_INT16, SET_SHIFT_S, MX_INT16, 0, I(1, -2, 20, -16384, 1016, 0, -14, 192)},
    {"left_shift", MX_INT32, SET_SHIFT_S, MX_INT32, 0, I(1, -2, 20, -16384, 1016, 0, -14, 192)},
    {"left_shift", MX_INT64, SET_SHIFT_S, MX_INT64, 0, I(1, -2, 20, -16384, 1016, 0, -14, 192)},
    {"right_shift", MX_BOOL, SET_BOOL, MX_UINT8, 0, I(0, 1, 0, 0)},
    {"right_shift", MX_UINT8, SET_SHIFT_U, MX_UINT8, 0, I(1, 127, 1, 1, 15, 0, 3, 0)},
    {"right_shift", MX_UINT16, SET_SHIFT_U, MX_UINT16, 0, I(1, 127, 1, 1, 15, 0, 3, 0)},
    {"right_shift", MX_UINT32, SET_SHIFT_U, MX_UINT32, 0, I(1, 127, 1, 1, 15, 0, 3, 0)},
    {"right_shift", MX_UINT64, SET_SHIFT_U, MX_UINT64, 0, I(1, 127, 1, 1, 15, 0, 3, 0)},
    {"right_shift", MX_INT8, SET_SHIFT_S, MX_INT8, 0, I(1, -1, 1, -1, 15, 0, -4, 0)},
    {"right_shift", MX_INT16, SET_SHIFT_S, MX_INT16, 0, I(1, -1, 1, -1, 15, 0, -4, 0)},
    {"right_shift", MX_INT32, SET_SHIFT_S, MX_INT32, 0, I(1, -1, 1, -1, 15, 0, -4, 0)},
    {"right_shift", MX_INT64, SET_SHIFT_S, MX_INT64, 0, I(1, -1, 1, -1, 15, 0, -4, 0)},
};

static void test_values_every_op_and_dtype(void) {
    int ncases = (int)(sizeof k_cases / sizeof k_cases[0]);
    for (int k = 0; k < ncases; k++) {
        const bin_case *c = &k_cases[k];
        binary_fn fn = op_fn(c->op);
        CHECK(fn != NULL);
        if (!fn)
            continue;
        int n = k_sets[c->set].n;
        mx_array a = make(k_sets[c->set].a, n, c->dtype), b = make(k_sets[c->set].b, n, c->dtype);
        mx_array r = fn(a, b);
        char what[96];
        snprintf(what, sizeof what, "%s(%s, %s)", c->op, mx_dtype_name(c->dtype), mx_dtype_name(c->dtype));
        if (c->f)
            expect_f64(r, c->out, c->f, n, c->approx ? approx_rtol(c->out) : 0, what);
        else
            expect_i64(r, c->out, c->i, n, what);
        mx_free_n((mx_array[]){a, b, r}, 3);
    }
}

/* ---- type promotion of every dtype pair --------------------------------------------------- */

/* Result dtypes of op(a, b) for a (rows) and b (columns) in the order
 * bool u8 u16 u32 u64 i8 i16 i32 i64 f16 f32 f64 bf16, read off MLX 0.32.
 * Codes: ? bool, B H I Q uint8..64, b h i l int8..64, e f d float16/32/64,
 * g bfloat16; E: MLX raises (cmlx: MX_ERROR_UNSUPPORTED, RuntimeError in Python). */
static const mx_dtype k_order[13] = {MX_BOOL,  MX_UINT8, MX_UINT16,  MX_UINT32,  MX_UINT64,  MX_INT8,    MX_INT16,
                                     MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16};
static const char k_codes[] = "?BHIQbhilefdg";

static const char *const k_promote_arith[13] = {"?BHIQbhilefdg", "BBHIQhhilefdg", "HHHIQiiilefdg", "IIIIQllllefdg",
                                                "QQQQQffffefdg", "bhilfbhilefdg", "hhilfhhilefdg", "iiilfiiilefdg",
                                                "llllfllllefdg", "eeeeeeeeeefdf", "fffffffffffdf", "ddddddddddddd",
                                                "gggggggggffdg"};
static const char *const k_promote_float[13] = {"fffffffffefdg", "fffffffffefdg", "fffffffffefdg", "fffffffffefdg",
                                                "fffffffffefdg", "fffffffffefdg", "fffffffffefdg", "fffffffffefdg",
                                                "fffffffffefdg", "eeeeeeeeeefdf", "fffffffffffdf", "ddddddddddddd",
                                                "gggggggggffdg"};
static const char *const k_promote_bool[13] = {"?????????????", "?????????????", "?????????????", "?????????????",
                                               "?????????????", "?????????????", "?????????????", "?????????????",
                                               "?????????????", "?????????????", "?????????????", "?????????????",
                                               "?????????????"};
static const char *const k_promote_bitwise[13] = {"?BHIQbhilEEEE", "BBHIQhhilEEEE", "HHHIQiiilEEEE", "IIIIQllllEEEE",
                                                  "QQQQQEEEEEEEE", "bhilEbhilEEEE", "hhilEhhilEEEE", "iiilEiiilEEEE",
                                                  "llllEllllEEEE", "EEEEEEEEEEEEE", "EEEEEEEEEEEEE", "EEEEEEEEEEEEE",
                                                  "EEEEEEEEEEEEE"};
static const char *const k_promote_shift[13] = {"BBHIQbhilEEEE", "BBHIQhhilEEEE", "HHHIQiiilEEEE", "IIIIQllllEEEE",
                                                "QQQQQEEEEEEEE", "bhilEbhilEEEE", "hhilEhhilEEEE", "iiilEiiilEEEE",
                                                "llllEllllEEEE", "EEEEEEEEEEEEE", "EEEEEEEEEEEEE", "EEEEEEEEEEEEE",
                                                "EEEEEEEEEEEEE"};

static const char *const *promotion_table(const char *op) {
    if (!strcmp(op, "divide") || !strcmp(op, "logaddexp") || !strcmp(op, "arctan2"))
        return k_promote_float;
    if (!strncmp(op, "bitwise", 7))
        return k_promote_bitwise;
    if (strstr(op, "shift"))
        return k_promote_shift;
    if (strstr(op, "equal") || !strcmp(op, "greater") || !strcmp(op, "less") || !strncmp(op, "logical", 7))
        return k_promote_bool;
    return k_promote_arith;
}

/* op(1, 1), by arithmetic: what every dtype pair must give. */
static double value_of_one_one(const char *op) {
    static const struct {
        const char *op;
        double v;
    } k[] = {{"add", 2},
             {"subtract", 0},
             {"multiply", 1},
             {"divide", 1},
             {"floor_divide", 1},
             {"remainder", 0},
             {"power", 1},
             {"maximum", 1},
             {"minimum", 1},
             {"logaddexp", 1.6931471805599453},
             {"arctan2", 0.78539816339744831},
             {"equal", 1},
             {"not_equal", 0},
             {"greater", 0},
             {"greater_equal", 1},
             {"less", 0},
             {"less_equal", 1},
             {"logical_and", 1},
             {"logical_or", 1},
             {"bitwise_and", 1},
             {"bitwise_or", 1},
             {"bitwise_xor", 0},
             {"left_shift", 2},
             {"right_shift", 0}};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (!strcmp(k[i].op, op))
            return k[i].v;
    return NAN;
}

static void test_promotion_every_pair(void) {
    for (int k = 0; k < N_OPS; k++) {
        const char *const *table = promotion_table(k_ops[k].name);
        for (int i = 0; i < 13; i++) {
            for (int j = 0; j < 13; j++) {
                mx_array a = mx_ones((const int64_t[]){3}, 1, k_order[i]);
                mx_array b = mx_ones((const int64_t[]){3}, 1, k_order[j]);
                mx_array r = k_ops[k].fn(a, b);
                char code = table[i][j];
                if (code == 'E') {
                    expect_error(r, MX_ERROR_UNSUPPORTED,
                                 NAMES(k_ops[k].name, mx_dtype_name(k_order[i]), mx_dtype_name(k_order[j])));
                } else {
                    mx_dtype want = k_order[strchr(k_codes, code) - k_codes];
                    double v = value_of_one_one(k_ops[k].name);
                    if (want == MX_BOOL)
                        v = v != 0;
                    char what[96];
                    snprintf(what, sizeof what, "%s(%s, %s)", k_ops[k].name, mx_dtype_name(k_order[i]),
                             mx_dtype_name(k_order[j]));
                    expect_f64(r, want, (const double[]){v, v, v}, 3, 2.0 / 128, what);
                }
                mx_free_n((mx_array[]){a, b, r}, 3);
            }
        }
    }
}

/* ---- mixed dtypes, big integers, intermediate rounding --------------------------------------- */

static void check_mixed_f(binary_fn fn, const double *a, mx_dtype da, const double *b, mx_dtype db, int n, mx_dtype out,
                          const double *want, const char *what) {
    mx_array x = make(a, n, da), y = make(b, n, db), r = fn(x, y);
    expect_f64(r, out, want, n, 0, what);
    mx_free_n((mx_array[]){x, y, r}, 3);
}

static void test_mixed_dtype_values(void) {
    /* from MLX 0.32 */
    check_mixed_f(mx_add, (const double[]){1, -2, 70000, 2049}, MX_INT32, (const double[]){0.5, 0.25, 1, 0}, MX_FLOAT16,
                  4, MX_FLOAT16, (const double[]){1.5, -1.75, INFINITY, 2048}, "add(int32, float16)");
    check_mixed_f(mx_subtract, (const double[]){200, 0, 255}, MX_UINT8, (const double[]){-100, 1, 127}, MX_INT8, 3,
                  MX_INT16, (const double[]){300, -1, 128}, "subtract(uint8, int8)");
    check_mixed_f(mx_multiply, (const double[]){1, 0, 1}, MX_BOOL, (const double[]){2.5, NAN, -1}, MX_FLOAT32, 3,
                  MX_FLOAT32, (const double[]){2.5, NAN, -1}, "multiply(bool, float32)");
    check_mixed_f(mx_divide, (const double[]){7, -7, 1099511627776.0, 0}, MX_INT64, (const double[]){2, 3, 1, 0},
                  MX_UINT8, 4, MX_FLOAT32, (const double[]){3.5, -2.3333332538604736, 1099511627776.0, NAN},
                  "divide(int64, uint8)");
    check_mixed_f(mx_floor_divide, (const double[]){7, 4000000000.0, 5, 9}, MX_UINT32, (const double[]){-2, -3, 0, 4},
                  MX_INT32, 4, MX_INT64, (const double[]){-4, -1333333334, 0, 2}, "floor_divide(uint32, int32)");
    check_mixed_f(mx_remainder, (const double[]){7.5, -7.5, 1e-8, -1e-8}, MX_FLOAT32, (const double[]){-2, 2, 1, 1},
                  MX_INT8, 4, MX_FLOAT32, (const double[]){-0.5, 0.5, 9.99999993922529e-09, 1.0},
                  "remainder(float32, int8)");
    check_mixed_f(mx_power, (const double[]){2, 3, 0, 10}, MX_UINT8, (const double[]){0.5, -1, -1, 3}, MX_FLOAT16, 4,
                  MX_FLOAT16, (const double[]){1.4140625, 0.333251953125, INFINITY, 1000}, "power(uint8, float16)");
    check_mixed_f(mx_maximum, (const double[]){-5, 100, -128}, MX_INT8, (const double[]){3, 65535, 0}, MX_UINT16, 3,
                  MX_INT32, (const double[]){3, 65535, 0}, "maximum(int8, uint16)");
    check_mixed_f(mx_less, (const double[]){1.0009765625, 2}, MX_FLOAT16, (const double[]){1.0078125, 2}, MX_BFLOAT16,
                  2, MX_BOOL, (const double[]){1, 0}, "less(float16, bfloat16)");
    check_mixed_f(mx_logical_and, (const double[]){NAN, 0.0, -0.0, 2.0}, MX_FLOAT32, (const double[]){1, 1, 1, 0},
                  MX_INT32, 4, MX_BOOL, (const double[]){1, 0, 0, 0}, "logical_and(float32, int32)");
    check_mixed_f(mx_logical_or, (const double[]){NAN, 0.0, -0.0, 2.0}, MX_FLOAT32, (const double[]){0, 0, 0, 0},
                  MX_INT32, 4, MX_BOOL, (const double[]){1, 0, 0, 1}, "logical_or(float32, int32)");
    check_mixed_f(mx_bitwise_or, (const double[]){1, 0, 1}, MX_BOOL, (const double[]){4, -1, 0}, MX_INT16, 3, MX_INT16,
                  (const double[]){5, -1, 1}, "bitwise_or(bool, int16)");
    check_mixed_f(mx_right_shift, (const double[]){255, 128, 7}, MX_UINT8, (const double[]){1, 7, 2}, MX_INT8, 3,
                  MX_INT16, (const double[]){127, 1, 1}, "right_shift(uint8, int8)");
    /* IEEE remainder moved to the divisor's sign keeps the sign of a zero result */
    check_mixed_f(mx_remainder, (const double[]){-4, 4, 5.5, -0.0}, MX_FLOAT32, (const double[]){2, -2, -2, 3},
                  MX_FLOAT32, 4, MX_FLOAT32, (const double[]){-0.0, 0.0, -0.5, -0.0}, "remainder(float32) zeros");
    /* float16/bfloat16 round the intermediate quotient (bfloat16(288/17) = 17)
     * and the steps of logaddexp, like MLX */
    check_mixed_f(mx_floor_divide, (const double[]){288, 296}, MX_BFLOAT16, (const double[]){17, 9}, MX_BFLOAT16, 2,
                  MX_BFLOAT16, (const double[]){17, 33}, "floor_divide(bfloat16) rounding");
    check_mixed_f(mx_logaddexp, (const double[]){-1.7255859375, 2.27734375, -3.158203125, -0.38525390625}, MX_FLOAT16,
                  (const double[]){-2.15234375, -0.2724609375, 0.5537109375, -2.2890625}, MX_FLOAT16, 4, MX_FLOAT16,
                  (const double[]){-1.22265625, 2.3515625, 0.578125, -0.2464599609375}, "logaddexp(float16) rounding");
    check_mixed_f(
        mx_logaddexp, (const double[]){0.5, -100, 1e30, -3, 88.5}, MX_FLOAT32,
        (const double[]){0.25, -101, 1e30, 40, 88}, MX_FLOAT32, 5, MX_FLOAT32,
        (const double[]){1.075939416885376, -99.68673706054688, 1.0000000150474662e+30, 40, 88.97407531738281},
        "logaddexp(float32)");
    check_mixed_f(mx_logaddexp, (const double[]){0.5, -100, 3}, MX_FLOAT64, (const double[]){0.25, -101, 3.0000001},
                  MX_FLOAT64, 3, MX_FLOAT64,
                  (const double[]){1.0759394212674924, -99.68673830579277, 3.6931472209552987}, "logaddexp(float64)");
    check_mixed_f(mx_floor_divide, (const double[]){1, -1, 7}, MX_FLOAT32, (const double[]){0.1, 0.1, 0.7}, MX_FLOAT32,
                  3, MX_FLOAT32, (const double[]){10, -10, 10}, "floor_divide(float32) inexact");
    /* maximum/minimum: a NaN on either side wins; zeros: x > y ? x : y */
    check_mixed_f(mx_maximum, (const double[]){-0.0, 0.0, NAN, 1}, MX_FLOAT32, (const double[]){0.0, -0.0, 1, NAN},
                  MX_FLOAT32, 4, MX_FLOAT32, (const double[]){0.0, -0.0, NAN, NAN}, "maximum zeros, NaN");
    check_mixed_f(mx_minimum, (const double[]){-0.0, 0.0, NAN, 1}, MX_FLOAT32, (const double[]){0.0, -0.0, 1, NAN},
                  MX_FLOAT32, 4, MX_FLOAT32, (const double[]){0.0, -0.0, NAN, NAN}, "minimum zeros, NaN");
}

static void test_big_integers(void) {
    /* 64-bit values beyond 2^53, from MLX 0.32 */
    mx_array a = make_i64((const int64_t[]){INT64_C(1) << 62, INT64_MIN, INT64_MAX}, 3);
    mx_array b = make_i64((const int64_t[]){INT64_C(1) << 62, -1, 1}, 3);
    mx_array r = mx_add(a, b);
    expect_i64(r, MX_INT64, (const int64_t[]){INT64_MIN, INT64_MAX, INT64_MIN}, 3, "add(int64) wraps");
    mx_free_n((mx_array[]){a, b, r}, 3);

    uint64_t ua[3] = {UINT64_C(1) << 63, (UINT64_C(1) << 32) + 1, 3},
             ub[3] = {2, (UINT64_C(1) << 32) - 1, UINT64_C(1) << 63};
    a = mx_array_from_data(ua, (const int64_t[]){3}, 1, MX_UINT64);
    b = mx_array_from_data(ub, (const int64_t[]){3}, 1, MX_UINT64);
    r = mx_multiply(a, b);
    expect_i64(r, MX_UINT64, (const int64_t[]){0, -1, INT64_MIN}, 3, "multiply(uint64) wraps");
    mx_free_n((mx_array[]){a, b, r}, 3);

    a = make_i64((const int64_t[]){3, -2, 7}, 3);
    b = make_i64((const int64_t[]){39, 63, 23}, 3);
    r = mx_power(a, b);
    expect_i64(r, MX_INT64, (const int64_t[]){INT64_C(4052555153018976267), INT64_MIN, INT64_C(8922003266371364727)}, 3,
               "power(int64) wraps");
    mx_free_n((mx_array[]){a, b, r}, 3);

    a = make_i64((const int64_t[]){(INT64_C(1) << 62) + 1, -(INT64_C(1) << 62) - 1, INT64_MIN}, 3);
    b = make_i64((const int64_t[]){-3, 7, 2}, 3);
    r = mx_floor_divide(a, b);
    expect_i64(
        r, MX_INT64,
        (const int64_t[]){INT64_C(-1537228672809129302), INT64_C(-658812288346769701), INT64_C(-4611686018427387904)},
        3, "floor_divide(int64)");
    mx_free_n((mx_array[]){b, r}, 2);
    b = make_i64((const int64_t[]){-3, 7, 3}, 3);
    r = mx_remainder(a, b);
    expect_i64(r, MX_INT64, (const int64_t[]){-1, 2, 1}, 3, "remainder(int64)");
    mx_free_n((mx_array[]){a, b, r}, 3);

    /* uint64 with int64 promotes to float32 (MLX): 2^53 + 1 and 2^53 compare equal */
    uint64_t big[2] = {(UINT64_C(1) << 53) + 1, 5};
    a = mx_array_from_data(big, (const int64_t[]){2}, 1, MX_UINT64);
    b = make_i64((const int64_t[]){INT64_C(1) << 53, 5}, 2);
    r = mx_equal(a, b);
    expect_i64(r, MX_BOOL, (const int64_t[]){1, 1}, 2, "equal(uint64, int64)");
    mx_free_n((mx_array[]){a, b, r}, 3);
}

/* ---- division by zero, MIN / -1, shift counts out of range ------------------------------------ */

static void test_integer_division_by_zero(void) {
    /* MLX 0.32: floor_divide by 0 gives 0, remainder by 0 gives the dividend */
    const mx_dtype dtypes[] = {MX_INT8, MX_INT16, MX_INT32, MX_INT64, MX_UINT8, MX_UINT16, MX_UINT32, MX_UINT64};
    for (size_t k = 0; k < sizeof dtypes / sizeof dtypes[0]; k++) {
        bool is_signed = mx_dtype_is_signed(dtypes[k]);
        const double *a = is_signed ? (const double[]){7, -7, 0} : (const double[]){7, 0, 3};
        mx_array x = make(a, 3, dtypes[k]), z = mx_zeros((const int64_t[]){3}, 1, dtypes[k]);
        mx_array q = mx_floor_divide(x, z), r = mx_remainder(x, z);
        expect_f64(q, dtypes[k], (const double[]){0, 0, 0}, 3, 0, "floor_divide by 0");
        expect_f64(r, dtypes[k], a, 3, 0, "remainder by 0");
        mx_free_n((mx_array[]){x, z, q, r}, 4);
    }
    /* a scalar zero divisor takes the contiguous/scalar path */
    mx_array x = make((const double[]){9, -9}, 2, MX_INT32), z = mx_scalar_i32(0);
    mx_array q = mx_floor_divide(x, z), r = mx_remainder(x, z);
    expect_f64(q, MX_INT32, (const double[]){0, 0}, 2, 0, "floor_divide by scalar 0");
    expect_f64(r, MX_INT32, (const double[]){9, -9}, 2, 0, "remainder by scalar 0");
    mx_free_n((mx_array[]){x, z, q, r}, 4);
}

static void test_integer_min_by_minus_one(void) {
    /* MLX 0.32 gives MIN and 0 for int8/int16 (computed in int) and dies of
     * SIGFPE for int32/int64; cmlx gives MIN and 0 for every width. */
    const mx_dtype dtypes[] = {MX_INT8, MX_INT16, MX_INT32};
    const double mins[] = {-128, -32768, -2147483648.0};
    for (int k = 0; k < 3; k++) {
        mx_array x = make((const double[]){mins[k], 6}, 2, dtypes[k]), m = make((const double[]){-1, -1}, 2, dtypes[k]);
        mx_array q = mx_floor_divide(x, m), r = mx_remainder(x, m);
        expect_f64(q, dtypes[k], (const double[]){mins[k], -6}, 2, 0, "MIN // -1");
        expect_f64(r, dtypes[k], (const double[]){0, 0}, 2, 0, "MIN % -1");
        mx_free_n((mx_array[]){x, m, q, r}, 4);
    }
    mx_array x = make_i64((const int64_t[]){INT64_MIN, 6}, 2), m = make_i64((const int64_t[]){-1, -1}, 2);
    mx_array q = mx_floor_divide(x, m), r = mx_remainder(x, m);
    expect_i64(q, MX_INT64, (const int64_t[]){INT64_MIN, -6}, 2, "MIN // -1 int64");
    expect_i64(r, MX_INT64, (const int64_t[]){0, 0}, 2, "MIN % -1 int64");
    mx_free_n((mx_array[]){x, m, q, r}, 4);
}

static void test_float_division_by_zero(void) {
    /* from MLX 0.32 */
    mx_array x = make((const double[]){1, -1, 0}, 3, MX_FLOAT32);
    mx_array pz = mx_scalar_f32(0.0f), nz = mx_scalar_f32(-0.0f);
    mx_array a = mx_divide(x, pz), b = mx_divide(x, nz), c = mx_floor_divide(x, pz), d = mx_remainder(x, pz);
    expect_f64(a, MX_FLOAT32, (const double[]){INFINITY, -INFINITY, NAN}, 3, 0, "x / 0");
    expect_f64(b, MX_FLOAT32, (const double[]){-INFINITY, INFINITY, NAN}, 3, 0, "x / -0");
    expect_f64(c, MX_FLOAT32, (const double[]){INFINITY, -INFINITY, NAN}, 3, 0, "x // 0");
    expect_f64(d, MX_FLOAT32, (const double[]){NAN, NAN, NAN}, 3, 0, "x % 0");
    mx_free_n((mx_array[]){x, pz, nz, a, b, c, d}, 7);
    /* integers divided by zero with true division give float32 inf/NaN */
    mx_array i = make((const double[]){3, -3, 0}, 3, MX_INT32), z = mx_scalar_i32(0);
    mx_array q = mx_divide(i, z);
    expect_f64(q, MX_FLOAT32, (const double[]){INFINITY, -INFINITY, NAN}, 3, 0, "int / 0");
    mx_free_n((mx_array[]){i, z, q}, 3);
}

static void test_shift_counts_out_of_range(void) {
    /* Not from MLX: MLX shifts by counts outside [0, width) with the hardware's
     * behaviour (x86 takes the count modulo the width for 32/64-bit types).
     * cmlx defines them as NumPy does: 0, or -1 for a right shift of a
     * negative value. Counts up to 31 on 8/16-bit types agree with MLX. */
    mx_array x = make((const double[]){1, 1, -8, 8, 4, -64, 5}, 7, MX_INT32);
    mx_array n = make((const double[]){32, 40, 40, 33, -1, -8, 31}, 7, MX_INT32);
    mx_array l = mx_left_shift(x, n), r = mx_right_shift(x, n);
    expect_f64(l, MX_INT32, (const double[]){0, 0, 0, 0, 0, 0, -2147483648.0}, 7, 0, "left_shift(int32) far");
    expect_f64(r, MX_INT32, (const double[]){0, 0, -1, 0, 0, -1, 0}, 7, 0, "right_shift(int32) far");
    mx_free_n((mx_array[]){x, n, l, r}, 4);

    uint64_t ux[3] = {1, UINT64_MAX, 3}, un[3] = {64, 64, 63};
    x = mx_array_from_data(ux, (const int64_t[]){3}, 1, MX_UINT64);
    n = mx_array_from_data(un, (const int64_t[]){3}, 1, MX_UINT64);
    l = mx_left_shift(x, n);
    r = mx_right_shift(x, n);
    expect_i64(l, MX_UINT64, (const int64_t[]){0, 0, INT64_MIN}, 3, "left_shift(uint64) far");
    expect_i64(r, MX_UINT64, (const int64_t[]){0, 0, 0}, 3, "right_shift(uint64) far");
    mx_free_n((mx_array[]){x, n, l, r}, 4);

    /* 8-bit: counts 8..31 agree with MLX 0.32 (computed in int, truncated) */
    x = make((const double[]){1, 1, -1, 100}, 4, MX_INT8);
    n = make((const double[]){8, 9, 9, 31}, 4, MX_INT8);
    l = mx_left_shift(x, n);
    r = mx_right_shift(x, n);
    expect_f64(l, MX_INT8, (const double[]){0, 0, 0, 0}, 4, 0, "left_shift(int8) far");
    expect_f64(r, MX_INT8, (const double[]){0, 0, -1, 0}, 4, 0, "right_shift(int8) far");
    mx_free_n((mx_array[]){x, n, l, r}, 4);
}

/* ---- broadcasting ---------------------------------------------------------------------- */

static void check_shape(mx_array r, const int64_t *shape, int ndim) {
    CHECK_EQ_INT(mx_ndim(r), ndim);
    for (int i = 0; i < ndim && i < mx_ndim(r); i++)
        CHECK_EQ_INT(mx_shape(r)[i], shape[i]);
}

static void test_broadcasting(void) {
    /* (3,1) x (1,4) */
    mx_array a = mx_array_from_data((const float[]){0, 10, 20}, SHAPE(3, 1), MX_FLOAT32);
    mx_array b = mx_array_from_data((const float[]){1, 2, 3, 4}, SHAPE(1, 4), MX_FLOAT32);
    mx_array r = mx_add(a, b);
    check_shape(r, SHAPE(3, 4));
    double want[12];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++)
            want[i * 4 + j] = 10 * i + j + 1;
    expect_f64(r, MX_FLOAT32, want, 12, 0, "(3,1) + (1,4)");
    mx_free_n((mx_array[]){a, b, r}, 3);

    /* 0-d with (2,3), both orders, and 0-d with 0-d */
    mx_array s = mx_scalar_i32(2), m = mx_arange(0, 6, 1, MX_FLOAT32);
    mx_array m23 = mx_reshape(m, SHAPE(2, 3));
    mx_array p = mx_multiply(s, m23), q = mx_subtract(m23, s), ss = mx_power(s, s);
    check_shape(p, SHAPE(2, 3));
    expect_f64(p, MX_FLOAT32, (const double[]){0, 2, 4, 6, 8, 10}, 6, 0, "0-d * (2,3)");
    expect_f64(q, MX_FLOAT32, (const double[]){-2, -1, 0, 1, 2, 3}, 6, 0, "(2,3) - 0-d");
    CHECK_EQ_INT(mx_ndim(ss), 0);
    expect_f64(ss, MX_INT32, (const double[]){4}, 1, 0, "0-d ** 0-d");
    mx_free_n((mx_array[]){s, m, m23, p, q, ss}, 6);

    /* rank extension on both sides: (2,1,3) + (4,1) -> (2,4,3); empty
     * results: (0,3) + (3,) -> (0,3), (2,1) < (0,) -> (2,0), where((0,), (1,),
     * 0-d) -> (0,) (shapes and dtypes as MLX 0.32) */
    mx_scope scope = mx_scope_begin();
    r = mx_add(mx_ones(SHAPE(2, 1, 3), MX_INT16), mx_reshape(mx_arange(0, 4, 1, MX_INT16), SHAPE(4, 1)));
    check_shape(r, SHAPE(2, 4, 3));
    double w24[24];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 3; k++)
                w24[(i * 4 + j) * 3 + k] = 1 + j;
    expect_f64(r, MX_INT16, w24, 24, 0, "(2,1,3) + (4,1)");
    mx_array e1 = mx_add(mx_ones(SHAPE(0, 3), MX_FLOAT32), mx_ones(SHAPE(3), MX_FLOAT32));
    mx_array e2 = mx_less(mx_ones(SHAPE(2, 1), MX_INT32), mx_ones(SHAPE(0), MX_FLOAT16));
    mx_array e3 = mx_where(mx_ones(SHAPE(0), MX_BOOL), mx_ones(SHAPE(1), MX_INT8), mx_scalar_f32(1));
    check_shape(e1, SHAPE(0, 3));
    check_shape(e2, SHAPE(2, 0));
    check_shape(e3, SHAPE(0));
    CHECK_EQ_INT(mx_array_dtype(e2), MX_BOOL);
    CHECK_EQ_INT(mx_array_dtype(e3), MX_FLOAT32);
    CHECK_OK(mx_eval((mx_array[]){e1, e2, e3}, 3));
    CHECK_EQ_INT(mx_size(e1), 0);
    mx_scope_end(scope);

    /* incompatible shapes: a value error naming the op, shapes and dtypes */
    a = mx_ones(SHAPE(2, 3), MX_FLOAT32);
    b = mx_ones(SHAPE(4), MX_INT8);
    r = mx_add(a, b);
    expect_error(r, MX_ERROR_VALUE, NAMES("add", "(2,3)", "(4)", "float32", "int8"));
    mx_free(r);
    /* MLX checks dtypes first: bitwise_xor(int8 (4), float32 (2,3)) is an unsupported-dtype error */
    r = mx_bitwise_xor(b, a);
    expect_error(r, MX_ERROR_UNSUPPORTED, NAMES("bitwise_xor", "(4)", "(2,3)", "float32"));
    mx_free_n((mx_array[]){a, b, r}, 3);
}

/* ---- strided inputs ------------------------------------------------------------------------ */

static void test_strided_inputs(void) {
    mx_scope scope = mx_scope_begin();
    /* transposed + contiguous: t[i][j] = a[j][i] = 4j + i; b[i][j] = 3i + j */
    mx_array a = mx_reshape(mx_arange(0, 12, 1, MX_FLOAT32), SHAPE(3, 4));
    mx_array t = mx_transpose(a, NULL, 0);
    mx_array b = mx_reshape(mx_arange(0, 12, 1, MX_FLOAT32), SHAPE(4, 3));
    mx_array r = mx_add(t, b);
    double want[12];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++)
            want[i * 3 + j] = 4 * j + i + 3 * i + j;
    expect_f64(r, MX_FLOAT32, want, 12, 0, "transposed + contiguous");

    /* stepped slices: [0,2,4,6,8] * [1,3,5,7,9]; reversed: [9..0] - [0..9] */
    mx_array v = mx_arange(0, 10, 1, MX_INT32);
    mx_array even = mx_slice(v, (const int64_t[]){0}, (const int64_t[]){10}, (const int64_t[]){2}, 1);
    mx_array odd = mx_slice(v, (const int64_t[]){1}, (const int64_t[]){10}, (const int64_t[]){2}, 1);
    expect_f64(mx_multiply(even, odd), MX_INT32, (const double[]){0, 6, 20, 42, 72}, 5, 0, "sliced * sliced");
    mx_array rev = mx_flip(v, NULL, 0);
    expect_f64(mx_subtract(rev, v), MX_INT32, (const double[]){9, 7, 5, 3, 1, -1, -3, -5, -7, -9}, 10, 0,
               "reversed - contiguous");

    /* transposed (4,3) with a broadcast row (3,) and a stepped column slice */
    mx_array row = mx_array_from_data((const double[]){100, 200, 300}, SHAPE(3), MX_FLOAT64);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++)
            want[i * 3 + j] = (4 * j + i) * (100 * (j + 1));
    expect_f64(mx_multiply(t, row), MX_FLOAT64, want, 12, 0, "transposed * broadcast row");
    mx_array cols = mx_slice(a, (const int64_t[]){0, 0}, (const int64_t[]){3, 4}, (const int64_t[]){1, 2}, 2);
    expect_f64(mx_greater(cols, mx_scalar_f32(4.5)), MX_BOOL, (const double[]){0, 0, 0, 1, 1, 1}, 6, 0,
               "stepped slice > scalar");

    mx_scope_end(scope);
}

static void compare_results(mx_array got, mx_array want, const char *what, mx_dtype dtype) {
    if (mx_array_status(want) != MX_OK) { /* a dtype the op rejects: both must fail alike */
        CHECK_EQ_INT(mx_array_status(got), mx_array_status(want));
        return;
    }
    double g[12], w[12];
    CHECK_EQ_INT(mx_size(got), 12);
    CHECK_OK(mx_copy_to(got, g, sizeof g, MX_FLOAT64));
    CHECK_OK(mx_copy_to(want, w, sizeof w, MX_FLOAT64));
    for (int i = 0; i < 12; i++) {
        if (!same_value(g[i], w[i], 0)) {
            fprintf(stderr, "  %s (%s) [%d]: %.17g vs %.17g\n", what, mx_dtype_name(dtype), i, g[i], w[i]);
            g_checks_failed_in_test++;
        }
    }
}

/* Every op on every kernel path (general strided, scalar/strided,
 * strided/scalar) gives what it gives on contiguous copies. */
static void test_strided_every_op(void) {
    const mx_dtype dtypes[] = {MX_INT32, MX_UINT8, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BOOL};
    for (size_t d = 0; d < sizeof dtypes / sizeof dtypes[0]; d++) {
        mx_scope scope = mx_scope_begin();
        mx_dtype dt = dtypes[d];
        /* values -6..17 (uint8: 0..23), cast first so the views below are strided */
        mx_array base = mx_astype(
            mx_reshape(mx_arange(dt == MX_UINT8 ? 0 : -6, dt == MX_UINT8 ? 24 : 18, 1, MX_INT32), SHAPE(4, 6)), dt);
        mx_array sa =
            mx_transpose(mx_slice(base, (const int64_t[]){0, 0}, (const int64_t[]){4, 6}, (const int64_t[]){1, 2}, 2),
                         NULL, 0); /* (3,4), strides (2,6) */
        mx_array sb = mx_slice(mx_flip(base, NULL, 0), (const int64_t[]){1, 0}, (const int64_t[]){4, 4}, NULL,
                               2); /* (3,4), strides (-6,-1) */
        /* shift counts in [0, 5) with the same strides as sb */
        mx_array counts = mx_remainder(base, mx_scalar(5, dt));
        mx_array sc = mx_slice(mx_flip(counts, NULL, 0), (const int64_t[]){1, 0}, (const int64_t[]){4, 4}, NULL, 2);
        mx_array scalar = mx_scalar(3, dt);
        mx_array scalar_full = mx_copy(mx_broadcast_to(scalar, SHAPE(3, 4)));
        for (int k = 0; k < N_OPS; k++) {
            binary_fn fn = k_ops[k].fn;
            mx_array x = sa, y = strstr(k_ops[k].name, "shift") ? sc : sb;
            mx_array cx = mx_copy(x), cy = mx_copy(y);
            char what[64];
            snprintf(what, sizeof what, "%s strided", k_ops[k].name);
            compare_results(fn(x, y), fn(cx, cy), what, dt);
            snprintf(what, sizeof what, "%s strided, scalar", k_ops[k].name);
            compare_results(fn(x, scalar), fn(cx, scalar_full), what, dt);
            snprintf(what, sizeof what, "%s scalar, strided", k_ops[k].name);
            compare_results(fn(scalar, y), fn(scalar_full, cy), what, dt);
        }
        mx_scope_end(scope);
    }
}

/* ---- large arrays: the threaded path -------------------------------------------------------- */

static void test_large_parallel(void) {
    mx_scope scope = mx_scope_begin();
    const int64_t n = 300000; /* > 2 * CPU_ELEMENTWISE_GRAIN */
    mx_array x = mx_arange(0, (double)n, 1, MX_FLOAT32);
    mx_array r1 = mx_add(x, mx_scalar_f32(0.5f));     /* contiguous/scalar */
    mx_array r2 = mx_multiply(x, x);                  /* contiguous/contiguous */
    mx_array r3 = mx_less(mx_scalar_f32(1000.0f), x); /* scalar/contiguous */
    mx_array m = mx_reshape(x, SHAPE(600, 500));
    mx_array r4 = mx_subtract(mx_transpose(m, NULL, 0), mx_reshape(mx_arange(0, 600, 1, MX_FLOAT32), SHAPE(1, 600)));
    mx_array r5 = mx_power(x, mx_scalar_f32(1.0f)); /* a smaller grain */
    const float *p1 = mx_data_f32(r1), *p2 = mx_data_f32(r2), *p4 = mx_data_f32(r4), *p5 = mx_data_f32(r5);
    const bool *p3 = mx_data_bool(r3);
    CHECK(p1 && p2 && p3 && p4 && p5);
    int64_t bad = 0;
    for (int64_t i = 0; p1 && p2 && p3 && p5 && i < n; i++) {
        float v = (float)i;
        bad += p1[i] != v + 0.5f;
        bad += p2[i] != v * v;
        bad += p3[i] != (1000.0f < v);
        bad += p5[i] != v;
    }
    /* r4[j][i] = m[i][j] - i = 500 i + j - i */
    for (int64_t j = 0; p4 && j < 500; j++)
        for (int64_t i = 0; i < 600; i++)
            bad += p4[j * 600 + i] != (float)(500 * i + j - i);
    CHECK_EQ_INT(bad, 0);
    mx_scope_end(scope);
}

/* ---- in-place: a dying input's buffer becomes the output's ------------------------------------ */

static void test_donation(void) {
    mx_scope scope = mx_scope_begin();
    mx_array x = mx_arange(0, 1000, 1, MX_FLOAT32);
    mx_array y = mx_multiply(x, mx_scalar_f32(2.0f));
    CHECK_OK(mx_eval1(y));
    const float *py = mx_data_f32(y);
    mx_array one = mx_scalar_f32(1.0f);
    mx_array z = mx_add(y, one);
    mx_free(y); /* only z holds y now: its buffer can be reused */
    const float *pz = mx_data_f32(z);
    CHECK(pz == py);
    for (int i = 0; pz && i < 1000; i++)
        if (pz[i] != 2.0f * (float)i + 1.0f) {
            CHECK(pz[i] == 2.0f * (float)i + 1.0f);
            break;
        }
    /* an input still held by a handle is not overwritten */
    mx_array w = mx_subtract(one, z);
    const float *pw = mx_data_f32(w);
    CHECK(pw != pz);
    CHECK(pz[10] == 21.0f && pw && pw[10] == -20.0f);
    /* the second input is donated when the first can't be (held by a handle) */
    mx_array held = mx_arange(0, 100, 1, MX_INT32);
    mx_array i32 = mx_add(mx_scalar_i32(3), mx_arange(0, 100, 1, MX_INT32));
    mx_array c = mx_multiply(held, i32);
    CHECK_OK(mx_eval1(i32));
    const int32_t *pi = mx_data_i32(i32);
    mx_free(i32);
    const int32_t *pc = mx_data_i32(c);
    CHECK(pc == pi);
    CHECK(pc && pc[5] == 5 * 8 && pc[99] == 99 * 102);
    CHECK(mx_data_i32(held) != pc && mx_data_i32(held)[99] == 99);
    /* where gives x's buffer */
    mx_array wx = mx_add(mx_arange(0, 100, 1, MX_FLOAT32), mx_scalar_f32(0));
    CHECK_OK(mx_eval1(wx));
    const float *pwx = mx_data_f32(wx);
    mx_array cond = mx_greater(mx_arange(0, 100, 1, MX_FLOAT32), mx_scalar_f32(49.5f));
    mx_array sel = mx_where(cond, wx, mx_scalar_f32(-1));
    mx_free(wx);
    const float *ps = mx_data_f32(sel);
    CHECK(ps == pwx);
    CHECK(ps && ps[0] == -1 && ps[49] == -1 && ps[50] == 50 && ps[99] == 99);
    mx_scope_end(scope);
}

/* ---- where ------------------------------------------------------------------------------ */

static void test_where(void) {
    mx_scope scope = mx_scope_begin();
    /* from MLX 0.32: the condition is cast to bool (NaN is true), x and y are
     * promoted together, all three broadcast */
    mx_array r = mx_where(make((const double[]){1, 0}, 2, MX_BOOL), make((const double[]){1, -1}, 2, MX_INT8),
                          make((const double[]){200, 250}, 2, MX_UINT8));
    expect_f64(r, MX_INT16, (const double[]){1, 250}, 2, 0, "where(bool, int8, uint8)");
    r = mx_where(make((const double[]){1, 0, NAN}, 3, MX_FLOAT32), make((const double[]){1.5, 2, 3}, 3, MX_FLOAT16),
                 make((const double[]){-1, -2, -3}, 3, MX_BFLOAT16));
    expect_f64(r, MX_FLOAT32, (const double[]){1.5, -2, 3}, 3, 0, "where(float32, float16, bfloat16)");
    r = mx_where(mx_array_from_data((const bool[]){1, 0, 1}, SHAPE(3, 1), MX_BOOL),
                 mx_array_from_data((const int32_t[]){1, 2, 3, 4}, SHAPE(1, 4), MX_INT32), mx_scalar_f32(7.5f));
    check_shape(r, SHAPE(3, 4));
    expect_f64(r, MX_FLOAT32, (const double[]){1, 2, 3, 4, 7.5, 7.5, 7.5, 7.5, 1, 2, 3, 4}, 12, 0,
               "where((3,1), (1,4), 0-d)");
    /* every element size, contiguous and with scalar branches */
    const mx_dtype dtypes[] = {MX_BOOL,   MX_UINT8,   MX_INT16, MX_FLOAT16, MX_BFLOAT16,
                               MX_UINT32, MX_FLOAT32, MX_INT64, MX_FLOAT64};
    mx_array cond = make((const double[]){1, 0, 0, 1, 1}, 5, MX_BOOL);
    for (size_t k = 0; k < sizeof dtypes / sizeof dtypes[0]; k++) {
        mx_array x = make((const double[]){1, 1, 1, 1, 1}, 5, dtypes[k]);
        mx_array y = make((const double[]){0, 0, 0, 0, 0}, 5, dtypes[k]);
        mx_array xs = mx_scalar(1, dtypes[k]), ys = mx_scalar(0, dtypes[k]);
        const double want[5] = {1, 0, 0, 1, 1};
        expect_f64(mx_where(cond, x, y), dtypes[k], want, 5, 0, "where contiguous");
        expect_f64(mx_where(cond, xs, y), dtypes[k], want, 5, 0, "where scalar x");
        expect_f64(mx_where(cond, x, ys), dtypes[k], want, 5, 0, "where scalar y");
        expect_f64(mx_where(cond, xs, ys), dtypes[k], want, 5, 0, "where both scalar");
    }
    /* strided condition and operand: transposed views */
    mx_array m = mx_reshape(mx_arange(0, 6, 1, MX_INT32), SHAPE(2, 3));
    mx_array mt = mx_transpose(m, NULL, 0); /* (3,2): [[0,3],[1,4],[2,5]] */
    mx_array odd = mx_transpose(mx_equal(mx_remainder(m, mx_scalar_i32(2)), mx_scalar_i32(1)), NULL, 0);
    r = mx_where(odd, mt, mx_subtract(mx_scalar_i32(0), mt));
    expect_f64(r, MX_INT32, (const double[]){0, 3, 1, -4, -2, 5}, 6, 0, "where strided");
    /* complex64 values are selected bit for bit (MLX 0.32: [(1+1j), (2+0j)]) */
    float cdata[4] = {1, 1, 2, 2};
    mx_array cx = mx_array_from_data(cdata, SHAPE(2), MX_COMPLEX64);
    r = mx_where(make((const double[]){1, 0}, 2, MX_BOOL), cx, mx_scalar_f32(2));
    CHECK_EQ_INT(mx_array_dtype(r), MX_COMPLEX64);
    float cgot[4] = {0};
    CHECK_OK(mx_copy_to(r, cgot, sizeof cgot, MX_COMPLEX64));
    CHECK(cgot[0] == 1 && cgot[1] == 1 && cgot[2] == 2 && cgot[3] == 0);
    /* errors name the op, the shapes and the dtypes */
    r = mx_where(mx_ones(SHAPE(2, 3), MX_BOOL), mx_ones(SHAPE(3, 2), MX_FLOAT32), mx_scalar_i32(1));
    expect_error(r, MX_ERROR_VALUE, NAMES("where", "(2,3)", "(3,2)", "float32"));
    r = mx_where(MX_NULL_ARRAY, mx_scalar_i32(1), mx_scalar_i32(1));
    expect_error(r, MX_ERROR_HANDLE, NAMES("where"));
    mx_scope_end(scope);
}

/* ---- complex64 ------------------------------------------------------------------------------- */

/* Checks r's dtype (complex64), size n and values bit for bit (float pairs;
 * any NaN matches a NaN, the sign of zero counts). */
static void expect_c64(mx_array r, const float *want, int n, const char *what) {
    if (mx_array_status(r) != MX_OK || mx_array_dtype(r) != MX_COMPLEX64 || mx_size(r) != n) {
        fprintf(stderr, "  %s: status %d, dtype %s, size %lld (want complex64, %d) [%s]\n", what, mx_array_status(r),
                mx_dtype_name(mx_array_dtype(r)), (long long)mx_size(r), n, mx_last_error());
        g_checks_failed_in_test++;
        return;
    }
    float got[64];
    CHECK_OK(mx_copy_to(r, got, sizeof got, MX_COMPLEX64));
    for (int i = 0; i < 2 * n; i++) {
        bool same = isnan(want[i]) ? isnan(got[i]) : memcmp(&got[i], &want[i], sizeof(float)) == 0;
        if (!same) {
            fprintf(stderr, "  %s [%d].%s: got %.9g, want %.9g\n", what, i / 2, i % 2 ? "imag" : "real", got[i],
                    want[i]);
            g_checks_failed_in_test++;
        }
    }
}

/* Operands: ordinary values, equal operands, division by zero, infinities,
 * NaN in either part, equal real parts (the ordering compares imaginary parts
 * then), and -inf + 0i on both sides. */
static const float k_ca[2 * 12] = {0x1.0000000000000p+0,
                                   0x1.0000000000000p+1,
                                   0x1.8000000000000p+1,
                                   -0x1.0000000000000p+0,
                                   0x1.c000000000000p+2,
                                   0x1.8000000000000p+1,
                                   -0x1.c000000000000p+2,
                                   0x1.0000000000000p+1,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+0,
                                   0.0,
                                   0.0,
                                   INFINITY,
                                   0.0,
                                   NAN,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+0,
                                   NAN,
                                   0x1.0000000000000p+1,
                                   0x1.4000000000000p+2,
                                   -INFINITY,
                                   0.0,
                                   0x1.0000000000000p-1,
                                   -0x1.0000000000000p-2};
static const float k_cb[2 * 12] = {0x1.0000000000000p+0,
                                   0x1.8000000000000p+1,
                                   0x1.8000000000000p+1,
                                   -0x1.0000000000000p+0,
                                   0x1.0000000000000p+1,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+1,
                                   -0x1.0000000000000p+0,
                                   0.0,
                                   0.0,
                                   0.0,
                                   0.0,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+0,
                                   0x1.0000000000000p+0,
                                   0.0,
                                   0x1.0000000000000p+1,
                                   0x1.0000000000000p+2,
                                   -INFINITY,
                                   0.0,
                                   -0x1.8000000000000p+0,
                                   0x1.0000000000000p+1};
static const struct {
    const char *op;
    float want[2 * 12];
} k_c64_arith[] = {
    {"add",
     {0x1.0000000000000p+1,
      0x1.4000000000000p+2,
      0x1.8000000000000p+2,
      -0x1.0000000000000p+1,
      0x1.2000000000000p+3,
      0x1.0000000000000p+2,
      -0x1.4000000000000p+2,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      0.0,
      0.0,
      INFINITY,
      0x1.0000000000000p+0,
      NAN,
      0x1.0000000000000p+1,
      0x1.0000000000000p+1,
      NAN,
      0x1.0000000000000p+2,
      0x1.2000000000000p+3,
      -INFINITY,
      0.0,
      -0x1.0000000000000p+0,
      0x1.c000000000000p+0}},
    {"subtract",
     {0.0,
      -0x1.0000000000000p+0,
      0.0,
      0.0,
      0x1.4000000000000p+2,
      0x1.0000000000000p+1,
      -0x1.2000000000000p+3,
      0x1.8000000000000p+1,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      0.0,
      0.0,
      INFINITY,
      -0x1.0000000000000p+0,
      NAN,
      0.0,
      0.0,
      NAN,
      0.0,
      0x1.0000000000000p+0,
      NAN,
      0.0,
      0x1.0000000000000p+1,
      -0x1.2000000000000p+1}},
    {"multiply",
     {-0x1.4000000000000p+2,
      0x1.4000000000000p+2,
      0x1.0000000000000p+3,
      -0x1.8000000000000p+2,
      0x1.6000000000000p+3,
      0x1.a000000000000p+3,
      -0x1.8000000000000p+3,
      0x1.6000000000000p+3,
      0.0,
      0.0,
      0.0,
      0.0,
      INFINITY,
      INFINITY,
      NAN,
      NAN,
      NAN,
      NAN,
      -0x1.0000000000000p+4,
      0x1.2000000000000p+4,
      INFINITY,
      NAN,
      -0x1.0000000000000p-2,
      0x1.6000000000000p+0}},
    {"divide",
     {0x1.6666660000000p-1,
      -0x1.99999a0000000p-4,
      0x1.0000000000000p+0,
      0.0,
      0x1.b333340000000p+1,
      -0x1.99999a0000000p-3,
      -0x1.99999a0000000p+1,
      -0x1.3333340000000p-1,
      INFINITY,
      INFINITY,
      NAN,
      NAN,
      INFINITY,
      -INFINITY,
      NAN,
      NAN,
      NAN,
      NAN,
      0x1.3333340000000p+0,
      0x1.99999a0000000p-4,
      NAN,
      NAN,
      -0x1.99999a0000000p-3,
      -0x1.99999a0000000p-4}},
    {"floor_divide",
     {0x1.6666660000000p-1,
      -0x1.99999a0000000p-4,
      0x1.0000000000000p+0,
      0.0,
      0x1.b333340000000p+1,
      -0x1.99999a0000000p-3,
      -0x1.99999a0000000p+1,
      -0x1.3333340000000p-1,
      INFINITY,
      INFINITY,
      NAN,
      NAN,
      INFINITY,
      -INFINITY,
      NAN,
      NAN,
      NAN,
      NAN,
      0x1.3333340000000p+0,
      0x1.99999a0000000p-4,
      NAN,
      NAN,
      -0x1.99999a0000000p-3,
      -0x1.99999a0000000p-4}},
    {"power",
     {-0x1.33176c0000000p-4,
      -0x1.ea37540000000p-6,
      -0x1.7cbdfe0000000p+3,
      -0x1.397c9a0000000p+4,
      -0x1.278a900000000p+5,
      0x1.6fbe7e0000000p+3,
      -0x1.7f35280000000p+9,
      -0x1.06149a0000000p+9,
      0x1.0000000000000p+0,
      0.0,
      NAN,
      NAN,
      INFINITY,
      NAN,
      NAN,
      NAN,
      NAN,
      NAN,
      -0x1.e3fa8c0000000p-3,
      0x1.35a4ba0000000p-4,
      0.0,
      -0.0,
      0x1.597ba80000000p+2,
      -0x1.5cf8ec0000000p+1}},
    {"maximum",
     {0x1.0000000000000p+0,
      0x1.8000000000000p+1,
      0x1.8000000000000p+1,
      -0x1.0000000000000p+0,
      0x1.c000000000000p+2,
      0x1.8000000000000p+1,
      0x1.0000000000000p+1,
      -0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      0.0,
      0.0,
      INFINITY,
      0.0,
      NAN,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      NAN,
      0x1.0000000000000p+1,
      0x1.4000000000000p+2,
      -INFINITY,
      0.0,
      0x1.0000000000000p-1,
      -0x1.0000000000000p-2}},
    {"minimum",
     {0x1.0000000000000p+0,
      0x1.0000000000000p+1,
      0x1.8000000000000p+1,
      -0x1.0000000000000p+0,
      0x1.0000000000000p+1,
      0x1.0000000000000p+0,
      -0x1.c000000000000p+2,
      0x1.0000000000000p+1,
      0.0,
      0.0,
      0.0,
      0.0,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      NAN,
      0x1.0000000000000p+0,
      0x1.0000000000000p+0,
      NAN,
      0x1.0000000000000p+1,
      0x1.0000000000000p+2,
      -INFINITY,
      0.0,
      -0x1.8000000000000p+0,
      0x1.0000000000000p+1}},
    {"logaddexp",
     {0x1.9004200000000p+0,
      0x1.4000000000000p+1,
      0x1.d8b90c0000000p+1,
      -0x1.0000000000000p+0,
      0x1.bfd24e0000000p+2,
      0x1.7f36ac0000000p+1,
      0x1.fff7fe0000000p+0,
      -0x1.fffdb80000000p-1,
      0x1.36ac880000000p+0,
      0x1.7e9c9c0000000p-1,
      0x1.62e4300000000p-1,
      0.0,
      INFINITY,
      0.0,
      NAN,
      NAN,
      NAN,
      NAN,
      0x1.4802100000000p+1,
      0x1.2000000000000p+2,
      -INFINITY,
      0.0,
      0x1.abc1fc0000000p-2,
      -0x1.1556d40000000p-3}},
};
static const struct {
    const char *op;
    int64_t want[12];
} k_c64_cmp[] = {
    {"equal", {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}},       {"not_equal", {1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1}},
    {"greater", {0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1}},     {"greater_equal", {0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1}},
    {"less", {1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}},        {"less_equal", {1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"logical_and", {1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1}}, {"logical_or", {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}},
};

/* Every binary op MLX allows on complex64, bit for bit with MLX 0.32 (C99
 * complex arithmetic: multiply/divide with Annex G's inf/NaN recovery, cpowf;
 * lexicographic ordering; floor_divide is the plain quotient). */
static void test_complex_values(void) {
    mx_scope scope = mx_scope_begin();
    mx_array a = mx_array_from_data(k_ca, SHAPE(12), MX_COMPLEX64);
    mx_array b = mx_array_from_data(k_cb, SHAPE(12), MX_COMPLEX64);
    for (size_t k = 0; k < sizeof k_c64_arith / sizeof k_c64_arith[0]; k++)
        expect_c64(op_fn(k_c64_arith[k].op)(a, b), k_c64_arith[k].want, 12, k_c64_arith[k].op);
    for (size_t k = 0; k < sizeof k_c64_cmp / sizeof k_c64_cmp[0]; k++)
        expect_i64(op_fn(k_c64_cmp[k].op)(a, b), MX_BOOL, k_c64_cmp[k].want, 12, k_c64_cmp[k].op);
    mx_scope_end(scope);
}

/* Other dtypes promote to complex64 (comparisons and logical ops give bool);
 * a complex condition of where is true when either part is non-zero. */
static void test_complex_mixed(void) {
    mx_scope scope = mx_scope_begin();
    mx_array c = mx_array_from_data((const float[]){1, 1, 0.5f, -2, 0, 0}, SHAPE(3), MX_COMPLEX64);
    mx_array i = make((const double[]){1, -2, 3}, 3, MX_INT32);
    mx_array f = make((const double[]){1, 2, 3}, 3, MX_FLOAT32);
    expect_c64(mx_add(i, c),
               (const float[]){0x1.0000000000000p+1, 0x1.0000000000000p+0, -0x1.8000000000000p+0, -0x1.0000000000000p+1,
                               0x1.8000000000000p+1, 0.0},
               3, "int32 + complex64");
    expect_c64(mx_divide(f, c),
               (const float[]){0x1.0000000000000p-1, -0x1.0000000000000p-1, 0x1.e1e1e20000000p-3, 0x1.e1e1e20000000p-1,
                               INFINITY, NAN},
               3, "float32 / complex64");
    expect_c64(mx_divide(i, c),
               (const float[]){0x1.0000000000000p-1, -0x1.0000000000000p-1, -0x1.e1e1e20000000p-3,
                               -0x1.e1e1e20000000p-1, INFINITY, NAN},
               3, "int32 / complex64");
    expect_c64(mx_multiply(make((const double[]){1, 0, 1}, 3, MX_BOOL), c),
               (const float[]){0x1.0000000000000p+0, 0x1.0000000000000p+0, 0.0, 0.0, 0.0, 0.0}, 3, "bool * complex64");
    expect_i64(mx_greater(c, make((const double[]){1, 0.5, -1}, 3, MX_FLOAT32)), MX_BOOL, (const int64_t[]){1, 0, 1}, 3,
               "complex64 > float32");
    expect_i64(mx_logical_and(c, make((const double[]){1, 1, 0}, 3, MX_INT32)), MX_BOOL, (const int64_t[]){1, 1, 0}, 3,
               "complex64 && int32");
    /* where: conditions 0, 1j, 1, NaN */
    mx_array cond = mx_array_from_data((const float[]){0, 0, 0, 1, 1, 0, NAN, 0}, SHAPE(4), MX_COMPLEX64);
    mx_array x = mx_array_from_data((const float[]){1, 1, 2, 2, 3, 3, 4, 4}, SHAPE(4), MX_COMPLEX64);
    expect_c64(mx_where(cond, x, mx_scalar_i32(7)),
               (const float[]){0x1.c000000000000p+2, 0.0, 0x1.0000000000000p+1, 0x1.0000000000000p+1,
                               0x1.8000000000000p+1, 0x1.8000000000000p+1, 0x1.0000000000000p+2, 0x1.0000000000000p+2},
               4, "where complex");
    expect_f64(mx_where(cond, mx_scalar_f32(1.5f), mx_scalar_f32(-1)), MX_FLOAT32, (const double[]){-1, 1.5, 1.5, 1.5},
               4, 0, "where complex condition");
    mx_scope_end(scope);
}

/* Transposed and broadcast complex operands give the contiguous results. */
static void test_complex_strided(void) {
    mx_scope scope = mx_scope_begin();
    mx_array a = mx_array_from_data(k_ca, SHAPE(3, 4), MX_COMPLEX64);
    mx_array b = mx_array_from_data(k_cb, SHAPE(4, 3), MX_COMPLEX64);
    mx_array bt = mx_transpose(b, NULL, 0); /* (3,4), strided */
    mx_array btc = mx_contiguous(bt);
    mx_array row = mx_slice(a, (const int64_t[]){1, 0}, (const int64_t[]){2, 4}, NULL, 2); /* (1,4), broadcast */
    mx_array rowc = mx_contiguous(mx_broadcast_to(row, SHAPE(3, 4)));
    for (size_t k = 0; k < sizeof k_c64_arith / sizeof k_c64_arith[0]; k++) {
        binary_fn fn = op_fn(k_c64_arith[k].op);
        float want[24];
        CHECK_OK(mx_copy_to(fn(a, btc), want, sizeof want, MX_COMPLEX64));
        expect_c64(mx_reshape(fn(a, bt), SHAPE(12)), want, 12, k_c64_arith[k].op);
        CHECK_OK(mx_copy_to(fn(rowc, btc), want, sizeof want, MX_COMPLEX64));
        expect_c64(mx_reshape(fn(row, bt), SHAPE(12)), want, 12, k_c64_arith[k].op);
    }
    mx_scope_end(scope);
}

/* ---- errors ------------------------------------------------------------------------------- */

static void test_errors(void) {
    mx_scope scope = mx_scope_begin();
    mx_array f = mx_ones(SHAPE(2), MX_FLOAT32), i = mx_ones(SHAPE(2), MX_INT32);
    /* bitwise ops and shifts: integers and bools only, after promotion (MLX
     * raises RuntimeError; cmlx reports an unsupported dtype) */
    expect_error(mx_bitwise_and(f, i), MX_ERROR_UNSUPPORTED, NAMES("bitwise_and", "float32", "int32", "(2)"));
    expect_error(mx_left_shift(i, mx_ones(SHAPE(2), MX_FLOAT16)), MX_ERROR_UNSUPPORTED, NAMES("left_shift", "float16"));
    expect_error(mx_bitwise_or(mx_ones(SHAPE(2), MX_UINT64), mx_ones(SHAPE(2), MX_INT8)), MX_ERROR_UNSUPPORTED,
                 NAMES("bitwise_or", "uint64", "int8"));
    /* complex64: MLX rejects remainder and arctan2 (ValueError), and the
     * bitwise ops reject it as a non-integer type */
    mx_array c = mx_array_from_data((const float[]){1, 1}, SHAPE(1), MX_COMPLEX64);
    expect_error(mx_remainder(c, c), MX_ERROR_VALUE, NAMES("remainder", "complex64"));
    expect_error(mx_arctan2(c, f), MX_ERROR_VALUE, NAMES("arctan2", "complex64"));
    expect_error(mx_remainder(i, c), MX_ERROR_VALUE, NAMES("remainder", "int32", "complex64", "(2)", "(1)"));
    expect_error(mx_bitwise_and(c, i), MX_ERROR_UNSUPPORTED, NAMES("bitwise_and", "complex64"));
    expect_error(mx_left_shift(i, c), MX_ERROR_UNSUPPORTED, NAMES("left_shift", "complex64"));
    /* bad handles, and error arrays passing through */
    expect_error(mx_add(MX_NULL_ARRAY, f), MX_ERROR_HANDLE, NAMES("add"));
    mx_array freed = mx_ones(SHAPE(2), MX_FLOAT32);
    mx_free(freed);
    expect_error(mx_multiply(f, freed), MX_ERROR_HANDLE, NAMES("multiply"));
    mx_array bad = mx_add(mx_ones(SHAPE(3), MX_FLOAT32), f);
    expect_error(mx_subtract(bad, f), MX_ERROR_VALUE, NAMES("add", "(3)", "(2)"));
    /* the node-level constructor rejects ops of other families */
    mx_node *nf = mx_handle_get(f, "test");
    CHECK(mx_node_binary(&mx_op_where, nf, nf) == NULL);
    CHECK_EQ_INT(mx_last_status(), MX_ERROR_INTERNAL);
    mx_scope_end(scope);
}

int main(void) {
    RUN(test_values_every_op_and_dtype);
    RUN(test_promotion_every_pair);
    RUN(test_mixed_dtype_values);
    RUN(test_big_integers);
    RUN(test_integer_division_by_zero);
    RUN(test_integer_min_by_minus_one);
    RUN(test_float_division_by_zero);
    RUN(test_shift_counts_out_of_range);
    RUN(test_broadcasting);
    RUN(test_strided_inputs);
    RUN(test_strided_every_op);
    RUN(test_large_parallel);
    RUN(test_donation);
    RUN(test_where);
    RUN(test_complex_values);
    RUN(test_complex_mixed);
    RUN(test_complex_strided);
    RUN(test_errors);
    return CHECK_SUMMARY();
}
