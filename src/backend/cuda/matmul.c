/* backend/cuda/matmul.c - matmul through cuBLASLt.
 *
 * The node is (batch..., M, K) @ (batch..., K, N) -> (batch..., M, N), both
 * operands of the output's dtype and broadcast to the batch shape (stride 0
 * batch dims). Row-major C = A B is computed as column-major C^T = B^T A^T,
 * so no operand is copied: each one is passed with its own leading dimension
 * and a transpose flag when its last two dims are row- or column-major, and
 * the batch is one strided-batched call when its dims collapse to one stride
 * (0 for a broadcast operand). Other layouts are copied once on the GPU.
 * float32 accumulates in float32 (TF32 tensor cores when enabled),
 * float16/bfloat16 in float32, float64 in float64, complex64 (CUDA_C_32F)
 * in float32 complex. */
#include <cublasLt.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "ops/addmm.h"

static cublasLtHandle_t g_lt;
static void *g_workspace;
static size_t g_workspace_capacity;
static const size_t k_workspace_bytes = (size_t)32 << 20;
static bool g_tf32;

void cuda_matmul_set_tf32(bool enabled) { g_tf32 = enabled; }
bool cuda_matmul_tf32(void) { return g_tf32; }

static mx_status lt_check(cublasStatus_t s, const char *what) {
    if (s == CUBLAS_STATUS_SUCCESS)
        return MX_OK;
    return mx_set_error(s == CUBLAS_STATUS_ALLOC_FAILED ? MX_ERROR_MEMORY : MX_ERROR_INTERNAL,
                        "matmul: cuBLASLt failed in %s (status %d)", what, (int)s);
}

/* The handle and the workspace, made on first use; every product of the
 * backend (matmul, addmm, gather_mm, quantized_matmul) shares them. */
static mx_status lt_init(void) {
    if (g_lt)
        return MX_OK;
    mx_status st = lt_check(cublasLtCreate(&g_lt), "creating the handle");
    if (st != MX_OK)
        return st;
    g_workspace = cuda_scratch_alloc(k_workspace_bytes, "matmul", &g_workspace_capacity);
    if (!g_workspace) {
        cublasLtDestroy(g_lt);
        g_lt = NULL;
        return mx_last_status();
    }
    return MX_OK;
}

/* An operand's matrix as cuBLASLt sees it (column-major). */
typedef struct lt_operand {
    void *ptr;
    cublasOperation_t op;
    uint64_t rows, cols; /* of the stored column-major matrix */
    int64_t ld;
    int64_t batch_stride;
    void *copy; /* a contiguous copy we made, or NULL */
    size_t copy_capacity;
} lt_operand;

/* The batch dims (0..nb-1) of n collapsed to one stride, or false. */
static bool batch_stride_of(const mx_node *n, int nb, int64_t *stride) {
    int64_t s = 0;
    bool have = false;
    int64_t expect = 0;
    for (int d = nb - 1; d >= 0; d--) {
        if (n->shape[d] == 1)
            continue;
        if (!have) {
            s = n->strides[d];
            expect = s * n->shape[d];
            have = true;
        } else if (n->strides[d] == expect || (s == 0 && n->strides[d] == 0)) {
            expect = n->strides[d] * n->shape[d];
        } else {
            return false;
        }
    }
    *stride = s;
    return true;
}

/* Describe operand x (R x C row-major view, as the product's left factor
 * when `left`) for the column-major product C^T = B^T A^T. */
static mx_status describe(mx_node *x, int nb, lt_operand *o, const char *op) {
    int nd = x->ndim;
    int64_t R = x->shape[nd - 2], C = x->shape[nd - 1];
    int64_t sr = x->strides[nd - 2], sc = x->strides[nd - 1];
    memset(o, 0, sizeof *o);
    mx_status st = cuda_node_ptr(x, op, &o->ptr);
    if (st != MX_OK)
        return st;
    bool row_major = (sc == 1 || C == 1) && (R == 1 || sr >= C);
    bool col_major = (sr == 1 || R == 1) && (C == 1 || sc >= R);
    bool batch_ok = batch_stride_of(x, nb, &o->batch_stride);
    if (!batch_ok || (!row_major && !col_major)) {
        /* one contiguous copy on the GPU */
        size_t nbytes = (size_t)x->size * mx_dtype_size(x->dtype);
        o->copy = cuda_scratch_alloc(nbytes ? nbytes : 1, op, &o->copy_capacity);
        if (!o->copy)
            return mx_last_status();
        int64_t row[MX_MAX_NDIM];
        mx_row_strides(x->shape, nd, row);
        const int64_t *strides[2] = {row, x->strides};
        cuda_layout lay;
        int kind = cuda_collapse(x->shape, nd, strides, 2, &lay);
        if (kind < 0 || cuda_launch_cast(x->dtype, x->dtype, o->copy, o->ptr, x->size, kind ? &lay : NULL,
                                         (cuda_stream)cuda_stream_get()) < 0)
            return mx_set_error(MX_ERROR_UNSUPPORTED, "matmul: operand layout has too many dims for the GPU");
        o->ptr = o->copy;
        sr = C;
        sc = 1;
        row_major = true;
        o->batch_stride = R * C;
    }
    if (row_major) {
        /* row-major R x C with ld sr is column-major C x R: X^T as stored */
        o->op = CUBLAS_OP_N;
        o->rows = (uint64_t)C;
        o->cols = (uint64_t)R;
        o->ld = R == 1 ? (C > 0 ? C : 1) : sr;
        if (o->ld < C)
            o->ld = C;
    } else {
        /* column-major R x C with ld sc: X as stored, transposed in the product */
        o->op = CUBLAS_OP_T;
        o->rows = (uint64_t)R;
        o->cols = (uint64_t)C;
        o->ld = C == 1 ? (R > 0 ? R : 1) : sc;
        if (o->ld < R)
            o->ld = R;
    }
    if (o->ld < 1)
        o->ld = 1;
    return MX_OK;
}

static cudaDataType_t data_type(mx_dtype t) {
    switch (t) {
    case MX_FLOAT16: return CUDA_R_16F;
    case MX_BFLOAT16: return CUDA_R_16BF;
    case MX_FLOAT64: return CUDA_R_64F;
    case MX_COMPLEX64: return CUDA_C_32F;
    default: return CUDA_R_32F;
    }
}

static mx_status layout_create(cublasLtMatrixLayout_t *l, cudaDataType_t type, uint64_t rows, uint64_t cols, int64_t ld,
                               int32_t batch, int64_t batch_stride) {
    mx_status st = lt_check(cublasLtMatrixLayoutCreate(l, type, rows, cols, ld), "a matrix layout");
    if (st == MX_OK && batch > 1) {
        st = lt_check(cublasLtMatrixLayoutSetAttribute(*l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch, sizeof batch),
                      "the batch count");
        if (st == MX_OK)
            st = lt_check(cublasLtMatrixLayoutSetAttribute(*l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                                                           &batch_stride, sizeof batch_stride),
                          "the batch stride");
    }
    return st;
}

/* The addend of addmm's epilogue: none, a bias row added to every row of the
 * product (cuBLASLt's BIAS epilogue: beta == 1), or a full (M, N) matrix C
 * scaled by beta (ldc: its row stride). */
typedef struct gemm_addend {
    const void *bias;
    const void *c;
    int64_t ldc;
    double alpha, beta;
} gemm_addend;

/* shape: out (batch..., M, N) = alpha * a (batch..., M, K) @ b (batch..., K, N) (+ addend) */
static mx_status gemm_run(mx_node *out, mx_node *a, mx_node *b, const gemm_addend *add) {
    mx_dtype t = out->dtype;
    int nd = out->ndim, nb = nd - 2;
    int64_t M = out->shape[nd - 2], N = out->shape[nd - 1], K = a->shape[nd - 1];
    int64_t batch = M > 0 && N > 0 ? out->size / (M * N) : 0;
    if (out->size == 0 || K == 0 || batch > INT32_MAX)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: an empty product reached cuBLASLt", out->op->name);
    cudaStream_t stream = cuda_stream_get();
    lt_operand oa = {0}, ob = {0};
    mx_status st = lt_init();
    if (st == MX_OK)
        st = describe(a, nb, &oa, "matmul");
    if (st == MX_OK)
        st = describe(b, nb, &ob, "matmul");
    if (st == MX_OK && !(add->c && out->buffer && add->c == out->buffer->device_ptr))
        st = cuda_alloc_output(out);
    cublasLtMatmulDesc_t desc = NULL;
    cublasLtMatrixLayout_t la = NULL, lb = NULL, lc = NULL;
    cublasLtMatmulPreference_t pref = NULL;
    cudaDataType_t dt = data_type(t);
    bool f64 = t == MX_FLOAT64, c64 = t == MX_COMPLEX64;
    /* complex64: float32 accumulation of the complex products (never TF32: mx_gpu_set_tf32 is float32's) */
    cublasComputeType_t compute = f64                           ? CUBLAS_COMPUTE_64F
                                  : (t == MX_FLOAT32 && g_tf32) ? CUBLAS_COMPUTE_32F_FAST_TF32
                                                                : CUBLAS_COMPUTE_32F;
    cudaDataType_t scale_type = f64 ? CUDA_R_64F : c64 ? CUDA_C_32F : CUDA_R_32F;
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulDescCreate(&desc, compute, scale_type), "the descriptor");
    /* column-major product: first factor = b's stored matrix, second = a's */
    if (st == MX_OK)
        st =
            lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &ob.op, sizeof ob.op), "transa");
    if (st == MX_OK)
        st =
            lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &oa.op, sizeof oa.op), "transb");
    if (st == MX_OK)
        st = layout_create(&la, dt, ob.rows, ob.cols, ob.ld, (int32_t)batch, ob.batch_stride);
    if (st == MX_OK)
        st = layout_create(&lb, dt, oa.rows, oa.cols, oa.ld, (int32_t)batch, oa.batch_stride);
    if (st == MX_OK && add->bias) {
        cublasLtEpilogue_t epilogue = CUBLASLT_EPILOGUE_BIAS;
        st = lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue),
                      "the bias epilogue");
        if (st == MX_OK)
            st = lt_check(
                cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &add->bias, sizeof add->bias),
                "the bias pointer");
    }
    if (st == MX_OK)
        st = layout_create(&lc, dt, (uint64_t)N, (uint64_t)M, N, (int32_t)batch, M * N);
    /* C of addmm: (M, N) row-major with row stride ldc is column-major (N, M) with ld ldc */
    cublasLtMatrixLayout_t lcin = NULL;
    if (st == MX_OK && add->c)
        st = layout_create(&lcin, dt, (uint64_t)N, (uint64_t)M, add->ldc, 1, 0);
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulPreferenceCreate(&pref), "a preference");
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                           &k_workspace_bytes, sizeof k_workspace_bytes),
                      "the workspace size");
    cublasLtMatmulHeuristicResult_t heuristic;
    int found = 0;
    if (st == MX_OK)
        st = lt_check(
            cublasLtMatmulAlgoGetHeuristic(g_lt, desc, la, lb, lcin ? lcin : lc, lc, pref, 1, &heuristic, &found),
            "choosing an algorithm");
    if (st == MX_OK && found == 0)
        st = mx_set_error(MX_ERROR_UNSUPPORTED, "matmul: cuBLASLt has no algorithm for this problem");
    if (st == MX_OK) {
        double alpha64 = add->alpha, beta64 = add->c ? add->beta : 0.0;
        /* float32 scalars, or complex64 ones (re, 0): the first float is the same */
        float alpha32[2] = {(float)alpha64, 0.0f}, beta32[2] = {(float)beta64, 0.0f};
        const void *alpha = f64 ? (const void *)&alpha64 : (const void *)alpha32;
        const void *beta = f64 ? (const void *)&beta64 : (const void *)beta32;
        const void *cptr = add->c ? add->c : out->buffer->device_ptr;
        st = lt_check(cublasLtMatmul(g_lt, desc, alpha, ob.ptr, la, oa.ptr, lb, beta, cptr, lcin ? lcin : lc,
                                     out->buffer->device_ptr, lc, &heuristic.algo, g_workspace, k_workspace_bytes,
                                     stream),
                      "the product");
    }
    if (pref)
        cublasLtMatmulPreferenceDestroy(pref);
    if (la)
        cublasLtMatrixLayoutDestroy(la);
    if (lb)
        cublasLtMatrixLayoutDestroy(lb);
    if (lc)
        cublasLtMatrixLayoutDestroy(lc);
    if (lcin)
        cublasLtMatrixLayoutDestroy(lcin);
    if (desc)
        cublasLtMatmulDescDestroy(desc);
    cuda_scratch_free(oa.copy, oa.copy_capacity);
    cuda_scratch_free(ob.copy, ob.copy_capacity);
    if (st == MX_OK)
        cuda_output_written(out);
    return st;
}

/* shape: out (batch..., M, N) = a (batch..., M, K) @ b (batch..., K, N) */
mx_status cuda_matmul_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *b = out->inputs[1];
    mx_dtype t = out->dtype;
    if ((t != MX_FLOAT32 && t != MX_FLOAT16 && t != MX_BFLOAT16 && t != MX_FLOAT64 && t != MX_COMPLEX64) ||
        a->dtype != t || b->dtype != t)
        return mx_run_cpu_kernel(out);
    int nd = out->ndim;
    int64_t M = out->shape[nd - 2], N = out->shape[nd - 1], K = a->shape[nd - 1];
    int64_t batch = M > 0 && N > 0 ? out->size / (M * N) : 0;
    if (out->size == 0 || K == 0 || batch > INT32_MAX)
        return mx_run_cpu_kernel(out); /* empty products and zero fills */
    const gemm_addend none = {.alpha = 1.0};
    mx_status st = gemm_run(out, a, b, &none);
    if (st == MX_ERROR_UNSUPPORTED && t == MX_COMPLEX64)
        return mx_run_cpu_kernel(out); /* no cuBLASLt algorithm for this complex problem */
    return st;
}

/* shape: out (M, N) = alpha * a (M, K) @ b (K, N) + beta * c, c (N,), (1, N) or (M, N)
 * (ops/addmm.h makes the node only in these cases). A row c with beta == 1 is
 * cuBLASLt's bias epilogue (float16/bfloat16/float32); otherwise c, broadcast
 * to (M, N) by a copy when it is a row or a view, is the product's C with
 * beta. One rounding of alpha * acc + beta * c in float32 (float64 for
 * float64): MLX's fused AddMM; the composition rounds each step. */
static mx_status addmm_kernel(mx_node *out) {
    mx_node *c = out->inputs[0], *a = out->inputs[1], *b = out->inputs[2];
    const mx_addmm_params *p = mx_node_params(out);
    int64_t M = out->shape[0], N = out->shape[1];
    if (out->size == 0 || a->shape[1] == 0)
        return mx_set_error(MX_ERROR_INTERNAL, "addmm: the fused node needs a non-empty product");
    void *cp;
    mx_status st = cuda_node_ptr(c, "addmm", &cp);
    if (st != MX_OK)
        return st;
    bool row = c->size == N && (c->ndim == 1 || c->shape[0] == 1);
    int64_t c_col_stride = c->strides[c->ndim - 1];
    gemm_addend add = {.alpha = p->alpha, .beta = p->beta};
    size_t es = mx_dtype_size(out->dtype);
    bool aligned = (uintptr_t)cp % 16 == 0; /* cuBLASLt's kernels assume 16-byte aligned operands */
    if (row && p->beta == 1.0 && out->dtype != MX_FLOAT64 && aligned && (c_col_stride == 1 || N == 1)) {
        add.bias = cp;
        return gemm_run(out, a, b, &add);
    }
    if (!row && aligned && (c_col_stride == 1 || N == 1) &&
        (M == 1 || (c->strides[0] >= N && (c->strides[0] * es) % 16 == 0))) {
        add.c = cp; /* a row-major (M, N) view is read where it is */
        add.ldc = M == 1 ? N : c->strides[0];
        return gemm_run(out, a, b, &add);
    }
    /* c broadcast (or copied) into the output, which is then C and D at once */
    st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    int64_t full_strides[2] = {row ? 0 : c->strides[0], c_col_stride};
    int64_t rows[2] = {N, 1};
    const int64_t *strides[2] = {rows, full_strides};
    cuda_layout lay;
    int kind = cuda_collapse(out->shape, 2, strides, 2, &lay);
    if (kind < 0 || cuda_launch_cast(out->dtype, out->dtype, out->buffer->device_ptr, cp, out->size, kind ? &lay : NULL,
                                     (cuda_stream)cuda_stream_get()) < 0)
        return mx_set_error(MX_ERROR_INTERNAL, "addmm: cannot broadcast c on the GPU");
    add.c = out->buffer->device_ptr;
    add.ldc = N;
    return gemm_run(out, a, b, &add);
}

void cuda_register_addmm(mx_backend *b) { b->kernels[MX_OP_addmm] = addmm_kernel; }

/* ---- products of raw device matrices (gather_mm, quantized_matmul) ---------------------------------------------- */

/* The largest power of two (<= 256) dividing the address and the stride. */
static uint32_t alignment_of(const void *p, int64_t stride_bytes) {
    uint32_t a = 256;
    while (a > 1 && (((uintptr_t)p % a) || (stride_bytes % a)))
        a /= 2;
    return a;
}

/* A cuBLASLt algorithm chosen for one problem, kept for the next identical one. */
typedef struct algo_entry {
    bool used;
    mx_dtype t;
    int64_t m, n, k, batch, a_stride, b_stride;
    bool b_transposed, tf32;
    uint32_t align[3];
    cublasLtMatmulAlgo_t algo;
} algo_entry;
#define ALGO_CACHE 64
static algo_entry g_algos[ALGO_CACHE];
static int g_algo_next;

/* shape: C (batch, m, n) = A (batch, m, k) @ B, B (batch, k, n), or (batch, n, k)
 * used transposed when b_transposed; row-major contiguous matrices, batch
 * strides in elements (0: shared), C packed. As column-major C^T = op(B)^T A^T. */
mx_status cuda_gemm_rows(mx_dtype t, int64_t m, int64_t n, int64_t k, int64_t batch, const void *A, int64_t a_stride,
                         const void *B, int64_t b_stride, bool b_transposed, void *C, const char *op) {
    if (batch > INT32_MAX)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: a batch of %lld products reached cuBLASLt", op, (long long)batch);
    mx_status st = lt_init();
    if (st != MX_OK)
        return st;
    bool f64 = t == MX_FLOAT64, tf32 = t == MX_FLOAT32 && g_tf32;
    cudaDataType_t dt = data_type(t);
    int64_t es = (int64_t)mx_dtype_size(t), ldb = b_transposed ? k : n;
    uint32_t align[3] = {alignment_of(B, (b_stride ? b_stride : ldb) * es),
                         alignment_of(A, (a_stride ? a_stride : k) * es), alignment_of(C, n * es)};
    align[0] = align[0] < alignment_of(B, ldb * es) ? align[0] : alignment_of(B, ldb * es);
    align[1] = align[1] < alignment_of(A, k * es) ? align[1] : alignment_of(A, k * es);
    if (batch > 1) /* C's batch entries start every m n elements */
        align[2] = align[2] < alignment_of(C, m * n * es) ? align[2] : alignment_of(C, m * n * es);
    cublasComputeType_t compute = f64 ? CUBLAS_COMPUTE_64F : tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
    cublasOperation_t op_b = b_transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
    cublasLtMatmulDesc_t desc = NULL;
    cublasLtMatrixLayout_t la = NULL, lb = NULL, lc = NULL;
    cublasLtMatmulPreference_t pref = NULL;
    st = lt_check(cublasLtMatmulDescCreate(&desc, compute, f64 ? CUDA_R_64F : CUDA_R_32F), "the descriptor");
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &op_b, sizeof op_b), "transa");
    /* B column-major: (n, k, ld n), or transposed (k, n, ld k); A^T (k, m, ld k); C^T (n, m, ld n) */
    if (st == MX_OK)
        st = b_transposed ? layout_create(&la, dt, (uint64_t)k, (uint64_t)n, k, (int32_t)batch, b_stride)
                          : layout_create(&la, dt, (uint64_t)n, (uint64_t)k, n, (int32_t)batch, b_stride);
    if (st == MX_OK)
        st = layout_create(&lb, dt, (uint64_t)k, (uint64_t)m, k, (int32_t)batch, a_stride);
    if (st == MX_OK)
        st = layout_create(&lc, dt, (uint64_t)n, (uint64_t)m, n, (int32_t)batch, m * n);
    algo_entry *hit = NULL;
    for (int i = 0; i < ALGO_CACHE && st == MX_OK; i++) {
        algo_entry *e = &g_algos[i];
        if (e->used && e->t == t && e->m == m && e->n == n && e->k == k && e->batch == batch &&
            e->a_stride == a_stride && e->b_stride == b_stride && e->b_transposed == b_transposed && e->tf32 == tf32 &&
            !memcmp(e->align, align, sizeof align)) {
            hit = e;
            break;
        }
    }
    cublasLtMatmulAlgo_t algo;
    if (st == MX_OK && hit) {
        algo = hit->algo;
    } else if (st == MX_OK) {
        st = lt_check(cublasLtMatmulPreferenceCreate(&pref), "a preference");
        if (st == MX_OK)
            st = lt_check(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                               &k_workspace_bytes, sizeof k_workspace_bytes),
                          "the workspace size");
        /* the products' real alignments (a batch entry's offset may not be a multiple of 16 bytes) */
        const cublasLtMatmulPreferenceAttributes_t which[4] = {
            CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES,
            CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES};
        for (int i = 0; i < 4 && st == MX_OK; i++)
            st = lt_check(cublasLtMatmulPreferenceSetAttribute(pref, which[i], &align[i < 2 ? i : 2], sizeof align[0]),
                          "an alignment");
        cublasLtMatmulHeuristicResult_t heuristic;
        int found = 0;
        if (st == MX_OK)
            st = lt_check(cublasLtMatmulAlgoGetHeuristic(g_lt, desc, la, lb, lc, lc, pref, 1, &heuristic, &found),
                          "choosing an algorithm");
        if (st == MX_OK && found == 0)
            st = mx_set_error(MX_ERROR_UNSUPPORTED, "%s: cuBLASLt has no algorithm for this problem", op);
        if (st == MX_OK) {
            algo = heuristic.algo;
            algo_entry *e = &g_algos[g_algo_next];
            g_algo_next = (g_algo_next + 1) % ALGO_CACHE;
            *e = (algo_entry){.used = true,
                              .t = t,
                              .m = m,
                              .n = n,
                              .k = k,
                              .batch = batch,
                              .a_stride = a_stride,
                              .b_stride = b_stride,
                              .b_transposed = b_transposed,
                              .tf32 = tf32,
                              .algo = algo};
            memcpy(e->align, align, sizeof align);
        }
    }
    if (st == MX_OK) {
        double one64 = 1.0, zero64 = 0.0;
        float one32 = 1.0f, zero32 = 0.0f;
        const void *alpha = f64 ? (const void *)&one64 : (const void *)&one32;
        const void *beta = f64 ? (const void *)&zero64 : (const void *)&zero32;
        st = lt_check(cublasLtMatmul(g_lt, desc, alpha, B, la, A, lb, beta, C, lc, C, lc, &algo, g_workspace,
                                     k_workspace_bytes, cuda_stream_get()),
                      "the product");
    }
    if (pref)
        cublasLtMatmulPreferenceDestroy(pref);
    if (la)
        cublasLtMatrixLayoutDestroy(la);
    if (lb)
        cublasLtMatrixLayoutDestroy(lb);
    if (lc)
        cublasLtMatrixLayoutDestroy(lc);
    if (desc)
        cublasLtMatmulDescDestroy(desc);
    return st;
}
