/* backend/cpu/linalg.c - CPU kernels of the linalg family (src/ops/linalg.c):
 * LAPACK from OpenBLAS (lapack.h), one matrix at a time over the batch.
 *
 * Each matrix is copied from its (any-strided) input into a column-major
 * work buffer, factorised there, and written back row-major, so the LAPACK
 * calls use their natural 'U'/'L' meaning. The copies are O(n^2) next to the
 * O(n^3) factorisations. Batches run in parallel with one BLAS thread per
 * matrix; a single matrix gets OpenBLAS's own threads. A failed factorisation
 * (singular or not positive definite) makes the kernel fail with a ValueError
 * naming the first failing matrix. */
#include <cblas.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cpu/lapack.h"

typedef struct linalg_params {
    bool upper;
} linalg_params; /* as in src/ops/linalg.c */

typedef enum { TASK_INV, TASK_TRI_INV, TASK_CHOLESKY, TASK_SOLVE } linalg_task;

typedef struct linalg_ctx {
    linalg_task task;
    bool upper;
    const mx_node *a, *b; /* b: solve's right-hand sides */
    mx_node *out;
    int64_t n, k;         /* a is n x n, b and the solution n x k */
    atomic_llong fail_at; /* first failing batch index + 1 (0: none) */
    atomic_int fail_info; /* LAPACK's info there */
    atomic_bool out_of_memory;
} linalg_ctx;

/* Element offset of matrix `batch` of x (its leading axes unravelled). */
static int64_t batch_offset(const mx_node *x, int64_t batch) {
    int64_t off = x->offset;
    for (int i = x->ndim - 3; i >= 0; i--) {
        off += (batch % x->shape[i]) * x->strides[i];
        batch /= x->shape[i];
    }
    return off;
}

static void record_failure(linalg_ctx *c, int64_t batch, int info) {
    long long expected = 0;
    /* keep the lowest failing index: retry while ours is lower */
    while (true) {
        if (atomic_compare_exchange_weak(&c->fail_at, &expected, (long long)batch + 1)) {
            atomic_store(&c->fail_info, info);
            return;
        }
        if (expected != 0 && expected <= batch + 1)
            return;
    }
}

/* One instantiation per float type: T the element type, P the LAPACK prefix. */
#define LINALG_IMPL(T, P)                                                                                              \
    /* rows x cols matrix at src (element strides rs, cs) into column-major dst */                                     \
    static void P##_load(T *dst, const T *src, int64_t rows, int64_t cols, int64_t rs, int64_t cs) {                   \
        for (int64_t j = 0; j < cols; j++)                                                                             \
            for (int64_t i = 0; i < rows; i++)                                                                         \
                dst[i + j * rows] = src[i * rs + j * cs];                                                              \
    }                                                                                                                  \
    /* column-major src into row-major dst; tri: keep only the lower (-1) or upper (+1) triangle */                    \
    static void P##_store(T *dst, const T *src, int64_t rows, int64_t cols, int tri) {                                 \
        for (int64_t i = 0; i < rows; i++)                                                                             \
            for (int64_t j = 0; j < cols; j++) {                                                                       \
                bool zero = (tri < 0 && j > i) || (tri > 0 && j < i);                                                  \
                dst[i * cols + j] = zero ? (T)0 : src[i + j * rows];                                                   \
            }                                                                                                          \
    }                                                                                                                  \
    static void P##_range(int64_t begin, int64_t end, void *vctx) {                                                    \
        linalg_ctx *c = vctx;                                                                                          \
        lapack_int n = (lapack_int)c->n, k = (lapack_int)c->k, lda = n > 1 ? n : 1, info = 0;                          \
        lapack_int lwork = 64 * lda;                                                                                   \
        size_t nn = (size_t)c->n * (size_t)c->n;                                                                       \
        T *w = malloc(sizeof(T) * (nn + (size_t)lwork + (size_t)c->n * (size_t)(c->k > 0 ? c->k : 1)));                \
        lapack_int *ipiv = malloc(sizeof(lapack_int) * (size_t)lda);                                                   \
        if (!w || !ipiv) {                                                                                             \
            atomic_store(&c->out_of_memory, true);                                                                     \
            free(w);                                                                                                   \
            free(ipiv);                                                                                                \
            return;                                                                                                    \
        }                                                                                                              \
        T *work = w + nn, *rhs = work + lwork;                                                                         \
        const mx_node *a = c->a;                                                                                       \
        const T *a_data = (const T *)a->buffer->ptr;                                                                   \
        T *out_data = (T *)mx_node_data(c->out);                                                                       \
        int64_t out_stride = c->n * (c->task == TASK_SOLVE ? c->k : c->n);                                             \
        char uplo = c->upper ? 'U' : 'L', diag = 'N';                                                                  \
        for (int64_t bi = begin; bi < end; bi++) {                                                                     \
            if (atomic_load(&c->fail_at) != 0 && atomic_load(&c->fail_at) <= bi + 1)                                   \
                break;                                                                                                 \
            P##_load(w, a_data + batch_offset(a, bi), c->n, c->n, a->strides[a->ndim - 2], a->strides[a->ndim - 1]);   \
            T *dst = out_data + bi * out_stride;                                                                       \
            switch (c->task) {                                                                                         \
            case TASK_INV:                                                                                             \
                P##getrf_(&n, &n, w, &lda, ipiv, &info);                                                               \
                if (info == 0)                                                                                         \
                    P##getri_(&n, w, &lda, ipiv, work, &lwork, &info);                                                 \
                if (info == 0)                                                                                         \
                    P##_store(dst, w, c->n, c->n, 0);                                                                  \
                break;                                                                                                 \
            case TASK_TRI_INV:                                                                                         \
                P##trtri_(&uplo, &diag, &n, w, &lda, &info, 1, 1);                                                     \
                if (info == 0)                                                                                         \
                    P##_store(dst, w, c->n, c->n, c->upper ? 1 : -1);                                                  \
                break;                                                                                                 \
            case TASK_CHOLESKY:                                                                                        \
                P##potrf_(&uplo, &n, w, &lda, &info, 1);                                                               \
                if (info == 0)                                                                                         \
                    P##_store(dst, w, c->n, c->n, c->upper ? 1 : -1);                                                  \
                break;                                                                                                 \
            case TASK_SOLVE: {                                                                                         \
                const mx_node *b = c->b;                                                                               \
                P##_load(rhs, (const T *)b->buffer->ptr + batch_offset(b, bi), c->n, c->k, b->strides[b->ndim - 2],    \
                         b->strides[b->ndim - 1]);                                                                     \
                P##gesv_(&n, &k, w, &lda, ipiv, rhs, &lda, &info);                                                     \
                if (info == 0)                                                                                         \
                    P##_store(dst, rhs, c->n, c->k, 0);                                                                \
                break;                                                                                                 \
            }                                                                                                          \
            }                                                                                                          \
            if (info != 0) {                                                                                           \
                record_failure(c, bi, (int)info);                                                                      \
                break;                                                                                                 \
            }                                                                                                          \
        }                                                                                                              \
        free(w);                                                                                                       \
        free(ipiv);                                                                                                    \
    }

LINALG_IMPL(float, s)
LINALG_IMPL(double, d)

static void run_range(int64_t begin, int64_t end, void *vctx) {
    linalg_ctx *c = vctx;
    if (c->out->dtype == MX_FLOAT64)
        d_range(begin, end, vctx);
    else
        s_range(begin, end, vctx);
}

/* a (..., n, n) [, b (..., n, k) with the same batch] -> out (..., n, n) or (..., n, k) */
static mx_status linalg_kernel(mx_node *out, linalg_task task) {
    const mx_node *a = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    linalg_ctx c = {.task = task, .a = a, .out = out, .n = a->shape[a->ndim - 1], .k = 0};
    if (task != TASK_SOLVE)
        c.upper = ((const linalg_params *)mx_node_params(out))->upper;
    else {
        c.b = out->inputs[1];
        c.k = c.b->shape[c.b->ndim - 1];
    }
    atomic_init(&c.fail_at, 0);
    atomic_init(&c.fail_info, 0);
    atomic_init(&c.out_of_memory, false);
    if (c.n > 0x7fffffff / 64 || c.k > 0x7fffffff)
        return mx_set_error(MX_ERROR_VALUE, "[linalg::%s] matrices of size %lld exceed LAPACK's 32-bit limit",
                            out->op->name, (long long)c.n);
    int64_t batch = out->size / (c.n * (task == TASK_SOLVE ? c.k : c.n));
    if (batch == 1) {
        run_range(0, 1, &c);
    } else {
        /* enough matrices per thread to amortise the work buffers */
        int64_t flops = c.n * c.n * (c.n + c.k) + 1;
        int64_t grain = flops >= 32768 ? 1 : 32768 / flops;
        int blas_threads = openblas_get_num_threads();
        openblas_set_num_threads(1);
        cpu_parallel_for(batch, grain, run_range, &c);
        openblas_set_num_threads(blas_threads);
    }
    if (atomic_load(&c.out_of_memory))
        return mx_set_error(MX_ERROR_MEMORY, "[linalg::%s] out of memory for LAPACK work buffers", out->op->name);
    long long at = atomic_load(&c.fail_at);
    if (at != 0) {
        int info = atomic_load(&c.fail_info);
        if (task == TASK_CHOLESKY)
            return mx_set_error(
                MX_ERROR_VALUE,
                "[linalg::cholesky] matrix %lld of the batch is not positive definite (leading minor %d).", at - 1,
                info);
        return mx_set_error(MX_ERROR_VALUE, "[linalg::%s] matrix %lld of the batch is singular (zero pivot %d).",
                            out->op->name, at - 1, info);
    }
    return MX_OK;
}

static mx_status inv_kernel(mx_node *out) { return linalg_kernel(out, TASK_INV); }
static mx_status tri_inv_kernel(mx_node *out) { return linalg_kernel(out, TASK_TRI_INV); }
static mx_status cholesky_kernel(mx_node *out) { return linalg_kernel(out, TASK_CHOLESKY); }
static mx_status solve_kernel(mx_node *out) { return linalg_kernel(out, TASK_SOLVE); }

void cpu_register_linalg(mx_backend *b) {
    b->kernels[MX_OP_inv] = inv_kernel;
    b->kernels[MX_OP_tri_inv] = tri_inv_kernel;
    b->kernels[MX_OP_cholesky] = cholesky_kernel;
    b->kernels[MX_OP_solve] = solve_kernel;
}
