/* core/error.c - per-thread error state. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MX_ERROR_CAP 1024

static _Thread_local char g_error[MX_ERROR_CAP];
static _Thread_local mx_status g_status = MX_OK;

mx_status mx_set_error(mx_status status, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(g_error, sizeof g_error, fmt, args);
    va_end(args);
    g_status = status;
    return status;
}

const char *mx_last_error(void) { return g_error; }

mx_status mx_last_status(void) { return g_status; }

void mx_clear_error(void) {
    g_error[0] = '\0';
    g_status = MX_OK;
}

const char *mx_status_name(mx_status status) {
    switch (status) {
    case MX_OK: return "ok";
    case MX_ERROR_VALUE: return "value error";
    case MX_ERROR_TYPE: return "type error";
    case MX_ERROR_INDEX: return "index error";
    case MX_ERROR_MEMORY: return "memory error";
    case MX_ERROR_HANDLE: return "invalid handle";
    case MX_ERROR_UNSUPPORTED: return "unsupported";
    case MX_ERROR_IO: return "io error";
    case MX_ERROR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

char *mx_format_shape(const int64_t *shape, int ndim, char *buf, size_t cap) {
    size_t used = 0;
    used += (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < ndim && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, i ? ",%lld" : "%lld", (long long)shape[i]);
    if (used < cap)
        snprintf(buf + used, cap - used, ")");
    return buf;
}
