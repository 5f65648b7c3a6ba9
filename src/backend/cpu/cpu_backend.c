/* backend/cpu/cpu_backend.c - the CPU backend's table. */
#include <cblas.h>

#include "backend/cpu/cpu.h"

static mx_backend g_cpu = {.name = "cpu"};

static void cpu_synchronize(void) {}

void mx_backend_cpu_init(void) {
    g_cpu.synchronize = cpu_synchronize;
    /* OpenBLAS on one thread, always: our kernels spread GEMM-shaped work
     * over cmlx's pool themselves. Its own threads (OpenMP or pthreads) would
     * busy-wait after every call and take the cores from our pool's work. */
    openblas_set_num_threads(1);
    cpu_register_creation(&g_cpu);
    cpu_register_copy(&g_cpu);
    cpu_register_unary(&g_cpu);
    cpu_register_binary(&g_cpu);
    cpu_register_reduce(&g_cpu);
    cpu_register_matmul(&g_cpu);
    cpu_register_shape(&g_cpu);
    cpu_register_indexing(&g_cpu);
    cpu_register_random(&g_cpu);
    cpu_register_scatter(&g_cpu);
    cpu_register_scan(&g_cpu);
    cpu_register_sort(&g_cpu);
    cpu_register_conv(&g_cpu);
    cpu_register_fast(&g_cpu);
    cpu_register_linalg(&g_cpu);
    cpu_register_fft(&g_cpu);
    cpu_register_quantize(&g_cpu);
    cpu_register_composite(&g_cpu);
    cpu_register_io(&g_cpu);
}

mx_backend *mx_backend_cpu(void) { return &g_cpu; }
