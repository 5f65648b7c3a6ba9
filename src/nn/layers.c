/* nn/layers.c - the layers of mlx.nn over a named parameter tree: Linear,
 * Embedding, LayerNorm, RMSNorm, GroupNorm, BatchNorm, Conv1d, Conv2d,
 * Dropout, RoPE and MultiHeadAttention. Each forward is composed of cmlx ops
 * the way MLX composes it, so values and gradients follow MLX's. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "nn/nn_internal.h"

/* ---- Linear ----------------------------------------------------------------------- */
mx_status mx_nn_linear_init(mx_nn_linear *layer, mx_named_arrays *params, const char *prefix, int input_dims,
                            int output_dims, bool bias, mx_array key) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "Linear: null layer or tree");
    if (input_dims <= 0 || output_dims <= 0)
        return mx_set_error(MX_ERROR_VALUE, "Linear: dimensions must be positive, got input_dims=%d output_dims=%d",
                            input_dims, output_dims);
    if (!nn_set_prefix(layer->prefix, prefix, "Linear"))
        return mx_last_status();
    layer->input_dims = input_dims;
    layer->output_dims = output_dims;
    layer->bias = bias;
    mx_array keys[2];
    if (!nn_subkeys(key, bias ? 2 : 1, keys))
        return mx_last_status();
    double scale = sqrt(1.0 / input_dims);
    mx_array low = mx_scalar_f32((float)-scale), high = mx_scalar_f32((float)scale);
    mx_status status = nn_register(
        params, layer->prefix, "weight",
        mx_random_uniform(low, high, (int64_t[]){output_dims, input_dims}, 2, MX_FLOAT32, keys[0]), "Linear");
    if (status == MX_OK && bias)
        status = nn_register(params, layer->prefix, "bias",
                             mx_random_uniform(low, high, (int64_t[]){output_dims}, 1, MX_FLOAT32, keys[1]), "Linear");
    mx_free_n((mx_array[]){low, high, keys[0], bias ? keys[1] : MX_NULL_ARRAY}, 4);
    return status;
}

mx_array mx_nn_linear_forward(const mx_nn_linear *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "Linear: null layer");
    mx_array weight = nn_param(params, layer->prefix, "weight", "Linear");
    mx_array bias = layer->bias && weight.id ? nn_param(params, layer->prefix, "bias", "Linear") : MX_NULL_ARRAY;
    if (weight.id == 0 || (layer->bias && bias.id == 0))
        return mx_handle_wrap(NULL);
    if (mx_array_status(x) != MX_OK)
        return mx_retain(x);
    char xs[MX_SHAPE_STR_CAP], ws[MX_SHAPE_STR_CAP];
    if (mx_ndim(x) < 1 || mx_ndim(weight) != 2 || mx_dim(x, -1) != mx_dim(weight, 1))
        return nn_error(MX_ERROR_VALUE, "Linear '%s': input of shape %s does not match weight of shape %s (%d -> %d)",
                        layer->prefix, nn_shape_str(x, xs), nn_shape_str(weight, ws), layer->input_dims,
                        layer->output_dims);
    NN_BEGIN;
    mx_array wt = mx_transpose(weight, NULL, 0);
    NN_RETURN(layer->bias ? mx_addmm(bias, x, wt, 1.0, 1.0) : mx_matmul(x, wt));
}

/* ---- Embedding ----------------------------------------------------------------------- */
mx_status mx_nn_embedding_init(mx_nn_embedding *layer, mx_named_arrays *params, const char *prefix, int num_embeddings,
                               int dims, mx_array key) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "Embedding: null layer or tree");
    if (num_embeddings <= 0 || dims <= 0)
        return mx_set_error(MX_ERROR_VALUE, "Embedding: sizes must be positive, got num_embeddings=%d dims=%d",
                            num_embeddings, dims);
    if (!nn_set_prefix(layer->prefix, prefix, "Embedding"))
        return mx_last_status();
    layer->num_embeddings = num_embeddings;
    layer->dims = dims;
    return nn_register(params, layer->prefix, "weight",
                       mx_random_normal((int64_t[]){num_embeddings, dims}, 2, MX_FLOAT32, 0.0, sqrt(1.0 / dims), key),
                       "Embedding");
}

mx_array mx_nn_embedding_forward(const mx_nn_embedding *layer, const mx_named_arrays *params, mx_array indices) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "Embedding: null layer");
    mx_array weight = nn_param(params, layer->prefix, "weight", "Embedding");
    if (weight.id == 0)
        return mx_handle_wrap(NULL);
    if (mx_array_status(indices) != MX_OK)
        return mx_retain(indices);
    char is[MX_SHAPE_STR_CAP];
    if (!mx_dtype_is_integer(mx_array_dtype(indices)))
        return nn_error(MX_ERROR_TYPE, "Embedding '%s': indices must be integers, got %s of shape %s", layer->prefix,
                        mx_dtype_name(mx_array_dtype(indices)), nn_shape_str(indices, is));
    return mx_take(weight, indices, 0);
}

mx_array mx_nn_embedding_as_linear(const mx_nn_embedding *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "Embedding: null layer");
    mx_array weight = nn_param(params, layer->prefix, "weight", "Embedding");
    if (weight.id == 0)
        return mx_handle_wrap(NULL);
    if (mx_array_status(x) != MX_OK)
        return mx_retain(x);
    char xs[MX_SHAPE_STR_CAP], ws[MX_SHAPE_STR_CAP];
    if (mx_ndim(x) < 1 || mx_dim(x, -1) != mx_dim(weight, 1))
        return nn_error(MX_ERROR_VALUE, "Embedding '%s' as_linear: input of shape %s does not match weight %s",
                        layer->prefix, nn_shape_str(x, xs), nn_shape_str(weight, ws));
    NN_BEGIN;
    NN_RETURN(mx_matmul(x, mx_transpose(weight, NULL, 0)));
}

/* The last axis of x must be `dims` for the normalisations. */
static mx_array check_features(const char *layer, const char *prefix, mx_array x, int dims) {
    if (mx_array_status(x) != MX_OK)
        return mx_retain(x);
    char xs[MX_SHAPE_STR_CAP];
    if (mx_ndim(x) < 1 || mx_dim(x, -1) != dims)
        return nn_error(MX_ERROR_VALUE, "%s '%s': input of shape %s must have %d features in its last axis", layer,
                        prefix, nn_shape_str(x, xs), dims);
    return MX_NULL_ARRAY;
}

/* ---- LayerNorm, RMSNorm ------------------------------------------------------------------ */
mx_status mx_nn_layer_norm_init(mx_nn_layer_norm *layer, mx_named_arrays *params, const char *prefix, int dims,
                                double eps, bool affine, bool bias) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "LayerNorm: null layer or tree");
    if (eps <= 0.0)
        return mx_set_error(MX_ERROR_VALUE, "[LayerNorm] 'eps' must be positive but got %g.", eps);
    if (dims <= 0)
        return mx_set_error(MX_ERROR_VALUE, "LayerNorm: dims must be positive, got %d", dims);
    if (!nn_set_prefix(layer->prefix, prefix, "LayerNorm"))
        return mx_last_status();
    layer->dims = dims;
    layer->eps = eps;
    layer->affine = affine;
    layer->bias = affine && bias;
    mx_status status = MX_OK;
    if (affine)
        status = nn_register(params, layer->prefix, "weight", mx_ones((int64_t[]){dims}, 1, MX_FLOAT32), "LayerNorm");
    if (status == MX_OK && layer->bias)
        status = nn_register(params, layer->prefix, "bias", mx_zeros((int64_t[]){dims}, 1, MX_FLOAT32), "LayerNorm");
    return status;
}

mx_array mx_nn_layer_norm_forward(const mx_nn_layer_norm *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "LayerNorm: null layer");
    mx_array weight = layer->affine ? nn_param(params, layer->prefix, "weight", "LayerNorm") : MX_NULL_ARRAY;
    mx_array bias = layer->bias && weight.id ? nn_param(params, layer->prefix, "bias", "LayerNorm") : MX_NULL_ARRAY;
    if ((layer->affine && weight.id == 0) || (layer->bias && bias.id == 0))
        return mx_handle_wrap(NULL);
    mx_array bad = check_features("LayerNorm", layer->prefix, x, layer->dims);
    if (bad.id)
        return bad;
    return mx_fast_layer_norm(x, weight, bias, layer->eps);
}

mx_status mx_nn_rms_norm_init(mx_nn_rms_norm *layer, mx_named_arrays *params, const char *prefix, int dims,
                              double eps) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "RMSNorm: null layer or tree");
    if (eps <= 0.0)
        return mx_set_error(MX_ERROR_VALUE, "[RMSNorm] 'eps' must be positive but got %g.", eps);
    if (dims <= 0)
        return mx_set_error(MX_ERROR_VALUE, "RMSNorm: dims must be positive, got %d", dims);
    if (!nn_set_prefix(layer->prefix, prefix, "RMSNorm"))
        return mx_last_status();
    layer->dims = dims;
    layer->eps = eps;
    return nn_register(params, layer->prefix, "weight", mx_ones((int64_t[]){dims}, 1, MX_FLOAT32), "RMSNorm");
}

mx_array mx_nn_rms_norm_forward(const mx_nn_rms_norm *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "RMSNorm: null layer");
    mx_array weight = nn_param(params, layer->prefix, "weight", "RMSNorm");
    if (weight.id == 0)
        return mx_handle_wrap(NULL);
    mx_array bad = check_features("RMSNorm", layer->prefix, x, layer->dims);
    if (bad.id)
        return bad;
    return mx_fast_rms_norm(x, weight, layer->eps);
}

/* ---- GroupNorm ---------------------------------------------------------------------------- */
mx_status mx_nn_group_norm_init(mx_nn_group_norm *layer, mx_named_arrays *params, const char *prefix, int num_groups,
                                int dims, double eps, bool affine, bool pytorch_compatible) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "GroupNorm: null layer or tree");
    if (eps <= 0.0)
        return mx_set_error(MX_ERROR_VALUE, "[GroupNorm] 'eps' must be positive but got %g.", eps);
    if (num_groups <= 0)
        return mx_set_error(MX_ERROR_VALUE, "The number of groups (%d) must be a positive integer.", num_groups);
    if (dims <= 0)
        return mx_set_error(MX_ERROR_VALUE, "The number of features (%d) must be a positive integer.", dims);
    if (dims % num_groups != 0)
        return mx_set_error(MX_ERROR_VALUE,
                            "The number of features (%d) must be evenly divisible by the number of groups (%d).", dims,
                            num_groups);
    if (!nn_set_prefix(layer->prefix, prefix, "GroupNorm"))
        return mx_last_status();
    layer->num_groups = num_groups;
    layer->dims = dims;
    layer->eps = eps;
    layer->affine = affine;
    layer->pytorch_compatible = pytorch_compatible;
    mx_status status = MX_OK;
    if (affine) {
        status = nn_register(params, layer->prefix, "bias", mx_zeros((int64_t[]){dims}, 1, MX_FLOAT32), "GroupNorm");
        if (status == MX_OK)
            status =
                nn_register(params, layer->prefix, "weight", mx_ones((int64_t[]){dims}, 1, MX_FLOAT32), "GroupNorm");
    }
    return status;
}

mx_array mx_nn_group_norm_forward(const mx_nn_group_norm *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "GroupNorm: null layer");
    mx_array weight = layer->affine ? nn_param(params, layer->prefix, "weight", "GroupNorm") : MX_NULL_ARRAY;
    mx_array bias = layer->affine && weight.id ? nn_param(params, layer->prefix, "bias", "GroupNorm") : MX_NULL_ARRAY;
    if (layer->affine && (weight.id == 0 || bias.id == 0))
        return mx_handle_wrap(NULL);
    mx_array bad = check_features("GroupNorm", layer->prefix, x, layer->dims);
    if (bad.id)
        return bad;
    char xs[MX_SHAPE_STR_CAP];
    if (mx_ndim(x) < 2)
        return nn_error(MX_ERROR_VALUE, "GroupNorm '%s': input of shape %s needs a batch axis (N, ..., %d)",
                        layer->prefix, nn_shape_str(x, xs), layer->dims);
    int ndim = mx_ndim(x);
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, mx_shape(x), (size_t)ndim * sizeof *shape);
    int64_t batch = shape[0], groups = layer->num_groups, group_size = layer->dims / layer->num_groups;
    NN_BEGIN;
    mx_array y;
    if (layer->pytorch_compatible) {
        /* consecutive channels form a group */
        mx_array g = mx_reshape(x, (int64_t[]){batch, -1, groups, group_size}, 4);
        g = mx_reshape(mx_transpose(g, (int[]){0, 2, 1, 3}, 4), (int64_t[]){batch, groups, -1}, 3);
        g = mx_fast_layer_norm(g, MX_NULL_ARRAY, MX_NULL_ARRAY, layer->eps);
        g = mx_reshape(g, (int64_t[]){batch, groups, -1, group_size}, 4);
        y = mx_reshape(mx_transpose(g, (int[]){0, 2, 1, 3}, 4), shape, ndim);
    } else {
        /* MLX's grouping: channel c belongs to group c % num_groups */
        mx_array g = mx_reshape(x, (int64_t[]){batch, -1, groups}, 3);
        mx_array means = mx_mean_axis(g, 1, true);
        mx_array var = mx_var_axis(g, 1, true, 0);
        g = mx_multiply(mx_subtract(g, means), mx_rsqrt(mx_add(var, nn_float_like(layer->eps, var))));
        y = mx_reshape(g, shape, ndim);
    }
    if (layer->affine)
        y = mx_add(mx_multiply(weight, y), bias);
    NN_RETURN(y);
}

/* ---- BatchNorm ---------------------------------------------------------------------------- */
mx_status mx_nn_batch_norm_init(mx_nn_batch_norm *layer, mx_named_arrays *params, mx_named_arrays *stats,
                                const char *prefix, int num_features, double eps, double momentum, bool affine,
                                bool track_running_stats) {
    if (!layer || !params || (track_running_stats && !stats))
        return mx_set_error(MX_ERROR_VALUE, "BatchNorm: null layer or tree");
    if (eps <= 0.0)
        return mx_set_error(MX_ERROR_VALUE, "[BatchNorm] 'eps' must be positive but got %g.", eps);
    if (num_features <= 0)
        return mx_set_error(MX_ERROR_VALUE, "BatchNorm: num_features must be positive, got %d", num_features);
    if (!nn_set_prefix(layer->prefix, prefix, "BatchNorm"))
        return mx_last_status();
    layer->num_features = num_features;
    layer->eps = eps;
    layer->momentum = momentum;
    layer->affine = affine;
    layer->track_running_stats = track_running_stats;
    const int64_t shape[1] = {num_features};
    mx_status status = MX_OK;
    if (affine) {
        status = nn_register(params, layer->prefix, "weight", mx_ones(shape, 1, MX_FLOAT32), "BatchNorm");
        if (status == MX_OK)
            status = nn_register(params, layer->prefix, "bias", mx_zeros(shape, 1, MX_FLOAT32), "BatchNorm");
    }
    if (status == MX_OK && track_running_stats) {
        status = nn_register(stats, layer->prefix, "running_mean", mx_zeros(shape, 1, MX_FLOAT32), "BatchNorm");
        if (status == MX_OK)
            status = nn_register(stats, layer->prefix, "running_var", mx_ones(shape, 1, MX_FLOAT32), "BatchNorm");
    }
    return status;
}

mx_array mx_nn_batch_norm_forward(const mx_nn_batch_norm *layer, const mx_named_arrays *params, mx_named_arrays *stats,
                                  mx_array x, bool training) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "BatchNorm: null layer");
    mx_array weight = layer->affine ? nn_param(params, layer->prefix, "weight", "BatchNorm") : MX_NULL_ARRAY;
    mx_array bias = layer->affine && weight.id ? nn_param(params, layer->prefix, "bias", "BatchNorm") : MX_NULL_ARRAY;
    if (layer->affine && (weight.id == 0 || bias.id == 0))
        return mx_handle_wrap(NULL);
    mx_array running_mean = MX_NULL_ARRAY, running_var = MX_NULL_ARRAY;
    if (layer->track_running_stats) {
        running_mean = nn_param(stats, layer->prefix, "running_mean", "BatchNorm");
        running_var = running_mean.id ? nn_param(stats, layer->prefix, "running_var", "BatchNorm") : MX_NULL_ARRAY;
        if (running_var.id == 0)
            return mx_handle_wrap(NULL);
    }
    mx_array bad = check_features("BatchNorm", layer->prefix, x, layer->num_features);
    if (bad.id)
        return bad;
    char xs[MX_SHAPE_STR_CAP];
    int ndim = mx_ndim(x);
    if (ndim < 2 || ndim > 4)
        return nn_error(MX_ERROR_VALUE,
                        "BatchNorm '%s': expected input tensor to have 2, 3 or 4 dimensions, but got "
                        "shape %s",
                        layer->prefix, nn_shape_str(x, xs));
    if (training && mx_size(x) / mx_dim(x, -1) == 1)
        return nn_error(MX_ERROR_VALUE, "BatchNorm '%s': training requires more than one value per channel (input %s)",
                        layer->prefix, nn_shape_str(x, xs));
    int axes[3] = {0, 1, 2};
    NN_BEGIN;
    mx_array mean = mx_mean_axes(x, axes, ndim - 1, false);
    mx_array var = mx_var_axes(x, axes, ndim - 1, false, 0);
    if (training && layer->track_running_stats) {
        mx_array unbiased = mx_var_axes(x, axes, ndim - 1, false, 1);
        double mu = layer->momentum;
        mx_array new_mean = mx_add(mx_multiply(nn_float_like(1.0 - mu, running_mean), running_mean),
                                   mx_multiply(nn_float_like(mu, mean), mean));
        mx_array new_var = mx_add(mx_multiply(nn_float_like(1.0 - mu, running_var), running_var),
                                  mx_multiply(nn_float_like(mu, unbiased), unbiased));
        char name[NN_FULL_NAME_MAX];
        mx_status status = MX_OK;
        if (nn_join_name(name, layer->prefix, "running_mean", "BatchNorm"))
            status = mx_named_arrays_set(stats, name, new_mean);
        if (status == MX_OK && nn_join_name(name, layer->prefix, "running_var", "BatchNorm"))
            status = mx_named_arrays_set(stats, name, new_var);
        if (status != MX_OK)
            NN_RETURN(mx_handle_wrap(NULL));
    } else if (layer->track_running_stats) {
        mean = running_mean;
        var = running_var;
    }
    mx_array y = mx_multiply(mx_subtract(x, mean), mx_rsqrt(mx_add(var, nn_float_like(layer->eps, var))));
    if (layer->affine)
        y = mx_add(mx_multiply(weight, y), bias);
    NN_RETURN(y);
}

/* ---- convolutions ------------------------------------------------------------------------------ */
static mx_status conv_weights(mx_named_arrays *params, const char *prefix, const char *layer_name,
                              const int64_t *wshape, int wndim, int out_channels, double fan_in, bool bias,
                              mx_array key) {
    double scale = sqrt(1.0 / fan_in);
    mx_array low = mx_scalar_f32((float)-scale), high = mx_scalar_f32((float)scale);
    mx_status status =
        nn_register(params, prefix, "weight", mx_random_uniform(low, high, wshape, wndim, MX_FLOAT32, key), layer_name);
    mx_free_n((mx_array[]){low, high}, 2);
    if (status == MX_OK && bias)
        status = nn_register(params, prefix, "bias", mx_zeros((int64_t[]){out_channels}, 1, MX_FLOAT32), layer_name);
    return status;
}

mx_status mx_nn_conv1d_init(mx_nn_conv1d *layer, mx_named_arrays *params, const char *prefix, int in_channels,
                            int out_channels, int kernel_size, int stride, int padding, int dilation, int groups,
                            bool bias, mx_array key) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "Conv1d: null layer or tree");
    if (in_channels <= 0 || out_channels <= 0 || kernel_size <= 0 || groups <= 0)
        return mx_set_error(MX_ERROR_VALUE, "Conv1d: sizes must be positive (in %d, out %d, kernel %d, groups %d)",
                            in_channels, out_channels, kernel_size, groups);
    if (in_channels % groups != 0)
        return mx_set_error(MX_ERROR_VALUE,
                            "The number of input channels (%d) must be divisible by the number of groups (%d)",
                            in_channels, groups);
    if (!nn_set_prefix(layer->prefix, prefix, "Conv1d"))
        return mx_last_status();
    layer->in_channels = in_channels;
    layer->out_channels = out_channels;
    layer->kernel_size = kernel_size;
    layer->stride = stride;
    layer->padding = padding;
    layer->dilation = dilation;
    layer->groups = groups;
    layer->bias = bias;
    return conv_weights(params, layer->prefix, "Conv1d", (int64_t[]){out_channels, kernel_size, in_channels / groups},
                        3, out_channels, (double)(in_channels / groups * kernel_size), bias, key);
}

/* x must be (N, spatial..., in_channels) of rank spatial + 2. */
static mx_array check_conv_input(const char *layer, const char *prefix, mx_array x, int rank, int in_channels) {
    if (mx_array_status(x) != MX_OK)
        return mx_retain(x);
    char xs[MX_SHAPE_STR_CAP];
    if (mx_ndim(x) != rank || mx_dim(x, -1) != in_channels)
        return nn_error(MX_ERROR_VALUE, "%s '%s': input of shape %s must be %s with %d input channels", layer, prefix,
                        nn_shape_str(x, xs), rank == 3 ? "(N, L, C)" : "(N, H, W, C)", in_channels);
    return MX_NULL_ARRAY;
}

mx_array mx_nn_conv1d_forward(const mx_nn_conv1d *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "Conv1d: null layer");
    mx_array weight = nn_param(params, layer->prefix, "weight", "Conv1d");
    mx_array bias = layer->bias && weight.id ? nn_param(params, layer->prefix, "bias", "Conv1d") : MX_NULL_ARRAY;
    if (weight.id == 0 || (layer->bias && bias.id == 0))
        return mx_handle_wrap(NULL);
    mx_array bad = check_conv_input("Conv1d", layer->prefix, x, 3, layer->in_channels);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array y = mx_conv1d(x, weight, layer->stride, layer->padding, layer->dilation, layer->groups);
    if (layer->bias)
        y = mx_add(y, bias);
    NN_RETURN(y);
}

mx_status mx_nn_conv2d_init(mx_nn_conv2d *layer, mx_named_arrays *params, const char *prefix, int in_channels,
                            int out_channels, const int kernel_size[2], const int stride[2], const int padding[2],
                            const int dilation[2], int groups, bool bias, mx_array key) {
    if (!layer || !params || !kernel_size)
        return mx_set_error(MX_ERROR_VALUE, "Conv2d: null layer, tree or kernel_size");
    if (in_channels <= 0 || out_channels <= 0 || kernel_size[0] <= 0 || kernel_size[1] <= 0 || groups <= 0)
        return mx_set_error(MX_ERROR_VALUE, "Conv2d: sizes must be positive (in %d, out %d, kernel (%d,%d), groups %d)",
                            in_channels, out_channels, kernel_size[0], kernel_size[1], groups);
    if (in_channels % groups != 0)
        return mx_set_error(MX_ERROR_VALUE,
                            "The number of input channels (%d) must be divisible by the number of groups (%d)",
                            in_channels, groups);
    if (!nn_set_prefix(layer->prefix, prefix, "Conv2d"))
        return mx_last_status();
    layer->in_channels = in_channels;
    layer->out_channels = out_channels;
    for (int i = 0; i < 2; i++) {
        layer->kernel_size[i] = kernel_size[i];
        layer->stride[i] = stride ? stride[i] : 1;
        layer->padding[i] = padding ? padding[i] : 0;
        layer->dilation[i] = dilation ? dilation[i] : 1;
    }
    layer->groups = groups;
    layer->bias = bias;
    return conv_weights(params, layer->prefix, "Conv2d",
                        (int64_t[]){out_channels, kernel_size[0], kernel_size[1], in_channels / groups}, 4,
                        out_channels, (double)(in_channels / groups * kernel_size[0] * kernel_size[1]), bias, key);
}

mx_array mx_nn_conv2d_forward(const mx_nn_conv2d *layer, const mx_named_arrays *params, mx_array x) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "Conv2d: null layer");
    mx_array weight = nn_param(params, layer->prefix, "weight", "Conv2d");
    mx_array bias = layer->bias && weight.id ? nn_param(params, layer->prefix, "bias", "Conv2d") : MX_NULL_ARRAY;
    if (weight.id == 0 || (layer->bias && bias.id == 0))
        return mx_handle_wrap(NULL);
    mx_array bad = check_conv_input("Conv2d", layer->prefix, x, 4, layer->in_channels);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array y = mx_conv2d(x, weight, layer->stride, layer->padding, layer->dilation, layer->groups);
    if (layer->bias)
        y = mx_add(y, bias);
    NN_RETURN(y);
}

/* ---- Dropout, RoPE ------------------------------------------------------------------------------ */
mx_array mx_nn_dropout(mx_array x, double p, bool training, mx_array key) {
    if (!(p >= 0.0 && p < 1.0))
        return nn_error(MX_ERROR_VALUE, "The dropout probability %g is not in [0, 1)", p);
    double keep = 1.0 - p;
    if (keep == 1.0 || !training)
        return mx_retain(x);
    if (mx_array_status(x) != MX_OK)
        return mx_retain(x);
    NN_BEGIN;
    mx_array mask = mx_random_bernoulli(mx_scalar_f32((float)keep), mx_shape(x), mx_ndim(x), key);
    NN_RETURN(mx_multiply(mx_multiply(mask, x), nn_float_like(1.0 / keep, x)));
}

mx_array mx_nn_rope_forward(const mx_nn_rope *rope, mx_array x, int offset) {
    if (!rope)
        return nn_error(MX_ERROR_VALUE, "RoPE: null layer");
    return mx_fast_rope(x, rope->dims, rope->traditional, rope->base, rope->scale, offset, MX_NULL_ARRAY);
}

/* ---- MultiHeadAttention --------------------------------------------------------------------------- */
mx_status mx_nn_multi_head_attention_init(mx_nn_multi_head_attention *layer, mx_named_arrays *params,
                                          const char *prefix, int dims, int num_heads, int query_input_dims,
                                          int key_input_dims, int value_input_dims, int value_dims,
                                          int value_output_dims, bool bias, mx_array key) {
    if (!layer || !params)
        return mx_set_error(MX_ERROR_VALUE, "MultiHeadAttention: null layer or tree");
    if (num_heads <= 0 || dims <= 0 || dims % num_heads != 0)
        return mx_set_error(MX_ERROR_VALUE,
                            "The input feature dimensions should be divisible by the number of heads (%d %% %d) != 0",
                            dims, num_heads);
    query_input_dims = query_input_dims ? query_input_dims : dims;
    key_input_dims = key_input_dims ? key_input_dims : dims;
    value_input_dims = value_input_dims ? value_input_dims : key_input_dims;
    value_dims = value_dims ? value_dims : dims;
    value_output_dims = value_output_dims ? value_output_dims : dims;
    layer->num_heads = num_heads;
    if (!prefix)
        prefix = "";
    const char *names[4] = {"query_proj", "key_proj", "value_proj", "out_proj"};
    mx_nn_linear *projections[4] = {&layer->query_proj, &layer->key_proj, &layer->value_proj, &layer->out_proj};
    int in_dims[4] = {query_input_dims, key_input_dims, value_input_dims, value_dims};
    int out_dims[4] = {dims, dims, value_dims, value_output_dims};
    mx_array keys[4];
    if (!nn_subkeys(key, 4, keys))
        return mx_last_status();
    mx_status status = MX_OK;
    for (int i = 0; i < 4 && status == MX_OK; i++) {
        char name[NN_FULL_NAME_MAX];
        if (!nn_join_name(name, prefix, names[i], "MultiHeadAttention"))
            status = mx_last_status();
        else
            status = mx_nn_linear_init(projections[i], params, name, in_dims[i], out_dims[i], bias, keys[i]);
    }
    mx_free_n(keys, 4);
    return status;
}

/* (B, T, H * D) -> (B, H, T, D) */
static mx_array split_heads(mx_array x, int num_heads) {
    mx_array heads = mx_unflatten(x, -1, (int64_t[]){num_heads, -1}, 2);
    return mx_transpose(heads, (int[]){0, 2, 1, 3}, 4);
}

mx_array mx_nn_multi_head_attention_forward(const mx_nn_multi_head_attention *layer, const mx_named_arrays *params,
                                            mx_array queries, mx_array keys, mx_array values, const char *mask_mode,
                                            mx_array mask) {
    if (!layer)
        return nn_error(MX_ERROR_VALUE, "MultiHeadAttention: null layer");
    const mx_array inputs[3] = {queries, keys, values};
    const char *what[3] = {"queries", "keys", "values"};
    for (int i = 0; i < 3; i++) {
        if (mx_array_status(inputs[i]) != MX_OK)
            return mx_retain(inputs[i]);
        char s[MX_SHAPE_STR_CAP];
        if (mx_ndim(inputs[i]) != 3)
            return nn_error(MX_ERROR_VALUE, "MultiHeadAttention '%s': %s of shape %s must be (B, T, features)",
                            layer->out_proj.prefix, what[i], nn_shape_str(inputs[i], s));
    }
    NN_BEGIN;
    mx_array q = split_heads(mx_nn_linear_forward(&layer->query_proj, params, queries), layer->num_heads);
    mx_array k = split_heads(mx_nn_linear_forward(&layer->key_proj, params, keys), layer->num_heads);
    mx_array v = split_heads(mx_nn_linear_forward(&layer->value_proj, params, values), layer->num_heads);
    double scale = mx_ndim(q) == 4 ? sqrt(1.0 / (double)mx_dim(q, -1)) : 1.0;
    mx_array out = mx_fast_scaled_dot_product_attention(q, k, v, scale, mask_mode, mask, MX_NULL_ARRAY);
    out = mx_flatten(mx_transpose(out, (int[]){0, 2, 1, 3}, 4), -2, -1);
    NN_RETURN(mx_nn_linear_forward(&layer->out_proj, params, out));
}

mx_array mx_nn_create_additive_causal_mask(int n, mx_dtype dtype) {
    double lowest;
    switch (dtype) {
    case MX_FLOAT16: lowest = -65504.0; break;
    case MX_BFLOAT16: lowest = -3.3895313892515355e38; break;
    case MX_FLOAT32: lowest = -FLT_MAX; break;
    case MX_FLOAT64: lowest = -DBL_MAX; break;
    default:
        return nn_error(MX_ERROR_TYPE, "create_additive_causal_mask: dtype %s is not floating", mx_dtype_name(dtype));
    }
    NN_BEGIN;
    mx_array indices = mx_arange(0, n, 1, MX_INT32);
    mx_array rows = mx_expand_dims(indices, (int[]){1}, 1), cols = mx_expand_dims(indices, (int[]){0}, 1);
    mx_array mask = mx_astype(mx_less(rows, cols), dtype);
    NN_RETURN(mx_multiply(mask, mx_scalar(lowest, dtype)));
}
