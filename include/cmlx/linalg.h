/* cmlx/linalg.h - Linear algebra of mlx.core.linalg (mx_linalg_*).
 * Functions return a lazy array, or an error array (see array.h) on bad input.
 * Matrix functions work on the last two axes and batch over the leading ones;
 * they take float32 or float64 (as MLX's CPU backend). */
#ifndef CMLX_LINALG_H
#define CMLX_LINALG_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Norms (mlx.core.linalg.norm). axes == NULL means axis=None (every axis).
 * mx_linalg_norm: ord=None, the 2-norm of the flattened axes (Frobenius for
 * two axes). mx_linalg_norm_ord: a numeric ord (vector norms for one axis:
 * 0, +-inf, any p; matrix norms for two axes: +-1, +-inf). mx_linalg_norm_str:
 * "fro" or "f" (two axes). Integer inputs give float32. Matrix ord 2, -2 and
 * "nuc" need an SVD and are not available yet (error). */
MX_API mx_array mx_linalg_norm(mx_array a, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_linalg_norm_ord(mx_array a, double ord, const int *axes, int naxes, bool keepdims);
MX_API mx_array mx_linalg_norm_str(mx_array a, const char *ord, const int *axes, int naxes, bool keepdims);
/* Cross product along `axis` (size 2 or 3; a size-2 vector has z = 0). */
MX_API mx_array mx_linalg_cross(mx_array a, mx_array b, int axis);
/* Inverse of square matrices (LU). A singular matrix is an error at eval. */
MX_API mx_array mx_linalg_inv(mx_array a);
/* Inverse of lower (upper = false) or upper triangular matrices; the other
 * triangle of the input is ignored and zero in the output. */
MX_API mx_array mx_linalg_tri_inv(mx_array a, bool upper);
/* Cholesky factor L (a = L L^T) or U (a = U^T U) of symmetric positive
 * definite matrices, reading the lower (upper) triangle of a. */
MX_API mx_array mx_linalg_cholesky(mx_array a, bool upper);
/* Inverse of a = L L^T (or U^T U) given its Cholesky factor. */
MX_API mx_array mx_linalg_cholesky_inv(mx_array a, bool upper);
/* X with a X = b (LU with partial pivoting); b is (..., n) as a vector when
 * 1-D, else (..., n, k); batch axes broadcast. */
MX_API mx_array mx_linalg_solve(mx_array a, mx_array b);
/* X with a X = b for triangular a, as MLX: tri_inv(a, upper) @ b. */
MX_API mx_array mx_linalg_solve_triangular(mx_array a, mx_array b, bool upper);

#ifdef __cplusplus
}
#endif

#endif
