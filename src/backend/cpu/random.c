/* backend/cpu/random.c - CPU kernels. */
#include "backend/cpu/cpu.h"

void cpu_register_random(mx_backend *b) {
    (void)b;
}
