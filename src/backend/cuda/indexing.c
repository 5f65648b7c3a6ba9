/* backend/cuda/indexing.c - glue from graph nodes to the kernels of
 * indexing.cu: take, take_along_axis, gather, scatter (all reductions),
 * scatter_axis, slice_update, dynamic_slice(_update), concatenate, the
 * creation ops and the scans; and of random.cu: random_bits, _uniform,
 * _normal. Semantics are the CPU kernels' (read them
 * first: backend/cpu/indexing.c, scatter.c, shape.c, creation.c, scan.c,
 * random.c).
 *
 * Out-of-range indices: the kernels never dereference one (index 0 is used)
 * and raise a device flag; the glue copies the flag back and synchronizes
 * (one small copy per indexing node), and on failure finds the first bad
 * index on the host and raises the CPU kernel's MX_ERROR_INDEX, message
 * included. Layouts that need more than CUDA_MAX_DIMS dims after merging
 * run the CPU kernel, as does anything decided before the output exists. */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/indexing_kernels.h"
#include "core/half.h"
#include "core/scalar.h"
#include "ops/scatter.h"
#include "ops/sort.h"

#define STREAM ((cuda_stream)cuda_stream_get())

static mx_status fallback(mx_node *n) { return mx_run_cpu_kernel(n); }

/* ---- layouts ------------------------------------------------------------------------------------------- */

/* lay = shape with nops operands' strides (elements, times scale[k]: 1 or
 * the item size for bytes), size-1 dims dropped and dims that every operand
 * steps through contiguously merged. false when more than CUDA_MAX_DIMS
 * remain. */
static bool walk(const int64_t *shape, int nd, const int64_t *const *strides, const int64_t *scale, int nops,
                 cuda_layout *lay) {
    memset(lay, 0, sizeof *lay);
    int64_t sh[MX_MAX_NDIM], st[CUDA_MAX_OPERANDS][MX_MAX_NDIM];
    int k = 0;
    for (int d = 0; d < nd; d++) {
        if (shape[d] == 1)
            continue;
        bool merge = k > 0;
        for (int o = 0; o < nops && merge; o++)
            merge = st[o][k - 1] == strides[o][d] * scale[o] * shape[d];
        if (merge) {
            sh[k - 1] *= shape[d];
            for (int o = 0; o < nops; o++)
                st[o][k - 1] = strides[o][d] * scale[o];
        } else {
            sh[k] = shape[d];
            for (int o = 0; o < nops; o++)
                st[o][k] = strides[o][d] * scale[o];
            k++;
        }
    }
    if (k > CUDA_MAX_DIMS)
        return false;
    lay->ndim = k;
    for (int d = 0; d < k; d++) {
        lay->shape[d] = sh[d];
        for (int o = 0; o < nops; o++)
            lay->strides[o][d] = st[o][d];
    }
    return true;
}

static int64_t gcd64(int64_t a, int64_t b) {
    a = a < 0 ? -a : a;
    b = b < 0 ? -b : b;
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The widest unit (16, 8, 4, 2, 1 bytes) dividing every value of v. */
static int unit_of(const int64_t *v, int n) {
    int64_t g = 0;
    for (int i = 0; i < n; i++)
        g = gcd64(g, v[i]);
    for (int u = 16; u > 1; u /= 2)
        if (g % u == 0)
            return u;
    return 1;
}

/* ---- the index error flag ---------------------------------------------------------------------------- */

static int *g_bad;      /* device */
static int *g_bad_host; /* pinned */

static mx_status flag_reset(const char *op) {
    if (!g_bad) {
        cudaError_t err = cudaMalloc((void **)&g_bad, sizeof(int));
        if (err == cudaSuccess)
            err = cudaHostAlloc((void **)&g_bad_host, sizeof(int), cudaHostAllocDefault);
        if (err != cudaSuccess) {
            g_bad = NULL;
            return cuda_check(err, op, "the index flag");
        }
    }
    return cuda_check(cudaMemsetAsync(g_bad, 0, sizeof(int), cuda_stream_get()), op, "the index flag");
}

/* Whether a kernel since flag_reset met an out-of-range index (waits). */
static mx_status flag_read(const char *op, bool *bad) {
    cudaError_t err = cudaMemcpyAsync(g_bad_host, g_bad, sizeof(int), cudaMemcpyDeviceToHost, cuda_stream_get());
    if (err == cudaSuccess)
        err = cudaStreamSynchronize(cuda_stream_get());
    *bad = err == cudaSuccess && *g_bad_host != 0;
    return cuda_check(err, op, "reading the index flag");
}

/* An index of any integer dtype as int64 (uint64 beyond INT64_MAX saturates). */
static int64_t load_index(const char *p, mx_dtype dt) {
    switch (dt) {
    case MX_UINT8: return *(const uint8_t *)p;
    case MX_UINT16: return *(const uint16_t *)p;
    case MX_UINT32: return *(const uint32_t *)p;
    case MX_UINT64: {
        uint64_t v = *(const uint64_t *)p;
        return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
    }
    case MX_INT8: return *(const int8_t *)p;
    case MX_INT16: return *(const int16_t *)p;
    case MX_INT32: return *(const int32_t *)p;
    default: return *(const int64_t *)p;
    }
}

/* The CPU kernels' error for the first index of idx (row-major) outside
 * [0, dim - extent] after wrapping; `raw_unsigned` prints a uint64 index
 * unsaturated (take's message). false when every index is in range. */
static bool first_bad_index(const char *op, const mx_node *idx, int axis, int64_t dim, int64_t extent,
                            bool raw_unsigned) {
    size_t isz = mx_dtype_size(idx->dtype);
    const char *base = mx_node_data(idx);
    if (!base)
        return true; /* the download's error is set */
    for (int64_t i = 0; i < idx->size; i++) {
        int64_t rem = i, off = 0;
        for (int d = idx->ndim - 1; d >= 0; d--) {
            off += rem % idx->shape[d] * idx->strides[d];
            rem /= idx->shape[d];
        }
        const char *p = base + off * (int64_t)isz;
        int64_t raw = load_index(p, idx->dtype), v = raw < 0 ? raw + dim : raw;
        if (v >= 0 && v <= dim - extent)
            continue;
        char value[32];
        if (raw_unsigned && idx->dtype == MX_UINT64)
            snprintf(value, sizeof value, "%" PRIu64, *(const uint64_t *)p);
        else
            snprintf(value, sizeof value, "%" PRId64, raw);
        mx_set_error(MX_ERROR_INDEX, "%s: index %s is out of bounds for axis %d with size %" PRId64, op, value, axis,
                     dim);
        return true;
    }
    return false;
}

/* ---- shared steps -------------------------------------------------------------------------------------- */

static mx_status input_ptrs(mx_node *out, void **ptrs) {
    for (int i = 0; i < out->n_inputs; i++) {
        mx_status st = cuda_node_ptr(out->inputs[i], out->op->name, &ptrs[i]);
        if (st != MX_OK)
            return st;
    }
    return MX_OK;
}

static mx_status launched(mx_node *out, int rc) {
    if (rc < 0)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: no CUDA kernel for %s", out->op->name, mx_dtype_name(out->dtype));
    cudaError_t err = cudaGetLastError();
    if (err != cudaSuccess)
        return cuda_check(err, out->op->name, "a kernel launch");
    cuda_output_written(out);
    return MX_OK;
}

/* Copy src (element strides `strides`, shape/ndim) into dst (row-contiguous
 * of the same shape), converting to dst_dtype. */
static mx_status copy_into(const char *op, void *dst, mx_dtype dst_dtype, const void *src, mx_dtype src_dtype,
                           const int64_t *shape, int ndim, const int64_t *dst_strides, const int64_t *src_strides) {
    int64_t size = 1;
    for (int d = 0; d < ndim; d++)
        size *= shape[d];
    if (size == 0)
        return MX_OK;
    const int64_t *strides[2] = {dst_strides, src_strides};
    const int64_t scale[2] = {1, 1};
    cuda_layout lay;
    if (!walk(shape, ndim, strides, scale, 2, &lay))
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: a layout of more than %d dims", op, CUDA_MAX_DIMS);
    if (cuda_launch_cast(src_dtype, dst_dtype, dst, src, size, &lay, STREAM) < 0)
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: no CUDA copy for %s", op, mx_dtype_name(src_dtype));
    return MX_OK;
}

/* Whether `n` (shape, strides) walks in at most CUDA_MAX_DIMS merged dims
 * next to a row-contiguous operand of the same shape. */
static bool fits(const mx_node *n) {
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(n->shape, n->ndim, row);
    const int64_t *strides[2] = {row, n->strides};
    const int64_t scale[2] = {1, 1};
    cuda_layout lay;
    return walk(n->shape, n->ndim, strides, scale, 2, &lay);
}

/* out = a copy of input 0 (its device buffer donated when possible).
 * a_ptr: input 0's device address, taken before. */
static mx_status init_from_input(mx_node *out, const void *a_ptr) {
    mx_node *a = out->inputs[0];
    if (a->buffer && a->buffer->device_ptr && (a->buffer->valid & MX_VALID_DEVICE) && mx_node_try_donate(out, 0))
        return MX_OK;
    mx_status st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    void *dst = out->buffer->device_ptr;
    if (mx_node_is_row_contiguous(a))
        return cuda_check(cudaMemcpyAsync(dst, a_ptr, (size_t)out->size * mx_dtype_size(out->dtype),
                                          cudaMemcpyDeviceToDevice, cuda_stream_get()),
                          out->op->name, "a device copy");
    return copy_into(out->op->name, dst, out->dtype, a_ptr, a->dtype, a->shape, a->ndim, out->strides, a->strides);
}

static void *scratch(size_t nbytes, const char *op, size_t *capacity) {
    return cuda_scratch_alloc(nbytes ? nbytes : 1, op, capacity);
}

/* ---- take ---------------------------------------------------------------------------------------------- */

/* The slab gather's layouts: outer dims [0, axis) of a, slab dims
 * (axis, ndim) of a; the unit widened over contiguous slabs. */
typedef struct slab_setup {
    cuda_layout outer, slab;
    int unit;
    int64_t slab_units;
} slab_setup;

static bool setup_slabs(slab_setup *s, const mx_node *a, const int64_t *slab_shape, int slab_first, int slab_nd,
                        int outer_nd, int64_t axis_stride_bytes, const void *src, const void *dst) {
    int64_t es = (int64_t)mx_dtype_size(a->dtype);
    const int64_t *so[1] = {a->strides};
    const int64_t scale[1] = {es};
    if (!walk(a->shape, outer_nd, so, scale, 1, &s->outer))
        return false;
    const int64_t *ss[1] = {a->strides + slab_first};
    if (!walk(slab_shape, slab_nd, ss, scale, 1, &s->slab))
        return false;
    int64_t slab_elems = 1;
    for (int d = 0; d < slab_nd; d++)
        slab_elems *= slab_shape[d];
    bool contiguous = s->slab.ndim == 0 || (s->slab.ndim == 1 && s->slab.strides[0][0] == es);
    if (contiguous) {
        int64_t v[4 + CUDA_MAX_DIMS];
        int n = 0;
        v[n++] = slab_elems * es;
        v[n++] = axis_stride_bytes;
        v[n++] = (int64_t)(uintptr_t)src;
        v[n++] = (int64_t)(uintptr_t)dst;
        for (int d = 0; d < s->outer.ndim; d++)
            v[n++] = s->outer.strides[0][d];
        s->unit = unit_of(v, n);
        s->slab.ndim = 1;
        s->slab.shape[0] = s->slab_units = slab_elems * es / s->unit;
        s->slab.strides[0][0] = s->unit;
    } else {
        s->unit = (int)es;
        s->slab_units = slab_elems;
    }
    return true;
}

/* out (a.shape[:axis] + indices.shape + a.shape[axis+1:]) = a at indices along axis */
static mx_status take_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *idx = out->inputs[1];
    int axis = ((const mx_axis_params *)mx_node_params(out))->axis;
    if (out->size == 0)
        return cuda_alloc_output(out);
    if (a->shape[axis] == 0)
        return fallback(out);
    int64_t es = (int64_t)mx_dtype_size(a->dtype);
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(idx->shape, idx->ndim, row);
    const int64_t *is[1] = {idx->strides};
    const int64_t one[1] = {1};
    cuda_layout iwalk;
    if (!walk(idx->shape, idx->ndim, is, one, 1, &iwalk))
        return fallback(out);
    void *ptr[2];
    mx_status st = input_ptrs(out, ptr);
    if (st != MX_OK)
        return st;
    /* (outputs are fresh device blocks: 256-byte aligned) */
    slab_setup s;
    int64_t axis_stride = a->strides[axis] * es;
    if (!setup_slabs(&s, a, a->shape + axis + 1, axis + 1, a->ndim - axis - 1, axis, axis_stride, ptr[0], NULL))
        return fallback(out);
    st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    size_t cap;
    int64_t *offs = scratch((size_t)idx->size * sizeof(int64_t), "take", &cap);
    if (!offs)
        return mx_last_status();
    st = flag_reset("take");
    int rc = 0;
    if (st == MX_OK) {
        rc = cuda_launch_index_offsets(idx->dtype, ptr[1], &iwalk, idx->size, a->shape[axis], 1, axis_stride, 1, offs,
                                       g_bad, STREAM);
        int64_t outer = out->size / (idx->size * (s.slab_units * s.unit / es));
        if (rc == 0)
            rc = cuda_launch_gather_slabs(out->buffer->device_ptr, ptr[0], offs, idx->size, outer * idx->size,
                                          s.slab_units, s.unit, &s.outer, &s.slab, STREAM);
    }
    bool bad = false;
    if (st == MX_OK && rc == 0)
        st = flag_read("take", &bad);
    cuda_scratch_free(offs, cap);
    if (st != MX_OK)
        return st;
    if (bad && first_bad_index("take", idx, axis, a->shape[axis], 1, true))
        return mx_last_status();
    return launched(out, rc);
}

/* out (indices' shape) = a along axis at indices, broadcast in the other dims */
static mx_status take_along_axis_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *idx = out->inputs[1];
    int axis = ((const mx_axis_params *)mx_node_params(out))->axis;
    if (out->size == 0)
        return cuda_alloc_output(out);
    if (a->shape[axis] == 0)
        return fallback(out);
    int64_t es = (int64_t)mx_dtype_size(a->dtype);
    int64_t row[MX_MAX_NDIM], a_strides[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    memcpy(a_strides, a->strides, sizeof(int64_t) * (size_t)a->ndim);
    a_strides[axis] = 0;
    const int64_t *strides[3] = {row, a_strides, idx->strides};
    const int64_t scale[3] = {es, es, (int64_t)mx_dtype_size(idx->dtype)};
    cuda_layout lay;
    if (!walk(out->shape, out->ndim, strides, scale, 3, &lay))
        return fallback(out);
    void *ptr[2];
    mx_status st = input_ptrs(out, ptr);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st == MX_OK)
        st = flag_reset("take_along_axis");
    if (st != MX_OK)
        return st;
    int rc = cuda_launch_take_along_axis(idx->dtype, (int)es, out->buffer->device_ptr, ptr[0], ptr[1], out->size, &lay,
                                         a->shape[axis], a->strides[axis] * es, g_bad, STREAM);
    bool bad = false;
    if (rc == 0 && (st = flag_read("take_along_axis", &bad)) != MX_OK)
        return st;
    if (bad && first_bad_index("take_along_axis", idx, axis, a->shape[axis], 1, true))
        return mx_last_status();
    return launched(out, rc);
}

/* ---- gather and scatter ------------------------------------------------------------------------------- */

/* offs (count) = sum_j idx_j (wrapped) * stride(axes[j]) bytes over the
 * index shape bshape (nb dims); NULL on error. Launch only (flag set). */
static int64_t *index_offsets(const char *op, mx_node *const *indices, void *const *iptr, int n, const int *axes,
                              const int64_t *dims, const int64_t *strides, const int64_t *extents, int64_t es,
                              const int64_t *bshape, int nb, int64_t count, size_t *cap, int *rc) {
    int64_t *offs = scratch((size_t)count * sizeof(int64_t), op, cap);
    if (!offs)
        return NULL;
    *rc = 0;
    if (n == 0) {
        mx_status st = cuda_check(cudaMemsetAsync(offs, 0, (size_t)count * sizeof(int64_t), cuda_stream_get()), op,
                                  "zero offsets");
        if (st != MX_OK) {
            cuda_scratch_free(offs, *cap);
            return NULL;
        }
        return offs;
    }
    const int64_t one[1] = {1};
    for (int j = 0; j < n && *rc == 0; j++) {
        const int64_t *is[1] = {indices[j]->strides};
        cuda_layout w;
        if (!walk(bshape, nb, is, one, 1, &w)) {
            *rc = -1;
            break;
        }
        int ax = axes[j];
        *rc = cuda_launch_index_offsets(indices[j]->dtype, iptr[j], &w, count, dims[ax], extents[ax], strides[ax] * es,
                                        j == 0, offs, g_bad, STREAM);
    }
    return offs;
}

/* The first bad index over the index arrays in order (the CPU's order). */
static mx_status index_failure(const char *op, mx_node *const *indices, int n, const int *axes, const int64_t *dims,
                               const int64_t *extents) {
    for (int j = 0; j < n; j++)
        if (first_bad_index(op, indices[j], axes[j], dims[axes[j]], extents[axes[j]], false))
            return mx_last_status();
    return mx_set_error(MX_ERROR_INTERNAL, "%s: an index was out of bounds but could not be found again", op);
}

static bool index_walks_fit(mx_node *const *indices, int n, const int64_t *bshape, int nb) {
    const int64_t one[1] = {1};
    for (int j = 0; j < n; j++) {
        const int64_t *is[1] = {indices[j]->strides};
        cuda_layout w;
        if (!walk(bshape, nb, is, one, 1, &w))
            return false;
    }
    return true;
}

/* out (B + slice_sizes) = slices of a at the index positions */
static mx_status gather_kernel(mx_node *out) {
    const mx_gather_params *prm = mx_node_params(out);
    mx_node *a = out->inputs[0];
    if (out->size == 0)
        return cuda_alloc_output(out);
    int nb = out->ndim - a->ndim, n = prm->naxes;
    int64_t es = (int64_t)mx_dtype_size(a->dtype), count = 1;
    for (int d = 0; d < nb; d++)
        count *= out->shape[d];
    if (!index_walks_fit(out->inputs + 1, n, out->shape, nb))
        return fallback(out);
    void *ptr[MX_MAX_NDIM + 2];
    mx_status st = input_ptrs(out, ptr);
    if (st != MX_OK)
        return st;
    slab_setup s;
    int64_t axis_gcd = 0;
    for (int j = 0; j < n; j++)
        axis_gcd = gcd64(axis_gcd, a->strides[prm->axes[j]] * es);
    if (!setup_slabs(&s, a, prm->slice_sizes, 0, a->ndim, 0, axis_gcd, ptr[0], NULL))
        return fallback(out);
    if ((st = cuda_alloc_output(out)) != MX_OK)
        return st;
    if ((st = flag_reset("gather")) != MX_OK)
        return st;
    size_t cap = 0;
    int rc = 0;
    int64_t *offs = index_offsets("gather", out->inputs + 1, ptr + 1, n, prm->axes, a->shape, a->strides,
                                  prm->slice_sizes, es, out->shape, nb, count, &cap, &rc);
    if (!offs)
        return mx_last_status();
    if (rc == 0)
        rc = cuda_launch_gather_slabs(out->buffer->device_ptr, ptr[0], offs, count, count, s.slab_units, s.unit,
                                      &s.outer, &s.slab, STREAM);
    bool bad = false;
    if (rc == 0)
        st = flag_read("gather", &bad);
    cuda_scratch_free(offs, cap);
    if (st != MX_OK)
        return st;
    if (bad)
        return index_failure("gather", out->inputs + 1, n, prm->axes, a->shape, prm->slice_sizes);
    return launched(out, rc);
}

/* out (a's shape) = a with updates (B + slab) combined at the index positions */
static mx_status scatter_kernel(mx_node *out) {
    const mx_scatter_params *prm = mx_node_params(out);
    int n = prm->naxes;
    mx_node *upd = out->inputs[n + 1];
    int nd = out->ndim, nb = upd->ndim - nd;
    const int64_t *slab_shape = upd->shape + nb;
    int64_t es = (int64_t)mx_dtype_size(out->dtype), count = 1, slab = 1;
    for (int d = 0; d < nb; d++)
        count *= upd->shape[d];
    for (int d = 0; d < nd; d++)
        slab *= slab_shape[d];
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, nd, row);
    cuda_layout pos, slab_lay;
    const int64_t *ps[1] = {upd->strides};
    const int64_t pscale[1] = {es};
    const int64_t *ss[2] = {row, upd->strides + nb};
    const int64_t sscale[2] = {es, es};
    if (!index_walks_fit(out->inputs + 1, n, upd->shape, nb) || !walk(upd->shape, nb, ps, pscale, 1, &pos) ||
        !walk(slab_shape, nd, ss, sscale, 2, &slab_lay) || !fits(out->inputs[0]) ||
        (prm->reduce == MX_REDUCE_NONE && count > INT_MAX))
        return fallback(out);
    void *ptr[MX_MAX_NDIM + 2];
    mx_status st = input_ptrs(out, ptr);
    if (st == MX_OK)
        st = init_from_input(out, ptr[0]);
    if (st != MX_OK || out->size == 0 || upd->size == 0)
        return st == MX_OK ? launched(out, 0) : st;
    if ((st = flag_reset("scatter")) != MX_OK)
        return st;
    size_t cap = 0, wcap = 0;
    int rc = 0;
    int64_t *offs = index_offsets("scatter", out->inputs + 1, ptr + 1, n, prm->axes, out->shape, row, slab_shape, es,
                                  upd->shape, nb, count, &cap, &rc);
    if (!offs)
        return mx_last_status();
    int *winner = NULL;
    if (rc == 0 && prm->reduce == MX_REDUCE_NONE) {
        winner = scratch((size_t)out->size * sizeof(int), "scatter", &wcap);
        if (!winner)
            st = mx_last_status();
        else
            st = cuda_check(cudaMemsetAsync(winner, 0xFF, (size_t)out->size * sizeof(int), cuda_stream_get()),
                            "scatter", "the winner table");
    }
    if (st == MX_OK && rc == 0) {
        int64_t offs_align = 0;
        for (int j = 0; j < n; j++)
            offs_align = gcd64(offs_align, row[prm->axes[j]] * es);
        rc = cuda_launch_scatter(out->dtype, prm->reduce, out->buffer->device_ptr, ptr[n + 1], offs, count, slab, &pos,
                                 &slab_lay, offs_align, winner, STREAM);
    }
    bool bad = false;
    if (st == MX_OK && rc == 0)
        st = flag_read("scatter", &bad);
    cuda_scratch_free(offs, cap);
    cuda_scratch_free(winner, wcap);
    if (st != MX_OK)
        return st;
    if (bad)
        return index_failure("scatter", out->inputs + 1, n, prm->axes, out->shape, slab_shape);
    return launched(out, rc);
}

/* out = a with values put (or added) at indices along axis */
static mx_status scatter_axis_kernel(mx_node *out) {
    const mx_scatter_axis_params *p = mx_node_params(out);
    mx_node *idx = out->inputs[1], *val = out->inputs[2];
    int64_t es = (int64_t)mx_dtype_size(out->dtype);
    int64_t row[MX_MAX_NDIM], out_strides[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    memcpy(out_strides, row, sizeof(int64_t) * (size_t)out->ndim);
    out_strides[p->axis] = 0;
    const int64_t *strides[3] = {out_strides, idx->strides, val->strides};
    const int64_t scale[3] = {es, (int64_t)mx_dtype_size(idx->dtype), es};
    cuda_layout lay;
    if (!walk(idx->shape, idx->ndim, strides, scale, 3, &lay) || !fits(out->inputs[0]) ||
        (p->reduce == MX_REDUCE_NONE && idx->size > INT_MAX))
        return fallback(out);
    const char *op = p->reduce == MX_REDUCE_SUM ? "scatter_add_axis" : "put_along_axis";
    void *ptr[3];
    mx_status st = input_ptrs(out, ptr);
    if (st == MX_OK)
        st = init_from_input(out, ptr[0]);
    if (st != MX_OK || out->size == 0 || idx->size == 0)
        return st == MX_OK ? launched(out, 0) : st;
    if ((st = flag_reset(op)) != MX_OK)
        return st;
    size_t wcap = 0;
    int *winner = NULL;
    if (p->reduce == MX_REDUCE_NONE) {
        winner = scratch((size_t)out->size * sizeof(int), op, &wcap);
        if (!winner)
            return mx_last_status();
        st = cuda_check(cudaMemsetAsync(winner, 0xFF, (size_t)out->size * sizeof(int), cuda_stream_get()), op,
                        "the winner table");
    }
    int rc = 0;
    bool bad = false;
    if (st == MX_OK)
        rc = cuda_launch_scatter_axis(out->dtype, idx->dtype, p->reduce, out->buffer->device_ptr, ptr[1], ptr[2],
                                      idx->size, &lay, out->shape[p->axis], row[p->axis] * es, winner, g_bad, STREAM);
    if (st == MX_OK && rc == 0)
        st = flag_read(op, &bad);
    cuda_scratch_free(winner, wcap);
    if (st != MX_OK)
        return st;
    if (bad && first_bad_index(op, idx, p->axis, out->shape[p->axis], 1, false))
        return mx_last_status();
    return launched(out, rc);
}

/* ---- slice_update, the dynamic slices, concatenate ------------------------------------------------------ */

/* out (a's shape) = a with the box (start, step; update's shape) combined with update */
static mx_status slice_update_kernel(mx_node *out) {
    const mx_slice_update_params *p = mx_node_params(out);
    mx_node *upd = out->inputs[1];
    int64_t es = (int64_t)mx_dtype_size(out->dtype);
    int64_t row[MX_MAX_NDIM], box[MX_MAX_NDIM], offset = 0;
    mx_row_strides(out->shape, out->ndim, row);
    for (int d = 0; d < out->ndim; d++) {
        offset += p->start[d] * row[d];
        box[d] = row[d] * p->step[d];
    }
    const int64_t *strides[2] = {box, upd->strides};
    const int64_t scale[2] = {es, es};
    cuda_layout lay;
    if (!walk(upd->shape, upd->ndim, strides, scale, 2, &lay) || !fits(out->inputs[0]))
        return fallback(out);
    void *ptr[2];
    mx_status st = input_ptrs(out, ptr);
    if (st == MX_OK)
        st = init_from_input(out, ptr[0]);
    if (st != MX_OK || upd->size == 0)
        return st == MX_OK ? launched(out, 0) : st;
    char *dst = (char *)out->buffer->device_ptr + offset * es;
    int rc = p->reduce == MX_REDUCE_NONE
                 ? cuda_launch_copy_bytes((int)es, dst, ptr[1], upd->size, &lay, STREAM)
                 : cuda_launch_combine(out->dtype, p->reduce, dst, ptr[1], upd->size, &lay, STREAM);
    return launched(out, rc);
}

/* The CPU's dynamic_offset: start[j] on axes[j], each block must fit. */
static mx_status dynamic_offset(const char *op, const mx_dynamic_slice_params *p, const mx_node *start,
                                const int64_t *dims, const int64_t *strides, const int64_t *extent, int64_t *offset) {
    const char *base = mx_node_data(start); /* a few values: read on the host */
    if (!base)
        return mx_last_status();
    size_t isz = mx_dtype_size(start->dtype);
    *offset = 0;
    for (int j = 0; j < p->naxes; j++) {
        int ax = p->axes[j];
        int64_t v = load_index(base + (start->ndim ? j * start->strides[0] : 0) * (int64_t)isz, start->dtype);
        if (v < 0 || v > dims[ax] - extent[ax])
            return mx_set_error(MX_ERROR_INDEX,
                                "%s: start index %" PRId64 " with a block of %" PRId64
                                " leaves axis %d of size %" PRId64,
                                op, v, extent[ax], ax, dims[ax]);
        *offset += v * strides[ax];
    }
    return MX_OK;
}

/* out (slice size) = the block of a at start */
static mx_status dynamic_slice_kernel(mx_node *out) {
    const mx_dynamic_slice_params *p = mx_node_params(out);
    mx_node *a = out->inputs[0], *start = out->inputs[1];
    if (out->size == 0)
        return cuda_alloc_output(out);
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    const int64_t *strides[2] = {row, a->strides};
    const int64_t one[2] = {1, 1};
    cuda_layout lay;
    if (!walk(out->shape, out->ndim, strides, one, 2, &lay))
        return fallback(out);
    int64_t offset;
    mx_status st = dynamic_offset("slice", p, start, a->shape, a->strides, out->shape, &offset);
    if (st != MX_OK)
        return st;
    void *src;
    if ((st = cuda_node_ptr(a, "slice", &src)) != MX_OK || (st = cuda_alloc_output(out)) != MX_OK)
        return st;
    int64_t es = (int64_t)mx_dtype_size(a->dtype);
    st = copy_into("slice", out->buffer->device_ptr, out->dtype, (char *)src + offset * es, a->dtype, out->shape,
                   out->ndim, row, a->strides);
    return st == MX_OK ? launched(out, 0) : st;
}

/* out (a's shape) = a with the block at start replaced by update */
static mx_status dynamic_slice_update_kernel(mx_node *out) {
    const mx_dynamic_slice_params *p = mx_node_params(out);
    mx_node *upd = out->inputs[1], *start = out->inputs[2];
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    if (!fits(upd) || !fits(out->inputs[0]))
        return fallback(out);
    int64_t offset = 0;
    mx_status st = MX_OK;
    if (upd->size)
        st = dynamic_offset("slice_update", p, start, out->shape, row, upd->shape, &offset);
    if (st != MX_OK)
        return st;
    void *ptr[2];
    st = cuda_node_ptr(out->inputs[0], "slice_update", &ptr[0]);
    if (st == MX_OK)
        st = cuda_node_ptr(upd, "slice_update", &ptr[1]);
    if (st == MX_OK)
        st = init_from_input(out, ptr[0]);
    if (st != MX_OK || upd->size == 0)
        return st == MX_OK ? launched(out, 0) : st;
    int64_t es = (int64_t)mx_dtype_size(out->dtype);
    st = copy_into("slice_update", (char *)out->buffer->device_ptr + offset * es, out->dtype, ptr[1], upd->dtype,
                   upd->shape, upd->ndim, row, upd->strides);
    return st == MX_OK ? launched(out, 0) : st;
}

/* out: the inputs side by side along the axis (each converted to out's dtype) */
static mx_status concatenate_kernel(mx_node *out) {
    int axis = ((const mx_axis_params *)mx_node_params(out))->axis;
    for (int i = 0; i < out->n_inputs; i++)
        if (!fits(out->inputs[i]))
            return fallback(out);
    void *ptr[64];
    void **ptrs = out->n_inputs <= 64 ? ptr : malloc(sizeof(void *) * (size_t)out->n_inputs);
    if (!ptrs)
        return mx_set_error(MX_ERROR_MEMORY, "concatenate: out of memory");
    mx_status st = input_ptrs(out, ptrs);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    int64_t row[MX_MAX_NDIM], position = 0, es = (int64_t)mx_dtype_size(out->dtype);
    mx_row_strides(out->shape, out->ndim, row);
    for (int i = 0; st == MX_OK && i < out->n_inputs; i++) {
        mx_node *in = out->inputs[i];
        if (in->size)
            st = copy_into("concatenate", (char *)out->buffer->device_ptr + position * row[axis] * es, out->dtype,
                           ptrs[i], in->dtype, in->shape, in->ndim, row, in->strides);
        position += in->shape[axis];
    }
    if (ptrs != ptr)
        free(ptrs);
    return st == MX_OK ? launched(out, 0) : st;
}

/* ---- creation ----------------------------------------------------------------------------------------------- */

/* shape: out any; one value everywhere */
static mx_status full_kernel(mx_node *out) {
    const mx_full_params *p = mx_node_params(out);
    mx_status st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    unsigned char pattern[16] = {0};
    if (mx_dtype_is_float(out->dtype))
        mx_scalar_store_f64(pattern, out->dtype, p->value);
    else
        mx_scalar_store_i64(pattern, out->dtype, p->int_value);
    return launched(
        out, cuda_launch_fill(out->buffer->device_ptr, out->size, (int)mx_dtype_size(out->dtype), pattern, STREAM));
}

/* shape: (n,); integers only (float aranges accumulate sequentially: CPU) */
static mx_status arange_kernel(mx_node *out) {
    if (mx_dtype_is_float(out->dtype) || out->dtype == MX_BOOL)
        return fallback(out);
    const mx_arange_params *p = mx_node_params(out);
    mx_status st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    return launched(out, cuda_launch_arange(out->dtype, out->buffer->device_ptr, out->size, p->start, p->step, STREAM));
}

static mx_status linspace_kernel(mx_node *out) {
    const mx_linspace_params *p = mx_node_params(out);
    mx_status st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    return launched(out,
                    cuda_launch_linspace(out->dtype, out->buffer->device_ptr, out->size, p->start, p->stop, STREAM));
}

/* shape: (n, m) */
static mx_status eye_kernel(mx_node *out) {
    const mx_eye_params *p = mx_node_params(out);
    mx_status st = cuda_alloc_output(out);
    if (st != MX_OK)
        return st;
    return launched(out,
                    cuda_launch_eye(out->dtype, out->buffer->device_ptr, out->shape[0], out->shape[1], p->k, STREAM));
}

/* ---- scans --------------------------------------------------------------------------------------------------- */

enum { K_SUM, K_PROD, K_MAX, K_MIN, K_LAE };

/* The identity an exclusive scan starts from, as bits of dtype (the CPU's
 * scan_init; half types hold it exactly). */
static void scan_identity(int kind, mx_dtype dt, unsigned char *out) {
    memset(out, 0, 16);
    bool lo = kind == K_MAX || kind == K_LAE;
    if (mx_dtype_is_float(dt)) {
        double v = kind == K_SUM ? 0.0 : kind == K_PROD ? 1.0 : lo ? -INFINITY : INFINITY;
        mx_scalar_store_f64(out, dt, v);
        return;
    }
    if (dt == MX_BOOL) {
        out[0] = kind == K_PROD || kind == K_MIN;
        return;
    }
    int64_t lowest = 0, highest = 0;
    uint64_t uhighest = 0;
    switch (dt) {
    case MX_UINT8: uhighest = UINT8_MAX; break;
    case MX_UINT16: uhighest = UINT16_MAX; break;
    case MX_UINT32: uhighest = UINT32_MAX; break;
    case MX_UINT64: uhighest = UINT64_MAX; break;
    case MX_INT8: lowest = INT8_MIN, highest = INT8_MAX; break;
    case MX_INT16: lowest = INT16_MIN, highest = INT16_MAX; break;
    case MX_INT32: lowest = INT32_MIN, highest = INT32_MAX; break;
    default: lowest = INT64_MIN, highest = INT64_MAX; break;
    }
    bool is_unsigned = !mx_dtype_is_signed(dt);
    if (kind == K_SUM || kind == K_PROD) {
        mx_scalar_store_i64(out, dt, kind == K_PROD);
    } else if (is_unsigned) {
        uint64_t v = lo ? 0 : uhighest;
        memcpy(out, &v, mx_dtype_size(dt)); /* little-endian: the low bytes */
    } else {
        mx_scalar_store_i64(out, dt, lo ? lowest : highest);
    }
}

static mx_status scan_kernel(mx_node *out) {
    const mx_scan_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int id = out->op->id;
    int kind = id == MX_OP_cumsum    ? K_SUM
               : id == MX_OP_cumprod ? K_PROD
               : id == MX_OP_cummax  ? K_MAX
               : id == MX_OP_cummin  ? K_MIN
                                     : K_LAE;
    bool is_float = mx_dtype_is_float(out->dtype);
    if (in->dtype != out->dtype || (kind == K_LAE && !is_float) || (out->dtype == MX_BOOL && kind == K_SUM) ||
        !fits(in))
        return fallback(out);
    void *src;
    mx_status st = cuda_node_ptr(in, out->op->name, &src);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    if (!mx_node_is_row_contiguous(in)) { /* gather the view into out, scan it in place */
        st = copy_into(out->op->name, out->buffer->device_ptr, out->dtype, src, in->dtype, in->shape, in->ndim,
                       out->strides, in->strides);
        if (st != MX_OK)
            return st;
        src = out->buffer->device_ptr;
    }
    int64_t n = out->shape[p->axis], inner = 1;
    for (int d = p->axis + 1; d < out->ndim; d++)
        inner *= out->shape[d];
    unsigned char init[16];
    scan_identity(kind, out->dtype, init);
    return launched(out, cuda_launch_scan(kind, out->dtype, out->buffer->device_ptr, src, out->size / (n * inner), n,
                                          inner, p->reverse, p->inclusive, init, STREAM));
}

/* ---- sort ------------------------------------------------------------------------------------------------ */

/* sort / argsort along the axis (partitions keep the CPU's introselect order: CPU) */
static mx_status sort_kernel(mx_node *out) {
    const mx_sort_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int64_t n = in->ndim ? in->shape[p->axis] : 1, inner = 1;
    for (int d = p->axis + 1; d < in->ndim; d++)
        inner *= in->shape[d];
    if (n > (int64_t)UINT32_MAX || in->size > INT32_MAX || !fits(in))
        return fallback(out);
    void *src;
    mx_status st = cuda_node_ptr(in, out->op->name, &src);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    size_t copy_cap = 0, scratch_cap = 0;
    void *copy = NULL, *tmp = NULL;
    if (!mx_node_is_row_contiguous(in)) {
        copy = scratch((size_t)in->size * mx_dtype_size(in->dtype), out->op->name, &copy_cap);
        if (!copy)
            return mx_last_status();
        int64_t row[MX_MAX_NDIM];
        mx_row_strides(in->shape, in->ndim, row);
        st = copy_into(out->op->name, copy, in->dtype, src, in->dtype, in->shape, in->ndim, row, in->strides);
        src = copy;
    }
    int64_t outer = in->size / (n * inner);
    size_t bytes = cuda_sort_scratch_bytes(in->dtype, outer * inner, n);
    if (st == MX_OK && bytes) {
        tmp = scratch(bytes, out->op->name, &scratch_cap);
        if (!tmp)
            st = mx_last_status();
    }
    int rc = 0;
    if (st == MX_OK)
        rc = cuda_launch_sort(in->dtype, out->op->id == MX_OP_argsort, out->buffer->device_ptr, src, outer, n, inner,
                              tmp, bytes, STREAM);
    cuda_scratch_free(tmp, scratch_cap);
    cuda_scratch_free(copy, copy_cap);
    if (st != MX_OK)
        return st;
    return launched(out, rc);
}

/* ---- random ---------------------------------------------------------------------------------------------- */

/* shape: key (2,) -> out, uint8/16/32: the key's word stream as bytes */
static mx_status random_bits_kernel(mx_node *out) {
    mx_node *key = out->inputs[0];
    void *k;
    mx_status st = cuda_node_ptr(key, "random_bits", &k);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    return launched(out,
                    cuda_launch_random_bits(out->buffer->device_ptr, out->size * (int64_t)mx_dtype_size(out->dtype), k,
                                            key->strides[0], STREAM));
}

/* shape: key (2,), low and high broadcast to out (float32/16, bfloat16) */
static mx_status random_uniform_kernel(mx_node *out) {
    mx_node *key = out->inputs[0], *lo = out->inputs[1], *hi = out->inputs[2];
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(out->shape, out->ndim, row);
    const int64_t *strides[3] = {row, lo->strides, hi->strides};
    const int64_t one[3] = {1, 1, 1};
    cuda_layout lay;
    bool typed = out->dtype == MX_FLOAT32 || out->dtype == MX_FLOAT16 || out->dtype == MX_BFLOAT16;
    if (!typed || lo->dtype != out->dtype || hi->dtype != out->dtype ||
        !walk(out->shape, out->ndim, strides, one, 3, &lay))
        return fallback(out);
    void *ptr[3];
    mx_status st = input_ptrs(out, ptr);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    return launched(out, cuda_launch_random_uniform(out->dtype, out->buffer->device_ptr, out->size, ptr[0],
                                                    key->strides[0], ptr[1], ptr[2], &lay, STREAM));
}

static float round_as(mx_dtype dt, float x) {
    return dt == MX_FLOAT16    ? mx_f16_to_f32(mx_f32_to_f16(x))
           : dt == MX_BFLOAT16 ? mx_bf16_to_f32(mx_f32_to_bf16(x))
                               : x;
}

/* shape: key (2,) -> out (float16/32/64, bfloat16): loc + scale * sqrt(2) * erfinv(u) */
static mx_status random_normal_kernel(mx_node *out) {
    const mx_random_normal_params *p = mx_node_params(out);
    mx_node *key = out->inputs[0];
    mx_dtype dt = out->dtype;
    if (dt != MX_FLOAT32 && dt != MX_FLOAT16 && dt != MX_BFLOAT16 && dt != MX_FLOAT64)
        return fallback(out);
    void *k;
    mx_status st = cuda_node_ptr(key, "random_normal", &k);
    if (st == MX_OK)
        st = cuda_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    /* the CPU's constants: products in the dtype, loc through float32 */
    float applied = round_as(dt, round_as(dt, (float)sqrt(2.0)) * round_as(dt, (float)p->scale));
    float loc = round_as(dt, (float)p->loc);
    return launched(out, cuda_launch_random_normal(dt, out->buffer->device_ptr, out->size, k, key->strides[0], applied,
                                                   loc, sqrt(2.0) * p->scale, p->loc, p->loc != 0.0, STREAM));
}

void cuda_register_indexing(mx_backend *b) {
    b->kernels[MX_OP_take] = take_kernel;
    b->kernels[MX_OP_take_along_axis] = take_along_axis_kernel;
    b->kernels[MX_OP_gather] = gather_kernel;
    b->kernels[MX_OP_scatter] = scatter_kernel;
    b->kernels[MX_OP_scatter_axis] = scatter_axis_kernel;
    b->kernels[MX_OP_slice_update] = slice_update_kernel;
    b->kernels[MX_OP_dynamic_slice] = dynamic_slice_kernel;
    b->kernels[MX_OP_dynamic_slice_update] = dynamic_slice_update_kernel;
    b->kernels[MX_OP_concatenate] = concatenate_kernel;
    b->kernels[MX_OP_full] = full_kernel;
    b->kernels[MX_OP_arange] = arange_kernel;
    b->kernels[MX_OP_linspace] = linspace_kernel;
    b->kernels[MX_OP_eye] = eye_kernel;
    b->kernels[MX_OP_cumsum] = scan_kernel;
    b->kernels[MX_OP_cumprod] = scan_kernel;
    b->kernels[MX_OP_cummax] = scan_kernel;
    b->kernels[MX_OP_cummin] = scan_kernel;
    b->kernels[MX_OP_logcumsumexp] = scan_kernel;
    b->kernels[MX_OP_sort] = sort_kernel;
    b->kernels[MX_OP_argsort] = sort_kernel;
    b->kernels[MX_OP_random_bits] = random_bits_kernel;
    b->kernels[MX_OP_random_uniform] = random_uniform_kernel;
    b->kernels[MX_OP_random_normal] = random_normal_kernel;
}
