/* backend/cuda/indexing.cu - kernels of the indexing family (take,
 * take_along_axis, gather, scatter and its reductions, scatter_axis,
 * slice_update, the dynamic slices, concatenate), creation (full, arange,
 * linspace, eye) and the scans (cumsum, cumprod, cummax, cummin,
 * logcumsumexp). Semantics are the CPU kernels' (src/backend/cpu/indexing.c,
 * scatter.c, creation.c, scan.c); the glue is indexing.c.
 *
 * Indices: every index is wrapped once when negative and checked; an
 * out-of-range one is never dereferenced (0 is used) and raises a device
 * flag that the glue turns into the CPU kernel's MX_ERROR_INDEX.
 *
 * Memory-bound kernels move elements as unsigned integers of their size (or
 * wider units for contiguous slabs) with run-time dtype switches only where
 * arithmetic is needed, to keep compile time down. */
#include <cuda_runtime.h>
#include <math.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/indexing_kernels.h"

namespace {

const int kThreads = 256;

enum { R_NONE, R_SUM, R_PROD, R_MAX, R_MIN }; /* mx_scatter_reduce */

/* The element type of each index dtype, and its value wrapped once. */
#define INDEX_DISPATCH(dtype, I, ...)                                                                                \
    switch (dtype) {                                                                                                 \
    case MX_UINT8: { typedef uint8_t I; __VA_ARGS__; } break;                                                       \
    case MX_UINT16: { typedef uint16_t I; __VA_ARGS__; } break;                                                     \
    case MX_UINT32: { typedef uint32_t I; __VA_ARGS__; } break;                                                     \
    case MX_UINT64: { typedef uint64_t I; __VA_ARGS__; } break;                                                     \
    case MX_INT8: { typedef int8_t I; __VA_ARGS__; } break;                                                         \
    case MX_INT16: { typedef int16_t I; __VA_ARGS__; } break;                                                       \
    case MX_INT32: { typedef int32_t I; __VA_ARGS__; } break;                                                       \
    case MX_INT64: { typedef int64_t I; __VA_ARGS__; } break;                                                       \
    default: return -1;                                                                                              \
    }

/* Elements moved as unsigned integers of their size. */
#define SIZE_DISPATCH(size, U, ...)                                                                                  \
    switch (size) {                                                                                                  \
    case 1: { typedef uint8_t U; __VA_ARGS__; } break;                                                              \
    case 2: { typedef uint16_t U; __VA_ARGS__; } break;                                                             \
    case 4: { typedef uint32_t U; __VA_ARGS__; } break;                                                             \
    case 8: { typedef uint64_t U; __VA_ARGS__; } break;                                                             \
    case 16: { typedef uint4 U; __VA_ARGS__; } break;                                                               \
    default: return -1;                                                                                              \
    }

/* raw index -> v in [0, dim - extent] (true), as the CPU's load_index +
 * normalize_index (uint64 beyond INT64_MAX is out of range of every axis). */
template <typename I> __device__ __forceinline__ bool wrap_index(I raw, int64_t dim, int64_t extent, int64_t &v) {
    if constexpr (std::is_same<I, uint64_t>::value)
        v = raw > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)raw;
    else
        v = (int64_t)raw;
    if (v < 0)
        v += dim;
    return v >= 0 && v <= dim - extent;
}

#define GRID_STRIDE(i, n)                                                                                            \
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (n); i += (int64_t)gridDim.x * blockDim.x)

/* One-operand offset of linear index i over lay (operand k). */
__device__ __forceinline__ int64_t offset_of(const cuda_layout &lay, int k, int64_t i) {
    int64_t off = 0;
    for (int d = lay.ndim - 1; d >= 0; d--) {
        int64_t extent = lay.shape[d];
        int64_t c = i % extent;
        i /= extent;
        off += c * lay.strides[k][d];
    }
    return off;
}

/* ---- index offsets ------------------------------------------------------------------------------ */

/* shape: offs (count,) int64, idx over walk (element strides) */
template <typename I>
__global__ void index_offsets_kernel(const I *idx, cuda_layout walk, int64_t count, int64_t dim, int64_t extent,
                                     int64_t stride, int first, int64_t *offs, int *bad) {
    GRID_STRIDE(p, count) {
        int64_t v;
        bool ok = wrap_index(idx[offset_of(walk, 0, p)], dim, extent, v);
        if (!ok) {
            *bad = 1;
            v = 0;
        }
        offs[p] = (first ? 0 : offs[p]) + v * stride;
    }
}

/* ---- slab gather (take, gather) ------------------------------------------------------------------- */

/* shape: out (positions, slab_units) of U; src read at outer(o) + offs[j] +
 * slab(s) bytes, p = o * nidx + j */
template <typename U, bool CONTIG>
__global__ void gather_slabs_kernel(U *out, const char *src, const int64_t *offs, int64_t nidx, int64_t total,
                                    int64_t slab_units, cuda_layout outer, cuda_layout slab) {
    GRID_STRIDE(t, total) {
        int64_t p = t / slab_units, s = t - p * slab_units;
        int64_t o = p / nidx, j = p - o * nidx;
        int64_t off = offs[j] + (outer.ndim ? offset_of(outer, 0, o) : 0);
        off += CONTIG ? s * (int64_t)sizeof(U) : offset_of(slab, 0, s);
        out[t] = *reinterpret_cast<const U *>(src + off);
    }
}

/* shape: out (positions, slab_units) of U, contiguous slabs of at least a
 * warp's worth of units: one block per position (one division per row) */
template <typename U>
__global__ void gather_rows_kernel(U *out, const char *src, const int64_t *offs, int64_t nidx, int64_t positions,
                                   int64_t slab_units, cuda_layout outer) {
    for (int64_t p = blockIdx.x; p < positions; p += gridDim.x) {
        int64_t o = p / nidx, j = p - o * nidx;
        const U *row = reinterpret_cast<const U *>(src + offs[j] + (outer.ndim ? offset_of(outer, 0, o) : 0));
        U *dst = out + p * slab_units;
        for (int64_t s = threadIdx.x; s < slab_units; s += blockDim.x)
            dst[s] = row[s];
    }
}

/* ---- take_along_axis -------------------------------------------------------------------------------- */

/* shape: out over lay (0 = out, 1 = a without the axis, 2 = indices; bytes) */
template <typename U, typename I>
__global__ void take_along_kernel(char *out, const char *a, const char *idx, int64_t n, cuda_layout lay,
                                  int64_t dim, int64_t axis_stride, int *bad) {
    GRID_STRIDE(t, n) {
        int64_t off[3];
        strided_offsets<3>(lay, t, off);
        int64_t v;
        if (!wrap_index(*reinterpret_cast<const I *>(idx + off[2]), dim, 1, v)) {
            *bad = 1;
            v = 0;
        }
        *reinterpret_cast<U *>(out + off[0]) = *reinterpret_cast<const U *>(a + off[1] + v * axis_stride);
    }
}

/* ---- combining ------------------------------------------------------------------------------------- */

/* The CPU's combiners (backend/cpu/scatter.c): integers wrap, bool add/mul
 * are or/and, floats round to their dtype after each step; max/min select
 * (dst > u ? dst : u), or with `nan` keep a NaN destination (slice_update). */
template <typename T> __device__ __forceinline__ T combine(int reduce, T a, T b, bool nan) {
    if constexpr (std::is_same<T, bool>::value) {
        switch (reduce) {
        case R_SUM: return a || b;
        case R_PROD: return a && b;
        case R_MAX: return a > b ? a : b;
        case R_MIN: return a < b ? a : b;
        default: return b;
        }
    } else if constexpr (is_float_t<T>::value) {
        typedef typename compute_of<T>::type C;
        C x = to_compute(a), y = to_compute(b);
        switch (reduce) {
        case R_SUM: return store_as<T>::from(x + y);
        case R_PROD: return store_as<T>::from(x * y);
        case R_MAX: return (nan && isnan(x)) || x > y ? a : b;
        case R_MIN: return (nan && isnan(x)) || x < y ? a : b;
        default: return b;
        }
    } else {
        switch (reduce) {
        case R_SUM: return (T)((uint64_t)a + (uint64_t)b);
        case R_PROD: return (T)((uint64_t)a * (uint64_t)b);
        case R_MAX: return a > b ? a : b;
        case R_MIN: return a < b ? a : b;
        default: return b;
        }
    }
}

template <typename To, typename From> __device__ __forceinline__ To bits_as(From x) {
    static_assert(sizeof(To) == sizeof(From), "same size");
    To y;
    memcpy(&y, &x, sizeof y);
    return y;
}

/* *addr = combine(*addr, u) atomically: a compare-and-swap loop on the
 * aligned 32-bit word holding a 1- or 2-byte element, or on the element. */
template <typename T> __device__ void atomic_combine_cas(T *addr, T u, int reduce) {
    if constexpr (sizeof(T) == 8) {
        unsigned long long *w = reinterpret_cast<unsigned long long *>(addr);
        unsigned long long old = *w, assumed;
        do {
            assumed = old;
            unsigned long long next = bits_as<unsigned long long>(combine(reduce, bits_as<T>(assumed), u, false));
            if (next == assumed)
                return;
            old = atomicCAS(w, assumed, next);
        } while (old != assumed);
    } else if constexpr (sizeof(T) == 4) {
        unsigned *w = reinterpret_cast<unsigned *>(addr);
        unsigned old = *w, assumed;
        do {
            assumed = old;
            unsigned next = bits_as<unsigned>(combine(reduce, bits_as<T>(assumed), u, false));
            if (next == assumed)
                return;
            old = atomicCAS(w, assumed, next);
        } while (old != assumed);
    } else {
        typedef typename std::conditional<sizeof(T) == 1, uint8_t, uint16_t>::type B;
        uintptr_t a = reinterpret_cast<uintptr_t>(addr);
        unsigned *w = reinterpret_cast<unsigned *>(a & ~(uintptr_t)3);
        unsigned shift = (unsigned)(a & 3) * 8, mask = ((1u << (8 * sizeof(T))) - 1u) << shift;
        unsigned old = *w, assumed;
        do {
            assumed = old;
            T cur = bits_as<T>((B)((assumed & mask) >> shift));
            unsigned nb = (unsigned)bits_as<B>(combine(reduce, cur, u, false)) << shift;
            unsigned next = (assumed & ~mask) | nb;
            if (next == assumed)
                return;
            old = atomicCAS(w, assumed, next);
        } while (old != assumed);
    }
}

/* Hardware atomics where they compute the same thing (add on the wide
 * types and halves, integer max/min), else the CAS loop. */
template <typename T> __device__ __forceinline__ void atomic_combine(T *addr, T u, int reduce) {
    if (reduce == R_SUM) {
        if constexpr (std::is_same<T, float>::value || std::is_same<T, double>::value ||
                      std::is_same<T, int32_t>::value || std::is_same<T, uint32_t>::value ||
                      std::is_same<T, f16_t>::value || std::is_same<T, bf16_t>::value) {
            atomicAdd(addr, u);
            return;
        } else if constexpr (std::is_same<T, int64_t>::value || std::is_same<T, uint64_t>::value) {
            atomicAdd(reinterpret_cast<unsigned long long *>(addr), (unsigned long long)u);
            return;
        }
    } else if (reduce == R_MAX || reduce == R_MIN) {
        if constexpr (std::is_same<T, int32_t>::value || std::is_same<T, uint32_t>::value) {
            if (reduce == R_MAX)
                atomicMax(addr, u);
            else
                atomicMin(addr, u);
            return;
        } else if constexpr (std::is_same<T, int64_t>::value) {
            if (reduce == R_MAX)
                atomicMax(reinterpret_cast<long long *>(addr), (long long)u);
            else
                atomicMin(reinterpret_cast<long long *>(addr), (long long)u);
            return;
        } else if constexpr (std::is_same<T, uint64_t>::value) {
            if (reduce == R_MAX)
                atomicMax(reinterpret_cast<unsigned long long *>(addr), (unsigned long long)u);
            else
                atomicMin(reinterpret_cast<unsigned long long *>(addr), (unsigned long long)u);
            return;
        }
    }
    atomic_combine_cas(addr, u, reduce);
}

/* ---- scatter ------------------------------------------------------------------------------------- */

/* shape: (count, slab) updates; destination out + offs[p] + slab op 0, update
 * upd + pos(p) + slab op 1 (bytes). pass 0 (reduce NONE): claim the element
 * for the latest position; pass 1: the winner writes. Otherwise atomics. */
template <typename T>
__global__ void scatter_kernel(char *out, const char *upd, const int64_t *offs, int64_t count, int64_t slab,
                               cuda_layout pos, cuda_layout slab_lay, int reduce, int *winner, int pass) {
    GRID_STRIDE(t, count * slab) {
        int64_t p = t / slab, s = t - p * slab;
        int64_t so[2];
        strided_offsets<2>(slab_lay, s, so);
        int64_t dst = offs[p] + so[0];
        T *d = reinterpret_cast<T *>(out + dst);
        if (reduce == R_NONE) {
            int64_t e = dst / (int64_t)sizeof(T);
            if (pass == 0) {
                atomicMax(winner + e, (int)p);
            } else if (winner[e] == (int)p) {
                *d = *reinterpret_cast<const T *>(upd + (pos.ndim ? offset_of(pos, 0, p) : 0) + so[1]);
            }
        } else {
            T u = *reinterpret_cast<const T *>(upd + (pos.ndim ? offset_of(pos, 0, p) : 0) + so[1]);
            atomic_combine(d, u, reduce);
        }
    }
}

/* shape: (count, slab) with both slabs contiguous: one block per position,
 * its threads over the slab, atomics (reduce != NONE). PAIRS: half types
 * added two at a time (__half2 / __nv_bfloat162; slab even, rows 4-byte
 * aligned). */
template <typename T, bool PAIRS>
__global__ void scatter_rows_kernel(char *out, const char *upd, const int64_t *offs, int64_t count, int64_t slab,
                                    cuda_layout pos, int reduce) {
    for (int64_t p = blockIdx.x; p < count; p += gridDim.x) {
        T *d = reinterpret_cast<T *>(out + offs[p]);
        const T *u = reinterpret_cast<const T *>(upd + (pos.ndim ? offset_of(pos, 0, p) : 0));
        if constexpr (PAIRS) {
            typedef typename std::conditional<std::is_same<T, f16_t>::value, __half2, __nv_bfloat162>::type T2;
            T2 *d2 = reinterpret_cast<T2 *>(d);
            const T2 *u2 = reinterpret_cast<const T2 *>(u);
            for (int64_t s = threadIdx.x; s < slab / 2; s += blockDim.x)
                atomicAdd(d2 + s, u2[s]);
        } else {
            for (int64_t s = threadIdx.x; s < slab; s += blockDim.x)
                atomic_combine(d + s, u[s], reduce);
        }
    }
}

/* The row form of scatter (reduce != NONE), pairs of halves when they fit. */
template <typename T>
void launch_scatter_rows(char *out, const char *upd, const int64_t *offs, int64_t count, int64_t slab,
                         const cuda_layout *pos, int reduce, int64_t offs_align, cudaStream_t s) {
    unsigned blocks = (unsigned)(count < 65535 * 8 ? count : 65535 * 8);
    if constexpr (std::is_same<T, f16_t>::value || std::is_same<T, bf16_t>::value) {
        bool pairs = reduce == R_SUM && slab % 2 == 0 && offs_align % 4 == 0 && (uintptr_t)out % 4 == 0 &&
                     (uintptr_t)upd % 4 == 0;
        for (int d = 0; d < pos->ndim; d++)
            pairs = pairs && pos->strides[0][d] % 4 == 0;
        if (pairs) {
            scatter_rows_kernel<T, true><<<blocks, kThreads, 0, s>>>(out, upd, offs, count, slab, *pos, reduce);
            return;
        }
    }
    scatter_rows_kernel<T, false><<<blocks, kThreads, 0, s>>>(out, upd, offs, count, slab, *pos, reduce);
}

/* shape: the indices' (n); lay 0 = out (axis stride 0), 1 = idx, 2 = values */
template <typename T, typename I>
__global__ void scatter_axis_kernel(char *out, const char *idx, const char *val, int64_t n, cuda_layout lay,
                                    int64_t dim, int64_t axis_stride, int reduce, int *winner, int pass, int *bad) {
    GRID_STRIDE(t, n) {
        int64_t off[3];
        strided_offsets<3>(lay, t, off);
        int64_t v;
        if (!wrap_index(*reinterpret_cast<const I *>(idx + off[1]), dim, 1, v)) {
            *bad = 1;
            continue; /* the CPU skips it */
        }
        int64_t dst = off[0] + v * axis_stride;
        T *d = reinterpret_cast<T *>(out + dst);
        if (reduce == R_NONE) {
            int64_t e = dst / (int64_t)sizeof(T);
            if (pass == 0)
                atomicMax(winner + e, (int)t);
            else if (winner[e] == (int)t)
                *d = *reinterpret_cast<const T *>(val + off[2]);
        } else {
            atomic_combine(d, *reinterpret_cast<const T *>(val + off[2]), reduce);
        }
    }
}

/* shape: the update's (n); lay 0 = the box in out, 1 = the update (bytes) */
template <typename T>
__global__ void combine_kernel(char *out, const char *upd, int64_t n, cuda_layout lay, int reduce) {
    GRID_STRIDE(t, n) {
        int64_t off[2];
        strided_offsets<2>(lay, t, off);
        T *d = reinterpret_cast<T *>(out + off[0]);
        *d = combine(reduce, *d, *reinterpret_cast<const T *>(upd + off[1]), true);
    }
}

/* shape: n elements over lay (0 = dst, 1 = src; bytes) */
template <typename U> __global__ void copy_bytes_kernel(char *dst, const char *src, int64_t n, cuda_layout lay) {
    GRID_STRIDE(t, n) {
        int64_t off[2];
        strided_offsets<2>(lay, t, off);
        *reinterpret_cast<U *>(dst + off[0]) = *reinterpret_cast<const U *>(src + off[1]);
    }
}

/* ---- creation ---------------------------------------------------------------------------------------- */

/* shape: out (n,) of U, every element the same bits */
template <typename U> __global__ void fill_kernel(U *out, int64_t n, U value) {
    GRID_STRIDE(i, n) out[i] = value;
}

/* shape: (n,) integers: start + i * step, wrapping as the CPU's accumulation */
template <typename T> __global__ void arange_int_kernel(T *out, int64_t n, T start, T step) {
    GRID_STRIDE(i, n) out[i] = (T)((uint64_t)start + (uint64_t)i * (uint64_t)step);
}

/* shape: (n,); t = i / (n - 1), (1 - t) * start + t * stop in float32 (float64
 * for a float64 output), no contraction into fma (the CPU's bits) */
template <typename T> __global__ void linspace_kernel(T *out, int64_t n, double start, double stop) {
    GRID_STRIDE(i, n) {
        if constexpr (std::is_same<T, double>::value) {
            double t = n > 1 ? __ddiv_rn((double)i, (double)(n - 1)) : 0.0;
            out[i] = n > 1 ? __dadd_rn(__dmul_rn(1.0 - t, start), __dmul_rn(t, stop)) : start;
        } else {
            float s = (float)start, e = (float)stop;
            float t = n > 1 ? __fdiv_rn((float)i, (float)(n - 1)) : 0.0f;
            float v = n > 1 ? __fadd_rn(__fmul_rn(__fsub_rn(1.0f, t), s), __fmul_rn(t, e)) : s;
            out[i] = store_as<T>::from(v);
        }
    }
}

/* shape: (rows, cols) */
template <typename T> __global__ void eye_kernel(T *out, int64_t rows, int64_t cols, int k) {
    GRID_STRIDE(i, rows * cols) {
        int64_t r = i / cols, c = i - r * cols;
        out[i] = store_as<T>::from(c - r == k ? 1.0f : 0.0f);
    }
}

/* ---- scans --------------------------------------------------------------------------------------------- */

enum { K_SUM, K_PROD, K_MAX, K_MIN, K_LAE };

/* MLX's CPU exp (Cephes' 2^x polynomial in float32), as backend/cpu/scan.c. */
__device__ __forceinline__ float mlx_exp(float x0) {
    if (!(x0 >= -88.0f && x0 <= 88.0f))
        return isnan(x0) ? x0 : x0 > 88.0f ? INFINITY : 0.0f;
    float x = __fmul_rn(x0, 1.442695f);
    float ipart = (float)floor(__dadd_rn((double)x, 0.5));
    float fpart = __fsub_rn(x, ipart);
    float p = 1.535336188319500e-4f;
    p = fmaf(p, fpart, 1.339887440266574e-3f);
    p = fmaf(p, fpart, 9.618437357674640e-3f);
    p = fmaf(p, fpart, 5.550332471162809e-2f);
    p = fmaf(p, fpart, 2.402264791363012e-1f);
    p = fmaf(p, fpart, 6.931472028550421e-1f);
    p = fmaf(p, fpart, 1.000000000000000f);
    return __fmul_rn(__int_as_float((int)(((unsigned)((int)ipart + 127)) << 23)), p);
}

/* __shfl_up_sync for any compute type (small integers travel as int). */
template <typename C> __device__ __forceinline__ C shfl_up(C x, int d) {
    if constexpr (std::is_same<C, float>::value || std::is_same<C, double>::value)
        return __shfl_up_sync(0xffffffffu, x, d);
    else if constexpr (sizeof(C) == 8)
        return (C)__shfl_up_sync(0xffffffffu, (long long)x, d);
    else
        return (C)__shfl_up_sync(0xffffffffu, (int)x, d);
}

/* A scan's arithmetic on storage T in compute type C (the CPU's FLOAT_OPS /
 * INT_OPS: half types round after each step; max/min give NAN_OF once a NaN
 * is involved, 0 for the half types as MLX's numeric_limits). */
template <typename T> struct scan_ops {
    typedef typename compute_of<T>::type C;
    static __device__ __forceinline__ C round(C x) { return to_compute(store_as<T>::from(x)); }
    static __device__ __forceinline__ C apply(int kind, C a, C x) {
        if constexpr (std::is_same<T, bool>::value) {
            return kind == K_PROD || kind == K_MIN ? (a && x) : (a || x);
        } else if constexpr (is_float_t<T>::value) {
            const C nan_of = (std::is_same<T, f16_t>::value || std::is_same<T, bf16_t>::value) ? (C)0 : (C)NAN;
            switch (kind) {
            case K_SUM: return round(a + x);
            case K_PROD: return round(a * x);
            case K_MAX: return (isnan(a) || isnan(x)) ? nan_of : a > x ? a : x;
            case K_MIN: return (isnan(a) || isnan(x)) ? nan_of : x < a ? x : a;
            default: {
                C hi = isnan(a) ? a : a > x ? a : x, lo = isnan(a) ? a : a < x ? a : x;
                if (lo == -INFINITY || hi == INFINITY)
                    return hi;
                C e = round((C)mlx_exp((float)round(lo - hi)));
                if constexpr (std::is_same<C, double>::value)
                    return hi + log1p(e);
                else
                    return round(hi + round(log1pf(e)));
            }
            }
        } else {
            typedef typename std::conditional<sizeof(T) == 8, uint64_t, uint32_t>::type M;
            switch (kind) {
            case K_SUM: return (T)((M)a + (M)x);
            case K_PROD: return (T)((M)a * (M)x);
            case K_MAX: return a > x ? a : x;
            default: return x < a ? x : a;
            }
        }
    }
};

/* shape: (outer, n, inner): one thread per column (a row when inner == 1)
 * folds it in order, exactly as the CPU does (bit-identical) */
template <typename T>
__global__ void scan_columns_kernel(T *out, const T *in, int64_t outer, int64_t n, int64_t inner, int kind,
                                    bool reverse, bool inclusive, T init) {
    typedef scan_ops<T> ops;
    typedef typename ops::C C;
    GRID_STRIDE(col, outer * inner) {
        int64_t o = col / inner, i = col - o * inner;
        const T *src = in + o * n * inner + i;
        T *dst = out + o * n * inner + i;
        int64_t k = reverse ? n - 1 : 0, step = reverse ? -1 : 1;
        if (inclusive) {
            T first = src[k * inner];
            C acc = to_compute(first);
            dst[k * inner] = first;
            for (int64_t p = 1; p < n; p++) {
                k += step;
                acc = ops::apply(kind, acc, to_compute(src[k * inner]));
                dst[k * inner] = store_as<T>::from(acc);
            }
        } else {
            C acc = to_compute(init);
            for (int64_t p = 0; p < n; p++) {
                T x = src[k * inner];
                dst[k * inner] = store_as<T>::from(acc);
                acc = ops::apply(kind, acc, to_compute(x));
                k += step;
            }
        }
    }
}

/* ITEMS elements at p (aligned to ITEMS * sizeof(T), at least 8 bytes) in
 * 16- or 8-byte accesses. */
template <typename T, int ITEMS> __device__ __forceinline__ void load_chunk(const T *p, T (&v)[ITEMS]) {
    constexpr int B = ITEMS * (int)sizeof(T);
    typedef typename std::conditional<B % 16 == 0, uint4, typename std::conditional<B % 8 == 0, uint2, T>::type>::type W;
    W w[B / sizeof(W)];
#pragma unroll
    for (int q = 0; q < B / (int)sizeof(W); q++)
        w[q] = reinterpret_cast<const W *>(p)[q];
    memcpy(v, w, B);
}
template <typename T, int ITEMS> __device__ __forceinline__ void store_chunk(T *p, const T (&v)[ITEMS]) {
    constexpr int B = ITEMS * (int)sizeof(T);
    typedef typename std::conditional<B % 16 == 0, uint4, typename std::conditional<B % 8 == 0, uint2, T>::type>::type W;
    W w[B / sizeof(W)];
    memcpy(w, v, B);
#pragma unroll
    for (int q = 0; q < B / (int)sizeof(W); q++)
        reinterpret_cast<W *>(p)[q] = w[q];
}

/* shape: (rows, n) with inner == 1: one block per row, tiles of kThreads x
 * ITEMS elements; each thread folds its ITEMS in order, the block combines
 * the threads' totals (warp shuffles, then the warps' in shared memory), and
 * a running carry links the tiles. A "valid" flag marks a value that has
 * seen an element, so the row's first element is copied (its bits kept) as
 * the CPU does, never combined with an identity. */
template <typename T, int ITEMS>
__global__ void scan_rows_kernel(T *out, const T *in, int64_t rows, int64_t n, int kind, bool reverse, bool inclusive,
                                 T init, bool vec) {
    typedef scan_ops<T> ops;
    typedef typename ops::C C;
    __shared__ C warp_total[kThreads / 32];
    __shared__ bool warp_valid[kThreads / 32];
    __shared__ C carry_s;
    __shared__ bool carry_valid_s;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const T *src = in + row * n;
        T *dst = out + row * n;
        /* exclusive scans start from the identity (combined with the first
         * element, as the CPU's fold does); inclusive ones from the element */
        C carry = inclusive ? (C)0 : to_compute(init);
        bool carry_valid = !inclusive;
        const int64_t tile = (int64_t)kThreads * ITEMS;
        for (int64_t base = 0; base < n; base += tile) {
            /* this thread's ITEMS positions in scan order */
            int64_t p0 = base + (int64_t)threadIdx.x * ITEMS;
            C v[ITEMS];
            T raw[ITEMS];
            C total = 0;
            bool valid = false;
            const bool full = vec && p0 + ITEMS <= n;
            if (full) { /* one aligned chunk of ITEMS elements */
                T tmp[ITEMS];
                load_chunk<T, ITEMS>(src + (reverse ? n - p0 - ITEMS : p0), tmp);
#pragma unroll
                for (int k = 0; k < ITEMS; k++)
                    raw[k] = tmp[reverse ? ITEMS - 1 - k : k];
            } else {
#pragma unroll
                for (int k = 0; k < ITEMS; k++)
                    if (p0 + k < n)
                        raw[k] = src[reverse ? n - 1 - (p0 + k) : p0 + k];
            }
#pragma unroll
            for (int k = 0; k < ITEMS; k++) {
                int64_t p = p0 + k;
                if (p < n) {
                    C x = to_compute(raw[k]);
                    total = valid ? ops::apply(kind, total, x) : x;
                    valid = true;
                    v[k] = total;
                }
            }
            /* inclusive scan of (total, valid) over the warp */
            C t = total;
            bool tv = valid;
#pragma unroll
            for (int d = 1; d < 32; d <<= 1) {
                C o = shfl_up(t, d);
                bool ov = shfl_up((int)tv, d) != 0;
                if (lane >= d && ov) {
                    t = tv ? ops::apply(kind, o, t) : o;
                    tv = true;
                }
            }
            if (lane == 31) {
                warp_total[warp] = t;
                warp_valid[warp] = tv;
            }
            if (threadIdx.x == 0) {
                carry_s = carry;
                carry_valid_s = carry_valid;
            }
            __syncthreads();
            /* prefix of this thread = carry, the earlier warps, the earlier lanes */
            C pre = carry_s;
            bool pv = carry_valid_s;
            for (int w = 0; w < warp; w++) {
                if (warp_valid[w]) {
                    pre = pv ? ops::apply(kind, pre, warp_total[w]) : warp_total[w];
                    pv = true;
                }
            }
            C lane_pre = shfl_up(t, 1);
            bool lane_pv = shfl_up((int)tv, 1) != 0;
            if (lane > 0 && lane_pv) {
                pre = pv ? ops::apply(kind, pre, lane_pre) : lane_pre;
                pv = true;
            }
            /* write: inclusive out[p] = pre (+) v[k]; exclusive out[p] = the value before */
            C before = pv ? pre : to_compute(init);
            T res[ITEMS];
#pragma unroll
            for (int k = 0; k < ITEMS; k++) {
                C incl = pv ? ops::apply(kind, pre, v[k]) : v[k];
                if (inclusive) {
                    res[k] = (!pv && k == 0) ? raw[0] : store_as<T>::from(incl);
                } else {
                    res[k] = store_as<T>::from(before);
                    before = incl;
                }
            }
            if (full) {
                T tmp[ITEMS];
#pragma unroll
                for (int k = 0; k < ITEMS; k++)
                    tmp[reverse ? ITEMS - 1 - k : k] = res[k];
                store_chunk<T, ITEMS>(dst + (reverse ? n - p0 - ITEMS : p0), tmp);
            } else {
#pragma unroll
                for (int k = 0; k < ITEMS; k++)
                    if (p0 + k < n)
                        dst[reverse ? n - 1 - (p0 + k) : p0 + k] = res[k];
            }
            /* the tile's total becomes the carry */
            __syncthreads();
            for (int w = 0; w < kThreads / 32; w++) {
                if (warp_valid[w]) {
                    carry = carry_valid ? ops::apply(kind, carry, warp_total[w]) : warp_total[w];
                    carry_valid = true;
                }
            }
            __syncthreads();
        }
    }
}

} // namespace

/* ---- launchers ------------------------------------------------------------------------------------------- */

extern "C" int cuda_launch_index_offsets(int idx_dtype, const void *idx, const cuda_layout *walk, int64_t count,
                                         int64_t dim, int64_t extent, int64_t stride, int first, int64_t *offs,
                                         int *bad, cuda_stream stream) {
    if (count == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    INDEX_DISPATCH(idx_dtype, I, {
        index_offsets_kernel<I><<<cuda_blocks_for(count, kThreads), kThreads, 0, s>>>(
            (const I *)idx, *walk, count, dim, extent, stride, first, offs, bad);
    })
    return 0;
}

extern "C" int cuda_launch_gather_slabs(void *out, const void *src, const int64_t *offs, int64_t nidx,
                                        int64_t positions, int64_t slab_units, int unit, const cuda_layout *outer,
                                        const cuda_layout *slab, cuda_stream stream) {
    int64_t total = positions * slab_units;
    if (total == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    bool contig = slab->ndim == 1 && slab->strides[0][0] == unit;
    SIZE_DISPATCH(unit, U, {
        if (contig && slab_units >= 32)
            gather_rows_kernel<U><<<(unsigned)(positions < 65535 * 8 ? positions : 65535 * 8), kThreads, 0, s>>>(
                (U *)out, (const char *)src, offs, nidx, positions, slab_units, *outer);
        else if (contig)
            gather_slabs_kernel<U, true><<<cuda_blocks_for(total, kThreads), kThreads, 0, s>>>(
                (U *)out, (const char *)src, offs, nidx, total, slab_units, *outer, *slab);
        else
            gather_slabs_kernel<U, false><<<cuda_blocks_for(total, kThreads), kThreads, 0, s>>>(
                (U *)out, (const char *)src, offs, nidx, total, slab_units, *outer, *slab);
    })
    return 0;
}

extern "C" int cuda_launch_take_along_axis(int idx_dtype, int elem_size, void *out, const void *a, const void *idx,
                                           int64_t n, const cuda_layout *lay, int64_t dim, int64_t axis_stride,
                                           int *bad, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    SIZE_DISPATCH(elem_size, U, {
        INDEX_DISPATCH(idx_dtype, I, {
            take_along_kernel<U, I><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>(
                (char *)out, (const char *)a, (const char *)idx, n, *lay, dim, axis_stride, bad);
        })
    })
    return 0;
}

extern "C" int cuda_launch_scatter(int dtype, int reduce, void *out, const void *upd, const int64_t *offs,
                                   int64_t count, int64_t slab, const cuda_layout *pos, const cuda_layout *slab_lay,
                                   int64_t offs_align, int *winner, cuda_stream stream) {
    int64_t total = count * slab;
    if (total == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    unsigned blocks = cuda_blocks_for(total, kThreads);

    CUDA_DISPATCH_ALL(dtype, T, {
        /* both slabs contiguous and long: a block per position */
        bool rows = slab >= 32 && slab_lay->ndim == 1 && slab_lay->strides[0][0] == (int64_t)sizeof(T) &&
                    slab_lay->strides[1][0] == (int64_t)sizeof(T);
        if (reduce == R_NONE) {
            for (int pass = 0; pass < 2; pass++)
                scatter_kernel<T><<<blocks, kThreads, 0, s>>>((char *)out, (const char *)upd, offs, count, slab, *pos,
                                                              *slab_lay, reduce, winner, pass);
        } else if (rows) {
            launch_scatter_rows<T>((char *)out, (const char *)upd, offs, count, slab, pos, reduce, offs_align, s);
        } else {
            scatter_kernel<T><<<blocks, kThreads, 0, s>>>((char *)out, (const char *)upd, offs, count, slab, *pos,
                                                          *slab_lay, reduce, winner, 1);
        }
    })
    return 0;
}

extern "C" int cuda_launch_scatter_axis(int dtype, int idx_dtype, int reduce, void *out, const void *idx,
                                        const void *val, int64_t n, const cuda_layout *lay, int64_t dim,
                                        int64_t axis_stride, int *winner, int *bad, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    unsigned blocks = cuda_blocks_for(n, kThreads);
    CUDA_DISPATCH_ALL(dtype, T, {
        INDEX_DISPATCH(idx_dtype, I, {
            for (int pass = reduce == R_NONE ? 0 : 1; pass < 2; pass++)
                scatter_axis_kernel<T, I><<<blocks, kThreads, 0, s>>>((char *)out, (const char *)idx,
                                                                      (const char *)val, n, *lay, dim, axis_stride,
                                                                      reduce, winner, pass, bad);
        })
    })
    return 0;
}

extern "C" int cuda_launch_combine(int dtype, int reduce, void *out, const void *upd, int64_t n,
                                   const cuda_layout *lay, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    CUDA_DISPATCH_ALL(dtype, T, {
        combine_kernel<T><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>((char *)out, (const char *)upd, n, *lay,
                                                                            reduce);
    })
    return 0;
}

extern "C" int cuda_launch_copy_bytes(int elem_size, void *dst, const void *src, int64_t n, const cuda_layout *lay,
                                      cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    SIZE_DISPATCH(elem_size, U, {
        copy_bytes_kernel<U><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>((char *)dst, (const char *)src, n,
                                                                               *lay);
    })
    return 0;
}

extern "C" int cuda_launch_fill(void *out, int64_t n, int elem_size, const void *pattern, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    if (elem_size == 16)
        return -1;
    SIZE_DISPATCH(elem_size, U, {
        U value;
        memcpy(&value, pattern, sizeof value);
        fill_kernel<U><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>((U *)out, n, value);
    })
    return 0;
}

extern "C" int cuda_launch_arange(int dtype, void *out, int64_t n, double start, double step, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    /* the CPU's T start = (T)(int64)start, step = (T)(int64)(start + step) - start */
#define ARANGE_INT(DT, T)                                                                                            \
    case DT: {                                                                                                       \
        T t0 = (T)(int64_t)start, t1 = (T)(int64_t)(start + step);                                                  \
        T st = (T)(t1 - t0);                                                                                         \
        arange_int_kernel<T><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>((T *)out, n, t0, st);                 \
        return 0;                                                                                                    \
    }
    switch (dtype) {
        ARANGE_INT(MX_UINT8, uint8_t)
        ARANGE_INT(MX_UINT16, uint16_t)
        ARANGE_INT(MX_UINT32, uint32_t)
        ARANGE_INT(MX_UINT64, uint64_t)
        ARANGE_INT(MX_INT8, int8_t)
        ARANGE_INT(MX_INT16, int16_t)
        ARANGE_INT(MX_INT32, int32_t)
        ARANGE_INT(MX_INT64, int64_t)
    default: return -1; /* floats accumulate sequentially on the CPU: no parallel form has its bits */
    }
#undef ARANGE_INT
}

extern "C" int cuda_launch_linspace(int dtype, void *out, int64_t n, double start, double stop, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    CUDA_DISPATCH_ALL(dtype, T, {
        linspace_kernel<T><<<cuda_blocks_for(n, kThreads), kThreads, 0, s>>>((T *)out, n, start, stop);
    })
    return 0;
}

extern "C" int cuda_launch_eye(int dtype, void *out, int64_t rows, int64_t cols, int k, cuda_stream stream) {
    if (rows * cols == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    CUDA_DISPATCH_ALL(dtype, T, {
        eye_kernel<T><<<cuda_blocks_for(rows * cols, kThreads), kThreads, 0, s>>>((T *)out, rows, cols, k);
    })
    return 0;
}

extern "C" int cuda_launch_scan(int kind, int dtype, void *out, const void *in, int64_t outer, int64_t n,
                                int64_t inner, int reverse, int inclusive, const void *init, cuda_stream stream) {
    if (outer * n * inner == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    CUDA_DISPATCH_ALL(dtype, T, {
        if constexpr (std::is_same<T, bool>::value) {
            if (kind == K_SUM || kind == K_LAE)
                return -1;
        }
        if constexpr (std::is_integral<T>::value) {
            if (kind == K_LAE)
                return -1;
        }
        T init_value;
        memcpy(&init_value, init, sizeof init_value);
        /* the block scan reassociates: used where that is exact (integers,
         * max/min of float32/64, NaN absorbing) or within float32/64
         * rounding (sum, prod). Half types round to 8 or 11 bits at every
         * step and their max/min turn NaN into 0 (not associative), and
         * logaddexp's float32 exp makes its order visible: those fold each
         * row in order on one thread, bit for bit the CPU's fold. */
        constexpr bool half = std::is_same<T, f16_t>::value || std::is_same<T, bf16_t>::value;
        if (inner > 1 || half || kind == K_LAE) {
            scan_columns_kernel<T><<<cuda_blocks_for(outer * inner, kThreads), kThreads, 0, s>>>(
                (T *)out, (const T *)in, outer, n, inner, kind, reverse, inclusive, init_value);
        } else {
            unsigned blocks = (unsigned)(outer < 65535 * 8 ? outer : 65535 * 8);
            /* 8-element chunks in wide accesses when every row starts aligned */
            bool vec = (uintptr_t)in % 16 == 0 && (uintptr_t)out % 16 == 0 &&
                       (n * (int64_t)sizeof(T)) % 16 == 0;
            if (n <= 256 * 2)
                scan_rows_kernel<T, 2><<<blocks, kThreads, 0, s>>>((T *)out, (const T *)in, outer, n, kind, reverse,
                                                                   inclusive, init_value, false);
            else
                scan_rows_kernel<T, 8><<<blocks, kThreads, 0, s>>>((T *)out, (const T *)in, outer, n, kind, reverse,
                                                                   inclusive, init_value, vec);
        }
    })
    return 0;
}
