/* optim/schedules.c - the learning-rate schedules of mlx.optimizers, as
 * refcounted values evaluated on the step array with MLX's formulas (and its
 * scalar dtypes: a Python float beside the uint64 step gives float32). */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/handle.h"
#include "nn/nn_internal.h"

typedef enum schedule_kind { EXPONENTIAL, STEP, COSINE, LINEAR, JOIN } schedule_kind;

struct mx_schedule {
    int refs;
    schedule_kind kind;
    double init, end, decay_rate;
    int64_t steps; /* step_size, decay_steps or steps */
    int n;         /* JOIN: schedules and n - 1 boundaries */
    mx_schedule **schedules;
    int64_t *boundaries;
};

static mx_schedule *schedule_new(schedule_kind kind) {
    mx_schedule *s = calloc(1, sizeof *s);
    if (!s) {
        mx_set_error(MX_ERROR_MEMORY, "schedule: out of host memory");
        return NULL;
    }
    s->refs = 1;
    s->kind = kind;
    return s;
}

mx_schedule *mx_optim_exponential_decay(double init, double decay_rate) {
    mx_schedule *s = schedule_new(EXPONENTIAL);
    if (s) {
        s->init = init;
        s->decay_rate = decay_rate;
    }
    return s;
}

mx_schedule *mx_optim_step_decay(double init, double decay_rate, int64_t step_size) {
    if (step_size < 1) {
        mx_set_error(MX_ERROR_VALUE, "step_size must be greater than 0, but got %lld.", (long long)step_size);
        return NULL;
    }
    mx_schedule *s = schedule_new(STEP);
    if (s) {
        s->init = init;
        s->decay_rate = decay_rate;
        s->steps = step_size;
    }
    return s;
}

mx_schedule *mx_optim_cosine_decay(double init, int64_t decay_steps, double end) {
    if (decay_steps < 1) {
        mx_set_error(MX_ERROR_VALUE, "decay_steps must be greater than 0, but got %lld.", (long long)decay_steps);
        return NULL;
    }
    mx_schedule *s = schedule_new(COSINE);
    if (s) {
        s->init = init;
        s->end = end;
        s->steps = decay_steps;
    }
    return s;
}

mx_schedule *mx_optim_linear_schedule(double init, double end, int64_t steps) {
    if (steps < 1) {
        mx_set_error(MX_ERROR_VALUE, "steps must be greater than 0, but got %lld.", (long long)steps);
        return NULL;
    }
    mx_schedule *s = schedule_new(LINEAR);
    if (s) {
        s->init = init;
        s->end = end;
        s->steps = steps;
    }
    return s;
}

mx_schedule *mx_optim_join_schedules(mx_schedule *const *schedules, int n, const int64_t *boundaries,
                                     int n_boundaries) {
    if (n <= 0 || !schedules) {
        mx_set_error(MX_ERROR_VALUE, "Must provide at least 1 schedule to join.");
        return NULL;
    }
    if (n != n_boundaries + 1 || (n_boundaries > 0 && !boundaries)) {
        mx_set_error(MX_ERROR_VALUE, "Received %d boundaries but expected %d.", n_boundaries, n - 1);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (!schedules[i]) {
            mx_set_error(MX_ERROR_VALUE, "join_schedules: schedule %d is NULL", i);
            return NULL;
        }
    mx_schedule *s = schedule_new(JOIN);
    if (!s)
        return NULL;
    s->schedules = calloc((size_t)n, sizeof *s->schedules);
    s->boundaries = calloc((size_t)n, sizeof *s->boundaries);
    if (!s->schedules || !s->boundaries) {
        mx_optim_schedule_free(s);
        mx_set_error(MX_ERROR_MEMORY, "join_schedules: out of host memory");
        return NULL;
    }
    s->n = n;
    for (int i = 0; i < n; i++)
        s->schedules[i] = mx_optim_schedule_retain(schedules[i]);
    for (int i = 0; i < n_boundaries; i++)
        s->boundaries[i] = boundaries[i];
    return s;
}

mx_schedule *mx_optim_schedule_retain(mx_schedule *s) {
    if (s)
        s->refs++;
    return s;
}

void mx_optim_schedule_free(mx_schedule *s) {
    if (!s || --s->refs > 0)
        return;
    for (int i = 0; i < s->n; i++)
        mx_optim_schedule_free(s->schedules[i]);
    free(s->schedules);
    free(s->boundaries);
    free(s);
}

/* A Python float next to the step: float32 (or step's dtype when floating). */
#define F(v) nn_float_like((v), step)
#define I(v) nn_int_like((v), step)

static mx_array schedule_at(const mx_schedule *s, mx_array step) {
    switch (s->kind) {
    case EXPONENTIAL: return mx_multiply(F(s->init), mx_power(F(s->decay_rate), step));
    case STEP: {
        mx_array exponent = mx_floor_divide(step, I((double)s->steps));
        return mx_multiply(F(s->init), mx_power(nn_float_like(s->decay_rate, exponent), exponent));
    }
    case COSINE: {
        mx_array clamped = mx_minimum(step, I((double)s->steps));
        mx_array angle = mx_multiply(nn_float_like(M_PI / (double)s->steps, clamped), clamped);
        mx_array cosine = mx_cos(angle);
        mx_array decay = mx_multiply(nn_float_like(0.5, cosine), mx_add(nn_float_like(1.0, cosine), cosine));
        return mx_add(nn_float_like(s->end, decay), mx_multiply(decay, nn_float_like(s->init - s->end, decay)));
    }
    case LINEAR: {
        mx_array clamped = mx_minimum(step, I((double)s->steps));
        mx_array slope = nn_float_like((s->end - s->init) / (double)s->steps, clamped);
        mx_array scaled = mx_multiply(clamped, slope);
        return mx_add(scaled, nn_float_like(s->init, scaled));
    }
    case JOIN: {
        mx_array output = schedule_at(s->schedules[0], step);
        for (int i = 1; i < s->n; i++) {
            mx_array boundary = I((double)s->boundaries[i - 1]);
            mx_array later = schedule_at(s->schedules[i], mx_subtract(step, boundary));
            output = mx_where(mx_less(step, boundary), output, later);
        }
        return output;
    }
    }
    return nn_error(MX_ERROR_INTERNAL, "schedule: unknown kind %d", (int)s->kind);
}

mx_array mx_optim_schedule_apply(const mx_schedule *s, mx_array step) {
    if (!s)
        return nn_error(MX_ERROR_VALUE, "schedule: null schedule");
    if (mx_array_status(step) != MX_OK)
        return mx_retain(step);
    NN_BEGIN;
    NN_RETURN(schedule_at(s, step));
}
