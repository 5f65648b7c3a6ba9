/* core/scalar.h - one element of any dtype to and from double (exact for
 * every dtype except 64-bit integers beyond 2^53; use the int64 paths there). */
#ifndef CMLX_CORE_SCALAR_H
#define CMLX_CORE_SCALAR_H

#include <stdbool.h>
#include <stdint.h>

#include "cmlx/array.h"

double mx_scalar_load_f64(const void *src, mx_dtype dtype);
int64_t mx_scalar_load_i64(const void *src, mx_dtype dtype);
/* Converts like astype: floats to integers truncate toward zero (NaN and
 * out-of-range values saturate instead of being undefined behaviour). */
void mx_scalar_store_f64(void *dst, mx_dtype dtype, double value);
void mx_scalar_store_i64(void *dst, mx_dtype dtype, int64_t value);

#endif
