/* tests/c/cuda_parity.h - the harness every CUDA parity test shares: random
 * operands made on the CPU (domains per op), layouts (contiguous, transposed,
 * sliced views), and compare(): the CPU result against the GPU result
 * (integers and bools exactly; floats within a tolerance set by the dtype).
 * Each test file that includes it keeps its own case counters. Usage:
 *     on(MX_CPU); mx_array c = op(x); on(MX_GPU); mx_array g = op(x);
 *     compare("op float32 contig", c, g, tolerance(MX_FLOAT32), false);   */
#ifndef CMLX_TESTS_CUDA_PARITY_H
#define CMLX_TESTS_CUDA_PARITY_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmlx/cmlx.h"

static int g_cases, g_failures;
static uint64_t g_rng = 0x9E3779B97F4A7C15ull;

static inline double uniform01(void) {
    g_rng = g_rng * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(g_rng >> 11) / 9007199254740992.0;
}

typedef enum { D_ANY, D_POS, D_UNIT, D_GE1, D_NEAR1, D_SMALLINT } domain;

/* A random array of `dtype` made on the CPU. */
static inline mx_array random_array(const int64_t *shape, int ndim, mx_dtype dtype, domain dom) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    double *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    for (int64_t i = 0; i < n; i++) {
        double u = uniform01();
        switch (dom) {
        case D_POS: v[i] = 0.05 + 4.0 * u; break;
        case D_UNIT: v[i] = -0.9 + 1.8 * u; break;
        case D_GE1: v[i] = 1.05 + 4.0 * u; break;
        case D_NEAR1: v[i] = 0.95 + 0.1 * u; break;
        case D_SMALLINT: v[i] = floor(8.0 * u); break;
        default: v[i] = -3.0 + 6.0 * u; break;
        }
        if (dtype == MX_BOOL)
            v[i] = u < 0.5;
        else if (mx_dtype_is_integer(dtype))
            v[i] = floor(mx_dtype_is_signed(dtype) ? (dom == D_SMALLINT ? v[i] : -40 + 80 * u) : 80 * u);
    }
    mx_array f = mx_array_from_data(v, shape, ndim, MX_FLOAT64);
    mx_array out = mx_astype(f, dtype);
    mx_eval1(out);
    mx_free(f);
    free(v);
    return out;
}

static inline double tolerance(mx_dtype t) {
    switch (t) {
    case MX_FLOAT16: return 4e-3;
    case MX_BFLOAT16: return 2e-2;
    case MX_FLOAT32: return 2e-5;
    case MX_FLOAT64: return 1e-12;
    default: return 0;
    }
}

/* Compare the CPU and GPU results; `norm`: judge floats by the relative
 * norm of the difference (sums and products: rounding order differs). */
static inline void compare(const char *what, mx_array cpu, mx_array gpu, double rtol, bool norm) {
    g_cases++;
    mx_set_default_device(mx_cpu_device());
    if (mx_array_status(cpu) != MX_OK || mx_array_status(gpu) != MX_OK || mx_eval1(gpu) != MX_OK) {
        printf("FAIL %-48s error: %s\n", what, mx_last_error());
        g_failures++;
        return;
    }
    if (mx_ndim(cpu) != mx_ndim(gpu) || mx_size(cpu) != mx_size(gpu) || mx_array_dtype(cpu) != mx_array_dtype(gpu)) {
        printf("FAIL %-48s shape/dtype differ (%s vs %s)\n", what, mx_dtype_name(mx_array_dtype(cpu)),
               mx_dtype_name(mx_array_dtype(gpu)));
        g_failures++;
        return;
    }
    mx_array c64 = mx_astype(cpu, MX_FLOAT64), g64 = mx_astype(gpu, MX_FLOAT64);
    const double *c = mx_data(c64), *g = mx_data(g64);
    int64_t n = mx_size(cpu), bad = -1;
    double diff2 = 0, ref2 = 0, worst = 0;
    for (int64_t i = 0; i < n; i++) {
        bool both_nan = isnan(c[i]) && isnan(g[i]);
        /* the reference norm covers every element: summed over the differing ones only, it made
         * a few 1-ulp differences of small elements look like an 18% error */
        if (norm && isfinite(c[i]))
            ref2 += c[i] * c[i];
        if (both_nan || c[i] == g[i])
            continue;
        double d = fabs(c[i] - g[i]);
        if (norm && !isnan(d) && !isinf(d)) {
            diff2 += d * d;
            continue;
        }
        if (!(d <= rtol * fabs(c[i]) + rtol * 1e-3) && bad < 0)
            bad = i;
        if (d > worst)
            worst = d;
    }
    if (norm && sqrt(diff2) > rtol * (sqrt(ref2) + 1e-30) && bad < 0) {
        bad = 0;
        worst = sqrt(diff2 / (ref2 + 1e-300));
    }
    if (bad >= 0) {
        printf("FAIL %-48s at %lld: cpu %.9g gpu %.9g (worst %.3g)\n", what, (long long)bad, c[bad], g[bad], worst);
        g_failures++;
    }
    mx_free(c64);
    mx_free(g64);
}

/* ---- layouts ------------------------------------------------------------------ */

typedef enum { L_CONTIG, L_TRANSPOSED, L_SLICED, L_COUNT } layout;
static inline const char *layout_name(layout l) {
    static const char *names[] = {"contig", "transposed", "sliced"};
    return names[l];
}

/* A 2-D operand (rows x cols) in the given layout (a view for the others). */
static inline mx_array operand(int64_t rows, int64_t cols, mx_dtype t, domain dom, layout l) {
    if (l == L_TRANSPOSED) {
        int64_t shape[2] = {cols, rows};
        mx_array base = random_array(shape, 2, t, dom);
        mx_array v = mx_transpose(base, (int[]){1, 0}, 2);
        mx_free(base);
        return v;
    }
    if (l == L_SLICED) {
        int64_t shape[2] = {rows, cols * 2};
        mx_array base = random_array(shape, 2, t, dom);
        mx_array v = mx_slice(base, (int64_t[]){0, 1}, (int64_t[]){rows, cols * 2}, (int64_t[]){1, 2}, 2);
        mx_free(base);
        return v;
    }
    int64_t shape[2] = {rows, cols};
    return random_array(shape, 2, t, dom);
}

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static inline void on(mx_device_type t) { mx_set_default_device((mx_device){t, 0}); }

static int g_skipped; /* cases the CPU rejects (not compared) */

/* Evaluate `cpu`; false (and the case skipped) when the CPU rejects it. */
static inline bool cpu_ok(mx_array cpu) {
    if (mx_array_status(cpu) == MX_OK && mx_eval1(cpu) == MX_OK)
        return true;
    mx_clear_error();
    g_skipped++;
    return false;
}

/* Run EXPR on the CPU, then on the GPU, and compare. */
#define PAIR(what, tol, norm, EXPR)                                                                                    \
    do {                                                                                                               \
        on(MX_CPU);                                                                                                    \
        mx_array c_ = (EXPR);                                                                                          \
        if (cpu_ok(c_)) {                                                                                              \
            on(MX_GPU);                                                                                                \
            mx_array g_ = (EXPR);                                                                                      \
            compare(what, c_, g_, tol, norm);                                                                          \
            mx_free(g_);                                                                                               \
        }                                                                                                              \
        mx_free(c_);                                                                                                   \
        on(MX_CPU);                                                                                                    \
    } while (0)

/* The GPU-less answer of every parity test: print SKIP (the caller returns 0). */
static inline bool parity_skip(const char *test) {
    if (mx_is_available(mx_gpu_device()))
        return false;
    printf("SKIP %s: no CUDA GPU available (the library was built without CUDA, or no device is present); "
           "nothing to compare\n",
           test);
    return true;
}

#endif
