/* ops/elementwise_grad.h - the VJP and JVP rules of the element-wise ops
 * (unary.c, binary.c with where, copy.c), attached in their op table rows.
 * Formulas and edge cases are MLX 0.32's (docs/autograd.md has the table);
 * signatures and conventions are in core/node.h above mx_op_def. */
#ifndef CMLX_OPS_ELEMENTWISE_GRAD_H
#define CMLX_OPS_ELEMENTWISE_GRAD_H

#include "core/node.h"

/* One rule per family: it switches on node->op->id. Ops whose derivative is
 * zero almost everywhere (floor, sign, comparisons, ...) give NULL ("zero"). */
int mx_unary_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
int mx_unary_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
int mx_binary_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
int mx_binary_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
int mx_where_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
int mx_where_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);

/* astype: the cotangent cast back to the input's dtype; copy: identity;
 * stop_gradient: zero. */
int mx_astype_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
int mx_astype_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
int mx_identity_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
int mx_identity_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
int mx_zero_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
int mx_zero_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);

#endif
