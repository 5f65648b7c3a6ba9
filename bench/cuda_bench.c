/* bench/cuda_bench.c - the CUDA backend's bandwidth and GEMM numbers.
 * Prints one line per workload: median time over 10 runs (after 3 warm-up
 * runs; each run is one mx_eval, which waits for the GPU), GB/s for the
 * memory-bound ops (bytes read + written once) and TFLOP/s for matmul.
 * bench/cuda_torch.py times the same workloads in PyTorch. Run on the GPU
 * machine: ./build/bench/cuda_bench */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmlx/cmlx.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef mx_array (*workload)(mx_array a, mx_array b);

static mx_array w_add(mx_array a, mx_array b) { return mx_add(a, b); }
static mx_array w_exp(mx_array a, mx_array b) { return (void)b, mx_exp(a); }
static mx_array w_copy(mx_array a, mx_array b) { return (void)b, mx_copy(a); }
static mx_array w_softmax(mx_array a, mx_array b) { return (void)b, mx_softmax_axis(a, -1, false); }
static mx_array w_sum(mx_array a, mx_array b) { return (void)b, mx_sum(a, false); }
static mx_array w_sum_rows(mx_array a, mx_array b) { return (void)b, mx_sum_axis(a, -1, false); }
static mx_array w_sum_cols(mx_array a, mx_array b) { return (void)b, mx_sum_axis(a, 0, false); }
static mx_array w_matmul(mx_array a, mx_array b) { return mx_matmul(a, b); }
static mx_array w_var_rows(mx_array a, mx_array b) { return (void)b, mx_var_axis(a, -1, false, 0); }
static mx_array w_lse_rows(mx_array a, mx_array b) { return (void)b, mx_logsumexp_axis(a, -1, false); }

/* weight and bias of the normalisation workloads ((L,) in the input's dtype) */
static mx_array g_weight, g_bias;
static mx_array w_layer_norm(mx_array a, mx_array b) { return (void)b, mx_fast_layer_norm(a, g_weight, g_bias, 1e-5); }
static mx_array w_rms_norm(mx_array a, mx_array b) { return (void)b, mx_fast_rms_norm(a, g_weight, 1e-5); }
static mx_array w_rope(mx_array a, mx_array b) {
    return (void)b, mx_fast_rope(a, 128, false, 10000.0, 1.0, 0, MX_NULL_ARRAY);
}

/* d/dx, d/dw, d/db of sum(layer_norm(x, w, b) * ct): the VJP composition */
static mx_status ln_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    return mx_array_list_push(out, mx_fast_layer_norm(in[0], in[1], in[2], 1e-5));
}
static mx_array w_layer_norm_vjp(mx_array a, mx_array ct) {
    mx_closure f = mx_closure_new(ln_fn, NULL, NULL);
    mx_array prim[3] = {a, g_weight, g_bias};
    mx_array_list outs = {0}, grads = {0};
    mx_vjp(f, prim, 3, &ct, 1, &outs, &grads);
    mx_closure_free(f);
    mx_array dx = mx_retain(grads.items[0]);
    mx_eval(grads.items, grads.count); /* dw and db with dx (time_it evaluates dx again: a no-op) */
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    return dx;
}

static mx_array gpu_random(const int64_t *shape, int ndim, mx_dtype t) {
    mx_array k = mx_random_key(7);
    mx_array r = mx_random_normal(shape, ndim, MX_FLOAT32, 0.0, 1.0, k);
    mx_array x = mx_astype(r, t);
    mx_eval1(x);
    mx_free(k), mx_free(r);
    return x;
}

static double time_it(workload f, mx_array a, mx_array b) {
    double t[10];
    for (int i = 0; i < 13; i++) {
        double t0 = now();
        mx_array y = f(a, b);
        mx_eval1(y);
        double t1 = now();
        mx_free(y);
        if (i >= 3)
            t[i - 3] = t1 - t0;
    }
    qsort(t, 10, sizeof t[0], cmp_double);
    return (t[4] + t[5]) / 2;
}

static void bandwidth(const char *name, workload f, const int64_t *shape, int nd, mx_dtype t, int reads, int writes,
                      bool two) {
    mx_array a = gpu_random(shape, nd, t), b = two ? gpu_random(shape, nd, t) : a;
    double s = time_it(f, a, b);
    double bytes = (double)mx_nbytes(a) * reads + (double)mx_nbytes(a) * writes;
    printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", name, mx_dtype_name(t), s * 1e3, bytes / s / 1e9);
    mx_free(a);
    if (two)
        mx_free(b);
}

static void reduction(const char *name, workload f, const int64_t *shape, int nd, mx_dtype t) {
    mx_array a = gpu_random(shape, nd, t);
    double s = time_it(f, a, a);
    printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", name, mx_dtype_name(t), s * 1e3, (double)mx_nbytes(a) / s / 1e9);
    mx_free(a);
}

static void gemm(int64_t n, mx_dtype t, bool tf32) {
    int64_t shape[2] = {n, n};
    mx_array a = gpu_random(shape, 2, t), b = gpu_random(shape, 2, t);
    mx_gpu_set_tf32(tf32);
    double s = time_it(w_matmul, a, b);
    mx_gpu_set_tf32(false);
    char name[64];
    snprintf(name, sizeof name, "matmul %lldx%lldx%lld%s", (long long)n, (long long)n, (long long)n,
             tf32 ? " tf32" : "");
    printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n", name, mx_dtype_name(t), s * 1e3, 2.0 * n * n * n / s / 1e12);
    mx_free(a), mx_free(b);
}

/* ---- scaled_dot_product_attention (4, 16, 2048, 128) ------------------------------------------------------
 * FLOPs as FlashAttention counts them: forward 4 B H Tq Tk D (halved when
 * causal), backward 2.5 times the forward; "fwd+bwd" is one mx_vjp (the
 * forward and the three gradients) evaluated. */

typedef struct attention {
    const char *mode;
} attention;

static mx_status attention_apply(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    const attention *a = payload;
    mx_array y = mx_fast_scaled_dot_product_attention(in[0], in[1], in[2], 1.0 / sqrt((double)mx_shape(in[0])[3]),
                                                      a->mode, MX_NULL_ARRAY, MX_NULL_ARRAY);
    return mx_array_list_push(out, y);
}

static double time_attention(mx_array q, mx_array k, mx_array v, mx_array cot, const char *mode, bool backward) {
    attention a = {mode};
    mx_closure c = mx_closure_new(attention_apply, &a, NULL);
    double t[10];
    for (int i = 0; i < 13; i++) {
        double t0 = now();
        if (backward) {
            mx_array_list outs = {0}, vjps = {0};
            mx_array prim[3] = {q, k, v};
            mx_vjp(c, prim, 3, &cot, 1, &outs, &vjps);
            mx_array all[4] = {outs.items[0], vjps.items[0], vjps.items[1], vjps.items[2]};
            mx_eval(all, 4);
            mx_array_list_clear(&outs);
            mx_array_list_clear(&vjps);
        } else {
            mx_array y =
                mx_fast_scaled_dot_product_attention(q, k, v, 1.0 / sqrt(128.0), mode, MX_NULL_ARRAY, MX_NULL_ARRAY);
            mx_eval1(y);
            mx_free(y);
        }
        double t1 = now();
        if (i >= 3)
            t[i - 3] = t1 - t0;
    }
    mx_closure_free(c);
    qsort(t, 10, sizeof t[0], cmp_double);
    return (t[4] + t[5]) / 2;
}

static void attention_bench(mx_dtype t) {
    int64_t shape[4] = {4, 16, 2048, 128};
    mx_array q = gpu_random(shape, 4, t), k = gpu_random(shape, 4, t), v = gpu_random(shape, 4, t);
    mx_array cot = gpu_random(shape, 4, t);
    double flops = 4.0 * 4 * 16 * 2048.0 * 2048.0 * 128;
    for (int causal = 0; causal < 2; causal++) {
        const char *mode = causal ? "causal" : "";
        double f = causal ? flops / 2 : flops;
        double s = time_attention(q, k, v, cot, mode, false);
        printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n",
               causal ? "sdpa (4,16,2048,128) causal fwd" : "sdpa (4,16,2048,128) fwd", mx_dtype_name(t), s * 1e3,
               f / s / 1e12);
        s = time_attention(q, k, v, cot, mode, true);
        printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n",
               causal ? "sdpa (4,16,2048,128) causal fwd+bwd" : "sdpa (4,16,2048,128) fwd+bwd", mx_dtype_name(t),
               s * 1e3, 3.5 * f / s / 1e12);
    }
    mx_free(q), mx_free(k), mx_free(v), mx_free(cot);
}

int main(void) {
    if (mx_set_default_device(mx_gpu_device()) != MX_OK) {
        printf("SKIP cuda_bench: %s\n", mx_last_error());
        return 0;
    }
    printf("cmlx CUDA benchmarks on %s\n", mx_device_name(mx_gpu_device()));
    int64_t big[1] = {1 << 26}; /* 64 Mi elements */
    bandwidth("copy (contiguous)", w_copy, big, 1, MX_FLOAT32, 1, 1, false);
    bandwidth("add", w_add, big, 1, MX_FLOAT32, 2, 1, true);
    bandwidth("add", w_add, big, 1, MX_BFLOAT16, 2, 1, true);
    bandwidth("exp", w_exp, big, 1, MX_FLOAT32, 1, 1, false);
    int64_t rows[2] = {16384, 4096};
    bandwidth("softmax (16384, 4096) last axis", w_softmax, rows, 2, MX_FLOAT32, 1, 1, false);
    bandwidth("softmax (16384, 4096) last axis", w_softmax, rows, 2, MX_BFLOAT16, 1, 1, false);
    reduction("sum all (64Mi)", w_sum, big, 1, MX_FLOAT32);
    reduction("sum rows (16384, 4096)", w_sum_rows, rows, 2, MX_FLOAT32);
    reduction("sum columns (16384, 4096)", w_sum_cols, rows, 2, MX_FLOAT32);
    reduction("sum rows (16384, 4096)", w_sum_rows, rows, 2, MX_BFLOAT16);
    reduction("var rows (16384, 4096)", w_var_rows, rows, 2, MX_FLOAT32);
    reduction("logsumexp rows (16384, 4096)", w_lse_rows, rows, 2, MX_FLOAT32);
    int64_t len[1] = {4096};
    for (int k = 0; k < 2; k++) {
        mx_dtype t = k ? MX_BFLOAT16 : MX_FLOAT32;
        g_weight = gpu_random(len, 1, t), g_bias = gpu_random(len, 1, t);
        bandwidth("layer_norm (16384, 4096) w b", w_layer_norm, rows, 2, t, 1, 1, false);
        bandwidth("rms_norm (16384, 4096) w", w_rms_norm, rows, 2, t, 1, 1, false);
        /* x and the cotangent read, dx written (dw, db small) */
        bandwidth("layer_norm vjp (16384, 4096)", w_layer_norm_vjp, rows, 2, t, 2, 1, true);
        mx_free(g_weight), mx_free(g_bias);
    }
    int64_t heads[4] = {4, 32, 2048, 128};
    bandwidth("rope (4, 32, 2048, 128) dims 128", w_rope, heads, 4, MX_FLOAT32, 1, 1, false);
    bandwidth("rope (4, 32, 2048, 128) dims 128", w_rope, heads, 4, MX_BFLOAT16, 1, 1, false);
    gemm(8192, MX_BFLOAT16, false);
    gemm(8192, MX_FLOAT16, false);
    gemm(8192, MX_FLOAT32, true);
    gemm(4096, MX_FLOAT32, false);
    attention_bench(MX_BFLOAT16);
    /* per-op overhead: a small add, eval each time */
    int64_t small[1] = {1024};
    mx_array a = gpu_random(small, 1, MX_FLOAT32);
    double s = time_it(w_add, a, a);
    printf("%-34s %-9s %9.3f us per op (graph + launch + sync)\n", "add (1024,) eval each", "float32", s * 1e6);
    mx_free(a);
    return 0;
}
