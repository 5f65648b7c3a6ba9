/* python/src/array.c - the cmlx.core.array type: construction, properties,
 * conversions to Python values, operators with MLX's scalar rules, and the
 * methods (reductions and friends forward to the module's op functions).
 * Indexing lives in indexing.c, the repr format in format.c, NumPy/DLPack
 * export in export.c. */
#include <string.h>

#include "cmlx_py.h"
#include "devices.h"

PyObject *cmlx_array_from_handle(mx_array a) {
    if (mx_array_status(a) != MX_OK) {
        cmlx_raise_array(a);
        mx_free(a);
        return NULL;
    }
    CmlxArrayObject *self = PyObject_New(CmlxArrayObject, &CmlxArray_Type);
    if (self == NULL) {
        mx_free(a);
        return NULL;
    }
    self->array = a;
    return (PyObject *)self;
}

/* ---- construction and lifetime ------------------------------------------------------ */
static PyObject *array_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"val", "dtype", NULL};
    PyObject *val, *dtype_obj = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:array", keywords, &val, &dtype_obj))
        return NULL;
    mx_dtype dtype = MX_DTYPE_COUNT;
    if (!cmlx_to_dtype(dtype_obj, &dtype))
        return NULL;
    mx_array a;
    if (!cmlx_to_array_dtype(val, dtype == MX_DTYPE_COUNT ? NULL : &dtype, &a))
        return NULL;
    CmlxArrayObject *self = (CmlxArrayObject *)type->tp_alloc(type, 0);
    if (self == NULL) {
        mx_free(a);
        return NULL;
    }
    self->array = a;
    return (PyObject *)self;
}

static void array_dealloc(PyObject *self) {
    mx_free(CmlxArray_HANDLE(self));
    Py_TYPE(self)->tp_free(self);
}

/* Replaces the array behind `self` (in-place operators, item assignment). */
static void array_rebind(PyObject *self, mx_array a) {
    mx_array old = CmlxArray_HANDLE(self);
    ((CmlxArrayObject *)self)->array = a;
    mx_free(old);
}

/* ---- properties ------------------------------------------------------------------------- */
static PyObject *array_get_shape(PyObject *self, void *closure) {
    mx_array a = CmlxArray_HANDLE(self);
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    PyObject *t = PyTuple_New(ndim);
    for (int d = 0; t != NULL && d < ndim; d++) {
        PyObject *n = PyLong_FromLongLong(shape[d]);
        if (n == NULL) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, d, n);
    }
    return t;
}

static PyObject *array_get_dtype(PyObject *self, void *closure) {
    return cmlx_dtype_object(mx_array_dtype(CmlxArray_HANDLE(self)));
}
static PyObject *array_get_ndim(PyObject *self, void *closure) {
    return PyLong_FromLong(mx_ndim(CmlxArray_HANDLE(self)));
}
static PyObject *array_get_size(PyObject *self, void *closure) {
    return PyLong_FromLongLong(mx_size(CmlxArray_HANDLE(self)));
}
static PyObject *array_get_itemsize(PyObject *self, void *closure) {
    return PyLong_FromSize_t(mx_itemsize(CmlxArray_HANDLE(self)));
}
static PyObject *array_get_nbytes(PyObject *self, void *closure) {
    return PyLong_FromSize_t(mx_nbytes(CmlxArray_HANDLE(self)));
}
static PyObject *array_get_T(PyObject *self, void *closure) {
    return cmlx_array_from_handle(mx_transpose(CmlxArray_HANDLE(self), NULL, 0));
}
static PyObject *array_get_mT(PyObject *self, void *closure) {
    if (mx_ndim(CmlxArray_HANDLE(self)) < 2) /* MLX: ValueError, not swapaxes' IndexError */
        return PyErr_Format(PyExc_ValueError, "[matrix_transpose] Input array must have at least 2 dimensions.");
    return cmlx_array_from_handle(mx_swapaxes(CmlxArray_HANDLE(self), -1, -2));
}
static PyObject *array_get_at(PyObject *self, void *closure);

static PyGetSetDef array_getset[] = {
    {"shape", array_get_shape, NULL, "The shape of the array as a Python tuple.", NULL},
    {"dtype", array_get_dtype, NULL, "The array's Dtype.", NULL},
    {"ndim", array_get_ndim, NULL, "The array's dimension.", NULL},
    {"size", array_get_size, NULL, "Number of elements in the array.", NULL},
    {"itemsize", array_get_itemsize, NULL, "The size of the array's datatype in bytes.", NULL},
    {"nbytes", array_get_nbytes, NULL, "The number of bytes in the array.", NULL},
    {"T", array_get_T, NULL, "Equivalent to calling self.transpose() with no arguments.", NULL},
    {"mT", array_get_mT, NULL, "The array with its last two axes swapped.", NULL},
    {"at", array_get_at, NULL, "Used to apply updates at the given indices (add, subtract, ...).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* ---- Python values ------------------------------------------------------------------------- */
/* Host storage for reading elements: bool, int64, uint64, double or complex64. */
static mx_dtype value_storage(mx_dtype dtype) {
    if (dtype == MX_BOOL || dtype == MX_COMPLEX64 || dtype == MX_UINT64)
        return dtype;
    if (mx_dtype_is_float(dtype))
        return MX_FLOAT64;
    return MX_INT64;
}

static PyObject *value_object(const char *data, int64_t i, mx_dtype storage) {
    switch (storage) {
    case MX_BOOL: return PyBool_FromLong(data[i] != 0);
    case MX_UINT64: {
        uint64_t v;
        memcpy(&v, data + 8 * i, 8);
        return PyLong_FromUnsignedLongLong(v);
    }
    case MX_INT64: {
        int64_t v;
        memcpy(&v, data + 8 * i, 8);
        return PyLong_FromLongLong(v);
    }
    case MX_FLOAT64: {
        double v;
        memcpy(&v, data + 8 * i, 8);
        return PyFloat_FromDouble(v);
    }
    default: {
        float v[2];
        memcpy(v, data + 8 * i, 8);
        return PyComplex_FromDoubles(v[0], v[1]);
    }
    }
}

/* Evaluates `a` and copies its elements into a new host buffer of `storage`. */
static char *read_elements(mx_array a, mx_dtype *storage) {
    mx_status st = cmlx_eval_nogil(&a, 1);
    if (st != MX_OK) {
        cmlx_raise(st);
        return NULL;
    }
    *storage = value_storage(mx_array_dtype(a));
    int64_t size = mx_size(a);
    size_t capacity = (size_t)(size > 0 ? size : 1) * mx_dtype_size(*storage);
    char *data = PyMem_Malloc(capacity);
    if (data == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (size > 0 && (st = mx_copy_to(a, data, capacity, *storage)) != MX_OK) {
        PyMem_Free(data);
        cmlx_raise(st);
        return NULL;
    }
    return data;
}

static PyObject *array_item(PyObject *self, PyObject *unused) {
    mx_array a = CmlxArray_HANDLE(self);
    if (mx_size(a) != 1) {
        PyErr_SetString(PyExc_ValueError, "[convert] Only length-1 arrays can be converted to Python scalars.");
        return NULL;
    }
    mx_dtype storage;
    char *data = read_elements(a, &storage);
    if (data == NULL)
        return NULL;
    PyObject *value = value_object(data, 0, storage);
    PyMem_Free(data);
    return value;
}

static PyObject *nested_list(const char *data, const int64_t *shape, int ndim, int dim, int64_t *index,
                             mx_dtype storage) {
    if (dim == ndim)
        return value_object(data, (*index)++, storage);
    PyObject *list = PyList_New((Py_ssize_t)shape[dim]);
    for (int64_t i = 0; list != NULL && i < shape[dim]; i++) {
        PyObject *item = nested_list(data, shape, ndim, dim + 1, index, storage);
        if (item == NULL) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    return list;
}

static PyObject *array_tolist(PyObject *self, PyObject *unused) {
    mx_array a = CmlxArray_HANDLE(self);
    mx_dtype storage;
    char *data = read_elements(a, &storage);
    if (data == NULL)
        return NULL;
    int64_t index = 0;
    PyObject *list = nested_list(data, mx_shape(a), mx_ndim(a), 0, &index, storage);
    PyMem_Free(data);
    return list;
}

static PyObject *array_bool(PyObject *self) {
    PyObject *v = array_item(self, NULL);
    if (v == NULL)
        return NULL;
    int truth = PyObject_IsTrue(v);
    Py_DECREF(v);
    return truth < 0 ? NULL : PyBool_FromLong(truth);
}

static int array_nb_bool(PyObject *self) {
    PyObject *v = array_bool(self);
    if (v == NULL)
        return -1;
    int truth = v == Py_True;
    Py_DECREF(v);
    return truth;
}

static PyObject *array_int(PyObject *self) {
    PyObject *v = array_item(self, NULL);
    if (v == NULL)
        return NULL;
    PyObject *r = PyComplex_Check(v) ? (PyErr_SetString(PyExc_TypeError, "can't convert complex to int"), NULL)
                                     : PyNumber_Long(v);
    Py_DECREF(v);
    return r;
}

static PyObject *array_float(PyObject *self) {
    PyObject *v = array_item(self, NULL);
    if (v == NULL)
        return NULL;
    PyObject *r = PyComplex_Check(v) ? (PyErr_SetString(PyExc_TypeError, "can't convert complex to float"), NULL)
                                     : PyNumber_Float(v);
    Py_DECREF(v);
    return r;
}

static PyObject *array_index(PyObject *self) {
    mx_array a = CmlxArray_HANDLE(self);
    if (mx_ndim(a) != 0 || !mx_dtype_is_integer(mx_array_dtype(a))) {
        PyErr_SetString(PyExc_TypeError, "Only 0-dimensional integer arrays can be converted to an index.");
        return NULL;
    }
    return array_item(self, NULL);
}

static PyObject *array_complex(PyObject *self, PyObject *unused) {
    PyObject *v = array_item(self, NULL);
    if (v == NULL)
        return NULL;
    PyObject *r = PyComplex_Check(v) ? Py_NewRef(v) : PyObject_CallOneArg((PyObject *)&PyComplex_Type, v);
    Py_DECREF(v);
    return r;
}

/* The raw bytes of the elements in row-major order (as MLX's __bytes__). */
static PyObject *array_bytes(PyObject *self, PyObject *unused) {
    mx_array a = CmlxArray_HANDLE(self);
    mx_status st = cmlx_eval_nogil(&a, 1);
    if (st != MX_OK)
        return cmlx_raise(st);
    if (mx_size(a) == 0)
        return PyBytes_FromStringAndSize(NULL, 0);
    const void *data = mx_data(a);
    if (data == NULL)
        return cmlx_raise(mx_last_status());
    return PyBytes_FromStringAndSize(data, (Py_ssize_t)mx_nbytes(a));
}

static int int_list_arg(PyObject *args, int64_t *out, int *n, const char *what);

/* Pickling: (cmlx.core._array_from_bytes, (raw bytes, shape, dtype)). */
static PyObject *array_reduce(PyObject *self, PyObject *unused) {
    PyObject *rebuild = cmlx_core_module ? PyObject_GetAttrString(cmlx_core_module, "_array_from_bytes") : NULL;
    if (rebuild == NULL)
        return NULL;
    PyObject *raw = array_bytes(self, NULL);
    PyObject *shape = raw ? array_get_shape(self, NULL) : NULL;
    PyObject *dtype = shape ? array_get_dtype(self, NULL) : NULL;
    PyObject *result = dtype ? Py_BuildValue("(N(NNN))", rebuild, raw, shape, dtype) : NULL;
    if (result == NULL) {
        Py_DECREF(rebuild);
        Py_XDECREF(raw);
        Py_XDECREF(shape);
    }
    return result;
}

static PyObject *array_from_bytes(PyObject *module, PyObject *args) {
    Py_buffer raw;
    PyObject *shape_obj, *dtype_obj;
    if (!PyArg_ParseTuple(args, "y*OO:_array_from_bytes", &raw, &shape_obj, &dtype_obj))
        return NULL;
    int64_t shape[MX_MAX_NDIM];
    int ndim = 0;
    mx_dtype dtype = MX_DTYPE_COUNT;
    PyObject *packed = PyTuple_Pack(1, shape_obj);
    int ok = packed && int_list_arg(packed, shape, &ndim, "_array_from_bytes") && cmlx_to_dtype(dtype_obj, &dtype);
    Py_XDECREF(packed);
    int64_t size = 1;
    for (int d = 0; ok && d < ndim; d++)
        size *= shape[d];
    if (ok && (dtype == MX_DTYPE_COUNT || size < 0 || (size_t)raw.len != (size_t)size * mx_dtype_size(dtype))) {
        PyErr_SetString(PyExc_ValueError, "_array_from_bytes: the bytes do not match the shape and dtype");
        ok = 0;
    }
    PyObject *result = ok ? cmlx_array_from_handle(mx_array_from_data(raw.buf, shape, ndim, dtype)) : NULL;
    PyBuffer_Release(&raw);
    return result;
}

static PyMethodDef array_module_functions[] = {
    {"_array_from_bytes", array_from_bytes, METH_VARARGS, "Rebuilds a pickled array."},
    {NULL, NULL, 0, NULL},
};

/* ---- shape methods ---------------------------------------------------------------------------- */
/* Integers given as varargs or as one tuple/list: f(2, 3) or f((2, 3)). */
static int int_list_arg(PyObject *args, int64_t *out, int *n, const char *what) {
    PyObject *seq = args;
    if (PyTuple_GET_SIZE(args) == 1 &&
        (PyTuple_Check(PyTuple_GET_ITEM(args, 0)) || PyList_Check(PyTuple_GET_ITEM(args, 0))))
        seq = PyTuple_GET_ITEM(args, 0);
    PyObject *fast = PySequence_Fast(seq, what);
    if (fast == NULL)
        return 0;
    Py_ssize_t count = PySequence_Fast_GET_SIZE(fast);
    if (count > MX_MAX_NDIM) {
        Py_DECREF(fast);
        PyErr_Format(PyExc_ValueError, "%s: more than %d values", what, MX_MAX_NDIM);
        return 0;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        long long v = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(fast, i));
        if (v == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return 0;
        }
        out[i] = v;
    }
    *n = (int)count;
    Py_DECREF(fast);
    return 1;
}

/* Accepts no keyword but `stream=`, whose device becomes the default device
 * until cmlx_stream_exit (devices.c); the guard is initialised in any case. */
static int check_stream_only(PyObject *kwargs, const char *method, cmlx_device_guard *guard) {
    guard->active = 0;
    if (kwargs == NULL)
        return 1;
    Py_ssize_t pos = 0;
    PyObject *key, *value, *stream = NULL;
    while (PyDict_Next(kwargs, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || PyUnicode_CompareWithASCIIString(key, "stream") != 0) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%S'", method, key);
            return 0;
        }
        stream = value;
    }
    return cmlx_stream_enter(stream, method, guard);
}

static PyObject *array_reshape(PyObject *self, PyObject *args, PyObject *kwargs) {
    int64_t shape[MX_MAX_NDIM];
    int n;
    cmlx_device_guard guard = {0};
    PyObject *shape_kw = kwargs ? PyDict_GetItemString(kwargs, "shape") : NULL;
    if (shape_kw != NULL) {
        PyObject *packed = PyTuple_Pack(1, shape_kw);
        int ok = packed && int_list_arg(packed, shape, &n, "reshape");
        Py_XDECREF(packed);
        if (!ok)
            return NULL;
    } else {
        if (!check_stream_only(kwargs, "reshape", &guard) || !int_list_arg(args, shape, &n, "reshape")) {
            cmlx_stream_exit(&guard);
            return NULL;
        }
    }
    PyObject *result = cmlx_array_from_handle(mx_reshape(CmlxArray_HANDLE(self), shape, n));
    cmlx_stream_exit(&guard);
    return result;
}

static PyObject *array_transpose(PyObject *self, PyObject *args, PyObject *kwargs) {
    int64_t axes64[MX_MAX_NDIM];
    int axes[MX_MAX_NDIM], n = 0;
    cmlx_device_guard guard = {0};
    PyObject *axes_kw = kwargs ? PyDict_GetItemString(kwargs, "axes") : NULL;
    if (axes_kw != NULL && axes_kw != Py_None) {
        PyObject *packed = PyTuple_Pack(1, axes_kw);
        int ok = packed && int_list_arg(packed, axes64, &n, "transpose");
        Py_XDECREF(packed);
        if (!ok)
            return NULL;
    } else if (axes_kw == NULL) {
        if (!check_stream_only(kwargs, "transpose", &guard) || !int_list_arg(args, axes64, &n, "transpose")) {
            cmlx_stream_exit(&guard);
            return NULL;
        }
    }
    for (int i = 0; i < n; i++)
        axes[i] = (int)axes64[i];
    mx_array a = CmlxArray_HANDLE(self);
    PyObject *result =
        cmlx_array_from_handle(n == 0 && mx_ndim(a) != 0 ? mx_transpose(a, NULL, 0) : mx_transpose(a, axes, n));
    cmlx_stream_exit(&guard);
    return result;
}

static PyObject *array_astype(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"dtype", "stream", NULL};
    PyObject *dtype_obj, *stream = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|O:astype", keywords, &dtype_obj, &stream))
        return NULL;
    if (dtype_obj == Py_None) {
        PyErr_SetString(PyExc_TypeError, "astype() needs a dtype");
        return NULL;
    }
    mx_dtype dtype;
    cmlx_device_guard guard;
    if (!cmlx_to_dtype(dtype_obj, &dtype) || !cmlx_stream_enter(stream, "astype", &guard))
        return NULL;
    PyObject *result = cmlx_array_from_handle(mx_astype(CmlxArray_HANDLE(self), dtype));
    cmlx_stream_exit(&guard);
    return result;
}

static PyObject *array_copy_method(PyObject *self, PyObject *unused) {
    return cmlx_array_from_handle(mx_retain(CmlxArray_HANDLE(self)));
}

/* ---- methods forwarded to module functions (the generated op wrappers) -------------------------- */
static PyObject *forward_to_module(const char *name, PyObject *self, PyObject *args, PyObject *kwargs) {
    PyObject *fn = cmlx_core_module ? PyObject_GetAttrString(cmlx_core_module, name) : NULL;
    if (fn == NULL) {
        PyErr_Clear();
        PyErr_Format(PyExc_AttributeError, "array.%s needs cmlx.core.%s, which this build does not provide", name,
                     name);
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    PyObject *full = PyTuple_New(n + 1);
    if (full == NULL) {
        Py_DECREF(fn);
        return NULL;
    }
    PyTuple_SET_ITEM(full, 0, Py_NewRef(self));
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(full, i + 1, Py_NewRef(PyTuple_GET_ITEM(args, i)));
    PyObject *result = PyObject_Call(fn, full, kwargs);
    Py_DECREF(full);
    Py_DECREF(fn);
    return result;
}

#define FORWARD(name)                                                                                                  \
    static PyObject *forward_##name(PyObject *self, PyObject *args, PyObject *kwargs) {                                \
        return forward_to_module(#name, self, args, kwargs);                                                           \
    }
#define FORWARD_DEF(name, doc)                                                                                         \
    { #name, (PyCFunction)(void (*)(void))forward_##name, METH_VARARGS | METH_KEYWORDS, doc }

FORWARD(sum)
FORWARD(prod)
FORWARD(max)
FORWARD(min)
FORWARD(mean)
FORWARD(var)
FORWARD(std)
FORWARD(all)
FORWARD(any)
FORWARD(argmax)
FORWARD(argmin)
FORWARD(logsumexp)
FORWARD(abs)
FORWARD(square)
FORWARD(sqrt)
FORWARD(rsqrt)
FORWARD(reciprocal)
FORWARD(exp)
FORWARD(log)
FORWARD(log1p)
FORWARD(log2)
FORWARD(log10)
FORWARD(sin)
FORWARD(cos)
FORWARD(round)
FORWARD(flatten)
FORWARD(squeeze)
FORWARD(swapaxes)
FORWARD(moveaxis)
FORWARD(split)
FORWARD(cumsum)
FORWARD(cumprod)
FORWARD(cummax)
FORWARD(cummin)
FORWARD(diag)
FORWARD(diagonal)
FORWARD(conj)
FORWARD(view)
FORWARD(logcumsumexp)

/* export.c */
PyObject *cmlx_array_to_numpy(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *cmlx_array_dlpack(PyObject *self, PyObject *args, PyObject *kwargs);
PyObject *cmlx_array_dlpack_device(PyObject *self, PyObject *unused);
extern PyBufferProcs cmlx_array_buffer_procs;

static PyMethodDef array_methods[] = {
    {"item", array_item, METH_NOARGS, "Access the value of a scalar array as a Python scalar."},
    {"tolist", array_tolist, METH_NOARGS, "Convert the array to a (nested) Python list."},
    {"astype", (PyCFunction)(void (*)(void))array_astype, METH_VARARGS | METH_KEYWORDS,
     "astype(dtype, stream=None): cast the array to dtype."},
    {"reshape", (PyCFunction)(void (*)(void))array_reshape, METH_VARARGS | METH_KEYWORDS,
     "reshape(*shape, stream=None): shape as a tuple or as separate ints."},
    {"transpose", (PyCFunction)(void (*)(void))array_transpose, METH_VARARGS | METH_KEYWORDS,
     "transpose(*axes, stream=None): axes as a tuple or as separate ints; none reverses them."},
    {"__copy__", array_copy_method, METH_NOARGS, NULL},
    {"__reduce__", array_reduce, METH_NOARGS, NULL},
    {"__complex__", array_complex, METH_NOARGS, NULL},
    {"__bytes__", array_bytes, METH_NOARGS, "The raw bytes of the elements (row-major)."},
    {"__deepcopy__", array_copy_method, METH_O, NULL},
    {"__array__", (PyCFunction)(void (*)(void))cmlx_array_to_numpy, METH_VARARGS | METH_KEYWORDS,
     "NumPy conversion (zero-copy where the layout allows)."},
    {"__dlpack__", (PyCFunction)(void (*)(void))cmlx_array_dlpack, METH_VARARGS | METH_KEYWORDS,
     "A DLPack capsule of the array (CPU)."},
    {"__dlpack_device__", cmlx_array_dlpack_device, METH_NOARGS, "(kDLCPU, 0)"},
    FORWARD_DEF(sum, "See cmlx.core.sum."),
    FORWARD_DEF(prod, "See cmlx.core.prod."),
    FORWARD_DEF(max, "See cmlx.core.max."),
    FORWARD_DEF(min, "See cmlx.core.min."),
    FORWARD_DEF(mean, "See cmlx.core.mean."),
    FORWARD_DEF(var, "See cmlx.core.var."),
    FORWARD_DEF(std, "See cmlx.core.std."),
    FORWARD_DEF(all, "See cmlx.core.all."),
    FORWARD_DEF(any, "See cmlx.core.any."),
    FORWARD_DEF(argmax, "See cmlx.core.argmax."),
    FORWARD_DEF(argmin, "See cmlx.core.argmin."),
    FORWARD_DEF(logsumexp, "See cmlx.core.logsumexp."),
    FORWARD_DEF(abs, "See cmlx.core.abs."),
    FORWARD_DEF(square, "See cmlx.core.square."),
    FORWARD_DEF(sqrt, "See cmlx.core.sqrt."),
    FORWARD_DEF(rsqrt, "See cmlx.core.rsqrt."),
    FORWARD_DEF(reciprocal, "See cmlx.core.reciprocal."),
    FORWARD_DEF(exp, "See cmlx.core.exp."),
    FORWARD_DEF(log, "See cmlx.core.log."),
    FORWARD_DEF(log1p, "See cmlx.core.log1p."),
    FORWARD_DEF(log2, "See cmlx.core.log2."),
    FORWARD_DEF(log10, "See cmlx.core.log10."),
    FORWARD_DEF(sin, "See cmlx.core.sin."),
    FORWARD_DEF(cos, "See cmlx.core.cos."),
    FORWARD_DEF(round, "See cmlx.core.round."),
    FORWARD_DEF(flatten, "See cmlx.core.flatten."),
    FORWARD_DEF(squeeze, "See cmlx.core.squeeze."),
    FORWARD_DEF(swapaxes, "See cmlx.core.swapaxes."),
    FORWARD_DEF(moveaxis, "See cmlx.core.moveaxis."),
    FORWARD_DEF(split, "See cmlx.core.split."),
    FORWARD_DEF(cumsum, "See cmlx.core.cumsum."),
    FORWARD_DEF(cumprod, "See cmlx.core.cumprod."),
    FORWARD_DEF(cummax, "See cmlx.core.cummax."),
    FORWARD_DEF(cummin, "See cmlx.core.cummin."),
    FORWARD_DEF(diag, "See cmlx.core.diag."),
    FORWARD_DEF(diagonal, "See cmlx.core.diagonal."),
    FORWARD_DEF(conj, "See cmlx.core.conj."),
    FORWARD_DEF(view, "See cmlx.core.view."),
    FORWARD_DEF(logcumsumexp, "See cmlx.core.logcumsumexp."),
    {NULL, NULL, 0, NULL},
};

/* ---- operators ---------------------------------------------------------------------------------- */
/* Objects an operator accepts beside an array; others give NotImplemented. */
static int operand_supported(PyObject *obj) {
    return CmlxArray_Check(obj) || cmlx_is_python_scalar(obj) ||
           (PyObject_CheckBuffer(obj) && !PyBytes_Check(obj) && !PyByteArray_Check(obj));
}

static PyObject *binary_op(PyObject *a, PyObject *b, cmlx_binary_fn fn) {
    if (!operand_supported(a) || !operand_supported(b)) {
        PyObject *other = CmlxArray_Check(a) ? b : a;
        if (PyUnicode_Check(other) || PyList_Check(other) || PyTuple_Check(other)) {
            /* MLX refuses these with a ValueError */
            PyErr_Format(PyExc_ValueError, "Cannot perform this operation on an mlx.core.array and %s",
                         Py_TYPE(other)->tp_name);
            return NULL;
        }
        Py_RETURN_NOTIMPLEMENTED;
    }
    mx_array x, y;
    if (!cmlx_binary_operands(a, b, &x, &y))
        return NULL;
    mx_array out = fn(x, y);
    mx_free(x);
    mx_free(y);
    return cmlx_array_from_handle(out);
}

static PyObject *inplace_op(PyObject *self, PyObject *other, cmlx_binary_fn fn) {
    PyObject *result = binary_op(self, other, fn);
    if (result == NULL || result == Py_NotImplemented || !CmlxArray_Check(self))
        return result;
    /* MLX's in-place operators update the array object itself */
    array_rebind(self, mx_retain(CmlxArray_HANDLE(result)));
    Py_DECREF(result);
    return Py_NewRef(self);
}

#define BINARY_SLOTS(slot, fn)                                                                                         \
    static PyObject *array_##slot(PyObject *a, PyObject *b) { return binary_op(a, b, fn); }                            \
    static PyObject *array_inplace_##slot(PyObject *a, PyObject *b) { return inplace_op(a, b, fn); }
/* MLX defines no reflected bitwise or shift operators: 3 & a is a TypeError */
/* The functions raise RuntimeError for floats (the library's unsupported-
 * dtype status); MLX's operators check first and raise ValueError. */
static PyObject *bitwise_operator_error(PyObject *result) {
    if (result == NULL && PyErr_ExceptionMatches(PyExc_RuntimeError)) {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        PyErr_SetObject(PyExc_ValueError, value);
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(traceback);
    }
    return result;
}
#define BINARY_SLOTS_NO_REFLECTED(slot, fn)                                                                            \
    static PyObject *array_##slot(PyObject *a, PyObject *b) {                                                          \
        if (!CmlxArray_Check(a))                                                                                       \
            Py_RETURN_NOTIMPLEMENTED;                                                                                  \
        return bitwise_operator_error(binary_op(a, b, fn));                                                            \
    }                                                                                                                  \
    static PyObject *array_inplace_##slot(PyObject *a, PyObject *b) {                                                  \
        return bitwise_operator_error(inplace_op(a, b, fn));                                                           \
    }

BINARY_SLOTS(add, mx_add)
BINARY_SLOTS(subtract, mx_subtract)
BINARY_SLOTS(multiply, mx_multiply)
BINARY_SLOTS(true_divide, mx_divide)
BINARY_SLOTS(floor_divide, mx_floor_divide)
BINARY_SLOTS(remainder, mx_remainder)
BINARY_SLOTS_NO_REFLECTED(and, mx_bitwise_and)
BINARY_SLOTS_NO_REFLECTED(or, mx_bitwise_or)
BINARY_SLOTS_NO_REFLECTED(xor, mx_bitwise_xor)
BINARY_SLOTS_NO_REFLECTED(lshift, mx_left_shift)
BINARY_SLOTS_NO_REFLECTED(rshift, mx_right_shift)

static PyObject *array_power(PyObject *a, PyObject *b, PyObject *modulo) {
    if (modulo != Py_None)
        Py_RETURN_NOTIMPLEMENTED;
    return binary_op(a, b, mx_power);
}
static PyObject *array_inplace_power(PyObject *a, PyObject *b, PyObject *modulo) {
    if (modulo != Py_None)
        Py_RETURN_NOTIMPLEMENTED;
    return inplace_op(a, b, mx_power);
}

/* matmul takes arrays only (MLX refuses scalars) */
static PyObject *array_matmul(PyObject *a, PyObject *b) {
    if (cmlx_is_python_scalar(a) || cmlx_is_python_scalar(b))
        Py_RETURN_NOTIMPLEMENTED;
    return binary_op(a, b, mx_matmul);
}
static PyObject *array_inplace_matmul(PyObject *a, PyObject *b) {
    if (cmlx_is_python_scalar(b))
        Py_RETURN_NOTIMPLEMENTED;
    return inplace_op(a, b, mx_matmul);
}

static PyObject *array_negative(PyObject *self) { return cmlx_array_from_handle(mx_negative(CmlxArray_HANDLE(self))); }
static PyObject *array_positive(PyObject *self) { return cmlx_array_from_handle(mx_retain(CmlxArray_HANDLE(self))); }
static PyObject *array_absolute(PyObject *self) { return cmlx_array_from_handle(mx_abs(CmlxArray_HANDLE(self))); }
static PyObject *array_invert(PyObject *self) {
    mx_array a = CmlxArray_HANDLE(self);
    if (mx_dtype_is_float(mx_array_dtype(a)) || mx_array_dtype(a) == MX_COMPLEX64) {
        PyErr_SetString(PyExc_ValueError, "Floating point types not allowed with bitwise inversion.");
        return NULL;
    }
    return cmlx_array_from_handle(mx_dtype_is_integer(mx_array_dtype(a)) ? mx_bitwise_invert(a) : mx_logical_not(a));
}

static PyNumberMethods array_as_number = {
    .nb_add = array_add,
    .nb_subtract = array_subtract,
    .nb_multiply = array_multiply,
    .nb_remainder = array_remainder,
    .nb_power = array_power,
    .nb_negative = array_negative,
    .nb_positive = array_positive,
    .nb_absolute = array_absolute,
    .nb_bool = array_nb_bool,
    .nb_invert = array_invert,
    .nb_lshift = array_lshift,
    .nb_rshift = array_rshift,
    .nb_and = array_and,
    .nb_xor = array_xor,
    .nb_or = array_or,
    .nb_int = array_int,
    .nb_float = array_float,
    .nb_index = array_index,
    .nb_inplace_add = array_inplace_add,
    .nb_inplace_subtract = array_inplace_subtract,
    .nb_inplace_multiply = array_inplace_multiply,
    .nb_inplace_remainder = array_inplace_remainder,
    .nb_inplace_power = array_inplace_power,
    .nb_inplace_lshift = array_inplace_lshift,
    .nb_inplace_rshift = array_inplace_rshift,
    .nb_inplace_and = array_inplace_and,
    .nb_inplace_xor = array_inplace_xor,
    .nb_inplace_or = array_inplace_or,
    .nb_floor_divide = array_floor_divide,
    .nb_true_divide = array_true_divide,
    .nb_inplace_floor_divide = array_inplace_floor_divide,
    .nb_inplace_true_divide = array_inplace_true_divide,
    .nb_matrix_multiply = array_matmul,
    .nb_inplace_matrix_multiply = array_inplace_matmul,
};

static PyObject *array_richcompare(PyObject *a, PyObject *b, int op) {
    static const cmlx_binary_fn fns[] = {
        [Py_LT] = mx_less,      [Py_LE] = mx_less_equal, [Py_EQ] = mx_equal,
        [Py_NE] = mx_not_equal, [Py_GT] = mx_greater,    [Py_GE] = mx_greater_equal,
    };
    if (!operand_supported(b) && (op == Py_EQ || op == Py_NE))
        Py_RETURN_NOTIMPLEMENTED; /* a == "x" or a == [1] is False, as in MLX; a < [1] a ValueError */
    return binary_op(a, b, fns[op]);
}

/* ---- sequence protocol, indexing ----------------------------------------------------------------- */
static Py_ssize_t array_length(PyObject *self) {
    mx_array a = CmlxArray_HANDLE(self);
    if (mx_ndim(a) == 0) {
        PyErr_SetString(PyExc_TypeError, "len() 0-dimensional array.");
        return -1;
    }
    return (Py_ssize_t)mx_dim(a, 0);
}

static PyObject *array_sq_item(PyObject *self, Py_ssize_t i) {
    mx_array a = CmlxArray_HANDLE(self);
    if (mx_ndim(a) == 0 || i < 0 || i >= mx_dim(a, 0)) {
        PyErr_SetString(PyExc_IndexError, "array index out of range");
        return NULL;
    }
    PyObject *index = PyLong_FromSsize_t(i);
    if (index == NULL)
        return NULL;
    PyObject *r = cmlx_array_getitem(self, index);
    Py_DECREF(index);
    return r;
}

static PyObject *array_iter(PyObject *self) {
    if (mx_ndim(CmlxArray_HANDLE(self)) == 0) {
        PyErr_SetString(PyExc_TypeError, "iter() 0-dimensional array.");
        return NULL;
    }
    return PySeqIter_New(self);
}

static int array_ass_subscript(PyObject *self, PyObject *index, PyObject *value) {
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete array elements");
        return -1;
    }
    mx_array updated = cmlx_index_update(CmlxArray_HANDLE(self), index, value, NULL);
    if (updated.id == 0)
        return -1;
    array_rebind(self, updated);
    return 0;
}

static PySequenceMethods array_as_sequence = {
    .sq_length = array_length,
    .sq_item = array_sq_item,
};

static PyMappingMethods array_as_mapping = {
    .mp_length = array_length,
    .mp_subscript = cmlx_array_getitem,
    .mp_ass_subscript = array_ass_subscript,
};

static PyObject *array_repr(PyObject *self) { return cmlx_array_format(CmlxArray_HANDLE(self)); }

PyTypeObject CmlxArray_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cmlx.core.array",
    .tp_basicsize = sizeof(CmlxArrayObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "array(val, dtype=None): an N-dimensional array (lazy: computed at eval).",
    .tp_new = array_new,
    .tp_dealloc = array_dealloc,
    .tp_repr = array_repr,
    .tp_str = array_repr,
    .tp_as_number = &array_as_number,
    .tp_as_sequence = &array_as_sequence,
    .tp_as_mapping = &array_as_mapping,
    .tp_richcompare = array_richcompare,
    .tp_iter = array_iter,
    .tp_methods = array_methods,
    .tp_getset = array_getset,
};

/* ---- a.at[index].add(v) ... ------------------------------------------------------------------------ */
typedef struct {
    PyObject_HEAD PyObject *array; /* the cmlx array */
    PyObject *index;               /* NULL for the a.at object itself */
} ArrayAtObject;

static void at_dealloc(PyObject *self) {
    ArrayAtObject *at = (ArrayAtObject *)self;
    Py_XDECREF(at->array);
    Py_XDECREF(at->index);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject ArrayAt_Type;

static PyObject *new_at(PyObject *array, PyObject *index) {
    ArrayAtObject *at = PyObject_New(ArrayAtObject, &ArrayAt_Type);
    if (at == NULL)
        return NULL;
    at->array = Py_NewRef(array);
    at->index = Py_XNewRef(index);
    return (PyObject *)at;
}

static PyObject *array_get_at(PyObject *self, void *closure) { return new_at(self, NULL); }

static PyObject *at_subscript(PyObject *self, PyObject *index) {
    ArrayAtObject *at = (ArrayAtObject *)self;
    if (at->index != NULL) {
        PyErr_SetString(PyExc_TypeError, "a.at[index] is already indexed; call .add(...) etc. on it");
        return NULL;
    }
    return new_at(at->array, index);
}

static PyObject *at_apply(PyObject *self, PyObject *value, cmlx_binary_fn op) {
    ArrayAtObject *at = (ArrayAtObject *)self;
    if (at->index == NULL) {
        PyErr_SetString(PyExc_ValueError, "Index for .at is not set: use a.at[index].<op>(value)");
        return NULL;
    }
    mx_array out = cmlx_index_update(CmlxArray_HANDLE(at->array), at->index, value, op);
    return out.id == 0 ? NULL : cmlx_array_from_handle(out);
}

static PyObject *at_add(PyObject *self, PyObject *v) { return at_apply(self, v, mx_add); }
static PyObject *at_subtract(PyObject *self, PyObject *v) { return at_apply(self, v, mx_subtract); }
static PyObject *at_multiply(PyObject *self, PyObject *v) { return at_apply(self, v, mx_multiply); }
static PyObject *at_divide(PyObject *self, PyObject *v) { return at_apply(self, v, mx_divide); }
static PyObject *at_maximum(PyObject *self, PyObject *v) { return at_apply(self, v, mx_maximum); }
static PyObject *at_minimum(PyObject *self, PyObject *v) { return at_apply(self, v, mx_minimum); }

static PyMethodDef at_methods[] = {
    {"add", at_add, METH_O, "a with value added at the index (repeated indices accumulate)."},
    {"subtract", at_subtract, METH_O, NULL},
    {"multiply", at_multiply, METH_O, NULL},
    {"divide", at_divide, METH_O, NULL},
    {"maximum", at_maximum, METH_O, NULL},
    {"minimum", at_minimum, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods at_as_mapping = {.mp_subscript = at_subscript};

static PyTypeObject ArrayAt_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cmlx.core.ArrayAt",
    .tp_basicsize = sizeof(ArrayAtObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "a.at[index].add(value) etc.: out-of-place updates at an index.",
    .tp_dealloc = at_dealloc,
    .tp_as_mapping = &at_as_mapping,
    .tp_methods = at_methods,
};

int cmlx_init_array(PyObject *module) {
    CmlxArray_Type.tp_as_buffer = &cmlx_array_buffer_procs;
    CmlxArray_Type.tp_hash = PyBaseObject_Type.tp_hash; /* by identity, as MLX */
    if (cmlx_init_dtypes(module) < 0 || PyType_Ready(&CmlxArray_Type) < 0 || PyType_Ready(&ArrayAt_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "array", (PyObject *)&CmlxArray_Type) < 0 ||
        PyModule_AddFunctions(module, array_module_functions) < 0)
        return -1;
    return PyModule_AddObjectRef(module, "ArrayAt", (PyObject *)&ArrayAt_Type);
}
