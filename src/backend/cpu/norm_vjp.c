/* backend/cpu/norm_vjp.c - CPU kernels of the fused norm backward passes
 * rms_norm_vjp and layer_norm_vjp (ops/fast.h has the maths and the layout
 * of the flat output).
 *
 * Rows are split into chunks that depend on the shape only (never on the
 * thread count, so results are reproducible): each chunk, on one thread,
 * converts its rows of x and g to float32 (float64 for float64) tiles,
 * computes the row statistics and dx, and accumulates its partial dw / db in
 * a row of a (chunks, L) scratch; the partials are then summed in chunk
 * order. The arithmetic is the composition's (ops/fast.c norm_vjp_composed)
 * in the same precision, rounded once to the dtype, so results agree with
 * it up to the order of float32 sums. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/fast.h"

/* Element offset of row `row` of n viewed as (rows, last dim). */
static int64_t row_offset(const mx_node *n, int64_t row) {
    int64_t off = 0;
    for (int d = n->ndim - 2; d >= 0; d--) {
        off += (row % n->shape[d]) * n->strides[d];
        row /= n->shape[d];
    }
    return off;
}

static int64_t last_stride_bytes(const mx_node *n) {
    return (n->ndim ? n->strides[n->ndim - 1] : 1) * (int64_t)mx_dtype_size(n->dtype);
}

typedef struct nvjp_job {
    const mx_node *x, *g;
    const char *x_data, *g_data;
    int64_t x_step, g_step; /* bytes between elements of a row */
    char *out;              /* flat output: dx (rows, L) first */
    mx_dtype dtype;
    int64_t rows, L, chunk_rows;
    bool layer, want_dw, want_db;
    float eps;
    const void *w;           /* float32/float64 copy of the weight, or NULL */
    void *part_dw, *part_db; /* (chunks, L) partial sums in the compute type, or NULL */
    bool failed;             /* a thread ran out of scratch memory */
} nvjp_job;

/* One chunk of rows in compute type C (float or double): x, g (rows, L) ->
 * dx rows, partial dw, db (L) of the chunk. */
#define NVJP_CHUNK(C, NAME, CDTYPE, SQRT)                                                                              \
    static void NAME(nvjp_job *j, int64_t chunk, C *xt, C *gt) {                                                       \
        const int64_t L = j->L;                                                                                        \
        const int64_t r0 = chunk * j->chunk_rows;                                                                      \
        const int64_t r1 = r0 + j->chunk_rows < j->rows ? r0 + j->chunk_rows : j->rows;                                \
        const size_t esize = mx_dtype_size(j->dtype);                                                                  \
        const C *w = j->w;                                                                                             \
        C *dw = j->want_dw ? (C *)j->part_dw + chunk * L : NULL;                                                       \
        C *db = j->want_db ? (C *)j->part_db + chunk * L : NULL;                                                       \
        if (dw)                                                                                                        \
            memset(dw, 0, (size_t)L * sizeof(C));                                                                      \
        if (db)                                                                                                        \
            memset(db, 0, (size_t)L * sizeof(C));                                                                      \
        const C inv_l = (C)1 / (C)L;                                                                                   \
        for (int64_t r = r0; r < r1; r++) {                                                                            \
            const char *xs = j->x_data + row_offset(j->x, r) * (int64_t)mx_dtype_size(j->x->dtype);                    \
            const char *gs = j->g_data + row_offset(j->g, r) * (int64_t)mx_dtype_size(j->g->dtype);                    \
            cpu_convert_run((char *)xt, CDTYPE, sizeof(C), xs, j->x->dtype, j->x_step, L);                             \
            cpu_convert_run((char *)gt, CDTYPE, sizeof(C), gs, j->g->dtype, j->g_step, L);                             \
            C mean = 0;                                                                                                \
            if (j->layer) {                                                                                            \
                C s = 0;                                                                                               \
                for (int64_t i = 0; i < L; i++)                                                                        \
                    s += xt[i];                                                                                        \
                mean = s * inv_l;                                                                                      \
            }                                                                                                          \
            /* squared deviations, sum of gw and of gw (x - mean) */                                                   \
            C ss = 0, sgw = 0, sgwx = 0;                                                                               \
            for (int64_t i = 0; i < L; i++) {                                                                          \
                C xc = xt[i] - mean;                                                                                   \
                C gw = w ? gt[i] * w[i] : gt[i];                                                                       \
                ss += xc * xc;                                                                                         \
                sgw += gw;                                                                                             \
                sgwx += gw * xc;                                                                                       \
            }                                                                                                          \
            const C rs = (C)1 / SQRT(ss * inv_l + (C)j->eps);                                                          \
            const C mgw = j->layer ? sgw * inv_l : (C)0;                                                               \
            const C mgwn = sgwx * rs * inv_l; /* mean(gw n) */                                                         \
            for (int64_t i = 0; i < L; i++) {                                                                          \
                C g = gt[i], n = (xt[i] - mean) * rs;                                                                  \
                if (dw)                                                                                                \
                    dw[i] += g * n;                                                                                    \
                if (db)                                                                                                \
                    db[i] += g;                                                                                        \
                C gw = w ? g * w[i] : g;                                                                               \
                gt[i] = rs * (gw - mgw - n * mgwn);                                                                    \
            }                                                                                                          \
            cpu_convert_run(j->out + r * L * (int64_t)esize, j->dtype, (int64_t)esize, (const char *)gt, CDTYPE,       \
                            sizeof(C), L);                                                                             \
        }                                                                                                              \
    }
NVJP_CHUNK(float, nvjp_chunk_f32, MX_FLOAT32, sqrtf)
NVJP_CHUNK(double, nvjp_chunk_f64, MX_FLOAT64, sqrt)
#undef NVJP_CHUNK

static void nvjp_chunks(int64_t begin, int64_t end, void *ctx) {
    nvjp_job *j = ctx;
    const bool f64 = j->dtype == MX_FLOAT64;
    const size_t csize = f64 ? 8 : 4;
    char *tiles = malloc((size_t)j->L * 2 * csize);
    if (!tiles) {
        j->failed = true;
        return;
    }
    for (int64_t c = begin; c < end; c++) {
        if (f64)
            nvjp_chunk_f64(j, c, (double *)tiles, (double *)tiles + j->L);
        else
            nvjp_chunk_f32(j, c, (float *)tiles, (float *)tiles + j->L);
    }
    free(tiles);
}

/* partial (chunks, L) in the compute dtype -> dst (L,) in dtype: the column
 * sums in chunk order, rounded once. */
static mx_status sum_partials(char *dst, mx_dtype dtype, const void *partial, int64_t chunks, int64_t L, bool f64) {
    void *acc = calloc((size_t)(L > 0 ? L : 1), f64 ? 8 : 4);
    if (!acc)
        return mx_set_error(MX_ERROR_MEMORY, "norm_vjp: out of memory");
    for (int64_t c = 0; c < chunks; c++) {
        if (f64) {
            const double *p = (const double *)partial + c * L;
            double *a = acc;
            for (int64_t i = 0; i < L; i++)
                a[i] += p[i];
        } else {
            const float *p = (const float *)partial + c * L;
            float *a = acc;
            for (int64_t i = 0; i < L; i++)
                a[i] += p[i];
        }
    }
    if (L)
        cpu_convert_run(dst, dtype, (int64_t)mx_dtype_size(dtype), acc, f64 ? MX_FLOAT64 : MX_FLOAT32, f64 ? 8 : 4, L);
    free(acc);
    return MX_OK;
}

/* x (..., L) [, w (L,)], g (..., L) -> flat (|x| [+ L dw] [+ L db],): see ops/fast.h. */
static mx_status norm_vjp_kernel(mx_node *out) {
    const mx_norm_vjp_params *p = mx_node_params(out);
    mx_node *x = out->inputs[0], *w = p->has_weight ? out->inputs[1] : NULL, *g = out->inputs[out->n_inputs - 1];
    const bool f64 = out->dtype == MX_FLOAT64;
    const mx_dtype cdtype = f64 ? MX_FLOAT64 : MX_FLOAT32;
    const size_t csize = f64 ? 8 : 4;
    nvjp_job j = {.x = x,
                  .g = g,
                  .dtype = out->dtype,
                  .L = x->shape[x->ndim - 1],
                  .layer = out->op->id == MX_OP_layer_norm_vjp,
                  .want_dw = p->want_dw,
                  .want_db = p->want_db,
                  .eps = p->eps};
    j.rows = j.L > 0 ? x->size / j.L : 0;
    j.x_step = last_stride_bytes(x);
    j.g_step = last_stride_bytes(g);
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK || out->size == 0)
        return st;
    j.out = mx_node_data(out);
    if (x->size) {
        j.x_data = mx_node_data(x);
        j.g_data = mx_node_data(g);
    }
    /* chunks of about CPU_ELEMENTWISE_GRAIN elements: a function of the shape only */
    int64_t chunk_rows = CPU_ELEMENTWISE_GRAIN / (j.L > 0 ? j.L : 1);
    j.chunk_rows = chunk_rows > 0 ? chunk_rows : 1;
    int64_t chunks = (j.rows + j.chunk_rows - 1) / j.chunk_rows;
    void *wc = NULL;
    size_t part_bytes = (size_t)(chunks > 0 ? chunks : 1) * (size_t)(j.L > 0 ? j.L : 1) * csize;
    if (w && j.L) {
        wc = malloc((size_t)j.L * csize);
        if (wc)
            cpu_convert_run(wc, cdtype, (int64_t)csize, mx_node_data(w), w->dtype, last_stride_bytes(w), j.L);
    }
    j.w = wc;
    j.part_dw = j.want_dw ? calloc(1, part_bytes) : NULL;
    j.part_db = j.want_db ? calloc(1, part_bytes) : NULL;
    if ((w && j.L && !wc) || (j.want_dw && !j.part_dw) || (j.want_db && !j.part_db)) {
        st = mx_set_error(MX_ERROR_MEMORY, "%s: out of memory", out->op->name);
    } else if (j.L) {
        if (chunks)
            cpu_parallel_for(chunks, 1, nvjp_chunks, &j);
        if (j.failed)
            st = mx_set_error(MX_ERROR_MEMORY, "%s: out of memory for a row of %lld elements", out->op->name,
                              (long long)j.L);
        char *tail = j.out + x->size * (int64_t)mx_dtype_size(out->dtype);
        if (st == MX_OK && j.want_dw) {
            st = sum_partials(tail, out->dtype, j.part_dw, chunks, j.L, f64);
            tail += j.L * (int64_t)mx_dtype_size(out->dtype);
        }
        if (st == MX_OK && j.want_db)
            st = sum_partials(tail, out->dtype, j.part_db, chunks, j.L, f64);
    }
    free(wc);
    free(j.part_dw);
    free(j.part_db);
    return st;
}

void cpu_register_norm_vjp(mx_backend *b) {
    b->kernels[MX_OP_rms_norm_vjp] = norm_vjp_kernel;
    b->kernels[MX_OP_layer_norm_vjp] = norm_vjp_kernel;
}
