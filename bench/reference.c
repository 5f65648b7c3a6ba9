/* bench/reference.c - the yardsticks measured in the same process as cmlx:
 * memcpy of the bytes an element-wise op writes, and cblas_sgemm (the
 * system OpenBLAS, called directly, with its own threads) on the matrices
 * cmlx multiplies. */
#include <pthread.h>
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

typedef struct memcpy_share {
    const memcpy_ctx *c;
    size_t t;
    pthread_t thread;
} memcpy_share;

static void *copy_share(void *p) {
    const memcpy_share *s = p;
    const memcpy_ctx *c = s->c;
    size_t lines = (c->bytes + 63) / 64, nt = (size_t)c->threads;
    size_t begin = lines * s->t / nt * 64, end = lines * (s->t + 1) / nt * 64;
    if (end > c->bytes)
        end = c->bytes;
    if (begin < end)
        memcpy(c->dst + begin, c->src + begin, end - begin);
    return NULL;
}

/* Each thread copies one contiguous, 64-byte aligned share (threads started
 * per call: their start-up is part of what an unpooled copy would pay). */
static int run_memcpy_parallel(void *p) {
    memcpy_ctx *c = p;
    memcpy_share shares[256];
    int nt = c->threads < 1 ? 1 : c->threads > 256 ? 256 : c->threads, started = 1;
    c->threads = nt;
    for (int t = 0; t < nt; t++)
        shares[t] = (memcpy_share){.c = c, .t = (size_t)t};
    for (int t = 1; t < nt && pthread_create(&shares[t].thread, NULL, copy_share, &shares[t]) == 0; t++)
        started++;
    copy_share(&shares[0]);
    for (int t = 1; t < started; t++)
        pthread_join(shares[t].thread, NULL);
    return started == nt ? 0 : bench_fail("memcpy: could only start %d of %d threads", started, nt);
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
        /* OpenBLAS's own threading (cmlx keeps it at one thread otherwise) */
        int blas_threads = openblas_get_num_threads();
        openblas_set_num_threads(cfg->threads);
        bench_measure(&cfg->opts, run_sgemm, check_sgemm, &ctx, r);
        openblas_set_num_threads(blas_threads);
    }
    bench_report_progress(r);
    free(a);
    free(b);
    free(c);
}
