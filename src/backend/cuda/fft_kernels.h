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

#ifdef __cplusplus
}
#endif

#endif
