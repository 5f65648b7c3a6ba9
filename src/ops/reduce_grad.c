/* ops/reduce_grad.c - VJP and JVP rules of the reductions and softmax, as
 * MLX 0.32 computes them (mlx/primitives.cpp Reduce, LogSumExp, Softmax,
 * ArgReduce; mean/var/std are composites there, and their rules here follow
 * the graph MLX differentiates, so special values come out the same).
 *
 * Every reduction primitive has the keepdims shape (ops/ops.h), so the
 * cotangent arrives with the reduced axes kept as size-1 dims and
 * broadcasts against the input as it is. */
#include <math.h>

#include "ops/grad_build.h"
#include "ops/reduce_shape_grad.h"
#include "ops/scatter.h"
#include "ops/sort.h"

/* ---- shared pieces --------------------------------------------------------------------------------- */

static int set_result(gb_builder *b, mx_node *g, mx_dtype dtype, mx_node **out) {
    *out = gb_finish(b, g, dtype);
    return *out ? MX_OK : mx_last_status();
}

static const mx_reduce_params *reduce_params(const mx_node *node) { return mx_node_params(node); }

/* Number of elements each output element reduces. */
static int64_t reduced_count(const mx_node *x, const mx_reduce_params *p) {
    int64_t n = 1;
    for (int i = 0; i < p->naxes; i++)
        n *= x->shape[p->axes[i]];
    return n;
}

/* Rules build nodes over the node itself (its output value). */
static mx_node *self(const mx_node *node) { return (mx_node *)node; }

/* x with the reduced axes moved last and merged into one: (kept..., n).
 * moved_shape receives the shape after the move (before the merge). */
static mx_node *reduced_last(gb_builder *b, mx_node *x, const mx_reduce_params *p, const int *perm,
                             int64_t *moved_shape) {
    int kept = x->ndim - p->naxes;
    int64_t flat[MX_MAX_NDIM + 1], n = 1;
    for (int i = 0; i < x->ndim; i++)
        moved_shape[i] = x->shape[perm[i]];
    for (int i = 0; i < kept; i++)
        flat[i] = moved_shape[i];
    for (int i = kept; i < x->ndim; i++)
        n *= moved_shape[i];
    flat[kept] = n;
    return gb_reshape(b, gb_transpose(b, x, perm), flat, kept + 1);
}

/* ---- sum ---------------------------------------------------------------------------------------------- */

int mx_sum_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    mx_node *x = node->inputs[0];
    gb_builder b = {0};
    return set_result(&b, gb_broadcast(&b, cot, x->shape, x->ndim), x->dtype, grads_out);
}

int mx_sum_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_reduce_params *p = reduce_params(node);
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    return set_result(&b, gb_reduce(&b, &mx_op_sum, tangents[0], p->axes, p->naxes), node->dtype, out);
}

/* ---- prod --------------------------------------------------------------------------------------------- */

/* prod_{j != i} x[..., j, ...] along `axis`: the product of the elements
 * before i times the product of those after, as MLX's two exclusive
 * cumprods, so zeros, infinities and NaNs give exactly what the product of
 * the other elements gives (no division). */
static mx_node *exclusive_products(gb_builder *b, mx_node *x, int axis) {
    if (!x)
        return NULL;
    mx_node *before = gb_own(b, mx_node_scan_raw(&mx_op_cumprod, x, axis, false, false));
    mx_node *after = gb_own(b, mx_node_scan_raw(&mx_op_cumprod, x, axis, true, false));
    return gb_mul(b, before, after);
}

/* The product of the other reduced elements, for every element of x. MLX:
 * one reduced axis is scanned in place; several are moved last and merged. */
static mx_node *prod_partials(gb_builder *b, mx_node *x, const mx_reduce_params *p) {
    if (p->naxes == 1)
        return exclusive_products(b, x, p->axes[0]);
    int perm[MX_MAX_NDIM], inverse[MX_MAX_NDIM];
    int64_t moved[MX_MAX_NDIM];
    gb_axes_last(x->ndim, p->axes, p->naxes, perm, inverse);
    mx_node *flat = reduced_last(b, x, p, perm, moved);
    mx_node *partial = gb_reshape(b, exclusive_products(b, flat, x->ndim - p->naxes), moved, x->ndim);
    return gb_transpose(b, partial, inverse);
}

int mx_prod_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    mx_node *x = node->inputs[0];
    gb_builder b = {0};
    if (x->size == 0)
        return set_result(&b, gb_full(&b, x->shape, x->ndim, 0.0, x->dtype), x->dtype, grads_out);
    return set_result(&b, gb_mul(&b, prod_partials(&b, x, reduce_params(node)), cot), x->dtype, grads_out);
}

int mx_prod_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_reduce_params *p = reduce_params(node);
    mx_node *x = node->inputs[0];
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    if (x->size == 0)
        return set_result(&b, gb_full(&b, node->shape, node->ndim, 0.0, node->dtype), node->dtype, out);
    mx_node *terms = gb_mul(&b, prod_partials(&b, x, p), tangents[0]);
    return set_result(&b, gb_reduce(&b, &mx_op_sum, terms, p->axes, p->naxes), node->dtype, out);
}

/* ---- max, min ------------------------------------------------------------------------------------------ */

/* MLX: the cotangent is shared equally among the elements equal to the
 * result (ties split it; a NaN result matches nothing and gives NaN). */
int mx_minmax_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    const mx_reduce_params *p = reduce_params(node);
    mx_node *x = node->inputs[0];
    gb_builder b = {0};
    mx_node *mask = gb_binary(&b, &mx_op_equal, x, self(node));
    mx_node *count = gb_reduce(&b, &mx_op_sum, mask, p->axes, p->naxes);
    return set_result(&b, gb_mul(&b, gb_div(&b, cot, count), mask), x->dtype, grads_out);
}

/* MLX: the tangent of the first element (in row-major order over the
 * reduced axes) where the arg-reduction points, not a share among ties. */
int mx_minmax_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_reduce_params *p = reduce_params(node);
    mx_node *x = node->inputs[0], *t = tangents[0];
    *out = NULL;
    if (!t)
        return MX_OK;
    gb_builder b = {0};
    if (node->size == 0) /* argmax refuses empty arrays; there is nothing to pick */
        return set_result(&b, gb_full(&b, node->shape, node->ndim, 0.0, node->dtype), node->dtype, out);
    const mx_op_def *arg = node->op == &mx_op_max ? &mx_op_argmax : &mx_op_argmin;
    mx_node *xs = x, *ts = t;
    int axis = p->naxes == 1 ? p->axes[0] : x->ndim - p->naxes;
    if (p->naxes != 1) {
        int perm[MX_MAX_NDIM], inverse[MX_MAX_NDIM];
        int64_t moved[MX_MAX_NDIM];
        gb_axes_last(x->ndim, p->axes, p->naxes, perm, inverse);
        xs = reduced_last(&b, x, p, perm, moved);
        ts = reduced_last(&b, t, p, perm, moved);
    }
    mx_node *index = gb_reduce(&b, arg, xs, &axis, 1);
    mx_node *picked = index && ts ? gb_own(&b, mx_node_take_along_axis(ts, index, axis)) : NULL;
    return set_result(&b, gb_reshape(&b, picked, node->shape, node->ndim), node->dtype, out);
}

/* ---- mean, var, std ------------------------------------------------------------------------------------ */

/* MLX: mean = sum(x) * (1/n), 1/n rounded to the output dtype. */
int mx_mean_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    mx_node *x = node->inputs[0];
    gb_builder b = {0};
    mx_node *scaled = gb_mul(&b, cot, gb_scalar(&b, 1.0 / (double)reduced_count(x, reduce_params(node)), node->dtype));
    return set_result(&b, gb_broadcast(&b, scaled, x->shape, x->ndim), x->dtype, grads_out);
}

int mx_mean_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_reduce_params *p = reduce_params(node);
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    return set_result(&b, gb_reduce(&b, &mx_op_mean, tangents[0], p->axes, p->naxes), node->dtype, out);
}

/* MLX's var: d = x - mean(x); v = sum(d^2) * (1/n), or / max(n - ddof, 0)
 * when ddof != 0; std = sqrt(v). The rules differentiate that graph step
 * by step (so ddof >= n and constant inputs give MLX's infinities/NaNs). */
static bool var_supported(const mx_node *node) {
    if (node->inputs[0]->dtype != MX_COMPLEX64)
        return true;
    mx_set_error(MX_ERROR_UNSUPPORTED, "%s: gradients of complex64 inputs are not supported", node->op->name);
    return false;
}

/* c * (1/n) or c / max(n - ddof, 0): the gradient of the final scaling. */
static mx_node *var_scale(gb_builder *b, const mx_node *node, mx_node *c) {
    const mx_var_params *p = mx_node_params(node);
    double n = (double)reduced_count(node->inputs[0], &p->reduce);
    if (p->ddof == 0)
        return gb_mul(b, c, gb_scalar(b, 1.0 / n, node->dtype));
    return gb_div(b, c, gb_scalar(b, fmax(n - p->ddof, 0.0), node->dtype));
}

int mx_var_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    const mx_var_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0];
    if (!var_supported(node))
        return mx_last_status();
    gb_builder b = {0};
    mx_dtype dt = node->dtype;
    mx_node *c = cot;
    if (node->op == &mx_op_std) /* MLX's sqrt rule: (0.5 * c) / sqrt(v) */
        c = gb_div(&b, gb_mul(&b, gb_scalar(&b, 0.5, dt), c), self(node));
    mx_node *d = gb_sub(&b, x, gb_reduce(&b, &mx_op_mean, x, p->reduce.axes, p->reduce.naxes));
    /* square's rule: d * (2 * c), with c broadcast over the reduced axes */
    mx_node *gd = gb_mul(&b, d, gb_mul(&b, gb_scalar(&b, 2.0, dt), var_scale(&b, node, c)));
    /* and through the mean: the sum of -gd, scaled by 1/n, to every element */
    mx_node *through_mean = gb_reduce(&b, &mx_op_sum, gb_neg(&b, gd), p->reduce.axes, p->reduce.naxes);
    through_mean = gb_mul(&b, through_mean, gb_scalar(&b, 1.0 / (double)reduced_count(x, &p->reduce), dt));
    return set_result(&b, gb_add(&b, gd, through_mean), x->dtype, grads_out);
}

int mx_var_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_var_params *p = mx_node_params(node);
    mx_node *x = node->inputs[0], *t = tangents[0];
    *out = NULL;
    if (!t)
        return MX_OK;
    if (!var_supported(node))
        return mx_last_status();
    gb_builder b = {0};
    mx_dtype dt = node->dtype;
    const int *axes = p->reduce.axes;
    int naxes = p->reduce.naxes;
    mx_node *d = gb_sub(&b, x, gb_reduce(&b, &mx_op_mean, x, axes, naxes));
    mx_node *dt_ = gb_sub(&b, t, gb_reduce(&b, &mx_op_mean, t, axes, naxes));
    mx_node *sq = gb_mul(&b, d, gb_mul(&b, gb_scalar(&b, 2.0, dt), dt_));
    mx_node *v = var_scale(&b, node, gb_reduce(&b, &mx_op_sum, sq, axes, naxes));
    if (node->op == &mx_op_std) /* MLX's sqrt rule: (0.5 * t) / sqrt(v) */
        v = gb_div(&b, gb_mul(&b, gb_scalar(&b, 0.5, dt), v), self(node));
    return set_result(&b, v, dt, out);
}

/* ---- logsumexp, softmax -------------------------------------------------------------------------------- */

/* MLX: softmax over the reduced axes in float32-accumulating (precise)
 * form; x is first cast to the output dtype so integer inputs get a float
 * softmax. */
static mx_node *lse_softmax(gb_builder *b, const mx_node *node) {
    const mx_reduce_params *p = reduce_params(node);
    mx_node *x = gb_astype(b, node->inputs[0], node->dtype);
    return x ? gb_own(b, mx_node_softmax(x, p->axes, p->naxes, true)) : NULL;
}

int mx_logsumexp_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    gb_builder b = {0};
    return set_result(&b, gb_mul(&b, cot, lse_softmax(&b, node)), node->inputs[0]->dtype, grads_out);
}

int mx_logsumexp_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    const mx_reduce_params *p = reduce_params(node);
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    mx_node *terms = gb_mul(&b, tangents[0], lse_softmax(&b, node));
    return set_result(&b, gb_reduce(&b, &mx_op_sum, terms, p->axes, p->naxes), node->dtype, out);
}

/* s * v - s * sum(s * v) over the last axis, s the softmax (the node). */
static mx_node *softmax_product(gb_builder *b, const mx_node *node, mx_node *v) {
    int last = node->ndim - 1;
    mx_node *sv = gb_mul(b, self(node), v);
    return gb_sub(b, sv, gb_mul(b, self(node), gb_reduce(b, &mx_op_sum, sv, &last, 1)));
}

int mx_softmax_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)argnums, (void)nargs;
    gb_builder b = {0};
    return set_result(&b, softmax_product(&b, node, cot), node->inputs[0]->dtype, grads_out);
}

int mx_softmax_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    *out = NULL;
    if (!tangents[0])
        return MX_OK;
    gb_builder b = {0};
    return set_result(&b, softmax_product(&b, node, tangents[0]), node->dtype, out);
}

/* ---- argmax, argmin, all, any -------------------------------------------------------------------------- */

/* Their outputs are integers or booleans: no gradient flows back (MLX gives
 * zeros), and their tangent is zero. */
int mx_nograd_vjp(const mx_node *node, mx_node *cot, const int *argnums, int nargs, mx_node **grads_out) {
    (void)node, (void)cot, (void)argnums;
    for (int i = 0; i < nargs; i++)
        grads_out[i] = NULL;
    return MX_OK;
}

int mx_nograd_jvp(const mx_node *node, mx_node *const *tangents, mx_node **out) {
    (void)node, (void)tangents;
    *out = NULL;
    return MX_OK;
}
