/* backend/cpu/cpu.h - shared machinery of the CPU kernels: threads, the
 * strided element-wise driver, and dtype dispatch tables.
 *
 * Threads: cmlx's own pool (parallel.c), used only above a size threshold
 * so small ops pay no fork/join. OpenBLAS runs on one thread (set when the
 * backend starts): GEMM-shaped work is cut into blocks spread over the pool,
 * so only one set of threads ever runs, and none busy-waits for long. */
#ifndef CMLX_BACKEND_CPU_CPU_H
#define CMLX_BACKEND_CPU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/backend.h"
#include "core/error.h"
#include "core/half.h"
#include "core/node.h"
#include "ops/ops.h"

/* ---- threads ------------------------------------------------------------------ */
int cpu_num_threads(void);
/* Sets the thread count (clamped to 1..512) for the next parallel calls: the
 * pool's workers are joined and start again, as many as the new count asks
 * for, on the next call. Waits for a job running on another thread; does
 * nothing from inside a job. */
void cpu_set_num_threads(int n);
/* Calls fn(begin, end, ctx) over disjoint ranges covering [0, n), in
 * parallel when n >= 2 * grain. */
typedef void (*cpu_range_fn)(int64_t begin, int64_t end, void *ctx);
void cpu_parallel_for(int64_t n, int64_t grain, cpu_range_fn fn, void *ctx);
/* Calls fn over [c * chunk, (c + 1) * chunk) for every chunk c of [0, n),
 * the chunks handed out to the threads one at a time. */
void cpu_parallel_chunks(int64_t n, int64_t chunk, cpu_range_fn fn, void *ctx);
/* Inside fn of a parallel call: this thread's slot, 0 <= slot <
 * min(cpu_num_threads(), number of chunks), unique among the threads running
 * that call (for per-thread scratch); 0 when the call runs serially. */
int cpu_thread_slot(void);
/* False inside fn of a parallel call (nested calls run serially there). */
bool cpu_parallel_available(void);

/* C (m x n, ldc) = op(A) @ op(B) (+ C when accumulate), row-major BLAS
 * conventions, dtype float32, float64 or complex64 (GEMV when m or n is 1).
 * cpu_gemm spreads a big product over the pool in blocks of C, one
 * single-threaded OpenBLAS call each; cpu_gemm_serial is one call. */
void cpu_gemm(mx_dtype dt, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda, const void *b,
              int64_t ldb, bool accumulate, void *c, int64_t ldc);
void cpu_gemm_serial(mx_dtype dt, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda,
                     const void *b, int64_t ldb, bool accumulate, void *c, int64_t ldc);

/* Elements below which element-wise kernels stay on one thread. */
#define CPU_ELEMENTWISE_GRAIN 32768

/* ---- strided element-wise driver ----------------------------------------------- */
#define CPU_MAX_OPERANDS 4

/* A run of n elements: ptrs[k] is operand k's first element, strides[k] its
 * stride in BYTES along the run (0 for a broadcast operand). Operand 0 is
 * the output by convention. */
typedef void (*cpu_run_fn)(char **ptrs, const int64_t *strides, int64_t n, void *ctx);

typedef struct cpu_operand {
    char *data;             /* first element */
    const int64_t *strides; /* element strides over the shared shape */
    size_t itemsize;
} cpu_operand;

/* Visit every index of `shape` (the output's), calling fn on maximal runs
 * along the innermost (collapsed) dimension. Dims that are contiguous for
 * all operands are merged first, so a contiguous op is one run per thread. */
void cpu_foreach(const cpu_operand *operands, int n_operands, const int64_t *shape, int ndim, int64_t grain,
                 cpu_run_fn fn, void *ctx);

/* Operand of a node as it is stored (its own strides). */
cpu_operand cpu_operand_of(const mx_node *n);

/* ---- conversions and copies ------------------------------------------------------ */
/* Convert n elements from (src, src_dtype, src_stride bytes) to (dst,
 * dst_dtype, dst_stride bytes). */
void cpu_convert_run(char *dst, mx_dtype dst_dtype, int64_t dst_stride, const char *src, mx_dtype src_dtype,
                     int64_t src_stride, int64_t n);
/* dst (fresh, row-contiguous) = src converted to dst->dtype, any strides. */
mx_status cpu_copy(mx_node *dst, const mx_node *src);

/* MLX's Hadamard matrix H_m ('+'/'-' rows) for m = 12, 20, 28, else NULL (quantize.c). */
const char *const *cpu_hadamard_matrix(int m);
/* Flattened batch index, for output batch index i, of an operand whose batch
 * dims (ob of them, shape bshape) broadcast against the output's nb dims
 * (oshape): quantized_matmul's batch rule (quantize.c). */
int64_t cpu_broadcast_batch_index(int64_t i, const int64_t *oshape, int nb, const int64_t *bshape, int ob);

/* ---- kernel registration (one function per family file) ---------------------------- */
void cpu_register_creation(mx_backend *b);
void cpu_register_copy(mx_backend *b);
void cpu_register_unary(mx_backend *b);
void cpu_register_binary(mx_backend *b);
void cpu_register_reduce(mx_backend *b);
void cpu_register_matmul(mx_backend *b);
void cpu_register_shape(mx_backend *b);
void cpu_register_indexing(mx_backend *b);
void cpu_register_random(mx_backend *b);
void cpu_register_scatter(mx_backend *b);
void cpu_register_scan(mx_backend *b);
void cpu_register_sort(mx_backend *b);
void cpu_register_conv(mx_backend *b);
void cpu_register_fast(mx_backend *b);
void cpu_register_norm_vjp(mx_backend *b); /* norm_vjp.c, called by cpu_register_fast */
void cpu_register_linalg(mx_backend *b);
void cpu_register_fft(mx_backend *b);
void cpu_register_quantize(mx_backend *b);
void cpu_register_composite(mx_backend *b);
void cpu_register_io(mx_backend *b);

#endif
