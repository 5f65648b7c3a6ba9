/* bench/train_step.c - one training step of cmlx from C, timed: forward,
 * backward, optimizer update, everything evaluated (bench/train_step.py runs
 * it beside cmlx's Python API, MLX and PyTorch on the same models).
 *
 *   train_step mlp [--steps N] [--warmup W]
 *       784-512-512-10 ReLU MLP, batch 128, cross-entropy, AdamW (lr 1e-3)
 *   train_step gpt [--steps N] [--warmup W] [--vocab V]
 *       the demo's GPT (examples/demo.c, `make demo`): 4 layers, 128 dims,
 *       4 heads, context 64, batch 32, AdamW (lr 1.5e-3, weight decay 0.01),
 *       gradients clipped to norm 1 - the demo's step with a constant rate
 *
 * The data is one random batch drawn once (the step's cost does not depend
 * on its values). Prints {"model": ..., "step_ms": [...]} (the measured
 * steps, after the warm-up) on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmlx/cmlx.h"

#define GPT_LAYERS 4
#define GPT_DIMS 128
#define GPT_HEADS 4
#define GPT_CONTEXT 64
#define GPT_BATCH 32

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + 1e-6 * (double)ts.tv_nsec;
}

/* ---- the MLP -------------------------------------------------------------------------------------- */
typedef struct mlp {
    mx_nn_linear l1, l2, l3;
} mlp;

typedef struct payload {
    const void *model;
    mx_array x, y;
} payload;

static mx_status mlp_loss(void *vp, const mx_named_arrays *p, mx_array_list *outputs) {
    const payload *lp = vp;
    const mlp *m = lp->model;
    mx_array h = mx_nn_relu(mx_nn_linear_forward(&m->l1, p, lp->x));
    h = mx_nn_relu(mx_nn_linear_forward(&m->l2, p, h));
    mx_array loss =
        mx_nn_cross_entropy(mx_nn_linear_forward(&m->l3, p, h), lp->y, MX_NULL_ARRAY, -1, 0.0, MX_NN_REDUCTION_MEAN);
    if (mx_array_status(loss) != MX_OK)
        return mx_array_status(loss);
    return mx_array_list_push(outputs, loss);
}

/* ---- the demo's GPT (examples/demo.c) --------------------------------------------------------------- */
typedef struct block {
    mx_nn_layer_norm norm1, norm2;
    mx_nn_linear qkv, out, fc1, fc2;
} block;

typedef struct gpt {
    mx_nn_embedding embedding;
    block blocks[GPT_LAYERS];
    mx_nn_layer_norm norm;
    mx_nn_linear head;
    mx_nn_rope rope;
} gpt;

static mx_status gpt_init(gpt *m, mx_named_arrays *params, int vocab) {
    int d = GPT_DIMS;
    m->rope = (mx_nn_rope){.dims = d / GPT_HEADS, .traditional = false, .base = 10000, .scale = 1};
    mx_status s = mx_nn_embedding_init(&m->embedding, params, "embedding", vocab, d, MX_NULL_ARRAY);
    for (int i = 0; s == MX_OK && i < GPT_LAYERS; i++) {
        block *b = &m->blocks[i];
        char name[MX_NN_NAME_MAX];
#define NAME(part) (snprintf(name, sizeof name, "layers.%d.%s", i, part), name)
        s = mx_nn_layer_norm_init(&b->norm1, params, NAME("norm1"), d, 1e-5, true, true);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->qkv, params, NAME("attention.qkv"), d, 3 * d, false, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->out, params, NAME("attention.out"), d, d, false, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_layer_norm_init(&b->norm2, params, NAME("norm2"), d, 1e-5, true, true);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->fc1, params, NAME("fc1"), d, 4 * d, true, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&b->fc2, params, NAME("fc2"), 4 * d, d, true, MX_NULL_ARRAY);
#undef NAME
    }
    if (s == MX_OK)
        s = mx_nn_layer_norm_init(&m->norm, params, "norm", d, 1e-5, true, true);
    if (s == MX_OK)
        s = mx_nn_linear_init(&m->head, params, "head", d, vocab, false, MX_NULL_ARRAY);
    return s;
}

static mx_array attention(const gpt *m, const block *b, const mx_named_arrays *p, mx_array x) {
    int64_t B = mx_dim(x, 0), T = mx_dim(x, 1), H = GPT_HEADS, D = GPT_DIMS / GPT_HEADS;
    mx_array projected = mx_nn_linear_forward(&b->qkv, p, x), qkv[3];
    if (mx_split(projected, 3, -1, qkv) != MX_OK)
        return projected;
    static const int to_heads[4] = {0, 2, 1, 3};
    for (int i = 0; i < 3; i++)
        qkv[i] = mx_transpose(mx_reshape(qkv[i], (int64_t[]){B, T, H, D}, 4), to_heads, 4);
    mx_array q = mx_nn_rope_forward(&m->rope, qkv[0], 0), k = mx_nn_rope_forward(&m->rope, qkv[1], 0);
    mx_array o = mx_fast_scaled_dot_product_attention(q, k, qkv[2], 1.0 / sqrt((double)D), "causal", MX_NULL_ARRAY,
                                                      MX_NULL_ARRAY);
    o = mx_reshape(mx_transpose(o, to_heads, 4), (int64_t[]){B, T, H * D}, 3);
    return mx_nn_linear_forward(&b->out, p, o);
}

static mx_status gpt_loss(void *vp, const mx_named_arrays *p, mx_array_list *outputs) {
    const payload *lp = vp;
    const gpt *m = lp->model;
    mx_array x = mx_nn_embedding_forward(&m->embedding, p, lp->x);
    for (int i = 0; i < GPT_LAYERS; i++) {
        const block *b = &m->blocks[i];
        x = mx_add(x, attention(m, b, p, mx_nn_layer_norm_forward(&b->norm1, p, x)));
        mx_array h = mx_nn_gelu(mx_nn_linear_forward(&b->fc1, p, mx_nn_layer_norm_forward(&b->norm2, p, x)));
        x = mx_add(x, mx_nn_linear_forward(&b->fc2, p, h));
    }
    mx_array logits = mx_nn_linear_forward(&m->head, p, mx_nn_layer_norm_forward(&m->norm, p, x));
    mx_array loss = mx_nn_cross_entropy(logits, lp->y, MX_NULL_ARRAY, -1, 0.0, MX_NN_REDUCTION_MEAN);
    if (mx_array_status(loss) != MX_OK)
        return mx_array_status(loss);
    return mx_array_list_push(outputs, loss);
}

/* ---- the step --------------------------------------------------------------------------------------- */
/* value_and_grad, [clip], update, then one evaluation of parameters,
 * optimizer state and loss (the demo's step). */
static mx_status train_step(mx_nn_loss_fn fn, payload *lp, mx_named_arrays *params, mx_optimizer *opt, bool clip,
                            double *loss) {
    mx_scope scope = mx_scope_begin();
    mx_array_list values = {0};
    mx_named_arrays *grads = NULL, *clipped = NULL;
    mx_status s = mx_nn_value_and_grad(fn, lp, params, &values, &grads);
    if (s == MX_OK && clip)
        s = mx_optim_clip_grad_norm(grads, 1.0, &clipped, NULL);
    if (s == MX_OK)
        s = mx_optimizer_update(opt, params, clip ? clipped : grads);
    if (s == MX_OK) {
        const mx_named_arrays *state = mx_optimizer_state(opt);
        int n = mx_named_arrays_size(params) + mx_named_arrays_size(state) + 1, k = 0;
        mx_array *all = malloc((size_t)n * sizeof *all);
        if (!all)
            s = MX_ERROR_MEMORY;
        for (int i = 0; all && i < mx_named_arrays_size(params); i++)
            all[k++] = mx_named_arrays_at(params, i);
        for (int i = 0; all && i < mx_named_arrays_size(state); i++)
            all[k++] = mx_named_arrays_at(state, i);
        if (all) {
            all[k++] = values.items[0];
            s = mx_eval(all, k);
        }
        free(all);
    }
    if (s == MX_OK)
        s = mx_item_f64(values.items[0], loss);
    mx_array_list_clear(&values);
    mx_named_arrays_free(grads);
    mx_named_arrays_free(clipped);
    mx_scope_end(scope);
    return s;
}

static int fail(const char *what) {
    fprintf(stderr, "train_step: %s failed: %s\n", what, mx_last_error());
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "mlp") && strcmp(argv[1], "gpt"))) {
        fprintf(stderr, "usage: train_step {mlp|gpt} [--steps N] [--warmup W] [--vocab V]\n");
        return 2;
    }
    bool is_gpt = !strcmp(argv[1], "gpt");
    int steps = 20, warmup = 5, vocab = 100;
    for (int i = 2; i + 1 < argc; i += 2) {
        int *dst = !strcmp(argv[i], "--steps")    ? &steps
                   : !strcmp(argv[i], "--warmup") ? &warmup
                   : !strcmp(argv[i], "--vocab")  ? &vocab
                                                  : NULL;
        if (!dst || (*dst = atoi(argv[i + 1])) < (dst == &warmup ? 0 : 1)) {
            fprintf(stderr, "train_step: bad option %s %s\n", argv[i], argv[i + 1]);
            return 2;
        }
    }
    mx_random_seed(0);
    mx_named_arrays *params = mx_named_arrays_new();
    mlp m_mlp;
    gpt m_gpt;
    payload lp;
    mx_status s = params ? MX_OK : MX_ERROR_MEMORY;
    if (is_gpt) {
        if (s == MX_OK)
            s = gpt_init(&m_gpt, params, vocab);
        int64_t shape[2] = {GPT_BATCH, GPT_CONTEXT};
        mx_array lo = mx_scalar_i32(0), hi = mx_scalar_i32(vocab);
        lp = (payload){&m_gpt, mx_random_randint(lo, hi, shape, 2, MX_INT32, MX_NULL_ARRAY),
                       mx_random_randint(lo, hi, shape, 2, MX_INT32, MX_NULL_ARRAY)};
    } else {
        if (s == MX_OK)
            s = mx_nn_linear_init(&m_mlp.l1, params, "l1", 784, 512, true, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&m_mlp.l2, params, "l2", 512, 512, true, MX_NULL_ARRAY);
        if (s == MX_OK)
            s = mx_nn_linear_init(&m_mlp.l3, params, "l3", 512, 10, true, MX_NULL_ARRAY);
        lp = (payload){
            &m_mlp, mx_random_normal((int64_t[]){128, 784}, 2, MX_FLOAT32, 0, 1, MX_NULL_ARRAY),
            mx_random_randint(mx_scalar_i32(0), mx_scalar_i32(10), (int64_t[]){128}, 1, MX_INT32, MX_NULL_ARRAY)};
    }
    if (s != MX_OK || mx_nn_eval(params) != MX_OK || mx_eval((mx_array[]){lp.x, lp.y}, 2) != MX_OK)
        return fail("building the model");
    mx_optim_options options = mx_optim_defaults(MX_OPTIM_ADAMW, is_gpt ? 1.5e-3 : 1e-3);
    options.weight_decay = 0.01;
    mx_optimizer *opt = mx_optimizer_new(&options);
    if (!opt)
        return fail("creating the optimizer");
    double *ms = calloc((size_t)steps, sizeof *ms), loss = NAN;
    if (!ms)
        return fail("allocating");
    for (int i = 0; i < warmup + steps; i++) {
        double t0 = now_ms();
        if (train_step(is_gpt ? gpt_loss : mlp_loss, &lp, params, opt, is_gpt, &loss) != MX_OK)
            return fail("a training step");
        if (i >= warmup)
            ms[i - warmup] = now_ms() - t0;
    }
    printf("{\"model\": \"%s\", \"loss\": %.6f, \"step_ms\": [", argv[1], loss);
    for (int i = 0; i < steps; i++)
        printf("%s%.4f", i ? ", " : "", ms[i]);
    printf("]}\n");
    free(ms);
    mx_optimizer_free(opt);
    mx_named_arrays_free(params);
    return 0;
}
