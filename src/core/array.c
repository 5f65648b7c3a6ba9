/* core/array.c - the public array functions: creation from host data,
 * queries, data access. */
#include <stdlib.h>
#include <string.h>

#include "cmlx/array.h"
#include "core/backend.h"
#include "core/error.h"
#include "core/eval.h"
#include "core/handle.h"
#include "core/scalar.h"

static bool check_shape(const char *op, const int64_t *shape, int ndim, mx_dtype dtype, int64_t *size) {
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "%s: invalid dtype %d", op, (int)dtype);
        return false;
    }
    if (ndim < 0 || ndim > MX_MAX_NDIM || (ndim > 0 && !shape)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid rank %d", op, ndim);
        return false;
    }
    int64_t n = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0 || (shape[i] && n > INT64_MAX / 16 / shape[i])) {
            char s[MX_SHAPE_STR_CAP];
            mx_set_error(MX_ERROR_VALUE, "%s: invalid shape %s", op, mx_format_shape(shape, ndim, s, sizeof s));
            return false;
        }
        n *= shape[i];
    }
    *size = n;
    return true;
}

mx_array mx_array_from_data(const void *data, const int64_t *shape, int ndim, mx_dtype dtype) {
    int64_t size;
    if (!check_shape("array", shape, ndim, dtype, &size))
        return mx_handle_wrap(NULL);
    size_t nbytes = (size_t)size * mx_dtype_size(dtype);
    if (nbytes && !data) {
        mx_set_error(MX_ERROR_VALUE, "array: NULL data for %lld elements", (long long)size);
        return mx_handle_wrap(NULL);
    }
    mx_buffer *buf = mx_buffer_alloc(nbytes, "array");
    if (!buf)
        return mx_handle_wrap(NULL);
    if (nbytes)
        memcpy(buf->ptr, data, nbytes);
    return mx_handle_wrap(mx_node_new_evaluated(buf, shape, ndim, dtype));
}

mx_array mx_array_wrap(void *data, const int64_t *shape, int ndim, mx_dtype dtype, mx_deleter deleter, void *ctx) {
    int64_t size;
    if (!check_shape("array_wrap", shape, ndim, dtype, &size))
        return mx_handle_wrap(NULL);
    size_t nbytes = (size_t)size * mx_dtype_size(dtype);
    if (nbytes && !data) {
        mx_set_error(MX_ERROR_VALUE, "array_wrap: NULL data for %lld elements", (long long)size);
        return mx_handle_wrap(NULL);
    }
    mx_buffer *buf = mx_buffer_wrap(data, nbytes, deleter, ctx);
    if (!buf)
        return mx_handle_wrap(NULL);
    return mx_handle_wrap(mx_node_new_evaluated(buf, shape, ndim, dtype));
}

static mx_array scalar_of(mx_dtype dtype, const void *value) { return mx_array_from_data(value, NULL, 0, dtype); }

mx_array mx_scalar(double value, mx_dtype dtype) {
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "scalar: invalid dtype %d", (int)dtype);
        return mx_handle_wrap(NULL);
    }
    unsigned char bytes[16];
    mx_scalar_store_f64(bytes, dtype, value);
    return scalar_of(dtype, bytes);
}

mx_array mx_scalar_f32(float v) { return scalar_of(MX_FLOAT32, &v); }
mx_array mx_scalar_f64(double v) { return scalar_of(MX_FLOAT64, &v); }
mx_array mx_scalar_i32(int32_t v) { return scalar_of(MX_INT32, &v); }
mx_array mx_scalar_i64(int64_t v) { return scalar_of(MX_INT64, &v); }
mx_array mx_scalar_bool(bool v) { return scalar_of(MX_BOOL, &v); }

/* ---- queries ------------------------------------------------------------------ */

static mx_node *live(mx_array a) {
    mx_node *n = mx_handle_peek(a);
    return n && n->status == MX_OK ? n : NULL;
}

int mx_ndim(mx_array a) {
    mx_node *n = live(a);
    return n ? n->ndim : -1;
}

const int64_t *mx_shape(mx_array a) {
    mx_node *n = live(a);
    return n ? n->shape : NULL;
}

int64_t mx_dim(mx_array a, int axis) {
    mx_node *n = live(a);
    if (!n)
        return -1;
    int ax = axis < 0 ? axis + n->ndim : axis;
    if (ax < 0 || ax >= n->ndim) {
        mx_set_error(MX_ERROR_VALUE, "dim: axis %d is out of bounds for an array of rank %d", axis, n->ndim);
        return -1;
    }
    return n->shape[ax];
}

int64_t mx_size(mx_array a) {
    mx_node *n = live(a);
    return n ? n->size : -1;
}

mx_dtype mx_array_dtype(mx_array a) {
    mx_node *n = live(a);
    return n ? n->dtype : MX_DTYPE_COUNT;
}

size_t mx_itemsize(mx_array a) {
    mx_node *n = live(a);
    return n ? mx_dtype_size(n->dtype) : 0;
}

size_t mx_nbytes(mx_array a) {
    mx_node *n = live(a);
    return n ? (size_t)n->size * mx_dtype_size(n->dtype) : 0;
}

bool mx_is_evaluated(mx_array a) {
    mx_node *n = live(a);
    return n && mx_node_is_evaluated(n);
}

const int64_t *mx_strides(mx_array a) {
    mx_node *n = mx_handle_get(a, "strides");
    if (!n || mx_eval_nodes(&n, 1) != MX_OK)
        return NULL;
    return n->strides;
}

/* ---- data access ---------------------------------------------------------------- */

const void *mx_data(mx_array a) {
    mx_node *n = mx_handle_get(a, "data");
    if (!n || mx_node_make_contiguous(n) != MX_OK)
        return NULL;
    return n->size ? mx_node_data(n) : (const void *)n->buffer->ptr;
}

static const void *typed_data(mx_array a, mx_dtype want, const char *name) {
    mx_node *n = mx_handle_get(a, name);
    if (!n)
        return NULL;
    if (n->dtype != want) {
        mx_set_error(MX_ERROR_TYPE, "%s: the array's dtype is %s, not %s", name, mx_dtype_name(n->dtype),
                     mx_dtype_name(want));
        return NULL;
    }
    return mx_data(a);
}

const float *mx_data_f32(mx_array a) { return typed_data(a, MX_FLOAT32, "data_f32"); }
const double *mx_data_f64(mx_array a) { return typed_data(a, MX_FLOAT64, "data_f64"); }
const int32_t *mx_data_i32(mx_array a) { return typed_data(a, MX_INT32, "data_i32"); }
const int64_t *mx_data_i64(mx_array a) { return typed_data(a, MX_INT64, "data_i64"); }
const uint32_t *mx_data_u32(mx_array a) { return typed_data(a, MX_UINT32, "data_u32"); }
const bool *mx_data_bool(mx_array a) { return typed_data(a, MX_BOOL, "data_bool"); }

mx_status mx_copy_to(mx_array a, void *dst, size_t capacity, mx_dtype dtype) {
    mx_node *n = mx_handle_get(a, "copy_to");
    if (!n)
        return mx_last_status();
    if ((unsigned)dtype >= MX_DTYPE_COUNT)
        return mx_set_error(MX_ERROR_TYPE, "copy_to: invalid dtype %d", (int)dtype);
    size_t need = (size_t)n->size * mx_dtype_size(dtype);
    if (capacity < need)
        return mx_set_error(MX_ERROR_VALUE, "copy_to: destination holds %zu bytes, the array needs %zu", capacity,
                            need);
    if (mx_eval_nodes(&n, 1) != MX_OK)
        return mx_last_status();
    if (need == 0)
        return MX_OK;
    /* Let the backend's strided converting copy write straight into dst:
     * a temporary node of the requested dtype over the caller's memory. */
    mx_buffer *out_buf = mx_buffer_wrap(dst, need, NULL, NULL);
    if (!out_buf)
        return mx_last_status();
    mx_node *out = mx_node_new_evaluated(out_buf, n->shape, n->ndim, dtype);
    if (!out)
        return mx_last_status();
    mx_status st = mx_backend_cpu()->copy(out, n);
    mx_node_release(out);
    return st;
}

static mx_status item(mx_array a, void *out, mx_dtype dtype, const char *name) {
    mx_node *n = mx_handle_get(a, name);
    if (!n)
        return mx_last_status();
    if (n->size != 1) {
        char s[MX_SHAPE_STR_CAP];
        return mx_set_error(MX_ERROR_VALUE, "%s: only size-1 arrays have an item; the shape is %s", name,
                            mx_format_shape(n->shape, n->ndim, s, sizeof s));
    }
    return mx_copy_to(a, out, 8, dtype);
}

mx_status mx_item_f64(mx_array a, double *out) { return item(a, out, MX_FLOAT64, "item"); }
mx_status mx_item_i64(mx_array a, int64_t *out) { return item(a, out, MX_INT64, "item"); }
mx_status mx_item_f32(mx_array a, float *out) { return item(a, out, MX_FLOAT32, "item"); }
