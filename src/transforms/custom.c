/* transforms/custom.c - functions with their own transform rules
 * (mx_custom_function, mx_custom_vjp) and checkpoints (mx_checkpoint).
 *
 * Calling a custom function runs f, then gives each of f's m outputs a
 * `custom_function` node: output k's node has the inputs [f's output k,
 * primal 1, ..., primal n] and is an identity view of input 0. Its params
 * point to a refcounted record of the call (the closures, n, m, f's outputs)
 * that each node holds one reference to, released by params_release.
 *
 * Rules of the node for output k:
 *   vjp  with a user vjp: the user vjp on (primals, cotangents, outputs) with
 *        the cotangent for output k and zeros for the others (a VJP is linear
 *        in the cotangents, so the per-output calls sum to the full one); the
 *        gradient for input 0 is zero, so f's own graph is never
 *        differentiated. Without: the cotangent flows into f's graph (input 0).
 *   jvp  likewise with the user jvp (output k of its m tangents), or input
 *        0's tangent.
 *   vmap the user vmap (output k and its axis), or input 0 batched.
 * A checkpoint is a custom function whose vjp recomputes f: mx_vjp(f,
 * primals, cotangents). Its backward graph refers to the primals only, never
 * to f's intermediate nodes, so those are freed as soon as the forward pass
 * has used them (the point of checkpointing: test_transforms.c measures it). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/ops.h"
#include "core/error.h"
#include "core/handle.h"
#include "ops/ops.h"
#include "transforms/custom.h"
#include "transforms/trace.h"

/* The closures of a custom function (the closure's payload). */
typedef struct custom_fn {
    mx_closure f, vjp, jvp, vmap;
    bool checkpoint; /* vjp = recompute f */
} custom_fn;

/* One call of a custom function. */
typedef struct custom_record {
    atomic_int refs;
    const custom_fn *fn; /* the closures, kept alive by fn_ref */
    mx_closure fn_ref;   /* the custom function's closure (one reference) */
    int n_primals, n_outputs;
    mx_node **outputs; /* f's outputs, one reference each */
} custom_record;

typedef struct custom_params {
    custom_record *record;
    int output; /* k */
} custom_params;

static void record_release(custom_record *r) {
    if (!r || atomic_fetch_sub(&r->refs, 1) != 1)
        return;
    for (int k = 0; k < r->n_outputs; k++)
        mx_node_release(r->outputs[k]);
    free(r->outputs);
    mx_closure_free(r->fn_ref);
    free(r);
}

static void custom_params_release(void *params) { record_release(((custom_params *)params)->record); }

static const custom_params *params_of(const mx_node *node) { return mx_node_params(node); }

/* ---- helpers: nodes <-> handles for calling user closures ------------------------------ */

/* A new handle for borrowed node n. */
static mx_array handle_of(mx_node *n) {
    mx_node_retain(n);
    return mx_handle_wrap(n);
}

/* Call closure `fn` on nodes; on success `result` holds its outputs. */
static mx_status call_on_nodes(mx_closure fn, mx_node *const *nodes, int n, mx_array_list *result) {
    mx_array *in = malloc((size_t)(n ? n : 1) * sizeof *in);
    if (!in)
        return mx_set_error(MX_ERROR_MEMORY, "custom_function: out of memory");
    for (int i = 0; i < n; i++)
        in[i] = handle_of(nodes[i]);
    mx_status st = mx_closure_apply(fn, in, n, result);
    mx_free_n(in, n);
    free(in);
    return st;
}

/* The node of result item i, checked against `like`'s shape (a new
 * reference, or NULL with the error set). */
static mx_node *result_node(const mx_array_list *result, int i, const mx_node *like, const char *what) {
    mx_node *n = mx_handle_get(result->items[i], what);
    if (!n)
        return NULL;
    if (!mx_shape_equal(n->shape, n->ndim, like->shape, like->ndim)) {
        char a[MX_SHAPE_STR_CAP], b[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "%s: result %d has shape %s but shape %s is expected", what, i,
                     mx_format_shape(n->shape, n->ndim, a, sizeof a),
                     mx_format_shape(like->shape, like->ndim, b, sizeof b));
        return NULL;
    }
    mx_node_retain(n);
    return n;
}

/* The cotangents of a call for output k: cot at k, zeros elsewhere. Fills
 * nodes[0..m) with new references. */
static mx_status cotangents_for(const custom_record *r, int k, mx_node *cot, mx_node **nodes) {
    for (int j = 0; j < r->n_outputs; j++) {
        if (j == k) {
            mx_node_retain(cot);
            nodes[j] = cot;
        } else if (!(nodes[j] = mx_node_zeros_like(r->outputs[j]))) {
            return mx_last_status();
        }
    }
    return MX_OK;
}

/* ---- the op: an identity view of f's output, with the rules ----------------------------- */

static bool custom_view(mx_node *out) {
    mx_node *in = out->inputs[0];
    mx_node_set_view(out, in, in->offset, in->strides);
    return true;
}

/* ---- depends(x, after): x, computed only once `after` has been ---------------------------- */

static int depends_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int a = 0; a < nargs; a++) {
        grads_out[a] = NULL;
        if (argnums[a] == 0) {
            mx_node_retain(cotangent);
            grads_out[a] = cotangent;
        }
    }
    return MX_OK;
}

static int depends_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    if (tangents[0])
        mx_node_retain(tangents[0]);
    *tangent_out = tangents[0];
    return MX_OK;
}

static int depends_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    mx_node_retain(inputs[0]);
    *out = inputs[0];
    *out_axis = in_axes[0];
    return MX_OK;
}

/* An identity view of input 0 whose other inputs are evaluated first: the
 * scheduler runs a node after all its inputs, so whatever consumes this
 * waits for them. */
const mx_op_def mx_op_depends = {.name = "depends",
                                 .id = MX_OP_depends,
                                 .family = MX_FAMILY_VIEW,
                                 .view_fn = custom_view,
                                 .vjp = depends_vjp,
                                 .jvp = depends_jvp,
                                 .vmap = depends_vmap};

/* vjp by recomputation: the gradients of f at the primals (a checkpoint).
 * The recomputation reads the primals through depends(primal, cotangent):
 * evaluation then recomputes f only once the cotangent is known, i.e. when
 * the backward pass reaches this block, not while the forward pass or the
 * backward pass of later blocks still runs (which would hold every block's
 * recomputed values at once). */
static mx_status recompute_vjp(const custom_record *r, mx_node *const *primals, mx_node *const *cots, int k,
                               mx_array_list *grads) {
    int n = r->n_primals, m = r->n_outputs;
    mx_array *p = calloc((size_t)(n + m ? n + m : 1), sizeof *p);
    if (!p)
        return mx_set_error(MX_ERROR_MEMORY, "checkpoint: out of memory");
    mx_status st = MX_OK;
    for (int i = 0; i < n && st == MX_OK; i++) {
        mx_node *ins[2] = {primals[i], cots[k]};
        mx_node *d = mx_node_new(&mx_op_depends, NULL, ins, 2, primals[i]->shape, primals[i]->ndim, primals[i]->dtype);
        p[i] = mx_handle_wrap(d);
        st = d ? MX_OK : mx_last_status();
    }
    for (int j = 0; j < m; j++)
        p[n + j] = handle_of(cots[j]);
    mx_array_list outs = {0};
    if (st == MX_OK)
        st = mx_vjp(r->fn->f, p, n, p + n, m, &outs, grads);
    mx_array_list_clear(&outs);
    mx_free_n(p, n + m);
    free(p);
    return st;
}

static int custom_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    const custom_params *cp = params_of(node);
    const custom_record *r = cp->record;
    for (int a = 0; a < nargs; a++)
        grads_out[a] = NULL;
    if (!r->fn->vjp && !r->fn->checkpoint) {
        /* derived from f's graph: the cotangent goes to f's output */
        for (int a = 0; a < nargs; a++)
            if (argnums[a] == 0) {
                mx_node_retain(cotangent);
                grads_out[a] = cotangent;
            }
        return MX_OK;
    }
    bool wanted = false;
    for (int a = 0; a < nargs; a++)
        wanted = wanted || argnums[a] > 0;
    if (!wanted)
        return MX_OK;
    int n = r->n_primals, m = r->n_outputs;
    mx_node *const *primals = node->inputs + 1;
    mx_node **args = calloc((size_t)(n + 2 * m), sizeof *args);
    if (!args)
        return mx_set_error(MX_ERROR_MEMORY, "custom_function: out of memory");
    mx_status st = cotangents_for(r, cp->output, cotangent, args + n);
    mx_array_list grads = {0};
    const char *what = r->fn->checkpoint ? "checkpoint" : "custom_function vjp";
    if (st == MX_OK) {
        if (r->fn->checkpoint) {
            st = recompute_vjp(r, primals, args + n, cp->output, &grads);
        } else {
            memcpy(args, primals, (size_t)n * sizeof *args);
            memcpy(args + n + m, r->outputs, (size_t)m * sizeof *args);
            st = call_on_nodes(r->fn->vjp, args, n + 2 * m, &grads);
            memset(args, 0, (size_t)n * sizeof *args);
            memset(args + n + m, 0, (size_t)m * sizeof *args);
        }
    }
    if (st == MX_OK && grads.count != n)
        st =
            mx_set_error(MX_ERROR_VALUE, "%s: returned %d gradients for a function of %d inputs", what, grads.count, n);
    for (int a = 0; st == MX_OK && a < nargs; a++) {
        int i = argnums[a] - 1;
        if (i < 0)
            continue; /* f's output: not differentiated */
        if (!(grads_out[a] = result_node(&grads, i, primals[i], what)))
            st = mx_last_status();
    }
    if (st != MX_OK)
        for (int a = 0; a < nargs; a++) {
            mx_node_release(grads_out[a]);
            grads_out[a] = NULL;
        }
    for (int j = 0; j < n + 2 * m; j++)
        mx_node_release(args[j]);
    free(args);
    mx_array_list_clear(&grads);
    return st;
}

static int custom_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    const custom_params *cp = params_of(node);
    const custom_record *r = cp->record;
    *tangent_out = NULL;
    if (!r->fn->jvp) {
        if (tangents[0])
            mx_node_retain(tangents[0]);
        *tangent_out = tangents[0];
        return MX_OK;
    }
    int n = r->n_primals, m = r->n_outputs;
    bool any = false;
    for (int i = 0; i < n; i++)
        any = any || tangents[1 + i];
    if (!any)
        return MX_OK;
    mx_node **args = calloc((size_t)(n > 0 ? 2 * n : 1), sizeof *args);
    if (!args)
        return mx_set_error(MX_ERROR_MEMORY, "custom_function: out of memory");
    mx_status st = MX_OK;
    for (int i = 0; st == MX_OK && i < n; i++) {
        mx_node_retain(node->inputs[1 + i]);
        args[i] = node->inputs[1 + i];
        if (tangents[1 + i]) {
            mx_node_retain(tangents[1 + i]);
            args[n + i] = tangents[1 + i];
        } else if (!(args[n + i] = mx_node_zeros_like(node->inputs[1 + i]))) {
            st = mx_last_status();
        }
    }
    mx_array_list result = {0};
    if (st == MX_OK)
        st = call_on_nodes(r->fn->jvp, args, 2 * n, &result);
    if (st == MX_OK && result.count != m)
        st = mx_set_error(MX_ERROR_VALUE, "custom_function jvp: returned %d tangents for a function of %d outputs",
                          result.count, m);
    if (st == MX_OK && !(*tangent_out = result_node(&result, cp->output, node, "custom_function jvp")))
        st = mx_last_status();
    for (int i = 0; i < 2 * n; i++)
        mx_node_release(args[i]);
    free(args);
    mx_array_list_clear(&result);
    return st;
}

static int custom_vmap(const mx_node *node, mx_node *const *inputs, const int *in_axes, mx_node **out, int *out_axis) {
    const custom_params *cp = params_of(node);
    const custom_record *r = cp->record;
    *out = NULL;
    *out_axis = -1;
    if (!r->fn->vmap) {
        mx_node_retain(inputs[0]);
        *out = inputs[0];
        *out_axis = in_axes[0];
        return MX_OK;
    }
    int n = r->n_primals, m = r->n_outputs;
    mx_node **args = calloc((size_t)(n > 0 ? 2 * n : 1), sizeof *args);
    if (!args)
        return mx_set_error(MX_ERROR_MEMORY, "custom_function: out of memory");
    mx_status st = MX_OK;
    for (int i = 0; st == MX_OK && i < n; i++) {
        mx_node_retain(inputs[1 + i]);
        args[i] = inputs[1 + i];
        if (!(args[n + i] = mx_node_scalar(in_axes[1 + i], MX_INT32)))
            st = mx_last_status();
    }
    mx_array_list result = {0};
    if (st == MX_OK)
        st = call_on_nodes(r->fn->vmap, args, 2 * n, &result);
    if (st == MX_OK && result.count != 2 * m)
        st = mx_set_error(MX_ERROR_VALUE,
                          "custom_function vmap: returned %d arrays; expected %d outputs and then their %d axes",
                          result.count, m, m);
    int64_t axis = -1;
    if (st == MX_OK)
        st = mx_item_i64(result.items[m + cp->output], &axis);
    if (st == MX_OK) {
        mx_node *o = mx_handle_get(result.items[cp->output], "custom_function vmap");
        if (!o) {
            st = mx_last_status();
        } else if (axis < -1 || axis >= o->ndim) {
            st = mx_set_error(MX_ERROR_VALUE, "custom_function vmap: output %d has rank %d but its axis is %lld",
                              cp->output, o->ndim, (long long)axis);
        } else {
            mx_node_retain(o);
            *out = o;
            *out_axis = (int)axis;
        }
    }
    for (int i = 0; i < 2 * n; i++)
        mx_node_release(args[i]);
    free(args);
    mx_array_list_clear(&result);
    return st;
}

const mx_op_def mx_op_custom_function = {.name = "custom_function",
                                         .id = MX_OP_custom_function,
                                         .family = MX_FAMILY_VIEW,
                                         .params_size = sizeof(custom_params),
                                         .view_fn = custom_view,
                                         .vjp = custom_vjp,
                                         .jvp = custom_jvp,
                                         .vmap = custom_vmap,
                                         .params_release = custom_params_release};

bool mx_jvp_reads_input(const mx_node *node, int i) {
    if (node->op == &mx_op_stop_gradient)
        return false;
    if (node->op == &mx_op_custom_function)
        return params_of(node)->record->fn->jvp ? i > 0 : i == 0;
    return true;
}

/* ---- the closures --------------------------------------------------------------------- */

static void custom_fn_destroy(void *payload) {
    custom_fn *c = payload;
    mx_closure_free(c->f);
    mx_closure_free(c->vjp);
    mx_closure_free(c->jvp);
    mx_closure_free(c->vmap);
    free(c);
}

typedef struct custom_closure {
    custom_fn fn; /* first: the payload is a custom_fn */
    mx_closure self;
} custom_closure;

static mx_status custom_apply(void *payload, const mx_array *inputs, int n, mx_array_list *outputs);

/* Wrap f's outputs of one call in custom_function nodes. */
static mx_status wrap_outputs(const custom_fn *fn, mx_closure self, const mx_array *inputs, int n,
                              mx_array_list *f_outs, mx_array_list *outputs) {
    int m = f_outs->count;
    custom_record *r = calloc(1, sizeof *r);
    mx_node **ins = malloc((size_t)(n + 1) * sizeof *ins);
    mx_status st = MX_OK;
    if (!r || !ins || !(r->outputs = calloc((size_t)(m ? m : 1), sizeof *r->outputs))) {
        if (r)
            free(r->outputs);
        free(r);
        free(ins);
        return mx_set_error(MX_ERROR_MEMORY, "custom_function: out of memory");
    }
    atomic_init(&r->refs, 1);
    r->fn = fn;
    r->fn_ref = mx_closure_retain(self);
    r->n_primals = n;
    r->n_outputs = m;
    if (!mx_handles_get(f_outs->items, m, "custom_function", r->outputs) ||
        (n && !mx_handles_get(inputs, n, "custom_function", ins + 1))) {
        memset(r->outputs, 0, (size_t)m * sizeof *r->outputs);
        st = mx_last_status();
    }
    for (int k = 0; st == MX_OK && k < m; k++)
        mx_node_retain(r->outputs[k]);
    if (st != MX_OK)
        r->n_outputs = 0; /* nothing retained yet */
    for (int k = 0; st == MX_OK && k < m; k++) {
        mx_node *o = r->outputs[k];
        ins[0] = o;
        custom_params p = {r, k};
        mx_node *node = mx_node_new(&mx_op_custom_function, &p, ins, n + 1, o->shape, o->ndim, o->dtype);
        if (!node) {
            st = mx_last_status();
            break;
        }
        atomic_fetch_add(&r->refs, 1); /* the node's reference, released with it */
        st = mx_array_list_push(outputs, mx_handle_wrap(node));
    }
    record_release(r);
    free(ins);
    return st;
}

static mx_status custom_apply(void *payload, const mx_array *inputs, int n, mx_array_list *outputs) {
    custom_closure *c = payload;
    mx_array_list f_outs = {0};
    mx_status st = mx_closure_apply(c->fn.f, inputs, n, &f_outs);
    if (st == MX_OK)
        st = wrap_outputs(&c->fn, c->self, inputs, n, &f_outs, outputs);
    mx_array_list_clear(&f_outs);
    return st;
}

static mx_closure make_custom(mx_closure f, mx_closure vjp, mx_closure jvp, mx_closure vmap, bool checkpoint,
                              const char *name) {
    if (!f) {
        mx_set_error(MX_ERROR_VALUE, "%s: the function is NULL", name);
        return NULL;
    }
    custom_closure *c = calloc(1, sizeof *c);
    if (!c) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", name);
        return NULL;
    }
    c->fn.f = mx_closure_retain(f);
    c->fn.vjp = vjp ? mx_closure_retain(vjp) : NULL;
    c->fn.jvp = jvp ? mx_closure_retain(jvp) : NULL;
    c->fn.vmap = vmap ? mx_closure_retain(vmap) : NULL;
    c->fn.checkpoint = checkpoint;
    c->self = mx_closure_new(custom_apply, c, custom_fn_destroy);
    return c->self;
}

mx_closure mx_custom_function(mx_closure f, mx_closure vjp, mx_closure jvp, mx_closure vmap) {
    if (f && !vjp && !jvp && !vmap)
        return mx_closure_retain(f); /* MLX returns the function itself */
    return make_custom(f, vjp, jvp, vmap, false, "custom_function");
}

mx_closure mx_custom_vjp(mx_closure f, mx_closure vjp) {
    if (!vjp) {
        mx_set_error(MX_ERROR_VALUE, "custom_vjp: the vjp function is NULL");
        return NULL;
    }
    return mx_custom_function(f, vjp, NULL, NULL);
}

mx_closure mx_checkpoint(mx_closure f) { return make_custom(f, NULL, NULL, NULL, true, "checkpoint"); }
