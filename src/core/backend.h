/* core/backend.h - the interface every backend implements. A backend is a
 * table of kernels indexed by op id plus a few entry points; core calls
 * them and knows nothing else about the backend. */
#ifndef CMLX_CORE_BACKEND_H
#define CMLX_CORE_BACKEND_H

#include "core/node.h"

/* Compute `node` from its (evaluated) inputs: allocate or donate its buffer
 * and fill it. Returns MX_OK or an error status (with the error set). */
typedef mx_status (*mx_kernel_fn)(mx_node *node);

#define MX_MAX_OPS 512

typedef struct mx_backend {
    const char *name;
    mx_kernel_fn kernels[MX_MAX_OPS];
    /* Copy src (any strides, any dtype) into dst's fresh row-contiguous
     * buffer of dst->dtype. Used for contiguous copies and casts. */
    mx_status (*copy)(mx_node *dst, const mx_node *src);
    void (*synchronize)(void);
} mx_backend;

/* The CPU backend: filled in once by the library's initialisation. */
void mx_backend_cpu_init(void);
mx_backend *mx_backend_cpu(void);

/* Called once before the first node is created (defined at the library's
 * top level, src/runtime.c: registers backends). */
void mx_runtime_init(void);

#endif
