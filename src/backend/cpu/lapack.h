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

void sgeqrf_(const lapack_int *m, const lapack_int *n, float *a, const lapack_int *lda, float *tau, float *work,
             const lapack_int *lwork, lapack_int *info);
void sorgqr_(const lapack_int *m, const lapack_int *n, const lapack_int *k, float *a, const lapack_int *lda,
             const float *tau, float *work, const lapack_int *lwork, lapack_int *info);
void sgesdd_(const char *jobz, const lapack_int *m, const lapack_int *n, float *a, const lapack_int *lda, float *s,
             float *u, const lapack_int *ldu, float *vt, const lapack_int *ldvt, float *work, const lapack_int *lwork,
             lapack_int *iwork, lapack_int *info, size_t jobz_len);
void ssyevd_(const char *jobz, const char *uplo, const lapack_int *n, float *a, const lapack_int *lda, float *w,
             float *work, const lapack_int *lwork, lapack_int *iwork, const lapack_int *liwork, lapack_int *info,
             size_t jobz_len, size_t uplo_len);
void sgeev_(const char *jobvl, const char *jobvr, const lapack_int *n, float *a, const lapack_int *lda, float *wr,
            float *wi, float *vl, const lapack_int *ldvl, float *vr, const lapack_int *ldvr, float *work,
            const lapack_int *lwork, lapack_int *info, size_t jobvl_len, size_t jobvr_len);
void dgeqrf_(const lapack_int *m, const lapack_int *n, double *a, const lapack_int *lda, double *tau, double *work,
             const lapack_int *lwork, lapack_int *info);
void dorgqr_(const lapack_int *m, const lapack_int *n, const lapack_int *k, double *a, const lapack_int *lda,
             const double *tau, double *work, const lapack_int *lwork, lapack_int *info);
void dgesdd_(const char *jobz, const lapack_int *m, const lapack_int *n, double *a, const lapack_int *lda, double *s,
             double *u, const lapack_int *ldu, double *vt, const lapack_int *ldvt, double *work,
             const lapack_int *lwork, lapack_int *iwork, lapack_int *info, size_t jobz_len);
void dsyevd_(const char *jobz, const char *uplo, const lapack_int *n, double *a, const lapack_int *lda, double *w,
             double *work, const lapack_int *lwork, lapack_int *iwork, const lapack_int *liwork, lapack_int *info,
             size_t jobz_len, size_t uplo_len);
void dgeev_(const char *jobvl, const char *jobvr, const lapack_int *n, double *a, const lapack_int *lda, double *wr,
            double *wi, double *vl, const lapack_int *ldvl, double *vr, const lapack_int *ldvr, double *work,
            const lapack_int *lwork, lapack_int *info, size_t jobvl_len, size_t jobvr_len);

/* complex64 (MLX's two float32, the layout of Fortran's COMPLEX) */
typedef float _Complex lapack_complex_float;
void cgesdd_(const char *jobz, const lapack_int *m, const lapack_int *n, lapack_complex_float *a, const lapack_int *lda,
             float *s, lapack_complex_float *u, const lapack_int *ldu, lapack_complex_float *vt, const lapack_int *ldvt,
             lapack_complex_float *work, const lapack_int *lwork, float *rwork, lapack_int *iwork, lapack_int *info,
             size_t jobz_len);
void cheevd_(const char *jobz, const char *uplo, const lapack_int *n, lapack_complex_float *a, const lapack_int *lda,
             float *w, lapack_complex_float *work, const lapack_int *lwork, float *rwork, const lapack_int *lrwork,
             lapack_int *iwork, const lapack_int *liwork, lapack_int *info, size_t jobz_len, size_t uplo_len);
void cgeev_(const char *jobvl, const char *jobvr, const lapack_int *n, lapack_complex_float *a, const lapack_int *lda,
            lapack_complex_float *w, lapack_complex_float *vl, const lapack_int *ldvl, lapack_complex_float *vr,
            const lapack_int *ldvr, lapack_complex_float *work, const lapack_int *lwork, float *rwork, lapack_int *info,
            size_t jobvl_len, size_t jobvr_len);

#endif
