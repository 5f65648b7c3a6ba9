/* tests/c/test_cuda_parity.c - the CUDA backend against the CPU backend.
 *
 * Every case is declared once below (op x dtype x layout) and run twice:
 * with the CPU as the default device and with the GPU; the two results are
 * compared (integers and bools exactly; floats within a tolerance set by the
 * dtype: a few units in the last place, more for the half types). Also: an
 * op without a CUDA kernel (it falls back to the CPU kernel), GPU memory
 * statistics, and eviction under a small GPU memory limit.
 *
 * Without a GPU (or a build without CUDA) it prints SKIP and passes. On the
 * GPU machine: build, then `./build/tests/test_cuda_parity` (or ctest -R
 * cuda). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

/* ---- the table -------------------------------------------------------------------- */

typedef mx_array (*unary_fn)(mx_array);
typedef mx_array (*binary_fn)(mx_array, mx_array);

typedef struct {
    const char *name;
    unary_fn fn;
    domain dom;
    bool ints; /* also defined on integers */
} unary_case;

static const unary_case k_unary[] = {
    {"abs", mx_abs, D_ANY, true},
    {"negative", mx_negative, D_ANY, true},
    {"sign", mx_sign, D_ANY, true},
    {"sqrt", mx_sqrt, D_POS, false},
    {"rsqrt", mx_rsqrt, D_POS, false},
    {"square", mx_square, D_ANY, true},
    {"reciprocal", mx_reciprocal, D_POS, false},
    {"exp", mx_exp, D_ANY, false},
    {"expm1", mx_expm1, D_ANY, false},
    {"log", mx_log, D_POS, false},
    {"log1p", mx_log1p, D_POS, false},
    {"log2", mx_log2, D_POS, false},
    {"log10", mx_log10, D_POS, false},
    {"sin", mx_sin, D_ANY, false},
    {"cos", mx_cos, D_ANY, false},
    {"tan", mx_tan, D_UNIT, false},
    {"arcsin", mx_arcsin, D_UNIT, false},
    {"arccos", mx_arccos, D_UNIT, false},
    {"arctan", mx_arctan, D_ANY, false},
    {"sinh", mx_sinh, D_ANY, false},
    {"cosh", mx_cosh, D_ANY, false},
    {"tanh", mx_tanh, D_ANY, false},
    {"arcsinh", mx_arcsinh, D_ANY, false},
    {"arccosh", mx_arccosh, D_GE1, false},
    {"arctanh", mx_arctanh, D_UNIT, false},
    {"sigmoid", mx_sigmoid, D_ANY, false},
    {"erf", mx_erf, D_ANY, false},
    {"erfinv", mx_erfinv, D_UNIT, false},
    {"floor", mx_floor, D_ANY, true},
    {"ceil", mx_ceil, D_ANY, true},
    {"isnan", mx_isnan, D_ANY, true},
    {"isinf", mx_isinf, D_ANY, true},
    {"isfinite", mx_isfinite, D_ANY, true},
    {"logical_not", mx_logical_not, D_ANY, true},
    {"degrees", mx_degrees, D_ANY, false},
    {"radians", mx_radians, D_ANY, false},
};

typedef struct {
    const char *name;
    binary_fn fn;
    domain dom_b;
    bool floats, ints;
} binary_case;

static const binary_case k_binary[] = {
    {"add", mx_add, D_ANY, true, true},
    {"subtract", mx_subtract, D_ANY, true, true},
    {"multiply", mx_multiply, D_ANY, true, true},
    {"divide", mx_divide, D_POS, true, false},
    {"floor_divide", mx_floor_divide, D_POS, true, true},
    {"remainder", mx_remainder, D_POS, true, true},
    {"power", mx_power, D_SMALLINT, false, true},
    {"maximum", mx_maximum, D_ANY, true, true},
    {"minimum", mx_minimum, D_ANY, true, true},
    {"logaddexp", mx_logaddexp, D_ANY, true, false},
    {"arctan2", mx_arctan2, D_ANY, true, false},
    {"equal", mx_equal, D_ANY, true, true},
    {"not_equal", mx_not_equal, D_ANY, true, true},
    {"greater", mx_greater, D_ANY, true, true},
    {"less_equal", mx_less_equal, D_ANY, true, true},
    {"logical_and", mx_logical_and, D_ANY, true, true},
    {"bitwise_xor", mx_bitwise_xor, D_ANY, false, true},
    {"left_shift", mx_left_shift, D_SMALLINT, false, true},
    {"right_shift", mx_right_shift, D_SMALLINT, false, true},
};

static const mx_dtype k_float_types[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
static const mx_dtype k_int_types[] = {MX_INT32,  MX_UINT8, MX_INT64,  MX_INT8,
                                       MX_UINT32, MX_INT16, MX_UINT16, MX_UINT64};

static void run_unary(const unary_case *u, mx_dtype t, layout l) {
    char what[128];
    snprintf(what, sizeof what, "%s %s %s", u->name, mx_dtype_name(t), layout_name((layout)l));
    mx_array x = operand(129, 67, t, u->dom, l);
    on(MX_CPU);
    mx_array c = u->fn(x);
    on(MX_GPU);
    mx_array g = u->fn(x);
    compare(what, c, g, tolerance(t), false);
    mx_free(x), mx_free(c), mx_free(g);
}

typedef enum { B_SAME, B_BROADCAST, B_SCALAR, B_TRANSPOSED, B_COUNT } bcast;
static const char *k_bcast_names[] = {"same", "broadcast", "scalar", "transposed"};

static void run_binary(const binary_case *b, mx_dtype t, bcast kind) {
    char what[128];
    snprintf(what, sizeof what, "%s %s %s", b->name, mx_dtype_name(t), k_bcast_names[kind]);
    mx_array x, y;
    if (kind == B_BROADCAST) {
        x = operand(129, 1, t, D_ANY, L_CONTIG);
        y = operand(1, 67, t, b->dom_b, L_CONTIG);
    } else if (kind == B_SCALAR) {
        x = operand(129, 67, t, D_ANY, L_CONTIG);
        y = random_array(NULL, 0, t, b->dom_b);
    } else {
        x = operand(129, 67, t, D_ANY, kind == B_TRANSPOSED ? L_TRANSPOSED : L_CONTIG);
        y = operand(129, 67, t, b->dom_b, L_CONTIG);
    }
    on(MX_CPU);
    mx_array c = b->fn(x, y);
    on(MX_GPU);
    mx_array g = b->fn(x, y);
    compare(what, c, g, tolerance(t), false);
    mx_free(x), mx_free(y), mx_free(c), mx_free(g);
}

typedef enum { R_ALL, R_ROW, R_COL, R_MIDDLE, R_TRANSPOSED, R_BIG_ROW, R_BIG_COL, R_COUNT } rshape;
static const char *k_rshape_names[] = {"all", "row", "column", "axes(0,2)", "transposed", "big-row", "big-column"};

typedef mx_array (*axes_fn)(mx_array, const int *, int, bool);
typedef struct {
    const char *name;
    axes_fn fn;
    domain dom;
    bool ints, bools, norm;
} reduce_case;

static mx_array argmax_axes(mx_array a, const int *axes, int n, bool k) {
    return n == 1 ? mx_argmax_axis(a, axes[0], k) : mx_argmax(a, k);
}
static mx_array argmin_axes(mx_array a, const int *axes, int n, bool k) {
    return n == 1 ? mx_argmin_axis(a, axes[0], k) : mx_argmin(a, k);
}

static const reduce_case k_reduce[] = {
    {"sum", mx_sum_axes, D_ANY, true, true, true},      {"prod", mx_prod_axes, D_NEAR1, false, false, true},
    {"max", mx_max_axes, D_ANY, true, false, false},    {"min", mx_min_axes, D_ANY, true, false, false},
    {"all", mx_all_axes, D_ANY, true, true, false},     {"any", mx_any_axes, D_ANY, true, true, false},
    {"mean", mx_mean_axes, D_ANY, true, false, true},   {"logsumexp", mx_logsumexp_axes, D_ANY, false, false, true},
    {"argmax", argmax_axes, D_ANY, true, false, false}, {"argmin", argmin_axes, D_ANY, true, false, false},
};

static void run_reduce(const reduce_case *r, mx_dtype t, rshape s) {
    char what[128];
    snprintf(what, sizeof what, "%s %s %s", r->name, mx_dtype_name(t), k_rshape_names[s]);
    bool arg = r->fn == argmax_axes || r->fn == argmin_axes;
    mx_array x;
    int axes[3], naxes;
    if (s == R_MIDDLE) {
        if (arg)
            return;
        x = random_array((int64_t[]){9, 33, 17}, 3, t, r->dom);
        axes[0] = 0, axes[1] = 2, naxes = 2;
    } else if (s == R_BIG_ROW || s == R_BIG_COL) {
        x = operand(s == R_BIG_ROW ? 3 : 40000, s == R_BIG_ROW ? 70000 : 5, t, r->dom, L_CONTIG);
        axes[0] = s == R_BIG_ROW ? 1 : 0, naxes = 1;
    } else {
        x = operand(129, 67, t, r->dom, s == R_TRANSPOSED ? L_TRANSPOSED : L_CONTIG);
        naxes = s == R_ALL ? (arg ? 0 : 2) : 1;
        axes[0] = s == R_ALL ? 0 : s == R_COL ? 0 : 1, axes[1] = 1;
    }
    on(MX_CPU);
    mx_array c = r->fn(x, axes, naxes, false);
    on(MX_GPU);
    mx_array g = r->fn(x, axes, naxes, false);
    double tol = tolerance(mx_array_dtype(c)) * (r->norm ? 4 : 1);
    compare(what, c, g, tol, r->norm && mx_dtype_is_float(mx_array_dtype(c)));
    mx_free(x), mx_free(c), mx_free(g);
}

static void run_softmax(mx_dtype t, int64_t rows, int64_t len) {
    char what[128];
    snprintf(what, sizeof what, "softmax %s (%lld, %lld)", mx_dtype_name(t), (long long)rows, (long long)len);
    mx_array x = operand(rows, len, t, D_ANY, L_CONTIG);
    on(MX_CPU);
    mx_array c = mx_softmax_axis(x, -1, false);
    on(MX_GPU);
    mx_array g = mx_softmax_axis(x, -1, false);
    compare(what, c, g, tolerance(t) * 2, false);
    mx_free(x), mx_free(c), mx_free(g);
}

static void run_matmul(mx_dtype t, const char *name, mx_array a, mx_array b, double tol) {
    char what[128];
    snprintf(what, sizeof what, "matmul %s %s", mx_dtype_name(t), name);
    on(MX_CPU);
    mx_array c = mx_matmul(a, b);
    on(MX_GPU);
    mx_array g = mx_matmul(a, b);
    compare(what, c, g, tol, true);
    mx_free(a), mx_free(b), mx_free(c), mx_free(g);
}

static void run_matmuls(mx_dtype t) {
    double tol = t == MX_FLOAT32 ? 1e-5 : t == MX_FLOAT64 ? 1e-12 : t == MX_FLOAT16 ? 2e-3 : 1e-2;
    run_matmul(t, "(256,384)@(384,200)", operand(256, 384, t, D_ANY, L_CONTIG), operand(384, 200, t, D_ANY, L_CONTIG),
               tol);
    run_matmul(t, "a^T@b", operand(96, 130, t, D_ANY, L_TRANSPOSED), operand(130, 70, t, D_ANY, L_CONTIG), tol);
    run_matmul(t, "a@b^T", operand(96, 130, t, D_ANY, L_CONTIG), operand(130, 70, t, D_ANY, L_TRANSPOSED), tol);
    run_matmul(t, "a@b sliced", operand(64, 50, t, D_ANY, L_SLICED), operand(50, 30, t, D_ANY, L_CONTIG), tol);
    run_matmul(t, "batched (4,64,96)@(4,96,80)", random_array((int64_t[]){4, 64, 96}, 3, t, D_ANY),
               random_array((int64_t[]){4, 96, 80}, 3, t, D_ANY), tol);
    run_matmul(t, "broadcast (3,1,32,48)@(5,48,16)", random_array((int64_t[]){3, 1, 32, 48}, 4, t, D_ANY),
               random_array((int64_t[]){5, 48, 16}, 3, t, D_ANY), tol);
    run_matmul(t, "vector (77,)@(77,33)", random_array((int64_t[]){77}, 1, t, D_ANY),
               random_array((int64_t[]){77, 33}, 2, t, D_ANY), tol);
}

static void run_casts(void) {
    const mx_dtype all[] = {MX_BOOL,  MX_UINT8, MX_UINT16,  MX_UINT32,  MX_UINT64,  MX_INT8,    MX_INT16,
                            MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16};
    for (int i = 0; i < COUNT(all); i++)
        for (int j = 0; j < COUNT(all); j++)
            for (int l = 0; l < 2; l++) {
                char what[128];
                snprintf(what, sizeof what, "astype %s->%s %s", mx_dtype_name(all[i]), mx_dtype_name(all[j]),
                         layout_name((layout)l));
                mx_array x = operand(65, 33, all[i], D_ANY, l ? L_TRANSPOSED : L_CONTIG);
                on(MX_CPU);
                mx_array c = mx_astype(x, all[j]);
                on(MX_GPU);
                mx_array g = mx_astype(x, all[j]);
                compare(what, c, g, 0, false);
                mx_free(x), mx_free(c), mx_free(g);
            }
}

static void run_where(void) {
    for (int i = 0; i < 3; i++) {
        mx_dtype t = i == 0 ? MX_FLOAT32 : i == 1 ? MX_FLOAT16 : MX_INT64;
        mx_array cond = operand(129, 1, MX_BOOL, D_ANY, L_CONTIG);
        mx_array x = operand(129, 67, t, D_ANY, L_TRANSPOSED), y = operand(1, 67, t, D_ANY, L_CONTIG);
        on(MX_CPU);
        mx_array c = mx_where(cond, x, y);
        on(MX_GPU);
        mx_array g = mx_where(cond, x, y);
        char what[64];
        snprintf(what, sizeof what, "where %s broadcast", mx_dtype_name(t));
        compare(what, c, g, 0, false);
        mx_free(cond), mx_free(x), mx_free(y), mx_free(c), mx_free(g);
    }
}

/* An op with no CUDA kernel (cumsum) on the GPU device, fed by and feeding
 * GPU kernels: the buffers move both ways. */
static void run_fallback(void) {
    mx_array x = operand(100, 50, MX_FLOAT32, D_ANY, L_CONTIG);
    mx_array parts[2][3];
    for (int d = 0; d < 2; d++) {
        on(d ? MX_GPU : MX_CPU);
        parts[d][0] = mx_sin(x);
        parts[d][1] = mx_cumsum_axis(parts[d][0], 1, false, true, MX_DTYPE_COUNT);
        parts[d][2] = mx_exp(parts[d][1]);
    }
    compare("fallback: exp(cumsum(sin x)) on gpu", parts[0][2], parts[1][2], 1e-5, false);
    mx_free(x);
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < 3; k++)
            mx_free(parts[d][k]);
}

/* GPU memory statistics, and eviction: under a limit that holds only a few
 * of the live arrays, earlier device copies (with host copies) are evicted
 * and results stay right. */
static void run_memory(void) {
    g_cases++;
    on(MX_GPU);
    mx_gpu_clear_cache();
    mx_gpu_reset_peak_memory();
    size_t before = mx_gpu_get_active_memory();
    int64_t shape[1] = {1 << 20}; /* 4 MiB of float32 */
    mx_array x = random_array(shape, 1, MX_FLOAT32, D_ANY);
    mx_array y = mx_add(x, x);
    mx_eval1(y);
    size_t during = mx_gpu_get_active_memory(), peak = mx_gpu_get_peak_memory();
    bool ok = during >= before + (8u << 20) && peak >= during;
    mx_free(x);
    mx_free(y);
    ok &= mx_gpu_get_active_memory() < during && mx_gpu_get_cache_memory() > 0;
    /* eviction */
    size_t old = mx_gpu_set_memory_limit(before + (48u << 20));
    mx_array keep[16];
    for (int i = 0; i < 16; i++) {
        mx_array r = random_array(shape, 1, MX_FLOAT32, D_ANY);
        keep[i] = mx_multiply(r, r); /* 4 MiB on the GPU each: 64 MiB in all */
        mx_eval1(keep[i]);
        mx_free(r);
    }
    on(MX_CPU);
    double total_gpu = 0;
    for (int i = 0; i < 16; i++) {
        mx_array s = mx_sum(keep[i], false);
        total_gpu += *(const float *)mx_data(s);
        mx_free(s);
    }
    ok &= mx_gpu_get_active_memory() <= before + (48u << 20) && total_gpu > 0;
    mx_gpu_set_memory_limit(old);
    for (int i = 0; i < 16; i++)
        mx_free(keep[i]);
    if (!ok) {
        printf("FAIL memory statistics / eviction (active before %zu during %zu peak %zu): %s\n", before, during, peak,
               mx_last_error());
        g_failures++;
    }
}

int main(void) {
    if (parity_skip("test_cuda_parity"))
        return 0;
    printf("test_cuda_parity on %s\n", mx_device_name(mx_gpu_device()));
    if (getenv("CMLX_PARITY_DEBUG")) {
        for (int64_t n = 100; n <= 100000; n *= 3) {
            on(MX_CPU);
            mx_array ones = operand(1, n, MX_FLOAT32, D_POS, L_CONTIG);
            on(MX_GPU);
            mx_array a = mx_all(ones, false), s = mx_sum(ones, false), mn = mx_min(ones, false);
            on(MX_CPU);
            printf("debug n=%lld all=%d sum=%g min=%g\n", (long long)n, *(const bool *)mx_data(a),
                   *(const float *)mx_data(s), *(const float *)mx_data(mn));
            mx_free(ones), mx_free(a), mx_free(s), mx_free(mn);
        }
    }
    for (int i = 0; i < COUNT(k_unary); i++) {
        for (int t = 0; t < COUNT(k_float_types); t++)
            for (int l = 0; l < L_COUNT; l++)
                run_unary(&k_unary[i], k_float_types[t], (layout)l);
        if (k_unary[i].ints)
            for (int t = 0; t < COUNT(k_int_types); t++)
                run_unary(&k_unary[i], k_int_types[t], t == 0 ? L_TRANSPOSED : L_CONTIG);
    }
    run_unary(&(unary_case){"bitwise_invert", mx_bitwise_invert, D_ANY, true}, MX_INT32, L_SLICED);
    run_unary(&(unary_case){"logical_not", mx_logical_not, D_ANY, true}, MX_BOOL, L_CONTIG);
    printf("unary: %d cases, %d failures\n", g_cases, g_failures);
    for (int i = 0; i < COUNT(k_binary); i++) {
        for (int k = 0; k < B_COUNT; k++) {
            if (k_binary[i].floats)
                for (int t = 0; t < COUNT(k_float_types); t++)
                    run_binary(&k_binary[i], k_float_types[t], (bcast)k);
            if (k_binary[i].ints)
                for (int t = 0; t < COUNT(k_int_types); t++)
                    if (k == B_SAME || t < 2)
                        run_binary(&k_binary[i], k_int_types[t], (bcast)k);
        }
    }
    printf("+ binary: %d cases, %d failures\n", g_cases, g_failures);
    run_casts();
    run_where();
    printf("+ casts, where: %d cases, %d failures\n", g_cases, g_failures);
    for (int i = 0; i < COUNT(k_reduce); i++)
        for (int s = 0; s < R_COUNT; s++) {
            for (int t = 0; t < 3; t++)
                run_reduce(&k_reduce[i], k_float_types[t], (rshape)s);
            if (k_reduce[i].ints) {
                run_reduce(&k_reduce[i], MX_INT32, (rshape)s);
                run_reduce(&k_reduce[i], MX_UINT8, (rshape)s);
            }
            if (k_reduce[i].bools)
                run_reduce(&k_reduce[i], MX_BOOL, (rshape)s);
        }
    printf("+ reductions: %d cases, %d failures\n", g_cases, g_failures);
    for (int t = 0; t < 3; t++) {
        run_softmax(k_float_types[t], 300, 7);
        run_softmax(k_float_types[t], 64, 1000);
        run_softmax(k_float_types[t], 8, 5000);
    }
    for (int t = 0; t < 4; t++)
        run_matmuls(k_float_types[t]);
    mx_gpu_set_tf32(true);
    run_matmul(MX_FLOAT32, "tf32 (256,384)@(384,200)", operand(256, 384, MX_FLOAT32, D_ANY, L_CONTIG),
               operand(384, 200, MX_FLOAT32, D_ANY, L_CONTIG), 2e-3);
    mx_gpu_set_tf32(false);
    printf("+ softmax, matmul: %d cases, %d failures\n", g_cases, g_failures);
    run_fallback();
    run_memory();
    on(MX_CPU);
    printf("test_cuda_parity: %d cases, %d failures\n", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
