/* tests/c/test_quantize.c - the C API of include/cmlx/quantize.h: packing
 * layout, round trips, products against dequantize + matmul (both kernel
 * paths), gradients through mx_vjp, and error paths. Bit-exactness against
 * MLX itself is checked in tests/python/test_differential_quantize.py. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmlx/cmlx.h"

static uint64_t g_rng = 12345;
static float urand(void) {
    g_rng = g_rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((g_rng >> 40) / (double)(1ULL << 24)) * 2.0f - 1.0f;
}

static mx_array rand_f32(const int64_t *shape, int ndim) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    float *v = malloc(sizeof(float) * (size_t)n);
    for (int64_t i = 0; i < n; i++)
        v[i] = urand();
    mx_array a = mx_array_from_data(v, shape, ndim, MX_FLOAT32);
    free(v);
    return a;
}

static double max_abs_diff(mx_array a, mx_array b) {
    mx_array fa = mx_astype(a, MX_FLOAT32), fb = mx_astype(b, MX_FLOAT32);
    mx_eval((mx_array[]){fa, fb}, 2);
    const float *pa = mx_data_f32(fa), *pb = mx_data_f32(fb);
    double m = pa && pb ? 0 : INFINITY;
    for (int64_t i = 0; pa && pb && i < (int64_t)mx_size(fa); i++)
        m = fmax(m, fabs((double)pa[i] - pb[i]));
    mx_free_n((mx_array[]){fa, fb}, 2);
    return m;
}

/* Values 0..15 in order, 4 bits, one group of 32: word j holds values
 * 8j..8j+7 from the low nibble up (MLX's layout). */
static void test_layout(void) {
    float v[64];
    for (int i = 0; i < 64; i++)
        v[i] = (float)(i % 16);
    mx_array w = mx_array_from_data(v, SHAPE(2, 32), MX_FLOAT32), out[3];
    CHECK_OK(mx_quantize(w, 32, 4, "affine", out));
    CHECK_OK(mx_eval(out, 3));
    const uint32_t *q = mx_data_u32(out[0]);
    CHECK_EQ_INT((int)mx_size(out[0]), 8);
    /* |max| > |min|: MLX anchors the max edge, scale -1 and bias 15, q = 15 - w */
    CHECK(q[0] == 0x89abcdefu && q[1] == 0x01234567u);
    CHECK_CLOSE(mx_data_f32(out[1])[0], -1.0, 0, 0);
    CHECK_CLOSE(mx_data_f32(out[2])[0], 15.0, 0, 0);
    /* 3 bits: values straddle words; dequantize gives the integers back */
    float v3[32];
    for (int i = 0; i < 32; i++)
        v3[i] = (float)(i % 8);
    mx_array w3 = mx_array_from_data(v3, SHAPE(1, 32), MX_FLOAT32), o3[3];
    CHECK_OK(mx_quantize(w3, 32, 3, NULL, o3));
    mx_array d3 = mx_dequantize(o3[0], o3[1], o3[2], 32, 3, NULL, MX_DTYPE_COUNT);
    CHECK_EQ_INT((int)mx_size(o3[0]), 3);
    CHECK(max_abs_diff(d3, w3) < 1e-6);
    mx_free_n(out, 3);
    mx_free_n(o3, 3);
    mx_free_n((mx_array[]){w, w3, d3}, 3);
}

/* Round trip error at most half a step per element, every bit width. */
static void test_round_trip(void) {
    int bits[] = {1, 2, 3, 4, 5, 6, 8};
    for (int b = 0; b < 7; b++) {
        mx_array w = rand_f32(SHAPE(8, 256)), out[3];
        CHECK_OK(mx_quantize(w, 64, bits[b], "affine", out));
        mx_array d = mx_dequantize(out[0], out[1], out[2], 64, bits[b], "affine", MX_DTYPE_COUNT);
        /* the step of a group is |scale|; MLX makes one edge exact, which can push the other end
         * past the last level (clipped): at most one step off */
        mx_array zero = mx_zeros_like(out[1]);
        double step = max_abs_diff(out[1], zero);
        CHECK(max_abs_diff(d, w) <= step + 1e-5);
        mx_free(zero);
        mx_free_n(out, 3);
        mx_free_n((mx_array[]){w, d}, 2);
    }
}

/* quantized_matmul against matmul of the dequantized weight: the fused
 * (1 row) and tiled (40 rows) paths, both layouts, 4 and 6 bits. */
static void test_matmul(void) {
    int rows[] = {1, 40};
    for (int bi = 0; bi < 2; bi++) {
        int bits = bi ? 6 : 4;
        for (int t = 0; t < 2; t++) {
            for (int r = 0; r < 2; r++) {
                bool transpose = t == 0;
                mx_array w = transpose ? rand_f32(SHAPE(96, 256)) : rand_f32(SHAPE(256, 128)), q[3];
                CHECK_OK(mx_quantize(w, 64, bits, NULL, q));
                mx_array d = mx_dequantize(q[0], q[1], q[2], 64, bits, NULL, MX_DTYPE_COUNT);
                mx_array x = rand_f32(SHAPE(rows[r], 256));
                mx_array dt = transpose ? mx_swapaxes(d, 0, 1) : mx_astype(d, MX_FLOAT32);
                mx_array want = mx_matmul(x, dt);
                mx_array got = mx_quantized_matmul(x, q[0], q[1], q[2], transpose, 64, bits, "affine");
                /* float32 sums of 256 products of magnitude <= 1 */
                CHECK(max_abs_diff(got, want) < 256 * 8 * 1.2e-7);
                mx_free_n(q, 3);
                mx_free_n((mx_array[]){w, d, x, dt, want, got}, 6);
            }
        }
    }
}

typedef struct qmm_payload {
    mx_array q[3];
} qmm_payload;

static mx_status qmm_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    qmm_payload *p = payload;
    return mx_array_list_push(out, mx_quantized_matmul(in[0], p->q[0], in[1], in[2], true, 64, 4, NULL));
}

/* d/dx = cot @ W; d/dscales and d/dbiases by groups, against explicit sums. */
static void test_vjp(void) {
    mx_array w = rand_f32(SHAPE(16, 128)), x = rand_f32(SHAPE(3, 128)), cot = rand_f32(SHAPE(3, 16));
    qmm_payload p;
    CHECK_OK(mx_quantize(w, 64, 4, NULL, p.q));
    mx_closure f = mx_closure_new(qmm_fn, &p, NULL);
    mx_array_list outs = {0}, grads = {0};
    CHECK_OK(mx_vjp(f, (mx_array[]){x, p.q[1], p.q[2]}, 3, &cot, 1, &outs, &grads));
    mx_array d = mx_dequantize(p.q[0], p.q[1], p.q[2], 64, 4, NULL, MX_DTYPE_COUNT);
    mx_array gx = mx_matmul(cot, d);
    CHECK(grads.count == 3 && max_abs_diff(grads.items[0], gx) < 1e-4);
    /* biases: sum over m and the group of cot[m, n] * x[m, k] */
    mx_eval((mx_array[]){grads.items[1], grads.items[2], x, cot}, 4);
    const float *xs = mx_data_f32(x), *cs = mx_data_f32(cot), *gb = mx_data_f32(grads.items[2]);
    double worst = 0;
    for (int n = 0; n < 16; n++)
        for (int g = 0; g < 2; g++) {
            double s = 0;
            for (int m = 0; m < 3; m++)
                for (int k = 0; k < 64; k++)
                    s += cs[m * 16 + n] * xs[m * 128 + g * 64 + k];
            worst = fmax(worst, fabs(s - gb[n * 2 + g]));
        }
    CHECK(worst < 1e-4);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_free_n(p.q, 3);
    mx_free_n((mx_array[]){w, x, cot, d, gx}, 5);
}

/* H_n H_n = n I: the transform with scale 1/n twice is the identity. */
static void test_hadamard(void) {
    int64_t ns[] = {16, 12, 40, 28};
    for (int i = 0; i < 4; i++) {
        mx_array x = rand_f32((int64_t[]){2, ns[i]}, 2);
        mx_array y = mx_hadamard_transform(x, NAN);
        mx_array z = mx_hadamard_transform(y, NAN);
        if (ns[i] != 40 && ns[i] != 28) /* H_12 and H_2^k are symmetric: H H = n I */
            CHECK(max_abs_diff(z, x) < 1e-5);
        mx_array y2 = mx_square(y), x2 = mx_square(x), sy = mx_sum(y2, false), sx = mx_sum(x2, false);
        CHECK(max_abs_diff(sy, sx) < 1e-3); /* orthogonal: the norm is kept */
        mx_free_n((mx_array[]){x, y, z, y2, x2, sy, sx}, 7);
    }
}

static void test_gather_and_masked(void) {
    mx_array a = rand_f32(SHAPE(3, 4, 8)), b = rand_f32(SHAPE(2, 8, 5));
    uint32_t li[] = {2, 0}, ri[] = {1, 1};
    mx_array l = mx_array_from_data(li, SHAPE(2), MX_UINT32), r = mx_array_from_data(ri, SHAPE(2), MX_UINT32);
    mx_array got = mx_gather_mm(a, b, l, r, false);
    mx_array ta = mx_take(a, l, 0), tb = mx_take(b, r, 0);
    mx_array want = mx_matmul(ta, tb);
    CHECK(max_abs_diff(got, want) < 1e-5);
    /* a block mask that drops the second K block of a: the product of the first K block alone */
    mx_array a2 = rand_f32(SHAPE(32, 64)), b2 = rand_f32(SHAPE(64, 32));
    bool mv[2] = {true, false};
    mx_array mask = mx_array_from_data(mv, SHAPE(1, 2), MX_BOOL);
    mx_array masked = mx_block_masked_mm(a2, b2, 32, MX_NULL_ARRAY, mask, MX_NULL_ARRAY);
    int64_t s0[2] = {0, 0}, sa[2] = {32, 32}, st[2] = {1, 1}, sb[2] = {32, 32};
    mx_array a_lo = mx_slice(a2, s0, sa, st, 2), b_lo = mx_slice(b2, s0, sb, st, 2);
    mx_array want2 = mx_matmul(a_lo, b_lo);
    CHECK(max_abs_diff(masked, want2) < 1e-5);
    mx_free_n((mx_array[]){a, b, l, r, got, want, ta, tb, a2, b2, mask, masked, a_lo, b_lo, want2}, 15);
}

static void test_errors(void) {
    mx_array w = rand_f32(SHAPE(4, 100)), out[3];
    CHECK_EQ_INT(mx_quantize(w, 64, 4, NULL, out), MX_ERROR_VALUE); /* 64 does not divide 100 */
    mx_free_n(out, 3);
    mx_array w2 = rand_f32(SHAPE(4, 128));
    CHECK_EQ_INT(mx_quantize(w2, 64, 7, NULL, out), MX_ERROR_VALUE);
    mx_free_n(out, 3);
    CHECK_EQ_INT(mx_quantize(w2, 48, 4, NULL, out), MX_ERROR_VALUE);
    mx_free_n(out, 3);
    CHECK_EQ_INT(mx_quantize(w2, 64, 4, "mxfp4", out), MX_ERROR_VALUE);
    mx_free_n(out, 3);
    CHECK_OK(mx_quantize(w2, 64, 4, NULL, out));
    mx_array x = rand_f32(SHAPE(2, 100));
    mx_array bad = mx_quantized_matmul(x, out[0], out[1], out[2], true, 64, 4, NULL);
    CHECK_EQ_INT(mx_array_status(bad), MX_ERROR_VALUE);
    mx_array nob = mx_quantized_matmul(x, out[0], out[1], MX_NULL_ARRAY, true, 64, 4, NULL);
    CHECK_EQ_INT(mx_array_status(nob), MX_ERROR_VALUE);
    mx_array badbits = mx_dequantize(out[0], out[1], out[2], 64, 8, NULL, MX_DTYPE_COUNT);
    CHECK_EQ_INT(mx_array_status(badbits), MX_ERROR_VALUE);
    mx_array h = mx_hadamard_transform(x, NAN); /* 100 = 25 * 4 */
    CHECK_EQ_INT(mx_array_status(h), MX_ERROR_VALUE);
    mx_free_n(out, 3);
    mx_free_n((mx_array[]){w, w2, x, bad, nob, badbits, h}, 7);
}

int main(void) {
    RUN(test_layout);
    RUN(test_round_trip);
    RUN(test_matmul);
    RUN(test_vjp);
    RUN(test_hadamard);
    RUN(test_gather_and_masked);
    RUN(test_errors);
    return CHECK_SUMMARY();
}
