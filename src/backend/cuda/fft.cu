/* backend/cuda/fft.cu - the device side of the fft glue (fft.c): the 1/N
 * scaling of inverse transforms (cuFFT leaves them unnormalised). */
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

} // namespace

extern "C" int cuda_launch_fft_scale(float *data, int64_t n, float scale, cuda_stream stream) {
    if (n == 0)
        return 0;
    fft_scale<<<cuda_blocks_for(n / 4 + 1, 256), 256, 0, (cudaStream_t)stream>>>(data, n, scale);
    return 0;
}
