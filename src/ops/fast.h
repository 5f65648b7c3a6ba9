/* ops/fast.h - the fused ops of mlx.core.fast (rms_norm, layer_norm, rope,
 * scaled_dot_product_attention): parameter structs shared with the CPU
 * kernels (backend/cpu/fast.c) and node-level constructors for the rules
 * that build on them. See docs/fast.md. */
#ifndef CMLX_OPS_FAST_H
#define CMLX_OPS_FAST_H

#include "ops/ops.h"

/* rms_norm: inputs x (..., L) and, when has_weight, w (L,) in the output
 * dtype. x is the caller's float array, or its float32 cast for integer and
 * bool inputs (MLX's composite normalises astype(x, float32)). */
typedef struct mx_rms_norm_params {
    float eps; /* MLX keeps eps as a float32 */
    bool has_weight;
} mx_rms_norm_params;

/* layer_norm: inputs x, then w (L,) if has_weight, then b (L,) if has_bias. */
typedef struct mx_layer_norm_params {
    float eps;
    bool has_weight, has_bias;
} mx_layer_norm_params;

/* rms_norm_vjp / layer_norm_vjp: the fused backward passes the VJP rules of
 * rms_norm and layer_norm build. Inputs x (..., L), then w (L,) when
 * has_weight, then the cotangent g (x's shape), all of one float dtype D: the
 * forward's output dtype, or float32/float64 (the rule's compute dtype) when
 * x's dtype differs from it. The output is one flat array of D: dx (x's
 * shape, row-contiguous), then dw (L,) when want_dw, then db (L,) when
 * want_db (layer_norm only). With r = 1/sqrt(var + eps), n = (x - mean) r
 * (rms_norm: mean = 0, var = mean(x^2)) and gw = g w (g without a weight):
 *   layer_norm: dx = r (gw - mean(gw) - n mean(gw n))
 *   rms_norm:   dx = r (gw - n mean(gw n))
 *   dw = sum over rows of g n,  db = sum over rows of g,
 * computed in float32 (float64 for float64) and rounded once to D. */
typedef struct mx_norm_vjp_params {
    float eps;
    bool has_weight, want_dw, want_db;
} mx_norm_vjp_params;

/* rope: inputs x (B, ..., T, D) float, offset (int32 or uint32: a scalar or
 * (B,)), and freqs (dims/2,) float32 when has_freqs. forward = false is the
 * inverse rotation (the VJP). */
typedef struct mx_rope_params {
    int dims;
    bool traditional, forward, has_freqs;
    float base, scale; /* base is unused with freqs */
} mx_rope_params;

/* scaled_dot_product_attention: inputs q (B, Nq, Tq, D), k (B, Nkv, Tk, D),
 * v (B, Nkv, Tk, Dv) in the output dtype, then the mask broadcast to
 * (B, Nq, Tq, Tk) (bool, or additive in the output dtype) when mask_kind is
 * not NONE, then sinks (Nq,) in the output dtype when has_sinks. */
enum { MX_SDPA_MASK_NONE, MX_SDPA_MASK_ADDITIVE, MX_SDPA_MASK_BOOL };
typedef struct mx_sdpa_params {
    float scale;
    bool causal; /* lower-right aligned: query i sees keys j <= i + Tk - Tq */
    int mask_kind;
    bool has_sinks;
    /* built while a transform traces: a GPU forward pass keeps its row
     * statistics for the fused backward pass (backend/cuda/sdpa.c) */
    bool keep_stats;
} mx_sdpa_params;

/* scaled_dot_product_attention_vjp (the fused backward pass, built by the
 * VJP rule for GPU nodes): inputs q, k, v, the forward node, the cotangent
 * (all in the forward's dtype), then the forward's mask and sinks; params are
 * the forward's. The output is one (|dq| + |dk| + |dv|,) array of that dtype:
 * dq (B, Nq, Tq, D), dk (B, Nkv, Tk, D) and dv (B, Nkv, Tk, Dv), each
 * row-contiguous. The gradients of a mask or of the sinks are not in it. */

/* Node-level constructors: validate as MLX does (errors name the op, shapes
 * and dtypes) and return a new node, or NULL with the error set. Optional
 * inputs are NULL when absent. */
mx_node *mx_node_rms_norm(mx_node *x, mx_node *weight, float eps);
mx_node *mx_node_layer_norm(mx_node *x, mx_node *weight, mx_node *bias, float eps);
/* base is ignored when freqs is given (the public API checks that exactly one is). */
mx_node *mx_node_rope(mx_node *x, int dims, bool traditional, float base, float scale, mx_node *offset, mx_node *freqs,
                      bool forward);
/* mask_mode: NULL or "" (no mask, or the array mask), "causal" or "array". */
mx_node *mx_node_sdpa(mx_node *q, mx_node *k, mx_node *v, float scale, const char *mask_mode, mx_node *mask,
                      mx_node *sinks);

/* The lowest finite value of a float dtype, as a double: what MLX writes in
 * place of a score a boolean (or causal) mask hides (finfo(dtype).min). */
double mx_fast_lowest(mx_dtype dtype);

#endif
