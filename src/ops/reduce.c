/* reduce.c - op definitions (rows of the op table). */
#include "ops/ops.h"

const mx_op_def mx_op_sum = {.name = "sum", .id = MX_OP_sum, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_prod = {.name = "prod", .id = MX_OP_prod, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_max = {.name = "max", .id = MX_OP_max, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_min = {.name = "min", .id = MX_OP_min, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_all = {.name = "all", .id = MX_OP_all, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_any = {.name = "any", .id = MX_OP_any, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_argmax = {.name = "argmax", .id = MX_OP_argmax, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_argmin = {.name = "argmin", .id = MX_OP_argmin, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_logsumexp = {.name = "logsumexp", .id = MX_OP_logsumexp, .family = MX_FAMILY_REDUCE};
const mx_op_def mx_op_softmax = {.name = "softmax", .id = MX_OP_softmax, .family = MX_FAMILY_REDUCE};
