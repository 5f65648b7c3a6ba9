/* cmlx/sort.h - Scans, sorting and searching: cumsum..logcumsumexp, diff, sort, argsort, partition, topk, searchsorted,
 * median (mlx.core). Functions return a lazy array, or an error array (see array.h) on bad input.
 *
 * As in mlx.core, the plain form of an op with an axis works on the
 * flattened array (Python's axis=None; a 0-d array becomes shape (1,)), the
 * _axis form along one axis (negative axes count from the end). An axis out
 * of range is MX_ERROR_INDEX (IndexError); a bad kth, k or n is
 * MX_ERROR_VALUE (ValueError). */
#ifndef CMLX_SORT_H
#define CMLX_SORT_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- scans ------------------------------------------------------------------------------------
 * out[i] = in[0] op in[1] op ... op in[i] along the axis, in order (so float
 * sums round exactly as MLX's). reverse scans from the end; inclusive=false
 * shifts by one and starts from the op's identity (0, 1, -inf / the lowest
 * integer for max, +inf / the highest for min, -inf for logcumsumexp).
 * dtype casts the input first (MX_DTYPE_COUNT: no cast). Dtypes: every one;
 * cumsum of bool counts in int32, small integers wrap in their own type,
 * float16/bfloat16 round at every step (as MLX); cummax/cummin propagate NaN
 * (complex64: lexicographic, no NaN rule, as MLX); logcumsumexp of integers
 * and bool is float32. */
MX_API mx_array mx_cumsum(mx_array a, bool reverse, bool inclusive, mx_dtype dtype);
MX_API mx_array mx_cumsum_axis(mx_array a, int axis, bool reverse, bool inclusive, mx_dtype dtype);
MX_API mx_array mx_cumprod(mx_array a, bool reverse, bool inclusive, mx_dtype dtype);
MX_API mx_array mx_cumprod_axis(mx_array a, int axis, bool reverse, bool inclusive, mx_dtype dtype);
MX_API mx_array mx_cummax(mx_array a, bool reverse, bool inclusive);
MX_API mx_array mx_cummax_axis(mx_array a, int axis, bool reverse, bool inclusive);
MX_API mx_array mx_cummin(mx_array a, bool reverse, bool inclusive);
MX_API mx_array mx_cummin_axis(mx_array a, int axis, bool reverse, bool inclusive);
/* log(cumsum(exp(a))) without overflow. */
MX_API mx_array mx_logcumsumexp(mx_array a, bool reverse, bool inclusive);
MX_API mx_array mx_logcumsumexp_axis(mx_array a, int axis, bool reverse, bool inclusive);
/* The n-th discrete difference along axis: a[1:] - a[:-1], n times
 * (not_equal for bool). n >= 0; the axis shrinks by n (to 0 at least). */
MX_API mx_array mx_diff(mx_array a, int n, int axis);

/* ---- sorting ------------------------------------------------------------------------------------
 * Ascending and stable; NaN (complex64: either part NaN) last, in input
 * order; -0.0 and 0.0 are equal (their input order is kept); complex64 is
 * ordered by real part, then imaginary part. argsort gives uint32 indices. */
MX_API mx_array mx_sort(mx_array a);
MX_API mx_array mx_sort_axis(mx_array a, int axis);
MX_API mx_array mx_argsort(mx_array a);
MX_API mx_array mx_argsort_axis(mx_array a, int axis);
/* A copy in which element kth (negative counts from the end) is where a
 * sort would put it, every element before it is <= and every one after it
 * >= (NaN counts as the largest). The order within each side is MLX's
 * (libstdc++'s std::nth_element), so the result equals MLX's element for
 * element. argpartition gives uint32 indices (ties ordered by index). */
MX_API mx_array mx_partition(mx_array a, int kth);
MX_API mx_array mx_partition_axis(mx_array a, int kth, int axis);
MX_API mx_array mx_argpartition(mx_array a, int kth);
MX_API mx_array mx_argpartition_axis(mx_array a, int kth, int axis);
/* The k largest elements along the axis (0 <= k <= size), as MLX gives
 * them: the last k of partition(a, -k); k == size returns a unchanged. */
MX_API mx_array mx_topk(mx_array a, int k);
MX_API mx_array mx_topk_axis(mx_array a, int k, int axis);

/* ---- searching ----------------------------------------------------------------------------------
 * For each value, the index at which inserting it keeps the 1-D
 * sorted_sequence sorted: the number of elements < value (right = false,
 * side='left') or <= value (right = true). Both arrays are promoted to a
 * common dtype; NaN counts as the largest. uint32, of values' shape. */
MX_API mx_array mx_searchsorted(mx_array sorted_sequence, mx_array values, bool right);

/* ---- median ---------------------------------------------------------------------------------------
 * The median over all axes, one axis, or a list of axes (float dtype at
 * least: integers and bool give float32); an even count gives the mean of
 * the two middle elements, a NaN anywhere in the reduced elements gives NaN. */
MX_API mx_array mx_median(mx_array a, bool keepdims);
MX_API mx_array mx_median_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_median_axes(mx_array a, const int *axes, int naxes, bool keepdims);

#ifdef __cplusplus
}
#endif

#endif
