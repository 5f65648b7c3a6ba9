/* ops/quantize.c - quantization in MLX 0.32's affine layout and the gathered
 * matmuls (mlx/ops.cpp quantize, dequantize, quantized_matmul, gather_qmm,
 * gather_mm, block_masked_mm, hadamard_transform). docs/quantize.md explains
 * the choices.
 *
 * quantize is two primitives so that the packed words use the float32 scale
 * and bias (as MLX's CPU kernel does) while the returned scales and biases
 * are rounded to w's dtype: affine_quantize_stats(w) -> float32 (..., G, 2)
 * [scale, bias] per group, affine_pack(w, stats) -> uint32 words. Both are
 * constants for autodiff (MLX's quantize has no gradient either).
 *
 * Gradients:
 *   quantized_matmul / gather_qmm w.r.t. x: the same product with the
 *     transpose flag toggled; w.r.t. the scales and biases (quantized_matmul
 *     with a 2-D w): dW = cot^T x (or x^T cot), summed per group against the
 *     unpacked integers (scales) or alone (biases); none w.r.t. w (as MLX).
 *   gather_mm: w.r.t. a, gather_mm(cot, b^T) scattered back onto a's batch by
 *     lhs_indices (a sum over an index one-hot matrix); likewise b.
 *   hadamard_transform: the same transform of the cotangent (as MLX, which
 *     treats it as self-adjoint for every size).
 *   block_masked_mm is composed of where/multiply/matmul, which differentiate
 *   themselves. */
#include "ops/quantize.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmlx/quantize.h"
#include "ops/scatter.h"
#include "transforms/vmap.h"

static int qmm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int hadamard_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int gather_mm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int hadamard_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int dequantize_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int dequantize_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);

const mx_op_def mx_op_affine_quantize_stats = {.name = "affine_quantize_stats",
                                               .id = MX_OP_affine_quantize_stats,
                                               .family = MX_FAMILY_OTHER,
                                               .params_size = sizeof(mx_quant_params)};
const mx_op_def mx_op_affine_pack = {
    .name = "affine_pack", .id = MX_OP_affine_pack, .family = MX_FAMILY_OTHER, .params_size = sizeof(mx_quant_params)};
const mx_op_def mx_op_dequantize = {.name = "dequantize",
                                    .id = MX_OP_dequantize,
                                    .family = MX_FAMILY_OTHER,
                                    .params_size = sizeof(mx_quant_params),
                                    .vjp = dequantize_vjp,
                                    .jvp = dequantize_jvp,
                                    .vmap = mx_vmap_leading_batch};
const mx_op_def mx_op_quantized_matmul = {.name = "quantized_matmul",
                                          .id = MX_OP_quantized_matmul,
                                          .family = MX_FAMILY_OTHER,
                                          .params_size = sizeof(mx_quant_params),
                                          .vjp = qmm_vjp};
const mx_op_def mx_op_gather_qmm = {.name = "gather_qmm",
                                    .id = MX_OP_gather_qmm,
                                    .family = MX_FAMILY_OTHER,
                                    .params_size = sizeof(mx_quant_params),
                                    .vjp = qmm_vjp};
const mx_op_def mx_op_gather_mm = {.name = "gather_mm",
                                   .id = MX_OP_gather_mm,
                                   .family = MX_FAMILY_OTHER,
                                   .params_size = sizeof(mx_quant_params),
                                   .vjp = gather_mm_vjp};
const mx_op_def mx_op_hadamard_transform = {.name = "hadamard_transform",
                                            .id = MX_OP_hadamard_transform,
                                            .family = MX_FAMILY_OTHER,
                                            .params_size = sizeof(mx_hadamard_params),
                                            .vjp = hadamard_vjp,
                                            .jvp = hadamard_jvp,
                                            .vmap = mx_vmap_leading_batch};

/* ---- helpers ------------------------------------------------------------------------------------- */
static char *shp(const mx_node *n, char *buf) { return mx_format_shape(n->shape, n->ndim, buf, MX_SHAPE_STR_CAP); }

static bool is_qmm_dtype(mx_dtype d) { return d == MX_FLOAT32 || d == MX_FLOAT16 || d == MX_BFLOAT16; }

/* mode must be "affine" (NULL means it); the fp modes are not implemented. */
static bool check_mode(const char *op, const char *mode) {
    if (!mode || strcmp(mode, "affine") == 0)
        return true;
    if (strcmp(mode, "mxfp4") == 0 || strcmp(mode, "mxfp8") == 0 || strcmp(mode, "nvfp4") == 0)
        mx_set_error(MX_ERROR_VALUE, "[%s] Quantization mode '%s' is not supported by cmlx (only 'affine').", op, mode);
    else
        mx_set_error(MX_ERROR_VALUE, "[%s] Invalid quantization mode '%s'.", op, mode);
    return false;
}

static bool check_group_bits(const char *op, int group_size, int bits) {
    if (group_size != 32 && group_size != 64 && group_size != 128) {
        mx_set_error(MX_ERROR_VALUE,
                     "[%s] The requested group size %d is not supported. The supported group sizes are 32, 64, and "
                     "128.",
                     op, group_size);
        return false;
    }
    if (bits < 1 || bits > 8 || bits == 7) {
        mx_set_error(MX_ERROR_VALUE,
                     "[%s] The requested number of bits %d is not supported. The supported bits are 1, 2, 3, 4, 5, 6 "
                     "and 8.",
                     op, bits);
        return false;
    }
    return true;
}

/* A copy of `shape` with the last dim replaced. */
static void last_replaced(const mx_node *n, int64_t last, int64_t *out) {
    memcpy(out, n->shape, sizeof(int64_t) * (size_t)n->ndim);
    out[n->ndim - 1] = last;
}

/* ---- quantize ------------------------------------------------------------------------------------ */
static mx_status quantize_nodes(mx_node *w, int group_size, int bits, mx_node **out) {
    const char *op = "quantize";
    char sa[MX_SHAPE_STR_CAP];
    if (!check_group_bits(op, group_size, bits))
        return mx_last_status();
    if (w->ndim < 2)
        return mx_set_error(MX_ERROR_VALUE,
                            "[quantize] The matrix to be quantized must have at least 2 dimension but it has only %d.",
                            w->ndim);
    if (w->shape[w->ndim - 1] % group_size != 0)
        return mx_set_error(MX_ERROR_VALUE,
                            "[quantize] The last dimension of the matrix needs to be divisible by the quantization "
                            "group size %d. However the provided  matrix has shape %s",
                            group_size, shp(w, sa));
    if (!is_qmm_dtype(w->dtype))
        return mx_set_error(MX_ERROR_VALUE,
                            "[quantize] Only real floating types can be quantized but w has type %s (cmlx: float32, "
                            "float16 or bfloat16).",
                            mx_dtype_name(w->dtype));
    mx_quant_params p = {.group_size = group_size, .bits = bits};
    int64_t k = w->shape[w->ndim - 1];
    int64_t shape[MX_MAX_NDIM + 1];
    last_replaced(w, k / group_size, shape);
    shape[w->ndim] = 2;
    mx_node *stats = mx_node_new(&mx_op_affine_quantize_stats, &p, &w, 1, shape, w->ndim + 1, MX_FLOAT32);
    if (!stats)
        return mx_last_status();
    last_replaced(w, k * bits / 32, shape);
    out[0] = mx_node_new(&mx_op_affine_pack, &p, (mx_node *[]){w, stats}, 2, shape, w->ndim, MX_UINT32);
    /* scales = stats[..., 0], biases = stats[..., 1], rounded to w's dtype */
    for (int i = 0; i < 2; i++) {
        int64_t start[MX_MAX_NDIM + 1] = {0}, stop[MX_MAX_NDIM + 1], step[MX_MAX_NDIM + 1];
        for (int d = 0; d <= w->ndim; d++) {
            stop[d] = stats->shape[d];
            step[d] = 1;
        }
        start[w->ndim] = i;
        stop[w->ndim] = i + 1;
        mx_node *sl = mx_node_slice(stats, start, stop, step);
        mx_node *r = sl ? mx_node_reshape(sl, stats->shape, w->ndim) : NULL;
        out[1 + i] = r ? mx_node_astype(r, w->dtype) : NULL;
        mx_node_release(sl);
        mx_node_release(r);
    }
    mx_node_release(stats);
    if (!out[0] || !out[1] || !out[2]) {
        for (int i = 0; i < 3; i++) {
            mx_node_release(out[i]);
            out[i] = NULL;
        }
        return mx_last_status();
    }
    return MX_OK;
}

/* ---- dequantize ---------------------------------------------------------------------------------- */
/* Checks the packed shape against scales for (group_size, bits): w (..., R,
 * Kp) and scales (..., R, K / group_size) with K = Kp * 32 / bits. */
static bool check_packed(const char *op, const mx_node *w, const mx_node *scales, int group_size, int bits) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    bool ok = w->ndim == scales->ndim;
    for (int d = 0; ok && d < w->ndim - 1; d++)
        ok = w->shape[d] == scales->shape[d];
    int64_t k = w->shape[w->ndim - 1] * 32 / bits;
    if (!ok || (w->shape[w->ndim - 1] * 32) % bits != 0 || k % group_size != 0 ||
        k / group_size != scales->shape[scales->ndim - 1]) {
        mx_set_error(MX_ERROR_VALUE,
                     "[%s] The shapes of the weight and scales are incompatible based on bits and group_size. "
                     "w.shape() == %s and scales.shape() == %s with group_size=%d and bits=%d",
                     op, shp(w, sa), shp(scales, sb), group_size, bits);
        return false;
    }
    return true;
}

mx_node *mx_node_dequantize(mx_node *w, mx_node *scales, mx_node *biases, int group_size, int bits, mx_dtype dtype) {
    const char *op = "dequantize";
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (!biases) {
        mx_set_error(MX_ERROR_VALUE, "[dequantize] Biases must be provided for affine quantization.");
        return NULL;
    }
    if (!check_group_bits(op, group_size, bits))
        return NULL;
    if (w->dtype != MX_UINT32) {
        mx_set_error(MX_ERROR_VALUE, "[dequantize] The matrix should be given as a uint32 (got %s)",
                     mx_dtype_name(w->dtype));
        return NULL;
    }
    if (w->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE,
                     "[dequantize] The matrix to be dequantized must have at least 2 dimension but it has only %d.",
                     w->ndim);
        return NULL;
    }
    if (!mx_shape_equal(scales->shape, scales->ndim, biases->shape, biases->ndim) ||
        !check_packed(op, w, scales, group_size, bits)) {
        mx_set_error(MX_ERROR_VALUE,
                     "[dequantize] Shape of scales and biases does not match the matrix given the quantization "
                     "parameters. Provided matrix of shape %s and scales/biases of shape %s with group_size=%d and "
                     "bits=%d.",
                     shp(w, sa), shp(scales, sb), group_size, bits);
        return NULL;
    }
    if (!mx_dtype_is_float(scales->dtype) || !mx_dtype_is_float(biases->dtype)) {
        mx_set_error(MX_ERROR_VALUE,
                     "[dequantize] Only real floating types are supported but scales.dtype() == %s and "
                     "biases.dtype() == %s.",
                     mx_dtype_name(scales->dtype), mx_dtype_name(biases->dtype));
        return NULL;
    }
    if (dtype == MX_DTYPE_COUNT)
        dtype = mx_promote_types(scales->dtype, biases->dtype);
    if (!mx_dtype_is_float(dtype)) {
        mx_set_error(MX_ERROR_VALUE, "[dequantize] Only real floating types are supported but output dtype == %s.",
                     mx_dtype_name(dtype));
        return NULL;
    }
    mx_node *s = mx_node_astype(scales, dtype), *b = s ? mx_node_astype(biases, dtype) : NULL;
    mx_node *out = NULL;
    if (b) {
        mx_quant_params p = {.group_size = group_size, .bits = bits};
        int64_t shape[MX_MAX_NDIM];
        last_replaced(w, w->shape[w->ndim - 1] * 32 / bits, shape);
        out = mx_node_new(&mx_op_dequantize, &p, (mx_node *[]){w, s, b}, 3, shape, w->ndim, dtype);
    }
    mx_node_release(s);
    mx_node_release(b);
    return out;
}

/* ---- quantized_matmul and gather_qmm ------------------------------------------------------------- */
/* Validation shared by both; *dtype gets the output dtype. */
static bool check_qmm(const char *op, mx_node *x, mx_node *w, mx_node *scales, mx_node *biases, bool transpose,
                      int group_size, int bits, mx_dtype *dtype) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (!biases) {
        mx_set_error(MX_ERROR_VALUE, "[%s] Biases must be provided for affine quantization.", op);
        return false;
    }
    if (w->dtype != MX_UINT32) {
        mx_set_error(MX_ERROR_VALUE, "[%s] The weight matrix should be uint32 but received %s", op,
                     mx_dtype_name(w->dtype));
        return false;
    }
    if (!mx_shape_equal(scales->shape, scales->ndim, biases->shape, biases->ndim)) {
        mx_set_error(MX_ERROR_VALUE,
                     "[%s] Scales and biases should have the same shape. Received scales with shape %s and biases "
                     "with %s",
                     op, shp(scales, sa), shp(biases, sb));
        return false;
    }
    if (w->ndim < 2 || x->ndim < 1) {
        mx_set_error(MX_ERROR_VALUE, "[%s] x %s must have at least 1 and w %s at least 2 dimensions", op, shp(x, sa),
                     shp(w, sb));
        return false;
    }
    if (!check_packed(op, w, scales, group_size, bits) || !check_group_bits(op, group_size, bits))
        return false;
    int64_t rows = w->shape[w->ndim - 2], k = w->shape[w->ndim - 1] * 32 / bits;
    int64_t xk = x->shape[x->ndim - 1];
    if (xk != (transpose ? k : rows)) {
        mx_set_error(MX_ERROR_VALUE,
                     "[%s] Last dimension of first input with shape (..., %lld) does not match the expanded quantized "
                     "matrix (%lld, %lld) computed from shape %s with group_size=%d, bits=%d and transpose=%s",
                     op, (long long)xk, (long long)(transpose ? k : rows), (long long)(transpose ? rows : k),
                     shp(w, sb), group_size, bits, transpose ? "true" : "false");
        return false;
    }
    *dtype = mx_promote_types(mx_promote_types(x->dtype, scales->dtype), biases->dtype);
    if (!is_qmm_dtype(*dtype)) {
        mx_set_error(MX_ERROR_VALUE, "[%s] only float32, float16 and bfloat16 are supported (x %s, scales %s)", op,
                     mx_dtype_name(x->dtype), mx_dtype_name(scales->dtype));
        return false;
    }
    return true;
}

/* Cast n nodes to dtype (new references into out); false on failure. */
static bool cast_all(mx_node *const *in, int n, mx_dtype dtype, mx_node **out) {
    bool ok = true;
    for (int i = 0; i < n; i++) {
        out[i] = ok ? mx_node_astype(in[i], dtype) : NULL;
        ok = ok && out[i];
    }
    if (!ok)
        for (int i = 0; i < n; i++)
            mx_node_release(out[i]);
    return ok;
}

mx_node *mx_node_quantized_matmul(mx_node *x, mx_node *w, mx_node *scales, mx_node *biases, bool transpose,
                                  int group_size, int bits) {
    const char *op = "quantized_matmul";
    mx_dtype dtype;
    if (!check_qmm(op, x, w, scales, biases, transpose, group_size, bits, &dtype))
        return NULL;
    /* the batch dims of x (..., M, K) and w broadcast; a 1-D x is one row */
    int64_t xb_shape[MX_MAX_NDIM];
    int xb = x->ndim >= 2 ? x->ndim - 2 : 0, wb = w->ndim - 2;
    memcpy(xb_shape, x->shape, sizeof(int64_t) * (size_t)xb);
    int nb = xb > wb ? xb : wb;
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0; i < nb; i++) {
        int64_t a = i - (nb - xb) >= 0 ? xb_shape[i - (nb - xb)] : 1;
        int64_t b = i - (nb - wb) >= 0 ? w->shape[i - (nb - wb)] : 1;
        if (a != b && a != 1 && b != 1) {
            char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "[%s] Shapes %s and %s cannot be broadcast.", op, shp(x, sa), shp(w, sb));
            return NULL;
        }
        shape[i] = a == 1 ? b : a;
    }
    int64_t n = transpose ? w->shape[w->ndim - 2] : w->shape[w->ndim - 1] * 32 / bits;
    int ndim = nb;
    if (x->ndim >= 2)
        shape[ndim++] = x->shape[x->ndim - 2];
    shape[ndim++] = n;
    mx_node *cast[3];
    if (!cast_all((mx_node *[]){x, scales, biases}, 3, dtype, cast))
        return NULL;
    mx_quant_params p = {.group_size = group_size, .bits = bits, .transpose = transpose};
    mx_node *out =
        mx_node_new(&mx_op_quantized_matmul, &p, (mx_node *[]){cast[0], w, cast[1], cast[2]}, 4, shape, ndim, dtype);
    for (int i = 0; i < 3; i++)
        mx_node_release(cast[i]);
    return out;
}

/* Index arrays of a gather matmul: lhs into the flattened batch of `a`
 * (..., M, K), rhs into that of `b`; NULL means arange over that batch
 * (shaped like it). Both broadcast to one batch shape. New references. */
static bool gather_indices(const char *op, mx_node *a, mx_node *b, mx_node *lhs, mx_node *rhs, mx_node **lo,
                           mx_node **ro) {
    mx_node *idx[2] = {lhs, rhs}, *src[2] = {a, b};
    mx_node *made[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        if (idx[i]) {
            if (!mx_dtype_is_integer(idx[i]->dtype)) {
                mx_set_error(MX_ERROR_VALUE, "[%s] Got %s indices with dtype %s but integer indices are required.", op,
                             i ? "rhs" : "lhs", mx_dtype_name(idx[i]->dtype));
                goto fail;
            }
            made[i] = mx_node_astype(idx[i], MX_UINT32);
        } else {
            int nb = src[i]->ndim - 2;
            int64_t count = 1;
            for (int d = 0; d < nb; d++)
                count *= src[i]->shape[d];
            mx_arange_params p = {0, 1};
            mx_node *r = mx_node_new(&mx_op_arange, &p, NULL, 0, &count, 1, MX_UINT32);
            made[i] = r ? mx_node_reshape(r, src[i]->shape, nb) : NULL;
            mx_node_release(r);
        }
        if (!made[i])
            goto fail;
    }
    int64_t shape[MX_MAX_NDIM];
    int ndim;
    if (!mx_broadcast_shapes(op, made[0], made[1], shape, &ndim))
        goto fail;
    *lo = mx_node_broadcast_to(made[0], shape, ndim);
    *ro = *lo ? mx_node_broadcast_to(made[1], shape, ndim) : NULL;
    mx_node_release(made[0]);
    mx_node_release(made[1]);
    if (!*ro) {
        mx_node_release(*lo);
        return false;
    }
    return true;
fail:
    mx_node_release(made[0]);
    mx_node_release(made[1]);
    return false;
}

static mx_node *gather_qmm_node(mx_node *x, mx_node *w, mx_node *scales, mx_node *biases, mx_node *lhs, mx_node *rhs,
                                bool transpose, int group_size, int bits) {
    const char *op = "gather_qmm";
    char sa[MX_SHAPE_STR_CAP];
    mx_dtype dtype;
    if (!check_qmm(op, x, w, scales, biases, transpose, group_size, bits, &dtype))
        return NULL;
    if (x->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE, "[gather_qmm] x must have at least 2 dimensions, got %s", shp(x, sa));
        return NULL;
    }
    mx_node *lo, *ro;
    if (!gather_indices(op, x, w, lhs, rhs, &lo, &ro))
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    int ndim = lo->ndim;
    memcpy(shape, lo->shape, sizeof(int64_t) * (size_t)ndim);
    shape[ndim++] = x->shape[x->ndim - 2];
    shape[ndim++] = transpose ? w->shape[w->ndim - 2] : w->shape[w->ndim - 1] * 32 / bits;
    mx_node *out = NULL, *cast[3];
    if (cast_all((mx_node *[]){x, scales, biases}, 3, dtype, cast)) {
        mx_quant_params p = {.group_size = group_size,
                             .bits = bits,
                             .transpose = transpose,
                             .has_lhs = lhs != NULL,
                             .has_rhs = rhs != NULL};
        out = mx_node_new(&mx_op_gather_qmm, &p, (mx_node *[]){cast[0], w, cast[1], cast[2], lo, ro}, 6, shape, ndim,
                          dtype);
        for (int i = 0; i < 3; i++)
            mx_node_release(cast[i]);
    }
    mx_node_release(lo);
    mx_node_release(ro);
    return out;
}

/* ---- gather_mm ----------------------------------------------------------------------------------- */
mx_node *mx_node_gather_mm(mx_node *a, mx_node *b, mx_node *lhs, mx_node *rhs) {
    const char *op = "gather_mm";
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (a->ndim < 2 || b->ndim < 2 || a->shape[a->ndim - 1] != b->shape[b->ndim - 2]) {
        mx_set_error(MX_ERROR_VALUE,
                     "[gather_mm] Last dimension of first input with shape %s must match second to last dimension of "
                     "second input with shape %s (both need at least 2 dimensions).",
                     shp(a, sa), shp(b, sb));
        return NULL;
    }
    mx_dtype dtype = mx_promote_types(a->dtype, b->dtype);
    if (!mx_dtype_is_float(dtype)) {
        mx_set_error(MX_ERROR_VALUE,
                     "[gather_mm] Only real floating point types are supported but %s and %s were "
                     "provided which results in %s, which is not a real floating point type.",
                     mx_dtype_name(a->dtype), mx_dtype_name(b->dtype), mx_dtype_name(dtype));
        return NULL;
    }
    mx_node *lo, *ro;
    if (!gather_indices(op, a, b, lhs, rhs, &lo, &ro))
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    int ndim = lo->ndim;
    memcpy(shape, lo->shape, sizeof(int64_t) * (size_t)ndim);
    shape[ndim++] = a->shape[a->ndim - 2];
    shape[ndim++] = b->shape[b->ndim - 1];
    mx_node *out = NULL, *cast[2];
    if (cast_all((mx_node *[]){a, b}, 2, dtype, cast)) {
        mx_quant_params p = {.has_lhs = true, .has_rhs = true};
        out = mx_node_new(&mx_op_gather_mm, &p, (mx_node *[]){cast[0], cast[1], lo, ro}, 4, shape, ndim, dtype);
        mx_node_release(cast[0]);
        mx_node_release(cast[1]);
    }
    mx_node_release(lo);
    mx_node_release(ro);
    return out;
}

/* ---- block_masked_mm ----------------------------------------------------------------------------- */
/* A block mask (..., ceil(R / bs), ceil(C / bs)) expanded to (..., R, C). */
static mx_node *expand_mask(mx_node *mask, int bs, int64_t rows, int64_t cols) {
    int nd = mask->ndim;
    int64_t shape[MX_MAX_NDIM + 2];
    memcpy(shape, mask->shape, sizeof(int64_t) * (size_t)(nd - 2));
    int64_t br = mask->shape[nd - 2], bc = mask->shape[nd - 1];
    int64_t s4[MX_MAX_NDIM + 2];
    memcpy(s4, shape, sizeof(int64_t) * (size_t)(nd - 2));
    s4[nd - 2] = br;
    s4[nd - 1] = 1;
    s4[nd] = bc;
    s4[nd + 1] = 1;
    mx_node *r = mx_node_reshape(mask, s4, nd + 2);
    if (!r)
        return NULL;
    s4[nd - 1] = bs;
    s4[nd + 1] = bs;
    mx_node *bcast = mx_node_broadcast_to(r, s4, nd + 2);
    mx_node_release(r);
    if (!bcast)
        return NULL;
    shape[nd - 2] = br * bs;
    shape[nd - 1] = bc * bs;
    mx_node *full = mx_node_reshape(bcast, shape, nd);
    mx_node_release(bcast);
    if (!full)
        return NULL;
    int64_t start[MX_MAX_NDIM] = {0}, step[MX_MAX_NDIM];
    for (int d = 0; d < nd; d++)
        step[d] = 1;
    shape[nd - 2] = rows;
    shape[nd - 1] = cols;
    mx_node *out = mx_node_slice(full, start, shape, step);
    mx_node_release(full);
    return out;
}

/* x masked by the block mask: where for a bool mask (a masked block is
 * exactly zero, whatever x holds), a product for a float mask. */
static mx_node *apply_mask(mx_node *x, mx_node *mask, int bs) {
    if (!mask) {
        mx_node_retain(x);
        return x;
    }
    int64_t rows = x->shape[x->ndim - 2], cols = x->shape[x->ndim - 1];
    mx_node *full = expand_mask(mask, bs, rows, cols);
    if (!full)
        return NULL;
    mx_node *out;
    if (mask->dtype == MX_BOOL) {
        mx_node *zero = mx_node_scalar(0, x->dtype);
        out = zero ? mx_node_where(full, x, zero) : NULL;
        mx_node_release(zero);
    } else {
        mx_node *prod = mx_node_binary(&mx_op_multiply, x, full);
        out = prod ? mx_node_astype(prod, x->dtype) : NULL;
        mx_node_release(prod);
    }
    mx_node_release(full);
    return out;
}

static bool check_mask(const char *name, mx_node *mask, int bs, int64_t rows, int64_t cols) {
    if (!mask)
        return true;
    char sa[MX_SHAPE_STR_CAP];
    int64_t br = (rows + bs - 1) / bs, bc = (cols + bs - 1) / bs;
    if (mask->ndim < 2 || mask->shape[mask->ndim - 2] != br || mask->shape[mask->ndim - 1] != bc) {
        mx_set_error(MX_ERROR_VALUE,
                     "[block_masked_mm] Expected %s to have shape (..., %lld, %lld) for block_size=%d but got %s", name,
                     (long long)br, (long long)bc, bs, shp(mask, sa));
        return false;
    }
    if (mask->dtype != MX_BOOL && !mx_dtype_is_float(mask->dtype)) {
        mx_set_error(MX_ERROR_VALUE, "[block_masked_mm] %s must be bool or floating point, got %s", name,
                     mx_dtype_name(mask->dtype));
        return false;
    }
    return true;
}

static mx_node *block_masked_mm_node(mx_node *a, mx_node *b, int bs, mx_node *mask_out, mx_node *mask_lhs,
                                     mx_node *mask_rhs) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if ((mask_out || mask_lhs || mask_rhs) && bs != 32 && bs != 64) { /* MLX: a plain matmul without masks */
        mx_set_error(MX_ERROR_VALUE, "[block_masked_mm] Only block_sizes 32, 64 are supported.Got block size %d.", bs);
        return NULL;
    }
    if (a->ndim < 2 || b->ndim < 2) {
        mx_set_error(MX_ERROR_VALUE, "[block_masked_mm] Inputs must have at least 2 dimensions, got %s and %s",
                     shp(a, sa), shp(b, sb));
        return NULL;
    }
    int64_t m = a->shape[a->ndim - 2], k = a->shape[a->ndim - 1], n = b->shape[b->ndim - 1];
    if (!check_mask("mask_lhs", mask_lhs, bs, m, k) || !check_mask("mask_rhs", mask_rhs, bs, k, n) ||
        !check_mask("mask_out", mask_out, bs, m, n))
        return NULL;
    mx_node *am = apply_mask(a, mask_lhs, bs);
    mx_node *bm = am ? apply_mask(b, mask_rhs, bs) : NULL;
    mx_node *prod = bm ? mx_node_matmul(am, bm) : NULL;
    mx_node_release(am);
    mx_node_release(bm);
    if (!prod || !mask_out)
        return prod;
    mx_node *out = apply_mask(prod, mask_out, bs);
    mx_node_release(prod);
    return out;
}

/* ---- hadamard_transform -------------------------------------------------------------------------- */
/* n = m * 2^k with m in {1, 12, 20, 28}: m into *m_out, false otherwise. */
static bool hadamard_factor(int64_t n, int *m_out) {
    static const int ms[] = {28, 20, 12, 1};
    for (int i = 0; i < 4; i++) {
        if (n % ms[i] != 0)
            continue;
        int64_t r = n / ms[i];
        if (r > 0 && (r & (r - 1)) == 0) {
            *m_out = ms[i];
            return true;
        }
    }
    return false;
}

mx_node *mx_node_hadamard_transform(mx_node *a, float scale) {
    int m;
    if (a->ndim < 1 || !hadamard_factor(a->shape[a->ndim - 1], &m)) {
        mx_set_error(MX_ERROR_VALUE, "[hadamard] Only supports n = m*2^k where m in (1, 12, 20, 28) (last dim %lld).",
                     a->ndim ? (long long)a->shape[a->ndim - 1] : 0LL);
        return NULL;
    }
    mx_dtype dtype = mx_dtype_is_float(a->dtype) ? a->dtype : MX_FLOAT32;
    if (isnan(scale))
        scale = (float)(1.0 / sqrt((double)a->shape[a->ndim - 1]));
    mx_node *c = mx_node_astype(a, dtype);
    if (!c)
        return NULL;
    mx_hadamard_params p = {scale};
    mx_node *out = mx_node_new(&mx_op_hadamard_transform, &p, &c, 1, a->shape, a->ndim, dtype);
    mx_node_release(c);
    return out;
}

/* ---- transform rules ----------------------------------------------------------------------------- */
/* Sum a (batch..., R, C) node over its leading dims down to rank 2. */
static mx_node *sum_to_matrix(mx_node *a) {
    if (a->ndim == 2) {
        mx_node_retain(a);
        return a;
    }
    int axes[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim - 2; i++)
        axes[i] = i;
    return mx_node_reduce(&mx_op_sum, a, axes, a->ndim - 2, false);
}

/* Swap the last two dims. */
static mx_node *swap_last(mx_node *a) {
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim; i++)
        perm[i] = i;
    perm[a->ndim - 2] = a->ndim - 1;
    perm[a->ndim - 1] = a->ndim - 2;
    return mx_node_transpose(a, perm);
}

/* d/d scales and d/d biases of quantized_matmul with a 2-D w: dW (R, C) is
 * cot^T x (transpose) or x^T cot; grouped along its last dim. */
static int qmm_param_grads(const mx_node *node, mx_node *cot, bool want_s, bool want_b, mx_node **gs, mx_node **gb) {
    const mx_quant_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *w = node->inputs[1], *scales = node->inputs[2];
    if (w->ndim != 2) {
        mx_set_error(MX_ERROR_VALUE, "[quantized_matmul] cmlx computes gradients w.r.t. scales and biases only for "
                                     "a 2-D (unbatched) weight");
        return MX_ERROR_VALUE;
    }
    mx_node *x2 = x, *c2 = cot;
    if (x->ndim == 1) { /* one row */
        int64_t rs[2] = {1, x->shape[0]}, cs[2] = {1, cot->shape[0]};
        x2 = mx_node_reshape(x, rs, 2);
        c2 = x2 ? mx_node_reshape(cot, cs, 2) : NULL;
    } else {
        mx_node_retain(x2);
        mx_node_retain(c2);
    }
    mx_node *lhs = NULL, *prod = NULL, *dw = NULL;
    if (c2) {
        lhs = swap_last(p->transpose ? c2 : x2);
        prod = lhs ? mx_node_matmul(lhs, p->transpose ? x2 : c2) : NULL;
        dw = prod ? sum_to_matrix(prod) : NULL;
    }
    mx_node_release(x2);
    mx_node_release(c2);
    mx_node_release(lhs);
    mx_node_release(prod);
    if (!dw)
        return mx_last_status();
    int64_t rows = dw->shape[0], cols = dw->shape[1], g = cols / p->group_size;
    int64_t s3[3] = {rows, g, p->group_size};
    mx_node *dw3 = mx_node_reshape(dw, s3, 3);
    mx_node_release(dw);
    if (!dw3)
        return mx_last_status();
    int axis = 2;
    int st = MX_OK;
    if (want_b) {
        mx_node *sum = mx_node_reduce(&mx_op_sum, dw3, &axis, 1, false);
        *gb = sum ? mx_node_astype(sum, scales->dtype) : NULL;
        mx_node_release(sum);
        if (!*gb)
            st = mx_last_status();
    }
    if (st == MX_OK && want_s) {
        /* the unpacked integers q: dequantize with scale 1 and bias 0 */
        mx_node *one = mx_node_full(scales->shape, 2, 1.0, dw3->dtype);
        mx_node *zero = one ? mx_node_full(scales->shape, 2, 0.0, dw3->dtype) : NULL;
        mx_node *q = zero ? mx_node_dequantize(w, one, zero, p->group_size, p->bits, dw3->dtype) : NULL;
        mx_node *q3 = q ? mx_node_reshape(q, s3, 3) : NULL;
        mx_node *prod3 = q3 ? mx_node_binary(&mx_op_multiply, dw3, q3) : NULL;
        mx_node *sum = prod3 ? mx_node_reduce(&mx_op_sum, prod3, &axis, 1, false) : NULL;
        *gs = sum ? mx_node_astype(sum, scales->dtype) : NULL;
        mx_node_release(one);
        mx_node_release(zero);
        mx_node_release(q);
        mx_node_release(q3);
        mx_node_release(prod3);
        mx_node_release(sum);
        if (!*gs)
            st = mx_last_status();
    }
    mx_node_release(dw3);
    return st;
}

/* g (S + (R, C)), one matrix per gathered batch element, summed onto src's batch (src (..., R, C),
 * batch flattened) at idx (uint32, shape S): the VJP of a gather over the batch. */
static mx_node *scatter_onto_shape(mx_node *g, mx_node *idx, const int64_t *shape, int ndim, mx_dtype dtype);
static mx_node *sum_groups(mx_node *x, int group_size);
static mx_node *scatter_onto_batch(mx_node *g, mx_node *idx, const mx_node *src) {
    return scatter_onto_shape(g, idx, src->shape, src->ndim, src->dtype);
}

/* The same onto an array of the given (..., R, C) shape and dtype. */
static mx_node *scatter_onto_shape(mx_node *g, mx_node *idx, const int64_t *shape, int ndim, mx_dtype dtype) {
    int64_t n = 1, batch = 1;
    for (int d = 0; d < idx->ndim; d++)
        n *= idx->shape[d];
    for (int d = 0; d < ndim - 2; d++)
        batch *= shape[d];
    int64_t rows = shape[ndim - 2], cols = shape[ndim - 1];
    int64_t upd_shape[4] = {n, 1, rows, cols}, base_shape[3] = {batch, rows, cols};
    int axis = 0;
    mx_node *gc = mx_node_astype(g, dtype);
    mx_node *upd = gc ? mx_node_reshape(gc, upd_shape, 4) : NULL;
    mx_node *flat_idx = upd ? mx_node_reshape(idx, &n, 1) : NULL;
    mx_node *base = flat_idx ? mx_node_full(base_shape, 3, 0.0, dtype) : NULL;
    mx_node *sum = base ? mx_node_scatter(MX_REDUCE_SUM, base, &flat_idx, 1, upd, &axis) : NULL;
    mx_node *out = sum ? mx_node_reshape(sum, shape, ndim) : NULL;
    mx_node_release(gc);
    mx_node_release(upd);
    mx_node_release(flat_idx);
    mx_node_release(base);
    mx_node_release(sum);
    return out;
}

/* d/d scales and d/d biases of gather_qmm (inputs x, w, scales, biases, lhs, rhs of shape S): the
 * gradient of each gathered dequantized matrix, x[lhs[s]]^T cot[s] (cot[s]^T x[lhs[s]] with
 * transpose), summed onto w's batch at rhs, then per group against the unpacked integers (scales)
 * or alone (biases), as quantized_matmul's. */
static int gather_qmm_param_grads(const mx_node *node, mx_node *cot, bool want_s, bool want_b, mx_node **gs,
                                  mx_node **gb) {
    const mx_quant_params *p = mx_node_params(node);
    mx_node *const *in = node->inputs;
    mx_node *w = in[1], *scales = in[2];
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, w->shape, sizeof(int64_t) * (size_t)w->ndim);
    shape[w->ndim - 1] = w->shape[w->ndim - 1] * 32 / p->bits;
    mx_node *xt = p->transpose ? NULL : swap_last(in[0]), *ct = p->transpose ? swap_last(cot) : NULL;
    mx_node *per = p->transpose ? (ct ? mx_node_gather_mm(ct, in[0], NULL, in[4]) : NULL)
                                : (xt ? mx_node_gather_mm(xt, cot, in[4], NULL) : NULL);
    mx_node *dw = per ? scatter_onto_shape(per, in[5], shape, w->ndim, cot->dtype) : NULL;
    mx_node_release(xt);
    mx_node_release(ct);
    mx_node_release(per);
    if (!dw)
        return mx_last_status();
    int st = MX_OK;
    if (want_b) {
        mx_node *sum = sum_groups(dw, p->group_size);
        *gb = sum ? mx_node_astype(sum, scales->dtype) : NULL;
        mx_node_release(sum);
        st = *gb ? MX_OK : mx_last_status();
    }
    if (st == MX_OK && want_s) {
        mx_node *one = mx_node_full(scales->shape, scales->ndim, 1.0, dw->dtype);
        mx_node *zero = one ? mx_node_full(scales->shape, scales->ndim, 0.0, dw->dtype) : NULL;
        mx_node *q = zero ? mx_node_dequantize(w, one, zero, p->group_size, p->bits, dw->dtype) : NULL;
        mx_node *prod = q ? mx_node_binary(&mx_op_multiply, dw, q) : NULL;
        mx_node *sum = prod ? sum_groups(prod, p->group_size) : NULL;
        *gs = sum ? mx_node_astype(sum, scales->dtype) : NULL;
        mx_node_release(one);
        mx_node_release(zero);
        mx_node_release(q);
        mx_node_release(prod);
        mx_node_release(sum);
        st = *gs ? MX_OK : mx_last_status();
    }
    mx_node_release(dw);
    return st;
}

/* gather_mm (inputs a, b, lhs, rhs; out[s] = a[lhs[s]] @ b[rhs[s]]): w.r.t. a, cot[s] @ b[rhs[s]]^T
 * summed onto a's batch at lhs; w.r.t. b, a[lhs[s]]^T @ cot[s] summed onto b's batch at rhs (as
 * MLX's GatherMM::vjp). The indices have no gradient. */
static int gather_mm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    mx_node *const *in = node->inputs;
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = NULL;
        int a = argnums[i];
        if (a > 1)
            continue;
        mx_node *other = swap_last(in[1 - a]);
        mx_node *g = !other   ? NULL
                     : a == 0 ? mx_node_gather_mm(cotangent, other, NULL, in[3])
                              : mx_node_gather_mm(other, cotangent, in[2], NULL);
        grads_out[i] = g ? scatter_onto_batch(g, in[2 + a], in[a]) : NULL;
        mx_node_release(other);
        mx_node_release(g);
        if (!grads_out[i]) {
            for (int j = 0; j < i; j++)
                mx_node_release(grads_out[j]);
            return mx_last_status();
        }
    }
    return MX_OK;
}

static int qmm_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_quant_params *p = mx_node_params(node);
    bool gather = node->op == &mx_op_gather_qmm;
    const char *op = gather ? "gather_qmm" : "quantized_matmul";
    mx_node *const *in = node->inputs;
    int want_s = -1, want_b = -1;
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = NULL;
        int a = argnums[i];
        if (a == 0) {
            if (gather) {
                /* per output batch element (lhs and rhs indices of shape S): the product with the
                 * toggled transpose, then summed onto x's batch at the lhs indices */
                mx_node *g =
                    gather_qmm_node(cotangent, in[1], in[2], in[3], NULL, in[5], !p->transpose, p->group_size, p->bits);
                grads_out[i] = g ? scatter_onto_batch(g, in[4], in[0]) : NULL;
                mx_node_release(g);
            } else {
                grads_out[i] =
                    mx_node_quantized_matmul(cotangent, in[1], in[2], in[3], !p->transpose, p->group_size, p->bits);
            }
            if (!grads_out[i])
                goto fail;
        } else if (a == 1) {
            mx_set_error(MX_ERROR_VALUE, "[%s] no gradient wrt the quantized weights.", op);
            goto fail;
        } else if (a == 2 || a == 3) {
            if (a == 2)
                want_s = i;
            else
                want_b = i;
        }
        /* index inputs: no gradient (NULL) */
    }
    if (want_s >= 0 || want_b >= 0) {
        mx_node *gs = NULL, *gb = NULL;
        int st = gather ? gather_qmm_param_grads(node, cotangent, want_s >= 0, want_b >= 0, &gs, &gb)
                        : qmm_param_grads(node, cotangent, want_s >= 0, want_b >= 0, &gs, &gb);
        if (st != MX_OK)
            goto fail;
        if (want_s >= 0)
            grads_out[want_s] = gs;
        if (want_b >= 0)
            grads_out[want_b] = gb;
    }
    return MX_OK;
fail:
    for (int i = 0; i < nargs; i++) {
        mx_node_release(grads_out[i]);
        grads_out[i] = NULL;
    }
    return mx_last_status();
}

static int hadamard_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_hadamard_params *p = mx_node_params(node);
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = argnums[i] == 0 ? mx_node_hadamard_transform(cotangent, p->scale) : NULL;
        if (argnums[i] == 0 && !grads_out[i]) {
            for (int j = 0; j < i; j++)
                mx_node_release(grads_out[j]);
            return mx_last_status();
        }
    }
    return MX_OK;
}

static int hadamard_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_hadamard_params *p = mx_node_params(node);
    *tangent_out = NULL;
    if (!tangents[0])
        return MX_OK;
    *tangent_out = mx_node_hadamard_transform(tangents[0], p->scale);
    return *tangent_out ? MX_OK : mx_last_status();
}

/* dequantize is s * q + b per group of the last axis (q the unpacked integers, inputs w, s, b with s
 * and b already in the output dtype): linear in (s, b), so its JVP is dequantize(w, ts, tb), and its
 * VJP sums cot * q (scales) or cot (biases) over each group. No gradient w.r.t. the packed w. */
static int dequantize_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_quant_params *p = mx_node_params(node);
    mx_node *const *in = node->inputs;
    *tangent_out = NULL;
    if (!tangents[1] && !tangents[2])
        return MX_OK;
    mx_node *ts = tangents[1] ? (mx_node_retain(tangents[1]), tangents[1])
                              : mx_node_full(in[1]->shape, in[1]->ndim, 0.0, node->dtype);
    mx_node *tb = !ts           ? NULL
                  : tangents[2] ? (mx_node_retain(tangents[2]), tangents[2])
                                : mx_node_full(in[2]->shape, in[2]->ndim, 0.0, node->dtype);
    *tangent_out = tb ? mx_node_dequantize(in[0], ts, tb, p->group_size, p->bits, node->dtype) : NULL;
    mx_node_release(ts);
    mx_node_release(tb);
    return *tangent_out ? MX_OK : mx_last_status();
}

/* x (..., K) as (..., K / group, group), summed over the last axis: (..., K / group). */
static mx_node *sum_groups(mx_node *x, int group_size) {
    int64_t shape[MX_MAX_NDIM + 1];
    int nd = x->ndim;
    memcpy(shape, x->shape, sizeof(int64_t) * (size_t)nd);
    shape[nd - 1] = x->shape[nd - 1] / group_size;
    shape[nd] = group_size;
    mx_node *grouped = mx_node_reshape(x, shape, nd + 1);
    mx_node *sum = grouped ? mx_node_reduce(&mx_op_sum, grouped, &nd, 1, false) : NULL;
    mx_node_release(grouped);
    return sum;
}

static int dequantize_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_quant_params *p = mx_node_params(node);
    mx_node *const *in = node->inputs;
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = NULL;
        if (argnums[i] == 1) {
            mx_node *one = mx_node_full(in[1]->shape, in[1]->ndim, 1.0, node->dtype);
            mx_node *zero = one ? mx_node_full(in[1]->shape, in[1]->ndim, 0.0, node->dtype) : NULL;
            mx_node *q = zero ? mx_node_dequantize(in[0], one, zero, p->group_size, p->bits, node->dtype) : NULL;
            mx_node *prod = q ? mx_node_binary(&mx_op_multiply, cotangent, q) : NULL;
            grads_out[i] = prod ? sum_groups(prod, p->group_size) : NULL;
            mx_node_release(one);
            mx_node_release(zero);
            mx_node_release(q);
            mx_node_release(prod);
        } else if (argnums[i] == 2) {
            grads_out[i] = sum_groups(cotangent, p->group_size);
        } else {
            continue; /* the packed integers: no gradient */
        }
        if (!grads_out[i]) {
            for (int j = 0; j < i; j++)
                mx_node_release(grads_out[j]);
            grads_out[i] = NULL;
            return mx_last_status();
        }
    }
    return MX_OK;
}

/* ---- public functions ---------------------------------------------------------------------------- */
static int default_group(int g) { return g > 0 ? g : 64; }
static int default_bits(int b) { return b > 0 ? b : 4; }

/* Resolve optional handles (null -> NULL node). */
static bool get_optional(mx_array a, const char *op, mx_node **out) {
    *out = NULL;
    if (a.id == 0)
        return true;
    *out = mx_handle_get(a, op);
    return *out != NULL;
}

mx_status mx_quantize(mx_array w, int group_size, int bits, const char *mode, mx_array *out) {
    for (int i = 0; i < 3; i++)
        out[i] = MX_NULL_ARRAY;
    mx_node *wn = mx_handle_get(w, "quantize");
    if (!wn || !check_mode("quantize", mode)) {
        mx_status st = mx_last_status();
        for (int i = 0; i < 3; i++)
            out[i] = mx_handle_wrap(NULL);
        return st;
    }
    mx_node *nodes[3] = {NULL, NULL, NULL};
    mx_status st = quantize_nodes(wn, default_group(group_size), default_bits(bits), nodes);
    for (int i = 0; i < 3; i++)
        out[i] = mx_handle_wrap(nodes[i]);
    return st;
}

mx_array mx_dequantize(mx_array w, mx_array scales, mx_array biases, int group_size, int bits, const char *mode,
                       mx_dtype dtype) {
    mx_node *in[2], *bn;
    if (!mx_handles_get((mx_array[]){w, scales}, 2, "dequantize", in) || !get_optional(biases, "dequantize", &bn) ||
        !check_mode("dequantize", mode))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_dequantize(in[0], in[1], bn, default_group(group_size), default_bits(bits), dtype));
}

mx_array mx_quantized_matmul(mx_array x, mx_array w, mx_array scales, mx_array biases, bool transpose, int group_size,
                             int bits, const char *mode) {
    mx_node *in[3], *bn;
    if (!mx_handles_get((mx_array[]){x, w, scales}, 3, "quantized_matmul", in) ||
        !get_optional(biases, "quantized_matmul", &bn) || !check_mode("quantized_matmul", mode))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(
        mx_node_quantized_matmul(in[0], in[1], in[2], bn, transpose, default_group(group_size), default_bits(bits)));
}

mx_array mx_gather_qmm(mx_array x, mx_array w, mx_array scales, mx_array biases, mx_array lhs_indices,
                       mx_array rhs_indices, bool transpose, int group_size, int bits, const char *mode,
                       bool sorted_indices) {
    (void)sorted_indices; /* a performance hint for MLX's GPU kernels */
    mx_node *in[3], *bn, *lo, *ro;
    if (!mx_handles_get((mx_array[]){x, w, scales}, 3, "gather_qmm", in) || !get_optional(biases, "gather_qmm", &bn) ||
        !get_optional(lhs_indices, "gather_qmm", &lo) || !get_optional(rhs_indices, "gather_qmm", &ro) ||
        !check_mode("gather_qmm", mode))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(
        gather_qmm_node(in[0], in[1], in[2], bn, lo, ro, transpose, default_group(group_size), default_bits(bits)));
}

mx_array mx_gather_mm(mx_array a, mx_array b, mx_array lhs_indices, mx_array rhs_indices, bool sorted_indices) {
    (void)sorted_indices;
    mx_node *in[2], *lo, *ro;
    if (!mx_handles_get((mx_array[]){a, b}, 2, "gather_mm", in) || !get_optional(lhs_indices, "gather_mm", &lo) ||
        !get_optional(rhs_indices, "gather_mm", &ro))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_gather_mm(in[0], in[1], lo, ro));
}

mx_array mx_block_masked_mm(mx_array a, mx_array b, int block_size, mx_array mask_out, mx_array mask_lhs,
                            mx_array mask_rhs) {
    const char *op = "block_masked_mm";
    mx_node *in[2], *mo, *ml, *mr;
    if (!mx_handles_get((mx_array[]){a, b}, 2, op, in) || !get_optional(mask_out, op, &mo) ||
        !get_optional(mask_lhs, op, &ml) || !get_optional(mask_rhs, op, &mr))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(block_masked_mm_node(in[0], in[1], block_size, mo, ml, mr));
}

mx_array mx_hadamard_transform(mx_array a, double scale) {
    mx_node *an = mx_handle_get(a, "hadamard_transform");
    if (!an)
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_hadamard_transform(an, (float)scale));
}
