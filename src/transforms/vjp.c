/* transforms/vjp.c - reverse mode: mx_vjp.
 *
 * f runs on trace inputs; the tape orders the nodes that depend on them.
 * Walking the tape backwards, each node's accumulated cotangent goes through
 * its op's vjp rule to the inputs that depend on a trace input, where it is
 * summed. A node's cotangent is released as soon as its rule has run, so the
 * backward graph holds only what later rules still need. */
#include <stdlib.h>

#include "core/error.h"
#include "core/handle.h"
#include "ops/ops.h"
#include "transforms/trace.h"

/* acc[i] += g (both node references; takes over g). */
static mx_status accumulate(mx_node **acc, mx_node *g) {
    if (!*acc) {
        *acc = g;
        return MX_OK;
    }
    mx_node *sum = mx_node_binary(&mx_op_add, *acc, g);
    mx_node_release(g);
    if (!sum)
        return mx_last_status();
    mx_node_release(*acc);
    *acc = sum;
    return MX_OK;
}

/* A gradient must have its input's shape; the dtype is cast to the input's. */
static mx_status check_gradient(const mx_node *node, const mx_node *input, mx_node **g) {
    char a[MX_SHAPE_STR_CAP], b[MX_SHAPE_STR_CAP];
    if (!mx_shape_equal((*g)->shape, (*g)->ndim, input->shape, input->ndim))
        return mx_set_error(MX_ERROR_INTERNAL,
                            "vjp: the rule of %s gave a gradient of shape %s for an input of shape %s", node->op->name,
                            mx_format_shape((*g)->shape, (*g)->ndim, a, sizeof a),
                            mx_format_shape(input->shape, input->ndim, b, sizeof b));
    if ((*g)->dtype != input->dtype) {
        mx_node *cast = mx_node_astype(*g, input->dtype);
        if (!cast)
            return mx_last_status();
        mx_node_release(*g);
        *g = cast;
    }
    return MX_OK;
}

/* Run the rule of tape node `node` with cotangent `cot`, adding into cots. */
static mx_status backprop_node(const mx_tape *tape, mx_node *node, mx_node *cot, mx_node **cots, mx_node **input_cots,
                               const mx_trace *trace) {
    int argnums[64], nargs = 0;
    int *args = node->n_inputs <= 64 ? argnums : malloc((size_t)node->n_inputs * sizeof *args);
    mx_node **grads = calloc((size_t)(node->n_inputs ? node->n_inputs : 1), sizeof *grads);
    if (!args || !grads) {
        if (args != argnums)
            free(args);
        free(grads);
        return mx_set_error(MX_ERROR_MEMORY, "vjp: out of memory at %s", node->op->name);
    }
    for (int i = 0; i < node->n_inputs; i++)
        if (mx_tape_depends(tape, node->inputs[i]))
            args[nargs++] = i;
    mx_status st = MX_OK;
    if (nargs == 0) {
        /* nothing to propagate */
    } else if (!node->op->vjp) {
        st = mx_set_error(MX_ERROR_UNSUPPORTED, "vjp: %s has no VJP rule (its gradient is not implemented)",
                          node->op->name);
    } else {
        st = (mx_status)node->op->vjp(node, cot, args, nargs, grads);
        if (st != MX_OK && mx_last_status() == MX_OK)
            mx_set_error(st, "vjp: the rule of %s failed", node->op->name);
    }
    for (int k = 0; k < nargs; k++) {
        mx_node *g = grads[k];
        if (!g)
            continue;
        mx_node *input = node->inputs[args[k]];
        if (st == MX_OK)
            st = check_gradient(node, input, &g);
        if (st != MX_OK) {
            mx_node_release(g);
            continue;
        }
        int pos = mx_node_map_get(&tape->index, input);
        if (pos >= 0) {
            st = accumulate(&cots[pos], g);
        } else {
            /* a trace input: find which (the same node may be several primals' input only once) */
            for (int i = 0; i < trace->n_inputs; i++)
                if (trace->inputs[i] == input) {
                    st = accumulate(&input_cots[i], g);
                    break;
                }
        }
    }
    if (args != argnums)
        free(args);
    free(grads);
    return st;
}

mx_status mx_vjp(mx_closure f, const mx_array *primals, int n_primals, const mx_array *cotangents, int n_cotangents,
                 mx_array_list *outputs, mx_array_list *vjps) {
    if (!outputs || !vjps || outputs->count || vjps->count)
        return mx_set_error(MX_ERROR_VALUE, "vjp: needs two empty output lists");
    mx_trace trace;
    mx_status st = mx_trace_run(f, primals, n_primals, "vjp", &trace);
    if (st != MX_OK)
        return st;
    int n_out = trace.outputs.count;
    mx_node **out_nodes = calloc((size_t)(n_out ? n_out : 1), sizeof *out_nodes);
    mx_node **cot_nodes = calloc((size_t)(n_out ? n_out : 1), sizeof *cot_nodes);
    mx_node **input_cots = calloc((size_t)(n_primals ? n_primals : 1), sizeof *input_cots);
    mx_tape tape = {0};
    if (!out_nodes || !cot_nodes || !input_cots)
        st = mx_set_error(MX_ERROR_MEMORY, "vjp: out of memory");
    if (st == MX_OK && n_cotangents != n_out)
        st = mx_set_error(MX_ERROR_VALUE,
                          "vjp: the function has %d outputs but %d cotangents were given (one per output)", n_out,
                          n_cotangents);
    if (st == MX_OK && n_cotangents > 0 && !cotangents)
        st = mx_set_error(MX_ERROR_VALUE, "vjp: %d cotangents given without an array", n_cotangents);
    if (st == MX_OK && (!mx_handles_get(trace.outputs.items, n_out, "vjp", out_nodes) ||
                        !mx_handles_get(cotangents, n_out, "vjp", cot_nodes)))
        st = mx_last_status();
    for (int k = 0; st == MX_OK && k < n_out; k++) {
        char a[MX_SHAPE_STR_CAP], b[MX_SHAPE_STR_CAP];
        if (!mx_shape_equal(out_nodes[k]->shape, out_nodes[k]->ndim, cot_nodes[k]->shape, cot_nodes[k]->ndim))
            st = mx_set_error(MX_ERROR_VALUE, "vjp: output %d has shape %s but its cotangent has shape %s", k,
                              mx_format_shape(out_nodes[k]->shape, out_nodes[k]->ndim, a, sizeof a),
                              mx_format_shape(cot_nodes[k]->shape, cot_nodes[k]->ndim, b, sizeof b));
    }
    if (st == MX_OK)
        st = mx_tape_build(out_nodes, n_out, trace.inputs, trace.n_inputs, &tape);
    mx_node **cots = NULL;
    if (st == MX_OK && !(cots = calloc(tape.len ? tape.len : 1, sizeof *cots)))
        st = mx_set_error(MX_ERROR_MEMORY, "vjp: out of memory");
    /* seed: each output's cotangent, in the output's dtype */
    for (int k = 0; st == MX_OK && k < n_out; k++) {
        int pos = mx_node_map_get(&tape.index, out_nodes[k]);
        if (pos == -1)
            continue; /* the output does not depend on the primals */
        mx_node *seed = mx_node_astype(cot_nodes[k], out_nodes[k]->dtype);
        if (!seed) {
            st = mx_last_status();
            break;
        }
        if (pos >= 0) {
            st = accumulate(&cots[pos], seed);
        } else {
            for (int i = 0; i < trace.n_inputs; i++)
                if (trace.inputs[i] == out_nodes[k]) {
                    st = accumulate(&input_cots[i], seed);
                    break;
                }
        }
    }
    for (size_t t = tape.len; st == MX_OK && t-- > 0;) {
        mx_node *cot = cots[t];
        if (!cot)
            continue;
        cots[t] = NULL;
        st = backprop_node(&tape, tape.nodes[t], cot, cots, input_cots, &trace);
        mx_node_release(cot);
    }
    /* results: one gradient per primal, zeros where no gradient flows */
    for (int i = 0; st == MX_OK && i < n_primals; i++) {
        mx_node *g = input_cots[i];
        input_cots[i] = NULL;
        if (!g)
            g = mx_node_zeros_like(trace.inputs[i]);
        else if (g->dtype != trace.inputs[i]->dtype) {
            mx_node *cast = mx_node_astype(g, trace.inputs[i]->dtype);
            mx_node_release(g);
            g = cast;
        }
        st = g ? mx_array_list_push(vjps, mx_handle_wrap(g)) : mx_last_status();
    }
    for (int k = 0; st == MX_OK && k < n_out; k++)
        st = mx_array_list_push(outputs, mx_retain(trace.outputs.items[k]));
    if (cots)
        for (size_t t = 0; t < tape.len; t++)
            mx_node_release(cots[t]);
    for (int i = 0; input_cots && i < n_primals; i++)
        mx_node_release(input_cots[i]);
    free(cots);
    free(input_cots);
    free(out_nodes);
    free(cot_nodes);
    mx_tape_free(&tape);
    mx_trace_free(&trace);
    if (st != MX_OK) {
        mx_array_list_clear(outputs);
        mx_array_list_clear(vjps);
    }
    return st;
}
