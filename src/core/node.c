/* core/node.c - node creation, reference counting and output helpers. */
#include "core/node.h"

#include <stdlib.h>
#include <string.h>

#include "core/backend.h"
#include "core/error.h"

static const mx_op_def k_constant_op = {.name = "constant", .id = -1, .family = MX_FAMILY_OTHER};
static const mx_op_def k_error_op = {.name = "error", .id = -1, .family = MX_FAMILY_OTHER};

static size_t align_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

/* One allocation holds the node, its shape and strides, its input pointers
 * and its params. */
static mx_node *node_alloc(const mx_op_def *op, int n_inputs, int ndim) {
    size_t dims_off = align_up(sizeof(mx_node), 8);
    size_t inputs_off = dims_off + sizeof(int64_t) * 2 * (size_t)ndim;
    size_t params_off = align_up(inputs_off + sizeof(mx_node *) * (size_t)n_inputs, 16);
    size_t total = params_off + op->params_size;
    mx_node *n = calloc(1, total);
    if (!n) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of host memory creating a graph node", op->name);
        return NULL;
    }
    char *base = (char *)n;
    atomic_init(&n->refs, 1);
    n->op = op;
    n->ndim = ndim;
    n->shape = (int64_t *)(base + dims_off);
    n->strides = n->shape + ndim;
    n->inputs = (mx_node **)(base + inputs_off);
    n->n_inputs = n_inputs;
    n->params = op->params_size ? base + params_off : NULL;
    return n;
}

void mx_row_strides(const int64_t *shape, int ndim, int64_t *strides) {
    int64_t s = 1;
    for (int i = ndim - 1; i >= 0; i--) {
        strides[i] = s;
        s *= shape[i];
    }
}

mx_node *mx_node_new(const mx_op_def *op, const void *params, mx_node *const *inputs, int n_inputs,
                     const int64_t *shape, int ndim, mx_dtype dtype) {
    if (ndim < 0 || ndim > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "%s: rank %d is outside [0, %d]", op->name, ndim, MX_MAX_NDIM);
        return NULL;
    }
    int64_t size = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) {
            mx_set_error(MX_ERROR_VALUE, "%s: negative dimension %lld in the output shape", op->name,
                         (long long)shape[i]);
            return NULL;
        }
        if (shape[i] && size > INT64_MAX / shape[i]) {
            mx_set_error(MX_ERROR_VALUE, "%s: the output shape has more than 2^63 elements", op->name);
            return NULL;
        }
        size *= shape[i];
    }
    /* the byte count must fit too (size * itemsize wrapping around would under-allocate) */
    if (dtype < MX_DTYPE_COUNT && size > INT64_MAX / (int64_t)mx_dtype_size(dtype)) {
        mx_set_error(MX_ERROR_VALUE, "%s: the output shape has more than 2^63 bytes", op->name);
        return NULL;
    }
    mx_node *n = node_alloc(op, n_inputs, ndim);
    if (!n)
        return NULL;
    if (params && op->params_size)
        memcpy(n->params, params, op->params_size);
    if (ndim)
        memcpy(n->shape, shape, sizeof(int64_t) * (size_t)ndim);
    mx_row_strides(shape, ndim, n->strides);
    n->size = size;
    n->dtype = dtype;
    n->flags = MX_NODE_ROW_CONTIGUOUS;
    n->device = mx_current_device_type();
    for (int i = 0; i < n_inputs; i++) {
        n->inputs[i] = inputs[i];
        mx_node_retain(inputs[i]);
    }
    return n;
}

mx_node *mx_node_new_evaluated(mx_buffer *buffer, const int64_t *shape, int ndim, mx_dtype dtype) {
    mx_node *n = mx_node_new(&k_constant_op, NULL, NULL, 0, shape, ndim, dtype);
    if (!n) {
        mx_buffer_release(buffer);
        return NULL;
    }
    n->buffer = buffer;
    n->flags |= MX_NODE_EVALUATED;
    return n;
}

mx_node *mx_node_new_error(void) {
    mx_node *n = node_alloc(&k_error_op, 0, 0);
    if (!n)
        return NULL;
    n->status = mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    n->error = strdup(mx_last_error());
    n->dtype = MX_DTYPE_COUNT;
    return n;
}

void mx_node_retain(mx_node *n) { atomic_fetch_add_explicit(&n->refs, 1, memory_order_relaxed); }

/* Frees nodes whose count reaches zero with an explicit work list, so the
 * release of a long chain never recurses. The list reuses each dying node's
 * `inputs` slots: a dead node's inputs are pushed before it is freed. */
void mx_node_release(mx_node *n) {
    if (!n || atomic_fetch_sub_explicit(&n->refs, 1, memory_order_acq_rel) != 1)
        return;
    size_t cap = 64, len = 0;
    mx_node *stack_small[64];
    mx_node **stack = stack_small;
    stack[len++] = n;
    while (len) {
        mx_node *dead = stack[--len];
        for (int i = 0; i < dead->n_inputs; i++) {
            mx_node *in = dead->inputs[i];
            if (atomic_fetch_sub_explicit(&in->refs, 1, memory_order_acq_rel) != 1)
                continue;
            if (len == cap) {
                size_t new_cap = cap * 2;
                mx_node **grown =
                    stack == stack_small ? malloc(new_cap * sizeof *grown) : realloc(stack, new_cap * sizeof *grown);
                if (!grown) {
                    /* Out of memory while freeing: leak this subgraph rather
                     * than crash; nothing else can be done safely. */
                    continue;
                }
                if (stack == stack_small)
                    memcpy(grown, stack_small, sizeof stack_small);
                stack = grown;
                cap = new_cap;
            }
            stack[len++] = in;
        }
        if (dead->op->params_release && dead->params)
            dead->op->params_release(dead->params);
        mx_buffer_release(dead->buffer);
        free(dead->error);
        free(dead);
    }
    if (stack != stack_small)
        free(stack);
}

mx_status mx_node_alloc_output(mx_node *out) {
    size_t nbytes = (size_t)out->size * mx_dtype_size(out->dtype);
    mx_buffer *b = mx_buffer_alloc(nbytes, out->op->name);
    if (!b)
        return mx_last_status();
    mx_buffer_release(out->buffer);
    out->buffer = b;
    out->offset = 0;
    mx_row_strides(out->shape, out->ndim, out->strides);
    out->flags |= MX_NODE_ROW_CONTIGUOUS;
    return MX_OK;
}

bool mx_node_try_donate(mx_node *out, int index) {
    mx_node *in = out->inputs[index];
    /* While a transform traces a function, a backward rule built later may
     * still read this input's value: never overwrite it. */
    if (mx_tracing())
        return false;
    if (!in->buffer || in->buffer->user_owned)
        return false;
    if (atomic_load(&in->refs) != 1 || atomic_load(&in->buffer->refs) != 1)
        return false;
    if (!mx_node_is_row_contiguous(in) || in->offset != 0 || in->size != out->size)
        return false;
    if (mx_dtype_size(in->dtype) != mx_dtype_size(out->dtype))
        return false;
    mx_buffer_release(out->buffer);
    out->buffer = in->buffer;
    in->buffer = NULL; /* `in` dies when out detaches: nobody reads it again */
    in->flags &= ~(unsigned)MX_NODE_EVALUATED;
    out->offset = 0;
    mx_row_strides(out->shape, out->ndim, out->strides);
    out->flags |= MX_NODE_ROW_CONTIGUOUS;
    return true;
}

void mx_node_update_flags(mx_node *n) {
    int64_t expected = 1;
    bool row = true;
    for (int i = n->ndim - 1; i >= 0; i--) {
        if (n->shape[i] == 1)
            continue;
        if (n->strides[i] != expected) {
            row = false;
            break;
        }
        expected *= n->shape[i];
    }
    if (n->size == 0)
        row = true;
    if (row)
        n->flags |= MX_NODE_ROW_CONTIGUOUS;
    else
        n->flags &= ~(unsigned)MX_NODE_ROW_CONTIGUOUS;
}

void mx_node_set_view(mx_node *out, const mx_node *src, int64_t offset, const int64_t *strides) {
    mx_buffer_retain(src->buffer);
    mx_buffer_release(out->buffer);
    out->buffer = src->buffer;
    out->offset = offset;
    memcpy(out->strides, strides, sizeof(int64_t) * (size_t)out->ndim);
    mx_node_update_flags(out);
}
