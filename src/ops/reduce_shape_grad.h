/* ops/reduce_shape_grad.h - the VJP and JVP rules of the reductions and
 * softmax (reduce_grad.c), matmul (matmul_grad.c), the shape ops
 * (shape_grad.c) and the random ops (random_grad.c), attached to their op
 * rows. Conventions: core/node.h above mx_op_def; the rules and how they
 * follow MLX: docs/autograd.md. */
#ifndef CMLX_OPS_REDUCE_SHAPE_GRAD_H
#define CMLX_OPS_REDUCE_SHAPE_GRAD_H

#include "core/node.h"

#define MX_DECLARE_GRAD_RULES(name)                                                                                    \
    int mx_##name##_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);  \
    int mx_##name##_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);

/* reduce_grad.c. minmax serves max and min, var serves var and std, and
 * nograd the ops whose output carries no gradient (argmax, argmin, all,
 * any): their rules give "zero". */
MX_DECLARE_GRAD_RULES(sum)
MX_DECLARE_GRAD_RULES(prod)
MX_DECLARE_GRAD_RULES(minmax)
MX_DECLARE_GRAD_RULES(mean)
MX_DECLARE_GRAD_RULES(var)
MX_DECLARE_GRAD_RULES(logsumexp)
MX_DECLARE_GRAD_RULES(softmax)
MX_DECLARE_GRAD_RULES(nograd)
/* matmul_grad.c */
MX_DECLARE_GRAD_RULES(matmul)
/* shape_grad.c */
MX_DECLARE_GRAD_RULES(reshape)
MX_DECLARE_GRAD_RULES(transpose)
MX_DECLARE_GRAD_RULES(broadcast_to)
MX_DECLARE_GRAD_RULES(slice)
MX_DECLARE_GRAD_RULES(concatenate)
/* random_grad.c: uniform is differentiable in low and high (as MLX's
 * composite); no random op is in its key (random_key_* raise, as MLX). */
MX_DECLARE_GRAD_RULES(random_uniform)
MX_DECLARE_GRAD_RULES(random_key)

#undef MX_DECLARE_GRAD_RULES

#endif
