/* ops/unary_grad.c - VJP and JVP rules of the unary element-wise ops.
 *
 * Every unary op is element-wise, so its Jacobian is diagonal: the VJP of a
 * cotangent and the JVP of a tangent are the same product v * f'(x). One
 * function builds it for both. The formulas are MLX 0.32's, term for term,
 * so edge cases agree (abs'(0) = sign(0) = 0, sqrt'(0) = inf, tanh' =
 * 1/cosh^2, ...). Where MLX uses the op's output (exp, sqrt, sigmoid,
 * erfinv) so do we: the node is its own output value. */
#include <math.h>

#include "ops/elementwise_grad.h"
#include "ops/grad_expr.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* v * f'(x) for the unary node, owned by e; *zero set (and NULL returned)
 * when the derivative is zero everywhere it exists. */
static mx_node *times_derivative(grad_expr *e, const mx_node *node, mx_node *v, bool *zero, const char *transform) {
    mx_node *x = node->inputs[0];
    mx_node *out = ge_node(node);
    mx_dtype dt = x->dtype;
    *zero = false;
    switch (node->op->id) {
    case MX_OP_abs: return ge_mul(e, v, ge_unary(e, &mx_op_sign, x));
    case MX_OP_negative: return ge_neg(e, v);
    case MX_OP_sqrt: /* 0.5 v / sqrt(x) */ return ge_div(e, ge_mul(e, ge_scalar(e, 0.5, dt), v), out);
    case MX_OP_rsqrt: /* -0.5 v * rsqrt(x) / x */
        return ge_mul(e, ge_mul(e, ge_scalar(e, -0.5, dt), v), ge_div(e, out, x));
    case MX_OP_square: return ge_mul(e, x, ge_mul(e, ge_scalar(e, 2.0, dt), v));
    case MX_OP_reciprocal: /* MLX's reciprocal is 1 / x: the divisor's rule */
        return ge_neg(e, ge_div(e, v, ge_unary(e, &mx_op_square, x)));
    case MX_OP_exp: return ge_mul(e, v, out);
    case MX_OP_expm1: return ge_mul(e, v, ge_add(e, out, ge_scalar(e, 1.0, dt)));
    case MX_OP_log: return ge_div(e, v, x);
    case MX_OP_log2:
        /* MLX scales by 1 / log(base) computed in float */
        return ge_mul(e, ge_scalar(e, 1.0f / logf(2.0f), dt), ge_div(e, v, x));
    case MX_OP_log10: return ge_mul(e, ge_scalar(e, 1.0f / logf(10.0f), dt), ge_div(e, v, x));
    case MX_OP_log1p: return ge_div(e, v, ge_add(e, ge_scalar(e, 1.0, dt), x));
    case MX_OP_sin: return ge_mul(e, v, ge_unary(e, &mx_op_cos, x));
    case MX_OP_cos: return ge_mul(e, v, ge_neg(e, ge_unary(e, &mx_op_sin, x)));
    case MX_OP_tan: return ge_div(e, v, ge_unary(e, &mx_op_square, ge_unary(e, &mx_op_cos, x)));
    case MX_OP_arcsin: /* v / sqrt(1 - x^2) */
        return ge_mul(e, v, ge_unary(e, &mx_op_rsqrt, ge_sub(e, ge_scalar(e, 1.0, dt), ge_unary(e, &mx_op_square, x))));
    case MX_OP_arccos:
        return ge_mul(
            e, v,
            ge_neg(e, ge_unary(e, &mx_op_rsqrt, ge_sub(e, ge_scalar(e, 1.0, dt), ge_unary(e, &mx_op_square, x)))));
    case MX_OP_arctan: return ge_div(e, v, ge_add(e, ge_scalar(e, 1.0, dt), ge_unary(e, &mx_op_square, x)));
    case MX_OP_sinh: return ge_mul(e, v, ge_unary(e, &mx_op_cosh, x));
    case MX_OP_cosh: return ge_mul(e, v, ge_unary(e, &mx_op_sinh, x));
    case MX_OP_tanh: /* v / cosh(x)^2, as MLX: finite where 1 - tanh^2 rounds to 0 */
        return ge_div(e, v, ge_unary(e, &mx_op_square, ge_unary(e, &mx_op_cosh, x)));
    case MX_OP_arcsinh:
        return ge_mul(e, v, ge_unary(e, &mx_op_rsqrt, ge_add(e, ge_unary(e, &mx_op_square, x), ge_scalar(e, 1.0, dt))));
    case MX_OP_arccosh:
        return ge_mul(e, v, ge_unary(e, &mx_op_rsqrt, ge_sub(e, ge_unary(e, &mx_op_square, x), ge_scalar(e, 1.0, dt))));
    case MX_OP_arctanh: return ge_div(e, v, ge_sub(e, ge_scalar(e, 1.0, dt), ge_unary(e, &mx_op_square, x)));
    case MX_OP_sigmoid: /* v * s (1 - s) with s the output */
        return ge_mul(e, v, ge_mul(e, out, ge_sub(e, ge_scalar(e, 1.0, dt), out)));
    case MX_OP_erf: /* 2/sqrt(pi) v exp(-x^2) */
        return ge_mul(e, ge_mul(e, ge_scalar(e, 2.0 / sqrt(M_PI), dt), v),
                      ge_unary(e, &mx_op_exp, ge_neg(e, ge_unary(e, &mx_op_square, x))));
    case MX_OP_erfinv: /* sqrt(pi)/2 v exp(erfinv(x)^2) */
        return ge_mul(e, ge_mul(e, ge_scalar(e, sqrt(M_PI) / 2.0, dt), v),
                      ge_unary(e, &mx_op_exp, ge_unary(e, &mx_op_square, out)));
    case MX_OP_degrees: return ge_mul(e, ge_scalar(e, 180.0 / M_PI, dt), v);
    case MX_OP_radians: return ge_mul(e, ge_scalar(e, M_PI / 180.0, dt), v);
    case MX_OP_sign:
    case MX_OP_floor:
    case MX_OP_ceil:
    case MX_OP_round:
    case MX_OP_logical_not:
    case MX_OP_isnan:
    case MX_OP_isinf:
    case MX_OP_isfinite: *zero = true; return NULL;
    default:
        /* bitwise_invert: MLX has no VJP or JVP for it and raises */
        mx_set_error(MX_ERROR_UNSUPPORTED, "%s: %s is not implemented for %s", transform, transform, node->op->name);
        e->failed = true;
        return NULL;
    }
}

int mx_unary_vjp(const mx_node *node, mx_node *cotangent, const int *argnums, int nargs, mx_node **grads_out) {
    for (int k = 0; k < nargs; k++)
        grads_out[k] = NULL;
    if (nargs == 0)
        return MX_OK;
    grad_expr e = {0};
    bool zero;
    mx_node *g = times_derivative(&e, node, cotangent, &zero, "vjp");
    if (zero) {
        ge_release(&e);
        return MX_OK;
    }
    /* the gradient has the input's dtype (integer inputs of abs, square, ...
     * keep theirs) */
    grads_out[0] = ge_finish(&e, g, node->inputs[0]->dtype);
    return grads_out[0] ? MX_OK : mx_last_status();
}

int mx_unary_jvp(const mx_node *node, mx_node *const *tangents, mx_node **tangent_out) {
    *tangent_out = NULL;
    if (!tangents[0])
        return MX_OK;
    grad_expr e = {0};
    bool zero;
    mx_node *t = times_derivative(&e, node, tangents[0], &zero, "jvp");
    if (zero) {
        ge_release(&e);
        return MX_OK;
    }
    *tangent_out = ge_finish(&e, t, node->dtype);
    return *tangent_out ? MX_OK : mx_last_status();
}
