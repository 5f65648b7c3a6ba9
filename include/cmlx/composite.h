/* cmlx/composite.h - Ops of mlx.core that MLX builds from other ops: shape helpers (pad, tile, repeat, roll, diagonal, tril, ...), contractions (addmm, tensordot, outer, inner, einsum), comparisons (allclose, isclose), clip, nan_to_num, ... (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_COMPOSITE_H
#define CMLX_COMPOSITE_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
