/* ops/random_dist.c - the distributions of mlx.core.random built from random
 * bits and uniform draws, with MLX 0.32's formulas so a key gives MLX's values:
 *
 *   randint           floor(uniform(low, high)) in the output dtype, clamped to [low, high - 1]
 *   bernoulli         uniform(shape, p's dtype) < p
 *   truncated_normal  sqrt(2) erfinv(u), u uniform in [erf(lower/sqrt2), erf(upper/sqrt2)),
 *                     clipped to [lower, upper]
 *   gumbel            -log(-log(u)), u uniform in [FLT_MIN, 1)
 *   laplace           sign(u) log1p(-|u|), u uniform in (-1, 1), scaled and shifted
 *   categorical       argmax(gumbel + logits) over the category axis
 *
 * Each is a composition of public ops (no kernel of its own), so gradients,
 * vmap and every backend come with them. */
#include <math.h>
#include <string.h>

#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "cmlx/random.h"
#include "ops/ops.h"

/* The result of a composition built inside `scope`: kept, the rest freed. */
static mx_array finish(mx_scope scope, mx_array result) {
    mx_scope_keep(scope, result);
    mx_scope_end(scope);
    return result;
}

static mx_array fail_value(const char *fmt, const char *what) {
    mx_set_error(MX_ERROR_VALUE, fmt, what);
    return mx_handle_wrap(NULL);
}

static bool valid_shape(const int64_t *shape, int ndim) {
    return ndim >= 0 && ndim <= MX_MAX_NDIM && (ndim == 0 || shape);
}

mx_array mx_random_randint(mx_array low, mx_array high, const int64_t *shape, int ndim, mx_dtype dtype, mx_array key) {
    if (mx_dtype_is_float(dtype) || dtype == MX_COMPLEX64)
        return fail_value("randint: randint only accepts integer dtypes and bool (got %s)", mx_dtype_name(dtype));
    if (!valid_shape(shape, ndim))
        return fail_value("randint: invalid %s", "shape");
    mx_scope scope = mx_scope_begin();
    mx_dtype bounds = mx_promote_types(mx_array_dtype(low), mx_array_dtype(high));
    mx_dtype draw = bounds == MX_FLOAT16 || bounds == MX_BFLOAT16 ? bounds : MX_FLOAT32;
    mx_array u = mx_random_uniform(low, high, shape, ndim, draw, key);
    /* floor, then clamped to [low, high - 1] in the output dtype's own (wrapping) arithmetic, as MLX:
     * an empty interval (high <= low) gives low */
    mx_dtype arith = dtype == MX_BOOL ? MX_INT32 : dtype;
    mx_array top = mx_subtract(mx_astype(high, arith), mx_scalar(1.0, arith));
    mx_array out = mx_maximum(mx_minimum(mx_astype(mx_floor(u), arith), top), mx_astype(low, arith));
    return finish(scope, mx_astype(out, dtype));
}

mx_array mx_random_bernoulli(mx_array p, const int64_t *shape, int ndim, mx_array key) {
    mx_scope scope = mx_scope_begin();
    mx_array prob = p.id == 0 ? mx_scalar_f32(0.5f) : p;
    if (mx_array_status(prob) != MX_OK)
        return finish(scope, mx_copy(prob));
    if (!mx_dtype_is_float(mx_array_dtype(prob))) {
        mx_scope_end(scope);
        return fail_value("bernoulli: the probability p must be a float type (got %s)",
                          mx_dtype_name(mx_array_dtype(prob)));
    }
    if (ndim < 0) { /* no shape: p's */
        shape = mx_shape(prob);
        ndim = mx_ndim(prob);
    }
    if (!valid_shape(shape, ndim)) {
        mx_scope_end(scope);
        return fail_value("bernoulli: invalid %s", "shape");
    }
    mx_array u = mx_random_uniform(MX_NULL_ARRAY, MX_NULL_ARRAY, shape, ndim, mx_array_dtype(prob), key);
    return finish(scope, mx_less(u, prob));
}

mx_array mx_random_truncated_normal(mx_array lower, mx_array upper, const int64_t *shape, int ndim, mx_dtype dtype,
                                    mx_array key) {
    if (!mx_dtype_is_float(dtype))
        return fail_value("truncated_normal: only floating-point dtypes (got %s)", mx_dtype_name(dtype));
    mx_scope scope = mx_scope_begin();
    mx_array sqrt2 = mx_scalar(1.4142135623730951, dtype);
    mx_array lo = mx_astype(lower, dtype), hi = mx_astype(upper, dtype);
    mx_array bounds = mx_add(lo, hi);
    if (mx_array_status(bounds) != MX_OK)
        return finish(scope, bounds);
    if (ndim < 0) { /* no shape: the broadcast shape of the bounds */
        shape = mx_shape(bounds);
        ndim = mx_ndim(bounds);
    }
    mx_array u = mx_random_uniform(mx_erf(mx_divide(lo, sqrt2)), mx_erf(mx_divide(hi, sqrt2)), shape, ndim, dtype, key);
    mx_array out = mx_multiply(sqrt2, mx_erfinv(u));
    return finish(scope, mx_minimum(mx_maximum(out, lo), hi));
}

mx_array mx_random_gumbel(const int64_t *shape, int ndim, mx_dtype dtype, mx_array key) {
    mx_scope scope = mx_scope_begin();
    mx_array u = mx_random_uniform(mx_scalar_f32(1.17549435e-38f), mx_scalar_f32(1.0f), shape, ndim, dtype, key);
    return finish(scope, mx_negative(mx_log(mx_negative(mx_log(u)))));
}

mx_array mx_random_laplace(const int64_t *shape, int ndim, mx_dtype dtype, double loc, double scale, mx_array key) {
    if (!mx_dtype_is_float(dtype))
        return fail_value("laplace: only floating-point dtypes (got %s)", mx_dtype_name(dtype));
    mx_scope scope = mx_scope_begin();
    /* drawn and transformed in float32, then scaled and shifted in dtype */
    mx_array u =
        mx_random_uniform(mx_scalar_f32(nextafterf(-1.0f, 0.0f)), mx_scalar_f32(1.0f), shape, ndim, MX_FLOAT32, key);
    mx_array out = mx_astype(mx_multiply(mx_sign(u), mx_log1p(mx_negative(mx_abs(u)))), dtype);
    if (scale != 1.0)
        out = mx_multiply(mx_scalar(scale, dtype), out);
    if (loc != 0.0)
        out = mx_add(mx_scalar(loc, dtype), out);
    return finish(scope, out);
}

/* argmax over `offset` of gumbel(sample_shape with the category count inserted at offset) + logits. */
static mx_array categorical_draw(mx_array logits, int axis, const int64_t *sample_shape, int n, int logits_ndim,
                                 mx_array key) {
    int offset = axis + n - logits_ndim + 1;
    if (offset < 0 || offset > n || n + 1 > MX_MAX_NDIM)
        return fail_value("categorical: the requested %s does not broadcast with the logits", "shape");
    int64_t gumbel_shape[MX_MAX_NDIM];
    memcpy(gumbel_shape, sample_shape, (size_t)offset * sizeof(int64_t));
    gumbel_shape[offset] = mx_shape(logits)[axis];
    memcpy(gumbel_shape + offset + 1, sample_shape + offset, (size_t)(n - offset) * sizeof(int64_t));
    mx_scope scope = mx_scope_begin();
    int last = -1;
    mx_array lg = logits_ndim > mx_ndim(logits) ? mx_expand_dims(logits, &last, 1) : logits;
    mx_array g = mx_random_gumbel(gumbel_shape, n + 1, MX_FLOAT32, key);
    return finish(scope, mx_argmax_axis(mx_add(g, lg), offset, false));
}

static int category_axis(mx_array logits, int axis) {
    int ndim = mx_ndim(logits);
    int ax = axis < 0 ? axis + ndim : axis;
    if (ax < 0 || ax >= ndim) {
        mx_set_error(MX_ERROR_INDEX, "categorical: invalid axis %d for logits with %d dimensions", axis, ndim);
        return -1;
    }
    return ax;
}

mx_array mx_random_categorical(mx_array logits, int axis, mx_array key) {
    if (mx_array_status(logits) != MX_OK)
        return mx_copy(logits);
    int ax = category_axis(logits, axis);
    if (ax < 0)
        return mx_handle_wrap(NULL);
    int64_t batch[MX_MAX_NDIM];
    int n = 0;
    for (int i = 0; i < mx_ndim(logits); i++)
        if (i != ax)
            batch[n++] = mx_shape(logits)[i];
    return categorical_draw(logits, ax, batch, n, mx_ndim(logits), key);
}

mx_array mx_random_categorical_shape(mx_array logits, int axis, const int64_t *shape, int ndim, mx_array key) {
    if (mx_array_status(logits) != MX_OK)
        return mx_copy(logits);
    int ax = category_axis(logits, axis);
    if (ax < 0)
        return mx_handle_wrap(NULL);
    if (!valid_shape(shape, ndim))
        return fail_value("categorical: invalid %s", "shape");
    return categorical_draw(logits, ax, shape, ndim, mx_ndim(logits), key);
}

mx_array mx_random_categorical_samples(mx_array logits, int axis, int64_t num_samples, mx_array key) {
    if (mx_array_status(logits) != MX_OK)
        return mx_copy(logits);
    int ax = category_axis(logits, axis);
    if (ax < 0)
        return mx_handle_wrap(NULL);
    if (num_samples < 0)
        return fail_value("categorical: num_samples must be non-negative (%s)", "got a negative count");
    /* the logits gain a trailing axis of 1; the samples take its place in the output */
    int64_t samples[MX_MAX_NDIM];
    int n = 0;
    for (int i = 0; i < mx_ndim(logits); i++)
        if (i != ax)
            samples[n++] = mx_shape(logits)[i];
    samples[n++] = num_samples;
    return categorical_draw(logits, ax, samples, n, mx_ndim(logits) + 1, key);
}
