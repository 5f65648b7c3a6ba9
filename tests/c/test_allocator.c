/* tests/c/test_allocator.c - the caching allocator: reuse by size class,
 * statistics, cache and memory limits. */
#include "check.h"
#include "core/node.h"

static void test_reuse_same_class(void) {
    mx_clear_cache();
    mx_buffer *a = mx_buffer_alloc(1000, "test");
    CHECK(a != NULL);
    void *p = a->ptr;
    CHECK(((uintptr_t)p % 64) == 0);                   /* SIMD-aligned */
    CHECK(a->capacity >= 1000 && a->capacity <= 1250); /* at most 25% slack */
    mx_buffer_release(a);
    CHECK(mx_get_cache_memory() >= 1000);
    mx_buffer *b = mx_buffer_alloc(990, "test"); /* same class: reuses the block */
    CHECK(b && b->ptr == p);
    CHECK_EQ_INT(mx_get_cache_memory(), 0);
    mx_buffer_release(b);
}

static void test_active_and_peak(void) {
    mx_clear_cache();
    size_t base = mx_get_active_memory();
    mx_reset_peak_memory();
    mx_buffer *a = mx_buffer_alloc(1 << 20, "test");
    mx_buffer *b = mx_buffer_alloc(1 << 20, "test");
    CHECK(a && b);
    CHECK_EQ_INT(mx_get_active_memory() - base, 2 << 20);
    mx_buffer_release(a);
    CHECK_EQ_INT(mx_get_active_memory() - base, 1 << 20);
    CHECK_EQ_INT(mx_get_peak_memory() - base, 2 << 20);
    mx_reset_peak_memory();
    CHECK_EQ_INT(mx_get_peak_memory() - base, 1 << 20);
    mx_buffer_release(b);
    CHECK_EQ_INT(mx_get_active_memory(), base);
}

static void test_cache_limit(void) {
    mx_clear_cache();
    size_t old = mx_set_cache_limit(1 << 20);
    mx_buffer *a = mx_buffer_alloc(4 << 20, "test");
    mx_buffer_release(a); /* larger than the cache limit: returned to the OS */
    CHECK_EQ_INT(mx_get_cache_memory(), 0);
    mx_buffer *b = mx_buffer_alloc(512 << 10, "test");
    mx_buffer_release(b);
    CHECK_EQ_INT(mx_get_cache_memory(), 512 << 10);
    mx_set_cache_limit(old);
    mx_clear_cache();
    CHECK_EQ_INT(mx_get_cache_memory(), 0);
}

static void test_memory_limit_error(void) {
    size_t old = mx_set_memory_limit(1 << 20);
    mx_buffer *a = mx_buffer_alloc(2 << 20, "myop");
    CHECK(a == NULL);
    CHECK_EQ_INT(mx_last_status(), MX_ERROR_MEMORY);
    CHECK(strstr(mx_last_error(), "myop") != NULL);
    mx_set_memory_limit(old);
    a = mx_buffer_alloc(2 << 20, "myop");
    CHECK(a != NULL);
    mx_buffer_release(a);
}

static void test_huge_request_fails_cleanly(void) {
    mx_buffer *a = mx_buffer_alloc((size_t)1 << 62, "huge");
    CHECK(a == NULL);
    CHECK_EQ_INT(mx_last_status(), MX_ERROR_MEMORY);
}

int main(void) {
    RUN(test_reuse_same_class);
    RUN(test_active_and_peak);
    RUN(test_cache_limit);
    RUN(test_memory_limit_error);
    RUN(test_huge_request_fails_cleanly);
    return CHECK_SUMMARY();
}
