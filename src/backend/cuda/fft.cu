/* backend/cuda/fft.cu - the device side of the fft glue (fft.c): the 1/N
 * scaling of inverse transforms (cuFFT leaves them unnormalised) and the
 * Hermitian clean-up before a complex-to-real transform. */
#include "backend/cuda/cuda_common.cuh"
#include "backend/cuda/fft_kernels.h"

namespace {

/* shape: data (n,) float, 16-byte vectors where aligned: data *= scale */
__global__ void fft_scale(float *data, int64_t n, float scale) {
    int64_t nvec = ((uintptr_t)data % 16 == 0) ? n / 4 : 0;
    int64_t tid = blockIdx.x * (int64_t)blockDim.x + threadIdx.x, step = (int64_t)gridDim.x * blockDim.x;
    for (int64_t v = tid; v < nvec; v += step) {
        float4 x = reinterpret_cast<float4 *>(data)[v];
        x.x *= scale;
        x.y *= scale;
        x.z *= scale;
        x.w *= scale;
        reinterpret_cast<float4 *>(data)[v] = x;
    }
    for (int64_t i = nvec * 4 + tid; i < n; i += step)
        data[i] *= scale;
}

/* shape: data (outer, h, inner) complex64 as float pairs: the imaginary parts
 * at index 0 and `nyquist` (< 0: none) of the middle axis set to 0 */
__global__ void fft_zero_imag(float *data, int64_t outer, int64_t h, int64_t inner, int64_t nyquist) {
    int64_t n = outer * inner;
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < n; t += (int64_t)gridDim.x * blockDim.x) {
        int64_t o = t / inner, i = t % inner;
        data[2 * ((o * h) * inner + i) + 1] = 0.0f;
        if (nyquist >= 0)
            data[2 * ((o * h + nyquist) * inner + i) + 1] = 0.0f;
    }
}

} // namespace

extern "C" int cuda_launch_fft_scale(float *data, int64_t n, float scale, cuda_stream stream) {
    if (n == 0)
        return 0;
    fft_scale<<<cuda_blocks_for(n / 4 + 1, 256), 256, 0, (cudaStream_t)stream>>>(data, n, scale);
    return 0;
}

extern "C" int cuda_launch_fft_zero_imag(float *data, int64_t outer, int64_t h, int64_t inner, int64_t nyquist,
                                         cuda_stream stream) {
    if (outer * inner == 0)
        return 0;
    fft_zero_imag<<<cuda_blocks_for(outer * inner, 256), 256, 0, (cudaStream_t)stream>>>(data, outer, h, inner,
                                                                                         nyquist);
    return 0;
}
