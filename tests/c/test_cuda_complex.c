/* tests/c/test_cuda_complex.c - complex64 and fft on the CUDA backend against
 * the CPU backend (tests/c/cuda_parity.h).
 *
 * complex64: unary (complex -> complex, abs, predicates), binary (arithmetic
 * and comparisons), casts both ways, where, sum/prod/mean, matmul,
 * conjugate/real/imag, each over contiguous, transposed and sliced operands
 * (binary also broadcast rows and scalars). fft: fft, ifft, rfft, irfft over
 * lengths with every kind of factor (powers of 2, 3/5/7 products, primes
 * small and large) along the last, first and a middle axis, with n padding
 * and truncation, the 2-D and n-D forms (trailing axes and not), views as
 * inputs, and the vjp of each on the GPU against the CPU.
 *
 * Complex results are compared per element by the modulus of the difference
 * against the modulus of the CPU value (|g - c| <= tol |c| + tol 1e-3), and
 * NaNs must be at the same places; sums, products and transforms by the
 * relative norm of the difference. Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

static char g_name[256];
#define NAME(...) (snprintf(g_name, sizeof g_name, __VA_ARGS__), g_name)

/* ---- operands and comparison ------------------------------------------------------ */

/* A random complex64 array: parts drawn from the domain (D_ANY: [-3, 3];
 * D_UNIT: [-0.9, 0.9]; D_POS: real part in [0.05, 4.05], imaginary in
 * [-2, 2]; D_NEAR1: 1 + a few percent in both parts, for products). */
static mx_array random_c64(const int64_t *shape, int ndim, domain dom) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    float *v = malloc((size_t)(n ? n : 1) * 2 * sizeof *v);
    for (int64_t i = 0; i < 2 * n; i++) {
        double u = uniform01();
        bool re = i % 2 == 0;
        switch (dom) {
        case D_UNIT: v[i] = (float)(-0.9 + 1.8 * u); break;
        case D_POS: v[i] = (float)(re ? 0.05 + 4.0 * u : -2.0 + 4.0 * u); break;
        case D_NEAR1: v[i] = (float)(re ? 0.97 + 0.06 * u : -0.03 + 0.06 * u); break;
        default: v[i] = (float)(-3.0 + 6.0 * u); break;
        }
    }
    mx_array out = mx_array_from_data(v, shape, ndim, MX_COMPLEX64);
    free(v);
    return out;
}

/* A (rows, cols) operand of dtype t (complex64 or real) in a layout (views for the others). */
static mx_array operand_of(int64_t rows, int64_t cols, mx_dtype t, domain dom, layout l) {
    if (t != MX_COMPLEX64)
        return operand(rows, cols, t, dom, l);
    if (l == L_TRANSPOSED) {
        mx_array base = random_c64((int64_t[]){cols, rows}, 2, dom);
        mx_array v = mx_transpose(base, (int[]){1, 0}, 2);
        mx_free(base);
        return v;
    }
    if (l == L_SLICED) {
        mx_array base = random_c64((int64_t[]){rows, cols * 2}, 2, dom);
        mx_array v = mx_slice(base, (int64_t[]){0, 1}, (int64_t[]){rows, cols * 2}, (int64_t[]){1, 2}, 2);
        mx_free(base);
        return v;
    }
    return random_c64((int64_t[]){rows, cols}, 2, dom);
}

/* The parts of a complex array as float64 arrays (evaluated on the CPU). */
static void parts(mx_array x, mx_array *re, mx_array *im) {
    mx_array r = mx_real(x), i = mx_imag(x);
    *re = mx_astype(r, MX_FLOAT64);
    *im = mx_astype(i, MX_FLOAT64);
    mx_eval1(*re);
    mx_eval1(*im);
    mx_free(r);
    mx_free(i);
}

/* compare() for complex64 results (any other dtype: compare()). */
static void compare_c(const char *what, mx_array cpu, mx_array gpu, double rtol, bool norm) {
    if (mx_array_status(cpu) != MX_OK || mx_array_status(gpu) != MX_OK || mx_eval1(gpu) != MX_OK ||
        mx_array_dtype(cpu) != MX_COMPLEX64 || mx_array_dtype(gpu) != MX_COMPLEX64) {
        compare(what, cpu, gpu, rtol, norm);
        return;
    }
    g_cases++;
    on(MX_CPU);
    if (mx_ndim(cpu) != mx_ndim(gpu) || mx_size(cpu) != mx_size(gpu)) {
        printf("FAIL %-56s shapes differ\n", what);
        g_failures++;
        return;
    }
    mx_array cr, ci, gr, gi;
    parts(cpu, &cr, &ci);
    parts(gpu, &gr, &gi);
    const double *a = mx_data(cr), *b = mx_data(ci), *c = mx_data(gr), *d = mx_data(gi);
    int64_t n = mx_size(cpu), bad = -1;
    double diff2 = 0, ref2 = 0, worst = 0;
    for (int64_t k = 0; k < n; k++) {
        bool nan_c = isnan(a[k]) || isnan(b[k]), nan_g = isnan(c[k]) || isnan(d[k]);
        if (nan_c || nan_g) {
            if ((isnan(a[k]) != isnan(c[k]) || isnan(b[k]) != isnan(d[k])) && bad < 0)
                bad = k;
            continue;
        }
        if (a[k] == c[k] && b[k] == d[k])
            continue;
        double diff = hypot(a[k] - c[k], b[k] - d[k]), ref = hypot(a[k], b[k]);
        if (norm && !isinf(diff)) {
            diff2 += diff * diff;
            ref2 += ref * ref;
            continue;
        }
        if (!(diff <= rtol * ref + rtol * 1e-3) && bad < 0)
            bad = k;
        if (diff > worst || isnan(diff))
            worst = diff;
    }
    if (norm && bad < 0) {
        for (int64_t k = 0; k < n; k++)
            if (!isnan(a[k]) && !isnan(b[k]) && a[k] == c[k] && b[k] == d[k])
                ref2 += a[k] * a[k] + b[k] * b[k];
        if (sqrt(diff2) > rtol * (sqrt(ref2) + 1e-30)) {
            bad = 0;
            worst = sqrt(diff2 / (ref2 + 1e-300));
        }
    }
    if (bad >= 0) {
        printf("FAIL %-56s at %lld: cpu (%.9g, %.9g) gpu (%.9g, %.9g) (worst %.3g)\n", what, (long long)bad, a[bad],
               b[bad], c[bad], d[bad], worst);
        g_failures++;
    }
    mx_free_n((mx_array[]){cr, ci, gr, gi}, 4);
}

/* Run f(x) with the CPU and with the GPU as default device and compare. */
#define COMPLEX_PAIR(what, rtol, norm, EXPR)                                                                           \
    do {                                                                                                               \
        on(MX_CPU);                                                                                                    \
        mx_array cpu_ = (EXPR);                                                                                        \
        mx_eval1(cpu_);                                                                                                \
        on(MX_GPU);                                                                                                    \
        mx_array gpu_ = (EXPR);                                                                                        \
        mx_eval1(gpu_);                                                                                                \
        on(MX_CPU);                                                                                                    \
        compare_c(what, cpu_, gpu_, rtol, norm);                                                                       \
        mx_free(cpu_);                                                                                                 \
        mx_free(gpu_);                                                                                                 \
    } while (0)

static const double k_tol = 2e-5; /* float32's parity tolerance: a few ulps of the modulus */

/* ---- element-wise ------------------------------------------------------------------ */

typedef mx_array (*unary_fn)(mx_array);
typedef mx_array (*binary_fn)(mx_array, mx_array);

static mx_array round_of(mx_array x) { return mx_round(x, 0); }
static mx_array round2_of(mx_array x) { return mx_round(x, 2); }

static void test_unary(void) {
    static const struct {
        const char *name;
        unary_fn fn;
        domain dom;
    } cases[] = {
        {"abs", mx_abs, D_ANY},
        {"negative", mx_negative, D_ANY},
        {"sign", mx_sign, D_ANY},
        {"sqrt", mx_sqrt, D_ANY},
        {"rsqrt", mx_rsqrt, D_ANY},
        {"square", mx_square, D_ANY},
        {"reciprocal", mx_reciprocal, D_ANY},
        {"exp", mx_exp, D_ANY},
        {"log", mx_log, D_ANY},
        {"log1p", mx_log1p, D_ANY},
        {"log1p small", mx_log1p, D_UNIT},
        {"log2", mx_log2, D_ANY},
        {"log10", mx_log10, D_ANY},
        {"sin", mx_sin, D_ANY},
        {"cos", mx_cos, D_ANY},
        {"tan", mx_tan, D_UNIT},
        {"arcsin", mx_arcsin, D_ANY},
        {"arccos", mx_arccos, D_ANY},
        {"arctan", mx_arctan, D_ANY},
        {"sinh", mx_sinh, D_ANY},
        {"cosh", mx_cosh, D_ANY},
        {"tanh", mx_tanh, D_ANY},
        {"arcsinh", mx_arcsinh, D_ANY},
        {"arccosh", mx_arccosh, D_ANY},
        {"arctanh", mx_arctanh, D_UNIT},
        {"round", round_of, D_ANY},
        {"round 2 (CPU kernel)", round2_of, D_ANY},
        {"degrees", mx_degrees, D_ANY},
        {"radians", mx_radians, D_ANY},
        {"conjugate", mx_conjugate, D_ANY},
        {"isnan", mx_isnan, D_ANY},
        {"isinf", mx_isinf, D_ANY},
        {"isfinite", mx_isfinite, D_ANY},
        {"logical_not", mx_logical_not, D_ANY},
        {"real", mx_real, D_ANY},
        {"imag", mx_imag, D_ANY},
    };
    for (int c = 0; c < COUNT(cases); c++)
        for (int l = 0; l < L_COUNT; l++) {
            mx_array x = operand_of(37, 53, MX_COMPLEX64, cases[c].dom, (layout)l);
            COMPLEX_PAIR(NAME("%s complex64 %s", cases[c].name, layout_name((layout)l)), k_tol, false, cases[c].fn(x));
            mx_free(x);
        }
    /* special values: zeros, infinities and NaNs through the C99 rules */
    float special[] = {0.0f,      0.0f,      -0.0f, 0.0f,  INFINITY, 1.0f,  1.0f,  INFINITY, -INFINITY,
                       2.0f,      NAN,       1.0f,  1.0f,  NAN,      1e30f, 1e30f, 1e-30f,   1e-30f,
                       -INFINITY, -INFINITY, 3.0f,  -0.0f, -2.0f,    0.0f,  0.5f,  -0.25f};
    mx_array s = mx_array_from_data(special, (int64_t[]){13}, 1, MX_COMPLEX64);
    static const unary_fn simple[] = {mx_abs,   mx_negative, mx_sign,     mx_square,      mx_reciprocal,
                                      mx_isnan, mx_isinf,    mx_isfinite, mx_logical_not, mx_conjugate};
    static const char *simple_names[] = {"abs",   "negative", "sign",     "square",      "reciprocal",
                                         "isnan", "isinf",    "isfinite", "logical_not", "conjugate"};
    for (int k = 0; k < COUNT(simple); k++)
        COMPLEX_PAIR(NAME("%s complex64 special values", simple_names[k]), k_tol, false, simple[k](s));
    mx_free(s);
}

static mx_array pow_of(mx_array a, mx_array b) { return mx_power(a, b); }

static void test_binary(void) {
    static const struct {
        const char *name;
        binary_fn fn;
        domain da, db;
    } cases[] = {
        {"add", mx_add, D_ANY, D_ANY},
        {"subtract", mx_subtract, D_ANY, D_ANY},
        {"multiply", mx_multiply, D_ANY, D_ANY},
        {"divide", mx_divide, D_ANY, D_ANY},
        {"floor_divide", mx_floor_divide, D_ANY, D_ANY},
        {"power", pow_of, D_POS, D_UNIT},
        {"maximum", mx_maximum, D_ANY, D_ANY},
        {"minimum", mx_minimum, D_ANY, D_ANY},
        {"logaddexp", mx_logaddexp, D_ANY, D_ANY},
        {"equal", mx_equal, D_ANY, D_ANY},
        {"not_equal", mx_not_equal, D_ANY, D_ANY},
        {"greater", mx_greater, D_ANY, D_ANY},
        {"greater_equal", mx_greater_equal, D_ANY, D_ANY},
        {"less", mx_less, D_ANY, D_ANY},
        {"less_equal", mx_less_equal, D_ANY, D_ANY},
    };
    static const char *shapes[] = {"contig", "transposed a", "sliced b", "row b", "scalar a", "equal parts"};
    for (int c = 0; c < COUNT(cases); c++)
        for (int k = 0; k < COUNT(shapes); k++) {
            mx_array a, b;
            if (k == 3) {
                a = operand_of(29, 41, MX_COMPLEX64, cases[c].da, L_CONTIG);
                b = random_c64((int64_t[]){1, 41}, 2, cases[c].db);
            } else if (k == 4) {
                a = random_c64((int64_t[]){1}, 0, cases[c].da);
                b = operand_of(29, 41, MX_COMPLEX64, cases[c].db, L_CONTIG);
            } else if (k == 5) {
                /* ties in the real part (comparisons, maximum) and exact equality */
                mx_array x = operand_of(29, 41, MX_COMPLEX64, cases[c].da, L_CONTIG);
                mx_array y = operand_of(29, 41, MX_COMPLEX64, cases[c].db, L_CONTIG);
                mx_array re = mx_real(x), im = mx_imag(y),
                         j = mx_array_from_data((float[]){0, 1}, (int64_t[]){1}, 0, MX_COMPLEX64);
                mx_array rc = mx_astype(re, MX_COMPLEX64), ic = mx_astype(im, MX_COMPLEX64);
                mx_array t = mx_multiply(ic, j);
                a = x;
                b = mx_add(rc, t);
                mx_eval1(b);
                mx_free_n((mx_array[]){y, re, im, j, rc, ic, t}, 7);
            } else {
                a = operand_of(29, 41, MX_COMPLEX64, cases[c].da, k == 1 ? L_TRANSPOSED : L_CONTIG);
                b = operand_of(29, 41, MX_COMPLEX64, cases[c].db, k == 2 ? L_SLICED : L_CONTIG);
            }
            COMPLEX_PAIR(NAME("%s complex64 %s", cases[c].name, shapes[k]), k_tol, false, cases[c].fn(a, b));
            mx_free(a);
            mx_free(b);
        }
}

static void test_casts_where(void) {
    static const mx_dtype types[] = {MX_BOOL,  MX_UINT8,   MX_UINT32,  MX_INT8,    MX_INT32,
                                     MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16};
    for (int t = 0; t < COUNT(types); t++)
        for (int l = 0; l < L_COUNT; l++) {
            mx_array x = operand_of(23, 31, MX_COMPLEX64, D_ANY, (layout)l);
            COMPLEX_PAIR(NAME("astype complex64 -> %s %s", mx_dtype_name(types[t]), layout_name((layout)l)),
                         tolerance(types[t]), false, mx_astype(x, types[t]));
            mx_free(x);
            mx_array y = operand_of(23, 31, types[t], D_ANY, (layout)l);
            COMPLEX_PAIR(NAME("astype %s -> complex64 %s", mx_dtype_name(types[t]), layout_name((layout)l)), k_tol,
                         false, mx_astype(y, MX_COMPLEX64));
            mx_free(y);
        }
    for (int l = 0; l < L_COUNT; l++) {
        mx_array x = operand_of(23, 31, MX_COMPLEX64, D_ANY, (layout)l);
        COMPLEX_PAIR(NAME("copy complex64 %s", layout_name((layout)l)), 0, false, mx_copy(x));
        mx_array cond = operand(23, 31, MX_BOOL, D_ANY, (layout)l);
        mx_array y = random_c64((int64_t[]){1, 31}, 2, D_ANY);
        COMPLEX_PAIR(NAME("where complex64 %s", layout_name((layout)l)), 0, false, mx_where(cond, x, y));
        mx_free_n((mx_array[]){x, cond, y}, 3);
    }
}

/* ---- reductions, matmul ------------------------------------------------------------- */

static void test_reductions(void) {
    static const struct { int64_t rows, cols; } shapes[] = {{64, 300}, {4, 70000}, {70000, 3}, {1, 1}, {513, 17}};
    for (int s = 0; s < COUNT(shapes); s++)
        for (int l = 0; l < L_COUNT; l++) {
            int64_t r = shapes[s].rows, c = shapes[s].cols;
            if (l != L_CONTIG && r * c > 100000)
                continue;
            mx_array x = operand_of(r, c, MX_COMPLEX64, D_ANY, (layout)l);
            mx_array p = operand_of(r, c, MX_COMPLEX64, D_NEAR1, (layout)l);
            const char *ln = layout_name((layout)l);
            double tol = 4 * k_tol;
            COMPLEX_PAIR(NAME("sum all (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true, mx_sum(x, false));
            COMPLEX_PAIR(NAME("sum axis 0 (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                         mx_sum_axis(x, 0, false));
            COMPLEX_PAIR(NAME("sum axis 1 (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                         mx_sum_axis(x, 1, true));
            COMPLEX_PAIR(NAME("mean all (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true, mx_mean(x, false));
            COMPLEX_PAIR(NAME("mean axis 0 (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                         mx_mean_axis(x, 0, false));
            COMPLEX_PAIR(NAME("mean axis 1 (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                         mx_mean_axis(x, 1, false));
            if (r * c <= 40000) {
                COMPLEX_PAIR(NAME("prod all (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                             mx_prod(p, false));
                COMPLEX_PAIR(NAME("prod axis 0 (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                             mx_prod_axis(p, 0, false));
            }
            COMPLEX_PAIR(NAME("prod axis 1 (%lld,%lld) %s", (long long)r, (long long)c, ln), tol, true,
                         mx_prod_axis(p, 1, false));
            mx_free(x);
            mx_free(p);
        }
}

static void test_matmul(void) {
    static const struct { int64_t m, k, n; } sizes[] = {{33, 47, 29}, {1, 64, 40}, {128, 256, 64}, {7, 1, 5}};
    for (int s = 0; s < COUNT(sizes); s++)
        for (int la = 0; la < L_COUNT; la++)
            for (int lb = 0; lb < 2; lb++) {
                mx_array a = operand_of(sizes[s].m, sizes[s].k, MX_COMPLEX64, D_ANY, (layout)la);
                mx_array b = operand_of(sizes[s].k, sizes[s].n, MX_COMPLEX64, D_ANY, (layout)lb);
                COMPLEX_PAIR(NAME("matmul (%lld,%lld,%lld) a %s b %s", (long long)sizes[s].m, (long long)sizes[s].k,
                                  (long long)sizes[s].n, layout_name((layout)la), layout_name((layout)lb)),
                             4 * k_tol, true, mx_matmul(a, b));
                mx_free(a);
                mx_free(b);
            }
    /* batched, with a broadcast right operand */
    mx_array a = random_c64((int64_t[]){3, 16, 20}, 3, D_ANY);
    mx_array b = random_c64((int64_t[]){20, 8}, 2, D_ANY);
    COMPLEX_PAIR("matmul batched (3,16,20) @ (20,8)", 4 * k_tol, true, mx_matmul(a, b));
    mx_array bt = mx_transpose(a, (int[]){0, 2, 1}, 3);
    mx_array c = random_c64((int64_t[]){3, 16, 5}, 3, D_ANY);
    COMPLEX_PAIR("matmul batched transposed (3,20,16) @ (3,16,5)", 4 * k_tol, true, mx_matmul(bt, c));
    mx_free_n((mx_array[]){a, b, bt, c}, 4);
}

/* ---- fft ------------------------------------------------------------------------------ */

static const char *k_kinds[] = {"fft", "ifft", "rfft", "irfft"};

/* kind over axis of x with length n (MX_FFT_DEFAULT: the input's). */
static mx_array fft_1d(int kind, mx_array x, int n, int axis) {
    switch (kind) {
    case 0: return mx_fft_fft(x, n, axis, NULL);
    case 1: return mx_fft_ifft(x, n, axis, NULL);
    case 2: return mx_fft_rfft(x, n, axis, NULL);
    default: return mx_fft_irfft(x, n, axis, NULL);
    }
}

static void test_fft_1d(void) {
    static const int lengths[] = {1, 2, 7, 16, 60, 97, 100, 127, 210, 1000, 1024, 4099, 6561};
    static const struct {
        int64_t shape[3];
        int ndim, axis; /* the transform axis holds the length (-1: placeholder) */
    } frames[] = {{{4, -1}, 2, 1}, {{-1, 5}, 2, 0}, {{3, -1, 2}, 3, 1}};
    double tol = 2 * k_tol;
    for (int li = 0; li < COUNT(lengths); li++)
        for (int f = 0; f < COUNT(frames); f++)
            for (int kind = 0; kind < 4; kind++) {
                int64_t shape[3];
                memcpy(shape, frames[f].shape, sizeof shape);
                int axis = frames[f].axis, len = lengths[li];
                if (kind == 3 && len == 1)
                    continue; /* irfft's default n = 2 (len - 1) = 0: an error on both devices */
                shape[axis] = len;
                bool real_in = kind == 2;
                mx_array x = real_in ? random_array(shape, frames[f].ndim, MX_FLOAT32, D_ANY)
                                     : random_c64(shape, frames[f].ndim, D_ANY);
                COMPLEX_PAIR(NAME("%s n=%d axis %d of %dd", k_kinds[kind], len, axis, frames[f].ndim), tol, true,
                             fft_1d(kind, x, MX_FFT_DEFAULT, axis));
                if (f == 0 && len > 2) {
                    /* n padding and truncation */
                    COMPLEX_PAIR(NAME("%s n=%d -> %d (padded)", k_kinds[kind], len, len + 3), tol, true,
                                 fft_1d(kind, x, len + 3, axis));
                    COMPLEX_PAIR(NAME("%s n=%d -> %d (truncated)", k_kinds[kind], len, len / 2 + 1), tol, true,
                                 fft_1d(kind, x, len / 2 + 1, axis));
                }
                mx_free(x);
            }
    /* views as inputs: transposed complex and real, a sliced complex */
    for (int kind = 0; kind < 4; kind++) {
        mx_array x = operand_of(24, 30, kind == 2 ? MX_FLOAT32 : MX_COMPLEX64, D_ANY, L_TRANSPOSED);
        COMPLEX_PAIR(NAME("%s of a transposed view", k_kinds[kind]), tol, true, fft_1d(kind, x, MX_FFT_DEFAULT, 1));
        COMPLEX_PAIR(NAME("%s of a transposed view axis 0", k_kinds[kind]), tol, true,
                     fft_1d(kind, x, MX_FFT_DEFAULT, 0));
        mx_free(x);
        mx_array y = operand_of(24, 30, kind == 2 ? MX_FLOAT32 : MX_COMPLEX64, D_ANY, L_SLICED);
        COMPLEX_PAIR(NAME("%s of a sliced view", k_kinds[kind]), tol, true, fft_1d(kind, y, MX_FFT_DEFAULT, -1));
        mx_free(y);
    }
    /* a float64 input is cast by the op */
    mx_array d = random_array((int64_t[]){6, 50}, 2, MX_FLOAT64, D_ANY);
    COMPLEX_PAIR("fft of float64", tol, true, mx_fft_fft(d, MX_FFT_DEFAULT, -1, NULL));
    COMPLEX_PAIR("rfft of float64", tol, true, mx_fft_rfft(d, MX_FFT_DEFAULT, -1, NULL));
    COMPLEX_PAIR("fft norm=ortho", tol, true, mx_fft_fft(d, MX_FFT_DEFAULT, -1, "ortho"));
    COMPLEX_PAIR("irfft norm=forward", tol, true, mx_fft_irfft(d, MX_FFT_DEFAULT, -1, "forward"));
    mx_free(d);
}

static void test_fft_nd(void) {
    double tol = 2 * k_tol;
    mx_array c3 = random_c64((int64_t[]){3, 12, 20}, 3, D_ANY);
    mx_array r3 = random_array((int64_t[]){3, 12, 20}, 3, MX_FLOAT32, D_ANY);
    mx_array c4 = random_c64((int64_t[]){6, 5, 8, 3}, 4, D_ANY);
    mx_array r4 = random_array((int64_t[]){6, 5, 8, 3}, 4, MX_FLOAT32, D_ANY);
    COMPLEX_PAIR("fft2 (3,12,20)", tol, true, mx_fft_fft2(c3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("ifft2 (3,12,20)", tol, true, mx_fft_ifft2(c3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("rfft2 (3,12,20)", tol, true, mx_fft_rfft2(r3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("irfft2 (3,12,20)", tol, true, mx_fft_irfft2(c3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("fftn (3,12,20) all axes", tol, true, mx_fft_fftn(c3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("ifftn (3,12,20) all axes", tol, true, mx_fft_ifftn(c3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("rfftn (3,12,20) all axes", tol, true, mx_fft_rfftn(r3, NULL, 0, NULL, 0, NULL));
    COMPLEX_PAIR("irfftn (3,12,20) all axes", tol, true, mx_fft_irfftn(c3, NULL, 0, NULL, 0, NULL));
    /* axes that are not the trailing dims, in an unusual order */
    int ax02[] = {0, 2}, ax20[] = {2, 0}, ax31[] = {3, 1}, ax102[] = {1, 0, 2}, ax0123[] = {0, 1, 2, 3};
    COMPLEX_PAIR("fftn axes (0,2)", tol, true, mx_fft_fftn(c4, NULL, 0, ax02, 2, NULL));
    COMPLEX_PAIR("ifftn axes (2,0)", tol, true, mx_fft_ifftn(c4, NULL, 0, ax20, 2, NULL));
    COMPLEX_PAIR("rfftn axes (0,2)", tol, true, mx_fft_rfftn(r4, NULL, 0, ax02, 2, NULL));
    COMPLEX_PAIR("rfftn axes (3,1)", tol, true, mx_fft_rfftn(r4, NULL, 0, ax31, 2, NULL));
    COMPLEX_PAIR("irfftn axes (2,0)", tol, true, mx_fft_irfftn(c4, NULL, 0, ax20, 2, NULL));
    COMPLEX_PAIR("fftn axes (1,0,2)", tol, true, mx_fft_fftn(c4, NULL, 0, ax102, 3, NULL));
    COMPLEX_PAIR("rfftn 4 axes", tol, true, mx_fft_rfftn(r4, NULL, 0, ax0123, 4, NULL));
    COMPLEX_PAIR("irfftn 4 axes", tol, true, mx_fft_irfftn(c4, NULL, 0, ax0123, 4, NULL));
    /* s: padding and truncation on several axes */
    int s2[] = {16, 9}, s3[] = {5, 7, 11};
    int axes_last2[] = {-2, -1}, axes3[] = {0, 1, 2};
    COMPLEX_PAIR("fft2 s=(16,9)", tol, true, mx_fft_fft2(c3, s2, 2, axes_last2, 2, NULL));
    COMPLEX_PAIR("rfft2 s=(16,9)", tol, true, mx_fft_rfft2(r3, s2, 2, axes_last2, 2, NULL));
    COMPLEX_PAIR("irfft2 s=(16,9)", tol, true, mx_fft_irfft2(c3, s2, 2, axes_last2, 2, NULL));
    COMPLEX_PAIR("irfftn s=(5,7,11)", tol, true, mx_fft_irfftn(c3, s3, 3, axes3, 3, NULL));
    mx_free_n((mx_array[]){c3, r3, c4, r4}, 4);
    /* the benchmark shapes, smaller */
    mx_array big = random_c64((int64_t[]){32, 4096}, 2, D_ANY);
    COMPLEX_PAIR("fft (32,4096)", tol, true, mx_fft_fft(big, MX_FFT_DEFAULT, -1, NULL));
    mx_free(big);
    mx_array img = random_array((int64_t[]){256, 256}, 2, MX_FLOAT32, D_ANY);
    COMPLEX_PAIR("rfft2 (256,256)", tol, true, mx_fft_rfft2(img, NULL, 0, NULL, 0, NULL));
    mx_free(img);
}

/* ---- gradients ------------------------------------------------------------------------ */

typedef struct {
    int which;
} grad_payload;

static mx_status fft_fn(void *payload, const mx_array *in, int n, mx_array_list *outputs) {
    (void)n;
    const grad_payload *p = payload;
    mx_array y;
    switch (p->which) {
    case 0: y = mx_fft_fft(in[0], MX_FFT_DEFAULT, -1, NULL); break;
    case 1: y = mx_fft_ifft(in[0], MX_FFT_DEFAULT, 0, NULL); break;
    case 2: y = mx_fft_rfft(in[0], MX_FFT_DEFAULT, -1, NULL); break;
    case 3: y = mx_fft_irfft(in[0], MX_FFT_DEFAULT, -1, NULL); break;
    case 4: y = mx_fft_fft2(in[0], NULL, 0, NULL, 0, NULL); break;
    case 5: y = mx_fft_rfft2(in[0], NULL, 0, NULL, 0, NULL); break;
    case 6: y = mx_fft_irfft2(in[0], NULL, 0, NULL, 0, NULL); break;
    default: {
        /* complex element-wise ops around a transform (matmul has no complex64 gradient in cmlx) */
        mx_array f = mx_fft_fft(in[0], MX_FFT_DEFAULT, -1, NULL);
        mx_array e = mx_exp(f), d = mx_divide(e, in[0]);
        y = mx_multiply(d, f);
        mx_free_n((mx_array[]){f, e, d}, 3);
    }
    }
    return mx_array_list_push(outputs, y);
}

static void test_gradients(void) {
    static const char *names[] = {"fft", "ifft axis 0", "rfft", "irfft", "fft2", "rfft2", "irfft2", "exp/divide"};
    for (int which = 0; which < COUNT(names); which++) {
        bool real_in = which == 2 || which == 5;
        int64_t shape[2] = {which == 7 ? 12 : 10, 12};
        mx_array x = real_in ? random_array(shape, 2, MX_FLOAT32, D_UNIT) : random_c64(shape, 2, D_UNIT);
        grad_payload p = {which};
        mx_array results[2];
        bool ok = true;
        mx_array cot = MX_NULL_ARRAY;
        bool have_cot = false;
        for (int dev = 0; dev < 2 && ok; dev++) {
            on(dev ? MX_GPU : MX_CPU);
            mx_closure f = mx_closure_new(fft_fn, &p, NULL);
            mx_array_list outs = {0}, vjps = {0};
            if (!have_cot) {
                /* a cotangent of the output's shape and dtype, made once */
                on(MX_CPU);
                ok = mx_closure_apply(f, &x, 1, &outs) == MX_OK;
                if (ok) {
                    mx_array y = outs.items[0];
                    cot = mx_array_dtype(y) == MX_COMPLEX64 ? random_c64(mx_shape(y), mx_ndim(y), D_UNIT)
                                                            : random_array(mx_shape(y), mx_ndim(y), MX_FLOAT32, D_UNIT);
                    have_cot = true;
                }
                mx_array_list_clear(&outs);
                on(dev ? MX_GPU : MX_CPU);
            }
            ok = ok && mx_vjp(f, &x, 1, &cot, 1, &outs, &vjps) == MX_OK;
            if (ok) {
                results[dev] = mx_retain(vjps.items[0]);
                mx_eval1(results[dev]);
            }
            mx_array_list_clear(&outs);
            mx_array_list_clear(&vjps);
            mx_closure_free(f);
        }
        on(MX_CPU);
        if (!ok) {
            g_cases++;
            g_failures++;
            printf("FAIL vjp %s: %s\n", names[which], mx_last_error());
        } else {
            compare_c(NAME("vjp %s", names[which]), results[0], results[1], 4 * k_tol, true);
            mx_free_n(results, 2);
        }
        if (have_cot)
            mx_free(cot);
        mx_free(x);
    }
}

int main(void) {
    if (parity_skip("test_cuda_complex"))
        return 0;
    test_unary();
    test_binary();
    test_casts_where();
    test_reductions();
    test_matmul();
    test_fft_1d();
    test_fft_nd();
    test_gradients();
    printf("test_cuda_complex: %d cases, %d failures\n", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
