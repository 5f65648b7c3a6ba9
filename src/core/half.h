/* core/half.h - float16 (IEEE binary16) and bfloat16 conversions, round to
 * nearest even, NaN preserved. Storage types are uint16_t bit patterns. */
#ifndef CMLX_CORE_HALF_H
#define CMLX_CORE_HALF_H

#include <stdint.h>
#include <string.h>

static inline uint32_t mx_f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float mx_bits_f32(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline float mx_bf16_to_f32(uint16_t h) { return mx_bits_f32((uint32_t)h << 16); }

static inline uint16_t mx_f32_to_bf16(float f) {
    uint32_t u = mx_f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u)
        return (uint16_t)((u >> 16) | 0x40u); /* quiet NaN */
    u += 0x7fffu + ((u >> 16) & 1u);
    return (uint16_t)(u >> 16);
}

#if defined(__F16C__)
#include <immintrin.h>
static inline float mx_f16_to_f32(uint16_t h) { return _cvtsh_ss(h); }
static inline uint16_t mx_f32_to_f16(float f) { return (uint16_t)_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT); }
#else
static inline float mx_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
    uint32_t u;
    if (exp == 0x1f) {
        u = sign | 0x7f800000u | (mant << 13);
    } else if (exp == 0) {
        if (mant == 0) {
            u = sign;
        } else { /* subnormal: value = mant * 2^-24 */
            float f = (float)mant * 5.9604644775390625e-8f;
            return sign ? -f : f;
        }
    } else {
        u = sign | ((exp + 112u) << 23) | (mant << 13);
    }
    return mx_bits_f32(u);
}
static inline uint16_t mx_f32_to_f16(float f) {
    uint32_t u = mx_f32_bits(f);
    uint32_t sign = (u >> 16) & 0x8000u;
    uint32_t abs = u & 0x7fffffffu;
    if (abs > 0x7f800000u)
        return (uint16_t)(sign | 0x7e00u | ((abs >> 13) & 0x3ffu));
    if (abs >= 0x477ff000u) /* rounds to >= 65520: infinity */
        return (uint16_t)(sign | 0x7c00u);
    if (abs < 0x38800000u) {                      /* below the smallest normal: subnormal or zero */
        float a = mx_bits_f32(abs) * 16777216.0f; /* scale by 2^24, round to int */
        uint32_t m = (uint32_t)__builtin_nearbyintf(a);
        return (uint16_t)(sign | m);
    }
    uint32_t mant_odd = (abs >> 13) & 1u;
    abs += 0xfffu + mant_odd;
    return (uint16_t)(sign | ((abs - 0x38000000u) >> 13));
}
#endif

#endif
