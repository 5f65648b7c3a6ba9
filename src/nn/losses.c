/* nn/losses.c - the loss functions of mlx.nn.losses, composed of cmlx ops as
 * MLX 0.32 composes them (the CPU path: cross_entropy never takes MLX's GPU
 * fast kernel here). Shape mismatches are MX_ERROR_VALUE naming the loss and
 * the shapes, as MLX's ValueErrors do. */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "nn/nn_internal.h"

static bool same_shape(mx_array a, mx_array b) {
    return mx_ndim(a) == mx_ndim(b) && mx_ndim(a) >= 0 &&
           (mx_ndim(a) == 0 || memcmp(mx_shape(a), mx_shape(b), (size_t)mx_ndim(a) * sizeof(int64_t)) == 0);
}

/* The first error array among the inputs, retained; MX_NULL_ARRAY if none. */
static mx_array first_error(const mx_array *arrays, int n) {
    for (int i = 0; i < n; i++)
        if (arrays[i].id != 0 && mx_array_status(arrays[i]) != MX_OK)
            return mx_retain(arrays[i]);
    return MX_NULL_ARRAY;
}

static mx_array mismatch(const char *loss, const char *what_a, mx_array a, const char *what_b, mx_array b) {
    char as[MX_SHAPE_STR_CAP], bs[MX_SHAPE_STR_CAP];
    return nn_error(MX_ERROR_VALUE, "%s: %s shape %s does not match %s shape %s.", loss, what_a, nn_shape_str(a, as),
                    what_b, nn_shape_str(b, bs));
}

/* loss * weights (weights of the loss's shape), then the reduction. */
static mx_array weigh_and_reduce(const char *name, mx_array loss, mx_array weights, mx_nn_reduction reduction) {
    if (weights.id != 0) {
        if (!same_shape(weights, loss))
            return mismatch(name, "weights", weights, "output loss", loss);
        loss = mx_multiply(loss, weights);
    }
    return nn_reduce(loss, reduction, name);
}

mx_array mx_nn_cross_entropy(mx_array logits, mx_array targets, mx_array weights, int axis, double label_smoothing,
                             mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){logits, targets, weights}, 3);
    if (bad.id)
        return bad;
    if (label_smoothing < 0 || label_smoothing >= 1)
        return nn_error(MX_ERROR_VALUE, "cross_entropy: label smoothing must be in [0, 1), got %g.", label_smoothing);
    int ndim = mx_ndim(logits);
    if (ndim < 1 || axis < -ndim || axis >= ndim)
        return nn_error(MX_ERROR_VALUE, "cross_entropy: axis %d is out of range for logits of rank %d", axis, ndim);
    int ax = axis < 0 ? axis + ndim : axis;
    bool targets_as_probs = mx_ndim(targets) == ndim;
    bool shape_ok = false;
    if (targets_as_probs) {
        shape_ok = same_shape(targets, logits);
    } else if (mx_ndim(targets) == ndim - 1) {
        shape_ok = true;
        for (int i = 0, j = 0; i < ndim; i++)
            if (i != ax && mx_dim(logits, i) != mx_dim(targets, j++))
                shape_ok = false;
    }
    if (!shape_ok)
        return mismatch("cross_entropy", "targets", targets, "logits", logits);
    NN_BEGIN;
    mx_array shifted = mx_subtract(logits, mx_stop_gradient(mx_max_axis(logits, ax, true)));
    mx_array score;
    if (targets_as_probs)
        score = mx_sum_axis(mx_multiply(shifted, targets), ax, false);
    else
        score = mx_squeeze(mx_take_along_axis(shifted, mx_expand_dims(targets, &ax, 1), ax), &ax, 1);
    mx_array lse = mx_logsumexp_axis(shifted, ax, false);
    mx_array loss;
    if (label_smoothing > 0) {
        mx_array adjusted_score = mx_multiply(nn_float_like(1.0 - label_smoothing, score), score);
        mx_array mean_logits = mx_mean_axis(shifted, ax, false);
        mx_array smoothed = mx_multiply(mx_negative(mean_logits), nn_float_like(label_smoothing, mean_logits));
        loss = mx_add(mx_subtract(lse, adjusted_score), smoothed);
    } else {
        loss = mx_subtract(lse, score);
    }
    NN_RETURN(weigh_and_reduce("cross_entropy", loss, weights, reduction));
}

mx_array mx_nn_binary_cross_entropy(mx_array inputs, mx_array targets, mx_array weights, bool with_logits,
                                    mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets, weights}, 3);
    if (bad.id)
        return bad;
    if (!same_shape(inputs, targets))
        return mismatch("binary_cross_entropy", "inputs", inputs, "targets", targets);
    NN_BEGIN;
    mx_array loss;
    if (with_logits) {
        loss = mx_subtract(mx_logaddexp(nn_float_like(0.0, inputs), inputs), mx_multiply(inputs, targets));
    } else {
        mx_array log_inputs = mx_log(inputs);
        mx_array log_inv = mx_log(mx_subtract(nn_int_like(1, inputs), inputs));
        log_inputs = mx_clip(log_inputs, nn_int_like(-100, log_inputs), MX_NULL_ARRAY);
        log_inv = mx_clip(log_inv, nn_int_like(-100, log_inv), MX_NULL_ARRAY);
        mx_array one_minus_t = mx_subtract(nn_int_like(1, targets), targets);
        loss = mx_negative(mx_add(mx_multiply(targets, log_inputs), mx_multiply(one_minus_t, log_inv)));
    }
    NN_RETURN(weigh_and_reduce("binary_cross_entropy", loss, weights, reduction));
}

mx_array mx_nn_l1_loss(mx_array predictions, mx_array targets, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){predictions, targets}, 2);
    if (bad.id)
        return bad;
    if (!same_shape(predictions, targets))
        return mismatch("l1_loss", "predictions", predictions, "targets", targets);
    NN_BEGIN;
    NN_RETURN(nn_reduce(mx_abs(mx_subtract(predictions, targets)), reduction, "l1_loss"));
}

mx_array mx_nn_mse_loss(mx_array predictions, mx_array targets, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){predictions, targets}, 2);
    if (bad.id)
        return bad;
    if (!same_shape(predictions, targets))
        return mismatch("mse_loss", "predictions", predictions, "targets", targets);
    NN_BEGIN;
    NN_RETURN(nn_reduce(mx_square(mx_subtract(predictions, targets)), reduction, "mse_loss"));
}

mx_array mx_nn_nll_loss(mx_array inputs, mx_array targets, int axis, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets}, 2);
    if (bad.id)
        return bad;
    int ndim = mx_ndim(inputs);
    if (ndim < 1 || axis < -ndim || axis >= ndim || mx_ndim(targets) != ndim - 1)
        return mismatch("nll_loss", "targets", targets, "inputs", inputs);
    int ax = axis < 0 ? axis + ndim : axis;
    NN_BEGIN;
    mx_array picked = mx_take_along_axis(inputs, mx_expand_dims(targets, &ax, 1), ax);
    NN_RETURN(nn_reduce(mx_negative(mx_squeeze(picked, &ax, 1)), reduction, "nll_loss"));
}

mx_array mx_nn_gaussian_nll_loss(mx_array inputs, mx_array targets, mx_array vars, bool full, double eps,
                                 mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets, vars}, 3);
    if (bad.id)
        return bad;
    if (!same_shape(inputs, targets))
        return mismatch("gaussian_nll_loss", "inputs", inputs, "targets", targets);
    if (!same_shape(inputs, vars))
        return mismatch("gaussian_nll_loss", "inputs", inputs, "vars", vars);
    NN_BEGIN;
    mx_array v = mx_maximum(vars, nn_float_like(eps, vars));
    mx_array sum = mx_add(mx_log(v), mx_divide(mx_square(mx_subtract(targets, inputs)), v));
    mx_array loss = mx_multiply(nn_float_like(0.5, sum), sum);
    if (full)
        loss = mx_add(loss, nn_float_like(0.5 * log(2 * M_PI), loss));
    NN_RETURN(nn_reduce(loss, reduction, "gaussian_nll_loss"));
}

mx_array mx_nn_kl_div_loss(mx_array inputs, mx_array targets, int axis, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets}, 2);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array loss = mx_sum_axis(mx_multiply(mx_exp(targets), mx_subtract(targets, inputs)), axis, false);
    NN_RETURN(nn_reduce(loss, reduction, "kl_div_loss"));
}

mx_array mx_nn_smooth_l1_loss(mx_array predictions, mx_array targets, double beta, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){predictions, targets}, 2);
    if (bad.id)
        return bad;
    if (!same_shape(predictions, targets))
        return mismatch("smooth_l1_loss", "predictions", predictions, "targets", targets);
    NN_BEGIN;
    mx_array diff = mx_abs(mx_subtract(predictions, targets));
    mx_array beta_x = nn_float_like(beta, diff);
    mx_array quadratic = mx_divide(mx_multiply(nn_float_like(0.5, diff), mx_square(diff)), beta_x);
    mx_array linear = mx_subtract(mx_abs(diff), nn_float_like(0.5 * beta, diff));
    NN_RETURN(nn_reduce(mx_where(mx_less(diff, beta_x), quadratic, linear), reduction, "smooth_l1_loss"));
}

mx_array mx_nn_triplet_loss(mx_array anchors, mx_array positives, mx_array negatives, int axis, int p, double margin,
                            double eps, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){anchors, positives, negatives}, 3);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array dist[2];
    mx_array others[2] = {positives, negatives};
    for (int i = 0; i < 2; i++) {
        mx_array powered = mx_power(mx_abs(mx_subtract(anchors, others[i])), nn_int_like(p, anchors));
        mx_array summed = mx_add(mx_sum_axis(powered, axis, false), nn_float_like(eps, powered));
        dist[i] = mx_power(summed, nn_float_like(1.0 / p, summed));
    }
    mx_array loss = mx_add(mx_subtract(dist[0], dist[1]), nn_float_like(margin, dist[0]));
    NN_RETURN(nn_reduce(mx_maximum(loss, nn_int_like(0, loss)), reduction, "triplet_loss"));
}

mx_array mx_nn_hinge_loss(mx_array inputs, mx_array targets, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets}, 2);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array product = mx_multiply(inputs, targets);
    mx_array loss = mx_maximum(mx_subtract(nn_int_like(1, product), product), nn_int_like(0, product));
    NN_RETURN(nn_reduce(loss, reduction, "hinge_loss"));
}

mx_array mx_nn_huber_loss(mx_array inputs, mx_array targets, double delta, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets}, 2);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array abs_errors = mx_abs(mx_subtract(inputs, targets));
    mx_array quadratic = mx_minimum(abs_errors, nn_float_like(delta, abs_errors));
    mx_array linear = mx_subtract(abs_errors, quadratic);
    mx_array loss = mx_add(mx_multiply(nn_float_like(0.5, quadratic), mx_power(quadratic, nn_int_like(2, quadratic))),
                           mx_multiply(nn_float_like(delta, linear), linear));
    NN_RETURN(nn_reduce(loss, reduction, "huber_loss"));
}

mx_array mx_nn_log_cosh_loss(mx_array inputs, mx_array targets, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs, targets}, 2);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array errors = mx_subtract(inputs, targets);
    mx_array loss = mx_subtract(mx_logaddexp(errors, mx_negative(errors)), nn_float_like(log(2.0), errors));
    NN_RETURN(nn_reduce(loss, reduction, "log_cosh_loss"));
}

mx_array mx_nn_cosine_similarity_loss(mx_array x1, mx_array x2, int axis, double eps, mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){x1, x2}, 2);
    if (bad.id)
        return bad;
    NN_BEGIN;
    mx_array norm1 = mx_linalg_norm(x1, &axis, 1, false), norm2 = mx_linalg_norm(x2, &axis, 1, false);
    mx_array denominator = mx_multiply(norm1, norm2);
    denominator = mx_maximum(denominator, nn_float_like(eps, denominator));
    mx_array loss = mx_divide(mx_sum_axis(mx_multiply(x1, x2), axis, false), denominator);
    NN_RETURN(nn_reduce(loss, reduction, "cosine_similarity_loss"));
}

mx_array mx_nn_margin_ranking_loss(mx_array inputs1, mx_array inputs2, mx_array targets, double margin,
                                   mx_nn_reduction reduction) {
    mx_array bad = first_error((mx_array[]){inputs1, inputs2, targets}, 3);
    if (bad.id)
        return bad;
    if (!same_shape(inputs1, inputs2) || !same_shape(inputs1, targets)) {
        char s1[MX_SHAPE_STR_CAP], s2[MX_SHAPE_STR_CAP], s3[MX_SHAPE_STR_CAP];
        return nn_error(MX_ERROR_VALUE,
                        "margin_ranking_loss: the shapes of the arguments do not match: inputs1 %s, inputs2 %s, "
                        "targets %s",
                        nn_shape_str(inputs1, s1), nn_shape_str(inputs2, s2), nn_shape_str(targets, s3));
    }
    NN_BEGIN;
    mx_array differences = mx_subtract(inputs1, inputs2);
    mx_array loss = mx_add(mx_multiply(mx_negative(targets), differences), nn_float_like(margin, differences));
    NN_RETURN(nn_reduce(mx_maximum(nn_int_like(0, loss), loss), reduction, "margin_ranking_loss"));
}
