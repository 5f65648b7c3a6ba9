/* python/src/dlpack_import.c - arrays from other libraries' memory through
 * DLPack (PyTorch tensors, NumPy arrays, JAX arrays...): mx.from_dlpack,
 * mx.asarray, and the DLPack branch of mx.array(). MLX's CPU backend always
 * copies an import, and so does cmlx: the producer's memory is released as
 * soon as the elements are copied, so its lifetime never ties to an array. */
#include <stdlib.h>
#include <string.h>

#include "cmlx_py.h"
#include "dlpack.h"
#include "ops_support.h"

/* The cmlx dtype of a DLPack type; complex128 sets *complex128 and maps to
 * complex64 (narrowed after the copy, as for NumPy buffers). */
static int dtype_from_dlpack(dl_data_type t, mx_dtype *out, int *complex128) {
    *complex128 = 0;
    if (t.lanes != 1)
        return 0;
    switch (t.code) {
    case DL_BOOL: *out = MX_BOOL; return t.bits == 8;
    case DL_INT:
    case DL_UINT: {
        static const mx_dtype signed_types[] = {MX_INT8, MX_INT16, MX_INT32, MX_INT64};
        static const mx_dtype unsigned_types[] = {MX_UINT8, MX_UINT16, MX_UINT32, MX_UINT64};
        for (int i = 0; i < 4; i++)
            if (t.bits == 8 << i) {
                *out = t.code == DL_INT ? signed_types[i] : unsigned_types[i];
                return 1;
            }
        return 0;
    }
    case DL_FLOAT:
        *out = t.bits == 16 ? MX_FLOAT16 : t.bits == 32 ? MX_FLOAT32 : MX_FLOAT64;
        return t.bits == 16 || t.bits == 32 || t.bits == 64;
    case DL_BFLOAT: *out = MX_BFLOAT16; return t.bits == 16;
    case DL_COMPLEX:
        *out = MX_COMPLEX64;
        *complex128 = t.bits == 128;
        return t.bits == 64 || t.bits == 128;
    default: return 0;
    }
}

/* Copies the elements of `t` (any strides, in elements) row-major into dst. */
static void copy_row_major(const dl_tensor *t, size_t itemsize, int64_t count, char *dst) {
    const char *base = (const char *)t->data + t->byte_offset;
    if (t->strides == NULL) {
        memcpy(dst, base, (size_t)count * itemsize);
        return;
    }
    int64_t index[MX_MAX_NDIM] = {0}; /* ndim <= MX_MAX_NDIM, checked by the caller */
    for (int64_t i = 0; i < count; i++) {
        int64_t offset = 0;
        for (int d = 0; d < t->ndim; d++)
            offset += index[d] * t->strides[d];
        memcpy(dst + (size_t)i * itemsize, base + offset * (int64_t)itemsize, itemsize);
        for (int d = t->ndim - 1; d >= 0; d--) { /* next index, last axis fastest */
            if (++index[d] < t->shape[d])
                break;
            index[d] = 0;
        }
    }
}

/* A new array holding a copy of the tensor's elements (the caller still owns t). */
static int tensor_to_array(const dl_tensor *t, mx_array *out) {
    if (t->device.device_type != DL_CPU && t->device.device_type != DL_CUDA_HOST) {
        PyErr_Format(PyExc_ValueError, "from_dlpack: cmlx imports host memory only (DLPack device type %d)",
                     (int)t->device.device_type);
        return 0;
    }
    if (t->ndim < 0 || t->ndim > MX_MAX_NDIM) {
        PyErr_Format(PyExc_ValueError, "from_dlpack: %d dimensions (at most %d)", (int)t->ndim, MX_MAX_NDIM);
        return 0;
    }
    mx_dtype dtype;
    int complex128;
    if (!dtype_from_dlpack(t->dtype, &dtype, &complex128)) {
        PyErr_Format(PyExc_TypeError, "from_dlpack: unsupported DLPack dtype (type code %d, %d bits, %d lanes)",
                     (int)t->dtype.code, (int)t->dtype.bits, (int)t->dtype.lanes);
        return 0;
    }
    int64_t count = 1;
    for (int d = 0; d < t->ndim; d++) {
        if (t->shape[d] < 0) {
            PyErr_Format(PyExc_ValueError, "from_dlpack: negative dimension %lld", (long long)t->shape[d]);
            return 0;
        }
        count *= t->shape[d];
    }
    size_t itemsize = t->dtype.bits / 8;
    char *elements = malloc((size_t)(count > 0 ? count : 1) * itemsize);
    if (elements == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    if (count > 0)
        copy_row_major(t, itemsize, count, elements);
    if (complex128) { /* narrow each (double, double) pair in place, front to back */
        float *narrow = (float *)elements;
        for (int64_t i = 0; i < 2 * count; i++) {
            double v;
            memcpy(&v, elements + 8 * i, 8);
            narrow[i] = (float)v;
        }
    }
    mx_array a = mx_array_from_data(elements, t->shape, t->ndim, dtype);
    free(elements);
    if (mx_array_status(a) != MX_OK) {
        cmlx_raise_array(a);
        mx_free(a);
        return 0;
    }
    *out = a;
    return 1;
}

int cmlx_has_dlpack(PyObject *obj) { return PyObject_HasAttrString(obj, "__dlpack__"); }

int cmlx_dlpack_to_array(PyObject *obj, mx_array *out) {
    PyObject *capsule = PyObject_CallMethod(obj, "__dlpack__", NULL);
    if (capsule == NULL)
        return 0;
    dl_managed_tensor *managed = PyCapsule_GetPointer(capsule, "dltensor");
    if (managed == NULL) {
        Py_DECREF(capsule);
        return 0;
    }
    int ok = tensor_to_array(&managed->dl_tensor, out);
    /* consumed: the capsule must not free the tensor again, we release it now */
    if (PyCapsule_SetName(capsule, "used_dltensor") == 0 && managed->deleter != NULL)
        managed->deleter(managed);
    Py_DECREF(capsule);
    return ok;
}

/* copy=False: MLX's CPU backend cannot share a producer's memory, so it refuses. */
static int refuse_no_copy(PyObject *copy, PyObject *source) {
    if (copy == Py_None || PyObject_IsTrue(copy))
        return PyErr_Occurred() ? 0 : 1;
    if (!CmlxArray_Check(source) && (cmlx_has_dlpack(source) || PyObject_CheckBuffer(source)))
        PyErr_SetString(PyExc_ValueError, "[convert] Cannot import a CPU array without a copy.");
    else
        PyErr_SetString(PyExc_ValueError, "Unable to avoid copy while creating an array as requested.");
    return 0;
}

mx_array cmlx_op_from_dlpack(PyObject *x, PyObject *copy) {
    if (!cmlx_has_dlpack(x) && !PyObject_CheckBuffer(x)) { /* NumPy scalars: buffers only, as MLX takes them */
        PyErr_Format(PyExc_TypeError, "from_dlpack(): x must implement __dlpack__ and __dlpack_device__ (got %s)",
                     Py_TYPE(x)->tp_name);
        return MX_NULL_ARRAY;
    }
    mx_array a;
    if (!refuse_no_copy(copy, x) || !cmlx_to_array_dtype(x, NULL, &a))
        return MX_NULL_ARRAY;
    return a;
}

mx_array cmlx_op_asarray(PyObject *a, mx_dtype dtype, PyObject *copy) {
    mx_array out;
    if (!refuse_no_copy(copy, a) || !cmlx_to_array_dtype(a, dtype == MX_DTYPE_COUNT ? NULL : &dtype, &out))
        return MX_NULL_ARRAY;
    if (CmlxArray_Check(a) && dtype == MX_DTYPE_COUNT) {
        /* a copy of an array is a new array of the same values (lazy, no bytes move) */
        mx_array copied = mx_copy(out);
        mx_free(out);
        return copied;
    }
    return out;
}
