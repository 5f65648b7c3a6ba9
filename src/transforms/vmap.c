/* transforms/vmap.c - mx_vmap: vectorising a function over an axis.
 *
 * vmap(f)(x...) traces f once on placeholders of ONE example's shape (the
 * mapped axis removed; unmapped inputs are passed as they are), then replays
 * the traced tape node by node on the batched inputs: each node's vmap rule
 * (vmap_rules.c, or the op's own) builds the batched node from the batched
 * values of its inputs and says where the batch axis went. Nodes that do not
 * depend on a mapped input are shared, unbatched. At the end each output's
 * batch axis moves to its out_axes entry; an output that does not depend on
 * a mapped input is broadcast along the batch (as MLX does).
 *
 * The placeholders have no values: evaluating one while f is traced fails
 * (MLX's placeholders have no data either). Rules only build nodes of ops
 * that have rules, so vmap(vmap(f)) works, and the results are ordinary lazy
 * arrays that can be differentiated. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "ops/ops.h"
#include "transforms/trace.h"
#include "transforms/vmap.h"

/* The traced stand-in of a mapped input. No view function and no kernel:
 * evaluating it is an error naming it. */
static const mx_op_def k_placeholder_op = {
    .name = "vmap placeholder (an input of a function being vmapped has no value while it is traced)",
    .id = -1,
    .family = MX_FAMILY_OTHER};

typedef struct vmap_payload {
    mx_closure f;
    int n_in_axes, n_out_axes;
    int *in_axes, *out_axes;
} vmap_payload;

static void vmap_payload_free(void *p) {
    vmap_payload *v = p;
    mx_closure_free(v->f);
    free(v->in_axes);
    free(v->out_axes);
    free(v);
}

/* The batched value of a traced node during the replay. */
typedef struct batched {
    mx_node *node; /* a reference */
    int axis;      /* -1: not batched */
} batched;

/* Check the inputs against in_axes; writes the axes of every input into
 * axes and the batch size into *batch. */
static mx_status check_inputs(const vmap_payload *v, mx_node *const *in, int n, int *axes, int64_t *batch) {
    char s[MX_SHAPE_STR_CAP];
    if (v->n_in_axes && v->n_in_axes != n)
        return mx_set_error(MX_ERROR_VALUE, "vmap: the number of in axes (%d) must match the number of inputs (%d)",
                            v->n_in_axes, n);
    int last = -1;
    for (int i = 0; i < n; i++) {
        axes[i] = v->n_in_axes ? v->in_axes[i] : 0;
        if (axes[i] == -1)
            continue;
        if (axes[i] < -1 || axes[i] >= in[i]->ndim) /* MLX: IndexError */
            return mx_set_error(MX_ERROR_INDEX,
                                "vmap: invalid vectorization axis %d for input %d of shape %s (an axis in [0, %d), "
                                "or -1 for an input that is not mapped)",
                                axes[i], i, mx_format_shape(in[i]->shape, in[i]->ndim, s, sizeof s), in[i]->ndim);
        last = i;
    }
    if (last < 0)
        return mx_set_error(MX_ERROR_VALUE, "vmap: at least one of in_axes must be non-None (not -1)");
    *batch = in[last]->shape[axes[last]];
    for (int i = 0; i < n; i++)
        if (axes[i] >= 0 && in[i]->shape[axes[i]] != *batch)
            return mx_set_error(MX_ERROR_VALUE, "vmap: inconsistent axis sizes: %lld and %lld",
                                (long long)in[i]->shape[axes[i]], (long long)*batch);
    return MX_OK;
}

/* Handles for f: a placeholder of one example's shape per mapped input, the
 * input itself otherwise. */
static mx_status make_primals(mx_node *const *in, const int *axes, int n, mx_array *primals) {
    for (int i = 0; i < n; i++) {
        if (axes[i] < 0) {
            mx_node_retain(in[i]);
            primals[i] = mx_handle_wrap(in[i]);
            continue;
        }
        int64_t shape[MX_MAX_NDIM];
        for (int d = 0, k = 0; d < in[i]->ndim; d++)
            if (d != axes[i])
                shape[k++] = in[i]->shape[d];
        mx_node *p = mx_node_new(&k_placeholder_op, NULL, NULL, 0, shape, in[i]->ndim - 1, in[i]->dtype);
        if (!p)
            return mx_last_status();
        primals[i] = mx_handle_wrap(p);
    }
    return MX_OK;
}

/* The rule's result must be the node's shape with the batch inserted. */
static mx_status check_rule_result(const mx_node *node, const batched *r, int64_t batch) {
    char a[MX_SHAPE_STR_CAP], b[MX_SHAPE_STR_CAP];
    bool ok = r->node->dtype == node->dtype;
    if (r->axis < 0) {
        ok = ok && mx_shape_equal(r->node->shape, r->node->ndim, node->shape, node->ndim);
    } else {
        ok = ok && r->axis <= node->ndim && r->node->ndim == node->ndim + 1 && r->node->shape[r->axis] == batch;
        for (int d = 0, k = 0; ok && d < r->node->ndim; d++)
            if (d != r->axis)
                ok = r->node->shape[d] == node->shape[k++];
    }
    if (ok)
        return MX_OK;
    return mx_set_error(
        MX_ERROR_INTERNAL, "vmap: the rule of %s gave %s %s with the batch on axis %d for a node %s %s (batch %lld)",
        node->op->name, mx_format_shape(r->node->shape, r->node->ndim, a, sizeof a), mx_dtype_name(r->node->dtype),
        r->axis, mx_format_shape(node->shape, node->ndim, b, sizeof b), mx_dtype_name(node->dtype), (long long)batch);
}

/* Replay tape node `node` from the batched values found so far. */
static mx_status replay_node(mx_node *node, const mx_tape *tape, const batched *values, const mx_node_map *inputs_at,
                             const batched *input_values, int64_t batch, batched *result) {
    int n = node->n_inputs;
    mx_node *small_in[8];
    int small_axes[8];
    mx_node **ins = n <= 8 ? small_in : malloc((size_t)n * sizeof *ins);
    int *axes = n <= 8 ? small_axes : malloc((size_t)n * sizeof *axes);
    mx_status st = MX_OK;
    if (!ins || !axes) {
        st = mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory at %s", node->op->name);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        mx_node *in = node->inputs[i];
        int pos = mx_node_map_get(&tape->index, in);
        const batched *v = NULL;
        if (pos >= 0)
            v = &values[pos];
        else if (pos == -2) /* a mapped trace input */
            v = &input_values[mx_node_map_get(inputs_at, in)];
        ins[i] = v ? v->node : in;
        axes[i] = v ? v->axis : -1;
    }
    *result = (batched){NULL, -1};
    st = mx_vmap_apply_rule(node, ins, axes, &result->node, &result->axis);
    if (st == MX_OK && (st = check_rule_result(node, result, batch)) != MX_OK) {
        mx_node_release(result->node);
        result->node = NULL;
    }
done:
    if (ins != small_in)
        free(ins);
    if (axes != small_axes)
        free(axes);
    return st;
}

/* Output k: the batch axis moved to out_axis, or (an output that does not
 * depend on a mapped input) broadcast along it. New reference in *out. */
static mx_status place_output(mx_node *traced, const batched *v, int out_axis, int64_t batch, mx_node **out) {
    int nd = traced->ndim + 1;
    int ax = out_axis < 0 ? out_axis + nd : out_axis;
    if (ax < 0 || ax >= nd) { /* MLX: IndexError */
        char s[MX_SHAPE_STR_CAP];
        return mx_set_error(MX_ERROR_INDEX, "vmap: invalid output vectorization axis %d for an output of shape %s",
                            out_axis, mx_format_shape(traced->shape, traced->ndim, s, sizeof s));
    }
    if (v && v->axis >= 0)
        *out = mx_vmap_move_axis(v->node, v->axis, ax);
    else
        *out = mx_vmap_insert_batch(v ? v->node : traced, ax, batch);
    return *out ? MX_OK : mx_last_status();
}

static mx_status vmap_call(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    const vmap_payload *v = payload;
    size_t cap = (size_t)(n ? n : 1);
    mx_node **in = calloc(cap, sizeof *in), **mapped = calloc(cap, sizeof *mapped);
    int *axes = calloc(cap, sizeof *axes);
    mx_array *primals = calloc(cap, sizeof *primals);
    batched *input_values = calloc(cap, sizeof *input_values), *values = NULL;
    mx_node **out_nodes = NULL;
    mx_node_map inputs_at = {0};
    mx_tape tape = {0};
    mx_trace trace = {0};
    int64_t batch = 0;
    int n_mapped = 0, n_out = 0;
    size_t replayed = 0;
    mx_status st = MX_OK;
    if (!in || !mapped || !axes || !primals || !input_values)
        st = mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
    if (st == MX_OK && !mx_handles_get(inputs, n, "vmap", in))
        st = mx_last_status();
    if (st == MX_OK)
        st = check_inputs(v, in, n, axes, &batch);
    if (st == MX_OK)
        st = make_primals(in, axes, n, primals);
    if (st == MX_OK)
        st = mx_trace_run(v->f, primals, n, "vmap", &trace);
    for (int i = 0; primals && i < n; i++)
        mx_free(primals[i]);

    /* the mapped trace inputs, and their batched values: the inputs */
    for (int i = 0; st == MX_OK && i < n; i++) {
        if (axes[i] < 0)
            continue;
        input_values[n_mapped] = (batched){in[i], axes[i]};
        mapped[n_mapped] = trace.inputs[i];
        if (!mx_node_map_put(&inputs_at, trace.inputs[i], n_mapped))
            st = mx_last_status();
        n_mapped++;
    }
    if (st == MX_OK) {
        n_out = trace.outputs.count;
        if (v->n_out_axes && v->n_out_axes != n_out)
            st = mx_set_error(MX_ERROR_VALUE, "vmap: the number of out axes (%d) must match the number of outputs (%d)",
                              v->n_out_axes, n_out);
    }
    if (st == MX_OK && !(out_nodes = calloc((size_t)(n_out ? n_out : 1), sizeof *out_nodes)))
        st = mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
    if (st == MX_OK && !mx_handles_get(trace.outputs.items, n_out, "vmap", out_nodes))
        st = mx_last_status();
    if (st == MX_OK)
        st = mx_tape_build(out_nodes, n_out, mapped, n_mapped, &tape);
    if (st == MX_OK && !(values = calloc(tape.len ? tape.len : 1, sizeof *values)))
        st = mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
    for (; st == MX_OK && replayed < tape.len; replayed++)
        st = replay_node(tape.nodes[replayed], &tape, values, &inputs_at, input_values, batch, &values[replayed]);

    for (int k = 0; st == MX_OK && k < n_out; k++) {
        mx_node *traced = out_nodes[k], *result = NULL;
        int pos = mx_node_map_get(&tape.index, traced);
        const batched *bv = pos >= 0    ? &values[pos]
                            : pos == -2 ? &input_values[mx_node_map_get(&inputs_at, traced)]
                                        : NULL;
        /* an unmapped input returned as it is: its value, not its trace node */
        if (!bv && traced->op == &mx_op_trace_input)
            traced = traced->inputs[0];
        st = place_output(traced, bv, v->n_out_axes ? v->out_axes[k] : 0, batch, &result);
        if (st == MX_OK)
            st = mx_array_list_push(outputs, mx_handle_wrap(result));
    }

    for (size_t t = 0; values && t < replayed; t++)
        mx_node_release(values[t].node);
    free(values);
    mx_tape_free(&tape);
    mx_trace_free(&trace);
    mx_node_map_free(&inputs_at);
    free(out_nodes);
    free(in);
    free(mapped);
    free(axes);
    free(primals);
    free(input_values);
    if (st != MX_OK)
        mx_array_list_clear(outputs);
    return st;
}

mx_closure mx_vmap(mx_closure f, const int *in_axes, int n_in_axes, const int *out_axes, int n_out_axes) {
    if (!f) {
        mx_set_error(MX_ERROR_VALUE, "vmap: the function is NULL");
        return NULL;
    }
    if (n_in_axes < 0 || n_out_axes < 0 || (n_in_axes && !in_axes) || (n_out_axes && !out_axes)) {
        mx_set_error(MX_ERROR_VALUE, "vmap: invalid axes (%d in axes, %d out axes)", n_in_axes, n_out_axes);
        return NULL;
    }
    vmap_payload *v = calloc(1, sizeof *v);
    if (v) {
        v->in_axes = malloc(sizeof(int) * (size_t)(n_in_axes ? n_in_axes : 1));
        v->out_axes = malloc(sizeof(int) * (size_t)(n_out_axes ? n_out_axes : 1));
    }
    if (!v || !v->in_axes || !v->out_axes) {
        if (v) {
            free(v->in_axes);
            free(v->out_axes);
        }
        free(v);
        mx_set_error(MX_ERROR_MEMORY, "vmap: out of memory");
        return NULL;
    }
    if (n_in_axes)
        memcpy(v->in_axes, in_axes, sizeof(int) * (size_t)n_in_axes);
    if (n_out_axes)
        memcpy(v->out_axes, out_axes, sizeof(int) * (size_t)n_out_axes);
    v->n_in_axes = n_in_axes;
    v->n_out_axes = n_out_axes;
    v->f = mx_closure_retain(f);
    return mx_closure_new(vmap_call, v, vmap_payload_free);
}
