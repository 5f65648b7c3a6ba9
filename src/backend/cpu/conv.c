/* backend/cpu/conv.c - CPU kernels of the conv family (src/ops/conv.c,
 * docs/conv.md): the convolution primitive and its weight gradient.
 *
 * Shapes (channels last, d <= 3 spatial dims, padded to 3 with size-1 dims):
 *   x (N, S0, S1, S2, C_in), w (C_out, K0, K1, K2, C_in / G), out (N, O0, O1, O2, C_out)
 *
 * Algorithms, chosen per call:
 *   - 1x1 kernels at stride 1 without padding: one GEMM per group straight
 *     on the input, (N*S, C_in/G) @ (C_in/G, C_out/G).
 *   - depthwise (C_in/G = C_out/G = 1, real dtypes): a direct loop over taps
 *     that is vectorised over the contiguous channels.
 *   - input dilation with unit strides (transposed convolutions, gradients of
 *     strided convolutions): GEMM of the undilated input with every tap,
 *     Y (I, K*C_out) = x (I, C_in/G) @ w', then each output row gathers the
 *     taps that reach it ("col2im"), so the zeros of the dilation cost nothing.
 *   - everything else: im2col by tiles of output rows into a per-thread
 *     buffer, each tile one GEMM, (R, K*C_in/G) @ (K*C_in/G, C_out/G); tiles
 *     are spread over cmlx's threads with single-threaded OpenBLAS calls.
 * float16 and bfloat16 are computed in float32 (inputs converted once,
 * results rounded once); float64 with dgemm, complex64 with cgemm.
 *
 * The weight gradient dW (C_out, K, C_in/G) = cot^T (C_out, N*O) @ cols (N*O,
 * K*C_in/G) uses the same im2col tiles, accumulating into one buffer per
 * thread that are summed at the end. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/conv.h"

/* Bytes of im2col rows per tile: the tile and the packed weight panel stay
 * in the core's L2 while the GEMM runs over them. */
#define CONV_TILE_BYTES (384 * 1024)
/* Fewest rows in a tile: below this the GEMM's packing of the weight dominates. */
#define CONV_MIN_TILE_ROWS 32
/* Largest per-image buffer of the col2im path; above it, im2col is used. */
#define CONV_COL2IM_MAX_BYTES ((int64_t)256 << 20)

/* ---- geometry -------------------------------------------------------------------------------- */
typedef struct conv_geom {
    int64_t n;
    int64_t in[3], out[3], k[3];
    int64_t stride[3], lo[3], kdil[3], idil[3];
    int64_t cin, cout, groups, cig, cog;
    int64_t kvol, ivol, ovol, rows, kc; /* kc = kvol * cig: the GEMM's inner dimension */
    bool flip;
    /* tab[j][o * k[j] + t]: the input index that output o and tap t read
     * along spatial dim j, or -1 where they read padding or dilation zeros. */
    int64_t *tab[3];
} conv_geom;

/* x (N, S..., C_in), w (C_out, K..., C_in/G), out (N, O..., C_out) of the forward conv. */
static mx_status geom_init(conv_geom *g, const mx_conv_params *p, const int64_t *xshape, const int64_t *wshape,
                           const int64_t *oshape) {
    int d = p->nspatial, off = 3 - d;
    memset(g, 0, sizeof *g);
    g->n = xshape[0];
    for (int j = 0; j < 3; j++) {
        if (j < off) {
            g->in[j] = g->out[j] = g->k[j] = 1;
            g->stride[j] = g->kdil[j] = g->idil[j] = 1;
            g->lo[j] = 0;
            continue;
        }
        int s = j - off;
        g->in[j] = xshape[1 + s];
        g->out[j] = oshape[1 + s];
        g->k[j] = wshape[1 + s];
        g->stride[j] = p->stride[s];
        g->lo[j] = p->pad_lo[s];
        g->kdil[j] = p->kernel_dilation[s];
        g->idil[j] = p->input_dilation[s];
    }
    g->cin = xshape[d + 1];
    g->cout = wshape[0];
    g->groups = p->groups;
    g->cig = wshape[d + 1];
    g->cog = g->cout / g->groups;
    g->kvol = g->k[0] * g->k[1] * g->k[2];
    g->ivol = g->in[0] * g->in[1] * g->in[2];
    g->ovol = g->out[0] * g->out[1] * g->out[2];
    g->rows = g->n * g->ovol;
    g->kc = g->kvol * g->cig;
    g->flip = p->flip;
    for (int j = 0; j < 3; j++) {
        int64_t count = g->out[j] * g->k[j];
        g->tab[j] = malloc(sizeof(int64_t) * (size_t)(count ? count : 1));
        if (!g->tab[j])
            return mx_set_error(MX_ERROR_MEMORY, "conv: out of memory for index tables");
        for (int64_t o = 0; o < g->out[j]; o++) {
            for (int64_t t = 0; t < g->k[j]; t++) {
                int64_t pos = o * g->stride[j] + t * g->kdil[j] - g->lo[j], idx = -1;
                if (pos >= 0 && pos % g->idil[j] == 0 && pos / g->idil[j] < g->in[j])
                    idx = pos / g->idil[j];
                g->tab[j][o * g->k[j] + t] = idx;
            }
        }
    }
    return MX_OK;
}

static void geom_free(conv_geom *g) {
    for (int j = 0; j < 3; j++)
        free(g->tab[j]);
}

/* ---- operands in the compute dtype ------------------------------------------------------------- */
static mx_dtype compute_dtype(mx_dtype dtype) {
    return dtype == MX_FLOAT16 || dtype == MX_BFLOAT16 ? MX_FLOAT32 : dtype;
}

/* An input read in place or from a converted copy: element strides of the
 * batch dim and the three (padded) spatial dims; channels are contiguous. */
typedef struct conv_operand {
    const char *data;
    int64_t sn, s[3];
    bool rows_contiguous; /* (N*S, C) row-major: element (r, c) at r * C + c */
    mx_buffer *scratch;
} conv_operand;

/* x (N, S..., C) as a conv_operand in dtype ct: in place when it has that
 * dtype and unit channel stride (and, if need_rows, row-major layout), else
 * a row-major copy. */
static mx_status prepare_operand(const mx_node *x, int nspatial, mx_dtype ct, bool need_rows, conv_operand *op) {
    int nd = x->ndim, off = 3 - nspatial;
    int64_t channels = x->shape[nd - 1];
    bool rows = mx_node_is_row_contiguous(x);
    op->scratch = NULL;
    if (x->dtype == ct && (channels <= 1 || x->strides[nd - 1] == 1) && (rows || !need_rows)) {
        op->data = mx_node_data(x);
        op->sn = x->strides[0];
        for (int j = 0; j < 3; j++)
            op->s[j] = j < off ? 0 : x->strides[1 + j - off];
        op->rows_contiguous = rows;
        return MX_OK;
    }
    op->scratch = mx_buffer_alloc((size_t)(x->size ? x->size : 1) * mx_dtype_size(ct), "conv");
    if (!op->scratch)
        return mx_last_status();
    int64_t strides[MX_MAX_NDIM];
    mx_row_strides(x->shape, nd, strides);
    mx_node dst = *x;
    dst.strides = strides;
    dst.dtype = ct;
    dst.buffer = op->scratch;
    dst.offset = 0;
    if (x->size) {
        mx_status st = cpu_copy(&dst, x);
        if (st != MX_OK)
            return st;
    }
    op->data = op->scratch->ptr;
    op->sn = strides[0];
    for (int j = 0; j < 3; j++)
        op->s[j] = j < off ? 0 : strides[1 + j - off];
    op->rows_contiguous = true;
    return MX_OK;
}

/* The weight (C_out, K..., C_in/G) row-major in dtype ct, its taps reversed
 * when flip (reversing every spatial dim reverses the flattened tap index). */
static mx_status prepare_weight(const mx_node *w, mx_dtype ct, bool flip, int64_t kvol, conv_operand *op) {
    mx_status st = prepare_operand(w, w->ndim - 2, ct, true, op);
    if (st != MX_OK || !flip || kvol < 2 || w->size == 0)
        return st;
    int64_t cout = w->shape[0], run = w->size / (cout * kvol);
    size_t es = mx_dtype_size(ct), bytes = (size_t)run * es;
    if (!op->scratch) { /* in place: flip into a copy */
        op->scratch = mx_buffer_alloc((size_t)w->size * es, "conv");
        if (!op->scratch)
            return mx_last_status();
        for (int64_t co = 0; co < cout; co++)
            for (int64_t t = 0; t < kvol; t++)
                memcpy((char *)op->scratch->ptr + (co * kvol + t) * (int64_t)bytes,
                       op->data + (co * kvol + kvol - 1 - t) * (int64_t)bytes, bytes);
        op->data = op->scratch->ptr;
        return MX_OK;
    }
    char tmp[256];
    char *base = op->scratch->ptr;
    for (int64_t co = 0; co < cout; co++) {
        for (int64_t t = 0; t < kvol / 2; t++) {
            char *a = base + (co * kvol + t) * (int64_t)bytes, *b = base + (co * kvol + kvol - 1 - t) * (int64_t)bytes;
            for (size_t done = 0; done < bytes; done += sizeof tmp) {
                size_t len = bytes - done < sizeof tmp ? bytes - done : sizeof tmp;
                memcpy(tmp, a + done, len);
                memcpy(a + done, b + done, len);
                memcpy(b + done, tmp, len);
            }
        }
    }
    return MX_OK;
}

/* ---- BLAS -------------------------------------------------------------------------------------- */
/* C (m x n, ldc) = op(A) op(B) (+ C when accumulate), row-major, in dtype
 * ct: spread over the pool when big and not already inside a parallel call. */
static void gemm(mx_dtype ct, bool ta, bool tb, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda,
                 const void *b, int64_t ldb, bool accumulate, void *c, int64_t ldc) {
    cpu_gemm(ct, ta, tb, m, n, k, a, lda, b, ldb, accumulate, c, ldc);
}

static bool fits_blas(int64_t v) { return v <= INT_MAX; }

/* ---- tiles and threads ---------------------------------------------------------------------------- */
typedef struct tiling {
    int64_t tile_rows, ntiles;
    int slots; /* per-thread scratch buffers needed */
    bool parallel;
} tiling;

static tiling plan_tiles(int64_t rows, int64_t bytes_per_row) {
    tiling t;
    int threads = cpu_num_threads();
    int64_t r = CONV_TILE_BYTES / (bytes_per_row > 0 ? bytes_per_row : 1);
    if (r < CONV_MIN_TILE_ROWS)
        r = CONV_MIN_TILE_ROWS;
    if (r > rows)
        r = rows;
    if (threads > 1 && (rows + r - 1) / r < threads && rows >= (int64_t)threads * CONV_MIN_TILE_ROWS)
        r = (rows + threads - 1) / threads;
    if (r < 1)
        r = 1;
    t.tile_rows = r;
    t.ntiles = (rows + r - 1) / r;
    t.parallel = threads > 1 && t.ntiles > 1;
    t.slots = t.parallel ? (int)(t.ntiles < threads ? t.ntiles : threads) : 1;
    return t;
}

/* Run fn over the tiles, handed out to the threads one at a time (a thread
 * the OS holds back, on a shared machine, delays only its current tile). */
static void run_tiles(const tiling *t, cpu_range_fn fn, void *ctx) {
    if (!t->parallel) {
        fn(0, t->ntiles, ctx);
        return;
    }
    cpu_parallel_chunks(t->ntiles, 1, fn, ctx);
}

/* Scratch slot of this thread: cpu_thread_slot() < min(threads, tiles). */
static int slot_id(int slots) {
    int id = cpu_thread_slot();
    return id < slots ? id : 0;
}

/* ---- im2col --------------------------------------------------------------------------------------- */
/* Output row r = (n, o0, o1, o2): its kvol taps of the cig channels of the
 * group starting at channel c0, into dst (kc elements of es bytes). */
static void im2col_row(const conv_geom *g, const conv_operand *x, size_t es, int64_t r, int64_t c0, char *dst) {
    int64_t o2 = r % g->out[2], t = r / g->out[2];
    int64_t o1 = t % g->out[1];
    t /= g->out[1];
    int64_t o0 = t % g->out[0], n = t / g->out[0];
    const char *xn = x->data + (n * x->sn + c0) * (int64_t)es;
    const int64_t *t0 = g->tab[0] + o0 * g->k[0], *t1 = g->tab[1] + o1 * g->k[1], *t2 = g->tab[2] + o2 * g->k[2];
    size_t run = (size_t)g->cig * es, plane = run * (size_t)(g->k[1] * g->k[2]), line = run * (size_t)g->k[2];
    /* neighbouring taps of dim 2 are neighbouring pixels, whole (all channels) and adjacent in memory */
    bool runs = g->kdil[2] == 1 && g->idil[2] == 1 && g->groups == 1 && x->s[2] == g->cin;
    for (int64_t k0 = 0; k0 < g->k[0]; k0++) {
        int64_t i0 = t0[k0];
        if (i0 < 0) {
            memset(dst, 0, plane);
            dst += plane;
            continue;
        }
        const char *x0 = xn + i0 * x->s[0] * (int64_t)es;
        for (int64_t k1 = 0; k1 < g->k[1]; k1++) {
            int64_t i1 = t1[k1];
            if (i1 < 0) {
                memset(dst, 0, line);
                dst += line;
                continue;
            }
            const char *x1 = x0 + i1 * x->s[1] * (int64_t)es;
            if (runs) {
                /* the taps along dim 2 read consecutive pixels: one copy of the valid ones */
                int64_t first = o2 * g->stride[2] - g->lo[2];
                int64_t a = first < 0 ? -first : 0, b = g->in[2] - first;
                a = a < g->k[2] ? a : g->k[2];
                b = b < a ? a : b < g->k[2] ? b : g->k[2];
                memset(dst, 0, run * (size_t)a);
                if (b > a)
                    memcpy(dst + run * (size_t)a, x1 + (first + a) * x->s[2] * (int64_t)es, run * (size_t)(b - a));
                memset(dst + run * (size_t)b, 0, run * (size_t)(g->k[2] - b));
                dst += line;
                continue;
            }
            for (int64_t k2 = 0; k2 < g->k[2]; k2++) {
                int64_t i2 = t2[k2];
                if (i2 < 0)
                    memset(dst, 0, run);
                else
                    memcpy(dst, x1 + i2 * x->s[2] * (int64_t)es, run);
                dst += run;
            }
        }
    }
}

/* ---- forward: im2col + GEMM by tiles ---------------------------------------------------------------- */
typedef struct fwd_ctx {
    const conv_geom *g;
    const conv_operand *x;
    const char *w; /* (C_out, kc) row-major */
    mx_dtype ct, out_dtype;
    size_t es;
    char *out; /* (rows, C_out) */
    tiling t;
    char *scratch;
    int64_t slot_bytes;
} fwd_ctx;

static void fwd_tiles(int64_t begin, int64_t end, void *vctx) {
    const fwd_ctx *c = vctx;
    const conv_geom *g = c->g;
    int64_t es = (int64_t)c->es;
    bool direct = c->out_dtype == c->ct;
    char *cols = c->scratch + slot_id(c->t.slots) * c->slot_bytes;
    char *ctile = cols + c->t.tile_rows * g->kc * es;
    for (int64_t tile = begin; tile < end; tile++) {
        int64_t r0 = tile * c->t.tile_rows, nr = g->rows - r0 < c->t.tile_rows ? g->rows - r0 : c->t.tile_rows;
        char *dst = direct ? c->out + r0 * g->cout * es : ctile;
        for (int64_t grp = 0; grp < g->groups; grp++) {
            for (int64_t i = 0; i < nr; i++)
                im2col_row(g, c->x, c->es, r0 + i, grp * g->cig, cols + i * g->kc * es);
            gemm(c->ct, false, true, nr, g->cog, g->kc, cols, g->kc, c->w + grp * g->cog * g->kc * es, g->kc, false,
                 dst + grp * g->cog * es, g->cout);
        }
        if (!direct)
            cpu_convert_run(c->out + r0 * g->cout * (int64_t)mx_dtype_size(c->out_dtype), c->out_dtype,
                            (int64_t)mx_dtype_size(c->out_dtype), ctile, c->ct, es, nr * g->cout);
    }
}

static mx_status conv_im2col(const conv_geom *g, const conv_operand *x, const conv_operand *w, mx_dtype ct,
                             mx_node *out) {
    size_t es = mx_dtype_size(ct);
    bool direct = out->dtype == ct;
    fwd_ctx c = {.g = g, .x = x, .w = w->data, .ct = ct, .out_dtype = out->dtype, .es = es, .out = mx_node_data(out)};
    c.t = plan_tiles(g->rows, g->kc * (int64_t)es);
    c.slot_bytes = c.t.tile_rows * (g->kc + (direct ? 0 : g->cout)) * (int64_t)es;
    if (!fits_blas(g->kc) || !fits_blas(g->cout) || !fits_blas(c.t.tile_rows))
        return mx_set_error(MX_ERROR_VALUE, "conv: the im2col matrix (%lld x %lld) exceeds BLAS's 32-bit limit",
                            (long long)g->rows, (long long)g->kc);
    mx_buffer *scratch = mx_buffer_alloc((size_t)(c.slot_bytes * c.t.slots), "conv");
    if (!scratch)
        return mx_last_status();
    c.scratch = scratch->ptr;
    run_tiles(&c.t, fwd_tiles, &c);
    mx_buffer_release(scratch);
    return MX_OK;
}

/* ---- forward: 1x1 kernels at unit stride, no padding: the input is the im2col matrix ------------------- */
static bool is_pointwise(const conv_geom *g) {
    for (int j = 0; j < 3; j++)
        if (g->k[j] != 1 || g->stride[j] != 1 || g->lo[j] != 0 || g->idil[j] != 1 || g->out[j] != g->in[j])
            return false;
    return true;
}

typedef struct pointwise_ctx {
    const conv_geom *g;
    const conv_operand *x, *w;
    mx_dtype ct;
    char *out;
    int64_t tile_rows;
} pointwise_ctx;

static void pointwise_tiles(int64_t begin, int64_t end, void *vctx) {
    const pointwise_ctx *c = vctx;
    const conv_geom *g = c->g;
    int64_t es = (int64_t)mx_dtype_size(c->ct);
    for (int64_t tile = begin; tile < end; tile++) {
        int64_t r0 = tile * c->tile_rows, nr = g->rows - r0 < c->tile_rows ? g->rows - r0 : c->tile_rows;
        for (int64_t grp = 0; grp < g->groups; grp++)
            gemm(c->ct, false, true, nr, g->cog, g->cig, c->x->data + (r0 * g->cin + grp * g->cig) * es, g->cin,
                 c->w->data + grp * g->cog * g->cig * es, g->cig, false, c->out + (r0 * g->cout + grp * g->cog) * es,
                 g->cout);
    }
}

/* Row tiles of the input straight into GEMMs, like the im2col tiles without the copy. */
static mx_status conv_pointwise(const conv_geom *g, const conv_operand *x, const conv_operand *w, mx_dtype ct,
                                mx_node *out) {
    if (!fits_blas(g->rows) || !fits_blas(g->cin) || !fits_blas(g->cout))
        return mx_set_error(MX_ERROR_VALUE, "conv: the matrix (%lld x %lld) exceeds BLAS's 32-bit limit",
                            (long long)g->rows, (long long)g->cin);
    pointwise_ctx c = {g, x, w, ct, mx_node_data(out), 0};
    tiling t = plan_tiles(g->rows, g->cin * (int64_t)mx_dtype_size(ct));
    c.tile_rows = t.tile_rows;
    run_tiles(&t, pointwise_tiles, &c);
    return MX_OK;
}

/* ---- forward: depthwise (one input and one output channel per group) ----------------------------------- */
typedef struct dw_ctx {
    const conv_geom *g;
    const conv_operand *x;
    const char *wt; /* (kvol, C) in ct: the weight transposed */
    mx_dtype ct, out_dtype;
    char *out;
    char *scratch; /* per slot: one row of C in ct (when out_dtype != ct) */
    int slots;
} dw_ctx;

#define DEPTHWISE_ROWS(T, name)                                                                                        \
    static void name(int64_t begin, int64_t end, void *vctx) {                                                         \
        const dw_ctx *c = vctx;                                                                                        \
        const conv_geom *g = c->g;                                                                                     \
        int64_t C = g->cout;                                                                                           \
        bool direct = c->out_dtype == c->ct;                                                                           \
        T *tmp = (T *)c->scratch + (direct ? 0 : slot_id(c->slots) * C);                                               \
        size_t out_es = mx_dtype_size(c->out_dtype);                                                                   \
        const T *wt = (const T *)c->wt;                                                                                \
        for (int64_t r = begin; r < end; r++) {                                                                        \
            int64_t o2 = r % g->out[2], q = r / g->out[2];                                                             \
            int64_t o1 = q % g->out[1];                                                                                \
            q /= g->out[1];                                                                                            \
            int64_t o0 = q % g->out[0], n = q / g->out[0];                                                             \
            T *restrict acc = direct ? (T *)c->out + r * C : tmp;                                                      \
            for (int64_t ch = 0; ch < C; ch++)                                                                         \
                acc[ch] = 0;                                                                                           \
            const T *xn = (const T *)c->x->data + n * c->x->sn;                                                        \
            for (int64_t k0 = 0; k0 < g->k[0]; k0++) {                                                                 \
                int64_t i0 = g->tab[0][o0 * g->k[0] + k0];                                                             \
                if (i0 < 0)                                                                                            \
                    continue;                                                                                          \
                for (int64_t k1 = 0; k1 < g->k[1]; k1++) {                                                             \
                    int64_t i1 = g->tab[1][o1 * g->k[1] + k1];                                                         \
                    if (i1 < 0)                                                                                        \
                        continue;                                                                                      \
                    for (int64_t k2 = 0; k2 < g->k[2]; k2++) {                                                         \
                        int64_t i2 = g->tab[2][o2 * g->k[2] + k2];                                                     \
                        if (i2 < 0)                                                                                    \
                            continue;                                                                                  \
                        const T *restrict xr = xn + i0 * c->x->s[0] + i1 * c->x->s[1] + i2 * c->x->s[2];               \
                        const T *restrict wk = wt + ((k0 * g->k[1] + k1) * g->k[2] + k2) * C;                          \
                        for (int64_t ch = 0; ch < C; ch++)                                                             \
                            acc[ch] += xr[ch] * wk[ch];                                                                \
                    }                                                                                                  \
                }                                                                                                      \
            }                                                                                                          \
            if (!direct)                                                                                               \
                cpu_convert_run(c->out + r * C * (int64_t)out_es, c->out_dtype, (int64_t)out_es, (const char *)tmp,    \
                                c->ct, (int64_t)sizeof(T), C);                                                         \
        }                                                                                                              \
    }

DEPTHWISE_ROWS(float, depthwise_rows_f32)
DEPTHWISE_ROWS(double, depthwise_rows_f64)

static bool is_depthwise(const conv_geom *g, mx_dtype ct) {
    return g->cig == 1 && g->cog == 1 && (ct == MX_FLOAT32 || ct == MX_FLOAT64);
}

static mx_status conv_depthwise(const conv_geom *g, const conv_operand *x, const conv_operand *w, mx_dtype ct,
                                mx_node *out) {
    size_t es = mx_dtype_size(ct);
    int threads = cpu_num_threads();
    /* w (C, kvol) -> (kvol, C) so that a tap's weights are contiguous like the channels */
    mx_buffer *wt = mx_buffer_alloc((size_t)(g->kvol * g->cout) * es, "conv");
    mx_buffer *tmp = wt ? mx_buffer_alloc((size_t)(threads * g->cout) * es, "conv") : NULL;
    if (!tmp) {
        mx_buffer_release(wt);
        return mx_last_status();
    }
    for (int64_t ch = 0; ch < g->cout; ch++)
        for (int64_t t = 0; t < g->kvol; t++)
            memcpy((char *)wt->ptr + (t * g->cout + ch) * (int64_t)es, w->data + (ch * g->kvol + t) * (int64_t)es, es);
    dw_ctx c = {g, x, wt->ptr, ct, out->dtype, mx_node_data(out), tmp->ptr, threads};
    /* chunks of at least ~8K multiply-adds, about 8 per thread */
    int64_t grain = (CPU_ELEMENTWISE_GRAIN / 4) / (g->cout * g->kvol > 0 ? g->cout * g->kvol : 1) + 1;
    int64_t chunk = g->rows / (8 * (int64_t)threads) > grain ? g->rows / (8 * (int64_t)threads) : grain;
    cpu_parallel_chunks(g->rows, chunk, ct == MX_FLOAT32 ? depthwise_rows_f32 : depthwise_rows_f64, &c);
    mx_buffer_release(wt);
    mx_buffer_release(tmp);
    return MX_OK;
}

/* ---- forward with input dilation and unit strides: GEMM per input row, gather per output row ---------- */
typedef struct col2im_ctx {
    const conv_geom *g;
    const char *y; /* (ivol, G, kvol, cog) of one image, in ct */
    mx_dtype ct, out_dtype;
    int64_t lanes; /* real numbers per element: 2 for complex64 */
    char *out;     /* the image's (ovol, C_out) rows */
    char *scratch; /* per slot: one row of C_out in ct */
    int slots;
} col2im_ctx;

#define GATHER_ROWS(T, name)                                                                                           \
    static void name(int64_t begin, int64_t end, void *vctx) {                                                         \
        const col2im_ctx *c = vctx;                                                                                    \
        const conv_geom *g = c->g;                                                                                     \
        int64_t L = c->lanes, C = g->cout * L, cog = g->cog * L, kvol = g->kvol;                                       \
        bool direct = c->out_dtype == c->ct;                                                                           \
        T *tmp = (T *)c->scratch + (direct ? 0 : slot_id(c->slots) * C);                                               \
        size_t out_es = mx_dtype_size(c->out_dtype);                                                                   \
        const T *y = (const T *)c->y;                                                                                  \
        int64_t yrow = g->groups * kvol * cog; /* reals per input row of y */                                          \
        for (int64_t r = begin; r < end; r++) {                                                                        \
            int64_t o2 = r % g->out[2], q = r / g->out[2];                                                             \
            int64_t o1 = q % g->out[1], o0 = q / g->out[1];                                                            \
            T *restrict acc = direct ? (T *)c->out + r * C : tmp;                                                      \
            for (int64_t i = 0; i < C; i++)                                                                            \
                acc[i] = 0;                                                                                            \
            for (int64_t k0 = 0; k0 < g->k[0]; k0++) {                                                                 \
                int64_t i0 = g->tab[0][o0 * g->k[0] + k0];                                                             \
                if (i0 < 0)                                                                                            \
                    continue;                                                                                          \
                for (int64_t k1 = 0; k1 < g->k[1]; k1++) {                                                             \
                    int64_t i1 = g->tab[1][o1 * g->k[1] + k1];                                                         \
                    if (i1 < 0)                                                                                        \
                        continue;                                                                                      \
                    for (int64_t k2 = 0; k2 < g->k[2]; k2++) {                                                         \
                        int64_t i2 = g->tab[2][o2 * g->k[2] + k2];                                                     \
                        if (i2 < 0)                                                                                    \
                            continue;                                                                                  \
                        int64_t tap = (k0 * g->k[1] + k1) * g->k[2] + k2;                                              \
                        const T *yi = y + ((i0 * g->in[1] + i1) * g->in[2] + i2) * yrow + tap * cog;                   \
                        for (int64_t grp = 0; grp < g->groups; grp++) {                                                \
                            const T *restrict src = yi + grp * kvol * cog;                                             \
                            T *restrict dst = acc + grp * cog;                                                         \
                            for (int64_t i = 0; i < cog; i++)                                                          \
                                dst[i] += src[i];                                                                      \
                        }                                                                                              \
                    }                                                                                                  \
                }                                                                                                      \
            }                                                                                                          \
            if (!direct)                                                                                               \
                cpu_convert_run(c->out + r * g->cout * (int64_t)out_es, c->out_dtype, (int64_t)out_es,                 \
                                (const char *)tmp, c->ct, (int64_t)(sizeof(T) * L), g->cout);                          \
        }                                                                                                              \
    }

GATHER_ROWS(float, gather_rows_f32)
GATHER_ROWS(double, gather_rows_f64)

static bool use_col2im(const conv_geom *g, mx_dtype ct) {
    bool dilated = false;
    for (int j = 0; j < 3; j++) {
        if (g->stride[j] != 1)
            return false;
        dilated = dilated || g->idil[j] > 1;
    }
    int64_t bytes = g->ivol * g->kvol * g->cout * (int64_t)mx_dtype_size(ct);
    return dilated && g->cig > 0 && bytes <= CONV_COL2IM_MAX_BYTES && fits_blas(g->ivol) &&
           fits_blas(g->kvol * g->cout);
}

typedef struct col2im_job {
    const conv_geom *g;
    const conv_operand *x;
    const char *wp; /* (G, kvol, cog, cig) */
    mx_dtype ct, out_dtype;
    char *out;
    char *ybuf; /* per slot: Y of one image */
    int64_t ybytes;
    char *tmp; /* per thread: one output row */
    int threads;
} col2im_job;

/* One image: Y (ivol, G * kvol * cog) = x_n (ivol, cig) @ wp^T per group, then
 * every output row gathers the taps that reach it. */
static void col2im_image(const col2im_job *j, int64_t n, char *y, bool parallel_gather) {
    const conv_geom *g = j->g;
    int64_t es = (int64_t)mx_dtype_size(j->ct), kvol = g->kvol, cog = g->cog, cig = g->cig;
    const char *xn = j->x->data + n * j->x->sn * es;
    for (int64_t grp = 0; grp < g->groups; grp++)
        gemm(j->ct, false, true, g->ivol, kvol * cog, cig, xn + grp * cig * es, g->cin,
             j->wp + grp * kvol * cog * cig * es, cig, false, y + grp * kvol * cog * es, g->groups * kvol * cog);
    col2im_ctx c = {g,
                    y,
                    j->ct,
                    j->out_dtype,
                    j->ct == MX_COMPLEX64 ? 2 : 1,
                    j->out + n * g->ovol * g->cout * (int64_t)mx_dtype_size(j->out_dtype),
                    j->tmp,
                    j->threads};
    cpu_range_fn gather = j->ct == MX_FLOAT64 ? gather_rows_f64 : gather_rows_f32;
    if (parallel_gather) {
        int64_t grain = (CPU_ELEMENTWISE_GRAIN / 4) / (g->cout * kvol) + 1, per = g->ovol / (8 * (int64_t)j->threads);
        cpu_parallel_chunks(g->ovol, per > grain ? per : grain, gather, &c);
    } else
        gather(0, g->ovol, &c);
}

static void col2im_images(int64_t begin, int64_t end, void *vctx) {
    const col2im_job *j = vctx;
    char *y = j->ybuf + slot_id(j->threads) * j->ybytes;
    for (int64_t n = begin; n < end; n++)
        col2im_image(j, n, y, false);
}

static mx_status conv_col2im(const conv_geom *g, const conv_operand *x, const conv_operand *w, mx_dtype ct,
                             mx_node *out) {
    int64_t es = (int64_t)mx_dtype_size(ct), kvol = g->kvol, cog = g->cog, cig = g->cig;
    int threads = cpu_num_threads();
    /* images spread over the threads (one BLAS thread each) when there are
     * enough of them: one parallel region instead of two per image */
    bool by_image = threads > 1 && g->n >= threads;
    int64_t ybytes = g->ivol * kvol * g->cout * es, yslots = by_image ? threads : 1;
    /* weight rows (g, tap, co) of cig channels: w (C_out, kvol, cig) regrouped */
    mx_buffer *wp = mx_buffer_alloc((size_t)(g->cout * kvol * cig * es), "conv");
    mx_buffer *y = wp ? mx_buffer_alloc((size_t)(yslots * ybytes), "conv") : NULL;
    mx_buffer *tmp = y ? mx_buffer_alloc((size_t)(threads * g->cout * es), "conv") : NULL;
    if (!tmp) {
        mx_buffer_release(wp);
        mx_buffer_release(y);
        return mx_last_status();
    }
    for (int64_t grp = 0; grp < g->groups; grp++)
        for (int64_t t = 0; t < kvol; t++)
            for (int64_t co = 0; co < cog; co++)
                memcpy((char *)wp->ptr + (((grp * kvol + t) * cog + co) * cig) * es,
                       w->data + (((grp * cog + co) * kvol + t) * cig) * es, (size_t)(cig * es));
    col2im_job j = {g, x, wp->ptr, ct, out->dtype, mx_node_data(out), y->ptr, ybytes, tmp->ptr, threads};
    if (by_image) {
        cpu_parallel_chunks(g->n, 1, col2im_images, &j);
    } else {
        for (int64_t n = 0; n < g->n; n++)
            col2im_image(&j, n, y->ptr, true);
    }
    mx_buffer_release(wp);
    mx_buffer_release(y);
    mx_buffer_release(tmp);
    return MX_OK;
}

/* ---- the conv kernel -------------------------------------------------------------------------------- */
/* out (N, O..., C_out) = conv(x (N, S..., C_in), w (C_out, K..., C_in/G)). */
static mx_status conv_kernel(mx_node *out) {
    const mx_node *x = out->inputs[0], *w = out->inputs[1];
    const mx_conv_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    conv_geom g;
    st = geom_init(&g, p, x->shape, w->shape, out->shape);
    if (st != MX_OK) {
        geom_free(&g);
        return st;
    }
    if (g.cig == 0) { /* an empty sum */
        memset(mx_node_data(out), 0, (size_t)out->size * mx_dtype_size(out->dtype));
        geom_free(&g);
        return MX_OK;
    }
    mx_dtype ct = compute_dtype(out->dtype);
    bool pointwise = is_pointwise(&g), depthwise = !pointwise && is_depthwise(&g, ct);
    bool col2im = !pointwise && !depthwise && use_col2im(&g, ct);
    conv_operand xo = {0}, wo = {0};
    st = prepare_operand(x, p->nspatial, ct, pointwise || col2im, &xo);
    if (st == MX_OK)
        st = prepare_weight(w, ct, p->flip, g.kvol, &wo);
    if (st == MX_OK) {
        if (pointwise && out->dtype == ct)
            st = conv_pointwise(&g, &xo, &wo, ct, out);
        else if (depthwise)
            st = conv_depthwise(&g, &xo, &wo, ct, out);
        else if (col2im)
            st = conv_col2im(&g, &xo, &wo, ct, out);
        else
            st = conv_im2col(&g, &xo, &wo, ct, out);
    }
    mx_buffer_release(xo.scratch);
    mx_buffer_release(wo.scratch);
    geom_free(&g);
    return st;
}

/* ---- the weight gradient ---------------------------------------------------------------------------- */
typedef struct wgrad_ctx {
    const conv_geom *g;
    const conv_operand *x;
    const char *cot; /* (rows, C_out) row-major in ct */
    mx_dtype ct;
    size_t es;
    tiling t;
    char *scratch; /* per slot: the accumulator (C_out, kc), then the im2col tile */
    int64_t slot_bytes;
} wgrad_ctx;

static void wgrad_tiles(int64_t begin, int64_t end, void *vctx) {
    const wgrad_ctx *c = vctx;
    const conv_geom *g = c->g;
    int64_t es = (int64_t)c->es;
    char *acc = c->scratch + slot_id(c->t.slots) * c->slot_bytes;
    char *cols = acc + g->cout * g->kc * es;
    for (int64_t tile = begin; tile < end; tile++) {
        int64_t r0 = tile * c->t.tile_rows, nr = g->rows - r0 < c->t.tile_rows ? g->rows - r0 : c->t.tile_rows;
        for (int64_t grp = 0; grp < g->groups; grp++) {
            for (int64_t i = 0; i < nr; i++)
                im2col_row(g, c->x, c->es, r0 + i, grp * g->cig, cols + i * g->kc * es);
            /* acc_g (cog, kc) += cot_tile^T (cog, nr) @ cols (nr, kc) */
            gemm(c->ct, true, false, g->cog, g->kc, nr, c->cot + (r0 * g->cout + grp * g->cog) * es, g->cout, cols,
                 g->kc, true, acc + grp * g->cog * g->kc * es, g->kc);
        }
    }
}

typedef struct sum_ctx {
    char *dst;
    const char *src;
    int nsrc;
    int64_t stride; /* reals between sources */
    bool f64;
} sum_ctx;

static void sum_slots(int64_t begin, int64_t end, void *vctx) {
    const sum_ctx *c = vctx;
    for (int s = 1; s < c->nsrc; s++) {
        if (c->f64) {
            double *restrict d = (double *)c->dst;
            const double *restrict a = (const double *)c->src + s * c->stride;
            for (int64_t i = begin; i < end; i++)
                d[i] += a[i];
        } else {
            float *restrict d = (float *)c->dst;
            const float *restrict a = (const float *)c->src + s * c->stride;
            for (int64_t i = begin; i < end; i++)
                d[i] += a[i];
        }
    }
}

/* out (C_out, K..., C_in/G) = dW of conv(x, w) for the output cotangent cot (N, O..., C_out). */
static mx_status conv_weight_grad_kernel(mx_node *out) {
    const mx_node *x = out->inputs[0], *cot = out->inputs[1];
    const mx_conv_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    conv_geom g;
    st = geom_init(&g, p, x->shape, out->shape, cot->shape);
    if (st != MX_OK) {
        geom_free(&g);
        return st;
    }
    mx_dtype ct = compute_dtype(out->dtype);
    size_t es = mx_dtype_size(ct);
    if (g.rows == 0) {
        memset(mx_node_data(out), 0, (size_t)out->size * mx_dtype_size(out->dtype));
        geom_free(&g);
        return MX_OK;
    }
    if (!fits_blas(g.kc) || !fits_blas(g.cout) || !fits_blas(g.rows)) {
        geom_free(&g);
        return mx_set_error(MX_ERROR_VALUE, "conv: the im2col matrix (%lld x %lld) exceeds BLAS's 32-bit limit",
                            (long long)g.rows, (long long)g.kc);
    }
    bool pointwise = is_pointwise(&g);
    conv_operand xo = {0}, co = {0};
    mx_buffer *scratch = NULL, *acc_buf = NULL;
    st = prepare_operand(x, p->nspatial, ct, pointwise, &xo);
    if (st == MX_OK)
        st = prepare_operand(cot, p->nspatial, ct, true, &co);
    int64_t wsize = g.cout * g.kc;
    int nslots = 1;
    if (st == MX_OK && pointwise) {
        /* dW_g (cog, cig) = cot_g^T (cog, rows) @ x_g (rows, cig) */
        acc_buf = mx_buffer_alloc((size_t)wsize * es, "conv");
        st = acc_buf ? MX_OK : mx_last_status();
        for (int64_t grp = 0; st == MX_OK && grp < g.groups; grp++)
            gemm(ct, true, false, g.cog, g.cig, g.rows, co.data + grp * g.cog * (int64_t)es, g.cout,
                 xo.data + grp * g.cig * (int64_t)es, g.cin, false, (char *)acc_buf->ptr + grp * g.cog * g.cig * es,
                 g.cig);
    } else if (st == MX_OK) {
        wgrad_ctx c = {.g = &g, .x = &xo, .cot = co.data, .ct = ct, .es = es};
        c.t = plan_tiles(g.rows, g.kc * (int64_t)es);
        c.slot_bytes = (wsize + c.t.tile_rows * g.kc) * (int64_t)es;
        scratch = mx_buffer_alloc((size_t)(c.slot_bytes * c.t.slots), "conv");
        st = scratch ? MX_OK : mx_last_status();
        if (st == MX_OK) {
            c.scratch = scratch->ptr;
            for (int s = 0; s < c.t.slots; s++)
                memset(c.scratch + s * c.slot_bytes, 0, (size_t)wsize * es);
            run_tiles(&c.t, wgrad_tiles, &c);
            nslots = c.t.slots;
            /* the slots' accumulators: summed into the first */
            int64_t lanes = ct == MX_COMPLEX64 ? 2 : 1;
            sum_ctx sc = {c.scratch, c.scratch, nslots, c.slot_bytes / (int64_t)(ct == MX_FLOAT64 ? 8 : 4),
                          ct == MX_FLOAT64};
            if (nslots > 1)
                cpu_parallel_for(wsize * lanes, CPU_ELEMENTWISE_GRAIN, sum_slots, &sc);
        }
    }
    if (st == MX_OK) {
        const char *acc = pointwise ? acc_buf->ptr : scratch->ptr;
        /* out[co][t][ci] = acc[co][flip ? kvol-1-t : t][ci], converted */
        size_t out_es = mx_dtype_size(out->dtype);
        char *o = mx_node_data(out);
        for (int64_t c_out = 0; c_out < g.cout; c_out++)
            for (int64_t t = 0; t < g.kvol; t++) {
                int64_t src_t = g.flip ? g.kvol - 1 - t : t;
                cpu_convert_run(o + ((c_out * g.kvol + t) * g.cig) * (int64_t)out_es, out->dtype, (int64_t)out_es,
                                acc + ((c_out * g.kvol + src_t) * g.cig) * (int64_t)es, ct, (int64_t)es, g.cig);
            }
    }
    mx_buffer_release(scratch);
    mx_buffer_release(acc_buf);
    mx_buffer_release(xo.scratch);
    mx_buffer_release(co.scratch);
    geom_free(&g);
    return st;
}

void cpu_register_conv(mx_backend *b) {
    b->kernels[MX_OP_conv] = conv_kernel;
    b->kernels[MX_OP_conv_weight_grad] = conv_weight_grad_kernel;
}
