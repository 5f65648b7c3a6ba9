/* python/src/convert.c - Python objects to arrays (scalars, nested lists,
 * buffers such as NumPy arrays), MLX's scalar promotion for binary operands,
 * and the dtype objects (mx.float32, ...). */
#include <complex.h>
#include <string.h>

#include "cmlx_py.h"

/* ---- dtype objects -------------------------------------------------------------- */
static CmlxDtypeObject dtype_objects[MX_DTYPE_COUNT];

static PyObject *dtype_repr(PyObject *self) {
    const char *name = mx_dtype_name(((CmlxDtypeObject *)self)->dtype);
    return PyUnicode_FromFormat("cmlx.core.%s", name);
}

static PyObject *dtype_get_size(PyObject *self, void *closure) {
    return PyLong_FromSize_t(mx_dtype_size(((CmlxDtypeObject *)self)->dtype));
}

static Py_hash_t dtype_hash(PyObject *self) { return (Py_hash_t)((CmlxDtypeObject *)self)->dtype + 1; }

static PyObject *dtype_richcompare(PyObject *a, PyObject *b, int op) {
    if (!PyObject_TypeCheck(b, &CmlxDtype_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int same = ((CmlxDtypeObject *)a)->dtype == ((CmlxDtypeObject *)b)->dtype;
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

/* Pickled as the module attribute of its name (cmlx.core.float32). */
static PyObject *dtype_reduce(PyObject *self, PyObject *unused) {
    mx_dtype dtype = ((CmlxDtypeObject *)self)->dtype;
    return PyUnicode_FromString(dtype == MX_BOOL ? "bool_" : mx_dtype_name(dtype));
}

static PyMethodDef dtype_methods[] = {
    {"__reduce__", dtype_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef dtype_getset[] = {
    {"size", dtype_get_size, NULL, "Size of one element in bytes.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject CmlxDtype_Type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "cmlx.core.Dtype",
    .tp_basicsize = sizeof(CmlxDtypeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An array element type (mx.float32, mx.int32, ...).",
    .tp_repr = dtype_repr,
    .tp_hash = dtype_hash,
    .tp_richcompare = dtype_richcompare,
    .tp_getset = dtype_getset,
    .tp_methods = dtype_methods,
};

int cmlx_init_dtypes(PyObject *module) {
    if (PyType_Ready(&CmlxDtype_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(module, "Dtype", (PyObject *)&CmlxDtype_Type) < 0)
        return -1;
    for (int d = 0; d < MX_DTYPE_COUNT; d++) {
        /* static objects: immortal for all practical purposes (one extra ref) */
        PyObject *obj = (PyObject *)&dtype_objects[d];
        PyObject_Init(obj, &CmlxDtype_Type);
        Py_INCREF(obj);
        dtype_objects[d].dtype = (mx_dtype)d;
        const char *name = d == MX_BOOL ? "bool_" : mx_dtype_name((mx_dtype)d);
        if (PyModule_AddObjectRef(module, name, obj) < 0)
            return -1;
    }
    return 0;
}

PyObject *cmlx_dtype_object(mx_dtype dtype) {
    if ((int)dtype < 0 || dtype >= MX_DTYPE_COUNT) {
        PyErr_SetString(PyExc_ValueError, "invalid dtype");
        return NULL;
    }
    return Py_NewRef((PyObject *)&dtype_objects[dtype]);
}

int cmlx_to_dtype(PyObject *obj, mx_dtype *out) {
    if (obj == NULL || obj == Py_None)
        return 1;
    if (!PyObject_TypeCheck(obj, &CmlxDtype_Type)) {
        PyErr_Format(PyExc_TypeError, "expected a dtype (e.g. cmlx.core.float32), got %s", Py_TYPE(obj)->tp_name);
        return 0;
    }
    *out = ((CmlxDtypeObject *)obj)->dtype;
    return 1;
}

/* ---- scalars ---------------------------------------------------------------------- */
int cmlx_is_python_scalar(PyObject *obj) {
    return PyBool_Check(obj) || PyLong_Check(obj) || PyFloat_Check(obj) || PyComplex_Check(obj);
}

/* Reads a Python int as int64, with MLX's error for values beyond it. */
static int python_int_value(PyObject *obj, int64_t *out) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (overflow) {
        PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to an array (beyond int64)");
        return 0;
    }
    *out = (int64_t)v;
    return 1;
}

/* A 0-d array of `dtype` holding the integer `v` exactly (no trip through double). */
static mx_array integer_scalar(int64_t v, mx_dtype dtype) {
    if (mx_dtype_is_integer(dtype)) {
        unsigned char bytes[8];
        switch (mx_dtype_size(dtype)) {
        case 1: {
            uint8_t x = (uint8_t)v;
            memcpy(bytes, &x, 1);
            break;
        }
        case 2: {
            uint16_t x = (uint16_t)v;
            memcpy(bytes, &x, 2);
            break;
        }
        case 4: {
            uint32_t x = (uint32_t)v;
            memcpy(bytes, &x, 4);
            break;
        }
        default: memcpy(bytes, &v, 8);
        }
        return mx_array_from_data(bytes, NULL, 0, dtype);
    }
    if (dtype == MX_BOOL)
        return mx_scalar_bool(v != 0);
    if (dtype == MX_FLOAT64 || dtype == MX_COMPLEX64)
        return mx_scalar((double)v, dtype);
    /* float32/float16/bfloat16: one rounding, as MLX's cast from int64 */
    return mx_scalar((double)(float)v, dtype);
}

static mx_array complex_scalar(Py_complex c) {
    float parts[2] = {(float)c.real, (float)c.imag};
    return mx_array_from_data(parts, NULL, 0, MX_COMPLEX64);
}

static int finish_scalar(mx_array a, mx_array *out) {
    if (mx_array_status(a) != MX_OK) {
        cmlx_raise_array(a);
        mx_free(a);
        return 0;
    }
    *out = a;
    return 1;
}

/* Python scalar with its default dtype (bool, int32 or int64, float64 here, complex64). */
static int default_scalar(PyObject *obj, mx_array *out) {
    if (PyBool_Check(obj))
        return finish_scalar(mx_scalar_bool(obj == Py_True), out);
    if (PyLong_Check(obj)) {
        int64_t v;
        if (!python_int_value(obj, &v))
            return 0;
        mx_dtype dt = (v >= INT32_MIN && v <= INT32_MAX) ? MX_INT32 : MX_INT64;
        return finish_scalar(integer_scalar(v, dt), out);
    }
    if (PyFloat_Check(obj)) /* kept as a double: the caller rounds once, to float32 by default */
        return finish_scalar(mx_scalar_f64(PyFloat_AsDouble(obj)), out);
    return finish_scalar(complex_scalar(PyComplex_AsCComplex(obj)), out);
}

static int integer_range_check(int64_t v, mx_dtype dtype) {
    size_t size = mx_dtype_size(dtype);
    if (size >= 8)
        return 1;
    int64_t lo, hi;
    if (mx_dtype_is_signed(dtype)) {
        hi = (int64_t)((UINT64_C(1) << (8 * size - 1)) - 1);
        lo = -hi - 1;
    } else {
        lo = 0;
        hi = (int64_t)((UINT64_C(1) << (8 * size)) - 1);
    }
    if (v < lo || v > hi) {
        PyErr_Format(PyExc_ValueError, "Converting %lld to %s would result in overflow.", (long long)v,
                     mx_dtype_name(dtype));
        return 0;
    }
    return 1;
}

int cmlx_scalar_like(PyObject *obj, mx_dtype dtype, mx_array *out) {
    if (PyBool_Check(obj))
        return finish_scalar(mx_scalar(obj == Py_True ? 1.0 : 0.0, dtype), out);
    if (PyLong_Check(obj)) {
        int64_t v;
        if (!python_int_value(obj, &v))
            return 0;
        /* beside a bool array an int is int32, wrapping without a range check (as MLX) */
        mx_dtype out_dtype = dtype == MX_BOOL ? MX_INT32 : dtype;
        if (mx_dtype_is_integer(dtype) && !integer_range_check(v, out_dtype))
            return 0;
        return finish_scalar(integer_scalar(v, out_dtype), out);
    }
    if (PyFloat_Check(obj)) {
        double v = PyFloat_AsDouble(obj);
        mx_dtype out_dtype = mx_dtype_is_float(dtype) ? dtype : MX_FLOAT32;
        if (out_dtype != MX_FLOAT64)
            v = (double)(float)v;
        return finish_scalar(mx_scalar(v, out_dtype), out);
    }
    if (PyComplex_Check(obj))
        return finish_scalar(complex_scalar(PyComplex_AsCComplex(obj)), out);
    return cmlx_to_array(obj, out);
}

/* ---- nested lists ------------------------------------------------------------------- */
enum scalar_kind { KIND_NONE = 0, KIND_BOOL, KIND_INT, KIND_FLOAT, KIND_COMPLEX };

typedef struct {
    int ndim;
    int64_t shape[MX_MAX_NDIM];
    enum scalar_kind kind;
    int needs_int64;
    int has_arrays; /* cmlx arrays or buffers among the elements */
} list_info;

static int is_sequence(PyObject *obj) { return PyList_Check(obj) || PyTuple_Check(obj); }

static int is_array_like_element(PyObject *obj) { return CmlxArray_Check(obj) || PyObject_CheckBuffer(obj); }

/* Shape from the first element at every depth. */
static int infer_shape(PyObject *obj, list_info *info) {
    info->ndim = 0;
    while (is_sequence(obj)) {
        if (info->ndim >= MX_MAX_NDIM) {
            PyErr_Format(PyExc_ValueError, "Initialization has more than %d dimensions.", MX_MAX_NDIM);
            return 0;
        }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(obj);
        info->shape[info->ndim++] = n;
        if (n == 0)
            break;
        obj = PySequence_Fast_GET_ITEM(obj, 0);
    }
    return 1;
}

/* Checks the nesting against the shape and finds the element kind. */
static int scan_list(PyObject *obj, int depth, list_info *info) {
    if (depth < info->ndim) {
        if (!is_sequence(obj) || PySequence_Fast_GET_SIZE(obj) != info->shape[depth]) {
            PyErr_SetString(PyExc_ValueError, "Initialization encountered non-uniform length.");
            return 0;
        }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(obj);
        for (Py_ssize_t i = 0; i < n; i++)
            if (!scan_list(PySequence_Fast_GET_ITEM(obj, i), depth + 1, info))
                return 0;
        return 1;
    }
    if (is_sequence(obj)) {
        PyErr_SetString(PyExc_ValueError, "Initialization encountered extra dimension.");
        return 0;
    }
    enum scalar_kind kind;
    if (PyBool_Check(obj)) {
        kind = KIND_BOOL;
    } else if (PyLong_Check(obj)) {
        int64_t v;
        if (!python_int_value(obj, &v))
            return 0;
        if (v < INT32_MIN || v > INT32_MAX)
            info->needs_int64 = 1;
        kind = KIND_INT;
    } else if (PyFloat_Check(obj)) {
        kind = KIND_FLOAT;
    } else if (PyComplex_Check(obj)) {
        kind = KIND_COMPLEX;
    } else if (is_array_like_element(obj)) {
        info->has_arrays = 1;
        return 1;
    } else {
        PyErr_Format(PyExc_ValueError, "Invalid type %s received in array initialization.", Py_TYPE(obj)->tp_name);
        return 0;
    }
    if (kind > info->kind)
        info->kind = kind;
    return 1;
}

/* Writes the leaves in row-major order into `dst` as `kind`'s storage type. */
static void fill_list(PyObject *obj, int depth, int ndim, enum scalar_kind kind, char **dst) {
    if (depth < ndim) {
        Py_ssize_t n = PySequence_Fast_GET_SIZE(obj);
        for (Py_ssize_t i = 0; i < n; i++)
            fill_list(PySequence_Fast_GET_ITEM(obj, i), depth + 1, ndim, kind, dst);
        return;
    }
    switch (kind) {
    case KIND_BOOL:
        **dst = (char)(obj == Py_True);
        *dst += 1;
        break;
    case KIND_INT: {
        int64_t v = PyLong_AsLongLong(obj); /* range checked by scan_list */
        memcpy(*dst, &v, 8);
        *dst += 8;
        break;
    }
    case KIND_FLOAT: {
        double v = PyFloat_Check(obj) ? PyFloat_AsDouble(obj) : (double)PyLong_AsLongLong(obj);
        memcpy(*dst, &v, 8);
        *dst += 8;
        break;
    }
    default: {
        Py_complex c = PyComplex_AsCComplex(obj);
        float parts[2] = {(float)c.real, (float)c.imag};
        memcpy(*dst, parts, 8);
        *dst += 8;
    }
    }
}

/* Lists holding arrays: convert every element and stack them (MLX stacks
 * arrays given inside lists), promoting to a common dtype. */
static int stack_list(PyObject *seq, mx_array *out) {
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    mx_array *parts = PyMem_Calloc((size_t)(n > 0 ? n : 1), sizeof(mx_array));
    if (parts == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    int ok = 1;
    for (Py_ssize_t i = 0; i < n && ok; i++)
        ok = cmlx_to_array(PySequence_Fast_GET_ITEM(seq, i), &parts[i]);
    if (ok) {
        mx_dtype common = mx_array_dtype(parts[0]);
        for (Py_ssize_t i = 1; i < n; i++)
            common = mx_promote_types(common, mx_array_dtype(parts[i]));
        for (Py_ssize_t i = 0; i < n; i++) {
            if (mx_array_dtype(parts[i]) != common) {
                mx_array cast = mx_astype(parts[i], common);
                mx_free(parts[i]);
                parts[i] = cast;
            }
        }
        mx_array stacked = mx_stack(parts, (int)n, 0);
        ok = finish_scalar(stacked, out);
    }
    mx_free_n(parts, (int)n);
    PyMem_Free(parts);
    return ok;
}

static int list_to_array(PyObject *obj, mx_array *out) {
    /* Lists and tuples are read through PySequence_Fast_* macros: both are valid. */
    list_info info = {0};
    if (!infer_shape(obj, &info))
        return 0;
    if (!scan_list(obj, 0, &info))
        return 0;
    if (info.has_arrays)
        return stack_list(obj, out);
    int64_t size = 1;
    for (int d = 0; d < info.ndim; d++)
        size *= info.shape[d];
    if (info.kind == KIND_NONE) /* empty: MLX gives float32 */
        return finish_scalar(mx_zeros(info.shape, info.ndim, MX_FLOAT32), out);
    size_t elem = info.kind == KIND_BOOL ? 1 : 8;
    char *buf = PyMem_Malloc((size_t)size * elem + 8);
    if (buf == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    char *cursor = buf;
    fill_list(obj, 0, info.ndim, info.kind, &cursor);
    mx_array a;
    switch (info.kind) {
    case KIND_BOOL: a = mx_array_from_data(buf, info.shape, info.ndim, MX_BOOL); break;
    case KIND_INT:
        if (info.needs_int64) {
            a = mx_array_from_data(buf, info.shape, info.ndim, MX_INT64);
        } else {
            int32_t *narrow = (int32_t *)buf; /* in place: element i moves from 8i to 4i */
            for (int64_t i = 0; i < size; i++) {
                int64_t v;
                memcpy(&v, buf + 8 * i, 8);
                narrow[i] = (int32_t)v;
            }
            a = mx_array_from_data(buf, info.shape, info.ndim, MX_INT32);
        }
        break;
    case KIND_FLOAT:
        /* doubles are kept as float64 here; callers narrow to float32 (or
         * to the requested dtype in one rounding) */
        a = mx_array_from_data(buf, info.shape, info.ndim, MX_FLOAT64);
        break;
    default: a = mx_array_from_data(buf, info.shape, info.ndim, MX_COMPLEX64);
    }
    PyMem_Free(buf);
    return finish_scalar(a, out);
}

/* ---- buffers (NumPy arrays and scalars, memoryviews) ------------------------------------ */
static int dtype_from_format(const char *format, Py_ssize_t itemsize, mx_dtype *out, int *is_complex128) {
    *is_complex128 = 0;
    if (format == NULL)
        format = "B";
    if (*format == '@' || *format == '=' || *format == '<' || *format == '|')
        format++;
    else if ((*format == '>' || *format == '!') && itemsize > 1)
        return 0;
    char kind = format[0];
    if (kind == 'Z') {
        if (format[1] == 'f' && itemsize == 8) {
            *out = MX_COMPLEX64;
            return 1;
        }
        if (format[1] == 'd' && itemsize == 16) {
            *out = MX_COMPLEX64;
            *is_complex128 = 1;
            return 1;
        }
        return 0;
    }
    if (format[1] != '\0')
        return 0;
    int is_signed = 0, is_float = 0;
    switch (kind) {
    case '?': *out = MX_BOOL; return itemsize == 1;
    case 'b':
    case 'h':
    case 'i':
    case 'l':
    case 'q':
    case 'n': is_signed = 1; break;
    case 'B':
    case 'H':
    case 'I':
    case 'L':
    case 'Q':
    case 'N':
    case 'c': break;
    case 'e':
    case 'f':
    case 'd': is_float = 1; break;
    default: return 0;
    }
    if (is_float) {
        if (itemsize == 2)
            *out = MX_FLOAT16;
        else if (itemsize == 4)
            *out = MX_FLOAT32;
        else if (itemsize == 8)
            *out = MX_FLOAT64;
        else
            return 0;
        return 1;
    }
    static const mx_dtype signed_types[9] = {0, MX_INT8, MX_INT16, 0, MX_INT32, 0, 0, 0, MX_INT64};
    static const mx_dtype unsigned_types[9] = {0, MX_UINT8, MX_UINT16, 0, MX_UINT32, 0, 0, 0, MX_UINT64};
    if (itemsize != 1 && itemsize != 2 && itemsize != 4 && itemsize != 8)
        return 0;
    *out = is_signed ? signed_types[itemsize] : unsigned_types[itemsize];
    return 1;
}

/* Row-major copy of a strided buffer. */
static void copy_strided(const char *src, const Py_buffer *view, int dim, char **dst) {
    if (dim == view->ndim) {
        memcpy(*dst, src, (size_t)view->itemsize);
        *dst += view->itemsize;
        return;
    }
    for (Py_ssize_t i = 0; i < view->shape[dim]; i++)
        copy_strided(src + i * view->strides[dim], view, dim + 1, dst);
}

static int buffer_to_array(PyObject *obj, mx_array *out) {
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_RECORDS_RO) < 0)
        return 0;
    int ok = 0;
    mx_dtype dtype;
    int complex128;
    int64_t shape[MX_MAX_NDIM];
    if (view.ndim > MX_MAX_NDIM) {
        PyErr_Format(PyExc_ValueError, "Initialization has more than %d dimensions.", MX_MAX_NDIM);
        goto done;
    }
    if (!dtype_from_format(view.format, view.itemsize, &dtype, &complex128)) {
        PyErr_Format(PyExc_TypeError, "Cannot create an array from a buffer of format '%s'.",
                     view.format ? view.format : "B");
        goto done;
    }
    int64_t size = 1;
    for (int d = 0; d < view.ndim; d++) {
        shape[d] = view.shape[d];
        size *= shape[d];
    }
    const char *data = view.buf;
    char *copy = NULL;
    if (!PyBuffer_IsContiguous(&view, 'C') && size > 0) {
        copy = PyMem_Malloc((size_t)(size * view.itemsize));
        if (copy == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        char *cursor = copy;
        copy_strided(view.buf, &view, 0, &cursor);
        data = copy;
    }
    mx_array a;
    if (complex128) {
        float *narrow = PyMem_Malloc((size_t)(size > 0 ? size : 1) * 2 * sizeof(float));
        if (narrow == NULL) {
            PyMem_Free(copy);
            PyErr_NoMemory();
            goto done;
        }
        for (int64_t i = 0; i < 2 * size; i++) {
            double v;
            memcpy(&v, data + 8 * i, 8);
            narrow[i] = (float)v;
        }
        a = mx_array_from_data(narrow, shape, view.ndim, MX_COMPLEX64);
        PyMem_Free(narrow);
    } else {
        a = mx_array_from_data(data, shape, view.ndim, dtype);
    }
    PyMem_Free(copy);
    ok = finish_scalar(a, out);
done:
    PyBuffer_Release(&view);
    return ok;
}

/* ---- entry points ------------------------------------------------------------------------- */
/* Like cmlx_to_array, but floats of lists and float64 buffers stay float64
 * (the caller narrows them: to float32 by default, as MLX does). */
static int to_array_wide(PyObject *obj, mx_array *out) {
    if (CmlxArray_Check(obj)) {
        *out = mx_retain(CmlxArray_HANDLE(obj));
        return 1;
    }
    if (cmlx_is_python_scalar(obj))
        return default_scalar(obj, out);
    if (is_sequence(obj))
        return list_to_array(obj, out);
    if (PyObject_CheckBuffer(obj)) {
        if (buffer_to_array(obj, out))
            return 1;
        if (!cmlx_has_dlpack(obj) || !PyErr_ExceptionMatches(PyExc_TypeError))
            return 0;
        PyErr_Clear(); /* a format PEP 3118 cannot name (bfloat16): DLPack names it */
    }
    if (cmlx_has_dlpack(obj)) /* PyTorch, JAX...: MLX's array() takes DLPack objects too */
        return cmlx_dlpack_to_array(obj, out);
    if (obj == Py_None) {
        PyErr_SetString(PyExc_TypeError, "Cannot create an array from None.");
        return 0;
    }
    PyErr_Format(PyExc_ValueError, "Invalid type %s received in array initialization.", Py_TYPE(obj)->tp_name);
    return 0;
}

static int astype_in_place(mx_array *a, mx_dtype dtype) {
    if (mx_array_dtype(*a) == dtype)
        return 1;
    mx_array cast = mx_astype(*a, dtype);
    mx_free(*a);
    *a = MX_NULL_ARRAY;
    return finish_scalar(cast, a);
}

int cmlx_to_array_dtype(PyObject *obj, const mx_dtype *dtype, mx_array *out) {
    mx_array a;
    if (!to_array_wide(obj, &a))
        return 0;
    int from_python_value = !CmlxArray_Check(obj);
    mx_dtype target = mx_array_dtype(a);
    if (dtype != NULL)
        target = *dtype;
    else if (from_python_value && target == MX_FLOAT64)
        target = MX_FLOAT32; /* MLX stores Python floats and float64 buffers as float32 */
    if (!astype_in_place(&a, target))
        return 0;
    *out = a;
    return 1;
}

int cmlx_to_array(PyObject *obj, mx_array *out) {
    if (CmlxArray_Check(obj)) {
        *out = mx_retain(CmlxArray_HANDLE(obj));
        return 1;
    }
    return cmlx_to_array_dtype(obj, NULL, out);
}

/* The operand beside an array of `dtype`: Python scalars are weak; other
 * array-likes (NumPy arrays and scalars) take the array's dtype, as in MLX;
 * lists and tuples are refused as MLX does. */
static int operand_beside_array(PyObject *obj, mx_dtype dtype, mx_array *out) {
    if (cmlx_is_python_scalar(obj))
        return cmlx_scalar_like(obj, dtype, out);
    if (is_sequence(obj)) {
        PyErr_Format(PyExc_ValueError, "Invalid type %s received in array initialization.", Py_TYPE(obj)->tp_name);
        return 0;
    }
    return cmlx_to_array_dtype(obj, &dtype, out);
}

int cmlx_binary_operands(PyObject *a, PyObject *b, mx_array *out_a, mx_array *out_b) {
    int a_is_array = CmlxArray_Check(a), b_is_array = CmlxArray_Check(b);
    if (a_is_array && !b_is_array) {
        if (!operand_beside_array(b, mx_array_dtype(CmlxArray_HANDLE(a)), out_b))
            return 0;
        *out_a = mx_retain(CmlxArray_HANDLE(a));
        return 1;
    }
    if (b_is_array && !a_is_array) {
        if (!operand_beside_array(a, mx_array_dtype(CmlxArray_HANDLE(b)), out_a))
            return 0;
        *out_b = mx_retain(CmlxArray_HANDLE(b));
        return 1;
    }
    if (!cmlx_to_array(a, out_a))
        return 0;
    if (!cmlx_to_array(b, out_b)) {
        mx_free(*out_a);
        *out_a = MX_NULL_ARRAY;
        return 0;
    }
    return 1;
}
