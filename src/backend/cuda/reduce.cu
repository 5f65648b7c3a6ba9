/* backend/cuda/reduce.cu - reductions (sum, prod, max, min, all, any, mean,
 * argmax, argmin, logsumexp) and softmax.
 *
 * Every reduction is over the middle axis of a row-contiguous (outer, m,
 * inner) input; the glue brings other layouts to that form (merging dims,
 * or one strided copy that moves the reduced axes last). inner == 1 is a
 * row reduction: a block (or, for short rows, a warp) per row, threads
 * striding along it and combining through shuffles and shared memory.
 * inner > 1 is a column reduction: 32 adjacent columns per block (coalesced)
 * and 8 thread rows walking down m. When the output is too small to fill
 * the GPU, m is split across blocks that write partial accumulators, and a
 * second launch combines them (the same kernels, reading accumulators).
 *
 * A reducer R has: Acc, init(), feed(acc, x, index), merge(acc, other)
 * (order-free: argmax breaks ties by the smaller index) and store(). */
#include <math.h>
#include <type_traits>

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
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t) const { merge(a, (Acc)to_compute(x)); }
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
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t index) const { merge(a, Acc{(C)to_compute(x), index}); }
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
    __device__ __forceinline__ void feed(Acc &a, In x, int64_t) const { merge(a, Acc{to_compute(x), (C)1}); }
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

/* ---- shuffles of accumulators ---------------------------------------------------------------- */

template <typename T> __device__ __forceinline__ T shfl_down(T v, int delta) { return __shfl_down_sync(0xffffffffu, v, delta); }
template <typename C> __device__ __forceinline__ arg_acc<C> shfl_down(arg_acc<C> v, int delta) {
    return arg_acc<C>{__shfl_down_sync(0xffffffffu, v.v, delta), __shfl_down_sync(0xffffffffu, v.i, delta)};
}
template <typename C> __device__ __forceinline__ lse_acc<C> shfl_down(lse_acc<C> v, int delta) {
    return lse_acc<C>{__shfl_down_sync(0xffffffffu, v.m, delta), __shfl_down_sync(0xffffffffu, v.s, delta)};
}

template <class R> __device__ __forceinline__ typename R::Acc warp_reduce(const R &r, typename R::Acc a) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1)
        r.merge(a, shfl_down(a, d));
    return a;
}

/* Element j of a row: an input element, or (FromAcc) a partial accumulator. */
template <class R, typename In, bool FromAcc>
__device__ __forceinline__ void feed_at(const R &r, typename R::Acc &a, const void *src, int64_t pos, int64_t j) {
    if constexpr (FromAcc)
        r.merge(a, ((const typename R::Acc *)src)[pos]);
    else
        r.feed(a, ((const In *)src)[pos], j);
}

/* shape: in (rows, len) row-contiguous [or (rows, splits) accumulators];
 * out (rows,) [or (rows, splits) partials when splits > 1]. Block b reduces
 * slice b % splits of row b / splits. */
template <class R, typename In, bool FromAcc>
__global__ void row_reduce_block(R r, const void *in, void *out, int64_t rows, int64_t len, int64_t splits,
                                 int64_t m_total) {
    typedef typename R::Acc Acc;
    __shared__ Acc partial[512];
    int64_t row = blockIdx.x / splits, split = blockIdx.x % splits;
    int64_t chunk = (len + splits - 1) / splits, begin = split * chunk;
    int64_t end = begin + chunk < len ? begin + chunk : len;
    Acc a = r.init();
    for (int64_t j = begin + threadIdx.x; j < end; j += blockDim.x)
        feed_at<R, In, FromAcc>(r, a, in, row * len + j, j);
    /* tree over the block in shared memory */
    partial[threadIdx.x] = a;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half) {
            Acc other = partial[threadIdx.x + half];
            Acc mine = partial[threadIdx.x];
            r.merge(mine, other);
            partial[threadIdx.x] = mine;
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        if (splits > 1)
            ((Acc *)out)[row * splits + split] = partial[0];
        else
            r.store(out, row, partial[0], m_total);
    }
}

/* shape: in (rows, len), len small: one warp per row; out (rows,) */
template <class R, typename In, bool FromAcc>
__global__ void row_reduce_warp(R r, const void *in, void *out, int64_t rows, int64_t len, int64_t m_total) {
    int64_t row = (blockIdx.x * (int64_t)blockDim.x + threadIdx.x) / 32;
    int lane = threadIdx.x % 32;
    if (row >= rows)
        return;
    typename R::Acc a = r.init();
    for (int64_t j = lane; j < len; j += 32)
        feed_at<R, In, FromAcc>(r, a, in, row * len + j, j);
    a = warp_reduce(r, a);
    if (lane == 0)
        r.store(out, row, a, m_total);
}

/* shape: in (outer, m, inner) [or (msplits, outer*inner) accumulators];
 * out (outer, inner) [or (msplits, outer, inner) partials]. Block: 32
 * columns x 8 thread rows; blockIdx.y: the slice of m. */
template <class R, typename In, bool FromAcc>
__global__ void col_reduce(R r, const void *in, void *out, int64_t outer, int64_t m, int64_t inner, int64_t msplits,
                           int64_t m_total) {
    typedef typename R::Acc Acc;
    __shared__ Acc part[8][33];
    int64_t col_blocks = (inner + 31) / 32;
    int64_t o = blockIdx.x / col_blocks;
    int64_t c = (blockIdx.x % col_blocks) * 32 + threadIdx.x;
    int64_t chunk = (m + msplits - 1) / msplits, begin = blockIdx.y * chunk;
    int64_t end = begin + chunk < m ? begin + chunk : m;
    Acc a = r.init();
    if (c < inner)
        for (int64_t j = begin + threadIdx.y; j < end; j += 8)
            feed_at<R, In, FromAcc>(r, a, in, (o * m + j) * inner + c, j);
    part[threadIdx.y][threadIdx.x] = a;
    __syncthreads();
    if (threadIdx.y == 0 && c < inner) {
        for (int k = 1; k < 8; k++)
            r.merge(a, part[k][threadIdx.x]);
        if (msplits > 1)
            ((Acc *)out)[(int64_t)blockIdx.y * outer * inner + o * inner + c] = a;
        else
            r.store(out, o * inner + c, a, m_total);
    }
}

const int kSmCount = 132; /* H100 SXM; only sizes the split heuristics */

int64_t row_splits(int64_t rows, int64_t len) {
    if (rows >= 2 * kSmCount || len < 16384)
        return 1;
    int64_t s = (4 * kSmCount + rows - 1) / rows;
    int64_t by_len = len / 4096;
    s = s < by_len ? s : by_len;
    return s > 1024 ? 1024 : (s < 1 ? 1 : s);
}

int64_t col_splits(int64_t outer, int64_t m, int64_t inner) {
    int64_t blocks = outer * ((inner + 31) / 32);
    if (blocks >= 2 * kSmCount || m < 256)
        return 1;
    int64_t s = (4 * kSmCount + blocks - 1) / blocks;
    int64_t by_m = m / 64;
    s = s < by_m ? s : by_m;
    return s > 4096 ? 4096 : (s < 1 ? 1 : s);
}

template <class R>
int run_reduce(const R &r, void *out, const void *in, int64_t outer, int64_t m, int64_t inner, void *scratch,
               cudaStream_t s) {
    typedef typename R::Acc Acc;
    typedef typename R::input In;
    if (inner == 1) {
        int64_t rows = outer;
        if (m <= 256) {
            int64_t threads = 256, blocks = (rows * 32 + threads - 1) / threads;
            row_reduce_warp<R, In, false><<<(unsigned)blocks, (unsigned)threads, 0, s>>>(r, in, out, rows, m, m);
            return 0;
        }
        int64_t splits = row_splits(rows, m);
        int threads = m >= 4096 ? 512 : 256;
        if (splits == 1) {
            row_reduce_block<R, In, false><<<(unsigned)rows, threads, 0, s>>>(r, in, out, rows, m, 1, m);
            return 0;
        }
        row_reduce_block<R, In, false><<<(unsigned)(rows * splits), threads, 0, s>>>(r, in, scratch, rows, m, splits, m);
        row_reduce_warp<R, In, true><<<(unsigned)((rows * 32 + 255) / 256), 256, 0, s>>>(r, scratch, out, rows, splits, m);
        return 0;
    }
    int64_t msplits = col_splits(outer, m, inner);
    dim3 block(32, 8);
    dim3 grid((unsigned)(outer * ((inner + 31) / 32)), (unsigned)msplits);
    if (msplits == 1) {
        col_reduce<R, In, false><<<grid, block, 0, s>>>(r, in, out, outer, m, inner, 1, m);
        return 0;
    }
    col_reduce<R, In, false><<<grid, block, 0, s>>>(r, in, scratch, outer, m, inner, msplits, m);
    dim3 grid2((unsigned)((outer * inner + 31) / 32), 1);
    col_reduce<R, In, true><<<grid2, block, 0, s>>>(r, scratch, out, 1, msplits, outer * inner, 1, m);
    (void)sizeof(Acc);
    return 0;
}

size_t acc_size(int op, int in_dtype) {
    bool f64 = in_dtype == MX_FLOAT64;
    if (op == MX_OP_argmax || op == MX_OP_argmin)
        return 16;
    if (op == MX_OP_logsumexp)
        return f64 ? 16 : 8;
    return 8;
}

/* ---- softmax ------------------------------------------------------------------------------------ */

/* shape: in, out (rows, len) row-contiguous; a block per row: one pass for
 * the running (max, sum of exp), one to write exp(x - max) / sum. */
template <typename T>
__global__ void softmax_rows(T *out, const T *in, int64_t rows, int64_t len) {
    typedef typename compute_of<T>::type C;
    lse_reducer<T> r{0};
    __shared__ lse_acc<C> warp_acc[32];
    __shared__ lse_acc<C> total;
    int64_t row = blockIdx.x;
    const T *x = in + row * len;
    T *y = out + row * len;
    lse_acc<C> a = r.init();
    for (int64_t j = threadIdx.x; j < len; j += blockDim.x)
        r.feed(a, x[j], j);
    a = warp_reduce(r, a);
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    if (lane == 0)
        warp_acc[warp] = a;
    __syncthreads();
    if (warp == 0) {
        a = lane < (int)(blockDim.x / 32) ? warp_acc[lane] : r.init();
        a = warp_reduce(r, a);
        if (lane == 0)
            total = a;
    }
    __syncthreads();
    C m = total.m, inv = (C)1 / total.s;
    for (int64_t j = threadIdx.x; j < len; j += blockDim.x)
        y[j] = store_as<T>::from(exp(to_compute(x[j]) - m) * inv);
}

} // namespace

extern "C" size_t cuda_reduce_scratch_bytes(int op, int in_dtype, int64_t outer, int64_t m, int64_t inner) {
    int64_t parts = inner == 1 ? (m <= 256 ? 1 : row_splits(outer, m)) * outer : col_splits(outer, m, inner) * outer * inner;
    bool split = inner == 1 ? (m > 256 && row_splits(outer, m) > 1) : col_splits(outer, m, inner) > 1;
    return split ? (size_t)parts * acc_size(op, in_dtype) : 0;
}

extern "C" int cuda_launch_reduce(int op, int in_dtype, int out_dtype, void *out, const void *in, int64_t outer,
                                  int64_t m, int64_t inner, void *scratch, cuda_stream stream) {
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
    case MX_OP_sum:
    case MX_OP_prod:
    case MX_OP_max:
    case MX_OP_min:
    case MX_OP_all:
    case MX_OP_any:
    case MX_OP_mean:
        CUDA_DISPATCH_ALL(in_dtype, T, {
            scalar_reducer<T> r{op, out_dtype};
            return run_reduce(r, out, in, outer, m, inner, scratch, s);
        })
        return -1;
    default: return -1;
    }
}

extern "C" int cuda_launch_softmax(int dtype, void *out, const void *in, int64_t rows, int64_t len, cuda_stream stream) {
    cudaStream_t s = (cudaStream_t)stream;
    if (rows * len == 0)
        return 0;
    int threads = len >= 4096 ? 512 : len >= 1024 ? 256 : len >= 256 ? 128 : 32;
    switch (dtype) {
    case MX_FLOAT16: softmax_rows<f16_t><<<(unsigned)rows, threads, 0, s>>>((f16_t *)out, (const f16_t *)in, rows, len); return 0;
    case MX_BFLOAT16: softmax_rows<bf16_t><<<(unsigned)rows, threads, 0, s>>>((bf16_t *)out, (const bf16_t *)in, rows, len); return 0;
    case MX_FLOAT32: softmax_rows<float><<<(unsigned)rows, threads, 0, s>>>((float *)out, (const float *)in, rows, len); return 0;
    case MX_FLOAT64: softmax_rows<double><<<(unsigned)rows, threads, 0, s>>>((double *)out, (const double *)in, rows, len); return 0;
    default: return -1;
    }
}
