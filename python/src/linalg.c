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
