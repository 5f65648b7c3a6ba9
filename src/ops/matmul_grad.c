/* ops/matmul_grad.c - VJP and JVP of matmul, as MLX's Matmul primitive.
 *
 * The primitive's inputs are a (batch..., M, K) and b (batch..., K, N) with
 * equal batch dims: mx_node_matmul has already promoted them and broadcast
 * their batch dims (broadcast_to views), and turned 1-D operands into
 * matrices with views and a final reshape. So the rules here are the plain
 * batched ones; summing over broadcast batch dims and dropping the vector
 * dims is done by the rules of those broadcast_to/transpose/reshape nodes. */
#include "ops/grad_build.h"
#include "ops/reduce_shape_grad.h"

/* x with its last two axes swapped (a view). */
static mx_node *swap_last(gb_builder *b, mx_node *x) {
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < x->ndim; i++)
        perm[i] = i;
    perm[x->ndim - 2] = x->ndim - 1;
    perm[x->ndim - 1] = x->ndim - 2;
    return gb_transpose(b, x, perm);
}

/* MLX conjugates the transposed operand for complex inputs; cmlx has no
 * conjugate op yet. */
static bool matmul_supported(const mx_node *node) {
    if (node->dtype != MX_COMPLEX64)
        return true;
    mx_set_error(MX_ERROR_UNSUPPORTED, "matmul: gradients of complex64 products are not supported (no conjugate)");
    return false;
}

/* d a = cot @ b^T, d b = a^T @ cot. */
int mx_matmul_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    mx_node *a = node->inputs[0], *b = node->inputs[1];
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    if (!matmul_supported(node))
        return mx_last_status();
    for (int i = 0; i < nargs; i++) {
        gb_builder bld = {0};
        mx_node *g =
            argnums[i] == 0 ? gb_matmul(&bld, cot, swap_last(&bld, b)) : gb_matmul(&bld, swap_last(&bld, a), cot);
        grads_out[i] = gb_finish(&bld, g, node->inputs[argnums[i]]->dtype);
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

/* d(a @ b) = da @ b + a @ db. */
int mx_matmul_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0] && !tangents[1])
        return MX_OK;
    if (!matmul_supported(node))
        return mx_last_status();
    gb_builder b = {0};
    mx_node *from_a = tangents[0] ? gb_matmul(&b, tangents[0], node->inputs[1]) : NULL;
    mx_node *from_b = tangents[1] ? gb_matmul(&b, node->inputs[0], tangents[1]) : NULL;
    *out = gb_finish(&b, gb_add_opt(&b, from_a, from_b), node->dtype);
    return *out ? MX_OK : mx_last_status();
}
