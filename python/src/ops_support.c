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
    if (nargs > sig->npositional && sig->vararg < 0) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %d positional argument%s (%zd given)", sig->name,
                     sig->npositional, sig->npositional == 1 ? "" : "s", nargs);
        return 0;
    }
    Py_ssize_t npositional = nargs < sig->npositional ? nargs : sig->npositional;
    for (Py_ssize_t i = 0; i < npositional; i++) {
        out[i] = args[i];
    }
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t j = 0; j < nkw; j++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, j);
        int i = find_param(sig, key);
        if (i == sig->vararg) {
            i = -1;
        }
        if (i < 0 || i < sig->npositional_only) {
            if (i < 0) {
                PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", sig->name, key);
            } else {
                PyErr_Format(PyExc_TypeError,
                             "%s() got some positional-only arguments passed as keyword arguments: '%U'", sig->name,
                             key);
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
    if (sig->vararg >= 0) {
        Py_ssize_t nextra = nargs - npositional;
        out[sig->vararg] = PyTuple_New(nextra);
        if (out[sig->vararg] == NULL) {
            return 0;
        }
        for (Py_ssize_t i = 0; i < nextra; i++) {
            PyTuple_SET_ITEM(out[sig->vararg], i, Py_NewRef(args[npositional + i]));
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
        /* MLX's dimensions are C ints */
        if (values[i] < INT_MIN || values[i] > INT_MAX) {
            PyErr_Format(PyExc_OverflowError, "Integer value %lld is outside the supported range [%d, %d].", values[i],
                         INT_MIN, INT_MAX);
            return 0;
        }
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
    /* MLX: t = i / num, (1 - t) * start + t * stop, in float32 (float64 for float64), then astype. */
    mx_dtype compute = dtype == MX_FLOAT64 ? MX_FLOAT64 : MX_FLOAT32;
    mx_scope scope = mx_scope_begin();
    mx_array t = mx_divide(mx_arange(0.0, (double)num, 1.0, compute), mx_scalar((double)num, compute));
    mx_array t_bar = mx_subtract(mx_scalar(1.0, compute), t);
    mx_array out = mx_add(mx_multiply(t_bar, mx_scalar(start, compute)), mx_multiply(t, mx_scalar(stop, compute)));
    SCOPED_RESULT(scope, mx_astype(out, dtype));
}

/* A Python int as a 0-d array of integer dtype `dtype`, refusing values out of
 * its range as MLX does ("Converting 300 to uint8 would result in overflow."). */
static int int_to_dtype(PyObject *obj, mx_dtype dtype, mx_array *out) {
    static const struct {
        long long min;
        unsigned long long max;
    } ranges[MX_DTYPE_COUNT] = {
        [MX_UINT8] = {0, UINT8_MAX},           [MX_UINT16] = {0, UINT16_MAX},       [MX_UINT32] = {0, UINT32_MAX},
        [MX_UINT64] = {INT64_MIN, UINT64_MAX}, /* MLX wraps negative ints to uint64 */
        [MX_INT8] = {INT8_MIN, INT8_MAX},      [MX_INT16] = {INT16_MIN, INT16_MAX}, [MX_INT32] = {INT32_MIN, INT32_MAX},
        [MX_INT64] = {INT64_MIN, INT64_MAX},
    };
    int overflow = 0;
    long long value = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (value == -1 && PyErr_Occurred()) {
        return 0;
    }
    unsigned long long big = 0;
    if (overflow > 0) {
        big = PyLong_AsUnsignedLongLong(obj);
        if (big == (unsigned long long)-1 && PyErr_Occurred()) {
            PyErr_Clear();
            overflow = 2;
        }
    }
    bool fits = overflow == 0
                    ? (value >= ranges[dtype].min && (value < 0 || (unsigned long long)value <= ranges[dtype].max))
                    : overflow == 1 && dtype == MX_UINT64;
    if (!fits) {
        PyErr_Format(PyExc_ValueError, "Converting %S to %s would result in overflow.", obj, mx_dtype_name(dtype));
        return 0;
    }
    mx_array exact =
        overflow ? mx_array_from_data(&big, NULL, 0, MX_UINT64) : mx_array_from_data(&value, NULL, 0, MX_INT64);
    *out = mx_astype(exact, dtype);
    mx_free(exact);
    return 1;
}

/* MLX converts a fill value with `dtype` as a hint: a Python int or bool becomes
 * dtype (ints range-checked for integer dtypes), a float becomes dtype if that is
 * a float type (else float32); an array keeps its own dtype. */
static int fill_value(PyObject *vals, mx_dtype dtype, const char *fname, mx_array *out) {
    bool is_int = PyLong_Check(vals), is_float = PyFloat_Check(vals);
    if (dtype == MX_DTYPE_COUNT || !(is_int || is_float)) {
        return cmlx_to_array(vals, out);
    }
    if (is_int && !PyBool_Check(vals) && mx_dtype_is_integer(dtype)) {
        return int_to_dtype(vals, dtype, out);
    }
    double value;
    if (!cmlx_parse_double(vals, fname, "vals", &value)) {
        return 0;
    }
    *out = mx_scalar(value, is_int || mx_dtype_is_float(dtype) || dtype == MX_COMPLEX64 ? dtype : MX_FLOAT32);
    return 1;
}

mx_array cmlx_op_full(const int64_t *shape, int ndim, PyObject *vals, mx_dtype dtype) {
    mx_array v;
    if (!fill_value(vals, dtype, "full", &v)) {
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

mx_array cmlx_op_full_like(mx_array a, PyObject *vals, mx_dtype dtype) {
    if (!mx_is_valid(a)) {
        return mx_copy(a); /* the error (or handle) status of `a` */
    }
    /* MLX: full(a.shape, vals converted with dtype (or a's dtype) as the hint), then that dtype */
    mx_dtype target = dtype_or(dtype, a);
    mx_array v;
    if (!fill_value(vals, target, "full_like", &v)) {
        return MX_NULL_ARRAY;
    }
    mx_scope scope = mx_scope_begin();
    mx_array out = mx_full_array(mx_shape(a), mx_ndim(a), mx_astype(v, target));
    out = mx_scope_keep(scope, out);
    mx_scope_end(scope);
    mx_free(v);
    return out;
}

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

/* ---- compositions that take Python objects ------------------------------------- */
PyObject *cmlx_op_clip(PyObject *a, PyObject *a_min, PyObject *a_max) {
    /* MLX converts each bound against `a` with its scalar rules, then mx_clip */
    mx_array x, bounds[2] = {MX_NULL_ARRAY, MX_NULL_ARRAY};
    if (!cmlx_to_array(a, &x)) {
        return NULL;
    }
    PyObject *objects[2] = {a_min, a_max};
    PyObject *x_obj = cmlx_array_from_handle(mx_retain(x));
    int ok = x_obj != NULL;
    for (int i = 0; ok && i < 2; i++) {
        mx_array lhs;
        if (objects[i] != Py_None && (ok = cmlx_binary_operands(x_obj, objects[i], &lhs, &bounds[i]))) {
            mx_free(lhs);
        }
    }
    Py_XDECREF(x_obj);
    PyObject *out = ok ? cmlx_array_from_handle(mx_clip(x, bounds[0], bounds[1])) : NULL;
    mx_free(x);
    mx_free_n(bounds, 2);
    return out;
}

PyObject *cmlx_op_nan_to_num(PyObject *a, double nan, PyObject *posinf, PyObject *neginf) {
    mx_array x;
    double pos, neg;
    if ((posinf != Py_None && !cmlx_parse_double(posinf, "nan_to_num", "posinf", &pos)) ||
        (neginf != Py_None && !cmlx_parse_double(neginf, "nan_to_num", "neginf", &neg)) || !cmlx_to_array(a, &x)) {
        return NULL;
    }
    mx_array out = mx_nan_to_num(x, nan, posinf != Py_None ? &pos : NULL, neginf != Py_None ? &neg : NULL);
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
    mx_array parts[2];
    mx_status st = mx_divmod(a, b, parts);
    return st == MX_OK ? array_list(parts, 2) : cmlx_raise(st);
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

/* ---- more compositions: aliases and array-API names of MLX ---------------------- */
mx_array cmlx_op_matrix_transpose(mx_array a) {
    int ndim = mx_ndim(a);
    if (ndim >= 0 && ndim < 2) {
        PyErr_SetString(PyExc_ValueError, "[matrix_transpose] Input array must have at least 2 dimensions.");
        return MX_NULL_ARRAY;
    }
    return mx_swapaxes(a, -1, -2);
}

/* axes: an int n (the last n of a with the first n of b) or two sequences. */
PyObject *cmlx_op_tensordot(mx_array a, mx_array b, PyObject *axes) {
    if (axes == Py_None || PyIndex_Check(axes)) {
        int count = 2;
        if (axes != Py_None && !cmlx_parse_int(axes, "tensordot", "axes", &count)) {
            return NULL;
        }
        return cmlx_array_from_handle(mx_tensordot(a, b, count));
    }
    PyObject *pair = PySequence_Check(axes) ? PySequence_Fast(axes, "") : NULL;
    if (pair == NULL || PySequence_Fast_GET_SIZE(pair) != 2) {
        Py_XDECREF(pair);
        PyErr_Clear();
        return PyErr_Format(PyExc_TypeError, "tensordot(): argument 'axes' must be an int or two sequences of ints");
    }
    cmlx_axes lists[2];
    int ok = cmlx_parse_axes(PySequence_Fast_GET_ITEM(pair, 0), "tensordot", "axes", &lists[0]) &&
             cmlx_parse_axes(PySequence_Fast_GET_ITEM(pair, 1), "tensordot", "axes", &lists[1]);
    Py_DECREF(pair);
    if (!ok) {
        return NULL;
    }
    return cmlx_array_from_handle(mx_tensordot_axes(a, b, lists[0].v, lists[0].n, lists[1].v, lists[1].n));
}

PyObject *cmlx_op_roll(mx_array a, PyObject *shift, PyObject *axis) {
    /* MLX's overloads: shifts add up over the flattened array (axis None) or
     * along one axis; with axes, an int shift applies to each, a tuple needs
     * one shift per axis */
    cmlx_axes shifts, axes;
    if (!cmlx_parse_axes(shift, "roll", "shift", &shifts) || !cmlx_parse_axes(axis, "roll", "axis", &axes)) {
        return NULL;
    }
    if (shifts.kind == CMLX_AXES_NONE) {
        return PyErr_Format(PyExc_TypeError, "roll(): argument 'shift' must be an int or a tuple of ints");
    }
    int64_t values[MX_MAX_NDIM], total = 0;
    for (int i = 0; i < shifts.n; i++) {
        values[i] = shifts.v[i];
        total += shifts.v[i];
    }
    if (axes.kind == CMLX_AXES_NONE) {
        return cmlx_array_from_handle(mx_roll(a, total));
    }
    if (axes.kind == CMLX_AXES_ONE) {
        return cmlx_array_from_handle(mx_roll_axis(a, total, axes.v[0]));
    }
    if (shifts.kind == CMLX_AXES_ONE) {
        for (int i = 0; i < axes.n; i++) {
            values[i] = shifts.v[0];
        }
        shifts.n = axes.n;
    }
    return cmlx_array_from_handle(mx_roll_axes(a, values, shifts.n, axes.v, axes.n));
}

PyObject *cmlx_op_unstack(mx_array x, int axis) {
    int ndim = mx_ndim(x);
    int ax = axis < 0 ? axis + ndim : axis;
    int64_t n = ndim > 0 && ax >= 0 && ax < ndim ? mx_shape(x)[ax] : 0;
    mx_array *parts = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(mx_array));
    if (parts == NULL) {
        return PyErr_NoMemory();
    }
    mx_status st = mx_unstack(x, axis, parts);
    PyObject *tuple = st == MX_OK ? PyTuple_New((Py_ssize_t)n) : cmlx_raise(st);
    for (int64_t i = 0; st == MX_OK && i < n; i++) {
        PyObject *item = tuple ? cmlx_array_from_handle(parts[i]) : NULL;
        if (item == NULL) {
            if (tuple == NULL) {
                mx_free(parts[i]);
                continue;
            }
            mx_free_n(parts + i + 1, (int)(n - i - 1));
            Py_CLEAR(tuple);
            break;
        }
        PyTuple_SET_ITEM(tuple, (Py_ssize_t)i, item);
    }
    PyMem_Free(parts);
    return tuple;
}

/* ---- random compositions (MLX's formulas, so the same key gives the same values) ---- */
mx_array cmlx_op_random_bernoulli(PyObject *p, PyObject *shape, mx_array key) {
    mx_array prob = MX_NULL_ARRAY;
    if (p != Py_None && !cmlx_to_array(p, &prob)) {
        return MX_NULL_ARRAY;
    }
    cmlx_shape s = {.n = -1};
    if (shape != Py_None && !cmlx_parse_shape(shape, "bernoulli", "shape", &s)) {
        mx_free(prob);
        return MX_NULL_ARRAY;
    }
    mx_array out = mx_random_bernoulli(prob, s.v, s.n, key);
    mx_free(prob);
    return out;
}

mx_array cmlx_op_random_randint(mx_array low, mx_array high, const int64_t *shape, int ndim, mx_dtype dtype,
                                mx_array key) {
    return mx_random_randint(low, high, shape, ndim, dtype == MX_DTYPE_COUNT ? MX_INT32 : dtype, key);
}

mx_array cmlx_op_random_gumbel(const int64_t *shape, int ndim, mx_dtype dtype, mx_array key) {
    return mx_random_gumbel(shape, ndim, dtype == MX_DTYPE_COUNT ? MX_FLOAT32 : dtype, key);
}

mx_array cmlx_op_random_laplace(const int64_t *shape, int ndim, mx_dtype dtype, double loc, double scale,
                                mx_array key) {
    return mx_random_laplace(shape, ndim, dtype == MX_DTYPE_COUNT ? MX_FLOAT32 : dtype, loc, scale, key);
}

mx_array cmlx_op_random_truncated_normal(mx_array lower, mx_array upper, PyObject *shape, mx_dtype dtype,
                                         mx_array key) {
    cmlx_shape s = {.n = -1};
    if (shape != Py_None && !cmlx_parse_shape(shape, "truncated_normal", "shape", &s)) {
        return MX_NULL_ARRAY;
    }
    return mx_random_truncated_normal(lower, upper, s.v, s.n, dtype == MX_DTYPE_COUNT ? MX_FLOAT32 : dtype, key);
}

/* ---- functions of several arrays (*args) ------------------------------------------- */
/* MLX's atleast_Nd: one array back for one argument, else a list. */
static PyObject *one_or_list(mx_array *results, int n) {
    if (n == 1) {
        return cmlx_array_from_handle(results[0]);
    }
    return array_list(results, n);
}

static PyObject *atleast(const mx_array *arys, int n, mx_array (*fn)(mx_array)) {
    mx_array *results = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(mx_array));
    if (results == NULL) {
        return PyErr_NoMemory();
    }
    for (int i = 0; i < n; i++) {
        results[i] = fn(arys[i]);
    }
    PyObject *out = one_or_list(results, n);
    PyMem_Free(results);
    return out;
}

PyObject *cmlx_op_atleast_1d(const mx_array *arys, int n) { return atleast(arys, n, mx_atleast_1d); }
PyObject *cmlx_op_atleast_2d(const mx_array *arys, int n) { return atleast(arys, n, mx_atleast_2d); }
PyObject *cmlx_op_atleast_3d(const mx_array *arys, int n) { return atleast(arys, n, mx_atleast_3d); }

PyObject *cmlx_op_broadcast_arrays(const mx_array *arrays, int n) {
    mx_array *results = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(mx_array));
    if (results == NULL) {
        return PyErr_NoMemory();
    }
    mx_status st = mx_broadcast_arrays(arrays, n, results);
    PyObject *out = st == MX_OK ? array_list(results, n) : cmlx_raise(st);
    PyMem_Free(results);
    return out;
}

PyObject *cmlx_op_meshgrid(const mx_array *arrays, int n, bool sparse, PyObject *indexing) {
    const char *text = "xy";
    if (indexing != Py_None) {
        text = PyUnicode_Check(indexing) ? PyUnicode_AsUTF8(indexing) : NULL;
        if (text == NULL) {
            PyErr_Clear();
            return PyErr_Format(PyExc_ValueError, "[meshgrid] Invalid indexing value. Valid values are 'xy' and 'ij'.");
        }
    }
    mx_array *results = PyMem_Calloc(n > 0 ? (size_t)n : 1, sizeof(mx_array));
    if (results == NULL) {
        return PyErr_NoMemory();
    }
    mx_status st = mx_meshgrid(arrays, n, sparse, text, results);
    PyObject *list = st == MX_OK ? array_list(results, n) : cmlx_raise(st);
    PyMem_Free(results);
    if (list == NULL) {
        return NULL;
    }
    PyObject *tuple = PyList_AsTuple(list);
    Py_DECREF(list);
    return tuple;
}

/* pad_width as (before, after) per axis: an int, (w,), (before, after), or one pair per axis. */
static int parse_pad_width(PyObject *obj, int ndim, int64_t (*widths)[2]) {
    long long flat[2 * MX_MAX_NDIM];
    int count = 0;
    if (PyIndex_Check(obj)) {
        if (!to_long_long(obj, "pad", "pad_width", &flat[0])) {
            return 0;
        }
        flat[1] = flat[0];
        count = 1;
    } else {
        PyObject *seq = PySequence_Check(obj) ? PySequence_Fast(obj, "") : NULL;
        if (seq == NULL) {
            PyErr_Clear();
            return type_error("pad", "pad_width", "an int, a pair or a list of pairs", obj);
        }
        Py_ssize_t len = PySequence_Fast_GET_SIZE(seq);
        bool pairs = len > 0 && !PyIndex_Check(PySequence_Fast_GET_ITEM(seq, 0));
        int ok = 1;
        if (!pairs) {
            ok = parse_int_sequence(obj, "pad", "pad_width", flat, 2, &count) && count > 0;
            if (ok && count == 1) {
                flat[1] = flat[0];
            }
            count = 1;
        } else if (len != ndim && len != 1) {
            PyErr_Format(PyExc_ValueError, "[pad] Invalid number of padding sizes passed to pad with axes of size %d",
                         ndim);
            ok = 0;
        } else {
            for (Py_ssize_t i = 0; ok && i < len; i++) {
                int n2 = 0;
                ok = parse_int_sequence(PySequence_Fast_GET_ITEM(seq, i), "pad", "pad_width", flat + 2 * i, 2, &n2);
                if (ok && n2 == 1) {
                    flat[2 * i + 1] = flat[2 * i];
                }
            }
            count = (int)len;
        }
        Py_DECREF(seq);
        if (!ok) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "[pad] Invalid pad_width");
            }
            return 0;
        }
    }
    for (int axis = 0; axis < ndim; axis++) {
        int i = count == 1 ? 0 : axis;
        widths[axis][0] = flat[2 * i];
        widths[axis][1] = flat[2 * i + 1];
        if (widths[axis][0] < 0 || widths[axis][1] < 0) {
            PyErr_SetString(PyExc_ValueError, "[pad] Invalid padding, all pad widths must be non-negative");
            return 0;
        }
    }
    return 1;
}

PyObject *cmlx_op_pad(mx_array a, PyObject *pad_width, PyObject *mode, mx_array constant_values) {
    int ndim = mx_ndim(a);
    if (ndim < 0) {
        return cmlx_array_from_handle(mx_copy(a));
    }
    const char *text = "constant";
    if (mode != Py_None) {
        text = PyUnicode_Check(mode) ? PyUnicode_AsUTF8(mode) : NULL;
        if (text == NULL) {
            PyErr_Clear();
            return PyErr_Format(PyExc_ValueError, "Invalid padding mode (%R) passed to pad", mode);
        }
    }
    int64_t widths[MX_MAX_NDIM][2], low[MX_MAX_NDIM], high[MX_MAX_NDIM];
    int axes[MX_MAX_NDIM];
    if (!parse_pad_width(pad_width, ndim, widths)) {
        return NULL;
    }
    for (int i = 0; i < ndim; i++) {
        axes[i] = i;
        low[i] = widths[i][0];
        high[i] = widths[i][1];
    }
    return cmlx_array_from_handle(mx_pad(a, axes, ndim, low, high, constant_values, text));
}

mx_array cmlx_op_random_categorical(mx_array logits, int axis, PyObject *shape, PyObject *num_samples, mx_array key) {
    if (shape != Py_None && num_samples != Py_None) {
        PyErr_SetString(PyExc_ValueError, "[categorical] At most one of shape or num_samples can be specified.");
        return MX_NULL_ARRAY;
    }
    if (shape != Py_None) {
        cmlx_shape s;
        if (!cmlx_parse_shape(shape, "categorical", "shape", &s)) {
            return MX_NULL_ARRAY;
        }
        return mx_random_categorical_shape(logits, axis, s.v, s.n, key);
    }
    if (num_samples != Py_None) {
        int64_t n;
        if (!cmlx_parse_int64(num_samples, "categorical", "num_samples", &n)) {
            return MX_NULL_ARRAY;
        }
        return mx_random_categorical_samples(logits, axis, n, key);
    }
    return mx_random_categorical(logits, axis, key);
}
