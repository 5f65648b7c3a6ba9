/* backend/cuda/conv.cu - data movement around cuDNN's convolutions
 * (conv.c): the dilated/padded copy of an operand that cuDNN cannot read as
 * it is (asymmetric or negative padding, input dilation, strided views), and
 * the grouped weight transpose that turns an input-gradient conv back into
 * cuDNN's backward-data form. Memory-bound, one kernel per element size. */
#include "backend/cuda/conv_kernels.h"

#include <cuda_runtime.h>

/* shape: dst (n, out0, out1, out2, c) <- src (n, in0, in1, in2, c) dilated by
 * dil and shifted by lo; zeros where no source element lands. One thread per
 * destination element (grid-stride). */
template <typename T>
__global__ void conv_pad_kernel(T *__restrict__ dst, const T *__restrict__ src, cuda_conv_pad g, int64_t total) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        int64_t rest = idx;
        int64_t c = rest % g.c;
        rest /= g.c;
        int64_t src_off = c * g.stride_c;
        bool inside = true;
        for (int j = 2; j >= 0; j--) {
            int64_t p = rest % g.out[j];
            rest /= g.out[j];
            int64_t q = p - g.lo[j];
            if (q < 0 || q % g.dil[j] != 0) {
                inside = false;
                continue;
            }
            int64_t i = q / g.dil[j];
            inside &= i < g.in[j];
            src_off += i * g.stride_s[j];
        }
        src_off += rest * g.stride_n; /* rest is n */
        dst[idx] = inside ? src[src_off] : T(0);
    }
}

/* shape: dst (G*B, K, A) <- src (G*A, K, B) with dst[g*B+b, k, a] = src[g*A+a, k, b] */
template <typename T>
__global__ void group_transpose_kernel(T *__restrict__ dst, const T *__restrict__ src, int64_t a_len, int64_t k_len,
                                       int64_t b_len, int64_t total) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        int64_t a = idx % a_len, rest = idx / a_len;
        int64_t k = rest % k_len;
        rest /= k_len;
        int64_t b = rest % b_len, g = rest / b_len;
        dst[idx] = src[((g * a_len + a) * k_len + k) * b_len + b];
    }
}

static unsigned grid_for(int64_t total) {
    int64_t blocks = (total + 255) / 256;
    return (unsigned)(blocks < 65536 ? (blocks > 0 ? blocks : 1) : 65536);
}

extern "C" int cuda_launch_conv_pad(size_t itemsize, void *dst, const void *src, const cuda_conv_pad *g,
                                    cuda_stream stream) {
    int64_t total = g->n * g->out[0] * g->out[1] * g->out[2] * g->c;
    if (total == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    switch (itemsize) {
    case 2:
        conv_pad_kernel<uint16_t><<<grid_for(total), 256, 0, s>>>((uint16_t *)dst, (const uint16_t *)src, *g, total);
        break;
    case 4:
        conv_pad_kernel<uint32_t><<<grid_for(total), 256, 0, s>>>((uint32_t *)dst, (const uint32_t *)src, *g, total);
        break;
    case 8:
        conv_pad_kernel<uint64_t><<<grid_for(total), 256, 0, s>>>((uint64_t *)dst, (const uint64_t *)src, *g, total);
        break;
    default: return -1;
    }
    return 0;
}

extern "C" int cuda_launch_conv_group_transpose(size_t itemsize, void *dst, const void *src, int64_t groups, int64_t a,
                                                int64_t k, int64_t b, cuda_stream stream) {
    int64_t total = groups * a * k * b;
    if (total == 0)
        return 0;
    cudaStream_t s = (cudaStream_t)stream;
    switch (itemsize) {
    case 2:
        group_transpose_kernel<uint16_t>
            <<<grid_for(total), 256, 0, s>>>((uint16_t *)dst, (const uint16_t *)src, a, k, b, total);
        break;
    case 4:
        group_transpose_kernel<uint32_t>
            <<<grid_for(total), 256, 0, s>>>((uint32_t *)dst, (const uint32_t *)src, a, k, b, total);
        break;
    case 8:
        group_transpose_kernel<uint64_t>
            <<<grid_for(total), 256, 0, s>>>((uint64_t *)dst, (const uint64_t *)src, a, k, b, total);
        break;
    default: return -1;
    }
    return 0;
}
