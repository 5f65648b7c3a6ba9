/* bench/harness.h - timing of one workload (warm-up, calibration, repeated
 * samples, median and min), pre-touched buffers, and the JSON report.
 *
 * A workload is a function that runs one iteration and returns 0, or
 * returns bench_fail(...) with a message when it cannot run (an op missing
 * from the library, an error status). Each sample times `inner` iterations
 * back to back, with `inner` chosen so one sample lasts at least
 * min_sample_s: short workloads are not dominated by the clock's cost. */
#ifndef CMLX_BENCH_HARNESS_H
#define CMLX_BENCH_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct bench_opts {
    int warmup;          /* untimed iterations first (fill caches, the allocator's free lists, BLAS buffers) */
    int reps;            /* timed samples */
    double min_sample_s; /* each sample lasts at least this long */
    double budget_s;     /* timed samples of one workload stop near this many seconds (0: no limit) */
} bench_opts;

typedef enum bench_status { BENCH_OK, BENCH_NA, BENCH_WRONG } bench_status;

typedef struct bench_result {
    char name[64]; /* stable key shared with bench/run.py, e.g. "add_f32_16M" */
    char group[8]; /* "cmlx" (the library) or "ref" (memcpy, cblas_sgemm) */
    bench_status status;
    char note[320]; /* why n/a or wrong */
    int reps;
    long inner;      /* iterations per sample */
    double median_s; /* seconds per unit of work (see units_per_iter) */
    double min_s;
    double bytes;       /* bytes read + written per unit (0: not a bandwidth workload) */
    double flops;       /* floating-point operations per unit (0: not counted) */
    int units_per_iter; /* an iteration that runs k ops reports time per op */
} bench_result;

typedef int (*bench_fn)(void *ctx);

/* Records a failure message for the running workload; returns -1. */
int bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs fn per opts into r (name/group/bytes/flops/units_per_iter set by the
 * caller). If check is not NULL it runs once after the warm-up and a non-zero
 * return marks the result BENCH_WRONG (still timed: a wrong kernel's speed is
 * worth seeing, never worth trusting). */
void bench_measure(const bench_opts *opts, bench_fn fn, bench_fn check, void *ctx, bench_result *r);

/* Marks r as not available with a message. */
void bench_mark_na(bench_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* 64-byte aligned (2 MiB aligned and huge-page advised when large, as the
 * cmlx allocator does), written once so no first-touch fault is timed. NULL on
 * failure. Free with free(). */
void *bench_alloc_touched(size_t bytes);

/* Deterministic values uniform in [lo, hi). */
void bench_fill_uniform(float *x, size_t n, float lo, float hi, uint64_t seed);

double bench_now_s(void);

/* Writes a JSON string literal (quotes and escapes included). */
void bench_json_string(FILE *f, const char *s);
void bench_json_result(FILE *f, const bench_result *r);

#endif
