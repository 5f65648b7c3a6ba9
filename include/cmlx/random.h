/* cmlx/random.h - key-based random numbers (mlx.core.random).
 *
 * Keys are uint32 arrays of shape (2,), as in MLX, and the generator is the
 * same Threefry-2x32 counter scheme, so the same key gives the same bits as
 * MLX. Functions taking a key accept MX_NULL_ARRAY to draw from the global
 * key (seeded by mx_random_seed), which they advance. */
#ifndef CMLX_RANDOM_H
#define CMLX_RANDOM_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

MX_API mx_array mx_random_key(uint64_t seed);
MX_API void mx_random_seed(uint64_t seed);
/* num new keys, shape (num, 2). */
MX_API mx_array mx_random_split(mx_array key, int num);
/* Random bits: uint8, uint16 or uint32 for width 1, 2 or 4 (bytes). */
MX_API mx_array mx_random_bits(const int64_t *shape, int ndim, int width, mx_array key);
/* Uniform in [low, high) of dtype float32, float16 or bfloat16. low/high
 * (converted to dtype) broadcast to shape; MX_NULL_ARRAY means 0 / 1. */
MX_API mx_array mx_random_uniform(mx_array low, mx_array high, const int64_t *shape, int ndim, mx_dtype dtype,
                                  mx_array key);
/* Normal with mean loc and standard deviation scale, of dtype float16/32/64,
 * bfloat16 or complex64 (each part of variance scale^2 / 2). loc = 0 and
 * scale = 1 are MLX's defaults (no shift, no scaling). */
MX_API mx_array mx_random_normal(const int64_t *shape, int ndim, mx_dtype dtype, double loc, double scale,
                                 mx_array key);

#ifdef __cplusplus
}
#endif
#endif
