/* python/src/cmlx_py.h - the interface between the parts of the cmlx.core
 * extension: the array type and conversions (array.c, convert.c), errors
 * (errors.c), and the op wrappers generated from python/gen (ops_*.c).
 * The extension is a client of the public C API (cmlx/cmlx.h) only. */
#ifndef CMLX_PY_H
#define CMLX_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "cmlx/cmlx.h"

/* ---- the array type ---------------------------------------------------------- */
typedef struct {
    PyObject_HEAD mx_array array; /* owned reference */
} CmlxArrayObject;

extern PyTypeObject CmlxArray_Type;
#define CmlxArray_Check(o) PyObject_TypeCheck((o), &CmlxArray_Type)

/* A new Python array owning `a` (steals the reference). If `a` is an error
 * array, frees it, raises the matching Python exception and returns NULL. */
PyObject *cmlx_array_from_handle(mx_array a);

/* ---- conversions (O& converters: return 1 on success, 0 with an exception) ---- */
/* Any array-like: cmlx array (new reference to the same node), Python bool,
 * int, float, nested lists/tuples, NumPy arrays and buffer objects. Scalars get
 * MLX's default dtypes (bool, int32, float32). The caller frees *out. */
int cmlx_to_array(PyObject *obj, mx_array *out);
/* The two operands of a binary op with MLX's scalar rules: a Python scalar
 * takes the dtype of the array operand when it is "weak" (int with an integer
 * or float array, float with a float array), else is promoted as MLX does. */
int cmlx_binary_operands(PyObject *a, PyObject *b, mx_array *out_a, mx_array *out_b);
/* mx.float32 etc. (dtype objects), or None -> *out unchanged. */
int cmlx_to_dtype(PyObject *obj, mx_dtype *out);
PyObject *cmlx_dtype_object(mx_dtype dtype); /* new reference */

/* ---- errors -------------------------------------------------------------------- */
/* Raise the Python exception for `status` with mx_last_error(): VALUE ->
 * ValueError, TYPE -> TypeError, INDEX -> IndexError, MEMORY -> MemoryError,
 * others RuntimeError. Returns NULL for `return cmlx_raise(st);`. */
PyObject *cmlx_raise(mx_status status);

/* ---- module setup, one per part ----------------------------------------------------- */
int cmlx_init_array(PyObject *module);  /* array type, dtype objects */
int cmlx_init_ops(PyObject *module);    /* generated op functions, mx.random, memory, devices */
int cmlx_init_io(PyObject *module);     /* load, save, savez, save_safetensors, save_gguf (io.c) */

/* ---- additions by the array part (py-core) ------------------------------------ */
/* The cmlx.core module object (borrowed; set by PyInit before the parts init). */
extern PyObject *cmlx_core_module;

/* Like cmlx_raise, with the status and message of the error array `a`. */
PyObject *cmlx_raise_array(mx_array a);

/* mx_eval with the GIL released. */
mx_status cmlx_eval_nogil(const mx_array *arrays, int n);

/* The array behind a Python array object (borrowed). */
#define CmlxArray_HANDLE(o) (((CmlxArrayObject *)(o))->array)

/* dtype objects: mx.float32 etc. are the only instances. */
typedef struct {
    PyObject_HEAD mx_dtype dtype;
} CmlxDtypeObject;
extern PyTypeObject CmlxDtype_Type;
int cmlx_init_dtypes(PyObject *module);

/* A 0-d array of `dtype` holding the Python bool/int/float/complex `obj`
 * with MLX's rules for a scalar beside an array of `dtype` ("weak" scalar). */
int cmlx_scalar_like(PyObject *obj, mx_dtype dtype, mx_array *out);
/* cmlx_to_array, then cast to *dtype (NULL: MLX's defaults; Python floats and
 * float64 buffers become float32, with one rounding when a dtype is given). */
int cmlx_to_array_dtype(PyObject *obj, const mx_dtype *dtype, mx_array *out);
/* DLPack imports (dlpack_import.c): whether obj has __dlpack__, and a copy of
 * its tensor (float64 kept, complex128 narrowed to complex64). */
int cmlx_has_dlpack(PyObject *obj);
int cmlx_dlpack_to_array(PyObject *obj, mx_array *out);
/* True for Python bool, int, float and complex objects. */
int cmlx_is_python_scalar(PyObject *obj);

/* Indexing (indexing.c): a[index], a[index] = value as a new array, and the
 * updates of a.at[index] (op: a binary op such as mx_add, or NULL to set). */
PyObject *cmlx_array_getitem(PyObject *self, PyObject *index);
mx_array cmlx_index_get(mx_array a, PyObject *index); /* MX_NULL_ARRAY with an exception */
typedef mx_array (*cmlx_binary_fn)(mx_array, mx_array);
mx_array cmlx_index_update(mx_array a, PyObject *index, PyObject *value, cmlx_binary_fn op);

/* repr/str of an array in MLX's format (format.c). */
PyObject *cmlx_array_format(mx_array a);

#endif
