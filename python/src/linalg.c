/* python/src/linalg.c - the Python form of mlx.core.linalg.norm, whose ord
 * (None, an int or float, or a string) picks one of three C functions of
 * include/cmlx/linalg.h. Declared at the end of ops_support.h. */
#include "ops_support.h"

mx_array cmlx_op_linalg_norm(mx_array a, PyObject *ord, const int *axes, int naxes, bool keepdims) {
    if (ord == NULL || ord == Py_None)
        return mx_linalg_norm(a, axes, naxes, keepdims);
    if (PyUnicode_Check(ord)) {
        const char *s = PyUnicode_AsUTF8(ord);
        return s ? mx_linalg_norm_str(a, s, axes, naxes, keepdims) : MX_NULL_ARRAY;
    }
    if (PyFloat_Check(ord) || PyLong_Check(ord)) {
        double v = PyFloat_AsDouble(ord);
        if (v == -1.0 && PyErr_Occurred())
            return MX_NULL_ARRAY;
        return mx_linalg_norm_ord(a, v, axes, naxes, keepdims);
    }
    PyErr_Format(PyExc_TypeError,
                 "norm(): incompatible function arguments: 'ord' must be None, a number or a str, got %s",
                 Py_TYPE(ord)->tp_name);
    return MX_NULL_ARRAY;
}

/* ---- decompositions: several results become a tuple (MLX returns tuples) ---- */

static PyObject *array_tuple(mx_status st, mx_array *parts, int n) {
    if (st != MX_OK)
        return cmlx_raise(st);
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL) {
        mx_free_n(parts, n);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        PyObject *item = cmlx_array_from_handle(parts[i]);
        if (item == NULL) {
            mx_free_n(parts + i + 1, n - i - 1);
            Py_DECREF(tuple);
            return NULL;
        }
        PyTuple_SET_ITEM(tuple, i, item);
    }
    return tuple;
}

PyObject *cmlx_op_linalg_qr(mx_array a) {
    mx_array parts[2];
    return array_tuple(mx_linalg_qr(a, parts), parts, 2);
}

PyObject *cmlx_op_linalg_svd(mx_array a, bool compute_uv) {
    mx_array parts[3];
    mx_status st = mx_linalg_svd(a, compute_uv, parts);
    if (compute_uv)
        return array_tuple(st, parts, 3);
    return st == MX_OK ? cmlx_array_from_handle(parts[0]) : cmlx_raise(st);
}

PyObject *cmlx_op_linalg_lu(mx_array a) {
    mx_array parts[3];
    return array_tuple(mx_linalg_lu(a, parts), parts, 3);
}

PyObject *cmlx_op_linalg_lu_factor(mx_array a) {
    mx_array parts[2];
    return array_tuple(mx_linalg_lu_factor(a, parts), parts, 2);
}

PyObject *cmlx_op_linalg_eig(mx_array a) {
    mx_array parts[2];
    return array_tuple(mx_linalg_eig(a, parts), parts, 2);
}

PyObject *cmlx_op_linalg_slogdet(mx_array a) {
    mx_array parts[2];
    return array_tuple(mx_linalg_slogdet(a, parts), parts, 2);
}

/* UPLO must be a str (MLX: TypeError otherwise); omitted means 'L'. */
static const char *uplo_string(PyObject *uplo, const char *fn) {
    if (uplo == NULL || uplo == Py_None) /* omitted: the default 'L' */
        return "L";
    if (!PyUnicode_Check(uplo)) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: 'UPLO' must be a str, got %s", fn,
                     Py_TYPE(uplo)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8(uplo);
}

PyObject *cmlx_op_linalg_eigh(mx_array a, PyObject *UPLO) {
    const char *uplo = uplo_string(UPLO, "eigh");
    if (!uplo)
        return NULL;
    mx_array parts[2];
    return array_tuple(mx_linalg_eigh(a, uplo, parts), parts, 2);
}

mx_array cmlx_op_linalg_eigvalsh(mx_array a, PyObject *UPLO) {
    const char *uplo = uplo_string(UPLO, "eigvalsh");
    return uplo ? mx_linalg_eigvalsh(a, uplo) : MX_NULL_ARRAY;
}
