/* bench/cmlx_sort.c - the sort-family workloads of bench_ops (cmlx side):
 * sort, argsort and cumsum of float32 along the last axis, of a
 * (1024, 4096) matrix and of 10^6 elements. Each iteration builds the op,
 * evaluates it and frees it; the inputs are made once, outside the timing. */
#include <stdlib.h>

#include "cmlx/cmlx.h"
#include "workloads.h"

#define SORT_ROWS 1024
#define SORT_COLS 4096
#define SORT_FLAT 1000000

typedef enum { WL_SORT, WL_ARGSORT, WL_CUMSUM } sort_workload;

typedef struct sort_ctx {
    sort_workload kind;
    mx_array x;
    const float *host;
    int64_t rows, cols;
} sort_ctx;

static mx_array build(const sort_ctx *c) {
    switch (c->kind) {
    case WL_SORT: return mx_sort_axis(c->x, -1);
    case WL_ARGSORT: return mx_argsort_axis(c->x, -1);
    default: return mx_cumsum_axis(c->x, -1, false, true, MX_DTYPE_COUNT);
    }
}

static int run_sort(void *p) {
    mx_array out = build(p);
    mx_status status = mx_eval1(out);
    mx_free(out);
    return status == MX_OK ? 0 : bench_fail("sort workload: %s", mx_last_error());
}

static int compare_floats(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Three rows against the host: sort equals qsort's order, argsort gives a
 * sorted gather with equal values by index, cumsum equals the in-order
 * float32 sums bit for bit. */
static int check_sort(void *p) {
    sort_ctx *c = p;
    mx_array out = build(c);
    const void *data = mx_data(out);
    int rc = data ? 0 : bench_fail("sort workload: %s", mx_last_error());
    float *row = malloc(sizeof *row * (size_t)c->cols);
    int64_t probes[3] = {0, c->rows / 2, c->rows - 1};
    for (int k = 0; rc == 0 && row && k < 3; k++) {
        const float *x = c->host + probes[k] * c->cols;
        if (c->kind == WL_SORT) {
            const float *got = (const float *)data + probes[k] * c->cols;
            for (int64_t j = 0; j < c->cols; j++)
                row[j] = x[j];
            qsort(row, (size_t)c->cols, sizeof *row, compare_floats);
            for (int64_t j = 0; rc == 0 && j < c->cols; j++)
                if (got[j] != row[j])
                    rc = bench_fail("sort: row %lld element %lld is %g, expected %g", (long long)probes[k],
                                    (long long)j, got[j], row[j]);
        } else if (c->kind == WL_ARGSORT) {
            const uint32_t *idx = (const uint32_t *)data + probes[k] * c->cols;
            for (int64_t j = 1; rc == 0 && j < c->cols; j++) {
                float a = x[idx[j - 1]], b = x[idx[j]];
                if (idx[j] >= c->cols || a > b || (a == b && idx[j - 1] > idx[j]))
                    rc = bench_fail("argsort: row %lld is not sorted at %lld", (long long)probes[k], (long long)j);
            }
        } else {
            const float *got = (const float *)data + probes[k] * c->cols;
            float acc = 0;
            for (int64_t j = 0; rc == 0 && j < c->cols; j++) {
                acc += x[j];
                if (got[j] != acc)
                    rc = bench_fail("cumsum: row %lld element %lld is %g, expected %g", (long long)probes[k],
                                    (long long)j, got[j], acc);
            }
        }
    }
    free(row);
    mx_free(out);
    return rc;
}

static void run_one(bench_report *rep, const bench_config *cfg, sort_workload kind, const float *host, int64_t rows,
                    int64_t cols, const char *label) {
    static const char *const names[] = {"sort", "argsort", "cumsum"};
    bench_result *r = bench_report_begin(rep, cfg, "cmlx", "%s_f32_%s", names[kind], label);
    if (!r)
        return;
    /* one read of the input and one write of the output (argsort: uint32 indices) */
    r->bytes = 2.0 * (double)(rows * cols) * sizeof(float);
    if (!host) {
        bench_mark_na(r, "could not allocate the input");
    } else {
        int64_t shape2[2] = {rows, cols};
        sort_ctx ctx = {kind,
                        rows > 1 ? mx_array_from_data(host, shape2, 2, MX_FLOAT32)
                                 : mx_array_from_data(host, &cols, 1, MX_FLOAT32),
                        host, rows, cols};
        if (!mx_is_valid(ctx.x))
            bench_mark_na(r, "input: %s", mx_last_error());
        else
            bench_measure(&cfg->opts, run_sort, check_sort, &ctx, r);
        mx_free(ctx.x);
    }
    bench_report_progress(r);
}

void bench_run_sort(bench_report *rep, const bench_config *cfg) {
    int64_t n = (int64_t)SORT_ROWS * SORT_COLS;
    float *host = malloc(sizeof *host * (size_t)n);
    if (host)
        bench_fill_uniform(host, (size_t)n, -1.0f, 1.0f, 7);
    char matrix[32], flat[32];
    snprintf(matrix, sizeof matrix, "%dx%d", SORT_ROWS, SORT_COLS);
    snprintf(flat, sizeof flat, "1e6");
    for (int kind = WL_SORT; kind <= WL_CUMSUM; kind++) {
        run_one(rep, cfg, (sort_workload)kind, host, SORT_ROWS, SORT_COLS, matrix);
        run_one(rep, cfg, (sort_workload)kind, host, 1, SORT_FLAT, flat);
    }
    free(host);
}
