/* ops/fast.c - the fused ops of mlx.core.fast: rms_norm, layer_norm, rope and
 * scaled_dot_product_attention. Validation, dtypes and results follow MLX
 * 0.32 (mlx/fast.cpp and the composites MLX's CPU backend evaluates); each op
 * is one primitive with a fused CPU kernel (backend/cpu/fast.c).
 *
 * Transform rules: the VJPs and JVPs are built from ordinary ops (the
 * closed-form derivatives of the composites MLX differentiates on the CPU),
 * computed in float32 (float64 for float64 results) and cast to the
 * primal's dtype. rope's VJP for x is rope with the inverse rotation, as in
 * MLX. The norms' VJPs are one fused node each (rms_norm_vjp,
 * layer_norm_vjp: the same maths in one kernel) whose own rules
 * differentiate the composition. See docs/fast.md. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/fast.h"
#include "cmlx/transforms.h"
#include "core/backend.h"
#include "core/handle.h"
#include "ops/fast.h"
#include "transforms/trace.h"
#include "transforms/vmap.h"

static int rms_norm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads);
static int rms_norm_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int layer_norm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads);
static int layer_norm_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int rope_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads);
static int rope_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int sdpa_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads);
static int sdpa_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int norm_vjp_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads);
static int norm_vjp_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int norm_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);
static int rope_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);

const mx_op_def mx_op_rms_norm = {.name = "rms_norm",
                                  .id = MX_OP_rms_norm,
                                  .family = MX_FAMILY_OTHER,
                                  .params_size = sizeof(mx_rms_norm_params),
                                  .vjp = rms_norm_vjp,
                                  .jvp = rms_norm_jvp,
                                  .vmap = norm_vmap};
const mx_op_def mx_op_layer_norm = {.name = "layer_norm",
                                    .id = MX_OP_layer_norm,
                                    .family = MX_FAMILY_OTHER,
                                    .params_size = sizeof(mx_layer_norm_params),
                                    .vjp = layer_norm_vjp,
                                    .jvp = layer_norm_jvp,
                                    .vmap = norm_vmap};
const mx_op_def mx_op_rope = {.name = "rope",
                              .id = MX_OP_rope,
                              .family = MX_FAMILY_OTHER,
                              .params_size = sizeof(mx_rope_params),
                              .vjp = rope_vjp,
                              .jvp = rope_jvp,
                              .vmap = rope_vmap};
const mx_op_def mx_op_scaled_dot_product_attention = {.name = "scaled_dot_product_attention",
                                                      .id = MX_OP_scaled_dot_product_attention,
                                                      .family = MX_FAMILY_OTHER,
                                                      .params_size = sizeof(mx_sdpa_params),
                                                      .vjp = sdpa_vjp,
                                                      .jvp = sdpa_jvp,
                                                      .vmap = mx_vmap_unrolled};
/* The fused backward pass (no rules of its own: MLX's VJP primitive has none). */
const mx_op_def mx_op_scaled_dot_product_attention_vjp = {.name = "scaled_dot_product_attention_vjp",
                                                          .id = MX_OP_scaled_dot_product_attention_vjp,
                                                          .family = MX_FAMILY_OTHER,
                                                          .params_size = sizeof(mx_sdpa_params),
                                                          .vmap = mx_vmap_unrolled};

/* The fused norm backward passes (ops/fast.h): differentiable again through
 * the composition they replace (norm_vjp_vjp, norm_vjp_jvp). */
const mx_op_def mx_op_rms_norm_vjp = {.name = "rms_norm_vjp",
                                      .id = MX_OP_rms_norm_vjp,
                                      .family = MX_FAMILY_OTHER,
                                      .params_size = sizeof(mx_norm_vjp_params),
                                      .vjp = norm_vjp_vjp,
                                      .jvp = norm_vjp_jvp,
                                      .vmap = mx_vmap_unrolled};
const mx_op_def mx_op_layer_norm_vjp = {.name = "layer_norm_vjp",
                                        .id = MX_OP_layer_norm_vjp,
                                        .family = MX_FAMILY_OTHER,
                                        .params_size = sizeof(mx_norm_vjp_params),
                                        .vjp = norm_vjp_vjp,
                                        .jvp = norm_vjp_jvp,
                                        .vmap = mx_vmap_unrolled};

double mx_fast_lowest(mx_dtype dtype) {
    switch (dtype) {
    case MX_FLOAT16: return -65504.0;
    case MX_BFLOAT16: return -3.38953138925153547590470800371487866880e38; /* -(2 - 2^-7) 2^127 */
    case MX_FLOAT64: return -DBL_MAX;
    default: return -FLT_MAX;
    }
}

/* ---- validation helpers ----------------------------------------------------------------- */

/* "(2,3) float32" of a node into buf. */
static const char *describe(const mx_node *n, char *buf, size_t cap) {
    char s[MX_SHAPE_STR_CAP];
    snprintf(buf, cap, "%s %s", mx_format_shape(n->shape, n->ndim, s, sizeof s), mx_dtype_name(n->dtype));
    return buf;
}
#define DESC_CAP (MX_SHAPE_STR_CAP + 16)

/* An optional 1-D affine parameter (weight or bias) of a norm over x's last axis. */
static bool check_affine(const char *op, const char *what, const mx_node *x, const mx_node *p) {
    char sx[DESC_CAP], sp[DESC_CAP];
    if (!p)
        return true;
    if (p->ndim != 1) {
        mx_set_error(MX_ERROR_VALUE, "%s: %s must have 1 dimension, got %s (input %s)", op, what,
                     describe(p, sp, sizeof sp), describe(x, sx, sizeof sx));
        return false;
    }
    if (p->shape[0] != x->shape[x->ndim - 1]) {
        mx_set_error(MX_ERROR_VALUE, "%s: %s of shape %s must have the size of the last dimension of the input %s", op,
                     what, describe(p, sp, sizeof sp), describe(x, sx, sizeof sx));
        return false;
    }
    return true;
}

static bool check_rank_one_or_more(const char *op, const mx_node *x) {
    if (x->ndim == 0) {
        mx_set_error(MX_ERROR_VALUE, "%s: the input must have at least 1 dimension, got shape () (%s)", op,
                     mx_dtype_name(x->dtype));
        return false;
    }
    return true;
}

/* MLX normalises astype(x, float32): an integer or bool x is cast to float32
 * rather than to the (possibly half) output dtype. */
static mx_node *norm_input(mx_node *x) {
    if (mx_dtype_is_float(x->dtype)) {
        mx_node_retain(x);
        return x;
    }
    return mx_node_astype(x, MX_FLOAT32);
}

/* Build a node over `n` inputs (some possibly NULL on failure), releasing them. */
static mx_node *node_over(const mx_op_def *op, const void *params, mx_node **in, int n, const mx_node *shape_of,
                          mx_dtype dtype) {
    mx_node *out = NULL;
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok = ok && in[i];
    if (ok)
        out = mx_node_new(op, params, in, n, shape_of->shape, shape_of->ndim, dtype);
    for (int i = 0; i < n; i++)
        if (in[i])
            mx_node_release(in[i]);
    return out;
}

/* ---- rms_norm, layer_norm ----------------------------------------------------------------- */

mx_node *mx_node_rms_norm(mx_node *x, mx_node *weight, float eps) {
    char sx[DESC_CAP], sw[DESC_CAP];
    if (!check_rank_one_or_more("rms_norm", x) || !check_affine("rms_norm", "weight", x, weight))
        return NULL;
    mx_dtype out = weight ? mx_promote_types(x->dtype, weight->dtype) : x->dtype;
    if (!mx_dtype_is_float(out)) {
        mx_set_error(MX_ERROR_VALUE, "rms_norm: unsupported type %s (input %s%s%s)", mx_dtype_name(out),
                     describe(x, sx, sizeof sx), weight ? ", weight " : "",
                     weight ? describe(weight, sw, sizeof sw) : "");
        return NULL;
    }
    mx_rms_norm_params p = {.eps = eps, .has_weight = weight != NULL};
    mx_node *in[2] = {norm_input(x), weight ? mx_node_astype(weight, out) : NULL};
    return node_over(&mx_op_rms_norm, &p, in, weight ? 2 : 1, x, out);
}

mx_node *mx_node_layer_norm(mx_node *x, mx_node *weight, mx_node *bias, float eps) {
    char sx[DESC_CAP];
    if (!check_rank_one_or_more("layer_norm", x) || !check_affine("layer_norm", "weight", x, weight) ||
        !check_affine("layer_norm", "bias", x, bias))
        return NULL;
    /* MLX: the output type comes from x and the weight (and the bias only with a weight) */
    mx_dtype out = x->dtype;
    if (weight) {
        out = mx_promote_types(out, weight->dtype);
        if (bias)
            out = mx_promote_types(out, bias->dtype);
    }
    if (!mx_dtype_is_float(out)) {
        mx_set_error(MX_ERROR_VALUE, "layer_norm: unsupported type %s (input %s)", mx_dtype_name(out),
                     describe(x, sx, sizeof sx));
        return NULL;
    }
    mx_layer_norm_params p = {.eps = eps, .has_weight = weight != NULL, .has_bias = bias != NULL};
    mx_node *in[3];
    int n = 0;
    in[n++] = norm_input(x);
    if (weight)
        in[n++] = mx_node_astype(weight, out);
    if (bias)
        in[n++] = mx_node_astype(bias, out);
    return node_over(&mx_op_layer_norm, &p, in, n, x, out);
}

/* ---- rope ------------------------------------------------------------------------------------------------ */

mx_node *mx_node_rope(mx_node *x, int dims, bool traditional, float base, float scale, mx_node *offset, mx_node *freqs,
                      bool forward) {
    char sx[DESC_CAP], so[DESC_CAP], sf[DESC_CAP];
    describe(x, sx, sizeof sx);
    if (x->ndim < 3) {
        mx_set_error(MX_ERROR_VALUE, "rope: the input must have at least 3 dimensions, got %s", sx);
        return NULL;
    }
    if (!mx_dtype_is_float(x->dtype)) {
        mx_set_error(MX_ERROR_VALUE, "rope: the input must be of a floating type, got %s", sx);
        return NULL;
    }
    describe(offset, so, sizeof so);
    if (offset->ndim > 1) {
        mx_set_error(MX_ERROR_VALUE, "rope: the offset must have at most one dimension, got %s (input %s)", so, sx);
        return NULL;
    }
    if (offset->size != 1 && offset->size != x->shape[0]) {
        mx_set_error(MX_ERROR_VALUE,
                     "rope: the offset must be a scalar or a vector of %lld elements (the batch of the input %s), "
                     "got %s",
                     (long long)x->shape[0], sx, so);
        return NULL;
    }
    if (!mx_dtype_is_integer(offset->dtype)) {
        mx_set_error(MX_ERROR_VALUE, "rope: the offset must be an integer, got %s", so);
        return NULL;
    }
    int64_t last = x->shape[x->ndim - 1];
    if (dims <= 0 || dims % 2 != 0 || dims > last) {
        mx_set_error(MX_ERROR_VALUE,
                     "rope: dims must be positive, even and at most the last dimension of the input %s, got %d", sx,
                     dims);
        return NULL;
    }
    if (freqs && (freqs->ndim != 1 || freqs->shape[0] != dims / 2)) {
        mx_set_error(MX_ERROR_VALUE, "rope: freqs must be one dimensional with size %d (dims / 2), got %s", dims / 2,
                     describe(freqs, sf, sizeof sf));
        return NULL;
    }
    mx_rope_params p = {.dims = dims,
                        .traditional = traditional,
                        .forward = forward,
                        .has_freqs = freqs != NULL,
                        .base = freqs ? 1.0f : base,
                        .scale = scale};
    mx_node *in[3] = {x, NULL, NULL};
    mx_node_retain(x);
    /* MLX keeps 4-byte offsets (int32, uint32) and casts the others to int32 */
    in[1] = mx_dtype_size(offset->dtype) == 4 ? (mx_node_retain(offset), offset) : mx_node_astype(offset, MX_INT32);
    /* MLX casts freqs to float32; cmlx keeps float64 for a float64 x, which it
     * rotates in float64 throughout */
    if (freqs)
        in[2] = mx_node_astype(freqs, x->dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32);
    return node_over(&mx_op_rope, &p, in, freqs ? 3 : 2, x, x->dtype);
}

/* ---- scaled_dot_product_attention ----------------------------------------------------------------------- */

#define SDPA "scaled_dot_product_attention"

mx_node *mx_node_sdpa(mx_node *q, mx_node *k, mx_node *v, float scale, const char *mask_mode, mx_node *mask,
                      mx_node *sinks) {
    char sq[DESC_CAP], sk[DESC_CAP], sv[DESC_CAP], sm[DESC_CAP];
    const mx_node *qkv[3] = {q, k, v};
    for (int i = 0; i < 3; i++) {
        if (qkv[i]->ndim != 4) {
            mx_set_error(MX_ERROR_VALUE, SDPA ": the %s must have rank 4 (B, N, T, D), got %s",
                         (const char *[]){"queries", "keys", "values"}[i], describe(qkv[i], sq, sizeof sq));
            return NULL;
        }
    }
    describe(q, sq, sizeof sq);
    describe(k, sk, sizeof sk);
    describe(v, sv, sizeof sv);
    if (!mask_mode)
        mask_mode = "";
    bool causal = strcmp(mask_mode, "causal") == 0;
    if (!causal && strcmp(mask_mode, "") != 0 && strcmp(mask_mode, "array") != 0) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": invalid mask mode '%s'; it must be 'causal', 'array' or ''", mask_mode);
        return NULL;
    }
    if (causal && mask) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": an array mask was given with the 'causal' mask mode");
        return NULL;
    }
    if (mask && mask->ndim > 4) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": the mask must have at most rank 4, got %s", describe(mask, sm, sizeof sm));
        return NULL;
    }
    if (k->shape[0] != q->shape[0] || v->shape[0] != q->shape[0]) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": mismatching batch dimensions: queries %s, keys %s, values %s", sq, sk, sv);
        return NULL;
    }
    if (q->shape[3] != k->shape[3]) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": queries %s and keys %s must have the same last dimension", sq, sk);
        return NULL;
    }
    int64_t n_q = q->shape[1], n_kv = k->shape[1];
    if (v->shape[1] != n_kv) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": keys %s and values %s must have the same number of heads", sk, sv);
        return NULL;
    }
    if ((n_kv == 0 && n_q != 0) || (n_kv != 0 && n_q % n_kv != 0)) {
        mx_set_error(MX_ERROR_VALUE,
                     SDPA ": the number of query heads must be a multiple of the key/value heads: queries %s, keys %s",
                     sq, sk);
        return NULL;
    }
    if (v->shape[2] != k->shape[2]) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": keys %s and values %s must have the same sequence length", sk, sv);
        return NULL;
    }
    mx_dtype out = mx_promote_types(mx_promote_types(q->dtype, k->dtype), v->dtype);
    if (!mx_dtype_is_float(out)) {
        mx_set_error(MX_ERROR_VALUE, SDPA ": unsupported type %s (queries %s, keys %s, values %s)", mx_dtype_name(out),
                     sq, sk, sv);
        return NULL;
    }
    int mask_kind = MX_SDPA_MASK_NONE;
    if (mask) {
        mask_kind = mask->dtype == MX_BOOL ? MX_SDPA_MASK_BOOL : MX_SDPA_MASK_ADDITIVE;
        if (mask_kind == MX_SDPA_MASK_ADDITIVE && mx_promote_types(mask->dtype, out) != out) {
            mx_set_error(MX_ERROR_VALUE, SDPA ": the mask %s must promote to the output type %s",
                         describe(mask, sm, sizeof sm), mx_dtype_name(out));
            return NULL;
        }
    }
    if (sinks) {
        if (mx_promote_types(sinks->dtype, out) != out) {
            mx_set_error(MX_ERROR_VALUE, SDPA ": the sinks %s must promote to the output type %s",
                         describe(sinks, sm, sizeof sm), mx_dtype_name(out));
            return NULL;
        }
        if (sinks->ndim != 1 || sinks->shape[0] != n_q) {
            mx_set_error(MX_ERROR_VALUE, SDPA ": the sinks must have shape (%lld,) (one per query head), got %s",
                         (long long)n_q, describe(sinks, sm, sizeof sm));
            return NULL;
        }
    }
    mx_sdpa_params p = {.scale = scale,
                        .causal = causal,
                        .mask_kind = mask_kind,
                        .has_sinks = sinks != NULL,
                        .keep_stats = mx_tracing()};
    mx_node *in[5] = {0};
    int n = 0;
    in[n++] = mx_node_astype(q, out);
    in[n++] = mx_node_astype(k, out);
    in[n++] = mx_node_astype(v, out);
    if (mask) {
        mx_node *cast = mask_kind == MX_SDPA_MASK_BOOL ? (mx_node_retain(mask), mask) : mx_node_astype(mask, out);
        int64_t shape[4] = {q->shape[0], n_q, q->shape[2], k->shape[2]};
        in[n++] = cast ? mx_node_broadcast_to(cast, shape, 4) : NULL;
        if (cast)
            mx_node_release(cast);
    }
    if (sinks)
        in[n++] = mx_node_astype(sinks, out);
    int64_t shape[4] = {q->shape[0], n_q, q->shape[2], v->shape[3]};
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok = ok && in[i];
    mx_node *node = ok ? mx_node_new(&mx_op_scaled_dot_product_attention, &p, in, n, shape, 4, out) : NULL;
    for (int i = 0; i < n; i++)
        if (in[i])
            mx_node_release(in[i]);
    return node;
}

/* ---- public API ------------------------------------------------------------------------------------------- */

/* The node of an optional handle: NULL for MX_NULL_ARRAY (absent, *ok
 * stays true); NULL with *ok false (error set) for a bad handle. */
static mx_node *optional_node(mx_array a, const char *op, bool *ok) {
    if (a.id == 0)
        return NULL;
    mx_node *n = mx_handle_get(a, op);
    if (!n)
        *ok = false;
    return n;
}

mx_array mx_fast_rms_norm(mx_array x, mx_array weight, double eps) {
    bool ok = true;
    mx_node *nx = mx_handle_get(x, "rms_norm");
    mx_node *nw = nx ? optional_node(weight, "rms_norm", &ok) : NULL;
    return mx_handle_wrap(nx && ok ? mx_node_rms_norm(nx, nw, (float)eps) : NULL);
}

mx_array mx_fast_layer_norm(mx_array x, mx_array weight, mx_array bias, double eps) {
    bool ok = true;
    mx_node *nx = mx_handle_get(x, "layer_norm");
    mx_node *nw = nx ? optional_node(weight, "layer_norm", &ok) : NULL;
    mx_node *nb = nx && ok ? optional_node(bias, "layer_norm", &ok) : NULL;
    return mx_handle_wrap(nx && ok ? mx_node_layer_norm(nx, nw, nb, (float)eps) : NULL);
}

mx_array mx_fast_rope_offset(mx_array a, int dims, bool traditional, double base, double scale, mx_array offset,
                             mx_array freqs) {
    bool ok = true;
    mx_node *nx = mx_handle_get(a, "rope");
    mx_node *no = nx ? mx_handle_get(offset, "rope") : NULL;
    mx_node *nf = no ? optional_node(freqs, "rope", &ok) : NULL;
    if (!nx || !no || !ok)
        return mx_handle_wrap(NULL);
    if (nf && !isnan(base)) {
        mx_set_error(MX_ERROR_VALUE, "rope: only one of base and freqs can have a value");
        return mx_handle_wrap(NULL);
    }
    if (!nf && isnan(base)) {
        mx_set_error(MX_ERROR_VALUE, "rope: neither base nor freqs has a value");
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(mx_node_rope(nx, dims, traditional, (float)base, (float)scale, no, nf, true));
}

mx_array mx_fast_rope(mx_array a, int dims, bool traditional, double base, double scale, int offset, mx_array freqs) {
    mx_node *off = mx_node_scalar((double)offset, MX_INT32);
    if (!off)
        return mx_handle_wrap(NULL);
    mx_array handle = mx_handle_wrap(off);
    mx_array out = mx_fast_rope_offset(a, dims, traditional, base, scale, handle, freqs);
    mx_free(handle);
    return out;
}

mx_array mx_fast_scaled_dot_product_attention(mx_array q, mx_array k, mx_array v, double scale, const char *mask_mode,
                                              mx_array mask, mx_array sinks) {
    mx_node *in[3];
    if (!mx_handles_get((const mx_array[]){q, k, v}, 3, SDPA, in))
        return mx_handle_wrap(NULL);
    bool ok = true;
    mx_node *nm = optional_node(mask, SDPA, &ok);
    mx_node *ns = ok ? optional_node(sinks, SDPA, &ok) : NULL;
    if (!ok)
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_sdpa(in[0], in[1], in[2], (float)scale, mask_mode, nm, ns));
}

/* ---- building derivatives from ops ------------------------------------------------------------------------- */

/* The nodes of one rule: every constructor's result is recorded and released
 * at the end, so the rule reads as maths. A NULL input makes every later
 * step NULL (the first error stays the thread's error). */
#define POOL_CAP 160
typedef struct pool {
    mx_node *items[POOL_CAP];
    int count;
} pool;

static mx_node *keep(pool *p, mx_node *n) {
    if (!n)
        return NULL;
    if (p->count == POOL_CAP) {
        mx_node_release(n);
        mx_set_error(MX_ERROR_INTERNAL, "fast: too many nodes in one derivative");
        return NULL;
    }
    p->items[p->count++] = n;
    return n;
}

static void pool_release(pool *p) {
    for (int i = 0; i < p->count; i++)
        mx_node_release(p->items[i]);
    p->count = 0;
}

/* A new reference to n (which may be NULL). */
static mx_node *ref(mx_node *n) {
    if (n)
        mx_node_retain(n);
    return n;
}

static mx_node *bin(pool *p, const mx_op_def *op, mx_node *a, mx_node *b) {
    return a && b ? keep(p, mx_node_binary(op, a, b)) : NULL;
}
static mx_node *un(pool *p, const mx_op_def *op, mx_node *a) { return a ? keep(p, mx_node_unary(op, a)) : NULL; }
static mx_node *cast(pool *p, mx_node *a, mx_dtype dtype) { return a ? keep(p, mx_node_astype(a, dtype)) : NULL; }
static mx_node *scalar(pool *p, double value, mx_dtype dtype) { return keep(p, mx_node_scalar(value, dtype)); }
static mx_node *reduce(pool *p, const mx_op_def *op, mx_node *a, const int *axes, int naxes, bool keepdims) {
    return a ? keep(p, mx_node_reduce(op, a, axes, naxes, keepdims)) : NULL;
}
static mx_node *last_axis(pool *p, const mx_op_def *op, mx_node *a) {
    static const int last = -1;
    return reduce(p, op, a, &last, 1, true);
}
static mx_node *reshape(pool *p, mx_node *a, const int64_t *shape, int ndim) {
    return a ? keep(p, mx_node_reshape(a, shape, ndim)) : NULL;
}
static mx_node *transpose_last(pool *p, mx_node *a) { /* swap the last two axes of a rank-4 array */
    return a ? keep(p, mx_node_transpose(a, (const int[]){0, 1, 3, 2})) : NULL;
}
static mx_node *matmul(pool *p, mx_node *a, mx_node *b) { return a && b ? keep(p, mx_node_matmul(a, b)) : NULL; }
static mx_node *where(pool *p, mx_node *c, mx_node *a, mx_node *b) {
    return c && a && b ? keep(p, mx_node_where(c, a, b)) : NULL;
}
static mx_node *slice_last(pool *p, mx_node *a, int64_t start, int64_t stop, int64_t step) {
    if (!a)
        return NULL;
    int64_t b[MX_MAX_NDIM], e[MX_MAX_NDIM], s[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim; i++)
        b[i] = 0, e[i] = a->shape[i], s[i] = 1;
    b[a->ndim - 1] = start, e[a->ndim - 1] = stop, s[a->ndim - 1] = step;
    return keep(p, mx_node_slice(a, b, e, s));
}
static mx_node *concat_last(pool *p, mx_node *const *parts, int n) {
    for (int i = 0; i < n; i++)
        if (!parts[i])
            return NULL;
    return keep(p, mx_node_concatenate(parts, n, -1));
}
#define ADD(a, b) bin(P, &mx_op_add, a, b)
#define SUB(a, b) bin(P, &mx_op_subtract, a, b)
#define MUL(a, b) bin(P, &mx_op_multiply, a, b)
#define DIV(a, b) bin(P, &mx_op_divide, a, b)
#define MEAN(a) last_axis(P, &mx_op_mean, a)
#define SUM(a) last_axis(P, &mx_op_sum, a)

/* float64 stays float64, everything else is differentiated in float32 */
static mx_dtype compute_dtype(mx_dtype dtype) { return dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32; }

/* Sum g over every axis but the last (the gradient of a (L,) parameter
 * broadcast against (..., L)). */
static mx_node *sum_leading(pool *P, mx_node *g) {
    if (!g)
        return NULL;
    int axes[MX_MAX_NDIM];
    for (int i = 0; i < g->ndim - 1; i++)
        axes[i] = i;
    return reduce(P, &mx_op_sum, g, axes, g->ndim - 1, false);
}

/* Store a rule's result (cast to dtype) into *out as a new reference; the
 * status of the rule. */
static int finish(pool *P, mx_node *value, mx_dtype dtype, mx_node **out) {
    mx_node *result = value ? cast(P, value, dtype) : NULL;
    *out = ref(result);
    pool_release(P);
    return result ? MX_OK : mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
}

static void release_all(mx_node **nodes, int n) {
    for (int i = 0; i < n; i++) {
        if (nodes[i])
            mx_node_release(nodes[i]);
        nodes[i] = NULL;
    }
}

/* ---- the fused norm backward passes -----------------------------------------------------------------------------
 * The VJP rules of rms_norm and layer_norm build one rms_norm_vjp /
 * layer_norm_vjp node (ops/fast.h) whose flat output holds dx, dw and db; its
 * own VJP and JVP differentiate the composition below (the closed-form
 * derivatives, as ordinary ops), so gradients stay differentiable.
 *
 * rms_norm: y = n w with n = x r, r = 1/sqrt(mean(x^2) + eps) over the last axis:
 *   dx = r (gw - x r^2 mean(gw x)),  gw = g w;   dw = sum over rows of g n.
 * layer_norm: y = n w + b with n = (x - mean(x)) r, r = 1/sqrt(var(x) + eps):
 *   dx = r (gw - mean(gw) - n mean(gw n)),  dw = sum of g n,  db = sum of g. */

/* a itself (borrowed) when it has the dtype, else its cast (kept in the pool) */
static mx_node *as_dtype(pool *P, mx_node *a, mx_dtype dtype) { return a && a->dtype == dtype ? a : cast(P, a, dtype); }

/* The flat output of a norm_vjp node with inputs x, w (or NULL), g as ordinary
 * ops: dx flattened, then dw, then db as the params ask, in x's dtype. */
static mx_node *norm_vjp_composed(pool *P, bool layer, const mx_norm_vjp_params *p, mx_node *x, mx_node *w,
                                  mx_node *g) {
    mx_dtype ct = compute_dtype(x->dtype);
    mx_node *xf = cast(P, x, ct), *gf = cast(P, g, ct);
    mx_node *xc = layer ? SUB(xf, MEAN(xf)) : xf;
    mx_node *r = un(P, &mx_op_rsqrt, ADD(MEAN(MUL(xc, xc)), scalar(P, p->eps, ct)));
    mx_node *n = MUL(xc, r);
    mx_node *gw = w ? MUL(gf, cast(P, w, ct)) : gf;
    mx_node *dx = layer ? MUL(r, SUB(SUB(gw, MEAN(gw)), MUL(n, MEAN(MUL(gw, n)))))
                        : MUL(r, SUB(gw, MUL(MUL(xf, MUL(r, r)), MEAN(MUL(gw, xf)))));
    mx_node *parts[3];
    int count = 0;
    parts[count++] = reshape(P, dx, (const int64_t[]){x->size}, 1);
    if (p->want_dw)
        parts[count++] = sum_leading(P, MUL(gf, n));
    if (p->want_db)
        parts[count++] = sum_leading(P, gf);
    mx_node *flat = count == 1 ? parts[0] : concat_last(P, parts, count);
    return cast(P, flat, x->dtype);
}

/* CMLX_NORM_VJP=composed builds the composition instead of the fused node:
 * a switch for timing one against the other (docs/cuda.md, "norm backward"). */
static bool norm_vjp_as_composition(void) {
    static int choice = -1; /* read once; a benign race writes the same value */
    if (choice < 0) {
        const char *e = getenv("CMLX_NORM_VJP");
        choice = e && !strcmp(e, "composed");
    }
    return choice == 1;
}

/* The gradients asked of rms_norm (b_index < 0) or layer_norm from one fused node. */
static int norm_vjp_rule(const mx_node *node, mx_node *cotangent, bool layer, float eps, int w_index, int b_index,
                         const int *argnums, int nargs, mx_node **grads) {
    pool pl = {.count = 0}, *P = &pl;
    mx_node *x = node->inputs[0], *w = w_index > 0 ? node->inputs[w_index] : NULL;
    /* one dtype for the kernel: the output's, or the compute dtype when x's differs (every value then exact) */
    mx_dtype dtype = x->dtype == node->dtype ? node->dtype : compute_dtype(node->dtype);
    mx_norm_vjp_params p = {.eps = eps, .has_weight = w != NULL};
    for (int i = 0; i < nargs; i++) {
        grads[i] = NULL;
        p.want_dw = p.want_dw || argnums[i] == w_index;
        p.want_db = p.want_db || argnums[i] == b_index;
    }
    mx_node *in[3];
    int count = 0;
    in[count++] = as_dtype(P, x, dtype);
    if (w)
        in[count++] = as_dtype(P, w, dtype);
    in[count++] = as_dtype(P, cotangent, dtype);
    const int64_t L = x->shape[x->ndim - 1];
    const int64_t total = x->size + (p.want_dw ? L : 0) + (p.want_db ? L : 0);
    bool ok = true;
    for (int i = 0; i < count; i++)
        ok = ok && in[i];
    mx_node *flat = !ok ? NULL
                    : norm_vjp_as_composition()
                        ? norm_vjp_composed(P, layer, &p, in[0], w ? in[1] : NULL, in[count - 1])
                        : keep(P, mx_node_new(layer ? &mx_op_layer_norm_vjp : &mx_op_rms_norm_vjp, &p, in, count,
                                              (const int64_t[]){total}, 1, dtype));
    ok = flat != NULL;
    for (int i = 0; ok && i < nargs; i++) {
        const mx_node *input = node->inputs[argnums[i]];
        int64_t start = argnums[i] == 0 ? 0 : argnums[i] == w_index || !p.want_dw ? x->size : x->size + L;
        int64_t stop = start + (argnums[i] == 0 ? x->size : L);
        mx_node *part =
            keep(P, mx_node_slice(flat, (const int64_t[]){start}, (const int64_t[]){stop}, (const int64_t[]){1}));
        mx_node *value = as_dtype(P, reshape(P, part, input->shape, input->ndim), input->dtype);
        grads[i] = ref(value);
        ok = value != NULL;
    }
    pool_release(P);
    if (!ok) {
        release_all(grads, nargs);
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    }
    return MX_OK;
}

/* The composition as a closure of (x, [w], g), for mx_vjp / mx_jvp. */
typedef struct norm_vjp_fn {
    bool layer;
    mx_norm_vjp_params params;
} norm_vjp_fn;

static mx_status norm_vjp_closure(void *payload, const mx_array *inputs, int n_inputs, mx_array_list *outputs) {
    const norm_vjp_fn *fn = payload;
    mx_node *nodes[3];
    if (n_inputs > 3 || !mx_handles_get(inputs, n_inputs, fn->layer ? "layer_norm_vjp" : "rms_norm_vjp", nodes))
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    pool pl = {.count = 0}, *P = &pl;
    mx_node *flat = norm_vjp_composed(P, fn->layer, &fn->params, nodes[0], fn->params.has_weight ? nodes[1] : NULL,
                                      nodes[n_inputs - 1]);
    mx_status st = flat ? mx_array_list_push(outputs, mx_handle_wrap(ref(flat))) : mx_last_status();
    pool_release(P);
    return st;
}

/* Handles of a node's inputs (new references) and a closure of its composition. */
static mx_closure norm_vjp_setup(const mx_node *node, norm_vjp_fn *fn, mx_array *primals) {
    fn->layer = node->op->id == MX_OP_layer_norm_vjp;
    fn->params = *(const mx_norm_vjp_params *)mx_node_params(node);
    for (int i = 0; i < node->n_inputs; i++) {
        mx_node_retain(node->inputs[i]);
        primals[i] = mx_handle_wrap(node->inputs[i]);
    }
    return mx_closure_new(norm_vjp_closure, fn, NULL);
}

static int norm_vjp_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads) {
    norm_vjp_fn fn;
    mx_array primals[3];
    mx_closure f = norm_vjp_setup(node, &fn, primals);
    mx_node_retain(cotangent);
    mx_array cot = mx_handle_wrap(cotangent);
    mx_array_list outs = {0}, vjps = {0};
    mx_status st = f ? mx_vjp(f, primals, node->n_inputs, &cot, 1, &outs, &vjps) : mx_last_status();
    for (int i = 0; i < nargs; i++) {
        grads[i] = st == MX_OK ? mx_handle_get(vjps.items[argnums[i]], node->op->name) : NULL;
        if (grads[i])
            mx_node_retain(grads[i]);
        else if (st == MX_OK)
            st = mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&vjps);
    mx_free_n(primals, node->n_inputs);
    mx_free(cot);
    mx_closure_free(f);
    if (st != MX_OK)
        release_all(grads, nargs);
    return st;
}

static int norm_vjp_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    norm_vjp_fn fn;
    mx_array primals[3], tans[3];
    mx_closure f = norm_vjp_setup(node, &fn, primals);
    mx_status st = f ? MX_OK : mx_last_status();
    for (int i = 0; i < node->n_inputs; i++) {
        mx_node *t = tangents[i] ? tangents[i] : mx_node_zeros_like(node->inputs[i]);
        if (tangents[i])
            mx_node_retain(t);
        tans[i] = mx_handle_wrap(t);
    }
    mx_array_list outs = {0}, jvps = {0};
    if (st == MX_OK)
        st = mx_jvp(f, primals, node->n_inputs, tans, node->n_inputs, &outs, &jvps);
    *tangent_out = st == MX_OK ? mx_handle_get(jvps.items[0], node->op->name) : NULL;
    if (*tangent_out)
        mx_node_retain(*tangent_out);
    else if (st == MX_OK)
        st = mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    mx_array_list_clear(&outs);
    mx_array_list_clear(&jvps);
    mx_free_n(primals, node->n_inputs);
    mx_free_n(tans, node->n_inputs);
    mx_closure_free(f);
    return st;
}

static int rms_norm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads) {
    const mx_rms_norm_params *prm = mx_node_params(node);
    return norm_vjp_rule(node, cotangent, false, prm->eps, prm->has_weight ? 1 : -1, -1, argnums, nargs, grads);
}

static int rms_norm_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_rms_norm_params *prm = mx_node_params(node);
    pool pl = {.count = 0}, *P = &pl;
    mx_node *x = node->inputs[0], *w = prm->has_weight ? node->inputs[1] : NULL;
    mx_node *tx = tangents[0], *tw = prm->has_weight ? tangents[1] : NULL;
    mx_dtype ct = compute_dtype(node->dtype);
    mx_node *xf = cast(P, x, ct);
    mx_node *r = un(P, &mx_op_rsqrt, ADD(MEAN(MUL(xf, xf)), scalar(P, prm->eps, ct)));
    mx_node *out = NULL;
    if (tx) {
        mx_node *t = cast(P, tx, ct);
        out = MUL(r, SUB(t, MUL(MUL(xf, MUL(r, r)), MEAN(MUL(xf, t)))));
        if (w)
            out = MUL(out, cast(P, w, ct));
    }
    if (tw) {
        mx_node *term = MUL(MUL(xf, r), cast(P, tw, ct));
        out = out ? ADD(out, term) : term;
    }
    if (!tx && !tw) {
        *tangent_out = NULL;
        return MX_OK;
    }
    return finish(P, out, node->dtype, tangent_out);
}

static int layer_norm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads) {
    const mx_layer_norm_params *prm = mx_node_params(node);
    int w_index = prm->has_weight ? 1 : -1, b_index = prm->has_bias ? (prm->has_weight ? 2 : 1) : -1;
    return norm_vjp_rule(node, cotangent, true, prm->eps, w_index, b_index, argnums, nargs, grads);
}

static int layer_norm_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_layer_norm_params *prm = mx_node_params(node);
    pool pl = {.count = 0}, *P = &pl;
    int w_index = prm->has_weight ? 1 : -1, b_index = prm->has_bias ? (prm->has_weight ? 2 : 1) : -1;
    mx_node *x = node->inputs[0], *w = w_index > 0 ? node->inputs[w_index] : NULL;
    mx_node *tx = tangents[0], *tw = w_index > 0 ? tangents[w_index] : NULL,
            *tb = b_index > 0 ? tangents[b_index] : NULL;
    if (!tx && !tw && !tb) {
        *tangent_out = NULL;
        return MX_OK;
    }
    mx_dtype ct = compute_dtype(node->dtype);
    mx_node *xf = cast(P, x, ct);
    mx_node *xc = SUB(xf, MEAN(xf));
    mx_node *r = un(P, &mx_op_rsqrt, ADD(MEAN(MUL(xc, xc)), scalar(P, prm->eps, ct)));
    mx_node *n = MUL(xc, r);
    mx_node *out = NULL;
    if (tx) {
        mx_node *t = cast(P, tx, ct);
        mx_node *tc = SUB(t, MEAN(t));
        out = MUL(r, SUB(tc, MUL(n, MEAN(MUL(n, tc)))));
        if (w)
            out = MUL(out, cast(P, w, ct));
    }
    if (tw) {
        mx_node *term = MUL(n, cast(P, tw, ct));
        out = out ? ADD(out, term) : term;
    }
    if (tb) {
        mx_node *term = cast(P, tb, ct);
        out = out ? ADD(out, term) : term;
    }
    return finish(P, out, node->dtype, tangent_out);
}

/* ---- rope rules -------------------------------------------------------------------------------------------------
 * rope rotates pairs (x1, x2) by theta = pos / freq (forward) or -theta:
 * linear in x, so the VJP and JVP for x are rope with the inverse rotation
 * and rope itself. For the frequencies, d(y1, y2)/dtheta = s (-y2, y1) with
 * s = +1 forward, -1 inverse, and dtheta/dfreq = -pos / freq^2. */

/* The positions (t + offset_b) * scale as a (B or 1, T, 1) float32 node, as
 * MLX computes them (a float32 arange plus the offset, times scale). */
static mx_node *rope_positions(pool *P, mx_node *offset, int64_t T, float scale, mx_dtype ct) {
    mx_buffer *buffer = mx_buffer_alloc((size_t)(T > 0 ? T : 1) * mx_dtype_size(ct), "rope");
    if (!buffer)
        return NULL;
    for (int64_t t = 0; t < T; t++) {
        if (ct == MX_FLOAT64)
            ((double *)buffer->ptr)[t] = (double)t;
        else
            ((float *)buffer->ptr)[t] = (float)t;
    }
    mx_node *steps = keep(P, mx_node_new_evaluated(buffer, (const int64_t[]){1, T}, 2, ct));
    if (!steps)
        return NULL;
    mx_node *off = reshape(P, cast(P, offset, ct), (const int64_t[]){offset->size, 1}, 2);
    mx_node *pos = MUL(ADD(steps, off), scalar(P, scale, ct));
    return pos ? reshape(P, pos, (const int64_t[]){pos->shape[0], T, 1}, 3) : NULL;
}

/* x (..., T, D) viewed as (B, N, T, D) */
static mx_node *as_bntd(pool *P, mx_node *x) {
    if (!x)
        return NULL;
    int nd = x->ndim;
    int64_t n = 1;
    for (int i = 1; i < nd - 2; i++)
        n *= x->shape[i];
    return reshape(P, x, (const int64_t[]){x->shape[0], n, x->shape[nd - 2], x->shape[nd - 1]}, 4);
}

/* The two halves of each rotated pair over the last axis. */
static void rope_pairs(pool *P, const mx_rope_params *prm, mx_node *x, mx_node **x1, mx_node **x2) {
    int half = prm->dims / 2;
    if (prm->traditional) {
        *x1 = slice_last(P, x, 0, prm->dims, 2);
        *x2 = slice_last(P, x, 1, prm->dims, 2);
    } else {
        *x1 = slice_last(P, x, 0, half, 1);
        *x2 = slice_last(P, x, half, prm->dims, 1);
    }
}

static int rope_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads) {
    const mx_rope_params *prm = mx_node_params(node);
    mx_node *x = node->inputs[0], *offset = node->inputs[1], *freqs = prm->has_freqs ? node->inputs[2] : NULL;
    for (int i = 0; i < nargs; i++)
        grads[i] = NULL;
    for (int i = 0; i < nargs; i++) {
        pool pl = {.count = 0}, *P = &pl;
        mx_node *value = NULL;
        if (argnums[i] == 1)
            continue; /* the integer offset: no gradient */
        if (argnums[i] == 0) {
            mx_node *g = cast(P, cotangent, x->dtype);
            value = g ? keep(P, mx_node_rope(g, prm->dims, prm->traditional, prm->base, prm->scale, offset, freqs,
                                             !prm->forward))
                      : NULL;
        } else {
            /* dL/dtheta = s (g2 y1 - g1 y2), summed over the heads, times pos, summed over B and T */
            mx_dtype ct = compute_dtype(x->dtype);
            mx_node *y = as_bntd(P, cast(P, (mx_node *)node, ct));
            mx_node *g = as_bntd(P, cast(P, cotangent, ct));
            mx_node *y1, *y2, *g1, *g2;
            rope_pairs(P, prm, y, &y1, &y2);
            rope_pairs(P, prm, g, &g1, &g2);
            mx_node *h = SUB(MUL(g2, y1), MUL(g1, y2));
            h = reduce(P, &mx_op_sum, h, (const int[]){1}, 1, false); /* (B, T, half) */
            mx_node *pos = h ? rope_positions(P, offset, h->shape[1], prm->scale, ct) : NULL;
            mx_node *t = reduce(P, &mx_op_sum, MUL(h, pos), (const int[]){0, 1}, 2, false);
            mx_node *f = cast(P, freqs, ct);
            double s = prm->forward ? -1.0 : 1.0; /* s times dtheta/dfreq's minus sign */
            value = DIV(MUL(t, scalar(P, s, ct)), MUL(f, f));
            value = cast(P, value, freqs->dtype);
        }
        grads[i] = ref(value);
        pool_release(P);
        if (!value) {
            release_all(grads, nargs);
            return mx_last_status();
        }
    }
    return MX_OK;
}

static int rope_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_rope_params *prm = mx_node_params(node);
    mx_node *x = node->inputs[0], *offset = node->inputs[1], *freqs = prm->has_freqs ? node->inputs[2] : NULL;
    mx_node *tx = tangents[0], *tf = prm->has_freqs ? tangents[2] : NULL;
    if (!tx && !tf) {
        *tangent_out = NULL;
        return MX_OK;
    }
    pool pl = {.count = 0}, *P = &pl;
    mx_node *out = NULL;
    if (tx) {
        mx_node *t = cast(P, tx, x->dtype);
        out = t ? keep(P,
                       mx_node_rope(t, prm->dims, prm->traditional, prm->base, prm->scale, offset, freqs, prm->forward))
                : NULL;
    }
    if (tf) {
        /* dtheta = -s pos tf / f^2 (B|1, 1, T, half); (dy1, dy2) = dtheta (-y2, y1) */
        mx_dtype ct = compute_dtype(x->dtype);
        mx_node *y = as_bntd(P, cast(P, (mx_node *)node, ct));
        mx_node *y1, *y2;
        rope_pairs(P, prm, y, &y1, &y2);
        mx_node *pos = y ? rope_positions(P, offset, y->shape[2], prm->scale, ct) : NULL;
        mx_node *f = cast(P, freqs, ct);
        mx_node *rate = DIV(cast(P, tf, ct), MUL(f, f));                                 /* (half,) */
        mx_node *dtheta = MUL(MUL(pos, rate), scalar(P, prm->forward ? -1.0 : 1.0, ct)); /* (B|1, T, half) */
        if (dtheta)
            dtheta = reshape(P, dtheta, (const int64_t[]){dtheta->shape[0], 1, dtheta->shape[1], dtheta->shape[2]}, 4);
        mx_node *d1 = MUL(un(P, &mx_op_negative, y2), dtheta), *d2 = MUL(y1, dtheta); /* (B, N, T, half) */
        mx_node *rot = NULL;
        if (d1 && d2) {
            const int64_t *sh = d1->shape;
            if (prm->traditional) { /* interleave the pairs: (B, N, T, half, 2) -> (B, N, T, dims) */
                int64_t sh5[5] = {sh[0], sh[1], sh[2], sh[3], 1};
                mx_node *pair[2] = {reshape(P, d1, sh5, 5), reshape(P, d2, sh5, 5)};
                rot = reshape(P, concat_last(P, pair, 2), (const int64_t[]){sh[0], sh[1], sh[2], prm->dims}, 4);
            } else {
                mx_node *pair[2] = {d1, d2};
                rot = concat_last(P, pair, 2);
            }
            int64_t D = y->shape[3];
            if (rot && prm->dims < D) { /* the features past dims do not move */
                mx_node *parts[2] = {
                    rot, keep(P, mx_node_full((const int64_t[]){sh[0], sh[1], sh[2], D - prm->dims}, 4, 0.0, ct))};
                rot = concat_last(P, parts, 2);
            }
            rot = reshape(P, rot, node->shape, node->ndim);
        }
        out = out ? ADD(cast(P, out, ct), rot) : rot;
    }
    return finish(P, out, node->dtype, tangent_out);
}

/* ---- scaled_dot_product_attention rules ---------------------------------------------------------------------
 * With S = (scale q) k^T (+ mask), P = softmax over [sinks, S] (the sink
 * column dropped) and O = P v, for each of the Nq/Nkv query heads sharing a
 * key/value head:
 *   dv = P^T dO,  dS = P (dO v^T - rowsum(dO O)),  dq = scale dS k,
 *   dk = dS^T (scale q),  dmask = dS,  dsinks = -sum P_sink rowsum(dO O).
 * Grouped heads are handled by viewing (B, Nq, T, .) as (B, Nkv, R T, .). */

typedef struct sdpa_parts {
    int64_t B, Nq, Nkv, R, Tq, Tk, D, Dv;
    mx_dtype ct;
    mx_node *qs;        /* scale q, (B, Nq, Tq, D) in ct */
    mx_node *kf, *vf;   /* (B, Nkv, Tk, D|Dv) in ct */
    mx_node *S;         /* masked scores (B, Nq, Tq, Tk) */
    mx_node *keep_mask; /* bool (B|1, Nq|1, Tq, Tk) of the unmasked scores, or NULL */
    mx_node *Pm;        /* probabilities (B, Nq, Tq, Tk) */
    mx_node *Psink;     /* sink probabilities (B, Nq, Tq, 1) or NULL */
    mx_node *sinks;     /* (1, Nq, 1, 1) in ct, or NULL */
} sdpa_parts;

/* (B, Nq, T, X) <-> (B, Nkv, R T, X) */
static mx_node *grouped(pool *P, const sdpa_parts *s, mx_node *x) {
    return x ? reshape(P, x, (const int64_t[]){s->B, s->Nkv, s->R * x->shape[2], x->shape[3]}, 4) : NULL;
}
static mx_node *ungrouped(pool *P, const sdpa_parts *s, mx_node *x, int64_t T) {
    return x ? reshape(P, x, (const int64_t[]){s->B, s->Nq, T, x->shape[3]}, 4) : NULL;
}

/* The forward pass as ops: scores, the mask, the probabilities. */
static bool sdpa_forward(pool *P, const mx_node *node, sdpa_parts *s) {
    const mx_sdpa_params *prm = mx_node_params(node);
    mx_node *q = node->inputs[0], *k = node->inputs[1], *v = node->inputs[2];
    int next = 3;
    mx_node *mask = prm->mask_kind != MX_SDPA_MASK_NONE ? node->inputs[next++] : NULL;
    mx_node *sinks = prm->has_sinks ? node->inputs[next] : NULL;
    s->B = q->shape[0], s->Nq = q->shape[1], s->Nkv = k->shape[1], s->Tq = q->shape[2], s->Tk = k->shape[2];
    s->D = q->shape[3], s->Dv = v->shape[3];
    s->R = s->Nkv ? s->Nq / s->Nkv : 1;
    s->ct = compute_dtype(node->dtype);
    /* MLX rounds the scale to the inputs' dtype (a scalar of that dtype) */
    s->qs = MUL(cast(P, q, s->ct), scalar(P, prm->scale, node->dtype));
    s->kf = cast(P, k, s->ct);
    s->vf = cast(P, v, s->ct);
    mx_node *S = ungrouped(P, s, matmul(P, grouped(P, s, s->qs), transpose_last(P, s->kf)), s->Tq);
    s->keep_mask = NULL;
    if (prm->mask_kind == MX_SDPA_MASK_ADDITIVE)
        S = ADD(S, cast(P, mask, s->ct));
    else if (prm->mask_kind == MX_SDPA_MASK_BOOL)
        s->keep_mask = mask;
    else if (prm->causal) {
        mx_buffer *buffer =
            mx_buffer_alloc((size_t)(s->Tq * s->Tk > 0 ? s->Tq * s->Tk : 1), "scaled_dot_product_attention");
        if (!buffer)
            return false;
        bool *ok = buffer->ptr;
        for (int64_t i = 0; i < s->Tq; i++)
            for (int64_t j = 0; j < s->Tk; j++)
                ok[i * s->Tk + j] = j <= i + s->Tk - s->Tq;
        s->keep_mask = keep(P, mx_node_new_evaluated(buffer, (const int64_t[]){s->Tq, s->Tk}, 2, MX_BOOL));
    }
    if (s->keep_mask)
        S = where(P, s->keep_mask, S, scalar(P, mx_fast_lowest(node->dtype), s->ct));
    s->S = S;
    s->sinks = sinks ? reshape(P, cast(P, sinks, s->ct), (const int64_t[]){1, s->Nq, 1, 1}, 4) : NULL;
    /* softmax over [sinks, S] as MLX computes it: shifted by the row max, so a
     * row of hidden (lowest) scores is uniform */
    mx_node *m = last_axis(P, &mx_op_max, S);
    if (s->sinks)
        m = bin(P, &mx_op_maximum, m, s->sinks);
    mx_node *e = un(P, &mx_op_exp, SUB(S, m));
    mx_node *denom = SUM(e);
    mx_node *es = s->sinks ? un(P, &mx_op_exp, SUB(s->sinks, m)) : NULL;
    if (es)
        denom = ADD(denom, es);
    s->Pm = DIV(e, denom);
    s->Psink = es ? DIV(es, denom) : NULL;
    return s->Pm != NULL;
}

/* Zero gradients/tangents when there are no keys (the output is zeros). */
static mx_node *zeros_like_node(const mx_node *x) { return mx_node_full(x->shape, x->ndim, 0.0, x->dtype); }

/* The fused backward pass serves a rule built for the GPU: float16/bfloat16,
 * head dims the flash kernels take (backend/cuda/sdpa.cu), keys present, and
 * no gradient asked of an additive mask or of the sinks. */
static bool sdpa_vjp_fused(const mx_node *node, const int *argnums, int nargs, int mask_index, int sinks_index) {
    const mx_sdpa_params *prm = mx_node_params(node);
    const mx_node *q = node->inputs[0], *k = node->inputs[1], *v = node->inputs[2];
    mx_backend *gpu = mx_backend_gpu();
    if (mx_current_device_type() != MX_GPU_DEVICE_TYPE || !gpu || !gpu->kernels[MX_OP_scaled_dot_product_attention_vjp])
        return false;
    if (node->dtype != MX_FLOAT16 && node->dtype != MX_BFLOAT16)
        return false;
    int64_t D = q->shape[3];
    if (v->shape[3] != D || (D != 64 && D != 80 && D != 96 && D != 128) || k->shape[2] == 0 || node->size == 0)
        return false;
    for (int i = 0; i < nargs; i++)
        if ((argnums[i] == mask_index && prm->mask_kind == MX_SDPA_MASK_ADDITIVE) || argnums[i] == sinks_index)
            return false;
    return true;
}

/* dq, dk, dv from one scaled_dot_product_attention_vjp node. */
static int sdpa_vjp_fused_rule(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs,
                               mx_node **grads) {
    const mx_sdpa_params *prm = mx_node_params(node);
    pool pl = {.count = 0}, *P = &pl;
    mx_node *in[7];
    int n = 0;
    in[n++] = node->inputs[0];
    in[n++] = node->inputs[1];
    in[n++] = node->inputs[2];
    in[n++] = (mx_node *)node;
    in[n++] = cast(P, cotangent, node->dtype);
    for (int i = 3; i < node->n_inputs; i++)
        in[n++] = node->inputs[i];
    const mx_node *q = node->inputs[0], *k = node->inputs[1], *v = node->inputs[2];
    int64_t sizes[3] = {q->size, k->size, v->size};
    int64_t total = sizes[0] + sizes[1] + sizes[2];
    mx_node *packed = in[4] ? keep(P, mx_node_new(&mx_op_scaled_dot_product_attention_vjp, prm, in, n,
                                                  (const int64_t[]){total}, 1, node->dtype))
                            : NULL;
    bool ok = packed != NULL;
    for (int i = 0; ok && i < nargs; i++) {
        int a = argnums[i];
        if (a > 2)
            continue; /* a boolean mask has no gradient */
        int64_t start = a == 0 ? 0 : a == 1 ? sizes[0] : sizes[0] + sizes[1];
        mx_node *part = keep(P, mx_node_slice(packed, (const int64_t[]){start}, (const int64_t[]){start + sizes[a]},
                                              (const int64_t[]){1}));
        mx_node *value = reshape(P, part, node->inputs[a]->shape, 4);
        grads[i] = ref(value);
        ok = value != NULL;
    }
    pool_release(P);
    if (!ok) {
        release_all(grads, nargs);
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    }
    return MX_OK;
}

static int sdpa_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads) {
    const mx_sdpa_params *prm = mx_node_params(node);
    for (int i = 0; i < nargs; i++)
        grads[i] = NULL;
    int mask_index = prm->mask_kind != MX_SDPA_MASK_NONE ? 3 : -1;
    int sinks_index = prm->has_sinks ? (mask_index > 0 ? 4 : 3) : -1;
    if (sdpa_vjp_fused(node, argnums, nargs, mask_index, sinks_index))
        return sdpa_vjp_fused_rule(node, cotangent, argnums, nargs, grads);
    if (node->inputs[1]->shape[2] == 0) {
        for (int i = 0; i < nargs; i++) {
            const mx_node *input = node->inputs[argnums[i]];
            if (argnums[i] == mask_index && prm->mask_kind == MX_SDPA_MASK_BOOL)
                continue;
            grads[i] = zeros_like_node(input);
            if (!grads[i]) {
                release_all(grads, nargs);
                return mx_last_status();
            }
        }
        return MX_OK;
    }
    pool pl = {.count = 0}, *P = &pl;
    sdpa_parts s;
    bool ok = sdpa_forward(P, node, &s);
    mx_node *dO = ok ? cast(P, cotangent, s.ct) : NULL;
    mx_node *O = ok ? cast(P, (mx_node *)node, s.ct) : NULL;
    mx_node *rowdot = SUM(MUL(dO, O)); /* (B, Nq, Tq, 1) */
    mx_node *dS = NULL;
    for (int i = 0; ok && i < nargs; i++) {
        int a = argnums[i];
        mx_node *value = NULL;
        if (a != 2 && !dS && !(a == mask_index && prm->mask_kind == MX_SDPA_MASK_BOOL)) {
            mx_node *dP = ungrouped(P, &s, matmul(P, grouped(P, &s, dO), transpose_last(P, s.vf)), s.Tq);
            dS = MUL(s.Pm, SUB(dP, rowdot));
            if (s.keep_mask) /* masked scores are constants */
                dS = where(P, s.keep_mask, dS, scalar(P, 0.0, s.ct));
        }
        if (a == 0) {
            mx_node *kscaled = MUL(s.kf, scalar(P, prm->scale, node->dtype));
            value = ungrouped(P, &s, matmul(P, grouped(P, &s, dS), kscaled), s.Tq);
        } else if (a == 1) {
            value = matmul(P, transpose_last(P, grouped(P, &s, dS)), grouped(P, &s, s.qs));
        } else if (a == 2) {
            value = matmul(P, transpose_last(P, grouped(P, &s, s.Pm)), grouped(P, &s, dO));
        } else if (a == mask_index) {
            if (prm->mask_kind == MX_SDPA_MASK_BOOL)
                continue; /* a boolean mask has no gradient */
            value = dS;
        } else if (a == sinks_index) {
            mx_node *t = MUL(un(P, &mx_op_negative, s.Psink), rowdot);
            value = reduce(P, &mx_op_sum, t, (const int[]){0, 2, 3}, 3, false);
        }
        value = value ? cast(P, value, node->inputs[a]->dtype) : NULL;
        grads[i] = ref(value);
        ok = value != NULL;
    }
    pool_release(P);
    if (!ok) {
        release_all(grads, nargs);
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    }
    return MX_OK;
}

/* dS = scale (tq k^T + q tk^T) + tmask; dP = P (dS - rowsum(P dS) - P_sink tsinks); dO = dP v + P tv */
static int sdpa_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_sdpa_params *prm = mx_node_params(node);
    int mask_index = prm->mask_kind != MX_SDPA_MASK_NONE ? 3 : -1;
    int sinks_index = prm->has_sinks ? (mask_index > 0 ? 4 : 3) : -1;
    mx_node *tq = tangents[0], *tk = tangents[1], *tv = tangents[2];
    mx_node *tm = prm->mask_kind == MX_SDPA_MASK_ADDITIVE ? tangents[mask_index] : NULL;
    mx_node *ts = sinks_index > 0 ? tangents[sinks_index] : NULL;
    if (!tq && !tk && !tv && !tm && !ts) {
        *tangent_out = NULL;
        return MX_OK;
    }
    if (node->inputs[1]->shape[2] == 0) {
        *tangent_out = zeros_like_node(node);
        return *tangent_out ? MX_OK : mx_last_status();
    }
    pool pl = {.count = 0}, *P = &pl;
    sdpa_parts s;
    mx_node *out = NULL;
    if (sdpa_forward(P, node, &s)) {
        mx_node *dS = NULL, *scale = scalar(P, prm->scale, node->dtype);
        if (tq) {
            mx_node *t = MUL(cast(P, tq, s.ct), scale);
            dS = ungrouped(P, &s, matmul(P, grouped(P, &s, t), transpose_last(P, s.kf)), s.Tq);
        }
        if (tk) {
            mx_node *t = cast(P, tk, s.ct);
            mx_node *term = ungrouped(P, &s, matmul(P, grouped(P, &s, s.qs), transpose_last(P, t)), s.Tq);
            dS = dS ? ADD(dS, term) : term;
        }
        if (tm) {
            mx_node *term = cast(P, tm, s.ct);
            dS = dS ? ADD(dS, term) : term;
        }
        if (dS && s.keep_mask)
            dS = where(P, s.keep_mask, dS, scalar(P, 0.0, s.ct));
        mx_node *dP = NULL;
        if (dS || ts) {
            mx_node *inner = dS ? SUM(MUL(s.Pm, dS)) : NULL;
            if (ts) {
                mx_node *term = MUL(s.Psink, reshape(P, cast(P, ts, s.ct), (const int64_t[]){1, s.Nq, 1, 1}, 4));
                inner = inner ? ADD(inner, term) : term;
            }
            dP = MUL(s.Pm, dS ? SUB(dS, inner) : un(P, &mx_op_negative, inner));
        }
        if (dP)
            out = ungrouped(P, &s, matmul(P, grouped(P, &s, dP), s.vf), s.Tq);
        if (tv) {
            mx_node *term = ungrouped(P, &s, matmul(P, grouped(P, &s, s.Pm), cast(P, tv, s.ct)), s.Tq);
            out = out ? ADD(out, term) : term;
        }
    }
    return finish(P, out, node->dtype, tangent_out);
}

/* ---- vmap rules ------------------------------------------------------------------------------------------------
 * The norms work on the last axis, so a batch of x (batch axis elsewhere) is
 * one fused call; rope likewise when the batch axis is a leading axis that
 * is not the one its per-example offsets index. Everything else (batched
 * weights, offsets, freqs, and every SDPA input) runs example by example. */

static int norm_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    int axis = in_axes[0];
    for (int i = 1; i < node->n_inputs; i++)
        if (in_axes[i] >= 0)
            return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    if (axis < 0 || axis == inputs[0]->ndim - 1)
        return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    mx_node *result;
    if (node->op->id == MX_OP_rms_norm) {
        const mx_rms_norm_params *p = mx_node_params(node);
        result = mx_node_rms_norm(inputs[0], p->has_weight ? inputs[1] : NULL, p->eps);
    } else {
        const mx_layer_norm_params *p = mx_node_params(node);
        int next = 1;
        mx_node *w = p->has_weight ? inputs[next++] : NULL, *b = p->has_bias ? inputs[next] : NULL;
        result = mx_node_layer_norm(inputs[0], w, b, p->eps);
    }
    if (!result)
        return mx_last_status();
    *out = result;
    *out_axis = axis;
    return MX_OK;
}

static int rope_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const mx_rope_params *p = mx_node_params(node);
    int axis = in_axes[0];
    bool per_batch_offset = inputs[1]->size != 1;
    if (axis < 0 || in_axes[1] >= 0 || (p->has_freqs && in_axes[2] >= 0) || axis >= inputs[0]->ndim - 2)
        return mx_vmap_unrolled(node, inputs, in_axes, out, out_axis);
    /* per-example offsets index axis 0: keep it the examples' batch, the map's axis after it */
    int to = per_batch_offset && axis == 0 ? 1 : axis;
    mx_node *x = mx_vmap_move_axis(inputs[0], axis, to);
    if (!x)
        return mx_last_status();
    mx_node *result = mx_node_rope(x, p->dims, p->traditional, p->base, p->scale, inputs[1],
                                   p->has_freqs ? inputs[2] : NULL, p->forward);
    mx_node_release(x);
    if (!result)
        return mx_last_status();
    *out = result;
    *out_axis = to;
    return MX_OK;
}
