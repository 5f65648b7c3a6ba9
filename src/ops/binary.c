/* binary.c - op definitions (rows of the op table). */
#include "ops/ops.h"

const mx_op_def mx_op_add = {.name = "add", .id = MX_OP_add, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_subtract = {.name = "subtract", .id = MX_OP_subtract, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_multiply = {.name = "multiply", .id = MX_OP_multiply, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_divide = {.name = "divide", .id = MX_OP_divide, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_floor_divide = {.name = "floor_divide", .id = MX_OP_floor_divide, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_remainder = {.name = "remainder", .id = MX_OP_remainder, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_power = {.name = "power", .id = MX_OP_power, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_maximum = {.name = "maximum", .id = MX_OP_maximum, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_minimum = {.name = "minimum", .id = MX_OP_minimum, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_logaddexp = {.name = "logaddexp", .id = MX_OP_logaddexp, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_arctan2 = {.name = "arctan2", .id = MX_OP_arctan2, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_equal = {.name = "equal", .id = MX_OP_equal, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_not_equal = {.name = "not_equal", .id = MX_OP_not_equal, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_greater = {.name = "greater", .id = MX_OP_greater, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_greater_equal = {.name = "greater_equal", .id = MX_OP_greater_equal, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_less = {.name = "less", .id = MX_OP_less, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_less_equal = {.name = "less_equal", .id = MX_OP_less_equal, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_logical_and = {.name = "logical_and", .id = MX_OP_logical_and, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_logical_or = {.name = "logical_or", .id = MX_OP_logical_or, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_bitwise_and = {.name = "bitwise_and", .id = MX_OP_bitwise_and, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_bitwise_or = {.name = "bitwise_or", .id = MX_OP_bitwise_or, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_bitwise_xor = {.name = "bitwise_xor", .id = MX_OP_bitwise_xor, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_left_shift = {.name = "left_shift", .id = MX_OP_left_shift, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_right_shift = {.name = "right_shift", .id = MX_OP_right_shift, .family = MX_FAMILY_BINARY};
const mx_op_def mx_op_where = {.name = "where", .id = MX_OP_where, .family = MX_FAMILY_BINARY};

mx_array mx_wrap_binary(const mx_op_def *op, mx_array a, mx_array b) {
    mx_node *in[2];
    if (!mx_handles_get((mx_array[]){a, b}, 2, op->name, in))
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_binary(op, in[0], in[1]));
}

mx_node *mx_node_binary(const mx_op_def *op, mx_node *a, mx_node *b) {
    mx_set_error(MX_ERROR_UNSUPPORTED, "%s: not available yet", op->name);
    (void)a; (void)b;
    return NULL;
}
