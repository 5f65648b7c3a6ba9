/* bench/thread_ops.c - a few threaded ops timed through cmlx's public API
 * only (so the same file builds against an older libcmlx, for before/after
 * comparisons of the threading: docs/threads.md): element-wise, reductions,
 * conv2d forward and gradients, matmul. Median and min of N evaluations
 * after 2 untimed ones.
 *
 *   thread_ops [N]        (N: timed evaluations, default 15, at most 64) */
#include "cmlx/cmlx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
typedef mx_array (*op_fn)(mx_array *in);
static mx_array op_add(mx_array *in) { return mx_add(in[0], in[1]); }
static mx_array op_exp(mx_array *in) { return mx_exp(in[0]); }
static mx_array op_sum(mx_array *in) { return mx_sum_axis(in[2], 1, false); }
static mx_array op_sum0(mx_array *in) { return mx_sum_axis(in[2], 0, false); }
static mx_array op_conv(mx_array *in) { return mx_conv2d(in[3], in[4], NULL, (int[]){1, 1}, NULL, 1); }
static mx_status conv_fn(void *p, const mx_array *x, int n, mx_array_list *out) {
    (void)p;
    (void)n;
    return mx_array_list_push(out, mx_conv2d(x[0], x[1], NULL, (int[]){1, 1}, NULL, 1));
}
static mx_array g_cot;
static mx_array_list g_outs, g_grads; /* of the last op_conv_grad, cleared after its evaluation */
static mx_array op_conv_grad(mx_array *in) {
    mx_closure f = mx_closure_new(conv_fn, NULL, NULL);
    mx_status s = mx_vjp(f, (mx_array[]){in[3], in[4]}, 2, &g_cot, 1, &g_outs, &g_grads);
    mx_closure_free(f);
    if (s != MX_OK) {
        fprintf(stderr, "conv2d grads: %s\n", mx_last_error());
        exit(1);
    }
    return mx_add(mx_sum(g_grads.items[0], false), mx_sum(g_grads.items[1], false));
}
static mx_array op_mm(mx_array *in) { return mx_matmul(in[5], in[5]); }
static mx_array op_mm_small(mx_array *in) { return mx_matmul(in[6], in[7]); }
int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 15;
    if (reps < 1 || reps > 64) {
        fprintf(stderr, "usage: thread_ops [N] (1 <= N <= 64)\n");
        return 2;
    }
    mx_array in[8];
    in[0] = mx_random_normal((int64_t[]){1 << 22}, 1, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[1] = mx_random_normal((int64_t[]){1 << 22}, 1, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[2] = mx_random_normal((int64_t[]){2048, 2048}, 2, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[3] = mx_random_normal((int64_t[]){8, 56, 56, 64}, 4, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[4] = mx_random_normal((int64_t[]){64, 3, 3, 64}, 4, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[5] = mx_random_normal((int64_t[]){1024, 1024}, 2, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[6] = mx_random_normal((int64_t[]){2048, 128}, 2, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    in[7] = mx_random_normal((int64_t[]){128, 512}, 2, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    g_cot = mx_random_normal((int64_t[]){8, 56, 56, 64}, 4, MX_FLOAT32, 0, 1, MX_NULL_ARRAY);
    mx_eval(in, 8);
    mx_eval1(g_cot);
    struct {
        const char *name;
        op_fn fn;
    } ops[] = {{"add 4M f32", op_add},
               {"exp 4M f32", op_exp},
               {"sum 2048x2048 axis 1", op_sum},
               {"sum 2048x2048 axis 0", op_sum0},
               {"conv2d 8x56x56x64 3x3 ->64", op_conv},
               {"conv2d grads (input+weight)", op_conv_grad},
               {"matmul 1024^3", op_mm},
               {"matmul 2048x128 @ 128x512", op_mm_small}};
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
        double t[64];
        for (int r = -2; r < reps; r++) {
            mx_scope s = mx_scope_begin();
            double t0 = now();
            mx_array y = ops[k].fn(in);
            if (mx_eval1(y) != MX_OK) {
                fprintf(stderr, "%s: %s\n", ops[k].name, mx_last_error());
                return 1;
            }
            mx_array_list_clear(&g_outs);
            mx_array_list_clear(&g_grads);
            if (r >= 0)
                t[r] = now() - t0;
            mx_scope_end(s);
        }
        qsort(t, (size_t)reps, sizeof *t, compare_doubles);
        printf("%-30s median %8.3f ms  min %8.3f ms\n", ops[k].name, 1e3 * t[reps / 2], 1e3 * t[0]);
    }
    return 0;
}
