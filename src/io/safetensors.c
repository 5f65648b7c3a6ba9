/* io/safetensors.c - the safetensors format: an 8-byte little-endian header
 * length, a JSON header {"name": {"dtype", "shape", "data_offsets"}, ...,
 * "__metadata__": {str: str}}, then the tensors' bytes.
 *
 * Writing follows MLX: keys sorted bytewise (nlohmann::json's order),
 * "__metadata__" null when there is none, no float64. Unlike MLX the header
 * is padded with spaces to a multiple of 8 bytes (as the safetensors spec
 * recommends), so every tensor of an aligned file can alias the mapping.
 * Reading validates every offset and size against the file before any array
 * is made, so a corrupt file is an error, never an out-of-bounds read. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/handle.h"
#include "io/io_internal.h"

static const struct {
    const char *name;
    mx_dtype dtype;
} st_dtypes[] = {{"BOOL", MX_BOOL},    {"U8", MX_UINT8},    {"U16", MX_UINT16},    {"U32", MX_UINT32},
                 {"U64", MX_UINT64},   {"I8", MX_INT8},     {"I16", MX_INT16},     {"I32", MX_INT32},
                 {"I64", MX_INT64},    {"F16", MX_FLOAT16}, {"BF16", MX_BFLOAT16}, {"F32", MX_FLOAT32},
                 {"C64", MX_COMPLEX64}};

static const char *st_dtype_name(mx_dtype d) {
    for (size_t i = 0; i < sizeof st_dtypes / sizeof *st_dtypes; i++)
        if (st_dtypes[i].dtype == d)
            return st_dtypes[i].name;
    return NULL;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

mx_status io_safetensors_write(io_writer *w, const mx_named_arrays *arrays, const mx_metadata *metadata) {
    int n = mx_named_arrays_size(arrays);
    if (!io_metadata_all_strings(metadata))
        return mx_set_error(MX_ERROR_VALUE,
                            "[save_safetensors] Metadata must be a dictionary with string keys and values");
    /* sorted names, __metadata__ among them (bytewise order, as nlohmann::json) */
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names)
        return mx_set_error(MX_ERROR_MEMORY, "[save_safetensors] out of host memory");
    for (int i = 0; i < n; i++) {
        names[i] = mx_named_arrays_name(arrays, i);
        mx_array a = mx_named_arrays_at(arrays, i);
        mx_dtype d = mx_array_dtype(a);
        if (mx_array_status(a) != MX_OK || !st_dtype_name(d)) {
            free(names);
            if (!mx_handle_get(a, "save_safetensors"))
                return mx_last_status(); /* the error array's status and message */
            return mx_set_error(MX_ERROR_IO, "[save_safetensors] array '%s': dtype %s is not supported",
                                mx_named_arrays_name(arrays, i), mx_dtype_name(d));
        }
    }
    names[n] = "__metadata__";
    qsort(names, (size_t)n + 1, sizeof *names, cmp_names);

    io_writer h = {0};
    io_write_u8(&h, '{');
    uint64_t offset = 0;
    char num[64];
    for (int k = 0; k <= n; k++) {
        if (k)
            io_write_u8(&h, ',');
        json_write_string(&h, names[k]);
        io_write_u8(&h, ':');
        if (strcmp(names[k], "__metadata__") == 0) {
            if (!metadata) {
                io_write_str(&h, "null");
                continue;
            }
            int m = mx_metadata_size(metadata);
            const char **keys = malloc((size_t)(m ? m : 1) * sizeof *keys);
            if (!keys) {
                h.failed = true;
                break;
            }
            for (int i = 0; i < m; i++)
                keys[i] = mx_metadata_name(metadata, i);
            qsort(keys, (size_t)m, sizeof *keys, cmp_names);
            io_write_u8(&h, '{');
            for (int i = 0; i < m; i++) {
                if (i)
                    io_write_u8(&h, ',');
                json_write_string(&h, keys[i]);
                io_write_u8(&h, ':');
                json_write_string(&h, mx_metadata_string(metadata, mx_metadata_find(metadata, keys[i])));
            }
            io_write_u8(&h, '}');
            free(keys);
            continue;
        }
        mx_array a = mx_named_arrays_get(arrays, names[k]);
        uint64_t nbytes = mx_nbytes(a);
        snprintf(num, sizeof num, "{\"data_offsets\":[%llu,%llu],\"dtype\":", (unsigned long long)offset,
                 (unsigned long long)(offset + nbytes));
        io_write_str(&h, num);
        json_write_string(&h, st_dtype_name(mx_array_dtype(a)));
        io_write_str(&h, ",\"shape\":[");
        for (int d = 0; d < mx_ndim(a); d++) {
            snprintf(num, sizeof num, d ? ",%lld" : "%lld", (long long)mx_shape(a)[d]);
            io_write_str(&h, num);
        }
        io_write_str(&h, "]}");
        offset += nbytes;
    }
    io_write_u8(&h, '}');
    while (h.size % 8)
        io_write_u8(&h, ' ');
    io_write_u64(w, h.size);
    io_write(w, h.data, h.size);
    bool failed = h.failed;
    io_writer_free(&h);
    for (int k = 0; k <= n && !failed; k++) {
        if (strcmp(names[k], "__metadata__") == 0)
            continue;
        mx_array a = mx_named_arrays_get(arrays, names[k]);
        const void *bytes = io_array_bytes(a, "save_safetensors");
        if (!bytes) {
            free(names);
            return mx_last_status();
        }
        io_write(w, bytes, mx_nbytes(a));
    }
    free(names);
    if (failed || w->failed)
        return mx_set_error(MX_ERROR_MEMORY, "[save_safetensors] out of host memory");
    return MX_OK;
}

#define ST_FAIL(...) (mx_set_error(MX_ERROR_IO, __VA_ARGS__), false)

/* Validates one tensor entry and makes its lazy array. */
static bool st_tensor(io_source *src, const char *file, uint64_t data_start, const char *key, const json_value *v,
                      mx_named_arrays *out) {
    const json_value *dt = json_get(v, "dtype"), *shape = json_get(v, "shape"), *offs = json_get(v, "data_offsets");
    if (v->kind != JSON_OBJECT || !dt || dt->kind != JSON_STRING || !shape || shape->kind != JSON_ARRAY || !offs ||
        offs->kind != JSON_ARRAY)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' needs \"dtype\", \"shape\" and \"data_offsets\"", file,
                       key);
    mx_dtype dtype = MX_DTYPE_COUNT;
    for (size_t i = 0; i < sizeof st_dtypes / sizeof *st_dtypes; i++)
        if (strcmp(st_dtypes[i].name, dt->string) == 0)
            dtype = st_dtypes[i].dtype;
    if (dtype == MX_DTYPE_COUNT)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' has unsupported dtype %s", file, key, dt->string);
    if (shape->count > MX_MAX_NDIM)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' has %d dimensions (at most %d)", file, key,
                       shape->count, MX_MAX_NDIM);
    int64_t dims[MX_MAX_NDIM];
    uint64_t numel = 1;
    bool overflow = false;
    for (int d = 0; d < shape->count; d++) {
        const json_value *s = &shape->items[d];
        if (s->kind != JSON_NUMBER || !s->is_integer || s->integer < 0)
            return ST_FAIL("[load_safetensors] file %s: tensor '%s' has a bad shape entry", file, key);
        dims[d] = s->integer;
        if (dims[d] != 0 && numel > UINT64_MAX / (uint64_t)dims[d])
            overflow = true;
        numel *= (uint64_t)dims[d];
    }
    size_t itemsize = mx_dtype_size(dtype);
    if (overflow || numel > (uint64_t)INT64_MAX / itemsize)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' has a shape whose size overflows", file, key);
    uint64_t nbytes = numel * itemsize;
    if (offs->count != 2 || offs->items[0].kind != JSON_NUMBER || !offs->items[0].is_integer ||
        offs->items[1].kind != JSON_NUMBER || !offs->items[1].is_integer || offs->items[0].integer < 0 ||
        offs->items[1].integer < offs->items[0].integer)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' has bad data_offsets", file, key);
    uint64_t begin = (uint64_t)offs->items[0].integer, end = (uint64_t)offs->items[1].integer;
    if (end - begin != nbytes)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' has data_offsets [%llu, %llu] (%llu bytes) but its "
                       "shape and dtype need %llu bytes",
                       file, key, (unsigned long long)begin, (unsigned long long)end, (unsigned long long)(end - begin),
                       (unsigned long long)nbytes);
    if (end > src->size - data_start)
        return ST_FAIL("[load_safetensors] file %s: tensor '%s' data_offsets [%llu, %llu] lie beyond the end of the "
                       "data (%llu bytes)",
                       file, key, (unsigned long long)begin, (unsigned long long)end,
                       (unsigned long long)(src->size - data_start));
    mx_array a = io_array_load(src, data_start + begin, dims, shape->count, dtype, false);
    mx_status st = mx_array_status(a);
    if (st == MX_OK)
        st = mx_named_arrays_set(out, key, a);
    mx_free(a);
    return st == MX_OK;
}

mx_status io_safetensors_read(io_source *src, const char *file, mx_named_arrays **arrays, mx_metadata **metadata) {
    if (src->size < 8)
        return mx_set_error(MX_ERROR_IO, "[load_safetensors] file %s: too short for a header (%zu bytes)", file,
                            src->size);
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; i--)
        header_len = header_len << 8 | src->data[i];
    if (header_len > src->size - 8)
        return mx_set_error(MX_ERROR_IO,
                            "[load_safetensors] file %s: header length %llu exceeds the file size (%zu bytes)", file,
                            (unsigned long long)header_len, src->size);
    json_value root;
    char why[128];
    if (!json_parse((const char *)src->data + 8, header_len, &root, why, sizeof why))
        return mx_set_error(MX_ERROR_IO, "[load_safetensors] file %s: invalid JSON header: %s", file, why);
    mx_named_arrays *out = NULL;
    mx_metadata *meta = NULL;
    bool ok = true;
    if (root.kind != JSON_OBJECT)
        ok = ST_FAIL("[load_safetensors] file %s: the header is not a JSON object", file);
    if (ok && !(out = mx_named_arrays_new()))
        ok = false;
    if (ok && metadata && !(meta = mx_metadata_new()))
        ok = false;
    for (int i = 0; ok && i < root.count; i++) {
        const char *key = root.keys[i];
        const json_value *v = &root.items[i];
        if (strcmp(key, "__metadata__") == 0) {
            if (v->kind == JSON_NULL)
                continue;
            if (v->kind != JSON_OBJECT) {
                ok = ST_FAIL("[load_safetensors] file %s: __metadata__ is not an object", file);
                break;
            }
            for (int j = 0; ok && j < v->count; j++) {
                if (v->items[j].kind != JSON_STRING)
                    ok = ST_FAIL("[load_safetensors] file %s: metadata value '%s' is not a string", file, v->keys[j]);
                else if (meta)
                    ok = mx_metadata_set_string(meta, v->keys[j], v->items[j].string) == MX_OK;
            }
            continue;
        }
        ok = st_tensor(src, file, 8 + header_len, key, v, out);
    }
    json_free(&root);
    if (!ok) {
        mx_named_arrays_free(out);
        mx_metadata_free(meta);
        return mx_last_status();
    }
    *arrays = out;
    if (metadata)
        *metadata = meta;
    return MX_OK;
}
