/* backend/cpu/erfinv.h - float32 inverse error function, bit for bit the
 * one MLX's CPU backend computes (its scalar path on x86: fmaf, logf from
 * the C library, and two minimax polynomials in t = log(1 - a^2) split at
 * |t| = 6.125). random normal uses it; the unary erfinv kernel can too.
 *
 * logf comes from the C library, as in MLX, so results agree with MLX run
 * against the same libm (glibc's logf is deterministic but not correctly
 * rounded in every case). Half types go through this in float32. */
#ifndef CMLX_BACKEND_CPU_ERFINV_H
#define CMLX_BACKEND_CPU_ERFINV_H

#include <math.h>

static inline float mx_erfinv_f32(float a) {
    float t = logf(fmaf(a, 0.0f - a, 1.0f));
    float p;
    if (fabsf(t) > 6.125f) { /* tails */
        p = 3.03697567e-10f;
        p = fmaf(p, t, 2.93243101e-8f);
        p = fmaf(p, t, 1.22150334e-6f);
        p = fmaf(p, t, 2.84108955e-5f);
        p = fmaf(p, t, 3.93552968e-4f);
        p = fmaf(p, t, 3.02698812e-3f);
        p = fmaf(p, t, 4.83185798e-3f);
        p = fmaf(p, t, -2.64646143e-1f);
        p = fmaf(p, t, 8.40016484e-1f);
    } else { /* centre */
        p = 5.43877832e-9f;
        p = fmaf(p, t, 1.43285448e-7f);
        p = fmaf(p, t, 1.22774793e-6f);
        p = fmaf(p, t, 1.12963626e-7f);
        p = fmaf(p, t, -5.61530760e-5f);
        p = fmaf(p, t, -1.47697632e-4f);
        p = fmaf(p, t, 2.31468678e-3f);
        p = fmaf(p, t, 1.15392581e-2f);
        p = fmaf(p, t, -2.32015476e-1f);
        p = fmaf(p, t, 8.86226892e-1f);
    }
    return a * p;
}

#endif
