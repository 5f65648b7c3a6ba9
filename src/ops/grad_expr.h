/* ops/grad_expr.h - a small toolkit for writing transform rules (VJP, JVP).
 *
 * A rule is an expression over borrowed nodes (the primal inputs, the node's
 * own output, the cotangent) built from the node-level constructors. Each
 * step returns a node owned by the expression, so a rule reads like the
 * formula and every temporary is released in one place:
 *
 *     grad_expr e = {0};
 *     mx_node *d = ge_binary(&e, &mx_op_divide, cot, ge_unary(&e, &mx_op_cos, x));
 *     *out = ge_finish(&e, d, x->dtype);   // a new reference, or NULL (error set)
 *
 * A failed step (NULL, thread error set by the constructor) makes every later
 * step that uses it return NULL without touching the error, and ge_finish
 * then returns NULL: one check at the end. */
#ifndef CMLX_OPS_GRAD_EXPR_H
#define CMLX_OPS_GRAD_EXPR_H

#include "ops/ops.h"

#define GRAD_EXPR_MAX_TEMPS 48

typedef struct grad_expr {
    mx_node *temps[GRAD_EXPR_MAX_TEMPS];
    int n;
    bool failed;
} grad_expr;

/* Take ownership of a freshly made node (NULL marks the expression failed). */
static inline mx_node *ge_own(grad_expr *e, mx_node *n) {
    if (!n) {
        e->failed = true;
        return NULL;
    }
    if (e->n == GRAD_EXPR_MAX_TEMPS) {
        mx_node_release(n);
        mx_set_error(MX_ERROR_INTERNAL, "transform rule: more than %d temporaries", GRAD_EXPR_MAX_TEMPS);
        e->failed = true;
        return NULL;
    }
    e->temps[e->n++] = n;
    return n;
}

static inline void ge_release(grad_expr *e) {
    for (int i = 0; i < e->n; i++)
        mx_node_release(e->temps[i]);
    e->n = 0;
}

/* A new reference to `result` cast to `dtype` (MX_DTYPE_COUNT: keep its
 * dtype), or NULL when a step failed; releases the temporaries either way. */
static inline mx_node *ge_finish(grad_expr *e, mx_node *result, mx_dtype dtype) {
    mx_node *out = NULL;
    if (!e->failed && result)
        out = dtype == MX_DTYPE_COUNT || result->dtype == dtype ? (mx_node_retain(result), result)
                                                                : mx_node_astype(result, dtype);
    ge_release(e);
    return out;
}

static inline mx_node *ge_unary(grad_expr *e, const mx_op_def *op, mx_node *a) {
    return a ? ge_own(e, mx_node_unary(op, a)) : NULL;
}

static inline mx_node *ge_binary(grad_expr *e, const mx_op_def *op, mx_node *a, mx_node *b) {
    return a && b ? ge_own(e, mx_node_binary(op, a, b)) : NULL;
}

static inline mx_node *ge_mul(grad_expr *e, mx_node *a, mx_node *b) { return ge_binary(e, &mx_op_multiply, a, b); }
static inline mx_node *ge_div(grad_expr *e, mx_node *a, mx_node *b) { return ge_binary(e, &mx_op_divide, a, b); }
static inline mx_node *ge_add(grad_expr *e, mx_node *a, mx_node *b) { return ge_binary(e, &mx_op_add, a, b); }
static inline mx_node *ge_sub(grad_expr *e, mx_node *a, mx_node *b) { return ge_binary(e, &mx_op_subtract, a, b); }
static inline mx_node *ge_neg(grad_expr *e, mx_node *a) { return ge_unary(e, &mx_op_negative, a); }

/* A 0-d constant of `dtype` (broadcast by the binary constructors). */
static inline mx_node *ge_scalar(grad_expr *e, double value, mx_dtype dtype) {
    return ge_own(e, mx_node_scalar(value, dtype));
}

static inline mx_node *ge_astype(grad_expr *e, mx_node *a, mx_dtype dtype) {
    return a ? ge_own(e, mx_node_astype(a, dtype)) : NULL;
}

static inline mx_node *ge_where(grad_expr *e, mx_node *cond, mx_node *x, mx_node *y) {
    return cond && x && y ? ge_own(e, mx_node_where(cond, x, y)) : NULL;
}

/* Rules receive the node as const (they must not change it) but the
 * constructors retain their inputs, which only touches the refcount. */
static inline mx_node *ge_node(const mx_node *n) { return (mx_node *)n; }

#endif
