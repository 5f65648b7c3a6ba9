/* cmlx/transforms.h - functions as values, and the transforms of mlx.core
 * over them: vjp, jvp, grad, value_and_grad, vmap, checkpoint and custom
 * functions (custom_vjp). See docs/autograd.md.
 *
 * A function of arrays is an mx_closure: a C function pointer, a payload it
 * receives, and a destructor for the payload. Closures are refcounted;
 * transforms return new closures that hold the ones they wrap, so
 * mx_grad(mx_grad(f)) works. Results are ordinary lazy arrays: nothing is
 * computed until mx_eval, and gradients can be differentiated again.
 *
 * Errors: a closure reports failure by returning a status other than MX_OK
 * (with mx_set_error-style message available through mx_last_error()); every
 * transform returns that status and leaves its output lists empty. Bad
 * arguments (an argnum out of range, a cotangent of the wrong shape) are
 * MX_ERROR_VALUE with a message naming the transform. Nothing aborts. */
#ifndef CMLX_TRANSFORMS_H
#define CMLX_TRANSFORMS_H

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- lists of arrays --------------------------------------------------------------- */
/* A growable list of handles. A zero-initialised list is empty and valid.
 * The list owns its handles: mx_array_list_clear frees them. */
typedef struct mx_array_list {
    mx_array *items;
    int count;
    int capacity;
} mx_array_list;

/* Append `a`, taking over its handle (the caller must not free it). On
 * failure (out of memory) `a` is freed and MX_ERROR_MEMORY returned. */
MX_API mx_status mx_array_list_push(mx_array_list *list, mx_array a);
/* Free every handle and the storage; the list is empty and reusable. */
MX_API void mx_array_list_clear(mx_array_list *list);

/* ---- closures ----------------------------------------------------------------------- */
/* Compute outputs from inputs: push each output onto `outputs` (which the
 * caller passes empty). The inputs are borrowed. Return MX_OK, or an error
 * status after setting the error (mx_last_error() then names it). */
typedef mx_status (*mx_function_fn)(void *payload, const mx_array *inputs, int n_inputs, mx_array_list *outputs);

typedef struct mx_closure_impl *mx_closure;

/* A closure of fn over payload; `destroy(payload)` (may be NULL) runs when the
 * last reference goes. NULL (error set) when out of memory; destroy is then
 * called at once. */
MX_API mx_closure mx_closure_new(mx_function_fn fn, void *payload, void (*destroy)(void *payload));
MX_API mx_closure mx_closure_retain(mx_closure f); /* returns f */
MX_API void mx_closure_free(mx_closure f);         /* NULL is a no-op */
/* Call f. `outputs` must be empty; on failure it is left empty. */
MX_API mx_status mx_closure_apply(mx_closure f, const mx_array *inputs, int n_inputs, mx_array_list *outputs);

/* ---- reverse and forward mode --------------------------------------------------------- */
/* outputs = f(primals); vjps[i] = sum_k cotangents[k] . d outputs[k] / d primals[i].
 * One cotangent per output, of the output's shape (MLX: the cotangent's dtype
 * may differ; the gradient has the primal's dtype). */
MX_API mx_status mx_vjp(mx_closure f, const mx_array *primals, int n_primals, const mx_array *cotangents,
                        int n_cotangents, mx_array_list *outputs, mx_array_list *vjps);
/* outputs = f(primals); jvps[k] = sum_i d outputs[k] / d primals[i] . tangents[i].
 * One tangent per primal, of the primal's shape. */
MX_API mx_status mx_jvp(mx_closure f, const mx_array *primals, int n_primals, const mx_array *tangents,
                        int n_tangents, mx_array_list *outputs, mx_array_list *jvps);

/* ---- gradients ------------------------------------------------------------------------- */
/* The closures below differentiate f's FIRST output, which must be a scalar
 * (MLX: "grad requires a scalar output"); further outputs are auxiliary values
 * passed through. argnums lists the inputs to differentiate (negative ones
 * count from the end); argnums = NULL with n_argnums = 0 means {0}.
 *
 * mx_value_and_grad(f): outputs are f's outputs, then one gradient per argnum.
 * mx_grad(f): outputs are the gradients alone.
 * NULL (error set) on bad arguments. */
MX_API mx_closure mx_value_and_grad(mx_closure f, const int *argnums, int n_argnums);
MX_API mx_closure mx_grad(mx_closure f, const int *argnums, int n_argnums);

/* ---- vectorising ----------------------------------------------------------------------- */
/* vmap(f): in_axes[i] is the axis of input i to map over (-1: not mapped,
 * broadcast to every call); out_axes[k] where the mapped axis goes in output
 * k. n_in_axes = 0 means axis 0 for every input; n_out_axes = 0 means 0 for
 * every output. Mapped inputs must agree on the mapped size. */
MX_API mx_closure mx_vmap(mx_closure f, const int *in_axes, int n_in_axes, const int *out_axes, int n_out_axes);

/* ---- custom rules and checkpointing ------------------------------------------------------ */
/* A function with user-given transform rules (mlx.core.custom_function).
 * Any of vjp, jvp, vmap may be NULL (then the rule is derived from f's graph).
 *   vjp:  inputs = primals (n), cotangents (m), outputs (m); outputs = n gradients.
 *   jvp:  inputs = primals (n), tangents (n); outputs = m tangents.
 *   vmap: inputs = the batched inputs (n), then n int32 scalars with their
 *         mapped axes (-1: not mapped); outputs = m outputs, then m int32
 *         scalars with the mapped axis of each output.
 * The returned closure holds references to every closure given. */
MX_API mx_closure mx_custom_function(mx_closure f, mx_closure vjp, mx_closure jvp, mx_closure vmap);
/* mx_custom_function(f, vjp, NULL, NULL). */
MX_API mx_closure mx_custom_vjp(mx_closure f, mx_closure vjp);
/* checkpoint(f): the same values; in a backward pass f is recomputed from its
 * inputs instead of keeping its intermediate values alive. */
MX_API mx_closure mx_checkpoint(mx_closure f);

#ifdef __cplusplus
}
#endif

#endif
