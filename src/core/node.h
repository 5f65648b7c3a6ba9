/* core/node.h - graph nodes, op definitions and buffers: the internal data
 * model every module builds on. Core knows an op only through its mx_op_def;
 * it never includes ops/ or a backend. */
#ifndef CMLX_CORE_NODE_H
#define CMLX_CORE_NODE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmlx/array.h"

typedef struct mx_node mx_node;

/* ---- buffers ------------------------------------------------------------ */
/* A refcounted block of bytes. Several nodes share one buffer when they are
 * views (transpose, slice, broadcast, reshape) of each other.
 *
 * With a GPU backend a buffer has up to two copies: host bytes (`ptr`) and
 * device bytes (`device_ptr`); `valid` says which of them hold the current
 * value. A kernel on either side asks for its copy, and the bytes move
 * (lazily, once) only then: mx_buffer_ensure_host here, the backend's own
 * call for the device side. A buffer made on the device has no host storage
 * (ptr NULL) until a host reader needs it. */
enum {
    MX_VALID_HOST = 1 << 0,
    MX_VALID_DEVICE = 1 << 1,
};

typedef struct mx_buffer {
    atomic_int refs;
    void *ptr;          /* host bytes; NULL while only the device copy exists */
    size_t nbytes;      /* bytes requested */
    size_t capacity;    /* host bytes actually held (the allocator's bucket); 0 without host storage */
    mx_deleter deleter; /* user-wrapped memory: called instead of the allocator */
    void *deleter_ctx;
    bool user_owned; /* wrapped user data: never written, never donated */
    unsigned valid;  /* MX_VALID_HOST | MX_VALID_DEVICE: where the value is */
    /* Device copy, owned by the device backend (NULL without one). */
    void *device_ptr;
    size_t device_capacity;
    uint64_t device_tick;                   /* last use, for least-recently-used eviction */
    struct mx_buffer *lru_prev, *lru_next;  /* the backend's list of buffers with a device copy */
} mx_buffer;

/* Allocate an uninitialised buffer of nbytes through the caching allocator.
 * NULL (with the error set, naming `op`) on failure or when the memory
 * limit would be exceeded. */
mx_buffer *mx_buffer_alloc(size_t nbytes, const char *op);
mx_buffer *mx_buffer_wrap(void *ptr, size_t nbytes, mx_deleter deleter, void *ctx);
void mx_buffer_retain(mx_buffer *b);
void mx_buffer_release(mx_buffer *b);
/* A buffer of nbytes with no storage yet (valid == 0): a device backend
 * gives it a device copy. NULL (error set) when out of host memory. */
mx_buffer *mx_buffer_new_unbacked(size_t nbytes, const char *op);
/* Make b's host bytes current: allocate host storage if it has none, and
 * copy the device copy down if only that one is valid. */
mx_status mx_buffer_ensure_host(mx_buffer *b, const char *op);
/* The host bytes were just written (by a CPU kernel): the device copy, if
 * any, is stale and is given back. */
void mx_buffer_host_written(mx_buffer *b);
/* Out-of-line part of mx_node_data: a host reader found only a device copy. */
void *mx_buffer_host_ptr_slow(mx_buffer *b);

/* ---- op definitions ------------------------------------------------------ */
/* Families let one kernel serve many ops (every unary op is one kernel that
 * switches on op->id). */
typedef enum mx_op_family {
    MX_FAMILY_CREATION, /* no inputs: full, arange, ... */
    MX_FAMILY_UNARY,
    MX_FAMILY_BINARY,
    MX_FAMILY_TERNARY,
    MX_FAMILY_CAST,
    MX_FAMILY_VIEW, /* shares the input buffer; see view_fn */
    MX_FAMILY_REDUCE,
    MX_FAMILY_OTHER
} mx_op_family;

/* Transform rules, filled in by the op's table row (see src/ops and
 * docs/autograd.md). A rule builds NEW nodes from ordinary ops (the ops/ops.h
 * constructors), so gradients are lazy and can be differentiated again. The
 * node's primal inputs are node->inputs (kept attached while tracing) and its
 * output value is the node itself. Every rule returns MX_OK or an error status
 * with the thread error set (mx_set_error), naming the op.
 *
 * vjp: for each i < nargs, grads_out[i] = d<cotangent, node>/d input[argnums[i]]:
 *   a new reference with that input's shape and dtype, or NULL for "zero"
 *   (no gradient flows, e.g. an integer input or the condition of where).
 * jvp: tangents has node->n_inputs entries (NULL = zero tangent); *tangent_out
 *   gets a new reference of the node's shape and dtype, or NULL for zero.
 * vmap: inputs[i] is the batched replacement of input i, in_axes[i] the axis
 *   of its batch dimension or -1 when input i is not batched (then inputs[i]
 *   is the original input); *out gets a new reference and *out_axis where its
 *   batch dimension is (-1: not batched). */
typedef int (*mx_vjp_fn)(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out);
typedef int (*mx_jvp_fn)(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out);
typedef int (*mx_vmap_fn)(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                          int *out_axis);

typedef struct mx_op_def {
    const char *name; /* MLX's name: "add", "sum", ... */
    int id;           /* index into backend kernel tables (MX_OP_*) */
    mx_op_family family;
    size_t params_size; /* bytes of params copied into each node */
    /* Views: set out's buffer/offset/strides from its input without touching
     * data. Returns false when a view is impossible (a reshape of a
     * non-contiguous input); eval then runs the backend kernel instead. */
    bool (*view_fn)(mx_node *out);
    mx_vjp_fn vjp;
    mx_jvp_fn jvp;
    mx_vmap_fn vmap;
    /* Params that own resources (a custom function's closures): called once
     * when the node is freed. NULL for plain-old-data params. */
    void (*params_release)(void *params);
} mx_op_def;

/* ---- nodes --------------------------------------------------------------- */
enum {
    MX_NODE_ROW_CONTIGUOUS = 1 << 0, /* strides are row-major over the shape */
    MX_NODE_EVALUATED = 1 << 1,
};

struct mx_node {
    atomic_int refs;     /* handles + consumer nodes that point here */
    const mx_op_def *op; /* kept after eval, for diagnostics */
    void *params;        /* op->params_size bytes, in this allocation */
    int n_inputs;        /* 0 once evaluated (inputs are detached) */
    mx_node **inputs;
    int ndim;
    mx_dtype dtype;
    int64_t size;      /* product of shape */
    int64_t *shape;    /* ndim entries, in this allocation */
    int64_t *strides;  /* ndim entries, element strides, set at eval */
    int64_t offset;    /* element offset into buffer, set at eval */
    mx_buffer *buffer; /* NULL until evaluated */
    unsigned flags;
    mx_status status;     /* != MX_OK for error nodes */
    char *error;          /* message of an error node */
    uint64_t visit_epoch; /* used by the scheduler's graph walk */
    int device;           /* mx_device_type the node runs on: the default device at creation */
};

/* Create a node. Takes no references from the caller: it retains each input.
 * params (params_size bytes of op) is copied. NULL (error set) on failure. */
mx_node *mx_node_new(const mx_op_def *op, const void *params, mx_node *const *inputs, int n_inputs,
                     const int64_t *shape, int ndim, mx_dtype dtype);
/* An evaluated node over `buffer` (takes the caller's reference to it),
 * row-contiguous with offset 0. */
mx_node *mx_node_new_evaluated(mx_buffer *buffer, const int64_t *shape, int ndim, mx_dtype dtype);
/* An error node carrying the current thread error (status and message). */
mx_node *mx_node_new_error(void);
void mx_node_retain(mx_node *n);
/* Iterative: releasing the head of a 10^6-node chain does not recurse. */
void mx_node_release(mx_node *n);

static inline bool mx_node_is_evaluated(const mx_node *n) { return (n->flags & MX_NODE_EVALUATED) != 0; }
static inline bool mx_node_is_row_contiguous(const mx_node *n) { return (n->flags & MX_NODE_ROW_CONTIGUOUS) != 0; }
/* Host address of n's first element. The host copy is made current first
 * when only a device copy holds the value (host readers need no other care). */
static inline void *mx_node_data(const mx_node *n) {
    char *base = (n->buffer->valid & MX_VALID_HOST) ? (char *)n->buffer->ptr : mx_buffer_host_ptr_slow(n->buffer);
    return base + n->offset * (int64_t)mx_dtype_size(n->dtype);
}
static inline const void *mx_node_params(const mx_node *n) { return n->params; }

/* ---- helpers for kernels and view functions ---------------------------- */
/* Allocate a fresh row-contiguous buffer for `out`. */
mx_status mx_node_alloc_output(mx_node *out);
/* Reuse input `index`'s buffer for out when nothing else can observe it (the
 * input is held only by out, owns its whole buffer, is row-contiguous and has
 * the same element size). Returns true if donated. */
bool mx_node_try_donate(mx_node *out, int index);
/* Make out a view of `src`'s buffer with the given offset and strides. */
void mx_node_set_view(mx_node *out, const mx_node *src, int64_t offset, const int64_t *strides);
/* Recompute the ROW_CONTIGUOUS flag from shape and strides. */
void mx_node_update_flags(mx_node *n);
/* True when two shapes are equal (either pointer may be NULL for rank 0). */
static inline bool mx_shape_equal(const int64_t *a, int a_ndim, const int64_t *b, int b_ndim) {
    if (a_ndim != b_ndim)
        return false;
    for (int i = 0; i < a_ndim; i++)
        if (a[i] != b[i])
            return false;
    return true;
}
/* ---- tracing (src/transforms) ------------------------------------------ */
/* While a transform (vjp, jvp, vmap) traces a function, mx_tracing() is
 * true: eval keeps finished nodes attached to their inputs and kernels never
 * donate an input's buffer, so the transform can walk the traced graph and
 * its rules can read primal values. Nests (grad of grad); process-wide. */
void mx_trace_begin(void);
void mx_trace_end(void);
bool mx_tracing(void);

/* Row-major strides of a shape into `strides` (ndim entries). */
void mx_row_strides(const int64_t *shape, int ndim, int64_t *strides);

#endif
