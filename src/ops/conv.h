/* ops/conv.h - the convolution primitives, their parameters and node-level
 * constructors (docs/conv.md).
 *
 * Layouts are MLX's, channels last:
 *   input  (N, S_1..S_d, C_in)
 *   weight (C_out, K_1..K_d, C_in / groups)
 *   output (N, O_1..O_d, C_out)
 * with d = 1..3 spatial dims. Along spatial dim j the input is dilated
 * (input_dilation - 1 zeros between elements), padded with pad_lo zeros in
 * front and pad_hi behind, and correlated with the kernel dilated by
 * kernel_dilation at step stride:
 *   out[n, o, co] = sum_{k, ci} x_dp[n, o * stride + k * kernel_dilation, g * C_in/groups + ci]
 *                                * w'[co, k, ci],        g = co / (C_out / groups)
 * where x_dp is the dilated, padded input and w' the weight, reversed along
 * every spatial dim when flip is set. The primitive accepts negative padding
 * (the dilated input is then cropped); the public functions follow MLX and
 * slice the input instead (see mx_node_conv_general). */
#ifndef CMLX_OPS_CONV_H
#define CMLX_OPS_CONV_H

#include "ops/ops.h"

#define MX_CONV_MAX_SPATIAL 3

typedef struct mx_conv_params {
    int nspatial; /* d: 1, 2 or 3 */
    int stride[MX_CONV_MAX_SPATIAL];
    int pad_lo[MX_CONV_MAX_SPATIAL];
    int pad_hi[MX_CONV_MAX_SPATIAL];
    int kernel_dilation[MX_CONV_MAX_SPATIAL];
    int input_dilation[MX_CONV_MAX_SPATIAL];
    int groups;
    bool flip;
} mx_conv_params;

/* The length of a spatial output dim: floor((dilated + lo + hi - extent) /
 * stride) + 1 with dilated = (in - 1) * input_dilation + 1 and extent =
 * (k - 1) * kernel_dilation + 1 (MLX's formula, also for in = 0), the
 * division truncating toward zero as in C. Returns -1 when the quotient is
 * negative (the padded input is shorter than the extent by a stride or more). */
int64_t mx_conv_out_len(int64_t in, int64_t k, int stride, int pad_lo, int pad_hi, int kernel_dilation,
                        int input_dilation);

/* The primitive: `in` and `wt` of one floating (or complex64) dtype, ranks
 * d + 2, channels consistent with p->groups, strides and dilations >= 1.
 * Validates and returns the conv node (NULL with the error set, naming `op`). */
mx_node *mx_node_conv(const char *op, mx_node *in, mx_node *wt, const mx_conv_params *p);

/* The gradient of the conv primitive with respect to its weight: for the
 * forward conv(in, w, p) with output cotangent `cot` (N, O..., C_out), a node
 * of the weight's shape `wshape` (C_out, K..., C_in / groups) holding
 * sum_{n, o} cot[n, o, co] * x_dp[n, o * stride + k * kernel_dilation, ...]
 * (reversed along k when p->flip). in and cot share a dtype. */
mx_node *mx_node_conv_weight_grad(mx_node *in, mx_node *cot, const mx_conv_params *p, const int64_t *wshape);

/* MLX's conv_general: argument checks and messages, type promotion (the
 * input must be floating; the weight is promoted with it), lists of length 0
 * (default) or 1 (the same value for every spatial dim) broadcast, negative
 * padding slices the input. `op` names the caller in messages ("conv2d"). */
mx_node *mx_node_conv_general(const char *op, mx_node *in, mx_node *wt, const int *stride, int n_stride,
                              const int *padding_lo, int n_padding_lo, const int *padding_hi, int n_padding_hi,
                              const int *kernel_dilation, int n_kernel_dilation, const int *input_dilation,
                              int n_input_dilation, int groups, bool flip);

/* MLX's conv_transpose{1,2,3}d: d = nspatial values in each list. */
mx_node *mx_node_conv_transpose(const char *op, mx_node *in, mx_node *wt, int nspatial, const int *stride,
                                const int *padding, const int *dilation, const int *output_padding, int groups);

#endif
