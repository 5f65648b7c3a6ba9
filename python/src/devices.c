/* python/src/devices.c - the C side of cmlx.core's devices and streams
 * (python/gen/devices.py holds the Python side: DeviceType, Device, Stream,
 * default_device, ...).
 *
 * - Private module functions (_device_*) through which devices.py reaches the
 *   C device API (include/cmlx/device.h): the default device lives in the
 *   library, so C and Python always agree on it.
 * - The `stream=` argument of every op: cmlx_stream_enter makes the stream's
 *   device the default device for the duration of the call, and
 *   cmlx_stream_exit restores the previous one (also when the call fails),
 *   so the op's nodes record that device (MLX: the op runs on that stream).
 * - The memory functions of mlx.core, which with a GPU backend report the
 *   host and the GPU allocators together (see docs/devices.md). */
#include "devices.h"

#include "ops_support.h"

/* ---- the stream= argument of the op wrappers ------------------------------------------- */
/* devices.py's _stream_device(stream, op_name) -> (type, index), or raises */
static PyObject *stream_device_fn;

int cmlx_stream_enter(PyObject *stream, const char *op_name, cmlx_device_guard *guard) {
    guard->active = 0;
    if (stream == NULL || stream == Py_None)
        return 1;
    if (stream_device_fn == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "cmlx: devices.py is not initialised");
        return 0;
    }
    PyObject *r = PyObject_CallFunction(stream_device_fn, "Os", stream, op_name);
    if (r == NULL)
        return 0;
    int type, index;
    int ok = PyArg_ParseTuple(r, "ii", &type, &index);
    Py_DECREF(r);
    if (!ok)
        return 0;
    mx_device target = {(mx_device_type)type, index}, current = mx_default_device();
    if (target.type == current.type && target.index == current.index)
        return 1;
    mx_status st = mx_set_default_device(target);
    if (st != MX_OK) {
        cmlx_raise(st);
        return 0;
    }
    guard->previous = current;
    guard->active = 1;
    return 1;
}

void cmlx_stream_exit(cmlx_device_guard *guard) {
    if (!guard->active)
        return;
    guard->active = 0;
    /* the previous default was available a moment ago: this cannot fail */
    mx_set_default_device(guard->previous);
}

/* ---- private functions for devices.py ------------------------------------------------ */
static int parse_device(PyObject *args, mx_device *out) {
    int type, index = 0;
    if (!PyArg_ParseTuple(args, "i|i", &type, &index))
        return 0;
    out->type = (mx_device_type)type;
    out->index = index;
    return 1;
}

static PyObject *device_default(PyObject *module, PyObject *unused) {
    mx_device d = mx_default_device();
    return Py_BuildValue("(ii)", (int)d.type, d.index);
}

static PyObject *device_set_default(PyObject *module, PyObject *args) {
    mx_device d;
    if (!parse_device(args, &d))
        return NULL;
    mx_status st = mx_set_default_device(d);
    if (st != MX_OK)
        return cmlx_raise(st);
    Py_RETURN_NONE;
}

static PyObject *device_is_available(PyObject *module, PyObject *args) {
    mx_device d;
    if (!parse_device(args, &d))
        return NULL;
    return PyBool_FromLong(mx_is_available(d));
}

static PyObject *device_count(PyObject *module, PyObject *args) {
    int type;
    if (!PyArg_ParseTuple(args, "i", &type))
        return NULL;
    return PyLong_FromLong(mx_device_count((mx_device_type)type));
}

static PyObject *device_name(PyObject *module, PyObject *args) {
    mx_device d;
    if (!parse_device(args, &d))
        return NULL;
    const char *name = mx_device_name(d);
    if (name == NULL)
        Py_RETURN_NONE;
    return PyUnicode_FromString(name);
}

static PyObject *device_synchronize(PyObject *module, PyObject *unused) {
    mx_status st;
    Py_BEGIN_ALLOW_THREADS st = mx_synchronize();
    Py_END_ALLOW_THREADS if (st != MX_OK) return cmlx_raise(st);
    Py_RETURN_NONE;
}

/* devices.py hands its _stream_device over once it is defined. */
static PyObject *device_register_stream_fn(PyObject *module, PyObject *fn) {
    if (!PyCallable_Check(fn)) {
        PyErr_SetString(PyExc_TypeError, "_device_register_stream_fn: not callable");
        return NULL;
    }
    Py_XSETREF(stream_device_fn, Py_NewRef(fn));
    Py_RETURN_NONE;
}

/* The GPU memory limit: the C API sets it and returns the old one (there is
 * no getter); setting 0 selects the device's memory, and setting the old
 * value back leaves everything as it was. */
static size_t gpu_memory_limit(void) {
    size_t limit = mx_gpu_set_memory_limit(0);
    mx_gpu_set_memory_limit(limit);
    return limit;
}

static PyObject *device_gpu_memory(PyObject *module, PyObject *unused) {
    return Py_BuildValue("{s:n,s:n,s:n,s:n}", "active", (Py_ssize_t)mx_gpu_get_active_memory(), "peak",
                         (Py_ssize_t)mx_gpu_get_peak_memory(), "cache", (Py_ssize_t)mx_gpu_get_cache_memory(), "limit",
                         (Py_ssize_t)gpu_memory_limit());
}

static PyMethodDef device_methods[] = {
    {"_device_default", device_default, METH_NOARGS, "(type, index) of the default device (C)."},
    {"_device_set_default", device_set_default, METH_VARARGS, "mx_set_default_device(type, index)."},
    {"_device_is_available", device_is_available, METH_VARARGS, "mx_is_available(type, index)."},
    {"_device_count", device_count, METH_VARARGS, "mx_device_count(type)."},
    {"_device_name", device_name, METH_VARARGS, "mx_device_name(type, index), None when unavailable."},
    {"_device_synchronize", device_synchronize, METH_NOARGS, "mx_synchronize() without the GIL."},
    {"_device_register_stream_fn", device_register_stream_fn, METH_O,
     "devices.py's stream -> (type, index) function, used by every op's stream= argument."},
    {"_device_gpu_memory", device_gpu_memory, METH_NOARGS, "The GPU allocator's statistics and limit."},
    {NULL, NULL, 0, NULL},
};

int cmlx_init_devices(PyObject *module) { return PyModule_AddFunctions(module, device_methods); }

/* ---- memory functions (mlx.core.get_active_memory & co.) --------------------------------------- */
/* With a GPU backend the numbers are those of both allocators together, as
 * MLX's CUDA build counts every array in its one allocator; limits are the
 * GPU's (MLX's CUDA limit bounds device memory), the cache limit applies to
 * both caches. Without one, the host allocator's alone. */
static bool has_gpu(void) { return mx_is_available(mx_gpu_device()); }

size_t cmlx_op_get_active_memory(void) { return mx_get_active_memory() + (has_gpu() ? mx_gpu_get_active_memory() : 0); }

size_t cmlx_op_get_peak_memory(void) { return mx_get_peak_memory() + (has_gpu() ? mx_gpu_get_peak_memory() : 0); }

void cmlx_op_reset_peak_memory(void) {
    mx_reset_peak_memory();
    if (has_gpu())
        mx_gpu_reset_peak_memory();
}

size_t cmlx_op_get_cache_memory(void) { return mx_get_cache_memory() + (has_gpu() ? mx_gpu_get_cache_memory() : 0); }

size_t cmlx_op_set_memory_limit(size_t limit) {
    /* the GPU allocator reads 0 as "the whole device" */
    return has_gpu() ? mx_gpu_set_memory_limit(limit) : mx_set_memory_limit(limit);
}

size_t cmlx_op_get_memory_limit(void) { return has_gpu() ? gpu_memory_limit() : mx_get_memory_limit(); }

size_t cmlx_op_set_cache_limit(size_t limit) {
    size_t old = mx_set_cache_limit(limit);
    return has_gpu() ? mx_gpu_set_cache_limit(limit) : old;
}

void cmlx_op_clear_cache(void) {
    mx_clear_cache();
    if (has_gpu())
        mx_gpu_clear_cache();
}
