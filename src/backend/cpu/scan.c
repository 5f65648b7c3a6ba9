/* backend/cpu/scan.c - CPU kernels of the scan family (src/ops/scan.c):
 * cumsum, cumprod, cummax, cummin, logcumsumexp along one axis.
 *
 * Shapes: in (outer, n, inner) -> out (outer, n, inner), row-contiguous, the
 * scan running along n. The input already has the output's dtype.
 *
 * Every scanned row is folded in order, exactly as MLX's CPU scan does (so
 * float sums round the same way and results are bit-identical): inclusive
 * out[0] = in[0] (copied), out[i] = op(out[i-1], in[i]); exclusive out[0] =
 * the identity, out[i] = op(out[i-1], in[i-1]). float16/bfloat16 round to
 * their type at every step (MLX's half arithmetic), cummax/cummin give a
 * canonical NaN once a NaN is involved (0.0 in float16/bfloat16: MLX's
 * quiet_NaN() of its half types), complex max/min compare
 * lexicographically without a NaN rule (MLX).
 *
 * Speed: rows are scanned BLOCK at a time with one accumulator each, so the
 * dependency chains of a block run side by side: with inner > 1 a block is
 * BLOCK adjacent columns (contiguous: the loop vectorises), with inner == 1
 * BLOCK consecutive rows (independent chains hide the add latency). Blocks
 * are spread over threads. A strided input is first copied into the output,
 * which is then scanned in place (every element is read before it is
 * written), as is a donated input. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/sort.h"

#define BLOCK_COLUMNS 512 /* columns per block when inner > 1 */
#define BLOCK_ROWS 8      /* rows per block when inner == 1 */

/* ---- element operations --------------------------------------------------------------------- */

#define ID(x) (x)
#define R_F16(x) mx_f16_to_f32(mx_f32_to_f16(x))
#define R_BF16(x) mx_bf16_to_f32(mx_f32_to_bf16(x))

/* MLX's CPU exp (mlx/backend/cpu/simd/math.h), as backend/cpu/binary.c has
 * it for logaddexp: Cephes' polynomial for 2^x in float32, for every real
 * dtype. Reproduced so logcumsumexp gives MLX's bits. */
static inline float mlx_exp(float x0) {
    if (!(x0 >= -88.0f && x0 <= 88.0f))
        return isnan(x0) ? x0 : x0 > 88.0f ? INFINITY : 0.0f;
    float x = x0 * 1.442695f; /* log2(e) */
    float ipart = (float)floor((double)x + 0.5);
    float fpart = x - ipart;
    float p = 1.535336188319500e-4f;
    p = fmaf(p, fpart, 1.339887440266574e-3f);
    p = fmaf(p, fpart, 9.618437357674640e-3f);
    p = fmaf(p, fpart, 5.550332471162809e-2f);
    p = fmaf(p, fpart, 2.402264791363012e-1f);
    p = fmaf(p, fpart, 6.931472028550421e-1f);
    p = fmaf(p, fpart, 1.000000000000000f);
    return mx_bits_f32((uint32_t)((int32_t)ipart + 127) << 23) * p;
}

/* Real floats in compute type C, rounded to storage by R after each step.
 * max keeps the new value on ties, min the running one (MLX's order). Once a
 * NaN is involved, max and min give NAN_OF: MLX's
 * std::numeric_limits<T>::quiet_NaN(), which is a canonical NaN for float
 * and double but 0.0 for its float16/bfloat16 types (the unspecialised
 * numeric_limits gives T()). cmlx reproduces that (docs/sort.md). */
#define FLOAT_OPS(S, C, R, LOG1P, NAN_OF)                                                                              \
    static inline C sum_##S(C a, C x) { return R(a + x); }                                                             \
    static inline C prod_##S(C a, C x) { return R(a * x); }                                                            \
    static inline C max_##S(C a, C x) { return (isnan(a) || isnan(x)) ? (C)(NAN_OF) : a > x ? a : x; }                 \
    static inline C min_##S(C a, C x) { return (isnan(a) || isnan(x)) ? (C)(NAN_OF) : x < a ? x : a; }                 \
    static inline C lae_##S(C a, C x) {                                                                                \
        C hi = isnan(a) ? a : a > x ? a : x, lo = isnan(a) ? a : a < x ? a : x;                                        \
        if (lo == -INFINITY || hi == INFINITY)                                                                         \
            return hi;                                                                                                 \
        C e = R((C)mlx_exp((float)R(lo - hi)));                                                                        \
        return R(hi + R(LOG1P(e)));                                                                                    \
    }
FLOAT_OPS(f16, float, R_F16, log1pf, 0.0f)
FLOAT_OPS(bf16, float, R_BF16, log1pf, 0.0f)
FLOAT_OPS(f32, float, ID, log1pf, NAN)
FLOAT_OPS(f64, double, ID, log1p, NAN)

/* complex64 as MLX's complex64_t (see backend/cpu/binary.c) */
static inline bool c64_gt(float complex x, float complex y) {
    return crealf(x) > crealf(y) || (crealf(x) == crealf(y) && cimagf(x) > cimagf(y));
}
static inline float complex sum_c64(float complex a, float complex x) { return a + x; }
static inline float complex prod_c64(float complex a, float complex x) { return a * x; }
static inline float complex max_c64(float complex a, float complex x) { return c64_gt(a, x) ? a : x; }
static inline float complex min_c64(float complex a, float complex x) { return c64_gt(a, x) ? x : a; }
/* MLX's complex log1p (mlx/backend/cpu/simd/base_simd.h) */
static inline float complex log1p_c64(float complex z) {
    float x = crealf(z), y = cimagf(z);
    float theta = atan2f(y, x + 1);
    if (cabsf(z) < 0.5f) {
        float r = x * (2 + x) + y * y;
        if (r == 0) /* underflow */
            return CMPLXF(x, theta);
        return CMPLXF(0.5f * log1pf(r), theta);
    }
    return CMPLXF(logf(hypotf(x + 1, y)), theta);
}
static inline bool c64_isnan(float complex x) { return isnan(crealf(x)) || isnan(cimagf(x)); }
/* MLX's LogAddExp on complex64: its Maximum/Minimum (a NaN first operand
 * wins), and the larger value when either end is infinite */
static inline float complex lae_c64(float complex a, float complex x) {
    float complex hi = c64_isnan(a) ? a : c64_gt(a, x) ? a : x;
    float complex lo = c64_isnan(a) ? a : c64_gt(x, a) ? a : x;
    if ((crealf(lo) == -INFINITY && cimagf(lo) == 0) || (crealf(hi) == INFINITY && cimagf(hi) == 0))
        return hi;
    return hi + log1p_c64(cexpf(lo - hi));
}

/* Integers wrap in M, an unsigned type of at least 32 bits (no promotion to int). */
#define INT_OPS(S, T, M)                                                                                               \
    static inline T sum_##S(T a, T x) { return (T)((M)a + (M)x); }                                                     \
    static inline T prod_##S(T a, T x) { return (T)((M)a * (M)x); }                                                    \
    static inline T max_##S(T a, T x) { return a > x ? a : x; }                                                        \
    static inline T min_##S(T a, T x) { return x < a ? x : a; }
INT_OPS(u8, uint8_t, uint32_t)
INT_OPS(u16, uint16_t, uint32_t)
INT_OPS(u32, uint32_t, uint32_t)
INT_OPS(u64, uint64_t, uint64_t)
INT_OPS(i8, int8_t, uint32_t)
INT_OPS(i16, int16_t, uint32_t)
INT_OPS(i32, int32_t, uint32_t)
INT_OPS(i64, int64_t, uint64_t)
/* bool: cumsum counts in int32 (a cast before the scan) */
static inline bool prod_b(bool a, bool x) { return a && x; }
static inline bool max_b(bool a, bool x) { return a || x; }
static inline bool min_b(bool a, bool x) { return a && x; }

/* ---- loads and stores ------------------------------------------------------------------------- */
#define LD_NATIVE(T, p) (*(const T *)(p))
#define ST_NATIVE(T, p, v) (*(T *)(p) = (v))
#define LD_F16(T, p) mx_f16_to_f32(*(const uint16_t *)(p))
#define ST_F16(T, p, v) (*(uint16_t *)(p) = mx_f32_to_f16(v))
#define LD_BF16(T, p) mx_bf16_to_f32(*(const uint16_t *)(p))
#define ST_BF16(T, p, v) (*(uint16_t *)(p) = mx_f32_to_bf16(v))

/* ---- the block scans ---------------------------------------------------------------------------
 * m rows: element k of row g is at data + g*rs + k*ks (element strides);
 * src and dst may be the same array (every element is read before it is
 * written). Two loops: COLUMNS (ks = number of columns, rs = 1, m <=
 * BLOCK_COLUMNS) runs the m chains side by side straight from memory; ROWS
 * (ks = 1, m <= BLOCK_ROWS) copies TILE elements of each row into a small
 * buffer laid out [k][g] (rows of a power-of-two length would otherwise all
 * land in the same cache set), scans it, and copies it back. */
typedef void (*scan_block_fn)(const void *src, void *dst, int64_t m, int64_t rs, int64_t n, int64_t ks, bool reverse,
                              bool inclusive, const void *init);

#define TILE 64

#define SCAN_BLOCK(NAME, T, C, LD, ST, OP)                                                                             \
    static void NAME##_columns(const T *src, T *dst, int64_t m, int64_t n, int64_t ks, bool reverse, bool inclusive,   \
                               C init_value) {                                                                         \
        C acc[BLOCK_COLUMNS];                                                                                          \
        int64_t k = reverse ? n - 1 : 0, step = reverse ? -1 : 1;                                                      \
        if (inclusive) {                                                                                               \
            for (int64_t g = 0; g < m; g++) {                                                                          \
                acc[g] = LD(T, src + k * ks + g);                                                                      \
                dst[k * ks + g] = src[k * ks + g]; /* the first element is copied (bits kept) */                       \
            }                                                                                                          \
        } else {                                                                                                       \
            for (int64_t g = 0; g < m; g++) {                                                                          \
                C x = LD(T, src + k * ks + g);                                                                         \
                ST(T, dst + k * ks + g, init_value);                                                                   \
                acc[g] = OP(init_value, x);                                                                            \
            }                                                                                                          \
        }                                                                                                              \
        for (int64_t i = 1; i < n; i++) {                                                                              \
            k += step;                                                                                                 \
            const T *s = src + k * ks;                                                                                 \
            T *d = dst + k * ks;                                                                                       \
            if (inclusive) {                                                                                           \
                for (int64_t g = 0; g < m; g++) {                                                                      \
                    acc[g] = OP(acc[g], LD(T, s + g));                                                                 \
                    ST(T, d + g, acc[g]);                                                                              \
                }                                                                                                      \
            } else {                                                                                                   \
                for (int64_t g = 0; g < m; g++) {                                                                      \
                    C x = LD(T, s + g);                                                                                \
                    ST(T, d + g, acc[g]);                                                                              \
                    acc[g] = OP(acc[g], x);                                                                            \
                }                                                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME##_rows(const T *src, T *dst, int64_t m, int64_t rs, int64_t n, bool reverse, bool inclusive,      \
                            C init_value) {                                                                            \
        C buf[TILE][BLOCK_ROWS], acc[BLOCK_ROWS];                                                                      \
        T first[BLOCK_ROWS];                                                                                           \
        memset(buf, 0, sizeof buf);                                                                                    \
        for (int64_t g = 0; g < BLOCK_ROWS; g++)                                                                       \
            acc[g] = init_value;                                                                                       \
        for (int64_t t0 = 0; t0 < n; t0 += TILE) {                                                                     \
            int64_t len = n - t0 < TILE ? n - t0 : TILE;                                                               \
            /* positions in scan order: p -> k = p (forward) or n - 1 - p (reverse) */                                 \
            for (int64_t g = 0; g < m; g++)                                                                            \
                for (int64_t p = 0; p < len; p++) {                                                                    \
                    int64_t k = reverse ? n - 1 - (t0 + p) : t0 + p;                                                   \
                    buf[p][g] = LD(T, src + g * rs + k);                                                               \
                }                                                                                                      \
            int64_t p0 = 0;                                                                                            \
            if (t0 == 0 && inclusive) { /* out[first] = in[first]: copied below, bits kept */                          \
                for (int64_t g = 0; g < m; g++)                                                                        \
                    first[g] = src[g * rs + (reverse ? n - 1 : 0)];                                                    \
                for (int64_t g = 0; g < BLOCK_ROWS; g++)                                                               \
                    acc[g] = buf[0][g];                                                                                \
                p0 = 1;                                                                                                \
            }                                                                                                          \
            if (inclusive) {                                                                                           \
                for (int64_t p = p0; p < len; p++)                                                                     \
                    for (int64_t g = 0; g < BLOCK_ROWS; g++) {                                                         \
                        acc[g] = OP(acc[g], buf[p][g]);                                                                \
                        buf[p][g] = acc[g];                                                                            \
                    }                                                                                                  \
            } else {                                                                                                   \
                for (int64_t p = 0; p < len; p++)                                                                      \
                    for (int64_t g = 0; g < BLOCK_ROWS; g++) {                                                         \
                        C x = buf[p][g];                                                                               \
                        buf[p][g] = acc[g];                                                                            \
                        acc[g] = OP(acc[g], x);                                                                        \
                    }                                                                                                  \
            }                                                                                                          \
            for (int64_t g = 0; g < m; g++)                                                                            \
                for (int64_t p = 0; p < len; p++) {                                                                    \
                    int64_t k = reverse ? n - 1 - (t0 + p) : t0 + p;                                                   \
                    ST(T, dst + g * rs + k, buf[p][g]);                                                                \
                }                                                                                                      \
            if (t0 == 0 && inclusive)                                                                                  \
                for (int64_t g = 0; g < m; g++)                                                                        \
                    dst[g * rs + (reverse ? n - 1 : 0)] = first[g];                                                    \
        }                                                                                                              \
    }                                                                                                                  \
    /* one contiguous row: the running value stays in a register */                                                    \
    static void NAME##_one(const T *src, T *dst, int64_t n, bool reverse, bool inclusive, C init_value) {              \
        int64_t k = reverse ? n - 1 : 0, step = reverse ? -1 : 1;                                                      \
        C acc;                                                                                                         \
        if (inclusive) {                                                                                               \
            acc = LD(T, src + k);                                                                                      \
            dst[k] = src[k]; /* copied: bits kept */                                                                   \
        } else {                                                                                                       \
            C x = LD(T, src + k);                                                                                      \
            ST(T, dst + k, init_value);                                                                                \
            acc = OP(init_value, x);                                                                                   \
        }                                                                                                              \
        for (int64_t i = 1; i < n; i++) {                                                                              \
            k += step;                                                                                                 \
            C x = LD(T, src + k);                                                                                      \
            if (inclusive) {                                                                                           \
                acc = OP(acc, x);                                                                                      \
                ST(T, dst + k, acc);                                                                                   \
            } else {                                                                                                   \
                ST(T, dst + k, acc);                                                                                   \
                acc = OP(acc, x);                                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }                                                                                                                  \
    static void NAME(const void *src, void *dst, int64_t m, int64_t rs, int64_t n, int64_t ks, bool reverse,           \
                     bool inclusive, const void *init) {                                                               \
        C init_value;                                                                                                  \
        memcpy(&init_value, init, sizeof init_value);                                                                  \
        if (n == 0)                                                                                                    \
            return;                                                                                                    \
        if (ks == 1 && m == 1)                                                                                         \
            NAME##_one(src, dst, n, reverse, inclusive, init_value);                                                   \
        else if (ks == 1)                                                                                              \
            NAME##_rows(src, dst, m, rs, n, reverse, inclusive, init_value);                                           \
        else                                                                                                           \
            NAME##_columns(src, dst, m, n, ks, reverse, inclusive, init_value);                                        \
    }

/* The four (five for floats) scans of one type. */
#define SCANS_OF(S, T, C, LD, ST)                                                                                      \
    SCAN_BLOCK(scan_sum_##S, T, C, LD, ST, sum_##S)                                                                    \
    SCAN_BLOCK(scan_prod_##S, T, C, LD, ST, prod_##S)                                                                  \
    SCAN_BLOCK(scan_max_##S, T, C, LD, ST, max_##S)                                                                    \
    SCAN_BLOCK(scan_min_##S, T, C, LD, ST, min_##S)
#define FLOAT_SCANS_OF(S, T, C, LD, ST) SCANS_OF(S, T, C, LD, ST) SCAN_BLOCK(scan_lae_##S, T, C, LD, ST, lae_##S)

FLOAT_SCANS_OF(f16, uint16_t, float, LD_F16, ST_F16)
FLOAT_SCANS_OF(bf16, uint16_t, float, LD_BF16, ST_BF16)
FLOAT_SCANS_OF(f32, float, float, LD_NATIVE, ST_NATIVE)
FLOAT_SCANS_OF(f64, double, double, LD_NATIVE, ST_NATIVE)
FLOAT_SCANS_OF(c64, float complex, float complex, LD_NATIVE, ST_NATIVE)
SCANS_OF(u8, uint8_t, uint8_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(u16, uint16_t, uint16_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(u32, uint32_t, uint32_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(u64, uint64_t, uint64_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(i8, int8_t, int8_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(i16, int16_t, int16_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(i32, int32_t, int32_t, LD_NATIVE, ST_NATIVE)
SCANS_OF(i64, int64_t, int64_t, LD_NATIVE, ST_NATIVE)
SCAN_BLOCK(scan_prod_b, bool, bool, LD_NATIVE, ST_NATIVE, prod_b)
SCAN_BLOCK(scan_max_b, bool, bool, LD_NATIVE, ST_NATIVE, max_b)
SCAN_BLOCK(scan_min_b, bool, bool, LD_NATIVE, ST_NATIVE, min_b)

enum { K_SUM, K_PROD, K_MAX, K_MIN, K_LAE, K_COUNT };

#define ROW_INT(DT, S) [DT] = {scan_sum_##S, scan_prod_##S, scan_max_##S, scan_min_##S, NULL},
#define ROW_FLOAT(DT, S) [DT] = {scan_sum_##S, scan_prod_##S, scan_max_##S, scan_min_##S, scan_lae_##S},
static const scan_block_fn k_scans[MX_DTYPE_COUNT][K_COUNT] = {
    [MX_BOOL] = {NULL, scan_prod_b, scan_max_b, scan_min_b, NULL},
    ROW_INT(MX_UINT8, u8) ROW_INT(MX_UINT16, u16) ROW_INT(MX_UINT32, u32) ROW_INT(MX_UINT64, u64) ROW_INT(MX_INT8, i8)
        ROW_INT(MX_INT16, i16) ROW_INT(MX_INT32, i32) ROW_INT(MX_INT64, i64) ROW_FLOAT(MX_FLOAT16, f16)
            ROW_FLOAT(MX_BFLOAT16, bf16) ROW_FLOAT(MX_FLOAT32, f32) ROW_FLOAT(MX_FLOAT64, f64)
                ROW_FLOAT(MX_COMPLEX64, c64)};
#undef ROW_INT
#undef ROW_FLOAT

/* The identity an exclusive scan starts from, in the compute type (16 bytes
 * hold any of them). */
static void scan_init(int kind, mx_dtype dt, unsigned char *out) {
    memset(out, 0, 16);
#define PUT(C, v)                                                                                                      \
    do {                                                                                                               \
        C value_ = (v);                                                                                                \
        memcpy(out, &value_, sizeof value_);                                                                           \
    } while (0)
    bool lo = kind == K_MAX || kind == K_LAE; /* start from the lowest value */
    switch (dt) {
    case MX_BOOL: PUT(bool, kind == K_PROD || kind == K_MIN); break;
    case MX_FLOAT16:
    case MX_BFLOAT16:
    case MX_FLOAT32: PUT(float, kind == K_SUM ? 0.0f : kind == K_PROD ? 1.0f : lo ? -INFINITY : INFINITY); break;
    case MX_FLOAT64: PUT(double, kind == K_SUM ? 0.0 : kind == K_PROD ? 1.0 : lo ? -INFINITY : INFINITY); break;
    case MX_COMPLEX64: {
        /* MLX: max starts at -inf-infj, min at inf+infj, logaddexp at -inf+0j */
        float complex v = kind == K_SUM    ? CMPLXF(0, 0)
                          : kind == K_PROD ? CMPLXF(1, 0)
                          : kind == K_LAE  ? CMPLXF(-INFINITY, 0)
                          : lo             ? CMPLXF(-INFINITY, -INFINITY)
                                           : CMPLXF(INFINITY, INFINITY);
        PUT(float complex, v);
        break;
    }
#define INT_INIT(DT, T, MIN, MAX)                                                                                      \
    case DT: PUT(T, (T)(kind == K_SUM ? 0 : kind == K_PROD ? 1 : lo ? MIN : MAX)); break;
        INT_INIT(MX_UINT8, uint8_t, 0, UINT8_MAX)
        INT_INIT(MX_UINT16, uint16_t, 0, UINT16_MAX)
        INT_INIT(MX_UINT32, uint32_t, 0, UINT32_MAX)
        INT_INIT(MX_UINT64, uint64_t, 0, UINT64_MAX)
        INT_INIT(MX_INT8, int8_t, INT8_MIN, INT8_MAX)
        INT_INIT(MX_INT16, int16_t, INT16_MIN, INT16_MAX)
        INT_INIT(MX_INT32, int32_t, INT32_MIN, INT32_MAX)
        INT_INIT(MX_INT64, int64_t, INT64_MIN, INT64_MAX)
#undef INT_INIT
    default: break;
    }
#undef PUT
}

/* ---- the kernel ---------------------------------------------------------------------------------- */

typedef struct scan_ctx {
    scan_block_fn fn;
    const char *src;
    char *dst;
    size_t itemsize;
    int64_t n, inner, blocks_per_outer, rows_per_block;
    bool reverse, inclusive;
    unsigned char init[16];
} scan_ctx;

static void scan_range(int64_t begin, int64_t end, void *vctx) {
    const scan_ctx *c = vctx;
    for (int64_t b = begin; b < end; b++) {
        int64_t offset, m, rs, ks;
        if (c->inner > 1) { /* a block of columns of one outer index */
            int64_t o = b / c->blocks_per_outer, j = (b % c->blocks_per_outer) * BLOCK_COLUMNS;
            offset = o * c->n * c->inner + j;
            m = c->inner - j < BLOCK_COLUMNS ? c->inner - j : BLOCK_COLUMNS;
            rs = 1;
            ks = c->inner;
        } else { /* a block of consecutive rows */
            int64_t r = b * BLOCK_ROWS;
            offset = r * c->n;
            m = c->rows_per_block - r < BLOCK_ROWS ? c->rows_per_block - r : BLOCK_ROWS;
            rs = c->n;
            ks = 1;
        }
        size_t bytes = (size_t)offset * c->itemsize;
        c->fn(c->src + bytes, c->dst + bytes, m, rs, c->n, ks, c->reverse, c->inclusive, c->init);
    }
}

static int scan_kind(int id) {
    switch (id) {
    case MX_OP_cumsum: return K_SUM;
    case MX_OP_cumprod: return K_PROD;
    case MX_OP_cummax: return K_MAX;
    case MX_OP_cummin: return K_MIN;
    default: return K_LAE;
    }
}

static mx_status scan_kernel(mx_node *out) {
    const mx_scan_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int kind = scan_kind(out->op->id);
    scan_block_fn fn = (unsigned)out->dtype < MX_DTYPE_COUNT ? k_scans[out->dtype][kind] : NULL;
    if (!fn || in->dtype != out->dtype)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: no CPU scan for %s input and %s output", out->op->name,
                            mx_dtype_name(in->dtype), mx_dtype_name(out->dtype));
    const char *src;
    if (mx_node_is_row_contiguous(in) && mx_node_try_donate(out, 0)) {
        src = mx_node_data(out); /* in place */
    } else {
        mx_status st = mx_node_alloc_output(out);
        if (st != MX_OK)
            return st;
        if (mx_node_is_row_contiguous(in)) {
            src = mx_node_data(in);
        } else { /* gather the view into the output, then scan it in place */
            if (out->size)
                cpu_copy(out, in);
            src = mx_node_data(out);
        }
    }
    if (out->size == 0)
        return MX_OK;
    scan_ctx c;
    memset(&c, 0, sizeof c);
    c.fn = fn;
    c.src = src;
    c.dst = mx_node_data(out);
    c.itemsize = mx_dtype_size(out->dtype);
    c.n = out->shape[p->axis];
    c.inner = 1;
    for (int i = p->axis + 1; i < out->ndim; i++)
        c.inner *= out->shape[i];
    int64_t outer = out->size / (c.n * c.inner);
    c.reverse = p->reverse;
    c.inclusive = p->inclusive;
    scan_init(kind, out->dtype, c.init);
    int64_t blocks;
    if (c.inner > 1) {
        c.blocks_per_outer = (c.inner + BLOCK_COLUMNS - 1) / BLOCK_COLUMNS;
        blocks = outer * c.blocks_per_outer;
    } else {
        c.rows_per_block = outer;
        blocks = (outer + BLOCK_ROWS - 1) / BLOCK_ROWS;
    }
    /* a block is ~BLOCK x n elements of work */
    int64_t per_block = c.n * (c.inner > 1 ? (c.inner < BLOCK_COLUMNS ? c.inner : BLOCK_COLUMNS) : BLOCK_ROWS);
    int64_t grain = CPU_ELEMENTWISE_GRAIN / (per_block > 0 ? per_block : 1);
    cpu_parallel_for(blocks, grain > 0 ? grain : 1, scan_range, &c);
    return MX_OK;
}

void cpu_register_scan(mx_backend *b) {
    b->kernels[MX_OP_cumsum] = scan_kernel;
    b->kernels[MX_OP_cumprod] = scan_kernel;
    b->kernels[MX_OP_cummax] = scan_kernel;
    b->kernels[MX_OP_cummin] = scan_kernel;
    b->kernels[MX_OP_logcumsumexp] = scan_kernel;
}
