/* transforms/trace.h - what every transform shares: running a closure on
 * trace inputs, and ordering the traced graph.
 *
 * A transform calls f on fresh `trace_input` nodes, one per primal (an
 * identity view of it), with tracing on (core/node.h: eval keeps graphs and
 * never donates). The nodes built by f that depend on a trace input form the
 * tape, in topological order; rules are then applied node by node. */
#ifndef CMLX_TRANSFORMS_TRACE_H
#define CMLX_TRANSFORMS_TRACE_H

#include <stddef.h>

#include "cmlx/transforms.h"
#include "core/node.h"

extern const mx_op_def mx_op_trace_input;

/* A finished call of f under a transform. */
typedef struct mx_trace {
    int n_inputs;
    mx_node **inputs;      /* trace_input nodes (one reference each), one per primal */
    mx_array_list outputs; /* what f returned */
} mx_trace;

/* Resolve `primals` (errors name `transform`), wrap each in a trace_input
 * node, and call f on them with tracing on. Tracing stays on (the caller
 * builds rules over live graphs) until mx_trace_free. On failure nothing is
 * left to free and tracing is off again. */
mx_status mx_trace_run(mx_closure f, const mx_array *primals, int n_primals, const char *transform, mx_trace *trace);
/* Release the trace's inputs and outputs and end its tracing. */
void mx_trace_free(mx_trace *trace);

/* A set of nodes (open addressing on the pointer) with an int per node. */
typedef struct mx_node_map {
    mx_node **keys;
    int *values;
    size_t cap, len;
} mx_node_map;
/* The value for `n`, or -1 when absent. */
int mx_node_map_get(const mx_node_map *m, const mx_node *n);
/* Insert or overwrite; false (error set) when out of memory. */
bool mx_node_map_put(mx_node_map *m, mx_node *n, int value);
void mx_node_map_free(mx_node_map *m);

/* The nodes reachable from `roots` that depend on one of `inputs`, inputs
 * excluded, inputs of each before it (topological order). Iterative. Fills
 * `index` with node -> position in the tape, and the inputs with -2. */
typedef struct mx_tape {
    mx_node **nodes; /* borrowed: the graph holds them */
    size_t len, cap;
    mx_node_map index;
} mx_tape;
mx_status mx_tape_build(mx_node *const *roots, int n_roots, mx_node *const *inputs, int n_inputs, mx_tape *tape);
/* True when n is on the tape or is one of its inputs. */
static inline bool mx_tape_depends(const mx_tape *t, const mx_node *n) { return mx_node_map_get(&t->index, n) != -1; }
void mx_tape_free(mx_tape *tape);

/* Node-level helpers for rules and transforms. */
/* zeros of n's shape and dtype (a new reference, or NULL with error set) */
mx_node *mx_node_zeros_like(const mx_node *n);

#endif
