/* backend/cpu/gemm.c - one GEMM spread over cmlx's thread pool.
 *
 * OpenBLAS runs on one thread (cpu_backend.c), so a big product is cut here
 * into blocks of rows of C (or of columns, when C is wide and short), each
 * block one single-threaded BLAS call claimed by a pool thread. A block
 * re-packs the shared operand, which costs little next to its multiply-adds
 * once a block holds CPU_GEMM_BLOCK_WORK of them; in exchange there is only
 * one set of threads, and none of them busy-waits between products. */
#include <cblas.h>
#include <string.h>

#include "backend/cpu/cpu.h"

/* Multiply-adds below which a product stays on one thread, and the least a
 * block gets. */
#define CPU_GEMM_PARALLEL_WORK (64.0 * 64 * 64)
#define CPU_GEMM_BLOCK_WORK (32.0 * 64 * 64)

static const float one_c[2] = {1, 0}, zero_c[2] = {0, 0};

/* y = op(A) x for one side of length 1; y has stride incy. */
static void gemv(mx_dtype dt, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const char *a, int64_t lda,
                 const char *b, int64_t ldb, bool accumulate, char *c, int64_t ldc) {
    CBLAS_TRANSPOSE t;
    int rows, cols, ld, incx, incy;
    const char *mat, *x;
    int64_t len;
    if (m == 1) { /* y(n) = op(B)^T x, x = the row of op(A) */
        mat = b, x = a, ld = (int)ldb, incx = ta ? (int)lda : 1, incy = 1, len = n;
        t = tb ? CblasNoTrans : CblasTrans;
        rows = tb ? (int)n : (int)k, cols = tb ? (int)k : (int)n;
    } else { /* y(m) = op(A) x, x = the column of op(B) */
        mat = a, x = b, ld = (int)lda, incx = tb ? 1 : (int)ldb, incy = (int)ldc, len = m;
        t = ta ? CblasTrans : CblasNoTrans;
        rows = ta ? (int)k : (int)m, cols = ta ? (int)m : (int)k;
    }
    if (!accumulate) {
        /* y zeroed first so uninitialised memory can never leak through
         * (BLAS only promises to ignore y when beta == 0 in some versions) */
        size_t es = mx_dtype_size(dt);
        for (int64_t i = 0; i < len; i++)
            memset(c + i * incy * (int64_t)es, 0, es);
    }
    switch (dt) {
    case MX_FLOAT32:
        cblas_sgemv(CblasRowMajor, t, rows, cols, 1.0f, (const float *)mat, ld, (const float *)x, incx,
                    accumulate ? 1.0f : 0.0f, (float *)c, incy);
        break;
    case MX_FLOAT64:
        cblas_dgemv(CblasRowMajor, t, rows, cols, 1.0, (const double *)mat, ld, (const double *)x, incx,
                    accumulate ? 1.0 : 0.0, (double *)c, incy);
        break;
    default:
        cblas_cgemv(CblasRowMajor, t, rows, cols, one_c, mat, ld, x, incx, accumulate ? one_c : zero_c, c, incy);
        break;
    }
}

void cpu_gemm_serial(mx_dtype dt, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda,
                     const void *b, int64_t ldb, bool accumulate, void *c, int64_t ldc) {
    if (m == 1 || n == 1) {
        gemv(dt, ta, tb, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
        return;
    }
    const CBLAS_TRANSPOSE ta_ = ta ? CblasTrans : CblasNoTrans, tb_ = tb ? CblasTrans : CblasNoTrans;
    switch (dt) {
    case MX_FLOAT32:
        cblas_sgemm(CblasRowMajor, ta_, tb_, (int)m, (int)n, (int)k, 1.0f, a, (int)lda, b, (int)ldb,
                    accumulate ? 1.0f : 0.0f, c, (int)ldc);
        break;
    case MX_FLOAT64:
        cblas_dgemm(CblasRowMajor, ta_, tb_, (int)m, (int)n, (int)k, 1.0, a, (int)lda, b, (int)ldb,
                    accumulate ? 1.0 : 0.0, c, (int)ldc);
        break;
    default:
        cblas_cgemm(CblasRowMajor, ta_, tb_, (int)m, (int)n, (int)k, one_c, a, (int)lda, b, (int)ldb,
                    accumulate ? one_c : zero_c, c, (int)ldc);
        break;
    }
}

typedef struct gemm_blocks {
    mx_dtype dt;
    bool ta, tb, accumulate, by_rows;
    int64_t m, n, k, lda, ldb, ldc, block;
    const char *a, *b;
    char *c;
    size_t es;
} gemm_blocks;

static void gemm_block_range(int64_t begin, int64_t end, void *vctx) {
    const gemm_blocks *g = vctx;
    int64_t es = (int64_t)g->es;
    for (int64_t blk = begin; blk < end; blk++) {
        int64_t lo = blk * g->block;
        if (g->by_rows) { /* rows lo.. of C: rows of op(A) */
            int64_t rows = g->m - lo < g->block ? g->m - lo : g->block;
            const char *a = g->a + lo * (g->ta ? 1 : g->lda) * es;
            cpu_gemm_serial(g->dt, g->ta, g->tb, rows, g->n, g->k, a, g->lda, g->b, g->ldb, g->accumulate,
                            g->c + lo * g->ldc * es, g->ldc);
        } else { /* columns lo.. of C: columns of op(B) */
            int64_t cols = g->n - lo < g->block ? g->n - lo : g->block;
            const char *b = g->b + lo * (g->tb ? g->ldb : 1) * es;
            cpu_gemm_serial(g->dt, g->ta, g->tb, g->m, cols, g->k, g->a, g->lda, b, g->ldb, g->accumulate,
                            g->c + lo * es, g->ldc);
        }
    }
}

void cpu_gemm(mx_dtype dt, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda, const void *b,
              int64_t ldb, bool accumulate, void *c, int64_t ldc) {
    double work = (double)m * (double)n * (double)k;
    int threads = cpu_num_threads();
    if (work < CPU_GEMM_PARALLEL_WORK || threads < 2 || !cpu_parallel_available() || m <= 0 || n <= 0) {
        cpu_gemm_serial(dt, ta, tb, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
        return;
    }
    gemm_blocks g = {.dt = dt,
                     .ta = ta,
                     .tb = tb,
                     .accumulate = accumulate,
                     .m = m,
                     .n = n,
                     .k = k,
                     .lda = lda,
                     .ldb = ldb,
                     .ldc = ldc,
                     .a = a,
                     .b = b,
                     .c = c,
                     .es = mx_dtype_size(dt)};
    /* cut the longer side of C; columns in multiples of 16 (whole SIMD
     * registers of every dtype), rows in multiples of 4 */
    g.by_rows = m >= n;
    int64_t side = g.by_rows ? m : n, align = g.by_rows ? 4 : 16;
    /* two blocks per thread: a thread the OS holds back costs half a share */
    int64_t blocks = 2 * (int64_t)threads;
    int64_t most = (int64_t)(work / CPU_GEMM_BLOCK_WORK);
    if (blocks > most)
        blocks = most;
    int64_t block = (side + blocks - 1) / (blocks > 0 ? blocks : 1);
    block = (block + align - 1) / align * align;
    if (block >= side) {
        cpu_gemm_serial(dt, ta, tb, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
        return;
    }
    g.block = block;
    cpu_parallel_chunks((side + block - 1) / block, 1, gemm_block_range, &g);
}
