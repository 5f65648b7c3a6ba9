/* backend/cuda/random.cu - random_bits, random_uniform and random_normal on
 * the GPU with the CPU kernels' bits (backend/cpu/random.c): the same
 * Threefry-2x32 word stream (core/threefry.h: word i and word i + skip from
 * one hash of the counter (i, i + skip), the middle word of an odd stream
 * from (half, 0)), and per element the same float32 operations in the same
 * order, each rounded (no contraction into fma). One thread per counter.
 *
 * random_normal calls logf inside erfinv; the CPU takes glibc's, the GPU a
 * float32 rounding of the double-precision log (correctly rounded but for
 * the rare inputs where glibc's logf is not), so normal samples can differ
 * in the last place in rare elements; bits and uniform samples are equal. */
#include <cuda_runtime.h>
#include <math.h>

#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/indexing_kernels.h"

namespace {

const int kThreads = 256;

__device__ __forceinline__ uint32_t rotl32(uint32_t x, unsigned r) { return (x << r) | (x >> (32u - r)); }

/* core/threefry.h's mx_threefry2x32 (20 rounds). */
__device__ __forceinline__ void threefry2x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t &o0,
                                             uint32_t &o1) {
    const uint32_t k2 = k0 ^ k1 ^ 0x1BD11BDAu;
    const uint32_t ks[3] = {k0, k1, k2};
    const unsigned rot[8] = {13, 15, 26, 6, 17, 29, 16, 24};
    uint32_t x0 = c0 + k0, x1 = c1 + k1;
#pragma unroll
    for (int g = 0; g < 5; g++) {
#pragma unroll
        for (int r = 0; r < 4; r++) {
            x0 += x1;
            x1 = rotl32(x1, rot[(g % 2) * 4 + r]);
            x1 ^= x0;
        }
        x0 += ks[(g + 1) % 3];
        x1 += ks[(g + 2) % 3] + (uint32_t)(g + 1);
    }
    o0 = x0;
    o1 = x1;
}

/* The word stream of key (read from the device, any stride): calls
 * emit(position, word) for both words of counter t (and the middle word). */
template <typename Emit>
__device__ __forceinline__ void stream_words(const uint32_t *key, int64_t key_stride, int64_t nwords, int64_t t,
                                             Emit emit) {
    const int64_t half = nwords / 2, skip = half + (nwords & 1);
    const uint32_t k0 = key[0], k1 = key[key_stride];
    uint32_t w0, w1;
    if (t < half) {
        threefry2x32(k0, k1, (uint32_t)t, (uint32_t)(t + skip), w0, w1);
        emit(t, w0);
        emit(t + skip, w1);
    } else if (t == half && (nwords & 1)) {
        threefry2x32(k0, k1, (uint32_t)half, 0u, w0, w1);
        emit(half, w0);
    }
}

#define COUNTERS(t, nwords)                                                                                          \
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < (nwords) / 2 + ((nwords) & 1);            \
         t += (int64_t)gridDim.x * blockDim.x)

/* shape: out (nbytes) bytes; the words' little-endian bytes, the last word cut */
__global__ void bits_kernel(unsigned char *out, int64_t nbytes, const uint32_t *key, int64_t key_stride) {
    const int64_t nwords = (nbytes + 3) / 4;
    COUNTERS(t, nwords) {
        stream_words(key, key_stride, nwords, t, [&](int64_t pos, uint32_t w) {
            if (pos * 4 + 4 <= nbytes) {
                reinterpret_cast<uint32_t *>(out)[pos] = w;
            } else {
                for (int64_t b = pos * 4; b < nbytes; b++)
                    out[b] = (unsigned char)(w >> (8 * (b - pos * 4)));
            }
        });
    }
}

/* bits -> float32 in [0, 1), at most `upper` (the CPU's unit_float) */
__device__ __forceinline__ float unit_float(uint32_t w, float upper) {
    float u = __fmul_rn(__uint2float_rn(w), 0x1p-32f);
    return u < upper ? u : upper;
}

/* shape: out (n) of T; lay over out's shape: 1 = low, 2 = high (elements, T) */
template <typename T>
__global__ void uniform_kernel(T *out, int64_t n, const uint32_t *key, int64_t key_stride, const T *lo, const T *hi,
                               cuda_layout lay, float upper) {
    COUNTERS(t, n) {
        stream_words(key, key_stride, n, t, [&](int64_t pos, uint32_t w) {
            int64_t off[3];
            strided_offsets<3>(lay, pos, off);
            float l = to_compute(lo[off[1]]), h = to_compute(hi[off[2]]);
            float u = round_to<T>(unit_float(w, upper));
            float range = round_to<T>(__fsub_rn(h, l));
            float scaled = round_to<T>(__fmul_rn(range, u));
            out[pos] = store_as<T>::from(__fadd_rn(scaled, l));
        });
    }
}

/* erfinv as backend/cpu/erfinv.h (fmaf chains), logf through double */
__device__ __forceinline__ float erfinv_f32(float a) {
    float t = (float)log((double)fmaf(a, 0.0f - a, 1.0f));
    float p;
    if (fabsf(t) > 6.125f) {
        p = 3.03697567e-10f;
        p = fmaf(p, t, 2.93243101e-8f);
        p = fmaf(p, t, 1.22150334e-6f);
        p = fmaf(p, t, 2.84108955e-5f);
        p = fmaf(p, t, 3.93552968e-4f);
        p = fmaf(p, t, 3.02698812e-3f);
        p = fmaf(p, t, 4.83185798e-3f);
        p = fmaf(p, t, -2.64646143e-1f);
        p = fmaf(p, t, 8.40016484e-1f);
    } else {
        p = 5.43877832e-9f;
        p = fmaf(p, t, 1.43285448e-7f);
        p = fmaf(p, t, 1.22774793e-6f);
        p = fmaf(p, t, 1.12963626e-7f);
        p = fmaf(p, t, -5.61530760e-5f);
        p = fmaf(p, t, -1.47697632e-4f);
        p = fmaf(p, t, 2.31468678e-3f);
        p = fmaf(p, t, 1.15392581e-2f);
        p = fmaf(p, t, -2.32015476e-1f);
        p = fmaf(p, t, 8.86226892e-1f);
    }
    return __fmul_rn(a, p);
}

/* shape: out (n) of T; applied = sqrt(2) * scale and loc as the CPU rounds
 * them (float for the float types, double for float64) */
template <typename T>
__global__ void normal_kernel(T *out, int64_t n, const uint32_t *key, int64_t key_stride, float applied, float loc,
                              double applied64, double loc64, bool add_loc) {
    COUNTERS(t, n) {
        stream_words(key, key_stride, n, t, [&](int64_t pos, uint32_t w) {
            const float low = -0x1.fffffep-1f;
            float x = __fmul_rn(2.0f, unit_float(w, 0x1.fffffep-1f));
            x = __fadd_rn(x, low);
            float e = erfinv_f32(x);
            if constexpr (std::is_same<T, double>::value) {
                double v = __dmul_rn(applied64, (double)e);
                out[pos] = add_loc ? __dadd_rn(loc64, v) : v;
            } else {
                float v = round_to<T>(__fmul_rn(applied, round_to<T>(e)));
                out[pos] = store_as<T>::from(add_loc ? __fadd_rn(loc, v) : v);
            }
        });
    }
}

unsigned blocks_for_counters(int64_t nwords) { return cuda_blocks_for(nwords / 2 + (nwords & 1), kThreads); }

} // namespace

extern "C" int cuda_launch_random_bits(void *out, int64_t nbytes, const void *key, int64_t key_stride,
                                       cuda_stream stream) {
    if (nbytes == 0)
        return 0;
    bits_kernel<<<blocks_for_counters((nbytes + 3) / 4), kThreads, 0, (cudaStream_t)stream>>>(
        (unsigned char *)out, nbytes, (const uint32_t *)key, key_stride);
    return 0;
}

extern "C" int cuda_launch_random_uniform(int dtype, void *out, int64_t n, const void *key, int64_t key_stride,
                                          const void *lo, const void *hi, const cuda_layout *lay, cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    unsigned blocks = blocks_for_counters(n);
    const uint32_t *k = (const uint32_t *)key;
    switch (dtype) {
    case MX_FLOAT32:
        uniform_kernel<float><<<blocks, kThreads, 0, s>>>((float *)out, n, k, key_stride, (const float *)lo,
                                                          (const float *)hi, *lay, 0x1.fffffep-1f);
        return 0;
    case MX_FLOAT16:
        uniform_kernel<f16_t><<<blocks, kThreads, 0, s>>>((f16_t *)out, n, k, key_stride, (const f16_t *)lo,
                                                          (const f16_t *)hi, *lay, 0x1.ffcp-1f);
        return 0;
    case MX_BFLOAT16:
        uniform_kernel<bf16_t><<<blocks, kThreads, 0, s>>>((bf16_t *)out, n, k, key_stride, (const bf16_t *)lo,
                                                           (const bf16_t *)hi, *lay, 0x1.fep-1f);
        return 0;
    default: return -1;
    }
}

extern "C" int cuda_launch_random_normal(int dtype, void *out, int64_t n, const void *key, int64_t key_stride,
                                         float applied, float loc, double applied64, double loc64, int add_loc,
                                         cuda_stream stream) {
    if (n == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    unsigned blocks = blocks_for_counters(n);
    const uint32_t *k = (const uint32_t *)key;
    switch (dtype) {
    case MX_FLOAT32:
        normal_kernel<float><<<blocks, kThreads, 0, s>>>((float *)out, n, k, key_stride, applied, loc, applied64,
                                                         loc64, add_loc);
        return 0;
    case MX_FLOAT16:
        normal_kernel<f16_t><<<blocks, kThreads, 0, s>>>((f16_t *)out, n, k, key_stride, applied, loc, applied64,
                                                         loc64, add_loc);
        return 0;
    case MX_BFLOAT16:
        normal_kernel<bf16_t><<<blocks, kThreads, 0, s>>>((bf16_t *)out, n, k, key_stride, applied, loc, applied64,
                                                          loc64, add_loc);
        return 0;
    case MX_FLOAT64:
        normal_kernel<double><<<blocks, kThreads, 0, s>>>((double *)out, n, k, key_stride, applied, loc, applied64,
                                                          loc64, add_loc);
        return 0;
    default: return -1;
    }
}
