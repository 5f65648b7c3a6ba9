/* tests/c/check.h - a tiny test framework: each test file is one program
 * whose main() calls RUN(test_fn) for each test and returns CHECK_SUMMARY().
 * A failed CHECK prints file:line and the thread's last cmlx error. */
#ifndef CMLX_TESTS_CHECK_H
#define CMLX_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmlx/cmlx.h"

static int g_checks_failed_in_test;
static int g_tests_passed, g_tests_failed;

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed [last error: %s]\n", __FILE__, __LINE__, #cond,                 \
                    mx_last_error());                                                                                  \
            g_checks_failed_in_test++;                                                                                 \
        }                                                                                                              \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                                             \
    do {                                                                                                               \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                                          \
        if (va_ != vb_) {                                                                                              \
            fprintf(stderr, "  %s:%d: %s == %s failed: %lld != %lld [last error: %s]\n", __FILE__, __LINE__, #a, #b,   \
                    va_, vb_, mx_last_error());                                                                        \
            g_checks_failed_in_test++;                                                                                 \
        }                                                                                                              \
    } while (0)

/* |a - b| <= atol + rtol * |b|, NaNs equal to NaNs. */
#define CHECK_CLOSE(a, b, rtol, atol)                                                                                  \
    do {                                                                                                               \
        double va_ = (double)(a), vb_ = (double)(b);                                                                   \
        int ok_ = (isnan(va_) && isnan(vb_)) || va_ == vb_ || fabs(va_ - vb_) <= (atol) + (rtol)*fabs(vb_);            \
        if (!ok_) {                                                                                                    \
            fprintf(stderr, "  %s:%d: %s ~= %s failed: %.9g vs %.9g\n", __FILE__, __LINE__, #a, #b, va_, vb_);         \
            g_checks_failed_in_test++;                                                                                 \
        }                                                                                                              \
    } while (0)

#define CHECK_OK(expr) CHECK_EQ_INT((expr), MX_OK)

#define RUN(fn)                                                                                                        \
    do {                                                                                                               \
        g_checks_failed_in_test = 0;                                                                                   \
        mx_clear_error();                                                                                              \
        fn();                                                                                                          \
        if (g_checks_failed_in_test) {                                                                                 \
            g_tests_failed++;                                                                                          \
            fprintf(stderr, "FAIL %s\n", #fn);                                                                         \
        } else {                                                                                                       \
            g_tests_passed++;                                                                                          \
        }                                                                                                              \
    } while (0)

#define CHECK_SUMMARY() (printf("%d passed, %d failed\n", g_tests_passed, g_tests_failed), g_tests_failed ? 1 : 0)

/* Shapes as compound literals: SHAPE(2, 3). */
#define SHAPE(...) ((const int64_t[]){__VA_ARGS__}), (int)(sizeof((int64_t[]){__VA_ARGS__}) / sizeof(int64_t))

#endif
