/* backend/cuda/reduce.cu - reductions (sum, prod, max, min, all, any, mean,
 * var, std, argmax, argmin, logsumexp) and softmax.
 *
 * Every reduction is over the middle axis of a row-contiguous (outer, m,
 * inner) input; the glue brings other layouts to that form (merging dims,
 * or one strided copy that moves the reduced axes last). inner == 1 is a
 * row reduction: a warp per row up to 1024 16-byte vectors (8 rows per
 * block), else a block per row (or per slice of one when there are too few
 * rows to fill the GPU: partial accumulators, then a second launch combines
 * them); threads read 16-byte vectors, four in flight. inner > 1 is a
 * column reduction: a warp covers 32 x VEC adjacent columns (one vector per
 * thread), 8 thread rows walk down m with four rows in flight, and m is
 * split across blocks when the columns alone do not fill the GPU. Rows or
 * columns that are not 16-byte aligned take the same kernels with VEC = 1.
 * var/std: the sums (as mx.sum types them), the centers as the CPU kernel
 * rounds MLX's mean, then the squared deviations.
 *
 * A reducer R has: Acc, init(), feed(acc, x, index, output index),
 * merge(acc, other) (order-free: argmax breaks ties by the smaller index)
 * and store().
 *
 * softmax: a row that fits is read once into registers (a warp or a block
 * per row), max and sum of exponentials are group reductions, one write. */
#include <math.h>
#include <type_traits>

#include "backend/cuda/complex.cuh"
#include "backend/cuda/cuda_common.cuh"
#include "ops/op_list.h"

namespace {

/* ---- reducers ---------------------------------------------------------------------------------- */

/* Wide accumulator of a type: 64-bit integers (the sum wraps the same modulo
 * the output's width), float for the half types and float32, double. */
template <typename T> struct wide {
    typedef typename std::conditional<std::is_signed<T>::value, int64_t, uint64_t>::type type;
};
template <> struct wide<bool> { typedef int64_t type; };
template <> struct wide<f16_t> { typedef float type; };
template <> struct wide<bf16_t> { typedef float type; };
template <> struct wide<float> { typedef float type; };
template <> struct wide<double> { typedef double type; };

template <typename In> struct scalar_reducer {
    typedef In input;
    typedef typename wide<In>::type Acc;
    int op;
    int out_dtype;

    __device__ __forceinline__ Acc init() const {
        switch (op) {
        case MX_OP_prod:
        case MX_OP_all: return (Acc)1;
        case MX_OP_max:
            if constexpr (std::is_floating_point<Acc>::value)
                return -INFINITY;
            else
                return std::is_signed<In>::value ? (Acc)(((uint64_t)1 << 63)) : (Acc)0;
        case MX_OP_min:
            if constexpr (std::is_floating_point<Acc>::value)
                return INFINITY;
            else
                return std::is_signed<In>::value ? (Acc)INT64_MAX : (Acc)UINT64_MAX;
        default: return (Acc)0;
        }
    }
    __device__ __forceinline__ void merge(Acc &a, Acc b) const {
        switch (op) {
        case MX_OP_prod:
            if constexpr (std::is_floating_point<Acc>::value)
                a *= b;
            else
                a = (Acc)((uint64_t)a * (uint64_t)b);
            break;
        case MX_OP_max:
            if constexpr (std::is_floating_point<Acc>::value)
                a = isnan(a) ? a : (isnan(b) || b > a) ? b : a;
            else
                a = b > a ? b : a;
            break;
        case MX_OP_min:
            if constexpr (std::is_floating_point<Acc>::value)
                a = isnan(a) ? a : (isnan(b) || b < a) ? b : a;
            else
                a = b < a ? b : a;
            break;
        case MX_OP_all: a = (a != 0) && (b != 0); break;
        case MX_OP_any: a = (a != 0) || (b != 0); break;
        default: /* sum, mean */
            if constexpr (std::is_floating_point<Acc>::value)
                a += b;
            else
                a = (Acc)((uint64_t)a + (uint64_t)b);
        }
    }
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t, int64_t) const { merge(a, (Acc)to_compute(x)); }
    __device__ __forceinline__ void store(void *out, int64_t i, Acc a, int64_t m) const {
        switch (out_dtype) {
        case MX_BOOL: ((bool *)out)[i] = a != 0; break;
        case MX_UINT8: ((uint8_t *)out)[i] = (uint8_t)a; break;
        case MX_UINT16: ((uint16_t *)out)[i] = (uint16_t)a; break;
        case MX_UINT32: ((uint32_t *)out)[i] = (uint32_t)a; break;
        case MX_UINT64: ((uint64_t *)out)[i] = (uint64_t)a; break;
        case MX_INT8: ((int8_t *)out)[i] = (int8_t)a; break;
        case MX_INT16: ((int16_t *)out)[i] = (int16_t)a; break;
        case MX_INT32: ((int32_t *)out)[i] = (int32_t)a; break;
        case MX_INT64: ((int64_t *)out)[i] = (int64_t)a; break;
        default: {
            /* float outputs: mean divides here */
            double v = op == MX_OP_mean ? (double)a / (double)m : (double)a;
            if (out_dtype == MX_FLOAT64)
                ((double *)out)[i] = op == MX_OP_mean ? v : (double)a;
            else if (out_dtype == MX_FLOAT32)
                ((float *)out)[i] = op == MX_OP_mean ? (float)v : (float)a;
            else if (out_dtype == MX_FLOAT16)
                ((f16_t *)out)[i] = __float2half_rn(op == MX_OP_mean ? (float)v : (float)a);
            else if (out_dtype == MX_BFLOAT16)
                ((bf16_t *)out)[i] = __float2bfloat16_rn(op == MX_OP_mean ? (float)v : (float)a);
        }
        }
    }
};

template <typename C> struct arg_acc {
    C v;
    int64_t i; /* -1: nothing yet */
};

template <typename In> struct arg_reducer {
    typedef In input;
    /* values compared as float/double, or as 64-bit integers (shuffle-able) */
    typedef typename std::conditional<is_float_t<In>::value, typename compute_of<In>::type,
                                      typename wide<In>::type>::type C;
    typedef arg_acc<C> Acc;
    bool is_max;

    __device__ __forceinline__ Acc init() const { return Acc{C(0), -1}; }
    /* b replaces a: b strictly better, or as good at a smaller index; NaN is best */
    __device__ __forceinline__ bool better(const Acc &b, const Acc &a) const {
        if (b.i < 0)
            return false;
        if (a.i < 0)
            return true;
        if constexpr (is_float_t<In>::value) {
            bool bn = isnan(b.v), an = isnan(a.v);
            if (bn || an)
                return bn && (!an || b.i < a.i);
        }
        if (b.v == a.v)
            return b.i < a.i;
        return is_max ? b.v > a.v : b.v < a.v;
    }
    __device__ __forceinline__ void merge(Acc &a, const Acc &b) const {
        if (better(b, a))
            a = b;
    }
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t index, int64_t) const {
        merge(a, Acc{(C)to_compute(x), index});
    }
    __device__ __forceinline__ void store(void *out, int64_t i, const Acc &a, int64_t) const {
        ((uint32_t *)out)[i] = (uint32_t)(a.i < 0 ? 0 : a.i);
    }
};

template <typename C> struct lse_acc {
    C m, s;
};

template <typename In> struct lse_reducer {
    typedef In input;
    typedef typename compute_of<In>::type C;
    typedef lse_acc<C> Acc;
    int out_dtype;

    __device__ __forceinline__ Acc init() const { return Acc{-(C)INFINITY, (C)0}; }
    __device__ __forceinline__ void merge(Acc &a, const Acc &b) const {
        if (isnan(a.m))
            return;
        if (isnan(b.m)) {
            a = b;
            return;
        }
        if (b.m == -(C)INFINITY)
            return;
        if (a.m == -(C)INFINITY) {
            a = b;
            return;
        }
        if (isinf(a.m) || isinf(b.m)) { /* +inf: the result is inf; keep the max */
            a.m = a.m > b.m ? a.m : b.m;
            a.s = (C)1;
            return;
        }
        if (b.m > a.m) {
            a.s = a.s * exp(a.m - b.m) + b.s;
            a.m = b.m;
        } else {
            a.s += b.s * exp(b.m - a.m);
        }
    }
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t, int64_t) const { merge(a, Acc{to_compute(x), (C)1}); }
    __device__ __forceinline__ void store(void *out, int64_t i, const Acc &a, int64_t) const {
        C r = isinf(a.m) ? a.m : a.m + log(a.s);
        switch (out_dtype) {
        case MX_FLOAT16: ((f16_t *)out)[i] = store_as<f16_t>::from(r); break;
        case MX_BFLOAT16: ((bf16_t *)out)[i] = store_as<bf16_t>::from(r); break;
        case MX_FLOAT32: ((float *)out)[i] = (float)r; break;
        case MX_FLOAT64: ((double *)out)[i] = (double)r; break;
        default: break;
        }
    }
};

/* var/std second pass: the sum of squared deviations from per-output
 * centers (MLX's mean, rounded as the CPU kernel rounds it), in float
 * (double for float64; integers are subtracted as float32, as in MLX). */
template <typename In> struct sqdev_reducer {
    typedef In input;
    typedef typename std::conditional<std::is_same<In, double>::value, double, float>::type Acc;
    const double *centers; /* one per output */
    int out_dtype;
    int ddof;
    bool take_sqrt;

    __device__ __forceinline__ Acc init() const { return (Acc)0; }
    __device__ __forceinline__ void merge(Acc &a, Acc b) const { a += b; }
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t, int64_t oi) const {
        Acc d = (Acc)to_compute(x) - (Acc)centers[oi];
        a += d * d;
    }
    /* var = S * (1/n) (ddof 0) or S / max(n - ddof, 0); std = sqrt(var); each
     * step rounded to the output dtype (the CPU kernel's finish_var) */
    __device__ __forceinline__ void store(void *out, int64_t i, Acc a, int64_t n) const {
        double count = round_out((double)n), scale = round_out(1.0 / (double)n);
        double divisor = round_out(count - round_out((double)ddof));
        divisor = divisor > 0 ? divisor : 0.0;
        double s = round_out((double)a);
        double v = ddof == 0 ? round_out(s * scale) : round_out(s / divisor);
        if (take_sqrt)
            v = round_out(sqrt(v));
        switch (out_dtype) {
        case MX_FLOAT16: ((f16_t *)out)[i] = __float2half_rn((float)v); break;
        case MX_BFLOAT16: ((bf16_t *)out)[i] = __float2bfloat16_rn((float)v); break;
        case MX_FLOAT32: ((float *)out)[i] = (float)v; break;
        default: ((double *)out)[i] = v; break;
        }
    }
    __device__ __forceinline__ double round_out(double v) const {
        switch (out_dtype) {
        case MX_FLOAT16: return (double)__half2float(__float2half_rn((float)v));
        case MX_BFLOAT16: return (double)__bfloat162float(__float2bfloat16_rn((float)v));
        case MX_FLOAT32: return (double)(float)v;
        default: return v;
        }
    }
};

/* complex64 sum and mean: the CPU's double pairs (mean: (float)sum * (float)(1/n)). */
struct c64_sum_acc {
    double re, im;
};
struct c64_sum_reducer {
    typedef c64_t input;
    typedef c64_sum_acc Acc;
    bool mean;
    __device__ __forceinline__ Acc init() const { return Acc{0.0, 0.0}; }
    __device__ __forceinline__ void merge(Acc &a, Acc b) const {
        a.re += b.re;
        a.im += b.im;
    }
    __device__ __forceinline__ void feed(Acc &a, c64_t x, int64_t, int64_t) const {
        a.re += (double)x.re;
        a.im += (double)x.im;
    }
    __device__ __forceinline__ void store(void *out, int64_t i, Acc a, int64_t m) const {
        float scale = mean ? (float)(1.0 / (double)m) : 1.0f;
        ((c64_t *)out)[i] = mean ? c64_make(__fmul_rn((float)a.re, scale), __fmul_rn((float)a.im, scale))
                                 : c64_make((float)a.re, (float)a.im);
    }
};

/* complex64 prod: float complex products, as the CPU (which overflows like MLX's). */
struct c64_prod_reducer {
    typedef c64_t input;
    typedef c64_t Acc;
    __device__ __forceinline__ Acc init() const { return c64_make(1.0f, 0.0f); }
    __device__ __forceinline__ void merge(Acc &a, Acc b) const { a = c64_mul(a, b); }
    __device__ __forceinline__ void feed(Acc &a, c64_t x, int64_t, int64_t) const { a = c64_mul(a, x); }
    __device__ __forceinline__ void store(void *out, int64_t i, Acc a, int64_t) const { ((c64_t *)out)[i] = a; }
};

/* ---- shuffles of accumulators ---------------------------------------------------------------- */

template <typename T> __device__ __forceinline__ T shfl_down(T v, int delta) { return __shfl_down_sync(0xffffffffu, v, delta); }
template <typename C> __device__ __forceinline__ arg_acc<C> shfl_down(arg_acc<C> v, int delta) {
    return arg_acc<C>{__shfl_down_sync(0xffffffffu, v.v, delta), __shfl_down_sync(0xffffffffu, v.i, delta)};
}
template <typename C> __device__ __forceinline__ lse_acc<C> shfl_down(lse_acc<C> v, int delta) {
    return lse_acc<C>{__shfl_down_sync(0xffffffffu, v.m, delta), __shfl_down_sync(0xffffffffu, v.s, delta)};
}

__device__ __forceinline__ c64_sum_acc shfl_down(c64_sum_acc v, int delta) {
    return c64_sum_acc{__shfl_down_sync(0xffffffffu, v.re, delta), __shfl_down_sync(0xffffffffu, v.im, delta)};
}
__device__ __forceinline__ c64_t shfl_down(c64_t v, int delta) {
    return c64_make(__shfl_down_sync(0xffffffffu, v.re, delta), __shfl_down_sync(0xffffffffu, v.im, delta));
}

/* Lane 0 ends with the warp's accumulator. */
template <class R> __device__ __forceinline__ typename R::Acc warp_reduce(const R &r, typename R::Acc a) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1)
        r.merge(a, shfl_down(a, d));
    return a;
}

/* ---- row reductions ---------------------------------------------------------------------------- */

/* shape: in (rows, len) row-contiguous In [or (rows, len) accumulators when
 * FromAcc]; out (rows,) [or (rows, splits) partial accumulators when
 * splits > 1]. A group of tpr threads (a warp, or the whole block) reduces
 * slice `split` of a row; VEC > 1: len % VEC == 0 and 16-byte aligned rows,
 * read as vectors, four in flight per thread. */
template <class R, typename In, int VEC, bool FromAcc>
__global__ void __launch_bounds__(512) row_reduce(R r, const void *in, void *out, int64_t rows, int64_t len, int tpr,
                                                  int64_t splits, int64_t m_total) {
    typedef typename R::Acc Acc;
    __shared__ Acc partial[512];
    const int t = threadIdx.x % tpr;
    const int64_t g = (int64_t)blockIdx.x * (blockDim.x / tpr) + threadIdx.x / tpr;
    const int64_t row = g / splits, split = g % splits;
    const bool live = row < rows;
    Acc a = r.init();
    if (live) {
        int64_t chunk = (len + splits - 1) / splits;
        chunk = (chunk + VEC - 1) / VEC * VEC;
        const int64_t begin = split * chunk, end = begin + chunk < len ? begin + chunk : len;
        if constexpr (FromAcc) {
            const Acc *acc = (const Acc *)in + row * len;
            for (int64_t j = begin + t; j < end; j += tpr)
                r.merge(a, acc[j]);
        } else if constexpr (VEC == 1) {
            const In *x = (const In *)in + row * len;
            for (int64_t j = begin + t; j < end; j += tpr)
                r.feed(a, x[j], j, row);
        } else {
            const In *x = (const In *)in + row * len;
            const int64_t step = (int64_t)tpr * VEC;
            int64_t j = begin + (int64_t)t * VEC;
            for (; j + 3 * step < end; j += 4 * step) {
                vec_t<In, VEC> p[4];
#pragma unroll
                for (int u = 0; u < 4; u++)
                    p[u] = *(const vec_t<In, VEC> *)(x + j + u * step);
#pragma unroll
                for (int u = 0; u < 4; u++)
#pragma unroll
                    for (int e = 0; e < VEC; e++)
                        r.feed(a, p[u].v[e], j + u * step + e, row);
            }
            for (; j < end; j += step) {
                vec_t<In, VEC> p = *(const vec_t<In, VEC> *)(x + j);
#pragma unroll
                for (int e = 0; e < VEC; e++)
                    r.feed(a, p.v[e], j + e, row);
            }
        }
    }
    if (tpr > 32) {
        /* the block (a power of two of threads): a tree in shared memory. (A
         * warp-shuffle stage before the tree gave `all` of float inputs 0 on
         * an H200 while every other reducer agreed with the CPU; this is the
         * first wave's combine, which never failed.) */
        partial[threadIdx.x] = a;
        __syncthreads();
        for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
            if (threadIdx.x < half) {
                Acc mine = partial[threadIdx.x];
                r.merge(mine, partial[threadIdx.x + half]);
                partial[threadIdx.x] = mine;
            }
            __syncthreads();
        }
        a = partial[0];
    } else {
        a = warp_reduce(r, a);
    }
    if (threadIdx.x % tpr != 0 || !live)
        return;
    if (splits > 1)
        ((Acc *)out)[row * splits + split] = a;
    else
        r.store(out, row, a, m_total);
}

/* ---- column reductions ------------------------------------------------------------------------- */

/* shape: in (outer, m, inner) [or (m = msplits, inner = outer*inner)
 * accumulators]; out (outer, inner) [or (msplits, outer, inner) partials].
 * Block: 32 x VEC adjacent columns (one vector per thread; inner % VEC == 0
 * and aligned when VEC > 1) x 8 thread rows walking down m, four rows in
 * flight; blockIdx.y: the slice of m. */
template <class R, typename In, int VEC, bool FromAcc>
__global__ void col_reduce(R r, const void *in, void *out, int64_t outer, int64_t m, int64_t inner, int64_t msplits,
                           int64_t m_total) {
    typedef typename R::Acc Acc;
    __shared__ Acc part[8][33];
    const int64_t col_blocks = (inner + 32 * VEC - 1) / (32 * VEC);
    const int64_t o = blockIdx.x / col_blocks;
    const int64_t c0 = (blockIdx.x % col_blocks) * 32 * VEC + (int64_t)threadIdx.x * VEC;
    const int64_t chunk = (m + msplits - 1) / msplits, begin = blockIdx.y * chunk;
    const int64_t end = begin + chunk < m ? begin + chunk : m;
    Acc a[VEC];
#pragma unroll
    for (int e = 0; e < VEC; e++)
        a[e] = r.init();
    if (c0 < inner) {
        if constexpr (FromAcc) {
            for (int64_t j = begin + threadIdx.y; j < end; j += 8)
                r.merge(a[0], ((const Acc *)in)[(o * m + j) * inner + c0]);
        } else {
            const In *x = (const In *)in;
            int64_t j = begin + threadIdx.y;
            for (; j + 24 < end; j += 32) {
                vec_t<In, VEC> p[4];
#pragma unroll
                for (int u = 0; u < 4; u++)
                    p[u] = *(const vec_t<In, VEC> *)(x + (o * m + j + 8 * u) * inner + c0);
#pragma unroll
                for (int u = 0; u < 4; u++)
#pragma unroll
                    for (int e = 0; e < VEC; e++)
                        r.feed(a[e], p[u].v[e], j + 8 * u, o * inner + c0 + e);
            }
            for (; j < end; j += 8) {
                vec_t<In, VEC> p = *(const vec_t<In, VEC> *)(x + (o * m + j) * inner + c0);
#pragma unroll
                for (int e = 0; e < VEC; e++)
                    r.feed(a[e], p.v[e], j, o * inner + c0 + e);
            }
        }
    }
#pragma unroll
    for (int e = 0; e < VEC; e++) {
        part[threadIdx.y][threadIdx.x] = a[e];
        __syncthreads();
        if (threadIdx.y == 0 && c0 < inner) {
            Acc total = part[0][threadIdx.x];
            for (int k = 1; k < 8; k++)
                r.merge(total, part[k][threadIdx.x]);
            if (msplits > 1)
                ((Acc *)out)[(int64_t)blockIdx.y * outer * inner + o * inner + c0 + e] = total;
            else
                r.store(out, o * inner + c0 + e, total, m_total);
        }
        __syncthreads();
    }
}

/* ---- planning ------------------------------------------------------------------------------------ */

int sm_count() {
    static int count = 0;
    if (!count) {
        int dev = 0, n = 0;
        if (cudaGetDevice(&dev) == cudaSuccess && cudaDeviceGetAttribute(&n, cudaDevAttrMultiProcessorCount, dev) == cudaSuccess && n > 0)
            count = n;
        else
            count = 132;
    }
    return count;
}

const int kRowThreads = 256; /* a block per row (or per slice of one) */

/* Slices per row when there are too few rows to fill the GPU: about 8
 * blocks of kRowThreads per SM in all, each slice at least 16 vectors per
 * thread. */
int64_t row_splits(int64_t rows, int64_t len) {
    const int64_t want = 8 * (int64_t)sm_count();
    if (rows >= want / 2 || len < 16384)
        return 1;
    int64_t s = (want + rows - 1) / rows;
    int64_t by_len = len / (kRowThreads * 16);
    s = s < by_len ? s : by_len;
    return s > 4096 ? 4096 : (s < 1 ? 1 : s);
}

/* Slices of m when there are too few column blocks: about 8 blocks of 256
 * threads per SM, each slice at least 64 rows. */
int64_t col_splits(int64_t outer, int64_t m, int64_t inner, int vec) {
    const int64_t want = 8 * (int64_t)sm_count();
    int64_t blocks = outer * ((inner + 32 * vec - 1) / (32 * vec));
    if (blocks >= want / 2 || m < 256)
        return 1;
    int64_t s = (want + blocks - 1) / blocks;
    int64_t by_m = m / 64;
    s = s < by_m ? s : by_m;
    return s > 4096 ? 4096 : (s < 1 ? 1 : s);
}

/* Vector width of the row/column kernels for this input, or 1 when the
 * reduced rows (columns) are not aligned for vector loads. */
int vec_for(size_t itemsize, const void *in, int64_t m, int64_t inner) {
    int vec = (int)(16 / itemsize);
    int64_t unit = inner == 1 ? m : inner;
    if (vec <= 1 || unit % vec != 0 || ((uintptr_t)in % 16) != 0)
        return 1;
    return vec;
}

template <class R, int VEC>
void launch_rows(const R &r, void *out, const void *in, int64_t rows, int64_t len, void *scratch, cudaStream_t s) {
    typedef typename R::input In;
    int64_t nvec = len / VEC;
    if (nvec <= 32 * 32) { /* a warp per row (up to 16 KB), 8 rows per block: no block-wide combine */
        unsigned blocks = (unsigned)((rows + 7) / 8);
        row_reduce<R, In, VEC, false><<<blocks, 256, 0, s>>>(r, in, out, rows, len, 32, 1, len);
        return;
    }
    int64_t splits = row_splits(rows, len);
    int threads = nvec >= 4 * kRowThreads ? kRowThreads : 128;
    if (splits == 1) {
        row_reduce<R, In, VEC, false><<<(unsigned)rows, threads, 0, s>>>(r, in, out, rows, len, threads, 1, len);
        return;
    }
    row_reduce<R, In, VEC, false><<<(unsigned)(rows * splits), threads, 0, s>>>(r, in, scratch, rows, len, threads,
                                                                               splits, len);
    row_reduce<R, In, 1, true><<<(unsigned)((rows + 7) / 8), 256, 0, s>>>(r, scratch, out, rows, splits, 32, 1, len);
}

template <class R, int VEC>
void launch_cols(const R &r, void *out, const void *in, int64_t outer, int64_t m, int64_t inner, void *scratch,
                 cudaStream_t s) {
    typedef typename R::input In;
    int64_t msplits = col_splits(outer, m, inner, VEC);
    dim3 block(32, 8);
    dim3 grid((unsigned)(outer * ((inner + 32 * VEC - 1) / (32 * VEC))), (unsigned)msplits);
    if (msplits == 1) {
        col_reduce<R, In, VEC, false><<<grid, block, 0, s>>>(r, in, out, outer, m, inner, 1, m);
        return;
    }
    col_reduce<R, In, VEC, false><<<grid, block, 0, s>>>(r, in, scratch, outer, m, inner, msplits, m);
    dim3 grid2((unsigned)((outer * inner + 31) / 32), 1);
    col_reduce<R, In, 1, true><<<grid2, block, 0, s>>>(r, scratch, out, 1, msplits, outer * inner, 1, m);
}

template <class R>
int run_reduce(const R &r, void *out, const void *in, int64_t outer, int64_t m, int64_t inner, void *scratch,
               cudaStream_t s) {
    typedef typename R::input In;
    constexpr int VEC = 16 / sizeof(In) > 0 ? 16 / sizeof(In) : 1;
    bool vec = vec_for(sizeof(In), in, m, inner) > 1;
    if (inner == 1) {
        if (vec)
            launch_rows<R, VEC>(r, out, in, outer, m, scratch, s);
        else
            launch_rows<R, 1>(r, out, in, outer, m, scratch, s);
    } else {
        if (vec)
            launch_cols<R, VEC>(r, out, in, outer, m, inner, scratch, s);
        else
            launch_cols<R, 1>(r, out, in, outer, m, inner, scratch, s);
    }
    return 0;
}

/* Bytes of split partials that run_reduce may write to scratch (the most
 * either vector width may need). */
size_t split_bytes(size_t acc, size_t itemsize, int64_t outer, int64_t m, int64_t inner) {
    if (inner == 1) { /* rows split only from m >= 16384 (on either width) */
        int64_t sp = row_splits(outer, m);
        return sp > 1 ? (size_t)(sp * outer) * acc : 0;
    }
    int vec = itemsize < 16 ? (int)(16 / itemsize) : 1;
    int64_t sp1 = col_splits(outer, m, inner, 1), spv = col_splits(outer, m, inner, vec);
    int64_t sp = sp1 > spv ? sp1 : spv;
    return sp > 1 ? (size_t)(sp * outer * inner) * acc : 0;
}

size_t acc_size(int op, int in_dtype) {
    bool f64 = in_dtype == MX_FLOAT64;
    if (in_dtype == MX_COMPLEX64)
        return op == MX_OP_prod ? 8 : 16;
    if (op == MX_OP_argmax || op == MX_OP_argmin)
        return 16;
    if (op == MX_OP_logsumexp)
        return f64 ? 16 : 8;
    return 8;
}

size_t itemsize_of(int dtype) {
    switch (dtype) {
    case MX_BOOL:
    case MX_UINT8:
    case MX_INT8: return 1;
    case MX_UINT16:
    case MX_INT16:
    case MX_FLOAT16:
    case MX_BFLOAT16: return 2;
    case MX_UINT32:
    case MX_INT32:
    case MX_FLOAT32: return 4;
    default: return 8;
    }
}

size_t round_up(size_t n) { return (n + 255) / 256 * 256; }

/* ---- var / std ------------------------------------------------------------------------------------ */

/* The dtype mx.sum gives an input (what the CPU kernel's mean rounds the
 * sum to before dividing). */
int sum_dtype(int in) {
    switch (in) {
    case MX_BOOL:
    case MX_INT8:
    case MX_INT16:
    case MX_INT32: return MX_INT32;
    case MX_UINT8:
    case MX_UINT16:
    case MX_UINT32: return MX_UINT32;
    default: return in;
    }
}

/* shape: sums (n,) of sum_dtype; centers (n,) double: the mean as the CPU
 * kernel computes it, round(round(sum) * round(1/count)) in the output dtype. */
__global__ void var_centers(double *centers, const void *sums, int sdtype, int out_dtype, int64_t n, int64_t count) {
    int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n)
        return;
    double v;
    switch (sdtype) {
    case MX_INT32: v = (double)((const int32_t *)sums)[i]; break;
    case MX_UINT32: v = (double)((const uint32_t *)sums)[i]; break;
    case MX_INT64: v = (double)((const int64_t *)sums)[i]; break;
    case MX_UINT64: v = (double)((const uint64_t *)sums)[i]; break;
    case MX_FLOAT16: v = (double)__half2float(((const f16_t *)sums)[i]); break;
    case MX_BFLOAT16: v = (double)__bfloat162float(((const bf16_t *)sums)[i]); break;
    case MX_FLOAT32: v = (double)((const float *)sums)[i]; break;
    default: v = ((const double *)sums)[i]; break;
    }
    sqdev_reducer<float> rounder{nullptr, out_dtype, 0, false};
    double scale = rounder.round_out(1.0 / (double)count);
    centers[i] = rounder.round_out(rounder.round_out(v) * scale);
}

/* ---- softmax ------------------------------------------------------------------------------------ */

template <typename C> __device__ __forceinline__ C group_max(C v, int tpr, C *scratch) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) {
        C o = __shfl_xor_sync(0xffffffffu, v, d);
        v = o > v ? o : v;
    }
    if (tpr <= 32)
        return v;
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    if (lane == 0)
        scratch[warp] = v;
    __syncthreads();
    C total = scratch[0];
    for (int k = 1; k < (int)(blockDim.x / 32); k++)
        total = scratch[k] > total ? scratch[k] : total;
    return total;
}

/* exp of a shifted score (<= 0): expf for float32 (a few ulps from the CPU's);
 * for the half types __expf (ex2.approx: ~2^-21 relative error for arguments
 * down to -100, far below the ulp of the rounded result), which keeps their
 * kernels memory-bound (8 elements per 16 bytes). */
template <typename T> __device__ __forceinline__ float exp_of(float x) {
    if constexpr (std::is_same<T, float>::value)
        return expf(x);
    else
        return __expf(x);
}
template <typename T> __device__ __forceinline__ double exp_of(double x) { return exp(x); }

/* shape: in, out (rows, len) row-contiguous, len % VEC == 0 and aligned. The
 * row is read once into registers (NV vectors per thread) by a group of tpr
 * threads (a warp, or the block): max, then the sum of exponentials, then
 * the products are written. Half types (not precise): exponentials and the
 * normaliser rounded to the dtype before the product, as the CPU kernel. */
template <typename T, int NV>
__global__ void __launch_bounds__(512) softmax_reg(T *out, const T *in, int64_t rows, int64_t len, int tpr,
                                                   bool precise) {
    typedef typename compute_of<T>::type C;
    constexpr int VEC = 16 / sizeof(T);
    constexpr bool kHalf = !std::is_same<T, C>::value;
    __shared__ C scratch[2][32];
    const int t = threadIdx.x % tpr;
    const int64_t row = (int64_t)blockIdx.x * (blockDim.x / tpr) + threadIdx.x / tpr;
    if (row >= rows)
        return; /* a whole warp (warp groups); block groups: one block per row */
    const int nvec = (int)(len / VEC);
    const vec_t<T, VEC> *xv = (const vec_t<T, VEC> *)(in + row * len);
    C v[NV][VEC];
    C mx = -(C)INFINITY;
#pragma unroll
    for (int i = 0; i < NV; i++) {
        int k = t + i * tpr;
        if (k < nvec) {
            vec_t<T, VEC> p = xv[k];
#pragma unroll
            for (int e = 0; e < VEC; e++) {
                v[i][e] = to_compute(p.v[e]);
                mx = v[i][e] > mx ? v[i][e] : mx;
            }
        }
    }
    mx = group_max(mx, tpr, scratch[0]);
    C sum = 0;
#pragma unroll
    for (int i = 0; i < NV; i++)
        if (t + i * tpr < nvec)
#pragma unroll
            for (int e = 0; e < VEC; e++) {
                C ex = exp_of<T>(v[i][e] - mx);
                if constexpr (kHalf)
                    if (!precise)
                        ex = round_to<T>(ex);
                v[i][e] = ex;
                sum += ex;
            }
    sum = group_sum(sum, tpr, scratch[1]);
    C inv = (C)1 / sum;
    if constexpr (kHalf)
        if (!precise)
            inv = round_to<T>(inv);
    vec_t<T, VEC> *yv = (vec_t<T, VEC> *)(out + row * len);
#pragma unroll
    for (int i = 0; i < NV; i++) {
        int k = t + i * tpr;
        if (k < nvec) {
            vec_t<T, VEC> r;
#pragma unroll
            for (int e = 0; e < VEC; e++)
                r.v[e] = store_as<T>::from(v[i][e] * inv);
            yv[k] = r;
        }
    }
}

/* shape: in, out (rows, len) row-contiguous, any len and alignment: a group
 * of tpr threads per row reading it three times (max, sum, write). */
template <typename T>
__global__ void __launch_bounds__(512) softmax_loop(T *out, const T *in, int64_t rows, int64_t len, int tpr,
                                                    bool precise) {
    typedef typename compute_of<T>::type C;
    constexpr bool kHalf = !std::is_same<T, C>::value;
    __shared__ C scratch[2][32];
    const int t = threadIdx.x % tpr;
    const int64_t row = (int64_t)blockIdx.x * (blockDim.x / tpr) + threadIdx.x / tpr;
    if (row >= rows)
        return;
    const T *x = in + row * len;
    T *y = out + row * len;
    C mx = -(C)INFINITY;
    for (int64_t j = t; j < len; j += tpr) {
        C v = to_compute(x[j]);
        mx = v > mx ? v : mx;
    }
    mx = group_max(mx, tpr, scratch[0]);
    C sum = 0;
    for (int64_t j = t; j < len; j += tpr) {
        C ex = exp_of<T>(to_compute(x[j]) - mx);
        if constexpr (kHalf)
            if (!precise)
                ex = round_to<T>(ex);
        sum += ex;
    }
    sum = group_sum(sum, tpr, scratch[1]);
    C inv = (C)1 / sum;
    if constexpr (kHalf)
        if (!precise)
            inv = round_to<T>(inv);
    for (int64_t j = t; j < len; j += tpr) {
        C ex = exp_of<T>(to_compute(x[j]) - mx);
        if constexpr (kHalf)
            if (!precise)
                ex = round_to<T>(ex);
        y[j] = store_as<T>::from(ex * inv);
    }
}

template <typename T, int NV>
void launch_softmax_reg(T *out, const T *in, int64_t rows, int64_t len, int tpr, bool precise, cudaStream_t s) {
    int threads = tpr == 32 ? 256 : tpr;
    int64_t per_block = threads / tpr;
    softmax_reg<T, NV><<<(unsigned)((rows + per_block - 1) / per_block), threads, 0, s>>>(out, in, rows, len, tpr,
                                                                                           precise);
}

template <typename T> int run_softmax(T *out, const T *in, int64_t rows, int64_t len, bool precise, cudaStream_t s) {
    constexpr int VEC = 16 / sizeof(T);
    const bool vec_ok = len % VEC == 0 && ((uintptr_t)in % 16) == 0 && ((uintptr_t)out % 16) == 0;
    const int64_t nvec = len / VEC;
    if (vec_ok && nvec <= 32 * 8) {
        int64_t per_lane = (nvec + 31) / 32;
        if (per_lane <= 1)
            launch_softmax_reg<T, 1>(out, in, rows, len, 32, precise, s);
        else if (per_lane <= 2)
            launch_softmax_reg<T, 2>(out, in, rows, len, 32, precise, s);
        else if (per_lane <= 4)
            launch_softmax_reg<T, 4>(out, in, rows, len, 32, precise, s);
        else
            launch_softmax_reg<T, 8>(out, in, rows, len, 32, precise, s);
        return 0;
    }
    if (vec_ok && nvec <= 512 * 8) { /* a block per row: 4 vectors per thread (8 past 1024 vectors) */
        int nv = nvec <= 256 * 4 ? 4 : 8;
        int tpr = (int)((nvec + nv - 1) / nv);
        tpr = (tpr + 31) / 32 * 32;
        if (nv == 2)
            launch_softmax_reg<T, 2>(out, in, rows, len, tpr, precise, s);
        else if (nv == 4)
            launch_softmax_reg<T, 4>(out, in, rows, len, tpr, precise, s);
        else
            launch_softmax_reg<T, 8>(out, in, rows, len, tpr, precise, s);
        return 0;
    }
    int tpr = len <= 1024 ? 32 : len <= 8192 ? 256 : 512;
    int threads = tpr == 32 ? 256 : tpr;
    int64_t per_block = threads / tpr;
    softmax_loop<T><<<(unsigned)((rows + per_block - 1) / per_block), threads, 0, s>>>(out, in, rows, len, tpr,
                                                                                       precise);
    return 0;
}

} // namespace

extern "C" size_t cuda_reduce_scratch_bytes(int op, int in_dtype, int64_t outer, int64_t m, int64_t inner) {
    size_t item = itemsize_of(in_dtype);
    if (op == MX_OP_var || op == MX_OP_std) {
        /* centers, sums, then the partials of either pass (accumulators of 8 bytes) */
        size_t n_out = (size_t)(outer * inner);
        return 2 * round_up(n_out * 8) + split_bytes(8, item, outer, m, inner);
    }
    return split_bytes(acc_size(op, in_dtype), item, outer, m, inner);
}

extern "C" int cuda_launch_reduce(int op, int in_dtype, int out_dtype, void *out, const void *in, int64_t outer,
                                  int64_t m, int64_t inner, int ddof, void *scratch, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (outer * inner == 0)
        return 0;
    switch (op) {
    case MX_OP_argmax:
    case MX_OP_argmin:
        if (m == 0)
            return -1;
        CUDA_DISPATCH_ALL(in_dtype, T, {
            arg_reducer<T> r{op == MX_OP_argmax};
            return run_reduce(r, out, in, outer, m, inner, scratch, s);
        })
        return -1;
    case MX_OP_logsumexp:
        switch (in_dtype) {
        case MX_FLOAT16: return run_reduce(lse_reducer<f16_t>{out_dtype}, out, in, outer, m, inner, scratch, s);
        case MX_BFLOAT16: return run_reduce(lse_reducer<bf16_t>{out_dtype}, out, in, outer, m, inner, scratch, s);
        case MX_FLOAT32: return run_reduce(lse_reducer<float>{out_dtype}, out, in, outer, m, inner, scratch, s);
        case MX_FLOAT64: return run_reduce(lse_reducer<double>{out_dtype}, out, in, outer, m, inner, scratch, s);
        default: return -1;
        }
    case MX_OP_var:
    case MX_OP_std: {
        if (m == 0 || (out_dtype != MX_FLOAT16 && out_dtype != MX_BFLOAT16 && out_dtype != MX_FLOAT32 &&
                       out_dtype != MX_FLOAT64))
            return -1;
        const int64_t n_out = outer * inner;
        char *base = (char *)scratch;
        double *centers = (double *)base;
        void *sums = base + round_up((size_t)n_out * 8);
        void *partials = base + 2 * round_up((size_t)n_out * 8);
        const int sd = sum_dtype(in_dtype);
        /* pass 1: the sums as mx.sum gives them, then the centers */
        CUDA_DISPATCH_ALL(in_dtype, T, {
            scalar_reducer<T> r{MX_OP_sum, sd};
            run_reduce(r, sums, in, outer, m, inner, partials, s);
        })
        var_centers<<<(unsigned)((n_out + 255) / 256), 256, 0, s>>>(centers, sums, sd, out_dtype, n_out, m);
        /* pass 2: squared deviations */
        CUDA_DISPATCH_ALL(in_dtype, T, {
            sqdev_reducer<T> r{centers, out_dtype, ddof, op == MX_OP_std};
            return run_reduce(r, out, in, outer, m, inner, partials, s);
        })
        return -1;
    }
    case MX_OP_sum:
    case MX_OP_prod:
    case MX_OP_max:
    case MX_OP_min:
    case MX_OP_all:
    case MX_OP_any:
    case MX_OP_mean:
        if (in_dtype == MX_COMPLEX64) {
            if (out_dtype != MX_COMPLEX64)
                return -1;
            if (op == MX_OP_sum || op == MX_OP_mean)
                return run_reduce(c64_sum_reducer{op == MX_OP_mean}, out, in, outer, m, inner, scratch, s);
            if (op == MX_OP_prod)
                return run_reduce(c64_prod_reducer{}, out, in, outer, m, inner, scratch, s);
            return -1;
        }
        CUDA_DISPATCH_ALL(in_dtype, T, {
            scalar_reducer<T> r{op, out_dtype};
            return run_reduce(r, out, in, outer, m, inner, scratch, s);
        })
        return -1;
    default: return -1;
    }
}

extern "C" int cuda_launch_softmax(int dtype, void *out, const void *in, int64_t rows, int64_t len, int precise,
                                   cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (rows * len == 0)
        return 0;
    switch (dtype) {
    case MX_FLOAT16: return run_softmax((f16_t *)out, (const f16_t *)in, rows, len, precise != 0, s);
    case MX_BFLOAT16: return run_softmax((bf16_t *)out, (const bf16_t *)in, rows, len, precise != 0, s);
    case MX_FLOAT32: return run_softmax((float *)out, (const float *)in, rows, len, precise != 0, s);
    case MX_FLOAT64: return run_softmax((double *)out, (const double *)in, rows, len, precise != 0, s);
    default: return -1;
    }
}
