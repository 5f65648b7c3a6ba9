/* python/src/conv.c - the Python forms of the convolutions (include/cmlx/conv.h):
 * MLX's argument conventions, which the generator cannot express. Declared at
 * the end of ops_support.h, wrapped by the generator from ops_spec.py.
 *
 * As nanobind does for MLX: input and weight must be arrays (no lists or
 * scalars); an int argument is an int (bool included, float not); a pair or
 * triple is a list or tuple of exactly that many ints; conv_general's lists
 * are any sequence of ints, and its padding also a pair of sequences (lo, hi).
 * Wrong types are TypeErrors, wrong values ValueErrors (from the C library).
 * Omitted arguments arrive as None; an explicit None is taken as omitted
 * (MLX raises TypeError there). */
#include <string.h>

#include "ops_support.h"

#define CONV_MAX_LIST 8

static int bad_type(const char *fname, const char *param, const char *expected, PyObject *obj) {
    PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: '%s' must be %s, got %s", fname, param,
                 expected, Py_TYPE(obj)->tp_name);
    return 0;
}

static int get_array(PyObject *obj, const char *fname, const char *param, mx_array *out) {
    if (!CmlxArray_Check(obj))
        return bad_type(fname, param, "an array", obj);
    *out = CmlxArray_HANDLE(obj);
    return 1;
}

/* An int that fits C's int (nanobind's int caster: an index, not a float). */
static int get_int(PyObject *obj, const char *fname, const char *param, int *out) {
    if (PyFloat_Check(obj) || !PyIndex_Check(obj))
        return bad_type(fname, param, "an int", obj);
    PyObject *index = PyNumber_Index(obj);
    if (!index)
        return 0;
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (overflow || v < INT_MIN || v > INT_MAX) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: '%s' does not fit a 32-bit int", fname,
                     param);
        return 0;
    }
    *out = (int)v;
    return 1;
}

static bool is_sequence(PyObject *obj) { return PyList_Check(obj) || PyTuple_Check(obj); }

/* A sequence of ints (list, tuple, or anything with len and indexing that
 * is not a string) into out (at most CONV_MAX_LIST kept; *n gets the length). */
static int get_int_list(PyObject *obj, const char *fname, const char *param, int *out, int *n) {
    if (PyUnicode_Check(obj) || PyBytes_Check(obj) || !PySequence_Check(obj))
        return bad_type(fname, param, "an int or a sequence of ints", obj);
    Py_ssize_t len = PySequence_Size(obj);
    if (len < 0)
        return 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *item = PySequence_GetItem(obj, i);
        if (!item)
            return 0;
        int v = 0;
        int ok = get_int(item, fname, param, &v);
        Py_DECREF(item);
        if (!ok)
            return 0;
        if (i < CONV_MAX_LIST)
            out[i] = v;
    }
    if (len > CONV_MAX_LIST) {
        PyErr_Format(PyExc_ValueError, "[conv] Invalid %s: %zd values for a convolution of at most 3 spatial dims",
                     param, len);
        return 0;
    }
    *n = (int)len;
    return 1;
}

/* int | tuple of exactly d ints (conv2d/conv3d's std::pair / std::tuple). */
static int get_fixed(PyObject *obj, int d, int fallback, const char *fname, const char *param, int *out) {
    if (obj == Py_None) {
        for (int i = 0; i < d; i++)
            out[i] = fallback;
        return 1;
    }
    if (!is_sequence(obj)) {
        int v;
        if (!get_int(obj, fname, param, &v))
            return 0;
        for (int i = 0; i < d; i++)
            out[i] = v;
        return 1;
    }
    int n = 0, values[CONV_MAX_LIST];
    if (PySequence_Size(obj) != d) {
        char expected[48];
        snprintf(expected, sizeof expected, "an int or a tuple of %d ints", d);
        return bad_type(fname, param, expected, obj);
    }
    if (!get_int_list(obj, fname, param, values, &n))
        return 0;
    memcpy(out, values, sizeof(int) * (size_t)d);
    return 1;
}

/* None (default) | int | sequence of ints, for conv_general. */
static int get_list(PyObject *obj, const char *fname, const char *param, int *out, int *n) {
    if (obj == Py_None) {
        *n = 0;
        return 1;
    }
    if (!PySequence_Check(obj) || PyUnicode_Check(obj)) {
        *n = 1;
        return get_int(obj, fname, param, out);
    }
    return get_int_list(obj, fname, param, out, n);
}

static int get_flag(PyObject *obj, const char *fname, const char *param, bool *out) {
    if (obj == Py_None) {
        *out = false;
        return 1;
    }
    if (!PyBool_Check(obj))
        return bad_type(fname, param, "a bool", obj);
    *out = obj == Py_True;
    return 1;
}

mx_array cmlx_op_conv1d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding, PyObject *dilation,
                        int groups) {
    const char *f = "conv1d";
    mx_array x, w;
    int s, p, d;
    if (!get_array(input, f, "input", &x) || !get_array(weight, f, "weight", &w) ||
        !get_fixed(stride, 1, 1, f, "stride", &s) || !get_fixed(padding, 1, 0, f, "padding", &p) ||
        !get_fixed(dilation, 1, 1, f, "dilation", &d))
        return MX_NULL_ARRAY;
    if (is_sequence(stride) || is_sequence(padding) || is_sequence(dilation)) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: stride, padding and dilation are ints",
                     f);
        return MX_NULL_ARRAY;
    }
    return mx_conv1d(x, w, s, p, d, groups);
}

static mx_array conv_nd(const char *f, int d, PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                        PyObject *dilation, int groups) {
    mx_array x, w;
    int s[3], p[3], dl[3];
    if (!get_array(input, f, "input", &x) || !get_array(weight, f, "weight", &w) ||
        !get_fixed(stride, d, 1, f, "stride", s) || !get_fixed(padding, d, 0, f, "padding", p) ||
        !get_fixed(dilation, d, 1, f, "dilation", dl))
        return MX_NULL_ARRAY;
    return d == 2 ? mx_conv2d(x, w, s, p, dl, groups) : mx_conv3d(x, w, s, p, dl, groups);
}

mx_array cmlx_op_conv2d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding, PyObject *dilation,
                        int groups) {
    return conv_nd("conv2d", 2, input, weight, stride, padding, dilation, groups);
}

mx_array cmlx_op_conv3d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding, PyObject *dilation,
                        int groups) {
    return conv_nd("conv3d", 3, input, weight, stride, padding, dilation, groups);
}

mx_array cmlx_op_conv_general(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                              PyObject *kernel_dilation, PyObject *input_dilation, int groups, PyObject *flip) {
    const char *f = "conv_general";
    mx_array x, w;
    int s[CONV_MAX_LIST], lo[CONV_MAX_LIST], hi[CONV_MAX_LIST], kd[CONV_MAX_LIST], id[CONV_MAX_LIST];
    int ns = 0, nlo = 0, nhi = 0, nkd = 0, nid = 0;
    bool fl = false;
    if (!get_array(input, f, "input", &x) || !get_array(weight, f, "weight", &w) ||
        !get_list(stride, f, "stride", s, &ns) || !get_list(kernel_dilation, f, "kernel_dilation", kd, &nkd) ||
        !get_list(input_dilation, f, "input_dilation", id, &nid) || !get_flag(flip, f, "flip", &fl))
        return MX_NULL_ARRAY;
    /* padding: int | sequence of ints | (sequence lo, sequence hi) */
    bool pair = false;
    if (padding != Py_None && PySequence_Check(padding) && !PyUnicode_Check(padding) && PySequence_Size(padding) == 2) {
        PyObject *first = PySequence_GetItem(padding, 0), *second = first ? PySequence_GetItem(padding, 1) : NULL;
        if (!second) {
            Py_XDECREF(first);
            return MX_NULL_ARRAY;
        }
        pair = !PyIndex_Check(first) && !PyIndex_Check(second);
        int ok = !pair || (get_int_list(first, f, "padding", lo, &nlo) && get_int_list(second, f, "padding", hi, &nhi));
        Py_DECREF(first);
        Py_DECREF(second);
        if (!ok)
            return MX_NULL_ARRAY;
    }
    if (!pair) {
        if (!get_list(padding, f, "padding", lo, &nlo))
            return MX_NULL_ARRAY;
        memcpy(hi, lo, sizeof lo);
        nhi = nlo;
    }
    return mx_conv_general(x, w, s, ns, lo, nlo, hi, nhi, kd, nkd, id, nid, groups, fl);
}

mx_array cmlx_op_conv_transpose1d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                                  PyObject *dilation, PyObject *output_padding, int groups) {
    const char *f = "conv_transpose1d";
    mx_array x, w;
    int s, p, d, op;
    if (is_sequence(stride) || is_sequence(padding) || is_sequence(dilation) || is_sequence(output_padding)) {
        PyErr_Format(PyExc_TypeError,
                     "%s(): incompatible function arguments: stride, padding, dilation and output_padding are ints", f);
        return MX_NULL_ARRAY;
    }
    if (!get_array(input, f, "input", &x) || !get_array(weight, f, "weight", &w) ||
        !get_fixed(stride, 1, 1, f, "stride", &s) || !get_fixed(padding, 1, 0, f, "padding", &p) ||
        !get_fixed(dilation, 1, 1, f, "dilation", &d) || !get_fixed(output_padding, 1, 0, f, "output_padding", &op))
        return MX_NULL_ARRAY;
    return mx_conv_transpose1d(x, w, s, p, d, op, groups);
}

static mx_array conv_transpose_nd(const char *f, int d, PyObject *input, PyObject *weight, PyObject *stride,
                                  PyObject *padding, PyObject *dilation, PyObject *output_padding, int groups) {
    mx_array x, w;
    int s[3], p[3], dl[3], op[3];
    if (!get_array(input, f, "input", &x) || !get_array(weight, f, "weight", &w) ||
        !get_fixed(stride, d, 1, f, "stride", s) || !get_fixed(padding, d, 0, f, "padding", p) ||
        !get_fixed(dilation, d, 1, f, "dilation", dl) || !get_fixed(output_padding, d, 0, f, "output_padding", op))
        return MX_NULL_ARRAY;
    return d == 2 ? mx_conv_transpose2d(x, w, s, p, dl, op, groups) : mx_conv_transpose3d(x, w, s, p, dl, op, groups);
}

mx_array cmlx_op_conv_transpose2d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                                  PyObject *dilation, PyObject *output_padding, int groups) {
    return conv_transpose_nd("conv_transpose2d", 2, input, weight, stride, padding, dilation, output_padding, groups);
}

mx_array cmlx_op_conv_transpose3d(PyObject *input, PyObject *weight, PyObject *stride, PyObject *padding,
                                  PyObject *dilation, PyObject *output_padding, int groups) {
    return conv_transpose_nd("conv_transpose3d", 3, input, weight, stride, padding, dilation, output_padding, groups);
}

mx_array cmlx_op_convolve(PyObject *a, PyObject *v, PyObject *mode) {
    const char *f = "convolve";
    mx_array x, y;
    if (!get_array(a, f, "a", &x) || !get_array(v, f, "v", &y))
        return MX_NULL_ARRAY;
    const char *m = "full";
    if (mode != Py_None) {
        if (!PyUnicode_Check(mode)) {
            bad_type(f, "mode", "a str", mode);
            return MX_NULL_ARRAY;
        }
        m = PyUnicode_AsUTF8(mode);
        if (!m)
            return MX_NULL_ARRAY;
    }
    return mx_convolve(x, y, m);
}
