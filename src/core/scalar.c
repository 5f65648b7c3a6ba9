/* core/scalar.c - single-element conversions used by creation and item(). */
#include "core/scalar.h"

#include <math.h>
#include <string.h>

#include "core/half.h"

double mx_scalar_load_f64(const void *src, mx_dtype dtype) {
    switch (dtype) {
    case MX_BOOL: return *(const bool *)src ? 1.0 : 0.0;
    case MX_UINT8: return *(const uint8_t *)src;
    case MX_UINT16: return *(const uint16_t *)src;
    case MX_UINT32: return *(const uint32_t *)src;
    case MX_UINT64: return (double)*(const uint64_t *)src;
    case MX_INT8: return *(const int8_t *)src;
    case MX_INT16: return *(const int16_t *)src;
    case MX_INT32: return *(const int32_t *)src;
    case MX_INT64: return (double)*(const int64_t *)src;
    case MX_FLOAT16: return mx_f16_to_f32(*(const uint16_t *)src);
    case MX_FLOAT32: return *(const float *)src;
    case MX_FLOAT64: return *(const double *)src;
    case MX_BFLOAT16: return mx_bf16_to_f32(*(const uint16_t *)src);
    case MX_COMPLEX64: return *(const float *)src; /* real part */
    default: return NAN;
    }
}

int64_t mx_scalar_load_i64(const void *src, mx_dtype dtype) {
    switch (dtype) {
    case MX_UINT64: return (int64_t) * (const uint64_t *)src;
    case MX_INT64: return *(const int64_t *)src;
    default: {
        double v = mx_scalar_load_f64(src, dtype);
        if (isnan(v))
            return 0;
        if (v >= 9223372036854775807.0)
            return INT64_MAX;
        if (v <= -9223372036854775808.0)
            return INT64_MIN;
        return (int64_t)v;
    }
    }
}

static double clamp(double v, double lo, double hi) {
    if (isnan(v))
        return 0;
    return v < lo ? lo : v > hi ? hi : v;
}

void mx_scalar_store_f64(void *dst, mx_dtype dtype, double v) {
    switch (dtype) {
    case MX_BOOL: *(bool *)dst = v != 0; break;
    case MX_UINT8: *(uint8_t *)dst = (uint8_t)(int64_t)clamp(v, -128.0, 255.0); break;
    case MX_UINT16: *(uint16_t *)dst = (uint16_t)(int64_t)clamp(v, -32768.0, 65535.0); break;
    case MX_UINT32: *(uint32_t *)dst = (uint32_t)(int64_t)clamp(v, -2147483648.0, 4294967295.0); break;
    case MX_UINT64:
        *(uint64_t *)dst = v < 0 ? (uint64_t)(int64_t)clamp(v, -9.2233720368547758e18, 0)
                                 : (uint64_t)clamp(v, 0, 1.8446744073709550e19);
        break;
    case MX_INT8: *(int8_t *)dst = (int8_t)clamp(v, -128.0, 127.0); break;
    case MX_INT16: *(int16_t *)dst = (int16_t)clamp(v, -32768.0, 32767.0); break;
    case MX_INT32: *(int32_t *)dst = (int32_t)clamp(v, -2147483648.0, 2147483647.0); break;
    case MX_INT64: *(int64_t *)dst = (int64_t)clamp(v, -9.2233720368547758e18, 9.2233720368547748e18); break;
    case MX_FLOAT16: *(uint16_t *)dst = mx_f32_to_f16((float)v); break;
    case MX_FLOAT32: *(float *)dst = (float)v; break;
    case MX_FLOAT64: *(double *)dst = v; break;
    case MX_BFLOAT16: *(uint16_t *)dst = mx_f32_to_bf16((float)v); break;
    case MX_COMPLEX64:
        ((float *)dst)[0] = (float)v;
        ((float *)dst)[1] = 0;
        break;
    default: break;
    }
}

void mx_scalar_store_i64(void *dst, mx_dtype dtype, int64_t v) {
    switch (dtype) {
    case MX_BOOL: *(bool *)dst = v != 0; break;
    case MX_UINT8: *(uint8_t *)dst = (uint8_t)v; break;
    case MX_UINT16: *(uint16_t *)dst = (uint16_t)v; break;
    case MX_UINT32: *(uint32_t *)dst = (uint32_t)v; break;
    case MX_UINT64: *(uint64_t *)dst = (uint64_t)v; break;
    case MX_INT8: *(int8_t *)dst = (int8_t)v; break;
    case MX_INT16: *(int16_t *)dst = (int16_t)v; break;
    case MX_INT32: *(int32_t *)dst = (int32_t)v; break;
    case MX_INT64: *(int64_t *)dst = v; break;
    default: mx_scalar_store_f64(dst, dtype, (double)v); break;
    }
}
