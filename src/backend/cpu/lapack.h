/* backend/cpu/lapack.h - the Fortran LAPACK routines of libopenblas that the
 * linalg kernels call (column-major; every argument by pointer; a character
 * argument is followed, after the others, by its hidden length as gfortran
 * passes it). lapack_int is OpenBLAS's default 32-bit integer. */
#ifndef CMLX_BACKEND_CPU_LAPACK_H
#define CMLX_BACKEND_CPU_LAPACK_H

#include <stddef.h>

typedef int lapack_int;

void sgetrf_(const lapack_int *m, const lapack_int *n, float *a, const lapack_int *lda, lapack_int *ipiv,
             lapack_int *info);
void dgetrf_(const lapack_int *m, const lapack_int *n, double *a, const lapack_int *lda, lapack_int *ipiv,
             lapack_int *info);
void sgetri_(const lapack_int *n, float *a, const lapack_int *lda, const lapack_int *ipiv, float *work,
             const lapack_int *lwork, lapack_int *info);
void dgetri_(const lapack_int *n, double *a, const lapack_int *lda, const lapack_int *ipiv, double *work,
             const lapack_int *lwork, lapack_int *info);
void spotrf_(const char *uplo, const lapack_int *n, float *a, const lapack_int *lda, lapack_int *info, size_t uplo_len);
void dpotrf_(const char *uplo, const lapack_int *n, double *a, const lapack_int *lda, lapack_int *info,
             size_t uplo_len);
void strtri_(const char *uplo, const char *diag, const lapack_int *n, float *a, const lapack_int *lda, lapack_int *info,
             size_t uplo_len, size_t diag_len);
void dtrtri_(const char *uplo, const char *diag, const lapack_int *n, double *a, const lapack_int *lda,
             lapack_int *info, size_t uplo_len, size_t diag_len);
void sgesv_(const lapack_int *n, const lapack_int *nrhs, float *a, const lapack_int *lda, lapack_int *ipiv, float *b,
            const lapack_int *ldb, lapack_int *info);
void dgesv_(const lapack_int *n, const lapack_int *nrhs, double *a, const lapack_int *lda, lapack_int *ipiv, double *b,
            const lapack_int *ldb, lapack_int *info);

#endif
