/* cmlx/fft.h - Fast Fourier transforms of mlx.core.fft (mx_fft_*).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_FFT_H
#define CMLX_FFT_H

#include <limits.h>

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* n = MX_FFT_DEFAULT: the input's length along the axis (irfft: 2 * (len - 1)). */
#define MX_FFT_DEFAULT INT_MIN

/* One-dimensional transforms along `axis` (MLX default -1). The input is cut
 * or zero-padded to n along the axis (irfft: to n / 2 + 1, n being the output
 * length). fft/ifft: complex64 out; rfft: real input (complex inputs lose
 * their imaginary part), n/2 + 1 complex64 outputs; irfft: float32 out.
 * norm (NULL = "backward"): "backward" scales inverse transforms by 1 / n,
 * "forward" forward ones, "ortho" both by 1 / sqrt(n). */
MX_API mx_array mx_fft_fft(mx_array a, int n, int axis, const char *norm);
MX_API mx_array mx_fft_ifft(mx_array a, int n, int axis, const char *norm);
MX_API mx_array mx_fft_rfft(mx_array a, int n, int axis, const char *norm);
MX_API mx_array mx_fft_irfft(mx_array a, int n, int axis, const char *norm);

/* Multi-dimensional transforms: s (ns sizes, or NULL for the input's) along
 * axes (naxes, or NULL: the last ns axes when s is given, else (-2, -1) for
 * the *2 forms and every axis for the *n forms). rfft*: the last axis is the
 * real one; irfft*: s gives the output sizes. */
MX_API mx_array mx_fft_fft2(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_ifft2(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_rfft2(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_irfft2(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_fftn(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_ifftn(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_rfftn(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);
MX_API mx_array mx_fft_irfftn(mx_array a, const int *s, int ns, const int *axes, int naxes, const char *norm);

/* Sample frequencies (float32): fftfreq [0, 1, .., -(n/2), .., -1] / (n d);
 * rfftfreq [0, .., n/2] / (n d). n must be positive. */
MX_API mx_array mx_fft_fftfreq(int n, double d);
MX_API mx_array mx_fft_rfftfreq(int n, double d);

/* Roll the zero frequency to the centre (fftshift) and back (ifftshift)
 * along axes (NULL: all axes). */
MX_API mx_array mx_fft_fftshift(mx_array a, const int *axes, int naxes);
MX_API mx_array mx_fft_ifftshift(mx_array a, const int *axes, int naxes);

#ifdef __cplusplus
}
#endif

#endif
