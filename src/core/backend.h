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

/* mx_node.device of a node that runs on the GPU (cmlx/device.h's MX_GPU). */
#define MX_GPU_DEVICE_TYPE 1

typedef struct mx_backend {
    const char *name;
    mx_kernel_fn kernels[MX_MAX_OPS];
    /* Copy src (any strides, any dtype) into dst's fresh row-contiguous
     * buffer of dst->dtype. Used for contiguous copies and casts. */
    mx_status (*copy)(mx_node *dst, const mx_node *src);
    void (*synchronize)(void);
    /* Optional: false when this backend's kernel for node's op cannot run
     * this node (a dtype or layout it lacks); eval then runs the CPU kernel
     * instead, moving the buffers. NULL: every registered kernel runs all. */
    bool (*supports)(const mx_node *node);
} mx_backend;

/* The CPU backend: filled in once by the library's initialisation. */
void mx_backend_cpu_init(void);
mx_backend *mx_backend_cpu(void);

/* Run node's CPU kernel: inputs' bytes come to the host first, and the
 * output's device copy (if any) is dropped. The GPU backend calls it for the
 * nodes it has no kernel for (eval does that too). */
mx_status mx_run_cpu_kernel(mx_node *n);

/* ---- the GPU backend (optional) -------------------------------------------- */
/* A GPU backend registers its table (runtime.c, when a device is present);
 * nodes created while the default device is the GPU run there. NULL: none. */
void mx_register_gpu_backend(mx_backend *backend, const char *device_name);
mx_backend *mx_backend_gpu(void);
/* The device type (MX_CPU / MX_GPU) of nodes created now. */
int mx_current_device_type(void);

/* How core reaches a buffer's device copy (mx_buffer_ensure_host, release). */
typedef struct mx_device_memory_hooks {
    mx_status (*download)(mx_buffer *b);  /* device copy -> host storage (which exists) */
    void (*release_device)(mx_buffer *b); /* give back b's device copy */
    /* GPU memory statistics and limits, as the host's in cmlx/memory.h */
    size_t (*active)(void);
    size_t (*peak)(void);
    void (*reset_peak)(void);
    size_t (*cached)(void);
    size_t (*set_memory_limit)(size_t limit);
    size_t (*set_cache_limit)(size_t limit);
    void (*clear_cache)(void);
    void (*set_tf32)(bool enabled);
} mx_device_memory_hooks;
void mx_register_device_memory(const mx_device_memory_hooks *hooks);
const mx_device_memory_hooks *mx_device_memory(void);

/* Called once before the first node is created (defined at the library's
 * top level, src/runtime.c: registers backends). */
void mx_runtime_init(void);

#endif
