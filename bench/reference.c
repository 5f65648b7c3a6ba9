/* bench/reference.c - the yardsticks measured in the same process as cmlx:
 * memcpy of the bytes an element-wise op writes, and cblas_sgemm (the
 * system OpenBLAS, called directly) on the matrices cmlx multiplies. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "workloads.h"

typedef struct memcpy_ctx {
    char *dst;
    const char *src;
    size_t bytes;
    int threads;
} memcpy_ctx;

static int run_memcpy_single(void *p) {
    memcpy_ctx *c = p;
    memcpy(c->dst, c->src, c->bytes);
    return 0;
}

/* Each thread copies one contiguous, 64-byte aligned share. */
static int run_memcpy_parallel(void *p) {
    memcpy_ctx *c = p;
    size_t lines = (c->bytes + 63) / 64;
#pragma omp parallel num_threads(c->threads)
    {
        size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
        size_t begin = lines * t / nt * 64, end = lines * (t + 1) / nt * 64;
        if (end > c->bytes)
            end = c->bytes;
        if (begin < end)
            memcpy(c->dst + begin, c->src + begin, end - begin);
    }
    return 0;
}

static int check_memcpy(void *p) {
    memcpy_ctx *c = p;
    return memcmp(c->dst, c->src, c->bytes) == 0 ? 0 : bench_fail("memcpy: destination differs from source");
}

void bench_run_memcpy(bench_report *rep, const bench_config *cfg, int64_t n_floats) {
    char label[32];
    bench_size_label(n_floats, label, sizeof label);
    size_t bytes = (size_t)n_floats * sizeof(float);
    bench_result *single = bench_report_begin(rep, cfg, "ref", "memcpy_1t_f32_%s", label);
    bench_result *parallel = bench_report_begin(rep, cfg, "ref", "memcpy_mt_f32_%s", label);
    if (!single && !parallel)
        return;
    memcpy_ctx ctx = {.bytes = bytes, .threads = cfg->threads};
    float *src = bench_alloc_touched(bytes);
    ctx.dst = bench_alloc_touched(bytes);
    ctx.src = (const char *)src;
    if (src)
        bench_fill_uniform(src, (size_t)n_floats, -1.0f, 1.0f, 7);
    bench_result *both[2] = {single, parallel};
    bench_fn fns[2] = {run_memcpy_single, run_memcpy_parallel};
    for (int i = 0; i < 2; i++) {
        if (!both[i])
            continue;
        both[i]->bytes = 2.0 * (double)bytes; /* read + write */
        if (!src || !ctx.dst)
            bench_mark_na(both[i], "could not allocate 2 x %zu bytes", bytes);
        else
            bench_measure(&cfg->opts, fns[i], check_memcpy, &ctx, both[i]);
        bench_report_progress(both[i]);
    }
    free(src);
    free(ctx.dst);
}

typedef struct sgemm_ctx {
    const float *a, *b;
    float *c;
    int n;
} sgemm_ctx;

/* c (n,n) = a (n,n) @ b (n,n), row-major. */
static int run_sgemm(void *p) {
    sgemm_ctx *s = p;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s->n, s->n, s->n, 1.0f, s->a, s->n, s->b, s->n, 0.0f, s->c,
                s->n);
    return 0;
}

/* Two entries against a double-precision dot product. */
static int check_sgemm(void *p) {
    sgemm_ctx *s = p;
    int n = s->n;
    int rows[2] = {0, n - 1}, cols[2] = {n / 3, n - 1};
    for (int k = 0; k < 2; k++) {
        double ref = 0, mag = 0;
        for (int j = 0; j < n; j++) {
            double term = (double)s->a[(size_t)rows[k] * n + j] * s->b[(size_t)j * n + cols[k]];
            ref += term;
            mag += term < 0 ? -term : term;
        }
        double got = s->c[(size_t)rows[k] * n + cols[k]];
        if ((got - ref) * (got - ref) > (1e-4 * mag + 1e-6) * (1e-4 * mag + 1e-6))
            return bench_fail("sgemm: C[%d][%d] = %g, expected %g", rows[k], cols[k], got, ref);
    }
    return 0;
}

void bench_run_sgemm(bench_report *rep, const bench_config *cfg, int64_t n) {
    bench_result *r = bench_report_begin(rep, cfg, "ref", "sgemm_%lld", (long long)n);
    if (!r)
        return;
    size_t count = (size_t)n * (size_t)n, bytes = count * sizeof(float);
    float *a = bench_alloc_touched(bytes), *b = bench_alloc_touched(bytes), *c = bench_alloc_touched(bytes);
    r->flops = 2.0 * (double)n * (double)n * (double)n;
    if (!a || !b || !c)
        bench_mark_na(r, "could not allocate 3 x %zu bytes", bytes);
    else {
        bench_fill_uniform(a, count, -1.0f, 1.0f, 11);
        bench_fill_uniform(b, count, -1.0f, 1.0f, 12);
        sgemm_ctx ctx = {a, b, c, (int)n};
        bench_measure(&cfg->opts, run_sgemm, check_sgemm, &ctx, r);
    }
    bench_report_progress(r);
    free(a);
    free(b);
    free(c);
}
