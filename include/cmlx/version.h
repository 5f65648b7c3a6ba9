/* cmlx/version.h - compile-time and run-time versions. */
#ifndef CMLX_VERSION_H
#define CMLX_VERSION_H

#include "cmlx/export.h"

#define CMLX_VERSION_MAJOR 0
#define CMLX_VERSION_MINOR 1
#define CMLX_VERSION_PATCH 0
#define CMLX_VERSION_STRING "0.1.0"
/* One number for comparisons: 10000*major + 100*minor + patch. */
#define CMLX_VERSION_NUMBER (CMLX_VERSION_MAJOR * 10000 + CMLX_VERSION_MINOR * 100 + CMLX_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library actually loaded, e.g. "0.1.0". */
MX_API const char *mx_version(void);

#ifdef __cplusplus
}
#endif
#endif
