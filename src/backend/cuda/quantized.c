/* backend/cuda/quantized.c - glue from the quantize family's nodes
 * (affine_quantize_stats, affine_pack, dequantize, quantized_matmul,
 * gather_qmm; src/ops/quantize.c) to the kernels of quantized.cu.
 *
 * Operands are brought to row-contiguous, 16-byte aligned device copies
 * (views are copied once by the cast kernel). quantized_matmul and
 * gather_qmm: each product is x (M, K) @ dequantize(w) (^T). With the
 * transpose flag and M <= 16 (decode) the qmv kernel reads the packed
 * weights once and dequantizes in registers; otherwise the weights are
 * dequantized into a temporary of the output's dtype and multiplied by
 * cuBLASLt (float32 accumulation; TF32 only when mx_gpu_set_tf32 allows).
 * The products of a batch (broadcast batch dims, or gather_qmm's index
 * arrays, read on the host: out-of-range indices give the CPU kernel's
 * error) are a table of (x offset, weight index) entries. */
#include <cublasLt.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/quantized_kernels.h"
#include "ops/quantize.h"

#define QMV_MAX_ROWS 16

typedef struct scratch {
    void *ptr;
    size_t capacity;
} scratch;

static void scratch_free(scratch *s, int n) {
    for (int i = 0; i < n; i++)
        cuda_scratch_free(s[i].ptr, s[i].capacity);
}

/* A row-contiguous, 16-byte aligned device copy of n in `dtype`, or n's own
 * device bytes when they already are. */
static mx_status contiguous_as(mx_node *n, mx_dtype dtype, const char *op, const void **ptr, scratch *s) {
    void *src;
    mx_status st = cuda_node_ptr(n, op, &src);
    if (st != MX_OK)
        return st;
    if (n->dtype == dtype && mx_node_is_row_contiguous(n) && (uintptr_t)src % 16 == 0) {
        *ptr = src;
        return MX_OK;
    }
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(n->shape, n->ndim, row);
    const int64_t *strides[2] = {row, n->strides};
    cuda_layout lay;
    int kind = cuda_collapse(n->shape, n->ndim, strides, 2, &lay);
    if (kind < 0)
        return MX_ERROR_UNSUPPORTED;
    size_t nbytes = (size_t)n->size * mx_dtype_size(dtype);
    s->ptr = cuda_scratch_alloc(nbytes ? nbytes : 1, op, &s->capacity);
    if (!s->ptr)
        return mx_last_status();
    if (cuda_launch_cast(n->dtype, dtype, s->ptr, src, n->size, kind ? &lay : NULL, (cuda_stream)cuda_stream_get()) < 0)
        return MX_ERROR_UNSUPPORTED;
    *ptr = s->ptr;
    return MX_OK;
}

/* The launch's outcome (see norms.c). */
static mx_status finish(mx_node *out, int rc) {
    if (rc < 0)
        return mx_run_cpu_kernel(out);
    cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        return cuda_check(err, out->op->name, "a kernel launch");
    cuda_output_written(out);
    return MX_OK;
}

static bool is_half_or_float(mx_dtype t) { return t == MX_FLOAT32 || t == MX_FLOAT16 || t == MX_BFLOAT16; }

/* ---- quantize ------------------------------------------------------------------------------------ */
/* w (..., K) -> stats (..., K / gs, 2) float32 */
static mx_status stats_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_node *w = out->inputs[0];
    if (out->size == 0 || !is_half_or_float(w->dtype))
        return mx_run_cpu_kernel(out);
    scratch s = {0};
    const void *wp = NULL;
    mx_status st = contiguous_as(w, w->dtype, "quantize", &wp, &s);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK)
        rc = cuda_launch_quantize_stats(w->dtype, out->buffer->device_ptr, wp, w->size, p->group_size, p->bits,
                                        (cuda_stream)cuda_stream_get());
    scratch_free(&s, 1);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : finish(out, rc);
}

/* w (..., K), stats (..., K / gs, 2) -> packed (..., K * bits / 32) uint32 */
static mx_status pack_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_node *w = out->inputs[0], *stats = out->inputs[1];
    if (out->size == 0 || !is_half_or_float(w->dtype))
        return mx_run_cpu_kernel(out);
    scratch s[2] = {{0}};
    const void *wp = NULL, *sp = NULL;
    mx_status st = contiguous_as(w, w->dtype, "quantize", &wp, &s[0]);
    if (st == MX_OK)
        st = contiguous_as(stats, MX_FLOAT32, "quantize", &sp, &s[1]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK)
        rc = cuda_launch_quantize_pack(w->dtype, out->buffer->device_ptr, wp, sp, w->size, p->group_size, p->bits,
                                       (cuda_stream)cuda_stream_get());
    scratch_free(s, 2);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : finish(out, rc);
}

/* w (..., R, Kp) uint32, scales, biases (..., R, K / gs) -> out (..., R, K) */
static mx_status dequantize_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    if (out->size == 0)
        return mx_run_cpu_kernel(out);
    scratch s[3] = {{0}};
    const void *wp = NULL, *sp = NULL, *bp = NULL;
    mx_status st = contiguous_as(out->inputs[0], MX_UINT32, "dequantize", &wp, &s[0]);
    if (st == MX_OK)
        st = contiguous_as(out->inputs[1], out->dtype, "dequantize", &sp, &s[1]);
    if (st == MX_OK)
        st = contiguous_as(out->inputs[2], out->dtype, "dequantize", &bp, &s[2]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK)
        rc = cuda_launch_dequantize(out->dtype, out->buffer->device_ptr, wp, sp, bp, out->size, p->group_size, p->bits,
                                    1, (cuda_stream)cuda_stream_get());
    scratch_free(s, 3);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : finish(out, rc);
}

/* ---- the GEMM of the large-M path ---------------------------------------------------------------- */
static cublasLtHandle_t g_lt;
static void *g_workspace;
static size_t g_workspace_capacity;
static const size_t k_workspace_bytes = (size_t)32 << 20;

static mx_status lt_check(cublasStatus_t s, const char *what) {
    if (s == CUBLAS_STATUS_SUCCESS)
        return MX_OK;
    return mx_set_error(s == CUBLAS_STATUS_ALLOC_FAILED ? MX_ERROR_MEMORY : MX_ERROR_INTERNAL,
                        "quantized_matmul: cuBLASLt failed in %s (status %d)", what, (int)s);
}

/* One strided-batched product in dtype t (float32 accumulation):
 * out (M, N) = x (M, K) @ W^T (transpose: W (N, K)) or x @ W (W (K, N)), all
 * row-major; batch products at the given element strides (0: shared). In
 * column-major terms out^T (N, M) = op(W) x^T. */
static mx_status lt_gemm(mx_dtype t, void *out, const void *x, const void *wmat, bool transpose, int64_t m, int64_t n,
                         int64_t k, int32_t batch, int64_t x_stride, int64_t w_stride) {
    if (!g_lt) {
        mx_status st = lt_check(cublasLtCreate(&g_lt), "creating the handle");
        if (st != MX_OK)
            return st;
        g_workspace = cuda_scratch_alloc(k_workspace_bytes, "quantized_matmul", &g_workspace_capacity);
        if (!g_workspace)
            return mx_last_status();
    }
    cudaDataType_t dt = t == MX_FLOAT16 ? CUDA_R_16F : t == MX_BFLOAT16 ? CUDA_R_16BF : CUDA_R_32F;
    cublasComputeType_t compute =
        t == MX_FLOAT32 && cuda_matmul_tf32() ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
    cublasLtMatmulDesc_t desc = NULL;
    cublasLtMatrixLayout_t lw = NULL, lx = NULL, lo = NULL;
    cublasLtMatmulPreference_t pref = NULL;
    cublasOperation_t op_w = transpose ? CUBLAS_OP_T : CUBLAS_OP_N, op_x = CUBLAS_OP_N;
    mx_status st = lt_check(cublasLtMatmulDescCreate(&desc, compute, CUDA_R_32F), "the descriptor");
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSA, &op_w, sizeof op_w), "transa");
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulDescSetAttribute(desc, CUBLASLT_MATMUL_DESC_TRANSB, &op_x, sizeof op_x), "transb");
    /* W stored column-major: transpose (K rows, N cols, ld K), else (N, K, ld N); x^T (K, M, ld K); out^T (N, M) */
    if (st == MX_OK)
        st = lt_check(transpose ? cublasLtMatrixLayoutCreate(&lw, dt, (uint64_t)k, (uint64_t)n, k)
                                : cublasLtMatrixLayoutCreate(&lw, dt, (uint64_t)n, (uint64_t)k, n),
                      "a layout");
    if (st == MX_OK)
        st = lt_check(cublasLtMatrixLayoutCreate(&lx, dt, (uint64_t)k, (uint64_t)m, k), "a layout");
    if (st == MX_OK)
        st = lt_check(cublasLtMatrixLayoutCreate(&lo, dt, (uint64_t)n, (uint64_t)m, n), "a layout");
    if (st == MX_OK && batch > 1) {
        int64_t o_stride = m * n;
        cublasLtMatrixLayout_t ls[3] = {lw, lx, lo};
        const int64_t strides[3] = {w_stride, x_stride, o_stride};
        for (int i = 0; i < 3 && st == MX_OK; i++) {
            st = lt_check(
                cublasLtMatrixLayoutSetAttribute(ls[i], CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch, sizeof batch),
                "the batch count");
            if (st == MX_OK)
                st = lt_check(cublasLtMatrixLayoutSetAttribute(ls[i], CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET,
                                                               &strides[i], sizeof strides[i]),
                              "the batch stride");
        }
    }
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulPreferenceCreate(&pref), "a preference");
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                           &k_workspace_bytes, sizeof k_workspace_bytes),
                      "the workspace size");
    /* the products' real alignments (a batch entry's offset may not be a multiple of 16 bytes) */
    const size_t es = mx_dtype_size(t);
    const uintptr_t bits[3] = {(uintptr_t)wmat | (uintptr_t)(w_stride * (int64_t)es),
                               (uintptr_t)x | (uintptr_t)(x_stride * (int64_t)es),
                               (uintptr_t)out | (uintptr_t)(m * n * (int64_t)es) | (uintptr_t)(n * (int64_t)es)};
    const cublasLtMatmulPreferenceAttributes_t which[4] = {
        CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES,
        CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES};
    for (int i = 0; i < 4 && st == MX_OK; i++) {
        uintptr_t v = bits[i < 2 ? i : 2] | 16;
        uint32_t align = (uint32_t)(v & (~v + 1));
        st = lt_check(cublasLtMatmulPreferenceSetAttribute(pref, which[i], &align, sizeof align), "an alignment");
    }
    cublasLtMatmulHeuristicResult_t heuristic;
    int found = 0;
    if (st == MX_OK)
        st = lt_check(cublasLtMatmulAlgoGetHeuristic(g_lt, desc, lw, lx, lo, lo, pref, 1, &heuristic, &found),
                      "choosing an algorithm");
    if (st == MX_OK && found == 0)
        st = mx_set_error(MX_ERROR_UNSUPPORTED, "quantized_matmul: cuBLASLt has no algorithm for this problem");
    if (st == MX_OK) {
        const float alpha = 1.0f, beta = 0.0f;
        st = lt_check(cublasLtMatmul(g_lt, desc, &alpha, wmat, lw, x, lx, &beta, out, lo, out, lo, &heuristic.algo,
                                     g_workspace, k_workspace_bytes, cuda_stream_get()),
                      "the product");
    }
    if (pref)
        cublasLtMatmulPreferenceDestroy(pref);
    if (lw)
        cublasLtMatrixLayoutDestroy(lw);
    if (lx)
        cublasLtMatrixLayoutDestroy(lx);
    if (lo)
        cublasLtMatrixLayoutDestroy(lo);
    if (desc)
        cublasLtMatmulDescDestroy(desc);
    return st;
}

/* ---- quantized_matmul / gather_qmm ---------------------------------------------------------------- */
/* Flattened batch index of output batch index i for an operand whose batch
 * dims (ob of them) broadcast against the output's nb dims (the CPU kernel's rule). */
static int64_t batch_index(int64_t i, const int64_t *oshape, int nb, const int64_t *bshape, int ob) {
    int64_t idx = 0, mul = 1;
    for (int d = nb - 1; d >= 0; d--) {
        int64_t c = i % oshape[d];
        i /= oshape[d];
        int bd = d - (nb - ob);
        if (bd >= 0) {
            if (bshape[bd] != 1)
                idx += c * mul;
            mul *= bshape[bd];
        }
    }
    return idx;
}

/* Element i (row-major) of an integer index node, read on the host through its strides. */
static int64_t index_at(const mx_node *n, const char *base, int64_t i) {
    int64_t off = 0;
    for (int d = n->ndim - 1; d >= 0; d--) {
        off += (i % n->shape[d]) * n->strides[d];
        i /= n->shape[d];
    }
    return ((const uint32_t *)base)[off];
}

/* x (..., M, K), w (..., N, Kp) or (..., K, Np), scales, biases [, lhs, rhs] -> out (batch..., M, N) */
static mx_status qmm_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    const bool gather = out->op->id == MX_OP_gather_qmm;
    const char *name = out->op->name;
    mx_node *x = out->inputs[0], *w = out->inputs[1];
    const mx_dtype t = out->dtype;
    const int64_t k = x->shape[x->ndim - 1];
    if (out->size == 0 || k == 0 || !is_half_or_float(t) || x->dtype != t)
        return mx_run_cpu_kernel(out);
    const int64_t m = x->ndim >= 2 ? x->shape[x->ndim - 2] : 1;
    const int64_t wr = w->shape[w->ndim - 2], wc = w->shape[w->ndim - 1] * 32 / p->bits;
    const int64_t n = p->transpose ? wr : wc;
    const int64_t w_words = wr * w->shape[w->ndim - 1];
    const int64_t nbatch = out->size / (m * n);
    /* products: one (x's batch folded into M) or a table */
    const bool single = !gather && w->ndim == 2;
    const int64_t rows = single ? x->size / k : m;
    const int64_t count = single ? 1 : nbatch;
    cuda_qmm_batch *table = NULL;
    if (!single) {
        table = malloc(sizeof *table * (size_t)count);
        if (!table)
            return mx_set_error(MX_ERROR_MEMORY, "%s: out of memory for the batch table", name);
        const char *li = NULL, *ri = NULL;
        if (gather) {
            li = mx_node_data(out->inputs[4]);
            ri = mx_node_data(out->inputs[5]);
            if (!li || !ri) {
                free(table);
                return mx_last_status();
            }
        }
        const int64_t xcount = x->size / (m * k), wcount = w->size / w_words;
        const int nb = out->ndim - (x->ndim >= 2 ? 2 : 1);
        for (int64_t i = 0; i < count; i++) {
            int64_t xi, wi;
            if (gather) {
                xi = index_at(out->inputs[4], li, i);
                wi = index_at(out->inputs[5], ri, i);
                if (xi >= xcount || wi >= wcount) {
                    free(table);
                    return mx_set_error(MX_ERROR_INDEX,
                                        "gather_qmm: index out of range (lhs %lld of %lld, rhs %lld of %lld)",
                                        (long long)xi, (long long)xcount, (long long)wi, (long long)wcount);
                }
            } else {
                xi = batch_index(i, out->shape, nb, x->shape, x->ndim >= 2 ? x->ndim - 2 : 0);
                wi = batch_index(i, out->shape, nb, w->shape, w->ndim - 2);
            }
            table[i] = (cuda_qmm_batch){xi * m * k, wi};
        }
    }
    scratch s[6] = {{0}};
    const void *xp = NULL, *wp = NULL, *sp = NULL, *bp = NULL;
    mx_status st = contiguous_as(x, t, name, &xp, &s[0]);
    if (st == MX_OK)
        st = contiguous_as(w, MX_UINT32, name, &wp, &s[1]);
    if (st == MX_OK)
        st = contiguous_as(out->inputs[2], t, name, &sp, &s[2]);
    if (st == MX_OK)
        st = contiguous_as(out->inputs[3], t, name, &bp, &s[3]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    cudaStream_t stream = cuda_stream_get();
    int rc = -1;
    const size_t es = mx_dtype_size(t);
    if (st == MX_OK && p->transpose && rows <= QMV_MAX_ROWS && cuda_qmv_supported(k, p->bits)) {
        cuda_qmm_batch *dtable = NULL;
        if (table) {
            size_t nbytes = sizeof *table * (size_t)count;
            dtable = cuda_scratch_alloc(nbytes, name, &s[4].capacity);
            s[4].ptr = dtable;
            if (!dtable)
                st = mx_last_status();
            else /* pageable source: returns once staged, so the host table may be freed */
                st = cuda_check(cudaMemcpyAsync(dtable, table, nbytes, cudaMemcpyHostToDevice, stream), name,
                                "uploading the batch table");
        }
        if (st == MX_OK)
            rc = cuda_launch_qmv(t, out->buffer->device_ptr, xp, wp, sp, bp, count, dtable, rows, n, k, p->group_size,
                                 p->bits, (cuda_stream)stream);
    } else if (st == MX_OK) {
        /* every weight matrix dequantized into the output's dtype, then cuBLASLt per product */
        const int64_t wvalues = w->size * 32 / p->bits, mat = wr * wc;
        s[5].ptr = cuda_scratch_alloc((size_t)wvalues * es, name, &s[5].capacity);
        if (!s[5].ptr)
            st = mx_last_status();
        if (st == MX_OK)
            rc = cuda_launch_dequantize(t, s[5].ptr, wp, sp, bp, wvalues, p->group_size, p->bits, 0,
                                        (cuda_stream)stream);
        if (rc == 0) {
            char *o = out->buffer->device_ptr;
            const char *wd = s[5].ptr, *xd = xp;
            if (single) {
                st = lt_gemm(t, o, xd, wd, p->transpose, rows, n, k, 1, 0, 0);
            } else {
                /* runs of products whose x and w advance by constant strides are one batched call */
                for (int64_t i = 0; i < count && st == MX_OK;) {
                    int64_t j = i + 1, xs = 0, ws = 0;
                    if (j < count) {
                        xs = table[j].x_offset - table[i].x_offset;
                        ws = table[j].w_index - table[i].w_index;
                    }
                    while (j < count && j - i < INT32_MAX && table[j].x_offset - table[j - 1].x_offset == xs &&
                           table[j].w_index - table[j - 1].w_index == ws && xs >= 0 && ws >= 0)
                        j++;
                    st = lt_gemm(t, o + (size_t)(i * m * n) * es, xd + (size_t)table[i].x_offset * es,
                                 wd + (size_t)(table[i].w_index * mat) * es, p->transpose, m, n, k, (int32_t)(j - i),
                                 xs, ws * mat);
                    i = j;
                }
            }
        }
    }
    free(table);
    scratch_free(s, 6);
    if (st == MX_ERROR_UNSUPPORTED) {
        mx_clear_error();
        return mx_run_cpu_kernel(out);
    }
    return st != MX_OK ? st : finish(out, rc);
}

void cuda_register_quantized(mx_backend *b) {
    b->kernels[MX_OP_affine_quantize_stats] = stats_kernel;
    b->kernels[MX_OP_affine_pack] = pack_kernel;
    b->kernels[MX_OP_dequantize] = dequantize_kernel;
    b->kernels[MX_OP_quantized_matmul] = qmm_kernel;
    b->kernels[MX_OP_gather_qmm] = qmm_kernel;
}
