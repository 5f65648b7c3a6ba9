/* ops/scatter.h - parameters and node-level constructors of the indexing
 * family beyond take (src/ops/scatter.c): MLX's general gather and scatter
 * (with its reductions), slice_update (static, with reductions), the dynamic
 * slice and slice_update of mlx.core.slice / slice_update, the along-axis
 * scatter of put_along_axis, and masked_scatter.
 *
 * Indices are any integer dtype; a negative index counts from the end of its
 * axis once (as MLX). MLX reads or writes out of bounds for an index outside
 * the array; cmlx checks every index and fails the evaluation with
 * MX_ERROR_INDEX instead. */
#ifndef CMLX_OPS_SCATTER_H
#define CMLX_OPS_SCATTER_H

#include "ops/ops.h"

/* How an update combines with the value already there. */
typedef enum mx_scatter_reduce {
    MX_REDUCE_NONE, /* overwrite (repeated positions: the last update wins) */
    MX_REDUCE_SUM,
    MX_REDUCE_PROD,
    MX_REDUCE_MAX,
    MX_REDUCE_MIN
} mx_scatter_reduce;

/* gather: inputs a, idx_0..idx_{naxes-1} (broadcast to one shape B).
 * out = B + slice_sizes (one per dim of a): out[b, s] = a[start(b) + s]
 * where start(b) is idx_j[b] on axes[j] and 0 on the other axes. */
typedef struct mx_gather_params {
    int naxes;
    int axes[MX_MAX_NDIM];
    int64_t slice_sizes[MX_MAX_NDIM];
} mx_gather_params;

/* scatter: inputs a, idx_0..idx_{naxes-1} (shape B), updates (B + slice
 * shape with a.ndim dims, a's dtype). out = a with out[start(b) + s]
 * combined with updates[b, s], in row-major order of b. */
typedef struct mx_scatter_params {
    int reduce; /* mx_scatter_reduce */
    int naxes;
    int axes[MX_MAX_NDIM];
} mx_scatter_params;

/* slice_update: inputs a, update (the box's shape, a's dtype). The box
 * starts at start[d] with step[d] (count: update's shape). MAX/MIN here are
 * NaN-propagating (MLX's maximum/minimum); in scatter they are comparisons
 * (dst > u ? dst : u), as in MLX's CPU kernels. */
typedef struct mx_slice_update_params {
    int reduce;
    int64_t start[MX_MAX_NDIM];
    int64_t step[MX_MAX_NDIM];
} mx_slice_update_params;

/* dynamic_slice: inputs a, start (integer, naxes values); out has the slice
 * size. dynamic_slice_update: inputs a, update (a.ndim dims, a's dtype),
 * start. start[j] is the offset on axes[j]; other axes start at 0. */
typedef struct mx_dynamic_slice_params {
    int naxes;
    int axes[MX_MAX_NDIM];
} mx_dynamic_slice_params;

/* scatter_axis (put_along_axis, scatter_add_axis): inputs a, indices,
 * values, all of the output's rank; indices and values have one shape, equal
 * to the output's outside `axis`. reduce is NONE or SUM. */
typedef struct mx_scatter_axis_params {
    int reduce;
    int axis;
} mx_scatter_axis_params;

/* masked_scatter: inputs a, mask (bool, shape a.shape[:mask.ndim]), src
 * (1-D, a's dtype): the k-th selected slab of a takes src[k * slab ...].
 * masked_select (the vjp of masked_scatter for src): inputs cot (a's shape),
 * mask; out (1-D, n elements) = the selected elements of cot in order, then
 * zeros. */

mx_node *mx_node_gather(mx_node *a, mx_node *const *indices, int n, const int *axes, const int64_t *slice_sizes);
mx_node *mx_node_scatter(mx_scatter_reduce reduce, mx_node *a, mx_node *const *indices, int n, mx_node *updates,
                         const int *axes);
/* The box of mx_node_slice(a, start, stop, step) (NumPy rules: clamped,
 * negative values from the end) takes update, broadcast to the box. */
mx_node *mx_node_slice_update(mx_scatter_reduce reduce, mx_node *a, mx_node *update, const int64_t *start,
                              const int64_t *stop, const int64_t *step);
mx_node *mx_node_dynamic_slice(mx_node *a, mx_node *start, const int *axes, int naxes, const int64_t *slice_size);
mx_node *mx_node_dynamic_slice_update(mx_node *a, mx_node *update, mx_node *start, const int *axes, int naxes);
mx_node *mx_node_scatter_axis(mx_scatter_reduce reduce, mx_node *a, mx_node *indices, mx_node *values, int axis);
mx_node *mx_node_masked_scatter(mx_node *a, mx_node *mask, mx_node *src);
mx_node *mx_node_take_along_axis(mx_node *a, mx_node *indices, int axis);

#endif
