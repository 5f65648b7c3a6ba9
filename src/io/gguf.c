/* io/gguf.c - the GGUF format (versions 2 and 3): header, key/value metadata,
 * tensor infos, then the tensors' bytes, aligned (general.alignment, else 32).
 *
 * Read as MLX does: F32/F16/I8/I16/I32 tensors lazily from the mapping; BF16
 * converted to float16 (MLX converts through gguflib's gguf_tensor_to_f16);
 * Q4_0/Q4_1/Q8_0 converted at load into MLX's affine layout (group size 32):
 * "<name>" the packed uint32 weight, "<base>.scales" and "<base>.biases"
 * float16, where <base> is <name> up to its last '.' ("blk.0.w.weight" ->
 * "blk.0.w.scales"). GGUF dims are innermost-first: the shape is reversed.
 * Metadata numbers become 0-d arrays (float64 as float32, as MLX), numeric
 * arrays 1-d arrays, strings and string arrays Python strings / lists.
 * Every count, length and offset is checked against the file. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/half.h"
#include "core/handle.h"
#include "io/io_internal.h"

enum {
    GGUF_U8,
    GGUF_I8,
    GGUF_U16,
    GGUF_I16,
    GGUF_U32,
    GGUF_I32,
    GGUF_F32,
    GGUF_BOOL,
    GGUF_STRING,
    GGUF_ARRAY,
    GGUF_U64,
    GGUF_I64,
    GGUF_F64
};
enum {
    GGML_F32 = 0,
    GGML_F16 = 1,
    GGML_Q4_0 = 2,
    GGML_Q4_1 = 3,
    GGML_Q8_0 = 8,
    GGML_I8 = 24,
    GGML_I16 = 25,
    GGML_I32 = 26,
    GGML_BF16 = 30
};

static const mx_dtype gguf_value_dtype[] = {
    [GGUF_U8] = MX_UINT8,           [GGUF_I8] = MX_INT8,           [GGUF_U16] = MX_UINT16,  [GGUF_I16] = MX_INT16,
    [GGUF_U32] = MX_UINT32,         [GGUF_I32] = MX_INT32,         [GGUF_F32] = MX_FLOAT32, [GGUF_BOOL] = MX_BOOL,
    [GGUF_STRING] = MX_DTYPE_COUNT, [GGUF_ARRAY] = MX_DTYPE_COUNT, [GGUF_U64] = MX_UINT64,  [GGUF_I64] = MX_INT64,
    [GGUF_F64] = MX_FLOAT64};

/* ---- reading ------------------------------------------------------------------------ */
typedef struct {
    const unsigned char *d;
    size_t n, pos;
    const char *file;
} gguf_reader;

#define GG_FAIL(r, ...) (mx_set_error(MX_ERROR_IO, __VA_ARGS__), false)

static bool need(gguf_reader *r, uint64_t k, const char *what) {
    if (k > r->n - r->pos)
        return GG_FAIL(r, "[load_gguf] file %s: truncated while reading %s at byte %zu", r->file, what, r->pos);
    return true;
}
static bool rd_u32(gguf_reader *r, uint32_t *v, const char *what) {
    if (!need(r, 4, what))
        return false;
    memcpy(v, r->d + r->pos, 4);
    r->pos += 4;
    return true;
}
static bool rd_u64(gguf_reader *r, uint64_t *v, const char *what) {
    if (!need(r, 8, what))
        return false;
    memcpy(v, r->d + r->pos, 8);
    r->pos += 8;
    return true;
}
/* A gguf string as a new NUL-terminated copy. */
static bool rd_string(gguf_reader *r, char **out, const char *what) {
    uint64_t len;
    if (!rd_u64(r, &len, what) || !need(r, len, what))
        return false;
    char *s = malloc(len + 1);
    if (!s)
        return mx_set_error(MX_ERROR_MEMORY, "[load_gguf] out of host memory"), false;
    memcpy(s, r->d + r->pos, len);
    s[len] = '\0';
    r->pos += len;
    *out = s;
    return true;
}

static size_t value_size(uint32_t type) {
    static const size_t sizes[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
    return type <= GGUF_F64 ? sizes[type] : 0;
}

/* One metadata value into meta (MLX's conversions). */
static bool read_value(gguf_reader *r, const char *key, mx_metadata *meta, uint32_t type) {
    if (type == GGUF_STRING) {
        char *s;
        if (!rd_string(r, &s, "a metadata string"))
            return false;
        bool ok = !meta || mx_metadata_set_string(meta, key, s) == MX_OK;
        free(s);
        return ok;
    }
    if (type == GGUF_ARRAY) {
        uint32_t elem;
        uint64_t count;
        if (!rd_u32(r, &elem, "an array type") || !rd_u64(r, &count, "an array length"))
            return false;
        if (elem == GGUF_STRING) {
            if (count > (r->n - r->pos) / 8)
                return GG_FAIL(r, "[load_gguf] file %s: metadata '%s' claims %llu strings, more than the file holds",
                               r->file, key, (unsigned long long)count);
            char **items = calloc(count ? count : 1, sizeof *items);
            if (!items)
                return mx_set_error(MX_ERROR_MEMORY, "[load_gguf] out of host memory"), false;
            bool ok = true;
            uint64_t got = 0;
            for (; ok && got < count; got++)
                ok = rd_string(r, &items[got], "a metadata string");
            if (ok && meta && count > INT32_MAX)
                ok = GG_FAIL(r, "[load_gguf] file %s: metadata '%s' has too many strings", r->file, key);
            if (ok && meta)
                ok = mx_metadata_set_strings(meta, key, (const char *const *)items, (int)count) == MX_OK;
            for (uint64_t i = 0; i < count; i++)
                free(items[i]);
            free(items);
            return ok;
        }
        size_t sz = value_size(elem);
        if (!sz)
            return GG_FAIL(r, "[load_gguf] file %s: metadata '%s' is an array of unsupported type %u", r->file, key,
                           elem);
        if (count > (r->n - r->pos) / sz)
            return GG_FAIL(r, "[load_gguf] file %s: metadata '%s' array of %llu items runs past the end of the file",
                           r->file, key, (unsigned long long)count);
        const unsigned char *p = r->d + r->pos;
        r->pos += count * sz;
        if (!meta)
            return true;
        int64_t shape[1] = {(int64_t)count};
        mx_array a;
        if (elem == GGUF_F64) { /* MLX returns float64 metadata as float32 */
            float *f = malloc(count ? count * sizeof *f : 1);
            if (!f)
                return mx_set_error(MX_ERROR_MEMORY, "[load_gguf] out of host memory"), false;
            for (uint64_t i = 0; i < count; i++) {
                double v;
                memcpy(&v, p + 8 * i, 8);
                f[i] = (float)v;
            }
            a = mx_array_from_data(f, shape, 1, MX_FLOAT32);
            free(f);
        } else {
            a = mx_array_from_data(p, shape, 1, gguf_value_dtype[elem]);
        }
        bool ok = mx_array_status(a) == MX_OK && mx_metadata_set_array(meta, key, a) == MX_OK;
        mx_free(a);
        return ok;
    }
    size_t sz = value_size(type);
    if (!sz)
        return GG_FAIL(r, "[load_gguf] file %s: metadata '%s' has unknown type %u", r->file, key, type);
    if (!need(r, sz, "a metadata value"))
        return false;
    const unsigned char *p = r->d + r->pos;
    r->pos += sz;
    if (!meta)
        return true;
    mx_array a;
    if (type == GGUF_F64) {
        double v;
        memcpy(&v, p, 8);
        float f = (float)v;
        a = mx_array_from_data(&f, NULL, 0, MX_FLOAT32);
    } else if (type == GGUF_BOOL) {
        bool b = *p != 0;
        a = mx_array_from_data(&b, NULL, 0, MX_BOOL);
    } else {
        a = mx_array_from_data(p, NULL, 0, gguf_value_dtype[type]);
    }
    bool ok = mx_array_status(a) == MX_OK && mx_metadata_set_array(meta, key, a) == MX_OK;
    mx_free(a);
    return ok;
}

typedef struct {
    char *name;
    uint32_t ndim, type;
    int64_t shape[MX_MAX_NDIM]; /* MLX's order (reversed) */
    uint64_t numel, offset;
} tensor_info;

/* Bytes of a tensor of type `type` with numel elements and rows of ne0; 0 if unsupported. */
static bool tensor_nbytes(uint32_t type, uint64_t numel, uint64_t ne0, uint64_t *out) {
    switch (type) {
    case GGML_F32:
    case GGML_I32: *out = numel * 4; return true;
    case GGML_F16:
    case GGML_BF16:
    case GGML_I16: *out = numel * 2; return true;
    case GGML_I8: *out = numel; return true;
    case GGML_Q4_0:
    case GGML_Q4_1:
    case GGML_Q8_0:
        if (ne0 % 32)
            return false;
        *out = numel / 32 * (type == GGML_Q4_0 ? 18 : type == GGML_Q4_1 ? 20 : 34);
        return true;
    default: return false;
    }
}

static uint16_t rd_f16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* Q4_0 / Q4_1 / Q8_0 rows into MLX's affine triple. groups = numel / 32. */
static bool add_quantized(mx_named_arrays *out, const tensor_info *t, const unsigned char *src) {
    int bits = t->type == GGML_Q8_0 ? 8 : 4;
    uint64_t groups = t->numel / 32;
    uint32_t *w = malloc(groups * (32 * (size_t)bits / 32) * sizeof *w + 1);
    uint16_t *scales = malloc(groups * sizeof *scales + 1);
    uint16_t *biases = malloc(groups * sizeof *biases + 1);
    bool ok = w && scales && biases;
    if (!ok)
        mx_set_error(MX_ERROR_MEMORY, "[load_gguf] out of host memory converting %s", t->name);
    for (uint64_t g = 0; ok && g < groups; g++) {
        uint32_t *wg = w + g * (size_t)bits; /* 32 values * bits / 32 words */
        memset(wg, 0, (size_t)bits * sizeof *wg);
        if (t->type == GGML_Q8_0) {
            const unsigned char *b = src + g * 34;
            uint16_t d = rd_f16(b);
            scales[g] = d;
            biases[g] = mx_f32_to_f16(-128.0f * mx_f16_to_f32(d));
            for (int j = 0; j < 32; j++) {
                uint32_t q = (uint32_t)(uint8_t)((int8_t)b[2 + j] + 128);
                wg[j / 4] |= q << (8 * (j % 4));
            }
        } else {
            size_t bs = t->type == GGML_Q4_0 ? 18 : 20;
            const unsigned char *b = src + g * bs;
            uint16_t d = rd_f16(b);
            scales[g] = d;
            biases[g] = t->type == GGML_Q4_0 ? mx_f32_to_f16(-8.0f * mx_f16_to_f32(d)) : rd_f16(b + 2);
            const unsigned char *qs = b + (bs - 16);
            for (int j = 0; j < 16; j++) {
                uint32_t lo = qs[j] & 0xF, hi = qs[j] >> 4;
                wg[j / 8] |= lo << (4 * (j % 8));
                wg[(j + 16) / 8] |= hi << (4 * ((j + 16) % 8));
            }
        }
    }
    mx_array wa = MX_NULL_ARRAY, sa = MX_NULL_ARRAY, ba = MX_NULL_ARRAY;
    char *base = NULL;
    if (ok) {
        int64_t shape[MX_MAX_NDIM];
        memcpy(shape, t->shape, t->ndim * sizeof *shape);
        int nd = (int)t->ndim;
        shape[nd - 1] = t->shape[nd - 1] * bits / 32;
        wa = mx_array_from_data(w, shape, nd, MX_UINT32);
        shape[nd - 1] = t->shape[nd - 1] / 32;
        sa = mx_array_from_data(scales, shape, nd, MX_FLOAT16);
        ba = mx_array_from_data(biases, shape, nd, MX_FLOAT16);
        const char *dot = strrchr(t->name, '.');
        size_t base_len = dot ? (size_t)(dot - t->name) : strlen(t->name);
        base = malloc(base_len + 8);
        ok = base && mx_array_status(wa) == MX_OK && mx_array_status(sa) == MX_OK && mx_array_status(ba) == MX_OK;
        if (base) {
            memcpy(base, t->name, base_len);
            ok = ok && mx_named_arrays_set(out, t->name, wa) == MX_OK;
            strcpy(base + base_len, ".scales");
            ok = ok && mx_named_arrays_set(out, base, sa) == MX_OK;
            strcpy(base + base_len, ".biases");
            ok = ok && mx_named_arrays_set(out, base, ba) == MX_OK;
        }
    }
    free(base);
    mx_free(wa);
    mx_free(sa);
    mx_free(ba);
    free(w);
    free(scales);
    free(biases);
    return ok;
}

static bool add_tensor(io_source *src, mx_named_arrays *out, const tensor_info *t, uint64_t data_start) {
    const unsigned char *p = src->data + data_start + t->offset;
    switch (t->type) {
    case GGML_Q4_0:
    case GGML_Q4_1:
    case GGML_Q8_0: return add_quantized(out, t, p);
    case GGML_BF16: {
        uint16_t *h = malloc(t->numel * 2 + 1);
        if (!h)
            return mx_set_error(MX_ERROR_MEMORY, "[load_gguf] out of host memory converting %s", t->name), false;
        for (uint64_t i = 0; i < t->numel; i++)
            h[i] = mx_f32_to_f16(mx_bf16_to_f32(rd_f16(p + 2 * i)));
        mx_array a = mx_array_from_data(h, t->shape, (int)t->ndim, MX_FLOAT16);
        free(h);
        bool ok = mx_array_status(a) == MX_OK && mx_named_arrays_set(out, t->name, a) == MX_OK;
        mx_free(a);
        return ok;
    }
    default: {
        mx_dtype dt = t->type == GGML_F32   ? MX_FLOAT32
                      : t->type == GGML_F16 ? MX_FLOAT16
                      : t->type == GGML_I8  ? MX_INT8
                      : t->type == GGML_I16 ? MX_INT16
                                            : MX_INT32;
        mx_array a = io_array_load(src, data_start + t->offset, t->shape, (int)t->ndim, dt, false);
        bool ok = mx_array_status(a) == MX_OK && mx_named_arrays_set(out, t->name, a) == MX_OK;
        mx_free(a);
        return ok;
    }
    }
}

mx_status io_gguf_read(io_source *src, const char *file, mx_named_arrays **arrays, mx_metadata **metadata) {
    gguf_reader r = {.d = src->data, .n = src->size, .file = file};
    uint32_t magic = 0, version = 0;
    uint64_t n_tensors = 0, n_kv = 0;
    if (!rd_u32(&r, &magic, "the magic number") || magic != 0x46554747u)
        return mx_set_error(MX_ERROR_IO, "[load_gguf] file %s: not a GGUF file (bad magic number)", file);
    if (!rd_u32(&r, &version, "the version") || !rd_u64(&r, &n_tensors, "the tensor count") ||
        !rd_u64(&r, &n_kv, "the metadata count"))
        return mx_last_status();
    if (version < 2 || version > 3)
        return mx_set_error(MX_ERROR_IO, "[load_gguf] file %s: unsupported GGUF version %u", file, version);
    /* each kv takes >= 12 bytes, each tensor info >= 24: bound the counts by the file */
    if (n_kv > src->size / 12 || n_tensors > src->size / 24)
        return mx_set_error(MX_ERROR_IO,
                            "[load_gguf] file %s: %llu tensors / %llu metadata entries cannot fit in %zu bytes", file,
                            (unsigned long long)n_tensors, (unsigned long long)n_kv, src->size);
    mx_metadata *meta = metadata ? mx_metadata_new() : NULL;
    mx_named_arrays *out = mx_named_arrays_new();
    tensor_info *infos = calloc(n_tensors ? n_tensors : 1, sizeof *infos);
    bool ok = out && infos && (!metadata || meta);
    if (!infos)
        mx_set_error(MX_ERROR_MEMORY, "[load_gguf] out of host memory");
    uint64_t alignment = 32;
    for (uint64_t i = 0; ok && i < n_kv; i++) {
        char *key = NULL;
        uint32_t type;
        ok = rd_string(&r, &key, "a metadata key") && rd_u32(&r, &type, "a metadata type");
        if (ok && strcmp(key, "general.alignment") == 0 && type == GGUF_U32 && need(&r, 4, "alignment")) {
            uint32_t al;
            memcpy(&al, r.d + r.pos, 4);
            if (al == 0 || (al & (al - 1)))
                ok = GG_FAIL(&r, "[load_gguf] file %s: general.alignment %u is not a power of two", file, al);
            alignment = al;
        }
        ok = ok && read_value(&r, key, meta, type);
        free(key);
    }
    for (uint64_t i = 0; ok && i < n_tensors; i++) {
        tensor_info *t = &infos[i];
        ok = rd_string(&r, &t->name, "a tensor name") && rd_u32(&r, &t->ndim, "a tensor rank");
        if (ok && (t->ndim == 0 || t->ndim > 4))
            ok = GG_FAIL(&r, "[load_gguf] file %s: tensor '%s' has %u dimensions (1 to 4)", file, t->name, t->ndim);
        uint64_t ne[4] = {1, 1, 1, 1};
        t->numel = 1;
        for (uint32_t d = 0; ok && d < t->ndim; d++) {
            ok = rd_u64(&r, &ne[d], "a tensor dimension");
            if (ok && (ne[d] > (uint64_t)INT64_MAX || (ne[d] && t->numel > ((uint64_t)1 << 60) / ne[d])))
                ok = GG_FAIL(&r, "[load_gguf] file %s: tensor '%s' has a shape whose size overflows", file, t->name);
            if (ok) {
                t->numel *= ne[d];
                t->shape[t->ndim - 1 - d] = (int64_t)ne[d];
            }
        }
        ok = ok && rd_u32(&r, &t->type, "a tensor type") && rd_u64(&r, &t->offset, "a tensor offset");
    }
    uint64_t data_start = (r.pos + alignment - 1) / alignment * alignment;
    for (uint64_t i = 0; ok && i < n_tensors; i++) {
        tensor_info *t = &infos[i];
        uint64_t nbytes;
        if (!tensor_nbytes(t->type, t->numel, (uint64_t)t->shape[t->ndim - 1], &nbytes)) {
            ok = t->type == GGML_Q4_0 || t->type == GGML_Q4_1 || t->type == GGML_Q8_0
                     ? GG_FAIL(&r, "[load_gguf] file %s: quantized tensor '%s' has rows of %lld, not a multiple of 32",
                               file, t->name, (long long)t->shape[t->ndim - 1])
                     : GG_FAIL(&r,
                               "[load_gguf] file %s: tensor '%s' has unsupported type %u (supported: F32, F16, "
                               "BF16, I8, I16, I32, Q4_0, Q4_1, Q8_0)",
                               file, t->name, t->type);
            break;
        }
        if (data_start > src->size || t->offset > src->size - data_start ||
            nbytes > src->size - data_start - t->offset) {
            ok = GG_FAIL(&r,
                         "[load_gguf] file %s: data of tensor '%s' (offset %llu, %llu bytes) lies beyond the end "
                         "of the file",
                         file, t->name, (unsigned long long)t->offset, (unsigned long long)nbytes);
            break;
        }
        ok = add_tensor(src, out, t, data_start);
    }
    for (uint64_t i = 0; infos && i < n_tensors; i++)
        free(infos[i].name);
    free(infos);
    if (!ok) {
        mx_named_arrays_free(out);
        mx_metadata_free(meta);
        return mx_last_status() != MX_OK ? mx_last_status() : MX_ERROR_IO;
    }
    *arrays = out;
    if (metadata)
        *metadata = meta;
    return MX_OK;
}

/* ---- writing ------------------------------------------------------------------------------ */
static void wr_string(io_writer *w, const char *s) {
    io_write_u64(w, strlen(s));
    io_write_str(w, s);
}

static int gguf_type_of_dtype(mx_dtype d) {
    switch (d) {
    case MX_UINT8: return GGUF_U8;
    case MX_INT8: return GGUF_I8;
    case MX_UINT16: return GGUF_U16;
    case MX_INT16: return GGUF_I16;
    case MX_UINT32: return GGUF_U32;
    case MX_INT32: return GGUF_I32;
    case MX_FLOAT32: return GGUF_F32;
    case MX_BOOL: return GGUF_BOOL;
    case MX_UINT64: return GGUF_U64;
    case MX_INT64: return GGUF_I64;
    case MX_FLOAT64: return GGUF_F64;
    default: return -1;
    }
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

mx_status io_gguf_write(io_writer *w, const mx_named_arrays *arrays, const mx_metadata *metadata) {
    int n = mx_named_arrays_size(arrays);
    int nm = mx_metadata_size(metadata);
    /* validate first */
    for (int i = 0; i < n; i++) {
        mx_array a = mx_named_arrays_at(arrays, i);
        if (!mx_handle_get(a, "save_gguf"))
            return mx_last_status();
        mx_dtype d = mx_array_dtype(a);
        if (d != MX_FLOAT32 && d != MX_FLOAT16 && d != MX_INT8 && d != MX_INT16 && d != MX_INT32)
            return mx_set_error(MX_ERROR_IO, "[save_gguf] dtype %s is not supported", mx_dtype_name(d));
        if (mx_ndim(a) > 4)
            return mx_set_error(MX_ERROR_VALUE, "[save_gguf] array '%s' has %d dimensions (GGUF holds at most 4)",
                                mx_named_arrays_name(arrays, i), mx_ndim(a));
    }
    for (int i = 0; i < nm; i++) {
        if (mx_metadata_kind_at(metadata, i) != MX_METADATA_ARRAY)
            continue;
        mx_array a = mx_metadata_array(metadata, i);
        if (mx_ndim(a) > 1)
            return mx_set_error(MX_ERROR_IO, "[save_gguf] Cannot save arrays with more than one dimension.");
        if (gguf_type_of_dtype(mx_array_dtype(a)) < 0)
            return mx_set_error(MX_ERROR_IO, "[save_gguf] metadata '%s': dtype %s is not supported",
                                mx_metadata_name(metadata, i), mx_dtype_name(mx_array_dtype(a)));
    }
    io_write_u32(w, 0x46554747u);
    io_write_u32(w, 3);
    io_write_u64(w, (uint64_t)n);
    io_write_u64(w, (uint64_t)nm);
    for (int i = 0; i < nm; i++) {
        wr_string(w, mx_metadata_name(metadata, i));
        switch (mx_metadata_kind_at(metadata, i)) {
        case MX_METADATA_STRING:
            io_write_u32(w, GGUF_STRING);
            wr_string(w, mx_metadata_string(metadata, i));
            break;
        case MX_METADATA_STRINGS: {
            int count = mx_metadata_strings_count(metadata, i);
            io_write_u32(w, GGUF_ARRAY);
            io_write_u32(w, GGUF_STRING);
            io_write_u64(w, (uint64_t)count);
            for (int j = 0; j < count; j++)
                wr_string(w, mx_metadata_strings_at(metadata, i, j));
            break;
        }
        case MX_METADATA_ARRAY: {
            mx_array a = mx_metadata_array(metadata, i);
            uint32_t type = (uint32_t)gguf_type_of_dtype(mx_array_dtype(a));
            const void *bytes = io_array_bytes(a, "save_gguf");
            if (!bytes && mx_size(a) > 0)
                return mx_last_status();
            if (mx_ndim(a) == 1) {
                io_write_u32(w, GGUF_ARRAY);
                io_write_u32(w, type);
                io_write_u64(w, (uint64_t)mx_size(a));
            } else {
                io_write_u32(w, type);
            }
            io_write(w, bytes, mx_nbytes(a));
            break;
        }
        }
    }
    const char **names = malloc((n ? (size_t)n : 1) * sizeof *names);
    if (!names)
        return mx_set_error(MX_ERROR_MEMORY, "[save_gguf] out of host memory");
    for (int i = 0; i < n; i++)
        names[i] = mx_named_arrays_name(arrays, i);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    uint64_t offset = 0;
    for (int i = 0; i < n; i++) {
        mx_array a = mx_named_arrays_get(arrays, names[i]);
        wr_string(w, names[i]);
        int nd = mx_ndim(a);
        io_write_u32(w, (uint32_t)(nd ? nd : 1));
        if (nd == 0)
            io_write_u64(w, 1);
        for (int d = nd - 1; d >= 0; d--)
            io_write_u64(w, (uint64_t)mx_shape(a)[d]);
        mx_dtype dt = mx_array_dtype(a);
        io_write_u32(w, dt == MX_FLOAT32   ? GGML_F32
                        : dt == MX_FLOAT16 ? GGML_F16
                        : dt == MX_INT8    ? GGML_I8
                        : dt == MX_INT16   ? GGML_I16
                                           : GGML_I32);
        io_write_u64(w, offset);
        offset += (mx_nbytes(a) + 31) / 32 * 32;
    }
    io_write_zeros(w, (32 - w->size % 32) % 32);
    for (int i = 0; i < n; i++) {
        mx_array a = mx_named_arrays_get(arrays, names[i]);
        const void *bytes = io_array_bytes(a, "save_gguf");
        if (!bytes && mx_size(a) > 0) {
            free(names);
            return mx_last_status();
        }
        io_write(w, bytes, mx_nbytes(a));
        io_write_zeros(w, (32 - mx_nbytes(a) % 32) % 32);
    }
    free(names);
    if (w->failed)
        return mx_set_error(MX_ERROR_MEMORY, "[save_gguf] out of host memory");
    return MX_OK;
}
