/* cmlx/ops.h - array operations. Names, argument order, defaults,
 * broadcasting, type promotion and results follow MLX (mlx.core); the C
 * names carry the mx_ prefix. All ops are lazy: they validate their inputs
 * (errors surface here, as error arrays) and record a graph node; nothing
 * computes until mx_eval.
 *
 * Conventions:
 *   - axes are `const int *axes, int naxes`; negative axes count from the end;
 *   - a reduction comes in three forms: mx_sum (all axes), mx_sum_axis (one)
 *     and mx_sum_axes (a list; an empty list reduces nothing);
 *   - shapes are `const int64_t *shape, int ndim`. */
#ifndef CMLX_OPS_H
#define CMLX_OPS_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- creation (lazy) ------------------------------------------------------ */
MX_API mx_array mx_zeros(const int64_t *shape, int ndim, mx_dtype dtype);
MX_API mx_array mx_ones(const int64_t *shape, int ndim, mx_dtype dtype);
MX_API mx_array mx_full(const int64_t *shape, int ndim, double value, mx_dtype dtype);
/* MLX's full(shape, vals): `vals` broadcast to `shape`, keeping its dtype. */
MX_API mx_array mx_full_array(const int64_t *shape, int ndim, mx_array vals);
MX_API mx_array mx_zeros_like(mx_array a);
MX_API mx_array mx_ones_like(mx_array a);
MX_API mx_array mx_full_like(mx_array a, double value);
/* Values start, start+step, ... below stop (MLX: int dtype for int args). */
MX_API mx_array mx_arange(double start, double stop, double step, mx_dtype dtype);
MX_API mx_array mx_linspace(double start, double stop, int64_t num, mx_dtype dtype);
/* n x m with ones on diagonal k. m < 0 means m = n. */
MX_API mx_array mx_eye(int64_t n, int64_t m, int k, mx_dtype dtype);
MX_API mx_array mx_identity(int64_t n, mx_dtype dtype);

/* ---- dtype / copy ---------------------------------------------------------- */
MX_API mx_array mx_astype(mx_array a, mx_dtype dtype);
MX_API mx_array mx_copy(mx_array a);
MX_API mx_array mx_contiguous(mx_array a);
MX_API mx_array mx_stop_gradient(mx_array a);

/* ---- unary element-wise -------------------------------------------------- */
MX_API mx_array mx_abs(mx_array a);
MX_API mx_array mx_negative(mx_array a);
MX_API mx_array mx_positive(mx_array a);
MX_API mx_array mx_sign(mx_array a);
MX_API mx_array mx_sqrt(mx_array a);
MX_API mx_array mx_rsqrt(mx_array a);
MX_API mx_array mx_square(mx_array a);
MX_API mx_array mx_reciprocal(mx_array a);
MX_API mx_array mx_exp(mx_array a);
MX_API mx_array mx_expm1(mx_array a);
MX_API mx_array mx_log(mx_array a);
MX_API mx_array mx_log1p(mx_array a);
MX_API mx_array mx_log2(mx_array a);
MX_API mx_array mx_log10(mx_array a);
MX_API mx_array mx_sin(mx_array a);
MX_API mx_array mx_cos(mx_array a);
MX_API mx_array mx_tan(mx_array a);
MX_API mx_array mx_arcsin(mx_array a);
MX_API mx_array mx_arccos(mx_array a);
MX_API mx_array mx_arctan(mx_array a);
MX_API mx_array mx_sinh(mx_array a);
MX_API mx_array mx_cosh(mx_array a);
MX_API mx_array mx_tanh(mx_array a);
MX_API mx_array mx_arcsinh(mx_array a);
MX_API mx_array mx_arccosh(mx_array a);
MX_API mx_array mx_arctanh(mx_array a);
MX_API mx_array mx_sigmoid(mx_array a);
MX_API mx_array mx_erf(mx_array a);
MX_API mx_array mx_erfinv(mx_array a);
MX_API mx_array mx_floor(mx_array a);
MX_API mx_array mx_ceil(mx_array a);
/* Round half to even, to `decimals` decimal places (MLX: decimals=0). */
MX_API mx_array mx_round(mx_array a, int decimals);
MX_API mx_array mx_logical_not(mx_array a);
MX_API mx_array mx_bitwise_invert(mx_array a);
MX_API mx_array mx_isnan(mx_array a);
MX_API mx_array mx_isinf(mx_array a);
MX_API mx_array mx_isfinite(mx_array a);
MX_API mx_array mx_degrees(mx_array a);
MX_API mx_array mx_radians(mx_array a);

/* ---- binary element-wise (broadcasting, MLX type promotion) ---------------- */
MX_API mx_array mx_add(mx_array a, mx_array b);
MX_API mx_array mx_subtract(mx_array a, mx_array b);
MX_API mx_array mx_multiply(mx_array a, mx_array b);
MX_API mx_array mx_divide(mx_array a, mx_array b);       /* true division: ints give float32 */
MX_API mx_array mx_floor_divide(mx_array a, mx_array b); /* ints: floor; floats: floor(a/b) */
MX_API mx_array mx_remainder(mx_array a, mx_array b);    /* sign follows the divisor */
MX_API mx_array mx_power(mx_array a, mx_array b);
MX_API mx_array mx_maximum(mx_array a, mx_array b); /* NaN propagates */
MX_API mx_array mx_minimum(mx_array a, mx_array b);
MX_API mx_array mx_logaddexp(mx_array a, mx_array b);
MX_API mx_array mx_arctan2(mx_array a, mx_array b);
MX_API mx_array mx_equal(mx_array a, mx_array b);
MX_API mx_array mx_not_equal(mx_array a, mx_array b);
MX_API mx_array mx_greater(mx_array a, mx_array b);
MX_API mx_array mx_greater_equal(mx_array a, mx_array b);
MX_API mx_array mx_less(mx_array a, mx_array b);
MX_API mx_array mx_less_equal(mx_array a, mx_array b);
MX_API mx_array mx_logical_and(mx_array a, mx_array b);
MX_API mx_array mx_logical_or(mx_array a, mx_array b);
MX_API mx_array mx_bitwise_and(mx_array a, mx_array b);
MX_API mx_array mx_bitwise_or(mx_array a, mx_array b);
MX_API mx_array mx_bitwise_xor(mx_array a, mx_array b);
MX_API mx_array mx_left_shift(mx_array a, mx_array b);
MX_API mx_array mx_right_shift(mx_array a, mx_array b);
/* condition ? x : y, broadcasting all three. */
MX_API mx_array mx_where(mx_array condition, mx_array x, mx_array y);

/* ---- reductions ---------------------------------------------------------- */
MX_API mx_array mx_sum(mx_array a, bool keepdims);
MX_API mx_array mx_sum_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_sum_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_prod(mx_array a, bool keepdims);
MX_API mx_array mx_prod_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_prod_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_max(mx_array a, bool keepdims);
MX_API mx_array mx_max_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_max_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_min(mx_array a, bool keepdims);
MX_API mx_array mx_min_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_min_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_all(mx_array a, bool keepdims);
MX_API mx_array mx_all_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_all_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_any(mx_array a, bool keepdims);
MX_API mx_array mx_any_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_any_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_mean(mx_array a, bool keepdims);
MX_API mx_array mx_mean_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_mean_axes(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_var(mx_array a, bool keepdims, int ddof);
MX_API mx_array mx_var_axis(mx_array a, int axis, bool keepdims, int ddof);
MX_API mx_array mx_var_axes(mx_array a, const int *axes, int naxes, bool keepdims, int ddof);
MX_API mx_array mx_std(mx_array a, bool keepdims, int ddof);
MX_API mx_array mx_std_axis(mx_array a, int axis, bool keepdims, int ddof);
MX_API mx_array mx_std_axes(mx_array a, const int *axes, int naxes, bool keepdims, int ddof);
MX_API mx_array mx_logsumexp(mx_array a, bool keepdims);
MX_API mx_array mx_logsumexp_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_logsumexp_axes(mx_array a, const int *axes, int naxes, bool keepdims);
/* Index of the first max/min (uint32). mx_argmax: over the flattened array. */
MX_API mx_array mx_argmax(mx_array a, bool keepdims);
MX_API mx_array mx_argmax_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_argmin(mx_array a, bool keepdims);
MX_API mx_array mx_argmin_axis(mx_array a, int axis, bool keepdims);
/* precise: accumulate float16/bfloat16 in float32 (MLX's precise=True). */
MX_API mx_array mx_softmax(mx_array a, bool precise);
MX_API mx_array mx_softmax_axis(mx_array a, int axis, bool precise);
MX_API mx_array mx_softmax_axes(mx_array a, const int *axes, int naxes, bool precise);

/* ---- linear algebra -------------------------------------------------------- */
/* Batched matmul with broadcast batch dims; 1-D operands as in NumPy. */
MX_API mx_array mx_matmul(mx_array a, mx_array b);

/* ---- shape ------------------------------------------------------------------ */
MX_API mx_array mx_reshape(mx_array a, const int64_t *shape, int ndim); /* one -1 allowed */
MX_API mx_array mx_flatten(mx_array a, int start_axis, int end_axis);
/* axes == NULL reverses the axes. */
MX_API mx_array mx_transpose(mx_array a, const int *axes, int naxes);
MX_API mx_array mx_swapaxes(mx_array a, int axis1, int axis2);
MX_API mx_array mx_expand_dims(mx_array a, const int *axes, int naxes);
/* axes == NULL removes every size-1 axis. */
MX_API mx_array mx_squeeze(mx_array a, const int *axes, int naxes);
MX_API mx_array mx_broadcast_to(mx_array a, const int64_t *shape, int ndim);
MX_API mx_array mx_concatenate(const mx_array *arrays, int n, int axis);
MX_API mx_array mx_stack(const mx_array *arrays, int n, int axis);
/* Split into `num_splits` equal parts (mx_split) or at the given indices
 * (mx_split_at, n_indices + 1 parts). Outputs go to `out`, which must have
 * room for every part; returns the status. */
MX_API mx_status mx_split(mx_array a, int num_splits, int axis, mx_array *out);
MX_API mx_status mx_split_at(mx_array a, const int64_t *indices, int n_indices, int axis, mx_array *out);
/* start/stop/strides per axis (ndim entries each; strides may be NULL = 1).
 * Out-of-range bounds are clamped as in Python slicing. */
MX_API mx_array mx_slice(mx_array a, const int64_t *start, const int64_t *stop, const int64_t *strides, int n);
/* Reverse along the given axes (axes == NULL: all). */
MX_API mx_array mx_flip(mx_array a, const int *axes, int naxes);

/* ---- indexing -------------------------------------------------------------- */
/* take along `axis` (mx_take_flat: of the flattened array). Negative indices
 * wrap, as in MLX. */
MX_API mx_array mx_take(mx_array a, mx_array indices, int axis);
MX_API mx_array mx_take_flat(mx_array a, mx_array indices);
MX_API mx_array mx_take_along_axis(mx_array a, mx_array indices, int axis);

#ifdef __cplusplus
}
#endif
#endif
