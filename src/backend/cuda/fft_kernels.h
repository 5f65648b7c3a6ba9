/* backend/cuda/fft_kernels.h - launchers of fft.cu and the registration of
 * the fft glue (fft.c, called by complex.c's cuda_register_complex). */
#ifndef CMLX_BACKEND_CUDA_FFT_KERNELS_H
#define CMLX_BACKEND_CUDA_FFT_KERNELS_H

#include <stdint.h>

#include "backend/cuda/cuda_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* data[i] *= scale for n floats (contiguous; a complex64 array is 2 n floats). */
int cuda_launch_fft_scale(float *data, int64_t n, float scale, cuda_stream stream);
/* data (outer, h, inner) complex64: imaginary parts at index 0 and nyquist (< 0: none) of the
 * middle axis set to 0. A C2R transform reads only the half spectrum: the CPU kernel (numpy's
 * irfft) takes the real part of the full inverse, which ignores those two imaginary parts, while
 * cuFFT's C2R of a non-Hermitian input lets them leak into the output. */
int cuda_launch_fft_zero_imag(float *data, int64_t outer, int64_t h, int64_t inner, int64_t nyquist,
                              cuda_stream stream);

#ifdef __cplusplus
}
#endif

#endif
