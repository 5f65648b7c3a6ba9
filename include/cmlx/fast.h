/* cmlx/fast.h - Fused kernels of mlx.core.fast: rms_norm, layer_norm, rope, scaled_dot_product_attention (mx_fast_*).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_FAST_H
#define CMLX_FAST_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
