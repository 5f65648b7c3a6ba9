/* io/io_internal.h - the pieces the file formats share: a refcounted source
 * of bytes (a private file mapping or a heap copy), the lazy `load` node that
 * reads an array out of a source, a growable byte writer, and a small JSON
 * reader for safetensors headers. */
#ifndef CMLX_IO_INTERNAL_H
#define CMLX_IO_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmlx/io.h"
#include "core/node.h"

/* ---- sources ---------------------------------------------------------------------
 * The bytes of a whole file. A mapping is MAP_PRIVATE with write access, so
 * an array that aliases it can never change the file (pages are copied on
 * write). Every load node holds a reference. */
typedef struct io_source {
    atomic_int refs;
    unsigned char *data;
    size_t size;
    bool mapped; /* munmap on release, else free */
} io_source;

/* Maps `path` (reads it into memory when it is empty). NULL with MX_ERROR_IO
 * "[<op>] Failed to open file <path>" (MLX's message) on failure. */
io_source *io_source_open(const char *path, const char *op);
/* A source owning a heap copy of size bytes (copy may be NULL: then uninitialised). */
io_source *io_source_from_bytes(const void *copy, size_t size, const char *op);
void io_source_retain(io_source *s);
void io_source_release(io_source *s);

/* ---- the lazy load node ------------------------------------------------------------ */
typedef struct io_load_params {
    io_source *source; /* one reference, released with the node */
    uint64_t offset;   /* of the first byte of the array in source->data */
    bool swap_bytes;   /* stored in the other byte order: swap each itemsize bytes */
} io_load_params;

extern const mx_op_def mx_op_load;
/* A node of `shape`/`dtype` whose row-major bytes lie at source->data+offset.
 * The caller has checked that offset + size * itemsize <= source->size. */
mx_node *io_node_load(io_source *source, uint64_t offset, const int64_t *shape, int ndim, mx_dtype dtype,
                      bool swap_bytes);
/* The same as a handle. */
mx_array io_array_load(io_source *source, uint64_t offset, const int64_t *shape, int ndim, mx_dtype dtype,
                       bool swap_bytes);

/* ---- writing ------------------------------------------------------------------------- */
typedef struct io_writer {
    unsigned char *data;
    size_t size, capacity;
    bool failed; /* out of memory: every later write is dropped */
} io_writer;
bool io_write(io_writer *w, const void *bytes, size_t n);
bool io_write_str(io_writer *w, const char *s);
bool io_write_u8(io_writer *w, uint8_t v);
bool io_write_u32(io_writer *w, uint32_t v); /* little-endian */
bool io_write_u64(io_writer *w, uint64_t v);
bool io_write_zeros(io_writer *w, size_t n);
void io_writer_free(io_writer *w);
/* Writes the writer's bytes to `path` (created/truncated). */
mx_status io_writer_to_file(const io_writer *w, const char *path, const char *op);
/* `path` plus `ext` (".npy") unless it already ends with it: malloc'd. */
char *io_path_with_ext(const char *path, const char *ext);

/* Row-contiguous elements of a (evaluated here), or NULL with the error set. */
const void *io_array_bytes(mx_array a, const char *op);

/* ---- serialisers (the bytes of one file) --------------------------------------------- */
mx_status io_safetensors_write(io_writer *w, const mx_named_arrays *arrays, const mx_metadata *metadata);
mx_status io_safetensors_read(io_source *src, const char *name, mx_named_arrays **arrays, mx_metadata **metadata);
mx_status io_npy_write(io_writer *w, mx_array a, const char *op);
/* One .npy image at src->data[offset, offset+size). */
mx_array io_npy_read(io_source *src, size_t offset, size_t size, const char *name);
mx_status io_npz_write(io_writer *w, const mx_named_arrays *arrays, bool compressed);
mx_status io_npz_read(io_source *src, const char *name, mx_named_arrays **arrays);
mx_status io_gguf_write(io_writer *w, const mx_named_arrays *arrays, const mx_metadata *metadata);
mx_status io_gguf_read(io_source *src, const char *name, mx_named_arrays **arrays, mx_metadata **metadata);

/* ---- JSON (safetensors headers) --------------------------------------------------------- */
typedef enum { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT } json_kind;
typedef struct json_value {
    json_kind kind;
    bool boolean;
    bool is_integer; /* a number without fraction or exponent that fits in int64 */
    int64_t integer; /* when is_integer */
    char *string;    /* JSON_STRING: NUL-terminated (embedded NULs rejected) */
    int count;       /* items of an array / members of an object */
    char **keys;     /* JSON_OBJECT */
    struct json_value *items;
} json_value;
/* Parses text[0, len). false with a short reason in `why` (cap bytes). */
bool json_parse(const char *text, size_t len, json_value *out, char *why, size_t cap);
void json_free(json_value *v);
const json_value *json_get(const json_value *object, const char *key);
/* Appends s as a JSON string literal (nlohmann's escaping). */
bool json_write_string(io_writer *w, const char *s);

/* metadata internals for the formats */
bool io_metadata_all_strings(const mx_metadata *meta);

#endif
