/* bench/grad_memory.c - peak memory (and time) of one training step of a deep
 * MLP: forward and backward of loss = sum(x_L^2), x_{i+1} = tanh(x_i W_i),
 * through mx_value_and_grad, evaluated together as a training step does.
 * bench/grad_memory_mlx.py runs the same model in MLX.
 *
 *   build/bench/grad_memory [layers=100] [width=256] [batch=256] [checkpoint=0] [reverse=0]
 *
 * Reports the peak memory of the step above what was live before it (the
 * parameters and the input), the memory the results keep (loss and
 * gradients), and the median time of 5 steps. checkpoint=k wraps each run of
 * k layers in mx_checkpoint. reverse=1 passes the results to mx_eval last
 * first (the last layer's gradient first): the scheduler evaluates the roots
 * one after another, and the first layer's gradient first holds every
 * layer's cotangent until its own root is reached (docs/autograd.md). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmlx/cmlx.h"

typedef struct model {
    int layers, checkpoint;
    mx_closure span; /* k layers as one (checkpointed) closure, or NULL */
} model;

/* in = x, W_0 ... W_{n-1}: x through n layers (one output) */
static mx_status layers_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)payload;
    mx_array x = mx_retain(in[0]);
    for (int i = 1; i < n; i++) {
        mx_array h = mx_matmul(x, in[i]);
        mx_free(x);
        x = mx_tanh(h);
        mx_free(h);
    }
    return mx_array_list_push(out, x);
}

/* in = x, W_0 ... W_{L-1}: the loss sum(x_L^2) */
static mx_status loss_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const model *m = payload;
    mx_array x = mx_retain(in[0]);
    int k = m->checkpoint > 0 ? m->checkpoint : m->layers;
    for (int start = 0; start < m->layers; start += k) {
        int count = start + k <= m->layers ? k : m->layers - start;
        mx_array args[1 + 256];
        args[0] = x;
        for (int i = 0; i < count; i++)
            args[1 + i] = in[1 + start + i];
        mx_array_list o = {0};
        mx_status st = m->span ? mx_closure_apply(m->span, args, 1 + count, &o) : layers_fn(NULL, args, 1 + count, &o);
        mx_free(x);
        if (st != MX_OK)
            return st;
        x = mx_retain(o.items[0]);
        mx_array_list_clear(&o);
    }
    mx_array sq = mx_square(x);
    mx_free(x);
    mx_status st = mx_array_list_push(out, mx_sum(sq, false));
    mx_free(sq);
    (void)n;
    return st;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int layers = argc > 1 ? atoi(argv[1]) : 100, width = argc > 2 ? atoi(argv[2]) : 256;
    int batch = argc > 3 ? atoi(argv[3]) : 256, ckpt = argc > 4 ? atoi(argv[4]) : 0;
    int reverse = argc > 5 ? atoi(argv[5]) : 0;
    if (layers < 1 || width < 1 || batch < 1 || ckpt < 0 || ckpt > 256) {
        fprintf(stderr, "usage: grad_memory [layers] [width] [batch] [checkpoint span (0: none, at most 256)] "
                        "[reverse (1: evaluate the last gradient first)]\n");
        return 2;
    }
    mx_array key = mx_random_key(0);
    mx_array keys = mx_random_split(key, layers + 1);
    mx_array *in = malloc((size_t)(layers + 1) * sizeof *in);
    int *argnums = malloc((size_t)layers * sizeof *argnums);
    if (!in || !argnums)
        return 1;
    for (int i = 0; i <= layers; i++) {
        mx_array idx = mx_scalar_i32(i), k = mx_take(keys, idx, 0);
        mx_free(idx);
        int64_t shape[2] = {i ? width : batch, width};
        in[i] = mx_random_normal(shape, 2, MX_FLOAT32, 0.0, i ? 1.0 / __builtin_sqrt((double)width) : 1.0, k);
        mx_free(k);
        if (i)
            argnums[i - 1] = i;
    }
    mx_eval(in, layers + 1);
    mx_free(key);
    mx_free(keys);
    mx_closure block = mx_closure_new(layers_fn, NULL, NULL);
    model m = {layers, ckpt, ckpt ? mx_checkpoint(block) : NULL};
    mx_closure f = mx_closure_new(loss_fn, &m, NULL);
    mx_closure vg = mx_value_and_grad(f, argnums, layers);
    double times[5];
    size_t peak = 0, kept = 0, before = 0;
    double loss = 0;
    for (int rep = 0; rep < 5; rep++) {
        mx_clear_cache();
        before = mx_get_active_memory();
        mx_reset_peak_memory();
        double t0 = now();
        mx_array_list out = {0};
        mx_status st = mx_closure_apply(vg, in, layers + 1, &out);
        mx_array *roots = malloc((size_t)(out.count ? out.count : 1) * sizeof *roots);
        for (int i = 0; roots && i < out.count; i++)
            roots[i] = out.items[reverse ? out.count - 1 - i : i];
        if (st == MX_OK)
            st = roots ? mx_eval(roots, out.count) : MX_ERROR_MEMORY;
        free(roots);
        if (st != MX_OK) {
            fprintf(stderr, "grad_memory: %s\n", mx_last_error());
            return 1;
        }
        times[rep] = now() - t0;
        peak = mx_get_peak_memory() - before;
        kept = mx_get_active_memory() - before;
        mx_item_f64(out.items[0], &loss);
        mx_array_list_clear(&out);
    }
    qsort(times, 5, sizeof times[0], cmp_double);
    double mib = 1024.0 * 1024.0;
    printf("cmlx MLP layers=%d width=%d batch=%d checkpoint=%d reverse=%d: peak %.1f MiB above the %.1f MiB of inputs "
           "(results keep %.1f MiB), %.1f ms a step, loss %.6g\n",
           layers, width, batch, ckpt, reverse, peak / mib, before / mib, kept / mib, times[2] * 1e3, loss);
    mx_closure_free(vg);
    mx_closure_free(f);
    mx_closure_free(m.span);
    mx_closure_free(block);
    mx_free_n(in, layers + 1);
    free(in);
    free(argnums);
    return 0;
}
