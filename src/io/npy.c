/* io/npy.c - NumPy's .npy (one array) and .npz (a zip of .npy members).
 *
 * .npy: "\x93NUMPY", version, header length, a Python dict literal
 * {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, )}, the bytes.
 * Written exactly as MLX writes it (its header padding included); a
 * column-major array is written as is with fortran_order True. Read: any
 * version 1-3 header; big-endian data is swapped at evaluation and
 * Fortran-order data is loaded as the transpose of its reversed shape (a
 * lazy view), as MLX does. bfloat16 is '<V2', as MLX.
 *
 * .npz: written with stored or deflated (zlib) members named "<key>.npy";
 * read through the central directory (zip64 included), stored members
 * aliasing the mapping, deflated ones inflated once at load. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cmlx/ops.h"
#include "core/error.h"
#include "core/handle.h"
#include "io/io_internal.h"

/* ---- .npy -------------------------------------------------------------------------- */
static const char *npy_descr(mx_dtype d) {
    switch (d) {
    case MX_BOOL: return "|b1";
    case MX_UINT8: return "|u1";
    case MX_UINT16: return "<u2";
    case MX_UINT32: return "<u4";
    case MX_UINT64: return "<u8";
    case MX_INT8: return "|i1";
    case MX_INT16: return "<i2";
    case MX_INT32: return "<i4";
    case MX_INT64: return "<i8";
    case MX_FLOAT16: return "<f2";
    case MX_FLOAT32: return "<f4";
    case MX_FLOAT64: return "<f8";
    case MX_BFLOAT16: return "<V2";
    case MX_COMPLEX64: return "<c8";
    default: return NULL;
    }
}

/* MLX's column-contiguity (dims of size 1 are skipped). */
static bool col_contiguous(const int64_t *shape, const int64_t *strides, int ndim) {
    int64_t expected = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == 1)
            continue;
        if (strides[i] != expected)
            return false;
        expected *= shape[i];
    }
    return true;
}

mx_status io_npy_write(io_writer *w, mx_array a, const char *op) {
    if (!mx_handle_get(a, op))
        return mx_last_status();
    const char *descr = npy_descr(mx_array_dtype(a));
    if (!descr)
        return mx_set_error(MX_ERROR_VALUE, "[%s] dtype %s is not supported", op, mx_dtype_name(mx_array_dtype(a)));
    mx_status st = mx_eval1(a);
    if (st != MX_OK)
        return st;
    int ndim = mx_ndim(a);
    const int64_t *shape = mx_shape(a);
    const int64_t *strides = mx_strides(a);
    if (!strides)
        return mx_last_status();
    /* MLX: contiguous(a, allow_col_major=true), then fortran_order = col_contiguous */
    bool fortran = col_contiguous(shape, strides, ndim);
    mx_array data_of = MX_NULL_ARRAY; /* the array whose row-major bytes are written */
    if (fortran && ndim > 1) {
        int perm[MX_MAX_NDIM];
        for (int i = 0; i < ndim; i++)
            perm[i] = ndim - 1 - i;
        data_of = mx_transpose(a, perm, ndim);
    } else {
        data_of = mx_retain(a);
        int64_t rs[MX_MAX_NDIM];
        mx_row_strides(shape, ndim, rs);
        fortran = col_contiguous(shape, rs, ndim); /* of the row-major copy */
    }
    char header[64 + 24 * MX_MAX_NDIM];
    int len = snprintf(header, sizeof header, "{'descr': '%s', 'fortran_order': %s, 'shape': (", descr,
                       fortran ? "True" : "False");
    for (int i = 0; i < ndim; i++)
        len += snprintf(header + len, sizeof header - (size_t)len, "%lld, ", (long long)shape[i]);
    len += snprintf(header + len, sizeof header - (size_t)len, ")}");
    int padding = (len + 13) % 16; /* MLX's padding rule, reproduced for identical files */
    uint32_t header_len = (uint32_t)(len + padding + 1);
    io_write(w, "\x93NUMPY", 6);
    bool v1 = header_len <= 65535;
    io_write_u8(w, v1 ? 1 : 2);
    io_write_u8(w, 0);
    if (v1) {
        io_write_u8(w, header_len & 0xFF);
        io_write_u8(w, header_len >> 8);
    } else {
        io_write_u32(w, header_len);
    }
    io_write(w, header, (size_t)len);
    for (int i = 0; i < padding; i++)
        io_write_u8(w, ' ');
    io_write_u8(w, '\n');
    const void *bytes = io_array_bytes(data_of, op);
    if (!bytes && mx_size(a) > 0) {
        mx_free(data_of);
        return mx_last_status();
    }
    io_write(w, bytes, mx_nbytes(a));
    mx_free(data_of);
    if (w->failed)
        return mx_set_error(MX_ERROR_MEMORY, "[%s] out of host memory", op);
    return MX_OK;
}

/* The text after `'key':` in a header dict, or NULL. */
static const char *dict_value(const char *h, size_t n, const char *key) {
    size_t k = strlen(key);
    for (size_t i = 0; i + k + 2 <= n; i++) {
        if ((h[i] == '\'' || h[i] == '"') && memcmp(h + i + 1, key, k) == 0 && h[i + 1 + k] == h[i]) {
            size_t j = i + k + 2;
            while (j < n && h[j] == ' ')
                j++;
            if (j < n && h[j] == ':') {
                j++;
                while (j < n && h[j] == ' ')
                    j++;
                return h + j;
            }
        }
    }
    return NULL;
}

#define NPY_FAIL(...) (mx_set_error(MX_ERROR_IO, __VA_ARGS__), MX_NULL_ARRAY)

mx_array io_npy_read(io_source *src, size_t offset, size_t size, const char *file) {
    const unsigned char *b = src->data + offset;
    if (size < 10 || memcmp(b, "\x93NUMPY", 6) != 0)
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_IO, "[load] file %s: not a .npy file (bad magic string)", file), NULL));
    int major = b[6];
    size_t header_len, header_start;
    if (major == 1) {
        header_len = (size_t)b[8] | (size_t)b[9] << 8;
        header_start = 10;
    } else if (major == 2 || major == 3) {
        if (size < 12)
            return mx_handle_wrap((mx_set_error(MX_ERROR_IO, "[load] file %s: truncated .npy header", file), NULL));
        header_len = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 | (size_t)b[11] << 24;
        header_start = 12;
    } else {
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_IO, "[load] file %s: unsupported .npy version %d", file, major), NULL));
    }
    if (header_len > size - header_start)
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_IO, "[load] file %s: .npy header length %zu exceeds the file (%zu bytes)", file,
                          header_len, size),
             NULL));
    const char *h = (const char *)b + header_start;
    size_t hn = header_len;
    /* descr */
    const char *dv = dict_value(h, hn, "descr");
    char descr[16] = {0};
    if (dv && (*dv == '\'' || *dv == '"')) {
        char q = *dv++;
        size_t i = 0;
        while (dv + i < h + hn && dv[i] != q && i < sizeof descr - 1) {
            descr[i] = dv[i];
            i++;
        }
        if (dv + i >= h + hn || dv[i] != q)
            dv = NULL;
    } else {
        dv = NULL;
    }
    const char *fv = dict_value(h, hn, "fortran_order");
    const char *sv = dict_value(h, hn, "shape");
    if (!dv || !fv || !sv || *sv != '(')
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_IO, "[load] file %s: malformed .npy header (needs descr, fortran_order, shape)",
                          file),
             NULL));
    bool fortran;
    if ((size_t)(h + hn - fv) >= 4 && memcmp(fv, "True", 4) == 0)
        fortran = true;
    else if ((size_t)(h + hn - fv) >= 5 && memcmp(fv, "False", 5) == 0)
        fortran = false;
    else
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_IO, "[load] file %s: malformed fortran_order in .npy header", file), NULL));
    /* dtype from the array protocol type-string */
    static const struct {
        char kind;
        int size;
        mx_dtype dtype;
    } kinds[] = {{'b', 1, MX_BOOL},     {'u', 1, MX_UINT8},    {'u', 2, MX_UINT16},  {'u', 4, MX_UINT32},
                 {'u', 8, MX_UINT64},   {'i', 1, MX_INT8},     {'i', 2, MX_INT16},   {'i', 4, MX_INT32},
                 {'i', 8, MX_INT64},    {'f', 2, MX_FLOAT16},  {'f', 4, MX_FLOAT32}, {'f', 8, MX_FLOAT64},
                 {'V', 2, MX_BFLOAT16}, {'c', 8, MX_COMPLEX64}};
    mx_dtype dtype = MX_DTYPE_COUNT;
    char order = descr[0];
    if ((order == '<' || order == '>' || order == '|' || order == '=') && descr[1] && descr[2] && descr[2] >= '1' &&
        descr[2] <= '9' && (descr[3] == '\0' || (descr[3] >= '0' && descr[3] <= '9' && !descr[4]))) {
        int sz = atoi(descr + 2);
        for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
            if (kinds[i].kind == descr[1] && kinds[i].size == sz)
                dtype = kinds[i].dtype;
    }
    if (dtype == MX_DTYPE_COUNT)
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_VALUE, "[load] file %s: Unsupported array protocol type-string: %s", file, descr),
             NULL));
    /* shape */
    int64_t dims[MX_MAX_NDIM];
    int ndim = 0;
    const char *p = sv + 1, *end = h + hn;
    for (;;) {
        while (p < end && *p == ' ')
            p++;
        if (p < end && *p == ')')
            break;
        if (p >= end || *p < '0' || *p > '9' || ndim == MX_MAX_NDIM)
            return mx_handle_wrap(
                (mx_set_error(MX_ERROR_IO, "[load] file %s: malformed shape in .npy header", file), NULL));
        int64_t v = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return mx_handle_wrap(
                    (mx_set_error(MX_ERROR_IO, "[load] file %s: shape entry too large in .npy header", file), NULL));
            v = v * 10 + (*p++ - '0');
        }
        dims[ndim++] = v;
        while (p < end && *p == ' ')
            p++;
        if (p < end && *p == ',')
            p++;
        else if (!(p < end && *p == ')'))
            return mx_handle_wrap(
                (mx_set_error(MX_ERROR_IO, "[load] file %s: malformed shape in .npy header", file), NULL));
    }
    size_t itemsize = mx_dtype_size(dtype);
    uint64_t numel = 1;
    for (int i = 0; i < ndim; i++) {
        if (dims[i] != 0 && numel > (uint64_t)INT64_MAX / itemsize / (uint64_t)dims[i])
            return mx_handle_wrap(
                (mx_set_error(MX_ERROR_IO, "[load] file %s: .npy shape whose size overflows", file), NULL));
        numel *= (uint64_t)dims[i];
    }
    size_t data_start = header_start + header_len;
    if (numel * itemsize > size - data_start)
        return mx_handle_wrap(
            (mx_set_error(MX_ERROR_IO, "[load] file %s: .npy data is truncated (%llu bytes needed, %zu present)", file,
                          (unsigned long long)(numel * itemsize), size - data_start),
             NULL));
    bool swap = order == '>';
    if (!fortran || ndim < 2)
        return io_array_load(src, offset + data_start, dims, ndim, dtype, swap);
    int64_t reversed[MX_MAX_NDIM];
    int perm[MX_MAX_NDIM];
    for (int i = 0; i < ndim; i++) {
        reversed[i] = dims[ndim - 1 - i];
        perm[i] = ndim - 1 - i;
    }
    mx_array flat = io_array_load(src, offset + data_start, reversed, ndim, dtype, swap);
    mx_array out = mx_transpose(flat, perm, ndim);
    mx_free(flat);
    return out;
}

/* ---- zip (.npz) ------------------------------------------------------------------------ */
static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const unsigned char *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void put16(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}
static void put32(unsigned char *p, uint32_t v) {
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

typedef struct {
    char *name;
    uint32_t crc;
    uint32_t size, csize, offset;
    uint16_t method;
} zip_entry;

mx_status io_npz_write(io_writer *w, const mx_named_arrays *arrays, bool compressed) {
    int n = mx_named_arrays_size(arrays);
    zip_entry *entries = calloc(n ? (size_t)n : 1, sizeof *entries);
    if (!entries)
        return mx_set_error(MX_ERROR_MEMORY, "[savez] out of host memory");
    mx_status st = MX_OK;
    for (int i = 0; i < n && st == MX_OK; i++) {
        io_writer member = {0};
        st = io_npy_write(&member, mx_named_arrays_at(arrays, i), "savez");
        const char *key = mx_named_arrays_name(arrays, i);
        size_t name_len = strlen(key) + 4;
        if (st == MX_OK && (member.size > 0xFFFFFFFEu || w->size > 0xFFFFFFFEu || name_len > 0xFFFF))
            st = mx_set_error(MX_ERROR_VALUE, "[savez] member '%s' is too large for a zip archive without zip64", key);
        zip_entry *e = &entries[i];
        if (st == MX_OK && !(e->name = malloc(name_len + 1)))
            st = mx_set_error(MX_ERROR_MEMORY, "[savez] out of host memory");
        if (st != MX_OK) {
            io_writer_free(&member);
            break;
        }
        snprintf(e->name, name_len + 1, "%s.npy", key);
        e->crc = (uint32_t)crc32(0L, member.data, (uInt)member.size);
        e->size = (uint32_t)member.size;
        e->offset = (uint32_t)w->size;
        unsigned char *payload = member.data;
        size_t payload_size = member.size;
        unsigned char *deflated = NULL;
        if (compressed) {
            z_stream z = {0};
            uLong bound = compressBound((uLong)member.size) + 64;
            deflated = malloc(bound);
            if (!deflated || deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
                free(deflated);
                io_writer_free(&member);
                st = mx_set_error(MX_ERROR_MEMORY, "[savez_compressed] out of host memory");
                break;
            }
            z.next_in = member.data;
            z.avail_in = (uInt)member.size;
            z.next_out = deflated;
            z.avail_out = (uInt)bound;
            int zr = deflate(&z, Z_FINISH);
            payload_size = z.total_out;
            deflateEnd(&z);
            if (zr != Z_STREAM_END) {
                free(deflated);
                io_writer_free(&member);
                st = mx_set_error(MX_ERROR_INTERNAL, "[savez_compressed] deflate failed");
                break;
            }
            payload = deflated;
        }
        e->method = compressed ? 8 : 0;
        e->csize = (uint32_t)payload_size;
        unsigned char lh[30] = {0};
        put32(lh, 0x04034b50);
        put16(lh + 4, 20);
        put16(lh + 8, e->method);
        put16(lh + 10, 0);    /* time */
        put16(lh + 12, 0x21); /* date: 1980-01-01 */
        put32(lh + 14, e->crc);
        put32(lh + 18, e->csize);
        put32(lh + 22, e->size);
        put16(lh + 26, (uint32_t)name_len);
        io_write(w, lh, 30);
        io_write(w, e->name, name_len);
        io_write(w, payload, payload_size);
        free(deflated);
        io_writer_free(&member);
    }
    if (st == MX_OK) {
        size_t cd_start = w->size;
        for (int i = 0; i < n; i++) {
            zip_entry *e = &entries[i];
            unsigned char ch[46] = {0};
            put32(ch, 0x02014b50);
            put16(ch + 4, 20);
            put16(ch + 6, 20);
            put16(ch + 10, e->method);
            put16(ch + 14, 0x21);
            put32(ch + 16, e->crc);
            put32(ch + 20, e->csize);
            put32(ch + 24, e->size);
            put16(ch + 28, (uint32_t)strlen(e->name));
            put32(ch + 42, e->offset);
            io_write(w, ch, 46);
            io_write_str(w, e->name);
        }
        unsigned char eocd[22] = {0};
        put32(eocd, 0x06054b50);
        put16(eocd + 8, (uint32_t)n);
        put16(eocd + 10, (uint32_t)n);
        put32(eocd + 12, (uint32_t)(w->size - cd_start));
        put32(eocd + 16, (uint32_t)cd_start);
        io_write(w, eocd, 22);
        if (n > 0xFFFF || w->size > 0xFFFFFFFEu)
            st = mx_set_error(MX_ERROR_VALUE, "[savez] archive too large for zip without zip64");
        else if (w->failed)
            st = mx_set_error(MX_ERROR_MEMORY, "[savez] out of host memory");
    }
    for (int i = 0; i < n; i++)
        free(entries[i].name);
    free(entries);
    return st;
}

#define ZIP_FAIL(...) mx_set_error(MX_ERROR_IO, __VA_ARGS__)

/* Inflates a raw deflate stream into a new source of exactly `size` bytes. */
static io_source *inflate_member(const unsigned char *data, size_t csize, size_t size, const char *file,
                                 const char *member) {
    io_source *out = io_source_from_bytes(NULL, size, "load");
    if (!out)
        return NULL;
    z_stream z = {0};
    if (inflateInit2(&z, -15) != Z_OK) {
        io_source_release(out);
        ZIP_FAIL("[load] file %s: zlib initialisation failed", file);
        return NULL;
    }
    int zr = Z_OK;
    size_t in_done = 0, out_done = 0;
    /* feed in chunks: avail_in/avail_out are 32-bit */
    while (zr == Z_OK) {
        size_t in_chunk = csize - in_done < (1u << 30) ? csize - in_done : (1u << 30);
        size_t out_chunk = size - out_done < (1u << 30) ? size - out_done : (1u << 30);
        z.next_in = (unsigned char *)data + in_done;
        z.avail_in = (uInt)in_chunk;
        z.next_out = out->data + out_done;
        z.avail_out = (uInt)out_chunk;
        zr = inflate(&z, Z_NO_FLUSH);
        in_done += in_chunk - z.avail_in;
        out_done += out_chunk - z.avail_out;
        if (zr == Z_OK && z.avail_in == in_chunk && z.avail_out == out_chunk)
            zr = Z_BUF_ERROR; /* no progress: truncated or larger than declared */
    }
    inflateEnd(&z);
    if (zr != Z_STREAM_END || out_done != size) {
        io_source_release(out);
        ZIP_FAIL("[load] file %s: member %s does not inflate to its declared %zu bytes", file, member, size);
        return NULL;
    }
    return out;
}

mx_status io_npz_read(io_source *src, const char *file, mx_named_arrays **arrays) {
    const unsigned char *d = src->data;
    size_t n = src->size;
    if (n < 22)
        return ZIP_FAIL("[load] file %s: too short for a zip archive", file);
    /* end of central directory: the last signature within 64 KiB of the end */
    size_t eocd = SIZE_MAX;
    size_t lowest = n > 22 + 0xFFFF ? n - 22 - 0xFFFF : 0;
    for (size_t i = n - 22 + 1; i-- > lowest;)
        if (rd32(d + i) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == SIZE_MAX)
        return ZIP_FAIL("[load] file %s: not a zip archive (no end of central directory)", file);
    uint64_t count = rd16(d + eocd + 10), cd_size = rd32(d + eocd + 12), cd_offset = rd32(d + eocd + 16);
    if ((count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_offset == 0xFFFFFFFFu) && eocd >= 20 &&
        rd32(d + eocd - 20) == 0x07064b50) {
        uint64_t z64 = rd64(d + eocd - 20 + 8);
        if (z64 > n - 56 || rd32(d + z64) != 0x06064b50)
            return ZIP_FAIL("[load] file %s: bad zip64 end of central directory", file);
        count = rd64(d + z64 + 32);
        cd_size = rd64(d + z64 + 40);
        cd_offset = rd64(d + z64 + 48);
    }
    if (cd_offset > n || cd_size > n - cd_offset)
        return ZIP_FAIL("[load] file %s: central directory out of range", file);
    mx_named_arrays *out = mx_named_arrays_new();
    if (!out)
        return mx_last_status();
    size_t p = cd_offset, cd_end = cd_offset + cd_size;
    mx_status st = MX_OK;
    for (uint64_t k = 0; k < count && st == MX_OK; k++) {
        if (p > cd_end || cd_end - p < 46 || rd32(d + p) != 0x02014b50) {
            st = ZIP_FAIL("[load] file %s: corrupt central directory entry %llu", file, (unsigned long long)k);
            break;
        }
        uint16_t method = rd16(d + p + 10), flags = rd16(d + p + 8);
        uint64_t csize = rd32(d + p + 20), usize = rd32(d + p + 24), local = rd32(d + p + 42);
        size_t name_len = rd16(d + p + 28), extra_len = rd16(d + p + 30), comment_len = rd16(d + p + 32);
        if (cd_end - p - 46 < name_len + extra_len + comment_len) {
            st = ZIP_FAIL("[load] file %s: corrupt central directory entry %llu", file, (unsigned long long)k);
            break;
        }
        const unsigned char *name = d + p + 46;
        /* zip64 extra field: the 0xFFFFFFFF fields, in order usize, csize, offset */
        const unsigned char *x = name + name_len, *xend = x + extra_len;
        while (xend - x >= 4) {
            uint16_t id = rd16(x), len = rd16(x + 2);
            if ((size_t)(xend - x - 4) < len)
                break;
            if (id == 1) {
                const unsigned char *f = x + 4, *fend = f + len;
                if (usize == 0xFFFFFFFFu && fend - f >= 8) {
                    usize = rd64(f);
                    f += 8;
                }
                if (csize == 0xFFFFFFFFu && fend - f >= 8) {
                    csize = rd64(f);
                    f += 8;
                }
                if (local == 0xFFFFFFFFu && fend - f >= 8)
                    local = rd64(f);
            }
            x += 4 + len;
        }
        p += 46 + name_len + extra_len + comment_len;
        if (flags & 1) {
            st = ZIP_FAIL("[load] file %s: encrypted zip members are not supported", file);
            break;
        }
        if (local > n || n - local < 30 || rd32(d + local) != 0x04034b50) {
            st = ZIP_FAIL("[load] file %s: local header of member %llu out of range", file, (unsigned long long)k);
            break;
        }
        uint64_t data_start = local + 30 + (uint64_t)rd16(d + local + 26) + rd16(d + local + 28);
        if (data_start > n || csize > n - data_start) {
            st = ZIP_FAIL("[load] file %s: data of member %llu lies beyond the end of the file", file,
                          (unsigned long long)k);
            break;
        }
        char *key = malloc(name_len + 1);
        if (!key) {
            st = mx_set_error(MX_ERROR_MEMORY, "[load] out of host memory");
            break;
        }
        memcpy(key, name, name_len);
        key[name_len] = '\0';
        if (strlen(key) != name_len) {
            free(key);
            st = ZIP_FAIL("[load] file %s: member name contains a NUL byte", file);
            break;
        }
        if (name_len >= 4 && strcmp(key + name_len - 4, ".npy") == 0)
            key[name_len - 4] = '\0'; /* numpy's and MLX's key: the member name less ".npy" */
        mx_array a = MX_NULL_ARRAY;
        if (method == 0) {
            if (csize != usize)
                st = ZIP_FAIL("[load] file %s: stored member %s has different sizes", file, key);
            else
                a = io_npy_read(src, data_start, csize, file);
        } else if (method == 8) {
            /* deflate expands at most ~1032:1: a larger declared size is corrupt */
            io_source *inflated = usize / 1032 > csize + 1
                                      ? (ZIP_FAIL("[load] file %s: member %s declares %llu bytes from %llu "
                                                  "compressed",
                                                  file, key, (unsigned long long)usize, (unsigned long long)csize),
                                         NULL)
                                      : inflate_member(d + data_start, csize, usize, file, key);
            if (!inflated)
                st = mx_last_status();
            else {
                a = io_npy_read(inflated, 0, inflated->size, file);
                io_source_release(inflated);
            }
        } else {
            st = ZIP_FAIL("[load] file %s: member %s uses unsupported zip compression method %u", file, key, method);
        }
        if (st == MX_OK) {
            st = mx_array_status(a);
            if (st == MX_OK)
                st = mx_named_arrays_set(out, key, a);
        }
        mx_free(a);
        free(key);
    }
    if (st != MX_OK) {
        mx_named_arrays_free(out);
        return st;
    }
    *arrays = out;
    return MX_OK;
}
