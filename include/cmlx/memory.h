/* cmlx/memory.h - memory statistics and limits (mlx.core's memory functions).
 *
 * Freed buffers stay in a cache, bucketed by size, for reuse: touching fresh
 * memory costs about 12 us per 4 KiB page on these machines, so reuse is
 * much faster than returning memory to the OS. */
#ifndef CMLX_MEMORY_H
#define CMLX_MEMORY_H

#include <stddef.h>

#include "cmlx/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes held by live arrays. */
MX_API size_t mx_get_active_memory(void);
/* Highest active memory since start or the last reset. */
MX_API size_t mx_get_peak_memory(void);
MX_API void mx_reset_peak_memory(void);
/* Bytes held in the cache of freed buffers. */
MX_API size_t mx_get_cache_memory(void);
/* Active memory may not exceed the limit: an allocation that would is an
 * error (MX_ERROR_MEMORY) of the op being evaluated. Returns the old limit. */
MX_API size_t mx_set_memory_limit(size_t limit);
/* The current memory limit (physical memory until set). */
MX_API size_t mx_get_memory_limit(void);
/* Cache no more than `limit` bytes (0 disables caching). Returns the old limit. */
MX_API size_t mx_set_cache_limit(size_t limit);
MX_API void mx_clear_cache(void);

#ifdef __cplusplus
}
#endif
#endif
