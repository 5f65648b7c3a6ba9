/* backend/cpu/parallel.c - the CPU backend's threads (OpenMP). */
#include <omp.h>

#include "backend/cpu/cpu.h"

int cpu_num_threads(void) { return omp_get_max_threads(); }

void cpu_parallel_for(int64_t n, int64_t grain, cpu_range_fn fn, void *ctx) {
    if (n <= 0)
        return;
    if (grain < 1)
        grain = 1;
    int64_t max_chunks = n / grain;
    int threads = cpu_num_threads();
    if (max_chunks < 2 || threads < 2) {
        fn(0, n, ctx);
        return;
    }
    if (max_chunks < threads)
        threads = (int)max_chunks;
#pragma omp parallel num_threads(threads)
    {
        int t = omp_get_thread_num(), nt = omp_get_num_threads();
        int64_t begin = n * t / nt, end = n * (t + 1) / nt;
        if (begin < end)
            fn(begin, end, ctx);
    }
}
