/* runtime.c - library initialisation (registers the backends) and version.
 * It sits above core and the backends, so core never names a backend. */
#include <pthread.h>

#include "cmlx/version.h"
#include "core/backend.h"
#ifdef CMLX_HAVE_CUDA
#include "backend/cuda/cuda_backend.h"
#endif

static pthread_once_t g_init_once = PTHREAD_ONCE_INIT;

static void init(void) {
    mx_backend_cpu_init();
#ifdef CMLX_HAVE_CUDA
    mx_backend_cuda_init(); /* registers the GPU only when a CUDA device is present */
#endif
}

void mx_runtime_init(void) { pthread_once(&g_init_once, init); }

const char *mx_version(void) { return CMLX_VERSION_STRING; }
