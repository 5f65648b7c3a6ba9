/* backend/cpu/fft.c - CPU kernels of the fft family (src/ops/fft.c) and the
 * FFT core they run on (docs/fft.md).
 *
 * Core: a Stockham (autosorting, out-of-place ping-pong) mixed-radix FFT of
 * one contiguous complex row. n is factored into radices 4, 2, 3, 5 and then
 * any other odd primes; stage s with radix p combines p DFTs of length L
 * (the product of the earlier radices) into DFTs of length L*p:
 *   A'[j + L r][k] = sum_q w_p^(r q) (w_{Lp}^(j q) A[j][k + q m'])
 * with A[j][k] stored at j*m + k (m = n / L, m' = m / p), so the innermost
 * loop runs over k with unit stride and fixed twiddles. Twiddles are computed
 * in double precision (exact angles from integer products) and stored as
 * float. Lengths with a prime factor above FFT_MAX_DIRECT_RADIX use
 * Bluestein's chirp-z algorithm over a power-of-two FFT.
 *
 * The kernel transforms one axis at a time: each row along the axis is
 * copied into contiguous scratch (strided axes included), transformed and
 * copied out; rows are spread over threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cpu/cpu.h"
#include "ops/fft.h"

typedef struct cpx {
    float re, im;
} cpx;

#define FFT_MAX_FACTORS 64
#define FFT_MAX_DIRECT_RADIX 61 /* larger prime factors go through Bluestein */

typedef struct fft_plan {
    int64_t n;
    int nfactors;
    int factors[FFT_MAX_FACTORS];
    cpx *twiddles;   /* per stage: L * (p - 1) values w_{Lp}^(j q), forward sign */
    cpx *roots;      /* per generic stage: p values w_p^r */
    int64_t *tw_off; /* per stage offset into twiddles */
    int64_t *root_off;
    /* Bluestein: n is done as a convolution of length m (a power of two). */
    struct fft_plan *sub;
    cpx *chirp;  /* n values exp(-i pi k^2 / n) */
    cpx *kernel; /* FFT_m of the conjugate chirp, wrapped, scaled by 1/m */
} fft_plan;

/* exp(sign * 2 pi i num / den) in double, num reduced mod den first. */
static cpx unit_root(int64_t num, int64_t den, int sign) {
    num %= den;
    if (num < 0)
        num += den;
    double a = 2.0 * M_PI * (double)num / (double)den;
    return (cpx){(float)cos(a), (float)(sign * sin(a))};
}

static void plan_free(fft_plan *p) {
    if (!p)
        return;
    free(p->twiddles);
    free(p->roots);
    free(p->tw_off);
    free(p->root_off);
    plan_free(p->sub);
    free(p->chirp);
    free(p->kernel);
    free(p);
}

static void run_plan(const fft_plan *p, cpx *data, cpx *work, int sign);

static fft_plan *plan_new(int64_t n) {
    fft_plan *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n = n;
    int64_t rest = n;
    bool bluestein = false;
    while (rest % 4 == 0 && p->nfactors < FFT_MAX_FACTORS)
        p->factors[p->nfactors++] = 4, rest /= 4;
    for (int64_t f = 2; rest > 1 && p->nfactors < FFT_MAX_FACTORS;) {
        if (f * f > rest)
            f = rest;
        if (rest % f == 0) {
            if (f > FFT_MAX_DIRECT_RADIX) {
                bluestein = true;
                break;
            }
            p->factors[p->nfactors++] = (int)f;
            rest /= f;
        } else
            f += f == 2 ? 1 : 2;
    }
    if (bluestein) {
        p->nfactors = 0;
        int64_t m = 1;
        while (m < 2 * n - 1)
            m *= 2;
        p->sub = plan_new(m);
        p->chirp = malloc((size_t)n * sizeof(cpx));
        p->kernel = calloc((size_t)m, sizeof(cpx));
        cpx *work = malloc((size_t)m * sizeof(cpx));
        if (!p->sub || !p->chirp || !p->kernel || !work) {
            free(work);
            plan_free(p);
            return NULL;
        }
        for (int64_t k = 0; k < n; k++) /* k^2 mod 2n keeps the angle exact */
            p->chirp[k] = unit_root((int64_t)((unsigned __int128)k * (unsigned __int128)k % (unsigned __int128)(2 * n)),
                                    2 * n, -1);
        float inv_m = 1.0f / (float)m;
        for (int64_t k = 0; k < n; k++) {
            cpx c = {p->chirp[k].re * inv_m, -p->chirp[k].im * inv_m};
            p->kernel[k] = c;
            if (k)
                p->kernel[m - k] = c;
        }
        run_plan(p->sub, p->kernel, work, -1);
        free(work);
        return p;
    }
    p->tw_off = malloc((size_t)(p->nfactors + 1) * sizeof(int64_t));
    p->root_off = malloc((size_t)(p->nfactors + 1) * sizeof(int64_t));
    if (!p->tw_off || !p->root_off) {
        plan_free(p);
        return NULL;
    }
    int64_t ntw = 0, nroots = 0, L = 1;
    for (int s = 0; s < p->nfactors; s++) {
        p->tw_off[s] = ntw;
        p->root_off[s] = nroots;
        ntw += L * (p->factors[s] - 1);
        if (p->factors[s] > 5)
            nroots += p->factors[s];
        L *= p->factors[s];
    }
    p->twiddles = malloc((size_t)(ntw ? ntw : 1) * sizeof(cpx));
    p->roots = malloc((size_t)(nroots ? nroots : 1) * sizeof(cpx));
    if (!p->twiddles || !p->roots) {
        plan_free(p);
        return NULL;
    }
    L = 1;
    for (int s = 0; s < p->nfactors; s++) {
        int f = p->factors[s];
        cpx *tw = p->twiddles + p->tw_off[s];
        for (int64_t j = 0; j < L; j++)
            for (int q = 1; q < f; q++)
                tw[j * (f - 1) + (q - 1)] = unit_root(j * q, L * f, -1);
        if (f > 5)
            for (int r = 0; r < f; r++)
                p->roots[p->root_off[s] + r] = unit_root(r, f, -1);
        L *= f;
    }
    return p;
}

static inline cpx cmul(cpx a, cpx b) { return (cpx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re}; }
static inline cpx conj_if(cpx a, int sign) { return sign > 0 ? (cpx){a.re, -a.im} : a; }

/* One Stockham stage of radix f: src holds L-point DFTs (A[j][k] at j*m+k),
 * dst gets the (L*f)-point ones. sign -1 forward, +1 inverse. */
static void stage(const cpx *src, cpx *dst, int64_t L, int64_t m, int f, const cpx *tw, const cpx *roots, int sign) {
    int64_t mp = m / f; /* m' */
    const float s = (float)sign;
    for (int64_t j = 0; j < L; j++) {
        const cpx *in = src + j * m;
        const cpx *w = tw + j * (f - 1);
        if (f == 2) {
            cpx w1 = conj_if(w[0], sign);
            cpx *o0 = dst + j * mp, *o1 = dst + (j + L) * mp;
            for (int64_t k = 0; k < mp; k++) {
                cpx a = in[k], b = cmul(w1, in[k + mp]);
                o0[k] = (cpx){a.re + b.re, a.im + b.im};
                o1[k] = (cpx){a.re - b.re, a.im - b.im};
            }
        } else if (f == 4) {
            cpx w1 = conj_if(w[0], sign), w2 = conj_if(w[1], sign), w3 = conj_if(w[2], sign);
            cpx *o0 = dst + j * mp, *o1 = dst + (j + L) * mp, *o2 = dst + (j + 2 * L) * mp,
                *o3 = dst + (j + 3 * L) * mp;
            for (int64_t k = 0; k < mp; k++) {
                cpx a0 = in[k], a1 = cmul(w1, in[k + mp]), a2 = cmul(w2, in[k + 2 * mp]), a3 = cmul(w3, in[k + 3 * mp]);
                cpx t0 = {a0.re + a2.re, a0.im + a2.im}, t1 = {a0.re - a2.re, a0.im - a2.im};
                cpx t2 = {a1.re + a3.re, a1.im + a3.im}, t3 = {a1.re - a3.re, a1.im - a3.im};
                /* w_4^1 = -i forward, +i inverse: t3 * (sign i) */
                cpx t3r = {-s * t3.im, s * t3.re};
                o0[k] = (cpx){t0.re + t2.re, t0.im + t2.im};
                o2[k] = (cpx){t0.re - t2.re, t0.im - t2.im};
                o1[k] = (cpx){t1.re + t3r.re, t1.im + t3r.im};
                o3[k] = (cpx){t1.re - t3r.re, t1.im - t3r.im};
            }
        } else if (f == 3) {
            cpx w1 = conj_if(w[0], sign), w2 = conj_if(w[1], sign);
            const float c = -0.5f, sn = s * 0.86602540378443864676f; /* sin(2pi/3) with the sign */
            cpx *o0 = dst + j * mp, *o1 = dst + (j + L) * mp, *o2 = dst + (j + 2 * L) * mp;
            for (int64_t k = 0; k < mp; k++) {
                cpx a0 = in[k], a1 = cmul(w1, in[k + mp]), a2 = cmul(w2, in[k + 2 * mp]);
                cpx t = {a1.re + a2.re, a1.im + a2.im}, d = {a1.re - a2.re, a1.im - a2.im};
                cpx m1 = {a0.re + c * t.re, a0.im + c * t.im};
                cpx m2 = {-sn * d.im, sn * d.re};
                o0[k] = (cpx){a0.re + t.re, a0.im + t.im};
                o1[k] = (cpx){m1.re + m2.re, m1.im + m2.im};
                o2[k] = (cpx){m1.re - m2.re, m1.im - m2.im};
            }
        } else if (f == 5) {
            cpx w1 = conj_if(w[0], sign), w2 = conj_if(w[1], sign), w3 = conj_if(w[2], sign), w4 = conj_if(w[3], sign);
            const float c1 = 0.30901699437494742410f, c2 = -0.80901699437494742410f;
            const float s1 = s * 0.95105651629515357212f, s2 = s * 0.58778525229247312917f;
            cpx *o0 = dst + j * mp, *o1 = dst + (j + L) * mp, *o2 = dst + (j + 2 * L) * mp,
                *o3 = dst + (j + 3 * L) * mp, *o4 = dst + (j + 4 * L) * mp;
            for (int64_t k = 0; k < mp; k++) {
                cpx a0 = in[k], a1 = cmul(w1, in[k + mp]), a2 = cmul(w2, in[k + 2 * mp]), a3 = cmul(w3, in[k + 3 * mp]),
                    a4 = cmul(w4, in[k + 4 * mp]);
                cpx b1 = {a1.re + a4.re, a1.im + a4.im}, b2 = {a2.re + a3.re, a2.im + a3.im};
                cpx d1 = {a1.re - a4.re, a1.im - a4.im}, d2 = {a2.re - a3.re, a2.im - a3.im};
                cpx r1 = {a0.re + c1 * b1.re + c2 * b2.re, a0.im + c1 * b1.im + c2 * b2.im};
                cpx r2 = {a0.re + c2 * b1.re + c1 * b2.re, a0.im + c2 * b1.im + c1 * b2.im};
                /* i * (s1 d1 + s2 d2) and i * (s2 d1 - s1 d2) */
                cpx i1 = {-(s1 * d1.im + s2 * d2.im), s1 * d1.re + s2 * d2.re};
                cpx i2 = {-(s2 * d1.im - s1 * d2.im), s2 * d1.re - s1 * d2.re};
                o0[k] = (cpx){a0.re + b1.re + b2.re, a0.im + b1.im + b2.im};
                o1[k] = (cpx){r1.re + i1.re, r1.im + i1.im};
                o4[k] = (cpx){r1.re - i1.re, r1.im - i1.im};
                o2[k] = (cpx){r2.re + i2.re, r2.im + i2.im};
                o3[k] = (cpx){r2.re - i2.re, r2.im - i2.im};
            }
        } else { /* generic odd radix: direct O(f^2) DFT of the twiddled inputs */
            cpx a[FFT_MAX_DIRECT_RADIX];
            for (int64_t k = 0; k < mp; k++) {
                a[0] = in[k];
                for (int q = 1; q < f; q++)
                    a[q] = cmul(conj_if(w[q - 1], sign), in[k + q * mp]);
                for (int r = 0; r < f; r++) {
                    double re = 0, im = 0;
                    for (int q = 0; q < f; q++) {
                        cpx rt = conj_if(roots[(int64_t)r * q % f], sign);
                        re += (double)a[q].re * rt.re - (double)a[q].im * rt.im;
                        im += (double)a[q].re * rt.im + (double)a[q].im * rt.re;
                    }
                    dst[(j + L * r) * mp + k] = (cpx){(float)re, (float)im};
                }
            }
        }
    }
}

/* In-place transform of data (n values); work has room for max(n, sub m)
 * values plus, for Bluestein, another m. */
static void run_plan(const fft_plan *p, cpx *data, cpx *work, int sign) {
    int64_t n = p->n;
    if (p->sub) {
        int64_t m = p->sub->n;
        cpx *a = work, *sub_work = work + m;
        for (int64_t k = 0; k < n; k++)
            a[k] = cmul(data[k], conj_if(p->chirp[k], sign));
        memset(a + n, 0, (size_t)(m - n) * sizeof(cpx));
        run_plan(p->sub, a, sub_work, -1);
        /* the kernel is symmetric in k, so conjugating it for the inverse
         * direction is the same as conjugating the chirps */
        for (int64_t k = 0; k < m; k++)
            a[k] = cmul(a[k], conj_if(p->kernel[k], sign));
        run_plan(p->sub, a, sub_work, 1);
        for (int64_t k = 0; k < n; k++)
            data[k] = cmul(a[k], conj_if(p->chirp[k], sign));
        return;
    }
    cpx *src = data, *dst = work;
    int64_t L = 1;
    for (int s = 0; s < p->nfactors; s++) {
        int f = p->factors[s];
        stage(src, dst, L, n / L, f, p->twiddles + p->tw_off[s], p->roots ? p->roots + p->root_off[s] : NULL, sign);
        L *= f;
        cpx *t = src;
        src = dst;
        dst = t;
    }
    if (src != data)
        memcpy(data, src, (size_t)n * sizeof(cpx));
}

/* Scratch values run_plan needs for a plan of length n. */
static int64_t plan_work(const fft_plan *p) { return p->sub ? 2 * p->sub->n + plan_work(p->sub) : p->n; }

/* ---- one pass along one axis --------------------------------------------------------------------- */
typedef enum { PASS_C2C, PASS_R2C, PASS_C2R } pass_kind;

typedef struct pass_job {
    const fft_plan *plan;
    pass_kind kind;
    const char *src; /* float or cpx per kind */
    char *dst;
    int64_t in_len, out_len, inner; /* row lengths along the axis; product of the dims after it */
    int sign;
    float scale;
    mx_status status;
} pass_job;

static void pass_rows(int64_t begin, int64_t end, void *ctx) {
    pass_job *job = ctx;
    const fft_plan *p = job->plan;
    int64_t n = p->n;
    cpx *row = malloc((size_t)(n + plan_work(p)) * sizeof(cpx));
    if (!row) {
        job->status = MX_ERROR_MEMORY;
        return;
    }
    cpx *work = row + n;
    int64_t inner = job->inner;
    for (int64_t r = begin; r < end; r++) {
        int64_t o = r / inner, i = r % inner;
        int64_t in_base = o * job->in_len * inner + i, out_base = o * job->out_len * inner + i;
        if (job->kind == PASS_R2C) {
            const float *x = (const float *)job->src + in_base;
            for (int64_t k = 0; k < n; k++)
                row[k] = (cpx){x[k * inner], 0.0f};
        } else if (job->kind == PASS_C2R) { /* rebuild the Hermitian spectrum from n/2 + 1 values */
            const cpx *x = (const cpx *)job->src + in_base;
            int64_t h = n / 2 + 1;
            for (int64_t k = 0; k < h; k++)
                row[k] = x[k * inner];
            for (int64_t k = h; k < n; k++)
                row[k] = (cpx){row[n - k].re, -row[n - k].im};
        } else {
            const cpx *x = (const cpx *)job->src + in_base;
            for (int64_t k = 0; k < n; k++)
                row[k] = x[k * inner];
        }
        run_plan(p, row, work, job->sign);
        float sc = job->scale;
        if (job->kind == PASS_C2R) {
            float *y = (float *)job->dst + out_base;
            for (int64_t k = 0; k < n; k++)
                y[k * inner] = row[k].re * sc;
        } else {
            cpx *y = (cpx *)job->dst + out_base;
            for (int64_t k = 0; k < job->out_len; k++)
                y[k * inner] = (cpx){row[k].re * sc, row[k].im * sc};
        }
    }
    free(row);
}

/* Transform axis `axis` of a row-contiguous array of `shape` (the INPUT's
 * shape along the axis is in_len; the output's out_len). */
static mx_status run_pass(pass_kind kind, const void *src, void *dst, const int64_t *shape, int ndim, int axis,
                          int64_t n, int64_t in_len, int64_t out_len, int sign, float scale) {
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++)
        outer *= shape[d];
    for (int d = axis + 1; d < ndim; d++)
        inner *= shape[d];
    if (outer * inner == 0)
        return MX_OK;
    fft_plan *plan = plan_new(n);
    if (!plan) {
        mx_set_error(MX_ERROR_MEMORY, "fft: out of memory planning a transform of length %lld", (long long)n);
        return MX_ERROR_MEMORY;
    }
    pass_job job = {plan, kind, src, dst, in_len, out_len, inner, sign, scale, MX_OK};
    /* grain: rows worth about 16k values each */
    int64_t grain = 16384 / (n > 0 ? n : 1);
    cpu_parallel_for(outer * inner, grain > 0 ? grain : 1, pass_rows, &job);
    plan_free(plan);
    if (job.status != MX_OK)
        mx_set_error(job.status, "fft: out of memory for the scratch of a transform of length %lld", (long long)n);
    return job.status;
}

static void copy_run(char **ptrs, const int64_t *strides, int64_t n, void *ctx) {
    mx_dtype dtype = *(const mx_dtype *)ctx;
    cpu_convert_run(ptrs[0], dtype, strides[0], ptrs[1], dtype, strides[1], n);
}

/* fft: in (..) float32 (real forward) or complex64 -> out (..) complex64, or
 * float32 (real inverse); see ops/fft.h for the shapes. */
static mx_status fft_kernel(mx_node *out) {
    const mx_fft_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int ndim = out->ndim;
    int last = p->axes[p->naxes - 1];
    mx_status st = mx_node_alloc_output(out);
    if (st != MX_OK)
        return st;
    if (out->size == 0)
        return MX_OK;
    /* a row-major copy of the input: float32 (real forward) or complex64 */
    size_t in_bytes = (size_t)in->size * mx_dtype_size(in->dtype);
    void *src = malloc(in_bytes ? in_bytes : 1);
    if (!src) {
        mx_set_error(MX_ERROR_MEMORY, "fft: out of memory");
        return MX_ERROR_MEMORY;
    }
    int64_t row_strides[MX_MAX_NDIM];
    mx_row_strides(in->shape, in->ndim, row_strides);
    cpu_operand ops[2] = {{src, row_strides, mx_dtype_size(in->dtype)}, cpu_operand_of(in)};
    mx_dtype dtype = in->dtype;
    cpu_foreach(ops, 2, in->shape, in->ndim, CPU_ELEMENTWISE_GRAIN, copy_run, &dtype);
    int sign = p->inverse ? 1 : -1;
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, in->shape, (size_t)ndim * sizeof(int64_t));
    if (!p->real) {
        memcpy(mx_node_data(out), src, in_bytes);
        for (int a = 0; a < p->naxes && st == MX_OK; a++) {
            int ax = p->axes[a];
            int64_t n = shape[ax];
            st = run_pass(PASS_C2C, mx_node_data(out), mx_node_data(out), shape, ndim, ax, n, n, n, sign,
                          p->inverse ? 1.0f / (float)n : 1.0f);
        }
    } else if (!p->inverse) { /* r2c along the last axis, then c2c along the others */
        int64_t n = shape[last];
        st = run_pass(PASS_R2C, src, mx_node_data(out), shape, ndim, last, n, n, out->shape[last], -1, 1.0f);
        shape[last] = out->shape[last];
        for (int a = 0; a < p->naxes - 1 && st == MX_OK; a++) {
            int ax = p->axes[a];
            st = run_pass(PASS_C2C, mx_node_data(out), mx_node_data(out), shape, ndim, ax, shape[ax], shape[ax],
                          shape[ax], -1, 1.0f);
        }
    } else { /* c2c inverse along all but the last axis (in src), then c2r */
        for (int a = 0; a < p->naxes - 1 && st == MX_OK; a++) {
            int ax = p->axes[a];
            st = run_pass(PASS_C2C, src, src, shape, ndim, ax, shape[ax], shape[ax], shape[ax], 1,
                          1.0f / (float)shape[ax]);
        }
        int64_t n = p->last_n;
        if (st == MX_OK)
            st = run_pass(PASS_C2R, src, mx_node_data(out), shape, ndim, last, n, shape[last], n, 1, 1.0f / (float)n);
    }
    free(src);
    return st;
}

void cpu_register_fft(mx_backend *b) { b->kernels[MX_OP_fft] = fft_kernel; }
