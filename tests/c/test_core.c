/* tests/c/test_core.c - handles, lifetimes, scopes, errors, creation and
 * data access, views, the scheduler. */
#include <stdlib.h>

#include "check.h"
#include "core/handle.h"
#include "core/node.h"

static void test_version(void) {
    CHECK(strcmp(mx_version(), CMLX_VERSION_STRING) == 0);
    CHECK_EQ_INT(CMLX_VERSION_NUMBER, CMLX_VERSION_MAJOR * 10000 + CMLX_VERSION_MINOR * 100 + CMLX_VERSION_PATCH);
}

static void test_from_data_and_queries(void) {
    float data[6] = {1, 2, 3, 4, 5, 6};
    mx_array a = mx_array_from_data(data, SHAPE(2, 3), MX_FLOAT32);
    CHECK(mx_is_valid(a));
    CHECK_EQ_INT(mx_ndim(a), 2);
    CHECK_EQ_INT(mx_shape(a)[0], 2);
    CHECK_EQ_INT(mx_dim(a, -1), 3);
    CHECK_EQ_INT(mx_size(a), 6);
    CHECK_EQ_INT(mx_array_dtype(a), MX_FLOAT32);
    CHECK_EQ_INT(mx_nbytes(a), 24);
    data[0] = 100; /* the array copied the data */
    const float *p = mx_data_f32(a);
    CHECK(p && p[0] == 1 && p[5] == 6);
    CHECK(mx_data_i32(a) == NULL); /* wrong dtype is an error, not a crash */
    CHECK_EQ_INT(mx_last_status(), MX_ERROR_TYPE);
    mx_free(a);
}

static int g_deleted;
static void count_delete(void *data, void *ctx) {
    (void)data;
    (void)ctx;
    g_deleted++;
}

static void test_wrap_zero_copy(void) {
    double data[3] = {1, 2, 3};
    g_deleted = 0;
    mx_array a = mx_array_wrap(data, SHAPE(3), MX_FLOAT64, count_delete, NULL);
    CHECK(mx_data(a) == data);
    /* an op on wrapped data never writes into it, even when it could donate */
    mx_array b = mx_astype(a, MX_INT64);
    mx_free(a);
    CHECK_EQ_INT(g_deleted, 0); /* b's graph still holds a */
    const int64_t *pb = mx_data_i64(b);
    CHECK(pb && pb[2] == 3);
    CHECK_EQ_INT(g_deleted, 1); /* evaluation detached a: released */
    CHECK(data[0] == 1 && data[2] == 3);
    mx_free(b);
}

static void test_scalars_and_item(void) {
    double v;
    int64_t i;
    mx_array s = mx_scalar(2.75, MX_FLOAT16);
    CHECK_EQ_INT(mx_ndim(s), 0);
    CHECK_EQ_INT(mx_size(s), 1);
    CHECK_OK(mx_item_f64(s, &v));
    CHECK(v == 2.75);
    mx_array t = mx_scalar_i64(-7);
    CHECK_OK(mx_item_i64(t, &i));
    CHECK_EQ_INT(i, -7);
    mx_array z = mx_zeros(SHAPE(2), MX_FLOAT32);
    CHECK_EQ_INT(mx_item_f64(z, &v), MX_ERROR_VALUE); /* size 2 has no item */
    mx_free_n((mx_array[]){s, t, z}, 3);
}

static void test_null_and_freed_handles(void) {
    mx_array a = mx_scalar_f32(1);
    mx_free(a);
    mx_free(a); /* double free is harmless */
    mx_free(MX_NULL_ARRAY);
    CHECK(!mx_is_valid(a));
    CHECK_EQ_INT(mx_array_status(a), MX_ERROR_HANDLE);
    mx_array b = mx_reshape(a, SHAPE(1));
    CHECK_EQ_INT(mx_array_status(b), MX_ERROR_HANDLE);
    CHECK(strstr(mx_array_error(b), "reshape") != NULL);
    CHECK_EQ_INT(mx_eval1(MX_NULL_ARRAY), MX_ERROR_HANDLE);
    CHECK(strstr(mx_last_error(), "null") != NULL);
    CHECK(mx_ndim(b) == -1 && mx_shape(b) == NULL && mx_size(b) == -1);
    mx_free(b);
}

static void test_error_propagates(void) {
    mx_array a = mx_zeros(SHAPE(2, 3), MX_FLOAT32);
    mx_array bad = mx_reshape(a, SHAPE(4)); /* 6 elements into 4 */
    CHECK_EQ_INT(mx_array_status(bad), MX_ERROR_VALUE);
    const char *msg = mx_array_error(bad);
    CHECK(msg && strstr(msg, "reshape") && strstr(msg, "(2,3)") && strstr(msg, "(4)"));
    /* later ops carry the first error's message */
    mx_array c = mx_transpose(bad, NULL, 0);
    mx_array d = mx_astype(c, MX_INT32);
    CHECK_EQ_INT(mx_array_status(d), MX_ERROR_VALUE);
    CHECK(strcmp(mx_array_error(d), msg) == 0);
    CHECK_EQ_INT(mx_eval1(d), MX_ERROR_VALUE);
    CHECK(strstr(mx_last_error(), "reshape") != NULL);
    mx_free_n((mx_array[]){a, bad, c, d}, 4);
}

static void test_scope(void) {
    mx_array outer = mx_scalar_f32(1);
    mx_scope s = mx_scope_begin();
    mx_array x = mx_zeros(SHAPE(4), MX_FLOAT32);
    mx_array y = mx_astype(x, MX_INT32);
    mx_array kept = mx_scope_keep(s, mx_reshape(y, SHAPE(2, 2)));
    mx_scope_end(s);
    CHECK(!mx_is_valid(x));
    CHECK(!mx_is_valid(y));
    CHECK(mx_is_valid(kept));
    CHECK(mx_is_valid(outer));
    const int32_t *p = mx_data_i32(kept);
    CHECK(p && p[3] == 0);
    /* nested: keeping moves a handle to the enclosing scope */
    mx_scope s1 = mx_scope_begin();
    mx_scope s2 = mx_scope_begin();
    mx_array inner = mx_scope_keep(s2, mx_ones(SHAPE(1), MX_FLOAT32));
    mx_scope_end(s2);
    CHECK(mx_is_valid(inner));
    mx_scope_end(s1);
    CHECK(!mx_is_valid(inner));
    mx_free_n((mx_array[]){outer, kept}, 2);
}

static void test_creation(void) {
    mx_array r = mx_arange(0, 5, 1, MX_INT32);
    const int32_t *pr = mx_data_i32(r);
    CHECK(pr && pr[0] == 0 && pr[4] == 4 && mx_size(r) == 5);
    mx_array f = mx_full(SHAPE(2, 2), 3.5, MX_FLOAT64);
    const double *pf = mx_data_f64(f);
    CHECK(pf && pf[3] == 3.5);
    mx_array e = mx_eye(3, 4, 1, MX_FLOAT32);
    const float *pe = mx_data_f32(e);
    CHECK(pe && pe[1] == 1 && pe[0] == 0 && pe[4 + 2] == 1 && pe[11] == 1);
    mx_array l = mx_linspace(0, 1, 5, MX_FLOAT32);
    const float *pl = mx_data_f32(l);
    CHECK(pl && pl[0] == 0 && pl[2] == 0.5f && pl[4] == 1);
    CHECK_EQ_INT(mx_array_status(mx_arange(0, 5, 0, MX_FLOAT32)), MX_ERROR_VALUE);
    CHECK_EQ_INT(mx_array_status(mx_arange(0, 5, 1, MX_BOOL)), MX_ERROR_VALUE); /* MLX: ValueError */
    mx_free_n((mx_array[]){r, f, e, l}, 4);
}

static void test_views_share_buffers(void) {
    mx_array a = mx_arange(0, 12, 1, MX_FLOAT32);
    mx_array m = mx_reshape(a, SHAPE(3, 4));
    mx_array t = mx_transpose(m, NULL, 0);
    CHECK_OK(mx_eval(&t, 1));
    mx_node *nm = mx_handle_peek(m), *nt = mx_handle_peek(t);
    CHECK(nm->buffer == nt->buffer); /* transpose is a view */
    CHECK_EQ_INT(mx_strides(t)[0], 1);
    CHECK_EQ_INT(mx_strides(t)[1], 4);
    const float *pt = mx_data_f32(t); /* contiguous copy on demand */
    CHECK(pt && pt[0] == 0 && pt[1] == 4 && pt[2] == 8 && pt[3] == 1);
    /* slice with steps and flip */
    mx_array s = mx_slice(m, (int64_t[]){0, 3}, (int64_t[]){3, -5}, (int64_t[]){2, -2}, 2);
    CHECK_EQ_INT(mx_dim(s, 0), 2);
    CHECK_EQ_INT(mx_dim(s, 1), 2);
    const float *ps = mx_data_f32(s);
    CHECK(ps && ps[0] == 3 && ps[1] == 1 && ps[2] == 11 && ps[3] == 9);
    mx_array fl = mx_flip(a, NULL, 0);
    const float *pfl = mx_data_f32(fl);
    CHECK(pfl && pfl[0] == 11 && pfl[11] == 0);
    /* broadcast has zero strides */
    mx_array row = mx_reshape(a, SHAPE(1, 12));
    mx_array b = mx_broadcast_to(row, SHAPE(5, 12));
    CHECK_EQ_INT(mx_strides(b)[0], 0);
    const float *pb = mx_data_f32(b);
    CHECK(pb && pb[12 * 4 + 7] == 7);
    mx_free_n((mx_array[]){a, m, t, s, fl, row, b}, 7);
}

static void test_shape_ops(void) {
    mx_array a = mx_arange(0, 6, 1, MX_INT32);
    mx_array m = mx_reshape(a, SHAPE(2, -1));
    CHECK_EQ_INT(mx_dim(m, 1), 3);
    mx_array e = mx_expand_dims(m, (int[]){0, -1}, 2);
    CHECK_EQ_INT(mx_ndim(e), 4);
    CHECK_EQ_INT(mx_dim(e, 0), 1);
    CHECK_EQ_INT(mx_dim(e, 3), 1);
    mx_array sq = mx_squeeze(e, NULL, 0);
    CHECK_EQ_INT(mx_ndim(sq), 2);
    CHECK_EQ_INT(mx_array_status(mx_squeeze(m, (int[]){0}, 1)), MX_ERROR_VALUE);
    mx_array parts[3];
    CHECK_OK(mx_split(a, 3, 0, parts));
    const int32_t *p1 = mx_data_i32(parts[1]);
    CHECK(p1 && p1[0] == 2 && p1[1] == 3);
    mx_array c = mx_concatenate(parts, 3, 0);
    const int32_t *pc = mx_data_i32(c);
    CHECK(pc && pc[5] == 5);
    mx_array st = mx_stack(parts, 3, 1);
    CHECK_EQ_INT(mx_dim(st, 0), 2);
    CHECK_EQ_INT(mx_dim(st, 1), 3);
    const int32_t *pst = mx_data_i32(st);
    CHECK(pst && pst[0] == 0 && pst[1] == 2 && pst[2] == 4 && pst[3] == 1);
    /* concatenate promotes dtypes */
    mx_array f = mx_ones(SHAPE(2), MX_FLOAT32);
    mx_array cf = mx_concatenate((mx_array[]){parts[0], f}, 2, 0);
    CHECK_EQ_INT(mx_array_dtype(cf), MX_FLOAT32);
    mx_array bad = mx_concatenate((mx_array[]){m, f}, 2, 0);
    CHECK_EQ_INT(mx_array_status(bad), MX_ERROR_VALUE);
    mx_free_n(parts, 3);
    mx_free_n((mx_array[]){a, m, e, sq, c, st, f, cf, bad}, 9);
}

/* A chain of 10^6 nodes built and evaluated with bounded memory: each
 * intermediate is released as soon as its consumer has run. */
static void test_million_node_chain(void) {
    mx_array x = mx_zeros(SHAPE(8), MX_FLOAT32);
    for (int i = 0; i < 1000000; i++) {
        mx_array next = mx_astype(x, (i & 1) ? MX_FLOAT32 : MX_FLOAT64);
        mx_free(x);
        x = next;
    }
    mx_reset_peak_memory();
    size_t before = mx_get_active_memory();
    CHECK_OK(mx_eval(&x, 1));
    CHECK(mx_get_peak_memory() - before < 4096); /* a few 64-byte buffers, not 10^6 */
    const float *p = mx_data_f32(x);             /* the last cast (i odd) is to float32 */
    CHECK(p && p[7] == 0);
    mx_free(x);
    /* and a chain freed without evaluation does not recurse either */
    x = mx_zeros(SHAPE(8), MX_FLOAT32);
    for (int i = 0; i < 1000000; i++) {
        mx_array next = mx_astype(x, (i & 1) ? MX_FLOAT32 : MX_FLOAT64);
        mx_free(x);
        x = next;
    }
    mx_free(x);
}

static void test_donation(void) {
    mx_array a = mx_arange(0, 1024, 1, MX_INT32);
    mx_array b = mx_astype(a, MX_FLOAT32);
    mx_free(a); /* b is now the only holder of a: a's buffer can be donated */
    CHECK_OK(mx_eval(&b, 1));
    mx_node *nb = mx_handle_peek(b);
    size_t active = mx_get_active_memory();
    CHECK(nb->buffer != NULL);
    CHECK(active >= 4096 && active < 2 * 4096 + 1024); /* one buffer, not two */
    mx_free(b);
}

static void test_memory_limit(void) {
    mx_clear_cache();
    size_t old = mx_set_memory_limit(1 << 20);
    mx_array big = mx_zeros(SHAPE(1 << 20), MX_FLOAT32); /* 4 MiB */
    CHECK_EQ_INT(mx_eval(&big, 1), MX_ERROR_MEMORY);
    CHECK(strstr(mx_last_error(), "full") && strstr(mx_last_error(), "memory limit"));
    mx_set_memory_limit(old);
    CHECK_OK(mx_eval(&big, 1)); /* the graph is intact: retry works */
    mx_free(big);
    CHECK(mx_get_cache_memory() >= (4u << 20));
    mx_set_cache_limit(0);
    CHECK_EQ_INT(mx_get_cache_memory(), 0);
    mx_set_cache_limit((size_t)-1);
}

static void test_empty_and_zero_d(void) {
    mx_array e = mx_zeros(SHAPE(0, 3), MX_FLOAT32);
    CHECK_OK(mx_eval(&e, 1));
    CHECK(mx_data(e) != NULL);
    CHECK_EQ_INT(mx_size(e), 0);
    mx_array t = mx_transpose(e, NULL, 0);
    CHECK_EQ_INT(mx_dim(t, 0), 3);
    CHECK_OK(mx_eval(&t, 1));
    mx_array z = mx_reshape(e, NULL, 0);
    CHECK_EQ_INT(mx_array_status(z), MX_ERROR_VALUE); /* 0 elements into shape () of size 1 */
    mx_free_n((mx_array[]){e, t, z}, 3);
}

static void test_complex_to_bool(void) {
    float z[4] = {0, 1, 0, 0}; /* 0+1j, 0+0j */
    mx_array c = mx_array_from_data(z, SHAPE(2), MX_COMPLEX64);
    mx_array b = mx_astype(c, MX_BOOL);
    const bool *p = mx_data_bool(b);
    CHECK(p && p[0] && !p[1]); /* MLX: a complex is true when either part is non-zero */
    mx_free_n((mx_array[]){c, b}, 2);
}

static void test_copy_to_converts(void) {
    uint64_t big[2] = {(uint64_t)1 << 63, 3};
    mx_array a = mx_array_from_data(big, SHAPE(2), MX_UINT64);
    double d[2];
    CHECK_OK(mx_copy_to(a, d, sizeof d, MX_FLOAT64));
    CHECK(d[0] == 9223372036854775808.0 && d[1] == 3); /* not negative */
    mx_array col = mx_reshape(a, SHAPE(2, 1));
    mx_array t = mx_transpose(col, NULL, 0);
    uint16_t h[2];
    CHECK_OK(mx_copy_to(t, h, sizeof h, MX_FLOAT16)); /* a strided view, converted */
    CHECK_EQ_INT(h[1], 0x4200);                       /* 3.0 in float16 */
    CHECK_EQ_INT(mx_copy_to(a, d, 8, MX_FLOAT64), MX_ERROR_VALUE); /* too small */
    mx_free_n((mx_array[]){a, col, t}, 3);
}

int main(void) {
    RUN(test_copy_to_converts);
    RUN(test_complex_to_bool);
    RUN(test_version);
    RUN(test_from_data_and_queries);
    RUN(test_wrap_zero_copy);
    RUN(test_scalars_and_item);
    RUN(test_null_and_freed_handles);
    RUN(test_error_propagates);
    RUN(test_scope);
    RUN(test_creation);
    RUN(test_views_share_buffers);
    RUN(test_shape_ops);
    RUN(test_million_node_chain);
    RUN(test_donation);
    RUN(test_memory_limit);
    RUN(test_empty_and_zero_d);
    return CHECK_SUMMARY();
}
