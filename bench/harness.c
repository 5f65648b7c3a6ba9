/* bench/harness.c - see harness.h. */
#include "harness.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define HUGE_PAGE_BYTES ((size_t)2 << 20)

static char g_failure[sizeof(((bench_result *)0)->note)];

int bench_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_failure, sizeof g_failure, fmt, ap);
    va_end(ap);
    return -1;
}

void bench_mark_na(bench_result *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->note, sizeof r->note, fmt, ap);
    va_end(ap);
    r->status = BENCH_NA;
}

double bench_now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs fn `count` times; returns the elapsed seconds, or -1 on failure. */
static double run_timed(bench_fn fn, void *ctx, long count) {
    double start = bench_now_s();
    for (long i = 0; i < count; i++)
        if (fn(ctx) != 0)
            return -1.0;
    return bench_now_s() - start;
}

void bench_measure(const bench_opts *opts, bench_fn fn, bench_fn check, void *ctx, bench_result *r) {
    if (r->units_per_iter < 1)
        r->units_per_iter = 1;
    g_failure[0] = '\0';
    for (int i = 0; i < opts->warmup; i++) {
        if (fn(ctx) != 0) {
            bench_mark_na(r, "%s", g_failure);
            return;
        }
    }
    if (check && check(ctx) != 0) {
        r->status = BENCH_WRONG;
        snprintf(r->note, sizeof r->note, "%s", g_failure);
    }
    /* Calibration: grow the count until a batch lasts min_sample_s (by at
     * most 10x a step, so one slow first call cannot set it too low). */
    long inner = 1;
    double batch_s;
    for (;;) {
        batch_s = run_timed(fn, ctx, inner);
        if (batch_s < 0) {
            bench_mark_na(r, "%s", g_failure);
            return;
        }
        if (batch_s >= opts->min_sample_s)
            break;
        double scale = batch_s > 0 ? 1.2 * opts->min_sample_s / batch_s : 10.0;
        inner = (long)ceil((double)inner * (scale < 10.0 ? scale : 10.0));
    }
    /* A slow workload gets fewer samples (never fewer than 3) to stay in its budget. */
    int reps = opts->reps > 0 ? opts->reps : 1;
    if (opts->budget_s > 0 && reps > 3 && batch_s * reps > opts->budget_s) {
        int affordable = (int)(opts->budget_s / batch_s);
        reps = affordable > 3 ? affordable : 3;
    }
    double *samples = malloc(sizeof(double) * (size_t)reps);
    if (!samples) {
        bench_mark_na(r, "out of memory for %d samples", reps);
        return;
    }
    for (int s = 0; s < reps; s++) {
        double t = run_timed(fn, ctx, inner);
        if (t < 0) {
            bench_mark_na(r, "%s", g_failure);
            free(samples);
            return;
        }
        samples[s] = t / (double)inner / (double)r->units_per_iter;
    }
    qsort(samples, (size_t)reps, sizeof(double), compare_doubles);
    r->reps = reps;
    r->inner = inner;
    r->min_s = samples[0];
    r->median_s = reps % 2 ? samples[reps / 2] : 0.5 * (samples[reps / 2 - 1] + samples[reps / 2]);
    free(samples);
}

void *bench_alloc_touched(size_t bytes) {
    size_t align = bytes >= HUGE_PAGE_BYTES ? HUGE_PAGE_BYTES : 64;
    size_t rounded = (bytes + align - 1) / align * align;
    void *p = NULL;
    if (rounded == 0 || posix_memalign(&p, align, rounded) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (rounded >= HUGE_PAGE_BYTES)
        madvise(p, rounded, MADV_HUGEPAGE);
#endif
    memset(p, 0, rounded);
    return p;
}

void bench_fill_uniform(float *x, size_t n, float lo, float hi, uint64_t seed) {
    uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        float unit = (float)(state >> 40) * (1.0f / 16777216.0f); /* 24 bits: [0, 1) */
        x[i] = lo + (hi - lo) * unit;
    }
}

void bench_json_string(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static const char *status_name(bench_status s) { return s == BENCH_OK ? "ok" : s == BENCH_NA ? "n/a" : "wrong"; }

void bench_json_result(FILE *f, const bench_result *r) {
    fprintf(f, "{\"name\": ");
    bench_json_string(f, r->name);
    fprintf(f, ", \"group\": ");
    bench_json_string(f, r->group);
    fprintf(f, ", \"status\": \"%s\", \"note\": ", status_name(r->status));
    bench_json_string(f, r->note);
    if (r->status == BENCH_NA) {
        fprintf(f, "}");
        return;
    }
    fprintf(f,
            ", \"median_s\": %.9g, \"min_s\": %.9g, \"reps\": %d, \"inner\": %ld, \"bytes\": %.17g, "
            "\"flops\": %.17g, \"units_per_iter\": %d}",
            r->median_s, r->min_s, r->reps, r->inner, r->bytes, r->flops, r->units_per_iter);
}
