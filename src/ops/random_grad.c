/* ops/random_grad.c - gradients of the random ops, as MLX 0.32 gives them.
 *
 * MLX's uniform is a composite, low + (high - low) * u with u drawn from the
 * key, so it is differentiable in low and high: d/dlow = 1 - u, d/dhigh = u.
 * cmlx's random_uniform is one node (key, low, high); its rules recompute u
 * exactly by drawing from the same key with low 0 and high 1 (the kernel's
 * range * u + low is then u itself). No random op is differentiable in its
 * key: MLX raises ValueError ("[Primitive::vjp] Not implemented for
 * RandomBits"), and so do these rules (random_bits and random_normal have
 * only the key as input). */
#include "ops/grad_build.h"
#include "ops/reduce_shape_grad.h"

static int key_error(const mx_node *node) {
    return mx_set_error(MX_ERROR_VALUE,
                        "%s: cannot differentiate with respect to the random key (as MLX: [Primitive::vjp] Not "
                        "implemented for RandomBits)",
                        node->op->name);
}

/* The uniform draw in [0, 1) behind `node` (same key, shape and dtype). */
static mx_node *unit_draw(gb_builder *b, const mx_node *node) {
    mx_node *zero = gb_full(b, node->shape, node->ndim, 0.0, node->dtype);
    mx_node *one = gb_full(b, node->shape, node->ndim, 1.0, node->dtype);
    if (!zero || !one)
        return NULL;
    mx_node *inputs[3] = {node->inputs[0], zero, one};
    return gb_own(b, mx_node_new(&mx_op_random_uniform, NULL, inputs, 3, node->shape, node->ndim, node->dtype));
}

/* MLX's graph: low gets cot - cot * u (from the add and the range), high
 * gets cot * u. */
int mx_random_uniform_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = NULL;
        if (argnums[i] == 0)
            return key_error(node);
    }
    gb_builder b = {0};
    mx_node *to_high = gb_mul(&b, cot, unit_draw(&b, node));
    mx_node *to_low = gb_sub(&b, cot, to_high);
    if (b.failed) {
        gb_release(&b);
        return mx_last_status();
    }
    for (int i = 0; i < nargs; i++) {
        grads_out[i] = argnums[i] == 1 ? to_low : to_high;
        mx_node_retain(grads_out[i]);
    }
    gb_release(&b);
    return MX_OK;
}

/* d out = (d high - d low) * u + d low. */
int mx_random_uniform_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (tangents[0])
        return key_error(node);
    if (!tangents[1] && !tangents[2])
        return MX_OK;
    gb_builder b = {0};
    mx_node *range =
        tangents[2] ? (tangents[1] ? gb_sub(&b, tangents[2], tangents[1]) : tangents[2]) : gb_neg(&b, tangents[1]);
    mx_node *t = gb_add_opt(&b, gb_mul(&b, range, unit_draw(&b, node)), tangents[1]);
    *out = gb_finish(&b, t, node->dtype);
    return *out ? MX_OK : mx_last_status();
}

/* random_bits and random_normal: the key is their only input. */
int mx_random_key_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)cot, (void)argnums;
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    return key_error(node);
}

int mx_random_key_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    return tangents[0] ? key_error(node) : MX_OK;
}
