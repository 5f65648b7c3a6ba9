/* nn/activations.c - the activation functions of mlx.nn, each composed of
 * cmlx ops exactly as MLX 0.32 writes it (so gradients follow MLX's too).
 * Python scalars become 0-d arrays of x's dtype (floats: float32 for integer
 * x), as MLX's weak scalars do. */
#include <math.h>

#include "nn/nn_internal.h"

#define F(v) nn_float_like((v), x)
#define I(v) nn_int_like((v), x)

mx_array mx_nn_sigmoid(mx_array x) { return mx_sigmoid(x); }
mx_array mx_nn_tanh(mx_array x) { return mx_tanh(x); }

mx_array mx_nn_relu(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_maximum(x, I(0)));
}

mx_array mx_nn_relu2(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_square(mx_maximum(x, I(0))));
}

mx_array mx_nn_relu6(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_minimum(mx_maximum(x, I(0)), F(6.0)));
}

mx_array mx_nn_leaky_relu(mx_array x, double negative_slope) {
    NN_BEGIN;
    NN_RETURN(mx_maximum(mx_multiply(F(negative_slope), x), x));
}

mx_array mx_nn_log_softmax(mx_array x, int axis) {
    NN_BEGIN;
    mx_array shifted = mx_subtract(x, mx_stop_gradient(mx_max_axis(x, axis, true)));
    NN_RETURN(mx_subtract(shifted, mx_logsumexp_axis(shifted, axis, true)));
}

mx_array mx_nn_elu(mx_array x, double alpha) {
    NN_BEGIN;
    mx_array negative = mx_multiply(F(alpha), mx_subtract(mx_exp(x), I(1)));
    NN_RETURN(mx_where(mx_greater(x, I(0)), x, negative));
}

mx_array mx_nn_softmax(mx_array x, int axis) { return mx_softmax_axis(x, axis, false); }

mx_array mx_nn_softplus(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_logaddexp(x, I(0)));
}

mx_array mx_nn_softsign(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_divide(x, mx_add(I(1), mx_abs(x))));
}

mx_array mx_nn_softshrink(mx_array x, double lambd) {
    NN_BEGIN;
    mx_array shrunk = mx_subtract(x, mx_multiply(mx_sign(x), F(lambd)));
    NN_RETURN(mx_where(mx_greater(mx_abs(x), F(lambd)), shrunk, I(0)));
}

mx_array mx_nn_celu(mx_array x, double alpha) {
    NN_BEGIN;
    mx_array negative = mx_multiply(F(alpha), mx_subtract(mx_exp(mx_divide(mx_minimum(x, F(0.0)), F(alpha))), I(1)));
    NN_RETURN(mx_add(mx_maximum(x, F(0.0)), negative));
}

mx_array mx_nn_silu(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_multiply(x, mx_sigmoid(x)));
}

mx_array mx_nn_log_sigmoid(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_negative(mx_nn_softplus(mx_negative(x))));
}

mx_array mx_nn_gelu(mx_array x) {
    NN_BEGIN;
    mx_array erf = mx_erf(mx_divide(x, F(sqrt(2.0))));
    NN_RETURN(mx_divide(mx_multiply(x, mx_add(I(1), erf)), I(2)));
}

mx_array mx_nn_gelu_approx(mx_array x) {
    NN_BEGIN;
    mx_array cube = mx_power(x, I(3));
    mx_array inner = mx_multiply(F(sqrt(2.0 / M_PI)), mx_add(x, mx_multiply(F(0.044715), cube)));
    NN_RETURN(mx_multiply(mx_multiply(F(0.5), x), mx_add(I(1), mx_tanh(inner))));
}

mx_array mx_nn_gelu_fast_approx(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_multiply(x, mx_sigmoid(mx_multiply(F(1.702), x))));
}

mx_array mx_nn_glu(mx_array x, int axis) {
    NN_BEGIN;
    mx_array halves[2];
    if (mx_split(x, 2, axis, halves) != MX_OK)
        NN_RETURN(nn_error(mx_last_status(), "glu: %s", mx_last_error()));
    NN_RETURN(mx_multiply(halves[0], mx_sigmoid(halves[1])));
}

mx_array mx_nn_step(mx_array x, double threshold) {
    NN_BEGIN;
    /* mx.where(x >= threshold, 1, 0): two Python ints give int32 */
    NN_RETURN(mx_where(mx_greater_equal(x, F(threshold)), mx_scalar_i32(1), mx_scalar_i32(0)));
}

mx_array mx_nn_selu(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_multiply(mx_nn_elu(x, 1.67326), F(1.0507)));
}

mx_array mx_nn_prelu(mx_array x, mx_array alpha) {
    NN_BEGIN;
    NN_RETURN(mx_add(mx_maximum(I(0), x), mx_multiply(alpha, mx_minimum(I(0), x))));
}

mx_array mx_nn_mish(mx_array x) {
    NN_BEGIN;
    NN_RETURN(mx_multiply(x, mx_tanh(mx_nn_softplus(x))));
}

mx_array mx_nn_hardswish(mx_array x) {
    NN_BEGIN;
    mx_array max_x_3 = mx_maximum(mx_add(x, I(3)), I(0));
    NN_RETURN(mx_divide(mx_multiply(x, mx_minimum(max_x_3, I(6))), I(6)));
}

mx_array mx_nn_hard_tanh(mx_array x, double min_val, double max_val) {
    NN_BEGIN;
    NN_RETURN(mx_minimum(mx_maximum(x, F(min_val)), F(max_val)));
}

mx_array mx_nn_hard_shrink(mx_array x, double lambd) {
    NN_BEGIN;
    NN_RETURN(mx_where(mx_greater(mx_abs(x), F(lambd)), x, I(0)));
}

mx_array mx_nn_softmin(mx_array x, int axis) {
    NN_BEGIN;
    NN_RETURN(mx_softmax_axis(mx_negative(x), axis, false));
}
