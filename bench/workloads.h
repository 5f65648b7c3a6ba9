/* bench/workloads.h - the workloads of bench_ops and the report they fill.
 *
 * Names are the keys bench/run.py matches against MLX, NumPy and PyTorch:
 *   add_f32_<N>, multiply_f32_<N>      element-wise, N elements (1M = 2^20)
 *   sum_axis0_<R>x<C>, sum_axis1_<R>x<C>
 *   softmax_axis1_<R>x<C>              softmax over each row
 *   matmul_f32_<n>                     (n,n) @ (n,n)
 *   overhead_add16_eval                add of two 16-element arrays + eval + free, per op
 *   overhead_add16_chain<k>            k chained adds, one eval, per op
 *   sort_f32_<S>, argsort_f32_<S>, cumsum_f32_<S>   along the last axis, S = 1024x4096 or 1e6 (cmlx_sort.c)
 *   take_axis0_<R>x<C>_idx<K>, scatter_add_axis0_<R>x<C>_idx<K>   rows of a table (indexing_ops.c)
 * and the references (group "ref"), measured in the same process:
 *   memcpy_1t_f32_<N>, memcpy_mt_f32_<N>   memcpy of N*4 bytes, one thread / all threads
 *   sgemm_<n>                              cblas_sgemm on the same matrices */
#ifndef CMLX_BENCH_WORKLOADS_H
#define CMLX_BENCH_WORKLOADS_H

#include <stdint.h>

#include "harness.h"

#define BENCH_MAX_SIZES 16

typedef struct bench_config {
    bench_opts opts;
    int threads; /* threads of the memcpy reference (cmlx and OpenBLAS follow OMP_NUM_THREADS / OPENBLAS_NUM_THREADS) */
    int64_t ew_sizes[BENCH_MAX_SIZES];
    int n_ew;
    int64_t reduce_rows, reduce_cols;
    int64_t mm_sizes[BENCH_MAX_SIZES];
    int n_mm;
    int chain_length;
    const char *filter; /* comma-separated substrings of names to run; NULL: all */
} bench_config;

typedef struct bench_report {
    bench_result *items;
    int count, capacity;
} bench_report;

/* A new result named by fmt in `group`, or NULL when the filter skips it
 * (or memory runs out: reported on stderr). */
bench_result *bench_report_begin(bench_report *rep, const bench_config *cfg, const char *group, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints one progress line for r on stderr. */
void bench_report_progress(const bench_result *r);

/* "1M" for 2^20, "4K" for 4096, else the number. */
void bench_size_label(int64_t n, char *buf, size_t cap);

void bench_run_elementwise(bench_report *rep, const bench_config *cfg);
void bench_run_reductions(bench_report *rep, const bench_config *cfg);
void bench_run_matmul(bench_report *rep, const bench_config *cfg);
void bench_run_overhead(bench_report *rep, const bench_config *cfg);
void bench_run_sort(bench_report *rep, const bench_config *cfg); /* cmlx_sort.c */
/* take and scatter_add of rows of a (50000, 256) table (indexing_ops.c) */
void bench_run_indexing(bench_report *rep, const bench_config *cfg);

/* References (reference.c). */
void bench_run_memcpy(bench_report *rep, const bench_config *cfg, int64_t n_floats);
void bench_run_sgemm(bench_report *rep, const bench_config *cfg, int64_t n);

#endif
