/* cmlx/indexing.h - Indexing beyond take: slice_update, gather, scatter and its reductions, put_along_axis (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_INDEXING_H
#define CMLX_INDEXING_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gather slices of `a` (MLX's general gather): indices[j] are positions on
 * axes[j]; the index arrays broadcast to one shape B. The result has shape
 * B + slice_sizes (one size per dim of a): out[b, s] = a[start(b) + s] with
 * start(b) = indices[j][b] on axes[j] and 0 on the other axes. Negative
 * indices count from the end; an index whose slice leaves the array fails
 * the evaluation (MX_ERROR_INDEX; MLX does not check). */
MX_API mx_array mx_gather(mx_array a, const mx_array *indices, int n_indices, const int *axes, int naxes,
                          const int64_t *slice_sizes, int n_slice_sizes);

/* Scatter `updates` into a copy of `a` (MLX's scatter): indices and axes as
 * in mx_gather; updates has shape B + a slice shape of a.ndim dims, and
 * updates[b, s] goes to a[start(b) + s]. Repeated positions: mx_scatter
 * keeps the last update (row-major order of B); the reductions combine every
 * update in that order (add and prod accumulate duplicates). scatter_max and
 * scatter_min keep dst when dst > u (resp. dst < u), else u, as MLX's CPU. */
MX_API mx_array mx_scatter(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                           int naxes);
MX_API mx_array mx_scatter_add(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                               int naxes);
MX_API mx_array mx_scatter_prod(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                                int naxes);
MX_API mx_array mx_scatter_max(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                               int naxes);
MX_API mx_array mx_scatter_min(mx_array a, const mx_array *indices, int n_indices, mx_array updates, const int *axes,
                               int naxes);

/* a with the slice a[start:stop:strides] (n = a.ndim values each, NumPy
 * rules; strides NULL means 1) replaced by `update`, broadcast to the slice
 * (MLX's C++ slice_update(src, update, start, stop, strides)). The _add,
 * _prod, _max, _min forms combine instead (max/min propagate NaN, as
 * mx_maximum/mx_minimum). */
MX_API mx_array mx_slice_update_static(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                                       const int64_t *strides, int n);
MX_API mx_array mx_slice_update_add(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                                    const int64_t *strides, int n);
MX_API mx_array mx_slice_update_prod(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                                     const int64_t *strides, int n);
MX_API mx_array mx_slice_update_max(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                                    const int64_t *strides, int n);
MX_API mx_array mx_slice_update_min(mx_array a, mx_array update, const int64_t *start, const int64_t *stop,
                                    const int64_t *strides, int n);

/* mlx.core.slice: the block of shape slice_size (n = a.ndim values) starting
 * at start_indices[j] on axes[j] and at 0 on the other axes. start_indices is
 * an integer array (0-d or 1-d) of naxes values, read at evaluation; a block
 * that leaves the array fails the evaluation with MX_ERROR_INDEX. */
MX_API mx_array mx_slice_dynamic(mx_array a, mx_array start_indices, const int *axes, int naxes,
                                 const int64_t *slice_size, int n);
/* mlx.core.slice_update: a with the block at start_indices (as in
 * mx_slice_dynamic) replaced by `update` (missing leading dims are 1). */
MX_API mx_array mx_slice_update(mx_array a, mx_array update, mx_array start_indices, const int *axes, int naxes);

/* Put `values` into a copy of `a` at `indices` along `axis` (MLX's
 * put_along_axis): indices has a's rank; indices and values broadcast
 * together, and with a outside `axis`. Repeated positions keep the last value.
 * mx_scatter_add_axis adds instead (duplicates accumulate). */
MX_API mx_array mx_put_along_axis(mx_array a, mx_array indices, mx_array values, int axis);
MX_API mx_array mx_scatter_add_axis(mx_array a, mx_array indices, mx_array values, int axis);

/* a with the elements selected by `mask` replaced by consecutive elements of
 * src (MLX's masked_scatter, behind a[mask] = v): mask is bool with the shape
 * of a's leading dims; each selected position takes the next slab of a's
 * remaining dims from src. src has at most one dim more than those remaining
 * dims: with fewer it is broadcast over every position, with one more its
 * first dim counts the slabs. Too few slabs fail the evaluation
 * (MX_ERROR_UNSUPPORTED, MLX's RuntimeError). */
MX_API mx_array mx_masked_scatter(mx_array a, mx_array mask, mx_array src);

#ifdef __cplusplus
}
#endif

#endif
