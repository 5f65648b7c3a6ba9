/* ops/unary.c - unary element-wise ops: the op table rows, the dtype rules
 * and the public wrappers. The rules are MLX 0.32's, checked over every dtype:
 *   - abs, negative, sign, square, floor, ceil, round, bitwise_invert keep
 *     the dtype (integers included);
 *   - the float functions (sqrt ... erfinv, sigmoid, degrees, radians) give
 *     float32 for integer and bool inputs (an astype node first, as in MLX);
 *   - logical_not, isnan, isinf, isfinite give bool; isnan/isinf/isfinite
 *     of integers and bool are constants;
 *   - abs of complex64 is float32;
 *   - negative of bool, bitwise_invert of floats, and expm1, sigmoid, erf,
 *     erfinv, floor, ceil of complex64 are MLX ValueErrors (MX_ERROR_VALUE).
 * One kernel serves every op (backend/cpu/unary.c). */
#include "cmlx/ops.h"
#include "ops/elementwise_grad.h"
#include "ops/ops.h"

#define UNARY_DEF(op)                                                                                                  \
    const mx_op_def mx_op_##op = {                                                                                     \
        .name = #op, .id = MX_OP_##op, .family = MX_FAMILY_UNARY, .vjp = mx_unary_vjp, .jvp = mx_unary_jvp};

UNARY_DEF(abs)
UNARY_DEF(negative)
UNARY_DEF(sign)
UNARY_DEF(sqrt)
UNARY_DEF(rsqrt)
UNARY_DEF(square)
UNARY_DEF(reciprocal)
UNARY_DEF(exp)
UNARY_DEF(expm1)
UNARY_DEF(log)
UNARY_DEF(log1p)
UNARY_DEF(log2)
UNARY_DEF(log10)
UNARY_DEF(sin)
UNARY_DEF(cos)
UNARY_DEF(tan)
UNARY_DEF(arcsin)
UNARY_DEF(arccos)
UNARY_DEF(arctan)
UNARY_DEF(sinh)
UNARY_DEF(cosh)
UNARY_DEF(tanh)
UNARY_DEF(arcsinh)
UNARY_DEF(arccosh)
UNARY_DEF(arctanh)
UNARY_DEF(sigmoid)
UNARY_DEF(erf)
UNARY_DEF(erfinv)
UNARY_DEF(floor)
UNARY_DEF(ceil)
UNARY_DEF(logical_not)
UNARY_DEF(bitwise_invert)
UNARY_DEF(isnan)
UNARY_DEF(isinf)
UNARY_DEF(isfinite)
UNARY_DEF(degrees)
UNARY_DEF(radians)
const mx_op_def mx_op_round = {.name = "round",
                               .id = MX_OP_round,
                               .family = MX_FAMILY_UNARY,
                               .params_size = sizeof(mx_round_params),
                               .vjp = mx_unary_vjp,
                               .jvp = mx_unary_jvp};

/* How an op maps its input dtype to its output dtype. */
typedef enum unary_rule {
    RULE_SAME,      /* the input's dtype */
    RULE_FLOAT,     /* at least float: integers and bool become float32 */
    RULE_PREDICATE, /* bool */
} unary_rule;

static unary_rule rule_of(int id) {
    switch (id) {
    case MX_OP_abs:
    case MX_OP_negative:
    case MX_OP_sign:
    case MX_OP_square:
    case MX_OP_floor:
    case MX_OP_ceil:
    case MX_OP_round:
    case MX_OP_bitwise_invert: return RULE_SAME;
    case MX_OP_logical_not:
    case MX_OP_isnan:
    case MX_OP_isinf:
    case MX_OP_isfinite: return RULE_PREDICATE;
    default: return RULE_FLOAT;
    }
}

/* MLX refuses complex64 for these (a ValueError). */
static bool mlx_rejects_complex(int id) {
    switch (id) {
    case MX_OP_expm1:
    case MX_OP_sigmoid:
    case MX_OP_erf:
    case MX_OP_erfinv:
    case MX_OP_floor:
    case MX_OP_ceil:
    case MX_OP_bitwise_invert: return true;
    default: return false;
    }
}

static bool dtype_error(mx_status status, const mx_op_def *op, const mx_node *a, const char *why) {
    char s[MX_SHAPE_STR_CAP];
    mx_set_error(status, "%s: %s (input %s of shape %s)", op->name, why, mx_dtype_name(a->dtype),
                 mx_format_shape(a->shape, a->ndim, s, sizeof s));
    return false;
}

static bool check_input(const mx_op_def *op, const mx_node *a) {
    mx_dtype dt = a->dtype;
    if (op->id == MX_OP_negative && dt == MX_BOOL)
        return dtype_error(MX_ERROR_VALUE, op, a, "not supported for bool, use logical_not instead");
    if (op->id == MX_OP_bitwise_invert && !mx_dtype_is_integer(dt) && dt != MX_BOOL)
        return dtype_error(MX_ERROR_VALUE, op, a, "bitwise inverse is only allowed on integer and bool types");
    if (dt == MX_COMPLEX64 && mlx_rejects_complex(op->id))
        return dtype_error(MX_ERROR_VALUE, op, a, "not supported for complex64");
    return true;
}

/* A node of op over `a` with the given params (NULL or op->params_size bytes). */
static mx_node *unary_node(const mx_op_def *op, const void *params, mx_node *a) {
    if (!check_input(op, a))
        return NULL;
    bool inexact = mx_dtype_is_float(a->dtype) || a->dtype == MX_COMPLEX64;
    switch (rule_of(op->id)) {
    case RULE_SAME: {
        mx_dtype out = op->id == MX_OP_abs && a->dtype == MX_COMPLEX64 ? MX_FLOAT32 : a->dtype;
        return mx_node_new(op, params, &a, 1, a->shape, a->ndim, out);
    }
    case RULE_PREDICATE:
        /* integers and bool are never NaN or infinite (MLX returns constants) */
        if (!inexact && op->id != MX_OP_logical_not)
            return mx_node_full(a->shape, a->ndim, op->id == MX_OP_isfinite ? 1.0 : 0.0, MX_BOOL);
        return mx_node_new(op, params, &a, 1, a->shape, a->ndim, MX_BOOL);
    case RULE_FLOAT:
        if (inexact)
            return mx_node_new(op, params, &a, 1, a->shape, a->ndim, a->dtype);
        mx_node *cast = mx_node_astype(a, MX_FLOAT32);
        if (!cast)
            return NULL;
        mx_node *out = mx_node_new(op, params, &cast, 1, a->shape, a->ndim, MX_FLOAT32);
        mx_node_release(cast);
        return out;
    }
    return NULL;
}

mx_node *mx_node_unary(const mx_op_def *op, mx_node *a) {
    if (op->family != MX_FAMILY_UNARY) {
        mx_set_error(MX_ERROR_INTERNAL, "%s: not a unary op", op->name);
        return NULL;
    }
    if (op->id == MX_OP_round) {
        mx_round_params p = {0};
        return unary_node(op, &p, a);
    }
    return unary_node(op, NULL, a);
}

mx_array mx_wrap_unary(const mx_op_def *op, mx_array a) {
    mx_node *n = mx_handle_get(a, op->name);
    return mx_handle_wrap(n ? mx_node_unary(op, n) : NULL);
}

/* MLX returns the input itself. */
mx_array mx_positive(mx_array a) {
    mx_node *n = mx_handle_get(a, "positive");
    if (n)
        mx_node_retain(n);
    return mx_handle_wrap(n);
}

mx_array mx_round(mx_array a, int decimals) {
    mx_node *n = mx_handle_get(a, "round");
    mx_round_params p = {decimals};
    return mx_handle_wrap(n ? unary_node(&mx_op_round, &p, n) : NULL);
}

#define UNARY_API(op)                                                                                                  \
    mx_array mx_##op(mx_array a) { return mx_wrap_unary(&mx_op_##op, a); }

UNARY_API(abs)
UNARY_API(negative)
UNARY_API(sign)
UNARY_API(sqrt)
UNARY_API(rsqrt)
UNARY_API(square)
UNARY_API(reciprocal)
UNARY_API(exp)
UNARY_API(expm1)
UNARY_API(log)
UNARY_API(log1p)
UNARY_API(log2)
UNARY_API(log10)
UNARY_API(sin)
UNARY_API(cos)
UNARY_API(tan)
UNARY_API(arcsin)
UNARY_API(arccos)
UNARY_API(arctan)
UNARY_API(sinh)
UNARY_API(cosh)
UNARY_API(tanh)
UNARY_API(arcsinh)
UNARY_API(arccosh)
UNARY_API(arctanh)
UNARY_API(sigmoid)
UNARY_API(erf)
UNARY_API(erfinv)
UNARY_API(floor)
UNARY_API(ceil)
UNARY_API(logical_not)
UNARY_API(bitwise_invert)
UNARY_API(isnan)
UNARY_API(isinf)
UNARY_API(isfinite)
UNARY_API(degrees)
UNARY_API(radians)
