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

/* Integers uniform in [low, high) (broadcast to shape; an empty interval gives
 * low) of an integer dtype or bool: floor of a float32 uniform draw, clamped to
 * [low, high - 1] in the output dtype (MLX 0.32's formula, so a key gives MLX's
 * values; bounds beyond 2^24 inherit float32's resolution, as in MLX). */
MX_API mx_array mx_random_randint(mx_array low, mx_array high, const int64_t *shape, int ndim, mx_dtype dtype,
                                  mx_array key);
/* True with probability p (a float array or MX_NULL_ARRAY for 0.5); ndim < 0
 * takes p's shape. */
MX_API mx_array mx_random_bernoulli(mx_array p, const int64_t *shape, int ndim, mx_array key);
/* Normal values truncated to [lower, upper], of a float dtype; ndim < 0 takes
 * the broadcast shape of the bounds. */
MX_API mx_array mx_random_truncated_normal(mx_array lower, mx_array upper, const int64_t *shape, int ndim,
                                           mx_dtype dtype, mx_array key);
/* Standard Gumbel values of a float dtype. */
MX_API mx_array mx_random_gumbel(const int64_t *shape, int ndim, mx_dtype dtype, mx_array key);
/* Laplace values with location loc and scale, of a float dtype. */
MX_API mx_array mx_random_laplace(const int64_t *shape, int ndim, mx_dtype dtype, double loc, double scale,
                                  mx_array key);
/* Category indices (uint32) drawn from the unnormalised log-probabilities
 * `logits` along `axis`: one per batch entry (the logits' shape without
 * axis), or of `shape` (which must broadcast with that batch shape), or
 * num_samples per batch entry (a trailing axis). */
MX_API mx_array mx_random_categorical(mx_array logits, int axis, mx_array key);
MX_API mx_array mx_random_categorical_shape(mx_array logits, int axis, const int64_t *shape, int ndim, mx_array key);
MX_API mx_array mx_random_categorical_samples(mx_array logits, int axis, int64_t num_samples, mx_array key);

#ifdef __cplusplus
}
#endif
#endif
