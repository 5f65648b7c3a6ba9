/* core/device.c - the default device, the registered GPU backend, and the
 * public device and GPU-memory API. Core knows the GPU only through the
 * backend table and the memory hooks a GPU backend registers. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cmlx/device.h"
#include "core/backend.h"
#include "core/error.h"

static mx_backend *g_gpu_backend;
static const char *g_gpu_name;
static atomic_int g_default_device_type = MX_CPU;

void mx_register_gpu_backend(mx_backend *backend, const char *device_name) {
    g_gpu_backend = backend;
    g_gpu_name = device_name;
}

mx_backend *mx_backend_gpu(void) { return g_gpu_backend; }

/* The device of a node created now (mx_node_new). */
int mx_current_device_type(void) { return atomic_load_explicit(&g_default_device_type, memory_order_relaxed); }

bool mx_is_available(mx_device device) {
    mx_runtime_init();
    if (device.index != 0)
        return false;
    return device.type == MX_CPU || (device.type == MX_GPU && g_gpu_backend != NULL);
}

int mx_device_count(mx_device_type type) {
    mx_runtime_init();
    return type == MX_CPU ? 1 : (type == MX_GPU && g_gpu_backend) ? 1 : 0;
}

const char *mx_device_name(mx_device device) {
    if (!mx_is_available(device))
        return NULL;
    return device.type == MX_CPU ? "cpu" : g_gpu_name;
}

mx_device mx_default_device(void) { return (mx_device){(mx_device_type)mx_current_device_type(), 0}; }

mx_status mx_set_default_device(mx_device device) {
    if (device.type != MX_CPU && device.type != MX_GPU)
        return mx_set_error(MX_ERROR_VALUE, "set_default_device: unknown device type %d", (int)device.type);
    if (!mx_is_available(device)) {
        if (device.type == MX_GPU && device.index == 0)
            return mx_set_error(MX_ERROR_VALUE, "[set_default_device] Cannot set gpu device without gpu backend.");
        return mx_set_error(MX_ERROR_VALUE, "set_default_device: %s device %d is not available",
                            device.type == MX_CPU ? "cpu" : "gpu", device.index);
    }
    atomic_store(&g_default_device_type, (int)device.type);
    return MX_OK;
}

mx_status mx_synchronize(void) {
    mx_runtime_init();
    if (g_gpu_backend && g_gpu_backend->synchronize)
        g_gpu_backend->synchronize();
    return MX_OK;
}

/* ---- GPU memory ----------------------------------------------------------------- */

static const mx_device_memory_hooks *hooks(void) {
    mx_runtime_init();
    return mx_device_memory();
}

size_t mx_gpu_get_active_memory(void) { return hooks() ? hooks()->active() : 0; }
size_t mx_gpu_get_peak_memory(void) { return hooks() ? hooks()->peak() : 0; }
void mx_gpu_reset_peak_memory(void) {
    if (hooks())
        hooks()->reset_peak();
}
size_t mx_gpu_get_cache_memory(void) { return hooks() ? hooks()->cached() : 0; }
size_t mx_gpu_set_memory_limit(size_t limit) { return hooks() ? hooks()->set_memory_limit(limit) : 0; }
size_t mx_gpu_set_cache_limit(size_t limit) { return hooks() ? hooks()->set_cache_limit(limit) : 0; }
void mx_gpu_clear_cache(void) {
    if (hooks())
        hooks()->clear_cache();
}
void mx_gpu_set_tf32(bool enabled) {
    if (hooks())
        hooks()->set_tf32(enabled);
}

/* -1: not decided yet (the environment is read on first use). */
static atomic_int g_graphs = -1;

int mx_gpu_graphs_mode(void) {
    int v = atomic_load(&g_graphs);
    if (v < 0) {
        const char *env = getenv("CMLX_CUDA_GRAPHS");
        v = env && strcmp(env, "0") == 0 ? 0 : env && strcmp(env, "2") == 0 ? 2 : 1;
        int expected = -1;
        if (!atomic_compare_exchange_strong(&g_graphs, &expected, v))
            v = expected; /* set meanwhile */
    }
    return v;
}

void mx_gpu_set_graphs_mode(int mode) { atomic_store(&g_graphs, mode < 0 ? 0 : mode > 2 ? 2 : mode); }
void mx_gpu_set_graphs(bool enabled) { mx_gpu_set_graphs_mode(enabled ? 1 : 0); }
