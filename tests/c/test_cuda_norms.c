/* tests/c/test_cuda_norms.c - the CUDA kernels of norms.cu and reduce.cu
 * against the CPU kernels: fast.layer_norm / rms_norm (with and without
 * weight and bias, mixed dtypes), fast.rope (traditional or not, partial
 * dims, scalar and per-batch offsets, freqs, views), their VJPs run on the
 * GPU, and the reductions' vector paths, var/std and softmax (rows that fit
 * registers, rows that do not, unaligned lengths).
 *
 * Tolerances: tolerance(dtype) per element; sums, variances, normalisations
 * (y = n w + b cancels: a few ulps of the terms from the summation order) and
 * rope (the device's sinf/cosf differ from glibc's by an ulp or two) by the
 * relative norm of the difference. Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

static const mx_dtype k_floats[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};

/* ---- layer_norm / rms_norm ------------------------------------------------------------------ */

static mx_array vector(int64_t n, mx_dtype t, bool strided) {
    if (!strided) {
        int64_t shape[1] = {n};
        return random_array(shape, 1, t, D_ANY);
    }
    int64_t shape[1] = {2 * n};
    mx_array base = random_array(shape, 1, t, D_ANY);
    mx_array v = mx_slice(base, (int64_t[]){1}, (int64_t[]){2 * n}, (int64_t[]){2}, 1);
    mx_free(base);
    return v;
}

static mx_array norm(bool layer, mx_array x, mx_array w, mx_array b) {
    return layer ? mx_fast_layer_norm(x, w, b, 1e-5) : mx_fast_rms_norm(x, w, 1e-5);
}

static void run_norm(bool layer, mx_dtype xt, mx_dtype wt, int64_t rows, int64_t L, layout l, bool weight, bool bias,
                     bool strided_w) {
    char what[160];
    snprintf(what, sizeof what, "%s x %s w %s (%lld, %lld) %s%s%s%s", layer ? "layer_norm" : "rms_norm",
             mx_dtype_name(xt), mx_dtype_name(wt), (long long)rows, (long long)L, layout_name(l), weight ? " w" : "",
             bias ? " b" : "", strided_w ? " strided-w" : "");
    mx_array x = operand(rows, L, xt, D_ANY, l);
    mx_array w = weight ? vector(L, wt, strided_w) : MX_NULL_ARRAY;
    mx_array b = bias ? vector(L, wt, strided_w) : MX_NULL_ARRAY;
    on(MX_CPU);
    mx_array c = norm(layer, x, w, b);
    on(MX_GPU);
    mx_array g = norm(layer, x, w, b);
    mx_dtype out = mx_array_dtype(c);
    /* by the relative norm: with a bias, y = n w + b cancels, and the mean/variance's
     * summation order (a few ulps of rs) shows as an absolute error of the terms */
    compare(what, c, g, tolerance(out) * 2, true);
    mx_free(x), mx_free(c), mx_free(g);
    if (weight)
        mx_free(w);
    if (bias)
        mx_free(b);
}

static void norm_cases(void) {
    /* L: 7 (unaligned: looped kernel), 64 and 1000 (a warp per row), 4096 and
     * 12288 (a block per row), 40000 (past the registers: looped) */
    static const int64_t lens[][2] = {{33, 7}, {300, 64}, {65, 1000}, {40, 4096}, {9, 12288}, {3, 40000}};
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int i = 0; i < COUNT(lens); i++)
            for (int layer = 0; layer < 2; layer++) {
                run_norm(layer, k_floats[t], k_floats[t], lens[i][0], lens[i][1], L_CONTIG, true, layer, false);
                run_norm(layer, k_floats[t], k_floats[t], lens[i][0], lens[i][1], L_CONTIG, false, false, false);
            }
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int l = 1; l < L_COUNT; l++)
            for (int layer = 0; layer < 2; layer++)
                run_norm(layer, k_floats[t], k_floats[t], 70, 256, (layout)l, true, layer, l == L_SLICED);
    /* layer_norm: bias alone; mixed dtypes (x widened, or float32 x into a half output) */
    run_norm(true, MX_FLOAT32, MX_FLOAT32, 50, 512, L_CONTIG, false, true, false);
    run_norm(true, MX_FLOAT16, MX_FLOAT32, 50, 512, L_CONTIG, true, true, false);
    run_norm(false, MX_BFLOAT16, MX_FLOAT32, 50, 512, L_CONTIG, true, false, false);
    run_norm(false, MX_FLOAT32, MX_FLOAT64, 50, 512, L_CONTIG, true, false, false);
    run_norm(false, MX_INT32, MX_FLOAT16, 50, 512, L_CONTIG, true, false, false);
    run_norm(true, MX_INT32, MX_BFLOAT16, 50, 100, L_CONTIG, true, true, false);
}

/* ---- rope ----------------------------------------------------------------------------------- */

/* x (B, N, T, D): contiguous, as the transpose of (B, T, N, D), or with a
 * strided last dim. */
static mx_array rope_input(const int64_t *s, mx_dtype t, int view) {
    if (view == 1) {
        int64_t shape[4] = {s[0], s[2], s[1], s[3]};
        mx_array base = random_array(shape, 4, t, D_ANY);
        mx_array v = mx_transpose(base, (int[]){0, 2, 1, 3}, 4);
        mx_free(base);
        return v;
    }
    if (view == 2) {
        int64_t shape[4] = {s[0], s[1], s[2], 2 * s[3]};
        mx_array base = random_array(shape, 4, t, D_ANY);
        mx_array v = mx_slice(base, (int64_t[]){0, 0, 0, 0}, shape, (int64_t[]){1, 1, 1, 2}, 4);
        mx_free(base);
        return v;
    }
    return random_array(s, 4, t, D_ANY);
}

static void run_rope(mx_dtype t, const int64_t *shape, int dims, bool traditional, int offset_kind, bool freqs,
                     double scale, int view) {
    static const char *views[] = {"contig", "transposed", "strided-last"};
    static const char *offsets[] = {"offset 5", "offset int32 (B,)", "offset uint32 (B,)", "offset 1000"};
    char what[200];
    snprintf(what, sizeof what, "rope %s (%lld,%lld,%lld,%lld) dims %d%s %s%s scale %g %s", mx_dtype_name(t),
             (long long)shape[0], (long long)shape[1], (long long)shape[2], (long long)shape[3], dims,
             traditional ? " traditional" : "", offsets[offset_kind], freqs ? " freqs" : "", scale, views[view]);
    mx_array x = rope_input(shape, t, view);
    mx_array f = MX_NULL_ARRAY;
    if (freqs) {
        int64_t fs[1] = {dims / 2};
        f = random_array(fs, 1, MX_FLOAT32, D_GE1);
    }
    mx_array off = MX_NULL_ARRAY;
    if (offset_kind == 1 || offset_kind == 2) {
        int64_t os[1] = {shape[0]};
        off = random_array(os, 1, offset_kind == 1 ? MX_INT32 : MX_UINT32, D_POS);
    }
    double base = freqs ? NAN : 10000.0;
    int scalar_offset = offset_kind == 3 ? 1000 : 5;
    mx_array c, g;
    on(MX_CPU);
    c = off.id ? mx_fast_rope_offset(x, dims, traditional, base, scale, off, f)
               : mx_fast_rope(x, dims, traditional, base, scale, scalar_offset, f);
    on(MX_GPU);
    g = off.id ? mx_fast_rope_offset(x, dims, traditional, base, scale, off, f)
               : mx_fast_rope(x, dims, traditional, base, scale, scalar_offset, f);
    compare(what, c, g, tolerance(t), true);
    mx_free(x), mx_free(c), mx_free(g);
    if (freqs)
        mx_free(f);
    if (off.id)
        mx_free(off);
}

static void rope_cases(void) {
    static const int64_t s1[4] = {2, 3, 17, 64}, s2[4] = {1, 4, 33, 128}, s3[4] = {3, 2, 5, 6};
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int trad = 0; trad < 2; trad++) {
            run_rope(k_floats[t], s1, 64, trad, 0, false, 1.0, 0);
            run_rope(k_floats[t], s1, 32, trad, 1, false, 0.5, 0); /* partial: the tail is copied */
            run_rope(k_floats[t], s2, 128, trad, 3, false, 1.0, 1);
            run_rope(k_floats[t], s2, 64, trad, 2, true, 1.0, 0);
            run_rope(k_floats[t], s3, 4, trad, 0, false, 1.0, 0); /* unaligned: scalar kernel */
            run_rope(k_floats[t], s1, 64, trad, 0, true, 2.0, 2); /* strided last dim: copied first */
        }
}

/* ---- gradients: the VJPs (compositions) run with the GPU as default device ------------------ */

static mx_status ln_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    return mx_array_list_push(out, mx_fast_layer_norm(in[0], in[1], in[2], 1e-5));
}
static mx_status rms_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    return mx_array_list_push(out, mx_fast_rms_norm(in[0], in[1], 1e-5));
}
static mx_status rope_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    return mx_array_list_push(out, mx_fast_rope(in[0], 32, false, 10000.0, 1.0, 3, MX_NULL_ARRAY));
}

static void run_vjp(const char *name, mx_function_fn fn, int nprim, mx_dtype t, const int64_t *shape, int nd) {
    mx_array prim[3];
    prim[0] = random_array(shape, nd, t, D_ANY);
    int64_t L[1] = {shape[nd - 1]};
    for (int i = 1; i < nprim; i++)
        prim[i] = random_array(L, 1, t, D_ANY);
    mx_array cot = random_array(shape, nd, t, D_ANY);
    mx_closure f = mx_closure_new(fn, NULL, NULL);
    mx_array_list outs[2] = {{0}}, grads[2] = {{0}};
    for (int dev = 0; dev < 2; dev++) {
        on(dev ? MX_GPU : MX_CPU);
        if (mx_vjp(f, prim, nprim, &cot, 1, &outs[dev], &grads[dev]) != MX_OK)
            printf("note: %s vjp failed: %s\n", name, mx_last_error());
    }
    for (int i = 0; i < nprim; i++) {
        char what[128];
        snprintf(what, sizeof what, "vjp %s %s d/d input %d", name, mx_dtype_name(t), i);
        if (grads[0].count <= i || grads[1].count <= i) {
            g_cases++, g_failures++;
            printf("FAIL %s: no gradient\n", what);
            continue;
        }
        compare(what, grads[0].items[i], grads[1].items[i], tolerance(t) * 4, true);
    }
    for (int dev = 0; dev < 2; dev++) {
        mx_array_list_clear(&outs[dev]);
        mx_array_list_clear(&grads[dev]);
    }
    mx_closure_free(f);
    for (int i = 0; i < nprim; i++)
        mx_free(prim[i]);
    mx_free(cot);
}

static void vjp_cases(void) {
    static const int64_t s2[2] = {64, 512}, s4[4] = {2, 3, 16, 64};
    for (int t = 0; t < COUNT(k_floats); t++) {
        run_vjp("layer_norm", ln_fn, 3, k_floats[t], s2, 2);
        run_vjp("rms_norm", rms_fn, 2, k_floats[t], s2, 2);
        run_vjp("rope", rope_fn, 1, k_floats[t], s4, 4);
    }
}

/* ---- reductions: vector paths, splits, var/std, logsumexp, softmax ----------------------------- */

typedef enum { R_SUM, R_MAX, R_ARGMAX, R_LSE, R_VAR, R_STD, R_MEAN, R_ALL, R_ANY, R_COUNT } rop;
static const char *k_rop_names[] = {"sum", "max", "argmax", "logsumexp", "var", "std", "mean", "all", "any"};

static mx_array reduce_op(rop op, mx_array x, int axis, int ddof) {
    switch (op) {
    case R_SUM: return axis == 99 ? mx_sum(x, false) : mx_sum_axis(x, axis, false);
    case R_MAX: return axis == 99 ? mx_max(x, false) : mx_max_axis(x, axis, false);
    case R_ARGMAX: return mx_argmax_axis(x, axis == 99 ? 0 : axis, false);
    case R_LSE: return axis == 99 ? mx_logsumexp(x, false) : mx_logsumexp_axis(x, axis, false);
    case R_VAR: return axis == 99 ? mx_var(x, false, ddof) : mx_var_axis(x, axis, false, ddof);
    case R_STD: return axis == 99 ? mx_std(x, false, ddof) : mx_std_axis(x, axis, false, ddof);
    case R_ALL: return axis == 99 ? mx_all(x, false) : mx_all_axis(x, axis, false);
    case R_ANY: return axis == 99 ? mx_any(x, false) : mx_any_axis(x, axis, false);
    default: return axis == 99 ? mx_mean(x, false) : mx_mean_axis(x, axis, false);
    }
}

static void run_reduction(rop op, mx_dtype t, int64_t rows, int64_t cols, layout l, int axis, int ddof) {
    char what[160];
    snprintf(what, sizeof what, "%s %s (%lld, %lld) %s axis %d ddof %d", k_rop_names[op], mx_dtype_name(t),
             (long long)rows, (long long)cols, layout_name(l), axis, ddof);
    mx_array x = operand(rows, cols, t, D_ANY, l);
    if (op == R_ARGMAX && axis == 99) { /* flattened */
        mx_array flat = mx_reshape(x, (int64_t[]){rows * cols}, 1);
        mx_free(x);
        x = flat;
    }
    on(MX_CPU);
    mx_array c = reduce_op(op, x, axis, ddof);
    on(MX_GPU);
    mx_array g = reduce_op(op, x, axis, ddof);
    mx_dtype out = mx_array_dtype(c);
    bool exact = op == R_MAX || op == R_ARGMAX || op == R_ALL || op == R_ANY;
    compare(what, c, g, exact ? 0 : tolerance(out == MX_FLOAT64 ? MX_FLOAT64 : out) * 4, !exact);
    mx_free(x), mx_free(c), mx_free(g);
}

static void reduce_cases(void) {
    /* rows: warp rows (64, 1000), block rows (4096), split rows (2 x 300000);
     * columns (vector across 32 x VEC columns, split m), unaligned widths */
    static const int64_t shapes[][2] = {{300, 64},   {70, 1000},  {64, 4096}, {2, 300000},
                                        {3000, 256}, {20000, 96}, {37, 29}};
    for (int r = 0; r < R_COUNT; r++)
        for (int t = 0; t < COUNT(k_floats); t++)
            for (int s = 0; s < COUNT(shapes); s++)
                for (int axis = 0; axis < 2; axis++)
                    run_reduction((rop)r, k_floats[t], shapes[s][0], shapes[s][1], L_CONTIG, axis,
                                  r == R_VAR && axis ? 1 : 0);
    static const mx_dtype ints[] = {MX_INT32, MX_UINT8, MX_INT16, MX_INT64, MX_BOOL};
    for (int i = 0; i < COUNT(ints); i++)
        for (int s = 0; s < 3; s++) {
            run_reduction(R_VAR, ints[i], shapes[s][0], shapes[s][1], L_CONTIG, 1, 0);
            run_reduction(R_SUM, ints[i], shapes[s][0], shapes[s][1], L_CONTIG, 0, 0);
            run_reduction(R_ARGMAX, ints[i], shapes[s][0], shapes[s][1], L_CONTIG, 1, 0);
        }
    for (int t = 0; t < COUNT(k_floats); t++) {
        run_reduction(R_VAR, k_floats[t], 200, 300, L_TRANSPOSED, 1, 1);
        run_reduction(R_STD, k_floats[t], 200, 300, L_SLICED, 0, 2);
        run_reduction(R_VAR, k_floats[t], 1000, 1000, L_CONTIG, 99, 0);
        run_reduction(R_STD, k_floats[t], 1, 5, L_CONTIG, 1, 5); /* n - ddof = 0 */
        run_reduction(R_SUM, k_floats[t], 1024, 1024, L_CONTIG, 99, 0);
        run_reduction(R_ARGMAX, k_floats[t], 1024, 1024, L_CONTIG, 99, 0);
        run_reduction(R_LSE, k_floats[t], 2048, 512, L_CONTIG, 99, 0);
        run_reduction(R_ALL, k_floats[t], 129, 67, L_CONTIG, 99, 0); /* one block row of 8643 */
        run_reduction(R_ANY, k_floats[t], 129, 67, L_CONTIG, 99, 0);
    }
}

static void run_softmax(mx_dtype t, int64_t rows, int64_t len, bool precise, layout l) {
    char what[128];
    snprintf(what, sizeof what, "softmax %s (%lld, %lld)%s %s", mx_dtype_name(t), (long long)rows, (long long)len,
             precise ? " precise" : "", layout_name(l));
    mx_array x = operand(rows, len, t, D_ANY, l);
    on(MX_CPU);
    mx_array c = mx_softmax_axis(x, -1, precise);
    on(MX_GPU);
    mx_array g = mx_softmax_axis(x, -1, precise);
    compare(what, c, g, tolerance(t) * 2, false);
    mx_free(x), mx_free(c), mx_free(g);
}

static void softmax_cases(void) {
    static const int64_t shapes[][2] = {{300, 7}, {500, 64}, {64, 1000}, {32, 4096}, {8, 16384}, {4, 50000}, {3, 1001}};
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int s = 0; s < COUNT(shapes); s++) {
            run_softmax(k_floats[t], shapes[s][0], shapes[s][1], false, L_CONTIG);
            if (k_floats[t] == MX_FLOAT16 || k_floats[t] == MX_BFLOAT16)
                run_softmax(k_floats[t], shapes[s][0], shapes[s][1], true, L_CONTIG);
        }
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int l = 1; l < L_COUNT; l++)
            run_softmax(k_floats[t], 100, 512, false, (layout)l);
}

int main(void) {
    if (parity_skip("test_cuda_norms"))
        return 0;
    printf("GPU: %s\n", mx_device_name(mx_gpu_device()));
    norm_cases();
    printf("layer_norm, rms_norm: %d cases, %d failures\n", g_cases, g_failures);
    rope_cases();
    printf("+ rope: %d cases, %d failures\n", g_cases, g_failures);
    vjp_cases();
    printf("+ vjps: %d cases, %d failures\n", g_cases, g_failures);
    reduce_cases();
    printf("+ reductions, var/std: %d cases, %d failures\n", g_cases, g_failures);
    softmax_cases();
    printf("+ softmax: %d cases, %d failures\n", g_cases, g_failures);
    printf("%s: %d cases, %d failures\n", g_failures ? "FAIL" : "OK", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
