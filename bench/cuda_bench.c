/* bench/cuda_bench.c - the CUDA backend's bandwidth and GEMM numbers.
 * Prints one line per workload: median time over 10 runs (after 3 warm-up
 * runs; each run is one mx_eval, which waits for the GPU), GB/s for the
 * memory-bound ops (bytes read + written once) and TFLOP/s for matmul.
 * bench/cuda_torch.py times the same workloads in PyTorch. Run on the GPU
 * machine: ./build/bench/cuda_bench */
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

/* ---- indexing and scans (src/backend/cuda/indexing.cu) ---- */

static mx_array g_ids; /* the index array of the indexing workloads */
static mx_array w_take_rows(mx_array a, mx_array b) { return (void)b, mx_take(a, g_ids, 0); }
static mx_array w_scatter_add_rows(mx_array a, mx_array b) { return mx_scatter_add(a, &g_ids, 1, b, (int[]){0}, 1); }
static mx_array w_cumsum_rows(mx_array a, mx_array b) {
    return (void)b, mx_cumsum_axis(a, 1, false, true, MX_DTYPE_COUNT);
}
static mx_array w_sort_rows(mx_array a, mx_array b) { return (void)b, mx_sort_axis(a, 1); }
static mx_array w_argsort_rows(mx_array a, mx_array b) { return (void)b, mx_argsort_axis(a, 1); }
static mx_array w_cumsum_cols(mx_array a, mx_array b) {
    return (void)b, mx_cumsum_axis(a, 0, false, true, MX_DTYPE_COUNT);
}

/* embedding lookup and its gradient: a (50000, 1024) table, 65536 ids;
 * take moves 2 x the output's bytes, scatter_add reads the updates and
 * copies the table (read + write). */
static void indexing_benchmarks(void) {
    const int64_t vocab = 50000, dim = 1024, nids = 65536;
    int32_t *ids = malloc(sizeof(int32_t) * (size_t)nids);
    uint64_t state = 12345;
    for (int64_t i = 0; i < nids; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        ids[i] = (int32_t)((state >> 33) % (uint64_t)vocab);
    }
    g_ids = mx_array_from_data(ids, (int64_t[]){nids}, 1, MX_INT32);
    free(ids);
    for (int k = 0; k < 2; k++) {
        mx_dtype t = k ? MX_BFLOAT16 : MX_FLOAT32;
        mx_array table = gpu_random((int64_t[]){vocab, dim}, 2, t);
        double s = time_it(w_take_rows, table, table);
        double out_bytes = (double)nids * dim * (double)mx_itemsize(table);
        printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", "take rows (50000,1024)[65536]", mx_dtype_name(t), s * 1e3,
               2 * out_bytes / s / 1e9);
        mx_array upd = gpu_random((int64_t[]){nids, 1, dim}, 3, t);
        s = time_it(w_scatter_add_rows, table, upd);
        printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", "scatter_add rows (65536,1,1024)", mx_dtype_name(t), s * 1e3,
               (out_bytes + 2.0 * (double)mx_nbytes(table)) / s / 1e9);
        mx_free(table), mx_free(upd);
    }
    mx_free(g_ids);
    int64_t rows[2] = {16384, 4096};
    bandwidth("cumsum rows (16384, 4096)", w_cumsum_rows, rows, 2, MX_FLOAT32, 1, 1, false);
    bandwidth("cumsum columns (16384, 4096)", w_cumsum_cols, rows, 2, MX_FLOAT32, 1, 1, false);
    int64_t sort_shape[2] = {1024, 4096};
    bandwidth("sort rows (1024, 4096)", w_sort_rows, sort_shape, 2, MX_FLOAT32, 1, 1, false);
    bandwidth("argsort rows (1024, 4096)", w_argsort_rows, sort_shape, 2, MX_FLOAT32, 1, 1, false);
    int64_t long_rows[2] = {16, 1 << 20};
    bandwidth("sort rows (16, 1Mi)", w_sort_rows, long_rows, 2, MX_FLOAT32, 1, 1, false);
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
    indexing_benchmarks();
    /* per-op overhead: a small add, eval each time */
    int64_t small[1] = {1024};
    mx_array a = gpu_random(small, 1, MX_FLOAT32);
    double s = time_it(w_add, a, a);
    printf("%-34s %-9s %9.3f us per op (graph + launch + sync)\n", "add (1024,) eval each", "float32", s * 1e6);
    mx_free(a);
    return 0;
}
