/* python/src/quantize.c - the Python forms of the quantize functions
 * (include/cmlx/quantize.h) where the generator cannot express them: the mode
 * string, group_size/bits None (MLX's per-mode defaults), and quantize's
 * tuple result. Declared at the end of ops_support.h. */
#include "ops_support.h"

/* None -> 0 (the C API's "default"), else an int. */
static int optional_int(PyObject *obj, const char *fname, const char *param, int *out) {
    *out = 0;
    return obj == Py_None || cmlx_parse_int(obj, fname, param, out);
}

/* A str into buf (NULL: error set). */
static const char *mode_string(PyObject *obj, const char *fname) {
    if (obj == Py_None)
        return "affine";
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: 'mode' must be a str, got %s", fname,
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return PyUnicode_AsUTF8(obj);
}

PyObject *cmlx_op_quantize(mx_array w, PyObject *group_size, PyObject *bits, PyObject *mode) {
    int g, b;
    const char *m = mode_string(mode, "quantize");
    if (!m || !optional_int(group_size, "quantize", "group_size", &g) || !optional_int(bits, "quantize", "bits", &b))
        return NULL;
    mx_array out[3];
    mx_quantize(w, g, b, m, out);
    PyObject *items[3] = {NULL, NULL, NULL};
    for (int i = 0; i < 3; i++) {
        items[i] = cmlx_array_from_handle(out[i]);
        if (!items[i]) {
            for (int j = 0; j < i; j++)
                Py_DECREF(items[j]);
            for (int j = i + 1; j < 3; j++)
                mx_free(out[j]);
            return NULL;
        }
    }
    PyObject *t = PyTuple_Pack(3, items[0], items[1], items[2]);
    for (int i = 0; i < 3; i++)
        Py_DECREF(items[i]);
    return t;
}

mx_array cmlx_op_dequantize(mx_array w, mx_array scales, mx_array biases, PyObject *group_size, PyObject *bits,
                            PyObject *mode, mx_dtype dtype) {
    int g, b;
    const char *m = mode_string(mode, "dequantize");
    if (!m || !optional_int(group_size, "dequantize", "group_size", &g) ||
        !optional_int(bits, "dequantize", "bits", &b))
        return MX_NULL_ARRAY;
    return mx_dequantize(w, scales, biases, g, b, m, dtype);
}

mx_array cmlx_op_quantized_matmul(mx_array x, mx_array w, mx_array scales, mx_array biases, bool transpose,
                                  PyObject *group_size, PyObject *bits, PyObject *mode) {
    int g, b;
    const char *m = mode_string(mode, "quantized_matmul");
    if (!m || !optional_int(group_size, "quantized_matmul", "group_size", &g) ||
        !optional_int(bits, "quantized_matmul", "bits", &b))
        return MX_NULL_ARRAY;
    return mx_quantized_matmul(x, w, scales, biases, transpose, g, b, m);
}

mx_array cmlx_op_gather_qmm(mx_array x, mx_array w, mx_array scales, mx_array biases, mx_array lhs_indices,
                            mx_array rhs_indices, bool transpose, PyObject *group_size, PyObject *bits, PyObject *mode,
                            bool sorted_indices) {
    int g, b;
    const char *m = mode_string(mode, "gather_qmm");
    if (!m || !optional_int(group_size, "gather_qmm", "group_size", &g) ||
        !optional_int(bits, "gather_qmm", "bits", &b))
        return MX_NULL_ARRAY;
    return mx_gather_qmm(x, w, scales, biases, lhs_indices, rhs_indices, transpose, g, b, m, sorted_indices);
}
