/* tests/c/test_nn.c - nn.h against MLX 0.32: each layer's initial parameters
 * (same seed -> same values), forward values and gradients, the activations,
 * losses and initialisers, BatchNorm's running statistics, Dropout's mask, a
 * 5-step AdamW training run of an MLP (losses and final parameters, and
 * bitwise determinism when repeated), and the error paths.
 * Fixtures: tests/c/data/nn.safetensors (tests/gen/gen_nn_fixtures.py). */
#include "nn_fixture.h"

#define RTOL 2e-5
#define ATOL 2e-6
#define GRTOL 1e-4
#define GATOL 2e-5

/* ---- layers: init, forward and gradients ------------------------------------------- */
typedef mx_array (*layer_fn)(const void *layer, const mx_named_arrays *params, const mx_array *xs);

typedef struct layer_run {
    const void *layer;
    layer_fn forward;
    mx_array xs[3];
    mx_array cot;
} layer_run;

/* sum(forward(x) * cot), with x0 taken from the tree when it is there. */
static mx_status layer_loss(void *payload, const mx_named_arrays *params, mx_array_list *outputs) {
    layer_run *run = payload;
    mx_array xs[3] = {run->xs[0], run->xs[1], run->xs[2]};
    mx_array x0 = mx_named_arrays_get(params, "x0");
    if (x0.id)
        xs[0] = x0;
    mx_array y = run->forward(run->layer, params, xs);
    mx_array prod = mx_multiply(y, run->cot);
    mx_array loss = mx_sum(prod, false);
    mx_free_n((mx_array[]){y, prod}, 2);
    if (mx_array_status(loss) != MX_OK) {
        mx_free(loss);
        return mx_last_status();
    }
    return mx_array_list_push(outputs, loss);
}

static void check_layer(const char *name, const void *layer, const mx_named_arrays *init_tree, layer_fn forward,
                        int n_inputs) {
    char key[256];
    /* the initial parameters: MLX's names and values */
    snprintf(key, sizeof key, "layer.%s.init.", name);
    mx_named_arrays *want_init = fx_subtree(key);
    CHECK_EQ_INT(mx_named_arrays_size(init_tree), mx_named_arrays_size(want_init));
    for (int i = 0; i < mx_named_arrays_size(want_init); i++) {
        const char *pname = mx_named_arrays_name(want_init, i);
        mx_array got = mx_named_arrays_get(init_tree, pname);
        snprintf(key, sizeof key, "%s init %s", name, pname);
        CHECK(got.id != 0);
        if (got.id)
            CHECK_FX(key, got, mx_named_arrays_at(want_init, i), 0, 0);
    }
    mx_named_arrays_free(want_init);

    /* forward on the fixture's parameters */
    snprintf(key, sizeof key, "layer.%s.param.", name);
    mx_named_arrays *params = fx_subtree(key);
    layer_run run = {.layer = layer, .forward = forward};
    for (int i = 0; i < n_inputs; i++) {
        snprintf(key, sizeof key, "layer.%s.x%d", name, i);
        run.xs[i] = fx(key);
    }
    snprintf(key, sizeof key, "layer.%s.cot", name);
    run.cot = fx(key);
    mx_array y = forward(layer, params, run.xs);
    snprintf(key, sizeof key, "layer.%s.y", name);
    CHECK_FX(key, y, fx(key), RTOL, ATOL);
    mx_free(y);

    /* gradients of sum(y * cot) through mx_nn_value_and_grad */
    bool float_input = mx_dtype_is_float(mx_array_dtype(run.xs[0]));
    if (float_input)
        mx_named_arrays_set(params, "x0", run.xs[0]);
    mx_array_list values = {0};
    mx_named_arrays *grads = NULL;
    CHECK_OK(mx_nn_value_and_grad(layer_loss, &run, params, &values, &grads));
    CHECK_EQ_INT(values.count, 1);
    for (int i = 0; grads && i < mx_named_arrays_size(grads); i++) {
        const char *pname = mx_named_arrays_name(grads, i);
        snprintf(key, sizeof key, "layer.%s.grad.%s", name, strcmp(pname, "x0") ? pname : "x");
        CHECK_FX(key, mx_named_arrays_at(grads, i), fx(key), GRTOL, GATOL);
    }
    mx_array_list_clear(&values);
    mx_named_arrays_free(grads);
    mx_named_arrays_free(params);
}

static mx_array fwd_linear(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_linear_forward(l, p, xs[0]);
}
static mx_array fwd_embedding(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_embedding_forward(l, p, xs[0]);
}
static mx_array fwd_layer_norm(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_layer_norm_forward(l, p, xs[0]);
}
static mx_array fwd_rms_norm(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_rms_norm_forward(l, p, xs[0]);
}
static mx_array fwd_group_norm(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_group_norm_forward(l, p, xs[0]);
}
static mx_array fwd_conv1d(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_conv1d_forward(l, p, xs[0]);
}
static mx_array fwd_conv2d(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_conv2d_forward(l, p, xs[0]);
}
static mx_array fwd_mha(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_multi_head_attention_forward(l, p, xs[0], xs[1], xs[2], NULL, MX_NULL_ARRAY);
}
static mx_array fwd_mha_self_causal(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_multi_head_attention_forward(l, p, xs[0], xs[0], xs[0], "causal", MX_NULL_ARRAY);
}
static mx_array fwd_mha_self_mask(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    mx_array mask = mx_nn_create_additive_causal_mask(4, MX_FLOAT32);
    mx_array y = mx_nn_multi_head_attention_forward(l, p, xs[0], xs[0], xs[0], NULL, mask);
    mx_free(mask);
    return y;
}
static mx_array fwd_rope_offset3(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_rope_forward(l, xs[0], 3);
}
static mx_array fwd_rope(const void *l, const mx_named_arrays *p, const mx_array *xs) {
    return mx_nn_rope_forward(l, xs[0], 0);
}

static void test_linear(void) {
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_linear l;
    mx_random_seed(1);
    CHECK_OK(mx_nn_linear_init(&l, t, "", 5, 3, true, MX_NULL_ARRAY));
    check_layer("linear", &l, t, fwd_linear, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    mx_random_seed(3);
    CHECK_OK(mx_nn_linear_init(&l, t, NULL, 5, 3, false, MX_NULL_ARRAY));
    check_layer("linear_nobias", &l, t, fwd_linear, 1);
    mx_named_arrays_free(t);
}

static void test_embedding(void) {
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_embedding e;
    mx_random_seed(5);
    CHECK_OK(mx_nn_embedding_init(&e, t, "", 10, 6, MX_NULL_ARRAY));
    check_layer("embedding", &e, t, fwd_embedding, 1);
    /* as_linear: x W^T */
    mx_array x = fx("layer.embedding.y");
    mx_array w = mx_named_arrays_get(t, "weight");
    mx_array got = mx_nn_embedding_as_linear(&e, t, x);
    mx_array want = mx_matmul(x, mx_transpose(w, NULL, 0));
    CHECK_FX("as_linear", got, want, 0, 0);
    mx_free_n((mx_array[]){got, want}, 2);
    mx_named_arrays_free(t);
}

static void test_norms(void) {
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_layer_norm ln;
    CHECK_OK(mx_nn_layer_norm_init(&ln, t, "", 6, 1e-5, true, true));
    check_layer("layer_norm", &ln, t, fwd_layer_norm, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    CHECK_OK(mx_nn_layer_norm_init(&ln, t, "", 6, 1e-3, false, true));
    check_layer("layer_norm_noaffine", &ln, t, fwd_layer_norm, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    mx_nn_rms_norm rms;
    CHECK_OK(mx_nn_rms_norm_init(&rms, t, "", 6, 1e-5));
    check_layer("rms_norm", &rms, t, fwd_rms_norm, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    mx_nn_group_norm gn;
    CHECK_OK(mx_nn_group_norm_init(&gn, t, "", 2, 6, 1e-5, true, false));
    CHECK(strcmp(mx_named_arrays_name(t, 0), "bias") == 0); /* MLX's order */
    check_layer("group_norm", &gn, t, fwd_group_norm, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    CHECK_OK(mx_nn_group_norm_init(&gn, t, "", 3, 6, 1e-5, true, true));
    check_layer("group_norm_pt", &gn, t, fwd_group_norm, 1);
    mx_named_arrays_free(t);
}

static void test_convs(void) {
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_conv1d c1;
    mx_random_seed(14);
    CHECK_OK(mx_nn_conv1d_init(&c1, t, "", 3, 4, 3, 2, 1, 1, 1, true, MX_NULL_ARRAY));
    check_layer("conv1d", &c1, t, fwd_conv1d, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    mx_random_seed(16);
    CHECK_OK(mx_nn_conv1d_init(&c1, t, "", 4, 6, 2, 1, 0, 2, 2, false, MX_NULL_ARRAY));
    check_layer("conv1d_groups", &c1, t, fwd_conv1d, 1);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    mx_nn_conv2d c2;
    mx_random_seed(18);
    CHECK_OK(
        mx_nn_conv2d_init(&c2, t, "", 2, 3, (int[]){2, 3}, (int[]){1, 2}, (int[]){1, 0}, NULL, 1, true, MX_NULL_ARRAY));
    check_layer("conv2d", &c2, t, fwd_conv2d, 1);
    mx_named_arrays_free(t);
}

static void test_attention_and_rope(void) {
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_multi_head_attention mha;
    mx_random_seed(20);
    CHECK_OK(mx_nn_multi_head_attention_init(&mha, t, "", 8, 2, 0, 0, 0, 0, 0, true, MX_NULL_ARRAY));
    check_layer("mha", &mha, t, fwd_mha, 3);
    mx_named_arrays_free(t);
    t = mx_named_arrays_new();
    mx_random_seed(24);
    CHECK_OK(mx_nn_multi_head_attention_init(&mha, t, "", 8, 4, 0, 0, 0, 12, 6, false, MX_NULL_ARRAY));
    check_layer("mha_causal", &mha, t, fwd_mha_self_mask, 1);
    check_layer("mha_causal", &mha, t, fwd_mha_self_causal, 1);
    mx_named_arrays_free(t);
    mx_array mask = mx_nn_create_additive_causal_mask(4, MX_FLOAT32);
    CHECK_FX("causal mask", mask, fx("layer.mha_causal.mask"), 0, 0);
    mx_free(mask);

    t = mx_named_arrays_new();
    mx_nn_rope rope = {.dims = 4, .traditional = false, .base = 10000, .scale = 1};
    check_layer("rope", &rope, t, fwd_rope_offset3, 1);
    mx_nn_rope trad = {.dims = 6, .traditional = true, .base = 500, .scale = 0.5};
    check_layer("rope_traditional", &trad, t, fwd_rope, 1);
    mx_named_arrays_free(t);
}

/* Parameter names of a nested model: MLX's paths under the prefix. */
static void test_prefixes(void) {
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_multi_head_attention mha;
    mx_nn_layer_norm ln;
    CHECK_OK(mx_nn_multi_head_attention_init(&mha, t, "layers.0.attn", 8, 2, 0, 0, 0, 0, 0, false, mx_random_key(1)));
    CHECK_OK(mx_nn_layer_norm_init(&ln, t, "layers.0.ln1", 8, 1e-5, true, true));
    const char *want[] = {
        "layers.0.attn.query_proj.weight", "layers.0.attn.key_proj.weight", "layers.0.attn.value_proj.weight",
        "layers.0.attn.out_proj.weight",   "layers.0.ln1.weight",           "layers.0.ln1.bias"};
    CHECK_EQ_INT(mx_named_arrays_size(t), 6);
    for (int i = 0; i < 6 && i < mx_named_arrays_size(t); i++)
        CHECK(strcmp(mx_named_arrays_name(t, i), want[i]) == 0);
    CHECK_EQ_INT(mx_nn_num_parameters(t), 4 * 64 + 16);
    /* an explicit key: the same values twice, different from another key */
    mx_named_arrays *t2 = mx_named_arrays_new();
    CHECK_OK(mx_nn_multi_head_attention_init(&mha, t2, "layers.0.attn", 8, 2, 0, 0, 0, 0, 0, false, mx_random_key(1)));
    CHECK(same_bits(mx_named_arrays_at(t, 0), mx_named_arrays_at(t2, 0)));
    CHECK(!same_bits(mx_named_arrays_at(t, 0), mx_named_arrays_at(t2, 1)));
    /* a tree round-trips through safetensors under the same names */
    CHECK_OK(mx_save_safetensors("/tmp/cmlx_test_nn_tree.safetensors", t, NULL));
    mx_named_arrays *back = NULL;
    CHECK_OK(mx_load_safetensors("/tmp/cmlx_test_nn_tree.safetensors", &back, NULL));
    CHECK_EQ_INT(mx_named_arrays_size(back), 6);
    for (int i = 0; back && i < 6; i++)
        CHECK(same_bits(mx_named_arrays_get(back, want[i]), mx_named_arrays_get(t, want[i])));
    remove("/tmp/cmlx_test_nn_tree.safetensors");
    mx_named_arrays_free(back);
    mx_named_arrays_free(t2);
    mx_named_arrays_free(t);
}

static void test_batch_norm(void) {
    mx_named_arrays *params = mx_named_arrays_new(), *stats = mx_named_arrays_new();
    mx_nn_batch_norm bn;
    CHECK_OK(mx_nn_batch_norm_init(&bn, params, stats, "bn", 4, 1e-5, 0.1, true, true));
    CHECK_EQ_INT(mx_named_arrays_size(params), 2);
    CHECK_EQ_INT(mx_named_arrays_size(stats), 2);
    mx_named_arrays_set(params, "bn.weight", fx("bn.weight"));
    mx_named_arrays_set(params, "bn.bias", fx("bn.bias"));
    mx_array x = fx("bn.x");
    mx_array y = mx_nn_batch_norm_forward(&bn, params, stats, x, true);
    CHECK_FX("bn train", y, fx("bn.y_train"), RTOL, ATOL);
    CHECK_FX("bn running_mean", mx_named_arrays_get(stats, "bn.running_mean"), fx("bn.running_mean"), RTOL, ATOL);
    CHECK_FX("bn running_var", mx_named_arrays_get(stats, "bn.running_var"), fx("bn.running_var"), RTOL, ATOL);
    mx_free(y);
    y = mx_nn_batch_norm_forward(&bn, params, stats, x, false);
    CHECK_FX("bn eval", y, fx("bn.y_eval"), RTOL, ATOL);
    mx_free(y);
    /* errors: rank 5, one value per channel in training */
    y = mx_nn_batch_norm_forward(&bn, params, stats, mx_zeros(SHAPE(1, 1, 1, 1, 4), MX_FLOAT32), false);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "BatchNorm 'bn'") != NULL);
    mx_free(y);
    y = mx_nn_batch_norm_forward(&bn, params, stats, mx_zeros(SHAPE(1, 4), MX_FLOAT32), true);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    mx_free(y);
    mx_named_arrays_free(params);
    mx_named_arrays_free(stats);
}

static void test_dropout(void) {
    mx_array x = fx("dropout.x");
    mx_random_seed(34);
    mx_array y = mx_nn_dropout(x, 0.3, true, MX_NULL_ARRAY);
    CHECK_FX("dropout", y, fx("dropout.y"), RTOL, 0);
    mx_free(y);
    y = mx_nn_dropout(x, 0.3, false, MX_NULL_ARRAY);
    CHECK(same_bits(y, x));
    mx_free(y);
    /* a key gives the same mask twice */
    mx_array k = mx_random_key(9);
    mx_array a = mx_nn_dropout(x, 0.5, true, k), b = mx_nn_dropout(x, 0.5, true, k);
    CHECK(same_bits(a, b));
    mx_free_n((mx_array[]){a, b, k}, 3);
    y = mx_nn_dropout(x, 1.0, true, MX_NULL_ARRAY);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    mx_free(y);
}

/* ---- activations ---------------------------------------------------------------------------- */
typedef mx_array (*act_fn)(mx_array x);
static mx_array act_leaky(mx_array x) { return mx_nn_leaky_relu(x, 0.1); }
static mx_array act_log_softmax(mx_array x) { return mx_nn_log_softmax(x, -1); }
static mx_array act_log_softmax0(mx_array x) { return mx_nn_log_softmax(x, 0); }
static mx_array act_elu(mx_array x) { return mx_nn_elu(x, 0.7); }
static mx_array act_softmax(mx_array x) { return mx_nn_softmax(x, -1); }
static mx_array act_softshrink(mx_array x) { return mx_nn_softshrink(x, 0.6); }
static mx_array act_celu(mx_array x) { return mx_nn_celu(x, 1.3); }
static mx_array act_glu(mx_array x) { return mx_nn_glu(x, -1); }
static mx_array act_prelu(mx_array x) { return mx_nn_prelu(x, mx_named_arrays_get(g_fx, "act.alpha")); }
static mx_array act_hard_tanh(mx_array x) { return mx_nn_hard_tanh(x, -0.5, 2.0); }
static mx_array act_hard_shrink(mx_array x) { return mx_nn_hard_shrink(x, 0.7); }
static mx_array act_softmin(mx_array x) { return mx_nn_softmin(x, -1); }

static const struct {
    const char *name;
    act_fn f;
} k_acts[] = {
    {"sigmoid", mx_nn_sigmoid},
    {"relu", mx_nn_relu},
    {"relu2", mx_nn_relu2},
    {"relu6", mx_nn_relu6},
    {"leaky_relu", act_leaky},
    {"log_softmax", act_log_softmax},
    {"log_softmax0", act_log_softmax0},
    {"elu", act_elu},
    {"softmax", act_softmax},
    {"softplus", mx_nn_softplus},
    {"softsign", mx_nn_softsign},
    {"softshrink", act_softshrink},
    {"celu", act_celu},
    {"silu", mx_nn_silu},
    {"log_sigmoid", mx_nn_log_sigmoid},
    {"gelu", mx_nn_gelu},
    {"gelu_approx", mx_nn_gelu_approx},
    {"gelu_fast_approx", mx_nn_gelu_fast_approx},
    {"glu", act_glu},
    {"selu", mx_nn_selu},
    {"prelu", act_prelu},
    {"mish", mx_nn_mish},
    {"hardswish", mx_nn_hardswish},
    {"hard_tanh", act_hard_tanh},
    {"hard_shrink", act_hard_shrink},
    {"softmin", act_softmin},
    {"tanh", mx_nn_tanh},
};

static mx_status act_loss(void *payload, const mx_named_arrays *params, mx_array_list *outputs) {
    act_fn f = *(act_fn *)payload;
    mx_array y = f(mx_named_arrays_get(params, "x"));
    mx_array cot = mx_random_normal(mx_shape(y), mx_ndim(y), MX_FLOAT32, 0, 1, mx_random_key(41));
    return mx_array_list_push(outputs, mx_sum(mx_multiply(y, cot), false));
}

static void test_activations(void) {
    mx_array x = fx("act.x");
    mx_named_arrays *tree = mx_named_arrays_new();
    mx_named_arrays_set(tree, "x", x);
    for (size_t i = 0; i < sizeof k_acts / sizeof k_acts[0]; i++) {
        mx_scope scope = mx_scope_begin();
        char key[128];
        snprintf(key, sizeof key, "act.%s.y", k_acts[i].name);
        CHECK_FX(key, k_acts[i].f(x), fx(key), RTOL, ATOL);
        act_fn f = k_acts[i].f;
        mx_array_list values = {0};
        mx_named_arrays *grads = NULL;
        CHECK_OK(mx_nn_value_and_grad(act_loss, &f, tree, &values, &grads));
        snprintf(key, sizeof key, "act.%s.dx", k_acts[i].name);
        if (grads)
            CHECK_FX(key, mx_named_arrays_get(grads, "x"), fx(key), GRTOL, GATOL);
        mx_array_list_clear(&values);
        mx_named_arrays_free(grads);
        mx_scope_end(scope);
    }
    mx_array s = mx_nn_step(x, 0.5);
    CHECK_EQ_INT(mx_array_dtype(s), MX_INT32);
    CHECK_FX("step", s, fx("act.step.y"), 0, 0);
    mx_free(s);
    mx_named_arrays_free(tree);
}

/* ---- losses ---------------------------------------------------------------------------------- */
typedef mx_array (*loss_fn)(mx_array a, mx_array b, mx_array c);
static mx_array l_ce_idx(mx_array a, mx_array b, mx_array c) {
    return mx_nn_cross_entropy(a, b, MX_NULL_ARRAY, -1, 0, MX_NN_REDUCTION_NONE);
}
static mx_array l_ce_smooth(mx_array a, mx_array b, mx_array c) {
    return mx_nn_cross_entropy(a, b, c, -1, 0.1, MX_NN_REDUCTION_MEAN);
}
static mx_array l_ce_probs(mx_array a, mx_array b, mx_array c) {
    return mx_nn_cross_entropy(a, b, MX_NULL_ARRAY, -1, 0, MX_NN_REDUCTION_SUM);
}
static mx_array l_ce_axis0(mx_array a, mx_array b, mx_array c) {
    return mx_nn_cross_entropy(a, b, MX_NULL_ARRAY, 0, 0, MX_NN_REDUCTION_NONE);
}
static mx_array l_bce_logits(mx_array a, mx_array b, mx_array c) {
    return mx_nn_binary_cross_entropy(a, b, MX_NULL_ARRAY, true, MX_NN_REDUCTION_MEAN);
}
static mx_array l_bce_probs(mx_array a, mx_array b, mx_array c) {
    return mx_nn_binary_cross_entropy(a, b, c, false, MX_NN_REDUCTION_NONE);
}
static mx_array l_l1(mx_array a, mx_array b, mx_array c) { return mx_nn_l1_loss(a, b, MX_NN_REDUCTION_MEAN); }
static mx_array l_mse(mx_array a, mx_array b, mx_array c) { return mx_nn_mse_loss(a, b, MX_NN_REDUCTION_SUM); }
static mx_array l_nll(mx_array a, mx_array b, mx_array c) { return mx_nn_nll_loss(a, b, -1, MX_NN_REDUCTION_MEAN); }
static mx_array l_gnll(mx_array a, mx_array b, mx_array c) {
    return mx_nn_gaussian_nll_loss(a, b, c, true, 1e-6, MX_NN_REDUCTION_MEAN);
}
static mx_array l_kl(mx_array a, mx_array b, mx_array c) { return mx_nn_kl_div_loss(a, b, -1, MX_NN_REDUCTION_SUM); }
static mx_array l_smooth_l1(mx_array a, mx_array b, mx_array c) {
    return mx_nn_smooth_l1_loss(a, b, 0.5, MX_NN_REDUCTION_MEAN);
}
static mx_array l_triplet(mx_array a, mx_array b, mx_array c) {
    return mx_nn_triplet_loss(a, b, c, -1, 2, 1.0, 1e-6, MX_NN_REDUCTION_NONE);
}
static mx_array l_triplet_p1(mx_array a, mx_array b, mx_array c) {
    return mx_nn_triplet_loss(a, b, c, -1, 1, 0.5, 1e-6, MX_NN_REDUCTION_MEAN);
}
static mx_array l_hinge(mx_array a, mx_array b, mx_array c) { return mx_nn_hinge_loss(a, b, MX_NN_REDUCTION_NONE); }
static mx_array l_huber(mx_array a, mx_array b, mx_array c) {
    return mx_nn_huber_loss(a, b, 0.7, MX_NN_REDUCTION_NONE);
}
static mx_array l_log_cosh(mx_array a, mx_array b, mx_array c) {
    return mx_nn_log_cosh_loss(a, b, MX_NN_REDUCTION_MEAN);
}
static mx_array l_cosine(mx_array a, mx_array b, mx_array c) {
    return mx_nn_cosine_similarity_loss(a, b, 1, 1e-8, MX_NN_REDUCTION_NONE);
}
static mx_array l_margin(mx_array a, mx_array b, mx_array c) {
    return mx_nn_margin_ranking_loss(a, b, c, 0.2, MX_NN_REDUCTION_NONE);
}

static const struct {
    const char *name;
    loss_fn f;
} k_losses[] = {
    {"ce_idx", l_ce_idx},
    {"ce_smooth", l_ce_smooth},
    {"ce_probs", l_ce_probs},
    {"ce_axis0", l_ce_axis0},
    {"bce_logits", l_bce_logits},
    {"bce_probs", l_bce_probs},
    {"l1", l_l1},
    {"mse", l_mse},
    {"nll", l_nll},
    {"gaussian_nll", l_gnll},
    {"kl_div", l_kl},
    {"smooth_l1", l_smooth_l1},
    {"triplet", l_triplet},
    {"triplet_p1", l_triplet_p1},
    {"hinge", l_hinge},
    {"huber", l_huber},
    {"log_cosh", l_log_cosh},
    {"cosine", l_cosine},
    {"margin_ranking", l_margin},
};

typedef struct loss_case {
    loss_fn f;
    mx_array b, c;
} loss_case;

static mx_status loss_sum(void *payload, const mx_named_arrays *params, mx_array_list *outputs) {
    loss_case *lc = payload;
    return mx_array_list_push(outputs, mx_sum(lc->f(mx_named_arrays_get(params, "a"), lc->b, lc->c), false));
}

static void test_losses(void) {
    for (size_t i = 0; i < sizeof k_losses / sizeof k_losses[0]; i++) {
        mx_scope scope = mx_scope_begin();
        char key[128];
        const char *name = k_losses[i].name;
        snprintf(key, sizeof key, "loss.%s.a", name);
        mx_array a = fx(key);
        snprintf(key, sizeof key, "loss.%s.b", name);
        mx_array b = fx(key);
        snprintf(key, sizeof key, "loss.%s.c", name);
        mx_array c = mx_named_arrays_get(g_fx, key);
        snprintf(key, sizeof key, "loss.%s.y", name);
        CHECK_FX(key, k_losses[i].f(a, b, c), fx(key), RTOL, ATOL);
        loss_case lc = {k_losses[i].f, b, c};
        mx_named_arrays *tree = mx_named_arrays_new(), *grads = NULL;
        mx_named_arrays_set(tree, "a", a);
        mx_array_list values = {0};
        CHECK_OK(mx_nn_value_and_grad(loss_sum, &lc, tree, &values, &grads));
        snprintf(key, sizeof key, "loss.%s.da", name);
        if (grads)
            CHECK_FX(key, mx_named_arrays_get(grads, "a"), fx(key), GRTOL, GATOL);
        mx_array_list_clear(&values);
        mx_named_arrays_free(grads);
        mx_named_arrays_free(tree);
        mx_scope_end(scope);
    }
}

static void test_loss_errors(void) {
    mx_scope scope = mx_scope_begin();
    mx_array logits = mx_zeros(SHAPE(4, 5), MX_FLOAT32);
    mx_array bad_targets = mx_zeros(SHAPE(3), MX_INT32);
    mx_array y = mx_nn_cross_entropy(logits, bad_targets, MX_NULL_ARRAY, -1, 0, MX_NN_REDUCTION_NONE);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "(3)") && strstr(mx_last_error(), "(4,5)"));
    y = mx_nn_cross_entropy(logits, mx_zeros(SHAPE(4), MX_INT32), MX_NULL_ARRAY, -1, 1.0, MX_NN_REDUCTION_NONE);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    y = mx_nn_cross_entropy(logits, mx_zeros(SHAPE(4), MX_INT32), mx_ones(SHAPE(5), MX_FLOAT32), -1, 0,
                            MX_NN_REDUCTION_NONE);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    y = mx_nn_mse_loss(logits, mx_zeros(SHAPE(5, 4), MX_FLOAT32), MX_NN_REDUCTION_MEAN);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "mse_loss") != NULL);
    y = mx_nn_l1_loss(logits, logits, (mx_nn_reduction)7);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    mx_scope_end(scope);
}

/* ---- initialisers ------------------------------------------------------------------------------ */
static void test_init(void) {
    mx_scope scope = mx_scope_begin();
    mx_random_seed(60);
    CHECK_FX("constant", mx_nn_init_constant(SHAPE(2, 3), 0.25, MX_FLOAT32), fx("init.constant"), 0, 0);
    mx_random_seed(61);
    CHECK_FX("normal", mx_nn_init_normal(SHAPE(3, 4), 0.5, 2.0, MX_FLOAT32, MX_NULL_ARRAY), fx("init.normal"), 0, 0);
    mx_random_seed(62);
    CHECK_FX("uniform", mx_nn_init_uniform(SHAPE(5), -1.0, 2.0, MX_FLOAT32, MX_NULL_ARRAY), fx("init.uniform"), 0, 0);
    CHECK_FX("identity", mx_nn_init_identity(4, MX_FLOAT32), fx("init.identity"), 0, 0);
    mx_random_seed(64);
    CHECK_FX("glorot_normal", mx_nn_init_glorot_normal(SHAPE(3, 4, 5), 1.5, MX_FLOAT32, MX_NULL_ARRAY),
             fx("init.glorot_normal"), 0, 0);
    mx_random_seed(65);
    CHECK_FX("glorot_uniform", mx_nn_init_glorot_uniform(SHAPE(4, 6), 1.0, MX_FLOAT32, MX_NULL_ARRAY),
             fx("init.glorot_uniform"), 0, 0);
    mx_random_seed(66);
    CHECK_FX("he_normal", mx_nn_init_he_normal(SHAPE(4, 3, 2), true, 1.0, MX_FLOAT32, MX_NULL_ARRAY),
             fx("init.he_normal"), 0, 0);
    mx_random_seed(67);
    CHECK_FX("he_uniform", mx_nn_init_he_uniform(SHAPE(6, 5), false, 2.0, MX_FLOAT32, MX_NULL_ARRAY),
             fx("init.he_uniform"), 0, 0);
    mx_array bad = mx_nn_init_glorot_uniform(SHAPE(5), 1.0, MX_FLOAT32, MX_NULL_ARRAY);
    CHECK_EQ_INT(mx_array_status(bad), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "at least 2 dimensional") != NULL);
    mx_scope_end(scope);
}

/* ---- layer errors -------------------------------------------------------------------------------- */
static void test_layer_errors(void) {
    mx_scope scope = mx_scope_begin();
    mx_named_arrays *t = mx_named_arrays_new();
    mx_nn_linear fc;
    CHECK_OK(mx_nn_linear_init(&fc, t, "blocks.0.fc", 4, 3, true, mx_random_key(0)));
    mx_array y = mx_nn_linear_forward(&fc, t, mx_zeros(SHAPE(2, 5), MX_FLOAT32));
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "Linear 'blocks.0.fc'") && strstr(mx_last_error(), "(2,5)") &&
          strstr(mx_last_error(), "(3,4)"));
    /* a missing parameter names itself */
    mx_named_arrays *empty = mx_named_arrays_new();
    y = mx_nn_linear_forward(&fc, empty, mx_zeros(SHAPE(2, 4), MX_FLOAT32));
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "blocks.0.fc.weight") != NULL);
    mx_named_arrays_free(empty);
    /* an error input passes through */
    y = mx_nn_linear_forward(&fc, t, y);
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    mx_nn_layer_norm ln;
    CHECK_EQ_INT(mx_nn_layer_norm_init(&ln, t, "ln", 4, 0.0, true, true), MX_ERROR_VALUE);
    mx_nn_group_norm gn;
    CHECK_EQ_INT(mx_nn_group_norm_init(&gn, t, "gn", 3, 4, 1e-5, true, false), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "evenly divisible") != NULL);
    mx_nn_multi_head_attention mha;
    CHECK_EQ_INT(mx_nn_multi_head_attention_init(&mha, t, "attn", 6, 4, 0, 0, 0, 0, 0, false, MX_NULL_ARRAY),
                 MX_ERROR_VALUE);
    mx_nn_conv2d conv;
    CHECK_OK(mx_nn_conv2d_init(&conv, t, "conv", 3, 2, (int[]){3, 3}, NULL, NULL, NULL, 1, true, MX_NULL_ARRAY));
    y = mx_nn_conv2d_forward(&conv, t, mx_zeros(SHAPE(1, 8, 8, 4), MX_FLOAT32));
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "Conv2d 'conv'") && strstr(mx_last_error(), "(1,8,8,4)"));
    mx_nn_embedding emb;
    CHECK_OK(mx_nn_embedding_init(&emb, t, "emb", 5, 2, MX_NULL_ARRAY));
    y = mx_nn_embedding_forward(&emb, t, mx_zeros(SHAPE(3), MX_FLOAT32));
    CHECK_EQ_INT(mx_array_status(y), MX_ERROR_TYPE);
    char long_prefix[MX_NN_NAME_MAX + 8];
    memset(long_prefix, 'a', sizeof long_prefix - 1);
    long_prefix[sizeof long_prefix - 1] = '\0';
    CHECK_EQ_INT(mx_nn_linear_init(&fc, t, long_prefix, 2, 2, true, MX_NULL_ARRAY), MX_ERROR_VALUE);
    mx_named_arrays_free(t);
    mx_scope_end(scope);
}

/* ---- a 5-step AdamW run of an MLP against MLX ------------------------------------------------------ */
typedef struct mlp {
    mx_nn_linear fc1, fc2;
    mx_array x, y;
} mlp;

static mx_status mlp_loss(void *payload, const mx_named_arrays *params, mx_array_list *outputs) {
    mlp *m = payload;
    mx_array h = mx_nn_gelu(mx_nn_linear_forward(&m->fc1, params, m->x));
    mx_array logits = mx_nn_linear_forward(&m->fc2, params, h);
    return mx_array_list_push(outputs, mx_nn_cross_entropy(logits, m->y, MX_NULL_ARRAY, -1, 0, MX_NN_REDUCTION_MEAN));
}

/* Trains 5 steps; writes the losses and returns the final tree. */
static mx_named_arrays *train_mlp(double *losses) {
    mlp m = {.x = fx("mlp.x"), .y = fx("mlp.y")};
    mx_named_arrays *params = mx_named_arrays_new();
    mx_random_seed(70);
    CHECK_OK(mx_nn_linear_init(&m.fc1, params, "layers.0", 6, 16, true, MX_NULL_ARRAY));
    CHECK_OK(mx_nn_linear_init(&m.fc2, params, "layers.2", 16, 3, true, MX_NULL_ARRAY));
    mx_optim_options o = mx_optim_defaults(MX_OPTIM_ADAMW, 0.05);
    mx_optimizer *opt = mx_optimizer_new(&o);
    CHECK(opt != NULL);
    for (int step = 0; opt && step < 5; step++) {
        mx_scope scope = mx_scope_begin();
        mx_array_list values = {0};
        mx_named_arrays *grads = NULL;
        CHECK_OK(mx_nn_value_and_grad(mlp_loss, &m, params, &values, &grads));
        CHECK_OK(mx_optimizer_update(opt, params, grads));
        CHECK_OK(mx_nn_eval(params));
        CHECK_OK(mx_nn_eval(mx_optimizer_state(opt)));
        if (values.count)
            mx_item_f64(values.items[0], &losses[step]);
        mx_array_list_clear(&values);
        mx_named_arrays_free(grads);
        mx_scope_end(scope); /* the trees keep their arrays past the scope */
    }
    mx_optimizer_free(opt);
    return params;
}

static void test_mlp_adamw(void) {
    double losses[5] = {0}, again[5] = {0};
    mx_named_arrays *params = train_mlp(losses);
    const float *want = mx_data_f32(fx("mlp.losses"));
    for (int i = 0; want && i < 5; i++)
        CHECK_CLOSE(losses[i], want[i], 1e-5, 1e-6);
    CHECK(losses[4] < losses[0]); /* it learns */
    const char *names[] = {"layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"};
    for (int i = 0; i < 4; i++) {
        char key[64];
        snprintf(key, sizeof key, "mlp.init.%s", names[i]);
        CHECK(fx(key).id != 0);
        snprintf(key, sizeof key, "mlp.final.%s", names[i]);
        CHECK_FX(key, mx_named_arrays_get(params, names[i]), fx(key), 1e-4, 1e-5);
    }
    /* the same run again: bitwise the same */
    mx_named_arrays *params2 = train_mlp(again);
    CHECK(memcmp(losses, again, sizeof losses) == 0);
    for (int i = 0; i < 4; i++)
        CHECK(same_bits(mx_named_arrays_get(params, names[i]), mx_named_arrays_get(params2, names[i])));
    mx_named_arrays_free(params);
    mx_named_arrays_free(params2);
}

int main(void) {
    if (fx_load("c/data/nn.safetensors") != MX_OK) {
        fprintf(stderr, "cannot load c/data/nn.safetensors: %s\n", mx_last_error());
        return 1;
    }
    RUN(test_linear);
    RUN(test_embedding);
    RUN(test_norms);
    RUN(test_convs);
    RUN(test_attention_and_rope);
    RUN(test_prefixes);
    RUN(test_batch_norm);
    RUN(test_dropout);
    RUN(test_activations);
    RUN(test_losses);
    RUN(test_loss_errors);
    RUN(test_init);
    RUN(test_layer_errors);
    RUN(test_mlp_adamw);
    mx_named_arrays_free(g_fx);
    return CHECK_SUMMARY();
}
