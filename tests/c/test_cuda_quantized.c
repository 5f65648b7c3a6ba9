/* tests/c/test_cuda_quantized.c - the CUDA kernels of quantized.cu against
 * the CPU kernels: quantize (packed words, scales, biases: bit for bit),
 * dequantize (bit for bit, float64 output included), quantized_matmul
 * (transpose both ways, M from 1 (the GEMV) to 64 (dequantize + cuBLASLt),
 * batched and broadcast batch dims, a 1-D x, views), gather_qmm (index
 * arrays, out-of-range indices), and the VJP of quantized_matmul on the GPU
 * (w.r.t. x, scales and biases) - for float32/float16/bfloat16, every bits
 * value (1, 2, 3, 4, 5, 6, 8) and group size (32, 64, 128).
 *
 * Tolerances: quantize/dequantize exactly; products by the relative norm of
 * the difference at twice the dtype's parity tolerance (the summation order
 * differs, and the large-M path rounds the dequantized weights to the dtype
 * before the tensor-core product, where the CPU keeps them in float32).
 * Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

static const mx_dtype k_dtypes[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
static const int k_bits[] = {1, 2, 3, 4, 5, 6, 8};
static const int k_groups[] = {32, 64, 128};

/* ---- quantize / dequantize ------------------------------------------------------------------- */

static void run_quantize(mx_dtype t, int bits, int gs, int64_t rows, int64_t k, layout l) {
    char what[160];
    mx_array w = operand(rows, k, t, D_ANY, l);
    mx_array c[3], g[3];
    on(MX_CPU);
    mx_status sc = mx_quantize(w, gs, bits, NULL, c);
    on(MX_GPU);
    mx_status sg = mx_quantize(w, gs, bits, NULL, g);
    static const char *parts[3] = {"packed", "scales", "biases"};
    for (int i = 0; i < 3; i++) {
        snprintf(what, sizeof what, "quantize %s %s bits %d gs %d (%lld, %lld) %s", parts[i], mx_dtype_name(t), bits,
                 gs, (long long)rows, (long long)k, layout_name(l));
        if (sc != MX_OK || sg != MX_OK) {
            g_cases++, g_failures++;
            printf("FAIL %s: %s\n", what, mx_last_error());
            continue;
        }
        compare(what, c[i], g[i], 0, false);
    }
    /* dequantize the CPU's triple on both devices: the op's dtype, and float64 */
    for (int f64 = 0; f64 < 2 && sc == MX_OK; f64++) {
        mx_dtype out = f64 ? MX_FLOAT64 : MX_DTYPE_COUNT;
        on(MX_CPU);
        mx_array dc = mx_dequantize(c[0], c[1], c[2], gs, bits, NULL, out);
        on(MX_GPU);
        mx_array dg = mx_dequantize(c[0], c[1], c[2], gs, bits, NULL, out);
        snprintf(what, sizeof what, "dequantize %s%s bits %d gs %d (%lld, %lld)", mx_dtype_name(t),
                 f64 ? "->float64" : "", bits, gs, (long long)rows, (long long)k);
        compare(what, dc, dg, 0, false);
        mx_free(dc), mx_free(dg);
    }
    for (int i = 0; i < 3; i++) {
        if (sc == MX_OK)
            mx_free(c[i]);
        if (sg == MX_OK)
            mx_free(g[i]);
    }
    mx_free(w);
}

/* dequantize of views: the packed words and scales sliced out of larger arrays */
static void run_dequantize_views(mx_dtype t, int bits, int gs) {
    int64_t shape[2] = {24, 256};
    mx_array w = random_array(shape, 2, t, D_ANY), q[3];
    on(MX_CPU);
    if (mx_quantize(w, gs, bits, NULL, q) != MX_OK) {
        g_cases++, g_failures++;
        printf("FAIL dequantize views: %s\n", mx_last_error());
        mx_free(w);
        return;
    }
    mx_array v[3];
    for (int i = 0; i < 3; i++) /* every other row */
        v[i] = mx_slice(q[i], (int64_t[]){1, 0}, (int64_t[]){24, mx_shape(q[i])[1]}, (int64_t[]){2, 1}, 2);
    mx_array dc = mx_dequantize(v[0], v[1], v[2], gs, bits, NULL, MX_DTYPE_COUNT);
    on(MX_GPU);
    mx_array dg = mx_dequantize(v[0], v[1], v[2], gs, bits, NULL, MX_DTYPE_COUNT);
    char what[128];
    snprintf(what, sizeof what, "dequantize %s bits %d gs %d sliced rows", mx_dtype_name(t), bits, gs);
    compare(what, dc, dg, 0, false);
    mx_free(dc), mx_free(dg), mx_free(w);
    for (int i = 0; i < 3; i++)
        mx_free(q[i]), mx_free(v[i]);
}

static void quantize_cases(void) {
    for (int t = 0; t < COUNT(k_dtypes); t++)
        for (int b = 0; b < COUNT(k_bits); b++)
            for (int g = 0; g < COUNT(k_groups); g++) {
                run_quantize(k_dtypes[t], k_bits[b], k_groups[g], 16, 384, L_CONTIG);
                run_dequantize_views(k_dtypes[t], k_bits[b], k_groups[g]);
            }
    for (int t = 0; t < COUNT(k_dtypes); t++)
        for (int l = 1; l < L_COUNT; l++) {
            run_quantize(k_dtypes[t], 4, 64, 40, 128, (layout)l);
            run_quantize(k_dtypes[t], 3, 32, 40, 128, (layout)l);
        }
    /* a group of one repeated value (scale eps), zeros, a large range */
    for (int t = 0; t < COUNT(k_dtypes); t++) {
        int64_t shape[2] = {4, 128};
        float v[512];
        for (int i = 0; i < 512; i++)
            v[i] = i < 128 ? 1.5f : i < 256 ? 0.0f : i < 384 ? (float)(i - 300) * 1000.0f : -(float)(i % 7);
        mx_array f = mx_array_from_data(v, shape, 2, MX_FLOAT32), w = mx_astype(f, k_dtypes[t]);
        for (int b = 0; b < COUNT(k_bits); b++) {
            mx_array c[3], g[3];
            on(MX_CPU);
            mx_status sc = mx_quantize(w, 32, k_bits[b], NULL, c);
            on(MX_GPU);
            mx_status sg = mx_quantize(w, 32, k_bits[b], NULL, g);
            for (int i = 0; i < 3 && sc == MX_OK && sg == MX_OK; i++) {
                char what[128];
                snprintf(what, sizeof what, "quantize special values %s bits %d part %d", mx_dtype_name(k_dtypes[t]),
                         k_bits[b], i);
                compare(what, c[i], g[i], 0, false);
                mx_free(c[i]), mx_free(g[i]);
            }
        }
        mx_free(f), mx_free(w);
    }
}

/* ---- quantized_matmul ------------------------------------------------------------------------ */

/* A quantized (..., rows, cols) weight made on the CPU (packed, scales, biases). */
static bool make_weight(const int64_t *shape, int nd, mx_dtype t, int gs, int bits, mx_array *q) {
    mx_array w = random_array(shape, nd, t, D_ANY);
    on(MX_CPU);
    mx_status st = mx_quantize(w, gs, bits, NULL, q);
    mx_free(w);
    if (st != MX_OK) {
        g_cases++, g_failures++;
        printf("FAIL quantizing a weight: %s\n", mx_last_error());
        return false;
    }
    mx_eval(q, 3);
    return true;
}

static void compare_qmm(const char *what, mx_array x, const mx_array *q, bool transpose, int gs, int bits, mx_dtype t) {
    on(MX_CPU);
    mx_array c = mx_quantized_matmul(x, q[0], q[1], q[2], transpose, gs, bits, NULL);
    on(MX_GPU);
    mx_array g = mx_quantized_matmul(x, q[0], q[1], q[2], transpose, gs, bits, NULL);
    compare(what, c, g, tolerance(t) * 2, true);
    mx_free(c), mx_free(g);
}

/* x (M, K) against w (N, K) (transpose) or (K, N) */
static void run_qmm(mx_dtype t, int bits, int gs, bool transpose, int64_t m, int64_t n, int64_t k, layout l) {
    int64_t wshape[2] = {transpose ? n : k, transpose ? k : n};
    mx_array q[3];
    if (!make_weight(wshape, 2, t, gs, bits, q))
        return;
    mx_array x = operand(m, k, t, D_ANY, l);
    char what[160];
    snprintf(what, sizeof what, "qmm %s bits %d gs %d %s M %lld N %lld K %lld %s", mx_dtype_name(t), bits, gs,
             transpose ? "T" : "N", (long long)m, (long long)n, (long long)k, layout_name(l));
    compare_qmm(what, x, q, transpose, gs, bits, t);
    mx_free(x);
    for (int i = 0; i < 3; i++)
        mx_free(q[i]);
}

/* batch dims: x (xb..., M, K) with w (wb..., N, K) broadcast; a 1-D x */
static void run_qmm_batched(mx_dtype t, int bits, bool transpose, int64_t m) {
    const int gs = 64;
    const int64_t n = 128, k = 256;
    struct {
        int xnd, wnd;
        int64_t xb[2], wb[2];
    } cases[] = {{2, 1, {2, 3}, {3}}, {0, 1, {0}, {4}}, {1, 2, {1}, {2, 3}}, {2, 2, {2, 1}, {1, 3}}, {1, 0, {5}, {0}}};
    for (int c = 0; c < COUNT(cases); c++) {
        int64_t ws[4], xs[4];
        int wnd = 0, xnd = 0;
        for (int i = 0; i < cases[c].wnd; i++)
            ws[wnd++] = cases[c].wb[i];
        ws[wnd++] = transpose ? n : k;
        ws[wnd++] = transpose ? k : n;
        for (int i = 0; i < cases[c].xnd; i++)
            xs[xnd++] = cases[c].xb[i];
        xs[xnd++] = m;
        xs[xnd++] = k;
        mx_array q[3];
        if (!make_weight(ws, wnd, t, gs, bits, q))
            return;
        mx_array x = random_array(xs, xnd, t, D_ANY);
        char what[160];
        snprintf(what, sizeof what, "qmm batched %s bits %d %s M %lld case %d", mx_dtype_name(t), bits,
                 transpose ? "T" : "N", (long long)m, c);
        compare_qmm(what, x, q, transpose, gs, bits, t);
        mx_free(x);
        for (int i = 0; i < 3; i++)
            mx_free(q[i]);
    }
    /* a 1-D x */
    int64_t ws[2] = {transpose ? n : k, transpose ? k : n}, xs[1] = {k};
    mx_array q[3];
    if (!make_weight(ws, 2, t, gs, bits, q))
        return;
    mx_array x = random_array(xs, 1, t, D_ANY);
    char what[128];
    snprintf(what, sizeof what, "qmm 1-D x %s bits %d %s", mx_dtype_name(t), bits, transpose ? "T" : "N");
    compare_qmm(what, x, q, transpose, gs, bits, t);
    mx_free(x);
    for (int i = 0; i < 3; i++)
        mx_free(q[i]);
}

static void qmm_cases(void) {
    static const int64_t ms[] = {1, 5, 16, 40};
    for (int t = 0; t < COUNT(k_dtypes); t++)
        for (int b = 0; b < COUNT(k_bits); b++)
            for (int g = 0; g < COUNT(k_groups); g++)
                for (int tr = 0; tr < 2; tr++)
                    for (int mi = 0; mi < COUNT(ms); mi++)
                        run_qmm(k_dtypes[t], k_bits[b], k_groups[g], tr, ms[mi], 128, 384, L_CONTIG);
    for (int t = 0; t < COUNT(k_dtypes); t++) {
        /* every M of the GEMV's two tiles and past it; N not a multiple of the block's rows */
        for (int64_t m = 1; m <= 17; m++)
            run_qmm(k_dtypes[t], 4, 64, true, m, 37, 256, L_CONTIG);
        run_qmm(k_dtypes[t], 4, 64, true, 300, 200, 512, L_CONTIG);
        run_qmm(k_dtypes[t], 4, 64, false, 300, 192, 512, L_CONTIG);
        /* K not a multiple of the GEMV's unit (3 bits: 128 values): the GEMM path */
        run_qmm(k_dtypes[t], 3, 32, true, 1, 50, 96, L_CONTIG);
        run_qmm(k_dtypes[t], 5, 32, true, 2, 50, 32, L_CONTIG);
        /* long K: several units per thread */
        run_qmm(k_dtypes[t], 4, 128, true, 1, 64, 4096, L_CONTIG);
        run_qmm(k_dtypes[t], 8, 32, true, 3, 64, 2048, L_CONTIG);
        for (int l = 1; l < L_COUNT; l++) {
            run_qmm(k_dtypes[t], 4, 64, true, 3, 64, 256, (layout)l);
            run_qmm(k_dtypes[t], 4, 64, false, 3, 64, 256, (layout)l);
            run_qmm(k_dtypes[t], 6, 32, true, 33, 64, 256, (layout)l);
        }
        for (int b = 0; b < COUNT(k_bits); b += 3)
            for (int tr = 0; tr < 2; tr++) {
                run_qmm_batched(k_dtypes[t], k_bits[b], tr, 3);
                run_qmm_batched(k_dtypes[t], k_bits[b], tr, 24);
            }
    }
}

/* ---- gather_qmm ------------------------------------------------------------------------------ */

static mx_array indices(const int32_t *v, int64_t n) {
    int64_t shape[1] = {n};
    return mx_array_from_data(v, shape, 1, MX_INT32);
}

static void run_gather(mx_dtype t, int bits, int gs, bool transpose, int64_t m, bool with_lhs) {
    const int64_t n = 128, k = 256;
    int64_t ws[3] = {3, transpose ? n : k, transpose ? k : n}, xs[3] = {4, m, k};
    mx_array q[3];
    if (!make_weight(ws, 3, t, gs, bits, q))
        return;
    mx_array x = random_array(xs, 3, t, D_ANY);
    static const int32_t lv[6] = {3, 0, 0, 2, 1, 3}, rv[6] = {2, 2, 0, 1, 0, 1};
    mx_array lhs = with_lhs ? indices(lv, 6) : MX_NULL_ARRAY, rhs = indices(rv, with_lhs ? 6 : 4);
    if (!with_lhs) { /* rhs (4,) against x's 4 batches */
        mx_free(rhs);
        rhs = indices((const int32_t[]){2, 2, 0, 1}, 4);
    }
    on(MX_CPU);
    mx_array c = mx_gather_qmm(x, q[0], q[1], q[2], lhs, rhs, transpose, gs, bits, NULL, false);
    on(MX_GPU);
    mx_array g = mx_gather_qmm(x, q[0], q[1], q[2], lhs, rhs, transpose, gs, bits, NULL, false);
    char what[160];
    snprintf(what, sizeof what, "gather_qmm %s bits %d gs %d %s M %lld%s", mx_dtype_name(t), bits, gs,
             transpose ? "T" : "N", (long long)m, with_lhs ? " lhs+rhs" : " rhs");
    compare(what, c, g, tolerance(t) * 2, true);
    mx_free(c), mx_free(g), mx_free(x), mx_free(rhs);
    if (with_lhs)
        mx_free(lhs);
    for (int i = 0; i < 3; i++)
        mx_free(q[i]);
}

static void gather_cases(void) {
    for (int t = 0; t < COUNT(k_dtypes); t++)
        for (int b = 0; b < COUNT(k_bits); b++)
            for (int tr = 0; tr < 2; tr++) {
                run_gather(k_dtypes[t], k_bits[b], 64, tr, 1, true);
                run_gather(k_dtypes[t], k_bits[b], 32, tr, 20, true);
                run_gather(k_dtypes[t], k_bits[b], 128, tr, 2, false);
            }
    /* an index past the weights: an error on the GPU as on the CPU */
    int64_t ws[3] = {2, 64, 256};
    mx_array q[3];
    if (!make_weight(ws, 3, MX_FLOAT32, 64, 4, q))
        return;
    int64_t xs[2] = {1, 256};
    mx_array x = random_array(xs, 2, MX_FLOAT32, D_ANY), rhs = indices((const int32_t[]){1, 5}, 2);
    on(MX_GPU);
    mx_array g = mx_gather_qmm(x, q[0], q[1], q[2], MX_NULL_ARRAY, rhs, true, 64, 4, NULL, false);
    mx_status st = mx_eval1(g);
    g_cases++;
    if (st == MX_OK) {
        g_failures++;
        printf("FAIL gather_qmm out-of-range rhs index: no error on the GPU\n");
    }
    mx_clear_error();
    on(MX_CPU);
    mx_free(g), mx_free(x), mx_free(rhs);
    for (int i = 0; i < 3; i++)
        mx_free(q[i]);
}

/* ---- VJP ------------------------------------------------------------------------------------- */

typedef struct qmm_payload {
    mx_array w;
    int gs, bits;
    bool transpose;
} qmm_payload;

static mx_status qmm_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    const qmm_payload *p = payload;
    return mx_array_list_push(out, mx_quantized_matmul(in[0], p->w, in[1], in[2], p->transpose, p->gs, p->bits, NULL));
}

static void run_vjp(mx_dtype t, int bits, bool transpose, int64_t m) {
    const int gs = 64;
    const int64_t n = 128, k = 256;
    int64_t ws[2] = {transpose ? n : k, transpose ? k : n}, xs[2] = {m, k}, os[2] = {m, n};
    mx_array q[3];
    if (!make_weight(ws, 2, t, gs, bits, q))
        return;
    qmm_payload p = {q[0], gs, bits, transpose};
    mx_array prim[3] = {random_array(xs, 2, t, D_ANY), q[1], q[2]};
    mx_array cot = random_array(os, 2, t, D_ANY);
    mx_closure f = mx_closure_new(qmm_fn, &p, NULL);
    mx_array_list outs[2] = {{0}}, grads[2] = {{0}};
    for (int dev = 0; dev < 2; dev++) {
        on(dev ? MX_GPU : MX_CPU);
        if (mx_vjp(f, prim, 3, &cot, 1, &outs[dev], &grads[dev]) != MX_OK)
            printf("note: qmm vjp failed: %s\n", mx_last_error());
    }
    static const char *names[3] = {"x", "scales", "biases"};
    for (int i = 0; i < 3; i++) {
        char what[128];
        snprintf(what, sizeof what, "vjp qmm %s bits %d %s M %lld d/d %s", mx_dtype_name(t), bits,
                 transpose ? "T" : "N", (long long)m, names[i]);
        if (grads[0].count <= i || grads[1].count <= i) {
            g_cases++, g_failures++;
            printf("FAIL %s: no gradient\n", what);
            continue;
        }
        compare(what, grads[0].items[i], grads[1].items[i], tolerance(t) * 4, true);
    }
    for (int dev = 0; dev < 2; dev++) {
        mx_array_list_clear(&outs[dev]);
        mx_array_list_clear(&grads[dev]);
    }
    mx_closure_free(f);
    mx_free(prim[0]), mx_free(cot);
    for (int i = 0; i < 3; i++)
        mx_free(q[i]);
}

static void vjp_cases(void) {
    static const int vbits[] = {2, 4, 6, 8};
    for (int t = 0; t < COUNT(k_dtypes); t++)
        for (int b = 0; b < COUNT(vbits); b++)
            for (int tr = 0; tr < 2; tr++) {
                run_vjp(k_dtypes[t], vbits[b], tr, 1);
                run_vjp(k_dtypes[t], vbits[b], tr, 33);
            }
}

int main(void) {
    if (parity_skip("test_cuda_quantized"))
        return 0;
    printf("GPU: %s\n", mx_device_name(mx_gpu_device()));
    quantize_cases();
    printf("quantize, dequantize: %d cases, %d failures\n", g_cases, g_failures);
    qmm_cases();
    printf("+ quantized_matmul: %d cases, %d failures\n", g_cases, g_failures);
    gather_cases();
    printf("+ gather_qmm: %d cases, %d failures\n", g_cases, g_failures);
    vjp_cases();
    printf("+ vjps: %d cases, %d failures\n", g_cases, g_failures);
    printf("%s: %d cases, %d failures\n", g_failures ? "FAIL" : "OK", g_cases, g_failures);
    return g_failures ? 1 : 0;
}
