/* indexing.c - op definitions (rows of the op table). */
#include "ops/ops.h"

const mx_op_def mx_op_take = {.name = "take", .id = MX_OP_take, .family = MX_FAMILY_OTHER};
const mx_op_def mx_op_take_along_axis = {.name = "take_along_axis", .id = MX_OP_take_along_axis, .family = MX_FAMILY_OTHER};
