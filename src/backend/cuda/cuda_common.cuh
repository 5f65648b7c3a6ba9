/* backend/cuda/cuda_common.cuh - shared device code of the .cu files: dtype
 * dispatch, the strided index walk, and 16-byte vector accesses. */
#ifndef CMLX_BACKEND_CUDA_COMMON_CUH
#define CMLX_BACKEND_CUDA_COMMON_CUH

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>
#include <type_traits>

#include "backend/cuda/cuda_kernels.h"
#include "cmlx/array.h"

typedef __half f16_t;
typedef __nv_bfloat16 bf16_t;

/* The C type of each (non-complex) dtype, for dispatch. */
#define CUDA_DISPATCH_ALL(dtype, T, ...)                                                                             \
    switch (dtype) {                                                                                                 \
    case MX_BOOL: { typedef bool T; __VA_ARGS__; } break;                                                           \
    case MX_UINT8: { typedef uint8_t T; __VA_ARGS__; } break;                                                       \
    case MX_UINT16: { typedef uint16_t T; __VA_ARGS__; } break;                                                     \
    case MX_UINT32: { typedef uint32_t T; __VA_ARGS__; } break;                                                     \
    case MX_UINT64: { typedef uint64_t T; __VA_ARGS__; } break;                                                     \
    case MX_INT8: { typedef int8_t T; __VA_ARGS__; } break;                                                         \
    case MX_INT16: { typedef int16_t T; __VA_ARGS__; } break;                                                       \
    case MX_INT32: { typedef int32_t T; __VA_ARGS__; } break;                                                       \
    case MX_INT64: { typedef int64_t T; __VA_ARGS__; } break;                                                       \
    case MX_FLOAT16: { typedef f16_t T; __VA_ARGS__; } break;                                                       \
    case MX_FLOAT32: { typedef float T; __VA_ARGS__; } break;                                                       \
    case MX_FLOAT64: { typedef double T; __VA_ARGS__; } break;                                                      \
    case MX_BFLOAT16: { typedef bf16_t T; __VA_ARGS__; } break;                                                     \
    default: return -1;                                                                                              \
    }

/* Arithmetic type of a storage type: half types compute in float. */
template <typename T> struct compute_of { typedef T type; };
template <> struct compute_of<f16_t> { typedef float type; };
template <> struct compute_of<bf16_t> { typedef float type; };

template <typename T> struct is_float_t { static const bool value = false; };
template <> struct is_float_t<f16_t> { static const bool value = true; };
template <> struct is_float_t<bf16_t> { static const bool value = true; };
template <> struct is_float_t<float> { static const bool value = true; };
template <> struct is_float_t<double> { static const bool value = true; };

/* Storage -> arithmetic value (half types widen to float). */
template <typename T> __device__ __forceinline__ typename compute_of<T>::type to_compute(T x) { return x; }
template <> __device__ __forceinline__ float to_compute<f16_t>(f16_t x) { return __half2float(x); }
template <> __device__ __forceinline__ float to_compute<bf16_t>(bf16_t x) { return __bfloat162float(x); }

/* Arithmetic value -> storage, rounding to nearest even for the half types. */
template <typename To> struct store_as {
    template <typename C> static __device__ __forceinline__ To from(C x) { return static_cast<To>(x); }
};
template <> struct store_as<f16_t> {
    template <typename C> static __device__ __forceinline__ f16_t from(C x) { return __float2half_rn((float)x); }
    static __device__ __forceinline__ f16_t from(double x) { return __double2half(x); }
};
template <> struct store_as<bf16_t> {
    template <typename C> static __device__ __forceinline__ bf16_t from(C x) { return __float2bfloat16_rn((float)x); }
    static __device__ __forceinline__ bf16_t from(double x) { return __double2bfloat16(x); }
};

/* Floats to integers go through int64 (negative values wrap into unsigned
 * types), as the CPU backend's conversions do on x86. */
#define CUDA_FLOAT_TO_INT(I)                                                                                         \
    template <> struct store_as<I> {                                                                                 \
        template <typename C> static __device__ __forceinline__ I from(C x) {                                        \
            if constexpr (std::is_floating_point<C>::value)                                                          \
                return static_cast<I>(static_cast<int64_t>(x));                                                      \
            else                                                                                                     \
                return static_cast<I>(x);                                                                            \
        }                                                                                                            \
    };
CUDA_FLOAT_TO_INT(uint8_t)
CUDA_FLOAT_TO_INT(uint16_t)
CUDA_FLOAT_TO_INT(uint32_t)
#undef CUDA_FLOAT_TO_INT
template <> struct store_as<uint64_t> {
    template <typename C> static __device__ __forceinline__ uint64_t from(C x) {
        if constexpr (std::is_floating_point<C>::value)
            return x < 0 ? static_cast<uint64_t>(static_cast<int64_t>(x)) : static_cast<uint64_t>(x);
        else
            return static_cast<uint64_t>(x);
    }
};

/* Any storage type to any other (float -> bool is "non-zero", NaN too). */
template <typename To, typename From> __device__ __forceinline__ To convert(From x) {
    return store_as<To>::from(to_compute(x));
}

/* n elements of T in one aligned access of n * sizeof(T) bytes (n * size a
 * power of two up to 16). */
template <typename T, int N> struct alignas(sizeof(T) * N) vec_t {
    T v[N];
};

/* Elements per thread for 16-byte accesses of T. */
template <typename T> struct vec_width { static const int value = 16 / sizeof(T) > 0 ? 16 / sizeof(T) : 1; };

/* Element offsets of linear index i (row-major over lay->shape) for the
 * first `nops` operands. */
template <int NOPS>
__device__ __forceinline__ void strided_offsets(const cuda_layout &lay, int64_t i, int64_t (&off)[NOPS]) {
#pragma unroll
    for (int k = 0; k < NOPS; k++)
        off[k] = 0;
    for (int d = lay.ndim - 1; d >= 0; d--) {
        int64_t extent = lay.shape[d];
        int64_t c = i % extent;
        i /= extent;
#pragma unroll
        for (int k = 0; k < NOPS; k++)
            off[k] += c * lay.strides[k][d];
    }
}

static inline unsigned cuda_blocks_for(int64_t work, int threads) {
    int64_t b = (work + threads - 1) / threads;
    if (b < 1)
        b = 1;
    /* a grid-stride loop covers the rest: enough blocks to fill every SM many times */
    return (unsigned)(b > 65535 * 8 ? 65535 * 8 : b);
}

/* v rounded to the storage precision of To (float16/bfloat16; others unchanged): kernels that
 * accumulate in float round where the CPU kernel stores an intermediate in the dtype. */
template <typename To> __device__ __forceinline__ float round_to(float v) { return v; }
template <> __device__ __forceinline__ float round_to<f16_t>(float v) { return __half2float(__float2half_rn(v)); }
template <> __device__ __forceinline__ float round_to<bf16_t>(float v) {
    return __bfloat162float(__float2bfloat16_rn(v));
}

/* Sum of v over a row group of tpr threads: a warp (tpr == 32) or the whole
 * block (tpr == blockDim.x, a multiple of 32). Every thread of the group gets
 * the same value. scratch: 32 values of shared memory used by this call only. */
template <typename C> __device__ __forceinline__ C group_sum(C v, int tpr, C *scratch) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, d);
    if (tpr <= 32)
        return v;
    int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    if (lane == 0)
        scratch[warp] = v;
    __syncthreads();
    C total = 0;
    for (int k = 0; k < (int)(blockDim.x / 32); k++)
        total += scratch[k];
    return total;
}

#endif
