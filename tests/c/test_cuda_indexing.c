/* tests/c/test_cuda_indexing.c - the CUDA indexing, creation and scan
 * kernels (src/backend/cuda/indexing.cu) against the CPU kernels: take,
 * take_along_axis, gather, scatter (none/add/prod/max/min), put_along_axis,
 * scatter_add_axis, slice_update (+ reductions), the dynamic slice and
 * slice_update, concatenate, full, arange, linspace, eye, and the five scans
 * (inclusive/exclusive, reverse, both axes), every dtype the CPU takes but
 * complex64, operands contiguous / transposed / sliced, indices of every
 * integer dtype (contiguous, transposed, broadcast). Out-of-range indices
 * must fail with the CPU's error, and the gradients of take, gather and
 * scatter_add computed on the GPU must match the CPU's.
 *
 * Each case is built twice (CPU, then GPU as the default device) from the
 * same operands; a case whose CPU result is an error (a dtype the op
 * rejects) is not counted. Without a GPU it prints SKIP and passes. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/cmlx.h"
#include "cuda_parity.h"

static const mx_dtype k_dtypes[] = {MX_BOOL,  MX_UINT8, MX_UINT16,  MX_UINT32,  MX_UINT64,  MX_INT8,    MX_INT16,
                                    MX_INT32, MX_INT64, MX_FLOAT16, MX_FLOAT32, MX_FLOAT64, MX_BFLOAT16};
static const mx_dtype k_index_dtypes[] = {MX_INT32, MX_INT64, MX_UINT32, MX_INT16,
                                          MX_UINT8, MX_INT8,  MX_UINT64, MX_UINT16};

/* Random indices in [-dim, dim) (signed dtypes) or [0, dim), shape (r, c)
 * in the layout: 0 contiguous, 1 transposed view, 2 a row broadcast. */
static mx_array index_array(int64_t r, int64_t c, int64_t dim, mx_dtype t, int index_layout) {
    bool is_signed = t == MX_INT8 || t == MX_INT16 || t == MX_INT32 || t == MX_INT64;
    int layout_ = index_layout;
    int64_t rr = layout_ == 1 ? c : layout_ == 2 ? 1 : r, cc = layout_ == 1 ? r : c;
    int64_t n = rr * cc;
    int64_t *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    for (int64_t i = 0; i < n; i++) {
        int64_t x = (int64_t)floor(uniform01() * (double)dim);
        v[i] = is_signed && uniform01() < 0.3 ? x - dim : x;
    }
    int64_t shape[2] = {rr, cc};
    mx_array base = mx_array_from_data(v, shape, 2, MX_INT64);
    free(v);
    mx_array typed = mx_astype(base, t);
    mx_eval1(typed);
    mx_free(base);
    mx_array out;
    if (layout_ == 1)
        out = mx_transpose(typed, (int[]){1, 0}, 2);
    else if (layout_ == 2)
        out = mx_broadcast_to(typed, (int64_t[]){r, c}, 2);
    else
        return typed;
    mx_free(typed);
    return out;
}

static mx_array index_vector(int64_t n, int64_t dim, mx_dtype t) {
    mx_array m = index_array(1, n, dim, t, 0);
    mx_array v = mx_reshape(m, (int64_t[]){n}, 1);
    mx_free(m);
    return v;
}

static double tol_of(mx_dtype t) { return tolerance(t); }
static bool is_float(mx_dtype t) { return t == MX_FLOAT16 || t == MX_FLOAT32 || t == MX_FLOAT64 || t == MX_BFLOAT16; }

static char g_name[160];
#define NAME(...) (snprintf(g_name, sizeof g_name, __VA_ARGS__), g_name)

/* ---- gathers ------------------------------------------------------------------------------------------ */

static void test_take(void) {
    const int64_t rows = 23, cols = 40;
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 0; l < L_COUNT; l++) {
            mx_array a = operand(rows, cols, t, D_ANY, (layout)l);
            for (int il = 0; il < 3; il++) {
                mx_dtype it = k_index_dtypes[(di + l + il) % COUNT(k_index_dtypes)];
                mx_array i0 = index_array(7, 5, rows, it, il), i1 = index_array(6, 9, cols, it, il);
                PAIR(NAME("take axis0 %s %s idx %s/%d", mx_dtype_name(t), layout_name(l), mx_dtype_name(it), il), 0,
                     false, mx_take(a, i0, 0));
                PAIR(NAME("take axis1 %s %s idx %s/%d", mx_dtype_name(t), layout_name(l), mx_dtype_name(it), il), 0,
                     false, mx_take(a, i1, 1));
                PAIR(NAME("take_flat %s %s idx %s/%d", mx_dtype_name(t), layout_name(l), mx_dtype_name(it), il), 0,
                     false, mx_take_flat(a, i0));
                /* take_along_axis: indices (rows, 6) along 1, (4, cols) along 0 */
                mx_array j1 = index_array(rows, 6, cols, it, il), j0 = index_array(4, cols, rows, it, il);
                PAIR(NAME("take_along_axis1 %s %s idx %s/%d", mx_dtype_name(t), layout_name(l), mx_dtype_name(it), il),
                     0, false, mx_take_along_axis(a, j1, 1));
                PAIR(NAME("take_along_axis0 %s %s idx %s/%d", mx_dtype_name(t), layout_name(l), mx_dtype_name(it), il),
                     0, false, mx_take_along_axis(a, j0, 0));
                mx_free_n((mx_array[]){i0, i1, j1, j0}, 4);
            }
            mx_free(a);
        }
    }
    /* embedding-style rows (a wide contiguous row per index) */
    int64_t shape[2] = {300, 257};
    mx_array w = random_array(shape, 2, MX_FLOAT32, D_ANY);
    mx_array ids = index_vector(1000, 300, MX_INT32);
    PAIR("take embedding rows f32", 0, false, mx_take(w, ids, 0));
    mx_array wb = mx_astype(w, MX_BFLOAT16);
    PAIR("take embedding rows bf16", 0, false, mx_take(wb, ids, 0));
    mx_free_n((mx_array[]){w, ids, wb}, 3);
}

static void test_gather(void) {
    const int64_t rows = 19, cols = 24;
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 0; l < L_COUNT; l++) {
            mx_array a = operand(rows, cols, t, D_ANY, (layout)l);
            mx_dtype it = k_index_dtypes[(di + l) % COUNT(k_index_dtypes)];
            mx_array i0 = index_array(5, 3, rows, it, l % 3), i1 = index_array(5, 3, cols, it, (l + 1) % 3);
            mx_array both[2] = {i0, i1};
            PAIR(NAME("gather points %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_gather(a, both, 2, (int[]){0, 1}, 2, (int64_t[]){1, 1}, 2));
            PAIR(NAME("gather rows %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_gather(a, both, 1, (int[]){0}, 1, (int64_t[]){1, cols}, 2));
            /* 2x3 boxes: indices must leave room for the box */
            mx_array b0 = index_array(4, 2, rows - 1, MX_UINT32, 0), b1 = index_array(4, 2, cols - 2, MX_UINT32, 0);
            mx_array boxes[2] = {b0, b1};
            PAIR(NAME("gather boxes %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_gather(a, boxes, 2, (int[]){0, 1}, 2, (int64_t[]){2, 3}, 2));
            mx_free_n((mx_array[]){a, i0, i1, b0, b1}, 5);
        }
    }
}

/* ---- scatters ------------------------------------------------------------------------------------------- */

typedef mx_array (*scatter_fn)(mx_array, const mx_array *, int, mx_array, const int *, int);

static void test_scatter(void) {
    const int64_t rows = 17, cols = 12;
    static const struct {
        const char *name;
        scatter_fn fn;
    } kinds[] = {{"scatter", mx_scatter},
                 {"scatter_add", mx_scatter_add},
                 {"scatter_prod", mx_scatter_prod},
                 {"scatter_max", mx_scatter_max},
                 {"scatter_min", mx_scatter_min}};
    for (int k = 0; k < COUNT(kinds); k++) {
        for (int di = 0; di < COUNT(k_dtypes); di++) {
            mx_dtype t = k_dtypes[di];
            domain dom = k == 2 ? D_NEAR1 : D_ANY;
            /* float add/prod with duplicates: the order of accumulation differs */
            bool norm = (k == 1 || k == 2) && is_float(t);
            double tol = norm ? 4 * tol_of(t) : tol_of(t);
            for (int l = 0; l < L_COUNT; l++) {
                mx_array a = operand(rows, cols, t, dom, (layout)l);
                mx_dtype it = k_index_dtypes[(di + k + l) % COUNT(k_index_dtypes)];
                /* 30 rows (duplicates) of a slab (1, cols) on axis 0 */
                mx_array idx = index_vector(30, rows, it);
                mx_array upd = operand(30, cols, t, dom, (layout)((l + 1) % L_COUNT));
                mx_array upd3 = mx_reshape(upd, (int64_t[]){30, 1, cols}, 3);
                PAIR(NAME("%s rows %s %s", kinds[k].name, mx_dtype_name(t), layout_name(l)), tol, norm,
                     kinds[k].fn(a, &idx, 1, upd3, (int[]){0}, 1));
                /* points on both axes, indices (6, 5) with broadcast */
                mx_array p0 = index_array(6, 5, rows, it, 2), p1 = index_array(6, 5, cols, it, l == 1 ? 1 : 0);
                mx_array pts[2] = {p0, p1};
                mx_array pu = operand(6, 5, t, dom, (layout)l);
                mx_array pu4 = mx_reshape(pu, (int64_t[]){6, 5, 1, 1}, 4);
                PAIR(NAME("%s points %s %s", kinds[k].name, mx_dtype_name(t), layout_name(l)), tol, norm,
                     kinds[k].fn(a, pts, 2, pu4, (int[]){0, 1}, 2));
                mx_free_n((mx_array[]){a, idx, upd, upd3, p0, p1, pu, pu4}, 8);
            }
        }
    }
    /* the embedding gradient's shape: many ids into a (vocab, dim) table */
    int64_t shape[2] = {500, 64};
    mx_array table = mx_zeros(shape, 2, MX_FLOAT32);
    mx_array ids = index_vector(4000, 500, MX_INT32);
    mx_array g = random_array((int64_t[]){4000, 1, 64}, 3, MX_FLOAT32, D_ANY);
    PAIR("scatter_add embedding grad f32", 1e-5, true, mx_scatter_add(table, &ids, 1, g, (int[]){0}, 1));
    mx_array gb = mx_astype(g, MX_BFLOAT16), tb = mx_astype(table, MX_BFLOAT16);
    PAIR("scatter_add embedding grad bf16", 3e-2, true, mx_scatter_add(tb, &ids, 1, gb, (int[]){0}, 1));
    mx_free_n((mx_array[]){table, ids, g, gb, tb}, 5);
}

static void test_scatter_axis(void) {
    const int64_t rows = 13, cols = 21;
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        bool norm = is_float(t);
        for (int l = 0; l < L_COUNT; l++) {
            mx_array a = operand(rows, cols, t, D_ANY, (layout)l);
            mx_dtype it = k_index_dtypes[(di + l) % COUNT(k_index_dtypes)];
            mx_array idx = index_array(rows, 9, cols, it, l == 2 ? 0 : l), v = operand(rows, 9, t, D_ANY, (layout)l);
            mx_array idx0 = index_array(8, cols, rows, it, l == 1 ? 2 : 0), v0 = operand(8, cols, t, D_ANY, L_CONTIG);
            PAIR(NAME("put_along_axis1 %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_put_along_axis(a, idx, v, 1));
            PAIR(NAME("put_along_axis0 %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_put_along_axis(a, idx0, v0, 0));
            PAIR(NAME("scatter_add_axis1 %s %s", mx_dtype_name(t), layout_name(l)), 4 * tol_of(t), norm,
                 mx_scatter_add_axis(a, idx, v, 1));
            PAIR(NAME("scatter_add_axis0 %s %s", mx_dtype_name(t), layout_name(l)), 4 * tol_of(t), norm,
                 mx_scatter_add_axis(a, idx0, v0, 0));
            mx_free_n((mx_array[]){a, idx, v, idx0, v0}, 5);
        }
    }
}

typedef mx_array (*slice_update_fn)(mx_array, mx_array, const int64_t *, const int64_t *, const int64_t *, int);

static void test_slices(void) {
    const int64_t rows = 14, cols = 18;
    static const struct {
        const char *name;
        slice_update_fn fn;
    } kinds[] = {{"slice_update", mx_slice_update_static},
                 {"slice_update_add", mx_slice_update_add},
                 {"slice_update_prod", mx_slice_update_prod},
                 {"slice_update_max", mx_slice_update_max},
                 {"slice_update_min", mx_slice_update_min}};
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int l = 0; l < L_COUNT; l++) {
            mx_array a = operand(rows, cols, t, D_ANY, (layout)l);
            mx_array u = operand(5, 6, t, D_ANY, (layout)((l + 2) % L_COUNT));
            for (int k = 0; k < COUNT(kinds); k++)
                PAIR(NAME("%s %s %s", kinds[k].name, mx_dtype_name(t), layout_name(l)), tol_of(t), false,
                     kinds[k].fn(a, u, (int64_t[]){2, 1}, (int64_t[]){12, 18}, (int64_t[]){2, 3}, 2));
            /* dynamic slice and slice_update at a start read at evaluation */
            int32_t sv[2] = {3, 7};
            mx_array start = mx_array_from_data(sv, (int64_t[]){2}, 1, MX_INT32);
            PAIR(NAME("slice_dynamic %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_slice_dynamic(a, start, (int[]){0, 1}, 2, (int64_t[]){5, 6}, 2));
            PAIR(NAME("slice_update_dynamic %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_slice_update(a, u, start, (int[]){0, 1}, 2));
            /* concatenate: a view next to a contiguous block, both axes */
            mx_array b = operand(rows, 5, t, D_ANY, L_CONTIG), c = operand(4, cols, t, D_ANY, (layout)((l + 1) % 3));
            PAIR(NAME("concatenate axis1 %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_concatenate((mx_array[]){a, b, a}, 3, 1));
            PAIR(NAME("concatenate axis0 %s %s", mx_dtype_name(t), layout_name(l)), 0, false,
                 mx_concatenate((mx_array[]){c, a}, 2, 0));
            mx_free_n((mx_array[]){a, u, start, b, c}, 5);
        }
    }
}

/* ---- creation -------------------------------------------------------------------------------------------- */

static void test_creation(void) {
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        const char *n = mx_dtype_name(t);
        PAIR(NAME("full %s", n), 0, false, mx_full((int64_t[]){37, 41}, 2, 3.75, t));
        PAIR(NAME("full negative %s", n), 0, false, mx_full((int64_t[]){1000}, 1, -2.0, t));
        PAIR(NAME("zeros %s", n), 0, false, mx_zeros((int64_t[]){3, 5, 7}, 3, t));
        PAIR(NAME("arange %s", n), 0, false, mx_arange(2, 500, 3, t));
        PAIR(NAME("arange negative step %s", n), 0, false, mx_arange(100, -20, -7, t));
        PAIR(NAME("linspace %s", n), tol_of(t), false, mx_linspace(-3.5, 17.25, 1001, t));
        PAIR(NAME("linspace one %s", n), 0, false, mx_linspace(4, 9, 1, t));
        PAIR(NAME("eye %s", n), 0, false, mx_eye(33, 47, 0, t));
        PAIR(NAME("eye k=5 %s", n), 0, false, mx_eye(20, 9, 5, t));
        PAIR(NAME("eye k=-3 %s", n), 0, false, mx_eye(20, 9, -3, t));
    }
}

/* ---- scans ---------------------------------------------------------------------------------------------- */

typedef mx_array (*scan_fn)(mx_array, int, bool, bool);
static mx_array cumsum_(mx_array a, int axis, bool r, bool i) { return mx_cumsum_axis(a, axis, r, i, MX_DTYPE_COUNT); }
static mx_array cumprod_(mx_array a, int axis, bool r, bool i) {
    return mx_cumprod_axis(a, axis, r, i, MX_DTYPE_COUNT);
}

static void test_scans(void) {
    static const struct {
        const char *name;
        scan_fn fn;
        domain dom;
        bool reorders; /* floats: the GPU's row scan rounds in another order */
    } kinds[] = {{"cumsum", cumsum_, D_ANY, true},
                 {"cumprod", cumprod_, D_NEAR1, true},
                 {"cummax", mx_cummax_axis, D_ANY, false},
                 {"cummin", mx_cummin_axis, D_ANY, false},
                 {"logcumsumexp", mx_logcumsumexp_axis, D_ANY, true}};
    for (int k = 0; k < COUNT(kinds); k++) {
        for (int di = 0; di < COUNT(k_dtypes); di++) {
            mx_dtype t = k_dtypes[di];
            /* logcumsumexp of integers and bools computes in float32 */
            mx_dtype rt = k == 4 && !is_float(t) ? MX_FLOAT32 : t;
            bool norm = kinds[k].reorders && is_float(rt);
            double tol = norm ? 4 * tol_of(rt) : tol_of(rt);
            for (int l = 0; l < L_COUNT; l++) {
                mx_array a = operand(29, 700, t, kinds[k].dom, (layout)l);
                for (int axis = 0; axis < 2; axis++)
                    for (int rev = 0; rev < 2; rev++)
                        for (int inc = 0; inc < 2; inc++)
                            PAIR(NAME("%s %s %s axis%d%s%s", kinds[k].name, mx_dtype_name(t), layout_name(l), axis,
                                      rev ? " reverse" : "", inc ? "" : " exclusive"),
                                 tol, norm, kinds[k].fn(a, axis, rev, inc));
                mx_free(a);
            }
            /* long rows: several tiles per row (carry between tiles) */
            mx_array a = operand(3, 9000, t, kinds[k].dom, L_CONTIG);
            for (int inc = 0; inc < 2; inc++)
                PAIR(NAME("%s long rows %s%s", kinds[k].name, mx_dtype_name(t), inc ? "" : " exclusive"), tol, norm,
                     kinds[k].fn(a, 1, inc == 0, inc));
            mx_free(a);
        }
    }
    /* NaN handling of cummax/cummin (the CPU's canonical NaN, 0 for halves) */
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        if (!is_float(t))
            continue;
        double v[12] = {1, 3, NAN, 2, 5, -1, 7, NAN, 0, 4, -2, 9};
        mx_array f = mx_array_from_data(v, (int64_t[]){2, 6}, 2, MX_FLOAT64);
        mx_array a = mx_astype(f, t);
        for (int inc = 0; inc < 2; inc++) {
            PAIR(NAME("cummax nan %s%s", mx_dtype_name(t), inc ? "" : " exclusive"), 0, false,
                 mx_cummax_axis(a, 1, false, inc));
            PAIR(NAME("cummin nan %s%s", mx_dtype_name(t), inc ? "" : " exclusive"), 0, false,
                 mx_cummin_axis(a, 1, true, inc));
        }
        mx_free_n((mx_array[]){f, a}, 2);
    }
}

/* ---- errors ----------------------------------------------------------------------------------------------- */

static void expect_same_error(const char *what, mx_array (*make)(mx_array, mx_array), mx_array a, mx_array idx) {
    g_cases++;
    char cpu_msg[512] = "", gpu_msg[512] = "";
    mx_status cs, gs;
    on(MX_CPU);
    mx_array c = make(a, idx);
    cs = mx_eval1(c);
    snprintf(cpu_msg, sizeof cpu_msg, "%s", mx_last_error());
    mx_clear_error();
    on(MX_GPU);
    mx_array g = make(a, idx);
    gs = mx_eval1(g);
    snprintf(gpu_msg, sizeof gpu_msg, "%s", mx_last_error());
    mx_clear_error();
    on(MX_CPU);
    if (cs == MX_OK || cs != gs || strcmp(cpu_msg, gpu_msg) != 0) {
        printf("FAIL %-48s cpu %d '%s' gpu %d '%s'\n", what, (int)cs, cpu_msg, (int)gs, gpu_msg);
        g_failures++;
    }
    mx_free(c);
    mx_free(g);
}

static mx_array take0(mx_array a, mx_array i) { return mx_take(a, i, 0); }
static mx_array take_along1(mx_array a, mx_array i) { return mx_take_along_axis(a, i, 1); }
static mx_array gather0(mx_array a, mx_array i) { return mx_gather(a, &i, 1, (int[]){0}, 1, (int64_t[]){1, 4}, 2); }
static mx_array scatter_add0(mx_array a, mx_array i) {
    mx_array u = mx_ones((int64_t[]){mx_size(i), 1, 4}, 3, mx_array_dtype(a));
    mx_array r = mx_scatter_add(a, &i, 1, u, (int[]){0}, 1);
    mx_free(u);
    return r;
}
static mx_array put_along1(mx_array a, mx_array i) {
    mx_array v = mx_zeros((int64_t[]){mx_shape(i)[0], mx_shape(i)[1]}, 2, mx_array_dtype(a));
    mx_array r = mx_put_along_axis(a, i, v, 1);
    mx_free(v);
    return r;
}

static void test_errors(void) {
    mx_array a = operand(6, 4, MX_FLOAT32, D_ANY, L_CONTIG);
    int64_t bad[4] = {1, -7, 2, 6};
    mx_array i64 = mx_array_from_data(bad, (int64_t[]){4}, 1, MX_INT64);
    uint32_t ubad[3] = {0, 5, 9};
    mx_array u32 = mx_array_from_data(ubad, (int64_t[]){3}, 1, MX_UINT32);
    int32_t abad[6] = {0, 1, 2, 3, 4, -5};
    mx_array a2 = mx_array_from_data(abad, (int64_t[]){6, 1}, 2, MX_INT32);
    expect_same_error("take out of range int64", take0, a, i64);
    expect_same_error("take out of range uint32", take0, a, u32);
    expect_same_error("take_along_axis out of range", take_along1, a, a2);
    expect_same_error("gather out of range", gather0, a, i64);
    expect_same_error("scatter_add out of range", scatter_add0, a, u32);
    expect_same_error("put_along_axis out of range", put_along1, a, a2);
    mx_free_n((mx_array[]){a, i64, u32, a2}, 4);
}

/* ---- gradients ----------------------------------------------------------------------------------------------- */

typedef struct {
    int which;
    mx_array idx;
} grad_payload;

/* f(x, upd) per `which`: 0 sum(take(x, idx, 0)^2), 1 sum(gather rows * w),
 * 2 sum(scatter_add(x, idx, upd)^2) */
static mx_status grad_fn(void *payload, const mx_array *in, int n, mx_array_list *outputs) {
    (void)n;
    const grad_payload *p = payload;
    mx_array y;
    if (p->which == 0) {
        y = mx_take(in[0], p->idx, 0);
    } else if (p->which == 1) {
        y = mx_gather(in[0], &p->idx, 1, (int[]){0}, 1, (int64_t[]){1, mx_shape(in[0])[1]}, 2);
    } else {
        y = mx_scatter_add(in[0], &p->idx, 1, in[1], (int[]){0}, 1);
    }
    mx_array sq = mx_square(y);
    mx_array s = mx_sum(sq, false);
    mx_free(y);
    mx_free(sq);
    return mx_array_list_push(outputs, s);
}

static void test_gradients(void) {
    static const char *names[] = {"take", "gather", "scatter_add"};
    for (int which = 0; which < 3; which++) {
        for (int ti = 0; ti < 3; ti++) {
            mx_dtype t = ti == 0 ? MX_FLOAT32 : ti == 1 ? MX_BFLOAT16 : MX_FLOAT64;
            mx_array x = operand(40, 16, t, D_ANY, ti == 1 ? L_TRANSPOSED : L_CONTIG);
            mx_array idx = index_vector(100, 40, MX_INT32);
            mx_array upd = random_array((int64_t[]){100, 1, 16}, 3, t, D_ANY);
            grad_payload p = {which, idx};
            mx_array primals[2] = {x, upd};
            mx_array results[2][2];
            bool ok = true;
            for (int dev = 0; dev < 2 && ok; dev++) {
                on(dev ? MX_GPU : MX_CPU);
                mx_closure f = mx_closure_new(grad_fn, &p, NULL);
                mx_array cot = mx_scalar(1.0, t);
                mx_array_list outs = {0}, vjps = {0};
                ok = mx_vjp(f, primals, which == 2 ? 2 : 1, &cot, 1, &outs, &vjps) == MX_OK;
                if (ok) {
                    results[dev][0] = mx_retain(vjps.items[0]);
                    results[dev][1] = which == 2 ? mx_retain(vjps.items[1]) : mx_scalar(0, t);
                    if (dev == 0) {
                        mx_eval1(results[0][0]);
                        mx_eval1(results[0][1]);
                    }
                }
                mx_array_list_clear(&outs);
                mx_array_list_clear(&vjps);
                mx_free(cot);
                mx_closure_free(f);
            }
            on(MX_CPU);
            if (!ok) {
                g_cases++;
                g_failures++;
                printf("FAIL grad %s %s: %s\n", names[which], mx_dtype_name(t), mx_last_error());
            } else {
                for (int k = 0; k < (which == 2 ? 2 : 1); k++)
                    compare(NAME("grad %s %s input %d", names[which], mx_dtype_name(t), k), results[0][k],
                            results[1][k], 4 * tol_of(t), true);
                for (int dev = 0; dev < 2; dev++)
                    mx_free_n(results[dev], 2);
            }
            mx_free_n((mx_array[]){x, idx, upd}, 3);
        }
    }
}

/* ---- random: the CPU's bits ------------------------------------------------------------------------------ */

/* How many elements of the two (evaluated) arrays are bit-identical. */
static int64_t identical(mx_array a, mx_array b) {
    const unsigned char *x = mx_data(a), *y = mx_data(b);
    int64_t n = mx_size(a), same = 0;
    size_t es = mx_itemsize(a);
    for (int64_t i = 0; x && y && i < n; i++)
        same += memcmp(x + i * es, y + i * es, es) == 0;
    return same;
}

static void test_random(void) {
    on(MX_CPU);
    mx_array key = mx_random_key(1234);
    mx_eval1(key);
    static const int64_t sizes[] = {1, 2, 7, 1000, 4097};
    for (int si = 0; si < COUNT(sizes); si++) {
        int64_t shape[2] = {sizes[si], 3};
        for (int width = 1; width <= 4; width *= 2)
            PAIR(NAME("random_bits width %d (%lld,3)", width, (long long)sizes[si]), 0, false,
                 mx_random_bits(shape, 2, width, key));
        mx_dtype fl[3] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16};
        for (int k = 0; k < 3; k++) {
            mx_array lo = mx_scalar(-2.5, fl[k]), hi = mx_scalar(4.0, fl[k]);
            PAIR(NAME("random_uniform %s (%lld,3)", mx_dtype_name(fl[k]), (long long)sizes[si]), 0, false,
                 mx_random_uniform(lo, hi, shape, 2, fl[k], key));
            /* array bounds broadcast along the rows */
            mx_array hv = operand(1, 3, fl[k], D_POS, L_CONTIG);
            PAIR(NAME("random_uniform bounds %s (%lld,3)", mx_dtype_name(fl[k]), (long long)sizes[si]), 0, false,
                 mx_random_uniform(lo, hv, shape, 2, fl[k], key));
            mx_free_n((mx_array[]){lo, hi, hv}, 3);
        }
        mx_dtype nt[4] = {MX_FLOAT32, MX_FLOAT16, MX_BFLOAT16, MX_FLOAT64};
        for (int k = 0; k < 4; k++) {
            for (int v = 0; v < 2; v++) {
                double loc = v ? 1.5 : 0.0, scale = v ? 0.25 : 1.0;
                on(MX_CPU);
                mx_array c = mx_random_normal(shape, 2, nt[k], loc, scale, key);
                mx_eval1(c);
                on(MX_GPU);
                mx_array g = mx_random_normal(shape, 2, nt[k], loc, scale, key);
                mx_eval1(g);
                on(MX_CPU);
                /* glibc's logf against a correctly rounded one: rare last-place differences */
                int64_t same = identical(c, g);
                if (same != mx_size(c))
                    printf("INFO random_normal %s (%lld,3) loc %g: %lld of %lld elements bit-identical\n",
                           mx_dtype_name(nt[k]), (long long)sizes[si], loc, (long long)same, (long long)mx_size(c));
                compare(NAME("random_normal %s (%lld,3) loc %g", mx_dtype_name(nt[k]), (long long)sizes[si], loc), c, g,
                        nt[k] == MX_FLOAT64 ? tol_of(MX_FLOAT32) : tol_of(nt[k]), false); /* float32 samples */
                mx_free(c);
                mx_free(g);
            }
        }
    }
    PAIR("random_split", 0, false, mx_random_split(key, 5));
    mx_free(key);
}

/* ---- sort ------------------------------------------------------------------------------------------------ */

static mx_array sort1(mx_array a, int axis) { return mx_sort_axis(a, axis); }
static mx_array argsort1(mx_array a, int axis) { return mx_argsort_axis(a, axis); }

static void test_sort(void) {
    /* short rows (shared-memory bitonic), long rows (radix), both axes, ties */
    static const int64_t shapes[][2] = {{37, 300}, {5, 9000}, {3, 1}, {64, 17}};
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        for (int si = 0; si < COUNT(shapes); si++) {
            for (int l = 0; l < L_COUNT; l++) {
                if (si == 1 && l != L_CONTIG)
                    continue;
                mx_array a = operand(shapes[si][0], shapes[si][1], t, D_SMALLINT, (layout)l);
                for (int axis = 0; axis < 2; axis++) {
                    PAIR(NAME("sort %s (%lld,%lld) %s axis%d", mx_dtype_name(t), (long long)shapes[si][0],
                              (long long)shapes[si][1], layout_name(l), axis),
                         0, false, sort1(a, axis));
                    PAIR(NAME("argsort %s (%lld,%lld) %s axis%d", mx_dtype_name(t), (long long)shapes[si][0],
                              (long long)shapes[si][1], layout_name(l), axis),
                         0, false, argsort1(a, axis));
                }
                mx_free(a);
            }
        }
    }
    /* NaN, -0.0 and 0.0: NaNs last in input order, zeros equal (bits kept) */
    for (int di = 0; di < COUNT(k_dtypes); di++) {
        mx_dtype t = k_dtypes[di];
        if (!is_float(t))
            continue;
        for (int len = 12; len <= 6000; len += 5988) {
            double *v = malloc(sizeof(double) * (size_t)len);
            for (int i = 0; i < len; i++) {
                int r = (int)(uniform01() * 6);
                v[i] = r == 0 ? NAN : r == 1 ? -0.0 : r == 2 ? 0.0 : r == 3 ? -NAN : floor(uniform01() * 10) - 5;
            }
            mx_array f = mx_array_from_data(v, (int64_t[]){len}, 1, MX_FLOAT64);
            free(v);
            mx_array a = mx_astype(f, t);
            mx_eval1(a);
            PAIR(NAME("sort nan/zeros %s len %d", mx_dtype_name(t), len), 0, false, sort1(a, 0));
            PAIR(NAME("argsort nan/zeros %s len %d", mx_dtype_name(t), len), 0, false, argsort1(a, 0));
            /* the bits of the sorted zeros and NaNs (compare() sees -0 == 0) */
            on(MX_CPU);
            mx_array c = sort1(a, 0);
            mx_eval1(c);
            on(MX_GPU);
            mx_array g = sort1(a, 0);
            mx_eval1(g);
            on(MX_CPU);
            g_cases++;
            if (identical(c, g) != mx_size(c)) {
                printf("FAIL sort bits %s len %d: %lld of %lld identical\n", mx_dtype_name(t), len,
                       (long long)identical(c, g), (long long)mx_size(c));
                g_failures++;
            }
            mx_free_n((mx_array[]){f, a, c, g}, 4);
        }
    }
}

int main(void) {
    if (parity_skip("test_cuda_indexing"))
        return 0;
    test_take();
    test_gather();
    test_scatter();
    test_scatter_axis();
    test_slices();
    test_creation();
    test_scans();
    test_random();
    test_sort();
    test_errors();
    test_gradients();
    on(MX_CPU);
    printf("test_cuda_indexing: %d cases, %d failures (%d skipped: the CPU rejects them)\n", g_cases, g_failures,
           g_skipped);
    return g_failures ? 1 : 0;
}
