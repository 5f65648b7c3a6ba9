/* cmlx/device.h - devices (CPU, GPU), the default device, and GPU memory.
 *
 * As in MLX, every op runs on a device: the default device when the op is
 * created (MLX's `stream=` argument of each op is, in C, "set the default
 * device around the call"). The GPU exists when the library was built with
 * CUDA and a CUDA device is present; ops without a GPU kernel still run on
 * the GPU device, on the CPU kernel (the buffers move; see docs/cuda.md). */
#ifndef CMLX_DEVICE_H
#define CMLX_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "cmlx/array.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mx_device_type { MX_CPU = 0, MX_GPU = 1 } mx_device_type;

typedef struct mx_device {
    mx_device_type type;
    int index;
} mx_device;

/* The device new ops run on (initially the CPU, as MLX without a GPU; call
 * mx_set_default_device(mx_gpu_device()) to compute on the GPU). Process-wide. */
MX_API mx_device mx_default_device(void);
/* MX_ERROR_VALUE when the device is not available (MLX: "Cannot set gpu
 * device without gpu backend."). */
MX_API mx_status mx_set_default_device(mx_device device);
MX_API bool mx_is_available(mx_device device);
/* Number of devices of a type (CPU: 1; GPU: 0 or 1: cmlx drives one GPU). */
MX_API int mx_device_count(mx_device_type type);
/* "cpu", or the GPU's name ("NVIDIA H100 80GB HBM3"); NULL if unavailable. */
MX_API const char *mx_device_name(mx_device device);
static inline mx_device mx_cpu_device(void) { return (mx_device){MX_CPU, 0}; }
static inline mx_device mx_gpu_device(void) { return (mx_device){MX_GPU, 0}; }
/* Wait for all queued device work (MLX's mx.synchronize). */
MX_API mx_status mx_synchronize(void);

/* GPU memory, as mx_get_active_memory & co. for the host (0 without a GPU).
 * Active: bytes in live device copies; cache: freed device blocks kept for
 * reuse; the memory limit bounds active + cache (0: the device's memory). */
MX_API size_t mx_gpu_get_active_memory(void);
MX_API size_t mx_gpu_get_peak_memory(void);
MX_API void mx_gpu_reset_peak_memory(void);
MX_API size_t mx_gpu_get_cache_memory(void);
MX_API size_t mx_gpu_set_memory_limit(size_t limit);
MX_API size_t mx_gpu_set_cache_limit(size_t limit);
MX_API void mx_gpu_clear_cache(void);
/* float32 matmuls on the GPU through TF32 tensor cores (faster, ~1e-3
 * relative error). Off by default: float32 results match the CPU's. */
MX_API void mx_gpu_set_tf32(bool enabled);
/* Record repeated sequences of GPU kernels as CUDA graphs (one submission
 * instead of a launch per op). On by default; the environment variable
 * CMLX_CUDA_GRAPHS=0 turns it off at start-up. Results do not change. */
MX_API void mx_gpu_set_graphs(bool enabled);

#ifdef __cplusplus
}
#endif

#endif
