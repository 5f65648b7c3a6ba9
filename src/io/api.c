/* io/api.c - the public entry points: open the file (or copy the bytes),
 * pick the format, call the format's reader or writer. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "io/io_internal.h"

typedef enum { FMT_NPY, FMT_NPZ, FMT_SAFETENSORS, FMT_GGUF, FMT_UNKNOWN } io_format;

static io_format format_of(const char *name) {
    if (strcmp(name, "npy") == 0)
        return FMT_NPY;
    if (strcmp(name, "npz") == 0)
        return FMT_NPZ;
    if (strcmp(name, "safetensors") == 0)
        return FMT_SAFETENSORS;
    if (strcmp(name, "gguf") == 0)
        return FMT_GGUF;
    return FMT_UNKNOWN;
}

/* Reads a source in `format`; `file` names it in messages. */
static mx_status load_source(io_source *src, const char *file, io_format fmt, const char *fmt_name, mx_array *array,
                             mx_named_arrays **arrays, mx_metadata **metadata) {
    if (metadata && (fmt == FMT_NPY || fmt == FMT_NPZ))
        return mx_set_error(MX_ERROR_VALUE, "[load] metadata not supported for format %s", fmt_name);
    switch (fmt) {
    case FMT_NPY: {
        if (!array)
            return mx_set_error(MX_ERROR_VALUE, "[load] format npy gives one array: pass `array`");
        mx_array a = io_npy_read(src, 0, src->size, file);
        mx_status st = mx_array_status(a);
        if (st != MX_OK) {
            mx_free(a);
            return st;
        }
        *array = a;
        return MX_OK;
    }
    case FMT_NPZ:
    case FMT_SAFETENSORS:
    case FMT_GGUF:
        if (!arrays)
            return mx_set_error(MX_ERROR_VALUE, "[load] format %s gives named arrays: pass `arrays`", fmt_name);
        return fmt == FMT_NPZ           ? io_npz_read(src, file, arrays)
               : fmt == FMT_SAFETENSORS ? io_safetensors_read(src, file, arrays, metadata)
                                        : io_gguf_read(src, file, arrays, metadata);
    default: return mx_set_error(MX_ERROR_VALUE, "[load] Unknown file format %s", fmt_name);
    }
}

static mx_status load_path(const char *path, const char *op, io_format fmt, const char *fmt_name, mx_array *array,
                           mx_named_arrays **arrays, mx_metadata **metadata) {
    if (!path)
        return mx_set_error(MX_ERROR_VALUE, "[%s] null path", op);
    io_source *src = io_source_open(path, op);
    if (!src)
        return mx_last_status();
    mx_status st = load_source(src, path, fmt, fmt_name, array, arrays, metadata);
    io_source_release(src); /* the arrays hold their own references */
    return st;
}

mx_status mx_load_safetensors(const char *path, mx_named_arrays **arrays, mx_metadata **metadata) {
    return load_path(path, "load_safetensors", FMT_SAFETENSORS, "safetensors", NULL, arrays, metadata);
}
mx_status mx_load_gguf(const char *path, mx_named_arrays **arrays, mx_metadata **metadata) {
    return load_path(path, "load_gguf", FMT_GGUF, "gguf", NULL, arrays, metadata);
}
mx_status mx_load_npz(const char *path, mx_named_arrays **arrays) {
    return load_path(path, "load", FMT_NPZ, "npz", NULL, arrays, NULL);
}
mx_array mx_load_npy(const char *path) {
    mx_array a = MX_NULL_ARRAY;
    mx_status st = load_path(path, "load", FMT_NPY, "npy", &a, NULL, NULL);
    return st == MX_OK ? a : mx_handle_wrap(NULL);
}

/* The extension after the last '.' of the file name, or "". */
static const char *extension(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    return dot ? dot + 1 : "";
}

mx_status mx_load(const char *path, const char *format, mx_array *array, mx_named_arrays **arrays,
                  mx_metadata **metadata) {
    if (!path)
        return mx_set_error(MX_ERROR_VALUE, "[load] null path");
    const char *name = format ? format : extension(path);
    io_format fmt = format_of(name);
    if (fmt == FMT_UNKNOWN)
        return mx_set_error(MX_ERROR_VALUE, "[load] Unknown file format %s", name);
    return load_path(path, "load", fmt, name, array, arrays, metadata);
}

mx_status mx_load_memory(const void *data, size_t size, const char *format, mx_array *array, mx_named_arrays **arrays,
                         mx_metadata **metadata) {
    if (!format)
        return mx_set_error(MX_ERROR_VALUE, "[load] a format is needed to load from memory");
    io_format fmt = format_of(format);
    if (fmt == FMT_UNKNOWN)
        return mx_set_error(MX_ERROR_VALUE, "[load] Unknown file format %s", format);
    if (!data && size)
        return mx_set_error(MX_ERROR_VALUE, "[load] null data");
    io_source *src = io_source_from_bytes(data, size, "load");
    if (!src)
        return mx_last_status();
    mx_status st = load_source(src, "<memory>", fmt, format, array, arrays, metadata);
    io_source_release(src);
    return st;
}

/* ---- saving --------------------------------------------------------------------------------- */
static mx_status serialise(io_format fmt, mx_array array, const mx_named_arrays *arrays, const mx_metadata *metadata,
                           bool compressed, io_writer *w) {
    switch (fmt) {
    case FMT_NPY: return io_npy_write(w, array, "save");
    case FMT_NPZ: return io_npz_write(w, arrays, compressed);
    case FMT_SAFETENSORS: return io_safetensors_write(w, arrays, metadata);
    case FMT_GGUF: return io_gguf_write(w, arrays, metadata);
    default: return mx_set_error(MX_ERROR_VALUE, "[save] Unknown file format");
    }
}

static mx_status save_path(const char *path, const char *ext, const char *op, io_format fmt, mx_array array,
                           const mx_named_arrays *arrays, const mx_metadata *metadata, bool compressed) {
    if (!path)
        return mx_set_error(MX_ERROR_VALUE, "[%s] null path", op);
    io_writer w = {0};
    mx_status st = serialise(fmt, array, arrays, metadata, compressed, &w);
    char *full = st == MX_OK ? io_path_with_ext(path, ext) : NULL;
    if (st == MX_OK && !full)
        st = mx_last_status();
    if (st == MX_OK)
        st = io_writer_to_file(&w, full, op);
    free(full);
    io_writer_free(&w);
    return st;
}

mx_status mx_save(const char *path, mx_array array) {
    return save_path(path, ".npy", "save", FMT_NPY, array, NULL, NULL, false);
}
mx_status mx_savez(const char *path, const mx_named_arrays *arrays, bool compressed) {
    return save_path(path, ".npz", compressed ? "savez_compressed" : "savez", FMT_NPZ, MX_NULL_ARRAY, arrays, NULL,
                     compressed);
}
mx_status mx_save_safetensors(const char *path, const mx_named_arrays *arrays, const mx_metadata *metadata) {
    return save_path(path, ".safetensors", "save_safetensors", FMT_SAFETENSORS, MX_NULL_ARRAY, arrays, metadata, false);
}
mx_status mx_save_gguf(const char *path, const mx_named_arrays *arrays, const mx_metadata *metadata) {
    return save_path(path, ".gguf", "save_gguf", FMT_GGUF, MX_NULL_ARRAY, arrays, metadata, false);
}

mx_status mx_save_memory(const char *format, mx_array array, const mx_named_arrays *arrays, const mx_metadata *metadata,
                         bool compressed, void **data, size_t *size) {
    if (!format || !data || !size)
        return mx_set_error(MX_ERROR_VALUE, "[save] null format or output");
    io_format fmt = format_of(format);
    if (fmt == FMT_UNKNOWN)
        return mx_set_error(MX_ERROR_VALUE, "[save] Unknown file format %s", format);
    io_writer w = {0};
    mx_status st = serialise(fmt, array, arrays, metadata, compressed, &w);
    if (st != MX_OK) {
        io_writer_free(&w);
        return st;
    }
    *data = w.data ? w.data : malloc(1);
    *size = w.size;
    return *data ? MX_OK : mx_set_error(MX_ERROR_MEMORY, "[save] out of host memory");
}
