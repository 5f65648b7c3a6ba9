/* backend/cpu/indexing.c - the gather kernels of take and take_along_axis.
 *
 * Both are one strided walk over the output: the array operand steps through
 * every dim except the gathered axis, whose offset comes from the index read
 * at the same position (index * axis stride). Every index is checked:
 * an out-of-range one is never dereferenced (index 0 is read instead) and
 * fails the evaluation with MX_ERROR_INDEX. take also has a row path that
 * copies whole contiguous slabs (embedding lookups: take(weights, ids, 0)). */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "backend/cpu/cpu.h"

/* Rows of at least this many elements are copied with memcpy. */
#define TAKE_ROW_MIN 16

/* raw index -> v in [0, size), ok = whether it was in range. Signed
 * indices count from the end when negative (MLX wraps them once). */
#define NORMALIZE_SIGNED(raw, size, v, ok)                                                                             \
    v = (int64_t)(raw);                                                                                                \
    v += v < 0 ? (size) : 0;                                                                                           \
    ok = (uint64_t)v < (uint64_t)(size);
#define NORMALIZE_UNSIGNED(raw, size, v, ok)                                                                           \
    ok = (uint64_t)(raw) < (uint64_t)(size);                                                                           \
    v = (int64_t)(raw);

/* X(dtype enum, C type, normaliser) for every index dtype. */
#define INDEX_TYPES(X)                                                                                                 \
    X(MX_UINT8, uint8_t, NORMALIZE_UNSIGNED)                                                                           \
    X(MX_UINT16, uint16_t, NORMALIZE_UNSIGNED)                                                                         \
    X(MX_UINT32, uint32_t, NORMALIZE_UNSIGNED)                                                                         \
    X(MX_UINT64, uint64_t, NORMALIZE_UNSIGNED)                                                                         \
    X(MX_INT8, int8_t, NORMALIZE_SIGNED)                                                                               \
    X(MX_INT16, int16_t, NORMALIZE_SIGNED)                                                                             \
    X(MX_INT32, int32_t, NORMALIZE_SIGNED)                                                                             \
    X(MX_INT64, int64_t, NORMALIZE_SIGNED)

typedef struct gather_ctx {
    mx_dtype index_dtype;
    size_t elem_size;
    int64_t axis_size;
    int64_t axis_stride; /* bytes */
    atomic_bool bad;
} gather_ctx;

/* Operands: 0 = out, 1 = the array (axis offset excluded), 2 = indices.
 * Elements are moved as unsigned integers of their size. */
#define GATHER_LOOP(IT, NORM, ET)                                                                                      \
    for (int64_t i = 0; i < n; i++) {                                                                                  \
        int64_t v;                                                                                                     \
        bool ok;                                                                                                       \
        NORM(*(const IT *)(pi + i * si), size, v, ok)                                                                  \
        bad |= !ok;                                                                                                    \
        v = ok ? v : 0;                                                                                                \
        *(ET *)(po + i * so) = *(const ET *)(pa + i * sa + v * axis_stride);                                           \
    }
#define GATHER_CASE(DT, IT, NORM)                                                                                      \
    case DT:                                                                                                           \
        switch (c->elem_size) {                                                                                        \
        case 1: GATHER_LOOP(IT, NORM, uint8_t) break;                                                                  \
        case 2: GATHER_LOOP(IT, NORM, uint16_t) break;                                                                 \
        case 4: GATHER_LOOP(IT, NORM, uint32_t) break;                                                                 \
        default: GATHER_LOOP(IT, NORM, uint64_t) break;                                                                \
        }                                                                                                              \
        break;

static void gather_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    gather_ctx *c = vctx;
    char *po = ptrs[0];
    const char *pa = ptrs[1], *pi = ptrs[2];
    const int64_t so = strides[0], sa = strides[1], si = strides[2];
    const int64_t size = c->axis_size, axis_stride = c->axis_stride;
    bool bad = false;
    switch (c->index_dtype) {
        INDEX_TYPES(GATHER_CASE)
    default: break;
    }
    if (bad)
        atomic_store_explicit(&c->bad, true, memory_order_relaxed);
}

/* Operands: 0 = int64 out (normalised; 0 where out of range), 1 = indices. */
#define NORMALIZE_CASE(DT, IT, NORM)                                                                                   \
    case DT:                                                                                                           \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            int64_t v;                                                                                                 \
            bool ok;                                                                                                   \
            NORM(*(const IT *)(pi + i * si), size, v, ok)                                                              \
            bad |= !ok;                                                                                                \
            *(int64_t *)(po + i * so) = ok ? v : 0;                                                                    \
        }                                                                                                              \
        break;

static void normalize_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    gather_ctx *c = vctx;
    char *po = ptrs[0];
    const char *pi = ptrs[1];
    const int64_t so = strides[0], si = strides[1], size = c->axis_size;
    bool bad = false;
    switch (c->index_dtype) {
        INDEX_TYPES(NORMALIZE_CASE)
    default: break;
    }
    if (bad)
        atomic_store_explicit(&c->bad, true, memory_order_relaxed);
}

/* The error of an out-of-range index: finds the first one in row-major
 * order of `indices` (only on this failure path). */
static mx_status index_error(const char *op, const mx_node *indices, int axis, int64_t axis_size) {
    bool is_signed = mx_dtype_is_signed(indices->dtype);
    size_t isz = mx_dtype_size(indices->dtype);
    const char *base = mx_node_data(indices);
    for (int64_t i = 0; i < indices->size; i++) {
        int64_t rem = i, off = 0;
        for (int d = indices->ndim - 1; d >= 0; d--) {
            off += rem % indices->shape[d] * indices->strides[d];
            rem /= indices->shape[d];
        }
        const char *p = base + off * (int64_t)isz;
        int64_t sv = 0;
        uint64_t uv = 0;
        switch (indices->dtype) {
        case MX_UINT8: uv = *(const uint8_t *)p; break;
        case MX_UINT16: uv = *(const uint16_t *)p; break;
        case MX_UINT32: uv = *(const uint32_t *)p; break;
        case MX_UINT64: uv = *(const uint64_t *)p; break;
        case MX_INT8: sv = *(const int8_t *)p; break;
        case MX_INT16: sv = *(const int16_t *)p; break;
        case MX_INT32: sv = *(const int32_t *)p; break;
        default: sv = *(const int64_t *)p; break;
        }
        if (is_signed ? (sv < -axis_size || sv >= axis_size) : uv >= (uint64_t)axis_size) {
            char value[32];
            if (is_signed)
                snprintf(value, sizeof value, "%" PRId64, sv);
            else
                snprintf(value, sizeof value, "%" PRIu64, uv);
            return mx_set_error(MX_ERROR_INDEX, "%s: index %s is out of bounds for axis %d with size %" PRId64, op,
                                value, axis, axis_size);
        }
    }
    return mx_set_error(MX_ERROR_INTERNAL, "%s: an index was out of bounds but could not be found again", op);
}

/* ---- take ------------------------------------------------------------------------- */

typedef struct take_rows_ctx {
    char *out;
    const char *a;
    const int64_t *index;                 /* normalised, nidx entries */
    int64_t nidx, row_bytes, axis_stride; /* bytes */
    int outer_ndim;
    const int64_t *outer_shape, *outer_strides; /* a's dims before the axis; strides in bytes */
} take_rows_ctx;

static int64_t outer_offset(const take_rows_ctx *c, int64_t o) {
    int64_t off = 0;
    for (int d = c->outer_ndim - 1; d >= 0; d--) {
        off += o % c->outer_shape[d] * c->outer_strides[d];
        o /= c->outer_shape[d];
    }
    return off;
}

/* Output rows [begin, end): row r is a's slab (outer r / nidx, index r % nidx). */
static void take_rows_range(int64_t begin, int64_t end, void *vctx) {
    const take_rows_ctx *c = vctx;
    int64_t o = begin / c->nidx, j = begin % c->nidx;
    const char *slab = c->a + outer_offset(c, o);
    for (int64_t r = begin; r < end; r++) {
        memcpy(c->out + r * c->row_bytes, slab + c->index[j] * c->axis_stride, (size_t)c->row_bytes);
        if (++j == c->nidx && r + 1 < end) {
            j = 0;
            slab = c->a + outer_offset(c, ++o);
        }
    }
}

/* The row path: a's dims after the axis are row-contiguous, so each
 * (outer, index) pair copies one contiguous row. Indices are normalised
 * (and checked) once into a scratch buffer first. */
static mx_status take_rows(mx_node *out, const mx_node *a, const mx_node *indices, int axis, int64_t inner) {
    size_t es = mx_dtype_size(a->dtype);
    mx_buffer *scratch = mx_buffer_alloc((size_t)indices->size * sizeof(int64_t), "take");
    if (!scratch)
        return mx_last_status();
    gather_ctx gc = {.index_dtype = indices->dtype, .axis_size = a->shape[axis]};
    atomic_init(&gc.bad, false);
    int64_t row_strides[MX_MAX_NDIM];
    mx_row_strides(indices->shape, indices->ndim, row_strides);
    cpu_operand ops[2] = {{scratch->ptr, row_strides, sizeof(int64_t)}, cpu_operand_of(indices)};
    cpu_foreach(ops, 2, indices->shape, indices->ndim, CPU_ELEMENTWISE_GRAIN, normalize_run, &gc);
    if (atomic_load(&gc.bad)) {
        mx_buffer_release(scratch);
        return index_error("take", indices, axis, a->shape[axis]);
    }
    int64_t outer_strides[MX_MAX_NDIM];
    for (int d = 0; d < axis; d++)
        outer_strides[d] = a->strides[d] * (int64_t)es;
    take_rows_ctx c = {
        .out = mx_node_data(out),
        .a = mx_node_data(a),
        .index = scratch->ptr,
        .nidx = indices->size,
        .row_bytes = inner * (int64_t)es,
        .axis_stride = a->strides[axis] * (int64_t)es,
        .outer_ndim = axis,
        .outer_shape = a->shape,
        .outer_strides = outer_strides,
    };
    int64_t rows = out->size / inner;
    cpu_parallel_for(rows, CPU_ELEMENTWISE_GRAIN / inner + 1, take_rows_range, &c);
    mx_buffer_release(scratch);
    return MX_OK;
}

/* Whether a's dims after `axis` are row-contiguous (size-1 dims ignored). */
static bool inner_contiguous(const mx_node *a, int axis) {
    int64_t expected = 1;
    for (int d = a->ndim - 1; d > axis; d--) {
        if (a->shape[d] == 1)
            continue;
        if (a->strides[d] != expected)
            return false;
        expected *= a->shape[d];
    }
    return true;
}

/* out (a.shape[:axis] + indices.shape + a.shape[axis+1:]) = a gathered at
 * `indices` along params->axis. */
static mx_status take_kernel(mx_node *out) {
    const mx_node *a = out->inputs[0], *indices = out->inputs[1];
    int axis = ((const mx_axis_params *)mx_node_params(out))->axis;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    if (a->shape[axis] == 0) /* (ops reject this eagerly; never read) */
        return index_error("take", indices, axis, 0);
    int64_t inner = 1;
    for (int d = axis + 1; d < a->ndim; d++)
        inner *= a->shape[d];
    if (inner >= TAKE_ROW_MIN && inner_contiguous(a, axis))
        return take_rows(out, a, indices, axis, inner);
    /* the strided walk: a's strides with the index dims inserted at stride
     * 0; the indices' strides with stride 0 over a's dims */
    int ni = indices->ndim, tail = a->ndim - axis - 1;
    int64_t a_strides[MX_MAX_NDIM], i_strides[MX_MAX_NDIM];
    for (int d = 0; d < axis; d++) {
        a_strides[d] = a->strides[d];
        i_strides[d] = 0;
    }
    for (int d = 0; d < ni; d++) {
        a_strides[axis + d] = 0;
        i_strides[axis + d] = indices->strides[d];
    }
    for (int d = 0; d < tail; d++) {
        a_strides[axis + ni + d] = a->strides[axis + 1 + d];
        i_strides[axis + ni + d] = 0;
    }
    gather_ctx c = {.index_dtype = indices->dtype,
                    .elem_size = mx_dtype_size(a->dtype),
                    .axis_size = a->shape[axis],
                    .axis_stride = a->strides[axis] * (int64_t)mx_dtype_size(a->dtype)};
    atomic_init(&c.bad, false);
    cpu_operand ops[3] = {cpu_operand_of(out),
                          {(char *)mx_node_data(a), a_strides, mx_dtype_size(a->dtype)},
                          {(char *)mx_node_data(indices), i_strides, mx_dtype_size(indices->dtype)}};
    cpu_foreach(ops, 3, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, gather_run, &c);
    if (atomic_load(&c.bad))
        return index_error("take", indices, axis, a->shape[axis]);
    return MX_OK;
}

/* ---- take_along_axis ---------------------------------------------------------------- */

/* out (indices' shape) = a gathered along params->axis; a and indices are
 * broadcast to each other in every other dim. */
static mx_status take_along_axis_kernel(mx_node *out) {
    const mx_node *a = out->inputs[0], *indices = out->inputs[1];
    int axis = ((const mx_axis_params *)mx_node_params(out))->axis;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    if (a->shape[axis] == 0) /* nothing can be read: every index is out of range */
        return index_error("take_along_axis", indices, axis, 0);
    int64_t a_strides[MX_MAX_NDIM];
    memcpy(a_strides, a->strides, sizeof(int64_t) * (size_t)a->ndim);
    a_strides[axis] = 0; /* the axis offset comes from the index */
    gather_ctx c = {.index_dtype = indices->dtype,
                    .elem_size = mx_dtype_size(a->dtype),
                    .axis_size = a->shape[axis],
                    .axis_stride = a->strides[axis] * (int64_t)mx_dtype_size(a->dtype)};
    atomic_init(&c.bad, false);
    cpu_operand ops[3] = {
        cpu_operand_of(out), {(char *)mx_node_data(a), a_strides, mx_dtype_size(a->dtype)}, cpu_operand_of(indices)};
    cpu_foreach(ops, 3, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, gather_run, &c);
    if (atomic_load(&c.bad))
        return index_error("take_along_axis", indices, axis, a->shape[axis]);
    return MX_OK;
}

void cpu_register_indexing(mx_backend *b) {
    b->kernels[MX_OP_take] = take_kernel;
    b->kernels[MX_OP_take_along_axis] = take_along_axis_kernel;
}
