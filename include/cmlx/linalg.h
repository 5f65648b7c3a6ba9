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

/* Decompositions (float32/float64; complex64 where MLX takes it is not
 * supported yet). Functions with several results write them to `out` (the
 * caller owns them) and return the status, as mx_split does. Batched over the
 * leading axes. m x n inputs, k = min(m, n). */
/* QR: out[0] = Q (..., m, k) with orthonormal columns, out[1] = R (..., k, n)
 * upper triangular, A = Q R (Householder, LAPACK's signs). */
MX_API mx_status mx_linalg_qr(mx_array a, mx_array *out);
/* SVD A = U diag(S) Vt: compute_uv writes U (..., m, m), S (..., k) in
 * descending order and Vt (..., n, n) to out[0..2]; otherwise S alone to out[0]. */
MX_API mx_status mx_linalg_svd(mx_array a, bool compute_uv, mx_array *out);
/* Moore-Penrose pseudo-inverse (..., n, m) from the SVD, as MLX: singular
 * values <= 10 max(m, n) eps max(S) are dropped. */
MX_API mx_array mx_linalg_pinv(mx_array a);
/* LU with partial pivoting: out[0] = P (..., m) uint32, out[1] = L (..., m, k)
 * unit lower, out[2] = U (..., k, n), with A = L[P] @ U (MLX's convention). */
MX_API mx_status mx_linalg_lu(mx_array a, mx_array *out);
/* LAPACK's packed LU: out[0] = LU (..., m, n), out[1] = pivots (..., k)
 * uint32, 0-based (row i was swapped with row pivots[i]). */
MX_API mx_status mx_linalg_lu_factor(mx_array a, mx_array *out);
/* Eigenvalues out[0] (..., n) and right eigenvectors out[1] (..., n, n), as
 * columns, of square matrices; complex64 whatever the input dtype (as MLX). */
MX_API mx_status mx_linalg_eig(mx_array a, mx_array *out);
MX_API mx_array mx_linalg_eigvals(mx_array a);
/* Symmetric eigensolver: eigenvalues (..., n) ascending and orthonormal
 * eigenvectors (..., n, n) as columns. uplo "L" reads the lower triangle;
 * any other string (or NULL) the upper one (as MLX 0.32). */
MX_API mx_status mx_linalg_eigh(mx_array a, const char *uplo, mx_array *out);
MX_API mx_array mx_linalg_eigvalsh(mx_array a, const char *uplo);
/* Determinant (...) of square matrices by LU; float64 stays float64, other
 * real dtypes are factorised in float32 and the result has dtype
 * float32 (integers, bool) or the input's (float16, bfloat16). */
MX_API mx_array mx_linalg_det(mx_array a);
/* out[0] = sign (-1, 0 or 1), out[1] = log|det| (-inf when singular). */
MX_API mx_status mx_linalg_slogdet(mx_array a, mx_array *out);

#ifdef __cplusplus
}
#endif

#endif
