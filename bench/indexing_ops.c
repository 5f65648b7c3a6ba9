/* bench/indexing_ops.c - the cmlx indexing workloads (see workloads.h):
 *
 *   take_axis0_<R>x<C>_idx<K>         out (K, C) = take(table (R, C), idx (K,), axis 0):
 *                                     an embedding lookup, K random rows (repeats included)
 *   scatter_add_axis0_<R>x<C>_idx<K>  out (R, C) = table with upd (K, C) added at rows idx:
 *                                     the embedding gradient (MLX: table.at[idx].add(upd))
 *
 * As everywhere in bench_ops, an iteration builds the op, evaluates and frees
 * it. The table is held by the benchmark, so scatter_add copies it into its
 * result first (MLX, NumPy's copyto + add.at and torch.index_add(out=) do too). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "workloads.h"

#define INDEX_ROWS 50000
#define INDEX_COLS 256
#define INDEX_COUNT 65536

typedef struct indexing_ctx {
    mx_array table, idx, upd;
    const float *host_table, *host_upd;
    const int32_t *host_idx;
} indexing_ctx;

/* out (K, C) = table[idx] */
static int run_take(void *p) {
    indexing_ctx *c = p;
    mx_array out = mx_take(c->table, c->idx, 0);
    mx_status st = mx_eval1(out);
    mx_free(out);
    return st == MX_OK ? 0 : bench_fail("take: %s", mx_last_error());
}

/* A few output rows, bit-exact (take moves values). */
static int check_take(void *p) {
    indexing_ctx *c = p;
    mx_array out = mx_take(c->table, c->idx, 0);
    const float *data = mx_data_f32(out);
    int rc = data ? 0 : bench_fail("take: %s", mx_last_error());
    int64_t probes[4] = {0, 1, INDEX_COUNT / 2, INDEX_COUNT - 1};
    for (int k = 0; rc == 0 && k < 4; k++) {
        const float *want = c->host_table + (int64_t)c->host_idx[probes[k]] * INDEX_COLS;
        if (memcmp(data + probes[k] * INDEX_COLS, want, INDEX_COLS * sizeof(float)) != 0)
            rc = bench_fail("take: row %lld differs", (long long)probes[k]);
    }
    mx_free(out);
    return rc;
}

/* out (R, C) = table + upd scattered to rows idx (repeats accumulate) */
static int run_scatter_add(void *p) {
    indexing_ctx *c = p;
    int axis = 0;
    mx_array out = mx_scatter_add(c->table, &c->idx, 1, c->upd, &axis, 1);
    mx_status st = mx_eval1(out);
    mx_free(out);
    return st == MX_OK ? 0 : bench_fail("scatter_add: %s", mx_last_error());
}

/* Three table rows against a double-precision accumulation of their updates
 * (float32 sums of a few terms: within 1e-5 of the magnitudes). */
static int check_scatter_add(void *p) {
    indexing_ctx *c = p;
    int axis = 0;
    mx_array out = mx_scatter_add(c->table, &c->idx, 1, c->upd, &axis, 1);
    const float *data = mx_data_f32(out);
    int rc = data ? 0 : bench_fail("scatter_add: %s", mx_last_error());
    int32_t rows[3] = {c->host_idx[0], c->host_idx[INDEX_COUNT / 2], 7};
    for (int k = 0; rc == 0 && k < 3; k++) {
        for (int col = 0; rc == 0 && col < INDEX_COLS; col += 31) {
            double want = c->host_table[(int64_t)rows[k] * INDEX_COLS + col], mag = fabs(want);
            for (int64_t i = 0; i < INDEX_COUNT; i++) {
                if (c->host_idx[i] == rows[k]) {
                    want += c->host_upd[i * INDEX_COLS + col];
                    mag += fabs(c->host_upd[i * INDEX_COLS + col]);
                }
            }
            double got = data[(int64_t)rows[k] * INDEX_COLS + col];
            if (fabs(got - want) > 1e-5 * mag + 1e-7)
                rc = bench_fail("scatter_add: [%d][%d] is %g, expected %g", rows[k], col, got, want);
        }
    }
    mx_free(out);
    return rc;
}

void bench_run_indexing(bench_report *rep, const bench_config *cfg) {
    char label[32];
    bench_size_label(INDEX_COUNT, label, sizeof label);
    bench_result *take = bench_report_begin(rep, cfg, "cmlx", "take_axis0_%dx%d_idx%s", INDEX_ROWS, INDEX_COLS, label);
    bench_result *scatter =
        bench_report_begin(rep, cfg, "cmlx", "scatter_add_axis0_%dx%d_idx%s", INDEX_ROWS, INDEX_COLS, label);
    if (!take && !scatter)
        return;
    size_t table_n = (size_t)INDEX_ROWS * INDEX_COLS, upd_n = (size_t)INDEX_COUNT * INDEX_COLS;
    float *table = malloc(table_n * sizeof(float)), *upd = malloc(upd_n * sizeof(float));
    int32_t *idx = malloc(INDEX_COUNT * sizeof(int32_t));
    indexing_ctx ctx = {.host_table = table, .host_upd = upd, .host_idx = idx};
    bool ok = table && upd && idx;
    if (ok) {
        bench_fill_uniform(table, table_n, -1.0f, 1.0f, 21);
        bench_fill_uniform(upd, upd_n, -1.0f, 1.0f, 22);
        uint64_t s = 0x9E3779B97F4A7C15ull; /* uniform rows, repeats included */
        for (int64_t i = 0; i < INDEX_COUNT; i++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            idx[i] = (int32_t)((s >> 33) % INDEX_ROWS);
        }
        ctx.table = mx_array_from_data(table, (int64_t[]){INDEX_ROWS, INDEX_COLS}, 2, MX_FLOAT32);
        ctx.idx = mx_array_from_data(idx, (int64_t[]){INDEX_COUNT}, 1, MX_INT32);
        ctx.upd = mx_array_from_data(upd, (int64_t[]){INDEX_COUNT, 1, INDEX_COLS}, 3, MX_FLOAT32);
        ok = mx_is_valid(ctx.table) && mx_is_valid(ctx.idx) && mx_is_valid(ctx.upd);
    }
    if (take) {
        take->bytes = 2.0 * (double)upd_n * sizeof(float); /* K rows read, K rows written */
        if (!ok)
            bench_mark_na(take, "could not create the inputs: %s", mx_last_error());
        else
            bench_measure(&cfg->opts, run_take, check_take, &ctx, take);
        bench_report_progress(take);
    }
    if (scatter) {
        /* the table copied (read + write) and K rows read twice, written once */
        scatter->bytes = (2.0 * (double)table_n + 3.0 * (double)upd_n) * sizeof(float);
        if (!ok)
            bench_mark_na(scatter, "could not create the inputs: %s", mx_last_error());
        else
            bench_measure(&cfg->opts, run_scatter_add, check_scatter_add, &ctx, scatter);
        bench_report_progress(scatter);
    }
    mx_free(ctx.table);
    mx_free(ctx.idx);
    mx_free(ctx.upd);
    free(table);
    free(upd);
    free(idx);
}
