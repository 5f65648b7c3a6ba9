/* cmlx/indexing.h - Indexing beyond take: slice_update, gather, scatter and its reductions, put_along_axis (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_INDEXING_H
#define CMLX_INDEXING_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
