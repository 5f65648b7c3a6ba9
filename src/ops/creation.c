/* ops/creation.c - arrays made from nothing: full (zeros, ones), arange,
 * linspace, eye. Lazy: the values are written when evaluated. */
#include <math.h>

#include "cmlx/ops.h"
#include "core/scalar.h"
#include "ops/ops.h"

const mx_op_def mx_op_full = {
    .name = "full", .id = MX_OP_full, .family = MX_FAMILY_CREATION, .params_size = sizeof(mx_full_params)};
const mx_op_def mx_op_arange = {
    .name = "arange", .id = MX_OP_arange, .family = MX_FAMILY_CREATION, .params_size = sizeof(mx_arange_params)};
const mx_op_def mx_op_linspace = {
    .name = "linspace", .id = MX_OP_linspace, .family = MX_FAMILY_CREATION, .params_size = sizeof(mx_linspace_params)};
const mx_op_def mx_op_eye = {
    .name = "eye", .id = MX_OP_eye, .family = MX_FAMILY_CREATION, .params_size = sizeof(mx_eye_params)};

static bool check_dtype(const char *op, mx_dtype dtype) {
    if ((unsigned)dtype >= MX_DTYPE_COUNT) {
        mx_set_error(MX_ERROR_TYPE, "%s: invalid dtype %d", op, (int)dtype);
        return false;
    }
    return true;
}

static bool check_shape(const char *op, const int64_t *shape, int ndim) {
    if (ndim < 0 || ndim > MX_MAX_NDIM || (ndim && !shape)) {
        mx_set_error(MX_ERROR_VALUE, "%s: invalid rank %d", op, ndim);
        return false;
    }
    return true;
}

mx_node *mx_node_full(const int64_t *shape, int ndim, double value, mx_dtype dtype) {
    if (!check_dtype("full", dtype) || !check_shape("full", shape, ndim))
        return NULL;
    mx_full_params p = {value, 0};
    if (!mx_dtype_is_float(dtype)) {
        unsigned char tmp[16];
        mx_scalar_store_f64(tmp, dtype, value);
        p.int_value = mx_scalar_load_i64(tmp, dtype);
    }
    return mx_node_new(&mx_op_full, &p, NULL, 0, shape, ndim, dtype);
}

mx_node *mx_node_scalar(double value, mx_dtype dtype) {
    mx_buffer *b = mx_buffer_alloc(mx_dtype_size(dtype), "scalar");
    if (!b)
        return NULL;
    mx_scalar_store_f64(b->ptr, dtype, value);
    return mx_node_new_evaluated(b, NULL, 0, dtype);
}

mx_array mx_zeros(const int64_t *shape, int ndim, mx_dtype dtype) {
    return mx_handle_wrap(mx_node_full(shape, ndim, 0.0, dtype));
}

mx_array mx_ones(const int64_t *shape, int ndim, mx_dtype dtype) {
    return mx_handle_wrap(mx_node_full(shape, ndim, 1.0, dtype));
}

mx_array mx_full(const int64_t *shape, int ndim, double value, mx_dtype dtype) {
    return mx_handle_wrap(mx_node_full(shape, ndim, value, dtype));
}

mx_array mx_full_array(const int64_t *shape, int ndim, mx_array vals) {
    mx_node *v = mx_handle_get(vals, "full");
    if (!v || !check_shape("full", shape, ndim))
        return mx_handle_wrap(NULL);
    mx_node *b = mx_node_broadcast_to(v, shape, ndim);
    if (!b)
        return mx_handle_wrap(NULL);
    /* full gives an array of its own, not a view of vals */
    mx_node *out = mx_node_new(&mx_op_copy, NULL, &b, 1, shape, ndim, v->dtype);
    mx_node_release(b);
    return mx_handle_wrap(out);
}

static mx_array like(mx_array a, double value, const char *op) {
    mx_node *n = mx_handle_get(a, op);
    return mx_handle_wrap(n ? mx_node_full(n->shape, n->ndim, value, n->dtype) : NULL);
}

mx_array mx_zeros_like(mx_array a) { return like(a, 0.0, "zeros_like"); }
mx_array mx_ones_like(mx_array a) { return like(a, 1.0, "ones_like"); }
mx_array mx_full_like(mx_array a, double value) { return like(a, value, "full_like"); }

mx_array mx_arange(double start, double stop, double step, mx_dtype dtype) {
    if (!check_dtype("arange", dtype))
        return mx_handle_wrap(NULL);
    if (dtype == MX_BOOL) {
        mx_set_error(MX_ERROR_VALUE, "arange: bool is not supported"); /* MLX: ValueError */
        return mx_handle_wrap(NULL);
    }
    if (step == 0 || isnan(step) || isnan(start) || isnan(stop)) {
        mx_set_error(MX_ERROR_VALUE, "arange: step must be nonzero and bounds must not be NaN");
        return mx_handle_wrap(NULL);
    }
    double len = ceil((stop - start) / step);
    if (isinf(len) || len > 9.0e18) {
        mx_set_error(MX_ERROR_VALUE, "arange: cannot compute the length of [%g, %g) with step %g", start, stop, step);
        return mx_handle_wrap(NULL);
    }
    int64_t n = len > 0 ? (int64_t)len : 0;
    mx_arange_params p = {start, step};
    return mx_handle_wrap(mx_node_new(&mx_op_arange, &p, NULL, 0, &n, 1, dtype));
}

mx_array mx_linspace(double start, double stop, int64_t num, mx_dtype dtype) {
    if (!check_dtype("linspace", dtype))
        return mx_handle_wrap(NULL);
    if (num < 0) {
        mx_set_error(MX_ERROR_VALUE, "linspace: number of samples %lld must be non-negative", (long long)num);
        return mx_handle_wrap(NULL);
    }
    mx_linspace_params p = {start, stop};
    return mx_handle_wrap(mx_node_new(&mx_op_linspace, &p, NULL, 0, &num, 1, dtype));
}

mx_array mx_eye(int64_t n, int64_t m, int k, mx_dtype dtype) {
    if (m < 0)
        m = n;
    if (!check_dtype("eye", dtype))
        return mx_handle_wrap(NULL);
    if (n < 0) {
        mx_set_error(MX_ERROR_VALUE, "eye: n = %lld must be non-negative", (long long)n);
        return mx_handle_wrap(NULL);
    }
    int64_t shape[2] = {n, m};
    mx_eye_params p = {k};
    return mx_handle_wrap(mx_node_new(&mx_op_eye, &p, NULL, 0, shape, 2, dtype));
}

mx_array mx_identity(int64_t n, mx_dtype dtype) { return mx_eye(n, n, 0, dtype); }
