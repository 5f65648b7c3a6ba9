/* backend/cpu/scatter.c - CPU kernels of the scatter family (src/ops/scatter.c). */
#include "backend/cpu/cpu.h"

void cpu_register_scatter(mx_backend *b) { (void)b; }
