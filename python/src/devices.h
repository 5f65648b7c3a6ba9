/* python/src/devices.h - the devices part of cmlx.core (devices.c): the
 * `stream=` argument of the op wrappers and the private device functions that
 * python/gen/devices.py calls. */
#ifndef CMLX_PY_DEVICES_H
#define CMLX_PY_DEVICES_H

#include "cmlx_py.h"

/* The default device saved by cmlx_stream_enter, restored by cmlx_stream_exit. */
typedef struct {
    int active;
    mx_device previous;
} cmlx_device_guard;

/* `stream` (None, a DeviceType, Device, Stream or ThreadLocalStream) of op
 * `op_name`: its device becomes the default device until cmlx_stream_exit.
 * Returns 1, or 0 with MLX's exception (a wrong type; a GPU stream without a
 * GPU backend). The guard is always initialised: call cmlx_stream_exit on
 * every path after this call. */
int cmlx_stream_enter(PyObject *stream, const char *op_name, cmlx_device_guard *guard);
void cmlx_stream_exit(cmlx_device_guard *guard);

/* Adds the private _device_* functions to the module (before devices.py runs). */
int cmlx_init_devices(PyObject *module);

#endif
