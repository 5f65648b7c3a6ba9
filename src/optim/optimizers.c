/* optim/optimizers.c - the optimizers of mlx.optimizers over named trees.
 *
 * apply_single below is MLX's Optimizer.apply_single of each class, written
 * with the same operations in the same order; a Python float beside an array
 * becomes a 0-d array of that array's dtype (F), as MLX's weak scalars do, so
 * the float32 results agree with MLX's bit for bit in most steps. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "nn/nn_internal.h"

struct mx_optimizer {
    mx_optim_options o;
    mx_named_arrays *state; /* "step", "learning_rate", "<param>.<slot>" */
};

static const char *kind_name(mx_optim_kind kind) {
    static const char *names[] = {"SGD",   "RMSprop", "Adagrad", "AdaDelta", "Adam",
                                  "AdamW", "Adamax",  "Lion",    "Adafactor"};
    return (unsigned)kind <= MX_OPTIM_ADAFACTOR ? names[kind] : "optimizer";
}

mx_optim_options mx_optim_defaults(mx_optim_kind kind, double learning_rate) {
    mx_optim_options o = {
        .kind = kind,
        .learning_rate = learning_rate,
        .betas = {0.9, 0.999},
        .eps = 1e-8,
        .alpha = 0.99,
        .rho = 0.9,
        .adafactor_eps = {1e-30, 1e-3},
        .clip_threshold = 1.0,
        .decay_rate = -0.8,
        .beta_1 = NAN,
        .scale_parameter = true,
        .relative_step = true,
    };
    if (kind == MX_OPTIM_ADAMW)
        o.weight_decay = 0.01;
    if (kind == MX_OPTIM_LION)
        o.betas[1] = 0.99;
    if (kind == MX_OPTIM_ADADELTA)
        o.eps = 1e-6;
    return o;
}

static bool check_betas(const mx_optim_options *o, const char *name) {
    for (int i = 0; i < 2; i++)
        if (!(o->betas[i] >= 0.0 && o->betas[i] < 1.0)) {
            mx_set_error(MX_ERROR_VALUE, "%s beta%d should be in [0, 1), %g was provided instead", name, i + 1,
                         o->betas[i]);
            return false;
        }
    return true;
}

/* MLX's constructor checks. */
static bool validate(const mx_optim_options *o) {
    switch (o->kind) {
    case MX_OPTIM_SGD:
        if (o->nesterov && (o->momentum <= 0 || o->dampening != 0)) {
            mx_set_error(MX_ERROR_VALUE, "Nesterov momentum requires a momentum and zero dampening.");
            return false;
        }
        return true;
    case MX_OPTIM_RMSPROP:
        if (o->alpha < 0.0) {
            mx_set_error(MX_ERROR_VALUE, "RMSprop alpha should be >=0, %g was provided instead", o->alpha);
            return false;
        }
        if (o->eps <= 0.0) {
            mx_set_error(MX_ERROR_VALUE, "RMSprop epsilon should be >0, %g was provided instead", o->eps);
            return false;
        }
        return true;
    case MX_OPTIM_ADAGRAD:
        if (o->eps <= 0.0) {
            mx_set_error(MX_ERROR_VALUE, "Adagrad epsilon should be >0, %g was provided instead", o->eps);
            return false;
        }
        return true;
    case MX_OPTIM_ADADELTA:
        if (o->rho < 0.0) {
            mx_set_error(MX_ERROR_VALUE, "AdaDelta rho should be >=0, %g was provided instead", o->rho);
            return false;
        }
        if (o->eps <= 0.0) {
            mx_set_error(MX_ERROR_VALUE, "AdaDelta epsilon should be >0, %g was provided instead", o->eps);
            return false;
        }
        return true;
    case MX_OPTIM_ADAM:
    case MX_OPTIM_ADAMW:
    case MX_OPTIM_ADAMAX:
        if (!check_betas(o, "Adam"))
            return false;
        if (!(o->eps >= 0.0)) {
            mx_set_error(MX_ERROR_VALUE, "Adam epsilon should be >=0, %g was provided instead", o->eps);
            return false;
        }
        return true;
    case MX_OPTIM_LION: return check_betas(o, "Lion");
    case MX_OPTIM_ADAFACTOR: return true;
    }
    mx_set_error(MX_ERROR_VALUE, "optimizer: unknown kind %d", (int)o->kind);
    return false;
}

static bool has_learning_rate(const mx_optim_options *o) { return o->schedule || !isnan(o->learning_rate); }

/* state["learning_rate"] = the schedule at the current step, or the constant. */
static mx_status set_learning_rate(mx_optimizer *opt) {
    if (!has_learning_rate(&opt->o))
        return MX_OK;
    mx_array lr = opt->o.schedule ? mx_optim_schedule_apply(opt->o.schedule, mx_named_arrays_get(opt->state, "step"))
                                  : mx_scalar_f32((float)opt->o.learning_rate);
    mx_status status = mx_array_status(lr);
    if (status == MX_OK)
        status = mx_named_arrays_set(opt->state, "learning_rate", lr);
    mx_free(lr);
    return status;
}

mx_optimizer *mx_optimizer_new(const mx_optim_options *options) {
    if (!options) {
        mx_set_error(MX_ERROR_VALUE, "optimizer: null options");
        return NULL;
    }
    if (!validate(options))
        return NULL;
    mx_optimizer *opt = calloc(1, sizeof *opt);
    if (!opt) {
        mx_set_error(MX_ERROR_MEMORY, "optimizer: out of host memory");
        return NULL;
    }
    opt->o = *options;
    opt->o.schedule = mx_optim_schedule_retain(options->schedule);
    opt->state = mx_named_arrays_new();
    mx_array step = mx_scalar(0, MX_UINT64);
    mx_status status = opt->state ? mx_named_arrays_set(opt->state, "step", step) : MX_ERROR_MEMORY;
    mx_free(step);
    if (status == MX_OK)
        status = set_learning_rate(opt);
    if (status != MX_OK) {
        mx_optimizer_free(opt);
        return NULL;
    }
    return opt;
}

void mx_optimizer_free(mx_optimizer *opt) {
    if (!opt)
        return;
    mx_optim_schedule_free(opt->o.schedule);
    mx_named_arrays_free(opt->state);
    free(opt);
}

const mx_optim_options *mx_optimizer_options(const mx_optimizer *opt) { return opt ? &opt->o : NULL; }
const mx_named_arrays *mx_optimizer_state(const mx_optimizer *opt) { return opt ? opt->state : NULL; }
mx_array mx_optimizer_step(const mx_optimizer *opt) {
    return opt ? mx_named_arrays_get(opt->state, "step") : MX_NULL_ARRAY;
}
mx_array mx_optimizer_learning_rate(const mx_optimizer *opt) {
    return opt ? mx_named_arrays_get(opt->state, "learning_rate") : MX_NULL_ARRAY;
}

mx_status mx_optimizer_set_learning_rate(mx_optimizer *opt, double learning_rate) {
    if (!opt)
        return mx_set_error(MX_ERROR_VALUE, "optimizer: null optimizer");
    mx_optim_schedule_free(opt->o.schedule);
    opt->o.schedule = NULL;
    opt->o.learning_rate = learning_rate;
    return set_learning_rate(opt);
}

mx_status mx_optimizer_set_state(mx_optimizer *opt, const mx_named_arrays *state) {
    if (!opt || !state)
        return mx_set_error(MX_ERROR_VALUE, "optimizer.set_state: null optimizer or state");
    if (mx_named_arrays_get(state, "step").id == 0)
        return mx_set_error(MX_ERROR_VALUE, "optimizer.set_state: the state has no 'step'");
    mx_named_arrays *copy = mx_named_arrays_new();
    if (!copy)
        return MX_ERROR_MEMORY;
    for (int i = 0; i < mx_named_arrays_size(state); i++) {
        mx_status status = mx_named_arrays_set(copy, mx_named_arrays_name(state, i), mx_named_arrays_at(state, i));
        if (status != MX_OK) {
            mx_named_arrays_free(copy);
            return status;
        }
    }
    mx_named_arrays_free(opt->state);
    opt->state = copy;
    return MX_OK;
}

/* ---- slots ----------------------------------------------------------------------------- */
#define MAX_SLOTS 3

/* The slot names of a parameter with this gradient; returns their count. */
static int slot_names(const mx_optim_options *o, mx_array gradient, const char **names) {
    switch (o->kind) {
    case MX_OPTIM_SGD:
    case MX_OPTIM_RMSPROP:
    case MX_OPTIM_ADAGRAD: names[0] = "v"; return 1;
    case MX_OPTIM_ADADELTA:
        names[0] = "v";
        names[1] = "u";
        return 2;
    case MX_OPTIM_ADAM:
    case MX_OPTIM_ADAMW:
    case MX_OPTIM_ADAMAX:
        names[0] = "m";
        names[1] = "v";
        return 2;
    case MX_OPTIM_LION: names[0] = "m"; return 1;
    case MX_OPTIM_ADAFACTOR: {
        int n = 0;
        if (mx_ndim(gradient) >= 2) {
            names[n++] = "exp_avg_sq_row";
            names[n++] = "exp_avg_sq_col";
        } else {
            names[n++] = "exp_avg_sq";
        }
        if (!isnan(o->beta_1))
            names[n++] = "exp_avg";
        return n;
    }
    }
    return 0;
}

/* The zeros a slot starts from (MLX's init_single, given the gradient). */
static mx_array slot_zeros(const char *slot, mx_array gradient) {
    int ndim = mx_ndim(gradient);
    const int64_t *shape = mx_shape(gradient);
    if (strcmp(slot, "exp_avg_sq_row") == 0)
        return mx_zeros(shape, ndim - 1, mx_array_dtype(gradient));
    if (strcmp(slot, "exp_avg_sq_col") == 0) {
        int64_t col[MX_MAX_NDIM];
        memcpy(col, shape, (size_t)(ndim - 2) * sizeof *col);
        col[ndim - 2] = shape[ndim - 1];
        return mx_zeros(col, ndim - 1, mx_array_dtype(gradient));
    }
    return mx_zeros_like(gradient);
}

static bool slot_key(char *out, const char *param, const char *slot) {
    int n = snprintf(out, NN_FULL_NAME_MAX, "%s.%s", param, slot);
    if (n < 0 || n >= NN_FULL_NAME_MAX) {
        mx_set_error(MX_ERROR_VALUE, "optimizer: state name '%s.%s' is too long", param, slot);
        return false;
    }
    return true;
}

/* Creates the slots `param` lacks. */
static mx_status init_param(mx_optimizer *opt, const char *param, mx_array gradient) {
    const char *slots[MAX_SLOTS];
    int n = slot_names(&opt->o, gradient, slots);
    for (int i = 0; i < n; i++) {
        char key[NN_FULL_NAME_MAX];
        if (!slot_key(key, param, slots[i]))
            return mx_last_status();
        if (mx_named_arrays_get(opt->state, key).id != 0)
            continue;
        mx_array zeros = slot_zeros(slots[i], gradient);
        mx_status status = mx_array_status(zeros);
        if (status == MX_OK)
            status = mx_named_arrays_set(opt->state, key, zeros);
        mx_free(zeros);
        if (status != MX_OK)
            return status;
    }
    return MX_OK;
}

mx_status mx_optimizer_init(mx_optimizer *opt, const mx_named_arrays *params) {
    if (!opt || !params)
        return mx_set_error(MX_ERROR_VALUE, "optimizer.init: null optimizer or tree");
    for (int i = 0; i < mx_named_arrays_size(params); i++) {
        mx_status status = init_param(opt, mx_named_arrays_name(params, i), mx_named_arrays_at(params, i));
        if (status != MX_OK)
            return status;
    }
    return MX_OK;
}

/* ---- the update rules --------------------------------------------------------------------- */
#define F(v, like) nn_float_like((v), (like))

/* Adam's rule on parameter p (AdamW passes the decayed parameter). */
static mx_array adam_single(const mx_optim_options *o, mx_array g, mx_array p, mx_array *slot, mx_array lr,
                            mx_array step) {
    double b1 = o->betas[0], b2 = o->betas[1];
    mx_array m = mx_add(mx_multiply(F(b1, slot[0]), slot[0]), mx_multiply(F(1 - b1, g), g));
    mx_array v = mx_add(mx_multiply(F(b2, slot[1]), slot[1]), mx_multiply(F(1 - b2, g), mx_square(g)));
    slot[0] = m;
    slot[1] = v;
    if (o->bias_correction) {
        mx_dtype dtype = mx_array_dtype(g);
        mx_array one = mx_scalar_f32(1.0f);
        mx_array c1 = mx_astype(mx_divide(lr, mx_subtract(one, mx_power(mx_scalar_f32((float)b1), step))), dtype);
        mx_array c2 = mx_astype(mx_rsqrt(mx_subtract(one, mx_power(mx_scalar_f32((float)b2), step))), dtype);
        mx_array numerator = mx_multiply(c1, m);
        mx_array sqrt_v = mx_sqrt(v);
        mx_array denominator = mx_add(mx_multiply(sqrt_v, c2), F(o->eps, sqrt_v));
        return mx_subtract(p, mx_divide(numerator, denominator));
    }
    mx_array sqrt_v = mx_sqrt(v);
    return mx_subtract(p, mx_divide(mx_multiply(lr, m), mx_add(sqrt_v, F(o->eps, sqrt_v))));
}

static mx_array rms(mx_array x) { return mx_sqrt(mx_mean(mx_square(x), false)); }

static mx_array adafactor_single(const mx_optim_options *o, mx_array g, mx_array p, mx_array *slot, mx_array state_lr,
                                 mx_array step) {
    bool factored = mx_ndim(g) >= 2;
    mx_array parameter_rms = rms(p);
    mx_dtype rms_dtype = mx_array_dtype(parameter_rms);
    /* _compute_learning_rate */
    mx_array relative_step_size;
    if (o->relative_step) {
        mx_array step_f = mx_astype(step, MX_FLOAT32);
        mx_array min_step = o->warmup_init ? mx_multiply(mx_scalar_f32(1e-6f), step_f) : mx_scalar_f32(1e-2f);
        relative_step_size = mx_minimum(min_step, mx_rsqrt(step));
    } else {
        if (state_lr.id == 0)
            return nn_error(MX_ERROR_VALUE, "Adafactor: relative_step is false and there is no learning_rate");
        relative_step_size = state_lr;
    }
    relative_step_size = mx_astype(relative_step_size, rms_dtype);
    mx_array learning_rate =
        o->scale_parameter
            ? mx_multiply(mx_maximum(F(o->adafactor_eps[1], parameter_rms), parameter_rms), relative_step_size)
            : mx_multiply(F(1.0, relative_step_size), relative_step_size);
    mx_array step_pow = mx_astype(mx_power(step, mx_scalar_f32((float)o->decay_rate)), rms_dtype);
    mx_array beta_2 = mx_subtract(F(1.0, step_pow), step_pow);
    mx_array one_minus_beta_2 = mx_subtract(F(1.0, beta_2), beta_2);
    mx_array gg = mx_square(g);
    mx_array update = mx_add(gg, F(o->adafactor_eps[0], gg));
    int next = 0;
    if (factored) {
        mx_array row =
            mx_add(mx_multiply(beta_2, slot[0]), mx_multiply(one_minus_beta_2, mx_mean_axis(update, -1, false)));
        mx_array col =
            mx_add(mx_multiply(beta_2, slot[1]), mx_multiply(one_minus_beta_2, mx_mean_axis(update, -2, false)));
        slot[0] = row;
        slot[1] = col;
        next = 2;
        mx_array r_factor = mx_rsqrt(mx_divide(row, mx_mean_axis(row, -1, true)));
        mx_array c_factor = mx_rsqrt(col);
        mx_array approx =
            mx_multiply(mx_expand_dims(r_factor, (int[]){-1}, 1), mx_expand_dims(c_factor, (int[]){-2}, 1));
        update = mx_multiply(approx, g);
    } else {
        mx_array sq = mx_add(mx_multiply(beta_2, slot[0]), mx_multiply(one_minus_beta_2, update));
        slot[0] = sq;
        next = 1;
        update = mx_multiply(mx_rsqrt(sq), g);
    }
    mx_array update_rms = rms(update);
    mx_array ratio = mx_divide(update_rms, F(o->clip_threshold, update_rms));
    update = mx_divide(update, mx_maximum(F(1.0, ratio), ratio));
    update = mx_multiply(learning_rate, update);
    if (!isnan(o->beta_1)) {
        mx_array exp_avg =
            mx_add(mx_multiply(F(o->beta_1, slot[next]), slot[next]), mx_multiply(F(1 - o->beta_1, update), update));
        slot[next] = exp_avg;
        update = exp_avg;
    }
    if (o->weight_decay != 0)
        p = mx_add(p, mx_multiply(p, mx_multiply(F(-o->weight_decay, learning_rate), learning_rate)));
    return mx_subtract(p, update);
}

/* The new parameter; slot[] (in: the current slots, out: the new ones). */
static mx_array apply_single(const mx_optim_options *o, mx_array g, mx_array p, mx_array *slot, mx_array state_lr,
                             mx_array step) {
    mx_dtype dtype = mx_array_dtype(g);
    mx_array lr = state_lr.id ? mx_astype(state_lr, dtype) : MX_NULL_ARRAY;
    switch (o->kind) {
    case MX_OPTIM_SGD: {
        if (o->weight_decay != 0)
            g = mx_add(g, mx_multiply(F(o->weight_decay, p), p));
        if (o->momentum <= 0)
            return mx_subtract(p, mx_multiply(lr, g));
        mx_array v = mx_multiply(F(o->momentum, slot[0]), slot[0]);
        v = o->dampening > 0 ? mx_add(v, mx_multiply(F(1 - o->dampening, g), g)) : mx_add(v, g);
        mx_array update = o->nesterov ? mx_add(g, mx_multiply(F(o->momentum, v), v)) : v;
        slot[0] = v;
        return mx_subtract(p, mx_multiply(lr, update));
    }
    case MX_OPTIM_RMSPROP: {
        mx_array v = mx_add(mx_multiply(F(o->alpha, slot[0]), slot[0]), mx_multiply(F(1 - o->alpha, g), mx_square(g)));
        slot[0] = v;
        mx_array sqrt_v = mx_sqrt(v);
        return mx_subtract(p, mx_divide(mx_multiply(lr, g), mx_add(sqrt_v, F(o->eps, sqrt_v))));
    }
    case MX_OPTIM_ADAGRAD: {
        mx_array v = mx_add(slot[0], mx_square(g));
        slot[0] = v;
        mx_array sqrt_v = mx_sqrt(v);
        return mx_subtract(p, mx_divide(mx_multiply(lr, g), mx_add(sqrt_v, F(o->eps, sqrt_v))));
    }
    case MX_OPTIM_ADADELTA: {
        mx_array v = mx_add(mx_multiply(F(o->rho, slot[0]), slot[0]), mx_multiply(F(1 - o->rho, g), mx_square(g)));
        mx_array u = slot[1];
        mx_array d = mx_multiply(mx_divide(mx_sqrt(mx_add(u, F(o->eps, u))), mx_sqrt(mx_add(v, F(o->eps, v)))), g);
        u = mx_add(mx_multiply(F(o->rho, u), u), mx_multiply(F(1 - o->rho, d), mx_square(d)));
        slot[0] = v;
        slot[1] = u;
        return mx_subtract(p, mx_multiply(lr, d));
    }
    case MX_OPTIM_ADAM: return adam_single(o, g, p, slot, lr, step);
    case MX_OPTIM_ADAMW: {
        mx_array decay = mx_multiply(lr, F(o->weight_decay, lr));
        mx_array decayed = mx_multiply(p, mx_subtract(F(1, decay), decay));
        return adam_single(o, g, decayed, slot, lr, step);
    }
    case MX_OPTIM_ADAMAX: {
        double b1 = o->betas[0], b2 = o->betas[1];
        mx_array m = mx_add(mx_multiply(F(b1, slot[0]), slot[0]), mx_multiply(F(1 - b1, g), g));
        mx_array v = mx_maximum(mx_multiply(F(b2, slot[1]), slot[1]), mx_abs(g));
        slot[0] = m;
        slot[1] = v;
        return mx_subtract(p, mx_divide(mx_multiply(lr, m), mx_add(v, F(o->eps, v))));
    }
    case MX_OPTIM_LION: {
        double b1 = o->betas[0], b2 = o->betas[1];
        mx_array m = slot[0];
        mx_array c = mx_add(mx_multiply(F(b1, m), m), mx_multiply(F(1 - b1, g), g));
        slot[0] = mx_add(mx_multiply(F(b2, m), m), mx_multiply(F(1 - b2, g), g));
        if (o->weight_decay > 0) {
            mx_array decay = mx_multiply(lr, F(o->weight_decay, lr));
            p = mx_multiply(mx_subtract(F(1, decay), decay), p);
        }
        return mx_subtract(p, mx_multiply(lr, mx_sign(c)));
    }
    case MX_OPTIM_ADAFACTOR: return adafactor_single(o, g, p, slot, state_lr, step);
    }
    return nn_error(MX_ERROR_VALUE, "optimizer: unknown kind %d", (int)o->kind);
}

/* One step: updated[name] for each gradient. */
static mx_status step_all(mx_optimizer *opt, const mx_named_arrays *grads, const mx_named_arrays *params,
                          mx_named_arrays *updated) {
    const char *kind = kind_name(opt->o.kind);
    int n = mx_named_arrays_size(grads);
    for (int i = 0; i < n; i++) {
        const char *name = mx_named_arrays_name(grads, i);
        mx_array p = mx_named_arrays_get(params, name), g = mx_named_arrays_at(grads, i);
        char ps[MX_SHAPE_STR_CAP], gs[MX_SHAPE_STR_CAP];
        if (p.id == 0)
            return mx_set_error(MX_ERROR_VALUE, "%s.update: gradient '%s' has no parameter of that name", kind, name);
        if (mx_array_status(g) != MX_OK || mx_array_status(p) != MX_OK)
            return mx_set_error(MX_ERROR_VALUE, "%s.update: '%s': %s", kind, name,
                                mx_array_status(g) != MX_OK ? mx_array_error(g) : mx_array_error(p));
        if (mx_ndim(p) != mx_ndim(g) || memcmp(mx_shape(p), mx_shape(g), (size_t)mx_ndim(p) * sizeof(int64_t)) != 0)
            return mx_set_error(MX_ERROR_VALUE,
                                "%s.update: gradient '%s' of shape %s does not match the parameter's %s", kind, name,
                                nn_shape_str(g, gs), nn_shape_str(p, ps));
        mx_status status = init_param(opt, name, g);
        if (status != MX_OK)
            return status;
    }
    /* the learning rate at the current step, then step + 1 (MLX's apply_gradients) */
    mx_status status = MX_OK;
    if (opt->o.schedule)
        status = set_learning_rate(opt);
    mx_array step = mx_named_arrays_get(opt->state, "step");
    if (step.id == 0)
        return mx_set_error(MX_ERROR_VALUE, "%s.update: the state has no 'step'", kind);
    mx_scope scope = mx_scope_begin();
    if (status == MX_OK) {
        mx_array next = mx_add(step, nn_int_like(1, step));
        status = mx_array_status(next);
        if (status == MX_OK)
            status = mx_named_arrays_set(opt->state, "step", next);
    }
    step = mx_named_arrays_get(opt->state, "step");
    mx_array lr = mx_named_arrays_get(opt->state, "learning_rate");
    if (status == MX_OK && lr.id == 0 && !(opt->o.kind == MX_OPTIM_ADAFACTOR && opt->o.relative_step))
        status = mx_set_error(MX_ERROR_VALUE, "%s.update: no learning rate", kind);
    for (int i = 0; i < n && status == MX_OK; i++) {
        const char *name = mx_named_arrays_name(grads, i);
        mx_array g = mx_named_arrays_at(grads, i), p = mx_named_arrays_get(params, name);
        const char *slots[MAX_SLOTS];
        char keys[MAX_SLOTS][NN_FULL_NAME_MAX];
        mx_array slot[MAX_SLOTS];
        int n_slots = slot_names(&opt->o, g, slots);
        for (int s = 0; s < n_slots; s++) {
            slot_key(keys[s], name, slots[s]);
            slot[s] = mx_named_arrays_get(opt->state, keys[s]);
        }
        mx_array new_p = apply_single(&opt->o, g, p, slot, lr, step);
        status = mx_array_status(new_p);
        if (status == MX_OK)
            status = mx_named_arrays_set(updated, name, new_p);
        for (int s = 0; s < n_slots && status == MX_OK; s++)
            status = mx_named_arrays_set(opt->state, keys[s], slot[s]);
    }
    mx_scope_end(scope);
    return status;
}

mx_status mx_optimizer_apply_gradients(mx_optimizer *opt, const mx_named_arrays *grads, const mx_named_arrays *params,
                                       mx_named_arrays **updated) {
    if (!opt || !grads || !params || !updated)
        return mx_set_error(MX_ERROR_VALUE, "optimizer.apply_gradients: null optimizer, tree or output");
    *updated = mx_named_arrays_new();
    if (!*updated)
        return MX_ERROR_MEMORY;
    mx_status status = step_all(opt, grads, params, *updated);
    if (status != MX_OK) {
        mx_named_arrays_free(*updated);
        *updated = NULL;
    }
    return status;
}

mx_status mx_optimizer_update(mx_optimizer *opt, mx_named_arrays *params, const mx_named_arrays *grads) {
    mx_named_arrays *updated = NULL;
    mx_status status = mx_optimizer_apply_gradients(opt, grads, params, &updated);
    for (int i = 0; status == MX_OK && i < mx_named_arrays_size(updated); i++)
        status = mx_named_arrays_set(params, mx_named_arrays_name(updated, i), mx_named_arrays_at(updated, i));
    mx_named_arrays_free(updated);
    return status;
}

/* ---- clip_grad_norm ----------------------------------------------------------------------------- */
mx_status mx_optim_clip_grad_norm(const mx_named_arrays *grads, double max_norm, mx_named_arrays **clipped,
                                  mx_array *total_norm) {
    if (!grads || !clipped)
        return mx_set_error(MX_ERROR_VALUE, "clip_grad_norm: null tree or output");
    *clipped = NULL;
    if (total_norm)
        *total_norm = MX_NULL_ARRAY;
    if (max_norm < 0)
        return mx_set_error(MX_ERROR_VALUE, "max_norm should be >=0, %g was provided instead", max_norm);
    int n = mx_named_arrays_size(grads);
    mx_named_arrays *out = mx_named_arrays_new();
    if (!out)
        return MX_ERROR_MEMORY;
    mx_scope scope = mx_scope_begin();
    mx_array norm_squared = mx_scalar_f32(0.0f); /* tree_reduce's initial 0.0 */
    for (int i = 0; i < n; i++) {
        mx_array g = mx_named_arrays_at(grads, i);
        if (mx_array_dtype(g) == MX_FLOAT16)
            g = mx_astype(g, MX_FLOAT32);
        mx_array squared = mx_sum(mx_square(g), false);
        norm_squared = i == 0 ? mx_add(nn_float_like(0.0, squared), squared) : mx_add(norm_squared, squared);
    }
    mx_array norm = mx_sqrt(norm_squared);
    mx_array shifted = mx_add(norm, nn_float_like(1e-6, norm));
    mx_array ratio = mx_divide(nn_float_like(max_norm, shifted), shifted);
    mx_array normalizer = mx_minimum(ratio, nn_float_like(1.0, ratio));
    mx_status status = mx_array_status(normalizer);
    for (int i = 0; i < n && status == MX_OK; i++) {
        mx_array g = mx_named_arrays_at(grads, i);
        mx_array scaled = mx_multiply(g, normalizer);
        if (mx_dtype_is_float(mx_array_dtype(g)))
            scaled = mx_astype(scaled, mx_array_dtype(g));
        status = mx_array_status(scaled);
        if (status == MX_OK)
            status = mx_named_arrays_set(out, mx_named_arrays_name(grads, i), scaled);
    }
    if (status == MX_OK && total_norm)
        *total_norm = mx_scope_keep(scope, norm);
    mx_scope_end(scope);
    if (status != MX_OK) {
        mx_named_arrays_free(out);
        return status;
    }
    *clipped = out;
    return MX_OK;
}
