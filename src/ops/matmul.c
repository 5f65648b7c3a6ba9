/* matmul.c - op definitions (rows of the op table). */
#include "ops/ops.h"

const mx_op_def mx_op_matmul = {.name = "matmul", .id = MX_OP_matmul, .family = MX_FAMILY_OTHER};
