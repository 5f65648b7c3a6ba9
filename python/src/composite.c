/* python/src/composite.c - the Python glue of include/cmlx/composite.h that the
 * generator cannot express (strings, optional shapes, tuple results):
 * broadcast_shapes, einsum, einsum_path, as_strided, minmax. The rest of
 * composite.h reaches Python through python/gen/ops_spec.py directly. */
#include "ops_support.h"

/* A tuple of `n` arrays (takes every handle, also on failure). */
static PyObject *array_tuple(mx_array *items, int n) {
    PyObject *tuple = PyTuple_New(n);
    for (int i = 0; i < n; i++) {
        PyObject *item = tuple ? cmlx_array_from_handle(items[i]) : NULL;
        if (item == NULL) {
            if (tuple == NULL) {
                mx_free(items[i]);
                continue;
            }
            mx_free_n(items + i + 1, n - i - 1);
            Py_CLEAR(tuple);
            break;
        }
        PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
}

PyObject *cmlx_op_broadcast_shapes(PyObject *shapes) {
    Py_ssize_t n = PyTuple_GET_SIZE(shapes);
    if (n == 0) {
        return PyErr_Format(PyExc_ValueError, "[broadcast_shapes] Must provide at least one shape.");
    }
    cmlx_shape *parsed = PyMem_Calloc((size_t)n, sizeof *parsed);
    const int64_t **dims = PyMem_Calloc((size_t)n, sizeof *dims);
    int *ndims = PyMem_Calloc((size_t)n, sizeof *ndims);
    PyObject *result = NULL;
    if (parsed == NULL || dims == NULL || ndims == NULL || n > INT_MAX) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(shapes, i);
        if (PyIndex_Check(item) || !PySequence_Check(item)) { /* MLX accepts sequences of ints only */
            PyErr_Format(PyExc_TypeError, "broadcast_shapes(): each shape must be a sequence of ints, not %s",
                         Py_TYPE(item)->tp_name);
            goto done;
        }
        if (!cmlx_parse_shape(item, "broadcast_shapes", "shapes", &parsed[i])) {
            goto done;
        }
        dims[i] = parsed[i].v;
        ndims[i] = parsed[i].n;
    }
    int64_t out[MX_MAX_NDIM];
    int out_ndim = 0;
    mx_status st = mx_broadcast_shape(dims, ndims, (int)n, out, &out_ndim);
    if (st != MX_OK) {
        cmlx_raise(st);
        goto done;
    }
    result = PyTuple_New(out_ndim);
    for (int i = 0; result != NULL && i < out_ndim; i++) {
        PyObject *d = PyLong_FromLongLong((long long)out[i]);
        if (d == NULL) {
            Py_CLEAR(result);
            break;
        }
        PyTuple_SET_ITEM(result, i, d);
    }
done:
    PyMem_Free(parsed);
    PyMem_Free(dims);
    PyMem_Free(ndims);
    return result;
}

static const char *subscripts_text(PyObject *subscripts, const char *fname) {
    const char *text = PyUnicode_Check(subscripts) ? PyUnicode_AsUTF8(subscripts) : NULL;
    if (text == NULL && !PyErr_Occurred()) {
        PyErr_Format(PyExc_TypeError, "%s(): argument 'subscripts' must be str, not %s", fname,
                     Py_TYPE(subscripts)->tp_name);
    }
    return text;
}

mx_array cmlx_op_einsum(PyObject *subscripts, const mx_array *operands, int n) {
    const char *text = subscripts_text(subscripts, "einsum");
    return text ? mx_einsum(text, operands, n) : MX_NULL_ARRAY;
}

/* ([(positions of step 1), ...], report), as MLX. */
PyObject *cmlx_op_einsum_path(PyObject *subscripts, const mx_array *operands, int n) {
    const char *text = subscripts_text(subscripts, "einsum_path");
    if (text == NULL) {
        return NULL;
    }
    mx_einsum_path_info info;
    mx_status st = mx_einsum_path(text, operands, n, &info);
    if (st != MX_OK) {
        return cmlx_raise(st);
    }
    PyObject *path = PyList_New(info.n_steps);
    for (int i = 0, k = 0; path != NULL && i < info.n_steps; i++) {
        PyObject *step = PyTuple_New(info.step_sizes[i]);
        for (int j = 0; step != NULL && j < info.step_sizes[i]; j++, k++) {
            PyObject *p = PyLong_FromLong(info.positions[k]);
            if (p == NULL) {
                Py_CLEAR(step);
                break;
            }
            PyTuple_SET_ITEM(step, j, p);
        }
        if (step == NULL) {
            Py_CLEAR(path);
            break;
        }
        PyList_SET_ITEM(path, i, step);
    }
    PyObject *result = path ? Py_BuildValue("(Ns)", path, info.text) : NULL;
    mx_einsum_path_free(&info);
    return result;
}

/* shape None: a's shape; strides None: row-major strides of the shape. */
mx_array cmlx_op_as_strided(mx_array a, PyObject *shape, PyObject *strides, int64_t offset) {
    cmlx_shape s, t;
    int ndim = mx_ndim(a);
    if (ndim < 0) {
        return mx_copy(a); /* the error of `a` */
    }
    if (shape == Py_None) {
        s.n = ndim;
        memcpy(s.v, mx_shape(a), sizeof(int64_t) * (size_t)ndim);
    } else if (!cmlx_parse_shape(shape, "as_strided", "shape", &s)) {
        return MX_NULL_ARRAY;
    }
    if (strides == Py_None) {
        t.n = s.n;
        int64_t step = 1;
        for (int i = s.n - 1; i >= 0; i--) {
            t.v[i] = step;
            step *= s.v[i];
        }
    } else if (!cmlx_parse_shape(strides, "as_strided", "strides", &t)) {
        return MX_NULL_ARRAY;
    }
    return mx_as_strided(a, s.v, s.n, t.v, t.n, offset);
}

PyObject *cmlx_op_minmax(mx_array a, const int *axes, int naxes, bool keepdims) {
    mx_array out[2];
    mx_status st = axes == NULL ? mx_minmax(a, keepdims, out) : mx_minmax_axes(a, axes, naxes, keepdims, out);
    return st == MX_OK ? array_tuple(out, 2) : cmlx_raise(st);
}

/* The dtype of an array or a Dtype object; 0 (no exception) for anything else. */
static int dtype_of(PyObject *obj, mx_dtype *out) {
    if (CmlxArray_Check(obj)) {
        *out = mx_array_dtype(CmlxArray_HANDLE(obj));
        return 1;
    }
    if (PyObject_TypeCheck(obj, &CmlxDtype_Type)) {
        *out = ((CmlxDtypeObject *)obj)->dtype;
        return 1;
    }
    return 0;
}

PyObject *cmlx_op_result_type(PyObject *arrays_and_dtypes) {
    Py_ssize_t n = PyTuple_GET_SIZE(arrays_and_dtypes);
    if (n == 0) {
        return PyErr_Format(PyExc_ValueError, "[result_type] At least one array or dtype is required.");
    }
    mx_dtype result = MX_BOOL;
    for (Py_ssize_t i = 0; i < n; i++) {
        mx_dtype d;
        if (!dtype_of(PyTuple_GET_ITEM(arrays_and_dtypes, i), &d)) {
            return PyErr_Format(PyExc_ValueError, "[result_type] Inputs must be arrays or dtypes.");
        }
        result = i == 0 ? d : mx_promote_types(result, d);
    }
    return cmlx_dtype_object(result);
}

/* from_ can be cast to `to` when promoting the two gives `to`. */
PyObject *cmlx_op_can_cast(PyObject *from_, PyObject *to) {
    mx_dtype from_dtype, to_dtype;
    if (!PyObject_TypeCheck(to, &CmlxDtype_Type)) {
        return PyErr_Format(PyExc_TypeError, "can_cast(): argument 'to' must be a Dtype, not %s", Py_TYPE(to)->tp_name);
    }
    if (!dtype_of(from_, &from_dtype)) {
        return PyErr_Format(PyExc_ValueError, "[can_cast] `from_` must be an array or a dtype.");
    }
    to_dtype = ((CmlxDtypeObject *)to)->dtype;
    return PyBool_FromLong(mx_promote_types(from_dtype, to_dtype) == to_dtype);
}

/* An array or a sequence of arrays into `list` (is_list says which). */
static int array_or_list(PyObject *obj, const char *param, cmlx_arrays *list, int *is_list) {
    *is_list = PyList_Check(obj) || PyTuple_Check(obj);
    if (*is_list) {
        return cmlx_parse_arrays(obj, "depends", param, list);
    }
    list->v = PyMem_Calloc(1, sizeof(mx_array));
    list->n = 0;
    if (list->v == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    if (!cmlx_to_array(obj, &list->v[0])) {
        return 0;
    }
    list->n = 1;
    return 1;
}

PyObject *cmlx_op_depends(PyObject *inputs, PyObject *dependencies) {
    cmlx_arrays ins = {NULL, 0}, deps = {NULL, 0};
    int ins_list = 0, deps_list = 0;
    PyObject *result = NULL;
    if (array_or_list(inputs, "inputs", &ins, &ins_list) &&
        array_or_list(dependencies, "dependencies", &deps, &deps_list)) {
        mx_array *out = PyMem_Calloc(ins.n > 0 ? (size_t)ins.n : 1, sizeof(mx_array));
        if (out == NULL) {
            PyErr_NoMemory();
        } else {
            mx_status st = mx_depends(ins.v, ins.n, deps.v, deps.n, out);
            if (st != MX_OK) {
                cmlx_raise(st);
            } else if (!ins_list) {
                result = cmlx_array_from_handle(out[0]);
            } else {
                result = PyList_New(ins.n);
                for (int i = 0; i < ins.n; i++) {
                    PyObject *item = result ? cmlx_array_from_handle(out[i]) : NULL;
                    if (item == NULL) {
                        if (result == NULL) {
                            mx_free(out[i]);
                            continue;
                        }
                        mx_free_n(out + i + 1, ins.n - i - 1);
                        Py_CLEAR(result);
                        break;
                    }
                    PyList_SET_ITEM(result, i, item);
                }
            }
            PyMem_Free(out);
        }
    }
    cmlx_arrays_free(&ins);
    cmlx_arrays_free(&deps);
    return result;
}

/* x: an int (a permutation of arange(x)) or an array (permuted along axis). */
mx_array cmlx_op_random_permutation(PyObject *x, int axis, mx_array key) {
    if (PyLong_Check(x)) {
        int64_t n;
        return cmlx_parse_int64(x, "permutation", "x", &n) ? mx_random_permutation_n(n, key) : MX_NULL_ARRAY;
    }
    if (!CmlxArray_Check(x)) {
        PyErr_Format(PyExc_TypeError, "permutation(): argument 'x' must be an int or an array, not %s",
                     Py_TYPE(x)->tp_name);
        return MX_NULL_ARRAY;
    }
    return mx_random_permutation(CmlxArray_HANDLE(x), axis, key);
}
