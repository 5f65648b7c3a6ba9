/* ops/reduce.c - reductions (sum prod max min all any mean var std logsumexp
 * argmax argmin) and softmax: validation, MLX's output dtypes and edge cases,
 * and the three public forms of each (all axes, _axis, _axes).
 *
 * Every reduction primitive produces the keepdims shape (reduced axes kept
 * with size 1); keepdims=false is a reshape of that node. mean, var and std
 * are primitives with fused kernels (one pass for mean, two for var/std)
 * rather than MLX's composites of sum/subtract/square/multiply: see
 * docs/ops-reduce.md for why and for how their rounding follows MLX's. */
#include <stdlib.h>
#include <string.h>

#include "cmlx/ops.h"
#include "ops/ops.h"
#include "ops/reduce_shape_grad.h"

/* rules: the VJP/JVP pair of ops/reduce_grad.c serving the op */
#define REDUCE_ROW(op_name, rules)                                                                                     \
    const mx_op_def mx_op_##op_name = {.name = #op_name,                                                               \
                                       .id = MX_OP_##op_name,                                                          \
                                       .family = MX_FAMILY_REDUCE,                                                     \
                                       .params_size = sizeof(mx_reduce_params),                                        \
                                       .vjp = mx_##rules##_vjp,                                                        \
                                       .jvp = mx_##rules##_jvp}
REDUCE_ROW(sum, sum);
REDUCE_ROW(prod, prod);
REDUCE_ROW(max, minmax);
REDUCE_ROW(min, minmax);
REDUCE_ROW(all, nograd);
REDUCE_ROW(any, nograd);
REDUCE_ROW(logsumexp, logsumexp);
REDUCE_ROW(mean, mean);
#undef REDUCE_ROW

const mx_op_def mx_op_var = {.name = "var",
                             .id = MX_OP_var,
                             .family = MX_FAMILY_REDUCE,
                             .params_size = sizeof(mx_var_params),
                             .vjp = mx_var_vjp,
                             .jvp = mx_var_jvp};
const mx_op_def mx_op_std = {.name = "std",
                             .id = MX_OP_std,
                             .family = MX_FAMILY_REDUCE,
                             .params_size = sizeof(mx_var_params),
                             .vjp = mx_var_vjp,
                             .jvp = mx_var_jvp};
const mx_op_def mx_op_argmax = {.name = "argmax",
                                .id = MX_OP_argmax,
                                .family = MX_FAMILY_REDUCE,
                                .params_size = sizeof(mx_axis_params),
                                .vjp = mx_nograd_vjp,
                                .jvp = mx_nograd_jvp};
const mx_op_def mx_op_argmin = {.name = "argmin",
                                .id = MX_OP_argmin,
                                .family = MX_FAMILY_REDUCE,
                                .params_size = sizeof(mx_axis_params),
                                .vjp = mx_nograd_vjp,
                                .jvp = mx_nograd_jvp};
const mx_op_def mx_op_softmax = {.name = "softmax",
                                 .id = MX_OP_softmax,
                                 .family = MX_FAMILY_REDUCE,
                                 .params_size = sizeof(mx_softmax_params),
                                 .vjp = mx_softmax_vjp,
                                 .jvp = mx_softmax_jvp};

/* ---- helpers ------------------------------------------------------------------------------ */

static char *format_axes(const int *axes, int naxes, char *buf, size_t cap) {
    int64_t wide[MX_MAX_NDIM];
    int n = naxes < MX_MAX_NDIM ? naxes : MX_MAX_NDIM;
    for (int i = 0; i < n; i++)
        wide[i] = axes[i];
    return mx_format_shape(wide, n, buf, cap);
}

static int compare_int(const void *x, const void *y) {
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

/* MLX's checks for reduction axes: an axis out of range is an IndexError
 * (MX_ERROR_INDEX), a repeated one a ValueError. Writes the sorted axes into
 * out; returns their count or -1 (error set). */
static int reduce_axes(const char *op, const mx_node *a, const int *axes, int naxes, int *out) {
    char s[MX_SHAPE_STR_CAP], ax[MX_SHAPE_STR_CAP];
    if (naxes < 0 || (naxes > 0 && !axes)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid list of %d axes", op, naxes);
        return -1;
    }
    for (int i = 0; i < naxes; i++) {
        int v = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
        if (v < 0 || v >= a->ndim) {
            mx_set_error(MX_ERROR_INDEX, "%s: axis %d is out of bounds for an array of shape %s (axes %s)", op, axes[i],
                         mx_format_shape(a->shape, a->ndim, s, sizeof s), format_axes(axes, naxes, ax, sizeof ax));
            return -1;
        }
    }
    if (naxes > a->ndim) { /* every axis is in range, so one repeats */
        mx_set_error(MX_ERROR_VALUE, "%s: repeated axes %s for an array of shape %s", op,
                     format_axes(axes, naxes, ax, sizeof ax), mx_format_shape(a->shape, a->ndim, s, sizeof s));
        return -1;
    }
    for (int i = 0; i < naxes; i++)
        out[i] = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
    qsort(out, (size_t)naxes, sizeof *out, compare_int);
    for (int i = 1; i < naxes; i++) {
        if (out[i] == out[i - 1]) {
            mx_set_error(MX_ERROR_VALUE, "%s: axis %d is repeated in axes %s for an array of shape %s", op, out[i],
                         format_axes(axes, naxes, ax, sizeof ax), mx_format_shape(a->shape, a->ndim, s, sizeof s));
            return -1;
        }
    }
    return naxes;
}

/* MLX: sums and products of small integers widen to 32 bits. */
static mx_dtype sum_dtype(mx_dtype t) {
    switch (t) {
    case MX_BOOL:
    case MX_INT8:
    case MX_INT16:
    case MX_INT32: return MX_INT32;
    case MX_UINT8:
    case MX_UINT16:
    case MX_UINT32: return MX_UINT32;
    default: return t;
    }
}

/* MLX's at_least_float: integers and bool become float32. */
static mx_dtype float_dtype(mx_dtype t) { return (mx_dtype_is_float(t) || t == MX_COMPLEX64) ? t : MX_FLOAT32; }

static bool is_arg_op(const mx_op_def *op) { return op == &mx_op_argmax || op == &mx_op_argmin; }

static bool is_reduce_op(const mx_op_def *op) {
    return op == &mx_op_sum || op == &mx_op_prod || op == &mx_op_max || op == &mx_op_min || op == &mx_op_all ||
           op == &mx_op_any || op == &mx_op_mean || op == &mx_op_var || op == &mx_op_std || op == &mx_op_logsumexp ||
           is_arg_op(op);
}

static mx_dtype reduce_out_dtype(const mx_op_def *op, mx_dtype in) {
    if (op == &mx_op_sum || op == &mx_op_prod)
        return sum_dtype(in);
    if (op == &mx_op_all || op == &mx_op_any)
        return MX_BOOL;
    if (is_arg_op(op))
        return MX_UINT32;
    if ((op == &mx_op_var || op == &mx_op_std) && in == MX_COMPLEX64)
        return MX_FLOAT32; /* MLX: the mean squared modulus of the deviations */
    if (op == &mx_op_mean || op == &mx_op_var || op == &mx_op_std || op == &mx_op_logsumexp)
        return float_dtype(in);
    return in; /* max, min */
}

/* Drop the size-1 axes a primitive kept (keepdims=false). Takes `node`. */
static mx_node *squeeze_reduced(mx_node *node, const int *axes, int naxes) {
    if (!node)
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0, j = 0; i < node->ndim; i++) {
        if (j < naxes && axes[j] == i) {
            j++;
            continue;
        }
        shape[nd++] = node->shape[i];
    }
    mx_node *out = mx_node_reshape(node, shape, nd);
    mx_node_release(node);
    return out;
}

/* The common path of every reduction (ddof only for var/std). */
static mx_node *reduce_node(const mx_op_def *op, mx_node *a, const int *axes, int naxes, bool keepdims, int ddof) {
    char s[MX_SHAPE_STR_CAP];
    const char *name = op->name;
    if (!is_reduce_op(op)) {
        mx_set_error(MX_ERROR_INTERNAL, "reduce: %s is not a reduction", name);
        return NULL;
    }
    /* MLX checks the size of these before the axes */
    if (is_arg_op(op) && a->size == 0) {
        mx_set_error(MX_ERROR_VALUE, "%s: cannot reduce an array of size 0 (shape %s)", name,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s));
        return NULL;
    }
    if (op == &mx_op_logsumexp) {
        if (a->size == 0) {
            mx_set_error(MX_ERROR_VALUE, "logsumexp: received an empty array (shape %s)",
                         mx_format_shape(a->shape, a->ndim, s, sizeof s));
            return NULL;
        }
        if (a->ndim == 0 && naxes > 0) {
            mx_set_error(MX_ERROR_VALUE, "logsumexp: received %d axes for an array with 0 dimensions", naxes);
            return NULL;
        }
    }
    int norm[MX_MAX_NDIM];
    int n = reduce_axes(name, a, axes, naxes, norm);
    if (n < 0)
        return NULL;
    if (is_arg_op(op) && n != 1) {
        mx_set_error(MX_ERROR_VALUE, "%s: reduces exactly one axis, got %d (shape %s)", name, n,
                     mx_format_shape(a->shape, a->ndim, s, sizeof s));
        return NULL;
    }
    if (op == &mx_op_max || op == &mx_op_min) {
        for (int i = 0; i < n; i++) {
            if (a->shape[norm[i]] == 0) {
                mx_set_error(MX_ERROR_VALUE, "%s: cannot reduce over axis %d of size 0 (shape %s)", name, norm[i],
                             mx_format_shape(a->shape, a->ndim, s, sizeof s));
                return NULL;
            }
        }
    }
    mx_dtype out_dtype = reduce_out_dtype(op, a->dtype);
    if (n == 0) {
        /* MLX: reducing no axes returns sum/prod/max/min's input unchanged
         * (dtype included). all/any (a cast to bool in MLX), mean, var, std
         * and logsumexp reduce over "one element" in the kernel. */
        if (op == &mx_op_sum || op == &mx_op_prod || op == &mx_op_max || op == &mx_op_min) {
            mx_node_retain(a);
            return a;
        }
    }
    int64_t shape[MX_MAX_NDIM];
    for (int i = 0; i < a->ndim; i++)
        shape[i] = a->shape[i];
    for (int i = 0; i < n; i++)
        shape[norm[i]] = 1;
    mx_node *node;
    if (is_arg_op(op)) {
        mx_axis_params p = {norm[0]};
        node = mx_node_new(op, &p, &a, 1, shape, a->ndim, out_dtype);
    } else if (op == &mx_op_var || op == &mx_op_std) {
        mx_var_params p;
        memset(&p, 0, sizeof p);
        p.reduce.naxes = n;
        memcpy(p.reduce.axes, norm, sizeof(int) * (size_t)n);
        p.ddof = ddof;
        node = mx_node_new(op, &p, &a, 1, shape, a->ndim, out_dtype);
    } else {
        mx_reduce_params p;
        memset(&p, 0, sizeof p);
        p.naxes = n;
        memcpy(p.axes, norm, sizeof(int) * (size_t)n);
        node = mx_node_new(op, &p, &a, 1, shape, a->ndim, out_dtype);
    }
    return keepdims ? node : squeeze_reduced(node, norm, n);
}

mx_node *mx_node_reduce(const mx_op_def *op, mx_node *a, const int *axes, int naxes, bool keepdims) {
    return reduce_node(op, a, axes, naxes, keepdims, 0);
}

mx_node *mx_node_var(mx_node *a, const int *axes, int naxes, bool keepdims, int ddof, bool take_sqrt) {
    return reduce_node(take_sqrt ? &mx_op_std : &mx_op_var, a, axes, naxes, keepdims, ddof);
}

/* ---- softmax --------------------------------------------------------------------------------- */

/* Build f(x) one step at a time, releasing the previous intermediate. */
static mx_node *then(mx_node *prev, mx_node *next) {
    if (prev)
        mx_node_release(prev);
    return next;
}

/* MLX's rule for its fast path: the axes as given end with the last axis and
 * any earlier ones are consecutive leading axes of size 1. The fast path
 * returns at_least_float(dtype); the general one returns the input dtype. */
static bool softmax_last_axis_path(const mx_node *a, const int *axes, int naxes) {
    if (naxes == 0 || !(axes[naxes - 1] == a->ndim - 1 || axes[naxes - 1] == -1))
        return false;
    for (int i = naxes - 2; i >= 0; i--) {
        int ax = axes[i] < 0 ? axes[i] + a->ndim : axes[i];
        if (axes[i] + 1 != axes[i + 1] || a->shape[ax] != 1)
            return false;
    }
    return true;
}

/* MLX's complex softmax, on any axes: exp(a - max) / sum(exp(a - max)), the
 * max lexicographic, all in complex64 (`precise` changes nothing: MLX keeps
 * complex inputs complex). axes: normalised, n of them. */
static mx_node *softmax_complex(mx_node *a, const int *axes, int n) {
    mx_node *max = mx_node_reduce(&mx_op_max, a, axes, n, true);
    mx_node *shifted = max ? mx_node_binary(&mx_op_subtract, a, max) : NULL;
    mx_node *e = shifted ? mx_node_unary(&mx_op_exp, shifted) : NULL;
    mx_node *total = e ? mx_node_reduce(&mx_op_sum, e, axes, n, true) : NULL;
    mx_node *out = total ? mx_node_binary(&mx_op_divide, e, total) : NULL;
    mx_node *parts[4] = {max, shifted, e, total};
    for (int i = 0; i < 4; i++)
        if (parts[i])
            mx_node_release(parts[i]);
    return out;
}

mx_node *mx_node_softmax(mx_node *a, const int *axes, int naxes, bool precise) {
    if (a->size == 0) { /* MLX returns an empty input as it is, before any check */
        mx_node_retain(a);
        return a;
    }
    if (a->ndim == 0 && naxes > 0) {
        mx_set_error(MX_ERROR_VALUE, "softmax: received %d axes for an array with 0 dimensions", naxes);
        return NULL;
    }
    int norm[MX_MAX_NDIM];
    int n = reduce_axes("softmax", a, axes, naxes, norm);
    if (n < 0)
        return NULL;
    if (a->dtype == MX_COMPLEX64)
        return softmax_complex(a, norm, n);
    mx_softmax_params p = {precise};
    bool fast = softmax_last_axis_path(a, axes, naxes);
    /* MLX's general path computes in float32 when precise, else in the
     * input's (at least float) type, and casts back to the input dtype. */
    mx_dtype compute = fast ? float_dtype(a->dtype) : precise ? MX_FLOAT32 : float_dtype(a->dtype);
    mx_node *x = mx_node_astype(a, compute);
    if (!x)
        return NULL;
    if (fast)
        return then(x, mx_node_new(&mx_op_softmax, &p, &x, 1, x->shape, x->ndim, compute));

    /* Move the softmax axes last (a view), merge them into one, run the
     * last-axis primitive, and undo both. */
    int perm[MX_MAX_NDIM], inverse[MX_MAX_NDIM], nd = 0;
    bool reduced[MX_MAX_NDIM] = {0};
    for (int i = 0; i < n; i++)
        reduced[norm[i]] = true;
    int64_t moved_shape[MX_MAX_NDIM], merged_shape[MX_MAX_NDIM + 1];
    int64_t inner = 1;
    for (int i = 0; i < a->ndim; i++)
        if (!reduced[i])
            perm[nd++] = i;
    int outer_nd = nd;
    for (int i = 0; i < n; i++)
        perm[nd++] = norm[i];
    for (int i = 0; i < a->ndim; i++) {
        inverse[perm[i]] = i;
        moved_shape[i] = a->shape[perm[i]];
    }
    for (int i = 0; i < outer_nd; i++)
        merged_shape[i] = moved_shape[i];
    for (int i = outer_nd; i < a->ndim; i++)
        inner *= moved_shape[i];
    merged_shape[outer_nd] = inner;

    x = then(x, mx_node_transpose(x, perm));
    if (x)
        x = then(x, mx_node_reshape(x, merged_shape, outer_nd + 1));
    if (x)
        x = then(x, mx_node_new(&mx_op_softmax, &p, &x, 1, x->shape, x->ndim, compute));
    if (x)
        x = then(x, mx_node_reshape(x, moved_shape, a->ndim));
    if (x)
        x = then(x, mx_node_transpose(x, inverse));
    if (x)
        x = then(x, mx_node_astype(x, a->dtype));
    return x;
}

/* ---- public API ------------------------------------------------------------------------------- */

static mx_array reduce_public(const mx_op_def *op, mx_array a, const int *axes, int naxes, bool all_axes, bool keepdims,
                              int ddof) {
    mx_node *n = mx_handle_get(a, op->name);
    if (!n)
        return mx_handle_wrap(NULL);
    int every[MX_MAX_NDIM];
    if (all_axes) {
        for (int i = 0; i < n->ndim; i++)
            every[i] = i;
        axes = every;
        naxes = n->ndim;
    }
    return mx_handle_wrap(reduce_node(op, n, axes, naxes, keepdims, ddof));
}

#define REDUCE_PUBLIC(op_name)                                                                                         \
    mx_array mx_##op_name(mx_array a, bool keepdims) {                                                                 \
        return reduce_public(&mx_op_##op_name, a, NULL, 0, true, keepdims, 0);                                         \
    }                                                                                                                  \
    mx_array mx_##op_name##_axis(mx_array a, int axis, bool keepdims) {                                                \
        return reduce_public(&mx_op_##op_name, a, &axis, 1, false, keepdims, 0);                                       \
    }                                                                                                                  \
    mx_array mx_##op_name##_axes(mx_array a, const int *axes, int naxes, bool keepdims) {                              \
        return reduce_public(&mx_op_##op_name, a, axes, naxes, false, keepdims, 0);                                    \
    }
REDUCE_PUBLIC(sum)
REDUCE_PUBLIC(prod)
REDUCE_PUBLIC(max)
REDUCE_PUBLIC(min)
REDUCE_PUBLIC(all)
REDUCE_PUBLIC(any)
REDUCE_PUBLIC(mean)
REDUCE_PUBLIC(logsumexp)
#undef REDUCE_PUBLIC

#define VAR_PUBLIC(op_name)                                                                                            \
    mx_array mx_##op_name(mx_array a, bool keepdims, int ddof) {                                                       \
        return reduce_public(&mx_op_##op_name, a, NULL, 0, true, keepdims, ddof);                                      \
    }                                                                                                                  \
    mx_array mx_##op_name##_axis(mx_array a, int axis, bool keepdims, int ddof) {                                      \
        return reduce_public(&mx_op_##op_name, a, &axis, 1, false, keepdims, ddof);                                    \
    }                                                                                                                  \
    mx_array mx_##op_name##_axes(mx_array a, const int *axes, int naxes, bool keepdims, int ddof) {                    \
        return reduce_public(&mx_op_##op_name, a, axes, naxes, false, keepdims, ddof);                                 \
    }
VAR_PUBLIC(var)
VAR_PUBLIC(std)
#undef VAR_PUBLIC

/* MLX: the index into the flattened array; keepdims gives a->ndim ones. */
static mx_array arg_flat(const mx_op_def *op, mx_array a, bool keepdims) {
    char s[MX_SHAPE_STR_CAP];
    mx_node *n = mx_handle_get(a, op->name);
    if (!n)
        return mx_handle_wrap(NULL);
    if (n->size == 0) {
        mx_set_error(MX_ERROR_VALUE, "%s: cannot reduce an array of size 0 (shape %s)", op->name,
                     mx_format_shape(n->shape, n->ndim, s, sizeof s));
        return mx_handle_wrap(NULL);
    }
    int64_t flat = n->size, ones[MX_MAX_NDIM];
    for (int i = 0; i < n->ndim; i++)
        ones[i] = 1;
    int zero = 0;
    mx_node *x = mx_node_reshape(n, &flat, 1);
    if (x)
        x = then(x, reduce_node(op, x, &zero, 1, true, 0));
    if (x)
        x = then(x, mx_node_reshape(x, ones, keepdims ? n->ndim : 0));
    return mx_handle_wrap(x);
}

mx_array mx_argmax(mx_array a, bool keepdims) { return arg_flat(&mx_op_argmax, a, keepdims); }
mx_array mx_argmin(mx_array a, bool keepdims) { return arg_flat(&mx_op_argmin, a, keepdims); }
mx_array mx_argmax_axis(mx_array a, int axis, bool keepdims) {
    return reduce_public(&mx_op_argmax, a, &axis, 1, false, keepdims, 0);
}
mx_array mx_argmin_axis(mx_array a, int axis, bool keepdims) {
    return reduce_public(&mx_op_argmin, a, &axis, 1, false, keepdims, 0);
}

static mx_array softmax_public(mx_array a, const int *axes, int naxes, bool all_axes, bool precise) {
    mx_node *n = mx_handle_get(a, "softmax");
    if (!n)
        return mx_handle_wrap(NULL);
    int every[MX_MAX_NDIM];
    if (all_axes) {
        for (int i = 0; i < n->ndim; i++)
            every[i] = i;
        axes = every;
        naxes = n->ndim;
    }
    return mx_handle_wrap(mx_node_softmax(n, axes, naxes, precise));
}

mx_array mx_softmax(mx_array a, bool precise) { return softmax_public(a, NULL, 0, true, precise); }
mx_array mx_softmax_axis(mx_array a, int axis, bool precise) { return softmax_public(a, &axis, 1, false, precise); }
mx_array mx_softmax_axes(mx_array a, const int *axes, int naxes, bool precise) {
    return softmax_public(a, axes, naxes, false, precise);
}
