/* cmlx/sort.h - Scans, sorting and searching: cumsum..logcumsumexp, diff, sort, argsort, partition, topk, searchsorted, median (mlx.core).
 * Functions return a lazy array, or an error array (see array.h) on bad input. */
#ifndef CMLX_SORT_H
#define CMLX_SORT_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif
