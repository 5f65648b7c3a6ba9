/* cmlx/nn.h - neural-network layers, activations, losses and initialisers
 * (mlx.nn), in C. See docs/nn.md.
 *
 * Parameters live in an mx_named_arrays (io.h): an ordered name -> array map
 * whose names are MLX's parameter paths, e.g. "layers.0.attn.query_proj.weight",
 * so a tree saves to and loads from safetensors one to one and matches the
 * keys of an MLX model's `tree_flatten(model.parameters())`.
 *
 * A layer is a small struct of hyper-parameters plus the prefix its
 * parameters are registered under. Its init function fills the struct and
 * adds the parameters (MLX's shapes, initial values and names) to a tree; its
 * forward function reads them by name from the tree it is given, so the same
 * layer runs on the current parameters, on the tracer arrays inside
 * mx_nn_value_and_grad, or on a tree loaded from a file. A model is a struct
 * of layers whose forward the user writes in C.
 *
 * Init functions draw from `key` when it is a key array and from the global
 * key (mx_random_seed) when it is MX_NULL_ARRAY; with the global key they
 * reproduce MLX's values exactly: mx_random_seed(s) then the layers created in
 * MLX's order give the arrays of `mx.random.seed(s)` and the MLX layers. A
 * given key is split into one subkey per random array, in MLX's drawing order.
 *
 * Errors: init functions return a status (MX_ERROR_VALUE for bad
 * hyper-parameters, naming the layer); forward functions, activations and
 * losses return an error array whose message names the layer (and its prefix)
 * and the shapes involved. */
#ifndef CMLX_NN_H
#define CMLX_NN_H

#include <stdbool.h>
#include <stdint.h>

#include "cmlx/array.h"
#include "cmlx/io.h"
#include "cmlx/transforms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest parameter prefix (bytes, with the terminating zero). */
#define MX_NN_NAME_MAX 160

/* ---- training helpers -------------------------------------------------------------
 * A loss function over a parameter tree: push the scalar loss onto outputs,
 * then any auxiliary outputs. `params` holds the arrays to differentiate
 * (borrowed, valid during the call). */
typedef mx_status (*mx_nn_loss_fn)(void *payload, const mx_named_arrays *params, mx_array_list *outputs);

/* nn.value_and_grad: runs fn on `params`, pushes its outputs onto `values`
 * (empty on entry) and returns in *grads a new tree (free with
 * mx_named_arrays_free) with the gradient of the loss for every entry of
 * `params`, under the same names. Keep arrays that are not trained (BatchNorm's
 * running statistics) in another tree. */
MX_API mx_status mx_nn_value_and_grad(mx_nn_loss_fn fn, void *payload, const mx_named_arrays *params,
                                      mx_array_list *values, mx_named_arrays **grads);
/* Evaluates every array of the tree. */
MX_API mx_status mx_nn_eval(const mx_named_arrays *tree);
/* The total number of elements of the tree's arrays (nn's parameter count). */
MX_API int64_t mx_nn_num_parameters(const mx_named_arrays *tree);

/* ---- layers ---------------------------------------------------------------------------
 * prefix: the name the layer's parameters go under ("" for none: plain
 * "weight"); parameters are float32, as MLX creates them. */

/* Linear: y = x W^T + b; weight (output_dims, input_dims), bias (output_dims,),
 * both uniform in +-sqrt(1 / input_dims) (weight drawn first). */
typedef struct mx_nn_linear {
    char prefix[MX_NN_NAME_MAX];
    int input_dims, output_dims;
    bool bias;
} mx_nn_linear;
MX_API mx_status mx_nn_linear_init(mx_nn_linear *layer, mx_named_arrays *params, const char *prefix, int input_dims,
                                   int output_dims, bool bias, mx_array key);
/* x (..., input_dims) -> (..., output_dims) */
MX_API mx_array mx_nn_linear_forward(const mx_nn_linear *layer, const mx_named_arrays *params, mx_array x);

/* Embedding: weight (num_embeddings, dims) ~ N(0, 1 / dims). */
typedef struct mx_nn_embedding {
    char prefix[MX_NN_NAME_MAX];
    int num_embeddings, dims;
} mx_nn_embedding;
MX_API mx_status mx_nn_embedding_init(mx_nn_embedding *layer, mx_named_arrays *params, const char *prefix,
                                      int num_embeddings, int dims, mx_array key);
/* integer indices (...) -> (..., dims) */
MX_API mx_array mx_nn_embedding_forward(const mx_nn_embedding *layer, const mx_named_arrays *params, mx_array indices);
/* x (..., dims) -> x W^T (..., num_embeddings): the tied output projection. */
MX_API mx_array mx_nn_embedding_as_linear(const mx_nn_embedding *layer, const mx_named_arrays *params, mx_array x);

/* LayerNorm over the last axis (mx_fast_layer_norm); weight ones and bias
 * zeros (dims,) when affine (bias only with `bias`). MLX: eps 1e-5, affine
 * and bias true. */
typedef struct mx_nn_layer_norm {
    char prefix[MX_NN_NAME_MAX];
    int dims;
    double eps;
    bool affine, bias;
} mx_nn_layer_norm;
MX_API mx_status mx_nn_layer_norm_init(mx_nn_layer_norm *layer, mx_named_arrays *params, const char *prefix, int dims,
                                       double eps, bool affine, bool bias);
MX_API mx_array mx_nn_layer_norm_forward(const mx_nn_layer_norm *layer, const mx_named_arrays *params, mx_array x);

/* RMSNorm over the last axis (mx_fast_rms_norm); weight ones (dims,). MLX: eps 1e-5. */
typedef struct mx_nn_rms_norm {
    char prefix[MX_NN_NAME_MAX];
    int dims;
    double eps;
} mx_nn_rms_norm;
MX_API mx_status mx_nn_rms_norm_init(mx_nn_rms_norm *layer, mx_named_arrays *params, const char *prefix, int dims,
                                     double eps);
MX_API mx_array mx_nn_rms_norm_forward(const mx_nn_rms_norm *layer, const mx_named_arrays *params, mx_array x);

/* GroupNorm of (N, ..., dims) over groups of channels; bias zeros and weight
 * ones (dims,) when affine (registered bias first, as MLX). pytorch_compatible
 * groups consecutive channels as PyTorch does; otherwise MLX's strided
 * grouping. MLX: eps 1e-5, affine true, pytorch_compatible false. */
typedef struct mx_nn_group_norm {
    char prefix[MX_NN_NAME_MAX];
    int num_groups, dims;
    double eps;
    bool affine, pytorch_compatible;
} mx_nn_group_norm;
MX_API mx_status mx_nn_group_norm_init(mx_nn_group_norm *layer, mx_named_arrays *params, const char *prefix,
                                       int num_groups, int dims, double eps, bool affine, bool pytorch_compatible);
MX_API mx_array mx_nn_group_norm_forward(const mx_nn_group_norm *layer, const mx_named_arrays *params, mx_array x);

/* BatchNorm of (N, C), (N, L, C) or (N, H, W, C) over every axis but the
 * last. weight ones / bias zeros (num_features,) go into `params` when affine;
 * running_mean zeros / running_var ones into `stats` when
 * track_running_stats (stats may be params; keep them apart to train with
 * mx_nn_value_and_grad). Training normalises with the batch statistics and
 * replaces the running ones in `stats` by (1 - momentum) running + momentum
 * batch (variance unbiased); evaluation uses the running ones.
 * MLX: eps 1e-5, momentum 0.1, affine and track_running_stats true. */
typedef struct mx_nn_batch_norm {
    char prefix[MX_NN_NAME_MAX];
    int num_features;
    double eps, momentum;
    bool affine, track_running_stats;
} mx_nn_batch_norm;
MX_API mx_status mx_nn_batch_norm_init(mx_nn_batch_norm *layer, mx_named_arrays *params, mx_named_arrays *stats,
                                       const char *prefix, int num_features, double eps, double momentum, bool affine,
                                       bool track_running_stats);
MX_API mx_array mx_nn_batch_norm_forward(const mx_nn_batch_norm *layer, const mx_named_arrays *params,
                                         mx_named_arrays *stats, mx_array x, bool training);

/* Conv1d: weight (out, kernel_size, in / groups) uniform in
 * +-sqrt(1 / (in / groups * kernel_size)), bias zeros (out,).
 * x (N, L, in) -> (N, L_out, out). */
typedef struct mx_nn_conv1d {
    char prefix[MX_NN_NAME_MAX];
    int in_channels, out_channels, kernel_size, stride, padding, dilation, groups;
    bool bias;
} mx_nn_conv1d;
MX_API mx_status mx_nn_conv1d_init(mx_nn_conv1d *layer, mx_named_arrays *params, const char *prefix, int in_channels,
                                   int out_channels, int kernel_size, int stride, int padding, int dilation, int groups,
                                   bool bias, mx_array key);
MX_API mx_array mx_nn_conv1d_forward(const mx_nn_conv1d *layer, const mx_named_arrays *params, mx_array x);

/* Conv2d: weight (out, kh, kw, in / groups) uniform in
 * +-sqrt(1 / (in / groups * kh * kw)), bias zeros (out,). Pairs are
 * (height, width). x (N, H, W, in) -> (N, H_out, W_out, out). */
typedef struct mx_nn_conv2d {
    char prefix[MX_NN_NAME_MAX];
    int in_channels, out_channels, kernel_size[2], stride[2], padding[2], dilation[2], groups;
    bool bias;
} mx_nn_conv2d;
MX_API mx_status mx_nn_conv2d_init(mx_nn_conv2d *layer, mx_named_arrays *params, const char *prefix, int in_channels,
                                   int out_channels, const int kernel_size[2], const int stride[2],
                                   const int padding[2], const int dilation[2], int groups, bool bias, mx_array key);
MX_API mx_array mx_nn_conv2d_forward(const mx_nn_conv2d *layer, const mx_named_arrays *params, mx_array x);

/* Dropout: in training, each element kept with probability 1 - p (a
 * Bernoulli draw from key, MX_NULL_ARRAY: the global key) and scaled by
 * 1 / (1 - p); otherwise (or p = 0) x itself. p in [0, 1). */
MX_API mx_array mx_nn_dropout(mx_array x, double p, bool training, mx_array key);

/* RoPE (nn.RoPE): mx_fast_rope with base and scale; MLX: traditional false,
 * base 10000, scale 1. */
typedef struct mx_nn_rope {
    int dims;
    bool traditional;
    double base, scale;
} mx_nn_rope;
MX_API mx_array mx_nn_rope_forward(const mx_nn_rope *rope, mx_array x, int offset);

/* MultiHeadAttention: query_proj (dims <- query_input_dims), key_proj (dims <-
 * key_input_dims), value_proj (value_dims <- value_input_dims), out_proj
 * (value_output_dims <- value_dims), Linear layers with bias only when `bias`,
 * created in that order. A dimension given as 0 takes MLX's default
 * (query/key input dims and value_dims: dims; value_input_dims:
 * key_input_dims; value_output_dims: dims). */
typedef struct mx_nn_multi_head_attention {
    int num_heads;
    mx_nn_linear query_proj, key_proj, value_proj, out_proj;
} mx_nn_multi_head_attention;
MX_API mx_status mx_nn_multi_head_attention_init(mx_nn_multi_head_attention *layer, mx_named_arrays *params,
                                                 const char *prefix, int dims, int num_heads, int query_input_dims,
                                                 int key_input_dims, int value_input_dims, int value_dims,
                                                 int value_output_dims, bool bias, mx_array key);
/* queries (B, Tq, *), keys and values (B, Tk, *) -> (B, Tq, value_output_dims);
 * attention of scale 1/sqrt(head dims) with mask_mode and mask as
 * mx_fast_scaled_dot_product_attention takes them. */
MX_API mx_array mx_nn_multi_head_attention_forward(const mx_nn_multi_head_attention *layer,
                                                   const mx_named_arrays *params, mx_array queries, mx_array keys,
                                                   mx_array values, const char *mask_mode, mx_array mask);
/* (n, n) with 0 on and below the diagonal and dtype's lowest value above. */
MX_API mx_array mx_nn_create_additive_causal_mask(int n, mx_dtype dtype);

/* ---- activations (mlx.nn's functions, with MLX's formulas) --------------------------- */
MX_API mx_array mx_nn_sigmoid(mx_array x);
MX_API mx_array mx_nn_relu(mx_array x);
MX_API mx_array mx_nn_relu2(mx_array x); /* relu(x)^2 */
MX_API mx_array mx_nn_relu6(mx_array x);
MX_API mx_array mx_nn_leaky_relu(mx_array x, double negative_slope); /* MLX: 0.01 */
MX_API mx_array mx_nn_log_softmax(mx_array x, int axis);             /* MLX: -1 */
MX_API mx_array mx_nn_elu(mx_array x, double alpha);                 /* MLX: 1 */
MX_API mx_array mx_nn_softmax(mx_array x, int axis);
MX_API mx_array mx_nn_softplus(mx_array x);
MX_API mx_array mx_nn_softsign(mx_array x);
MX_API mx_array mx_nn_softshrink(mx_array x, double lambd); /* MLX: 0.5 */
MX_API mx_array mx_nn_celu(mx_array x, double alpha);       /* MLX: 1 */
MX_API mx_array mx_nn_silu(mx_array x);
MX_API mx_array mx_nn_log_sigmoid(mx_array x);
MX_API mx_array mx_nn_gelu(mx_array x);                   /* x (1 + erf(x / sqrt 2)) / 2 */
MX_API mx_array mx_nn_gelu_approx(mx_array x);            /* the tanh approximation */
MX_API mx_array mx_nn_gelu_fast_approx(mx_array x);       /* x sigmoid(1.702 x) */
MX_API mx_array mx_nn_glu(mx_array x, int axis);          /* a sigmoid(b), x split in halves a, b; MLX: -1 */
MX_API mx_array mx_nn_step(mx_array x, double threshold); /* int32 1 where x >= threshold */
MX_API mx_array mx_nn_selu(mx_array x);
MX_API mx_array mx_nn_prelu(mx_array x, mx_array alpha);
MX_API mx_array mx_nn_mish(mx_array x);
MX_API mx_array mx_nn_hardswish(mx_array x);
MX_API mx_array mx_nn_hard_tanh(mx_array x, double min_val, double max_val); /* MLX: -1, 1 */
MX_API mx_array mx_nn_hard_shrink(mx_array x, double lambd);                 /* MLX: 0.5 */
MX_API mx_array mx_nn_softmin(mx_array x, int axis);
MX_API mx_array mx_nn_tanh(mx_array x);

/* ---- losses (mlx.nn.losses) ------------------------------------------------------------
 * Optional arrays (weights) take MX_NULL_ARRAY. Each comment gives MLX's
 * defaults, which C callers pass explicitly. */
typedef enum mx_nn_reduction { MX_NN_REDUCTION_NONE = 0, MX_NN_REDUCTION_MEAN, MX_NN_REDUCTION_SUM } mx_nn_reduction;

/* targets: class indices (logits' shape without axis) or probabilities
 * (logits' shape). MLX: weights none, axis -1, label_smoothing 0, reduction none. */
MX_API mx_array mx_nn_cross_entropy(mx_array logits, mx_array targets, mx_array weights, int axis,
                                    double label_smoothing, mx_nn_reduction reduction);
/* MLX: weights none, with_logits true, reduction mean. */
MX_API mx_array mx_nn_binary_cross_entropy(mx_array inputs, mx_array targets, mx_array weights, bool with_logits,
                                           mx_nn_reduction reduction);
MX_API mx_array mx_nn_l1_loss(mx_array predictions, mx_array targets, mx_nn_reduction reduction);  /* mean */
MX_API mx_array mx_nn_mse_loss(mx_array predictions, mx_array targets, mx_nn_reduction reduction); /* mean */
/* MLX: axis -1, reduction none. */
MX_API mx_array mx_nn_nll_loss(mx_array inputs, mx_array targets, int axis, mx_nn_reduction reduction);
/* MLX: full false, eps 1e-6, reduction mean. */
MX_API mx_array mx_nn_gaussian_nll_loss(mx_array inputs, mx_array targets, mx_array vars, bool full, double eps,
                                        mx_nn_reduction reduction);
/* inputs and targets are log-probabilities. MLX: axis -1, reduction none. */
MX_API mx_array mx_nn_kl_div_loss(mx_array inputs, mx_array targets, int axis, mx_nn_reduction reduction);
/* MLX: beta 1, reduction mean. */
MX_API mx_array mx_nn_smooth_l1_loss(mx_array predictions, mx_array targets, double beta, mx_nn_reduction reduction);
/* MLX: axis -1, p 2, margin 1, eps 1e-6, reduction none. */
MX_API mx_array mx_nn_triplet_loss(mx_array anchors, mx_array positives, mx_array negatives, int axis, int p,
                                   double margin, double eps, mx_nn_reduction reduction);
MX_API mx_array mx_nn_hinge_loss(mx_array inputs, mx_array targets, mx_nn_reduction reduction); /* none */
/* MLX: delta 1, reduction none. */
MX_API mx_array mx_nn_huber_loss(mx_array inputs, mx_array targets, double delta, mx_nn_reduction reduction);
MX_API mx_array mx_nn_log_cosh_loss(mx_array inputs, mx_array targets, mx_nn_reduction reduction); /* none */
/* MLX: axis 1, eps 1e-8, reduction none. */
MX_API mx_array mx_nn_cosine_similarity_loss(mx_array x1, mx_array x2, int axis, double eps, mx_nn_reduction reduction);
/* MLX: margin 0, reduction none. */
MX_API mx_array mx_nn_margin_ranking_loss(mx_array inputs1, mx_array inputs2, mx_array targets, double margin,
                                          mx_nn_reduction reduction);

/* ---- initialisers (mlx.nn.init) -------------------------------------------------------
 * Each returns a new array of `shape` and `dtype` (MLX: float32); key as for
 * the layers. Glorot and He take fan_in = shape[-1] * receptive field and
 * fan_out = shape[0] * receptive field (the product of shape[1:-1]) and
 * need at least 2 dimensions. */
MX_API mx_array mx_nn_init_constant(const int64_t *shape, int ndim, double value, mx_dtype dtype);
MX_API mx_array mx_nn_init_normal(const int64_t *shape, int ndim, double mean, double std, mx_dtype dtype,
                                  mx_array key); /* MLX: 0, 1 */
MX_API mx_array mx_nn_init_uniform(const int64_t *shape, int ndim, double low, double high, mx_dtype dtype,
                                   mx_array key); /* MLX: 0, 1 */
MX_API mx_array mx_nn_init_identity(int64_t n, mx_dtype dtype);
/* std = gain sqrt(2 / (fan_in + fan_out)); limit = gain sqrt(6 / (fan_in + fan_out)). MLX: gain 1. */
MX_API mx_array mx_nn_init_glorot_normal(const int64_t *shape, int ndim, double gain, mx_dtype dtype, mx_array key);
MX_API mx_array mx_nn_init_glorot_uniform(const int64_t *shape, int ndim, double gain, mx_dtype dtype, mx_array key);
/* fan = fan_in (fan_out false) or fan_out; std = gain / sqrt(fan); limit = gain sqrt(3 / fan). */
MX_API mx_array mx_nn_init_he_normal(const int64_t *shape, int ndim, bool fan_out, double gain, mx_dtype dtype,
                                     mx_array key);
MX_API mx_array mx_nn_init_he_uniform(const int64_t *shape, int ndim, bool fan_out, double gain, mx_dtype dtype,
                                      mx_array key);

#ifdef __cplusplus
}
#endif

#endif
