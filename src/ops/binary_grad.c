/* ops/binary_grad.c - VJP and JVP rules of the binary element-wise ops and
 * of where.
 *
 * The constructors broadcast and cast explicitly (broadcast_to and astype
 * nodes, whose own rules reduce and cast back), so here both inputs have the
 * output's shape and one dtype, and each partial derivative is element-wise:
 * the VJP for input i and the JVP term of tangent i are the same product
 * v * d out / d input_i. The formulas are MLX 0.32's, which fix the edge
 * cases: maximum's tie goes to the second argument (a > b for a, a <= b for
 * b), minimum's likewise; power's exponent gradient is 0 where the output is
 * 0 (0 * log 0); floor_divide, comparisons, logical and bitwise ops have zero
 * gradients. */
#include "ops/elementwise_grad.h"
#include "ops/grad_expr.h"

/* v * d node / d input[i], owned by e; *zero set (NULL returned) for ops
 * with a zero derivative. */
static mx_node *times_partial(grad_expr *e, const mx_node *node, int i, mx_node *v, bool *zero) {
    mx_node *a = node->inputs[0], *b = node->inputs[1];
    mx_node *out = ge_node(node);
    mx_dtype dt = a->dtype;
    *zero = false;
    switch (node->op->id) {
    case MX_OP_add: mx_node_retain(v); return ge_own(e, v);
    case MX_OP_subtract:
        if (i == 0) {
            mx_node_retain(v);
            return ge_own(e, v);
        }
        return ge_neg(e, v);
    case MX_OP_multiply: return ge_mul(e, i == 0 ? b : a, v);
    case MX_OP_divide:
        if (i == 0)
            return ge_div(e, v, b);
        return ge_neg(e, ge_div(e, ge_mul(e, v, a), ge_unary(e, &mx_op_square, b)));
    case MX_OP_remainder: /* a - b floor(a / b) */
        if (i == 0) {
            mx_node_retain(v);
            return ge_own(e, v);
        }
        return ge_neg(e, ge_mul(e, ge_unary(e, &mx_op_floor, ge_div(e, a, b)), v));
    case MX_OP_power:
        if (i == 0) /* b a^(b-1) */
            return ge_mul(e, v, ge_mul(e, ge_binary(e, &mx_op_power, a, ge_sub(e, b, ge_scalar(e, 1.0, dt))), b));
        /* log(a) a^b, and 0 where a^b is 0 (0 * log 0) */
        return ge_mul(e, v,
                      ge_where(e, out, ge_mul(e, ge_unary(e, &mx_op_log, a), out), ge_scalar(e, 0.0, out->dtype)));
    case MX_OP_maximum: return ge_mul(e, v, ge_binary(e, i == 0 ? &mx_op_greater : &mx_op_less_equal, a, b));
    case MX_OP_minimum: return ge_mul(e, v, ge_binary(e, i == 0 ? &mx_op_less : &mx_op_greater_equal, a, b));
    case MX_OP_logaddexp: { /* s = sigmoid(a - b): s for a, 1 - s for b */
        mx_node *s = ge_unary(e, &mx_op_sigmoid, ge_sub(e, a, b));
        if (i == 1)
            s = ge_sub(e, ge_scalar(e, 1.0, dt), s);
        return ge_mul(e, v, s);
    }
    case MX_OP_arctan2: { /* d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2) */
        mx_node *r2 = ge_add(e, ge_unary(e, &mx_op_square, a), ge_unary(e, &mx_op_square, b));
        return i == 0 ? ge_div(e, ge_mul(e, v, b), r2) : ge_div(e, ge_mul(e, v, ge_neg(e, a)), r2);
    }
    case MX_OP_floor_divide:
    case MX_OP_equal:
    case MX_OP_not_equal:
    case MX_OP_greater:
    case MX_OP_greater_equal:
    case MX_OP_less:
    case MX_OP_less_equal:
    case MX_OP_logical_and:
    case MX_OP_logical_or:
    case MX_OP_bitwise_and:
    case MX_OP_bitwise_or:
    case MX_OP_bitwise_xor:
    case MX_OP_left_shift:
    case MX_OP_right_shift: *zero = true; return NULL;
    default:
        mx_set_error(MX_ERROR_UNSUPPORTED, "%s: no derivative rule", node->op->name);
        e->failed = true;
        return NULL;
    }
}

int mx_binary_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int k = 0; k < nargs; k++)
        grads_out[k] = NULL;
    for (int k = 0; k < nargs; k++) {
        int i = argnums[k];
        grad_expr e = {0};
        bool zero;
        mx_node *g = times_partial(&e, node, i, cotangent, &zero);
        if (zero) {
            ge_release(&e);
            continue;
        }
        grads_out[k] = ge_finish(&e, g, node->inputs[i]->dtype);
        if (!grads_out[k]) {
            for (int m = 0; m < k; m++) {
                mx_node_release(grads_out[m]);
                grads_out[m] = NULL;
            }
            return mx_last_status();
        }
    }
    return MX_OK;
}

int mx_binary_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = NULL;
    grad_expr e = {0};
    mx_node *sum = NULL;
    for (int i = 0; i < 2; i++) {
        if (!tangents[i])
            continue;
        bool zero;
        mx_node *term = times_partial(&e, node, i, tangents[i], &zero);
        if (zero)
            continue;
        sum = sum ? ge_add(&e, sum, term) : term;
        if (!sum)
            break;
    }
    if (!sum && !e.failed) {
        ge_release(&e);
        return MX_OK;
    }
    *tangent_out = ge_finish(&e, sum, node->dtype);
    return *tangent_out ? MX_OK : mx_last_status();
}

/* ---- where(cond, x, y) ---------------------------------------------------------- */

/* v * cond for x (i = 1), v * !cond for y (i = 2): MLX multiplies by the
 * mask cast to v's dtype rather than selecting, so an inf or NaN in the
 * cotangent gives NaN on the other branch, as in MLX. */
static mx_node *where_partial(grad_expr *e, const mx_node *node, int i, mx_node *v) {
    mx_node *cond = node->inputs[0];
    mx_node *mask = i == 1 ? cond : ge_unary(e, &mx_op_logical_not, cond);
    return ge_mul(e, ge_astype(e, mask, v->dtype), v);
}

int mx_where_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int k = 0; k < nargs; k++)
        grads_out[k] = NULL;
    for (int k = 0; k < nargs; k++) {
        int i = argnums[k];
        if (i == 0)
            continue; /* the condition gets no gradient */
        grad_expr e = {0};
        grads_out[k] = ge_finish(&e, where_partial(&e, node, i, cotangent), node->inputs[i]->dtype);
        if (!grads_out[k]) {
            for (int m = 0; m < k; m++) {
                mx_node_release(grads_out[m]);
                grads_out[m] = NULL;
            }
            return mx_last_status();
        }
    }
    return MX_OK;
}

int mx_where_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = NULL;
    grad_expr e = {0};
    mx_node *sum = NULL;
    for (int i = 1; i < 3; i++) {
        if (!tangents[i])
            continue;
        mx_node *term = where_partial(&e, node, i, tangents[i]);
        sum = sum ? ge_add(&e, sum, term) : term;
        if (!sum)
            break;
    }
    if (!sum && !e.failed) {
        ge_release(&e);
        return MX_OK;
    }
    *tangent_out = ge_finish(&e, sum, node->dtype);
    return *tangent_out ? MX_OK : mx_last_status();
}
