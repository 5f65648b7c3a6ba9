/* bench/cuda_bench.c - the CUDA backend's bandwidth and GEMM numbers.
 * Prints one line per workload: median time over 10 runs (after 3 warm-up
 * runs; each run is one mx_eval, which waits for the GPU), GB/s for the
 * memory-bound ops (bytes read + written once) and TFLOP/s for matmul.
 * bench/cuda_torch.py times the same workloads in PyTorch. Run on the GPU
 * machine: ./build/bench/cuda_bench */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmlx/cmlx.h"

#define COUNT_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

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

/* d/dx, d/dw of sum(rms_norm(x, w) * ct): the fused backward pass */
static mx_status rms_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    return mx_array_list_push(out, mx_fast_rms_norm(in[0], in[1], 1e-5));
}
static mx_array w_rms_norm_vjp(mx_array a, mx_array ct) {
    mx_closure f = mx_closure_new(rms_fn, NULL, NULL);
    mx_array prim[2] = {a, g_weight};
    mx_array_list outs = {0}, grads = {0};
    mx_vjp(f, prim, 2, &ct, 1, &outs, &grads);
    mx_closure_free(f);
    mx_array dx = mx_retain(grads.items[0]);
    mx_eval(grads.items, grads.count);
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

/* ---- conv (cuDNN), addmm (cuBLASLt epilogue), launch overhead ------------------------------------------ */

static int g_conv_stride, g_conv_pad;
static mx_array w_conv2d(mx_array x, mx_array w) {
    const int st[2] = {g_conv_stride, g_conv_stride}, pad[2] = {g_conv_pad, g_conv_pad};
    return mx_conv2d(x, w, st, pad, NULL, 1);
}

static mx_status conv_fn(void *payload, const mx_array *in, int n_in, mx_array_list *out) {
    (void)payload, (void)n_in;
    return mx_array_list_push(out, w_conv2d(in[0], in[1]));
}

/* conv2d forward (and with `backward` the two gradients of one mx_vjp, eval'd together). */
static void conv2d(const char *name, int64_t n, int64_t hw, int64_t cin, int64_t cout, int64_t k, int stride, int pad,
                   mx_dtype t, bool backward) {
    int64_t xs[4] = {n, hw, hw, cin}, ws[4] = {cout, k, k, cin};
    mx_array x = gpu_random(xs, 4, t), w = gpu_random(ws, 4, t);
    g_conv_stride = stride, g_conv_pad = pad;
    int64_t o = (hw + 2 * pad - k) / stride + 1;
    double flops = 2.0 * n * o * o * cout * k * k * cin;
    double s = time_it(w_conv2d, x, w);
    printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n", name, mx_dtype_name(t), s * 1e3, flops / s / 1e12);
    if (backward) {
        int64_t ys[4] = {n, o, o, cout};
        mx_array cot = gpu_random(ys, 4, t);
        mx_closure f = mx_closure_new(conv_fn, NULL, NULL);
        double ts[10];
        for (int i = 0; i < 13; i++) {
            double t0 = now();
            mx_array prim[2] = {x, w};
            mx_array_list outs = {0}, vjps = {0};
            mx_vjp(f, prim, 2, &cot, 1, &outs, &vjps);
            if (vjps.count == 2)
                mx_eval(vjps.items, 2);
            double t1 = now();
            mx_array_list_clear(&outs);
            mx_array_list_clear(&vjps);
            if (i >= 3)
                ts[i - 3] = t1 - t0;
        }
        qsort(ts, 10, sizeof ts[0], cmp_double);
        double sb = (ts[4] + ts[5]) / 2;
        char bname[96];
        snprintf(bname, sizeof bname, "%s dx+dw", name);
        printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n", bname, mx_dtype_name(t), sb * 1e3, 2 * flops / sb / 1e12);
        mx_closure_free(f);
        mx_free(cot);
    }
    mx_free(x), mx_free(w);
}

static mx_array g_bias;
static mx_array w_addmm(mx_array a, mx_array b) { return mx_addmm(g_bias, a, b, 1.0, 1.0); }
static mx_array w_matmul_add(mx_array a, mx_array b) {
    mx_array p = mx_matmul(a, b), y = mx_add(p, g_bias);
    mx_free(p);
    return y;
}

static void addmm(int64_t m, int64_t k, int64_t n, mx_dtype t) {
    int64_t as[2] = {m, k}, bs[2] = {k, n}, cs[1] = {n};
    mx_array a = gpu_random(as, 2, t), b = gpu_random(bs, 2, t);
    g_bias = gpu_random(cs, 1, t);
    double fused = time_it(w_addmm, a, b), unfused = time_it(w_matmul_add, a, b);
    char name[96];
    snprintf(name, sizeof name, "addmm bias %lldx%lldx%lld", (long long)m, (long long)k, (long long)n);
    printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s (matmul + add: %.3f ms)\n", name, mx_dtype_name(t), fused * 1e3,
           2.0 * m * n * k / fused / 1e12, unfused * 1e3);
    mx_free(a), mx_free(b), mx_free(g_bias);
}

/* 100 dependent element-wise ops on (1024,) in one eval: the per-op launch cost. */
static mx_array w_chain(mx_array a, mx_array b) {
    mx_array y = mx_copy(a);
    for (int i = 0; i < 100; i++) {
        mx_array z = i % 2 ? mx_multiply(y, b) : mx_add(y, b);
        mx_free(y);
        y = z;
    }
    return y;
}

/* A 3-layer MLP forward (batch 64, 512 -> 2048 -> 2048 -> 512, float32, ReLU). */
static mx_array g_mlp[6], g_zero;
static mx_array w_mlp(mx_array x, mx_array unused) {
    (void)unused;
    mx_array h = mx_copy(x);
    for (int l = 0; l < 3; l++) {
        mx_array z = mx_addmm(g_mlp[2 * l + 1], h, g_mlp[2 * l], 1.0, 1.0);
        mx_free(h);
        if (l < 2) {
            h = mx_maximum(z, g_zero);
            mx_free(z);
        } else {
            h = z;
        }
    }
    return h;
}

/* One MLP training step: loss and gradients by mx_value_and_grad, SGD on the
 * six parameters, everything evaluated by one mx_eval (as a training loop). */
static mx_array g_xy[2];
static mx_status mlp_loss(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload, (void)n;
    mx_array h = mx_copy(g_xy[0]);
    for (int l = 0; l < 3; l++) {
        mx_array z = mx_addmm(in[2 * l + 1], h, in[2 * l], 1.0, 1.0);
        mx_free(h);
        if (l < 2) {
            h = mx_maximum(z, g_zero);
            mx_free(z);
        } else {
            h = z;
        }
    }
    mx_array d = mx_subtract(h, g_xy[1]), sq = mx_square(d), loss = mx_mean(sq, false);
    mx_free(h), mx_free(d), mx_free(sq);
    return mx_array_list_push(out, loss);
}

static double time_train_step(void) {
    int argnums[6] = {0, 1, 2, 3, 4, 5};
    mx_closure f = mx_closure_new(mlp_loss, NULL, NULL), vg = mx_value_and_grad(f, argnums, 6);
    mx_array lr = mx_scalar_f32(1e-3f);
    double t[10];
    for (int i = 0; i < 13; i++) {
        double t0 = now();
        mx_array_list res = {0};
        mx_closure_apply(vg, g_mlp, 6, &res);
        mx_array next[7];
        for (int k = 0; k < 6; k++) {
            mx_array step = mx_multiply(lr, res.items[1 + k]);
            next[k] = mx_subtract(g_mlp[k], step);
            mx_free(step);
        }
        next[6] = mx_retain(res.items[0]);
        mx_eval(next, 7);
        double t1 = now();
        for (int k = 0; k < 6; k++) {
            mx_free(g_mlp[k]);
            g_mlp[k] = next[k];
        }
        mx_free(next[6]);
        mx_array_list_clear(&res);
        if (i >= 3)
            t[i - 3] = t1 - t0;
    }
    mx_free(lr);
    mx_closure_free(vg);
    mx_closure_free(f);
    qsort(t, 10, sizeof t[0], cmp_double);
    return (t[4] + t[5]) / 2;
}

/* Launch overhead, with CUDA graphs off and on (src/backend/cuda/graph.c). */
static void launch_overhead(void) {
    static const char *mode[2] = {"graphs off", "graphs on"};
    int64_t small[1] = {1024};
    mx_array a = gpu_random(small, 1, MX_FLOAT32), b = gpu_random(small, 1, MX_FLOAT32);
    for (int g = 0; g < 2; g++) {
        mx_gpu_set_graphs(g);
        double s = time_it(w_chain, a, b);
        printf("%-34s %-9s %9.3f us per eval (%.2f us per op), %s\n", "chain of 100 ops (1024,)", "float32", s * 1e6,
               s * 1e4, mode[g]);
    }
    mx_free(a), mx_free(b);
    int64_t dims[4] = {512, 2048, 2048, 512};
    for (int l = 0; l < 3; l++) {
        int64_t ws[2] = {dims[l], dims[l + 1]}, bs[1] = {dims[l + 1]};
        g_mlp[2 * l] = gpu_random(ws, 2, MX_FLOAT32);
        g_mlp[2 * l + 1] = gpu_random(bs, 1, MX_FLOAT32);
    }
    g_zero = mx_zeros((int64_t[]){1}, 1, MX_FLOAT32);
    int64_t xs[2] = {64, 512}, ys[2] = {64, 512};
    mx_array x = gpu_random(xs, 2, MX_FLOAT32);
    for (int g = 0; g < 2; g++) {
        mx_gpu_set_graphs(g);
        double s = time_it(w_mlp, x, x);
        printf("%-34s %-9s %9.3f us per eval, %s\n", "MLP fwd 64x512-2048-2048-512", "float32", s * 1e6, mode[g]);
    }
    g_xy[0] = x;
    g_xy[1] = gpu_random(ys, 2, MX_FLOAT32);
    for (int g = 0; g < 2; g++) {
        mx_gpu_set_graphs(g);
        double s = time_train_step();
        printf("%-34s %-9s %9.3f us per step, %s\n", "MLP train step (fwd+bwd+SGD)", "float32", s * 1e6, mode[g]);
    }
    mx_gpu_set_graphs(true);
    mx_free(x), mx_free(g_xy[1]), mx_free(g_zero);
    for (int i = 0; i < 6; i++)
        mx_free(g_mlp[i]);
}

/* The conv rows alone: `cuda_bench conv` (bench/cuda_torch.py conv times the same in PyTorch). */
static void conv_benchmarks(void) {
    conv2d("conv2d N8 56x56x64->64 3x3", 8, 56, 64, 64, 3, 1, 1, MX_FLOAT32, false);
    conv2d("conv2d N8 56x56x64->64 3x3", 8, 56, 64, 64, 3, 1, 1, MX_FLOAT16, false);
    conv2d("conv2d N8 56x56x64->64 3x3", 8, 56, 64, 64, 3, 1, 1, MX_BFLOAT16, true);
    conv2d("r50 stem N32 224x224x3->64 7x7/2", 32, 224, 3, 64, 7, 2, 3, MX_BFLOAT16, false);
    conv2d("r50 res3 N32 28x28x128->128 3x3", 32, 28, 128, 128, 3, 1, 1, MX_BFLOAT16, true);
    conv2d("r50 res4 N32 28x28x256->256 3x3/2", 32, 28, 256, 256, 3, 2, 1, MX_BFLOAT16, true);
    conv2d("r50 res4 N32 14x14x1024->256 1x1", 32, 14, 1024, 256, 1, 1, 0, MX_BFLOAT16, true);
}

static void cudaconv_benchmarks(void) {
    conv_benchmarks();
    addmm(8192, 4096, 4096, MX_BFLOAT16);
    addmm(4096, 4096, 4096, MX_FLOAT32);
    addmm(64, 512, 2048, MX_FLOAT32);
    launch_overhead();
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

/* ---- partition / top-k, searchsorted, masked_scatter, pad, gather_mm (src/backend/cuda/select.cu) ---- */

static mx_array g_sel[4]; /* the extra operands of the select workloads */
static mx_array w_topk(mx_array a, mx_array b) { return (void)b, mx_topk_axis(a, 50, 1); }
static mx_array w_searchsorted(mx_array a, mx_array b) { return mx_searchsorted(b, a, false); }
static mx_array w_masked_scatter(mx_array a, mx_array b) { return mx_masked_scatter(a, g_sel[0], b); }
static mx_array w_pad(mx_array a, mx_array b) {
    return (void)b, mx_pad(a, (int[]){2, 3}, 2, (int64_t[]){1, 1}, (int64_t[]){1, 1}, g_sel[0], NULL);
}
static mx_array w_gather_mm(mx_array a, mx_array b) { return mx_gather_mm(a, b, g_sel[0], g_sel[1], false); }

static mx_array host_u32(int64_t n, uint32_t dim, bool sorted) {
    uint32_t *v = malloc(sizeof(uint32_t) * (size_t)n);
    uint64_t state = 777;
    for (int64_t i = 0; i < n; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = (uint32_t)((state >> 33) % dim);
    }
    if (sorted) { /* counting sort: experts in order */
        int64_t *count = calloc(dim, sizeof(int64_t)), k = 0;
        for (int64_t i = 0; i < n; i++)
            count[v[i]]++;
        for (uint32_t e = 0; e < dim; e++)
            for (int64_t c = 0; c < count[e]; c++)
                v[k++] = e;
        free(count);
    }
    mx_array a = mx_array_from_data(v, (int64_t[]){n}, 1, MX_UINT32);
    free(v);
    return a;
}

static void select_benchmarks(void) {
    /* top-k of sampling logits: reads the row once or more, writes the partitioned row */
    int64_t logits[2] = {4096, 32000};
    bandwidth("topk k=50 (4096, 32000)", w_topk, logits, 2, MX_FLOAT32, 1, 0, false);
    bandwidth("topk k=50 (4096, 32000)", w_topk, logits, 2, MX_BFLOAT16, 1, 0, false);
    /* 16Mi values in a sorted sequence of 1Mi: values read, uint32 written */
    mx_array seq0 = gpu_random((int64_t[]){1 << 20}, 1, MX_FLOAT32);
    mx_array seq = mx_sort(seq0);
    mx_eval1(seq);
    mx_array vals = gpu_random((int64_t[]){1 << 24}, 1, MX_FLOAT32);
    double s = time_it(w_searchsorted, vals, seq);
    printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", "searchsorted 16Mi in 1Mi", "float32", s * 1e3,
           2.0 * (double)mx_nbytes(vals) / s / 1e9);
    mx_free(seq0), mx_free(seq), mx_free(vals);
    /* x[mask] = src over (16384, 4096), half the mask true: x, mask read, out written, half of src read */
    int64_t rows[2] = {16384, 4096};
    mx_array x = gpu_random(rows, 2, MX_FLOAT32);
    mx_array r = gpu_random(rows, 2, MX_FLOAT32), zero = mx_scalar(0.0, MX_FLOAT32);
    g_sel[0] = mx_greater(r, zero);
    mx_eval1(g_sel[0]);
    mx_array src = gpu_random((int64_t[]){16384 * 4096}, 1, MX_FLOAT32);
    s = time_it(w_masked_scatter, x, src);
    printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", "masked_scatter (16384, 4096) 50%", "float32", s * 1e3,
           (2.5 * (double)mx_nbytes(x) + (double)mx_nbytes(g_sel[0])) / s / 1e9);
    mx_free(x), mx_free(r), mx_free(zero), mx_free(g_sel[0]), mx_free(src);
    /* pad H and W of (8, 64, 224, 224) by 1: read x, write out */
    g_sel[0] = mx_scalar(0.0, MX_FLOAT32);
    int64_t img[4] = {8, 64, 224, 224};
    bandwidth("pad (8,64,224,224) HW by 1", w_pad, img, 4, MX_FLOAT32, 1, 1, false);
    mx_free(g_sel[0]);
    /* MoE: 4096 tokens x top-2 through 64 experts (2048 -> 1408), bfloat16 */
    const int64_t tokens = 4096, topk = 2, experts = 64, k = 2048, n = 1408;
    mx_array xt = gpu_random((int64_t[]){tokens, 1, k}, 3, MX_BFLOAT16);
    mx_array w = gpu_random((int64_t[]){experts, k, n}, 3, MX_BFLOAT16);
    uint32_t *tok = malloc(sizeof(uint32_t) * (size_t)(tokens * topk));
    for (int64_t i = 0; i < tokens * topk; i++)
        tok[i] = (uint32_t)(i / topk);
    g_sel[0] = mx_array_from_data(tok, (int64_t[]){tokens * topk}, 1, MX_UINT32);
    free(tok);
    for (int sorted = 0; sorted < 2; sorted++) {
        g_sel[1] = host_u32(tokens * topk, (uint32_t)experts, sorted == 1);
        s = time_it(w_gather_mm, xt, w);
        printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n",
               sorted ? "gather_mm moe 8192x2048x1408 E64 s" : "gather_mm moe 8192x2048x1408 E64", "bfloat16", s * 1e3,
               2.0 * tokens * topk * k * n / s / 1e12);
        mx_free(g_sel[1]);
    }
    mx_free(g_sel[0]), mx_free(xt), mx_free(w);
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

/* The fused norm backward passes (dx, dw, db of one mx_vjp; x and the
 * cotangent read, dx written): (16384, 4096) and the GPT step's (16384, 384). */
static void norm_vjp_benchmarks(void) {
    for (int s = 0; s < 2; s++) {
        int64_t L = s ? 384 : 4096, rows[2] = {16384, L}, len[1] = {L};
        for (int k = 0; k < 2; k++) {
            mx_dtype t = k ? MX_BFLOAT16 : MX_FLOAT32;
            char ln[64], rms[64];
            snprintf(ln, sizeof ln, "layer_norm vjp (16384, %lld)", (long long)L);
            snprintf(rms, sizeof rms, "rms_norm vjp (16384, %lld)", (long long)L);
            g_weight = gpu_random(len, 1, t), g_bias = gpu_random(len, 1, t);
            bandwidth(ln, w_layer_norm_vjp, rows, 2, t, 2, 1, true);
            bandwidth(rms, w_rms_norm_vjp, rows, 2, t, 2, 1, true);
            mx_free(g_weight), mx_free(g_bias);
        }
    }
}

/* ---- complex64 and fft ------------------------------------------------------------------------------------ */

static mx_array w_multiply(mx_array a, mx_array b) { return mx_multiply(a, b); }
static mx_array w_fft_last(mx_array a, mx_array b) { return (void)b, mx_fft_fft(a, MX_FFT_DEFAULT, -1, NULL); }
static mx_array w_ifft_last(mx_array a, mx_array b) { return (void)b, mx_fft_ifft(a, MX_FFT_DEFAULT, -1, NULL); }
static mx_array w_rfft2(mx_array a, mx_array b) { return (void)b, mx_fft_rfft2(a, NULL, 0, NULL, 0, NULL); }
static mx_array w_irfft2(mx_array a, mx_array b) { return (void)b, mx_fft_irfft2(a, NULL, 0, NULL, 0, NULL); }

/* A complex64 array with random real and imaginary parts, on the GPU. */
static mx_array gpu_random_c64(const int64_t *shape, int ndim) {
    mx_array re = gpu_random(shape, ndim, MX_FLOAT32), im = gpu_random(shape, ndim, MX_FLOAT32);
    mx_array rc = mx_astype(re, MX_COMPLEX64), ic = mx_astype(im, MX_COMPLEX64);
    float unit[2] = {0.0f, 1.0f};
    mx_array j = mx_array_from_data(unit, (int64_t[]){1}, 0, MX_COMPLEX64);
    mx_array t = mx_multiply(ic, j), x = mx_add(rc, t);
    mx_eval1(x);
    mx_free_n((mx_array[]){re, im, rc, ic, j, t}, 6);
    return x;
}

/* fft GFLOP/s as FFT benchmarks count them: 5 N log2 N per complex transform of N points, half for real ones. */
static void fft_row(const char *name, workload f, mx_array x, double points, double batch, bool real, double bytes) {
    double s = time_it(f, x, x);
    double flops = (real ? 2.5 : 5.0) * points * log2(points) * batch;
    printf("%-34s %-9s %9.3f ms %8.1f GFLOP/s %8.1f GB/s\n", name, mx_dtype_name(mx_array_dtype(x)), s * 1e3,
           flops / s / 1e9, bytes / s / 1e9);
}

static void complex_benchmarks(void) {
    int64_t big[1] = {1 << 25}; /* 32 Mi complex64 elements: 256 MiB an array */
    mx_array a = gpu_random_c64(big, 1), b = gpu_random_c64(big, 1);
    double s = time_it(w_multiply, a, b);
    printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", "multiply (32Mi)", "complex64", s * 1e3, 3.0 * mx_nbytes(a) / s / 1e9);
    s = time_it(w_sum, a, a);
    printf("%-34s %-9s %9.3f ms %8.1f GB/s\n", "sum all (32Mi)", "complex64", s * 1e3, (double)mx_nbytes(a) / s / 1e9);
    mx_free(a), mx_free(b);
    int64_t mm[2] = {4096, 4096};
    a = gpu_random_c64(mm, 2), b = gpu_random_c64(mm, 2);
    s = time_it(w_matmul, a, b);
    printf("%-34s %-9s %9.3f ms %8.1f TFLOP/s\n", "matmul 4096x4096x4096", "complex64", s * 1e3,
           8.0 * 4096.0 * 4096.0 * 4096.0 / s / 1e12);
    mx_free(a), mx_free(b);
    int64_t batch[2] = {256, 4096};
    a = gpu_random_c64(batch, 2);
    fft_row("fft (256, 4096) last axis", w_fft_last, a, 4096, 256, false, 2.0 * mx_nbytes(a));
    fft_row("ifft (256, 4096) last axis", w_ifft_last, a, 4096, 256, false, 2.0 * mx_nbytes(a));
    mx_free(a);
    int64_t img[2] = {1024, 1024}, half[2] = {1024, 513};
    a = gpu_random(img, 2, MX_FLOAT32);
    fft_row("rfft2 (1024, 1024)", w_rfft2, a, 1024.0 * 1024.0, 1, true, mx_nbytes(a) + 1024.0 * 513 * 8);
    mx_free(a);
    a = gpu_random_c64(half, 2);
    fft_row("irfft2 (1024, 513) -> (1024, 1024)", w_irfft2, a, 1024.0 * 1024.0, 1, true,
            mx_nbytes(a) + 1024.0 * 1024 * 4);
    mx_free(a);
}

/* ---- quantized ops (quantized.cu) ---------------------------------------------------------------------------- */
/* Each timed run evaluates one op on each of `copies` different weights in one mx_eval (copies cover >= 256 MB,
 * so the weights come from HBM, not the 50 MB L2); the time per op is the run's median over copies. */
#define QB_MAX_COPIES 32

static int qb_copies(double bytes) {
    int c = (int)ceil(256e6 / bytes);
    return c < 1 ? 1 : c > QB_MAX_COPIES ? QB_MAX_COPIES : c;
}

typedef enum { QB_QMM, QB_QUANTIZE, QB_DEQUANTIZE } qb_kind;

/* seconds per op: median of 10 runs after 3 warm-ups */
static double qb_time(qb_kind kind, mx_array x, mx_array (*q)[3], mx_array *w, int copies) {
    double t[10];
    for (int i = 0; i < 13; i++) {
        mx_array outs[3 * QB_MAX_COPIES];
        int n = 0;
        double t0 = now();
        for (int c = 0; c < copies; c++) {
            if (kind == QB_QMM)
                outs[n++] = mx_quantized_matmul(x, q[c][0], q[c][1], q[c][2], true, 64, 4, NULL);
            else if (kind == QB_DEQUANTIZE)
                outs[n++] = mx_dequantize(q[c][0], q[c][1], q[c][2], 64, 4, NULL, MX_DTYPE_COUNT);
            else {
                mx_quantize(w[c], 64, 4, NULL, outs + n);
                n += 3;
            }
        }
        mx_eval(outs, n);
        double t1 = now();
        for (int k = 0; k < n; k++)
            mx_free(outs[k]);
        if (i >= 3)
            t[i - 3] = (t1 - t0) / copies;
    }
    qsort(t, 10, sizeof t[0], cmp_double);
    return (t[4] + t[5]) / 2;
}

/* 4-bit, group 64, bfloat16: the GEMV (M = 1; GB/s of packed words + scales + biases), M = 512 (TFLOP/s), and
 * quantize / dequantize of the weight (GB/s of bytes read + written). w is (N, K): x @ w^T. */
static void quantized_benchmarks(void) {
    static const int64_t nk[][2] = {{4096, 4096}, {14336, 4096}, {4096, 14336}};
    for (int s = 0; s < COUNT_OF(nk); s++) {
        int64_t n = nk[s][0], k = nk[s][1], wshape[2] = {n, k};
        double wbytes = (double)n * k / 2 + 2.0 * 2 * n * (k / 64);
        int copies = qb_copies(wbytes);
        mx_array w[QB_MAX_COPIES], q[QB_MAX_COPIES][3];
        for (int c = 0; c < copies; c++) {
            w[c] = gpu_random(wshape, 2, MX_BFLOAT16);
            mx_quantize(w[c], 64, 4, NULL, q[c]);
            mx_eval(q[c], 3);
        }
        char name[80];
        for (int mi = 0; mi < 2; mi++) {
            int64_t m = mi ? 512 : 1, xshape[2] = {m, k};
            mx_array x = gpu_random(xshape, 2, MX_BFLOAT16);
            double sec = qb_time(QB_QMM, x, q, w, copies);
            snprintf(name, sizeof name, "qmm 4bit gs64 M%lld N%lld K%lld", (long long)m, (long long)n, (long long)k);
            if (m == 1)
                printf("%-34s %-9s %9.4f ms %8.1f GB/s (weights %.1f MB)\n", name, "bfloat16", sec * 1e3,
                       wbytes / sec / 1e9, wbytes / 1e6);
            else
                printf("%-34s %-9s %9.4f ms %8.1f TFLOP/s\n", name, "bfloat16", sec * 1e3,
                       2.0 * m * n * k / sec / 1e12);
            mx_free(x);
        }
        if (s == 1) {
            double wb = (double)n * k * 2;
            double sec = qb_time(QB_QUANTIZE, MX_NULL_ARRAY, q, w, copies);
            snprintf(name, sizeof name, "quantize 4bit gs64 (%lld, %lld)", (long long)n, (long long)k);
            printf("%-34s %-9s %9.4f ms %8.1f GB/s\n", name, "bfloat16", sec * 1e3, (wb + wbytes) / sec / 1e9);
            sec = qb_time(QB_DEQUANTIZE, MX_NULL_ARRAY, q, w, copies);
            snprintf(name, sizeof name, "dequantize 4bit gs64 (%lld, %lld)", (long long)n, (long long)k);
            printf("%-34s %-9s %9.4f ms %8.1f GB/s\n", name, "bfloat16", sec * 1e3, (wb + wbytes) / sec / 1e9);
        }
        for (int c = 0; c < copies; c++) {
            mx_free(w[c]);
            for (int i = 0; i < 3; i++)
                mx_free(q[c][i]);
        }
    }
}

int main(int argc, char **argv) {
    if (mx_set_default_device(mx_gpu_device()) != MX_OK) {
        printf("SKIP cuda_bench: %s\n", mx_last_error());
        return 0;
    }
    printf("cmlx CUDA benchmarks on %s\n", mx_device_name(mx_gpu_device()));
    if (argc > 1 && strcmp(argv[1], "graphs") == 0) { /* only the launch-overhead workloads */
        launch_overhead();
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "norms")) { /* the norm backward workloads alone */
        norm_vjp_benchmarks();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "conv") == 0) { /* only the conv rows */
        conv_benchmarks();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "quantized") == 0) { /* only the quantized section */
        quantized_benchmarks();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "select") == 0) { /* only the select workloads */
        select_benchmarks();
        return 0;
    }
    int64_t big[1] = {1 << 26};         /* 64 Mi elements */
    if (getenv("CUDA_BENCH_COMPLEX")) { /* only the reductions (real paths) and the complex64/fft section */
        int64_t r2[2] = {16384, 4096};
        reduction("sum all (64Mi)", w_sum, big, 1, MX_FLOAT32);
        reduction("sum rows (16384, 4096)", w_sum_rows, r2, 2, MX_FLOAT32);
        reduction("sum columns (16384, 4096)", w_sum_cols, r2, 2, MX_FLOAT32);
        reduction("sum rows (16384, 4096)", w_sum_rows, r2, 2, MX_BFLOAT16);
        bandwidth("add", w_add, big, 1, MX_FLOAT32, 2, 1, true);
        bandwidth("copy (contiguous)", w_copy, big, 1, MX_FLOAT32, 1, 1, false);
        complex_benchmarks();
        return 0;
    }
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
        mx_free(g_weight), mx_free(g_bias);
    }
    norm_vjp_benchmarks();
    int64_t heads[4] = {4, 32, 2048, 128};
    bandwidth("rope (4, 32, 2048, 128) dims 128", w_rope, heads, 4, MX_FLOAT32, 1, 1, false);
    bandwidth("rope (4, 32, 2048, 128) dims 128", w_rope, heads, 4, MX_BFLOAT16, 1, 1, false);
    gemm(8192, MX_BFLOAT16, false);
    gemm(8192, MX_FLOAT16, false);
    gemm(8192, MX_FLOAT32, true);
    gemm(4096, MX_FLOAT32, false);
    indexing_benchmarks();
    quantized_benchmarks();
    select_benchmarks();
    attention_bench(MX_BFLOAT16);
    /* per-op overhead: a small add, eval each time */
    int64_t small[1] = {1024};
    mx_array a = gpu_random(small, 1, MX_FLOAT32);
    double s = time_it(w_add, a, a);
    printf("%-34s %-9s %9.3f us per op (graph + launch + sync)\n", "add (1024,) eval each", "float32", s * 1e6);
    mx_free(a);
    cudaconv_benchmarks();
    complex_benchmarks();
    return 0;
}
