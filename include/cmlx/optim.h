/* cmlx/optim.h - optimizers, learning-rate schedules and gradient clipping
 * (mlx.optimizers), in C. See docs/optim.md.
 *
 * An optimizer is its hyper-parameters (mx_optim_options, filled with MLX's
 * defaults by mx_optim_defaults) plus a state tree: an mx_named_arrays holding
 * "step" (uint64), "learning_rate" (float32) and each parameter's slots under
 * "<parameter name>.<slot>" (e.g. "layers.0.weight.m"), the names
 * tree_flatten(optimizer.state) gives in MLX. The state saves and loads with
 * mx_save_safetensors / mx_load_safetensors and is restored with
 * mx_optimizer_set_state.
 *
 * Updates are lazy: mx_optimizer_update replaces the parameters (and the
 * state) with new unevaluated arrays; evaluate the parameter and state trees
 * (mx_nn_eval) once per step. The formulas, their operation order and the
 * dtypes of the scalars are MLX 0.32's, so a step gives MLX's values. */
#ifndef CMLX_OPTIM_H
#define CMLX_OPTIM_H

#include <stdbool.h>
#include <stdint.h>

#include "cmlx/array.h"
#include "cmlx/io.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- schedules (mlx.optimizers.schedulers) ------------------------------------------
 * A schedule maps the step (an integer array, the optimizer's uint64 count
 * of updates done so far) to a float32 learning rate. Schedules are
 * refcounted: constructors return one reference, join and optimizers take
 * their own. NULL (error set) on bad arguments, with MLX's messages. */
typedef struct mx_schedule mx_schedule;
/* init * decay_rate^step */
MX_API mx_schedule *mx_optim_exponential_decay(double init, double decay_rate);
/* init * decay_rate^(step // step_size) */
MX_API mx_schedule *mx_optim_step_decay(double init, double decay_rate, int64_t step_size);
/* end + (init - end) (1 + cos(pi min(step, decay_steps) / decay_steps)) / 2 (MLX: end 0) */
MX_API mx_schedule *mx_optim_cosine_decay(double init, int64_t decay_steps, double end);
/* init + (end - init) min(step, steps) / steps */
MX_API mx_schedule *mx_optim_linear_schedule(double init, double end, int64_t steps);
/* schedules[0] before boundaries[0], then schedules[i + 1](step - boundaries[i])
 * from boundaries[i] on; n_boundaries = n - 1. */
MX_API mx_schedule *mx_optim_join_schedules(mx_schedule *const *schedules, int n, const int64_t *boundaries,
                                            int n_boundaries);
MX_API mx_schedule *mx_optim_schedule_retain(mx_schedule *schedule);
MX_API void mx_optim_schedule_free(mx_schedule *schedule); /* NULL is a no-op */
/* The learning rate at `step` (a new array). */
MX_API mx_array mx_optim_schedule_apply(const mx_schedule *schedule, mx_array step);

/* ---- optimizers ------------------------------------------------------------------------ */
typedef enum mx_optim_kind {
    MX_OPTIM_SGD = 0,
    MX_OPTIM_RMSPROP,
    MX_OPTIM_ADAGRAD,
    MX_OPTIM_ADADELTA,
    MX_OPTIM_ADAM,
    MX_OPTIM_ADAMW,
    MX_OPTIM_ADAMAX,
    MX_OPTIM_LION,
    MX_OPTIM_ADAFACTOR
} mx_optim_kind;

/* Every optimizer's hyper-parameters; each reads the fields its MLX class has. */
typedef struct mx_optim_options {
    mx_optim_kind kind;
    double learning_rate;  /* all; Adafactor: NAN for None (relative steps only) */
    mx_schedule *schedule; /* NULL, or the learning rate as a schedule of the step (retained) */
    double momentum;       /* SGD: 0 */
    double dampening;      /* SGD: 0 */
    bool nesterov;         /* SGD: false */
    double weight_decay;   /* SGD 0, AdamW 0.01, Lion 0, Adafactor 0 */
    double betas[2];       /* Adam, AdamW, Adamax: (0.9, 0.999); Lion: (0.9, 0.99) */
    double eps;            /* Adam, AdamW, Adamax, RMSprop, Adagrad: 1e-8; AdaDelta: 1e-6 */
    bool bias_correction;  /* Adam, AdamW: false */
    double alpha;          /* RMSprop: 0.99 */
    double rho;            /* AdaDelta: 0.9 */
    /* Adafactor */
    double adafactor_eps[2]; /* (1e-30, 1e-3) */
    double clip_threshold;   /* 1 */
    double decay_rate;       /* -0.8 */
    double beta_1;           /* NAN for None (no first moment) */
    bool scale_parameter;    /* true */
    bool relative_step;      /* true */
    bool warmup_init;        /* false */
} mx_optim_options;

/* MLX's defaults for `kind`, with this learning rate (and no schedule). */
MX_API mx_optim_options mx_optim_defaults(mx_optim_kind kind, double learning_rate);

typedef struct mx_optimizer mx_optimizer;
/* NULL (error set, MLX's message) for invalid hyper-parameters. */
MX_API mx_optimizer *mx_optimizer_new(const mx_optim_options *options);
MX_API void mx_optimizer_free(mx_optimizer *optimizer); /* NULL is a no-op */
MX_API const mx_optim_options *mx_optimizer_options(const mx_optimizer *optimizer);

/* Creates the missing slots of every parameter (zeros, as MLX's init). */
MX_API mx_status mx_optimizer_init(mx_optimizer *optimizer, const mx_named_arrays *params);
/* One step: the learning rate of the schedule at the current step, step + 1,
 * then each parameter named in grads replaced in params by its update. Every
 * name of grads must be in params; parameters without a gradient are kept. */
MX_API mx_status mx_optimizer_update(mx_optimizer *optimizer, mx_named_arrays *params, const mx_named_arrays *grads);
/* The same step without touching params: *updated is a new tree (free with
 * mx_named_arrays_free) with the updated value of each parameter in grads. */
MX_API mx_status mx_optimizer_apply_gradients(mx_optimizer *optimizer, const mx_named_arrays *grads,
                                              const mx_named_arrays *params, mx_named_arrays **updated);

/* The state tree (borrowed; valid until the next call on the optimizer). */
MX_API const mx_named_arrays *mx_optimizer_state(const mx_optimizer *optimizer);
/* Replaces the state by a copy of `state` (for instance one loaded from a
 * safetensors file): it must hold "step"; slots missing from it are created
 * by the next update. */
MX_API mx_status mx_optimizer_set_state(mx_optimizer *optimizer, const mx_named_arrays *state);
/* The step (the number of updates) and the current learning rate (borrowed;
 * MX_NULL_ARRAY for Adafactor without one). */
MX_API mx_array mx_optimizer_step(const mx_optimizer *optimizer);
MX_API mx_array mx_optimizer_learning_rate(const mx_optimizer *optimizer);
/* Sets a constant learning rate (dropping a schedule), as MLX's setter. */
MX_API mx_status mx_optimizer_set_learning_rate(mx_optimizer *optimizer, double learning_rate);

/* ---- gradient clipping ---------------------------------------------------------------------
 * clip_grad_norm: total_norm = sqrt(sum of every gradient's squared
 * elements); each gradient scaled by min(max_norm / (total_norm + 1e-6), 1).
 * *clipped is a new tree (free with mx_named_arrays_free); *total_norm a new
 * array (pass NULL to drop it). */
MX_API mx_status mx_optim_clip_grad_norm(const mx_named_arrays *grads, double max_norm, mx_named_arrays **clipped,
                                         mx_array *total_norm);

#ifdef __cplusplus
}
#endif

#endif
