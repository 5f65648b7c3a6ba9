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

#endif
