/* cmlx/quantize.h - Quantization (MLX's affine layout) and the gathered/masked matmuls: quantize, dequantize, quantized_matmul, gather_qmm, gather_mm, block_masked_mm, hadamard_transform (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_QUANTIZE_H
#define CMLX_QUANTIZE_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
