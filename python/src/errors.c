/* python/src/errors.c - cmlx statuses become the Python exceptions MLX raises. */
#include "cmlx_py.h"

static PyObject *exception_for_status(mx_status status) {
    switch (status) {
    case MX_ERROR_VALUE: return PyExc_ValueError;
    case MX_ERROR_TYPE: return PyExc_TypeError;
    case MX_ERROR_INDEX: return PyExc_IndexError;
    case MX_ERROR_MEMORY: return PyExc_MemoryError;
    default: return PyExc_RuntimeError;
    }
}

PyObject *cmlx_raise(mx_status status) {
    if (status == MX_OK) {
        /* A caller saw a failure without a status (e.g. a NULL pointer from
         * mx_data): report the library's last error rather than nothing. */
        status = mx_last_status();
        if (status == MX_OK)
            status = MX_ERROR_INTERNAL;
    }
    const char *message = mx_last_error();
    if (message == NULL || message[0] == '\0')
        message = mx_status_name(status);
    PyErr_SetString(exception_for_status(status), message);
    mx_clear_error();
    return NULL;
}

PyObject *cmlx_raise_array(mx_array a) {
    mx_status status = mx_array_status(a);
    const char *message = mx_array_error(a);
    if (message == NULL || message[0] == '\0')
        message = mx_last_error();
    if (message == NULL || message[0] == '\0')
        message = mx_status_name(status);
    PyErr_SetString(exception_for_status(status == MX_OK ? MX_ERROR_INTERNAL : status), message);
    mx_clear_error();
    return NULL;
}
