/* cmlx/conv.h - Convolutions: conv1d/2d/3d, conv_general, conv_transpose1d/2d/3d, convolve (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_CONV_H
#define CMLX_CONV_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
