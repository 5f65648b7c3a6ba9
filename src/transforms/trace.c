/* transforms/trace.c - trace inputs, node maps and the tape (trace.h). */
#include "transforms/trace.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/handle.h"
#include "ops/ops.h"

/* ---- the trace_input op: an identity view ------------------------------------------- */

static bool trace_input_view(mx_node *out) {
    mx_node *in = out->inputs[0];
    mx_node_set_view(out, in, in->offset, in->strides);
    return true;
}

static int trace_input_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads) {
    (void)node;
    (void)argnums;
    for (int i = 0; i < nargs; i++) {
        mx_node_retain(cotangent);
        grads[i] = cotangent;
    }
    return MX_OK;
}

static int trace_input_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    (void)node;
    *out = tangents[0];
    if (*out)
        mx_node_retain(*out);
    return MX_OK;
}

static int trace_input_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out,
                            int *out_axis) {
    (void)node;
    mx_node_retain(inputs[0]);
    *out = inputs[0];
    *out_axis = in_axes[0];
    return MX_OK;
}

const mx_op_def mx_op_trace_input = {.name = "trace_input",
                                     .id = MX_OP_trace_input,
                                     .family = MX_FAMILY_VIEW,
                                     .view_fn = trace_input_view,
                                     .vjp = trace_input_vjp,
                                     .jvp = trace_input_jvp,
                                     .vmap = trace_input_vmap};

static mx_node *trace_input_of(mx_node *primal) {
    return mx_node_new(&mx_op_trace_input, NULL, &primal, 1, primal->shape, primal->ndim, primal->dtype);
}

mx_node *mx_node_zeros_like(const mx_node *n) { return mx_node_full(n->shape, n->ndim, 0.0, n->dtype); }

/* ---- running f ----------------------------------------------------------------------- */

mx_status mx_trace_run(mx_closure f, const mx_array *primals, int n_primals, const char *transform, mx_trace *trace) {
    *trace = (mx_trace){0};
    if (!f)
        return mx_set_error(MX_ERROR_VALUE, "%s: the function is NULL", transform);
    if (n_primals < 0 || (n_primals > 0 && !primals))
        return mx_set_error(MX_ERROR_VALUE, "%s: %d primals given without an array", transform, n_primals);
    mx_node **inputs = calloc((size_t)(n_primals ? n_primals : 1), sizeof *inputs);
    mx_array *handles = calloc((size_t)(n_primals ? n_primals : 1), sizeof *handles);
    if (!inputs || !handles) {
        free(inputs);
        free(handles);
        return mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", transform);
    }
    mx_status st = MX_OK;
    for (int i = 0; i < n_primals && st == MX_OK; i++) {
        mx_node *p = mx_handle_get(primals[i], transform);
        inputs[i] = p ? trace_input_of(p) : NULL;
        if (!inputs[i])
            st = mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_INTERNAL;
    }
    for (int i = 0; i < n_primals && st == MX_OK; i++) {
        mx_node_retain(inputs[i]);
        handles[i] = mx_handle_wrap(inputs[i]);
    }
    if (st == MX_OK) {
        mx_trace_begin();
        st = mx_closure_apply(f, handles, n_primals, &trace->outputs);
        if (st != MX_OK)
            mx_trace_end();
    }
    for (int i = 0; i < n_primals; i++)
        if (handles[i].id)
            mx_free(handles[i]);
    free(handles);
    if (st != MX_OK) {
        for (int i = 0; i < n_primals; i++)
            mx_node_release(inputs[i]);
        free(inputs);
        return st;
    }
    trace->n_inputs = n_primals;
    trace->inputs = inputs;
    return MX_OK;
}

void mx_trace_free(mx_trace *trace) {
    if (!trace->inputs && !trace->outputs.count)
        return;
    for (int i = 0; i < trace->n_inputs; i++)
        mx_node_release(trace->inputs[i]);
    free(trace->inputs);
    mx_array_list_clear(&trace->outputs);
    *trace = (mx_trace){0};
    mx_trace_end();
}

/* ---- node maps ---------------------------------------------------------------------- */

static size_t hash_node(const mx_node *n, size_t cap) {
    uint64_t x = (uint64_t)(uintptr_t)n;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (cap - 1);
}

int mx_node_map_get(const mx_node_map *m, const mx_node *n) {
    if (!m->cap)
        return -1;
    for (size_t i = hash_node(n, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == n)
            return m->values[i];
        if (!m->keys[i])
            return -1;
    }
}

static bool map_grow(mx_node_map *m) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    mx_node_map grown = {calloc(cap, sizeof(mx_node *)), calloc(cap, sizeof(int)), cap, 0};
    if (!grown.keys || !grown.values) {
        free(grown.keys);
        free(grown.values);
        mx_set_error(MX_ERROR_MEMORY, "transform: out of memory walking the graph");
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i])
            mx_node_map_put(&grown, m->keys[i], m->values[i]);
    mx_node_map_free(m);
    *m = grown;
    return true;
}

bool mx_node_map_put(mx_node_map *m, mx_node *n, int value) {
    if ((m->len + 1) * 2 > m->cap && !map_grow(m))
        return false;
    size_t i = hash_node(n, m->cap);
    while (m->keys[i] && m->keys[i] != n)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->len++;
    m->keys[i] = n;
    m->values[i] = value;
    return true;
}

void mx_node_map_free(mx_node_map *m) {
    free(m->keys);
    free(m->values);
    *m = (mx_node_map){0};
}

/* ---- the tape ------------------------------------------------------------------------- */

enum { VISITING = -3, INPUT = -2, INDEPENDENT = -4 };

typedef struct frame {
    mx_node *node;
    int next_input;
    bool depends;
} frame;

static bool tape_push(mx_tape *t, mx_node *n) {
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        mx_node **nodes = realloc(t->nodes, cap * sizeof *nodes);
        if (!nodes) {
            mx_set_error(MX_ERROR_MEMORY, "transform: out of memory ordering the graph");
            return false;
        }
        t->nodes = nodes;
        t->cap = cap;
    }
    t->nodes[t->len++] = n;
    return true;
}

/* Post-order DFS with an explicit stack. `seen` records every visited node:
 * its tape position, INPUT, or INDEPENDENT; the public index keeps only the
 * dependent ones (so mx_tape_depends is one lookup). */
mx_status mx_tape_build(mx_node *const *roots, int n_roots, mx_node *const *inputs, int n_inputs, mx_tape *tape) {
    *tape = (mx_tape){0};
    mx_node_map seen = {0};
    size_t cap = 64, len = 0;
    frame *stack = malloc(cap * sizeof *stack);
    bool ok = stack != NULL;
    if (!ok)
        mx_set_error(MX_ERROR_MEMORY, "transform: out of memory ordering the graph");
    for (int i = 0; ok && i < n_inputs; i++)
        ok = mx_node_map_put(&seen, inputs[i], INPUT) && mx_node_map_put(&tape->index, inputs[i], INPUT);
    for (int r = 0; ok && r < n_roots; r++) {
        if (mx_node_map_get(&seen, roots[r]) != -1)
            continue;
        ok = mx_node_map_put(&seen, roots[r], VISITING);
        stack[len++] = (frame){roots[r], 0, false};
        while (ok && len) {
            frame *top = &stack[len - 1];
            if (top->next_input < top->node->n_inputs) {
                mx_node *in = top->node->inputs[top->next_input++];
                int state = mx_node_map_get(&seen, in);
                if (state == -1) {
                    if (len == cap) {
                        frame *grown = realloc(stack, cap * 2 * sizeof *stack);
                        if (!grown) {
                            mx_set_error(MX_ERROR_MEMORY, "transform: out of memory ordering the graph");
                            ok = false;
                            break;
                        }
                        stack = grown;
                        cap *= 2;
                        top = &stack[len - 1];
                    }
                    ok = mx_node_map_put(&seen, in, VISITING);
                    stack[len++] = (frame){in, 0, false};
                } else if (state != INDEPENDENT && state != VISITING) {
                    top->depends = true; /* an input, or a node already on the tape */
                }
                continue;
            }
            /* all inputs done */
            frame done = *top;
            len--;
            if (done.depends) {
                ok = mx_node_map_put(&seen, done.node, (int)tape->len) &&
                     mx_node_map_put(&tape->index, done.node, (int)tape->len) && tape_push(tape, done.node);
                if (len)
                    stack[len - 1].depends = true;
            } else {
                ok = mx_node_map_put(&seen, done.node, INDEPENDENT);
            }
        }
    }
    free(stack);
    mx_node_map_free(&seen);
    if (!ok) {
        mx_tape_free(tape);
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_MEMORY;
    }
    return MX_OK;
}

void mx_tape_free(mx_tape *tape) {
    free(tape->nodes);
    mx_node_map_free(&tape->index);
    *tape = (mx_tape){0};
}
