/* core/eval.c - the scheduler: orders the unevaluated ancestors of the
 * requested nodes, runs each on its backend, and detaches each finished node
 * from its inputs so intermediates are freed as soon as their last consumer
 * has run. Everything is iterative: a 10^6-node chain needs no deep stack. */
#include "core/eval.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/backend.h"
#include "core/error.h"
#include "core/handle.h"

static pthread_mutex_t g_eval_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_epoch;
static atomic_int g_trace_depth;

void mx_trace_begin(void) { atomic_fetch_add(&g_trace_depth, 1); }
void mx_trace_end(void) { atomic_fetch_sub(&g_trace_depth, 1); }
bool mx_tracing(void) { return atomic_load(&g_trace_depth) > 0; }

typedef struct node_list {
    mx_node **items;
    size_t len, cap;
} node_list;

static bool list_push(node_list *l, mx_node *n) {
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        mx_node **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return false;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = n;
    return true;
}

typedef struct walk_frame {
    mx_node *node;
    int next_input;
} walk_frame;

/* Post-order DFS from the roots over unevaluated nodes, with an explicit
 * stack. Appends to `tape` in an order where inputs precede consumers. */
static mx_status build_tape(mx_node *const *roots, int n_roots, node_list *tape) {
    uint64_t epoch = ++g_epoch;
    size_t cap = 256, len = 0;
    walk_frame *stack = malloc(cap * sizeof *stack);
    if (!stack)
        return mx_set_error(MX_ERROR_MEMORY, "eval: out of memory ordering the graph");
    /* Roots last to first: mx_eval(gradients of layers 1..L) then starts at
     * layer L, where the backward pass begins, so each layer's cotangent is
     * consumed (and freed) before the next is made; in the other order every
     * cotangent stays alive until its own gradient is reached. */
    for (int r = n_roots; r-- > 0;) {
        mx_node *root = roots[r];
        if (mx_node_is_evaluated(root) || root->visit_epoch == epoch)
            continue;
        root->visit_epoch = epoch;
        stack[len++] = (walk_frame){root, 0};
        while (len) {
            walk_frame *top = &stack[len - 1];
            if (top->next_input < top->node->n_inputs) {
                mx_node *in = top->node->inputs[top->next_input++];
                if (mx_node_is_evaluated(in) || in->visit_epoch == epoch)
                    continue;
                in->visit_epoch = epoch;
                if (len == cap) {
                    walk_frame *grown = realloc(stack, cap * 2 * sizeof *stack);
                    if (!grown) {
                        free(stack);
                        return mx_set_error(MX_ERROR_MEMORY, "eval: out of memory ordering the graph");
                    }
                    stack = grown;
                    cap *= 2;
                }
                stack[len++] = (walk_frame){in, 0};
            } else {
                if (!list_push(tape, top->node)) {
                    free(stack);
                    return mx_set_error(MX_ERROR_MEMORY, "eval: out of memory ordering the graph");
                }
                len--;
            }
        }
    }
    free(stack);
    return MX_OK;
}

/* Drop a finished node's inputs: they are freed if nothing else holds them. */
static void detach(mx_node *n) {
    int count = n->n_inputs;
    n->n_inputs = 0;
    for (int i = 0; i < count; i++) {
        mx_node_release(n->inputs[i]);
        n->inputs[i] = NULL;
    }
}

/* Runs on the node's device: the GPU backend's kernel when it has one that
 * supports the node, else the CPU kernel (also for GPU nodes: their inputs'
 * bytes come to the host first, and the output's device copy is dropped). */
static mx_status run_node(mx_node *n, bool *used_gpu) {
    if (n->op->view_fn && n->op->view_fn(n)) {
        n->flags |= MX_NODE_EVALUATED;
        return MX_OK;
    }
    int id = n->op->id;
    bool known = id >= 0 && id < MX_MAX_OPS;
    mx_backend *gpu = n->device == MX_GPU_DEVICE_TYPE ? mx_backend_gpu() : NULL;
    if (gpu && known && gpu->kernels[id] && (!gpu->supports || gpu->supports(n))) {
        *used_gpu = true;
        mx_status st = gpu->kernels[id](n);
        if (st != MX_OK)
            return st;
        if (!n->buffer)
            return mx_set_error(MX_ERROR_INTERNAL, "%s: kernel produced no output buffer", n->op->name);
        n->flags |= MX_NODE_EVALUATED;
        return MX_OK;
    }
    mx_status st = mx_run_cpu_kernel(n);
    if (st == MX_OK)
        n->flags |= MX_NODE_EVALUATED;
    return st;
}

mx_status mx_run_cpu_kernel(mx_node *n) {
    int id = n->op->id;
    mx_backend *backend = mx_backend_cpu();
    mx_kernel_fn kernel = (id >= 0 && id < MX_MAX_OPS) ? backend->kernels[id] : NULL;
    if (!kernel)
        return mx_set_error(MX_ERROR_UNSUPPORTED, "%s: no kernel on the %s backend", n->op->name, backend->name);
    for (int i = 0; i < n->n_inputs; i++) {
        mx_buffer *b = n->inputs[i]->buffer;
        if (b && !(b->valid & MX_VALID_HOST)) {
            mx_status st = mx_buffer_ensure_host(b, n->op->name);
            if (st != MX_OK)
                return st;
        }
    }
    mx_status st = kernel(n);
    if (st != MX_OK)
        return st;
    if (!n->buffer)
        return mx_set_error(MX_ERROR_INTERNAL, "%s: kernel produced no output buffer", n->op->name);
    if (n->buffer->device_ptr)
        mx_buffer_host_written(n->buffer);
    return MX_OK;
}

/* Whether node n may run inside a recorded sequence of the GPU backend: a
 * GPU node that its kernel (or, for a view, its view function) computes and
 * that the backend says only enqueues device work. */
static bool capturable(mx_backend *gpu, const mx_node *n) {
    int id = n->op->id;
    if (n->device != MX_GPU_DEVICE_TYPE || id < 0 || id >= MX_MAX_OPS)
        return false;
    if (!n->op->view_fn && !(gpu->kernels[id] && (!gpu->supports || gpu->supports(n))))
        return false;
    return gpu->capturable(n);
}

static mx_status run_nodes(mx_node *const *nodes, size_t count, bool keep_graph, bool *used_gpu) {
    mx_status st = MX_OK;
    for (size_t i = 0; st == MX_OK && i < count; i++) {
        st = run_node(nodes[i], used_gpu);
        if (st == MX_OK && !keep_graph)
            detach(nodes[i]);
    }
    return st;
}

/* Run the tape; with recording on, each maximal run of capturable GPU nodes
 * (of at least MX_CAPTURE_MIN_LAUNCHES kernels) is recorded by the backend
 * and submitted at once (CUDA graphs; see docs/cuda.md). The nodes' host
 * side (allocation, buffers, strides, detaching) runs exactly as without. */
static mx_status run_tape(const node_list *tape, bool keep_graph, bool *used_gpu) {
    mx_backend *gpu = mx_backend_gpu();
    int mode = gpu && gpu->capturable && gpu->capture_begin ? mx_gpu_graphs_mode() : 0;
    size_t min_launches = mode == 2 ? 1 : MX_CAPTURE_MIN_LAUNCHES;
    mx_status st = MX_OK;
    size_t i = 0;
    while (st == MX_OK && i < tape->len) {
        size_t end = i + 1;
        if (mode) {
            size_t launches = 0;
            end = i;
            while (end < tape->len && capturable(gpu, tape->items[end])) {
                if (!tape->items[end]->op->view_fn) {
                    if (launches == MX_CAPTURE_MAX_LAUNCHES)
                        break; /* submit this part: the GPU starts on it while the next is recorded */
                    launches++;
                }
                end++;
            }
            if (launches >= min_launches) {
                bool capturing = false;
                st = gpu->capture_begin(tape->items + i, end - i, &capturing);
                if (st == MX_OK)
                    st = run_nodes(tape->items + i, end - i, keep_graph, used_gpu);
                if (capturing) {
                    mx_status end_st = gpu->capture_end();
                    if (st == MX_OK)
                        st = end_st;
                }
                *used_gpu = true;
                i = end;
                continue;
            }
            if (end == i)
                end = i + 1;
        }
        st = run_nodes(tape->items + i, end - i, keep_graph, used_gpu);
        i = end;
    }
    return st;
}

mx_status mx_eval_nodes(mx_node *const *nodes, int n) {
    node_list tape = {0};
    mx_runtime_init();
    pthread_mutex_lock(&g_eval_lock);
    mx_status st = build_tape(nodes, n, &tape);
    bool keep_graph = mx_tracing(); /* a transform will walk this graph */
    bool used_gpu = false;
    if (st == MX_OK)
        st = run_tape(&tape, keep_graph, &used_gpu);
    /* As MLX's eval: the values are computed when it returns (and a kernel
     * failure on the device surfaces here, not in a later call). */
    if (used_gpu && mx_backend_gpu()->synchronize)
        mx_backend_gpu()->synchronize();
    pthread_mutex_unlock(&g_eval_lock);
    free(tape.items);
    return st;
}

mx_status mx_node_make_contiguous(mx_node *n) {
    mx_status st = mx_eval_nodes(&n, 1);
    if (st != MX_OK || mx_node_is_row_contiguous(n))
        return st;
    /* Copy into a temporary node, then move its buffer into n. */
    mx_node *tmp = mx_node_new(n->op, NULL, NULL, 0, n->shape, n->ndim, n->dtype);
    if (!tmp)
        return mx_last_status();
    pthread_mutex_lock(&g_eval_lock);
    st = mx_buffer_ensure_host(n->buffer, "copy");
    if (st == MX_OK)
        st = mx_node_alloc_output(tmp);
    if (st == MX_OK)
        st = mx_backend_cpu()->copy(tmp, n);
    if (st == MX_OK) {
        mx_buffer_release(n->buffer);
        n->buffer = tmp->buffer;
        tmp->buffer = NULL;
        n->offset = 0;
        mx_row_strides(n->shape, n->ndim, n->strides);
        n->flags |= MX_NODE_ROW_CONTIGUOUS;
    }
    pthread_mutex_unlock(&g_eval_lock);
    mx_node_release(tmp);
    return st;
}

/* ---- public API -------------------------------------------------------------- */

mx_status mx_eval(const mx_array *arrays, int n) {
    if (n < 0 || (n > 0 && !arrays))
        return mx_set_error(MX_ERROR_VALUE, "eval: invalid array list");
    mx_node *small[16];
    mx_node **nodes = n <= 16 ? small : malloc((size_t)n * sizeof *nodes);
    if (!nodes)
        return mx_set_error(MX_ERROR_MEMORY, "eval: out of memory");
    mx_status st = mx_handles_get(arrays, n, "eval", nodes) ? mx_eval_nodes(nodes, n) : mx_last_status();
    if (nodes != small)
        free(nodes);
    return st;
}

mx_status mx_eval1(mx_array a) { return mx_eval(&a, 1); }
