/* backend/cpu/quantize.c - CPU kernels of the quantize family (src/ops/quantize.c).
 *
 * Packed rows are little-endian bit streams of `bits`-wide values (MLX's
 * layout, see include/cmlx/quantize.h); a group starts on a word boundary
 * because group_size * bits is a multiple of 32.
 *
 * quantized_matmul / gather_qmm compute in float32:
 *   transpose, few rows (decode, M <= QMV_MAX_ROWS): fused, no dequantized
 *     matrix: per output column and group, sum_k x_k (s q_k + b) =
 *     s * dot(x, q) + b * sum(x), with q unpacked into a 128-float buffer;
 *     threads split the output columns.
 *   otherwise: tiles of the weight are dequantized into a per-thread float
 *     buffer and multiplied with one sgemm each (one BLAS thread per tile,
 *     tiles spread over our threads). */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/quantize.h"

#define QMV_MAX_ROWS 8
#define QMM_TILE_BYTES (512 * 1024)

/* ---- operands ------------------------------------------------------------------------------------ */
static void convert_run_fn(char **ptrs, const int64_t *strides, int64_t n, void *ctx) {
    const mx_dtype *dt = ctx;
    cpu_convert_run(ptrs[0], dt[0], strides[0], ptrs[1], dt[1], strides[1], n);
}

/* src's elements row-contiguous in `dtype`: its own data when it already is,
 * else a malloc'd copy returned in *owned (free it). NULL on OOM (error set). */
static void *contiguous_as(const mx_node *src, mx_dtype dtype, void **owned) {
    *owned = NULL;
    if (mx_node_is_row_contiguous(src) && src->dtype == dtype)
        return mx_node_data(src);
    size_t bytes = (size_t)src->size * mx_dtype_size(dtype);
    void *buf = malloc(bytes ? bytes : 1);
    if (!buf) {
        mx_set_error(MX_ERROR_MEMORY, "quantize: out of memory for a %zu-byte copy", bytes);
        return NULL;
    }
    if (src->size > 0) {
        int64_t rs[MX_MAX_NDIM];
        mx_row_strides(src->shape, src->ndim, rs);
        cpu_operand ops[2] = {{(char *)buf, rs, mx_dtype_size(dtype)}, cpu_operand_of(src)};
        mx_dtype dts[2] = {dtype, src->dtype};
        cpu_foreach(ops, 2, src->shape, src->ndim, CPU_ELEMENTWISE_GRAIN, convert_run_fn, dts);
    }
    *owned = buf;
    return buf;
}

static float load_f(const void *p, mx_dtype dt, int64_t i) {
    switch (dt) {
    case MX_FLOAT16: return mx_f16_to_f32(((const uint16_t *)p)[i]);
    case MX_BFLOAT16: return mx_bf16_to_f32(((const uint16_t *)p)[i]);
    default: return ((const float *)p)[i];
    }
}

/* Round a float to dtype and back (f32: unchanged). */
static inline float round_to(float v, mx_dtype dt) {
    if (dt == MX_FLOAT16)
        return mx_f16_to_f32(mx_f32_to_f16(v));
    if (dt == MX_BFLOAT16)
        return mx_bf16_to_f32(mx_f32_to_bf16(v));
    return v;
}

/* ---- unpacking ----------------------------------------------------------------------------------- */
/* n values (n a multiple of 32) of a bit stream starting at word `words` into q. */
static inline void unpack_pow2(const uint32_t *words, int64_t n, int bits, float *q) {
    const int per = 32 / bits;
    const uint32_t mask = (1u << bits) - 1u;
    for (int64_t w = 0; w < n / per; w++) {
        uint32_t v = words[w];
        for (int t = 0; t < per; t++)
            q[w * per + t] = (float)((v >> (t * bits)) & mask);
    }
}

static void unpack(const uint32_t *words, int64_t n, int bits, float *q) {
    switch (bits) {
    case 1: unpack_pow2(words, n, 1, q); return;
    case 2: unpack_pow2(words, n, 2, q); return;
    case 4: unpack_pow2(words, n, 4, q); return;
    case 8: unpack_pow2(words, n, 8, q); return;
    default: break;
    }
    /* 3, 5, 6 bits: 32 values fill `bits` words exactly; read via 64 bits */
    const uint64_t mask = (1u << bits) - 1u;
    for (int64_t c = 0; c < n / 32; c++) {
        const uint32_t *wp = words + c * bits;
        for (int i = 0; i < 32; i++) {
            int pos = i * bits, wi = pos >> 5, off = pos & 31;
            uint64_t v = wp[wi];
            if (off + bits > 32)
                v |= (uint64_t)wp[wi + 1] << 32;
            q[c * 32 + i] = (float)((v >> off) & mask);
        }
    }
}

/* ---- quantize ------------------------------------------------------------------------------------ */
typedef struct quant_ctx {
    const void *w;
    mx_dtype dt;
    float *stats; /* (groups, 2) */
    uint32_t *packed;
    int gs, bits;
    int64_t k; /* row length */
} quant_ctx;

/* stats (..., G, 2) float32 = [scale, bias] per group of w (..., K): MLX's
 * CPU rule (the edge of larger magnitude is represented exactly). */
static void stats_range(int64_t begin, int64_t end, void *vctx) {
    const quant_ctx *c = vctx;
    const float n_bins = (float)((1 << c->bits) - 1), eps = 1e-7f;
    for (int64_t g = begin; g < end; g++) {
        float wmin = INFINITY, wmax = -INFINITY;
        for (int j = 0; j < c->gs; j++) {
            float v = load_f(c->w, c->dt, g * c->gs + j);
            wmax = fmaxf(wmax, v);
            wmin = fminf(wmin, v);
        }
        float scale, bias;
        if (c->bits == 1) {
            scale = fmaxf(wmax - wmin, eps);
            bias = wmin;
        } else {
            bool mask = fabsf(wmin) > fabsf(wmax);
            scale = fmaxf((wmax - wmin) / n_bins, eps);
            scale = mask ? scale : -scale;
            float edge = mask ? wmin : wmax;
            float q0 = rintf(edge / scale);
            bias = 0;
            if (q0 != 0) {
                scale = edge / q0;
                bias = edge;
            }
        }
        c->stats[2 * g] = scale;
        c->stats[2 * g + 1] = bias;
    }
}

static mx_status stats_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    const mx_node *w = out->inputs[0];
    void *owned;
    const void *wd = contiguous_as(w, w->dtype, &owned);
    if (!wd)
        return mx_last_status();
    quant_ctx c = {.w = wd, .dt = w->dtype, .stats = mx_node_data(out), .gs = p->group_size, .bits = p->bits};
    cpu_parallel_for(out->size / 2, 4096, stats_range, &c);
    free(owned);
    return MX_OK;
}

/* packed (..., K * bits / 32) from w (..., K) and the float32 stats: one row per call. */
static void pack_range(int64_t begin, int64_t end, void *vctx) {
    const quant_ctx *c = vctx;
    const float n_bins = (float)((1 << c->bits) - 1);
    int64_t words = c->k * c->bits / 32, groups = c->k / c->gs;
    for (int64_t r = begin; r < end; r++) {
        uint32_t *dst = c->packed + r * words;
        memset(dst, 0, sizeof(uint32_t) * (size_t)words);
        for (int64_t g = 0; g < groups; g++) {
            const float *st = c->stats + 2 * (r * groups + g);
            float scale = st[0], bias = st[1];
            for (int j = 0; j < c->gs; j++) {
                int64_t i = g * c->gs + j;
                float v = rintf((load_f(c->w, c->dt, r * c->k + i) - bias) / scale);
                v = fminf(fmaxf(v, 0.0f), n_bins);
                uint64_t q = (uint64_t)v;
                int64_t pos = i * c->bits;
                uint64_t sh = q << (pos & 31);
                dst[pos >> 5] |= (uint32_t)sh;
                if ((pos & 31) + c->bits > 32)
                    dst[(pos >> 5) + 1] |= (uint32_t)(sh >> 32);
            }
        }
    }
}

static mx_status pack_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    const mx_node *w = out->inputs[0], *stats = out->inputs[1];
    void *owned_w, *owned_s;
    const void *wd = contiguous_as(w, w->dtype, &owned_w);
    float *sd = wd ? contiguous_as(stats, MX_FLOAT32, &owned_s) : NULL;
    if (!sd) {
        free(owned_w);
        return mx_last_status();
    }
    int64_t k = w->shape[w->ndim - 1];
    quant_ctx c = {.w = wd,
                   .dt = w->dtype,
                   .stats = sd,
                   .packed = mx_node_data(out),
                   .gs = p->group_size,
                   .bits = p->bits,
                   .k = k};
    cpu_parallel_for(w->size / k, (CPU_ELEMENTWISE_GRAIN + k - 1) / k, pack_range, &c);
    free(owned_w);
    free(owned_s);
    return MX_OK;
}

/* ---- dequantize ---------------------------------------------------------------------------------- */
typedef struct deq_ctx {
    const uint32_t *w;
    const void *s, *b;
    void *out;
    mx_dtype dt;
    int gs, bits;
    int64_t k;
} deq_ctx;

/* out (..., R, K) = T(T(s q) + b), rows [begin, end). */
static void deq_range(int64_t begin, int64_t end, void *vctx) {
    const deq_ctx *c = vctx;
    int64_t words = c->k * c->bits / 32, groups = c->k / c->gs;
    float q[128];
    for (int64_t r = begin; r < end; r++) {
        for (int64_t g = 0; g < groups; g++) {
            unpack(c->w + r * words + g * c->gs * c->bits / 32, c->gs, c->bits, q);
            int64_t gi = r * groups + g, o = r * c->k + g * c->gs;
            if (c->dt == MX_FLOAT64) {
                double s = ((const double *)c->s)[gi], b = ((const double *)c->b)[gi];
                double *dst = (double *)c->out + o;
                for (int j = 0; j < c->gs; j++)
                    dst[j] = s * q[j] + b;
                continue;
            }
            float s = load_f(c->s, c->dt, gi), b = load_f(c->b, c->dt, gi);
            if (c->dt == MX_FLOAT32) {
                float *dst = (float *)c->out + o;
                for (int j = 0; j < c->gs; j++)
                    dst[j] = s * q[j] + b;
            } else {
                uint16_t *dst = (uint16_t *)c->out + o;
                for (int j = 0; j < c->gs; j++) {
                    float v = round_to(s * q[j], c->dt) + b;
                    dst[j] = c->dt == MX_FLOAT16 ? mx_f32_to_f16(v) : mx_f32_to_bf16(v);
                }
            }
        }
    }
}

static mx_status dequantize_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    void *ow, *os = NULL, *ob = NULL;
    const uint32_t *w = contiguous_as(out->inputs[0], MX_UINT32, &ow);
    const void *s = w ? contiguous_as(out->inputs[1], out->dtype, &os) : NULL;
    const void *b = s ? contiguous_as(out->inputs[2], out->dtype, &ob) : NULL;
    if (b) {
        int64_t k = out->shape[out->ndim - 1];
        deq_ctx c = {.w = w,
                     .s = s,
                     .b = b,
                     .out = mx_node_data(out),
                     .dt = out->dtype,
                     .gs = p->group_size,
                     .bits = p->bits,
                     .k = k};
        cpu_parallel_for(out->size / k, (CPU_ELEMENTWISE_GRAIN + k - 1) / k, deq_range, &c);
    }
    free(ow);
    free(os);
    free(ob);
    return b ? MX_OK : mx_last_status();
}

/* ---- quantized matmul core ----------------------------------------------------------------------- */
/* One product: out (M, N) float = x (M, K) @ W^T (transpose; W (N, K)) or
 * x @ W (W (K, N)), W = s q + b packed in w with float scales/biases. */
typedef struct qmm_problem {
    const float *x;
    const uint32_t *w;
    const float *s, *b;
    float *out;
    int64_t m, n, k;
    int gs, bits;
    bool transpose;
    const float *xsum; /* (M, K / gs) group sums of x (fused path) */
    float *scratch;    /* per-thread tiles (tiled path) */
    int64_t tile, scratch_stride;
} qmm_problem;

static inline float dot(const float *a, const float *b, int n) {
    float acc[8] = {0};
    for (int i = 0; i < n; i += 8)
        for (int t = 0; t < 8; t++)
            acc[t] += a[i + t] * b[i + t];
    return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

/* Fused decode path: output columns [begin, end). */
static void qmv_range(int64_t begin, int64_t end, void *vctx) {
    const qmm_problem *pr = vctx;
    int64_t groups = pr->k / pr->gs, row_words = pr->k * pr->bits / 32, gwords = (int64_t)pr->gs * pr->bits / 32;
    float q[128];
    for (int64_t n = begin; n < end; n++) {
        float acc[QMV_MAX_ROWS] = {0};
        const uint32_t *wr = pr->w + n * row_words;
        for (int64_t g = 0; g < groups; g++) {
            unpack(wr + g * gwords, pr->gs, pr->bits, q);
            float s = pr->s[n * groups + g], b = pr->b[n * groups + g];
            for (int64_t m = 0; m < pr->m; m++)
                acc[m] += s * dot(pr->x + m * pr->k + g * pr->gs, q, pr->gs) + b * pr->xsum[m * groups + g];
        }
        for (int64_t m = 0; m < pr->m; m++)
            pr->out[m * pr->n + n] = acc[m];
    }
}

/* Tiled path: tiles [begin, end) of `tile` output columns each. */
static void qmm_tiles(int64_t begin, int64_t end, void *vctx) {
    const qmm_problem *pr = vctx;
    int id = cpu_thread_slot(); /* < min(threads, tiles) */
    float *buf = pr->scratch + (int64_t)id * pr->scratch_stride;
    int64_t groups_t = pr->k / pr->gs;                                 /* transpose: groups per W row */
    int64_t groups_n = pr->n / pr->gs, nwords = pr->n * pr->bits / 32; /* non-transposed rows */
    float q[128];
    for (int64_t t = begin; t < end; t++) {
        int64_t n0 = t * pr->tile, nt = pr->n - n0 < pr->tile ? pr->n - n0 : pr->tile;
        if (pr->transpose) {
            /* buf (nt, K): rows n0.. of W */
            for (int64_t r = 0; r < nt; r++) {
                const uint32_t *wr = pr->w + (n0 + r) * (pr->k * pr->bits / 32);
                float *dst = buf + r * pr->k;
                for (int64_t g = 0; g < groups_t; g++) {
                    unpack(wr + g * pr->gs * pr->bits / 32, pr->gs, pr->bits, q);
                    float s = pr->s[(n0 + r) * groups_t + g], b = pr->b[(n0 + r) * groups_t + g];
                    for (int j = 0; j < pr->gs; j++)
                        dst[g * pr->gs + j] = s * q[j] + b;
                }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)pr->m, (int)nt, (int)pr->k, 1.0f, pr->x,
                        (int)pr->k, buf, (int)pr->k, 0.0f, pr->out + n0, (int)pr->n);
        } else {
            /* buf (K, nt): columns n0.. of W (nt a multiple of gs) */
            for (int64_t kk = 0; kk < pr->k; kk++) {
                const uint32_t *wr = pr->w + kk * nwords;
                for (int64_t g = n0 / pr->gs; g < (n0 + nt) / pr->gs; g++) {
                    unpack(wr + g * pr->gs * pr->bits / 32, pr->gs, pr->bits, q);
                    float s = pr->s[kk * groups_n + g], b = pr->b[kk * groups_n + g];
                    float *dst = buf + kk * nt + (g * pr->gs - n0);
                    for (int j = 0; j < pr->gs; j++)
                        dst[j] = s * q[j] + b;
                }
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)pr->m, (int)nt, (int)pr->k, 1.0f, pr->x,
                        (int)pr->k, buf, (int)nt, 0.0f, pr->out + n0, (int)pr->n);
        }
    }
}

static mx_status qmm_run(qmm_problem *pr) {
    if (pr->m == 0 || pr->n == 0)
        return MX_OK;
    if (pr->k == 0) {
        memset(pr->out, 0, sizeof(float) * (size_t)(pr->m * pr->n));
        return MX_OK;
    }
    int64_t groups = pr->k / pr->gs;
    if (pr->transpose && pr->m <= QMV_MAX_ROWS) {
        float xsum[QMV_MAX_ROWS * 64];
        float *xs = pr->m * groups <= (int64_t)(sizeof xsum / sizeof *xsum)
                        ? xsum
                        : malloc(sizeof(float) * (size_t)(pr->m * groups));
        if (!xs)
            return mx_set_error(MX_ERROR_MEMORY, "quantized_matmul: out of memory");
        for (int64_t m = 0; m < pr->m; m++)
            for (int64_t g = 0; g < groups; g++) {
                float acc = 0;
                for (int j = 0; j < pr->gs; j++)
                    acc += pr->x[m * pr->k + g * pr->gs + j];
                xs[m * groups + g] = acc;
            }
        pr->xsum = xs;
        int64_t work = pr->m * pr->k; /* per output column */
        int64_t chunk = 16;
        if (pr->n * work < 65536)
            chunk = pr->n;
        cpu_parallel_chunks(pr->n, chunk, qmv_range, pr);
        if (xs != xsum)
            free(xs);
        return MX_OK;
    }
    /* tiles of about QMM_TILE_BYTES of dequantized weight */
    int64_t tile = QMM_TILE_BYTES / (int64_t)(sizeof(float) * pr->k);
    tile = tile < pr->gs ? pr->gs : tile / pr->gs * pr->gs;
    if (tile > pr->n)
        tile = pr->n;
    int64_t ntiles = (pr->n + tile - 1) / tile;
    int threads = cpu_num_threads();
    if (threads > ntiles)
        threads = (int)ntiles;
    pr->tile = tile;
    pr->scratch_stride = tile * pr->k;
    pr->scratch = malloc(sizeof(float) * (size_t)(pr->scratch_stride * (threads > 0 ? threads : 1)));
    if (!pr->scratch)
        return mx_set_error(MX_ERROR_MEMORY, "quantized_matmul: out of memory for weight tiles");
    cpu_parallel_chunks(ntiles, 1, qmm_tiles, pr); /* scratch slot per thread */
    free(pr->scratch);
    return MX_OK;
}

/* ---- quantized_matmul / gather_qmm kernels ------------------------------------------------------- */
int64_t cpu_broadcast_batch_index(int64_t i, const int64_t *oshape, int nb, const int64_t *bshape, int ob) {
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

static mx_status qmm_kernel(mx_node *out) {
    const mx_quant_params *p = mx_node_params(out);
    bool gather = out->op == &mx_op_gather_qmm;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    const mx_node *x = out->inputs[0], *w = out->inputs[1];
    void *ox = NULL, *ow = NULL, *os = NULL, *ob = NULL, *ol = NULL, *orr = NULL, *oo = NULL;
    const float *xd = contiguous_as(x, MX_FLOAT32, &ox);
    const uint32_t *wd = xd ? contiguous_as(w, MX_UINT32, &ow) : NULL;
    const float *sd = wd ? contiguous_as(out->inputs[2], MX_FLOAT32, &os) : NULL;
    const float *bd = sd ? contiguous_as(out->inputs[3], MX_FLOAT32, &ob) : NULL;
    const uint32_t *li = NULL, *ri = NULL;
    if (bd && gather) {
        li = contiguous_as(out->inputs[4], MX_UINT32, &ol);
        ri = li ? contiguous_as(out->inputs[5], MX_UINT32, &orr) : NULL;
    }
    float *od = out->dtype == MX_FLOAT32 ? mx_node_data(out) : (oo = malloc(sizeof(float) * (size_t)out->size));
    if (!bd || (gather && !ri) || !od) {
        st = od ? mx_last_status() : mx_set_error(MX_ERROR_MEMORY, "quantized_matmul: out of memory");
        goto done;
    }
    int64_t k = x->shape[x->ndim - 1];
    int64_t m = x->ndim >= 2 ? x->shape[x->ndim - 2] : 1;
    int64_t wr = w->shape[w->ndim - 2], wc = w->shape[w->ndim - 1] * 32 / p->bits;
    int64_t n = p->transpose ? wr : wc;
    int64_t w_words = wr * w->shape[w->ndim - 1], g_els = wr * (wc / p->group_size);
    int64_t nbatch = out->size / (m * n);
    qmm_problem pr = {.m = m, .n = n, .k = k, .gs = p->group_size, .bits = p->bits, .transpose = p->transpose};
    if (!gather && w->ndim == 2) { /* one product: x's batch folds into M */
        pr.m = x->size / k;
        pr.x = xd;
        pr.w = wd;
        pr.s = sd;
        pr.b = bd;
        pr.out = od;
        st = qmm_run(&pr);
        goto done;
    }
    int nb = out->ndim - (x->ndim >= 2 ? 2 : 1);
    for (int64_t i = 0; i < nbatch && st == MX_OK; i++) {
        int64_t xi, wi;
        if (gather) {
            xi = li[i];
            wi = ri[i];
            int64_t xcount = x->size / (m * k), wcount = w->size / w_words;
            if (xi >= xcount || wi >= wcount) {
                st = mx_set_error(MX_ERROR_INDEX, "gather_qmm: index out of range (lhs %lld of %lld, rhs %lld of %lld)",
                                  (long long)xi, (long long)xcount, (long long)wi, (long long)wcount);
                break;
            }
        } else {
            xi = cpu_broadcast_batch_index(i, out->shape, nb, x->shape, x->ndim >= 2 ? x->ndim - 2 : 0);
            wi = cpu_broadcast_batch_index(i, out->shape, nb, w->shape, w->ndim - 2);
        }
        pr.m = m;
        pr.x = xd + xi * m * k;
        pr.w = wd + wi * w_words;
        pr.s = sd + wi * g_els;
        pr.b = bd + wi * g_els;
        pr.out = od + i * m * n;
        st = qmm_run(&pr);
    }
done:
    if (st == MX_OK && oo)
        cpu_convert_run(mx_node_data(out), out->dtype, (int64_t)mx_dtype_size(out->dtype), (const char *)oo, MX_FLOAT32,
                        sizeof(float), out->size);
    free(ox);
    free(ow);
    free(os);
    free(ob);
    free(ol);
    free(orr);
    free(oo);
    return st;
}

/* ---- gather_mm ----------------------------------------------------------------------------------- */
/* out (batch..., M, N): out[i] = a[lhs[i]] @ b[rhs[i]], in float32 (float64 for float64). */
static mx_status gather_mm_kernel(mx_node *out) {
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    const mx_node *a = out->inputs[0], *b = out->inputs[1];
    bool dbl = out->dtype == MX_FLOAT64;
    mx_dtype ct = dbl ? MX_FLOAT64 : MX_FLOAT32;
    size_t es = mx_dtype_size(ct);
    void *oa = NULL, *ob = NULL, *ol = NULL, *orr = NULL, *oo = NULL;
    const char *ad = contiguous_as(a, ct, &oa);
    const char *bd = ad ? contiguous_as(b, ct, &ob) : NULL;
    const uint32_t *li = bd ? contiguous_as(out->inputs[2], MX_UINT32, &ol) : NULL;
    const uint32_t *ri = li ? contiguous_as(out->inputs[3], MX_UINT32, &orr) : NULL;
    char *od = out->dtype == ct ? mx_node_data(out) : (oo = malloc(es * (size_t)out->size));
    if (!ri || !od) {
        st = od ? mx_last_status() : mx_set_error(MX_ERROR_MEMORY, "gather_mm: out of memory");
        goto done;
    }
    int64_t m = a->shape[a->ndim - 2], k = a->shape[a->ndim - 1], n = b->shape[b->ndim - 1];
    int64_t acount = a->size / (m * k > 0 ? m * k : 1), bcount = b->size / (k * n > 0 ? k * n : 1);
    int64_t nbatch = out->size / (m * n);
    for (int64_t i = 0; i < nbatch; i++) {
        int64_t ai = li[i], bi = ri[i];
        if ((m * k > 0 && ai >= acount) || (k * n > 0 && bi >= bcount)) {
            st = mx_set_error(MX_ERROR_INDEX, "gather_mm: index out of range (lhs %lld of %lld, rhs %lld of %lld)",
                              (long long)ai, (long long)acount, (long long)bi, (long long)bcount);
            break;
        }
        char *o = od + (size_t)(i * m * n) * es;
        if (k == 0) {
            memset(o, 0, (size_t)(m * n) * es);
            continue;
        }
        const char *ap = ad + (size_t)(ai * m * k) * es, *bp = bd + (size_t)(bi * k * n) * es;
        if (dbl)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0, (const double *)ap,
                        (int)k, (const double *)bp, (int)n, 0.0, (double *)o, (int)n);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, (const float *)ap,
                        (int)k, (const float *)bp, (int)n, 0.0f, (float *)o, (int)n);
    }
done:
    if (st == MX_OK && oo)
        cpu_convert_run(mx_node_data(out), out->dtype, (int64_t)mx_dtype_size(out->dtype), oo, ct, (int64_t)es,
                        out->size);
    free(oa);
    free(ob);
    free(ol);
    free(orr);
    free(oo);
    return st;
}

/* ---- hadamard_transform -------------------------------------------------------------------------- */
/* MLX's H_m (row-major signs) for n = m * 2^k. */
static const char *const hadamard_12[12] = {"+-++++++++++", "--+-+-+-+-+-", "+++-++----++", "+---+--+-++-",
                                            "+++++-++----", "+-+---+--+-+", "++--+++-++--", "+--++---+--+",
                                            "++----+++-++", "+--+-++---+-", "++++----+++-", "+-+--+-++---"};
static const char *const hadamard_20[20] = {
    "+----+----++--++-++-", "-+----+---+++---+-++", "--+----+---+++-+-+-+", "---+----+---+++++-+-",
    "----+----++--++-++-+", "-+++++-----+--+++--+", "+-+++-+---+-+--+++--", "++-++--+---+-+--+++-",
    "+++-+---+---+-+--+++", "++++-----++--+-+--++", "--++-+-++-+-----++++", "---++-+-++-+---+-+++",
    "+---++-+-+--+--++-++", "++---++-+----+-+++-+", "-++---++-+----+++++-", "-+--+--++-+----+----",
    "+-+-----++-+----+---", "-+-+-+---+--+----+--", "--+-+++------+----+-", "+--+--++------+----+"};
static const char *const hadamard_28[28] = {
    "+------++----++-+--+-+--++--", "-+-----+++-----+-+--+-+--++-", "--+-----+++---+-+-+----+--++",
    "---+-----+++---+-+-+-+--+--+", "----+-----+++---+-+-+++--+--", "-----+-----++++--+-+--++--+-",
    "------++----++-+--+-+--++--+", "--++++-+-------++--+++-+--+-", "---++++-+-----+-++--+-+-+--+",
    "+---+++--+----++-++--+-+-+--", "++---++---+----++-++--+-+-+-", "+++---+----+----++-++--+-+-+",
    "++++--------+-+--++-++--+-+-", "-++++--------+++--++--+--+-+", "-+-++-++--++--+--------++++-",
    "+-+-++--+--++--+--------++++", "-+-+-++--+--++--+----+---+++", "+-+-+-++--+--+---+---++---++",
    "++-+-+-++--+------+--+++---+", "-++-+-+-++--+------+-++++---", "+-++-+---++--+------+-++++--",
    "-++--++-+-++-+++----++------", "+-++--++-+-++-+++-----+-----", "++-++---+-+-++-+++-----+----",
    "-++-++-+-+-+-+--+++-----+---", "--++-++++-+-+----+++-----+--", "+--++-+-++-+-+----+++-----+-",
    "++--++-+-++-+-+----++------+"};

/* MLX's H_m rows for m = 12, 20, 28 (NULL otherwise): the CUDA kernel's signs. */
const char *const *cpu_hadamard_matrix(int m) {
    return m == 12 ? hadamard_12 : m == 20 ? hadamard_20 : m == 28 ? hadamard_28 : NULL;
}

typedef struct had_ctx {
    float *data;  /* rows of n floats, transformed in place */
    int64_t n, p; /* n = m * p */
    int m;
    const char *const *hm;
    float scale;
} had_ctx;

static void had_range(int64_t begin, int64_t end, void *vctx) {
    const had_ctx *c = vctx;
    float tmp[28];
    for (int64_t r = begin; r < end; r++) {
        float *x = c->data + r * c->n;
        /* H_{2^k} on each of the m contiguous chunks */
        for (int64_t ch = 0; ch < c->m; ch++) {
            float *y = x + ch * c->p;
            for (int64_t h = 1; h < c->p; h *= 2)
                for (int64_t i = 0; i < c->p; i += 2 * h)
                    for (int64_t j = i; j < i + h; j++) {
                        float a = y[j], b = y[j + h];
                        y[j] = a + b;
                        y[j + h] = a - b;
                    }
        }
        /* H_m across the chunks (stride p) */
        if (c->m > 1)
            for (int64_t j = 0; j < c->p; j++) {
                for (int i = 0; i < c->m; i++) {
                    float acc = 0;
                    for (int l = 0; l < c->m; l++)
                        acc += c->hm[i][l] == '+' ? x[l * c->p + j] : -x[l * c->p + j];
                    tmp[i] = acc;
                }
                for (int i = 0; i < c->m; i++)
                    x[i * c->p + j] = tmp[i];
            }
        for (int64_t i = 0; i < c->n; i++)
            x[i] *= c->scale;
    }
}

static mx_status hadamard_kernel(mx_node *out) {
    const mx_hadamard_params *p = mx_node_params(out);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    const mx_node *a = out->inputs[0];
    int64_t n = a->shape[a->ndim - 1];
    int m = n % 28 == 0 && ((n / 28) & (n / 28 - 1)) == 0   ? 28
            : n % 20 == 0 && ((n / 20) & (n / 20 - 1)) == 0 ? 20
            : n % 12 == 0 && ((n / 12) & (n / 12 - 1)) == 0 ? 12
                                                            : 1;
    /* float32 work buffer: the output itself for float32 */
    void *owned = NULL, *src_owned;
    const float *src = contiguous_as(a, MX_FLOAT32, &src_owned);
    if (!src)
        return mx_last_status();
    float *buf = out->dtype == MX_FLOAT32 ? mx_node_data(out) : (owned = malloc(sizeof(float) * (size_t)a->size));
    if (!buf) {
        free(src_owned);
        return mx_set_error(MX_ERROR_MEMORY, "hadamard_transform: out of memory");
    }
    memcpy(buf, src, sizeof(float) * (size_t)a->size);
    free(src_owned);
    had_ctx c = {.data = buf,
                 .n = n,
                 .p = n / m,
                 .m = m,
                 .hm = m == 12   ? hadamard_12
                       : m == 20 ? hadamard_20
                                 : hadamard_28,
                 .scale = p->scale};
    cpu_parallel_for(a->size / n, (CPU_ELEMENTWISE_GRAIN + n - 1) / n, had_range, &c);
    if (owned) {
        cpu_convert_run(mx_node_data(out), out->dtype, (int64_t)mx_dtype_size(out->dtype), (const char *)owned,
                        MX_FLOAT32, sizeof(float), out->size);
        free(owned);
    }
    return MX_OK;
}

void cpu_register_quantize(mx_backend *b) {
    b->kernels[MX_OP_affine_quantize_stats] = stats_kernel;
    b->kernels[MX_OP_affine_pack] = pack_kernel;
    b->kernels[MX_OP_dequantize] = dequantize_kernel;
    b->kernels[MX_OP_quantized_matmul] = qmm_kernel;
    b->kernels[MX_OP_gather_qmm] = qmm_kernel;
    b->kernels[MX_OP_gather_mm] = gather_mm_kernel;
    b->kernels[MX_OP_hadamard_transform] = hadamard_kernel;
}
