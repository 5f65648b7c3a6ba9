/* tests/c/test_gpt_golden.c - the llm.c-style golden test of the demo's GPT
 * (examples/gpt/gpt_model.c, the code `make demo` runs) against MLX 0.32:
 * the initial parameters, the logits, the loss and every parameter's
 * gradient of one batch, then 10 training steps (AdamW, warm-up + cosine,
 * clipping: gpt_train_step) with each step's loss and learning rate and the
 * final parameters; then bitwise determinism of the 10 steps.
 * Fixture: tests/c/data/gpt_golden.safetensors (tests/gen/gen_gpt_fixture.py,
 * which says what each entry holds). The test runs in tests/. */
#include <omp.h>
#include <stdlib.h>

#include "check.h"
#include "cmlx/random.h"
#include "gpt/gpt_model.h"

#define FIXTURE "c/data/gpt_golden.safetensors"

/* Tolerances, float32 (eps = 1.2e-7). cmlx and MLX compute the same
 * float32 operations but sum in other orders (GEMM blocking, reductions,
 * the fused attention and layer norm), so results differ by rounding: a
 * dot product of K terms by about sqrt(K) eps relative to the sum of its
 * terms' magnitudes; K is at most 128 here (fc2's inputs, and the batch's
 * 4 x 32 positions in the weights' gradients), a few such steps deep. An
 * element that is a small difference of large terms (a logit or gradient
 * near zero) keeps the absolute error of the large terms, so each element
 * is allowed rtol |mlx| + scale_tol max|mlx of that tensor|.
 * - logits, loss (forward: 10 GEMMs, layer norms, softmax): 1e-5 and 1e-5
 *   of the scale; measured: 4e-7 of the scale.
 * - gradients (the backward pass doubles the depth): 1e-5 and 1e-5 of the
 *   tensor's scale; measured: at most 6e-7 of the scale.
 * - training: each step feeds the last step's rounding into the next, and
 *   AdamW's m / (sqrt(v) + eps) amplifies the relative error of an element
 *   whose gradient is near zero (up to the whole learning rate when the
 *   gradient is all rounding noise). So the step losses get rtol 1e-5 (the
 *   loss averages over every position) and the final parameters rtol 1e-4
 *   plus an atol of 1e-3 of the 10 steps' summed learning rate (that sum is
 *   the most an element can move, weight decay aside; atol 5.4e-5 here);
 *   measured: losses 2.4e-7 relative, parameters 2.1e-6 absolute (3.4e-6
 *   of their scale).
 * The test prints each group's worst error as a fraction of the allowed one
 * (0.01 to 0.06 on this machine). That the tolerances still catch small
 * mistakes is checked: the learning rate 2% off, one weight off by 1e-3. */
#define FORWARD_RTOL 1e-5
#define GRAD_RTOL 1e-5
#define GRAD_SCALE_TOL 1e-5
#define STEP_LOSS_RTOL 1e-5
#define FINAL_RTOL 1e-4
#define FINAL_LR_FRACTION 1e-3

static mx_named_arrays *g_fx; /* the fixture */
static gpt_config g_cfg;
static int g_batch;
static uint64_t g_seed;

static bool load_config(void) {
    mx_metadata *meta = NULL;
    if (mx_load_safetensors(FIXTURE, &g_fx, &meta) != MX_OK) {
        fprintf(stderr, "cannot load %s: %s\n", FIXTURE, mx_last_error());
        return false;
    }
    int sizes = mx_metadata_find(meta, "sizes"), lr_seed = mx_metadata_find(meta, "lr seed"),
        version = mx_metadata_find(meta, "mlx_version");
    unsigned long long seed = 0;
    bool ok = sizes >= 0 && lr_seed >= 0 &&
              sscanf(mx_metadata_string(meta, sizes), "%d %d %d %d %d %d %d %d", &g_cfg.vocab, &g_cfg.layers,
                     &g_cfg.dims, &g_cfg.heads, &g_cfg.context, &g_batch, &g_cfg.steps, &g_cfg.warmup) == 8 &&
              sscanf(mx_metadata_string(meta, lr_seed), "%lf %llu", &g_cfg.lr, &seed) == 2;
    g_seed = seed;
    if (ok)
        printf("fixture: MLX %s; vocab %d, %d layers, %d dims, %d heads, context %d, batch %d, %d steps, lr %g\n",
               version >= 0 ? mx_metadata_string(meta, version) : "?", g_cfg.vocab, g_cfg.layers, g_cfg.dims,
               g_cfg.heads, g_cfg.context, g_batch, g_cfg.steps, g_cfg.lr);
    else
        fprintf(stderr, "%s: no readable 'sizes' / 'lr seed' metadata\n", FIXTURE);
    mx_metadata_free(meta);
    return ok;
}

/* ---- comparisons ---------------------------------------------------------------------------------- */

/* The fixture array `name` (borrowed); a failed check when missing. */
static mx_array fx(const char *name) {
    mx_array a = mx_named_arrays_get(g_fx, name);
    if (a.id == 0) {
        fprintf(stderr, "  fixture '%s' is missing\n", name);
        g_checks_failed_in_test++;
    }
    return a;
}

/* Bitwise equality of two arrays' bytes (same dtype and shape). */
static bool same_bits(mx_array a, mx_array b) {
    if (mx_array_dtype(a) != mx_array_dtype(b) || mx_ndim(a) != mx_ndim(b) ||
        memcmp(mx_shape(a), mx_shape(b), (size_t)mx_ndim(a) * sizeof(int64_t)))
        return false;
    const void *pa = mx_data(a), *pb = mx_data(b);
    return pa && pb && memcmp(pa, pb, mx_nbytes(a)) == 0;
}

typedef struct tolerance {
    double rtol, atol; /* |got - want| <= atol + rtol |want| + scale_tol max|want| */
    double scale_tol;
} tolerance;

/* Compares got with the fixture's `name` element-wise; *worst (if not
 * NULL) keeps the largest error as a fraction of the allowed one. */
static bool close_to(const char *name, mx_array got, tolerance tol, double *worst, bool quiet) {
    mx_array want = fx(name);
    if (want.id == 0)
        return false;
    if (mx_array_status(got) != MX_OK || mx_ndim(got) != mx_ndim(want) ||
        (mx_ndim(got) > 0 && memcmp(mx_shape(got), mx_shape(want), (size_t)mx_ndim(got) * sizeof(int64_t)))) {
        if (!quiet)
            fprintf(stderr, "  %s: shape or status differs from MLX's (ndim %d vs %d)\n", name, mx_ndim(got),
                    mx_ndim(want));
        return false;
    }
    int64_t n = mx_size(want);
    double *a = malloc((size_t)(n ? n : 1) * sizeof *a), *b = malloc((size_t)(n ? n : 1) * sizeof *b);
    bool ok = a && b && mx_copy_to(got, a, (size_t)n * sizeof *a, MX_FLOAT64) == MX_OK &&
              mx_copy_to(want, b, (size_t)n * sizeof *b, MX_FLOAT64) == MX_OK;
    double scale = 0;
    for (int64_t i = 0; ok && i < n; i++)
        scale = fmax(scale, fabs(b[i]));
    int64_t bad = 0;
    for (int64_t i = 0; ok && i < n; i++) {
        double allowed = tol.atol + tol.rtol * fabs(b[i]) + tol.scale_tol * scale, error = fabs(a[i] - b[i]);
        if (!(error <= allowed)) { /* NaN fails */
            if (bad++ == 0 && !quiet)
                fprintf(stderr, "  %s: element %lld is %.9g, MLX %.9g (allowed error %.3g)\n", name, (long long)i, a[i],
                        b[i], allowed);
        }
        if (worst && allowed > 0 && error / allowed > *worst)
            *worst = error / allowed;
    }
    if (bad && !quiet)
        fprintf(stderr, "  %s: %lld of %lld elements differ\n", name, (long long)bad, (long long)n);
    free(a);
    free(b);
    return ok && bad == 0;
}

/* Every parameter of `tree` against the fixture's <prefix><name>; the
 * fixture must hold no other <prefix> entry. */
static bool tree_close(const mx_named_arrays *tree, const char *prefix, tolerance tol, double *worst, bool quiet) {
    bool ok = true;
    int count = 0;
    size_t len = strlen(prefix);
    for (int i = 0; i < mx_named_arrays_size(g_fx); i++)
        count += strncmp(mx_named_arrays_name(g_fx, i), prefix, len) == 0;
    if (count != mx_named_arrays_size(tree)) {
        if (!quiet)
            fprintf(stderr, "  %s*: MLX has %d arrays, cmlx %d\n", prefix, count, mx_named_arrays_size(tree));
        ok = false;
    }
    for (int i = 0; i < mx_named_arrays_size(tree); i++) {
        char name[MX_NN_NAME_MAX + 16];
        snprintf(name, sizeof name, "%s%s", prefix, mx_named_arrays_name(tree, i));
        ok = close_to(name, mx_named_arrays_at(tree, i), tol, worst, quiet) && ok;
    }
    return ok;
}

/* Batch `step` of steps.x / steps.y: (B, T) int32 (new arrays). */
static void step_batch(int step, mx_array *x, mx_array *y) {
    int64_t start[3] = {step, 0, 0}, stop[3] = {step + 1, g_batch, g_cfg.context};
    int64_t shape[2] = {g_batch, g_cfg.context};
    *x = mx_reshape(mx_slice(fx("steps.x"), start, stop, NULL, 3), shape, 2);
    *y = mx_reshape(mx_slice(fx("steps.y"), start, stop, NULL, 3), shape, 2);
}

/* The model's tree, made by gpt_init (the demo's names and order), holding
 * the fixture's initial parameters. */
static mx_named_arrays *initial_params(gpt *model) {
    mx_named_arrays *params = mx_named_arrays_new();
    mx_random_seed(g_seed);
    if (!params || gpt_init(model, params, &g_cfg) != MX_OK) {
        mx_named_arrays_free(params);
        return NULL;
    }
    for (int i = 0; i < mx_named_arrays_size(params); i++) {
        char name[MX_NN_NAME_MAX + 16];
        snprintf(name, sizeof name, "init.%s", mx_named_arrays_name(params, i));
        mx_array a = mx_named_arrays_get(g_fx, name);
        if (a.id == 0 || mx_named_arrays_set(params, mx_named_arrays_name(params, i), a) != MX_OK) {
            fprintf(stderr, "  %s: missing from the fixture\n", name);
            mx_named_arrays_free(params);
            return NULL;
        }
    }
    return params;
}

/* The fixture's training: `cfg` (the fixture's, or a mutated one), from the
 * initial parameters; *params_out: the final tree; losses[steps], lrs[steps]. */
static bool train(const gpt_config *cfg, mx_named_arrays **params_out, double *losses, double *lrs) {
    gpt model;
    mx_named_arrays *params = initial_params(&model);
    mx_optimizer *optimizer = params ? gpt_optimizer_new(cfg) : NULL;
    bool ok = optimizer && mx_optimizer_init(optimizer, params) == MX_OK;
    for (int step = 0; ok && step < cfg->steps; step++) {
        mx_scope scope = mx_scope_begin();
        mx_array x, y;
        step_batch(step, &x, &y);
        ok = gpt_train_step(&model, optimizer, params, x, y, &losses[step], &lrs[step]) == MX_OK;
        mx_scope_end(scope);
    }
    mx_optimizer_free(optimizer);
    if (!ok) {
        fprintf(stderr, "  training failed: %s\n", mx_last_error());
        mx_named_arrays_free(params);
        params = NULL;
    }
    *params_out = params;
    return ok;
}

static double total_lr(const gpt_config *cfg) {
    double sum = 0;
    const float *lrs = mx_data_f32(fx("steps.lr"));
    for (int i = 0; lrs && i < cfg->steps; i++)
        sum += lrs[i];
    return sum;
}

static bool losses_close(const double *losses, bool quiet, double *worst) {
    const float *want = mx_data_f32(fx("steps.loss"));
    bool ok = want != NULL;
    for (int i = 0; ok && i < g_cfg.steps; i++) {
        double error = fabs(losses[i] - want[i]), allowed = STEP_LOSS_RTOL * fabs(want[i]);
        if (worst && error / allowed > *worst)
            *worst = error / allowed;
        if (!(error <= allowed)) {
            if (!quiet)
                fprintf(stderr, "  step %d: loss %.9g, MLX %.9g\n", i + 1, losses[i], want[i]);
            ok = false;
        }
    }
    return ok;
}

/* ---- tests ---------------------------------------------------------------------------------------- */

/* gpt_init from the fixture's seed: MLX's names, shapes and values (random
 * bits are required identical to MLX's; the uniform and normal transforms
 * are float32 arithmetic of the same kind, compared exactly too). */
static void test_initial_parameters(void) {
    gpt model;
    mx_named_arrays *params = mx_named_arrays_new();
    mx_random_seed(g_seed);
    CHECK_OK(gpt_init(&model, params, &g_cfg));
    CHECK(tree_close(params, "init.", (tolerance){0, 0, 0}, NULL, false));
    mx_named_arrays_free(params);
}

static void test_forward_loss_gradients(void) {
    gpt model;
    mx_named_arrays *params = initial_params(&model);
    CHECK(params != NULL);
    if (!params)
        return;
    mx_scope scope = mx_scope_begin();
    double worst_logits = 0, worst_loss = 0, worst_grads = 0, worst_norm = 0;
    CHECK(close_to("logits", gpt_forward(&model, params, fx("x")), (tolerance){FORWARD_RTOL, 0, FORWARD_RTOL},
                   &worst_logits, false));
    /* the loss and gradients as gpt_train_step computes them */
    gpt_loss_payload lp = {.model = &model, .x = fx("x"), .y = fx("y")};
    mx_array_list values = {0};
    mx_named_arrays *grads = NULL;
    CHECK_OK(mx_nn_value_and_grad(gpt_loss, &lp, params, &values, &grads));
    if (grads) {
        CHECK(close_to("loss", values.items[0], (tolerance){FORWARD_RTOL, 0, 0}, &worst_loss, false));
        CHECK(tree_close(grads, "grad.", (tolerance){GRAD_RTOL, 0, GRAD_SCALE_TOL}, &worst_grads, false));
        mx_named_arrays *clipped = NULL;
        mx_array norm = MX_NULL_ARRAY;
        CHECK_OK(mx_optim_clip_grad_norm(grads, GPT_GRAD_CLIP, &clipped, &norm));
        CHECK(close_to("grad_norm", norm, (tolerance){GRAD_RTOL, 0, 0}, &worst_norm, false));
        mx_named_arrays_free(clipped);
        mx_free(norm);
    }
    printf("forward: worst error / allowed: logits %.3f, loss %.3f; gradients %.3f (%d), their norm %.3f\n",
           worst_logits, worst_loss, worst_grads, grads ? mx_named_arrays_size(grads) : 0, worst_norm);
    mx_array_list_clear(&values);
    mx_named_arrays_free(grads);
    mx_scope_end(scope);
    mx_named_arrays_free(params);
}

static void test_training_steps(void) {
    double losses[64], lrs[64];
    CHECK(g_cfg.steps <= 64);
    mx_named_arrays *params = NULL;
    CHECK(train(&g_cfg, &params, losses, lrs));
    if (!params)
        return;
    double worst_loss = 0, worst_params = 0, final_atol = FINAL_LR_FRACTION * total_lr(&g_cfg);
    CHECK(losses_close(losses, false, &worst_loss));
    const float *want_lr = mx_data_f32(fx("steps.lr"));
    for (int i = 0; want_lr && i < g_cfg.steps; i++)
        CHECK_CLOSE(lrs[i], want_lr[i], 1e-6, 0); /* stored as float32 */
    CHECK(tree_close(params, "final.", (tolerance){FINAL_RTOL, final_atol, 0}, &worst_params, false));
    printf("%d steps: loss %.4f -> %.4f; worst error / allowed: losses %.3f, final parameters %.3f (atol %.2g)\n",
           g_cfg.steps, losses[0], losses[g_cfg.steps - 1], worst_loss, worst_params, final_atol);
    mx_named_arrays_free(params);
}

/* The comparisons must fail for small mistakes: the learning rate 2% off,
 * one weight off by 1e-3 (a tenth of an embedding row's typical size). */
static void test_mistakes_are_caught(void) {
    double losses[64], lrs[64], final_atol = FINAL_LR_FRACTION * total_lr(&g_cfg);
    gpt_config wrong_lr = g_cfg;
    wrong_lr.lr *= 1.02;
    mx_named_arrays *params = NULL;
    CHECK(train(&wrong_lr, &params, losses, lrs));
    if (params)
        CHECK(!tree_close(params, "final.", (tolerance){FINAL_RTOL, final_atol, 0}, NULL, true));
    mx_named_arrays_free(params);

    gpt model;
    params = initial_params(&model);
    if (!params)
        return;
    mx_scope scope = mx_scope_begin();
    const char *name = "layers.1.fc1.weight";
    mx_array w = mx_named_arrays_get(params, name);
    int64_t n = mx_size(w);
    float *values_of_w = malloc((size_t)n * sizeof *values_of_w);
    CHECK(values_of_w && mx_copy_to(w, values_of_w, (size_t)n * sizeof *values_of_w, MX_FLOAT32) == MX_OK);
    if (values_of_w) {
        values_of_w[3 * g_cfg.dims + 5] += 1e-3f;
        CHECK_OK(
            mx_named_arrays_set(params, name, mx_array_from_data(values_of_w, mx_shape(w), mx_ndim(w), MX_FLOAT32)));
        free(values_of_w);
    }
    gpt_loss_payload lp = {.model = &model, .x = fx("x"), .y = fx("y")};
    mx_array_list values = {0};
    mx_named_arrays *grads = NULL;
    CHECK_OK(mx_nn_value_and_grad(gpt_loss, &lp, params, &values, &grads));
    if (grads)
        CHECK(!tree_close(grads, "grad.", (tolerance){GRAD_RTOL, 0, GRAD_SCALE_TOL}, NULL, true));
    mx_array_list_clear(&values);
    mx_named_arrays_free(grads);
    mx_scope_end(scope);
    mx_named_arrays_free(params);
}

/* Bitwise equality of two trees (same names in the same order). */
static bool same_trees(const mx_named_arrays *a, const mx_named_arrays *b) {
    if (!a || !b || mx_named_arrays_size(a) != mx_named_arrays_size(b))
        return false;
    for (int i = 0; i < mx_named_arrays_size(a); i++)
        if (strcmp(mx_named_arrays_name(a, i), mx_named_arrays_name(b, i)) ||
            !same_bits(mx_named_arrays_at(a, i), mx_named_arrays_at(b, i)))
            return false;
    return true;
}

/* The same 10 steps twice give the same bytes (losses and parameters), with
 * the default thread count and with one thread. Across thread counts the
 * kernels promise nothing (a reduction with few outputs splits its reduced
 * range into one slice per thread, then adds the slices): that is printed,
 * not required. */
static void test_determinism(void) {
    double losses[2][64], lrs[64];
    mx_named_arrays *params[2] = {NULL, NULL};
    int threads = omp_get_max_threads();
    for (int pass = 0; pass < 2; pass++) {
        int count = pass ? 1 : threads;
        omp_set_num_threads(count);
        mx_named_arrays *again = NULL;
        double again_losses[64];
        CHECK(train(&g_cfg, &params[pass], losses[pass], lrs));
        CHECK(train(&g_cfg, &again, again_losses, lrs));
        CHECK(same_trees(params[pass], again));
        CHECK(memcmp(losses[pass], again_losses, (size_t)g_cfg.steps * sizeof(double)) == 0);
        mx_named_arrays_free(again);
    }
    omp_set_num_threads(threads);
    bool across =
        same_trees(params[0], params[1]) && memcmp(losses[0], losses[1], (size_t)g_cfg.steps * sizeof(double)) == 0;
    printf("determinism: the same %d steps twice, bit for bit, with %d threads and with 1; %d threads against 1: %s\n",
           g_cfg.steps, threads, threads,
           threads == 1 ? "(one core: not tested)"
           : across     ? "identical"
                        : "differ");
    mx_named_arrays_free(params[0]);
    mx_named_arrays_free(params[1]);
}

int main(void) {
    if (!load_config())
        return 1;
    RUN(test_initial_parameters);
    RUN(test_forward_loss_gradients);
    RUN(test_training_steps);
    RUN(test_mistakes_are_caught);
    RUN(test_determinism);
    mx_named_arrays_free(g_fx);
    return CHECK_SUMMARY();
}
