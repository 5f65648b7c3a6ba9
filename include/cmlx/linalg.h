/* cmlx/linalg.h - Linear algebra of mlx.core.linalg (mx_linalg_*).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_LINALG_H
#define CMLX_LINALG_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
