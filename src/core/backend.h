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

typedef struct mx_capture_stats {
    size_t captures;       /* runs recorded */
    size_t instantiations; /* executable graphs made */
    size_t updates;        /* cached executable graphs updated in place */
    size_t launches;       /* graphs submitted */
    size_t nodes;          /* graph nodes submitted */
    size_t interrupts;     /* recordings ended early by a step off the stream */
} mx_capture_stats;

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

    /* ---- optional: recorded launch sequences (CUDA graphs) ----
     * eval splits its tape into maximal runs of nodes whose backend kernel
     * `capturable` accepts (at most MX_CAPTURE_MAX_LAUNCHES kernels each) and
     * hands each run of at least MX_CAPTURE_MIN_LAUNCHES kernel nodes to
     * capture_begin / capture_end.
     * capturable: true only when the node's kernel does nothing but enqueue
     * device work on the backend's stream (no host synchronisation, no host
     * read of device bytes, no transfer through host memory, no CPU
     * fallback): decided from the node before anything runs (the backend
     * may also decline a node for speed, e.g. a long kernel). A view node
     * (op->view_fn) is asked too. (Should a kernel leave the stream anyway,
     * the backend ends the recording there, submits what was recorded, and
     * runs the rest directly: it never drops or half-submits work.)
     * capture_begin: before nodes[0..n) run; *capturing = false declines
     * (the nodes then run as usual). capture_end: after they ran, whether or
     * not they succeeded, when capture_begin said *capturing: submit what
     * was recorded. Both are called with eval's lock held. */
    bool (*capturable)(const mx_node *node);
    mx_status (*capture_begin)(mx_node *const *nodes, size_t n, bool *capturing);
    mx_status (*capture_end)(void);
    void (*capture_stats)(mx_capture_stats *out); /* counters, for tests */
} mx_backend;

/* Runs shorter than this many kernel (non-view) nodes are not recorded: a
 * recording costs about a launch or two of its own. */
#define MX_CAPTURE_MIN_LAUNCHES 3
/* Longer runs are recorded in parts of at most this many kernels, each
 * submitted when it ends, so the GPU works while the next is recorded. */
#define MX_CAPTURE_MAX_LAUNCHES 32

/* Whether eval records runs of capturable GPU nodes (CUDA graphs):
 * 0 off (CMLX_CUDA_GRAPHS=0, mx_gpu_set_graphs(false)); 1 on (default): runs
 * of at least MX_CAPTURE_MIN_LAUNCHES kernels, recorded from their second
 * sighting on; 2 (CMLX_CUDA_GRAPHS=2, for testing): every run of capturable
 * nodes, from its first sighting. */
int mx_gpu_graphs_mode(void);
void mx_gpu_set_graphs_mode(int mode);

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
