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
#include <complex.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cpu/lapack.h"
#include "ops/linalg.h"

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

static void record_failure_at(atomic_llong *fail_at, atomic_int *fail_info, int64_t batch, int info) {
    long long expected = 0;
    /* keep the lowest failing index: retry while ours is lower */
    while (true) {
        if (atomic_compare_exchange_weak(fail_at, &expected, (long long)batch + 1)) {
            atomic_store(fail_info, info);
            return;
        }
        if (expected != 0 && expected <= batch + 1)
            return;
    }
}

static void record_failure(linalg_ctx *c, int64_t batch, int info) {
    record_failure_at(&c->fail_at, &c->fail_info, batch, info);
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
        cpu_parallel_for(batch, grain, run_range, &c); /* OpenBLAS is single-threaded (cpu_backend.c) */
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

/* ---- packed decompositions (layouts in ops/linalg.h) ------------------------------------- */

typedef enum { DEC_LU_FACTOR, DEC_LU, DEC_QR, DEC_SVD, DEC_EIGH, DEC_EIG, DEC_SLOGDET } decomp_task;

typedef struct decomp_ctx {
    decomp_task task;
    linalg_decomp_params p;
    const mx_node *a;
    mx_node *out;
    int64_t m, n, k;      /* input m x n, k = min(m, n) */
    int64_t stride;       /* packed values per matrix of the output */
    atomic_llong fail_at; /* first failing batch index + 1 (0: none) */
    atomic_int fail_info;
    atomic_bool out_of_memory;
} decomp_ctx;

/* Workspace size from a LAPACK query (a float: round up generously). */
static lapack_int query_size(double q) { return (lapack_int)(q * (1.0 + 1e-6)) + 1; }

enum { PART_FULL, PART_UPPER, PART_UNIT_LOWER };

#define DECOMP_IMPL(T, P)                                                                                              \
    /* rows x cols column-major src (leading dimension ld) into row-major dst; PART_UPPER keeps j >= i,                \
     * PART_UNIT_LOWER keeps j < i with ones on the diagonal (L of an LU) */                                           \
    static void P##_store_part(T *dst, const T *src, int64_t rows, int64_t cols, int64_t ld, int part) {               \
        for (int64_t i = 0; i < rows; i++)                                                                             \
            for (int64_t j = 0; j < cols; j++) {                                                                       \
                T v = src[i + j * ld];                                                                                 \
                if (part == PART_UPPER && j < i)                                                                       \
                    v = 0;                                                                                             \
                else if (part == PART_UNIT_LOWER)                                                                      \
                    v = j < i ? v : (j == i ? (T)1 : (T)0);                                                            \
                dst[i * cols + j] = v;                                                                                 \
            }                                                                                                          \
    }                                                                                                                  \
    static void P##_identity(T *dst, int64_t n) {                                                                      \
        for (int64_t i = 0; i < n * n; i++)                                                                            \
            dst[i] = i % (n + 1) == 0 ? (T)1 : (T)0;                                                                   \
    }                                                                                                                  \
    static void P##_decomp_range(int64_t begin, int64_t end, void *vctx) {                                             \
        decomp_ctx *c = vctx;                                                                                          \
        lapack_int m = (lapack_int)c->m, n = (lapack_int)c->n, k = (lapack_int)c->k, info = 0, neg = -1, one = 1;      \
        lapack_int lda = m > 1 ? m : 1, ldn = n > 1 ? n : 1;                                                           \
        bool vectors = c->p.vectors;                                                                                   \
        char jobz = vectors ? 'V' : 'N', job_svd = vectors ? 'A' : 'N', job_none = 'N';                                \
        char uplo = c->p.upper ? 'U' : 'L';                                                                            \
        size_t mn = (size_t)c->m * (size_t)c->n, mm = (size_t)c->m * (size_t)c->m, nn = (size_t)c->n * (size_t)c->n;   \
        /* fixed buffers: the matrix, then the task's vectors */                                                       \
        size_t extra = 0, ints = 1;                                                                                    \
        switch (c->task) {                                                                                             \
        case DEC_LU_FACTOR:                                                                                            \
        case DEC_LU:                                                                                                   \
        case DEC_SLOGDET:                                                                                              \
            ints = (size_t)c->k + (size_t)c->m + 1; /* ipiv, then the permutation */                                   \
            break;                                                                                                     \
        case DEC_QR:                                                                                                   \
            extra = (size_t)c->k; /* tau */                                                                            \
            break;                                                                                                     \
        case DEC_SVD:                                                                                                  \
            extra = (size_t)c->k + (vectors ? mm + nn : 0); /* s, u, vt */                                             \
            ints = 8 * (size_t)c->k + 1;                                                                               \
            break;                                                                                                     \
        case DEC_EIGH:                                                                                                 \
            extra = (size_t)c->n; /* w */                                                                              \
            break;                                                                                                     \
        case DEC_EIG:                                                                                                  \
            extra = 2 * (size_t)c->n + (vectors ? nn : 0); /* wr, wi, vr */                                            \
            break;                                                                                                     \
        }                                                                                                              \
        T *buf = malloc(sizeof(T) * (mn + extra + 1));                                                                 \
        T *A = buf, *x = buf ? buf + mn : NULL, *work = NULL;                                                          \
        lapack_int *ibuf = NULL, lwork = 1;                                                                            \
        if (!buf)                                                                                                      \
            goto oom;                                                                                                  \
        /* workspace queries */                                                                                        \
        T q = 0, q2 = 0, vl_dummy = 0;                                                                                 \
        lapack_int iq = 1;                                                                                             \
        switch (c->task) {                                                                                             \
        case DEC_QR:                                                                                                   \
            P##geqrf_(&m, &n, A, &lda, x, &q, &neg, &info);                                                            \
            P##orgqr_(&m, &k, &k, A, &lda, x, &q2, &neg, &info);                                                       \
            lwork = query_size(q > q2 ? q : q2);                                                                       \
            break;                                                                                                     \
        case DEC_SVD:                                                                                                  \
            P##gesdd_(&job_svd, &m, &n, A, &lda, x, x + k, &lda, x + k + mm, &ldn, &q, &neg, &iq, &info, 1);           \
            lwork = query_size(q);                                                                                     \
            break;                                                                                                     \
        case DEC_EIGH:                                                                                                 \
            P##syevd_(&jobz, &uplo, &n, A, &lda, x, &q, &neg, &iq, &neg, &info, 1, 1);                                 \
            lwork = query_size(q);                                                                                     \
            ints = (size_t)iq + 1;                                                                                     \
            break;                                                                                                     \
        case DEC_EIG:                                                                                                  \
            P##geev_(&job_none, &jobz, &n, A, &lda, x, x + n, &vl_dummy, &one, x + 2 * n, &ldn, &q, &neg, &info, 1,    \
                     1);                                                                                               \
            lwork = query_size(q);                                                                                     \
            break;                                                                                                     \
        default: break;                                                                                                \
        }                                                                                                              \
        work = malloc(sizeof(T) * (size_t)lwork);                                                                      \
        ibuf = malloc(sizeof(lapack_int) * ints);                                                                      \
        if (!work || !ibuf)                                                                                            \
            goto oom;                                                                                                  \
        lapack_int liwork = (lapack_int)ints;                                                                          \
        const mx_node *a = c->a;                                                                                       \
        const T *a_data = (const T *)a->buffer->ptr;                                                                   \
        for (int64_t bi = begin; bi < end; bi++) {                                                                     \
            if (atomic_load(&c->fail_at) != 0 && atomic_load(&c->fail_at) <= bi + 1)                                   \
                break;                                                                                                 \
            P##_load(A, a_data + batch_offset(a, bi), c->m, c->n, a->strides[a->ndim - 2], a->strides[a->ndim - 1]);   \
            T *dst = (T *)mx_node_data(c->out) + bi * c->stride;                                                       \
            info = 0;                                                                                                  \
            switch (c->task) {                                                                                         \
            case DEC_LU_FACTOR:                                                                                        \
            case DEC_LU:                                                                                               \
            case DEC_SLOGDET: {                                                                                        \
                lapack_int *ipiv = ibuf, *perm = ibuf + k;                                                             \
                P##getrf_(&m, &n, A, &lda, ipiv, &info);                                                               \
                if (info > 0) /* an exact zero pivot: a singular matrix is a valid input here */                       \
                    info = 0;                                                                                          \
                if (info != 0)                                                                                         \
                    break;                                                                                             \
                if (c->task == DEC_LU_FACTOR) {                                                                        \
                    P##_store_part(dst, A, c->m, c->n, lda, PART_FULL);                                                \
                    for (int64_t i = 0; i < c->k; i++)                                                                 \
                        dst[mn + i] = (T)(ipiv[i] - 1);                                                                \
                } else if (c->task == DEC_LU) {                                                                        \
                    /* rows of A in the order of L U, inverted: A = L[P] U */                                          \
                    for (lapack_int i = 0; i < m; i++)                                                                 \
                        perm[i] = i;                                                                                   \
                    for (lapack_int i = 0; i < k; i++) {                                                               \
                        lapack_int j = ipiv[i] - 1, t = perm[i];                                                       \
                        perm[i] = perm[j];                                                                             \
                        perm[j] = t;                                                                                   \
                    }                                                                                                  \
                    for (lapack_int i = 0; i < m; i++)                                                                 \
                        dst[perm[i]] = (T)i;                                                                           \
                    P##_store_part(dst + m, A, c->m, c->k, lda, PART_UNIT_LOWER);                                      \
                    P##_store_part(dst + m + (size_t)m * k, A, c->k, c->n, lda, PART_UPPER);                           \
                } else {                                                                                               \
                    T sign = 1, logabs = 0, det = 1;                                                                   \
                    for (lapack_int i = 0; i < n; i++) {                                                               \
                        T u = A[i + (size_t)i * lda];                                                                  \
                        if (ipiv[i] - 1 != i)                                                                          \
                            sign = -sign;                                                                              \
                        if (u < 0)                                                                                     \
                            sign = -sign;                                                                              \
                        logabs += (T)log(fabs((double)u));                                                             \
                        det *= u;                                                                                      \
                    }                                                                                                  \
                    if (det == 0 && logabs == -(T)INFINITY)                                                            \
                        sign = 0;                                                                                      \
                    dst[0] = sign;                                                                                     \
                    dst[1] = logabs;                                                                                   \
                    dst[2] = sign == 0 ? (T)0 : (sign < 0 ? -fabs(det) : fabs(det));                                   \
                }                                                                                                      \
                break;                                                                                                 \
            }                                                                                                          \
            case DEC_QR:                                                                                               \
                P##geqrf_(&m, &n, A, &lda, x, work, &lwork, &info);                                                    \
                if (info != 0)                                                                                         \
                    break;                                                                                             \
                P##_store_part(dst + (size_t)m * k, A, c->k, c->n, lda, PART_UPPER);                                   \
                P##orgqr_(&m, &k, &k, A, &lda, x, work, &lwork, &info);                                                \
                if (info == 0)                                                                                         \
                    P##_store_part(dst, A, c->m, c->k, lda, PART_FULL);                                                \
                break;                                                                                                 \
            case DEC_SVD: {                                                                                            \
                T *s = x, *u = x + k, *vt = x + k + mm;                                                                \
                if (k == 0) {                                                                                          \
                    if (vectors) {                                                                                     \
                        P##_identity(dst, c->m);                                                                       \
                        P##_identity(dst + mm, c->n);                                                                  \
                    }                                                                                                  \
                    break;                                                                                             \
                }                                                                                                      \
                P##gesdd_(&job_svd, &m, &n, A, &lda, s, u, &lda, vt, &ldn, work, &lwork, ibuf, &info, 1);              \
                if (info != 0)                                                                                         \
                    break;                                                                                             \
                if (vectors) {                                                                                         \
                    P##_store_part(dst, u, c->m, c->m, lda, PART_FULL);                                                \
                    memcpy(dst + mm, s, sizeof(T) * (size_t)k);                                                        \
                    P##_store_part(dst + mm + k, vt, c->n, c->n, ldn, PART_FULL);                                      \
                } else {                                                                                               \
                    memcpy(dst, s, sizeof(T) * (size_t)k);                                                             \
                }                                                                                                      \
                break;                                                                                                 \
            }                                                                                                          \
            case DEC_EIGH:                                                                                             \
                if (n == 0)                                                                                            \
                    break;                                                                                             \
                P##syevd_(&jobz, &uplo, &n, A, &lda, x, work, &lwork, ibuf, &liwork, &info, 1, 1);                     \
                if (info != 0)                                                                                         \
                    break;                                                                                             \
                memcpy(dst, x, sizeof(T) * (size_t)n);                                                                 \
                if (vectors)                                                                                           \
                    P##_store_part(dst + n, A, c->n, c->n, lda, PART_FULL);                                            \
                break;                                                                                                 \
            case DEC_EIG: {                                                                                            \
                if (n == 0)                                                                                            \
                    break;                                                                                             \
                T *wr = x, *wi = x + n, *vr = x + 2 * n;                                                               \
                P##geev_(&job_none, &jobz, &n, A, &lda, wr, wi, &vl_dummy, &one, vr, &ldn, work, &lwork, &info, 1, 1); \
                if (info != 0)                                                                                         \
                    break;                                                                                             \
                /* complex64 output: (re, im) pairs */                                                                 \
                float *cdst = (float *)mx_node_data(c->out) + 2 * bi * c->stride;                                      \
                for (lapack_int i = 0; i < n; i++) {                                                                   \
                    cdst[2 * i] = (float)wr[i];                                                                        \
                    cdst[2 * i + 1] = (float)wi[i];                                                                    \
                }                                                                                                      \
                if (!vectors)                                                                                          \
                    break;                                                                                             \
                float *v = cdst + 2 * n;                                                                               \
                for (lapack_int j = 0; j < n; j++) {                                                                   \
                    /* a complex pair: columns j and j+1 hold re and im of the first of the pair */                    \
                    bool pair = wi[j] != 0 && j + 1 < n;                                                               \
                    for (lapack_int r = 0; r < n; r++) {                                                               \
                        T re = vr[r + (size_t)j * ldn], im = pair ? vr[r + (size_t)(j + 1) * ldn] : 0;                 \
                        v[2 * ((size_t)r * n + j)] = (float)re;                                                        \
                        v[2 * ((size_t)r * n + j) + 1] = (float)im;                                                    \
                        if (pair) {                                                                                    \
                            v[2 * ((size_t)r * n + j + 1)] = (float)re;                                                \
                            v[2 * ((size_t)r * n + j + 1) + 1] = (float)-im;                                           \
                        }                                                                                              \
                    }                                                                                                  \
                    if (pair)                                                                                          \
                        j++;                                                                                           \
                }                                                                                                      \
                break;                                                                                                 \
            }                                                                                                          \
            }                                                                                                          \
            if (info != 0) {                                                                                           \
                record_failure_at(&c->fail_at, &c->fail_info, bi, (int)info);                                          \
                break;                                                                                                 \
            }                                                                                                          \
        }                                                                                                              \
        free(buf);                                                                                                     \
        free(work);                                                                                                    \
        free(ibuf);                                                                                                    \
        return;                                                                                                        \
    oom:                                                                                                               \
        atomic_store(&c->out_of_memory, true);                                                                         \
        free(buf);                                                                                                     \
        free(work);                                                                                                    \
        free(ibuf);                                                                                                    \
    }

DECOMP_IMPL(float, s)
DECOMP_IMPL(double, d)

/* ---- complex64 decompositions: svd (cgesdd), eigh (cheevd), eig (cgeev) ---- */

typedef lapack_complex_float cfloat;

/* rows x cols complex matrix at src (element strides rs, cs) into column-major dst */
static void c_load(cfloat *dst, const cfloat *src, int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
    for (int64_t j = 0; j < cols; j++)
        for (int64_t i = 0; i < rows; i++)
            dst[i + j * rows] = src[i * rs + j * cs];
}

/* rows x cols column-major src (leading dimension ld) into row-major dst */
static void c_store(cfloat *dst, const cfloat *src, int64_t rows, int64_t cols, int64_t ld) {
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++)
            dst[i * cols + j] = src[i + j * ld];
}

static void c_identity(cfloat *dst, int64_t n) {
    for (int64_t i = 0; i < n * n; i++)
        dst[i] = i % (n + 1) == 0 ? 1.0f : 0.0f;
}

/* Packed outputs (ops/linalg.h) of complex64 matrices: with vectors the
 * packed row is complex64 and the real S / w are stored with zero imaginary
 * parts; values only, it is float32 (S, w), except eig's complex w. */
static void c_decomp_range(int64_t begin, int64_t end, void *vctx) {
    decomp_ctx *c = vctx;
    lapack_int m = (lapack_int)c->m, n = (lapack_int)c->n, k = (lapack_int)c->k, info = 0, neg = -1, one = 1;
    lapack_int lda = m > 1 ? m : 1, ldn = n > 1 ? n : 1;
    bool vectors = c->p.vectors;
    char jobz = vectors ? 'V' : 'N', job_svd = vectors ? 'A' : 'N', job_none = 'N';
    char uplo = c->p.upper ? 'U' : 'L';
    size_t mn = (size_t)c->m * (size_t)c->n, mm = (size_t)c->m * (size_t)c->m, nn = (size_t)c->n * (size_t)c->n;
    size_t kk = (size_t)c->k, big = (size_t)(c->m > c->n ? c->m : c->n);
    /* complex buffers: the matrix, then u and vt (svd) or w and vr (eig);
     * real ones: s (svd) or w (eigh), then LAPACK's rwork */
    size_t cextra = 0, rvals = 0, lrwork_size = 1, ints = 1;
    switch (c->task) {
    case DEC_SVD: {
        size_t r1 = 5 * kk * kk + 5 * kk, r2 = 2 * big * kk + 2 * kk * kk + kk;
        cextra = vectors ? mm + nn : 0;
        rvals = kk;
        lrwork_size = vectors ? (r1 > r2 ? r1 : r2) : 7 * kk; /* LAPACK's documented minimum */
        ints = 8 * kk;
        break;
    }
    case DEC_EIGH: rvals = (size_t)c->n; break;
    case DEC_EIG:
        cextra = (size_t)c->n + (vectors ? nn : 0);
        lrwork_size = 2 * (size_t)c->n;
        break;
    default: break;
    }
    cfloat *buf = malloc(sizeof(cfloat) * (mn + cextra + 1)), *work = NULL;
    float *rbuf = NULL;
    lapack_int *ibuf = NULL, lwork = 1, lrwork = 1, liwork = 1;
    if (!buf)
        goto oom;
    cfloat *A = buf, *x = buf + mn;
    /* workspace queries */
    cfloat q = 0, dummy = 0;
    float rq = 0, rdummy = 0;
    lapack_int iq = 1, idummy = 0;
    switch (c->task) {
    case DEC_SVD:
        cgesdd_(&job_svd, &m, &n, A, &lda, &rdummy, x, &lda, x + mm, &ldn, &q, &neg, &rdummy, &idummy, &info, 1);
        break;
    case DEC_EIGH:
        cheevd_(&jobz, &uplo, &n, A, &lda, &rdummy, &q, &neg, &rq, &neg, &iq, &neg, &info, 1, 1);
        lrwork_size = query_size(rq);
        ints = (size_t)iq;
        break;
    case DEC_EIG:
        cgeev_(&job_none, &jobz, &n, A, &lda, x, &dummy, &one, x + n, &ldn, &q, &neg, &rdummy, &info, 1, 1);
        break;
    default: break;
    }
    lwork = query_size(crealf(q));
    lrwork = (lapack_int)lrwork_size;
    liwork = (lapack_int)(ints > 0 ? ints : 1);
    work = malloc(sizeof(cfloat) * (size_t)lwork);
    rbuf = malloc(sizeof(float) * (rvals + lrwork_size + 1));
    ibuf = malloc(sizeof(lapack_int) * (ints + 1));
    if (!work || !rbuf || !ibuf)
        goto oom;
    float *rv = rbuf, *rwork = rbuf + rvals;
    const mx_node *a = c->a;
    const cfloat *a_data = (const cfloat *)a->buffer->ptr;
    for (int64_t bi = begin; bi < end; bi++) {
        if (atomic_load(&c->fail_at) != 0 && atomic_load(&c->fail_at) <= bi + 1)
            break;
        c_load(A, a_data + batch_offset(a, bi), c->m, c->n, a->strides[a->ndim - 2], a->strides[a->ndim - 1]);
        cfloat *cdst = (cfloat *)mx_node_data(c->out) + bi * c->stride;
        float *fdst = (float *)mx_node_data(c->out) + bi * c->stride;
        info = 0;
        switch (c->task) {
        case DEC_SVD: {
            cfloat *u = x, *vt = x + mm;
            if (k == 0) {
                if (vectors) {
                    c_identity(cdst, c->m);
                    c_identity(cdst + mm, c->n);
                }
                break;
            }
            cgesdd_(&job_svd, &m, &n, A, &lda, rv, u, &lda, vt, &ldn, work, &lwork, rwork, ibuf, &info, 1);
            if (info != 0)
                break;
            if (vectors) {
                c_store(cdst, u, c->m, c->m, lda);
                for (size_t i = 0; i < kk; i++)
                    cdst[mm + i] = rv[i];
                c_store(cdst + mm + kk, vt, c->n, c->n, ldn);
            } else {
                memcpy(fdst, rv, sizeof(float) * kk);
            }
            break;
        }
        case DEC_EIGH:
            if (n == 0)
                break;
            cheevd_(&jobz, &uplo, &n, A, &lda, rv, work, &lwork, rwork, &lrwork, ibuf, &liwork, &info, 1, 1);
            if (info != 0)
                break;
            if (vectors) {
                for (lapack_int i = 0; i < n; i++)
                    cdst[i] = rv[i];
                c_store(cdst + n, A, c->n, c->n, lda);
            } else {
                memcpy(fdst, rv, sizeof(float) * (size_t)n);
            }
            break;
        case DEC_EIG:
            if (n == 0)
                break;
            cgeev_(&job_none, &jobz, &n, A, &lda, x, &dummy, &one, x + n, &ldn, work, &lwork, rwork, &info, 1, 1);
            if (info != 0)
                break;
            memcpy(cdst, x, sizeof(cfloat) * (size_t)n);
            if (vectors)
                c_store(cdst + n, x + n, c->n, c->n, ldn);
            break;
        default: break;
        }
        if (info != 0) {
            record_failure_at(&c->fail_at, &c->fail_info, bi, (int)info);
            break;
        }
    }
    free(buf);
    free(work);
    free(rbuf);
    free(ibuf);
    return;
oom:
    atomic_store(&c->out_of_memory, true);
    free(buf);
    free(work);
    free(rbuf);
    free(ibuf);
}

static void decomp_run_range(int64_t begin, int64_t end, void *vctx) {
    decomp_ctx *c = vctx;
    if (c->a->dtype == MX_COMPLEX64)
        c_decomp_range(begin, end, vctx);
    else if (c->a->dtype == MX_FLOAT64)
        d_decomp_range(begin, end, vctx);
    else
        s_decomp_range(begin, end, vctx);
}

/* a (..., m, n) float32/float64/complex64 -> out (..., stride): the packed outputs of ops/linalg.h */
static mx_status decomp_kernel(mx_node *out, decomp_task task) {
    const mx_node *a = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    decomp_ctx c = {.task = task, .a = a, .out = out};
    c.p = *(const linalg_decomp_params *)mx_node_params(out);
    c.m = a->shape[a->ndim - 2];
    c.n = a->shape[a->ndim - 1];
    c.k = c.m < c.n ? c.m : c.n;
    c.stride = out->shape[out->ndim - 1];
    atomic_init(&c.fail_at, 0);
    atomic_init(&c.fail_info, 0);
    atomic_init(&c.out_of_memory, false);
    int64_t big = c.m > c.n ? c.m : c.n;
    if (big > 46340) /* m * n must fit LAPACK's 32-bit integers */
        return mx_set_error(MX_ERROR_VALUE, "[linalg::%s] matrices of size %lld x %lld exceed LAPACK's 32-bit limit",
                            out->op->name, (long long)c.m, (long long)c.n);
    int64_t batch = out->size / c.stride;
    if (batch == 1) {
        decomp_run_range(0, 1, &c);
    } else {
        int64_t flops = c.m * c.n * big + 1;
        int64_t grain = flops >= 32768 ? 1 : 32768 / flops;
        cpu_parallel_for(batch, grain, decomp_run_range, &c); /* OpenBLAS is single-threaded (cpu_backend.c) */
    }
    if (atomic_load(&c.out_of_memory))
        return mx_set_error(MX_ERROR_MEMORY, "[linalg::%s] out of memory for LAPACK work buffers", out->op->name);
    long long at = atomic_load(&c.fail_at);
    if (at != 0)
        /* MLX raises RuntimeError ("... failed with error code") */
        return mx_set_error(MX_ERROR_UNSUPPORTED,
                            "[linalg::%s] LAPACK failed on matrix %lld of the batch (error code %d: not converged or "
                            "not finite).",
                            out->op->name, at - 1, atomic_load(&c.fail_info));
    return MX_OK;
}

static mx_status lu_factor_kernel(mx_node *out) { return decomp_kernel(out, DEC_LU_FACTOR); }
static mx_status lu_kernel(mx_node *out) { return decomp_kernel(out, DEC_LU); }
static mx_status qr_kernel(mx_node *out) { return decomp_kernel(out, DEC_QR); }
static mx_status svd_kernel(mx_node *out) { return decomp_kernel(out, DEC_SVD); }
static mx_status eigh_kernel(mx_node *out) { return decomp_kernel(out, DEC_EIGH); }
static mx_status eig_kernel(mx_node *out) { return decomp_kernel(out, DEC_EIG); }
static mx_status slogdet_kernel(mx_node *out) { return decomp_kernel(out, DEC_SLOGDET); }

void cpu_register_linalg(mx_backend *b) {
    b->kernels[MX_OP_inv] = inv_kernel;
    b->kernels[MX_OP_tri_inv] = tri_inv_kernel;
    b->kernels[MX_OP_cholesky] = cholesky_kernel;
    b->kernels[MX_OP_solve] = solve_kernel;
    b->kernels[MX_OP_lu_factor] = lu_factor_kernel;
    b->kernels[MX_OP_lu] = lu_kernel;
    b->kernels[MX_OP_qr] = qr_kernel;
    b->kernels[MX_OP_svd] = svd_kernel;
    b->kernels[MX_OP_eigh] = eigh_kernel;
    b->kernels[MX_OP_eig] = eig_kernel;
    b->kernels[MX_OP_slogdet] = slogdet_kernel;
}
