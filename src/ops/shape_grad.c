/* ops/shape_grad.c - VJP and JVP rules of reshape, transpose, broadcast_to,
 * slice and concatenate, as MLX 0.32 (mlx/primitives.cpp Reshape,
 * Transpose, Broadcast, Slice, Concatenate).
 *
 * Slice's VJP is MLX's: the cotangent written into zeros by slice_update. */
#include "ops/grad_build.h"
#include "ops/reduce_shape_grad.h"
#include "ops/scatter.h"

static int set_result(gb_builder *b, mx_node *g, mx_dtype dtype, mx_node **out) {
    *out = gb_finish(b, g, dtype);
    return *out ? MX_OK : mx_last_status();
}

/* ---- reshape, transpose ------------------------------------------------------------------------------- */

int mx_reshape_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    mx_node *x = node->inputs[0];
    gb_builder b = {0};
    return set_result(&b, gb_reshape(&b, cot, x->shape, x->ndim), x->dtype, grads_out);
}

int mx_reshape_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    return set_result(&b, gb_reshape(&b, tangents[0], node->shape, node->ndim), node->dtype, out);
}

int mx_transpose_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    const mx_transpose_params *p = mx_node_params(node);
    int inverse[MX_MAX_NDIM];
    for (int i = 0; i < node->ndim; i++)
        inverse[p->perm[i]] = i;
    gb_builder b = {0};
    return set_result(&b, gb_transpose(&b, cot, inverse), node->inputs[0]->dtype, grads_out);
}

int mx_transpose_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_transpose_params *p = mx_node_params(node);
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    return set_result(&b, gb_transpose(&b, tangents[0], p->perm), node->dtype, out);
}

/* ---- broadcast_to ------------------------------------------------------------------------------------- */

/* Sum over the added leading axes and the axes that were 1 and grew; an
 * axis of size 1 that stayed 1 is left alone. */
int mx_broadcast_to_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    mx_node *x = node->inputs[0];
    int axes[MX_MAX_NDIM], naxes = 0, lead = node->ndim - x->ndim;
    for (int i = 0; i < node->ndim; i++)
        if (i < lead || x->shape[i - lead] != node->shape[i])
            axes[naxes++] = i;
    gb_builder b = {0};
    mx_node *summed = gb_reduce(&b, &mx_op_sum, cot, axes, naxes);
    return set_result(&b, gb_reshape(&b, summed, x->shape, x->ndim), x->dtype, grads_out);
}

int mx_broadcast_to_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    return set_result(&b, gb_broadcast(&b, tangents[0], node->shape, node->ndim), node->dtype, out);
}

/* ---- slice -------------------------------------------------------------------------------------------- */

/* MLX: slice_update(zeros_like(x), cot, start, stop, step): the slice's
 * box (start, step, count per axis) takes the cotangent. */
int mx_slice_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    const mx_slice_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0];
    gb_builder b = {0};
    mx_node *zeros = gb_full(&b, x->shape, x->ndim, 0.0, cot->dtype);
    if (node->size == 0 || !zeros) /* nothing was taken */
        return set_result(&b, zeros, x->dtype, grads_out);
    mx_slice_update_params up;
    memset(&up, 0, sizeof up);
    up.reduce = MX_REDUCE_NONE;
    memcpy(up.start, p->start, sizeof up.start);
    memcpy(up.step, p->step, sizeof up.step);
    mx_node *g =
        gb_own(&b, mx_node_new(&mx_op_slice_update, &up, (mx_node *[]){zeros, cot}, 2, x->shape, x->ndim, cot->dtype));
    return set_result(&b, g, x->dtype, grads_out);
}

int mx_slice_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    mx_node *t = tangents[0];
    mx_node *s = gb_own(&b, mx_node_new(&mx_op_slice, mx_node_params(node), &t, 1, node->shape, node->ndim, t->dtype));
    return set_result(&b, s, node->dtype, out);
}

/* ---- concatenate -------------------------------------------------------------------------------------- */

/* Each input gets its own slice of the cotangent along the axis. */
int mx_concatenate_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    const mx_axis_params *p = mx_node_params(node);
    int ax = p->axis;
    for (int i = 0; i < nargs; i++) {
        int64_t offset = 0;
        for (int k = 0; k < argnums[i]; k++)
            offset += node->inputs[k]->shape[ax];
        mx_node *x = node->inputs[argnums[i]];
        gb_builder b = {0};
        grads_out[i] = gb_finish(&b, gb_slice_axis(&b, cot, ax, offset, 1, x->shape[ax]), x->dtype);
        if (!grads_out[i]) {
            for (int k = 0; k < i; k++) {
                mx_node_release(grads_out[k]);
                grads_out[k] = NULL;
            }
            return mx_last_status();
        }
    }
    return MX_OK;
}

/* The tangents concatenated, zeros standing in for the inputs without one. */
int mx_concatenate_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_axis_params *p = mx_node_params(node);
    int n = node->n_inputs;
    bool any = false;
    for (int i = 0; i < n; i++)
        any = any || tangents[i];
    *out = NULL;
    if (!any)
        return MX_OK;
    mx_node **parts = malloc(sizeof *parts * (size_t)n);
    if (!parts)
        return mx_set_error(MX_ERROR_MEMORY, "concatenate: out of memory in its JVP");
    gb_builder b = {0};
    for (int i = 0; i < n; i++) {
        const mx_node *x = node->inputs[i];
        parts[i] = tangents[i] ? tangents[i] : gb_full(&b, x->shape, x->ndim, 0.0, node->dtype);
    }
    mx_node *t = gb_concat(&b, parts, n, p->axis);
    free(parts);
    return set_result(&b, t, node->dtype, out);
}
