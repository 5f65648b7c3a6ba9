/* ops/conv.c - convolutions as in MLX 0.32 (mlx/ops.cpp conv_general,
 * conv_transpose_general, python/src/ops.cpp convolve): validation, type
 * promotion, the two primitives (conv and conv_weight_grad, see ops/conv.h)
 * and their transform rules. docs/conv.md explains the choices.
 *
 * Gradients (both primitives are linear in each argument):
 *   d/d input of conv(x, w): a conv of the cotangent with the weight's
 *     channels swapped per group, the kernel flip toggled, the forward
 *     stride as input dilation and the forward input dilation as stride,
 *     padding (extent - 1 - lo) before and whatever gives x's length after
 *     (negative paddings crop, which the primitive supports directly);
 *   d/d weight: conv_weight_grad(x, cot), the im2col product cot^T @ cols
 *     (MLX forms it as another convolution; the values are the same sums);
 *   conv_weight_grad's own gradients are the two above read backwards: with
 *     respect to x the input gradient of conv(x, G), with respect to cot the
 *     forward conv(x, G).
 * JVPs: conv(tx, w) + conv(x, tw); MLX 0.32 has none for convolutions. */
#include "ops/conv.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cmlx/conv.h"
#include "transforms/vmap.h"

static int conv_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
static int conv_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int conv_weight_grad_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs,
                                mx_node **grads_out);
static int conv_weight_grad_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
static int conv_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis);
static int conv_weight_grad_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                                 int *out_axis);

const mx_op_def mx_op_conv = {.name = "conv",
                              .id = MX_OP_conv,
                              .family = MX_FAMILY_OTHER,
                              .params_size = sizeof(mx_conv_params),
                              .vjp = conv_vjp,
                              .jvp = conv_jvp,
                              .vmap = conv_vmap};
const mx_op_def mx_op_conv_weight_grad = {.name = "conv_weight_grad",
                                          .id = MX_OP_conv_weight_grad,
                                          .family = MX_FAMILY_OTHER,
                                          .params_size = sizeof(mx_conv_params),
                                          .vjp = conv_weight_grad_vjp,
                                          .jvp = conv_weight_grad_jvp,
                                          .vmap = conv_weight_grad_vmap};

/* ---- helpers ------------------------------------------------------------------------------------- */
/* "(1,2)" for n ints. */
static const char *format_ints(const int *v, int n, char *buf, size_t cap) {
    size_t len = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, i ? ",%d" : "%d", v[i]);
    if (len < cap)
        snprintf(buf + len, cap - len, ")");
    return buf;
}

int64_t mx_conv_out_len(int64_t in, int64_t k, int stride, int pad_lo, int pad_hi, int kernel_dilation,
                        int input_dilation) {
    int64_t dilated = (in - 1) * input_dilation + 1;
    int64_t padded = dilated + pad_lo + pad_hi;
    int64_t extent = (k - 1) * kernel_dilation + 1;
    /* C's truncating division, as MLX: a shortfall smaller than the stride
     * still gives one output (its taps past the end read zeros) */
    int64_t q = (padded - extent) / stride;
    return q < 0 ? -1 : q + 1;
}

static bool is_conv_dtype(mx_dtype d) { return mx_dtype_is_float(d) || d == MX_COMPLEX64; }

/* Checks shared by both primitives: ranks, channels, groups, strides. */
static bool check_primitive(const char *op, const mx_node *in, const int64_t *wshape, int wndim,
                            const mx_conv_params *p) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    int d = p->nspatial;
    if (d < 1 || d > MX_CONV_MAX_SPATIAL || in->ndim != d + 2 || wndim != d + 2) {
        mx_set_error(MX_ERROR_VALUE, "%s: input %s and weight %s must both have %d dimensions for %dD convolution", op,
                     mx_format_shape(in->shape, in->ndim, sa, sizeof sa), mx_format_shape(wshape, wndim, sb, sizeof sb),
                     d + 2, d);
        return false;
    }
    int64_t cin = in->shape[d + 1], cout = wshape[0], cig = wshape[d + 1];
    if (p->groups < 1 || cin % p->groups != 0 || cout % p->groups != 0 || cig * p->groups != cin) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: input %s and weight %s have inconsistent channels for %d groups (expected C_in = groups * "
                     "weight C_in and C_out divisible by groups)",
                     op, mx_format_shape(in->shape, in->ndim, sa, sizeof sa),
                     mx_format_shape(wshape, wndim, sb, sizeof sb), p->groups);
        return false;
    }
    for (int i = 0; i < d; i++) {
        if (p->stride[i] < 1 || p->kernel_dilation[i] < 1 || p->input_dilation[i] < 1 || wshape[1 + i] < 1) {
            mx_set_error(MX_ERROR_VALUE,
                         "%s: strides, dilations and kernel sizes must be positive (weight %s, stride %d, kernel "
                         "dilation %d, input dilation %d at spatial dim %d)",
                         op, mx_format_shape(wshape, wndim, sb, sizeof sb), p->stride[i], p->kernel_dilation[i],
                         p->input_dilation[i], i);
            return false;
        }
    }
    return true;
}

/* The forward output shape (N, O..., C_out) into out; false (error set) when
 * an output length would be negative. */
static bool conv_out_shape(const char *op, const mx_node *in, const int64_t *wshape, const mx_conv_params *p,
                           int64_t *out) {
    int d = p->nspatial;
    out[0] = in->shape[0];
    for (int i = 0; i < d; i++) {
        out[1 + i] = mx_conv_out_len(in->shape[1 + i], wshape[1 + i], p->stride[i], p->pad_lo[i], p->pad_hi[i],
                                     p->kernel_dilation[i], p->input_dilation[i]);
        if (out[1 + i] < 0) {
            char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP], lo[96], hi[96];
            mx_set_error(MX_ERROR_VALUE,
                         "%s: spatial dimensions of input after padding cannot be smaller than weight spatial "
                         "dimensions. Got error at axis %d for input with shape %s, padding low %s, padding high %s, "
                         "and weight of shape %s",
                         op, 1 + i, mx_format_shape(in->shape, in->ndim, sa, sizeof sa),
                         format_ints(p->pad_lo, d, lo, sizeof lo), format_ints(p->pad_hi, d, hi, sizeof hi),
                         mx_format_shape(wshape, d + 2, sb, sizeof sb));
            return false;
        }
    }
    out[d + 1] = wshape[0];
    return true;
}

mx_node *mx_node_conv(const char *op, mx_node *in, mx_node *wt, const mx_conv_params *p) {
    if (!check_primitive(op, in, wt->shape, wt->ndim, p))
        return NULL;
    if (in->dtype != wt->dtype || !is_conv_dtype(in->dtype)) {
        mx_set_error(MX_ERROR_TYPE, "%s: input (%s) and weight (%s) must share a floating dtype", op,
                     mx_dtype_name(in->dtype), mx_dtype_name(wt->dtype));
        return NULL;
    }
    int64_t shape[MX_CONV_MAX_SPATIAL + 2];
    if (!conv_out_shape(op, in, wt->shape, p, shape))
        return NULL;
    return mx_node_new(&mx_op_conv, p, (mx_node *[]){in, wt}, 2, shape, p->nspatial + 2, in->dtype);
}

mx_node *mx_node_conv_weight_grad(mx_node *in, mx_node *cot, const mx_conv_params *p, const int64_t *wshape) {
    const char *op = "conv_weight_grad";
    if (!check_primitive(op, in, wshape, p->nspatial + 2, p))
        return NULL;
    int64_t shape[MX_CONV_MAX_SPATIAL + 2];
    if (!conv_out_shape(op, in, wshape, p, shape))
        return NULL;
    if (!mx_shape_equal(shape, p->nspatial + 2, cot->shape, cot->ndim) || cot->dtype != in->dtype ||
        !is_conv_dtype(in->dtype)) {
        char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "%s: cotangent %s (%s) does not match the convolution's output %s (%s)", op,
                     mx_format_shape(cot->shape, cot->ndim, sa, sizeof sa), mx_dtype_name(cot->dtype),
                     mx_format_shape(shape, p->nspatial + 2, sb, sizeof sb), mx_dtype_name(in->dtype));
        return NULL;
    }
    return mx_node_new(&mx_op_conv_weight_grad, p, (mx_node *[]){in, cot}, 2, wshape, p->nspatial + 2, in->dtype);
}

/* ---- MLX's conv_general ------------------------------------------------------------------------------ */
/* A list of 0 (default), 1 (broadcast) or d values into out; false when its
 * length is anything else (error naming `what`). */
static bool expand_list(const char *op, const char *what, const int *v, int n, int d, int fallback, int *out) {
    if (n < 0 || (n > 1 && n != d) || (n > 0 && !v)) {
        char buf[160];
        mx_set_error(MX_ERROR_VALUE, "%s: invalid %s %s for %dD convolution", op, what,
                     v && n > 0 ? format_ints(v, n < 32 ? n : 32, buf, sizeof buf) : "(null)", d);
        return false;
    }
    for (int i = 0; i < d; i++)
        out[i] = n == 0 ? fallback : n == 1 ? v[0] : v[i];
    return true;
}

static bool check_positive(const char *op, const char *what, const int *v, int d) {
    for (int i = 0; i < d; i++) {
        if (v[i] < 1) {
            char buf[96];
            mx_set_error(MX_ERROR_VALUE, "%s: %s sizes must be positive. Got %s %s", op, what, what,
                         format_ints(v, d, buf, sizeof buf));
            return false;
        }
    }
    return true;
}

mx_node *mx_node_conv_general(const char *op, mx_node *in, mx_node *wt, const int *stride, int n_stride,
                              const int *padding_lo, int n_padding_lo, const int *padding_hi, int n_padding_hi,
                              const int *kernel_dilation, int n_kernel_dilation, const int *input_dilation,
                              int n_input_dilation, int groups, bool flip) {
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    int d = in->ndim - 2;
    if (groups != 1 && in->ndim != 3 && in->ndim != 4) {
        mx_set_error(MX_ERROR_VALUE, "%s: can only handle groups != 1 in 1D or 2D convolutions (input %s, %d groups)",
                     op, mx_format_shape(in->shape, in->ndim, sa, sizeof sa), groups);
        return NULL;
    }
    if (d < 1 || d > MX_CONV_MAX_SPATIAL) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: only works for inputs with 1-3 spatial dimensions; the input %s must be in the format "
                     "[N, ..., C_in]",
                     op, mx_format_shape(in->shape, in->ndim, sa, sizeof sa));
        return NULL;
    }
    if (!mx_dtype_is_float(in->dtype)) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: invalid input array with type %s (shape %s); convolution only supports floating point "
                     "types",
                     op, mx_dtype_name(in->dtype), mx_format_shape(in->shape, in->ndim, sa, sizeof sa));
        return NULL;
    }
    if (wt->ndim != d + 2) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: invalid weight array %s with %d dimensions for %dD convolution; expected %d dimensions "
                     "following the format [C_out, ..., C_in]",
                     op, mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb), wt->ndim, d, d + 2);
        return NULL;
    }
    int64_t cin = in->shape[d + 1], cout = wt->shape[0], wcin = wt->shape[d + 1];
    if (groups < 1) {
        mx_set_error(MX_ERROR_VALUE, "%s: groups must be positive, got %d (input %s, weight %s)", op, groups,
                     mx_format_shape(in->shape, in->ndim, sa, sizeof sa),
                     mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb));
        return NULL;
    }
    if (cin % groups != 0) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: the input channels must be divisible by the number of groups. Got input with shape %s and "
                     "%d groups",
                     op, mx_format_shape(in->shape, in->ndim, sa, sizeof sa), groups);
        return NULL;
    }
    if (groups > 1 && cout % groups != 0) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: if groups > 1, the output channels must be divisible by the number of groups. Got %lld "
                     "output channels (weight %s) and %d groups",
                     op, (long long)cout, mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb), groups);
        return NULL;
    }
    if (cin != groups * wcin) {
        if (groups == 1)
            mx_set_error(MX_ERROR_VALUE,
                         "%s: expect the input channels in the input and weight array to match but got shapes - "
                         "input: %s (%s) and weight: %s (%s)",
                         op, mx_format_shape(in->shape, in->ndim, sa, sizeof sa), mx_dtype_name(in->dtype),
                         mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb), mx_dtype_name(wt->dtype));
        else
            mx_set_error(MX_ERROR_VALUE,
                         "%s: given groups=%d and weights of shape %s, expected to have %lld input channels but got "
                         "%lld input channels instead (input %s)",
                         op, groups, mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb), (long long)(groups * wcin),
                         (long long)cin, mx_format_shape(in->shape, in->ndim, sa, sizeof sa));
        return NULL;
    }
    mx_conv_params p = {.nspatial = d, .groups = groups, .flip = flip};
    if (!expand_list(op, "strides", stride, n_stride, d, 1, p.stride) ||
        !expand_list(op, "padding (low)", padding_lo, n_padding_lo, d, 0, p.pad_lo) ||
        !expand_list(op, "padding (high)", padding_hi, n_padding_hi, d, 0, p.pad_hi) ||
        !expand_list(op, "kernel dilation", kernel_dilation, n_kernel_dilation, d, 1, p.kernel_dilation) ||
        !expand_list(op, "input dilation", input_dilation, n_input_dilation, d, 1, p.input_dilation))
        return NULL;
    if (!check_positive(op, "stride", p.stride, d) || !check_positive(op, "kernel dilation", p.kernel_dilation, d) ||
        !check_positive(op, "input dilation", p.input_dilation, d))
        return NULL;
    for (int i = 0; i < d; i++) {
        if (wt->shape[1 + i] < 1) {
            mx_set_error(MX_ERROR_VALUE,
                         "%s: the weight %s has an empty spatial dimension (cmlx requires kernels of "
                         "size >= 1; MLX fails on them)",
                         op, mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb));
            return NULL;
        }
    }
    mx_dtype dtype = mx_promote_types(in->dtype, wt->dtype);
    mx_node *x = mx_node_astype(in, dtype);
    mx_node *w = x ? mx_node_astype(wt, dtype) : NULL;
    if (!w) {
        mx_node_release(x);
        return NULL;
    }
    /* negative padding slices the (undilated) input, as MLX does */
    bool crop = false;
    int64_t start[MX_CONV_MAX_SPATIAL + 2] = {0}, stop[MX_CONV_MAX_SPATIAL + 2];
    for (int i = 0; i < d + 2; i++)
        stop[i] = x->shape[i];
    for (int i = 0; i < d; i++) {
        int64_t n = x->shape[1 + i];
        if (p.pad_lo[i] < 0) {
            start[1 + i] = -(int64_t)p.pad_lo[i] < n ? -(int64_t)p.pad_lo[i] : n;
            p.pad_lo[i] = 0;
            crop = true;
        }
        if (p.pad_hi[i] < 0) {
            int64_t e = n + p.pad_hi[i];
            stop[1 + i] = e > start[1 + i] ? e : start[1 + i];
            p.pad_hi[i] = 0;
            crop = true;
        }
    }
    if (crop) {
        mx_node *cropped = mx_node_slice(x, start, stop, NULL);
        mx_node_release(x);
        x = cropped;
    }
    mx_node *out = x ? mx_node_conv(op, x, w, &p) : NULL;
    mx_node_release(x);
    mx_node_release(w);
    return out;
}

mx_node *mx_node_conv_transpose(const char *op, mx_node *in, mx_node *wt, int nspatial, const int *stride,
                                const int *padding, const int *dilation, const int *output_padding, int groups) {
    /* MLX's conv_transpose_general: the input dilated by the stride, a flipped kernel */
    int lo[MX_CONV_MAX_SPATIAL], hi[MX_CONV_MAX_SPATIAL], ones[MX_CONV_MAX_SPATIAL];
    if (wt->ndim != nspatial + 2 || in->ndim != nspatial + 2) {
        /* let conv_general report the rank */
        return mx_node_conv_general(op, in, wt, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, groups, true);
    }
    for (int i = 0; i < nspatial; i++) {
        int64_t extent = 1 + (int64_t)dilation[i] * (wt->shape[1 + i] - 1);
        int64_t l = extent - padding[i] - 1;
        int64_t conv_out = (in->shape[1 + i] - 1) * stride[i] - 2 * (int64_t)padding[i] +
                           (int64_t)dilation[i] * (wt->shape[1 + i] - 1) + 1;
        int64_t out_size = 1 + (int64_t)stride[i] * (in->shape[1 + i] - 1);
        int64_t h = conv_out - out_size + padding[i] + output_padding[i];
        if (l < INT_MIN || l > INT_MAX || h < INT_MIN || h > INT_MAX) {
            char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "%s: the implied padding overflows for input %s and weight %s", op,
                         mx_format_shape(in->shape, in->ndim, sa, sizeof sa),
                         mx_format_shape(wt->shape, wt->ndim, sb, sizeof sb));
            return NULL;
        }
        lo[i] = (int)l;
        hi[i] = (int)h;
        ones[i] = 1;
    }
    return mx_node_conv_general(op, in, wt, ones, nspatial, lo, nspatial, hi, nspatial, dilation, nspatial, stride,
                                nspatial, groups, true);
}

/* ---- transform rules ------------------------------------------------------------------------------------ */
/* The weight (C_out, K..., C_in/G) with its channel roles swapped per group:
 * (G, C_out/G, K..., C_in/G) -> (G, C_in/G, K..., C_out/G) -> (C_in, K..., C_out/G). */
static mx_node *group_transpose_weight(mx_node *w, int groups) {
    int nd = w->ndim, d = nd - 2;
    int64_t split[MX_CONV_MAX_SPATIAL + 3], merged[MX_CONV_MAX_SPATIAL + 2];
    split[0] = groups;
    split[1] = w->shape[0] / groups;
    for (int i = 0; i < d; i++)
        split[2 + i] = w->shape[1 + i];
    split[d + 2] = w->shape[d + 1];
    int perm[MX_CONV_MAX_SPATIAL + 3];
    perm[0] = 0;
    perm[1] = d + 2;
    for (int i = 0; i < d; i++)
        perm[2 + i] = 2 + i;
    perm[d + 2] = 1;
    merged[0] = groups * w->shape[d + 1];
    for (int i = 0; i < d; i++)
        merged[1 + i] = w->shape[1 + i];
    merged[d + 1] = w->shape[0] / groups;
    mx_node *r = mx_node_reshape(w, split, d + 3);
    mx_node *t = r ? mx_node_transpose(r, perm) : NULL;
    mx_node *out = t ? mx_node_reshape(t, merged, d + 2) : NULL;
    mx_node_release(r);
    mx_node_release(t);
    return out;
}

/* d/dx <cot, conv(x, w; p)> for an input of shape xshape: a conv of the cotangent. */
static mx_node *conv_input_grad(const int64_t *xshape, mx_node *w, mx_node *cot, const mx_conv_params *p) {
    /* an empty input (negative padding is applied as a crop of it, which can leave nothing) or an
     * empty output: the gradient is zeros, and the gradient conv's padding would not be valid */
    int64_t x_size = 1;
    for (int i = 0; i < p->nspatial + 2; i++)
        x_size *= xshape[i];
    if (cot->size == 0 || x_size == 0)
        return mx_node_full(xshape, p->nspatial + 2, 0.0, cot->dtype);
    mx_conv_params q = {.nspatial = p->nspatial, .groups = p->groups, .flip = !p->flip};
    for (int i = 0; i < p->nspatial; i++) {
        int64_t extent = 1 + (int64_t)p->kernel_dilation[i] * (w->shape[1 + i] - 1);
        int64_t in_dilated = 1 + (int64_t)p->input_dilation[i] * (xshape[1 + i] - 1);
        int64_t out_dilated = 1 + (int64_t)p->stride[i] * (cot->shape[1 + i] - 1);
        int64_t lo = extent - 1 - p->pad_lo[i], hi = in_dilated - out_dilated + p->pad_lo[i];
        if (lo < INT_MIN || lo > INT_MAX || hi < INT_MIN || hi > INT_MAX) {
            mx_set_error(MX_ERROR_VALUE, "conv: the padding of the input gradient overflows");
            return NULL;
        }
        q.pad_lo[i] = (int)lo;
        q.pad_hi[i] = (int)hi;
        q.stride[i] = p->input_dilation[i];
        q.input_dilation[i] = p->stride[i];
        q.kernel_dilation[i] = p->kernel_dilation[i];
    }
    mx_node *wt = group_transpose_weight(w, p->groups);
    mx_node *g = wt ? mx_node_conv("conv (input gradient)", cot, wt, &q) : NULL;
    mx_node_release(wt);
    if (g && !mx_shape_equal(g->shape, g->ndim, xshape, p->nspatial + 2)) {
        mx_node_release(g);
        mx_set_error(MX_ERROR_INTERNAL, "conv: the input gradient has the wrong shape");
        return NULL;
    }
    return g;
}

static int conv_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_conv_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *w = node->inputs[1];
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    mx_node *cot = mx_node_astype(cotangent, node->dtype);
    if (!cot)
        return mx_last_status();
    for (int i = 0; i < nargs; i++) {
        grads_out[i] =
            argnums[i] == 0 ? conv_input_grad(x->shape, w, cot, p) : mx_node_conv_weight_grad(x, cot, p, w->shape);
        if (!grads_out[i]) {
            for (int j = 0; j < i; j++) {
                mx_node_release(grads_out[j]);
                grads_out[j] = NULL;
            }
            mx_node_release(cot);
            return mx_last_status();
        }
    }
    mx_node_release(cot);
    return MX_OK;
}

/* a + b where either may be NULL (zero); takes both references. */
static mx_node *sum_terms(mx_node *a, mx_node *b) {
    if (!a || !b)
        return a ? a : b;
    mx_node *s = mx_node_binary(&mx_op_add, a, b);
    mx_node_release(a);
    mx_node_release(b);
    return s;
}

static int conv_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_conv_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *w = node->inputs[1];
    mx_node *terms[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        if (!tangents[i])
            continue;
        mx_node *t = mx_node_astype(tangents[i], node->dtype);
        terms[i] = t ? mx_node_conv("conv (jvp)", i == 0 ? t : x, i == 0 ? w : t, p) : NULL;
        mx_node_release(t);
        if (!terms[i]) {
            mx_node_release(terms[0]);
            return mx_last_status();
        }
    }
    *tangent_out = NULL;
    if (!terms[0] && !terms[1])
        return MX_OK;
    *tangent_out = sum_terms(terms[0], terms[1]);
    return *tangent_out ? MX_OK : mx_last_status();
}

static int conv_weight_grad_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs,
                                mx_node **grads_out) {
    const mx_conv_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *cot = node->inputs[1];
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    mx_node *g = mx_node_astype(cotangent, node->dtype); /* shaped like the weight */
    if (!g)
        return mx_last_status();
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = argnums[i] == 0 ? conv_input_grad(x->shape, g, cot, p) : mx_node_conv("conv (vjp)", x, g, p);
        if (!grads_out[i]) {
            for (int j = 0; j < i; j++) {
                mx_node_release(grads_out[j]);
                grads_out[j] = NULL;
            }
            mx_node_release(g);
            return mx_last_status();
        }
    }
    mx_node_release(g);
    return MX_OK;
}

static int conv_weight_grad_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const mx_conv_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *cot = node->inputs[1];
    mx_node *terms[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        if (!tangents[i])
            continue;
        mx_node *t = mx_node_astype(tangents[i], node->dtype);
        terms[i] = t ? mx_node_conv_weight_grad(i == 0 ? t : x, i == 0 ? cot : t, p, node->shape) : NULL;
        mx_node_release(t);
        if (!terms[i]) {
            mx_node_release(terms[0]);
            return mx_last_status();
        }
    }
    *tangent_out = NULL;
    if (!terms[0] && !terms[1])
        return MX_OK;
    *tangent_out = sum_terms(terms[0], terms[1]);
    return *tangent_out ? MX_OK : mx_last_status();
}

/* ---- vmap ------------------------------------------------------------------------------------------------- */
/* x (B, N, S..., C) with its batch in front -> (N, S..., B * C): the batch
 * becomes the outer part of the channels (a transpose and a reshape). */
static mx_node *batch_into_channels(mx_node *x) {
    int nd = x->ndim, perm[MX_CONV_MAX_SPATIAL + 3];
    int64_t shape[MX_CONV_MAX_SPATIAL + 2];
    for (int i = 0; i < nd - 2; i++)
        perm[i] = i + 1;
    perm[nd - 2] = 0;
    perm[nd - 1] = nd - 1;
    for (int i = 0; i < nd - 2; i++)
        shape[i] = x->shape[i + 1];
    shape[nd - 2] = x->shape[0] * x->shape[nd - 1];
    mx_node *t = mx_node_transpose(x, perm);
    mx_node *r = t ? mx_node_reshape(t, shape, nd - 1) : NULL;
    mx_node_release(t);
    return r;
}

/* shape[0..n) with dim `at` split into (a, shape[at] / a). */
static mx_node *split_dim(mx_node *x, int at, int64_t a) {
    int64_t shape[MX_CONV_MAX_SPATIAL + 3];
    for (int i = 0, j = 0; i < x->ndim; i++) {
        if (i == at) {
            shape[j++] = a;
            shape[j++] = x->shape[i] / a;
        } else {
            shape[j++] = x->shape[i];
        }
    }
    return mx_node_reshape(x, shape, x->ndim + 1);
}

/* vmap of conv. Only the input batched: the batch joins N. The weight
 * batched: each example's weights become groups of one conv, input channels
 * (B * C_in, the input broadcast when it is not batched) and output channels
 * (B * C_out) ordered by example, then by the original groups. */
static int conv_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const mx_conv_params *p = mx_node_params(node);
    int d = p->nspatial;
    int64_t b = mx_vmap_batch_size(node, inputs, in_axes);
    *out = NULL;
    *out_axis = -1;
    if (in_axes[1] < 0) {
        mx_node *x = mx_vmap_move_axis(inputs[0], in_axes[0], 0);
        int64_t shape[MX_CONV_MAX_SPATIAL + 2];
        shape[0] = b * node->inputs[0]->shape[0];
        for (int i = 1; i < d + 2; i++)
            shape[i] = x ? x->shape[i + 1] : 0;
        mx_node *flat = x ? mx_node_reshape(x, shape, d + 2) : NULL;
        mx_node *y = flat ? mx_node_conv("conv (vmap)", flat, inputs[1], p) : NULL;
        *out = y ? split_dim(y, 0, b) : NULL;
        mx_node_release(x);
        mx_node_release(flat);
        mx_node_release(y);
        *out_axis = 0;
        return *out ? MX_OK : mx_last_status();
    }
    mx_node *x = mx_vmap_batch_at(inputs[0], in_axes[0], 0, b);
    mx_node *w = mx_vmap_batch_at(inputs[1], in_axes[1], 0, b);
    mx_node *xc = x ? batch_into_channels(x) : NULL;
    /* w (B, C_out, K..., C_in/G) -> (B * C_out, K..., C_in/G) */
    int64_t wshape[MX_CONV_MAX_SPATIAL + 2];
    wshape[0] = b * node->inputs[1]->shape[0];
    for (int i = 1; i < d + 2; i++)
        wshape[i] = node->inputs[1]->shape[i];
    mx_node *wf = w ? mx_node_reshape(w, wshape, d + 2) : NULL;
    mx_conv_params q = *p;
    bool fits = (int64_t)p->groups * b <= INT_MAX;
    q.groups = (int)(p->groups * b);
    if (!fits)
        mx_set_error(MX_ERROR_VALUE, "vmap of conv: %lld examples of %d groups exceed the group count's range",
                     (long long)b, p->groups);
    mx_node *y = xc && wf && fits ? mx_node_conv("conv (vmap)", xc, wf, &q) : NULL;
    /* (N, O..., B * C_out) -> (N, O..., B, C_out) */
    *out = y ? split_dim(y, d + 1, b) : NULL;
    *out_axis = d + 1;
    mx_node_release(x);
    mx_node_release(w);
    mx_node_release(xc);
    mx_node_release(wf);
    mx_node_release(y);
    return *out ? MX_OK : mx_last_status();
}

/* vmap of conv_weight_grad: both operands batched (broadcast if not), the
 * batch folded into the channels as groups; the result (B * C_out, K...,
 * C_in/G) split back into (B, C_out, ...). */
static int conv_weight_grad_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                                 int *out_axis) {
    const mx_conv_params *p = mx_node_params(node);
    int64_t b = mx_vmap_batch_size(node, inputs, in_axes);
    *out = NULL;
    *out_axis = 0;
    mx_node *x = mx_vmap_batch_at(inputs[0], in_axes[0], 0, b);
    mx_node *c = x ? mx_vmap_batch_at(inputs[1], in_axes[1], 0, b) : NULL;
    mx_node *xc = c ? batch_into_channels(x) : NULL;
    mx_node *cc = xc ? batch_into_channels(c) : NULL;
    mx_conv_params q = *p;
    bool fits = (int64_t)p->groups * b <= INT_MAX;
    q.groups = (int)(p->groups * b);
    if (!fits)
        mx_set_error(MX_ERROR_VALUE, "vmap of conv: %lld examples of %d groups exceed the group count's range",
                     (long long)b, p->groups);
    int64_t wshape[MX_CONV_MAX_SPATIAL + 2];
    for (int i = 0; i < node->ndim; i++)
        wshape[i] = node->shape[i];
    wshape[0] *= b;
    mx_node *dw = cc && fits ? mx_node_conv_weight_grad(xc, cc, &q, wshape) : NULL;
    *out = dw ? split_dim(dw, 0, b) : NULL;
    mx_node_release(x);
    mx_node_release(c);
    mx_node_release(xc);
    mx_node_release(cc);
    mx_node_release(dw);
    return *out ? MX_OK : mx_last_status();
}

/* ---- public functions ------------------------------------------------------------------------------------- */
static mx_array wrap_general(const char *op, mx_array input, mx_array weight, const int *stride, const int *padding,
                             const int *dilation, int d, int groups) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){input, weight}, 2, op, in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_conv_general(op, in[0], in[1], stride, stride ? d : 0, padding, padding ? d : 0,
                                               padding, padding ? d : 0, dilation, dilation ? d : 0, NULL, 0, groups,
                                               false));
}

mx_array mx_conv1d(mx_array input, mx_array weight, int stride, int padding, int dilation, int groups) {
    return wrap_general("conv1d", input, weight, &stride, &padding, &dilation, 1, groups);
}

mx_array mx_conv2d(mx_array input, mx_array weight, const int *stride, const int *padding, const int *dilation,
                   int groups) {
    return wrap_general("conv2d", input, weight, stride, padding, dilation, 2, groups);
}

mx_array mx_conv3d(mx_array input, mx_array weight, const int *stride, const int *padding, const int *dilation,
                   int groups) {
    return wrap_general("conv3d", input, weight, stride, padding, dilation, 3, groups);
}

mx_array mx_conv_general(mx_array input, mx_array weight, const int *stride, int n_stride, const int *padding_lo,
                         int n_padding_lo, const int *padding_hi, int n_padding_hi, const int *kernel_dilation,
                         int n_kernel_dilation, const int *input_dilation, int n_input_dilation, int groups,
                         bool flip) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){input, weight}, 2, "conv_general", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_conv_general("conv_general", in[0], in[1], stride, n_stride, padding_lo, n_padding_lo,
                                               padding_hi, n_padding_hi, kernel_dilation, n_kernel_dilation,
                                               input_dilation, n_input_dilation, groups, flip));
}

static mx_array wrap_transpose(const char *op, mx_array input, mx_array weight, int d, const int *stride,
                               const int *padding, const int *dilation, const int *output_padding, int groups) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){input, weight}, 2, op, in))
        return mx_handle_wrap(NULL);
    int s[MX_CONV_MAX_SPATIAL], pd[MX_CONV_MAX_SPATIAL], dl[MX_CONV_MAX_SPATIAL], op_[MX_CONV_MAX_SPATIAL];
    for (int i = 0; i < d; i++) {
        s[i] = stride ? stride[i] : 1;
        pd[i] = padding ? padding[i] : 0;
        dl[i] = dilation ? dilation[i] : 1;
        op_[i] = output_padding ? output_padding[i] : 0;
    }
    return mx_handle_wrap(mx_node_conv_transpose(op, in[0], in[1], d, s, pd, dl, op_, groups));
}

mx_array mx_conv_transpose1d(mx_array input, mx_array weight, int stride, int padding, int dilation, int output_padding,
                             int groups) {
    return wrap_transpose("conv_transpose1d", input, weight, 1, &stride, &padding, &dilation, &output_padding, groups);
}

mx_array mx_conv_transpose2d(mx_array input, mx_array weight, const int *stride, const int *padding,
                             const int *dilation, const int *output_padding, int groups) {
    return wrap_transpose("conv_transpose2d", input, weight, 2, stride, padding, dilation, output_padding, groups);
}

mx_array mx_conv_transpose3d(mx_array input, mx_array weight, const int *stride, const int *padding,
                             const int *dilation, const int *output_padding, int groups) {
    return wrap_transpose("conv_transpose3d", input, weight, 3, stride, padding, dilation, output_padding, groups);
}

/* NumPy's convolve as MLX composes it: the longer array is the input, the
 * shorter the kernel (reversed), a 1-channel conv1d; "same" with an even
 * kernel pads K/2 in front and K/2 - 1 behind. */
static mx_node *convolve_node(mx_node *a, mx_node *v, const char *mode) {
    const char *op = "convolve";
    char sa[MX_SHAPE_STR_CAP], sb[MX_SHAPE_STR_CAP];
    if (a->ndim != 1 || v->ndim != 1) {
        mx_set_error(MX_ERROR_VALUE, "%s: inputs must be 1D, got shapes %s and %s", op,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                     mx_format_shape(v->shape, v->ndim, sb, sizeof sb));
        return NULL;
    }
    if (a->size == 0 || v->size == 0) {
        mx_set_error(MX_ERROR_VALUE, "%s: inputs cannot be empty, got shapes %s and %s", op,
                     mx_format_shape(a->shape, a->ndim, sa, sizeof sa),
                     mx_format_shape(v->shape, v->ndim, sb, sizeof sb));
        return NULL;
    }
    if (!mode)
        mode = "full";
    bool full = strcmp(mode, "full") == 0, valid = strcmp(mode, "valid") == 0, same = strcmp(mode, "same") == 0;
    mx_node *longer = a->size < v->size ? v : a, *shorter = a->size < v->size ? a : v;
    int64_t k = shorter->size;
    if (k > INT_MAX) {
        mx_set_error(MX_ERROR_VALUE, "%s: the kernel of %lld elements is too long", op, (long long)k);
        return NULL;
    }
    int lo = 0, hi = 0;
    if (full) {
        lo = hi = (int)(k - 1);
    } else if (same) {
        lo = (int)(k / 2);
        hi = k % 2 ? lo : (lo - 1 > 0 ? lo - 1 : 0);
    } else if (!valid) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid mode '%s' (expected 'full', 'same' or 'valid')", op, mode);
        return NULL;
    }
    int64_t in_shape[3] = {1, longer->size, 1}, w_shape[3] = {1, k, 1};
    int64_t start = k - 1, stop = -k - 1, step = -1;
    mx_node *rev = mx_node_slice(shorter, &start, &stop, &step);
    mx_node *w = rev ? mx_node_reshape(rev, w_shape, 3) : NULL;
    mx_node *x = w ? mx_node_reshape(longer, in_shape, 3) : NULL;
    mx_node *y = x ? mx_node_conv_general(op, x, w, NULL, 0, &lo, 1, &hi, 1, NULL, 0, NULL, 0, 1, false) : NULL;
    mx_node *out = NULL;
    if (y) {
        int64_t flat = y->size;
        out = mx_node_reshape(y, &flat, 1);
    }
    mx_node_release(rev);
    mx_node_release(w);
    mx_node_release(x);
    mx_node_release(y);
    return out;
}

mx_array mx_convolve(mx_array a, mx_array v, const char *mode) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, v}, 2, "convolve", in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(convolve_node(in[0], in[1], mode));
}
