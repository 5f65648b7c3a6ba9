/* bench/cmlx_ops.c - the cmlx workloads, through the public API only.
 *
 * Every iteration is what a user's code does: build the op (lazy), mx_eval
 * it, mx_free it. Inputs are created and evaluated once, outside the timing;
 * outputs come from cmlx's caching allocator, whose free lists the warm-up
 * fills, so no first-touch page fault is timed. */
#include <math.h>
#include <stdlib.h>

#include "cmlx/cmlx.h"
#include "workloads.h"

typedef mx_array (*binary_op_fn)(mx_array, mx_array);

/* An (evaluated) float32 array holding a copy of host. */
static mx_array make_array(const float *host, const int64_t *shape, int ndim) {
    return mx_array_from_data(host, shape, ndim, MX_FLOAT32);
}

/* Evaluates and frees out; reports the error of `op` if any. */
static int eval_and_free(mx_array out, const char *op) {
    mx_status status = mx_eval1(out);
    mx_free(out);
    if (status != MX_OK)
        return bench_fail("%s: %s (%s)", op, mx_last_error(), mx_status_name(status));
    return 0;
}

/* Outputs of a check: evaluated data, or a failure. */
static const float *eval_for_check(mx_array out, const char *op) {
    const float *data = mx_data_f32(out);
    if (!data)
        bench_fail("%s: %s", op, mx_last_error());
    return data;
}

static int close_enough(double got, double want, double tolerance) { return fabs(got - want) <= tolerance; }

/* ---- element-wise ----------------------------------------------------------- */

typedef struct binary_ctx {
    binary_op_fn op;
    const char *op_name;
    int is_multiply;
    mx_array a, b;
    const float *host_a, *host_b;
    int64_t n;
} binary_ctx;

/* out (n,) = a (n,) op b (n,) */
static int run_binary(void *p) {
    binary_ctx *c = p;
    return eval_and_free(c->op(c->a, c->b), c->op_name);
}

/* Float add and multiply are exact operations: the results must match bit for bit. */
static int check_binary(void *p) {
    binary_ctx *c = p;
    mx_array out = c->op(c->a, c->b);
    const float *data = eval_for_check(out, c->op_name);
    int rc = data ? 0 : -1;
    int64_t probes[5] = {0, 1, c->n / 3, c->n / 2 + 7, c->n - 1};
    for (int k = 0; rc == 0 && k < 5; k++) {
        int64_t i = probes[k] < c->n ? probes[k] : c->n - 1;
        float want = c->is_multiply ? c->host_a[i] * c->host_b[i] : c->host_a[i] + c->host_b[i];
        if (data[i] != want)
            rc = bench_fail("%s: element %lld is %g, expected %g", c->op_name, (long long)i, data[i], want);
    }
    mx_free(out);
    return rc;
}

static void run_binary_workload(bench_report *rep, const bench_config *cfg, const char *op_name, binary_op_fn op,
                                int is_multiply, const float *host_a, const float *host_b, int64_t n,
                                const char *label) {
    bench_result *r = bench_report_begin(rep, cfg, "cmlx", "%s_f32_%s", op_name, label);
    if (!r)
        return;
    r->bytes = 3.0 * (double)n * sizeof(float); /* two reads, one write */
    if (!host_a || !host_b) {
        bench_mark_na(r, "could not allocate the inputs");
    } else {
        int64_t shape[1] = {n};
        binary_ctx ctx = {
            op, op_name, is_multiply, make_array(host_a, shape, 1), make_array(host_b, shape, 1), host_a, host_b, n};
        if (!mx_is_valid(ctx.a) || !mx_is_valid(ctx.b))
            bench_mark_na(r, "inputs: %s", mx_last_error());
        else
            bench_measure(&cfg->opts, run_binary, check_binary, &ctx, r);
        mx_free(ctx.a);
        mx_free(ctx.b);
    }
    bench_report_progress(r);
}

void bench_run_elementwise(bench_report *rep, const bench_config *cfg) {
    for (int s = 0; s < cfg->n_ew; s++) {
        int64_t n = cfg->ew_sizes[s];
        char label[32];
        bench_size_label(n, label, sizeof label);
        bench_run_memcpy(rep, cfg, n);
        size_t bytes = (size_t)n * sizeof(float);
        float *a = malloc(bytes), *b = malloc(bytes);
        if (a && b) {
            bench_fill_uniform(a, (size_t)n, -1.0f, 1.0f, 1);
            bench_fill_uniform(b, (size_t)n, -1.0f, 1.0f, 2);
        }
        run_binary_workload(rep, cfg, "add", mx_add, 0, a, b, n, label);
        run_binary_workload(rep, cfg, "multiply", mx_multiply, 1, a, b, n, label);
        free(a);
        free(b);
    }
}

/* ---- reductions and softmax ------------------------------------------------- */

typedef struct matrix_ctx {
    mx_array x;
    const float *host;
    int64_t rows, cols;
    int axis;
} matrix_ctx;

/* out (cols,) or (rows,) = sum of x (rows, cols) over axis */
static int run_sum(void *p) {
    matrix_ctx *c = p;
    return eval_and_free(mx_sum_axis(c->x, c->axis, false), "sum");
}

/* Three sums against double precision; float32 accumulation of ~4096 terms
 * stays far inside 1e-4 of the sum of magnitudes. */
static int check_sum(void *p) {
    matrix_ctx *c = p;
    mx_array out = mx_sum_axis(c->x, c->axis, false);
    const float *data = eval_for_check(out, "sum");
    int rc = data ? 0 : -1;
    int64_t kept = c->axis == 0 ? c->cols : c->rows, reduced = c->axis == 0 ? c->rows : c->cols;
    int64_t probes[3] = {0, kept / 2, kept - 1};
    for (int k = 0; rc == 0 && k < 3; k++) {
        double want = 0, mag = 0;
        for (int64_t j = 0; j < reduced; j++) {
            float v = c->axis == 0 ? c->host[j * c->cols + probes[k]] : c->host[probes[k] * c->cols + j];
            want += v;
            mag += fabs(v);
        }
        if (!close_enough(data[probes[k]], want, 1e-4 * mag + 1e-6))
            rc = bench_fail("sum axis %d: element %lld is %g, expected %g", c->axis, (long long)probes[k],
                            data[probes[k]], want);
    }
    mx_free(out);
    return rc;
}

/* out (rows, cols) = softmax of x (rows, cols) over each row */
static int run_softmax(void *p) {
    matrix_ctx *c = p;
    return eval_and_free(mx_softmax_axis(c->x, 1, false), "softmax");
}

/* The first and last rows against double precision (relative 1e-4). */
static int check_softmax(void *p) {
    matrix_ctx *c = p;
    mx_array out = mx_softmax_axis(c->x, 1, false);
    const float *data = eval_for_check(out, "softmax");
    int rc = data ? 0 : -1;
    int64_t rows[2] = {0, c->rows - 1};
    for (int k = 0; rc == 0 && k < 2; k++) {
        const float *x = c->host + rows[k] * c->cols;
        const float *y = data + rows[k] * c->cols;
        double max = x[0], total = 0;
        for (int64_t j = 1; j < c->cols; j++)
            max = x[j] > max ? x[j] : max;
        for (int64_t j = 0; j < c->cols; j++)
            total += exp(x[j] - max);
        for (int64_t j = 0; rc == 0 && j<c->cols; j += c->cols / 8> 0 ? c->cols / 8 : 1) {
            double want = exp(x[j] - max) / total;
            if (!close_enough(y[j], want, 1e-4 * want + 1e-9))
                rc = bench_fail("softmax: [%lld][%lld] is %g, expected %g", (long long)rows[k], (long long)j, y[j],
                                want);
        }
    }
    mx_free(out);
    return rc;
}

void bench_run_reductions(bench_report *rep, const bench_config *cfg) {
    int64_t rows = cfg->reduce_rows, cols = cfg->reduce_cols;
    bench_result *sums[2] = {
        bench_report_begin(rep, cfg, "cmlx", "sum_axis0_%lldx%lld", (long long)rows, (long long)cols),
        bench_report_begin(rep, cfg, "cmlx", "sum_axis1_%lldx%lld", (long long)rows, (long long)cols)};
    bench_result *softmax =
        bench_report_begin(rep, cfg, "cmlx", "softmax_axis1_%lldx%lld", (long long)rows, (long long)cols);
    if (!sums[0] && !sums[1] && !softmax)
        return;
    /* Their memcpy reference, unless the element-wise sizes measured it already. */
    int measured = 0;
    for (int s = 0; s < cfg->n_ew; s++)
        measured |= cfg->ew_sizes[s] == rows * cols;
    if (!measured)
        bench_run_memcpy(rep, cfg, rows * cols);
    size_t count = (size_t)rows * (size_t)cols;
    float *host = malloc(count * sizeof(float));
    int64_t shape[2] = {rows, cols};
    matrix_ctx ctx = {.host = host, .rows = rows, .cols = cols};
    if (host) {
        bench_fill_uniform(host, count, -4.0f, 4.0f, 3);
        ctx.x = make_array(host, shape, 2);
    }
    int inputs_ok = host && mx_is_valid(ctx.x);
    for (int axis = 0; axis < 2; axis++) {
        bench_result *r = sums[axis];
        if (!r)
            continue;
        r->bytes = (double)count * sizeof(float); /* the read dominates */
        ctx.axis = axis;
        if (!inputs_ok)
            bench_mark_na(r, "could not create the input: %s", mx_last_error());
        else
            bench_measure(&cfg->opts, run_sum, check_sum, &ctx, r);
        bench_report_progress(r);
    }
    if (softmax) {
        softmax->bytes = 2.0 * (double)count * sizeof(float); /* one read, one write at best */
        if (!inputs_ok)
            bench_mark_na(softmax, "could not create the input: %s", mx_last_error());
        else
            bench_measure(&cfg->opts, run_softmax, check_softmax, &ctx, softmax);
        bench_report_progress(softmax);
    }
    mx_free(ctx.x);
    free(host);
}

/* ---- matmul ------------------------------------------------------------------ */

typedef struct matmul_ctx {
    mx_array a, b;
    const float *host_a, *host_b;
    int64_t n;
} matmul_ctx;

/* out (n,n) = a (n,n) @ b (n,n) */
static int run_matmul(void *p) {
    matmul_ctx *c = p;
    return eval_and_free(mx_matmul(c->a, c->b), "matmul");
}

/* Three entries against double-precision dot products. */
static int check_matmul(void *p) {
    matmul_ctx *c = p;
    mx_array out = mx_matmul(c->a, c->b);
    const float *data = eval_for_check(out, "matmul");
    int rc = data ? 0 : -1;
    int64_t n = c->n, rows[3] = {0, n / 2, n - 1}, cols[3] = {n - 1, n / 3, 0};
    for (int k = 0; rc == 0 && k < 3; k++) {
        double want = 0, mag = 0;
        for (int64_t j = 0; j < n; j++) {
            double term = (double)c->host_a[rows[k] * n + j] * c->host_b[j * n + cols[k]];
            want += term;
            mag += fabs(term);
        }
        double got = data[rows[k] * n + cols[k]];
        if (!close_enough(got, want, 1e-4 * mag + 1e-6))
            rc = bench_fail("matmul: [%lld][%lld] is %g, expected %g", (long long)rows[k], (long long)cols[k], got,
                            want);
    }
    mx_free(out);
    return rc;
}

void bench_run_matmul(bench_report *rep, const bench_config *cfg) {
    for (int s = 0; s < cfg->n_mm; s++) {
        int64_t n = cfg->mm_sizes[s];
        bench_run_sgemm(rep, cfg, n);
        bench_result *r = bench_report_begin(rep, cfg, "cmlx", "matmul_f32_%lld", (long long)n);
        if (!r)
            continue;
        r->flops = 2.0 * (double)n * (double)n * (double)n;
        size_t count = (size_t)n * (size_t)n;
        /* The seeds of bench_run_sgemm: both multiply the same matrices. */
        float *a = malloc(count * sizeof(float)), *b = malloc(count * sizeof(float));
        if (!a || !b) {
            bench_mark_na(r, "could not allocate the inputs");
        } else {
            bench_fill_uniform(a, count, -1.0f, 1.0f, 11);
            bench_fill_uniform(b, count, -1.0f, 1.0f, 12);
            int64_t shape[2] = {n, n};
            matmul_ctx ctx = {make_array(a, shape, 2), make_array(b, shape, 2), a, b, n};
            if (!mx_is_valid(ctx.a) || !mx_is_valid(ctx.b))
                bench_mark_na(r, "inputs: %s", mx_last_error());
            else
                bench_measure(&cfg->opts, run_matmul, check_matmul, &ctx, r);
            mx_free(ctx.a);
            mx_free(ctx.b);
        }
        bench_report_progress(r);
        free(a);
        free(b);
    }
}

/* ---- per-op overhead ---------------------------------------------------------- */

typedef struct overhead_ctx {
    mx_array a, b;
    int chain_length;
} overhead_ctx;

/* out (16,) = a (16,) + b (16,): graph building, scheduling, allocation and
 * release dominate the 16 additions. */
static int run_tiny_add(void *p) {
    overhead_ctx *c = p;
    return eval_and_free(mx_add(c->a, c->b), "add");
}

/* ((a + b) + b) + ... chain_length adds, one eval: the per-node cost of a graph. */
static int run_add_chain(void *p) {
    overhead_ctx *c = p;
    mx_array x = mx_retain(c->a);
    for (int i = 0; i < c->chain_length; i++) {
        mx_array next = mx_add(x, c->b);
        mx_free(x);
        x = next;
    }
    return eval_and_free(x, "add chain");
}

/* a + k * ones with a = 0..15: small integers, exact in float32. */
static int check_add_chain(void *p) {
    overhead_ctx *c = p;
    mx_array x = mx_retain(c->a);
    for (int i = 0; i < c->chain_length; i++) {
        mx_array next = mx_add(x, c->b);
        mx_free(x);
        x = next;
    }
    const float *data = eval_for_check(x, "add chain");
    int rc = data ? 0 : -1;
    for (int i = 0; rc == 0 && i < 16; i++)
        if (data[i] != (float)i + (float)c->chain_length)
            rc = bench_fail("add chain: element %d is %g, expected %d", i, data[i], i + c->chain_length);
    mx_free(x);
    return rc;
}

void bench_run_overhead(bench_report *rep, const bench_config *cfg) {
    bench_result *single = bench_report_begin(rep, cfg, "cmlx", "overhead_add16_eval");
    bench_result *chain = bench_report_begin(rep, cfg, "cmlx", "overhead_add16_chain%d", cfg->chain_length);
    if (!single && !chain)
        return;
    float a[16], ones[16];
    for (int i = 0; i < 16; i++) {
        a[i] = (float)i;
        ones[i] = 1.0f;
    }
    int64_t shape[1] = {16};
    overhead_ctx ctx = {make_array(a, shape, 1), make_array(ones, shape, 1), cfg->chain_length};
    bench_result *results[2] = {single, chain};
    bench_fn fns[2] = {run_tiny_add, run_add_chain};
    for (int i = 0; i < 2; i++) {
        bench_result *r = results[i];
        if (!r)
            continue;
        r->units_per_iter = i == 0 ? 1 : cfg->chain_length;
        if (!mx_is_valid(ctx.a) || !mx_is_valid(ctx.b))
            bench_mark_na(r, "inputs: %s", mx_last_error());
        else {
            /* A chain of one is the single add: check_add_chain checks both. */
            overhead_ctx run_ctx = {ctx.a, ctx.b, i == 0 ? 1 : cfg->chain_length};
            bench_measure(&cfg->opts, fns[i], check_add_chain, &run_ctx, r);
        }
        bench_report_progress(r);
    }
    mx_free(ctx.a);
    mx_free(ctx.b);
}
