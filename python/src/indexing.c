/* python/src/indexing.c - a[index], a[index] = v and a.at[index].<op>(v).
 *
 * Reading: ints, slices, None and Ellipsis become one mx_slice and one
 * reshape; integer arrays (cmlx arrays, lists, NumPy arrays) then gather with
 * mx_take, following NumPy's rules as MLX does: with any array index, ints
 * count as array indices too; the broadcast index dimensions replace the
 * indexed axes where those are adjacent, else they go first.
 *
 * Writing has no scatter op in the library yet, so it is built from the read
 * path: indexing an array of flat positions tells which element of `a` each
 * selected element is; the host inverts that map and the update is a gather
 * of the values plus a where() over a mask. Repeated positions: set keeps the
 * last value (as MLX's scatter), the .at ops apply every occurrence in turn. */
#include <string.h>

#include "cmlx_py.h"

typedef enum { ENTRY_SLICE, ENTRY_INT, ENTRY_NEW_AXIS, ENTRY_ARRAY } entry_kind;

typedef struct {
    entry_kind kind;
    PyObject *slice; /* borrowed, ENTRY_SLICE (NULL: the whole axis) */
    int64_t value;   /* ENTRY_INT */
    mx_array array;  /* owned, ENTRY_ARRAY */
} index_entry;

typedef struct {
    index_entry entries[2 * MX_MAX_NDIM + 1];
    int count;
} index_list;

static void free_entries(index_list *list) {
    for (int i = 0; i < list->count; i++)
        if (list->entries[i].kind == ENTRY_ARRAY)
            mx_free(list->entries[i].array);
}

static int index_array(PyObject *item, mx_array *out) {
    if (!cmlx_to_array(item, out))
        return 0;
    mx_dtype dtype = mx_array_dtype(*out);
    if (dtype == MX_BOOL || !mx_dtype_is_integer(dtype)) {
        PyErr_SetString(PyExc_ValueError, dtype == MX_BOOL ? "boolean indices are not yet supported"
                                                           : "Indices must be integral (got a non-integer array).");
        mx_free(*out);
        return 0;
    }
    return 1;
}

/* Parses `index` against an array of `ndim` dimensions into one entry per
 * axis of the result's making (Ellipsis expanded, missing axes appended). */
static int parse_index(PyObject *index, int ndim, index_list *list) {
    PyObject *items = PyTuple_Check(index) ? Py_NewRef(index) : PyTuple_Pack(1, index);
    if (items == NULL)
        return 0;
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    int consumed = 0, ellipsis_at = -1;
    list->count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(items, i);
        if (list->count >= 2 * MX_MAX_NDIM) {
            PyErr_SetString(PyExc_ValueError, "Too many indices.");
            goto fail;
        }
        index_entry *e = &list->entries[list->count];
        memset(e, 0, sizeof *e);
        if (item == Py_None) {
            e->kind = ENTRY_NEW_AXIS;
        } else if (item == Py_Ellipsis) {
            if (ellipsis_at >= 0) {
                PyErr_SetString(PyExc_ValueError, "An index can only have a single ellipsis (...)");
                goto fail;
            }
            ellipsis_at = list->count;
            continue;
        } else if (PySlice_Check(item)) {
            e->kind = ENTRY_SLICE;
            e->slice = item;
            consumed++;
        } else if (PyLong_Check(item) && !PyBool_Check(item)) {
            e->kind = ENTRY_INT;
            long long v = PyLong_AsLongLong(item);
            if (v == -1 && PyErr_Occurred())
                goto fail;
            e->value = v;
            consumed++;
        } else if (CmlxArray_Check(item) || PyList_Check(item) ||
                   (PyObject_CheckBuffer(item) && !PyBytes_Check(item) && !PyByteArray_Check(item))) {
            if (!index_array(item, &e->array))
                goto fail;
            e->kind = ENTRY_ARRAY;
            consumed++;
        } else if (!PyBool_Check(item) && !PyFloat_Check(item) && PyIndex_Check(item)) {
            Py_ssize_t v = PyNumber_AsSsize_t(item, PyExc_IndexError);
            if (v == -1 && PyErr_Occurred())
                goto fail;
            e->kind = ENTRY_INT;
            e->value = v;
            consumed++;
        } else {
            PyErr_SetString(PyExc_ValueError, "Cannot index mlx array using the given type.");
            goto fail;
        }
        list->count++;
    }
    if (consumed > ndim) {
        if (ndim == 0)
            PyErr_SetString(PyExc_ValueError, "too many indices for array: array is 0-dimensional");
        else
            PyErr_Format(PyExc_ValueError, "Too many indices for array with %d dimensions.", ndim);
        goto fail;
    }
    /* the axes not named: at the Ellipsis, or at the end */
    int missing = ndim - consumed, insert_at = ellipsis_at >= 0 ? ellipsis_at : list->count;
    memmove(&list->entries[insert_at + missing], &list->entries[insert_at],
            (size_t)(list->count - insert_at) * sizeof(index_entry));
    for (int i = 0; i < missing; i++) {
        memset(&list->entries[insert_at + i], 0, sizeof(index_entry));
        list->entries[insert_at + i].kind = ENTRY_SLICE;
    }
    list->count += missing;
    Py_DECREF(items);
    return 1;
fail:
    free_entries(list);
    list->count = 0;
    Py_DECREF(items);
    return 0;
}

static void replace(mx_array *current, mx_array next) {
    mx_free(*current);
    *current = next;
}

/* Gathers with the array entries of `list` from `a`, whose axes match the
 * non-int entries of `list` one to one (ints are arrays here). */
static mx_array gather_arrays(mx_array a, index_list *list) {
    int positions[2 * MX_MAX_NDIM + 1], k = 0;
    for (int i = 0; i < list->count; i++)
        if (list->entries[i].kind == ENTRY_ARRAY)
            positions[k++] = i; /* with arrays present every entry is one axis */
    if (k == 1)
        return mx_take(a, list->entries[positions[0]].array, positions[0]);
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    if (shape == NULL)
        return mx_retain(a);
    int perm[MX_MAX_NDIM], np = 0;
    int64_t merged_shape[MX_MAX_NDIM];
    int64_t merged = 1;
    for (int j = 0; j < k; j++) {
        perm[np++] = positions[j];
        merged *= shape[positions[j]];
    }
    merged_shape[0] = merged;
    int rest = 1;
    for (int d = 0; d < ndim; d++) {
        int is_indexed = 0;
        for (int j = 0; j < k; j++)
            is_indexed |= positions[j] == d;
        if (!is_indexed) {
            perm[np++] = d;
            merged_shape[rest++] = shape[d];
        }
    }
    mx_array work = mx_transpose(a, perm, ndim);
    replace(&work, mx_reshape(work, merged_shape, rest));
    /* flat index into the merged axis: sum of wrapped index * stride */
    mx_array flat = MX_NULL_ARRAY;
    int64_t stride = 1;
    for (int j = k - 1; j >= 0; j--) {
        int64_t dim = shape[positions[j]];
        mx_array idx = mx_astype(list->entries[positions[j]].array, MX_INT64);
        mx_array dim_scalar = mx_scalar_i64(dim > 0 ? dim : 1);
        replace(&idx, mx_remainder(idx, dim_scalar));
        mx_free(dim_scalar);
        mx_array stride_scalar = mx_scalar_i64(stride);
        replace(&idx, mx_multiply(idx, stride_scalar));
        mx_free(stride_scalar);
        if (flat.id == 0) {
            flat = idx;
        } else {
            replace(&flat, mx_add(flat, idx));
            mx_free(idx);
        }
        stride *= dim;
    }
    mx_array out = mx_take(work, flat, 0);
    mx_free(work);
    mx_free(flat);
    int adjacent = positions[k - 1] - positions[0] == k - 1;
    int out_ndim = mx_ndim(out);
    if (adjacent && positions[0] > 0 && out_ndim > 0) {
        /* move the index dimensions back to where the indexed axes were */
        int index_ndim = out_ndim - (rest - 1), q = 0;
        int back[MX_MAX_NDIM];
        for (int d = 0; d < positions[0]; d++)
            back[q++] = index_ndim + d;
        for (int d = 0; d < index_ndim; d++)
            back[q++] = d;
        for (int d = index_ndim + positions[0]; d < out_ndim; d++)
            back[q++] = d;
        replace(&out, mx_transpose(out, back, out_ndim));
    }
    return out;
}

mx_array cmlx_index_get(mx_array a, PyObject *index) {
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    if (ndim < 0 || shape == NULL) {
        cmlx_raise_array(a);
        return MX_NULL_ARRAY;
    }
    index_list list;
    if (!parse_index(index, ndim, &list))
        return MX_NULL_ARRAY;
    int has_arrays = 0;
    for (int i = 0; i < list.count; i++)
        has_arrays |= list.entries[i].kind == ENTRY_ARRAY;

    /* 1. ints and slices as one slice; every axis of `a` stays */
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], step[MX_MAX_NDIM];
    int64_t reshaped[2 * MX_MAX_NDIM + 1];
    int axis = 0, out_ndim = 0, needs_slice = 0, needs_reshape = 0;
    for (int i = 0; i < list.count; i++) {
        index_entry *e = &list.entries[i];
        if (e->kind == ENTRY_NEW_AXIS) {
            reshaped[out_ndim++] = 1;
            needs_reshape = 1;
            continue;
        }
        int64_t dim = shape[axis];
        start[axis] = 0, stop[axis] = dim, step[axis] = 1;
        int64_t length = dim;
        if (e->kind == ENTRY_INT) {
            if (e->value < -dim || e->value >= dim) {
                PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld",
                             (long long)e->value, axis, (long long)dim);
                free_entries(&list);
                return MX_NULL_ARRAY;
            }
            int64_t v = e->value < 0 ? e->value + dim : e->value;
            if (has_arrays) { /* an int among arrays is a 0-d array index */
                e->kind = ENTRY_ARRAY;
                e->array = mx_scalar_i64(v);
            } else {
                start[axis] = v, stop[axis] = v + 1;
                needs_slice = needs_slice || dim != 1;
                needs_reshape = 1;
                axis++;
                continue;
            }
        } else if (e->kind == ENTRY_SLICE && e->slice != NULL) {
            Py_ssize_t s0, s1, st;
            if (PySlice_Unpack(e->slice, &s0, &s1, &st) < 0) {
                free_entries(&list);
                return MX_NULL_ARRAY;
            }
            length = PySlice_AdjustIndices((Py_ssize_t)dim, &s0, &s1, st);
            if (length == 0) {
                s0 = 0, st = 1;
            }
            int64_t end = (int64_t)s0 + (int64_t)st * length;
            start[axis] = s0;
            stop[axis] = end < 0 ? end - dim : end; /* keep "before index 0" from reading as from the end */
            step[axis] = st;
            needs_slice = needs_slice || length != dim || st != 1;
        }
        reshaped[out_ndim++] = length;
        axis++;
    }
    mx_array out = needs_slice ? mx_slice(a, start, stop, step, ndim) : mx_retain(a);
    /* 2. drop the int axes, add the new ones */
    if (needs_reshape)
        replace(&out, mx_reshape(out, reshaped, out_ndim));
    /* 3. gather with the array indices */
    if (has_arrays)
        replace(&out, gather_arrays(out, &list));
    free_entries(&list);
    if (mx_array_status(out) != MX_OK) {
        cmlx_raise_array(out);
        mx_free(out);
        return MX_NULL_ARRAY;
    }
    return out;
}

PyObject *cmlx_array_getitem(PyObject *self, PyObject *index) {
    mx_array out = cmlx_index_get(CmlxArray_HANDLE(self), index);
    if (out.id == 0)
        return NULL;
    return cmlx_array_from_handle(out);
}

/* ---- updates ----------------------------------------------------------------------- */
/* The value as an array of `a`'s dtype, broadcast to `shape` (the selection)
 * and reshaped to `target` (same size). */
static mx_array value_for_update(PyObject *value, mx_dtype dtype, const int64_t *shape, int ndim, const int64_t *target,
                                 int target_ndim) {
    mx_array v;
    if (cmlx_is_python_scalar(value) ? !cmlx_scalar_like(value, dtype, &v) : !cmlx_to_array(value, &v))
        return MX_NULL_ARRAY;
    if (mx_array_dtype(v) != dtype)
        replace(&v, mx_astype(v, dtype));
    /* leading size-1 dimensions beyond the selection's rank are dropped, as NumPy does */
    int vdim = mx_ndim(v);
    const int64_t *vshape = mx_shape(v);
    int drop = 0;
    while (vshape != NULL && vdim - drop > ndim && vshape[drop] == 1)
        drop++;
    if (drop > 0)
        replace(&v, mx_reshape(v, vshape + drop, vdim - drop));
    replace(&v, mx_broadcast_to(v, shape, ndim));
    replace(&v, mx_reshape(v, target, target_ndim));
    if (mx_array_status(v) != MX_OK) {
        cmlx_raise_array(v);
        mx_free(v);
        return MX_NULL_ARRAY;
    }
    return v;
}

/* Which flat positions of `a` the index selects, in selection order. */
static mx_array selected_positions(mx_array a, PyObject *index) {
    int64_t size = mx_size(a);
    mx_array positions = mx_arange(0, (double)size, 1, MX_INT64);
    replace(&positions, mx_reshape(positions, mx_shape(a), mx_ndim(a)));
    mx_array selected = cmlx_index_get(positions, index);
    mx_free(positions);
    return selected;
}

/* The box [first, first + count) of every axis from `axis` on, all with step 1:
 * `a` rebuilt by concatenating the parts before and after the box with the
 * updated middle (copies, no gathers). `values` has the box's shape. */
static mx_array box_update(mx_array a, mx_array values, const int64_t *first, const int64_t *count, int axis,
                           cmlx_binary_fn op, mx_dtype dtype) {
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    while (axis < ndim && first[axis] == 0 && count[axis] == shape[axis])
        axis++;
    if (axis == ndim) {
        if (op == NULL)
            return mx_retain(values);
        mx_array out = op(a, values);
        if (mx_array_dtype(out) != dtype)
            replace(&out, mx_astype(out, dtype));
        return out;
    }
    int64_t start[MX_MAX_NDIM], stop[MX_MAX_NDIM], dim = shape[axis];
    for (int d = 0; d < ndim; d++)
        start[d] = 0, stop[d] = shape[d];
    int64_t bounds[4] = {0, first[axis], first[axis] + count[axis], dim};
    mx_array parts[3];
    int n = 0;
    for (int p = 0; p < 3; p++) {
        if (bounds[p + 1] == bounds[p])
            continue;
        start[axis] = bounds[p], stop[axis] = bounds[p + 1];
        mx_array part = mx_slice(a, start, stop, NULL, ndim);
        if (p == 1)
            replace(&part, box_update(part, values, first, count, axis + 1, op, dtype));
        parts[n++] = part;
    }
    mx_array out = n == 1 ? mx_retain(parts[0]) : mx_concatenate(parts, n, axis);
    mx_free_n(parts, n);
    return out;
}

/* Indices of ints, slices, None and Ellipsis only select a box: per axis a
 * set of positions. The update then needs no host work proportional to the
 * array: per axis, a mask and the position within the selection (a take),
 * and one where() over the broadcast masks. Sets *handled to 0 when the index
 * holds arrays (the general path follows). */
static mx_array basic_update(mx_array a, PyObject *index, PyObject *value, cmlx_binary_fn op, int *handled) {
    *handled = 0;
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    index_list list;
    if (!parse_index(index, ndim, &list))
        return MX_NULL_ARRAY;
    for (int i = 0; i < list.count; i++) {
        if (list.entries[i].kind == ENTRY_ARRAY) {
            free_entries(&list);
            return MX_NULL_ARRAY; /* no exception: the caller takes the general path */
        }
    }
    *handled = 1;
    /* per axis: first position, step and count of the selection */
    int64_t first[MX_MAX_NDIM], step[MX_MAX_NDIM], count[MX_MAX_NDIM];
    int64_t selection[2 * MX_MAX_NDIM + 1];
    int axis = 0, selection_ndim = 0;
    for (int i = 0; i < list.count; i++) {
        index_entry *e = &list.entries[i];
        if (e->kind == ENTRY_NEW_AXIS) {
            selection[selection_ndim++] = 1;
            continue;
        }
        int64_t dim = shape[axis];
        first[axis] = 0, step[axis] = 1, count[axis] = dim;
        if (e->kind == ENTRY_INT) {
            if (e->value < -dim || e->value >= dim) {
                PyErr_Format(PyExc_IndexError, "index %lld is out of bounds for axis %d with size %lld",
                             (long long)e->value, axis, (long long)dim);
                return MX_NULL_ARRAY;
            }
            first[axis] = e->value < 0 ? e->value + dim : e->value;
            count[axis] = 1;
        } else if (e->slice != NULL) {
            Py_ssize_t s0, s1, st;
            if (PySlice_Unpack(e->slice, &s0, &s1, &st) < 0)
                return MX_NULL_ARRAY;
            count[axis] = PySlice_AdjustIndices((Py_ssize_t)dim, &s0, &s1, st);
            first[axis] = s0, step[axis] = st;
            selection[selection_ndim++] = count[axis];
        } else {
            selection[selection_ndim++] = dim;
        }
        axis++;
    }
    mx_dtype dtype = mx_array_dtype(a);
    mx_array values = value_for_update(value, dtype, selection, selection_ndim, count, ndim);
    if (values.id == 0)
        return MX_NULL_ARRAY;
    for (int d = 0; d < ndim; d++) {
        if (count[d] == 0) { /* nothing selected */
            mx_free(values);
            return mx_retain(a);
        }
    }
    int unit_steps = 1;
    for (int d = 0; d < ndim; d++)
        unit_steps = unit_steps && (step[d] == 1 || count[d] == 1);
    if (unit_steps) {
        mx_array out = box_update(a, values, first, count, 0, op, dtype);
        mx_free(values);
        if (mx_array_status(out) != MX_OK) {
            cmlx_raise_array(out);
            mx_free(out);
            return MX_NULL_ARRAY;
        }
        return out;
    }
    /* other steps: per-axis takes and masks */
    int64_t size = 0;
    for (int d = 0; d < ndim; d++)
        size = shape[d] > size ? shape[d] : size;
    int32_t *source = PyMem_Malloc((size_t)(size > 0 ? size : 1) * sizeof(int32_t));
    bool *mask = PyMem_Malloc((size_t)(size > 0 ? size : 1));
    if (source == NULL || mask == NULL) {
        PyMem_Free(source), PyMem_Free(mask), mx_free(values);
        PyErr_NoMemory();
        return MX_NULL_ARRAY;
    }
    mx_array full_mask = MX_NULL_ARRAY;
    for (int d = 0; d < ndim; d++) {
        int64_t dim = shape[d];
        if (first[d] == 0 && step[d] == 1 && count[d] == dim)
            continue; /* the whole axis, in order */
        for (int64_t i = 0; i < dim; i++)
            source[i] = 0, mask[i] = false;
        for (int64_t j = 0; j < count[d]; j++) {
            int64_t p = first[d] + j * step[d];
            source[p] = (int32_t)j, mask[p] = true;
        }
        mx_array source_arr = mx_array_from_data(source, &dim, 1, MX_INT32);
        replace(&values, mx_take(values, source_arr, d));
        mx_free(source_arr);
        int64_t mask_shape[MX_MAX_NDIM];
        for (int k = 0; k < ndim; k++)
            mask_shape[k] = k == d ? dim : 1;
        mx_array axis_mask = mx_array_from_data(mask, mask_shape, ndim, MX_BOOL);
        if (full_mask.id == 0) {
            full_mask = axis_mask;
        } else {
            replace(&full_mask, mx_logical_and(full_mask, axis_mask));
            mx_free(axis_mask);
        }
    }
    PyMem_Free(source), PyMem_Free(mask);
    mx_array out = op != NULL ? op(a, values) : mx_retain(values);
    mx_free(values);
    if (op != NULL && mx_array_dtype(out) != dtype)
        replace(&out, mx_astype(out, dtype));
    if (full_mask.id != 0) { /* else the whole array was selected: out is the update */
        replace(&out, mx_where(full_mask, out, a));
        mx_free(full_mask);
    }
    if (mx_array_status(out) != MX_OK) {
        cmlx_raise_array(out);
        mx_free(out);
        return MX_NULL_ARRAY;
    }
    return out;
}

mx_array cmlx_index_update(mx_array a, PyObject *index, PyObject *value, cmlx_binary_fn op) {
    if (mx_array_status(a) != MX_OK) {
        cmlx_raise_array(a);
        return MX_NULL_ARRAY;
    }
    int handled;
    mx_array basic = basic_update(a, index, value, op, &handled);
    if (handled || PyErr_Occurred())
        return basic;
    mx_array selected = selected_positions(a, index);
    if (selected.id == 0)
        return MX_NULL_ARRAY;
    mx_dtype dtype = mx_array_dtype(a);
    int64_t total = mx_size(selected);
    mx_array values = value_for_update(value, dtype, mx_shape(selected), mx_ndim(selected), &total, 1);
    mx_status st = values.id ? cmlx_eval_nogil(&selected, 1) : MX_OK;
    const int64_t *pos = st == MX_OK && values.id ? mx_data_i64(selected) : NULL;
    if (pos == NULL) {
        if (values.id)
            cmlx_raise(st);
        mx_free(selected);
        mx_free(values);
        return MX_NULL_ARRAY;
    }
    int64_t count = mx_size(selected), size = mx_size(a);
    int64_t *source = PyMem_Malloc((size_t)(size > 0 ? size : 1) * sizeof(int64_t));
    int64_t *seen = PyMem_Calloc((size_t)(size > 0 ? size : 1), sizeof(int64_t));
    bool *mask = PyMem_Malloc((size_t)(size > 0 ? size : 1));
    if (source == NULL || seen == NULL || mask == NULL) {
        PyMem_Free(source), PyMem_Free(seen), PyMem_Free(mask);
        mx_free(selected), mx_free(values);
        PyErr_NoMemory();
        return MX_NULL_ARRAY;
    }
    int64_t rounds = 0;
    for (int64_t j = 0; j < count; j++)
        if (++seen[pos[j]] > rounds)
            rounds = seen[pos[j]];
    if (op == NULL && rounds > 1)
        rounds = 1;
    mx_array out = mx_retain(a);
    const int64_t *shape = mx_shape(a);
    int ndim = mx_ndim(a);
    for (int64_t r = 0; r < rounds; r++) {
        /* round r takes the r-th occurrence of every position (set: the last) */
        for (int64_t i = 0; i < size; i++)
            source[i] = 0, mask[i] = false, seen[i] = 0;
        for (int64_t j = 0; j < count; j++) {
            int64_t p = pos[j];
            if (op == NULL || seen[p]++ == r)
                source[p] = j, mask[p] = true;
        }
        mx_array source_arr = mx_array_from_data(source, shape, ndim, MX_INT64);
        mx_array mask_arr = mx_array_from_data(mask, shape, ndim, MX_BOOL);
        mx_array update = mx_take_flat(values, source_arr);
        if (op != NULL) {
            replace(&update, op(out, update));
            if (mx_array_dtype(update) != dtype)
                replace(&update, mx_astype(update, dtype));
        }
        replace(&out, mx_where(mask_arr, update, out));
        mx_free(source_arr), mx_free(mask_arr), mx_free(update);
    }
    PyMem_Free(source), PyMem_Free(seen), PyMem_Free(mask);
    mx_free(selected), mx_free(values);
    if (mx_array_status(out) != MX_OK) {
        cmlx_raise_array(out);
        mx_free(out);
        return MX_NULL_ARRAY;
    }
    return out;
}
