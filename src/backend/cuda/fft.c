/* backend/cuda/fft.c - the fft primitive (ops/fft.h) through cuFFT.
 *
 * The node: c2c (complex64 -> complex64), r2c (float32 -> complex64, last
 * transform axis n -> n/2 + 1) or c2r (complex64 -> float32, n/2 + 1 -> n =
 * last_n) over `axes`; inputs already sliced/padded and cast by the op.
 * Forward transforms are unscaled, inverse ones scaled by 1 / prod(n)
 * (the CPU kernel's convention); cuFFT is unnormalised, so inverse results
 * are scaled once at the end (fft.cu).
 *
 * Plans: when the transform axes are the trailing k <= 3 dims (and, for r2c,
 * the real axis is the last one) one rank-k plan batched over the leading
 * dims does it all (c2c, r2c); otherwise, and always for c2r (see below),
 * one rank-1 pass per axis over the
 * buffer (outer, len, inner): batched with unit stride when inner == 1, else
 * batched over the shorter of outer/inner with the other walked by launches
 * (c2c), or, for a real transform (whose real side cuFFT wants at complex
 * alignment), the axis moved last by a transposing copy and back.
 * Plans are cached by (rank, sizes, embeds, strides, distances, type, batch),
 * 32 of them, least recently used replaced; cuFFT allocates their work areas.
 * Buffers: c2c transforms a row-contiguous input into the output (else
 * copies it there first), further axes in place; r2c reads the input where it is when row-contiguous and 16-byte
 * aligned (else a copy) and writes the output, then c2c passes in place; c2r
 * always copies its input to scratch (cuFFT's C2R overwrites its input),
 * transforms the other axes there, zeroes the imaginary parts of the DC and
 * Nyquist entries of the last axis (the CPU kernel, as numpy's irfft, takes
 * the real part of the full inverse, which ignores them; cuFFT's C2R of a
 * non-Hermitian half spectrum does not), then C2R into the output. */
#include <cufft.h>
#include <pthread.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/fft_kernels.h"
#include "ops/fft.h"

void cuda_register_fft(mx_backend *b);

#define PLAN_CACHE 32

typedef struct plan_key {
    int rank;
    cufftType type;
    long long n[3], inembed[3], onembed[3];
    long long istride, idist, ostride, odist, batch;
} plan_key;

typedef struct plan_entry {
    plan_key key;
    cufftHandle handle;
    uint64_t used;
    bool live;
} plan_entry;

static struct {
    pthread_mutex_t lock;
    plan_entry plans[PLAN_CACHE];
    uint64_t clock;
} g_fft = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* A cached plan for key (created on a miss), or an error naming the sizes. */
static mx_status plan_get(const plan_key *key, cufftHandle *out) {
    pthread_mutex_lock(&g_fft.lock);
    plan_entry *victim = &g_fft.plans[0];
    for (int i = 0; i < PLAN_CACHE; i++) {
        plan_entry *e = &g_fft.plans[i];
        if (e->live && memcmp(&e->key, key, sizeof *key) == 0) {
            e->used = ++g_fft.clock;
            *out = e->handle;
            pthread_mutex_unlock(&g_fft.lock);
            return MX_OK;
        }
        if (!e->live || (victim->live && e->used < victim->used))
            victim = e;
    }
    if (victim->live) {
        /* the stream may still run work of this plan: cuFFT frees its work area, so wait */
        cudaStreamSynchronize(cuda_stream_get());
        cufftDestroy(victim->handle);
        victim->live = false;
    }
    cufftHandle h;
    size_t work = 0;
    long long n[3], inembed[3], onembed[3];
    memcpy(n, key->n, sizeof n);
    memcpy(inembed, key->inembed, sizeof inembed);
    memcpy(onembed, key->onembed, sizeof onembed);
    cufftResult r = cufftCreate(&h);
    if (r == CUFFT_SUCCESS) {
        r = cufftMakePlanMany64(h, key->rank, n, key->istride ? inembed : NULL, key->istride, key->idist,
                                key->istride ? onembed : NULL, key->ostride, key->odist, key->type, key->batch, &work);
        if (r != CUFFT_SUCCESS)
            cufftDestroy(h);
    }
    if (r != CUFFT_SUCCESS) {
        pthread_mutex_unlock(&g_fft.lock);
        return mx_set_error(r == CUFFT_ALLOC_FAILED ? MX_ERROR_MEMORY : MX_ERROR_INTERNAL,
                            "fft: cuFFT could not plan a rank-%d transform of (%lld, %lld, %lld) x %lld (error %d)",
                            key->rank, key->n[0], key->rank > 1 ? key->n[1] : 1, key->rank > 2 ? key->n[2] : 1,
                            key->batch, (int)r);
    }
    victim->key = *key;
    victim->handle = h;
    victim->used = ++g_fft.clock;
    victim->live = true;
    *out = h;
    pthread_mutex_unlock(&g_fft.lock);
    return MX_OK;
}

static mx_status cufft_status(cufftResult r) {
    if (r == CUFFT_SUCCESS)
        return MX_OK;
    return mx_set_error(MX_ERROR_INTERNAL, "fft: cuFFT execution failed (error %d)", (int)r);
}

/* Run plan h on in -> out (types by kind; inverse for c2c). */
static mx_status exec(cufftHandle h, cufftType type, void *in, void *out, bool inverse) {
    cufftResult r = cufftSetStream(h, cuda_stream_get());
    if (r == CUFFT_SUCCESS) {
        switch (type) {
        case CUFFT_C2C:
            r = cufftExecC2C(h, (cufftComplex *)in, (cufftComplex *)out, inverse ? CUFFT_INVERSE : CUFFT_FORWARD);
            break;
        case CUFFT_R2C: r = cufftExecR2C(h, (cufftReal *)in, (cufftComplex *)out); break;
        default: r = cufftExecC2R(h, (cufftComplex *)in, (cufftReal *)out); break;
        }
    }
    return cufft_status(r);
}

/* dst (outer, b, a) = src (outer, a, b) transposed in its last two dims (row-major; elements of
 * `item` bytes: float32 or complex64), on the GPU. */
static mx_status swap_last2(size_t item, const void *src, void *dst, int64_t outer, int64_t a, int64_t b) {
    int64_t shape[3] = {outer, b, a}, row[3] = {a * b, a, 1}, in[3] = {a * b, 1, b};
    const int64_t *strides[2] = {row, in};
    cuda_layout lay;
    int kind = cuda_collapse(shape, 3, strides, 2, &lay);
    if (kind < 0)
        return mx_set_error(MX_ERROR_INTERNAL, "fft: a transpose of (%lld, %lld, %lld) has too many dims",
                            (long long)outer, (long long)a, (long long)b);
    int rc = cuda_launch_cast(item == 4 ? MX_FLOAT32 : MX_COMPLEX64, item == 4 ? MX_FLOAT32 : MX_COMPLEX64, dst, src,
                              outer * a * b, kind ? &lay : NULL, (cuda_stream)cuda_stream_get());
    return rc < 0 ? mx_set_error(MX_ERROR_INTERNAL, "fft: no transpose kernel") : MX_OK;
}

/* One rank-1 transform along `axis` of the row-major buffer `shape` (its
 * input length in_len, output length out_len along the axis), in -> out
 * (bytes per element: isize, osize). */
static mx_status axis_pass(cufftType type, bool inverse, const int64_t *shape, int ndim, int axis, int64_t n,
                           int64_t in_len, int64_t out_len, char *in, char *out, size_t isize, size_t osize) {
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++)
        outer *= shape[d];
    for (int d = axis + 1; d < ndim; d++)
        inner *= shape[d];
    if (outer * inner == 0)
        return MX_OK;
    plan_key key;
    memset(&key, 0, sizeof key);
    key.rank = 1;
    key.type = type;
    key.n[0] = n;
    key.inembed[0] = in_len;
    key.onembed[0] = out_len;
    if (type != CUFFT_C2C && inner > 1) {
        /* a real transform along a strided axis: per-position launches would put the real side at
         * float (not complex) offsets, which cuFFT refuses; move the axis last, transform rows, move it back */
        size_t ci, co;
        char *t_in = cuda_scratch_alloc((size_t)(outer * in_len * inner) * isize, "fft", &ci);
        char *t_out = t_in ? cuda_scratch_alloc((size_t)(outer * out_len * inner) * osize, "fft", &co) : NULL;
        mx_status st = t_out ? swap_last2(isize, in, t_in, outer, in_len, inner) : mx_last_status();
        key.istride = key.ostride = 1;
        key.idist = in_len;
        key.odist = out_len;
        key.batch = outer * inner;
        cufftHandle h;
        if (st == MX_OK)
            st = plan_get(&key, &h);
        if (st == MX_OK)
            st = exec(h, type, t_in, t_out, inverse);
        if (st == MX_OK)
            st = swap_last2(osize, t_out, out, outer, inner, out_len);
        if (t_out)
            cuda_scratch_free(t_out, co);
        if (t_in)
            cuda_scratch_free(t_in, ci);
        return st;
    }
    int64_t launches, in_step, out_step;
    if (inner == 1) { /* rows: unit stride, one launch */
        key.istride = key.ostride = 1;
        key.idist = in_len;
        key.odist = out_len;
        key.batch = outer;
        launches = 1;
        in_step = out_step = 0;
    } else if (inner >= outer) { /* batch over the inner positions, one launch per outer index */
        key.istride = key.ostride = inner;
        key.idist = key.odist = 1;
        key.batch = inner;
        launches = outer;
        in_step = in_len * inner;
        out_step = out_len * inner;
    } else { /* batch over the outer index, one launch per inner position */
        key.istride = key.ostride = inner;
        key.idist = in_len * inner;
        key.odist = out_len * inner;
        key.batch = outer;
        launches = inner;
        in_step = out_step = 1;
    }
    cufftHandle h;
    mx_status st = plan_get(&key, &h);
    for (int64_t l = 0; l < launches && st == MX_OK; l++)
        st = exec(h, type, in + (size_t)(l * in_step) * isize, out + (size_t)(l * out_step) * osize, inverse);
    return st;
}

/* A row-major copy of node `in` (its dtype) at dst, on the GPU. */
static mx_status copy_rows(mx_node *in, void *src, void *dst) {
    int64_t row[MX_MAX_NDIM];
    mx_row_strides(in->shape, in->ndim, row);
    const int64_t *strides[2] = {row, in->strides};
    cuda_layout lay;
    int kind = cuda_collapse(in->shape, in->ndim, strides, 2, &lay);
    if (kind < 0)
        return MX_ERROR_UNSUPPORTED;
    cuda_stream s = (cuda_stream)cuda_stream_get();
    if (kind == 0)
        return cuda_check(cudaMemcpyAsync(dst, src, (size_t)in->size * mx_dtype_size(in->dtype),
                                          cudaMemcpyDeviceToDevice, (cudaStream_t)s),
                          "fft", "a device copy");
    return cuda_launch_cast(in->dtype, in->dtype, dst, src, in->size, &lay, s) < 0 ? MX_ERROR_UNSUPPORTED : MX_OK;
}

/* Whether the transform axes are exactly the trailing naxes (<= 3) dims and
 * the real axis (axes[naxes - 1]) is the last dim. */
static bool trailing_axes(const mx_fft_params *p, int ndim) {
    if (p->naxes > 3)
        return false;
    bool seen[MX_MAX_NDIM] = {false};
    for (int i = 0; i < p->naxes; i++) {
        if (p->axes[i] < ndim - p->naxes)
            return false;
        seen[p->axes[i]] = true;
    }
    for (int d = ndim - p->naxes; d < ndim; d++)
        if (!seen[d])
            return false;
    return !p->real || p->axes[p->naxes - 1] == ndim - 1;
}

/* One rank-k plan over the trailing k dims (logical sizes n; the row-major
 * buffers are contiguous: cuFFT's basic layout), batched over the rest. */
static mx_status trailing_pass(cufftType type, bool inverse, const int64_t *logical, int ndim, int k, void *in,
                               void *out) {
    plan_key key;
    memset(&key, 0, sizeof key);
    key.rank = k;
    key.type = type;
    int64_t batch = 1;
    for (int d = 0; d < ndim - k; d++)
        batch *= logical[d];
    for (int i = 0; i < k; i++)
        key.n[i] = logical[ndim - k + i];
    key.batch = batch;
    /* basic layout: istride == 0 marks "no embeds"; the distances are cuFFT's defaults */
    key.istride = 0;
    int64_t full = 1, half = 1;
    for (int i = 0; i < k; i++) {
        full *= key.n[i];
        half *= i == k - 1 ? key.n[i] / 2 + 1 : key.n[i];
    }
    key.idist = type == CUFFT_C2R ? half : full;
    key.odist = type == CUFFT_R2C ? half : full;
    if (batch == 0 || full == 0)
        return MX_OK;
    cufftHandle h;
    mx_status st = plan_get(&key, &h);
    return st == MX_OK ? exec(h, type, in, out, inverse) : st;
}

/* shape: see ops/fft.h. in (..) float32 (r2c) or complex64 -> out (..) complex64, or float32 (c2r). */
static mx_status fft_kernel(mx_node *out) {
    const mx_fft_params *p = mx_node_params(out);
    mx_node *in = out->inputs[0];
    int ndim = out->ndim;
    if (out->size == 0 || in->size == 0 || p->naxes < 1)
        return mx_run_cpu_kernel(out);
    bool c2r = p->real && p->inverse, r2c = p->real && !p->inverse;
    if ((r2c && in->dtype != MX_FLOAT32) || (!r2c && in->dtype != MX_COMPLEX64))
        return mx_run_cpu_kernel(out);
    cuda_kernel_begin();
    void *src;
    mx_status st = cuda_node_ptr(in, "fft", &src);
    if (st != MX_OK)
        return st;
    /* c2r: the input's row-major copy (overwritten by cuFFT); r2c: a copy when the input is a view or unaligned */
    void *scratch = NULL;
    size_t scratch_capacity = 0;
    bool need_copy = c2r || (r2c && (!mx_node_is_row_contiguous(in) || (uintptr_t)src % 16 != 0));
    if (need_copy) {
        size_t nbytes = (size_t)in->size * mx_dtype_size(in->dtype);
        scratch = cuda_scratch_alloc(nbytes, "fft", &scratch_capacity);
        if (!scratch)
            return mx_last_status();
        st = copy_rows(in, src, scratch);
        if (st != MX_OK) {
            cuda_scratch_free(scratch, scratch_capacity);
            return st == MX_ERROR_UNSUPPORTED ? mx_run_cpu_kernel(out) : st;
        }
    }
    st = cuda_alloc_output(out);
    /* c2c: the first transform reads a row-contiguous input where it is (cuFFT's out-of-place C2C
     * leaves its input alone), else the input is copied into the output first */
    bool c2c_direct = !p->real && mx_node_is_row_contiguous(in) && (uintptr_t)src % 8 == 0;
    if (st == MX_OK && !p->real && !c2c_direct) {
        st = copy_rows(in, src, out->buffer->device_ptr);
        if (st == MX_ERROR_UNSUPPORTED) {
            cuda_scratch_free(scratch, scratch_capacity);
            return mx_run_cpu_kernel(out);
        }
    }
    char *dst = st == MX_OK ? out->buffer->device_ptr : NULL;
    char *c2c_src = c2c_direct ? (char *)src : dst;
    const size_t CS = 8, RS = 4; /* complex64, float32 */
    int64_t shape[MX_MAX_NDIM];
    memcpy(shape, in->shape, (size_t)ndim * sizeof(int64_t));
    int last = p->axes[p->naxes - 1];
    double total = 1; /* prod(n) of the inverse scaling */
    for (int i = 0; i < p->naxes; i++)
        total *= (double)(c2r && p->axes[i] == last ? p->last_n : shape[p->axes[i]]);
    bool trailing = trailing_axes(p, ndim);
    if (st != MX_OK) {
        /* nothing to do */
    } else if (!p->real) {
        if (trailing)
            st = trailing_pass(CUFFT_C2C, p->inverse, shape, ndim, p->naxes, c2c_src, dst);
        for (int a = 0; !trailing && a < p->naxes && st == MX_OK; a++) {
            int64_t n = shape[p->axes[a]];
            st =
                axis_pass(CUFFT_C2C, p->inverse, shape, ndim, p->axes[a], n, n, n, a == 0 ? c2c_src : dst, dst, CS, CS);
        }
    } else if (r2c) {
        char *x = scratch ? scratch : src;
        if (trailing) {
            st = trailing_pass(CUFFT_R2C, false, shape, ndim, p->naxes, x, dst);
        } else {
            int64_t n = shape[last];
            st = axis_pass(CUFFT_R2C, false, shape, ndim, last, n, n, out->shape[last], x, dst, RS, CS);
            shape[last] = out->shape[last];
            for (int a = 0; a < p->naxes - 1 && st == MX_OK; a++) {
                int64_t m = shape[p->axes[a]];
                st = axis_pass(CUFFT_C2C, false, shape, ndim, p->axes[a], m, m, m, dst, dst, CS, CS);
            }
        }
    } else { /* c2r: c2c inverse along the other axes, the Hermitian clean-up, then C2R along the last */
        for (int a = 0; a < p->naxes - 1 && st == MX_OK; a++) {
            int64_t m = shape[p->axes[a]];
            st = axis_pass(CUFFT_C2C, true, shape, ndim, p->axes[a], m, m, m, scratch, scratch, CS, CS);
        }
        int64_t outer = 1, inner = 1;
        for (int d = 0; d < last; d++)
            outer *= shape[d];
        for (int d = last + 1; d < ndim; d++)
            inner *= shape[d];
        if (st == MX_OK) {
            cuda_launch_fft_zero_imag(scratch, outer, shape[last], inner, p->last_n % 2 == 0 ? p->last_n / 2 : -1,
                                      (cuda_stream)cuda_stream_get());
            st = cuda_check(cudaGetLastError(), "fft", "a kernel launch");
        }
        if (st == MX_OK)
            st = axis_pass(CUFFT_C2R, true, shape, ndim, last, p->last_n, shape[last], p->last_n, scratch, dst, CS, RS);
    }
    if (st == MX_OK && p->inverse) {
        int64_t nfloats = out->size * (out->dtype == MX_COMPLEX64 ? 2 : 1);
        cuda_launch_fft_scale((float *)dst, nfloats, (float)(1.0 / total), (cuda_stream)cuda_stream_get());
        st = cuda_check(cudaGetLastError(), "fft", "a kernel launch");
    }
    cuda_scratch_free(scratch, scratch_capacity);
    if (st == MX_OK)
        cuda_output_written(out);
    return st;
}

void cuda_register_fft(mx_backend *b) {
    b->kernels[MX_OP_fft] = fft_kernel;
    cuda_allow_complex(MX_OP_fft);
}
