/* python/src/fast.c - the Python forms of mlx.core.fast (include/cmlx/fast.h)
 * that the generator cannot express: optional arrays passed as a required
 * argument (rms_norm's weight=None), base=None, offset as an int or an array,
 * and the mask of scaled_dot_product_attention (None, "causal" or an array).
 * Declared at the end of ops_support.h. */
#include <math.h>

#include "ops_support.h"

/* MLX's parameters typed `array | None`: an mx.array or None, nothing else. */
static int optional_array(PyObject *obj, const char *fname, const char *param, mx_array *out) {
    *out = MX_NULL_ARRAY;
    if (obj == Py_None)
        return 1;
    if (!CmlxArray_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be an array or None, not %s", fname, param,
                     Py_TYPE(obj)->tp_name);
        return 0;
    }
    *out = mx_retain(CmlxArray_HANDLE(obj));
    return 1;
}

mx_array cmlx_op_fast_rms_norm(mx_array x, PyObject *weight, double eps) {
    mx_array w;
    if (!optional_array(weight, "rms_norm", "weight", &w))
        return MX_NULL_ARRAY;
    mx_array out = mx_fast_rms_norm(x, w, eps);
    mx_free(w);
    return out;
}

mx_array cmlx_op_fast_layer_norm(mx_array x, PyObject *weight, PyObject *bias, double eps) {
    mx_array w, b = MX_NULL_ARRAY;
    if (!optional_array(weight, "layer_norm", "weight", &w) || !optional_array(bias, "layer_norm", "bias", &b)) {
        mx_free(w);
        return MX_NULL_ARRAY;
    }
    mx_array out = mx_fast_layer_norm(x, w, b, eps);
    mx_free(w);
    mx_free(b);
    return out;
}

/* offset: an int (an int32 scalar when it fits, as MLX's int overload), or
 * anything that converts to an array (whose dtype rope then checks). */
mx_array cmlx_op_fast_rope(mx_array a, int dims, bool traditional, PyObject *base, double scale, PyObject *offset,
                           PyObject *freqs) {
    double base_value = NAN;
    if (base != Py_None && !cmlx_parse_double(base, "rope", "base", &base_value))
        return MX_NULL_ARRAY;
    mx_array f;
    if (!optional_array(freqs, "rope", "freqs", &f))
        return MX_NULL_ARRAY;
    mx_array out = MX_NULL_ARRAY;
    if (PyLong_Check(offset) && !PyBool_Check(offset)) {
        int overflow = 0;
        long value = PyLong_AsLongAndOverflow(offset, &overflow);
        if (value == -1 && PyErr_Occurred()) {
            mx_free(f);
            return MX_NULL_ARRAY;
        }
        if (!overflow && value >= INT32_MIN && value <= INT32_MAX) {
            out = mx_fast_rope(a, dims, traditional, base_value, scale, (int)value, f);
            mx_free(f);
            return out;
        }
    }
    mx_array off;
    if (cmlx_to_array(offset, &off)) {
        out = mx_fast_rope_offset(a, dims, traditional, base_value, scale, off, f);
        mx_free(off);
    }
    mx_free(f);
    return out;
}

mx_array cmlx_op_fast_scaled_dot_product_attention(mx_array q, mx_array k, mx_array v, double scale, PyObject *mask,
                                                   PyObject *sinks, bool force_fused) {
    /* force_fused: cmlx always runs its fused kernel, so there is nothing to force
     * (MLX's CPU backend, which has none, raises instead). */
    (void)force_fused;
    const char *mode = "";
    mx_array m = MX_NULL_ARRAY, s;
    if (PyUnicode_Check(mask)) {
        mode = PyUnicode_AsUTF8(mask);
        if (!mode)
            return MX_NULL_ARRAY;
        if (strcmp(mode, "causal") != 0) {
            PyErr_Format(PyExc_ValueError,
                         "[scaled_dot_product_attention] invalid mask option '%s'. Must be 'causal', or an array.",
                         mode);
            return MX_NULL_ARRAY;
        }
    } else if (mask != Py_None && !optional_array(mask, "scaled_dot_product_attention", "mask", &m)) {
        return MX_NULL_ARRAY;
    }
    if (!optional_array(sinks, "scaled_dot_product_attention", "sinks", &s)) {
        mx_free(m);
        return MX_NULL_ARRAY;
    }
    mx_array out = mx_fast_scaled_dot_product_attention(q, k, v, scale, mode, m, s);
    mx_free(m);
    mx_free(s);
    return out;
}
