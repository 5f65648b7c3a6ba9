/* tests/c/test_matmul.c - matmul: every dtype MLX allows, 1-D operands,
 * batch broadcasting, strided and transposed views, promotion, empty dims,
 * NaN/inf and the errors. Expected values come from MLX 0.32.4
 * (mlx.core.matmul on the CPU stream) unless a test says otherwise.
 *
 * Inputs are mostly A = ((arange(n) % 7) - 3) * 0.5 and
 * B = ((arange(n) % 5) - 2) * 0.25, whose products are exact in every float
 * dtype, so those results are compared exactly. */
#include <complex.h>
#include <stdlib.h>

#include "check.h"

/* float data -> array of `dtype` (the values given are exact in dtype) */
static mx_array from_f32(const float *data, const int64_t *shape, int ndim, mx_dtype dtype) {
    mx_array f = mx_array_from_data(data, shape, ndim, MX_FLOAT32);
    mx_array out = mx_astype(f, dtype);
    mx_free(f);
    return out;
}

static mx_array pattern(const int64_t *shape, int ndim, int mod, int shift, double scale, mx_dtype dtype) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    float *data = malloc(sizeof(float) * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++)
        data[i] = (float)(((i % mod) - shift) * scale);
    mx_array out = from_f32(data, shape, ndim, dtype);
    free(data);
    return out;
}
#define PAT_A(dtype, ...) pattern(SHAPE(__VA_ARGS__), 7, 3, 0.5, dtype)
#define PAT_B(dtype, ...) pattern(SHAPE(__VA_ARGS__), 5, 2, 0.25, dtype)

/* Checks shape, dtype and every value (as double) of x. */
static void check_values(mx_array x, const int64_t *shape, int ndim, mx_dtype dtype, const double *expected,
                         double rtol, double atol) {
    CHECK_OK(mx_array_status(x));
    CHECK_EQ_INT(mx_ndim(x), ndim);
    CHECK_EQ_INT(mx_array_dtype(x), dtype);
    if (mx_ndim(x) != ndim)
        return;
    for (int i = 0; i < ndim; i++)
        CHECK_EQ_INT(mx_shape(x)[i], shape[i]);
    int64_t n = mx_size(x);
    double *got = malloc(sizeof(double) * (size_t)(n ? n : 1));
    CHECK_OK(mx_copy_to(x, got, sizeof(double) * (size_t)n, MX_FLOAT64));
    for (int64_t i = 0; i < n; i++)
        CHECK_CLOSE(got[i], expected[i], rtol, atol);
    free(got);
}
/* S(2, 3): a shape as one macro argument; S() is 0-d. The leading -1 keeps
 * the array non-empty. */
#define S(...) ((const int64_t[]){-1, __VA_ARGS__})
#define S_NDIM(s) ((int)(sizeof(s) / sizeof(int64_t)) - 1)
#define EXPECT(x, dtype, rtol, atol, shape, ...)                                                                       \
    check_values((x), (shape) + 1, S_NDIM(shape), (dtype), (const double[]){__VA_ARGS__}, (rtol), (atol))

static void expect_error(mx_array x, mx_status status, const char *needle1, const char *needle2) {
    CHECK_EQ_INT(mx_array_status(x), status);
    const char *msg = mx_array_error(x);
    CHECK(msg && strstr(msg, "matmul"));
    CHECK(msg && strstr(msg, needle1));
    CHECK(msg && strstr(msg, needle2));
}

/* A product, checked and freed. */
#define MATMUL_EXPECT(a, b, dtype, rtol, atol, shape_list, ...)                                                        \
    do {                                                                                                               \
        mx_array a_ = (a), b_ = (b), c_ = mx_matmul(a_, b_);                                                           \
        EXPECT(c_, dtype, rtol, atol, shape_list, __VA_ARGS__);                                                        \
        mx_free_n((mx_array[]){a_, b_, c_}, 3);                                                                        \
    } while (0)

static void test_basic_dtypes(void) {
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 2, 3), PAT_B(MX_FLOAT32, 3, 2), MX_FLOAT32, 0, 0, S(2, 2), 0.5, 0.375, 0.5, -0.375);
    MATMUL_EXPECT(PAT_A(MX_FLOAT64, 2, 3), PAT_B(MX_FLOAT64, 3, 4), MX_FLOAT64, 0, 0, S(2, 4), 0.125, 0.625, 0.5, -0.25,
                  0.5, 0.25, -0.625, -0.25);
    /* exact in the half types too */
    MATMUL_EXPECT(PAT_A(MX_FLOAT16, 2, 3), PAT_B(MX_FLOAT16, 3, 2), MX_FLOAT16, 0, 0, S(2, 2), 0.5, 0.375, 0.5, -0.375);
    MATMUL_EXPECT(PAT_A(MX_BFLOAT16, 2, 3), PAT_B(MX_BFLOAT16, 3, 2), MX_BFLOAT16, 0, 0, S(2, 2), 0.5, 0.375, 0.5,
                  -0.375);
}

static void test_complex64(void) {
    float ad[] = {1, 2, 3, -1, 0, 0.5f, -2, 0}, bd[] = {2, -1, 1, 0, 0, 1, 1, 1};
    mx_array a = mx_array_from_data(ad, SHAPE(2, 2), MX_COMPLEX64);
    mx_array b = mx_array_from_data(bd, SHAPE(2, 2), MX_COMPLEX64);
    mx_array c = mx_matmul(a, b);
    CHECK_EQ_INT(mx_array_dtype(c), MX_COMPLEX64);
    float got[8] = {0}, expected[8] = {5, 6, 5, 4, 0.5f, -1, -2, -1.5f}; /* MLX */
    CHECK_OK(mx_copy_to(c, got, sizeof got, MX_COMPLEX64));
    for (int i = 0; i < 8; i++)
        CHECK_CLOSE(got[i], expected[i], 1e-6, 1e-6);
    /* a transposed complex view goes to BLAS as CblasTrans (not conjugated) */
    mx_array at = mx_transpose(a, NULL, 0), ct = mx_matmul(at, b);
    float expected_t[8] = {3.5f, 3, 0.5f, 2.5f, 5, -7, 1, -3}; /* MLX: a.T @ b */
    CHECK_OK(mx_copy_to(ct, got, sizeof got, MX_COMPLEX64));
    for (int i = 0; i < 8; i++)
        CHECK_CLOSE(got[i], expected_t[i], 1e-6, 1e-6);
    mx_free_n((mx_array[]){a, b, c, at, ct}, 5);
}

/* Fractional inputs (3 sin(1.3 i + s), stored as float16) where the
 * rounding of the result matters. MLX's CPU backend accumulates float16
 * and bfloat16 products in float32 and rounds once, as cmlx does; only
 * the summation order differs, which can move the final rounding by one
 * unit in the last place: 2^-10 relative for float16, 2^-7 for bfloat16. */
static const float k_f16_a[3 * 17] = {
    0.299560547f,  2.95703125f,   1.28222656f,  -2.26953125f,  -2.49609375f,  0.934570312f, 2.99609375f,   0.668457031f,
    -2.63867188f,  -2.08007812f,  1.52636719f,  2.89648438f,   0.0238952637f, -2.88476562f, -1.56738281f,  2.04492188f,
    2.66210938f,   -0.622070312f, -2.99414062f, -0.979980469f, 2.47070312f,   2.30078125f,  -1.23925781f,  -2.96484375f,
    -0.346923828f, 2.77929688f,   1.83300781f,  -1.79785156f,  -2.79492188f,  0.302246094f, 2.95703125f,   1.27929688f,
    -2.27148438f,  -2.49609375f,  0.937011719f, 2.99609375f,   0.666015625f,  -2.640625f,   -2.078125f,    1.52832031f,
    2.89648438f,   0.0212249756f, -2.88476562f, -1.56445312f,  2.046875f,     2.66015625f,  -0.624511719f, -2.99414062f,
    -0.977539062f, 2.47070312f,   2.29882812f};
static const float k_f16_b[17 * 5] = {1.93261719f,
                                      2.72851562f,
                                      -0.473144531f,
                                      -2.98046875f,
                                      -1.12207031f,
                                      2.38085938f,
                                      2.39453125f,
                                      -1.09960938f,
                                      -2.984375f,
                                      -0.496826172f,
                                      2.71875f,
                                      1.95117188f,
                                      -1.67382812f,
                                      -2.84570312f,
                                      0.151245117f,
                                      2.92773438f,
                                      1.41503906f,
                                      -2.16992188f,
                                      -2.57617188f,
                                      0.792480469f,
                                      3,
                                      0.8125f,
                                      -2.56445312f,
                                      -2.18554688f,
                                      1.39648438f,
                                      2.93164062f,
                                      0.172485352f,
                                      -2.83984375f,
                                      -1.69140625f,
                                      1.93457031f,
                                      2.7265625f,
                                      -0.475830078f,
                                      -2.98046875f,
                                      -1.11914062f,
                                      2.3828125f,
                                      2.39453125f,
                                      -1.1015625f,
                                      -2.98242188f,
                                      -0.494140625f,
                                      2.71875f,
                                      1.94921875f,
                                      -1.67675781f,
                                      -2.84570312f,
                                      0.153930664f,
                                      2.92773438f,
                                      1.41210938f,
                                      -2.171875f,
                                      -2.57421875f,
                                      0.794921875f,
                                      3,
                                      0.810058594f,
                                      -2.56640625f,
                                      -2.18359375f,
                                      1.3984375f,
                                      2.93164062f,
                                      0.169799805f,
                                      -2.83984375f,
                                      -1.68945312f,
                                      1.93652344f,
                                      2.7265625f,
                                      -0.478515625f,
                                      -2.98242188f,
                                      -1.11621094f,
                                      2.38476562f,
                                      2.39257812f,
                                      -1.10449219f,
                                      -2.98242188f,
                                      -0.491455078f,
                                      2.72070312f,
                                      1.94726562f,
                                      -1.67871094f,
                                      -2.84570312f,
                                      0.156616211f,
                                      2.92773438f,
                                      1.41015625f,
                                      -2.17382812f,
                                      -2.57421875f,
                                      0.797363281f,
                                      3,
                                      0.807617188f,
                                      -2.56835938f,
                                      -2.18164062f,
                                      1.40039062f,
                                      2.93164062f,
                                      0.167114258f};
static const float k_bf16_a[3 * 17] = {0.298828125f,  2.953125f,     1.28125f,    -2.265625f,
                                       -2.5f,         0.93359375f,   3,           0.66796875f,
                                       -2.640625f,    -2.078125f,    1.5234375f,  2.890625f,
                                       0.0239257812f, -2.890625f,    -1.5703125f, 2.046875f,
                                       2.65625f,      -0.62109375f,  -3,          -0.98046875f,
                                       2.46875f,      2.296875f,     -1.2421875f, -2.96875f,
                                       -0.34765625f,  2.78125f,      1.8359375f,  -1.796875f,
                                       -2.796875f,    0.302734375f,  2.953125f,   1.28125f,
                                       -2.265625f,    -2.5f,         0.9375f,     3,
                                       0.66796875f,   -2.640625f,    -2.078125f,  1.53125f,
                                       2.890625f,     0.0212402344f, -2.890625f,  -1.5625f,
                                       2.046875f,     2.65625f,      -0.625f,     -3,
                                       -0.9765625f,   2.46875f,      2.296875f};
static const float k_bf16_b[17 * 5] = {1.9296875f,
                                       2.734375f,
                                       -0.47265625f,
                                       -2.984375f,
                                       -1.125f,
                                       2.375f,
                                       2.390625f,
                                       -1.1015625f,
                                       -2.984375f,
                                       -0.49609375f,
                                       2.71875f,
                                       1.953125f,
                                       -1.671875f,
                                       -2.84375f,
                                       0.151367188f,
                                       2.921875f,
                                       1.4140625f,
                                       -2.171875f,
                                       -2.578125f,
                                       0.79296875f,
                                       3,
                                       0.8125f,
                                       -2.5625f,
                                       -2.1875f,
                                       1.3984375f,
                                       2.9375f,
                                       0.172851562f,
                                       -2.84375f,
                                       -1.6953125f,
                                       1.9375f,
                                       2.734375f,
                                       -0.4765625f,
                                       -2.984375f,
                                       -1.1171875f,
                                       2.375f,
                                       2.390625f,
                                       -1.1015625f,
                                       -2.984375f,
                                       -0.494140625f,
                                       2.71875f,
                                       1.9453125f,
                                       -1.6796875f,
                                       -2.84375f,
                                       0.154296875f,
                                       2.921875f,
                                       1.4140625f,
                                       -2.171875f,
                                       -2.578125f,
                                       0.79296875f,
                                       3,
                                       0.80859375f,
                                       -2.5625f,
                                       -2.1875f,
                                       1.3984375f,
                                       2.9375f,
                                       0.169921875f,
                                       -2.84375f,
                                       -1.6875f,
                                       1.9375f,
                                       2.71875f,
                                       -0.478515625f,
                                       -2.984375f,
                                       -1.1171875f,
                                       2.390625f,
                                       2.390625f,
                                       -1.1015625f,
                                       -2.984375f,
                                       -0.4921875f,
                                       2.71875f,
                                       1.9453125f,
                                       -1.6796875f,
                                       -2.84375f,
                                       0.15625f,
                                       2.921875f,
                                       1.4140625f,
                                       -2.171875f,
                                       -2.578125f,
                                       0.796875f,
                                       3,
                                       0.80859375f,
                                       -2.5625f,
                                       -2.1875f,
                                       1.3984375f,
                                       2.9375f,
                                       0.166992188f};

#define F16_RTOL 1e-3  /* one float16 ulp: 2^-10 */
#define BF16_RTOL 8e-3 /* one bfloat16 ulp: 2^-7 */

static void test_rounding_half_types(void) {
    MATMUL_EXPECT(from_f32(k_f16_a, SHAPE(3, 17), MX_FLOAT16), from_f32(k_f16_b, SHAPE(17, 5), MX_FLOAT16), MX_FLOAT16,
                  F16_RTOL, 0, S(3, 5), -2.34765625, 1.87988281, 3.34960938, -0.0860595703, -3.3984375, 2.45898438,
                  -1.9921875, -3.52148438, 0.108215332, 3.58203125, -2.53320312, 2.09375, 3.6484375, -0.141845703,
                  -3.7265625);
    MATMUL_EXPECT(from_f32(k_bf16_a, SHAPE(3, 17), MX_BFLOAT16), from_f32(k_bf16_b, SHAPE(17, 5), MX_BFLOAT16),
                  MX_BFLOAT16, BF16_RTOL, 0, S(3, 5), -2.296875, 1.8984375, 3.34375, -0.07421875, -3.453125, 2.375, -2,
                  -3.46875, 0.108886719, 3.59375, -2.484375, 2.140625, 3.640625, -0.159179688, -3.78125);
    /* float32 and float64 on the same (float16-exact) inputs: summation
     * order only, so a few float32 ulps over 17 terms of size ~9 */
    MATMUL_EXPECT(from_f32(k_f16_a, SHAPE(3, 17), MX_FLOAT32), from_f32(k_f16_b, SHAPE(17, 5), MX_FLOAT32), MX_FLOAT32,
                  1e-6, 1e-5, S(3, 5), -2.34708881, 1.87960148, 3.34999514, -0.0860309601, -3.39861083, 2.4585104,
                  -1.99258423, -3.52076364, 0.108237267, 3.58159018, -2.53246307, 2.09343147, 3.64761686, -0.141812325,
                  -3.72670054);
    MATMUL_EXPECT(from_f32(k_f16_a, SHAPE(3, 17), MX_FLOAT64), from_f32(k_f16_b, SHAPE(17, 5), MX_FLOAT64), MX_FLOAT64,
                  1e-7, 1e-8, S(3, 5), -2.34708852, 1.87960154, 3.34999511, -0.0860310197, -3.39861077, 2.45851064,
                  -1.99258435, -3.52076364, 0.108237505, 3.58158964, -2.53246242, 2.09343171, 3.64761743, -0.141812176,
                  -3.72670078);
    /* float16 through the copy path (a column slice of b) and the GEMV path (1-D a) */
    mx_array a = from_f32(k_f16_a, SHAPE(3, 17), MX_FLOAT16), b = from_f32(k_f16_b, SHAPE(17, 5), MX_FLOAT16);
    MATMUL_EXPECT(mx_retain(a), mx_slice(b, (int64_t[]){0, 0}, (int64_t[]){17, 3}, NULL, 2), MX_FLOAT16, F16_RTOL, 0,
                  S(3, 3), -2.34765625, 1.87988281, 3.34960938, 2.45898438, -1.9921875, -3.52148438, -2.53320312,
                  2.09375, 3.6484375);
    mx_array flat = mx_reshape(a, SHAPE(51));
    MATMUL_EXPECT(mx_slice(flat, (int64_t[]){0}, (int64_t[]){17}, NULL, 1), mx_retain(b), MX_FLOAT16, F16_RTOL, 0, S(5),
                  -2.34765625, 1.87988281, 3.34960938, -0.0860595703, -3.3984375);
    mx_free_n((mx_array[]){a, b, flat}, 3);
}

static void test_one_dimensional(void) {
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 3), PAT_B(MX_FLOAT32, 3), MX_FLOAT32, 0, 0, S(), 1);
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 2, 3, 4), PAT_B(MX_FLOAT32, 4), MX_FLOAT32, 0, 0, S(2, 3), 1, -0.875, 0.75, -1.125,
                  0.5, -0.5);
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 4), PAT_B(MX_FLOAT32, 2, 4, 3), MX_FLOAT32, 0, 0, S(2, 3), 0.625, -0.125, 0.375,
                  0.375, -0.375, -0.5);
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 3), PAT_B(MX_FLOAT32, 3, 2), MX_FLOAT32, 0, 0, S(2), 0.5, 0.375);
    /* a strided 1-D operand (every other element) is read in place */
    mx_array a6 = PAT_A(MX_FLOAT32, 6), b3 = PAT_B(MX_FLOAT32, 3, 2);
    mx_array a_even = mx_slice(a6, (int64_t[]){0}, (int64_t[]){6}, (int64_t[]){2}, 1); /* -1.5, -0.5, 0.5 */
    mx_array c = mx_matmul(a_even, b3);
    EXPECT(c, MX_FLOAT32, 0, 0, S(2), 1, 0); /* MLX: a[::2] @ b */
    mx_free_n((mx_array[]){a6, b3, a_even, c}, 4);
}

static void test_batch_broadcast(void) {
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 2, 1, 3, 4), PAT_B(MX_FLOAT32, 5, 4, 2), MX_FLOAT32, 0, 0, S(2, 5, 3, 2), 0.5,
                  0.375, 0.875, -0.625, 0.375, 0.125, 0.125, -0.625, -1.125, 1.125, 0.25, -0.625, 0.375, -0.375, -0.625,
                  -0.25, 0.125, -0.125, -0.625, 0.5, 1.125, 0.875, -0.625, 0.375, -0.375, 0.125, -0.25, -1.125, -0.125,
                  0.25, -1, 0.875, 0.25, -0.125, -1.125, -0.25, -1, 0.25, 0.375, -0.625, 0.875, 1.125, 0.875, 0.875,
                  -0.125, 0.125, -0.25, -0.625, 0.25, -1, -0.625, 0.25, 1.125, -1.125, 0.875, -1, 0.125, 0.375, -0.625,
                  0.875);
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 3, 4), PAT_B(MX_FLOAT32, 2, 4, 2), MX_FLOAT32, 0, 0, S(2, 3, 2), 0.5, 0.375, 0.875,
                  -0.625, 0.375, 0.125, 0.125, -0.625, -1.125, 1.125, 0.25, -0.625);
    /* the same product with float16 goes through the scratch copies, which
     * keep the broadcast batch dim of a unexpanded */
    MATMUL_EXPECT(PAT_A(MX_FLOAT16, 3, 4), PAT_B(MX_FLOAT16, 2, 4, 2), MX_FLOAT16, 0, 0, S(2, 3, 2), 0.5, 0.375, 0.875,
                  -0.625, 0.375, 0.125, 0.125, -0.625, -1.125, 1.125, 0.25, -0.625);
}

static void test_transposed_and_strided_views(void) {
    mx_array x = PAT_A(MX_FLOAT32, 4, 3), y = PAT_B(MX_FLOAT32, 5, 4);
    mx_array xt = mx_transpose(x, NULL, 0), yt = mx_transpose(y, NULL, 0);
    MATMUL_EXPECT(mx_retain(xt), PAT_B(MX_FLOAT32, 4, 5), MX_FLOAT32, 0, 0, S(3, 5), 0.25, 0.125, 0, -0.125, -0.25, 1,
                  0.5, 0, -0.5, -1, 0, 0, 0, 0, 0);
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 3, 4), mx_retain(yt), MX_FLOAT32, 0, 0, S(3, 5), 1, -0.125, -0.625, -0.5, 0.25,
                  -0.875, -0.625, 0.25, 1.75, -0.5, 0.75, -0.25, -0.625, -0.375, 0.5);
    MATMUL_EXPECT(mx_retain(xt), mx_retain(yt), MX_FLOAT32, 0, 0, S(3, 5), 0.625, -1.125, -1, 1, 0.5, 0.375, -0.375,
                  0.75, -0.625, -0.125, 0.125, -0.5, 0.75, -0.5, 0.125);
    /* the same with float64 (dgemm with transposes) */
    mx_array xd = mx_astype(xt, MX_FLOAT64), yd = mx_astype(yt, MX_FLOAT64);
    mx_array xdt = mx_transpose(xd, NULL, 0), ydt = mx_transpose(yd, NULL, 0); /* contiguous data, views of it */
    MATMUL_EXPECT(mx_transpose(xdt, NULL, 0), mx_transpose(ydt, NULL, 0), MX_FLOAT64, 0, 0, S(3, 5), 0.625, -1.125, -1,
                  1, 0.5, 0.375, -0.375, 0.75, -0.625, -0.125, 0.125, -0.5, 0.75, -0.5, 0.125);
    /* GEMV: a row vector times a transposed matrix, a transposed matrix times a column */
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 1, 4), mx_retain(yt), MX_FLOAT32, 0, 0, S(1, 5), 1, -0.125, -0.625, -0.5, 0.25);
    MATMUL_EXPECT(mx_retain(xt), PAT_B(MX_FLOAT32, 4, 1), MX_FLOAT32, 0, 0, S(3, 1), 0.625, 0.375, 0.125);
    /* a row of a transposed matrix: a 1 x 4 operand with column stride 3 */
    MATMUL_EXPECT(mx_slice(xt, (int64_t[]){1, 0}, (int64_t[]){2, 4}, NULL, 2), PAT_B(MX_FLOAT32, 4, 3), MX_FLOAT32, 0,
                  0, S(1, 3), 1, 0.5, -0.625);
    /* step-2 slices (no BLAS layout: copied), negative strides, and a
     * matrix broadcast along its rows (row stride 0) */
    mx_array a68 = PAT_A(MX_FLOAT32, 6, 8), a34 = PAT_A(MX_FLOAT32, 3, 4), a14 = PAT_A(MX_FLOAT32, 1, 4);
    MATMUL_EXPECT(mx_slice(a68, (int64_t[]){0, 1}, (int64_t[]){6, 8}, (int64_t[]){2, 2}, 2), PAT_B(MX_FLOAT32, 4, 3),
                  MX_FLOAT32, 0, 0, S(3, 3), -0.5, 1, 0.625, 0.375, 0.75, -0.75, -0.5, -1.25, 0.5);
    MATMUL_EXPECT(mx_flip(a34, NULL, 0), PAT_B(MX_FLOAT32, 4, 3), MX_FLOAT32, 0, 0, S(3, 3), -0.625, 0.375, 0.125,
                  1.125, 0.875, -0.625, -0.625, 0.5, 0.375);
    MATMUL_EXPECT(mx_broadcast_to(a14, SHAPE(3, 4)), PAT_B(MX_FLOAT32, 4, 2), MX_FLOAT32, 0, 0, S(3, 2), 0.5, 0.375,
                  0.5, 0.375, 0.5, 0.375);
    mx_free_n((mx_array[]){x, y, xt, yt, xd, yd, xdt, ydt, a68, a34, a14}, 11);
}

static void test_promotion(void) {
    MATMUL_EXPECT(PAT_A(MX_FLOAT16, 2, 3), PAT_B(MX_FLOAT32, 3, 2), MX_FLOAT32, 0, 0, S(2, 2), 0.5, 0.375, 0.5, -0.375);
    MATMUL_EXPECT(PAT_A(MX_BFLOAT16, 2, 3), PAT_B(MX_FLOAT16, 3, 2), MX_FLOAT32, 0, 0, S(2, 2), 0.5, 0.375, 0.5,
                  -0.375);
    MATMUL_EXPECT(PAT_A(MX_FLOAT32, 2, 3), PAT_B(MX_FLOAT64, 3, 2), MX_FLOAT64, 0, 0, S(2, 2), 0.5, 0.375, 0.5, -0.375);
    int32_t ints[] = {1, 2, 3, 4, 5, 6};
    MATMUL_EXPECT(PAT_A(MX_FLOAT16, 2, 3), mx_array_from_data(ints, SHAPE(3, 2), MX_INT32), MX_FLOAT16, 0, 0, S(2, 2),
                  -7, -10, 6.5, 8);
    bool mask[] = {true, false, true};
    MATMUL_EXPECT(mx_array_from_data(mask, SHAPE(1, 3), MX_BOOL), PAT_B(MX_FLOAT32, 3, 2), MX_FLOAT32, 0, 0, S(1, 2), 0,
                  -0.75);
}

static void test_nan_inf(void) {
    float x[] = {1, NAN, 2, 1, 2, 3}, y[] = {1, 0, 0, 1, INFINITY, 1};
    MATMUL_EXPECT(mx_array_from_data(x, SHAPE(2, 3), MX_FLOAT32), mx_array_from_data(y, SHAPE(3, 2), MX_FLOAT32),
                  MX_FLOAT32, 0, 0, S(2, 2), NAN, NAN, INFINITY, 5);
}

static void test_empty(void) {
    /* k = 0: an empty sum, zeros (MLX) */
    MATMUL_EXPECT(mx_ones(SHAPE(2, 0), MX_FLOAT32), mx_ones(SHAPE(0, 3), MX_FLOAT32), MX_FLOAT32, 0, 0, S(2, 3), 0, 0,
                  0, 0, 0, 0);
    MATMUL_EXPECT(mx_ones(SHAPE(2, 0), MX_FLOAT16), mx_ones(SHAPE(4, 0, 1), MX_FLOAT16), MX_FLOAT16, 0, 0, S(4, 2, 1),
                  0, 0, 0, 0, 0, 0, 0, 0);
    /* 1-D operands of length 0 (MLX: 0, [0, 0, 0], shape (2, 3)) */
    MATMUL_EXPECT(mx_ones(SHAPE(0), MX_FLOAT32), mx_ones(SHAPE(0), MX_FLOAT32), MX_FLOAT32, 0, 0, S(), 0);
    MATMUL_EXPECT(mx_ones(SHAPE(3, 0), MX_FLOAT32), mx_ones(SHAPE(0), MX_FLOAT32), MX_FLOAT32, 0, 0, S(3), 0, 0, 0);
    MATMUL_EXPECT(mx_ones(SHAPE(0), MX_FLOAT32), mx_ones(SHAPE(2, 0, 3), MX_FLOAT32), MX_FLOAT32, 0, 0, S(2, 3), 0, 0,
                  0, 0, 0, 0);
    MATMUL_EXPECT(mx_ones(SHAPE(0, 3), MX_FLOAT32), mx_ones(SHAPE(3, 6), MX_FLOAT32), MX_FLOAT32, 0, 0, S(0, 6), 0);
    MATMUL_EXPECT(mx_ones(SHAPE(0, 2, 3), MX_FLOAT32), mx_ones(SHAPE(3, 6), MX_FLOAT32), MX_FLOAT32, 0, 0, S(0, 2, 6),
                  0);
}

static void test_errors(void) {
    mx_array s = mx_scalar_f32(2), v = mx_ones(SHAPE(3), MX_FLOAT32), m23 = mx_ones(SHAPE(2, 3), MX_FLOAT32);
    mx_array m42 = mx_ones(SHAPE(4, 2), MX_FLOAT32), i23 = mx_ones(SHAPE(2, 3), MX_INT32);
    mx_array i32 = mx_ones(SHAPE(3, 2), MX_INT32), u32 = mx_ones(SHAPE(3, 2), MX_UINT8);
    mx_array b234 = mx_ones(SHAPE(2, 3, 4), MX_FLOAT32), b545 = mx_ones(SHAPE(5, 4, 5), MX_FLOAT32);

    mx_array e = mx_matmul(s, v); /* MLX: ValueError, 0-dimensional input */
    expect_error(e, MX_ERROR_VALUE, "0-dimensional", "float32");
    mx_free(e);
    e = mx_matmul(m23, m42); /* ValueError naming both shapes */
    expect_error(e, MX_ERROR_VALUE, "(2,3)", "(4,2)");
    CHECK(strstr(mx_array_error(e), "float32") != NULL);
    mx_free(e);
    mx_array v4 = mx_ones(SHAPE(4), MX_FLOAT32);
    e = mx_matmul(v, v4); /* 1-D operands, shown as MLX does: (1,3) and (4,1) */
    expect_error(e, MX_ERROR_VALUE, "(1,3)", "(4,1)");
    mx_free_n((mx_array[]){e, v4}, 2);
    e = mx_matmul(i23, i32); /* ValueError: only inexact types */
    expect_error(e, MX_ERROR_VALUE, "int32", "inexact");
    mx_free(e);
    e = mx_matmul(i23, u32); /* int32 and uint8 promote to int32: still rejected */
    expect_error(e, MX_ERROR_VALUE, "uint8", "int32");
    mx_free(e);
    e = mx_matmul(i23, m42); /* the shape check comes first, as in MLX */
    expect_error(e, MX_ERROR_VALUE, "(2,3)", "(4,2)");
    mx_free(e);
    e = mx_matmul(b234, b545); /* batch dims 2 and 5 */
    expect_error(e, MX_ERROR_VALUE, "(2,3,4)", "(5,4,5)");
    mx_free(e);
    /* an error input gives an error result */
    e = mx_matmul(MX_NULL_ARRAY, m23);
    CHECK_EQ_INT(mx_array_status(e), MX_ERROR_HANDLE);
    mx_free(e);
    mx_free_n((mx_array[]){s, v, m23, m42, i23, i32, u32, b234, b545}, 9);
}

/* Larger batched products against a plain triple loop in double. This
 * exercises the batch-parallel path (many small matrices), the path that
 * pins OpenBLAS to one thread (medium matrices, batch >= threads), and a
 * big single product that OpenBLAS threads itself. */
enum { B_PLAIN, B_TRANSPOSED, B_SHARED };

static void check_against_loops(int64_t batch, int64_t m, int64_t k, int64_t n, int b_layout) {
    bool transpose_b = b_layout == B_TRANSPOSED, shared_b = b_layout == B_SHARED;
    int64_t na = batch * m * k, nb = (shared_b ? 1 : batch) * k * n;
    float *ad = malloc(sizeof(float) * (size_t)na), *bd = malloc(sizeof(float) * (size_t)nb);
    for (int64_t i = 0; i < na; i++)
        ad[i] = (float)((i * 7 % 13) - 6) / 8.0f;
    for (int64_t i = 0; i < nb; i++)
        bd[i] = (float)((i * 5 % 11) - 5) / 4.0f;
    mx_array a = mx_array_from_data(ad, SHAPE(batch, m, k), MX_FLOAT32);
    mx_array b;
    if (transpose_b) { /* bd holds (batch, n, k); b is its (batch, k, n) view */
        mx_array stored = mx_array_from_data(bd, SHAPE(batch, n, k), MX_FLOAT32);
        b = mx_swapaxes(stored, 1, 2);
        mx_free(stored);
    } else if (shared_b) { /* one (k, n) matrix broadcast over the batch */
        b = mx_array_from_data(bd, SHAPE(k, n), MX_FLOAT32);
    } else {
        b = mx_array_from_data(bd, SHAPE(batch, k, n), MX_FLOAT32);
    }
    mx_array c = mx_matmul(a, b);
    const float *cd = mx_data_f32(c);
    CHECK(cd != NULL);
    int bad = 0;
    for (int64_t t = 0; cd && t < batch; t++)
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < n; j++) {
                double acc = 0;
                for (int64_t p = 0; p < k; p++) {
                    int64_t tb = shared_b ? 0 : t;
                    double bv = transpose_b ? bd[(tb * n + j) * k + p] : bd[(tb * k + p) * n + j];
                    acc += (double)ad[(t * m + i) * k + p] * bv;
                }
                /* every product and partial sum is a multiple of 1/32 below
                 * 2^10: exact in float32, whatever the summation order */
                if (cd[(t * m + i) * n + j] != acc)
                    bad++;
            }
    CHECK_EQ_INT(bad, 0);
    free(ad);
    free(bd);
    mx_free_n((mx_array[]){a, b, c}, 3);
}

static void test_large_against_loops(void) {
    check_against_loops(64, 8, 8, 8, B_PLAIN); /* small matrices: batch-parallel */
    check_against_loops(64, 8, 8, 8, B_TRANSPOSED);
    check_against_loops(8, 70, 70, 70, B_TRANSPOSED); /* medium: one BLAS thread each */
    check_against_loops(1, 300, 200, 260, B_PLAIN);
    check_against_loops(3, 1, 500, 400, B_TRANSPOSED); /* GEMV, batched */
    check_against_loops(16, 5, 40, 24, B_SHARED);      /* the batch folded into rows */
    check_against_loops(16, 1, 40, 1, B_SHARED);       /* folded into one GEMV */
}

int main(void) {
    RUN(test_basic_dtypes);
    RUN(test_complex64);
    RUN(test_rounding_half_types);
    RUN(test_one_dimensional);
    RUN(test_batch_broadcast);
    RUN(test_transposed_and_strided_views);
    RUN(test_promotion);
    RUN(test_nan_inf);
    RUN(test_empty);
    RUN(test_errors);
    RUN(test_large_against_loops);
    return CHECK_SUMMARY();
}
