/* ops/copy.c - astype, copy, contiguous, stop_gradient. */
#include "cmlx/ops.h"
#include "ops/elementwise_grad.h"
#include "ops/ops.h"

const mx_op_def mx_op_astype = {
    .name = "astype", .id = MX_OP_astype, .family = MX_FAMILY_CAST, .vjp = mx_astype_vjp, .jvp = mx_astype_jvp};
const mx_op_def mx_op_copy = {
    .name = "copy", .id = MX_OP_copy, .family = MX_FAMILY_CAST, .vjp = mx_identity_vjp, .jvp = mx_identity_jvp};
const mx_op_def mx_op_stop_gradient = {.name = "stop_gradient",
                                       .id = MX_OP_stop_gradient,
                                       .family = MX_FAMILY_CAST,
                                       .vjp = mx_zero_vjp,
                                       .jvp = mx_zero_jvp};

mx_node *mx_node_astype(mx_node *a, mx_dtype dtype) {
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "astype: invalid dtype %d", (int)dtype);
        return NULL;
    }
    if (a->dtype == dtype) {
        mx_node_retain(a);
        return a;
    }
    return mx_node_new(&mx_op_astype, NULL, &a, 1, a->shape, a->ndim, dtype);
}

mx_array mx_astype(mx_array a, mx_dtype dtype) {
    mx_node *n = mx_handle_get(a, "astype");
    return mx_handle_wrap(n ? mx_node_astype(n, dtype) : NULL);
}

static mx_array same_op(const mx_op_def *op, mx_array a) {
    mx_node *n = mx_handle_get(a, op->name);
    return mx_handle_wrap(n ? mx_node_new(op, NULL, &n, 1, n->shape, n->ndim, n->dtype) : NULL);
}

mx_array mx_copy(mx_array a) { return same_op(&mx_op_copy, a); }
mx_array mx_contiguous(mx_array a) { return same_op(&mx_op_copy, a); }
mx_array mx_stop_gradient(mx_array a) { return same_op(&mx_op_stop_gradient, a); }
