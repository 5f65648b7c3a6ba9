/* tests/c/test_cuda_norm_vjp.c - the CUDA kernels of the fused norm backward
 * passes (norms_vjp.cu: rms_norm_vjp, layer_norm_vjp) against the CPU kernel:
 * the gradients of mx.fast.layer_norm / rms_norm for x, weight and bias
 * computed with the GPU and with the CPU as default device, every float
 * dtype, weight/bias present or not, some gradients only, x contiguous,
 * transposed or sliced, row lengths for each kernel path (a warp per row with
 * 1, 2 or 4 vectors per lane, a block per row, the looped kernel for long or
 * unaligned rows), row counts past one wave of blocks (grid-stride rows and
 * the partial-sum reduction of dw/db), mixed dtypes, and a second-order
 * gradient (the composition, on the GPU op by op).
 *
 * Tolerance: both compute the same float32 (float64) expressions and round
 * once to the gradient's dtype; they differ in the order of the row and
 * column sums, so results are judged by the relative norm of the difference
 * within 4x the tolerance of the gradient's dtype (tolerance()): a float16
 * dx of a float32 layer_norm is rounded to float16, where a last-bit
 * difference of the two float32 results can flip a rounding. Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

static const mx_dtype k_floats[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};

typedef struct norm_cfg {
    bool layer, weight, bias;
    int mask; /* inputs differentiated: bit 0 x, 1 weight, 2 bias */
    mx_array all[3];
    int n;
} norm_cfg;

static mx_status norm_fn(void *payload, const mx_array *in, int n_in, mx_array_list *out) {
    const norm_cfg *c = payload;
    mx_array a[3];
    int next = 0;
    (void)n_in;
    for (int i = 0; i < c->n; i++)
        a[i] = c->mask & (1 << i) ? in[next++] : c->all[i];
    mx_array w = c->weight ? a[1] : MX_NULL_ARRAY, b = c->bias ? a[c->weight ? 2 : 1] : MX_NULL_ARRAY;
    mx_array y = c->layer ? mx_fast_layer_norm(a[0], w, b, 1e-5) : mx_fast_rms_norm(a[0], w, 1e-5);
    return mx_array_list_push(out, y);
}

static void run_case(bool layer, bool weight, bool bias, int mask, mx_dtype xt, mx_dtype wt, int64_t rows, int64_t L,
                     layout l) {
    char what[200];
    norm_cfg c = {.layer = layer, .weight = weight, .bias = layer && bias};
    c.n = 1 + c.weight + c.bias;
    c.mask = mask & ((1 << c.n) - 1);
    if (!c.mask)
        return;
    c.all[0] = operand(rows, L, xt, D_ANY, l);
    for (int i = 1; i < c.n; i++)
        c.all[i] = random_array((const int64_t[]){L}, 1, wt, D_ANY);
    mx_dtype out = c.n > 1 ? mx_promote_types(xt, wt) : xt;
    mx_array cot = random_array((const int64_t[]){rows, L}, 2, out, D_UNIT);
    mx_array prim[3];
    int np = 0;
    for (int i = 0; i < c.n; i++)
        if (c.mask & (1 << i))
            prim[np++] = c.all[i];
    mx_closure f = mx_closure_new(norm_fn, &c, NULL);
    mx_array_list outs[2] = {{0}}, grads[2] = {{0}};
    for (int dev = 0; dev < 2; dev++) {
        on(dev ? MX_GPU : MX_CPU);
        if (mx_vjp(f, prim, np, &cot, 1, &outs[dev], &grads[dev]) != MX_OK)
            printf("note: vjp failed: %s\n", mx_last_error());
    }
    for (int k = 0; k < np; k++) {
        snprintf(what, sizeof what, "%s x %s w %s (%lld, %lld) %s%s%s mask %d: grad %d",
                 layer ? "layer_norm" : "rms_norm", mx_dtype_name(xt), mx_dtype_name(wt), (long long)rows, (long long)L,
                 layout_name(l), c.weight ? " w" : "", c.bias ? " b" : "", c.mask, k);
        if (grads[0].count <= k || grads[1].count <= k) {
            g_cases++, g_failures++;
            printf("FAIL %s: no gradient\n", what);
            continue;
        }
        /* each gradient is rounded to its input's dtype: a float16 dx of a float32 layer_norm flips
         * roundings where the two float32 results differ in the last bits */
        compare(what, grads[0].items[k], grads[1].items[k], tolerance(mx_array_dtype(grads[0].items[k])) * 4, true);
    }
    for (int dev = 0; dev < 2; dev++) {
        mx_array_list_clear(&outs[dev]);
        mx_array_list_clear(&grads[dev]);
    }
    mx_closure_free(f);
    for (int i = 0; i < c.n; i++)
        mx_free(c.all[i]);
    mx_free(cot);
}

static void cases(void) {
    /* (rows, L): warp per row with 1/2/4 vectors per lane (float32: L 64, 256, 384), a block per row
     * (1000, 4096, 8192), looped (7: unaligned; 12288 / 40000: past the registers), and 5000 rows
     * (more rows than one wave of blocks: grid-stride rows, many partial rows of dw/db) */
    static const int64_t shapes[][2] = {{33, 7},    {300, 64}, {70, 256},  {5000, 384}, {65, 1000},
                                        {40, 4096}, {9, 8192}, {5, 12288}, {3, 40000}};
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int s = 0; s < COUNT(shapes); s++)
            for (int layer = 0; layer < 2; layer++) {
                run_case(layer, true, true, 7, k_floats[t], k_floats[t], shapes[s][0], shapes[s][1], L_CONTIG);
                run_case(layer, false, false, 1, k_floats[t], k_floats[t], shapes[s][0], shapes[s][1], L_CONTIG);
            }
    for (int t = 0; t < COUNT(k_floats); t++)
        for (int l = 1; l < L_COUNT; l++)
            for (int layer = 0; layer < 2; layer++)
                run_case(layer, true, true, 7, k_floats[t], k_floats[t], 130, 384, (layout)l);
    /* some gradients only; bias without weight */
    for (int t = 0; t < COUNT(k_floats); t++) {
        run_case(true, true, true, 1, k_floats[t], k_floats[t], 257, 768, L_CONTIG);
        run_case(true, true, true, 6, k_floats[t], k_floats[t], 257, 768, L_CONTIG);
        run_case(true, true, true, 2, k_floats[t], k_floats[t], 257, 768, L_CONTIG);
        run_case(true, false, true, 3, k_floats[t], k_floats[t], 257, 768, L_CONTIG);
        run_case(false, true, false, 2, k_floats[t], k_floats[t], 257, 768, L_CONTIG);
    }
    /* mixed dtypes: the fused op then works in float32 (float64) */
    run_case(true, true, true, 7, MX_FLOAT16, MX_FLOAT32, 100, 512, L_CONTIG);
    run_case(false, true, false, 3, MX_BFLOAT16, MX_FLOAT32, 100, 512, L_CONTIG);
    run_case(false, true, false, 3, MX_FLOAT32, MX_FLOAT64, 100, 512, L_CONTIG);
}

/* ---- second order: d/dx of sum(c * d/dx layer_norm(x, w, b)) ------------------------------------ */

static mx_status inner_grad(void *payload, const mx_array *in, int n, mx_array_list *out) {
    mx_array cot = *(const mx_array *)payload;
    norm_cfg c = {.layer = true, .weight = true, .bias = true, .mask = 7, .n = 3};
    mx_closure f = mx_closure_new(norm_fn, &c, NULL);
    mx_array_list outs = {0};
    mx_status st = mx_vjp(f, in, n, &cot, 1, &outs, out);
    mx_array_list_clear(&outs);
    mx_closure_free(f);
    return st;
}

static void second_order(void) {
    for (int t = 0; t < COUNT(k_floats); t++) {
        if (k_floats[t] == MX_FLOAT16 || k_floats[t] == MX_BFLOAT16)
            continue; /* second derivatives in half precision amplify the first's rounding */
        mx_array in[3] = {random_array((const int64_t[]){64, 96}, 2, k_floats[t], D_ANY),
                          random_array((const int64_t[]){96}, 1, k_floats[t], D_ANY),
                          random_array((const int64_t[]){96}, 1, k_floats[t], D_ANY)};
        mx_array cot = random_array((const int64_t[]){64, 96}, 2, k_floats[t], D_UNIT);
        mx_array cots[3] = {random_array((const int64_t[]){64, 96}, 2, k_floats[t], D_UNIT),
                            random_array((const int64_t[]){96}, 1, k_floats[t], D_UNIT),
                            random_array((const int64_t[]){96}, 1, k_floats[t], D_UNIT)};
        mx_closure g = mx_closure_new(inner_grad, &cot, NULL);
        mx_array_list outs[2] = {{0}}, grads[2] = {{0}};
        for (int dev = 0; dev < 2; dev++) {
            on(dev ? MX_GPU : MX_CPU);
            if (mx_vjp(g, in, 3, cots, 3, &outs[dev], &grads[dev]) != MX_OK)
                printf("note: second-order vjp failed: %s\n", mx_last_error());
        }
        for (int k = 0; k < 3; k++) {
            char what[96];
            snprintf(what, sizeof what, "second order layer_norm %s grad %d", mx_dtype_name(k_floats[t]), k);
            if (grads[0].count <= k || grads[1].count <= k) {
                g_cases++, g_failures++;
                printf("FAIL %s: no gradient\n", what);
                continue;
            }
            compare(what, grads[0].items[k], grads[1].items[k], tolerance(k_floats[t]) * 20, true);
        }
        for (int dev = 0; dev < 2; dev++) {
            mx_array_list_clear(&outs[dev]);
            mx_array_list_clear(&grads[dev]);
        }
        mx_closure_free(g);
        for (int i = 0; i < 3; i++)
            mx_free(in[i]), mx_free(cots[i]);
        mx_free(cot);
    }
}

int main(void) {
    if (parity_skip("test_cuda_norm_vjp"))
        return 0;
    printf("GPU: %s\n", mx_device_name(mx_gpu_device()));
    cases();
    printf("norm vjps: %d cases, %d failures\n", g_cases, g_failures);
    second_order();
    printf("+ second order: %d cases, %d failures\n", g_cases, g_failures);
    printf("%s: %d cases, %d failures\n", g_failures ? "FAIL" : "OK", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
