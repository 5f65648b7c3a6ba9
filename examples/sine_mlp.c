/* examples/sine_mlp.c - the first demo, kept as a small example: a small neural
 * network (1 -> 64 -> 1, tanh) learns y = sin(x) on [-pi, pi] from noisy
 * samples, trained with hand-written gradients (backpropagation written out
 * with cmlx ops) and plain gradient descent with momentum. It shows a
 * progress bar, then what the network learned next to the truth.
 *
 *   ./build/examples/sine_mlp [--steps N] [--quiet]                            */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmlx/cmlx.h"

#define HIDDEN 64
#define SAMPLES 1024

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress(int step, int steps, double loss, double elapsed) {
    int width = 30, filled = (int)((double)width * step / steps);
    double eta = step ? elapsed / step * (steps - step) : 0;
    printf("\r[");
    for (int i = 0; i < width; i++)
        putchar(i < filled ? '#' : '.');
    printf("] step %4d/%d  loss %.5f  %5.0f steps/s  eta %4.1fs", step, steps, loss,
           elapsed > 0 ? step / elapsed : 0.0, eta);
    fflush(stdout);
}

static int fail(const char *what) {
    fprintf(stderr, "\ndemo: %s failed: %s\n", what, mx_last_error());
    return 1;
}

/* Parameters of the network and their momentum buffers. */
typedef struct mlp {
    mx_array w1, b1, w2, b2;     /* (1,H) (H) (H,1) (1) */
    mx_array vw1, vb1, vw2, vb2; /* momentum */
} mlp;

/* out = w - lr * v_new, v_new = 0.9 v + g. Replaces *w and *v. */
static void sgd_momentum(mx_array *w, mx_array *v, mx_array g, mx_array lr, mx_array beta) {
    mx_array v_new = mx_add(mx_multiply(*v, beta), g);
    mx_array w_new = mx_subtract(*w, mx_multiply(lr, v_new));
    *w = w_new;
    *v = v_new;
}

int main(int argc, char **argv) {
    int steps = 4000;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--steps") && i + 1 < argc)
            steps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--quiet"))
            quiet = true;
    }
    printf("cmlx %s demo: a 1-%d-1 tanh network learns sin(x) from %d noisy samples\n", mx_version(), HIDDEN,
           SAMPLES);

    /* data: x uniform in [-pi, pi], y = sin(x) + noise */
    mx_array key = mx_random_key(42);
    mx_array keys[4];
    mx_array split = mx_random_split(key, 4);
    for (int i = 0; i < 4; i++) {
        mx_array index = mx_scalar_i32(i);
        keys[i] = mx_take(split, index, 0);
        mx_free(index);
    }
    mx_array lo = mx_scalar_f32((float)-M_PI), hi = mx_scalar_f32((float)M_PI);
    mx_array x = mx_random_uniform(lo, hi, (int64_t[]){SAMPLES, 1}, 2, MX_FLOAT32, keys[0]);
    mx_array noise = mx_random_normal((int64_t[]){SAMPLES, 1}, 2, MX_FLOAT32, 0.0, 0.05, keys[1]);
    mx_array y = mx_add(mx_sin(x), noise);
    if (mx_eval((mx_array[]){x, y}, 2) != MX_OK)
        return fail("making the data");

    /* parameters: w ~ N(0, 1/fan_in), b = 0 */
    mlp net;
    net.w1 = mx_random_normal((int64_t[]){1, HIDDEN}, 2, MX_FLOAT32, 0.0, 1.0, keys[2]);
    net.b1 = mx_zeros((int64_t[]){HIDDEN}, 1, MX_FLOAT32);
    net.w2 = mx_random_normal((int64_t[]){HIDDEN, 1}, 2, MX_FLOAT32, 0.0, 1.0 / sqrt(HIDDEN), keys[3]);
    net.b2 = mx_zeros((int64_t[]){1}, 1, MX_FLOAT32);
    net.vw1 = mx_zeros_like(net.w1);
    net.vb1 = mx_zeros_like(net.b1);
    net.vw2 = mx_zeros_like(net.w2);
    net.vb2 = mx_zeros_like(net.b2);
    mx_array lr = mx_scalar_f32(0.05f), beta = mx_scalar_f32(0.9f);
    mx_array two_over_n = mx_scalar_f32(2.0f / SAMPLES), one = mx_scalar_f32(1.0f);

    double start = now_seconds(), loss_value = 0;
    for (int step = 1; step <= steps; step++) {
        mx_scope scope = mx_scope_begin();
        /* forward: h = tanh(x w1 + b1), pred = h w2 + b2 */
        mx_array h = mx_tanh(mx_add(mx_matmul(x, net.w1), net.b1));
        mx_array pred = mx_add(mx_matmul(h, net.w2), net.b2);
        mx_array err = mx_subtract(pred, y);
        mx_array loss = mx_mean(mx_square(err), false);
        /* backward: d loss / d pred = 2 err / N */
        mx_array d_pred = mx_multiply(err, two_over_n);
        mx_array g_w2 = mx_matmul(mx_transpose(h, NULL, 0), d_pred);
        mx_array g_b2 = mx_sum_axis(d_pred, 0, false);
        mx_array d_h = mx_matmul(d_pred, mx_transpose(net.w2, NULL, 0));
        mx_array d_pre = mx_multiply(d_h, mx_subtract(one, mx_square(h))); /* tanh' = 1 - tanh^2 */
        mx_array g_w1 = mx_matmul(mx_transpose(x, NULL, 0), d_pre);
        mx_array g_b1 = mx_sum_axis(d_pre, 0, false);

        mlp old = net;
        sgd_momentum(&net.w1, &net.vw1, g_w1, lr, beta);
        sgd_momentum(&net.b1, &net.vb1, g_b1, lr, beta);
        sgd_momentum(&net.w2, &net.vw2, g_w2, lr, beta);
        sgd_momentum(&net.b2, &net.vb2, g_b2, lr, beta);
        mx_array state[9] = {net.w1, net.b1, net.w2, net.b2, net.vw1, net.vb1, net.vw2, net.vb2, loss};
        if (mx_eval(state, 9) != MX_OK) {
            mx_scope_end(scope);
            return fail("a training step");
        }
        mx_item_f64(loss, &loss_value);
        for (int i = 0; i < 8; i++)
            mx_scope_keep(scope, state[i]);
        mx_scope_end(scope);
        /* the previous parameters were created before this scope */
        mx_free_n((mx_array[]){old.w1, old.b1, old.w2, old.b2, old.vw1, old.vb1, old.vw2, old.vb2}, 8);
        if (!quiet && (step % 50 == 0 || step == steps))
            progress(step, steps, loss_value, now_seconds() - start);
    }
    printf("\nfinal mean squared error %.5f (noise variance %.5f)\n\n", loss_value, 0.05 * 0.05);

    /* what it learned: predictions on a grid next to sin(x) */
    mx_array grid = mx_reshape(mx_linspace(-M_PI, M_PI, 13, MX_FLOAT32), (int64_t[]){13, 1}, 2);
    mx_array h = mx_tanh(mx_add(mx_matmul(grid, net.w1), net.b1));
    mx_array pred = mx_add(mx_matmul(h, net.w2), net.b2);
    const float *g = mx_data_f32(grid), *p = mx_data_f32(pred);
    if (!g || !p)
        return fail("predicting");
    printf("      x    sin(x)   network   (each * is the network, | is sin(x))\n");
    for (int i = 0; i < 13; i++) {
        double truth = sin(g[i]);
        char line[43];
        memset(line, ' ', sizeof line - 1);
        line[sizeof line - 1] = '\0';
        int col_truth = (int)lround((truth + 1.1) / 2.2 * 40), col_pred = (int)lround((p[i] + 1.1) / 2.2 * 40);
        if (col_truth >= 0 && col_truth <= 41)
            line[col_truth] = '|';
        if (col_pred >= 0 && col_pred <= 41)
            line[col_pred] = '*';
        printf("%7.3f %8.4f %9.4f   %s\n", g[i], truth, p[i], line);
    }
    return 0;
}
