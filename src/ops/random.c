/* random.c - op definitions (rows of the op table). */
#include "ops/ops.h"

const mx_op_def mx_op_random_bits = {.name = "random_bits", .id = MX_OP_random_bits, .family = MX_FAMILY_OTHER};
