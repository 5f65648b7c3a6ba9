/* backend/cpu/unary.c - the kernel of every unary element-wise op. One kernel
 * switches on the op id; cpu_foreach hands it runs of elements with byte
 * strides (one run per thread for contiguous data), and in-place evaluation
 * reuses the input's buffer when it is donated.
 *
 * float32 maps a contiguous array with loops that vectorise (fastmath.h for
 * exp/log/tanh/sigmoid/erf/..., libm where no fast version exists); strided
 * float32 and float16/bfloat16 go through a small float32 block buffer;
 * float64 uses libm; complex64 uses C99 <complex.h> (the functions
 * libstdc++'s std::complex calls, so MLX's results); integer and bool ops are
 * plain loops. */
#include <complex.h>
#include <math.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "backend/cpu/fastmath.h"

#if defined(__F16C__)
#include <immintrin.h>
#endif

/* Elements per float32 block buffer (on the stack of each thread). */
#define UNARY_BLOCK 512

typedef struct unary_ctx unary_ctx;
/* o[i] = f(x[i]) for n contiguous floats; o may be x. */
typedef void (*f32_map_fn)(float *o, const float *x, int64_t n, const unary_ctx *c);

struct unary_ctx {
    int op;
    mx_dtype in_dtype, out_dtype;
    f32_map_fn f32; /* float32, and float16/bfloat16 through float32 */
    int decimals;   /* round */
    /* round(decimals): x * scale, rint, * inv (MLX's composite, each factor in
     * the working dtype); degrees/radians: scale is the factor */
    float scale, inv;
    double scale64, inv64;
    /* the same factors as complex64, and 1: kept at run time so that products
     * and quotients take the full C99 complex arithmetic (as std::complex does
     * in MLX), not the shortcut for a known zero imaginary part */
    float complex cscale, cinv, cone;
    float zero;
};

/* ---- float32 ------------------------------------------------------------------------ */

/* Vectorised maps. `#pragma omp simd` also vouches that o == x is safe. */
#define F32_SIMD(NAME, EXPR)                                                                                           \
    static void f32_##NAME(float *o, const float *x, int64_t n, const unary_ctx *c) {                                  \
        (void)c;                                                                                                       \
        _Pragma("omp simd") for (int64_t i = 0; i < n; i++) {                                                          \
            float v = x[i];                                                                                            \
            o[i] = (EXPR);                                                                                             \
        }                                                                                                              \
    }
/* Maps through scalar libm. */
#define F32_LIBM(NAME, EXPR)                                                                                           \
    static void f32_##NAME(float *o, const float *x, int64_t n, const unary_ctx *c) {                                  \
        (void)c;                                                                                                       \
        for (int64_t i = 0; i < n; i++) {                                                                              \
            float v = x[i];                                                                                            \
            o[i] = (EXPR);                                                                                             \
        }                                                                                                              \
    }

F32_SIMD(abs, fabsf(v))
F32_SIMD(negative, -v)
F32_SIMD(sign, (float)(v > 0.0f) - (float)(v < 0.0f)) /* NaN and -0 give 0, as MLX */
F32_SIMD(sqrt, sqrtf(v))
F32_SIMD(rsqrt, 1.0f / sqrtf(v))
F32_SIMD(square, v *v)
F32_SIMD(reciprocal, 1.0f / v)
F32_SIMD(exp, mx_fast_expf(v))
F32_SIMD(expm1, mx_fast_expm1f(v))
F32_SIMD(log, mx_fast_logf(v))
F32_SIMD(log1p, mx_fast_log1pf(v))
F32_SIMD(log2, mx_fast_log2f(v))
F32_SIMD(log10, mx_fast_log10f(v))
F32_LIBM(tan, tanf(v))
F32_LIBM(arcsin, asinf(v))
F32_LIBM(arccos, acosf(v))
F32_LIBM(arctan, atanf(v))
F32_LIBM(sinh, sinhf(v))
F32_LIBM(cosh, coshf(v))
F32_SIMD(tanh, mx_fast_tanhf(v))
F32_LIBM(arcsinh, asinhf(v))
F32_LIBM(arccosh, acoshf(v))
F32_LIBM(arctanh, atanhf(v))
F32_SIMD(sigmoid, mx_fast_sigmoidf(v))
F32_SIMD(erf, mx_fast_erff(v))
F32_SIMD(erfinv, mx_fast_erfinvf(v))
F32_SIMD(floor, mx_fast_floorf(v))
F32_SIMD(ceil, mx_fast_ceilf(v))
F32_SIMD(rint, rintf(v)) /* round half to even */
F32_SIMD(scale, v * c->scale)
F32_SIMD(round_decimals, rintf(v * c->scale) * c->inv)

/* sin/cos: the fast versions mark |x| > 2^18, inf and NaN by returning x
 * (|x| > 1); those few elements go to libm. */
static void f32_sin(float *o, const float *x, int64_t n, const unary_ctx *c) {
    (void)c;
    _Pragma("omp simd") for (int64_t i = 0; i < n; i++) o[i] = mx_fast_sinf(x[i]);
    for (int64_t i = 0; i < n; i++)
        if (!(fabsf(o[i]) <= 2.0f))
            o[i] = sinf(o[i]);
}

static void f32_cos(float *o, const float *x, int64_t n, const unary_ctx *c) {
    (void)c;
    _Pragma("omp simd") for (int64_t i = 0; i < n; i++) o[i] = mx_fast_cosf(x[i]);
    for (int64_t i = 0; i < n; i++)
        if (!(fabsf(o[i]) <= 2.0f))
            o[i] = cosf(o[i]);
}

static const f32_map_fn k_f32_map[MX_OP_COUNT] = {
    [MX_OP_abs] = f32_abs,
    [MX_OP_negative] = f32_negative,
    [MX_OP_sign] = f32_sign,
    [MX_OP_sqrt] = f32_sqrt,
    [MX_OP_rsqrt] = f32_rsqrt,
    [MX_OP_square] = f32_square,
    [MX_OP_reciprocal] = f32_reciprocal,
    [MX_OP_exp] = f32_exp,
    [MX_OP_expm1] = f32_expm1,
    [MX_OP_log] = f32_log,
    [MX_OP_log1p] = f32_log1p,
    [MX_OP_log2] = f32_log2,
    [MX_OP_log10] = f32_log10,
    [MX_OP_sin] = f32_sin,
    [MX_OP_cos] = f32_cos,
    [MX_OP_tan] = f32_tan,
    [MX_OP_arcsin] = f32_arcsin,
    [MX_OP_arccos] = f32_arccos,
    [MX_OP_arctan] = f32_arctan,
    [MX_OP_sinh] = f32_sinh,
    [MX_OP_cosh] = f32_cosh,
    [MX_OP_tanh] = f32_tanh,
    [MX_OP_arcsinh] = f32_arcsinh,
    [MX_OP_arccosh] = f32_arccosh,
    [MX_OP_arctanh] = f32_arctanh,
    [MX_OP_sigmoid] = f32_sigmoid,
    [MX_OP_erf] = f32_erf,
    [MX_OP_erfinv] = f32_erfinv,
    [MX_OP_floor] = f32_floor,
    [MX_OP_ceil] = f32_ceil,
    [MX_OP_round] = f32_rint,
    [MX_OP_degrees] = f32_scale,
    [MX_OP_radians] = f32_scale,
};

/* float16/bfloat16 round(decimals): MLX multiplies, rounds and multiplies
 * again in the half type, so the product is rounded to it in between. */
static void f16_round_decimals(float *o, const float *x, int64_t n, const unary_ctx *c) {
    for (int64_t i = 0; i < n; i++)
        o[i] = rintf(mx_f16_to_f32(mx_f32_to_f16(x[i] * c->scale))) * c->inv;
}

static void bf16_round_decimals(float *o, const float *x, int64_t n, const unary_ctx *c) {
    for (int64_t i = 0; i < n; i++)
        o[i] = rintf(mx_bf16_to_f32(mx_f32_to_bf16(x[i] * c->scale))) * c->inv;
}

static void gather_f32(float *dst, const char *src, int64_t stride, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        dst[i] = *(const float *)(src + i * stride);
}

static void scatter_f32(char *dst, int64_t stride, const float *src, int64_t n) {
    for (int64_t i = 0; i < n; i++)
        *(float *)(dst + i * stride) = src[i];
}

/* shape: any run; float32 -> float32 */
static void f32_run(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {
    if (os == 4 && xs == 4) {
        c->f32((float *)o, (const float *)x, n, c);
        return;
    }
    float buf[UNARY_BLOCK];
    for (int64_t b = 0; b < n; b += UNARY_BLOCK) {
        int64_t m = n - b < UNARY_BLOCK ? n - b : UNARY_BLOCK;
        gather_f32(buf, x + b * xs, xs, m);
        c->f32(buf, buf, m, c);
        scatter_f32(o + b * os, os, buf, m);
    }
}

/* ---- float16 / bfloat16 through float32 ---------------------------------------------------- */

static void load_half(float *dst, const char *src, int64_t stride, int64_t n, bool bf16) {
    int64_t i = 0;
    if (bf16) {
        if (stride == 2) {
            const uint16_t *s = (const uint16_t *)src;
            for (; i < n; i++)
                dst[i] = mx_bits_f32((uint32_t)s[i] << 16);
        }
        for (; i < n; i++)
            dst[i] = mx_bf16_to_f32(*(const uint16_t *)(src + i * stride));
        return;
    }
#if defined(__F16C__)
    if (stride == 2)
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + 2 * i))));
#endif
    for (; i < n; i++)
        dst[i] = mx_f16_to_f32(*(const uint16_t *)(src + i * stride));
}

static void store_half(char *dst, int64_t stride, const float *src, int64_t n, bool bf16) {
    int64_t i = 0;
    if (bf16) {
        if (stride == 2) {
            uint16_t *d = (uint16_t *)dst;
            for (; i < n; i++)
                d[i] = mx_f32_to_bf16(src[i]);
        }
        for (; i < n; i++)
            *(uint16_t *)(dst + i * stride) = mx_f32_to_bf16(src[i]);
        return;
    }
#if defined(__F16C__)
    if (stride == 2)
        for (; i + 8 <= n; i += 8)
            _mm_storeu_si128((__m128i *)(dst + 2 * i),
                             _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
#endif
    for (; i < n; i++)
        *(uint16_t *)(dst + i * stride) = mx_f32_to_f16(src[i]);
}

/* shape: any run; float16 -> float16 or bfloat16 -> bfloat16 */
static void half_run(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {
    bool bf16 = c->in_dtype == MX_BFLOAT16;
    float buf[UNARY_BLOCK];
    for (int64_t b = 0; b < n; b += UNARY_BLOCK) {
        int64_t m = n - b < UNARY_BLOCK ? n - b : UNARY_BLOCK;
        load_half(buf, x + b * xs, xs, m, bf16);
        c->f32(buf, buf, m, c);
        store_half(o + b * os, os, buf, m, bf16);
    }
}

/* ---- float64 (libm) ------------------------------------------------------------------------ */

/* erfinv in double: a float32 first guess refined by Newton steps on erf
 * (|x| <= 0.5) or on erfc (the tail, where 1 - |x| is exact). */
static double erfinv_f64(double x) {
    double a = fabs(x);
    if (!(a < 1.0))
        return a == 1.0 ? copysign(INFINITY, x) : NAN;
    if (a == 0.0)
        return x;
    const double two_over_sqrt_pi = 1.12837916709551257390;
    float af = (float)a;
    double y = af < 1.0f ? (double)mx_fast_erfinvf(af) : sqrt(-log(1.0 - a));
    if (a <= 0.5) {
        for (int i = 0; i < 3; i++)
            y -= (erf(y) - a) / (two_over_sqrt_pi * exp(-y * y));
    } else {
        double tail = 1.0 - a;
        for (int i = 0; i < 12; i++) {
            double step = (erfc(y) - tail) / (two_over_sqrt_pi * exp(-y * y));
            y += step;
            if (fabs(step) <= 1e-16 * y)
                break;
        }
    }
    return copysign(y, x);
}

static double sigmoid_f64(double v) {
    double e = exp(-fabs(v));
    return (v >= 0.0 ? 1.0 : e) / (1.0 + e);
}

#define F64_LOOP(EXPR)                                                                                                 \
    {                                                                                                                  \
        if (os == 8 && xs == 8) {                                                                                      \
            double *od = (double *)o;                                                                                  \
            const double *xd = (const double *)x;                                                                      \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                double v = xd[i];                                                                                      \
                od[i] = (EXPR);                                                                                        \
            }                                                                                                          \
        } else {                                                                                                       \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                double v = *(const double *)(x + i * xs);                                                              \
                *(double *)(o + i * os) = (EXPR);                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }

/* shape: any run; float64 -> float64 */
static void f64_run(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {
    switch (c->op) {
    case MX_OP_abs: F64_LOOP(fabs(v)) break;
    case MX_OP_negative: F64_LOOP(-v) break;
    case MX_OP_sign: F64_LOOP((double)(v > 0.0) - (double)(v < 0.0)) break;
    case MX_OP_sqrt: F64_LOOP(sqrt(v)) break;
    case MX_OP_rsqrt: F64_LOOP(1.0 / sqrt(v)) break;
    case MX_OP_square: F64_LOOP(v * v) break;
    case MX_OP_reciprocal: F64_LOOP(1.0 / v) break;
    case MX_OP_exp: F64_LOOP(exp(v)) break;
    case MX_OP_expm1: F64_LOOP(expm1(v)) break;
    case MX_OP_log: F64_LOOP(log(v)) break;
    case MX_OP_log1p: F64_LOOP(log1p(v)) break;
    case MX_OP_log2: F64_LOOP(log2(v)) break;
    case MX_OP_log10: F64_LOOP(log10(v)) break;
    case MX_OP_sin: F64_LOOP(sin(v)) break;
    case MX_OP_cos: F64_LOOP(cos(v)) break;
    case MX_OP_tan: F64_LOOP(tan(v)) break;
    case MX_OP_arcsin: F64_LOOP(asin(v)) break;
    case MX_OP_arccos: F64_LOOP(acos(v)) break;
    case MX_OP_arctan: F64_LOOP(atan(v)) break;
    case MX_OP_sinh: F64_LOOP(sinh(v)) break;
    case MX_OP_cosh: F64_LOOP(cosh(v)) break;
    case MX_OP_tanh: F64_LOOP(tanh(v)) break;
    case MX_OP_arcsinh: F64_LOOP(asinh(v)) break;
    case MX_OP_arccosh: F64_LOOP(acosh(v)) break;
    case MX_OP_arctanh: F64_LOOP(atanh(v)) break;
    case MX_OP_sigmoid: F64_LOOP(sigmoid_f64(v)) break;
    case MX_OP_erf: F64_LOOP(erf(v)) break;
    case MX_OP_erfinv: F64_LOOP(erfinv_f64(v)) break;
    case MX_OP_floor: F64_LOOP(floor(v)) break;
    case MX_OP_ceil: F64_LOOP(ceil(v)) break;
    case MX_OP_round:
        if (c->decimals == 0) {
            F64_LOOP(rint(v))
        } else {
            F64_LOOP(rint(v * c->scale64) * c->inv64)
        }
        break;
    case MX_OP_degrees:
    case MX_OP_radians: F64_LOOP(v * c->scale64) break;
    default: break;
    }
}

/* ---- complex64 ----------------------------------------------------------------------------- */

static inline float complex load_c64(const char *p) {
    float complex v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void store_c64(char *p, float complex v) { memcpy(p, &v, sizeof v); }

/* MLX's log1p of a complex number: |z| < 0.5 keeps precision through log1p */
static float complex c64_log1p(float complex z) {
    float x = crealf(z), y = cimagf(z);
    float theta = atan2f(y, x + 1.0f);
    if (cabsf(z) < 0.5f) {
        float r = x * (2.0f + x) + y * y;
        if (r == 0.0f)
            return CMPLXF(x, theta);
        return CMPLXF(0.5f * log1pf(r), theta);
    }
    return CMPLXF(logf(hypotf(x + 1.0f, y)), theta);
}

/* the parts of z divided by a real s (std::complex<float> / float) */
static inline float complex c64_div_real(float complex z, float s) { return CMPLXF(crealf(z) / s, cimagf(z) / s); }

static inline float complex c64_rint(float complex z) { return CMPLXF(rintf(crealf(z)), rintf(cimagf(z))); }

static float complex c64_map(const unary_ctx *c, float complex z) {
    switch (c->op) {
    case MX_OP_negative: return -z;
    case MX_OP_sign: return z == 0 ? z : z / CMPLXF(cabsf(z), c->zero); /* a complex quotient: inf gives NaN */
    case MX_OP_sqrt: return csqrtf(z);
    case MX_OP_rsqrt: return c->cone / csqrtf(z);
    case MX_OP_square: return z * z;
    case MX_OP_reciprocal: return c->cone / z;
    case MX_OP_exp: return cexpf(z);
    case MX_OP_log: return clogf(z);
    case MX_OP_log1p: return c64_log1p(z);
    case MX_OP_log2: return c64_div_real(clogf(z), 0.693147180559945309f);
    case MX_OP_log10: return c64_div_real(clogf(z), logf(10.0f));
    case MX_OP_sin: return csinf(z);
    case MX_OP_cos: return ccosf(z);
    case MX_OP_tan: return ctanf(z);
    case MX_OP_arcsin: return casinf(z);
    case MX_OP_arccos: return cacosf(z);
    case MX_OP_arctan: return catanf(z);
    case MX_OP_sinh: return csinhf(z);
    case MX_OP_cosh: return ccoshf(z);
    case MX_OP_tanh: return ctanhf(z);
    case MX_OP_arcsinh: return casinhf(z);
    case MX_OP_arccosh: return cacoshf(z);
    case MX_OP_arctanh: return catanhf(z);
    case MX_OP_round: return c->decimals == 0 ? c64_rint(z) : c64_rint(z * c->cscale) * c->cinv;
    case MX_OP_degrees:
    case MX_OP_radians: return z * c->cscale;
    default: return z;
    }
}

/* shape: any run; complex64 -> complex64, or float32 for abs */
static void c64_run(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {
    if (c->op == MX_OP_abs) {
        for (int64_t i = 0; i < n; i++)
            *(float *)(o + i * os) = cabsf(load_c64(x + i * xs));
        return;
    }
    for (int64_t i = 0; i < n; i++)
        store_c64(o + i * os, c64_map(c, load_c64(x + i * xs)));
}

/* ---- integers and bool ------------------------------------------------------------------------ */

/* v * v modulo 2^64: the wrapped square of any integer type, without signed overflow */
static inline uint64_t square_u64(uint64_t v) { return v * v; }

/* float32 -> integer as MLX's astype does it on x86-64 (cvttss2si: the
 * integer indefinite value when out of range, truncation to narrow types),
 * without C's undefined behaviour. Used by round(decimals) of integers. */
static inline int32_t f32_to_i32_x86(float f) { return (f >= -0x1p31f && f < 0x1p31f) ? (int32_t)f : INT32_MIN; }
static inline int64_t f32_to_i64_x86(float f) { return (f >= -0x1p63f && f < 0x1p63f) ? (int64_t)f : INT64_MIN; }
static inline uint64_t f32_to_u64_x86(float f) {
    if (f >= 0x1p63f)
        return f < 0x1p64f ? (uint64_t)(f - 0x1p63f) ^ 0x8000000000000000ull : 0;
    return (uint64_t)f32_to_i64_x86(f);
}
#define TO_INT8(f) ((int8_t)f32_to_i32_x86(f))
#define TO_INT16(f) ((int16_t)f32_to_i32_x86(f))
#define TO_INT32(f) (f32_to_i32_x86(f))
#define TO_INT64(f) (f32_to_i64_x86(f))
#define TO_UINT8(f) ((uint8_t)f32_to_i32_x86(f))
#define TO_UINT16(f) ((uint16_t)f32_to_i32_x86(f))
#define TO_UINT32(f) ((uint32_t)f32_to_i64_x86(f))
#define TO_UINT64(f) (f32_to_u64_x86(f))

#define INT_LOOP(T, EXPR)                                                                                              \
    {                                                                                                                  \
        if (os == (int64_t)sizeof(T) && xs == (int64_t)sizeof(T)) {                                                    \
            T *ot = (T *)o;                                                                                            \
            const T *xt = (const T *)x;                                                                                \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                T v = xt[i];                                                                                           \
                ot[i] = (T)(EXPR);                                                                                     \
            }                                                                                                          \
        } else {                                                                                                       \
            for (int64_t i = 0; i < n; i++) {                                                                          \
                T v = *(const T *)(x + i * xs);                                                                        \
                *(T *)(o + i * os) = (T)(EXPR);                                                                        \
            }                                                                                                          \
        }                                                                                                              \
    }

/* Signed: negation and squares wrap (computed unsigned, no overflow UB). */
#define SIGNED_INT_RUN(T, UT, TO_T)                                                                                    \
    static void run_##T(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {               \
        switch (c->op) {                                                                                               \
        case MX_OP_abs: INT_LOOP(T, v < 0 ? (UT)0 - (UT)v : (UT)v) break;                                              \
        case MX_OP_negative: INT_LOOP(T, (UT)0 - (UT)v) break;                                                         \
        case MX_OP_sign: INT_LOOP(T, (v > 0) - (v < 0)) break;                                                         \
        case MX_OP_square: INT_LOOP(T, square_u64((uint64_t)v)) break;                                                 \
        case MX_OP_bitwise_invert: INT_LOOP(T, ~v) break;                                                              \
        case MX_OP_round:                                                                                              \
            if (c->decimals != 0)                                                                                      \
                INT_LOOP(T, TO_T(rintf((float)v * c->scale) * c->inv))                                                 \
            else                                                                                                       \
                INT_LOOP(T, v)                                                                                         \
            break;                                                                                                     \
        default: INT_LOOP(T, v) break; /* floor, ceil: integers already are */                                         \
        }                                                                                                              \
    }

#define UNSIGNED_INT_RUN(T, TO_T)                                                                                      \
    static void run_##T(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {               \
        switch (c->op) {                                                                                               \
        case MX_OP_negative: INT_LOOP(T, (T)0 - v) break;                                                              \
        case MX_OP_sign: INT_LOOP(T, v != 0) break;                                                                    \
        case MX_OP_square: INT_LOOP(T, square_u64((uint64_t)v)) break;                                                 \
        case MX_OP_bitwise_invert: INT_LOOP(T, ~v) break;                                                              \
        case MX_OP_round:                                                                                              \
            if (c->decimals != 0)                                                                                      \
                INT_LOOP(T, TO_T(rintf((float)v * c->scale) * c->inv))                                                 \
            else                                                                                                       \
                INT_LOOP(T, v)                                                                                         \
            break;                                                                                                     \
        default: INT_LOOP(T, v) break; /* abs, floor, ceil */                                                          \
        }                                                                                                              \
    }

SIGNED_INT_RUN(int8_t, uint8_t, TO_INT8)
SIGNED_INT_RUN(int16_t, uint16_t, TO_INT16)
SIGNED_INT_RUN(int32_t, uint32_t, TO_INT32)
SIGNED_INT_RUN(int64_t, uint64_t, TO_INT64)
UNSIGNED_INT_RUN(uint8_t, TO_UINT8)
UNSIGNED_INT_RUN(uint16_t, TO_UINT16)
UNSIGNED_INT_RUN(uint32_t, TO_UINT32)
UNSIGNED_INT_RUN(uint64_t, TO_UINT64)

/* shape: any run; bool -> bool (abs, sign, square, floor, ceil keep it) */
static void bool_run(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {
    switch (c->op) {
    case MX_OP_bitwise_invert: INT_LOOP(bool, !v) break;
    case MX_OP_round:
        if (c->decimals != 0)
            INT_LOOP(bool, rintf((float)v * c->scale) * c->inv != 0.0f)
        else
            INT_LOOP(bool, v)
        break;
    default: INT_LOOP(bool, v) break;
    }
}

/* ---- predicates: logical_not, isnan, isinf, isfinite -> bool ------------------------------------ */

#define PRED_LOOP(T, EXPR)                                                                                             \
    for (int64_t i = 0; i < n; i++) {                                                                                  \
        T v = *(const T *)(x + i * xs);                                                                                \
        *(bool *)(o + i * os) = (EXPR);                                                                                \
    }

/* Half types by their bits: exponent field all ones is inf/NaN. */
#define HALF_PRED(EXP_MASK)                                                                                            \
    switch (c->op) {                                                                                                   \
    case MX_OP_logical_not: PRED_LOOP(uint16_t, (v & 0x7fffu) == 0) break;                                             \
    case MX_OP_isnan: PRED_LOOP(uint16_t, (v & 0x7fffu) > (EXP_MASK)) break;                                           \
    case MX_OP_isinf: PRED_LOOP(uint16_t, (v & 0x7fffu) == (EXP_MASK)) break;                                          \
    case MX_OP_isfinite: PRED_LOOP(uint16_t, (v & 0x7fffu) < (EXP_MASK)) break;                                        \
    default: break;                                                                                                    \
    }

#define FLOAT_PRED(T)                                                                                                  \
    switch (c->op) {                                                                                                   \
    case MX_OP_logical_not: PRED_LOOP(T, v == 0) break;                                                                \
    case MX_OP_isnan: PRED_LOOP(T, isnan(v)) break;                                                                    \
    case MX_OP_isinf: PRED_LOOP(T, isinf(v)) break;                                                                    \
    case MX_OP_isfinite: PRED_LOOP(T, isfinite(v)) break;                                                              \
    default: break;                                                                                                    \
    }

/* shape: any run; any dtype -> bool */
static void predicate_run(const unary_ctx *c, char *o, int64_t os, const char *x, int64_t xs, int64_t n) {
    switch (c->in_dtype) {
    case MX_FLOAT32: FLOAT_PRED(float) break;
    case MX_FLOAT64: FLOAT_PRED(double) break;
    case MX_COMPLEX64: {
        switch (c->op) {
        case MX_OP_logical_not: PRED_LOOP(float complex, v == 0) break;
        case MX_OP_isnan: PRED_LOOP(float complex, isnan(crealf(v)) || isnan(cimagf(v))) break;
        case MX_OP_isinf: PRED_LOOP(float complex, isinf(crealf(v)) || isinf(cimagf(v))) break;
        case MX_OP_isfinite: PRED_LOOP(float complex, isfinite(crealf(v)) && isfinite(cimagf(v))) break;
        default: break;
        }
        break;
    }
    case MX_FLOAT16: HALF_PRED(0x7c00u) break;
    case MX_BFLOAT16: HALF_PRED(0x7f80u) break;
    /* integers reach here only for logical_not (isnan & co. are constants) */
    case MX_BOOL: PRED_LOOP(bool, !v) break;
    case MX_UINT8: PRED_LOOP(uint8_t, v == 0) break;
    case MX_UINT16: PRED_LOOP(uint16_t, v == 0) break;
    case MX_UINT32: PRED_LOOP(uint32_t, v == 0) break;
    case MX_UINT64: PRED_LOOP(uint64_t, v == 0) break;
    case MX_INT8: PRED_LOOP(int8_t, v == 0) break;
    case MX_INT16: PRED_LOOP(int16_t, v == 0) break;
    case MX_INT32: PRED_LOOP(int32_t, v == 0) break;
    case MX_INT64: PRED_LOOP(int64_t, v == 0) break;
    default: break;
    }
}

/* ---- the kernel ---------------------------------------------------------------------------------- */

static bool is_predicate(int op) {
    return op == MX_OP_logical_not || op == MX_OP_isnan || op == MX_OP_isinf || op == MX_OP_isfinite;
}

static void unary_run(char **ptrs, const int64_t *strides, int64_t n, void *vctx) {
    const unary_ctx *c = vctx;
    char *o = ptrs[0];
    const char *x = ptrs[1];
    int64_t os = strides[0], xs = strides[1];
    if (is_predicate(c->op)) {
        predicate_run(c, o, os, x, xs, n);
        return;
    }
    switch (c->in_dtype) {
    case MX_FLOAT32: f32_run(c, o, os, x, xs, n); break;
    case MX_FLOAT16:
    case MX_BFLOAT16: half_run(c, o, os, x, xs, n); break;
    case MX_FLOAT64: f64_run(c, o, os, x, xs, n); break;
    case MX_COMPLEX64: c64_run(c, o, os, x, xs, n); break;
    case MX_BOOL: bool_run(c, o, os, x, xs, n); break;
    case MX_UINT8: run_uint8_t(c, o, os, x, xs, n); break;
    case MX_UINT16: run_uint16_t(c, o, os, x, xs, n); break;
    case MX_UINT32: run_uint32_t(c, o, os, x, xs, n); break;
    case MX_UINT64: run_uint64_t(c, o, os, x, xs, n); break;
    case MX_INT8: run_int8_t(c, o, os, x, xs, n); break;
    case MX_INT16: run_int16_t(c, o, os, x, xs, n); break;
    case MX_INT32: run_int32_t(c, o, os, x, xs, n); break;
    case MX_INT64: run_int64_t(c, o, os, x, xs, n); break;
    default: break;
    }
}

/* A float constant as the working dtype holds it (MLX builds its scalar
 * factors in the input's dtype). */
static float round_to_dtype(float v, mx_dtype dtype) {
    if (dtype == MX_FLOAT16)
        return mx_f16_to_f32(mx_f32_to_f16(v));
    if (dtype == MX_BFLOAT16)
        return mx_bf16_to_f32(mx_f32_to_bf16(v));
    return v;
}

static void setup_ctx(unary_ctx *c, const mx_node *out, const mx_node *in) {
    memset(c, 0, sizeof *c);
    c->op = out->op->id;
    c->in_dtype = in->dtype;
    c->out_dtype = out->dtype;
    c->f32 = k_f32_map[c->op];
    if (c->op == MX_OP_round) {
        c->decimals = ((const mx_round_params *)mx_node_params(out))->decimals;
        if (c->decimals != 0) {
            /* MLX: x * float(10^d), rint, * (1 / float(10^d)); the factors
             * converted to the working dtype (float32 for integers) */
            float scale = (float)pow(10.0, c->decimals), inv = 1.0f / scale;
            c->scale = round_to_dtype(scale, in->dtype);
            c->inv = round_to_dtype(inv, in->dtype);
            c->scale64 = scale;
            c->inv64 = inv;
            c->cscale = CMPLXF(scale, 0.0f);
            c->cinv = CMPLXF(inv, 0.0f);
            c->f32 = in->dtype == MX_FLOAT16    ? f16_round_decimals
                     : in->dtype == MX_BFLOAT16 ? bf16_round_decimals
                                                : f32_round_decimals;
        }
    } else if (c->op == MX_OP_degrees || c->op == MX_OP_radians) {
        const double pi = 3.14159265358979323846;
        c->scale64 = c->op == MX_OP_degrees ? 180.0 / pi : pi / 180.0;
        c->scale = round_to_dtype((float)c->scale64, in->dtype);
        c->cscale = CMPLXF((float)c->scale64, 0.0f);
    }
    c->cone = CMPLXF(1.0f, 0.0f);
    c->zero = 0.0f;
}

/* shape: out = in (same shape); dtype per the op (see ops/unary.c) */
static mx_status unary_kernel(mx_node *out) {
    mx_node *in = out->inputs[0];
    if (out->size == 0)
        return mx_node_alloc_output(out);
    unary_ctx ctx;
    setup_ctx(&ctx, out, in);
    /* read the input before its buffer may be donated to out */
    cpu_operand src = cpu_operand_of(in);
    if (!mx_node_try_donate(out, 0)) {
        mx_status st = mx_node_alloc_output(out);
        if (st != MX_OK)
            return st;
    }
    cpu_operand ops[2] = {cpu_operand_of(out), src};
    cpu_foreach(ops, 2, out->shape, out->ndim, CPU_ELEMENTWISE_GRAIN, unary_run, &ctx);
    return MX_OK;
}

void cpu_register_unary(mx_backend *b) {
    static const int ops[] = {MX_OP_abs,        MX_OP_negative,    MX_OP_sign,
                              MX_OP_sqrt,       MX_OP_rsqrt,       MX_OP_square,
                              MX_OP_reciprocal, MX_OP_exp,         MX_OP_expm1,
                              MX_OP_log,        MX_OP_log1p,       MX_OP_log2,
                              MX_OP_log10,      MX_OP_sin,         MX_OP_cos,
                              MX_OP_tan,        MX_OP_arcsin,      MX_OP_arccos,
                              MX_OP_arctan,     MX_OP_sinh,        MX_OP_cosh,
                              MX_OP_tanh,       MX_OP_arcsinh,     MX_OP_arccosh,
                              MX_OP_arctanh,    MX_OP_sigmoid,     MX_OP_erf,
                              MX_OP_erfinv,     MX_OP_floor,       MX_OP_ceil,
                              MX_OP_round,      MX_OP_logical_not, MX_OP_bitwise_invert,
                              MX_OP_isnan,      MX_OP_isinf,       MX_OP_isfinite,
                              MX_OP_degrees,    MX_OP_radians};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        b->kernels[ops[i]] = unary_kernel;
}
