/* cmlx/fast.h - Fused kernels of mlx.core.fast: rms_norm, layer_norm, rope, scaled_dot_product_attention (mx_fast_*).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_FAST_H
#define CMLX_FAST_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Optional array arguments take MX_NULL_ARRAY for "none" (MLX's None). eps,
 * base and scale are used as float32, as in MLX. Results are computed in
 * float32 for float16/bfloat16/float32 outputs and in float64 for float64. */

/* x / sqrt(mean(x^2, last axis) + eps) * weight. x has at least one
 * dimension; weight is (x.shape[-1],) or MX_NULL_ARRAY. The result's dtype is
 * the promotion of x and weight (x's without a weight) and must be a float. */
MX_API mx_array mx_fast_rms_norm(mx_array x, mx_array weight, double eps);

/* (x - mean(x)) / sqrt(var(x) + eps) * weight + bias over the last axis;
 * weight and bias are (x.shape[-1],) or MX_NULL_ARRAY. The result's dtype
 * is the promotion of x and weight (and bias, with a weight) as in MLX. */
MX_API mx_array mx_fast_layer_norm(mx_array x, mx_array weight, mx_array bias, double eps);

/* Rotary position embedding of a (B, ..., T, D) float array: the first
 * `dims` features (even, <= D) are rotated in pairs by the angle
 * (offset + t) * scale * base^(-2j/dims) (or (offset + t) * scale / freqs[j]),
 * pairs (2j, 2j+1) when traditional, else (j, j + dims/2); features past dims
 * are copied. Exactly one of base and freqs is given: base = NAN means none
 * (freqs is a (dims/2,) array), freqs = MX_NULL_ARRAY means none. */
MX_API mx_array mx_fast_rope(mx_array a, int dims, bool traditional, double base, double scale, int offset,
                             mx_array freqs);
/* The same with an integer array offset: a scalar, or one per batch entry (B,). */
MX_API mx_array mx_fast_rope_offset(mx_array a, int dims, bool traditional, double base, double scale, mx_array offset,
                                    mx_array freqs);

/* softmax(scale q k^T + mask) v, per head: q (B, Nq, Tq, D), k (B, Nkv, Tk, D),
 * v (B, Nkv, Tk, Dv), Nq a multiple of Nkv (grouped-query attention: query
 * head h uses key/value head h / (Nq / Nkv)); the result is (B, Nq, Tq, Dv)
 * in the promotion of the three dtypes (a float).
 * mask_mode: NULL or "" (mask is MX_NULL_ARRAY or an array), "causal" (the
 * last query aligned with the last key: query i sees keys j <= i + Tk - Tq),
 * or "array". mask: broadcastable to (B, Nq, Tq, Tk), of rank <= 4; boolean
 * (false hides a score) or additive (its dtype must promote to the result's).
 * sinks: MX_NULL_ARRAY or (Nq,): one extra logit per head in each softmax
 * denominator (attention sinks). */
MX_API mx_array mx_fast_scaled_dot_product_attention(mx_array q, mx_array k, mx_array v, double scale,
                                                     const char *mask_mode, mx_array mask, mx_array sinks);

#ifdef __cplusplus
}
#endif

#endif
