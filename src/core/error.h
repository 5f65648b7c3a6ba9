/* core/error.h - the thread's current error, and helpers to set it with a
 * message that names the op, shapes and dtypes. */
#ifndef CMLX_CORE_ERROR_H
#define CMLX_CORE_ERROR_H

#include <stddef.h>
#include <stdint.h>

#include "cmlx/array.h"

/* printf-style; sets the thread's last status and message. Returns status,
 * so `return mx_set_error(MX_ERROR_VALUE, "...")` reads well. */
mx_status mx_set_error(mx_status status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes "(2,3)" into buf. Returns buf. */
char *mx_format_shape(const int64_t *shape, int ndim, char *buf, size_t cap);
#define MX_SHAPE_STR_CAP 192

#endif
