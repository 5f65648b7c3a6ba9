/* ops/composite_shape.c - shape composites of mlx.core: moveaxis, unflatten,
 * atleast_1d/2d/3d, broadcast_arrays, meshgrid, tile, repeat, roll, unstack,
 * tri, tril, triu and pad. They are views (reshape, transpose, broadcast,
 * slice) and concatenations, as MLX builds them, so the gradients come from
 * those ops' rules; constant padding is the `pad` primitive (one fill and
 * one copy, whatever the number of padded axes), whose gradient is a slice. */
#include "cmlx/composite.h"
#include "cmlx/ops.h"
#include "ops/composite.h"

static char *shape_str(const int64_t *shape, int ndim, char *buf) {
    return mx_format_shape(shape, ndim, buf, MX_SHAPE_STR_CAP);
}

/* ---- moveaxis, unflatten, atleast ------------------------------------------------------------------ */

mx_node *mx_node_moveaxis(mx_node *a, int source, int destination) {
    int ndim = a->ndim;
    int axes[2] = {source, destination};
    for (int i = 0; i < 2; i++) {
        if (axes[i] < -ndim || axes[i] >= ndim) { /* MLX: IndexError */
            char s[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_INDEX, "moveaxis: invalid axis %d for an array of shape %s", axes[i],
                         shape_str(a->shape, ndim, s));
            return NULL;
        }
        axes[i] = axes[i] < 0 ? axes[i] + ndim : axes[i];
    }
    int perm[MX_MAX_NDIM], n = 0;
    for (int i = 0; i < ndim; i++)
        if (i != axes[0])
            perm[n++] = i;
    memmove(perm + axes[1] + 1, perm + axes[1], sizeof(int) * (size_t)(ndim - 1 - axes[1]));
    perm[axes[1]] = axes[0];
    return mx_node_transpose(a, perm);
}

mx_array mx_moveaxis(mx_array a, int source, int destination) {
    mx_node *x = mx_handle_get(a, "moveaxis");
    return mx_handle_wrap(x ? mx_node_moveaxis(x, source, destination) : NULL);
}

mx_array mx_unflatten(mx_array a, int axis, const int64_t *shape, int ndim) {
    mx_node *x = mx_handle_get(a, "unflatten");
    if (!x)
        return mx_handle_wrap(NULL);
    char s[MX_SHAPE_STR_CAP], t[MX_SHAPE_STR_CAP];
    int ax = axis < 0 ? axis + x->ndim : axis;
    if (ax < 0 || ax >= x->ndim) { /* MLX 0.32: IndexError */
        mx_set_error(MX_ERROR_INDEX, "unflatten: invalid axis %d for an array of shape %s", axis,
                     shape_str(x->shape, x->ndim, s));
        return mx_handle_wrap(NULL);
    }
    if (ndim <= 0 || !shape) {
        mx_set_error(MX_ERROR_VALUE, "unflatten: the shape to unflatten to cannot be empty");
        return mx_handle_wrap(NULL);
    }
    if (x->ndim - 1 + ndim > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "unflatten: %d dims would exceed the maximum rank %d", x->ndim - 1 + ndim,
                     MX_MAX_NDIM);
        return mx_handle_wrap(NULL);
    }
    int64_t dims[MX_MAX_NDIM], known = 1;
    int infer = -1;
    for (int i = 0; i < ndim; i++) {
        dims[i] = shape[i];
        if (shape[i] == -1) {
            if (infer >= 0) {
                mx_set_error(MX_ERROR_VALUE, "unflatten: can only infer one dimension (shape %s)",
                             shape_str(shape, ndim, t));
                return mx_handle_wrap(NULL);
            }
            infer = i;
        } else if (shape[i] < 0) {
            mx_set_error(MX_ERROR_VALUE, "unflatten: invalid dimension %lld in shape %s", (long long)shape[i],
                         shape_str(shape, ndim, t));
            return mx_handle_wrap(NULL);
        } else {
            known *= shape[i];
        }
    }
    int64_t n = x->shape[ax];
    if (infer >= 0 && known != 0) {
        dims[infer] = n / known;
        known *= dims[infer];
    }
    /* (MLX divides by zero when inferring next to a 0 dimension; here that is
     * a size mismatch) */
    if (known != n || (infer >= 0 && dims[infer] == -1)) {
        mx_set_error(MX_ERROR_VALUE,
                     "unflatten: cannot unflatten axis %d of size %lld (array of shape %s) into shape %s", axis,
                     (long long)n, shape_str(x->shape, x->ndim, s), shape_str(shape, ndim, t));
        return mx_handle_wrap(NULL);
    }
    int64_t out[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0; i < ax; i++)
        out[nd++] = x->shape[i];
    for (int i = 0; i < ndim; i++)
        out[nd++] = dims[i];
    for (int i = ax + 1; i < x->ndim; i++)
        out[nd++] = x->shape[i];
    return mx_handle_wrap(mx_node_reshape(x, out, nd));
}

static mx_array atleast(mx_array a, int min_ndim, const char *op) {
    mx_node *x = mx_handle_get(a, op);
    if (!x)
        return mx_handle_wrap(NULL);
    if (x->ndim >= min_ndim) {
        mx_node_retain(x);
        return mx_handle_wrap(x);
    }
    /* 0-d -> (1,...); (k) -> (1, k) or (1, k, 1); (a, b) -> (a, b, 1) */
    int64_t shape[3] = {1, 1, 1};
    if (x->ndim == 1)
        shape[1] = x->shape[0];
    if (x->ndim == 1 && min_ndim == 1)
        shape[0] = x->shape[0];
    if (x->ndim == 2) {
        shape[0] = x->shape[0];
        shape[1] = x->shape[1];
    }
    return mx_handle_wrap(mx_node_reshape(x, shape, min_ndim));
}

mx_array mx_atleast_1d(mx_array a) { return atleast(a, 1, "atleast_1d"); }
mx_array mx_atleast_2d(mx_array a) { return atleast(a, 2, "atleast_2d"); }
mx_array mx_atleast_3d(mx_array a) { return atleast(a, 3, "atleast_3d"); }

/* ---- broadcast_arrays, meshgrid ------------------------------------------------------------------- */

/* The common broadcast shape of nodes (MLX's error for incompatible ones). */
static bool common_shape(mx_node *const *x, int n, int64_t *shape, int *ndim) {
    const int64_t *shapes[64] = {0};
    int ndims[64] = {0};
    const int64_t **sp = n <= 64 ? shapes : malloc(sizeof *sp * (size_t)n);
    int *np = n <= 64 ? ndims : malloc(sizeof *np * (size_t)n);
    bool ok = sp && np;
    if (!ok)
        mx_set_error(MX_ERROR_MEMORY, "broadcast_arrays: out of memory");
    for (int i = 0; ok && i < n; i++) {
        sp[i] = x[i]->shape;
        np[i] = x[i]->ndim;
    }
    ok = ok && mx_broadcast_shape(sp, np, n, shape, ndim) == MX_OK;
    if (sp != shapes)
        free(sp);
    if (np != ndims)
        free(np);
    return ok;
}

/* Broadcast every node to their common shape into out (handles). */
static mx_status broadcast_all(mx_node *const *x, int n, mx_array *out) {
    int64_t shape[MX_MAX_NDIM];
    int ndim = 0;
    if (!common_shape(x, n, shape, &ndim))
        return mx_last_status();
    for (int i = 0; i < n; i++) {
        mx_node *r = mx_node_broadcast_to(x[i], shape, ndim);
        if (!r) {
            mx_free_n(out, i);
            return mx_last_status();
        }
        out[i] = mx_handle_wrap(r);
    }
    return MX_OK;
}

static mx_node **node_list(const mx_array *arrays, int n, const char *op, mx_node **small) {
    if (n < 0 || (n > 0 && !arrays)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid list of %d arrays", op, n);
        return NULL;
    }
    mx_node **nodes = n <= 16 ? small : malloc(sizeof *nodes * (size_t)n);
    if (!nodes) {
        mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", op);
        return NULL;
    }
    if (n > 0 && !mx_handles_get(arrays, n, op, nodes)) {
        if (nodes != small)
            free(nodes);
        return NULL;
    }
    return nodes;
}

mx_status mx_broadcast_arrays(const mx_array *arrays, int n, mx_array *out) {
    mx_node *small[16] = {0};
    if (!out && n > 0)
        return mx_set_error(MX_ERROR_VALUE, "broadcast_arrays: NULL output list");
    mx_node **x = node_list(arrays, n, "broadcast_arrays", small);
    if (!x)
        return mx_last_status();
    mx_status st = broadcast_all(x, n, out);
    if (x != small)
        free(x);
    return st;
}

mx_status mx_meshgrid(const mx_array *arrays, int n, bool sparse, const char *indexing, mx_array *out) {
    bool xy = !indexing || strcmp(indexing, "xy") == 0;
    if (indexing && !xy && strcmp(indexing, "ij") != 0)
        return mx_set_error(MX_ERROR_VALUE, "meshgrid: invalid indexing value '%s'; valid values are 'xy' and 'ij'",
                            indexing);
    if (n > MX_MAX_NDIM)
        return mx_set_error(MX_ERROR_VALUE, "meshgrid: %d arrays exceed the maximum rank %d", n, MX_MAX_NDIM);
    if (!out && n > 0)
        return mx_set_error(MX_ERROR_VALUE, "meshgrid: NULL output list");
    mx_node *small[16] = {0};
    mx_node **x = node_list(arrays, n, "meshgrid", small);
    if (!x)
        return mx_last_status();
    /* array i (flattened) lies along axis i; 'xy' swaps the first two */
    mx_node *shaped[MX_MAX_NDIM] = {0};
    int made = 0;
    for (; made < n; made++) {
        int64_t shape[MX_MAX_NDIM];
        int axis = (xy && n > 1 && made < 2) ? 1 - made : made;
        for (int k = 0; k < n; k++)
            shape[k] = k == axis ? x[made]->size : 1;
        shaped[made] = mx_node_reshape(x[made], shape, n);
        if (!shaped[made])
            break;
    }
    mx_status st = MX_OK;
    if (made < n) {
        st = mx_last_status();
    } else if (sparse) {
        for (int i = 0; i < n; i++) {
            mx_node_retain(shaped[i]);
            out[i] = mx_handle_wrap(shaped[i]);
        }
    } else {
        st = broadcast_all(shaped, n, out);
    }
    for (int i = 0; i < made; i++)
        mx_node_release(shaped[i]);
    if (x != small)
        free(x);
    return st;
}

/* ---- tile, repeat ---------------------------------------------------------------------------------- */

mx_array mx_tile(mx_array a, const int64_t *reps, int nreps) {
    mx_node *x = mx_handle_get(a, "tile");
    if (!x)
        return mx_handle_wrap(NULL);
    if (nreps < 0 || (nreps && !reps)) {
        mx_set_error(MX_ERROR_VALUE, "tile: invalid list of %d repetitions", nreps);
        return mx_handle_wrap(NULL);
    }
    /* MLX (as NumPy): pad the shorter of shape and reps with leading 1s,
     * view a as (1, d0, 1, d1, ...) (a 1 only where the rep is not 1),
     * broadcast to (r0, d0, r1, d1, ...) and merge the pairs */
    int ndim = x->ndim > nreps ? x->ndim : nreps;
    int64_t expand[MX_MAX_NDIM], target[MX_MAX_NDIM], merged[MX_MAX_NDIM];
    int ne = 0;
    for (int i = 0; i < ndim; i++) {
        int ia = i - (ndim - x->ndim), ir = i - (ndim - nreps);
        int64_t d = ia >= 0 ? x->shape[ia] : 1, r = ir >= 0 ? reps[ir] : 1;
        if (r < 0) {
            char s[MX_SHAPE_STR_CAP], t[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "tile: negative repetitions %s are not allowed (array of shape %s)",
                         shape_str(reps, nreps, s), shape_str(x->shape, x->ndim, t));
            return mx_handle_wrap(NULL);
        }
        if (ne + 2 > MX_MAX_NDIM) {
            mx_set_error(MX_ERROR_VALUE, "tile: too many dimensions");
            return mx_handle_wrap(NULL);
        }
        if (r != 1) {
            expand[ne] = 1;
            target[ne++] = r;
        }
        expand[ne] = d;
        target[ne++] = d;
        merged[i] = r * d;
    }
    cb_builder b = {0};
    mx_node *out = cb_reshape(&b, cb_broadcast(&b, cb_reshape(&b, x, expand, ne), target, ne), merged, ndim);
    return mx_handle_wrap(cb_finish(&b, out));
}

static mx_node *repeat_node(mx_node *x, int repeats, int axis) {
    char s[MX_SHAPE_STR_CAP];
    int ax = axis < 0 ? axis + x->ndim : axis;
    if (ax < 0 || ax >= x->ndim) { /* MLX: IndexError */
        mx_set_error(MX_ERROR_INDEX, "repeat: axis %d is out of bounds for an array of shape %s", axis,
                     shape_str(x->shape, x->ndim, s));
        return NULL;
    }
    if (repeats < 0) {
        mx_set_error(MX_ERROR_VALUE, "repeat: the number of repeats (%d) cannot be negative", repeats);
        return NULL;
    }
    if (repeats == 1) {
        mx_node_retain(x);
        return x;
    }
    if (x->ndim + 1 > MX_MAX_NDIM) {
        mx_set_error(MX_ERROR_VALUE, "repeat: too many dimensions");
        return NULL;
    }
    /* (..., d, ...) -> (..., d, 1, ...) -> broadcast (..., d, r, ...) -> (..., d * r, ...) */
    int64_t one[MX_MAX_NDIM], target[MX_MAX_NDIM], merged[MX_MAX_NDIM];
    for (int i = 0, j = 0; i < x->ndim; i++) {
        one[j] = x->shape[i];
        target[j++] = x->shape[i];
        if (i == ax) {
            one[j] = 1;
            target[j++] = repeats;
        }
        merged[i] = x->shape[i] * (i == ax ? repeats : 1);
    }
    cb_builder b = {0};
    mx_node *out =
        cb_reshape(&b, cb_broadcast(&b, cb_reshape(&b, x, one, x->ndim + 1), target, x->ndim + 1), merged, x->ndim);
    return cb_finish(&b, out);
}

mx_array mx_repeat(mx_array array, int repeats) {
    mx_node *x = mx_handle_get(array, "repeat");
    if (!x)
        return mx_handle_wrap(NULL);
    mx_node *flat = mx_node_reshape(x, (int64_t[]){x->size}, 1);
    mx_node *out = flat ? repeat_node(flat, repeats, 0) : NULL;
    if (flat)
        mx_node_release(flat);
    return mx_handle_wrap(out);
}

mx_array mx_repeat_axis(mx_array array, int repeats, int axis) {
    mx_node *x = mx_handle_get(array, "repeat");
    return mx_handle_wrap(x ? repeat_node(x, repeats, axis) : NULL);
}

/* ---- roll ---------------------------------------------------------------------------------------------- */

/* Roll one axis: the last shift mod n elements move to the front (slices and
 * a concatenation, as MLX's split + concatenate). */
static mx_node *roll_axis(cb_builder *b, mx_node *x, int64_t shift, int ax) {
    if (!x)
        return NULL;
    int64_t n = x->shape[ax];
    if (n == 0)
        return x;
    int64_t cut = shift < 0 ? (-shift) % n : n - shift % n;
    if (cut == 0 || cut == n)
        return x;
    mx_node *parts[2] = {cb_slice_axis(b, x, ax, cut, 1, n - cut), cb_slice_axis(b, x, ax, 0, 1, cut)};
    return cb_concat(b, parts, 2, ax);
}

mx_array mx_roll(mx_array a, int64_t shift) {
    mx_node *x = mx_handle_get(a, "roll");
    if (!x)
        return mx_handle_wrap(NULL);
    cb_builder b = {0};
    mx_node *flat = cb_reshape(&b, x, (int64_t[]){x->size}, 1);
    mx_node *out = cb_reshape(&b, roll_axis(&b, flat, shift, 0), x->shape, x->ndim);
    return mx_handle_wrap(cb_finish(&b, out));
}

mx_array mx_roll_axes(mx_array a, const int64_t *shift, int nshift, const int *axes, int naxes) {
    mx_node *x = mx_handle_get(a, "roll");
    if (!x)
        return mx_handle_wrap(NULL);
    if (naxes < 0 || nshift < 0 || (naxes && !axes) || (nshift && !shift)) {
        mx_set_error(MX_ERROR_VALUE, "roll: invalid lists of %d shifts and %d axes", nshift, naxes);
        return mx_handle_wrap(NULL);
    }
    if (nshift < naxes) {
        mx_set_error(MX_ERROR_VALUE, "roll: at least one shift value per axis is required, %d provided for %d axes",
                     nshift, naxes);
        return mx_handle_wrap(NULL);
    }
    cb_builder b = {0};
    mx_node *out = x;
    for (int i = 0; i < naxes; i++) {
        int ax = axes[i] < 0 ? axes[i] + x->ndim : axes[i];
        if (ax < 0 || ax >= x->ndim) { /* MLX 0.32: IndexError */
            char s[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_INDEX, "roll: invalid axis %d for an array of shape %s", axes[i],
                         shape_str(x->shape, x->ndim, s));
            cb_abort(&b);
            return mx_handle_wrap(NULL);
        }
        out = roll_axis(&b, out, shift[i], ax);
    }
    return mx_handle_wrap(cb_finish(&b, out));
}

mx_array mx_roll_axis(mx_array a, int64_t shift, int axis) { return mx_roll_axes(a, &shift, 1, &axis, 1); }

/* ---- unstack ------------------------------------------------------------------------------------------- */

mx_status mx_unstack(mx_array a, int axis, mx_array *out) {
    mx_node *x = mx_handle_get(a, "unstack");
    if (!x)
        return mx_last_status();
    int ax = axis < 0 ? axis + x->ndim : axis;
    if (ax < 0 || ax >= x->ndim) { /* MLX: IndexError, 0-d arrays included */
        char s[MX_SHAPE_STR_CAP];
        return mx_set_error(MX_ERROR_INDEX, "unstack: axis %d is out of bounds for an array of shape %s", axis,
                            shape_str(x->shape, x->ndim, s));
    }
    int64_t count = x->shape[ax];
    if (count > 0 && !out)
        return mx_set_error(MX_ERROR_VALUE, "unstack: NULL output list");
    int64_t shape[MX_MAX_NDIM];
    int nd = 0;
    for (int i = 0; i < x->ndim; i++)
        if (i != ax)
            shape[nd++] = x->shape[i];
    for (int64_t i = 0; i < count; i++) {
        cb_builder b = {0};
        mx_node *part = cb_finish(&b, cb_reshape(&b, cb_slice_axis(&b, x, ax, i, 1, 1), shape, nd));
        if (!part) {
            mx_free_n(out, (int)i);
            return mx_last_status();
        }
        out[i] = mx_handle_wrap(part);
    }
    return MX_OK;
}

/* ---- tri, tril, triu --------------------------------------------------------------------------------- */

/* arange(n)[:, None] >= arange(-k, m - k)[None, :], as dtype. */
static mx_node *tri_node(int64_t n, int64_t m, int k, mx_dtype dtype) {
    int64_t rows = n > 0 ? n : 0, cols = m > 0 ? m : 0;
    cb_builder b = {0};
    mx_node *r =
        cb_own(&b, mx_node_new(&mx_op_arange, &(mx_arange_params){0.0, 1.0}, NULL, 0, (int64_t[]){rows}, 1, MX_INT32));
    mx_node *c = cb_own(
        &b, mx_node_new(&mx_op_arange, &(mx_arange_params){(double)-k, 1.0}, NULL, 0, (int64_t[]){cols}, 1, MX_INT32));
    mx_node *ge = cb_binary(&b, &mx_op_greater_equal, cb_reshape(&b, r, (int64_t[]){rows, 1}, 2),
                            cb_reshape(&b, c, (int64_t[]){1, cols}, 2));
    return cb_finish(&b, cb_astype(&b, ge, dtype));
}

mx_array mx_tri(int64_t n, int64_t m, int k, mx_dtype dtype) {
    if (m < 0)
        m = n;
    if (dtype == MX_DTYPE_COUNT)
        dtype = MX_FLOAT32;
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "tri: invalid dtype %d", (int)dtype);
        return mx_handle_wrap(NULL);
    }
    return mx_handle_wrap(tri_node(n, m, k, dtype));
}

static mx_array triangle(mx_array x, int k, bool lower, const char *op) {
    mx_node *a = mx_handle_get(x, op);
    if (!a)
        return mx_handle_wrap(NULL);
    if (a->ndim < 2) {
        char s[MX_SHAPE_STR_CAP];
        mx_set_error(MX_ERROR_VALUE, "%s: the array must be at least 2-D (shape %s)", op,
                     shape_str(a->shape, a->ndim, s));
        return mx_handle_wrap(NULL);
    }
    cb_builder b = {0};
    mx_node *mask = cb_own(&b, tri_node(a->shape[a->ndim - 2], a->shape[a->ndim - 1], lower ? k : k - 1, MX_BOOL));
    mx_node *zero = cb_scalar(&b, 0.0, a->dtype);
    mx_node *out = lower ? cb_where(&b, mask, a, zero) : cb_where(&b, mask, zero, a);
    return mx_handle_wrap(cb_finish(&b, out));
}

mx_array mx_tril(mx_array x, int k) { return triangle(x, k, true, "tril"); }
mx_array mx_triu(mx_array x, int k) { return triangle(x, k, false, "triu"); }

/* ---- pad ----------------------------------------------------------------------------------------------- */

/* The source index of output position p (of before + n + after) along an
 * axis: reflect repeats the pattern 0 1 .. n-1 .. 1 (period 2n - 2),
 * symmetric 0 1 .. n-1 n-1 .. 0 (period 2n), as NumPy. */
static int64_t pad_source(int64_t p, int64_t before, int64_t n, bool reflect) {
    int64_t i = p - before;
    int64_t period = reflect ? 2 * n - 2 : 2 * n;
    if (period <= 0)
        return 0;
    int64_t m = ((i % period) + period) % period;
    if (reflect)
        return m < n ? m : period - m;
    return m < n ? m : period - 1 - m;
}

/* Pad one axis by mode 'e' (edge), 'r' (reflect) or 's' (symmetric): the
 * output is cut into maximal runs whose source indices step by +1, -1 or 0,
 * each run a slice (or a broadcast edge) of x, concatenated. */
static mx_node *pad_axis(cb_builder *b, mx_node *x, int ax, int64_t before, int64_t after, char mode) {
    if (!x)
        return NULL;
    int64_t n = x->shape[ax], total = before + n + after;
    if (n == 0) { /* MLX's edge padding of an empty axis gives zeros */
        int64_t shape[MX_MAX_NDIM];
        memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->ndim);
        shape[ax] = total;
        return cb_full(b, shape, x->ndim, 0.0, x->dtype);
    }
    int cap = 16, count = 0;
    mx_node **parts = malloc(sizeof *parts * (size_t)cap);
    if (!parts) {
        mx_set_error(MX_ERROR_MEMORY, "pad: out of memory");
        b->failed = true;
        return NULL;
    }
#define SOURCE(p)                                                                                                      \
    (mode == 'e' ? ((p) < before        ? 0                                                                            \
                    : (p) >= before + n ? n - 1                                                                        \
                                        : (p)-before)                                                                  \
                 : pad_source((p), before, n, mode == 'r'))
    for (int64_t p = 0; p < total && !b->failed;) {
        int64_t start = SOURCE(p), len = 1, step = 0;
        if (p + 1 < total) {
            step = SOURCE(p + 1) - start;
            len = 2;
            while (p + len < total && SOURCE(p + len) - SOURCE(p + len - 1) == step)
                len++;
        }
        mx_node *part;
        if (step == 0) { /* one element repeated: a broadcast */
            int64_t shape[MX_MAX_NDIM];
            memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->ndim);
            shape[ax] = len;
            part = cb_broadcast(b, cb_slice_axis(b, x, ax, start, 1, 1), shape, x->ndim);
        } else {
            part = cb_slice_axis(b, x, ax, start, step, len);
        }
        if (count == cap) {
            mx_node **grown = realloc(parts, sizeof *parts * (size_t)(cap *= 2));
            if (!grown) {
                mx_set_error(MX_ERROR_MEMORY, "pad: out of memory");
                b->failed = true;
                break;
            }
            parts = grown;
        }
        parts[count++] = part;
        p += len;
    }
#undef SOURCE
    mx_node *out = b->failed ? NULL : count == 1 ? parts[0] : cb_concat(b, parts, count, ax);
    free(parts);
    return out;
}

mx_array mx_pad(mx_array a, const int *axes, int naxes, const int64_t *low_pad, const int64_t *high_pad,
                mx_array pad_value, const char *mode) {
    mx_node *x = mx_handle_get(a, "pad");
    if (!x)
        return mx_handle_wrap(NULL);
    char s[MX_SHAPE_STR_CAP];
    char kind = 0;
    if (!mode || strcmp(mode, "constant") == 0)
        kind = 'c';
    else if (strcmp(mode, "edge") == 0)
        kind = 'e';
    else if (strcmp(mode, "reflect") == 0)
        kind = 'r';
    else if (strcmp(mode, "symmetric") == 0)
        kind = 's';
    if (!kind) {
        mx_set_error(MX_ERROR_VALUE, "pad: invalid padding mode (%s)", mode);
        return mx_handle_wrap(NULL);
    }
    if (naxes < 0 || naxes > MX_MAX_NDIM || (naxes && (!axes || !low_pad || !high_pad))) {
        mx_set_error(MX_ERROR_VALUE, "pad: invalid number of padding sizes (%d) for an array of shape %s", naxes,
                     shape_str(x->shape, x->ndim, s));
        return mx_handle_wrap(NULL);
    }
    int64_t low[MX_MAX_NDIM] = {0}, high[MX_MAX_NDIM] = {0};
    for (int i = 0; i < naxes; i++) {
        if (low_pad[i] < 0 || high_pad[i] < 0) {
            mx_set_error(MX_ERROR_VALUE,
                         "pad: invalid padding (%lld, %lld) for axis %d; padding sizes must be non-negative",
                         (long long)low_pad[i], (long long)high_pad[i], axes[i]);
            return mx_handle_wrap(NULL);
        }
        int ax = mx_normalize_axis("pad", x, axes[i]);
        if (ax < 0)
            return mx_handle_wrap(NULL);
        low[ax] += low_pad[i];
        high[ax] += high_pad[i];
    }
    cb_builder b = {0};
    mx_node *out = x;
    if (kind == 'c') {
        mx_node *v = mx_handle_get(pad_value, "pad");
        if (!v) {
            cb_abort(&b);
            return mx_handle_wrap(NULL);
        }
        if (v->size == 0) {
            mx_set_error(MX_ERROR_VALUE, "pad: the constant value is an empty array (shape %s)",
                         shape_str(v->shape, v->ndim, s));
            return mx_handle_wrap(NULL);
        }
        /* MLX pads with the first element of constant_values, cast to a's dtype */
        mx_node *scalar = v;
        if (v->ndim > 0) {
            mx_node *flat = cb_reshape(&b, v, (int64_t[]){v->size}, 1);
            scalar = cb_reshape(&b, cb_slice_axis(&b, flat, 0, 0, 1, 1), NULL, 0);
        }
        mx_node *value = cb_astype(&b, scalar, x->dtype);
        bool any = false;
        int64_t shape[MX_MAX_NDIM];
        for (int i = 0; i < x->ndim; i++) {
            shape[i] = x->shape[i] + low[i] + high[i];
            any = any || low[i] || high[i];
        }
        if (any && value) {
            mx_pad_params p;
            memset(&p, 0, sizeof p);
            memcpy(p.low, low, sizeof low);
            memcpy(p.high, high, sizeof high);
            out = cb_own(&b, mx_node_new(&mx_op_pad, &p, (mx_node *[]){x, value}, 2, shape, x->ndim, x->dtype));
        }
    } else {
        for (int ax = 0; ax < x->ndim && out; ax++) {
            if (low[ax] == 0 && high[ax] == 0)
                continue;
            if (x->shape[ax] == 0 && kind != 'e') {
                mx_set_error(MX_ERROR_VALUE, "pad: cannot pad the empty axis %d (shape %s) with mode '%s'", ax,
                             shape_str(x->shape, x->ndim, s), mode);
                cb_abort(&b);
                return mx_handle_wrap(NULL);
            }
            out = pad_axis(&b, out, ax, low[ax], high[ax], kind);
        }
    }
    if (out == x) {
        cb_abort(&b);
        mx_node_retain(x);
        return mx_handle_wrap(x);
    }
    return mx_handle_wrap(cb_finish(&b, out));
}
