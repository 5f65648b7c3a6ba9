/* bench/train_step.c - one training step of cmlx from C, timed: forward,
 * backward, optimizer update, everything evaluated (bench/train_step.py runs
 * it beside cmlx's Python API, MLX and PyTorch on the same models).
 *
 *   train_step mlp [--steps N] [--warmup W]
 *       784-512-512-10 ReLU MLP, batch 128, cross-entropy, AdamW (lr 1e-3)
 *   train_step gpt [--steps N] [--warmup W] [--vocab V]
 *       the demo's GPT and training step, its own code (examples/gpt/
 *       gpt_model.c, `make demo`'s sizes): 4 layers, 128 dims, 4 heads,
 *       context 64, batch 32, AdamW (peak lr 1.5e-3, weight decay 0.01,
 *       the demo's warm-up and cosine), gradients clipped to norm 1
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
#include "gpt/gpt_model.h"

/* the demo's default model (examples/demo.c) */
#define GPT_LAYERS 4
#define GPT_DIMS 128
#define GPT_HEADS 4
#define GPT_CONTEXT 64
#define GPT_BATCH 32
#define GPT_LR 1.5e-3

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

/* ---- the step --------------------------------------------------------------------------------------- */
/* The MLP's step as the demo's: value_and_grad, update, then one evaluation
 * of parameters, optimizer state and loss. */
static mx_status mlp_step(payload *lp, mx_named_arrays *params, mx_optimizer *opt, double *loss) {
    mx_scope scope = mx_scope_begin();
    mx_array_list values = {0};
    mx_named_arrays *grads = NULL;
    mx_status s = mx_nn_value_and_grad(mlp_loss, lp, params, &values, &grads);
    if (s == MX_OK)
        s = mx_optimizer_update(opt, params, grads);
    if (s == MX_OK)
        s = gpt_eval_step(params, opt, values.items[0]);
    if (s == MX_OK)
        s = mx_item_f64(values.items[0], loss);
    mx_array_list_clear(&values);
    mx_named_arrays_free(grads);
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
    gpt_config cfg = {.vocab = vocab,
                      .layers = GPT_LAYERS,
                      .dims = GPT_DIMS,
                      .heads = GPT_HEADS,
                      .context = GPT_CONTEXT,
                      .steps = warmup + steps,
                      .warmup = (warmup + steps) / 10 > 1 ? (warmup + steps) / 10 : 1,
                      .lr = GPT_LR};
    payload lp;
    mx_status s = params ? MX_OK : MX_ERROR_MEMORY;
    if (is_gpt) {
        if (s == MX_OK)
            s = gpt_init(&m_gpt, params, &cfg);
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
    mx_optimizer *opt = NULL;
    if (is_gpt) {
        opt = gpt_optimizer_new(&cfg);
    } else {
        mx_optim_options options = mx_optim_defaults(MX_OPTIM_ADAMW, 1e-3);
        options.weight_decay = 0.01;
        opt = mx_optimizer_new(&options);
    }
    if (!opt)
        return fail("creating the optimizer");
    double *ms = calloc((size_t)steps, sizeof *ms), loss = NAN;
    if (!ms)
        return fail("allocating");
    for (int i = 0; i < warmup + steps; i++) {
        double t0 = now_ms();
        mx_scope scope = mx_scope_begin(); /* the step's arrays, as the demo's loop frees them */
        s = is_gpt ? gpt_train_step(&m_gpt, opt, params, lp.x, lp.y, &loss, NULL) : mlp_step(&lp, params, opt, &loss);
        mx_scope_end(scope);
        if (s != MX_OK)
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
