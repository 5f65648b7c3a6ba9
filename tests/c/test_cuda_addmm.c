/* tests/c/test_cuda_addmm.c - mx_addmm on the GPU (the fused addmm node:
 * cuBLASLt's bias epilogue or beta * C, src/backend/cuda/matmul.c) against
 * the CPU's composition alpha * (a @ b) + beta * c: float32/float16/bfloat16/
 * float64; c of shape (N,), (1, N), (M, N), as contiguous arrays and as views
 * (a transposed (M, N), every other element of a longer row); a and b
 * contiguous, transposed and sliced; alpha/beta 1 and not; plus the cases the
 * GPU composes (mixed dtypes, c broadcast along columns, batched a) and the
 * gradients through mx_vjp (tracing: the composition's rules).
 *
 * Tolerances: relative norm of the difference, the matmul parity's per dtype
 * (float32 2e-5: summation order; the half types: the fused kernel rounds
 * alpha * acc + beta * c once where the composition rounds each step).
 * Without a GPU it prints SKIP and passes. */
#include <stdio.h>
#include <stdlib.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

typedef enum { C_ROW1D, C_ROW2D, C_FULL, C_FULL_T, C_ROW_STRIDED, C_COLUMN, C_COUNT } c_kind;
static const char *c_name(c_kind k) {
    static const char *names[] = {"c(N,)", "c(1,N)", "c(M,N)", "c(M,N) transposed", "c(N,) strided", "c(M,1)"};
    return names[k];
}

static mx_array make_c(c_kind k, int64_t m, int64_t n, mx_dtype t) {
    switch (k) {
    case C_ROW1D: return random_array((int64_t[]){n}, 1, t, D_ANY);
    case C_ROW2D: return random_array((int64_t[]){1, n}, 2, t, D_ANY);
    case C_FULL: return operand(m, n, t, D_ANY, L_CONTIG);
    case C_FULL_T: return operand(m, n, t, D_ANY, L_TRANSPOSED);
    case C_ROW_STRIDED: {
        mx_array base = random_array((int64_t[]){2 * n}, 1, t, D_ANY);
        mx_array v = mx_slice(base, (int64_t[]){1}, (int64_t[]){2 * n}, (int64_t[]){2}, 1);
        mx_free(base);
        return v;
    }
    default: return random_array((int64_t[]){m, 1}, 2, t, D_ANY);
    }
}

static void run(int64_t m, int64_t k, int64_t n, mx_dtype t, layout l, c_kind ck, double alpha, double beta) {
    on(MX_CPU);
    mx_array a = operand(m, k, t, D_ANY, l), b = operand(k, n, t, D_ANY, l), c = make_c(ck, m, n, t);
    mx_array ref = mx_addmm(c, a, b, alpha, beta);
    on(MX_GPU);
    mx_array got = mx_addmm(c, a, b, alpha, beta);
    char what[160];
    snprintf(what, sizeof what, "addmm %lldx%lldx%lld %s %s %s a=%g b=%g", (long long)m, (long long)k, (long long)n,
             mx_dtype_name(t), layout_name(l), c_name(ck), alpha, beta);
    compare(what, ref, got, tolerance(t), true);
    on(MX_CPU);
    mx_free(a), mx_free(b), mx_free(c), mx_free(ref), mx_free(got);
}

static mx_status addmm_fn(void *payload, const mx_array *in, int n_in, mx_array_list *out) {
    (void)payload, (void)n_in;
    return mx_array_list_push(out, mx_addmm(in[0], in[1], in[2], 0.5, 2.0));
}

static void run_vjp(mx_dtype t) {
    on(MX_CPU);
    mx_array prim[3] = {random_array((int64_t[]){24}, 1, t, D_ANY), operand(16, 32, t, D_ANY, L_CONTIG),
                        operand(32, 24, t, D_ANY, L_CONTIG)};
    mx_array cot = operand(16, 24, t, D_ANY, L_CONTIG);
    mx_closure f = mx_closure_new(addmm_fn, NULL, NULL);
    mx_array_list outs[2] = {{0}}, vjps[2] = {{0}};
    for (int dev = 0; dev < 2; dev++) {
        on(dev ? MX_GPU : MX_CPU);
        mx_vjp(f, prim, 3, &cot, 1, &outs[dev], &vjps[dev]);
    }
    for (int i = 0; i < 3; i++) {
        char what[96];
        snprintf(what, sizeof what, "addmm vjp %s d/d%s", mx_dtype_name(t), i == 0 ? "c" : i == 1 ? "a" : "b");
        if (vjps[0].count == 3 && vjps[1].count == 3) {
            compare(what, vjps[0].items[i], vjps[1].items[i], tolerance(t), true);
        } else {
            g_cases++, g_failures++;
            printf("FAIL %-48s vjp failed: %s\n", what, mx_last_error());
        }
    }
    on(MX_CPU);
    for (int dev = 0; dev < 2; dev++)
        mx_array_list_clear(&outs[dev]), mx_array_list_clear(&vjps[dev]);
    mx_closure_free(f);
    mx_free(cot);
    for (int i = 0; i < 3; i++)
        mx_free(prim[i]);
}

int main(void) {
    if (parity_skip("test_cuda_addmm"))
        return 0;
    printf("test_cuda_addmm on %s\n", mx_device_name(mx_gpu_device()));
    static const mx_dtype types[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
    static const double scales[][2] = {{1.0, 1.0}, {0.5, 2.0}, {1.0, 0.25}, {2.0, 1.0}};
    for (int t = 0; t < COUNT(types); t++)
        for (int ck = 0; ck < C_COUNT; ck++)
            for (int s = 0; s < COUNT(scales); s++)
                for (int l = 0; l < L_COUNT; l++)
                    run(48, 40, 56, types[t], (layout)l, (c_kind)ck, scales[s][0], scales[s][1]);
    run(1, 7, 9, MX_FLOAT32, L_CONTIG, C_ROW1D, 1.0, 1.0);
    run(300, 64, 3, MX_FLOAT32, L_CONTIG, C_FULL, 1.0, 1.0);
    /* mixed dtypes: the GPU composes */
    on(MX_CPU);
    mx_array c = random_array((int64_t[]){8}, 1, MX_FLOAT32, D_ANY), a = operand(4, 6, MX_BFLOAT16, D_ANY, L_CONTIG),
             b = operand(6, 8, MX_BFLOAT16, D_ANY, L_CONTIG);
    mx_array ref = mx_addmm(c, a, b, 1.0, 1.0);
    on(MX_GPU);
    mx_array got = mx_addmm(c, a, b, 1.0, 1.0);
    compare("addmm mixed float32 c, bfloat16 a b", ref, got, tolerance(MX_FLOAT32), true);
    on(MX_CPU);
    mx_free(c), mx_free(a), mx_free(b), mx_free(ref), mx_free(got);
    for (int t = 0; t < COUNT(types); t++)
        run_vjp(types[t]);
    printf("test_cuda_addmm: %d cases, %d failures\n", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
