/* tests/c/test_scatter.c - gather, scatter and its reductions, slice_update
 * (static and dynamic), the dynamic slice, put_along_axis / scatter_add_axis
 * and masked_scatter (include/cmlx/indexing.h): values (MLX 0.32.4's, or a
 * naive loop for the large multithreaded cases), repeated indices, every
 * error path, and the VJP rules against central finite differences. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grad_check.h"

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
    for (int64_t i = 0; i < n; i++) {
        if (isnan(expected[i]))
            CHECK(isnan(got[i]));
        else
            CHECK_CLOSE(got[i], expected[i], 0, 0);
    }
    free(got);
}
/* Checks and frees x. */
#define EXPECT(x, dtype, shape, ...)                                                                                   \
    do {                                                                                                               \
        mx_array x_ = (x);                                                                                             \
        check_values(x_, (shape) + 1, S_NDIM(shape), (dtype), (const double[]){__VA_ARGS__});                          \
        mx_free(x_);                                                                                                   \
    } while (0)

/* x fails: at construction or at evaluation with `status`. Frees x. */
static void expect_error(mx_array x, mx_status status) {
    mx_status st = mx_array_status(x);
    if (st == MX_OK)
        st = mx_eval(&x, 1);
    CHECK_EQ_INT(st, status);
    mx_free(x);
}

static mx_array vals(const double *data, const int64_t *shape, int ndim, mx_dtype dtype) {
    mx_array a = mx_array_from_data(data, shape, ndim, MX_FLOAT64);
    mx_array out = mx_astype(a, dtype);
    mx_free(a);
    return out;
}
#define VALS(dtype, shape, ...) vals((const double[]){__VA_ARGS__}, (shape) + 1, S_NDIM(shape), (dtype))
#define ZEROS(dtype, shape) mx_zeros((shape) + 1, S_NDIM(shape), (dtype))

static mx_array arange_shaped(int64_t n, const int64_t *shape, int ndim, mx_dtype dtype) {
    mx_array r = mx_arange(0, (double)n, 1, dtype);
    mx_array a = mx_reshape(r, shape, ndim);
    mx_free(r);
    return a;
}
#define ARANGE(dtype, n, shape) arange_shaped((n), (shape) + 1, S_NDIM(shape), (dtype))

/* ---- gather ------------------------------------------------------------------------------------------ */

static void test_gather(void) {
    mx_array a = ARANGE(MX_INT32, 12, S(3, 4));
    mx_array i0 = VALS(MX_INT32, S(2), 2, -3), i1 = VALS(MX_UINT8, S(2), 1, 3);
    /* rows 2 and 0 (negative wraps once): slices of (1, 4) */
    EXPECT(mx_gather(a, &i0, 1, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_INT32, S(2, 1, 4), 8, 9, 10, 11, 0, 1, 2, 3);
    /* two index arrays: (2,1), (0,3), slices of (1, 1) */
    mx_array both[2] = {i0, i1};
    EXPECT(mx_gather(a, both, 2, (int[]){0, 1}, 2, (int64_t[]){1, 1}, 2), MX_INT32, S(2, 1, 1), 9, 3);
    /* broadcasting index arrays: (2,1) x (2,) -> (2, 2); axes in any order */
    mx_array col = VALS(MX_INT64, S(2, 1), 0, 2), row = VALS(MX_INT16, S(2), 3, 1);
    EXPECT(mx_gather(a, (mx_array[]){row, col}, 2, (int[]){1, -2}, 2, (int64_t[]){1, 1}, 2), MX_INT32, S(2, 2, 1, 1), 3,
           1, 11, 9);
    /* a slice of width 2 on the indexed axis */
    mx_array i12 = VALS(MX_INT32, S(2), 1, 2);
    EXPECT(mx_gather(a, &i12, 1, (int[]){1}, 1, (int64_t[]){2, 2}, 2), MX_INT32, S(2, 2, 2), 1, 2, 5, 6, 2, 3, 6, 7);
    mx_free(i12);
    /* no index arrays: the block at the origin */
    EXPECT(mx_gather(a, NULL, 0, NULL, 0, (int64_t[]){2, 3}, 2), MX_INT32, S(2, 3), 0, 1, 2, 4, 5, 6);
    /* a strided (transposed) array */
    mx_array t = mx_transpose(a, NULL, 0);
    EXPECT(mx_gather(t, &i1, 1, (int[]){0}, 1, (int64_t[]){1, 3}, 2), MX_INT32, S(2, 1, 3), 1, 5, 9, 3, 7, 11);
    /* 0-d index */
    mx_array z = mx_scalar_i32(-1);
    EXPECT(mx_gather(a, &z, 1, (int[]){1}, 1, (int64_t[]){3, 1}, 2), MX_INT32, S(3, 1), 3, 7, 11);

    /* errors */
    mx_array f = VALS(MX_FLOAT32, S(1), 0), b = VALS(MX_BOOL, S(1), 1), big = VALS(MX_INT32, S(1), 3);
    expect_error(mx_gather(a, &f, 1, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_gather(a, &b, 1, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_gather(a, &i0, 1, (int[]){0}, 1, (int64_t[]){1, 5}, 2), MX_ERROR_VALUE); /* slice too big */
    expect_error(mx_gather(a, &i0, 1, (int[]){0}, 1, (int64_t[]){1}, 1), MX_ERROR_VALUE);    /* sizes count */
    expect_error(mx_gather(a, &i0, 1, (int[]){2}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE); /* bad axis */
    expect_error(mx_gather(a, both, 2, (int[]){0, 0}, 2, (int64_t[]){1, 1}, 2), MX_ERROR_VALUE);
    expect_error(mx_gather(a, &big, 1, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_INDEX); /* 3 >= 3 */
    expect_error(mx_gather(a, &i1, 1, (int[]){1}, 1, (int64_t[]){1, 2}, 2), MX_ERROR_INDEX);  /* 3 + 2 > 4 */
    mx_array shape_clash = VALS(MX_INT32, S(3), 0, 1, 2);
    expect_error(mx_gather(a, (mx_array[]){i0, shape_clash}, 2, (int[]){0, 1}, 2, (int64_t[]){1, 1}, 2),
                 MX_ERROR_VALUE);
    mx_free_n((mx_array[]){a, i0, i1, col, row, t, z, f, b, big, shape_clash}, 11);
}

/* ---- scatter ------------------------------------------------------------------------------------------ */

static void test_scatter_examples(void) {
    /* the examples of MLX's scatter documentation (mlx/ops.h) */
    mx_array in = ZEROS(MX_FLOAT32, S(4, 4));
    mx_array idx = VALS(MX_INT32, S(1), 2);
    mx_array upd = ARANGE(MX_FLOAT32, 2, S(1, 1, 2)), one = mx_scalar_f32(1), upd1 = mx_add(upd, one);
    EXPECT(mx_scatter(in, &idx, 1, upd1, (int[]){0}, 1), MX_FLOAT32, S(4, 4), 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0,
           0, 0);
    mx_array idx2 = VALS(MX_INT32, S(2), 2, 0), upd2 = VALS(MX_FLOAT32, S(2, 1, 2), 1, 2, 3, 4);
    EXPECT(mx_scatter(in, &idx2, 1, upd2, (int[]){0}, 1), MX_FLOAT32, S(4, 4), 3, 4, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0,
           0, 0);
    mx_array idx3 = VALS(MX_INT32, S(2), 1, 2);
    EXPECT(mx_scatter(in, (mx_array[]){idx2, idx3}, 2, upd2, (int[]){0, 1}, 2), MX_FLOAT32, S(4, 4), 0, 0, 3, 4, 0, 0,
           0, 0, 0, 1, 2, 0, 0, 0, 0, 0);
    mx_free_n((mx_array[]){in, idx, upd, one, upd1, idx2, upd2, idx3}, 8);
}

static void test_scatter_reductions_and_duplicates(void) {
    mx_array idx = VALS(MX_INT64, S(4), 0, 0, 2, -3); /* -3 is 0 again */
    mx_array upd = VALS(MX_FLOAT32, S(4, 1), 2, -3, 4, 0.5);
    mx_array ones = mx_ones(S(3) + 1, 1, MX_FLOAT32), zeros = ZEROS(MX_FLOAT32, S(3));
    int ax = 0;
    EXPECT(mx_scatter(zeros, &idx, 1, upd, &ax, 1), MX_FLOAT32, S(3), 0.5, 0, 4); /* the last one wins */
    EXPECT(mx_scatter_add(zeros, &idx, 1, upd, &ax, 1), MX_FLOAT32, S(3), -0.5, 0, 4);
    EXPECT(mx_scatter_prod(ones, &idx, 1, upd, &ax, 1), MX_FLOAT32, S(3), -3, 1, 4);
    EXPECT(mx_scatter_max(zeros, &idx, 1, upd, &ax, 1), MX_FLOAT32, S(3), 2, 0, 4);
    EXPECT(mx_scatter_min(zeros, &idx, 1, upd, &ax, 1), MX_FLOAT32, S(3), -3, 0, 0);
    /* NaN: max/min keep dst when dst > u (dst < u), else u (MLX's CPU scatter) */
    mx_array nan_upd = VALS(MX_FLOAT32, S(2, 1), NAN, 1), i2 = VALS(MX_INT32, S(2), 0, 0);
    mx_array z2 = ZEROS(MX_FLOAT32, S(2));
    EXPECT(mx_scatter_max(z2, &i2, 1, nan_upd, &ax, 1), MX_FLOAT32, S(2), 1, 0);
    mx_array nan_upd2 = VALS(MX_FLOAT32, S(2, 1), 1, NAN);
    EXPECT(mx_scatter_min(z2, &i2, 1, nan_upd2, &ax, 1), MX_FLOAT32, S(2), NAN, 0);
    /* integer wrap-around, bool or/and, float16 rounding after each update */
    mx_array u8 = VALS(MX_UINT8, S(1), 250), u8upd = VALS(MX_UINT8, S(2, 1), 5, 5);
    EXPECT(mx_scatter_add(u8, &i2, 1, u8upd, &ax, 1), MX_UINT8, S(1), 4);
    mx_array bools = VALS(MX_BOOL, S(2), 0, 1), bupd = VALS(MX_BOOL, S(2, 1), 1, 0);
    EXPECT(mx_scatter_add(bools, &i2, 1, bupd, &ax, 1), MX_BOOL, S(2), 1, 1);
    EXPECT(mx_scatter_prod(bools, &i2, 1, bupd, &ax, 1), MX_BOOL, S(2), 0, 1);
    mx_array i3 = VALS(MX_INT32, S(3), 0, 0, 0), h = ZEROS(MX_FLOAT16, S(1));
    mx_array hupd = VALS(MX_FLOAT16, S(3, 1), 0.1, 0.1, 0.1);
    EXPECT(mx_scatter_add(h, &i3, 1, hupd, &ax, 1), MX_FLOAT16, S(1), 0.2998046875); /* MLX: 0.299805 */
    /* complex: products and lexicographic max */
    mx_array c = mx_astype(ones, MX_COMPLEX64), cu = mx_astype(upd, MX_COMPLEX64);
    mx_array cp = mx_scatter_prod(c, &idx, 1, cu, &ax, 1);
    EXPECT(mx_astype(cp, MX_FLOAT32), MX_FLOAT32, S(3), -3, 1, 4); /* the real parts */
    mx_free(cp);
    /* updates in another dtype are cast to the array's */
    mx_array iu = VALS(MX_INT32, S(4, 1), 1, 2, 3, 4), fz = ZEROS(MX_FLOAT64, S(3));
    EXPECT(mx_scatter_add(fz, &idx, 1, iu, &ax, 1), MX_FLOAT64, S(3), 7, 0, 3);
    mx_free_n((mx_array[]){idx, upd, ones, zeros, nan_upd, i2, z2, nan_upd2, u8, u8upd, bools, bupd, i3, h, hupd, c, cu,
                           iu, fz},
              19);
}

static void test_scatter_errors(void) {
    mx_array a = ZEROS(MX_FLOAT32, S(3, 4)), idx = VALS(MX_INT32, S(2), 0, 1);
    mx_array upd = ZEROS(MX_FLOAT32, S(2, 1, 4)), bad_rank = ZEROS(MX_FLOAT32, S(2, 4));
    mx_array too_wide = ZEROS(MX_FLOAT32, S(2, 1, 5)), wrong_lead = ZEROS(MX_FLOAT32, S(3, 1, 4));
    mx_array f = VALS(MX_FLOAT32, S(2), 0, 1), oob = VALS(MX_INT32, S(2), 0, 3), neg = VALS(MX_INT32, S(2), 0, -4);
    int ax = 0;
    expect_error(mx_scatter(a, &idx, 1, bad_rank, &ax, 1), MX_ERROR_VALUE);
    expect_error(mx_scatter(a, &idx, 1, too_wide, &ax, 1), MX_ERROR_VALUE);
    expect_error(mx_scatter(a, &idx, 1, wrong_lead, &ax, 1), MX_ERROR_VALUE);
    expect_error(mx_scatter_add(a, &f, 1, upd, &ax, 1), MX_ERROR_VALUE);
    expect_error(mx_scatter(a, &idx, 1, upd, (int[]){2}, 1), MX_ERROR_VALUE);
    expect_error(mx_scatter(a, &idx, 1, upd, NULL, 0), MX_ERROR_VALUE);
    expect_error(mx_scatter_max(a, &oob, 1, upd, &ax, 1), MX_ERROR_INDEX);
    expect_error(mx_scatter_min(a, &neg, 1, upd, &ax, 1), MX_ERROR_INDEX);
    mx_free_n((mx_array[]){a, idx, upd, bad_rank, too_wide, wrong_lead, f, oob, neg}, 9);
}

/* The multithreaded paths against a naive loop: rows (the slab is split
 * between threads) and elements (threads own output ranges), with many
 * repeated indices; exact for add in float32 only if the order is kept. */
static void test_scatter_large_against_loop(void) {
    const int64_t rows = 500, cols = 96, n = 4000;
    float *table = malloc(sizeof(float) * rows * cols), *upd = malloc(sizeof(float) * n * cols);
    int32_t *ids = malloc(sizeof(int32_t) * n);
    uint64_t s = 12345;
    for (int64_t i = 0; i < rows * cols; i++)
        table[i] = (float)grad_check_uniform(&s);
    for (int64_t i = 0; i < n * cols; i++)
        upd[i] = (float)grad_check_uniform(&s) * 1000.0f;
    for (int64_t i = 0; i < n; i++)
        ids[i] = (int32_t)((uint64_t)(grad_check_uniform(&s) + 1.0) * 37 % rows) - (i % 3 == 0 ? (int32_t)rows : 0);
    mx_array a = mx_array_from_data(table, (int64_t[]){rows, cols}, 2, MX_FLOAT32);
    mx_array idx = mx_array_from_data(ids, &n, 1, MX_INT32);
    mx_array u = mx_array_from_data(upd, (int64_t[]){n, 1, cols}, 3, MX_FLOAT32);
    int ax = 0;
    for (int op = 0; op < 3; op++) {
        mx_array got = op == 0   ? mx_scatter_add(a, &idx, 1, u, &ax, 1)
                       : op == 1 ? mx_scatter(a, &idx, 1, u, &ax, 1)
                                 : mx_scatter_max(a, &idx, 1, u, &ax, 1);
        float *want = malloc(sizeof(float) * rows * cols);
        memcpy(want, table, sizeof(float) * rows * cols);
        for (int64_t i = 0; i < n; i++) {
            int64_t r = ids[i] < 0 ? ids[i] + rows : ids[i];
            for (int64_t c = 0; c < cols; c++) {
                float *d = &want[r * cols + c], v = upd[i * cols + c];
                *d = op == 0 ? *d + v : op == 1 ? v : (*d > v ? *d : v);
            }
        }
        const float *g = mx_data_f32(got);
        CHECK(g != NULL);
        int64_t bad = 0;
        for (int64_t i = 0; g && i < rows * cols; i++)
            bad += g[i] != want[i];
        CHECK_EQ_INT(bad, 0);
        free(want);
        mx_free(got);
    }
    /* element scatter: a flat array, one element per index */
    int64_t flat = rows * cols;
    mx_array af = mx_reshape(a, &flat, 1);
    int64_t m = 200000;
    int32_t *fids = malloc(sizeof(int32_t) * m);
    float *fupd = malloc(sizeof(float) * m);
    for (int64_t i = 0; i < m; i++) {
        fids[i] = (int32_t)(((uint64_t)i * 2654435761u) % (uint64_t)flat);
        fupd[i] = (float)i * 0.25f;
    }
    mx_array fi = mx_array_from_data(fids, &m, 1, MX_INT32),
             fu = mx_array_from_data(fupd, (int64_t[]){m, 1}, 2, MX_FLOAT32);
    mx_array got = mx_scatter_add(af, &fi, 1, fu, &ax, 1);
    float *want = malloc(sizeof(float) * flat);
    memcpy(want, table, sizeof(float) * flat);
    for (int64_t i = 0; i < m; i++)
        want[fids[i]] += fupd[i];
    const float *g = mx_data_f32(got);
    int64_t bad = 0;
    for (int64_t i = 0; g && i < flat; i++)
        bad += g[i] != want[i];
    CHECK(g != NULL);
    CHECK_EQ_INT(bad, 0);
    free(want);
    mx_free_n((mx_array[]){a, idx, u, af, fi, fu, got}, 7);
    free(table);
    free(upd);
    free(ids);
    free(fids);
    free(fupd);
}

/* ---- slice_update ------------------------------------------------------------------------------------- */

static void test_slice_update_static(void) {
    mx_array a = ARANGE(MX_INT32, 12, S(3, 4));
    mx_array u = VALS(MX_INT32, S(2, 2), -1, -2, -3, -4), s5 = mx_scalar_i32(5);
    EXPECT(mx_slice_update_static(a, u, (int64_t[]){1, 1}, (int64_t[]){3, 3}, NULL, 2), MX_INT32, S(3, 4), 0, 1, 2, 3,
           4, -1, -2, 7, 8, -3, -4, 11);
    /* negative steps: rows 2, 0 and columns 3, 1 */
    EXPECT(mx_slice_update_static(a, u, (int64_t[]){-1, 3}, (int64_t[]){-4, 0}, (int64_t[]){-2, -2}, 2), MX_INT32,
           S(3, 4), 0, -4, 2, -3, 4, 5, 6, 7, 8, -2, 10, -1);
    /* a broadcast scalar; an empty box leaves a unchanged */
    EXPECT(mx_slice_update_static(a, s5, (int64_t[]){0, 3}, (int64_t[]){3, 4}, NULL, 2), MX_INT32, S(3, 4), 0, 1, 2, 5,
           4, 5, 6, 5, 8, 9, 10, 5);
    EXPECT(mx_slice_update_static(a, s5, (int64_t[]){2, 0}, (int64_t[]){2, 4}, NULL, 2), MX_INT32, S(3, 4), 0, 1, 2, 3,
           4, 5, 6, 7, 8, 9, 10, 11);
    expect_error(mx_slice_update_static(a, u, (int64_t[]){2, 0}, (int64_t[]){2, 4}, NULL, 2), MX_ERROR_VALUE);
    EXPECT(mx_slice_update_add(a, u, (int64_t[]){0, 0}, (int64_t[]){2, 2}, NULL, 2), MX_INT32, S(3, 4), -1, -1, 2, 3, 1,
           1, 6, 7, 8, 9, 10, 11);
    EXPECT(mx_slice_update_prod(a, u, (int64_t[]){0, 0}, (int64_t[]){2, 2}, NULL, 2), MX_INT32, S(3, 4), 0, -2, 2, 3,
           -12, -20, 6, 7, 8, 9, 10, 11);
    EXPECT(mx_slice_update_max(a, s5, (int64_t[]){1, 0}, (int64_t[]){2, 4}, NULL, 2), MX_INT32, S(3, 4), 0, 1, 2, 3, 5,
           5, 6, 7, 8, 9, 10, 11);
    EXPECT(mx_slice_update_min(a, s5, (int64_t[]){1, 0}, (int64_t[]){2, 4}, NULL, 2), MX_INT32, S(3, 4), 0, 1, 2, 3, 4,
           5, 5, 5, 8, 9, 10, 11);
    /* NaN propagates both ways in slice_update's max/min (MLX's maximum) */
    mx_array f = VALS(MX_FLOAT32, S(2), NAN, 0), fu = VALS(MX_FLOAT32, S(2), 1, NAN);
    EXPECT(mx_slice_update_max(f, fu, (int64_t[]){0}, (int64_t[]){2}, NULL, 1), MX_FLOAT32, S(2), NAN, NAN);
    /* float values into an int array are cast */
    mx_array half = mx_scalar_f32(2.7f);
    EXPECT(mx_slice_update_static(a, half, (int64_t[]){0, 0}, (int64_t[]){1, 1}, NULL, 2), MX_INT32, S(3, 4), 2, 1, 2,
           3, 4, 5, 6, 7, 8, 9, 10, 11);
    /* errors */
    mx_array wide = ZEROS(MX_INT32, S(2, 3));
    expect_error(mx_slice_update_static(a, wide, (int64_t[]){0, 0}, (int64_t[]){2, 2}, NULL, 2), MX_ERROR_VALUE);
    expect_error(mx_slice_update_static(a, u, (int64_t[]){0, 0}, (int64_t[]){2, 2}, (int64_t[]){1, 0}, 2),
                 MX_ERROR_VALUE);
    expect_error(mx_slice_update_static(a, u, (int64_t[]){0}, (int64_t[]){2}, NULL, 1), MX_ERROR_VALUE);
    mx_free_n((mx_array[]){a, u, s5, f, fu, half, wide}, 7);
}

static void test_dynamic_slice(void) {
    mx_array a = ARANGE(MX_INT32, 12, S(3, 4));
    mx_array s1 = VALS(MX_INT32, S(1), 1), s0d = mx_scalar_i32(1), s2 = VALS(MX_UINT8, S(2), 1, 2);
    EXPECT(mx_slice_dynamic(a, s1, (int[]){0}, 1, (int64_t[]){2, 4}, 2), MX_INT32, S(2, 4), 4, 5, 6, 7, 8, 9, 10, 11);
    EXPECT(mx_slice_dynamic(a, s0d, (int[]){-1}, 1, (int64_t[]){3, 2}, 2), MX_INT32, S(3, 2), 1, 2, 5, 6, 9, 10);
    EXPECT(mx_slice_dynamic(a, s2, (int[]){0, 1}, 2, (int64_t[]){2, 2}, 2), MX_INT32, S(2, 2), 6, 7, 10, 11);
    mx_array none = ZEROS(MX_INT32, S(0));
    EXPECT(mx_slice_dynamic(a, none, NULL, 0, (int64_t[]){1, 2}, 2), MX_INT32, S(1, 2), 0, 1);
    /* slice_update */
    mx_array z = ZEROS(MX_INT32, S(3, 4)), o = mx_ones((int64_t[]){1, 2}, 2, MX_INT32);
    mx_array row = VALS(MX_FLOAT32, S(2), 7.9, 8.1);
    EXPECT(mx_slice_update(z, o, s2, (int[]){0, 1}, 2), MX_INT32, S(3, 4), 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0);
    EXPECT(mx_slice_update(z, row, s1, (int[]){0}, 1), MX_INT32, S(3, 4), 0, 0, 0, 0, 7, 8, 0, 0, 0, 0, 0, 0);
    /* errors: out of range at evaluation, bad dtypes, axes, sizes */
    mx_array far = VALS(MX_INT32, S(1), 2), negs = VALS(MX_INT32, S(1), -1), fs = VALS(MX_FLOAT32, S(1), 1);
    mx_array bs = VALS(MX_BOOL, S(1), 1), s2d = VALS(MX_INT32, S(1, 1), 1);
    expect_error(mx_slice_dynamic(a, far, (int[]){0}, 1, (int64_t[]){2, 4}, 2), MX_ERROR_INDEX);
    expect_error(mx_slice_dynamic(a, negs, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_INDEX);
    expect_error(mx_slice_dynamic(a, fs, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_slice_dynamic(a, bs, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_slice_dynamic(a, s2d, (int[]){0}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_slice_dynamic(a, s1, (int[]){2}, 1, (int64_t[]){1, 4}, 2), MX_ERROR_INDEX);
    expect_error(mx_slice_dynamic(a, s2, (int[]){0, 0}, 2, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_slice_dynamic(a, s1, (int[]){0, 1}, 2, (int64_t[]){1, 4}, 2), MX_ERROR_VALUE);
    expect_error(mx_slice_dynamic(a, s1, (int[]){0}, 1, (int64_t[]){1}, 1), MX_ERROR_VALUE);
    expect_error(mx_slice_dynamic(a, s1, (int[]){0}, 1, (int64_t[]){4, 4}, 2), MX_ERROR_VALUE);
    mx_array tall = ZEROS(MX_INT32, S(4, 1)), deep = ZEROS(MX_INT32, S(1, 1, 1));
    expect_error(mx_slice_update(z, tall, s1, (int[]){0}, 1), MX_ERROR_VALUE);
    expect_error(mx_slice_update(z, deep, s1, (int[]){0}, 1), MX_ERROR_VALUE);
    EXPECT(mx_slice_update(z, o, far, (int[]){0}, 1), MX_INT32, S(3, 4), 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0);
    mx_array corner = VALS(MX_INT32, S(2), 2, 3); /* (1, 2) from column 3 leaves the array */
    expect_error(mx_slice_update(z, o, corner, (int[]){0, 1}, 2), MX_ERROR_INDEX);
    mx_free_n((mx_array[]){a, s1, s0d, s2, none, z, o, row, far, negs, fs, bs, s2d, tall, deep, corner}, 16);
}

/* ---- put_along_axis, scatter_add_axis ------------------------------------------------------------------ */

static void test_put_along_axis(void) {
    mx_array z = ZEROS(MX_INT32, S(3, 4));
    mx_array idx = VALS(MX_INT32, S(3, 1), 0, 1, -2), v = VALS(MX_INT32, S(3, 1), 7, 8, 9);
    EXPECT(mx_put_along_axis(z, idx, v, 1), MX_INT32, S(3, 4), 7, 0, 0, 0, 0, 8, 0, 0, 0, 0, 9, 0);
    /* axis -2; indices broadcast over columns from (1, 4) */
    mx_array i2 = VALS(MX_INT64, S(1, 4), 2, 0, 1, 2), v2 = VALS(MX_INT32, S(1, 4), 1, 2, 3, 4);
    EXPECT(mx_put_along_axis(z, i2, v2, -2), MX_INT32, S(3, 4), 0, 2, 0, 0, 0, 0, 3, 0, 1, 0, 0, 4);
    /* duplicates: set keeps the last, add accumulates */
    mx_array z5 = ZEROS(MX_FLOAT32, S(5)), dup = VALS(MX_UINT8, S(3), 1, 1, 1), dv = VALS(MX_FLOAT32, S(3), 1, 2, 3);
    EXPECT(mx_put_along_axis(z5, dup, dv, 0), MX_FLOAT32, S(5), 0, 3, 0, 0, 0);
    EXPECT(mx_scatter_add_axis(z5, dup, dv, 0), MX_FLOAT32, S(5), 0, 6, 0, 0, 0);
    /* a broadcast along the indices: a (1, 4) with indices (3, 1) gives (3, 4) */
    mx_array row = ZEROS(MX_INT32, S(1, 4)), i31 = VALS(MX_INT32, S(3, 1), 0, 0, 0),
             v31 = VALS(MX_INT32, S(3, 1), 1, 2, 3);
    EXPECT(mx_put_along_axis(row, i31, v31, 1), MX_INT32, S(3, 4), 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0);
    /* values with a leading singleton dim are squeezed */
    mx_array vl = VALS(MX_INT32, S(1, 3, 1), 4, 5, 6);
    EXPECT(mx_put_along_axis(z, idx, vl, 1), MX_INT32, S(3, 4), 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6, 0);
    /* errors */
    mx_array fi = VALS(MX_FLOAT32, S(3, 1), 0, 0, 0), i1d = VALS(MX_INT32, S(1), 0),
             oob = VALS(MX_INT32, S(3, 1), 0, 4, 0);
    mx_array v3 = ZEROS(MX_INT32, S(2, 3, 1)), i41 = ZEROS(MX_INT32, S(4, 1));
    expect_error(mx_put_along_axis(z, idx, v, 2), MX_ERROR_INDEX);
    expect_error(mx_put_along_axis(z, i1d, v, 1), MX_ERROR_VALUE);
    expect_error(mx_put_along_axis(z, fi, v, 1), MX_ERROR_UNSUPPORTED); /* MLX: RuntimeError */
    expect_error(mx_put_along_axis(z, idx, v3, 1), MX_ERROR_VALUE);
    expect_error(mx_put_along_axis(z, i41, v, 1), MX_ERROR_VALUE);
    expect_error(mx_scatter_add_axis(z, oob, v, 1), MX_ERROR_INDEX);
    mx_free_n((mx_array[]){z, idx, v, i2, v2, z5, dup, dv, row, i31, v31, vl, fi, i1d, oob, v3, i41}, 17);
}

/* ---- masked_scatter ------------------------------------------------------------------------------------ */

static void test_masked_scatter(void) {
    mx_array z = ZEROS(MX_FLOAT32, S(2, 3));
    mx_array m = VALS(MX_BOOL, S(2, 3), 1, 0, 1, 0, 1, 1), src = VALS(MX_INT32, S(4), 1, 2, 3, 4);
    EXPECT(mx_masked_scatter(z, m, src), MX_FLOAT32, S(2, 3), 1, 0, 2, 0, 3, 4);
    /* a prefix mask selects whole rows; a scalar src is broadcast */
    mx_array rows = VALS(MX_BOOL, S(2), 0, 1), s = mx_scalar_f32(5), r3 = VALS(MX_FLOAT32, S(3), 7, 8, 9);
    EXPECT(mx_masked_scatter(z, rows, s), MX_FLOAT32, S(2, 3), 0, 0, 0, 5, 5, 5);
    EXPECT(mx_masked_scatter(z, rows, r3), MX_FLOAT32, S(2, 3), 0, 0, 0, 7, 8, 9);
    mx_array extra = VALS(MX_FLOAT32, S(2, 3), 1, 2, 3, 4, 5, 6); /* one slab per selected row, in order */
    EXPECT(mx_masked_scatter(z, rows, extra), MX_FLOAT32, S(2, 3), 0, 0, 0, 1, 2, 3);
    mx_array t = mx_scalar_bool(true);
    EXPECT(mx_masked_scatter(z, t, r3), MX_FLOAT32, S(2, 3), 7, 8, 9, 7, 8, 9);
    /* errors */
    mx_array short_src = VALS(MX_FLOAT32, S(3), 1, 2, 3), suffix = VALS(MX_BOOL, S(3), 1, 0, 1);
    mx_array deep = ZEROS(MX_FLOAT32, S(2, 2)), im = VALS(MX_INT32, S(2, 3), 1, 0, 1, 0, 1, 1);
    expect_error(mx_masked_scatter(z, m, short_src), MX_ERROR_UNSUPPORTED); /* MLX: RuntimeError at eval */
    expect_error(mx_masked_scatter(z, suffix, s), MX_ERROR_VALUE);
    expect_error(mx_masked_scatter(z, m, deep), MX_ERROR_VALUE);
    expect_error(mx_masked_scatter(z, im, s), MX_ERROR_VALUE);
    mx_free_n((mx_array[]){z, m, src, rows, s, r3, extra, t, short_src, suffix, deep, im}, 12);
}

/* ---- gradients against finite differences ---------------------------------------------------------------- */

typedef enum {
    G_GATHER,
    G_SCATTER,
    G_SCATTER_ADD,
    G_SCATTER_MAX,
    G_SCATTER_MIN,
    G_SLICE_UPDATE,
    G_SLICE_UPDATE_ADD,
    G_SLICE_UPDATE_PROD,
    G_SLICE_UPDATE_MAX,
    G_DSLICE,
    G_DSLICE_UPDATE,
    G_PUT,
    G_SCATTER_ADD_AXIS,
    G_TAKE,
    G_TAKE_ALONG,
    G_MASKED
} grad_case;

typedef struct {
    grad_case kind;
    mx_array idx, idx2, mask;
} grad_payload;

/* inputs: a (and u, the updates/values/src, for the scattering ops) */
static mx_status grad_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    const grad_payload *p = payload;
    mx_array r;
    int ax0 = 0, ax1 = 1;
    switch (p->kind) {
    case G_GATHER:
        r = mx_gather(in[0], (mx_array[]){p->idx, p->idx2}, 2, (int[]){0, 1}, 2, (int64_t[]){1, 2}, 2);
        break;
    case G_SCATTER: r = mx_scatter(in[0], &p->idx, 1, in[1], &ax0, 1); break;
    case G_SCATTER_ADD: r = mx_scatter_add(in[0], &p->idx, 1, in[1], &ax0, 1); break;
    case G_SCATTER_MAX: r = mx_scatter_max(in[0], &p->idx, 1, in[1], &ax0, 1); break;
    case G_SCATTER_MIN: r = mx_scatter_min(in[0], &p->idx, 1, in[1], &ax0, 1); break;
    case G_SLICE_UPDATE:
    case G_SLICE_UPDATE_ADD:
    case G_SLICE_UPDATE_PROD:
    case G_SLICE_UPDATE_MAX: {
        mx_array (*f)(mx_array, mx_array, const int64_t *, const int64_t *, const int64_t *, int) =
            p->kind == G_SLICE_UPDATE        ? mx_slice_update_static
            : p->kind == G_SLICE_UPDATE_ADD  ? mx_slice_update_add
            : p->kind == G_SLICE_UPDATE_PROD ? mx_slice_update_prod
                                             : mx_slice_update_max;
        r = f(in[0], in[1], (int64_t[]){2, 1}, (int64_t[]){-4, 3}, (int64_t[]){-2, 1}, 2);
        break;
    }
    case G_DSLICE: r = mx_slice_dynamic(in[0], p->idx, &ax1, 1, (int64_t[]){3, 2}, 2); break;
    case G_DSLICE_UPDATE: r = mx_slice_update(in[0], in[1], p->idx, &ax1, 1); break;
    case G_PUT: r = mx_put_along_axis(in[0], p->idx, in[1], 1); break;
    case G_SCATTER_ADD_AXIS: r = mx_scatter_add_axis(in[0], p->idx, in[1], 1); break;
    case G_TAKE: r = mx_take(in[0], p->idx, 1); break;
    case G_TAKE_ALONG: r = mx_take_along_axis(in[0], p->idx, 1); break;
    default: r = mx_masked_scatter(in[0], p->mask, in[1]); break;
    }
    mx_status st = mx_array_status(r);
    if (st != MX_OK) {
        mx_free(r);
        return st;
    }
    return mx_array_list_push(out, r);
}

static void test_gradients(void) {
    /* distinct values (no ties for max/min), away from zero */
    double av[12] = {1.3, -0.7, 2.1, 0.45, -1.9, 0.8, 1.1, -0.35, 0.6, -1.2, 1.7, 0.25};
    mx_array a = mx_array_from_data(av, (int64_t[]){3, 4}, 2, MX_FLOAT64);
    double uv[8] = {0.9, -1.4, 2.3, 0.15, -0.55, 1.6, -2.2, 0.7};
    mx_array u_rows = mx_array_from_data(uv, (int64_t[]){2, 1, 4}, 3, MX_FLOAT64); /* scatter on axis 0 */
    mx_array u_box = mx_array_from_data(uv, (int64_t[]){2, 2}, 2, MX_FLOAT64);     /* slice_update box */
    mx_array u_col = mx_array_from_data(uv, (int64_t[]){3, 2}, 2, MX_FLOAT64);     /* put / dslice_update */
    mx_array u_src = mx_array_from_data(uv, (int64_t[]){5}, 1, MX_FLOAT64);        /* masked_scatter */
    mx_array rows = VALS(MX_INT32, S(2), 2, -3), rows_dup = VALS(MX_INT32, S(2), 1, 1);
    mx_array cols = VALS(MX_INT32, S(2), 1, 2), start = VALS(MX_INT32, S(1), 1);
    mx_array along = VALS(MX_INT32, S(3, 2), 0, 3, 1, 1, 2, 0), distinct = VALS(MX_INT32, S(3, 2), 0, 3, 1, 2, 2, 0);
    mx_array mask = VALS(MX_BOOL, S(3, 4), 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0);
    struct {
        grad_case kind;
        mx_array idx, idx2, u;
    } cases[] = {
        {G_GATHER, rows, cols, {0}},
        {G_SCATTER, rows, {0}, u_rows},
        {G_SCATTER_ADD, rows_dup, {0}, u_rows},
        {G_SCATTER_MAX, rows, {0}, u_rows},
        {G_SCATTER_MIN, rows, {0}, u_rows},
        {G_SLICE_UPDATE, {0}, {0}, u_box},
        {G_SLICE_UPDATE_ADD, {0}, {0}, u_box},
        {G_SLICE_UPDATE_PROD, {0}, {0}, u_box},
        {G_SLICE_UPDATE_MAX, {0}, {0}, u_box},
        {G_DSLICE, start, {0}, {0}},
        {G_DSLICE_UPDATE, start, {0}, u_col},
        {G_PUT, distinct, {0}, u_col},
        {G_SCATTER_ADD_AXIS, along, {0}, u_col},
        {G_TAKE, along, {0}, {0}},
        {G_TAKE_ALONG, along, {0}, {0}},
        {G_MASKED, {0}, {0}, u_src},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        grad_payload p = {cases[i].kind, cases[i].idx, cases[i].idx2, mask};
        mx_closure f = mx_closure_new(grad_fn, &p, NULL);
        mx_array in[2] = {a, cases[i].u};
        int n = cases[i].u.id ? 2 : 1;
        bool ok = grad_check(f, in, n, 1e-6);
        if (!ok)
            fprintf(stderr, "  gradient case %zu failed\n", i);
        CHECK(ok);
        mx_closure_free(f);
    }
    /* scatter with repeated indices: MLX's rule gives every duplicate the
     * cotangent (not only the last, which won); cmlx follows it */
    {
        grad_payload p = {G_SCATTER, rows_dup, {0}, mask};
        mx_closure f = mx_closure_new(grad_fn, &p, NULL);
        mx_array ones = mx_ones((int64_t[]){3, 4}, 2, MX_FLOAT64);
        mx_array_list outs = {0}, grads = {0};
        CHECK_OK(mx_vjp(f, (mx_array[]){a, u_rows}, 2, &ones, 1, &outs, &grads));
        if (grads.count == 2) {
            const double *gu = mx_data_f64(grads.items[1]);
            CHECK(gu && gu[0] == 1 && gu[4] == 1); /* both get the cotangent of row 1 */
        }
        mx_array_list_clear(&outs);
        mx_array_list_clear(&grads);
        mx_free(ones);
        mx_closure_free(f);
    }
    mx_free_n((mx_array[]){a, u_rows, u_box, u_col, u_src, rows, rows_dup, cols, start, along, distinct, mask}, 12);
}

static mx_status prod_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    int ax = 0;
    return mx_array_list_push(out, mx_scatter_prod(in[0], (const mx_array *)payload, 1, in[1], &ax, 1));
}

/* scatter_prod has no VJP in MLX ("VJP not implemented for scatter_prod"):
 * an error, never a wrong gradient */
static void test_scatter_prod_vjp_is_an_error(void) {
    mx_array a = mx_ones((int64_t[]){3}, 1, MX_FLOAT64), u = mx_ones((int64_t[]){2, 1}, 2, MX_FLOAT64);
    mx_array idx = VALS(MX_INT32, S(2), 0, 2), cot = mx_ones((int64_t[]){3}, 1, MX_FLOAT64);
    mx_closure f = mx_closure_new(prod_fn, &idx, NULL);
    mx_array_list outs = {0}, grads = {0};
    CHECK_EQ_INT(mx_vjp(f, (mx_array[]){a, u}, 2, &cot, 1, &outs, &grads), MX_ERROR_UNSUPPORTED);
    CHECK_EQ_INT(grads.count, 0);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&grads);
    mx_closure_free(f);
    mx_free_n((mx_array[]){a, u, idx, cot}, 4);
}

/* ---- vmap: every rule against the op run example by example ----------------------------------------------------- */

typedef enum {
    V_GATHER,
    V_SCATTER,
    V_SCATTER_ADD,
    V_SLICE_UPDATE,
    V_DSLICE,
    V_DSLICE_UPDATE,
    V_PUT,
    V_MASKED
} vmap_case;

/* inputs: [a, x, y] per case (a (3, 4) per example). */
static mx_status vmap_fn(void *payload, const mx_array *in, int n, mx_array_list *out) {
    (void)n;
    int ax0 = 0, ax1 = 1;
    mx_array r;
    switch (*(const vmap_case *)payload) {
    case V_GATHER: r = mx_gather(in[0], &in[1], 1, &ax1, 1, (int64_t[]){3, 1}, 2); break;
    case V_SCATTER: r = mx_scatter(in[0], &in[1], 1, in[2], &ax0, 1); break;
    case V_SCATTER_ADD: r = mx_scatter_add(in[0], &in[1], 1, in[2], &ax0, 1); break;
    case V_SLICE_UPDATE:
        r = mx_slice_update_add(in[0], in[1], (int64_t[]){2, 1}, (int64_t[]){-4, 3}, (int64_t[]){-2, 1}, 2);
        break;
    case V_DSLICE: r = mx_slice_dynamic(in[0], in[1], &ax1, 1, (int64_t[]){2, 2}, 2); break;
    case V_DSLICE_UPDATE: r = mx_slice_update(in[0], in[2], in[1], &ax1, 1); break;
    case V_PUT: r = mx_put_along_axis(in[0], in[1], in[2], 1); break;
    default: r = mx_masked_scatter(in[0], in[1], in[2]); break;
    }
    mx_status st = mx_array_status(r);
    if (st != MX_OK) {
        mx_free(r);
        return st;
    }
    return mx_array_list_push(out, r);
}

/* Example b of x (batch on axis 0), or x itself when not batched. */
static mx_array example(mx_array x, int axis, int64_t b) {
    if (axis < 0)
        return mx_retain(x);
    mx_array i = mx_scalar_i32((int32_t)b), out = mx_take(x, i, axis);
    mx_free(i);
    return out;
}

static void check_vmap_case(vmap_case kind, const mx_array *in, const int *in_axes, int n) {
    mx_closure f = mx_closure_new(vmap_fn, &kind, NULL);
    mx_closure vf = mx_vmap(f, in_axes, n, NULL, 0);
    mx_array_list got = {0};
    CHECK_OK(mx_closure_apply(vf, in, n, &got));
    int64_t batch = 0;
    for (int i = 0; i < n; i++)
        if (in_axes[i] >= 0)
            batch = mx_shape(in[i])[in_axes[i]];
    for (int64_t b = 0; got.count == 1 && b < batch; b++) {
        mx_array ex[3];
        for (int i = 0; i < n; i++)
            ex[i] = example(in[i], in_axes[i], b);
        mx_array_list want = {0};
        CHECK_OK(mx_closure_apply(f, ex, n, &want));
        mx_array mine = example(got.items[0], 0, b);
        bool eq = want.count == 1 && mx_size(mine) == mx_size(want.items[0]) && mx_ndim(mine) == mx_ndim(want.items[0]);
        int64_t size = mx_size(mine);
        double *x = malloc(sizeof(double) * (size_t)(size + 1)), *y = malloc(sizeof(double) * (size_t)(size + 1));
        eq = eq && x && y && mx_copy_to(mine, x, sizeof(double) * (size_t)size, MX_FLOAT64) == MX_OK &&
             mx_copy_to(want.items[0], y, sizeof(double) * (size_t)size, MX_FLOAT64) == MX_OK &&
             memcmp(x, y, sizeof(double) * (size_t)size) == 0;
        if (!eq)
            fprintf(stderr, "  vmap case %d, example %lld differs\n", (int)kind, (long long)b);
        CHECK(eq);
        free(x);
        free(y);
        mx_free_n(ex, n);
        mx_free(mine);
        mx_array_list_clear(&want);
    }
    mx_array_list_clear(&got);
    mx_closure_free(vf);
    mx_closure_free(f);
}

static void test_vmap(void) {
    mx_array a = ARANGE(MX_FLOAT32, 24, S(2, 3, 4));      /* two examples of (3, 4) */
    mx_array idx2 = VALS(MX_INT32, S(2, 2), 0, 3, -1, 1); /* per-example column indices */
    mx_array idx = VALS(MX_INT32, S(2), 2, 2);            /* shared rows, repeated */
    mx_array upd = ARANGE(MX_FLOAT32, 16, S(2, 2, 1, 4)); /* per-example updates */
    mx_array box = VALS(MX_FLOAT32, S(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
    mx_array starts = VALS(MX_INT32, S(2, 1), 0, 2), start = VALS(MX_INT32, S(1), 1);
    mx_array cols = ZEROS(MX_FLOAT32, S(2, 3, 2));
    mx_array along = VALS(MX_INT32, S(2, 3, 1), 0, 1, 2, 3, -1, 0), put = ARANGE(MX_FLOAT32, 6, S(2, 3, 1));
    mx_array mask = VALS(MX_BOOL, S(3), 1, 0, 1), src = ARANGE(MX_FLOAT32, 16, S(2, 2, 4));
    mx_array rows2 = VALS(MX_INT32, S(2, 2), 0, 2, -1, 1), a0 = ARANGE(MX_FLOAT32, 12, S(3, 4));
    mx_array box0 = VALS(MX_FLOAT32, S(2, 2), 1, 2, 3, 4);
    check_vmap_case(V_GATHER, (mx_array[]){a, idx2}, (int[]){0, 0}, 2);
    check_vmap_case(V_GATHER, (mx_array[]){a, idx}, (int[]){0, -1}, 2);
    check_vmap_case(V_SCATTER, (mx_array[]){a, rows2, upd}, (int[]){0, 0, 0}, 3);
    check_vmap_case(V_SCATTER_ADD, (mx_array[]){a, idx, upd}, (int[]){0, -1, 0}, 3);
    check_vmap_case(V_SCATTER_ADD, (mx_array[]){a0, idx, upd}, (int[]){-1, -1, 0}, 3);
    check_vmap_case(V_SLICE_UPDATE, (mx_array[]){a, box}, (int[]){0, 0}, 2);
    check_vmap_case(V_SLICE_UPDATE, (mx_array[]){a, box0}, (int[]){0, -1}, 2);
    check_vmap_case(V_SLICE_UPDATE, (mx_array[]){a0, box}, (int[]){-1, 0}, 2);
    check_vmap_case(V_DSLICE, (mx_array[]){a, start}, (int[]){0, -1}, 2);
    check_vmap_case(V_DSLICE, (mx_array[]){a, starts}, (int[]){0, 0}, 2);
    check_vmap_case(V_DSLICE_UPDATE, (mx_array[]){a, start, cols}, (int[]){0, -1, 0}, 3);
    check_vmap_case(V_DSLICE_UPDATE, (mx_array[]){a, starts, cols}, (int[]){0, 0, 0}, 3);
    check_vmap_case(V_PUT, (mx_array[]){a, along, put}, (int[]){0, 0, 0}, 3);
    check_vmap_case(V_MASKED, (mx_array[]){a, mask, src}, (int[]){0, -1, 0}, 3);
    mx_free_n((mx_array[]){rows2, a0, box0}, 3);
    mx_free_n((mx_array[]){a, idx2, idx, upd, box, starts, start, cols, along, put, mask, src}, 12);
}

int main(void) {
    RUN(test_gather);
    RUN(test_scatter_examples);
    RUN(test_scatter_reductions_and_duplicates);
    RUN(test_scatter_errors);
    RUN(test_scatter_large_against_loop);
    RUN(test_slice_update_static);
    RUN(test_dynamic_slice);
    RUN(test_put_along_axis);
    RUN(test_masked_scatter);
    RUN(test_gradients);
    RUN(test_scatter_prod_vjp_is_an_error);
    RUN(test_vmap);
    return CHECK_SUMMARY();
}
