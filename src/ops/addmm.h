/* ops/addmm.h - the fused addmm primitive: out = alpha * (a @ b) + beta * c in
 * one kernel (the GPU's cuBLASLt epilogue), docs/cuda.md "## conv" (matmul
 * bias epilogue).
 *
 * mx_addmm (composite_linalg.c) is a composition (matmul, multiply, add) as
 * in MLX's CPU semantics; it builds this node instead only where the fusion
 * is exact to implement and pays off: the node runs on the GPU (the default
 * device is the GPU and its backend has the kernel), no transform is tracing
 * (the node has no transform rules: under grad/vjp/jvp/vmap the composition
 * is used, whose rules exist), a (M, K) and b (K, N) are matrices, and c is
 * (N,), (1, N) or (M, N), all of the result's float dtype. */
#ifndef CMLX_OPS_ADDMM_H
#define CMLX_OPS_ADDMM_H

#include "ops/ops.h"

typedef struct mx_addmm_params {
    double alpha, beta; /* as float32 values (MLX takes them as floats) */
} mx_addmm_params;

extern const mx_op_def mx_op_addmm;

/* The fused node for c, a, b (already promoted to `dtype`), or NULL without
 * an error when the fusion does not apply (the caller then composes). */
mx_node *mx_node_addmm_fused(mx_node *c, mx_node *a, mx_node *b, double alpha, double beta, mx_dtype dtype);

#endif
