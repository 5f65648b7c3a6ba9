/* backend/cpu/fastmath.h - float32 exp, expm1, log, log1p, log2, log10, tanh,
 * sigmoid, erf, erfinv, sin and cos written so that a loop over an array
 * vectorises (glibc's scalar expf/logf/... do not). Each function is
 * branch-free: range reduction, a polynomial, and selects for the special
 * values (NaN, infinities, zeros, denormals), so `#pragma omp simd` turns a
 * loop of calls into AVX2 code.
 *
 * Accuracy: the largest error over every 13th float32 bit pattern (denormals,
 * huge values, both signs), against glibc's double functions, is
 *   exp 0.98, log 0.88, log2 0.94, log10 1.17, log1p 1.44, expm1 1.44,
 *   tanh 1.31, erf 1.26, cos 1.55, sin 1.56, erfinv 1.97, sigmoid 2.34 ulp;
 * tests/c/test_unary.c asserts these bounds (plus a margin). Denormal results
 * are produced (no flush to zero) and overflow gives inf exactly where
 * float32 overflows.
 *
 * The polynomial coefficients are near-minimax fits computed for cmlx
 * (Lawson's iteratively reweighted least squares at 40 digits, rounded to
 * float32); the reductions are the textbook ones (Cody-Waite for exp,
 * exponent/mantissa split for log, double-precision pi/2 reduction for
 * sin/cos). */
#ifndef CMLX_BACKEND_CPU_FASTMATH_H
#define CMLX_BACKEND_CPU_FASTMATH_H

#include <math.h>
#include <stdint.h>

#include "core/half.h"

/* cond ? a : b on the bits. GCC does not if-convert a float `?:` under
 * -ftrapping-math (the default), which would keep these loops scalar; an
 * integer blend of values computed unconditionally vectorises. */
static inline float mx_fm_select(int cond, float a, float b) {
    uint32_t mask = (uint32_t)0 - (uint32_t)(cond != 0);
    return mx_bits_f32((mx_f32_bits(a) & mask) | (mx_f32_bits(b) & ~mask));
}

/* ---- floor, ceil ------------------------------------------------------------------- */

/* GCC vectorises rintf but not floorf/ceilf under -ftrapping-math. */
static inline float mx_fast_floorf(float x) {
    float r = rintf(x);
    return r - mx_fm_select(r > x, 1.0f, 0.0f); /* -0 stays -0, NaN and inf pass */
}

static inline float mx_fast_ceilf(float x) {
    float r = rintf(x);
    return copysignf(r + mx_fm_select(r < x, 1.0f, 0.0f), x); /* ceil(-0.4) is -0 */
}

/* ---- exp ------------------------------------------------------------------------ */

/* exp(r) - 1 for |r| <= ln2/2, as r + r^2 g(r) */
static inline float mx_fm_expm1_reduced(float r) {
    float g = 1.985778945e-04f;
    g = fmaf(g, r, 1.393359737e-03f);
    g = fmaf(g, r, 8.333360776e-03f);
    g = fmaf(g, r, 4.166646674e-02f);
    g = fmaf(g, r, 1.666666716e-01f);
    g = fmaf(g, r, 5.000000000e-01f);
    return fmaf(r * r, g, r);
}

/* 2^n for n in [-126, 127] (a normal float) */
static inline float mx_fm_pow2i(int32_t n) { return mx_bits_f32((uint32_t)(n + 127) << 23); }

/* x = n ln2 + r, |r| <= ln2/2 (Cody-Waite: n * 0.693359375 is exact) */
static inline float mx_fm_reduce_ln2(float x, float *n) {
    *n = rintf(x * 1.44269504088896341f);
    float r = fmaf(*n, -0.693359375f, x);
    return fmaf(*n, 2.12194440e-4f, r);
}

static inline float mx_fast_expf(float x) {
    /* beyond [-104, 89] the result is 0 or inf; clamping keeps n in range */
    float xc = mx_fm_select(x > -104.0f, x, -104.0f), n; /* NaN -> -104 */
    xc = mx_fm_select(xc < 89.0f, xc, 89.0f);
    float r = mx_fm_reduce_ln2(xc, &n);
    float p = mx_fm_expm1_reduced(r) + 1.0f;
    /* 2^n as two factors so that n down to -150 (denormal results) and up to
     * 128 (overflow to inf) scale with one final rounding */
    int32_t ni = (int32_t)n, n1 = ni / 2, n2 = ni - n1;
    float y = p * mx_fm_pow2i(n1) * mx_fm_pow2i(n2);
    return mx_fm_select(x != x, x, y);
}

static inline float mx_fast_expm1f(float x) {
    /* expm1(x) = 2^n (exp(r) - 1) + (2^n - 1); above 10 exp(x) - 1 is exact
     * enough, below -30 the result is -1 */
    float xc = mx_fm_select(x > -30.0f, x, -30.0f), n; /* NaN -> -30 */
    xc = mx_fm_select(xc < 10.0f, xc, 10.0f);
    float r = mx_fm_reduce_ln2(xc, &n);
    float s = mx_fm_pow2i((int32_t)n);
    float y = fmaf(s, mx_fm_expm1_reduced(r), s - 1.0f);
    float big = mx_fast_expf(x) - 1.0f;
    y = mx_fm_select(x > 10.0f, big, y);
    y = mx_fm_select(fabsf(x) < 0x1p-25f, x, y); /* tiny, +-0 */
    return mx_fm_select(x != x, x, y);
}

/* ---- log ------------------------------------------------------------------------ */

/* x = 2^e m with m in [sqrt(1/2), sqrt(2)); returns f = m - 1 and sets the
 * remainder log1p(f) - f in *tail. Valid for positive finite x. */
static inline float mx_fm_log_reduce(float x, float *e, float *tail) {
    int sub = x < 0x1p-126f; /* denormals: scale into the normal range */
    float xs = mx_fm_select(sub, x * 0x1p23f, x);
    uint32_t u = mx_f32_bits(xs) - 0x3f3504f3u; /* bits of sqrt(1/2) */
    *e = (float)(((int32_t)u >> 23) - (sub ? 23 : 0));
    float f = mx_bits_f32((u & 0x007fffffu) + 0x3f3504f3u) - 1.0f;
    /* log1p(f) = f - f^2/2 + f^3 g(f) */
    float g = 7.037466764e-02f;
    g = fmaf(g, f, -1.151449978e-01f);
    g = fmaf(g, f, 1.167702824e-01f);
    g = fmaf(g, f, -1.242015883e-01f);
    g = fmaf(g, f, 1.424932182e-01f);
    g = fmaf(g, f, -1.666805744e-01f);
    g = fmaf(g, f, 2.000071406e-01f);
    g = fmaf(g, f, -2.499999404e-01f);
    g = fmaf(g, f, 3.333333135e-01f);
    float f2 = f * f;
    *tail = fmaf(-0.5f, f2, f2 * f * g);
    return f;
}

/* The special values every log shares: 0 -> -inf, negative -> NaN, inf and NaN themselves */
static inline float mx_fm_log_special(float x, float y) {
    y = mx_fm_select(x == INFINITY, x, y);
    y = mx_fm_select(x == 0.0f, -INFINITY, y);
    y = mx_fm_select(x < 0.0f, NAN, y);
    return mx_fm_select(x != x, x, y);
}

static inline float mx_fast_logf(float x) {
    float e, tail;
    float f = mx_fm_log_reduce(x, &e, &tail);
    /* e ln2 + f + tail, ln2 split so that e * 0.693359375 is exact */
    float y = f + fmaf(e, -2.12194440e-4f, tail);
    y = fmaf(e, 0.693359375f, y);
    return mx_fm_log_special(x, y);
}

static inline float mx_fast_log2f(float x) {
    float e, tail;
    float f = mx_fm_log_reduce(x, &e, &tail);
    const float log2e = 1.44269504088896341f;
    /* e is added last: the sum rounds once where e and f log2(e) cancel */
    float y = e + fmaf(f, log2e, fmaf(f, 1.92596299112661746e-8f, tail * log2e));
    return mx_fm_log_special(x, y);
}

static inline float mx_fast_log10f(float x) {
    float e, tail;
    float f = mx_fm_log_reduce(x, &e, &tail);
    const float log10e = 0.434294481903251828f;
    /* log10(2) = 0.30078125 + 2.48745663981195213e-4; e * 0.30078125 is exact */
    float y = fmaf(f, log10e, fmaf(e, 2.48745663981195213e-4f, tail * log10e));
    y = fmaf(e, 0.30078125f, y);
    return mx_fm_log_special(x, y);
}

static inline float mx_fast_log1pf(float x) {
    /* log(u) + (x - (u - 1)) / u with u = 1 + x rounded: the second term
     * corrects the rounding of u to first order */
    float u = 1.0f + x;
    float y = mx_fast_logf(u) + (x - (u - 1.0f)) / u;
    y = mx_fm_select(x == INFINITY, x, y);
    y = mx_fm_select(x == -1.0f, -INFINITY, y);
    return mx_fm_select(x == 0.0f, x, y); /* keeps -0 */
}

/* ---- tanh, sigmoid ---------------------------------------------------------------- */

static inline float mx_fast_tanhf(float x) {
    float a = fabsf(x), s = x * x;
    /* |x| < 0.625: x + x^3 g(x^2) */
    float g = -8.622475434e-04f;
    g = fmaf(g, s, 3.306283616e-03f);
    g = fmaf(g, s, -8.791020140e-03f);
    g = fmaf(g, s, 2.185989916e-02f);
    g = fmaf(g, s, -5.396763980e-02f);
    g = fmaf(g, s, 1.333333254e-01f);
    g = fmaf(g, s, -3.333333433e-01f);
    float small = copysignf(fmaf(x * s, g, x), x); /* copysign keeps -0 */
    /* otherwise 1 - 2 / (exp(2|x|) + 1), which saturates to 1 */
    float big = copysignf(1.0f - 2.0f / (mx_fast_expf(2.0f * a) + 1.0f), x);
    return mx_fm_select(a < 0.625f, small, big);
}

static inline float mx_fast_sigmoidf(float x) {
    /* e = exp(-|x|) never overflows; e / (1 + e) keeps denormal results */
    float e = mx_fast_expf(-fabsf(x));
    return mx_fm_select(x >= 0.0f, 1.0f, e) / (1.0f + e);
}

/* ---- erf, erfinv ------------------------------------------------------------------ */

static inline float mx_fast_erff(float x) {
    float a = fabsf(x), s = x * x;
    /* |x| < 1: x + x q(x^2), q = erf(x)/x - 1 (adding x last keeps the
     * rounding of the 1.128 leading term out of the result) */
    float q0 = 7.889114931e-05f;
    q0 = fmaf(q0, s, -8.020839887e-04f);
    q0 = fmaf(q0, s, 5.189535208e-03f);
    q0 = fmaf(q0, s, -2.685444430e-02f);
    q0 = fmaf(q0, s, 1.128360033e-01f);
    q0 = fmaf(q0, s, -3.761262596e-01f);
    q0 = fmaf(q0, s, 1.283791661e-01f);
    float small = fmaf(x, q0, x);
    /* otherwise 1 - exp(-x^2) R(t), t = 1 / (1 + |x|/2): R = erfc(x) exp(x^2)
     * fitted on [1, 3.92]; beyond, erf rounds to 1 */
    float t = 1.0f / fmaf(0.5f, a, 1.0f) - 0.5f;
    float q = -5.707560852e-02f;
    q = fmaf(q, t, -2.181591094e-01f);
    q = fmaf(q, t, 5.986976996e-02f);
    q = fmaf(q, t, 6.317526698e-01f);
    q = fmaf(q, t, 9.666311741e-01f);
    q = fmaf(q, t, 8.543719649e-01f);
    q = fmaf(q, t, 2.553956807e-01f);
    float big = copysignf(fmaf(-mx_fast_expf(-s), q, 1.0f), x);
    return mx_fm_select(a < 1.0f, small, big);
}

static inline float mx_fast_erfinvf(float x) {
    /* erfinv(x) = x P(w), w = -log(1 - x^2): a polynomial in w for w < 5,
     * in sqrt(w) - 3 beyond (the tail up to x = 1 - 2^-24) */
    float w = -mx_fast_logf(fmaf(-x, x, 1.0f));
    float p = -8.791105621e-09f;
    p = fmaf(p, w, 2.210325505e-07f);
    p = fmaf(p, w, -1.976480917e-06f);
    p = fmaf(p, w, 3.983340321e-06f);
    p = fmaf(p, w, 4.456490205e-05f);
    p = fmaf(p, w, -1.274810784e-04f);
    p = fmaf(p, w, -2.334296703e-03f);
    p = fmaf(p, w, 1.154865418e-02f);
    p = fmaf(p, w, 2.320138216e-01f);
    p = fmaf(p, w, 8.862268925e-01f);
    float d = sqrtf(w) - 3.0f;
    float q = 1.136405335e-04f;
    q = fmaf(q, d, -3.077485599e-04f);
    q = fmaf(q, d, -5.376355330e-05f);
    q = fmaf(q, d, 1.482855529e-03f);
    q = fmaf(q, d, -3.598988056e-03f);
    q = fmaf(q, d, 5.687808152e-03f);
    q = fmaf(q, d, -7.636955008e-03f);
    q = fmaf(q, d, 9.445192292e-03f);
    q = fmaf(q, d, 1.001674891e+00f);
    q = fmaf(q, d, 2.832976818e+00f);
    float a = fabsf(x);
    float y = x * mx_fm_select(w < 5.0f, p, q);
    y = mx_fm_select(a == 1.0f, copysignf(INFINITY, x), y);
    return mx_fm_select(a > 1.0f, NAN, y);
}

/* ---- sin, cos ---------------------------------------------------------------------- */

/* Beyond this the pi/2 reduction below loses accuracy: callers fall back to
 * libm (mx_fast_sinf/cosf return x itself there, a value > 1 in magnitude
 * that marks the element; NaN and inf are marked the same way). */
#define MX_FAST_TRIG_LIMIT 262144.0f

/* r = x - j pi/2 in double (exact enough for |x| <= 2^18), |r| <= pi/4 */
static inline float mx_fm_reduce_pio2(float x, int32_t *j) {
    double xd = (double)x;
    double jd = rint(xd * 0.63661977236758134308);
    double r = fma(-jd, 1.57079632679489655800e+00, xd);
    r = fma(-jd, 6.12323399573676603587e-17, r);
    *j = (int32_t)jd;
    return (float)r;
}

static inline void mx_fm_sincos_reduced(float r, float *sin_r, float *cos_r) {
    float z = r * r;
    float s = 2.724941169e-06f;
    s = fmaf(s, z, -1.984008268e-04f);
    s = fmaf(s, z, 8.333331905e-03f);
    s = fmaf(s, z, -1.666666716e-01f);
    *sin_r = fmaf(r * z, s, r);
    float c = -2.730068616e-07f;
    c = fmaf(c, z, 2.480059811e-05f);
    c = fmaf(c, z, -1.388888806e-03f);
    c = fmaf(c, z, 4.166666791e-02f);
    *cos_r = fmaf(z * z, c, fmaf(-0.5f, z, 1.0f));
}

static inline float mx_fast_sinf(float x) {
    int in_range = fabsf(x) <= MX_FAST_TRIG_LIMIT;
    int32_t j;
    float sr, cr;
    mx_fm_sincos_reduced(mx_fm_reduce_pio2(mx_fm_select(in_range, x, 0.0f), &j), &sr, &cr);
    float y = mx_fm_select(j & 1, cr, sr);
    y = mx_fm_select(j & 2, -y, y);
    y = mx_fm_select(x == 0.0f, x, y); /* the reduction turns -0 into +0 */
    return mx_fm_select(in_range, y, x);
}

static inline float mx_fast_cosf(float x) {
    int in_range = fabsf(x) <= MX_FAST_TRIG_LIMIT;
    int32_t j;
    float sr, cr;
    mx_fm_sincos_reduced(mx_fm_reduce_pio2(mx_fm_select(in_range, x, 0.0f), &j), &sr, &cr);
    float y = mx_fm_select(j & 1, sr, cr);
    y = mx_fm_select((j + 1) & 2, -y, y);
    return mx_fm_select(in_range, y, x);
}

#endif
