/* backend/cpu/scatter.c - CPU kernels of the indexing family of
 * src/ops/scatter.c: gather, scatter (+ reductions), slice_update, the
 * dynamic slice and slice_update, scatter_axis, masked_scatter and
 * masked_select.
 *
 * Every index is checked: an index outside its axis is never dereferenced
 * and fails the evaluation with MX_ERROR_INDEX (MLX does not check).
 *
 * Updates are applied in row-major order of the index positions, one
 * destination at a time, which is MLX's sequential CPU order: repeated
 * positions keep the last value (set) or accumulate every update (add, prod,
 * max, min), rounding in the array's dtype after each one. Threads never
 * share a destination: they split the slab each index position updates (its
 * elements differ in non-indexed coordinates, so no two threads meet), or,
 * for small slabs, each thread owns a range of the output and applies the
 * updates that land there. */
#include <complex.h>
#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/scatter.h"

/* ---- reading indices ---------------------------------------------------------------------------- */

/* An index of any integer dtype as int64 (uint64 beyond INT64_MAX saturates:
 * it is out of range of every axis anyway). */
static inline int64_t load_index(const char *p, mx_dtype dt) {
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

/* Wrap a negative index once; true when [v, v + extent) lies in [0, dim). */
static inline bool normalize_index(int64_t *v, int64_t dim, int64_t extent) {
    if (*v < 0)
        *v += dim;
    return *v >= 0 && *v <= dim - extent;
}

static mx_status index_error(const char *op, int64_t value, int axis, int64_t dim) {
    return mx_set_error(MX_ERROR_INDEX, "%s: index %" PRId64 " is out of bounds for axis %d with size %" PRId64, op,
                        value, axis, dim);
}

/* The first index of `idx` (row-major over its shape) outside [0, dim - extent]
 * after wrapping, reported as the error. Only on the failure path. */
static mx_status first_bad_index(const char *op, const mx_node *idx, int axis, int64_t dim, int64_t extent) {
    size_t isz = mx_dtype_size(idx->dtype);
    const char *base = mx_node_data(idx);
    for (int64_t i = 0; i < idx->size; i++) {
        int64_t rem = i, off = 0;
        for (int d = idx->ndim - 1; d >= 0; d--) {
            off += rem % idx->shape[d] * idx->strides[d];
            rem /= idx->shape[d];
        }
        int64_t raw = load_index(base + off * (int64_t)isz, idx->dtype), v = raw;
        if (!normalize_index(&v, dim, extent))
            return index_error(op, raw, axis, dim);
    }
    return mx_set_error(MX_ERROR_INTERNAL, "%s: an index was out of bounds but could not be found again", op);
}

/* ---- combining an update with the destination --------------------------------------------------- */

/* dst[i * ds] = combine(dst[i * ds], src[i * ss]) for i < n; strides in bytes. */
typedef void (*combine_fn)(char *dst, const char *src, int64_t n, int64_t ds, int64_t ss);

#define COMBINE_LOOP(NAME, T, EXPR)                                                                                    \
    static void NAME(char *d, const char *s, int64_t n, int64_t ds, int64_t ss) {                                      \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            T *dp = (T *)(d + i * ds);                                                                                 \
            T a = *dp, b = *(const T *)(s + i * ss);                                                                   \
            (void)a;                                                                                                   \
            *dp = (EXPR);                                                                                              \
        }                                                                                                              \
    }

/* overwrite, by element size */
COMBINE_LOOP(set_1, uint8_t, b)
COMBINE_LOOP(set_2, uint16_t, b)
COMBINE_LOOP(set_4, uint32_t, b)
COMBINE_LOOP(set_8, uint64_t, b)
static void set_16(char *d, const char *s, int64_t n, int64_t ds, int64_t ss) {
    for (int64_t i = 0; i < n; i++)
        memcpy(d + i * ds, s + i * ss, 16);
}

/* integers: wrap-around add and multiply through uint64 (no signed overflow);
 * max/min select as MLX's CPU scatter (dst > u ? dst : u) */
#define INT_COMBINES(SUF, T)                                                                                           \
    COMBINE_LOOP(sum_##SUF, T, (T)((uint64_t)a + (uint64_t)b))                                                         \
    COMBINE_LOOP(prod_##SUF, T, (T)((uint64_t)a * (uint64_t)b))                                                        \
    COMBINE_LOOP(max_##SUF, T, a > b ? a : b)                                                                          \
    COMBINE_LOOP(min_##SUF, T, a < b ? a : b)
INT_COMBINES(u8, uint8_t)
INT_COMBINES(u16, uint16_t)
INT_COMBINES(u32, uint32_t)
INT_COMBINES(u64, uint64_t)
INT_COMBINES(i8, int8_t)
INT_COMBINES(i16, int16_t)
INT_COMBINES(i32, int32_t)
INT_COMBINES(i64, int64_t)

/* bool: add is or, multiply is and */
COMBINE_LOOP(sum_b, uint8_t, (uint8_t)(a | b))
COMBINE_LOOP(prod_b, uint8_t, (uint8_t)(a &b))

/* floats: `sel` (scatter: dst > u ? dst : u) and `nan` (slice_update, as
 * MLX's maximum/minimum: a NaN destination stays, a NaN update wins) */
#define FLOAT_COMBINES(SUF, T, LOAD, STORE)                                                                            \
    COMBINE_LOOP(sum_##SUF, T, STORE(LOAD(a) + LOAD(b)))                                                               \
    COMBINE_LOOP(prod_##SUF, T, STORE(LOAD(a) * LOAD(b)))                                                              \
    COMBINE_LOOP(maxsel_##SUF, T, LOAD(a) > LOAD(b) ? a : b)                                                           \
    COMBINE_LOOP(minsel_##SUF, T, LOAD(a) < LOAD(b) ? a : b)                                                           \
    COMBINE_LOOP(maxnan_##SUF, T, isnan(LOAD(a)) || LOAD(a) > LOAD(b) ? a : b)                                         \
    COMBINE_LOOP(minnan_##SUF, T, isnan(LOAD(a)) || LOAD(a) < LOAD(b) ? a : b)
#define IDENT(x) (x)
FLOAT_COMBINES(f32, float, IDENT, IDENT)
FLOAT_COMBINES(f64, double, IDENT, IDENT)
FLOAT_COMBINES(f16, uint16_t, mx_f16_to_f32, mx_f32_to_f16)
FLOAT_COMBINES(bf16, uint16_t, mx_bf16_to_f32, mx_f32_to_bf16)

/* complex64: products in float; order is lexicographic (real, then imag) */
typedef struct {
    float re, im;
} c64;
static inline bool c64_gt(c64 a, c64 b) { return a.re > b.re || (a.re == b.re && a.im > b.im); }
static inline bool c64_lt(c64 a, c64 b) { return a.re < b.re || (a.re == b.re && a.im < b.im); }
static inline bool c64_nan(c64 a) { return isnan(a.re) || isnan(a.im); }
COMBINE_LOOP(sum_c64, c64, ((c64){a.re + b.re, a.im + b.im}))
/* C's complex product (Annex G: infinities survive, as std::complex in MLX) */
static inline c64 c64_mul(c64 a, c64 b) {
    float _Complex x, y, z; /* same layout as c64 (C11 6.2.5) */
    memcpy(&x, &a, sizeof x);
    memcpy(&y, &b, sizeof y);
    z = x * y;
    memcpy(&a, &z, sizeof a);
    return a;
}
COMBINE_LOOP(prod_c64, c64, c64_mul(a, b))
COMBINE_LOOP(maxsel_c64, c64, c64_gt(a, b) ? a : b)
COMBINE_LOOP(minsel_c64, c64, c64_lt(a, b) ? a : b)
COMBINE_LOOP(maxnan_c64, c64, c64_nan(a) || c64_gt(a, b) ? a : b)
COMBINE_LOOP(minnan_c64, c64, c64_nan(a) || c64_lt(a, b) ? a : b)

/* The combiner of (dtype, reduce); nan_minmax picks slice_update's max/min. */
static combine_fn combiner(mx_dtype dt, int reduce, bool nan_minmax) {
    if (reduce == MX_REDUCE_NONE) {
        switch (mx_dtype_size(dt)) {
        case 1: return set_1;
        case 2: return set_2;
        case 4: return set_4;
        case 8: return set_8;
        default: return set_16;
        }
    }
#define PICK4(SUF)                                                                                                     \
    return reduce == MX_REDUCE_SUM    ? sum_##SUF                                                                      \
           : reduce == MX_REDUCE_PROD ? prod_##SUF                                                                     \
           : reduce == MX_REDUCE_MAX  ? max_##SUF                                                                      \
                                      : min_##SUF;
#define PICKF(SUF)                                                                                                     \
    return reduce == MX_REDUCE_SUM    ? sum_##SUF                                                                      \
           : reduce == MX_REDUCE_PROD ? prod_##SUF                                                                     \
           : reduce == MX_REDUCE_MAX  ? (nan_minmax ? maxnan_##SUF : maxsel_##SUF)                                     \
                                      : (nan_minmax ? minnan_##SUF : minsel_##SUF);
    switch (dt) {
    case MX_BOOL:
        return reduce == MX_REDUCE_SUM    ? sum_b
               : reduce == MX_REDUCE_PROD ? prod_b
               : reduce == MX_REDUCE_MAX  ? max_u8
                                          : min_u8;
    case MX_UINT8: PICK4(u8)
    case MX_UINT16: PICK4(u16)
    case MX_UINT32: PICK4(u32)
    case MX_UINT64: PICK4(u64)
    case MX_INT8: PICK4(i8)
    case MX_INT16: PICK4(i16)
    case MX_INT32: PICK4(i32)
    case MX_INT64: PICK4(i64)
    case MX_FLOAT16: PICKF(f16)
    case MX_BFLOAT16: PICKF(bf16)
    case MX_FLOAT32: PICKF(f32)
    case MX_FLOAT64: PICKF(f64)
    default: PICKF(c64)
    }
#undef PICK4
#undef PICKF
}

/* out = a (its buffer when a can be donated, else a copy). */
static mx_status init_from_input(mx_node *out) {
    if (mx_node_try_donate(out, 0))
        return MX_OK;
    mx_status st = mx_node_alloc_output(out);
    if (st == MX_OK && out->size)
        st = cpu_copy(out, out->inputs[0]);
    return st;
}

/* ---- index offsets -------------------------------------------------------------------------------- */

typedef struct offsets_ctx {
    mx_dtype dtype;
    int64_t dim, extent, stride; /* axis size, slice extent, byte stride */
    bool first;
    atomic_bool bad;
} offsets_ctx;

/* Operands: 0 = int64 byte offsets (accumulated), 1 = the index array. */
static void offsets_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    offsets_ctx *c = vctx;
    char *po = ptrs[0];
    const char *pi = ptrs[1];
    bool bad = false;
    for (int64_t i = 0; i < n; i++) {
        int64_t v = load_index(pi + i * strides[1], c->dtype);
        bool ok = normalize_index(&v, c->dim, c->extent);
        bad |= !ok;
        int64_t *o = (int64_t *)(po + i * strides[0]);
        *o = (c->first ? 0 : *o) + (ok ? v : 0) * c->stride;
    }
    if (bad)
        atomic_store_explicit(&c->bad, true, memory_order_relaxed);
}

/* offsets[p] (P = prod(B) entries) = sum_j index_j[p] * byte stride of
 * axes[j] in the destination/source `strides` (elements). The index nodes
 * have shape B. NULL with the error set (an index out of range, memory). */
static mx_buffer *index_offsets(const char *op, mx_node *const *indices, int n, const int *axes, const int64_t *shape,
                                const int64_t *strides, const int64_t *extents, size_t es, const int64_t *bshape,
                                int nb, int64_t *count) {
    int64_t p = 1;
    for (int d = 0; d < nb; d++)
        p *= bshape[d];
    *count = p;
    mx_buffer *buf = mx_buffer_alloc((size_t)(p ? p : 1) * sizeof(int64_t), op);
    if (!buf)
        return NULL;
    int64_t *offs = buf->ptr;
    if (n == 0) {
        for (int64_t i = 0; i < p; i++)
            offs[i] = 0;
        return buf;
    }
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(bshape, nb, row);
    for (int j = 0; j < n; j++) {
        int ax = axes[j];
        offsets_ctx c = {.dtype = indices[j]->dtype,
                         .dim = shape[ax],
                         .extent = extents[ax],
                         .stride = strides[ax] * (int64_t)es,
                         .first = j == 0};
        atomic_init(&c.bad, false);
        cpu_operand ops[2] = {{(char *)offs, row, sizeof(int64_t)}, cpu_operand_of(indices[j])};
        cpu_foreach(ops, 2, bshape, nb, CPU_ELEMENTWISE_GRAIN, offsets_run, &c);
        if (atomic_load(&c.bad)) {
            mx_buffer_release(buf);
            first_bad_index(op, indices[j], ax, shape[ax], extents[ax]);
            return NULL;
        }
    }
    return buf;
}

/* ---- slabs: a box of dims walked as runs along its last (merged) dim ------------------------------------ */

typedef struct slab_plan {
    int ndim;                   /* merged dims, >= 1 */
    int64_t shape[MX_MAX_NDIM]; /* merged */
    int64_t sa[MX_MAX_NDIM];    /* byte strides, operand a */
    int64_t sb[MX_MAX_NDIM];    /* byte strides, operand b */
    int64_t runs, inner;        /* outer positions and the length of the last dim */
} slab_plan;

/* Merge the dims of `shape` that both operands step through contiguously. */
static void slab_plan_init(slab_plan *p, const int64_t *shape, int ndim, const int64_t *sa, const int64_t *sb) {
    int out = 0;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 1)
            continue;
        if (out > 0 && p->sa[out - 1] == sa[d] * shape[d] && p->sb[out - 1] == sb[d] * shape[d]) {
            p->shape[out - 1] *= shape[d];
            p->sa[out - 1] = sa[d];
            p->sb[out - 1] = sb[d];
        } else {
            p->shape[out] = shape[d];
            p->sa[out] = sa[d];
            p->sb[out] = sb[d];
            out++;
        }
    }
    if (out == 0) {
        p->shape[0] = 1;
        p->sa[0] = p->sb[0] = 0;
        out = 1;
    }
    p->ndim = out;
    p->inner = p->shape[out - 1];
    p->runs = 1;
    for (int d = 0; d < out - 1; d++)
        p->runs *= p->shape[d];
}

/* Byte offsets of run r (outer position) in both operands. */
static inline void slab_run_offsets(const slab_plan *p, int64_t r, int64_t *oa, int64_t *ob) {
    int64_t a = 0, b = 0;
    for (int d = p->ndim - 2; d >= 0; d--) {
        int64_t i = r % p->shape[d];
        r /= p->shape[d];
        a += i * p->sa[d];
        b += i * p->sb[d];
    }
    *oa = a;
    *ob = b;
}

/* ---- gather ---------------------------------------------------------------------------------------- */

typedef struct gather_ctx {
    char *out;
    const char *a;
    const int64_t *offs;
    const slab_plan *plan;
    int64_t slab_bytes;
    mx_dtype dtype;
} gather_ctx;

static void copy_strided(char *dst, int64_t ds, const char *src, int64_t ss, int64_t n, mx_dtype dt) {
    cpu_convert_run(dst, dt, ds, src, dt, ss, n);
}

static void gather_range(int64_t begin, int64_t end, void *vctx) {
    const gather_ctx *c = vctx;
    const slab_plan *p = c->plan;
    size_t es = mx_dtype_size(c->dtype);
    int64_t ia = p->sa[p->ndim - 1], ib = p->sb[p->ndim - 1];
    for (int64_t i = begin; i < end; i++) {
        char *dst = c->out + i * c->slab_bytes;
        const char *src = c->a + c->offs[i];
        for (int64_t r = 0; r < p->runs; r++) {
            int64_t oa, ob;
            slab_run_offsets(p, r, &oa, &ob);
            if (ib == (int64_t)es)
                memcpy(dst + oa, src + ob, (size_t)p->inner * es);
            else
                copy_strided(dst + oa, ia, src + ob, ib, p->inner, c->dtype);
        }
    }
}

/* out (B + slice_sizes) = slices of a at the index positions (ops/scatter.h). */
static mx_status gather_kernel(mx_node *out) {
    const mx_gather_params *prm = mx_node_params(out);
    const mx_node *a = out->inputs[0];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    int nb = out->ndim - a->ndim;
    size_t es = mx_dtype_size(a->dtype);
    int64_t count;
    mx_buffer *offs = index_offsets("gather", out->inputs + 1, prm->naxes, prm->axes, a->shape, a->strides,
                                    prm->slice_sizes, es, out->shape, nb, &count);
    if (!offs)
        return mx_last_status();
    /* the slab: dst contiguous (sa), src with a's strides (sb) */
    int64_t dst_strides[MX_MAX_NDIM], src_strides[MX_MAX_NDIM];
    mx_row_strides(prm->slice_sizes, a->ndim, dst_strides);
    for (int d = 0; d < a->ndim; d++) {
        dst_strides[d] *= (int64_t)es;
        src_strides[d] = a->strides[d] * (int64_t)es;
    }
    slab_plan plan;
    slab_plan_init(&plan, prm->slice_sizes, a->ndim, dst_strides, src_strides);
    int64_t slab = out->size / count;
    gather_ctx c = {.out = mx_node_data(out),
                    .a = mx_node_data(a),
                    .offs = offs->ptr,
                    .plan = &plan,
                    .slab_bytes = slab * (int64_t)es,
                    .dtype = a->dtype};
    cpu_parallel_for(count, CPU_ELEMENTWISE_GRAIN / (slab > 0 ? slab : 1) + 1, gather_range, &c);
    mx_buffer_release(offs);
    return MX_OK;
}

/* ---- scatter ---------------------------------------------------------------------------------------- */

typedef struct uoffsets_ctx {
    const char *base;
} uoffsets_ctx;

/* Operands: 0 = int64 out, 1 = the updates over the index dims: byte offsets. */
static void uoffsets_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    const char *base = ((const uoffsets_ctx *)vctx)->base;
    for (int64_t i = 0; i < n; i++)
        *(int64_t *)(ptrs[0] + i * strides[0]) = (int64_t)((ptrs[1] + i * strides[1]) - base);
}

typedef struct scatter_ctx {
    char *out;
    const char *upd;
    const int64_t *offs, *uoffs;      /* per index position: bytes into out, updates */
    const int64_t *run_out, *run_upd; /* per slab run: bytes */
    const slab_plan *plan;            /* sa: out's strides, sb: the updates' */
    int64_t count;                    /* index positions */
    size_t es;
    combine_fn fn;
} scatter_ctx;

/* Slab elements [begin, end) of every index position, positions in order. */
static void scatter_slab_range(int64_t begin, int64_t end, void *vctx) {
    const scatter_ctx *c = vctx;
    const slab_plan *p = c->plan;
    int64_t inner = p->inner, ia = p->sa[p->ndim - 1], ib = p->sb[p->ndim - 1];
    for (int64_t i = 0; i < c->count; i++) {
        char *dst = c->out + c->offs[i];
        const char *src = c->upd + c->uoffs[i];
        for (int64_t f = begin; f < end;) {
            int64_t r = f / inner, col = f % inner, len = inner - col;
            if (len > end - f)
                len = end - f;
            c->fn(dst + c->run_out[r] + col * ia, src + c->run_upd[r] + col * ib, len, ia, ib);
            f += len;
        }
    }
}

/* The updates landing in output elements [begin, end), positions in order. */
static void scatter_owner_range(int64_t begin, int64_t end, void *vctx) {
    const scatter_ctx *c = vctx;
    const slab_plan *p = c->plan;
    int64_t lo = begin * (int64_t)c->es, hi = end * (int64_t)c->es;
    int64_t ia = p->sa[p->ndim - 1], ib = p->sb[p->ndim - 1];
    for (int64_t i = 0; i < c->count; i++) {
        for (int64_t r = 0; r < p->runs; r++) {
            int64_t d0 = c->offs[i] + c->run_out[r], s0 = c->uoffs[i] + c->run_upd[r];
            for (int64_t k = 0; k < p->inner; k++) {
                int64_t d = d0 + k * ia;
                if (d >= lo && d < hi)
                    c->fn(c->out + d, c->upd + s0 + k * ib, 1, ia, ib);
            }
        }
    }
}

/* out (a's shape) = a with updates (B + slab) combined at the index positions. */
static mx_status scatter_kernel(mx_node *out) {
    const mx_scatter_params *prm = mx_node_params(out);
    int n = prm->naxes;
    const mx_node *upd = out->inputs[n + 1];
    mx_status st = init_from_input(out);
    if (st != MX_OK || out->size == 0 || upd->size == 0)
        return st;
    int nd = out->ndim, nb = upd->ndim - nd;
    const int64_t *slab_shape = upd->shape + nb;
    size_t es = mx_dtype_size(out->dtype);
    int64_t count;
    mx_buffer *offs = index_offsets("scatter", out->inputs + 1, n, prm->axes, out->shape, out->strides, slab_shape, es,
                                    upd->shape, nb, &count);
    if (!offs)
        return mx_last_status();
    slab_plan plan;
    int64_t so[MX_MAX_NDIM], su[MX_MAX_NDIM];
    for (int d = 0; d < nd; d++) {
        so[d] = out->strides[d] * (int64_t)es;
        su[d] = upd->strides[nb + d] * (int64_t)es;
    }
    slab_plan_init(&plan, slab_shape, nd, so, su);
    mx_buffer *scratch = mx_buffer_alloc((size_t)(count + 2 * plan.runs) * sizeof(int64_t), "scatter");
    if (!scratch) {
        mx_buffer_release(offs);
        return mx_last_status();
    }
    int64_t *uoffs = scratch->ptr, *run_out = uoffs + count, *run_upd = run_out + plan.runs;
    if (nb == 0) {
        uoffs[0] = 0;
    } else {
        int64_t row[MX_MAX_NDIM];
        mx_row_strides(upd->shape, nb, row);
        uoffsets_ctx uc = {mx_node_data(upd)};
        cpu_operand ops[2] = {{(char *)uoffs, row, sizeof(int64_t)}, {(char *)mx_node_data(upd), upd->strides, es}};
        cpu_foreach(ops, 2, upd->shape, nb, CPU_ELEMENTWISE_GRAIN, uoffsets_run, &uc);
    }
    for (int64_t r = 0; r < plan.runs; r++)
        slab_run_offsets(&plan, r, &run_out[r], &run_upd[r]);
    scatter_ctx c = {.out = mx_node_data(out),
                     .upd = mx_node_data(upd),
                     .offs = offs->ptr,
                     .uoffs = uoffs,
                     .run_out = run_out,
                     .run_upd = run_upd,
                     .plan = &plan,
                     .count = count,
                     .es = es,
                     .fn = combiner(out->dtype, prm->reduce, false)};
    int64_t slab = plan.runs * plan.inner;
    /* threads may split the slab when its elements never meet: every indexed
     * axis has extent 1, so they differ in the other coordinates */
    bool split_ok = true;
    for (int j = 0; j < n; j++)
        split_ok = split_ok && slab_shape[prm->axes[j]] == 1;
    if (count * slab < CPU_ELEMENTWISE_GRAIN || cpu_num_threads() < 2)
        scatter_slab_range(0, slab, &c);
    else if (split_ok && slab >= 64)
        cpu_parallel_for(slab, 32, scatter_slab_range, &c);
    else
        cpu_parallel_for(out->size, 1, scatter_owner_range, &c);
    mx_buffer_release(scratch);
    mx_buffer_release(offs);
    return MX_OK;
}

/* ---- slice_update and the dynamic slices ----------------------------------------------------------------- */

static void combine_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    combine_fn fn = *(const combine_fn *)vctx;
    fn(ptrs[0], ptrs[1], n, strides[0], strides[1]);
}

/* out (a's shape) = a with the box (start, step; update's shape) combined with update. */
static mx_status slice_update_kernel(mx_node *out) {
    const mx_slice_update_params *p = mx_node_params(out);
    const mx_node *upd = out->inputs[1];
    mx_status st = init_from_input(out);
    if (st != MX_OK || upd->size == 0)
        return st;
    size_t es = mx_dtype_size(out->dtype);
    int64_t offset = 0, box_strides[MX_MAX_NDIM];
    for (int d = 0; d < out->ndim; d++) {
        offset += p->start[d] * out->strides[d];
        box_strides[d] = out->strides[d] * p->step[d];
    }
    combine_fn fn = combiner(out->dtype, p->reduce, true);
    cpu_operand ops[2] = {{(char *)mx_node_data(out) + offset * (int64_t)es, box_strides, es}, cpu_operand_of(upd)};
    cpu_foreach(ops, 2, upd->shape, upd->ndim, CPU_ELEMENTWISE_GRAIN, combine_run, &fn);
    return MX_OK;
}

/* The element offset of a dynamic block: start[j] on axes[j]; each block
 * extent (shape) must fit. Index errors name `op`. */
static mx_status dynamic_offset(const char *op, const mx_dynamic_slice_params *p, const mx_node *start,
                                const int64_t *dims, const int64_t *strides, const int64_t *extent, int64_t *offset) {
    const char *base = mx_node_data(start);
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

static void copy_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    mx_dtype dt = *(const mx_dtype *)vctx;
    cpu_convert_run(ptrs[0], dt, strides[0], ptrs[1], dt, strides[1], n);
}

/* out (slice_size) = the block of a at start. */
static mx_status dynamic_slice_kernel(mx_node *out) {
    const mx_dynamic_slice_params *p = mx_node_params(out);
    const mx_node *a = out->inputs[0], *start = out->inputs[1];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    int64_t offset;
    st = dynamic_offset("slice", p, start, a->shape, a->strides, out->shape, &offset);
    if (st != MX_OK)
        return st;
    size_t es = mx_dtype_size(a->dtype);
    cpu_operand ops[2] = {cpu_operand_of(out), {(char *)mx_node_data(a) + offset * (int64_t)es, a->strides, es}};
    mx_dtype dt = a->dtype;
    cpu_foreach(ops, 2, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, copy_run, &dt);
    return MX_OK;
}

/* out (a's shape) = a with the block at start replaced by update. */
static mx_status dynamic_slice_update_kernel(mx_node *out) {
    const mx_dynamic_slice_params *p = mx_node_params(out);
    const mx_node *upd = out->inputs[1], *start = out->inputs[2];
    mx_status st = init_from_input(out);
    if (st != MX_OK || upd->size == 0)
        return st;
    int64_t offset;
    st = dynamic_offset("slice_update", p, start, out->shape, out->strides, upd->shape, &offset);
    if (st != MX_OK)
        return st;
    size_t es = mx_dtype_size(out->dtype);
    cpu_operand ops[2] = {{(char *)mx_node_data(out) + offset * (int64_t)es, out->strides, es}, cpu_operand_of(upd)};
    mx_dtype dt = out->dtype;
    cpu_foreach(ops, 2, upd->shape, upd->ndim, CPU_ELEMENTWISE_GRAIN, copy_run, &dt);
    return MX_OK;
}

/* ---- scatter_axis (put_along_axis, scatter_add_axis) -------------------------------------------------------- */

typedef struct axis_ctx {
    char *out;
    const char *idx, *val;
    const int64_t *shape; /* the indices' shape */
    int ndim, axis;
    int64_t out_strides[MX_MAX_NDIM], idx_strides[MX_MAX_NDIM], val_strides[MX_MAX_NDIM]; /* bytes */
    int64_t dim;                                                                          /* out.shape[axis] */
    mx_dtype idx_dtype;
    combine_fn fn;
    atomic_bool bad;
} axis_ctx;

/* Lines [begin, end): positions over the indices' dims other than axis, each
 * walked along axis in order (a line's destinations stay in its own line). */
static void scatter_axis_range(int64_t begin, int64_t end, void *vctx) {
    axis_ctx *c = vctx;
    int ax = c->axis;
    bool bad = false;
    for (int64_t line = begin; line < end; line++) {
        int64_t rem = line, oo = 0, oi = 0, ov = 0;
        for (int d = c->ndim - 1; d >= 0; d--) {
            if (d == ax)
                continue;
            int64_t i = rem % c->shape[d];
            rem /= c->shape[d];
            oo += i * c->out_strides[d];
            oi += i * c->idx_strides[d];
            ov += i * c->val_strides[d];
        }
        for (int64_t k = 0; k < c->shape[ax]; k++) {
            int64_t v = load_index(c->idx + oi + k * c->idx_strides[ax], c->idx_dtype);
            if (!normalize_index(&v, c->dim, 1)) {
                bad = true;
                continue;
            }
            c->fn(c->out + oo + v * c->out_strides[ax], c->val + ov + k * c->val_strides[ax], 1, 0, 0);
        }
    }
    if (bad)
        atomic_store_explicit(&c->bad, true, memory_order_relaxed);
}

/* out = a with values put (or added) at indices along axis (ops/scatter.h). */
static mx_status scatter_axis_kernel(mx_node *out) {
    const mx_scatter_axis_params *p = mx_node_params(out);
    const mx_node *idx = out->inputs[1], *val = out->inputs[2];
    mx_status st = init_from_input(out);
    if (st != MX_OK || idx->size == 0)
        return st;
    size_t es = mx_dtype_size(out->dtype), is = mx_dtype_size(idx->dtype);
    axis_ctx c = {.out = mx_node_data(out),
                  .idx = mx_node_data(idx),
                  .val = mx_node_data(val),
                  .shape = idx->shape,
                  .ndim = idx->ndim,
                  .axis = p->axis,
                  .dim = out->shape[p->axis],
                  .idx_dtype = idx->dtype,
                  .fn = combiner(out->dtype, p->reduce, false)};
    atomic_init(&c.bad, false);
    for (int d = 0; d < idx->ndim; d++) {
        c.out_strides[d] = out->strides[d] * (int64_t)es;
        c.idx_strides[d] = idx->strides[d] * (int64_t)is;
        c.val_strides[d] = val->strides[d] * (int64_t)es;
    }
    int64_t lines = idx->size / idx->shape[p->axis];
    cpu_parallel_for(lines, CPU_ELEMENTWISE_GRAIN / idx->shape[p->axis] + 1, scatter_axis_range, &c);
    if (atomic_load(&c.bad))
        return first_bad_index(p->reduce == MX_REDUCE_SUM ? "scatter_add_axis" : "put_along_axis", idx, p->axis, c.dim,
                               1);
    return MX_OK;
}

/* ---- masked_scatter, masked_select ------------------------------------------------------------------------ */

/* Calls visit(k, position, ctx) for the k-th true element of mask, in
 * row-major order; stops when visit returns false. */
static void for_each_selected(const mx_node *mask, bool (*visit)(int64_t k, int64_t pos, void *ctx), void *ctx) {
    const uint8_t *m = mx_node_data(mask);
    int64_t k = 0, idx[MX_MAX_NDIM] = {0}, off = 0;
    for (int64_t pos = 0; pos < mask->size; pos++) {
        if (m[off] && !visit(k++, pos, ctx))
            return;
        for (int d = mask->ndim - 1; d >= 0; d--) { /* advance the multi-index */
            off += mask->strides[d];
            if (++idx[d] < mask->shape[d])
                break;
            off -= mask->strides[d] * mask->shape[d];
            idx[d] = 0;
        }
    }
}

typedef struct masked_ctx {
    char *dst;
    const char *src;
    int64_t slab, src_size, src_stride; /* elements; bytes */
    size_t es;
    mx_dtype dtype;
    bool short_src;
} masked_ctx;

static bool scatter_visit(int64_t k, int64_t pos, void *vctx) {
    masked_ctx *c = vctx;
    if ((k + 1) * c->slab > c->src_size) {
        c->short_src = true;
        return false;
    }
    char *d = c->dst + pos * c->slab * (int64_t)c->es;
    const char *s = c->src + k * c->slab * c->src_stride;
    if (c->src_stride == (int64_t)c->es)
        memcpy(d, s, (size_t)c->slab * c->es);
    else
        cpu_convert_run(d, c->dtype, (int64_t)c->es, s, c->dtype, c->src_stride, c->slab);
    return true;
}

/* out (a's shape) = a whose selected slabs take consecutive slabs of src (1-D). */
static mx_status masked_scatter_kernel(mx_node *out) {
    const mx_node *mask = out->inputs[1], *src = out->inputs[2];
    mx_status st = init_from_input(out);
    if (st != MX_OK || out->size == 0)
        return st;
    masked_ctx c = {.dst = mx_node_data(out),
                    .src = mx_node_data(src),
                    .slab = out->size / (mask->size ? mask->size : 1),
                    .src_size = src->size,
                    .src_stride = src->strides[0] * (int64_t)mx_dtype_size(src->dtype),
                    .es = mx_dtype_size(out->dtype),
                    .dtype = out->dtype};
    for_each_selected(mask, scatter_visit, &c);
    if (c.short_src)
        return mx_set_error(MX_ERROR_UNSUPPORTED,
                            "masked_scatter: the source has %" PRId64 " elements, too few for the mask's selection",
                            src->size);
    return MX_OK;
}

typedef struct select_ctx {
    char *out;
    const char *cot;
    const int64_t *pos_off; /* bytes of each mask position into cot */
    int64_t slab, n;        /* elements per slab, of out */
    size_t es;
    mx_dtype dtype;
    slab_plan plan; /* a slab of cot (sb) into contiguous out (sa) */
} select_ctx;

static bool select_visit(int64_t k, int64_t pos, void *vctx) {
    const select_ctx *c = vctx;
    const slab_plan *p = &c->plan;
    int64_t first = k * c->slab, room = c->n - first;
    if (room <= 0)
        return false;
    char *dst = c->out + first * (int64_t)c->es;
    const char *src = c->cot + c->pos_off[pos];
    int64_t ia = p->sa[p->ndim - 1], ib = p->sb[p->ndim - 1];
    for (int64_t r = 0; r < p->runs && room > 0; r++) {
        int64_t oa, ob;
        slab_run_offsets(p, r, &oa, &ob);
        int64_t len = p->inner < room ? p->inner : room;
        cpu_convert_run(dst + oa, c->dtype, ia, src + ob, c->dtype, ib, len);
        room -= len;
    }
    return true;
}

/* out (1-D, n) = the selected slabs of cot (a's shape, any strides) in
 * order, then zeros: the gradient of masked_scatter for src. */
static mx_status masked_select_kernel(mx_node *out) {
    const mx_node *cot = out->inputs[0], *mask = out->inputs[1];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    size_t es = mx_dtype_size(out->dtype);
    memset(mx_node_data(out), 0, (size_t)out->size * es);
    if (cot->size == 0)
        return MX_OK;
    int m = mask->ndim, k = cot->ndim - m;
    select_ctx c = {.out = mx_node_data(out),
                    .cot = mx_node_data(cot),
                    .slab = cot->size / mask->size,
                    .n = out->size,
                    .es = es,
                    .dtype = out->dtype};
    int64_t dst_strides[MX_MAX_NDIM], src_strides[MX_MAX_NDIM];
    mx_row_strides(cot->shape + m, k, dst_strides);
    for (int d = 0; d < k; d++) {
        dst_strides[d] *= (int64_t)es;
        src_strides[d] = cot->strides[m + d] * (int64_t)es;
    }
    slab_plan_init(&c.plan, cot->shape + m, k, dst_strides, src_strides);
    int64_t *pos_off = malloc((size_t)mask->size * sizeof *pos_off);
    if (!pos_off)
        return mx_set_error(MX_ERROR_MEMORY, "masked_select: out of memory");
    for (int64_t pos = 0; pos < mask->size; pos++) {
        int64_t rem = pos, off = 0;
        for (int d = m - 1; d >= 0; d--) {
            off += rem % cot->shape[d] * cot->strides[d];
            rem /= cot->shape[d];
        }
        pos_off[pos] = off * (int64_t)es;
    }
    c.pos_off = pos_off;
    for_each_selected(mask, select_visit, &c);
    free(pos_off);
    return MX_OK;
}

void cpu_register_scatter(mx_backend *b) {
    b->kernels[MX_OP_gather] = gather_kernel;
    b->kernels[MX_OP_scatter] = scatter_kernel;
    b->kernels[MX_OP_slice_update] = slice_update_kernel;
    b->kernels[MX_OP_dynamic_slice] = dynamic_slice_kernel;
    b->kernels[MX_OP_dynamic_slice_update] = dynamic_slice_update_kernel;
    b->kernels[MX_OP_scatter_axis] = scatter_axis_kernel;
    b->kernels[MX_OP_masked_scatter] = masked_scatter_kernel;
    b->kernels[MX_OP_masked_select] = masked_select_kernel;
}
