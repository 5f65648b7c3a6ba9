/* python/src/ops_support.c - argument parsing, converters and compositions used
 * by the generated op wrappers (see ops_support.h). */
#include "ops_support.h"

#include <math.h>
#include <string.h>

/* ---- argument parsing ------------------------------------------------------- */
static int find_param(const cmlx_signature *sig, PyObject *key) {
    for (int i = 0; i < sig->nparams; i++) {
        if (PyUnicode_CompareWithASCIIString(key, sig->params[i]) == 0) {
            return i;
        }
    }
    return -1;
}

int cmlx_parse_args(const cmlx_signature *sig, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                    PyObject **out) {
    for (int i = 0; i < sig->nparams; i++) {
        out[i] = NULL;
    }
    if (nargs > sig->npositional) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %d positional argument%s (%zd given)", sig->name,
                     sig->npositional, sig->npositional == 1 ? "" : "s", nargs);
        return 0;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        out[i] = args[i];
    }
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t j = 0; j < nkw; j++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, j);
        int i = find_param(sig, key);
        if (i < 0 || i < sig->npositional_only) {
            if (i < 0) {
                PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", sig->name, key);
            } else {
                PyErr_Format(PyExc_TypeError, "%s() got some positional-only arguments passed as keyword arguments: '%U'",
                             sig->name, key);
            }
            return 0;
        }
        if (out[i] != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", sig->name, sig->params[i]);
            return 0;
        }
        out[i] = args[nargs + j];
    }
    for (int i = 0; i < sig->nparams; i++) {
        if (out[i] == NULL && sig->required[i]) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", sig->name, sig->params[i]);
            return 0;
        }
    }
    return 1;
}

/* ---- converters --------------------------------------------------------------- */
static int type_error(const char *fname, const char *param, const char *expected, PyObject *obj) {
    PyErr_Format(PyExc_TypeError, "%s(): argument '%s' must be %s, not %s", fname, param, expected,
                 Py_TYPE(obj)->tp_name);
    return 0;
}

/* Python ints only (and objects with __index__), never floats or bools passed
 * where MLX takes an int would silently truncate. */
static int to_long_long(PyObject *obj, const char *fname, const char *param, long long *out) {
    if (!PyIndex_Check(obj)) {
        return type_error(fname, param, "an int", obj);
    }
    int overflow = 0;
    PyObject *index = PyNumber_Index(obj);
    if (index == NULL) {
        return 0;
    }
    *out = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (*out == -1 && PyErr_Occurred()) {
        return 0;
    }
    if (overflow) {
        PyErr_Format(PyExc_OverflowError, "%s(): argument '%s' is out of range", fname, param);
        return 0;
    }
    return 1;
}

int cmlx_parse_int(PyObject *obj, const char *fname, const char *param, int *out) {
    long long v;
    if (!to_long_long(obj, fname, param, &v)) {
        return 0;
    }
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s(): argument '%s' is out of range", fname, param);
        return 0;
    }
    *out = (int)v;
    return 1;
}

int cmlx_parse_int64(PyObject *obj, const char *fname, const char *param, int64_t *out) {
    long long v;
    if (!to_long_long(obj, fname, param, &v)) {
        return 0;
    }
    *out = (int64_t)v;
    return 1;
}

int cmlx_parse_uint64(PyObject *obj, const char *fname, const char *param, uint64_t *out) {
    if (!PyIndex_Check(obj)) {
        return type_error(fname, param, "an int", obj);
    }
    PyObject *index = PyNumber_Index(obj);
    if (index == NULL) {
        return 0;
    }
    /* MLX takes the seed modulo 2^64 (a C++ uint64_t). */
    unsigned long long v = PyLong_AsUnsignedLongLongMask(index);
    Py_DECREF(index);
    if (v == (unsigned long long)-1 && PyErr_Occurred()) {
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

int cmlx_parse_size(PyObject *obj, const char *fname, const char *param, size_t *out) {
    long long v;
    if (!to_long_long(obj, fname, param, &v)) {
        return 0;
    }
    if (v < 0) {
        PyErr_Format(PyExc_ValueError, "%s(): argument '%s' must be non-negative", fname, param);
        return 0;
    }
    *out = (size_t)v;
    return 1;
}

int cmlx_parse_double(PyObject *obj, const char *fname, const char *param, double *out) {
    if (!PyFloat_Check(obj) && !PyLong_Check(obj) && !PyIndex_Check(obj) && Py_TYPE(obj)->tp_as_number == NULL) {
        return type_error(fname, param, "a float", obj);
    }
    double v = PyFloat_AsDouble(obj);
    if (v == -1.0 && PyErr_Occurred()) {
        return 0;
    }
    *out = v;
    return 1;
}

int cmlx_parse_bool(PyObject *obj, const char *fname, const char *param, bool *out) {
    (void)fname;
    (void)param;
    int v = PyObject_IsTrue(obj);
    if (v < 0) {
        return 0;
    }
    *out = v != 0;
    return 1;
}

int cmlx_parse_dtype(PyObject *obj, const char *fname, const char *param, mx_dtype *out) {
    (void)fname;
    (void)param;
    return cmlx_to_dtype(obj, out);
}

/* A sequence of ints into `v` (at most `cap`), with the count in *n. */
static int parse_int_sequence(PyObject *obj, const char *fname, const char *param, long long *v, int cap, int *n) {
    if (!PySequence_Check(obj) || PyUnicode_Check(obj) || PyBytes_Check(obj)) {
        return type_error(fname, param, "an int or a sequence of ints", obj);
    }
    PyObject *seq = PySequence_Fast(obj, "expected a sequence");
    if (seq == NULL) {
        return 0;
    }
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
    if (len > cap) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s(): argument '%s' has %zd entries, more than the %d cmlx supports", fname,
                     param, len, cap);
        return 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (!to_long_long(PySequence_Fast_GET_ITEM(seq, i), fname, param, &v[i])) {
            Py_DECREF(seq);
            return 0;
        }
    }
    Py_DECREF(seq);
    *n = (int)len;
    return 1;
}

int cmlx_parse_axes(PyObject *obj, const char *fname, const char *param, cmlx_axes *out) {
    out->kind = CMLX_AXES_NONE;
    out->n = 0;
    out->v = NULL;
    if (obj == NULL || obj == Py_None) {
        return 1;
    }
    long long values[MX_MAX_NDIM];
    if (PyIndex_Check(obj)) {
        if (!to_long_long(obj, fname, param, &values[0])) {
            return 0;
        }
        out->kind = CMLX_AXES_ONE;
        out->n = 1;
    } else {
        if (!parse_int_sequence(obj, fname, param, values, MX_MAX_NDIM, &out->n)) {
            return 0;
        }
        out->kind = CMLX_AXES_LIST;
    }
    for (int i = 0; i < out->n; i++) {
        /* Out-of-int-range axes stay out of range (and fail the op's own check). */
        out->storage[i] = values[i] > INT_MAX ? INT_MAX : values[i] < -INT_MAX ? -INT_MAX : (int)values[i];
    }
    out->v = out->storage;
    return 1;
}

int cmlx_parse_shape(PyObject *obj, const char *fname, const char *param, cmlx_shape *out) {
    long long values[MX_MAX_NDIM];
    if (PyIndex_Check(obj)) {
        if (!to_long_long(obj, fname, param, &values[0])) {
            return 0;
        }
        out->n = 1;
    } else if (!parse_int_sequence(obj, fname, param, values, MX_MAX_NDIM, &out->n)) {
        return 0;
    }
    for (int i = 0; i < out->n; i++) {
        out->v[i] = (int64_t)values[i];
    }
    return 1;
}

int cmlx_parse_arrays(PyObject *obj, const char *fname, const char *param, cmlx_arrays *out) {
    out->v = NULL;
    out->n = 0;
    if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
        return type_error(fname, param, "a list of arrays", obj);
    }
    PyObject *seq = PySequence_Fast(obj, "expected a sequence");
    if (seq == NULL) {
        return 0;
    }
    Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
    if (len > INT_MAX) {
        Py_DECREF(seq);
        PyErr_Format(PyExc_ValueError, "%s(): too many arrays", fname);
        return 0;
    }
    out->v = PyMem_Calloc(len > 0 ? (size_t)len : 1, sizeof(mx_array));
    if (out->v == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (!cmlx_to_array(PySequence_Fast_GET_ITEM(seq, i), &out->v[i])) {
            Py_DECREF(seq);
            return 0;
        }
        out->n = (int)i + 1;
    }
    Py_DECREF(seq);
    return 1;
}

void cmlx_arrays_free(cmlx_arrays *arrays) {
    if (arrays->v != NULL) {
        mx_free_n(arrays->v, arrays->n);
        PyMem_Free(arrays->v);
    }
    arrays->v = NULL;
    arrays->n = 0;
}

/* ---- compositions ------------------------------------------------------------
 * Each runs in a scope so that its intermediate handles are released; the
 * result is kept (moved to the caller's scope). Argument errors found here
 * raise a Python exception and return MX_NULL_ARRAY (the wrappers check). */
#define SCOPED_RESULT(scope, expr)                                                                                     \
    do {                                                                                                               \
        mx_array result_ = mx_scope_keep((scope), (expr));                                                             \
        mx_scope_end(scope);                                                                                           \
        return result_;                                                                                                \
    } while (0)

static bool is_python_int(PyObject *obj) { return PyLong_Check(obj) && !PyBool_Check(obj); }

mx_array cmlx_op_arange(PyObject *start, PyObject *stop, PyObject *step, mx_dtype dtype) {
    /* arange(stop) or arange(start, stop[, step]); MLX's second overload names its
     * first parameter `stop`, so arange(stop=5) also works. */
    if (stop == Py_None) {
        stop = start;
        start = Py_None;
    }
    if (stop == Py_None) {
        PyErr_SetString(PyExc_TypeError, "arange(): missing required argument 'stop'");
        return MX_NULL_ARRAY;
    }
    double values[3] = {0.0, 0.0, 1.0};
    PyObject *objects[3] = {start, stop, step};
    const char *names[3] = {"start", "stop", "step"};
    bool all_int = true;
    for (int i = 0; i < 3; i++) {
        if (objects[i] == Py_None) {
            continue;
        }
        if (!cmlx_parse_double(objects[i], "arange", names[i], &values[i])) {
            return MX_NULL_ARRAY;
        }
        all_int = all_int && is_python_int(objects[i]);
    }
    if (dtype == MX_DTYPE_COUNT) {
        dtype = all_int ? MX_INT32 : MX_FLOAT32;
    }
    return mx_arange(values[0], values[1], values[2], dtype);
}

mx_array cmlx_op_linspace(double start, double stop, int64_t num, bool endpoint, mx_dtype dtype) {
    if (dtype == MX_DTYPE_COUNT) {
        dtype = MX_FLOAT32;
    }
    if (endpoint || num <= 1) {
        return mx_linspace(start, stop, num, dtype);
    }
    /* MLX: t = i / num, (1 - t) * start + t * stop, in float32, then astype. */
    mx_scope scope = mx_scope_begin();
    mx_array t = mx_divide(mx_arange(0.0, (double)num, 1.0, MX_FLOAT32), mx_scalar((double)num, MX_FLOAT32));
    mx_array t_bar = mx_subtract(mx_scalar_f32(1.0f), t);
    mx_array out = mx_add(mx_multiply(t_bar, mx_scalar((double)start, MX_FLOAT32)),
                          mx_multiply(t, mx_scalar((double)stop, MX_FLOAT32)));
    SCOPED_RESULT(scope, mx_astype(out, dtype));
}

mx_array cmlx_op_full(const int64_t *shape, int ndim, PyObject *vals, mx_dtype dtype) {
    /* MLX converts `vals` with `dtype` as a hint: a Python bool or int becomes
     * dtype, a float becomes dtype if that is a float type (else float32); an
     * array keeps its own dtype. */
    mx_array v;
    bool is_int = PyLong_Check(vals), is_float = PyFloat_Check(vals);
    if (dtype != MX_DTYPE_COUNT && (is_int || is_float)) {
        double value;
        if (!cmlx_parse_double(vals, "full", "vals", &value)) {
            return MX_NULL_ARRAY;
        }
        v = mx_scalar(value, is_int || mx_dtype_is_float(dtype) ? dtype : MX_FLOAT32);
    } else if (!cmlx_to_array(vals, &v)) {
        return MX_NULL_ARRAY;
    }
    mx_array out = mx_full_array(shape, ndim, v);
    mx_free(v);
    return out;
}

static mx_dtype dtype_or(mx_dtype dtype, mx_array a) { return dtype == MX_DTYPE_COUNT ? mx_array_dtype(a) : dtype; }

mx_array cmlx_op_zeros_like(mx_array a, mx_dtype dtype) {
    if (dtype == MX_DTYPE_COUNT) {
        return mx_zeros_like(a);
    }
    return mx_zeros(mx_shape(a), mx_ndim(a), dtype);
}

mx_array cmlx_op_ones_like(mx_array a, mx_dtype dtype) {
    if (dtype == MX_DTYPE_COUNT) {
        return mx_ones_like(a);
    }
    return mx_ones(mx_shape(a), mx_ndim(a), dtype);
}

mx_array cmlx_op_full_like(mx_array a, mx_array vals, mx_dtype dtype) {
    if (!mx_is_valid(a)) {
        return mx_copy(a); /* the error (or handle) status of `a` */
    }
    mx_scope scope = mx_scope_begin();
    SCOPED_RESULT(scope, mx_full_array(mx_shape(a), mx_ndim(a), mx_astype(vals, dtype_or(dtype, a))));
}

mx_array cmlx_op_tri(int64_t n, int64_t m, int k, mx_dtype dtype) {
    /* MLX: arange(n)[:, None] >= arange(-k, m - k)[None, :], as dtype. */
    if (m < 0) {
        m = n;
    }
    if (dtype == MX_DTYPE_COUNT) {
        dtype = MX_FLOAT32;
    }
    mx_scope scope = mx_scope_begin();
    int one = 1, zero = 0;
    mx_array rows = mx_expand_dims(mx_arange(0.0, (double)n, 1.0, MX_INT32), &one, 1);
    mx_array cols = mx_expand_dims(mx_arange((double)-k, (double)(m - k), 1.0, MX_INT32), &zero, 1);
    SCOPED_RESULT(scope, mx_astype(mx_greater_equal(rows, cols), dtype));
}

static mx_array triangle(mx_array x, int k, bool lower, const char *name) {
    int ndim = mx_ndim(x);
    if (ndim < 0) {
        return mx_copy(x);
    }
    if (ndim < 2) {
        PyErr_Format(PyExc_ValueError, "[%s] array must be at least 2-D", name);
        return MX_NULL_ARRAY;
    }
    const int64_t *shape = mx_shape(x);
    mx_scope scope = mx_scope_begin();
    mx_array mask = cmlx_op_tri(shape[ndim - 2], shape[ndim - 1], lower ? k : k - 1, MX_BOOL);
    mx_array zeros = mx_zeros_like(x);
    SCOPED_RESULT(scope, lower ? mx_where(mask, x, zeros) : mx_where(mask, zeros, x));
}

mx_array cmlx_op_tril(mx_array x, int k) { return triangle(x, k, true, "tril"); }
mx_array cmlx_op_triu(mx_array x, int k) { return triangle(x, k, false, "triu"); }

/* axis=None: MLX flattens every input first. */
static mx_array join(const mx_array *arrays, int n, int axis, bool stack) {
    if (axis != CMLX_AXIS_NONE) {
        return stack ? mx_stack(arrays, n, axis) : mx_concatenate(arrays, n, axis);
    }
    mx_array *flat = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(mx_array));
    if (flat == NULL) {
        PyErr_NoMemory();
        return MX_NULL_ARRAY;
    }
    mx_scope scope = mx_scope_begin();
    for (int i = 0; i < n; i++) {
        flat[i] = mx_flatten(arrays[i], 0, -1);
    }
    mx_array out = stack ? mx_stack(flat, n, 0) : mx_concatenate(flat, n, 0);
    PyMem_Free(flat);
    SCOPED_RESULT(scope, out);
}

mx_array cmlx_op_concatenate(const mx_array *arrays, int n, int axis) { return join(arrays, n, axis, false); }
mx_array cmlx_op_stack(const mx_array *arrays, int n, int axis) { return join(arrays, n, axis, true); }

mx_array cmlx_op_take_along_axis(mx_array a, mx_array indices, int axis) {
    if (axis != CMLX_AXIS_NONE) {
        return mx_take_along_axis(a, indices, axis);
    }
    mx_scope scope = mx_scope_begin();
    SCOPED_RESULT(scope, mx_take_along_axis(mx_flatten(a, 0, -1), mx_flatten(indices, 0, -1), 0));
}

mx_array cmlx_op_moveaxis(mx_array a, int source, int destination) {
    int ndim = mx_ndim(a);
    if (ndim < 0) {
        return mx_copy(a);
    }
    int src = source < 0 ? source + ndim : source;
    int dst = destination < 0 ? destination + ndim : destination;
    if (src < 0 || src >= ndim || dst < 0 || dst >= ndim) {
        PyErr_Format(PyExc_IndexError, "[moveaxis] Invalid axis %d for array with %d dimensions.",
                     (src < 0 || src >= ndim) ? source : destination, ndim);
        return MX_NULL_ARRAY;
    }
    int perm[MX_MAX_NDIM];
    int rest = 0;
    for (int i = 0; i < ndim; i++) {
        if (i != src) {
            perm[rest++] = i;
        }
    }
    memmove(perm + dst + 1, perm + dst, (size_t)(ndim - 1 - dst) * sizeof(int));
    perm[dst] = src;
    return mx_transpose(a, perm, ndim);
}

mx_array cmlx_op_unflatten(mx_array a, int axis, const int64_t *shape, int ndim) {
    int a_ndim = mx_ndim(a);
    if (a_ndim < 0) {
        return mx_copy(a);
    }
    int ax = axis < 0 ? axis + a_ndim : axis;
    if (ax < 0 || ax >= a_ndim) {
        PyErr_Format(PyExc_IndexError, "[unflatten] Invalid axes %d for array with %d dimensions.", axis, a_ndim);
        return MX_NULL_ARRAY;
    }
    if (ndim == 0) {
        PyErr_SetString(PyExc_ValueError, "[unflatten] Shape to unflatten to cannot be empty.");
        return MX_NULL_ARRAY;
    }
    if (a_ndim - 1 + ndim > MX_MAX_NDIM) {
        PyErr_SetString(PyExc_ValueError, "[unflatten] too many dimensions");
        return MX_NULL_ARRAY;
    }
    /* The -1 (if any) stands for this axis's size over the other entries, as MLX infers it. */
    const int64_t *a_shape = mx_shape(a);
    int64_t new_shape[MX_MAX_NDIM];
    int n = 0;
    for (int i = 0; i < ax; i++) {
        new_shape[n++] = a_shape[i];
    }
    for (int i = 0; i < ndim; i++) {
        new_shape[n++] = shape[i];
    }
    for (int i = ax + 1; i < a_ndim; i++) {
        new_shape[n++] = a_shape[i];
    }
    return mx_reshape(a, new_shape, n);
}

mx_array cmlx_op_outer(mx_array a, mx_array b) {
    int64_t size = mx_size(a);
    if (size < 0) {
        return mx_copy(a);
    }
    int64_t column[2] = {size, 1};
    mx_scope scope = mx_scope_begin();
    SCOPED_RESULT(scope, mx_multiply(mx_reshape(a, column, 2), mx_flatten(b, 0, -1)));
}

mx_array cmlx_op_isposinf(mx_array a) {
    mx_scope scope = mx_scope_begin();
    SCOPED_RESULT(scope, mx_logical_and(mx_isinf(a), mx_greater(a, mx_zeros_like(a))));
}

mx_array cmlx_op_isneginf(mx_array a) {
    mx_scope scope = mx_scope_begin();
    SCOPED_RESULT(scope, mx_logical_and(mx_isinf(a), mx_less(a, mx_zeros_like(a))));
}

mx_array cmlx_op_isclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan) {
    /* MLX: |a - b| <= atol + rtol * |b|, false where either is infinite unless both
     * are the same infinity, and NaN == NaN when equal_nan. */
    mx_scope scope = mx_scope_begin();
    mx_array rhs = mx_add(mx_scalar_f32((float)atol), mx_multiply(mx_scalar_f32((float)rtol), mx_abs(b)));
    mx_array out = mx_less_equal(mx_abs(mx_subtract(a, b)), rhs);
    mx_array any_inf = mx_logical_or(mx_isinf(a), mx_isinf(b));
    mx_array both_inf = mx_logical_or(mx_logical_and(cmlx_op_isposinf(a), cmlx_op_isposinf(b)),
                                      mx_logical_and(cmlx_op_isneginf(a), cmlx_op_isneginf(b)));
    out = mx_logical_or(mx_logical_and(out, mx_logical_not(any_inf)), both_inf);
    if (equal_nan) {
        out = mx_logical_or(out, mx_logical_and(mx_isnan(a), mx_isnan(b)));
    }
    SCOPED_RESULT(scope, out);
}

mx_array cmlx_op_allclose(mx_array a, mx_array b, double rtol, double atol, bool equal_nan) {
    mx_scope scope = mx_scope_begin();
    SCOPED_RESULT(scope, mx_all(cmlx_op_isclose(a, b, rtol, atol, equal_nan), false));
}

mx_array cmlx_op_array_equal(mx_array a, mx_array b, bool equal_nan) {
    int ndim_a = mx_ndim(a), ndim_b = mx_ndim(b);
    if (ndim_a < 0) {
        return mx_copy(a);
    }
    if (ndim_b < 0) {
        return mx_copy(b);
    }
    if (ndim_a != ndim_b || (ndim_a > 0 && memcmp(mx_shape(a), mx_shape(b), (size_t)ndim_a * sizeof(int64_t)) != 0)) {
        return mx_scalar_bool(false);
    }
    mx_scope scope = mx_scope_begin();
    mx_array eq = mx_equal(a, b);
    if (equal_nan) {
        eq = mx_logical_or(eq, mx_logical_and(mx_isnan(a), mx_isnan(b)));
    }
    SCOPED_RESULT(scope, mx_all(eq, false));
}

mx_array cmlx_op_addmm(mx_array c, mx_array a, mx_array b, double alpha, double beta) {
    /* alpha * (a @ b) + beta * c, the scalars in the product's dtype (MLX). */
    mx_scope scope = mx_scope_begin();
    mx_array ab = mx_matmul(a, b);
    mx_dtype dtype = mx_array_dtype(ab);
    if (dtype == MX_DTYPE_COUNT) {
        SCOPED_RESULT(scope, ab);
    }
    if (alpha != 1.0) {
        ab = mx_multiply(mx_scalar(alpha, dtype), ab);
    }
    mx_array cc = beta != 1.0 ? mx_multiply(mx_scalar(beta, dtype), c) : c;
    SCOPED_RESULT(scope, mx_add(ab, cc));
}

/* ---- compositions that take Python objects ------------------------------------- */
PyObject *cmlx_op_clip(PyObject *a, PyObject *a_min, PyObject *a_max) {
    if (a_min == Py_None && a_max == Py_None) {
        PyErr_SetString(PyExc_ValueError, "At most one of a_min and a_max may be None");
        return NULL;
    }
    mx_array x;
    if (!cmlx_to_array(a, &x)) {
        return NULL;
    }
    PyObject *bounds[2] = {a_min, a_max};
    for (int i = 0; i < 2; i++) {
        if (bounds[i] == Py_None) {
            continue;
        }
        /* The bound follows MLX's scalar rules against the (possibly clipped) array. */
        PyObject *x_obj = cmlx_array_from_handle(x);
        if (x_obj == NULL) {
            return NULL;
        }
        mx_array lhs, rhs;
        int ok = cmlx_binary_operands(x_obj, bounds[i], &lhs, &rhs);
        Py_DECREF(x_obj);
        if (!ok) {
            return NULL;
        }
        x = i == 0 ? mx_maximum(lhs, rhs) : mx_minimum(lhs, rhs);
        mx_free(lhs);
        mx_free(rhs);
    }
    return cmlx_array_from_handle(x);
}

static double float_max(mx_dtype dtype) {
    switch (dtype) {
    case MX_FLOAT16: return 65504.0;
    case MX_BFLOAT16: return 3.3895313892515355e38;
    case MX_FLOAT32: return 3.4028234663852886e38;
    default: return 1.7976931348623157e308;
    }
}

PyObject *cmlx_op_nan_to_num(PyObject *a, double nan, PyObject *posinf, PyObject *neginf) {
    mx_array x;
    if (!cmlx_to_array(a, &x)) {
        return NULL;
    }
    mx_dtype dtype = mx_array_dtype(x);
    if (!mx_dtype_is_float(dtype)) {
        return cmlx_array_from_handle(x); /* MLX returns non-float inputs unchanged */
    }
    double pos = float_max(dtype), neg = -float_max(dtype);
    if ((posinf != Py_None && !cmlx_parse_double(posinf, "nan_to_num", "posinf", &pos)) ||
        (neginf != Py_None && !cmlx_parse_double(neginf, "nan_to_num", "neginf", &neg))) {
        mx_free(x);
        return NULL;
    }
    mx_scope scope = mx_scope_begin();
    mx_array out = mx_where(mx_isnan(x), mx_scalar(nan, dtype), x);
    out = mx_where(cmlx_op_isposinf(x), mx_scalar(pos, dtype), out);
    out = mx_where(cmlx_op_isneginf(x), mx_scalar(neg, dtype), out);
    out = mx_scope_keep(scope, out);
    mx_scope_end(scope);
    mx_free(x);
    return cmlx_array_from_handle(out);
}

/* A Python list of `n` arrays (takes the handles; frees them all on failure). */
static PyObject *array_list(mx_array *parts, int n) {
    PyObject *list = PyList_New(n);
    if (list == NULL) {
        mx_free_n(parts, n);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        PyObject *item = cmlx_array_from_handle(parts[i]);
        if (item == NULL) {
            mx_free_n(parts + i + 1, n - i - 1);
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

PyObject *cmlx_op_split(mx_array a, PyObject *indices_or_sections, int axis) {
    if (PyIndex_Check(indices_or_sections)) {
        int num;
        if (!cmlx_parse_int(indices_or_sections, "split", "indices_or_sections", &num)) {
            return NULL;
        }
        if (num <= 0) {
            PyErr_Format(PyExc_ValueError, "[split] Invalid number of splits %d.", num);
            return NULL;
        }
        mx_array *parts = PyMem_Calloc((size_t)num, sizeof(mx_array));
        if (parts == NULL) {
            return PyErr_NoMemory();
        }
        mx_status st = mx_split(a, num, axis, parts);
        PyObject *result = st == MX_OK ? array_list(parts, num) : cmlx_raise(st);
        PyMem_Free(parts);
        return result;
    }
    PyObject *seq = PySequence_Check(indices_or_sections) ? PySequence_Fast(indices_or_sections, "") : NULL;
    if (seq == NULL) {
        PyErr_Clear();
        return PyErr_Format(PyExc_TypeError,
                            "split(): argument 'indices_or_sections' must be an int or a sequence of ints, not %s",
                            Py_TYPE(indices_or_sections)->tp_name);
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    int64_t *indices = PyMem_Calloc((size_t)n + 1, sizeof(int64_t));
    mx_array *parts = PyMem_Calloc((size_t)n + 1, sizeof(mx_array));
    PyObject *result = NULL;
    if (indices == NULL || parts == NULL || n >= INT_MAX) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!cmlx_parse_int64(PySequence_Fast_GET_ITEM(seq, i), "split", "indices_or_sections", &indices[i])) {
            goto done;
        }
    }
    mx_status st = mx_split_at(a, indices, (int)n, axis, parts);
    result = st == MX_OK ? array_list(parts, (int)n + 1) : cmlx_raise(st);
done:
    Py_DECREF(seq);
    PyMem_Free(indices);
    PyMem_Free(parts);
    return result;
}

PyObject *cmlx_op_divmod(mx_array a, mx_array b) {
    mx_array parts[2] = {mx_floor_divide(a, b), mx_remainder(a, b)};
    return array_list(parts, 2);
}

mx_array cmlx_op_random_normal(const int64_t *shape, int ndim, mx_dtype dtype, PyObject *loc, PyObject *scale,
                               mx_array key) {
    if (dtype == MX_DTYPE_COUNT) {
        dtype = MX_FLOAT32;
    }
    bool loc_scalar = loc == Py_None || PyFloat_Check(loc) || PyLong_Check(loc);
    bool scale_scalar = scale == Py_None || PyFloat_Check(scale) || PyLong_Check(scale);
    if (loc_scalar && scale_scalar) {
        double loc_value = 0.0, scale_value = 1.0;
        if ((loc != Py_None && !cmlx_parse_double(loc, "normal", "loc", &loc_value)) ||
            (scale != Py_None && !cmlx_parse_double(scale, "normal", "scale", &scale_value))) {
            return MX_NULL_ARRAY;
        }
        return mx_random_normal(shape, ndim, dtype, loc_value, scale_value, key);
    }
    /* Array loc/scale: MLX scales, then shifts, the standard samples, with loc and
     * scale cast to the samples' dtype. */
    mx_array loc_array = MX_NULL_ARRAY, scale_array = MX_NULL_ARRAY;
    if ((loc != Py_None && !cmlx_to_array(loc, &loc_array)) ||
        (scale != Py_None && !cmlx_to_array(scale, &scale_array))) {
        mx_free(loc_array);
        return MX_NULL_ARRAY;
    }
    mx_scope scope = mx_scope_begin();
    mx_array out = mx_random_normal(shape, ndim, dtype, 0.0, 1.0, key);
    if (scale != Py_None) {
        out = mx_multiply(mx_astype(scale_array, dtype), out);
    }
    if (loc != Py_None) {
        out = mx_add(mx_astype(loc_array, dtype), out);
    }
    out = mx_scope_keep(scope, out);
    mx_scope_end(scope);
    mx_free(loc_array);
    mx_free(scale_array);
    return out;
}
