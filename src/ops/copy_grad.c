/* ops/copy_grad.c - VJP and JVP rules of astype, copy and stop_gradient.
 * Also usable by any op that is the identity on values (a view or a copy
 * whose output equals its single input). */
#include "ops/elementwise_grad.h"
#include "ops/ops.h"

/* astype: the cotangent cast back to the input's dtype (MLX: the gradient of
 * an integer input through a float op is the float gradient cast back). */
int mx_astype_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int k = 0; k < nargs; k++)
        grads_out[k] = NULL;
    if (nargs == 0)
        return MX_OK;
    grads_out[0] = mx_node_astype(cotangent, node->inputs[0]->dtype);
    return grads_out[0] ? MX_OK : mx_last_status();
}

int mx_astype_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = NULL;
    if (!tangents[0])
        return MX_OK;
    *tangent_out = mx_node_astype(tangents[0], node->dtype);
    return *tangent_out ? MX_OK : mx_last_status();
}

int mx_identity_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int k = 0; k < nargs; k++)
        grads_out[k] = NULL;
    if (nargs == 0)
        return MX_OK;
    mx_node_retain(cotangent);
    grads_out[0] = cotangent;
    return MX_OK;
}

int mx_identity_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = tangents[0];
    if (tangents[0])
        mx_node_retain(tangents[0]);
    return MX_OK;
}

int mx_zero_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int k = 0; k < nargs; k++)
        grads_out[k] = NULL;
    return MX_OK;
}

int mx_zero_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = NULL;
    return MX_OK;
}
