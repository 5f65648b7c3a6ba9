/* python/src/fft.c - the Python forms of mlx.core.fft (include/cmlx/fft.h):
 * n=None, s/axes as sequences or None, and norm strings, which the generator
 * cannot express. Declared at the end of ops_support.h. */
#include <string.h>

#include "cmlx/fft.h"
#include "ops_support.h"

#define FFT_MAX_LIST 32

/* An int (not a float, not a bool-less index check: as nanobind's int caster). */
static int fft_get_int(PyObject *obj, const char *fname, const char *param, int *out) {
    if (PyFloat_Check(obj) || !PyIndex_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: '%s' must be an int, got %s", fname,
                     param, Py_TYPE(obj)->tp_name);
        return 0;
    }
    long long v = PyLong_AsLongLong(obj);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (v < INT_MIN + 1 || v > INT_MAX) {
        PyErr_Format(PyExc_TypeError, "%s(): '%s' does not fit a 32-bit int", fname, param);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* None -> *present = 0; an int (when allow_int) or a sequence of ints. */
static int fft_get_list(PyObject *obj, const char *fname, const char *param, bool allow_int, int *out, int *n,
                        int *present) {
    *present = obj != Py_None;
    *n = 0;
    if (obj == Py_None)
        return 1;
    if (allow_int && PyIndex_Check(obj) && !PyFloat_Check(obj)) {
        *n = 1;
        return fft_get_int(obj, fname, param, out);
    }
    if (PyUnicode_Check(obj) || PyBytes_Check(obj) || !PySequence_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: '%s' must be a sequence of ints, got %s",
                     fname, param, Py_TYPE(obj)->tp_name);
        return 0;
    }
    Py_ssize_t len = PySequence_Size(obj);
    if (len < 0)
        return 0;
    if (len > FFT_MAX_LIST) {
        PyErr_Format(PyExc_ValueError, "[%s] Too many values in %s: %zd.", fname, param, len);
        return 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *item = PySequence_GetItem(obj, i);
        if (!item)
            return 0;
        int ok = fft_get_int(item, fname, param, &out[i]);
        Py_DECREF(item);
        if (!ok)
            return 0;
    }
    *n = (int)len;
    return 1;
}

static int fft_get_norm(PyObject *obj, const char *fname, const char **out) {
    if (obj == Py_None) {
        *out = NULL;
        return 1;
    }
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s(): incompatible function arguments: 'norm' must be a str, got %s", fname,
                     Py_TYPE(obj)->tp_name);
        return 0;
    }
    *out = PyUnicode_AsUTF8(obj);
    return *out != NULL;
}

typedef mx_array (*fft_1d_fn)(mx_array, int, int, const char *);
typedef mx_array (*fft_nd_fn)(mx_array, const int *, int, const int *, int, const char *);

static mx_array call_1d(fft_1d_fn fn, const char *fname, mx_array a, PyObject *n, int axis, PyObject *norm) {
    int nv = MX_FFT_DEFAULT;
    const char *norm_str;
    if ((n != Py_None && !fft_get_int(n, fname, "n", &nv)) || !fft_get_norm(norm, fname, &norm_str))
        return MX_NULL_ARRAY;
    return fn(a, nv, axis, norm_str);
}

static mx_array call_nd(fft_nd_fn fn, const char *fname, mx_array a, PyObject *s, PyObject *axes, PyObject *norm) {
    int sv[FFT_MAX_LIST], av[FFT_MAX_LIST], ns, na, has_s, has_axes;
    const char *norm_str;
    if (!fft_get_list(s, fname, "s", false, sv, &ns, &has_s) ||
        !fft_get_list(axes, fname, "axes", false, av, &na, &has_axes) || !fft_get_norm(norm, fname, &norm_str))
        return MX_NULL_ARRAY;
    return fn(a, has_s ? sv : NULL, ns, has_axes ? av : NULL, na, norm_str);
}

#define FFT_1D(name)                                                                                                   \
    mx_array cmlx_op_fft_##name(mx_array a, PyObject *n, int axis, PyObject *norm) {                                   \
        return call_1d(mx_fft_##name, #name, a, n, axis, norm);                                                        \
    }
FFT_1D(fft)
FFT_1D(ifft)
FFT_1D(rfft)
FFT_1D(irfft)
#undef FFT_1D

#define FFT_ND(name)                                                                                                   \
    mx_array cmlx_op_fft_##name(mx_array a, PyObject *s, PyObject *axes, PyObject *norm) {                             \
        return call_nd(mx_fft_##name, #name, a, s, axes, norm);                                                        \
    }
FFT_ND(fft2)
FFT_ND(ifft2)
FFT_ND(rfft2)
FFT_ND(irfft2)
FFT_ND(fftn)
FFT_ND(ifftn)
FFT_ND(rfftn)
FFT_ND(irfftn)
#undef FFT_ND

static mx_array call_shift(mx_array (*fn)(mx_array, const int *, int), const char *fname, mx_array a, PyObject *axes) {
    int av[FFT_MAX_LIST], na, has_axes;
    if (!fft_get_list(axes, fname, "axes", true, av, &na, &has_axes))
        return MX_NULL_ARRAY;
    return fn(a, has_axes ? av : NULL, na);
}
mx_array cmlx_op_fft_fftshift(mx_array a, PyObject *axes) { return call_shift(mx_fft_fftshift, "fftshift", a, axes); }
mx_array cmlx_op_fft_ifftshift(mx_array a, PyObject *axes) {
    return call_shift(mx_fft_ifftshift, "ifftshift", a, axes);
}
