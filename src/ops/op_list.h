/* ops/op_list.h - every primitive op, once. The position in this list is
 * the op's id: the index backends use for their kernel tables. Append new
 * ops anywhere (ids are internal and not part of the ABI); each name here
 * has an `mx_op_<name>` definition in the file of its family. */
#ifndef CMLX_OPS_OP_LIST_H
#define CMLX_OPS_OP_LIST_H

#define MX_OP_LIST(X)                                                                              \
    /* creation (creation.c) */                                                                    \
    X(full) X(arange) X(linspace) X(eye)                                                           \
    /* casts and copies (copy.c) */                                                                \
    X(astype) X(copy) X(stop_gradient)                                                             \
    /* unary element-wise (unary.c) */                                                             \
    X(abs) X(negative) X(sign) X(sqrt) X(rsqrt) X(square) X(reciprocal) X(exp) X(expm1) X(log)     \
    X(log1p) X(log2) X(log10) X(sin) X(cos) X(tan) X(arcsin) X(arccos) X(arctan) X(sinh) X(cosh)   \
    X(tanh) X(arcsinh) X(arccosh) X(arctanh) X(sigmoid) X(erf) X(erfinv) X(floor) X(ceil) X(round) \
    X(logical_not) X(bitwise_invert) X(isnan) X(isinf) X(isfinite) X(degrees) X(radians)           \
    /* binary element-wise (binary.c) */                                                           \
    X(add) X(subtract) X(multiply) X(divide) X(floor_divide) X(remainder) X(power) X(maximum)      \
    X(minimum) X(logaddexp) X(arctan2) X(equal) X(not_equal) X(greater) X(greater_equal) X(less)   \
    X(less_equal) X(logical_and) X(logical_or) X(bitwise_and) X(bitwise_or) X(bitwise_xor)         \
    X(left_shift) X(right_shift)                                                                   \
    /* ternary (binary.c) */                                                                       \
    X(where)                                                                                       \
    /* reductions (reduce.c) */                                                                    \
    X(sum) X(prod) X(max) X(min) X(all) X(any) X(argmax) X(argmin) X(logsumexp) X(softmax)         \
    X(mean) X(var) X(std)                                                                          \
    /* linear algebra (matmul.c) */                                                                \
    X(matmul)                                                                                      \
    /* shape and views (shape.c) */                                                                \
    X(reshape) X(transpose) X(broadcast_to) X(slice) X(concatenate)                                \
    /* indexing (indexing.c) */                                                                    \
    X(take) X(take_along_axis)                                                                     \
    /* transforms: the identity view a transform wraps each primal in (src/transforms/trace.c) */  \
    X(trace_input)                                                                                 \
    /* random (random.c) */                                                                        \
    X(random_bits) X(random_uniform) X(random_normal)                                              \
    /* ==== transforms: custom functions and checkpoints (src/transforms/custom.c) */ \
    X(custom_function) X(depends) \
    /* ---- end of transforms */ \
    /* ==== indexing: slice_update, gather, scatter (scatter.c) */ \
    X(gather) X(scatter) X(slice_update) X(dynamic_slice) X(dynamic_slice_update) X(scatter_axis) \
    X(masked_scatter) X(masked_select) \
    /* ---- end of indexing */ \
    /* ==== scans (scan.c) */ \
    X(cumsum) X(cumprod) X(cummax) X(cummin) X(logcumsumexp) \
    /* ---- end of scans */ \
    /* ==== sorting and searching (sort.c) */ \
    X(sort) X(argsort) X(partition) X(argpartition) X(searchsorted) \
    /* ---- end of sorting and searching */ \
    /* ==== convolution (conv.c) */ \
    X(conv)                          \
    X(conv_weight_grad)              \
    /* ---- end of convolution */ \
    /* ==== fused kernels of mx.fast (fast.c) */ \
    X(rms_norm) X(layer_norm) X(rope) X(scaled_dot_product_attention) \
    X(scaled_dot_product_attention_vjp) \
    X(rms_norm_vjp) X(layer_norm_vjp) \
    /* ---- end of fused kernels of mx.fast */ \
    /* ==== linear algebra (linalg.c) */ \
    X(inv) X(tri_inv) X(cholesky) X(solve) \
    X(lu_factor) X(lu) X(qr) X(svd) X(eigh) X(eig) X(slogdet) \
    /* ---- end of linear algebra */ \
    /* ==== fft (fft.c) */ \
    X(fft) \
    /* ---- end of fft */ \
    /* ==== quantization and gathered matmuls (quantize.c) */ \
    X(affine_quantize_stats) X(affine_pack) X(dequantize) X(quantized_matmul) X(gather_qmm) X(gather_mm) \
    X(hadamard_transform) \
    /* ---- end of quantization and gathered matmuls */ \
    /* ==== composites that need a kernel of their own (composite.c) */ \
    X(diagonal) X(pad) X(as_strided) X(as_strided_grad) X(view) X(real) X(imag) X(conjugate) X(sqrtm) \
    /* ---- end of composites that need a kernel of their own */ \
    /* ==== more random (random.c) */ \
    /* ---- end of more random */ \
    /* ==== io: the lazy load of an array from a file (src/io/source.c) */ \
    X(load) \
    /* ---- end of io */ \
    /* ==== fused matmul epilogue for the GPU (addmm.c) */ \
    X(addmm) \
    /* ---- end of fused matmul epilogue for the GPU */ \
    /* (end of the list) */

enum {
#define MX_OP_ENUM(name) MX_OP_##name,
    MX_OP_LIST(MX_OP_ENUM)
#undef MX_OP_ENUM
        MX_OP_COUNT
};

#endif
