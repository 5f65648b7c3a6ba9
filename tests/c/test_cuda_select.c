/* tests/c/test_cuda_select.c - the CUDA kernels of src/backend/cuda/select.cu
 * against the CPU kernels: partition, argpartition and topk (property
 * checks: the CPU's order is libstdc++'s introselect, the GPU's another
 * valid partition), searchsorted, masked_scatter (and masked_select through
 * its gradient), pad, float arange, hadamard_transform, gather_mm,
 * as_strided and view, every
 * dtype the CPU takes but complex64, operands contiguous / transposed /
 * sliced, both axes; and the gradients (mx_vjp) of topk, pad,
 * masked_scatter, hadamard_transform and gather_mm computed with the GPU as
 * the default device against the CPU's.
 *
 * Each case is built twice (CPU, then GPU as the default device) from the
 * same operands; a case whose CPU result is an error (a dtype the op
 * rejects) is not counted. Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

static const mx_dtype k_dtypes[] = {MX_BOOL,  MX_UINT8, MX_UINT16,  MX_UINT32,  MX_UINT64,  MX_INT8,    MX_INT16,
                                    MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16};
static const mx_dtype k_floats[] = {MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16};

static char g_name[200];
#define NAME(...) (snprintf(g_name, sizeof g_name, __VA_ARGS__), g_name)

static void fail(const char *what, const char *why) {
    g_failures++;
    printf("FAIL %-56s %s\n", what, why);
}

/* a's elements as float64, row-major (caller frees); NULL on error. */
static double *as_f64(mx_array a) {
    on(MX_CPU);
    mx_array d = mx_astype(a, MX_FLOAT64);
    if (mx_eval1(d) != MX_OK) {
        mx_free(d);
        return NULL;
    }
    int64_t n = mx_size(a);
    double *v = malloc(sizeof(double) * (size_t)(n ? n : 1));
    memcpy(v, mx_data(d), sizeof(double) * (size_t)n);
    mx_free(d);
    return v;
}

/* MLX's order on values read as float64: NaN largest (NaNs equal), -0 == 0. */
static int cmp_key(double a, double b) {
    bool na = isnan(a), nb = isnan(b);
    if (na || nb)
        return na && nb ? 0 : na ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
}
static int cmp_double(const void *x, const void *y) { return cmp_key(*(const double *)x, *(const double *)y); }

/* Element (row r, position j) of a row-major (outer, n, inner) array. */
static int64_t at(int64_t r, int64_t j, int64_t n, int64_t inner) {
    int64_t o = r / inner, i = r % inner;
    return (o * n + j) * inner + i;
}

/* The GPU's (arg)partition of `a` along `axis` at kth against the CPU's: per
 * row, the same element at kth (argpartition: the same index unless it is a
 * NaN), nothing greater before it and nothing smaller after it (by (value,
 * index) for argpartition), and the same multiset (values) or a permutation
 * of the indices. */
static void check_partition(const char *what, mx_array a, mx_array cpu, mx_array gpu, int axis, int kth, bool arg) {
    g_cases++;
    on(MX_CPU);
    if (mx_array_status(gpu) != MX_OK || mx_eval1(gpu) != MX_OK) {
        fail(what, mx_last_error());
        mx_clear_error();
        return;
    }
    int nd = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    int64_t n = shape[axis], inner = 1;
    for (int d = axis + 1; d < nd; d++)
        inner *= shape[d];
    int64_t rows = mx_size(a) / n;
    double *x = as_f64(a), *c = as_f64(cpu), *g = as_f64(gpu);
    double *row = malloc(sizeof(double) * (size_t)n * 2);
    char why[200] = "";
    for (int64_t r = 0; r < rows && !why[0]; r++) {
        double pivot_c, pivot_g;
        int64_t ig = 0;
        if (arg) {
            ig = (int64_t)g[at(r, kth, n, inner)];
            int64_t ic = (int64_t)c[at(r, kth, n, inner)];
            pivot_c = x[at(r, ic, n, inner)];
            pivot_g = ig >= 0 && ig < n ? x[at(r, ig, n, inner)] : NAN;
            if (ig != ic && !(isnan(pivot_c) && isnan(pivot_g)))
                snprintf(why, sizeof why, "row %lld: kth index %lld, cpu %lld", (long long)r, (long long)ig,
                         (long long)ic);
        } else {
            pivot_c = c[at(r, kth, n, inner)];
            pivot_g = g[at(r, kth, n, inner)];
            if (cmp_key(pivot_c, pivot_g) != 0)
                snprintf(why, sizeof why, "row %lld: kth value %g, cpu %g", (long long)r, pivot_g, pivot_c);
        }
        for (int64_t j = 0; j < n && !why[0]; j++) {
            double v;
            int64_t idx = 0;
            if (arg) {
                idx = (int64_t)g[at(r, j, n, inner)];
                if (idx < 0 || idx >= n) {
                    snprintf(why, sizeof why, "row %lld: index %lld out of range", (long long)r, (long long)idx);
                    break;
                }
                v = x[at(r, idx, n, inner)];
                row[j] = (double)idx;
            } else {
                v = g[at(r, j, n, inner)];
                row[j] = v;
                row[n + j] = x[at(r, j, n, inner)];
            }
            int k = cmp_key(v, pivot_g);
            if (arg && k == 0 && !isnan(v))
                k = idx < ig ? -1 : idx > ig ? 1 : 0;
            if ((j < kth && k > 0) || (j > kth && k < 0))
                snprintf(why, sizeof why, "row %lld: position %lld holds %g on the wrong side of %g", (long long)r,
                         (long long)j, v, pivot_g);
        }
        if (why[0])
            break;
        qsort(row, (size_t)n, sizeof(double), cmp_double);
        if (arg) {
            for (int64_t j = 0; j < n && !why[0]; j++)
                if (row[j] != (double)j)
                    snprintf(why, sizeof why, "row %lld: not a permutation", (long long)r);
        } else {
            qsort(row + n, (size_t)n, sizeof(double), cmp_double);
            for (int64_t j = 0; j < n && !why[0]; j++)
                if (cmp_key(row[j], row[n + j]) != 0)
                    snprintf(why, sizeof why, "row %lld: the values differ from the input's", (long long)r);
        }
    }
    if (why[0])
        fail(what, why);
    free(x);
    free(c);
    free(g);
    free(row);
}

/* A 2-D operand (rows x cols) in layout l, with NaNs / duplicates for floats when `specials`. */
static mx_array part_operand(int64_t rows, int64_t cols, mx_dtype t, layout l, bool specials) {
    mx_array a = operand(rows, cols, t, specials ? D_SMALLINT : D_ANY, l);
    if (!specials || !mx_dtype_is_float(t))
        return a;
    /* small integers (many ties), 1 -> NaN, 0 -> -0.0 */
    on(MX_CPU);
    mx_array zero = mx_scalar(0.0, t), neg = mx_scalar(-0.0, t), nan = mx_scalar(NAN, t), one = mx_scalar(1.0, t);
    mx_array is1 = mx_equal(a, one), is0 = mx_equal(a, zero);
    mx_array b = mx_where(is1, nan, a);
    mx_array c = mx_where(is0, neg, b);
    mx_eval1(c);
    mx_free_n((mx_array[]){zero, neg, nan, one, is1, is0, b, a}, 8);
    return c;
}

static void partition_case(const char *tag, mx_array a, int axis, int kth) {
    int n = (int)mx_shape(a)[axis];
    int k = kth < 0 ? kth + n : kth;
    for (int arg = 0; arg < 2; arg++) {
        on(MX_CPU);
        mx_array c = arg ? mx_argpartition_axis(a, kth, axis) : mx_partition_axis(a, kth, axis);
        if (cpu_ok(c)) {
            on(MX_GPU);
            mx_array g = arg ? mx_argpartition_axis(a, kth, axis) : mx_partition_axis(a, kth, axis);
            check_partition(NAME("%s %s axis%d kth %d", arg ? "argpartition" : "partition", tag, axis, kth), a, c, g,
                            axis, k, arg);
            mx_free(g);
        }
        mx_free(c);
    }
    on(MX_CPU);
}

static void test_partition(void) {
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 0; l < L_COUNT; l++) {
            for (int sp = 0; sp < 2; sp++) {
                mx_array a = part_operand(37, 53, t, (layout)l, sp == 1);
                char tag[96];
                snprintf(tag, sizeof tag, "%s %s%s", mx_dtype_name(t), layout_name(l), sp ? " dup/nan" : "");
                for (int axis = 0; axis < 2; axis++) {
                    int n = axis ? 53 : 37;
                    int kths[] = {0, n / 2, n - 1, -3};
                    for (int q = 0; q < 4; q++)
                        partition_case(tag, a, axis, kths[q]);
                }
                mx_free(a);
            }
        }
    }
    /* long rows: several write tiles, 512 and 1024 threads, candidates kept or not */
    const int64_t lens[] = {5000, 20000, 70000};
    const mx_dtype long_types[] = {MX_FLOAT32, MX_BFLOAT16, MX_INT64, MX_FLOAT64, MX_UINT8};
    for (int li = 0; li < 3; li++)
        for (int ti = 0; ti < COUNT(long_types); ti++)
            for (int sp = 0; sp < 2; sp++) {
                mx_array a = part_operand(3, lens[li], long_types[ti], L_CONTIG, sp == 1);
                char tag[96];
                snprintf(tag, sizeof tag, "long %lld %s%s", (long long)lens[li], mx_dtype_name(long_types[ti]),
                         sp ? " dup/nan" : "");
                partition_case(tag, a, 1, (int)(lens[li] - 50));
                partition_case(tag, a, 1, 7);
                mx_free(a);
            }
    /* topk: the top k's multiset is unique */
    for (int ti = 0; ti < COUNT(k_floats); ti++) {
        mx_dtype t = k_floats[ti];
        mx_array a = operand(64, 3000, t, D_ANY, L_CONTIG);
        on(MX_CPU);
        mx_array c = mx_topk_axis(a, 50, 1), cs = mx_sort_axis(c, 1);
        on(MX_GPU);
        mx_array g = mx_topk_axis(a, 50, 1);
        on(MX_CPU);
        mx_array gs = mx_sort_axis(g, 1);
        compare(NAME("topk 50 of (64, 3000) %s", mx_dtype_name(t)), cs, gs, 0, false);
        mx_free_n((mx_array[]){a, c, cs, g, gs}, 5);
    }
}

/* ---- searchsorted ------------------------------------------------------------------------------------------ */

static void test_searchsorted(void) {
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int dup = 0; dup < 2; dup++) {
            on(MX_CPU);
            mx_array raw = random_array((int64_t[]){301}, 1, t, dup ? D_SMALLINT : D_ANY);
            mx_array sorted = mx_sort(raw);
            mx_array strided = mx_slice(sorted, (int64_t[]){0}, (int64_t[]){301}, (int64_t[]){2}, 1);
            mx_eval1(strided);
            for (int l = 0; l < L_COUNT; l++) {
                mx_array v = operand(9, 17, t, dup ? D_SMALLINT : D_ANY, (layout)l);
                for (int right = 0; right < 2; right++) {
                    PAIR(NAME("searchsorted %s %s%s%s", mx_dtype_name(t), layout_name(l), right ? " right" : "",
                              dup ? " dup" : ""),
                         0, false, mx_searchsorted(sorted, v, right));
                    PAIR(NAME("searchsorted strided seq %s %s%s", mx_dtype_name(t), layout_name(l),
                              right ? " right" : ""),
                         0, false, mx_searchsorted(strided, v, right));
                }
                mx_free(v);
            }
            mx_free_n((mx_array[]){raw, sorted, strided}, 3);
        }
    }
}

/* ---- masked_scatter, pad, arange, hadamard ----------------------------------------------------------------- */

static void test_masked(void) {
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 0; l < L_COUNT; l++) {
            mx_array a = operand(21, 30, t, D_ANY, (layout)l);
            mx_array mask_rows = random_array((int64_t[]){21}, 1, MX_BOOL, D_ANY);
            mx_array mask_full = operand(21, 30, MX_BOOL, D_ANY, (layout)((l + 1) % L_COUNT));
            mx_array src = random_array((int64_t[]){700}, 1, t, D_ANY);
            mx_array src_rows = operand(21, 30, t, D_ANY, (layout)((l + 2) % L_COUNT));
            PAIR(NAME("masked_scatter rows %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_masked_scatter(a, mask_rows, src_rows));
            PAIR(NAME("masked_scatter full %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_masked_scatter(a, mask_full, src));
            mx_array scalar = mx_scalar(2.0, t);
            PAIR(NAME("masked_scatter scalar src %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_masked_scatter(a, mask_full, scalar));
            mx_free_n((mx_array[]){a, mask_rows, mask_full, src, src_rows, scalar}, 6);
        }
    }
    /* a source too short: both devices fail */
    on(MX_CPU);
    mx_array a = operand(8, 8, MX_FLOAT32, D_ANY, L_CONTIG), m = operand(8, 8, MX_BOOL, D_ANY, L_CONTIG);
    mx_array few = random_array((int64_t[]){3}, 1, MX_FLOAT32, D_ANY);
    mx_array c = mx_masked_scatter(a, m, few);
    bool cpu_failed = mx_array_status(c) != MX_OK || mx_eval1(c) != MX_OK;
    mx_clear_error();
    on(MX_GPU);
    mx_array g = mx_masked_scatter(a, m, few);
    bool gpu_failed = mx_array_status(g) != MX_OK || mx_eval1(g) != MX_OK;
    mx_clear_error();
    on(MX_CPU);
    g_cases++;
    if (cpu_failed != gpu_failed || !cpu_failed)
        fail("masked_scatter short source", "the CPU and the GPU disagree on the error");
    mx_free_n((mx_array[]){a, m, few, c, g}, 5);
}

static void test_pad(void) {
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 0; l < L_COUNT; l++) {
            mx_array a = operand(13, 29, t, D_ANY, (layout)l);
            mx_array v = mx_scalar(3.0, t);
            PAIR(NAME("pad both %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_pad(a, (int[]){0, 1}, 2, (int64_t[]){2, 5}, (int64_t[]){3, 0}, v, NULL));
            PAIR(NAME("pad axis0 %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_pad(a, (int[]){0}, 1, (int64_t[]){0}, (int64_t[]){4}, v, NULL));
            PAIR(NAME("pad axis1 wide %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_pad(a, (int[]){1}, 1, (int64_t[]){300}, (int64_t[]){1}, v, NULL));
            mx_free_n((mx_array[]){a, v}, 2);
        }
    }
    /* an image batch: (2, 3, 17, 19) padded 1 in H and W */
    mx_array img = random_array((int64_t[]){2, 3, 17, 19}, 4, MX_FLOAT32, D_ANY);
    mx_array z = mx_scalar(0.0, MX_FLOAT32);
    PAIR("pad image f32", 0, false, mx_pad(img, (int[]){2, 3}, 2, (int64_t[]){1, 1}, (int64_t[]){1, 1}, z, NULL));
    mx_array perm = mx_transpose(img, (int[]){0, 2, 3, 1}, 4);
    PAIR("pad image nhwc view f32", 0, false,
         mx_pad(perm, (int[]){1, 2}, 2, (int64_t[]){1, 2}, (int64_t[]){1, 0}, z, NULL));
    mx_free_n((mx_array[]){img, z, perm}, 3);
}

static void test_arange(void) {
    const double starts[] = {0.0, -3.5, 0.1, 1000.25};
    const double steps[] = {1.0, 0.1, -0.3, 0.001};
    for (int ti = 0; ti < COUNT(k_floats); ti++)
        for (int s = 0; s < 4; s++) {
            double stop = starts[s] + steps[s] * 3000;
            PAIR(NAME("arange %s start %g step %g", mx_dtype_name(k_floats[ti]), starts[s], steps[s]), 0, false,
                 mx_arange(starts[s], stop, steps[s], k_floats[ti]));
        }
    PAIR("arange int32 (indexing's kernel)", 0, false, mx_arange(-5, 1000, 3, MX_INT32));
}

static void test_hadamard(void) {
    const int64_t ns[] = {1, 2, 64, 96, 80, 56, 12, 28, 1024, 4096 * 2, 28 * 256};
    for (int ti = 0; ti < COUNT(k_floats); ti++) {
        mx_dtype t = k_floats[ti];
        for (int q = 0; q < COUNT(ns); q++) {
            mx_array a = operand(7, ns[q], t, D_ANY, L_CONTIG);
            PAIR(NAME("hadamard n %lld %s", (long long)ns[q], mx_dtype_name(t)), 0, false,
                 mx_hadamard_transform(a, 1.0 / sqrt((double)ns[q])));
            mx_free(a);
        }
        mx_array b = operand(64, 40, t, D_ANY, L_TRANSPOSED);
        PAIR(NAME("hadamard transposed n 40 %s", mx_dtype_name(t)), 0, false, mx_hadamard_transform(b, 0.5));
        mx_free(b);
    }
}

/* as_strided of views (the kernel runs when the input is not row-contiguous), view of views */
static void test_views(void) {
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 1; l < L_COUNT; l++) {
            mx_array a = operand(12, 10, t, D_ANY, (layout)l);
            PAIR(NAME("as_strided windows %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_as_strided(a, (int64_t[]){9, 4, 3}, 3, (int64_t[]){10, 1, 10}, 3, 5));
            PAIR(NAME("as_strided broadcast %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_as_strided(a, (int64_t[]){6, 7}, 2, (int64_t[]){0, 3}, 2, 2));
            PAIR(NAME("view as uint8 %s %s", mx_dtype_name(t), layout_name(l)), 0, false, mx_view(a, MX_UINT8));
            PAIR(NAME("view as bool %s %s", mx_dtype_name(t), layout_name(l)), 0, false, mx_view(a, MX_BOOL));
            mx_free(a);
        }
    }
}

/* ---- gather_mm ------------------------------------------------------------------------------------------------- */

static mx_array indices(int64_t n, int64_t dim, bool sorted) {
    uint32_t *v = malloc(sizeof(uint32_t) * (size_t)n);
    for (int64_t i = 0; i < n; i++)
        v[i] = (uint32_t)floor(uniform01() * (double)dim);
    if (sorted)
        for (int64_t i = 1; i < n; i++)
            for (int64_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
                uint32_t x = v[j];
                v[j] = v[j - 1];
                v[j - 1] = x;
            }
    mx_array a = mx_array_from_data(v, (int64_t[]){n}, 1, MX_UINT32);
    free(v);
    return a;
}

static void test_gather_mm(void) {
    for (int ti = 0; ti < COUNT(k_floats); ti++) {
        mx_dtype t = k_floats[ti];
        double tol = tolerance(t) * 4;
        /* MoE: tokens (T, 1, K) through experts (E, K, N) */
        mx_array x = random_array((int64_t[]){300, 1, 64}, 3, t, D_ANY);
        mx_array w = random_array((int64_t[]){8, 64, 48}, 3, t, D_ANY);
        mx_array wt0 = random_array((int64_t[]){8, 48, 64}, 3, t, D_ANY);
        mx_array wt = mx_transpose(wt0, (int[]){0, 2, 1}, 3);
        for (int sorted = 0; sorted < 2; sorted++) {
            mx_array lhs = indices(500, 300, false), rhs = indices(500, 8, sorted == 1);
            PAIR(NAME("gather_mm moe %s%s", mx_dtype_name(t), sorted ? " sorted" : ""), tol, true,
                 mx_gather_mm(x, w, lhs, rhs, sorted == 1));
            PAIR(NAME("gather_mm moe transposed w %s%s", mx_dtype_name(t), sorted ? " sorted" : ""), tol, true,
                 mx_gather_mm(x, wt, lhs, rhs, sorted == 1));
            mx_array rhs300 = mx_slice(rhs, (int64_t[]){0}, (int64_t[]){300}, (int64_t[]){1}, 1);
            PAIR(NAME("gather_mm rhs only %s%s", mx_dtype_name(t), sorted ? " sorted" : ""), tol, true,
                 mx_gather_mm(x, w, MX_NULL_ARRAY, rhs300, sorted == 1));
            mx_free_n((mx_array[]){lhs, rhs, rhs300}, 3);
        }
        /* M > 1, batched without indices (affine: one strided-batched GEMM), broadcast rhs */
        mx_array a = random_array((int64_t[]){6, 5, 33}, 3, t, D_ANY);
        mx_array b = random_array((int64_t[]){6, 33, 7}, 3, t, D_ANY);
        PAIR(NAME("gather_mm batched %s", mx_dtype_name(t)), tol, true,
             mx_gather_mm(a, b, MX_NULL_ARRAY, MX_NULL_ARRAY, false));
        mx_array li = indices(40, 6, false), ri = indices(40, 6, false);
        PAIR(NAME("gather_mm M 5 %s", mx_dtype_name(t)), tol, true, mx_gather_mm(a, b, li, ri, false));
        mx_array zero = mx_zeros((int64_t[]){40}, 1, MX_UINT32);
        PAIR(NAME("gather_mm one expert %s", mx_dtype_name(t)), tol, true, mx_gather_mm(a, b, li, zero, false));
        mx_free_n((mx_array[]){x, w, wt0, wt, a, b, li, ri, zero}, 9);
    }
    /* an index out of range: the same error on both devices */
    on(MX_CPU);
    mx_array a = random_array((int64_t[]){4, 3, 5}, 3, MX_FLOAT32, D_ANY);
    mx_array b = random_array((int64_t[]){2, 5, 6}, 3, MX_FLOAT32, D_ANY);
    mx_array li = mx_array_from_data((uint32_t[]){0, 1, 2}, (int64_t[]){3}, 1, MX_UINT32);
    mx_array ri = mx_array_from_data((uint32_t[]){0, 2, 1}, (int64_t[]){3}, 1, MX_UINT32);
    mx_array c = mx_gather_mm(a, b, li, ri, false);
    char cpu_msg[256] = "";
    if (mx_array_status(c) != MX_OK || mx_eval1(c) != MX_OK)
        snprintf(cpu_msg, sizeof cpu_msg, "%s", mx_last_error());
    mx_clear_error();
    on(MX_GPU);
    mx_array g = mx_gather_mm(a, b, li, ri, false);
    char gpu_msg[256] = "";
    if (mx_array_status(g) != MX_OK || mx_eval1(g) != MX_OK)
        snprintf(gpu_msg, sizeof gpu_msg, "%s", mx_last_error());
    mx_clear_error();
    on(MX_CPU);
    g_cases++;
    if (!cpu_msg[0] || strcmp(cpu_msg, gpu_msg) != 0) {
        printf("FAIL gather_mm bad index: cpu '%s' gpu '%s'\n", cpu_msg, gpu_msg);
        g_failures++;
    }
    mx_free_n((mx_array[]){a, b, li, ri, c, g}, 6);
}

/* ---- gradients ----------------------------------------------------------------------------------------------------
 */

typedef struct grad_payload {
    int which;
    mx_array extra[3];
} grad_payload;

enum { G_TOPK, G_PAD, G_MASKED, G_HADAMARD, G_GATHER_MM, G_COUNT };
static const char *const k_grad_names[] = {"topk", "pad", "masked_scatter", "hadamard", "gather_mm"};
static const int k_grad_primals[] = {1, 1, 2, 1, 2};

/* (rows, n) with distinct small integers in each row (exact in every float
 * dtype: no ties, whose top-k positions the CPU's introselect picks in its
 * own way), as a transposed view. */
static mx_array distinct_rows(int64_t rows, int64_t n, mx_dtype t) {
    double *v = malloc(sizeof(double) * (size_t)(rows * n));
    for (int64_t j = 0; j < n; j++)
        for (int64_t i = 0; i < rows; i++)
            v[j * rows + i] = (double)((i * 7 + j * 13) % n) - 10.0; /* 13 is prime to n = 40 */
    mx_array base = mx_array_from_data(v, (int64_t[]){n, rows}, 2, MX_FLOAT64);
    free(v);
    mx_array typed = mx_astype(base, t);
    mx_array out = mx_transpose(typed, (int[]){1, 0}, 2);
    mx_eval1(out);
    mx_free_n((mx_array[]){base, typed}, 2);
    return out;
}

/* sum(f(in)^2) */
static mx_status grad_fn(void *payload, const mx_array *in, int n, mx_array_list *outputs) {
    (void)n;
    const grad_payload *p = payload;
    mx_array y;
    switch (p->which) {
    case G_TOPK: y = mx_topk_axis(in[0], 5, 1); break;
    case G_PAD: y = mx_pad(in[0], (int[]){0, 1}, 2, (int64_t[]){1, 2}, (int64_t[]){2, 1}, p->extra[0], NULL); break;
    case G_MASKED: y = mx_masked_scatter(in[0], p->extra[0], in[1]); break;
    case G_HADAMARD: y = mx_hadamard_transform(in[0], 0.25); break;
    default: y = mx_gather_mm(in[0], in[1], p->extra[0], p->extra[1], false); break;
    }
    mx_array sq = mx_square(y);
    mx_array s = mx_sum(sq, false);
    mx_free(y);
    mx_free(sq);
    return mx_array_list_push(outputs, s);
}

static void test_gradients(void) {
    for (int which = 0; which < G_COUNT; which++) {
        for (int ti = 0; ti < 3; ti++) {
            mx_dtype t = ti == 0 ? MX_FLOAT32 : ti == 1 ? MX_BFLOAT16 : MX_FLOAT64;
            grad_payload p = {which, {MX_NULL_ARRAY, MX_NULL_ARRAY, MX_NULL_ARRAY}};
            mx_array primals[2];
            int np = k_grad_primals[which];
            switch (which) {
            case G_TOPK: primals[0] = distinct_rows(12, 40, t); break;
            case G_PAD:
                primals[0] = operand(12, 40, t, D_ANY, L_SLICED);
                p.extra[0] = mx_scalar(1.5, t);
                break;
            case G_MASKED:
                primals[0] = operand(12, 40, t, D_ANY, L_CONTIG);
                primals[1] = random_array((int64_t[]){480}, 1, t, D_ANY);
                p.extra[0] = operand(12, 40, MX_BOOL, D_ANY, L_TRANSPOSED);
                break;
            case G_HADAMARD: primals[0] = operand(12, 64, t, D_ANY, L_CONTIG); break;
            default:
                primals[0] = random_array((int64_t[]){30, 2, 16}, 3, t, D_ANY);
                primals[1] = random_array((int64_t[]){4, 16, 8}, 3, t, D_ANY);
                p.extra[0] = indices(50, 30, false);
                p.extra[1] = indices(50, 4, false);
                break;
            }
            mx_array results[2][2];
            bool ok = true;
            for (int dev = 0; dev < 2 && ok; dev++) {
                on(dev ? MX_GPU : MX_CPU);
                mx_closure f = mx_closure_new(grad_fn, &p, NULL);
                mx_array cot = mx_scalar(1.0, t);
                mx_array_list outs = {0}, vjps = {0};
                ok = mx_vjp(f, primals, np, &cot, 1, &outs, &vjps) == MX_OK;
                if (ok) {
                    for (int k = 0; k < np; k++) {
                        results[dev][k] = mx_retain(vjps.items[k]);
                        if (dev == 0)
                            mx_eval1(results[0][k]);
                    }
                }
                mx_array_list_clear(&outs);
                mx_array_list_clear(&vjps);
                mx_free(cot);
                mx_closure_free(f);
            }
            on(MX_CPU);
            if (!ok) {
                g_cases++;
                g_failures++;
                printf("FAIL grad %s %s: %s\n", k_grad_names[which], mx_dtype_name(t), mx_last_error());
                mx_clear_error();
            } else {
                for (int k = 0; k < np; k++)
                    compare(NAME("grad %s %s input %d", k_grad_names[which], mx_dtype_name(t), k), results[0][k],
                            results[1][k], 4 * tolerance(t), true);
                for (int dev = 0; dev < 2; dev++)
                    mx_free_n(results[dev], np);
            }
            mx_free_n(primals, np);
            mx_free_n(p.extra, 3);
        }
    }
}

int main(void) {
    if (parity_skip("test_cuda_select"))
        return 0;
    test_partition();
    test_searchsorted();
    test_masked();
    test_pad();
    test_arange();
    test_hadamard();
    test_views();
    test_gather_mm();
    test_gradients();
    on(MX_CPU);
    printf("test_cuda_select: %d cases, %d failures (%d skipped: the CPU rejects them)\n", g_cases, g_failures,
           g_skipped);
    return g_failures ? 1 : 0;
}
