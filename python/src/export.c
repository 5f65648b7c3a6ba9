/* python/src/export.c - arrays seen by other libraries without copies: the
 * buffer protocol (NumPy, memoryview), __array__ and DLPack (CPU). Each
 * export holds its own reference to the array's node, so the memory stays
 * valid even if the Python object is rebound (a += 1) or dies. */
#include <stdlib.h>
#include <string.h>

#include "cmlx_py.h"
#include "dlpack.h"

static const char *buffer_format(mx_dtype dtype) {
    switch (dtype) {
    case MX_BOOL: return "?";
    case MX_UINT8: return "B";
    case MX_UINT16: return "H";
    case MX_UINT32: return "I";
    case MX_UINT64: return "Q";
    case MX_INT8: return "b";
    case MX_INT16: return "h";
    case MX_INT32: return "i";
    case MX_INT64: return "q";
    case MX_FLOAT16: return "e";
    case MX_FLOAT32: return "f";
    case MX_FLOAT64: return "d";
    case MX_COMPLEX64: return "Zf";
    default: return NULL; /* bfloat16 has no PEP 3118 format */
    }
}

/* Evaluates `a` and returns its elements, row-major contiguous. */
static const void *evaluated_data(mx_array a) {
    mx_status st = cmlx_eval_nogil(&a, 1);
    if (st != MX_OK) {
        cmlx_raise(st);
        return NULL;
    }
    const void *data = mx_data(a);
    if (data == NULL)
        cmlx_raise(mx_last_status());
    return data;
}

/* ---- buffer protocol ------------------------------------------------------------------ */
typedef struct {
    mx_array keep;
    Py_ssize_t dims[]; /* shape, then strides */
} buffer_export;

static int array_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    mx_array a = CmlxArray_HANDLE(self);
    mx_dtype dtype = mx_array_dtype(a);
    const char *format = buffer_format(dtype);
    if (format == NULL) {
        PyErr_Format(PyExc_ValueError, "'%s' is not a valid PEP 3118 buffer format string", mx_dtype_name(dtype));
        return -1;
    }
    if (flags & PyBUF_WRITABLE) {
        PyErr_SetString(PyExc_BufferError, "cmlx arrays are read-only buffers");
        return -1;
    }
    const void *data = evaluated_data(a);
    if (data == NULL)
        return -1;
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    buffer_export *ex = PyMem_Malloc(sizeof(buffer_export) + 2 * (size_t)(ndim > 0 ? ndim : 1) * sizeof(Py_ssize_t));
    if (ex == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    ex->keep = mx_retain(a);
    Py_ssize_t itemsize = (Py_ssize_t)mx_dtype_size(dtype), stride = itemsize;
    for (int d = ndim - 1; d >= 0; d--) {
        ex->dims[d] = (Py_ssize_t)shape[d];
        ex->dims[ndim + d] = stride;
        stride *= (Py_ssize_t)shape[d];
    }
    view->buf = (void *)data;
    view->obj = Py_NewRef(self);
    view->len = (Py_ssize_t)mx_nbytes(a);
    view->itemsize = itemsize;
    view->readonly = 1;
    view->ndim = ndim;
    view->format = (flags & PyBUF_FORMAT) ? (char *)format : NULL;
    view->shape = (flags & PyBUF_ND) ? ex->dims : NULL;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? ex->dims + ndim : NULL;
    view->suboffsets = NULL;
    view->internal = ex;
    return 0;
}

static void array_releasebuffer(PyObject *self, Py_buffer *view) {
    buffer_export *ex = view->internal;
    if (ex != NULL) {
        mx_free(ex->keep);
        PyMem_Free(ex);
        view->internal = NULL;
    }
}

PyBufferProcs cmlx_array_buffer_procs = {
    .bf_getbuffer = array_getbuffer,
    .bf_releasebuffer = array_releasebuffer,
};

/* __array__(dtype=None, copy=None): a NumPy view of the evaluated array
 * (read-only), or a copy when asked for one or for another dtype. */
PyObject *cmlx_array_to_numpy(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"dtype", "copy", NULL};
    PyObject *dtype = Py_None, *copy = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:__array__", keywords, &dtype, &copy))
        return NULL;
    PyObject *numpy = PyImport_ImportModule("numpy");
    if (numpy == NULL)
        return NULL;
    PyObject *view = PyMemoryView_FromObject(self);
    PyObject *result = view ? PyObject_CallMethod(numpy, "asarray", "O", view) : NULL;
    Py_XDECREF(view);
    Py_DECREF(numpy);
    if (result != NULL && dtype != Py_None) {
        PyObject *cast = PyObject_CallMethod(result, "astype", "O", dtype);
        Py_SETREF(result, cast);
    } else if (result != NULL && copy == Py_True) {
        PyObject *copied = PyObject_CallMethod(result, "copy", NULL);
        Py_SETREF(result, copied);
    }
    return result;
}

/* ---- DLPack (v0.8 ABI: the unversioned "dltensor" capsule) ------------------------------- */
typedef struct {
    dl_managed_tensor managed;
    mx_array keep;
    int64_t dims[]; /* shape, then strides (in elements) */
} dlpack_export;

static void dlpack_deleter(dl_managed_tensor *managed) {
    dlpack_export *ex = (dlpack_export *)managed;
    mx_free(ex->keep);
    free(ex);
}

static void dlpack_capsule_destructor(PyObject *capsule) {
    /* a consumer renames the capsule "used_dltensor" and owns the tensor; an unused one is ours */
    if (PyCapsule_IsValid(capsule, "dltensor")) {
        dl_managed_tensor *managed = PyCapsule_GetPointer(capsule, "dltensor");
        if (managed != NULL && managed->deleter != NULL)
            managed->deleter(managed);
    }
}

static uint8_t dlpack_code(mx_dtype dtype) {
    if (dtype == MX_BOOL)
        return DL_BOOL;
    if (dtype == MX_BFLOAT16)
        return DL_BFLOAT;
    if (dtype == MX_COMPLEX64)
        return DL_COMPLEX;
    if (mx_dtype_is_float(dtype))
        return DL_FLOAT;
    return mx_dtype_is_signed(dtype) ? DL_INT : DL_UINT;
}

PyObject *cmlx_array_dlpack(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"stream", "max_version", "dl_device", "copy", NULL};
    PyObject *stream = Py_None, *max_version = Py_None, *dl_device_arg = Py_None, *copy = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O$OOO:__dlpack__", keywords, &stream, &max_version, &dl_device_arg,
                                     &copy))
        return NULL;
    mx_array a = CmlxArray_HANDLE(self);
    const void *data = evaluated_data(a);
    if (data == NULL)
        return NULL;
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    mx_dtype dtype = mx_array_dtype(a);
    dlpack_export *ex = calloc(1, sizeof(dlpack_export) + 2 * (size_t)(ndim > 0 ? ndim : 1) * sizeof(int64_t));
    if (ex == NULL)
        return PyErr_NoMemory();
    ex->keep = mx_retain(a);
    int64_t stride = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        ex->dims[d] = shape[d];
        ex->dims[ndim + d] = stride;
        stride *= shape[d];
    }
    dl_tensor *t = &ex->managed.dl_tensor;
    t->data = (void *)data;
    t->device = (dl_device){DL_CPU, 0};
    t->ndim = ndim;
    t->dtype = (dl_data_type){dlpack_code(dtype), (uint8_t)(8 * mx_dtype_size(dtype)), 1};
    t->shape = ex->dims;
    t->strides = ex->dims + ndim;
    t->byte_offset = 0;
    ex->managed.manager_ctx = ex;
    ex->managed.deleter = dlpack_deleter;
    PyObject *capsule = PyCapsule_New(&ex->managed, "dltensor", dlpack_capsule_destructor);
    if (capsule == NULL)
        dlpack_deleter(&ex->managed);
    return capsule;
}

PyObject *cmlx_array_dlpack_device(PyObject *self, PyObject *unused) { return Py_BuildValue("(ii)", 1, 0); }
