/* backend/cpu/fast.c - CPU kernels of the fused ops of mlx.core.fast
 * (src/ops/fast.c): rms_norm, layer_norm, rope, scaled_dot_product_attention.
 *
 * Every kernel reads its inputs with their own strides (any layout, views
 * and broadcasts included), works in float32 (float16, bfloat16, float32
 * results) or float64 (float64 results) and writes a row-contiguous output.
 * Where MLX's composite rounds an intermediate to the output dtype (the
 * normalised value before the weight, the weighted value before the bias,
 * rope's cos/sin), the kernels round it too, so half-precision results are
 * MLX's up to the accumulation order. */
#include <cblas.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cpu/fastmath.h"
#include "ops/fast.h"

/* ---- shared helpers ------------------------------------------------------------------------------------ */

/* Element offset of row `row` of n viewed as (rows, last dim): every dim but
 * the last indexes the row. */
static int64_t row_offset(const mx_node *n, int64_t row) {
    int64_t off = 0;
    for (int d = n->ndim - 2; d >= 0; d--) {
        off += (row % n->shape[d]) * n->strides[d];
        row /= n->shape[d];
    }
    return off;
}

/* The element `offset` elements past n's first one. */
static const char *element(const mx_node *n, int64_t offset) {
    return (const char *)mx_node_data(n) + offset * (int64_t)mx_dtype_size(n->dtype);
}

static int64_t last_stride_bytes(const mx_node *n) {
    return (n->ndim ? n->strides[n->ndim - 1] : 1) * (int64_t)mx_dtype_size(n->dtype);
}

static bool is_half(mx_dtype dtype) { return dtype == MX_FLOAT16 || dtype == MX_BFLOAT16; }

/* v rounded to a half dtype and back (exact for float32 values of that dtype). */
static inline float round_half(mx_dtype dtype, float v) {
    return dtype == MX_FLOAT16 ? mx_f16_to_f32(mx_f32_to_f16(v)) : mx_bf16_to_f32(mx_f32_to_bf16(v));
}

/* The n values of a 1-D node (any stride) converted to `dtype` (float32 or
 * float64) into a fresh malloc'd array; NULL (error set) when out of memory. */
static void *vector_as(const mx_node *n, mx_dtype dtype, const char *op) {
    int64_t len = n->size;
    void *dst = malloc((size_t)(len > 0 ? len : 1) * mx_dtype_size(dtype));
    if (!dst) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", op);
        return NULL;
    }
    if (len)
        cpu_convert_run(dst, dtype, (int64_t)mx_dtype_size(dtype), element(n, 0), n->dtype, last_stride_bytes(n), len);
    return dst;
}

/* ---- rms_norm and layer_norm ------------------------------------------------------------------------------ */

typedef struct norm_job {
    const mx_node *x;
    const char *x_data; /* taken before the output may take over x's buffer */
    int64_t x_step;     /* bytes between elements of a row */
    char *out;
    mx_dtype out_dtype;
    int64_t L;
    bool layer; /* layer_norm (else rms_norm) */
    float eps;
    const void *w, *b; /* float32 (float64 for float64 outputs) copies, or NULL */
    bool failed;       /* a thread ran out of scratch memory */
} norm_job;

static const char *norm_row(const norm_job *j, int64_t r) {
    return j->x_data + row_offset(j->x, r) * (int64_t)mx_dtype_size(j->x->dtype);
}

/* One row in float32: x (L) -> y (L) in place allowed; MLX's roundings for
 * half outputs. tile: L floats of scratch when the row must be converted. */
static void norm_row_f32(const norm_job *j, int64_t r, float *tile) {
    const int64_t L = j->L;
    const char *src = norm_row(j, r);
    char *dst = j->out + r * L * (int64_t)mx_dtype_size(j->out_dtype);
    const float *x;
    if (j->x->dtype == MX_FLOAT32 && j->x_step == 4) {
        x = (const float *)src;
    } else {
        cpu_convert_run((char *)tile, MX_FLOAT32, 4, src, j->x->dtype, j->x_step, L);
        x = tile;
    }
    float mean = 0.0f;
    if (j->layer) {
        float acc[16] = {0};
        int64_t i = 0;
        for (; i + 16 <= L; i += 16)
            for (int k = 0; k < 16; k++)
                acc[k] += x[i + k];
        float s = 0.0f;
        for (; i < L; i++)
            s += x[i];
        for (int k = 0; k < 16; k++)
            s += acc[k];
        mean = s / (float)L;
    }
    float acc[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= L; i += 16)
        for (int k = 0; k < 16; k++) {
            float c = x[i + k] - mean;
            acc[k] += c * c;
        }
    float ss = 0.0f;
    for (; i < L; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    for (int k = 0; k < 16; k++)
        ss += acc[k];
    const float rs = 1.0f / sqrtf(ss / (float)L + j->eps);
    const float *w = j->w, *b = j->b;
    if (j->out_dtype == MX_FLOAT32) {
        float *y = (float *)dst;
        if (w && b) {
            for (i = 0; i < L; i++)
                y[i] = (x[i] - mean) * rs * w[i] + b[i];
        } else if (w) {
            for (i = 0; i < L; i++)
                y[i] = (x[i] - mean) * rs * w[i];
        } else if (b) {
            for (i = 0; i < L; i++)
                y[i] = (x[i] - mean) * rs + b[i];
        } else {
            for (i = 0; i < L; i++)
                y[i] = (x[i] - mean) * rs;
        }
        return;
    }
    /* half outputs: round after each step as MLX's composite does */
    const mx_dtype dt = j->out_dtype;
    float *t = tile; /* x may be tile: each element is read before it is written */
    for (i = 0; i < L; i++) {
        float v = round_half(dt, (x[i] - mean) * rs);
        if (w)
            v = round_half(dt, v * w[i]);
        if (b)
            v = v + b[i];
        t[i] = v;
    }
    cpu_convert_run(dst, dt, 2, (const char *)t, MX_FLOAT32, 4, L);
}

static void norm_row_f64(const norm_job *j, int64_t r, double *tile) {
    const int64_t L = j->L;
    const char *src = norm_row(j, r);
    double *y = (double *)(j->out + r * L * 8);
    const double *x;
    if (j->x->dtype == MX_FLOAT64 && j->x_step == 8) {
        x = (const double *)src;
    } else {
        cpu_convert_run((char *)tile, MX_FLOAT64, 8, src, j->x->dtype, j->x_step, L);
        x = tile;
    }
    double mean = 0.0;
    if (j->layer) {
        for (int64_t i = 0; i < L; i++)
            mean += x[i];
        mean /= (double)L;
    }
    double ss = 0.0;
    for (int64_t i = 0; i < L; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    const double rs = 1.0 / sqrt(ss / (double)L + (double)j->eps);
    const double *w = j->w, *b = j->b;
    for (int64_t i = 0; i < L; i++) {
        double v = (x[i] - mean) * rs;
        if (w)
            v *= w[i];
        if (b)
            v += b[i];
        y[i] = v;
    }
}

static void norm_rows(int64_t begin, int64_t end, void *ctx) {
    norm_job *j = ctx;
    bool f64 = j->out_dtype == MX_FLOAT64;
    void *tile = malloc((size_t)j->L * (f64 ? 8 : 4));
    if (!tile) {
        j->failed = true;
        return;
    }
    for (int64_t r = begin; r < end; r++) {
        if (f64)
            norm_row_f64(j, r, tile);
        else
            norm_row_f32(j, r, tile);
    }
    free(tile);
}

/* x (..., L) [, w (L,)] [, b (L,)] -> out (..., L): rows normalised over the last axis. */
static mx_status norm_kernel(mx_node *out) {
    const bool layer = out->op->id == MX_OP_layer_norm;
    const char *name = out->op->name;
    mx_node *x = out->inputs[0], *w = NULL, *b = NULL;
    float eps;
    if (layer) {
        const mx_layer_norm_params *p = mx_node_params(out);
        int next = 1;
        w = p->has_weight ? out->inputs[next++] : NULL;
        b = p->has_bias ? out->inputs[next] : NULL;
        eps = p->eps;
    } else {
        const mx_rms_norm_params *p = mx_node_params(out);
        w = p->has_weight ? out->inputs[1] : NULL;
        eps = p->eps;
    }
    norm_job j = {.x = x, .out_dtype = out->dtype, .L = x->shape[x->ndim - 1], .layer = layer, .eps = eps};
    j.x_step = last_stride_bytes(x);
    if (x->size)
        j.x_data = mx_node_data(x);
    mx_dtype acc = out->dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32;
    void *wc = NULL, *bc = NULL;
    if (w && !(wc = vector_as(w, acc, name)))
        return mx_last_status();
    if (b && !(bc = vector_as(b, acc, name))) {
        free(wc);
        return mx_last_status();
    }
    j.w = wc, j.b = bc;
    /* in place when nothing else sees x (each row is read before it is written) */
    bool donated = x->dtype == out->dtype && x->size && mx_node_try_donate(out, 0);
    mx_status st = donated ? MX_OK : mx_node_alloc_output(out);
    if (st == MX_OK && out->size) {
        j.out = mx_node_data(out);
        int64_t grain = CPU_ELEMENTWISE_GRAIN / (j.L > 0 ? j.L : 1);
        cpu_parallel_for(out->size / j.L, grain > 0 ? grain : 1, norm_rows, &j);
        if (j.failed)
            st = mx_set_error(MX_ERROR_MEMORY, "%s: out of memory for a row of %lld elements", name, (long long)j.L);
    }
    free(wc);
    free(bc);
    return st;
}

/* ---- rope ------------------------------------------------------------------------------------------------- */

typedef struct rope_job {
    const mx_node *x;
    char *out;
    mx_dtype dtype;
    int64_t N, T, D; /* x as (B, N, T, D) */
    int half;
    bool traditional;
    float sign; /* +1 forward, -1 the inverse rotation */
    /* the cos/sin table of the current offset: T x half, float32 (rounded to
     * x's dtype for half types) or float64 */
    void *cos_t, *sin_t;
    int64_t offset;
    const void *inv_freq; /* half entries, float32 or float64 */
    float scale;
    int64_t row0; /* first row of the current batch range */
    bool failed;
} rope_job;

static void rope_table(int64_t begin, int64_t end, void *ctx) {
    rope_job *j = ctx;
    if (j->dtype == MX_FLOAT64) {
        const double *inv = j->inv_freq;
        double *c = j->cos_t, *s = j->sin_t;
        for (int64_t t = begin; t < end; t++) {
            double pos = ((double)t + (double)j->offset) * (double)j->scale;
            for (int k = 0; k < j->half; k++) {
                double theta = pos * inv[k];
                c[t * j->half + k] = cos(theta);
                s[t * j->half + k] = sin(theta);
            }
        }
        return;
    }
    const float *inv = j->inv_freq;
    float *c = j->cos_t, *s = j->sin_t;
    for (int64_t t = begin; t < end; t++) {
        /* MLX: (arange(T, float32) + offset) * scale, then positions * inv_freqs */
        float pos = ((float)t + (float)j->offset) * j->scale;
        for (int k = 0; k < j->half; k++) {
            float theta = pos * inv[k];
            float cv = cosf(theta), sv = sinf(theta);
            if (is_half(j->dtype)) { /* MLX casts cos and sin to x's dtype */
                cv = round_half(j->dtype, cv);
                sv = round_half(j->dtype, sv);
            }
            c[t * j->half + k] = cv;
            s[t * j->half + k] = sv;
        }
    }
}

#define ROPE_ROTATE(T_, x, y, c, s, sign, half, traditional)                                                           \
    do {                                                                                                               \
        if (traditional) {                                                                                             \
            for (int k = 0; k < half; k++) {                                                                           \
                T_ x1 = x[2 * k], x2 = x[2 * k + 1], sk = sign * s[k];                                                 \
                y[2 * k] = x1 * c[k] - x2 * sk;                                                                        \
                y[2 * k + 1] = x1 * sk + x2 * c[k];                                                                    \
            }                                                                                                          \
        } else {                                                                                                       \
            for (int k = 0; k < half; k++) {                                                                           \
                T_ x1 = x[k], x2 = x[k + half], sk = sign * s[k];                                                      \
                y[k] = x1 * c[k] - x2 * sk;                                                                            \
                y[k + half] = x1 * sk + x2 * c[k];                                                                     \
            }                                                                                                          \
        }                                                                                                              \
    } while (0)

static void rope_rows(int64_t begin, int64_t end, void *ctx) {
    rope_job *j = ctx;
    const mx_node *x = j->x;
    const int64_t D = j->D, dims = 2 * (int64_t)j->half;
    const size_t size = mx_dtype_size(j->dtype);
    const int64_t step = last_stride_bytes(x);
    const bool f64 = j->dtype == MX_FLOAT64;
    void *in_tile = malloc((size_t)D * 8), *out_tile = malloc((size_t)D * 8);
    if (!in_tile || !out_tile) {
        free(in_tile);
        free(out_tile);
        j->failed = true;
        return;
    }
    for (int64_t rr = begin; rr < end; rr++) {
        int64_t r = j->row0 + rr, t = r % j->T;
        const char *src = element(x, row_offset(x, r));
        char *dst = j->out + r * D * (int64_t)size;
        if (f64) {
            const double *xin = (const double *)src;
            if (step != 8) {
                cpu_convert_run(in_tile, MX_FLOAT64, 8, src, MX_FLOAT64, step, D);
                xin = in_tile;
            }
            double *y = (double *)dst;
            const double *c = (const double *)j->cos_t + t * j->half, *s = (const double *)j->sin_t + t * j->half;
            double sign = j->sign;
            ROPE_ROTATE(double, xin, y, c, s, sign, j->half, j->traditional);
            for (int64_t k = dims; k < D; k++)
                y[k] = xin[k];
            continue;
        }
        const float *xin = (const float *)src;
        if (j->dtype != MX_FLOAT32 || step != 4) {
            cpu_convert_run(in_tile, MX_FLOAT32, 4, src, j->dtype, step, D);
            xin = in_tile;
        }
        float *y = j->dtype == MX_FLOAT32 ? (float *)dst : out_tile;
        const float *c = (const float *)j->cos_t + t * j->half, *s = (const float *)j->sin_t + t * j->half;
        float sign = j->sign;
        ROPE_ROTATE(float, xin, y, c, s, sign, j->half, j->traditional);
        for (int64_t k = dims; k < D; k++)
            y[k] = xin[k];
        if (y != (float *)dst)
            cpu_convert_run(dst, j->dtype, (int64_t)size, (const char *)y, MX_FLOAT32, 4, D);
    }
    free(in_tile);
    free(out_tile);
}

/* x (B, ..., T, D), offset (scalar or (B,)), [freqs (dims/2,)] -> out (B, ..., T, D). */
static mx_status rope_kernel(mx_node *out) {
    const mx_rope_params *p = mx_node_params(out);
    mx_node *x = out->inputs[0], *offset = out->inputs[1], *freqs = p->has_freqs ? out->inputs[2] : NULL;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    rope_job j = {.x = x,
                  .out = mx_node_data(out),
                  .dtype = x->dtype,
                  .T = x->shape[x->ndim - 2],
                  .D = x->shape[x->ndim - 1],
                  .half = p->dims / 2,
                  .traditional = p->traditional,
                  .sign = p->forward ? 1.0f : -1.0f,
                  .scale = p->scale};
    int64_t B = x->shape[0];
    j.N = x->size / (B * j.T * j.D);
    const bool f64 = x->dtype == MX_FLOAT64;
    const size_t real = f64 ? 8 : 4;
    /* offsets: int32 or uint32, one or one per batch entry */
    int64_t *offsets = malloc(sizeof(int64_t) * (size_t)B);
    void *inv = malloc(real * (size_t)j.half);
    void *cos_t = malloc(real * (size_t)(j.T * j.half)), *sin_t = malloc(real * (size_t)(j.T * j.half));
    if (!offsets || !inv || !cos_t || !sin_t) {
        st = mx_set_error(MX_ERROR_MEMORY, "rope: out of memory for a table of %lld positions", (long long)j.T);
        goto done;
    }
    for (int64_t b = 0; b < B; b++) {
        const char *o = element(offset, offset->size == 1 ? 0 : b * offset->strides[0]);
        offsets[b] = offset->dtype == MX_UINT32 ? (int64_t) * (const uint32_t *)o : (int64_t) * (const int32_t *)o;
    }
    /* inverse frequencies, as MLX: exp(-k log(base) / half) or 1 / freqs */
    for (int k = 0; k < j.half; k++) {
        if (freqs) { /* float32 (float64 for float64 x) */
            const char *f = element(freqs, k * freqs->strides[0]);
            if (f64)
                ((double *)inv)[k] = 1.0 / (freqs->dtype == MX_FLOAT64 ? *(const double *)f : *(const float *)f);
            else
                ((float *)inv)[k] = 1.0f / *(const float *)f;
        } else if (f64) {
            ((double *)inv)[k] = exp(-(double)k * (log((double)p->base) / j.half));
        } else {
            ((float *)inv)[k] = expf((float)(-k) * (logf(p->base) / (float)j.half));
        }
    }
    j.inv_freq = inv, j.cos_t = cos_t, j.sin_t = sin_t;
    int64_t rows_per_batch = j.N * j.T;
    int64_t row_grain = CPU_ELEMENTWISE_GRAIN / (j.D > 0 ? j.D : 1);
    int64_t table_grain = CPU_ELEMENTWISE_GRAIN / 16 / (j.half > 0 ? j.half : 1);
    for (int64_t b = 0; b < B;) {
        /* batch entries with the same offset share one table */
        int64_t e = b + 1;
        while (e < B && offsets[e] == offsets[b])
            e++;
        j.offset = offsets[b];
        cpu_parallel_for(j.T, table_grain > 0 ? table_grain : 1, rope_table, &j);
        j.row0 = b * rows_per_batch;
        cpu_parallel_for((e - b) * rows_per_batch, row_grain > 0 ? row_grain : 1, rope_rows, &j);
        if (j.failed) {
            st = mx_set_error(MX_ERROR_MEMORY, "rope: out of memory for rows of %lld elements", (long long)j.D);
            break;
        }
        b = e;
    }
done:
    free(offsets);
    free(inv);
    free(cos_t);
    free(sin_t);
    return st;
}

/* ---- scaled_dot_product_attention ------------------------------------------------------------------------------
 * Blocked over queries with an online softmax (one pass over the keys per
 * block of SDPA_BQ queries): S = (scale q) K^T and O += P V are float32
 * GEMMs through OpenBLAS on blocks of SDPA_BK keys; the running max and
 * denominator of each row rescale O when the max grows. Causal blocks stop
 * at the last key any of their queries sees.
 *
 * MLX semantics (its CPU composite): a hidden score (boolean or causal mask)
 * is the dtype's lowest finite value, not -inf, so a row whose keys are all
 * hidden averages the values; keys the causal cut-off skips contribute
 * exp(lowest - max) = 0 whenever the row's max exceeds lowest + 104. Rows
 * where that does not hold (everything hidden, -inf or NaN scores) are
 * recomputed over all keys exactly as the composite does. float64 runs that
 * exact per-row algorithm in double. */

#define SDPA_BQ 64  /* queries per task */
#define SDPA_BK 256 /* keys per block (block sizes from 32 to 256 x 128 to 1024 measured within 5%) */

typedef struct sdpa_job {
    int64_t B, Nq, Nkv, R, Tq, Tk, D, Dv, n_qblocks;
    mx_dtype dtype;
    const mx_node *q, *mask;
    int mask_kind;
    bool causal;
    double scale;      /* rounded to the dtype, as MLX's scalar is */
    double lowest;     /* the score of a hidden key */
    const void *sinks; /* Nq values (float32 or float64) or NULL */
    /* keys and values as float32 (float64): element (b, h, t, d) at
     * data + b * bs + h * hs + t * ld + d */
    const void *k, *v;
    int64_t k_bs, k_hs, k_ld, v_bs, v_hs, v_ld;
    char *out;
    bool failed;
} sdpa_job;

/* k or v (B, H, T, W) as a float array of `real` dtype: in place when it
 * already is one with unit stride along W (rows at a positive stride), else a
 * converted copy in *scratch (freed by the caller). */
typedef struct kv_copy {
    const mx_node *n;
    mx_dtype real;
    char *dst;
} kv_copy;

static void kv_copy_rows(int64_t begin, int64_t end, void *ctx) {
    const kv_copy *c = ctx;
    const mx_node *n = c->n;
    int64_t H = n->shape[1], T = n->shape[2], W = n->shape[3];
    size_t rs = mx_dtype_size(c->real);
    for (int64_t r = begin; r < end; r++) {
        int64_t t = r % T, h = (r / T) % H, b = r / (T * H);
        const char *src = element(n, b * n->strides[0] + h * n->strides[1] + t * n->strides[2]);
        cpu_convert_run(c->dst + r * W * (int64_t)rs, c->real, (int64_t)rs, src, n->dtype,
                        n->strides[3] * (int64_t)mx_dtype_size(n->dtype), W);
    }
}

static mx_status kv_operand(const mx_node *n, mx_dtype real, const void **data, int64_t *bs, int64_t *hs, int64_t *ld,
                            void **scratch) {
    int64_t H = n->shape[1], T = n->shape[2], W = n->shape[3];
    *scratch = NULL;
    if (n->dtype == real && (W <= 1 || n->strides[3] == 1) &&
        (T <= 1 || (n->strides[2] >= (W > 1 ? W : 1) && n->strides[2] <= INT_MAX))) { /* BLAS's int ld */
        *data = mx_node_data(n);
        *bs = n->strides[0], *hs = n->strides[1];
        *ld = T <= 1 ? (W > 1 ? W : 1) : n->strides[2];
        return MX_OK;
    }
    size_t rs = mx_dtype_size(real);
    int64_t rows = n->shape[0] * H * T;
    *scratch = malloc((size_t)(rows * W > 0 ? rows * W : 1) * rs);
    if (!*scratch)
        return mx_set_error(MX_ERROR_MEMORY, "scaled_dot_product_attention: out of memory for a copy of %lld rows",
                            (long long)rows);
    kv_copy c = {n, real, *scratch};
    int64_t grain = CPU_ELEMENTWISE_GRAIN / (W > 0 ? W : 1);
    cpu_parallel_for(rows, grain > 0 ? grain : 1, kv_copy_rows, &c);
    *data = *scratch;
    *bs = H * T * W, *hs = T * W, *ld = W > 1 ? W : 1;
    return MX_OK;
}

/* The mask entries (b, h, i, j0 .. j0 + n): additive ones converted to
 * `real` into add, boolean ones into keep. */
static void mask_row(const sdpa_job *j, int64_t b, int64_t h, int64_t i, int64_t j0, int64_t n, mx_dtype real,
                     void *add, bool *keep) {
    const mx_node *m = j->mask;
    const char *src = element(m, b * m->strides[0] + h * m->strides[1] + i * m->strides[2] + j0 * m->strides[3]);
    int64_t step = m->strides[3] * (int64_t)mx_dtype_size(m->dtype);
    if (j->mask_kind == MX_SDPA_MASK_BOOL)
        cpu_convert_run((char *)keep, MX_BOOL, 1, src, MX_BOOL, step, n);
    else
        cpu_convert_run(add, real, (int64_t)mx_dtype_size(real), src, m->dtype, step, n);
}

/* One query row exactly as MLX's composite: all Tk scores, hidden ones at
 * the lowest value, softmax over [sink, scores], then the weighted values.
 * q is the scaled query (D), o receives Dv values; scratch: Tk scores, Tk
 * additive mask values and Tk booleans. Instantiated for float and double. */
#define SDPA_EXACT_ROW(NAME, real_t, EXP)                                                                              \
    static void NAME(const sdpa_job *j, int64_t b, int64_t h, int64_t i, const real_t *q, real_t *o, real_t *s,        \
                     real_t *add, bool *keep) {                                                                        \
        const int64_t g = h / j->R, D = j->D, Dv = j->Dv, Tk = j->Tk;                                                  \
        const real_t *K = (const real_t *)j->k + b * j->k_bs + g * j->k_hs;                                            \
        const real_t *V = (const real_t *)j->v + b * j->v_bs + g * j->v_hs;                                            \
        const mx_dtype real = sizeof(real_t) == 8 ? MX_FLOAT64 : MX_FLOAT32;                                           \
        if (j->mask_kind != MX_SDPA_MASK_NONE && Tk)                                                                   \
            mask_row(j, b, h, i, 0, Tk, real, add, keep);                                                              \
        const real_t lowest = (real_t)j->lowest;                                                                       \
        for (int64_t t = 0; t < Tk; t++) {                                                                             \
            real_t acc = 0;                                                                                            \
            for (int64_t d = 0; d < D; d++)                                                                            \
                acc += q[d] * K[t * j->k_ld + d];                                                                      \
            if (j->mask_kind == MX_SDPA_MASK_ADDITIVE)                                                                 \
                acc += add[t];                                                                                         \
            else if (j->mask_kind == MX_SDPA_MASK_BOOL && !keep[t])                                                    \
                acc = lowest;                                                                                          \
            if (j->causal && t > i + Tk - j->Tq)                                                                       \
                acc = lowest;                                                                                          \
            s[t] = acc;                                                                                                \
        }                                                                                                              \
        real_t m = -(real_t)INFINITY, sink = 0;                                                                        \
        if (j->sinks) {                                                                                                \
            sink = ((const real_t *)j->sinks)[h];                                                                      \
            m = sink;                                                                                                  \
        }                                                                                                              \
        for (int64_t t = 0; t < Tk; t++)                                                                               \
            m = s[t] > m ? s[t] : m;                                                                                   \
        real_t total = j->sinks ? EXP(sink - m) : 0;                                                                   \
        for (int64_t t = 0; t < Tk; t++) {                                                                             \
            s[t] = EXP(s[t] - m);                                                                                      \
            total += s[t];                                                                                             \
        }                                                                                                              \
        for (int64_t d = 0; d < Dv; d++)                                                                               \
            o[d] = 0;                                                                                                  \
        for (int64_t t = 0; t < Tk; t++) {                                                                             \
            real_t p = s[t] / total;                                                                                   \
            for (int64_t d = 0; d < Dv; d++)                                                                           \
                o[d] += p * V[t * j->v_ld + d];                                                                        \
        }                                                                                                              \
    }
SDPA_EXACT_ROW(sdpa_exact_row_f32, float, expf)
SDPA_EXACT_ROW(sdpa_exact_row_f64, double, exp)

/* The query row (b, h, i) scaled, as `real`, into q. */
static void load_query(const sdpa_job *j, int64_t b, int64_t h, int64_t i, mx_dtype real, void *q) {
    const mx_node *n = j->q;
    const char *src = element(n, b * n->strides[0] + h * n->strides[1] + i * n->strides[2]);
    cpu_convert_run(q, real, (int64_t)mx_dtype_size(real), src, n->dtype,
                    n->strides[3] * (int64_t)mx_dtype_size(n->dtype), j->D);
    if (real == MX_FLOAT64) {
        for (int64_t d = 0; d < j->D; d++)
            ((double *)q)[d] *= j->scale;
    } else {
        float sc = (float)j->scale;
        for (int64_t d = 0; d < j->D; d++)
            ((float *)q)[d] *= sc;
    }
}

static void store_row(const sdpa_job *j, int64_t b, int64_t h, int64_t i, const void *o, mx_dtype real) {
    size_t size = mx_dtype_size(j->dtype);
    char *dst = j->out + (((b * j->Nq + h) * j->Tq + i) * j->Dv) * (int64_t)size;
    cpu_convert_run(dst, j->dtype, (int64_t)size, o, real, (int64_t)mx_dtype_size(real), j->Dv);
}

/* float64: every row by the exact algorithm. */
static void sdpa_rows_f64(int64_t begin, int64_t end, void *ctx) {
    sdpa_job *j = ctx;
    int64_t n = (j->D + j->Dv + 2 * j->Tk) + 1;
    double *buf = malloc(sizeof(double) * (size_t)n);
    bool *keep = malloc((size_t)j->Tk + 1);
    if (!buf || !keep) {
        free(buf);
        free(keep);
        j->failed = true;
        return;
    }
    double *q = buf, *o = q + j->D, *s = o + j->Dv, *add = s + j->Tk;
    for (int64_t r = begin; r < end; r++) {
        int64_t i = r % j->Tq, h = (r / j->Tq) % j->Nq, b = r / (j->Tq * j->Nq);
        load_query(j, b, h, i, MX_FLOAT64, q);
        sdpa_exact_row_f64(j, b, h, i, q, o, s, add, keep);
        store_row(j, b, h, i, o, MX_FLOAT64);
    }
    free(buf);
    free(keep);
}

/* Per-thread scratch of the blocked float32 path. */
typedef struct sdpa_scratch {
    float *Qs;    /* SDPA_BQ x D, scaled queries */
    float *S;     /* SDPA_BQ x SDPA_BK scores, then probabilities */
    float *O;     /* SDPA_BQ x Dv */
    float *m, *l; /* SDPA_BQ running max and denominator */
    float *row;   /* exact rows: Tk scores + Tk mask values; also a block of mask values */
    bool *keep;   /* Tk booleans */
} sdpa_scratch;

static bool scratch_alloc(const sdpa_job *j, sdpa_scratch *s) {
    int64_t tk = j->Tk > SDPA_BK ? j->Tk : SDPA_BK;
    s->Qs = malloc(sizeof(float) * (size_t)(SDPA_BQ * (j->D > 0 ? j->D : 1)));
    s->S = malloc(sizeof(float) * SDPA_BQ * SDPA_BK);
    s->O = malloc(sizeof(float) * (size_t)(SDPA_BQ * j->Dv));
    s->m = malloc(sizeof(float) * 2 * SDPA_BQ);
    s->l = s->m ? s->m + SDPA_BQ : NULL;
    s->row = malloc(sizeof(float) * (size_t)(2 * tk));
    s->keep = malloc((size_t)tk);
    return s->Qs && s->S && s->O && s->m && s->row && s->keep;
}

static void scratch_free(sdpa_scratch *s) {
    free(s->Qs);
    free(s->S);
    free(s->O);
    free(s->m);
    free(s->row);
    free(s->keep);
}

/* The largest of n floats (a NaN may or may not be ignored: a row with a NaN
 * score is NaN either way). */
static float row_max(const float *x, int64_t n) {
    float m = -INFINITY;
#pragma omp simd reduction(max : m)
    for (int64_t t = 0; t < n; t++)
        m = x[t] > m ? x[t] : m;
    return m;
}

/* x = exp(x - m) over a row, returning the sum (vectorised with mx_fast_expf). */
static float exp_shift_sum(float *x, int64_t n, float m) {
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int64_t t = 0; t < n; t++) {
        float e = mx_fast_expf(x[t] - m);
        x[t] = e;
        sum += e;
    }
    return sum;
}

/* One block of up to SDPA_BQ queries of head h of batch entry b. */
static void sdpa_block_f32(const sdpa_job *j, int64_t task, sdpa_scratch *sc) {
    const int64_t qb = task % j->n_qblocks, bh = task / j->n_qblocks, h = bh % j->Nq, b = bh / j->Nq, g = h / j->R;
    const int64_t i0 = qb * SDPA_BQ, nq = j->Tq - i0 < SDPA_BQ ? j->Tq - i0 : SDPA_BQ;
    const int64_t D = j->D, Dv = j->Dv, Tk = j->Tk, shift = Tk - j->Tq;
    const float *K = (const float *)j->k + b * j->k_bs + g * j->k_hs;
    const float *V = (const float *)j->v + b * j->v_bs + g * j->v_hs;
    const float lowest = (float)j->lowest, threshold = (float)(j->lowest + 104.0);
    float *Qs = sc->Qs, *S = sc->S, *O = sc->O, *m = sc->m, *l = sc->l;
    for (int64_t i = 0; i < nq; i++)
        load_query(j, b, h, i0 + i, MX_FLOAT32, Qs + i * D);
    const float sink = j->sinks ? ((const float *)j->sinks)[h] : 0.0f;
    for (int64_t i = 0; i < nq; i++) {
        m[i] = j->sinks ? sink : -INFINITY;
        l[i] = j->sinks && sink != -INFINITY ? 1.0f : 0.0f;
    }
    memset(O, 0, sizeof(float) * (size_t)(nq * Dv));
    int64_t kend = Tk;
    if (j->causal) { /* the last query of the block sees keys up to i0 + nq - 1 + shift */
        int64_t last = i0 + nq - 1 + shift + 1;
        kend = last < 0 ? 0 : last < Tk ? last : Tk;
    }
    for (int64_t j0 = 0; j0 < kend; j0 += SDPA_BK) {
        const int64_t nk = kend - j0 < SDPA_BK ? kend - j0 : SDPA_BK;
        if (D > 0)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nq, (int)nk, (int)D, 1.0f, Qs, (int)D,
                        K + j0 * j->k_ld, (int)j->k_ld, 0.0f, S, SDPA_BK);
        else
            for (int64_t i = 0; i < nq; i++)
                memset(S + i * SDPA_BK, 0, sizeof(float) * (size_t)nk);
        for (int64_t i = 0; i < nq; i++) {
            float *Si = S + i * SDPA_BK;
            if (j->mask_kind != MX_SDPA_MASK_NONE) {
                mask_row(j, b, h, i0 + i, j0, nk, MX_FLOAT32, sc->row, sc->keep);
                if (j->mask_kind == MX_SDPA_MASK_ADDITIVE)
                    for (int64_t t = 0; t < nk; t++)
                        Si[t] += sc->row[t];
                else
                    for (int64_t t = 0; t < nk; t++)
                        Si[t] = sc->keep[t] ? Si[t] : lowest;
            }
            if (j->causal) {
                int64_t first_hidden = i0 + i + shift + 1 - j0;
                for (int64_t t = first_hidden < 0 ? 0 : first_hidden; t < nk; t++)
                    Si[t] = lowest;
            }
            float mx = row_max(Si, nk);
            float mnew = m[i] > mx ? m[i] : mx;
            if (mnew == -INFINITY) { /* nothing but -inf so far: no weight yet */
                memset(Si, 0, sizeof(float) * (size_t)nk);
                continue;
            }
            float alpha = m[i] == -INFINITY ? 0.0f : expf(m[i] - mnew);
            float sum = exp_shift_sum(Si, nk, mnew);
            l[i] = l[i] * alpha + sum;
            if (alpha != 1.0f) {
                float *Oi = O + i * Dv;
                for (int64_t d = 0; d < Dv; d++)
                    Oi[d] *= alpha;
            }
            m[i] = mnew;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)nq, (int)Dv, (int)nk, 1.0f, S, SDPA_BK,
                    V + j0 * j->v_ld, (int)j->v_ld, 1.0f, O, (int)Dv);
    }
    for (int64_t i = 0; i < nq; i++) {
        float *Oi = O + i * Dv;
        if (!(m[i] > threshold)) {
            /* hidden keys might not vanish (or -inf / NaN scores): the exact row */
            sdpa_exact_row_f32(j, b, h, i0 + i, Qs + i * D, Oi, sc->row, sc->row + Tk, sc->keep);
        } else {
            float inv = 1.0f / l[i];
            for (int64_t d = 0; d < Dv; d++)
                Oi[d] *= inv;
        }
        store_row(j, b, h, i0 + i, Oi, MX_FLOAT32);
    }
}

/* The query blocks handed out to the threads; each thread's scratch is
 * allocated on its first block (slots are unique among the running threads). */
typedef struct sdpa_run {
    sdpa_job *j;
    sdpa_scratch *slots;
    bool *ready;
    atomic_bool failed;
} sdpa_run;

static void sdpa_tasks_f32(int64_t begin, int64_t end, void *vctx) {
    sdpa_run *r = vctx;
    int slot = cpu_thread_slot();
    if (!r->ready[slot]) {
        r->ready[slot] = true;
        if (!scratch_alloc(r->j, &r->slots[slot]))
            atomic_store(&r->failed, true);
    }
    if (atomic_load(&r->failed))
        return;
    for (int64_t t = begin; t < end; t++)
        sdpa_block_f32(r->j, t, &r->slots[slot]);
}

static void sdpa_run_f32(sdpa_job *j) {
    const int64_t tasks = j->B * j->Nq * j->n_qblocks;
    /* per query: Tk (D + Dv) multiply-adds; threads only for enough of them */
    const double work = (double)j->B * j->Nq * j->Tq * (double)j->Tk * (double)(j->D + j->Dv + 8);
    const int threads = work > 4.0 * CPU_ELEMENTWISE_GRAIN && tasks > 1 ? cpu_num_threads() : 1;
    sdpa_run r = {.j = j};
    r.slots = calloc((size_t)threads, sizeof *r.slots);
    r.ready = calloc((size_t)threads, sizeof *r.ready);
    if (!r.slots || !r.ready) {
        free(r.slots);
        free(r.ready);
        j->failed = true;
        return;
    }
    atomic_init(&r.failed, false);
    /* one chunk (serial, slot 0) unless there is work for several threads */
    cpu_parallel_chunks(tasks, threads > 1 ? 1 : tasks, sdpa_tasks_f32, &r);
    for (int s = 0; s < threads; s++)
        if (r.ready[s])
            scratch_free(&r.slots[s]);
    free(r.slots);
    free(r.ready);
    j->failed = atomic_load(&r.failed);
}

/* q (B, Nq, Tq, D), k (B, Nkv, Tk, D), v (B, Nkv, Tk, Dv) [, mask (B, Nq, Tq, Tk)]
 * [, sinks (Nq,)] -> out (B, Nq, Tq, Dv). */
static mx_status sdpa_kernel(mx_node *out) {
    const mx_sdpa_params *p = mx_node_params(out);
    mx_node *q = out->inputs[0], *k = out->inputs[1], *v = out->inputs[2];
    int next = 3;
    mx_node *mask = p->mask_kind != MX_SDPA_MASK_NONE ? out->inputs[next++] : NULL;
    mx_node *sinks = p->has_sinks ? out->inputs[next] : NULL;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    sdpa_job j = {.B = q->shape[0],
                  .Nq = q->shape[1],
                  .Nkv = k->shape[1],
                  .Tq = q->shape[2],
                  .Tk = k->shape[2],
                  .D = q->shape[3],
                  .Dv = v->shape[3],
                  .dtype = out->dtype,
                  .q = q,
                  .mask = mask,
                  .mask_kind = p->mask_kind,
                  .causal = p->causal,
                  .lowest = mx_fast_lowest(out->dtype),
                  .out = mx_node_data(out)};
    j.R = j.Nq / j.Nkv;
    j.n_qblocks = (j.Tq + SDPA_BQ - 1) / SDPA_BQ;
    /* MLX multiplies q by array(scale, dtype): the scale rounded to the dtype */
    j.scale = is_half(out->dtype) ? round_half(out->dtype, p->scale) : p->scale;
    if (j.Tk == 0) { /* softmax over no keys, times no values: zeros, as MLX */
        memset(j.out, 0, (size_t)out->size * mx_dtype_size(out->dtype));
        return MX_OK;
    }
    const mx_dtype real = out->dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32;
    void *k_scratch = NULL, *v_scratch = NULL, *sinks_copy = NULL;
    st = kv_operand(k, real, &j.k, &j.k_bs, &j.k_hs, &j.k_ld, &k_scratch);
    if (st == MX_OK)
        st = kv_operand(v, real, &j.v, &j.v_bs, &j.v_hs, &j.v_ld, &v_scratch);
    if (st == MX_OK && sinks) {
        sinks_copy = vector_as(sinks, real, "scaled_dot_product_attention");
        st = sinks_copy ? MX_OK : mx_last_status();
    }
    j.sinks = sinks_copy;
    if (st == MX_OK) {
        if (real == MX_FLOAT64) {
            int64_t rows = j.B * j.Nq * j.Tq;
            int64_t grain = CPU_ELEMENTWISE_GRAIN / (j.Tk * (j.D + j.Dv) + 1);
            cpu_parallel_for(rows, grain > 0 ? grain : 1, sdpa_rows_f64, &j);
        } else {
            sdpa_run_f32(&j);
        }
        if (j.failed)
            st = mx_set_error(MX_ERROR_MEMORY,
                              "scaled_dot_product_attention: out of memory for the scratch of %lld keys",
                              (long long)j.Tk);
    }
    free(k_scratch);
    free(v_scratch);
    free(sinks_copy);
    return st;
}

/* ---- scaled_dot_product_attention_vjp ---------------------------------------------------------------------
 * The fused backward pass's CPU kernel (the GPU's fallback): the gradient of
 * MLX's composite, row by row in float64 (hidden scores at the lowest value,
 * so a row that sees no key spreads its weight over all keys; hidden scores
 * pass no gradient to q and k). One task per (batch, key/value head): it owns
 * dk and dv of that head and the dq rows of the query heads sharing it. */

typedef struct sdpa_vjp_job {
    const mx_node *q, *k, *v, *o, *g, *mask;
    int mask_kind;
    bool causal;
    double scale, lowest;
    const double *sinks;
    int64_t B, Nq, Nkv, R, Tq, Tk, D, Dv;
    char *out;
    mx_dtype dtype;
    bool failed;
} sdpa_vjp_job;

/* Row (b, h, t) of a rank-4 node as n float64 values. */
static void row_f64(const mx_node *n, int64_t b, int64_t h, int64_t t, int64_t len, double *dst) {
    const char *src = element(n, b * n->strides[0] + h * n->strides[1] + t * n->strides[2]);
    cpu_convert_run((char *)dst, MX_FLOAT64, 8, src, n->dtype, n->strides[3] * (int64_t)mx_dtype_size(n->dtype), len);
}

static void store_f64(const sdpa_vjp_job *j, int64_t at, const double *src, int64_t len) {
    size_t size = mx_dtype_size(j->dtype);
    cpu_convert_run(j->out + at * (int64_t)size, j->dtype, (int64_t)size, (const char *)src, MX_FLOAT64, 8, len);
}

static void sdpa_vjp_groups(int64_t begin, int64_t end, void *ctx) {
    sdpa_vjp_job *j = ctx;
    const int64_t D = j->D, Dv = j->Dv, Tk = j->Tk;
    size_t n = (size_t)(2 * Tk * D + 2 * Tk * Dv + 2 * D + 2 * Dv + 3 * Tk + 1);
    double *buf = malloc(n * sizeof(double));
    bool *keep = malloc((size_t)Tk + 1);
    if (!buf || !keep) {
        free(buf);
        free(keep);
        j->failed = true;
        return;
    }
    double *K = buf, *V = K + Tk * D, *dK = V + Tk * Dv, *dV = dK + Tk * D, *qs = dV + Tk * Dv, *dq = qs + D;
    double *go = dq + D, *oo = go + Dv, *s = oo + Dv, *add = s + Tk, *dp = add + Tk;
    const int64_t nq = j->B * j->Nq * j->Tq * D, nk = j->B * j->Nkv * Tk * D;
    for (int64_t task = begin; task < end; task++) {
        const int64_t b = task / j->Nkv, g = task % j->Nkv;
        for (int64_t t = 0; t < Tk; t++) {
            row_f64(j->k, b, g, t, D, K + t * D);
            row_f64(j->v, b, g, t, Dv, V + t * Dv);
        }
        memset(dK, 0, sizeof(double) * (size_t)(Tk * D));
        memset(dV, 0, sizeof(double) * (size_t)(Tk * Dv));
        for (int64_t h = g * j->R; h < (g + 1) * j->R; h++) {
            for (int64_t i = 0; i < j->Tq; i++) {
                row_f64(j->q, b, h, i, D, qs);
                for (int64_t d = 0; d < D; d++)
                    qs[d] *= j->scale;
                row_f64(j->g, b, h, i, Dv, go);
                row_f64(j->o, b, h, i, Dv, oo);
                if (j->mask_kind != MX_SDPA_MASK_NONE) {
                    const mx_node *m = j->mask;
                    const char *src = element(m, b * m->strides[0] + h * m->strides[1] + i * m->strides[2]);
                    int64_t step = m->strides[3] * (int64_t)mx_dtype_size(m->dtype);
                    if (j->mask_kind == MX_SDPA_MASK_BOOL)
                        cpu_convert_run((char *)keep, MX_BOOL, 1, src, MX_BOOL, step, Tk);
                    else
                        cpu_convert_run((char *)add, MX_FLOAT64, 8, src, m->dtype, step, Tk);
                }
                double mx = j->sinks ? j->sinks[h] : -INFINITY;
                for (int64_t t = 0; t < Tk; t++) {
                    double acc = 0;
                    for (int64_t d = 0; d < D; d++)
                        acc += qs[d] * K[t * D + d];
                    bool visible = true;
                    if (j->mask_kind == MX_SDPA_MASK_ADDITIVE)
                        acc += add[t];
                    else if (j->mask_kind == MX_SDPA_MASK_BOOL)
                        visible = keep[t];
                    if (j->causal && t > i + Tk - j->Tq)
                        visible = false;
                    s[t] = visible ? acc : j->lowest;
                    dp[t] = visible ? 1.0 : 0.0; /* reused below: 0 marks a hidden score */
                    mx = s[t] > mx ? s[t] : mx;
                }
                double denom = j->sinks ? exp(j->sinks[h] - mx) : 0;
                for (int64_t t = 0; t < Tk; t++) {
                    s[t] = exp(s[t] - mx);
                    denom += s[t];
                }
                double delta = 0;
                for (int64_t d = 0; d < Dv; d++)
                    delta += go[d] * oo[d];
                memset(dq, 0, sizeof(double) * (size_t)D);
                for (int64_t t = 0; t < Tk; t++) {
                    double p = s[t] / denom, gv = 0;
                    for (int64_t d = 0; d < Dv; d++) {
                        gv += go[d] * V[t * Dv + d];
                        dV[t * Dv + d] += p * go[d];
                    }
                    double ds = dp[t] != 0.0 ? p * (gv - delta) : 0.0;
                    for (int64_t d = 0; d < D; d++) {
                        dq[d] += ds * K[t * D + d];
                        dK[t * D + d] += ds * qs[d];
                    }
                }
                for (int64_t d = 0; d < D; d++)
                    dq[d] *= j->scale;
                store_f64(j, ((b * j->Nq + h) * j->Tq + i) * D, dq, D);
            }
        }
        store_f64(j, nq + (b * j->Nkv + g) * Tk * D, dK, Tk * D);
        store_f64(j, nq + nk + (b * j->Nkv + g) * Tk * Dv, dV, Tk * Dv);
    }
    free(buf);
    free(keep);
}

/* q (B, Nq, Tq, D), k (B, Nkv, Tk, D), v (B, Nkv, Tk, Dv), out and dout
 * (B, Nq, Tq, Dv) [, mask (B, Nq, Tq, Tk)] [, sinks (Nq,)] -> packed
 * (|dq| + |dk| + |dv|,): dq, dk, dv row-contiguous one after the other. */
static mx_status sdpa_vjp_kernel(mx_node *out) {
    const mx_sdpa_params *p = mx_node_params(out);
    mx_node *q = out->inputs[0], *k = out->inputs[1], *v = out->inputs[2];
    int next = 5;
    mx_node *mask = p->mask_kind != MX_SDPA_MASK_NONE ? out->inputs[next++] : NULL;
    mx_node *sinks = p->has_sinks ? out->inputs[next] : NULL;
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    sdpa_vjp_job j = {.q = q,
                      .k = k,
                      .v = v,
                      .o = out->inputs[3],
                      .g = out->inputs[4],
                      .mask = mask,
                      .mask_kind = p->mask_kind,
                      .causal = p->causal,
                      .lowest = mx_fast_lowest(out->dtype),
                      .B = q->shape[0],
                      .Nq = q->shape[1],
                      .Nkv = k->shape[1],
                      .Tq = q->shape[2],
                      .Tk = k->shape[2],
                      .D = q->shape[3],
                      .Dv = v->shape[3],
                      .out = mx_node_data(out),
                      .dtype = out->dtype};
    j.R = j.Nkv ? j.Nq / j.Nkv : 1;
    j.scale = is_half(out->dtype) ? round_half(out->dtype, p->scale) : p->scale;
    if (j.Tk == 0 || j.Nkv == 0) { /* no keys: every gradient is zero */
        memset(j.out, 0, (size_t)out->size * mx_dtype_size(out->dtype));
        return MX_OK;
    }
    double *sinks_copy = NULL;
    if (sinks && !(sinks_copy = vector_as(sinks, MX_FLOAT64, "scaled_dot_product_attention_vjp")))
        return mx_last_status();
    j.sinks = sinks_copy;
    int64_t per_task = j.R * j.Tq * j.Tk * (j.D + j.Dv) + 1;
    int64_t grain = CPU_ELEMENTWISE_GRAIN / per_task;
    cpu_parallel_for(j.B * j.Nkv, grain > 0 ? grain : 1, sdpa_vjp_groups, &j);
    free(sinks_copy);
    if (j.failed)
        return mx_set_error(MX_ERROR_MEMORY,
                            "scaled_dot_product_attention_vjp: out of memory for the scratch of %lld keys",
                            (long long)j.Tk);
    return MX_OK;
}

void cpu_register_fast(mx_backend *b) {
    b->kernels[MX_OP_scaled_dot_product_attention_vjp] = sdpa_vjp_kernel;
    b->kernels[MX_OP_rms_norm] = norm_kernel;
    b->kernels[MX_OP_layer_norm] = norm_kernel;
    b->kernels[MX_OP_rope] = rope_kernel;
    b->kernels[MX_OP_scaled_dot_product_attention] = sdpa_kernel;
    cpu_register_norm_vjp(b);
}
