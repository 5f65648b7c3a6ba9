/* python/src/format.c - repr/str of arrays in MLX's format:
 *   array([[1, 2],
 *          [3, 4]], dtype=int32)
 * Numbers print as C++ streams do (%g, 6 significant digits); an axis longer
 * than 6 shows its first and last 3 entries around "...". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmlx_py.h"

#define EDGE_ITEMS 3

typedef struct {
    char *text;
    size_t length, capacity;
    int failed;
} text_buffer;

static void append(text_buffer *b, const char *s, size_t n) {
    if (b->failed)
        return;
    if (b->length + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 256;
        while (b->length + n + 1 > capacity)
            capacity *= 2;
        char *grown = PyMem_Realloc(b->text, capacity);
        if (grown == NULL) {
            b->failed = 1;
            return;
        }
        b->text = grown;
        b->capacity = capacity;
    }
    memcpy(b->text + b->length, s, n);
    b->length += n;
    b->text[b->length] = '\0';
}

static void append_str(text_buffer *b, const char *s) { append(b, s, strlen(s)); }

static void append_spaces(text_buffer *b, int n) {
    for (int i = 0; i < n; i++)
        append(b, " ", 1);
}

/* The element storage the printer reads: every dtype is copied to one of these. */
static mx_dtype print_dtype(mx_dtype dtype) {
    if (dtype == MX_BOOL || dtype == MX_COMPLEX64 || dtype == MX_UINT64 || dtype == MX_FLOAT64)
        return dtype;
    if (mx_dtype_is_float(dtype))
        return MX_FLOAT32;
    return MX_INT64; /* other integers */
}

static void append_value(text_buffer *b, const char *data, int64_t index, mx_dtype storage) {
    char s[96];
    switch (storage) {
    case MX_BOOL: append_str(b, data[index] ? "True" : "False"); return;
    case MX_UINT64: {
        uint64_t v;
        memcpy(&v, data + 8 * index, 8);
        snprintf(s, sizeof s, "%llu", (unsigned long long)v);
        break;
    }
    case MX_INT64: {
        int64_t v;
        memcpy(&v, data + 8 * index, 8);
        snprintf(s, sizeof s, "%lld", (long long)v);
        break;
    }
    case MX_FLOAT32: {
        float v;
        memcpy(&v, data + 4 * index, 4);
        snprintf(s, sizeof s, "%g", (double)v);
        break;
    }
    case MX_FLOAT64: {
        double v;
        memcpy(&v, data + 8 * index, 8);
        snprintf(s, sizeof s, "%g", v);
        break;
    }
    default: { /* complex64 */
        float v[2];
        memcpy(v, data + 8 * index, 8);
        snprintf(s, sizeof s, "%g%s%gj", (double)v[0], v[1] >= 0 ? "+" : "-", fabs((double)v[1]));
    }
    }
    append_str(b, s);
}

static void append_subarray(text_buffer *b, const char *data, const int64_t *shape, const int64_t *strides, int ndim,
                            int dim, int64_t index, mx_dtype storage) {
    int64_t n = shape[dim];
    int is_last = dim == ndim - 1;
    append(b, "[", 1);
    for (int64_t i = 0; i < n; i++) {
        if (i > 0 && !is_last)
            append_spaces(b, 7 + dim);
        if (i == EDGE_ITEMS && n > 2 * EDGE_ITEMS) {
            append(b, "...", 3);
            i = n - EDGE_ITEMS - 1;
        } else if (is_last) {
            append_value(b, data, index + i * strides[dim], storage);
        } else {
            append_subarray(b, data, shape, strides, ndim, dim + 1, index + i * strides[dim], storage);
        }
        if (i != n - 1)
            append_str(b, is_last ? ", " : ",\n");
    }
    append(b, "]", 1);
}

PyObject *cmlx_array_format(mx_array a) {
    mx_status st = cmlx_eval_nogil(&a, 1);
    if (st != MX_OK)
        return cmlx_raise(st);
    mx_dtype dtype = mx_array_dtype(a);
    mx_dtype storage = print_dtype(dtype);
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    int64_t size = mx_size(a);
    size_t capacity = (size_t)(size > 0 ? size : 1) * mx_dtype_size(storage);
    char *data = PyMem_Malloc(capacity);
    if (data == NULL)
        return PyErr_NoMemory();
    if (size > 0 && (st = mx_copy_to(a, data, capacity, storage)) != MX_OK) {
        PyMem_Free(data);
        return cmlx_raise(st);
    }
    int64_t strides[MX_MAX_NDIM];
    int64_t stride = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        strides[d] = stride;
        stride *= shape[d];
    }
    text_buffer b = {0};
    append_str(&b, "array(");
    if (ndim == 0)
        append_value(&b, data, 0, storage);
    else
        append_subarray(&b, data, shape, strides, ndim, 0, 0, storage);
    append_str(&b, ", dtype=");
    append_str(&b, mx_dtype_name(dtype));
    append_str(&b, ")");
    PyMem_Free(data);
    if (b.failed) {
        PyMem_Free(b.text);
        return PyErr_NoMemory();
    }
    PyObject *result = PyUnicode_FromStringAndSize(b.text, (Py_ssize_t)b.length);
    PyMem_Free(b.text);
    return result;
}
