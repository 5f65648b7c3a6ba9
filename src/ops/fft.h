/* ops/fft.h - the fft primitive (MLX's FFT primitive): an n-dimensional
 * discrete Fourier transform over `axes`, as a sequence of 1-d transforms.
 *
 *   complex -> complex (real = false): out has the input's shape, complex64;
 *   real forward (rfftn):  float32 in, complex64 out, last axis n -> n/2 + 1;
 *   real inverse (irfftn): complex64 in, float32 out, last axis n/2 + 1 -> n,
 *     where n (the output length of the last axis) is in params.last_n.
 * Forward transforms use exp(-2 pi i jk / n) and no scaling; inverse ones
 * exp(+2 pi i jk / n) and a 1 / prod(n) scaling (numpy's "backward" norm). */
#ifndef CMLX_OPS_FFT_H
#define CMLX_OPS_FFT_H

#include "ops/ops.h"

typedef struct mx_fft_params {
    int naxes;
    int axes[MX_MAX_NDIM]; /* non-negative, distinct, in transform order */
    bool inverse;
    bool real;
    int64_t last_n; /* irfftn: output length along axes[naxes - 1] */
} mx_fft_params;

/* MLX's fft_impl: slices or zero-pads the input to the sizes n (one per
 * axis; for irfftn the last is the output length and the input is cut to
 * n/2 + 1), casts to float32 (rfftn) or complex64, and applies the
 * primitive. Negative axes wrap; NULL with the error set naming `op`. */
mx_node *mx_node_fftn(const char *op, mx_node *a, const int64_t *n, const int *axes, int naxes, bool real,
                      bool inverse);
/* The same with n taken from the input (irfftn: 2 * (len - 1) for the last). */
mx_node *mx_node_fftn_default(const char *op, mx_node *a, const int *axes, int naxes, bool real, bool inverse);

#endif
