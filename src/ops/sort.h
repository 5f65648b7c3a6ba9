/* ops/sort.h - the scan and sort families' parameters and node-level
 * constructors (src/ops/scan.c, src/ops/sort.c), shared with their CPU
 * kernels (src/backend/cpu/scan.c, sort.c) and with each other's rules. */
#ifndef CMLX_OPS_SORT_H
#define CMLX_OPS_SORT_H

#include "ops/ops.h"

/* cumsum cumprod cummax cummin logcumsumexp: the primitive's input already
 * has the output's dtype (the constructor casts), `axis` is non-negative. */
typedef struct mx_scan_params {
    int axis;
    bool reverse;   /* scan from the end of the axis */
    bool inclusive; /* out[i] includes in[i]; exclusive starts from the op's identity */
} mx_scan_params;

/* sort argsort partition argpartition: `axis` is non-negative; kth (the
 * partitions only) is in [0, axis size). */
typedef struct mx_sort_params {
    int axis;
    int kth;
    /* argpartition only: order ties as partition does (by value alone), so the
     * indices are the permutation partition applied. The transform rules use
     * it; MLX's argpartition (and the public one) orders ties by index. */
    bool partition_order;
} mx_sort_params;

typedef struct mx_searchsorted_params {
    bool right; /* side='right': the number of elements <= the value */
} mx_searchsorted_params;

/* ---- node-level constructors (NULL with the error set on bad input) ---- */
/* One of the five scans along `axis` (negative counts from the end) with
 * MLX's checks and dtype rules; dtype (cumsum, cumprod) casts the input
 * first, MX_DTYPE_COUNT for none. */
mx_node *mx_node_scan(const mx_op_def *op, mx_node *a, int axis, bool reverse, bool inclusive, mx_dtype dtype);
/* The scan primitive itself over `a` in a's dtype (no checks, no casts):
 * what the transform rules build. axis must be valid and non-negative. */
mx_node *mx_node_scan_raw(const mx_op_def *op, mx_node *a, int axis, bool reverse, bool inclusive);
/* sort or argsort along `axis` (negative counts from the end). */
mx_node *mx_node_sort(const mx_op_def *op, mx_node *a, int axis);
/* partition or argpartition: kth in [-size, size) of the axis. */
mx_node *mx_node_partition(const mx_op_def *op, mx_node *a, int kth, int axis);
/* take_along_axis(a, indices, axis) for indices of a's shape (axis >= 0). */
mx_node *mx_node_take_along_same_shape(mx_node *a, mx_node *indices, int axis);

#endif
