/* tests/golden/compare.c - element-wise comparison with per-op tolerances. */
#include "compare.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *op;
    golden_tol_class cls;
} k_classes[] = {
    {"add", TOL_ROUNDING},
    {"subtract", TOL_ROUNDING},
    {"multiply", TOL_ROUNDING},
    {"divide", TOL_ROUNDING},
    {"floor_divide", TOL_ROUNDING},
    {"remainder", TOL_ROUNDING},
    {"square", TOL_ROUNDING},
    {"reciprocal", TOL_ROUNDING},
    {"sqrt", TOL_ROUNDING},
    {"rsqrt", TOL_ROUNDING},
    {"degrees", TOL_ROUNDING},
    {"radians", TOL_ROUNDING},
    {"round", TOL_ROUNDING},
    {"exp", TOL_MATH},
    {"expm1", TOL_MATH},
    {"log", TOL_MATH},
    {"log1p", TOL_MATH},
    {"log2", TOL_MATH},
    {"log10", TOL_MATH},
    {"sin", TOL_MATH},
    {"cos", TOL_MATH},
    {"tan", TOL_MATH},
    {"arcsin", TOL_MATH},
    {"arccos", TOL_MATH},
    {"arctan", TOL_MATH},
    {"sinh", TOL_MATH},
    {"cosh", TOL_MATH},
    {"tanh", TOL_MATH},
    {"arcsinh", TOL_MATH},
    {"arccosh", TOL_MATH},
    {"arctanh", TOL_MATH},
    {"sigmoid", TOL_MATH},
    {"erf", TOL_MATH},
    {"erfinv", TOL_MATH},
    {"power", TOL_MATH},
    {"logaddexp", TOL_MATH},
    {"arctan2", TOL_MATH},
    {"sum", TOL_SUM},
    {"mean", TOL_MEAN},
    {"var", TOL_VAR},
    {"std", TOL_STD},
    {"logsumexp", TOL_LOGSUMEXP},
    {"softmax", TOL_SOFTMAX},
    {"prod", TOL_PROD},
    {"matmul", TOL_MATMUL},
    {"arange", TOL_SEQUENCE},
    {"linspace", TOL_SEQUENCE},
};

golden_tol_class golden_tol_class_of(const char *op) {
    size_t len = strlen(op);
    if (len > 5 && (strcmp(op + len - 5, "_axis") == 0 || strcmp(op + len - 5, "_axes") == 0))
        len -= 5;
    for (size_t i = 0; i < sizeof k_classes / sizeof k_classes[0]; i++)
        if (strlen(k_classes[i].op) == len && strncmp(k_classes[i].op, op, len) == 0)
            return k_classes[i].cls;
    return TOL_EXACT;
}

static double half_to_double(uint16_t h) {
    int sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double v;
    if (exp == 0)
        v = ldexp(mant, -24);
    else if (exp == 31)
        v = mant ? NAN : INFINITY;
    else
        v = ldexp(mant | 0x400, exp - 25);
    return sign ? -v : v;
}

static double bfloat_to_double(uint16_t b) {
    uint32_t bits = (uint32_t)b << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

double golden_element(const golden_array *a, const void *data, int64_t i, double *imag) {
    const uint8_t *p = (const uint8_t *)data + (size_t)i * mx_dtype_size(a->dtype);
    *imag = 0;
    union {
        uint8_t u8;
        uint16_t u16;
        uint32_t u32;
        uint64_t u64;
        int8_t i8;
        int16_t i16;
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        float c64[2];
    } v;
    memcpy(&v, p, mx_dtype_size(a->dtype));
    switch (a->dtype) {
    case MX_BOOL: return v.u8 != 0;
    case MX_UINT8: return v.u8;
    case MX_UINT16: return v.u16;
    case MX_UINT32: return v.u32;
    case MX_UINT64: return (double)v.u64;
    case MX_INT8: return v.i8;
    case MX_INT16: return v.i16;
    case MX_INT32: return v.i32;
    case MX_INT64: return (double)v.i64;
    case MX_FLOAT16: return half_to_double(v.u16);
    case MX_FLOAT32: return v.f32;
    case MX_FLOAT64: return v.f64;
    case MX_BFLOAT16: return bfloat_to_double(v.u16);
    case MX_COMPLEX64: *imag = v.c64[1]; return v.c64[0];
    default: return NAN;
    }
}

static double epsilon_of(mx_dtype dtype) {
    switch (dtype) {
    case MX_FLOAT16: return 0x1p-10;
    case MX_BFLOAT16: return 0x1p-7;
    case MX_FLOAT64: return 0x1p-52;
    default: return 0x1p-23; /* float32, complex64 */
    }
}

/* Largest finite magnitude among the elements of an array (0 if none). */
static double max_magnitude(const golden_array *a) {
    double m = 0, im;
    for (int64_t i = 0; i < a->size; i++) {
        double re = golden_element(a, a->data, i, &im), mag = sqrt(re * re + im * im);
        if (isfinite(mag) && mag > m)
            m = mag;
    }
    return m;
}

golden_tolerance golden_tolerance_for(const golden_case *c, const golden_array *want, double n) {
    golden_tolerance t = {golden_tol_class_of(c->op), 0, 0};
    if (!mx_dtype_is_float(want->dtype) && want->dtype != MX_COMPLEX64) {
        t.cls = TOL_EXACT; /* integers and bools are always exact */
        return t;
    }
    double eps = epsilon_of(want->dtype);
    bool half = want->dtype == MX_FLOAT16 || want->dtype == MX_BFLOAT16;
    if (t.cls == TOL_ROUNDING && want->dtype == MX_COMPLEX64)
        t.cls = TOL_MATH; /* complex division, sqrt, ... are several operations */
    double scale = 0;
    for (int i = 0; i < c->ninputs; i++) {
        double m = max_magnitude(&c->inputs[i].array);
        scale = t.cls == TOL_MATMUL ? (i == 0 ? m : scale * m) : (m > scale ? m : scale);
    }
    double grow = 2.0 * (1.0 + sqrt(n > 1 ? n : 1));
    switch (t.cls) {
    case TOL_EXACT: break;
    case TOL_ROUNDING: t.rtol = 2 * eps; break;
    case TOL_MATH:
        /* MLX evaluates float32 (and several float64) functions with its own
         * approximations, about 1e-6 relative / 5e-7 absolute from libm; the
         * 16-bit types compute in float32 and round: one ulp apart. */
        t.rtol = half ? 1.01 * eps : 4e-6;
        t.atol = 1e-6;
        break;
    case TOL_SUM:
        t.rtol = grow * eps;
        t.atol = t.rtol * sqrt(n) * scale;
        break;
    case TOL_MEAN:
        t.rtol = grow * eps;
        t.atol = t.rtol * scale / sqrt(n > 1 ? n : 1);
        break;
    case TOL_VAR:
        t.rtol = grow * eps;
        t.atol = t.rtol * scale * scale;
        break;
    case TOL_STD:
        t.rtol = grow * eps;
        t.atol = t.rtol * scale;
        break;
    case TOL_LOGSUMEXP: /* exp and log inside: MLX's float-accurate exp, float64 included */
        t.rtol = grow * eps + (half ? 0 : 4e-6);
        t.atol = t.rtol * (scale > 1 ? scale : 1);
        break;
    case TOL_SOFTMAX:
        t.rtol = grow * eps + (half ? 0 : 4e-6);
        t.atol = t.rtol;
        break;
    case TOL_PROD: t.rtol = 2.0 * (1.0 + n) * eps; break;
    case TOL_MATMUL:
        t.rtol = grow * eps;
        t.atol = t.rtol * sqrt(n) * scale;
        break;
    case TOL_SEQUENCE:
        t.rtol = grow * eps;
        t.atol = t.rtol * max_magnitude(want);
        break;
    }
    if (t.cls != TOL_EXACT && t.cls != TOL_MATH && half && t.rtol < 1.01 * eps)
        t.rtol = 1.01 * eps;
    return t;
}

static bool same_special(double w, double g) {
    if (isnan(w) || isnan(g))
        return isnan(w) && isnan(g);
    if (isinf(w) || isinf(g))
        return w == g;
    return true; /* both finite: decided by the caller */
}

bool golden_compare(const golden_array *want, const void *got, golden_tolerance tol, char *msg, size_t cap) {
    size_t item = mx_dtype_size(want->dtype);
    bool is_fp = mx_dtype_is_float(want->dtype) || want->dtype == MX_COMPLEX64;
    for (int64_t i = 0; i < want->size; i++) {
        double wi, gi, w = golden_element(want, want->data, i, &wi), g = golden_element(want, got, i, &gi);
        bool ok;
        if (!is_fp) {
            ok = memcmp(want->data + (size_t)i * item, (const uint8_t *)got + (size_t)i * item, item) == 0;
        } else {
            ok = same_special(w, g) && same_special(wi, gi);
            if (ok && isfinite(w) && isfinite(wi)) {
                if (tol.cls == TOL_EXACT)
                    ok = w == g && wi == gi && signbit(w) == signbit(g) && signbit(wi) == signbit(gi);
                else
                    ok = hypot(w - g, wi - gi) <= tol.atol + tol.rtol * hypot(w, wi);
            }
        }
        if (!ok) {
            if (want->dtype == MX_COMPLEX64)
                snprintf(msg, cap, "element %lld: got %.9g%+.9gj, want %.9g%+.9gj (rtol %.3g, atol %.3g)", (long long)i,
                         g, gi, w, wi, tol.rtol, tol.atol);
            else if (want->dtype == MX_UINT64 || want->dtype == MX_INT64) {
                uint64_t gv, wv; /* beyond 2^53: print the exact integers */
                memcpy(&gv, (const uint8_t *)got + (size_t)i * 8, 8);
                memcpy(&wv, want->data + (size_t)i * 8, 8);
                if (want->dtype == MX_INT64)
                    snprintf(msg, cap, "element %lld: got %lld, want %lld", (long long)i, (long long)(int64_t)gv,
                             (long long)(int64_t)wv);
                else
                    snprintf(msg, cap, "element %lld: got %llu, want %llu", (long long)i, (unsigned long long)gv,
                             (unsigned long long)wv);
            } else {
                int digits = want->dtype == MX_FLOAT64 ? 17 : 9;
                snprintf(msg, cap, "element %lld: got %.*g, want %.*g (rtol %.3g, atol %.3g)", (long long)i, digits, g,
                         digits, w, tol.rtol, tol.atol);
            }
            return false;
        }
    }
    return true;
}
