/* backend/cuda/select.cu - partition / argpartition (radix select),
 * searchsorted, masked_scatter / masked_select (a prefix sum of the mask),
 * pad, float arange, hadamard_transform and gather_mm's block copies.
 * Semantics are the CPU kernels' (backend/cpu/sort.c, scatter.c,
 * composite.c, creation.c, quantize.c); select_kernels.h says what each
 * launcher computes. */
#include <cub/cub.cuh>
#include <cuda_runtime.h>
#include <thrust/iterator/transform_iterator.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/select_kernels.h"
#include "backend/cuda/sort_keys.cuh"

namespace {

const unsigned kFull = 0xffffffffu;

/* ---- partition ------------------------------------------------------------------------------------ */

const int kBins = 256;             /* 8-bit digits */
const int kCandidateBytes = 32768; /* keys kept in shared memory once the candidates fit */
const int kRowCacheBytes = 98304;  /* rows up to this size live in shared memory (2 blocks an SM) */

template <typename T> __device__ __forceinline__ int key_bits() { return sizeof(T) == 1 ? 8 : 8 * (int)sizeof(T); }

/* hist[bin] += 1 for the active lanes, one atomic per distinct bin of the
 * warp (keys of one row often share their leading digits). Every lane of
 * the warp calls it. */
__device__ __forceinline__ void hist_add(unsigned *hist, int bin, bool active) {
    unsigned peers = __match_any_sync(kFull, active ? bin : -1);
    int lane = threadIdx.x & 31;
    if (active && (__ffs(peers) - 1) == lane)
        atomicAdd(&hist[bin], (unsigned)__popc(peers));
}

/* shape: in, out (outer, n, inner) row-contiguous; one block per row (o, i)
 * (grid-stride), blockDim 256, 512 or 1024. Radix select of the kth key,
 * 8 bits a pass from the top: a histogram of the digit over the elements
 * whose higher digits match the prefix found so far picks the bucket holding
 * rank kth. The candidates of the second pass are kept in shared memory
 * when they fit, so later passes read no global memory. Then one stable
 * pass writes [key < pivot | key == pivot | key > pivot], each part in index
 * order (tiles of 1024 elements, ballot ranks and one warp's scan of 32
 * group counts): the kth output is the kth (key, index) of the row, which
 * is MLX's argpartition order, and any order below/above it is a valid
 * partition. */
template <typename T>
__global__ void partition_rows(const T *in, void *out, int64_t rows, int n, int64_t inner, int kth, bool arg,
                               bool row_cached) {
    typedef typename sort_key<T>::K K;
    extern __shared__ __align__(16) unsigned char smem_raw[];
    K *cand = reinterpret_cast<K *>(smem_raw);
    T *row_buf = reinterpret_cast<T *>(smem_raw); /* the whole row, when row_cached */
    const int cap = row_cached ? 0 : kCandidateBytes / (int)sizeof(K);
    __shared__ unsigned hist[kBins];
    __shared__ unsigned warp_sums[kBins / 32];
    __shared__ int sel_bin, sel_before, cand_count;
    __shared__ int counts[32][3], offs[32][3], base[3];
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5, nwarps = blockDim.x >> 5;
    const int items = 32 / nwarps;
    const int bits = key_bits<T>();
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        int64_t o = row / inner, i = row - o * inner;
        const T *src = in + o * (int64_t)n * inner + i;
        K prefix = 0, pmask = 0;
        int rank = kth, bucket_count = n, ncand = 0;
        bool cached = false;
        for (int shift = bits - 8; shift >= 0; shift -= 8) {
            if (tid < kBins)
                hist[tid] = 0;
            if (tid == 0)
                cand_count = 0;
            __syncthreads();
            bool collect = !cached && shift < bits - 8 && bucket_count <= cap;
            if (cached) {
                for (int c0 = 0; c0 < ncand; c0 += blockDim.x) {
                    int c = c0 + tid;
                    K key = c < ncand ? cand[c] : 0;
                    bool match = c < ncand && (key & pmask) == prefix;
                    hist_add(hist, (int)((key >> shift) & 0xFF), match);
                }
            } else {
                bool first = shift == bits - 8;
                for (int k0 = 0; k0 < n; k0 += blockDim.x) {
                    int k = k0 + tid;
                    T v = T();
                    if (k < n) {
                        v = row_cached && !first ? row_buf[k] : src[(int64_t)k * inner];
                        if (row_cached && first)
                            row_buf[k] = v;
                    }
                    K key = k < n ? sort_key<T>::of(v) : 0;
                    bool match = k < n && (key & pmask) == prefix;
                    hist_add(hist, (int)((key >> shift) & 0xFF), match);
                    if (collect && match)
                        cand[atomicAdd(&cand_count, 1)] = key;
                }
            }
            __syncthreads();
            /* the bucket holding `rank`: an exclusive scan of the 256 bins */
            unsigned c = 0, incl = 0;
            if (tid < kBins) {
                c = hist[tid];
                incl = c;
#pragma unroll
                for (int d = 1; d < 32; d <<= 1) {
                    unsigned v = __shfl_up_sync(kFull, incl, d);
                    if (lane >= d)
                        incl += v;
                }
                if (lane == 31)
                    warp_sums[warp] = incl;
            }
            __syncthreads();
            if (tid < kBins) {
                unsigned before = incl - c;
                for (int w = 0; w < warp; w++)
                    before += warp_sums[w];
                if ((unsigned)rank >= before && (unsigned)rank < before + c) {
                    sel_bin = tid;
                    sel_before = (int)before;
                }
            }
            __syncthreads();
            int b = sel_bin;
            rank -= sel_before;
            bucket_count = (int)hist[b];
            if (collect) {
                cached = true;
                ncand = cand_count;
            }
            prefix |= (K)b << shift;
            pmask |= (K)0xFF << shift;
            __syncthreads();
        }
        /* the stable three-way write */
        const K pivot = prefix;
        if (tid == 0) {
            base[0] = 0;
            base[1] = kth - rank;
            base[2] = kth - rank + bucket_count;
        }
        __syncthreads();
        int64_t out_row = o * (int64_t)n * inner + i;
        for (int t0 = 0; t0 < n; t0 += 32 * 32) {
            T v[4];
            int cls[4], r[4];
#pragma unroll
            for (int j = 0; j < 4; j++) {
                if (j < items) {
                    int k = t0 + j * blockDim.x + tid;
                    bool valid = k < n;
                    v[j] = valid ? (row_cached ? row_buf[k] : src[(int64_t)k * inner]) : T();
                    K key = valid ? sort_key<T>::of(v[j]) : 0;
                    cls[j] = !valid ? 3 : key < pivot ? 0 : key == pivot ? 1 : 2;
                    r[j] = 0;
#pragma unroll
                    for (int cc = 0; cc < 3; cc++) {
                        unsigned bal = __ballot_sync(kFull, cls[j] == cc);
                        if (cls[j] == cc)
                            r[j] = __popc(bal & ((1u << lane) - 1u));
                        if (lane == 0)
                            counts[j * nwarps + warp][cc] = __popc(bal);
                    }
                }
            }
            __syncthreads();
            if (warp == 0) {
#pragma unroll
                for (int cc = 0; cc < 3; cc++) {
                    int x = counts[lane][cc], s = x;
#pragma unroll
                    for (int d = 1; d < 32; d <<= 1) {
                        int y = __shfl_up_sync(kFull, s, d);
                        if (lane >= d)
                            s += y;
                    }
                    int b0 = base[cc];
                    offs[lane][cc] = b0 + s - x;
                    __syncwarp();
                    if (lane == 31)
                        base[cc] = b0 + s;
                }
            }
            __syncthreads();
#pragma unroll
            for (int j = 0; j < 4; j++) {
                if (j < items && cls[j] < 3) {
                    int k = t0 + j * blockDim.x + tid;
                    int64_t at = out_row + (int64_t)(offs[j * nwarps + warp][cls[j]] + r[j]) * inner;
                    if (arg)
                        static_cast<uint32_t *>(out)[at] = (uint32_t)k;
                    else
                        static_cast<T *>(out)[at] = v[j];
                }
            }
        }
        __syncthreads();
    }
}

/* ---- searchsorted --------------------------------------------------------------------------------- */

/* shape: out (count) uint32 over lay's shape; seq (m) with stride seq_stride */
template <typename T>
__global__ void searchsorted_kernel(uint32_t *out, const T *seq, int64_t m, int64_t seq_stride, const T *values,
                                    int64_t count, cuda_layout lay, bool right) {
    typedef typename sort_key<T>::K K;
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < count; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t off[2];
        if (lay.ndim == 0)
            off[1] = t;
        else
            strided_offsets<2>(lay, t, off);
        K v = sort_key<T>::of(values[off[1]]);
        int64_t first = 0, len = m;
        while (len > 0) {
            int64_t half = len >> 1, mid = first + half;
            K e = sort_key<T>::of(seq[mid * seq_stride]);
            bool go_right = right ? !(v < e) : e < v;
            if (go_right) {
                first = mid + 1;
                len -= half + 1;
            } else {
                len = half;
            }
        }
        out[t] = (uint32_t)first;
    }
}

/* ---- masked ops ------------------------------------------------------------------------------------ */

/* shape: flags (count) = mask (bool, over lay's shape) != 0 */
__global__ void mask_flags(const unsigned char *mask, int64_t count, cuda_layout lay, unsigned char *flags) {
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < count; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t off[2];
        if (lay.ndim == 0)
            off[1] = t;
        else
            strided_offsets<2>(lay, t, off);
        flags[t] = mask[off[1]] != 0;
    }
}

/* shape: out (positions, slab) of U; src (1-D, stride src_stride elements of U) */
template <typename U>
__global__ void masked_scatter_kernel(U *out, const U *src, int64_t src_stride, const unsigned char *flags,
                                      const int32_t *ranks, int64_t positions, int64_t slab) {
    int64_t total = positions * slab;
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < total; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t p = t / slab, s = t - p * slab;
        if (flags[p])
            out[t] = src[((int64_t)ranks[p] * slab + s) * src_stride];
    }
}

/* shape: cot (positions, slab) over lay (operand 1) -> out (n) of U */
template <typename U>
__global__ void masked_select_kernel(U *out, int64_t n, const U *cot, cuda_layout lay, int64_t total,
                                     const unsigned char *flags, const int32_t *ranks, int64_t slab) {
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < total; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t p = t / slab, s = t - p * slab;
        if (!flags[p])
            continue;
        int64_t dst = (int64_t)ranks[p] * slab + s;
        if (dst >= n)
            continue;
        int64_t off[2];
        if (lay.ndim == 0)
            off[1] = t;
        else
            strided_offsets<2>(lay, t, off);
        out[dst] = cot[off[1]];
    }
}

/* ---- pad ------------------------------------------------------------------------------------------------ */

struct pad_geometry {
    int ndim; /* dims before the last */
    int64_t shape[CUDA_MAX_DIMS], low[CUDA_MAX_DIMS], xshape[CUDA_MAX_DIMS], xstride[CUDA_MAX_DIMS];
};

/* shape: out (rows, width) of U, row-major over g's dims + the last; groups of
 * tpr threads per output row (tpr a power of two <= blockDim, about a quarter
 * of the row, so each thread moves several elements with their loads in
 * flight together): a row's x offset is found once, then its elements are
 * value or x. */
template <typename U>
__global__ void pad_kernel(U *__restrict__ out, const U *__restrict__ x, const U *__restrict__ value, int64_t rows,
                           int64_t width, int64_t low_last, int64_t x_width, int64_t x_stride_last, pad_geometry g,
                           int tpr) {
    const U fill = *value;
    int group = threadIdx.x / tpr, lane = threadIdx.x % tpr, groups = blockDim.x / tpr;
    for (int64_t row = blockIdx.x * (int64_t)groups + group; row < rows; row += (int64_t)gridDim.x * groups) {
        int64_t rem = row, off = 0;
        bool inside = true;
        for (int d = g.ndim - 1; d >= 0; d--) {
            int64_t c = rem % g.shape[d] - g.low[d];
            rem /= g.shape[d];
            inside &= c >= 0 && c < g.xshape[d];
            off += c * g.xstride[d];
        }
        U *o = out + row * width;
        const U *xr = x + off - low_last * x_stride_last;
        int64_t lo = inside ? low_last : width, hi = inside ? low_last + x_width : width;
#pragma unroll 4
        for (int64_t c = lane; c < width; c += tpr)
            o[c] = c >= lo && c < hi ? xr[c * x_stride_last] : fill;
    }
}

/* ---- float arange -------------------------------------------------------------------------------------- */

/* shape: out (n,) - one thread: each value depends on the previous one */
template <typename T> __global__ void arange_float(T *out, int64_t n, double start, double next) {
    if (blockIdx.x != 0 || threadIdx.x != 0)
        return;
    if constexpr (std::is_same<T, float>::value) {
        float s = (float)start, step = __fsub_rn((float)next, s), v = s;
        for (int64_t i = 0; i < n; i++) {
            out[i] = v;
            v = __fadd_rn(v, step);
        }
    } else if constexpr (std::is_same<T, double>::value) {
        double s = start, step = __dsub_rn(next, start), v = s;
        for (int64_t i = 0; i < n; i++) {
            out[i] = v;
            v = __dadd_rn(v, step);
        }
    } else {
        float s = to_compute(store_as<T>::from((float)start)), nx = to_compute(store_as<T>::from((float)next));
        float step = to_compute(store_as<T>::from(__fsub_rn(nx, s)));
        T v = store_as<T>::from(s);
        for (int64_t i = 0; i < n; i++) {
            out[i] = v;
            v = store_as<T>::from(__fadd_rn(to_compute(v), step));
        }
    }
}

/* ---- hadamard_transform --------------------------------------------------------------------------------- */

struct hadamard_signs {
    uint32_t row[28];
};

/* shape: in, out (rows, n), n = m * p (p a power of two); one block per row,
 * the row in shared memory as float */
template <typename Ti, typename To>
__global__ void hadamard_rows(To *out, const Ti *in, int64_t rows, int n, int m, hadamard_signs signs, float scale) {
    extern __shared__ float x[];
    int p = n / m;
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int j = threadIdx.x; j < n; j += blockDim.x)
            x[j] = (float)to_compute(in[row * n + j]);
        __syncthreads();
        for (int h = 1; h < p; h *= 2) {
            for (int t = threadIdx.x; t < n / 2; t += blockDim.x) {
                int chunk = t / (p / 2), tt = t - chunk * (p / 2);
                int j = chunk * p + (tt / h) * 2 * h + tt % h;
                float a = x[j], b = x[j + h];
                x[j] = __fadd_rn(a, b);
                x[j + h] = __fsub_rn(a, b);
            }
            __syncthreads();
        }
        if (m > 1) {
            float acc[28];
            for (int j = threadIdx.x; j < p; j += blockDim.x) {
                for (int r = 0; r < m; r++) {
                    float s = 0;
                    for (int l = 0; l < m; l++) {
                        float v = x[l * p + j];
                        s = __fadd_rn(s, (signs.row[r] >> l) & 1u ? -v : v);
                    }
                    acc[r] = s;
                }
                for (int r = 0; r < m; r++)
                    x[r * p + j] = acc[r];
            }
            __syncthreads();
        }
        for (int j = threadIdx.x; j < n; j += blockDim.x)
            out[row * n + j] = store_as<To>::from(__fmul_rn(x[j], scale));
        __syncthreads();
    }
}

/* ---- block copies -------------------------------------------------------------------------------------------- */

/* shape: count blocks of units U each */
template <typename U>
__global__ void copy_blocks_kernel(U *dst, const U *src, const uint32_t *dst_idx, const uint32_t *src_idx,
                                   int64_t count, int64_t units) {
    int64_t total = count * units;
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < total; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t j = t / units, e = t - j * units;
        int64_t d = dst_idx ? dst_idx[j] : j, s = src_idx ? src_idx[j] : j;
        dst[d * units + e] = src[s * units + e];
    }
}

#define DISPATCH_UNIT(size, U, ...)                                                                                    \
    switch (size) {                                                                                                    \
    case 1: { typedef uint8_t U; __VA_ARGS__; } break;                                                                 \
    case 2: { typedef uint16_t U; __VA_ARGS__; } break;                                                                \
    case 4: { typedef uint32_t U; __VA_ARGS__; } break;                                                                \
    case 8: { typedef uint64_t U; __VA_ARGS__; } break;                                                                \
    case 16: { typedef uint4 U; __VA_ARGS__; } break;                                                                  \
    default: return -1;                                                                                                \
    }

#define DISPATCH_FLOAT(dtype, T, ...)                                                                                  \
    switch (dtype) {                                                                                                   \
    case MX_FLOAT16: { typedef f16_t T; __VA_ARGS__; } break;                                                         \
    case MX_BFLOAT16: { typedef bf16_t T; __VA_ARGS__; } break;                                                       \
    case MX_FLOAT32: { typedef float T; __VA_ARGS__; } break;                                                          \
    case MX_FLOAT64: { typedef double T; __VA_ARGS__; } break;                                                         \
    default: return -1;                                                                                                \
    }

} // namespace

extern "C" int cuda_launch_partition(int dtype, int arg, void *out, const void *in, int64_t outer, int64_t n,
                                     int64_t inner, int64_t kth, cuda_stream stream) {
    int64_t rows = outer * inner;
    if (rows * n == 0)
        return 0;
    if (n > INT32_MAX || kth < 0 || kth >= n)
        return -1;
    int threads = n <= 8192 ? 256 : n <= 65536 ? 512 : 1024;
    unsigned blocks = (unsigned)(rows < 65535 * 8 ? rows : 65535 * 8);
    cudaStream_t s = (cudaStream_t)stream;
    CUDA_DISPATCH_ALL(dtype, T, {
        /* rows that fit stay in shared memory after the first pass: one global read */
        bool cached = n * (int64_t)sizeof(T) <= kRowCacheBytes;
        int shared = cached ? (int)(n * (int64_t)sizeof(T)) : kCandidateBytes;
        if (shared > 48 * 1024 && cudaFuncSetAttribute(partition_rows<T>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                           kRowCacheBytes) != cudaSuccess)
            return -1;
        partition_rows<T><<<blocks, threads, shared, s>>>((const T *)in, out, rows, (int)n, inner, (int)kth, arg != 0,
                                                          cached);
        return 0;
    })
    return -1;
}

extern "C" int cuda_launch_searchsorted(int dtype, uint32_t *out, const void *seq, int64_t m, int64_t seq_stride,
                                        const void *values, int64_t count, const cuda_layout *lay, int right,
                                        cuda_stream stream) {
    if (count == 0)
        return 0;
    CUDA_DISPATCH_ALL(dtype, T, {
        searchsorted_kernel<T><<<cuda_blocks_for(count, 256), 256, 0, (cudaStream_t)stream>>>(
            out, (const T *)seq, m, seq_stride, (const T *)values, count, *lay, right != 0);
        return 0;
    })
    return -1;
}

/* a mask byte as a count (any non-zero byte is true) */
struct nonzero_count {
    __host__ __device__ int32_t operator()(unsigned char x) const { return x != 0; }
};
typedef thrust::transform_iterator<nonzero_count, const unsigned char *> mask_counts;

extern "C" size_t cuda_mask_scan_scratch_bytes(int64_t count) {
    size_t bytes = 0;
    mask_counts in((const unsigned char *)nullptr, nonzero_count());
    cub::DeviceScan::ExclusiveSum(nullptr, bytes, in, (int32_t *)nullptr, (int)(count > 0 ? count : 1));
    return bytes;
}

extern "C" int cuda_launch_mask_scan(const void *mask, int64_t count, const cuda_layout *lay, unsigned char *flags_buf,
                                     const unsigned char **flags, int32_t *ranks, void *scratch, size_t scratch_bytes,
                                     cuda_stream stream) {
    *flags = (const unsigned char *)mask;
    if (count == 0)
        return 0;
    if (count > INT32_MAX)
        return -1;
    cudaStream_t s = (cudaStream_t)stream;
    if (lay->ndim != 0) { /* a strided mask: its bytes in row-major order first */
        mask_flags<<<cuda_blocks_for(count, 256), 256, 0, s>>>((const unsigned char *)mask, count, *lay, flags_buf);
        *flags = flags_buf;
    }
    mask_counts in(*flags, nonzero_count());
    if (cub::DeviceScan::ExclusiveSum(scratch, scratch_bytes, in, ranks, (int)count, s) != cudaSuccess)
        return -1;
    return 0;
}

extern "C" int cuda_launch_masked_scatter(int elem_size, void *out, const void *src, int64_t src_stride,
                                          const unsigned char *flags, const int32_t *ranks, int64_t positions, int64_t slab,
                                          cuda_stream stream) {
    if (positions * slab == 0)
        return 0;
    DISPATCH_UNIT(elem_size, U, {
        masked_scatter_kernel<U><<<cuda_blocks_for(positions * slab, 256), 256, 0, (cudaStream_t)stream>>>(
            (U *)out, (const U *)src, src_stride, flags, ranks, positions, slab);
        return 0;
    })
    return -1;
}

extern "C" int cuda_launch_masked_select(int elem_size, void *out, int64_t n, const void *cot, const cuda_layout *lay,
                                         int64_t total, const unsigned char *flags, const int32_t *ranks,
                                         int64_t slab, cuda_stream stream) {
    if (total == 0 || n == 0)
        return 0;
    DISPATCH_UNIT(elem_size, U, {
        masked_select_kernel<U><<<cuda_blocks_for(total, 256), 256, 0, (cudaStream_t)stream>>>(
            (U *)out, n, (const U *)cot, *lay, total, flags, ranks, slab);
        return 0;
    })
    return -1;
}

extern "C" int cuda_launch_pad(int elem_size, void *out, const void *x, const void *value, int ndim,
                               const int64_t *shape, const int64_t *low, const int64_t *xshape,
                               const int64_t *x_strides, cuda_stream stream) {
    if (ndim < 1 || ndim > CUDA_MAX_DIMS + 1)
        return -1;
    pad_geometry g;
    g.ndim = ndim - 1;
    int64_t rows = 1;
    for (int d = 0; d < ndim - 1; d++) {
        g.shape[d] = shape[d];
        g.low[d] = low[d];
        g.xshape[d] = xshape[d];
        g.xstride[d] = x_strides[d];
        rows *= shape[d];
    }
    int64_t width = shape[ndim - 1];
    if (rows * width == 0)
        return 0;
    int tpr = 32; /* a warp at least; about 4 elements a thread */
    while (tpr * 4 < width && tpr < 256)
        tpr <<= 1;
    int groups = 256 / tpr;
    int64_t nblocks = (rows + groups - 1) / groups;
    unsigned blocks = (unsigned)(nblocks < 65535 * 8 ? nblocks : 65535 * 8);
    DISPATCH_UNIT(elem_size, U, {
        pad_kernel<U><<<blocks, 256, 0, (cudaStream_t)stream>>>((U *)out, (const U *)x, (const U *)value, rows, width,
                                                                low[ndim - 1], xshape[ndim - 1],
                                                                x_strides[ndim - 1], g, tpr);
        return 0;
    })
    return -1;
}

extern "C" int cuda_launch_arange_float(int dtype, void *out, int64_t n, double start, double step,
                                        cuda_stream stream) {
    if (n == 0)
        return 0;
    DISPATCH_FLOAT(dtype, T, {
        arange_float<T><<<1, 1, 0, (cudaStream_t)stream>>>((T *)out, n, start, start + step);
        return 0;
    })
    return -1;
}

extern "C" int cuda_launch_hadamard(int in_dtype, int out_dtype, void *out, const void *in, int64_t rows, int64_t n,
                                    int m, const uint32_t *signs, float scale, cuda_stream stream) {
    if (rows * n == 0)
        return 0;
    size_t shared = (size_t)n * sizeof(float);
    if (shared > 160 * 1024 || m < 1 || m > 28)
        return -1;
    hadamard_signs sg;
    for (int r = 0; r < 28; r++)
        sg.row[r] = r < m ? signs[r] : 0;
    int threads = n / 2 >= 512 ? 512 : n / 2 >= 128 ? 128 : 32;
    unsigned blocks = (unsigned)(rows < 65535 * 8 ? rows : 65535 * 8);
    cudaStream_t s = (cudaStream_t)stream;
    DISPATCH_FLOAT(in_dtype, Ti, {
        DISPATCH_FLOAT(out_dtype, To, {
            if (shared > 48 * 1024 &&
                cudaFuncSetAttribute(hadamard_rows<Ti, To>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                     (int)shared) != cudaSuccess)
                return -1;
            hadamard_rows<Ti, To><<<blocks, threads, shared, s>>>((To *)out, (const Ti *)in, rows, (int)n, m, sg,
                                                                 scale);
            return 0;
        })
    })
    return -1;
}

extern "C" int cuda_launch_copy_blocks(void *dst, const void *src, const uint32_t *dst_idx, const uint32_t *src_idx,
                                       int64_t count, int64_t block_bytes, cuda_stream stream) {
    if (count * block_bytes == 0)
        return 0;
    int unit = 16;
    while (unit > 1 && (block_bytes % unit || (uintptr_t)dst % unit || (uintptr_t)src % unit))
        unit /= 2;
    int64_t units = block_bytes / unit;
    DISPATCH_UNIT(unit, U, {
        copy_blocks_kernel<U><<<cuda_blocks_for(count * units, 256), 256, 0, (cudaStream_t)stream>>>(
            (U *)dst, (const U *)src, dst_idx, src_idx, count, units);
        return 0;
    })
    return -1;
}
