/* backend/cuda/complex.cuh - complex64 on the device: the storage type and
 * the arithmetic of the CPU backend (src/backend/cpu/unary.c, binary.c),
 * which is C99's float complex as GCC compiles it on x86-64 (MLX's
 * std::complex<float> is the same code):
 *   multiply: (ac - bd, ad + bc) in float, no fused multiply-add (C11 mode
 *     contracts nothing), Annex G's recovery of infinities (libgcc __mulsc3)
 *     when both parts are NaN;
 *   divide: libgcc's __divsc3 on hardware with double: the plain formula in
 *     double, rounded once, then the recovery of infinities and zeros;
 *   abs: glibc's hypotf, sqrt(x^2 + y^2) in double, rounded once.
 * (All three checked bit for bit against the CPU over 2 million random
 * operands spanning 8 decades.) The transcendental functions (glibc's
 * cexpf, clogf, csinf, ...) are evaluated in double with libcu++'s
 * cuda::std::complex<double> and rounded to float: within an ulp or two of
 * glibc's float results. */
#ifndef CMLX_BACKEND_CUDA_COMPLEX_CUH
#define CMLX_BACKEND_CUDA_COMPLEX_CUH

#include <cuda/std/complex>
#include <math.h>

/* complex64 storage: (re, im) floats, 8-byte aligned like the CPU's. */
struct alignas(8) c64_t {
    float re, im;
};

__device__ __forceinline__ c64_t c64_make(float re, float im) {
    c64_t z;
    z.re = re;
    z.im = im;
    return z;
}

__device__ __forceinline__ bool c64_isnan(c64_t z) { return isnan(z.re) || isnan(z.im); }

__device__ __forceinline__ c64_t c64_add(c64_t a, c64_t b) { return c64_make(__fadd_rn(a.re, b.re), __fadd_rn(a.im, b.im)); }
__device__ __forceinline__ c64_t c64_sub(c64_t a, c64_t b) { return c64_make(__fsub_rn(a.re, b.re), __fsub_rn(a.im, b.im)); }

/* GCC's inline complex product with libgcc's __mulsc3 recovery. */
__device__ __forceinline__ c64_t c64_mul(c64_t z, c64_t w) {
    float a = z.re, b = z.im, c = w.re, d = w.im;
    float ac = __fmul_rn(a, c), bd = __fmul_rn(b, d), ad = __fmul_rn(a, d), bc = __fmul_rn(b, c);
    float x = __fsub_rn(ac, bd), y = __fadd_rn(ad, bc);
    if (isnan(x) && isnan(y)) {
        bool recalc = false;
        if (isinf(a) || isinf(b)) {
            a = copysignf(isinf(a) ? 1.0f : 0.0f, a);
            b = copysignf(isinf(b) ? 1.0f : 0.0f, b);
            if (isnan(c))
                c = copysignf(0.0f, c);
            if (isnan(d))
                d = copysignf(0.0f, d);
            recalc = true;
        }
        if (isinf(c) || isinf(d)) {
            c = copysignf(isinf(c) ? 1.0f : 0.0f, c);
            d = copysignf(isinf(d) ? 1.0f : 0.0f, d);
            if (isnan(a))
                a = copysignf(0.0f, a);
            if (isnan(b))
                b = copysignf(0.0f, b);
            recalc = true;
        }
        if (!recalc && (isinf(ac) || isinf(bd) || isinf(ad) || isinf(bc))) {
            if (isnan(a))
                a = copysignf(0.0f, a);
            if (isnan(b))
                b = copysignf(0.0f, b);
            if (isnan(c))
                c = copysignf(0.0f, c);
            if (isnan(d))
                d = copysignf(0.0f, d);
            recalc = true;
        }
        if (recalc) {
            x = INFINITY * __fsub_rn(__fmul_rn(a, c), __fmul_rn(b, d));
            y = INFINITY * __fadd_rn(__fmul_rn(a, d), __fmul_rn(b, c));
        }
    }
    return c64_make(x, y);
}

/* libgcc's __divsc3 (GCC 12, hardware double): products of floats are exact
 * in double, so the result is one rounding of each quotient. */
__device__ __forceinline__ c64_t c64_div(c64_t z, c64_t w) {
    float a = z.re, b = z.im, c = w.re, d = w.im;
    double aa = a, bb = b, cc = c, dd = d;
    double denom = __dadd_rn(__dmul_rn(cc, cc), __dmul_rn(dd, dd));
    float x = (float)__ddiv_rn(__dadd_rn(__dmul_rn(aa, cc), __dmul_rn(bb, dd)), denom);
    float y = (float)__ddiv_rn(__dsub_rn(__dmul_rn(bb, cc), __dmul_rn(aa, dd)), denom);
    if (isnan(x) && isnan(y)) {
        if (c == 0.0f && d == 0.0f && (!isnan(a) || !isnan(b))) {
            x = copysignf(INFINITY, c) * a;
            y = copysignf(INFINITY, c) * b;
        } else if ((isinf(a) || isinf(b)) && isfinite(c) && isfinite(d)) {
            a = copysignf(isinf(a) ? 1.0f : 0.0f, a);
            b = copysignf(isinf(b) ? 1.0f : 0.0f, b);
            x = INFINITY * __fadd_rn(__fmul_rn(a, c), __fmul_rn(b, d));
            y = INFINITY * __fsub_rn(__fmul_rn(b, c), __fmul_rn(a, d));
        } else if ((isinf(c) || isinf(d)) && isfinite(a) && isfinite(b)) {
            c = copysignf(isinf(c) ? 1.0f : 0.0f, c);
            d = copysignf(isinf(d) ? 1.0f : 0.0f, d);
            x = 0.0f * __fadd_rn(__fmul_rn(a, c), __fmul_rn(b, d));
            y = 0.0f * __fsub_rn(__fmul_rn(b, c), __fmul_rn(a, d));
        }
    }
    return c64_make(x, y);
}

/* glibc's hypotf: exact squares in double, one rounding (infinities win over NaN). */
__device__ __forceinline__ float c64_abs(c64_t z) {
    if (isinf(z.re) || isinf(z.im))
        return INFINITY;
    double x = z.re, y = z.im;
    return (float)sqrt(__dadd_rn(__dmul_rn(x, x), __dmul_rn(y, y)));
}

typedef cuda::std::complex<double> c128_t;
__device__ __forceinline__ c128_t c64_wide(c64_t z) { return c128_t((double)z.re, (double)z.im); }
__device__ __forceinline__ c64_t c64_narrow(c128_t z) { return c64_make((float)z.real(), (float)z.imag()); }

/* MLX's complex log1p (mlx/backend/cpu/simd/base_simd.h), in float as the CPU. */
__device__ __forceinline__ c64_t c64_log1p(c64_t z) {
    float x = z.re, y = z.im;
    float theta = atan2f(y, __fadd_rn(x, 1.0f));
    if (c64_abs(z) < 0.5f) {
        float r = __fadd_rn(__fmul_rn(x, __fadd_rn(2.0f, x)), __fmul_rn(y, y));
        if (r == 0.0f)
            return c64_make(x, theta);
        return c64_make(0.5f * log1pf(r), theta);
    }
    return c64_make(logf(c64_abs(c64_make(__fadd_rn(x, 1.0f), y))), theta);
}

/* Lexicographic order, real part first (MLX's complex64_t operator>). */
__device__ __forceinline__ bool c64_gt(c64_t x, c64_t y) { return x.re > y.re || (x.re == y.re && x.im > y.im); }
__device__ __forceinline__ bool c64_ge(c64_t x, c64_t y) { return x.re > y.re || (x.re == y.re && x.im >= y.im); }

#endif
