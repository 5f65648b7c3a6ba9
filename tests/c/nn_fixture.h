/* tests/c/nn_fixture.h - the MLX fixtures of test_nn.c and test_optim.c
 * (tests/c/data/nn.safetensors and optim.safetensors, written by tests/gen/gen_nn_fixtures.py):
 * lookup by name and element-wise comparison. Tests run in tests/. */
#ifndef CMLX_TESTS_NN_FIXTURE_H
#define CMLX_TESTS_NN_FIXTURE_H

#include <stdlib.h>

#include "check.h"

static mx_named_arrays *g_fx;

static mx_status fx_load(const char *path) { return mx_load_safetensors(path, &g_fx, NULL); }

/* The fixture array `name` (borrowed); reports a failed check when missing. */
static mx_array fx(const char *name) {
    mx_array a = mx_named_arrays_get(g_fx, name);
    if (a.id == 0) {
        fprintf(stderr, "  fixture '%s' is missing\n", name);
        g_checks_failed_in_test++;
    }
    return a;
}

/* Every element of got within atol + rtol |want| of want (same shape). */
static int fx_close(const char *label, mx_array got, mx_array want, double rtol, double atol) {
    if (mx_array_status(got) != MX_OK) {
        fprintf(stderr, "  %s: error array: %s\n", label, mx_array_error(got) ? mx_array_error(got) : "?");
        return 0;
    }
    if (mx_ndim(got) != mx_ndim(want) ||
        (mx_ndim(got) > 0 && memcmp(mx_shape(got), mx_shape(want), (size_t)mx_ndim(got) * sizeof(int64_t)))) {
        fprintf(stderr, "  %s: shape mismatch (ndim %d vs %d, size %lld vs %lld)\n", label, mx_ndim(got), mx_ndim(want),
                (long long)mx_size(got), (long long)mx_size(want));
        return 0;
    }
    int64_t n = mx_size(want);
    double *a = malloc((size_t)(n ? n : 1) * sizeof *a), *b = malloc((size_t)(n ? n : 1) * sizeof *b);
    int ok = a && b && mx_copy_to(got, a, (size_t)n * sizeof *a, MX_FLOAT64) == MX_OK &&
             mx_copy_to(want, b, (size_t)n * sizeof *b, MX_FLOAT64) == MX_OK;
    int bad = 0;
    for (int64_t i = 0; ok && i < n; i++) {
        int same = a[i] == b[i] || (isnan(a[i]) && isnan(b[i])) || fabs(a[i] - b[i]) <= atol + rtol * fabs(b[i]);
        if (!same && bad++ == 0)
            fprintf(stderr, "  %s: element %lld is %.9g, MLX %.9g\n", label, (long long)i, a[i], b[i]);
    }
    if (bad)
        fprintf(stderr, "  %s: %d of %lld elements differ\n", label, bad, (long long)n);
    free(a);
    free(b);
    return ok && bad == 0;
}

#define CHECK_FX(label, got, want, rtol, atol) CHECK(fx_close((label), (got), (want), (rtol), (atol)))

/* The entries of g_fx whose names start with prefix, under the rest of the name. */
static mx_named_arrays *fx_subtree(const char *prefix) {
    mx_named_arrays *t = mx_named_arrays_new();
    size_t len = strlen(prefix);
    for (int i = 0; i < mx_named_arrays_size(g_fx); i++) {
        const char *name = mx_named_arrays_name(g_fx, i);
        if (strncmp(name, prefix, len) == 0)
            mx_named_arrays_set(t, name + len, mx_named_arrays_at(g_fx, i));
    }
    return t;
}

/* Bitwise equality of two arrays' bytes (same dtype and shape). */
static int same_bits(mx_array a, mx_array b) {
    if (mx_array_dtype(a) != mx_array_dtype(b) || mx_size(a) != mx_size(b))
        return 0;
    const void *pa = mx_data(a), *pb = mx_data(b);
    return pa && pb && memcmp(pa, pb, mx_nbytes(a)) == 0;
}

#endif
