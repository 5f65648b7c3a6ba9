/* unary.c - op definitions (rows of the op table). */
#include "ops/ops.h"

const mx_op_def mx_op_abs = {.name = "abs", .id = MX_OP_abs, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_negative = {.name = "negative", .id = MX_OP_negative, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_sign = {.name = "sign", .id = MX_OP_sign, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_sqrt = {.name = "sqrt", .id = MX_OP_sqrt, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_rsqrt = {.name = "rsqrt", .id = MX_OP_rsqrt, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_square = {.name = "square", .id = MX_OP_square, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_reciprocal = {.name = "reciprocal", .id = MX_OP_reciprocal, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_exp = {.name = "exp", .id = MX_OP_exp, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_expm1 = {.name = "expm1", .id = MX_OP_expm1, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_log = {.name = "log", .id = MX_OP_log, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_log1p = {.name = "log1p", .id = MX_OP_log1p, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_log2 = {.name = "log2", .id = MX_OP_log2, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_log10 = {.name = "log10", .id = MX_OP_log10, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_sin = {.name = "sin", .id = MX_OP_sin, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_cos = {.name = "cos", .id = MX_OP_cos, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_tan = {.name = "tan", .id = MX_OP_tan, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_arcsin = {.name = "arcsin", .id = MX_OP_arcsin, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_arccos = {.name = "arccos", .id = MX_OP_arccos, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_arctan = {.name = "arctan", .id = MX_OP_arctan, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_sinh = {.name = "sinh", .id = MX_OP_sinh, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_cosh = {.name = "cosh", .id = MX_OP_cosh, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_tanh = {.name = "tanh", .id = MX_OP_tanh, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_arcsinh = {.name = "arcsinh", .id = MX_OP_arcsinh, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_arccosh = {.name = "arccosh", .id = MX_OP_arccosh, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_arctanh = {.name = "arctanh", .id = MX_OP_arctanh, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_sigmoid = {.name = "sigmoid", .id = MX_OP_sigmoid, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_erf = {.name = "erf", .id = MX_OP_erf, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_erfinv = {.name = "erfinv", .id = MX_OP_erfinv, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_floor = {.name = "floor", .id = MX_OP_floor, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_ceil = {.name = "ceil", .id = MX_OP_ceil, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_round = {.name = "round", .id = MX_OP_round, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_logical_not = {.name = "logical_not", .id = MX_OP_logical_not, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_bitwise_invert = {.name = "bitwise_invert", .id = MX_OP_bitwise_invert, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_isnan = {.name = "isnan", .id = MX_OP_isnan, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_isinf = {.name = "isinf", .id = MX_OP_isinf, .family = MX_FAMILY_UNARY};
const mx_op_def mx_op_isfinite = {.name = "isfinite", .id = MX_OP_isfinite, .family = MX_FAMILY_UNARY};

mx_array mx_wrap_unary(const mx_op_def *op, mx_array a) {
    mx_node *n = mx_handle_get(a, op->name);
    return mx_handle_wrap(n ? mx_node_unary(op, n) : NULL);
}

mx_node *mx_node_unary(const mx_op_def *op, mx_node *a) {
    mx_set_error(MX_ERROR_UNSUPPORTED, "%s: not available yet", op->name);
    (void)a;
    return NULL;
}
