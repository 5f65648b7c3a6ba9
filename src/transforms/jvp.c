/* transforms/jvp.c - forward mode: mx_jvp.
 *
 * f runs on trace inputs; the tape orders the nodes that depend on them.
 * Walking the tape forwards, each node's op's jvp rule maps the tangents of
 * its inputs (NULL for inputs that do not depend on the primals, or whose
 * tangent is zero) to the node's tangent. A tangent is released after the
 * last tape node that reads it, so the forward pass holds only the tangents
 * still needed, and only tangents that reach an output are computed at all
 * (nothing flows through stop_gradient, nor into the inner graph of a custom
 * function that has its own jvp). An op without a jvp rule is an error
 * naming it, as in MLX. */
#include <stdlib.h>

#include "core/error.h"
#include "core/handle.h"
#include "ops/ops.h"
#include "transforms/custom.h"
#include "transforms/trace.h"

/* The tangent of `in` (borrowed, may be NULL): a tape node's, a trace
 * input's, or none (a constant). */
static mx_node *tangent_of(const mx_tape *tape, const mx_node_map *input_index, mx_node *const *tans,
                           mx_node *const *input_tans, const mx_node *in) {
    int pos = mx_node_map_get(&tape->index, in);
    if (pos >= 0)
        return tans[pos];
    if (pos == -2)
        return input_tans[mx_node_map_get(input_index, in)];
    return NULL;
}

/* Tangents of the primals, checked and cast to the primal's dtype (a rule
 * gives its node's dtype, so every tangent has its node's dtype). */
static mx_status input_tangents(const mx_trace *trace, const mx_array *tangents, mx_node **input_tans) {
    for (int i = 0; i < trace->n_inputs; i++) {
        mx_node *t = mx_handle_get(tangents[i], "jvp");
        if (!t)
            return mx_last_status();
        const mx_node *p = trace->inputs[i];
        if (!mx_shape_equal(p->shape, p->ndim, t->shape, t->ndim)) {
            char a[MX_SHAPE_STR_CAP], b[MX_SHAPE_STR_CAP];
            return mx_set_error(MX_ERROR_VALUE, "[jvp] Input shape %s does not match shape of tangent %s (input %d)",
                                mx_format_shape(p->shape, p->ndim, a, sizeof a),
                                mx_format_shape(t->shape, t->ndim, b, sizeof b), i);
        }
        input_tans[i] = mx_node_astype(t, p->dtype);
        if (!input_tans[i])
            return mx_last_status();
    }
    return MX_OK;
}

/* Run node's jvp rule; *out gets its tangent (NULL: zero). */
static mx_status forward_node(const mx_tape *tape, const mx_node_map *input_index, mx_node *const *tans,
                              mx_node *const *input_tans, mx_node *node, mx_node **out) {
    *out = NULL;
    mx_node *small[8];
    mx_node **in_tans = node->n_inputs <= 8 ? small : malloc((size_t)node->n_inputs * sizeof *in_tans);
    if (!in_tans)
        return mx_set_error(MX_ERROR_MEMORY, "jvp: out of memory at %s", node->op->name);
    bool any = false;
    for (int i = 0; i < node->n_inputs; i++) {
        in_tans[i] =
            mx_jvp_reads_input(node, i) ? tangent_of(tape, input_index, tans, input_tans, node->inputs[i]) : NULL;
        any = any || in_tans[i];
    }
    mx_status st = MX_OK;
    if (!any) {
        /* every input tangent is zero: so is this one */
    } else if (!node->op->jvp) {
        st = mx_set_error(MX_ERROR_UNSUPPORTED, "jvp: not implemented for %s (the op has no JVP rule)", node->op->name);
    } else {
        st = (mx_status)node->op->jvp(node, in_tans, out);
        if (st != MX_OK && mx_last_status() == MX_OK)
            mx_set_error(st, "jvp: the rule of %s failed", node->op->name);
        if (st != MX_OK && *out) {
            mx_node_release(*out);
            *out = NULL;
        }
        if (st == MX_OK && *out && !mx_shape_equal((*out)->shape, (*out)->ndim, node->shape, node->ndim)) {
            char a[MX_SHAPE_STR_CAP], b[MX_SHAPE_STR_CAP];
            st = mx_set_error(MX_ERROR_INTERNAL,
                              "jvp: the rule of %s gave a tangent of shape %s for an output of shape %s",
                              node->op->name, mx_format_shape((*out)->shape, (*out)->ndim, a, sizeof a),
                              mx_format_shape(node->shape, node->ndim, b, sizeof b));
            mx_node_release(*out);
            *out = NULL;
        }
    }
    if (in_tans != small)
        free(in_tans);
    return st;
}

mx_status mx_jvp(mx_closure f, const mx_array *primals, int n_primals, const mx_array *tangents, int n_tangents,
                 mx_array_list *outputs, mx_array_list *jvps) {
    if (!outputs || !jvps || outputs->count || jvps->count)
        return mx_set_error(MX_ERROR_VALUE, "jvp: needs two empty output lists");
    if (n_tangents != n_primals)
        return mx_set_error(MX_ERROR_VALUE, "[jvp] Number of inputs (%d) does not match number of tangents (%d).",
                            n_primals, n_tangents);
    if (n_tangents > 0 && !tangents)
        return mx_set_error(MX_ERROR_VALUE, "jvp: %d tangents given without an array", n_tangents);
    mx_trace trace;
    mx_status st = mx_trace_run(f, primals, n_primals, "jvp", &trace);
    if (st != MX_OK)
        return st;
    int n_out = trace.outputs.count;
    mx_node **out_nodes = calloc((size_t)(n_out ? n_out : 1), sizeof *out_nodes);
    mx_node **input_tans = calloc((size_t)(n_primals ? n_primals : 1), sizeof *input_tans);
    mx_node_map input_index = {0};
    mx_tape tape = {0};
    mx_node **tans = NULL;
    int *last_use = NULL;
    if (!out_nodes || !input_tans)
        st = mx_set_error(MX_ERROR_MEMORY, "jvp: out of memory");
    if (st == MX_OK)
        st = input_tangents(&trace, tangents, input_tans);
    for (int i = 0; st == MX_OK && i < n_primals; i++)
        if (!mx_node_map_put(&input_index, trace.inputs[i], i))
            st = mx_last_status();
    if (st == MX_OK && !mx_handles_get(trace.outputs.items, n_out, "jvp", out_nodes))
        st = mx_last_status();
    if (st == MX_OK)
        st = mx_tape_build(out_nodes, n_out, trace.inputs, trace.n_inputs, &tape);
    if (st == MX_OK) {
        tans = calloc(tape.len ? tape.len : 1, sizeof *tans);
        last_use = malloc((tape.len ? tape.len : 1) * sizeof *last_use);
        if (!tans || !last_use)
            st = mx_set_error(MX_ERROR_MEMORY, "jvp: out of memory");
    }
    /* which tangents reach an output (walking back from the outputs through
     * the inputs each rule reads; -1: not needed), and for those the last
     * tape position that reads them (outputs keep theirs: tape.len) */
    for (size_t t = 0; st == MX_OK && t < tape.len; t++)
        last_use[t] = -1;
    for (int k = 0; st == MX_OK && k < n_out; k++) {
        int pos = mx_node_map_get(&tape.index, out_nodes[k]);
        if (pos >= 0)
            last_use[pos] = (int)tape.len;
    }
    for (size_t t = tape.len; st == MX_OK && t-- > 0;) {
        if (last_use[t] == -1)
            continue;
        for (int i = 0; i < tape.nodes[t]->n_inputs; i++) {
            int pos = mx_node_map_get(&tape.index, tape.nodes[t]->inputs[i]);
            if (pos >= 0 && mx_jvp_reads_input(tape.nodes[t], i) && last_use[pos] < (int)t)
                last_use[pos] = (int)t;
        }
    }
    for (size_t t = 0; st == MX_OK && t < tape.len; t++) {
        if (last_use[t] == -1)
            continue;
        st = forward_node(&tape, &input_index, tans, input_tans, tape.nodes[t], &tans[t]);
        for (int i = 0; st == MX_OK && i < tape.nodes[t]->n_inputs; i++) {
            int pos = mx_node_map_get(&tape.index, tape.nodes[t]->inputs[i]);
            if (pos >= 0 && last_use[pos] == (int)t && tans[pos]) {
                mx_node_release(tans[pos]);
                tans[pos] = NULL;
            }
        }
    }
    /* results: each output's tangent, zeros where none flows (MLX: zeros_like) */
    for (int k = 0; st == MX_OK && k < n_out; k++) {
        mx_node *t = tangent_of(&tape, &input_index, tans, input_tans, out_nodes[k]);
        if (t)
            mx_node_retain(t);
        else
            t = mx_node_zeros_like(out_nodes[k]);
        st = t ? mx_array_list_push(jvps, mx_handle_wrap(t)) : mx_last_status();
    }
    for (int k = 0; st == MX_OK && k < n_out; k++)
        st = mx_array_list_push(outputs, mx_retain(trace.outputs.items[k]));
    if (tans)
        for (size_t t = 0; t < tape.len; t++)
            mx_node_release(tans[t]);
    for (int i = 0; input_tans && i < n_primals; i++)
        mx_node_release(input_tans[i]);
    free(tans);
    free(last_use);
    free(input_tans);
    free(out_nodes);
    mx_node_map_free(&input_index);
    mx_tape_free(&tape);
    mx_trace_free(&trace);
    if (st != MX_OK) {
        mx_array_list_clear(outputs);
        mx_array_list_clear(jvps);
    }
    return st;
}
