/* backend/cpu/matmul.c - the matmul kernel: OpenBLAS GEMM (GEMV when one
 * side is a vector) per matrix of the batch, through cpu_gemm (gemm.c).
 *
 * Operands go to BLAS in place whenever their last two strides describe a
 * row-major matrix or its transpose; a batch dim broadcast with stride 0 is
 * simply re-read for every batch entry. Other layouts (negative, zero or
 * scattered matrix strides) and float16/bfloat16 (computed in float32, as
 * MLX's CPU backend does) go through one scratch copy, which keeps the
 * broadcast batch dims unexpanded. */
#include <limits.h>
#include <string.h>

#include "backend/cpu/cpu.h"

/* Per-matrix work (M*N*K) up to which a product gains little from being cut
 * into blocks (cpu_gemm): batches of such matrices are spread over the
 * threads one product each instead. */
#define SMALL_GEMM_WORK (65536.0 * 4)
/* Above this, a single GEMM is big enough to be cut into blocks over all the
 * threads even when the batch could be spread. */
#define LARGE_GEMM_WORK (256.0 * 256 * 256)

/* One operand as BLAS sees it: the first matrix, element strides of the
 * batch dims (0 where broadcast), and its layout. */
typedef struct gemm_operand {
    char *data;
    int64_t batch_strides[MX_MAX_NDIM];
    bool trans; /* stored as the row-major transpose */
    int64_t ld; /* leading dimension, in elements */
    mx_buffer *scratch;
} gemm_operand;

typedef struct gemm_plan {
    mx_dtype dtype; /* the BLAS dtype: float32, float64 or complex64 */
    size_t itemsize;
    int nbatch;
    const int64_t *batch_shape;
    int64_t batch, m, n, k;
    gemm_operand a, b;
    char *c; /* batch * m * n contiguous, in `dtype` */
} gemm_plan;

/* Can a rows x cols matrix with element strides (rs, cs) be passed to BLAS
 * as is? Strides of size-1 dims are irrelevant; leading dims must be at
 * least the row length (BLAS's rule) and fit in its int. */
static bool blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs, bool *trans, int64_t *ld) {
    int64_t row_len = cols > 1 ? cols : 1, col_len = rows > 1 ? rows : 1;
    if ((cols == 1 || cs == 1) && (rows == 1 || rs >= row_len)) {
        *trans = false;
        *ld = rows == 1 ? row_len : rs;
    } else if ((rows == 1 || rs == 1) && (cols == 1 || cs >= col_len)) {
        *trans = true;
        *ld = cols == 1 ? col_len : cs;
    } else {
        return false;
    }
    return *ld <= INT_MAX;
}

/* Fill op for input x (rows x cols per matrix) in the plan's dtype: in place
 * if possible, else a row-major scratch copy (converted if x's dtype
 * differs) in which broadcast batch dims stay of size 1. */
static mx_status prepare_operand(const mx_node *x, const gemm_plan *p, int64_t rows, int64_t cols, gemm_operand *op) {
    int nd = x->ndim;
    op->scratch = NULL;
    if (x->dtype == p->dtype && blas_layout(rows, cols, x->strides[nd - 2], x->strides[nd - 1], &op->trans, &op->ld)) {
        op->data = mx_node_data(x);
        for (int i = 0; i < p->nbatch; i++)
            op->batch_strides[i] = x->shape[i] == 1 ? 0 : x->strides[i];
        return MX_OK;
    }
    int64_t shape[MX_MAX_NDIM], strides[MX_MAX_NDIM], count = 1;
    for (int i = 0; i < nd; i++) {
        shape[i] = i < p->nbatch && x->strides[i] == 0 ? 1 : x->shape[i];
        count *= shape[i];
    }
    op->scratch = mx_buffer_alloc((size_t)count * p->itemsize, "matmul");
    if (!op->scratch)
        return mx_last_status();
    mx_row_strides(shape, nd, strides);
    mx_node src = *x, dst = *x;
    src.shape = shape; /* x's own strides: compacted dims have size 1 */
    dst.shape = shape;
    dst.strides = strides;
    dst.dtype = p->dtype;
    dst.buffer = op->scratch;
    dst.offset = 0;
    mx_status st = cpu_copy(&dst, &src);
    if (st != MX_OK)
        return st;
    op->data = op->scratch->ptr;
    op->trans = false;
    op->ld = cols;
    for (int i = 0; i < p->nbatch; i++)
        op->batch_strides[i] = shape[i] == 1 ? 0 : strides[i];
    return MX_OK;
}

/* C (m x n, row-major, ld n) = A @ B for one matrix of the batch: spread
 * over the pool when big (serial when the batch is spread already). */
static void gemm_one(const gemm_plan *p, const char *a, const char *b, char *c) {
    cpu_gemm(p->dtype, p->a.trans, p->b.trans, p->m, p->n, p->k, a, p->a.ld, b, p->b.ld, false, c, p->n);
}

/* Batch entries [begin, end): unravel each index over the batch shape. */
static void gemm_range(int64_t begin, int64_t end, void *vctx) {
    const gemm_plan *p = vctx;
    size_t es = p->itemsize;
    for (int64_t i = begin; i < end; i++) {
        int64_t rem = i, off_a = 0, off_b = 0;
        for (int d = p->nbatch - 1; d >= 0; d--) {
            int64_t idx = rem % p->batch_shape[d];
            rem /= p->batch_shape[d];
            off_a += idx * p->a.batch_strides[d];
            off_b += idx * p->b.batch_strides[d];
        }
        gemm_one(p, p->a.data + off_a * (int64_t)es, p->b.data + off_b * (int64_t)es,
                 p->c + i * p->m * p->n * (int64_t)es);
    }
}

/* (batch..., M, K) @ (K, N) with b broadcast over the batch and a's
 * matrices stacked at a uniform row stride (a linear layer on a batch):
 * one (batch * M, K) @ (K, N) product instead of `batch` thin ones. */
static void fold_batch_into_rows(gemm_plan *p) {
    if (p->batch < 2 || p->a.trans || (double)p->batch * (double)p->m > INT_MAX)
        return;
    int64_t expected = p->m * p->a.ld;
    for (int d = p->nbatch - 1; d >= 0; d--) {
        if (p->b.batch_strides[d] != 0)
            return;
        if (p->batch_shape[d] == 1)
            continue;
        if (p->a.batch_strides[d] != expected)
            return;
        expected *= p->batch_shape[d];
    }
    p->m *= p->batch;
    p->batch = 1;
    p->nbatch = 0;
}

static void run_batch(gemm_plan *p) {
    double work = (double)p->m * (double)p->n * (double)p->k;
    int threads = cpu_num_threads();
    bool spread =
        p->batch >= 2 && threads >= 2 && (work <= SMALL_GEMM_WORK || (p->batch >= threads && work <= LARGE_GEMM_WORK));
    if (!spread) {
        gemm_range(0, p->batch, p); /* each product spread over the pool */
        return;
    }
    cpu_parallel_for(p->batch, 1, gemm_range, p); /* each product on one thread */
}

typedef struct narrow_ctx {
    char *dst;
    mx_dtype dst_dtype;
    const float *src;
} narrow_ctx;

static void narrow_range(int64_t begin, int64_t end, void *vctx) {
    const narrow_ctx *c = vctx;
    size_t es = mx_dtype_size(c->dst_dtype);
    cpu_convert_run(c->dst + begin * (int64_t)es, c->dst_dtype, (int64_t)es, (const char *)(c->src + begin), MX_FLOAT32,
                    (int64_t)sizeof(float), end - begin);
}

/* out (batch..., M, N) = a (batch..., M, K) @ b (batch..., K, N); the
 * inputs have out's dtype and batch shape (broadcast dims have stride 0). */
static mx_status matmul_kernel(mx_node *out) {
    const mx_node *a = out->inputs[0], *b = out->inputs[1];
    int nd = out->ndim;
    gemm_plan p = {0};
    p.nbatch = nd - 2;
    p.batch_shape = out->shape;
    p.m = out->shape[nd - 2];
    p.n = out->shape[nd - 1];
    p.k = a->shape[nd - 1];
    p.batch = p.m > 0 && p.n > 0 ? out->size / (p.m * p.n) : 0;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    if (p.k == 0) { /* an empty sum */
        memset(mx_node_data(out), 0, (size_t)out->size * mx_dtype_size(out->dtype));
        return MX_OK;
    }
    if (p.m > INT_MAX || p.n > INT_MAX || p.k > INT_MAX)
        return mx_set_error(MX_ERROR_VALUE,
                            "matmul: matrix dimensions (%lld x %lld) @ (%lld x %lld) exceed BLAS's "
                            "32-bit limit",
                            (long long)p.m, (long long)p.k, (long long)p.k, (long long)p.n);
    bool narrow = out->dtype == MX_FLOAT16 || out->dtype == MX_BFLOAT16;
    p.dtype = narrow ? MX_FLOAT32 : out->dtype;
    p.itemsize = mx_dtype_size(p.dtype);
    mx_buffer *c_scratch = NULL;
    st = prepare_operand(a, &p, p.m, p.k, &p.a);
    if (st == MX_OK)
        st = prepare_operand(b, &p, p.k, p.n, &p.b);
    if (st == MX_OK && narrow) {
        c_scratch = mx_buffer_alloc((size_t)out->size * sizeof(float), "matmul");
        st = c_scratch ? MX_OK : mx_last_status();
    }
    if (st == MX_OK) {
        p.c = narrow ? c_scratch->ptr : mx_node_data(out);
        fold_batch_into_rows(&p);
        run_batch(&p);
        if (narrow) {
            narrow_ctx nc = {mx_node_data(out), out->dtype, c_scratch->ptr};
            cpu_parallel_for(out->size, CPU_ELEMENTWISE_GRAIN, narrow_range, &nc);
        }
    }
    mx_buffer_release(p.a.scratch);
    mx_buffer_release(p.b.scratch);
    mx_buffer_release(c_scratch);
    return st;
}

void cpu_register_matmul(mx_backend *b) { b->kernels[MX_OP_matmul] = matmul_kernel; }
