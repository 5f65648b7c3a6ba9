/* cmlx/fft.h - Fast Fourier transforms of mlx.core.fft (mx_fft_*).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_FFT_H
#define CMLX_FFT_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
