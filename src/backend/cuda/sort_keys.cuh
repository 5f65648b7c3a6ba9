/* backend/cuda/sort_keys.cuh - the CPU sort family's keys on the device
 * (backend/cpu/sort.c): an unsigned integer per element whose unsigned order
 * is MLX's order (integers with the sign bit flipped; floats by the sign
 * trick with -0.0 equal to 0.0 and every NaN the largest key). Shared by
 * sort.cu (sort, argsort) and select.cu (partition, searchsorted). */
#ifndef CMLX_BACKEND_CUDA_SORT_KEYS_CUH
#define CMLX_BACKEND_CUDA_SORT_KEYS_CUH

#include "backend/cuda/cuda_common.cuh"

/* The CPU's key of a value (FLOAT_KEY_FN / the integer flips), widened to K. */
template <typename T> struct sort_key {
    typedef typename std::conditional<sizeof(T) == 8, uint64_t, uint32_t>::type K;
    static __device__ __forceinline__ K of(T x) {
        if constexpr (std::is_same<T, bool>::value) {
            return (K)x;
        } else if constexpr (std::is_same<T, f16_t>::value || std::is_same<T, bf16_t>::value) {
            uint16_t u;
            memcpy(&u, &x, 2);
            const uint16_t inf = std::is_same<T, f16_t>::value ? 0x7C00u : 0x7F80u;
            uint16_t a = u & 0x7FFFu;
            uint16_t k = (u & 0x8000u) ? (uint16_t)~u : (uint16_t)(u | 0x8000u);
            k = a == 0 ? 0x8000u : k;
            return a > inf ? 0xFFFFu : k;
        } else if constexpr (std::is_same<T, float>::value) {
            uint32_t u = __float_as_uint(x), a = u & 0x7FFFFFFFu;
            uint32_t k = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
            k = a == 0 ? 0x80000000u : k;
            return a > 0x7F800000u ? 0xFFFFFFFFu : k;
        } else if constexpr (std::is_same<T, double>::value) {
            uint64_t u = (uint64_t)__double_as_longlong(x), a = u & 0x7FFFFFFFFFFFFFFFull;
            uint64_t k = (u >> 63) ? ~u : (u | 0x8000000000000000ull);
            k = a == 0 ? 0x8000000000000000ull : k;
            return a > 0x7FF0000000000000ull ? ~0ull : k;
        } else if constexpr (std::is_signed<T>::value) {
            typedef typename std::make_unsigned<T>::type U;
            return (K)(U)((U)x ^ ((U)1 << (8 * sizeof(T) - 1)));
        } else {
            return (K)x;
        }
    }
};

#endif
