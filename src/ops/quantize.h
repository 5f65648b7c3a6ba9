/* ops/quantize.h - params of the quantize family (src/ops/quantize.c). */
#ifndef CMLX_OPS_QUANTIZE_H
#define CMLX_OPS_QUANTIZE_H

#include "ops/ops.h"

/* affine_quantize_stats, affine_pack, dequantize, quantized_matmul,
 * gather_qmm: the affine layout's parameters. has_lhs/has_rhs (gather_qmm,
 * gather_mm): whether index inputs follow the operands. */
typedef struct mx_quant_params {
    int group_size, bits;
    bool transpose;
    bool has_lhs, has_rhs;
} mx_quant_params;

typedef struct mx_hadamard_params {
    float scale;
} mx_hadamard_params;

/* The node-level constructors (borrowed inputs, a new node or NULL with the
 * error set); biases and index nodes may be NULL where the public API allows. */
mx_node *mx_node_quantized_matmul(mx_node *x, mx_node *w, mx_node *scales, mx_node *biases, bool transpose,
                                  int group_size, int bits);
mx_node *mx_node_dequantize(mx_node *w, mx_node *scales, mx_node *biases, int group_size, int bits, mx_dtype dtype);
mx_node *mx_node_gather_mm(mx_node *a, mx_node *b, mx_node *lhs, mx_node *rhs);
mx_node *mx_node_hadamard_transform(mx_node *a, float scale);

#endif
