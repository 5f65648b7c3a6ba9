/* cmlx/composite.h - Ops of mlx.core that MLX builds from other ops: shape helpers (pad, tile, repeat, roll, diagonal,
 * tril, ...), contractions (addmm, tensordot, outer, inner, einsum), comparisons (allclose, isclose), clip, nan_to_num,
 * ... (mlx.core). Functions return a lazy array, or an error array (see array.h) on bad input.
 *
 * Each op is composed of other ops exactly as MLX 0.32 composes it (or is a
 * primitive with its own gradient rule), so vjp/jvp/vmap work through all of
 * them. Functions with several results write them to `out` (room for every
 * result, which the caller owns) and return the status, as mx_split does.
 * MX_NULL_ARRAY stands for Python's None where an array argument is optional.
 * docs/composite.md lists where cmlx differs from MLX (out-of-bounds
 * as_strided is an error here). */
#ifndef CMLX_COMPOSITE_H
#define CMLX_COMPOSITE_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- element-wise ------------------------------------------------------------------------ */
/* minimum(maximum(a, a_min), a_max); either bound may be MX_NULL_ARRAY (not both). */
MX_API mx_array mx_clip(mx_array a, mx_array a_min, mx_array a_max);
/* NaN -> nan, +inf -> *posinf, -inf -> *neginf (NULL: the dtype's largest /
 * lowest finite value). Integers and bool are returned unchanged; float64
 * and complex64 are MLX's ValueError. */
MX_API mx_array mx_nan_to_num(mx_array a, double nan, const double *posinf, const double *neginf);
MX_API mx_array mx_isposinf(mx_array a); /* a == +inf (bool) */
MX_API mx_array mx_isneginf(mx_array a); /* a == -inf (bool) */
MX_API mx_array mx_logical_xor(mx_array a, mx_array b);
/* Round toward zero; integers and bool unchanged. */
MX_API mx_array mx_trunc(mx_array a);
/* out[0] = floor_divide(a, b), out[1] = remainder(a, b). */
MX_API mx_status mx_divmod(mx_array a, mx_array b, mx_array *out);
/* |a - b| <= atol + rtol |b| element-wise (infinities equal only to
 * themselves; NaNs equal when equal_nan). MLX: rtol=1e-5, atol=1e-8. */
MX_API mx_array mx_isclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan);
MX_API mx_array mx_allclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan);
/* true when the shapes are equal and every element is (bool scalar). */
MX_API mx_array mx_array_equal(mx_array a, mx_array b, bool equal_nan);
/* The number of non-zero elements (int32), over all axes, one, or a list. */
MX_API mx_array mx_count_nonzero(mx_array a, bool keepdims);
MX_API mx_array mx_count_nonzero_axis(mx_array a, int axis, bool keepdims);
MX_API mx_array mx_count_nonzero_axes(mx_array a, const int *axes, int naxes, bool keepdims);
/* out[0] = min, out[1] = max over the axes. */
MX_API mx_status mx_minmax(mx_array a, bool keepdims, mx_array *out);
MX_API mx_status mx_minmax_axis(mx_array a, int axis, bool keepdims, mx_array *out);
MX_API mx_status mx_minmax_axes(mx_array a, const int *axes, int naxes, bool keepdims, mx_array *out);

/* ---- window functions (float32, M points; empty for M < 1) ---------------------------------- */
MX_API mx_array mx_hanning(int M);
MX_API mx_array mx_hamming(int M);
MX_API mx_array mx_bartlett(int M);
MX_API mx_array mx_blackman(int M);

/* ---- shapes ------------------------------------------------------------------------------------ */
/* The broadcast shape of n shapes (shapes[i] has ndims[i] dims) into out
 * (MX_MAX_NDIM entries) and *out_ndim; MX_ERROR_VALUE if incompatible. */
MX_API mx_status mx_broadcast_shape(const int64_t *const *shapes, const int *ndims, int n, int64_t *out, int *out_ndim);
/* Every array broadcast to their common shape (n results). */
MX_API mx_status mx_broadcast_arrays(const mx_array *arrays, int n, mx_array *out);
/* Coordinate grids: n results. indexing "xy" (NULL too) or "ij". */
MX_API mx_status mx_meshgrid(const mx_array *arrays, int n, bool sparse, const char *indexing, mx_array *out);
MX_API mx_array mx_moveaxis(mx_array a, int source, int destination);
/* Axis `axis` split into `shape` (one entry may be -1). */
MX_API mx_array mx_unflatten(mx_array a, int axis, const int64_t *shape, int ndim);
MX_API mx_array mx_atleast_1d(mx_array a);
MX_API mx_array mx_atleast_2d(mx_array a);
MX_API mx_array mx_atleast_3d(mx_array a);
/* shape[axis] results: the slices of a along axis, the axis removed. */
MX_API mx_status mx_unstack(mx_array a, int axis, mx_array *out);
MX_API mx_array mx_tile(mx_array a, const int64_t *reps, int nreps);
/* Each element repeated: over the flattened array, or along an axis. */
MX_API mx_array mx_repeat(mx_array array, int repeats);
MX_API mx_array mx_repeat_axis(mx_array array, int repeats, int axis);
/* Elements shifted, wrapping around: over the flattened array, along one
 * axis, or along each of axes (shift[i] for axes[i]; nshift >= naxes). */
MX_API mx_array mx_roll(mx_array a, int64_t shift);
MX_API mx_array mx_roll_axis(mx_array a, int64_t shift, int axis);
MX_API mx_array mx_roll_axes(mx_array a, const int64_t *shift, int nshift, const int *axes, int naxes);
/* Pad axes[i] with low_pad[i] elements before and high_pad[i] after. mode:
 * "constant" (with the first element of pad_value, cast to a's dtype),
 * "edge", "reflect" or "symmetric" (NULL: constant). */
MX_API mx_array mx_pad(mx_array a, const int *axes, int naxes, const int64_t *low_pad, const int64_t *high_pad,
                       mx_array pad_value, const char *mode);
/* n x m (m < 0: n) with ones at and below diagonal k; dtype MX_DTYPE_COUNT: float32. */
MX_API mx_array mx_tri(int64_t n, int64_t m, int k, mx_dtype dtype);
MX_API mx_array mx_tril(mx_array x, int k); /* zeros above diagonal k of the last two axes */
MX_API mx_array mx_triu(mx_array x, int k); /* zeros below diagonal k */

/* ---- diagonals and contractions -------------------------------------------------------------- */
/* The diagonal `offset` of the (axis1, axis2) planes: those axes removed,
 * the diagonal appended (a view). */
MX_API mx_array mx_diagonal(mx_array a, int offset, int axis1, int axis2);
/* 1-D: a square matrix with a on diagonal k; 2-D: diagonal k. */
MX_API mx_array mx_diag(mx_array a, int k);
/* Sum of diagonal `offset` (dtype MX_DTYPE_COUNT: a's dtype, summed as MLX). */
MX_API mx_array mx_trace(mx_array a, int offset, int axis1, int axis2, mx_dtype dtype);
MX_API mx_array mx_kron(mx_array a, mx_array b);
/* Sum over the last `axes` axes of a and the first `axes` of b. */
MX_API mx_array mx_tensordot(mx_array a, mx_array b, int axes);
/* Sum over axes_a[i] of a paired with axes_b[i] of b. */
MX_API mx_array mx_tensordot_axes(mx_array a, mx_array b, const int *axes_a, int naxes_a, const int *axes_b,
                                  int naxes_b);
MX_API mx_array mx_outer(mx_array a, mx_array b); /* flattened a times flattened b: (a.size, b.size) */
MX_API mx_array mx_inner(mx_array a, mx_array b); /* sum over the last axes */
/* sum(conj(a) * b, axis) (the conjugate only for complex). */
MX_API mx_array mx_vecdot(mx_array a, mx_array b, int axis);
/* alpha * (a @ b) + beta * c (real floating dtypes and complex64). */
MX_API mx_array mx_addmm(mx_array c, mx_array a, mx_array b, double alpha, double beta);
/* Einstein summation ("ij,jk->ik", implicit output, "..." ellipses) over n
 * operands, contracted in the order einsum_path gives. */
MX_API mx_array mx_einsum(const char *subscripts, const mx_array *operands, int n);
/* MLX's einsum_path: the greedy contraction order and its report. */
typedef struct mx_einsum_path_info {
    int n_steps;     /* contractions */
    int *step_sizes; /* operands taken by each step */
    int *positions;  /* their positions in the list of live operands, step after step */
    char *text;      /* MLX's description (complete contraction, scalings, FLOP counts) */
} mx_einsum_path_info;
MX_API mx_status mx_einsum_path(const char *subscripts, const mx_array *operands, int n, mx_einsum_path_info *info);
MX_API void mx_einsum_path_free(mx_einsum_path_info *info);

/* ---- views and complex parts ------------------------------------------------------------------- */
/* A view of a's elements, taken in row-major order, with the given shape,
 * element strides and offset (an error if it would read outside a). */
MX_API mx_array mx_as_strided(mx_array a, const int64_t *shape, int ndim, const int64_t *strides, int nstrides,
                              int64_t offset);
/* a's bytes as another dtype (the last axis rescaled by the size ratio). */
MX_API mx_array mx_view(mx_array a, mx_dtype dtype);
MX_API mx_array mx_real(mx_array a);      /* float32 of complex64; other dtypes: a */
MX_API mx_array mx_imag(mx_array a);      /* float32 of complex64; other dtypes: zeros */
MX_API mx_array mx_conjugate(mx_array a); /* complex64 conjugated; other dtypes: a */

/* ---- graph ---------------------------------------------------------------------------------------- */
/* out[i] = inputs[i], evaluated only after all m dependencies (n results). */
MX_API mx_status mx_depends(const mx_array *inputs, int n, const mx_array *dependencies, int m, mx_array *out);

/* ---- random (mlx.core.random) ---------------------------------------------------------------------- */
/* Samples of N(mean, cov) (float32 only, as MLX): mean (..., n), cov (..., n,
 * n), the output of shape broadcast(shape, batch dims) + (n,). */
MX_API mx_array mx_random_multivariate_normal(mx_array mean, mx_array cov, const int64_t *shape, int ndim,
                                              mx_dtype dtype, mx_array key);
/* A random permutation of arange(n) (uint32), and of x along an axis. */
MX_API mx_array mx_random_permutation_n(int64_t n, mx_array key);
MX_API mx_array mx_random_permutation(mx_array x, int axis, mx_array key);

#ifdef __cplusplus
}
#endif

#endif
