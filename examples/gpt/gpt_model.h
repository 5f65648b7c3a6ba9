/* examples/gpt/gpt_model.h - the demo's character-level GPT (examples/demo.c,
 * `make demo`): the parameter tree and its initialisation, the forward pass,
 * the loss, the optimizer and one training step. The demo and the golden test
 * (tests/c/test_gpt_golden.c, against MLX) use this same code.
 *
 * Model (mlx.nn names, see examples/python/gpt_demo.py for the same model in
 * Python): token embedding; `layers` pre-norm blocks, each
 *   x + attention(LayerNorm(x)), then x + MLP(LayerNorm(x)),
 * attention with RoPE on queries and keys and mx_fast_scaled_dot_product_attention
 * (causal), MLP dims -> 4 dims (GELU) -> dims; a final LayerNorm and a linear
 * head. AdamW, linear warm-up then cosine decay, gradient clipping at norm 1. */
#ifndef CMLX_EXAMPLES_GPT_MODEL_H
#define CMLX_EXAMPLES_GPT_MODEL_H

#include "cmlx/cmlx.h"
#include "cmlx/io.h"
#include "cmlx/nn.h"
#include "cmlx/optim.h"

#define GPT_MAX_LAYERS 32
#define GPT_WEIGHT_DECAY 0.01 /* AdamW's; betas, eps: MLX's defaults (0.9, 0.999), 1e-8 */
#define GPT_GRAD_CLIP 1.0     /* the gradients' global norm is clipped to this */

/* The model's sizes and the optimizer's schedule. */
typedef struct gpt_config {
    int vocab, layers, dims, heads, context;
    int steps, warmup; /* the schedule: warm-up steps, then a cosine over the rest of `steps` */
    double lr;         /* the peak learning rate; the cosine ends at lr / 10 */
} gpt_config;

typedef struct gpt_block {
    mx_nn_layer_norm norm1, norm2;
    mx_nn_linear qkv, out, fc1, fc2;
} gpt_block;

typedef struct gpt {
    int layers, dims, heads, context, vocab;
    mx_nn_embedding embedding;
    gpt_block blocks[GPT_MAX_LAYERS];
    mx_nn_layer_norm norm;
    mx_nn_linear head;
    mx_nn_rope rope;
} gpt;

/* The parameters, with MLX's initialisers, drawn from the global key
 * (mx_random_seed) in the order of MLX's constructors, into `params`.
 * MX_ERROR_VALUE without a message for layers outside 1..GPT_MAX_LAYERS. */
mx_status gpt_init(gpt *m, mx_named_arrays *params, const gpt_config *cfg);

/* tokens (B, T) int32 -> logits (B, T, vocab), lazily */
mx_array gpt_forward(const gpt *m, const mx_named_arrays *p, mx_array tokens);

/* The payload of gpt_loss: the model and a batch, x and y (B, T) int32. */
typedef struct gpt_loss_payload {
    const gpt *model;
    mx_array x, y;
} gpt_loss_payload;

/* mx_nn_loss_fn: the mean cross-entropy of the next character (y) after x. */
mx_status gpt_loss(void *payload, const mx_named_arrays *params, mx_array_list *outputs);

/* The loss of a batch, evaluated (NAN on error). */
double gpt_eval_loss(const gpt *m, const mx_named_arrays *params, mx_array x, mx_array y);

/* AdamW (weight decay GPT_WEIGHT_DECAY) whose learning rate rises linearly
 * from 0 to lr over the warm-up, then follows a cosine down to lr / 10 at
 * `steps`. NULL on error (mx_last_error). */
mx_optimizer *gpt_optimizer_new(const gpt_config *cfg);

/* One mx_eval of everything a training step changes: the parameters, the
 * optimizer's state and the loss (evaluating them apart would run shared
 * parts of the graph twice). */
mx_status gpt_eval_step(const mx_named_arrays *params, const mx_optimizer *optimizer, mx_array loss);

/* One training step on the batch (x, y): the loss and the gradients, clipped
 * to the global norm GPT_GRAD_CLIP, the optimizer's update of params, and one
 * mx_eval for the parameters, the optimizer state and the loss. *loss: the
 * loss before the update; *lr (may be NULL): the learning rate the update used. */
mx_status gpt_train_step(const gpt *m, mx_optimizer *optimizer, mx_named_arrays *params, mx_array x, mx_array y,
                         double *loss, double *lr);

#endif
