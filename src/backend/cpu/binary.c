/* backend/cpu/binary.c - CPU kernels of the binary element-wise ops and of
 * where.
 *
 * One kernel serves every binary op: it looks up a run function by (op,
 * compute dtype) and drives it with cpu_foreach. The op constructors have
 * already cast both inputs to the compute dtype and broadcast them to the
 * output's shape, so a run sees one dtype and per-operand byte strides (0
 * for a broadcast operand). Each run function has loops for
 * contiguous/contiguous, scalar/contiguous and contiguous/scalar, written so
 * the compiler vectorises them, and a general strided loop.
 *
 * Element semantics follow MLX 0.32's CPU backend (mlx/backend/cpu/simd/
 * base_simd.h), with its undefined cases made defined:
 *   - integer floor_divide by 0 gives 0 and remainder by 0 gives the
 *     dividend (as MLX); MIN // -1 wraps to MIN and MIN % -1 is 0 (MLX traps
 *     with SIGFPE for int32/int64 there);
 *   - integer add/subtract/multiply/power wrap around (two's complement);
 *   - shifts by a count outside [0, bit width) give 0 (left shift, and right
 *     shift of unsigned or non-negative values) or -1 (right shift of a
 *     negative value), as NumPy; MLX's result there is whatever the hardware
 *     gives;
 *   - float16/bfloat16 compute in float32 and round the result to the storage
 *     type, and, like MLX, also round the intermediate results of
 *     floor_divide and logaddexp. */
#include <complex.h>
#include <math.h>
#include <string.h>
#if defined(__F16C__)
#include <immintrin.h>
#endif

#include "backend/cpu/cpu.h"

/* ---- rounding to the storage types ---------------------------------- */

#define ID(x) (x)
#define R_F16(x) mx_f16_to_f32(mx_f32_to_f16(x))
#define R_BF16(x) mx_bf16_to_f32(mx_f32_to_bf16(x))

/* MLX's CPU exp (mlx/backend/cpu/simd/math.h): Cephes' polynomial for 2^x in
 * float32, used by MLX for every real dtype. Reproduced so logaddexp gives
 * MLX's bits. */
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
    /* 2^ipart from the exponent bits; ipart is in [-127, 127] here */
    return mx_bits_f32((uint32_t)((int32_t)ipart + 127) << 23) * p;
}

/* ---- element functions ----------------------------------------------------------------
 * S: type suffix; C: compute type; R: rounding of intermediates to storage. */

#define FLOAT_FUNCS(S, C, R, FLOOR, REM, POW, ATAN2, LOG1P)                                                            \
    static inline C add_##S(C x, C y) { return x + y; }                                                                \
    static inline C subtract_##S(C x, C y) { return x - y; }                                                           \
    static inline C multiply_##S(C x, C y) { return x * y; }                                                           \
    static inline C divide_##S(C x, C y) { return x / y; }                                                             \
    static inline C floor_divide_##S(C x, C y) { return FLOOR(R(x / y)); }                                             \
    /* IEEE remainder, moved to the divisor's sign (Python %) */                                                       \
    static inline C remainder_##S(C x, C y) {                                                                          \
        C r = REM(x, y);                                                                                               \
        if (r != 0 && ((r < 0) != (y < 0)))                                                                            \
            r += y;                                                                                                    \
        return r;                                                                                                      \
    }                                                                                                                  \
    static inline C power_##S(C x, C y) { return POW(x, y); }                                                          \
    /* NaN in x or y propagates (a NaN y fails the comparison) */                                                      \
    static inline C maximum_##S(C x, C y) { return isnan(x) ? x : x > y ? x : y; }                                     \
    static inline C minimum_##S(C x, C y) { return isnan(x) ? x : x < y ? x : y; }                                     \
    static inline C logaddexp_##S(C x, C y) {                                                                          \
        C hi = maximum_##S(x, y), lo = minimum_##S(x, y);                                                              \
        if (lo == -INFINITY || hi == INFINITY)                                                                         \
            return hi;                                                                                                 \
        C e = R((C)mlx_exp((float)R(lo - hi)));                                                                        \
        return hi + R(LOG1P(e));                                                                                       \
    }                                                                                                                  \
    static inline C arctan2_##S(C x, C y) { return ATAN2(x, y); }

FLOAT_FUNCS(f16, float, R_F16, floorf, remainderf, powf, atan2f, log1pf)
FLOAT_FUNCS(bf16, float, R_BF16, floorf, remainderf, powf, atan2f, log1pf)
FLOAT_FUNCS(f32, float, ID, floorf, remainderf, powf, atan2f, log1pf)
FLOAT_FUNCS(f64, double, ID, floor, remainder, pow, atan2, log1p)

/* Integers. M is the unsigned type arithmetic wraps in: at least 32 bits, so
 * 8/16-bit operands never promote to (overflowing) signed int. */
#define INT_COMMON_FUNCS(S, T, M)                                                                                      \
    static inline T add_##S(T x, T y) { return (T)((M)x + (M)y); }                                                     \
    static inline T subtract_##S(T x, T y) { return (T)((M)x - (M)y); }                                                \
    static inline T multiply_##S(T x, T y) { return (T)((M)x * (M)y); }                                                \
    static inline T maximum_##S(T x, T y) { return x > y ? x : y; }                                                    \
    static inline T minimum_##S(T x, T y) { return x < y ? x : y; }                                                    \
    static inline T bitwise_and_##S(T x, T y) { return (T)(x & y); }                                                   \
    static inline T bitwise_or_##S(T x, T y) { return (T)(x | y); }                                                    \
    static inline T bitwise_xor_##S(T x, T y) { return (T)(x ^ y); }                                                   \
    /* exponentiation by squaring, wrapping */                                                                         \
    static inline T power_unsigned_##S(M base, T e) {                                                                  \
        M result = 1;                                                                                                  \
        while (e) {                                                                                                    \
            if (e & 1)                                                                                                 \
                result *= base;                                                                                        \
            e = (T)(e >> 1);                                                                                           \
            base *= base;                                                                                              \
        }                                                                                                              \
        return (T)result;                                                                                              \
    }

#define SINT_FUNCS(S, T, M, BITS)                                                                                      \
    INT_COMMON_FUNCS(S, T, M)                                                                                          \
    /* Python floor division; by 0 gives 0 (MLX); MIN // -1 wraps to MIN */                                            \
    static inline T floor_divide_##S(T x, T y) {                                                                       \
        if (y == 0)                                                                                                    \
            return 0;                                                                                                  \
        if (y == -1)                                                                                                   \
            return (T)(0 - (M)x);                                                                                      \
        T q = (T)(x / y);                                                                                              \
        if ((T)(x % y) != 0 && ((x < 0) != (y < 0)))                                                                   \
            q--;                                                                                                       \
        return q;                                                                                                      \
    }                                                                                                                  \
    /* sign of the divisor; by 0 gives x (MLX) */                                                                      \
    static inline T remainder_##S(T x, T y) {                                                                          \
        if (y == 0)                                                                                                    \
            return x;                                                                                                  \
        if (y == -1)                                                                                                   \
            return 0;                                                                                                  \
        T r = (T)(x % y);                                                                                              \
        if (r != 0 && ((r < 0) != (y < 0)))                                                                            \
            r = (T)(r + y);                                                                                            \
        return r;                                                                                                      \
    }                                                                                                                  \
    /* negative exponents give 0, as MLX */                                                                            \
    static inline T power_##S(T x, T y) { return y < 0 ? 0 : power_unsigned_##S((M)x, y); }                            \
    static inline T left_shift_##S(T x, T y) { return y < 0 || y >= BITS ? 0 : (T)((M)x << y); }                       \
    static inline T right_shift_##S(T x, T y) { return y < 0 || y >= BITS ? (T)(x < 0 ? -1 : 0) : (T)(x >> y); }

#define UINT_FUNCS(S, T, M, BITS)                                                                                      \
    INT_COMMON_FUNCS(S, T, M)                                                                                          \
    static inline T floor_divide_##S(T x, T y) { return y == 0 ? 0 : (T)(x / y); }                                     \
    static inline T remainder_##S(T x, T y) { return y == 0 ? x : (T)(x % y); }                                        \
    static inline T power_##S(T x, T y) { return power_unsigned_##S((M)x, y); }                                        \
    static inline T left_shift_##S(T x, T y) { return y >= BITS ? 0 : (T)((M)x << y); }                                \
    static inline T right_shift_##S(T x, T y) { return y >= BITS ? 0 : (T)(x >> y); }

SINT_FUNCS(i8, int8_t, uint32_t, 8)
SINT_FUNCS(i16, int16_t, uint32_t, 16)
SINT_FUNCS(i32, int32_t, uint32_t, 32)
SINT_FUNCS(i64, int64_t, uint64_t, 64)
UINT_FUNCS(u8, uint8_t, uint32_t, 8)
UINT_FUNCS(u16, uint16_t, uint32_t, 16)
UINT_FUNCS(u32, uint32_t, uint32_t, 32)
UINT_FUNCS(u64, uint64_t, uint64_t, 64)

/* bool: MLX computes in int and converts the result back to bool (non-zero),
 * which reduces to these logic functions of 0/1 values. */
static inline bool add_b(bool x, bool y) { return x | y; }       /* 1+1 = 2 -> true */
static inline bool subtract_b(bool x, bool y) { return x != y; } /* 0-1 = -1 -> true */
static inline bool multiply_b(bool x, bool y) { return x & y; }
static inline bool floor_divide_b(bool x, bool y) { return x & y; } /* x / 0 gives 0 */
static inline bool remainder_b(bool x, bool y) { return x & !y; }   /* x % 1 = 0, x % 0 gives x */
static inline bool power_b(bool x, bool y) { return x | !y; }       /* x^0 = 1, x^1 = x */
static inline bool maximum_b(bool x, bool y) { return x | y; }
static inline bool minimum_b(bool x, bool y) { return x & y; }
static inline bool bitwise_and_b(bool x, bool y) { return x & y; }
static inline bool bitwise_or_b(bool x, bool y) { return x | y; }
static inline bool bitwise_xor_b(bool x, bool y) { return x ^ y; }
static inline bool logical_and_b(bool x, bool y) { return x & y; }
static inline bool logical_or_b(bool x, bool y) { return x | y; }

/* Comparisons (after promotion, on the compute type). */
#define CMP_FUNCS(S, C)                                                                                                \
    static inline bool equal_##S(C x, C y) { return x == y; }                                                          \
    static inline bool not_equal_##S(C x, C y) { return x != y; }                                                      \
    static inline bool greater_##S(C x, C y) { return x > y; }                                                         \
    static inline bool greater_equal_##S(C x, C y) { return x >= y; }                                                  \
    static inline bool less_##S(C x, C y) { return x < y; }                                                            \
    static inline bool less_equal_##S(C x, C y) { return x <= y; }
CMP_FUNCS(f16, float)
CMP_FUNCS(bf16, float)
CMP_FUNCS(f32, float)
CMP_FUNCS(f64, double)
CMP_FUNCS(i8, int8_t)
CMP_FUNCS(i16, int16_t)
CMP_FUNCS(i32, int32_t)
CMP_FUNCS(i64, int64_t)
CMP_FUNCS(u8, uint8_t)
CMP_FUNCS(u16, uint16_t)
CMP_FUNCS(u32, uint32_t)
CMP_FUNCS(u64, uint64_t)
CMP_FUNCS(b, bool)

/* complex64 as MLX's complex64_t, a std::complex<float>: C99's float complex
 * has the same layout, and its arithmetic is the same compiler code
 * (multiply and divide follow Annex G through __mulsc3/__divsc3) and the
 * same libm (cpowf, cexpf, cabsf), so results match MLX bit for bit. */
static inline bool c64_isnan(float complex x) { return isnan(crealf(x)) || isnan(cimagf(x)); }
/* lexicographic order, real part first (MLX's complex64_t operator>) */
static inline bool c64_gt(float complex x, float complex y) {
    return crealf(x) > crealf(y) || (crealf(x) == crealf(y) && cimagf(x) > cimagf(y));
}
static inline bool c64_ge(float complex x, float complex y) {
    return crealf(x) > crealf(y) || (crealf(x) == crealf(y) && cimagf(x) >= cimagf(y));
}
static inline float complex add_c64(float complex x, float complex y) { return x + y; }
static inline float complex subtract_c64(float complex x, float complex y) { return x - y; }
static inline float complex multiply_c64(float complex x, float complex y) { return x * y; }
static inline float complex divide_c64(float complex x, float complex y) { return x / y; }
/* MLX's complex floor_divide is the plain quotient (no floor) */
static inline float complex floor_divide_c64(float complex x, float complex y) { return x / y; }
static inline float complex power_c64(float complex x, float complex y) { return cpowf(x, y); }
/* a NaN (in either part) x propagates; a NaN y fails the comparison */
static inline float complex maximum_c64(float complex x, float complex y) {
    return c64_isnan(x) ? x : c64_gt(x, y) ? x : y;
}
static inline float complex minimum_c64(float complex x, float complex y) {
    return c64_isnan(x) ? x : c64_gt(y, x) ? x : y;
}
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
/* MLX: the larger (lexicographically) plus log1p(exp(smaller - larger)),
 * except that an infinite larger (+inf + 0i) or smaller (-inf + 0i) value
 * gives the larger one */
static inline float complex logaddexp_c64(float complex x, float complex y) {
    float complex hi = maximum_c64(x, y), lo = minimum_c64(x, y);
    if ((crealf(lo) == -INFINITY && cimagf(lo) == 0) || (crealf(hi) == INFINITY && cimagf(hi) == 0))
        return hi;
    return hi + log1p_c64(cexpf(lo - hi));
}
static inline bool equal_c64(float complex x, float complex y) { return x == y; }
static inline bool not_equal_c64(float complex x, float complex y) { return x != y; }
static inline bool greater_c64(float complex x, float complex y) { return c64_gt(x, y); }
static inline bool greater_equal_c64(float complex x, float complex y) { return c64_ge(x, y); }
static inline bool less_c64(float complex x, float complex y) { return c64_gt(y, x); }
static inline bool less_equal_c64(float complex x, float complex y) { return c64_ge(y, x); }

/* ---- run functions ----------------------------------------------------------------------
 * One run: n elements; ptrs/strides (bytes) of the output, a and b. */

/* Native types (C arithmetic on the storage type). OT, IT: output and input
 * types. Written so the compiler vectorises the first three loops; donation
 * makes o and a (or b) the same array, which those loops allow. */
#define BINARY_RUN(NAME, OT, IT, FN)                                                                                   \
    static void NAME(char **ptrs, const int64_t *strides, int64_t n, void *ctx) {                                      \
        (void)ctx;                                                                                                     \
        OT *o = (OT *)ptrs[0];                                                                                         \
        const IT *a = (const IT *)ptrs[1], *b = (const IT *)ptrs[2];                                                   \
        const int64_t os = (int64_t)sizeof(OT), is = (int64_t)sizeof(IT);                                              \
        if (strides[0] == os && strides[1] == is && strides[2] == is) {                                                \
            for (int64_t i = 0; i < n; i++)                                                                            \
                o[i] = FN(a[i], b[i]);                                                                                 \
        } else if (strides[0] == os && strides[1] == 0 && strides[2] == is) {                                          \
            const IT x = a[0];                                                                                         \
            for (int64_t i = 0; i < n; i++)                                                                            \
                o[i] = FN(x, b[i]);                                                                                    \
        } else if (strides[0] == os && strides[1] == is && strides[2] == 0) {                                          \
            const IT y = b[0];                                                                                         \
            for (int64_t i = 0; i < n; i++)                                                                            \
                o[i] = FN(a[i], y);                                                                                    \
        } else {                                                                                                       \
            char *po = ptrs[0];                                                                                        \
            const char *pa = ptrs[1], *pb = ptrs[2];                                                                   \
            for (int64_t i = 0; i < n; i++)                                                                            \
                *(OT *)(po + i * strides[0]) =                                                                         \
                    FN(*(const IT *)(pa + i * strides[1]), *(const IT *)(pb + i * strides[2]));                        \
        }                                                                                                              \
    }

/* float16/bfloat16: blocks are converted to float32 (F16C for float16),
 * computed with vectorisable float loops, and converted back. A block is read
 * whole before it is written, so in-place (donated) runs are safe. */
#define HALF_BLOCK 256

static inline void f16_load_block(float *dst, const char *src, int64_t stride, int64_t n) {
    int64_t i = 0;
    if (stride == 2) {
#if defined(__F16C__)
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + 2 * i))));
#endif
        for (; i < n; i++)
            dst[i] = mx_f16_to_f32(((const uint16_t *)src)[i]);
    } else {
        for (; i < n; i++)
            dst[i] = mx_f16_to_f32(*(const uint16_t *)(src + i * stride));
    }
}

static inline void f16_store_block(char *dst, int64_t stride, const float *src, int64_t n) {
    int64_t i = 0;
    if (stride == 2) {
#if defined(__F16C__)
        for (; i + 8 <= n; i += 8)
            _mm_storeu_si128((__m128i *)(dst + 2 * i),
                             _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
#endif
        for (; i < n; i++)
            ((uint16_t *)dst)[i] = mx_f32_to_f16(src[i]);
    } else {
        for (; i < n; i++)
            *(uint16_t *)(dst + i * stride) = mx_f32_to_f16(src[i]);
    }
}

static inline void bf16_load_block(float *dst, const char *src, int64_t stride, int64_t n) {
    if (stride == 2) {
        const uint16_t *s = (const uint16_t *)src;
        for (int64_t i = 0; i < n; i++)
            dst[i] = mx_bf16_to_f32(s[i]);
    } else {
        for (int64_t i = 0; i < n; i++)
            dst[i] = mx_bf16_to_f32(*(const uint16_t *)(src + i * stride));
    }
}

static inline void bf16_store_block(char *dst, int64_t stride, const float *src, int64_t n) {
    if (stride == 2) {
        uint16_t *d = (uint16_t *)dst;
        for (int64_t i = 0; i < n; i++)
            d[i] = mx_f32_to_bf16(src[i]);
    } else {
        for (int64_t i = 0; i < n; i++)
            *(uint16_t *)(dst + i * stride) = mx_f32_to_bf16(src[i]);
    }
}

static inline void bool_store_block(char *dst, int64_t stride, const bool *src, int64_t n) {
    if (stride == 1) {
        memcpy(dst, src, (size_t)n);
    } else {
        for (int64_t i = 0; i < n; i++)
            *(bool *)(dst + i * stride) = src[i];
    }
}

/* OC: the computed type (float, or bool for comparisons); LOAD/STORE: the
 * block conversions of the inputs and of the output. */
#define HALF_RUN(NAME, OC, LOAD, STORE, FN)                                                                            \
    static void NAME(char **ptrs, const int64_t *strides, int64_t n, void *ctx) {                                      \
        (void)ctx;                                                                                                     \
        float a[HALF_BLOCK], b[HALF_BLOCK];                                                                            \
        OC o[HALF_BLOCK];                                                                                              \
        const bool a_scalar = strides[1] == 0, b_scalar = strides[2] == 0;                                             \
        for (int64_t start = 0; start < n; start += HALF_BLOCK) {                                                      \
            const int64_t m = n - start < HALF_BLOCK ? n - start : HALF_BLOCK;                                         \
            LOAD(a, ptrs[1] + start * strides[1], strides[1], a_scalar ? 1 : m);                                       \
            LOAD(b, ptrs[2] + start * strides[2], strides[2], b_scalar ? 1 : m);                                       \
            if (a_scalar && b_scalar) {                                                                                \
                const OC v = FN(a[0], b[0]);                                                                           \
                for (int64_t i = 0; i < m; i++)                                                                        \
                    o[i] = v;                                                                                          \
            } else if (a_scalar) {                                                                                     \
                for (int64_t i = 0; i < m; i++)                                                                        \
                    o[i] = FN(a[0], b[i]);                                                                             \
            } else if (b_scalar) {                                                                                     \
                for (int64_t i = 0; i < m; i++)                                                                        \
                    o[i] = FN(a[i], b[0]);                                                                             \
            } else {                                                                                                   \
                for (int64_t i = 0; i < m; i++)                                                                        \
                    o[i] = FN(a[i], b[i]);                                                                             \
            }                                                                                                          \
            STORE(ptrs[0] + start * strides[0], strides[0], o, m);                                                     \
        }                                                                                                              \
    }

/* Run generators: (op, type suffix, storage type) -> OP_S_run. SAME gives
 * the storage type, BOOL gives bool. */
#define NATIVE_SAME(OP, S, T) BINARY_RUN(OP##_##S##_run, T, T, OP##_##S)
#define NATIVE_BOOL(OP, S, T) BINARY_RUN(OP##_##S##_run, bool, T, OP##_##S)
#define HALF_SAME(OP, S, T) HALF_RUN(OP##_##S##_run, float, S##_load_block, S##_store_block, OP##_##S)
#define HALF_BOOL(OP, S, T) HALF_RUN(OP##_##S##_run, bool, S##_load_block, bool_store_block, OP##_##S)

#define CMP_RUNS(GEN, S, T)                                                                                            \
    GEN(equal, S, T)                                                                                                   \
    GEN(not_equal, S, T) GEN(greater, S, T) GEN(greater_equal, S, T) GEN(less, S, T) GEN(less_equal, S, T)
#define ARITH_RUNS(GEN, S, T)                                                                                          \
    GEN(add, S, T)                                                                                                     \
    GEN(subtract, S, T)                                                                                                \
    GEN(multiply, S, T) GEN(floor_divide, S, T) GEN(remainder, S, T) GEN(power, S, T) GEN(maximum, S, T)               \
        GEN(minimum, S, T)
#define FLOAT_RUNS(SAME, BOOL, S, T)                                                                                   \
    ARITH_RUNS(SAME, S, T) SAME(divide, S, T) SAME(logaddexp, S, T) SAME(arctan2, S, T) CMP_RUNS(BOOL, S, T)
#define INT_RUNS(S, T)                                                                                                 \
    ARITH_RUNS(NATIVE_SAME, S, T)                                                                                      \
    NATIVE_SAME(bitwise_and, S, T)                                                                                     \
    NATIVE_SAME(bitwise_or, S, T)                                                                                      \
    NATIVE_SAME(bitwise_xor, S, T) NATIVE_SAME(left_shift, S, T) NATIVE_SAME(right_shift, S, T)                        \
        CMP_RUNS(NATIVE_BOOL, S, T)

FLOAT_RUNS(HALF_SAME, HALF_BOOL, f16, uint16_t)
FLOAT_RUNS(HALF_SAME, HALF_BOOL, bf16, uint16_t)
FLOAT_RUNS(NATIVE_SAME, NATIVE_BOOL, f32, float)
FLOAT_RUNS(NATIVE_SAME, NATIVE_BOOL, f64, double)
#define C64_RUNS(S, T)                                                                                                 \
    NATIVE_SAME(add, S, T)                                                                                             \
    NATIVE_SAME(subtract, S, T)                                                                                        \
    NATIVE_SAME(multiply, S, T) NATIVE_SAME(divide, S, T) NATIVE_SAME(floor_divide, S, T) NATIVE_SAME(power, S, T)     \
        NATIVE_SAME(maximum, S, T) NATIVE_SAME(minimum, S, T) NATIVE_SAME(logaddexp, S, T) CMP_RUNS(NATIVE_BOOL, S, T)
C64_RUNS(c64, float complex)
INT_RUNS(i8, int8_t)
INT_RUNS(i16, int16_t)
INT_RUNS(i32, int32_t)
INT_RUNS(i64, int64_t)
INT_RUNS(u8, uint8_t)
INT_RUNS(u16, uint16_t)
INT_RUNS(u32, uint32_t)
INT_RUNS(u64, uint64_t)
ARITH_RUNS(NATIVE_SAME, b, bool)
NATIVE_SAME(bitwise_and, b, bool)
NATIVE_SAME(bitwise_or, b, bool)
NATIVE_SAME(bitwise_xor, b, bool)
NATIVE_SAME(logical_and, b, bool)
NATIVE_SAME(logical_or, b, bool)
CMP_RUNS(NATIVE_BOOL, b, bool)

/* ---- the (op, compute dtype) -> run table ---------------------------------------------- */

#define N_BINARY_OPS (MX_OP_right_shift - MX_OP_add + 1)
static cpu_run_fn g_runs[N_BINARY_OPS][MX_DTYPE_COUNT];

#define SET(OP, S, DT) g_runs[MX_OP_##OP - MX_OP_add][DT] = OP##_##S##_run;
#define SET_CMP(S, DT)                                                                                                 \
    SET(equal, S, DT)                                                                                                  \
    SET(not_equal, S, DT) SET(greater, S, DT) SET(greater_equal, S, DT) SET(less, S, DT) SET(less_equal, S, DT)
#define SET_ARITH(S, DT)                                                                                               \
    SET(add, S, DT)                                                                                                    \
    SET(subtract, S, DT)                                                                                               \
    SET(multiply, S, DT) SET(floor_divide, S, DT) SET(remainder, S, DT) SET(power, S, DT) SET(maximum, S, DT)          \
        SET(minimum, S, DT)
#define SET_FLOAT(S, DT) SET_ARITH(S, DT) SET(divide, S, DT) SET(logaddexp, S, DT) SET(arctan2, S, DT) SET_CMP(S, DT)
#define SET_INT(S, DT)                                                                                                 \
    SET_ARITH(S, DT)                                                                                                   \
    SET(bitwise_and, S, DT)                                                                                            \
    SET(bitwise_or, S, DT) SET(bitwise_xor, S, DT) SET(left_shift, S, DT) SET(right_shift, S, DT) SET_CMP(S, DT)

static void fill_run_table(void) {
    SET_FLOAT(f16, MX_FLOAT16)
    SET_FLOAT(bf16, MX_BFLOAT16)
    SET_FLOAT(f32, MX_FLOAT32)
    SET_FLOAT(f64, MX_FLOAT64)
    SET(add, c64, MX_COMPLEX64)
    SET(subtract, c64, MX_COMPLEX64)
    SET(multiply, c64, MX_COMPLEX64)
    SET(divide, c64, MX_COMPLEX64)
    SET(floor_divide, c64, MX_COMPLEX64)
    SET(power, c64, MX_COMPLEX64)
    SET(maximum, c64, MX_COMPLEX64)
    SET(minimum, c64, MX_COMPLEX64)
    SET(logaddexp, c64, MX_COMPLEX64)
    SET_CMP(c64, MX_COMPLEX64)
    SET_INT(i8, MX_INT8)
    SET_INT(i16, MX_INT16)
    SET_INT(i32, MX_INT32)
    SET_INT(i64, MX_INT64)
    SET_INT(u8, MX_UINT8)
    SET_INT(u16, MX_UINT16)
    SET_INT(u32, MX_UINT32)
    SET_INT(u64, MX_UINT64)
    SET_ARITH(b, MX_BOOL)
    SET(bitwise_and, b, MX_BOOL)
    SET(bitwise_or, b, MX_BOOL)
    SET(bitwise_xor, b, MX_BOOL)
    SET(logical_and, b, MX_BOOL)
    SET(logical_or, b, MX_BOOL)
    SET_CMP(b, MX_BOOL)
}

/* Ops that call libm per element split into smaller chunks across threads. */
static int64_t binary_grain(int id) {
    switch (id) {
    case MX_OP_power:
    case MX_OP_logaddexp:
    case MX_OP_arctan2:
    case MX_OP_remainder: return CPU_ELEMENTWISE_GRAIN / 8;
    default: return CPU_ELEMENTWISE_GRAIN;
    }
}

static bool same_shape(const mx_node *a, const mx_node *b) {
    if (a->ndim != b->ndim)
        return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != b->shape[i])
            return false;
    return true;
}

/* Try to give out the buffer of one of `inputs` (indices into out->inputs)
 * whose dtype equals out's; else allocate. */
static mx_status donate_or_alloc(mx_node *out, const int *inputs, int n) {
    for (int k = 0; k < n; k++)
        if (out->inputs[inputs[k]]->dtype == out->dtype && mx_node_try_donate(out, inputs[k]))
            return MX_OK;
    return mx_node_alloc_output(out);
}

/* out[shape] = op(a[shape], b[shape]); a and b share the compute dtype, any
 * strides (0 on broadcast dims). */
static mx_status binary_kernel(mx_node *out) {
    mx_node *a = out->inputs[0], *b = out->inputs[1];
    int op = out->op->id - MX_OP_add;
    if (out->n_inputs != 2 || op < 0 || op >= N_BINARY_OPS || a->dtype != b->dtype || !same_shape(a, out) ||
        !same_shape(b, out))
        return mx_set_error(MX_ERROR_INTERNAL, "%s: kernel given inputs that are not cast and broadcast",
                            out->op->name);
    cpu_run_fn run = (unsigned)a->dtype < MX_DTYPE_COUNT ? g_runs[op][a->dtype] : NULL;
    if (!run)
        return mx_set_error(MX_ERROR_TYPE, "%s: no CPU kernel for %s inputs", out->op->name, mx_dtype_name(a->dtype));
    /* read the inputs' data pointers before a donation takes a buffer */
    cpu_operand ops[3] = {{0}, cpu_operand_of(a), cpu_operand_of(b)};
    mx_status st = donate_or_alloc(out, (const int[]){0, 1}, 2);
    if (st != MX_OK)
        return st;
    ops[0] = cpu_operand_of(out);
    cpu_foreach(ops, 3, out->shape, out->ndim, binary_grain(out->op->id), run, NULL);
    return MX_OK;
}

/* ---- where ------------------------------------------------------------------------------ */

/* Selection copies bits, so one run per element size serves every dtype.
 * The condition is read as bytes (bool storage is 0 or 1) and both branches
 * are loaded, which lets the compiler vectorise the selection. */
#define WHERE_RUN(NAME, T)                                                                                             \
    static void NAME(char **ptrs, const int64_t *strides, int64_t n, void *ctx) {                                      \
        (void)ctx;                                                                                                     \
        T *o = (T *)ptrs[0];                                                                                           \
        const uint8_t *c = (const uint8_t *)ptrs[1];                                                                   \
        const T *x = (const T *)ptrs[2], *y = (const T *)ptrs[3];                                                      \
        const int64_t ts = (int64_t)sizeof(T);                                                                         \
        if (strides[0] == ts && strides[1] == 1 && strides[2] == ts && strides[3] == ts) {                             \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                const T xv = x[i], yv = y[i];                                                                          \
                o[i] = c[i] ? xv : yv;                                                                                 \
            }                                                                                                          \
        } else if (strides[0] == ts && strides[1] == 1 && strides[2] == ts && strides[3] == 0) {                       \
            const T yv = *y;                                                                                           \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                const T xv = x[i];                                                                                     \
                o[i] = c[i] ? xv : yv;                                                                                 \
            }                                                                                                          \
        } else if (strides[0] == ts && strides[1] == 1 && strides[2] == 0 && strides[3] == ts) {                       \
            const T xv = *x;                                                                                           \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                const T yv = y[i];                                                                                     \
                o[i] = c[i] ? xv : yv;                                                                                 \
            }                                                                                                          \
        } else {                                                                                                       \
            char *po = ptrs[0];                                                                                        \
            const char *pc = ptrs[1], *px = ptrs[2], *py = ptrs[3];                                                    \
            for (int64_t i = 0; i < n; i++)                                                                            \
                *(T *)(po + i * strides[0]) = *(const uint8_t *)(pc + i * strides[1])                                  \
                                                  ? *(const T *)(px + i * strides[2])                                  \
                                                  : *(const T *)(py + i * strides[3]);                                 \
        }                                                                                                              \
    }
WHERE_RUN(where_1_run, uint8_t)
WHERE_RUN(where_2_run, uint16_t)
WHERE_RUN(where_4_run, uint32_t)
WHERE_RUN(where_8_run, uint64_t)

/* out[shape] = cond[shape] ? x[shape] : y[shape]; cond is bool, x and y have
 * out's dtype, any strides. */
static mx_status where_kernel(mx_node *out) {
    mx_node *c = out->inputs[0], *x = out->inputs[1], *y = out->inputs[2];
    if (out->n_inputs != 3 || c->dtype != MX_BOOL || x->dtype != out->dtype || y->dtype != out->dtype ||
        !same_shape(c, out) || !same_shape(x, out) || !same_shape(y, out))
        return mx_set_error(MX_ERROR_INTERNAL, "where: kernel given inputs that are not cast and broadcast");
    cpu_run_fn run;
    switch (mx_dtype_size(out->dtype)) {
    case 1: run = where_1_run; break;
    case 2: run = where_2_run; break;
    case 4: run = where_4_run; break;
    case 8: run = where_8_run; break;
    default: return mx_set_error(MX_ERROR_TYPE, "where: no CPU kernel for %s", mx_dtype_name(out->dtype));
    }
    cpu_operand ops[4] = {{0}, cpu_operand_of(c), cpu_operand_of(x), cpu_operand_of(y)};
    mx_status st = donate_or_alloc(out, (const int[]){1, 2, 0}, 3);
    if (st != MX_OK)
        return st;
    ops[0] = cpu_operand_of(out);
    cpu_foreach(ops, 4, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, run, NULL);
    return MX_OK;
}

void cpu_register_binary(mx_backend *b) {
    fill_run_table();
    for (int id = MX_OP_add; id <= MX_OP_right_shift; id++)
        b->kernels[id] = binary_kernel;
    b->kernels[MX_OP_where] = where_kernel;
}
