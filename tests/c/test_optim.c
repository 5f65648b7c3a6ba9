/* tests/c/test_optim.c - optim.h against MLX 0.32: every optimizer over 4
 * steps (final parameters and the whole state tree, names included), the
 * schedules (also as an optimizer's learning rate), clip_grad_norm, state
 * save / restore through safetensors, and the errors.
 * Fixtures: tests/c/data/optim.safetensors (tests/gen/gen_nn_fixtures.py). */
#include "nn_fixture.h"

#define RTOL 1e-5
#define ATOL 1e-6
#define STEPS 4

static mx_schedule *join_linear_exponential(void) {
    mx_schedule *parts[2] = {mx_optim_linear_schedule(0.0, 0.1, 2), mx_optim_exponential_decay(0.1, 0.5)};
    mx_schedule *s = mx_optim_join_schedules(parts, 2, (int64_t[]){2}, 1);
    mx_optim_schedule_free(parts[0]);
    mx_optim_schedule_free(parts[1]);
    return s;
}

/* The options of each fixture case (tests/gen/gen_nn_fixtures.py, OPTS). */
static bool case_options(const char *name, mx_optim_options *o) {
    if (!strcmp(name, "sgd")) {
        *o = mx_optim_defaults(MX_OPTIM_SGD, 0.1);
    } else if (!strcmp(name, "sgd_momentum")) {
        *o = mx_optim_defaults(MX_OPTIM_SGD, 0.1);
        o->momentum = 0.9;
        o->weight_decay = 0.01;
        o->dampening = 0.1;
    } else if (!strcmp(name, "sgd_nesterov")) {
        *o = mx_optim_defaults(MX_OPTIM_SGD, 0.05);
        o->momentum = 0.8;
        o->nesterov = true;
    } else if (!strcmp(name, "rmsprop")) {
        *o = mx_optim_defaults(MX_OPTIM_RMSPROP, 0.01);
    } else if (!strcmp(name, "adagrad")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAGRAD, 0.1);
    } else if (!strcmp(name, "adadelta")) {
        *o = mx_optim_defaults(MX_OPTIM_ADADELTA, 1.0);
    } else if (!strcmp(name, "adam")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAM, 0.01);
    } else if (!strcmp(name, "adam_bc")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAM, 0.01);
        o->betas[0] = 0.8;
        o->betas[1] = 0.99;
        o->bias_correction = true;
    } else if (!strcmp(name, "adamw")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAMW, 0.01);
    } else if (!strcmp(name, "adamw_bc")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAMW, 0.02);
        o->weight_decay = 0.1;
        o->bias_correction = true;
    } else if (!strcmp(name, "adamax")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAMAX, 0.02);
    } else if (!strcmp(name, "lion")) {
        *o = mx_optim_defaults(MX_OPTIM_LION, 0.01);
        o->weight_decay = 0.1;
    } else if (!strcmp(name, "adafactor")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAFACTOR, NAN);
    } else if (!strcmp(name, "adafactor_lr")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAFACTOR, 0.01);
        o->relative_step = false;
        o->beta_1 = 0.9;
        o->weight_decay = 0.1;
        o->scale_parameter = false;
    } else if (!strcmp(name, "adafactor_warmup")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAFACTOR, NAN);
        o->warmup_init = true;
        o->clip_threshold = 0.5;
    } else if (!strcmp(name, "adam_cosine")) {
        *o = mx_optim_defaults(MX_OPTIM_ADAM, 0);
        o->schedule = mx_optim_cosine_decay(0.1, 3, 0.01);
    } else if (!strcmp(name, "sgd_join")) {
        *o = mx_optim_defaults(MX_OPTIM_SGD, 0);
        o->schedule = join_linear_exponential();
    } else {
        return false;
    }
    return true;
}

static const char *k_cases[] = {"sgd",         "sgd_momentum", "sgd_nesterov", "rmsprop",      "adagrad",
                                "adadelta",    "adam",         "adam_bc",      "adamw",        "adamw_bc",
                                "adamax",      "lion",         "adafactor",    "adafactor_lr", "adafactor_warmup",
                                "adam_cosine", "sgd_join"};

/* Runs `steps` fixture steps from step `first` on params. */
static void run_steps(mx_optimizer *opt, mx_named_arrays *params, const char *name, int first, int steps) {
    for (int s = first; s < first + steps; s++) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "opt.%s.g%d.", name, s);
        mx_named_arrays *grads = fx_subtree(prefix);
        CHECK_OK(mx_optimizer_update(opt, params, grads));
        CHECK_OK(mx_nn_eval(params));
        CHECK_OK(mx_nn_eval(mx_optimizer_state(opt)));
        mx_named_arrays_free(grads);
    }
}

static void test_optimizers(void) {
    for (size_t c = 0; c < sizeof k_cases / sizeof k_cases[0]; c++) {
        const char *name = k_cases[c];
        mx_optim_options o;
        CHECK(case_options(name, &o));
        mx_optimizer *opt = mx_optimizer_new(&o);
        mx_optim_schedule_free(o.schedule); /* the optimizer holds its own reference */
        CHECK(opt != NULL);
        if (!opt)
            continue;
        char prefix[96], label[160];
        snprintf(prefix, sizeof prefix, "opt.%s.p.", name);
        mx_named_arrays *params = fx_subtree(prefix);
        run_steps(opt, params, name, 0, STEPS);
        snprintf(prefix, sizeof prefix, "opt.%s.final.", name);
        mx_named_arrays *want = fx_subtree(prefix);
        for (int i = 0; i < mx_named_arrays_size(want); i++) {
            snprintf(label, sizeof label, "%s final %s", name, mx_named_arrays_name(want, i));
            CHECK_FX(label, mx_named_arrays_get(params, mx_named_arrays_name(want, i)), mx_named_arrays_at(want, i),
                     RTOL, ATOL);
        }
        mx_named_arrays_free(want);
        /* the state tree: MLX's names in MLX's order, and its values */
        snprintf(prefix, sizeof prefix, "opt.%s.state.", name);
        want = fx_subtree(prefix);
        const mx_named_arrays *state = mx_optimizer_state(opt);
        CHECK_EQ_INT(mx_named_arrays_size(state), mx_named_arrays_size(want));
        for (int i = 0; i < mx_named_arrays_size(want); i++) {
            const char *key = mx_named_arrays_name(want, i);
            mx_array got = mx_named_arrays_get(state, key);
            snprintf(label, sizeof label, "%s state %s", name, key);
            if (got.id == 0) {
                fprintf(stderr, "  %s: missing\n", label);
                g_checks_failed_in_test++;
                continue;
            }
            CHECK_EQ_INT(mx_array_dtype(got), mx_array_dtype(mx_named_arrays_at(want, i)));
            CHECK_FX(label, got, mx_named_arrays_at(want, i), RTOL, 1e-9);
        }
        mx_named_arrays_free(want);
        mx_named_arrays_free(params);
        mx_optimizer_free(opt);
    }
}

/* 2 steps, state saved to safetensors, a new optimizer restored from it, 2
 * more steps: bitwise the same as 4 steps in one go. */
static void test_state_roundtrip(void) {
    const char *cases[] = {"adam_bc", "adafactor_lr", "sgd_join"};
    for (int c = 0; c < 3; c++) {
        mx_optim_options o;
        case_options(cases[c], &o);
        mx_optimizer *straight = mx_optimizer_new(&o), *first = mx_optimizer_new(&o), *second = mx_optimizer_new(&o);
        mx_optim_schedule_free(o.schedule);
        char prefix[96];
        snprintf(prefix, sizeof prefix, "opt.%s.p.", cases[c]);
        mx_named_arrays *p_straight = fx_subtree(prefix), *p_split = fx_subtree(prefix);
        run_steps(straight, p_straight, cases[c], 0, 4);
        run_steps(first, p_split, cases[c], 0, 2);
        CHECK_OK(mx_save_safetensors("/tmp/cmlx_test_optim_state.safetensors", mx_optimizer_state(first), NULL));
        mx_named_arrays *loaded = NULL;
        CHECK_OK(mx_load_safetensors("/tmp/cmlx_test_optim_state.safetensors", &loaded, NULL));
        remove("/tmp/cmlx_test_optim_state.safetensors");
        CHECK_OK(mx_optimizer_set_state(second, loaded));
        mx_named_arrays_free(loaded);
        run_steps(second, p_split, cases[c], 2, 2);
        for (int i = 0; i < mx_named_arrays_size(p_straight); i++)
            CHECK(same_bits(mx_named_arrays_at(p_straight, i),
                            mx_named_arrays_get(p_split, mx_named_arrays_name(p_straight, i))));
        uint64_t step = 0;
        CHECK_OK(mx_copy_to(mx_optimizer_step(second), &step, sizeof step, MX_UINT64));
        CHECK_EQ_INT(step, 4);
        mx_named_arrays_free(p_straight);
        mx_named_arrays_free(p_split);
        mx_optimizer_free(straight);
        mx_optimizer_free(first);
        mx_optimizer_free(second);
    }
}

static void test_schedules(void) {
    mx_schedule *cos_part = mx_optim_cosine_decay(0.1, 5, 0.01), *lin_part = mx_optim_linear_schedule(0.0, 0.1, 4);
    mx_schedule *parts[2] = {lin_part, cos_part};
    struct {
        const char *name;
        mx_schedule *s;
    } cases[] = {
        {"exponential", mx_optim_exponential_decay(0.1, 0.9)},
        {"step", mx_optim_step_decay(0.1, 0.5, 3)},
        {"cosine", mx_optim_cosine_decay(0.1, 8, 0.0)},
        {"cosine_end", mx_optim_cosine_decay(0.1, 8, 0.02)},
        {"linear", mx_optim_linear_schedule(0.0, 0.1, 5)},
        {"join", mx_optim_join_schedules(parts, 2, (int64_t[]){4}, 1)},
    };
    mx_optim_schedule_free(cos_part);
    mx_optim_schedule_free(lin_part);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mx_scope scope = mx_scope_begin();
        CHECK(cases[c].s != NULL);
        mx_array values[12];
        for (int i = 0; i < 12; i++)
            values[i] = mx_optim_schedule_apply(cases[c].s, mx_scalar((double)i, MX_UINT64));
        char key[64];
        snprintf(key, sizeof key, "sched.%s", cases[c].name);
        mx_array got = mx_stack(values, 12, 0);
        CHECK_EQ_INT(mx_array_dtype(got), MX_FLOAT32);
        CHECK_FX(key, got, fx(key), 1e-6, 1e-9);
        mx_optim_schedule_free(cases[c].s);
        mx_scope_end(scope);
    }
    /* MLX's argument checks */
    CHECK(mx_optim_cosine_decay(0.1, 0, 0.0) == NULL);
    CHECK(strstr(mx_last_error(), "decay_steps must be greater than 0") != NULL);
    CHECK(mx_optim_step_decay(0.1, 0.5, 0) == NULL);
    CHECK(mx_optim_linear_schedule(0.1, 0.0, 0) == NULL);
    mx_schedule *e = mx_optim_exponential_decay(0.1, 0.5);
    CHECK(mx_optim_join_schedules(&e, 1, (int64_t[]){3}, 1) == NULL);
    CHECK(strstr(mx_last_error(), "Received 1 boundaries but expected 0") != NULL);
    CHECK(mx_optim_join_schedules(NULL, 0, NULL, 0) == NULL);
    mx_optim_schedule_free(e);
}

static void test_clip_grad_norm(void) {
    const char *cases[] = {"clip", "noclip"};
    double max_norms[] = {1.5, 100.0};
    mx_named_arrays *grads = fx_subtree("opt.sgd.g0.");
    for (int c = 0; c < 2; c++) {
        mx_named_arrays *clipped = NULL;
        mx_array norm = MX_NULL_ARRAY;
        CHECK_OK(mx_optim_clip_grad_norm(grads, max_norms[c], &clipped, &norm));
        char key[64];
        snprintf(key, sizeof key, "%s.norm", cases[c]);
        CHECK_FX(key, norm, fx(key), 1e-6, 0);
        for (int i = 0; clipped && i < mx_named_arrays_size(clipped); i++) {
            snprintf(key, sizeof key, "%s.%s", cases[c], mx_named_arrays_name(clipped, i));
            CHECK_FX(key, mx_named_arrays_at(clipped, i), fx(key), 1e-6, 1e-9);
        }
        mx_named_arrays_free(clipped);
        mx_free(norm);
    }
    mx_named_arrays *clipped = NULL;
    CHECK_EQ_INT(mx_optim_clip_grad_norm(grads, -1.0, &clipped, NULL), MX_ERROR_VALUE);
    CHECK(clipped == NULL);
    mx_named_arrays_free(grads);
}

static void test_errors(void) {
    mx_optim_options o = mx_optim_defaults(MX_OPTIM_SGD, 0.1);
    o.nesterov = true;
    CHECK(mx_optimizer_new(&o) == NULL);
    CHECK(strstr(mx_last_error(), "Nesterov momentum requires a momentum and zero dampening") != NULL);
    o = mx_optim_defaults(MX_OPTIM_ADAM, 0.1);
    o.betas[1] = 1.0;
    CHECK(mx_optimizer_new(&o) == NULL);
    CHECK(strstr(mx_last_error(), "Adam beta2 should be in [0, 1)") != NULL);
    o = mx_optim_defaults(MX_OPTIM_RMSPROP, 0.1);
    o.eps = 0;
    CHECK(mx_optimizer_new(&o) == NULL);
    o = mx_optim_defaults(MX_OPTIM_ADAFACTOR, NAN);
    o.relative_step = false; /* and no learning rate */
    mx_optimizer *opt = mx_optimizer_new(&o);
    CHECK(opt != NULL);
    mx_named_arrays *params = fx_subtree("opt.sgd.p."), *grads = fx_subtree("opt.sgd.g0.");
    CHECK(mx_optimizer_update(opt, params, grads) != MX_OK);
    mx_optimizer_free(opt);

    o = mx_optim_defaults(MX_OPTIM_ADAM, 0.1);
    opt = mx_optimizer_new(&o);
    /* a gradient without its parameter, and one of the wrong shape */
    mx_named_arrays *extra = fx_subtree("opt.sgd.g0.");
    mx_array z = mx_zeros(SHAPE(2), MX_FLOAT32);
    mx_named_arrays_set(extra, "layers.9.weight", z);
    CHECK_EQ_INT(mx_optimizer_update(opt, params, extra), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "layers.9.weight") != NULL);
    mx_named_arrays *wrong = mx_named_arrays_new();
    mx_named_arrays_set(wrong, "w", z);
    CHECK_EQ_INT(mx_optimizer_update(opt, params, wrong), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "(2)") && strstr(mx_last_error(), "(3,4)"));
    /* nothing moved: step is still 0 */
    uint64_t step = 1;
    CHECK_OK(mx_copy_to(mx_optimizer_step(opt), &step, sizeof step, MX_UINT64));
    CHECK_EQ_INT(step, 0);
    /* the learning rate setter */
    CHECK_OK(mx_optimizer_set_learning_rate(opt, 0.5));
    float lr = 0;
    CHECK_OK(mx_item_f32(mx_optimizer_learning_rate(opt), &lr));
    CHECK(lr == 0.5f);
    mx_named_arrays *no_step = mx_named_arrays_new();
    CHECK_EQ_INT(mx_optimizer_set_state(opt, no_step), MX_ERROR_VALUE);
    mx_free(z);
    mx_named_arrays_free(no_step);
    mx_named_arrays_free(wrong);
    mx_named_arrays_free(extra);
    mx_named_arrays_free(params);
    mx_named_arrays_free(grads);
    mx_optimizer_free(opt);
}

int main(void) {
    if (fx_load("c/data/optim.safetensors") != MX_OK) {
        fprintf(stderr, "cannot load c/data/optim.safetensors: %s\n", mx_last_error());
        return 1;
    }
    RUN(test_optimizers);
    RUN(test_state_roundtrip);
    RUN(test_schedules);
    RUN(test_clip_grad_norm);
    RUN(test_errors);
    mx_named_arrays_free(g_fx);
    return CHECK_SUMMARY();
}
