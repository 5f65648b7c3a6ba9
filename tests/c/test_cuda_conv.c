/* tests/c/test_cuda_conv.c - convolutions on the GPU (cuDNN, src/backend/cuda/conv.c)
 * against the CPU kernel: 1-D/2-D/3-D, strides, symmetric/asymmetric/negative
 * padding, kernel and input dilation, groups (depthwise too), flip, transposed
 * convs; float32/float16/bfloat16 (cuDNN) and float64 (the CPU fallback on a
 * GPU node); operands contiguous, transposed views (stored channels-first)
 * and sliced views (every other channel); and the gradients of both
 * arguments through mx_vjp (input gradient: backward data or a forward conv
 * on the GPU; weight gradient: backward filter).
 *
 * Tolerances compare the relative norm of the difference (conv outputs are
 * sums of K * C_in products that cuDNN orders differently: implicit GEMM,
 * Winograd, FFT): float32 1e-5 (a Winograd or FFT engine, allowed for
 * float32, loses a few more bits than GEMM; GEMM engines gave <= 4.4e-7 on
 * an H100). float16 and bfloat16: the CPU kernel and cuDNN both accumulate
 * in float32 and round once (engines with reduced-precision reductions,
 * FFT or Winograd are excluded for them, conv.c), so the float32 sums
 * differ only in their last bits (reductions of at most a few thousand
 * terms here) and an output differs by at most one ulp where that moves a
 * rounding: one ulp everywhere is a relative norm of at most 2^-10 (float16)
 * and 2^-7 (bfloat16): 1e-3 and 8e-3. Measured on an H100: <= 4.4e-5 and
 * <= 9.4e-5. (The 18% float16 conv_transpose2d and the 2.05e-2 bfloat16
 * 3-D gradient of earlier runs were the harness's compare() dividing by
 * the norm of the differing elements only; GPU vs CPU was 2e-9 there.)
 * CMLX_CONV_DIAG=1 prints each case's CPU and GPU errors against float64.
 *
 * Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

typedef struct conv_case {
    const char *name;
    int d, n;
    int64_t s[3];
    int64_t cin, cout;
    int64_t k[3];
    int stride[3], lo[3], hi[3], kdil[3], idil[3];
    int groups;
    bool flip;
} conv_case;

static const conv_case k_cases[] = {
    {"1d basic", 1, 2, {17}, 6, 8, {3}, {1}, {1}, {1}, {1}, {1}, 1, false},
    {"1d stride2 asym pad kdil2 groups2 flip", 1, 3, {20}, 4, 6, {4}, {2}, {2}, {1}, {2}, {1}, 2, true},
    {"1d input dilation 2", 1, 2, {9}, 4, 4, {3}, {1}, {2}, {2}, {1}, {2}, 1, false},
    {"2d 3x3 pad1", 2, 2, {10, 12}, 8, 16, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 1, false},
    {"2d stride(2,1) asym kdil(1,2) groups2",
     2,
     2,
     {11, 9},
     6,
     8,
     {3, 2},
     {2, 1},
     {1, 0},
     {1, 1},
     {1, 2},
     {1, 1},
     2,
     false},
    {"2d depthwise", 2, 2, {8, 8}, 8, 8, {3, 3}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 8, false},
    {"2d input dilation 2 (transposed)", 2, 1, {7, 7}, 4, 6, {3, 3}, {1, 1}, {2, 2}, {3, 2}, {1, 1}, {2, 2}, 1, true},
    {"2d input dilation + stride", 2, 2, {6, 5}, 4, 4, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, {2, 3}, 1, false},
    {"2d negative padding", 2, 2, {9, 9}, 4, 4, {3, 3}, {1, 1}, {-1, 0}, {0, -2}, {1, 1}, {1, 1}, 1, false},
    {"2d hi > lo", 2, 2, {8, 8}, 4, 4, {3, 3}, {1, 1}, {0, 1}, {2, 2}, {1, 1}, {1, 1}, 1, false},
    {"2d 1x1 stride2", 2, 2, {8, 8}, 16, 32, {1, 1}, {2, 2}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, 1, false},
    {"2d 7x7 stride2 pad3", 2, 2, {32, 32}, 3, 16, {7, 7}, {2, 2}, {3, 3}, {3, 3}, {1, 1}, {1, 1}, 1, false},
    {"2d 3x3 stride2 pad1 64ch", 2, 2, {14, 14}, 64, 64, {3, 3}, {2, 2}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, 1, false},
    {"3d 3x3x3 pad1",
     3,
     2,
     {6, 7, 5},
     4,
     6,
     {3, 3, 3},
     {1, 1, 1},
     {1, 1, 1},
     {1, 1, 1},
     {1, 1, 1},
     {1, 1, 1},
     1,
     false},
    {"3d strides asym kdil",
     3,
     1,
     {7, 6, 6},
     2,
     4,
     {2, 3, 2},
     {2, 1, 2},
     {0, 1, 1},
     {1, 1, 0},
     {1, 1, 2},
     {1, 1, 1},
     1,
     true},
    {"3d input dilation",
     3,
     1,
     {4, 3, 4},
     2,
     3,
     {2, 2, 2},
     {1, 1, 1},
     {1, 1, 1},
     {1, 1, 2},
     {1, 1, 1},
     {2, 2, 2},
     1,
     false},
};

static const mx_dtype k_types[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};

static double conv_tolerance(mx_dtype t) {
    switch (t) {
    case MX_FLOAT16: return 1e-3;
    case MX_BFLOAT16: return 8e-3;
    case MX_FLOAT64: return 1e-12;
    default: return 1e-5;
    }
}

/* Not inlined: GCC's -Wmaybe-uninitialized misreads random_array inlined into
 * a caller whose shape array it only partly tracks. */
static __attribute__((noinline)) mx_array make_random(const int64_t *shape, int nd, mx_dtype t) {
    return random_array(shape, nd, t, D_ANY);
}

/* A channels-last operand (lead, spatial..., ch) in the given layout. */
static mx_array conv_operand(int64_t lead, const int64_t *spatial, int d, int64_t ch, mx_dtype t, layout l) {
    int64_t shape[5] = {0};
    int nd = d + 2;
    if (l == L_TRANSPOSED) { /* stored (lead, ch, spatial...), viewed channels-last */
        shape[0] = lead;
        shape[1] = ch;
        for (int j = 0; j < d; j++)
            shape[2 + j] = spatial[j];
        mx_array base = make_random(shape, nd, t);
        int axes[5] = {0};
        for (int j = 0; j < d; j++)
            axes[1 + j] = 2 + j;
        axes[d + 1] = 1;
        mx_array v = mx_transpose(base, axes, nd);
        mx_free(base);
        return v;
    }
    shape[0] = lead;
    for (int j = 0; j < d; j++)
        shape[1 + j] = spatial[j];
    shape[d + 1] = l == L_SLICED ? 2 * ch : ch;
    mx_array base = make_random(shape, nd, t);
    if (l != L_SLICED)
        return base;
    int64_t start[5] = {0}, stop[5], step[5];
    for (int j = 0; j < nd; j++) {
        stop[j] = shape[j];
        step[j] = 1;
    }
    start[d + 1] = 1;
    step[d + 1] = 2;
    mx_array v = mx_slice(base, start, stop, step, nd);
    mx_free(base);
    return v;
}

/* CMLX_CONV_DIAG=1: print, per case, the relative norm of CPU - exact and
 * GPU - exact, exact being the same conv in float64 of the same (rounded)
 * operands: which side carries an error, and how far each is from the
 * single rounding the tolerances assume. */
static bool g_diag;

static double rel_norm(mx_array ref, mx_array got) {
    mx_set_default_device(mx_cpu_device());
    mx_array r = mx_astype(ref, MX_FLOAT64), g = mx_astype(got, MX_FLOAT64);
    if (mx_eval1(r) != MX_OK || mx_eval1(g) != MX_OK || mx_size(r) != mx_size(g)) {
        mx_free(r), mx_free(g);
        return -1;
    }
    const double *a = mx_data(r), *b = mx_data(g);
    double d2 = 0, r2 = 0;
    for (int64_t i = 0; i < mx_size(r); i++) {
        d2 += (a[i] - b[i]) * (a[i] - b[i]);
        r2 += a[i] * a[i];
    }
    mx_free(r), mx_free(g);
    return sqrt(d2 / (r2 + 1e-300));
}

static void diag_line(const char *what, mx_array exact, mx_array cpu, mx_array gpu) {
    printf("DIAG %-64s cpu-exact %.3e gpu-exact %.3e gpu-cpu %.3e\n", what, rel_norm(exact, cpu), rel_norm(exact, gpu),
           rel_norm(cpu, gpu));
}

/* Relative norm of the difference per index of axis 1 (the first spatial dim). */
static void diag_rows(mx_array exact, mx_array got) {
    mx_set_default_device(mx_cpu_device());
    mx_array r = mx_astype(exact, MX_FLOAT64), g = mx_astype(got, MX_FLOAT64);
    mx_eval1(r), mx_eval1(g);
    const double *a = mx_data(r), *b = mx_data(g);
    const int64_t *sh = mx_shape(r);
    int64_t rows = sh[1], inner = mx_size(r) / (sh[0] * rows);
    printf("DIAG   per row:");
    for (int64_t row = 0; row < rows; row++) {
        double d2 = 0, r2 = 0;
        for (int64_t n = 0; n < sh[0]; n++)
            for (int64_t i = 0; i < inner; i++) {
                int64_t k = (n * rows + row) * inner + i;
                d2 += (a[k] - b[k]) * (a[k] - b[k]);
                r2 += a[k] * a[k];
            }
        printf(" %.1e", sqrt(d2 / (r2 + 1e-300)));
    }
    printf("\n");
    mx_free(r), mx_free(g);
}

static mx_array run_conv(const conv_case *c, mx_array x, mx_array w) {
    return mx_conv_general(x, w, c->stride, c->d, c->lo, c->d, c->hi, c->d, c->kdil, c->d, c->idil, c->d, c->groups,
                           c->flip);
}

static mx_status conv_fn(void *payload, const mx_array *in, int n_in, mx_array_list *out) {
    (void)n_in;
    return mx_array_list_push(out, run_conv(payload, in[0], in[1]));
}

/* The forward result, and with `grads` the two gradients through mx_vjp for a random cotangent. */
static void run_case(const conv_case *c, mx_dtype t, layout l, bool grads) {
    on(MX_CPU);
    mx_array x = conv_operand(c->n, c->s, c->d, c->cin, t, l);
    mx_array w = conv_operand(c->cout, c->k, c->d, c->cin / c->groups, t, l);
    char what[160];
    snprintf(what, sizeof what, "conv %s %s %s", c->name, mx_dtype_name(t), layout_name(l));
    mx_array y_cpu = run_conv(c, x, w);
    on(MX_GPU);
    mx_array y_gpu = run_conv(c, x, w);
    compare(what, y_cpu, y_gpu, conv_tolerance(t), true);
    if (g_diag && t != MX_FLOAT64) {
        on(MX_CPU);
        mx_array x64 = mx_astype(x, MX_FLOAT64), w64 = mx_astype(w, MX_FLOAT64);
        mx_array exact = run_conv(c, x64, w64);
        diag_line(what, exact, y_cpu, y_gpu);
        mx_free(exact), mx_free(x64), mx_free(w64);
    }
    if (grads && mx_array_status(y_cpu) == MX_OK) {
        on(MX_CPU);
        int64_t yshape[5];
        for (int i = 0; i < mx_ndim(y_cpu); i++)
            yshape[i] = mx_shape(y_cpu)[i];
        mx_array cot = random_array(yshape, mx_ndim(y_cpu), t, D_ANY);
        mx_closure f = mx_closure_new(conv_fn, (void *)c, NULL);
        mx_array prim[2] = {x, w};
        mx_array_list outs[2] = {{0}}, vjps[2] = {{0}};
        for (int dev = 0; dev < 2; dev++) {
            on(dev == 0 ? MX_CPU : MX_GPU);
            if (mx_vjp(f, prim, 2, &cot, 1, &outs[dev], &vjps[dev]) != MX_OK)
                printf("note: vjp failed on %s: %s\n", dev ? "gpu" : "cpu", mx_last_error());
        }
        mx_array_list exact_out = {0}, exact = {0};
        if (g_diag && t != MX_FLOAT64) {
            on(MX_CPU);
            mx_array p64[2] = {mx_astype(x, MX_FLOAT64), mx_astype(w, MX_FLOAT64)}, cot64 = mx_astype(cot, MX_FLOAT64);
            mx_vjp(f, p64, 2, &cot64, 1, &exact_out, &exact);
            mx_free(p64[0]), mx_free(p64[1]), mx_free(cot64);
        }
        for (int i = 0; i < 2; i++) {
            snprintf(what, sizeof what, "conv %s %s %s d/d%s", c->name, mx_dtype_name(t), layout_name(l),
                     i == 0 ? "x" : "w");
            if (vjps[0].count == 2 && vjps[1].count == 2) {
                compare(what, vjps[0].items[i], vjps[1].items[i], conv_tolerance(t), true);
                if (exact.count == 2)
                    diag_line(what, exact.items[i], vjps[0].items[i], vjps[1].items[i]);
            } else {
                g_cases++;
                g_failures++;
                printf("FAIL %-48s vjp produced no gradients\n", what);
            }
        }
        mx_array_list_clear(&exact_out);
        mx_array_list_clear(&exact);
        for (int dev = 0; dev < 2; dev++) {
            mx_array_list_clear(&outs[dev]);
            mx_array_list_clear(&vjps[dev]);
        }
        mx_closure_free(f);
        mx_free(cot);
    }
    on(MX_CPU);
    mx_free(y_cpu), mx_free(y_gpu), mx_free(x), mx_free(w);
}

/* MLX's conv_transpose{1,2}d (input dilation = stride, flipped kernel) and the
 * public conv1d/conv2d/conv3d wrappers. */
static void run_public(mx_dtype t) {
    char what[128];
    on(MX_CPU);
    int64_t xs[4] = {2, 7, 9, 8}, ws[4] = {6, 3, 3, 8};
    mx_array x = random_array(xs, 4, t, D_ANY), w = random_array(ws, 4, t, D_ANY);
    const int st[2] = {2, 2}, pad[2] = {1, 1}, dil[2] = {1, 1}, opad[2] = {1, 0};
    for (int dev = 0; dev < 1; dev++) {
        mx_array c = mx_conv_transpose2d(x, w, st, pad, dil, opad, 1);
        on(MX_GPU);
        mx_array g = mx_conv_transpose2d(x, w, st, pad, dil, opad, 1);
        snprintf(what, sizeof what, "conv_transpose2d s2 p1 op(1,0) %s", mx_dtype_name(t));
        compare(what, c, g, conv_tolerance(t), true);
        if (g_diag && t != MX_FLOAT64) {
            on(MX_CPU);
            mx_array x64 = mx_astype(x, MX_FLOAT64), w64 = mx_astype(w, MX_FLOAT64);
            mx_array e = mx_conv_transpose2d(x64, w64, st, pad, dil, opad, 1);
            diag_line(what, e, c, g);
            diag_rows(e, g);
            mx_free(e), mx_free(x64), mx_free(w64);
        }
        mx_free(c), mx_free(g);
        on(MX_CPU);
        c = mx_conv2d(x, w, st, pad, dil, 1);
        on(MX_GPU);
        g = mx_conv2d(x, w, st, pad, dil, 1);
        snprintf(what, sizeof what, "conv2d s2 p1 %s", mx_dtype_name(t));
        compare(what, c, g, conv_tolerance(t), true);
        mx_free(c), mx_free(g);
    }
    mx_free(x), mx_free(w);
    int64_t x1[3] = {3, 15, 4}, w1[3] = {5, 3, 4};
    on(MX_CPU);
    x = random_array(x1, 3, t, D_ANY);
    w = random_array(w1, 3, t, D_ANY);
    mx_array c = mx_conv_transpose1d(x, w, 3, 1, 2, 2, 1);
    on(MX_GPU);
    mx_array g = mx_conv_transpose1d(x, w, 3, 1, 2, 2, 1);
    snprintf(what, sizeof what, "conv_transpose1d s3 p1 d2 op2 %s", mx_dtype_name(t));
    compare(what, c, g, conv_tolerance(t), true);
    if (g_diag && t != MX_FLOAT64) {
        on(MX_CPU);
        mx_array x64 = mx_astype(x, MX_FLOAT64), w64 = mx_astype(w, MX_FLOAT64);
        mx_array e = mx_conv_transpose1d(x64, w64, 3, 1, 2, 2, 1);
        diag_line(what, e, c, g);
        mx_free(e), mx_free(x64), mx_free(w64);
    }
    mx_free(c), mx_free(g), mx_free(x), mx_free(w);
    on(MX_CPU);
}

int main(void) {
    if (parity_skip("test_cuda_conv"))
        return 0;
    printf("test_cuda_conv on %s\n", mx_device_name(mx_gpu_device()));
    const char *diag = getenv("CMLX_CONV_DIAG");
    g_diag = diag && *diag && strcmp(diag, "0") != 0;
    for (int i = 0; i < COUNT(k_cases); i++)
        for (int t = 0; t < COUNT(k_types); t++)
            for (int l = 0; l < L_COUNT; l++)
                run_case(&k_cases[i], k_types[t], (layout)l, l == L_CONTIG || (l == L_SLICED && t == 0));
    for (int t = 0; t < COUNT(k_types); t++)
        run_public(k_types[t]);
    printf("test_cuda_conv: %d cases, %d failures\n", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
