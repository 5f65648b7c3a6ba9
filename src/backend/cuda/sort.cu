/* backend/cuda/sort.cu - sort and argsort along an axis with the CPU
 * kernel's order (backend/cpu/sort.c): every element becomes an unsigned key
 * (integers with the sign bit flipped; floats by the sign trick with -0.0
 * equal to 0.0 and every NaN the largest key), and rows are sorted by
 * (key, index), which is exactly the CPU's stable order; a value sort then
 * reads each element back from its index, so zeros and NaNs keep their bits
 * in input order, as on the CPU.
 *
 * Rows of up to 4096 elements: one block per row, a bitonic sort of
 * (key, index) in shared memory (padding sorts last). Longer rows: keys and
 * indices to scratch, cub::DeviceSegmentedRadixSort (stable, only the key's
 * bits), then a gather. The input is (outer, n, inner) row-contiguous (the
 * glue copies views first); out the same shape, argsort's uint32. */
#include <cub/cub.cuh>
#include <cuda_runtime.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/indexing_kernels.h"
#include "backend/cuda/sort_keys.cuh"

namespace {

const int kSharedMax = 4096; /* elements of a row sorted in shared memory */

/* shape: in, out (outer, n, inner); one block per row (o, i): bitonic sort of
 * (key, index) over npad (a power of two) slots in shared memory */
template <typename T>
__global__ void sort_rows_shared(const T *in, void *out, int64_t rows, int64_t n, int64_t inner, int npad, bool arg) {
    typedef typename sort_key<T>::K K;
    extern __shared__ unsigned char smem[];
    K *keys = reinterpret_cast<K *>(smem);
    uint32_t *idx = reinterpret_cast<uint32_t *>(keys + npad);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        int64_t o = row / inner, i = row - o * inner;
        const T *src = in + o * n * inner + i;
        for (int k = threadIdx.x; k < npad; k += blockDim.x) {
            keys[k] = k < n ? sort_key<T>::of(src[(int64_t)k * inner]) : (K)~(K)0;
            idx[k] = k < n ? (uint32_t)k : 0xFFFFFFFFu;
        }
        __syncthreads();
        for (int size = 2; size <= npad; size <<= 1) {
            for (int stride = size >> 1; stride > 0; stride >>= 1) {
                for (int t = threadIdx.x; t < npad / 2; t += blockDim.x) {
                    int pos = 2 * t - (t & (stride - 1)), partner = pos + stride;
                    bool ascending = (pos & size) == 0;
                    K ka = keys[pos], kb = keys[partner];
                    uint32_t ia = idx[pos], ib = idx[partner];
                    bool greater = ka > kb || (ka == kb && ia > ib);
                    if (greater == ascending) {
                        keys[pos] = kb, keys[partner] = ka;
                        idx[pos] = ib, idx[partner] = ia;
                    }
                }
                __syncthreads();
            }
        }
        for (int k = threadIdx.x; k < n; k += blockDim.x) {
            int64_t at = o * n * inner + (int64_t)k * inner + i;
            if (arg)
                static_cast<uint32_t *>(out)[at] = idx[k];
            else
                static_cast<T *>(out)[at] = src[(int64_t)idx[k] * inner];
        }
        __syncthreads();
    }
}

/* shape: rows x n keys and indices, row r = (o, i) */
template <typename T>
__global__ void make_keys(const T *in, typename sort_key<T>::K *keys, uint32_t *vals, int64_t rows, int64_t n,
                          int64_t inner) {
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < rows * n; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t r = t / n, k = t - r * n, o = r / inner, i = r - o * inner;
        keys[t] = sort_key<T>::of(in[o * n * inner + k * inner + i]);
        vals[t] = (uint32_t)k;
    }
}

/* shape: offs (rows + 1,) int32: row starts of the flattened (rows, n) keys */
__global__ void segment_offsets(int *offs, int64_t rows, int64_t n) {
    for (int64_t r = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; r <= rows; r += (int64_t)gridDim.x * blockDim.x)
        offs[r] = (int)(r * n);
}

/* shape: out (outer, n, inner) from the sorted indices of each row */
template <typename T>
__global__ void gather_sorted(const T *in, void *out, const uint32_t *vals, int64_t rows, int64_t n, int64_t inner,
                              bool arg) {
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < rows * n; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t r = t / n, k = t - r * n, o = r / inner, i = r - o * inner;
        int64_t at = o * n * inner + k * inner + i;
        if (arg)
            static_cast<uint32_t *>(out)[at] = vals[t];
        else
            static_cast<T *>(out)[at] = in[o * n * inner + (int64_t)vals[t] * inner + i];
    }
}

int key_bits(int dtype) {
    switch (dtype) {
    case MX_BOOL:
    case MX_UINT8:
    case MX_INT8: return 8;
    case MX_UINT16:
    case MX_INT16:
    case MX_FLOAT16:
    case MX_BFLOAT16: return 16;
    case MX_UINT32:
    case MX_INT32:
    case MX_FLOAT32: return 32;
    default: return 64;
    }
}

size_t align_up(size_t x) { return (x + 255) & ~(size_t)255; }

/* Scratch layout of the radix path: keys in/out, values in/out, offsets, cub. */
template <typename K> size_t radix_bytes(int64_t rows, int64_t n, size_t *cub_bytes) {
    size_t temp = 0;
    cub::DeviceSegmentedRadixSort::SortPairs(nullptr, temp, (const K *)nullptr, (K *)nullptr,
                                             (const uint32_t *)nullptr, (uint32_t *)nullptr, (int)(rows * n),
                                             (int)rows, (const int *)nullptr, (const int *)nullptr, 0,
                                             (int)(8 * sizeof(K)));
    *cub_bytes = temp;
    size_t items = (size_t)(rows * n);
    return 2 * align_up(items * sizeof(K)) + 2 * align_up(items * sizeof(uint32_t)) +
           align_up((size_t)(rows + 1) * sizeof(int)) + temp;
}

} // namespace

extern "C" size_t cuda_sort_scratch_bytes(int dtype, int64_t rows, int64_t n) {
    int bits = key_bits(dtype);
    if (n <= (bits == 64 ? kSharedMax / 2 : kSharedMax) || rows * n == 0)
        return 0;
    size_t cub_bytes;
    return bits == 64 ? radix_bytes<uint64_t>(rows, n, &cub_bytes) : radix_bytes<uint32_t>(rows, n, &cub_bytes);
}

extern "C" int cuda_launch_sort(int dtype, int arg, void *out, const void *in, int64_t outer, int64_t n, int64_t inner,
                                void *scratch, size_t scratch_bytes, cuda_stream stream) {
    int64_t rows = outer * inner;
    if (rows * n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    int bits = key_bits(dtype);
    CUDA_DISPATCH_ALL(dtype, T, {
        typedef typename sort_key<T>::K K;
        if (n <= (sizeof(K) == 8 ? kSharedMax / 2 : kSharedMax)) {
            int npad = 1;
            while (npad < n)
                npad <<= 1;
            int threads = npad / 2 < 32 ? 32 : npad / 2 > 1024 ? 1024 : npad / 2;
            size_t shared = (size_t)npad * (sizeof(K) + sizeof(uint32_t));
            unsigned blocks = (unsigned)(rows < 65535 * 8 ? rows : 65535 * 8);
            sort_rows_shared<T><<<blocks, threads, shared, s>>>((const T *)in, out, rows, n, inner, npad, arg != 0);
            return 0;
        }
        if (rows * n > INT32_MAX)
            return -1;
        size_t items = (size_t)(rows * n), cub_bytes = 0;
        radix_bytes<K>(rows, n, &cub_bytes);
        char *p = (char *)scratch;
        K *keys_in = (K *)p;
        p += align_up(items * sizeof(K));
        K *keys_out = (K *)p;
        p += align_up(items * sizeof(K));
        uint32_t *vals_in = (uint32_t *)p;
        p += align_up(items * sizeof(uint32_t));
        uint32_t *vals_out = (uint32_t *)p;
        p += align_up(items * sizeof(uint32_t));
        int *offs = (int *)p;
        p += align_up((size_t)(rows + 1) * sizeof(int));
        if ((size_t)(p - (char *)scratch) + cub_bytes > scratch_bytes)
            return -1;
        unsigned blocks = cuda_blocks_for(rows * n, 256);
        make_keys<T><<<blocks, 256, 0, s>>>((const T *)in, keys_in, vals_in, rows, n, inner);
        segment_offsets<<<cuda_blocks_for(rows + 1, 256), 256, 0, s>>>(offs, rows, n);
        if (cub::DeviceSegmentedRadixSort::SortPairs(p, cub_bytes, keys_in, keys_out, vals_in, vals_out, (int)items,
                                                     (int)rows, offs, offs + 1, 0, bits, s) != cudaSuccess)
            return -1;
        gather_sorted<T><<<blocks, 256, 0, s>>>((const T *)in, out, vals_out, rows, n, inner, arg != 0);
        return 0;
    })
    return -1;
}
