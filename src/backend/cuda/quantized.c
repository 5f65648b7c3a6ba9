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
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/quantized_kernels.h"
#include "ops/quantize.h"

#define QMV_MAX_ROWS 16

static bool is_half_or_float(mx_dtype t) { return t == MX_FLOAT32 || t == MX_FLOAT16 || t == MX_BFLOAT16; }

/* ---- quantize ------------------------------------------------------------------------------------ */
/* w (..., K) -> stats (..., K / gs, 2) float32 */
static mx_status stats_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_node *w = out->inputs[0];
    if (out->size == 0 || !is_half_or_float(w->dtype))
        return mx_run_cpu_kernel(out);
    cuda_scratch s = {0};
    const void *wp = NULL;
    mx_status st = cuda_contiguous_as(w, w->dtype, 16, "quantize", &wp, &s);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK)
        rc = cuda_launch_quantize_stats(w->dtype, out->buffer->device_ptr, wp, w->size, p->group_size, p->bits,
                                        (cuda_stream)cuda_stream_get());
    cuda_scratch_release(&s, 1);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : cuda_launch_finish(out, rc);
}

/* w (..., K), stats (..., K / gs, 2) -> packed (..., K * bits / 32) uint32 */
static mx_status pack_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_node *w = out->inputs[0], *stats = out->inputs[1];
    if (out->size == 0 || !is_half_or_float(w->dtype))
        return mx_run_cpu_kernel(out);
    cuda_scratch s[2] = {{0}};
    const void *wp = NULL, *sp = NULL;
    mx_status st = cuda_contiguous_as(w, w->dtype, 16, "quantize", &wp, &s[0]);
    if (st == MX_OK)
        st = cuda_contiguous_as(stats, MX_FLOAT32, 16, "quantize", &sp, &s[1]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK)
        rc = cuda_launch_quantize_pack(w->dtype, out->buffer->device_ptr, wp, sp, w->size, p->group_size, p->bits,
                                       (cuda_stream)cuda_stream_get());
    cuda_scratch_release(s, 2);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : cuda_launch_finish(out, rc);
}

/* w (..., R, Kp) uint32, scales, biases (..., R, K / gs) -> out (..., R, K) */
static mx_status dequantize_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    if (out->size == 0)
        return mx_run_cpu_kernel(out);
    cuda_scratch s[3] = {{0}};
    const void *wp = NULL, *sp = NULL, *bp = NULL;
    mx_status st = cuda_contiguous_as(out->inputs[0], MX_UINT32, 16, "dequantize", &wp, &s[0]);
    if (st == MX_OK)
        st = cuda_contiguous_as(out->inputs[1], out->dtype, 16, "dequantize", &sp, &s[1]);
    if (st == MX_OK)
        st = cuda_contiguous_as(out->inputs[2], out->dtype, 16, "dequantize", &bp, &s[2]);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = -1;
    if (st == MX_OK)
        rc = cuda_launch_dequantize(out->dtype, out->buffer->device_ptr, wp, sp, bp, out->size, p->group_size, p->bits,
                                    1, (cuda_stream)cuda_stream_get());
    cuda_scratch_release(s, 3);
    if (st == MX_ERROR_UNSUPPORTED)
        return mx_run_cpu_kernel(out);
    return st != MX_OK ? st : cuda_launch_finish(out, rc);
}

/* ---- quantized_matmul / gather_qmm ---------------------------------------------------------------- */
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
                xi = cpu_broadcast_batch_index(i, out->shape, nb, x->shape, x->ndim >= 2 ? x->ndim - 2 : 0);
                wi = cpu_broadcast_batch_index(i, out->shape, nb, w->shape, w->ndim - 2);
            }
            table[i] = (cuda_qmm_batch){xi * m * k, wi};
        }
    }
    cuda_scratch s[6] = {{0}};
    const void *xp = NULL, *wp = NULL, *sp = NULL, *bp = NULL;
    mx_status st = cuda_contiguous_as(x, t, 16, name, &xp, &s[0]);
    if (st == MX_OK)
        st = cuda_contiguous_as(w, MX_UINT32, 16, name, &wp, &s[1]);
    if (st == MX_OK)
        st = cuda_contiguous_as(out->inputs[2], t, 16, name, &sp, &s[2]);
    if (st == MX_OK)
        st = cuda_contiguous_as(out->inputs[3], t, 16, name, &bp, &s[3]);
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
                st = cuda_gemm_rows(t, rows, n, k, 1, xd, 0, wd, 0, p->transpose, o, name);
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
                    st = cuda_gemm_rows(t, m, n, k, j - i, xd + (size_t)table[i].x_offset * es, xs,
                                        wd + (size_t)(table[i].w_index * mat) * es, ws * mat, p->transpose,
                                        o + (size_t)(i * m * n) * es, name);
                    i = j;
                }
            }
        }
    }
    free(table);
    cuda_scratch_release(s, 6);
    if (st == MX_ERROR_UNSUPPORTED) {
        mx_clear_error();
        return mx_run_cpu_kernel(out);
    }
    return st != MX_OK ? st : cuda_launch_finish(out, rc);
}

void cuda_register_quantized(mx_backend *b) {
    b->kernels[MX_OP_affine_quantize_stats] = stats_kernel;
    b->kernels[MX_OP_affine_pack] = pack_kernel;
    b->kernels[MX_OP_dequantize] = dequantize_kernel;
    b->kernels[MX_OP_quantized_matmul] = qmm_kernel;
    b->kernels[MX_OP_gather_qmm] = qmm_kernel;
}
