/* tests/c/test_reduce.c - reductions (sum prod max min all any mean var std
 * logsumexp argmax argmin) and softmax: every op x every dtype MLX allows
 * against MLX 0.32's values (the table at the end), contiguous and strided
 * inputs (transposed, sliced, reversed), axes in every form, keepdims, empty
 * and 0-d arrays, NaN/inf, integer wrap-around, errors, and large inputs that
 * take the multithreaded paths against float64 references. */
#include <complex.h>
#include <stdlib.h>

#include "check.h"
#include "ops/ops.h"

/* ---- the MLX reference table -------------------------------------------------------------- */

/* One op call on a view of make_input(in) and MLX's result. mode: 0 = all
 * axes (mx_sum, mx_argmax flattened, mx_softmax), 1 = one axis (_axis),
 * 2 = a list (_axes). param: ddof for var/std, precise for softmax. */
typedef struct ref_case {
    const char *op;
    mx_dtype in;
    int view, mode;
    int axes[3];
    int naxes;
    int keepdims, param;
    mx_dtype out;
    int ndim;
    int64_t shape[3];
    int n;
    double values[48]; /* complex64: (re, im) pairs */
} ref_case;

static const ref_case *ref_cases(size_t *count);

/* The (2,3,4) input of each dtype, as the generator built it in MLX. */
static mx_array make_input(mx_dtype dtype) {
    double v[24];
    float z[48];
    for (int i = 0; i < 24; i++) {
        int a = (i * 7) % 11;
        if (dtype == MX_BOOL)
            v[i] = a % 3 == 0;
        else if (dtype == MX_UINT8 || dtype == MX_UINT16 || dtype == MX_UINT32 || dtype == MX_UINT64)
            v[i] = a;
        else if (mx_dtype_is_integer(dtype))
            v[i] = a - 4;
        else
            v[i] = a * 0.5 - 2.0;
        z[2 * i] = (float)(a * 0.5 - 2.0);
        z[2 * i + 1] = (float)((i * 5) % 7 - 3);
    }
    if (dtype == MX_COMPLEX64)
        return mx_array_from_data(z, SHAPE(2, 3, 4), MX_COMPLEX64);
    mx_array d = mx_array_from_data(v, SHAPE(2, 3, 4), MX_FLOAT64);
    mx_array x = mx_astype(d, dtype);
    mx_free(d);
    return x;
}

/* 0: as is; 1: transposed (4,3,2); 2: x[:, ::2, 1:]; 3: x[::-1, :, ::-2]. */
static mx_array make_view(mx_array x, int view) {
    switch (view) {
    case 1: return mx_transpose(x, NULL, 0);
    case 2: return mx_slice(x, (int64_t[]){0, 0, 1}, (int64_t[]){2, 3, 4}, (int64_t[]){1, 2, 1}, 3);
    case 3: return mx_slice(x, (int64_t[]){1, 0, 3}, (int64_t[]){-1000, 3, -1000}, (int64_t[]){-1, 1, -2}, 3);
    default: return mx_retain(x);
    }
}

typedef mx_array (*reduce_all_fn)(mx_array, bool);
typedef mx_array (*reduce_axis_fn)(mx_array, int, bool);
typedef mx_array (*reduce_axes_fn)(mx_array, const int *, int, bool);

static const struct {
    const char *name;
    reduce_all_fn all;
    reduce_axis_fn axis;
    reduce_axes_fn axes;
} k_plain_ops[] = {
    {"sum", mx_sum, mx_sum_axis, mx_sum_axes},     {"prod", mx_prod, mx_prod_axis, mx_prod_axes},
    {"max", mx_max, mx_max_axis, mx_max_axes},     {"min", mx_min, mx_min_axis, mx_min_axes},
    {"all", mx_all, mx_all_axis, mx_all_axes},     {"any", mx_any, mx_any_axis, mx_any_axes},
    {"mean", mx_mean, mx_mean_axis, mx_mean_axes}, {"logsumexp", mx_logsumexp, mx_logsumexp_axis, mx_logsumexp_axes},
};

static mx_array run_case(const ref_case *c, mx_array x) {
    bool k = c->keepdims != 0;
    for (size_t i = 0; i < sizeof k_plain_ops / sizeof k_plain_ops[0]; i++) {
        if (strcmp(c->op, k_plain_ops[i].name) != 0)
            continue;
        if (c->mode == 0)
            return k_plain_ops[i].all(x, k);
        if (c->mode == 1)
            return k_plain_ops[i].axis(x, c->axes[0], k);
        return k_plain_ops[i].axes(x, c->axes, c->naxes, k);
    }
    bool is_std = strcmp(c->op, "std") == 0;
    if (is_std || strcmp(c->op, "var") == 0) {
        if (c->mode == 0)
            return is_std ? mx_std(x, k, c->param) : mx_var(x, k, c->param);
        if (c->mode == 1)
            return is_std ? mx_std_axis(x, c->axes[0], k, c->param) : mx_var_axis(x, c->axes[0], k, c->param);
        return is_std ? mx_std_axes(x, c->axes, c->naxes, k, c->param) : mx_var_axes(x, c->axes, c->naxes, k, c->param);
    }
    bool is_max = strcmp(c->op, "argmax") == 0;
    if (is_max || strcmp(c->op, "argmin") == 0) {
        if (c->mode == 0)
            return is_max ? mx_argmax(x, k) : mx_argmin(x, k);
        return is_max ? mx_argmax_axis(x, c->axes[0], k) : mx_argmin_axis(x, c->axes[0], k);
    }
    if (strcmp(c->op, "softmax") == 0) {
        if (c->mode == 0)
            return mx_softmax(x, c->param != 0);
        if (c->mode == 1)
            return mx_softmax_axis(x, c->axes[0], c->param != 0);
        return mx_softmax_axes(x, c->axes, c->naxes, c->param != 0);
    }
    return MX_NULL_ARRAY;
}

/* Tolerances by result dtype: a few units in the last place of the type
 * (float16 ulp 2^-10, bfloat16 2^-7, float32 2^-23), since cmlx and MLX
 * round intermediate results at different points (float32 accumulation of
 * half types; cmlx's exp differs from MLX's by about 1e-7 relative). */
static void tolerance(mx_dtype t, double *rtol, double *atol) {
    switch (t) {
    case MX_FLOAT16: *rtol = 4e-3, *atol = 1e-3; break;
    case MX_BFLOAT16: *rtol = 2e-2, *atol = 8e-3; break;
    case MX_FLOAT32:
    case MX_COMPLEX64: *rtol = 4e-6, *atol = 1e-6; break;
    case MX_FLOAT64: *rtol = 1e-12, *atol = 1e-12; break;
    default: *rtol = 0, *atol = 0; /* integers and bool: exact */
    }
}

static bool close_enough(double got, double want, double rtol, double atol) {
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    return fabs(got - want) <= atol + rtol * fabs(want);
}

static void test_reference_table(void) {
    size_t count;
    const ref_case *cases = ref_cases(&count);
    int failures = 0;
    for (size_t i = 0; i < count; i++) {
        const ref_case *c = &cases[i];
        mx_array base = make_input(c->in);
        mx_array x = make_view(base, c->view);
        mx_array y = run_case(c, x);
        bool ok = mx_eval1(y) == MX_OK && mx_array_dtype(y) == c->out && mx_ndim(y) == c->ndim &&
                  mx_size(y) * (c->out == MX_COMPLEX64 ? 2 : 1) == c->n;
        for (int d = 0; ok && d < c->ndim; d++)
            ok = mx_shape(y)[d] == c->shape[d];
        double got[48];
        if (ok) {
            if (c->out == MX_COMPLEX64) {
                float z[48];
                ok = mx_copy_to(y, z, sizeof z, MX_COMPLEX64) == MX_OK;
                for (int e = 0; e < c->n; e++)
                    got[e] = z[e];
            } else {
                ok = mx_copy_to(y, got, sizeof got, MX_FLOAT64) == MX_OK;
            }
        }
        double rtol, atol;
        tolerance(c->out, &rtol, &atol);
        if (c->out == MX_FLOAT64 && (strcmp(c->op, "logsumexp") == 0 || strcmp(c->op, "softmax") == 0))
            rtol = 1e-6; /* MLX 0.32 evaluates exp of float64 in float32 precision; cmlx uses libm's exp */
        int bad = -1;
        for (int e = 0; ok && e < c->n; e++) {
            if (!close_enough(got[e], c->values[e], rtol, atol)) {
                ok = false;
                bad = e;
            }
        }
        if (!ok) {
            failures++;
            fprintf(stderr, "  case %zu: %s(%s, view %d, mode %d, axes[%d]={%d,%d}, keepdims %d, param %d)", i, c->op,
                    mx_dtype_name(c->in), c->view, c->mode, c->naxes, c->axes[0], c->axes[1], c->keepdims, c->param);
            if (bad >= 0)
                fprintf(stderr, ": element %d is %.9g, MLX %.9g\n", bad, got[bad], c->values[bad]);
            else
                fprintf(stderr, ": status %s dtype %s ndim %d [%s]\n", mx_status_name(mx_array_status(y)),
                        mx_dtype_name(mx_array_dtype(y)), mx_ndim(y), mx_last_error());
        }
        mx_free_n((mx_array[]){base, x, y}, 3);
    }
    CHECK_EQ_INT(failures, 0);
    CHECK(count > 1000);
}

/* ---- helpers for the hand-written tests --------------------------------------------------- */

static mx_array from_f32(const float *v, const int64_t *shape, int ndim) {
    return mx_array_from_data(v, shape, ndim, MX_FLOAT32);
}

static double item(mx_array a) {
    double v = NAN;
    mx_item_f64(a, &v);
    return v;
}

static bool error_names(mx_array a, mx_status status, const char *op, const char *text) {
    const char *msg = mx_array_error(a);
    return mx_array_status(a) == status && msg && strstr(msg, op) && (!text || strstr(msg, text));
}

/* Deterministic pseudo-random floats in [-1, 1). */
static float noise(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return (float)((*state >> 8) * (1.0 / 8388608.0)) - 1.0f;
}

/* ---- semantics ------------------------------------------------------------------------------- */

/* MLX 0.32: reducing an empty axis gives the identity; max/min/argmax and
 * logsumexp refuse; softmax returns the empty input as it is. */
static void test_empty_arrays(void) {
    mx_array e = mx_zeros(SHAPE(0, 3), MX_FLOAT32);
    mx_array s = mx_sum(e, false), p = mx_prod(e, false), al = mx_all(e, false), an = mx_any(e, false);
    CHECK(item(s) == 0 && item(p) == 1 && item(al) == 1 && item(an) == 0);
    CHECK_EQ_INT(mx_array_dtype(al), MX_BOOL);
    mx_array s0 = mx_sum_axis(e, 0, false);
    CHECK_EQ_INT(mx_ndim(s0), 1);
    CHECK_EQ_INT(mx_dim(s0, 0), 3);
    const float *ps0 = mx_data_f32(s0);
    CHECK(ps0 && ps0[0] == 0 && ps0[2] == 0);
    mx_array m = mx_mean(e, false), v = mx_var(e, false, 0), sd = mx_std_axis(e, 0, true, 0);
    CHECK(isnan(item(m)) && isnan(item(v)));
    CHECK_EQ_INT(mx_dim(sd, 1), 3);
    const float *psd = mx_data_f32(sd);
    CHECK(psd && isnan(psd[0]));
    mx_array mx1 = mx_max_axis(e, 1, false); /* reduces a non-empty axis: an empty result */
    CHECK(mx_eval1(mx1) == MX_OK && mx_size(mx1) == 0 && mx_dim(mx1, 0) == 0);
    mx_array mx0 = mx_max(e, false), mn0 = mx_min_axis(e, 0, true);
    CHECK(error_names(mx0, MX_ERROR_VALUE, "max", "(0,3)"));
    CHECK(error_names(mn0, MX_ERROR_VALUE, "min", "axis 0"));
    mx_array am = mx_argmax_axis(e, 1, false), amf = mx_argmin(e, false);
    CHECK(error_names(am, MX_ERROR_VALUE, "argmax", "(0,3)"));
    CHECK(error_names(amf, MX_ERROR_VALUE, "argmin", NULL));
    mx_array lse = mx_logsumexp_axis(e, 1, false), lse_bad_axis = mx_logsumexp_axis(e, 7, false);
    CHECK(error_names(lse, MX_ERROR_VALUE, "logsumexp", "empty"));
    CHECK(error_names(lse_bad_axis, MX_ERROR_VALUE, "logsumexp", "empty")); /* size is checked first */
    mx_array ei = mx_zeros(SHAPE(2, 0), MX_INT32);
    mx_array sm = mx_softmax_axis(ei, 5, false); /* MLX returns empty input unchecked */
    CHECK(mx_array_status(sm) == MX_OK && mx_array_dtype(sm) == MX_INT32 && mx_dim(sm, 0) == 2);
    mx_array ui = mx_zeros(SHAPE(0), MX_UINT16);
    mx_array pu = mx_prod(ui, false), mi = mx_mean(ui, false);
    CHECK_EQ_INT(mx_array_dtype(pu), MX_UINT32);
    CHECK(item(pu) == 1 && isnan(item(mi)));
    mx_array eh = mx_zeros(SHAPE(2, 0), MX_FLOAT16);
    mx_array sh = mx_sum_axis(eh, 1, false);
    CHECK(mx_array_dtype(sh) == MX_FLOAT16 && mx_size(sh) == 2);
    double zeros[2] = {1, 1};
    CHECK_OK(mx_copy_to(sh, zeros, sizeof zeros, MX_FLOAT64));
    CHECK(zeros[0] == 0 && zeros[1] == 0);
    mx_free_n((mx_array[]){e,  s,   p,   al,           an, s0, m,  v,  sd, mx1, mx0, mn0,
                           am, amf, lse, lse_bad_axis, ei, sm, ui, pu, mi, eh,  sh},
              23);
}

/* 0-d arrays (MLX 0.32): all axes of a scalar is no axis at all. */
static void test_zero_d(void) {
    mx_array i8 = mx_scalar(5, MX_INT8), f = mx_scalar_f32(3);
    mx_array s = mx_sum(i8, false), p = mx_prod(i8, true), mn = mx_mean(i8, false);
    CHECK(mx_array_dtype(s) == MX_INT8 && mx_array_dtype(p) == MX_INT8 && mx_ndim(s) == 0 && item(s) == 5);
    CHECK(mx_array_dtype(mn) == MX_FLOAT32 && item(mn) == 5);
    mx_array am = mx_argmax(f, false), amk = mx_argmin(f, true);
    CHECK(mx_array_dtype(am) == MX_UINT32 && mx_ndim(am) == 0 && item(am) == 0);
    CHECK(mx_ndim(amk) == 0 && item(amk) == 0);
    mx_array bad_axis = mx_argmax_axis(f, 0, false), bad_sum = mx_sum_axis(f, -1, false);
    CHECK(error_names(bad_axis, MX_ERROR_INDEX, "argmax", "()"));
    CHECK(error_names(bad_sum, MX_ERROR_INDEX, "sum", NULL));
    mx_array v = mx_var(f, false, 0), v1 = mx_var(f, false, 1), sd2 = mx_std(f, false, 2);
    CHECK(item(v) == 0 && isnan(item(v1)) && isnan(item(sd2)));
    mx_array lse = mx_logsumexp(f, false), lse_axis = mx_logsumexp_axis(f, 0, false);
    CHECK(item(lse) == 3);
    CHECK(error_names(lse_axis, MX_ERROR_VALUE, "logsumexp", "0 dimensions"));
    mx_array sm = mx_softmax(f, false), smi = mx_softmax(i8, false), sm_axis = mx_softmax_axis(f, 0, false);
    CHECK(item(sm) == 1 && mx_ndim(sm) == 0 && mx_array_dtype(sm) == MX_FLOAT32);
    CHECK(item(smi) == 1 && mx_array_dtype(smi) == MX_INT8); /* MLX's general path keeps the dtype */
    CHECK(error_names(sm_axis, MX_ERROR_VALUE, "softmax", "0 dimensions"));
    mx_array al = mx_all(f, false);
    CHECK(mx_array_dtype(al) == MX_BOOL && item(al) == 1);
    mx_free_n(
        (mx_array[]){i8, f, s, p, mn, am, amk, bad_axis, bad_sum, v, v1, sd2, lse, lse_axis, sm, smi, sm_axis, al}, 18);
}

/* An empty axes list reduces nothing: sum/prod/max/min return the input
 * (dtype included), all/any cast to bool, mean/var/logsumexp go elementwise. */
static void test_empty_axes_list(void) {
    mx_array x = make_input(MX_INT8);
    mx_array s = mx_sum_axes(x, NULL, 0, false), mx = mx_max_axes(x, NULL, 0, true);
    CHECK(mx_array_dtype(s) == MX_INT8 && mx_ndim(s) == 3 && mx_dim(s, 2) == 4);
    CHECK(mx_array_dtype(mx) == MX_INT8);
    mx_array a = mx_any_axes(x, NULL, 0, false), m = mx_mean_axes(x, NULL, 0, false);
    CHECK(mx_array_dtype(a) == MX_BOOL && mx_array_dtype(m) == MX_FLOAT32 && mx_ndim(m) == 3);
    double vm[24], vx[24];
    CHECK_OK(mx_copy_to(m, vm, sizeof vm, MX_FLOAT64));
    CHECK_OK(mx_copy_to(x, vx, sizeof vx, MX_FLOAT64));
    CHECK(memcmp(vm, vx, sizeof vm) == 0);
    mx_array v1 = mx_var_axes(x, NULL, 0, false, 1); /* 0 / max(1 - 1, 0) */
    const float *pv = mx_data_f32(v1);
    CHECK(pv && isnan(pv[0]) && isnan(pv[23]));
    float fv[3] = {1, INFINITY, -INFINITY};
    mx_array f = from_f32(fv, SHAPE(3));
    mx_array l = mx_logsumexp_axes(f, NULL, 0, false);
    const float *pl = mx_data_f32(l);
    CHECK(pl && pl[0] == 1 && pl[1] == INFINITY && pl[2] == -INFINITY);
    mx_free_n((mx_array[]){x, s, mx, a, m, v1, f, l}, 8);
}

static void test_keepdims_shapes(void) {
    mx_array x = mx_zeros(SHAPE(2, 3, 4, 5), MX_FLOAT32);
    mx_array k = mx_sum_axes(x, (int[]){-1, 1}, 2, true), n = mx_sum_axes(x, (int[]){3, 1}, 2, false);
    CHECK(mx_ndim(k) == 4 && mx_dim(k, 0) == 2 && mx_dim(k, 1) == 1 && mx_dim(k, 2) == 4 && mx_dim(k, 3) == 1);
    CHECK(mx_ndim(n) == 2 && mx_dim(n, 0) == 2 && mx_dim(n, 1) == 4);
    mx_array am = mx_argmax(x, true), an = mx_argmin_axis(x, 2, true);
    CHECK(mx_ndim(am) == 4 && mx_dim(am, 3) == 1 && mx_size(am) == 1);
    CHECK(mx_ndim(an) == 4 && mx_dim(an, 2) == 1 && mx_dim(an, 3) == 5);
    mx_free_n((mx_array[]){x, k, n, am, an}, 5);
}

/* NaN propagates through max/min on every path (row, column, all); argmax
 * takes the first NaN; all/any treat NaN as true and -0.0 as false. */
static void test_nan_and_inf(void) {
    float v[8] = {1, NAN, 3, 2, 5, 4, -1, 0};
    mx_array x = from_f32(v, SHAPE(2, 4));
    mx_array r = mx_max_axis(x, 1, false), c = mx_min_axis(x, 0, false), a = mx_max(x, false);
    const float *pr = mx_data_f32(r), *pc = mx_data_f32(c);
    CHECK(pr && isnan(pr[0]) && pr[1] == 5);
    CHECK(pc && pc[0] == 1 && isnan(pc[1]) && pc[2] == -1 && pc[3] == 0);
    CHECK(isnan(item(a)));
    mx_array am = mx_argmax(x, false), amc = mx_argmin_axis(x, 0, false);
    CHECK(item(am) == 1);
    const uint32_t *pa = mx_data_u32(amc);
    CHECK(pa && pa[0] == 0 && pa[1] == 0 && pa[2] == 1 && pa[3] == 1);
    float w[5] = {1, 3, NAN, 3, NAN}; /* MLX 0.32: 2 for both */
    mx_array y = from_f32(w, SHAPE(5));
    mx_array ax = mx_argmax(y, false), an = mx_argmin(y, false);
    CHECK(item(ax) == 2 && item(an) == 2);
    float t[4] = {0.0f, NAN, -0.0f, 0.0f};
    mx_array tt = from_f32(t, SHAPE(2, 2));
    mx_array any = mx_any_axis(tt, 1, false), all = mx_all(tt, false);
    const bool *pany = mx_data_bool(any);
    CHECK(pany && pany[0] && !pany[1]);
    CHECK(item(all) == 0);
    /* logsumexp with infinities (MLX 0.32) */
    float l[10] = {INFINITY, 1, -INFINITY, -INFINITY, INFINITY, -INFINITY, 1, -INFINITY, NAN, INFINITY};
    mx_array lx = from_f32(l, SHAPE(5, 2));
    mx_array lse = mx_logsumexp_axis(lx, 1, false);
    const float *pl = mx_data_f32(lse);
    CHECK(pl && pl[0] == INFINITY && pl[1] == -INFINITY && pl[2] == INFINITY && pl[3] == 1 && isnan(pl[4]));
    /* softmax: inf - inf is NaN (MLX 0.32) */
    float s[6] = {INFINITY, 1, -INFINITY, -INFINITY, -INFINITY, 1};
    mx_array sx = from_f32(s, SHAPE(3, 2));
    mx_array sm = mx_softmax_axis(sx, -1, false);
    const float *ps = mx_data_f32(sm);
    CHECK(ps && isnan(ps[0]) && isnan(ps[1]) && isnan(ps[2]) && isnan(ps[3]) && ps[4] == 0 && ps[5] == 1);
    float z[2] = {0.0f, -0.0f};
    mx_array zx = from_f32(z, SHAPE(2));
    mx_array zmax = mx_max(zx, false), zarg = mx_argmax(zx, false);
    CHECK(item(zmax) == 0 && item(zarg) == 0);
    mx_free_n((mx_array[]){x, r, c, a, am, amc, y, ax, an, tt, any, all, lx, lse, sx, sm, zx, zmax, zarg}, 19);
}

/* Integer sums and products wrap in MLX's accumulator types; mean and var
 * of integers go through that wrapped sum (MLX 0.32 values). */
static void test_integer_wrap(void) {
    int32_t big[2] = {INT32_MAX, INT32_MAX};
    mx_array b = mx_array_from_data(big, SHAPE(2), MX_INT32);
    mx_array s = mx_sum(b, false), m = mx_mean(b, false);
    CHECK(item(s) == -2 && mx_array_dtype(s) == MX_INT32);
    CHECK(item(m) == -1 && mx_array_dtype(m) == MX_FLOAT32);
    int64_t huge[2] = {(int64_t)1 << 62, (int64_t)1 << 62};
    mx_array h = mx_array_from_data(huge, SHAPE(2), MX_INT64);
    mx_array hm = mx_mean(h, false);
    CHECK_CLOSE(item(hm), -4.611686018427388e+18, 1e-7, 0);
    uint8_t u[2] = {200, 200};
    mx_array ux = mx_array_from_data(u, SHAPE(2), MX_UINT8);
    mx_array us = mx_sum(ux, false);
    CHECK(item(us) == 400 && mx_array_dtype(us) == MX_UINT32);
    int8_t p[3] = {100, 100, 100};
    mx_array px = mx_array_from_data(p, SHAPE(3), MX_INT8);
    mx_array pp = mx_prod(px, false);
    CHECK(item(pp) == 1000000 && mx_array_dtype(pp) == MX_INT32);
    uint64_t w[3] = {((uint64_t)1 << 63) + 5, 7, ((uint64_t)1 << 63) + 9};
    mx_array wx = mx_array_from_data(w, SHAPE(3), MX_UINT64);
    mx_array wmax = mx_max(wx, false), wmin = mx_min(wx, false), wsum = mx_sum(wx, false), warg = mx_argmax(wx, false);
    uint64_t got = 0;
    CHECK_OK(mx_copy_to(wmax, &got, sizeof got, MX_UINT64));
    CHECK(got == ((uint64_t)1 << 63) + 9);
    CHECK_OK(mx_copy_to(wmin, &got, sizeof got, MX_UINT64));
    CHECK(got == 7);
    CHECK_OK(mx_copy_to(wsum, &got, sizeof got, MX_UINT64));
    CHECK(got == 21); /* wraps modulo 2^64 */
    CHECK(item(warg) == 2);
    int64_t neg[3] = {INT64_MIN + 1, INT64_MIN, -5};
    mx_array nx = mx_array_from_data(neg, SHAPE(3), MX_INT64);
    mx_array nmin = mx_min(nx, false), nargmin = mx_argmin(nx, false);
    int64_t gi = 0;
    CHECK_OK(mx_copy_to(nmin, &gi, sizeof gi, MX_INT64));
    CHECK(gi == INT64_MIN && item(nargmin) == 1);
    mx_free_n((mx_array[]){b, s, m, h, hm, ux, us, px, pp, wx, wmax, wmin, wsum, warg, nx, nmin, nargmin}, 17);
}

/* float16 sums accumulate in float32 (MLX 0.32: sum of 10000 ones is 10000
 * in float16 and 9984 in bfloat16, the rounding of 10000). */
static void test_half_accumulation(void) {
    mx_array h = mx_ones(SHAPE(10000), MX_FLOAT16), b = mx_ones(SHAPE(10000), MX_BFLOAT16);
    mx_array hs = mx_sum(h, false), bs = mx_sum(b, false), hm = mx_mean(b, false);
    CHECK(item(hs) == 10000 && item(bs) == 9984 && item(hm) == 1);
    mx_free_n((mx_array[]){h, b, hs, bs, hm}, 5);
}

/* MLX 0.32: var with ddof >= n divides by max(n - ddof, 0) = 0. */
static void test_var_ddof(void) {
    float v[3] = {1, 2, 4}, c[3] = {2, 2, 2};
    mx_array x = from_f32(v, SHAPE(3)), y = from_f32(c, SHAPE(3));
    mx_array v3 = mx_var(x, false, 3), v4 = mx_var(x, false, 4), vn = mx_var(x, false, -1), vc = mx_var(y, false, 3);
    mx_array s3 = mx_std(x, false, 3), v2 = mx_var(x, false, 2);
    CHECK(item(v3) == INFINITY && item(v4) == INFINITY && item(s3) == INFINITY);
    CHECK_CLOSE(item(vn), 1.1666666269302368, 1e-7, 0);
    CHECK_CLOSE(item(v2), 4.666666507720947, 1e-7, 0);
    CHECK(isnan(item(vc))); /* 0 / 0 */
    mx_array h = mx_astype(x, MX_FLOAT16);
    mx_array h5 = mx_var(h, false, 5);
    CHECK(item(h5) == INFINITY && mx_array_dtype(h5) == MX_FLOAT16);
    mx_free_n((mx_array[]){x, y, v3, v4, vn, vc, s3, v2, h, h5}, 10);
}

/* MLX's softmax keeps the input dtype off its last-axis path (MLX 0.32). */
static void test_softmax_dtypes(void) {
    int32_t v[4] = {0, 100, 3, 4};
    mx_array x = mx_array_from_data(v, SHAPE(2, 2), MX_INT32);
    mx_array last = mx_softmax_axis(x, 1, false), first = mx_softmax_axis(x, 0, false);
    mx_array row = mx_reshape(x, SHAPE(1, 4));
    mx_array lead1 = mx_softmax_axes(row, (int[]){0, 1}, 2, false);
    CHECK(mx_array_dtype(last) == MX_FLOAT32 && mx_array_dtype(first) == MX_INT32);
    CHECK(mx_array_dtype(lead1) == MX_FLOAT32); /* leading size-1 axes still count as the last-axis path */
    const int32_t *pf = mx_data_i32(first);
    CHECK(pf && pf[0] == 0 && pf[1] == 1 && pf[2] == 0 && pf[3] == 0); /* truncated probabilities */
    mx_free_n((mx_array[]){x, last, first, row, lead1}, 5);
}

static void test_errors(void) {
    mx_array x = make_input(MX_FLOAT32);
    mx_array out_of_range = mx_sum_axis(x, 3, false), negative = mx_mean_axes(x, (int[]){0, -4}, 2, false);
    CHECK(error_names(out_of_range, MX_ERROR_INDEX, "sum", "(2,3,4)"));
    CHECK(error_names(negative, MX_ERROR_INDEX, "mean", "-4"));
    mx_array repeated = mx_max_axes(x, (int[]){1, -2}, 2, false),
             many = mx_var_axes(x, (int[]){0, 1, 2, 0}, 4, false, 0);
    CHECK(error_names(repeated, MX_ERROR_VALUE, "max", "(2,3,4)"));
    CHECK(error_names(many, MX_ERROR_VALUE, "var", NULL));
    mx_array arg_bad = mx_argmin_axis(x, -4, false), sm_bad = mx_softmax_axes(x, (int[]){2, 2}, 2, false);
    CHECK(error_names(arg_bad, MX_ERROR_INDEX, "argmin", NULL));
    CHECK(error_names(sm_bad, MX_ERROR_VALUE, "softmax", NULL));
    mx_array z = make_input(MX_COMPLEX64); /* complex64 has the same axis checks */
    mx_array zv = mx_var_axis(z, 3, false, 0), zs = mx_softmax_axes(z, (int[]){0, 0}, 2, false),
             zl = mx_logsumexp_axis(z, -4, false);
    CHECK(error_names(zv, MX_ERROR_INDEX, "var", "(2,3,4)"));
    CHECK(error_names(zs, MX_ERROR_VALUE, "softmax", NULL));
    CHECK(error_names(zl, MX_ERROR_INDEX, "logsumexp", NULL));
    mx_array null_in = mx_sum(MX_NULL_ARRAY, false);
    CHECK_EQ_INT(mx_array_status(null_in), MX_ERROR_HANDLE);
    mx_array chained = mx_prod(out_of_range, false); /* errors propagate */
    CHECK_EQ_INT(mx_array_status(chained), MX_ERROR_INDEX);
    CHECK(strcmp(mx_array_error(chained), mx_array_error(out_of_range)) == 0);
    mx_array nulls = mx_sum_axes(x, NULL, 2, false);
    CHECK_EQ_INT(mx_array_status(nulls), MX_ERROR_VALUE);
    mx_free_n((mx_array[]){x, out_of_range, negative, repeated, many, arg_bad, sm_bad, z, zv, zs, zl, null_in, chained,
                           nulls},
              14);
}

/* The node-level entry autograd and nn use: keepdims shape, then reshape. */
static void test_node_level(void) {
    mx_array x = make_input(MX_FLOAT32);
    mx_node *n = mx_handle_peek(x);
    mx_node *k = mx_node_reduce(&mx_op_sum, n, (int[]){-1}, 1, true);
    CHECK(k && k->ndim == 3 && k->shape[2] == 1 && k->op == &mx_op_sum);
    mx_node *a = mx_node_reduce(&mx_op_argmax, n, (int[]){1}, 1, false);
    CHECK(a && a->ndim == 2 && a->dtype == MX_UINT32);
    mx_node *v = mx_node_var(n, (int[]){0, 2}, 2, false, 1, true);
    CHECK(v && v->ndim == 1 && v->shape[0] == 3);
    mx_node *s = mx_node_softmax(n, (int[]){0}, 1, false);
    CHECK(s && s->ndim == 3 && s->shape[0] == 2);
    mx_node *bad = mx_node_reduce(&mx_op_add, n, NULL, 0, false);
    CHECK(!bad && mx_last_status() == MX_ERROR_INTERNAL);
    mx_array hv = mx_handle_wrap(v), hs = mx_handle_wrap(s), hk = mx_handle_wrap(k), ha = mx_handle_wrap(a);
    const float *pv = mx_data_f32(hv); /* std over axes (0, 2) with ddof 1 of the table's input */
    mx_array ref = mx_std_axes(x, (int[]){0, 2}, 2, false, 1);
    const float *pr = mx_data_f32(ref);
    CHECK(pv && pr && pv[0] == pr[0] && pv[2] == pr[2]);
    CHECK_OK(mx_eval1(hs));
    mx_free_n((mx_array[]){x, hv, hs, hk, ha, ref}, 6);
}

/* ---- large inputs: the threaded row, column and split paths ----------------------------------- */

#define ROWS 700
#define COLS 513

static void test_large_sum_paths(void) {
    float *v = malloc(sizeof(float) * ROWS * COLS);
    double *col = calloc(COLS, sizeof(double)), *row = calloc(ROWS, sizeof(double)), total = 0;
    CHECK(v && col && row);
    if (!v || !col || !row)
        return;
    uint32_t state = 1;
    for (int i = 0; i < ROWS; i++)
        for (int j = 0; j < COLS; j++) {
            float f = noise(&state) + 0.25f;
            v[i * COLS + j] = f;
            col[j] += f;
            row[i] += f;
            total += f;
        }
    mx_array x = from_f32(v, SHAPE(ROWS, COLS));
    mx_array t = mx_transpose(x, NULL, 0);
    mx_array s_all = mx_sum(x, false), s_row = mx_sum_axis(x, 1, false), s_col = mx_sum_axis(x, 0, false);
    mx_array t_all = mx_sum(t, false), t_row = mx_sum_axis(t, 1, false), t_col = mx_sum_axis(t, 0, false);
    mx_array m_col = mx_mean_axis(x, 0, false);
    CHECK_CLOSE(item(s_all), total, 1e-6, 1e-3);
    CHECK_CLOSE(item(t_all), total, 1e-6, 1e-3);
    const float *pr = mx_data_f32(s_row), *pc = mx_data_f32(s_col), *ptr = mx_data_f32(t_row),
                *ptc = mx_data_f32(t_col), *pm = mx_data_f32(m_col);
    CHECK(pr && pc && ptr && ptc && pm);
    if (pr && pc && ptr && ptc && pm) {
        int bad = 0;
        for (int i = 0; i < ROWS; i++)
            bad +=
                fabs(pr[i] - row[i]) > 1e-6 * fabs(row[i]) + 1e-4 || fabs(ptc[i] - row[i]) > 1e-6 * fabs(row[i]) + 1e-4;
        for (int j = 0; j < COLS; j++)
            bad += fabs(pc[j] - col[j]) > 1e-6 * fabs(col[j]) + 1e-4 ||
                   fabs(ptr[j] - col[j]) > 1e-6 * fabs(col[j]) + 1e-4 || fabs(pm[j] - col[j] / ROWS) > 1e-6;
        CHECK_EQ_INT(bad, 0);
    }
    /* a slice whose rows cannot merge: threads split the reduction mid-row */
    mx_array sl = mx_slice(x, (int64_t[]){0, 7}, (int64_t[]){ROWS, COLS - 6}, NULL, 2);
    mx_array sl_sum = mx_sum(sl, false), sl_max = mx_max(sl, false);
    double sl_total = 0, sl_best = -INFINITY;
    for (int i = 0; i < ROWS; i++)
        for (int j = 7; j < COLS - 6; j++) {
            sl_total += v[i * COLS + j];
            sl_best = fmax(sl_best, v[i * COLS + j]);
        }
    CHECK_CLOSE(item(sl_sum), sl_total, 1e-6, 1e-3);
    CHECK(item(sl_max) == sl_best);
    mx_free_n((mx_array[]){x, t, s_all, s_row, s_col, t_all, t_row, t_col, m_col, sl, sl_sum, sl_max}, 12);
    free(v);
    free(col);
    free(row);
}

/* argmax/argmin keep the first occurrence across threads' slices. */
static void test_large_arg_paths(void) {
    const int64_t n = 1 << 20;
    float *v = malloc(sizeof(float) * (size_t)n);
    CHECK(v != NULL);
    if (!v)
        return;
    uint32_t state = 7;
    for (int64_t i = 0; i < n; i++)
        v[i] = noise(&state);
    v[300001] = 5.0f; /* the max, twice: the first wins */
    v[900001] = 5.0f;
    v[700003] = -5.0f;
    v[1000] = -5.0f;
    mx_array x = from_f32(v, SHAPE(n));
    mx_array am = mx_argmax(x, false), an = mx_argmin(x, false);
    CHECK(item(am) == 300001 && item(an) == 1000);
    /* (1024, 1024) by columns (vectorised over outputs) and by rows */
    mx_array m = mx_reshape(x, SHAPE(1024, 1024));
    mx_array by_col = mx_argmax_axis(m, 0, false), by_row = mx_argmin_axis(m, 1, false);
    const uint32_t *pc = mx_data_u32(by_col), *pr = mx_data_u32(by_row);
    CHECK(pc && pr);
    if (pc && pr) {
        int bad = 0;
        for (int j = 0; j < 1024; j++) {
            int best = 0;
            for (int i = 1; i < 1024; i++)
                if (v[i * 1024 + j] > v[best * 1024 + j])
                    best = i;
            bad += (int)pc[j] != best;
        }
        for (int i = 0; i < 1024; i++) {
            int best = 0;
            for (int j = 1; j < 1024; j++)
                if (v[i * 1024 + j] < v[i * 1024 + best])
                    best = j;
            bad += (int)pr[i] != best;
        }
        CHECK_EQ_INT(bad, 0);
    }
    v[500000] = NAN; /* a NaN anywhere wins */
    mx_array xn = from_f32(v, SHAPE(n));
    mx_array amn = mx_argmax(xn, false), mxn = mx_max(xn, false);
    CHECK(item(amn) == 500000 && isnan(item(mxn)));
    mx_free_n((mx_array[]){x, am, an, m, by_col, by_row, xn, amn, mxn}, 9);
    free(v);
}

/* var/std of data far from zero (a one-pass formula would cancel), over
 * rows, columns and all; logsumexp and softmax over rows and columns. */
static void test_large_two_pass(void) {
    float *v = malloc(sizeof(float) * ROWS * COLS);
    double *ref_col = calloc(COLS, sizeof(double)), *mean_col = calloc(COLS, sizeof(double));
    CHECK(v && ref_col && mean_col);
    if (!v || !ref_col || !mean_col)
        return;
    uint32_t state = 3;
    double mean = 0, var = 0;
    for (int i = 0; i < ROWS * COLS; i++) {
        v[i] = 1000.0f + noise(&state);
        mean += v[i];
        mean_col[i % COLS] += v[i];
    }
    mean /= ROWS * COLS;
    for (int j = 0; j < COLS; j++)
        mean_col[j] /= ROWS;
    for (int i = 0; i < ROWS * COLS; i++) {
        var += (v[i] - mean) * (v[i] - mean);
        ref_col[i % COLS] += (v[i] - mean_col[i % COLS]) * (v[i] - mean_col[i % COLS]);
    }
    mx_array x = from_f32(v, SHAPE(ROWS, COLS));
    mx_array va = mx_var(x, false, 0), sc = mx_std_axis(x, 0, false, 1);
    CHECK_CLOSE(item(va), var / (ROWS * COLS), 1e-4, 0);
    const float *psc = mx_data_f32(sc);
    CHECK(psc != NULL);
    if (psc) {
        int bad = 0;
        for (int j = 0; j < COLS; j++)
            bad += fabs(psc[j] - sqrt(ref_col[j] / (ROWS - 1))) > 1e-4 * sqrt(ref_col[j] / (ROWS - 1));
        CHECK_EQ_INT(bad, 0);
    }
    /* logsumexp and softmax of 10 * noise: rows (axis 1) and columns (axis 0) */
    for (int i = 0; i < ROWS * COLS; i++)
        v[i] = (v[i] - 1000.0f) * 10.0f;
    mx_array y = from_f32(v, SHAPE(ROWS, COLS));
    mx_array lr = mx_logsumexp_axis(y, 1, false), lc = mx_logsumexp_axis(y, 0, true);
    mx_array sr = mx_softmax_axis(y, 1, false), scol = mx_softmax_axis(y, 0, false);
    const float *plr = mx_data_f32(lr), *plc = mx_data_f32(lc), *psr = mx_data_f32(sr), *psc2 = mx_data_f32(scol);
    CHECK(plr && plc && psr && psc2);
    if (plr && plc && psr && psc2) {
        int bad = 0;
        for (int i = 0; i < ROWS; i++) {
            double m = -INFINITY, s = 0;
            for (int j = 0; j < COLS; j++)
                m = fmax(m, v[i * COLS + j]);
            for (int j = 0; j < COLS; j++)
                s += exp(v[i * COLS + j] - m);
            bad += fabs(plr[i] - (log(s) + m)) > 2e-6 * fabs(log(s) + m);
            for (int j = 0; j < COLS; j += 37)
                bad += fabs(psr[i * COLS + j] - exp(v[i * COLS + j] - m) / s) > 3e-6 * exp(v[i * COLS + j] - m) / s;
        }
        for (int j = 0; j < COLS; j++) {
            double m = -INFINITY, s = 0;
            for (int i = 0; i < ROWS; i++)
                m = fmax(m, v[i * COLS + j]);
            for (int i = 0; i < ROWS; i++)
                s += exp(v[i * COLS + j] - m);
            bad += fabs(plc[j] - (log(s) + m)) > 2e-6 * fabs(log(s) + m);
            for (int i = 0; i < ROWS; i += 41)
                bad += fabs(psc2[i * COLS + j] - exp(v[i * COLS + j] - m) / s) > 3e-6 * exp(v[i * COLS + j] - m) / s;
        }
        CHECK_EQ_INT(bad, 0);
    }
    mx_free_n((mx_array[]){x, va, sc, y, lr, lc, sr, scol}, 8);
    free(v);
    free(ref_col);
    free(mean_col);
}

/* softmax over a leading axis (the column kernel: rows adjacent in memory)
 * against the same softmax over a contiguous copy (the row kernel), every
 * float dtype, precise or not, and float32/float64 against a double reference. */
static void test_softmax_columns(void) {
    enum { R = 37, C = 600 };
    static double v[R * C];
    uint32_t state = 11;
    for (int i = 0; i < R * C; i++)
        v[i] = 4.0 * noise(&state);
    mx_dtype dtypes[4] = {MX_FLOAT32, MX_FLOAT64, MX_FLOAT16, MX_BFLOAT16};
    for (int d = 0; d < 4; d++) {
        for (int precise = 0; precise < 2; precise++) {
            mx_array x64 = mx_array_from_data(v, SHAPE(R, C), MX_FLOAT64);
            mx_array x = mx_astype(x64, dtypes[d]);
            mx_array cols = mx_softmax_axis(x, 0, precise);
            mx_array t = mx_transpose(x, NULL, 0);
            mx_array tc = mx_contiguous(t);
            mx_array rows = mx_softmax_axis(tc, 1, precise);
            mx_array back = mx_transpose(rows, NULL, 0);
            double a[R * C], b[R * C];
            CHECK_OK(mx_copy_to(cols, a, sizeof a, MX_FLOAT64));
            CHECK_OK(mx_copy_to(back, b, sizeof b, MX_FLOAT64));
            double rtol, atol;
            tolerance(dtypes[d], &rtol, &atol);
            /* MLX: precise softmax off the last axis computes in float32, float64 included */
            bool f32_math = dtypes[d] == MX_FLOAT32 || precise;
            if (dtypes[d] == MX_FLOAT64 && precise)
                rtol = 2e-6;
            int bad = 0;
            for (int i = 0; i < R * C; i++)
                bad += !close_enough(a[i], b[i], rtol, atol);
            if (dtypes[d] == MX_FLOAT32 || dtypes[d] == MX_FLOAT64) {
                for (int j = 0; j < C; j++) {
                    double m = -INFINITY, s = 0;
                    for (int i = 0; i < R; i++)
                        m = fmax(m, v[i * C + j]);
                    for (int i = 0; i < R; i++)
                        s += exp(v[i * C + j] - m);
                    for (int i = 0; i < R; i++)
                        bad += !close_enough(a[i * C + j], exp(v[i * C + j] - m) / s, f32_math ? 2e-6 : 1e-14, 1e-30);
                }
            }
            CHECK_EQ_INT(mx_array_dtype(cols), dtypes[d]);
            CHECK_EQ_INT(bad, 0);
            mx_free_n((mx_array[]){x64, x, cols, t, tc, rows, back}, 7);
        }
    }
}

/* The vectorised exp behind softmax and logsumexp against libm, over the
 * arguments softmax gives it (x - max <= 0): normal, subnormal and
 * underflowing results. softmax([x, 0]) = e^(x-m) / (e^(x-m) + e^(-m)). */
static void test_exp_accuracy(void) {
    enum { N = 2401 };
    static float v[N];
    for (int i = 0; i < N; i++)
        v[i] = -110.0f + 0.05f * (float)i; /* -110 ... 10 */
    mx_array x = from_f32(v, SHAPE(N, 1)), zeros = mx_zeros(SHAPE(N, 1), MX_FLOAT32);
    mx_array pair = mx_concatenate((mx_array[]){x, zeros}, 2, 1);
    mx_array s = mx_softmax_axis(pair, 1, false);
    const float *ps = mx_data_f32(s);
    CHECK(ps != NULL);
    if (ps) {
        int bad = 0;
        for (int i = 0; i < N; i++) {
            double m = v[i] > 0 ? v[i] : 0, a = exp(v[i] - m), b = exp(-m);
            /* float exp(x - m) is flushed to zero below e^-103.97 (2^-150) */
            double want = (double)(float)(v[i] - m) < -103.972 ? 0.0 : a / (a + b);
            bad += !(fabs(ps[2 * i] - want) <= 4e-7 * want + 2e-45);
        }
        CHECK_EQ_INT(bad, 0);
    }
    mx_free_n((mx_array[]){x, zeros, pair, s}, 4);
}

/* ---- complex64 ------------------------------------------------------------------------------------- */

static mx_array from_c64(const float *pairs, const int64_t *shape, int ndim) {
    return mx_array_from_data(pairs, shape, ndim, MX_COMPLEX64);
}

/* r is complex64 with n values close to want (pairs; NaN matches NaN, inf
 * must be equal). */
static bool c64_values(mx_array r, const float *want, int n) {
    float got[32];
    if (mx_eval1(r) != MX_OK || mx_array_dtype(r) != MX_COMPLEX64 || mx_size(r) != n ||
        mx_copy_to(r, got, sizeof got, MX_COMPLEX64) != MX_OK)
        return false;
    bool ok = true;
    for (int i = 0; i < 2 * n; i++) {
        if (!close_enough(got[i], want[i], 4e-6, 1e-6)) {
            fprintf(stderr, "  [%d].%s: got %.9g, want %.9g\n", i / 2, i % 2 ? "imag" : "real", got[i], want[i]);
            ok = false;
        }
    }
    return ok;
}

/* MLX 0.32's complex max/min reduction: a sequential fold in which an
 * element with a NaN part replaces the accumulator and a larger real part
 * replaces an imaginary NaN; a contiguous run ends with NaN + 0i for a NaN
 * result, a strided reduction does not; the initial value is -inf + 0i
 * (+inf + 0i for min). logsumexp and softmax build on it. */
static void test_complex_nan_and_inf(void) {
    mx_scope scope = mx_scope_begin();
    /* [[nan+1j, 1+1j], [2+0j, 1+nanj], [0j, 0j]] */
    mx_array x = from_c64((const float[]){NAN, 1, 1, 1, 2, 0, 1, NAN, 0, 0, 0, 0}, SHAPE(3, 2));
    CHECK(c64_values(mx_max_axis(x, 0, false), (const float[]){NAN, 1, 1, NAN}, 2));
    CHECK(c64_values(mx_min_axis(x, 0, false), (const float[]){NAN, 1, 0, 0}, 2));
    CHECK(c64_values(mx_max_axis(x, 1, false), (const float[]){NAN, 0, NAN, 0, 0, 0}, 3));
    mx_array xt = mx_transpose(x, NULL, 0); /* strided rows: no NaN + 0i step */
    CHECK(c64_values(mx_max_axis(xt, 1, false), (const float[]){NAN, 1, 1, NAN}, 2));
    mx_array overtaken = from_c64((const float[]){1, NAN, 1, 1, 3, 0}, SHAPE(3));
    CHECK(c64_values(mx_max(overtaken, false), (const float[]){3, 0}, 1));
    mx_array low = from_c64((const float[]){-INFINITY, -5, -INFINITY, -6}, SHAPE(2));
    mx_array high = from_c64((const float[]){INFINITY, 5, INFINITY, 6}, SHAPE(2));
    CHECK(c64_values(mx_max(low, false), (const float[]){-INFINITY, 0}, 1));
    CHECK(c64_values(mx_min(high, false), (const float[]){INFINITY, 0}, 1));
    /* logsumexp: an infinite max is the result; NaNs propagate unless overtaken */
    CHECK(c64_values(mx_logsumexp(from_c64((const float[]){1, NAN, INFINITY, 0}, SHAPE(2)), false),
                     (const float[]){INFINITY, 0}, 1));
    CHECK(c64_values(mx_logsumexp(from_c64((const float[]){NAN, 1, INFINITY, 0}, SHAPE(2)), false),
                     (const float[]){NAN, NAN}, 1));
    CHECK(c64_values(mx_logsumexp(from_c64((const float[]){1, 1, INFINITY, 1}, SHAPE(2)), false),
                     (const float[]){INFINITY, 1}, 1));
    CHECK(c64_values(mx_logsumexp(from_c64((const float[]){1, 1, -INFINITY, 0}, SHAPE(2)), false),
                     (const float[]){1, 1}, 1));
    /* softmax: inf - inf is NaN everywhere; exp(-inf) is 0 */
    CHECK(c64_values(mx_softmax(from_c64((const float[]){1, 1, INFINITY, 0}, SHAPE(2)), false),
                     (const float[]){NAN, NAN, NAN, NAN}, 2));
    CHECK(c64_values(
        mx_softmax(from_c64((const float[]){1, 1, 2, -1, -INFINITY, 0}, SHAPE(3)), false),
        (const float[]){-0.021415380761027336f, 0.4034387171268463f, 1.02141535282135f, -0.4034387171268463f, 0, 0},
        3));
    mx_scope_end(scope);
}

/* var/std of complex64 give float32: the mean of |x - mean|^2 (MLX 0.32). */
static void test_complex_var(void) {
    mx_scope scope = mx_scope_begin();
    /* [[1+2j, 3-1j, 0.5+0.5j], [2+0j, -1+1j, 1-1j]] */
    mx_array a = from_c64((const float[]){1, 2, 3, -1, 0.5f, 0.5f, 2, 0, -1, 1, 1, -1}, SHAPE(2, 3));
    mx_array v = mx_var_axis(a, 0, false, 1), s = mx_std(a, false, 0);
    CHECK_EQ_INT(mx_array_dtype(v), MX_FLOAT32);
    CHECK_EQ_INT(mx_array_dtype(s), MX_FLOAT32);
    const float *pv = mx_data_f32(v);
    CHECK(pv && pv[0] == 2.5f && pv[1] == 10.0f && pv[2] == 1.25f);
    CHECK_CLOSE(item(s), 1.6372402906417847, 4e-6, 0);
    mx_array st = mx_std_axis(mx_transpose(a, NULL, 0), 1, false, 1); /* strided rows */
    const float *pst = mx_data_f32(st);
    CHECK(pst && pst[0] == sqrtf(2.5f) && pst[1] == sqrtf(10.0f) && pst[2] == sqrtf(1.25f));
    /* ddof: n - ddof of 0 divides by 0; 0-d gives 0; an empty axis gives NaN */
    mx_array one = from_c64((const float[]){1, 1}, SHAPE(1));
    mx_array two = from_c64((const float[]){1, 1, 3, 0}, SHAPE(2));
    CHECK(isnan(item(mx_var(one, false, 1))));
    CHECK(item(mx_var(two, false, 3)) == INFINITY);
    CHECK(item(mx_var(from_c64((const float[]){2, 1}, NULL, 0), false, 0)) == 0);
    mx_array empty = mx_var_axis(mx_zeros(SHAPE(0, 3), MX_COMPLEX64), 0, false, 0);
    const float *pe = mx_data_f32(empty);
    CHECK(pe && mx_size(empty) == 3 && isnan(pe[0]) && isnan(pe[1]) && isnan(pe[2]));
    mx_scope_end(scope);
}

/* Large complex inputs take the threaded and column paths: var, logsumexp and
 * softmax against double-precision references. */
static void test_complex_large(void) {
    mx_scope scope = mx_scope_begin();
    enum { R = 64, C = 4099 };
    float *z = malloc(sizeof(float) * 2 * R * C);
    CHECK(z != NULL);
    if (!z) {
        mx_scope_end(scope);
        return;
    }
    uint32_t state = 7;
    for (int i = 0; i < 2 * R * C; i++)
        z[i] = 2 * noise(&state) + (i % 2 ? 0.0f : 0.5f);
    mx_array x = from_c64(z, SHAPE(R, C));
    mx_array var_rows = mx_var_axis(x, 1, false, 0), var_all = mx_var(x, false, 0);
    mx_array var_cols = mx_var_axis(x, 0, false, 0), lse_rows = mx_logsumexp_axis(x, 1, false);
    mx_array lse_all = mx_logsumexp(x, false), sm = mx_softmax_axis(x, 0, false);
    double total_re = 0, total_im = 0;
    for (int i = 0; i < R * C; i++)
        total_re += z[2 * i], total_im += z[2 * i + 1];
    double mean_re = total_re / (R * C), mean_im = total_im / (R * C), sq = 0;
    for (int i = 0; i < R * C; i++)
        sq += (z[2 * i] - mean_re) * (z[2 * i] - mean_re) + (z[2 * i + 1] - mean_im) * (z[2 * i + 1] - mean_im);
    CHECK_CLOSE(item(var_all), sq / (R * C), 1e-5, 0);
    const float *pr = mx_data_f32(var_rows), *pc = mx_data_f32(var_cols);
    float pl[2 * R], cols[2];
    CHECK_OK(mx_copy_to(lse_rows, pl, sizeof pl, MX_COMPLEX64));
    CHECK(pr && pc);
    double complex all_exp = 0;
    for (int i = 0; i < R * C; i++)
        all_exp += cexp(z[2 * i] + I * z[2 * i + 1]);
    float lse_got[2];
    CHECK_OK(mx_copy_to(lse_all, lse_got, sizeof lse_got, MX_COMPLEX64));
    CHECK_CLOSE(lse_got[0], creal(clog(all_exp)), 1e-5, 1e-5);
    CHECK_CLOSE(lse_got[1], cimag(clog(all_exp)), 1e-5, 1e-5);
    for (int r = 0; pr && r < R; r += 21) {
        double sr = 0, si = 0, s2 = 0, er = 0, ei = 0;
        for (int c = 0; c < C; c++)
            sr += z[2 * (r * C + c)], si += z[2 * (r * C + c) + 1];
        sr /= C, si /= C;
        for (int c = 0; c < C; c++) {
            double dr = z[2 * (r * C + c)] - sr, di = z[2 * (r * C + c) + 1] - si;
            s2 += dr * dr + di * di;
            double complex e = cexp(z[2 * (r * C + c)] + I * z[2 * (r * C + c) + 1]);
            er += creal(e), ei += cimag(e);
        }
        CHECK_CLOSE(pr[r], s2 / C, 1e-5, 0);
        double complex l = clog(er + I * ei);
        CHECK_CLOSE(pl[2 * r], creal(l), 1e-5, 1e-5);
        CHECK_CLOSE(pl[2 * r + 1], cimag(l), 1e-5, 1e-5);
    }
    for (int c = 0; pc && c < C; c += 1000) {
        double sr = 0, si = 0, s2 = 0;
        for (int r = 0; r < R; r++)
            sr += z[2 * (r * C + c)], si += z[2 * (r * C + c) + 1];
        sr /= R, si /= R;
        for (int r = 0; r < R; r++) {
            double dr = z[2 * (r * C + c)] - sr, di = z[2 * (r * C + c) + 1] - si;
            s2 += dr * dr + di * di;
        }
        CHECK_CLOSE(pc[c], s2 / R, 1e-5, 0);
    }
    /* softmax over axis 0 of column 5 sums to 1 + 0i */
    mx_array col = mx_sum_axis(sm, 0, false);
    CHECK_OK(mx_copy_to(mx_slice(col, (const int64_t[]){5}, (const int64_t[]){6}, NULL, 1), cols, 8, MX_COMPLEX64));
    CHECK_CLOSE(cols[0], 1.0, 1e-5, 0);
    CHECK_CLOSE(cols[1], 0.0, 0, 1e-5);
    free(z);
    mx_scope_end(scope);
}

int main(void) {
    RUN(test_reference_table);
    RUN(test_empty_arrays);
    RUN(test_zero_d);
    RUN(test_empty_axes_list);
    RUN(test_keepdims_shapes);
    RUN(test_nan_and_inf);
    RUN(test_integer_wrap);
    RUN(test_half_accumulation);
    RUN(test_var_ddof);
    RUN(test_softmax_dtypes);
    RUN(test_errors);
    RUN(test_node_level);
    RUN(test_large_sum_paths);
    RUN(test_large_arg_paths);
    RUN(test_large_two_pass);
    RUN(test_softmax_columns);
    RUN(test_exp_accuracy);
    RUN(test_complex_nan_and_inf);
    RUN(test_complex_var);
    RUN(test_complex_large);
    return CHECK_SUMMARY();
}

/* ---- MLX 0.32 reference values ---------------------------------------------------------- */

/* clang-format off */
/* Generated from MLX 0.32.4 by a script over the inputs of make_input(); do not edit by hand. */
static const ref_case k_ref_cases[] = {
    {"sum", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {9}},
    {"sum", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {2, 0, 2, 1, 0, 2, 1, 1}},
    {"sum", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {2, 2, 1, 2, 1, 1}},
    {"sum", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {4, 3, 2}},
    {"sum", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"sum", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {5, 4}},
    {"sum", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {1, 1, 2, 1}},
    {"sum", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {2, 2}},
    {"sum", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {2, 1, 0, 0, 0, 1}},
    {"sum", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {9}},
    {"sum", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {117}},
    {"sum", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {7, 17, 16, 15, 17, 16, 15, 14}},
    {"sum", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {20, 22, 13, 26, 17, 19}},
    {"sum", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {46, 39, 32}},
    {"sum", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_UINT8, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"sum", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {55, 62}},
    {"sum", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {20, 12, 19, 11}},
    {"sum", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {29, 33}},
    {"sum", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {9, 10, 11, 17, 7, 8}},
    {"sum", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {117}},
    {"sum", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {117}},
    {"sum", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {7, 17, 16, 15, 17, 16, 15, 14}},
    {"sum", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {20, 22, 13, 26, 17, 19}},
    {"sum", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {46, 39, 32}},
    {"sum", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_UINT16, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"sum", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {55, 62}},
    {"sum", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {20, 12, 19, 11}},
    {"sum", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {29, 33}},
    {"sum", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {9, 10, 11, 17, 7, 8}},
    {"sum", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {117}},
    {"sum", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {117}},
    {"sum", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {7, 17, 16, 15, 17, 16, 15, 14}},
    {"sum", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {20, 22, 13, 26, 17, 19}},
    {"sum", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {46, 39, 32}},
    {"sum", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_UINT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"sum", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {55, 62}},
    {"sum", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {20, 12, 19, 11}},
    {"sum", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {29, 33}},
    {"sum", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {9, 10, 11, 17, 7, 8}},
    {"sum", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {117}},
    {"sum", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_UINT64, 0, {0}, 1, {117}},
    {"sum", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_UINT64, 2, {2,4}, 8, {7, 17, 16, 15, 17, 16, 15, 14}},
    {"sum", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_UINT64, 3, {2,3,1}, 6, {20, 22, 13, 26, 17, 19}},
    {"sum", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_UINT64, 1, {3}, 3, {46, 39, 32}},
    {"sum", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_UINT64, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"sum", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_UINT64, 3, {1,1,2}, 2, {55, 62}},
    {"sum", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_UINT64, 2, {2,2}, 4, {20, 12, 19, 11}},
    {"sum", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_UINT64, 1, {2}, 2, {29, 33}},
    {"sum", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_UINT64, 2, {2,3}, 6, {9, 10, 11, 17, 7, 8}},
    {"sum", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_UINT64, 3, {1,1,1}, 1, {117}},
    {"sum", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {21}},
    {"sum", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {-5, 5, 4, 3, 5, 4, 3, 2}},
    {"sum", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {4, 6, -3, 10, 1, 3}},
    {"sum", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {14, 7, 0}},
    {"sum", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_INT8, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"sum", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {7, 14}},
    {"sum", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {8, 0, 7, -1}},
    {"sum", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {5, 9}},
    {"sum", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {1, 2, 3, 9, -1, 0}},
    {"sum", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {21}},
    {"sum", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {21}},
    {"sum", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {-5, 5, 4, 3, 5, 4, 3, 2}},
    {"sum", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {4, 6, -3, 10, 1, 3}},
    {"sum", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {14, 7, 0}},
    {"sum", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_INT16, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"sum", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {7, 14}},
    {"sum", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {8, 0, 7, -1}},
    {"sum", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {5, 9}},
    {"sum", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {1, 2, 3, 9, -1, 0}},
    {"sum", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {21}},
    {"sum", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {21}},
    {"sum", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {-5, 5, 4, 3, 5, 4, 3, 2}},
    {"sum", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {4, 6, -3, 10, 1, 3}},
    {"sum", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {14, 7, 0}},
    {"sum", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_INT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"sum", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {7, 14}},
    {"sum", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {8, 0, 7, -1}},
    {"sum", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {5, 9}},
    {"sum", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {1, 2, 3, 9, -1, 0}},
    {"sum", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {21}},
    {"sum", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_INT64, 0, {0}, 1, {21}},
    {"sum", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_INT64, 2, {2,4}, 8, {-5, 5, 4, 3, 5, 4, 3, 2}},
    {"sum", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_INT64, 3, {2,3,1}, 6, {4, 6, -3, 10, 1, 3}},
    {"sum", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_INT64, 1, {3}, 3, {14, 7, 0}},
    {"sum", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_INT64, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"sum", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_INT64, 3, {1,1,2}, 2, {7, 14}},
    {"sum", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_INT64, 2, {2,2}, 4, {8, 0, 7, -1}},
    {"sum", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_INT64, 1, {2}, 2, {5, 9}},
    {"sum", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_INT64, 2, {2,3}, 6, {1, 2, 3, 9, -1, 0}},
    {"sum", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_INT64, 3, {1,1,1}, 1, {21}},
    {"sum", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {10.5}},
    {"sum", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {-2.5, 2.5, 2, 1.5, 2.5, 2, 1.5, 1}},
    {"sum", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {2, 3, -1.5, 5, 0.5, 1.5}},
    {"sum", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {7, 3.5, 0}},
    {"sum", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"sum", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {3.5, 7}},
    {"sum", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {4, 0, 3.5, -0.5}},
    {"sum", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {2.5, 4.5}},
    {"sum", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"sum", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {10.5}},
    {"sum", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.5}},
    {"sum", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-2.5, 2.5, 2, 1.5, 2.5, 2, 1.5, 1}},
    {"sum", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {2, 3, -1.5, 5, 0.5, 1.5}},
    {"sum", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {7, 3.5, 0}},
    {"sum", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"sum", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.5, 7}},
    {"sum", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {4, 0, 3.5, -0.5}},
    {"sum", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {2.5, 4.5}},
    {"sum", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"sum", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.5}},
    {"sum", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {10.5}},
    {"sum", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {-2.5, 2.5, 2, 1.5, 2.5, 2, 1.5, 1}},
    {"sum", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {2, 3, -1.5, 5, 0.5, 1.5}},
    {"sum", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {7, 3.5, 0}},
    {"sum", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"sum", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {3.5, 7}},
    {"sum", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {4, 0, 3.5, -0.5}},
    {"sum", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {2.5, 4.5}},
    {"sum", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"sum", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {10.5}},
    {"sum", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {10.5}},
    {"sum", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {-2.5, 2.5, 2, 1.5, 2.5, 2, 1.5, 1}},
    {"sum", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {2, 3, -1.5, 5, 0.5, 1.5}},
    {"sum", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {7, 3.5, 0}},
    {"sum", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"sum", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {3.5, 7}},
    {"sum", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {4, 0, 3.5, -0.5}},
    {"sum", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {2.5, 4.5}},
    {"sum", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"sum", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {10.5}},
    {"sum", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 0, {0}, 2, {10.5, -1}},
    {"sum", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_COMPLEX64, 2, {2,4}, 16, {-2.5, 2, 2.5, 3, 2, -3, 1.5, -2, 2.5, 0, 2, -6, 1.5, 2, 1, 3}},
    {"sum", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_COMPLEX64, 3, {2,3,1}, 12, {2, -3, 3, 0, -1.5, 3, 5, -1, 0.5, 2, 1.5, -2}},
    {"sum", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 1, {3}, 6, {7, -4, 3.5, 2, 0, 1}},
    {"sum", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-2, -3, 1.5, 2, -0.5, 0, 3, -2, 1, 3, -1, 1, 2.5, -1, 0.5, -3, -1.5, 2, 2, 0, 0, -2, -2, 3, 1.5, 1, -0.5, -1, 3, -3, 1, 2, -1, 0, 2.5, -2, 0.5, 3, -1.5, 1, 2, -1, 0, -3, -2, 2, 1.5, 0}},
    {"sum", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_COMPLEX64, 3, {1,1,2}, 4, {3.5, 0, 7, -1}},
    {"sum", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_COMPLEX64, 2, {2,2}, 8, {4, 0, 0, 1, 3.5, -2, -0.5, -1}},
    {"sum", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_COMPLEX64, 1, {2}, 4, {2.5, 1, 4.5, -3}},
    {"sum", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 2, {2,3}, 12, {0.5, 1, 1, -1, 1.5, -3, 4.5, 0, -0.5, -2, 0, 3}},
    {"sum", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_COMPLEX64, 3, {1,1,1}, 2, {10.5, -1}},
    {"prod", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {0}},
    {"prod", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"prod", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {0, 0, 0, 0, 0, 0}},
    {"prod", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {0, 0, 0}},
    {"prod", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"prod", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {0, 0, 0, 0}},
    {"prod", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {0, 0}},
    {"prod", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {1, 0, 0, 0, 0, 0}},
    {"prod", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"prod", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 112, 108, 0, 112, 108, 0, 42}},
    {"prod", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 540, 0, 1260, 90, 0}},
    {"prod", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {0, 48600, 0}},
    {"prod", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_UINT8, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"prod", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {210, 0, 180, 0}},
    {"prod", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {0, 12096}},
    {"prod", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {18, 9, 28, 70, 10, 0}},
    {"prod", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"prod", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 112, 108, 0, 112, 108, 0, 42}},
    {"prod", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 540, 0, 1260, 90, 0}},
    {"prod", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {0, 48600, 0}},
    {"prod", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_UINT16, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"prod", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {210, 0, 180, 0}},
    {"prod", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {0, 12096}},
    {"prod", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {18, 9, 28, 70, 10, 0}},
    {"prod", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"prod", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 112, 108, 0, 112, 108, 0, 42}},
    {"prod", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 540, 0, 1260, 90, 0}},
    {"prod", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {0, 48600, 0}},
    {"prod", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_UINT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"prod", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {210, 0, 180, 0}},
    {"prod", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {0, 12096}},
    {"prod", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {18, 9, 28, 70, 10, 0}},
    {"prod", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_UINT64, 0, {0}, 1, {0}},
    {"prod", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_UINT64, 2, {2,4}, 8, {0, 112, 108, 0, 112, 108, 0, 42}},
    {"prod", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_UINT64, 3, {2,3,1}, 6, {0, 540, 0, 1260, 90, 0}},
    {"prod", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_UINT64, 1, {3}, 3, {0, 48600, 0}},
    {"prod", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_UINT64, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"prod", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_UINT64, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_UINT64, 2, {2,2}, 4, {210, 0, 180, 0}},
    {"prod", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_UINT64, 1, {2}, 2, {0, 12096}},
    {"prod", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_UINT64, 2, {2,3}, 6, {18, 9, 28, 70, 10, 0}},
    {"prod", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_UINT64, 3, {1,1,1}, 1, {0}},
    {"prod", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {0}},
    {"prod", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {24, -24, 0, -24, -24, 0, -24, -18}},
    {"prod", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {72, -20, 0, -36, 30, 0}},
    {"prod", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {-2592, -600, 0}},
    {"prod", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_INT8, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"prod", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {-18, 0, -12, 0}},
    {"prod", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {432, 0}},
    {"prod", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {-2, -15, 0, 18, -2, -16}},
    {"prod", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {0}},
    {"prod", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {24, -24, 0, -24, -24, 0, -24, -18}},
    {"prod", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {72, -20, 0, -36, 30, 0}},
    {"prod", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {-2592, -600, 0}},
    {"prod", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_INT16, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"prod", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {-18, 0, -12, 0}},
    {"prod", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {432, 0}},
    {"prod", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {-2, -15, 0, 18, -2, -16}},
    {"prod", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {0}},
    {"prod", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {24, -24, 0, -24, -24, 0, -24, -18}},
    {"prod", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {72, -20, 0, -36, 30, 0}},
    {"prod", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {-2592, -600, 0}},
    {"prod", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_INT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"prod", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {-18, 0, -12, 0}},
    {"prod", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {432, 0}},
    {"prod", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {-2, -15, 0, 18, -2, -16}},
    {"prod", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {0}},
    {"prod", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_INT64, 0, {0}, 1, {0}},
    {"prod", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_INT64, 2, {2,4}, 8, {24, -24, 0, -24, -24, 0, -24, -18}},
    {"prod", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_INT64, 3, {2,3,1}, 6, {72, -20, 0, -36, 30, 0}},
    {"prod", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_INT64, 1, {3}, 3, {-2592, -600, 0}},
    {"prod", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_INT64, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"prod", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_INT64, 3, {1,1,2}, 2, {0, 0}},
    {"prod", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_INT64, 2, {2,2}, 4, {-18, 0, -12, 0}},
    {"prod", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_INT64, 1, {2}, 2, {432, 0}},
    {"prod", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_INT64, 2, {2,3}, 6, {-2, -15, 0, 18, -2, -16}},
    {"prod", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_INT64, 3, {1,1,1}, 1, {0}},
    {"prod", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {-0}},
    {"prod", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {3, -3, -0, -3, -3, -0, -3, -2.25}},
    {"prod", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {4.5, -1.25, 0, -2.25, 1.875, -0}},
    {"prod", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {-10.125, -2.34375, -0}},
    {"prod", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"prod", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {-0, 0}},
    {"prod", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {-2.25, -0, -1.5, -0}},
    {"prod", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {6.75, 0}},
    {"prod", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {-0.5, -3.75, 0, 4.5, -0.5, -4}},
    {"prod", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {-0}},
    {"prod", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {-0}},
    {"prod", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {3, -3, -0, -3, -3, -0, -3, -2.25}},
    {"prod", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {4.5, -1.25, 0, -2.25, 1.875, -0}},
    {"prod", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {-10.125, -2.34375, -0}},
    {"prod", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"prod", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {-0, 0}},
    {"prod", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {-2.25, -0, -1.5, -0}},
    {"prod", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {6.75, 0}},
    {"prod", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {-0.5, -3.75, 0, 4.5, -0.5, -4}},
    {"prod", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {-0}},
    {"prod", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {-0}},
    {"prod", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {3, -3, -0, -3, -3, -0, -3, -2.25}},
    {"prod", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {4.5, -1.25, 0, -2.25, 1.875, -0}},
    {"prod", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {-10.125, -2.34375, -0}},
    {"prod", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"prod", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {-0, 0}},
    {"prod", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {-2.25, -0, -1.5, -0}},
    {"prod", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {6.75, 0}},
    {"prod", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {-0.5, -3.75, 0, 4.5, -0.5, -4}},
    {"prod", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {-0}},
    {"prod", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {-0}},
    {"prod", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {3, -3, -0, -3, -3, -0, -3, -2.25}},
    {"prod", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {4.5, -1.25, 0, -2.25, 1.875, -0}},
    {"prod", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {-10.125, -2.34375, -0}},
    {"prod", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"prod", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {-0, 0}},
    {"prod", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {-2.25, -0, -1.5, -0}},
    {"prod", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {6.75, 0}},
    {"prod", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {-0.5, -3.75, 0, 4.5, -0.5, -4}},
    {"prod", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {-0}},
    {"prod", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 0, {0}, 2, {110795344, -172458224}},
    {"prod", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_COMPLEX64, 2, {2,4}, 16, {7.5, 27.5, -7, -1, 1, 2.5, 39, 6.5, -4, -0.5, -4.5, 9.75, -36, 6, -5.25, -3}},
    {"prod", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_COMPLEX64, 3, {2,3,1}, 12, {4, 15.75, -9, 35.5, -34, 12, 8.25, -17.25, 17.375, 2.5, 27, 9}},
    {"prod", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 1, {3}, 6, {304.6875, 60.9375, -245.125, 594.3125, -1026, 18}},
    {"prod", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-2, -3, 1.5, 2, -0.5, 0, 3, -2, 1, 3, -1, 1, 2.5, -1, 0.5, -3, -1.5, 2, 2, 0, 0, -2, -2, 3, 1.5, 1, -0.5, -1, 3, -3, 1, 2, -1, 0, 2.5, -2, 0.5, 3, -1.5, 1, 2, -1, 0, -3, -2, 2, 1.5, 0}},
    {"prod", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_COMPLEX64, 3, {1,1,2}, 4, {20231.25, -7150, 7546.5, -5857.3125}},
    {"prod", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_COMPLEX64, 2, {2,2}, 8, {-4.25, -1.5, 12, 8, -1.5, -10.5, 9, 9}},
    {"prod", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_COMPLEX64, 1, {2}, 4, {-185.25, -151.125, 41.25, -63.75}},
    {"prod", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 2, {2,3}, 12, {1.5, -2, -1.75, 5.5, 0, -4.5, 8.5, 3, 2.5, 3.5, -4, 6}},
    {"prod", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_COMPLEX64, 3, {1,1,1}, 2, {110795344, -172458224}},
    {"max", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"max", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 0, 1, 1, 0, 1, 1, 1}},
    {"max", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"max", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"max", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"max", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"max", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"max", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"max", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 0, 0, 1}},
    {"max", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"max", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_UINT8, 0, {0}, 1, {10}},
    {"max", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_UINT8, 2, {2,4}, 8, {6, 8, 9, 10, 8, 9, 10, 7}},
    {"max", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_UINT8, 3, {2,3,1}, 6, {10, 9, 8, 10, 9, 8}},
    {"max", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_UINT8, 1, {3}, 3, {10, 9, 8}},
    {"max", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_UINT8, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"max", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_UINT8, 3, {1,1,2}, 2, {10, 10}},
    {"max", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_UINT8, 2, {2,2}, 4, {10, 8, 10, 7}},
    {"max", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_UINT8, 1, {2}, 2, {10, 9}},
    {"max", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_UINT8, 2, {2,3}, 6, {6, 9, 7, 10, 5, 8}},
    {"max", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_UINT8, 3, {1,1,1}, 1, {10}},
    {"max", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_UINT16, 0, {0}, 1, {10}},
    {"max", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_UINT16, 2, {2,4}, 8, {6, 8, 9, 10, 8, 9, 10, 7}},
    {"max", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_UINT16, 3, {2,3,1}, 6, {10, 9, 8, 10, 9, 8}},
    {"max", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_UINT16, 1, {3}, 3, {10, 9, 8}},
    {"max", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_UINT16, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"max", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_UINT16, 3, {1,1,2}, 2, {10, 10}},
    {"max", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_UINT16, 2, {2,2}, 4, {10, 8, 10, 7}},
    {"max", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_UINT16, 1, {2}, 2, {10, 9}},
    {"max", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_UINT16, 2, {2,3}, 6, {6, 9, 7, 10, 5, 8}},
    {"max", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_UINT16, 3, {1,1,1}, 1, {10}},
    {"max", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {10}},
    {"max", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {6, 8, 9, 10, 8, 9, 10, 7}},
    {"max", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {10, 9, 8, 10, 9, 8}},
    {"max", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {10, 9, 8}},
    {"max", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_UINT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"max", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {10, 10}},
    {"max", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {10, 8, 10, 7}},
    {"max", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {10, 9}},
    {"max", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {6, 9, 7, 10, 5, 8}},
    {"max", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {10}},
    {"max", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_UINT64, 0, {0}, 1, {10}},
    {"max", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_UINT64, 2, {2,4}, 8, {6, 8, 9, 10, 8, 9, 10, 7}},
    {"max", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_UINT64, 3, {2,3,1}, 6, {10, 9, 8, 10, 9, 8}},
    {"max", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_UINT64, 1, {3}, 3, {10, 9, 8}},
    {"max", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_UINT64, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"max", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_UINT64, 3, {1,1,2}, 2, {10, 10}},
    {"max", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_UINT64, 2, {2,2}, 4, {10, 8, 10, 7}},
    {"max", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_UINT64, 1, {2}, 2, {10, 9}},
    {"max", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_UINT64, 2, {2,3}, 6, {6, 9, 7, 10, 5, 8}},
    {"max", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_UINT64, 3, {1,1,1}, 1, {10}},
    {"max", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_INT8, 0, {0}, 1, {6}},
    {"max", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_INT8, 2, {2,4}, 8, {2, 4, 5, 6, 4, 5, 6, 3}},
    {"max", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_INT8, 3, {2,3,1}, 6, {6, 5, 4, 6, 5, 4}},
    {"max", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_INT8, 1, {3}, 3, {6, 5, 4}},
    {"max", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_INT8, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"max", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_INT8, 3, {1,1,2}, 2, {6, 6}},
    {"max", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_INT8, 2, {2,2}, 4, {6, 4, 6, 3}},
    {"max", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_INT8, 1, {2}, 2, {6, 5}},
    {"max", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_INT8, 2, {2,3}, 6, {2, 5, 3, 6, 1, 4}},
    {"max", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_INT8, 3, {1,1,1}, 1, {6}},
    {"max", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_INT16, 0, {0}, 1, {6}},
    {"max", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_INT16, 2, {2,4}, 8, {2, 4, 5, 6, 4, 5, 6, 3}},
    {"max", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_INT16, 3, {2,3,1}, 6, {6, 5, 4, 6, 5, 4}},
    {"max", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_INT16, 1, {3}, 3, {6, 5, 4}},
    {"max", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_INT16, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"max", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_INT16, 3, {1,1,2}, 2, {6, 6}},
    {"max", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_INT16, 2, {2,2}, 4, {6, 4, 6, 3}},
    {"max", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_INT16, 1, {2}, 2, {6, 5}},
    {"max", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_INT16, 2, {2,3}, 6, {2, 5, 3, 6, 1, 4}},
    {"max", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_INT16, 3, {1,1,1}, 1, {6}},
    {"max", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {6}},
    {"max", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {2, 4, 5, 6, 4, 5, 6, 3}},
    {"max", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {6, 5, 4, 6, 5, 4}},
    {"max", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {6, 5, 4}},
    {"max", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_INT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"max", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {6, 6}},
    {"max", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {6, 4, 6, 3}},
    {"max", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {6, 5}},
    {"max", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {2, 5, 3, 6, 1, 4}},
    {"max", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {6}},
    {"max", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_INT64, 0, {0}, 1, {6}},
    {"max", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_INT64, 2, {2,4}, 8, {2, 4, 5, 6, 4, 5, 6, 3}},
    {"max", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_INT64, 3, {2,3,1}, 6, {6, 5, 4, 6, 5, 4}},
    {"max", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_INT64, 1, {3}, 3, {6, 5, 4}},
    {"max", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_INT64, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"max", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_INT64, 3, {1,1,2}, 2, {6, 6}},
    {"max", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_INT64, 2, {2,2}, 4, {6, 4, 6, 3}},
    {"max", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_INT64, 1, {2}, 2, {6, 5}},
    {"max", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_INT64, 2, {2,3}, 6, {2, 5, 3, 6, 1, 4}},
    {"max", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_INT64, 3, {1,1,1}, 1, {6}},
    {"max", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {3}},
    {"max", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {1, 2, 2.5, 3, 2, 2.5, 3, 1.5}},
    {"max", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {3, 2.5, 2, 3, 2.5, 2}},
    {"max", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {3, 2.5, 2}},
    {"max", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"max", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {3, 3}},
    {"max", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {3, 2, 3, 1.5}},
    {"max", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {3, 2.5}},
    {"max", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {1, 2.5, 1.5, 3, 0.5, 2}},
    {"max", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {3}},
    {"max", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3}},
    {"max", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {1, 2, 2.5, 3, 2, 2.5, 3, 1.5}},
    {"max", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3, 2.5, 2, 3, 2.5, 2}},
    {"max", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3, 2.5, 2}},
    {"max", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"max", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3, 3}},
    {"max", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {3, 2, 3, 1.5}},
    {"max", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3, 2.5}},
    {"max", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1, 2.5, 1.5, 3, 0.5, 2}},
    {"max", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3}},
    {"max", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {3}},
    {"max", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {1, 2, 2.5, 3, 2, 2.5, 3, 1.5}},
    {"max", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {3, 2.5, 2, 3, 2.5, 2}},
    {"max", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {3, 2.5, 2}},
    {"max", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"max", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {3, 3}},
    {"max", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {3, 2, 3, 1.5}},
    {"max", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {3, 2.5}},
    {"max", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {1, 2.5, 1.5, 3, 0.5, 2}},
    {"max", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {3}},
    {"max", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {3}},
    {"max", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {1, 2, 2.5, 3, 2, 2.5, 3, 1.5}},
    {"max", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {3, 2.5, 2, 3, 2.5, 2}},
    {"max", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {3, 2.5, 2}},
    {"max", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"max", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {3, 3}},
    {"max", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {3, 2, 3, 1.5}},
    {"max", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {3, 2.5}},
    {"max", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {1, 2.5, 1.5, 3, 0.5, 2}},
    {"max", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {3}},
    {"max", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 0, {0}, 2, {3, -2}},
    {"max", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_COMPLEX64, 2, {2,4}, 16, {1, 3, 2, 0, 2.5, -1, 3, -2, 2, -1, 2.5, -2, 3, -3, 1.5, 0}},
    {"max", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_COMPLEX64, 3, {2,3,1}, 12, {3, -2, 2.5, -1, 2, 0, 3, -3, 2.5, -2, 2, -1}},
    {"max", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 1, {3}, 6, {3, -2, 2.5, -1, 2, 0}},
    {"max", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-2, -3, 1.5, 2, -0.5, 0, 3, -2, 1, 3, -1, 1, 2.5, -1, 0.5, -3, -1.5, 2, 2, 0, 0, -2, -2, 3, 1.5, 1, -0.5, -1, 3, -3, 1, 2, -1, 0, 2.5, -2, 0.5, 3, -1.5, 1, 2, -1, 0, -3, -2, 2, 1.5, 0}},
    {"max", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_COMPLEX64, 3, {1,1,2}, 4, {3, -2, 3, -3}},
    {"max", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_COMPLEX64, 2, {2,2}, 8, {3, -2, 2, 0, 3, -3, 1.5, 0}},
    {"max", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_COMPLEX64, 1, {2}, 4, {3, -2, 2.5, -2}},
    {"max", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 2, {2,3}, 12, {1, 2, 2.5, -2, 1.5, 0, 3, -2, 0.5, -3, 2, 0}},
    {"max", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_COMPLEX64, 3, {1,1,1}, 2, {3, -2}},
    {"min", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"min", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"min", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {0, 0, 0, 0, 0, 0}},
    {"min", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {0, 0, 0}},
    {"min", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"min", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"min", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {0, 0, 0, 0}},
    {"min", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {0, 0}},
    {"min", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 0, 0, 0, 0, 0}},
    {"min", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"min", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_UINT8, 0, {0}, 1, {0}},
    {"min", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_UINT8, 2, {2,4}, 8, {0, 2, 3, 0, 2, 3, 0, 1}},
    {"min", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_UINT8, 3, {2,3,1}, 6, {0, 2, 0, 3, 1, 0}},
    {"min", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_UINT8, 1, {3}, 3, {0, 1, 0}},
    {"min", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_UINT8, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"min", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_UINT8, 3, {1,1,2}, 2, {0, 0}},
    {"min", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_UINT8, 2, {2,2}, 4, {3, 0, 3, 0}},
    {"min", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_UINT8, 1, {2}, 2, {0, 2}},
    {"min", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_UINT8, 2, {2,3}, 6, {3, 1, 4, 7, 2, 0}},
    {"min", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_UINT8, 3, {1,1,1}, 1, {0}},
    {"min", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_UINT16, 0, {0}, 1, {0}},
    {"min", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_UINT16, 2, {2,4}, 8, {0, 2, 3, 0, 2, 3, 0, 1}},
    {"min", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_UINT16, 3, {2,3,1}, 6, {0, 2, 0, 3, 1, 0}},
    {"min", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_UINT16, 1, {3}, 3, {0, 1, 0}},
    {"min", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_UINT16, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"min", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_UINT16, 3, {1,1,2}, 2, {0, 0}},
    {"min", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_UINT16, 2, {2,2}, 4, {3, 0, 3, 0}},
    {"min", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_UINT16, 1, {2}, 2, {0, 2}},
    {"min", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_UINT16, 2, {2,3}, 6, {3, 1, 4, 7, 2, 0}},
    {"min", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_UINT16, 3, {1,1,1}, 1, {0}},
    {"min", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"min", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 2, 3, 0, 2, 3, 0, 1}},
    {"min", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 2, 0, 3, 1, 0}},
    {"min", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_UINT32, 1, {3}, 3, {0, 1, 0}},
    {"min", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_UINT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"min", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_UINT32, 3, {1,1,2}, 2, {0, 0}},
    {"min", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {3, 0, 3, 0}},
    {"min", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_UINT32, 1, {2}, 2, {0, 2}},
    {"min", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_UINT32, 2, {2,3}, 6, {3, 1, 4, 7, 2, 0}},
    {"min", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"min", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_UINT64, 0, {0}, 1, {0}},
    {"min", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_UINT64, 2, {2,4}, 8, {0, 2, 3, 0, 2, 3, 0, 1}},
    {"min", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_UINT64, 3, {2,3,1}, 6, {0, 2, 0, 3, 1, 0}},
    {"min", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_UINT64, 1, {3}, 3, {0, 1, 0}},
    {"min", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_UINT64, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"min", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_UINT64, 3, {1,1,2}, 2, {0, 0}},
    {"min", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_UINT64, 2, {2,2}, 4, {3, 0, 3, 0}},
    {"min", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_UINT64, 1, {2}, 2, {0, 2}},
    {"min", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_UINT64, 2, {2,3}, 6, {3, 1, 4, 7, 2, 0}},
    {"min", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_UINT64, 3, {1,1,1}, 1, {0}},
    {"min", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_INT8, 0, {0}, 1, {-4}},
    {"min", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_INT8, 2, {2,4}, 8, {-4, -2, -1, -4, -2, -1, -4, -3}},
    {"min", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_INT8, 3, {2,3,1}, 6, {-4, -2, -4, -1, -3, -4}},
    {"min", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_INT8, 1, {3}, 3, {-4, -3, -4}},
    {"min", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_INT8, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"min", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_INT8, 3, {1,1,2}, 2, {-4, -4}},
    {"min", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_INT8, 2, {2,2}, 4, {-1, -4, -1, -4}},
    {"min", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_INT8, 1, {2}, 2, {-4, -2}},
    {"min", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_INT8, 2, {2,3}, 6, {-1, -3, 0, 3, -2, -4}},
    {"min", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_INT8, 3, {1,1,1}, 1, {-4}},
    {"min", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_INT16, 0, {0}, 1, {-4}},
    {"min", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_INT16, 2, {2,4}, 8, {-4, -2, -1, -4, -2, -1, -4, -3}},
    {"min", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_INT16, 3, {2,3,1}, 6, {-4, -2, -4, -1, -3, -4}},
    {"min", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_INT16, 1, {3}, 3, {-4, -3, -4}},
    {"min", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_INT16, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"min", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_INT16, 3, {1,1,2}, 2, {-4, -4}},
    {"min", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_INT16, 2, {2,2}, 4, {-1, -4, -1, -4}},
    {"min", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_INT16, 1, {2}, 2, {-4, -2}},
    {"min", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_INT16, 2, {2,3}, 6, {-1, -3, 0, 3, -2, -4}},
    {"min", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_INT16, 3, {1,1,1}, 1, {-4}},
    {"min", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_INT32, 0, {0}, 1, {-4}},
    {"min", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_INT32, 2, {2,4}, 8, {-4, -2, -1, -4, -2, -1, -4, -3}},
    {"min", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_INT32, 3, {2,3,1}, 6, {-4, -2, -4, -1, -3, -4}},
    {"min", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_INT32, 1, {3}, 3, {-4, -3, -4}},
    {"min", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_INT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"min", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_INT32, 3, {1,1,2}, 2, {-4, -4}},
    {"min", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_INT32, 2, {2,2}, 4, {-1, -4, -1, -4}},
    {"min", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_INT32, 1, {2}, 2, {-4, -2}},
    {"min", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_INT32, 2, {2,3}, 6, {-1, -3, 0, 3, -2, -4}},
    {"min", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_INT32, 3, {1,1,1}, 1, {-4}},
    {"min", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_INT64, 0, {0}, 1, {-4}},
    {"min", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_INT64, 2, {2,4}, 8, {-4, -2, -1, -4, -2, -1, -4, -3}},
    {"min", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_INT64, 3, {2,3,1}, 6, {-4, -2, -4, -1, -3, -4}},
    {"min", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_INT64, 1, {3}, 3, {-4, -3, -4}},
    {"min", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_INT64, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"min", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_INT64, 3, {1,1,2}, 2, {-4, -4}},
    {"min", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_INT64, 2, {2,2}, 4, {-1, -4, -1, -4}},
    {"min", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_INT64, 1, {2}, 2, {-4, -2}},
    {"min", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_INT64, 2, {2,3}, 6, {-1, -3, 0, 3, -2, -4}},
    {"min", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_INT64, 3, {1,1,1}, 1, {-4}},
    {"min", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {-2}},
    {"min", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {-2, -1, -0.5, -2, -1, -0.5, -2, -1.5}},
    {"min", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {-2, -1, -2, -0.5, -1.5, -2}},
    {"min", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {-2, -1.5, -2}},
    {"min", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"min", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {-2, -2}},
    {"min", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {-0.5, -2, -0.5, -2}},
    {"min", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {-2, -1}},
    {"min", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {-0.5, -1.5, 0, 1.5, -1, -2}},
    {"min", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {-2}},
    {"min", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {-2}},
    {"min", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-2, -1, -0.5, -2, -1, -0.5, -2, -1.5}},
    {"min", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {-2, -1, -2, -0.5, -1.5, -2}},
    {"min", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {-2, -1.5, -2}},
    {"min", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"min", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {-2, -2}},
    {"min", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {-0.5, -2, -0.5, -2}},
    {"min", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {-2, -1}},
    {"min", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {-0.5, -1.5, 0, 1.5, -1, -2}},
    {"min", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {-2}},
    {"min", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {-2}},
    {"min", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {-2, -1, -0.5, -2, -1, -0.5, -2, -1.5}},
    {"min", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {-2, -1, -2, -0.5, -1.5, -2}},
    {"min", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {-2, -1.5, -2}},
    {"min", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"min", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {-2, -2}},
    {"min", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {-0.5, -2, -0.5, -2}},
    {"min", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {-2, -1}},
    {"min", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {-0.5, -1.5, 0, 1.5, -1, -2}},
    {"min", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {-2}},
    {"min", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {-2}},
    {"min", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {-2, -1, -0.5, -2, -1, -0.5, -2, -1.5}},
    {"min", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {-2, -1, -2, -0.5, -1.5, -2}},
    {"min", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {-2, -1.5, -2}},
    {"min", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"min", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {-2, -2}},
    {"min", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {-0.5, -2, -0.5, -2}},
    {"min", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {-2, -1}},
    {"min", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {-0.5, -1.5, 0, 1.5, -1, -2}},
    {"min", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {-2}},
    {"min", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 0, {0}, 2, {-2, -3}},
    {"min", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_COMPLEX64, 2, {2,4}, 16, {-2, -3, -1, 1, -0.5, 0, -2, 3, -1, 0, -0.5, -1, -2, 2, -1.5, 1}},
    {"min", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_COMPLEX64, 3, {2,3,1}, 12, {-2, -3, -1, 1, -2, 3, -0.5, -1, -1.5, 1, -2, 2}},
    {"min", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 1, {3}, 6, {-2, -3, -1.5, 1, -2, 2}},
    {"min", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-2, -3, 1.5, 2, -0.5, 0, 3, -2, 1, 3, -1, 1, 2.5, -1, 0.5, -3, -1.5, 2, 2, 0, 0, -2, -2, 3, 1.5, 1, -0.5, -1, 3, -3, 1, 2, -1, 0, 2.5, -2, 0.5, 3, -1.5, 1, 2, -1, 0, -3, -2, 2, 1.5, 0}},
    {"min", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_COMPLEX64, 3, {1,1,2}, 4, {-2, -3, -2, 2}},
    {"min", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_COMPLEX64, 2, {2,2}, 8, {-0.5, 0, -2, 3, -0.5, -1, -2, 2}},
    {"min", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_COMPLEX64, 1, {2}, 4, {-2, 3, -1, 1}},
    {"min", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 2, {2,3}, 12, {-0.5, -1, -1.5, 1, 0, -3, 1.5, 2, -1, 1, -2, 3}},
    {"min", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_COMPLEX64, 3, {1,1,1}, 2, {-2, -3}},
    {"all", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {0, 0, 0, 0, 0, 0, 0, 0}},
    {"all", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {0, 0, 0, 0, 0, 0}},
    {"all", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {0, 0, 0}},
    {"all", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"all", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {0, 0, 0, 0}},
    {"all", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {0, 0}},
    {"all", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 0, 0, 0, 0, 0}},
    {"all", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {0, 1, 1, 0, 1, 1, 0, 1}},
    {"all", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {0, 1, 0, 1, 1, 0}},
    {"all", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {0, 1, 0}},
    {"all", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"all", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {0, 1}},
    {"all", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 0}},
    {"all", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {0, 1, 1, 0, 1, 1, 0, 1}},
    {"all", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {0, 1, 0, 1, 1, 0}},
    {"all", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {0, 1, 0}},
    {"all", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"all", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {0, 1}},
    {"all", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 0}},
    {"all", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {0, 1, 1, 0, 1, 1, 0, 1}},
    {"all", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {0, 1, 0, 1, 1, 0}},
    {"all", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {0, 1, 0}},
    {"all", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"all", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {0, 1}},
    {"all", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 0}},
    {"all", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {0, 1, 1, 0, 1, 1, 0, 1}},
    {"all", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {0, 1, 0, 1, 1, 0}},
    {"all", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {0, 1, 0}},
    {"all", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"all", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {0, 1}},
    {"all", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 0}},
    {"all", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {0}},
    {"all", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 0, 1, 1, 0, 1, 1}},
    {"all", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 0, 1, 1, 0}},
    {"all", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 0}},
    {"all", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"all", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {0, 0}},
    {"all", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 0, 1, 0}},
    {"all", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 0}},
    {"all", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 1, 1, 1}},
    {"all", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {0}},
    {"all", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"all", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"all", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"all", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"all", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"all", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"all", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"all", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"all", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"all", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 0, 1, 1, 0, 1, 1, 1}},
    {"any", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"any", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 0, 0, 0, 1}},
    {"any", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"any", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"any", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"any", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1}},
    {"any", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}},
    {"any", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"any", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_BOOL, 0, {0}, 1, {1}},
    {"any", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_BOOL, 2, {2,4}, 8, {1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_BOOL, 3, {2,3,1}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_BOOL, 1, {3}, 3, {1, 1, 1}},
    {"any", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"any", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_BOOL, 3, {1,1,2}, 2, {1, 1}},
    {"any", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_BOOL, 2, {2,2}, 4, {1, 1, 1, 1}},
    {"any", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_BOOL, 1, {2}, 2, {1, 1}},
    {"any", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_BOOL, 2, {2,3}, 6, {1, 1, 1, 1, 1, 1}},
    {"any", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_BOOL, 3, {1,1,1}, 1, {1}},
    {"mean", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.375}},
    {"mean", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {0.66666668653488159, 0, 0.66666668653488159, 0.3333333432674408, 0, 0.66666668653488159, 0.3333333432674408, 0.3333333432674408}},
    {"mean", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {0.5, 0.5, 0.25, 0.5, 0.25, 0.25}},
    {"mean", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {0.5, 0.375, 0.25}},
    {"mean", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}},
    {"mean", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.41666668653488159, 0.3333333432674408}},
    {"mean", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {0.3333333432674408, 0.3333333432674408, 0.66666668653488159, 0.3333333432674408}},
    {"mean", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.3333333432674408, 0.3333333432674408}},
    {"mean", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1, 0.5, 0, 0, 0, 0.5}},
    {"mean", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.375}},
    {"mean", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {4.875}},
    {"mean", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.3333334922790527, 5.6666669845581055, 5.3333334922790527, 5, 5.6666669845581055, 5.3333334922790527, 5, 4.6666669845581055}},
    {"mean", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {5, 5.5, 3.25, 6.5, 4.25, 4.75}},
    {"mean", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {5.75, 4.875, 4}},
    {"mean", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"mean", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {4.5833334922790527, 5.1666669845581055}},
    {"mean", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.6666669845581055, 4, 6.3333334922790527, 3.6666667461395264}},
    {"mean", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {4.8333334922790527, 5.5}},
    {"mean", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {4.5, 5, 5.5, 8.5, 3.5, 4}},
    {"mean", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {4.875}},
    {"mean", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {4.875}},
    {"mean", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.3333334922790527, 5.6666669845581055, 5.3333334922790527, 5, 5.6666669845581055, 5.3333334922790527, 5, 4.6666669845581055}},
    {"mean", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {5, 5.5, 3.25, 6.5, 4.25, 4.75}},
    {"mean", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {5.75, 4.875, 4}},
    {"mean", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"mean", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {4.5833334922790527, 5.1666669845581055}},
    {"mean", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.6666669845581055, 4, 6.3333334922790527, 3.6666667461395264}},
    {"mean", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {4.8333334922790527, 5.5}},
    {"mean", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {4.5, 5, 5.5, 8.5, 3.5, 4}},
    {"mean", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {4.875}},
    {"mean", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {4.875}},
    {"mean", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.3333334922790527, 5.6666669845581055, 5.3333334922790527, 5, 5.6666669845581055, 5.3333334922790527, 5, 4.6666669845581055}},
    {"mean", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {5, 5.5, 3.25, 6.5, 4.25, 4.75}},
    {"mean", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {5.75, 4.875, 4}},
    {"mean", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"mean", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {4.5833334922790527, 5.1666669845581055}},
    {"mean", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.6666669845581055, 4, 6.3333334922790527, 3.6666667461395264}},
    {"mean", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {4.8333334922790527, 5.5}},
    {"mean", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {4.5, 5, 5.5, 8.5, 3.5, 4}},
    {"mean", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {4.875}},
    {"mean", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {4.875}},
    {"mean", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.3333334922790527, 5.6666669845581055, 5.3333334922790527, 5, 5.6666669845581055, 5.3333334922790527, 5, 4.6666669845581055}},
    {"mean", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {5, 5.5, 3.25, 6.5, 4.25, 4.75}},
    {"mean", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {5.75, 4.875, 4}},
    {"mean", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7, 3, 10, 6, 2, 9, 5, 1, 8, 4, 0, 7}},
    {"mean", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {4.5833334922790527, 5.1666669845581055}},
    {"mean", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.6666669845581055, 4, 6.3333334922790527, 3.6666667461395264}},
    {"mean", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {4.8333334922790527, 5.5}},
    {"mean", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {4.5, 5, 5.5, 8.5, 3.5, 4}},
    {"mean", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {4.875}},
    {"mean", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.875}},
    {"mean", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-1.6666667461395264, 1.6666667461395264, 1.3333333730697632, 1, 1.6666667461395264, 1.3333333730697632, 1, 0.66666668653488159}},
    {"mean", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {1, 1.5, -0.75, 2.5, 0.25, 0.75}},
    {"mean", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {1.75, 0.875, 0}},
    {"mean", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"mean", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.58333337306976318, 1.1666667461395264}},
    {"mean", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.6666667461395264, 0, 2.3333334922790527, -0.3333333432674408}},
    {"mean", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.83333337306976318, 1.5}},
    {"mean", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"mean", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.875}},
    {"mean", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.875}},
    {"mean", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-1.6666667461395264, 1.6666667461395264, 1.3333333730697632, 1, 1.6666667461395264, 1.3333333730697632, 1, 0.66666668653488159}},
    {"mean", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {1, 1.5, -0.75, 2.5, 0.25, 0.75}},
    {"mean", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {1.75, 0.875, 0}},
    {"mean", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"mean", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.58333337306976318, 1.1666667461395264}},
    {"mean", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.6666667461395264, 0, 2.3333334922790527, -0.3333333432674408}},
    {"mean", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.83333337306976318, 1.5}},
    {"mean", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"mean", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.875}},
    {"mean", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.875}},
    {"mean", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-1.6666667461395264, 1.6666667461395264, 1.3333333730697632, 1, 1.6666667461395264, 1.3333333730697632, 1, 0.66666668653488159}},
    {"mean", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {1, 1.5, -0.75, 2.5, 0.25, 0.75}},
    {"mean", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {1.75, 0.875, 0}},
    {"mean", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"mean", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.58333337306976318, 1.1666667461395264}},
    {"mean", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.6666667461395264, 0, 2.3333334922790527, -0.3333333432674408}},
    {"mean", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.83333337306976318, 1.5}},
    {"mean", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"mean", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.875}},
    {"mean", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.875}},
    {"mean", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-1.6666667461395264, 1.6666667461395264, 1.3333333730697632, 1, 1.6666667461395264, 1.3333333730697632, 1, 0.66666668653488159}},
    {"mean", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {1, 1.5, -0.75, 2.5, 0.25, 0.75}},
    {"mean", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {1.75, 0.875, 0}},
    {"mean", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"mean", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.58333337306976318, 1.1666667461395264}},
    {"mean", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.6666667461395264, 0, 2.3333334922790527, -0.3333333432674408}},
    {"mean", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.83333337306976318, 1.5}},
    {"mean", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.5, 1, 1.5, 4.5, -0.5, 0}},
    {"mean", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.875}},
    {"mean", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {0.4375}},
    {"mean", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {-0.8330078125, 0.8330078125, 0.66650390625, 0.5, 0.8330078125, 0.66650390625, 0.5, 0.333251953125}},
    {"mean", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {0.5, 0.75, -0.375, 1.25, 0.125, 0.375}},
    {"mean", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {0.875, 0.4375, 0}},
    {"mean", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"mean", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {0.29150390625, 0.5830078125}},
    {"mean", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {1.3330078125, 0, 1.166015625, -0.1666259765625}},
    {"mean", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {0.41650390625, 0.75}},
    {"mean", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {0.25, 0.5, 0.75, 2.25, -0.25, 0}},
    {"mean", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {0.4375}},
    {"mean", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.4375}},
    {"mean", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {-0.83333337306976318, 0.83333337306976318, 0.66666668653488159, 0.5, 0.83333337306976318, 0.66666668653488159, 0.5, 0.3333333432674408}},
    {"mean", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {0.5, 0.75, -0.375, 1.25, 0.125, 0.375}},
    {"mean", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {0.875, 0.4375, 0}},
    {"mean", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"mean", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.29166668653488159, 0.58333337306976318}},
    {"mean", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {1.3333333730697632, 0, 1.1666667461395264, -0.1666666716337204}},
    {"mean", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.41666668653488159, 0.75}},
    {"mean", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.25, 0.5, 0.75, 2.25, -0.25, 0}},
    {"mean", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.4375}},
    {"mean", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {0.4375}},
    {"mean", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {-0.83333333333333326, 0.83333333333333326, 0.66666666666666663, 0.5, 0.83333333333333326, 0.66666666666666663, 0.5, 0.33333333333333331}},
    {"mean", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {0.5, 0.75, -0.375, 1.25, 0.125, 0.375}},
    {"mean", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {0.875, 0.4375, 0}},
    {"mean", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"mean", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {0.29166666666666663, 0.58333333333333326}},
    {"mean", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {1.3333333333333333, 0, 1.1666666666666665, -0.16666666666666666}},
    {"mean", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {0.41666666666666663, 0.75}},
    {"mean", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {0.25, 0.5, 0.75, 2.25, -0.25, 0}},
    {"mean", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {0.4375}},
    {"mean", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {0.4375}},
    {"mean", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {-0.8359375, 0.8359375, 0.66796875, 0.5, 0.8359375, 0.66796875, 0.5, 0.333984375}},
    {"mean", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {0.5, 0.75, -0.375, 1.25, 0.125, 0.375}},
    {"mean", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {0.875, 0.4375, 0}},
    {"mean", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"mean", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {0.29296875, 0.5859375}},
    {"mean", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {1.3359375, 0, 1.171875, -0.1669921875}},
    {"mean", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {0.41796875, 0.75}},
    {"mean", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {0.25, 0.5, 0.75, 2.25, -0.25, 0}},
    {"mean", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {0.4375}},
    {"mean", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 0, {0}, 2, {0.4375, -0.041666667908430099}},
    {"mean", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_COMPLEX64, 2, {2,4}, 16, {-0.83333337306976318, 0.66666668653488159, 0.83333337306976318, 1, 0.66666668653488159, -1, 0.5, -0.66666668653488159, 0.83333337306976318, 0, 0.66666668653488159, -2, 0.5, 0.66666668653488159, 0.3333333432674408, 1}},
    {"mean", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_COMPLEX64, 3, {2,3,1}, 12, {0.5, -0.75, 0.75, 0, -0.375, 0.75, 1.25, -0.25, 0.125, 0.5, 0.375, -0.5}},
    {"mean", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 1, {3}, 6, {0.875, -0.5, 0.4375, 0.25, 0, 0.125}},
    {"mean", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-2, -3, 1.5, 2, -0.5, 0, 3, -2, 1, 3, -1, 1, 2.5, -1, 0.5, -3, -1.5, 2, 2, 0, 0, -2, -2, 3, 1.5, 1, -0.5, -1, 3, -3, 1, 2, -1, 0, 2.5, -2, 0.5, 3, -1.5, 1, 2, -1, 0, -3, -2, 2, 1.5, 0}},
    {"mean", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_COMPLEX64, 3, {1,1,2}, 4, {0.29166668653488159, 0, 0.58333337306976318, -0.083333335816860199}},
    {"mean", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_COMPLEX64, 2, {2,2}, 8, {1.3333333730697632, 0, 0, 0.3333333432674408, 1.1666667461395264, -0.66666668653488159, -0.1666666716337204, -0.3333333432674408}},
    {"mean", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_COMPLEX64, 1, {2}, 4, {0.41666668653488159, 0.1666666716337204, 0.75, -0.5}},
    {"mean", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 2, {2,3}, 12, {0.25, 0.5, 0.5, -0.5, 0.75, -1.5, 2.25, 0, -0.25, -1, 0, 1.5}},
    {"mean", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_COMPLEX64, 3, {1,1,1}, 2, {0.4375, -0.041666667908430099}},
    {"var", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.234375}},
    {"var", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {0.22222223877906799, 0, 0.22222223877906799, 0.22222220897674561, 0, 0.22222223877906799, 0.22222220897674561, 0.22222220897674561}},
    {"var", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {0.25, 0.25, 0.1875, 0.25, 0.1875, 0.1875}},
    {"var", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {0.25, 0.234375, 0.1875}},
    {"var", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.2430555671453476, 0.22222223877906799}},
    {"var", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {0.22222220897674561, 0.22222220897674561, 0.22222223877906799, 0.22222220897674561}},
    {"var", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.22222220897674561, 0.22222223877906799}},
    {"var", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0, 0.25, 0, 0, 0, 0.25}},
    {"var", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.234375}},
    {"var", MX_BOOL, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {0.3333333432674408, 0, 0.3333333432674408, 0.33333331346511841, 0, 0.3333333432674408, 0.33333331346511841, 0.33333331346511841}},
    {"var", MX_BOOL, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {0.3333333432674408, 0.3125, 0.25}},
    {"var", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888893127441406, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722223281860352}},
    {"var", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_UINT8, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333969116211, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_UINT8, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888893127441406, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722223281860352}},
    {"var", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_UINT16, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333969116211, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_UINT16, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888893127441406, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722223281860352}},
    {"var", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_UINT32, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333969116211, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_UINT32, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888893127441406, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722223281860352}},
    {"var", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_UINT64, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333969116211, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_UINT64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888888359069824, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722232818603516}},
    {"var", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_INT8, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333015441895, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_INT8, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888888359069824, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722232818603516}},
    {"var", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_INT16, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333015441895, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_INT16, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888888359069824, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722232818603516}},
    {"var", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_INT32, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333015441895, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_INT32, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {10.359375}},
    {"var", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {6.8888888359069824, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824, 6.8888893127441406, 16.666667938232422, 6.8888888359069824}},
    {"var", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {14.5, 6.25, 9.6875, 6.25, 9.6875, 9.6875}},
    {"var", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {10.9375, 8.359375, 10.25}},
    {"var", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {11.076389312744141, 9.4722232818603516}},
    {"var", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {8.2222223281860352, 10.666666984558105, 8.2222232818603516, 8.2222223281860352}},
    {"var", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {11.805556297302246, 6.9166669845581055}},
    {"var", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.25, 16, 2.25, 2.25, 2.25, 16}},
    {"var", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {10.359375}},
    {"var", MX_INT64, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {10.333333015441895, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895, 10.333333969116211, 25, 10.333333015441895}},
    {"var", MX_INT64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {14.583333015441895, 11.145833015441895, 13.666666984558105}},
    {"var", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {2.58984375}},
    {"var", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {1.72265625, 1.72265625, 1.72265625, 4.1640625, 1.72265625, 1.72265625, 4.1640625, 1.72265625}},
    {"var", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {3.625, 1.5625, 2.421875, 1.5625, 2.421875, 2.421875}},
    {"var", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {2.734375, 2.08984375, 2.5625}},
    {"var", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {2.767578125, 2.3671875}},
    {"var", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {2.0546875, 2.666015625, 2.0546875, 2.0546875}},
    {"var", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {2.94921875, 1.728515625}},
    {"var", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {0.5625, 4, 0.5625, 0.5625, 0.5625, 4}},
    {"var", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {2.58984375}},
    {"var", MX_FLOAT16, 0, 1, {1}, 1, 0, 1, MX_FLOAT16, 2, {2,4}, 8, {2.583984375, 2.583984375, 2.583984375, 6.25, 2.583984375, 2.583984375, 6.25, 2.583984375}},
    {"var", MX_FLOAT16, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT16, 3, {1,3,1}, 3, {3.646484375, 2.787109375, 3.416015625}},
    {"var", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {2.58984375}},
    {"var", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {1.7222222089767456, 1.7222222089767456, 1.7222223281860352, 4.1666669845581055, 1.7222222089767456, 1.7222223281860352, 4.1666669845581055, 1.7222222089767456}},
    {"var", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.625, 1.5625, 2.421875, 1.5625, 2.421875, 2.421875}},
    {"var", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {2.734375, 2.08984375, 2.5625}},
    {"var", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {2.7690973281860352, 2.3680558204650879}},
    {"var", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.0555555820465088, 2.6666667461395264, 2.0555558204650879, 2.0555555820465088}},
    {"var", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {2.9513890743255615, 1.7291667461395264}},
    {"var", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.5625, 4, 0.5625, 0.5625, 0.5625, 4}},
    {"var", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {2.58984375}},
    {"var", MX_FLOAT32, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {2.5833332538604736, 2.5833332538604736, 2.5833334922790527, 6.25, 2.5833332538604736, 2.5833334922790527, 6.25, 2.5833332538604736}},
    {"var", MX_FLOAT32, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.6458332538604736, 2.7864582538604736, 3.4166667461395264}},
    {"var", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {2.58984375}},
    {"var", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {1.7222222222222223, 1.7222222222222223, 1.7222222222222223, 4.1666666666666661, 1.7222222222222223, 1.7222222222222223, 4.1666666666666661, 1.7222222222222223}},
    {"var", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {3.625, 1.5625, 2.421875, 1.5625, 2.421875, 2.421875}},
    {"var", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {2.734375, 2.08984375, 2.5625}},
    {"var", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {2.7690972222222219, 2.3680555555555554}},
    {"var", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {2.0555555555555554, 2.6666666666666665, 2.0555555555555554, 2.0555555555555554}},
    {"var", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {2.9513888888888884, 1.7291666666666665}},
    {"var", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {0.5625, 4, 0.5625, 0.5625, 0.5625, 4}},
    {"var", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {2.58984375}},
    {"var", MX_FLOAT64, 0, 1, {1}, 1, 0, 1, MX_FLOAT64, 2, {2,4}, 8, {2.5833333333333335, 2.5833333333333335, 2.5833333333333335, 6.25, 2.5833333333333335, 2.5833333333333335, 6.25, 2.5833333333333335}},
    {"var", MX_FLOAT64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT64, 3, {1,3,1}, 3, {3.6458333333333335, 2.7864583333333335, 3.4166666666666665}},
    {"var", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {2.59375}},
    {"var", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {1.71875, 1.71875, 1.71875, 4.1875, 1.71875, 1.71875, 4.1875, 1.71875}},
    {"var", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {3.625, 1.5625, 2.421875, 1.5625, 2.421875, 2.421875}},
    {"var", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {2.734375, 2.09375, 2.5625}},
    {"var", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {2.78125, 2.375}},
    {"var", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {2.0625, 2.671875, 2.0625, 2.0625}},
    {"var", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {2.96875, 1.734375}},
    {"var", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {0.5625, 4, 0.5625, 0.5625, 0.5625, 4}},
    {"var", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {2.59375}},
    {"var", MX_BFLOAT16, 0, 1, {1}, 1, 0, 1, MX_BFLOAT16, 2, {2,4}, 8, {2.578125, 2.578125, 2.578125, 6.25, 2.578125, 2.578125, 6.25, 2.578125}},
    {"var", MX_BFLOAT16, 0, 2, {0,2}, 2, 1, 2, MX_BFLOAT16, 3, {1,3,1}, 3, {3.640625, 2.796875, 3.421875}},
    {"std", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {0.48412293195724487}},
    {"std", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {0.4714045524597168, 0, 0.4714045524597168, 0.47140449285507202, 0, 0.4714045524597168, 0.47140449285507202, 0.47140449285507202}},
    {"std", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {0.5, 0.5, 0.4330126941204071, 0.5, 0.4330126941204071, 0.4330126941204071}},
    {"std", MX_BOOL, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {0.5, 0.48412293195724487, 0.4330126941204071}},
    {"std", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_BOOL, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {0.49300664663314819, 0.4714045524597168}},
    {"std", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {0.47140449285507202, 0.47140449285507202, 0.4714045524597168, 0.47140449285507202}},
    {"std", MX_BOOL, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {0.47140449285507202, 0.4714045524597168}},
    {"std", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0, 0.5, 0, 0, 0, 0.5}},
    {"std", MX_BOOL, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {0.48412293195724487}},
    {"std", MX_BOOL, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {0.57735025882720947, 0, 0.57735025882720947, 0.57735025882720947, 0, 0.57735025882720947, 0.57735025882720947, 0.57735025882720947}},
    {"std", MX_BOOL, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {0.57735025882720947, 0.55901700258255005, 0.5}},
    {"std", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_UINT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_UINT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_UINT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.0776975154876709}},
    {"std", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_UINT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_UINT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_UINT8, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_UINT8, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_UINT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_UINT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_UINT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.0776975154876709}},
    {"std", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_UINT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_UINT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_UINT16, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_UINT16, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_UINT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_UINT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_UINT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.0776975154876709}},
    {"std", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_UINT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_UINT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_UINT32, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_UINT32, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_UINT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_UINT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_UINT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.0776975154876709}},
    {"std", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_UINT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_UINT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_UINT64, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_UINT64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.07769775390625}},
    {"std", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_INT8, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_INT8, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.07769775390625}},
    {"std", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_INT16, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_INT16, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.07769775390625}},
    {"std", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_INT32, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_INT32, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {3.2185983657836914}},
    {"std", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.6246693134307861, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861, 2.6246693134307861, 4.0824832916259766, 2.6246693134307861}},
    {"std", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.8078866004943848, 2.5, 3.1124749183654785, 2.5, 3.1124749183654785, 3.1124749183654785}},
    {"std", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.3071892261505127, 2.8912584781646729, 3.2015621662139893}},
    {"std", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.3281209468841553, 3.07769775390625}},
    {"std", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.8674418926239014, 3.265986442565918, 2.8674418926239014, 2.8674418926239014}},
    {"std", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.4359214305877686, 2.6299557685852051}},
    {"std", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.5, 4, 1.5, 1.5, 1.5, 4}},
    {"std", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {3.2185983657836914}},
    {"std", MX_INT64, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.214550256729126, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126, 3.214550256729126, 5, 3.214550256729126}},
    {"std", MX_INT64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {3.8188130855560303, 3.3385374546051025, 3.696845531463623}},
    {"std", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {1.609375}},
    {"std", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {1.3125, 1.3125, 1.3125, 2.041015625, 1.3125, 1.3125, 2.041015625, 1.3125}},
    {"std", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {1.904296875, 1.25, 1.556640625, 1.25, 1.556640625, 1.556640625}},
    {"std", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {1.6533203125, 1.4453125, 1.6005859375}},
    {"std", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {1.6640625, 1.5380859375}},
    {"std", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {1.43359375, 1.6328125, 1.43359375, 1.43359375}},
    {"std", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {1.7177734375, 1.314453125}},
    {"std", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {0.75, 2, 0.75, 0.75, 0.75, 2}},
    {"std", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {1.609375}},
    {"std", MX_FLOAT16, 0, 1, {1}, 1, 0, 1, MX_FLOAT16, 2, {2,4}, 8, {1.607421875, 1.607421875, 1.607421875, 2.5, 1.607421875, 1.607421875, 2.5, 1.607421875}},
    {"std", MX_FLOAT16, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT16, 3, {1,3,1}, 3, {1.9091796875, 1.669921875, 1.8486328125}},
    {"std", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {1.6092991828918457}},
    {"std", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {1.3123346567153931, 1.3123346567153931, 1.3123346567153931, 2.0412416458129883, 1.3123346567153931, 1.3123346567153931, 2.0412416458129883, 1.3123346567153931}},
    {"std", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {1.9039433002471924, 1.25, 1.5562374591827393, 1.25, 1.5562374591827393, 1.5562374591827393}},
    {"std", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {1.6535946130752563, 1.4456292390823364, 1.6007810831069946}},
    {"std", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {1.6640604734420776, 1.538848876953125}},
    {"std", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {1.4337209463119507, 1.632993221282959, 1.4337209463119507, 1.4337209463119507}},
    {"std", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {1.7179607152938843, 1.3149778842926025}},
    {"std", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {0.75, 2, 0.75, 0.75, 0.75, 2}},
    {"std", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {1.6092991828918457}},
    {"std", MX_FLOAT32, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {1.607275128364563, 1.607275128364563, 1.607275128364563, 2.5, 1.607275128364563, 1.607275128364563, 2.5, 1.607275128364563}},
    {"std", MX_FLOAT32, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {1.9094065427780151, 1.6692687273025513, 1.8484227657318115}},
    {"std", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {1.6092991486979666}},
    {"std", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {1.3123346456686351, 1.3123346456686351, 1.3123346456686351, 2.0412414523193148, 1.3123346456686351, 1.3123346456686351, 2.0412414523193148, 1.3123346456686351}},
    {"std", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {1.9039432764659772, 1.25, 1.5562374497485916, 1.25, 1.5562374497485916, 1.5562374497485916}},
    {"std", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {1.6535945694153691, 1.4456291882775472, 1.6007810593582121}},
    {"std", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {1.6640604623096547, 1.5388487760516156}},
    {"std", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {1.4337208778404378, 1.6329931618554521, 1.4337208778404378, 1.4337208778404378}},
    {"std", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {1.7179606773406917, 1.3149778198382915}},
    {"std", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {0.75, 2, 0.75, 0.75, 0.75, 2}},
    {"std", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {1.6092991486979666}},
    {"std", MX_FLOAT64, 0, 1, {1}, 1, 0, 1, MX_FLOAT64, 2, {2,4}, 8, {1.6072751268321592, 1.6072751268321592, 1.6072751268321592, 2.5, 1.6072751268321592, 1.6072751268321592, 2.5, 1.6072751268321592}},
    {"std", MX_FLOAT64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT64, 3, {1,3,1}, 3, {1.9094065395649333, 1.6692688020008442, 1.8484227510682361}},
    {"std", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {1.609375}},
    {"std", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {1.3125, 1.3125, 1.3125, 2.046875, 1.3125, 1.3125, 2.046875, 1.3125}},
    {"std", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {1.90625, 1.25, 1.5546875, 1.25, 1.5546875, 1.5546875}},
    {"std", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {1.65625, 1.4453125, 1.6015625}},
    {"std", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {1.6640625, 1.5390625}},
    {"std", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {1.4375, 1.6328125, 1.4375, 1.4375}},
    {"std", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {1.7265625, 1.3203125}},
    {"std", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {0.75, 2, 0.75, 0.75, 0.75, 2}},
    {"std", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {1.609375}},
    {"std", MX_BFLOAT16, 0, 1, {1}, 1, 0, 1, MX_BFLOAT16, 2, {2,4}, 8, {1.609375, 1.609375, 1.609375, 2.5, 1.609375, 1.609375, 2.5, 1.609375}},
    {"std", MX_BFLOAT16, 0, 2, {0,2}, 2, 1, 2, MX_BFLOAT16, 3, {1,3,1}, 3, {1.90625, 1.671875, 1.8515625}},
    {"logsumexp", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {2.00640869140625, 2.00640869140625, 1.7436684370040894, 2.00640869140625, 1.7436683177947998, 1.7436684370040894}},
    {"logsumexp", MX_BOOL, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {1.5514446496963501, 1.5514447689056396, 1.861994743347168, 1.5514446496963501}},
    {"logsumexp", MX_BOOL, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.6931471824645996, 1.3132616281509399, 0.69314718246459961, 0.69314718246459961, 0.69314718246459961, 1.3132616281509399}},
    {"logsumexp", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {10.049498558044434, 9.066737174987793, 8.019373893737793, 10.066737174987793, 9.019373893737793, 8.3268051147460938}},
    {"logsumexp", MX_UINT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {10.049455642700195, 8.0184793472290039, 10.019044876098633, 7.0494556427001953}},
    {"logsumexp", MX_UINT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {6.0485873222351074, 9.000335693359375, 7.0485873222351074, 10.048587799072266, 5.0485873222351074, 8.000335693359375}},
    {"logsumexp", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {10.049498558044434, 9.066737174987793, 8.019373893737793, 10.066737174987793, 9.019373893737793, 8.3268051147460938}},
    {"logsumexp", MX_UINT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {10.049455642700195, 8.0184793472290039, 10.019044876098633, 7.0494556427001953}},
    {"logsumexp", MX_UINT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {6.0485873222351074, 9.000335693359375, 7.0485873222351074, 10.048587799072266, 5.0485873222351074, 8.000335693359375}},
    {"logsumexp", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {10.049498558044434, 9.066737174987793, 8.019373893737793, 10.066737174987793, 9.019373893737793, 8.3268051147460938}},
    {"logsumexp", MX_UINT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {10.049455642700195, 8.0184793472290039, 10.019044876098633, 7.0494556427001953}},
    {"logsumexp", MX_UINT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {6.0485873222351074, 9.000335693359375, 7.0485873222351074, 10.048587799072266, 5.0485873222351074, 8.000335693359375}},
    {"logsumexp", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {10.049498558044434, 9.066737174987793, 8.019373893737793, 10.066737174987793, 9.019373893737793, 8.3268051147460938}},
    {"logsumexp", MX_UINT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {10.049455642700195, 8.0184793472290039, 10.019044876098633, 7.0494556427001953}},
    {"logsumexp", MX_UINT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {6.0485873222351074, 9.000335693359375, 7.0485873222351074, 10.048587799072266, 5.0485873222351074, 8.000335693359375}},
    {"logsumexp", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.0091743469238281, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 3.3150720596313477}},
    {"logsumexp", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {6.0494985580444336, 5.066737174987793, 4.019373893737793, 6.066737174987793, 5.019373893737793, 4.3268046379089355}},
    {"logsumexp", MX_INT8, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {6.7513022422790527, 5.7364835739135742, 4.8780045509338379}},
    {"logsumexp", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"logsumexp", MX_INT8, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {6.4586873054504395, 6.4896454811096191}},
    {"logsumexp", MX_INT8, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.0494556427001953, 4.0184793472290039, 6.0190448760986328, 3.0494556427001953}},
    {"logsumexp", MX_INT8, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {6.0723295211791992, 5.4143214225769043}},
    {"logsumexp", MX_INT8, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.0485873222351074, 5.0003352165222168, 3.0485873222351074, 6.0485873222351074, 1.0485873222351074, 4.0003352165222168}},
    {"logsumexp", MX_INT8, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.0091743469238281, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 3.3150720596313477}},
    {"logsumexp", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {6.0494985580444336, 5.066737174987793, 4.019373893737793, 6.066737174987793, 5.019373893737793, 4.3268046379089355}},
    {"logsumexp", MX_INT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {6.7513022422790527, 5.7364835739135742, 4.8780045509338379}},
    {"logsumexp", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"logsumexp", MX_INT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {6.4586873054504395, 6.4896454811096191}},
    {"logsumexp", MX_INT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.0494556427001953, 4.0184793472290039, 6.0190448760986328, 3.0494556427001953}},
    {"logsumexp", MX_INT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {6.0723295211791992, 5.4143214225769043}},
    {"logsumexp", MX_INT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.0485873222351074, 5.0003352165222168, 3.0485873222351074, 6.0485873222351074, 1.0485873222351074, 4.0003352165222168}},
    {"logsumexp", MX_INT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.0091743469238281, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 3.3150720596313477}},
    {"logsumexp", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {6.0494985580444336, 5.066737174987793, 4.019373893737793, 6.066737174987793, 5.019373893737793, 4.3268046379089355}},
    {"logsumexp", MX_INT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {6.7513022422790527, 5.7364835739135742, 4.8780045509338379}},
    {"logsumexp", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"logsumexp", MX_INT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {6.4586873054504395, 6.4896454811096191}},
    {"logsumexp", MX_INT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.0494556427001953, 4.0184793472290039, 6.0190448760986328, 3.0494556427001953}},
    {"logsumexp", MX_INT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {6.0723295211791992, 5.4143214225769043}},
    {"logsumexp", MX_INT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.0485873222351074, 5.0003352165222168, 3.0485873222351074, 6.0485873222351074, 1.0485873222351074, 4.0003352165222168}},
    {"logsumexp", MX_INT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {7.1674332618713379}},
    {"logsumexp", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.0091743469238281, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 4.3150720596313477, 5.0091743469238281, 6.0067605972290039, 3.3150720596313477}},
    {"logsumexp", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {6.0494985580444336, 5.066737174987793, 4.019373893737793, 6.066737174987793, 5.019373893737793, 4.3268046379089355}},
    {"logsumexp", MX_INT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {6.7513022422790527, 5.7364835739135742, 4.8780045509338379}},
    {"logsumexp", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3, -1, 6, 2, -2, 5, 1, -3, 4, 0, -4, 3}},
    {"logsumexp", MX_INT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {6.4586873054504395, 6.4896454811096191}},
    {"logsumexp", MX_INT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {6.0494556427001953, 4.0184793472290039, 6.0190448760986328, 3.0494556427001953}},
    {"logsumexp", MX_INT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {6.0723295211791992, 5.4143214225769043}},
    {"logsumexp", MX_INT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.0485873222351074, 5.0003352165222168, 3.0485873222351074, 6.0485873222351074, 1.0485873222351074, 4.0003352165222168}},
    {"logsumexp", MX_INT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {7.1674332618713379}},
    {"logsumexp", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 0, {0}, 1, {4.6640625}},
    {"logsumexp", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_FLOAT16, 2, {2,4}, 8, {1.1240234375, 2.50390625, 2.623046875, 3.0859375, 2.50390625, 2.623046875, 3.0859375, 2.00390625}},
    {"logsumexp", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_FLOAT16, 3, {2,3,1}, 6, {3.23046875, 2.828125, 2.16796875, 3.328125, 2.66796875, 2.564453125}},
    {"logsumexp", MX_FLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 1, {3}, 3, {3.974609375, 3.4453125, 3.078125}},
    {"logsumexp", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"logsumexp", MX_FLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT16, 3, {1,1,2}, 2, {3.931640625, 4.01171875}},
    {"logsumexp", MX_FLOAT16, 2, 1, {2}, 1, 0, 0, MX_FLOAT16, 2, {2,2}, 4, {3.2265625, 2.142578125, 3.15234375, 1.7255859375}},
    {"logsumexp", MX_FLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT16, 1, {2}, 2, {3.376953125, 3.259765625}},
    {"logsumexp", MX_FLOAT16, 3, 1, {-1}, 1, 0, 0, MX_FLOAT16, 2, {2,3}, 6, {1.201171875, 2.517578125, 1.701171875, 3.201171875, 0.701171875, 2.017578125}},
    {"logsumexp", MX_FLOAT16, 1, 0, {0}, 0, 1, 0, MX_FLOAT16, 3, {1,1,1}, 1, {4.6640625}},
    {"logsumexp", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {4.6662120819091797}},
    {"logsumexp", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {1.1238729953765869, 2.5045969486236572, 2.6238729953765869, 3.0850973129272461, 2.5045969486236572, 2.6238729953765869, 3.0850973129272461, 2.0045969486236572}},
    {"logsumexp", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {3.2311637401580811, 2.8283414840698242, 2.1687705516815186, 3.3283414840698242, 2.6687705516815186, 2.5654170513153076}},
    {"logsumexp", MX_FLOAT32, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {3.9740796089172363, 3.4448823928833008, 3.0797793865203857}},
    {"logsumexp", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"logsumexp", MX_FLOAT32, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {3.9313154220581055, 4.0131406784057617}},
    {"logsumexp", MX_FLOAT32, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {3.2258021831512451, 2.1429316997528076, 3.1531782150268555, 1.7258020639419556}},
    {"logsumexp", MX_FLOAT32, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {3.377338171005249, 3.2591595649719238}},
    {"logsumexp", MX_FLOAT32, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.2014133930206299, 2.5181498527526855, 1.7014133930206299, 3.2014133930206299, 0.70141333341598511, 2.0181498527526855}},
    {"logsumexp", MX_FLOAT32, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {4.6662120819091797}},
    {"logsumexp", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 0, {0}, 1, {4.6662119993992928}},
    {"logsumexp", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_FLOAT64, 2, {2,4}, 8, {1.1238729635149423, 2.504596909948487, 2.623872963514942, 3.0850972462391932, 2.504596909948487, 2.623872963514942, 3.0850972462391932, 2.004596909948487}},
    {"logsumexp", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT64, 3, {2,3,1}, 6, {3.2311637119954524, 2.8283413020518928, 2.1687704056278889, 3.3283413020518928, 2.6687704056278889, 2.5654169782673861}},
    {"logsumexp", MX_FLOAT64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 1, {3}, 3, {3.9740796589009832, 3.4448825221307509, 3.0797793536686293}},
    {"logsumexp", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"logsumexp", MX_FLOAT64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT64, 3, {1,1,2}, 2, {3.9313155187164321, 4.0131407438448754}},
    {"logsumexp", MX_FLOAT64, 2, 1, {2}, 1, 0, 0, MX_FLOAT64, 2, {2,2}, 4, {3.2258020650569028, 2.1429316273841121, 3.1531782043815797, 1.7258020650569026}},
    {"logsumexp", MX_FLOAT64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT64, 1, {2}, 2, {3.3773381661436548, 3.2591594143720157}},
    {"logsumexp", MX_FLOAT64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT64, 2, {2,3}, 6, {1.2014132953834682, 2.518149928367674, 1.7014132953834682, 3.2014132953834684, 0.70141329538346819, 2.018149928367674}},
    {"logsumexp", MX_FLOAT64, 1, 0, {0}, 0, 1, 0, MX_FLOAT64, 3, {1,1,1}, 1, {4.6662119993992928}},
    {"logsumexp", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 0, {0}, 1, {4.65625}},
    {"logsumexp", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_BFLOAT16, 2, {2,4}, 8, {1.125, 2.5, 2.625, 3.078125, 2.5, 2.625, 3.078125, 2}},
    {"logsumexp", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_BFLOAT16, 3, {2,3,1}, 6, {3.234375, 2.828125, 2.171875, 3.328125, 2.671875, 2.5625}},
    {"logsumexp", MX_BFLOAT16, 0, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 1, {3}, 3, {3.96875, 3.4375, 3.078125}},
    {"logsumexp", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {-2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5, -0.5, 3, 1, -1, 2.5, 0.5, -1.5, 2, 0, -2, 1.5}},
    {"logsumexp", MX_BFLOAT16, 1, 2, {0,1}, 2, 1, 0, MX_BFLOAT16, 3, {1,1,2}, 2, {3.9375, 4}},
    {"logsumexp", MX_BFLOAT16, 2, 1, {2}, 1, 0, 0, MX_BFLOAT16, 2, {2,2}, 4, {3.21875, 2.140625, 3.15625, 1.7265625}},
    {"logsumexp", MX_BFLOAT16, 3, 2, {0,1}, 2, 0, 0, MX_BFLOAT16, 1, {2}, 2, {3.375, 3.265625}},
    {"logsumexp", MX_BFLOAT16, 3, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 2, {2,3}, 6, {1.203125, 2.515625, 1.703125, 3.203125, 0.703125, 2.015625}},
    {"logsumexp", MX_BFLOAT16, 1, 0, {0}, 0, 1, 0, MX_BFLOAT16, 3, {1,1,1}, 1, {4.65625}},
    {"argmax", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmax", MX_BOOL, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmax", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 0, 0, 2, 0, 0, 2, 0}},
    {"argmax", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 0, 3, 1, 1, 2}},
    {"argmax", MX_BOOL, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 0, 1, 3, 2}},
    {"argmax", MX_BOOL, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmax", MX_BOOL, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {0, 0, 2, 0}},
    {"argmax", MX_BOOL, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmax", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_UINT8, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_UINT8, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_UINT8, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_UINT8, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_UINT8, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_UINT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_UINT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_UINT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_UINT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_UINT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_UINT32, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_UINT32, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_UINT32, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_UINT32, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_UINT32, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_UINT64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_UINT64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_UINT64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_UINT64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_UINT64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_INT8, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_INT8, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_INT8, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_INT8, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_INT8, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_INT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_INT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_INT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_INT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_INT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_INT32, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_INT32, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_INT32, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_INT32, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_INT32, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_INT64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_INT64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_INT64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_INT64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_INT64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_FLOAT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_FLOAT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_FLOAT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_FLOAT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_FLOAT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_FLOAT32, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_FLOAT32, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_FLOAT32, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_FLOAT32, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_FLOAT32, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_FLOAT64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_FLOAT64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_FLOAT64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_FLOAT64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_FLOAT64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_BFLOAT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_BFLOAT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_BFLOAT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_BFLOAT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_BFLOAT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {13}},
    {"argmax", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {3}},
    {"argmax", MX_COMPLEX64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {3}},
    {"argmax", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {1, 2, 1, 0, 2, 1, 0, 2}},
    {"argmax", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {3, 2, 1, 2, 1, 0}},
    {"argmax", MX_COMPLEX64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {3, 2, 2, 1, 1, 0}},
    {"argmax", MX_COMPLEX64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {2, 0, 1, 2}},
    {"argmax", MX_COMPLEX64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {2, 1, 0, 2}},
    {"argmax", MX_COMPLEX64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {18}},
    {"argmin", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {1}},
    {"argmin", MX_BOOL, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {1}},
    {"argmin", MX_BOOL, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {2, 0, 2, 0, 0, 2, 0, 1}},
    {"argmin", MX_BOOL, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {1, 1, 0, 0, 0, 0}},
    {"argmin", MX_BOOL, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {1, 0, 1, 0, 0, 0}},
    {"argmin", MX_BOOL, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {0, 0, 1, 0}},
    {"argmin", MX_BOOL, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 2, 0, 0}},
    {"argmin", MX_BOOL, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {1}},
    {"argmin", MX_UINT8, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT8, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_UINT8, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_UINT8, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_UINT8, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_UINT8, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_UINT8, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_UINT8, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_UINT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_UINT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_UINT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_UINT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_UINT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_UINT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT32, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_UINT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_UINT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_UINT32, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_UINT32, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_UINT32, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_UINT32, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_UINT64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_UINT64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_UINT64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_UINT64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_UINT64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_UINT64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_UINT64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT8, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_INT8, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_INT8, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_INT8, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_INT8, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_INT8, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_INT8, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_INT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_INT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_INT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_INT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_INT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_INT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT32, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_INT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_INT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_INT32, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_INT32, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_INT32, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_INT32, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_INT64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_INT64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_INT64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_INT64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_INT64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_INT64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_INT64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_FLOAT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_FLOAT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_FLOAT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_FLOAT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_FLOAT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_FLOAT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_FLOAT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_FLOAT32, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_FLOAT32, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_FLOAT32, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_FLOAT32, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_FLOAT32, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_FLOAT32, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_FLOAT32, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_FLOAT64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_FLOAT64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_FLOAT64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_FLOAT64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_FLOAT64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_FLOAT64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_FLOAT64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_BFLOAT16, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_BFLOAT16, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_BFLOAT16, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_BFLOAT16, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_BFLOAT16, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_BFLOAT16, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_BFLOAT16, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"argmin", MX_COMPLEX64, 0, 0, {0}, 0, 1, 0, MX_UINT32, 3, {1,1,1}, 1, {0}},
    {"argmin", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,4}, 8, {0, 1, 0, 2, 1, 0, 2, 1}},
    {"argmin", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_UINT32, 3, {2,3,1}, 6, {0, 1, 3, 1, 3, 2}},
    {"argmin", MX_COMPLEX64, 1, 1, {0}, 1, 0, 0, MX_UINT32, 2, {3,2}, 6, {0, 1, 1, 3, 3, 2}},
    {"argmin", MX_COMPLEX64, 2, 1, {2}, 1, 1, 0, MX_UINT32, 3, {2,2,1}, 4, {1, 2, 0, 1}},
    {"argmin", MX_COMPLEX64, 3, 1, {1}, 1, 0, 0, MX_UINT32, 2, {2,2}, 4, {1, 0, 2, 1}},
    {"argmin", MX_COMPLEX64, 1, 0, {0}, 0, 0, 0, MX_UINT32, 0, {0}, 1, {0}},
    {"softmax", MX_BOOL, 0, 0, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BOOL, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0.36552929878234863, 0.13447071611881256, 0.36552929878234863, 0.13447071611881256, 0.36552929878234863, 0.13447071611881256, 0.36552929878234863, 0.13447071611881256, 0.17487770318984985, 0.17487770318984985, 0.17487770318984985, 0.47536686062812805, 0.13447071611881256, 0.36552929878234863, 0.13447071611881256, 0.36552929878234863, 0.17487771809101105, 0.47536692023277283, 0.17487771809101105, 0.17487771809101105, 0.17487770318984985, 0.17487770318984985, 0.47536686062812805, 0.17487770318984985}},
    {"softmax", MX_BOOL, 0, 1, {0}, 1, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BOOL, 0, 2, {1,2}, 2, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BOOL, 0, 2, {0}, 0, 0, 0, MX_BOOL, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BOOL, 1, 1, {1}, 1, 0, 0, MX_BOOL, 3, {4,3,2}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BOOL, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.21194157004356384, 0.57611691951751709, 0.21194157004356384, 0.21194155514240265, 0.21194155514240265, 0.57611685991287231, 0.42231881618499756, 0.15536241233348846, 0.42231881618499756, 0.21194157004356384, 0.57611691951751709, 0.21194157004356384}},
    {"softmax", MX_BOOL, 3, 2, {0,2}, 2, 0, 0, MX_BOOL, 3, {2,3,2}, 12, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_UINT8, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_UINT8, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_UINT16, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_UINT16, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_UINT32, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_UINT32, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_UINT64, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_UINT64, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_INT8, 0, 0, {0}, 0, 0, 0, MX_INT8, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT8, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_INT8, 0, 1, {0}, 1, 0, 0, MX_INT8, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT8, 0, 2, {1,2}, 2, 0, 0, MX_INT8, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT8, 0, 2, {0}, 0, 0, 0, MX_INT8, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_INT8, 1, 1, {1}, 1, 0, 0, MX_INT8, 3, {4,3,2}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT8, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_INT8, 3, 2, {0,2}, 2, 0, 0, MX_INT8, 3, {2,3,2}, 12, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT16, 0, 0, {0}, 0, 0, 0, MX_INT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT16, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_INT16, 0, 1, {0}, 1, 0, 0, MX_INT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT16, 0, 2, {1,2}, 2, 0, 0, MX_INT16, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT16, 0, 2, {0}, 0, 0, 0, MX_INT16, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_INT16, 1, 1, {1}, 1, 0, 0, MX_INT16, 3, {4,3,2}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT16, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_INT16, 3, 2, {0,2}, 2, 0, 0, MX_INT16, 3, {2,3,2}, 12, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT32, 0, 0, {0}, 0, 0, 0, MX_INT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT32, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_INT32, 0, 1, {0}, 1, 0, 0, MX_INT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT32, 0, 2, {1,2}, 2, 0, 0, MX_INT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT32, 0, 2, {0}, 0, 0, 0, MX_INT32, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_INT32, 1, 1, {1}, 1, 0, 0, MX_INT32, 3, {4,3,2}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT32, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_INT32, 3, 2, {0,2}, 2, 0, 0, MX_INT32, 3, {2,3,2}, 12, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT64, 0, 0, {0}, 0, 0, 0, MX_INT64, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT64, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {4.3207401176914573e-05, 0.047382675111293793, 0.00086784368613734841, 0.95170634984970093, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.046572864055633545, 0.00085301150102168322, 0.93544083833694458, 0.017133196815848351, 0.00089438498253002763, 0.9808124303817749, 0.017964206635951996, 0.00032902593375183642, 0.72122460603713989, 0.013209689408540726, 0.00024194392608478665, 0.2653236985206604}},
    {"softmax", MX_INT64, 0, 1, {0}, 1, 0, 0, MX_INT64, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT64, 0, 2, {1,2}, 2, 0, 0, MX_INT64, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT64, 0, 2, {0}, 0, 0, 0, MX_INT64, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_INT64, 1, 1, {1}, 1, 0, 0, MX_INT64, 3, {4,3,2}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_INT64, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.04738471657037735, 0.00086788111366331577, 0.9517473578453064, 0.98169034719467163, 0.017980286851525307, 0.00032932043541222811, 0.00089467933867126703, 0.98113518953323364, 0.017970118671655655, 0.04738471657037735, 0.00086788111366331577, 0.9517473578453064}},
    {"softmax", MX_INT64, 3, 2, {0,2}, 2, 0, 0, MX_INT64, 3, {2,3,2}, 12, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"softmax", MX_FLOAT16, 0, 0, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {0.0012731552124023438, 0.042144775390625, 0.005706787109375, 0.18896484375, 0.02557373046875, 0.003459930419921875, 0.11456298828125, 0.01551055908203125, 0.00209808349609375, 0.06951904296875, 0.00940704345703125, 0.0012731552124023438, 0.042144775390625, 0.005706787109375, 0.18896484375, 0.02557373046875, 0.003459930419921875, 0.11456298828125, 0.01551055908203125, 0.00209808349609375, 0.06951904296875, 0.00940704345703125, 0.0012731552124023438, 0.042144775390625}},
    {"softmax", MX_FLOAT16, 0, 0, {0}, 0, 0, 1, MX_FLOAT16, 3, {2,3,4}, 24, {0.0012731552124023438, 0.04217529296875, 0.005706787109375, 0.18896484375, 0.02557373046875, 0.0034618377685546875, 0.1146240234375, 0.01551055908203125, 0.0020999908447265625, 0.06951904296875, 0.00940704345703125, 0.0012731552124023438, 0.04217529296875, 0.005706787109375, 0.18896484375, 0.02557373046875, 0.0034618377685546875, 0.1146240234375, 0.01551055908203125, 0.0020999908447265625, 0.06951904296875, 0.00940704345703125, 0.0012731552124023438, 0.04217529296875}},
    {"softmax", MX_FLOAT16, 0, 1, {-1}, 1, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {0.00534820556640625, 0.1771240234375, 0.0239715576171875, 0.7939453125, 0.16064453125, 0.021728515625, 0.7197265625, 0.097412109375, 0.0254974365234375, 0.84423828125, 0.11431884765625, 0.0154571533203125, 0.16064453125, 0.021728515625, 0.7197265625, 0.097412109375, 0.0254974365234375, 0.84423828125, 0.11431884765625, 0.0154571533203125, 0.56787109375, 0.076904296875, 0.01039886474609375, 0.344482421875}},
    {"softmax", MX_FLOAT16, 0, 1, {-1}, 1, 0, 1, MX_FLOAT16, 3, {2,3,4}, 24, {0.00534820556640625, 0.1771240234375, 0.0239715576171875, 0.79345703125, 0.16064453125, 0.0217437744140625, 0.72021484375, 0.09747314453125, 0.0255126953125, 0.8447265625, 0.11431884765625, 0.015472412109375, 0.16064453125, 0.0217437744140625, 0.72021484375, 0.09747314453125, 0.0255126953125, 0.8447265625, 0.11431884765625, 0.015472412109375, 0.568359375, 0.076904296875, 0.010406494140625, 0.344482421875}},
    {"softmax", MX_FLOAT16, 0, 1, {0}, 1, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {0.0293121337890625, 0.88037109375, 0.0293121337890625, 0.88037109375, 0.88037109375, 0.0293121337890625, 0.88037109375, 0.88037109375, 0.0293121337890625, 0.88037109375, 0.88037109375, 0.0293121337890625, 0.970703125, 0.11920166015625, 0.970703125, 0.11920166015625, 0.11920166015625, 0.970703125, 0.11920166015625, 0.11920166015625, 0.970703125, 0.11920166015625, 0.11920166015625, 0.970703125}},
    {"softmax", MX_FLOAT16, 0, 1, {0}, 1, 0, 1, MX_FLOAT16, 3, {2,3,4}, 24, {0.0293121337890625, 0.880859375, 0.0293121337890625, 0.880859375, 0.880859375, 0.0293121337890625, 0.880859375, 0.880859375, 0.0293121337890625, 0.880859375, 0.880859375, 0.0293121337890625, 0.970703125, 0.11920166015625, 0.970703125, 0.11920166015625, 0.11920166015625, 0.970703125, 0.11920166015625, 0.11920166015625, 0.970703125, 0.11920166015625, 0.11920166015625, 0.970703125}},
    {"softmax", MX_FLOAT16, 0, 2, {1,2}, 2, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {0.002655029296875, 0.08795166015625, 0.01190185546875, 0.39404296875, 0.0533447265625, 0.0072174072265625, 0.239013671875, 0.0323486328125, 0.0043792724609375, 0.14501953125, 0.019622802734375, 0.002655029296875, 0.0810546875, 0.01096343994140625, 0.363037109375, 0.049163818359375, 0.006649017333984375, 0.22021484375, 0.029815673828125, 0.004032135009765625, 0.133544921875, 0.01806640625, 0.0024471282958984375, 0.0810546875}},
    {"softmax", MX_FLOAT16, 0, 2, {1,2}, 2, 0, 1, MX_FLOAT16, 3, {2,3,4}, 24, {0.002655029296875, 0.087890625, 0.01190185546875, 0.39404296875, 0.053314208984375, 0.0072174072265625, 0.239013671875, 0.0323486328125, 0.004375457763671875, 0.1448974609375, 0.019622802734375, 0.002655029296875, 0.08099365234375, 0.01096343994140625, 0.363037109375, 0.04913330078125, 0.006649017333984375, 0.22021484375, 0.0298004150390625, 0.004032135009765625, 0.133544921875, 0.0180816650390625, 0.0024471282958984375, 0.08099365234375}},
    {"softmax", MX_FLOAT16, 0, 2, {0}, 0, 0, 0, MX_FLOAT16, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_FLOAT16, 0, 2, {0}, 0, 0, 1, MX_FLOAT16, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_FLOAT16, 1, 1, {1}, 1, 0, 0, MX_FLOAT16, 3, {4,3,2}, 24, {0.043975830078125, 0.3662109375, 0.88330078125, 0.030059814453125, 0.072509765625, 0.60400390625, 0.3662109375, 0.043975830078125, 0.030059814453125, 0.88330078125, 0.60400390625, 0.072509765625, 0.043975830078125, 0.91845703125, 0.88330078125, 0.07537841796875, 0.072509765625, 0.00618743896484375, 0.91845703125, 0.3662109375, 0.07537841796875, 0.030059814453125, 0.00618743896484375, 0.60400390625}},
    {"softmax", MX_FLOAT16, 1, 1, {1}, 1, 0, 1, MX_FLOAT16, 3, {4,3,2}, 24, {0.043975830078125, 0.3662109375, 0.88330078125, 0.030059814453125, 0.072509765625, 0.603515625, 0.3662109375, 0.043975830078125, 0.030059814453125, 0.88330078125, 0.603515625, 0.072509765625, 0.043975830078125, 0.91845703125, 0.88330078125, 0.07537841796875, 0.072509765625, 0.00618743896484375, 0.91845703125, 0.3662109375, 0.07537841796875, 0.030059814453125, 0.00618743896484375, 0.603515625}},
    {"softmax", MX_FLOAT16, 2, 1, {-1}, 1, 0, 0, MX_FLOAT16, 3, {2,2,3}, 12, {0.177978515625, 0.024078369140625, 0.79736328125, 0.8662109375, 0.11724853515625, 0.0158538818359375, 0.0258941650390625, 0.857421875, 0.1160888671875, 0.177978515625, 0.024078369140625, 0.79736328125}},
    {"softmax", MX_FLOAT16, 2, 1, {-1}, 1, 0, 1, MX_FLOAT16, 3, {2,2,3}, 12, {0.177978515625, 0.0240936279296875, 0.7978515625, 0.86669921875, 0.1173095703125, 0.015869140625, 0.025909423828125, 0.85791015625, 0.1160888671875, 0.177978515625, 0.0240936279296875, 0.7978515625}},
    {"softmax", MX_FLOAT16, 3, 2, {0,2}, 2, 0, 0, MX_FLOAT16, 3, {2,3,2}, 12, {0.09747314453125, 0.0217437744140625, 0.015472412109375, 0.8447265625, 0.3447265625, 0.076904296875, 0.72021484375, 0.16064453125, 0.1143798828125, 0.0255126953125, 0.010406494140625, 0.568359375}},
    {"softmax", MX_FLOAT16, 3, 2, {0,2}, 2, 0, 1, MX_FLOAT16, 3, {2,3,2}, 12, {0.09747314453125, 0.0217437744140625, 0.015472412109375, 0.8447265625, 0.344482421875, 0.076904296875, 0.72021484375, 0.16064453125, 0.11431884765625, 0.0255126953125, 0.010406494140625, 0.568359375}},
    {"softmax", MX_FLOAT32, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0.0012732127215713263, 0.042163018137216568, 0.0057061430998146534, 0.18896152079105377, 0.025573160499334335, 0.0034609509166330099, 0.114610955119133, 0.015510905534029007, 0.0020991731435060501, 0.069515056908130646, 0.0094078416004776955, 0.0012732127215713263, 0.042163018137216568, 0.0057061430998146534, 0.18896152079105377, 0.025573160499334335, 0.0034609509166330099, 0.114610955119133, 0.015510905534029007, 0.0020991731435060501, 0.069515056908130646, 0.0094078416004776955, 0.0012732127215713263, 0.042163018137216568}},
    {"softmax", MX_FLOAT32, 0, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0.0053472989238798618, 0.17707823216915131, 0.023964928463101387, 0.79360949993133545, 0.16067987680435181, 0.021745651960372925, 0.72011715173721313, 0.097457259893417358, 0.025507813319563866, 0.84470278024673462, 0.11431808769702911, 0.015471271239221096, 0.16067987680435181, 0.021745651960372925, 0.72011715173721313, 0.097457259893417358, 0.025507813319563866, 0.84470278024673462, 0.11431808769702911, 0.015471271239221096, 0.56812316179275513, 0.076887108385562897, 0.010405538603663445, 0.34458410739898682}},
    {"softmax", MX_FLOAT32, 0, 1, {0}, 1, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0.029312228783965111, 0.88079702854156494, 0.029312228783965111, 0.88079702854156494, 0.88079702854156494, 0.029312228783965111, 0.88079702854156494, 0.88079702854156494, 0.029312228783965111, 0.88079702854156494, 0.88079702854156494, 0.029312228783965111, 0.97068774700164795, 0.11920291930437088, 0.97068774700164795, 0.11920291930437088, 0.11920291930437088, 0.97068774700164795, 0.11920291930437088, 0.11920291930437088, 0.97068774700164795, 0.11920291930437088, 0.11920291930437088, 0.97068774700164795}},
    {"softmax", MX_FLOAT32, 0, 2, {1,2}, 2, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0.002654986921697855, 0.087921097874641418, 0.011898825876414776, 0.39403501152992249, 0.053326837718486786, 0.0072170030325651169, 0.23899431526660919, 0.032344363629817963, 0.0043773339129984379, 0.14495737850666046, 0.019617849960923195, 0.002654986921697855, 0.081013403832912445, 0.010963969863951206, 0.3630768358707428, 0.049137108027935028, 0.0066499845124781132, 0.22021724283695221, 0.029803162440657616, 0.0040334202349185944, 0.13356851041316986, 0.018076533451676369, 0.0024463925510644913, 0.081013403832912445}},
    {"softmax", MX_FLOAT32, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_FLOAT32, 1, 1, {1}, 1, 0, 0, MX_FLOAT32, 3, {4,3,2}, 24, {0.043986484408378601, 0.36619222164154053, 0.88349205255508423, 0.030058890581130981, 0.072521448135375977, 0.60374891757965088, 0.36619222164154053, 0.043986484408378601, 0.030058890581130981, 0.88349205255508423, 0.60374891757965088, 0.072521448135375977, 0.043986484408378601, 0.91842293739318848, 0.88349205255508423, 0.075388744473457336, 0.072521448135375977, 0.0061882850714027882, 0.91842293739318848, 0.36619222164154053, 0.075388744473457336, 0.030058890581130981, 0.0061882850714027882, 0.60374891757965088}},
    {"softmax", MX_FLOAT32, 2, 1, {-1}, 1, 0, 0, MX_FLOAT32, 3, {2,2,3}, 12, {0.17803022265434265, 0.024093765765428543, 0.79787600040435791, 0.8668133020401001, 0.11731041967868805, 0.015876239165663719, 0.025908652693033218, 0.85797679424285889, 0.1161145344376564, 0.17803022265434265, 0.024093765765428543, 0.79787600040435791}},
    {"softmax", MX_FLOAT32, 3, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 3, {2,3,2}, 12, {0.097457259893417358, 0.021745651960372925, 0.015471271239221096, 0.84470278024673462, 0.3445841372013092, 0.076887108385562897, 0.72011715173721313, 0.16067987680435181, 0.11431808769702911, 0.025507811456918716, 0.010405539534986019, 0.56812316179275513}},
    {"softmax", MX_FLOAT64, 0, 0, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {0.0012732125576903396, 0.042163013313870172, 0.0057061425308444482, 0.18896149791713837, 0.025573157511629765, 0.0034609506462885855, 0.11461094324642519, 0.015510904270899056, 0.0020991729419764299, 0.069515051985626963, 0.0094078401418304231, 0.0012732125576903396, 0.042163013313870172, 0.0057061425308444482, 0.18896149791713837, 0.025573157511629765, 0.0034609506462885855, 0.11461094324642519, 0.015510904270899056, 0.0020991729419764299, 0.069515051985626963, 0.0094078401418304231, 0.0012732125576903396, 0.042163013313870172}},
    {"softmax", MX_FLOAT64, 0, 1, {-1}, 1, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {0.0053472989639808946, 0.17707823886104396, 0.023964930175416031, 0.79360953199955908, 0.16067988155067989, 0.021745654162383284, 0.72011720028029136, 0.097457264006645408, 0.025507813713593487, 0.84470282013769482, 0.11431809393981265, 0.015471272208898983, 0.16067988155067989, 0.021745654162383284, 0.72011720028029136, 0.097457264006645408, 0.025507813713593487, 0.84470282013769482, 0.11431809393981265, 0.015471272208898983, 0.56812320233206548, 0.076887113509337274, 0.010405539678484784, 0.34458414448011254}},
    {"softmax", MX_FLOAT64, 0, 1, {0}, 1, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {0.029312229386009268, 0.88079707933191798, 0.029312229386009268, 0.88079707933191798, 0.88079707933191798, 0.029312229386009268, 0.88079707933191798, 0.88079707933191798, 0.029312229386009268, 0.88079707933191798, 0.88079707933191798, 0.029312229386009268, 0.9706877706139907, 0.11920292066808205, 0.9706877706139907, 0.11920292066808205, 0.11920292066808205, 0.9706877706139907, 0.11920292066808205, 0.11920292066808205, 0.9706877706139907, 0.11920292066808205, 0.11920292066808205, 0.9706877706139907}},
    {"softmax", MX_FLOAT64, 0, 2, {1,2}, 2, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {0.0026549870050264573, 0.087921103012171611, 0.011898825672677185, 0.39403500883656339, 0.053326838838315148, 0.007217003111878618, 0.23899431647538841, 0.032344363104736311, 0.0043773342075424824, 0.14495738245810313, 0.019617850272570833, 0.0026549870050264573, 0.081013404652903354, 0.010963970492743962, 0.36307685555159186, 0.04913710844904335, 0.0066499847414669515, 0.22021724713444837, 0.029803163139134958, 0.0040334201381384167, 0.13356851404466843, 0.018076534393930782, 0.0024463926090262066, 0.081013404652903354}},
    {"softmax", MX_FLOAT64, 0, 2, {0}, 0, 0, 0, MX_FLOAT64, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_FLOAT64, 1, 1, {1}, 1, 0, 0, MX_FLOAT64, 3, {4,3,2}, 24, {0.043986485330985807, 0.36619221750456632, 0.88349206948111991, 0.030058890939044871, 0.072521445187894273, 0.60374889155638878, 0.36619221750456632, 0.043986485330985807, 0.030058890939044871, 0.88349206948111991, 0.60374889155638878, 0.072521445187894273, 0.043986485330985807, 0.91842296687911351, 0.88349206948111991, 0.075388747848007948, 0.072521445187894273, 0.0061882852728785912, 0.91842296687911351, 0.36619221750456632, 0.075388747848007948, 0.030058890939044871, 0.0061882852728785912, 0.60374889155638878}},
    {"softmax", MX_FLOAT64, 2, 1, {-1}, 1, 0, 0, MX_FLOAT64, 3, {2,2,3}, 12, {0.17803021967024396, 0.02409376674939346, 0.79787601358036264, 0.86681333316451437, 0.11731042644421388, 0.015876240391271772, 0.025908653545156663, 0.85797681295992145, 0.11611453349492191, 0.17803021967024396, 0.02409376674939346, 0.79787601358036264}},
    {"softmax", MX_FLOAT64, 3, 2, {0,2}, 2, 0, 0, MX_FLOAT64, 3, {2,3,2}, 12, {0.097457264006645408, 0.021745654162383287, 0.015471272208898984, 0.84470282013769482, 0.34458414448011249, 0.076887113509337274, 0.72011720028029136, 0.16067988155067991, 0.11431809393981265, 0.025507813713593487, 0.010405539678484782, 0.56812320233206548}},
    {"softmax", MX_BFLOAT16, 0, 0, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {0.00127410888671875, 0.042236328125, 0.005706787109375, 0.189453125, 0.0257568359375, 0.0034637451171875, 0.11474609375, 0.0155029296875, 0.002105712890625, 0.0693359375, 0.00946044921875, 0.00127410888671875, 0.042236328125, 0.005706787109375, 0.189453125, 0.0257568359375, 0.0034637451171875, 0.11474609375, 0.0155029296875, 0.002105712890625, 0.0693359375, 0.00946044921875, 0.00127410888671875, 0.042236328125}},
    {"softmax", MX_BFLOAT16, 0, 0, {0}, 0, 0, 1, MX_BFLOAT16, 3, {2,3,4}, 24, {0.00127410888671875, 0.042236328125, 0.005706787109375, 0.1884765625, 0.0255126953125, 0.0034637451171875, 0.11474609375, 0.0155029296875, 0.002105712890625, 0.0693359375, 0.0093994140625, 0.00127410888671875, 0.042236328125, 0.005706787109375, 0.1884765625, 0.0255126953125, 0.0034637451171875, 0.11474609375, 0.0155029296875, 0.002105712890625, 0.0693359375, 0.0093994140625, 0.00127410888671875, 0.042236328125}},
    {"softmax", MX_BFLOAT16, 0, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {0.00537109375, 0.177734375, 0.0240478515625, 0.796875, 0.1611328125, 0.021728515625, 0.72265625, 0.09814453125, 0.0255126953125, 0.84765625, 0.115234375, 0.0155029296875, 0.1611328125, 0.021728515625, 0.72265625, 0.09814453125, 0.0255126953125, 0.84765625, 0.115234375, 0.0155029296875, 0.5703125, 0.07763671875, 0.01043701171875, 0.345703125}},
    {"softmax", MX_BFLOAT16, 0, 1, {-1}, 1, 0, 1, MX_BFLOAT16, 3, {2,3,4}, 24, {0.005340576171875, 0.1767578125, 0.02392578125, 0.79296875, 0.1611328125, 0.021728515625, 0.71875, 0.09765625, 0.0255126953125, 0.84375, 0.1142578125, 0.01544189453125, 0.1611328125, 0.021728515625, 0.71875, 0.09765625, 0.0255126953125, 0.84375, 0.1142578125, 0.01544189453125, 0.56640625, 0.07666015625, 0.0103759765625, 0.34375}},
    {"softmax", MX_BFLOAT16, 0, 1, {0}, 1, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {0.029296875, 0.8828125, 0.029296875, 0.8828125, 0.8828125, 0.029296875, 0.8828125, 0.8828125, 0.029296875, 0.8828125, 0.8828125, 0.029296875, 0.96875, 0.11962890625, 0.96875, 0.11962890625, 0.11962890625, 0.96875, 0.11962890625, 0.11962890625, 0.96875, 0.11962890625, 0.11962890625, 0.96875}},
    {"softmax", MX_BFLOAT16, 0, 1, {0}, 1, 0, 1, MX_BFLOAT16, 3, {2,3,4}, 24, {0.029296875, 0.87890625, 0.029296875, 0.87890625, 0.87890625, 0.029296875, 0.87890625, 0.87890625, 0.029296875, 0.87890625, 0.87890625, 0.029296875, 0.96875, 0.119140625, 0.96875, 0.119140625, 0.119140625, 0.96875, 0.119140625, 0.119140625, 0.96875, 0.119140625, 0.119140625, 0.96875}},
    {"softmax", MX_BFLOAT16, 0, 2, {1,2}, 2, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {0.0026702880859375, 0.087890625, 0.01190185546875, 0.39453125, 0.0537109375, 0.007232666015625, 0.2392578125, 0.032470703125, 0.00439453125, 0.1455078125, 0.0196533203125, 0.0026702880859375, 0.0810546875, 0.010986328125, 0.36328125, 0.04931640625, 0.00665283203125, 0.2197265625, 0.02978515625, 0.0040283203125, 0.1337890625, 0.01806640625, 0.0024566650390625, 0.0810546875}},
    {"softmax", MX_BFLOAT16, 0, 2, {1,2}, 2, 0, 1, MX_BFLOAT16, 3, {2,3,4}, 24, {0.002655029296875, 0.087890625, 0.01190185546875, 0.39453125, 0.05322265625, 0.0072021484375, 0.2392578125, 0.0322265625, 0.004364013671875, 0.14453125, 0.0196533203125, 0.002655029296875, 0.0810546875, 0.010986328125, 0.36328125, 0.049072265625, 0.00665283203125, 0.220703125, 0.02978515625, 0.0040283203125, 0.1337890625, 0.01806640625, 0.00244140625, 0.0810546875}},
    {"softmax", MX_BFLOAT16, 0, 2, {0}, 0, 0, 0, MX_BFLOAT16, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BFLOAT16, 0, 2, {0}, 0, 0, 1, MX_BFLOAT16, 3, {2,3,4}, 24, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
    {"softmax", MX_BFLOAT16, 1, 1, {1}, 1, 0, 0, MX_BFLOAT16, 3, {4,3,2}, 24, {0.0439453125, 0.365234375, 0.8828125, 0.030029296875, 0.072265625, 0.60546875, 0.365234375, 0.0439453125, 0.030029296875, 0.8828125, 0.60546875, 0.072265625, 0.0439453125, 0.921875, 0.8828125, 0.07568359375, 0.072265625, 0.0062255859375, 0.921875, 0.365234375, 0.07568359375, 0.030029296875, 0.0062255859375, 0.60546875}},
    {"softmax", MX_BFLOAT16, 1, 1, {1}, 1, 0, 1, MX_BFLOAT16, 3, {4,3,2}, 24, {0.0439453125, 0.365234375, 0.8828125, 0.030029296875, 0.07275390625, 0.60546875, 0.365234375, 0.0439453125, 0.030029296875, 0.8828125, 0.60546875, 0.07275390625, 0.0439453125, 0.91796875, 0.8828125, 0.0751953125, 0.07275390625, 0.006195068359375, 0.91796875, 0.365234375, 0.0751953125, 0.030029296875, 0.006195068359375, 0.60546875}},
    {"softmax", MX_BFLOAT16, 2, 1, {-1}, 1, 0, 0, MX_BFLOAT16, 3, {2,2,3}, 12, {0.1787109375, 0.024169921875, 0.80078125, 0.87109375, 0.1181640625, 0.0159912109375, 0.02587890625, 0.859375, 0.11669921875, 0.1787109375, 0.024169921875, 0.80078125}},
    {"softmax", MX_BFLOAT16, 2, 1, {-1}, 1, 0, 1, MX_BFLOAT16, 3, {2,2,3}, 12, {0.177734375, 0.0240478515625, 0.796875, 0.8671875, 0.1171875, 0.015869140625, 0.02587890625, 0.859375, 0.1162109375, 0.177734375, 0.0240478515625, 0.796875}},
    {"softmax", MX_BFLOAT16, 3, 2, {0,2}, 2, 0, 0, MX_BFLOAT16, 3, {2,3,2}, 12, {0.09765625, 0.021728515625, 0.01544189453125, 0.84375, 0.34375, 0.0771484375, 0.71875, 0.16015625, 0.1142578125, 0.025390625, 0.01043701171875, 0.5703125}},
    {"softmax", MX_BFLOAT16, 3, 2, {0,2}, 2, 0, 1, MX_BFLOAT16, 3, {2,3,2}, 12, {0.09765625, 0.021728515625, 0.01544189453125, 0.84375, 0.34375, 0.07666015625, 0.71875, 0.1611328125, 0.1142578125, 0.0255126953125, 0.0103759765625, 0.56640625}},
    {"var", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {6.629775047302246}},
    {"var", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {8.61111068725586, 2.3888888359069824, 2.3888890743255615, 11.05555534362793, 2.3888888359069824, 2.3888890743255615, 11.055556297302246, 2.3888888359069824}},
    {"var", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {7.3125, 6.5625, 6.109375, 5.25, 5.671875, 5.671875}},
    {"var", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {6.484375, 6.27734375, 6.421875}},
    {"var", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"var", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {7.269097805023193, 5.94444465637207}},
    {"var", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {4.722222328186035, 6.888889312744141, 6.277778148651123, 6.277778148651123}},
    {"var", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {7.423611640930176, 4.645833492279053}},
    {"var", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {2.8125, 6.25, 2.8125, 4.5625, 4.5625, 6.25}},
    {"var", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {6.629775047302246}},
    {"var", MX_COMPLEX64, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {12.916666030883789, 3.5833332538604736, 3.5833334922790527, 16.583332061767578, 3.5833332538604736, 3.5833334922790527, 16.58333396911621, 3.5833332538604736}},
    {"var", MX_COMPLEX64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {8.645833015441895, 8.369791984558105, 8.5625}},
    {"std", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_FLOAT32, 0, {0}, 1, {2.5748350620269775}},
    {"std", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_FLOAT32, 2, {2,4}, 8, {2.93446946144104, 1.5456030368804932, 1.5456031560897827, 3.3249895572662354, 1.5456030368804932, 1.5456031560897827, 3.3249895572662354, 1.5456030368804932}},
    {"std", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_FLOAT32, 3, {2,3,1}, 6, {2.7041635513305664, 2.5617377758026123, 2.471714973449707, 2.291287899017334, 2.3815698623657227, 2.3815698623657227}},
    {"std", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_FLOAT32, 1, {3}, 3, {2.5464437007904053, 2.505462884902954, 2.534141778945923}},
    {"std", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_FLOAT32, 3, {2,3,4}, 24, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"std", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_FLOAT32, 3, {1,1,2}, 2, {2.6961264610290527, 2.4381232261657715}},
    {"std", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_FLOAT32, 2, {2,2}, 4, {2.173067569732666, 2.624669313430786, 2.505549430847168, 2.505549430847168}},
    {"std", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_FLOAT32, 1, {2}, 2, {2.72463059425354, 2.1554195880889893}},
    {"std", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_FLOAT32, 2, {2,3}, 6, {1.6770509481430054, 2.5, 1.6770509481430054, 2.136000871658325, 2.136000871658325, 2.5}},
    {"std", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_FLOAT32, 3, {1,1,1}, 1, {2.5748350620269775}},
    {"std", MX_COMPLEX64, 0, 1, {1}, 1, 0, 1, MX_FLOAT32, 2, {2,4}, 8, {3.5939762592315674, 1.8929693698883057, 1.8929694890975952, 4.072263717651367, 1.8929693698883057, 1.8929694890975952, 4.072264194488525, 1.8929693698883057}},
    {"std", MX_COMPLEX64, 0, 2, {0,2}, 2, 1, 2, MX_FLOAT32, 3, {1,3,1}, 3, {2.9403798580169678, 2.893059253692627, 2.9261748790740967}},
    {"logsumexp", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 0, {0}, 2, {3.7494122982025146, -1.9978009462356567}},
    {"logsumexp", MX_COMPLEX64, 0, 1, {1}, 1, 0, 0, MX_COMPLEX64, 2, {2,4}, 16, {1.0894265174865723, 2.9495363235473633, 1.9753934144973755, 0.6537836194038391, 2.569148540496826, -1.025364637374878, 3.047822952270508, -2.072068452835083, 1.9753934144973755, -0.3462163805961609, 2.569148540496826, -2.025364637374878, 3.0780036449432373, -3.0271944999694824, 1.4753934144973755, 0.6537836194038391}},
    {"logsumexp", MX_COMPLEX64, 0, 1, {-1}, 1, 1, 0, MX_COMPLEX64, 3, {2,3,1}, 12, {2.846764087677002, -2.172283887863159, 2.311988353729248, -1.324855089187622, 1.9141238927841187, -0.1015322208404541, 2.917501926422119, -3.298936605453491, 2.5125350952148438, -2.0986506938934326, 2.2719407081604004, -0.6983809471130371}},
    {"logsumexp", MX_COMPLEX64, 0, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 1, {3}, 6, {3.4083080291748047, -2.7579360008239746, 3.034465789794922, -1.7524487972259521, 2.758373737335205, -0.45435720682144165}},
    {"logsumexp", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-2, -3, 1.5, 2, -0.5, 0, 3, -2, 1, 3, -1, 1, 2.5, -1, 0.5, -3, -1.5, 2, 2, 0, 0, -2, -2, 3, 1.5, 1, -0.5, -1, 3, -3, 1, 2, -1, 0, 2.5, -2, 0.5, 3, -1.5, 1, 2, -1, 0, -3, -2, 2, 1.5, 0}},
    {"logsumexp", MX_COMPLEX64, 1, 2, {0,1}, 2, 1, 0, MX_COMPLEX64, 3, {1,1,2}, 4, {3.206468343734741, -1.5929615497589111, 3.093757390975952, -2.4543612003326416}},
    {"logsumexp", MX_COMPLEX64, 2, 1, {2}, 1, 0, 0, MX_COMPLEX64, 2, {2,2}, 8, {2.8414533138275146, -2.1664695739746094, 1.9310317039489746, -0.12943866848945618, 3.030444860458374, -3.0994133949279785, 1.2341405153274536, -0.005257008597254753}},
    {"logsumexp", MX_COMPLEX64, 3, 2, {0,1}, 2, 0, 0, MX_COMPLEX64, 1, {2}, 4, {2.8425965309143066, -1.96897292137146, 1.993919849395752, -1.5720499753952026}},
    {"logsumexp", MX_COMPLEX64, 3, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 2, {2,3}, 12, {0.7512037754058838, 1.9596060514450073, 2.4817047119140625, -1.9973676204681396, 1.2512037754058838, -0.040393900126218796, 2.8615245819091797, -2.1951825618743896, 0.36152464151382446, -3.1951825618743896, 1.9817047119140625, 0.00263242912478745}},
    {"logsumexp", MX_COMPLEX64, 1, 0, {0}, 0, 1, 0, MX_COMPLEX64, 3, {1,1,1}, 2, {3.7494122982025146, -1.9978009462356567}},
    {"softmax", MX_COMPLEX64, 0, 0, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {0.00171477731782943, -0.002683569211512804, -0.06910937279462814, -0.07966150343418121, -0.005910951644182205, 0.012991084717214108, 0.47264307737350464, -0.0010393671691417694, 0.018009647727012634, -0.06137776002287865, -0.008567441254854202, 0.0012404881417751312, 0.15542028844356537, 0.24088598787784576, 0.020890263840556145, -0.0326925665140152, -0.0034407530911266804, -0.003966112621128559, -0.07201013714075089, 0.15826380252838135, 0.023531511425971985, -5.174704347155057e-05, 0.0008966475143097341, -0.0030558190774172544, -0.10437279939651489, 0.015112238936126232, 0.00773792015388608, 0.01199300680309534, 0.2544955313205719, -0.3982769846916199, -0.04191695153713226, -0.04831714183092117, -0.0035851732827723026, 0.007879490964114666, 0.2866725027561188, -0.0006304080598056316, 0.010923403315246105, -0.03722749650478363, -0.005196415353566408, 0.000752394029404968, 0.09426716715097427, 0.14610473811626434, 0.012670585885643959, -0.019829044118523598, -0.0020869222935289145, -0.0024055689573287964, -0.04367635399103165, 0.09599185734987259}},
    {"softmax", MX_COMPLEX64, 0, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {0.005313527304679155, -0.005783408414572477, -0.13374020159244537, -0.22305923700332642, -0.01991751417517662, 0.029020624235272408, 1.1483441591262817, 0.19982202351093292, -0.10176415741443634, -0.2493150234222412, -0.024949420243501663, 0.026564359664916992, 1.1437257528305054, 0.38519129157066345, -0.01701224222779274, -0.16244064271450043, -0.0166555754840374, 0.02837860956788063, 1.0840595960617065, 0.1104467585682869, -0.04746194928884506, -0.1396246701478958, -0.019942015409469604, 0.0007993131875991821, -0.09735708683729172, -0.22190064191818237, -0.021824007853865623, 0.024478064849972725, 1.0378327369689941, 0.3198305368423462, 0.08134829998016357, -0.1224079430103302, -0.015020381659269333, 0.025762246921658516, 0.9827417135238647, 0.09726394712924957, 0.05034952238202095, -0.12380265444517136, -0.01807081140577793, 0.0007764720357954502, 0.7275048494338989, -0.22633488476276398, -0.0688253715634346, -0.07677972316741943, -0.012606360949575901, 0.0059843664057552814, 0.3539268672466278, 0.2971302568912506}},
    {"softmax", MX_COMPLEX64, 0, 1, {0}, 1, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {-0.01958160474896431, 0.023770146071910858, 1.1541476249694824, 0.02545267902314663, -0.030796555802226067, 0.004528060555458069, 1.083368182182312, 0.12172909826040268, 1.1541476249694824, 0.02545267902314663, -0.030796555802226067, 0.004528060555458069, 1.083368182182312, 0.12172909826040268, 1.083368182182312, 0.12172909826040268, -0.030796555802226067, 0.004528060555458069, 1.1541476249694824, 0.02545267902314663, 1.083368182182312, 0.12172909826040268, -0.030796555802226067, 0.004528060555458069, 1.0195815563201904, -0.023770146071910858, -0.1541476547718048, -0.02545267902314663, 1.0307965278625488, -0.004528060555458069, -0.08336812257766724, -0.12172909826040268, -0.1541476547718048, -0.02545267902314663, 1.0307965278625488, -0.004528060555458069, -0.08336812257766724, -0.12172909826040268, -0.08336812257766724, -0.12172909826040268, 1.0307965278625488, -0.004528060555458069, -0.1541476547718048, -0.02545267902314663, -0.08336812257766724, -0.12172909826040268, 1.0307965278625488, -0.004528060555458069}},
    {"softmax", MX_COMPLEX64, 0, 2, {1,2}, 2, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {0.000893550633918494, -0.005407669581472874, -0.16332803666591644, -0.07917239516973495, -0.0005444270791485906, 0.024558089673519135, 0.7469908595085144, -0.3220386803150177, -0.013116374611854553, -0.10930459946393967, -0.012712322175502777, 0.007770066149532795, 0.40915775299072266, 0.27571240067481995, 0.010885673575103283, -0.06587890535593033, -0.008131624199450016, -0.003941760864108801, -0.006632490083575249, 0.2991787791252136, 0.03719048202037811, -0.016033360734581947, -0.0006530259852297604, -0.0054419562220573425, -0.19330456852912903, -0.0625113844871521, 0.0031941356137394905, 0.027308665215969086, 0.7782948613166809, -0.4725188612937927, -0.03144339099526405, -0.11914397776126862, -0.012890990823507309, 0.01057953666895628, 0.49621814489364624, 0.2423754185438156, 0.05050414800643921, -0.05509267747402191, -0.009624067693948746, -0.003112258156761527, 0.03891252353787422, 0.332687646150589, 0.03874901682138443, -0.023525329306721687, -0.0015654744347557425, -0.005931830033659935, -0.1570444256067276, 0.1288851499557495}},
    {"softmax", MX_COMPLEX64, 0, 2, {0}, 0, 0, 0, MX_COMPLEX64, 3, {2,3,4}, 48, {1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0}},
    {"softmax", MX_COMPLEX64, 1, 1, {1}, 1, 0, 0, MX_COMPLEX64, 3, {4,3,2}, 48, {0.043017350137233734, 0.01491011306643486, 0.13843737542629242, 0.6060296893119812, 0.913291335105896, 0.04612710326910019, 0.04799956455826759, 0.017315682023763657, 0.04369121789932251, -0.06103722006082535, 0.8135630488395691, -0.6233453750610352, 0.13843737542629242, 0.6060296893119812, 0.024103207513689995, 0.03971940651535988, 0.04799956455826759, 0.017315682023763657, 0.9328877925872803, 0.023667482659220695, 0.8135630488395691, -0.6233453750610352, 0.04300899803638458, -0.06338688731193542, 0.024103207513689995, 0.03971940651535988, 0.9246190786361694, 0.025150692090392113, 0.9328877925872803, 0.023667482659220695, 0.07345122843980789, -0.019224630668759346, 0.04300899803638458, -0.06338688731193542, 0.00192972831428051, -0.005926060490310192, 0.9508278965950012, 0.06864359974861145, 0.13843737542629242, 0.6060296893119812, 0.04691125079989433, -0.06263132393360138, 0.04799956455826759, 0.017315682023763657, 0.002260836772620678, -0.00601227255538106, 0.8135630488395691, -0.6233453750610352}},
    {"softmax", MX_COMPLEX64, 2, 1, {-1}, 1, 0, 0, MX_COMPLEX64, 3, {2,2,3}, 24, {-0.13575389981269836, -0.22346149384975433, -0.019853603094816208, 0.02929108403623104, 1.1556074619293213, 0.19417040050029755, 1.0624394416809082, 0.13829393684864044, -0.04281743988394737, -0.13853242993354797, -0.019621966406702995, 0.00023849685385357589, -0.014773060567677021, 0.02529369853436947, 0.9652246236801147, 0.09627367556095123, 0.04954853281378746, -0.12156736105680466, -0.28795188665390015, -0.04259223863482475, -0.016581792384386063, 0.035734232515096664, 1.3045337200164795, 0.006858007982373238}},
    {"softmax", MX_COMPLEX64, 3, 2, {0,2}, 2, 0, 0, MX_COMPLEX64, 3, {2,3,2}, 24, {-0.06546800583600998, -0.15155768394470215, 0.009689430706202984, 0.035540129989385605, -0.01775813288986683, 0.0006672256859019399, 0.9649991393089294, 0.10075974464416504, 0.4169727861881256, 0.004734410904347897, -0.09195902943611145, -0.01417551003396511, 1.1637171506881714, 0.3658939599990845, -0.1079384982585907, -0.24987639486789703, 0.08203721791505814, -0.10252703726291656, -0.029278209432959557, 0.0011000694939866662, -0.012485653162002563, 0.0016353745013475418, 0.687471866607666, 0.007805723696947098}},
};
/* clang-format on */

static const ref_case *ref_cases(size_t *count) {
    *count = sizeof k_ref_cases / sizeof k_ref_cases[0];
    return k_ref_cases;
}
