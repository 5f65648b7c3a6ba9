/* backend/cuda/select.c - glue from graph nodes to the kernels of select.cu:
 * partition, argpartition, searchsorted, masked_scatter, masked_select,
 * pad, float arange, hadamard_transform, gather_mm (cuBLASLt GEMMs on
 * gathered rows), as_strided and view (strided copies). Semantics are the CPU kernels' (backend/cpu/sort.c,
 * scatter.c, composite.c, creation.c, quantize.c); where the CPU's partition
 * order is libstdc++'s introselect step for step, the GPU gives another
 * valid partition with the same kth element (see select.cu).
 *
 * Anything these kernels cannot take (layouts of more than CUDA_MAX_DIMS
 * merged dims, rows of 2^31 elements or more, complex64) runs the CPU
 * kernel, buffers moved. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/select_kernels.h"
#include "ops/composite.h"
#include "ops/quantize.h"
#include "ops/sort.h"

#define STREAM ((cuda_stream)cuda_stream_get())

static mx_status fallback(mx_node *n) { return mx_run_cpu_kernel(n); }

static mx_status launched(mx_node *out, int rc) {
    if (rc < 0)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: no CUDA kernel for %s", out->op->name, mx_dtype_name(out->dtype));
    cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        return cuda_check(err, out->op->name, "a kernel launch");
    cuda_output_written(out);
    return MX_OK;
}

/* lay: row-major out (shape) next to n's strides; ndim 0 when both are
 * contiguous. false when more than CUDA_MAX_DIMS merged dims remain. */
static bool layout_of(const mx_node *n, cuda_layout *lay) {
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(n->shape, n->ndim, row);
    const int64_t *strides[2] = {row, n->strides};
    memset(lay, 0, sizeof *lay);
    return cuda_collapse(n->shape, n->ndim, strides, 2, lay) >= 0;
}

/* n's elements row-contiguous on the device: its own bytes when it is
 * row-contiguous, else a copy in scratch (*copy, *cap: free it after). */
static mx_status dense_input(mx_node *n, const char *op, void **ptr, void **copy, size_t *cap) {
    *copy = NULL;
    *cap = 0;
    mx_status st = cuda_node_ptr(n, op, ptr);
    if (st != MX_OK || mx_node_is_row_contiguous(n) || n->size == 0)
        return st;
    cuda_layout lay;
    if (!layout_of(n, &lay))
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: a layout of more than %d dims", op, CUDA_MAX_DIMS);
    *copy = cuda_scratch_alloc((size_t)n->size * mx_dtype_size(n->dtype), op, cap);
    if (!*copy)
        return mx_last_status();
    if (cuda_launch_cast(n->dtype, n->dtype, *copy, *ptr, n->size, lay.ndim ? &lay : NULL, STREAM) < 0)
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: no CUDA copy for %s", op, mx_dtype_name(n->dtype));
    *ptr = *copy;
    return MX_OK;
}

/* ---- partition, argpartition --------------------------------------------------------------------------- */

/* shape: in (outer, n, inner) along p->axis -> out (same; argpartition uint32) */
static mx_status partition_kernel(mx_node *out) {
    const mx_sort_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int64_t n = in->ndim ? in->shape[p->axis] : 1, inner = 1;
    for (int d = p->axis + 1; d < in->ndim; d++)
        inner *= in->shape[d];
    cuda_layout lay;
    if (n > INT32_MAX || in->dtype == MX_COMPLEX64 || !layout_of(in, &lay))
        return fallback(out);
    void *src, *copy;
    size_t cap;
    mx_status st = dense_input(in, out->op->name, &src, &copy, &cap);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = 0;
    if (st == MX_OK && out->size)
        rc = cuda_launch_partition(in->dtype, out->op->id == MX_OP_argpartition, out->buffer->device_ptr, src,
                                   in->size / (n * inner), n, inner, p->kth, STREAM);
    cuda_scratch_free(copy, cap);
    return st != MX_OK ? st : launched(out, rc);
}

/* ---- searchsorted ------------------------------------------------------------------------------------------ */

/* shape: seq (m,) any stride, values (any shape, seq's dtype) -> out uint32 of values' shape */
static mx_status searchsorted_kernel(mx_node *out) {
    const mx_searchsorted_params *p = mx_node_params(out);
    mx_node *seq = out->inputs[0], *values = out->inputs[1];
    cuda_layout lay;
    if (seq->dtype != values->dtype || seq->dtype == MX_COMPLEX64 || !layout_of(values, &lay))
        return fallback(out);
    void *sp = NULL, *vp = NULL;
    mx_status st = out->size ? cuda_node_ptr(values, "searchsorted", &vp) : MX_OK;
    if (st == MX_OK && seq->size)
        st = cuda_node_ptr(seq, "searchsorted", &sp);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    return launched(out, cuda_launch_searchsorted(seq->dtype, out->buffer->device_ptr, sp, seq->shape[0],
                                                  seq->strides[0], vp, out->size, &lay, p->right, STREAM));
}

/* ---- masked_scatter, masked_select ------------------------------------------------------------------------- */

/* The mask's exclusive ranks (int32) and row-major bytes *flags (the mask
 * itself when contiguous), in *buf (with cub's scratch); *selected: the
 * number of true positions (waits for the GPU) when not NULL. */
static mx_status mask_ranks(mx_node *mask, const char *op, const unsigned char **flags, int32_t **ranks, void **buf,
                            size_t *cap, int64_t *selected) {
    int64_t count = mask->size;
    cuda_layout lay;
    if (!layout_of(mask, &lay))
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: a mask layout of more than %d dims", op, CUDA_MAX_DIMS);
    void *mp;
    mx_status st = cuda_node_ptr(mask, op, &mp);
    if (st != MX_OK)
        return st;
    size_t rank_bytes = ((size_t)count * sizeof(int32_t) + 255) & ~(size_t)255;
    size_t flag_bytes = lay.ndim ? ((size_t)count + 255) & ~(size_t)255 : 0;
    size_t cub_bytes = cuda_mask_scan_scratch_bytes(count);
    *buf = cuda_scratch_alloc(rank_bytes + flag_bytes + cub_bytes, op, cap);
    if (!*buf)
        return mx_last_status();
    *ranks = (int32_t *)*buf;
    unsigned char *flag_buf = (unsigned char *)*buf + rank_bytes;
    if (cuda_launch_mask_scan(mp, count, &lay, flag_buf, flags, *ranks, flag_buf + flag_bytes, cub_bytes, STREAM) < 0)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: the mask's prefix sum failed", op);
    if (!selected)
        return MX_OK;
    int32_t last_rank = 0;
    unsigned char last_flag = 0;
    cudaStream_t s = cuda_stream_get();
    cudaError_t err = cudaMemcpyAsync(&last_flag, *flags + count - 1, 1, cudaMemcpyDeviceToHost, s);
    if (err == cudaSuccess)
        err = cudaMemcpyAsync(&last_rank, *ranks + count - 1, sizeof(int32_t), cudaMemcpyDeviceToHost, s);
    if (err == cudaSuccess)
        err = cudaStreamSynchronize(s);
    *selected = (int64_t)(last_flag != 0) + last_rank;
    return cuda_check(err, op, "reading the mask's count");
}

/* out (a's shape) = a whose selected slabs (mask: a's leading dims) take consecutive slabs of src (1-D) */
static mx_status masked_scatter_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *mask = out->inputs[1], *src = out->inputs[2];
    cuda_layout la, lm;
    if (mask->size > INT32_MAX || out->dtype == MX_COMPLEX64 || !layout_of(a, &la) || !layout_of(mask, &lm))
        return fallback(out);
    void *ap = NULL, *sp = NULL;
    mx_status st = a->size ? cuda_node_ptr(a, "masked_scatter", &ap) : MX_OK;
    if (st == MX_OK && src->size)
        st = cuda_node_ptr(src, "masked_scatter", &sp);
    if (st != MX_OK)
        return st;
    size_t es = mx_dtype_size(out->dtype);
    /* out starts as a (a's buffer taken over when it can be donated) */
    bool donated = a->size && a->buffer && a->buffer->device_ptr && (a->buffer->valid & MX_VALID_DEVICE) &&
                   mx_node_try_donate(out, 0);
    if (!donated) {
        st = cuda_alloc_output(out);
        if (st != MX_OK || out->size == 0)
            return st;
        if (cuda_launch_cast(a->dtype, out->dtype, out->buffer->device_ptr, ap, a->size, la.ndim ? &la : NULL, STREAM) <
            0)
            return mx_set_error(MX_ERROR_INTERNAL, "masked_scatter: no CUDA copy for %s", mx_dtype_name(a->dtype));
    }
    if (out->size == 0 || mask->size == 0)
        return launched(out, 0);
    const unsigned char *flags;
    int32_t *ranks;
    void *buf = NULL;
    size_t cap = 0;
    int64_t selected = 0, slab = out->size / mask->size;
    st = mask_ranks(mask, "masked_scatter", &flags, &ranks, &buf, &cap, &selected);
    if (st == MX_OK && selected * slab > src->size)
        st = mx_set_error(MX_ERROR_UNSUPPORTED,
                          "masked_scatter: the source has %" PRId64 " elements, too few for the mask's selection",
                          src->size);
    int rc = 0;
    if (st == MX_OK && selected)
        rc = cuda_launch_masked_scatter((int)es, out->buffer->device_ptr, sp, src->strides[0], flags, ranks, mask->size,
                                        slab, STREAM);
    cuda_scratch_free(buf, cap);
    return st != MX_OK ? st : launched(out, rc);
}

/* out (n,) = the selected slabs of cot (a's shape, any strides) in order, then zeros */
static mx_status masked_select_kernel(mx_node *out) {
    mx_node *cot = out->inputs[0], *mask = out->inputs[1];
    cuda_layout lc, lm;
    if (mask->size > INT32_MAX || out->dtype == MX_COMPLEX64 || !layout_of(cot, &lc) || !layout_of(mask, &lm))
        return fallback(out);
    void *cp = NULL;
    mx_status st = cot->size ? cuda_node_ptr(cot, "masked_select", &cp) : MX_OK;
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    size_t es = mx_dtype_size(out->dtype);
    st = cuda_check(cudaMemsetAsync(out->buffer->device_ptr, 0, (size_t)out->size * es, cuda_stream_get()),
                    "masked_select", "zeroing the output");
    if (st != MX_OK || cot->size == 0)
        return st != MX_OK ? st : launched(out, 0);
    const unsigned char *flags;
    int32_t *ranks;
    void *buf = NULL;
    size_t cap = 0;
    st = mask_ranks(mask, "masked_select", &flags, &ranks, &buf, &cap, NULL);
    int rc = 0;
    if (st == MX_OK)
        rc = cuda_launch_masked_select((int)es, out->buffer->device_ptr, out->size, cp, &lc, cot->size, flags, ranks,
                                       cot->size / mask->size, STREAM);
    cuda_scratch_free(buf, cap);
    return st != MX_OK ? st : launched(out, rc);
}

/* ---- pad ------------------------------------------------------------------------------------------------- */

/* out (low + x + high per axis) = value, x in the interior */
static mx_status pad_kernel(mx_node *out) {
    const mx_pad_params *p = mx_node_params(out);
    mx_node *x = out->inputs[0], *v = out->inputs[1];
    if (x->dtype != out->dtype || v->dtype != out->dtype || out->dtype == MX_COMPLEX64)
        return fallback(out);
    /* dims of out of size 1 carry no padding: left out */
    int64_t shape[MX_MAX_NDIM], low[MX_MAX_NDIM], xshape[MX_MAX_NDIM], xstrides[MX_MAX_NDIM];
    int nd = 0;
    for (int d = 0; d < out->ndim; d++) {
        if (out->shape[d] == 1)
            continue;
        shape[nd] = out->shape[d];
        low[nd] = p->low[d];
        xshape[nd] = x->shape[d];
        xstrides[nd++] = x->strides[d];
    }
    if (nd == 0) {
        shape[0] = xshape[0] = 1;
        low[0] = xstrides[0] = 0;
        nd = 1;
    }
    if (x->size == 0)
        xshape[0] = 0; /* nothing inside: all value (x's empty dim may have been left out) */
    if (nd > CUDA_MAX_DIMS + 1)
        return fallback(out);
    void *vp, *xp = NULL;
    mx_status st = cuda_node_ptr(v, "pad", &vp);
    if (st == MX_OK && x->size)
        st = cuda_node_ptr(x, "pad", &xp);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    return launched(out, cuda_launch_pad((int)mx_dtype_size(out->dtype), out->buffer->device_ptr, xp ? xp : vp, vp, nd,
                                         shape, low, xshape, xstrides, STREAM));
}

/* ---- arange (float) ----------------------------------------------------------------------------------------- */

/* Longer float ranges stay on the CPU: the GPU's sequential loop runs on one thread. */
#define ARANGE_GPU_MAX ((int64_t)1 << 20)

static mx_kernel_fn g_integer_arange; /* indexing.c's kernel (integer dtypes) */

/* shape: (n,) float16/32/64, bfloat16 */
static mx_status arange_kernel(mx_node *out) {
    bool is_float =
        out->dtype == MX_FLOAT32 || out->dtype == MX_FLOAT64 || out->dtype == MX_FLOAT16 || out->dtype == MX_BFLOAT16;
    if (!is_float)
        return g_integer_arange ? g_integer_arange(out) : fallback(out);
    if (out->size > ARANGE_GPU_MAX)
        return fallback(out);
    const mx_arange_params *p = mx_node_params(out);
    mx_status st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    return launched(
        out, cuda_launch_arange_float(out->dtype, out->buffer->device_ptr, out->size, p->start, p->step, STREAM));
}

/* ---- hadamard_transform ------------------------------------------------------------------------------------ */

/* shape: a (..., n) float -> out (same, float): rows transformed in float32 */
static mx_status hadamard_kernel(mx_node *out) {
    const mx_hadamard_params *p = mx_node_params(out);
    mx_node *a = out->inputs[0];
    if (!mx_dtype_is_float(a->dtype) || !mx_dtype_is_float(out->dtype) || a->dtype == MX_COMPLEX64 ||
        out->dtype == MX_COMPLEX64 || a->ndim == 0)
        return fallback(out);
    int64_t n = a->shape[a->ndim - 1];
    int m = n % 28 == 0 && ((n / 28) & (n / 28 - 1)) == 0   ? 28
            : n % 20 == 0 && ((n / 20) & (n / 20 - 1)) == 0 ? 20
            : n % 12 == 0 && ((n / 12) & (n / 12 - 1)) == 0 ? 12
                                                            : 1;
    uint32_t signs[28] = {0};
    if (m > 1) {
        const char *const *h = cpu_hadamard_matrix(m);
        for (int r = 0; r < m; r++)
            for (int l = 0; l < m; l++)
                signs[r] |= (uint32_t)(h[r][l] == '-') << l;
    }
    cuda_layout lay;
    if (n == 0 || n * (int64_t)sizeof(float) > 160 * 1024 || !layout_of(a, &lay))
        return fallback(out);
    void *src, *copy;
    size_t cap;
    mx_status st = dense_input(a, "hadamard_transform", &src, &copy, &cap);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = 0;
    if (st == MX_OK && out->size)
        rc = cuda_launch_hadamard(a->dtype, out->dtype, out->buffer->device_ptr, src, a->size / n, n, m, signs,
                                  p->scale, STREAM);
    cuda_scratch_free(copy, cap);
    return st != MX_OK ? st : launched(out, rc);
}

/* ---- as_strided, view -------------------------------------------------------------------------------------- */

/* shape: out (the as_strided shape) = x's elements in row-major order at
 * offset + sum(idx * strides) (a copy of x first when it is not row-contiguous) */
static mx_status as_strided_kernel(mx_node *out) {
    const mx_as_strided_params *p = mx_node_params(out);
    mx_node *x = out->inputs[0];
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    const int64_t *strides[2] = {row, p->strides};
    cuda_layout lay, lx;
    memset(&lay, 0, sizeof lay);
    int kind = cuda_collapse(out->shape, out->ndim, strides, 2, &lay);
    if (kind < 0 || x->dtype != out->dtype || !layout_of(x, &lx))
        return fallback(out);
    void *src = NULL, *copy = NULL;
    size_t cap = 0;
    mx_status st = out->size ? dense_input(x, "as_strided", &src, &copy, &cap) : MX_OK;
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int rc = 0;
    if (st == MX_OK && out->size)
        rc = cuda_launch_cast(x->dtype, out->dtype, out->buffer->device_ptr,
                              (char *)src + p->offset * (int64_t)mx_dtype_size(x->dtype), out->size, kind ? &lay : NULL,
                              STREAM);
    cuda_scratch_free(copy, cap);
    return st != MX_OK ? st : launched(out, rc);
}

/* shape: out (another dtype's view of in's bytes) = in's bytes in row-major
 * order; a view as bool stores 0/1 (any non-zero byte reads as true) */
static mx_status view_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    cuda_layout lay;
    if (!layout_of(in, &lay))
        return fallback(out);
    void *src = NULL;
    mx_status st = in->size ? cuda_node_ptr(in, "view", &src) : MX_OK;
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    int rc =
        cuda_launch_cast(in->dtype, in->dtype, out->buffer->device_ptr, src, in->size, lay.ndim ? &lay : NULL, STREAM);
    if (rc == 0 && out->dtype == MX_BOOL && in->dtype != MX_BOOL) /* in place: each element reads then writes itself */
        rc = cuda_launch_cast(MX_UINT8, MX_BOOL, out->buffer->device_ptr, out->buffer->device_ptr, out->size, NULL,
                              STREAM);
    return launched(out, rc);
}

/* ---- gather_mm ------------------------------------------------------------------------------------------------- */

/* Index i (row-major over n's shape) of a uint32 index node read on the host. */
static uint32_t index_at(const mx_node *n, const uint32_t *base, int64_t i) {
    int64_t off = 0;
    for (int d = n->ndim - 1; d >= 0; d--) {
        off += i % n->shape[d] * n->strides[d];
        i /= n->shape[d];
    }
    return base[off];
}

/* out (batch..., M, N): out[i] = a[lhs[i]] @ b[rhs[i]] (a as (acount, M, K), b
 * as (bcount, K, N)). The indices are read on the host (a download when they
 * live on the GPU). Affine indices (lhs = a0 + i da, rhs = b0 + i db, steps 0
 * allowed) are one strided-batched GEMM; otherwise the products are grouped
 * by rhs (experts): a's matrices gathered in group order, one GEMM per group
 * ((count x M, K) @ (K, N)), results scattered back. */
static mx_status gather_mm_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *b = out->inputs[1], *lo = out->inputs[2], *ro = out->inputs[3];
    mx_dtype t = out->dtype;
    bool typed = t == MX_FLOAT32 || t == MX_FLOAT16 || t == MX_BFLOAT16 || t == MX_FLOAT64;
    int64_t M = a->shape[a->ndim - 2], K = a->shape[a->ndim - 1], N = b->shape[b->ndim - 1];
    int64_t nbatch = M * N > 0 ? out->size / (M * N) : 0;
    cuda_layout l1, l2;
    if (!typed || a->dtype != t || b->dtype != t || lo->dtype != MX_UINT32 || ro->dtype != MX_UINT32 ||
        out->size == 0 || K == 0 || nbatch > INT32_MAX || !layout_of(a, &l1) || !layout_of(b, &l2))
        return fallback(out); /* empty products and zero fills: the CPU kernel */
    int64_t acount = a->size / (M * K), bcount = b->size / (K * N);
    const uint32_t *lh = mx_node_data(lo), *rh = mx_node_data(ro);
    if (!lh || !rh)
        return mx_last_status();
    uint32_t *li = malloc(sizeof(uint32_t) * 2 * (size_t)nbatch + sizeof(uint32_t) * (size_t)bcount + 1);
    if (!li)
        return mx_set_error(MX_ERROR_MEMORY, "gather_mm: out of memory");
    uint32_t *ri = li + nbatch, *group_count = ri + nbatch;
    mx_status st = MX_OK;
    for (int64_t i = 0; i < nbatch; i++) {
        li[i] = index_at(lo, lh, i);
        ri[i] = index_at(ro, rh, i);
        if (li[i] >= acount || ri[i] >= bcount) {
            st = mx_set_error(MX_ERROR_INDEX, "gather_mm: index out of range (lhs %lld of %lld, rhs %lld of %lld)",
                              (long long)li[i], (long long)acount, (long long)ri[i], (long long)bcount);
            break;
        }
    }
    void *ap = NULL, *bp = NULL, *acopy = NULL, *bcopy = NULL, *tmp = NULL;
    size_t acap = 0, bcap = 0, tcap = 0;
    if (st == MX_OK)
        st = dense_input(a, "gather_mm", &ap, &acopy, &acap);
    if (st == MX_OK)
        st = dense_input(b, "gather_mm", &bp, &bcopy, &bcap);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK)
        goto done;
    int64_t es = (int64_t)mx_dtype_size(t);
    bool affine = true;
    int64_t da = nbatch > 1 ? (int64_t)li[1] - li[0] : 0, db = nbatch > 1 ? (int64_t)ri[1] - ri[0] : 0;
    for (int64_t i = 1; i < nbatch && affine; i++)
        affine = (int64_t)li[i] - li[i - 1] == da && (int64_t)ri[i] - ri[i - 1] == db;
    if (affine && da >= 0 && db >= 0) {
        st = cuda_gemm_rows(t, M, N, K, nbatch, (const char *)ap + (int64_t)li[0] * M * K * es, da * M * K,
                            (const char *)bp + (int64_t)ri[0] * K * N * es, db * K * N, false, out->buffer->device_ptr,
                            "gather_mm");
        goto done;
    }
    /* group by expert: a stable counting sort of the batch entries by rhs */
    memset(group_count, 0, sizeof(uint32_t) * (size_t)bcount);
    for (int64_t i = 0; i < nbatch; i++)
        group_count[ri[i]]++;
    uint32_t *order = malloc(sizeof(uint32_t) * 3 * (size_t)nbatch); /* order | a index | (device copy staging) */
    if (!order) {
        st = mx_set_error(MX_ERROR_MEMORY, "gather_mm: out of memory");
        goto done;
    }
    uint32_t *a_of = order + nbatch, *start = group_count; /* group starts, in place */
    uint32_t acc = 0;
    for (int64_t e = 0; e < bcount; e++) {
        uint32_t c = group_count[e];
        start[e] = acc;
        acc += c;
    }
    for (int64_t i = 0; i < nbatch; i++)
        order[start[ri[i]]++] = (uint32_t)i; /* start[e] ends at the next group's start */
    bool same_order = true, a_identity = true;
    for (int64_t j = 0; j < nbatch; j++) {
        a_of[j] = li[order[j]];
        same_order &= order[j] == (uint32_t)j;
        a_identity &= a_of[j] == (uint32_t)j;
    }
    size_t arows = (size_t)(M * K * es), crows = (size_t)(M * N * es);
    size_t need = (a_identity ? 0 : (size_t)nbatch * arows) + (same_order ? 0 : (size_t)nbatch * crows) +
                  2 * sizeof(uint32_t) * (size_t)nbatch + 512;
    tmp = cuda_scratch_alloc(need, "gather_mm", &tcap);
    if (!tmp) {
        free(order);
        st = mx_last_status();
        goto done;
    }
    char *p = tmp;
    uint32_t *d_order = (uint32_t *)p, *d_a = d_order + nbatch;
    p += ((size_t)2 * sizeof(uint32_t) * (size_t)nbatch + 255) & ~(size_t)255;
    const char *a_sorted = ap;
    char *c_sorted = out->buffer->device_ptr;
    cudaStream_t s = cuda_stream_get();
    st = cuda_check(cudaMemcpyAsync(d_order, order, sizeof(uint32_t) * 2 * (size_t)nbatch, cudaMemcpyHostToDevice, s),
                    "gather_mm", "uploading the order");
    if (st == MX_OK)
        st = cuda_check(cudaStreamSynchronize(s), "gather_mm", "uploading the order"); /* order is freed below */
    free(order);
    int rc = 0;
    if (st == MX_OK && !a_identity) {
        a_sorted = p;
        rc = cuda_launch_copy_blocks(p, ap, NULL, d_a, nbatch, (int64_t)arows, STREAM);
        p += ((size_t)nbatch * arows + 255) & ~(size_t)255;
    }
    if (st == MX_OK && !same_order)
        c_sorted = p;
    int64_t first = 0;
    for (int64_t e = 0; e < bcount && st == MX_OK && rc == 0; e++) {
        int64_t end = start[e], count = end - first; /* start[e] is now group e's end */
        if (count > 0)
            st = cuda_gemm_rows(t, count * M, N, K, 1, a_sorted + (size_t)first * arows, 0,
                                (const char *)bp + (size_t)(e * K * N * es), 0, false, c_sorted + (size_t)first * crows,
                                "gather_mm");
        first = end;
    }
    if (st == MX_OK && rc == 0 && !same_order)
        rc = cuda_launch_copy_blocks(out->buffer->device_ptr, c_sorted, d_order, NULL, nbatch, (int64_t)crows, STREAM);
    if (st == MX_OK && rc < 0)
        st = mx_set_error(MX_ERROR_INTERNAL, "gather_mm: a block copy failed");
done:
    free(li);
    cuda_scratch_free(tmp, tcap);
    cuda_scratch_free(acopy, acap);
    cuda_scratch_free(bcopy, bcap);
    return st != MX_OK ? st : launched(out, 0);
}

void cuda_register_select(mx_backend *b) {
    b->kernels[MX_OP_partition] = partition_kernel;
    b->kernels[MX_OP_argpartition] = partition_kernel;
    b->kernels[MX_OP_searchsorted] = searchsorted_kernel;
    b->kernels[MX_OP_masked_scatter] = masked_scatter_kernel;
    b->kernels[MX_OP_masked_select] = masked_select_kernel;
    b->kernels[MX_OP_pad] = pad_kernel;
    if (b->kernels[MX_OP_arange] != arange_kernel)
        g_integer_arange = b->kernels[MX_OP_arange];
    b->kernels[MX_OP_arange] = arange_kernel;
    b->kernels[MX_OP_hadamard_transform] = hadamard_kernel;
    b->kernels[MX_OP_gather_mm] = gather_mm_kernel;
    b->kernels[MX_OP_as_strided] = as_strided_kernel;
    b->kernels[MX_OP_view] = view_kernel;
}
