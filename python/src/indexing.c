/* python/src/indexing.c - a[index], a[index] = v and a.at[index].<op>(v),
 * with MLX 0.32's semantics (python/src/indexing.cpp of MLX), built on the
 * library's ops so that updates cost O(updated elements):
 *
 *   reading   ints, slices, None and Ellipsis are one mx_slice and a reshape;
 *             integer arrays (cmlx arrays, nested lists) then gather: one
 *             array with mx_take, several with mx_gather. With any array,
 *             ints are 0-d arrays; the broadcast index dims replace the
 *             indexed axes where the arrays (and ints) are adjacent, else
 *             they go first (NumPy's rule, which MLX follows).
 *   writing   without arrays: slice_update (and its add/prod/max/min for
 *             .at); with arrays: scatter (scatter_add, ... for .at); boolean
 *             masks: masked_scatter. The value's shape follows MLX, whose
 *             basic-index path is stricter than NumPy for values with more
 *             dims than the selection (see update_shape_basic).
 *
 * MLX reads and writes out of bounds for out-of-range indices; cmlx raises
 * IndexError (eagerly for ints, at evaluation for index arrays). */
#include <stdio.h>
#include <string.h>

#include "cmlx_py.h"
#include "ops_support.h"

typedef enum { ENTRY_SLICE, ENTRY_INT, ENTRY_NONE, ENTRY_ARRAY } entry_kind;

typedef struct {
    entry_kind kind;
    int axis;      /* axis of a (not ENTRY_NONE) */
    int64_t start; /* ENTRY_SLICE: normalised (PySlice_AdjustIndices); ENTRY_INT: wrapped value */
    int64_t step, count;
    mx_array array; /* ENTRY_ARRAY, scoped */
} index_entry;

typedef struct {
    index_entry e[2 * MX_MAX_NDIM + 2];
    int count;
    int given_axes; /* non-None entries the index names (Ellipsis expanded, before implicit trailing axes) */
    bool has_array;
} index_list;

/* memcpy of n dims; a 0-d array's shape may be NULL */
static void copy_dims(int64_t *dst, const int64_t *src, int n) {
    if (n > 0)
        memcpy(dst, src, sizeof(int64_t) * (size_t)n);
}

static const char *const BAD_TYPE = "Cannot index mlx array using the given type.";
static const char *const BAD_TYPE_IN_TUPLE = "Cannot index mlx array using the given type yet";

/* An index array from a cmlx array or a nested list; MLX rejects bool ones. */
static int index_array(PyObject *item, mx_array *out) {
    if (!cmlx_to_array(item, out))
        return 0;
    if (mx_array_dtype(*out) == MX_BOOL) {
        PyErr_SetString(PyExc_ValueError, "boolean indices are not yet supported");
        return 0;
    }
    return 1;
}

/* One item of an index: fills kind (and array / value for ints). Ellipsis is
 * the caller's. Python ints and objects with __index__ (NumPy integer
 * scalars) are ints; bool, float, NumPy arrays and others are ValueErrors. */
static int classify(PyObject *item, index_entry *e, bool in_tuple, int64_t *int_value) {
    memset(e, 0, sizeof *e);
    if (item == Py_None) {
        e->kind = ENTRY_NONE;
    } else if (PySlice_Check(item)) {
        e->kind = ENTRY_SLICE;
    } else if (CmlxArray_Check(item) || PyList_Check(item)) {
        if (!index_array(item, &e->array))
            return 0;
        e->kind = ENTRY_ARRAY;
    } else if (!PyBool_Check(item) && (PyLong_Check(item) || PyIndex_Check(item))) {
        PyObject *v = PyNumber_Index(item);
        if (v == NULL) {
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, in_tuple ? BAD_TYPE_IN_TUPLE : BAD_TYPE);
            return 0;
        }
        long long x = PyLong_AsLongLong(v);
        Py_DECREF(v);
        if (x == -1 && PyErr_Occurred())
            return 0;
        e->kind = ENTRY_INT;
        *int_value = x;
    } else {
        PyErr_SetString(PyExc_ValueError, in_tuple ? BAD_TYPE_IN_TUPLE : BAD_TYPE);
        return 0;
    }
    return 1;
}

/* Parses `index` (a tuple or one item, not Ellipsis/None alone) against a's
 * shape into one entry per result-making item, with implicit trailing axes
 * appended as full slices. Slices are resolved against their axis. */
static int parse_index(PyObject *index, const int64_t *shape, int ndim, index_list *list) {
    bool is_tuple = PyTuple_Check(index);
    Py_ssize_t n = is_tuple ? PyTuple_GET_SIZE(index) : 1;
    index_entry items[2 * MX_MAX_NDIM + 2];
    PyObject *slices[2 * MX_MAX_NDIM + 2];
    int64_t ints[2 * MX_MAX_NDIM + 2];
    int count = 0, named = 0, ellipsis_at = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = is_tuple ? PyTuple_GET_ITEM(index, i) : index;
        if (item == Py_Ellipsis) {
            if (ellipsis_at >= 0) {
                PyErr_SetString(PyExc_ValueError, "An index can only have a single ellipsis (...)");
                return 0;
            }
            ellipsis_at = count;
            continue;
        }
        if (count >= 2 * MX_MAX_NDIM) {
            PyErr_Format(PyExc_ValueError, "Too many indices for array with %d dimensions.", ndim);
            return 0;
        }
        if (!classify(item, &items[count], is_tuple, &ints[count]))
            return 0;
        slices[count] = item;
        named += items[count].kind != ENTRY_NONE;
        count++;
    }
    if (named > ndim) {
        if (ndim == 0 && !is_tuple)
            PyErr_SetString(PyExc_ValueError, "too many indices for array: array is 0-dimensional");
        else
            PyErr_Format(PyExc_ValueError, "Too many indices for array with %d dimensions.", ndim);
        return 0;
    }
    /* the Ellipsis stands for the axes not named; the rest are appended */
    int missing = ndim - named, at = ellipsis_at >= 0 ? ellipsis_at : count;
    list->count = 0;
    list->has_array = false;
    list->given_axes = named + (ellipsis_at >= 0 ? missing : 0);
    int axis = 0;
    for (int i = 0; i <= count; i++) {
        if (i == at) {
            for (int k = 0; k < missing; k++, axis++) {
                index_entry *e = &list->e[list->count++];
                memset(e, 0, sizeof *e);
                *e = (index_entry){.kind = ENTRY_SLICE, .axis = axis, .start = 0, .step = 1, .count = shape[axis]};
            }
        }
        if (i == count)
            break;
        index_entry *e = &list->e[list->count++];
        *e = items[i];
        if (e->kind == ENTRY_NONE)
            continue;
        e->axis = axis;
        int64_t dim = shape[axis];
        if (e->kind == ENTRY_INT) {
            int64_t v = ints[i];
            if (v < -dim || v >= dim) {
                PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld", (long long)v,
                             axis, (long long)dim);
                return 0;
            }
            e->start = v < 0 ? v + dim : v;
        } else if (e->kind == ENTRY_SLICE) {
            Py_ssize_t s0, s1, st;
            if (PySlice_Unpack(slices[i], &s0, &s1, &st) < 0)
                return 0;
            e->count = PySlice_AdjustIndices((Py_ssize_t)dim, &s0, &s1, st);
            e->start = e->count ? s0 : 0;
            e->step = e->count ? st : 1;
        } else {
            list->has_array = true;
        }
        axis++;
    }
    return 1;
}

/* The slice of an entry as start/stop/step for mx_slice (a stop before
 * index 0 of a negative step must not read as "from the end"). */
static void entry_bounds(const index_entry *e, int64_t dim, int64_t *start, int64_t *stop, int64_t *step) {
    if (e->kind == ENTRY_INT) {
        *start = e->start, *stop = e->start + 1, *step = 1;
        return;
    }
    int64_t end = e->start + e->step * e->count;
    *start = e->start;
    *stop = end < 0 ? end - dim : end;
    *step = e->step;
}

static mx_array checked(mx_array x) {
    if (x.id != 0 && mx_array_status(x) != MX_OK) {
        cmlx_raise_array(x);
        return MX_NULL_ARRAY;
    }
    return x;
}

/* ---- reading ------------------------------------------------------------------------------------------ */

/* MLX's placement: the gathered dims go first when a slice or None separates
 * two array/int entries, else where the first of them is. */
static bool gather_first(const index_list *list) {
    bool seen = false, gap = false;
    for (int i = 0; i < list->count; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_ARRAY || e->kind == ENTRY_INT) {
            if (seen && gap)
                return true;
            seen = true;
        } else {
            gap |= seen;
        }
    }
    return false;
}

static mx_array get_scoped(mx_array a, PyObject *index) {
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    if (PyTuple_Check(index) && PyTuple_GET_SIZE(index) == 0)
        return mx_retain(a);
    if (index == Py_Ellipsis)
        return mx_retain(a);
    if (index == Py_None) {
        int64_t s[MX_MAX_NDIM + 1] = {1};
        copy_dims(s + 1, shape, ndim);
        return checked(mx_reshape(a, s, ndim + 1));
    }
    if (ndim == 0 && !PyTuple_Check(index)) {
        /* classify first: an invalid type is still "the given type" */
        index_entry e;
        int64_t v;
        if (!classify(index, &e, false, &v))
            return MX_NULL_ARRAY;
        PyErr_SetString(PyExc_ValueError, "too many indices for array: array is 0-dimensional");
        return MX_NULL_ARRAY;
    }
    index_list list;
    if (!parse_index(index, shape, ndim, &list))
        return MX_NULL_ARRAY;
    /* 1. every slice at once, as a view; int and array axes stay whole unless
     * no array is present (then ints are slices of one, squeezed below) */
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    bool needs_slice = false;
    for (int i = 0; i < list.count; i++) {
        index_entry *e = &list.e[i];
        if (e->kind == ENTRY_NONE)
            continue;
        int64_t dim = shape[e->axis];
        if (e->kind == ENTRY_ARRAY || (e->kind == ENTRY_INT && list.has_array)) {
            start[e->axis] = 0, stop[e->axis] = dim, step[e->axis] = 1;
            continue;
        }
        entry_bounds(e, dim, &start[e->axis], &stop[e->axis], &step[e->axis]);
        needs_slice |= start[e->axis] != 0 || step[e->axis] != 1 || stop[e->axis] != dim;
    }
    mx_array v = needs_slice ? checked(mx_slice(a, start, stop, step, ndim)) : a;
    if (v.id == 0)
        return MX_NULL_ARRAY;
    const int64_t *vshape = mx_shape(v);
    int64_t out_shape[2 * MX_MAX_NDIM + 2];
    int out_ndim = 0;
    if (!list.has_array) {
        for (int i = 0; i < list.count; i++) {
            const index_entry *e = &list.e[i];
            if (e->kind != ENTRY_INT)
                out_shape[out_ndim++] = e->kind == ENTRY_NONE ? 1 : vshape[e->axis];
        }
        if (out_ndim == ndim && !needs_slice) {
            bool same = true;
            for (int d = 0; d < ndim; d++)
                same = same && out_shape[d] == shape[d];
            if (same)
                return mx_retain(a);
        }
        return checked(mx_reshape(v, out_shape, out_ndim));
    }
    /* 2. the arrays (ints among them as 0-d arrays) */
    mx_array idx[MX_MAX_NDIM];
    int axes[MX_MAX_NDIM], n = 0;
    for (int i = 0; i < list.count; i++) {
        index_entry *e = &list.e[i];
        if (e->kind == ENTRY_INT)
            e->array = mx_scalar((double)e->start, MX_UINT32);
        if (e->kind == ENTRY_INT || e->kind == ENTRY_ARRAY) {
            idx[n] = e->array;
            axes[n++] = e->axis;
        }
    }
    bool first = gather_first(&list);
    mx_array g;
    int64_t b[MX_MAX_NDIM];
    int nb;
    if (n == 1) { /* take keeps the index dims in place: v[:axis] + idx + v[axis+1:] */
        g = checked(mx_take(v, idx[0], axes[0]));
        if (g.id == 0)
            return MX_NULL_ARRAY;
        nb = mx_ndim(idx[0]);
        copy_dims(b, mx_shape(idx[0]), nb);
    } else {
        int64_t sizes[MX_MAX_NDIM];
        memcpy(sizes, vshape, sizeof(int64_t) * (size_t)ndim);
        for (int j = 0; j < n; j++)
            sizes[axes[j]] = 1;
        g = checked(mx_gather(v, idx, n, axes, n, sizes, ndim));
        if (g.id == 0)
            return MX_NULL_ARRAY;
        nb = mx_ndim(g) - ndim;
        memcpy(b, mx_shape(g), sizeof(int64_t) * (size_t)nb);
        /* B + the dims of the slice entries, in order */
        int64_t bs[2 * MX_MAX_NDIM];
        int q = nb;
        memcpy(bs, b, sizeof(int64_t) * (size_t)nb);
        int pre = 0; /* slice dims before the first array entry */
        bool before = true;
        for (int i = 0; i < list.count; i++) {
            const index_entry *e = &list.e[i];
            if (e->kind == ENTRY_ARRAY || e->kind == ENTRY_INT)
                before = false;
            else if (e->kind == ENTRY_SLICE) {
                bs[q++] = vshape[e->axis];
                pre += before;
            }
        }
        g = checked(mx_reshape(g, bs, q));
        if (g.id == 0)
            return MX_NULL_ARRAY;
        if (!first && pre > 0) { /* move the index dims to where the first array was */
            int perm[2 * MX_MAX_NDIM], k = 0;
            for (int d = 0; d < pre; d++)
                perm[k++] = nb + d;
            for (int d = 0; d < nb; d++)
                perm[k++] = d;
            for (int d = nb + pre; d < q; d++)
                perm[k++] = d;
            g = checked(mx_transpose(g, perm, q));
            if (g.id == 0)
                return MX_NULL_ARRAY;
        }
    }
    /* 3. insert the None dims: the result's dims in order */
    const int64_t *gshape = mx_shape(g);
    int gi = 0;
    bool placed = false;
    if (first) {
        for (int d = 0; d < nb; d++)
            out_shape[out_ndim++] = gshape[gi++];
        placed = true;
    }
    for (int i = 0; i < list.count; i++) {
        const index_entry *e = &list.e[i];
        if (e->kind == ENTRY_NONE) {
            out_shape[out_ndim++] = 1;
        } else if (e->kind == ENTRY_SLICE) {
            out_shape[out_ndim++] = gshape[gi++];
        } else if (!placed) {
            for (int d = 0; d < nb; d++)
                out_shape[out_ndim++] = gshape[gi++];
            placed = true;
        }
    }
    if (out_ndim == mx_ndim(g))
        return g;
    return checked(mx_reshape(g, out_shape, out_ndim));
}

mx_array cmlx_index_get(mx_array a, PyObject *index) {
    if (mx_array_status(a) != MX_OK) {
        cmlx_raise_array(a);
        return MX_NULL_ARRAY;
    }
    mx_scope scope = mx_scope_begin();
    mx_array out = get_scoped(a, index);
    if (out.id != 0)
        mx_scope_keep(scope, out);
    mx_scope_end(scope);
    return out;
}

PyObject *cmlx_array_getitem(PyObject *self, PyObject *index) {
    mx_array out = cmlx_index_get(CmlxArray_HANDLE(self), index);
    if (out.id == 0)
        return NULL;
    return cmlx_array_from_handle(out);
}

/* ---- writing ------------------------------------------------------------------------------------------ */

typedef enum {
    UPDATE_SET,
    UPDATE_ADD,
    UPDATE_SUBTRACT,
    UPDATE_MULTIPLY,
    UPDATE_DIVIDE,
    UPDATE_MAX,
    UPDATE_MIN
} update_kind;

typedef mx_array (*scatter_fn)(mx_array, const mx_array *, int, mx_array, const int *, int);
typedef mx_array (*slice_update_fn)(mx_array, mx_array, const int64_t *, const int64_t *, const int64_t *, int);

static scatter_fn scatter_for(update_kind k) {
    switch (k) {
    case UPDATE_SET: return mx_scatter;
    case UPDATE_ADD:
    case UPDATE_SUBTRACT: return mx_scatter_add;
    case UPDATE_MULTIPLY:
    case UPDATE_DIVIDE: return mx_scatter_prod;
    case UPDATE_MAX: return mx_scatter_max;
    default: return mx_scatter_min;
    }
}

static slice_update_fn slice_update_for(update_kind k) {
    switch (k) {
    case UPDATE_SET: return mx_slice_update_static;
    case UPDATE_ADD:
    case UPDATE_SUBTRACT: return mx_slice_update_add;
    case UPDATE_MULTIPLY:
    case UPDATE_DIVIDE: return mx_slice_update_prod;
    case UPDATE_MAX: return mx_slice_update_max;
    default: return mx_slice_update_min;
    }
}

/* The element-wise op of .at when no index selects (a.at[...], a.at[None]):
 * MLX applies it to the whole array, with type promotion. */
static mx_array binary_for(update_kind k, mx_array a, mx_array v) {
    switch (k) {
    case UPDATE_ADD: return mx_add(a, v);
    case UPDATE_SUBTRACT: return mx_subtract(a, v);
    case UPDATE_MULTIPLY: return mx_multiply(a, v);
    case UPDATE_DIVIDE: return mx_divide(a, v);
    case UPDATE_MAX: return mx_maximum(a, v);
    default: return mx_minimum(a, v);
    }
}

/* subtract adds -v, divide multiplies by 1 / v (MLX). */
static mx_array transformed_value(update_kind k, mx_array v) {
    if (k == UPDATE_SUBTRACT)
        return checked(mx_negative(v));
    if (k == UPDATE_DIVIDE) {
        mx_array one = mx_scalar_f32(1.0f);
        mx_dtype dt = mx_array_dtype(v);
        if (mx_dtype_is_float(dt) || dt == MX_COMPLEX64)
            one = mx_astype(one, dt);
        return checked(mx_divide(one, v));
    }
    return v;
}

/* v without its leading size-1 dims (MLX's scatter arguments). */
static mx_array strip_leading_ones(mx_array v, int keep_at_least) {
    int nd = mx_ndim(v), s = 0;
    const int64_t *shape = mx_shape(v);
    while (nd - s > keep_at_least && shape[s] == 1)
        s++;
    return s ? checked(mx_reshape(v, shape + s, nd - s)) : v;
}

static void format_shape(const int64_t *shape, int n, char *buf, size_t cap) {
    size_t len = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, i ? ",%lld" : "%lld", (long long)shape[i]);
    if (len < cap)
        snprintf(buf + len, cap - len, ")");
}

/* The basic-index (slice_update) update: MLX reshapes the value between the
 * result's shape R and the box (ints as size-1 dims, no Nones). A value with
 * at most R's dims is broadcast to R (NumPy). One with more dims follows
 * MLX: leading 1s go while it has more dims than a; then, from the last
 * entry back, each int inserts a 1 at its axis (counted from the end) when
 * the value reaches that far, and each None removes its dim (which must be
 * 1) when the value reaches it; what is left must broadcast to the box.
 * (Inferred from MLX 0.32's outcomes on ~3900 drawn index/value shapes,
 * all of which it reproduces.) */
static mx_array update_for_box(mx_array v, const index_list *list, const int64_t *shape, int ndim, const int64_t *box) {
    int64_t r[2 * MX_MAX_NDIM + 2];
    int rn = 0;
    for (int i = 0; i < list->count; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_NONE)
            r[rn++] = 1;
        else if (e->kind == ENTRY_SLICE)
            r[rn++] = e->count;
    }
    int vn = mx_ndim(v);
    if (vn <= rn) {
        mx_array b = checked(mx_broadcast_to(v, r, rn));
        return b.id ? checked(mx_reshape(b, box, ndim)) : b;
    }
    if (list->given_axes == 0) { /* only Nones: MLX broadcasts the value to a (leading 1s beyond a's rank go) */
        mx_array x = strip_leading_ones(v, ndim);
        return x.id ? checked(mx_broadcast_to(x, shape, ndim)) : x;
    }
    int64_t u[4 * MX_MAX_NDIM + 4];
    int un = vn, s = 0;
    const int64_t *vs = mx_shape(v);
    while (un - s > ndim && vs[s] == 1)
        s++;
    un -= s;
    copy_dims(u, vs ? vs + s : NULL, un);
    /* the entries named by the index, then the implicit trailing axes, from the back */
    int64_t epos = 0;
    for (int i = list->count - 1; i >= 0; i--) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_NONE) {
            int64_t p = epos - 1;
            if (-p <= un) {
                int64_t at = un + p;
                if (u[at] != 1) {
                    PyErr_Format(PyExc_ValueError,
                                 "[squeeze] Cannot squeeze axis %lld with size %lld which is not equal to 1.",
                                 (long long)p, (long long)u[at]);
                    return MX_NULL_ARRAY;
                }
                memmove(u + at, u + at + 1, sizeof(int64_t) * (size_t)(un - at - 1));
                un--;
                continue; /* the removed dim no longer counts from the end */
            }
        } else if (e->kind == ENTRY_INT && ndim - e->axis <= un) {
            int64_t at = un + 1 + (e->axis - ndim); /* expand_dims at axis - ndim */
            memmove(u + at + 1, u + at, sizeof(int64_t) * (size_t)(un - at));
            u[at] = 1;
            un++;
        }
        epos--;
    }
    bool ok = un <= ndim;
    for (int d = 0; ok && d < un; d++) {
        int64_t x = u[un - 1 - d], t = box[ndim - 1 - d];
        ok = x == t || x == 1;
    }
    if (!ok) {
        char su[256], sb[256];
        format_shape(u, un, su, sizeof su);
        format_shape(box, ndim, sb, sizeof sb);
        PyErr_Format(PyExc_ValueError, "Cannot broadcast array of shape %s into shape %s.", su, sb);
        return MX_NULL_ARRAY;
    }
    mx_array x = checked(mx_reshape(v, u, un));
    return x.id ? checked(mx_broadcast_to(x, box, ndim)) : x;
}

/* Updates with ints, slices, None (no arrays): one slice_update. */
static mx_array update_basic(mx_array a, const index_list *list, mx_array v, update_kind kind) {
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], step[MX_MAX_NDIM], box[MX_MAX_NDIM];
    for (int i = 0; i < list->count; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_NONE)
            continue;
        entry_bounds(e, shape[e->axis], &start[e->axis], &stop[e->axis], &step[e->axis]);
        box[e->axis] = e->kind == ENTRY_INT ? 1 : e->count;
    }
    mx_array u = update_for_box(v, list, shape, ndim, box);
    if (u.id == 0)
        return u;
    u = transformed_value(kind, u);
    if (u.id == 0)
        return u;
    return checked(slice_update_for(kind)(a, u, start, stop, step, ndim));
}

/* A uint32 arange of an entry's slice positions (MLX's dtype for the index
 * arrays it makes, which matters for how index dtypes promote), shaped as
 * `rank` dims with its count at `pos`. */
static mx_array positions(const index_entry *e, int rank, int pos) {
    int64_t shape[2 * MX_MAX_NDIM + 2];
    for (int d = 0; d < rank; d++)
        shape[d] = d == pos ? e->count : 1;
    mx_array r = mx_arange((double)e->start, (double)(e->start + e->step * e->count), (double)e->step, MX_UINT32);
    return checked(mx_reshape(r, shape, rank));
}

/* Updates with index arrays: one scatter (MLX's scatter arguments).
 * Entries up to the last array/int become index arrays in the index space
 * (the result's dims up to there, in NumPy order); after it, strided slices
 * become index arrays too (appended to the index space), and unit-step
 * slices are slab dims (an index array holds a non-zero start). */
static mx_array update_arrays(mx_array a, index_list *list, mx_array v, update_kind kind) {
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    int last = -1;
    for (int i = 0; i < list->count; i++) {
        index_entry *e = &list->e[i];
        if (e->kind == ENTRY_INT)
            e->array = mx_scalar((double)e->start, MX_UINT32);
        if (e->kind == ENTRY_INT || e->kind == ENTRY_ARRAY)
            last = i;
    }
    /* B: the index arrays broadcast */
    int64_t b[MX_MAX_NDIM];
    int nb = 0;
    for (int i = 0; i <= last; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind != ENTRY_INT && e->kind != ENTRY_ARRAY)
            continue;
        int xn = mx_ndim(e->array), nd = xn > nb ? xn : nb;
        const int64_t *xs = mx_shape(e->array);
        int64_t next[MX_MAX_NDIM];
        for (int d = 0; d < nd; d++) {
            int dx = d - (nd - xn), db = d - (nd - nb);
            int64_t p = dx >= 0 ? xs[dx] : 1, q = db >= 0 ? b[db] : 1;
            if (p != q && p != 1 && q != 1) {
                PyErr_SetString(PyExc_ValueError, "[broadcast_shapes] The index arrays cannot be broadcast together.");
                return MX_NULL_ARRAY;
            }
            next[d] = p == 1 ? q : p;
        }
        memcpy(b, next, sizeof(int64_t) * (size_t)nd);
        nb = nd;
    }
    bool first = gather_first(list);
    /* R, the result's shape: the index part (up to `last`) then the rest */
    int64_t r[4 * MX_MAX_NDIM + 4];
    int rn = 0, b_at = -1;
    int pos_of[2 * MX_MAX_NDIM + 2]; /* each slice/None entry up to last: its dim in R */
    if (first) {
        b_at = 0;
        memcpy(r, b, sizeof(int64_t) * (size_t)nb);
        rn = nb;
    }
    for (int i = 0; i <= last; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_INT || e->kind == ENTRY_ARRAY) {
            if (b_at < 0) {
                b_at = rn;
                memcpy(r + rn, b, sizeof(int64_t) * (size_t)nb);
                rn += nb;
            }
            continue;
        }
        pos_of[i] = rn;
        r[rn++] = e->kind == ENTRY_NONE ? 1 : e->count;
    }
    int index_rank = rn;
    /* the trailing entries: strided slices join the index space */
    int strided = 0;
    for (int i = last + 1; i < list->count; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_SLICE && e->step != 1 && e->count > 1)
            strided++;
    }
    int ispace = index_rank + strided;
    /* the value, broadcast to R (leading 1s first removed, as MLX) */
    int rn_full = rn;
    for (int i = last + 1; i < list->count; i++)
        r[rn_full++] = list->e[i].kind == ENTRY_NONE ? 1 : list->e[i].count;
    mx_array u = strip_leading_ones(v, 0);
    if (u.id == 0)
        return u;
    u = checked(mx_broadcast_to(u, r, rn_full));
    if (u.id == 0)
        return u;
    /* index arrays and axes */
    mx_array idx[MX_MAX_NDIM];
    int axes[MX_MAX_NDIM], n = 0, tail = index_rank;
    int64_t slab[MX_MAX_NDIM];
    for (int d = 0; d < ndim; d++)
        slab[d] = shape[d];
    for (int i = 0; i < list->count; i++) {
        index_entry *e = &list->e[i];
        if (e->kind == ENTRY_NONE)
            continue;
        mx_array x = MX_NULL_ARRAY;
        if (e->kind == ENTRY_INT || e->kind == ENTRY_ARRAY) {
            int64_t s[2 * MX_MAX_NDIM + 2];
            int xn = mx_ndim(e->array);
            for (int d = 0; d < ispace; d++)
                s[d] = 1;
            copy_dims(s + b_at + nb - xn, mx_shape(e->array), xn);
            x = checked(mx_reshape(e->array, s, ispace));
            slab[e->axis] = 1;
        } else if (i < last) {
            x = positions(e, ispace, pos_of[i]);
            slab[e->axis] = 1;
        } else if (e->step != 1 && e->count > 1) {
            x = positions(e, ispace, tail++);
            slab[e->axis] = 1;
        } else {
            slab[e->axis] = e->count;
            if (e->start == 0)
                continue;
            x = mx_scalar((double)e->start, MX_UINT32);
        }
        if (x.id == 0)
            return x;
        idx[n] = x;
        axes[n++] = e->axis;
    }
    /* the value in the updates' layout: index space (R's index part, then
     * the strided trailing dims), then the slab (a's rank) */
    int perm[4 * MX_MAX_NDIM + 4], k = 0, dim_of[2 * MX_MAX_NDIM + 2];
    for (int d = 0; d < index_rank; d++)
        perm[k++] = d;
    int rd = index_rank;
    for (int i = last + 1; i < list->count; i++)
        dim_of[i] = rd++;
    for (int i = last + 1; i < list->count; i++) {
        const index_entry *e = &list->e[i];
        if (e->kind == ENTRY_SLICE && e->step != 1 && e->count > 1)
            perm[k++] = dim_of[i];
    }
    for (int i = last + 1; i < list->count; i++) {
        const index_entry *e = &list->e[i];
        if (!(e->kind == ENTRY_SLICE && e->step != 1 && e->count > 1))
            perm[k++] = dim_of[i];
    }
    bool identity = true;
    for (int d = 0; d < k; d++)
        identity = identity && perm[d] == d;
    if (!identity) {
        u = checked(mx_transpose(u, perm, k));
        if (u.id == 0)
            return u;
    }
    int64_t ushape[3 * MX_MAX_NDIM + 3];
    const int64_t *cur = mx_shape(u);
    copy_dims(ushape, cur, ispace);
    copy_dims(ushape + ispace, slab, ndim);
    u = checked(mx_reshape(u, ushape, ispace + ndim));
    if (u.id == 0)
        return u;
    u = transformed_value(kind, u);
    if (u.id == 0)
        return u;
    return checked(scatter_for(kind)(a, idx, n, u, axes, n));
}

/* A boolean mask as an index of a[mask] = v: cmlx/NumPy bool arrays, lists
 * of bools and Python bools. Returns 1 and sets *mask, 0 when `index` is not
 * a mask, -1 with an exception. */
static int as_mask(PyObject *index, mx_array *mask) {
    if (PyBool_Check(index)) {
        *mask = mx_scalar_bool(index == Py_True);
        return 1;
    }
    if (CmlxArray_Check(index)) {
        if (mx_array_dtype(CmlxArray_HANDLE(index)) != MX_BOOL)
            return 0;
        *mask = mx_retain(CmlxArray_HANDLE(index));
        return 1;
    }
    bool buffer = PyObject_CheckBuffer(index) && !PyBytes_Check(index) && !PyByteArray_Check(index);
    if (!PyList_Check(index) && !buffer)
        return 0;
    mx_array x;
    if (!cmlx_to_array(index, &x))
        return -1;
    if (mx_array_dtype(x) == MX_BOOL) {
        *mask = x;
        return 1;
    }
    if (buffer) { /* MLX takes no NumPy index arrays other than masks */
        PyErr_SetString(PyExc_ValueError, BAD_TYPE);
        return -1;
    }
    return 0;
}

/* The value of an update as an array: Python scalars take a's dtype (MLX's
 * to_array); lists are not accepted (MLX: ValueError). */
static mx_array update_value(PyObject *value, mx_dtype dtype) {
    if (value == Py_None) {
        PyErr_SetString(PyExc_TypeError, "__setitem__(): incompatible function arguments (None is not a value)");
        return MX_NULL_ARRAY;
    }
    if (PyList_Check(value) || PyTuple_Check(value) || PyUnicode_Check(value)) {
        PyErr_Format(PyExc_ValueError, "Invalid type %s received in array initialization.", Py_TYPE(value)->tp_name);
        return MX_NULL_ARRAY;
    }
    mx_array v;
    if (cmlx_is_python_scalar(value) ? !cmlx_scalar_like(value, dtype, &v) : !cmlx_to_array(value, &v))
        return MX_NULL_ARRAY;
    return v;
}

static mx_array update_scoped(mx_array a, PyObject *index, PyObject *value, update_kind kind) {
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    mx_dtype dtype = mx_array_dtype(a);
    if (kind == UPDATE_SET) {
        mx_array mask;
        int m = as_mask(index, &mask);
        if (m < 0)
            return MX_NULL_ARRAY;
        if (m > 0) {
            mx_array v = update_value(value, dtype);
            return v.id ? checked(mx_masked_scatter(a, mask, v)) : v;
        }
    }
    bool is_tuple = PyTuple_Check(index);
    if (!is_tuple && index != Py_Ellipsis && index != Py_None) {
        index_entry e;
        int64_t iv;
        if (!classify(index, &e, false, &iv))
            return MX_NULL_ARRAY;
        if (ndim == 0) {
            PyErr_SetString(PyExc_ValueError, "too many indices for array: array is 0-dimensional");
            return MX_NULL_ARRAY;
        }
    }
    mx_array v = update_value(value, dtype);
    if (v.id == 0)
        return v;
    /* a[...], a[None] (and on a 0-d array, any tuple): the value broadcast to
     * a; .at applies its op to the whole array (with promotion) */
    bool whole = index == Py_Ellipsis || index == Py_None;
    if (ndim == 0 && is_tuple) {
        index_list probe;
        if (!parse_index(index, shape, ndim, &probe))
            return MX_NULL_ARRAY;
        whole = true;
    }
    if (whole) {
        mx_array u = index == Py_None ? v : strip_leading_ones(v, 0);
        if (u.id == 0)
            return u;
        u = checked(mx_broadcast_to(u, shape, ndim));
        if (u.id == 0)
            return u;
        /* MLX: the array becomes the update, in the update's dtype */
        return kind == UPDATE_SET ? u : checked(binary_for(kind, a, u));
    }
    index_list list;
    if (!parse_index(index, shape, ndim, &list))
        return MX_NULL_ARRAY;
    if (list.has_array)
        return update_arrays(a, &list, v, kind);
    if (!is_tuple) { /* a[i] = v, a[s] = v: MLX strips the value's leading 1s */
        v = strip_leading_ones(v, 0);
        if (v.id == 0)
            return v;
    }
    return update_basic(a, &list, v, kind);
}

static update_kind kind_of(cmlx_binary_fn op) {
    if (op == NULL)
        return UPDATE_SET;
    if (op == mx_add)
        return UPDATE_ADD;
    if (op == mx_subtract)
        return UPDATE_SUBTRACT;
    if (op == mx_multiply)
        return UPDATE_MULTIPLY;
    if (op == mx_divide)
        return UPDATE_DIVIDE;
    if (op == mx_maximum)
        return UPDATE_MAX;
    return UPDATE_MIN;
}

mx_array cmlx_index_update(mx_array a, PyObject *index, PyObject *value, cmlx_binary_fn op) {
    if (mx_array_status(a) != MX_OK) {
        cmlx_raise_array(a);
        return MX_NULL_ARRAY;
    }
    update_kind kind = kind_of(op);
    if (kind != UPDATE_SET) { /* MLX's .at takes no boolean masks */
        mx_array mask;
        int m = as_mask(index, &mask);
        if (m != 0) {
            if (m > 0) {
                mx_free(mask);
                PyErr_SetString(PyExc_ValueError, "boolean masks are not supported by .at");
            }
            return MX_NULL_ARRAY;
        }
    }
    mx_scope scope = mx_scope_begin();
    mx_array out = update_scoped(a, index, value, kind);
    if (out.id != 0)
        mx_scope_keep(scope, out);
    mx_scope_end(scope);
    return out;
}

/* ---- put_along_axis (ops_support.h) -------------------------------------------------------------------- */

mx_array cmlx_op_put_along_axis(mx_array a, mx_array indices, mx_array values, int axis) {
    if (axis != CMLX_AXIS_NONE)
        return mx_put_along_axis(a, indices, values, axis);
    /* axis=None: into the flattened array, reshaped back (MLX) */
    mx_scope scope = mx_scope_begin();
    mx_array out = mx_put_along_axis(mx_flatten(a, 0, -1), indices, values, 0);
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    if (shape != NULL && mx_array_status(out) == MX_OK)
        out = mx_reshape(out, shape, ndim);
    mx_scope_keep(scope, out);
    mx_scope_end(scope);
    return out;
}
