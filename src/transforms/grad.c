/* transforms/grad.c - mx_value_and_grad and mx_grad, built on mx_vjp.
 *
 * Calling value_and_grad(f, argnums) on inputs x:
 *   1. argnums are checked against the number of inputs (negative ones count
 *      from the end; out of range or repeated is MLX's ValueError);
 *   2. mx_vjp runs `partial`: f as a function of the differentiated inputs
 *      alone (the others held fixed), returning f's first output, which must
 *      be a scalar; f's further outputs are kept aside with a stop_gradient,
 *      as MLX does, so they pass through as auxiliary values;
 *   3. the cotangent is a float32 1 (mx_vjp casts it to the output's dtype).
 * The results are lazy arrays: grad of grad differentiates them again. */
#include <stdlib.h>
#include <string.h>

#include "cmlx/ops.h"
#include "core/error.h"
#include "transforms/trace.h"

typedef struct grad_fn {
    mx_closure f;
    bool with_value;
    int n_argnums; /* 0 with argnums NULL: {0} */
    int argnums[];
} grad_fn;

static void grad_fn_destroy(void *payload) {
    grad_fn *g = payload;
    mx_closure_free(g->f);
    free(g);
}

/* f restricted to the differentiated inputs, for one call. */
typedef struct partial_call {
    mx_closure f;
    const mx_array *inputs; /* all of f's inputs (borrowed) */
    int n_inputs;
    const int *args; /* the differentiated positions, normalised */
    int n_args;
    mx_array_list aux; /* f's outputs after the first, stop_gradient'ed */
} partial_call;

static mx_status partial_apply(void *payload, const mx_array *diff, int n_diff, mx_array_list *outputs) {
    partial_call *p = payload;
    mx_array small[16];
    mx_array *in = p->n_inputs <= 16 ? small : malloc((size_t)p->n_inputs * sizeof *in);
    if (!in)
        return mx_set_error(MX_ERROR_MEMORY, "grad: out of memory");
    memcpy(in, p->inputs, (size_t)p->n_inputs * sizeof *in);
    for (int k = 0; k < n_diff; k++)
        in[p->args[k]] = diff[k];
    mx_array_list outs = {0};
    mx_status st = mx_closure_apply(p->f, in, p->n_inputs, &outs);
    if (in != small)
        free(in);
    if (st != MX_OK)
        return st;
    if (outs.count == 0) {
        st = mx_set_error(MX_ERROR_VALUE, "[grad] The function whose gradient we want to compute returned no "
                                          "arrays; its first output must be a scalar array.");
    } else if (mx_ndim(outs.items[0]) != 0) {
        char s[MX_SHAPE_STR_CAP];
        /* MLX's text: the output is checked against the scalar cotangent */
        st = mx_set_error(MX_ERROR_VALUE, "[vjp] Output shape %s does not match cotangent shape ().%s",
                          mx_format_shape(mx_shape(outs.items[0]), mx_ndim(outs.items[0]), s, sizeof s),
                          mx_size(outs.items[0]) == 1 && outs.count == 1
                              ? " If you are using grad your function must return a scalar."
                              : "");
    }
    for (int k = 1; st == MX_OK && k < outs.count; k++)
        st = mx_array_list_push(&p->aux, mx_stop_gradient(outs.items[k]));
    if (st == MX_OK)
        st = mx_array_list_push(outputs, mx_retain(outs.items[0]));
    mx_array_list_clear(&outs);
    return st;
}

/* Normalise argnums against n inputs into args; MLX's errors. */
static mx_status normalize_argnums(const grad_fn *g, int n, int *args) {
    int count = g->n_argnums ? g->n_argnums : 1;
    for (int k = 0; k < count; k++) {
        int a = g->n_argnums ? g->argnums[k] : 0;
        if (a < 0)
            a += n;
        if (a < 0 || a >= n)
            return mx_set_error(MX_ERROR_VALUE,
                                "[grad] Can't compute the gradient of argument index %d because the function is "
                                "called with only %d positional arguments.",
                                g->n_argnums ? g->argnums[k] : 0, n);
        for (int j = 0; j < k; j++)
            if (args[j] == a)
                return mx_set_error(MX_ERROR_VALUE, "[grad] Duplicate argument index %d is not allowed.", a);
        args[k] = a;
    }
    return MX_OK;
}

static mx_status grad_apply(void *payload, const mx_array *inputs, int n_inputs, mx_array_list *outputs) {
    grad_fn *g = payload;
    int n_args = g->n_argnums ? g->n_argnums : 1;
    int *args = malloc((size_t)n_args * sizeof *args);
    mx_array *diff = malloc((size_t)n_args * sizeof *diff);
    if (!args || !diff) {
        free(args);
        free(diff);
        return mx_set_error(MX_ERROR_MEMORY, "grad: out of memory");
    }
    mx_status st = normalize_argnums(g, n_inputs, args);
    partial_call call = {g->f, inputs, n_inputs, args, n_args, {0}};
    mx_array_list value = {0}, grads = {0};
    mx_closure partial = NULL;
    mx_array one = MX_NULL_ARRAY;
    if (st == MX_OK) {
        for (int k = 0; k < n_args; k++)
            diff[k] = inputs[args[k]];
        partial = mx_closure_new(partial_apply, &call, NULL);
        one = mx_scalar_f32(1.0f);
        st = partial ? mx_array_status(one) : mx_last_status();
    }
    if (st == MX_OK)
        st = mx_vjp(partial, diff, n_args, &one, 1, &value, &grads);
    if (st == MX_OK && g->with_value) {
        st = mx_array_list_push(outputs, mx_retain(value.items[0]));
        for (int k = 0; st == MX_OK && k < call.aux.count; k++)
            st = mx_array_list_push(outputs, mx_retain(call.aux.items[k]));
    }
    for (int k = 0; st == MX_OK && k < grads.count; k++)
        st = mx_array_list_push(outputs, mx_retain(grads.items[k]));
    mx_array_list_clear(&value);
    mx_array_list_clear(&grads);
    mx_array_list_clear(&call.aux);
    mx_free(one);
    mx_closure_free(partial);
    free(args);
    free(diff);
    return st;
}

static mx_closure make_grad(mx_closure f, const int *argnums, int n_argnums, bool with_value) {
    const char *name = with_value ? "value_and_grad" : "grad";
    if (!f) {
        mx_set_error(MX_ERROR_VALUE, "%s: the function is NULL", name);
        return NULL;
    }
    if (n_argnums < 0 || (n_argnums > 0 && !argnums)) {
        mx_set_error(MX_ERROR_VALUE, "%s: %d argnums given without an array", name, n_argnums);
        return NULL;
    }
    if (n_argnums == 0 && argnums) {
        mx_set_error(MX_ERROR_VALUE, "[grad] Gradient wrt no argument requested");
        return NULL;
    }
    /* repeats that are visible before the call (the same number twice) */
    for (int k = 0; k < n_argnums; k++)
        for (int j = 0; j < k; j++)
            if (argnums[j] == argnums[k]) {
                mx_set_error(MX_ERROR_VALUE, "[grad] Duplicate argument index %d is not allowed.", argnums[k]);
                return NULL;
            }
    grad_fn *g = malloc(sizeof *g + (size_t)n_argnums * sizeof(int));
    if (!g) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", name);
        return NULL;
    }
    g->f = mx_closure_retain(f);
    g->with_value = with_value;
    g->n_argnums = n_argnums;
    if (n_argnums)
        memcpy(g->argnums, argnums, (size_t)n_argnums * sizeof(int));
    return mx_closure_new(grad_apply, g, grad_fn_destroy);
}

mx_closure mx_value_and_grad(mx_closure f, const int *argnums, int n_argnums) {
    return make_grad(f, argnums, n_argnums, true);
}

mx_closure mx_grad(mx_closure f, const int *argnums, int n_argnums) { return make_grad(f, argnums, n_argnums, false); }
