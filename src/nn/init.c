/* nn/init.c - the initialisers of mlx.nn.init as functions of a shape.
 * They call mx_random_* with MLX's arguments, so a key (or the global key
 * after mx_random_seed) gives MLX's values. */
#include <math.h>

#include "core/error.h"
#include "core/handle.h"
#include "nn/nn_internal.h"

mx_array mx_nn_init_constant(const int64_t *shape, int ndim, double value, mx_dtype dtype) {
    return mx_full(shape, ndim, value, dtype);
}

mx_array mx_nn_init_normal(const int64_t *shape, int ndim, double mean, double std, mx_dtype dtype, mx_array key) {
    return mx_random_normal(shape, ndim, dtype, mean, std, key);
}

/* mx.random.uniform(low, high, shape, dtype): the bounds are float32 arrays. */
static mx_array uniform(const int64_t *shape, int ndim, double low, double high, mx_dtype dtype, mx_array key) {
    NN_BEGIN;
    NN_RETURN(mx_random_uniform(mx_scalar_f32((float)low), mx_scalar_f32((float)high), shape, ndim, dtype, key));
}

mx_array mx_nn_init_uniform(const int64_t *shape, int ndim, double low, double high, mx_dtype dtype, mx_array key) {
    return uniform(shape, ndim, low, high, dtype, key);
}

mx_array mx_nn_init_identity(int64_t n, mx_dtype dtype) {
    if (n < 0)
        return nn_error(MX_ERROR_VALUE, "init.identity: the size must be non-negative, got %lld", (long long)n);
    return mx_eye(n, n, 0, dtype);
}

/* MLX's _calculate_fan_in_fan_out. */
static bool fans(const char *name, const int64_t *shape, int ndim, double *fan_in, double *fan_out) {
    if (ndim < 2 || !shape) {
        mx_set_error(MX_ERROR_VALUE,
                     "%s: Glorot / He initialization requires at least 2 dimensional input but input with %d "
                     "dimensions.",
                     name, ndim);
        return false;
    }
    double receptive_field = 1;
    for (int i = 1; i < ndim - 1; i++)
        receptive_field *= (double)shape[i];
    *fan_in = (double)shape[ndim - 1] * receptive_field;
    *fan_out = (double)shape[0] * receptive_field;
    return true;
}

mx_array mx_nn_init_glorot_normal(const int64_t *shape, int ndim, double gain, mx_dtype dtype, mx_array key) {
    double fan_in, fan_out;
    if (!fans("init.glorot_normal", shape, ndim, &fan_in, &fan_out))
        return mx_handle_wrap(NULL);
    return mx_random_normal(shape, ndim, dtype, 0.0, gain * sqrt(2.0 / (fan_in + fan_out)), key);
}

mx_array mx_nn_init_glorot_uniform(const int64_t *shape, int ndim, double gain, mx_dtype dtype, mx_array key) {
    double fan_in, fan_out;
    if (!fans("init.glorot_uniform", shape, ndim, &fan_in, &fan_out))
        return mx_handle_wrap(NULL);
    double limit = gain * sqrt(6.0 / (fan_in + fan_out));
    return uniform(shape, ndim, -limit, limit, dtype, key);
}

mx_array mx_nn_init_he_normal(const int64_t *shape, int ndim, bool fan_out, double gain, mx_dtype dtype, mx_array key) {
    double in, out;
    if (!fans("init.he_normal", shape, ndim, &in, &out))
        return mx_handle_wrap(NULL);
    return mx_random_normal(shape, ndim, dtype, 0.0, gain / sqrt(fan_out ? out : in), key);
}

mx_array mx_nn_init_he_uniform(const int64_t *shape, int ndim, bool fan_out, double gain, mx_dtype dtype,
                               mx_array key) {
    double in, out;
    if (!fans("init.he_uniform", shape, ndim, &in, &out))
        return mx_handle_wrap(NULL);
    double limit = gain * sqrt(3.0 / (fan_out ? out : in));
    return uniform(shape, ndim, -limit, limit, dtype, key);
}
