/* cmlx/conv.h - Convolutions: conv1d/2d/3d, conv_general, conv_transpose1d/2d/3d, convolve (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input.
 *
 * Layouts are MLX's, channels last:
 *   input  (N, spatial..., C_in)
 *   weight (C_out, kernel spatial..., C_in / groups)
 *   output (N, out spatial..., C_out)
 * The input must have a floating dtype (float16, bfloat16, float32, float64);
 * the weight is promoted with it (MLX's rule: a float32 input and a float16
 * weight give float32, an integer weight takes the input's dtype). MLX only
 * accepts groups != 1 for 1-D and 2-D convolutions; so does cmlx.
 *
 * Each spatial dim of length L gives an output of length
 *   floor(((L - 1) * input_dilation + 1 + pad_lo + pad_hi - ((K - 1) * dilation + 1)) / stride) + 1,
 * an error when the padded input is shorter than the dilated kernel. Negative
 * padding crops the input first (as MLX). Array parameters of the 2-D and 3-D
 * functions hold 2 or 3 values, one per spatial dim, or are NULL for the
 * default (1 for strides and dilations, 0 for paddings). */
#ifndef CMLX_CONV_H
#define CMLX_CONV_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1-D convolution (cross-correlation, no kernel flip): input (N, L, C_in),
 * weight (C_out, K, C_in / groups) -> (N, L_out, C_out). */
MX_API mx_array mx_conv1d(mx_array input, mx_array weight, int stride, int padding, int dilation, int groups);
/* 2-D: input (N, H, W, C_in), weight (C_out, KH, KW, C_in / groups); stride,
 * padding (symmetric), dilation: 2 values each or NULL. */
MX_API mx_array mx_conv2d(mx_array input, mx_array weight, const int *stride, const int *padding, const int *dilation,
                          int groups);
/* 3-D: input (N, D, H, W, C_in), weight (C_out, KD, KH, KW, C_in); 3 values
 * each or NULL; groups must be 1 (as MLX). */
MX_API mx_array mx_conv3d(mx_array input, mx_array weight, const int *stride, const int *padding, const int *dilation,
                          int groups);

/* The general convolution of 1 to 3 spatial dims (MLX's conv_general): each
 * list has 0 entries (the default), 1 (used for every spatial dim) or one per
 * spatial dim. padding_lo/padding_hi pad before/after each spatial dim;
 * input_dilation inserts input_dilation - 1 zeros between input elements;
 * flip reverses the kernel along its spatial dims (a true convolution). */
MX_API mx_array mx_conv_general(mx_array input, mx_array weight, const int *stride, int n_stride, const int *padding_lo,
                                int n_padding_lo, const int *padding_hi, int n_padding_hi, const int *kernel_dilation,
                                int n_kernel_dilation, const int *input_dilation, int n_input_dilation, int groups,
                                bool flip);

/* Transposed convolutions (the gradient of conv with respect to its input):
 * input (N, L..., C_in), weight (C_out, K..., C_in / groups) -> (N, L_out...,
 * C_out) with L_out = (L - 1) * stride - 2 * padding + dilation * (K - 1) +
 * output_padding + 1. Computed as MLX does: conv_general with input_dilation
 * = stride, padding (dilation * (K - 1) - padding, that + output_padding),
 * the kernel flipped. */
MX_API mx_array mx_conv_transpose1d(mx_array input, mx_array weight, int stride, int padding, int dilation,
                                    int output_padding, int groups);
MX_API mx_array mx_conv_transpose2d(mx_array input, mx_array weight, const int *stride, const int *padding,
                                    const int *dilation, const int *output_padding, int groups);
MX_API mx_array mx_conv_transpose3d(mx_array input, mx_array weight, const int *stride, const int *padding,
                                    const int *dilation, const int *output_padding, int groups);

/* NumPy's convolve of two non-empty 1-D arrays: mode "full" (length M + N - 1;
 * NULL means "full"), "same" (max(M, N)) or "valid" (max(M, N) - min(M, N) +
 * 1). The shorter array is the (flipped) kernel; the longer one must be
 * floating. */
MX_API mx_array mx_convolve(mx_array a, mx_array v, const char *mode);

#ifdef __cplusplus
}
#endif

#endif
