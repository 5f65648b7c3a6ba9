/* examples/gpt/gpt_model.c - the demo's GPT: parameters, forward, loss,
 * optimizer, training step (see gpt_model.h). */
#include "gpt_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmlx/fast.h"

mx_status gpt_init(gpt *m, mx_named_arrays *params, const gpt_config *cfg) {
    m->layers = cfg->layers;
    m->dims = cfg->dims;
    m->heads = cfg->heads;
    m->context = cfg->context;
    m->vocab = cfg->vocab;
    m->rope = (mx_nn_rope){.dims = cfg->dims / cfg->heads, .traditional = false, .base = 10000, .scale = 1};
    if (cfg->layers < 1 || cfg->layers > GPT_MAX_LAYERS)
        return MX_ERROR_VALUE; /* the blocks' array holds GPT_MAX_LAYERS */
    mx_status s = mx_nn_embedding_init(&m->embedding, params, "embedding", cfg->vocab, cfg->dims, MX_NULL_ARRAY);
    for (int i = 0; s == MX_OK && i < m->layers; i++) {
        gpt_block *b = &m->blocks[i];
        char prefix[MX_NN_NAME_MAX];
        int d = cfg->dims;
#define PREFIX(part) (snprintf(prefix, sizeof prefix, "layers.%d.%s", i, part), prefix)
        s = mx_nn_layer_norm_init(&b->norm1, params, PREFIX("norm1"), d, 1e-5, true, true);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->qkv, params, PREFIX("attention.qkv"), d, 3 * d, false, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->out, params, PREFIX("attention.out"), d, d, false, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_layer_norm_init(&b->norm2, params, PREFIX("norm2"), d, 1e-5, true, true);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->fc1, params, PREFIX("fc1"), d, 4 * d, true, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->fc2, params, PREFIX("fc2"), 4 * d, d, true, MX_NULL_ARRAY);
#undef PREFIX
    }
    if (s == MX_OK)
        s = mx_nn_layer_norm_init(&m->norm, params, "norm", cfg->dims, 1e-5, true, true);
    if (s == MX_OK)
        s = mx_nn_linear_init(&m->head, params, "head", cfg->dims, cfg->vocab, false, MX_NULL_ARRAY);
    return s;
}

/* x (B, T, dims) -> (B, T, dims): causal self-attention, RoPE on queries and keys. */
static mx_array attention(const gpt *m, const gpt_block *b, const mx_named_arrays *p, mx_array x) {
    int64_t B = mx_dim(x, 0), T = mx_dim(x, 1), H = m->heads, D = m->dims / m->heads;
    mx_array projected = mx_nn_linear_forward(&b->qkv, p, x), qkv[3];
    if (mx_split(projected, 3, -1, qkv) != MX_OK)
        return projected; /* an error array (or valid: then the error is the split's, set in mx_last_error) */
    static const int to_heads[4] = {0, 2, 1, 3}; /* (B, T, H, D) <-> (B, H, T, D) */
    for (int i = 0; i < 3; i++)
        qkv[i] = mx_transpose(mx_reshape(qkv[i], (int64_t[]){B, T, H, D}, 4), to_heads, 4);
    mx_array q = mx_nn_rope_forward(&m->rope, qkv[0], 0), k = mx_nn_rope_forward(&m->rope, qkv[1], 0);
    mx_array o = mx_fast_scaled_dot_product_attention(q, k, qkv[2], 1.0 / sqrt((double)D), "causal", MX_NULL_ARRAY,
                                                      MX_NULL_ARRAY);
    o = mx_reshape(mx_transpose(o, to_heads, 4), (int64_t[]){B, T, H * D}, 3);
    return mx_nn_linear_forward(&b->out, p, o);
}

mx_array gpt_forward(const gpt *m, const mx_named_arrays *p, mx_array tokens) {
    mx_array x = mx_nn_embedding_forward(&m->embedding, p, tokens);
    for (int i = 0; i < m->layers; i++) {
        const gpt_block *b = &m->blocks[i];
        x = mx_add(x, attention(m, b, p, mx_nn_layer_norm_forward(&b->norm1, p, x)));
        mx_array h = mx_nn_gelu(mx_nn_linear_forward(&b->fc1, p, mx_nn_layer_norm_forward(&b->norm2, p, x)));
        x = mx_add(x, mx_nn_linear_forward(&b->fc2, p, h));
    }
    return mx_nn_linear_forward(&m->head, p, mx_nn_layer_norm_forward(&m->norm, p, x));
}

mx_status gpt_loss(void *payload, const mx_named_arrays *params, mx_array_list *outputs) {
    const gpt_loss_payload *lp = payload;
    mx_array logits = gpt_forward(lp->model, params, lp->x);
    mx_array loss = mx_nn_cross_entropy(logits, lp->y, MX_NULL_ARRAY, -1, 0.0, MX_NN_REDUCTION_MEAN);
    if (mx_array_status(loss) != MX_OK)
        return mx_array_status(loss);
    return mx_array_list_push(outputs, loss);
}

double gpt_eval_loss(const gpt *m, const mx_named_arrays *params, mx_array x, mx_array y) {
    mx_scope scope = mx_scope_begin();
    mx_array_list out = {0};
    gpt_loss_payload lp = {m, x, y};
    double value = NAN;
    if (gpt_loss(&lp, params, &out) == MX_OK && mx_item_f64(out.items[0], &value) != MX_OK)
        value = NAN;
    mx_array_list_clear(&out);
    mx_scope_end(scope);
    return value;
}

mx_optimizer *gpt_optimizer_new(const gpt_config *cfg) {
    /* AdamW; learning rate: 0 -> lr over the warm-up, then cosine down to lr / 10 */
    mx_schedule *parts[2] = {
        mx_optim_linear_schedule(0.0, cfg->lr, cfg->warmup),
        mx_optim_cosine_decay(cfg->lr, cfg->steps > cfg->warmup ? cfg->steps - cfg->warmup : 1, cfg->lr / 10)};
    mx_optim_options options = mx_optim_defaults(MX_OPTIM_ADAMW, cfg->lr);
    options.schedule = mx_optim_join_schedules(parts, 2, (int64_t[]){cfg->warmup}, 1);
    options.weight_decay = GPT_WEIGHT_DECAY;
    mx_optimizer *optimizer = options.schedule ? mx_optimizer_new(&options) : NULL;
    mx_optim_schedule_free(parts[0]);
    mx_optim_schedule_free(parts[1]);
    mx_optim_schedule_free(options.schedule);
    return optimizer;
}

mx_status gpt_eval_step(const mx_named_arrays *params, const mx_optimizer *optimizer, mx_array loss) {
    const mx_named_arrays *state = mx_optimizer_state(optimizer);
    int n = mx_named_arrays_size(params) + mx_named_arrays_size(state) + 1, k = 0;
    mx_array *all = malloc((size_t)n * sizeof *all);
    if (!all)
        return MX_ERROR_MEMORY;
    for (int i = 0; i < mx_named_arrays_size(params); i++)
        all[k++] = mx_named_arrays_at(params, i);
    for (int i = 0; i < mx_named_arrays_size(state); i++)
        all[k++] = mx_named_arrays_at(state, i);
    all[k++] = loss;
    mx_status s = mx_eval(all, k);
    free(all);
    return s;
}

mx_status gpt_train_step(const gpt *m, mx_optimizer *optimizer, mx_named_arrays *params, mx_array x, mx_array y,
                         double *loss, double *lr) {
    gpt_loss_payload lp = {.model = m, .x = x, .y = y};
    mx_array_list values = {0};
    mx_named_arrays *grads = NULL, *clipped = NULL;
    mx_status s = mx_nn_value_and_grad(gpt_loss, &lp, params, &values, &grads);
    if (s == MX_OK)
        s = mx_optim_clip_grad_norm(grads, GPT_GRAD_CLIP, &clipped, NULL);
    if (s == MX_OK)
        s = mx_optimizer_update(optimizer, params, clipped);
    if (s == MX_OK) /* one evaluation for the whole step */
        s = gpt_eval_step(params, optimizer, values.items[0]);
    if (s == MX_OK)
        s = mx_item_f64(values.items[0], loss);
    if (s == MX_OK && lr)
        mx_item_f64(mx_optimizer_learning_rate(optimizer), lr);
    mx_array_list_clear(&values);
    mx_named_arrays_free(grads);
    mx_named_arrays_free(clipped);
    return s;
}
