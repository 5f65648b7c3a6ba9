/* tests/c/test_fast.c - the fused ops of cmlx/fast.h (rms_norm, layer_norm,
 * rope, scaled_dot_product_attention) against double-precision references
 * written here from MLX 0.32's definitions (its CPU composites), in every
 * float dtype, on contiguous, strided and broadcast inputs, at sizes that
 * take the multithreaded and multi-block paths; the error paths (messages
 * name the shapes); the VJP rules against central differences in float64
 * (tests/c/grad_check.h) and in float32 against float64; the JVP rules
 * against finite differences, directly and through mx_jvp; vmap against a
 * loop over the examples. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/handle.h"
#include "grad_check.h"
#include "ops/fast.h"

/* ---- helpers ------------------------------------------------------------------------------------ */

static uint64_t g_rng = 12345;

/* An array of `shape` with values uniform in [lo, hi), made in float64 and
 * cast to dtype. */
static mx_array uniform(const int64_t *shape, int ndim, mx_dtype dtype, double lo, double hi) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= shape[i];
    double *v = malloc(sizeof(double) * (size_t)(n ? n : 1));
    for (int64_t i = 0; i < n; i++)
        v[i] = lo + (hi - lo) * (grad_check_uniform(&g_rng) + 1.0) / 2.0;
    mx_array d = mx_array_from_data(v, shape, ndim, MX_FLOAT64);
    free(v);
    mx_array out = mx_astype(d, dtype);
    mx_free(d);
    return out;
}

/* The values of a (as stored in its dtype) in float64, row-major; caller frees. */
static double *host(mx_array a) {
    int64_t n = mx_size(a);
    double *v = malloc(sizeof(double) * (size_t)(n ? n : 1));
    if (mx_copy_to(a, v, sizeof(double) * (size_t)n, MX_FLOAT64) != MX_OK) {
        free(v);
        return NULL;
    }
    return v;
}

/* got == ref within atol + rtol |ref| elementwise (NaN matches NaN). */
static bool close_to(mx_array got, const double *ref, double rtol, double atol) {
    double *g = host(got);
    if (!g || !ref) {
        free(g);
        fprintf(stderr, "  close_to: no values (%s)\n", mx_last_error());
        return false;
    }
    int64_t n = mx_size(got);
    int bad = 0;
    for (int64_t i = 0; i < n; i++) {
        bool ok = (isnan(g[i]) && isnan(ref[i])) || g[i] == ref[i] || fabs(g[i] - ref[i]) <= atol + rtol * fabs(ref[i]);
        if (!ok && bad++ < 5)
            fprintf(stderr, "  element %lld: got %.9g, expected %.9g\n", (long long)i, g[i], ref[i]);
    }
    free(g);
    return bad == 0;
}

static bool error_mentions(mx_array a, mx_status status, const char *text) {
    bool ok = mx_array_status(a) == status && strstr(mx_array_error(a), text) != NULL;
    if (!ok)
        fprintf(stderr, "  expected status %d mentioning '%s', got %d: %s\n", (int)status, text,
                (int)mx_array_status(a), mx_array_status(a) == MX_OK ? "(ok)" : mx_array_error(a));
    mx_free(a);
    return ok;
}

/* A (d0, d1, d2) array as the transpose of a (d2, d1, d0) one: a strided view. */
static mx_array transposed3(const int64_t *shape, mx_dtype dtype) {
    mx_array base = uniform((const int64_t[]){shape[2], shape[1], shape[0]}, 3, dtype, -2, 2);
    mx_array t = mx_transpose(base, (const int[]){2, 1, 0}, 3);
    mx_free(base);
    return t;
}

static double eps_of(mx_dtype dtype) {
    switch (dtype) {
    case MX_FLOAT16: return 0x1p-10;
    case MX_BFLOAT16: return 0x1p-7;
    case MX_FLOAT64: return 0x1p-52;
    default: return 0x1p-23;
    }
}

/* ---- rms_norm and layer_norm ---------------------------------------------------------------------- */

/* y = (x - mu) r w + b per row (mu = 0 for rms), in double. */
static void ref_norm(const double *x, int64_t rows, int64_t L, const double *w, const double *b, double eps, bool layer,
                     double *y) {
    for (int64_t r = 0; r < rows; r++) {
        const double *xr = x + r * L;
        double mu = 0, ss = 0;
        if (layer) {
            for (int64_t i = 0; i < L; i++)
                mu += xr[i];
            mu /= (double)L;
        }
        for (int64_t i = 0; i < L; i++)
            ss += (xr[i] - mu) * (xr[i] - mu);
        double rs = 1.0 / sqrt(ss / (double)L + eps);
        for (int64_t i = 0; i < L; i++)
            y[r * L + i] = (xr[i] - mu) * rs * (w ? w[i] : 1.0) + (b ? b[i] : 0.0);
    }
}

/* One norm case: x of `shape` (strided when `strided`), optional w and b. */
static void norm_case(bool layer, const int64_t *shape, mx_dtype dtype, bool strided, bool with_w, bool with_b) {
    int64_t L = shape[2], rows = shape[0] * shape[1];
    mx_array x = strided ? transposed3(shape, dtype) : uniform(shape, 3, dtype, -3, 3);
    mx_array w = with_w ? uniform(&L, 1, dtype, -2, 2) : MX_NULL_ARRAY;
    mx_array b = with_b ? uniform(&L, 1, dtype, -1, 1) : MX_NULL_ARRAY;
    double eps = 1e-5;
    mx_array y = layer ? mx_fast_layer_norm(x, w, b, eps) : mx_fast_rms_norm(x, w, eps);
    CHECK_OK(mx_array_status(y));
    CHECK_EQ_INT(mx_array_dtype(y), dtype);
    double *xv = host(x), *wv = with_w ? host(w) : NULL, *bv = with_b ? host(b) : NULL;
    double *ref = malloc(sizeof(double) * (size_t)(rows * L));
    ref_norm(xv, rows, L, wv, bv, (double)(float)eps, layer, ref);
    /* float32 accumulation over L terms; half outputs are rounded (MLX rounds
     * after the normalisation, the weight and the bias: three roundings) */
    double e = eps_of(dtype), tol = dtype == MX_FLOAT64 ? 1e-12 : 4 * L * 0x1p-23 + (dtype == MX_FLOAT32 ? 0 : 3 * e);
    CHECK(close_to(y, ref, tol, tol * 4));
    free(xv);
    free(wv);
    free(bv);
    free(ref);
    mx_free(x);
    mx_free(w);
    mx_free(b);
    mx_free(y);
}

static void test_norm_values(void) {
    const mx_dtype dtypes[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
    for (int layer = 0; layer < 2; layer++)
        for (int d = 0; d < 4; d++)
            for (int strided = 0; strided < 2; strided++) {
                norm_case(layer, (const int64_t[]){3, 5, 37}, dtypes[d], strided, true, layer);
                norm_case(layer, (const int64_t[]){2, 1, 16}, dtypes[d], strided, false, false);
                if (layer)
                    norm_case(true, (const int64_t[]){4, 2, 9}, dtypes[d], strided, false, true);
            }
    /* big enough for threads: (2, 300, 4096) */
    norm_case(false, (const int64_t[]){2, 300, 4096}, MX_FLOAT32, false, true, false);
    norm_case(true, (const int64_t[]){2, 300, 4096}, MX_FLOAT32, false, true, true);
    norm_case(true, (const int64_t[]){2, 300, 1000}, MX_BFLOAT16, true, true, true);
}

static void test_norm_dtypes(void) {
    int64_t shape[2] = {3, 4};
    mx_array xi = uniform(shape, 2, MX_INT32, -5, 5), w16 = uniform(&shape[1], 1, MX_FLOAT16, 1, 2);
    mx_array xf16 = uniform(shape, 2, MX_FLOAT16, -1, 1), w32 = uniform(&shape[1], 1, MX_FLOAT32, 1, 2);
    mx_array y = mx_fast_rms_norm(xi, w16, 1e-5); /* int32 and float16: float16, as MLX */
    CHECK_EQ_INT(mx_array_dtype(y), MX_FLOAT16);
    CHECK_OK(mx_eval1(y));
    mx_free(y);
    y = mx_fast_rms_norm(xf16, w32, 1e-5);
    CHECK_EQ_INT(mx_array_dtype(y), MX_FLOAT32);
    mx_free(y);
    /* layer_norm: a bias alone does not promote (MLX) */
    y = mx_fast_layer_norm(xf16, MX_NULL_ARRAY, w32, 1e-5);
    CHECK_EQ_INT(mx_array_dtype(y), MX_FLOAT16);
    CHECK_OK(mx_eval1(y));
    mx_free(y);
    y = mx_fast_layer_norm(xf16, w16, w32, 1e-5);
    CHECK_EQ_INT(mx_array_dtype(y), MX_FLOAT32);
    mx_free(y);
    /* zero rows and zero-length rows */
    mx_array e = mx_zeros((const int64_t[]){0, 4}, 2, MX_FLOAT32);
    y = mx_fast_rms_norm(e, MX_NULL_ARRAY, 1e-5);
    CHECK_OK(mx_eval1(y));
    CHECK_EQ_INT(mx_size(y), 0);
    mx_free(y);
    mx_free(e);
    e = mx_zeros((const int64_t[]){3, 0}, 2, MX_FLOAT32);
    y = mx_fast_layer_norm(e, MX_NULL_ARRAY, MX_NULL_ARRAY, 1e-5);
    CHECK_OK(mx_eval1(y));
    mx_free(y);
    mx_free(e);
    mx_free(xi);
    mx_free(w16);
    mx_free(xf16);
    mx_free(w32);
}

static void test_norm_errors(void) {
    mx_array x = uniform((const int64_t[]){2, 3}, 2, MX_FLOAT32, -1, 1);
    mx_array w2 = uniform((const int64_t[]){1, 3}, 2, MX_FLOAT32, -1, 1),
             w4 = uniform((const int64_t[]){4}, 1, MX_FLOAT32, -1, 1);
    mx_array s = mx_scalar_f32(1.0f), xi = mx_astype(x, MX_INT32), xc = mx_astype(x, MX_COMPLEX64);
    CHECK(error_mentions(mx_fast_rms_norm(s, MX_NULL_ARRAY, 1e-5), MX_ERROR_VALUE, "at least 1 dimension"));
    CHECK(error_mentions(mx_fast_rms_norm(x, w2, 1e-5), MX_ERROR_VALUE, "(1,3)"));
    CHECK(error_mentions(mx_fast_rms_norm(x, w4, 1e-5), MX_ERROR_VALUE, "(2,3)"));
    CHECK(error_mentions(mx_fast_rms_norm(xi, MX_NULL_ARRAY, 1e-5), MX_ERROR_VALUE, "int32"));
    CHECK(error_mentions(mx_fast_rms_norm(xc, MX_NULL_ARRAY, 1e-5), MX_ERROR_VALUE, "complex64"));
    CHECK(error_mentions(mx_fast_layer_norm(x, MX_NULL_ARRAY, w4, 1e-5), MX_ERROR_VALUE, "(4)"));
    CHECK(error_mentions(mx_fast_layer_norm(x, w2, MX_NULL_ARRAY, 1e-5), MX_ERROR_VALUE, "(1,3)"));
    CHECK(error_mentions(mx_fast_layer_norm(s, MX_NULL_ARRAY, MX_NULL_ARRAY, 1e-5), MX_ERROR_VALUE, "()"));
    mx_array freed = mx_retain(x);
    mx_free(freed);
    CHECK(error_mentions(mx_fast_rms_norm(x, freed, 1e-5), MX_ERROR_HANDLE, "rms_norm"));
    mx_free_n((mx_array[]){x, w2, w4, s, xi, xc}, 6);
}

/* ---- rope ------------------------------------------------------------------------------------------------ */

typedef struct rope_cfg {
    int64_t B, N, T, D;
    int dims;
    bool traditional;
    double base, scale;
    const double *freqs; /* dims/2 or NULL */
    bool forward;
} rope_cfg;

/* x as (B, N, T, D); offsets[B]. */
static void ref_rope(const rope_cfg *c, const double *x, const int64_t *offsets, double *y) {
    int half = c->dims / 2;
    for (int64_t b = 0; b < c->B; b++)
        for (int64_t n = 0; n < c->N; n++)
            for (int64_t t = 0; t < c->T; t++) {
                const double *xr = x + ((b * c->N + n) * c->T + t) * c->D;
                double *yr = y + ((b * c->N + n) * c->T + t) * c->D;
                memcpy(yr, xr, sizeof(double) * (size_t)c->D);
                double pos = ((double)t + (double)offsets[b]) * c->scale;
                for (int k = 0; k < half; k++) {
                    double inv = c->freqs ? 1.0 / c->freqs[k] : pow(c->base, -(double)k / half);
                    double th = (c->forward ? 1 : -1) * pos * inv, co = cos(th), si = sin(th);
                    int i1 = c->traditional ? 2 * k : k, i2 = c->traditional ? 2 * k + 1 : k + half;
                    yr[i1] = xr[i1] * co - xr[i2] * si;
                    yr[i2] = xr[i1] * si + xr[i2] * co;
                }
            }
}

static void rope_case(const rope_cfg *c, mx_dtype dtype, int offset_kind, bool strided) {
    int64_t shape[4] = {c->B, c->N, c->T, c->D};
    mx_array x;
    if (strided) { /* (B, N, T, D) as the transpose of (B, N, D, T) */
        mx_array base = uniform((const int64_t[]){c->B, c->N, c->D, c->T}, 4, dtype, -2, 2);
        x = mx_transpose(base, (const int[]){0, 1, 3, 2}, 4);
        mx_free(base);
    } else {
        x = uniform(shape, 4, dtype, -2, 2);
    }
    int64_t offsets[8];
    for (int64_t b = 0; b < c->B; b++)
        offsets[b] = offset_kind == 0 ? 5 : 3 * b + 1;
    mx_array freqs = MX_NULL_ARRAY;
    if (c->freqs)
        freqs = mx_array_from_data(c->freqs, (const int64_t[]){c->dims / 2}, 1, MX_FLOAT64);
    double base = c->freqs ? NAN : c->base;
    mx_array y;
    if (offset_kind == 0) {
        y = mx_fast_rope(x, c->dims, c->traditional, base, c->scale, 5, freqs);
    } else {
        int32_t o32[8];
        uint32_t u32[8];
        for (int64_t b = 0; b < c->B; b++)
            o32[b] = (int32_t)offsets[b], u32[b] = (uint32_t)offsets[b];
        mx_array off = offset_kind == 1 ? mx_array_from_data(o32, &c->B, 1, MX_INT32)
                                        : mx_array_from_data(u32, &c->B, 1, MX_UINT32);
        y = mx_fast_rope_offset(x, c->dims, c->traditional, base, c->scale, off, freqs);
        mx_free(off);
    }
    CHECK_OK(mx_array_status(y));
    CHECK_EQ_INT(mx_array_dtype(y), dtype);
    double *xv = host(x), *ref = malloc(sizeof(double) * (size_t)mx_size(x));
    rope_cfg cc = *c;
    if (dtype != MX_FLOAT64) { /* MLX takes base and scale as float32 */
        cc.base = (float)c->base;
        cc.scale = (float)c->scale;
    }
    ref_rope(&cc, xv, offsets, ref);
    /* angles up to T + offset radians: float32 rounds them by ~|theta| eps32 */
    double e = eps_of(dtype), tol = dtype == MX_FLOAT64 ? 1e-12 : 2 * (c->T + 10) * 0x1p-23 + 4 * e;
    CHECK(close_to(y, ref, tol, 2 * tol));
    free(xv);
    free(ref);
    mx_free(x);
    mx_free(y);
    mx_free(freqs);
}

static void test_rope_values(void) {
    const mx_dtype dtypes[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
    const double freqs[4] = {1.0, 3.5, 20.0, 400.0};
    for (int d = 0; d < 4; d++)
        for (int trad = 0; trad < 2; trad++)
            for (int kind = 0; kind < 3; kind++) {
                rope_cfg a = {2, 3, 7, 16, 16, trad, 10000.0, 1.0, NULL, true};
                rope_case(&a, dtypes[d], kind, kind == 2);
                rope_cfg b = {2, 1, 5, 12, 8, trad, 500.0, 0.5, freqs, true};
                rope_case(&b, dtypes[d], kind, kind == 1);
            }
    /* large: threads, one table per batch entry */
    rope_cfg big = {3, 8, 512, 128, 96, false, 10000.0, 1.0, NULL, true};
    rope_case(&big, MX_FLOAT32, 1, false);
    rope_case(&big, MX_BFLOAT16, 0, true);
}

static void test_rope_shapes_and_errors(void) {
    /* 3-D (B, T, D) is (B, 1, T, D); 5-D merges the middle dims */
    mx_array x3 = uniform((const int64_t[]){2, 5, 8}, 3, MX_FLOAT32, -1, 1);
    mx_array y3 = mx_fast_rope(x3, 8, false, 10000.0, 1.0, 2, MX_NULL_ARRAY);
    mx_array x4 = mx_reshape(x3, (const int64_t[]){2, 1, 5, 8}, 4);
    mx_array y4 = mx_fast_rope(x4, 8, false, 10000.0, 1.0, 2, MX_NULL_ARRAY);
    double *r4 = host(y4);
    CHECK(close_to(y3, r4, 0, 0));
    free(r4);
    mx_free_n((mx_array[]){x3, y3, x4, y4}, 4);
    mx_array x5 = uniform((const int64_t[]){2, 2, 3, 4, 6}, 5, MX_FLOAT32, -1, 1);
    int32_t offs[2] = {1, 7};
    mx_array off = mx_array_from_data(offs, (const int64_t[]){2}, 1, MX_INT32);
    mx_array y5 = mx_fast_rope_offset(x5, 4, true, 100.0, 1.0, off, MX_NULL_ARRAY);
    mx_array x5r = mx_reshape(x5, (const int64_t[]){2, 6, 4, 6}, 4);
    mx_array y5r = mx_fast_rope_offset(x5r, 4, true, 100.0, 1.0, off, MX_NULL_ARRAY);
    double *r5 = host(y5r);
    CHECK(close_to(y5, r5, 0, 0));
    free(r5);
    mx_free_n((mx_array[]){x5r, y5r, y5}, 3);

    mx_array x2 = uniform((const int64_t[]){5, 6}, 2, MX_FLOAT32, -1, 1), xi = mx_astype(x5, MX_INT32);
    mx_array f3 = uniform((const int64_t[]){3}, 1, MX_FLOAT32, 1, 2),
             f2 = uniform((const int64_t[]){2}, 1, MX_FLOAT32, 1, 2);
    mx_array off3 = mx_array_from_data((const int32_t[]){1, 2, 3}, (const int64_t[]){3}, 1, MX_INT32);
    mx_array offf = mx_scalar_f32(1.0f), off2d = mx_reshape(off, (const int64_t[]){1, 2}, 2);
    CHECK(error_mentions(mx_fast_rope(x2, 4, false, 10.0, 1.0, 0, MX_NULL_ARRAY), MX_ERROR_VALUE, "(5,6)"));
    CHECK(error_mentions(mx_fast_rope(xi, 4, false, 10.0, 1.0, 0, MX_NULL_ARRAY), MX_ERROR_VALUE, "int32"));
    CHECK(error_mentions(mx_fast_rope(x5, 5, false, 10.0, 1.0, 0, MX_NULL_ARRAY), MX_ERROR_VALUE, "got 5"));
    CHECK(error_mentions(mx_fast_rope(x5, 0, false, 10.0, 1.0, 0, MX_NULL_ARRAY), MX_ERROR_VALUE, "dims"));
    CHECK(error_mentions(mx_fast_rope(x5, 8, false, 10.0, 1.0, 0, MX_NULL_ARRAY), MX_ERROR_VALUE, "(2,2,3,4,6)"));
    CHECK(error_mentions(mx_fast_rope(x5, 4, false, 10.0, 1.0, 0, f3), MX_ERROR_VALUE, "only one of"));
    CHECK(error_mentions(mx_fast_rope(x5, 4, false, NAN, 1.0, 0, MX_NULL_ARRAY), MX_ERROR_VALUE, "neither"));
    CHECK(error_mentions(mx_fast_rope(x5, 4, false, NAN, 1.0, 0, f3), MX_ERROR_VALUE, "(3)"));
    CHECK(error_mentions(mx_fast_rope_offset(x5, 4, false, 10.0, 1.0, off3, MX_NULL_ARRAY), MX_ERROR_VALUE, "(3)"));
    CHECK(error_mentions(mx_fast_rope_offset(x5, 4, false, 10.0, 1.0, offf, MX_NULL_ARRAY), MX_ERROR_VALUE, "float32"));
    CHECK(error_mentions(mx_fast_rope_offset(x5, 4, false, 10.0, 1.0, off2d, MX_NULL_ARRAY), MX_ERROR_VALUE, "(1,2)"));
    mx_array ok = mx_fast_rope(x5, 4, false, NAN, 1.0, 0, f2);
    CHECK_OK(mx_eval1(ok));
    mx_free_n((mx_array[]){ok, x2, xi, f3, f2, off3, offf, off2d, off, x5}, 10);
}

/* ---- scaled_dot_product_attention ------------------------------------------------------------------------- */

typedef struct sdpa_cfg {
    int64_t B, Nq, Nkv, Tq, Tk, D, Dv;
    double scale;
    bool causal;
    int mask; /* 0 none, 1 additive (Tq, Tk), 2 boolean (B, 1, Tq, Tk) */
    bool sinks;
} sdpa_cfg;

/* MLX's composite in double: hidden scores are `lowest`. mask: additive
 * values or booleans (as 0/1) broadcast over (B, Nq) as the cfg says. */
static void ref_sdpa(const sdpa_cfg *c, const double *q, const double *k, const double *v, const double *mask,
                     const double *sinks, double lowest, double *o) {
    int64_t R = c->Nq / c->Nkv;
    double *s = malloc(sizeof(double) * (size_t)(c->Tk + 1));
    for (int64_t b = 0; b < c->B; b++)
        for (int64_t h = 0; h < c->Nq; h++)
            for (int64_t i = 0; i < c->Tq; i++) {
                const double *qi = q + ((b * c->Nq + h) * c->Tq + i) * c->D;
                const double *K = k + (b * c->Nkv + h / R) * c->Tk * c->D;
                const double *V = v + (b * c->Nkv + h / R) * c->Tk * c->Dv;
                double m = sinks ? sinks[h] : -INFINITY;
                for (int64_t t = 0; t < c->Tk; t++) {
                    double acc = 0;
                    for (int64_t d = 0; d < c->D; d++)
                        acc += qi[d] * c->scale * K[t * c->D + d];
                    if (c->mask == 1)
                        acc += mask[i * c->Tk + t];
                    if (c->mask == 2 && mask[(b * c->Tq + i) * c->Tk + t] == 0.0)
                        acc = lowest;
                    if (c->causal && t > i + c->Tk - c->Tq)
                        acc = lowest;
                    s[t] = acc;
                    m = acc > m ? acc : m;
                }
                double total = sinks ? exp(sinks[h] - m) : 0;
                for (int64_t t = 0; t < c->Tk; t++)
                    total += (s[t] = exp(s[t] - m));
                double *oi = o + ((b * c->Nq + h) * c->Tq + i) * c->Dv;
                for (int64_t d = 0; d < c->Dv; d++) {
                    double acc = 0;
                    for (int64_t t = 0; t < c->Tk; t++)
                        acc += s[t] * V[t * c->Dv + d];
                    oi[d] = c->Tk ? acc / total : 0.0;
                }
            }
    free(s);
}

/* q/k/v as (B, N, T, D) views of (B, T, N, D) arrays when `strided` (the
 * layout of a projection reshaped into heads). */
static mx_array heads(int64_t B, int64_t N, int64_t T, int64_t D, mx_dtype dtype, bool strided) {
    if (!strided)
        return uniform((const int64_t[]){B, N, T, D}, 4, dtype, -1, 1);
    mx_array base = uniform((const int64_t[]){B, T, N, D}, 4, dtype, -1, 1);
    mx_array t = mx_transpose(base, (const int[]){0, 2, 1, 3}, 4);
    mx_free(base);
    return t;
}

static void sdpa_case(const sdpa_cfg *c, mx_dtype dtype, bool strided) {
    mx_array q = heads(c->B, c->Nq, c->Tq, c->D, dtype, strided);
    mx_array k = heads(c->B, c->Nkv, c->Tk, c->D, dtype, strided);
    mx_array v = heads(c->B, c->Nkv, c->Tk, c->Dv, dtype, !strided);
    mx_array mask = MX_NULL_ARRAY, sinks = MX_NULL_ARRAY;
    if (c->mask == 1) {
        mask = uniform((const int64_t[]){c->Tq, c->Tk}, 2, dtype, -2, 1);
    } else if (c->mask == 2) {
        mx_array r = uniform((const int64_t[]){c->B, 1, c->Tq, c->Tk}, 4, MX_FLOAT32, -1, 1);
        mx_array zero = mx_scalar_f32(-0.5f);
        mask = mx_greater(r, zero); /* about 75% kept; some rows entirely hidden when Tk is small */
        mx_free_n((mx_array[]){r, zero}, 2);
    }
    if (c->sinks)
        sinks = uniform(&c->Nq, 1, dtype, -1, 2);
    mx_array o = mx_fast_scaled_dot_product_attention(q, k, v, c->scale, c->causal ? "causal" : NULL, mask, sinks);
    CHECK_OK(mx_array_status(o));
    CHECK_EQ_INT(mx_array_dtype(o), dtype);
    CHECK_EQ_INT(mx_dim(o, 3), c->Dv);
    double *qv = host(q), *kv = host(k), *vv = host(v), *mv = c->mask ? host(mask) : NULL;
    double *sv = c->sinks ? host(sinks) : NULL;
    double *ref = malloc(sizeof(double) * (size_t)(c->B * c->Nq * c->Tq * c->Dv + 1));
    sdpa_cfg cc = *c;
    if (dtype == MX_FLOAT16 || dtype == MX_BFLOAT16) { /* MLX rounds the scale to the dtype */
        mx_array s = mx_scalar(c->scale, dtype);
        mx_item_f64(s, &cc.scale);
        mx_free(s);
    } else { /* MLX takes the scale as a float32 */
        cc.scale = (float)c->scale;
    }
    ref_sdpa(&cc, qv, kv, vv, mv, sv, mx_fast_lowest(dtype), ref);
    /* float32 dot products over D and sums over Tk; half outputs rounded once */
    double e = eps_of(dtype);
    double tol = dtype == MX_FLOAT64 ? 1e-12 : 8 * (c->D + 8) * 0x1p-23 + 2 * e;
    CHECK(close_to(o, ref, tol, tol));
    free(qv);
    free(kv);
    free(vv);
    free(mv);
    free(sv);
    free(ref);
    mx_free_n((mx_array[]){q, k, v, mask, sinks, o}, 6);
}

static void test_sdpa_values(void) {
    const mx_dtype dtypes[] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
    for (int d = 0; d < 4; d++)
        for (int causal = 0; causal < 2; causal++)
            for (int mask = 0; mask < 3; mask++) {
                if (causal && mask)
                    continue;
                for (int sinks = 0; sinks < 2; sinks++) {
                    sdpa_cfg a = {2, 4, 2, 5, 7, 8, 8, 0.35, causal, mask, sinks}; /* GQA, Tq < Tk */
                    sdpa_case(&a, dtypes[d], sinks);
                    sdpa_cfg b = {1, 3, 1, 9, 4, 5, 3, 0.5, causal, mask, sinks}; /* MQA, Tq > Tk, Dv != D */
                    sdpa_case(&b, dtypes[d], !sinks);
                }
            }
    /* several query and key blocks, causal cut-offs inside blocks, threads */
    sdpa_cfg big = {1, 4, 2, 130, 600, 64, 32, 0.125, true, 0, false};
    sdpa_case(&big, MX_FLOAT32, true);
    big.causal = false, big.mask = 1;
    sdpa_case(&big, MX_FLOAT32, false);
    big.mask = 2, big.sinks = true;
    sdpa_case(&big, MX_BFLOAT16, true);
    sdpa_cfg longq = {1, 2, 2, 700, 300, 16, 16, 0.25, true, 0, true}; /* Tq > Tk: rows with no key */
    sdpa_case(&longq, MX_FLOAT32, false);
    sdpa_cfg tiny = {1, 1, 1, 1, 1, 1, 1, 1.0, false, 0, false};
    sdpa_case(&tiny, MX_FLOAT32, false);
    sdpa_cfg nokeys = {1, 2, 1, 3, 0, 4, 2, 1.0, true, 0, true};
    sdpa_case(&nokeys, MX_FLOAT32, false);
}

/* Rows whose scores are all -inf give NaN, as MLX's softmax does; a row of
 * hidden keys averages the values; a query with no visible key and a sink
 * gives zeros. */
static void test_sdpa_special_rows(void) {
    double qv[4] = {1, 0, 0, 1}, kv[6] = {1, 0, 0, 1, 1, 1}, vv[6] = {0, 1, 2, 3, 4, 5};
    mx_array q = mx_array_from_data(qv, (const int64_t[]){1, 1, 2, 2}, 4, MX_FLOAT64);
    mx_array k = mx_array_from_data(kv, (const int64_t[]){1, 1, 3, 2}, 4, MX_FLOAT64);
    mx_array v = mx_array_from_data(vv, (const int64_t[]){1, 1, 3, 2}, 4, MX_FLOAT64);
    for (int f = 0; f < 2; f++) {
        mx_dtype dt = f ? MX_FLOAT32 : MX_FLOAT64;
        mx_array qd = mx_astype(q, dt), kd = mx_astype(k, dt), vd = mx_astype(v, dt);
        double add[6] = {0, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
        mx_array m = mx_array_from_data(add, (const int64_t[]){2, 3}, 2, MX_FLOAT64), md = mx_astype(m, dt);
        mx_array o = mx_fast_scaled_dot_product_attention(qd, kd, vd, 1.0, NULL, md, MX_NULL_ARRAY);
        CHECK(close_to(o, (const double[]){0, 1, NAN, NAN}, 0, 1e-6));
        mx_free(o);
        bool keep[6] = {0, 0, 0, 1, 0, 0};
        mx_array mb = mx_array_from_data(keep, (const int64_t[]){2, 3}, 2, MX_BOOL);
        o = mx_fast_scaled_dot_product_attention(qd, kd, vd, 1.0, "", mb, MX_NULL_ARRAY);
        CHECK(close_to(o, (const double[]){2, 3, 0, 1}, 0, 1e-6));
        mx_free(o);
        /* causal with Tq (4) > Tk (3): the first query sees nothing */
        mx_array q4 = mx_concatenate((const mx_array[]){qd, qd}, 2, 2);
        mx_array sink = mx_array_from_data((const double[]){0.5}, (const int64_t[]){1}, 1, MX_FLOAT64);
        mx_array sd = mx_astype(sink, dt);
        o = mx_fast_scaled_dot_product_attention(q4, kd, vd, 1.0, "causal", MX_NULL_ARRAY, MX_NULL_ARRAY);
        double *got = host(o);
        CHECK(got && fabs(got[0] - 2) < 1e-6 && fabs(got[1] - 3) < 1e-6 && fabs(got[2] - 0) < 1e-6);
        free(got);
        mx_free(o);
        o = mx_fast_scaled_dot_product_attention(q4, kd, vd, 1.0, "causal", MX_NULL_ARRAY, sd);
        got = host(o);
        CHECK(got && got[0] == 0 && got[1] == 0 && got[2] == 0 && got[3] > 0);
        free(got);
        mx_free_n((mx_array[]){o, q4, sink, sd, mb, m, md, qd, kd, vd}, 10);
    }
    mx_free_n((mx_array[]){q, k, v}, 3);
}

static void test_sdpa_errors(void) {
    mx_array q = uniform((const int64_t[]){1, 4, 3, 8}, 4, MX_FLOAT32, -1, 1);
    mx_array k = uniform((const int64_t[]){1, 2, 5, 8}, 4, MX_FLOAT32, -1, 1);
    mx_array v = uniform((const int64_t[]){1, 2, 5, 6}, 4, MX_FLOAT32, -1, 1);
    mx_array k3 = uniform((const int64_t[]){1, 3, 5, 8}, 4, MX_FLOAT32, -1, 1);
    mx_array k7 = uniform((const int64_t[]){1, 2, 5, 7}, 4, MX_FLOAT32, -1, 1);
    mx_array v4 = uniform((const int64_t[]){1, 2, 4, 6}, 4, MX_FLOAT32, -1, 1);
    mx_array kb = uniform((const int64_t[]){2, 2, 5, 8}, 4, MX_FLOAT32, -1, 1);
    mx_array q3 = uniform((const int64_t[]){4, 3, 8}, 3, MX_FLOAT32, -1, 1);
    mx_array m5 = mx_zeros((const int64_t[]){1, 1, 1, 3, 5}, 5, MX_FLOAT32);
    mx_array mbad = mx_zeros((const int64_t[]){3, 4}, 2, MX_FLOAT32);
    mx_array m64 = mx_zeros((const int64_t[]){3, 5}, 2, MX_FLOAT64);
    mx_array s2 = mx_zeros((const int64_t[]){2}, 1, MX_FLOAT32);
    mx_array qi = mx_astype(q, MX_INT32), ki = mx_astype(k, MX_INT32), vi = mx_astype(v, MX_INT32);
    mx_array q16 = mx_astype(q, MX_FLOAT16), k16 = mx_astype(k, MX_FLOAT16), v16 = mx_astype(v, MX_FLOAT16);
    mx_array s32 = mx_zeros((const int64_t[]){4}, 1, MX_FLOAT32);
    const char *S = "scaled_dot_product_attention";
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q3, k, v, 1, NULL, MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "(4,3,8)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k3, v, 1, NULL, MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "(1,3,5,8)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k7, v, 1, NULL, MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "(1,2,5,7)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v4, 1, NULL, MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "(1,2,4,6)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, kb, v, 1, NULL, MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "(2,2,5,8)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v, 1, "sliding", MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "sliding"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v, 1, "causal", mbad, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, S));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v, 1, NULL, m5, MX_NULL_ARRAY), MX_ERROR_VALUE,
                         "(1,1,1,3,5)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v, 1, NULL, mbad, MX_NULL_ARRAY), MX_ERROR_VALUE,
                         "(3,4)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v, 1, NULL, m64, MX_NULL_ARRAY), MX_ERROR_VALUE,
                         "float64"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q, k, v, 1, NULL, MX_NULL_ARRAY, s2), MX_ERROR_VALUE,
                         "(2)"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(qi, ki, vi, 1, NULL, MX_NULL_ARRAY, MX_NULL_ARRAY),
                         MX_ERROR_VALUE, "int32"));
    CHECK(error_mentions(mx_fast_scaled_dot_product_attention(q16, k16, v16, 1, NULL, MX_NULL_ARRAY, s32),
                         MX_ERROR_VALUE, "float16"));
    mx_array ok = mx_fast_scaled_dot_product_attention(q16, k, v16, 1, NULL, MX_NULL_ARRAY, s32); /* float32 */
    CHECK_EQ_INT(mx_array_dtype(ok), MX_FLOAT32);
    CHECK_OK(mx_eval1(ok));
    mx_free_n((mx_array[]){ok, q, k, v, k3, k7, v4, kb, q3, m5, mbad, m64, s2, qi, ki, vi, q16, k16, v16, s32}, 20);
}

/* ---- VJP rules: central differences in float64 --------------------------------------------------------------- */

typedef struct fn_cfg {
    int op; /* 0 rms_norm, 1 layer_norm, 2 rope, 3 sdpa */
    int variant;
    double eps;
    rope_cfg rope;
    sdpa_cfg sdpa;
    mx_array fixed_mask; /* sdpa's boolean mask (not an argument: it has no gradient) */
    int n_inputs;
} fn_cfg;

/* The function of the inputs that fn_cfg describes (all differentiable inputs
 * are arguments: x [w] [b]; x [freqs]; q k v [mask] [sinks]). */
static mx_status apply_op(void *payload, const mx_array *in, int n, mx_array_list *out) {
    const fn_cfg *c = payload;
    mx_array y;
    (void)n;
    switch (c->op) {
    case 0: y = mx_fast_rms_norm(in[0], c->n_inputs > 1 ? in[1] : MX_NULL_ARRAY, c->eps); break;
    case 1:
        y = mx_fast_layer_norm(in[0], c->variant & 1 ? in[1] : MX_NULL_ARRAY,
                               c->variant & 2 ? in[(c->variant & 1) + 1] : MX_NULL_ARRAY, c->eps);
        break;
    case 2: {
        const rope_cfg *r = &c->rope;
        int32_t offs[4] = {2, 7, 0, 1};
        mx_array off = mx_array_from_data(offs, (const int64_t[]){r->B}, 1, MX_INT32);
        y = mx_fast_rope_offset(in[0], r->dims, r->traditional, c->n_inputs > 1 ? NAN : r->base, r->scale, off,
                                c->n_inputs > 1 ? in[1] : MX_NULL_ARRAY);
        mx_free(off);
        break;
    }
    default: {
        const sdpa_cfg *s = &c->sdpa;
        int next = 3;
        mx_array mask = s->mask == 2 ? c->fixed_mask : s->mask ? in[next++] : MX_NULL_ARRAY;
        y = mx_fast_scaled_dot_product_attention(in[0], in[1], in[2], s->scale, s->causal ? "causal" : NULL, mask,
                                                 s->sinks ? in[next] : MX_NULL_ARRAY);
    }
    }
    mx_status st = mx_array_status(y);
    if (st != MX_OK) {
        mx_free(y);
        return st;
    }
    return mx_array_list_push(out, y);
}

static bool check_cfg(fn_cfg *c, mx_array *inputs, int n) {
    c->n_inputs = n;
    mx_closure f = mx_closure_new(apply_op, c, NULL);
    bool ok = grad_check(f, inputs, n, 1e-6);
    mx_closure_free(f);
    return ok;
}

static void test_vjp_norms(void) {
    for (int layer = 0; layer < 2; layer++)
        for (int variant = 0; variant < 4; variant++) {
            if (!layer && variant > 1)
                continue;
            fn_cfg c = {.op = layer, .variant = variant, .eps = 1e-3};
            mx_array in[3];
            int n = 0;
            in[n++] = uniform((const int64_t[]){3, 2, 5}, 3, MX_FLOAT64, -2, 2);
            if (variant & 1)
                in[n++] = uniform((const int64_t[]){5}, 1, MX_FLOAT64, -2, 2);
            if (variant & 2)
                in[n++] = uniform((const int64_t[]){5}, 1, MX_FLOAT64, -2, 2);
            if (!layer && variant)
                n = 2;
            CHECK(check_cfg(&c, in, n));
            mx_free_n(in, n);
        }
}

static void test_vjp_rope(void) {
    const double freqs[3] = {0.7, 2.0, 9.0};
    for (int trad = 0; trad < 2; trad++)
        for (int with_freqs = 0; with_freqs < 2; with_freqs++) {
            fn_cfg c = {.op = 2, .rope = {2, 2, 3, 8, 6, trad, 50.0, 0.7, NULL, true}};
            mx_array in[2] = {uniform((const int64_t[]){2, 2, 3, 8}, 4, MX_FLOAT64, -2, 2),
                              mx_array_from_data(freqs, (const int64_t[]){3}, 1, MX_FLOAT64)};
            CHECK(check_cfg(&c, in, with_freqs ? 2 : 1));
            mx_free_n(in, 2);
        }
}

static void test_vjp_sdpa(void) {
    sdpa_cfg cfgs[] = {
        {1, 2, 1, 3, 4, 3, 2, 0.6, false, 0, false}, /* GQA */
        {2, 2, 2, 4, 3, 2, 3, 0.9, true, 0, false},  /* causal, Tq > Tk */
        {1, 2, 1, 2, 4, 3, 2, 0.5, true, 0, true},   /* causal with sinks */
        {1, 2, 2, 3, 3, 2, 2, 0.7, false, 1, true},  /* additive mask and sinks */
        {1, 3, 1, 3, 4, 2, 2, 0.8, false, 2, false}, /* boolean mask */
    };
    for (size_t i = 0; i < sizeof cfgs / sizeof cfgs[0]; i++) {
        const sdpa_cfg *s = &cfgs[i];
        fn_cfg c = {.op = 3, .sdpa = *s};
        mx_array in[5];
        int n = 0;
        in[n++] = uniform((const int64_t[]){s->B, s->Nq, s->Tq, s->D}, 4, MX_FLOAT64, -1.5, 1.5);
        in[n++] = uniform((const int64_t[]){s->B, s->Nkv, s->Tk, s->D}, 4, MX_FLOAT64, -1.5, 1.5);
        in[n++] = uniform((const int64_t[]){s->B, s->Nkv, s->Tk, s->Dv}, 4, MX_FLOAT64, -1.5, 1.5);
        if (s->mask == 1)
            in[n++] = uniform((const int64_t[]){s->B, s->Nq, s->Tq, s->Tk}, 4, MX_FLOAT64, -1, 1);
        bool keep[12] = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0}; /* a row with every key hidden too */
        c.fixed_mask =
            s->mask == 2 ? mx_array_from_data(keep, (const int64_t[]){s->Tq, s->Tk}, 2, MX_BOOL) : MX_NULL_ARRAY;
        if (s->sinks)
            in[n++] = uniform((const int64_t[]){s->Nq}, 1, MX_FLOAT64, -1, 1);
        CHECK(check_cfg(&c, in, n));
        mx_free(c.fixed_mask);
        mx_free_n(in, n);
    }
}

/* The float32 rules agree with the float64 ones (float32 accumulation). */
static void test_vjp_float32(void) {
    fn_cfg cs[3] = {{.op = 0, .eps = 1e-5},
                    {.op = 1, .variant = 3, .eps = 1e-5},
                    {.op = 3, .sdpa = {1, 4, 2, 9, 11, 8, 4, 0.3, true, 0, true}}};
    int counts[3] = {2, 3, 4};
    for (int t = 0; t < 3; t++) {
        mx_array in64[4], in32[4];
        if (cs[t].op < 3) {
            in64[0] = uniform((const int64_t[]){6, 33}, 2, MX_FLOAT64, -2, 2);
            in64[1] = uniform((const int64_t[]){33}, 1, MX_FLOAT64, -2, 2);
            in64[2] = uniform((const int64_t[]){33}, 1, MX_FLOAT64, -2, 2);
        } else {
            in64[0] = uniform((const int64_t[]){1, 4, 9, 8}, 4, MX_FLOAT64, -1, 1);
            in64[1] = uniform((const int64_t[]){1, 2, 11, 8}, 4, MX_FLOAT64, -1, 1);
            in64[2] = uniform((const int64_t[]){1, 2, 11, 4}, 4, MX_FLOAT64, -1, 1);
            in64[3] = uniform((const int64_t[]){4}, 1, MX_FLOAT64, -1, 1);
        }
        int n = counts[t];
        for (int i = 0; i < n; i++)
            in32[i] = mx_astype(in64[i], MX_FLOAT32);
        cs[t].n_inputs = n;
        mx_closure f = mx_closure_new(apply_op, &cs[t], NULL);
        mx_array_list o64 = {0}, g64 = {0}, o32 = {0}, g32 = {0};
        CHECK_OK(mx_closure_apply(f, in64, n, &o64));
        mx_array c64 = uniform(mx_shape(o64.items[0]), mx_ndim(o64.items[0]), MX_FLOAT64, -1, 1);
        mx_array c32 = mx_astype(c64, MX_FLOAT32);
        mx_array_list_clear(&o64);
        CHECK_OK(mx_vjp(f, in64, n, &c64, 1, &o64, &g64));
        CHECK_OK(mx_vjp(f, in32, n, &c32, 1, &o32, &g32));
        for (int i = 0; i < n && i < g32.count && i < g64.count; i++) {
            CHECK_EQ_INT(mx_array_dtype(g32.items[i]), MX_FLOAT32);
            double *ref = host(g64.items[i]);
            CHECK(close_to(g32.items[i], ref, 1e-4, 1e-4));
            free(ref);
        }
        mx_array_list_clear(&o64);
        mx_array_list_clear(&g64);
        mx_array_list_clear(&o32);
        mx_array_list_clear(&g32);
        mx_closure_free(f);
        mx_free_n(in64, n);
        mx_free_n(in32, n);
        mx_free_n((mx_array[]){c64, c32}, 2);
    }
}

/* ---- JVP rules: the rule of the op's node against central differences ------------------------------------------- */

static bool jvp_check(fn_cfg *c, mx_array *inputs, int n) {
    c->n_inputs = n;
    mx_array_list outs = {0};
    if (apply_op(c, inputs, n, &outs) != MX_OK)
        return false;
    mx_node *node = mx_handle_peek(outs.items[0]);
    mx_array tangents[5];
    mx_node *tnodes[5] = {0};
    for (int i = 0; i < n; i++) {
        tangents[i] = uniform(mx_shape(inputs[i]), mx_ndim(inputs[i]), MX_FLOAT64, -1, 1);
        tnodes[i] = mx_handle_peek(tangents[i]);
    }
    /* the node's inputs are the caller's arrays (float64 needs no cast) except
     * rope's offset, which has no tangent */
    mx_node *by_input[6] = {0};
    for (int i = 0, j = 0; i < node->n_inputs; i++) {
        if (c->op == 2 && i == 1)
            continue;
        by_input[i] = tnodes[j++];
    }
    mx_node *tout = NULL;
    bool ok = node->op->jvp(node, by_input, &tout) == MX_OK && tout;
    mx_array t = ok ? mx_handle_wrap(tout) : MX_NULL_ARRAY;
    double *tv = ok ? host(t) : NULL;
    /* (f(x + h t) - f(x - h t)) / 2h */
    const double h = 1e-6;
    mx_array_list side[2] = {{0}, {0}};
    for (int s = 0; ok && s < 2; s++) {
        mx_array moved[5];
        for (int i = 0; i < n; i++) {
            mx_array hs = mx_scalar_f64(s ? -h : h), step = mx_multiply(tangents[i], hs);
            moved[i] = mx_add(inputs[i], step);
            mx_free_n((mx_array[]){hs, step}, 2);
        }
        ok = apply_op(c, moved, n, &side[s]) == MX_OK;
        mx_free_n(moved, n);
    }
    if (ok) {
        double *a = host(side[0].items[0]), *b = host(side[1].items[0]);
        int64_t size = mx_size(outs.items[0]);
        for (int64_t j = 0; j < size; j++) {
            double numeric = (a[j] - b[j]) / (2 * h);
            if (!(fabs(numeric - tv[j]) <= 1e-6 * fmax(1.0, fabs(numeric)))) {
                fprintf(stderr, "  jvp element %lld: rule %.12g, finite differences %.12g\n", (long long)j, tv[j],
                        numeric);
                ok = false;
                break;
            }
        }
        free(a);
        free(b);
    }
    free(tv);
    mx_free(t);
    mx_free_n(tangents, n);
    mx_array_list_clear(&outs);
    mx_array_list_clear(&side[0]);
    mx_array_list_clear(&side[1]);
    return ok;
}

static void test_jvp_rules(void) {
    for (int op = 0; op < 2; op++) {
        fn_cfg c = {.op = op, .variant = 3, .eps = 1e-3};
        mx_array in[3] = {uniform((const int64_t[]){4, 6}, 2, MX_FLOAT64, -2, 2),
                          uniform((const int64_t[]){6}, 1, MX_FLOAT64, -2, 2),
                          uniform((const int64_t[]){6}, 1, MX_FLOAT64, -2, 2)};
        CHECK(jvp_check(&c, in, op ? 3 : 2));
        mx_free_n(in, 3);
    }
    const double freqs[2] = {0.9, 4.0};
    for (int trad = 0; trad < 2; trad++) {
        fn_cfg c = {.op = 2, .rope = {2, 1, 3, 6, 4, trad, 10.0, 1.0, NULL, true}};
        mx_array in[2] = {uniform((const int64_t[]){2, 1, 3, 6}, 4, MX_FLOAT64, -2, 2),
                          mx_array_from_data(freqs, (const int64_t[]){2}, 1, MX_FLOAT64)};
        CHECK(jvp_check(&c, in, 2));
        CHECK(jvp_check(&c, in, 1));
        mx_free_n(in, 2);
    }
    sdpa_cfg s = {1, 2, 1, 3, 4, 3, 2, 0.6, false, 1, true};
    fn_cfg c = {.op = 3, .sdpa = s};
    mx_array in[5] = {uniform((const int64_t[]){1, 2, 3, 3}, 4, MX_FLOAT64, -1, 1),
                      uniform((const int64_t[]){1, 1, 4, 3}, 4, MX_FLOAT64, -1, 1),
                      uniform((const int64_t[]){1, 1, 4, 2}, 4, MX_FLOAT64, -1, 1),
                      uniform((const int64_t[]){1, 2, 3, 4}, 4, MX_FLOAT64, -1, 1),
                      uniform((const int64_t[]){2}, 1, MX_FLOAT64, -1, 1)};
    CHECK(jvp_check(&c, in, 5));
    c.sdpa = (sdpa_cfg){1, 2, 1, 3, 4, 3, 2, 0.6, true, 0, false};
    CHECK(jvp_check(&c, in, 3));
    mx_free_n(in, 5);
}

/* ---- vmap: the mapped function against a loop over the examples ------------------------------------------------- */

/* Example b of x along axis (a take of one index, the axis dropped). */
static mx_array example_of(mx_array x, int axis, int64_t b) {
    mx_array idx = mx_scalar_i32((int32_t)b);
    mx_array e = mx_take(x, idx, axis);
    mx_free(idx);
    return e;
}

static bool vmap_check(fn_cfg *c, mx_array *inputs, int n, const int *in_axes) {
    c->n_inputs = n;
    mx_closure f = mx_closure_new(apply_op, c, NULL);
    mx_closure vf = mx_vmap(f, in_axes, n, NULL, 0);
    mx_array_list outs = {0};
    bool ok = vf && mx_closure_apply(vf, inputs, n, &outs) == MX_OK && outs.count == 1;
    int64_t batch = 0;
    for (int i = 0; i < n; i++)
        if (in_axes[i] >= 0)
            batch = mx_dim(inputs[i], in_axes[i]);
    for (int64_t b = 0; ok && b < batch; b++) {
        mx_array ex[5];
        for (int i = 0; i < n; i++)
            ex[i] = in_axes[i] >= 0 ? example_of(inputs[i], in_axes[i], b) : mx_retain(inputs[i]);
        mx_array_list one = {0};
        ok = apply_op(c, ex, n, &one) == MX_OK;
        if (ok) {
            mx_array got = example_of(outs.items[0], 0, b);
            double *ref = host(one.items[0]);
            ok = close_to(got, ref, 1e-6, 1e-6);
            free(ref);
            mx_free(got);
        }
        mx_array_list_clear(&one);
        mx_free_n(ex, n);
    }
    if (!ok)
        fprintf(stderr, "  vmap_check failed (%s)\n", mx_last_error());
    mx_array_list_clear(&outs);
    mx_closure_free(vf);
    mx_closure_free(f);
    return ok;
}

static void test_vmap(void) {
    /* norms: x mapped on a leading axis (one fused call), on the last axis, and a mapped weight */
    for (int op = 0; op < 2; op++) {
        fn_cfg c = {.op = op, .variant = 3, .eps = 1e-5};
        mx_array in[3] = {uniform((const int64_t[]){3, 4, 6}, 3, MX_FLOAT32, -2, 2),
                          uniform((const int64_t[]){6}, 1, MX_FLOAT32, -2, 2),
                          uniform((const int64_t[]){6}, 1, MX_FLOAT32, -2, 2)};
        int n = op ? 3 : 2;
        CHECK(vmap_check(&c, in, n, (const int[]){1, -1, -1}));
        mx_array xl = uniform((const int64_t[]){3, 6, 4}, 3, MX_FLOAT32, -2, 2); /* mapped over its last axis */
        mx_array inl[3] = {xl, in[1], in[2]};
        CHECK(vmap_check(&c, inl, n, (const int[]){2, -1, -1}));
        mx_free(xl);
        mx_array wb = uniform((const int64_t[]){4, 6}, 2, MX_FLOAT32, -2, 2);
        mx_array in2[3] = {in[0], wb, in[2]};
        CHECK(vmap_check(&c, in2, n, (const int[]){1, 0, -1}));
        mx_free(wb);
        mx_free_n(in, 3);
    }
    /* rope with per-example offsets (B = 2): mapped over axis 0 and 1 of a (2, 2, 3, 5, 8) batch */
    fn_cfg r = {.op = 2, .rope = {2, 3, 5, 8, 6, false, 100.0, 1.0, NULL, true}};
    mx_array x = uniform((const int64_t[]){2, 2, 3, 5, 8}, 5, MX_FLOAT32, -2, 2);
    r.rope.B = 2;
    CHECK(vmap_check(&r, &x, 1, (const int[]){0}));
    CHECK(vmap_check(&r, &x, 1, (const int[]){1}));
    CHECK(vmap_check(&r, &x, 1, (const int[]){3})); /* the sequence axis: example by example */
    mx_free(x);
    /* attention: q mapped, k and v shared; and everything mapped on different axes */
    fn_cfg a = {.op = 3, .sdpa = {1, 2, 1, 3, 4, 4, 2, 0.5, true, 0, false}};
    mx_array q = uniform((const int64_t[]){3, 1, 2, 3, 4}, 5, MX_FLOAT32, -1, 1);
    mx_array k = uniform((const int64_t[]){1, 1, 4, 4}, 4, MX_FLOAT32, -1, 1);
    mx_array v = uniform((const int64_t[]){1, 1, 4, 2}, 4, MX_FLOAT32, -1, 1);
    CHECK(vmap_check(&a, (mx_array[]){q, k, v}, 3, (const int[]){0, -1, -1}));
    mx_array k2 = uniform((const int64_t[]){1, 1, 4, 3, 4}, 5, MX_FLOAT32, -1, 1);
    CHECK(vmap_check(&a, (mx_array[]){q, k2, v}, 3, (const int[]){0, 3, -1}));
    mx_free_n((mx_array[]){q, k, v, k2}, 4);
}

/* mx_jvp through the op (the engine calls the rule) against the rule's finite differences above. */
static void test_jvp_engine(void) {
    fn_cfg c = {.op = 1, .variant = 3, .eps = 1e-3};
    mx_array in[3] = {uniform((const int64_t[]){4, 6}, 2, MX_FLOAT64, -2, 2),
                      uniform((const int64_t[]){6}, 1, MX_FLOAT64, -2, 2),
                      uniform((const int64_t[]){6}, 1, MX_FLOAT64, -2, 2)};
    mx_array t[3] = {uniform((const int64_t[]){4, 6}, 2, MX_FLOAT64, -1, 1),
                     uniform((const int64_t[]){6}, 1, MX_FLOAT64, -1, 1),
                     uniform((const int64_t[]){6}, 1, MX_FLOAT64, -1, 1)};
    c.n_inputs = 3;
    mx_closure f = mx_closure_new(apply_op, &c, NULL);
    mx_array_list outs = {0}, jvps = {0}, plus = {0}, minus = {0};
    CHECK_OK(mx_jvp(f, in, 3, t, 3, &outs, &jvps));
    const double h = 1e-6;
    mx_array moved[2][3];
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 3; i++) {
            mx_array hs = mx_scalar_f64(s ? -h : h), step = mx_multiply(t[i], hs);
            moved[s][i] = mx_add(in[i], step);
            mx_free_n((mx_array[]){hs, step}, 2);
        }
    CHECK_OK(mx_closure_apply(f, moved[0], 3, &plus));
    CHECK_OK(mx_closure_apply(f, moved[1], 3, &minus));
    if (jvps.count == 1 && plus.count == 1 && minus.count == 1) {
        double *a = host(plus.items[0]), *b = host(minus.items[0]);
        for (int64_t j = 0; j < 24; j++)
            a[j] = (a[j] - b[j]) / (2 * h);
        CHECK(close_to(jvps.items[0], a, 1e-6, 1e-6));
        free(a);
        free(b);
    }
    mx_array_list_clear(&outs);
    mx_array_list_clear(&jvps);
    mx_array_list_clear(&plus);
    mx_array_list_clear(&minus);
    mx_free_n(moved[0], 3);
    mx_free_n(moved[1], 3);
    mx_free_n(in, 3);
    mx_free_n(t, 3);
    mx_closure_free(f);
}

int main(void) {
    RUN(test_norm_values);
    RUN(test_norm_dtypes);
    RUN(test_norm_errors);
    RUN(test_rope_values);
    RUN(test_rope_shapes_and_errors);
    RUN(test_sdpa_values);
    RUN(test_sdpa_special_rows);
    RUN(test_sdpa_errors);
    RUN(test_vjp_norms);
    RUN(test_vjp_rope);
    RUN(test_vjp_sdpa);
    RUN(test_vjp_float32);
    RUN(test_jvp_rules);
    RUN(test_vmap);
    RUN(test_jvp_engine);
    return CHECK_SUMMARY();
}
