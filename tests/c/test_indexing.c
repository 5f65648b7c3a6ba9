/* tests/c/test_indexing.c - take, take_flat and take_along_axis: every
 * array dtype and index dtype, negative indices, 0-d and empty arrays,
 * strided arrays and indices, broadcasting, the row path, and the errors
 * (out-of-range indices fail evaluation with MX_ERROR_INDEX instead of
 * reading out of bounds as MLX does). Expected values come from MLX 0.32.4
 * (mx.take / mx.take_along_axis) unless a test says otherwise. */
#include <stdlib.h>

#include "check.h"

/* S(2, 3): a shape as one macro argument; S() is 0-d (the leading -1 keeps
 * the array non-empty). */
#define S(...) ((const int64_t[]){-1, __VA_ARGS__})
#define S_NDIM(s) ((int)(sizeof(s) / sizeof(int64_t)) - 1)

static void check_values(mx_array x, const int64_t *shape, int ndim, mx_dtype dtype, const double *expected) {
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
        CHECK_CLOSE(got[i], expected[i], 0, 0); /* gathers move values exactly */
    free(got);
}
/* Checks and frees x. */
#define EXPECT(x, dtype, shape, ...)                                                                                   \
    do {                                                                                                               \
        mx_array x_ = (x);                                                                                             \
        check_values(x_, (shape) + 1, S_NDIM(shape), (dtype), (const double[]){__VA_ARGS__});                          \
        mx_free(x_);                                                                                                   \
    } while (0)

static mx_array ints(const int64_t *data, const int64_t *shape, int ndim, mx_dtype dtype) {
    mx_array a = mx_array_from_data(data, shape, ndim, MX_INT64);
    mx_array out = mx_astype(a, dtype);
    mx_free(a);
    return out;
}
#define INTS(dtype, shape, ...) ints((const int64_t[]){__VA_ARGS__}, (shape) + 1, S_NDIM(shape), (dtype))

/* a = arange(12).reshape(3, 4), int32 */
static mx_array arange12(void) {
    mx_array r = mx_arange(0, 12, 1, MX_INT32);
    mx_array a = mx_reshape(r, SHAPE(3, 4));
    mx_free(r);
    return a;
}

static void test_take_axes_and_negative_indices(void) {
    mx_array a = arange12();
    mx_array i0 = INTS(MX_INT32, S(3), 2, -1, 0), i1 = INTS(MX_INT32, S(2), -1, -3);
    mx_array i2 = INTS(MX_INT32, S(2, 2), 1, 2, 0, -4), s = mx_scalar_i32(-2);
    EXPECT(mx_take(a, i0, 0), MX_INT32, S(3, 4), 8, 9, 10, 11, 8, 9, 10, 11, 0, 1, 2, 3);
    EXPECT(mx_take(a, i1, 1), MX_INT32, S(3, 2), 3, 1, 7, 5, 11, 9);
    /* the indices' shape replaces the axis */
    EXPECT(mx_take(a, i2, -1), MX_INT32, S(3, 2, 2), 1, 2, 0, 0, 5, 6, 4, 4, 9, 10, 8, 8);
    /* 0-d indices drop the axis */
    EXPECT(mx_take(a, s, 1), MX_INT32, S(3), 2, 6, 10);
    mx_free_n((mx_array[]){a, i0, i1, i2, s}, 5);
}

static void test_take_flat(void) {
    mx_array a = arange12(), i = INTS(MX_INT64, S(2, 2), 1, 2, 0, -12), s = mx_scalar_i64(-1);
    EXPECT(mx_take_flat(a, i), MX_INT32, S(2, 2), 1, 2, 0, 0);
    EXPECT(mx_take_flat(a, s), MX_INT32, S(), 11);
    /* a 0-d array is flattened to one element */
    mx_array z = mx_scalar_f32(5.5f), iz = INTS(MX_INT8, S(3), 0, 0, -1);
    EXPECT(mx_take_flat(z, iz), MX_FLOAT32, S(3), 5.5, 5.5, 5.5);
    EXPECT(mx_take_flat(z, s), MX_FLOAT32, S(), 5.5);
    /* a transposed array is flattened in its logical (row-major) order */
    mx_array at = mx_transpose(a, NULL, 0), it = INTS(MX_INT32, S(4), 0, 1, 5, -1);
    EXPECT(mx_take_flat(at, it), MX_INT32, S(4), 0, 4, 9, 11);
    mx_free_n((mx_array[]){a, i, s, z, iz, at, it}, 7);
}

/* Every array dtype (element sizes 1, 2, 4, 8): pure data movement, so the
 * result is the input's values at [[2, 0, 1]] per row (MLX agrees). */
static void test_take_every_array_dtype(void) {
    mx_dtype dtypes[] = {MX_BOOL,  MX_UINT8, MX_UINT16,  MX_UINT32,  MX_UINT64,  MX_INT8,     MX_INT16,
                         MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16, MX_COMPLEX64};
    mx_array idx = INTS(MX_INT32, S(3), 2, -3, 1);
    for (size_t d = 0; d < sizeof dtypes / sizeof *dtypes; d++) {
        mx_array a = INTS(dtypes[d], S(2, 3), 1, 2, 0, 3, 5, 7);
        mx_array r = mx_take(a, idx, 1);
        if (dtypes[d] == MX_BOOL)
            EXPECT(r, MX_BOOL, S(2, 3), 0, 1, 1, 1, 1, 1);
        else
            EXPECT(r, dtypes[d], S(2, 3), 0, 1, 2, 7, 3, 5);
        mx_free(a);
    }
    /* fractional values survive exactly */
    float fd[] = {1.5f, -2, 0, 3, 0.25f, 7};
    mx_array f = mx_array_from_data(fd, SHAPE(2, 3), MX_FLOAT32);
    mx_dtype floats[] = {MX_FLOAT16, MX_BFLOAT16, MX_FLOAT32, MX_FLOAT64};
    for (int d = 0; d < 4; d++) {
        mx_array x = mx_astype(f, floats[d]);
        EXPECT(mx_take(x, idx, 1), floats[d], S(2, 3), 0, 1.5, -2, 7, 3, 0.25);
        mx_free(x);
    }
    /* complex64: both parts move (MLX: [[0.5j, 1+2j, 3-1j]]) */
    float cd[] = {1, 2, 3, -1, 0, 0.5f};
    mx_array c = mx_array_from_data(cd, SHAPE(1, 3), MX_COMPLEX64), ct = mx_take(c, idx, 1);
    float got[6] = {0}, expected[6] = {0, 0.5f, 1, 2, 3, -1};
    CHECK_OK(mx_copy_to(ct, got, sizeof got, MX_COMPLEX64));
    for (int i = 0; i < 6; i++)
        CHECK(got[i] == expected[i]);
    mx_free_n((mx_array[]){idx, f, c, ct}, 4);
}

/* Every integer index dtype; negative values only for the signed ones. */
static void test_every_index_dtype(void) {
    mx_array a = arange12();
    mx_dtype unsigned_types[] = {MX_UINT8, MX_UINT16, MX_UINT32, MX_UINT64};
    mx_dtype signed_types[] = {MX_INT8, MX_INT16, MX_INT32, MX_INT64};
    for (int d = 0; d < 4; d++) {
        mx_array iu = INTS(unsigned_types[d], S(3), 2, 0, 1);
        EXPECT(mx_take(a, iu, 0), MX_INT32, S(3, 4), 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7);
        mx_array is = INTS(signed_types[d], S(3), -1, 0, -2);
        EXPECT(mx_take(a, is, 0), MX_INT32, S(3, 4), 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7);
        mx_array ju = INTS(unsigned_types[d], S(3, 1), 3, 0, 2);
        EXPECT(mx_take_along_axis(a, ju, 1), MX_INT32, S(3, 1), 3, 4, 10);
        mx_array js = INTS(signed_types[d], S(3, 1), -1, -4, 2);
        EXPECT(mx_take_along_axis(a, js, 1), MX_INT32, S(3, 1), 3, 4, 10);
        mx_free_n((mx_array[]){iu, is, ju, js}, 4);
    }
    mx_free(a);
}

static void test_take_strided_inputs(void) {
    mx_array a = arange12(), at = mx_transpose(a, NULL, 0); /* (4,3), strides (1,4) */
    mx_array i31 = INTS(MX_INT32, S(2), 3, 1), i20 = INTS(MX_INT32, S(3), 2, 0, -1);
    EXPECT(mx_take(at, i31, 0), MX_INT32, S(2, 3), 3, 7, 11, 1, 5, 9);
    EXPECT(mx_take(at, i20, 1), MX_INT32, S(4, 3), 8, 0, 8, 9, 1, 9, 10, 2, 10, 11, 3, 11);
    /* transposed indices: idx = [[0,1,2],[2,1,0]], take(a, idx.T, 0) */
    mx_array idx = INTS(MX_INT32, S(2, 3), 0, 1, 2, 2, 1, 0), idxt = mx_transpose(idx, NULL, 0);
    EXPECT(mx_take(a, idxt, 0), MX_INT32, S(3, 2, 4), 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11, 0,
           1, 2, 3);
    /* broadcast indices (stride 0) */
    mx_array three = INTS(MX_INT32, S(1), 3), tb = mx_broadcast_to(three, SHAPE(2, 2));
    EXPECT(mx_take(a, tb, 1), MX_INT32, S(3, 2, 2), 3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11);
    mx_free_n((mx_array[]){a, at, i31, i20, idx, idxt, three, tb}, 8);
}

/* Rows of >= 16 contiguous elements are copied whole: an embedding lookup,
 * a middle axis, and a row-strided (sliced) array. */
static void test_take_rows(void) {
    mx_array r = mx_arange(0, 320, 1, MX_FLOAT32), w = mx_reshape(r, SHAPE(10, 32)); /* w[i, j] = 32 i + j */
    mx_array ids = INTS(MX_INT32, S(2, 3), 3, -1, 0, 9, 3, 5), e = mx_take(w, ids, 0);
    CHECK_EQ_INT(mx_ndim(e), 3);
    const float *ed = mx_data_f32(e);
    CHECK(ed != NULL);
    const int expected_rows[6] = {3, 9, 0, 9, 3, 5};
    for (int i = 0; ed && i < 6; i++)
        for (int j = 0; j < 32; j++)
            CHECK_EQ_INT(ed[i * 32 + j], expected_rows[i] * 32 + j);

    /* (2,5,20) along the middle axis; MLX: r[1,0,19] = 199, r[1,1,3] = 103 */
    mx_array r3 = mx_arange(0, 200, 1, MX_INT64), w3 = mx_reshape(r3, SHAPE(2, 5, 20));
    mx_array i45 = INTS(MX_INT16, S(2), 4, -5), t3 = mx_take(w3, i45, 1);
    const int64_t *td = mx_data_i64(t3);
    CHECK(td && td[(1 * 2 + 0) * 20 + 19] == 199 && td[(1 * 2 + 1) * 20 + 3] == 103);
    CHECK(td && td[0] == 80 && td[20] == 0); /* [0,0,0] = w3[0,4,0], [0,1,0] = w3[0,0,0] */
    /* w3[:, ::2, :] (outer and axis strides scaled); MLX: r[1,0,7] = 187 */
    mx_array ws = mx_slice(w3, (int64_t[]){0, 0, 0}, (int64_t[]){2, 5, 20}, (int64_t[]){1, 2, 1}, 3);
    mx_array i20 = INTS(MX_UINT8, S(2), 2, 0), ts = mx_take(ws, i20, 1);
    const int64_t *sd = mx_data_i64(ts);
    CHECK(sd && sd[(1 * 2 + 0) * 20 + 7] == 187 && sd[(0 * 2 + 1) * 20 + 0] == 0);
    mx_free_n((mx_array[]){r, w, ids, e, r3, w3, i45, t3, ws, i20, ts}, 11);
}

static void test_take_along_axis(void) {
    mx_array a = arange12();
    mx_array i1 = INTS(MX_INT32, S(3, 1), 0, 1, -1), i2 = INTS(MX_INT32, S(1, 2), 0, -1);
    mx_array i3 = INTS(MX_INT32, S(2, 4), 0, 2, 1, 1, 2, 2, 2, 2), i4 = INTS(MX_INT32, S(2, 1), 0, 2);
    EXPECT(mx_take_along_axis(a, i1, 1), MX_INT32, S(3, 1), 0, 5, 11);
    /* indices broadcast over the rows */
    EXPECT(mx_take_along_axis(a, i2, 1), MX_INT32, S(3, 2), 0, 3, 4, 7, 8, 11);
    EXPECT(mx_take_along_axis(a, i3, 0), MX_INT32, S(2, 4), 0, 9, 6, 7, 8, 9, 10, 11);
    EXPECT(mx_take_along_axis(a, i4, 0), MX_INT32, S(2, 4), 0, 1, 2, 3, 8, 9, 10, 11);
    /* the array broadcasts too: a (3,1), indices (1,5) */
    float col[] = {1.5f, 2.5f, 3.5f};
    mx_array c = mx_array_from_data(col, SHAPE(3, 1), MX_FLOAT32), z = mx_zeros(SHAPE(1, 5), MX_INT32);
    EXPECT(mx_take_along_axis(c, z, 1), MX_FLOAT32, S(3, 5), 1.5, 1.5, 1.5, 1.5, 1.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3.5, 3.5,
           3.5, 3.5, 3.5);
    /* transposed array, negative axis */
    mx_array at = mx_transpose(a, NULL, 0), it = INTS(MX_INT32, S(4, 2), 2, -1, 0, 1, 1, 1, -3, 0);
    EXPECT(mx_take_along_axis(at, it, -1), MX_INT32, S(4, 2), 8, 8, 1, 5, 6, 6, 3, 3);
    /* 3-d along the middle axis */
    mx_array r = mx_arange(0, 24, 1, MX_INT32), a3 = mx_reshape(r, SHAPE(2, 3, 4));
    mx_array i3d = INTS(MX_INT64, S(2, 1, 4), 2, 0, 1, -1, 0, 0, -3, 1);
    EXPECT(mx_take_along_axis(a3, i3d, 1), MX_INT32, S(2, 1, 4), 8, 1, 6, 11, 12, 13, 14, 19);
    /* strided indices: the transpose of an (2,4) array used on a (4,2) array */
    mx_array s = INTS(MX_INT32, S(2, 4), 1, 0, 1, 0, 0, 1, 1, 0), st = mx_transpose(s, NULL, 0);
    mx_array a42 = mx_reshape(a, SHAPE(4, 3)), a42s = mx_slice(a42, (int64_t[]){0, 0}, (int64_t[]){4, 2}, NULL, 2);
    /* a42s = [[0,1],[3,4],[6,7],[9,10]], st = [[1,0],[0,1],[1,1],[0,0]] */
    EXPECT(mx_take_along_axis(a42s, st, 1), MX_INT32, S(4, 2), 1, 0, 3, 4, 7, 7, 9, 9);
    /* empty indices */
    mx_array e = mx_zeros(SHAPE(3, 0), MX_INT32);
    EXPECT(mx_take_along_axis(a, e, 1), MX_INT32, S(3, 0), 0);
    mx_free_n((mx_array[]){a, i1, i2, i3, i4, c, z, at, it, r, a3, i3d, s, st, a42, a42s, e}, 17);
}

static void test_empty(void) {
    mx_array a = arange12(), none = mx_zeros(SHAPE(0), MX_INT32), one = INTS(MX_INT32, S(1), 1);
    EXPECT(mx_take(a, none, 0), MX_INT32, S(0, 4), 0);
    mx_array z03 = mx_zeros(SHAPE(0, 3), MX_FLOAT32), z20 = mx_zeros(SHAPE(2, 0), MX_FLOAT32);
    EXPECT(mx_take(z03, none, 0), MX_FLOAT32, S(0, 3), 0);
    EXPECT(mx_take(z03, one, 1), MX_FLOAT32, S(0, 1), 0);
    /* (2,0) along axis 0: rows of nothing (MLX gives shape (1,0)) */
    EXPECT(mx_take(z20, one, 0), MX_FLOAT32, S(1, 0), 0);
    mx_free_n((mx_array[]){a, none, one, z03, z20}, 5);
}

static void expect_error(mx_array x, mx_status status, const char *op, const char *needle) {
    CHECK_EQ_INT(mx_array_status(x), status);
    const char *msg = mx_array_error(x);
    CHECK(msg && strstr(msg, op));
    CHECK(msg && strstr(msg, needle));
    mx_free(x);
}

static void test_eager_errors(void) {
    mx_array a = arange12(), i = INTS(MX_INT32, S(1), 1), s = mx_scalar_f32(3);
    mx_array f = mx_ones(SHAPE(2), MX_FLOAT32), b = mx_ones(SHAPE(2), MX_BOOL), h = mx_ones(SHAPE(2), MX_FLOAT16);
    /* a bad axis is an IndexError in MLX */
    expect_error(mx_take(a, i, 2), MX_ERROR_INDEX, "take", "axis 2");
    expect_error(mx_take(a, i, -3), MX_ERROR_INDEX, "take", "(3,4)");
    expect_error(mx_take(s, i, 0), MX_ERROR_INDEX, "take", "axis 0");
    /* non-integer indices are ValueErrors */
    expect_error(mx_take(a, f, 0), MX_ERROR_VALUE, "take", "float32");
    expect_error(mx_take(a, h, 0), MX_ERROR_VALUE, "take", "float16");
    expect_error(mx_take(a, b, 0), MX_ERROR_VALUE, "take", "bool");
    expect_error(mx_take_flat(a, f), MX_ERROR_VALUE, "take", "integral");
    /* a non-empty take from an empty axis (MLX: ValueError) */
    mx_array z03 = mx_zeros(SHAPE(0, 3), MX_FLOAT32);
    expect_error(mx_take(z03, i, 0), MX_ERROR_VALUE, "take", "empty");
    expect_error(mx_take_flat(z03, i), MX_ERROR_VALUE, "take", "empty");
    /* take_along_axis: bad axis (IndexError), rank mismatch, broadcasting */
    mx_array i2 = INTS(MX_INT32, S(1, 1), 1), i12 = INTS(MX_INT32, S(1, 2), 0, 1),
             i02 = mx_zeros(SHAPE(2, 0), MX_INT32);
    expect_error(mx_take_along_axis(a, i2, 2), MX_ERROR_INDEX, "take_along_axis", "axis 2");
    expect_error(mx_take_along_axis(a, i2, -3), MX_ERROR_INDEX, "take_along_axis", "axis -3");
    expect_error(mx_take_along_axis(a, i, 0), MX_ERROR_VALUE, "take_along_axis", "(1)");
    expect_error(mx_take_along_axis(a, i12, 0), MX_ERROR_VALUE, "take_along_axis", "(1,2)");
    expect_error(mx_take_along_axis(a, i02, 1), MX_ERROR_VALUE, "take_along_axis", "(2,0)");
    mx_array f2 = mx_ones(SHAPE(1, 1), MX_FLOAT32);
    expect_error(mx_take_along_axis(a, f2, 1), MX_ERROR_UNSUPPORTED, "take_along_axis", "float32"); /* MLX: RuntimeError */
    mx_free_n((mx_array[]){a, i, s, f, b, h, z03, i2, i12, i02, f2}, 11);
}

/* An evaluated out-of-range index: MX_ERROR_INDEX naming the op, the index
 * and the axis size (MLX reads out of bounds here). */
static void expect_range_error(mx_array x, const char *op, const char *index, const char *size) {
    CHECK_OK(mx_array_status(x)); /* indices are only known at evaluation */
    CHECK_EQ_INT(mx_eval1(x), MX_ERROR_INDEX);
    const char *msg = mx_last_error();
    CHECK(strstr(msg, op) != NULL);
    CHECK(strstr(msg, index) != NULL);
    CHECK(strstr(msg, size) != NULL);
    mx_free(x);
}

static void test_out_of_range(void) {
    mx_array a = arange12();
    mx_array hi = INTS(MX_INT32, S(3), 0, 3, 1), lo = INTS(MX_INT32, S(2), -1, -4), big = INTS(MX_INT8, S(1), -128);
    expect_range_error(mx_take(a, hi, 0), "take", "index 3 ", "size 3");
    expect_range_error(mx_take(a, lo, 0), "take", "index -4 ", "size 3");
    expect_range_error(mx_take(a, big, 1), "take", "index -128 ", "size 4");
    /* unsigned indices: 2^64 - 1 must not wrap around to -1 */
    uint64_t huge_data[] = {UINT64_MAX};
    mx_array huge = mx_array_from_data(huge_data, SHAPE(1), MX_UINT64);
    expect_range_error(mx_take(a, huge, 1), "take", "index 18446744073709551615", "size 4");
    /* the row path (rows of 32 floats) */
    mx_array r = mx_arange(0, 320, 1, MX_FLOAT32), w = mx_reshape(r, SHAPE(10, 32));
    mx_array ids = INTS(MX_INT64, S(3), 1, 10, 2), neg = INTS(MX_INT16, S(2), -10, -11);
    expect_range_error(mx_take(w, ids, 0), "take", "index 10 ", "size 10");
    expect_range_error(mx_take(w, neg, 0), "take", "index -11 ", "size 10");
    /* take_along_axis, including broadcast indices and an empty axis */
    mx_array t = INTS(MX_INT32, S(1, 2), 0, 4), z30 = mx_zeros(SHAPE(3, 0), MX_FLOAT32);
    mx_array zi = mx_zeros(SHAPE(3, 2), MX_INT32);
    expect_range_error(mx_take_along_axis(a, t, 1), "take_along_axis", "index 4 ", "size 4");
    expect_range_error(mx_take_along_axis(z30, zi, 1), "take_along_axis", "index 0 ", "size 0");
    mx_free_n((mx_array[]){a, hi, lo, big, huge, r, w, ids, neg, t, z30, zi}, 12);
}

static void test_take_flat_negative_in_range(void) {
    /* -4 is a valid flat index of a 12-element array */
    mx_array a = arange12(), lo = INTS(MX_INT32, S(2), -1, -4);
    EXPECT(mx_take_flat(a, lo), MX_INT32, S(2), 11, 8);
    mx_free_n((mx_array[]){a, lo}, 2);
}

/* Large gathers run on several threads: compare with the formula. */
static void test_large(void) {
    int64_t n = 1 << 18;
    mx_array r = mx_arange(0, (double)n, 1, MX_INT32), a = mx_reshape(r, SHAPE(512, 512));
    int32_t *idx = malloc(sizeof(int32_t) * 512);
    for (int i = 0; i < 512; i++)
        idx[i] = (i * 37) % 512 - 256; /* negative half wraps */
    mx_array ix = mx_array_from_data(idx, SHAPE(512), MX_INT32);
    mx_array cols = mx_take(a, ix, 1); /* element gather, 2^18 elements */
    mx_array rows = mx_take(a, ix, 0); /* row path */
    const int32_t *cd = mx_data_i32(cols), *rd = mx_data_i32(rows);
    int bad = 0;
    for (int i = 0; cd && rd && i < 512; i++)
        for (int j = 0; j < 512; j++) {
            int wj = idx[j] < 0 ? idx[j] + 512 : idx[j], wi = idx[i] < 0 ? idx[i] + 512 : idx[i];
            bad += cd[i * 512 + j] != i * 512 + wj;
            bad += rd[i * 512 + j] != wi * 512 + j;
        }
    CHECK(cd && rd);
    CHECK_EQ_INT(bad, 0);
    free(idx);
    mx_free_n((mx_array[]){r, a, ix, cols, rows}, 5);
}

int main(void) {
    RUN(test_take_axes_and_negative_indices);
    RUN(test_take_flat);
    RUN(test_take_every_array_dtype);
    RUN(test_every_index_dtype);
    RUN(test_take_strided_inputs);
    RUN(test_take_rows);
    RUN(test_take_along_axis);
    RUN(test_empty);
    RUN(test_eager_errors);
    RUN(test_out_of_range);
    RUN(test_take_flat_negative_in_range);
    RUN(test_large);
    return CHECK_SUMMARY();
}
